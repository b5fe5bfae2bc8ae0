// component runtime: the flat instantiation plan (plan.hh). translate_plan runs the definition walk of
// instantiate.cc once, at compile time, on static values: where the walk holds a run-time object (a
// core instance, an extern, a function record, a resource type), the translation holds the slot that a
// plan step will fill, and emits that step. Nested component instantiations are inlined (their steps
// run in the same list, with their own component instance slot); instance and component values, aliases,
// outer aliases and resource bindings exist only here. Imported instances give their functions lazily:
// only the imports a component really uses (lowers, re-exports, passes on) get a function record when it
// is instantiated. execute_plan runs the steps for one Store.
#include "component_runtime/plan.hh"

#include <deque>

#include "component_runtime/internal.hh"

namespace airwasm::component::rt {

namespace {

std::unexpected<Error> cannot_plan(std::string m) {
  return make_error(ErrorKind::kUnsupported, std::move(m));
}

// ---- static values of the index spaces (translation only) ----

struct SScope;
struct SInstance;
struct SComponent {
  const ast::Component* ast = nullptr;
  SScope* outer = nullptr;  // the translator owns every scope until it ends
};

struct SItem {
  Item::Kind kind = Item::Kind::kFunc;
  uint32_t func = kNoSlot;
  std::shared_ptr<SInstance> instance;
  TypeId type = kNoType;
  uint32_t resource = kNoSlot;
  std::shared_ptr<SComponent> component;
  std::optional<Module> module;
};

struct SInstance {
  std::vector<std::pair<std::string, SItem>> exports;
  // An imported instance: functions are added to `exports` when first asked for.
  bool imported = false;
  uint32_t root = 0;
  std::vector<std::string> path;
  std::string text;
  TypeId type = kNoType;  // its instance type
};

struct SCoreInstance {
  uint32_t slot = kNoSlot;       // a real instance: its core instance slot
  std::optional<Module> module;  // a real instance's module (a handle: index spaces grow)
  std::vector<std::pair<std::string_view, uint32_t>> exports;  // a bag, or the exports asked for so far
};

struct SScope : ScopeSpaces<SItem, uint32_t> {
  const ast::Component* ast = nullptr;
  const ScopeRecord* record = nullptr;
  SScope* outer = nullptr;
  uint32_t instance = 0;
  std::vector<SCoreInstance> core_instances;
  std::unordered_map<ResourceId, uint32_t> resources;
  uint32_t map = kNoSlot;  // the resource map made for the current `resources`
  size_t map_size = ~size_t{0};
  std::vector<std::pair<std::string, SItem>> exports;
};

class Translator {
 public:
  explicit Translator(const ComponentImpl& owner) : owner_(owner), ts_(owner.types()) {}

  Result<std::shared_ptr<const Plan>> translate();

 private:
  Result<SScope*> run(const ast::Component* c, SScope* outer, std::vector<SItem> args,
                      std::unordered_map<ResourceId, uint32_t> imported, uint32_t parent);
  Result<void> core_instance(SScope& sc, const ast::CoreInstance& ci);
  Result<void> instance(SScope& sc, const ast::Instance& in);
  Result<void> alias(SScope& sc, const ast::Alias& a);
  Result<void> canon(SScope& sc, const ast::Canon& c);
  Result<void> type_def(SScope& sc, const ast::TypeDef& t);
  Result<SItem> sort_item(SScope& sc, ast::Sort sort, uint32_t index);
  void push(SScope& sc, const SItem& item);
  PlanOptions options(SScope& sc, const std::vector<ast::CanonOpt>& opts);
  Result<uint32_t> core_export(SCoreInstance& ci, std::string_view name);
  uint32_t resource_map(SScope& sc);

  // Imports of the root component.
  Result<SItem> import_item(const Entity& entity, uint32_t root, std::vector<std::string> path,
                            const std::string& text, std::unordered_map<ResourceId, uint32_t>& resources);
  Result<const SItem*> find(SInstance& inst, std::string_view name);
  Result<PlanItem> export_item(const SItem& item);

  uint32_t emit(PlanStep step, uint32_t& counter) {
    plan_->steps.push_back(std::move(step));
    return counter++;
  }

