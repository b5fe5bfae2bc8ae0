// airwasm public API (components): the canonical ABI of typed calls, as header templates. Included by
// airwasm/component/typed.hh (read that file for the API and the C++ <-> WIT type mapping); hosts use
// WitType / wit_field / WitResult from here and nothing in namespace abi directly.
//
// abi::Abi<T> gives, for each mapped C++ type, its canonical ABI layout as constants (size, alignment,
// flat count, whether it holds a resource) and its lift/lower (flat slots) and load/store (memory) code.
// Guest memory is read and written inline with a bounds check per access; everything that needs the
// runtime (strings, list and pointer checks, allocation through realloc, resource handles, trap texts) is
// an out-of-line abi:: function implemented by the component runtime with the canon layer's primitives,
// so typed and Val calls check and trap identically.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "airwasm/component/func.hh"
#include "airwasm/component/instance.hh"
#include "airwasm/component/linker.hh"
#include "airwasm/component/resource.hh"

namespace airwasm::component {

// ---------------------------------------------------------------- user-facing helper types

// The mapping trait for user records, flags, enums and variants (see airwasm/component/typed.hh).
template <typename T>
struct WitType;

template <typename S, typename M>
struct WitField {
  const char* name;
  M S::* member;
};
template <typename S, typename M>
constexpr WitField<S, M> wit_field(const char* name, M S::* member) {
  return {name, member};
}

// WIT's result<T, E>; `void` on either side means no payload. (airwasm::Result is the library's error type.)
template <typename T, typename E>
class WitResult {
 public:
  using OkType = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  using ErrType = std::conditional_t<std::is_void_v<E>, std::monostate, E>;
  template <typename... U>
  static WitResult ok(U&&... v) {
    WitResult r;
    r.v_.template emplace<0>(std::forward<U>(v)...);
    return r;
  }
  template <typename... U>
  static WitResult err(U&&... v) {
    WitResult r;
    r.v_.template emplace<1>(std::forward<U>(v)...);
    return r;
  }
  bool is_ok() const { return v_.index() == 0; }
  const OkType& value() const { return std::get<0>(v_); }
  const ErrType& error() const { return std::get<1>(v_); }
  OkType& value() { return std::get<0>(v_); }
  ErrType& error() { return std::get<1>(v_); }
  bool operator==(const WitResult&) const = default;

  std::variant<OkType, ErrType> v_;  // index 0: ok, 1: err (public for the ABI code; use ok()/err())
};

template <typename Sig>
class TypedFunc;

namespace abi {
template <typename T, typename>
struct Abi;
}

// Statically typed resource handles (what `airwasm bindgen` maps own<R> and borrow<R> to). `Tag` names the
// resource: `Tag::kHostId` is the id of its host-defined ResourceType when the host implements it.
//
// Own<Tag> is an owned handle the host holds, with RAII: destroying it drops the handle (running the
// resource's destructor, guest or host), passing it into a call moves it into the guest (it is then
// empty), so a resource is never leaked nor dropped twice. Move-only.
template <typename Tag>
class Borrow;
template <typename Tag>
class Own {
 public:
  Own() = default;
  Own(Store& store, const ResourceAny& handle, uint32_t rep = 0)
      : store_(&store), handle_(handle), rep_(rep) {}
  Own(Own&& o) noexcept : store_(o.store_), handle_(o.handle_), rep_(o.rep_) { o.store_ = nullptr; }
  Own& operator=(Own&& o) noexcept {
    if (this != &o) {
      reset();
      store_ = o.store_, handle_ = o.handle_, rep_ = o.rep_;
      o.store_ = nullptr;
    }
    return *this;
  }
  Own(const Own&) = delete;
  Own& operator=(const Own&) = delete;
  ~Own() { reset(); }

  // A new handle to the host-implemented resource `rep` (for host functions that return own<R>).
  static TrapResult<Own> create(Store& store, uint32_t rep) {
    auto h = resource_new_own(store, ResourceType::host(Tag::kHostId), rep);
    if (!h) return std::unexpected(Trap(TrapCode::kHostError, h.error().message));
    return Own(store, *h, rep);
  }
  // Drops the handle now (no-op when empty).
  void reset() {
    if (store_) (void)resource_drop(*std::exchange(store_, nullptr), handle_);
  }
  // Gives up ownership without dropping: the caller becomes responsible for the ResourceAny.
  ResourceAny release() {
    store_ = nullptr;
    return handle_;
  }
  bool valid() const { return store_ != nullptr; }
  explicit operator bool() const { return valid(); }
  const ResourceAny& handle() const { return handle_; }
  // The representation of a host-implemented resource (the value given to create()).
  uint32_t rep() const { return rep_; }
  Borrow<Tag> borrow() const { return Borrow<Tag>(handle_, rep_); }
  bool operator==(const Own& o) const { return store_ == o.store_ && handle_ == o.handle_; }

 private:
  friend struct abi::Abi<Own, void>;
  mutable Store* store_ = nullptr;  // null once empty (moved into the guest, released or dropped)
  ResourceAny handle_;
  uint32_t rep_ = 0;
};

// Borrow<Tag>: a borrowed handle (a parameter of a host function, valid until it returns; or an Own's
// borrow() passed to a call).
template <typename Tag>
class Borrow {
 public:
  Borrow() = default;
  explicit Borrow(const ResourceAny& handle, uint32_t rep = 0) : handle_(handle), rep_(rep) {}
  const ResourceAny& handle() const { return handle_; }
  // The representation of a host-implemented resource (what the host gave Own<Tag>::create()).
  uint32_t rep() const { return rep_; }
  bool operator==(const Borrow&) const = default;

 private:
  ResourceAny handle_;
  uint32_t rep_ = 0;
};

// ---------------------------------------------------------------- the ABI seam (implemented in the runtime)
// Used by the templates of this header and typed.hh; hosts do not call it directly.
namespace abi {

// The guest side of one lift or lower: the runtime's context plus the guest memory, which the templates
// access inline (bounds-checked). Memories never move; realloc may grow them, so the size is re-read.
struct Cx {
  void* guest = nullptr;  // the runtime's context (canonical options, handle tables, the task)
  uint8_t* base = nullptr;
  const uint64_t* size = nullptr;
  uint32_t func_type = 0;  // TypeId of the function type (children: params..., result)
  // Host memory this lift may still build (the canon layer's max_lift_bytes): a guest can make many list
  // elements point at the same large string, so lifted sizes are bounded by a budget, not by guest memory.
  uint64_t lift_budget = 0;
  // The Store of the call: lifted owned handles (Own<Tag>) keep it to drop themselves.
  Store* store = nullptr;
  uint64_t bytes() const { return size ? *size : 0; }
};

// A component value type, for checking C++ types against it.
class TypeView {
 public:
  TypeView(const void* types, uint32_t id) : types_(types), id_(id) {}
  bool valid() const;                      // false for an absent payload / result
  bool is(ValKind k) const;                // the type's kind (aliases stripped)
  size_t count() const;                    // fields, tuple elements, cases, flags, params
  std::string_view label(size_t i) const;  // field, case, flag or parameter name
  TypeView child(size_t i) const;          // element, field, tuple element, parameter (count() = result)
  TypeView case_payload(size_t i) const;   // option/result/variant case i (invalid: none)
  std::string describe() const;
  uint32_t id() const { return id_; }

