// interp: the scalar reference of every pure SIMD lane operation (the functions named in simd_ops.def),
// written lane by lane straight from the spec with the scalar helpers of numeric.hh. Portable C++; it is
// the fast path on hosts without a vector implementation and the oracle of simd_ops_test.cc.
// Integer arithmetic is done in unsigned or wider types so that wrapping is defined behaviour.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "interp/numeric.hh"
#include "interp/simd_types.hh"

namespace airwasm::interp::simd::ref {

namespace detail {

template <typename R, typename T, typename F>
inline v128 map(v128 a, F f) {
  static_assert(sizeof(R) == sizeof(T));
  const Lanes<T> x = lanes<T>(a);
  Lanes<R> r;
  for (int i = 0; i < Lanes<R>::kCount; ++i) r[i] = R(f(x[i]));
  return from_lanes(r);
}
template <typename R, typename T, typename F>
inline v128 zip(v128 a, v128 b, F f) {
  static_assert(sizeof(R) == sizeof(T));
  const Lanes<T> x = lanes<T>(a), y = lanes<T>(b);
  Lanes<R> r;
  for (int i = 0; i < Lanes<R>::kCount; ++i) r[i] = R(f(x[i], y[i]));
  return from_lanes(r);
}
// An all-ones / all-zeros lane of integer type T.
template <typename T>
inline T mask(bool c) {
  return c ? T(~std::make_unsigned_t<T>(0)) : T(0);
}
template <typename T>
inline T saturate(int64_t v) {
  if (v < int64_t(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (v > int64_t(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return T(v);
}
// Lanes [first, first + count of R) of `a` widened to R (extend_low/high, extmul).
template <typename R, typename T>
inline Lanes<R> widen(v128 a, int first) {
  const Lanes<T> x = lanes<T>(a);
  Lanes<R> r;
  for (int i = 0; i < Lanes<R>::kCount; ++i) r[i] = R(x[first + i]);
  return r;
}
template <typename R, typename T>
inline v128 extend(v128 a, bool high) {
  return from_lanes(widen<R, T>(a, high ? Lanes<R>::kCount : 0));
}
// Wrapping multiply of the widened lanes (R is at most 64 bits; the products of extmul always fit).
template <typename R, typename T>
inline v128 extmul(v128 a, v128 b, bool high) {
  const int first = high ? Lanes<R>::kCount : 0;
  const Lanes<R> x = widen<R, T>(a, first), y = widen<R, T>(b, first);
  Lanes<R> r;
  using P = std::conditional_t<std::is_signed_v<R>, int64_t, uint64_t>;  // the product fits P
  for (int i = 0; i < Lanes<R>::kCount; ++i) r[i] = R(P(x[i]) * P(y[i]));
  return from_lanes(r);
}
template <typename R, typename T>
inline v128 extadd_pairwise(v128 a) {
  const Lanes<T> x = lanes<T>(a);
  Lanes<R> r;
  for (int i = 0; i < Lanes<R>::kCount; ++i) r[i] = R(R(x[2 * i]) + R(x[2 * i + 1]));
  return from_lanes(r);
}
// narrow: lanes of `a` then lanes of `b`, each saturated from signed T to R.
template <typename R, typename T>
inline v128 narrow(v128 a, v128 b) {
  const Lanes<T> x = lanes<T>(a), y = lanes<T>(b);
  Lanes<R> r;
  constexpr int n = Lanes<T>::kCount;
  for (int i = 0; i < n; ++i) r[i] = saturate<R>(x[i]);
  for (int i = 0; i < n; ++i) r[n + i] = saturate<R>(y[i]);
  return from_lanes(r);
}
template <typename T>
inline uint32_t all_true(v128 a) {
  const Lanes<T> x = lanes<T>(a);
  for (int i = 0; i < Lanes<T>::kCount; ++i)
    if (x[i] == 0) return 0;
  return 1;
}
template <typename S>
inline uint32_t bitmask(v128 a) {
  const Lanes<S> x = lanes<S>(a);
  uint32_t r = 0;
  for (int i = 0; i < Lanes<S>::kCount; ++i) r |= uint32_t(x[i] < 0) << i;
  return r;
}
template <typename U>
inline v128 splat(U v) {
  Lanes<U> r;
  for (int i = 0; i < Lanes<U>::kCount; ++i) r[i] = v;
  return from_lanes(r);
}
// Unsigned wrapping arithmetic on lanes of U (promoted to at least 32 bits first: no signed overflow).
template <typename U>
using Wide = std::conditional_t<(sizeof(U) < 4), uint32_t, U>;
template <typename U>
inline U add(U a, U b) {
  return U(Wide<U>(a) + Wide<U>(b));
}
template <typename U>
inline U sub(U a, U b) {
  return U(Wide<U>(a) - Wide<U>(b));
}
template <typename U>
inline U mul(U a, U b) {
  return U(Wide<U>(a) * Wide<U>(b));
}
template <typename U>
inline U neg(U a) {
  return U(Wide<U>(0) - Wide<U>(a));
}
// Shifts: the count is taken modulo the lane width.
template <typename U>
inline v128 shl(v128 a, uint32_t n) {
  const unsigned s = n & (sizeof(U) * 8 - 1);
  return map<U, U>(a, [s](U x) { return U(Wide<U>(x) << s); });
}
template <typename S>
inline v128 shr_s(v128 a, uint32_t n) {
  const unsigned s = n & (sizeof(S) * 8 - 1);
  return map<S, S>(a, [s](S x) { return S(x >> s); });
}
template <typename U>
inline v128 shr_u(v128 a, uint32_t n) {
  const unsigned s = n & (sizeof(U) * 8 - 1);
  return map<U, U>(a, [s](U x) { return U(x >> s); });
}

}  // namespace detail

using namespace detail;

// ---- splats, swizzle, shuffle ----
inline v128 i8x16_splat(uint32_t x) {
  return splat<uint8_t>(uint8_t(x));
}
inline v128 i16x8_splat(uint32_t x) {
  return splat<uint16_t>(uint16_t(x));
}
inline v128 i32x4_splat(uint32_t x) {
  return splat<uint32_t>(x);
}
inline v128 i64x2_splat(uint64_t x) {
  return splat<uint64_t>(x);
}
inline v128 f32x4_splat(uint32_t bits) {
  return splat<uint32_t>(bits);
}
inline v128 f64x2_splat(uint64_t bits) {
  return splat<uint64_t>(bits);
}
inline v128 i8x16_swizzle(v128 a, v128 s) {
  const Lanes<uint8_t> x = lanes<uint8_t>(a), idx = lanes<uint8_t>(s);
  Lanes<uint8_t> r;
  for (int i = 0; i < 16; ++i) r[i] = idx[i] < 16 ? x[idx[i]] : 0;
  return from_lanes(r);
}
// `sel` holds 16 lane indices < 32 (validated); indices 16..31 pick from b.
inline v128 i8x16_shuffle(v128 a, v128 b, const uint8_t* sel) {
  const Lanes<uint8_t> x = lanes<uint8_t>(a), y = lanes<uint8_t>(b);
  Lanes<uint8_t> r;
  for (int i = 0; i < 16; ++i) {
    const unsigned k = sel[i] & 31u;
    r[i] = k < 16 ? x[k] : y[k - 16];
  }
  return from_lanes(r);
}

// ---- comparisons ----
#define AIRWASM_REF_CMP(name, R, T, expr)                           \
  inline v128 name(v128 a, v128 b) {                                \
    return zip<R, T>(a, b, [](T x, T y) { return mask<R>(expr); }); \
  }
// clang-format off
#define AIRWASM_REF_ICMPS(P, S, U)                                                                    \
  AIRWASM_REF_CMP(P##_eq, S, S, x == y)    AIRWASM_REF_CMP(P##_ne, S, S, x != y)                      \
  AIRWASM_REF_CMP(P##_lt_s, S, S, x < y)   AIRWASM_REF_CMP(P##_lt_u, S, U, x < y)                     \
  AIRWASM_REF_CMP(P##_gt_s, S, S, x > y)   AIRWASM_REF_CMP(P##_gt_u, S, U, x > y)                     \
  AIRWASM_REF_CMP(P##_le_s, S, S, x <= y)  AIRWASM_REF_CMP(P##_le_u, S, U, x <= y)                    \
  AIRWASM_REF_CMP(P##_ge_s, S, S, x >= y)  AIRWASM_REF_CMP(P##_ge_u, S, U, x >= y)
#define AIRWASM_REF_FCMPS(P, R, F)                                                                    \
  AIRWASM_REF_CMP(P##_eq, R, F, x == y)    AIRWASM_REF_CMP(P##_ne, R, F, x != y)                      \
  AIRWASM_REF_CMP(P##_lt, R, F, x < y)     AIRWASM_REF_CMP(P##_gt, R, F, x > y)                       \
  AIRWASM_REF_CMP(P##_le, R, F, x <= y)    AIRWASM_REF_CMP(P##_ge, R, F, x >= y)
// clang-format on
AIRWASM_REF_ICMPS(i8x16, int8_t, uint8_t)
AIRWASM_REF_ICMPS(i16x8, int16_t, uint16_t)
AIRWASM_REF_ICMPS(i32x4, int32_t, uint32_t)
AIRWASM_REF_CMP(i64x2_eq, int64_t, int64_t, x == y)
AIRWASM_REF_CMP(i64x2_ne, int64_t, int64_t, x != y)
AIRWASM_REF_CMP(i64x2_lt_s, int64_t, int64_t, x < y)
AIRWASM_REF_CMP(i64x2_gt_s, int64_t, int64_t, x > y)
AIRWASM_REF_CMP(i64x2_le_s, int64_t, int64_t, x <= y)
AIRWASM_REF_CMP(i64x2_ge_s, int64_t, int64_t, x >= y)
AIRWASM_REF_FCMPS(f32x4, int32_t, float)
AIRWASM_REF_FCMPS(f64x2, int64_t, double)
#undef AIRWASM_REF_FCMPS
#undef AIRWASM_REF_ICMPS
#undef AIRWASM_REF_CMP

// ---- bitwise ----
inline v128 v128_not(v128 a) {
  return map<uint64_t, uint64_t>(a, [](uint64_t x) { return ~x; });
}
inline v128 v128_and(v128 a, v128 b) {
  return zip<uint64_t, uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & y; });
}
inline v128 v128_andnot(v128 a, v128 b) {
  return zip<uint64_t, uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & ~y; });
}
inline v128 v128_or(v128 a, v128 b) {
  return zip<uint64_t, uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x | y; });
}
inline v128 v128_xor(v128 a, v128 b) {
  return zip<uint64_t, uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x ^ y; });
}
inline v128 v128_bitselect(v128 a, v128 b, v128 c) {
  const Lanes<uint64_t> x = lanes<uint64_t>(a), y = lanes<uint64_t>(b), m = lanes<uint64_t>(c);
  Lanes<uint64_t> r;
  for (int i = 0; i < 2; ++i) r[i] = (x[i] & m[i]) | (y[i] & ~m[i]);
  return from_lanes(r);
}
inline uint32_t v128_any_true(v128 a) {
  const Lanes<uint64_t> x = lanes<uint64_t>(a);
  return (x[0] | x[1]) != 0;
}

// ---- integer lane arithmetic, one family per lane width ----
#define AIRWASM_REF_INT_COMMON(P, S, U)                                \
  inline v128 P##_neg(v128 a) {                                        \
    return map<U, U>(a, [](U x) { return neg(x); });                   \
  }                                                                    \
  inline v128 P##_abs(v128 a) {                                        \
    return map<U, S>(a, [](S x) { return x < 0 ? neg(U(x)) : U(x); }); \
  }                                                                    \
  inline uint32_t P##_all_true(v128 a) {                               \
    return all_true<U>(a);                                             \
  }                                                                    \
  inline uint32_t P##_bitmask(v128 a) {                                \
    return bitmask<S>(a);                                              \
  }                                                                    \
  inline v128 P##_shl(v128 a, uint32_t n) {                            \
    return shl<U>(a, n);                                               \
  }                                                                    \
  inline v128 P##_shr_s(v128 a, uint32_t n) {                          \
    return shr_s<S>(a, n);                                             \
  }                                                                    \
  inline v128 P##_shr_u(v128 a, uint32_t n) {                          \
    return shr_u<U>(a, n);                                             \
  }                                                                    \
  inline v128 P##_add(v128 a, v128 b) {                                \
    return zip<U, U>(a, b, [](U x, U y) { return add(x, y); });        \
  }                                                                    \
  inline v128 P##_sub(v128 a, v128 b) {                                \
    return zip<U, U>(a, b, [](U x, U y) { return sub(x, y); });        \
  }
