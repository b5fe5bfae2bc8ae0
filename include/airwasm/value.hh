// airwasm public API: runtime values (Val) passed to and from WebAssembly functions, globals and tables.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "airwasm/types.hh"

namespace airwasm {

struct V128 {
  alignas(16) uint8_t bytes[16] = {};
  bool operator==(const V128& o) const { return std::memcmp(bytes, o.bytes, 16) == 0; }
  template <typename Lane>
  Lane lane(unsigned i) const {
    Lane v;
    std::memcpy(&v, bytes + i * sizeof(Lane), sizeof(Lane));
    return v;
  }
  template <typename Lane>
  void set_lane(unsigned i, Lane v) {
    std::memcpy(bytes + i * sizeof(Lane), &v, sizeof(Lane));
  }
};

// A reference value. Function references are opaque to the host except through Func handles
// (Func::from_ref / Func::to_ref); an externref carries a host-chosen non-zero token, 0 meaning null.
struct Ref {
  uint64_t bits = 0;  // 0 = null
  bool is_null() const { return bits == 0; }
  bool operator==(const Ref&) const = default;
};

class Val {
 public:
  Val() : type_(ValType::kI32) {}
  static Val i32(int32_t v) { return Val(ValType::kI32, v); }
  static Val i64(int64_t v) { return Val(ValType::kI64, v); }
  static Val f32(float v) { return Val(ValType::kF32, v); }
  static Val f64(double v) { return Val(ValType::kF64, v); }
  static Val f32_bits(uint32_t bits) { return Val(ValType::kF32, bits); }
  static Val f64_bits(uint64_t bits) { return Val(ValType::kF64, bits); }
  static Val v128(const V128& v) { return Val(ValType::kV128, v); }
  static Val funcref(Ref r) { return Val(ValType::kFuncRef, r.bits); }
  static Val externref(uint64_t host_token) { return Val(ValType::kExternRef, host_token); }
  // An exception reference seen by the host: non-null tells that there is one, but its bits are opaque
  // and never accepted back (an exnref passed into WebAssembly from the host is always null).
  static Val exnref(Ref r) { return Val(ValType::kExnRef, r.bits); }
  static Val null_ref(ValType t) { return Val(t); }
  // The zero value of a type (0, +0.0, null).
  static Val zero(ValType t) { return Val(t); }

  ValType type() const { return type_; }
  int32_t i32() const { return get<int32_t>(); }
  int64_t i64() const { return get<int64_t>(); }
  float f32() const { return get<float>(); }
  double f64() const { return get<double>(); }
  uint32_t f32_bits() const { return get<uint32_t>(); }
  uint64_t f64_bits() const { return get<uint64_t>(); }
  V128 v128() const { return get<V128>(); }
  Ref ref() const { return Ref{get<uint64_t>()}; }
  // The raw 16 bytes (a scalar occupies the low bytes, the rest are zero).
  const uint8_t* raw() const { return storage_; }

  std::string to_string() const;  // "i32:42", "f64:1.5", "funcref:null", ...

 private:
  explicit Val(ValType t) : type_(t) {}
  template <typename T>
  Val(ValType t, T v) : type_(t) {
    std::memcpy(storage_, &v, sizeof v);
  }
  template <typename T>
  T get() const {
    T v;
    std::memcpy(&v, storage_, sizeof v);
    return v;
  }
  ValType type_;
  alignas(16) uint8_t storage_[16] = {};
};

}  // namespace airwasm
