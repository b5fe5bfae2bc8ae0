// tests/canon: the C++ half of the differential test against the specification's reference
// (definitions.py). canon_diff.py generates random types, values, memories and flat values, runs
// definitions.py on them, and sends the same cases here, one line each; this program runs airwasm's
// canonical ABI on them and prints one line of results per case, which canon_diff.py compares.
//
// The line formats (whitespace-separated tokens, everything type-directed) are described in canon_diff.py.
// This program trusts its input (it is a test driver), but the code under test never sees anything but
// the types and bytes a guest could produce.
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "canon/abi.hh"

namespace airwasm::canon {
namespace {

using component::FlatType;
using component::kNoType;
using component::Prim;
using component::TypeKind;
using component::TypeNode;
using component::ValKind;

struct Case {
  std::string id, op;
  StringEncoding encoding = StringEncoding::kUtf8;
  bool fused = false;
  uint64_t mem_size = 0, heap = 0;
  int64_t bad_call = -1;
  uint32_t bad_value = 0;
  uint32_t ptr = 0;
  size_t max_flat = 16;
  std::vector<TypeId> types;
  std::vector<Val> values;
  std::vector<uint64_t> flat;
  std::vector<uint8_t> memory;
  StringSource source;
  std::string text;  // the "string" op's text
};

class DiffContext : public Context {
 public:
  DiffContext(const TypeStore& ts, Case& c) : Context(ts), c_(c), size_(c.memory.size()), next_(c.heap) {
    memory = GuestMemory{c.memory.data(), &size_};
    encoding = c.encoding;
    fused = c.fused;
  }
  // The same deterministic allocator as canon_diff.py's: a bump pointer that copies the old contents,
  // except that call number `bad_call` returns `bad_value` (garbage) untouched.
  TrapResult<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                               uint32_t new_size) override {
    calls.push_back({old_ptr, old_size, align, new_size});
    if (int64_t(calls.size() - 1) == c_.bad_call) return c_.bad_value;
    const uint64_t ptr = (next_ + align - 1) / align * align;
    for (uint64_t i = 0; i < std::min(old_size, new_size); ++i) {
      if (ptr + i < size_ && old_ptr + i < size_) c_.memory[ptr + i] = c_.memory[old_ptr + i];
    }
    next_ = ptr + new_size;
    return uint32_t(ptr);
  }
  std::vector<std::array<uint32_t, 4>> calls;

 private:
  Case& c_;
  uint64_t size_;
  uint64_t next_;
};

class Parser {
 public:
  Parser(std::istream& in, TypeStore& ts) : in_(in), ts_(ts) {}

  std::string word() {
    std::string w;
    in_ >> w;
    return w;
  }
  uint64_t num() { return std::stoull(word()); }
  int64_t snum() { return std::stoll(word()); }

  TypeId type() {
    const std::string w = word();
    static const std::pair<const char*, Prim> kPrims[] = {
        {"bool", Prim::kBool},    {"s8", Prim::kS8},   {"u8", Prim::kU8},   {"s16", Prim::kS16},
        {"u16", Prim::kU16},      {"s32", Prim::kS32}, {"u32", Prim::kU32}, {"s64", Prim::kS64},
        {"u64", Prim::kU64},      {"f32", Prim::kF32}, {"f64", Prim::kF64}, {"char", Prim::kChar},
        {"string", Prim::kString}};
    for (auto& [name, p] : kPrims) {
      if (w == name) return ts_.prim(p);
    }
    TypeNode n;
    if (w == "list") {
      n.kind = TypeKind::kList;
      n.children = {type()};
    } else if (w == "flist") {
      n.kind = TypeKind::kFixedList;
      n.aux = uint32_t(num());
      n.children = {type()};
    } else if (w == "record" || w == "variant") {
      n.kind = w == "record" ? TypeKind::kRecord : TypeKind::kVariant;
      const uint64_t count = num();
      for (uint64_t i = 0; i < count; ++i) {
        n.labels.push_back(word());
        n.children.push_back(w == "record" ? type() : optional_type());
      }
    } else if (w == "tuple") {
      n.kind = TypeKind::kTuple;
      const uint64_t count = num();
      for (uint64_t i = 0; i < count; ++i) n.children.push_back(type());
    } else if (w == "enum" || w == "flags") {
      n.kind = w == "enum" ? TypeKind::kEnum : TypeKind::kFlags;
      const uint64_t count = num();
      for (uint64_t i = 0; i < count; ++i) n.labels.push_back(word());
    } else if (w == "map") {
      n.kind = TypeKind::kMap;
      TypeId key = type();
      n.children = {key, type()};
    } else if (w == "option") {
      n.kind = TypeKind::kOption;
      n.children = {type()};
    } else if (w == "result") {
      n.kind = TypeKind::kResult;
      TypeId ok = optional_type();
      n.children = {ok, optional_type()};
    } else {
      std::fprintf(stderr, "canon_diff_driver: unknown type token '%s'\n", w.c_str());
      std::exit(2);
    }
    return ts_.intern(std::move(n));
  }
  TypeId optional_type() { return num() ? type() : kNoType; }

