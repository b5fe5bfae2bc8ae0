// canon: the value codec of the Canonical ABI: load/store (linear memory) and lift_flat/lower_flat (flat
// core values) for every value type, and the parameter/result lists with spilling through memory. The
// structure follows definitions.py function by function (same checks, same order), over canonical TypeStore
// nodes, whose size, alignment and flattening the TypeStore has computed once.
//
// Invariants: recursion follows the type, whose depth the entry points bound (kMaxTypeDepth, the
// validator's own limit); a nested load/store only touches bytes inside a range its caller checked, and
// every access is checked again by the codec.hh helpers; host values of the wrong shape are a kHostError
// trap ("type mismatch: ..."), never an assertion.
#include <bit>
#include <cstring>

#include "canon/codec.hh"

namespace airwasm::canon {

using namespace detail;
using component::FlatType;
using component::kNoType;
using component::Prim;
using component::TypeKind;
using component::TypeNode;
using component::ValKind;

namespace {

constexpr uint32_t kMaxTypeDepth = 100;  // the validator rejects deeper types ("type nesting is too deep")
constexpr uint64_t kMaxListByteLength = (uint64_t(1) << 28) - 1;

uint32_t canonical_f32(uint32_t bits) {
  return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) ? 0x7fc00000u : bits;
}
uint64_t canonical_f64(uint64_t bits) {
  constexpr uint64_t kExp = 0x7ff0000000000000ull, kFrac = 0x000fffffffffffffull;
  return (bits & kExp) == kExp && (bits & kFrac) ? 0x7ff8000000000000ull : bits;
}
bool valid_char(uint64_t c) {
  return c < 0x110000 && !(c >= 0xd800 && c <= 0xdfff);
}

uint32_t discriminant_size(size_t cases) {
  return cases <= 256 ? 1 : cases <= 65536 ? 2 : 4;
}

ValKind prim_kind(Prim p) {
  return prim_val_kind(p).value_or(ValKind::kU32);
}

// A prim value from its bits (loaded or flat), with the spec's conversions and checks.
TrapResult<Val> prim_from_bits(Prim p, uint64_t v) {
  switch (p) {
    case Prim::kBool:
      return Val::boolean(v != 0);
    case Prim::kS8:
      return Val::s8(int8_t(v));
    case Prim::kU8:
      return Val::u8(uint8_t(v));
    case Prim::kS16:
      return Val::s16(int16_t(v));
    case Prim::kU16:
      return Val::u16(uint16_t(v));
    case Prim::kS32:
      return Val::s32(int32_t(v));
    case Prim::kU32:
      return Val::u32(uint32_t(v));
    case Prim::kS64:
      return Val::s64(int64_t(v));
    case Prim::kU64:
      return Val::u64(v);
    case Prim::kF32:
      return Val::f32_bits(canonical_f32(uint32_t(v)));
    case Prim::kF64:
      return Val::f64_bits(canonical_f64(v));
    case Prim::kChar:
      if (!valid_char(uint32_t(v))) return std::unexpected(invalid_char_trap());
      return Val::character(char32_t(uint32_t(v)));
    default:
      break;
  }
  return host_error("error-context values are not supported yet");
}

// The bits of a prim value as stored or flattened (narrow integers truncated by the caller's width; i32
// values zero-extended), after checking that the Val has the prim's kind.
TrapResult<uint64_t> prim_to_bits(Prim p, const Val& v) {
  switch (p) {
    case Prim::kBool:
      return uint64_t(v.as_bool() ? 1 : 0);
    case Prim::kS8:
    case Prim::kS16:
    case Prim::kS32:
      return uint64_t(uint32_t(int32_t(v.as_signed())));
    case Prim::kU8:
    case Prim::kU16:
    case Prim::kU32:
    case Prim::kS64:
    case Prim::kU64:
      return v.as_unsigned();
    case Prim::kF32:
      return uint64_t(canonical_f32(v.f32_bits()));
    case Prim::kF64:
      return canonical_f64(v.f64_bits());
    case Prim::kChar:
      if (!valid_char(v.as_unsigned())) return std::unexpected(char_mismatch_trap(v.as_unsigned()));
      return v.as_unsigned();
    default:
      break;
  }
  return host_error("error-context values are not supported yet");
}

// The number of cases of a variant-like node, and the payload type of case i (kNoType for none).
size_t case_count(const TypeNode& n) {
  switch (n.kind) {
    case TypeKind::kVariant:
      return n.children.size();
    case TypeKind::kEnum:
      return n.labels.size();
    default:
      return 2;  // option, result
  }
}
TypeId case_payload(const TypeNode& n, size_t i) {
  switch (n.kind) {
    case TypeKind::kVariant:
    case TypeKind::kResult:
      return n.children[i];
    case TypeKind::kOption:
      return i == 1 ? n.children[0] : kNoType;
    default:
      return kNoType;
  }
}

Val make_case(const TypeNode& n, size_t i, std::optional<Val> payload) {
  switch (n.kind) {
    case TypeKind::kVariant:
      return Val::variant(n.labels[i], std::move(payload));
    case TypeKind::kEnum:
      return Val::enumeration(n.labels[i]);
    case TypeKind::kOption:
      return i == 0 ? Val::none() : Val::some(std::move(*payload));
    default:
      return i == 0 ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
  }
}

// Flat input with the spec's CoerceValueIter: inside a variant, each value is read as the variant's joined
// flat type and narrowed to what the case wants. With one uint64_t per value (i32/f32 zero-extended) the
// coercions reduce to keeping the low 32 bits when a 32-bit value is wanted.
class FlatIn {
 public:
  explicit FlatIn(FlatReader& base) : base_(&base) {}
  FlatIn(FlatIn& parent, const FlatType* have, size_t n) : parent_(&parent), have_(have), n_(n) {}

