// tests/host/engine: the RuntimeEngine (HostEngine) on real components. The reference engine's 18 tests
// (airssys-wasm's WasmtimeEngine: 7 unit, 11 integration; same names and meaning) run once per fixture
// family: "wat" (components written in the text format, tests/host/engine/wat, built by fixtures.sh) and
// "c" / "js" (built from C and JavaScript by the fixtures of tests/host/fixtures, when present). Each family
// provides echo (answers the payload), counter (decimal count of messages, reset by initialize) and, for
// the wat family, runaway (loops, traps or grows memory on request).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "airwasm/host/engine.hh"

namespace airwasm::host {
namespace {

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The fixture folders: the build's (compile definitions), or those named by the environment variables of
// the same names (the ThreadSanitizer build of scripts/test.sh uses the release build's fixtures).
std::string dir(const char* env, const char* built) {
  const char* v = std::getenv(env);
  return v && *v ? v : built;
}
std::string fixture_path(const std::string& family, const std::string& name) {
  if (family == "wat")
    return dir("AIRWASM_HOST_WAT_FIXTURES", AIRWASM_HOST_WAT_FIXTURES) + "/" + name + ".wasm";
  return dir("AIRWASM_HOST_FIXTURES", AIRWASM_HOST_FIXTURES) + "/" + family + "_" + name + ".wasm";
}

ComponentMessage message(std::vector<uint8_t> payload) {
  ComponentMessage m;
  m.sender = ComponentId{"test", "sender", "0"};
  m.payload = std::move(payload);
  return m;
}
ComponentMessage text(std::string_view s) {
  return message(std::vector<uint8_t>(s.begin(), s.end()));
}
std::string as_text(const MessagePayload& p) {
  return std::string(p.begin(), p.end());
}

std::unique_ptr<HostEngine> make_engine(EngineOptions options = {}) {
  auto e = HostEngine::create(std::move(options));
  EXPECT_TRUE(e.has_value());
  return std::move(*e);
}

// A fixture family ("wat", "c", "js") run under one compiler mode (EngineOptions::compiler). The plain
// family names run under kAuto, the default; "_interpreter" and "_baseline" force one tier for every
// function, so each reference test checks the host's behaviour (fuel, limits, deadlines, interrupts,
// traps) with the guest's code interpreted and compiled.
struct FamilyMode {
  std::string family;
  CompilerMode mode;
};
std::string family_mode_name(const FamilyMode& p) {
  switch (p.mode) {
    case CompilerMode::kInterpreter:
      return p.family + "_interpreter";
    case CompilerMode::kBaseline:
      return p.family + "_baseline";
    case CompilerMode::kAuto:
      break;
  }
  return p.family;
}
void PrintTo(const FamilyMode& p, std::ostream* os) {  // (test listings, instead of the bytes)
  *os << family_mode_name(p);
}

class EngineTest : public ::testing::TestWithParam<FamilyMode> {
 protected:
  const std::string& family() const { return GetParam().family; }
  CompilerMode mode() const { return GetParam().mode; }
  std::vector<uint8_t> fixture(const std::string& name) {
    const std::string path = fixture_path(family(), name);
    if (!std::filesystem::exists(path)) return {};
    return read_file(path);
  }
  // The engine of a test: the given options under this instance's compiler mode.
  std::unique_ptr<HostEngine> make_engine(EngineOptions options = {}) {
    options.compiler = mode();
    return host::make_engine(std::move(options));
  }
  void SetUp() override {
    if (mode() == CompilerMode::kBaseline && !Engine::compiler_available())
      GTEST_SKIP() << "no baseline compiler on this machine";
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    // A JS component under a sanitizer build takes ~30 s per test (SpiderMonkey in an instrumented
    // interpreter): there, two JS tests under the default mode stand for the family, which the release
    // run covers in full.
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (family() == "js" && (mode() != CompilerMode::kAuto ||
                             (!test.starts_with("MessageOk/") && !test.starts_with("UnloadDuringCall/"))))
      GTEST_SKIP() << "JS family: only MessageOk and UnloadDuringCall, under kAuto, under sanitizers";
#endif
    echo_ = fixture("echo");
    if (echo_.empty())
      GTEST_SKIP() << "no " << family() << " fixtures (" << fixture_path(family(), "echo") << ")";
    counter_ = fixture("counter");
  }
  // Limits that leave a well-behaved component room: a JavaScript component (SpiderMonkey) starts with
  // about 12 MiB of memory and runs about 5 million units of fuel in its first call.
  bool js() const { return family() == "js"; }
  uint64_t roomy_memory() const { return js() ? 64 << 20 : 4 << 20; }
  uint64_t roomy_fuel() const { return js() ? 100'000'000 : 1'000'000; }
  std::vector<uint8_t> echo_, counter_;
};

// ---------------------------------------------------------------- the reference's unit tests (7)

TEST_P(EngineTest, EngineCreation) {
  auto engine = HostEngine::create();
  ASSERT_TRUE(engine.has_value());
  EXPECT_EQ((*engine)->stats().loaded, 0u);
}

TEST_P(EngineTest, LoadComponentOk) {
  auto engine = make_engine();
  const ComponentId id{"test-org", "echo", "0.1.0"};
  auto h = engine->load_component(id, echo_);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  EXPECT_EQ(h->id, id);
  EXPECT_EQ(h->handle_id, 1u);  // the counter starts at 1
}

TEST_P(EngineTest, LoadInvalidComponent) {
  auto engine = make_engine();
  auto r =
      engine->load_component({"test", "invalid", "0"}, std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff, 0xff});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, WasmError::Case::kInstantiationFailed);
  EXPECT_FALSE(r.error().message.empty());
  auto partial = engine->load_component({"test", "corrupted", "0"}, std::vector<uint8_t>{0x00, 0x61, 0x73});
  ASSERT_FALSE(partial.has_value());
  EXPECT_EQ(partial.error().kind, WasmError::Case::kInstantiationFailed);
}

