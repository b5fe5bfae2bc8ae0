// bench/metering: the cost of fuel metering and of sliced execution, measured side by side.
// Each benchmark program (a WASI command) runs in-process in three configurations:
//   plain   fuel metering off (no metering code at all)
//   fuel    EngineConfig::consume_fuel with an unlimited budget, one ordinary call
//   sliced  the same engine, run as a SlicedCall suspended and resumed every `slice` fuel units
// Runs are interleaved (plain, fuel, sliced, plain, ...) so that load changes on a shared machine hit
// all three alike; the table gives medians and the ratios fuel/plain and sliced/fuel, with geometric means.
// Why not Google Benchmark: it runs one benchmark to completion before the next, which on a busy
// machine biases ratios between configurations; the interleaving matters more here than its statistics.
//
//   metering_bench [--reps N] [--slice UNITS] PROGRAM.wasm...
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/wasi.hh"

using namespace airwasm;

namespace {

enum class Mode { kPlain, kFuel, kSliced };

struct Program {
  std::string name;
  std::vector<uint8_t> bytes;
};

// Runs `_start` once and returns the wall time in seconds, or a negative value on failure.
double run_once(const Engine& engine, const Module& module, Mode mode, uint64_t slice,
                const std::string& name) {
  wasi::WasiConfig config;
  config.args = {name};
  config.stdout_fd = open("/dev/null", O_WRONLY);
  auto context = wasi::WasiContext::create(config);
  close(config.stdout_fd);
  if (!context) return -1;
  Linker linker(engine);
  if (!wasi::add_to_linker(linker, *context)) return -1;
  Store store(engine);
  if (mode != Mode::kPlain) (void)store.set_fuel(UINT64_MAX);
  auto instance = linker.instantiate(store, module);
  if (!instance) return -1;
  const Func start = *instance->get_func(store, "_start");
  const auto t0 = std::chrono::steady_clock::now();
  bool ok;
  if (mode == Mode::kSliced) {
    auto call = SlicedCall::start(store, start, {}, slice);
    ok = call || call.error().code() == TrapCode::kExit;
    while (call && !call->finished()) {
      auto status = call->resume(store, slice);
      if (!status) {
        ok = status.error().code() == TrapCode::kExit && status.error().exit_status() == 0;
        break;
      }
    }
  } else {
    auto r = start.call(store, {});
    ok = r || (r.error().code() == TrapCode::kExit && r.error().exit_status() == 0);
  }
  const auto t1 = std::chrono::steady_clock::now();
  return ok ? std::chrono::duration<double>(t1 - t0).count() : -1;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  uint64_t slice = 100'000;
  std::vector<Program> programs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--reps" && i + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--slice" && i + 1 < argc) {
      slice = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::ifstream in(arg, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "metering_bench: cannot read %s\n", arg.c_str());
        return 1;
      }
      std::string name = arg.substr(arg.find_last_of('/') + 1);
      programs.push_back(
          {name.substr(0, name.find('.')), std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {})});
    }
  }
  if (programs.empty()) {
    std::fprintf(stderr, "usage: metering_bench [--reps N] [--slice UNITS] PROGRAM.wasm...\n");
    return 2;
  }
  EngineConfig metered;
  metered.consume_fuel = true;
  const Engine plain_engine{EngineConfig{}}, fuel_engine{metered};

  std::printf("| program | plain s | fuel s | fuel / plain | sliced s (slice %llu) | sliced / fuel |\n",
              (unsigned long long)slice);
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  double log_fuel = 0, log_sliced = 0;
  for (const Program& p : programs) {
    auto plain_module = Module::compile(plain_engine, p.bytes);
    auto fuel_module = Module::compile(fuel_engine, p.bytes);
    if (!plain_module || !fuel_module) {
      std::fprintf(stderr, "%s: cannot compile\n", p.name.c_str());
      return 1;
    }
    std::vector<double> t[3];
    for (int r = 0; r < reps; ++r) {
      t[0].push_back(run_once(plain_engine, *plain_module, Mode::kPlain, slice, p.name));
      t[1].push_back(run_once(fuel_engine, *fuel_module, Mode::kFuel, slice, p.name));
      t[2].push_back(run_once(fuel_engine, *fuel_module, Mode::kSliced, slice, p.name));
      for (auto& v : t)
        if (v.back() < 0) {
          std::fprintf(stderr, "%s: run failed\n", p.name.c_str());
          return 1;
        }
    }
    const double plain = median(t[0]), fuel = median(t[1]), sliced = median(t[2]);
    log_fuel += std::log(fuel / plain);
    log_sliced += std::log(sliced / fuel);
    std::printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f |\n", p.name.c_str(), plain, fuel, fuel / plain,
                sliced, sliced / fuel);
    std::fflush(stdout);
  }
  const double n = double(programs.size());
  std::printf("| **geomean** | | | **%.3f** | | **%.3f** |\n", std::exp(log_fuel / n),
              std::exp(log_sliced / n));
  return 0;
}
