// runtime: wait_interruptible (see blocking.hh). The wake descriptor is an eventfd created on the first
// blocking wait of a Store (most Stores never block, and a descriptor per Store would not scale to many
// thousands of plugins); interrupt() and the deadline timer write to it only once it exists. Both sides
// use sequentially consistent order on the flag and the descriptor, so either the waiter sees the flag
// before it sleeps or the interrupter sees the descriptor and wakes it.
#include "runtime/blocking.hh"

#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "runtime/internal.hh"

namespace airwasm::internal {

namespace {

uint64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

// The pending interrupt as a trap, consuming it as the interpreter's own check does.
std::optional<Trap> take_interrupt(InterruptState& state) {
  const uint32_t reason = state.flag.exchange(interp::kNoInterrupt);
  if (reason == interp::kNoInterrupt) return std::nullopt;
  return Trap(reason == interp::kDeadlineReached ? TrapCode::kDeadlineExceeded : TrapCode::kInterrupted);
}

void drain(int fd) {
  uint64_t value;
  while (::read(fd, &value, sizeof value) > 0) {
  }
}

}  // namespace

int InterruptState::wake_fd_for_waiting() {
  int fd = wake_fd.load();
  if (fd >= 0) return fd;
  std::lock_guard lock(mutex);
  fd = wake_fd.load();
  if (fd < 0) {
    fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd >= 0) wake_fd.store(fd);
  }
  return fd;
}

void InterruptState::wake() {
  const int fd = wake_fd.load();
  if (fd < 0) return;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);  // EAGAIN: the counter is already non-zero
}

InterruptState::~InterruptState() {
  if (const int fd = wake_fd.load(); fd >= 0) ::close(fd);
}

TrapResult<WaitStatus> wait_interruptible(Store& store, std::span<pollfd> fds,
                                          std::optional<uint64_t> timeout_ns) {
  InterruptState& state = *store.impl().interrupt;
  const int wake = state.wake_fd_for_waiting();
  // Without an eventfd (descriptors exhausted) the wait still works, in slices of 10 ms.
  std::vector<pollfd> all(fds.begin(), fds.end());
  all.push_back({wake, POLLIN, 0});
  const size_t n = wake >= 0 ? all.size() : fds.size();
  const uint64_t start = monotonic_ns();
  const uint64_t deadline =
      timeout_ns ? (*timeout_ns > UINT64_MAX - start ? UINT64_MAX : start + *timeout_ns) : UINT64_MAX;
  for (;;) {
    if (auto trap = take_interrupt(state)) return std::unexpected(std::move(*trap));
    const uint64_t now = monotonic_ns();
    uint64_t wait = deadline > now ? deadline - now : 0;
    if (wake < 0) wait = std::min<uint64_t>(wait, 10'000'000);
    timespec ts{time_t(wait / 1'000'000'000u), long(wait % 1'000'000'000u)};
    for (pollfd& p : all) p.revents = 0;
    const int rc = ::ppoll(all.data(), n, (timeout_ns || wake < 0) ? &ts : nullptr, nullptr);
    if (rc < 0) {
      if (errno == EINTR) continue;
      for (pollfd& p : fds) p.revents = POLLERR;
      return WaitStatus::kReady;
    }
    if (wake >= 0 && all.back().revents) drain(wake);
    if (auto trap = take_interrupt(state)) return std::unexpected(std::move(*trap));
    bool ready = false;
    for (size_t i = 0; i < fds.size(); ++i) {
      fds[i].revents = all[i].revents;
      ready |= all[i].revents != 0;
    }
    if (ready) return WaitStatus::kReady;
    if (timeout_ns && monotonic_ns() >= deadline) return WaitStatus::kTimedOut;
  }
}

TrapResult<void> wait_fd_interruptible(Store& store, int fd, short events) {
  pollfd p{fd, events, 0};
  auto r = wait_interruptible(store, {&p, 1}, std::nullopt);
  if (!r) return std::unexpected(std::move(r.error()));
  return {};
}

TrapResult<WaitStatus> wait_or_suspend(Store& store, std::span<pollfd> fds,
                                       std::optional<uint64_t> timeout_ns) {
  int ready;
  do {
    ready = ::poll(fds.data(), nfds_t(fds.size()), 0);
  } while (ready < 0 && errno == EINTR);
  if (ready != 0) {  // ready, or poll failed: the caller's next operation reports the error
    if (ready < 0)
      for (pollfd& f : fds) f.revents = POLLERR;
    return WaitStatus::kReady;
  }
  if (timeout_ns && *timeout_ns == 0) return WaitStatus::kTimedOut;
  Store::BlockedOn what;
  for (const pollfd& f : fds) what.fds.push_back({f.fd, f.events});
  if (timeout_ns) what.until_ns = monotonic_ns() + *timeout_ns;
  if (store.suspend_and_retry(std::move(what)))
    return std::unexpected(Trap(TrapCode::kHostError, "suspended until ready (the call runs again)"));
  return wait_interruptible(store, fds, timeout_ns);
}

TrapResult<void> wait_fd_or_suspend(Store& store, int fd, short events) {
  pollfd p{fd, events, 0};
  auto r = wait_or_suspend(store, {&p, 1}, std::nullopt);
  if (!r) return std::unexpected(std::move(r.error()));
  return {};
}

}  // namespace airwasm::internal
