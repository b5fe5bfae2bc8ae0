// component: builds the WIT view (wit_model.hh) of a validated component type. Visits the component's
// imports and exports in binary order; instance imports/exports named `ns:pkg/i` become (parts of)
// foreign interfaces, plain-named ones inline interfaces, functions and types world items. `type_map_`
// maps the exact TypeIds met so far to WIT types; that is what turns a re-export of a named type into
// `type a = b` and what reuses one anonymous type for every mention of the same definition.
// Aliases made by `(type $t <primitive>)` are definitions, not aliases, and are never peeled.
#include <map>
#include <unordered_map>

#include "component/names.hh"
#include "component/try_set.hh"
#include "component/wit_model.hh"

namespace airwasm::component::wit {

std::string_view Function::item_name() const {
  switch (kind) {
    case FuncKind::kFreestanding:
      return name;
    case FuncKind::kConstructor:
      return "constructor";
    case FuncKind::kMethod:
    case FuncKind::kStatic: {
      size_t dot = name.find('.');
      return dot == std::string::npos ? std::string_view(name) : std::string_view(name).substr(dot + 1);
    }
  }
  return name;
}

std::vector<const Function*> resource_functions(const Resolve& resolve, uint32_t resource) {
  std::vector<const Function*> out;
  if (resource >= resolve.types.size()) return out;
  const Owner& owner = resolve.types[resource].owner;
  auto take = [&](const Function& f) {
    if (f.kind != FuncKind::kFreestanding && f.resource == resource) out.push_back(&f);
  };
  if (owner.kind == Owner::Kind::kInterface && owner.index < resolve.interfaces.size()) {
    for (const Function& f : resolve.interfaces[owner.index].functions) take(f);
  } else if (owner.kind == Owner::Kind::kWorld && owner.index < resolve.worlds.size()) {
    for (const WorldItem& item : resolve.worlds[owner.index].imports) {
      if (item.kind == WorldItem::Kind::kFunction) take(item.func);
    }
  }
  return out;
}

ExternOrder extern_order(const ast::Component& component) {
  ExternOrder out;
  for (const ast::Item& item : component.items) {
    if (item.kind == ast::Item::Kind::kImport) out.push_back(true);
    if (item.kind == ast::Item::Kind::kExport) out.push_back(false);
  }
  return out;
}

namespace {

std::unexpected<Error> fail(std::string m) {
  return base::invalid("cannot describe the component in WIT: " + std::move(m));
}

struct OwnerKey {
  Owner o;
  bool operator<(const OwnerKey& b) const {
    return std::pair(int(o.kind), o.index) < std::pair(int(b.o.kind), b.o.index);
  }
};

class Decoder {
 public:
  explicit Decoder(const TypeStore& s) : s_(s) {}
  Result<Resolve> run(TypeId component, const ExternOrder& order);

 private:
  Result<void> component_import(const NamedEntity& ne);
  Result<void> component_export(const NamedEntity& ne);
  Result<WorldItem> world_instance(const NamedEntity& ne);
  Result<uint32_t> register_import(const std::string& name, const NamedEntity& ne);
  Result<uint32_t> dep_interface(const std::string& name, const NamedEntity& ne);
  Result<uint32_t> register_interface(const NamedEntity& ne);
  Result<uint32_t> register_type_export(const std::string& name, const NamedEntity& ne, Owner owner);
  Result<Function> convert_function(const std::string& name, const NamedEntity& ne, Owner owner);
  Result<Ty> convert_valtype(TypeId id);
  Result<TypeDef> convert_defined(TypeId id);
  Result<void> register_defined(uint32_t wit, TypeId wasm);
  Result<void> register_valtype(TypeId wasm, const std::optional<Ty>& wit);
  std::optional<uint32_t> find_alias(TypeId id) const;
  bool is_prim_def(TypeId id) const;
  TypeId peel(TypeId id) const;  // one alias step, or kNoType
  TypeId bottom(TypeId id) const;
  Result<void> visit_package(size_t idx, std::vector<size_t>& order, std::vector<bool>& done);
  static void insert_item(std::vector<WorldItem>& items, WorldItem item);

