/* mixed_lz: a "realistic" mixed workload, an LZ77 codec.
 * Generates two inputs (word-based text with a skewed vocabulary, and fixed-size binary records),
 * compresses each with a hash-chain match finder (64 KiB window, greedy matching with one step of lazy
 * evaluation), decompresses, verifies the round trip and hashes the compressed stream.
 * Mixes byte loads/stores, hashing, data-dependent branches, short copy loops and calls.
 * The compressed format is this program's own: repeated [varint literal count][literals]
 * [varint match length - 4][u16 distance], ending after a literal run that reaches the input size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BENCH_SMALL
#define TEXT_BYTES (1u << 17)
#define RECORD_COUNT 4000u
#define ROUNDS 1
#else
#define TEXT_BYTES (3u << 20)
#define RECORD_COUNT 120000u
#define ROUNDS 2
#endif

#define WINDOW_BITS 16
#define WINDOW_SIZE (1u << WINDOW_BITS)
#define WINDOW_MASK (WINDOW_SIZE - 1u)
#define HASH_BITS 15
#define MIN_MATCH 4u
#define MAX_MATCH 273u
#define MAX_CHAIN 48

static uint64_t rng_state = 0xC0FFEE1234567ull;
static uint32_t rng32(void) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33);
}

/* ---------------- inputs ---------------- */
static uint8_t* make_text(size_t n) {
  static const char* const kSyllables[] = {"ka",  "to", "ri", "men", "sa", "lo",  "ven", "dra", "qu",  "is",
                                           "ath", "el", "on", "ur",  "bi", "tes", "no",  "ga",  "lim", "pe"};
  enum { kWords = 600 };
  char words[kWords][16];
  for (int w = 0; w < kWords; w++) {
    int len = 0, syl = 1 + (int)(rng32() % 4u);
    for (int s = 0; s < syl; s++) {
      const char* p = kSyllables[rng32() % 20u];
      while (*p && len < 15) words[w][len++] = *p++;
    }
    words[w][len] = 0;
  }
  uint8_t* t = malloc(n);
  if (!t) exit(2);
  size_t at = 0;
  int sentence = 0;
  while (at < n) {
    uint32_t r = rng32();
    /* product of two uniforms: small indices (common words) are much more likely */
    uint32_t idx = ((r & 0x3FFu) * ((r >> 10) & 0x3FFu)) % kWords;
    const char* w = words[idx];
    if (sentence == 0 && at < n) t[at++] = (uint8_t)(w[0] - 'a' + 'A'), w++;
    while (*w && at < n) t[at++] = (uint8_t)*w++;
    sentence++;
    if (at >= n) break;
    if ((r >> 20) % 11u == 0 || sentence > 14) {
      t[at++] = (r >> 24) & 1u ? '.' : '!';
      if (at < n) t[at++] = (r >> 25) % 4u ? ' ' : '\n';
      sentence = 0;
    } else if ((r >> 20) % 7u == 0) {
      t[at++] = ',';
      if (at < n) t[at++] = ' ';
    } else {
      t[at++] = ' ';
    }
  }
  return t;
}

typedef struct {
  uint32_t id;
  uint16_t kind, flags;
  int32_t x, y;
  uint8_t name[8];
} Record; /* 24 bytes, no padding */

static uint8_t* make_records(size_t count, size_t* bytes) {
  Record* rec = malloc(count * sizeof(Record));
  if (!rec) exit(2);
  int32_t x = 0, y = 0;
  for (size_t i = 0; i < count; i++) {
    uint32_t r = rng32();
    x += (int32_t)(r % 17u) - 8;
    y += (int32_t)((r >> 5) % 5u) - 2;
    rec[i].id = 100000u + (uint32_t)i;
    rec[i].kind = (uint16_t)((r >> 9) % 6u);
    rec[i].flags = (uint16_t)((r >> 13) & 0x11u);
    rec[i].x = x;
    rec[i].y = y;
    memcpy(rec[i].name, (r >> 16) % 3u ? "sensor\0\0" : "gateway\0", 8);
  }
  *bytes = count * sizeof(Record);
  return (uint8_t*)rec;
}

/* ---------------- compressor ---------------- */
static int32_t head[1u << HASH_BITS];
static int32_t chain[WINDOW_SIZE];