AIRWASM_REF_INT_COMMON(i8x16, int8_t, uint8_t)
AIRWASM_REF_INT_COMMON(i16x8, int16_t, uint16_t)
AIRWASM_REF_INT_COMMON(i32x4, int32_t, uint32_t)
AIRWASM_REF_INT_COMMON(i64x2, int64_t, uint64_t)
#undef AIRWASM_REF_INT_COMMON

// Operations of the 8- and 16-bit lanes only (saturating arithmetic, rounding average).
#define AIRWASM_REF_INT_SMALL(P, S, U)                                             \
  inline v128 P##_add_sat_s(v128 a, v128 b) {                                      \
    return zip<S, S>(a, b, [](S x, S y) { return saturate<S>(int64_t(x) + y); });  \
  }                                                                                \
  inline v128 P##_add_sat_u(v128 a, v128 b) {                                      \
    return zip<U, U>(a, b, [](U x, U y) { return saturate<U>(int64_t(x) + y); });  \
  }                                                                                \
  inline v128 P##_sub_sat_s(v128 a, v128 b) {                                      \
    return zip<S, S>(a, b, [](S x, S y) { return saturate<S>(int64_t(x) - y); });  \
  }                                                                                \
  inline v128 P##_sub_sat_u(v128 a, v128 b) {                                      \
    return zip<U, U>(a, b, [](U x, U y) { return saturate<U>(int64_t(x) - y); });  \
  }                                                                                \
  inline v128 P##_avgr_u(v128 a, v128 b) {                                         \
    return zip<U, U>(a, b, [](U x, U y) { return U((uint32_t(x) + y + 1) / 2); }); \
  }
