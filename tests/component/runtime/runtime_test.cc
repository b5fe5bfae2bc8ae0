// tests/component/runtime: the component runtime through its public API (airwasm/component.hh):
// compiling, linking host functions and host resources (with semver-compatible interface names),
// instantiating, calling exports with Vals (strings, records, resources both ways), traps, limits.
// Fixtures are component text files (wat/) converted by jco at test time (fixtures.sh).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"

using airwasm::Engine;
using airwasm::EngineConfig;
using airwasm::ErrorKind;
using airwasm::Store;
using airwasm::Trap;
using airwasm::TrapCode;
using airwasm::TrapResult;
using airwasm::component::Component;
using airwasm::component::Instance;
using airwasm::component::Linker;
using airwasm::component::LinkerInstance;
using airwasm::component::resource_drop;
using airwasm::component::resource_new_own;
using airwasm::component::resource_rep;
using airwasm::component::ResourceAny;
using airwasm::component::ResourceType;
using airwasm::component::Val;
using airwasm::component::ValKind;

namespace {

std::vector<uint8_t> read_fixture(const std::string& name) {
  std::ifstream in(std::string(AIRWASM_COMPONENT_FIXTURES) + "/" + name, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// The host side of host_calls.wat's `test:host/api` interface.
struct HostApi {
  ResourceType counter_type = ResourceType::host(1001);
  std::map<uint32_t, uint32_t> counters;  // rep -> next value
  uint32_t next_rep = 1;
  int dropped = 0;

  void define(Linker& linker, std::string_view name) {
    LinkerInstance api = linker.instance(name);
    ASSERT_TRUE(api.func_new("add", [](Store&, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
      r[0] = Val::u32(p[0].as_u32() + p[1].as_u32());
      return {};
    }));
    ASSERT_TRUE(
        api.func_new("greet", [](Store&, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
          r[0] = Val::string("hello, " + p[0].as_string() + "!");
          return {};
        }));
    ASSERT_TRUE(
        api.func_new("flip", [](Store&, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
          auto f = p[0].items();
          r[0] = Val::record({{"x", Val::s32(-f[1].as_s32())}, {"y", Val::s32(f[0].as_s32())}});
          return {};
        }));
    ASSERT_TRUE(api.resource("counter", counter_type, [this](Store&, uint32_t rep) {
      counters.erase(rep);
      ++dropped;
    }));
    ASSERT_TRUE(
        api.func_new("[constructor]counter",
                     [this](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                       const uint32_t rep = next_rep++;
                       counters[rep] = p[0].as_u32();
                       r[0] = Val::resource(*resource_new_own(store, counter_type, rep));
                       return {};
                     }));
    ASSERT_TRUE(
        api.func_new("[method]counter.next",
                     [this](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                       auto rep = resource_rep(store, p[0].as_resource());
                       if (!rep) return std::unexpected(Trap(TrapCode::kHostError, rep.error().message));
                       r[0] = Val::u32(counters[*rep]++);
                       return {};
                     }));
  }
};

struct Fixture : ::testing::Test {
  Engine engine;
  Store store{engine};
  Linker linker{engine};
  HostApi host;
  std::optional<Instance> instance;

  void SetUp() override {
    host.define(linker, "test:host/api@1.2.7");  // a newer patch than the import's 1.2.0
    auto c = Component::compile(engine, read_fixture("host_calls.wasm"));
    ASSERT_TRUE(c) << c.error().to_string();
    auto inst = linker.instantiate(store, *c);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  TrapResult<std::vector<Val>> call(std::string_view name, std::vector<Val> args) {
    auto f = instance->get_func(store, name);
    EXPECT_TRUE(f) << name;
    if (!f) return std::unexpected(Trap(TrapCode::kHostError, "no such export"));
    return f->call(store, args);
  }
};

TEST_F(Fixture, CallsHostFunctionsThroughLoweredImports) {
  auto r = call("sum3", {Val::u32(1), Val::u32(2), Val::u32(39)});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ((*r)[0], Val::u32(42));
}

TEST_F(Fixture, StringsCrossBothWays) {
  auto r = call("hello", {Val::string("wörld")});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ((*r)[0].as_string(), "hello, wörld!");
  std::string big(100000, 'x');
  auto e = call("echo", {Val::string(big)});
  ASSERT_TRUE(e) << e.error().message();
  EXPECT_EQ((*e)[0].as_string(), big);
}

TEST_F(Fixture, RecordsThroughReturnPointers) {
  auto r = call("flip-twice", {Val::record({{"x", Val::s32(3)}, {"y", Val::s32(4)}})});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ((*r)[0], Val::record({{"x", Val::s32(-3)}, {"y", Val::s32(-4)}}));
}

TEST_F(Fixture, HostResourcesAreCreatedBorrowedAndDestroyed) {
  auto r = call("count", {Val::u32(10), Val::u32(5)});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ((*r)[0], Val::u32(14));
  EXPECT_EQ(host.dropped, 1);  // the guest dropped its own handle: the host destructor ran
  EXPECT_TRUE(host.counters.empty());
}

TEST_F(Fixture, GuestResourcesHeldByTheHost) {
  auto r = call("make-blob", {Val::u32(7)});
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ((*r)[0].kind(), ValKind::kOwn);
  ResourceAny blob = (*r)[0].as_resource();
  EXPECT_FALSE(blob.type().is_host());
  EXPECT_FALSE(resource_rep(store, blob));  // a guest resource's representation stays private
  EXPECT_TRUE(resource_drop(store, blob));
  EXPECT_FALSE(resource_drop(store, blob));  // dropped once only
}

TEST_F(Fixture, TrapsPoisonTheInstance) {
  auto r = call("boom", {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("unreachable"), std::string::npos);
  auto again = call("sum3", {Val::u32(1), Val::u32(2), Val::u32(3)});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message(), "cannot enter component instance");
}

TEST_F(Fixture, WrongArgumentsAreErrorsNotCrashes) {
  EXPECT_FALSE(call("sum3", {Val::u32(1)}));
  EXPECT_FALSE(call("sum3", {Val::string("x"), Val::u32(1), Val::u32(2)}));
}

TEST(ComponentLinking, MissingImportIsNamed) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  auto c = Component::compile(engine, read_fixture("host_calls.wasm"));
  ASSERT_TRUE(c);
  auto inst = linker.instantiate(store, *c);
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().kind, ErrorKind::kUnlinkable);
  EXPECT_NE(inst.error().message.find("test:host/api@1.2.0"), std::string::npos);
}

TEST(ComponentLinking, IncompatibleVersionDoesNotLink) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  HostApi host;
  host.define(linker, "test:host/api@2.0.0");
  auto c = Component::compile(engine, read_fixture("host_calls.wasm"));
  ASSERT_TRUE(c);
  EXPECT_FALSE(linker.instantiate(store, *c));
}

TEST(ComponentLinking, OneCompiledComponentManyStores) {
  Engine engine;
  Linker linker(engine);
  HostApi host;
  host.define(linker, "test:host/api@1.2.0");
  auto c = Component::compile(engine, read_fixture("host_calls.wasm"));
  ASSERT_TRUE(c);
  auto pre = linker.instantiate_pre(*c);
  ASSERT_TRUE(pre) << pre.error().to_string();
  for (int i = 0; i < 20; ++i) {
    Store store(engine);
    auto inst = pre->instantiate(store);
    ASSERT_TRUE(inst) << inst.error().to_string();
    auto f = inst->get_func(store, "sum3");
    ASSERT_TRUE(f);
    auto r = f->call(store, std::vector<Val>{Val::u32(i), Val::u32(1), Val::u32(1)});
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0], Val::u32(i + 2));
  }
}

