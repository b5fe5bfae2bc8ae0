// component::ast: the decoded component binary, as plain syntax. Produced by reader.cc, consumed by the
// validator (validator.cc), which resolves indices and builds the semantic types of types.hh.
// Everything here mirrors Binary.md one-to-one: indices are not yet checked, names not yet parsed.
// Nested components and core modules keep byte spans into the caller's buffer, so a Component is only
// valid while the bytes it was decoded from are alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace airwasm::component::ast {

// Every sort of every index space, core and component, in one enum.
enum class Sort : uint8_t {
  kCoreFunc,
  kCoreTable,
  kCoreMemory,
  kCoreGlobal,
  kCoreTag,
  kCoreType,
  kCoreModule,
  kCoreInstance,
  kFunc,
  kValue,
  kType,
  kComponent,
  kInstance,
};
constexpr size_t kSortCount = 13;
const char* sort_name(Sort s);  // "core func", "func", "instance", ...
inline bool is_core_sort(Sort s) {
  return s <= Sort::kCoreInstance;
}

// ---- core types ----

// A core value type. kind is the numeric type byte (0x7f i32 .. 0x7b v128) or kRef.
struct CoreValType {
  static constexpr uint8_t kRef = 0x64;
  uint8_t kind = 0x7f;
  bool nullable = false;
  int32_t heap = 0;  // kRef: >= 0 a type index; < 0 the negated abstract heap type byte (e.g. -0x70 func)
  bool operator==(const CoreValType&) const = default;
};

struct CoreFuncType {
  std::vector<CoreValType> params, results;
  bool operator==(const CoreFuncType&) const = default;
};

struct CoreFieldType {
  CoreValType type;
  uint8_t packed = 0;  // 0, or 0x78 i8 / 0x77 i16
  bool mut = false;
  bool operator==(const CoreFieldType&) const = default;
};

// A core composite type with its subtyping header (GC). Plain `(func ...)` is final, no supers.
struct CoreSubType {
  enum class Comp : uint8_t { kFunc, kStruct, kArray };
  Comp comp = Comp::kFunc;
  bool final = true;
  std::vector<uint32_t> supers;
  CoreFuncType func;
  std::vector<CoreFieldType> fields;  // struct fields, or the single array element
};

struct CoreLimits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;
};

// The type of a core import or export.
struct CoreExternType {
  uint8_t kind = 0;   // 0 func, 1 table, 2 memory, 3 global, 4 tag
  uint32_t type = 0;  // func / tag: type index
  CoreValType val;    // table element / global value type
  CoreLimits limits;  // table / memory
  bool mut = false;   // global
};

struct CoreImportDecl {
  std::string module, name;
  CoreExternType type;
  size_t offset = 0;
};

struct CoreModuleDecl;

// One core:type: a rec group (one or more sub types) or a module type.
struct CoreTypeDef {
  enum class Kind : uint8_t { kRec, kModule };
  Kind kind = Kind::kRec;
  std::vector<CoreSubType> rec;
  std::vector<CoreModuleDecl> decls;
  size_t offset = 0;
};

struct CoreModuleDecl {
  enum class Kind : uint8_t { kImport, kType, kAlias, kExport };
  Kind kind = Kind::kImport;
  CoreImportDecl import;                      // kImport
  std::vector<CoreTypeDef> type;              // kType (exactly one)
  uint32_t outer_count = 0, outer_index = 0;  // kAlias (outer type)
  std::string export_name;                    // kExport
  CoreExternType export_type;                 // kExport
  size_t offset = 0;
};

// ---- component types ----

enum class Prim : uint8_t {
  kBool,
  kS8,
  kU8,
  kS16,
  kU16,
  kS32,
  kU32,
  kS64,
  kU64,
  kF32,
  kF64,
  kChar,
  kString,
  kErrorContext,
};
const char* prim_name(Prim p);

// valtype ::= typeidx | primvaltype
struct ValTypeRef {
  bool is_prim = false;
  Prim prim = Prim::kBool;
  uint32_t index = 0;
};

