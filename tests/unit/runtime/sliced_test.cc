// Sliced calls: suspension after a fuel slice or a host yield, resumption (also on another thread),
// equivalence with an unsliced run, the re-entry limit, and abandoning a call.
#include <thread>

#include "fixture.hh"

namespace airwasm::testing {
namespace {

TEST(Sliced, InfiniteLoopSuspendsAfterEachSlice) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(UINT64_MAX));
  auto call = SlicedCall::start(*g.store, g.func("spin"), {}, 1000);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->status(), CallStatus::kSuspended);
  EXPECT_EQ(*g.store->fuel_consumed(), 1000u);  // 200 iterations of 5
  for (int i = 0; i < 10; ++i) {
    auto s = call->resume(*g.store, 1000);
    ASSERT_TRUE(s);
    EXPECT_EQ(*s, CallStatus::kSuspended);
  }
  EXPECT_EQ(*g.store->fuel_consumed(), 11000u);
  call->abandon(*g.store);
  EXPECT_TRUE(g.func("three").call(*g.store, {}));  // the Store is free again
}

TEST(Sliced, SlicedRunGivesTheSameResult) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(UINT64_MAX));
  auto call = SlicedCall::start(*g.store, g.func("sum"), std::vector{Val::i32(100000)}, 777);
  ASSERT_TRUE(call);
  int slices = 1;
  while (!call->finished()) {
    ASSERT_TRUE(call->resume(*g.store, 777));
    ++slices;
  }
  EXPECT_GT(slices, 1000);
  EXPECT_EQ(call->results()[0].i64(), int64_t(100000) * 100001 / 2);
}

TEST(Sliced, ResumesOnAnotherThread) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(UINT64_MAX));
  auto call = SlicedCall::start(*g.store, g.func("sum"), std::vector{Val::i32(5000)}, 1000);
  ASSERT_TRUE(call);
  std::thread worker([&] {
    while (!call->finished()) ASSERT_TRUE(call->resume(*g.store, 1000));
  });
  worker.join();
  EXPECT_EQ(call->results()[0].i64(), 5000 * 5001 / 2);
}

TEST(Sliced, HostFunctionCanYield) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(UINT64_MAX));
  auto call = SlicedCall::start(*g.store, g.func("yield_n"), std::vector{Val::i32(3)}, 1'000'000);
  ASSERT_TRUE(call);
  int suspensions = 0;
  while (!call->finished()) {
    ++suspensions;
    ASSERT_TRUE(call->resume(*g.store, 1'000'000));
  }
  EXPECT_EQ(suspensions, 3);  // once after each host call
  EXPECT_EQ(call->results()[0].i32(), 3);
}

// metering.wasm's imports host.charge and host.reenter, as no-ops (the retry tests call only host.yield).
void define_unused_imports(Linker& linker) {
  (void)linker.define_func("host", "charge", FuncType{{ValType::kI32}, {}},
                           [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; });
  (void)linker.define_func("host", "reenter", FuncType{{ValType::kI32}, {ValType::kI32}},
                           [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; });
}

// A host function that would block asks to be run again (Store::suspend_and_retry): the call suspends
// before the call instruction, says what it waits for, and the host function runs again on resume. The
// fuel consumed is the blocking run's exactly (the call instruction runs twice, its block is paid once).
TEST(Sliced, HostFunctionCanSuspendAndRunAgain) {
  auto run = [](bool sliced, int* suspensions, int* host_runs) -> std::pair<int32_t, uint64_t> {
    Engine engine(fuel_config());
    auto store = std::make_shared<Store>(engine);
    EXPECT_TRUE(store->set_fuel(UINT64_MAX));
    auto module = Module::compile(engine, read_fixture("metering.wasm"));
    EXPECT_TRUE(module);
    Linker linker(engine);
    bool retried = false;  // every other run of `yield` would block
    (void)linker.define_func("host", "yield", FuncType{},
                             [&](Caller& c, std::span<const Val>, std::span<Val>) -> TrapResult<void> {
                               ++*host_runs;
                               if (!retried) {
                                 retried = true;
                                 Store::BlockedOn what;
                                 what.fds.push_back({0, 1});
                                 if (c.store().suspend_and_retry(std::move(what)))
                                   return std::unexpected(Trap(TrapCode::kHostError, "would block"));
                                 return {};  // not sliced: the host function "waits" and answers
                               }
                               retried = false;
                               return {};
                             });
    define_unused_imports(linker);
    auto inst = linker.instantiate(*store, *module);
    EXPECT_TRUE(inst);
    Func f = *inst->get_func(*store, "yield_n");
    int32_t result = 0;
    if (!sliced) {
      auto r = f.call(*store, std::vector{Val::i32(3)});
      EXPECT_TRUE(r);
      result = (*r)[0].i32();
    } else {
      auto call = SlicedCall::start(*store, f, std::vector{Val::i32(3)}, 1'000'000);
      EXPECT_TRUE(call);
      while (call && !call->finished()) {
        const Store::BlockedOn* b = store->blocked_on();
        EXPECT_TRUE(b != nullptr && b->fds.size() == 1 && b->fds[0].fd == 0);
        ++*suspensions;
        EXPECT_TRUE(call->resume(*store, 1'000'000));
      }
      EXPECT_EQ(store->blocked_on(), nullptr);
      result = call->results()[0].i32();
    }
    return {result, *store->fuel_consumed()};
  };
  int suspensions = 0, host_runs = 0, plain_runs = 0, unused = 0;
  const auto [sliced_result, sliced_fuel] = run(true, &suspensions, &host_runs);
  const auto [plain_result, plain_fuel] = run(false, &unused, &plain_runs);
  EXPECT_EQ(sliced_result, 3);
  EXPECT_EQ(plain_result, 3);
  EXPECT_EQ(suspensions, 3);  // one per yield call, before it
  EXPECT_EQ(host_runs, 6);    // each yield ran twice
  EXPECT_EQ(plain_runs, 3);   // refused outside a sliced call: the host function answered at once
  EXPECT_EQ(sliced_fuel, plain_fuel);
}

