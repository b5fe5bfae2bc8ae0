// The baseline compiler keeps the interpreter's guarantees (issue 15, docs/compiler.md): the functions of
// wat/tiers.wat run once on an interpreter-only Engine and once with CompilerMode::kBaseline, and must
// agree on results, consumed fuel, trap texts with their backtraces, the call-depth limit, interruption,
// and sliced calls (the same number of slices, resumed on other threads). Two of the functions ($simd_*,
// indices 4 and 9) are left to the interpreter (AIRWASM_BASELINE_SKIP), so calls cross tiers in both
// directions.
#include <thread>

#include "fixture.hh"
#include "tiers_guest.hh"

namespace airwasm::testing {
namespace {

// An Engine of `mode` with tiers.wasm compiled, functions 4 and 9 ($interp_double, $interp_trap) left to
// the interpreter.
struct TiersModule {
  TiersModule(CompilerMode mode, bool fuel) {
    setenv("AIRWASM_BASELINE_SKIP", "4,9", 1);
    EngineConfig config;
    config.compiler = mode;
    config.consume_fuel = fuel;
    engine.emplace(config);
    auto m = Module::compile(*engine, read_fixture("tiers.wasm"));
    EXPECT_TRUE(m) << m.error().to_string();
    module.emplace(std::move(*m));
  }
  std::optional<Engine> engine;
  std::optional<Module> module;
};

// ... and one Store with it instantiated (the bases are built in this order).
struct TierGuest : TiersModule, TiersStore {
  TierGuest(CompilerMode mode, bool fuel) : TiersModule(mode, fuel), TiersStore(*engine, *module, fuel) {}
};

class BaselineTiers : public ::testing::TestWithParam<bool> {};  // parameter: fuel metering

TEST_P(BaselineTiers, FunctionsAreCompiledExceptTheSkippedOnes) {
  TierGuest g(CompilerMode::kBaseline, GetParam());
  const Module::CompileInfo info = g.module->compile_info();
  EXPECT_EQ(info.compiled_functions, 17u) << info.first_refusal;
  EXPECT_EQ(info.interpreted_functions, 2u);
  EXPECT_EQ(info.first_refusal, "function 4 is in AIRWASM_BASELINE_SKIP");
  EXPECT_GT(info.code_bytes, 0u);
  TierGuest i(CompilerMode::kInterpreter, GetParam());
  EXPECT_EQ(i.module->compile_info().compiled_functions, 0u);
}

TEST_P(BaselineTiers, SameResultsTrapsAndFuel) {
  TierGuest interp(CompilerMode::kInterpreter, GetParam());
  TierGuest compiled(CompilerMode::kBaseline, GetParam());
  const std::vector<std::pair<const char*, std::vector<Val>>> calls = {
      {"fib", {Val::i32(20)}},
      {"sum", {Val::i32(100000)}},
      {"mixed", {Val::i32(50)}},
      {"switch", {Val::i32(1000)}},
      {"yielding", {Val::i32(10)}},
      {"bad_indirect", {Val::i32(4)}},
      {"bad_indirect", {Val::i32(5)}},
      {"bad_indirect", {Val::i32(3)}},
      {"deep", {Val::i32(0)}},
      {"trap_below", {Val::i32(7)}},
      {"depth", {Val::i32(12000)}},
      {"depth_args", {Val::i32(12000), Val::i32(1)}},
      {"indirect_locals", {Val::i32(1000)}}};
  for (const auto& [name, args] : calls) {
    const auto expected = interp.call(name, args);
    const auto actual = compiled.call(name, args);
    EXPECT_EQ(actual.first, expected.first) << name;
    EXPECT_EQ(actual.second, expected.second) << name << ": consumed fuel";
  }
  // the interpreter's own answers, so that agreeing on a wrong one fails too
  EXPECT_EQ(compiled.call("fib", {Val::i32(20)}).first, "ok 6765");
  EXPECT_EQ(compiled.call("sum", {Val::i32(1000)}).first, "ok 500500");
  EXPECT_NE(compiled.call("deep", {Val::i32(0)}).first.find("call stack exhausted"), std::string::npos);
  EXPECT_NE(compiled.call("trap_below", {Val::i32(0)}).first.find("unreachable"), std::string::npos);
  EXPECT_EQ(compiled.call("depth", {Val::i32(12000)}).first, "ok 12000");
  EXPECT_EQ(compiled.call("indirect_locals", {Val::i32(1000)}).first, "ok 499500");
}

TEST_P(BaselineTiers, InterruptStopsACompiledLoop) {
  TierGuest g(CompilerMode::kBaseline, GetParam());
  InterruptHandle handle = g.store->interrupt_handle();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    handle.interrupt();
  });
  auto r = g.func("spin").call(*g.store, {});
  stopper.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kInterrupted);
  EXPECT_EQ(g.call("fib", {Val::i32(10)}).first, "ok 55");  // the Store is usable again
}

INSTANTIATE_TEST_SUITE_P(Fuel, BaselineTiers, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "metered" : "unmetered"; });

