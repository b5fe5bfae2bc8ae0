// wasi: clock_res_get / clock_time_get, and the clock-id mapping poll_oneoff shares. Times are u64
// nanoseconds; realtime is since the Unix epoch, monotonic since an arbitrary point.
#include <time.h>

#include "wasi/clocks.hh"
#include "wasi/os.hh"
#include "wasi/state.hh"

namespace airwasm::wasi::internal {

bool host_clock(uint32_t id, clockid_t& out) {
  switch (id) {
    case abi::kClockRealtime:
      out = CLOCK_REALTIME;
      return true;
    case abi::kClockMonotonic:
      out = CLOCK_MONOTONIC;
      return true;
    case abi::kClockProcessCputime:
      out = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case abi::kClockThreadCputime:
      out = CLOCK_THREAD_CPUTIME_ID;
      return true;
    default:
      return false;
  }
}

namespace {

uint16_t clock_res_get(Env& env, const uint64_t* a) {
  clockid_t id;
  if (!host_clock(arg32(a, 0), id)) return abi::kInval;
  uint64_t ns = 0;
  if (int e = clock_resolution_ns(id, ns)) return from_host_errno(e);
  return env.mem.store<uint64_t>(arg32(a, 1), ns) ? abi::kSuccess : abi::kFault;
}

uint16_t clock_time_get(Env& env, const uint64_t* a) {
  clockid_t id;
  if (!host_clock(arg32(a, 0), id)) return abi::kInval;
  uint64_t ns = 0;
  if (int e = clock_now_ns(id, ns)) return from_host_errno(e);
  return env.mem.store<uint64_t>(arg32(a, 2), ns) ? abi::kSuccess : abi::kFault;
}

}  // namespace

void register_clocks(std::vector<FunctionDef>& out) {
  out.push_back({"clock_res_get", "ii", true, clock_res_get});
  out.push_back({"clock_time_get", "iIi", true, clock_time_get});
}

}  // namespace airwasm::wasi::internal
