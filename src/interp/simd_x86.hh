// interp: the fast path of every pure SIMD lane operation for x86-64 (the functions named in
// simd_ops.def), using only SSE2, the x86-64 baseline: no CPU check is needed (see docs/RATIONALE.md,
// "Why SSE2 only for SIMD?"). Where SSE2 lacks an instruction (pshufb, pminsd, pmulld, roundps, ...) it is
// emulated with a short exact sequence; the few operations with no good sequence use scalar lanes.
// Each function must give exactly the result of simd::ref (simd_ref.hh), up to the NaN bits the spec
// leaves open; tests/unit/interp/simd_ops_test.cc checks that on edge cases and random inputs.
// Everything is always_inline: these bodies are pasted into the handlers of the dispatch loop.
// Rounding relies on the default MXCSR (round to nearest, no flush-to-zero), which airwasm never changes.
#pragma once

#include <emmintrin.h>

#include <cstdint>

#include "interp/simd_ref.hh"
#include "interp/simd_types.hh"

namespace airwasm::interp::simd::fast {

namespace x86 {

[[gnu::always_inline]] inline __m128i I(v128 v) {
  return __m128i(v);
}
[[gnu::always_inline]] inline __m128 F(v128 v) {
  return __m128(v);
}
[[gnu::always_inline]] inline __m128d D(v128 v) {
  return __m128d(v);
}
[[gnu::always_inline]] inline v128 V(__m128i v) {
  return v128(v);
}
[[gnu::always_inline]] inline v128 V(__m128 v) {
  return v128(v);
}
[[gnu::always_inline]] inline v128 V(__m128d v) {
  return v128(v);
}
[[gnu::always_inline]] inline __m128i zero() {
  return _mm_setzero_si128();
}
// mask ? a : b, bitwise.
[[gnu::always_inline]] inline __m128i blend(__m128i mask, __m128i a, __m128i b) {
  return _mm_or_si128(_mm_and_si128(mask, a), _mm_andnot_si128(mask, b));
}
[[gnu::always_inline]] inline __m128 blend(__m128 mask, __m128 a, __m128 b) {
  return _mm_or_ps(_mm_and_ps(mask, a), _mm_andnot_ps(mask, b));
}
[[gnu::always_inline]] inline __m128d blend(__m128d mask, __m128d a, __m128d b) {
  return _mm_or_pd(_mm_and_pd(mask, a), _mm_andnot_pd(mask, b));
}
// All-ones in the 64-bit lanes of `a` that are negative (SSE2 has no 64-bit arithmetic shift).
[[gnu::always_inline]] inline __m128i sign64(__m128i a) {
  return _mm_shuffle_epi32(_mm_srai_epi32(a, 31), _MM_SHUFFLE(3, 3, 1, 1));
}
[[gnu::always_inline]] inline __m128i count(uint32_t n, uint32_t lane_bits) {
  return _mm_cvtsi32_si128(int(n & (lane_bits - 1)));
}

// Sign extension of the low / high half (pmovsx* and pmovzx* are SSE4.1).
[[gnu::always_inline]] inline __m128i ext8s_lo(__m128i a) {
  return _mm_srai_epi16(_mm_unpacklo_epi8(a, a), 8);
}
[[gnu::always_inline]] inline __m128i ext8s_hi(__m128i a) {
  return _mm_srai_epi16(_mm_unpackhi_epi8(a, a), 8);
}
[[gnu::always_inline]] inline __m128i ext8u_lo(__m128i a) {
  return _mm_unpacklo_epi8(a, zero());
}
[[gnu::always_inline]] inline __m128i ext8u_hi(__m128i a) {
  return _mm_unpackhi_epi8(a, zero());
}
[[gnu::always_inline]] inline __m128i ext16s_lo(__m128i a) {
  return _mm_srai_epi32(_mm_unpacklo_epi16(a, a), 16);
}
[[gnu::always_inline]] inline __m128i ext16s_hi(__m128i a) {
  return _mm_srai_epi32(_mm_unpackhi_epi16(a, a), 16);
}
[[gnu::always_inline]] inline __m128i ext16u_lo(__m128i a) {
  return _mm_unpacklo_epi16(a, zero());
}
[[gnu::always_inline]] inline __m128i ext16u_hi(__m128i a) {
  return _mm_unpackhi_epi16(a, zero());
}
[[gnu::always_inline]] inline __m128i ext32s_lo(__m128i a) {
  return _mm_unpacklo_epi32(a, _mm_srai_epi32(a, 31));
}
[[gnu::always_inline]] inline __m128i ext32s_hi(__m128i a) {
  return _mm_unpackhi_epi32(a, _mm_srai_epi32(a, 31));
}
[[gnu::always_inline]] inline __m128i ext32u_lo(__m128i a) {
  return _mm_unpacklo_epi32(a, zero());
}
[[gnu::always_inline]] inline __m128i ext32u_hi(__m128i a) {
  return _mm_unpackhi_epi32(a, zero());
}

// Signed 32-bit min/max/compare helpers for unsigned lanes: flip the sign bit.
[[gnu::always_inline]] inline __m128i flip32(__m128i a) {
  return _mm_xor_si128(a, _mm_set1_epi32(INT32_MIN));
}
[[gnu::always_inline]] inline __m128i flip8(__m128i a) {
  return _mm_xor_si128(a, _mm_set1_epi8(INT8_MIN));
}

// i64x2 products of the dwords 0 and 2 of a and b, unsigned (pmuludq), or signed (pmuldq is SSE4.1):
// the signed product is the unsigned one minus 2^32 * (a<0 ? b : 0) + (b<0 ? a : 0), modulo 2^64.
[[gnu::always_inline]] inline __m128i mul_even_u32(__m128i a, __m128i b) {
  return _mm_mul_epu32(a, b);
}
[[gnu::always_inline]] inline __m128i mul_even_s32(__m128i a, __m128i b) {
  const __m128i p = _mm_mul_epu32(a, b);
  const __m128i corr =
      _mm_add_epi32(_mm_and_si128(_mm_srai_epi32(a, 31), b), _mm_and_si128(_mm_srai_epi32(b, 31), a));
  return _mm_sub_epi64(p, _mm_slli_epi64(corr, 32));
}

// Rounding of float lanes without roundps: for |x| < 2^23 (2^52), (|x| + 2^23) - 2^23 rounds |x| to the
// nearest integer, ties to even; the result is then adjusted toward the wanted direction and gets the
// sign of x back (so -0.5 gives -0). Larger magnitudes are integral already; NaN is quieted by x + 0.
enum class Round { kNearest, kTrunc, kFloor, kCeil };
template <Round mode>
[[gnu::always_inline]] inline v128 round_ps(v128 v) {
  const __m128 x = F(v);
  const __m128 sign = _mm_castsi128_ps(_mm_set1_epi32(INT32_MIN));
  const __m128 magic = _mm_set1_ps(8388608.0f);
  const __m128 one = _mm_set1_ps(1.0f);
  const __m128 ax = _mm_andnot_ps(sign, x);
  const __m128 small = _mm_cmplt_ps(ax, magic);
  const __m128 n = _mm_sub_ps(_mm_add_ps(ax, magic), magic);
  __m128 r;
  if constexpr (mode == Round::kNearest) {
    r = n;
  } else if constexpr (mode == Round::kTrunc) {
    r = _mm_sub_ps(n, _mm_and_ps(_mm_cmpgt_ps(n, ax), one));
  } else {
    const __m128 sn = _mm_or_ps(n, _mm_and_ps(x, sign));
    if constexpr (mode == Round::kFloor)
      r = _mm_sub_ps(sn, _mm_and_ps(_mm_cmpgt_ps(sn, x), one));
    else
      r = _mm_add_ps(sn, _mm_and_ps(_mm_cmplt_ps(sn, x), one));
  }
  r = _mm_or_ps(_mm_andnot_ps(sign, r), _mm_and_ps(x, sign));
  return V(blend(small, r, _mm_add_ps(x, _mm_setzero_ps())));
}
template <Round mode>
[[gnu::always_inline]] inline v128 round_pd(v128 v) {
  const __m128d x = D(v);
  const __m128d sign = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MIN));
  const __m128d magic = _mm_set1_pd(4503599627370496.0);
  const __m128d one = _mm_set1_pd(1.0);
  const __m128d ax = _mm_andnot_pd(sign, x);
  const __m128d small = _mm_cmplt_pd(ax, magic);
  const __m128d n = _mm_sub_pd(_mm_add_pd(ax, magic), magic);
  __m128d r;
  if constexpr (mode == Round::kNearest) {
    r = n;
  } else if constexpr (mode == Round::kTrunc) {
    r = _mm_sub_pd(n, _mm_and_pd(_mm_cmpgt_pd(n, ax), one));
  } else {
    const __m128d sn = _mm_or_pd(n, _mm_and_pd(x, sign));
    if constexpr (mode == Round::kFloor)
      r = _mm_sub_pd(sn, _mm_and_pd(_mm_cmpgt_pd(sn, x), one));
    else
      r = _mm_add_pd(sn, _mm_and_pd(_mm_cmplt_pd(sn, x), one));
  }
  r = _mm_or_pd(_mm_andnot_pd(sign, r), _mm_and_pd(x, sign));
  return V(blend(small, r, _mm_add_pd(x, _mm_setzero_pd())));
}

}  // namespace x86

