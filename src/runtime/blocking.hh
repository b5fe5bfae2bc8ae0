// runtime: blocking host calls that stay interruptible. A host function that must wait (WASI's sleep and
// poll_oneoff, a read from a pipe or a terminal; WASI 0.2 pollables later) waits here instead of in a bare
// poll(2), read(2) or nanosleep(2): the wait also watches the Store's wake descriptor, which
// InterruptHandle::interrupt() and the deadline timer signal, so interruption and deadlines stop a guest
// that is blocked in the host within milliseconds, with the same trap as in wasm code.
#pragma once

#include <poll.h>

#include <cstdint>
#include <optional>
#include <span>

#include "airwasm/store.hh"
#include "airwasm/trap.hh"

namespace airwasm::internal {

enum class WaitStatus : uint8_t {
  kReady,     // at least one of the descriptors has revents set
  kTimedOut,  // the timeout passed first
};

// Waits until one of `fds` is ready (their revents are filled in, as by poll(2)), `timeout_ns` passes
// (nullopt: no timeout; 0: just look), or the Store is interrupted or reaches its call's deadline. In that
// last case the request is consumed and the error is the trap to return from the host function
// ("interrupted" or "deadline exceeded"). A failing poll(2) other than EINTR returns kReady with every
// revents set to POLLERR, so that the caller's next operation reports the error.
TrapResult<WaitStatus> wait_interruptible(Store& store, std::span<pollfd> fds,
                                          std::optional<uint64_t> timeout_ns);

// Waits until `fd` is ready for `events` (POLLIN or POLLOUT) or the Store is interrupted; used before a
// read or write that could block forever (pipes, terminals, sockets; the caller knows the file type).
TrapResult<void> wait_fd_interruptible(Store& store, int fd, short events);

// The same for host functions that have done nothing yet that they would do again: when none of `fds` is
// ready and the call is sliced and may suspend here, it suspends instead of waiting, and the host function
// runs again from its start when the call resumes (Store::suspend_and_retry; Store::blocked_on() tells the
// embedder what it waits for). The returned trap then only carries the suspension out of the host
// function, which must return it at once. Elsewhere these wait as the functions above.
TrapResult<WaitStatus> wait_or_suspend(Store& store, std::span<pollfd> fds,
                                       std::optional<uint64_t> timeout_ns);
TrapResult<void> wait_fd_or_suspend(Store& store, int fd, short events);

}  // namespace airwasm::internal
