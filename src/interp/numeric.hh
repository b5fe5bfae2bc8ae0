// interp: the spec's numeric semantics that C++ operators do not give directly: float min/max/nearest with
// NaN and signed-zero rules, trapping and saturating float->int truncation, integer division traps.
// Inline so the dispatch loop (and the SIMD scalar paths) compile them in place.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace airwasm::interp::num {

template <typename F>
inline bool is_nan(F x) {
  return x != x;
}

// a + b and a * b with the NaN of `a` winning when both are NaN (x86 keeps the first source operand's).
// The C++ operators let the compiler commute them, and g++ does so differently per optimization level;
// the baseline compiler emits this same order, so both tiers give the same bits in every build. (Any NaN
// is correct per the spec; -ffp-contract=off keeps these from fusing either way.)
template <typename F>
inline F add(F a, F b) {
#if defined(__x86_64__) && defined(__SSE2__)
  if constexpr (sizeof(F) == 4)
    asm("addss %1, %0" : "+x"(a) : "x"(b));
  else
    asm("addsd %1, %0" : "+x"(a) : "x"(b));
  return a;
#else
  return a + b;
#endif
}
template <typename F>
inline F mul(F a, F b) {
#if defined(__x86_64__) && defined(__SSE2__)
  if constexpr (sizeof(F) == 4)
    asm("mulss %1, %0" : "+x"(a) : "x"(b));
  else
    asm("mulsd %1, %0" : "+x"(a) : "x"(b));
  return a;
#else
  return a * b;
#endif
}

// fmin/fmax per spec: NaN if either is NaN; -0 < +0.
template <typename F>
inline F fmin(F a, F b) {
  if (is_nan(a) || is_nan(b)) return add(a, b);  // an arithmetic NaN
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <typename F>
inline F fmax(F a, F b) {
  if (is_nan(a) || is_nan(b)) return add(a, b);
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// Rounding: libm returns a signalling NaN unchanged, the spec wants it quieted (x + x does that).
template <typename F>
inline F ceil(F x) {
  return is_nan(x) ? x + x : std::ceil(x);
}
template <typename F>
inline F floor(F x) {
  return is_nan(x) ? x + x : std::floor(x);
}
template <typename F>
inline F trunc(F x) {
  return is_nan(x) ? x + x : std::trunc(x);
}
inline float nearest(float x) {
  return is_nan(x) ? x + x : __builtin_roundevenf(x);
}
inline double nearest(double x) {
  return is_nan(x) ? x + x : __builtin_roundeven(x);
}

// Sign manipulation on the bits: must not touch NaN payloads.
inline float fabs_bits(float x) {
  return std::bit_cast<float>(std::bit_cast<uint32_t>(x) & 0x7fffffffu);
}
inline double fabs_bits(double x) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(x) & 0x7fffffffffffffffull);
}
inline float fneg_bits(float x) {
  return std::bit_cast<float>(std::bit_cast<uint32_t>(x) ^ 0x80000000u);
}
inline double fneg_bits(double x) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(x) ^ 0x8000000000000000ull);
}
inline float copysign_bits(float a, float b) {
  return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & 0x7fffffffu) |
                              (std::bit_cast<uint32_t>(b) & 0x80000000u));
}
inline double copysign_bits(double a, double b) {
  return std::bit_cast<double>((std::bit_cast<uint64_t>(a) & 0x7fffffffffffffffull) |
                               (std::bit_cast<uint64_t>(b) & 0x8000000000000000ull));
}

// Range of float values whose truncation fits integer type I: lo < x < hi (exclusive bounds chosen so
// that every representable float strictly inside truncates into range).
template <typename I, typename F>
struct TruncBounds;
template <>
struct TruncBounds<int32_t, float> {
  static constexpr float lo = -2147483904.0f, hi = 2147483648.0f;
};
template <>
struct TruncBounds<int32_t, double> {
  static constexpr double lo = -2147483649.0, hi = 2147483648.0;
};
template <>
struct TruncBounds<uint32_t, float> {
  static constexpr float lo = -1.0f, hi = 4294967296.0f;
};
template <>
struct TruncBounds<uint32_t, double> {
  static constexpr double lo = -1.0, hi = 4294967296.0;
};
template <>
struct TruncBounds<int64_t, float> {
  static constexpr float lo = -9223373136366403584.0f, hi = 9223372036854775808.0f;
};
template <>
struct TruncBounds<int64_t, double> {
  static constexpr double lo = -9223372036854777856.0, hi = 9223372036854775808.0;
};
template <>
struct TruncBounds<uint64_t, float> {
  static constexpr float lo = -1.0f, hi = 18446744073709551616.0f;
};
template <>
struct TruncBounds<uint64_t, double> {
  static constexpr double lo = -1.0, hi = 18446744073709551616.0;
};

enum class TruncResult { kOk, kNaN, kOverflow };

template <typename I, typename F>
inline TruncResult trunc_checked(F x, I* out) {
  if (is_nan(x)) return TruncResult::kNaN;
  if (!(x > TruncBounds<I, F>::lo && x < TruncBounds<I, F>::hi)) return TruncResult::kOverflow;
  *out = static_cast<I>(x);
  return TruncResult::kOk;
}

template <typename I, typename F>
inline I trunc_sat(F x) {
  if (is_nan(x)) return 0;
  if (!(x > TruncBounds<I, F>::lo)) return std::numeric_limits<I>::min();
  if (!(x < TruncBounds<I, F>::hi)) return std::numeric_limits<I>::max();
  return static_cast<I>(x);
}

}  // namespace airwasm::interp::num