AIRWASM_REF_INT_SMALL(i8x16, int8_t, uint8_t)
AIRWASM_REF_INT_SMALL(i16x8, int16_t, uint16_t)
#undef AIRWASM_REF_INT_SMALL

// min/max of the 8-, 16- and 32-bit lanes.
#define AIRWASM_REF_MINMAX(P, S, U)                                 \
  inline v128 P##_min_s(v128 a, v128 b) {                           \
    return zip<S, S>(a, b, [](S x, S y) { return x < y ? x : y; }); \
  }                                                                 \
  inline v128 P##_min_u(v128 a, v128 b) {                           \
    return zip<U, U>(a, b, [](U x, U y) { return x < y ? x : y; }); \
  }                                                                 \
  inline v128 P##_max_s(v128 a, v128 b) {                           \
    return zip<S, S>(a, b, [](S x, S y) { return x > y ? x : y; }); \
  }                                                                 \
  inline v128 P##_max_u(v128 a, v128 b) {                           \
    return zip<U, U>(a, b, [](U x, U y) { return x > y ? x : y; }); \
  }
AIRWASM_REF_MINMAX(i8x16, int8_t, uint8_t)
AIRWASM_REF_MINMAX(i16x8, int16_t, uint16_t)
AIRWASM_REF_MINMAX(i32x4, int32_t, uint32_t)
#undef AIRWASM_REF_MINMAX

