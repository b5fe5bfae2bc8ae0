// component: validation of type definitions (defined value types, function, component, instance and
// resource types), core types (rec groups, module types) and canonical definitions (lift, lower,
// resource built-ins; the async built-ins are decoded but reported as unsupported).
#include <cstdio>

#include "component/core_module.hh"
#include "component/validator_internal.hh"

namespace airwasm::component::detail {

namespace {

constexpr uint64_t kMaxTypeSize = uint64_t(1) << 28;
constexpr size_t kMaxFlatParams = 16;
constexpr size_t kMaxFlatResults = 1;

Result<std::string> kebab_label(const std::string& s, const char* desc, size_t off) {
  if (is_kebab(s)) return s;
  if (s.empty()) return fail(std::string(desc) + " name cannot be empty", off);
  return fail(std::string(desc) + " name `" + s + "` is not in kebab case", off);
}

std::string lower(const std::string& s) {
  std::string o = s;
  for (auto& c : o) c = char(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

Result<void> unique_labels(const std::vector<std::string>& labels, const char* desc, const char* prev_desc,
                           size_t off) {
  for (size_t i = 0; i < labels.size(); ++i) {
    AIRWASM_TRY(kebab_label(labels[i], desc, off));
    for (size_t j = 0; j < i; ++j) {
      if (lower(labels[i]) == lower(labels[j])) {
        return fail(std::string(desc) + " name `" + labels[i] + "` conflicts with previous " + prev_desc +
                        " name `" + labels[j] + "`",
                    off);
      }
    }
  }
  return {};
}

std::string flat_list(const std::vector<FlatType>& v) {
  static const char* kN[] = {"I32", "I64", "F32", "F64"};
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::string(kN[int(v[i])]);
  return s + "]";
}

std::string core_list(const std::vector<CoreValType>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + core_valtype_name(v[i]);
  return s + "]";
}

bool same(const std::vector<FlatType>& f, const std::vector<CoreValType>& c) {
  if (f.size() != c.size()) return false;
  static const uint8_t kCodes[] = {0x7f, 0x7e, 0x7d, 0x7c};
  for (size_t i = 0; i < f.size(); ++i) {
    if (c[i].kind != kCodes[int(f[i])]) return false;
  }
  return true;
}

const CoreValType kI32{0x7f, false, 0};

std::string idx_oob_core_type(uint32_t i) {
  return "unknown type " + std::to_string(i) + ": type index out of bounds";
}

}  // namespace

struct CanonOpts {
  std::optional<uint32_t> memory, realloc, post_return, callback;
  bool async = false;
};

Result<TypeId> Validator::valtype(const ValTypeRef& v, size_t off) {
  if (v.is_prim) return s_.prim(v.prim);
  AIRWASM_TRY_ASSIGN(TypeId t, type_at(v.index, off));
  TypeKind k = s_.canon(t).kind;
  if (k == TypeKind::kResource || k == TypeKind::kFunc || k == TypeKind::kInstance ||
      k == TypeKind::kComponent || k == TypeKind::kModule) {
    return fail("type index " + std::to_string(v.index) + " is not a defined type", off);
  }
  return t;
}

Result<TypeId> Validator::defined(const DefinedType& d, size_t off) {
  using K = DefinedType::Kind;
  TypeNode n;
  auto opt = [&](const std::optional<ValTypeRef>& r) -> Result<TypeId> {
    if (!r) return kNoType;
    return valtype(*r, off);
  };
  switch (d.kind) {
    case K::kPrim:
      return s_.alias(s_.prim(d.prim));  // a distinct id: "primitive" in messages
    case K::kRecord: {
      if (d.fields.empty()) return fail("record type must have at least one field", off);
      n.kind = TypeKind::kRecord;
      for (auto& f : d.fields) {
        n.labels.push_back(f.label);
        AIRWASM_TRY_ASSIGN(TypeId t, valtype(f.type, off));
        n.children.push_back(t);
      }
      AIRWASM_TRY(unique_labels(n.labels, "record field", "field", off));
      break;
    }
    case K::kVariant: {
      if (d.cases.empty()) return fail("variant type must have at least one case", off);
      n.kind = TypeKind::kVariant;
      for (auto& c : d.cases) {
        n.labels.push_back(c.label);
        AIRWASM_TRY_ASSIGN(TypeId t, opt(c.type));
        n.children.push_back(t);
      }
      AIRWASM_TRY(unique_labels(n.labels, "variant case", "case", off));
      break;
    }
    case K::kList:
    case K::kOption: {
      n.kind = d.kind == K::kList ? TypeKind::kList : TypeKind::kOption;
      AIRWASM_TRY_ASSIGN(TypeId t, valtype(*d.a, off));
      n.children.push_back(t);
      break;
    }
    case K::kFixedList: {
      if (d.index == 0) return fail("Fixed-length lists must have more than zero elements", off);
      n.kind = TypeKind::kFixedList;
      n.aux = d.index;
      AIRWASM_TRY_ASSIGN(TypeId t, valtype(*d.a, off));
      n.children.push_back(t);
      break;
    }
    case K::kTuple: {
      if (d.types.empty()) return fail("tuple type must have at least one type", off);
      n.kind = TypeKind::kTuple;
      for (auto& v : d.types) {
        AIRWASM_TRY_ASSIGN(TypeId t, valtype(v, off));
        n.children.push_back(t);
      }
      break;
    }
    case K::kFlags: {
      if (d.labels.empty()) return fail("flags must have at least one entry", off);
      if (d.labels.size() > 32) return fail("cannot have more than 32 flags", off);
      n.kind = TypeKind::kFlags;
      n.labels = d.labels;
      AIRWASM_TRY(unique_labels(n.labels, "flag", "flag", off));
      break;
    }
    case K::kEnum: {
      if (d.labels.empty()) return fail("enum type must have at least one variant", off);
      n.kind = TypeKind::kEnum;
      n.labels = d.labels;
      AIRWASM_TRY(unique_labels(n.labels, "enum tag", "tag", off));
      break;
    }
    case K::kResult: {
      n.kind = TypeKind::kResult;
      AIRWASM_TRY_ASSIGN(TypeId a, opt(d.a));
      AIRWASM_TRY_ASSIGN(TypeId b, opt(d.b));
      n.children = {a, b};
      break;
    }
    case K::kOwn:
    case K::kBorrow: {
      n.kind = d.kind == K::kOwn ? TypeKind::kOwn : TypeKind::kBorrow;
      AIRWASM_TRY_ASSIGN(TypeId t, type_at(d.index, off));
      if (s_.canon(t).kind != TypeKind::kResource) {
        return fail("type index " + std::to_string(d.index) + " is not a resource type", off);
      }
      n.children.push_back(t);
      break;
    }
    case K::kStream:
    case K::kFuture: {
      n.kind = d.kind == K::kStream ? TypeKind::kStream : TypeKind::kFuture;
      AIRWASM_TRY_ASSIGN(TypeId t, opt(d.a));
      if (d.kind == K::kStream && t != kNoType && s_.canon(t).kind == TypeKind::kPrim &&
          s_.canon(t).prim == Prim::kChar) {
        return fail(
            "`stream<char>` is not valid at this time, use `stream<u8>` with a defined by encoding instead "
            "for now",
            off);
      }
      if (t != kNoType && s_.canon(t).contains_borrow)
        return fail("stream and future payloads cannot contain a `borrow`", off);
      n.children.push_back(t);
      break;
    }
    case K::kMap: {
      n.kind = TypeKind::kMap;
      AIRWASM_TRY_ASSIGN(TypeId k, valtype(*d.a, off));
      AIRWASM_TRY_ASSIGN(TypeId v, valtype(*d.b, off));
      const TypeNode& kn = s_.canon(k);
      bool key_ok = kn.kind == TypeKind::kPrim && kn.prim != Prim::kF32 && kn.prim != Prim::kF64 &&
                    kn.prim != Prim::kErrorContext;
      if (!key_ok) return fail("map key type must be a primitive type other than a float", off);
      n.children = {k, v};
      break;
    }
  }
  TypeId id = s_.intern(std::move(n));
  const TypeNode& c = s_.canon(id);
  if (c.depth > 100) return fail("type nesting is too deep", off);
  if (c.elem_size64 >= kMaxTypeSize) return fail("type size exceeds maximum byte size", off);
  return id;
}

Result<TypeId> Validator::make_type(const TypeDef& t) {
  size_t off = t.offset;
  switch (t.kind) {
    case TypeDef::Kind::kDefined:
      return defined(t.defined, off);
    case TypeDef::Kind::kFunc: {
      TypeNode n;
      n.kind = TypeKind::kFunc;
      n.aux = t.func.async;
      std::vector<std::string> names;
      for (auto& p : t.func.params) {
        AIRWASM_TRY(kebab_label(p.label, "function parameter", off));
        for (auto& prev : names) {
          if (lower(prev) == lower(p.label)) {
            return fail("function parameter name `" + p.label + "` conflicts with previous parameter name `" +
                            prev + "`",
                        off);
          }
        }
        names.push_back(p.label);
        AIRWASM_TRY_ASSIGN(TypeId pt, valtype(p.type, off));
        n.children.push_back(pt);
      }
      n.labels = names;
      TypeId r = kNoType;
      if (t.func.result) {
        AIRWASM_SET(r, valtype(*t.func.result, off));
        if (s_.canon(r).contains_borrow) return fail("function result cannot contain a `borrow` type", off);
      }
      n.children.push_back(r);
      return s_.intern(std::move(n));
    }
    case TypeDef::Kind::kComponent:
      return decls_type(t.decls, true);
    case TypeDef::Kind::kInstance:
      return decls_type(t.decls, false);
    case TypeDef::Kind::kResource: {
      if (cur().kind != ScopeKind::kComponent)
        return fail("resources can only be defined within a concrete component", off);
      if (t.rep.kind != 0x7f && t.rep.kind != 0x7e)
        return fail("resources can only be represented by `i32` or `i64`", off);
      if (t.dtor) {
        AIRWASM_TRY_ASSIGN(CoreFuncType ft, core_func_at(*t.dtor, off));
        if (ft.params.size() != 1 || !(ft.params[0] == t.rep) || !ft.results.empty()) {
          return fail("core function " + std::to_string(*t.dtor) + " has wrong signature for a destructor",
                      off);
        }
      }
      ResourceInfo info;
      info.local = true;
      info.rep = t.rep;
      info.dtor = t.dtor;
      ResourceId r = s_.new_resource(info);
      cur().defined_resources.push_back(r);
      return s_.resource_type(r);
    }
  }
  return fail("bad type", off);
}

Result<void> Validator::type_def(const TypeDef& t) {
  AIRWASM_TRY_ASSIGN(TypeId id, make_type(t));
  cur().types.push_back(id);
  return {};
}

Result<TypeId> Validator::decls_type(const std::vector<TypeDecl>& decls, bool is_component) {
  if (scopes_.size() > 100) return fail("type nesting is too deep", 0);
  scopes_.emplace_back();
  cur().kind = is_component ? ScopeKind::kComponentType : ScopeKind::kInstanceType;
  for (const TypeDecl& d : decls) {
    switch (d.kind) {
      case TypeDecl::Kind::kCoreType:
        AIRWASM_TRY(core_type(d.core_type[0]));
        break;
      case TypeDecl::Kind::kType:
        AIRWASM_TRY(type_def(d.type[0]));
        break;
      case TypeDecl::Kind::kAlias:
        AIRWASM_TRY(alias(d.alias));
        break;
      case TypeDecl::Kind::kImport:
      case TypeDecl::Kind::kExport: {
        AIRWASM_TRY_ASSIGN(Entity e, entity_of_desc(d.desc));
        AIRWASM_TRY(add_extern(d.name, e, d.kind == TypeDecl::Kind::kImport, d.offset));
        break;
      }
    }
  }
  TypeId out;
  if (is_component) {
    AIRWASM_SET(out, finish_scope());
  } else {
    InstanceTypeInfo info;
    info.exports = cur().exports;
    info.defined_resources = cur().defined_resources;
    out = s_.add_instance(std::move(info));
  }
  scopes_.pop_back();
  return out;
}

Result<TypeId> Validator::module_type(const CoreTypeDef& t) {
  // Module types get their own core type index space; outer aliases reach the enclosing scopes.
  std::vector<CoreSubType> types;
  ModuleTypeInfo info;
  std::set<std::string> import_names, export_names;
  auto entity = [&](const CoreExternType& x, size_t off) -> Result<CoreEntity> {
    CoreEntity e;
    e.kind = x.kind;
    e.val = x.val;
    e.limits = x.limits;
    e.mut = x.mut;
    if (x.kind == 0 || x.kind == 4) {
      if (x.type >= types.size()) return fail("type index out of bounds", off);
      if (types[x.type].comp != CoreSubType::Comp::kFunc)
        return fail("type index is not a function type", off);
      e.func = types[x.type].func;
    }
    if (x.kind == 2 && !x.limits.is64 && (x.limits.min > 65536 || (x.limits.max && *x.limits.max > 65536))) {
      return fail("memory size must be at most 65536 pages (4GiB)", off);
    }
    return e;
  };
  for (const CoreModuleDecl& d : t.decls) {
    size_t off = d.offset;
    switch (d.kind) {
      case CoreModuleDecl::Kind::kType:
        if (d.type[0].kind == CoreTypeDef::Kind::kModule)
          return fail("invalid leading byte: nested module type", off);
        for (auto& st : d.type[0].rec) types.push_back(st);
        break;
      case CoreModuleDecl::Kind::kAlias: {
        if (d.outer_count == 0) {
          if (d.outer_index >= types.size()) return fail("type index out of bounds", off);
          types.push_back(types[d.outer_index]);
          break;
        }
        size_t count = d.outer_count - 1;
        if (count >= scopes_.size())
          return fail("invalid outer alias count of " + std::to_string(count), off);
        Scope& target = scopes_[scopes_.size() - 1 - count];
        if (d.outer_index >= target.core_types.size()) return fail("type index out of bounds", off);
        if (target.core_types[d.outer_index].is_module) {
          return fail("not implemented: aliasing core module types into a core module's types index space",
                      off);
        }
        types.push_back(target.core_types[d.outer_index].sub);
        break;
      }
      case CoreModuleDecl::Kind::kImport: {
        AIRWASM_TRY_ASSIGN(CoreEntity e, entity(d.import.type, off));
        std::string key = d.import.module + ":" + d.import.name;
        if (!import_names.insert(key).second) return fail("duplicate import name `" + key + "`", off);
        info.imports.push_back({{d.import.module, d.import.name}, e});
        break;
      }
      case CoreModuleDecl::Kind::kExport: {
        AIRWASM_TRY_ASSIGN(CoreEntity e, entity(d.export_type, off));
        if (!export_names.insert(d.export_name).second) {
          return fail("export name `" + d.export_name + "` already defined", off);
        }
        info.exports.push_back({d.export_name, e});
        break;
      }
    }
  }
  return s_.add_module(std::move(info));
}

Result<void> Validator::core_type(const CoreTypeDef& t) {
  if (t.kind == CoreTypeDef::Kind::kModule) {
    AIRWASM_TRY_ASSIGN(TypeId m, module_type(t));
    CoreTypeSlot slot;
    slot.is_module = true;
    slot.module = m;
    cur().core_types.push_back(std::move(slot));
    return {};
  }
  for (auto& st : t.rec) {
    for (auto& v : st.func.params) {
      if (v.kind == CoreValType::kRef && v.heap >= 0 &&
          size_t(v.heap) >= cur().core_types.size() + t.rec.size()) {
        return fail("type index out of bounds", t.offset);
      }
    }
    CoreTypeSlot slot;
    slot.sub = st;
    cur().core_types.push_back(std::move(slot));
  }
  return {};
}

Result<std::vector<FlatType>> Validator::lower_sig(TypeId func, bool lift, const CanonOpts& o, size_t off,
                                                   std::vector<FlatType>* results) {
  const TypeNode& f = s_.canon(func);
  auto require_memory = [&]() -> Result<void> {
    if (!o.memory) return fail("canonical option `memory` is required", off);
    return {};
  };
  auto require_realloc = [&]() -> Result<void> {
    AIRWASM_TRY(require_memory());
    if (!o.realloc) return fail("canonical option `realloc` is required", off);
    return {};
  };
  std::vector<FlatType> params;
  size_t np = f.labels.size();
  bool overflow = false;
  for (size_t i = 0; i < np; ++i) {
    const TypeNode& p = s_.canon(f.children[i]);
    if (p.contains_ptr) {
      if (lift)
        AIRWASM_TRY(require_realloc());
      else
        AIRWASM_TRY(require_memory());
    }
    for (FlatType ft : p.flat) params.push_back(ft);
    if (p.flat.size() >= kMaxFlat || params.size() > kMaxFlatParams) overflow = true;
  }
  if (overflow) {
    params = {FlatType::kI32};
    AIRWASM_TRY(require_memory());
    if (lift) AIRWASM_TRY(require_realloc());
  }
  TypeId r = f.children[np];
  results->clear();
  if (r != kNoType && o.async) {
    const TypeNode& rn = s_.canon(r);
    if (!lift || rn.flat.size() > kMaxFlatParams || rn.contains_ptr) AIRWASM_TRY(require_memory());
  } else if (r != kNoType) {
    const TypeNode& rn = s_.canon(r);
    if (!lift && rn.contains_ptr) AIRWASM_TRY(require_realloc());
    if (rn.flat.size() > kMaxFlatResults) {
      AIRWASM_TRY(require_memory());
      if (lift)
        results->push_back(FlatType::kI32);
      else
        params.push_back(FlatType::kI32);
    } else {
      *results = rn.flat;
    }
  }
  return params;
}

Result<void> Validator::canon(const Canon& c) {
  size_t off = c.offset;
  // Options.
  CanonOpts o;
  const char* encoding = nullptr;
  for (auto& opt : c.opts) {
    using OK = CanonOpt::Kind;
    switch (opt.kind) {
      case OK::kUtf8:
      case OK::kUtf16:
      case OK::kLatin1Utf16: {
        const char* name = opt.kind == OK::kUtf8 ? "utf8" : opt.kind == OK::kUtf16 ? "utf16" : "latin1-utf16";
        if (encoding)
          return fail(std::string("canonical encoding option `") + encoding + "` conflicts with option `" +
                          name + "`",
                      off);
        encoding = name;
        break;
      }
      case OK::kMemory: {
        if (o.memory) return fail("canonical option `memory` is specified more than once", off);
        AIRWASM_TRY_ASSIGN(CoreEntity m, core_memory_at(opt.index, off));
        if (m.limits.shared) return fail("mismatch in the shared flag for memories", off);
        if (m.limits.is64) return fail("64-bit memories require the `cm64` feature to be enabled", off);
        o.memory = opt.index;
        break;
      }
      case OK::kRealloc:
        if (o.realloc) return fail("canonical option `realloc` is specified more than once", off);
        o.realloc = opt.index;
        break;
      case OK::kPostReturn:
        if (o.post_return) return fail("canonical option `post-return` is specified more than once", off);
        o.post_return = opt.index;
        break;
      case OK::kAsync:
        if (o.async) return fail("canonical option `async` is specified more than once", off);
        o.async = true;
        break;
      case OK::kCallback:
        if (o.callback) return fail("canonical option `callback` is specified more than once", off);
        o.callback = opt.index;
        break;
    }
  }
  if (!o.async && o.callback) return fail("cannot specify callback without async", off);
  if (o.async && o.post_return) return fail("cannot specify post-return function in async", off);
  if (o.realloc) {
    if (!o.memory) return fail("canonical option `realloc` requires `memory` to also be specified", off);
    AIRWASM_TRY_ASSIGN(CoreFuncType ft, core_func_at(*o.realloc, off));
    if (ft.params != std::vector<CoreValType>(4, kI32) || ft.results != std::vector<CoreValType>{kI32}) {
      return fail("canonical option `realloc` uses a core function with an incorrect signature", off);
    }
  }
  auto resource_at = [&](uint32_t idx) -> Result<ResourceId> {
    AIRWASM_TRY_ASSIGN(TypeId t, type_at(idx, off));
    if (s_.canon(t).kind != TypeKind::kResource)
      return fail("type index " + std::to_string(idx) + " is not a resource type", off);
    return s_.canon(t).aux;
  };
  auto local_resource = [&](uint32_t idx) -> Result<CoreValType> {
    AIRWASM_TRY_ASSIGN(ResourceId r, resource_at(idx));
    const ResourceInfo& info = s_.resource(r);
    bool mine = std::find(cur().defined_resources.begin(), cur().defined_resources.end(), r) !=
                cur().defined_resources.end();
    if (!info.local || !mine || !info.rep)
      return fail("type " + std::to_string(idx) + " is not a local resource", off);
    return *info.rep;
  };
  switch (c.op) {
    case Canon::kLift: {
      AIRWASM_TRY_ASSIGN(TypeId ft, type_at(c.type, off));
      if (s_.canon(ft).kind != TypeKind::kFunc)
        return fail("type index " + std::to_string(c.type) + " is not a function type", off);
      AIRWASM_TRY_ASSIGN(CoreFuncType core, core_func_at(c.func, off));
      if (o.post_return) {
        AIRWASM_TRY_ASSIGN(CoreFuncType pr, core_func_at(*o.post_return, off));
        if (pr.params != core.results || !pr.results.empty()) {
          return fail("canonical option `post-return` uses a core function with an incorrect signature", off);
        }
      }
      if (o.async && !s_.canon(ft).aux)
        return fail("the `async` canonical option requires an async function type", off);
      if (o.callback) {
        AIRWASM_TRY_ASSIGN(CoreFuncType cb, core_func_at(*o.callback, off));
        if (cb.params != std::vector<CoreValType>(3, kI32) && cb.params != std::vector<CoreValType>{kI32}) {
          return fail("canonical option `callback` uses a core function with an incorrect signature", off);
        }
      }
      std::vector<FlatType> results;
      AIRWASM_TRY_ASSIGN(auto params, lower_sig(ft, true, o, off, &results));
      if (o.async) results = o.callback ? std::vector<FlatType>{FlatType::kI32} : std::vector<FlatType>{};
      if (!same(params, core.params)) {
        return fail("lowered parameter types `" + flat_list(params) + "` do not match parameter types `" +
                        core_list(core.params) + "` of core function " + std::to_string(c.func),
                    off);
      }
      if (!same(results, core.results)) {
        return fail("lowered result types `" + flat_list(results) + "` do not match result types `" +
                        core_list(core.results) + "` of core function " + std::to_string(c.func),
                    off);
      }
      cur().funcs.push_back(ft);
      return {};
    }
    case Canon::kLower: {
      AIRWASM_TRY_ASSIGN(TypeId ft, func_at(c.func, off));
      if (o.post_return) return fail("canonical option `post-return` cannot be specified for lowerings", off);
      if (o.callback) return fail("canonical option `callback` cannot be specified for lowerings", off);
      if (o.async && !s_.canon(ft).aux)
        return fail("the `async` canonical option requires an async function type", off);
      std::vector<FlatType> results;
      AIRWASM_TRY_ASSIGN(auto params, lower_sig(ft, false, o, off, &results));
      if (o.async) {
        const TypeNode& f = s_.canon(ft);
        params.clear();
        for (size_t i = 0; i < f.labels.size(); ++i) {
          for (FlatType t : s_.canon(f.children[i]).flat) params.push_back(t);
        }
        if (params.size() > 4) params = {FlatType::kI32};
        if (f.children.back() != kNoType) params.push_back(FlatType::kI32);
        results = {FlatType::kI32};
      }
      static const uint8_t kCodes[] = {0x7f, 0x7e, 0x7d, 0x7c};
      CoreFuncType core;
      for (FlatType f : params) core.params.push_back(CoreValType{kCodes[int(f)], false, 0});
      for (FlatType f : results) core.results.push_back(CoreValType{kCodes[int(f)], false, 0});
      cur().core_funcs.push_back(core);
      return {};
    }
    case Canon::kResourceNew: {
      AIRWASM_TRY_ASSIGN(CoreValType rep, local_resource(c.type));
      cur().core_funcs.push_back(CoreFuncType{{rep}, {kI32}});
      return {};
    }
    case Canon::kResourceDrop: {
      AIRWASM_TRY(resource_at(c.type));
      cur().core_funcs.push_back(CoreFuncType{{kI32}, {}});
      return {};
    }
    case Canon::kResourceRep: {
      AIRWASM_TRY_ASSIGN(CoreValType rep, local_resource(c.type));
      cur().core_funcs.push_back(CoreFuncType{{kI32}, {rep}});
      return {};
    }
  }
  // The async and thread built-ins: type-checked here, run by the runtime later.
  const CoreValType I = kI32, L{0x7e, false, 0};
  auto push = [&](std::vector<CoreValType> p, std::vector<CoreValType> r) {
    cur().core_funcs.push_back(CoreFuncType{std::move(p), std::move(r)});
    return Result<void>{};
  };
  auto typed = [&](TypeKind want, const char* what) -> Result<void> {
    AIRWASM_TRY_ASSIGN(TypeId t, type_at(c.type, off));
    if (s_.canon(t).kind != want) {
      return fail(std::string("`") + canon_name(c.op) + "` requires a " + what + " type", off);
    }
    return {};
  };
  switch (c.op) {
    case 0x09: {  // task.return
      if (o.post_return) return fail("cannot specify `post-return` option on `task.return`", off);
      if (o.realloc) return fail("cannot specify `realloc` option on `task.return`", off);
      std::vector<CoreValType> params;
      if (c.result) {
        AIRWASM_TRY_ASSIGN(TypeId t, valtype(*c.result, off));
        const TypeNode& n = s_.canon(t);
        static const uint8_t kCodes[] = {0x7f, 0x7e, 0x7d, 0x7c};
        if (n.flat.size() > kMaxFlatParams) {
          if (!o.memory) return fail("canonical option `memory` is required", off);
          params.push_back(I);
        } else {
          if (n.contains_ptr && !o.memory) return fail("canonical option `memory` is required", off);
          for (FlatType f : n.flat) params.push_back(CoreValType{kCodes[int(f)], false, 0});
        }
      }
      return push(params, {});
    }
    case 0x05:
    case 0x24:
    case 0x25:
      return push({}, {});
    case 0x0a:
    case 0x0b:
      if (c.val.kind != 0x7f)
        return fail(std::string("`") + canon_name(c.op) + "` only supports `i32` or `i64`", off);
      if (c.extra > 1)
        return fail(std::string("`") + canon_name(c.op) + "` immediate must be less than 2", off);
      return c.op == 0x0a ? push({}, {c.val}) : push({c.val}, {});
    case 0x06:
      return push({I}, {I});
    case 0x0d:
      return push({I}, {});
    case 0x0e:
      AIRWASM_TRY(typed(TypeKind::kStream, "stream"));
      return push({}, {L});
    case 0x15:
      AIRWASM_TRY(typed(TypeKind::kFuture, "future"));
      return push({}, {L});
    case 0x0f:
    case 0x10:
      AIRWASM_TRY(typed(TypeKind::kStream, "stream"));
      return push({I, I, I}, {I});
    case 0x16:
    case 0x17:
      AIRWASM_TRY(typed(TypeKind::kFuture, "future"));
      return push({I, I}, {I});
    case 0x11:
    case 0x12:
      AIRWASM_TRY(typed(TypeKind::kStream, "stream"));
      return push({I}, {I});
    case 0x18:
    case 0x19:
      AIRWASM_TRY(typed(TypeKind::kFuture, "future"));
      return push({I}, {I});
    case 0x13:
    case 0x14:
      AIRWASM_TRY(typed(TypeKind::kStream, "stream"));
      return push({I}, {});
    case 0x1a:
    case 0x1b:
      AIRWASM_TRY(typed(TypeKind::kFuture, "future"));
      return push({I}, {});
    case 0x1c:
      return push({I, I}, {I});
    case 0x1d:
      return push({I, I}, {});
    case 0x1e:
      return push({I}, {});
    case 0x1f:
      return push({}, {I});
    case 0x20:
    case 0x21:
      AIRWASM_TRY(core_memory_at(c.extra, off));
      return push({I, I}, {I});
    case 0x22:
      return push({I}, {});
    case 0x23:
      return push({I, I}, {});
    case 0x26:
      return push({}, {I});
    case 0x27: {
      if (c.type >= cur().core_types.size()) return fail(idx_oob_core_type(c.type), off);
      if (c.extra >= cur().core_tables.size())
        return fail("unknown table " + std::to_string(c.extra) + ": table index out of bounds", off);
      return push({I, I}, {I});
    }
    case 0x28:
      return push({I}, {});
    case 0x29:
    case 0x0c:
      return push({}, {I});
    case 0x2a:
    case 0x2b:
    case 0x2c:
    case 0x2d:
      return push({I}, {I});
    case 0x40:
    case 0x41:
    case 0x42:
      return make_error(ErrorKind::kUnsupported,
                        std::string("canonical built-in `") + canon_name(c.op) + "` is not supported", off);
  }
  return make_error(ErrorKind::kUnsupported,
                    std::string("canonical built-in `") + canon_name(c.op) + "` is not supported", off);
}

}  // namespace airwasm::component::detail
