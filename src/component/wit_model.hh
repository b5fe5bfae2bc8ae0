// component: the WIT view of a validated component: packages, interfaces, one world, type definitions
// and functions, as WIT tooling models them. Built from the TypeStore by wit_decode.cc and printed by
// wit_printer.cc. The decoding follows the rules the reference tooling (wit-parser's component decoder)
// applies, so that printed worlds agree with theirs: named types come from type imports/exports, a
// type export that re-exports an already named type becomes `type a = b` (or a `use` across
// interfaces), anonymous types are keyed by their exact TypeId, and foreign interfaces (`ns:pkg/i`)
// hold only what the component uses of them. The WIT text parser (src/wit/) builds the same model from
// source, with doc comments and feature gates, which a component never carries.
// Invariant: every index here is valid in its Resolve.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.hh"
#include "component/types.hh"

namespace airwasm::component::wit {

// A WIT type reference: a primitive, or an index into Resolve::types.
struct Ty {
  bool is_prim = true;
  Prim prim = Prim::kBool;
  uint32_t id = 0;
  static Ty of(uint32_t i) { return Ty{false, Prim::kBool, i}; }
  static Ty of(Prim p) { return Ty{true, p, 0}; }
};

enum class DefKind : uint8_t {
  kAlias,  // `type a = T`: types[0] is T
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
  kFuture,
  kStream,
  kMap,
  kResource,
};

// A feature gate: `@since(version = V)`, `@unstable(feature = F)`, either with `@deprecated(version = V)`.
struct Stability {
  enum class Kind : uint8_t { kUnknown, kStable, kUnstable };
  Kind kind = Kind::kUnknown;
  std::string since;    // kStable: the version
  std::string feature;  // kUnstable: the feature name; kStable: the legacy `@since(..., feature = F)`
  std::optional<std::string> deprecated;
  bool operator==(const Stability&) const = default;
};

// Doc comments (`///` lines or `/** */` blocks) with the comment markers removed, lines joined by '\n'.
using Docs = std::optional<std::string>;

struct Owner {
  enum class Kind : uint8_t { kNone, kWorld, kInterface };
  Kind kind = Kind::kNone;
  uint32_t index = 0;
  bool operator==(const Owner&) const = default;
};

struct TypeDef {
  std::optional<std::string> name;
  DefKind kind = DefKind::kAlias;
  std::vector<std::string> labels;       // record fields, variant cases, flags, enum cases
  std::vector<std::optional<Ty>> types;  // record fields, variant payloads, tuple elements; list/option/
                                         // future/stream element; result ok, err; map key, value; alias
  uint32_t length = 0;                   // fixed-length list
  uint32_t resource = 0;                 // own / borrow: the resource's TypeDef
  Owner owner;
  std::optional<std::string> external_id;
  Docs docs;
  std::vector<Docs> label_docs;  // empty, or one per label
  Stability stability;
};

enum class FuncKind : uint8_t { kFreestanding, kConstructor, kMethod, kStatic };

struct Function {
  std::string name;  // the extern name, `[method]r.f` included
  FuncKind kind = FuncKind::kFreestanding;
  bool async = false;
  uint32_t resource = 0;  // constructor / method / static
  std::vector<std::pair<std::string, Ty>> params;
  std::optional<Ty> result;
  std::optional<std::string> external_id;
  Docs docs;
  Stability stability;
  std::string_view item_name() const;  // `f` of `[method]r.f`, `constructor`, or the name
};

struct Interface {
  std::optional<std::string> name;  // none for an inline `import x: interface { ... }`
  std::optional<uint32_t> package;
  std::vector<std::pair<std::string, uint32_t>> types;  // in definition order
  std::vector<Function> functions;  // resource functions (FuncKind != kFreestanding) name their resource
  Docs docs;
  Stability stability;
};

struct WorldItem {
  enum class Kind : uint8_t { kInterface, kFunction, kType };
  Kind kind = Kind::kInterface;
  std::optional<std::string> name;  // the key: a plain name, or none for an `ns:pkg/i` key
  uint32_t id = 0;                  // interface or type
  Function func;
  std::optional<std::string> external_id;  // interface items
  Stability stability;                     // interface items (functions and types carry their own)
};

struct World {
  std::string name;
  uint32_t package = 0;
  std::vector<WorldItem> imports, exports;
  Docs docs;
  Stability stability;
};

struct Package {
  std::string ns, name;
  std::optional<std::string> version;
  std::vector<std::pair<std::string, uint32_t>> interfaces;
  std::vector<std::pair<std::string, uint32_t>> worlds;
  Docs docs;
};

struct Resolve {
  std::vector<Package> packages;  // dependencies first (topological order), the main package last
  std::vector<Interface> interfaces;
  std::vector<TypeDef> types;
  std::vector<World> worlds;
  uint32_t main_package = 0;
  uint32_t world = 0;  // the component's world, `root` in package `root:component` (WIT text: unused)
};

// The functions of a resource (constructor, methods, statics) in declaration order: from the interface
// that owns it, or from its world's imports. What a bindings generator puts in the resource's class.
std::vector<const Function*> resource_functions(const Resolve& resolve, uint32_t resource);

// Where each import/export sits in the component binary: true for an import, in binary order.
// (The decoder visits imports and exports interleaved, as they appear.) Empty: imports, then exports.
using ExternOrder = std::vector<bool>;
ExternOrder extern_order(const ast::Component& component);

// Builds the WIT view of a component type. Fails, with a message saying why, when the component cannot
// be described in WIT (a type exported from the component, an unnamed record in a function, ...).
Result<Resolve> decode(const TypeStore& store, TypeId component, const ExternOrder& order = {});

}  // namespace airwasm::component::wit
