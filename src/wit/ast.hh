// wit: the syntax tree of one WIT file, as written: names are unresolved, `use`, `include` and package
// references are paths, and every node keeps its byte offset (with the index of its Source) so that
// resolution errors can name file, line and column. Built by parser.cc, consumed by resolve.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "component/types.hh"
#include "component/wit_model.hh"

namespace airwasm::wit::ast {

struct Id {
  std::string name;
  uint32_t offset = 0;
};

// Attributes before an item: doc comments, a feature gate and the component-model `@external-id`.
struct Attrs {
  component::wit::Docs docs;
  component::wit::Stability stability;
  uint32_t stability_offset = 0;
  std::optional<std::string> external_id;
};

struct Type {
  enum class Kind : uint8_t {
    kPrim,
    kName,
    kList,
    kFixedList,
    kOption,
    kResult,
    kTuple,
    kFuture,
    kStream,
    kOwn,
    kBorrow,
    kMap,
    kErrorContext
  };
  Kind kind = Kind::kPrim;
  uint32_t offset = 0;
  component::Prim prim = component::Prim::kBool;
  Id name;                               // kName, kOwn, kBorrow
  std::vector<Type> args;                // element(s); kResult: ok then err, see has_ok / has_err
  bool has_ok = false, has_err = false;  // kResult; kFuture / kStream: has_ok = has an element
  uint32_t length = 0;                   // kFixedList
};

struct Param {
  Id name;
  Type type;
};

struct FuncSig {
  uint32_t offset = 0;
  bool async = false;
  std::vector<Param> params;
  std::optional<Type> result;
};

struct Func {
  enum class Kind : uint8_t { kFreestanding, kConstructor, kMethod, kStatic };
  Kind kind = Kind::kFreestanding;
  Id name;  // `constructor` for constructors
  FuncSig sig;
  Attrs attrs;
};

struct Label {
  Id name;
  std::optional<Type> type;  // record fields always, variant cases maybe
  component::wit::Docs docs;
};

struct TypeDecl {
  enum class Kind : uint8_t { kAlias, kRecord, kVariant, kEnum, kFlags, kResource };
  Kind kind = Kind::kAlias;
  Id name;
  Attrs attrs;
  std::optional<Type> alias;
  std::vector<Label> labels;
  std::vector<Func> funcs;  // resource functions
};

// `iface` (in this package) or `ns:pkg/iface@version`.
struct UsePath {
  uint32_t offset = 0;
  std::optional<Id> ns, pkg;
  std::optional<std::string> version;
  uint32_t version_offset = 0;
  Id iface;
};

struct UseName {
  Id name;
  std::optional<Id> as;
};

struct Use {
  uint32_t offset = 0;
  UsePath path;
  std::vector<UseName> names;
  Attrs attrs;
};

struct Interface;

// `import`/`export`: `name: func(...)`, `name: interface { ... }`, `name: path`, or `path`.
struct Extern {
  enum class Kind : uint8_t { kFunc, kInline, kPath };
  bool is_import = true;
  Kind kind = Kind::kPath;
  std::optional<Id> name;
  FuncSig sig;
  std::shared_ptr<Interface> inline_iface;
  UsePath path;
  Attrs attrs;
};

struct Include {
  UsePath path;  // a world: `w` or `ns:pkg/w@v`
  std::vector<std::pair<Id, Id>> with;
  Attrs attrs;
};

struct Interface {
  Id name;
  Attrs attrs;
  std::vector<Use> uses;
  std::vector<TypeDecl> types;
  std::vector<Func> funcs;
  uint32_t file = 0;  // index of its Source
};

struct World {
  Id name;
  Attrs attrs;
  std::vector<Extern> externs;
  std::vector<Use> uses;
  std::vector<TypeDecl> types;
  std::vector<Include> includes;
  uint32_t file = 0;
};

struct PackageName {
  uint32_t offset = 0;
  Id ns, name;
  std::optional<std::string> version;
  std::string key() const { return ns.name + ":" + name.name + (version ? "@" + *version : ""); }
};

// A top-level `use ns:pkg/iface@v as name;`: an interface name for the rest of its file.
struct TopUse {
  UsePath path;
  Id as;
};

struct PackageBody {
  std::vector<Interface> interfaces;
  std::vector<World> worlds;
};

struct NestedPackage {
  PackageName name;
  component::wit::Docs docs;
  PackageBody body;
};

struct File {
  uint32_t source = 0;
  std::optional<PackageName> package;  // `package ns:pkg@v;` at the top
  component::wit::Docs package_docs;
  PackageBody body;
  std::vector<TopUse> top_uses;
  std::vector<NestedPackage> nested;
};

}  // namespace airwasm::wit::ast