inline v128 i16x8_mul(v128 a, v128 b) {
  return zip<uint16_t, uint16_t>(a, b, [](uint16_t x, uint16_t y) { return mul(x, y); });
}
inline v128 i32x4_mul(v128 a, v128 b) {
  return zip<uint32_t, uint32_t>(a, b, [](uint32_t x, uint32_t y) { return mul(x, y); });
}
inline v128 i64x2_mul(v128 a, v128 b) {
  return zip<uint64_t, uint64_t>(a, b, [](uint64_t x, uint64_t y) { return mul(x, y); });
}

inline v128 i8x16_popcnt(v128 a) {
  return map<uint8_t, uint8_t>(a, [](uint8_t x) { return uint8_t(std::popcount(x)); });
}
inline v128 i8x16_narrow_i16x8_s(v128 a, v128 b) {
  return narrow<int8_t, int16_t>(a, b);
}
inline v128 i8x16_narrow_i16x8_u(v128 a, v128 b) {
  return narrow<uint8_t, int16_t>(a, b);
}
inline v128 i16x8_narrow_i32x4_s(v128 a, v128 b) {
  return narrow<int16_t, int32_t>(a, b);
}
inline v128 i16x8_narrow_i32x4_u(v128 a, v128 b) {
  return narrow<uint16_t, int32_t>(a, b);
}