  TrapResult<uint64_t> next(FlatType want) {
    uint64_t x;
    if (base_) {
      if (base_->done()) return host_error("too few flat values");
      x = base_->next();
    } else {
      if (pos_ >= n_) return host_error("too few flat values");
      AIRWASM_TRY_ASSIGN(x, parent_->next(have_[pos_++]));
    }
    return want == FlatType::kI32 || want == FlatType::kF32 ? x & 0xffffffffu : x;
  }
  // Consumes the joined values the case did not use.
  TrapResult<void> skip_rest() {
    while (pos_ < n_) AIRWASM_TRY(parent_->next(have_[pos_++]));
    return {};
  }

 private:
  FlatReader* base_ = nullptr;
  FlatIn* parent_ = nullptr;
  const FlatType* have_ = nullptr;
  size_t n_ = 0, pos_ = 0;
};

std::unexpected<Trap> mismatch(const TypeStore& ts, TypeId t, const Val& v) {
  return host_error("type mismatch: expected " + ts.describe(t) + ", found " +
                    component::val_kind_name(v.kind()));
}

class Codec {
 public:
  explicit Codec(Context& cx) : cx_(cx), ts_(cx.types()), budget_(cx.max_lift_bytes) {}

  // ---------------------------------------------------------------- loading
  TrapResult<Val> load(TypeId t, uint64_t ptr) {
    const TypeNode& n = ts_.canon(t);
    switch (n.kind) {
      case TypeKind::kPrim: {
        if (n.prim == Prim::kString) {
          AIRWASM_TRY_ASSIGN(uint64_t begin, read_uint(cx_, ptr, 4));
          AIRWASM_TRY_ASSIGN(uint64_t units, read_uint(cx_, ptr + 4, 4));
          return lift_string(begin, units);
        }
        AIRWASM_TRY_ASSIGN(uint64_t bits, read_uint(cx_, ptr, unsigned(n.size)));
        return prim_from_bits(n.prim, bits);
      }
      case TypeKind::kList:
      case TypeKind::kMap: {
        AIRWASM_TRY_ASSIGN(uint64_t begin, read_uint(cx_, ptr, 4));
        AIRWASM_TRY_ASSIGN(uint64_t length, read_uint(cx_, ptr + 4, 4));
        return load_list_from_range(n, begin, length);
      }
      case TypeKind::kFixedList: {
        const uint64_t esize = ts_.canon(n.children[0]).size;
        AIRWASM_TRY(charge(uint64_t(n.aux) * sizeof(Val)));
        std::vector<Val> items;
        items.reserve(n.aux);
        for (uint32_t i = 0; i < n.aux; ++i) {
          AIRWASM_TRY_ASSIGN(Val e, load(n.children[0], ptr + i * esize));
          items.push_back(std::move(e));
        }
        return Val::list(std::move(items));
      }
      case TypeKind::kRecord:
      case TypeKind::kTuple: {
        AIRWASM_TRY(charge(n.children.size() * sizeof(Val)));
        std::vector<Val> items;
        items.reserve(n.children.size());
        uint64_t off = 0;
        for (TypeId c : n.children) {
          const TypeNode& f = ts_.canon(c);
          off = align_to(off, f.align);
          AIRWASM_TRY_ASSIGN(Val e, load(c, ptr + off));
          items.push_back(std::move(e));
          off += f.size;
        }
        return make_record(n, std::move(items));
      }
      case TypeKind::kVariant:
      case TypeKind::kEnum:
      case TypeKind::kOption:
      case TypeKind::kResult: {
        const size_t cases = case_count(n);
        const uint32_t dsize = discriminant_size(cases);
        AIRWASM_TRY_ASSIGN(uint64_t index, read_uint(cx_, ptr, dsize));
        if (index >= cases) return std::unexpected(invalid_discriminant_trap());
        const TypeId payload = case_payload(n, index);
        if (payload == kNoType) return make_case(n, index, std::nullopt);
        AIRWASM_TRY_ASSIGN(Val v, load(payload, ptr + align_to(dsize, n.align)));
        return make_case(n, index, std::move(v));
      }
      case TypeKind::kFlags: {
        std::vector<std::string> set;
        const unsigned width = n.labels.size() <= 32 ? unsigned(n.size) : 4;
        for (size_t word = 0; word * 32 < n.labels.size(); ++word) {
          AIRWASM_TRY_ASSIGN(uint64_t bits, read_uint(cx_, ptr + 4 * word, width));
          unpack_flags(n, word, bits, set);
        }
        return Val::flags(std::move(set));
      }
      case TypeKind::kOwn:
      case TypeKind::kBorrow: {
        AIRWASM_TRY_ASSIGN(uint64_t handle, read_uint(cx_, ptr, 4));
        return lift_handle(n, t, uint32_t(handle));
      }
      default:
        return unsupported(t);
    }
  }