  static std::string unhex(const std::string& h) {
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(char(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
  }

  Val value(TypeId t) {
    const TypeNode& n = ts_.canon(t);
    switch (n.kind) {
      case TypeKind::kPrim:
        switch (n.prim) {
          case Prim::kBool:
            return Val::boolean(num() != 0);
          case Prim::kS8:
            return Val::s8(int8_t(snum()));
          case Prim::kU8:
            return Val::u8(uint8_t(num()));
          case Prim::kS16:
            return Val::s16(int16_t(snum()));
          case Prim::kU16:
            return Val::u16(uint16_t(num()));
          case Prim::kS32:
            return Val::s32(int32_t(snum()));
          case Prim::kU32:
            return Val::u32(uint32_t(num()));
          case Prim::kS64:
            return Val::s64(snum());
          case Prim::kU64:
            return Val::u64(num());
          case Prim::kF32:
            return Val::f32_bits(uint32_t(num()));
          case Prim::kF64:
            return Val::f64_bits(num());
          case Prim::kChar:
            return Val::character(char32_t(num()));
          default: {
            std::string w = word();  // s:<hex> ("s:" for the empty string)
            return Val::string(unhex(w.substr(2)));
          }
        }
      case TypeKind::kList:
      case TypeKind::kFixedList: {
        const uint64_t count = num();
        std::vector<Val> items;
        for (uint64_t i = 0; i < count; ++i) items.push_back(value(n.children[0]));
        return Val::list(std::move(items));
      }
      case TypeKind::kMap: {
        const uint64_t count = num();
        std::vector<Val> items;
        for (uint64_t i = 0; i < count; ++i) {
          Val key = value(n.children[0]);
          items.push_back(Val::tuple({std::move(key), value(n.children[1])}));
        }
        return Val::list(std::move(items));
      }
      case TypeKind::kRecord: {
        std::vector<std::pair<std::string, Val>> fields;
        for (size_t i = 0; i < n.children.size(); ++i) fields.emplace_back(n.labels[i], value(n.children[i]));
        return Val::record(std::move(fields));
      }
      case TypeKind::kTuple: {
        std::vector<Val> items;
        for (TypeId c : n.children) items.push_back(value(c));
        return Val::tuple(std::move(items));
      }
      case TypeKind::kVariant: {
        const uint64_t i = num();
        if (n.children[i] == kNoType) return Val::variant(n.labels[i]);
        return Val::variant(n.labels[i], value(n.children[i]));
      }
      case TypeKind::kEnum:
        return Val::enumeration(n.labels[num()]);
      case TypeKind::kOption:
        return num() ? Val::some(value(n.children[0])) : Val::none();
      case TypeKind::kResult: {
        const uint64_t i = num();
        std::optional<Val> payload;
        if (n.children[i] != kNoType) payload = value(n.children[i]);
        return i == 0 ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
      }
      case TypeKind::kFlags: {
        const uint64_t bits = num();
        std::vector<std::string> set;
        for (size_t i = 0; i < n.labels.size(); ++i) {
          if (bits >> i & 1) set.push_back(n.labels[i]);
        }
        return Val::flags(std::move(set));
      }
      default:
        std::exit(2);
    }
  }

 private:
  std::istream& in_;
  TypeStore& ts_;
};

std::string hex(const uint8_t* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

// A lifted value in the same type-directed token form the inputs use.
void print_value(std::string& out, const TypeStore& ts, TypeId t, const Val& v) {
  const TypeNode& n = ts.canon(t);
  auto put = [&](const std::string& s) {
    out += ' ';
    out += s;
  };
  switch (n.kind) {
    case TypeKind::kPrim:
      switch (n.prim) {
        case Prim::kBool:
          put(v.as_bool() ? "1" : "0");
          return;
        case Prim::kS8:
        case Prim::kS16:
        case Prim::kS32:
        case Prim::kS64:
          put(std::to_string(v.as_signed()));
          return;
        case Prim::kF32:
          put(std::to_string(v.f32_bits()));
          return;
        case Prim::kF64:
          put(std::to_string(v.f64_bits()));
          return;
        case Prim::kString:
          put("s:" + hex(reinterpret_cast<const uint8_t*>(v.as_string().data()), v.as_string().size()));
          return;
        default:
          put(std::to_string(v.as_unsigned()));
          return;
      }
    case TypeKind::kList:
    case TypeKind::kFixedList:
      put(std::to_string(v.items().size()));
      for (const Val& e : v.items()) print_value(out, ts, n.children[0], e);
      return;
    case TypeKind::kMap:
      put(std::to_string(v.items().size()));
      for (const Val& e : v.items()) {
        print_value(out, ts, n.children[0], e.items()[0]);
        print_value(out, ts, n.children[1], e.items()[1]);
      }
      return;
    case TypeKind::kRecord:
    case TypeKind::kTuple:
      for (size_t i = 0; i < n.children.size(); ++i) print_value(out, ts, n.children[i], v.items()[i]);
      return;
    case TypeKind::kVariant:
    case TypeKind::kEnum: {
      size_t i = 0;
      while (i < n.labels.size() && n.labels[i] != v.case_name()) ++i;
      put(std::to_string(i));
      if (v.payload()) print_value(out, ts, n.children[i], *v.payload());
      return;
    }
    case TypeKind::kOption:
      put(v.is_some() ? "1" : "0");
      if (v.payload()) print_value(out, ts, n.children[0], *v.payload());
      return;
    case TypeKind::kResult:
      put(v.is_ok() ? "0" : "1");
      if (v.payload()) print_value(out, ts, n.children[v.is_ok() ? 0 : 1], *v.payload());
      return;
    case TypeKind::kFlags: {
      uint64_t bits = 0;
      for (const std::string& f : v.names()) {
        for (size_t i = 0; i < n.labels.size(); ++i) {
          if (n.labels[i] == f) bits |= uint64_t(1) << i;
        }
      }
      put(std::to_string(bits));
      return;
    }
    default:
      put("?");
      return;
  }
}

std::string trap_line(const Trap& t) {
  return " T " + t.message();
}

std::string values_line(const TypeStore& ts, std::span<const TypeId> types, const std::vector<Val>& vals) {
  std::string out = " V";
  for (size_t i = 0; i < vals.size(); ++i) print_value(out, ts, types[i], vals[i]);
  return out;
}

std::string run(Case& c, const TypeStore& ts) {
  DiffContext cx(ts, c);
  auto effects = [&](const std::vector<uint64_t>& flat) {
    std::string out = " R " + std::to_string(flat.size());
    for (uint64_t f : flat) out += ' ' + std::to_string(f);
    out += " M " + hex(c.memory.data(), c.memory.size());
    out += " C " + std::to_string(cx.calls.size());
    for (auto& call : cx.calls) {
      for (uint32_t x : call) out += ' ' + std::to_string(x);
    }
    return out;
  };
  if (c.op == "store") {
    auto s = store(cx, c.types[0], c.values[0], c.ptr);
    if (!s) return trap_line(s.error());
    std::string out = effects({});
    auto l = load(cx, c.types[0], c.ptr);
    return out + " L" + (l ? values_line(ts, c.types, {*l}) : trap_line(l.error()));
  }
  if (c.op == "flat") {
    std::vector<uint64_t> flat;
    auto s = lower_flat_values(cx, c.max_flat, c.values, c.types, flat);
    if (!s) return trap_line(s.error());
    std::string out = effects(flat);
    FlatReader r(flat);
    auto l = lift_flat_values(cx, c.max_flat, r, c.types);
    return out + " L" + (l ? values_line(ts, c.types, *l) : trap_line(l.error()));
  }
  if (c.op == "string") {
    auto s = store_string_into_range(cx, c.text, c.source);
    if (!s) return trap_line(s.error());
    std::string out = effects({s->ptr, s->tagged_code_units});
    auto l = load_string_from_range(cx, s->ptr, s->tagged_code_units);
    if (!l) return out + " L" + trap_line(l.error());
    return out + " L V s:" + hex(reinterpret_cast<const uint8_t*>(l->text.data()), l->text.size());
  }
  if (c.op == "adapt") {
    // A component-to-component call: lift from the caller's memory in the source encoding, lower into the
    // callee's (here the same bytes) in the destination encoding, passing the strings' sources along.
    DiffContext src(ts, c);
    src.encoding = c.source.encoding;
    std::vector<StringSource> sources;
    src.lifted_strings = &sources;
    FlatReader r(c.flat);
    auto vals = lift_flat_values(src, c.max_flat, r, c.types);
    if (!vals) return trap_line(vals.error());
    cx.string_sources = &sources;
    std::vector<uint64_t> flat;
    auto s = lower_flat_values(cx, c.max_flat, *vals, c.types, flat);
    if (!s) return trap_line(s.error());
    std::string out = effects(flat);
    FlatReader back(flat);
    auto l = lift_flat_values(cx, c.max_flat, back, c.types);
    return out + " L" + (l ? values_line(ts, c.types, *l) : trap_line(l.error()));
  }
  if (c.op == "load") {
    auto l = load(cx, c.types[0], c.ptr);
    return l ? values_line(ts, c.types, {*l}) : trap_line(l.error());
  }
  if (c.op == "lift") {
    FlatReader r(c.flat);
    auto l = lift_flat_values(cx, c.max_flat, r, c.types);
    return l ? values_line(ts, c.types, *l) : trap_line(l.error());
  }
  return " ? unknown op";
}

StringEncoding encoding_of(const std::string& w) {
  return w == "utf16"          ? StringEncoding::kUtf16
         : w == "latin1+utf16" ? StringEncoding::kLatin1Utf16
                               : StringEncoding::kUtf8;
}

}  // namespace
}  // namespace airwasm::canon

// Input line: id op encoding fused mem_size heap bad_call bad_value ptr max_flat
//             ntypes type... nvalues value... nflat flat... memory (fill SEED | hex HEX | hex -)
//             [string op: source_encoding tagged text_hex] [adapt op: source_encoding]
int main() {
  using namespace airwasm::canon;
  std::string line;
  std::ios::sync_with_stdio(false);
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::istringstream in(line);
    TypeStore ts;
    Parser p(in, ts);
    Case c;
    c.id = p.word();
    c.op = p.word();
    c.encoding = encoding_of(p.word());
    c.fused = p.num() != 0;
    c.mem_size = p.num();
    c.heap = p.num();
    c.bad_call = p.snum();
    c.bad_value = uint32_t(p.num());
    c.ptr = uint32_t(p.num());
    c.max_flat = p.num();
    const uint64_t ntypes = p.num();
    for (uint64_t i = 0; i < ntypes; ++i) c.types.push_back(p.type());
    const uint64_t nvalues = p.num();
    for (uint64_t i = 0; i < nvalues; ++i) c.values.push_back(p.value(c.types[i]));
    const uint64_t nflat = p.num();
    for (uint64_t i = 0; i < nflat; ++i) c.flat.push_back(p.num());
    const std::string mode = p.word();
    if (mode == "fill") {
      const uint64_t seed = p.num();
      c.memory.resize(c.mem_size);
      for (uint64_t i = 0; i < c.mem_size; ++i) c.memory[i] = uint8_t(i * 31 + seed * 17 + (i >> 5));
    } else {
      const std::string h = p.word();
      if (h != "-") {
        const std::string bytes = Parser::unhex(h);
        c.memory.assign(bytes.begin(), bytes.end());
      }
    }
    if (c.op == "adapt") c.source.encoding = encoding_of(p.word());
    if (c.op == "string") {
      c.source.encoding = encoding_of(p.word());
      c.source.tagged_utf16 = p.num() != 0;
      const std::string w = p.word();
      c.text = Parser::unhex(w.substr(2));
    }
    std::cout << c.id << run(c, ts) << '\n';
  }
  return 0;
}