inline v128 i16x8_q15mulr_sat_s(v128 a, v128 b) {
  return zip<int16_t, int16_t>(
      a, b, [](int16_t x, int16_t y) { return saturate<int16_t>((int64_t(x) * y + 0x4000) >> 15); });
}
inline v128 i32x4_dot_i16x8_s(v128 a, v128 b) {
  const Lanes<int16_t> x = lanes<int16_t>(a), y = lanes<int16_t>(b);
  Lanes<uint32_t> r;
  for (int i = 0; i < 4; ++i)
    r[i] = uint32_t(int64_t(x[2 * i]) * y[2 * i] + int64_t(x[2 * i + 1]) * y[2 * i + 1]);  // wraps
  return from_lanes(r);
}

// ---- widening: extend, extmul, extadd_pairwise ----
inline v128 i16x8_extend_low_i8x16_s(v128 a) {
  return extend<int16_t, int8_t>(a, false);
}
inline v128 i16x8_extend_high_i8x16_s(v128 a) {
  return extend<int16_t, int8_t>(a, true);
}
inline v128 i16x8_extend_low_i8x16_u(v128 a) {
  return extend<uint16_t, uint8_t>(a, false);
}
inline v128 i16x8_extend_high_i8x16_u(v128 a) {
  return extend<uint16_t, uint8_t>(a, true);
}
inline v128 i32x4_extend_low_i16x8_s(v128 a) {
  return extend<int32_t, int16_t>(a, false);
}
inline v128 i32x4_extend_high_i16x8_s(v128 a) {
  return extend<int32_t, int16_t>(a, true);
}
inline v128 i32x4_extend_low_i16x8_u(v128 a) {
  return extend<uint32_t, uint16_t>(a, false);
}
inline v128 i32x4_extend_high_i16x8_u(v128 a) {
  return extend<uint32_t, uint16_t>(a, true);
}
inline v128 i64x2_extend_low_i32x4_s(v128 a) {
  return extend<int64_t, int32_t>(a, false);
}
inline v128 i64x2_extend_high_i32x4_s(v128 a) {
  return extend<int64_t, int32_t>(a, true);
}
inline v128 i64x2_extend_low_i32x4_u(v128 a) {
  return extend<uint64_t, uint32_t>(a, false);
}
inline v128 i64x2_extend_high_i32x4_u(v128 a) {
  return extend<uint64_t, uint32_t>(a, true);
}
inline v128 i16x8_extmul_low_i8x16_s(v128 a, v128 b) {
  return extmul<int16_t, int8_t>(a, b, false);
}
inline v128 i16x8_extmul_high_i8x16_s(v128 a, v128 b) {
  return extmul<int16_t, int8_t>(a, b, true);
}
inline v128 i16x8_extmul_low_i8x16_u(v128 a, v128 b) {
  return extmul<uint16_t, uint8_t>(a, b, false);
}
inline v128 i16x8_extmul_high_i8x16_u(v128 a, v128 b) {
  return extmul<uint16_t, uint8_t>(a, b, true);
}
inline v128 i32x4_extmul_low_i16x8_s(v128 a, v128 b) {
  return extmul<int32_t, int16_t>(a, b, false);
}
inline v128 i32x4_extmul_high_i16x8_s(v128 a, v128 b) {
  return extmul<int32_t, int16_t>(a, b, true);
}
inline v128 i32x4_extmul_low_i16x8_u(v128 a, v128 b) {
  return extmul<uint32_t, uint16_t>(a, b, false);
}
inline v128 i32x4_extmul_high_i16x8_u(v128 a, v128 b) {
  return extmul<uint32_t, uint16_t>(a, b, true);
}
inline v128 i64x2_extmul_low_i32x4_s(v128 a, v128 b) {
  return extmul<int64_t, int32_t>(a, b, false);
}
inline v128 i64x2_extmul_high_i32x4_s(v128 a, v128 b) {
  return extmul<int64_t, int32_t>(a, b, true);
}
inline v128 i64x2_extmul_low_i32x4_u(v128 a, v128 b) {
  return extmul<uint64_t, uint32_t>(a, b, false);
}
inline v128 i64x2_extmul_high_i32x4_u(v128 a, v128 b) {
  return extmul<uint64_t, uint32_t>(a, b, true);
}
inline v128 i16x8_extadd_pairwise_i8x16_s(v128 a) {
  return extadd_pairwise<int16_t, int8_t>(a);
}
inline v128 i16x8_extadd_pairwise_i8x16_u(v128 a) {
  return extadd_pairwise<uint16_t, uint8_t>(a);
}
inline v128 i32x4_extadd_pairwise_i16x8_s(v128 a) {
  return extadd_pairwise<int32_t, int16_t>(a);
}
inline v128 i32x4_extadd_pairwise_i16x8_u(v128 a) {
  return extadd_pairwise<uint32_t, uint16_t>(a);
}

