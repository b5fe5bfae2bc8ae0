// wit: name resolution for packages, interfaces and worlds (see resolve_internal.hh). The order of work
// follows wit-parser: every file is parsed, its packages (the main one and nested `package x { }` blocks)
// are pooled by `ns:name@version`, the pool is sorted so that a package comes after those it uses,
// then each package is resolved: its interfaces in dependency order of their `use`s, then its worlds
// (an `include` after the included world), and last each world is elaborated (the interfaces its
// imports and exports need are imported). Model packages keep source order for their interfaces and
// worlds; Resolve::packages is the dependency order, the main package last.
#include <algorithm>
#include <set>

#include "wit/parser.hh"
#include "wit/resolve_internal.hh"

namespace airwasm::wit {

using Kind = model::Stability::Kind;

bool Resolver::enabled(const model::Stability& s) const {
  if (s.kind != Kind::kUnstable) return true;
  if (options_.all_features) return true;
  return std::find(options_.features.begin(), options_.features.end(), s.feature) != options_.features.end();
}

Result<model::Resolve> Resolver::run(std::vector<SourceGroup> groups) {
  if (groups.empty()) return base::invalid("no WIT files given");
  for (size_t g = 0; g < groups.size(); ++g) AIRWASM_TRY(add_group(groups[g], g + 1 == groups.size()));
  AIRWASM_TRY(order_packages());
  for (uint32_t p : order_) AIRWASM_TRY(resolve_package(p));
  r_.main_package = pending_[main_].model;
  const model::Package& main = r_.packages[r_.main_package];
  r_.world = main.worlds.empty() ? 0 : main.worlds.front().second;
  return std::move(r_);
}

// Parses the files of a group. All top-level items belong to one package, named by the `package`
// header that at least one of the files has (the others must agree or have none).
Result<void> Resolver::add_group(SourceGroup& group, bool is_main) {
  if (group.empty()) return base::invalid("no WIT files given");
  std::vector<uint32_t> file_ids;
  for (Source& s : group) {
    uint32_t index = uint32_t(sources_.size());
    sources_.push_back(std::move(s));
    AIRWASM_TRY_ASSIGN(ast::File f, parse_file(sources_.back(), index));
    files_.push_back(std::move(f));
    file_ids.push_back(uint32_t(files_.size() - 1));
  }
  const ast::File* header = nullptr;
  bool has_items = false;
  for (uint32_t fi : file_ids) {
    const ast::File& f = files_[fi];
    has_items |= !f.body.interfaces.empty() || !f.body.worlds.empty();
    if (!f.package) continue;
    if (header && header->package->key() != f.package->key()) {
      return error(f.source, f.package->offset,
                   "package identifier `" + f.package->key() + "` does not match previous package name of `" +
                       header->package->key() + "` (" +
                       source(header->source).where(header->package->offset) + ")");
    }
    if (!header) header = &f;
  }
  // Nested packages first: the group's own package may use them.
  for (uint32_t fi : file_ids) {
    const ast::File& f = files_[fi];
    for (const ast::TopUse& u : f.top_uses) {
      if (!top_uses_.emplace(std::pair(f.source, u.as.name), u.path).second) {
        return error(f.source, u.as.offset, "name `" + u.as.name + "` is defined more than once");
      }
    }
    for (const ast::NestedPackage& n : f.nested) AIRWASM_TRY(add_package(n.name, n.docs, n.body, f.source));
  }
  if (!header) {
    if (has_items) {
      const ast::File& f = files_[file_ids[0]];
      return error(f.source, 0, "no `package` header was found in any WIT file for this package");
    }
    // Only nested packages: the last one is the main package (wit-parser needs a header here too,
    // but a file of nested packages is what `airwasm wit` prints for a component without one).
    if (pending_.empty()) return error(files_[file_ids[0]].source, 0, "no `package` found in the WIT files");
    if (is_main) main_ = uint32_t(pending_.size() - 1);
    return {};
  }
  ast::PackageBody merged;
  for (uint32_t fi : file_ids) {
    for (const ast::Interface& i : files_[fi].body.interfaces) merged.interfaces.push_back(i);
    for (const ast::World& w : files_[fi].body.worlds) merged.worlds.push_back(w);
  }
  // The merged body must outlive resolution: keep it in a synthetic file entry.
  ast::File holder;
  holder.source = header->source;
  holder.body = std::move(merged);
  files_.push_back(std::move(holder));
  model::Docs docs;
  for (uint32_t fi : file_ids) {
    if (files_[fi].package_docs) docs = files_[fi].package_docs;
  }
  AIRWASM_TRY(add_package(*header->package, docs, files_.back().body, header->source));
  if (is_main) main_ = uint32_t(pending_.size() - 1);
  return {};
}

Result<void> Resolver::add_package(const ast::PackageName& name, const model::Docs& docs,
                                   const ast::PackageBody& body, uint32_t source) {
  uint32_t idx = uint32_t(pending_.size());
  if (!by_key_.emplace(name.key(), idx).second) {
    return error(source, name.offset, "package `" + name.key() + "` is defined more than once");
  }
  PendingPackage p;
  p.name = name;
  p.docs = docs;
  std::map<std::string, uint32_t> seen;  // interfaces and worlds share one namespace
  auto add = [&](const ast::Id& id, uint32_t file) -> Result<void> {
    if (!seen.emplace(id.name, file).second) {
      return error(file, id.offset,
                   "name `" + id.name + "` is defined more than once in package `" + name.key() + "`");
    }
    return {};
  };
  for (const ast::Interface& i : body.interfaces) {
    if (!enabled(i.attrs.stability)) continue;
    AIRWASM_TRY(add(i.name, i.file));
    p.iface_index.emplace(i.name.name, p.interfaces.size());
    p.interfaces.push_back(&i);
  }
  for (const ast::World& w : body.worlds) {
    if (!enabled(w.attrs.stability)) continue;
    AIRWASM_TRY(add(w.name, w.file));
    p.world_index.emplace(w.name.name, p.worlds.size());
    p.worlds.push_back(&w);
  }
  p.iface_state.assign(p.interfaces.size(), 0);
  p.world_state.assign(p.worlds.size(), 0);
  pending_.push_back(std::move(p));
  return {};
}

Result<uint32_t> Resolver::find_package(const ast::UsePath& path, const Source& src) {
  std::string base = path.ns->name + ":" + path.pkg->name;
  std::string key = base + (path.version ? "@" + *path.version : "");
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  if (!path.version) {
    // Without a version, a package of that name with exactly one version is meant.
    std::optional<uint32_t> only;
    for (auto& [k, idx] : by_key_) {
      if (k.size() > base.size() && k.compare(0, base.size(), base) == 0 && k[base.size()] == '@') {
        if (only) return error_at(src, path.offset, "package `" + base + "` has several versions: name one");
        only = idx;
      }
    }
    if (only) return *only;
  }
  return error_at(src, path.offset, "package `" + key + "` not found");
}

// The foreign packages a package refers to, with where (for the cycle message).
Result<std::vector<std::pair<std::string, uint32_t>>> Resolver::package_refs(uint32_t p) {
  std::vector<std::pair<std::string, uint32_t>> out;
  const PendingPackage& pkg = pending_[p];
  auto path = [&](const ast::UsePath& u, uint32_t file) -> Result<void> {
    if (u.ns) {
      AIRWASM_TRY_ASSIGN(uint32_t q, find_package(u, source(file)));
      if (q != p) out.push_back({pending_[q].name.key(), q});
      return {};
    }
    if (auto it = top_uses_.find({file, u.iface.name}); it != top_uses_.end()) {
      if (!pkg.iface_index.count(u.iface.name)) {
        AIRWASM_TRY_ASSIGN(uint32_t q, find_package(it->second, source(file)));
        if (q != p) out.push_back({pending_[q].name.key(), q});
      }
    }
    return {};
  };
  auto iface = [&](const ast::Interface& i) -> Result<void> {
    for (const ast::Use& u : i.uses) AIRWASM_TRY(path(u.path, i.file));
    return {};
  };
  for (const ast::Interface* i : pkg.interfaces) AIRWASM_TRY(iface(*i));
  for (const ast::World* w : pkg.worlds) {
    for (const ast::Extern& e : w->externs) {
      if (e.kind == ast::Extern::Kind::kPath) AIRWASM_TRY(path(e.path, w->file));
      if (e.kind == ast::Extern::Kind::kInline) {
        for (const ast::Use& u : e.inline_iface->uses) AIRWASM_TRY(path(u.path, w->file));
      }
    }
    for (const ast::Use& u : w->uses) AIRWASM_TRY(path(u.path, w->file));
    for (const ast::Include& inc : w->includes) AIRWASM_TRY(path(inc.path, w->file));
  }
  return out;
}

Result<void> Resolver::visit_package(uint32_t p, std::vector<uint32_t>& order, std::vector<uint8_t>& state) {
  if (state[p] == 2) return {};
  DepthGuard guard(depth_);
  if (guard.too_deep()) return base::invalid("packages depend on each other too deeply");
  state[p] = 1;
  AIRWASM_TRY_ASSIGN(auto refs, package_refs(p));
  for (auto& [key, q] : refs) {
    if (state[q] == 1) {
      const PendingPackage& pkg = pending_[p];
      uint32_t file =
          pkg.interfaces.empty() ? (pkg.worlds.empty() ? 0 : pkg.worlds[0]->file) : pkg.interfaces[0]->file;
      return error(file, pkg.name.offset,
                   "package `" + pkg.name.key() + "` depends on itself (through `" + key + "`)");
    }
    AIRWASM_TRY(visit_package(q, order, state));
  }
  state[p] = 2;
  order.push_back(p);
  return {};
}

// Dependency order; among independent packages, the order in which they were read, main last.
Result<void> Resolver::order_packages() {
  std::vector<uint8_t> state(pending_.size(), 0);
  for (uint32_t p = 0; p < pending_.size(); ++p) {
    if (p != main_) AIRWASM_TRY(visit_package(p, order_, state));
  }
  AIRWASM_TRY(visit_package(main_, order_, state));
  return {};
}

Result<uint32_t> Resolver::lookup_interface(uint32_t pkg, const ast::UsePath& path, uint32_t file) {
  uint32_t target = pkg;
  std::string iface = path.iface.name;
  const ast::UsePath* foreign = path.ns ? &path : nullptr;
  if (!foreign) {
    if (!pending_[pkg].iface_index.count(iface)) {
      auto it = top_uses_.find({file, iface});
      if (it == top_uses_.end()) {
        if (pending_[pkg].world_index.count(iface)) {
          return error(file, path.iface.offset, "name `" + iface + "` is not an interface");
        }
        return error(file, path.iface.offset, "interface or world `" + iface + "` does not exist");
      }
      foreign = &it->second;
      iface = foreign->iface.name;
    }
  }
  if (foreign) {
    AIRWASM_TRY_ASSIGN(target, find_package(*foreign, source(file)));
  }
  const PendingPackage& p = pending_[target];
  if (auto it = p.iface_index.find(iface); it != p.iface_index.end()) {
    size_t i = it->second;
    if (target == pkg) return resolve_interface(pkg, i, file, path.offset);
    if (p.model == ~0u) return error(file, path.offset, "package `" + p.name.key() + "` is not resolved yet");
    return p.iface_ids[i];
  }
  return error(file, path.iface.offset,
               "interface `" + iface + "` not found in package `" + p.name.key() + "`");
}

Result<uint32_t> Resolver::lookup_world(uint32_t pkg, const ast::UsePath& path, uint32_t file) {
  uint32_t target = pkg;
  if (path.ns) {
    AIRWASM_TRY_ASSIGN(target, find_package(path, source(file)));
  }
  const PendingPackage& p = pending_[target];
  if (auto it = p.world_index.find(path.iface.name); it != p.world_index.end()) {
    if (target == pkg) return resolve_world(pkg, it->second);
    if (p.model == ~0u) return error(file, path.offset, "package `" + p.name.key() + "` is not resolved yet");
    return p.world_ids[it->second];
  }
  return error(file, path.iface.offset,
               "world `" + path.iface.name + "` not found in package `" + p.name.key() + "`");
}

Result<void> Resolver::resolve_package(uint32_t p) {
  PendingPackage& pkg = pending_[p];
  pkg.model = uint32_t(r_.packages.size());
  model::Package mp;
  mp.ns = pkg.name.ns.name;
  mp.name = pkg.name.name.name;
  mp.version = pkg.name.version;
  mp.docs = pkg.docs;
  // Ids first, in source order, so that a `use` of a later interface finds its id.
  for (const ast::Interface* i : pkg.interfaces) {
    uint32_t id = uint32_t(r_.interfaces.size());
    model::Interface mi;
    mi.name = i->name.name;
    mi.package = pkg.model;
    mi.docs = i->attrs.docs;
    mi.stability = i->attrs.stability;
    r_.interfaces.push_back(std::move(mi));
    pkg.iface_ids.push_back(id);
    mp.interfaces.push_back({i->name.name, id});
  }
  for (const ast::World* w : pkg.worlds) {
    uint32_t id = uint32_t(r_.worlds.size());
    model::World mw;
    mw.name = w->name.name;
    mw.package = pkg.model;
    mw.docs = w->attrs.docs;
    mw.stability = w->attrs.stability;
    r_.worlds.push_back(std::move(mw));
    pkg.world_ids.push_back(id);
    mp.worlds.push_back({w->name.name, id});
  }
  r_.packages.push_back(std::move(mp));
  for (size_t i = 0; i < pkg.interfaces.size(); ++i) AIRWASM_TRY(resolve_interface(p, i));
  for (size_t i = 0; i < pending_[p].worlds.size(); ++i) AIRWASM_TRY(resolve_world(p, i));
  for (size_t i = 0; i < pending_[p].worlds.size(); ++i) {
    AIRWASM_TRY(elaborate(pending_[p].world_ids[i], *pending_[p].worlds[i]));
  }
  return {};
}

Result<uint32_t> Resolver::resolve_interface(uint32_t pkg, size_t idx, uint32_t file, uint32_t offset) {
  PendingPackage& p = pending_[pkg];
  uint32_t id = p.iface_ids[idx];
  if (p.iface_state[idx] == 2) return id;
  const ast::Interface& ai = *p.interfaces[idx];
  if (p.iface_state[idx] == 1) {
    if (file == ~0u)
      return error(ai.file, ai.name.offset, "interface `" + ai.name.name + "` depends on itself");
    return error(file, offset, "interface `" + ai.name.name + "` depends on itself");
  }
  DepthGuard guard(depth_);
  if (guard.too_deep()) return error(ai.file, ai.name.offset, "interfaces use each other too deeply");
  p.iface_state[idx] = 1;
  AIRWASM_TRY(fill_interface(pkg, ai, id));
  pending_[pkg].iface_state[idx] = 2;
  return id;
}

// `use path.{a, b as c}`: aliases of the other interface's types, owned by this scope.
Result<void> Resolver::add_uses(uint32_t pkg, const std::vector<ast::Use>& uses, Scope& scope,
                                std::vector<std::pair<std::string, uint32_t>>& out, uint32_t file) {
  for (const ast::Use& u : uses) {
    if (!enabled(u.attrs.stability)) continue;
    AIRWASM_TRY_ASSIGN(uint32_t from, lookup_interface(pkg, u.path, file));
    if (scope.owner.kind == model::Owner::Kind::kInterface && from == scope.owner.index) {
      return error(file, u.path.offset, "an interface cannot `use` its own types");
    }
    for (const ast::UseName& n : u.names) {
      std::optional<uint32_t> target;
      for (auto& [name, tid] : r_.interfaces[from].types) {
        if (name == n.name.name) target = tid;
      }
      if (!target) {
        std::string iname = r_.interfaces[from].name.value_or("<inline>");
        return error(file, n.name.offset,
                     "type `" + n.name.name + "` not defined in interface `" + iname + "`");
      }
      const ast::Id& local = n.as ? *n.as : n.name;
      model::TypeDef def;
      def.name = local.name;
      def.kind = model::DefKind::kAlias;
      def.types = {model::Ty::of(*target)};
      def.owner = scope.owner;
      def.external_id = u.attrs.external_id;
      def.stability = u.attrs.stability;
      uint32_t id = uint32_t(r_.types.size());
      r_.types.push_back(std::move(def));
      if (!scope.names.emplace(local.name, Scope::Entry{id, nullptr, 2}).second) {
        return error(file, local.offset, "name `" + local.name + "` is defined more than once");
      }
      out.push_back({local.name, id});
    }
  }
  return {};
}

Result<void> Resolver::fill_interface(uint32_t pkg, const ast::Interface& ai, uint32_t id) {
  Scope scope;
  scope.src = &source(ai.file);
  scope.owner = model::Owner{model::Owner::Kind::kInterface, id};
  std::vector<std::pair<std::string, uint32_t>> types;
  AIRWASM_TRY(add_uses(pkg, ai.uses, scope, types, ai.file));
  AIRWASM_TRY(declare_types(ai.types, scope, types));
  AIRWASM_TRY(fill_types(scope));
  AIRWASM_TRY_ASSIGN(std::vector<model::Function> funcs, resource_functions(scope, ai.types));
  for (const ast::Func& f : ai.funcs) {
    if (!enabled(f.attrs.stability)) continue;
    if (scope.names.count(f.name.name)) {
      return error(ai.file, f.name.offset, "name `" + f.name.name + "` is defined more than once");
    }
    scope.names.emplace(f.name.name, Scope::Entry{~0u, nullptr, 2});
    AIRWASM_TRY_ASSIGN(model::Function mf, function(scope, f, std::nullopt, ""));
    funcs.push_back(std::move(mf));
  }
  AIRWASM_TRY(check_cycles(scope));
  r_.interfaces[id].types = std::move(types);
  r_.interfaces[id].functions = std::move(funcs);
  return {};
}

Result<uint32_t> Resolver::resolve_world(uint32_t pkg, size_t idx) {
  PendingPackage& p = pending_[pkg];
  uint32_t id = p.world_ids[idx];
  if (p.world_state[idx] == 2) return id;
  const ast::World& aw = *p.worlds[idx];
  if (p.world_state[idx] == 1)
    return error(aw.file, aw.name.offset, "world `" + aw.name.name + "` includes itself");
  DepthGuard guard(depth_);
  if (guard.too_deep()) return error(aw.file, aw.name.offset, "worlds include each other too deeply");
  p.world_state[idx] = 1;
  AIRWASM_TRY(fill_world(pkg, aw, id));
  pending_[pkg].world_state[idx] = 2;
  return id;
}

namespace {

// The keys of a list of world items: names, and the interfaces of `ns:pkg/i` items. A world may have
// very many items (the input may be hostile), so membership is a set lookup, not a scan.
struct ItemKeys {
  std::set<std::string> names;
  std::set<uint32_t> ifaces;
  bool has(const model::WorldItem& item) const {
    return item.name ? names.count(*item.name) : ifaces.count(item.id);
  }
  void add(const model::WorldItem& item) {
    if (item.name)
      names.insert(*item.name);
    else
      ifaces.insert(item.id);
  }
};

}  // namespace

Result<void> Resolver::fill_world(uint32_t pkg, const ast::World& aw, uint32_t id) {
  Scope scope;
  scope.src = &source(aw.file);
  scope.owner = model::Owner{model::Owner::Kind::kWorld, id};
  std::vector<std::pair<std::string, uint32_t>> types;
  AIRWASM_TRY(add_uses(pkg, aw.uses, scope, types, aw.file));
  AIRWASM_TRY(declare_types(aw.types, scope, types));
  AIRWASM_TRY(fill_types(scope));
  AIRWASM_TRY_ASSIGN(std::vector<model::Function> rfuncs, resource_functions(scope, aw.types));
  AIRWASM_TRY(check_cycles(scope));
  std::vector<model::WorldItem> imports, exports;
  ItemKeys import_keys, export_keys;
  auto add = [&](bool is_import, model::WorldItem item, uint32_t offset) -> Result<void> {
    ItemKeys& keys = is_import ? import_keys : export_keys;
    if (keys.has(item)) {
      std::string what = item.name ? "name `" + *item.name + "`" : "interface";
      return error(aw.file, offset,
                   what + " is " + (is_import ? "imported" : "exported") + " more than once");
    }
    keys.add(item);
    (is_import ? imports : exports).push_back(std::move(item));
    return {};
  };
  for (const ast::Extern& e : aw.externs) {
    if (!enabled(e.attrs.stability)) continue;
    model::WorldItem item;
    item.name = e.name ? std::optional(e.name->name) : std::nullopt;
    item.external_id = e.attrs.external_id;
    item.stability = e.attrs.stability;
    uint32_t offset = e.name ? e.name->offset : e.path.offset;
    switch (e.kind) {
      case ast::Extern::Kind::kFunc: {
        item.kind = model::WorldItem::Kind::kFunction;
        ast::Func f;
        f.name = *e.name;
        f.sig = e.sig;
        f.attrs = e.attrs;
        AIRWASM_TRY_ASSIGN(item.func, function(scope, f, std::nullopt, ""));
        item.external_id.reset();
        item.stability = {};
        break;
      }
      case ast::Extern::Kind::kInline: {
        item.kind = model::WorldItem::Kind::kInterface;
        uint32_t iid = uint32_t(r_.interfaces.size());
        model::Interface mi;
        mi.package = pending_[pkg].model;
        mi.docs = e.attrs.docs;
        mi.stability = e.attrs.stability;
        r_.interfaces.push_back(std::move(mi));
        AIRWASM_TRY(fill_interface(pkg, *e.inline_iface, iid));
        item.id = iid;
        break;
      }
      case ast::Extern::Kind::kPath:
        item.kind = model::WorldItem::Kind::kInterface;
        AIRWASM_TRY_ASSIGN(item.id, lookup_interface(pkg, e.path, aw.file));
        break;
    }
    AIRWASM_TRY(add(e.is_import, std::move(item), offset));
  }
  for (auto& [name, tid] : types) {
    model::WorldItem item;
    item.kind = model::WorldItem::Kind::kType;
    item.name = name;
    item.id = tid;
    if (import_keys.has(item))
      return error(aw.file, aw.name.offset, "name `" + name + "` is imported more than once");
    import_keys.add(item);
    imports.push_back(std::move(item));
  }
  for (model::Function& f : rfuncs) {
    model::WorldItem item;
    item.kind = model::WorldItem::Kind::kFunction;
    item.name = f.name;
    item.func = std::move(f);
    imports.push_back(std::move(item));
  }
  // `include`: the other world's items, renamed by `with`, after this world's own.
  for (const ast::Include& inc : aw.includes) {
    if (!enabled(inc.attrs.stability)) continue;
    AIRWASM_TRY_ASSIGN(uint32_t other, lookup_world(pkg, inc.path, aw.file));
    std::vector<bool> used(inc.with.size(), false);
    auto copy = [&](const std::vector<model::WorldItem>& from, std::vector<model::WorldItem>& to,
                    ItemKeys& keys) -> Result<void> {
      for (model::WorldItem item : from) {
        if (item.name) {
          for (size_t k = 0; k < inc.with.size(); ++k) {
            if (inc.with[k].first.name == *item.name) {
              item.name = inc.with[k].second.name;
              if (item.kind == model::WorldItem::Kind::kFunction) item.func.name = *item.name;
              used[k] = true;
            }
          }
        }
        if (keys.has(item)) {
          // The same interface (or type) reached twice is one item; anything else is a conflict.
          const model::WorldItem* have = nullptr;
          for (const model::WorldItem& h : to) {
            if (item.name ? h.name == item.name : (!h.name && h.id == item.id)) have = &h;
          }
          bool same =
              have && have->kind == item.kind && have->id == item.id &&
              (item.kind == model::WorldItem::Kind::kInterface || item.kind == model::WorldItem::Kind::kType);
          if (same) continue;
          return error(aw.file, inc.path.offset,
                       "world item `" + item.name.value_or("interface") +
                           "` of the included world conflicts with " +
                           "an item of this world (rename it with `with`)");
        }
        keys.add(item);
        to.push_back(std::move(item));
      }
      return {};
    };
    model::World copy_of = r_.worlds[other];  // r_.worlds may not move, but keep the source stable anyway
    AIRWASM_TRY(copy(copy_of.imports, imports, import_keys));
    AIRWASM_TRY(copy(copy_of.exports, exports, export_keys));
    for (size_t k = 0; k < inc.with.size(); ++k) {
      if (!used[k]) {
        return error(aw.file, inc.with[k].first.offset,
                     "`with` name `" + inc.with[k].first.name + "` is not an item of the included world");
      }
    }
  }
  r_.worlds[id].imports = std::move(imports);
  r_.worlds[id].exports = std::move(exports);
  return {};
}

// The interfaces whose types an interface uses, in the order of its `use`s.
std::vector<uint32_t> Resolver::interface_deps(uint32_t iface) const {
  std::vector<uint32_t> out;
  for (auto& [_, tid] : r_.interfaces[iface].types) {
    const model::TypeDef& t = r_.types[tid];
    if (t.kind != model::DefKind::kAlias || !t.types[0] || t.types[0]->is_prim) continue;
    const model::TypeDef& other = r_.types[t.types[0]->id];
    if (other.owner.kind != model::Owner::Kind::kInterface || other.owner.index == iface) continue;
    if (std::find(out.begin(), out.end(), other.owner.index) == out.end()) out.push_back(other.owner.index);
  }
  return out;
}

// wit-parser's world elaboration: every interface an import uses types from is imported before it; an
// export's dependencies are the exports of the world that provide them, or else imports. Items keep
// their relative order; only missing imports are added. (wit-parser also moves exported functions
// before exported interfaces; we keep the written order, which is the binary order for a world printed
// from a component, so that such text stays a fixed point. The printer groups imports by kind anyway.) The
// dependency graph of interfaces is acyclic (resolution rejects cycles), so the recursion ends; its depth is
// bounded by the number of interfaces.
Result<void> Resolver::elaborate(uint32_t world, const ast::World& aw) {
  model::World& w = r_.worlds[world];
  std::vector<model::WorldItem> imports, exports;
  // The unnamed interface items of each list, for membership tests.
  std::set<uint32_t> in_imports, in_exports, in_w_exports;
  for (const model::WorldItem& it : w.exports) {
    if (it.kind == model::WorldItem::Kind::kInterface && !it.name) in_w_exports.insert(it.id);
  }
  auto has_iface = [&](const std::vector<model::WorldItem>& list, uint32_t iface) {
    const std::set<uint32_t>& set = &list == &imports   ? in_imports
                                    : &list == &exports ? in_exports
                                                        : in_w_exports;
    return set.count(iface) != 0;
  };
  auto push = [&](std::vector<model::WorldItem>& list, const model::WorldItem& item) {
    if (item.kind == model::WorldItem::Kind::kInterface && !item.name)
      (&list == &imports ? in_imports : in_exports).insert(item.id);
    list.push_back(item);
  };
  // An import added for a dependency takes the gate of the item that needs it (as in wit-parser).
  auto import_iface = [&](auto& self, uint32_t iface, const model::Stability& gate, int depth) -> void {
    if (has_iface(imports, iface) || depth > 1000) return;
    for (uint32_t dep : interface_deps(iface)) self(self, dep, gate, depth + 1);
    if (has_iface(imports, iface)) return;
    model::WorldItem item;
    item.kind = model::WorldItem::Kind::kInterface;
    item.id = iface;
    item.stability = gate;
    push(imports, item);
  };
  for (const model::WorldItem& item : w.imports) {
    if (item.kind == model::WorldItem::Kind::kInterface) {
      for (uint32_t dep : interface_deps(item.id)) import_iface(import_iface, dep, item.stability, 0);
      if (!item.name && has_iface(imports, item.id)) continue;
    } else if (item.kind == model::WorldItem::Kind::kType) {
      const model::TypeDef& t = r_.types[item.id];
      if (t.kind == model::DefKind::kAlias && t.types[0] && !t.types[0]->is_prim) {
        const model::TypeDef& other = r_.types[t.types[0]->id];
        if (other.owner.kind == model::Owner::Kind::kInterface) {
          import_iface(import_iface, other.owner.index, t.stability, 0);
        }
      }
    }
    push(imports, item);
  }
  // An export's dependency that the world also exports is exported first (with its own dependencies);
  // one it does not export is imported, and so is everything below it (`required`). An interface
  // that is both required as an import and exported would give the exports two copies of it (with
  // resources, two different types): wit-parser rejects such worlds, and so do we.
  std::set<uint32_t> required;
  std::optional<uint32_t> conflict;
  auto require = [&](auto& self, uint32_t iface, const model::Stability& gate, int depth) -> void {
    if (conflict || required.count(iface) || depth > 1000) return;
    if (has_iface(exports, iface)) {
      conflict = iface;
      return;
    }
    for (uint32_t dep : interface_deps(iface)) self(self, dep, gate, depth + 1);
    required.insert(iface);
    import_iface(import_iface, iface, gate, 0);
  };
  auto export_deps = [&](auto& self, uint32_t iface, const model::Stability& gate, int depth) -> void {
    for (uint32_t dep : interface_deps(iface)) {
      if (conflict || depth > 1000) return;
      if (!has_iface(w.exports, dep)) {
        require(require, dep, gate, 0);
        continue;
      }
      if (has_iface(exports, dep)) continue;
      self(self, dep, gate, depth + 1);
      if (required.count(dep)) conflict = dep;
      if (conflict) return;
      for (const model::WorldItem& e : w.exports) {
        if (e.kind == model::WorldItem::Kind::kInterface && !e.name && e.id == dep &&
            !has_iface(exports, dep)) {
          push(exports, e);
        }
      }
    }
  };
  for (const model::WorldItem& item : w.exports) {
    if (item.kind == model::WorldItem::Kind::kInterface) {
      export_deps(export_deps, item.id, item.stability, 0);
      if (!conflict && required.count(item.id)) conflict = item.id;
      if (conflict) {
        const model::Interface& i = r_.interfaces[*conflict];
        std::string name = i.name.value_or("<inline>");
        if (i.package) {
          const model::Package& p = r_.packages[*i.package];
          name = p.ns + ":" + p.name + "/" + name + (p.version ? "@" + *p.version : "");
        }
        return error(aw.file, aw.name.offset,
                     "interface `" + name +
                         "` is exported, but an exported interface also needs it imported "
                         "(through an interface the world does not export); export that interface too");
      }
      if (!item.name && has_iface(exports, item.id)) continue;
    }
    push(exports, item);
  }
  w.imports = std::move(imports);
  w.exports = std::move(exports);
  return {};
}

Result<model::Resolve> resolve_groups(std::vector<SourceGroup> groups, const ParseOptions& options) {
  Resolver r(options);
  return r.run(std::move(groups));
}

Result<model::Resolve> parse_wit_text(std::string name, std::string text, const ParseOptions& options) {
  std::vector<SourceGroup> groups(1);
  groups[0].push_back(Source{std::move(name), std::move(text)});
  return resolve_groups(std::move(groups), options);
}

}  // namespace airwasm::wit