  // The element layout of a list, or of a map (a list of key-value tuples, as the spec despecializes it).
  struct Elem {
    uint64_t size = 0, align = 1, value_offset = 0;
  };
  Elem elem_of(const TypeNode& list) const {
    const TypeNode& a = ts_.canon(list.children[0]);
    if (list.kind != TypeKind::kMap) return Elem{a.size, a.align, 0};
    const TypeNode& b = ts_.canon(list.children[1]);
    const uint64_t align = std::max(a.align, b.align), off = align_to(a.size, b.align);
    return Elem{align_to(off + b.size, align), align, off};
  }
  TrapResult<Val> load_elem(const TypeNode& list, const Elem& e, uint64_t ptr) {
    if (list.kind != TypeKind::kMap) return load(list.children[0], ptr);
    AIRWASM_TRY_ASSIGN(Val key, load(list.children[0], ptr));
    AIRWASM_TRY_ASSIGN(Val value, load(list.children[1], ptr + e.value_offset));
    return Val::tuple({std::move(key), std::move(value)});
  }
  TrapResult<void> store_elem(const TypeNode& list, const Elem& e, const Val& v, uint64_t ptr) {
    if (list.kind != TypeKind::kMap) return store(list.children[0], v, ptr);
    if (v.kind() != ValKind::kTuple || v.items().size() != 2) {
      return host_error(
          std::string("type mismatch: expected a map entry (a tuple of key and value), found ") +
          component::val_kind_name(v.kind()));
    }
    AIRWASM_TRY(store(list.children[0], v.items()[0], ptr));
    return store(list.children[1], v.items()[1], ptr + e.value_offset);
  }

  static uint64_t list_length(const Val& v) {
    return v.is_packed_bytes() ? v.bytes_view().size() : v.items().size();
  }

  // A list<u8> (bytes: file and stream contents, payloads) is lifted packed, with one copy.
  bool is_byte_list(const TypeNode& list) const {
    if (list.kind != TypeKind::kList) return false;
    const TypeNode& e = ts_.canon(list.children[0]);
    return e.kind == TypeKind::kPrim && e.prim == Prim::kU8;
  }

  TrapResult<Val> load_list_from_range(const TypeNode& list, uint64_t ptr, uint64_t length) {
    const Elem e = elem_of(list);
    AIRWASM_TRY(check_list_range(cx_, ptr, length, e.size, e.align));
    if (is_byte_list(list)) {
      AIRWASM_TRY(charge(length));
      return Val::bytes(std::string(reinterpret_cast<const char*>(cx_.memory.base + ptr), size_t(length)));
    }
    AIRWASM_TRY(charge(length * sizeof(Val)));
    std::vector<Val> items;
    items.reserve(length);
    for (uint64_t i = 0; i < length; ++i) {
      AIRWASM_TRY_ASSIGN(Val v, load_elem(list, e, ptr + i * e.size));
      items.push_back(std::move(v));
    }
    return Val::list(std::move(items));
  }

  // ---------------------------------------------------------------- storing
  TrapResult<void> store(TypeId t, const Val& v, uint64_t ptr) {
    const TypeNode& n = ts_.canon(t);
    switch (n.kind) {
      case TypeKind::kPrim: {
        if (n.prim == Prim::kErrorContext) return unsupported(t);
        if (v.kind() != prim_kind(n.prim)) return mismatch(ts_, t, v);
        if (n.prim == Prim::kString) {
          AIRWASM_TRY_ASSIGN(StoredString s, lower_string(v.as_string()));
          AIRWASM_TRY(write_uint(cx_, ptr, s.ptr, 4));
          return write_uint(cx_, ptr + 4, s.tagged_code_units, 4);
        }
        AIRWASM_TRY_ASSIGN(uint64_t bits, prim_to_bits(n.prim, v));
        return write_uint(cx_, ptr, bits, unsigned(n.size));
      }
      case TypeKind::kList:
      case TypeKind::kMap: {
        if (v.kind() != ValKind::kList) return mismatch(ts_, t, v);
        AIRWASM_TRY_ASSIGN(uint32_t begin, store_list_into_range(n, v));
        AIRWASM_TRY(write_uint(cx_, ptr, begin, 4));
        return write_uint(cx_, ptr + 4, list_length(v), 4);
      }
      case TypeKind::kFixedList: {
        AIRWASM_TRY(check_fixed_list(n, t, v));
        const uint64_t esize = ts_.canon(n.children[0]).size;
        for (size_t i = 0; i < v.items().size(); ++i)
          AIRWASM_TRY(store(n.children[0], v.items()[i], ptr + i * esize));
        return {};
      }
      case TypeKind::kRecord:
      case TypeKind::kTuple: {
        AIRWASM_TRY_ASSIGN(std::vector<const Val*> fields, record_fields(n, t, v));
        uint64_t off = 0;
        for (size_t i = 0; i < n.children.size(); ++i) {
          const TypeNode& f = ts_.canon(n.children[i]);
          off = align_to(off, f.align);
          AIRWASM_TRY(store(n.children[i], *fields[i], ptr + off));
          off += f.size;
        }
        return {};
      }
      case TypeKind::kVariant:
      case TypeKind::kEnum:
      case TypeKind::kOption:
      case TypeKind::kResult: {
        AIRWASM_TRY_ASSIGN(size_t index, match_case(n, t, v));
        const uint32_t dsize = discriminant_size(case_count(n));
        AIRWASM_TRY(write_uint(cx_, ptr, index, dsize));
        const TypeId payload = case_payload(n, index);
        if (payload == kNoType) return {};
        return store(payload, *v.payload(), ptr + align_to(dsize, n.align));
      }
      case TypeKind::kFlags: {
        AIRWASM_TRY_ASSIGN(std::vector<uint32_t> words, pack_flags(n, t, v));
        const unsigned width = n.labels.size() <= 32 ? unsigned(n.size) : 4;
        for (size_t w = 0; w < words.size(); ++w) AIRWASM_TRY(write_uint(cx_, ptr + 4 * w, words[w], width));
        return {};
      }
      case TypeKind::kOwn:
      case TypeKind::kBorrow: {
        AIRWASM_TRY_ASSIGN(uint32_t handle, lower_handle(n, t, v));
        return write_uint(cx_, ptr, handle, 4);
      }
      default:
        return unsupported(t);
    }
  }

