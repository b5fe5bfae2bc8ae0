// component: reading core types (rec groups, module types) and component types (defined value types,
// function, component, instance and resource types), plus the small shared productions: extern names,
// extern descriptions, aliases. Nesting is bounded by kMaxNesting.
#include <cstdio>

#include "component/reader_internal.hh"

namespace airwasm::component::detail {

std::unexpected<Error> Reader::bad_byte(uint8_t b, const char* what, size_t at) const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "invalid leading byte (0x%x) for %s", unsigned(b), what);
  return base::malformed(buf, at);
}

Result<std::string> Reader::name() {
  r_.set_eof_message(kEof);
  AIRWASM_TRY_ASSIGN(auto s, r_.name(kEof));
  return std::string(s);
}

Result<uint32_t> Reader::count() {
  AIRWASM_TRY_ASSIGN(uint32_t n, r_.u32());
  return n;
}

Result<bool> Reader::boolean() {
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, u8());
  if (b > 1) return base::malformed("invalid boolean value", at);
  return b == 1;
}

Result<Sort> Reader::core_sort_byte(uint8_t b, size_t at, const char* what) {
  switch (b) {
    case 0x00:
      return Sort::kCoreFunc;
    case 0x01:
      return Sort::kCoreTable;
    case 0x02:
      return Sort::kCoreMemory;
    case 0x03:
      return Sort::kCoreGlobal;
    case 0x04:
      return Sort::kCoreTag;
    case 0x10:
      return Sort::kCoreType;
    case 0x11:
      return Sort::kCoreModule;
    case 0x12:
      return Sort::kCoreInstance;
  }
  return bad_byte(b, what, at);
}

Result<Sort> Reader::sort() {
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, u8());
  switch (b) {
    case 0x00: {
      size_t at2 = offset();
      AIRWASM_TRY_ASSIGN(uint8_t c, u8());
      return core_sort_byte(c, at2, "core external kind");
    }
    case 0x01:
      return Sort::kFunc;
    case 0x02:
      return Sort::kValue;
    case 0x03:
      return Sort::kType;
    case 0x04:
      return Sort::kComponent;
    case 0x05:
      return Sort::kInstance;
  }
  return bad_byte(b, "component external kind", at);
}

// ---- core types ----

static bool is_abstract_heap(uint8_t b) {
  return (b >= 0x69 &&
          b <= 0x74);  // exn, array, struct, i31, eq, any, extern, func, none, noextern, nofunc, noexn
}

Result<CoreValType> Reader::core_reftype_from(uint8_t b, size_t at) {
  CoreValType t;
  t.kind = CoreValType::kRef;
  if (is_abstract_heap(b)) {
    t.nullable = true;
    t.heap = -int32_t(b);
    return t;
  }
  if (b == 0x63 || b == 0x64) {
    t.nullable = b == 0x63;
    size_t hat = offset();
    AIRWASM_TRY_ASSIGN(int64_t h, r_.s33());
    if (h < 0) {
      uint8_t hb = uint8_t(h & 0x7f);
      if (!is_abstract_heap(hb)) return bad_byte(hb, "heap type", hat);
      t.heap = -int32_t(hb);
    } else {
      if (h > 1000000) return base::malformed("type index out of bounds", hat);
      t.heap = int32_t(h);
    }
    return t;
  }
  return bad_byte(b, "value type", at);
}

Result<CoreValType> Reader::core_valtype() {
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, u8());
  if (b >= 0x7b && b <= 0x7f) return CoreValType{b, false, 0};
  return core_reftype_from(b, at);
}

Result<CoreLimits> Reader::core_limits(bool table) {
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t flags, u8());
  if (flags > 0x07) return bad_byte(flags, table ? "table limits" : "memory limits", at);
  CoreLimits l;
  l.shared = flags & 0x02;
  l.is64 = flags & 0x04;
  if (l.is64) {
    AIRWASM_SET(l.min, r_.u64());
  } else {
    AIRWASM_TRY_ASSIGN(uint32_t v, u32());
    l.min = v;
  }
  if (flags & 0x01) {
    if (l.is64) {
      AIRWASM_TRY_ASSIGN(uint64_t m, r_.u64());
      l.max = m;
    } else {
      AIRWASM_TRY_ASSIGN(uint32_t m, u32());
      l.max = m;
    }
  }
  return l;
}