 private:
  const void* types_;
  uint32_t id_;
};

// Collects the first mismatch with its path ("parameter 1 `p`, record field `x`: ...").
class Checker {
 public:
  bool fail(const TypeView& t, std::string_view cxx);
  bool fail_text(std::string text);
  bool at(std::string_view segment);  // prepends a path segment on the way out; returns false
  std::string message() const;

 private:
  std::string path_, what_;
};

enum class Alloc : uint8_t { kString, kList, kTuple };

// Traps with the canon layer's texts (built out of line: the trap path may allocate, calls never do).
Trap trap_out_of_bounds();
Trap trap_invalid_char();
Trap trap_invalid_discriminant();
Trap trap_char_mismatch(uint64_t value);
Trap trap_value_too_large(const Cx& cx);
inline TrapResult<void> charge(Cx& cx, uint64_t bytes) {
  if (bytes > cx.lift_budget) [[unlikely]] {
    cx.lift_budget = 0;
    return std::unexpected(trap_value_too_large(cx));
  }
  cx.lift_budget -= bytes;
  return {};
}
// canon primitives
TrapResult<void> store_string(Cx& cx, std::string_view utf8, uint32_t out[2]);
TrapResult<void> load_string(Cx& cx, uint32_t ptr, uint32_t units, std::string& out);
TrapResult<uint32_t> alloc_list(Cx& cx, uint64_t count, uint64_t elem_size, uint64_t elem_align);
TrapResult<void> check_list(Cx& cx, uint64_t ptr, uint64_t count, uint64_t elem_size, uint64_t elem_align);
TrapResult<uint32_t> alloc_tuple(Cx& cx, uint64_t align, uint64_t size);
TrapResult<void> check_pointer(Cx& cx, uint64_t ptr, uint64_t align, uint64_t size);
TrapResult<uint32_t> lower_handle(Cx& cx, uint32_t type, const ResourceAny& handle);
TrapResult<ResourceAny> lift_handle(Cx& cx, uint32_t type, uint32_t handle);
uint32_t child_type(const Cx& cx, uint32_t type, size_t i);
uint32_t case_type(const Cx& cx, uint32_t type, size_t i);

// The lower/lift halves of one typed call, run by the runtime's call protocol.
struct Marshal {
  void* self = nullptr;
  TrapResult<void> (*lower)(void* self, Cx& cx, uint64_t* slots) = nullptr;       // params into slots[0..)
  TrapResult<void> (*lift)(void* self, Cx& cx, const uint64_t* slots) = nullptr;  // the result
};
using CheckFn = bool (*)(Checker& c, const TypeView& fn);
Result<void> check_func(Store& store, const Func& func, CheckFn check);
TrapResult<void> call(Store& store, const Func& func, const Marshal& m, const CallOptions* options);

// A typed host function (LinkerInstance::func_wrap).
class TypedHost {
 public:
  virtual ~TypedHost() = default;
  virtual bool check(Checker& c, const TypeView& fn) const = 0;
  // Lifts the parameters (flat, or a spilled tuple when they have more than `max_params` flat values),
  // runs the callable, lowers its result into slots[0] or, with `retptr`, into guest memory.
  virtual TrapResult<void> call(Store& store, Cx& cx, uint64_t* slots, size_t max_params,
                                const uint32_t* retptr) const = 0;
};

// ---------------------------------------------------------------- layout helpers

constexpr uint64_t align_to(uint64_t v, uint64_t a) {
  return (v + a - 1) / a * a;
}
constexpr uint32_t disc_size(size_t cases) {
  return cases <= 256 ? 1 : cases <= 65536 ? 2 : 4;
}

#define AIRWASM_ABI_TRY(expr)                                                     \
  do {                                                                            \
    auto airwasm_abi_r = (expr);                                                  \
    if (!airwasm_abi_r) return std::unexpected(std::move(airwasm_abi_r.error())); \
  } while (0)

inline TrapResult<void> read(const Cx& cx, uint64_t ptr, void* dst, unsigned n) {
  const uint64_t size = cx.bytes();
  if (ptr > size || n > size - ptr) return std::unexpected(trap_out_of_bounds());
  std::memcpy(dst, cx.base + ptr, n);
  return {};
}
inline TrapResult<void> write(Cx& cx, uint64_t ptr, const void* src, unsigned n) {
  const uint64_t size = cx.bytes();
  if (ptr > size || n > size - ptr) return std::unexpected(trap_out_of_bounds());
  std::memcpy(cx.base + ptr, src, n);
  return {};
}

template <typename T, typename = void>
struct Abi;  // per-type ABI: kSize, kAlign, kFlat, kRes, check, lower, lift, store, load

// Non-const lifted form of a parameter type (std::string_view params of host functions are lifted as
// strings).
template <typename T>
using Owned =
    std::conditional_t<std::is_same_v<std::decay_t<T>, std::string_view>, std::string, std::decay_t<T>>;

// ---- scalars
inline uint32_t canonical_f32(uint32_t b) {
  return (b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu) ? 0x7fc00000u : b;
}
inline uint64_t canonical_f64(uint64_t b) {
  return (b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0x000fffffffffffffull)
             ? 0x7ff8000000000000ull
             : b;
}
inline bool valid_char(uint64_t c) {
  return c < 0x110000 && !(c >= 0xd800 && c <= 0xdfff);
}

template <typename T, ValKind K, const char* Name>
struct ScalarAbi {
  static constexpr uint64_t kSize = std::is_same_v<T, bool> ? 1 : sizeof(T), kAlign = kSize;
  static constexpr size_t kFlat = 1;
  static constexpr bool kRes = false;
  static bool check(Checker& c, const TypeView& t) { return t.is(K) || c.fail(t, Name); }
  // The flat / stored bits of a value (i32-class values zero-extended).
  static TrapResult<uint64_t> bits(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      return uint64_t(v ? 1 : 0);
    } else if constexpr (std::is_same_v<T, float>) {
      uint32_t b;
      std::memcpy(&b, &v, 4);
      return uint64_t(canonical_f32(b));
    } else if constexpr (std::is_same_v<T, double>) {
      uint64_t b;
      std::memcpy(&b, &v, 8);
      return canonical_f64(b);
    } else if constexpr (std::is_same_v<T, char32_t>) {
      if (!valid_char(uint32_t(v))) return std::unexpected(trap_char_mismatch(uint32_t(v)));
      return uint64_t(uint32_t(v));
    } else if constexpr (std::is_signed_v<T> && sizeof(T) < 8) {
      return uint64_t(uint32_t(int32_t(v)));
    } else {
      return uint64_t(v);
    }
  }
  // A value from bits (only the low kSize bytes, or 32 bits for flat i32 values, are meaningful).
  static TrapResult<void> from_bits(uint64_t b, T& out) {
    if constexpr (std::is_same_v<T, bool>) {
      out = uint32_t(b) != 0;
    } else if constexpr (std::is_same_v<T, float>) {
      const uint32_t c = canonical_f32(uint32_t(b));
      std::memcpy(&out, &c, 4);
    } else if constexpr (std::is_same_v<T, double>) {
      const uint64_t c = canonical_f64(b);
      std::memcpy(&out, &c, 8);
    } else if constexpr (std::is_same_v<T, char32_t>) {
      if (!valid_char(uint32_t(b))) return std::unexpected(trap_invalid_char());
      out = char32_t(uint32_t(b));
    } else {
      out = T(b);
    }
    return {};
  }
  static TrapResult<void> lower(Cx&, uint32_t, const T& v, uint64_t*& out) {
    auto b = bits(v);
    if (!b) return std::unexpected(std::move(b.error()));
    *out++ = *b;
    return {};
  }
  static TrapResult<void> lift(Cx&, uint32_t, const uint64_t*& in, T& out) { return from_bits(*in++, out); }
  static TrapResult<void> store(Cx& cx, uint32_t, const T& v, uint64_t ptr) {
    auto b = bits(v);
    if (!b) return std::unexpected(std::move(b.error()));
    return write(cx, ptr, &*b, unsigned(kSize));
  }
  static TrapResult<void> load(Cx& cx, uint32_t, uint64_t ptr, T& out) {
    uint64_t b = 0;
    AIRWASM_ABI_TRY(read(cx, ptr, &b, unsigned(kSize)));
    if constexpr (std::is_same_v<T, bool>) b &= 0xff;
    return from_bits(b, out);
  }
};

inline constexpr char kNameBool[] = "bool", kNameS8[] = "int8_t", kNameU8[] = "uint8_t",
                      kNameS16[] = "int16_t", kNameU16[] = "uint16_t", kNameS32[] = "int32_t",
                      kNameU32[] = "uint32_t", kNameS64[] = "int64_t", kNameU64[] = "uint64_t",
                      kNameF32[] = "float", kNameF64[] = "double", kNameChar[] = "char32_t";
template <>
struct Abi<bool> : ScalarAbi<bool, ValKind::kBool, kNameBool> {};
template <>
struct Abi<int8_t> : ScalarAbi<int8_t, ValKind::kS8, kNameS8> {};
template <>
struct Abi<uint8_t> : ScalarAbi<uint8_t, ValKind::kU8, kNameU8> {};
template <>
struct Abi<int16_t> : ScalarAbi<int16_t, ValKind::kS16, kNameS16> {};
template <>
struct Abi<uint16_t> : ScalarAbi<uint16_t, ValKind::kU16, kNameU16> {};
template <>
struct Abi<int32_t> : ScalarAbi<int32_t, ValKind::kS32, kNameS32> {};
template <>
struct Abi<uint32_t> : ScalarAbi<uint32_t, ValKind::kU32, kNameU32> {};
template <>
struct Abi<int64_t> : ScalarAbi<int64_t, ValKind::kS64, kNameS64> {};
template <>
struct Abi<uint64_t> : ScalarAbi<uint64_t, ValKind::kU64, kNameU64> {};
template <>
struct Abi<float> : ScalarAbi<float, ValKind::kF32, kNameF32> {};
template <>
struct Abi<double> : ScalarAbi<double, ValKind::kF64, kNameF64> {};
template <>
struct Abi<char32_t> : ScalarAbi<char32_t, ValKind::kChar, kNameChar> {};

// ---- strings
template <typename S>
struct StringAbi {
  static constexpr uint64_t kSize = 8, kAlign = 4;
  static constexpr size_t kFlat = 2;
  static constexpr bool kRes = false;
  static bool check(Checker& c, const TypeView& t) {
    return t.is(ValKind::kString) || c.fail(t, "std::string");
  }
  static TrapResult<void> lower(Cx& cx, uint32_t, std::string_view v, uint64_t*& out) {
    uint32_t s[2];
    AIRWASM_ABI_TRY(store_string(cx, v, s));
    *out++ = s[0];
    *out++ = s[1];
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t, std::string_view v, uint64_t ptr) {
    uint32_t s[2];
    AIRWASM_ABI_TRY(store_string(cx, v, s));
    return write(cx, ptr, s, 8);
  }
  static TrapResult<void> lift(Cx& cx, uint32_t, const uint64_t*& in, std::string& out) {
    const uint32_t ptr = uint32_t(in[0]), units = uint32_t(in[1]);
    in += 2;
    return load_string(cx, ptr, units, out);
  }
  static TrapResult<void> load(Cx& cx, uint32_t, uint64_t ptr, std::string& out) {
    uint32_t s[2];
    AIRWASM_ABI_TRY(read(cx, ptr, s, 8));
    return load_string(cx, s[0], s[1], out);
  }
};
template <>
struct Abi<std::string> : StringAbi<std::string> {};
template <>
struct Abi<std::string_view> : StringAbi<std::string_view> {};

// ---- resources
template <>
struct Abi<ResourceAny> {
  static constexpr uint64_t kSize = 4, kAlign = 4;
  static constexpr size_t kFlat = 1;
  static constexpr bool kRes = true;
  static bool check(Checker& c, const TypeView& t) {
    return t.is(ValKind::kOwn) || t.is(ValKind::kBorrow) || c.fail(t, "ResourceAny");
  }
  static TrapResult<void> lower(Cx& cx, uint32_t t, const ResourceAny& v, uint64_t*& out) {
    auto h = lower_handle(cx, t, v);
    if (!h) return std::unexpected(std::move(h.error()));
    *out++ = *h;
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t t, const ResourceAny& v, uint64_t ptr) {
    auto h = lower_handle(cx, t, v);
    if (!h) return std::unexpected(std::move(h.error()));
    return write(cx, ptr, &*h, 4);
  }
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, ResourceAny& out) {
    auto r = lift_handle(cx, t, uint32_t(*in++));
    if (!r) return std::unexpected(std::move(r.error()));
    out = *r;
    return {};
  }
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t ptr, ResourceAny& out) {
    uint32_t h = 0;  // (GCC 12 -Wmaybe-uninitialized cannot see that read() fills it on success)
    AIRWASM_ABI_TRY(read(cx, ptr, &h, 4));
    auto r = lift_handle(cx, t, h);
    if (!r) return std::unexpected(std::move(r.error()));
    out = *r;
    return {};
  }
};