  TrapResult<uint32_t> store_list_into_range(const TypeNode& list, const Val& v) {
    const Elem e = elem_of(list);
    if (v.is_packed_bytes() && is_byte_list(list)) {
      const std::string_view bytes = v.bytes_view();
      AIRWASM_TRY_ASSIGN(uint32_t ptr, alloc_list(cx_, bytes.size(), 1, 1));
      // alloc_list checked that [ptr, ptr + size) is inside the memory as it is after the realloc.
      if (!bytes.empty()) std::memcpy(cx_.memory.base + ptr, bytes.data(), bytes.size());
      return ptr;
    }
    std::span<const Val> items = v.items();
    AIRWASM_TRY_ASSIGN(uint32_t ptr, alloc_list(cx_, items.size(), e.size, e.align));
    for (size_t i = 0; i < items.size(); ++i) AIRWASM_TRY(store_elem(list, e, items[i], ptr + i * e.size));
    return ptr;
  }

  // ---------------------------------------------------------------- flat lifting
  TrapResult<Val> lift_flat(TypeId t, FlatIn& in) {
    const TypeNode& n = ts_.canon(t);
    switch (n.kind) {
      case TypeKind::kPrim: {
        switch (n.prim) {
          case Prim::kString: {
            AIRWASM_TRY_ASSIGN(uint64_t ptr, in.next(FlatType::kI32));
            AIRWASM_TRY_ASSIGN(uint64_t units, in.next(FlatType::kI32));
            return lift_string(ptr, units);
          }
          case Prim::kErrorContext:
            return unsupported(t);
          default: {
            AIRWASM_TRY_ASSIGN(uint64_t bits, in.next(n.flat[0]));
            return prim_from_bits(n.prim, bits);
          }
        }
      }
      case TypeKind::kList:
      case TypeKind::kMap: {
        AIRWASM_TRY_ASSIGN(uint64_t ptr, in.next(FlatType::kI32));
        AIRWASM_TRY_ASSIGN(uint64_t length, in.next(FlatType::kI32));
        return load_list_from_range(n, ptr, length);
      }
      case TypeKind::kFixedList: {
        AIRWASM_TRY(charge(uint64_t(n.aux) * sizeof(Val)));
        std::vector<Val> items;
        items.reserve(n.aux);
        for (uint32_t i = 0; i < n.aux; ++i) {
          AIRWASM_TRY_ASSIGN(Val e, lift_flat(n.children[0], in));
          items.push_back(std::move(e));
        }
        return Val::list(std::move(items));
      }
      case TypeKind::kRecord:
      case TypeKind::kTuple: {
        AIRWASM_TRY(charge(n.children.size() * sizeof(Val)));
        std::vector<Val> items;
        items.reserve(n.children.size());
        for (TypeId c : n.children) {
          AIRWASM_TRY_ASSIGN(Val e, lift_flat(c, in));
          items.push_back(std::move(e));
        }
        return make_record(n, std::move(items));
      }
      case TypeKind::kVariant:
      case TypeKind::kEnum:
      case TypeKind::kOption:
      case TypeKind::kResult: {
        const size_t cases = case_count(n);
        AIRWASM_TRY_ASSIGN(uint64_t index, in.next(FlatType::kI32));
        if (index >= cases) return std::unexpected(invalid_discriminant_trap());
        FlatIn payload_in(in, n.flat.data() + 1, n.flat.size() - 1);
        std::optional<Val> payload;
        if (TypeId p = case_payload(n, index); p != kNoType) {
          AIRWASM_TRY_ASSIGN(payload, lift_flat(p, payload_in));
        }
        AIRWASM_TRY(payload_in.skip_rest());
        return make_case(n, index, std::move(payload));
      }
      case TypeKind::kFlags: {
        std::vector<std::string> set;
        for (size_t word = 0; word * 32 < n.labels.size(); ++word) {
          AIRWASM_TRY_ASSIGN(uint64_t bits, in.next(FlatType::kI32));
          unpack_flags(n, word, bits, set);
        }
        return Val::flags(std::move(set));
      }
      case TypeKind::kOwn:
      case TypeKind::kBorrow: {
        AIRWASM_TRY_ASSIGN(uint64_t handle, in.next(FlatType::kI32));
        return lift_handle(n, t, uint32_t(handle));
      }
      default:
        return unsupported(t);
    }
  }

