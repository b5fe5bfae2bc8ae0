// Unit tests for v128 values at the embedding API: parameters and results of exported functions
// (Func::call), of host functions defined through the Linker and through Func::wrap (including a
// v128 between scalars, so slot offsets are exercised), and v128 globals read and written from both
// sides. The guest is wat/v128_api.wat.
#include <cstdint>
#include <vector>

#include "fixture.hh"

namespace airwasm::testing {
namespace {

const std::vector<uint8_t>& module_bytes() {
  static const std::vector<uint8_t> bytes = read_fixture("v128_api.wasm");
  return bytes;
}

V128 i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  V128 v;
  const uint32_t l[4] = {a, b, c, d};
  for (unsigned i = 0; i < 4; ++i) v.set_lane<uint32_t>(i, l[i]);
  return v;
}

const FuncType kMixType{{ValType::kV128, ValType::kI32, ValType::kV128},
                        {ValType::kV128, ValType::kI64, ValType::kV128}};

// mix(a, k, b) = (b, k * 1000 + lane 0 of a, a with every lane plus k)
TrapResult<void> mix(Caller&, std::span<const Val> p, std::span<Val> r) {
  if (p.size() != 3 || p[0].type() != ValType::kV128 || p[1].type() != ValType::kI32 ||
      p[2].type() != ValType::kV128)
    return std::unexpected(Trap(TrapCode::kUnreachable, "bad parameters"));
  const V128 a = p[0].v128();
  const uint32_t k = uint32_t(p[1].i32());
  V128 c = a;
  for (unsigned i = 0; i < 4; ++i) c.set_lane<uint32_t>(i, a.lane<uint32_t>(i) + k);
  r[0] = Val::v128(p[2].v128());
  r[1] = Val::i64(int64_t(k) * 1000 + a.lane<uint32_t>(0));
  r[2] = Val::v128(c);
  return {};
}

void expect_run(Store& store, const Instance& inst) {
  std::optional<Func> run = inst.get_func(store, "run");
  ASSERT_TRUE(run);
  const Val args[] = {Val::v128(i32x4(10, 20, 30, 40)),
                      Val::v128(i32x4(0xdeadbeef, 0xffffffff, 0, 0x80000000))};
  auto results = run->call(store, args);
  ASSERT_TRUE(results) << results.error().message();
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ((*results)[0].type(), ValType::kV128);
  EXPECT_EQ((*results)[0].v128(), i32x4(0xdeadbeef, 0xffffffff, 0, 0x80000000));
  EXPECT_EQ((*results)[1].i64(), 5010);
  EXPECT_EQ((*results)[2].v128(), i32x4(15, 25, 35, 45));
}

TEST(V128Api, HostFunctionThroughLinker) {
  Engine engine;
  auto module = Module::compile(engine, module_bytes());
  ASSERT_TRUE(module) << module.error().to_string();
  Store store(engine);
  Linker linker(engine);
  ASSERT_TRUE(linker.define_func("host", "mix", kMixType, mix));
  auto inst = linker.instantiate(store, *module);
  ASSERT_TRUE(inst) << inst.error().to_string();
  expect_run(store, *inst);
}

TEST(V128Api, HostFunctionThroughWrap) {
  Engine engine;
  auto module = Module::compile(engine, module_bytes());
  ASSERT_TRUE(module);
  Store store(engine);
  Linker linker(engine);
  ASSERT_TRUE(linker.define("host", "mix", Extern(Func::wrap(store, kMixType, mix))));
  auto inst = linker.instantiate(store, *module);
  ASSERT_TRUE(inst) << inst.error().to_string();
  expect_run(store, *inst);
}

TEST(V128Api, Globals) {
  Engine engine;
  auto module = Module::compile(engine, module_bytes());
  ASSERT_TRUE(module);
  Store store(engine);
  Linker linker(engine);
  ASSERT_TRUE(linker.define_func("host", "mix", kMixType, mix));
  auto inst = linker.instantiate(store, *module);
  ASSERT_TRUE(inst);
  std::optional<Global> g = inst->get_global(store, "g");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->type(store).type, ValType::kV128);
  EXPECT_EQ(g->get(store).v128(), i32x4(1, 2, 3, 4));

  // host -> global -> wasm
  ASSERT_TRUE(g->set(store, Val::v128(i32x4(7, 8, 9, 0xffffffff))));
  auto got = inst->get_func(store, "get_g")->call(store, {});
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)[0].v128(), i32x4(7, 8, 9, 0xffffffff));
  const Val one[] = {Val::v128(i32x4(1, 1, 1, 1))};
  auto sum = inst->get_func(store, "add_g")->call(store, one);
  ASSERT_TRUE(sum);
  EXPECT_EQ((*sum)[0].v128(), i32x4(8, 9, 10, 0));

  // wasm -> global -> host
  const Val v[] = {Val::v128(i32x4(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10))};
  ASSERT_TRUE(inst->get_func(store, "set_g")->call(store, v));
  EXPECT_EQ(g->get(store).v128(), i32x4(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10));

  // A wrong type is a usage error, not a crash.
  EXPECT_FALSE(g->set(store, Val::i32(1)));
  const Val wrong[] = {Val::i64(1)};
  EXPECT_FALSE(inst->get_func(store, "set_g")->call(store, wrong));
}

TEST(V128Api, HostGlobalOfTypeV128) {
  Engine engine;
  Store store(engine);
  auto g = Global::create(store, GlobalType{ValType::kV128, true}, Val::v128(i32x4(1, 2, 3, 4)));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->get(store).v128(), i32x4(1, 2, 3, 4));
  EXPECT_FALSE(Global::create(store, GlobalType{ValType::kV128, true}, Val::f64(1.0)));
}

}  // namespace
}  // namespace airwasm::testing
