// wasi: the shared operating-system layer's clocks and random bytes (os.hh); from_host_errno is in
// context.cc with the rest of preview 1's errno table.
#include "wasi/os.hh"

#include <sys/random.h>

#include <cerrno>

namespace airwasm::wasi::internal {

uint64_t to_nanos(const timespec& ts) {
  return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

int clock_now_ns(clockid_t clock, uint64_t& out) {
  timespec ts{};
  if (::clock_gettime(clock, &ts) != 0) return errno;
  out = to_nanos(ts);
  return 0;
}

int clock_resolution_ns(clockid_t clock, uint64_t& out) {
  timespec ts{};
  if (::clock_getres(clock, &ts) != 0) return errno;
  out = to_nanos(ts);
  return 0;
}

uint64_t monotonic_now_ns() {
  uint64_t ns = 0;
  (void)clock_now_ns(CLOCK_MONOTONIC, ns);
  return ns;
}

int fill_random(void* p, size_t n) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::getrandom(static_cast<char*>(p) + done, n - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += size_t(got);
  }
  return 0;
}

}  // namespace airwasm::wasi::internal
