// Resource limits: StoreLimits and ResourceLimiter make memory.grow/table.grow return -1 and make
// instantiation fail, and the Store's total never exceeds its limit.
#include "fixture.hh"

namespace airwasm::testing {
namespace {

int32_t call_i32(MeteringGuest& g, const char* name, int32_t arg) {
  auto r = g.func(name).call(*g.store, std::vector{Val::i32(arg)});
  EXPECT_TRUE(r);
  return r ? (*r)[0].i32() : 0;
}

TEST(Limits, MemoryGrowPastTheStoreLimitReturnsMinusOne) {
  MeteringGuest g(EngineConfig{});
  StoreLimits limits;
  limits.max_memory_bytes = 4 * 65536;  // the fixture starts with 1 page
  g.store->set_limits(limits);
  EXPECT_EQ(call_i32(g, "grow", 2), 1);   // 1 -> 3 pages
  EXPECT_EQ(call_i32(g, "grow", 2), -1);  // 5 pages would exceed 4
  EXPECT_EQ(call_i32(g, "grow", 1), 3);   // exactly at the limit
  EXPECT_EQ(call_i32(g, "grow", 1), -1);
  auto memory = g.instance->get_memory(*g.store, "memory");
  EXPECT_EQ(memory->size_pages(*g.store), 4u);
  EXPECT_EQ(memory->data(*g.store).size(), 4u * 65536);
}

class DenyAbove : public ResourceLimiter {
 public:
  explicit DenyAbove(uint64_t bytes) : bytes_(bytes) {}
  bool memory_growing(uint64_t, uint64_t desired, std::optional<uint64_t>) override {
    ++calls;
    return desired <= bytes_;
  }
  bool table_growing(uint64_t, uint64_t desired, std::optional<uint64_t>) override { return desired <= 10; }
  int calls = 0;

 private:
  uint64_t bytes_;
};

TEST(Limits, LimiterCanDenyGrowth) {
  MeteringGuest g(EngineConfig{});
  DenyAbove limiter(2 * 65536);
  g.store->set_limiter(&limiter);
  EXPECT_EQ(call_i32(g, "grow", 1), 1);
  EXPECT_EQ(call_i32(g, "grow", 1), -1);
  EXPECT_EQ(limiter.calls, 2);
  EXPECT_EQ(call_i32(g, "table_grow", 9), 1);  // 1 -> 10 elements
  EXPECT_EQ(call_i32(g, "table_grow", 1), -1);
  g.store->set_limiter(nullptr);
}

TEST(Limits, TableElementLimit) {
  MeteringGuest g(EngineConfig{});
  StoreLimits limits;
  limits.max_table_elements = 100;
  g.store->set_limits(limits);
  EXPECT_EQ(call_i32(g, "table_grow", 99), 1);
  EXPECT_EQ(call_i32(g, "table_grow", 1), -1);
}

TEST(Limits, InstantiationFailsWhenAMemoryDoesNotFit) {
  Engine engine;
  Store store(engine);
  StoreLimits limits;
  limits.max_memory_bytes = 65536;
  store.set_limits(limits);
  auto module = Module::compile(engine, read_fixture("metering.wasm"));
  ASSERT_TRUE(module);
  // metering.wasm needs 1 page: fits. A second instance would need another page: does not.
  Linker linker(engine);
  for (const char* name : {"yield", "charge", "reenter"}) {
    const FuncType t = std::string(name) == "yield"    ? FuncType{}
                       : std::string(name) == "charge" ? FuncType{{ValType::kI32}, {}}
                                                       : FuncType{{ValType::kI32}, {ValType::kI32}};
    ASSERT_TRUE(linker.define_func(
        "host", name, t, [](Caller&, std::span<const Val>, std::span<Val>) { return TrapResult<void>{}; }));
  }
  ASSERT_TRUE(linker.instantiate(store, *module));
  auto second = linker.instantiate(store, *module);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::kLimit);
}

TEST(Limits, InstanceCountLimit) {
  Engine engine;
  Store store(engine);
  StoreLimits limits;
  limits.max_instances = 1;
  store.set_limits(limits);
  // (module) — the smallest valid module.
  const std::vector<uint8_t> empty = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto module = Module::compile(engine, empty);
  ASSERT_TRUE(module);
  Linker linker(engine);
  ASSERT_TRUE(linker.instantiate(store, *module));
  auto second = linker.instantiate(store, *module);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::kLimit);
}

TEST(Limits, TableBytesLimit) {
  MeteringGuest g(EngineConfig{});
  StoreLimits limits;
  limits.max_table_bytes = 8 * 100;  // the fixture's table starts with 1 element
  g.store->set_limits(limits);
  EXPECT_EQ(call_i32(g, "table_grow", 99), 1);
  EXPECT_EQ(call_i32(g, "table_grow", 1), -1);
}

TEST(Limits, WrongArgumentsAreAUsageErrorNotATrap) {
  MeteringGuest g(EngineConfig{});
  auto r = g.func("sum").call(*g.store, std::vector<Val>{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kUsage);
  EXPECT_FALSE(r.error().is_guest_trap());
  EXPECT_NE(r.error().message().find("wrong number of arguments"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace airwasm::testing