// Store::host_call_id: the run again of a host call that suspended with suspend_and_retry keeps the
// number of the run that suspended; every other host call gets a new one, also the first call after a
// call abandoned while suspended (so progress kept under the abandoned call's number is never taken up).
// Both tiers (the interpreter's call path and the compiled code's).
TEST(Sliced, RunAgainKeepsTheHostCallId) {
  for (CompilerMode mode : {CompilerMode::kInterpreter, CompilerMode::kBaseline}) {
    SCOPED_TRACE(mode == CompilerMode::kInterpreter ? "interpreter" : "baseline");
    EngineConfig config = fuel_config();
    config.compiler = mode;
    Engine engine(config);
    Store store(engine);
    ASSERT_TRUE(store.set_fuel(UINT64_MAX));
    auto module = Module::compile(engine, read_fixture("metering.wasm"));
    if (!module && mode == CompilerMode::kBaseline) continue;  // no compiler on this machine
    ASSERT_TRUE(module);
    Linker linker(engine);
    std::vector<uint64_t> ids;
    bool retried = false;  // every other run of `yield` would block
    (void)linker.define_func("host", "yield", FuncType{},
                             [&](Caller& c, std::span<const Val>, std::span<Val>) -> TrapResult<void> {
                               ids.push_back(c.store().host_call_id());
                               if (!retried) {
                                 retried = true;
                                 if (c.store().suspend_and_retry({}))
                                   return std::unexpected(Trap(TrapCode::kHostError, "would block"));
                                 return {};
                               }
                               retried = false;
                               return {};
                             });
    define_unused_imports(linker);
    auto inst = linker.instantiate(store, *module);
    ASSERT_TRUE(inst);
    Func f = *inst->get_func(store, "yield_n");
    EXPECT_EQ(store.host_call_id(), 0u);  // outside host functions
    auto call = SlicedCall::start(store, f, std::vector{Val::i32(3)}, 1'000'000);
    ASSERT_TRUE(call);
    while (!call->finished()) ASSERT_TRUE(call->resume(store, 1'000'000));
    ASSERT_EQ(ids.size(), 6u);
    for (size_t i = 0; i < 6; i += 2) {
      EXPECT_NE(ids[i], 0u);
      EXPECT_EQ(ids[i + 1], ids[i]);  // the run again is the same call
      if (i > 0) {
        EXPECT_NE(ids[i], ids[i - 1]);  // the next call is another
      }
    }
    // Abandoned while suspended before its run again: the next call's first host call is a new one.
    ids.clear();
    auto abandoned = SlicedCall::start(store, f, std::vector{Val::i32(1)}, 1'000'000);
    ASSERT_TRUE(abandoned);
    ASSERT_FALSE(abandoned->finished());
    abandoned->abandon(store);
    retried = false;
    auto r = f.call(store, std::vector{Val::i32(1)});  // not sliced: the host function answers
    ASSERT_TRUE(r);
    ASSERT_EQ(ids.size(), 2u);  // the abandoned call's run, the plain call's (which answers at once)
    EXPECT_NE(ids[1], ids[0]);
  }
}

TEST(Sliced, YieldIsIgnoredOutsideSlicedCalls) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(UINT64_MAX));
  auto r = g.func("yield_n").call(*g.store, std::vector{Val::i32(3)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 3);
}

TEST(Sliced, ReenteredWasmRunsPastTheSliceThenTheOuterCallSuspends) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(UINT64_MAX));
  // `outer` calls the host, which calls `sum` (nested, on the host's stack): the nested call cannot
  // suspend, so it completes although it needs far more than the slice, and `outer` suspends right
  // after the host function returns.
  auto call = SlicedCall::start(*g.store, g.func("outer"), std::vector{Val::i32(1000)}, 100);
  ASSERT_TRUE(call) << call.error().to_string();
  EXPECT_EQ(call->status(), CallStatus::kSuspended);
  EXPECT_GT(*g.store->fuel_consumed(), 10000u);
  auto s = call->resume(*g.store, 100);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, CallStatus::kFinished);
  EXPECT_EQ(call->results()[0].i32(), 500500);
}

TEST(Sliced, TotalFuelStillBindsAndTraps) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(2500));
  auto call = SlicedCall::start(*g.store, g.func("spin"), {}, 1000);
  ASSERT_TRUE(call);
  ASSERT_TRUE(call->resume(*g.store, 1000));
  auto last = call->resume(*g.store, 1000);  // only 500 left: the total binds, not the slice
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code(), TrapCode::kOutOfFuel);
  EXPECT_EQ(*g.store->fuel_consumed(), 2500u);
}

TEST(Sliced, RequiresFuelMetering) {
  MeteringGuest g(EngineConfig{});
  auto call = SlicedCall::start(*g.store, g.func("spin"), {}, 1000);
  ASSERT_FALSE(call);
}

}  // namespace
}  // namespace airwasm::testing
