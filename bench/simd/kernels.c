// bench/simd: the C kernels of the SIMD benchmark. Compiled twice by clang for wasm32-wasi, once with
// -msimd128 (auto-vectorized to v128 code) and once without (scalar wasm), then run side by side through
// the public API by simd_bench.cc. No libc calls and no imports: the module is self-contained.
// Every kernel takes an element count and works on static arrays, so both builds do identical work.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define N_MAX 16384

static float xs[N_MAX], ys[N_MAX];
static uint8_t img_a[4 * N_MAX], img_b[4 * N_MAX], img_out[4 * N_MAX];
static int16_t s16_a[N_MAX], s16_b[N_MAX];
#define M 32
static float ma[M * M], mb[M * M], mc[M * M];
static uint32_t words[N_MAX];

EXPORT("init") void init(void) {
  uint32_t s = 12345;
  for (int i = 0; i < N_MAX; ++i) {
    s = s * 1103515245u + 12345u;
    xs[i] = (float)(s >> 8) * (1.0f / 16777216.0f);
    ys[i] = (float)(s & 0xffff) * (1.0f / 65536.0f);
    s16_a[i] = (int16_t)(s >> 3);
    s16_b[i] = (int16_t)(s >> 17);
    words[i] = s;
  }
  for (int i = 0; i < 4 * N_MAX; ++i) {
    s = s * 1103515245u + 12345u;
    img_a[i] = (uint8_t)(s >> 24);
    img_b[i] = (uint8_t)(s >> 16);
  }
  for (int i = 0; i < M * M; ++i) {
    ma[i] = (float)(i % 7) * 0.5f;
    mb[i] = (float)(i % 5) * 0.25f;
  }
}

// Single-precision dot product. Without -ffast-math clang may not reorder a float reduction, so it is
// written over four explicit partial sums: the -msimd128 build keeps them in one f32x4 and both builds
// compute bit-identical results.
EXPORT("dot") float dot(int n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int i = 0; i + 4 <= n; i += 4) {
    s0 += xs[i] * ys[i];
    s1 += xs[i + 1] * ys[i + 1];
    s2 += xs[i + 2] * ys[i + 2];
    s3 += xs[i + 3] * ys[i + 3];
  }
  return (s0 + s1) + (s2 + s3);
}

// y = a*x + y.
EXPORT("saxpy") void saxpy(int n, float a) {
  for (int i = 0; i < n; ++i) ys[i] = a * xs[i] + ys[i];
}

// Alpha blend of two RGBA images, 8-bit fixed point: out = (a*alpha + b*(255-alpha) + 127) / 255.
EXPORT("blend") void blend(int n, int alpha) {
  const uint16_t al = (uint16_t)alpha, bl = (uint16_t)(255 - alpha);
  for (int i = 0; i < 4 * n; ++i) {
    uint16_t v = (uint16_t)(img_a[i] * al + img_b[i] * bl + 128);
    img_out[i] = (uint8_t)((v + (v >> 8)) >> 8);
  }
}

// Reads the blend output back (keeps the stores of blend observable to the optimizer).
EXPORT("blend_checksum") uint32_t blend_checksum(int n) {
  uint32_t s = 0;
  for (int i = 0; i < 4 * n; ++i) s = s * 31u + img_out[i];
  return s;
}

// Integer dot product of int16 vectors into int32 (i32x4.dot_i16x8_s style).
EXPORT("dot_i16") int32_t dot_i16(int n) {
  int32_t s = 0;
  for (int i = 0; i < n; ++i) s += (int32_t)s16_a[i] * s16_b[i];
  return s;
}

// 32x32 single-precision matrix multiply, repeated `reps` times.
EXPORT("matmul") float matmul(int reps) {
  for (int r = 0; r < reps; ++r) {
    for (int i = 0; i < M; ++i) {
      for (int j = 0; j < M; ++j) mc[i * M + j] = 0;
      for (int k = 0; k < M; ++k) {
        const float a = ma[i * M + k];
        for (int j = 0; j < M; ++j) mc[i * M + j] += a * mb[k * M + j];
      }
    }
  }
  return mc[M * M - 1];
}

// A scalar-only kernel (no vectorizable loop): integer hashing with data-dependent control flow.
// Used to check that the SIMD handlers do not slow the non-SIMD dispatch path.
EXPORT("scalar_hash") uint32_t scalar_hash(int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; ++i) {
    uint32_t w = words[i];
    if (w & 1) h = (h ^ (w >> 3)) * 16777619u;
    else h = (h + (w << 5)) ^ (h >> 13);
    h = (h << 7) | (h >> 25);
  }
  return h;
}

// Scalar recursion: calls and branches.
EXPORT("fib") int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