TEST_P(EngineTest, LoadAndUnload) {
  auto engine = make_engine();
  auto h = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value());
  EXPECT_TRUE(engine->has_component(h->id));
  EXPECT_TRUE(engine->unload_component(*h).has_value());
  EXPECT_FALSE(engine->has_component(h->id));
  // Idempotent, as in the reference; calls after the unload find nothing.
  EXPECT_TRUE(engine->unload_component(*h).has_value());
  auto r = engine->call_handle_message(*h, text("x"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, WasmError::Case::kComponentNotFound);
}

TEST_P(EngineTest, MessageOk) {
  auto engine = make_engine();
  auto h = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value());
  auto r = engine->call_handle_message(*h, message({100, 200}));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, (MessagePayload{100, 200}));
}

TEST_P(EngineTest, MessageWithInvalidInput) {
  auto engine = make_engine();
  // An unknown handle: component-not-found.
  auto r = engine->call_handle_message(ComponentHandle{{"test", "comp", "0"}, 999}, text(""));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, WasmError::Case::kComponentNotFound);
  // An empty payload is valid input: echoed as empty.
  auto h = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value());
  auto empty = engine->call_handle_message(*h, message({}));
  ASSERT_TRUE(empty.has_value());
  ASSERT_TRUE(empty->has_value());
  EXPECT_TRUE((*empty)->empty());
}

TEST_P(EngineTest, Callback) {
  auto engine = make_engine();
  auto h = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value());
  ComponentMessage m = text("answer");
  m.metadata.correlation_id = "corr-1";
  EXPECT_TRUE(engine->call_handle_callback(*h, m).has_value());
  auto missing = engine->call_handle_callback(ComponentHandle{{"test", "comp", "0"}, 999}, m);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, WasmError::Case::kComponentNotFound);
}

// ---------------------------------------------------------------- the reference's integration tests (11)

TEST_P(EngineTest, Execution) {
  auto engine = make_engine();
  auto h = engine->load_component({"test-org", "echo", "1.0.0"}, echo_);
  ASSERT_TRUE(h.has_value());
  auto r = engine->call_handle_message(*h, message({1, 2, 3}));
  ASSERT_TRUE(r.has_value() && r->has_value());
  EXPECT_EQ(**r, (MessagePayload{1, 2, 3}));
  EXPECT_TRUE(engine->unload_component(*h).has_value());
}

TEST_P(EngineTest, MessageFlow) {
  if (counter_.empty()) GTEST_SKIP() << "no counter fixture";
  auto engine = make_engine();
  auto h = engine->load_component({"test", "counter", "0"}, counter_);
  ASSERT_TRUE(h.has_value());
  for (int i = 1; i <= 12; ++i) {
    auto r = engine->call_handle_message(*h, text("tick"));
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_EQ(as_text(**r), std::to_string(i));
  }
}

