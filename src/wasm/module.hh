// wasm: the decoded Module, as plain data. Produced by decode/, checked by validate/, lowered by interp/.
// Function bodies and constant expressions are kept as byte ranges / decoded instruction lists; the
// Module owns a copy of the binary so those ranges stay valid for its lifetime.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wasm/instr.hh"
#include "wasm/types.hh"

namespace airwasm::wasm {

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t func_type = 0;  // kFunc, kTag: index into Module::types
  TableType table;         // kTable
  MemoryType memory;       // kMemory
  GlobalType global;       // kGlobal
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;
};

// A constant expression: the instructions before its `end`, decoded but not yet validated.
struct ConstExpr {
  std::vector<Instr> instrs;
  size_t offset = 0;  // byte offset of the first instruction (for error messages)
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  ValType type = ValType::kFuncRef;
  uint32_t table = 0;            // kActive only
  ConstExpr offset;              // kActive only
  std::vector<ConstExpr> items;  // one constant expression per element (func indices become ref.func)
  size_t position = 0;           // byte offset of the segment
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;  // kActive or kPassive
  uint32_t memory = 0;
  ConstExpr offset;                // kActive only
  std::span<const uint8_t> bytes;  // into Module::binary
  size_t position = 0;
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type = ValType::kI32;
};

struct FunctionBody {
  std::vector<LocalDecl> locals;
  uint32_t local_count = 0;       // sum of counts (params not included)
  std::span<const uint8_t> code;  // the instructions, including the final `end`; into Module::binary
  size_t code_offset = 0;         // absolute offset of code[0] within the binary
  size_t body_offset = 0;         // absolute offset of the body (its size field)
};

struct CustomSection {
  std::string name;
  std::span<const uint8_t> payload;  // into Module::binary
  size_t offset = 0;
};

// The "name" custom section (decoded leniently: a malformed name section is ignored, as the spec allows).
struct NameSection {
  std::optional<std::string> module_name;
  std::map<uint32_t, std::string> function_names;
  std::map<uint32_t, std::map<uint32_t, std::string>> local_names;
};

struct Module {
  std::vector<uint8_t> binary;  // owned copy of the input; spans above point into it

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> functions;   // type index of each *defined* function
  std::vector<TableType> tables;     // defined tables
  std::vector<MemoryType> memories;  // defined memories
  std::vector<Global> globals;       // defined globals
  std::vector<uint32_t> tags;        // type index of each defined tag (exception handling)
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> data_count;
  std::vector<DataSegment> datas;
  std::vector<FunctionBody> codes;
  std::vector<CustomSection> customs;
  NameSection names;

  // Counts of imports per kind, so that index spaces are [imports..., definitions...].
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;

  // Index-space views (imports first, then definitions).
  uint32_t num_funcs() const { return num_imported_funcs + uint32_t(functions.size()); }
  uint32_t num_tables() const { return num_imported_tables + uint32_t(tables.size()); }
  uint32_t num_memories() const { return num_imported_memories + uint32_t(memories.size()); }
  uint32_t num_globals() const { return num_imported_globals + uint32_t(globals.size()); }
  uint32_t num_tags() const { return num_imported_tags + uint32_t(tags.size()); }

  // Type index of function `func_index` in the function index space. Requires a valid index.
  uint32_t func_type_index(uint32_t func_index) const;
  const FuncType& func_type(uint32_t func_index) const { return types[func_type_index(func_index)]; }
  TableType table_type(uint32_t table_index) const;
  MemoryType memory_type(uint32_t memory_index) const;
  GlobalType global_type(uint32_t global_index) const;
  uint32_t tag_type_index(uint32_t tag_index) const;

  // Import entries of one kind, in index order (imported_funcs()[i] is function i).
  std::vector<const Import*> imports_of(ExternKind kind) const;
};

}  // namespace airwasm::wasm
