// Typed host functions: signatures deduced from C++ callables, results (single, tuple, TrapResult),
// the Caller parameter, v128 and funcref values, and a signature mismatch caught at link time.
#include <cmath>

#include "airwasm/typed_func.hh"
#include "fixture.hh"

namespace airwasm::testing {
namespace {

class TypedFunc : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(func_wrap(linker, "host", "add", [](int32_t a, int32_t b) { return a + b; }));
    ASSERT_TRUE(func_wrap(linker, "host", "sqrt", [](double x) -> TrapResult<double> {
      if (x < 0) return std::unexpected(Trap(TrapCode::kHostError, "sqrt of a negative number"));
      return std::sqrt(x);
    }));
    ASSERT_TRUE(func_wrap(linker, "host", "divmod",
                          [](int64_t a, int64_t b) { return std::tuple<int64_t, int64_t>(a / b, a % b); }));
    ASSERT_TRUE(func_wrap(linker, "host", "peek", [](Caller& caller, uint32_t address) -> uint32_t {
      auto memory = caller.memory()->data(caller.store());
      uint32_t v;
      std::memcpy(&v, memory.data() + address, 4);
      return v;
    }));
    ASSERT_TRUE(func_wrap(linker, "host", "swap_lanes", [](V128 v) {
      V128 r;
      r.set_lane<uint64_t>(0, v.lane<uint64_t>(1));
      r.set_lane<uint64_t>(1, v.lane<uint64_t>(0));
      return r;
    }));
    ASSERT_TRUE(func_wrap(linker, "host", "pass_ref", [](FuncRefArg f) { return f; }));
    ASSERT_TRUE(func_wrap(linker, "host", "count", [this] { ++calls; }));
    auto module = Module::compile(engine, read_fixture("typed.wasm"));
    ASSERT_TRUE(module) << module.error().to_string();
    auto inst = linker.instantiate(store, *module);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  std::vector<Val> call(const char* name, std::vector<Val> args) {
    auto r = instance->get_func(store, name)->call(store, args);
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : std::vector<Val>{};
  }

  Engine engine;
  Store store{engine};
  Linker linker{engine};
  std::optional<Instance> instance;
  int calls = 0;
};

TEST_F(TypedFunc, DeducesSignatures) {
  EXPECT_EQ(call("add", {Val::i32(40), Val::i32(2)})[0].i32(), 42);
  EXPECT_EQ(call("sqrt", {Val::f64(2.25)})[0].f64(), 1.5);
  auto qr = call("divmod", {Val::i64(47), Val::i64(10)});
  EXPECT_EQ(qr[0].i64(), 4);
  EXPECT_EQ(qr[1].i64(), 7);
  EXPECT_EQ(call("swap", {})[0].i64(), 2);
  call("count", {});
  EXPECT_EQ(calls, 2);
}

TEST_F(TypedFunc, CallerGivesTheInstanceMemory) {
  EXPECT_EQ(call("peek", {Val::i32(100)})[0].i32(), 42);
}

TEST_F(TypedFunc, FuncrefRoundTripsThroughTheHost) {
  EXPECT_EQ(call("call_through_host", {})[0].i32(), 7);
}

TEST_F(TypedFunc, TrapResultEndsTheCall) {
  auto r = instance->get_func(store, "sqrt")->call(store, std::vector{Val::f64(-1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "sqrt of a negative number");
}

TEST(TypedFuncLink, WrongSignatureIsUnlinkable) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  // `add` is imported as (i32, i32) -> i32; a (i64, i64) -> i64 callable must not link.
  ASSERT_TRUE(func_wrap(linker, "host", "add", [](int64_t a, int64_t b) { return a + b; }));
  auto module = Module::compile(engine, read_fixture("typed.wasm"));
  ASSERT_TRUE(module);
  auto inst = linker.instantiate(store, *module);
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().kind, ErrorKind::kUnlinkable);
  EXPECT_NE(inst.error().message.find("incompatible import type"), std::string::npos);
}

TEST(TypedFuncStore, WrapFuncInAStore) {
  Engine engine;
  Store store(engine);
  Func f = wrap_func(store, [](float a, float b) { return a * b; });
  EXPECT_EQ(f.type(store), (FuncType{{ValType::kF32, ValType::kF32}, {ValType::kF32}}));
  auto r = f.call(store, std::vector{Val::f32(1.5f), Val::f32(4.0f)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].f32(), 6.0f);
}

}  // namespace
}  // namespace airwasm::testing