TEST_P(EngineTest, CallbackFlow) {
  auto engine = make_engine();
  auto h = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value());
  // Callbacks interleave with messages; the component keeps answering.
  for (int i = 0; i < 5; ++i) {
    ComponentMessage cb = text("reply " + std::to_string(i));
    cb.metadata.correlation_id = "c" + std::to_string(i);
    cb.metadata.reply_to = h->id;
    EXPECT_TRUE(engine->call_handle_callback(*h, cb).has_value());
    auto r = engine->call_handle_message(*h, text("after"));
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_EQ(as_text(**r), "after");
  }
}

TEST_P(EngineTest, Configuration) {
  if (counter_.empty()) GTEST_SKIP() << "no counter fixture";
  auto engine = make_engine();
  ComponentConfig config;
  config.env_vars = {{"MODE", "test"}};
  config.config_data = MessagePayload{1, 2, 3};
  config.resource_limits.max_memory_bytes = roomy_memory();
  config.resource_limits.max_fuel = roomy_fuel();
  auto h = engine->load_component({"test", "counter", "0"}, counter_, config);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  ASSERT_TRUE(engine->call_handle_message(*h, text("a")).has_value());
  // Reloading runs initialize again: the count starts over.
  auto h2 = engine->reload_component(*h);
  ASSERT_TRUE(h2.has_value());
  EXPECT_NE(h2->handle_id, h->handle_id);
  auto r = engine->call_handle_message(*h2, text("a"));
  ASSERT_TRUE(r.has_value() && r->has_value());
  EXPECT_EQ(as_text(**r), "1");
  auto md = engine->metadata(*h2);
  ASSERT_TRUE(md.has_value()) << md.error().to_string();
  EXPECT_FALSE(md->name.empty());
}

TEST_P(EngineTest, Isolation) {
  if (counter_.empty()) GTEST_SKIP() << "no counter fixture";
  auto engine = make_engine();
  auto a = engine->load_component({"test", "counter", "a"}, counter_);
  auto b = engine->load_component({"test", "counter", "b"}, counter_);
  ASSERT_TRUE(a.has_value() && b.has_value());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine->call_handle_message(*a, text("x")).has_value());
  auto ra = engine->call_handle_message(*a, text("x"));
  auto rb = engine->call_handle_message(*b, text("x"));
  ASSERT_TRUE(ra.has_value() && rb.has_value() && ra->has_value() && rb->has_value());
  EXPECT_EQ(as_text(**ra), "4");
  EXPECT_EQ(as_text(**rb), "1");  // its own Store: a's state is not visible
}

TEST_P(EngineTest, Fuel) {
  auto engine = make_engine();
  ComponentConfig config;
  config.resource_limits.max_fuel = roomy_fuel();
  auto h = engine->load_component({"test", "echo", "0"}, echo_, config);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  // Fuel is per call: many calls each fit in the budget.
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(engine->call_handle_message(*h, text("fits")).has_value());
  auto runaway = fixture("runaway");
  if (runaway.empty()) return;
  auto r = engine->load_component({"test", "runaway", "0"}, runaway, config);
  ASSERT_TRUE(r.has_value());
  auto spin = engine->call_handle_message(*r, text("loop"));
  ASSERT_FALSE(spin.has_value());
  EXPECT_EQ(spin.error().kind, WasmError::Case::kResourceLimitExceeded) << spin.error().to_string();
}

TEST_P(EngineTest, Async) {
  auto engine = make_engine();
  auto h = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value());
  std::vector<std::future<std::expected<std::optional<MessagePayload>, WasmError>>> futures;
  for (int i = 0; i < 50; ++i)
    futures.push_back(engine->call_handle_message_async(*h, text(std::to_string(i))));
  for (int i = 0; i < 50; ++i) {
    auto r = futures[i].get();
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_EQ(as_text(**r), std::to_string(i));
  }
  EXPECT_TRUE(engine->call_handle_callback_async(*h, text("cb")).get().has_value());
}

