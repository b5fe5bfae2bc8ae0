// Lazy tiering (CompilerMode::kAuto, docs/compiler.md "Code cache and tiering"): functions start in the
// interpreter and are compiled once hot. The functions of wat/tiers.wat run on an interpreter-only Engine
// (the reference) and on an auto Engine; they must agree on results and consumed fuel while functions
// change tier under them: a hot function compiled between calls, a loop of a function called once that
// moves to compiled code at its header, two Stores on two threads making the same function hot at once,
// and a sliced call suspended in the interpreter that resumes after its function was compiled.
#include <atomic>
#include <thread>

#include "fixture.hh"
#include "runtime/internal.hh"
#include "tiers_guest.hh"

namespace airwasm::testing {
namespace {

bool compiler_available() {
  EngineConfig config;
  config.compiler = CompilerMode::kBaseline;
  Engine engine(config);
  return Module::compile(engine, read_fixture("tiers.wasm")).has_value();
}

Engine make_engine(CompilerMode mode, bool fuel) {
  EngineConfig config;
  config.compiler = mode;
  config.consume_fuel = fuel;
  return Engine(config);
}

// One Store with tiers.wasm instantiated, and its execution context's tier counters.
struct Guest : TiersStore {
  Guest(const Engine& engine, const Module& module, bool fuel) : TiersStore(engine, module, fuel) {}
  const interp::ExecContext& exec() const { return store->impl().exec; }
};

struct Loaded {
  Loaded(CompilerMode mode, bool fuel)
      : engine(make_engine(mode, fuel)), module(*Module::compile(engine, read_fixture("tiers.wasm"))) {}
  Engine engine;
  Module module;
};

class LazyTier : public ::testing::TestWithParam<bool> {  // parameter: fuel metering
 protected:
  void SetUp() override {
    unsetenv("AIRWASM_BASELINE_SKIP");
    if (!compiler_available()) GTEST_SKIP() << "no baseline compiler on this machine";
  }
};

// A caller compiled in a later batch than its callee (wat/lazy_calls.wat) calls into the callee's code at
// its registers entry, an absolute address in the earlier batch's code, with the arguments in registers.
TEST_P(LazyTier, ACallerCompiledLaterCallsIntoAnEarlierBatch) {
  Engine ref_engine = make_engine(CompilerMode::kInterpreter, GetParam());
  Engine lazy_engine = make_engine(CompilerMode::kAuto, GetParam());
  auto ref_module = Module::compile(ref_engine, read_fixture("lazy_calls.wasm"));
  auto lazy_module = Module::compile(lazy_engine, read_fixture("lazy_calls.wasm"));
  ASSERT_TRUE(ref_module && lazy_module);
  TiersStore interp(ref_engine, *ref_module, GetParam()), guest(lazy_engine, *lazy_module, GetParam());
  for (int32_t i = 0; i < 1500; ++i) {  // the callee becomes hot (about 200 calls) and is compiled alone
    const std::vector<Val> args{Val::i32(i * 7919), Val::f64(i * 0.25)};
    ASSERT_EQ(guest.call("callee", args), interp.call("callee", args)) << i;
  }
  EXPECT_EQ(lazy_module->compile_info().compiled_functions, 1u);
  // the caller's loop becomes hot (2,000 iterations) and moves to compiled code at its header
  for (int32_t n : {100, 30000, 30000}) {
    EXPECT_EQ(guest.call("caller", {Val::i32(n)}), interp.call("caller", {Val::i32(n)})) << n;
  }
  const Module::CompileInfo info = lazy_module->compile_info();
  EXPECT_EQ(info.compiled_functions, 2u) << info.first_refusal;
  EXPECT_EQ(info.hot_compiled_functions, 2u);
}

TEST_P(LazyTier, AHotFunctionIsCompiledAndAgreesWithTheInterpreter) {
  Loaded ref(CompilerMode::kInterpreter, GetParam()), lazy(CompilerMode::kAuto, GetParam());
  Guest interp(ref.engine, ref.module, GetParam()), guest(lazy.engine, lazy.module, GetParam());
  EXPECT_EQ(lazy.module.compile_info().compiled_functions, 0u) << "auto starts interpreting";
  EXPECT_EQ(lazy.module.compile_info().interpreted_functions, 19u);
  // fib(10) makes 177 calls: not hot yet
  EXPECT_EQ(guest.call("fib", {Val::i32(10)}), interp.call("fib", {Val::i32(10)}));
  EXPECT_EQ(lazy.module.compile_info().compiled_functions, 0u);
  // fib(20) makes 21,891 calls: compiled during the call, which continues in compiled code
  const uint64_t native_runs = guest.exec().native_runs;
  EXPECT_EQ(guest.call("fib", {Val::i32(20)}), interp.call("fib", {Val::i32(20)}));
  Module::CompileInfo info = lazy.module.compile_info();
  EXPECT_EQ(info.compiled_functions, 1u) << info.first_refusal;
  EXPECT_EQ(info.hot_compiled_functions, 1u);
  EXPECT_EQ(info.interpreted_functions, 18u);
  EXPECT_GT(info.code_bytes, 0u);
  EXPECT_GT(guest.exec().native_runs, native_runs) << "the call moved to compiled code";
  EXPECT_EQ(guest.call("fib", {Val::i32(20)}).first, "ok 6765");
  // every function of the suite, twice (the second time with what the first made hot compiled)
  const std::vector<std::pair<const char*, std::vector<Val>>> calls = {
      {"fib", {Val::i32(18)}},         {"sum", {Val::i32(100000)}},     {"mixed", {Val::i32(600)}},
      {"switch", {Val::i32(30000)}},   {"yielding", {Val::i32(400)}},   {"bad_indirect", {Val::i32(4)}},
      {"bad_indirect", {Val::i32(5)}}, {"bad_indirect", {Val::i32(3)}}, {"deep", {Val::i32(0)}},
      {"trap_below", {Val::i32(7)}}};
  for (int round = 0; round < 2; ++round)
    for (const auto& [name, args] : calls) {
      const auto expected = interp.call(name, args);
      const auto actual = guest.call(name, args);
      EXPECT_EQ(actual.first, expected.first) << name << " round " << round;
      EXPECT_EQ(actual.second, expected.second) << name << " round " << round << ": consumed fuel";
    }
  info = lazy.module.compile_info();
  // fib, sum (100,000 iterations), switch (30,000), $interp_double (12,000 calls), $leaf (24,000), deep
  // (20,000 calls); not mixed (600 iterations a call, 1,200 in all) nor yielding (400, 800 in all), below
  // the 2,000 of kTierBudget.
  EXPECT_EQ(info.compiled_functions, 6u);
  EXPECT_EQ(info.hot_compiled_functions, info.compiled_functions);
}

TEST_P(LazyTier, ALoopOfAFunctionCalledOnceSwitchesAtItsHeader) {
  Loaded ref(CompilerMode::kInterpreter, GetParam()), lazy(CompilerMode::kAuto, GetParam());
  Guest interp(ref.engine, ref.module, GetParam()), guest(lazy.engine, lazy.module, GetParam());
  const auto expected = interp.call("sum", {Val::i32(300000)});
  EXPECT_EQ(expected.first, "ok " + std::to_string(int32_t(uint32_t(uint64_t(300000) * 300001 / 2))));
  EXPECT_EQ(guest.call("sum", {Val::i32(300000)}), expected);
  EXPECT_EQ(lazy.module.compile_info().compiled_functions, 1u) << "sum, during its only call";
  EXPECT_EQ(guest.exec().tier_switches_at_loops, 1u) << "the loop moved to compiled code once";
  EXPECT_EQ(interp.exec().tier_switches_at_loops, 0u);
  // Compiled now: the next call enters it at the entry.
  EXPECT_EQ(guest.call("sum", {Val::i32(300000)}), expected);
  EXPECT_EQ(guest.exec().tier_switches_at_loops, 1u);
}

INSTANTIATE_TEST_SUITE_P(Fuel, LazyTier, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "metered" : "unmetered"; });

// Two Stores on two threads share one Module and make the same functions hot at the same time: each
// function is compiled once (one thread compiles, the other keeps interpreting meanwhile), and both get the
// interpreter's results and fuel. Runs under TSan in CI (scripts/test.sh).
TEST(LazyTierThreads, TwoStoresMakeTheSameFunctionHotAtOnce) {
  unsetenv("AIRWASM_BASELINE_SKIP");
  if (!compiler_available()) GTEST_SKIP() << "no baseline compiler on this machine";
  Loaded ref(CompilerMode::kInterpreter, true);
  Guest interp(ref.engine, ref.module, true);
  const auto fib = interp.call("fib", {Val::i32(21)});
  const auto sum = interp.call("sum", {Val::i32(200000)});
  const auto mixed = interp.call("mixed", {Val::i32(3000)});
  for (int round = 0; round < 3; ++round) {
    Loaded lazy(CompilerMode::kAuto, true);
    std::atomic<int> ready{0};
    std::vector<std::pair<std::string, uint64_t>> results[2];
    auto run = [&](int t) {
      Guest guest(lazy.engine, lazy.module, true);
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      results[t].push_back(guest.call("fib", {Val::i32(21)}));
      results[t].push_back(guest.call("sum", {Val::i32(200000)}));
      results[t].push_back(guest.call("mixed", {Val::i32(3000)}));
    };
    std::thread a(run, 0), b(run, 1);
    a.join();
    b.join();
    for (int t = 0; t < 2; ++t) {
      ASSERT_EQ(results[t].size(), 3u);
      EXPECT_EQ(results[t][0], fib) << "thread " << t;
      EXPECT_EQ(results[t][1], sum) << "thread " << t;
      EXPECT_EQ(results[t][2], mixed) << "thread " << t;
    }
    const Module::CompileInfo info = lazy.module.compile_info();
    EXPECT_GE(info.compiled_functions, 4u) << "fib, sum, mixed, $leaf at least";
    EXPECT_EQ(info.compiled_functions + info.interpreted_functions, 19u) << "each function compiled once";
    EXPECT_EQ(info.hot_compiled_functions, info.compiled_functions);
  }
}

// A sliced call suspends while its function is interpreted; another Store (on another thread) makes the
// function hot, so it is compiled before the call resumes: the rest runs compiled code, with the same
// slices, result and fuel as an interpreter-only run.
TEST(LazyTierSliced, ResumesInCodeCompiledWhileItWasSuspended) {
  unsetenv("AIRWASM_BASELINE_SKIP");
  if (!compiler_available()) GTEST_SKIP() << "no baseline compiler on this machine";
  constexpr uint64_t kSlice = 20'000;
  const std::vector<Val> args{Val::i32(100000)};
  uint64_t slices[2], fuel[2];
  int32_t result[2];
  for (int t = 0; t < 2; ++t) {
    Loaded setup(t == 0 ? CompilerMode::kInterpreter : CompilerMode::kAuto, true);
    Guest guest(setup.engine, setup.module, true);
    auto call = SlicedCall::start(*guest.store, guest.func("sum"), args, kSlice);
    ASSERT_TRUE(call) << call.error().to_string();
    ASSERT_FALSE(call->finished());
    slices[t] = 1;
    if (t == 1) {
      EXPECT_EQ(setup.module.compile_info().compiled_functions, 0u) << "suspended while interpreted";
      std::thread([&] {
        Guest other(setup.engine, setup.module, true);
        EXPECT_EQ(other.call("sum", {Val::i32(50000)}).first, "ok 1250025000");
      }).join();
      EXPECT_EQ(setup.module.compile_info().compiled_functions, 1u);
    }
    const uint64_t native_runs = guest.exec().native_runs;
    while (!call->finished()) {
      std::thread([&] { ASSERT_TRUE(call->resume(*guest.store, kSlice)); }).join();
      ++slices[t];
    }
    if (t == 1) {
      EXPECT_GE(guest.exec().native_runs, native_runs + slices[t] - 1) << "every slice resumed compiled";
    }
    result[t] = call->results()[0].i32();
    fuel[t] = *guest.store->fuel_consumed();
  }
  EXPECT_EQ(result[1], result[0]);
  EXPECT_EQ(result[0], int32_t(uint32_t(uint64_t(100000) * 100001 / 2)));
  EXPECT_EQ(slices[1], slices[0]);
  EXPECT_EQ(fuel[1], fuel[0]);
  EXPECT_GT(slices[0], 5u);
}

}  // namespace
}  // namespace airwasm::testing