Result<CoreExternType> Reader::core_externtype() {
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t kind, u8());
  CoreExternType t;
  t.kind = kind;
  switch (kind) {
    case 0x00: {
      AIRWASM_SET(t.type, u32());
      return t;
    }
    case 0x01: {
      AIRWASM_TRY_ASSIGN(uint8_t b, u8());
      AIRWASM_SET(t.val, core_reftype_from(b, offset() - 1));
      AIRWASM_SET(t.limits, core_limits(true));
      return t;
    }
    case 0x02: {
      AIRWASM_SET(t.limits, core_limits(false));
      return t;
    }
    case 0x03: {
      AIRWASM_SET(t.val, core_valtype());
      size_t mat = offset();
      AIRWASM_TRY_ASSIGN(uint8_t m, u8());
      if (m > 1) return base::malformed("malformed mutability", mat);
      t.mut = m == 1;
      return t;
    }
    case 0x04: {
      size_t zat = offset();
      AIRWASM_TRY_ASSIGN(uint8_t z, u8());
      if (z != 0) return bad_byte(z, "tag attribute", zat);
      AIRWASM_SET(t.type, u32());
      return t;
    }
  }
  return bad_byte(kind, "external kind", at);
}

Result<CoreSubType> Reader::core_subtype(uint8_t lead, size_t at) {
  CoreSubType st;
  if (lead == 0x50 || lead == 0x4f) {
    st.final = lead == 0x4f;
    AIRWASM_TRY_ASSIGN(uint32_t n, count());
    for (uint32_t i = 0; i < n; ++i) {
      AIRWASM_TRY_ASSIGN(uint32_t s, u32());
      st.supers.push_back(s);
    }
    at = offset();
    AIRWASM_SET(lead, u8());
  }
  auto field = [&]() -> Result<CoreFieldType> {
    CoreFieldType f;
    size_t fat = offset();
    AIRWASM_TRY_ASSIGN(uint8_t b, u8());
    if (b == 0x78 || b == 0x77) {
      f.packed = b;
    } else if (b >= 0x7b && b <= 0x7f) {
      f.type = CoreValType{b, false, 0};
    } else {
      AIRWASM_SET(f.type, core_reftype_from(b, fat));
    }
    size_t mat = offset();
    AIRWASM_TRY_ASSIGN(uint8_t m, u8());
    if (m > 1) return base::malformed("malformed mutability", mat);
    f.mut = m == 1;
    return f;
  };
  switch (lead) {
    case 0x60: {
      st.comp = CoreSubType::Comp::kFunc;
      AIRWASM_TRY_ASSIGN(uint32_t np, count());
      for (uint32_t i = 0; i < np; ++i) {
        AIRWASM_TRY_ASSIGN(auto v, core_valtype());
        st.func.params.push_back(v);
      }
      AIRWASM_TRY_ASSIGN(uint32_t nr, count());
      for (uint32_t i = 0; i < nr; ++i) {
        AIRWASM_TRY_ASSIGN(auto v, core_valtype());
        st.func.results.push_back(v);
      }
      return st;
    }
    case 0x5f: {
      st.comp = CoreSubType::Comp::kStruct;
      AIRWASM_TRY_ASSIGN(uint32_t n, count());
      for (uint32_t i = 0; i < n; ++i) {
        AIRWASM_TRY_ASSIGN(auto f, field());
        st.fields.push_back(f);
      }
      return st;
    }
    case 0x5e: {
      st.comp = CoreSubType::Comp::kArray;
      AIRWASM_TRY_ASSIGN(auto f, field());
      st.fields.push_back(f);
      return st;
    }
  }
  return bad_byte(lead, "composite type", at);
}