  const TypeStore& s_;
  Resolve r_;
  struct Foreign {
    std::string key;
    Package pkg;
  };
  std::vector<Foreign> foreign_;
  std::unordered_map<uint32_t, size_t> iface_pkg_;
  std::map<OwnerKey, std::map<std::string, uint32_t>> resources_;
  std::unordered_map<TypeId, uint32_t> type_map_;
  std::vector<bool> visiting_;
};

bool Decoder::is_prim_def(TypeId id) const {
  const TypeNode& n = s_.node(id);
  return n.kind == TypeKind::kAlias && s_.node(n.children[0]).kind == TypeKind::kPrim;
}

TypeId Decoder::peel(TypeId id) const {
  const TypeNode& n = s_.node(id);
  if (n.kind != TypeKind::kAlias || is_prim_def(id)) return kNoType;
  return n.children[0];
}

TypeId Decoder::bottom(TypeId id) const {
  for (TypeId next = peel(id); next != kNoType; next = peel(id)) id = next;
  return id;
}

std::optional<uint32_t> Decoder::find_alias(TypeId id) const {
  for (TypeId cur = id; cur != kNoType; cur = peel(cur)) {
    if (auto it = type_map_.find(cur); it != type_map_.end()) return it->second;
  }
  return std::nullopt;
}

void Decoder::insert_item(std::vector<WorldItem>& items, WorldItem item) {
  for (auto& it : items) {
    bool same = item.name ? it.name == item.name
                          : !it.name && it.kind == WorldItem::Kind::kInterface && it.id == item.id;
    if (same) {
      it = std::move(item);
      return;
    }
  }
  items.push_back(std::move(item));
}

Result<Resolve> Decoder::run(TypeId component, const ExternOrder& order) {
  const ComponentTypeInfo& info = s_.component(component);
  r_.worlds.push_back(World{"root", 0, {}, {}});
  size_t ni = 0, ne = 0;
  auto visit = [&](bool import) -> Result<void> {
    if (import) {
      if (ni >= info.imports.size()) return {};
      return component_import(info.imports[ni++]);
    }
    if (ne >= info.exports.size()) return {};
    return component_export(info.exports[ne++]);
  };
  for (bool is_import : order) AIRWASM_TRY(visit(is_import));
  while (ni < info.imports.size()) AIRWASM_TRY(visit(true));
  while (ne < info.exports.size()) AIRWASM_TRY(visit(false));

  // Foreign packages in topological order (a package after those whose types it uses), then root.
  std::vector<size_t> topo;
  std::vector<bool> done(foreign_.size(), false);
  visiting_.assign(foreign_.size(), false);
  for (size_t i = 0; i < foreign_.size(); ++i) AIRWASM_TRY(visit_package(i, topo, done));
  for (size_t idx : topo) {
    uint32_t p = uint32_t(r_.packages.size());
    for (auto& [_, iface] : foreign_[idx].pkg.interfaces) r_.interfaces[iface].package = p;
    r_.packages.push_back(std::move(foreign_[idx].pkg));
  }
  Package root;
  root.ns = "root";
  root.name = "component";
  root.worlds.push_back({"root", 0});
  r_.main_package = uint32_t(r_.packages.size());
  r_.worlds[0].package = r_.main_package;
  for (auto* items : {&r_.worlds[0].imports, &r_.worlds[0].exports}) {
    for (auto& it : *items) {
      if (it.kind == WorldItem::Kind::kInterface && it.name && !r_.interfaces[it.id].name) {
        r_.interfaces[it.id].package = r_.main_package;
      }
    }
  }
  r_.packages.push_back(std::move(root));
  for (auto& iface : r_.interfaces) {
    if (!iface.package) return fail("an interface belongs to no package");
  }
  return std::move(r_);
}

Result<void> Decoder::visit_package(size_t idx, std::vector<size_t>& order, std::vector<bool>& done) {
  if (done[idx] || visiting_[idx]) return {};  // a cycle between packages is printed in visiting order
  visiting_[idx] = true;
  for (auto& [_, iface] : foreign_[idx].pkg.interfaces) {
    for (auto& [name, tid] : r_.interfaces[iface].types) {
      const TypeDef& t = r_.types[tid];
      if (t.kind != DefKind::kAlias || !t.types[0] || t.types[0]->is_prim) continue;
      const TypeDef& other = r_.types[t.types[0]->id];
      if (other.owner == t.owner) continue;
      // An alias of an anonymous type (`type field-value = list<u8>` reusing an earlier `list<u8>`) prints
      // the structure itself and orders nothing.
      if (!other.name) continue;
      if (other.owner.kind != Owner::Kind::kInterface)
        return fail("type `" + name + "` aliases a type of no interface");
      auto it = iface_pkg_.find(other.owner.index);
      if (it == iface_pkg_.end()) return fail("type `" + name + "` uses a type of an inline interface");
      if (it->second != idx) AIRWASM_TRY(visit_package(it->second, order, done));
    }
  }
  if (!done[idx]) {
    done[idx] = true;
    order.push_back(idx);
  }
  return {};
}

Result<void> Decoder::component_import(const NamedEntity& ne) {
  Owner world{Owner::Kind::kWorld, 0};
  WorldItem item;
  switch (ne.entity.kind) {
    case Entity::Kind::kInstance:
      AIRWASM_SET(item, world_instance(ne));
      break;
    case Entity::Kind::kFunc:
      item.kind = WorldItem::Kind::kFunction;
      item.name = ne.name;
      AIRWASM_SET(item.func, convert_function(ne.name, ne, world));
      break;
    case Entity::Kind::kType:
      item.kind = WorldItem::Kind::kType;
      item.name = ne.name;
      AIRWASM_SET(item.id, register_type_export(ne.name, ne, world));
      break;
    default:
      return {};  // modules, components and values are not part of a world
  }
  insert_item(r_.worlds[0].imports, std::move(item));
  return {};
}

Result<void> Decoder::component_export(const NamedEntity& ne) {
  WorldItem item;
  switch (ne.entity.kind) {
    case Entity::Kind::kFunc:
      item.kind = WorldItem::Kind::kFunction;
      item.name = ne.name;
      AIRWASM_SET(item.func, convert_function(ne.name, ne, Owner{Owner::Kind::kWorld, 0}));
      break;
    case Entity::Kind::kInstance:
      AIRWASM_SET(item, world_instance(ne));
      break;
    default:
      return fail("component export `" + ne.name + "` was not a function or instance");
  }
  insert_item(r_.worlds[0].exports, std::move(item));
  return {};
}

Result<WorldItem> Decoder::world_instance(const NamedEntity& ne) {
  WorldItem item;
  item.kind = WorldItem::Kind::kInterface;
  item.external_id = ne.external_id;
  if (ne.implements) {
    AIRWASM_SET(item.id, register_import(*ne.implements, ne));
    item.name = ne.name;
    return item;
  }
  auto pn = parse_extern_name(ne.name, 0);
  if (!pn) return fail("bad name `" + ne.name + "`");
  if (pn->kind == ParsedName::Kind::kInterface) {
    AIRWASM_SET(item.id, register_import(ne.name, ne));
  } else {
    AIRWASM_SET(item.id, register_interface(ne));
    item.name = ne.name;
  }
  return item;
}

Result<uint32_t> Decoder::dep_interface(const std::string& name, const NamedEntity& ne) {
  auto pn = parse_extern_name(name, 0);
  if (!pn || pn->kind != ParsedName::Kind::kInterface) return fail("package name is not a valid id: " + name);
  std::optional<std::string> version;
  if (pn->has_version) version = pn->version + ne.version_suffix.value_or("");
  std::string key = pn->ns + ":" + pn->package + (version ? "@" + *version : "");
  size_t idx = 0;
  while (idx < foreign_.size() && foreign_[idx].key != key) ++idx;
  if (idx == foreign_.size()) {
    Foreign f;
    f.key = key;
    f.pkg.ns = pn->ns;
    f.pkg.name = pn->package;
    f.pkg.version = version;
    foreign_.push_back(std::move(f));
  }
  auto& ifaces = foreign_[idx].pkg.interfaces;
  for (auto& [n, id] : ifaces) {
    if (n == pn->iface) return id;
  }
  uint32_t id = uint32_t(r_.interfaces.size());
  r_.interfaces.push_back(Interface{pn->iface, std::nullopt, {}, {}});
  ifaces.push_back({pn->iface, id});
  iface_pkg_[id] = idx;
  return id;
}

Result<uint32_t> Decoder::register_import(const std::string& name, const NamedEntity& ne) {
  if (ne.entity.kind != Entity::Kind::kInstance) return fail("import `" + name + "` is not an instance");
  AIRWASM_TRY_ASSIGN(uint32_t iface, dep_interface(name, ne));
  Owner owner{Owner::Kind::kInterface, iface};
  for (const NamedEntity& x : s_.instance(ne.entity.type).exports) {
    switch (x.entity.kind) {
      case Entity::Kind::kType: {
        std::optional<uint32_t> existing;
        for (auto& [n, id] : r_.interfaces[iface].types) {
          if (n == x.name) existing = id;
        }
        if (existing) {
          if (s_.canon(x.entity.referenced).kind != TypeKind::kResource) {
            AIRWASM_TRY(register_defined(*existing, x.entity.referenced));
          }
          if (!type_map_.emplace(x.entity.type, *existing).second) {
            return fail("the type `" + x.name + "` appears more than once");
          }
        } else {
          AIRWASM_TRY_ASSIGN(uint32_t id, register_type_export(x.name, x, owner));
          r_.interfaces[iface].types.push_back({x.name, id});
        }
        break;
      }
      case Entity::Kind::kFunc: {
        bool have = false;
        for (auto& f : r_.interfaces[iface].functions) have |= f.name == x.name;
        if (have) break;
        AIRWASM_TRY_ASSIGN(Function f, convert_function(x.name, x, owner));
        r_.interfaces[iface].functions.push_back(std::move(f));
        break;
      }
      default:
        return fail("instance type export `" + x.name + "` is not a type or function");
    }
  }
  return iface;
}

Result<uint32_t> Decoder::register_interface(const NamedEntity& ne) {
  uint32_t iface = uint32_t(r_.interfaces.size());
  r_.interfaces.emplace_back();
  Owner owner{Owner::Kind::kInterface, iface};
  for (const NamedEntity& x : s_.instance(ne.entity.type).exports) {
    switch (x.entity.kind) {
      case Entity::Kind::kType: {
        AIRWASM_TRY_ASSIGN(uint32_t id, register_type_export(x.name, x, owner));
        r_.interfaces[iface].types.push_back({x.name, id});
        break;
      }
      case Entity::Kind::kFunc: {
        AIRWASM_TRY_ASSIGN(Function f, convert_function(x.name, x, owner));
        r_.interfaces[iface].functions.push_back(std::move(f));
        break;
      }
      default:
        return fail("instance type export `" + x.name + "` is not a type or function");
    }
  }
  return iface;
}

Result<uint32_t> Decoder::register_type_export(const std::string& name, const NamedEntity& ne, Owner owner) {
  TypeDef def;
  if (auto prev = find_alias(ne.entity.referenced)) {
    def.kind = DefKind::kAlias;
    def.types = {Ty::of(*prev)};
  } else if (s_.node(bottom(ne.entity.referenced)).kind == TypeKind::kResource) {
    def.kind = DefKind::kResource;
  } else {
    AIRWASM_SET(def, convert_defined(ne.entity.referenced));
  }
  def.name = name;
  def.owner = owner;
  def.external_id = ne.external_id;
  uint32_t id = uint32_t(r_.types.size());
  bool resource = def.kind == DefKind::kResource;
  r_.types.push_back(std::move(def));
  if (resource && !resources_[OwnerKey{owner}].emplace(name, id).second) {
    return fail("resource `" + name + "` is defined twice");
  }
  if (!type_map_.emplace(ne.entity.type, id).second)
    return fail("the type `" + name + "` appears more than once");
  return id;
}

Result<Function> Decoder::convert_function(const std::string& name, const NamedEntity& ne, Owner owner) {
  const TypeNode& fn = s_.node(s_.strip(ne.entity.type));
  if (fn.kind != TypeKind::kFunc) return fail("`" + name + "` is not a function");
  Function f;
  f.name = name;
  f.async = fn.aux != 0;
  f.external_id = ne.external_id;
  for (size_t i = 0; i < fn.labels.size(); ++i) {
    AIRWASM_TRY_ASSIGN(Ty t, convert_valtype(fn.children[i]));
    f.params.push_back({fn.labels[i], t});
  }
  if (fn.children.back() != kNoType) AIRWASM_SET(f.result, convert_valtype(fn.children.back()));
  auto pn = parse_extern_name(name, 0);
  if (!pn) return fail("bad function name `" + name + "`");
  auto resource = [&](const std::string& r) -> Result<uint32_t> {
    auto it = resources_.find(OwnerKey{owner});
    if (it == resources_.end() || !it->second.count(r))
      return fail("function `" + name + "` names an unknown resource");
    return it->second.at(r);
  };
  switch (pn->kind) {
    case ParsedName::Kind::kLabel:
      break;
    case ParsedName::Kind::kConstructor:
      f.kind = FuncKind::kConstructor;
      break;
    case ParsedName::Kind::kMethod:
      f.kind = FuncKind::kMethod;
      break;
    case ParsedName::Kind::kStatic:
      f.kind = FuncKind::kStatic;
      break;
    default:
      return fail("function `" + name + "` has an ID-based name");
  }
  if (f.kind != FuncKind::kFreestanding) AIRWASM_SET(f.resource, resource(pn->resource));
  return f;
}

Result<Ty> Decoder::convert_valtype(TypeId id) {
  if (s_.node(id).kind == TypeKind::kPrim) return Ty::of(s_.node(id).prim);
  if (auto it = type_map_.find(id); it != type_map_.end()) return Ty::of(it->second);
  AIRWASM_TRY_ASSIGN(TypeDef def, convert_defined(id));
  switch (def.kind) {
    case DefKind::kRecord:
      return fail("unexpected unnamed type of kind 'record'");
    case DefKind::kVariant:
      return fail("unexpected unnamed type of kind 'variant'");
    case DefKind::kEnum:
      return fail("unexpected unnamed type of kind 'enum'");
    case DefKind::kFlags:
      return fail("unexpected unnamed type of kind 'flags'");
    case DefKind::kResource:
      return fail("unexpected unnamed type of kind 'resource'");
    default:
      break;
  }
  uint32_t wit = uint32_t(r_.types.size());
  r_.types.push_back(std::move(def));
  type_map_[id] = wit;
  return Ty::of(wit);
}

Result<TypeDef> Decoder::convert_defined(TypeId exact) {
  TypeId id = bottom(exact);
  const TypeNode& n = s_.node(id);
  TypeDef d;
  auto val = [&](TypeId c) -> Result<std::optional<Ty>> {
    if (c == kNoType) return std::optional<Ty>{};
    AIRWASM_TRY_ASSIGN(Ty t, convert_valtype(c));
    return std::optional<Ty>{t};
  };
  auto all = [&]() -> Result<void> {
    for (TypeId c : n.children) {
      AIRWASM_TRY_ASSIGN(auto t, val(c));
      d.types.push_back(t);
    }
    return {};
  };
  switch (n.kind) {
    case TypeKind::kAlias:  // `(type $t u32)`
      d.kind = DefKind::kAlias;
      d.types = {Ty::of(s_.node(n.children[0]).prim)};
      return d;
    case TypeKind::kPrim:
      d.kind = DefKind::kAlias;
      d.types = {Ty::of(n.prim)};
      return d;
    case TypeKind::kRecord:
      d.kind = DefKind::kRecord;
      d.labels = n.labels;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kVariant:
      d.kind = DefKind::kVariant;
      d.labels = n.labels;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kTuple:
      d.kind = DefKind::kTuple;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kList:
      d.kind = DefKind::kList;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kOption:
      d.kind = DefKind::kOption;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kResult:
      d.kind = DefKind::kResult;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kMap:
      d.kind = DefKind::kMap;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kFuture:
      d.kind = DefKind::kFuture;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kStream:
      d.kind = DefKind::kStream;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kFixedList:
      d.kind = DefKind::kFixedList;
      d.length = n.aux;
      AIRWASM_TRY(all());
      return d;
    case TypeKind::kFlags:
      d.kind = DefKind::kFlags;
      d.labels = n.labels;
      return d;
    case TypeKind::kEnum:
      d.kind = DefKind::kEnum;
      d.labels = n.labels;
      return d;
    case TypeKind::kOwn:
    case TypeKind::kBorrow: {
      d.kind = n.kind == TypeKind::kOwn ? DefKind::kOwn : DefKind::kBorrow;
      auto it = type_map_.find(n.children[0]);
      if (it == type_map_.end()) return fail("a handle refers to an unnamed resource");
      d.resource = it->second;
      return d;
    }
    case TypeKind::kResource:
      d.kind = DefKind::kResource;
      return d;
    default:
      return fail(std::string("a ") + s_.describe(id) + " is not a value type");
  }
}

// Walks a type definition met again (a second import of an interface) and maps the TypeIds of its
// anonymous parts to the WIT types already made for them, so they are not made twice.
Result<void> Decoder::register_defined(uint32_t wit, TypeId wasm) {
  TypeId id = bottom(wasm);
  const TypeNode& n = s_.node(id);
  const TypeDef& d = r_.types[wit];
  if (n.kind == TypeKind::kPrim || (n.kind == TypeKind::kAlias)) return {};
  if (n.kind == TypeKind::kFlags || n.kind == TypeKind::kEnum || n.kind == TypeKind::kOwn ||
      n.kind == TypeKind::kBorrow) {
    return {};
  }
  if (d.kind == DefKind::kAlias && d.types[0] && !d.types[0]->is_prim) return {};
  static const std::pair<TypeKind, DefKind> kPairs[] = {
      {TypeKind::kList, DefKind::kList},           {TypeKind::kMap, DefKind::kMap},
      {TypeKind::kFixedList, DefKind::kFixedList}, {TypeKind::kTuple, DefKind::kTuple},
      {TypeKind::kOption, DefKind::kOption},       {TypeKind::kResult, DefKind::kResult},
      {TypeKind::kRecord, DefKind::kRecord},       {TypeKind::kVariant, DefKind::kVariant},
      {TypeKind::kFuture, DefKind::kFuture},       {TypeKind::kStream, DefKind::kStream}};
  bool ok = false;
  for (auto& [tk, dk] : kPairs) ok |= n.kind == tk && d.kind == dk;
  if (!ok || d.types.size() != n.children.size()) return fail("a type does not match its earlier definition");
  if (n.kind == TypeKind::kFixedList && d.length != n.aux) return fail("a fixed-length list does not match");
  std::vector<std::optional<Ty>> wits = d.types;  // d may move while registering
  for (size_t i = 0; i < n.children.size(); ++i) {
    if ((n.children[i] == kNoType) != !wits[i]) return fail("a type does not match its earlier definition");
    if (n.children[i] != kNoType) AIRWASM_TRY(register_valtype(n.children[i], wits[i]));
  }
  return {};
}

Result<void> Decoder::register_valtype(TypeId wasm, const std::optional<Ty>& wit) {
  if (s_.node(wasm).kind == TypeKind::kPrim) return {};
  if (!wit || wit->is_prim) return fail("expected id-based type");
  auto [it, inserted] = type_map_.insert_or_assign(wasm, wit->id);
  (void)it;
  if (inserted) return register_defined(wit->id, wasm);
  return {};
}

}  // namespace

Result<Resolve> decode(const TypeStore& store, TypeId component, const ExternOrder& order) {
  Decoder d(store);
  return d.run(component, order);
}

}  // namespace airwasm::component::wit
