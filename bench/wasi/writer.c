// bench/wasi: the stdout-throughput benchmark's program.
// Writes N MiB (argv[1], default 100) of text to stdout in 64 KiB writes.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char** argv) {
  long mib = argc > 1 ? atol(argv[1]) : 100;
  static char buf[65536];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (i % 64 == 63) ? '\n' : 'a' + i % 26;
  for (long i = 0; i < mib * 16; i++) {
    size_t off = 0;
    while (off < sizeof buf) { ssize_t n = write(1, buf + off, sizeof buf - off); if (n <= 0) return 1; off += n; }
  }
  return 0;
}