using namespace x86;

// ---- splats, swizzle, shuffle ----
[[gnu::always_inline]] inline v128 i8x16_splat(uint32_t x) {
  return V(_mm_set1_epi8(char(x)));
}
[[gnu::always_inline]] inline v128 i16x8_splat(uint32_t x) {
  return V(_mm_set1_epi16(short(x)));
}
[[gnu::always_inline]] inline v128 i32x4_splat(uint32_t x) {
  return V(_mm_set1_epi32(int(x)));
}
[[gnu::always_inline]] inline v128 i64x2_splat(uint64_t x) {
  return V(_mm_set1_epi64x((long long)x));
}
[[gnu::always_inline]] inline v128 f32x4_splat(uint32_t bits) {
  return V(_mm_set1_epi32(int(bits)));
}
[[gnu::always_inline]] inline v128 f64x2_splat(uint64_t bits) {
  return V(_mm_set1_epi64x((long long)bits));
}
// pshufb is SSSE3: byte permutations go through memory, one lane at a time.
[[gnu::always_inline]] inline v128 i8x16_swizzle(v128 a, v128 s) {
  return ref::i8x16_swizzle(a, s);
}
[[gnu::always_inline]] inline v128 i8x16_shuffle(v128 a, v128 b, const uint8_t* sel) {
  return ref::i8x16_shuffle(a, b, sel);
}

// ---- comparisons (generic vector compares give all-ones lanes; GCC picks the SSE2 sequences) ----
#define AIRWASM_FAST_CMP(name, T, op)                       \
  [[gnu::always_inline]] inline v128 name(v128 a, v128 b) { \
    return v128(T(a) op T(b));                              \
  }