// ---- floating point ----
#define AIRWASM_REF_FLOAT(P, F)                                       \
  inline v128 P##_ceil(v128 a) {                                      \
    return map<F, F>(a, [](F x) { return num::ceil(x); });            \
  }                                                                   \
  inline v128 P##_floor(v128 a) {                                     \
    return map<F, F>(a, [](F x) { return num::floor(x); });           \
  }                                                                   \
  inline v128 P##_trunc(v128 a) {                                     \
    return map<F, F>(a, [](F x) { return num::trunc(x); });           \
  }                                                                   \
  inline v128 P##_nearest(v128 a) {                                   \
    return map<F, F>(a, [](F x) { return num::nearest(x); });         \
  }                                                                   \
  inline v128 P##_abs(v128 a) {                                       \
    return map<F, F>(a, [](F x) { return num::fabs_bits(x); });       \
  }                                                                   \
  inline v128 P##_neg(v128 a) {                                       \
    return map<F, F>(a, [](F x) { return num::fneg_bits(x); });       \
  }                                                                   \
  inline v128 P##_sqrt(v128 a) {                                      \
    return map<F, F>(a, [](F x) { return std::sqrt(x); });            \
  }                                                                   \
  inline v128 P##_add(v128 a, v128 b) {                               \
    return zip<F, F>(a, b, [](F x, F y) { return x + y; });           \
  }                                                                   \
  inline v128 P##_sub(v128 a, v128 b) {                               \
    return zip<F, F>(a, b, [](F x, F y) { return x - y; });           \
  }                                                                   \
  inline v128 P##_mul(v128 a, v128 b) {                               \
    return zip<F, F>(a, b, [](F x, F y) { return x * y; });           \
  }                                                                   \
  inline v128 P##_div(v128 a, v128 b) {                               \
    return zip<F, F>(a, b, [](F x, F y) { return x / y; });           \
  }                                                                   \
  inline v128 P##_min(v128 a, v128 b) {                               \
    return zip<F, F>(a, b, [](F x, F y) { return num::fmin(x, y); }); \
  }                                                                   \
  inline v128 P##_max(v128 a, v128 b) {                               \
    return zip<F, F>(a, b, [](F x, F y) { return num::fmax(x, y); }); \
  }                                                                   \
  inline v128 P##_pmin(v128 a, v128 b) {                              \
    return zip<F, F>(a, b, [](F x, F y) { return y < x ? y : x; });   \
  }                                                                   \
  inline v128 P##_pmax(v128 a, v128 b) {                              \
    return zip<F, F>(a, b, [](F x, F y) { return x < y ? y : x; });   \
  }
