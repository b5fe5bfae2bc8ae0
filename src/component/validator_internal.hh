// component: the validator's internal state, shared by validator.cc (definitions, names, instances)
// and validator_types.cc (type definitions, core types, canonical functions).
#pragma once

#include <algorithm>
#include <set>
#include <unordered_set>

#include "component/names.hh"
#include "component/subtype.hh"
#include "component/validator.hh"

namespace airwasm::component::detail {

using namespace ::airwasm::component::ast;  // the front end works on the syntax throughout

std::unexpected<Error> fail(std::string m, size_t off);

enum class ScopeKind : uint8_t { kComponent, kComponentType, kInstanceType };

struct CoreTypeSlot {
  bool is_module = false;
  TypeId module = kNoType;
  CoreSubType sub;
};
using CoreInstanceType = std::vector<std::pair<std::string, CoreEntity>>;

struct NameCx {
  std::unordered_map<TypeId, std::string> resource_names;
  std::set<std::string> all_names;
};

struct Scope {
  ScopeKind kind = ScopeKind::kComponent;
  std::vector<CoreTypeSlot> core_types;
  std::vector<CoreFuncType> core_funcs;
  std::vector<CoreEntity> core_tables, core_memories, core_globals, core_tags;
  std::vector<TypeId> core_modules;
  std::vector<CoreInstanceType> core_instances;
  std::vector<TypeId> types, funcs, instances, components;
  std::vector<std::pair<TypeId, bool>> values;
  std::vector<NamedEntity> imports, exports;
  std::set<std::string> import_keys, export_keys;
  std::vector<ResourceId> imported_resources, defined_resources;
  std::unordered_set<TypeId> imported_types, exported_types;
  NameCx imported_names, exported_names;
};

class Validator {
 public:
  explicit Validator(TypeStore& s, const ValidateOptions& options = {}) : s_(s), options_(options) {}
  Result<TypeId> component(const Component& c);

  // validator_types.cc
  Result<void> type_def(const TypeDef& t);
  Result<TypeId> make_type(const TypeDef& t);
  Result<void> core_type(const CoreTypeDef& t);
  Result<TypeId> valtype(const ValTypeRef& v, size_t off);
  Result<void> canon(const Canon& c);

 private:
  Scope& cur() { return scopes_.back(); }
  Result<TypeId> type_at(uint32_t i, size_t off);
  Result<TypeId> func_at(uint32_t i, size_t off);
  Result<TypeId> instance_at(uint32_t i, size_t off);
  Result<TypeId> component_at(uint32_t i, size_t off);
  Result<TypeId> module_at(uint32_t i, size_t off);
  Result<TypeId> value_at(uint32_t i, size_t off);
  Result<CoreFuncType> core_func_at(uint32_t i, size_t off);
  Result<const CoreInstanceType*> core_instance_at(uint32_t i, size_t off);
  Result<CoreEntity> core_memory_at(uint32_t i, size_t off);

  Result<Entity> entity_of_desc(const ExternDesc& d);
  Result<Entity> sort_entity(Sort sort, uint32_t index, size_t off, bool for_export);
  TypeId freshen_instance(TypeId t, std::vector<ResourceId>* added);
  void push_entity(Entity& e, int extern_kind);  // 0 alias/none, 1 import, 2 export
  bool named_valtype(TypeId id, const std::unordered_set<TypeId>& set);
  bool all_named(TypeId id, const std::unordered_set<TypeId>& set);
  bool register_named(const Entity& e, bool is_import);
  Result<void> check_name(const ExternName& en, const Entity& e, bool is_import, NameCx& cx,
                          std::set<std::string>& keys, std::vector<NamedEntity>& items, size_t off);
  Result<void> add_extern(const ExternName& name, Entity e, bool is_import, size_t off);
  Result<void> alias(const Alias& a);
  Result<void> core_instance(const CoreInstance& ci);
  Result<void> instance(const Instance& in);
  Result<TypeId> finish_scope();
  Result<TypeId> decls_type(const std::vector<TypeDecl>& decls, bool component);
  Result<TypeId> defined(const DefinedType& d, size_t off);
  Result<TypeId> module_type(const CoreTypeDef& t);
  Result<std::vector<FlatType>> lower_sig(TypeId func, bool lift, const struct CanonOpts& o, size_t off,
                                          std::vector<FlatType>* results);

  TypeStore& s_;
  const ValidateOptions& options_;
  std::vector<Scope> scopes_;
};

}  // namespace airwasm::component::detail