TEST_P(EngineTest, MultipleComponents) {
  auto engine = make_engine();
  auto h1 = engine->load_component({"org1", "echo", "1.0.0"}, echo_);
  auto h2 = engine->load_component({"org2", "echo", "1.0.0"}, echo_);
  ASSERT_TRUE(h1.has_value() && h2.has_value());
  EXPECT_NE(h1->handle_id, h2->handle_id);
  EXPECT_EQ(engine->stats().compilations, 1u);  // the second load came from the compiled-code cache
  EXPECT_EQ(engine->stats().cache_hits, 1u);
  // The same id twice is refused: it is what messages are addressed to.
  auto dup = engine->load_component({"org1", "echo", "1.0.0"}, echo_);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().kind, WasmError::Case::kInstantiationFailed);
  auto ids = engine->list_components();
  EXPECT_EQ(ids.size(), 2u);
}

TEST_P(EngineTest, ErrorPropagation) {
  auto engine = make_engine();
  auto corrupted = engine->load_component({"test", "corrupted", "0"}, std::vector<uint8_t>{0x00, 0x61, 0x73});
  ASSERT_FALSE(corrupted.has_value());
  EXPECT_EQ(corrupted.error().kind, WasmError::Case::kInstantiationFailed);
  // The guest's err(...) comes back as is, apart from host failures, in call_handle_message_ex.
  if (family() == "wat") {
    auto h = engine->load_component({"test", "runaway", "e"}, fixture("runaway"));
    ASSERT_TRUE(h.has_value());
    auto ex = engine->call_handle_message_ex(*h, text("err"));
    ASSERT_TRUE(ex.has_value());
    ASSERT_FALSE(ex->has_value());
    EXPECT_EQ(ex->error().to_string(), "runtime-error(\"asked to fail\")");
  } else {
    auto h = engine->load_component({"test", "callback", "e"}, fixture("callback"));
    ASSERT_TRUE(h.has_value()) << h.error().to_string();
    auto ex = engine->call_handle_message_ex(*h, text("no separators"));
    ASSERT_TRUE(ex.has_value()) << ex.error().to_string();
    ASSERT_FALSE(ex->has_value());
    EXPECT_EQ(ex->error().to_string(),
              "runtime-error(\"invalid payload format: expected namespace|name|instance|data\")");
    EXPECT_TRUE(engine->health(*h).has_value());  // a guest error is no trap: still healthy
    EXPECT_EQ(engine->health(*h).value(), HealthStatus::kHealthy);
  }
  auto runaway = fixture("runaway");
  auto h = engine->load_component({"test", "runaway", "0"}, runaway);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  // A trap: runtime-error with the trap text, and the component is unhealthy until reloaded.
  auto trap = engine->call_handle_message(*h, text("trap"));
  ASSERT_FALSE(trap.has_value());
  EXPECT_EQ(trap.error().kind, WasmError::Case::kRuntimeError);
  EXPECT_TRUE(trap.error().message.starts_with("trap: ")) << trap.error().message;
  if (family() != "js") {
    EXPECT_EQ(trap.error().to_string(), "runtime-error(\"trap: unreachable\")");
  }
  EXPECT_EQ(engine->health(*h).value(), HealthStatus::kUnhealthy);
  auto after = engine->call_handle_message(*h, text("x"));
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().kind, WasmError::Case::kRuntimeError);
  auto again = engine->reload_component(*h);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(engine->health(*again).value(), HealthStatus::kHealthy);
  auto ok = engine->call_handle_message(*again, text("x"));
  ASSERT_TRUE(ok.has_value() && ok->has_value());
  EXPECT_EQ(as_text(**ok), "x");
  // initialize's error fails the load.
  ComponentConfig bad;
  bad.config_data = MessagePayload{'f', 'a', 'i', 'l', '-', 'i', 'n', 'i', 't'};
  auto refused = engine->load_component({"test", "runaway", "1"}, runaway, bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().to_string(),
            "instantiation-failed(\"initialize: initialization-failed(\\\"config asked to fail\\\")\")");
  EXPECT_FALSE(engine->has_component({"test", "runaway", "1"}));
}

// Not an airssys component: invalid-component at load. A lifecycle instance without handle-message:
// the load works, the call gives export-not-found.
TEST_P(EngineTest, MissingExports) {
  if (family() != "wat") GTEST_SKIP() << "the incomplete components are .wat ones";
  auto engine = make_engine();
  auto foreign = engine->load_component({"test", "foreign", "0"}, fixture("not_airssys"));
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().to_string(),
            "invalid-component(\"the component does not export airssys:core/component-lifecycle@1.0.0\")");
  auto h = engine->load_component({"test", "partial", "0"}, fixture("health_only"));
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  EXPECT_EQ(engine->health(*h).value(), HealthStatus::kDegraded);
  auto r = engine->call_handle_message(*h, text("x"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(),
            "export-not-found(\"airssys:core/component-lifecycle@1.0.0#handle-message of test/partial/0 (not "
            "exported)\")");
  EXPECT_EQ(engine->call_handle_callback(*h, text("x")).error().kind, WasmError::Case::kExportNotFound);
  EXPECT_EQ(engine->metadata(*h).error().kind, WasmError::Case::kExportNotFound);
  EXPECT_TRUE(engine->unload_component(*h).has_value());  // no shutdown export: nothing to run
}

