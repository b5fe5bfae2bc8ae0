// bench/host: the plugin host's RuntimeEngine on the echo components of tests/host/fixtures (C and
// JavaScript). Messages per second through call_handle_message with a 64-byte payload, on 1 and 2 threads
// (each thread its own component: calls to one component are serialized); load time of a component first
// seen (compiled) and seen before (compiled-code cache); RSS per loaded component; and the asynchronous
// path's messages per second (call_handle_message_async, sliced calls on the engine's workers); messages
// and a first load under each compiler mode (EngineOptions::compiler).
// Run: ctest -R '^host_fixtures$' (once, builds the components), then build/bench/host_bench.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "airwasm/host/engine.hh"

namespace airwasm::host {
namespace {

std::vector<uint8_t> fixture(const std::string& name) {
  std::ifstream in(std::string(AIRWASM_HOST_FIXTURES) + "/" + name + ".wasm", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * size_t(sysconf(_SC_PAGESIZE));
}

// One engine per fixture for the message benchmarks, with one loaded component per benchmark thread.
struct MessageSetup {
  std::unique_ptr<HostEngine> engine;
  std::vector<ComponentHandle> handles;
};
MessageSetup& setup_for(const std::string& name, CompilerMode mode = CompilerMode::kAuto) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, CompilerMode>, MessageSetup> setups;
  std::lock_guard lock(mutex);
  auto& s = setups[{name, mode}];
  if (!s.engine) {
    EngineOptions options;
    options.log = std::make_shared<CapturingLogSink>();
    options.compiler = mode;
    s.engine = std::move(*HostEngine::create(std::move(options)));
    const auto bytes = fixture(name);
    for (int i = 0; i < 2; ++i) {
      auto h = s.engine->load_component({"bench", name, std::to_string(i)}, bytes);
      if (!h) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), h.error().to_string().c_str());
        std::abort();
      }
      s.handles.push_back(*h);
    }
  }
  return s;
}