// ---- statically typed handles (Own<Tag>, Borrow<Tag>): the ResourceAny code plus ownership.
inline uint32_t host_rep(Cx& cx, const ResourceAny& h) {
  if (!cx.store || !h.type().is_host()) return 0;
  auto r = resource_rep(*cx.store, h);
  return r ? *r : 0;
}
template <typename Tag>
struct Abi<Own<Tag>, void> {
  static constexpr uint64_t kSize = 4, kAlign = 4;
  static constexpr size_t kFlat = 1;
  static constexpr bool kRes = true;
  static bool check(Checker& c, const TypeView& t) { return t.is(ValKind::kOwn) || c.fail(t, "Own<...>"); }
  static TrapResult<uint32_t> take(Cx& cx, uint32_t t, const Own<Tag>& v) {
    if (!v.store_) return std::unexpected(Trap(TrapCode::kHostError, "an empty Own handle passed to a call"));
    auto h = lower_handle(cx, t, v.handle_);
    if (h) v.store_ = nullptr;  // moved into the guest
    return h;
  }
  static TrapResult<void> lower(Cx& cx, uint32_t t, const Own<Tag>& v, uint64_t*& out) {
    auto h = take(cx, t, v);
    if (!h) return std::unexpected(std::move(h.error()));
    *out++ = *h;
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t t, const Own<Tag>& v, uint64_t ptr) {
    auto h = take(cx, t, v);
    if (!h) return std::unexpected(std::move(h.error()));
    return write(cx, ptr, &*h, 4);
  }
  static TrapResult<void> from(Cx& cx, uint32_t t, uint32_t handle, Own<Tag>& out) {
    auto r = lift_handle(cx, t, handle);
    if (!r) return std::unexpected(std::move(r.error()));
    out = Own<Tag>(*cx.store, *r, host_rep(cx, *r));
    return {};
  }
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, Own<Tag>& out) {
    return from(cx, t, uint32_t(*in++), out);
  }
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t ptr, Own<Tag>& out) {
    uint32_t h = 0;  // (GCC 12 -Wmaybe-uninitialized cannot see that read() fills it on success)
    AIRWASM_ABI_TRY(read(cx, ptr, &h, 4));
    return from(cx, t, h, out);
  }
};
template <typename Tag>
struct Abi<Borrow<Tag>, void> {
  static constexpr uint64_t kSize = 4, kAlign = 4;
  static constexpr size_t kFlat = 1;
  static constexpr bool kRes = true;
  static bool check(Checker& c, const TypeView& t) {
    return t.is(ValKind::kBorrow) || c.fail(t, "Borrow<...>");
  }
  static TrapResult<void> lower(Cx& cx, uint32_t t, const Borrow<Tag>& v, uint64_t*& out) {
    auto h = lower_handle(cx, t, v.handle());
    if (!h) return std::unexpected(std::move(h.error()));
    *out++ = *h;
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t t, const Borrow<Tag>& v, uint64_t ptr) {
    auto h = lower_handle(cx, t, v.handle());
    if (!h) return std::unexpected(std::move(h.error()));
    return write(cx, ptr, &*h, 4);
  }
  static TrapResult<void> from(Cx& cx, uint32_t t, uint32_t handle, Borrow<Tag>& out) {
    auto r = lift_handle(cx, t, handle);
    if (!r) return std::unexpected(std::move(r.error()));
    out = Borrow<Tag>(*r, host_rep(cx, *r));
    return {};
  }
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, Borrow<Tag>& out) {
    return from(cx, t, uint32_t(*in++), out);
  }
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t ptr, Borrow<Tag>& out) {
    uint32_t h = 0;  // (GCC 12 -Wmaybe-uninitialized cannot see that read() fills it on success)
    AIRWASM_ABI_TRY(read(cx, ptr, &h, 4));
    return from(cx, t, h, out);
  }
};

