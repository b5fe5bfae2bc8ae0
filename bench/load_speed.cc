// bench: load speed of a module: decode + validate + lower (Module::compile), in-process, no
// instantiation. Usage: load_speed FILE.wasm [repetitions]. Prints the median over the repetitions as
// "MB/s: X" (X = file bytes / 10^6 / seconds; the engine's default, parallel lowering on every hardware
// thread), the line run_bench.py reads, plus the first (cold) run and the single-threaded median. All of
// these are for the interpreter (CompilerMode::kInterpreter); the baseline compiler's lines add its
// translation to machine code (one thread) on top: its single-threaded total and the translation alone
// (file bytes / (baseline time - interpreter time)), the figure issue 15's 20 MB/s target is about.
// On a shared machine wall time moves with the other processes, so the single-threaded figures are also
// given in process CPU time ("(CPU)" lines: the median of the repetitions' CPU seconds).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <vector>

#include "airwasm/airwasm.hh"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: load_speed FILE.wasm [repetitions]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "load_speed: cannot read %s\n", argv[1]);
    return 1;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  const int reps = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  const auto cpu_seconds = [] {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
  };
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  // Returns the median wall time; `cpu` gets the median CPU time.
  const auto measure = [&](unsigned threads, double* cold,
                           airwasm::CompilerMode mode = airwasm::CompilerMode::kInterpreter,
                           double* cpu = nullptr) -> double {
    airwasm::EngineConfig config;
    config.compile_threads = threads;
    config.compiler = mode;
    const airwasm::Engine engine(config);
    std::vector<double> seconds, cpu_times;
    for (int i = 0; i < reps; ++i) {
      const double cpu_start = cpu_seconds();
      const auto start = std::chrono::steady_clock::now();
      auto module = airwasm::Module::compile(engine, bytes);
      const auto end = std::chrono::steady_clock::now();
      cpu_times.push_back(cpu_seconds() - cpu_start);
      if (!module) {
        std::fprintf(stderr, "load_speed: %s: %s\n", argv[1], module.error().to_string().c_str());
        std::exit(1);
      }
      seconds.push_back(std::chrono::duration<double>(end - start).count());
    }
    if (cold) *cold = seconds.front();
    if (cpu) *cpu = median(cpu_times);
    return median(seconds);
  };
  double cold = 0, single_cpu = 0, baseline_cpu = 0;
  const double single = measure(1, nullptr, airwasm::CompilerMode::kInterpreter, &single_cpu);
  const double parallel = measure(0, &cold);
  const double baseline = measure(1, nullptr, airwasm::CompilerMode::kBaseline, &baseline_cpu);
  const double mb = double(bytes.size()) / 1e6;
  std::printf("size: %.2f MB\ncold: %.1f MB/s\nsingle thread: %.1f MB/s\nMB/s: %.1f\n", mb, mb / cold,
              mb / single, mb / parallel);
  std::printf("baseline single thread: %.1f MB/s\nbaseline translation alone: %.1f MB/s\n", mb / baseline,
              baseline > single ? mb / (baseline - single) : 0.0);
  std::printf(
      "single thread (CPU): %.1f MB/s\nbaseline single thread (CPU): %.1f MB/s\n"
      "baseline translation alone (CPU): %.1f MB/s\n",
      mb / single_cpu, mb / baseline_cpu, baseline_cpu > single_cpu ? mb / (baseline_cpu - single_cpu) : 0.0);
  return 0;
}
