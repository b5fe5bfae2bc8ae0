// wasi: poll_oneoff. Clock subscriptions (relative or absolute, any supported clock) and fd_read/fd_write
// subscriptions become one ppoll(2) with the earliest clock deadline as its timeout. Subscriptions that
// fail up front (bad fd, unknown clock) are reported as events with their error and make the poll return
// at once, as preview1 specifies. Blocks the calling thread in wait_interruptible (runtime/blocking.hh),
// so an interruption or the call's deadline ends the wait with its trap.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <limits>

#include "runtime/blocking.hh"
#include "wasi/clocks.hh"
#include "wasi/state.hh"

namespace airwasm::wasi::internal {
namespace {

struct Event {
  uint64_t userdata = 0;
  uint16_t error = 0;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

struct ClockSub {
  uint64_t userdata;
  uint64_t deadline;  // monotonic nanoseconds
};

struct FdSub {
  uint64_t userdata;
  uint8_t type;
  int host_fd;
  size_t poll_index;
};

uint64_t readable_bytes(int fd) {
  struct ::stat st{};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = ::lseek(fd, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? uint64_t(st.st_size - pos) : 0;
  }
  int n = 0;
  return ::ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? uint64_t(n) : 0;
}

uint16_t poll_oneoff(Env& env, const uint64_t* a) {
  const uint32_t in = arg32(a, 0), out = arg32(a, 1), count = arg32(a, 2), nevents_ptr = arg32(a, 3);
  if (count == 0) return abi::kInval;
  if (!env.mem.in_bounds(in, uint64_t(count) * abi::subscription::kSize) ||
      !env.mem.in_bounds(out, uint64_t(count) * abi::event::kSize) || !env.mem.in_bounds(nevents_ptr, 4)) {
    return abi::kFault;
  }
  std::vector<Event> events;
  std::vector<ClockSub> clocks;
  std::vector<FdSub> fd_subs;
  std::vector<pollfd> pfds;
  const uint64_t start = monotonic_now_ns();
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t s = in + i * abi::subscription::kSize;
    uint64_t userdata = 0;
    uint8_t tag = 0;
    env.mem.load(s + abi::subscription::kUserdata, userdata);
    env.mem.load(s + abi::subscription::kTag, tag);
    if (tag == abi::kEventClock) {
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      env.mem.load(s + abi::subscription::kClockId, id);
      env.mem.load(s + abi::subscription::kClockTimeout, timeout);
      env.mem.load(s + abi::subscription::kClockFlags, flags);
      clockid_t host;
      if (!host_clock(id, host)) {
        events.push_back({userdata, abi::kInval, abi::kEventClock});
        continue;
      }
      uint64_t relative = timeout;
      if (flags & abi::kSubclockAbstime) {
        timespec now{};
        ::clock_gettime(host, &now);
        const uint64_t n = to_nanos(now);
        relative = timeout > n ? timeout - n : 0;
      }
      const uint64_t deadline = relative > std::numeric_limits<uint64_t>::max() - start
                                    ? std::numeric_limits<uint64_t>::max()
                                    : start + relative;
      clocks.push_back({userdata, deadline});
    } else if (tag == abi::kEventFdRead || tag == abi::kEventFdWrite) {
      uint32_t fd = 0;
      env.mem.load(s + abi::subscription::kFd, fd);
      FdEntry* e;
      if (abi::Errno err = get_fd(env, fd, abi::kRightPollFdReadwrite, e)) {
        events.push_back({userdata, err, tag});
        continue;
      }
      fd_subs.push_back({userdata, tag, e->host_fd, pfds.size()});
      pfds.push_back({e->host_fd, short(tag == abi::kEventFdRead ? POLLIN : POLLOUT), 0});
    } else {
      return abi::kInval;
    }
  }

  if (events.empty()) {
    for (;;) {
      uint64_t earliest = std::numeric_limits<uint64_t>::max();
      for (const ClockSub& c : clocks) earliest = std::min(earliest, c.deadline);
      const uint64_t now = monotonic_now_ns();
      std::optional<uint64_t> timeout;
      if (!clocks.empty()) timeout = earliest > now ? earliest - now : 0;
      auto waited = ::airwasm::internal::wait_interruptible(env.caller.store(), pfds, timeout);
      if (!waited) {
        env.trap = std::move(waited.error());
        return abi::kIntr;
      }
      for (const FdSub& f : fd_subs) {
        const short re = pfds[f.poll_index].revents;
        if (!re) continue;
        Event ev{f.userdata, 0, f.type};
        if (re & POLLNVAL) ev.error = abi::kBadf;
        if (re & POLLHUP) ev.flags = abi::kEventFdReadwriteHangup;
        if (f.type == abi::kEventFdRead && !ev.error) ev.nbytes = readable_bytes(f.host_fd);
        events.push_back(ev);
      }
      const uint64_t after = monotonic_now_ns();
      for (const ClockSub& c : clocks) {
        if (c.deadline <= after) events.push_back({c.userdata, 0, abi::kEventClock});
      }
      if (!events.empty()) break;
    }
  }

  for (size_t i = 0; i < events.size(); ++i) {
    const uint32_t e = out + uint32_t(i) * abi::event::kSize;
    std::memset(env.mem.range(e, abi::event::kSize), 0, abi::event::kSize);
    env.mem.store<uint64_t>(e + abi::event::kUserdata, events[i].userdata);
    env.mem.store<uint16_t>(e + abi::event::kError, events[i].error);
    env.mem.store<uint8_t>(e + abi::event::kType, events[i].type);
    env.mem.store<uint64_t>(e + abi::event::kNbytes, events[i].nbytes);
    env.mem.store<uint16_t>(e + abi::event::kFlags, events[i].flags);
  }
  env.mem.store<uint32_t>(nevents_ptr, uint32_t(events.size()));
  return abi::kSuccess;
}

}  // namespace

void register_poll(std::vector<FunctionDef>& out) {
  out.push_back({"poll_oneoff", "iiii", true, poll_oneoff});
}

}  // namespace airwasm::wasi::internal