  // ---------------------------------------------------------------- flat lowering
  TrapResult<void> lower_flat(TypeId t, const Val& v, std::vector<uint64_t>& out) {
    const TypeNode& n = ts_.canon(t);
    switch (n.kind) {
      case TypeKind::kPrim: {
        if (n.prim == Prim::kErrorContext) return unsupported(t);
        if (v.kind() != prim_kind(n.prim)) return mismatch(ts_, t, v);
        if (n.prim == Prim::kString) {
          AIRWASM_TRY_ASSIGN(StoredString s, lower_string(v.as_string()));
          out.push_back(s.ptr);
          out.push_back(s.tagged_code_units);
          return {};
        }
        AIRWASM_TRY_ASSIGN(uint64_t bits, prim_to_bits(n.prim, v));
        if (n.flat[0] == FlatType::kI32) bits = uint32_t(bits);
        out.push_back(bits);
        return {};
      }
      case TypeKind::kList:
      case TypeKind::kMap: {
        if (v.kind() != ValKind::kList) return mismatch(ts_, t, v);
        AIRWASM_TRY_ASSIGN(uint32_t ptr, store_list_into_range(n, v));
        out.push_back(ptr);
        out.push_back(list_length(v));
        return {};
      }
      case TypeKind::kFixedList: {
        AIRWASM_TRY(check_fixed_list(n, t, v));
        for (const Val& e : v.items()) AIRWASM_TRY(lower_flat(n.children[0], e, out));
        return {};
      }
      case TypeKind::kRecord:
      case TypeKind::kTuple: {
        AIRWASM_TRY_ASSIGN(std::vector<const Val*> fields, record_fields(n, t, v));
        for (size_t i = 0; i < n.children.size(); ++i)
          AIRWASM_TRY(lower_flat(n.children[i], *fields[i], out));
        return {};
      }
      case TypeKind::kVariant:
      case TypeKind::kEnum:
      case TypeKind::kOption:
      case TypeKind::kResult: {
        AIRWASM_TRY_ASSIGN(size_t index, match_case(n, t, v));
        out.push_back(index);
        // The payload's own flat values are already the joined types' bits (f32 bits as i32, i32 and f32
        // zero-extended to i64, f64 bits as i64): only the padding to the joined length is left to add.
        const size_t start = out.size();
        if (TypeId p = case_payload(n, index); p != kNoType) AIRWASM_TRY(lower_flat(p, *v.payload(), out));
        while (out.size() - start < n.flat.size() - 1) out.push_back(0);
        return {};
      }
      case TypeKind::kFlags: {
        AIRWASM_TRY_ASSIGN(std::vector<uint32_t> words, pack_flags(n, t, v));
        for (uint32_t w : words) out.push_back(w);
        return {};
      }
      case TypeKind::kOwn:
      case TypeKind::kBorrow: {
        AIRWASM_TRY_ASSIGN(uint32_t handle, lower_handle(n, t, v));
        out.push_back(handle);
        return {};
      }
      default:
        return unsupported(t);
    }
  }

 private:
  TrapResult<Val> lift_string(uint64_t ptr, uint64_t units) {
    AIRWASM_TRY_ASSIGN(LiftedString s, load_string_from_range(cx_, uint32_t(ptr), uint32_t(units)));
    AIRWASM_TRY(charge(s.text.size()));
    if (cx_.lifted_strings) cx_.lifted_strings->push_back(s.source);
    return Val::string(std::move(s.text));
  }
  TrapResult<StoredString> lower_string(const std::string& text) {
    StringSource source;
    if (cx_.string_sources && cx_.string_sources_used < cx_.string_sources->size()) {
      source = (*cx_.string_sources)[cx_.string_sources_used++];
      // A latin1 source must hold latin1 text; if the caller paired the sources wrongly, UTF-8 is right.
      if (source.encoding == StringEncoding::kLatin1Utf16 && !source.tagged_utf16) {
        for (unsigned char ch : text) {
          if (ch >= 0xc4) source = StringSource{};  // a lead byte of a code point above U+00FF
        }
      }
    }
    return store_string_into_range(cx_, text, source);
  }

  std::unexpected<Trap> unsupported(TypeId t) {
    return host_error(ts_.describe(t) + " values are not supported yet");
  }

  Val make_record(const TypeNode& n, std::vector<Val> items) {
    if (n.kind == TypeKind::kTuple) return Val::tuple(std::move(items));
    std::vector<std::pair<std::string, Val>> fields;
    fields.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) fields.emplace_back(n.labels[i], std::move(items[i]));
    return Val::record(std::move(fields));
  }

