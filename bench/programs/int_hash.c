/* int_hash: integer arithmetic.
 * Three kernels over a pseudo-random buffer: a byte-wise table CRC-32, a 64-bit multiply/rotate mixer over
 * 64-bit words, and a Fermat probable-prime count built on 64-bit modular multiplication. Together they
 * stress i32/i64 ALU ops, shifts and rotates, a table lookup per byte and i64 division/remainder.
 * Prints checksums only; the output must be identical on every runtime. Same source for native and wasm. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef BENCH_SMALL
#define BUF_WORDS (1u << 15)
#define CRC_PASSES 2
#define MIX_PASSES 4
#define PRIME_COUNT 20000u
#else
#define BUF_WORDS (1u << 20) /* 8 MiB */
#define CRC_PASSES 6
#define MIX_PASSES 24
#define PRIME_COUNT 600000u
#endif

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static uint64_t rng_next(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  rng_state = x;
  return x * 0x2545F4914F6CDD1Dull;
}

static inline uint64_t rotl64(uint64_t x, unsigned r) {
  return (x << r) | (x >> (64u - r));
}
static inline uint32_t rotl32(uint32_t x, unsigned r) {
  return (x << r) | (x >> (32u - r));
}

static uint32_t crc_table[256];

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    crc_table[i] = c;
  }
}

static uint32_t crc32_update(uint32_t crc, const uint8_t* p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

/* Two lanes so that the multiply latency of one overlaps the other; the lanes feed each other. */
static uint64_t mix_words(const uint64_t* w, size_t n, uint64_t seed) {
  uint64_t a = seed ^ 0x9E3779B97F4A7C15ull, b = ~seed;
  for (size_t i = 0; i < n; i++) {
    uint64_t v = w[i];
    a = rotl64(a ^ v, 23) * 0xD6E8FEB86659FD93ull;
    b = ((b + rotl64(v, 41)) * 0xA0761D6478BD642Full) ^ (a >> 29);
  }
  a ^= rotl64(b, 17);
  a ^= a >> 31;
  a *= 0x94D049BB133111EBull;
  return a ^ (a >> 29);
}

/* A 32-bit lane hash: exercises i32 mul/rotate/xor with a data-dependent rotate amount. */
static uint32_t mix32(const uint32_t* w, size_t n) {
  uint32_t h = 0x811C9DC5u;
  for (size_t i = 0; i < n; i++) {
    uint32_t v = w[i];
    h = rotl32(h ^ v, (v & 15u) + 1u) * 0x01000193u;
    h += (h >> 15) ^ (v << 3);
  }
  return h;
}

static uint32_t powmod(uint32_t base, uint32_t e, uint32_t m) {
  uint64_t r = 1, x = base % m;
  while (e) {
    if (e & 1u) r = r * x % m;
    x = x * x % m;
    e >>= 1;
  }
  return (uint32_t)r;
}

/* Fermat test to bases 2, 3, 5, 7: cheap and deterministic; pseudoprimes simply count. */
static int probably_prime(uint32_t n) {
  if (n < 2) return 0;
  static const uint32_t small[] = {2, 3, 5, 7};
  for (int i = 0; i < 4; i++) {
    if (n == small[i]) return 1;
    if (n % small[i] == 0) return 0;
  }
  for (int i = 0; i < 4; i++)
    if (powmod(small[i], n - 1, n) != 1) return 0;
  return 1;
}

int main(void) {
  crc_init();
  static const char kCheck[] = "123456789";
  if (crc32_update(0, (const uint8_t*)kCheck, 9) != 0xCBF43926u) {
    printf("crc self-test FAILED\n");
    return 1;
  }

  uint64_t* buf = malloc(BUF_WORDS * sizeof(uint64_t));
  if (!buf) return 2;
  for (size_t i = 0; i < BUF_WORDS; i++) buf[i] = rng_next();

  uint32_t crc = 0;
  for (int p = 0; p < CRC_PASSES; p++) {
    crc = crc32_update(crc, (const uint8_t*)buf, BUF_WORDS * sizeof(uint64_t));
    buf[p] ^= crc; /* make each pass depend on the previous one */
  }

  uint64_t mix = 0;
  uint32_t m32 = 0;
  for (int p = 0; p < MIX_PASSES; p++) {
    mix ^= mix_words(buf, BUF_WORDS, mix + (uint64_t)p);
    m32 ^= mix32((const uint32_t*)buf, BUF_WORDS * 2u) + (uint32_t)p;
    buf[(mix >> 7) % BUF_WORDS] += mix;
  }

  uint32_t primes = 0, prime_hash = 0;
  uint32_t base = 0x40000001u;
  for (uint32_t i = 0; i < PRIME_COUNT; i++) {
    uint32_t n = base + 2u * i;
    if (probably_prime(n)) {
      primes++;
      prime_hash = rotl32(prime_hash ^ n, 5) * 0x9E3779B1u;
    }
  }

  printf("crc32 %08x\n", crc);
  printf("mix64 %016llx\n", (unsigned long long)mix);
  printf("mix32 %08x\n", m32);
  printf("primes %u hash %08x\n", primes, prime_hash);
  free(buf);
  return 0;
}