AIRWASM_REF_FLOAT(f32x4, float)
AIRWASM_REF_FLOAT(f64x2, double)
#undef AIRWASM_REF_FLOAT

// ---- conversions ----
inline v128 i32x4_trunc_sat_f32x4_s(v128 a) {
  return map<int32_t, float>(a, [](float x) { return num::trunc_sat<int32_t, float>(x); });
}
inline v128 i32x4_trunc_sat_f32x4_u(v128 a) {
  return map<uint32_t, float>(a, [](float x) { return num::trunc_sat<uint32_t, float>(x); });
}
inline v128 i32x4_trunc_sat_f64x2_s_zero(v128 a) {
  const Lanes<double> x = lanes<double>(a);
  Lanes<int32_t> r = {{num::trunc_sat<int32_t, double>(x[0]), num::trunc_sat<int32_t, double>(x[1]), 0, 0}};
  return from_lanes(r);
}
inline v128 i32x4_trunc_sat_f64x2_u_zero(v128 a) {
  const Lanes<double> x = lanes<double>(a);
  Lanes<uint32_t> r = {
      {num::trunc_sat<uint32_t, double>(x[0]), num::trunc_sat<uint32_t, double>(x[1]), 0, 0}};
  return from_lanes(r);
}
inline v128 f32x4_convert_i32x4_s(v128 a) {
  return map<float, int32_t>(a, [](int32_t x) { return float(x); });
}
inline v128 f32x4_convert_i32x4_u(v128 a) {
  return map<float, uint32_t>(a, [](uint32_t x) { return float(x); });
}
inline v128 f64x2_convert_low_i32x4_s(v128 a) {
  const Lanes<int32_t> x = lanes<int32_t>(a);
  return from_lanes(Lanes<double>{{double(x[0]), double(x[1])}});
}
inline v128 f64x2_convert_low_i32x4_u(v128 a) {
  const Lanes<uint32_t> x = lanes<uint32_t>(a);
  return from_lanes(Lanes<double>{{double(x[0]), double(x[1])}});
}
inline v128 f32x4_demote_f64x2_zero(v128 a) {
  const Lanes<double> x = lanes<double>(a);
  return from_lanes(Lanes<float>{{float(x[0]), float(x[1]), 0.0f, 0.0f}});
}
inline v128 f64x2_promote_low_f32x4(v128 a) {
  const Lanes<float> x = lanes<float>(a);
  return from_lanes(Lanes<double>{{double(x[0]), double(x[1])}});
}

}  // namespace airwasm::interp::simd::ref