Result<CoreTypeDef> Reader::core_type(bool in_module_type, unsigned depth) {
  if (depth > kMaxNesting) return base::malformed("nesting too deep", offset());
  CoreTypeDef def;
  def.offset = offset();
  AIRWASM_TRY_ASSIGN(uint8_t lead, u8());
  if (!in_module_type && lead == 0x50) {
    def.kind = CoreTypeDef::Kind::kModule;
    AIRWASM_TRY_ASSIGN(uint32_t n, count());
    for (uint32_t i = 0; i < n; ++i) {
      CoreModuleDecl d;
      d.offset = offset();
      AIRWASM_TRY_ASSIGN(uint8_t k, u8());
      switch (k) {
        case 0x00:
          d.kind = CoreModuleDecl::Kind::kImport;
          d.import.offset = d.offset;
          AIRWASM_SET(d.import.module, name());
          AIRWASM_SET(d.import.name, name());
          AIRWASM_SET(d.import.type, core_externtype());
          break;
        case 0x01: {
          d.kind = CoreModuleDecl::Kind::kType;
          AIRWASM_TRY_ASSIGN(auto t, core_type(true, depth + 1));
          d.type.push_back(std::move(t));
          break;
        }
        case 0x02: {
          d.kind = CoreModuleDecl::Kind::kAlias;
          size_t kat = offset();
          AIRWASM_TRY_ASSIGN(uint8_t s, u8());
          if (s != 0x10) return bad_byte(s, "outer alias kind", kat);
          size_t tat = offset();
          AIRWASM_TRY_ASSIGN(uint8_t t, u8());
          if (t != 0x01) return bad_byte(t, "outer alias target", tat);
          AIRWASM_SET(d.outer_count, u32());
          AIRWASM_SET(d.outer_index, u32());
          break;
        }
        case 0x03:
          d.kind = CoreModuleDecl::Kind::kExport;
          AIRWASM_SET(d.export_name, name());
          AIRWASM_SET(d.export_type, core_externtype());
          break;
        default:
          return bad_byte(k, "type definition", d.offset);
      }
      def.decls.push_back(std::move(d));
    }
    return def;
  }
  if (lead == 0x4e) {
    AIRWASM_TRY_ASSIGN(uint32_t n, count());
    for (uint32_t i = 0; i < n; ++i) {
      size_t at = offset();
      AIRWASM_TRY_ASSIGN(uint8_t b, u8());
      AIRWASM_TRY_ASSIGN(auto st, core_subtype(b, at));
      def.rec.push_back(std::move(st));
    }
    return def;
  }
  if (!in_module_type && lead == 0x00) {
    size_t at = offset();
    AIRWASM_TRY_ASSIGN(uint8_t b, u8());
    if (b != 0x50) return bad_byte(b, "core type", at);
    AIRWASM_TRY_ASSIGN(auto st, core_subtype(0x50, at));
    def.rec.push_back(std::move(st));
    return def;
  }
  AIRWASM_TRY_ASSIGN(auto st, core_subtype(lead, def.offset));
  def.rec.push_back(std::move(st));
  return def;
}

// ---- component types ----

static bool prim_from_byte(uint8_t b, Prim* p) {
  if (b >= 0x73 && b <= 0x7f) {
    *p = Prim(0x7f - b);
    return true;
  }
  if (b == 0x64) {
    *p = Prim::kErrorContext;
    return true;
  }
  return false;
}

Result<ValTypeRef> Reader::valtype() {
  ValTypeRef v;
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, r_.peek_u8());
  if (prim_from_byte(b, &v.prim)) {
    (void)r_.u8();
    v.is_prim = true;
    return v;
  }
  AIRWASM_TRY_ASSIGN(int64_t i, r_.s33());
  if (i < 0 || i > 0xffffffffll) return bad_byte(b, "component value type", at);
  v.index = uint32_t(i);
  return v;
}

Result<std::optional<ValTypeRef>> Reader::optional_valtype() {
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, u8());
  if (b == 0x00) return std::optional<ValTypeRef>();
  if (b != 0x01) return bad_byte(b, "optional component value type", at);
  AIRWASM_TRY_ASSIGN(auto v, valtype());
  return std::optional<ValTypeRef>(v);
}