  const ComponentImpl& owner_;
  const TypeStore& ts_;
  std::shared_ptr<Plan> plan_ = std::make_shared<Plan>();
  std::deque<SScope> scopes_;
};

uint32_t Translator::resource_map(SScope& sc) {
  if (sc.resources.empty()) return kNoSlot;
  if (sc.map == kNoSlot || sc.map_size != sc.resources.size()) {
    PlanStep s;
    s.op = PlanStep::Op::kResourceMap;
    s.entries.assign(sc.resources.begin(), sc.resources.end());
    sc.map = emit(std::move(s), plan_->maps);
    sc.map_size = sc.resources.size();
  }
  return sc.map;
}

Result<SItem> Translator::import_item(const Entity& entity, uint32_t root, std::vector<std::string> path,
                                      const std::string& text,
                                      std::unordered_map<ResourceId, uint32_t>& resources) {
  SItem it;
  switch (entity.kind) {
    case Entity::Kind::kFunc: {
      PlanImport imp{root, std::move(path), text, false, entity.type};
      plan_->imports.push_back(std::move(imp));
      PlanStep s;
      s.op = PlanStep::Op::kImportFunc;
      s.a = uint32_t(plan_->imports.size() - 1);
      it.kind = Item::Kind::kFunc;
      it.func = emit(std::move(s), plan_->funcs);
      return it;
    }
    case Entity::Kind::kType: {
      it.kind = Item::Kind::kType;
      it.type = entity.type;
      if (ts_.canon(entity.type).kind == TypeKind::kResource) {
        PlanImport imp{root, std::move(path), text, true, entity.type};
        plan_->imports.push_back(std::move(imp));
        PlanStep s;
        s.op = PlanStep::Op::kImportResource;
        s.a = uint32_t(plan_->imports.size() - 1);
        it.resource = emit(std::move(s), plan_->resources);
        resources[ts_.canon(entity.type).aux] = it.resource;
      }
      return it;
    }
    case Entity::Kind::kInstance: {
      // Types (and so resources) and nested instances now, functions when first used.
      auto inst = std::make_shared<SInstance>();
      inst->imported = true;
      inst->root = root;
      inst->path = path;
      inst->text = text;
      inst->type = entity.type;
      for (const NamedEntity& e : ts_.instance(entity.type).exports) {
        if (e.entity.kind == Entity::Kind::kFunc) continue;
        std::vector<std::string> sub = path;
        sub.push_back(e.name);
        AIRWASM_TRY_ASSIGN(SItem x,
                           import_item(e.entity, root, std::move(sub), text + "#" + e.name, resources));
        inst->exports.emplace_back(e.name, std::move(x));
      }
      it.kind = Item::Kind::kInstance;
      it.instance = std::move(inst);
      return it;
    }
    default:
      return cannot_plan("a root import of a " + std::string(entity_kind_name(entity.kind)));
  }
}

Result<const SItem*> Translator::find(SInstance& inst, std::string_view name) {
  for (auto& [n, it] : inst.exports)
    if (n == name) return &it;
  if (inst.imported) {
    for (const NamedEntity& e : ts_.instance(inst.type).exports) {
      if (e.name != name || e.entity.kind != Entity::Kind::kFunc) continue;
      std::vector<std::string> sub = inst.path;
      sub.push_back(e.name);
      std::unordered_map<ResourceId, uint32_t> unused;
      AIRWASM_TRY_ASSIGN(SItem x,
                         import_item(e.entity, inst.root, std::move(sub), inst.text + "#" + e.name, unused));
      inst.exports.emplace_back(e.name, std::move(x));
      return &inst.exports.back().second;
    }
  }
  return make_error(ErrorKind::kUnlinkable, "instance has no export named `" + std::string(name) + "`");
}

void Translator::push(SScope& sc, const SItem& item) {
  sc.push(item);
}

Result<SItem> Translator::sort_item(SScope& sc, ast::Sort sort, uint32_t index) {
  return sc.at(sort, index,
               [] { return cannot_plan("component model `value`s and core sorts cannot be passed here"); });
}

PlanOptions Translator::options(SScope& sc, const std::vector<ast::CanonOpt>& opts) {
  return read_canon_options<PlanOptions>(
      opts, [&](uint32_t i) { return sc.core_memories.at(i); },
      [&](uint32_t i) { return sc.core_funcs.at(i); });
}

// An export of a core instance as an extern slot: a bag's entry, or (once per name) a step that takes
// the export of a real instance by its position in the module's exports.
Result<uint32_t> Translator::core_export(SCoreInstance& ci, std::string_view name) {
  for (auto& [n, slot] : ci.exports)
    if (n == name) return slot;
  if (ci.slot == kNoSlot)
    return make_error(ErrorKind::kUnlinkable,
                      "core instance has no export named `" + std::string(name) + "`");
  const internal::ModuleImpl& m = ci.module->impl();
  auto it = m.export_index.find(name);
  if (it == m.export_index.end())
    return make_error(ErrorKind::kUnlinkable,
                      "core instance has no export named `" + std::string(name) + "`");
  PlanStep s;
  s.op = PlanStep::Op::kCoreExport;
  s.a = uint32_t(it->second);
  s.b = ci.slot;
  const uint32_t slot = emit(std::move(s), plan_->externs);
  ci.exports.emplace_back(it->first, slot);  // the key views into the module, which outlives the plan
  return slot;
}

Result<void> Translator::core_instance(SScope& sc, const ast::CoreInstance& ci) {
  SCoreInstance out;
  if (ci.instantiate) {
    if (ci.module >= sc.core_modules.size())
      return make_error(ErrorKind::kInvalid, "module index out of bounds");
    const Module& module = sc.core_modules[ci.module];
    if (!module.shared_impl())
      return cannot_plan("core module uses WebAssembly features beyond 2.0 that airwasm cannot run");
    PlanStep s;
    s.op = PlanStep::Op::kInstantiate;
    s.module = module;
    s.instance = sc.instance;
    const wasm::Module& wm = *module.impl().module;
    s.args.reserve(wm.imports.size());
    for (const wasm::Import& imp : wm.imports) {
      SCoreInstance* from = nullptr;
      for (const ast::CoreInstantiateArg& a : ci.args)
        if (a.name == imp.module) from = &sc.core_instances.at(a.instance);
      if (!from) return cannot_plan("missing module instantiation argument named `" + imp.module + "`");
      AIRWASM_TRY_ASSIGN(uint32_t slot, core_export(*from, imp.name));
      s.args.push_back(slot);
    }
    out.slot = emit(std::move(s), plan_->core_instances);
    out.module = sc.core_modules[ci.module];
  } else {
    for (const ast::CoreInlineExport& ex : ci.exports) {
      std::vector<uint32_t>* space = sc.core_space(ex.sort);
      if (!space) return cannot_plan("core instance export of an unexpected sort");
      out.exports.emplace_back(ex.name, space->at(ex.index));
    }
  }
  sc.core_instances.push_back(std::move(out));
  return {};
}

Result<void> Translator::instance(SScope& sc, const ast::Instance& in) {
  auto inst = std::make_shared<SInstance>();
  if (!in.instantiate) {
    for (const ast::InlineExport& ex : in.exports) {
      AIRWASM_TRY_ASSIGN(SItem it, sort_item(sc, ex.sort, ex.index));
      inst->exports.emplace_back(ex.name.name, std::move(it));
    }
  } else {
    const SItem& comp_item = sc.components.at(in.component);
    const SComponent comp = *comp_item.component;
    std::vector<SItem> args;
    for (const ast::Item& item : comp.ast->items) {
      if (item.kind != ast::Item::Kind::kImport) continue;
      const ast::Import& imp = comp.ast->imports[item.index];
      const ast::InstantiateArg* found = nullptr;
      for (const ast::InstantiateArg& a : in.args)
        if (a.name == imp.name.name) found = &a;
      if (!found) return cannot_plan("missing instantiation argument named `" + imp.name.name + "`");
      AIRWASM_TRY_ASSIGN(SItem it, sort_item(sc, found->sort, found->index));
      args.push_back(std::move(it));
    }
    const InstantiationRecord& rec = owner_.record.instantiations.at(&in);
    std::unordered_map<ResourceId, uint32_t> bound;
    for (auto& [theirs, ours] : rec.imported) {
      auto it = sc.resources.find(ours);
      if (it != sc.resources.end()) bound[theirs] = it->second;
    }
    AIRWASM_TRY_ASSIGN(SScope * child,
                       run(comp.ast, comp.outer, std::move(args), std::move(bound), sc.instance));
    for (auto& [theirs, fresh] : rec.defined) {
      auto it = child->resources.find(theirs);
      if (it != child->resources.end()) sc.resources[fresh] = it->second;
    }
    inst->exports = child->exports;
  }
  SItem it;
  it.kind = Item::Kind::kInstance;
  it.instance = std::move(inst);
  sc.instances.push_back(std::move(it));
  return {};
}

Result<void> Translator::alias(SScope& sc, const ast::Alias& a) {
  switch (a.target) {
    case ast::Alias::Target::kExport: {
      SItem inst = sc.instances.at(a.instance);  // a copy: `find` may grow the instance's exports
      AIRWASM_TRY_ASSIGN(const SItem* found, find(*inst.instance, a.name));
      push(sc, SItem(*found));
      return {};
    }
    case ast::Alias::Target::kCoreExport: {
      AIRWASM_TRY_ASSIGN(uint32_t slot, core_export(sc.core_instances.at(a.instance), a.name));
      std::vector<uint32_t>* space = sc.core_space(a.sort);
      if (!space) return cannot_plan("core alias of an unexpected sort");
      space->push_back(slot);
      return {};
    }
    case ast::Alias::Target::kOuter: {
      SScope* target = &sc;
      for (uint32_t i = 0; i < a.count; ++i) {
        target = target->outer;
        if (!target) return make_error(ErrorKind::kInvalid, "invalid outer alias count");
      }
      sc.alias_outer(*target, a.sort, a.index);
      return {};
    }
  }
  return {};
}

Result<void> Translator::type_def(SScope& sc, const ast::TypeDef& t) {
  SItem it;
  it.kind = Item::Kind::kType;
  it.type = sc.record->types.at(sc.types.size());
  if (t.kind == ast::TypeDef::Kind::kResource) {
    PlanStep s;
    s.op = PlanStep::Op::kDefineResource;
    s.instance = sc.instance;
    s.a = t.dtor ? sc.core_funcs.at(*t.dtor) : kNoSlot;
    it.resource = emit(std::move(s), plan_->resources);
    sc.resources[ts_.canon(it.type).aux] = it.resource;
  }
  sc.types.push_back(std::move(it));
  return {};
}

Result<void> Translator::canon(SScope& sc, const ast::Canon& c) {
  auto resource_of = [&](uint32_t type_index) -> Result<uint32_t> {
    TypeId t = sc.record->types.at(type_index);
    auto it = sc.resources.find(ts_.canon(t).aux);
    if (it == sc.resources.end()) return cannot_plan("resource type without a run-time definition");
    return it->second;
  };
  auto rep_type = [&](uint32_t type_index) -> ValType {
    TypeId t = sc.record->types.at(type_index);
    const ResourceInfo& info = ts_.resource(ts_.canon(t).aux);
    return info.rep && info.rep->kind == 0x7e ? ValType::kI64 : ValType::kI32;
  };
  PlanStep s;
  s.instance = sc.instance;
  switch (c.op) {
    case ast::Canon::kLift: {
      s.op = PlanStep::Op::kLift;
      s.options = options(sc, c.opts);
      s.type = sc.record->types.at(c.type);
      s.func_node = ts_.strip(s.type);
      s.a = sc.core_funcs.at(c.func);
      s.map = resource_map(sc);
      SItem it;
      it.kind = Item::Kind::kFunc;
      it.func = emit(std::move(s), plan_->funcs);
      sc.funcs.push_back(std::move(it));
      return {};
    }
    case ast::Canon::kLower:
      s.op = PlanStep::Op::kLower;
      s.options = options(sc, c.opts);
      s.a = sc.funcs.at(c.func).func;
      s.type = sc.record->funcs.at(c.func);
      s.shape = owner_.lower_shape(ts_.strip(s.type), s.options.async);
      s.map = resource_map(sc);
      break;
    case ast::Canon::kResourceNew:
    case ast::Canon::kResourceRep: {
      s.op = c.op == ast::Canon::kResourceNew ? PlanStep::Op::kResourceNew : PlanStep::Op::kResourceRep;
      AIRWASM_TRY_ASSIGN(s.a, resource_of(c.type));
      s.rep = rep_type(c.type);
      break;
    }
    case ast::Canon::kResourceDrop: {
      s.op = PlanStep::Op::kResourceDrop;
      AIRWASM_TRY_ASSIGN(s.a, resource_of(c.type));
      break;
    }
    case 0x09:  // task.return
      s.op = PlanStep::Op::kTaskReturn;
      s.options = options(sc, c.opts);
      if (c.result)
        s.result = c.result->is_prim ? ts_.prim(c.result->prim) : sc.record->types.at(c.result->index);
      s.map = resource_map(sc);
      break;
    case 0x24:
    case 0x25:  // backpressure.inc / backpressure.dec
      s.op = PlanStep::Op::kBackpressure;
      s.a = c.op == 0x24 ? 1 : 0;
      break;
    case 0x0a:
    case 0x0b:  // context.get / context.set
      s.op = PlanStep::Op::kContext;
      s.a = c.extra;
      s.b = c.op == 0x0b ? 1 : 0;
      break;
    default: {  // the async and thread built-ins: present, but trapping
      const CoreFuncType& ct = sc.record->core_funcs.at(sc.core_funcs.size());
      s.op = PlanStep::Op::kUnsupported;
      for (auto& p : ct.params) s.builtin_type.params.push_back(ValType(p.kind));
      for (auto& r : ct.results) s.builtin_type.results.push_back(ValType(r.kind));
      s.builtin_name = canon_name(c.op);
      break;
    }
  }
  sc.core_funcs.push_back(emit(std::move(s), plan_->externs));
  return {};
}

Result<SScope*> Translator::run(const ast::Component* c, SScope* outer, std::vector<SItem> args,
                                std::unordered_map<ResourceId, uint32_t> imported, uint32_t parent) {
  SScope& sc = scopes_.emplace_back();
  sc.ast = c;
  sc.record = &owner_.record.scopes.at(c);
  sc.outer = outer;
  sc.resources = std::move(imported);
  PlanStep ns;
  ns.op = PlanStep::Op::kNewInstance;
  ns.a = parent;
  sc.instance = emit(std::move(ns), plan_->instances);

  size_t next_arg = 0;
  for (const ast::Item& item : c->items) {
    switch (item.kind) {
      case ast::Item::Kind::kCoreModule: {
        auto it = owner_.modules.find(&c->modules[item.index]);
        sc.core_modules.push_back(it != owner_.modules.end() ? it->second : Module(nullptr));
        break;
      }
      case ast::Item::Kind::kCoreInstance:
        AIRWASM_TRY(core_instance(sc, c->core_instances[item.index]));
        break;
      case ast::Item::Kind::kCoreType:
        break;
      case ast::Item::Kind::kComponent: {
        SItem it;
        it.kind = Item::Kind::kComponent;
        it.component = std::make_shared<SComponent>(SComponent{c->components[item.index].get(), &sc});
        sc.components.push_back(std::move(it));
        break;
      }
      case ast::Item::Kind::kInstance:
        AIRWASM_TRY(instance(sc, c->instances[item.index]));
        break;
      case ast::Item::Kind::kAlias:
        AIRWASM_TRY(alias(sc, c->aliases[item.index]));
        break;
      case ast::Item::Kind::kType:
        AIRWASM_TRY(type_def(sc, c->types[item.index]));
        break;
      case ast::Item::Kind::kCanon:
        AIRWASM_TRY(canon(sc, c->canons[item.index]));
        break;
      case ast::Item::Kind::kImport: {
        if (next_arg >= args.size()) return cannot_plan("missing import");
        SItem it = std::move(args[next_arg++]);
        // A type import stands for the type given; the static type stays the importer's own.
        if (it.kind == Item::Kind::kType) it.type = sc.record->types.at(sc.types.size());
        push(sc, it);
        break;
      }
      case ast::Item::Kind::kExport: {
        const ast::Export& ex = c->exports[item.index];
        AIRWASM_TRY_ASSIGN(SItem it, sort_item(sc, ex.sort, ex.index));
        push(sc, it);
        sc.exports.emplace_back(ex.name.name, std::move(it));
        break;
      }
      case ast::Item::Kind::kStart:
      case ast::Item::Kind::kValue:
        return cannot_plan("component model `value`s are not supported");
    }
  }
  // Definitions are only instantiated within this walk (their outer scopes are here); dropping them
  // also keeps the plan free of them.
  sc.components.clear();
  return &sc;
}

Result<PlanItem> Translator::export_item(const SItem& item) {
  PlanItem out;
  switch (item.kind) {
    case Item::Kind::kFunc:
      out.kind = PlanItem::Kind::kFunc;
      out.func = item.func;
      return out;
    case Item::Kind::kType:
      out.kind = PlanItem::Kind::kType;
      out.type = item.type;
      out.resource = item.resource;
      return out;
    case Item::Kind::kModule:
      out.kind = PlanItem::Kind::kModule;
      out.module = item.module;
      return out;
    case Item::Kind::kInstance: {
      out.kind = PlanItem::Kind::kInstance;
      SInstance& inst = *item.instance;
      if (inst.imported)  // every function of a re-exported import, in its type's order
        for (const NamedEntity& e : ts_.instance(inst.type).exports) AIRWASM_TRY(find(inst, e.name));
      for (auto& [name, sub] : inst.exports) {
        AIRWASM_TRY_ASSIGN(PlanItem x, export_item(sub));
        x.name = name;
        out.exports.push_back(std::move(x));
      }
      return out;
    }
    case Item::Kind::kComponent:
      break;
  }
  return cannot_plan("a component definition exported by the root component");
}

Result<std::shared_ptr<const Plan>> Translator::translate() {
  const ComponentTypeInfo& type = ts_.component(owner_.validated.type);
  std::vector<SItem> args;
  std::unordered_map<ResourceId, uint32_t> resources;
  for (size_t i = 0; i < type.imports.size(); ++i) {
    AIRWASM_TRY_ASSIGN(SItem it,
                       import_item(type.imports[i].entity, uint32_t(i), {}, type.imports[i].name, resources));
    args.push_back(std::move(it));
  }
  AIRWASM_TRY_ASSIGN(SScope * root,
                     run(owner_.ast.get(), nullptr, std::move(args), std::move(resources), kNoSlot));
  for (auto& [name, item] : root->exports) {
    AIRWASM_TRY_ASSIGN(PlanItem x, export_item(item));
    x.name = name;
    plan_->exports.push_back(std::move(x));
  }
  return std::shared_ptr<const Plan>(std::move(plan_));
}

}  // namespace

Result<std::shared_ptr<const Plan>> translate_plan(const ComponentImpl& component) {
  // Index errors of the walk's `.at` would throw here as there: a validated component has none.
  try {
    return Translator(component).translate();
  } catch (const std::exception& e) {
    return cannot_plan(std::string("plan translation failed: ") + e.what());
  }
}

std::vector<ResolvedImport> resolve_plan_imports(
    const ComponentImpl& component, const std::vector<std::shared_ptr<const LinkerNode>>& roots) {
  std::vector<ResolvedImport> out;
  if (!component.plan) return out;
  const std::vector<NamedEntity>& root_imports =
      component.types().component(component.validated.type).imports;
  out.reserve(component.plan->imports.size());
  for (const PlanImport& imp : component.plan->imports) {
    ResolvedImport r;
    auto fail = [&](ErrorKind kind, std::string m) { r.error = Error(kind, std::move(m)); };
    std::string path = root_imports.at(imp.root).name;
    std::shared_ptr<const LinkerNode> node = roots.at(imp.root);
    const Item* item = nullptr;  // below a Linker entry of an instantiated component's export
    for (const std::string& name : imp.names) {
      if (!item && node->kind == LinkerNode::Kind::kItem) {
        item = &node->item;
        r.store_id = node->store_id;
        r.item_path = path;
      }
      if (item) {
        const Item* next = item->kind == Item::Kind::kInstance ? item->instance->find(name) : nullptr;
        if (!next) {
          fail(ErrorKind::kUnlinkable, "import `" + path + "` has no export `" + name + "`");
          break;
        }
        item = next;
      } else {
        auto it = node->children.find(name);
        if (it == node->children.end()) {
          fail(ErrorKind::kUnlinkable, "import `" + path + "` has no export `" + name + "`");
          break;
        }
        node = it->second;
      }
      path += "#" + name;
    }
    if (!r.error && !item && node->kind == LinkerNode::Kind::kItem) {
      item = &node->item;
      r.store_id = node->store_id;
      r.item_path = path;
    }
    if (!r.error) {
      if (imp.resource) {
        if (item ? !item->resource : node->kind != LinkerNode::Kind::kResource)
          fail(ErrorKind::kUnlinkable, "`" + path + "` is not a resource type");
      } else if (item ? item->kind != Item::Kind::kFunc : node->kind != LinkerNode::Kind::kFunc) {
        fail(ErrorKind::kUnlinkable, "`" + path + "` is not a function");
      }
    }
    if (item)
      r.item = *item;
    else
      r.node = std::move(node);
    out.push_back(std::move(r));
  }
  return out;
}

Result<Instance> execute_plan(Store& store, const InstancePreImpl& pre) {
  const Plan& plan = *pre.component->plan;
  ComponentStore& cs = ComponentStore::of(store);
  internal::StoreImpl& si = store.impl();
  using ResourceMapPtr = std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>>;
  // The run-time values of the plan's slots, in the order the steps make them.
  std::vector<Extern> externs;
  std::vector<uint32_t> funcs, core, instances;
  std::vector<ResourceType> resources;
  std::vector<ResourceMapPtr> maps;
  externs.reserve(plan.externs);
  funcs.reserve(plan.funcs);
  core.reserve(plan.core_instances);
  instances.reserve(plan.instances);
  resources.reserve(plan.resources);
  maps.reserve(plan.maps);
  std::vector<Extern> args;
  auto func_inst = [&](uint32_t slot) -> const interp::FuncInst* {
    return si.funcs[externs[slot].index()].get();
  };
  auto options = [&](const PlanOptions& p) {
    Options o;
    o.encoding = p.encoding;
    if (p.memory != kNoSlot) o.memory = si.memories[externs[p.memory].index()].get();
    if (p.realloc != kNoSlot) o.realloc = func_inst(p.realloc);
    if (p.post_return != kNoSlot) o.post_return = func_inst(p.post_return);
    o.async = p.async;
    o.callback = p.callback;
    return o;
  };
  auto map_of = [&](const PlanStep& s) { return s.map == kNoSlot ? ResourceMapPtr() : maps[s.map]; };
  auto item_check = [&](const ResolvedImport& r) -> Result<void> {
    if (r.error) return std::unexpected(*r.error);
    if (r.item && r.store_id != store.id())
      return make_error(ErrorKind::kUsage, "`" + r.item_path + "` belongs to another store");
    return {};
  };
  for (const PlanStep& s : plan.steps) {
    using Op = PlanStep::Op;
    switch (s.op) {
      case Op::kNewInstance: {
        ComponentInstanceRec rec;
        rec.owner = pre.component;
        rec.parent = s.a == kNoSlot ? ~uint32_t{0} : instances[s.a];
        cs.instances.push_back(std::move(rec));
        instances.push_back(uint32_t(cs.instances.size() - 1));
        break;
      }
      case Op::kImportFunc: {
        const ResolvedImport& r = pre.resolved[s.a];
        AIRWASM_TRY(item_check(r));
        if (r.item) {
          funcs.push_back(r.item->func);
          break;
        }
        FuncRec f;
        f.kind = FuncRec::Kind::kHost;
        f.owner = pre.component;
        f.type = plan.imports[s.a].type;
        f.host = r.node->func;
        f.typed = r.node->typed;
        cs.funcs.push_back(std::move(f));
        funcs.push_back(uint32_t(cs.funcs.size() - 1));
        break;
      }
      case Op::kImportResource: {
        const ResolvedImport& r = pre.resolved[s.a];
        AIRWASM_TRY(item_check(r));
        if (r.item) {
          resources.push_back(*r.item->resource);
          break;
        }
        if (r.node->dtor) cs.host_dtors[r.node->resource.id()] = *r.node->dtor;
        resources.push_back(r.node->resource);
        break;
      }
      case Op::kDefineResource: {
        ResourceTypeRec rec;
        rec.instance = instances[s.instance];
        if (s.a != kNoSlot) rec.dtor = func_inst(s.a);
        cs.resource_types.push_back(rec);
        resources.push_back(ResourceType::guest(cs.resource_types.size() - 1));
        break;
      }
      case Op::kResourceMap: {
        auto m = std::make_shared<std::unordered_map<ResourceId, ResourceType>>();
        m->reserve(s.entries.size());
        for (auto& [id, slot] : s.entries) m->emplace(id, resources[slot]);
        maps.push_back(std::move(m));
        break;
      }
      case Op::kInstantiate: {
        args.clear();
        for (uint32_t slot : s.args) args.push_back(externs[slot]);
        AIRWASM_TRY_ASSIGN(airwasm::Instance inst, airwasm::Instance::create(store, *s.module, args));
        core.push_back(inst.index());
        break;
      }
      case Op::kCoreExport:
        externs.push_back(si.instances[core[s.b]]->exports[s.a]);
        break;
      case Op::kLift: {
        FuncRec f;
        f.kind = FuncRec::Kind::kLifted;
        f.owner = pre.component;
        f.type = s.type;
        f.func_node = s.func_node;
        f.core = func_inst(s.a);
        f.options = options(s.options);
        f.async_lift = s.options.async;
        f.async_callback = s.options.callback;
        f.instance = instances[s.instance];
        f.resources = map_of(s);
        cs.funcs.push_back(std::move(f));
        funcs.push_back(uint32_t(cs.funcs.size() - 1));
        break;
      }
      case Op::kLower: {
        AIRWASM_TRY_ASSIGN(Extern e, make_lowered(store, funcs[s.a], pre.component, s.shape,
                                                  options(s.options), instances[s.instance], map_of(s)));
        externs.push_back(e);
        break;
      }
      case Op::kResourceNew:
        externs.push_back(make_resource_new(store, instances[s.instance], resources[s.a], s.rep));
        break;
      case Op::kResourceRep:
        externs.push_back(make_resource_rep(store, instances[s.instance], resources[s.a], s.rep));
        break;
      case Op::kResourceDrop:
        externs.push_back(make_resource_drop(store, instances[s.instance], resources[s.a]));
        break;
      case Op::kTaskReturn:
        externs.push_back(make_task_return(store, instances[s.instance], pre.component, s.result,
                                           options(s.options), map_of(s)));
        break;
      case Op::kBackpressure:
        externs.push_back(make_backpressure(store, instances[s.instance], s.a ? 1 : -1));
        break;
      case Op::kContext:
        externs.push_back(make_context_access(store, instances[s.instance], s.b != 0, s.a));
        break;
      case Op::kUnsupported:
        externs.push_back(
            make_unsupported_builtin(store, instances[s.instance], s.builtin_type, s.builtin_name));
        break;
    }
  }
  // The root instance's exports, for the Instance API and Linker::define_instance.
  std::function<Item(const PlanItem&)> item_of = [&](const PlanItem& x) {
    Item it;
    switch (x.kind) {
      case PlanItem::Kind::kFunc:
        it.kind = Item::Kind::kFunc;
        it.func = funcs[x.func];
        break;
      case PlanItem::Kind::kType:
        it.kind = Item::Kind::kType;
        it.type = x.type;
        if (x.resource != kNoSlot) it.resource = resources[x.resource];
        break;
      case PlanItem::Kind::kModule:
        it.kind = Item::Kind::kModule;
        it.module = x.module;
        break;
      case PlanItem::Kind::kInstance: {
        it.kind = Item::Kind::kInstance;
        auto inst = std::make_shared<InstanceVal>();
        inst->exports.reserve(x.exports.size());
        for (const PlanItem& sub : x.exports) inst->exports.emplace_back(sub.name, item_of(sub));
        it.instance = std::move(inst);
        break;
      }
    }
    return it;
  };
  auto scope = std::make_shared<Scope>();
  scope->owner = pre.component;
  scope->instance = instances.at(0);
  scope->exports.reserve(plan.exports.size());
  for (const PlanItem& x : plan.exports) scope->exports.emplace_back(x.name, item_of(x));
  cs.instances[scope->instance].scope = std::move(scope);
  return Instance(store.id(), instances[0]);
}

}  // namespace airwasm::component::rt
