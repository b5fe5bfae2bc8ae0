// The async scheduler: many spinning guests on two threads all make progress, fairly, and can all be
// stopped; finite calls deliver their results; a call whose host function would block waits without a
// worker (Store::suspend_and_retry) and goes on when its descriptor is ready, or ends when cancelled.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <thread>

#include "fixture.hh"

namespace airwasm::testing {
namespace {

TEST(Scheduler, ThousandSpinningGuestsShareTwoThreadsFairly) {
  const Engine engine(fuel_config());
  auto module = Module::compile(engine, read_fixture("metering.wasm"));
  ASSERT_TRUE(module);
  Linker linker(engine);
  ASSERT_TRUE(
      linker.define_func("host", "yield", FuncType{},
                         [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; }));
  ASSERT_TRUE(
      linker.define_func("host", "charge", FuncType{{ValType::kI32}, {}},
                         [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; }));
  ASSERT_TRUE(
      linker.define_func("host", "reenter", FuncType{{ValType::kI32}, {ValType::kI32}},
                         [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; }));

  constexpr int kGuests = 1000;
  // Stores are created first, then all calls are spawned at once, so every guest starts together.
  std::vector<std::pair<std::shared_ptr<Store>, Func>> guests;
  for (int i = 0; i < kGuests; ++i) {
    auto store = std::make_shared<Store>(engine);
    ASSERT_TRUE(store->set_fuel(UINT64_MAX));
    auto instance = linker.instantiate(*store, *module);
    ASSERT_TRUE(instance);
    guests.emplace_back(store, *instance->get_func(*store, "spin"));
  }
  Scheduler scheduler(SchedulerConfig{2, 10'000});
  std::vector<CallFuture> futures;
  for (auto& [store, func] : guests) futures.push_back(scheduler.spawn(store, func, {}));

  // Fairness is measured over a window in steady state, after every guest has had its first turns.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<uint64_t> before;
  for (const CallFuture& f : futures) before.push_back(f.fuel_consumed());
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  std::vector<uint64_t> fuel;
  for (size_t i = 0; i < futures.size(); ++i) fuel.push_back(futures[i].fuel_consumed() - before[i]);
  const double average = std::accumulate(fuel.begin(), fuel.end(), 0.0) / kGuests;
  const uint64_t least = *std::min_element(fuel.begin(), fuel.end());
  EXPECT_GT(least, 0u) << "a guest made no progress";
  EXPECT_GE(double(least), average / 2) << "least-served " << least << " vs average " << average;
  for (const CallFuture& f : futures) EXPECT_FALSE(f.ready());

  const auto stop = std::chrono::steady_clock::now();
  for (const CallFuture& f : futures) f.cancel();
  for (const CallFuture& f : futures) {
    ASSERT_TRUE(f.wait_for(std::chrono::seconds(10)));
    auto r = f.get();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), TrapCode::kInterrupted);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - stop, std::chrono::seconds(5));
  EXPECT_EQ(scheduler.active(), 0u);
}

TEST(Scheduler, FiniteCallsReturnResults) {
  MeteringGuest a(fuel_config()), b(fuel_config());
  ASSERT_TRUE(a.store->set_fuel(UINT64_MAX));
  ASSERT_TRUE(b.store->set_fuel(UINT64_MAX));
  Scheduler scheduler(SchedulerConfig{2, 500});
  CallFuture fa = scheduler.spawn(a.store, a.func("sum"), {Val::i32(20000)});
  CallFuture fb = scheduler.spawn(b.store, b.func("sum"), {Val::i32(30000)});
  auto ra = fa.get();
  auto rb = fb.get();
  ASSERT_TRUE(ra);
  ASSERT_TRUE(rb);
  EXPECT_EQ((*ra)[0].i64(), int64_t(20000) * 20001 / 2);
  EXPECT_EQ((*rb)[0].i64(), int64_t(30000) * 30001 / 2);
  EXPECT_GT(fa.slices(), 100u);
}

TEST(Scheduler, OutOfFuelEndsTheCall) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(50'000));
  Scheduler scheduler(SchedulerConfig{1, 1'000});
  auto r = scheduler.spawn(g.store, g.func("spin"), {}).get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kOutOfFuel);
}

// A host `yield` that waits for a pipe to be readable: in a scheduled (sliced) call it suspends with the
// pipe as what it waits for, so that on ONE worker thread another call runs and finishes meanwhile; the
// blocked call goes on once the test writes to the pipe. A second such call is cancelled while it waits.
TEST(Scheduler, CallsWaitingForADescriptorHoldNoWorker) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK), 0);
  const Engine engine(fuel_config());
  auto module = Module::compile(engine, read_fixture("metering.wasm"));
  ASSERT_TRUE(module);
  Linker linker(engine);
  std::atomic<int> would_block{0};
  ASSERT_TRUE(linker.define_func("host", "yield", FuncType{},
                                 [&](Caller& c, std::span<const Val>, std::span<Val>) -> TrapResult<void> {
                                   pollfd p{pipe_fds[0], POLLIN, 0};
                                   if (::poll(&p, 1, 0) == 1) return {};
                                   ++would_block;
                                   Store::BlockedOn what;
                                   what.fds.push_back({pipe_fds[0], POLLIN});
                                   if (c.store().suspend_and_retry(std::move(what)))
                                     return std::unexpected(Trap(TrapCode::kHostError, "would block"));
                                   return std::unexpected(Trap(TrapCode::kHostError, "not sliced"));
                                 }));
  ASSERT_TRUE(
      linker.define_func("host", "charge", FuncType{{ValType::kI32}, {}},
                         [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; }));
  ASSERT_TRUE(
      linker.define_func("host", "reenter", FuncType{{ValType::kI32}, {ValType::kI32}},
                         [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; }));
  auto make = [&](const char* name) {
    auto store = std::make_shared<Store>(engine);
    EXPECT_TRUE(store->set_fuel(UINT64_MAX));
    auto instance = linker.instantiate(*store, *module);
    EXPECT_TRUE(instance);
    return std::make_pair(store, *instance->get_func(*store, name));
  };
  auto [blocked_store, blocked_func] = make("yield_n");
  auto [cancelled_store, cancelled_func] = make("yield_n");
  auto [busy_store, busy_func] = make("sum");
  Scheduler scheduler(SchedulerConfig{1, 10'000});
  CallFuture blocked = scheduler.spawn(blocked_store, blocked_func, std::vector{Val::i32(2)});
  CallFuture cancelled = scheduler.spawn(cancelled_store, cancelled_func, std::vector{Val::i32(1)});
  CallFuture busy = scheduler.spawn(busy_store, busy_func, std::vector{Val::i32(100'000)});
  // Would not come if a waiting call held the one worker (the pipe write then ends the wait, and we fail).
  const bool in_time = busy.wait_for(std::chrono::seconds(10));
  if (!in_time) {
    ASSERT_EQ(::write(pipe_fds[1], "x", 1), 1);
  }
  ASSERT_TRUE(in_time);
  auto sum = busy.get();
  ASSERT_TRUE(sum);
  EXPECT_EQ((*sum)[0].i64(), int64_t(100'000) * 100'001 / 2);
  EXPECT_FALSE(blocked.ready());
  EXPECT_FALSE(cancelled.ready());
  EXPECT_GE(would_block.load(), 2);
  cancelled.cancel();
  auto c = cancelled.get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), TrapCode::kInterrupted);
  ASSERT_EQ(::write(pipe_fds[1], "x", 1), 1);  // stays readable: both yields of `blocked` go on
  auto r = blocked.get();
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ((*r)[0].i32(), 2);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

}  // namespace
}  // namespace airwasm::testing