Result<std::optional<ValTypeRef>> Reader::result_list() {
  size_t at = offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, u8());
  if (b == 0x00) {
    AIRWASM_TRY_ASSIGN(auto v, valtype());
    return std::optional<ValTypeRef>(v);
  }
  if (b == 0x01) {
    size_t zat = offset();
    AIRWASM_TRY_ASSIGN(uint8_t z, u8());
    if (z != 0x00) return bad_byte(z, "number of results", zat);
    return std::optional<ValTypeRef>();
  }
  return bad_byte(b, "component function results", at);
}

Result<DefinedType> Reader::defined_type(uint8_t lead, size_t at) {
  using K = DefinedType::Kind;
  DefinedType d;
  if (prim_from_byte(lead, &d.prim)) {
    d.kind = K::kPrim;
    return d;
  }
  auto labeled = [&]() -> Result<LabeledType> {
    LabeledType lt;
    AIRWASM_SET(lt.label, name());
    AIRWASM_SET(lt.type, valtype());
    return lt;
  };
  switch (lead) {
    case 0x72: {
      d.kind = K::kRecord;
      AIRWASM_TRY_ASSIGN(uint32_t n, count());
      for (uint32_t i = 0; i < n; ++i) {
        AIRWASM_TRY_ASSIGN(auto lt, labeled());
        d.fields.push_back(std::move(lt));
      }
      return d;
    }
    case 0x71: {
      d.kind = K::kVariant;
      AIRWASM_TRY_ASSIGN(uint32_t n, count());
      for (uint32_t i = 0; i < n; ++i) {
        CaseDef c;
        AIRWASM_SET(c.label, name());
        AIRWASM_SET(c.type, optional_valtype());
        size_t zat = offset();
        AIRWASM_TRY_ASSIGN(uint8_t z, u8());
        if (z != 0) return bad_byte(z, "zero byte required", zat);
        d.cases.push_back(std::move(c));
      }
      return d;
    }
    case 0x70:
    case 0x6b: {
      d.kind = lead == 0x70 ? K::kList : K::kOption;
      AIRWASM_SET(d.a, valtype());
      return d;
    }
    case 0x67: {
      d.kind = K::kFixedList;
      AIRWASM_SET(d.a, valtype());
      AIRWASM_SET(d.index, u32());
      return d;
    }
    case 0x6f: {
      d.kind = K::kTuple;
      AIRWASM_TRY_ASSIGN(uint32_t n, count());
      for (uint32_t i = 0; i < n; ++i) {
        AIRWASM_TRY_ASSIGN(auto v, valtype());
        d.types.push_back(v);
      }
      return d;
    }
    case 0x6e:
    case 0x6d: {
      d.kind = lead == 0x6e ? K::kFlags : K::kEnum;
      AIRWASM_TRY_ASSIGN(uint32_t n, count());
      for (uint32_t i = 0; i < n; ++i) {
        AIRWASM_TRY_ASSIGN(auto l, name());
        d.labels.push_back(std::move(l));
      }
      return d;
    }
    case 0x6a: {
      d.kind = K::kResult;
      AIRWASM_SET(d.a, optional_valtype());
      AIRWASM_SET(d.b, optional_valtype());
      return d;
    }
    case 0x69:
    case 0x68: {
      d.kind = lead == 0x69 ? K::kOwn : K::kBorrow;
      AIRWASM_SET(d.index, u32());
      return d;
    }
    case 0x66:
    case 0x65: {
      d.kind = lead == 0x66 ? K::kStream : K::kFuture;
      AIRWASM_SET(d.a, optional_valtype());
      return d;
    }
    case 0x63: {
      d.kind = K::kMap;
      AIRWASM_SET(d.a, valtype());
      AIRWASM_SET(d.b, valtype());
      return d;
    }
  }
  return bad_byte(lead, "component defined type", at);
}

