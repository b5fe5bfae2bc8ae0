// examples/host_demo.cc: embedding airwasm to host untrusted plugins. One compiled module, one Store per
// plugin instance (isolation), fuel-sliced execution of many calls on a two-thread Scheduler (a spinning
// plugin cannot starve the others), a fuel budget that stops a runaway, and a per-call deadline.
//
//   host_demo plugin.wasm
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "airwasm/airwasm.hh"

using namespace airwasm;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: host_demo plugin.wasm\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});

  EngineConfig config;
  config.consume_fuel = true;
  const Engine engine(config);
  auto module = Module::compile(engine, bytes);
  if (!module) {
    std::fprintf(stderr, "cannot load %s: %s\n", argv[1], module.error().to_string().c_str());
    return 1;
  }
  const Linker linker(engine);

  // One Store per plugin instance: its own memory, fuel and limits.
  struct Plugin {
    std::shared_ptr<Store> store;
    Instance instance;
  };
  const auto make_plugin = [&](uint64_t fuel) {
    auto store = std::make_shared<Store>(engine);
    (void)store->set_fuel(fuel);
    StoreLimits limits;
    limits.max_memory_bytes = 16 << 20;
    store->set_limits(limits);
    auto instance = linker.instantiate(*store, *module);
    if (!instance) {
      std::fprintf(stderr, "instantiate: %s\n", instance.error().to_string().c_str());
      std::exit(1);
    }
    return Plugin{store, *instance};
  };

  std::printf("1) 100 plugin calls and 1 runaway plugin, time-sliced on 2 threads\n");
  Scheduler scheduler(SchedulerConfig{2, 20'000});
  std::vector<CallFuture> calls;
  for (uint32_t i = 0; i < 100; ++i) {
    Plugin p = make_plugin(UINT64_MAX);
    calls.push_back(
        scheduler.spawn(p.store, *p.instance.get_func(*p.store, "work"), {Val::i32(int32_t(50 + i))}));
  }
  Plugin runaway = make_plugin(50'000'000);  // a budget of 50 million fuel units
  CallFuture spinning =
      scheduler.spawn(runaway.store, *runaway.instance.get_func(*runaway.store, "spin"), {});
  uint64_t checksum = 0;
  for (CallFuture& call : calls) {
    auto result = call.get();
    if (!result) {
      std::printf("   unexpected trap: %s\n", result.error().message().c_str());
      return 1;
    }
    checksum ^= uint32_t((*result)[0].i32());
  }
  std::printf("   100 calls finished, xor of results = 0x%08llx\n", (unsigned long long)checksum);
  auto stopped = spinning.get();
  std::printf("   runaway plugin: %s after %llu fuel units in %llu slices\n",
              stopped ? "finished?!" : stopped.error().message().c_str(),
              (unsigned long long)spinning.fuel_consumed(), (unsigned long long)spinning.slices());

  std::printf("2) a synchronous call with a 100 ms deadline\n");
  Plugin timed = make_plugin(UINT64_MAX);
  CallOptions options;
  options.timeout = std::chrono::milliseconds(100);
  const auto start = std::chrono::steady_clock::now();
  auto r = timed.instance.get_func(*timed.store, "spin")->call(*timed.store, {}, {}, options);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("   %s after %.1f ms\n", r ? "returned?!" : r.error().message().c_str(), ms);
  return 0;
}