// Child type ids are only needed to find resource types; other types skip the lookup.
template <typename T>
inline uint32_t child_of(const Cx& cx, uint32_t t, size_t i) {
  return Abi<T>::kRes ? child_type(cx, t, i) : 0;
}
template <typename T>
inline uint32_t case_of(const Cx& cx, uint32_t t, size_t i) {
  return Abi<T>::kRes ? case_type(cx, t, i) : 0;
}

// ---- lists
template <typename T>
struct Abi<std::vector<T>> {
  static constexpr uint64_t kSize = 8, kAlign = 4;
  static constexpr size_t kFlat = 2;
  static constexpr bool kRes = Abi<T>::kRes;
  // Integers are stored as they are in C++ (little-endian host): whole lists are copied at once.
  static constexpr bool kCopy =
      std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char32_t>;
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kList)) return c.fail(t, "std::vector");
    return Abi<T>::check(c, t.child(0)) || c.at("list element");
  }
  static TrapResult<uint32_t> store_items(Cx& cx, uint32_t t, const std::vector<T>& v) {
    auto p = alloc_list(cx, v.size(), Abi<T>::kSize, Abi<T>::kAlign);
    if (!p || v.empty()) return p;
    if constexpr (kCopy) {
      AIRWASM_ABI_TRY(check_pointer(cx, *p, 1, v.size() * sizeof(T)));
      std::memcpy(cx.base + *p, v.data(), v.size() * sizeof(T));
    } else {
      const uint32_t et = child_of<T>(cx, t, 0);
      for (size_t i = 0; i < v.size(); ++i)
        AIRWASM_ABI_TRY(Abi<T>::store(cx, et, v[i], *p + i * Abi<T>::kSize));
    }
    return p;
  }
  static TrapResult<void> load_items(Cx& cx, uint32_t t, uint32_t ptr, uint32_t n, std::vector<T>& out) {
    AIRWASM_ABI_TRY(check_list(cx, ptr, n, Abi<T>::kSize, Abi<T>::kAlign));
    AIRWASM_ABI_TRY(charge(cx, uint64_t(n) * sizeof(T)));
    out.clear();
    if constexpr (kCopy) {
      out.resize(n);
      if (n) std::memcpy(out.data(), cx.base + ptr, size_t(n) * sizeof(T));
    } else {
      out.reserve(n);
      const uint32_t et = child_of<T>(cx, t, 0);
      for (uint32_t i = 0; i < n; ++i) {
        out.emplace_back();
        AIRWASM_ABI_TRY(Abi<T>::load(cx, et, ptr + uint64_t(i) * Abi<T>::kSize, out.back()));
      }
    }
    return {};
  }
  static TrapResult<void> lower(Cx& cx, uint32_t t, const std::vector<T>& v, uint64_t*& out) {
    auto p = store_items(cx, t, v);
    if (!p) return std::unexpected(std::move(p.error()));
    *out++ = *p;
    *out++ = v.size();
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t t, const std::vector<T>& v, uint64_t ptr) {
    auto p = store_items(cx, t, v);
    if (!p) return std::unexpected(std::move(p.error()));
    const uint32_t s[2] = {*p, uint32_t(v.size())};
    return write(cx, ptr, s, 8);
  }
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, std::vector<T>& out) {
    const uint32_t ptr = uint32_t(in[0]), n = uint32_t(in[1]);
    in += 2;
    return load_items(cx, t, ptr, n, out);
  }
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t ptr, std::vector<T>& out) {
    uint32_t s[2];
    AIRWASM_ABI_TRY(read(cx, ptr, s, 8));
    return load_items(cx, t, s[0], s[1], out);
  }
};

