/* tests/wasi: random_get through getentropy(): two 32-byte draws differ and are not all zero; a large
 * request (64 KiB, in the chunks getentropy allows) succeeds. */
#include <string.h>
#include <unistd.h>

#include "common.h"

int main(void) {
  unsigned char a[32], b[32], zero[32] = {0};
  report("getentropy a", getentropy(a, sizeof a));
  report("getentropy b", getentropy(b, sizeof b));
  printf("draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
  printf("not all zero: %s\n", memcmp(a, zero, sizeof a) ? "yes" : "no");
  static unsigned char big[65536];
  int ok = 1;
  for (size_t i = 0; i < sizeof big; i += 256) ok &= getentropy(big + i, 256) == 0;
  int nonzero = 0;
  for (size_t i = 0; i < sizeof big; ++i) nonzero += big[i] != 0;
  printf("64 KiB filled: %s\n", ok && nonzero > 60000 ? "yes" : "no");
  return 0;
}