// A sliced call of `name` with one i32 argument, `slice` fuel a slice, each slice after the first resumed
// on a new thread: its result, the number of slices and the fuel consumed.
struct SlicedRun {
  int32_t result = 0;
  uint64_t slices = 1, fuel = 0;
};
SlicedRun run_sliced(CompilerMode mode, const char* name, int32_t arg, uint64_t slice) {
  TierGuest g(mode, true);
  const std::vector<Val> args{Val::i32(arg)};
  auto call = SlicedCall::start(*g.store, g.func(name), args, slice);
  EXPECT_TRUE(call) << call.error().to_string();
  SlicedRun run;
  if (!call) return run;
  while (!call->finished()) {
    std::thread([&] { ASSERT_TRUE(call->resume(*g.store, slice)); }).join();
    ++run.slices;
  }
  run.result = call->results()[0].i32();
  run.fuel = *g.store->fuel_consumed();
  return run;
}

// Sliced calls: every slice boundary falls at the same lowered position in both tiers, so the number of
// slices and the fuel are equal; each slice resumes on a new thread.
TEST(BaselineTiersSliced, SlicedCallsSuspendAndResumeAcrossThreads) {
  for (const char* name : {"fib", "mixed", "switch", "yielding"}) {
    const int32_t arg = std::string(name) == "fib" ? 15 : 40;
    const SlicedRun interp = run_sliced(CompilerMode::kInterpreter, name, arg, 29);
    const SlicedRun compiled = run_sliced(CompilerMode::kBaseline, name, arg, 29);
    EXPECT_EQ(compiled.result, interp.result) << name;
    EXPECT_EQ(compiled.slices, interp.slices) << name;
    EXPECT_EQ(compiled.fuel, interp.fuel) << name;
    EXPECT_GT(interp.slices, 5u) << name;
  }
}

// A recursion deeper than compiled code nests native calls, run in slices on new threads: each slice
// ends with native-called frames on the native stack that its exit must unmark (or the next slice would
// `ret` through a stack that is gone), and later slices return from below where they started.
TEST(BaselineTiersSliced, DeepRecursionSuspendsAndResumesAcrossThreads) {
  const SlicedRun interp = run_sliced(CompilerMode::kInterpreter, "depth", 12000, 9973);
  const SlicedRun compiled = run_sliced(CompilerMode::kBaseline, "depth", 12000, 9973);
  EXPECT_EQ(interp.result, 12000);
  EXPECT_EQ(compiled.result, interp.result);
  EXPECT_EQ(compiled.slices, interp.slices);
  EXPECT_EQ(compiled.fuel, interp.fuel);
  EXPECT_GT(interp.slices, 10u);
}

// A host function re-entering compiled wasm from the bottom of a compiled recursion, three activations
// deep (wat/reenter_deep.wat): each nested activation keeps its own native-call fields and unmarks only
// its own frames when it exits, and the outer one then returns through its marked frames with `ret`.
// The host passes the depth back down, so rec(5000, 2) = 3 x 5000 in both tiers.
TEST(BaselineTiers, HostReentryNestsActivationsWithNativeCalls) {
  for (CompilerMode mode : {CompilerMode::kInterpreter, CompilerMode::kBaseline}) {
    SCOPED_TRACE(mode == CompilerMode::kInterpreter ? "interpreter" : "baseline");
    EngineConfig config;
    config.compiler = mode;
    Engine engine(config);
    Store store(engine);
    auto module = Module::compile(engine, read_fixture("reenter_deep.wasm"));
    ASSERT_TRUE(module) << module.error().to_string();
    if (mode == CompilerMode::kBaseline) {
      ASSERT_EQ(module->compile_info().compiled_functions, 1u) << module->compile_info().first_refusal;
    }
    std::optional<Instance> instance;
    uint32_t host_calls = 0;
    Linker linker(engine);
    ASSERT_TRUE(linker.define_func(
        "host", "reenter", FuncType{{ValType::kI32, ValType::kI32}, {ValType::kI32}},
        [&](Caller& c, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
          ++host_calls;
          if (p[1].i32() == 0) {
            r[0] = Val::i32(0);
            return {};
          }
          auto rec = instance->get_func(c.store(), "rec");
          auto results = rec->call(c.store(), std::vector{Val::i32(5000), Val::i32(p[1].i32() - 1)});
          if (!results) return std::unexpected(results.error());
          r[0] = (*results)[0];
          return {};
        }));
    auto inst = linker.instantiate(store, *module);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
    auto r = instance->get_func(store, "rec")->call(store, std::vector{Val::i32(5000), Val::i32(2)});
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ((*r)[0].i32(), 15000);
    EXPECT_EQ(host_calls, 3u);
    // and again on the same Store: nothing of the nested activations is left behind
    r = instance->get_func(store, "rec")->call(store, std::vector{Val::i32(4000), Val::i32(2)});
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ((*r)[0].i32(), 4000 + 2 * 5000);
  }
}

}  // namespace
}  // namespace airwasm::testing