TEST_P(EngineTest, MemoryLimits) {
  auto runaway = fixture("runaway");
  if (runaway.empty()) GTEST_SKIP() << "no runaway fixture";
  auto engine = make_engine();
  ComponentConfig config;
  config.resource_limits.max_memory_bytes = roomy_memory();
  auto h = engine->load_component({"test", "runaway", "0"}, runaway, config);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  auto bomb = engine->call_handle_message(*h, text("alloc"));
  ASSERT_FALSE(bomb.has_value());
  EXPECT_EQ(bomb.error().kind, WasmError::Case::kResourceLimitExceeded) << bomb.error().to_string();
  // A limit below the component's initial memory refuses the load.
  config.resource_limits.max_memory_bytes = 1024;
  auto small = engine->load_component({"test", "runaway", "1"}, runaway, config);
  ASSERT_FALSE(small.has_value());
  EXPECT_EQ(small.error().kind, WasmError::Case::kResourceLimitExceeded) << small.error().to_string();
}

TEST_P(EngineTest, GracefulShutdown) {
  auto engine = make_engine();
  std::vector<ComponentHandle> handles;
  for (int i = 0; i < 5; ++i) {
    auto h = engine->load_component({"test", "echo", std::to_string(i)}, echo_);
    ASSERT_TRUE(h.has_value());
    handles.push_back(*h);
  }
  for (const auto& h : handles) EXPECT_TRUE(engine->unload_component(h).has_value());
  EXPECT_EQ(engine->stats().loaded, 0u);
  // Destroying an engine with components still loaded shuts them down too.
  auto other = make_engine();
  ASSERT_TRUE(other->load_component({"test", "echo", "x"}, echo_).has_value());
  other.reset();
}

// ---------------------------------------------------------------- beyond the reference

TEST_P(EngineTest, RunawayComponentDoesNotStopOthers) {
  auto runaway = fixture("runaway");
  if (runaway.empty()) GTEST_SKIP() << "no runaway fixture";
  auto engine = make_engine();
  ComponentConfig limits;
  limits.resource_limits.max_fuel = roomy_fuel();
  limits.resource_limits.max_memory_bytes = roomy_memory();
  limits.resource_limits.max_execution_time_ms = 2000;
  auto bad = engine->load_component({"test", "runaway", "0"}, runaway, limits);
  auto good = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(bad.has_value() && good.has_value());
  for (const char* what : {"trap", "loop", "alloc"}) {
    auto r = engine->call_handle_message(*bad, text(what));
    EXPECT_FALSE(r.has_value()) << what << ": " << (r ? "answered" : "");
    auto ok = engine->call_handle_message(*good, text(what));
    ASSERT_TRUE(ok.has_value() && ok->has_value()) << what;
    EXPECT_EQ(as_text(**ok), what);
    bad = engine->reload_component(*bad);
    ASSERT_TRUE(bad.has_value());
  }
}

