// tests/component/runtime: sliced component calls (airwasm/component/sliced.hh) on wat/sliced.wat. A long
// loop finishes across many slices with the result of the blocking call (typed and Val forms); a host
// function that asks to yield suspends the call right after it returns, and the call then resumes, lifts
// its string result and runs post-return once; request_yield is refused outside sliced calls; traps and
// abandoned calls leave the instance poisoned, as the spec has it, and the Store free for other calls.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"

namespace {

using airwasm::CallStatus;
using airwasm::Engine;
using airwasm::EngineConfig;
using airwasm::Store;
using airwasm::TrapCode;
using airwasm::component::Component;
using airwasm::component::Instance;
using airwasm::component::Linker;
using airwasm::component::SlicedCall;
using airwasm::component::Val;

std::vector<uint8_t> read_fixture(const std::string& name) {
  std::ifstream in(std::string(AIRWASM_COMPONENT_FIXTURES) + "/" + name, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Sum of 1..n modulo 2^32, as the guest's loop computes it.
uint32_t triangle(uint32_t n) {
  return uint32_t(uint64_t(n) * (uint64_t(n) + 1) / 2);
}

class Sliced : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineConfig config;
    config.consume_fuel = true;
    engine = std::make_unique<Engine>(config);
    store = std::make_unique<Store>(*engine);
    ASSERT_TRUE(store->set_fuel(1'000'000'000));
    linker = std::make_unique<Linker>(*engine);
    ASSERT_TRUE(linker->instance("test:sliced/host").func_wrap("nap", [this](Store& s, uint32_t) {
      ++naps;
      const bool yielded = s.request_yield();
      if (yielded) ++yields;
      return yielded || !expect_yield;
    }));
    auto c = Component::compile(*engine, read_fixture("sliced.wasm"));
    ASSERT_TRUE(c) << c.error().to_string();
    auto inst = linker->instantiate(*store, *c);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = std::make_unique<Instance>(*inst);
  }
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Store> store;
  std::unique_ptr<Linker> linker;
  std::unique_ptr<Instance> instance;
  int naps = 0, yields = 0;
  bool expect_yield = true;  // nap answers whether it could yield (so the guest reports it)
};

TEST_F(Sliced, LoopFinishesAcrossSlicesWithTheBlockingResult) {
  auto spin = instance->get_typed_func<uint32_t(uint32_t)>(*store, "spin");
  ASSERT_TRUE(spin);
  const uint32_t n = 200'000;
  auto call = spin->start_sliced(*store, 10'000, n);
  ASSERT_TRUE(call) << call.error().message();
  int slices = 1;
  while (!call->finished()) {
    auto r = call->resume(*store, 10'000);
    ASSERT_TRUE(r) << r.error().message();
    ++slices;
  }
  EXPECT_GT(slices, 20);  // 200,000 iterations of several instructions each
  EXPECT_EQ(call->take_result(), triangle(n));
  // The Store is free again: a blocking call gives the same answer.
  EXPECT_EQ(*spin->call(*store, n), triangle(n));

  // The Val form.
  auto f = instance->get_func(*store, "spin");
  ASSERT_TRUE(f);
  const Val args[] = {Val::u32(n)};
  auto vcall = SlicedCall::start(*store, *f, args, 10'000);
  ASSERT_TRUE(vcall);
  while (!vcall->finished()) ASSERT_TRUE(vcall->resume(*store, 10'000));
  auto results = vcall->take_results();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].as_u32(), triangle(n));
}

TEST_F(Sliced, HostYieldSuspendsAfterTheHostFunctionAndLiftsAfterResume) {
  auto nap = instance->get_typed_func<std::string(uint32_t)>(*store, "nap-twice");
  auto post = instance->get_typed_func<uint32_t()>(*store, "post-count");
  ASSERT_TRUE(nap && post);
  // A slice large enough for the whole call: only the yields suspend it.
  auto call = nap->start_sliced(*store, 1'000'000, 5u);
  ASSERT_TRUE(call) << call.error().message();
  EXPECT_EQ(call->status(), CallStatus::kSuspended);
  EXPECT_EQ(naps, 1);
  ASSERT_TRUE(call->resume(*store, 1'000'000));
  EXPECT_EQ(call->status(), CallStatus::kSuspended);
  EXPECT_EQ(naps, 2);
  auto last = call->resume(*store, 1'000'000);
  ASSERT_TRUE(last) << last.error().message();
  EXPECT_EQ(*last, CallStatus::kFinished);
  EXPECT_EQ(call->take_result(), "awake");
  EXPECT_EQ(yields, 2);
  EXPECT_EQ(*post->call(*store), 1u);  // post-return ran once, after the lift
}

TEST_F(Sliced, YieldIsRefusedOutsideSlicedCalls) {
  auto nap = instance->get_typed_func<std::string(uint32_t)>(*store, "nap-twice");
  ASSERT_TRUE(nap);
  auto r = nap->call(*store, 5u);  // blocking: nap cannot yield and says so, so the guest answers ""
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "");
  EXPECT_EQ(naps, 2);
  EXPECT_EQ(yields, 0);
}

TEST_F(Sliced, TrapEndsTheCallAndPoisonsTheInstance) {
  auto spin = instance->get_typed_func<uint32_t(uint32_t)>(*store, "spin");
  ASSERT_TRUE(spin);
  ASSERT_TRUE(store->set_fuel(50'000));
  auto call = spin->start_sliced(*store, 10'000, 1'000'000u);
  ASSERT_TRUE(call);
  airwasm::TrapResult<CallStatus> r = CallStatus::kSuspended;
  while (r && *r == CallStatus::kSuspended) r = call->resume(*store, 10'000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kOutOfFuel);
  EXPECT_TRUE(call->finished());
  ASSERT_TRUE(store->set_fuel(1'000'000));
  auto again = spin->call(*store, 3u);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), TrapCode::kCannotEnterComponent);
}

TEST_F(Sliced, AbandonedOrDestroyedCallsFreeTheStore) {
  auto spin = instance->get_typed_func<uint32_t(uint32_t)>(*store, "spin");
  ASSERT_TRUE(spin);
  {
    auto call = spin->start_sliced(*store, 1'000, 1'000'000u);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->status(), CallStatus::kSuspended);
    // While it is suspended, the instance cannot be entered again (no re-entrance).
    auto busy = spin->call(*store, 1u);
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code(), TrapCode::kCannotEnterComponent);
  }  // destroyed while suspended: abandoned
  // The Store runs calls again; the instance stopped half-way and stays poisoned.
  auto after = spin->call(*store, 1u);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code(), TrapCode::kCannotEnterComponent);
  auto f = instance->get_func(*store, "post-count");
  ASSERT_TRUE(f);
  auto vcall = SlicedCall::start(*store, *f, {}, 1'000);
  ASSERT_FALSE(vcall);
  EXPECT_EQ(vcall.error().code(), TrapCode::kCannotEnterComponent);
}

TEST(SlicedNoFuel, StartIsRefusedWithoutFuelMetering) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  ASSERT_TRUE(linker.instance("test:sliced/host").func_wrap("nap", [](uint32_t) { return true; }));
  auto c = Component::compile(engine, read_fixture("sliced.wasm"));
  ASSERT_TRUE(c);
  auto inst = linker.instantiate(store, *c);
  ASSERT_TRUE(inst);
  auto spin = inst->get_typed_func<uint32_t(uint32_t)>(store, "spin");
  ASSERT_TRUE(spin);
  auto call = spin->start_sliced(store, 1'000, 10u);
  ASSERT_FALSE(call);
  EXPECT_NE(call.error().message().find("fuel"), std::string::npos) << call.error().message();
  EXPECT_EQ(*spin->call(store, 10u), 55u);  // refused before entering: the instance is not poisoned
}

}  // namespace