static inline uint32_t hash4(const uint8_t* p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

static inline void insert(const uint8_t* in, uint32_t pos) {
  uint32_t h = hash4(in + pos);
  chain[pos & WINDOW_MASK] = head[h];
  head[h] = (int32_t)pos;
}

/* Longest match for position pos among earlier positions in the window; returns length, sets *dist. */
static uint32_t find_match(const uint8_t* in, uint32_t pos, uint32_t n, uint32_t* dist) {
  uint32_t best = 0, limit = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
  if (limit < MIN_MATCH) return 0;
  int32_t cand = head[hash4(in + pos)];
  for (int tries = 0; tries < MAX_CHAIN && cand >= 0; tries++) {
    uint32_t c = (uint32_t)cand;
    if (pos - c >= WINDOW_SIZE) break;
    if (in[c + best] == in[pos + best]) { /* cheap reject before the full compare */
      uint32_t len = 0;
      while (len < limit && in[c + len] == in[pos + len]) len++;
      if (len > best) {
        best = len;
        *dist = pos - c;
        if (len == limit) break;
      }
    }
    cand = chain[c & WINDOW_MASK];
  }
  return best >= MIN_MATCH ? best : 0;
}

static size_t put_varint(uint8_t* out, size_t o, uint32_t v) {
  while (v >= 0x80u) {
    out[o++] = (uint8_t)(v | 0x80u);
    v >>= 7;
  }
  out[o++] = (uint8_t)v;
  return o;
}

static size_t compress(const uint8_t* in, uint32_t n, uint8_t* out) {
  for (uint32_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
  size_t o = 0;
  uint32_t pos = 0, lit_start = 0;
  while (pos + MIN_MATCH <= n) {
    uint32_t dist = 0, len = find_match(in, pos, n, &dist);
    insert(in, pos);
    if (!len) {
      pos++;
      continue;
    }
    if (pos + 1 + MIN_MATCH <= n) { /* lazy step: a longer match one byte later wins */
      uint32_t dist2 = 0, len2 = find_match(in, pos + 1, n, &dist2);
      if (len2 > len + 1) {
        pos++;
        insert(in, pos);
        len = len2;
        dist = dist2;
      }
    }
    o = put_varint(out, o, pos - lit_start);
    memcpy(out + o, in + lit_start, pos - lit_start);
    o += pos - lit_start;
    o = put_varint(out, o, len - MIN_MATCH);
    out[o++] = (uint8_t)dist;
    out[o++] = (uint8_t)(dist >> 8);
    for (uint32_t k = 1; k < len; k++)
      if (pos + k + MIN_MATCH <= n) insert(in, pos + k);
    pos += len;
    lit_start = pos;
  }
  o = put_varint(out, o, n - lit_start);
  memcpy(out + o, in + lit_start, n - lit_start);
  return o + (n - lit_start);
}

static uint32_t get_varint(const uint8_t* in, size_t* i) {
  uint32_t v = 0;
  for (int shift = 0;; shift += 7) {
    uint8_t b = in[(*i)++];
    v |= (uint32_t)(b & 0x7Fu) << shift;
    if (!(b & 0x80u)) return v;
  }
}

static int decompress(const uint8_t* in, size_t in_len, uint8_t* out, uint32_t n) {
  size_t i = 0;
  uint32_t o = 0;
  for (;;) {
    uint32_t lits = get_varint(in, &i);
    if (lits > n - o || lits > in_len - i) return -1;
    for (uint32_t k = 0; k < lits; k++) out[o++] = in[i++];
    if (o == n) return i == in_len ? 0 : -1;
    uint32_t len = get_varint(in, &i) + MIN_MATCH;
    uint32_t dist = (uint32_t)in[i] | (uint32_t)in[i + 1] << 8;
    i += 2;
    if (dist == 0 || dist > o || len > n - o) return -1;
    const uint8_t* src = out + o - dist;
    for (uint32_t k = 0; k < len; k++) out[o + k] = src[k]; /* may overlap: byte by byte */
    o += len;
  }
}

static uint32_t fnv1a(const uint8_t* p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static void run(const char* name, const uint8_t* in, uint32_t n) {
  uint8_t* packed = malloc(n + n / 64 + 64);
  uint8_t* back = malloc(n);
  if (!packed || !back) exit(2);
  size_t packed_len = 0;
  uint32_t h = 0;
  for (int round = 0; round < ROUNDS; round++) {
    packed_len = compress(in, n, packed);
    if (decompress(packed, packed_len, back, n) != 0 || memcmp(in, back, n) != 0) {
      printf("%s: round trip FAILED\n", name);
      exit(1);
    }
    h = h * 31u + fnv1a(packed, packed_len);
  }
  printf("%s: %u -> %zu bytes (%.3f), hash %08x\n", name, n, packed_len, (double)packed_len / n, h);
  free(packed);
  free(back);
}

int main(void) {
  uint8_t* text = make_text(TEXT_BYTES);
  run("text", text, TEXT_BYTES);
  size_t rec_bytes = 0;
  uint8_t* records = make_records(RECORD_COUNT, &rec_bytes);
  run("records", records, (uint32_t)rec_bytes);
  free(text);
  free(records);
  return 0;
}