// ---- records and tuples: a list of member types laid out in order
template <size_t N>
struct Layout {
  std::array<uint64_t, N + 1> offset{};
  uint64_t size = 0, align = 1;
};
template <typename... Ts>
constexpr Layout<sizeof...(Ts)> layout_of() {
  Layout<sizeof...(Ts)> l;
  uint64_t s = 0, a = 1;
  size_t i = 0;
  ((s = align_to(s, Abi<Ts>::kAlign), l.offset[i++] = s, s += Abi<Ts>::kSize,
    a = a > Abi<Ts>::kAlign ? a : Abi<Ts>::kAlign),
   ...);
  l.size = align_to(s, a);
  l.align = a;
  return l;
}

// Fields<Ts...>: the shared code of tuples and records, given a way to reach member I of a value.
template <typename Get, typename... Ts>
struct Members {
  static constexpr auto kLayout = layout_of<Ts...>();
  static constexpr size_t kFlat = (size_t(0) + ... + Abi<Ts>::kFlat);
  static constexpr bool kRes = (false || ... || Abi<Ts>::kRes);
  using Seq = std::index_sequence_for<Ts...>;

  template <typename V, size_t... I>
  static TrapResult<void> lower(Cx& cx, uint32_t t, const V& v, uint64_t*& out, std::index_sequence<I...>) {
    TrapResult<void> r;
    (void)((r = Abi<Ts>::lower(cx, child_of<Ts>(cx, t, I), Get::template get<I>(v), out)) && ...);
    return r;
  }
  template <typename V, size_t... I>
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, V& v, std::index_sequence<I...>) {
    TrapResult<void> r;
    (void)((r = Abi<Ts>::lift(cx, child_of<Ts>(cx, t, I), in, Get::template get<I>(v))) && ...);
    return r;
  }
  template <typename V, size_t... I>
  static TrapResult<void> store(Cx& cx, uint32_t t, const V& v, uint64_t ptr, std::index_sequence<I...>) {
    TrapResult<void> r;
    (void)((r = Abi<Ts>::store(cx, child_of<Ts>(cx, t, I), Get::template get<I>(v),
                               ptr + kLayout.offset[I])) &&
           ...);
    return r;
  }
  template <typename V, size_t... I>
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t ptr, V& v, std::index_sequence<I...>) {
    TrapResult<void> r;
    (void)((r = Abi<Ts>::load(cx, child_of<Ts>(cx, t, I), ptr + kLayout.offset[I],
                              Get::template get<I>(v))) &&
           ...);
    return r;
  }
};

struct TupleGet {
  template <size_t I, typename V>
  static auto& get(V& v) {
    return std::get<I>(v);
  }
};

template <typename... Ts>
struct Abi<std::tuple<Ts...>> {
  using M = Members<TupleGet, Ts...>;
  static constexpr uint64_t kSize = M::kLayout.size, kAlign = M::kLayout.align;
  static constexpr size_t kFlat = M::kFlat;
  static constexpr bool kRes = M::kRes;
  using V = std::tuple<Ts...>;
  template <size_t... I>
  static bool check_all(Checker& c, const TypeView& t, std::index_sequence<I...>) {
    return ((Abi<Ts>::check(c, t.child(I)) || c.at("tuple element " + std::to_string(I))) && ...);
  }
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kTuple) || t.count() != sizeof...(Ts))
      return c.fail(t, "std::tuple of " + std::to_string(sizeof...(Ts)));
    return check_all(c, t, typename M::Seq{});
  }
  static TrapResult<void> lower(Cx& cx, uint32_t t, const V& v, uint64_t*& out) {
    return M::lower(cx, t, v, out, typename M::Seq{});
  }
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, V& v) {
    return M::lift(cx, t, in, v, typename M::Seq{});
  }
  static TrapResult<void> store(Cx& cx, uint32_t t, const V& v, uint64_t p) {
    return M::store(cx, t, v, p, typename M::Seq{});
  }
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t p, V& v) {
    return M::load(cx, t, p, v, typename M::Seq{});
  }
};

// ---- user records and flags (WitType<T>::fields / ::flags)
template <typename T>
concept WitRecord = requires { WitType<T>::fields; };
template <typename T>
concept WitFlags = requires { WitType<T>::flags; };
template <typename T>
concept WitEnum = std::is_enum_v<T> && requires { WitType<T>::cases; };
template <typename... Ps>
std::variant<Ps...> variant_base(
    const std::variant<Ps...>&);  // finds the std::variant a user type derives from
template <typename T>
concept WitVariant = !std::is_enum_v<T> && requires(const T& v) {
  WitType<T>::cases;
  variant_base(v);
};

template <typename F>
struct FieldType;
template <typename S, typename M>
struct FieldType<WitField<S, M>> {
  using type = M;
};

template <typename T>
struct RecordGet {
  template <size_t I, typename V>
  static auto& get(V& v) {
    return v.*(std::get<I>(WitType<T>::fields).member);
  }
};

template <typename T,
          typename Seq =
              std::make_index_sequence<std::tuple_size_v<std::decay_t<decltype(WitType<T>::fields)>>>>
struct RecordAbi;
template <typename T, size_t... I>
struct RecordAbi<T, std::index_sequence<I...>> {
  using Fields = std::decay_t<decltype(WitType<T>::fields)>;
  using M = Members<RecordGet<T>, typename FieldType<std::tuple_element_t<I, Fields>>::type...>;
  static constexpr uint64_t kSize = M::kLayout.size, kAlign = M::kLayout.align;
  static constexpr size_t kFlat = M::kFlat;
  static constexpr bool kRes = M::kRes;
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kRecord) || t.count() != sizeof...(I))
      return c.fail(t, "a record of " + std::to_string(sizeof...(I)) + " fields");
    auto one = [&](auto i_c) {
      constexpr size_t i = decltype(i_c)::value;
      using F = typename FieldType<std::tuple_element_t<i, Fields>>::type;
      const char* name = std::get<i>(WitType<T>::fields).name;
      if (t.label(i) != name)
        return c.fail_text("record field " + std::to_string(i) + " is `" + std::string(t.label(i)) +
                           "` in the component, `" + name + "` in C++");
      return Abi<F>::check(c, t.child(i)) || c.at("record field `" + std::string(name) + "`");
    };
    return (one(std::integral_constant<size_t, I>{}) && ...);
  }
  static TrapResult<void> lower(Cx& cx, uint32_t t, const T& v, uint64_t*& out) {
    return M::lower(cx, t, v, out, typename M::Seq{});
  }
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, T& v) {
    return M::lift(cx, t, in, v, typename M::Seq{});
  }
  static TrapResult<void> store(Cx& cx, uint32_t t, const T& v, uint64_t p) {
    return M::store(cx, t, v, p, typename M::Seq{});
  }
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t p, T& v) {
    return M::load(cx, t, p, v, typename M::Seq{});
  }
};
template <WitRecord T>
struct Abi<T> : RecordAbi<T> {};

