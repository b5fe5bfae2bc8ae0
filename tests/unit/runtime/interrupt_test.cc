// Interruption: per-call deadlines and InterruptHandle from another thread, in tight loops and in
// recursion (where only the checks at calls can see the request).
#include <chrono>
#include <thread>

#include "fixture.hh"

namespace airwasm::testing {
namespace {

using Clock = std::chrono::steady_clock;

TEST(Interrupt, DeadlineStopsBusyLoopPromptly) {
  MeteringGuest g(EngineConfig{});
  CallOptions options;
  options.timeout = std::chrono::milliseconds(50);
  const auto start = Clock::now();
  auto r = g.func("spin").call(*g.store, {}, {}, options);
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kDeadlineExceeded);
  EXPECT_EQ(r.error().message(), "deadline exceeded");
  EXPECT_GE(elapsed, std::chrono::milliseconds(50));
  EXPECT_LT(elapsed, std::chrono::milliseconds(150));  // generous: CI runs tests two at a time
}

TEST(Interrupt, ExpiredDeadlineDoesNotLeakIntoTheNextCall) {
  MeteringGuest g(EngineConfig{});
  CallOptions options;
  options.timeout = std::chrono::milliseconds(5);
  auto quick = g.func("three").call(*g.store, {}, {}, options);
  (void)quick;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto r = g.func("sum").call(*g.store, std::vector{Val::i32(100000)});
  ASSERT_TRUE(r) << r.error().to_string();
}

void expect_interrupted(MeteringGuest& g, const char* name, std::vector<Val> args) {
  InterruptHandle handle = g.store->interrupt_handle();
  std::thread stopper([handle] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    handle.interrupt();
  });
  const auto start = Clock::now();
  auto r = g.func(name).call(*g.store, args);
  const auto elapsed = Clock::now() - start;
  stopper.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kInterrupted);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  // The request was consumed by the trap: the Store runs normally afterwards.
  EXPECT_TRUE(g.func("three").call(*g.store, {}));
}

TEST(Interrupt, StopsATightLoop) {
  MeteringGuest g(EngineConfig{});
  expect_interrupted(g, "spin", {});
}

TEST(Interrupt, StopsRecursionWithoutLoops) {
  MeteringGuest g(EngineConfig{});
  expect_interrupted(g, "tree", {Val::i32(60)});
}

TEST(Interrupt, StopsALoopAtTheBottomOfADeepRecursion) {
  MeteringGuest g(EngineConfig{});
  expect_interrupted(g, "deep", {Val::i32(10000)});
}

TEST(Interrupt, BacktraceShowsTheFrames) {
  MeteringGuest g(EngineConfig{});
  InterruptHandle handle = g.store->interrupt_handle();
  std::thread stopper([handle] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    handle.interrupt();
  });
  auto r = g.func("deep").call(*g.store, std::vector{Val::i32(100)});
  stopper.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().backtrace().size(), 101u);
}

}  // namespace
}  // namespace airwasm::testing