TEST_P(EngineTest, DeadlineGivesTimeout) {
  auto runaway = fixture("runaway");
  if (runaway.empty()) GTEST_SKIP() << "no runaway fixture";
  auto engine = make_engine();
  ComponentConfig config;
  config.resource_limits.max_execution_time_ms = 50;
  auto h = engine->load_component({"test", "runaway", "0"}, runaway, config);
  ASSERT_TRUE(h.has_value());
  auto r = engine->call_handle_message(*h, text("loop"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(), "timeout");
}

// A guest sleeping in the host (host-services.sleep-millis) is stopped by its deadline too.
TEST_P(EngineTest, DeadlineStopsASleepInTheHost) {
  if (family() != "wat") GTEST_SKIP() << "only the wat runaway sleeps";
  auto engine = make_engine();
  ComponentConfig config;
  config.resource_limits.max_execution_time_ms = 50;
  auto h = engine->load_component({"test", "runaway", "0"}, fixture("runaway"), config);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  const auto start = std::chrono::steady_clock::now();
  auto r = engine->call_handle_message(*h, text("sleep"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(), "timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));  // not the hour asked for
}

TEST_P(EngineTest, InterruptStopsARunningCall) {
  auto runaway = fixture("runaway");
  if (runaway.empty()) GTEST_SKIP() << "no runaway fixture";
  auto engine = make_engine();
  auto h = engine->load_component({"test", "runaway", "0"}, runaway);
  ASSERT_TRUE(h.has_value());
  auto future = engine->call_handle_message_async(*h, text("loop"));
  while (future.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready)
    ASSERT_TRUE(engine->interrupt(*h).has_value());
  auto r = future.get();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(), "runtime-error(\"call interrupted\")");
}

// Asynchronous calls run sliced: a guest sleeping in sleep-millis is parked without a thread, so with one
// worker thread three sleeping components do not stop a fourth from answering; interrupt() then ends each
// sleep at once (the sleeps are an hour long).
TEST(AsyncSleep, SleepingAsyncCallsHoldNoThread) {  // the wat runaway is the fixture that sleeps
  EngineOptions options;
  options.worker_threads = 1;
  auto engine = make_engine(options);
  std::vector<ComponentHandle> sleepers;
  std::vector<std::future<std::expected<std::optional<MessagePayload>, WasmError>>> sleeps;
  for (int i = 0; i < 3; ++i) {
    auto h = engine->load_component({"test", "runaway", std::to_string(i)},
                                    read_file(fixture_path("wat", "runaway")));
    ASSERT_TRUE(h.has_value()) << h.error().to_string();
    sleepers.push_back(*h);
    sleeps.push_back(engine->call_handle_message_async(*h, text("sleep")));
  }
  auto echo = engine->load_component({"test", "echo", "0"}, read_file(fixture_path("wat", "echo")));
  ASSERT_TRUE(echo.has_value());
  auto answer = engine->call_handle_message_async(*echo, text("still here"));
  auto r = answer.get();  // would wait an hour if a sleeper held the one worker
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(as_text(**r), "still here");
  for (auto& f : sleeps) EXPECT_NE(f.wait_for(std::chrono::milliseconds(0)), std::future_status::ready);
  for (size_t i = 0; i < sleepers.size(); ++i) {
    ASSERT_TRUE(engine->interrupt(sleepers[i]).has_value());
    auto s = sleeps[i].get();
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().to_string(), "runtime-error(\"call interrupted\")");
  }
}

// The per-call deadline ends a parked sleep too (the sleep asked for an hour).
TEST(AsyncSleep, DeadlineStopsAParkedSleep) {  // the wat runaway is the fixture that sleeps
  auto engine = make_engine();
  ComponentConfig config;
  config.resource_limits.max_execution_time_ms = 50;
  auto h =
      engine->load_component({"test", "runaway", "0"}, read_file(fixture_path("wat", "runaway")), config);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  auto r = engine->call_handle_message_async(*h, text("sleep")).get();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(), "timeout");
  EXPECT_EQ(*engine->health(*h), HealthStatus::kUnhealthy);
}

