// bench/simd: runs the kernels of kernels.c compiled twice (scalar wasm and -msimd128 wasm) through the
// public API, side by side, with Google Benchmark. Names are BM_<kernel>/<scalar|simd>; the ratio of the
// two is the speedup the SIMD interpreter gives. scalar_hash and fib exist only to time the non-SIMD
// dispatch path (they compile to the same scalar code in both builds).
// The .wasm paths are compiled in (AIRWASM_KERNELS_SIMD / AIRWASM_KERNELS_SCALAR) and can be overridden
// with the environment variables of the same names; AIRWASM_BENCH_COMPILER picks the tier (engine()).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "airwasm/airwasm.hh"

namespace {

using namespace airwasm;

struct Loaded {
  std::unique_ptr<Store> store;
  std::optional<Instance> instance;
  std::string error;  // non-empty: loading failed (e.g. SIMD not supported by this build)
};

std::vector<uint8_t> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// AIRWASM_BENCH_COMPILER=interpreter|baseline|auto (default auto: what users get) picks the tier, so the
// baseline compiler's SIMD code can be compared with the interpreter's on the same kernels.
const Engine& engine() {
  static Engine e([] {
    EngineConfig config;
    const char* mode = std::getenv("AIRWASM_BENCH_COMPILER");
    const std::string m = mode ? mode : "auto";
    if (m == "interpreter") config.compiler = CompilerMode::kInterpreter;
    if (m == "baseline") config.compiler = CompilerMode::kBaseline;
    return config;
  }());
  return e;
}

Loaded load(const char* env, const char* fallback) {
  Loaded l;
  const char* path = std::getenv(env);
  if (!path) path = fallback;
  const std::vector<uint8_t> bytes = read_file(path);
  if (bytes.empty()) {
    l.error = std::string("cannot read ") + path;
    return l;
  }
  Result<Module> m = Module::compile(engine(), bytes);
  if (!m) {
    l.error = std::string(path) + ": " + m.error().to_string();
    return l;
  }
  l.store = std::make_unique<Store>(engine());
  Linker linker(engine());
  Result<Instance> inst = linker.instantiate(*l.store, *m);
  if (!inst) {
    l.error = inst.error().to_string();
    return l;
  }
  l.instance = *inst;
  for (const char* init : {"_initialize", "init"}) {
    std::optional<Func> f = l.instance->get_func(*l.store, init);
    if (f && !f->call(*l.store, {})) l.error = std::string("trap in ") + init;
  }
  return l;
}

Loaded& module(bool simd) {
  static Loaded scalar = load("AIRWASM_KERNELS_SCALAR", AIRWASM_KERNELS_SCALAR);
  static Loaded vec = load("AIRWASM_KERNELS_SIMD", AIRWASM_KERNELS_SIMD);
  return simd ? vec : scalar;
}

void run_kernel(benchmark::State& state, const char* name, std::vector<Val> args, bool simd) {
  Loaded& l = module(simd);
  if (!l.error.empty()) {
    state.SkipWithError(l.error.c_str());
    return;
  }
  std::optional<Func> f = l.instance->get_func(*l.store, name);
  if (!f) {
    state.SkipWithError("missing export");
    return;
  }
  std::vector<Val> results(f->type(*l.store).results.size());
  for (auto _ : state) {
    TrapResult<void> r = f->call(*l.store, args, results);
    if (!r) {
      state.SkipWithError(r.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(results.data());
  }
}

constexpr int kN = 16384;

#define KERNEL(name, ...)                                       \
  void BM_##name##_scalar(benchmark::State& s) {                \
    run_kernel(s, #name, {__VA_ARGS__}, false);                 \
  }                                                             \
  void BM_##name##_simd(benchmark::State& s) {                  \
    run_kernel(s, #name, {__VA_ARGS__}, true);                  \
  }                                                             \
  BENCHMARK(BM_##name##_scalar)->Unit(benchmark::kMicrosecond); \
  BENCHMARK(BM_##name##_simd)->Unit(benchmark::kMicrosecond);

KERNEL(dot, Val::i32(kN))
KERNEL(saxpy, Val::i32(kN), Val::f32(1.5f))
KERNEL(blend, Val::i32(kN), Val::i32(100))
KERNEL(dot_i16, Val::i32(kN))
KERNEL(matmul, Val::i32(4))

void BM_scalar_hash(benchmark::State& s) {
  run_kernel(s, "scalar_hash", {Val::i32(kN)}, false);
}
void BM_fib(benchmark::State& s) {
  run_kernel(s, "fib", {Val::i32(25)}, false);
}
BENCHMARK(BM_scalar_hash)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_fib)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