Result<TypeDef> Reader::type_def(unsigned depth) {
  if (depth > kMaxNesting) return base::malformed("nesting too deep", offset());
  TypeDef t;
  t.offset = offset();
  AIRWASM_TRY_ASSIGN(uint8_t lead, u8());
  switch (lead) {
    case 0x40:
    case 0x43: {
      t.kind = TypeDef::Kind::kFunc;
      t.func.async = lead == 0x43;
      AIRWASM_TRY_ASSIGN(uint32_t n, count());
      for (uint32_t i = 0; i < n; ++i) {
        LabeledType lt;
        AIRWASM_SET(lt.label, name());
        AIRWASM_SET(lt.type, valtype());
        t.func.params.push_back(std::move(lt));
      }
      AIRWASM_SET(t.func.result, result_list());
      return t;
    }
    case 0x41:
    case 0x42: {
      t.kind = lead == 0x41 ? TypeDef::Kind::kComponent : TypeDef::Kind::kInstance;
      AIRWASM_SET(t.decls, type_decls(lead == 0x41, depth + 1));
      return t;
    }
    case 0x3f: {
      t.kind = TypeDef::Kind::kResource;
      AIRWASM_SET(t.rep, core_valtype());
      size_t at = offset();
      AIRWASM_TRY_ASSIGN(uint8_t b, u8());
      if (b == 0x01) {
        AIRWASM_TRY_ASSIGN(uint32_t f, u32());
        t.dtor = f;
      } else if (b != 0x00) {
        return bad_byte(b, "optional resource destructor", at);
      }
      return t;
    }
  }
  t.kind = TypeDef::Kind::kDefined;
  AIRWASM_SET(t.defined, defined_type(lead, t.offset));
  return t;
}

Result<std::vector<TypeDecl>> Reader::type_decls(bool component, unsigned depth) {
  AIRWASM_TRY_ASSIGN(uint32_t n, count());
  std::vector<TypeDecl> decls;
  for (uint32_t i = 0; i < n; ++i) {
    TypeDecl d;
    d.offset = offset();
    AIRWASM_TRY_ASSIGN(uint8_t k, u8());
    switch (k) {
      case 0x00: {
        d.kind = TypeDecl::Kind::kCoreType;
        AIRWASM_TRY_ASSIGN(auto ct, core_type(false, depth + 1));
        d.core_type.push_back(std::move(ct));
        break;
      }
      case 0x01: {
        d.kind = TypeDecl::Kind::kType;
        AIRWASM_TRY_ASSIGN(auto t, type_def(depth + 1));
        d.type.push_back(std::move(t));
        break;
      }
      case 0x02:
        d.kind = TypeDecl::Kind::kAlias;
        AIRWASM_SET(d.alias, alias());
        break;
      case 0x03:
        if (!component) return bad_byte(k, "component or instance type declaration", d.offset);
        d.kind = TypeDecl::Kind::kImport;
        AIRWASM_SET(d.name, extern_name());
        AIRWASM_SET(d.desc, extern_desc());
        break;
      case 0x04:
        d.kind = TypeDecl::Kind::kExport;
        AIRWASM_SET(d.name, extern_name());
        AIRWASM_SET(d.desc, extern_desc());
        break;
      default:
        return bad_byte(k, "component or instance type declaration", d.offset);
    }
    decls.push_back(std::move(d));
  }
  return decls;
}