// Router deliveries run as asynchronous calls too: with one router thread, a message to a sleeping
// component does not keep the next message (to a counter) from being delivered.
TEST(AsyncSleep, RouterDeliveryToASleeperHoldsNoRouterThread) {
  EngineOptions options;
  options.router.worker_threads = 1;
  options.worker_threads = 1;
  auto engine = make_engine(options);
  auto sleeper = engine->load_component({"test", "runaway", "0"}, read_file(fixture_path("wat", "runaway")));
  auto counter = engine->load_component({"test", "counter", "0"}, read_file(fixture_path("wat", "counter")));
  ASSERT_TRUE(sleeper.has_value() && counter.has_value());
  const ComponentId host{"test", "host", "0"};
  const std::string sleep = "sleep";
  ASSERT_TRUE(engine->router().send(host, sleeper->id, MessagePayload(sleep.begin(), sleep.end())));
  ASSERT_TRUE(engine->router().send(host, counter->id, MessagePayload{'a'}));
  // Each of our own calls counts too: the counter is ahead of our calls once the router has delivered its
  // message (the sleeper, meanwhile, sleeps an hour).
  bool delivered = false;
  for (int polls = 1; polls <= 1000 && !delivered; ++polls) {
    auto r = engine->call_handle_message(*counter, text("b"));
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    delivered = std::stoi(as_text(**r)) > polls;
    if (!delivered) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(delivered);
  ASSERT_TRUE(engine->interrupt(*sleeper).has_value());
}

// Slices are round-robin: with one worker thread, a guest that spins until its deadline does not keep a
// well-behaved component's asynchronous call from finishing first.
TEST_P(EngineTest, SpinningAsyncCallDoesNotStarveOthers) {
  auto runaway = fixture("runaway");
  if (runaway.empty()) GTEST_SKIP() << "no runaway fixture";
  EngineOptions options;
  options.worker_threads = 1;
  auto engine = make_engine(options);
  ComponentConfig config;
  config.resource_limits.max_execution_time_ms = 60'000;
  auto spinner = engine->load_component({"test", "runaway", "0"}, runaway, config);
  auto echo = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(spinner.has_value() && echo.has_value());
  auto spin = engine->call_handle_message_async(*spinner, text("loop"));
  auto answer = engine->call_handle_message_async(*echo, text("my turn")).get();
  ASSERT_TRUE(answer.has_value()) << answer.error().to_string();
  EXPECT_EQ(as_text(**answer), "my turn");
  EXPECT_NE(spin.wait_for(std::chrono::milliseconds(0)), std::future_status::ready);
  ASSERT_TRUE(engine->interrupt(*spinner).has_value());
  auto s = spin.get();
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().to_string(), "runtime-error(\"call interrupted\")");
}

// An interrupt made while nothing runs is not kept for the next call; blocking and asynchronous calls to
// one component are served in order and all answer.
TEST_P(EngineTest, InterruptWhileIdleDoesNotStopTheNextCall) {
  auto engine = make_engine();
  auto h = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value());
  ASSERT_TRUE(engine->interrupt(*h).has_value());
  auto r = engine->call_handle_message(*h, text("after interrupt"));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(as_text(**r), "after interrupt");
  std::vector<std::future<std::expected<std::optional<MessagePayload>, WasmError>>> futures;
  for (int i = 0; i < 20; ++i)
    futures.push_back(engine->call_handle_message_async(*h, text(std::to_string(i))));
  for (int i = 0; i < 20; ++i) {
    auto b = engine->call_handle_message(*h, text("b" + std::to_string(i)));
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(as_text(**b), "b" + std::to_string(i));
  }
  for (int i = 0; i < 20; ++i) {
    auto a = futures[size_t(i)].get();
    ASSERT_TRUE(a.has_value()) << a.error().to_string();
    EXPECT_EQ(as_text(**a), std::to_string(i));
  }
}