struct LabeledType {
  std::string label;
  ValTypeRef type;
};

struct CaseDef {
  std::string label;
  std::optional<ValTypeRef> type;
};

struct DefinedType {
  enum class Kind : uint8_t {
    kPrim,
    kRecord,
    kVariant,
    kList,
    kFixedList,
    kTuple,
    kFlags,
    kEnum,
    kOption,
    kResult,
    kOwn,
    kBorrow,
    kStream,
    kFuture,
    kMap,
  };
  Kind kind = Kind::kPrim;
  Prim prim = Prim::kBool;
  std::vector<LabeledType> fields;  // record
  std::vector<CaseDef> cases;       // variant
  std::vector<ValTypeRef> types;    // tuple
  std::vector<std::string> labels;  // flags, enum
  std::optional<ValTypeRef> a,
      b;               // list/option/stream/future/fixed-list element; result ok/err; map key/value
  uint32_t index = 0;  // own/borrow resource type index; fixed-list length
};

struct FuncTypeDef {
  bool async = false;
  std::vector<LabeledType> params;
  std::optional<ValTypeRef> result;
};

// externtype / exportdecl / importdecl description.
struct ExternDesc {
  enum class Kind : uint8_t { kModule, kFunc, kValue, kType, kComponent, kInstance };
  Kind kind = Kind::kFunc;
  uint32_t index = 0;         // type index (core type index for kModule); kType+eq: the bound's type index
  bool sub_resource = false;  // kType: (sub resource) bound instead of (eq index)
  bool value_eq = false;      // kValue: (eq valueidx) instead of a valtype
  ValTypeRef value_type;      // kValue
  size_t offset = 0;
};

// nameattributes: the extern name and its attributes.
struct ExternName {
  std::string name;
  std::optional<std::string> implements;
  std::optional<std::string> version_suffix;
  std::optional<std::string> external_id;
  size_t offset = 0;
};

struct Alias {
  enum class Target : uint8_t { kExport, kCoreExport, kOuter };
  Sort sort = Sort::kFunc;
  Target target = Target::kExport;
  uint32_t instance = 0;  // export / core export
  std::string name;       // export / core export
  uint32_t count = 0;     // outer
  uint32_t index = 0;     // outer
  size_t offset = 0;
};

struct TypeDef;

// One declarator of a component or instance type.
struct TypeDecl {
  enum class Kind : uint8_t { kCoreType, kType, kAlias, kExport, kImport };
  Kind kind = Kind::kType;
  std::vector<CoreTypeDef> core_type;  // kCoreType (exactly one)
  std::vector<TypeDef> type;           // kType (exactly one)
  Alias alias;                         // kAlias
  ExternName name;                     // kExport / kImport
  ExternDesc desc;                     // kExport / kImport
  size_t offset = 0;
};

struct TypeDef {
  enum class Kind : uint8_t { kDefined, kFunc, kComponent, kInstance, kResource };
  Kind kind = Kind::kDefined;
  DefinedType defined;
  FuncTypeDef func;
  std::vector<TypeDecl> decls;   // component / instance
  CoreValType rep;               // resource
  std::optional<uint32_t> dtor;  // resource destructor (core func index)
  size_t offset = 0;
};

// ---- definitions ----

struct CoreInstantiateArg {
  std::string name;
  uint32_t instance = 0;
};
struct CoreInlineExport {
  std::string name;
  Sort sort = Sort::kCoreFunc;
  uint32_t index = 0;
};
struct CoreInstance {
  bool instantiate = true;
  uint32_t module = 0;
  std::vector<CoreInstantiateArg> args;
  std::vector<CoreInlineExport> exports;
  size_t offset = 0;
};

struct InstantiateArg {
  std::string name;
  Sort sort = Sort::kFunc;
  uint32_t index = 0;
};
struct InlineExport {
  ExternName name;
  Sort sort = Sort::kFunc;
  uint32_t index = 0;
};
struct Instance {
  bool instantiate = true;
  uint32_t component = 0;
  std::vector<InstantiateArg> args;
  std::vector<InlineExport> exports;
  size_t offset = 0;
};

