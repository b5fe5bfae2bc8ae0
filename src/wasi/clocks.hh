// wasi: clock ids of preview 1 mapped to the host's clocks (clocks.cc; used by poll.cc too).
#pragma once

#include <time.h>

#include <cstdint>

namespace airwasm::wasi::internal {

// False for an unknown clock id (the caller answers EINVAL).
bool host_clock(uint32_t wasi_clock_id, clockid_t& out);
uint64_t to_nanos(const timespec& ts);

}  // namespace airwasm::wasi::internal