TEST(ComponentLimits, FuelAndDeadlinesApplyToComponentCalls) {
  EngineConfig config;
  config.consume_fuel = true;
  Engine engine(config);
  Store store(engine);
  ASSERT_TRUE(store.set_fuel(1'000'000));
  Linker linker(engine);
  HostApi host;
  host.define(linker, "test:host/api@1.2.0");
  auto c = Component::compile(engine, read_fixture("host_calls.wasm"));
  ASSERT_TRUE(c);
  auto inst = linker.instantiate(store, *c);
  ASSERT_TRUE(inst);
  auto f = inst->get_func(store, "count");
  const uint64_t before = *store.fuel_remaining();
  auto r = f->call(store, std::vector<Val>{Val::u32(0), Val::u32(100)});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_LT(*store.fuel_remaining(), before);
  ASSERT_TRUE(store.set_fuel(50));
  auto starved = f->call(store, std::vector<Val>{Val::u32(0), Val::u32(100000)});
  ASSERT_FALSE(starved);
  EXPECT_EQ(starved.error().code(), TrapCode::kOutOfFuel);
}

}  // namespace

namespace {

// hostile.wat: core code that hands the canonical ABI bad pointers, lengths, characters, discriminants,
// handles and reallocs. Each must trap with the right message, and the host must stay intact.
struct Hostile : ::testing::Test {
  Engine engine;
  Store store{engine};
  std::optional<Instance> instance;
  void SetUp() override {
    auto c = Component::compile(engine, read_fixture("hostile.wasm"));
    ASSERT_TRUE(c) << c.error().to_string();
    Linker linker(engine);
    auto inst = linker.instantiate(store, *c);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  std::string trap_of(std::string_view name, std::vector<Val> args = {}) {
    // A fresh instance per call: a trap poisons the instance it happened in.
    SetUp();
    auto f = instance->get_func(store, name);
    if (!f) return "no export";
    auto r = f->call(store, args);
    return r ? "returned " + (r->empty() ? std::string("()") : (*r)[0].to_string()) : r.error().message();
  }
};

TEST_F(Hostile, BadPointersAndLengthsTrap) {
  EXPECT_EQ(trap_of("string-oob"), "string pointer/length out of bounds of memory");
  EXPECT_NE(trap_of("string-len-overflow").find("exceeds the maximum"), std::string::npos);
  EXPECT_NE(trap_of("list-overflow").find("exceeds the maximum"), std::string::npos);
  EXPECT_EQ(trap_of("unaligned-list"), "unaligned pointer");
  EXPECT_EQ(trap_of("unaligned-retptr"), "unaligned pointer");
  EXPECT_EQ(trap_of("retptr-oob"), "unaligned pointer");
}

TEST_F(Hostile, BadScalarsTrap) {
  EXPECT_EQ(trap_of("bad-char"), "invalid `char` bit pattern");
  EXPECT_EQ(trap_of("big-char"), "invalid `char` bit pattern");
  EXPECT_EQ(trap_of("bad-discriminant"), "invalid variant discriminant");
  EXPECT_EQ(trap_of("bad-enum"), "invalid variant discriminant");
  EXPECT_NE(trap_of("invalid-utf8").find("invalid utf-8"), std::string::npos);
  // The spec reads any non-zero i32 as true and ignores flag bits beyond the labels.
  EXPECT_EQ(trap_of("bad-bool"), "returned true");
  EXPECT_EQ(trap_of("bad-flags"), "returned {x, y}");
}

TEST_F(Hostile, BadReallocResultsTrap) {
  auto mode = instance->get_func(store, "set-mode");
  auto take = instance->get_func(store, "take-string");
  ASSERT_TRUE(mode && take);
  ASSERT_TRUE(mode->call(store, std::vector<Val>{Val::u32(1)}));
  auto r = take->call(store, std::vector<Val>{Val::string(std::string(100, 'a'))});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "realloc return: beyond end of memory");
  SetUp();
  mode = instance->get_func(store, "set-mode");
  take = instance->get_func(store, "take-string");
  ASSERT_TRUE(mode->call(store, std::vector<Val>{Val::u32(2)}));
  // utf16 would need alignment 2; a utf8 string has alignment 1, so an odd pointer is fine here.
  EXPECT_TRUE(take->call(store, std::vector<Val>{Val::string("ok")}));
}

TEST_F(Hostile, HandleMisuseTraps) {
  EXPECT_EQ(trap_of("double-drop"), "unknown handle index 1");
}

}  // namespace