struct CanonOpt {
  enum class Kind : uint8_t {
    kUtf8,
    kUtf16,
    kLatin1Utf16,
    kMemory,
    kRealloc,
    kPostReturn,
    kAsync,
    kCallback
  };
  Kind kind = Kind::kUtf8;
  uint32_t index = 0;
  size_t offset = 0;
};

struct Canon {
  // The binary opcode identifies the built-in; lift and lower are 0x00 / 0x01.
  enum Op : uint8_t {
    kLift = 0x00,
    kLower = 0x01,
    kResourceNew = 0x02,
    kResourceDrop = 0x03,
    kResourceRep = 0x04,
    kResourceDropAsync = 0x07,
  };
  uint8_t op = kLift;
  uint32_t func = 0;  // lift: core func; lower: func
  uint32_t type = 0;  // lift: func type; resource.*, stream.*, future.*: the type index
  std::vector<CanonOpt> opts;
  bool flag = false;                 // async? / cancel? / shared? immediates
  CoreValType val;                   // context.get / context.set
  uint32_t extra = 0;                // context index, memory index, table index
  std::optional<ValTypeRef> result;  // task.return
  bool has_result_list = false;
  size_t offset = 0;
};
const char* canon_name(uint8_t op);  // "lift", "resource.new", "waitable-set.wait", ...

struct Import {
  ExternName name;
  ExternDesc desc;
  size_t offset = 0;
};

struct Export {
  ExternName name;
  Sort sort = Sort::kFunc;
  uint32_t index = 0;
  std::optional<ExternDesc> ascribed;
  size_t offset = 0;
};

struct Start {
  uint32_t func = 0;
  std::vector<uint32_t> args;
  uint32_t results = 0;
  size_t offset = 0;
};

struct ValueDef {
  ValTypeRef type;
  std::span<const uint8_t> bytes;
  size_t offset = 0;
};

struct CoreModuleBytes {
  std::span<const uint8_t> bytes;  // the whole module, preamble included
  size_t offset = 0;               // absolute offset of bytes[0]
};

struct CustomSection {
  std::string name;
  std::span<const uint8_t> payload;
  size_t offset = 0;
};

struct Component;

// The definitions in binary order; `index` points into the vector of that kind.
struct Item {
  enum class Kind : uint8_t {
    kCoreModule,
    kCoreInstance,
    kCoreType,
    kComponent,
    kInstance,
    kAlias,
    kType,
    kCanon,
    kStart,
    kImport,
    kExport,
    kValue,
  };
  Kind kind;
  uint32_t index;
};

struct Component {
  std::vector<Item> items;
  std::vector<CoreModuleBytes> modules;
  std::vector<CoreInstance> core_instances;
  std::vector<CoreTypeDef> core_types;
  std::vector<std::unique_ptr<Component>> components;
  std::vector<Instance> instances;
  std::vector<Alias> aliases;
  std::vector<TypeDef> types;
  std::vector<Canon> canons;
  std::vector<Start> starts;
  std::vector<Import> imports;
  std::vector<Export> exports;
  std::vector<ValueDef> values;
  std::vector<CustomSection> customs;
  std::span<const uint8_t> bytes;  // the whole component, preamble included
  size_t offset = 0;
};

}  // namespace airwasm::component::ast

namespace airwasm::component {
// The type vocabulary that the semantic model (types.hh) shares with the syntax; the syntax structs
// themselves (Component, Instance, Import, Export, ...) stay in ast:: so that the public API can use
// those names.
using ast::canon_name;
using ast::CoreExternType;
using ast::CoreFieldType;
using ast::CoreFuncType;
using ast::CoreLimits;
using ast::CoreSubType;
using ast::CoreValType;
using ast::is_core_sort;
using ast::kSortCount;
using ast::Prim;
using ast::prim_name;
using ast::Sort;
using ast::sort_name;
}  // namespace airwasm::component
