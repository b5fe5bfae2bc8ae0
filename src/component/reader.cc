// component: the component binary reader: preamble, section framing and the definition sections
// (core instances, instances, aliases, canon, start, imports, exports, values, custom). Types live in
// reader_types.cc. Nested components recurse (bounded by kMaxNesting).
#include "component/reader.hh"

#include <cstring>

#include "component/reader_internal.hh"

namespace airwasm::component {

using namespace ast;  // the front end works on the syntax throughout

using detail::Reader;

const char* ast::sort_name(Sort s) {
  static constexpr const char* kNames[] = {"core func", "table",     "memory",        "global", "tag",
                                           "core type", "module",    "core instance", "func",   "value",
                                           "type",      "component", "instance"};
  return kNames[size_t(s)];
}

const char* ast::prim_name(Prim p) {
  static constexpr const char* kNames[] = {"bool", "s8",  "u8",  "s16", "u16",  "s32",    "u32",
                                           "s64",  "u64", "f32", "f64", "char", "string", "error-context"};
  return kNames[size_t(p)];
}

const char* ast::canon_name(uint8_t op) {
  switch (op) {
    case 0x00:
      return "lift";
    case 0x01:
      return "lower";
    case 0x02:
      return "resource.new";
    case 0x03:
      return "resource.drop";
    case 0x04:
      return "resource.rep";
    case 0x05:
      return "task.cancel";
    case 0x06:
      return "subtask.cancel";
    case 0x09:
      return "task.return";
    case 0x0a:
      return "context.get";
    case 0x0b:
      return "context.set";
    case 0x0c:
      return "thread.yield";
    case 0x0d:
      return "subtask.drop";
    case 0x0e:
      return "stream.new";
    case 0x0f:
      return "stream.read";
    case 0x10:
      return "stream.write";
    case 0x11:
      return "stream.cancel-read";
    case 0x12:
      return "stream.cancel-write";
    case 0x13:
      return "stream.drop-readable";
    case 0x14:
      return "stream.drop-writable";
    case 0x15:
      return "future.new";
    case 0x16:
      return "future.read";
    case 0x17:
      return "future.write";
    case 0x18:
      return "future.cancel-read";
    case 0x19:
      return "future.cancel-write";
    case 0x1a:
      return "future.drop-readable";
    case 0x1b:
      return "future.drop-writable";
    case 0x1c:
      return "error-context.new";
    case 0x1d:
      return "error-context.debug-message";
    case 0x1e:
      return "error-context.drop";
    case 0x1f:
      return "waitable-set.new";
    case 0x20:
      return "waitable-set.wait";
    case 0x21:
      return "waitable-set.poll";
    case 0x22:
      return "waitable-set.drop";
    case 0x23:
      return "waitable.join";
    case 0x24:
      return "backpressure.inc";
    case 0x25:
      return "backpressure.dec";
    case 0x26:
      return "thread.index";
    case 0x27:
      return "thread.new-indirect";
    case 0x28:
      return "thread.resume-later";
    case 0x29:
      return "thread.suspend";
    case 0x2a:
      return "thread.suspend-then-resume";
    case 0x2b:
      return "thread.yield-then-resume";
    case 0x2c:
      return "thread.suspend-then-promote";
    case 0x2d:
      return "thread.yield-then-promote";
    case 0x40:
      return "thread.spawn-ref";
    case 0x41:
      return "thread.spawn-indirect";
    case 0x42:
      return "thread.available-parallelism";
  }
  return "unknown";
}

namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};

Result<CanonOpt> read_opt(Reader& r) {
  CanonOpt o;
  o.offset = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, r.u8());
  if (b > 0x07) return r.bad_byte(b, "canonical option", o.offset);
  o.kind = CanonOpt::Kind(b);
  if (o.kind == CanonOpt::Kind::kMemory || o.kind == CanonOpt::Kind::kRealloc ||
      o.kind == CanonOpt::Kind::kPostReturn || o.kind == CanonOpt::Kind::kCallback) {
    AIRWASM_SET(o.index, r.u32());
  }
  return o;
}

