// Interruptible blocking (runtime/blocking.hh): a host function waiting on a descriptor that never becomes
// ready is stopped by InterruptHandle::interrupt() and by a call's deadline within milliseconds, with the
// same traps as wasm code, and the request does not leak into the next call.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "airwasm/airwasm.hh"
#include "runtime/blocking.hh"

namespace airwasm {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { EXPECT_EQ(::pipe(fds), 0); }
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

// A host function that waits for the pipe's read end (nobody writes) with an optional timeout.
Func blocking_func(Store& store, int fd, std::optional<uint64_t> timeout_ns, int* timed_out = nullptr) {
  return Func::wrap(store, FuncType{},
                    [=](Caller& caller, std::span<const Val>, std::span<Val>) -> TrapResult<void> {
                      pollfd p{fd, POLLIN, 0};
                      auto r = internal::wait_interruptible(caller.store(), {&p, 1}, timeout_ns);
                      if (!r) return std::unexpected(std::move(r.error()));
                      if (timed_out && *r == internal::WaitStatus::kTimedOut) ++*timed_out;
                      return {};
                    });
}

TEST(Blocking, InterruptStopsABlockedHostCall) {
  Engine engine;
  Store store(engine);
  Pipe pipe;
  Func f = blocking_func(store, pipe.fds[0], std::nullopt);
  InterruptHandle handle = store.interrupt_handle();
  std::thread stopper([handle] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    handle.interrupt();
  });
  const auto start = Clock::now();
  auto r = f.call(store, {});
  const auto elapsed = Clock::now() - start;
  stopper.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kInterrupted);
  EXPECT_LT(elapsed, std::chrono::milliseconds(200));
  // The request was consumed: a wait with a timeout now times out normally.
  int timed_out = 0;
  Func g = blocking_func(store, pipe.fds[0], 1'000'000, &timed_out);
  ASSERT_TRUE(g.call(store, {}));
  EXPECT_EQ(timed_out, 1);
}

TEST(Blocking, DeadlineStopsABlockedHostCall) {
  Engine engine;
  Store store(engine);
  Pipe pipe;
  Func f = blocking_func(store, pipe.fds[0], std::nullopt);
  CallOptions options;
  options.timeout = std::chrono::milliseconds(40);
  const auto start = Clock::now();
  auto r = f.call(store, {}, {}, options);
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kDeadlineExceeded);
  EXPECT_GE(elapsed, std::chrono::milliseconds(40));
  EXPECT_LT(elapsed, std::chrono::milliseconds(200));
}

TEST(Blocking, ReadyDescriptorAndTimeout) {
  Engine engine;
  Store store(engine);
  Pipe pipe;
  ASSERT_EQ(::write(pipe.fds[1], "x", 1), 1);
  pollfd p{pipe.fds[0], POLLIN, 0};
  auto r = internal::wait_interruptible(store, {&p, 1}, std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, internal::WaitStatus::kReady);
  EXPECT_TRUE(p.revents & POLLIN);
  const auto start = Clock::now();
  auto t = internal::wait_interruptible(store, {}, 20'000'000);  // a plain sleep of 20 ms
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, internal::WaitStatus::kTimedOut);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(20));
}

}  // namespace
}  // namespace airwasm
