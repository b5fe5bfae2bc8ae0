/* tests/wasi: clocks. The monotonic clock increases, a 50 ms nanosleep (poll_oneoff with a clock
 * subscription under WASI) lasts at least 50 ms, the resolution is sane, and the realtime clock is within
 * 5 s of the host's time, which the test passes as argv[1] (seconds since the epoch). */
#include <stdlib.h>
#include <time.h>

#include "common.h"

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(int argc, char** argv) {
  struct timespec a, b, res;
  clock_gettime(CLOCK_MONOTONIC, &a);
  volatile unsigned x = 0;
  for (unsigned i = 0; i < 1000000; ++i) x += i;
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("monotonic increases: %s\n", ns(b) > ns(a) ? "yes" : "no");
  struct timespec req = {0, 50 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &a);
  nanosleep(&req, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long slept = ns(b) - ns(a);
  printf("slept at least 50ms: %s\n", slept >= 50000000LL ? "yes" : "no");
  printf("slept less than 2s: %s\n", slept < 2000000000LL ? "yes" : "no");
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("resolution sane: %s\n", ns(res) > 0 && ns(res) <= 1000000 ? "yes" : "no");
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  long long host = argc > 1 ? atoll(argv[1]) : 0;
  long long diff = (long long)now.tv_sec - host;
  printf("realtime near host: %s\n", diff >= -5 && diff <= 5 ? "yes" : "no");
  printf("time() agrees: %s\n", llabs((long long)time(NULL) - (long long)now.tv_sec) <= 1 ? "yes" : "no");
  return 0;
}
