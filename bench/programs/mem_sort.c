/* mem_sort: memory access.
 * Three kernels on arrays well beyond L2: an in-place quicksort of 32-bit keys (median of three,
 * insertion sort for short ranges, recursion only on the smaller side so depth stays logarithmic),
 * a dependent pointer-chasing walk around one random cycle (Sattolo's construction; every load waits
 * for the previous one and misses the cache), and a naive matrix transpose whose writes stride by a row.
 * Stresses loads/stores, address arithmetic and the memory bounds checks of a wasm runtime. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef BENCH_SMALL
#define SORT_N (1u << 16)
#define WALK_N (1u << 16)
#define TRANSPOSE_DIM 256u
#define TRANSPOSE_REPS 2
#else
#define SORT_N (2u << 20)   /* 8 MiB of keys */
#define WALK_N (1u << 21)   /* 8 MiB cycle */
#define TRANSPOSE_DIM 2048u /* 16 MiB matrix */
#define TRANSPOSE_REPS 2
#endif

static uint64_t rng_state = 0xB7E151628AED2A6Bull;

static uint32_t rng32(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  rng_state = x;
  return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Uniform in [0, n) without modulo bias worth caring about here (n < 2^32, 64-bit product). */
static uint32_t rng_below(uint32_t n) {
  return (uint32_t)(((uint64_t)rng32() * n) >> 32);
}

static void insertion_sort(uint32_t* a, int64_t lo, int64_t hi) {
  for (int64_t i = lo + 1; i <= hi; i++) {
    uint32_t v = a[i];
    int64_t j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static inline void swap32(uint32_t* a, int64_t i, int64_t j) {
  uint32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quick_sort(uint32_t* a, int64_t lo, int64_t hi) {
  while (hi - lo > 24) {
    int64_t mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap32(a, mid, lo);
    if (a[hi] < a[lo]) swap32(a, hi, lo);
    if (a[hi] < a[mid]) swap32(a, hi, mid);
    uint32_t pivot = a[mid];
    int64_t i = lo - 1, j = hi + 1;
    for (;;) { /* Hoare partition */
      do i++;
      while (a[i] < pivot);
      do j--;
      while (a[j] > pivot);
      if (i >= j) break;
      swap32(a, i, j);
    }
    if (j - lo < hi - j) {
      quick_sort(a, lo, j);
      lo = j + 1;
    } else {
      quick_sort(a, j + 1, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

static uint64_t sort_kernel(void) {
  uint32_t* a = malloc(SORT_N * sizeof(uint32_t));
  if (!a) exit(2);
  for (uint32_t i = 0; i < SORT_N; i++) a[i] = rng32() & 0x3FFFFFFFu; /* some duplicates */
  quick_sort(a, 0, (int64_t)SORT_N - 1);
  uint64_t sum = 0;
  for (uint32_t i = 0; i < SORT_N; i++) {
    if (i && a[i - 1] > a[i]) {
      printf("sort FAILED at %u\n", i);
      exit(1);
    }
    sum += (uint64_t)a[i] * (i + 1u);
  }
  free(a);
  return sum;
}

static uint64_t walk_kernel(void) {
  uint32_t* next = malloc(WALK_N * sizeof(uint32_t));
  if (!next) exit(2);
  for (uint32_t i = 0; i < WALK_N; i++) next[i] = i;
  for (uint32_t i = WALK_N - 1; i > 0; i--) swap32(next, i, rng_below(i)); /* Sattolo: one cycle */
  uint64_t h = 0;
  uint32_t p = 0;
  for (uint32_t step = 0; step < WALK_N; step++) {
    p = next[p];
    h = (h ^ p) * 0x100000001B3ull;
  }
  if (p != 0) { /* a single cycle of length WALK_N returns to its start */
    printf("walk FAILED: ended at %u\n", p);
    exit(1);
  }
  free(next);
  return h;
}

static uint64_t transpose_kernel(void) {
  const uint32_t n = TRANSPOSE_DIM;
  uint32_t* m = malloc((size_t)n * n * sizeof(uint32_t));
  uint32_t* t = malloc((size_t)n * n * sizeof(uint32_t));
  if (!m || !t) exit(2);
  for (uint32_t i = 0; i < n * n; i++) m[i] = i * 2654435761u;
  for (int rep = 0; rep < TRANSPOSE_REPS; rep++) {
    for (uint32_t r = 0; r < n; r++)
      for (uint32_t c = 0; c < n; c++) t[(size_t)c * n + r] = m[(size_t)r * n + c] + (uint32_t)rep;
    uint32_t* tmp = m;
    m = t;
    t = tmp;
  }
  uint64_t h = 0;
  for (uint32_t i = 0; i < n * n; i += 7) h = (h + m[i]) * 31u;
  free(m);
  free(t);
  return h;
}

int main(void) {
  uint64_t s = sort_kernel();
  uint64_t w = walk_kernel();
  uint64_t t = transpose_kernel();
  printf("sort %016llx\n", (unsigned long long)s);
  printf("walk %016llx\n", (unsigned long long)w);
  printf("transpose %016llx\n", (unsigned long long)t);
  return 0;
}