Result<ExternDesc> Reader::extern_desc() {
  ExternDesc d;
  d.offset = offset();
  AIRWASM_TRY_ASSIGN(uint8_t k, u8());
  switch (k) {
    case 0x00: {
      size_t at = offset();
      AIRWASM_TRY_ASSIGN(uint8_t b, u8());
      if (b != 0x11) return bad_byte(b, "component external kind", at);
      d.kind = ExternDesc::Kind::kModule;
      AIRWASM_SET(d.index, u32());
      return d;
    }
    case 0x01:
    case 0x04:
    case 0x05:
      d.kind = k == 0x01   ? ExternDesc::Kind::kFunc
               : k == 0x04 ? ExternDesc::Kind::kComponent
                           : ExternDesc::Kind::kInstance;
      AIRWASM_SET(d.index, u32());
      return d;
    case 0x02: {
      d.kind = ExternDesc::Kind::kValue;
      size_t at = offset();
      AIRWASM_TRY_ASSIGN(uint8_t b, u8());
      if (b == 0x00) {
        d.value_eq = true;
        AIRWASM_SET(d.index, u32());
      } else if (b == 0x01) {
        AIRWASM_SET(d.value_type, valtype());
      } else {
        return bad_byte(b, "value bound", at);
      }
      return d;
    }
    case 0x03: {
      d.kind = ExternDesc::Kind::kType;
      size_t at = offset();
      AIRWASM_TRY_ASSIGN(uint8_t b, u8());
      if (b == 0x00) {
        AIRWASM_SET(d.index, u32());
      } else if (b == 0x01) {
        d.sub_resource = true;
      } else {
        return bad_byte(b, "type bound", at);
      }
      return d;
    }
  }
  return bad_byte(k, "component external kind", d.offset);
}

Result<ExternName> Reader::extern_name() {
  ExternName n;
  n.offset = offset();
  AIRWASM_TRY_ASSIGN(uint8_t k, u8());
  if (k > 0x02) return bad_byte(k, "component name", n.offset);
  AIRWASM_SET(n.name, name());
  if (k != 0x02) return n;
  AIRWASM_TRY_ASSIGN(uint32_t count, count());
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = offset();
    AIRWASM_TRY_ASSIGN(uint8_t a, u8());
    std::optional<std::string>* slot = nullptr;
    const char* what = "";
    switch (a) {
      case 0x00:
        slot = &n.implements, what = "implements";
        break;
      case 0x01:
        slot = &n.version_suffix, what = "versionsuffix";
        break;
      case 0x02:
        slot = &n.external_id, what = "external-id";
        break;
      default:
        return bad_byte(a, "name option", at);
    }
    AIRWASM_TRY_ASSIGN(auto s, name());
    if (slot->has_value()) return base::invalid(std::string("duplicate '") + what + "' option in name", at);
    *slot = std::move(s);
  }
  return n;
}

Result<Alias> Reader::alias() {
  Alias a;
  a.offset = offset();
  AIRWASM_TRY_ASSIGN(uint8_t b1, u8());
  uint8_t b2 = 0;
  size_t b2_at = offset();
  if (b1 == 0x00) {
    AIRWASM_SET(b2, u8());
  }
  size_t tat = offset();
  AIRWASM_TRY_ASSIGN(uint8_t target, u8());
  if (target > 0x02) return bad_byte(target, "alias", tat);
  if (target == 0x02) {
    a.target = Alias::Target::kOuter;
    if (b1 == 0x00 && b2 == 0x10)
      a.sort = Sort::kCoreType;
    else if (b1 == 0x00 && b2 == 0x11)
      a.sort = Sort::kCoreModule;
    else if (b1 == 0x03)
      a.sort = Sort::kType;
    else if (b1 == 0x04)
      a.sort = Sort::kComponent;
    else
      return bad_byte(b1 == 0x00 ? b2 : b1, "component outer alias kind", b1 == 0x00 ? b2_at : a.offset);
    AIRWASM_SET(a.count, u32());
    AIRWASM_SET(a.index, u32());
    return a;
  }
  if (b1 == 0x00) {
    AIRWASM_SET(a.sort, core_sort_byte(b2, b2_at, "core external kind"));
  } else {
    switch (b1) {
      case 0x01:
        a.sort = Sort::kFunc;
        break;
      case 0x02:
        a.sort = Sort::kValue;
        break;
      case 0x03:
        a.sort = Sort::kType;
        break;
      case 0x04:
        a.sort = Sort::kComponent;
        break;
      case 0x05:
        a.sort = Sort::kInstance;
        break;
      default:
        return bad_byte(b1, "component external kind", a.offset);
    }
  }
  a.target = target == 0x00 ? Alias::Target::kExport : Alias::Target::kCoreExport;
  AIRWASM_SET(a.instance, u32());
  AIRWASM_SET(a.name, name());
  return a;
}

}  // namespace airwasm::component::detail
