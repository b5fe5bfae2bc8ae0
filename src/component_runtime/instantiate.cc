// component runtime: instantiation. A component with a flat plan (plan.hh, made by Component::compile)
// is instantiated by executing it (plan.cc). The definition walk here is the fallback for the shapes the
// plan does not express (a root import of a core module or component, a root export of a component
// definition) and the reference the plan agrees with: it walks the definitions of a component (and,
// recursively, of every component it instantiates) in binary order, filling one Scope of run-time index
// spaces per component: core modules are instantiated with positional imports, canonical functions become
// component functions (lift) or core host functions (lower, resource.*), resource type definitions become
// run-time resource types. Every index space grows exactly where the validator's does, so the recorded
// static types (ValidationRecord) line up with the run-time entries by index.
#include "component_runtime/internal.hh"

namespace airwasm::component::rt {

namespace {

std::unexpected<Error> unlinkable(std::string m) {
  return make_error(ErrorKind::kUnlinkable, std::move(m));
}
std::unexpected<Error> unsupported(std::string m) {
  return make_error(ErrorKind::kUnsupported, std::move(m));
}

const interp::FuncInst* func_inst(Store& store, const Extern& e) {
  return store.impl().funcs[e.index()].get();
}

class Instantiator {
 public:
  Instantiator(Store& store) : store_(store), cs_(ComponentStore::of(store)) {}

  // Instantiates `c` (defined in `outer`) with `args` (one per import, in import order).
  Result<std::shared_ptr<Scope>> run(std::shared_ptr<const ComponentImpl> owner, const ast::Component* c,
                                     std::shared_ptr<Scope> outer, std::vector<Item> args,
                                     std::unordered_map<ResourceId, ResourceType> imported_resources,
                                     uint32_t parent_instance);

  // Turns a Linker definition into the Item an import of static type `entity` expects.
  Result<Item> from_linker(const std::shared_ptr<const ComponentImpl>& owner, const LinkerNode& node,
                           const Entity& entity, const std::string& path,
                           std::unordered_map<ResourceId, ResourceType>& resources);

 private:
  Result<void> core_instance(Scope& sc, const ast::CoreInstance& ci);
  Result<void> instance(Scope& sc, const ast::Instance& in);
  Result<void> alias(Scope& sc, const ast::Alias& a);
  Result<void> canon(Scope& sc, const ast::Canon& c);
  Result<void> builtin(Scope& sc, const ast::Canon& c);
  Result<void> type_def(Scope& sc, const ast::TypeDef& t);
  Result<Item> sort_item(Scope& sc, ast::Sort sort, uint32_t index);
  void push(Scope& sc, const Item& item);
  Result<Options> options(Scope& sc, const std::vector<ast::CanonOpt>& opts);

