// bench/component: host <-> guest call overhead of the component runtime (Google Benchmark), on the small
// component bench.wat (its binary bench.wasm is committed beside it; see the .wat for how it is made).
//   typed u32 -> u32         TypedFunc<uint32_t(uint32_t)>::call of an export that adds 1 (target <= 100 ns)
//   Val u32 -> u32           Func::call with Vals on the same export (target <= 250 ns)
//   typed 1 KiB string echo  a string in, the same string back (target <= 1 us)
//   host round trip          a typed call of an export that calls a typed host function (func_wrap)
// Every benchmark checks its result once, so a broken runtime cannot report a fast figure.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"

namespace {

using airwasm::Engine;
using airwasm::Store;
using namespace airwasm::component;

std::vector<uint8_t> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// One Engine, Store and instance for every benchmark.
struct World {
  Engine engine;
  Store store{engine};
  std::optional<Instance> instance;

  World() {
    Linker linker(engine);
    auto ok = linker.instance("bench:host/api").func_wrap("twice", [](uint32_t x) { return 2 * x; });
    auto component = Component::compile(engine, read_file(AIRWASM_BENCH_COMPONENT));
    if (!ok || !component) die(component ? ok.error().message : component.error().message);
    auto inst = linker.instantiate(store, *component);
    if (!inst) die(inst.error().message);
    instance = *inst;
  }
  [[noreturn]] static void die(const std::string& why) {
    std::fprintf(stderr, "component_bench: %s\n", why.c_str());
    std::exit(1);
  }
  template <typename Sig>
  TypedFunc<Sig> typed(const char* name) {
    auto f = instance->get_typed_func<Sig>(store, name);
    if (!f) die(f.error().message);
    return *f;
  }
};

World& world() {
  static World w;
  return w;
}

void BM_TypedU32(benchmark::State& state) {
  World& w = world();
  auto inc = w.typed<uint32_t(uint32_t)>("inc");
  if (*inc.call(w.store, 41) != 42) World::die("inc gave a wrong result");
  uint32_t x = 0;
  for (auto _ : state) {
    auto r = inc.call(w.store, x);
    x = *r;
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_TypedU32);

void BM_ValU32(benchmark::State& state) {
  World& w = world();
  auto inc = w.instance->get_func(w.store, "inc");
  std::vector<Val> args{Val::u32(41)};
  if ((*inc->call(w.store, args))[0].as_u32() != 42) World::die("inc gave a wrong result");
  for (auto _ : state) {
    auto r = inc->call(w.store, args);
    args[0] = (*r)[0];
    benchmark::DoNotOptimize(args[0]);
  }
}
BENCHMARK(BM_ValU32);

void BM_TypedString1KiB(benchmark::State& state) {
  World& w = world();
  auto echo = w.typed<std::string(std::string_view)>("echo");
  std::string text(1024, 'a');
  for (size_t i = 0; i < text.size(); ++i) text[i] = char('a' + i % 26);
  if (*echo.call(w.store, text) != text) World::die("echo gave a wrong result");
  for (auto _ : state) {
    auto r = echo.call(w.store, text);
    benchmark::DoNotOptimize(r->data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * 2 * int64_t(text.size()));
}
BENCHMARK(BM_TypedString1KiB);

void BM_ValString1KiB(benchmark::State& state) {
  World& w = world();
  auto echo = w.instance->get_func(w.store, "echo");
  std::vector<Val> args{Val::string(std::string(1024, 'a'))};
  for (auto _ : state) {
    auto r = echo->call(w.store, args);
    benchmark::DoNotOptimize((*r)[0].as_string().data());
  }
}
BENCHMARK(BM_ValString1KiB);

void BM_TypedHostRoundTrip(benchmark::State& state) {
  World& w = world();
  auto call_host = w.typed<uint32_t(uint32_t)>("call-host");
  if (*call_host.call(w.store, 21) != 42) World::die("call-host gave a wrong result");
  uint32_t x = 1;
  for (auto _ : state) {
    auto r = call_host.call(w.store, x & 0xffff);
    x = *r;
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_TypedHostRoundTrip);

}  // namespace

BENCHMARK_MAIN();