  // The Val of each field of a record or tuple type, in the type's order. Record fields are matched by
  // name (a host may build them in any order); each must be present exactly once.
  TrapResult<std::vector<const Val*>> record_fields(const TypeNode& n, TypeId t, const Val& v) {
    const ValKind want = n.kind == TypeKind::kTuple ? ValKind::kTuple : ValKind::kRecord;
    if (v.kind() != want) return mismatch(ts_, t, v);
    const auto items = v.items();
    if (items.size() != n.children.size()) {
      return host_error("type mismatch: expected " + ts_.describe(t) + " of " +
                        std::to_string(n.children.size()) + " fields, found " + std::to_string(items.size()));
    }
    std::vector<const Val*> fields(items.size());
    if (want == ValKind::kTuple) {
      for (size_t i = 0; i < items.size(); ++i) fields[i] = &items[i];
      return fields;
    }
    const auto names = v.names();
    for (size_t i = 0; i < n.labels.size(); ++i) {
      size_t at = i < names.size() && names[i] == n.labels[i] ? i : names.size();
      if (at == names.size()) {
        for (size_t k = 0; k < names.size(); ++k) {
          if (names[k] == n.labels[i]) at = k;
        }
      }
      if (at >= names.size() || at >= items.size()) {
        return host_error("type mismatch: record has no field `" + n.labels[i] + "`");
      }
      fields[i] = &items[at];
    }
    return fields;
  }

  TrapResult<void> check_fixed_list(const TypeNode& n, TypeId t, const Val& v) {
    if (v.kind() != ValKind::kList) return mismatch(ts_, t, v);
    if (v.items().size() != n.aux) {
      return host_error("type mismatch: expected a list of " + std::to_string(n.aux) + " elements, found " +
                        std::to_string(v.items().size()));
    }
    return {};
  }

  // The case index of a variant-like Val, after checking that its payload matches the case.
  TrapResult<size_t> match_case(const TypeNode& n, TypeId t, const Val& v) {
    size_t index = 0;
    switch (n.kind) {
      case TypeKind::kVariant:
      case TypeKind::kEnum: {
        if (v.kind() != (n.kind == TypeKind::kVariant ? ValKind::kVariant : ValKind::kEnum))
          return mismatch(ts_, t, v);
        index = n.labels.size();
        for (size_t i = 0; i < n.labels.size(); ++i) {
          if (n.labels[i] == v.case_name()) index = i;
        }
        if (index == n.labels.size()) {
          return host_error("type mismatch: " + ts_.describe(t) + " has no case `" + v.case_name() + "`");
        }
        break;
      }
      case TypeKind::kOption:
        if (v.kind() != ValKind::kOption) return mismatch(ts_, t, v);
        index = v.is_some() ? 1 : 0;
        break;
      default:
        if (v.kind() != ValKind::kResult) return mismatch(ts_, t, v);
        index = v.is_ok() ? 0 : 1;
        break;
    }
    const bool want_payload = case_payload(n, index) != kNoType;
    if (want_payload != (v.payload() != nullptr)) {
      return host_error(std::string("type mismatch: case `") + case_label(n, index) + "` " +
                        (want_payload ? "needs a payload" : "has no payload"));
    }
    return index;
  }
  static std::string case_label(const TypeNode& n, size_t i) {
    switch (n.kind) {
      case TypeKind::kVariant:
      case TypeKind::kEnum:
        return n.labels[i];
      case TypeKind::kOption:
        return i ? "some" : "none";
      default:
        return i ? "err" : "ok";
    }
  }

  static void unpack_flags(const TypeNode& n, size_t word, uint64_t bits, std::vector<std::string>& set) {
    for (size_t b = 0; b < 32 && word * 32 + b < n.labels.size(); ++b) {
      if (bits >> b & 1) set.push_back(n.labels[word * 32 + b]);
    }
  }
  TrapResult<std::vector<uint32_t>> pack_flags(const TypeNode& n, TypeId t, const Val& v) {
    if (v.kind() != ValKind::kFlags) return mismatch(ts_, t, v);
    std::vector<uint32_t> words((n.labels.size() + 31) / 32, 0);
    for (const std::string& name : v.names()) {
      size_t i = 0;
      while (i < n.labels.size() && n.labels[i] != name) ++i;
      if (i == n.labels.size()) return host_error("type mismatch: flags have no flag `" + name + "`");
      words[i / 32] |= uint32_t(1) << (i % 32);
    }
    return words;
  }

  TrapResult<Val> lift_handle(const TypeNode& n, TypeId t, uint32_t handle) {
    const TypeId c = ts_.canon_id(t);
    return n.kind == TypeKind::kOwn ? cx_.lift_own(c, handle) : cx_.lift_borrow(c, handle);
  }
  TrapResult<uint32_t> lower_handle(const TypeNode& n, TypeId t, const Val& v) {
    // An owned handle may be lent where a borrow is expected; the callbacks enforce the handle rules.
    const bool ok = n.kind == TypeKind::kOwn ? v.kind() == ValKind::kOwn
                                             : v.kind() == ValKind::kOwn || v.kind() == ValKind::kBorrow;
    if (!ok) return mismatch(ts_, t, v);
    const TypeId c = ts_.canon_id(t);
    return n.kind == TypeKind::kOwn ? cx_.lower_own(c, v) : cx_.lower_borrow(c, v);
  }