Result<std::vector<CanonOpt>> read_opts(Reader& r) {
  AIRWASM_TRY_ASSIGN(uint32_t n, r.count());
  std::vector<CanonOpt> opts;
  for (uint32_t i = 0; i < n; ++i) {
    AIRWASM_TRY_ASSIGN(auto o, read_opt(r));
    opts.push_back(o);
  }
  return opts;
}

Result<Canon> read_canon(Reader& r) {
  Canon c;
  c.offset = r.offset();
  AIRWASM_SET(c.op, r.u8());
  auto sub_zero = [&](const char* what) -> Result<void> {
    size_t at = r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t z, r.u8());
    if (z != 0x00) return r.bad_byte(z, what, at);
    return {};
  };
  switch (c.op) {
    case 0x00:
      AIRWASM_TRY(sub_zero("canonical function lift"));
      AIRWASM_SET(c.func, r.u32());
      AIRWASM_SET(c.opts, read_opts(r));
      AIRWASM_SET(c.type, r.u32());
      return c;
    case 0x01:
      AIRWASM_TRY(sub_zero("canonical function lower"));
      AIRWASM_SET(c.func, r.u32());
      AIRWASM_SET(c.opts, read_opts(r));
      return c;
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x0e:
    case 0x13:
    case 0x14:
    case 0x15:
    case 0x1a:
    case 0x1b:
      AIRWASM_SET(c.type, r.u32());
      return c;
    case 0x0f:
    case 0x10:
    case 0x16:
    case 0x17:
      AIRWASM_SET(c.type, r.u32());
      AIRWASM_SET(c.opts, read_opts(r));
      return c;
    case 0x11:
    case 0x12:
    case 0x18:
    case 0x19:
      AIRWASM_SET(c.type, r.u32());
      AIRWASM_SET(c.flag, r.boolean());
      return c;
    case 0x05:
    case 0x0d:
    case 0x1e:
    case 0x1f:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x28:
      return c;
    case 0x09:
      c.has_result_list = true;
      AIRWASM_SET(c.result, r.result_list());
      AIRWASM_SET(c.opts, read_opts(r));
      return c;
    case 0x0a:
    case 0x0b:
      AIRWASM_SET(c.val, r.core_valtype());
      AIRWASM_SET(c.extra, r.u32());
      return c;
    case 0x06:
    case 0x0c:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x2c:
    case 0x2d:
    case 0x42:
      AIRWASM_SET(c.flag, r.boolean());
      return c;
    case 0x1c:
    case 0x1d:
      AIRWASM_SET(c.opts, read_opts(r));
      return c;
    case 0x20:
    case 0x21:
      AIRWASM_SET(c.flag, r.boolean());
      AIRWASM_SET(c.extra, r.u32());
      return c;
    case 0x27:
      AIRWASM_SET(c.type, r.u32());
      AIRWASM_SET(c.extra, r.u32());
      return c;
    case 0x40:
      AIRWASM_SET(c.flag, r.boolean());
      AIRWASM_SET(c.type, r.u32());
      return c;
    case 0x41:
      AIRWASM_SET(c.flag, r.boolean());
      AIRWASM_SET(c.type, r.u32());
      AIRWASM_SET(c.extra, r.u32());
      return c;
  }
  return r.bad_byte(c.op, "canonical function", c.offset);
}

Result<CoreInstance> read_core_instance(Reader& r) {
  CoreInstance ci;
  ci.offset = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t k, r.u8());
  if (k == 0x00) {
    AIRWASM_SET(ci.module, r.u32());
    AIRWASM_TRY_ASSIGN(uint32_t n, r.count());
    for (uint32_t i = 0; i < n; ++i) {
      CoreInstantiateArg a;
      AIRWASM_SET(a.name, r.name());
      size_t at = r.offset();
      AIRWASM_TRY_ASSIGN(uint8_t s, r.u8());
      if (s != 0x12) return r.bad_byte(s, "instantiation arg kind", at);
      AIRWASM_SET(a.instance, r.u32());
      ci.args.push_back(std::move(a));
    }
    return ci;
  }
  if (k == 0x01) {
    ci.instantiate = false;
    AIRWASM_TRY_ASSIGN(uint32_t n, r.count());
    for (uint32_t i = 0; i < n; ++i) {
      CoreInlineExport e;
      AIRWASM_SET(e.name, r.name());
      size_t at = r.offset();
      AIRWASM_TRY_ASSIGN(uint8_t s, r.u8());
      AIRWASM_SET(e.sort, r.core_sort_byte(s, at, "core external kind"));
      AIRWASM_SET(e.index, r.u32());
      ci.exports.push_back(std::move(e));
    }
    return ci;
  }
  return r.bad_byte(k, "core instance", ci.offset);
}