void handle_message(benchmark::State& state, const std::string& name,
                    CompilerMode mode = CompilerMode::kAuto) {
  auto& s = setup_for(name, mode);
  const ComponentHandle handle = s.handles[size_t(state.thread_index()) % s.handles.size()];
  ComponentMessage msg;
  msg.sender = ComponentId{"bench", "sender", "0"};
  msg.payload.assign(64, 0x5a);
  for (auto _ : state) {
    auto r = s.engine->call_handle_message(handle, msg);
    if (!r || !*r || (*r)->size() != 64) {
      state.SkipWithError("echo did not answer its payload");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_HandleMessage_C_Echo(benchmark::State& state) {
  handle_message(state, "c_echo");
}
void BM_HandleMessage_JS_Echo(benchmark::State& state) {
  handle_message(state, "js_echo");
}
BENCHMARK(BM_HandleMessage_C_Echo)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_HandleMessage_JS_Echo)->Threads(1)->Threads(2)->UseRealTime();
// The same on one thread with every function interpreted or every function compiled at load (the
// benchmarks above run under the default kAuto, measured once the busy functions were compiled).
BENCHMARK_CAPTURE(handle_message, C_Echo_Interpreter, "c_echo", CompilerMode::kInterpreter)->UseRealTime();
BENCHMARK_CAPTURE(handle_message, C_Echo_Baseline, "c_echo", CompilerMode::kBaseline)->UseRealTime();
BENCHMARK_CAPTURE(handle_message, JS_Echo_Interpreter, "js_echo", CompilerMode::kInterpreter)->UseRealTime();
BENCHMARK_CAPTURE(handle_message, JS_Echo_Baseline, "js_echo", CompilerMode::kBaseline)->UseRealTime();

// The first `count` messages after a first load (compiled-code cache cold), per message: under kAuto the
// JavaScript component starts in the interpreter and its busy functions are compiled while these run
// (their compile time is in the figure); the steady state is BM_HandleMessage_*.
void first_messages(benchmark::State& state, const std::string& name, CompilerMode mode, int count) {
  const auto bytes = fixture(name);
  ComponentMessage msg;
  msg.sender = ComponentId{"bench", "sender", "0"};
  msg.payload.assign(64, 0x5a);
  double slowest = 0;     // ms: the longest single message (under kAuto, one that compiled a large function)
  uint32_t compiled = 0;  // functions compiled after the messages
  for (auto _ : state) {
    state.PauseTiming();
    EngineOptions options;
    options.log = std::make_shared<CapturingLogSink>();
    options.compiler = mode;
    auto engine = std::move(*HostEngine::create(std::move(options)));
    auto h = engine->load_component({"bench", name, "0"}, bytes);
    if (!h) {
      state.SkipWithError(h.error().to_string().c_str());
      break;
    }
    state.ResumeTiming();
    for (int i = 0; i < count; ++i) {
      const auto start = std::chrono::steady_clock::now();
      auto r = engine->call_handle_message(*h, msg);
      slowest = std::max(
          slowest,
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      if (!r || !*r || (*r)->size() != 64) {
        state.SkipWithError("echo did not answer its payload");
        return;
      }
    }
    state.PauseTiming();
    if (auto info = engine->compile_info(*h)) compiled = info->compiled_functions;
    engine.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * count);
  state.counters["slowest_ms"] = slowest;
  state.counters["compiled"] = compiled;
}
BENCHMARK_CAPTURE(first_messages, JS_Echo_First100_Auto, "js_echo", CompilerMode::kAuto, 100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(first_messages, JS_Echo_First100_Interpreter, "js_echo", CompilerMode::kInterpreter, 100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(first_messages, JS_Echo_First1000_Auto, "js_echo", CompilerMode::kAuto, 1000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// The asynchronous path (sliced calls on the engine's 2 worker threads): batches of 64 messages spread over
// the 2 components, submitted at once, then all awaited. Measures the scheduler's cost per message.
void BM_HandleMessageAsync_C_Echo(benchmark::State& state) {
  auto& s = setup_for("c_echo");
  ComponentMessage msg;
  msg.sender = ComponentId{"bench", "sender", "0"};
  msg.payload.assign(64, 0x5a);
  std::vector<std::future<std::expected<std::optional<MessagePayload>, WasmError>>> batch;
  for (auto _ : state) {
    batch.clear();
    for (size_t i = 0; i < 64; ++i)
      batch.push_back(s.engine->call_handle_message_async(s.handles[i % s.handles.size()], msg));
    for (auto& f : batch) {
      auto r = f.get();
      if (!r || !*r || (*r)->size() != 64) {
        state.SkipWithError("echo did not answer its payload");
        return;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * 64);
}
BENCHMARK(BM_HandleMessageAsync_C_Echo)->UseRealTime();

// Load (compile + instantiate + initialize) and unload, with the compiled-code cache cold (a new engine
// per iteration, its creation not timed) or warm (the same bytes loaded before).
void load(benchmark::State& state, const std::string& name, bool cached,
          CompilerMode mode = CompilerMode::kAuto) {
  const auto bytes = fixture(name);
  EngineOptions options;
  options.log = std::make_shared<CapturingLogSink>();
  options.compiler = mode;
  auto engine = std::move(*HostEngine::create(options));
  if (cached) (void)engine->unload_component(*engine->load_component({"bench", "warm", "0"}, bytes));
  for (auto _ : state) {
    if (!cached) {
      state.PauseTiming();
      engine = std::move(*HostEngine::create(options));
      state.ResumeTiming();
    }
    auto h = engine->load_component({"bench", name, "0"}, bytes);
    if (!h) {
      state.SkipWithError(h.error().to_string().c_str());
      break;
    }
    (void)engine->unload_component(*h);
  }
}
void BM_Load_C_Echo_First(benchmark::State& state) {
  load(state, "c_echo", false);
}
void BM_Load_C_Echo_Cached(benchmark::State& state) {
  load(state, "c_echo", true);
}
void BM_Load_JS_Echo_First(benchmark::State& state) {
  load(state, "js_echo", false);
}
void BM_Load_JS_Echo_Cached(benchmark::State& state) {
  load(state, "js_echo", true);
}
BENCHMARK(BM_Load_C_Echo_First)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Load_C_Echo_Cached)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Load_JS_Echo_First)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_Load_JS_Echo_Cached)->Unit(benchmark::kMillisecond);
// A first load with every function compiled at load (kBaseline): the compile time the default avoids.
BENCHMARK_CAPTURE(load, JS_Echo_First_Baseline, "js_echo", false, CompilerMode::kBaseline)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// RSS growth per loaded (and once called) component, N components at once: counter rss_per_component.
void rss_per_component(benchmark::State& state, const std::string& name) {
  const auto bytes = fixture(name);
  const int count = int(state.range(0));
  for (auto _ : state) {
    EngineOptions options;
    options.log = std::make_shared<CapturingLogSink>();
    auto engine = std::move(*HostEngine::create(options));
    (void)engine->unload_component(*engine->load_component({"bench", "warm", "0"}, bytes));
    const size_t before = rss_bytes();
    std::vector<ComponentHandle> handles;
    ComponentMessage msg;
    msg.payload.assign(64, 1);
    for (int i = 0; i < count; ++i) {
      auto h = engine->load_component({"bench", name, std::to_string(i)}, bytes);
      if (!h) {
        state.SkipWithError(h.error().to_string().c_str());
        return;
      }
      (void)engine->call_handle_message(*h, msg);
      handles.push_back(*h);
    }
    state.counters["rss_per_component_KiB"] = double(rss_bytes() - before) / 1024.0 / count;
  }
}
void BM_RSS_C_Echo(benchmark::State& state) {
  rss_per_component(state, "c_echo");
}
void BM_RSS_JS_Echo(benchmark::State& state) {
  rss_per_component(state, "js_echo");
}
BENCHMARK(BM_RSS_C_Echo)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RSS_JS_Echo)->Arg(100)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace airwasm::host

BENCHMARK_MAIN();
