/* tests/wasi: a guest that tries to hold the host: it sleeps, blocks reading stdin, writes to a closed
 * pipe, or opens files until it cannot. wasm-only (run by hostile.sh): the host must stop it on
 * --timeout within milliseconds, report EPIPE to it, and cap its descriptors with EMFILE.
 *   hostile sleep   sleeps 30 s (poll_oneoff on a clock)
 *   hostile read    reads stdin until EOF (fd_read on a pipe that stays open and empty)
 *   hostile yes     writes "y" lines until a write fails; prints the errno on stderr; exits 0 on EPIPE
 *   hostile open    opens the same file until open fails; prints the errno and count; closes one and
 *                   opens again, which must work */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "sleep")) {
    sleep(30);
    puts("woke up after 30 s");
    return 1;
  }
  if (!strcmp(mode, "read")) {
    char buf[256];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
    }
    printf("read returned %zd\n", n);
    return 1;
  }
  if (!strcmp(mode, "yes")) {
    static const char line[] = "y\n";
    for (;;) {
      if (write(1, line, 2) < 0) {
        fprintf(stderr, "write failed: %s\n", errno == EPIPE ? "EPIPE" : "other error");
        return errno == EPIPE ? 0 : 1;
      }
    }
  }
  if (!strcmp(mode, "open")) {
    int count = 0, last = -1;
    for (;;) {
      int fd = open("file.txt", O_RDONLY | O_CREAT, 0644);
      if (fd < 0) break;
      last = fd;
      ++count;
    }
    printf("opened %d, then %s\n", count, errno == EMFILE ? "EMFILE" : errno == ENFILE ? "ENFILE" : "other");
    if (last >= 0 && close(last) == 0 && open("file.txt", O_RDONLY) >= 0) puts("reopened after a close");
    return 0;
  }
  fprintf(stderr, "usage: hostile sleep|read|yes|open\n");
  return 2;
}
