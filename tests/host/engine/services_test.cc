// tests/host/engine: the engine with its host interfaces, on the C and JavaScript components of
// tests/host/fixtures: a request and its callback between two loaded components (matching correlation
// ids), request timeout and cancel, storage persisting across an engine restart and its quota, capability
// denials (with their audit records), host-services log, and many components loaded at once (RSS per
// component printed).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
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

ComponentMessage text(std::string_view s) {
  ComponentMessage m;
  m.sender = ComponentId{"test", "host", "0"};
  m.payload.assign(s.begin(), s.end());
  return m;
}
std::string as_text(const MessagePayload& p) {
  return std::string(p.begin(), p.end());
}

// The answer of handle-message as text ("<none>" without one), or "error: <host or guest error>".
std::string ask(HostEngine& engine, const ComponentHandle& h, std::string_view payload) {
  auto r = engine.call_handle_message(h, text(payload));
  if (!r) return "error: " + r.error().to_string();
  return *r ? as_text(**r) : "<none>";
}

size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * size_t(sysconf(_SC_PAGESIZE));
}

// The build's fixture folder, or the one AIRWASM_HOST_FIXTURES names (the ThreadSanitizer build of
// scripts/test.sh uses the release build's).
std::string fixtures_dir() {
  const char* v = std::getenv("AIRWASM_HOST_FIXTURES");
  return v && *v ? v : AIRWASM_HOST_FIXTURES;
}

class ServicesTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::vector<uint8_t> fixture(const std::string& name) {
    return read_file(fixtures_dir() + "/" + GetParam() + "_" + name + ".wasm");
  }
  void SetUp() override {
    if (!std::filesystem::exists(fixtures_dir() + "/" + GetParam() + "_echo.wasm"))
      GTEST_SKIP() << "no " << GetParam() << " fixtures in " << fixtures_dir();
  }
  std::unique_ptr<HostEngine> engine(EngineOptions options = {}) {
    if (!options.log) options.log = log_;
    auto e = HostEngine::create(std::move(options));
    EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().to_string());
    return e ? std::move(*e) : nullptr;
  }
  // Polls the callback component's record of callbacks until it contains `needle`.
  std::string wait_for_callbacks(HostEngine& e, const ComponentHandle& h, std::string_view needle,
                                 std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    std::string got;
    while (std::chrono::steady_clock::now() < end) {
      got = ask(e, h, "callbacks");
      if (got.find(needle) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return got;
  }
  std::shared_ptr<CapturingLogSink> log_ = std::make_shared<CapturingLogSink>();
};

TEST_P(ServicesTest, RequestCallbackRoundTrip) {
  auto e = engine();
  auto requester = e->load_component({"demo", "callback", "0"}, fixture("callback"));
  auto echo = e->load_component({"demo", "echo", "0"}, fixture("echo"));
  ASSERT_TRUE(requester.has_value()) << requester.error().to_string();
  ASSERT_TRUE(echo.has_value());
  const std::string corr1 = ask(*e, *requester, "demo|echo|0|hello");
  const std::string corr2 = ask(*e, *requester, "demo|echo|0|world|with|bars");
  ASSERT_FALSE(corr1.starts_with("error")) << corr1;
  ASSERT_NE(corr1, corr2);
  // The echo's answers come back to the requester's handle-callback with the same correlation ids.
  const std::string got = wait_for_callbacks(*e, *requester, corr2 + "|-|world|with|bars");
  EXPECT_EQ(got, corr1 + "|-|hello\n" + corr2 + "|-|world|with|bars");
  // An unknown target: the request itself fails.
  EXPECT_EQ(ask(*e, *requester, "demo|nobody|0|x"),
            "error: runtime-error(\"request failed: target not found: demo/nobody/0\")");
}

TEST_P(ServicesTest, RequestTimeoutAndCancel) {
  auto e = engine();
  ComponentConfig slow;  // the runaway spins on "loop" until its deadline, past the request's 5 s timeout
  slow.resource_limits.max_execution_time_ms = 7000;
  auto requester = e->load_component({"demo", "callback", "0"}, fixture("callback"));
  auto runaway = e->load_component({"demo", "runaway", "0"}, fixture("runaway"), slow);
  auto echo = e->load_component({"demo", "echo", "0"}, fixture("echo"));
  ASSERT_TRUE(requester.has_value() && runaway.has_value() && echo.has_value());
  const std::string corr = ask(*e, *requester, "demo|runaway|0|loop");
  ASSERT_FALSE(corr.starts_with("error")) << corr;
  // A second request waits in the runaway's mailbox behind the loop; cancelled by the host on the
  // requester's behalf, it gets no callback at all.
  const std::string cancelled = ask(*e, *requester, "demo|runaway|0|after-cancel");
  auto cancel = e->router().cancel_request({"demo", "callback", "0"}, cancelled);
  ASSERT_TRUE(cancel.has_value()) << cancel.error().to_string();
  // The first one times out: the correlation id, the timeout content type, correlation-timeout("<id>").
  const std::string expected =
      corr + "|" + std::string(kContentTypeTimeout) + "|correlation-timeout(\"" + corr + "\")";
  EXPECT_EQ(wait_for_callbacks(*e, *requester, expected, std::chrono::milliseconds(8000)), expected);
  const std::string marker = ask(*e, *requester, "demo|echo|0|marker");
  const std::string got = wait_for_callbacks(*e, *requester, marker + "|-|marker");
  EXPECT_EQ(got, expected + "\n" + marker + "|-|marker");
}

TEST_P(ServicesTest, StoragePersistsAcrossRestartAndHasAQuota) {
  const std::string db = ::testing::TempDir() + "airwasm_host_storage_" + GetParam() + ".db";
  std::filesystem::remove(db);
  {
    EngineOptions options;
    options.storage_path = db;
    auto e = engine(std::move(options));
    auto h = e->load_component({"demo", "store", "0"}, fixture("store"));
    ASSERT_TRUE(h.has_value()) << h.error().to_string();
    EXPECT_EQ(ask(*e, *h, "set greeting hello world"), "ok");
    EXPECT_EQ(ask(*e, *h, "set other 1"), "ok");
    EXPECT_EQ(ask(*e, *h, "del other"), "ok");
  }
  {
    EngineOptions options;
    options.storage_path = db;
    auto e = engine(std::move(options));
    auto h = e->load_component({"demo", "store", "0"}, fixture("store"));
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(ask(*e, *h, "get greeting"), "hello world");
    EXPECT_EQ(ask(*e, *h, "exists other"), "false");
    EXPECT_EQ(ask(*e, *h, "list"), "greeting");
    // Another component has its own namespace.
    auto other = e->load_component({"demo", "store", "1"}, fixture("store"));
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(ask(*e, *other, "get greeting"), "<none>");
    // A quota of 32 bytes: "greeting" + "hello world" (19 bytes) fits, 20 more do not.
    LoadOptions small;
    small.storage_quota_bytes = 32;
    ASSERT_TRUE(e->unload_component(*h).has_value());
    auto q = e->load_component({"demo", "store", "0"}, fixture("store"), {}, small);
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(ask(*e, *q, "usage"), "used-bytes=19 quota-bytes=32 key-count=1");
    EXPECT_EQ(ask(*e, *q, "set big 01234567890123456789"),
              "error: runtime-error(\"storage error: quota-exceeded\")");
    EXPECT_EQ(ask(*e, *q, "set ok 1"), "ok");
  }
  std::filesystem::remove(db);
}

TEST_P(ServicesTest, CapabilityDenialIsAnErrorAndAudited) {
  InMemoryAuditLog audit;
  EngineOptions options;
  options.audit = &audit;
  auto e = engine(std::move(options));
  LoadOptions none;
  none.grant = Grant::none();
  auto store = e->load_component({"demo", "store", "0"}, fixture("store"), {}, none);
  auto requester = e->load_component({"demo", "callback", "0"}, fixture("callback"), {}, none);
  auto echo = e->load_component({"demo", "echo", "0"}, fixture("echo"));
  ASSERT_TRUE(store.has_value() && requester.has_value() && echo.has_value());
  const std::string denied_storage = ask(*e, *store, "get k");
  EXPECT_TRUE(
      denied_storage.starts_with("error: runtime-error(\"storage error: io-error: capability denied: "))
      << denied_storage;
  const std::string denied_request = ask(*e, *requester, "demo|echo|0|x");
  EXPECT_TRUE(denied_request.starts_with(
      "error: runtime-error(\"request failed: delivery failed: capability denied: "))
      << denied_request;
  auto records = audit.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].component, (ComponentId{"demo", "store", "0"}));
  EXPECT_FALSE(records[0].allowed);
  EXPECT_EQ(records[1].component, (ComponentId{"demo", "callback", "0"}));
  EXPECT_EQ(records[1].resource, "demo/echo/0");
  // A grant for one target pattern: allowed there, denied elsewhere.
  ASSERT_TRUE(e->unload_component(*requester).has_value());
  LoadOptions only_echo;
  only_echo.grant = Grant{{}, {{MessagingAction::kRequest, "demo/echo/*"}}};
  requester = e->load_component({"demo", "callback", "0"}, fixture("callback"), {}, only_echo);
  ASSERT_TRUE(requester.has_value());
  EXPECT_FALSE(ask(*e, *requester, "demo|echo|0|x").starts_with("error"));
  EXPECT_TRUE(ask(*e, *requester, "demo|store|0|x")
                  .starts_with("error: runtime-error(\"request failed: delivery failed: capability denied"));
}

