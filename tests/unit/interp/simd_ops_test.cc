// Unit tests for the SIMD lane operations: every line of interp/simd_ops.def runs its fast path
// (simd::fast, the code the dispatch loop executes) and its scalar reference (simd::ref) on the same
// inputs and the results must agree, bit for bit on integer lanes and up to the NaN freedom the spec
// allows on float lanes. Inputs mix lane-typed edge cases (0, -1, min/max, +-0, +-inf, NaNs with payloads,
// signalling NaNs, subnormals, halfway and saturation boundaries) with random bits, for every lane width.
#include <gtest/gtest.h>

#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "interp/simd_fast.hh"
#include "interp/simd_ref.hh"

namespace airwasm::interp::simd {
namespace {

constexpr int kIterations = 20000;

std::string hex(v128 v) {
  const Lanes<uint32_t> l = lanes<uint32_t>(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%08x %08x %08x %08x", l[0], l[1], l[2], l[3]);
  return buf;
}

// ---- edge-case lane values per lane type ----
const std::vector<uint64_t>& edges(int kind) {
  static const std::vector<uint64_t> k8 = {0,    1,    2,    0x7f, 0x80, 0x81, 0xfe, 0xff,
                                           0x55, 0xaa, 0x0f, 0xf0, 7,    8,    9,    16};
  static const std::vector<uint64_t> k16 = {0,      1,      2,      0x7fff, 0x8000, 0x8001,
                                            0xfffe, 0xffff, 0x00ff, 0x0100, 0xff00, 0x4000,
                                            0xc000, 0x7f,   0x80,   0xff80, 0x5555, 0xaaaa};
  static const std::vector<uint64_t> k32 = {0,          1,          2,          0x7fffffff, 0x80000000,
                                            0x80000001, 0xffffffff, 0xfffffffe, 0x0000ffff, 0x00010000,
                                            0xffff0000, 0x00007fff, 0x00008000, 0xffff8000, 0xffff7fff,
                                            0x55555555, 0xaaaaaaaa, 0x12345678};
  static const std::vector<uint64_t> k64 = {0,
                                            1,
                                            2,
                                            0x7fffffffffffffff,
                                            0x8000000000000000,
                                            0x8000000000000001,
                                            0xffffffffffffffff,
                                            0x00000000ffffffff,
                                            0x0000000100000000,
                                            0xffffffff00000000,
                                            0x000000007fffffff,
                                            0x0000000080000000,
                                            0xffffffff80000000,
                                            0x5555555555555555,
                                            0x123456789abcdef0};
  static const std::vector<uint64_t> kf32 = [] {
    std::vector<uint64_t> v;
    const float values[] = {0.0f,
                            1.0f,
                            0.5f,
                            1.5f,
                            2.5f,
                            3.5f,
                            0.49999997f,
                            0.50000006f,
                            0.99999994f,
                            1.00000012f,
                            8388607.5f,
                            8388608.0f,
                            8388609.0f,
                            16777216.0f,
                            4194303.5f,
                            2147483520.0f,
                            2147483648.0f,
                            2147483904.0f,
                            4294967040.0f,
                            4294967296.0f,
                            65536.0f,
                            65535.5f,
                            1e-40f,
                            1.17549435e-38f,
                            3.40282347e38f,
                            1e30f,
                            123.456f,
                            0.1f,
                            std::numeric_limits<float>::infinity()};
    for (float f : values) {
      v.push_back(std::bit_cast<uint32_t>(f));
      v.push_back(std::bit_cast<uint32_t>(-f));
    }
    for (uint32_t nan : {0x7fc00000u, 0xffc00000u, 0x7fc00001u, 0x7fa00000u, 0x7f800001u, 0xff800001u,
                         0x7fffffffu, 0xffffffffu, 0x7f900000u})
      v.push_back(nan);
    for (uint32_t sub : {1u, 0x80000001u, 0x007fffffu, 0x807fffffu}) v.push_back(sub);
    return v;
  }();
  static const std::vector<uint64_t> kf64 = [] {
    std::vector<uint64_t> v;
    const double values[] = {0.0,
                             1.0,
                             0.5,
                             1.5,
                             2.5,
                             0.49999999999999994,
                             0.9999999999999999,
                             4503599627370495.5,
                             4503599627370496.0,
                             4503599627370497.0,
                             9007199254740992.0,
                             2251799813685247.5,
                             2147483647.0,
                             2147483647.5,
                             2147483648.0,
                             2147483648.5,
                             2147483649.0,
                             4294967295.0,
                             4294967295.5,
                             4294967296.0,
                             0.99,
                             1e-310,
                             2.2250738585072014e-308,
                             1.7976931348623157e308,
                             1e300,
                             3.4028234663852886e38,
                             3.4028235677973366e38,  // rounds to float infinity
                             1.401298464324817e-45,
                             7e-46,       // rounds to 0 or the smallest float subnormal
                             16777217.0,  // halfway between floats: ties to even
                             0.1,
                             std::numeric_limits<double>::infinity()};
    for (double d : values) {
      v.push_back(std::bit_cast<uint64_t>(d));
      v.push_back(std::bit_cast<uint64_t>(-d));
    }
    for (uint64_t nan :
         {0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff8000000000001ull, 0x7ff4000000000000ull,
          0x7ff0000000000001ull, 0xfff0000000000001ull, 0x7fffffffffffffffull, 0x7ff8000020000000ull})
      v.push_back(nan);
    return v;
  }();
  switch (kind) {
    case 0:
      return k8;
    case 1:
      return k16;
    case 2:
      return k32;
    case 3:
      return k64;
    case 4:
      return kf32;
    default:
      return kf64;
  }
}
constexpr int kLaneBytes[6] = {1, 2, 4, 8, 4, 8};

class Inputs {
 public:
  explicit Inputs(uint64_t seed) : rng_(seed) {}

  // A vector whose lanes (of a randomly chosen lane type) are mostly edge cases, sometimes random bits;
  // one vector in eight is entirely random.
  v128 vec() {
    uint8_t bytes[16];
    if (rng_() % 8 == 0) {
      for (uint8_t& b : bytes) b = uint8_t(rng_());
    } else {
      const int kind = int(rng_() % 6);
      const int w = kLaneBytes[kind];
      const std::vector<uint64_t>& e = edges(kind);
      for (int i = 0; i < 16; i += w) {
        uint64_t bits = rng_() % 5 == 0 ? rng_() : e[rng_() % e.size()];
        if (rng_() % 7 == 0 && kind < 4) bits = rng_() % 40 - 20;  // small numbers (lane indices, counts)
        std::memcpy(bytes + i, &bits, size_t(w));
      }
    }
    v128 v;
    std::memcpy(&v, bytes, 16);
    return v;
  }
  uint32_t count() {  // shift counts: in range, multiples of the lane width, huge
    switch (rng_() % 3) {
      case 0:
        return uint32_t(rng_() % 70);
      case 1:
        return uint32_t(rng_() % 300);
      default:
        return uint32_t(rng_());
    }
  }
  uint64_t scalar(bool wide) {
    const int kind = wide ? (rng_() % 2 ? 3 : 5) : int(rng_() % 5 == 4 ? 4 : rng_() % 3);
    if (rng_() % 5 == 0) return wide ? rng_() : uint32_t(rng_());
    const std::vector<uint64_t>& e = edges(kind);
    return e[rng_() % e.size()];
  }

 private:
  std::mt19937_64 rng_;
};

enum class Res { Int, F32, F64 };

bool is_canonical(uint64_t bits, int w) {
  return w == 4 ? (bits & 0x7fffffffu) == 0x7fc00000u
                : (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}
bool is_nan(uint64_t bits, int w) {
  return w == 4 ? (bits & 0x7fffffffu) > 0x7f800000u : (bits & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}
bool is_quiet_nan(uint64_t bits, int w) {
  return is_nan(bits, w) && (w == 4 ? (bits & 0x00400000u) != 0 : (bits & 0x0008000000000000ull) != 0);
}

// Float lanes agree if equal, or if both are NaN, the fast one is quiet (an arithmetic NaN) and it is
// canonical whenever the reference's is (the spec's rule for canonical NaN inputs).
bool agree(v128 fast, v128 ref, Res res) {
  if (std::memcmp(&fast, &ref, 16) == 0) return true;
  if (res == Res::Int) return false;
  const int w = res == Res::F32 ? 4 : 8;
  for (int i = 0; i < 16; i += w) {
    uint64_t f = 0, r = 0;
    std::memcpy(&f, reinterpret_cast<const uint8_t*>(&fast) + i, size_t(w));
    std::memcpy(&r, reinterpret_cast<const uint8_t*>(&ref) + i, size_t(w));
    if (f == r) continue;
    if (!is_nan(r, w) || !is_quiet_nan(f, w)) return false;
    if (is_canonical(r, w) && !is_canonical(f, w)) return false;
  }
  return true;
}

// ---- one checker per operation kind ----
struct Checker {
  const char* name;
  Res res;
  Inputs in{0x5eed};
  int failures = 0;

  void report(const std::string& args, v128 fast, v128 ref) {
    if (++failures > 5) return;
    ADD_FAILURE() << name << "(" << args << ")\n  fast: " << hex(fast) << "\n  ref:  " << hex(ref);
  }
  template <typename Fast, typename Ref>
  void check_Un(Fast f, Ref r) {
    for (int i = 0; i < kIterations; ++i) {
      const v128 a = in.vec();
      const v128 x = f(a), y = r(a);
      if (!agree(x, y, res)) report(hex(a), x, y);
    }
  }
  template <typename Fast, typename Ref>
  void check_Bin(Fast f, Ref r) {
    for (int i = 0; i < kIterations; ++i) {
      const v128 a = in.vec(), b = i % 16 == 0 ? a : in.vec();
      const v128 x = f(a, b), y = r(a, b);
      if (!agree(x, y, res)) report(hex(a) + ", " + hex(b), x, y);
    }
  }
  template <typename Fast, typename Ref>
  void check_Tern(Fast f, Ref r) {
    for (int i = 0; i < kIterations; ++i) {
      const v128 a = in.vec(), b = in.vec(), c = in.vec();
      const v128 x = f(a, b, c), y = r(a, b, c);
      if (!agree(x, y, res)) report(hex(a) + ", " + hex(b) + ", " + hex(c), x, y);
    }
  }
  template <typename Fast, typename Ref>
  void check_Shift(Fast f, Ref r) {
    for (int i = 0; i < kIterations; ++i) {
      const v128 a = in.vec();
      const uint32_t n = in.count();
      const v128 x = f(a, n), y = r(a, n);
      if (!agree(x, y, res)) report(hex(a) + ", " + std::to_string(n), x, y);
    }
  }
  template <typename Fast, typename Ref>
  void check_Test(Fast f, Ref r) {
    for (int i = 0; i < kIterations; ++i) {
      v128 a = in.vec();
      if (i % 4 == 0) a = v128{-1, -1};  // all_true needs all-nonzero inputs now and then
      if (i % 4 == 1) a = a | v128{0x0101010101010101, 0x0101010101010101};
      const uint32_t x = f(a), y = r(a);
      if (x != y && ++failures <= 5)
        ADD_FAILURE() << name << "(" << hex(a) << "): fast " << x << ", ref " << y;
    }
  }
  template <typename Fast, typename Ref>
  void check_Splat32(Fast f, Ref r) {
    for (int i = 0; i < kIterations; ++i) {
      const uint32_t a = uint32_t(in.scalar(false));
      const v128 x = f(a), y = r(a);
      if (!agree(x, y, res)) report(std::to_string(a), x, y);
    }
  }
  template <typename Fast, typename Ref>
  void check_Splat64(Fast f, Ref r) {
    for (int i = 0; i < kIterations; ++i) {
      const uint64_t a = in.scalar(true);
      const v128 x = f(a), y = r(a);
      if (!agree(x, y, res)) report(std::to_string(a), x, y);
    }
  }
};

// One test per line of simd_ops.def. The fast functions are always_inline: they are called directly
// from lambdas (never through a function pointer, which GCC refuses to inline).
#define AIRWASM_SIMD_OP(Name, fn, Kind, Result)                                                        \
  TEST(SimdOps, Name) {                                                                                \
    Checker c{#fn, Res::Result};                                                                       \
    c.check_##Kind([](auto... a) { return fast::fn(a...); }, [](auto... a) { return ref::fn(a...); }); \
  }
#include "interp/simd_ops.def"
#undef AIRWASM_SIMD_OP

TEST(SimdOps, I8x16Shuffle) {
  Checker c{"i8x16_shuffle", Res::Int};
  std::mt19937 rng(7);
  for (int i = 0; i < kIterations; ++i) {
    const v128 a = c.in.vec(), b = c.in.vec();
    uint8_t sel[16];
    for (uint8_t& s : sel) s = uint8_t(rng() % 32);
    const v128 x = fast::i8x16_shuffle(a, b, sel), y = ref::i8x16_shuffle(a, b, sel);
    if (!agree(x, y, Res::Int)) c.report(hex(a) + ", " + hex(b), x, y);
  }
}

// The reference itself, on values whose results the spec fixes (a guard against a wrong oracle).
TEST(SimdRef, SpecEdgeCases) {
  const auto f32 = [](float a, float b, float c, float d) { return from_lanes(Lanes<float>{{a, b, c, d}}); };
  const auto bits = [](v128 v) { return lanes<uint32_t>(v); };
  const float inf = std::numeric_limits<float>::infinity();
  // min/max: -0 < +0
  EXPECT_EQ(bits(ref::f32x4_min(f32(0.0f, -0.0f, 1, -inf), f32(-0.0f, 0.0f, 2, 3)))[0], 0x80000000u);
  EXPECT_EQ(bits(ref::f32x4_min(f32(0.0f, -0.0f, 1, -inf), f32(-0.0f, 0.0f, 2, 3)))[1], 0x80000000u);
  EXPECT_EQ(bits(ref::f32x4_max(f32(0.0f, -0.0f, 1, -inf), f32(-0.0f, 0.0f, 2, 3)))[0], 0x00000000u);
  // pmin/pmax return the first operand unless the second compares strictly less/greater.
  EXPECT_EQ(bits(ref::f32x4_pmin(f32(0.0f, -0.0f, 1, 1), f32(-0.0f, 0.0f, 2, 0)))[0], 0x00000000u);
  EXPECT_EQ(bits(ref::f32x4_pmin(f32(0.0f, -0.0f, 1, 1), f32(-0.0f, 0.0f, 2, 0)))[3], 0x00000000u);
  // nearest: ties to even, sign kept
  const Lanes<float> n = lanes<float>(ref::f32x4_nearest(f32(2.5f, -0.5f, 3.5f, -8388609.0f)));
  EXPECT_EQ(n[0], 2.0f);
  EXPECT_TRUE(std::signbit(n[1]) && n[1] == 0.0f);
  EXPECT_EQ(n[2], 4.0f);
  EXPECT_EQ(n[3], -8388609.0f);
  // ceil(-0.5) = -0
  EXPECT_EQ(bits(ref::f32x4_ceil(f32(-0.5f, 0, 0, 0)))[0], 0x80000000u);
  // trunc_sat saturates and maps NaN to 0
  const Lanes<int32_t> t =
      lanes<int32_t>(ref::i32x4_trunc_sat_f32x4_s(f32(3e9f, -3e9f, std::nanf(""), -1.9f)));
  EXPECT_EQ(t[0], INT32_MAX);
  EXPECT_EQ(t[1], INT32_MIN);
  EXPECT_EQ(t[2], 0);
  EXPECT_EQ(t[3], -1);
  // q15mulr_sat: the one saturating case
  const v128 m = ref::i16x8_splat(0x8000);
  EXPECT_EQ(lanes<int16_t>(ref::i16x8_q15mulr_sat_s(m, m))[0], 32767);
  // shifts are taken modulo the lane width
  EXPECT_EQ(lanes<uint8_t>(ref::i8x16_shl(ref::i8x16_splat(1), 9))[0], 2);
  EXPECT_EQ(lanes<int64_t>(ref::i64x2_shr_s(ref::i64x2_splat(uint64_t(-8)), 65))[1], -4);
}

}  // namespace
}  // namespace airwasm::interp::simd
