// interp: the v128 value as the SIMD handlers see it (a GCC/Clang generic vector, passed in a vector
// register), the per-lane-type vector views, and lane-array access for the scalar reference.
// v128 has the same type as x86's __m128i minus may_alias, so the fast paths convert to intrinsics freely.
// Frame slots are only 8-byte aligned: values move between slots and registers with memcpy (unaligned).
#pragma once

#include <cstdint>
#include <cstring>

namespace airwasm::interp::simd {

typedef long long v128 __attribute__((vector_size(16)));
typedef int8_t i8x16 __attribute__((vector_size(16)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef int64_t i64x2 __attribute__((vector_size(16)));
typedef uint64_t u64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));

inline v128 load(const void* p) {
  v128 v;
  __builtin_memcpy(&v, p, 16);
  return v;
}
inline void store(void* p, v128 v) {
  __builtin_memcpy(p, &v, 16);
}

// Lanes of type T, lane 0 first (the host is little-endian, like WebAssembly).
template <typename T>
struct Lanes {
  static constexpr int kCount = int(16 / sizeof(T));
  T l[kCount];
  T& operator[](int i) { return l[i]; }
  const T& operator[](int i) const { return l[i]; }
};
template <typename T>
inline Lanes<T> lanes(v128 v) {
  Lanes<T> r;
  std::memcpy(r.l, &v, 16);
  return r;
}
template <typename T>
inline v128 from_lanes(const Lanes<T>& x) {
  v128 v;
  std::memcpy(&v, x.l, 16);
  return v;
}

}  // namespace airwasm::interp::simd
