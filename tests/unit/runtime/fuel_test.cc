// Fuel metering: exact per-basic-block accounting against hand-counted costs, exhaustion, host charges.
#include "fixture.hh"

namespace airwasm::testing {
namespace {

TEST(Fuel, InfiniteLoopConsumesExactlyWhatItCanPayFor) {
  MeteringGuest g(fuel_config());
  // The loop body costs 5 per iteration; with 1003 units it runs 200 iterations and cannot pay for the
  // 201st block (3 < 5), so it stops having consumed 1000.
  ASSERT_TRUE(g.store->set_fuel(1003));
  auto r = g.func("spin").call(*g.store, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kOutOfFuel);
  EXPECT_EQ(r.error().message(), "all fuel consumed by WebAssembly");
  EXPECT_EQ(*g.store->fuel_consumed(), 1000u);
  EXPECT_EQ(*g.store->fuel_remaining(), 3u);
}

TEST(Fuel, StraightLineCodeCostsOnePerInstruction) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(100));
  auto r = g.func("three").call(*g.store, {});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 3);
  EXPECT_EQ(*g.store->fuel_consumed(), 3u);  // i32.const, i32.const, i32.add; end is free
  // With 2 units the single block cannot start at all: nothing is consumed.
  ASSERT_TRUE(g.store->set_fuel(2));
  EXPECT_FALSE(g.func("three").call(*g.store, {}));
  EXPECT_EQ(*g.store->fuel_consumed(), 3u);
  EXPECT_EQ(*g.store->fuel_remaining(), 2u);
}

TEST(Fuel, CountedLoopMatchesHandCount) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(1'000'000));
  auto r = g.func("sum").call(*g.store, std::vector{Val::i32(10)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i64(), 55);
  // Per iteration: [local.get, i32.eqz, br_if] = 3, then [local.get, local.get, i64.extend, i64.add,
  // local.set, local.get, i32.const, i32.sub, local.set, br] = 10. Exit: the final check costs 3 and
  // `local.get 1` after the block 1. 10 iterations: 10 * 13 + 3 + 1 = 134.
  EXPECT_EQ(*g.store->fuel_consumed(), 134u);
}

TEST(Fuel, HostFunctionsCanCharge) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(1000));
  ASSERT_TRUE(g.func("charge").call(*g.store, std::vector{Val::i32(500)}));
  EXPECT_EQ(*g.store->fuel_consumed(), 502u);  // local.get + call, then the host's 500
  auto r = g.func("charge").call(*g.store, std::vector{Val::i32(1000)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kOutOfFuel);
}

TEST(Fuel, AddAndSetAdjustTheBudget) {
  MeteringGuest g(fuel_config());
  ASSERT_TRUE(g.store->set_fuel(10));
  ASSERT_TRUE(g.store->add_fuel(5));
  EXPECT_EQ(*g.store->fuel_remaining(), 15u);
  ASSERT_TRUE(g.store->add_fuel(UINT64_MAX));
  EXPECT_EQ(*g.store->fuel_remaining(), UINT64_MAX);  // saturates
}

TEST(Fuel, ApiRequiresFuelToBeEnabled) {
  MeteringGuest g(EngineConfig{});
  auto r = g.store->set_fuel(10);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  // And without metering the loop code has no fuel checks: a finite loop simply runs.
  auto sum = g.func("sum").call(*g.store, std::vector{Val::i32(1000)});
  ASSERT_TRUE(sum);
  EXPECT_EQ((*sum)[0].i64(), 500500);
}

}  // namespace
}  // namespace airwasm::testing
