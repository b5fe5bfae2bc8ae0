// wit: type expressions and functions of one interface or world body (see resolve_internal.hh).
// Named types are declared before any is filled, so definitions may come in any order; a local
// `type a = b` is filled on first use (its kind decides whether a bare name means `own<...>`), which
// also finds alias cycles. A name that stands for a resource means an owned handle (`own<r>`), except
// as the whole right-hand side of `type a = r`, which aliases the resource itself (as wit-parser does).
// Anonymous types are shared by structure. Containment cycles (`record a { x: b }`, `record b { y: a }`)
// are found by check_cycles once the body is complete.
#include <algorithm>

#include "wit/resolve_internal.hh"

namespace airwasm::wit {

namespace {

constexpr int kMaxDepth = 200;

std::string key_of(const model::TypeDef& d) {
  std::string k =
      std::to_string(int(d.kind)) + ":" + std::to_string(d.length) + ":" + std::to_string(d.resource);
  for (const auto& t : d.types) {
    if (!t)
      k += ",_";
    else if (t->is_prim)
      k += ",p" + std::to_string(int(t->prim));
    else
      k += ",t" + std::to_string(t->id);
  }
  return k;
}

}  // namespace

uint32_t Resolver::anonymous(model::TypeDef def) {
  std::string key = key_of(def);
  if (auto it = anon_.find(key); it != anon_.end()) return it->second;
  uint32_t id = uint32_t(r_.types.size());
  r_.types.push_back(std::move(def));
  anon_.emplace(std::move(key), id);
  return id;
}

Result<void> Resolver::declare_types(const std::vector<ast::TypeDecl>& decls, Scope& scope,
                                     std::vector<std::pair<std::string, uint32_t>>& out) {
  for (const ast::TypeDecl& d : decls) {
    if (!enabled(d.attrs.stability)) continue;
    model::TypeDef def;
    def.name = d.name.name;
    def.owner = scope.owner;
    def.docs = d.attrs.docs;
    def.stability = d.attrs.stability;
    def.external_id = d.attrs.external_id;
    switch (d.kind) {
      case ast::TypeDecl::Kind::kAlias:
        def.kind = model::DefKind::kAlias;
        break;
      case ast::TypeDecl::Kind::kRecord:
        def.kind = model::DefKind::kRecord;
        break;
      case ast::TypeDecl::Kind::kVariant:
        def.kind = model::DefKind::kVariant;
        break;
      case ast::TypeDecl::Kind::kEnum:
        def.kind = model::DefKind::kEnum;
        break;
      case ast::TypeDecl::Kind::kFlags:
        def.kind = model::DefKind::kFlags;
        break;
      case ast::TypeDecl::Kind::kResource:
        def.kind = model::DefKind::kResource;
        break;
    }
    uint32_t id = uint32_t(r_.types.size());
    r_.types.push_back(std::move(def));
    if (!scope.names.emplace(d.name.name, Scope::Entry{id, &d, 0}).second) {
      return error_at(*scope.src, d.name.offset, "name `" + d.name.name + "` is defined more than once");
    }
    out.push_back({d.name.name, id});
  }
  return {};
}

Result<void> Resolver::fill_types(Scope& scope) {
  for (auto& [_, e] : scope.names) AIRWASM_TRY(fill_decl(scope, e));
  return {};
}

Result<void> Resolver::fill_decl(Scope& scope, Scope::Entry& e) {
  if (!e.decl || e.state == 2) return {};
  const ast::TypeDecl& d = *e.decl;
  if (e.state == 1)
    return error_at(*scope.src, d.name.offset, "type `" + d.name.name + "` depends on itself");
  DepthGuard guard(depth_);
  if (guard.too_deep()) return error_at(*scope.src, d.name.offset, "type definitions nested too deeply");
  e.state = 1;
  model::TypeDef def;  // the parts to fill; name, owner and attributes stay
  switch (d.kind) {
    case ast::TypeDecl::Kind::kAlias:
      if (d.alias->kind == ast::Type::Kind::kName) {
        AIRWASM_TRY_ASSIGN(uint32_t target, lookup_type(scope, d.alias->name));
        def.kind = model::DefKind::kAlias;
        def.types = {model::Ty::of(target)};
      } else {
        AIRWASM_TRY_ASSIGN(def, structure(scope, *d.alias, 0));
      }
      break;
    case ast::TypeDecl::Kind::kRecord:
    case ast::TypeDecl::Kind::kVariant: {
      def.kind = d.kind == ast::TypeDecl::Kind::kRecord ? model::DefKind::kRecord : model::DefKind::kVariant;
      for (const ast::Label& l : d.labels) {
        for (const std::string& seen : def.labels) {
          if (seen == l.name.name) {
            return error_at(*scope.src, l.name.offset,
                            std::string(d.kind == ast::TypeDecl::Kind::kRecord ? "field" : "case") + " `" +
                                l.name.name + "` is defined more than once");
          }
        }
        def.labels.push_back(l.name.name);
        def.label_docs.push_back(l.docs);
        if (l.type) {
          AIRWASM_TRY_ASSIGN(model::Ty t, type(scope, *l.type, 0));
          def.types.push_back(t);
        } else {
          def.types.push_back(std::nullopt);
        }
      }
      break;
    }
    case ast::TypeDecl::Kind::kEnum:
    case ast::TypeDecl::Kind::kFlags:
      def.kind = d.kind == ast::TypeDecl::Kind::kEnum ? model::DefKind::kEnum : model::DefKind::kFlags;
      for (const ast::Label& l : d.labels) {
        for (const std::string& seen : def.labels) {
          if (seen == l.name.name) {
            return error_at(*scope.src, l.name.offset, "`" + l.name.name + "` is defined more than once");
          }
        }
        def.labels.push_back(l.name.name);
        def.label_docs.push_back(l.docs);
      }
      break;
    case ast::TypeDecl::Kind::kResource:
      def.kind = model::DefKind::kResource;
      break;
  }
  bool any_docs = false;
  for (const auto& doc : def.label_docs) any_docs |= doc.has_value();
  if (!any_docs) def.label_docs.clear();
  model::TypeDef& slot = r_.types[e.id];
  slot.kind = def.kind;
  slot.labels = std::move(def.labels);
  slot.label_docs = std::move(def.label_docs);
  slot.types = std::move(def.types);
  slot.length = def.length;
  slot.resource = def.resource;
  e.state = 2;
  return {};
}

Result<uint32_t> Resolver::lookup_type(Scope& scope, const ast::Id& name) {
  auto it = scope.names.find(name.name);
  if (it == scope.names.end() || it->second.id == ~0u) {
    return error_at(*scope.src, name.offset, "type `" + name.name + "` does not exist");
  }
  AIRWASM_TRY(fill_decl(scope, it->second));
  return it->second.id;
}

// Whether a type is a resource, through aliases (filled: aliases form no cycle).
bool Resolver::is_resource(uint32_t id) const {
  for (int i = 0; i < 100000; ++i) {
    const model::TypeDef& d = r_.types[id];
    if (d.kind == model::DefKind::kResource) return true;
    if (d.kind != model::DefKind::kAlias || d.types.empty() || !d.types[0] || d.types[0]->is_prim)
      return false;
    id = d.types[0]->id;
  }
  return false;
}

// The type a name stands for, which must be a resource (through aliases).
Result<uint32_t> Resolver::resource_of(Scope& scope, const ast::Id& name) {
  AIRWASM_TRY_ASSIGN(uint32_t id, lookup_type(scope, name));
  if (is_resource(id)) return id;
  return error_at(*scope.src, name.offset, "type `" + name.name + "` is not a resource");
}

Result<model::Ty> Resolver::type(Scope& scope, const ast::Type& t, int depth) {
  // Both bounds: `depth` for one expression, the resolver's depth_ for expressions that fill aliases
  // whose expressions fill aliases ... (a chain of deep expressions).
  DepthGuard guard(depth_);
  if (depth > kMaxDepth || guard.too_deep()) return error_at(*scope.src, t.offset, "type nested too deeply");
  if (t.kind == ast::Type::Kind::kPrim) return model::Ty::of(t.prim);
  if (t.kind == ast::Type::Kind::kErrorContext) return model::Ty::of(component::Prim::kErrorContext);
  if (t.kind == ast::Type::Kind::kName) {
    AIRWASM_TRY_ASSIGN(uint32_t id, lookup_type(scope, t.name));
    if (!is_resource(id)) return model::Ty::of(id);
    model::TypeDef own;
    own.kind = model::DefKind::kOwn;
    own.resource = id;
    return model::Ty::of(anonymous(std::move(own)));
  }
  AIRWASM_TRY_ASSIGN(model::TypeDef def, structure(scope, t, depth));
  return model::Ty::of(anonymous(std::move(def)));
}

// The structure of a non-name type expression (`list<u8>`, `own<r>`, ...).
Result<model::TypeDef> Resolver::structure(Scope& scope, const ast::Type& t, int depth) {
  if (depth > kMaxDepth) return error_at(*scope.src, t.offset, "type nested too deeply");
  model::TypeDef d;
  auto args = [&]() -> Result<void> {
    for (const ast::Type& a : t.args) {
      AIRWASM_TRY_ASSIGN(model::Ty x, type(scope, a, depth + 1));
      d.types.push_back(x);
    }
    return {};
  };
  using K = ast::Type::Kind;
  switch (t.kind) {
    case K::kPrim:
      d.kind = model::DefKind::kAlias;
      d.types = {model::Ty::of(t.prim)};
      return d;
    case K::kErrorContext:
      d.kind = model::DefKind::kAlias;
      d.types = {model::Ty::of(component::Prim::kErrorContext)};
      return d;
    case K::kName: {
      AIRWASM_TRY_ASSIGN(uint32_t id, lookup_type(scope, t.name));
      d.kind = model::DefKind::kAlias;
      d.types = {model::Ty::of(id)};
      return d;
    }
    case K::kList:
      d.kind = model::DefKind::kList;
      AIRWASM_TRY(args());
      return d;
    case K::kFixedList:
      d.kind = model::DefKind::kFixedList;
      d.length = t.length;
      AIRWASM_TRY(args());
      return d;
    case K::kOption:
      d.kind = model::DefKind::kOption;
      AIRWASM_TRY(args());
      return d;
    case K::kTuple:
      d.kind = model::DefKind::kTuple;
      AIRWASM_TRY(args());
      return d;
    case K::kMap:
      d.kind = model::DefKind::kMap;
      AIRWASM_TRY(args());
      return d;
    case K::kResult: {
      d.kind = model::DefKind::kResult;
      size_t i = 0;
      for (bool has : {t.has_ok, t.has_err}) {
        if (!has) {
          d.types.push_back(std::nullopt);
          continue;
        }
        AIRWASM_TRY_ASSIGN(model::Ty x, type(scope, t.args[i++], depth + 1));
        d.types.push_back(x);
      }
      return d;
    }
    case K::kFuture:
    case K::kStream: {
      d.kind = t.kind == K::kFuture ? model::DefKind::kFuture : model::DefKind::kStream;
      if (t.has_ok) {
        AIRWASM_TRY_ASSIGN(model::Ty x, type(scope, t.args[0], depth + 1));
        d.types.push_back(x);
      } else {
        d.types.push_back(std::nullopt);
      }
      return d;
    }
    case K::kOwn:
    case K::kBorrow: {
      d.kind = t.kind == K::kOwn ? model::DefKind::kOwn : model::DefKind::kBorrow;
      AIRWASM_TRY_ASSIGN(d.resource, resource_of(scope, t.name));
      return d;
    }
  }
  return d;
}

Result<model::Function> Resolver::function(Scope& scope, const ast::Func& f, std::optional<uint32_t> resource,
                                           const std::string& resource_name) {
  model::Function out;
  out.docs = f.attrs.docs;
  out.stability = f.attrs.stability;
  out.external_id = f.attrs.external_id;
  out.async = f.sig.async;
  switch (f.kind) {
    case ast::Func::Kind::kFreestanding:
      out.name = f.name.name;
      break;
    case ast::Func::Kind::kConstructor:
      out.kind = model::FuncKind::kConstructor;
      out.name = "[constructor]" + resource_name;
      break;
    case ast::Func::Kind::kMethod:
      out.kind = model::FuncKind::kMethod;
      out.name = "[method]" + resource_name + "." + f.name.name;
      break;
    case ast::Func::Kind::kStatic:
      out.kind = model::FuncKind::kStatic;
      out.name = "[static]" + resource_name + "." + f.name.name;
      break;
  }
  if (resource) out.resource = *resource;
  if (f.kind == ast::Func::Kind::kMethod) {
    model::TypeDef self;
    self.kind = model::DefKind::kBorrow;
    self.resource = *resource;
    out.params.push_back({"self", model::Ty::of(anonymous(std::move(self)))});
  }
  for (const ast::Param& p : f.sig.params) {
    for (auto& [name, _] : out.params) {
      if (name == p.name.name)
        return error_at(*scope.src, p.name.offset, "param `" + name + "` is defined more than once");
    }
    AIRWASM_TRY_ASSIGN(model::Ty t, type(scope, p.type, 0));
    out.params.push_back({p.name.name, t});
  }
  if (f.sig.result) {
    AIRWASM_TRY_ASSIGN(out.result, type(scope, *f.sig.result, 0));
  } else if (f.kind == ast::Func::Kind::kConstructor) {
    model::TypeDef own;
    own.kind = model::DefKind::kOwn;
    own.resource = *resource;
    out.result = model::Ty::of(anonymous(std::move(own)));
  }
  return out;
}

Result<std::vector<model::Function>> Resolver::resource_functions(Scope& scope,
                                                                  const std::vector<ast::TypeDecl>& decls) {
  std::vector<model::Function> out;
  for (const ast::TypeDecl& d : decls) {
    if (d.kind != ast::TypeDecl::Kind::kResource || !enabled(d.attrs.stability)) continue;
    auto entry = scope.names.find(d.name.name);
    if (entry == scope.names.end())
      return error_at(*scope.src, d.name.offset, "resource `" + d.name.name + "` not found");
    uint32_t id = entry->second.id;
    std::vector<std::string> seen;
    for (const ast::Func& f : d.funcs) {
      if (!enabled(f.attrs.stability)) continue;
      if (std::find(seen.begin(), seen.end(), f.name.name) != seen.end()) {
        return error_at(*scope.src, f.name.offset,
                        "`" + f.name.name + "` is defined more than once in resource `" + d.name.name + "`");
      }
      seen.push_back(f.name.name);
      if (f.kind == ast::Func::Kind::kConstructor && f.sig.async) {
        return error_at(*scope.src, f.name.offset, "a constructor cannot be async");
      }
      AIRWASM_TRY_ASSIGN(model::Function mf, function(scope, f, id, d.name.name));
      out.push_back(std::move(mf));
    }
  }
  return out;
}

// Walks the structure below a type; meeting a type on the current path again is a cycle. Handles
// (own/borrow) end the walk: a resource has no structure.
Result<void> Resolver::visit_type(uint32_t id, const Scope& scope, int depth) {
  if (type_color_.size() < r_.types.size()) type_color_.resize(r_.types.size(), 0);
  if (type_color_[id] == 2) return {};
  const model::TypeDef& d = r_.types[id];
  if (type_color_[id] == 1 || depth > 2000) {
    return error_at(*scope.src, 0, "type `" + d.name.value_or("<anonymous>") + "` depends on itself");
  }
  type_color_[id] = 1;
  if (d.kind != model::DefKind::kOwn && d.kind != model::DefKind::kBorrow) {
    std::vector<std::optional<model::Ty>> children = d.types;
    for (const auto& t : children) {
      if (t && !t->is_prim) AIRWASM_TRY(visit_type(t->id, scope, depth + 1));
    }
  }
  type_color_[id] = 2;
  return {};
}

Result<void> Resolver::check_cycles(const Scope& scope) {
  for (const auto& [name, e] : scope.names) {
    if (e.id == ~0u) continue;
    auto r = visit_type(e.id, scope, 0);
    if (!r) {
      uint32_t offset = e.decl ? e.decl->name.offset : 0;
      return error_at(*scope.src, offset, "type `" + name + "` depends on itself");
    }
  }
  return {};
}

}  // namespace airwasm::wit