template <typename T>
struct FlagsAbi {
  static constexpr size_t kN = std::tuple_size_v<std::decay_t<decltype(WitType<T>::flags)>>;
  static_assert(kN > 0, "flags need at least one flag");
  static constexpr size_t kWords = (kN + 31) / 32;
  static constexpr uint64_t kSize = kN <= 8    ? 1
                                    : kN <= 16 ? 2
                                               : 4 * kWords,
                            kAlign = kN <= 8    ? 1
                                     : kN <= 16 ? 2
                                                : 4;
  static constexpr size_t kFlat = kWords;
  static constexpr bool kRes = false;
  static constexpr unsigned kWidth = kN <= 32 ? unsigned(kSize) : 4;
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kFlags) || t.count() != kN) return c.fail(t, "flags of " + std::to_string(kN));
    return std::apply(
        [&](const auto&... f) {
          size_t i = 0;
          return ((t.label(i++) == f.name ||
                   c.fail_text("flag " + std::to_string(i - 1) + " is `" + std::string(t.label(i - 1)) +
                               "` in the component, `" + f.name + "` in C++")) &&
                  ...);
        },
        WitType<T>::flags);
  }
  static void pack(const T& v, uint32_t (&w)[kWords]) {
    for (auto& x : w) x = 0;
    std::apply(
        [&](const auto&... f) {
          size_t i = 0;
          ((w[i / 32] |= uint32_t(bool(v.*(f.member))) << (i % 32), ++i), ...);
        },
        WitType<T>::flags);
  }
  static void unpack(const uint32_t (&w)[kWords], T& v) {
    std::apply(
        [&](const auto&... f) {
          size_t i = 0;
          ((v.*(f.member) = (w[i / 32] >> (i % 32)) & 1, ++i), ...);
        },
        WitType<T>::flags);
  }
  static TrapResult<void> lower(Cx&, uint32_t, const T& v, uint64_t*& out) {
    uint32_t w[kWords];
    pack(v, w);
    for (uint32_t x : w) *out++ = x;
    return {};
  }
  static TrapResult<void> lift(Cx&, uint32_t, const uint64_t*& in, T& v) {
    uint32_t w[kWords];
    for (auto& x : w) x = uint32_t(*in++);
    unpack(w, v);
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t, const T& v, uint64_t ptr) {
    uint32_t w[kWords];
    pack(v, w);
    for (size_t i = 0; i < kWords; ++i) AIRWASM_ABI_TRY(write(cx, ptr + 4 * i, &w[i], kWidth));
    return {};
  }
  static TrapResult<void> load(Cx& cx, uint32_t, uint64_t ptr, T& v) {
    uint32_t w[kWords];
    for (size_t i = 0; i < kWords; ++i) {
      w[i] = 0;
      AIRWASM_ABI_TRY(read(cx, ptr + 4 * i, &w[i], kWidth));
    }
    unpack(w, v);
    return {};
  }
};
template <WitFlags T>
struct Abi<T> : FlagsAbi<T> {};

// Flags as a bit set (what `airwasm bindgen` generates): `T::bits` is an unsigned integer whose bit i is
// flag i, `WitType<T>::flag_names` names the flags in order. Bits past the last flag are ignored when
// lifting and cleared when lowering, as the canonical ABI does.
template <typename T>
concept WitBitFlags = requires(const T& v) {
  WitType<T>::flag_names;
  v.bits;
};
template <typename T>
struct BitFlagsAbi {
  using Bits = std::decay_t<decltype(std::declval<const T&>().bits)>;
  static constexpr size_t kN = std::size(WitType<T>::flag_names);
  static_assert(kN > 0 && kN <= 64 && kN <= 8 * sizeof(Bits) && std::is_unsigned_v<Bits>,
                "bit-set flags: 1..64 flags in an unsigned integer wide enough");
  static constexpr uint64_t kMask = kN == 64 ? ~uint64_t{0} : (uint64_t{1} << kN) - 1;
  static constexpr size_t kWords = (kN + 31) / 32;
  static constexpr uint64_t kSize = kN <= 8    ? 1
                                    : kN <= 16 ? 2
                                               : 4 * kWords,
                            kAlign = kN <= 8    ? 1
                                     : kN <= 16 ? 2
                                                : 4;
  static constexpr size_t kFlat = kWords;
  static constexpr bool kRes = false;
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kFlags) || t.count() != kN) return c.fail(t, "flags of " + std::to_string(kN));
    for (size_t i = 0; i < kN; ++i)
      if (t.label(i) != WitType<T>::flag_names[i])
        return c.fail_text("flag " + std::to_string(i) + " is `" + std::string(t.label(i)) +
                           "` in the component, `" + WitType<T>::flag_names[i] + "` in C++");
    return true;
  }
  static uint64_t get(const T& v) { return uint64_t(v.bits) & kMask; }
  static void set(T& v, uint64_t b) { v.bits = Bits(b & kMask); }
  static TrapResult<void> lower(Cx&, uint32_t, const T& v, uint64_t*& out) {
    const uint64_t b = get(v);
    for (size_t i = 0; i < kWords; ++i) *out++ = uint32_t(b >> (32 * i));
    return {};
  }
  static TrapResult<void> lift(Cx&, uint32_t, const uint64_t*& in, T& v) {
    uint64_t b = 0;
    for (size_t i = 0; i < kWords; ++i) b |= uint64_t(uint32_t(*in++)) << (32 * i);
    set(v, b);
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t, const T& v, uint64_t ptr) {
    const uint64_t b = get(v);  // little-endian: the low kSize bytes, in 32-bit words for > 16 flags
    return write(cx, ptr, &b, unsigned(kSize));
  }
  static TrapResult<void> load(Cx& cx, uint32_t, uint64_t ptr, T& v) {
    uint64_t b = 0;
    AIRWASM_ABI_TRY(read(cx, ptr, &b, unsigned(kSize)));
    set(v, b);
    return {};
  }
};
template <WitBitFlags T>
struct Abi<T> : BitFlagsAbi<T> {};

// ---- variant-like types: option, result, enum, user variants. Cases<Ps...>: one payload type per case,
// std::monostate for none. Access<T> gives index(v), get<I>(v) and set<I>(v) -> payload reference.
template <typename Access, typename T, typename... Ps>
struct CaseAbi {
  static constexpr size_t kCases = sizeof...(Ps);
  template <typename P>
  static constexpr bool kNone = std::is_same_v<P, std::monostate>;
  template <typename P>
  static constexpr uint64_t size_of() {
    if constexpr (kNone<P>)
      return 0;
    else
      return Abi<P>::kSize;
  }
  template <typename P>
  static constexpr uint64_t align_of() {
    if constexpr (kNone<P>)
      return 1;
    else
      return Abi<P>::kAlign;
  }
  template <typename P>
  static constexpr size_t flat_of() {
    if constexpr (kNone<P>)
      return 0;
    else
      return Abi<P>::kFlat;
  }
  template <typename P>
  static constexpr bool res_of() {
    if constexpr (kNone<P>)
      return false;
    else
      return Abi<P>::kRes;
  }
  static constexpr uint32_t kDisc = disc_size(kCases);
  static constexpr uint64_t kCaseAlign = std::max({uint64_t(1), align_of<Ps>()...});
  static constexpr uint64_t kAlign = std::max(uint64_t(kDisc), kCaseAlign);
  static constexpr uint64_t kPayload = align_to(kDisc, kCaseAlign);
  static constexpr uint64_t kSize = align_to(kPayload + std::max({uint64_t(0), size_of<Ps>()...}), kAlign);
  static constexpr size_t kFlat = 1 + std::max({size_t(0), flat_of<Ps>()...});
  static constexpr bool kRes = (false || ... || res_of<Ps>());
  using Seq = std::index_sequence_for<Ps...>;