// clang-format off
#define AIRWASM_FAST_ICMPS(P, S, U)                                                                   \
  AIRWASM_FAST_CMP(P##_eq, S, ==)    AIRWASM_FAST_CMP(P##_ne, S, !=)                                  \
  AIRWASM_FAST_CMP(P##_lt_s, S, <)   AIRWASM_FAST_CMP(P##_lt_u, U, <)                                 \
  AIRWASM_FAST_CMP(P##_gt_s, S, >)   AIRWASM_FAST_CMP(P##_gt_u, U, >)                                 \
  AIRWASM_FAST_CMP(P##_le_s, S, <=)  AIRWASM_FAST_CMP(P##_le_u, U, <=)                                \
  AIRWASM_FAST_CMP(P##_ge_s, S, >=)  AIRWASM_FAST_CMP(P##_ge_u, U, >=)
// clang-format on
AIRWASM_FAST_ICMPS(i8x16, i8x16, u8x16)
AIRWASM_FAST_ICMPS(i16x8, i16x8, u16x8)
AIRWASM_FAST_ICMPS(i32x4, i32x4, u32x4)
AIRWASM_FAST_CMP(i64x2_eq, i64x2, ==)
AIRWASM_FAST_CMP(i64x2_ne, i64x2, !=)
AIRWASM_FAST_CMP(i64x2_lt_s, i64x2, <)
AIRWASM_FAST_CMP(i64x2_gt_s, i64x2, >)
AIRWASM_FAST_CMP(i64x2_le_s, i64x2, <=)
AIRWASM_FAST_CMP(i64x2_ge_s, i64x2, >=)
#undef AIRWASM_FAST_ICMPS
#undef AIRWASM_FAST_CMP
[[gnu::always_inline]] inline v128 f32x4_eq(v128 a, v128 b) {
  return V(_mm_cmpeq_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_ne(v128 a, v128 b) {
  return V(_mm_cmpneq_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_lt(v128 a, v128 b) {
  return V(_mm_cmplt_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_gt(v128 a, v128 b) {
  return V(_mm_cmpgt_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_le(v128 a, v128 b) {
  return V(_mm_cmple_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_ge(v128 a, v128 b) {
  return V(_mm_cmpge_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f64x2_eq(v128 a, v128 b) {
  return V(_mm_cmpeq_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_ne(v128 a, v128 b) {
  return V(_mm_cmpneq_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_lt(v128 a, v128 b) {
  return V(_mm_cmplt_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_gt(v128 a, v128 b) {
  return V(_mm_cmpgt_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_le(v128 a, v128 b) {
  return V(_mm_cmple_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_ge(v128 a, v128 b) {
  return V(_mm_cmpge_pd(D(a), D(b)));
}

// ---- bitwise ----
[[gnu::always_inline]] inline v128 v128_not(v128 a) {
  return ~a;
}
[[gnu::always_inline]] inline v128 v128_and(v128 a, v128 b) {
  return a & b;
}
[[gnu::always_inline]] inline v128 v128_andnot(v128 a, v128 b) {
  return a & ~b;
}
[[gnu::always_inline]] inline v128 v128_or(v128 a, v128 b) {
  return a | b;
}
[[gnu::always_inline]] inline v128 v128_xor(v128 a, v128 b) {
  return a ^ b;
}
[[gnu::always_inline]] inline v128 v128_bitselect(v128 a, v128 b, v128 c) {
  return (a & c) | (b & ~c);
}
[[gnu::always_inline]] inline uint32_t v128_any_true(v128 a) {
  return _mm_movemask_epi8(_mm_cmpeq_epi8(I(a), zero())) != 0xffff;
}

// ---- i8x16 ----
[[gnu::always_inline]] inline v128 i8x16_neg(v128 a) {
  return V(_mm_sub_epi8(zero(), I(a)));
}
[[gnu::always_inline]] inline v128 i8x16_abs(v128 a) {
  return V(_mm_min_epu8(I(a), _mm_sub_epi8(zero(), I(a))));
}
[[gnu::always_inline]] inline v128 i8x16_popcnt(v128 a) {
  __m128i x = I(a);
  const __m128i m1 = _mm_set1_epi8(0x55), m2 = _mm_set1_epi8(0x33), m4 = _mm_set1_epi8(0x0f);
  x = _mm_sub_epi8(x, _mm_and_si128(_mm_srli_epi16(x, 1), m1));
  x = _mm_add_epi8(_mm_and_si128(x, m2), _mm_and_si128(_mm_srli_epi16(x, 2), m2));
  return V(_mm_and_si128(_mm_add_epi8(x, _mm_srli_epi16(x, 4)), m4));
}
[[gnu::always_inline]] inline uint32_t i8x16_all_true(v128 a) {
  return _mm_movemask_epi8(_mm_cmpeq_epi8(I(a), zero())) == 0;
}
[[gnu::always_inline]] inline uint32_t i8x16_bitmask(v128 a) {
  return uint32_t(_mm_movemask_epi8(I(a)));
}
[[gnu::always_inline]] inline v128 i8x16_narrow_i16x8_s(v128 a, v128 b) {
  return V(_mm_packs_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_narrow_i16x8_u(v128 a, v128 b) {
  return V(_mm_packus_epi16(I(a), I(b)));
}
// No byte shifts in SSE2: shift 16-bit lanes and mask off the bits that crossed into a neighbour byte.
[[gnu::always_inline]] inline v128 i8x16_shl(v128 a, uint32_t n) {
  const unsigned s = n & 7;
  return V(_mm_and_si128(_mm_sll_epi16(I(a), count(s, 8)), _mm_set1_epi8(char(0xff << s))));
}
[[gnu::always_inline]] inline v128 i8x16_shr_u(v128 a, uint32_t n) {
  const unsigned s = n & 7;
  return V(_mm_and_si128(_mm_srl_epi16(I(a), count(s, 8)), _mm_set1_epi8(char(0xff >> s))));
}
[[gnu::always_inline]] inline v128 i8x16_shr_s(v128 a, uint32_t n) {
  const __m128i c = _mm_cvtsi32_si128(int((n & 7) + 8));
  const __m128i lo = _mm_sra_epi16(_mm_unpacklo_epi8(I(a), I(a)), c);
  const __m128i hi = _mm_sra_epi16(_mm_unpackhi_epi8(I(a), I(a)), c);
  return V(_mm_packs_epi16(lo, hi));
}
[[gnu::always_inline]] inline v128 i8x16_add(v128 a, v128 b) {
  return V(_mm_add_epi8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_add_sat_s(v128 a, v128 b) {
  return V(_mm_adds_epi8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_add_sat_u(v128 a, v128 b) {
  return V(_mm_adds_epu8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_sub(v128 a, v128 b) {
  return V(_mm_sub_epi8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_sub_sat_s(v128 a, v128 b) {
  return V(_mm_subs_epi8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_sub_sat_u(v128 a, v128 b) {
  return V(_mm_subs_epu8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_min_u(v128 a, v128 b) {
  return V(_mm_min_epu8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_max_u(v128 a, v128 b) {
  return V(_mm_max_epu8(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i8x16_min_s(v128 a, v128 b) {
  return V(flip8(_mm_min_epu8(flip8(I(a)), flip8(I(b)))));
}
[[gnu::always_inline]] inline v128 i8x16_max_s(v128 a, v128 b) {
  return V(flip8(_mm_max_epu8(flip8(I(a)), flip8(I(b)))));
}
[[gnu::always_inline]] inline v128 i8x16_avgr_u(v128 a, v128 b) {
  return V(_mm_avg_epu8(I(a), I(b)));
}

// ---- i16x8 ----
[[gnu::always_inline]] inline v128 i16x8_extadd_pairwise_i8x16_s(v128 a) {
  const __m128i even = _mm_srai_epi16(_mm_slli_epi16(I(a), 8), 8), odd = _mm_srai_epi16(I(a), 8);
  return V(_mm_add_epi16(even, odd));
}
[[gnu::always_inline]] inline v128 i16x8_extadd_pairwise_i8x16_u(v128 a) {
  const __m128i even = _mm_and_si128(I(a), _mm_set1_epi16(0xff)), odd = _mm_srli_epi16(I(a), 8);
  return V(_mm_add_epi16(even, odd));
}
[[gnu::always_inline]] inline v128 i16x8_neg(v128 a) {
  return V(_mm_sub_epi16(zero(), I(a)));
}
[[gnu::always_inline]] inline v128 i16x8_abs(v128 a) {
  return V(_mm_max_epi16(I(a), _mm_sub_epi16(zero(), I(a))));
}
// pmulhrsw is SSSE3: form the 32-bit products, round, shift, and narrow with signed saturation (only
// -32768 * -32768 saturates).
[[gnu::always_inline]] inline v128 i16x8_q15mulr_sat_s(v128 a, v128 b) {
  const __m128i lo = _mm_mullo_epi16(I(a), I(b)), hi = _mm_mulhi_epi16(I(a), I(b));
  const __m128i r = _mm_set1_epi32(0x4000);
  const __m128i p0 = _mm_srai_epi32(_mm_add_epi32(_mm_unpacklo_epi16(lo, hi), r), 15);
  const __m128i p1 = _mm_srai_epi32(_mm_add_epi32(_mm_unpackhi_epi16(lo, hi), r), 15);
  return V(_mm_packs_epi32(p0, p1));
}
[[gnu::always_inline]] inline uint32_t i16x8_all_true(v128 a) {
  return _mm_movemask_epi8(_mm_cmpeq_epi16(I(a), zero())) == 0;
}
[[gnu::always_inline]] inline uint32_t i16x8_bitmask(v128 a) {
  return uint32_t(_mm_movemask_epi8(_mm_packs_epi16(I(a), zero())));
}
[[gnu::always_inline]] inline v128 i16x8_narrow_i32x4_s(v128 a, v128 b) {
  return V(_mm_packs_epi32(I(a), I(b)));
}
// packusdw is SSE4.1: clamp to [0, 65535] first, then sign-extend the low half so packssdw keeps it.
[[gnu::always_inline]] inline __m128i clamp_u16(__m128i x) {
  x = _mm_and_si128(x, _mm_cmpgt_epi32(x, zero()));
  x = blend(_mm_cmpgt_epi32(x, _mm_set1_epi32(0xffff)), _mm_set1_epi32(0xffff), x);
  return _mm_srai_epi32(_mm_slli_epi32(x, 16), 16);
}
[[gnu::always_inline]] inline v128 i16x8_narrow_i32x4_u(v128 a, v128 b) {
  return V(_mm_packs_epi32(clamp_u16(I(a)), clamp_u16(I(b))));
}
[[gnu::always_inline]] inline v128 i16x8_extend_low_i8x16_s(v128 a) {
  return V(ext8s_lo(I(a)));
}
[[gnu::always_inline]] inline v128 i16x8_extend_high_i8x16_s(v128 a) {
  return V(ext8s_hi(I(a)));
}
[[gnu::always_inline]] inline v128 i16x8_extend_low_i8x16_u(v128 a) {
  return V(ext8u_lo(I(a)));
}
[[gnu::always_inline]] inline v128 i16x8_extend_high_i8x16_u(v128 a) {
  return V(ext8u_hi(I(a)));
}
[[gnu::always_inline]] inline v128 i16x8_shl(v128 a, uint32_t n) {
  return V(_mm_sll_epi16(I(a), count(n, 16)));
}
[[gnu::always_inline]] inline v128 i16x8_shr_s(v128 a, uint32_t n) {
  return V(_mm_sra_epi16(I(a), count(n, 16)));
}
[[gnu::always_inline]] inline v128 i16x8_shr_u(v128 a, uint32_t n) {
  return V(_mm_srl_epi16(I(a), count(n, 16)));
}
[[gnu::always_inline]] inline v128 i16x8_add(v128 a, v128 b) {
  return V(_mm_add_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_add_sat_s(v128 a, v128 b) {
  return V(_mm_adds_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_add_sat_u(v128 a, v128 b) {
  return V(_mm_adds_epu16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_sub(v128 a, v128 b) {
  return V(_mm_sub_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_sub_sat_s(v128 a, v128 b) {
  return V(_mm_subs_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_sub_sat_u(v128 a, v128 b) {
  return V(_mm_subs_epu16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_mul(v128 a, v128 b) {
  return V(_mm_mullo_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_min_s(v128 a, v128 b) {
  return V(_mm_min_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_max_s(v128 a, v128 b) {
  return V(_mm_max_epi16(I(a), I(b)));
}
// Unsigned 16-bit min/max (SSE4.1) from saturating subtraction: a - (a -sat b) = min, b + (a -sat b) = max.
[[gnu::always_inline]] inline v128 i16x8_min_u(v128 a, v128 b) {
  return V(_mm_sub_epi16(I(a), _mm_subs_epu16(I(a), I(b))));
}
[[gnu::always_inline]] inline v128 i16x8_max_u(v128 a, v128 b) {
  return V(_mm_add_epi16(I(b), _mm_subs_epu16(I(a), I(b))));
}
[[gnu::always_inline]] inline v128 i16x8_avgr_u(v128 a, v128 b) {
  return V(_mm_avg_epu16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i16x8_extmul_low_i8x16_s(v128 a, v128 b) {
  return V(_mm_mullo_epi16(ext8s_lo(I(a)), ext8s_lo(I(b))));
}
[[gnu::always_inline]] inline v128 i16x8_extmul_high_i8x16_s(v128 a, v128 b) {
  return V(_mm_mullo_epi16(ext8s_hi(I(a)), ext8s_hi(I(b))));
}
[[gnu::always_inline]] inline v128 i16x8_extmul_low_i8x16_u(v128 a, v128 b) {
  return V(_mm_mullo_epi16(ext8u_lo(I(a)), ext8u_lo(I(b))));
}
[[gnu::always_inline]] inline v128 i16x8_extmul_high_i8x16_u(v128 a, v128 b) {
  return V(_mm_mullo_epi16(ext8u_hi(I(a)), ext8u_hi(I(b))));
}

// ---- i32x4 ----
[[gnu::always_inline]] inline v128 i32x4_extadd_pairwise_i16x8_s(v128 a) {
  return V(_mm_madd_epi16(I(a), _mm_set1_epi16(1)));
}
[[gnu::always_inline]] inline v128 i32x4_extadd_pairwise_i16x8_u(v128 a) {
  return V(_mm_add_epi32(_mm_and_si128(I(a), _mm_set1_epi32(0xffff)), _mm_srli_epi32(I(a), 16)));
}
[[gnu::always_inline]] inline v128 i32x4_neg(v128 a) {
  return V(_mm_sub_epi32(zero(), I(a)));
}
[[gnu::always_inline]] inline v128 i32x4_abs(v128 a) {
  const __m128i s = _mm_srai_epi32(I(a), 31);
  return V(_mm_sub_epi32(_mm_xor_si128(I(a), s), s));
}
[[gnu::always_inline]] inline uint32_t i32x4_all_true(v128 a) {
  return _mm_movemask_epi8(_mm_cmpeq_epi32(I(a), zero())) == 0;
}
[[gnu::always_inline]] inline uint32_t i32x4_bitmask(v128 a) {
  return uint32_t(_mm_movemask_ps(F(a)));
}
[[gnu::always_inline]] inline v128 i32x4_extend_low_i16x8_s(v128 a) {
  return V(ext16s_lo(I(a)));
}
[[gnu::always_inline]] inline v128 i32x4_extend_high_i16x8_s(v128 a) {
  return V(ext16s_hi(I(a)));
}
[[gnu::always_inline]] inline v128 i32x4_extend_low_i16x8_u(v128 a) {
  return V(ext16u_lo(I(a)));
}
[[gnu::always_inline]] inline v128 i32x4_extend_high_i16x8_u(v128 a) {
  return V(ext16u_hi(I(a)));
}
[[gnu::always_inline]] inline v128 i32x4_shl(v128 a, uint32_t n) {
  return V(_mm_sll_epi32(I(a), count(n, 32)));
}
[[gnu::always_inline]] inline v128 i32x4_shr_s(v128 a, uint32_t n) {
  return V(_mm_sra_epi32(I(a), count(n, 32)));
}
[[gnu::always_inline]] inline v128 i32x4_shr_u(v128 a, uint32_t n) {
  return V(_mm_srl_epi32(I(a), count(n, 32)));
}
[[gnu::always_inline]] inline v128 i32x4_add(v128 a, v128 b) {
  return V(_mm_add_epi32(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i32x4_sub(v128 a, v128 b) {
  return V(_mm_sub_epi32(I(a), I(b)));
}
// pmulld is SSE4.1: two pmuludq on the even and odd lanes, low halves interleaved back.
[[gnu::always_inline]] inline v128 i32x4_mul(v128 a, v128 b) {
  const __m128i even = _mm_mul_epu32(I(a), I(b));
  const __m128i odd = _mm_mul_epu32(_mm_srli_epi64(I(a), 32), _mm_srli_epi64(I(b), 32));
  return V(_mm_unpacklo_epi32(_mm_shuffle_epi32(even, _MM_SHUFFLE(0, 0, 2, 0)),
                              _mm_shuffle_epi32(odd, _MM_SHUFFLE(0, 0, 2, 0))));
}
[[gnu::always_inline]] inline v128 i32x4_min_s(v128 a, v128 b) {
  return V(blend(_mm_cmpgt_epi32(I(a), I(b)), I(b), I(a)));
}
[[gnu::always_inline]] inline v128 i32x4_max_s(v128 a, v128 b) {
  return V(blend(_mm_cmpgt_epi32(I(a), I(b)), I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i32x4_min_u(v128 a, v128 b) {
  return V(blend(_mm_cmpgt_epi32(flip32(I(a)), flip32(I(b))), I(b), I(a)));
}
[[gnu::always_inline]] inline v128 i32x4_max_u(v128 a, v128 b) {
  return V(blend(_mm_cmpgt_epi32(flip32(I(a)), flip32(I(b))), I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i32x4_dot_i16x8_s(v128 a, v128 b) {
  return V(_mm_madd_epi16(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i32x4_extmul_low_i16x8_s(v128 a, v128 b) {
  return V(_mm_unpacklo_epi16(_mm_mullo_epi16(I(a), I(b)), _mm_mulhi_epi16(I(a), I(b))));
}
[[gnu::always_inline]] inline v128 i32x4_extmul_high_i16x8_s(v128 a, v128 b) {
  return V(_mm_unpackhi_epi16(_mm_mullo_epi16(I(a), I(b)), _mm_mulhi_epi16(I(a), I(b))));
}
[[gnu::always_inline]] inline v128 i32x4_extmul_low_i16x8_u(v128 a, v128 b) {
  return V(_mm_unpacklo_epi16(_mm_mullo_epi16(I(a), I(b)), _mm_mulhi_epu16(I(a), I(b))));
}
[[gnu::always_inline]] inline v128 i32x4_extmul_high_i16x8_u(v128 a, v128 b) {
  return V(_mm_unpackhi_epi16(_mm_mullo_epi16(I(a), I(b)), _mm_mulhi_epu16(I(a), I(b))));
}
// cvttps2dq gives 0x80000000 for NaN and out-of-range lanes: zero the NaNs first, then flip the
// positive overflows to 0x7fffffff.
[[gnu::always_inline]] inline v128 i32x4_trunc_sat_f32x4_s(v128 a) {
  const __m128 x = _mm_and_ps(F(a), _mm_cmpord_ps(F(a), F(a)));
  const __m128i r = _mm_cvttps_epi32(x);
  return V(_mm_xor_si128(r, _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(2147483648.0f)))));
}
// Unsigned: clamp NaN and negatives to 0 (maxps returns its second operand for NaN); lanes >= 2^31 are
// converted as x - 2^31 (exact) and get 2^31 added back; lanes >= 2^32 saturate to all ones.
[[gnu::always_inline]] inline v128 i32x4_trunc_sat_f32x4_u(v128 a) {
  const __m128 x = _mm_max_ps(F(a), _mm_setzero_ps());
  const __m128 two31 = _mm_set1_ps(2147483648.0f);
  const __m128i lo = _mm_cvttps_epi32(x);
  const __m128i hi = _mm_cvttps_epi32(_mm_sub_ps(x, two31));
  __m128i r = _mm_add_epi32(lo, _mm_and_si128(hi, _mm_castps_si128(_mm_cmpge_ps(x, two31))));
  r = _mm_or_si128(r, _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(4294967296.0f))));
  return V(r);
}
[[gnu::always_inline]] inline v128 i32x4_trunc_sat_f64x2_s_zero(v128 a) {
  __m128d x = _mm_and_pd(D(a), _mm_cmpord_pd(D(a), D(a)));
  x = _mm_min_pd(x, _mm_set1_pd(2147483647.0));
  return V(_mm_cvttpd_epi32(x));  // negative overflow gives 0x80000000 = INT32_MIN; upper lanes zero
}
// Clamp to [0, 2^32 - 1], truncate with the 2^52 trick, and read the integers from the low mantissa.
[[gnu::always_inline]] inline v128 i32x4_trunc_sat_f64x2_u_zero(v128 a) {
  __m128d x = _mm_max_pd(D(a), _mm_setzero_pd());
  x = _mm_min_pd(x, _mm_set1_pd(4294967295.0));
  const __m128d magic = _mm_set1_pd(4503599627370496.0);
  __m128d n = _mm_sub_pd(_mm_add_pd(x, magic), magic);
  n = _mm_sub_pd(n, _mm_and_pd(_mm_cmpgt_pd(n, x), _mm_set1_pd(1.0)));
  const __m128i bits = _mm_castpd_si128(_mm_add_pd(n, magic));
  return V(_mm_move_epi64(_mm_shuffle_epi32(bits, _MM_SHUFFLE(3, 1, 2, 0))));
}

// ---- i64x2 ----
[[gnu::always_inline]] inline v128 i64x2_neg(v128 a) {
  return V(_mm_sub_epi64(zero(), I(a)));
}
[[gnu::always_inline]] inline v128 i64x2_abs(v128 a) {
  const __m128i s = sign64(I(a));
  return V(_mm_sub_epi64(_mm_xor_si128(I(a), s), s));
}
[[gnu::always_inline]] inline uint32_t i64x2_all_true(v128 a) {
  __m128i z = _mm_cmpeq_epi32(I(a), zero());
  z = _mm_and_si128(z, _mm_shuffle_epi32(z, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_movemask_epi8(z) == 0;
}
[[gnu::always_inline]] inline uint32_t i64x2_bitmask(v128 a) {
  return uint32_t(_mm_movemask_pd(D(a)));
}
[[gnu::always_inline]] inline v128 i64x2_extend_low_i32x4_s(v128 a) {
  return V(ext32s_lo(I(a)));
}
[[gnu::always_inline]] inline v128 i64x2_extend_high_i32x4_s(v128 a) {
  return V(ext32s_hi(I(a)));
}
[[gnu::always_inline]] inline v128 i64x2_extend_low_i32x4_u(v128 a) {
  return V(ext32u_lo(I(a)));
}
[[gnu::always_inline]] inline v128 i64x2_extend_high_i32x4_u(v128 a) {
  return V(ext32u_hi(I(a)));
}
[[gnu::always_inline]] inline v128 i64x2_shl(v128 a, uint32_t n) {
  return V(_mm_sll_epi64(I(a), count(n, 64)));
}
[[gnu::always_inline]] inline v128 i64x2_shr_u(v128 a, uint32_t n) {
  return V(_mm_srl_epi64(I(a), count(n, 64)));
}
// Arithmetic shift as a logical one of the value with its sign folded out and back in.
[[gnu::always_inline]] inline v128 i64x2_shr_s(v128 a, uint32_t n) {
  const __m128i s = sign64(I(a));
  return V(_mm_xor_si128(_mm_srl_epi64(_mm_xor_si128(I(a), s), count(n, 64)), s));
}
[[gnu::always_inline]] inline v128 i64x2_add(v128 a, v128 b) {
  return V(_mm_add_epi64(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i64x2_sub(v128 a, v128 b) {
  return V(_mm_sub_epi64(I(a), I(b)));
}
[[gnu::always_inline]] inline v128 i64x2_mul(v128 a, v128 b) {
  return v128(u64x2(a) * u64x2(b));
}
[[gnu::always_inline]] inline v128 i64x2_extmul_low_i32x4_s(v128 a, v128 b) {
  return V(mul_even_s32(_mm_unpacklo_epi32(I(a), I(a)), _mm_unpacklo_epi32(I(b), I(b))));
}
[[gnu::always_inline]] inline v128 i64x2_extmul_high_i32x4_s(v128 a, v128 b) {
  return V(mul_even_s32(_mm_unpackhi_epi32(I(a), I(a)), _mm_unpackhi_epi32(I(b), I(b))));
}
[[gnu::always_inline]] inline v128 i64x2_extmul_low_i32x4_u(v128 a, v128 b) {
  return V(mul_even_u32(_mm_unpacklo_epi32(I(a), I(a)), _mm_unpacklo_epi32(I(b), I(b))));
}
[[gnu::always_inline]] inline v128 i64x2_extmul_high_i32x4_u(v128 a, v128 b) {
  return V(mul_even_u32(_mm_unpackhi_epi32(I(a), I(a)), _mm_unpackhi_epi32(I(b), I(b))));
}

// ---- f32x4 ----
[[gnu::always_inline]] inline v128 f32x4_ceil(v128 a) {
  return round_ps<Round::kCeil>(a);
}
[[gnu::always_inline]] inline v128 f32x4_floor(v128 a) {
  return round_ps<Round::kFloor>(a);
}
[[gnu::always_inline]] inline v128 f32x4_trunc(v128 a) {
  return round_ps<Round::kTrunc>(a);
}
[[gnu::always_inline]] inline v128 f32x4_nearest(v128 a) {
  return round_ps<Round::kNearest>(a);
}
[[gnu::always_inline]] inline v128 f32x4_abs(v128 a) {
  return V(_mm_and_si128(I(a), _mm_set1_epi32(INT32_MAX)));
}
[[gnu::always_inline]] inline v128 f32x4_neg(v128 a) {
  return V(_mm_xor_si128(I(a), _mm_set1_epi32(INT32_MIN)));
}
[[gnu::always_inline]] inline v128 f32x4_sqrt(v128 a) {
  return V(_mm_sqrt_ps(F(a)));
}
[[gnu::always_inline]] inline v128 f32x4_add(v128 a, v128 b) {
  return V(_mm_add_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_sub(v128 a, v128 b) {
  return V(_mm_sub_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_mul(v128 a, v128 b) {
  return V(_mm_mul_ps(F(a), F(b)));
}
[[gnu::always_inline]] inline v128 f32x4_div(v128 a, v128 b) {
  return V(_mm_div_ps(F(a), F(b)));
}
// minps/maxps return their second operand when either is NaN or both are zero. Computing both operand
// orders and merging them gives the spec's result: -0 < +0 and NaN propagation; NaN lanes are then
// replaced by a canonical NaN (the sequence V8 and wasmtime use).
[[gnu::always_inline]] inline v128 f32x4_min(v128 a, v128 b) {
  __m128 t = _mm_min_ps(F(b), F(a));
  const __m128 u = _mm_min_ps(F(a), F(b));
  t = _mm_or_ps(t, u);
  __m128 nan = _mm_cmpunord_ps(u, t);
  t = _mm_or_ps(t, nan);
  nan = _mm_castsi128_ps(_mm_srli_epi32(_mm_castps_si128(nan), 10));
  return V(_mm_andnot_ps(nan, t));
}
[[gnu::always_inline]] inline v128 f32x4_max(v128 a, v128 b) {
  __m128 t = _mm_max_ps(F(b), F(a));
  __m128 d = _mm_max_ps(F(a), F(b));
  d = _mm_xor_ps(d, t);
  t = _mm_or_ps(t, d);
  t = _mm_sub_ps(t, d);
  __m128 nan = _mm_cmpunord_ps(d, t);
  nan = _mm_castsi128_ps(_mm_srli_epi32(_mm_castps_si128(nan), 10));
  return V(_mm_andnot_ps(nan, t));
}
// pmin = b < a ? b : a and pmax = a < b ? b : a are exactly minps(b, a) and maxps(b, a).
[[gnu::always_inline]] inline v128 f32x4_pmin(v128 a, v128 b) {
  return V(_mm_min_ps(F(b), F(a)));
}
[[gnu::always_inline]] inline v128 f32x4_pmax(v128 a, v128 b) {
  return V(_mm_max_ps(F(b), F(a)));
}
[[gnu::always_inline]] inline v128 f32x4_convert_i32x4_s(v128 a) {
  return V(_mm_cvtepi32_ps(I(a)));
}
// Unsigned: the high and low 16-bit halves convert exactly; one rounding happens in the final add.
[[gnu::always_inline]] inline v128 f32x4_convert_i32x4_u(v128 a) {
  const __m128 hi = _mm_cvtepi32_ps(_mm_srli_epi32(I(a), 16));
  const __m128 lo = _mm_cvtepi32_ps(_mm_and_si128(I(a), _mm_set1_epi32(0xffff)));
  return V(_mm_add_ps(_mm_mul_ps(hi, _mm_set1_ps(65536.0f)), lo));
}
[[gnu::always_inline]] inline v128 f32x4_demote_f64x2_zero(v128 a) {
  return V(_mm_cvtpd_ps(D(a)));
}

// ---- f64x2 ----
[[gnu::always_inline]] inline v128 f64x2_ceil(v128 a) {
  return round_pd<Round::kCeil>(a);
}
[[gnu::always_inline]] inline v128 f64x2_floor(v128 a) {
  return round_pd<Round::kFloor>(a);
}
[[gnu::always_inline]] inline v128 f64x2_trunc(v128 a) {
  return round_pd<Round::kTrunc>(a);
}
[[gnu::always_inline]] inline v128 f64x2_nearest(v128 a) {
  return round_pd<Round::kNearest>(a);
}
[[gnu::always_inline]] inline v128 f64x2_abs(v128 a) {
  return V(_mm_and_si128(I(a), _mm_set1_epi64x(INT64_MAX)));
}
[[gnu::always_inline]] inline v128 f64x2_neg(v128 a) {
  return V(_mm_xor_si128(I(a), _mm_set1_epi64x(INT64_MIN)));
}
[[gnu::always_inline]] inline v128 f64x2_sqrt(v128 a) {
  return V(_mm_sqrt_pd(D(a)));
}
[[gnu::always_inline]] inline v128 f64x2_add(v128 a, v128 b) {
  return V(_mm_add_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_sub(v128 a, v128 b) {
  return V(_mm_sub_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_mul(v128 a, v128 b) {
  return V(_mm_mul_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_div(v128 a, v128 b) {
  return V(_mm_div_pd(D(a), D(b)));
}
[[gnu::always_inline]] inline v128 f64x2_min(v128 a, v128 b) {
  __m128d t = _mm_min_pd(D(b), D(a));
  const __m128d u = _mm_min_pd(D(a), D(b));
  t = _mm_or_pd(t, u);
  __m128d nan = _mm_cmpunord_pd(u, t);
  t = _mm_or_pd(t, nan);
  nan = _mm_castsi128_pd(_mm_srli_epi64(_mm_castpd_si128(nan), 13));
  return V(_mm_andnot_pd(nan, t));
}
[[gnu::always_inline]] inline v128 f64x2_max(v128 a, v128 b) {
  __m128d t = _mm_max_pd(D(b), D(a));
  __m128d d = _mm_max_pd(D(a), D(b));
  d = _mm_xor_pd(d, t);
  t = _mm_or_pd(t, d);
  t = _mm_sub_pd(t, d);
  __m128d nan = _mm_cmpunord_pd(d, t);
  nan = _mm_castsi128_pd(_mm_srli_epi64(_mm_castpd_si128(nan), 13));
  return V(_mm_andnot_pd(nan, t));
}
[[gnu::always_inline]] inline v128 f64x2_pmin(v128 a, v128 b) {
  return V(_mm_min_pd(D(b), D(a)));
}
[[gnu::always_inline]] inline v128 f64x2_pmax(v128 a, v128 b) {
  return V(_mm_max_pd(D(b), D(a)));
}
[[gnu::always_inline]] inline v128 f64x2_convert_low_i32x4_s(v128 a) {
  return V(_mm_cvtepi32_pd(I(a)));
}
// Unsigned: convert x - 2^31 (signed, exact) and add 2^31 back (exact in double).
[[gnu::always_inline]] inline v128 f64x2_convert_low_i32x4_u(v128 a) {
  return V(_mm_add_pd(_mm_cvtepi32_pd(flip32(I(a))), _mm_set1_pd(2147483648.0)));
}
[[gnu::always_inline]] inline v128 f64x2_promote_low_f32x4(v128 a) {
  return V(_mm_cvtps_pd(F(a)));
}

}  // namespace airwasm::interp::simd::fast