  Store& store_;
  ComponentStore& cs_;
};

void Instantiator::push(Scope& sc, const Item& item) {
  sc.push(item);
}

Result<Item> Instantiator::sort_item(Scope& sc, ast::Sort sort, uint32_t index) {
  return sc.at(sort, index, [] {
    return unsupported(std::string("component model `value`s and core sorts cannot be passed here"));
  });
}

Result<Options> Instantiator::options(Scope& sc, const std::vector<ast::CanonOpt>& opts) {
  return read_canon_options<Options>(
      opts, [&](uint32_t i) { return store_.impl().memories[sc.core_memories.at(i).index()].get(); },
      [&](uint32_t i) { return func_inst(store_, sc.core_funcs.at(i)); });
}

Result<void> Instantiator::core_instance(Scope& sc, const ast::CoreInstance& ci) {
  CoreInstanceVal out;
  if (ci.instantiate) {
    if (ci.module >= sc.core_modules.size())
      return make_error(ErrorKind::kInvalid, "module index out of bounds");
    const Module& module = sc.core_modules[ci.module];
    if (!module.shared_impl())
      return unsupported("core module uses WebAssembly features beyond 2.0 that airwasm cannot run");
    std::vector<Extern> imports;
    const wasm::Module& wm = *module.impl().module;
    imports.reserve(wm.imports.size());
    for (const wasm::Import& imp : wm.imports) {
      const CoreInstanceVal* from = nullptr;
      for (const ast::CoreInstantiateArg& a : ci.args)
        if (a.name == imp.module) from = &sc.core_instances.at(a.instance);
      if (!from) return unlinkable("missing module instantiation argument named `" + imp.module + "`");
      std::optional<Extern> e = from->find(store_, imp.name);
      if (!e)
        return unlinkable("module instantiation argument `" + imp.module + "` has no export `" + imp.name +
                          "`");
      imports.push_back(*e);
    }
    AIRWASM_TRY_ASSIGN(airwasm::Instance inst, airwasm::Instance::create(store_, module, imports));
    out.instance = inst;
  } else {
    for (const ast::CoreInlineExport& ex : ci.exports) {
      std::vector<Extern>* space = sc.core_space(ex.sort);
      if (!space) return unsupported("core instance export of an unexpected sort");
      out.exports.emplace_back(ex.name, space->at(ex.index));
    }
  }
  sc.core_instances.push_back(std::move(out));
  return {};
}

Result<void> Instantiator::instance(Scope& sc, const ast::Instance& in) {
  auto inst = std::make_shared<InstanceVal>();
  if (!in.instantiate) {
    for (const ast::InlineExport& ex : in.exports) {
      AIRWASM_TRY_ASSIGN(Item it, sort_item(sc, ex.sort, ex.index));
      inst->exports.emplace_back(ex.name.name, std::move(it));
    }
  } else {
    const Item& comp_item = sc.components.at(in.component);
    const ComponentVal& comp = *comp_item.component;
    // Arguments by name, in the callee's import order.
    std::vector<Item> args;
    for (const ast::Item& item : comp.ast->items) {
      if (item.kind != ast::Item::Kind::kImport) continue;
      const ast::Import& imp = comp.ast->imports[item.index];
      const ast::InstantiateArg* found = nullptr;
      for (const ast::InstantiateArg& a : in.args)
        if (a.name == imp.name.name) found = &a;
      if (!found) return unlinkable("missing instantiation argument named `" + imp.name.name + "`");
      AIRWASM_TRY_ASSIGN(Item it, sort_item(sc, found->sort, found->index));
      args.push_back(std::move(it));
    }
    const InstantiationRecord& rec = sc.owner->record.instantiations.at(&in);
    std::unordered_map<ResourceId, ResourceType> bound;
    for (auto& [theirs, ours] : rec.imported) {
      auto it = sc.resources.find(ours);
      if (it != sc.resources.end()) bound[theirs] = it->second;
    }
    std::shared_ptr<Scope> outer = comp.outer.lock();
    if (!outer)
      return unsupported("a component definition can only be instantiated while its parent is instantiated");
    AIRWASM_TRY_ASSIGN(auto child,
                       run(comp.owner, comp.ast, outer, std::move(args), std::move(bound), sc.instance));
    sc.children.push_back(child);
    for (auto& [theirs, fresh] : rec.defined) {
      auto it = child->resources.find(theirs);
      if (it != child->resources.end()) sc.resources[fresh] = it->second;
    }
    inst->exports = child->exports;
  }
  Item it;
  it.kind = Item::Kind::kInstance;
  it.instance = std::move(inst);
  sc.instances.push_back(std::move(it));
  return {};
}

Result<void> Instantiator::alias(Scope& sc, const ast::Alias& a) {
  switch (a.target) {
    case ast::Alias::Target::kExport: {
      const Item& inst = sc.instances.at(a.instance);
      const Item* found = inst.instance->find(a.name);
      if (!found) return unlinkable("instance has no export named `" + a.name + "`");
      push(sc, *found);
      return {};
    }
    case ast::Alias::Target::kCoreExport: {
      std::optional<Extern> e = sc.core_instances.at(a.instance).find(store_, a.name);
      if (!e) return unlinkable("core instance has no export named `" + a.name + "`");
      std::vector<Extern>* space = sc.core_space(a.sort);
      if (!space) return unsupported("core alias of an unexpected sort");
      space->push_back(*e);
      return {};
    }
    case ast::Alias::Target::kOuter: {
      std::shared_ptr<Scope> hold;  // keeps each enclosing scope alive while it is looked at
      Scope* target = &sc;
      for (uint32_t i = 0; i < a.count; ++i) {
        hold = target->outer.lock();
        if (!hold) return make_error(ErrorKind::kInvalid, "invalid outer alias count");
        target = hold.get();
      }
      sc.alias_outer(*target, a.sort, a.index);
      return {};
    }
  }
  return {};
}

Result<void> Instantiator::type_def(Scope& sc, const ast::TypeDef& t) {
  Item it;
  it.kind = Item::Kind::kType;
  const size_t index = sc.types.size();
  it.type = sc.record->types.at(index);
  if (t.kind == ast::TypeDef::Kind::kResource) {
    ResourceTypeRec rec;
    rec.instance = sc.instance;
    if (t.dtor) rec.dtor = func_inst(store_, sc.core_funcs.at(*t.dtor));
    cs_.resource_types.push_back(rec);
    ResourceType rt = ResourceType::guest(cs_.resource_types.size() - 1);
    const TypeStore& ts = sc.owner->types();
    sc.resources[ts.canon(it.type).aux] = rt;
    it.resource = rt;
  }
  sc.types.push_back(std::move(it));
  return {};
}

Result<void> Instantiator::canon(Scope& sc, const ast::Canon& c) {
  const TypeStore& ts = sc.owner->types();
  const auto& resources = sc.shared_resources();
  auto resource_of = [&](uint32_t type_index) -> Result<ResourceType> {
    TypeId t = sc.record->types.at(type_index);
    auto it = sc.resources.find(ts.canon(t).aux);
    if (it == sc.resources.end()) return unsupported("resource type without a run-time definition");
    return it->second;
  };
  auto rep_type = [&](uint32_t type_index) -> ValType {
    TypeId t = sc.record->types.at(type_index);
    const ResourceInfo& info = ts.resource(ts.canon(t).aux);
    return info.rep && info.rep->kind == 0x7e ? ValType::kI64 : ValType::kI32;
  };
  switch (c.op) {
    case ast::Canon::kLift: {
      AIRWASM_TRY_ASSIGN(Options o, options(sc, c.opts));
      FuncRec f;
      f.kind = FuncRec::Kind::kLifted;
      f.owner = sc.owner;
      f.type = sc.record->types.at(c.type);
      f.func_node = ts.strip(f.type);
      f.core = func_inst(store_, sc.core_funcs.at(c.func));
      f.options = o;
      f.async_lift = o.async;
      f.async_callback = o.callback;
      f.instance = sc.instance;
      f.resources = resources;
      cs_.funcs.push_back(std::move(f));
      Item it;
      it.kind = Item::Kind::kFunc;
      it.func = uint32_t(cs_.funcs.size() - 1);
      sc.funcs.push_back(std::move(it));
      return {};
    }
    case ast::Canon::kLower: {
      AIRWASM_TRY_ASSIGN(Options o, options(sc, c.opts));
      const Item& callee = sc.funcs.at(c.func);
      AIRWASM_TRY_ASSIGN(Extern e, make_lowered(store_, callee.func, sc.owner, sc.record->funcs.at(c.func), o,
                                                sc.instance, resources));
      sc.core_funcs.push_back(e);
      return {};
    }
    case ast::Canon::kResourceNew: {
      AIRWASM_TRY_ASSIGN(ResourceType rt, resource_of(c.type));
      sc.core_funcs.push_back(make_resource_new(store_, sc.instance, rt, rep_type(c.type)));
      return {};
    }
    case ast::Canon::kResourceRep: {
      AIRWASM_TRY_ASSIGN(ResourceType rt, resource_of(c.type));
      sc.core_funcs.push_back(make_resource_rep(store_, sc.instance, rt, rep_type(c.type)));
      return {};
    }
    case ast::Canon::kResourceDrop: {
      AIRWASM_TRY_ASSIGN(ResourceType rt, resource_of(c.type));
      sc.core_funcs.push_back(make_resource_drop(store_, sc.instance, rt));
      return {};
    }
    case 0x09: {  // task.return
      AIRWASM_TRY_ASSIGN(Options o, options(sc, c.opts));
      std::optional<TypeId> result;
      if (c.result)
        result = c.result->is_prim ? ts.prim(c.result->prim) : sc.record->types.at(c.result->index);
      sc.core_funcs.push_back(make_task_return(store_, sc.instance, sc.owner, result, o, resources));
      return {};
    }
    case 0x24:
    case 0x25:  // backpressure.inc / backpressure.dec: nothing waits on it in a sync-only runtime
      sc.core_funcs.push_back(make_backpressure(store_, sc.instance, c.op == 0x24 ? 1 : -1));
      return {};
    case 0x0a:
    case 0x0b:  // context.get / context.set
      sc.core_funcs.push_back(make_context_access(store_, sc.instance, c.op == 0x0b, c.extra));
      return {};
    default:
      return builtin(sc, c);
  }
}

// The async and thread built-ins: present (so that components using them instantiate), but trapping.
Result<void> Instantiator::builtin(Scope& sc, const ast::Canon& c) {
  const CoreFuncType& ct = sc.record->core_funcs.at(sc.core_funcs.size());
  FuncType ft;
  auto vt = [](const CoreValType& v) { return ValType(v.kind); };
  for (auto& p : ct.params) ft.params.push_back(vt(p));
  for (auto& r : ct.results) ft.results.push_back(vt(r));
  sc.core_funcs.push_back(make_unsupported_builtin(store_, sc.instance, std::move(ft), canon_name(c.op)));
  return {};
}

Result<std::shared_ptr<Scope>> Instantiator::run(
    std::shared_ptr<const ComponentImpl> owner, const ast::Component* c, std::shared_ptr<Scope> outer,
    std::vector<Item> args, std::unordered_map<ResourceId, ResourceType> imported_resources,
    uint32_t parent_instance) {
  auto sc = std::make_shared<Scope>();
  sc->owner = owner;
  sc->ast = c;
  sc->record = &owner->record.scopes.at(c);
  sc->outer = std::move(outer);
  sc->resources = std::move(imported_resources);
  ComponentInstanceRec rec;
  rec.owner = owner;
  rec.parent = parent_instance;
  cs_.instances.push_back(std::move(rec));
  sc->instance = uint32_t(cs_.instances.size() - 1);
  // A component definition points back to the scope it is defined in (`outer`, for outer aliases) while
  // the scope holds the definition: a shared_ptr cycle that leaked every scope with a nested component
  // (the preview1 adapter's components have one). Definitions are only used during this walk (nested
  // instantiations happen inside it), so the list is dropped when the walk ends, successful or not.
  struct DropDefinitions {
    Scope& scope;
    ~DropDefinitions() { scope.components.clear(); }
  } drop_definitions{*sc};

  size_t next_arg = 0;
  for (const ast::Item& item : c->items) {
    switch (item.kind) {
      case ast::Item::Kind::kCoreModule: {
        auto it = owner->modules.find(&c->modules[item.index]);
        sc->core_modules.push_back(it != owner->modules.end() ? it->second : Module(nullptr));
        break;
      }
      case ast::Item::Kind::kCoreInstance:
        AIRWASM_TRY(core_instance(*sc, c->core_instances[item.index]));
        break;
      case ast::Item::Kind::kCoreType:
        break;
      case ast::Item::Kind::kComponent: {
        Item it;
        it.kind = Item::Kind::kComponent;
        it.component =
            std::make_shared<ComponentVal>(ComponentVal{c->components[item.index].get(), sc, owner});
        sc->components.push_back(std::move(it));
        break;
      }
      case ast::Item::Kind::kInstance:
        AIRWASM_TRY(instance(*sc, c->instances[item.index]));
        break;
      case ast::Item::Kind::kAlias:
        AIRWASM_TRY(alias(*sc, c->aliases[item.index]));
        break;
      case ast::Item::Kind::kType:
        AIRWASM_TRY(type_def(*sc, c->types[item.index]));
        break;
      case ast::Item::Kind::kCanon:
        AIRWASM_TRY(canon(*sc, c->canons[item.index]));
        break;
      case ast::Item::Kind::kImport: {
        if (next_arg >= args.size()) return unlinkable("missing import");
        Item it = std::move(args[next_arg++]);
        // A type import stands for the type given; the static type stays the importer's own.
        if (it.kind == Item::Kind::kType) it.type = sc->record->types.at(sc->types.size());
        push(*sc, it);
        break;
      }
      case ast::Item::Kind::kExport: {
        const ast::Export& ex = c->exports[item.index];
        AIRWASM_TRY_ASSIGN(Item it, sort_item(*sc, ex.sort, ex.index));
        push(*sc, it);
        sc->exports.emplace_back(ex.name.name, std::move(it));
        break;
      }
      case ast::Item::Kind::kStart:
      case ast::Item::Kind::kValue:
        return unsupported("component model `value`s are not supported");
    }
  }
  return sc;
}

// The run-time resource types of an import's type, bound from the Linker by export name.
Result<void> bind_resources(ComponentStore& cs, const TypeStore& ts, const LinkerNode& node,
                            TypeId instance_type, std::unordered_map<ResourceId, ResourceType>& resources) {
  for (const NamedEntity& e : ts.instance(instance_type).exports) {
    if (e.entity.kind == Entity::Kind::kType && ts.canon(e.entity.type).kind == TypeKind::kResource) {
      auto it = node.children.find(e.name);
      if (it != node.children.end() && it->second->kind == LinkerNode::Kind::kResource) {
        resources[ts.canon(e.entity.type).aux] = it->second->resource;
        if (it->second->dtor) cs.host_dtors[it->second->resource.id()] = *it->second->dtor;
      }
      if (it != node.children.end() && it->second->kind == LinkerNode::Kind::kItem &&
          it->second->item.resource)
        resources[ts.canon(e.entity.type).aux] = *it->second->item.resource;
    }
  }
  return {};
}

}  // namespace

Result<Item> Instantiator::from_linker(const std::shared_ptr<const ComponentImpl>& owner,
                                       const LinkerNode& node, const Entity& entity, const std::string& path,
                                       std::unordered_map<ResourceId, ResourceType>& resources) {
  const TypeStore& ts = owner->types();
  if (node.kind == LinkerNode::Kind::kItem) {
    if (node.store_id != store_.id())
      return make_error(ErrorKind::kUsage, "`" + path + "` belongs to another store");
    if (entity.kind == Entity::Kind::kInstance)
      AIRWASM_TRY(bind_resources(cs_, ts, node, entity.type, resources));
    return node.item;
  }
  switch (entity.kind) {
    case Entity::Kind::kFunc: {
      if (node.kind != LinkerNode::Kind::kFunc) return unlinkable("`" + path + "` is not a function");
      FuncRec f;
      f.kind = FuncRec::Kind::kHost;
      f.owner = owner;
      f.type = entity.type;
      f.host = node.func;
      f.typed = node.typed;
      cs_.funcs.push_back(std::move(f));
      Item it;
      it.kind = Item::Kind::kFunc;
      it.func = uint32_t(cs_.funcs.size() - 1);
      return it;
    }
    case Entity::Kind::kInstance: {
      if (node.kind != LinkerNode::Kind::kInstance) return unlinkable("`" + path + "` is not an instance");
      auto inst = std::make_shared<InstanceVal>();
      AIRWASM_TRY(bind_resources(cs_, ts, node, entity.type, resources));
      for (const NamedEntity& e : ts.instance(entity.type).exports) {
        auto it = node.children.find(e.name);
        if (it == node.children.end() && e.entity.kind == Entity::Kind::kType &&
            ts.canon(e.entity.type).kind != TypeKind::kResource) {
          Item type_item;
          type_item.kind = Item::Kind::kType;
          type_item.type = e.entity.type;
          inst->exports.emplace_back(e.name, std::move(type_item));
          continue;
        }
        if (it == node.children.end())
          return unlinkable("import `" + path + "` has no export `" + e.name + "`");
        AIRWASM_TRY_ASSIGN(Item sub,
                           from_linker(owner, *it->second, e.entity, path + "#" + e.name, resources));
        inst->exports.emplace_back(e.name, std::move(sub));
      }
      Item it;
      it.kind = Item::Kind::kInstance;
      it.instance = std::move(inst);
      return it;
    }
    case Entity::Kind::kType: {
      Item it;
      it.kind = Item::Kind::kType;
      it.type = entity.type;
      if (ts.canon(entity.type).kind == TypeKind::kResource) {
        if (node.kind != LinkerNode::Kind::kResource)
          return unlinkable("`" + path + "` is not a resource type");
        resources[ts.canon(entity.type).aux] = node.resource;
        if (node.dtor) cs_.host_dtors[node.resource.id()] = *node.dtor;
        it.resource = node.resource;
      }
      return it;
    }
    default:
      return unsupported("importing a " + std::string(entity_kind_name(entity.kind)) + " from the host");
  }
}

std::optional<Extern> CoreInstanceVal::find(const Store& store, std::string_view name) const {
  if (instance) return instance->get_export(store, name);
  for (auto& [n, e] : exports)
    if (n == name) return e;
  return std::nullopt;
}

const Item* InstanceVal::find(std::string_view name) const {
  for (auto& [n, it] : exports)
    if (n == name) return &it;
  return nullptr;
}

Result<Instance> instantiate(Store& store, const InstancePreImpl& pre) {
  const ComponentImpl& owner = *pre.component;
  if (&owner.engine.impl() != &store.engine().impl())
    return make_error(ErrorKind::kUsage, "component and store belong to different engines");
  if (owner.plan) return execute_plan(store, pre);
  Instantiator inst(store);
  const TypeStore& ts = owner.types();
  const ComponentTypeInfo& type = ts.component(owner.validated.type);
  std::vector<Item> args;
  std::unordered_map<ResourceId, ResourceType> resources;
  for (size_t i = 0; i < type.imports.size(); ++i) {
    AIRWASM_TRY_ASSIGN(Item it, inst.from_linker(pre.component, *pre.imports[i], type.imports[i].entity,
                                                 type.imports[i].name, resources));
    args.push_back(std::move(it));
  }
  // Guest-side traps during instantiation (a start function) are reported as kUninstantiable.
  AIRWASM_TRY_ASSIGN(auto scope, inst.run(pre.component, owner.ast.get(), nullptr, std::move(args),
                                          std::move(resources), ~uint32_t{0}));
  ComponentStore& cs = ComponentStore::of(store);
  cs.instances[scope->instance].scope = scope;
  return Instance(store.id(), scope->instance);
}

}  // namespace airwasm::component::rt
