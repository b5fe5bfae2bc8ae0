// wasi: the operating-system layer both WASI versions stand on, so that each rule exists once: the host
// errno -> WASI error mapping (WASI 0.2 maps the preview 1 code on to its wasi:filesystem error-code, in
// p2/context.cc), the host clocks, and the random bytes (getrandom, the kernel CSPRNG). The sandboxed path
// resolver, the largest shared piece, has its own header (sandbox_path.hh).
#pragma once

#include <time.h>

#include <cstddef>
#include <cstdint>

#include "wasi/abi.hh"

namespace airwasm::wasi::internal {

// Host errno -> preview1 errno (ENOSPC -> kNoSpc, ...); an errno WASI has no name for becomes kIo.
abi::Errno from_host_errno(int host_errno);

// A host clock's time or resolution in nanoseconds (realtime since the Unix epoch, monotonic since an
// arbitrary point); 0 or the host errno.
int clock_now_ns(clockid_t clock, uint64_t& out);
int clock_resolution_ns(clockid_t clock, uint64_t& out);
uint64_t monotonic_now_ns();  // CLOCK_MONOTONIC, which cannot fail on Linux
uint64_t to_nanos(const timespec& ts);

// Fills [p, p + n) with bytes of the kernel CSPRNG (getrandom(2), in as many calls as it takes); 0 or the
// host errno.
int fill_random(void* p, size_t n);

}  // namespace airwasm::wasi::internal
