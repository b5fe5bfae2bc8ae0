// Exception handling through the public API: throw/catch in one function and across calls, catch_all,
// catch_ref + throw_ref, catches into a loop's block and the function's label, uncaught exceptions and
// null exnrefs as traps, exceptions never crossing a host function, fuel metering, tags shared through
// imports and their per-instance identity, and the feature flag. wabt 1.0.32 only writes the legacy
// try/catch, so the modules are written here in binary.
#include <initializer_list>
#include <string>

#include "fixture.hh"

namespace airwasm::testing {
namespace {

using Bytes = std::vector<uint8_t>;

void leb(Bytes& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
}
void name(Bytes& out, const std::string& s) {
  leb(out, uint32_t(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}
Bytes section(uint8_t id, const Bytes& payload) {
  Bytes out{id};
  leb(out, uint32_t(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}
// A vector section: the count, then the entries' bytes.
Bytes vec_section(uint8_t id, std::initializer_list<Bytes> entries) {
  Bytes p;
  leb(p, uint32_t(entries.size()));
  for (const Bytes& e : entries) p.insert(p.end(), e.begin(), e.end());
  return section(id, p);
}
Bytes body(const Bytes& locals, const Bytes& code) {
  Bytes b = locals;
  b.insert(b.end(), code.begin(), code.end());
  Bytes out;
  leb(out, uint32_t(b.size()));
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
Bytes export_entry(const std::string& n, uint8_t kind, uint32_t index) {
  Bytes e;
  name(e, n);
  e.push_back(kind);
  leb(e, index);
  return e;
}
Bytes module(std::initializer_list<Bytes> sections) {
  Bytes m{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& s : sections) m.insert(m.end(), s.begin(), s.end());
  return m;
}

const Bytes kNoLocals{0x00};

// Types: 0 (i32)->(), 1 (i32)->(i32), 2 ()->(), 3 ()->(i32 exnref).
Bytes types() {
  return vec_section(1, {{0x60, 0x01, 0x7f, 0x00},
                         {0x60, 0x01, 0x7f, 0x01, 0x7f},
                         {0x60, 0x00, 0x00},
                         {0x60, 0x00, 0x02, 0x7f, 0x69}});
}

// The main module. Function 0 is the import host.reenter (i32)->(i32); tags 0 and 1 are (i32).
Bytes main_module() {
  Bytes import;
  name(import, "host");
  name(import, "reenter");
  import.push_back(0x00);
  import.push_back(0x01);
  return module({
      types(),
      vec_section(2, {import}),
      vec_section(3, {{0}, {1}, {1}, {1}, {1}, {2}, {0}, {1}, {1}, {1}, {1}}),
      vec_section(13, {{0x00, 0x00}, {0x00, 0x00}}),
      vec_section(7, {export_entry("throw", 0, 1), export_entry("catch_same", 0, 2),
                      export_entry("catch_call", 0, 3), export_entry("catch_all", 0, 4),
                      export_entry("rethrow", 0, 5), export_entry("throw_null", 0, 6),
                      export_entry("uncaught", 0, 7), export_entry("wrong_tag", 0, 8),
                      export_entry("via_host", 0, 9), export_entry("loop_catch", 0, 10),
                      export_entry("catch_to_func", 0, 11), export_entry("t0", 4, 0)}),
      vec_section(10,
                  {
                      // 1 throw: throw 0 (local 0)
                      body(kNoLocals, {0x20, 0x00, 0x08, 0x00, 0x0b}),
                      // 2 catch_same: block $h (i32) try_table (catch 0 $h) throw 0 end; 99; return end
                      body(kNoLocals, {0x02, 0x7f, 0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x08, 0x00,
                                       0x0b, 0x41, 0xe3, 0x00, 0x0f, 0x0b, 0x0b}),
                      // 3 catch_call: the same around `call 1`
                      body(kNoLocals, {0x02, 0x7f, 0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x10, 0x01,
                                       0x0b, 0x41, 0xe3, 0x00, 0x0f, 0x0b, 0x0b}),
                      // 4 catch_all: block $all try_table (catch_all $all) call 1 end; 99; return end; 77
                      body(kNoLocals, {0x02, 0x40, 0x1f, 0x40, 0x01, 0x02, 0x00, 0x20, 0x00, 0x10, 0x01,
                                       0x0b, 0x41, 0xe3, 0x00, 0x0f, 0x0b, 0x41, 0xcd, 0x00, 0x0b}),
                      // 5 rethrow: an inner catch_ref hands the exnref on with throw_ref to an outer catch
                      body({0x01, 0x01, 0x69},
                           {0x02, 0x7f,                          // block $outer (i32)
                            0x1f, 0x40, 0x01, 0x00, 0x00, 0x00,  //   try_table (catch 0 $outer)
                            0x02, 0x03,                          //     block $h (i32 exnref)
                            0x1f, 0x40, 0x01, 0x01, 0x00, 0x00,  //       try_table (catch_ref 0 $h)
                            0x20, 0x00, 0x10, 0x01, 0x0b,        //         call 1 end
                            0x00, 0x0b,                          //       unreachable end
                            0x21, 0x01, 0x1a, 0x20, 0x01, 0x0a,  //     local.set 1 drop local.get 1 throw_ref
                            0x0b, 0x00, 0x0b, 0x0b}),            //   end unreachable end end
                      /* 6 throw_null: throw_ref (ref.null exn) */
                      body(kNoLocals, {0xd0, 0x69, 0x0a, 0x0b}),
                      // 7 uncaught: call 1
                      body(kNoLocals, {0x20, 0x00, 0x10, 0x01, 0x0b}),
                      // 8 wrong_tag: like catch_call, catching tag 1
                      body(kNoLocals, {0x02, 0x7f, 0x1f, 0x40, 0x01, 0x00, 0x01, 0x00, 0x20, 0x00, 0x10, 0x01,
                                       0x0b, 0x41, 0xe3, 0x00, 0x0f, 0x0b, 0x0b}),
                      // 9 via_host: catch_all around a host call that re-enters `throw`
                      body(kNoLocals, {0x02, 0x40, 0x1f, 0x40, 0x01, 0x02, 0x00, 0x20, 0x00, 0x10,
                                       0x00, 0x1a, 0x0b, 0x41, 0x01, 0x0f, 0x0b, 0x41, 0x02, 0x0b}),
                      // 10 loop_catch: throw and catch local 0 times in a loop, return the count
                      body({0x01, 0x01, 0x7f},
                           {0x03, 0x40, 0x02, 0x7f, 0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x20, 0x01,
                            0x10, 0x01, 0x0b, 0x00, 0x0b, 0x1a, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x22,
                            0x01, 0x20, 0x00, 0x49, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b}),
                      // 11 catch_to_func: try_table (catch 0 <function label>) call 1 end; 99
                      body(kNoLocals, {0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x10, 0x01, 0x0b, 0x41,
                                       0xe3, 0x00, 0x0b}),
                  }),
  });
}

// Imports a tag and a thrower; `run` catches that tag around a call of the thrower.
Bytes catcher_module() {
  Bytes tag, thrower;
  name(tag, "env");
  name(tag, "t");
  tag.insert(tag.end(), {0x04, 0x00, 0x00});
  name(thrower, "env");
  name(thrower, "throw");
  thrower.insert(thrower.end(), {0x00, 0x00});
  return module({
      types(),
      vec_section(2, {tag, thrower}),
      vec_section(3, {{1}}),
      vec_section(7, {export_entry("run", 0, 1)}),
      vec_section(10, {body(kNoLocals, {0x02, 0x7f, 0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x10,
                                        0x00, 0x0b, 0x41, 0xe3, 0x00, 0x0f, 0x0b, 0x0b})}),
  });
}

class Exceptions : public ::testing::Test {
 protected:
  void instantiate(EngineConfig config = {}) {
    engine = std::make_unique<Engine>(config);
    store = std::make_unique<Store>(*engine);
    Linker linker(*engine);
    ASSERT_TRUE(
        linker.define_func("host", "reenter", FuncType{{ValType::kI32}, {ValType::kI32}},
                           [this](Caller& c, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                             auto f = instance->get_func(c.store(), "throw");
                             auto results = f->call(c.store(), std::vector{p[0]});
                             if (!results) return std::unexpected(results.error());
                             r[0] = Val::i32(0);
                             return {};
                           }));
    auto m = Module::compile(*engine, main_module());
    ASSERT_TRUE(m) << m.error().to_string();
    auto inst = linker.instantiate(*store, *m);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  TrapResult<std::vector<Val>> call(const char* name, std::optional<int32_t> arg) {
    std::vector<Val> args;
    if (arg) args.push_back(Val::i32(*arg));
    return instance->get_func(*store, name)->call(*store, args);
  }
  int32_t value(const char* name, int32_t arg) {
    auto r = call(name, arg);
    EXPECT_TRUE(r) << name << ": " << r.error().message();
    return r && !r->empty() ? (*r)[0].i32() : -1;
  }
  std::string trap(const char* name, std::optional<int32_t> arg) {
    auto r = call(name, arg);
    return r ? std::string("no trap") : r.error().message();
  }

  std::unique_ptr<Engine> engine;
  std::unique_ptr<Store> store;
  std::optional<Instance> instance;
};

TEST_F(Exceptions, CatchInTheSameFunctionAndAcrossCalls) {
  instantiate();
  EXPECT_EQ(value("catch_same", 42), 42);
  EXPECT_EQ(value("catch_call", 7), 7);
  EXPECT_EQ(value("catch_to_func", 5), 5);
}

TEST_F(Exceptions, CatchAllAndRethrowThroughExnref) {
  instantiate();
  EXPECT_EQ(value("catch_all", 1), 77);
  EXPECT_EQ(value("rethrow", 13), 13);
}

TEST_F(Exceptions, UncaughtAndNullAreTraps) {
  instantiate();
  EXPECT_EQ(trap("uncaught", 1), "uncaught exception");
  EXPECT_EQ(trap("throw", 1), "uncaught exception");
  EXPECT_EQ(trap("wrong_tag", 1), "uncaught exception");  // a catch matches its own tag only
  EXPECT_EQ(trap("throw_null", std::nullopt), "null exception reference");
  EXPECT_EQ(value("catch_call", 3), 3);  // the store stays usable
}

TEST_F(Exceptions, DoNotCrossHostFunctions) {
  instantiate();
  // The re-entered `throw` ends its own activation with a trap; the host returns it and the outer
  // catch_all does not catch traps.
  EXPECT_EQ(trap("via_host", 1), "uncaught exception");
}

TEST_F(Exceptions, ManyCatchesInALoop) {
  instantiate();
  EXPECT_EQ(value("loop_catch", 1000), 1000);
}

TEST_F(Exceptions, WorkWithFuelMetering) {
  instantiate(fuel_config());
  ASSERT_TRUE(store->set_fuel(1'000'000));
  EXPECT_EQ(value("loop_catch", 100), 100);
  EXPECT_EQ(value("rethrow", 9), 9);
  ASSERT_TRUE(store->set_fuel(50));
  EXPECT_EQ(trap("loop_catch", 100000), "all fuel consumed by WebAssembly");
}

TEST_F(Exceptions, SlicedCallsSuspendAndResumeAroundCatches) {
  instantiate(fuel_config());
  ASSERT_TRUE(store->set_fuel(UINT64_MAX));
  auto call =
      SlicedCall::start(*store, *instance->get_func(*store, "loop_catch"), std::vector{Val::i32(2000)}, 37);
  ASSERT_TRUE(call) << call.error().message();
  int slices = 1;
  while (!call->finished()) {
    ASSERT_TRUE(call->resume(*store, 37));
    ++slices;
  }
  EXPECT_GT(slices, 100);
  EXPECT_EQ(call->results()[0].i32(), 2000);
}

TEST_F(Exceptions, TagsAreSharedThroughImportsAndDistinctPerInstance) {
  instantiate();
  auto catcher = Module::compile(*engine, catcher_module());
  ASSERT_TRUE(catcher) << catcher.error().to_string();
  auto throw_a = instance->get_func(*store, "throw");
  auto tag_a = instance->get_export(*store, "t0");
  ASSERT_TRUE(tag_a && tag_a->tag());
  EXPECT_EQ(tag_a->type(*store).tag, (FuncType{{ValType::kI32}, {}}));

  Linker same(*engine);
  ASSERT_TRUE(same.define("env", "t", *tag_a));
  ASSERT_TRUE(same.define("env", "throw", Extern(*throw_a)));
  auto c1 = same.instantiate(*store, *catcher);
  ASSERT_TRUE(c1) << c1.error().to_string();
  auto r1 = c1->get_func(*store, "run")->call(*store, std::vector{Val::i32(21)});
  ASSERT_TRUE(r1) << r1.error().message();
  EXPECT_EQ((*r1)[0].i32(), 21);

  // A tag made by the host (or another instance) is a different tag, even with the same type.
  auto other = Tag::create(*store, FuncType{{ValType::kI32}, {}});
  ASSERT_TRUE(other);
  Linker different(*engine);
  ASSERT_TRUE(different.define("env", "t", Extern(*other)));
  ASSERT_TRUE(different.define("env", "throw", Extern(*throw_a)));
  auto c2 = different.instantiate(*store, *catcher);
  ASSERT_TRUE(c2) << c2.error().to_string();
  auto r2 = c2->get_func(*store, "run")->call(*store, std::vector{Val::i32(21)});
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().message(), "uncaught exception");

  // A tag of another type does not link.
  auto wrong = Tag::create(*store, FuncType{{ValType::kI64}, {}});
  Linker mismatched(*engine);
  ASSERT_TRUE(mismatched.define("env", "t", Extern(*wrong)));
  ASSERT_TRUE(mismatched.define("env", "throw", Extern(*throw_a)));
  EXPECT_FALSE(mismatched.instantiate(*store, *catcher));
}

TEST(ExceptionsFeature, InvalidBodyWithTryTableIsInvalidNotMalformed) {
  // The error path re-scans bodies for syntax errors; try_table's `end` must count as a block's.
  Engine engine;
  auto m = module({vec_section(1, {{0x60, 0x00, 0x01, 0x7f}}), vec_section(3, {{0}}),
                   vec_section(10, {body(kNoLocals, {0x1f, 0x40, 0x00, 0x0b, 0x42, 0x00, 0x0b})})});
  auto r = Module::compile(engine, m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalid) << r.error().to_string();
  EXPECT_EQ(r.error().message, "type mismatch");
}

TEST(ExceptionsFeature, OffRejectsTags) {
  EngineConfig config;
  config.features.exceptions = false;
  Engine engine(config);
  auto m = Module::compile(engine, main_module());
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::kMalformed) << m.error().message;  // exnref is not a value type
  auto tags_only = module({vec_section(1, {{0x60, 0x01, 0x7f, 0x00}}), vec_section(13, {{0x00, 0x00}})});
  auto t = Module::compile(engine, tags_only);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("malformed section id"), std::string::npos) << t.error().message;
  Engine on;
  EXPECT_TRUE(Module::compile(on, tags_only));
}

}  // namespace
}  // namespace airwasm::testing