TEST_P(ServicesTest, LogGoesToTheSink) {
  auto e = engine();
  auto h = e->load_component({"demo", "store", "0"}, fixture("store"));
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(ask(*e, *h, "set k v"), "ok");
  bool found = false;
  for (const auto& r : log_->records())
    if (r.component == ComponentId{"demo", "store", "0"} && r.message == "store: set" &&
        r.context == LogContext{{"command", "set"}, {"key", "k"}})
      found = true;
  EXPECT_TRUE(found);
}

// 1,000 C echo components (100 JS ones) loaded at once, all answering; RSS per component printed.
TEST_P(ServicesTest, ManyComponentsLoadedAtOnce) {
  const int count = GetParam() == "js" ? 100 : 1000;
  auto e = engine();
  const auto bytes = fixture("echo");
  const size_t before = rss_bytes();
  const auto start = std::chrono::steady_clock::now();
  std::vector<ComponentHandle> handles;
  for (int i = 0; i < count; ++i) {
    auto h = e->load_component({"many", "echo", std::to_string(i)}, bytes);
    ASSERT_TRUE(h.has_value()) << i << ": " << h.error().to_string();
    handles.push_back(*h);
  }
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (int i = 0; i < count; ++i) ASSERT_EQ(ask(*e, handles[i], std::to_string(i)), std::to_string(i));
  const size_t after = rss_bytes();
  EXPECT_EQ(e->stats().compilations, 1u);
  std::printf("[ %s echo ] %d components: RSS +%.1f MiB, %.1f KiB per component, %.3f ms per load\n",
              GetParam().c_str(), count, double(after - before) / (1 << 20),
              double(after - before) / 1024.0 / count, load_ms / count);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ServicesTest, ::testing::Values("c", "js"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace airwasm::host