TEST_P(EngineTest, UnloadDuringCall) {
  auto runaway = fixture("runaway");
  if (runaway.empty()) GTEST_SKIP() << "no runaway fixture";
  auto engine = make_engine();
  ComponentConfig config;
  // The deadline also bounds `initialize` at the load, which for a JavaScript component includes
  // compiling the functions its start-up makes hot (kAuto): about 10 ms in a release build, but over
  // 200 ms under the sanitizers.
  config.resource_limits.max_execution_time_ms = js() ? 2000 : 200;
  auto h = engine->load_component({"test", "runaway", "0"}, runaway, config);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  auto future = engine->call_handle_message_async(*h, text("loop"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // The unload waits for the call, whose caller gets its result (the deadline's timeout).
  EXPECT_TRUE(engine->unload_component(*h).has_value());
  auto r = future.get();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, WasmError::Case::kTimeout);
  EXPECT_FALSE(engine->has_component(h->id));
}

// No engine-wide lock is held while guest code runs: a component spinning in a call (on a worker thread)
// does not keep another from answering, nor loads and unloads from happening.
TEST_P(EngineTest, SpinningComponentDoesNotBlockOthers) {
  auto engine = make_engine();
  ComponentConfig config;
  config.resource_limits.max_execution_time_ms = 20'000;
  auto spinner = engine->load_component({"test", "runaway", "0"}, fixture("runaway"), config);
  auto echo = engine->load_component({"test", "echo", "0"}, echo_);
  ASSERT_TRUE(spinner.has_value() && echo.has_value());
  auto spinning = engine->call_handle_message_async(*spinner, text("loop"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int i = 0; i < 20; ++i) {
    auto r = engine->call_handle_message(*echo, text(std::to_string(i)));
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_EQ(as_text(**r), std::to_string(i));
  }
  auto extra = engine->load_component({"test", "echo", "1"}, echo_);
  ASSERT_TRUE(extra.has_value());
  EXPECT_TRUE(engine->unload_component(*extra).has_value());
  EXPECT_EQ(engine->health(*echo).value(), HealthStatus::kHealthy);
  // All of that happened while the spinner was still in its call.
  EXPECT_NE(spinning.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  while (spinning.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready)
    ASSERT_TRUE(engine->interrupt(*spinner).has_value());
  EXPECT_EQ(spinning.get().error().to_string(), "runtime-error(\"call interrupted\")");
}

TEST_P(EngineTest, ParallelCallsToManyComponents) {
  auto engine = make_engine();
  constexpr int kComponents = 8, kThreads = 4, kCalls = 500;
  std::vector<ComponentHandle> handles;
  for (int i = 0; i < kComponents; ++i)
    handles.push_back(*engine->load_component({"p", "echo", std::to_string(i)}, echo_));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        const std::string s = std::to_string(t) + ":" + std::to_string(i);
        auto r = engine->call_handle_message(handles[(t + i) % kComponents], text(s));
        if (!r || !*r || as_text(**r) != s) failures++;
      }
    });
  // Loads and unloads of other components meanwhile.
  for (int i = 0; i < 20; ++i) {
    auto h = engine->load_component({"p", "extra", std::to_string(i)}, echo_);
    if (!h || !engine->unload_component(*h)) failures++;
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

// ---------------------------------------------------------------- compiler modes

// EngineOptions::compiler reaches the components' code: kInterpreter compiles nothing, kBaseline every
// function at load, and kAuto nothing at load but the functions that 1,500 messages make hot (the
// interpreter's threshold is about 200 calls), compiled lazily. The answers are the same in each.
TEST_P(EngineTest, CompilerModeIsHonoured) {
  auto engine = make_engine();
  auto h = engine->load_component({"t", "echo", "0"}, echo_);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  auto info = engine->compile_info(*h);
  ASSERT_TRUE(info.has_value());
  const uint32_t functions = info->compiled_functions + info->interpreted_functions;
  EXPECT_GT(functions, 0u);
  switch (mode()) {
    case CompilerMode::kInterpreter:
      EXPECT_EQ(info->compiled_functions, 0u);
      break;
    case CompilerMode::kBaseline:
      // Everything the compiler accepts (all of these components' code).
      EXPECT_EQ(info->compiled_functions, functions) << info->first_refusal;
      EXPECT_EQ(info->hot_compiled_functions, 0u);
      EXPECT_GT(info->code_bytes, 0u);
      break;
    case CompilerMode::kAuto:
      if (!Engine::compiler_available()) break;
      // Only what `initialize` made hot (a JavaScript component's start-up runs millions of instructions).
      EXPECT_EQ(info->compiled_functions, info->hot_compiled_functions);
      EXPECT_LT(info->compiled_functions, functions);
      break;
  }
  const uint32_t before = info->compiled_functions;
  for (int i = 0; i < 1500; ++i) {
    const std::string payload = "message " + std::to_string(i);
    auto r = engine->call_handle_message(*h, text(payload));
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    ASSERT_TRUE(r->has_value());
    ASSERT_EQ(as_text(**r), payload);
  }
  info = engine->compile_info(*h);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->compiled_functions + info->interpreted_functions, functions);
  if (mode() == CompilerMode::kAuto && Engine::compiler_available()) {
    EXPECT_GT(info->compiled_functions, before);
    EXPECT_EQ(info->compiled_functions, info->hot_compiled_functions);
  } else {
    EXPECT_EQ(info->compiled_functions, before);
  }
  // An unknown handle is an error, not a crash.
  ASSERT_TRUE(engine->unload_component(*h).has_value());
  auto gone = engine->compile_info(*h);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().kind, WasmError::Case::kComponentNotFound);
}

std::vector<FamilyMode> all_family_modes() {
  std::vector<FamilyMode> all;
  for (const char* family : {"wat", "c", "js"})
    for (CompilerMode mode : {CompilerMode::kAuto, CompilerMode::kInterpreter, CompilerMode::kBaseline})
      all.push_back({family, mode});
  return all;
}
INSTANTIATE_TEST_SUITE_P(Fixtures, EngineTest, ::testing::ValuesIn(all_family_modes()),
                         [](const auto& info) { return family_mode_name(info.param); });

}  // namespace
}  // namespace airwasm::host
