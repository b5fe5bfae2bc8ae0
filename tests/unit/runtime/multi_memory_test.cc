// Multi-memory through the public API: an imported memory 0 and two defined memories, loads and stores
// (plain, displacement and SIMD forms) on each, memory.size/grow/fill/copy/init with memory indices,
// data segments per memory, exports of any memory, and the feature flag turning the proposal off.
#include <cstring>

#include "fixture.hh"

namespace airwasm::testing {
namespace {

class MultiMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mem = Memory::create(store, MemoryType{Limits{1, 2}});
    ASSERT_TRUE(mem) << mem.error().to_string();
    host_mem = *mem;
    ASSERT_TRUE(linker.define("host", "mem", Extern(*host_mem)));
    auto module = Module::compile(engine, read_fixture("multi_memory.wasm"));
    ASSERT_TRUE(module) << module.error().to_string();
    auto inst = linker.instantiate(store, *module);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  std::vector<Val> call(const char* name, std::vector<Val> args) {
    auto r = instance->get_func(store, name)->call(store, args);
    EXPECT_TRUE(r) << name << ": " << r.error().to_string();
    return r ? *r : std::vector<Val>{};
  }
  std::string trap_of(const char* name, std::vector<Val> args) {
    auto r = instance->get_func(store, name)->call(store, args);
    return r ? std::string("no trap") : r.error().message();
  }
  std::span<uint8_t> bytes(const char* export_name) {
    return instance->get_memory(store, export_name)->data(store);
  }

  Engine engine;
  Store store{engine};
  Linker linker{engine};
  std::optional<Memory> host_mem;
  std::optional<Instance> instance;
};

TEST_F(MultiMemory, DataSegmentsGoToTheirMemories) {
  EXPECT_EQ(std::memcmp(host_mem->data(store).data(), "zero", 4), 0);
  EXPECT_EQ(bytes("m1")[8], 1);
  EXPECT_EQ(bytes("m2")[16], 0xaa);
  EXPECT_EQ(call("load0", {Val::i32(1)})[0].i32(), 'e');
  EXPECT_EQ(call("load1", {Val::i32(8)})[0].i32(), 0x04030201);
  EXPECT_EQ(call("load2", {Val::i32(0)})[0].i32(), 0xbbaa);
}

TEST_F(MultiMemory, StoresAndDisplacementForms) {
  call("store1", {Val::i32(100), Val::i64(0x1122334455667788)});
  EXPECT_EQ(call("load1_64", {Val::i32(100)})[0].i64(), 0x1122334455667788);
  EXPECT_EQ(host_mem->data(store)[100], 0);  // memory 0 untouched
  call("store2_disp", {Val::i32(20), Val::i32(0x5a5a)});
  EXPECT_EQ(bytes("m2")[32], 0x5a);
  EXPECT_EQ(call("load2_disp", {Val::i32(20)})[0].i32(), 0x5a5a);
  EXPECT_EQ(call("v128_roundtrip", {Val::i32(100)})[0].i64(), 0x1122334455667788);
}

TEST_F(MultiMemory, MemoryZeroStaysSelectedAfterOtherAccesses) {
  EXPECT_EQ(call("mixed", {Val::i32(0)})[0].i32(), 1 + 'z');
}

TEST_F(MultiMemory, BoundsAreThoseOfTheAddressedMemory) {
  // memory 2 has two pages: an address valid there is out of bounds in the one-page memories
  EXPECT_EQ(call("load2_disp", {Val::i32(65536)})[0].i32(), 0);
  EXPECT_EQ(trap_of("load1", {Val::i32(65534)}), "out of bounds memory access");
  EXPECT_EQ(trap_of("load2", {Val::i32(2 * 65536 - 17)}), "out of bounds memory access");
}

TEST_F(MultiMemory, SizeAndGrow) {
  EXPECT_EQ(call("size", {Val::i32(0)})[0].i32(), 1);
  EXPECT_EQ(call("size", {Val::i32(1)})[0].i32(), 1);
  EXPECT_EQ(call("size", {Val::i32(2)})[0].i32(), 2);
  EXPECT_EQ(call("grow1", {Val::i32(2)})[0].i32(), 1);
  EXPECT_EQ(call("size", {Val::i32(1)})[0].i32(), 3);
  EXPECT_EQ(call("grow1", {Val::i32(2)})[0].i32(), -1);  // maximum 4
  EXPECT_EQ(call("size", {Val::i32(0)})[0].i32(), 1);
  EXPECT_EQ(call("load1", {Val::i32(3 * 65536 - 4)})[0].i32(), 0);  // the new pages are addressable
}

TEST_F(MultiMemory, BulkOperations) {
  call("fill2", {Val::i32(40), Val::i32(7), Val::i32(3)});
  EXPECT_EQ(bytes("m2")[42], 7);
  EXPECT_EQ(bytes("m2")[43], 0);
  call("copy_1_to_2", {Val::i32(50), Val::i32(8), Val::i32(4)});
  EXPECT_EQ(bytes("m2")[53], 4);
  call("copy_within_1", {Val::i32(9), Val::i32(8), Val::i32(4)});
  EXPECT_EQ(bytes("m1")[12], 4);
  EXPECT_EQ(bytes("m1")[9], 1);
  call("init2", {Val::i32(60), Val::i32(1), Val::i32(4)});
  EXPECT_EQ(std::memcmp(bytes("m2").data() + 60, "ello", 4), 0);
  EXPECT_EQ(trap_of("copy_1_to_2", {Val::i32(2 * 65536 - 2), Val::i32(0), Val::i32(4)}),
            "out of bounds memory access");
  EXPECT_EQ(trap_of("copy_1_to_2", {Val::i32(0), Val::i32(65534), Val::i32(4)}),
            "out of bounds memory access");
  EXPECT_EQ(trap_of("fill2", {Val::i32(2 * 65536), Val::i32(0), Val::i32(1)}), "out of bounds memory access");
}

TEST_F(MultiMemory, WorksWithFuelMetering) {
  Engine metered(fuel_config());
  Store s(metered);
  ASSERT_TRUE(s.set_fuel(1000));
  Linker l(metered);
  auto mem = Memory::create(s, MemoryType{Limits{1, 2}});
  ASSERT_TRUE(l.define("host", "mem", Extern(*mem)));
  auto module = Module::compile(metered, read_fixture("multi_memory.wasm"));
  ASSERT_TRUE(module) << module.error().to_string();
  auto inst = l.instantiate(s, *module);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto r = inst->get_func(s, "mixed")->call(s, std::vector{Val::i32(0)});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ((*r)[0].i32(), 1 + 'z');
}

TEST(MultiMemoryFeature, OffRejectsSeveralMemories) {
  EngineConfig config;
  config.features.multi_memory = false;
  Engine engine(config);
  auto module = Module::compile(engine, read_fixture("multi_memory.wasm"));
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message, "multiple memories (the multi-memory proposal is turned off)");
}

}  // namespace
}  // namespace airwasm::testing