Result<Instance> read_instance(Reader& r) {
  Instance in;
  in.offset = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t k, r.u8());
  if (k == 0x00) {
    AIRWASM_SET(in.component, r.u32());
    AIRWASM_TRY_ASSIGN(uint32_t n, r.count());
    for (uint32_t i = 0; i < n; ++i) {
      InstantiateArg a;
      AIRWASM_SET(a.name, r.name());
      AIRWASM_SET(a.sort, r.sort());
      AIRWASM_SET(a.index, r.u32());
      in.args.push_back(std::move(a));
    }
    return in;
  }
  if (k == 0x01) {
    in.instantiate = false;
    AIRWASM_TRY_ASSIGN(uint32_t n, r.count());
    for (uint32_t i = 0; i < n; ++i) {
      InlineExport e;
      AIRWASM_SET(e.name, r.extern_name());
      AIRWASM_SET(e.sort, r.sort());
      AIRWASM_SET(e.index, r.u32());
      in.exports.push_back(std::move(e));
    }
    return in;
  }
  return r.bad_byte(k, "instance", in.offset);
}

Result<Export> read_export(Reader& r) {
  Export e;
  e.offset = r.offset();
  AIRWASM_SET(e.name, r.extern_name());
  AIRWASM_SET(e.sort, r.sort());
  AIRWASM_SET(e.index, r.u32());
  size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, r.u8());
  if (b == 0x01) {
    AIRWASM_TRY_ASSIGN(ExternDesc d, r.extern_desc());
    e.ascribed = d;
  } else if (b != 0x00) {
    return r.bad_byte(b, "optional component export type", at);
  }
  return e;
}

// Checks the 8-byte preamble of a component (or of a core module, when `module` is set).
Result<void> check_preamble(std::span<const uint8_t> b, size_t base, bool module) {
  if (b.size() < 4) return base::malformed(detail::kEof, base + b.size());
  if (std::memcmp(b.data(), kMagic, 4) != 0)
    return base::malformed("magic header not detected: bad magic number", base);
  if (b.size() < 8) return base::malformed(detail::kEof, base + b.size());
  const uint16_t version = uint16_t(b[4] | (b[5] << 8));
  const uint16_t layer = uint16_t(b[6] | (b[7] << 8));
  if (module) {
    if (layer == 1) return base::malformed("expected a version header for a module", base + 4);
    if (layer != 0 || version != 1) return base::malformed("unknown binary version", base + 4);
    return {};
  }
  if (layer == 0) return base::malformed("expected a version header for a component", base + 4);
  if (layer != 1 || version != 0x0d) return base::malformed("unknown binary version", base + 4);
  return {};
}

template <typename T, typename F>
Result<void> read_vec_section(Reader& r, Component& c, std::vector<T>& out, Item::Kind kind, F&& read_one) {
  AIRWASM_TRY_ASSIGN(uint32_t n, r.count());
  for (uint32_t i = 0; i < n; ++i) {
    AIRWASM_TRY_ASSIGN(T v, read_one());
    c.items.push_back(Item{kind, uint32_t(out.size())});
    out.push_back(std::move(v));
  }
  return {};
}

Result<std::unique_ptr<Component>> read_component_at(std::span<const uint8_t> bytes, size_t base,
                                                     unsigned depth);