  // Charges host memory a lift is about to build against Context::max_lift_bytes.
  TrapResult<void> charge(uint64_t bytes) {
    if (bytes <= budget_) [[likely]] {
      budget_ -= bytes;
      return {};
    }
    budget_ = 0;
    return std::unexpected(value_too_large_trap(cx_.max_lift_bytes));
  }

  Context& cx_;
  const TypeStore& ts_;
  uint64_t budget_;
};

[[gnu::noinline]] TrapResult<void> bad_type(const TypeStore& ts, TypeId t) {
  if (t >= ts.size()) return host_error("unknown type id " + std::to_string(t));
  return host_error("type nesting is too deep");
}
inline TrapResult<void> check_type(const TypeStore& ts, TypeId t) {
  if (t < ts.size() && ts.canon(t).depth <= kMaxTypeDepth) [[likely]]
    return {};
  return bad_type(ts, t);
}

// The layout of the tuple of `types` (the spill area of a parameter or result list).
struct TupleLayout {
  uint64_t size = 0, align = 1;
  std::vector<uint64_t> offsets;
};
TupleLayout tuple_layout(const TypeStore& ts, std::span<const TypeId> types) {
  TupleLayout l;
  for (TypeId t : types) {
    const TypeNode& n = ts.canon(t);
    l.size = align_to(l.size, n.align);
    l.offsets.push_back(l.size);
    l.size += n.size;
    l.align = std::max(l.align, n.align);
  }
  l.size = align_to(l.size, l.align);
  return l;
}

TrapResult<void> check_range(const Context& cx, uint64_t ptr, uint64_t align, uint64_t size) {
  return check_pointer(cx, ptr, align, size);
}

}  // namespace

// ------------------------------------------------------------------ checks shared with the typed path

Trap memory_out_of_bounds_trap() {
  return Trap(TrapCode::kMemoryOutOfBounds, "out of bounds memory access");
}
Trap value_too_large_trap(uint64_t limit) {
  return Trap(TrapCode::kValueTooLarge,
              "lifted value exceeds the limit of " + std::to_string(limit) + " bytes of host memory");
}
Trap invalid_char_trap() {
  return Trap(TrapCode::kInvalidChar, "invalid `char` bit pattern");
}
Trap invalid_discriminant_trap() {
  return Trap(TrapCode::kInvalidDiscriminant, "invalid variant discriminant");
}
Trap char_mismatch_trap(uint64_t value) {
  return Trap(TrapCode::kHostError,
              "type mismatch: " + std::to_string(value) + " is not a Unicode scalar value");
}

TrapResult<void> check_list_range(const Context& cx, uint64_t ptr, uint64_t length, uint64_t elem_size,
                                  uint64_t elem_align) {
  if (elem_size == 0) return host_error("list element type has size 0");
  // length < 2^32 and size < 2^41: the product cannot wrap in 64 bits... unless size is large, so divide.
  if (length > kMaxListByteLength / elem_size) {
    return trap(TrapCode::kListOutOfBounds, "list byte length exceeds the maximum of 2^28 - 1");
  }
  const uint64_t byte_length = length * elem_size;
  if (!aligned(ptr, elem_align)) return trap(TrapCode::kUnalignedPointer, "unaligned pointer");
  if (!in_bounds(cx, ptr, byte_length)) {
    return trap(TrapCode::kListOutOfBounds,
                cx.fused ? "list content out-of-bounds" : "list pointer/length out of bounds of memory");
  }
  return {};
}

TrapResult<uint32_t> alloc_list(Context& cx, uint64_t length, uint64_t elem_size, uint64_t elem_align) {
  const uint64_t byte_length = length * elem_size;  // length < 2^59 for any real vector
  if (length > UINT32_MAX || byte_length > UINT32_MAX) {
    return host_error("list of " + std::to_string(length) + " elements is too long");
  }
  return checked_realloc(cx, 0, 0, uint32_t(elem_align), byte_length, Allocation::kList);
}

TrapResult<uint32_t> alloc_tuple(Context& cx, uint64_t align, uint64_t size) {
  return checked_realloc(cx, 0, 0, uint32_t(align), size, Allocation::kTuple);
}

TrapResult<void> check_pointer(const Context& cx, uint64_t ptr, uint64_t align, uint64_t size) {
  if (!aligned(ptr, align)) return trap(TrapCode::kUnalignedPointer, "unaligned pointer");
  if (!in_bounds(cx, ptr, size)) return trap(TrapCode::kMemoryOutOfBounds, "pointer out of bounds of memory");
  return {};
}

// ------------------------------------------------------------------ Context defaults

TrapResult<uint32_t> Context::realloc(uint32_t, uint32_t, uint32_t, uint32_t) {
  return host_error("canonical option `realloc` is required");
}
TrapResult<Val> Context::lift_own(TypeId, uint32_t) {
  return host_error("resource handles are not available here");
}
TrapResult<Val> Context::lift_borrow(TypeId, uint32_t) {
  return host_error("resource handles are not available here");
}
TrapResult<uint32_t> Context::lower_own(TypeId, const Val&) {
  return host_error("resource handles are not available here");
}
TrapResult<uint32_t> Context::lower_borrow(TypeId, const Val&) {
  return host_error("resource handles are not available here");
}

