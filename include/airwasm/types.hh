// airwasm public API: WebAssembly type descriptors (value, function, table, memory, global, extern).
// Shared by the public API and the engine internals (src/wasm re-exports them), so no conversion is needed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace airwasm {

// Value types, numbered by their binary encoding.
enum class ValType : uint8_t {
  kI32 = 0x7f,
  kI64 = 0x7e,
  kF32 = 0x7d,
  kF64 = 0x7c,
  kV128 = 0x7b,
  kFuncRef = 0x70,
  kExternRef = 0x6f,
  kExnRef = 0x69,  // exception handling: a caught exception (null or an exception object of the Store)
  kBottom = 0x00,  // internal: the validator's unknown operand type in unreachable code
};
const char* valtype_name(ValType t);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
  std::string to_string() const;  // "(i32, i64) -> (f32)"
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elem = ValType::kFuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
  bool operator==(const MemoryType&) const = default;
};

struct GlobalType {
  ValType type = ValType::kI32;
  bool mut = false;
  bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { kFunc = 0, kTable = 1, kMemory = 2, kGlobal = 3, kTag = 4 };
const char* extern_kind_name(ExternKind k);

// The type of an import or export: exactly one of the members is meaningful, chosen by `kind`.
struct ExternType {
  ExternKind kind = ExternKind::kFunc;
  FuncType func;
  TableType table;
  MemoryType memory;
  GlobalType global;
  FuncType tag;  // kTag: the payload types (params; results are empty)
  std::string to_string() const;
};

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

}  // namespace airwasm