  template <size_t I>
  using Pay = std::tuple_element_t<I, std::tuple<Ps...>>;

  // Runs f(integral_constant<I>) for the runtime case index i < kCases.
  template <typename F, size_t... I>
  static TrapResult<void> dispatch(size_t i, F&& f, std::index_sequence<I...>) {
    TrapResult<void> r;
    ((i == I ? (r = f(std::integral_constant<size_t, I>{}), true) : false) || ...);
    return r;
  }

  static bool check_payloads(Checker& c, const TypeView& t) {
    auto one = [&](auto i_c) {
      constexpr size_t i = decltype(i_c)::value;
      const TypeView p = t.case_payload(i);
      if constexpr (kNone<Pay<i>>) {
        return !p.valid() || c.fail(p, "no payload (std::monostate / void)") ||
               c.at("case " + std::to_string(i));
      } else {
        if (!p.valid()) return c.fail_text("case " + std::to_string(i) + " has no payload in the component");
        return Abi<Pay<i>>::check(c, p) || c.at("case " + std::to_string(i));
      }
    };
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return (one(std::integral_constant<size_t, I>{}) && ...);
    }(Seq{});
  }

  static TrapResult<void> lower(Cx& cx, uint32_t t, const T& v, uint64_t*& out) {
    const size_t index = Access::index(v);
    uint64_t* start = out;
    *out++ = index;
    auto r = dispatch(
        index,
        [&](auto i_c) -> TrapResult<void> {
          constexpr size_t i = decltype(i_c)::value;
          if constexpr (kNone<Pay<i>>)
            return {};
          else
            return Abi<Pay<i>>::lower(cx, case_of<Pay<i>>(cx, t, i), Access::template get<i>(v), out);
        },
        Seq{});
    while (out < start + kFlat) *out++ = 0;
    return r;
  }
  static TrapResult<void> lift(Cx& cx, uint32_t t, const uint64_t*& in, T& v) {
    const uint64_t* start = in;
    const uint32_t index = uint32_t(*in++);
    if (index >= kCases) return std::unexpected(trap_invalid_discriminant());
    auto r = dispatch(
        index,
        [&](auto i_c) -> TrapResult<void> {
          constexpr size_t i = decltype(i_c)::value;
          if constexpr (kNone<Pay<i>>) {
            Access::template set<i>(v);
            return {};
          } else {
            return Abi<Pay<i>>::lift(cx, case_of<Pay<i>>(cx, t, i), in, Access::template set<i>(v));
          }
        },
        Seq{});
    in = start + kFlat;
    return r;
  }
  static TrapResult<void> store(Cx& cx, uint32_t t, const T& v, uint64_t ptr) {
    const uint32_t index = uint32_t(Access::index(v));
    AIRWASM_ABI_TRY(write(cx, ptr, &index, kDisc));
    return dispatch(
        index,
        [&](auto i_c) -> TrapResult<void> {
          constexpr size_t i = decltype(i_c)::value;
          if constexpr (kNone<Pay<i>>)
            return {};
          else
            return Abi<Pay<i>>::store(cx, case_of<Pay<i>>(cx, t, i), Access::template get<i>(v),
                                      ptr + kPayload);
        },
        Seq{});
  }
  static TrapResult<void> load(Cx& cx, uint32_t t, uint64_t ptr, T& v) {
    uint32_t index = 0;
    AIRWASM_ABI_TRY(read(cx, ptr, &index, kDisc));
    if (index >= kCases) return std::unexpected(trap_invalid_discriminant());
    return dispatch(
        index,
        [&](auto i_c) -> TrapResult<void> {
          constexpr size_t i = decltype(i_c)::value;
          if constexpr (kNone<Pay<i>>) {
            Access::template set<i>(v);
            return {};
          } else {
            return Abi<Pay<i>>::load(cx, case_of<Pay<i>>(cx, t, i), ptr + kPayload,
                                     Access::template set<i>(v));
          }
        },
        Seq{});
  }
};

template <typename T>
struct OptionAccess {
  static size_t index(const std::optional<T>& v) { return v ? 1 : 0; }
  template <size_t I>
  static const T& get(const std::optional<T>& v) {
    return *v;
  }
  template <size_t I>
  static auto& set(std::optional<T>& v) {
    if constexpr (I == 0) {
      v.reset();
      return v;
    } else
      return v.emplace();
  }
};
template <typename T>
struct Abi<std::optional<T>> : CaseAbi<OptionAccess<T>, std::optional<T>, std::monostate, T> {
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kOption)) return c.fail(t, "std::optional");
    return Abi<T>::check(c, t.case_payload(1)) || c.at("option payload");
  }
};

// std::variant-based access (results and user variants).
template <typename V>
struct VariantAccess {
  static size_t index(const V& v) { return v.index(); }
  template <size_t I>
  static const auto& get(const V& v) {
    return std::get<I>(v);
  }
  template <size_t I>
  static auto& set(V& v) {
    return v.template emplace<I>();
  }
};
template <typename R>
struct ResultAccess {
  static size_t index(const R& r) { return r.v_.index(); }
  template <size_t I>
  static const auto& get(const R& r) {
    return std::get<I>(r.v_);
  }
  template <size_t I>
  static auto& set(R& r) {
    return r.v_.template emplace<I>();
  }
};
template <typename T, typename E>
struct Abi<WitResult<T, E>> : CaseAbi<ResultAccess<WitResult<T, E>>, WitResult<T, E>,
                                      typename WitResult<T, E>::OkType, typename WitResult<T, E>::ErrType> {
  using Base = CaseAbi<ResultAccess<WitResult<T, E>>, WitResult<T, E>, typename WitResult<T, E>::OkType,
                       typename WitResult<T, E>::ErrType>;
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kResult)) return c.fail(t, "WitResult");
    return Base::check_payloads(c, t) || c.at("result");
  }
};

template <typename T, typename Alts = decltype(variant_base(std::declval<const T&>()))>
struct UserVariantAbi;
template <typename T, typename... Ps>
struct UserVariantAbi<T, std::variant<Ps...>> : CaseAbi<VariantAccess<T>, T, Ps...> {
  using Base = CaseAbi<VariantAccess<T>, T, Ps...>;
  static bool check(Checker& c, const TypeView& t) {
    constexpr auto& names = WitType<T>::cases;
    static_assert(std::size(names) == sizeof...(Ps), "WitType<T>::cases needs one name per alternative");
    if (!t.is(ValKind::kVariant) || t.count() != sizeof...(Ps))
      return c.fail(t, "a variant of " + std::to_string(sizeof...(Ps)) + " cases");
    for (size_t i = 0; i < sizeof...(Ps); ++i)
      if (t.label(i) != names[i])
        return c.fail_text("variant case " + std::to_string(i) + " is `" + std::string(t.label(i)) +
                           "` in the component, `" + names[i] + "` in C++");
    return Base::check_payloads(c, t);
  }
};
template <WitVariant T>
struct Abi<T> : UserVariantAbi<T> {};

