// component: the semantic type model. Every component-level type lives in one TypeStore as an immutable
// node named by a TypeId. Value and function types are hash-consed: a node is built from the exact ids of
// its children, and each node also records `canon`, the id of the structurally identical node built from
// canonical children, so type equality is `canon(a) == canon(b)` and the canonical ABI's size, alignment
// and flattening are computed once per canonical node. Alias nodes (one per named import/export of a
// type) keep the names that the WIT printer and the external-visibility rules need; they are never
// canonical. Resources are nominal: a ResourceId is allocated per definition, import or instantiation.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "component/ast.hh"

namespace airwasm::component {

using TypeId = uint32_t;
using ResourceId = uint32_t;
constexpr TypeId kNoType = ~TypeId{0};

enum class TypeKind : uint8_t {
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
  kResource,   // a resource type; aux = ResourceId
  kFunc,       // children = params..., result (or kNoType); labels = param names; aux = async
  kInstance,   // aux = index into TypeStore::instances
  kComponent,  // aux = index into TypeStore::components
  kModule,     // aux = index into TypeStore::modules
  kAlias,      // a named alias of children[0]
};

// Flattened core value types of the canonical ABI.
enum class FlatType : uint8_t { kI32, kI64, kF32, kF64 };

struct TypeNode {
  TypeKind kind = TypeKind::kPrim;
  Prim prim = Prim::kBool;
  uint32_t aux = 0;
  std::vector<TypeId> children;  // exact ids (may be aliases)
  std::vector<std::string> labels;
  TypeId canon = kNoType;  // canonical representative (itself for canonical nodes)
  // Computed once for canonical value types.
  uint32_t depth = 0;
  bool contains_borrow = false;
  bool contains_ptr = false;     // strings or lists inside (needs memory/realloc)
  uint64_t size = 0, align = 1;  // canonical ABI (32-bit memory), saturated at 2^32
  uint64_t elem_size64 = 0;      // elem_size with 64-bit pointers, for the 2^28 limit
  uint64_t align64 = 1;
  std::vector<FlatType> flat;  // canonical ABI flattening (capped at kMaxFlatParams+1 entries)
};
constexpr size_t kMaxFlat = 17;

// What an import/export or index-space entry is.
struct Entity {
  enum class Kind : uint8_t { kModule, kFunc, kValue, kType, kInstance, kComponent };
  Kind kind = Kind::kFunc;
  TypeId type = kNoType;        // kType: the created id (alias or resource); others: the type
  TypeId referenced = kNoType;  // kType: the referenced id
};
const char* entity_kind_name(Entity::Kind k);

struct NamedEntity {
  std::string name;
  Entity entity;
  std::optional<std::string> implements, version_suffix, external_id;
};

struct InstanceTypeInfo {
  std::vector<NamedEntity> exports;
  std::vector<ResourceId> defined_resources;  // abstract resources this instance type introduces
  const NamedEntity* find(std::string_view name) const;
};

struct ComponentTypeInfo {
  std::vector<NamedEntity> imports, exports;
  std::vector<ResourceId> imported_resources, defined_resources;
};

// Core entity types (for core instances and module types).
struct CoreEntity {
  uint8_t kind = 0;   // 0 func, 1 table, 2 memory, 3 global, 4 tag
  CoreFuncType func;  // func / tag
  CoreValType val;    // table element / global
  CoreLimits limits;  // table / memory
  bool mut = false;
};

struct ModuleTypeInfo {
  std::vector<std::pair<std::pair<std::string, std::string>, CoreEntity>> imports;
  std::vector<std::pair<std::string, CoreEntity>> exports;
  // The header uses a proposal beyond Wasm 2.0 that the core engine does not implement (GC types,
  // shared/64-bit memories; tags or several memories when exceptions/multi-memory are off): such a
  // module gets the header-level checks only. Modules using the implemented proposals are not "beyond".
  bool beyond_wasm2 = false;
};

struct ResourceInfo {
  bool local = false;  // defined by a resource type definition in a concrete component
  std::optional<CoreValType> rep;
  std::optional<uint32_t> dtor;
};

using ResourceMap = std::unordered_map<ResourceId, ResourceId>;

class TypeStore {
 public:
  TypeStore();

  const TypeNode& node(TypeId id) const { return nodes_[id]; }
  // The canonical node of `id` (aliases stripped, children canonical).
  const TypeNode& canon(TypeId id) const { return nodes_[nodes_[id].canon]; }
  TypeId canon_id(TypeId id) const { return nodes_[id].canon; }
  // The first non-alias node reached from `id`; its children are still exact ids.
  TypeId strip(TypeId id) const;
  size_t size() const { return nodes_.size(); }

  TypeId prim(Prim p) const { return TypeId(p); }
  // Interns a value or function type built from exact child ids.
  TypeId intern(TypeNode node);
  TypeId alias(TypeId target);  // a fresh, unique alias node
  TypeId resource_type(ResourceId r);
  ResourceId new_resource(ResourceInfo info = {});
  const ResourceInfo& resource(ResourceId r) const { return resources_[r]; }
  TypeId add_instance(InstanceTypeInfo info);
  TypeId add_component(ComponentTypeInfo info);
  TypeId add_module(ModuleTypeInfo info);
  const InstanceTypeInfo& instance(TypeId id) const { return instances_[canon(id).aux]; }
  const ComponentTypeInfo& component(TypeId id) const { return components_[canon(id).aux]; }
  const ModuleTypeInfo& module(TypeId id) const { return modules_[canon(id).aux]; }

  // Substitutes resources in a type / entity (memoized per call through `memo`).
  TypeId remap(TypeId id, const ResourceMap& map, std::unordered_map<TypeId, TypeId>& memo);
  Entity remap(const Entity& e, const ResourceMap& map, std::unordered_map<TypeId, TypeId>& memo);
  // Resources appearing free in a type / entity.
  void free_resources(TypeId id, std::vector<ResourceId>& out, std::vector<bool>& seen) const;
  void free_resources(const Entity& e, std::vector<ResourceId>& out, std::vector<bool>& seen) const;

  // Text for error messages: "u32", "record", "tuple", ...
  std::string describe(TypeId id) const;

 private:
  struct Key;
  TypeId push(TypeNode node);
  // A node of `kind` for the info at `info_index`, canonical to itself (never shared).
  TypeId push_nominal(TypeKind kind, size_t info_index);
  void compute_abi(TypeNode& n);
  void compute_layout(TypeNode& n);

  std::vector<TypeNode> nodes_;
  std::unordered_map<std::string, TypeId> interned_;
  std::vector<ResourceInfo> resources_;
  std::unordered_map<ResourceId, TypeId> resource_nodes_;
  std::vector<InstanceTypeInfo> instances_;
  std::vector<ComponentTypeInfo> components_;
  std::vector<ModuleTypeInfo> modules_;
};

}  // namespace airwasm::component
