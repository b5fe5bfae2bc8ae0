// The async scheduler: many spinning guests on two threads all make progress, fairly, and can all be
// stopped; finite calls deliver their results.
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

}  // namespace
}  // namespace airwasm::testing
