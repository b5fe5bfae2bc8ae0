// component: the subtype checker (see subtype.hh).
#include "component/subtype.hh"

namespace airwasm::component {

using namespace ast;  // the front end works on the syntax throughout

namespace {

std::unexpected<Error> fail(std::string m, size_t off) {
  return base::invalid(std::move(m), off);
}

// Prefixes a context to an error, keeping the inner message (tests match either part).
template <typename T>
Result<T> ctx(Result<T> r, const std::string& context) {
  if (r) return r;
  Error e = r.error();
  e.message = context + ": " + e.message;
  return std::unexpected(std::move(e));
}

const char* entity_desc(Entity::Kind k) {
  return entity_kind_name(k);
}

std::string any_desc(const TypeStore& s, TypeId id) {
  switch (s.canon(id).kind) {
    case TypeKind::kResource:
      return "resource";
    case TypeKind::kFunc:
      return "func type";
    case TypeKind::kInstance:
      return "instance type";
    case TypeKind::kComponent:
      return "component type";
    case TypeKind::kModule:
      return "module type";
    default:
      return "defined type";
  }
}

}  // namespace

std::string core_valtype_name(const CoreValType& t) {
  switch (t.kind) {
    case 0x7f:
      return "I32";
    case 0x7e:
      return "I64";
    case 0x7d:
      return "F32";
    case 0x7c:
      return "F64";
    case 0x7b:
      return "V128";
  }
  if (t.heap == -0x70) return t.nullable ? "funcref" : "(ref func)";
  if (t.heap == -0x6f) return t.nullable ? "externref" : "(ref extern)";
  return "ref";
}

std::string core_valtype_text(const CoreValType& t) {
  switch (t.kind) {
    case 0x7f:
      return "i32";
    case 0x7e:
      return "i64";
    case 0x7d:
      return "f32";
    case 0x7c:
      return "f64";
    case 0x7b:
      return "v128";
  }
  if (t.heap == -0x70) return t.nullable ? "funcref" : "(ref func)";
  if (t.heap == -0x6f) return t.nullable ? "externref" : "(ref extern)";
  return t.nullable ? "(ref null " + std::to_string(t.heap) + ")" : "(ref " + std::to_string(t.heap) + ")";
}

std::string core_func_text(const CoreFuncType& f) {
  std::string s = "(func";
  if (!f.params.empty()) {
    s += " (param";
    for (auto& p : f.params) s += " " + core_valtype_text(p);
    s += ")";
  }
  if (!f.results.empty()) {
    s += " (result";
    for (auto& p : f.results) s += " " + core_valtype_text(p);
    s += ")";
  }
  return s + ")";
}

ResourceId SubtypeCx::resolve(ResourceId r) const {
  for (int i = 0; i < 64; ++i) {
    auto it = map_.find(r);
    if (it == map_.end() || it->second == r) return r;
    r = it->second;
  }
  return r;
}

Result<void> SubtypeCx::resources(TypeId a, TypeId b, size_t off) {
  ResourceId ra = s_.canon(a).aux, rb = s_.canon(b).aux;
  if (resolve(ra) == resolve(rb)) return {};
  if (bindable_.count(rb) && !map_.count(rb)) {
    map_[rb] = ra;
    return {};
  }
  return fail("resource types are not the same", off);
}

Result<void> SubtypeCx::entity(const Entity& a, const Entity& b, size_t off) {
  using K = Entity::Kind;
  if (a.kind != b.kind) {
    return fail(std::string("expected ") + entity_desc(b.kind) + ", found " + entity_desc(a.kind), off);
  }
  switch (a.kind) {
    case K::kModule:
      return module(a.type, b.type, off);
    case K::kFunc:
      return func(a.type, b.type, off);
    case K::kValue:
      return val(a.type, b.type, off);
    case K::kType:
      return any_type(a.referenced, b.referenced, off);
    case K::kInstance:
      return instance(a.type, b.type, off);
    case K::kComponent:
      return component(a.type, b.type, off);
  }
  return {};
}

Result<void> SubtypeCx::any_type(TypeId a, TypeId b, size_t off) {
  const TypeNode& na = s_.canon(a);
  const TypeNode& nb = s_.canon(b);
  auto class_of = [](TypeKind k) {
    switch (k) {
      case TypeKind::kResource:
        return 0;
      case TypeKind::kFunc:
        return 2;
      case TypeKind::kInstance:
        return 3;
      case TypeKind::kComponent:
        return 4;
      case TypeKind::kModule:
        return 5;
      default:
        return 1;
    }
  };
  int ca = class_of(na.kind), cb = class_of(nb.kind);
  if (ca != cb) return fail("expected " + any_desc(s_, b) + ", found " + any_desc(s_, a), off);
  switch (ca) {
    case 0:
      return resources(a, b, off);
    case 1:
      return val(a, b, off);
    case 2:
      return func(a, b, off);
    case 3:
      return instance(a, b, off);
    case 4:
      return component(a, b, off);
    default:
      return module(a, b, off);
  }
}

Result<void> SubtypeCx::val(TypeId a, TypeId b, size_t off) {
  if (map_.empty() && s_.canon_id(a) == s_.canon_id(b)) return {};
  const TypeNode& na = s_.node(s_.strip(a));
  const TypeNode& nb = s_.node(s_.strip(b));
  if (na.kind == TypeKind::kResource || nb.kind == TypeKind::kResource) return any_type(a, b, off);
  if (na.kind != nb.kind) {
    // A primitive written inline names itself; one defined by index is "primitive".
    bool raw_a = a < TypeId(Prim::kErrorContext) + 1, raw_b = b < TypeId(Prim::kErrorContext) + 1;
    std::string da = na.kind == TypeKind::kPrim ? (raw_a ? prim_name(na.prim) : "primitive") : s_.describe(a);
    std::string db = nb.kind == TypeKind::kPrim ? (raw_b ? prim_name(nb.prim) : "primitive") : s_.describe(b);
    if (na.kind == TypeKind::kPrim && !raw_b) da = prim_name(na.prim);
    if (nb.kind == TypeKind::kPrim && !raw_a) db = raw_b ? prim_name(nb.prim) : "primitive";
    return fail("expected " + db + ", found " + da, off);
  }
  switch (na.kind) {
    case TypeKind::kPrim:
      if (na.prim != nb.prim) {
        return fail(std::string("expected primitive `") + prim_name(nb.prim) + "` found primitive `" +
                        prim_name(na.prim) + "`",
                    off);
      }
      return {};
    case TypeKind::kRecord: {
      if (na.children.size() != nb.children.size()) {
        return fail("expected " + std::to_string(nb.children.size()) + " fields, found " +
                        std::to_string(na.children.size()),
                    off);
      }
      for (size_t i = 0; i < na.children.size(); ++i) {
        if (na.labels[i] != nb.labels[i]) {
          return fail("expected field name `" + nb.labels[i] + "`, found `" + na.labels[i] + "`", off);
        }
        AIRWASM_TRY(ctx(val(na.children[i], nb.children[i], off),
                        "type mismatch in record field `" + na.labels[i] + "`"));
      }
      return {};
    }
    case TypeKind::kVariant: {
      if (na.children.size() != nb.children.size()) {
        return fail("expected " + std::to_string(nb.children.size()) + " cases, found " +
                        std::to_string(na.children.size()),
                    off);
      }
      for (size_t i = 0; i < na.children.size(); ++i) {
        if (na.labels[i] != nb.labels[i]) {
          return fail("expected case named `" + nb.labels[i] + "`, found `" + na.labels[i] + "`", off);
        }
        TypeId ca = na.children[i], cb = nb.children[i];
        if (ca != kNoType && cb != kNoType) {
          AIRWASM_TRY(ctx(val(ca, cb, off), "type mismatch in variant case `" + na.labels[i] + "`"));
        } else if (ca == kNoType && cb != kNoType) {
          return fail("expected case `" + na.labels[i] + "` to have a type, found none", off);
        } else if (ca != kNoType && cb == kNoType) {
          return fail("expected case `" + na.labels[i] + "` to have no type", off);
        }
      }
      return {};
    }
    case TypeKind::kList:
    case TypeKind::kOption:
      return val(na.children[0], nb.children[0], off);
    case TypeKind::kFixedList:
      if (na.aux != nb.aux) {
        return fail(
            "expected fixed-length " + std::to_string(nb.aux) + ", found size " + std::to_string(na.aux),
            off);
      }
      return val(na.children[0], nb.children[0], off);
    case TypeKind::kMap:
      AIRWASM_TRY(ctx(val(na.children[0], nb.children[0], off), "type mismatch in map key"));
      return ctx(val(na.children[1], nb.children[1], off), "type mismatch in map value");
    case TypeKind::kTuple:
      if (na.children.size() != nb.children.size()) {
        return fail("expected " + std::to_string(nb.children.size()) + " types, found " +
                        std::to_string(na.children.size()),
                    off);
      }
      for (size_t i = 0; i < na.children.size(); ++i) {
        AIRWASM_TRY(ctx(val(na.children[i], nb.children[i], off),
                        "type mismatch in tuple field " + std::to_string(i)));
      }
      return {};
    case TypeKind::kFlags:
    case TypeKind::kEnum:
      if (na.labels != nb.labels) {
        return fail(
            std::string("mismatch in ") + (na.kind == TypeKind::kFlags ? "flags" : "enum") + " elements",
            off);
      }
      return {};
    case TypeKind::kResult: {
      const char* names[] = {"ok", "err"};
      for (int i = 0; i < 2; ++i) {
        TypeId ca = na.children[i], cb = nb.children[i];
        if (ca != kNoType && cb != kNoType) {
          AIRWASM_TRY(ctx(val(ca, cb, off), std::string("type mismatch in ") + names[i] + " variant"));
        } else if (ca == kNoType && cb != kNoType) {
          return fail(std::string("expected ") + names[i] + " type, but found none", off);
        } else if (ca != kNoType && cb == kNoType) {
          return fail(std::string("expected ") + names[i] + " type to not be present", off);
        }
      }
      return {};
    }
    case TypeKind::kOwn:
    case TypeKind::kBorrow:
      return resources(na.children[0], nb.children[0], off);
    case TypeKind::kStream:
    case TypeKind::kFuture: {
      const char* what = na.kind == TypeKind::kStream ? "stream" : "future";
      TypeId ca = na.children[0], cb = nb.children[0];
      if (ca != kNoType && cb != kNoType)
        return ctx(val(ca, cb, off), std::string("type mismatch in ") + what);
      if (ca == kNoType && cb != kNoType)
        return fail(std::string("expected ") + what + " type, but found none", off);
      if (ca != kNoType && cb == kNoType)
        return fail(std::string("expected ") + what + " type to not be present", off);
      return {};
    }
    default:
      return any_type(a, b, off);
  }
}

Result<void> SubtypeCx::func(TypeId a, TypeId b, size_t off) {
  const TypeNode& na = s_.canon(a);
  const TypeNode& nb = s_.canon(b);
  if (na.kind != TypeKind::kFunc || nb.kind != TypeKind::kFunc) return any_type(a, b, off);
  if (na.aux != nb.aux) {
    return fail(std::string("expected ") + (nb.aux ? "async" : "sync") + " function, found " +
                    (na.aux ? "async" : "sync") + " function",
                off);
  }
  size_t pa = na.labels.size(), pb = nb.labels.size();
  if (pa != pb)
    return fail("expected " + std::to_string(pb) + " parameters, found " + std::to_string(pa), off);
  for (size_t i = 0; i < pa; ++i) {
    if (na.labels[i] != nb.labels[i]) {
      return fail("expected parameter named `" + nb.labels[i] + "`, found `" + na.labels[i] + "`", off);
    }
    AIRWASM_TRY(ctx(val(na.children[i], nb.children[i], off),
                    "type mismatch in function parameter `" + na.labels[i] + "`"));
  }
  TypeId ra = na.children[pa], rb = nb.children[pb];
  if (ra != kNoType && rb != kNoType) return ctx(val(ra, rb, off), "type mismatch with result type");
  if (ra != kNoType) return fail("expected a result, found none", off);
  if (rb != kNoType) return fail("expected no result, found one", off);
  return {};
}

Result<void> SubtypeCx::instance(TypeId a, TypeId b, size_t off) {
  if (s_.canon(a).kind != TypeKind::kInstance || s_.canon(b).kind != TypeKind::kInstance)
    return any_type(a, b, off);
  const InstanceTypeInfo& ia = s_.instance(a);
  const InstanceTypeInfo& ib = s_.instance(b);
  bindable(ib.defined_resources);
  for (auto& eb : ib.exports) {
    if (!ia.find(eb.name)) return fail("missing expected export `" + eb.name + "`", off);
  }
  for (auto& eb : ib.exports) {
    const NamedEntity* ea = ia.find(eb.name);
    AIRWASM_TRY(
        ctx(entity(ea->entity, eb.entity, off), "type mismatch in instance export `" + eb.name + "`"));
  }
  return {};
}

Result<void> SubtypeCx::component(TypeId a, TypeId b, size_t off) {
  if (s_.canon(a).kind != TypeKind::kComponent || s_.canon(b).kind != TypeKind::kComponent)
    return any_type(a, b, off);
  const ComponentTypeInfo ca = s_.component(a);
  const ComponentTypeInfo cb = s_.component(b);
  // b's imports must satisfy a's imports; then a's exports must satisfy b's exports.
  bindable(ca.imported_resources);
  AIRWASM_TRY(open(cb.imports, ca.imports, "import", off));
  bindable(cb.defined_resources);
  std::vector<NamedEntity> a_exports = ca.exports;
  return open(a_exports, cb.exports, "export", off);
}

Result<void> SubtypeCx::open(const std::vector<NamedEntity>& args, const std::vector<NamedEntity>& expected,
                             const char* kind, size_t off) {
  for (auto& e : expected) {
    const NamedEntity* found = nullptr;
    for (auto& a : args) {
      if (a.name == e.name) found = &a;
    }
    if (!found) return fail(std::string("missing ") + kind + " named `" + e.name + "`", off);
    AIRWASM_TRY(ctx(entity(found->entity, e.entity, off),
                    std::string("type mismatch for ") + kind + " `" + e.name + "`"));
  }
  return {};
}

Result<void> SubtypeCx::core_entity(const CoreEntity& a, const CoreEntity& b, size_t off) {
  static const char* kNames[] = {"func", "table", "memory", "global", "tag"};
  if (a.kind != b.kind) {
    return fail(std::string("expected ") + kNames[b.kind % 5] + ", found " + kNames[a.kind % 5], off);
  }
  switch (a.kind) {
    case 0:
    case 4:
      if (!(a.func == b.func)) {
        return fail("expected: " + core_func_text(b.func) + "\nfound:    " + core_func_text(a.func), off);
      }
      return {};
    case 1:
      if (!(a.val == b.val)) {
        return fail(
            "expected table element type " + core_valtype_text(b.val) + ", found " + core_valtype_text(a.val),
            off);
      }
      if (a.limits.shared != b.limits.shared) return fail("mismatch in the shared flag for tables", off);
      [[fallthrough]];
    case 2:
      if (a.kind == 2 && a.limits.shared != b.limits.shared)
        return fail("mismatch in the shared flag for memories", off);
      if (a.kind == 2 && a.limits.is64 != b.limits.is64)
        return fail("mismatch in index type used for memories", off);
      if (a.limits.min < b.limits.min || (b.limits.max && (!a.limits.max || *a.limits.max > *b.limits.max))) {
        return fail(std::string("mismatch in ") + (a.kind == 1 ? "table" : "memory") + " limits", off);
      }
      return {};
    case 3:
      if (a.mut != b.mut) return fail("global types differ in mutability", off);
      if (!(a.val == b.val)) {
        return fail(
            "expected global type " + core_valtype_text(b.val) + ", found " + core_valtype_text(a.val), off);
      }
      return {};
  }
  return {};
}

Result<void> SubtypeCx::module(TypeId a, TypeId b, size_t off) {
  if (s_.canon(a).kind != TypeKind::kModule || s_.canon(b).kind != TypeKind::kModule)
    return any_type(a, b, off);
  const ModuleTypeInfo& ma = s_.module(a);
  const ModuleTypeInfo& mb = s_.module(b);
  for (auto& [k, ea] : ma.imports) {
    const CoreEntity* found = nullptr;
    for (auto& [k2, eb] : mb.imports) {
      if (k2 == k) found = &eb;
    }
    if (!found) return fail("missing expected import `" + k.first + "::" + k.second + "`", off);
    AIRWASM_TRY(
        ctx(core_entity(*found, ea, off), "type mismatch in import `" + k.first + "::" + k.second + "`"));
  }
  for (auto& [k, eb] : mb.exports) {
    const CoreEntity* found = nullptr;
    for (auto& [k2, ea] : ma.exports) {
      if (k2 == k) found = &ea;
    }
    if (!found) return fail("missing expected export `" + k + "`", off);
    AIRWASM_TRY(ctx(core_entity(*found, eb, off), "type mismatch in export `" + k + "`"));
  }
  return {};
}

}  // namespace airwasm::component
