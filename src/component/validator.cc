// component: the validator (see validator.hh). One Scope per component / component type / instance type
// being validated; outer aliases look up the scope stack. Type definitions are in validator_types.cc.
#include "component/validator_internal.hh"

#include "component/core_module.hh"
#include "component/reader.hh"

namespace airwasm::component::detail {

std::unexpected<Error> fail(std::string m, size_t off) {
  return base::invalid(std::move(m), off);
}

static std::string idx_oob(const char* what, uint32_t i) {
  return std::string("unknown ") + what + " " + std::to_string(i) + ": " + what + " index out of bounds";
}

Result<TypeId> Validator::type_at(uint32_t i, size_t off) {
  if (i >= cur().types.size()) return fail(idx_oob("type", i), off);
  return cur().types[i];
}
Result<TypeId> Validator::func_at(uint32_t i, size_t off) {
  if (i >= cur().funcs.size()) return fail(idx_oob("function", i), off);
  return cur().funcs[i];
}
Result<TypeId> Validator::instance_at(uint32_t i, size_t off) {
  if (i >= cur().instances.size()) return fail(idx_oob("instance", i), off);
  return cur().instances[i];
}
Result<TypeId> Validator::component_at(uint32_t i, size_t off) {
  if (i >= cur().components.size()) return fail(idx_oob("component", i), off);
  return cur().components[i];
}
Result<TypeId> Validator::module_at(uint32_t i, size_t off) {
  if (i >= cur().core_modules.size()) return fail(idx_oob("module", i), off);
  return cur().core_modules[i];
}
Result<CoreFuncType> Validator::core_func_at(uint32_t i, size_t off) {
  if (i >= cur().core_funcs.size()) return fail(idx_oob("function", i), off);
  return cur().core_funcs[i];
}
Result<const CoreInstanceType*> Validator::core_instance_at(uint32_t i, size_t off) {
  if (i >= cur().core_instances.size()) return fail(idx_oob("core instance", i), off);
  return &cur().core_instances[i];
}
Result<CoreEntity> Validator::core_memory_at(uint32_t i, size_t off) {
  if (i >= cur().core_memories.size()) return fail(idx_oob("memory", i), off);
  return cur().core_memories[i];
}
Result<TypeId> Validator::value_at(uint32_t i, size_t off) {
  if (i >= cur().values.size()) return fail(idx_oob("value", i), off);
  if (cur().values[i].second)
    return fail("value " + std::to_string(i) + " cannot be used more than once", off);
  cur().values[i].second = true;
  return cur().values[i].first;
}

// ---- entities, names, imports and exports ----

Result<Entity> Validator::entity_of_desc(const ExternDesc& d) {
  Entity e;
  size_t off = d.offset;
  switch (d.kind) {
    case ExternDesc::Kind::kModule: {
      if (d.index >= cur().core_types.size()) return fail(idx_oob("type", d.index), off);
      auto& slot = cur().core_types[d.index];
      if (!slot.is_module)
        return fail("core type index " + std::to_string(d.index) + " is not a module type", off);
      e.kind = Entity::Kind::kModule;
      e.type = slot.module;
      return e;
    }
    case ExternDesc::Kind::kFunc: {
      AIRWASM_TRY_ASSIGN(TypeId t, type_at(d.index, off));
      if (s_.canon(t).kind != TypeKind::kFunc)
        return fail("type index " + std::to_string(d.index) + " is not a function type", off);
      e.kind = Entity::Kind::kFunc;
      e.type = t;
      return e;
    }
    case ExternDesc::Kind::kValue: {
      e.kind = Entity::Kind::kValue;
      if (d.value_eq) {
        AIRWASM_SET(e.type, value_at(d.index, off));
      } else {
        AIRWASM_SET(e.type, valtype(d.value_type, off));
      }
      return e;
    }
    case ExternDesc::Kind::kType: {
      e.kind = Entity::Kind::kType;
      if (d.sub_resource) {
        ResourceId r = s_.new_resource();
        e.type = e.referenced = s_.resource_type(r);
      } else {
        AIRWASM_TRY_ASSIGN(TypeId t, type_at(d.index, off));
        e.referenced = t;
        e.type = s_.alias(t);
      }
      return e;
    }
    case ExternDesc::Kind::kInstance: {
      AIRWASM_TRY_ASSIGN(TypeId t, type_at(d.index, off));
      if (s_.canon(t).kind != TypeKind::kInstance)
        return fail("type index " + std::to_string(d.index) + " is not an instance type", off);
      e.kind = Entity::Kind::kInstance;
      e.type = t;
      return e;
    }
    case ExternDesc::Kind::kComponent: {
      AIRWASM_TRY_ASSIGN(TypeId t, type_at(d.index, off));
      if (s_.canon(t).kind != TypeKind::kComponent)
        return fail("type index " + std::to_string(d.index) + " is not a component type", off);
      e.kind = Entity::Kind::kComponent;
      e.type = t;
      return e;
    }
  }
  return e;
}

// Freshens the abstract resources an instance type defines (each import / export gets its own).
TypeId Validator::freshen_instance(TypeId t, std::vector<ResourceId>* added) {
  const auto& info = s_.instance(t);
  if (info.defined_resources.empty()) return t;
  ResourceMap map;
  for (ResourceId r : info.defined_resources) {
    ResourceId n = s_.new_resource();
    map[r] = n;
    if (added) added->push_back(n);
  }
  std::unordered_map<TypeId, TypeId> memo;
  InstanceTypeInfo copy = s_.instance(t);
  for (auto& e : copy.exports) e.entity = s_.remap(e.entity, map, memo);
  copy.defined_resources.clear();
  return s_.add_instance(std::move(copy));
}

void Validator::push_entity(Entity& e, int extern_kind) {
  Scope& sc = cur();
  switch (e.kind) {
    case Entity::Kind::kModule:
      sc.core_modules.push_back(e.type);
      break;
    case Entity::Kind::kComponent:
      sc.components.push_back(e.type);
      break;
    case Entity::Kind::kFunc:
      sc.funcs.push_back(e.type);
      break;
    case Entity::Kind::kValue:
      sc.values.push_back({e.type, extern_kind == 2});
      break;
    case Entity::Kind::kInstance:
      if (extern_kind == 1) {
        e.type = freshen_instance(e.type, &sc.imported_resources);
      } else if (extern_kind == 2) {
        std::vector<ResourceId> added;
        e.type = freshen_instance(e.type, &added);
        for (auto r : added) sc.defined_resources.push_back(r);
      }
      sc.instances.push_back(e.type);
      break;
    case Entity::Kind::kType: {
      sc.types.push_back(e.type);
      const TypeNode& n = s_.node(e.type);
      if (n.kind == TypeKind::kResource && e.type == e.referenced) {
        if (extern_kind == 1) sc.imported_resources.push_back(n.aux);
        if (extern_kind == 2) sc.defined_resources.push_back(n.aux);
      }
      break;
    }
  }
}

bool Validator::named_valtype(TypeId id, const std::unordered_set<TypeId>& set) {
  const TypeNode& n = s_.node(s_.strip(id));
  switch (n.kind) {
    case TypeKind::kPrim:
      return true;
    case TypeKind::kFlags:
    case TypeKind::kEnum:
    case TypeKind::kRecord:
    case TypeKind::kVariant:
      return set.count(id) > 0;
    case TypeKind::kOwn:
    case TypeKind::kBorrow:
      return set.count(n.children[0]) > 0;
    default:
      for (TypeId c : n.children) {
        if (c != kNoType && !named_valtype(c, set)) return false;
      }
      return true;
  }
}

bool Validator::all_named(TypeId id, const std::unordered_set<TypeId>& set) {
  const TypeNode& n = s_.node(s_.strip(id));
  switch (n.kind) {
    case TypeKind::kResource:
    case TypeKind::kComponent:
    case TypeKind::kModule:
    case TypeKind::kPrim:
    case TypeKind::kFlags:
    case TypeKind::kEnum:
      return true;
    case TypeKind::kOwn:
    case TypeKind::kBorrow:
      return set.count(n.children[0]) > 0;
    case TypeKind::kFunc:
      for (TypeId c : n.children) {
        if (c != kNoType && !named_valtype(c, set)) return false;
      }
      return true;
    case TypeKind::kInstance:
      for (auto& e : s_.instance(id).exports) {
        switch (e.entity.kind) {
          case Entity::Kind::kFunc:
            if (!all_named(e.entity.type, set)) return false;
            break;
          case Entity::Kind::kType:
            if (!all_named(e.entity.type, set)) return false;
            break;
          case Entity::Kind::kValue:
            if (!named_valtype(e.entity.type, set)) return false;
            break;
          case Entity::Kind::kInstance:
            if (!all_named(e.entity.type, set)) return false;
            break;
          default:
            break;
        }
      }
      return true;
    default:
      for (TypeId c : n.children) {
        if (c != kNoType && !named_valtype(c, set)) return false;
      }
      return true;
  }
}

bool Validator::register_named(const Entity& e, bool is_import) {
  Scope& sc = cur();
  if (sc.kind == ScopeKind::kInstanceType) return true;
  auto& set = is_import ? sc.imported_types : sc.exported_types;
  switch (e.kind) {
    case Entity::Kind::kType:
      if (!all_named(e.referenced, set)) return false;
      if (is_import) sc.imported_types.insert(e.type);
      sc.exported_types.insert(e.type);
      return true;
    case Entity::Kind::kInstance: {
      for (auto& x : s_.instance(e.type).exports) {
        if (!register_named(x.entity, is_import)) return false;
      }
      return true;
    }
    case Entity::Kind::kFunc:
      return all_named(e.type, set);
    case Entity::Kind::kValue:
      return named_valtype(e.type, set);
    default:
      return true;
  }
}

Result<void> Validator::check_name(const ExternName& en, const Entity& e, bool is_import, NameCx& cx,
                                   std::set<std::string>& keys, std::vector<NamedEntity>& items, size_t off) {
  const char* kind = is_import ? "import" : "export";
  auto parsed_r = parse_extern_name(en.name, off);
  if (!parsed_r) {
    return fail(
        std::string(kind) + " name `" + en.name + "` is not a valid extern name: " + parsed_r.error().message,
        off);
  }
  ParsedName& pn = *parsed_r;
  using NK = ParsedName::Kind;
  if (!is_import && (pn.kind == NK::kHash || pn.kind == NK::kUrl || pn.kind == NK::kDependency)) {
    return fail("name `" + en.name + "` is not a valid export name", off);
  }
  if (en.implements) {
    if (pn.kind != NK::kLabel) return fail("name `" + en.name + "` is not valid with `implements`", off);
    if (e.kind != Entity::Kind::kInstance) return fail("only instances can have an `implements`", off);
    auto ip = parse_extern_name(*en.implements, off);
    if (!ip) return fail("`" + *en.implements + "` is not a valid name: " + ip.error().message, off);
    if (ip->kind != NK::kInterface) return fail("name `" + *en.implements + "` must be an interface", off);
  }
  if (en.version_suffix && e.kind != Entity::Kind::kInstance) {
    return fail("only instances can have an `versionsuffix`", off);
  }
  // Annotated names.
  auto in_ctx = [&](Result<void> r) -> Result<void> {
    if (r) return r;
    Error err = r.error();
    err.message = std::string(kind) + " name `" + en.name + "` is not valid: " + err.message;
    return std::unexpected(err);
  };
  auto func_node = [&]() -> Result<const TypeNode*> {
    if (e.kind != Entity::Kind::kFunc) return fail("item is not a func", off);
    return &s_.canon(e.type);
  };
  auto resource_name = [&](TypeId exact, const std::string& name) -> Result<void> {
    auto it = cx.resource_names.find(exact);
    if (it == cx.resource_names.end())
      return fail("resource used in function does not have a name in this context", off);
    if (it->second != name)
      return fail("function does not match expected resource name `" + it->second + "`", off);
    return {};
  };
  switch (pn.kind) {
    case NK::kInterface:
      if (pn.has_version) {
        std::string v = pn.version + (en.version_suffix ? *en.version_suffix : "");
        auto r = check_semver(v, off);
        if (!r) return fail("invalid interface version: " + r.error().message, off);
      }
      break;
    case NK::kConstructor:
      AIRWASM_TRY(in_ctx([&]() -> Result<void> {
        AIRWASM_TRY_ASSIGN(const TypeNode* f, func_node());
        const TypeNode& fn = s_.node(s_.strip(e.type));
        if (f->aux) return fail("constructor function cannot be async", off);
        TypeId res = fn.children.back();
        if (res == kNoType) return fail("function should return one value", off);
        const TypeNode& rn = s_.node(s_.strip(res));
        TypeId own = kNoType;
        if (rn.kind == TypeKind::kOwn) {
          own = rn.children[0];
        } else if (rn.kind == TypeKind::kResult && rn.children[0] != kNoType) {
          const TypeNode& ok = s_.node(s_.strip(rn.children[0]));
          if (ok.kind == TypeKind::kOwn) own = ok.children[0];
        }
        if (own == kNoType) return fail("function should return `(own $T)` or `(result (own $T))`", off);
        return resource_name(own, pn.resource);
      }()));
      break;
    case NK::kMethod:
      AIRWASM_TRY(in_ctx([&]() -> Result<void> {
        AIRWASM_TRY(func_node());
        const TypeNode& fn = s_.node(s_.strip(e.type));
        if (fn.labels.empty()) return fail("function should have at least one argument", off);
        if (fn.labels[0] != "self") return fail("function should have a first argument called `self`", off);
        const TypeNode& p0 = s_.node(s_.strip(fn.children[0]));
        if (p0.kind != TypeKind::kBorrow)
          return fail("function should take a first argument of `(borrow $T)`", off);
        return resource_name(p0.children[0], pn.resource);
      }()));
      break;
    case NK::kStatic:
      AIRWASM_TRY(in_ctx([&]() -> Result<void> {
        AIRWASM_TRY(func_node());
        if (!cx.all_names.count(pn.resource))
          return fail("static resource name is not known in this context", off);
        return {};
      }()));
      break;
    default:
      break;
  }
  std::string key = pn.unique_key();
  if (!keys.insert(key).second) {
    std::string prev;
    for (auto& it : items) {
      auto p = parse_extern_name(it.name, off);
      if (p && p->unique_key() == key) prev = it.name;
    }
    return fail(std::string(kind) + " name `" + en.name + "` conflicts with previous name `" + prev + "`",
                off);
  }
  NamedEntity ne;
  ne.name = en.name;
  ne.entity = e;
  ne.implements = en.implements;
  ne.version_suffix = en.version_suffix;
  ne.external_id = en.external_id;
  items.push_back(std::move(ne));
  return {};
}

Result<void> Validator::add_extern(const ExternName& name, Entity e, bool is_import, size_t off) {
  push_entity(e, is_import ? 1 : 2);
  if (!register_named(e, is_import)) {
    return fail(std::string(entity_kind_name(e.kind)) + " not valid to be used as " +
                    (is_import ? "import" : "export"),
                off);
  }
  Scope& sc = cur();
  NameCx& cx = is_import ? sc.imported_names : sc.exported_names;
  if (e.kind == Entity::Kind::kType && s_.canon(e.type).kind == TypeKind::kResource) {
    cx.resource_names[e.type] = name.name;
    cx.all_names.insert(name.name);
  }
  return check_name(name, e, is_import, cx, is_import ? sc.import_keys : sc.export_keys,
                    is_import ? sc.imports : sc.exports, off);
}

// ---- aliases ----

Result<void> Validator::alias(const Alias& a) {
  size_t off = a.offset;
  Scope& sc = cur();
  if (sc.kind != ScopeKind::kComponent) {
    bool ok = (a.target == Alias::Target::kExport && (a.sort == Sort::kType || a.sort == Sort::kInstance)) ||
              (a.target == Alias::Target::kOuter && (a.sort == Sort::kType || a.sort == Sort::kCoreType));
    if (!ok) return fail("aliases in a component or instance type may only refer to types or instances", off);
  }
  switch (a.target) {
    case Alias::Target::kExport: {
      AIRWASM_TRY_ASSIGN(TypeId it, instance_at(a.instance, off));
      const NamedEntity* ne = s_.instance(it).find(a.name);
      if (!ne)
        return fail("instance " + std::to_string(a.instance) + " has no export named `" + a.name + "`", off);
      Entity e = ne->entity;
      Entity::Kind want;
      switch (a.sort) {
        case Sort::kCoreModule:
          want = Entity::Kind::kModule;
          break;
        case Sort::kFunc:
          want = Entity::Kind::kFunc;
          break;
        case Sort::kValue:
          want = Entity::Kind::kValue;
          break;
        case Sort::kType:
          want = Entity::Kind::kType;
          break;
        case Sort::kComponent:
          want = Entity::Kind::kComponent;
          break;
        case Sort::kInstance:
          want = Entity::Kind::kInstance;
          break;
        default:
          return fail("invalid alias sort", off);
      }
      if (e.kind != want) {
        return fail("export `" + a.name + "` for instance " + std::to_string(a.instance) + " is not a " +
                        entity_kind_name(want),
                    off);
      }
      push_entity(e, 0);
      return {};
    }
    case Alias::Target::kCoreExport: {
      if (!is_core_sort(a.sort)) return fail("invalid core alias sort", off);
      AIRWASM_TRY_ASSIGN(const CoreInstanceType* ci, core_instance_at(a.instance, off));
      const CoreEntity* found = nullptr;
      for (auto& [n, ce] : *ci) {
        if (n == a.name) found = &ce;
      }
      if (!found)
        return fail("core instance " + std::to_string(a.instance) + " has no export named `" + a.name + "`",
                    off);
      static const char* kWhat[] = {"function", "table", "memory", "global", "tag"};
      uint8_t want = uint8_t(a.sort);
      if (want > 4) return fail("invalid core alias sort", off);
      if (found->kind != want) {
        return fail("export `" + a.name + "` for core instance " + std::to_string(a.instance) + " is not a " +
                        kWhat[want],
                    off);
      }
      switch (want) {
        case 0:
          sc.core_funcs.push_back(found->func);
          break;
        case 1:
          sc.core_tables.push_back(*found);
          break;
        case 2:
          sc.core_memories.push_back(*found);
          break;
        case 3:
          sc.core_globals.push_back(*found);
          break;
        case 4:
          sc.core_tags.push_back(*found);
          break;
      }
      return {};
    }
    case Alias::Target::kOuter: {
      if (a.count >= scopes_.size())
        return fail("invalid outer alias count of " + std::to_string(a.count), off);
      Scope& target = scopes_[scopes_.size() - 1 - a.count];
      switch (a.sort) {
        case Sort::kCoreModule:
          if (a.index >= target.core_modules.size()) return fail(idx_oob("module", a.index), off);
          sc.core_modules.push_back(target.core_modules[a.index]);
          return {};
        case Sort::kComponent:
          if (a.index >= target.components.size()) return fail(idx_oob("component", a.index), off);
          sc.components.push_back(target.components[a.index]);
          return {};
        case Sort::kCoreType:
          if (a.index >= target.core_types.size()) return fail(idx_oob("type", a.index), off);
          sc.core_types.push_back(target.core_types[a.index]);
          return {};
        case Sort::kType: {
          if (a.index >= target.types.size()) return fail(idx_oob("type", a.index), off);
          TypeId t = target.types[a.index];
          if (a.count > 0) {
            // Crossing a concrete component boundary: no free resources allowed.
            bool crosses = false;
            for (size_t i = scopes_.size() - a.count; i < scopes_.size(); ++i) {
              if (scopes_[i].kind == ScopeKind::kComponent) crosses = true;
            }
            if (crosses) {
              std::vector<ResourceId> free;
              std::vector<bool> seen;
              s_.free_resources(t, free, seen);
              if (!free.empty()) {
                return fail(
                    "cannot alias outer type which transitively refers to resources not defined in the "
                    "current component",
                    off);
              }
            }
          }
          sc.types.push_back(t);
          return {};
        }
        default:
          return fail("invalid outer alias sort", off);
      }
    }
  }
  return {};
}

// ---- instances ----

Result<void> Validator::core_instance(const CoreInstance& ci) {
  size_t off = ci.offset;
  CoreInstanceType out;
  if (ci.instantiate) {
    AIRWASM_TRY_ASSIGN(TypeId mt, module_at(ci.module, off));
    std::vector<std::pair<std::string, const CoreInstanceType*>> args;
    for (auto& a : ci.args) {
      AIRWASM_TRY_ASSIGN(const CoreInstanceType* it, core_instance_at(a.instance, off));
      for (auto& [n, _] : args) {
        if (n == a.name) return fail("duplicate module instantiation argument named `" + a.name + "`", off);
      }
      args.push_back({a.name, it});
    }
    const ModuleTypeInfo& m = s_.module(mt);
    for (auto& [k, expected] : m.imports) {
      const CoreInstanceType* inst = nullptr;
      for (auto& [n, it] : args) {
        if (n == k.first) inst = it;
      }
      if (!inst) return fail("missing module instantiation argument named `" + k.first + "`", off);
      const CoreEntity* found = nullptr;
      for (auto& [n, ce] : *inst) {
        if (n == k.second) found = &ce;
      }
      if (!found) {
        return fail("module instantiation argument `" + k.first + "` does not export an item named `" +
                        k.second + "`",
                    off);
      }
      auto r = SubtypeCx::core_entity(*found, expected, off);
      if (!r) {
        return fail("type mismatch for export `" + k.second + "` of module instantiation argument `" +
                        k.first + "`: " + r.error().message,
                    off);
      }
    }
    for (auto& [n, e] : m.exports) out.push_back({n, e});
  } else {
    for (auto& ex : ci.exports) {
      CoreEntity e;
      size_t i = ex.index;
      Scope& sc = cur();
      switch (ex.sort) {
        case Sort::kCoreFunc:
          if (i >= sc.core_funcs.size()) return fail(idx_oob("function", ex.index), off);
          e.kind = 0;
          e.func = sc.core_funcs[i];
          break;
        case Sort::kCoreTable:
          if (i >= sc.core_tables.size()) return fail(idx_oob("table", ex.index), off);
          e = sc.core_tables[i];
          break;
        case Sort::kCoreMemory:
          if (i >= sc.core_memories.size()) return fail(idx_oob("memory", ex.index), off);
          e = sc.core_memories[i];
          break;
        case Sort::kCoreGlobal:
          if (i >= sc.core_globals.size()) return fail(idx_oob("global", ex.index), off);
          e = sc.core_globals[i];
          break;
        case Sort::kCoreTag:
          if (i >= sc.core_tags.size()) return fail(idx_oob("tag", ex.index), off);
          e = sc.core_tags[i];
          break;
        default:
          return fail("invalid core instance export sort", off);
      }
      for (auto& [n, _] : out) {
        if (n == ex.name)
          return fail("duplicate instantiation export name `" + ex.name + "` already defined", off);
      }
      out.push_back({ex.name, e});
    }
  }
  cur().core_instances.push_back(std::move(out));
  return {};
}

Result<Entity> Validator::sort_entity(Sort sort, uint32_t index, size_t off, bool for_export) {
  Entity e;
  switch (sort) {
    case Sort::kCoreModule:
      e.kind = Entity::Kind::kModule;
      AIRWASM_SET(e.type, module_at(index, off));
      break;
    case Sort::kFunc:
      e.kind = Entity::Kind::kFunc;
      AIRWASM_SET(e.type, func_at(index, off));
      break;
    case Sort::kValue:
      e.kind = Entity::Kind::kValue;
      AIRWASM_SET(e.type, value_at(index, off));
      break;
    case Sort::kType: {
      e.kind = Entity::Kind::kType;
      AIRWASM_TRY_ASSIGN(TypeId t, type_at(index, off));
      e.referenced = t;
      e.type = for_export ? s_.alias(t) : t;
      break;
    }
    case Sort::kComponent:
      e.kind = Entity::Kind::kComponent;
      AIRWASM_SET(e.type, component_at(index, off));
      break;
    case Sort::kInstance:
      e.kind = Entity::Kind::kInstance;
      AIRWASM_SET(e.type, instance_at(index, off));
      break;
    default:
      return fail(std::string("core ") + sort_name(sort) + " cannot be used here", off);
  }
  return e;
}

Result<void> Validator::instance(const Instance& in) {
  size_t off = in.offset;
  if (in.instantiate) {
    AIRWASM_TRY_ASSIGN(TypeId ct, component_at(in.component, off));
    std::vector<NamedEntity> args;
    for (auto& a : in.args) {
      AIRWASM_TRY_ASSIGN(Entity e, sort_entity(a.sort, a.index, off, false));
      for (auto& x : args) {
        if (x.name == a.name) {
          return fail(
              "instantiation argument `" + a.name + "` conflicts with previous argument `" + x.name + "`",
              off);
        }
      }
      args.push_back(NamedEntity{a.name, e, {}, {}, {}});
    }
    const ComponentTypeInfo info = s_.component(ct);
    SubtypeCx cx(s_);
    cx.bindable(info.imported_resources);
    AIRWASM_TRY(cx.open(args, info.imports, "import", off));
    ResourceMap map = cx.map();
    for (ResourceId r : info.defined_resources) map[r] = s_.new_resource();
    std::unordered_map<TypeId, TypeId> memo;
    // Type imports are replaced by the types supplied for them (so their names carry over).
    for (auto& imp : info.imports) {
      if (imp.entity.kind != Entity::Kind::kType) continue;
      for (auto& a : args) {
        if (a.name == imp.name && a.entity.kind == Entity::Kind::kType &&
            s_.node(imp.entity.type).kind == TypeKind::kAlias) {
          memo[imp.entity.type] = a.entity.type;
        }
      }
    }
    InstanceTypeInfo out;
    for (auto& e : info.exports) {
      NamedEntity ne = e;
      ne.entity = s_.remap(e.entity, map, memo);
      out.exports.push_back(std::move(ne));
    }
    for (ResourceId r : info.defined_resources) cur().defined_resources.push_back(map[r]);
    if (options_.record) {
      InstantiationRecord& rec = options_.record->instantiations[&in];
      rec.imported = cx.map();
      for (ResourceId r : info.defined_resources) rec.defined.emplace_back(r, map[r]);
    }
    cur().instances.push_back(s_.add_instance(std::move(out)));
    return {};
  }
  InstanceTypeInfo out;
  std::set<std::string> keys;
  NameCx cx;
  for (auto& ex : in.exports) {
    AIRWASM_TRY_ASSIGN(Entity e, sort_entity(ex.sort, ex.index, off, false));
    AIRWASM_TRY(check_name(ex.name, e, false, cx, keys, out.exports, off));
  }
  cur().instances.push_back(s_.add_instance(std::move(out)));
  return {};
}

// ---- whole components ----

Result<TypeId> Validator::finish_scope() {
  Scope& sc = cur();
  ComponentTypeInfo info;
  info.imports = sc.imports;
  info.exports = sc.exports;
  info.imported_resources = sc.imported_resources;
  std::vector<ResourceId> free;
  std::vector<bool> seen;
  for (auto& e : info.exports) s_.free_resources(e.entity, free, seen);
  for (ResourceId r : free) {
    if (std::find(sc.imported_resources.begin(), sc.imported_resources.end(), r) ==
        sc.imported_resources.end()) {
      if (sc.kind == ScopeKind::kComponent ||
          std::find(sc.defined_resources.begin(), sc.defined_resources.end(), r) !=
              sc.defined_resources.end()) {
        info.defined_resources.push_back(r);
      }
    }
  }
  if (sc.kind == ScopeKind::kComponent) {
    for (auto& v : sc.values) {
      if (!v.second) return fail("value not used", Error::kNoOffset);
    }
  }
  return s_.add_component(std::move(info));
}

Result<TypeId> Validator::component(const Component& c) {
  if (scopes_.size() > 100) return fail("nesting too deep", c.offset);
  scopes_.emplace_back();
  cur().kind = ScopeKind::kComponent;
  for (const Item& item : c.items) {
    switch (item.kind) {
      case Item::Kind::kCoreModule: {
        const auto& m = c.modules[item.index];
        AIRWASM_TRY_ASSIGN(ModuleTypeInfo info, core_module_type(m.bytes, m.offset));
        if (!info.beyond_wasm2) {
          if (options_.compile_module) {
            AIRWASM_TRY(options_.compile_module(m));
          } else {
            AIRWASM_TRY(check_core_module(m.bytes, m.offset));
          }
        }
        cur().core_modules.push_back(s_.add_module(std::move(info)));
        break;
      }
      case Item::Kind::kCoreInstance:
        AIRWASM_TRY(core_instance(c.core_instances[item.index]));
        break;
      case Item::Kind::kCoreType:
        AIRWASM_TRY(core_type(c.core_types[item.index]));
        break;
      case Item::Kind::kComponent: {
        AIRWASM_TRY_ASSIGN(TypeId t, component(*c.components[item.index]));
        cur().components.push_back(t);
        break;
      }
      case Item::Kind::kInstance:
        AIRWASM_TRY(instance(c.instances[item.index]));
        break;
      case Item::Kind::kAlias:
        AIRWASM_TRY(alias(c.aliases[item.index]));
        break;
      case Item::Kind::kType:
        AIRWASM_TRY(type_def(c.types[item.index]));
        break;
      case Item::Kind::kCanon:
        AIRWASM_TRY(canon(c.canons[item.index]));
        break;
      case Item::Kind::kStart:
        return fail("support for component model `value`s is not enabled", c.starts[item.index].offset);
      case Item::Kind::kValue:
        return fail("support for component model `value`s is not enabled", c.values[item.index].offset);
      case Item::Kind::kImport: {
        const Import& im = c.imports[item.index];
        AIRWASM_TRY_ASSIGN(Entity e, entity_of_desc(im.desc));
        AIRWASM_TRY(add_extern(im.name, e, true, im.offset));
        break;
      }
      case Item::Kind::kExport: {
        const Export& ex = c.exports[item.index];
        AIRWASM_TRY_ASSIGN(Entity e, sort_entity(ex.sort, ex.index, ex.offset, true));
        if (ex.ascribed) {
          AIRWASM_TRY_ASSIGN(Entity want, entity_of_desc(*ex.ascribed));
          SubtypeCx cx(s_);
          auto r = cx.entity(e, want, ex.offset);
          if (!r)
            return fail("ascribed type of export is not compatible with item's type: " + r.error().message,
                        ex.offset);
          e = want;
        }
        AIRWASM_TRY(add_extern(ex.name, e, false, ex.offset));
        break;
      }
    }
  }
  AIRWASM_TRY_ASSIGN(TypeId t, finish_scope());
  if (options_.record) {
    const Scope& sc = cur();
    options_.record->scopes[&c] =
        ScopeRecord{sc.types, sc.funcs, sc.instances, sc.components, sc.core_modules, sc.core_funcs};
  }
  scopes_.pop_back();
  return t;
}

}  // namespace airwasm::component::detail

namespace airwasm::component {

using namespace ast;  // the front end works on the syntax throughout

Result<ValidatedComponent> validate_component(const ast::Component& component,
                                              const ValidateOptions& options) {
  ValidatedComponent out;
  out.store = std::make_unique<TypeStore>();
  detail::Validator v(*out.store, options);
  AIRWASM_SET(out.type, v.component(component));
  return out;
}

Result<ValidatedComponent> load_component(std::span<const uint8_t> bytes) {
  AIRWASM_TRY_ASSIGN(auto ast, read_component(bytes));
  return validate_component(*ast);
}

}  // namespace airwasm::component