Result<void> read_section(uint8_t id, Reader& r, Component& c, std::span<const uint8_t> payload, size_t base,
                          unsigned depth) {
  using K = Item::Kind;
  switch (id) {
    case 0: {
      CustomSection cs;
      cs.offset = base;
      AIRWASM_SET(cs.name, r.name());
      size_t used = r.offset() - base;
      cs.payload = payload.subspan(used);
      AIRWASM_TRY(r.raw().skip(cs.payload.size()));
      c.customs.push_back(std::move(cs));
      return {};
    }
    case 1: {
      AIRWASM_TRY(check_preamble(payload, base, true));
      c.items.push_back(Item{K::kCoreModule, uint32_t(c.modules.size())});
      c.modules.push_back(CoreModuleBytes{payload, base});
      AIRWASM_TRY(r.raw().skip(payload.size()));
      return {};
    }
    case 2:
      return read_vec_section(r, c, c.core_instances, K::kCoreInstance,
                              [&] { return read_core_instance(r); });
    case 3:
      return read_vec_section(r, c, c.core_types, K::kCoreType,
                              [&] { return r.core_type(false, depth + 1); });
    case 4: {
      AIRWASM_TRY_ASSIGN(auto nested, read_component_at(payload, base, depth + 1));
      c.items.push_back(Item{K::kComponent, uint32_t(c.components.size())});
      c.components.push_back(std::move(nested));
      AIRWASM_TRY(r.raw().skip(payload.size()));
      return {};
    }
    case 5:
      return read_vec_section(r, c, c.instances, K::kInstance, [&] { return read_instance(r); });
    case 6:
      return read_vec_section(r, c, c.aliases, K::kAlias, [&] { return r.alias(); });
    case 7:
      return read_vec_section(r, c, c.types, K::kType, [&] { return r.type_def(depth + 1); });
    case 8:
      return read_vec_section(r, c, c.canons, K::kCanon, [&] { return read_canon(r); });
    case 9: {
      Start s;
      s.offset = r.offset();
      AIRWASM_SET(s.func, r.u32());
      AIRWASM_TRY_ASSIGN(uint32_t n, r.count());
      for (uint32_t i = 0; i < n; ++i) {
        AIRWASM_TRY_ASSIGN(uint32_t v, r.u32());
        s.args.push_back(v);
      }
      AIRWASM_SET(s.results, r.u32());
      c.items.push_back(Item{K::kStart, uint32_t(c.starts.size())});
      c.starts.push_back(std::move(s));
      return {};
    }
    case 10:
      return read_vec_section(r, c, c.imports, K::kImport, [&]() -> Result<Import> {
        Import im;
        im.offset = r.offset();
        AIRWASM_SET(im.name, r.extern_name());
        AIRWASM_SET(im.desc, r.extern_desc());
        return im;
      });
    case 11:
      return read_vec_section(r, c, c.exports, K::kExport, [&] { return read_export(r); });
    case 12:
      return read_vec_section(r, c, c.values, K::kValue, [&]() -> Result<ValueDef> {
        ValueDef v;
        v.offset = r.offset();
        AIRWASM_SET(v.type, r.valtype());
        AIRWASM_TRY_ASSIGN(uint32_t len, r.u32());
        AIRWASM_SET(v.bytes, r.raw().bytes(len, detail::kEof));
        return v;
      });
  }
  return base::malformed("malformed section id", base);
}

Result<std::unique_ptr<Component>> read_component_at(std::span<const uint8_t> bytes, size_t base,
                                                     unsigned depth) {
  if (depth > detail::kMaxNesting) return base::malformed("nesting too deep", base);
  AIRWASM_TRY(check_preamble(bytes, base, false));
  auto c = std::make_unique<Component>();
  c->bytes = bytes;
  c->offset = base;
  Reader r(bytes.subspan(8), base + 8);
  while (!r.at_end()) {
    size_t id_at = r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t id, r.u8());
    if (id > 12) return base::malformed("malformed section id", id_at);
    AIRWASM_TRY_ASSIGN(uint32_t size, r.u32());
    size_t start = r.offset();
    AIRWASM_TRY_ASSIGN(auto payload, r.raw().bytes(size, detail::kEof));
    Reader sr(payload, start);
    AIRWASM_TRY(read_section(id, sr, *c, payload, start, depth));
    if (!sr.at_end()) {
      return base::malformed("section size mismatch: unexpected data at the end of the section", sr.offset());
    }
  }
  return c;
}

}  // namespace

bool is_component_binary(std::span<const uint8_t> bytes) {
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 4) == 0 && bytes[6] == 1 && bytes[7] == 0;
}

Result<std::unique_ptr<Component>> read_component(std::span<const uint8_t> bytes) {
  return read_component_at(bytes, 0, 0);
}

}  // namespace airwasm::component