template <typename T>
struct EnumAbi {
  static constexpr size_t kN = std::size(WitType<T>::cases);
  static constexpr uint32_t kDisc = disc_size(kN);
  static constexpr uint64_t kSize = kDisc, kAlign = kDisc;
  static constexpr size_t kFlat = 1;
  static constexpr bool kRes = false;
  static bool check(Checker& c, const TypeView& t) {
    if (!t.is(ValKind::kEnum) || t.count() != kN)
      return c.fail(t, "an enum of " + std::to_string(kN) + " cases");
    for (size_t i = 0; i < kN; ++i)
      if (t.label(i) != WitType<T>::cases[i])
        return c.fail_text("enum case " + std::to_string(i) + " is `" + std::string(t.label(i)) +
                           "` in the component, `" + WitType<T>::cases[i] + "` in C++");
    return true;
  }
  static TrapResult<void> lower(Cx&, uint32_t, const T& v, uint64_t*& out) {
    *out++ = uint32_t(v);
    return {};
  }
  static TrapResult<void> lift(Cx&, uint32_t, const uint64_t*& in, T& v) {
    const uint32_t i = uint32_t(*in++);
    if (i >= kN) return std::unexpected(trap_invalid_discriminant());
    v = T(i);
    return {};
  }
  static TrapResult<void> store(Cx& cx, uint32_t, const T& v, uint64_t ptr) {
    const uint32_t i = uint32_t(v);
    return write(cx, ptr, &i, kDisc);
  }
  static TrapResult<void> load(Cx& cx, uint32_t, uint64_t ptr, T& v) {
    uint32_t i = 0;
    AIRWASM_ABI_TRY(read(cx, ptr, &i, kDisc));
    if (i >= kN) return std::unexpected(trap_invalid_discriminant());
    v = T(i);
    return {};
  }
};
template <WitEnum T>
struct Abi<T> : EnumAbi<T> {};

// ---------------------------------------------------------------- parameter lists and results

constexpr size_t kMaxFlatParams = 16;

template <typename... A>
struct Params {
  static constexpr size_t kFlat = (size_t(0) + ... + Abi<Owned<A>>::kFlat);
  static constexpr auto kLayout = layout_of<Owned<A>...>();
  using Seq = std::index_sequence_for<A...>;

  template <size_t... I>
  static bool check(Checker& c, const TypeView& fn, std::index_sequence<I...>) {
    if (fn.count() != sizeof...(A))
      return c.fail_text("the component function has " + std::to_string(fn.count()) +
                         " parameters, C++ has " + std::to_string(sizeof...(A)));
    return ((Abi<Owned<A>>::check(c, fn.child(I)) ||
             c.at("parameter " + std::to_string(I) + " `" + std::string(fn.label(I)) + "`")) &&
            ...);
  }

  // Lowers C++ values (references to A...) into slots, or into a spilled tuple.
  template <typename Tuple, size_t... I>
  static TrapResult<void> lower(Cx& cx, const Tuple& args, uint64_t* slots, size_t max_flat,
                                std::index_sequence<I...>) {
    TrapResult<void> r;
    if (kFlat <= max_flat) {
      [[maybe_unused]] uint64_t* out = slots;
      (void)((r = Abi<Owned<A>>::lower(cx, child_of<Owned<A>>(cx, cx.func_type, I), std::get<I>(args),
                                       out)) &&
             ...);
      return r;
    }
    auto p = alloc_tuple(cx, kLayout.align, kLayout.size);
    if (!p) return std::unexpected(std::move(p.error()));
    AIRWASM_ABI_TRY(check_pointer(cx, *p, kLayout.align, kLayout.size));
    slots[0] = *p;
    (void)((r = Abi<Owned<A>>::store(cx, child_of<Owned<A>>(cx, cx.func_type, I), std::get<I>(args),
                                     *p + kLayout.offset[I])) &&
           ...);
    return r;
  }
  // Lifts into a tuple of Owned<A>... (host functions).
  template <typename Tuple, size_t... I>
  static TrapResult<void> lift(Cx& cx, Tuple& args, const uint64_t* slots, size_t max_flat,
                               std::index_sequence<I...>) {
    TrapResult<void> r;
    if (kFlat <= max_flat) {
      [[maybe_unused]] const uint64_t* in = slots;
      (void)((r = Abi<Owned<A>>::lift(cx, child_of<Owned<A>>(cx, cx.func_type, I), in, std::get<I>(args))) &&
             ...);
      return r;
    }
    const uint64_t p = uint32_t(slots[0]);
    AIRWASM_ABI_TRY(check_pointer(cx, p, kLayout.align, kLayout.size));
    (void)((r = Abi<Owned<A>>::load(cx, child_of<Owned<A>>(cx, cx.func_type, I), p + kLayout.offset[I],
                                    std::get<I>(args))) &&
           ...);
    return r;
  }
};

template <typename R>
struct ResultOf {
  static bool check(Checker& c, const TypeView& fn) {
    const TypeView r = fn.child(fn.count());
    if (!r.valid()) return c.fail_text("the component function has no result, C++ returns a value");
    return Abi<R>::check(c, r) || c.at("result");
  }
  static uint32_t type(const Cx& cx) { return Abi<R>::kRes ? child_type(cx, cx.func_type, size_t(-1)) : 0; }
  // From the callee's result slot or the pointer it returned.
  static TrapResult<void> lift(Cx& cx, const uint64_t* slots, R& out) {
    if constexpr (Abi<R>::kFlat <= 1) {
      const uint64_t* in = slots;
      return Abi<R>::lift(cx, type(cx), in, out);
    } else {
      const uint64_t p = uint32_t(slots[0]);
      AIRWASM_ABI_TRY(check_pointer(cx, p, Abi<R>::kAlign, Abi<R>::kSize));
      return Abi<R>::load(cx, type(cx), p, out);
    }
  }
  // Into the guest's result slot, or at its return pointer.
  static TrapResult<void> lower(Cx& cx, const R& v, uint64_t* slots, const uint32_t* retptr) {
    if (retptr) {
      AIRWASM_ABI_TRY(check_pointer(cx, *retptr, Abi<R>::kAlign, Abi<R>::kSize));
      return Abi<R>::store(cx, type(cx), v, *retptr);
    }
    uint64_t* out = slots;
    return Abi<R>::lower(cx, type(cx), v, out);
  }
};
template <>
struct ResultOf<void> {
  static bool check(Checker& c, const TypeView& fn) {
    return !fn.child(fn.count()).valid() ||
           c.fail_text("the component function returns a value, C++ returns void");
  }
};

// The result of a typed call, kept in place until it is handed out (no optional<> of a large type needed).
template <typename R>
struct Slot {
  R value{};
};
template <>
struct Slot<void> {};

}  // namespace abi

#undef AIRWASM_ABI_TRY

}  // namespace airwasm::component
