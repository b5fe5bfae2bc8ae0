// wasi/p2: wasi:clocks/monotonic-clock and wasi:clocks/wall-clock (two tiny interfaces, one file).
// Instants and durations are CLOCK_MONOTONIC nanoseconds; wall-clock datetimes are CLOCK_REALTIME.
// subscribe-* make deadline pollables (io_poll.cc waits on them).
#include <time.h>

#include "wasi/os.hh"
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {
namespace {

Val datetime(clockid_t id, bool resolution) {
  timespec ts{};
  if (resolution)
    ::clock_getres(id, &ts);
  else
    ::clock_gettime(id, &ts);
  return Val::record(
      {{"seconds", Val::u64(uint64_t(ts.tv_sec))}, {"nanoseconds", Val::u32(uint32_t(ts.tv_nsec))}});
}

uint64_t nanos(clockid_t id, bool resolution) {
  uint64_t ns = 0;
  (void)(resolution ? wasi::internal::clock_resolution_ns(id, ns) : wasi::internal::clock_now_ns(id, ns));
  return ns;
}

TrapResult<void> mono_now(Call& c) {
  c.ret(Val::u64(nanos(CLOCK_MONOTONIC, false)));
  return {};
}
TrapResult<void> mono_resolution(Call& c) {
  c.ret(Val::u64(nanos(CLOCK_MONOTONIC, true)));
  return {};
}
TrapResult<void> subscribe(Call& c, bool relative) {
  const uint64_t when = c.p.empty() ? 0 : c.p[0].as_u64();
  auto p = std::make_unique<PollableObj>(PollableObj::What::kDeadline);
  const uint64_t now = monotonic_now_ns();
  p->deadline_ns = relative ? (when > UINT64_MAX - now ? UINT64_MAX : now + when) : when;
  c.ret(c.own(std::move(p)));
  return {};
}
TrapResult<void> subscribe_instant(Call& c) {
  return subscribe(c, false);
}
TrapResult<void> subscribe_duration(Call& c) {
  return subscribe(c, true);
}

TrapResult<void> wall_now(Call& c) {
  c.ret(datetime(CLOCK_REALTIME, false));
  return {};
}
TrapResult<void> wall_resolution(Call& c) {
  c.ret(datetime(CLOCK_REALTIME, true));
  return {};
}

constexpr FuncDef kMonotonic[] = {
    {"now", mono_now},
    {"resolution", mono_resolution},
    {"subscribe-instant", subscribe_instant},
    {"subscribe-duration", subscribe_duration},
};
constexpr FuncDef kWall[] = {{"now", wall_now}, {"resolution", wall_resolution}};

}  // namespace

Result<void> define_clocks_monotonic(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kMonotonic, {{"pollable", Kind::kPollable}});
}
Result<void> define_clocks_wall(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kWall, {});
}

}  // namespace airwasm::wasi::p2::internal
