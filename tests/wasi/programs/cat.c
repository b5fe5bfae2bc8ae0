/* tests/wasi: stdin to stdout. Polls stdin first (poll_oneoff with an fd_read subscription; the test
 * pipes a file in, so it is ready at once), then copies it through in 1000-byte reads; the byte count
 * goes to stderr so that stdout is exactly the input. */
#include <poll.h>
#include <unistd.h>

#include "common.h"

int main(void) {
  struct pollfd p = {0, POLLIN, 0};
  int ready = poll(&p, 1, 5000);
  fprintf(stderr, "poll: %d %s\n", ready, (p.revents & POLLIN) ? "POLLIN" : "-");
  char buf[1000];
  long total = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n <= 0) break;
    ssize_t off = 0;
    while (off < n) {
      ssize_t w = write(1, buf + off, n - off);
      if (w <= 0) return 1;
      off += w;
    }
    total += n;
  }
  fprintf(stderr, "copied %ld bytes\n", total);
  return 0;
}
