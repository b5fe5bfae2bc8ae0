// bench/component: the airssys `handle-message` call (world airssys:core/runtime-host) through the
// bindings `airwasm bindgen` generates (built at build time by airwasm_bindgen) against the same call
// through `Val`, on airssys_echo.wasm (its .wat beside it): the message (sender, 64-byte payload, metadata
// with a correlation id, timestamp and content type) goes in, the echoed payload comes back.
//   generated   RuntimeHost::component_lifecycle().handle_message(store, msg): C++ structs lowered straight
//               into guest memory, the reply lifted straight into a std::vector
//   Val         Func::call with the message as a prebuilt Val tree (built once, outside the loop)
// Both report allocs/call (heap allocations per call, counted by a replaced operator new): the generated
// path makes none but the returned payload vector, and no Val. Each benchmark checks its result once.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <new>

#include "runtime_host.hh"

namespace {
std::atomic<uint64_t> g_allocations{0};
}  // namespace
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // the replacement pairs malloc with free
void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace {

namespace core = ::airssys::core;
using airwasm::Engine;
using airwasm::Store;
using airwasm::TrapResult;
using namespace airwasm::component;

std::vector<uint8_t> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "bindgen_bench: %s\n", why.c_str());
  std::exit(1);
}

struct Services : core::host_services::Host {
  TrapResult<void> log(Store&, core::types::LogLevel, std::string,
                       std::optional<std::vector<std::tuple<std::string, std::string>>>) override {
    return {};
  }
  TrapResult<core::types::Timestamp> current_time(Store&) override { return core::types::Timestamp{}; }
  TrapResult<uint64_t> current_time_millis(Store&) override { return 1; }
  TrapResult<void> sleep_millis(Store&, uint64_t) override { return {}; }
  TrapResult<std::vector<core::types::ComponentId>> list_components(Store&) override { return {}; }
  TrapResult<WitResult<core::host_services::ComponentInfo, core::errors::ComponentError>>
  get_component_metadata(Store&, core::types::ComponentId) override {
    return WitResult<core::host_services::ComponentInfo, core::errors::ComponentError>::err(
        core::errors::ComponentError::not_initialized());
  }
};

struct World {
  Engine engine;
  Store store{engine};
  Services services;
  std::optional<core::RuntimeHost> host;
  core::types::ComponentMessage msg;

  World() {
    Linker linker(engine);
    if (auto r = core::host_services::add_to_linker(linker, services); !r) die(r.error().message);
    auto component = Component::compile(engine, read_file(AIRWASM_AIRSSYS_ECHO));
    if (!component) die(component.error().message);
    auto h = core::RuntimeHost::instantiate(store, linker, *component);
    if (!h) die(h.error().message);
    host.emplace(std::move(*h));
    msg.sender = {"bench", "sender", "instance-1"};
    for (int i = 0; i < 64; ++i) msg.payload.push_back(uint8_t(i));
    msg.metadata.correlation_id = "corr-0001";
    msg.metadata.timestamp = {1'700'000'000, 123};
    msg.metadata.content_type = "application/octet-stream";
  }
  Val message_val() const {
    auto str = [](const std::string& s) { return Val::string(s); };
    std::vector<Val> payload;
    for (uint8_t b : msg.payload) payload.push_back(Val::u8(b));
    return Val::record(
        {{"sender", Val::record({{"namespace", str(msg.sender.namespace_)},
                                 {"name", str(msg.sender.name)},
                                 {"instance", str(msg.sender.instance)}})},
         {"payload", Val::list(std::move(payload))},
         {"metadata",
          Val::record(
              {{"correlation-id", Val::some(str(*msg.metadata.correlation_id))},
               {"reply-to", Val::none()},
               {"timestamp", Val::record({{"seconds", Val::u64(msg.metadata.timestamp.seconds)},
                                          {"nanoseconds", Val::u32(msg.metadata.timestamp.nanoseconds)}})},
               {"content-type", Val::some(str(*msg.metadata.content_type))}})}});
  }
};

World& world() {
  static World w;
  return w;
}

void BM_HandleMessageGenerated(benchmark::State& state) {
  World& w = world();
  const auto& lifecycle = w.host->component_lifecycle();
  auto check = lifecycle.handle_message(w.store, w.msg);
  if (!check || !check->is_ok() || !check->value() || *check->value() != w.msg.payload)
    die("handle-message (generated) gave a wrong result");
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    auto r = lifecycle.handle_message(w.store, w.msg);
    benchmark::DoNotOptimize(r);
  }
  state.counters["allocs/call"] =
      benchmark::Counter(double(g_allocations.load() - before) / double(state.iterations()));
}
BENCHMARK(BM_HandleMessageGenerated);

void BM_HandleMessageVal(benchmark::State& state) {
  World& w = world();
  auto f = w.host->instance().get_func(w.store, "airssys:core/component-lifecycle@1.0.0", "handle-message");
  if (!f) die("no handle-message export");
  const std::vector<Val> args{w.message_val()};
  auto check = f->call(w.store, args);
  if (!check || (*check)[0].to_string().find("ok(some([0, 1, 2,") != 0)
    die("handle-message (Val) gave a wrong result");
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    auto r = f->call(w.store, args);
    benchmark::DoNotOptimize(r);
  }
  state.counters["allocs/call"] =
      benchmark::Counter(double(g_allocations.load() - before) / double(state.iterations()));
}
BENCHMARK(BM_HandleMessageVal);

}  // namespace

BENCHMARK_MAIN();