// ------------------------------------------------------------------ entry points

TrapResult<Val> load(Context& cx, TypeId type, uint32_t ptr) {
  AIRWASM_TRY(check_type(cx.types(), type));
  const TypeNode& n = cx.types().canon(type);
  AIRWASM_TRY(check_range(cx, ptr, n.align, n.size));
  return Codec(cx).load(type, ptr);
}

TrapResult<void> store(Context& cx, TypeId type, const Val& value, uint32_t ptr) {
  AIRWASM_TRY(check_type(cx.types(), type));
  const TypeNode& n = cx.types().canon(type);
  AIRWASM_TRY(check_range(cx, ptr, n.align, n.size));
  return Codec(cx).store(type, value, ptr);
}

TrapResult<Val> lift_flat(Context& cx, TypeId type, FlatReader& flat) {
  AIRWASM_TRY(check_type(cx.types(), type));
  // A variant's joined flat types are only complete below the TypeStore's cap; such types never reach
  // lift_flat through lift_flat_values, which spills them.
  if (cx.types().canon(type).flat.size() >= component::kMaxFlat)
    return host_error("type has too many flat values");
  FlatIn in(flat);
  return Codec(cx).lift_flat(type, in);
}

TrapResult<void> lower_flat(Context& cx, TypeId type, const Val& value, std::vector<uint64_t>& out) {
  AIRWASM_TRY(check_type(cx.types(), type));
  if (cx.types().canon(type).flat.size() >= component::kMaxFlat)
    return host_error("type has too many flat values");
  return Codec(cx).lower_flat(type, value, out);
}

size_t flat_count(const TypeStore& types, std::span<const TypeId> list) {
  size_t n = 0;
  for (TypeId t : list) {
    n += types.canon(t).flat.size();
    if (n >= component::kMaxFlat) return component::kMaxFlat;
  }
  return n;
}

TrapResult<std::vector<Val>> lift_flat_values(Context& cx, size_t max_flat, FlatReader& flat,
                                              std::span<const TypeId> types) {
  for (TypeId t : types) AIRWASM_TRY(check_type(cx.types(), t));
  Codec codec(cx);
  std::vector<Val> out;
  out.reserve(types.size());
  if (flat_count(cx.types(), types) > max_flat) {
    if (flat.done()) return host_error("too few flat values");
    const uint64_t ptr = uint32_t(flat.next());
    const TupleLayout l = tuple_layout(cx.types(), types);
    AIRWASM_TRY(check_range(cx, ptr, l.align, l.size));
    for (size_t i = 0; i < types.size(); ++i) {
      AIRWASM_TRY_ASSIGN(Val v, codec.load(types[i], ptr + l.offsets[i]));
      out.push_back(std::move(v));
    }
    return out;
  }
  FlatIn in(flat);
  for (TypeId t : types) {
    AIRWASM_TRY_ASSIGN(Val v, codec.lift_flat(t, in));
    out.push_back(std::move(v));
  }
  return out;
}

TrapResult<void> lower_flat_values(Context& cx, size_t max_flat, std::span<const Val> values,
                                   std::span<const TypeId> types, std::vector<uint64_t>& out,
                                   const uint32_t* out_param) {
  if (values.size() != types.size()) {
    return host_error("type mismatch: expected " + std::to_string(types.size()) + " values, found " +
                      std::to_string(values.size()));
  }
  for (TypeId t : types) AIRWASM_TRY(check_type(cx.types(), t));
  Codec codec(cx);
  if (flat_count(cx.types(), types) > max_flat) {
    const TupleLayout l = tuple_layout(cx.types(), types);
    uint64_t ptr;
    if (out_param) {
      ptr = *out_param;
    } else {
      AIRWASM_TRY_ASSIGN(ptr, alloc_tuple(cx, l.align, l.size));
      out.push_back(ptr);
    }
    AIRWASM_TRY(check_range(cx, ptr, l.align, l.size));
    for (size_t i = 0; i < types.size(); ++i)
      AIRWASM_TRY(codec.store(types[i], values[i], ptr + l.offsets[i]));
    return {};
  }
  for (size_t i = 0; i < types.size(); ++i) AIRWASM_TRY(codec.lower_flat(types[i], values[i], out));
  return {};
}

std::optional<ValKind> prim_val_kind(Prim p) {
  switch (p) {
    case Prim::kBool:
      return ValKind::kBool;
    case Prim::kS8:
      return ValKind::kS8;
    case Prim::kU8:
      return ValKind::kU8;
    case Prim::kS16:
      return ValKind::kS16;
    case Prim::kU16:
      return ValKind::kU16;
    case Prim::kS32:
      return ValKind::kS32;
    case Prim::kU32:
      return ValKind::kU32;
    case Prim::kS64:
      return ValKind::kS64;
    case Prim::kU64:
      return ValKind::kU64;
    case Prim::kF32:
      return ValKind::kF32;
    case Prim::kF64:
      return ValKind::kF64;
    case Prim::kChar:
      return ValKind::kChar;
    case Prim::kString:
      return ValKind::kString;
    case Prim::kErrorContext:
      break;
  }
  return std::nullopt;
}

}  // namespace airwasm::canon
