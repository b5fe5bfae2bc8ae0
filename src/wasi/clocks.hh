// wasi: clock ids of preview 1 mapped to the host's clocks (clocks.cc; used by poll.cc too).
#pragma once

#include <time.h>

#include <cstdint>

#include "wasi/os.hh"  // to_nanos, the shared clocks

namespace airwasm::wasi::internal {

// False for an unknown clock id (the caller answers EINVAL).
bool host_clock(uint32_t wasi_clock_id, clockid_t& out);

}  // namespace airwasm::wasi::internal
