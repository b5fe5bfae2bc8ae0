// bench/component: instantiation of real components from their pre-instantiated form (InstancePre),
// and the resident memory each instance adds. The components are the real C and JS plugins that the
// component tests build (BUILD/tests/component/real/{c,js}_plugin.wasm); their host imports are stubs
// (WASI 0.2 from airwasm_wasi_p2, the plugin host interface as no-op functions), since only
// instantiation is measured.
//   component_instantiate_bench COMPONENT.wasm [INSTANCES]
// Prints the compile time, the median instantiation time over INSTANCES instantiations (default 200),
// each in a fresh Store kept alive, and the RSS added per instance (resident set after / before).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"

using namespace airwasm::component;

namespace {

size_t rss_bytes() {
  std::ifstream f("/proc/self/statm");
  size_t pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * 4096;
}

void stub_host(Linker& linker) {
  LinkerInstance h = linker.instance("airwasm:plugin/host@0.1.0");
  auto nop = [](airwasm::Store&, std::span<const Val>, std::span<Val>) -> airwasm::TrapResult<void> {
    return {};
  };
  for (const char* f :
       {"log", "now-ms", "send", "[constructor]kv-store", "[method]kv-store.get", "[method]kv-store.set"})
    (void)h.func_new(f, nop);
  (void)h.resource("kv-store", ResourceType::host(42), [](airwasm::Store&, uint32_t) {});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: component_instantiate_bench COMPONENT.wasm [INSTANCES]\n");
    return 2;
  }
  const int n = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  airwasm::Engine engine;
  const auto t0 = std::chrono::steady_clock::now();
  auto component = Component::compile(engine, bytes);
  const auto t1 = std::chrono::steady_clock::now();
  if (!component) {
    std::fprintf(stderr, "compile: %s\n", component.error().to_string().c_str());
    return 1;
  }
  Linker linker(engine);
  stub_host(linker);
  airwasm::wasi::p2::WasiP2Config config;
  config.stdout_fd = -1;
  auto wasi = airwasm::wasi::p2::WasiP2Context::create(config);
  if (!wasi || !airwasm::wasi::p2::add_to_linker(linker, *wasi)) return 1;
  auto pre = linker.instantiate_pre(*component);
  if (!pre) {
    std::fprintf(stderr, "instantiate_pre: %s\n", pre.error().to_string().c_str());
    return 1;
  }
  // One warm-up instance, then the measured ones, all kept alive for the RSS figure.
  std::vector<std::unique_ptr<airwasm::Store>> stores;
  {
    auto s = std::make_unique<airwasm::Store>(engine);
    if (!pre->instantiate(*s)) return 1;
    stores.push_back(std::move(s));
  }
  const size_t rss_before = rss_bytes();
  std::vector<double> us;
  for (int i = 0; i < n; ++i) {
    auto s = std::make_unique<airwasm::Store>(engine);
    const auto a = std::chrono::steady_clock::now();
    auto inst = pre->instantiate(*s);
    const auto b = std::chrono::steady_clock::now();
    if (!inst) {
      std::fprintf(stderr, "instantiate: %s\n", inst.error().to_string().c_str());
      return 1;
    }
    us.push_back(std::chrono::duration<double, std::micro>(b - a).count());
    stores.push_back(std::move(s));
  }
  const size_t rss_after = rss_bytes();
  std::sort(us.begin(), us.end());
  std::printf("%s: %zu bytes, compiled in %.1f ms\n", argv[1], bytes.size(),
              std::chrono::duration<double, std::milli>(t1 - t0).count());
  std::printf("instantiate from InstancePre: median %.1f us, min %.1f us, max %.1f us (%d instances)\n",
              us[us.size() / 2], us.front(), us.back(), n);
  std::printf("RSS added per live instance: %.1f KiB\n", double(rss_after - rss_before) / n / 1024.0);
  return 0;
}
