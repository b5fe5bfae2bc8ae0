// tests/wasi/p2: the real-toolchain components of tests/component/real (a C reactor built with clang +
// wasi-libc + the preview1 adapter, and a JavaScript one built with componentize-js) instantiated with
// WASI 0.2 from airwasm::wasi::p2 and the plugin world's host interface, then called: their stdout goes
// through wasi:io/streams into a capture buffer, the JS plugin's imports of wasi:http, wasi:random and
// wasi:clocks link, and every WASI resource the guests drop is released.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"

using airwasm::Engine;
using airwasm::Store;
using airwasm::Trap;
using airwasm::TrapCode;
using airwasm::TrapResult;
using airwasm::component::Component;
using airwasm::component::Linker;
using airwasm::component::LinkerInstance;
using airwasm::component::ResourceType;
using airwasm::component::Val;
using airwasm::wasi::p2::WasiP2Config;
using airwasm::wasi::p2::WasiP2Context;

namespace {

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// The host side of airwasm:plugin/host: records what the guest did.
struct PluginHost {
  ResourceType kv_type = ResourceType::host(77);
  std::vector<std::string> logs;
  std::vector<std::string> sent;
  std::map<uint32_t, std::map<std::string, Val>> stores;
  uint32_t next = 1;
  int dropped = 0;

  void define(Linker& linker) {
    LinkerInstance h = linker.instance("airwasm:plugin/host@0.1.0");
    ASSERT_TRUE(h.func_new("log", [this](Store&, std::span<const Val> p, std::span<Val>) -> TrapResult<void> {
      logs.push_back(p[0].case_name() + ": " + p[1].as_string());
      return {};
    }));
    ASSERT_TRUE(h.func_new("now-ms", [](Store&, std::span<const Val>, std::span<Val> r) -> TrapResult<void> {
      r[0] = Val::u64(1234);
      return {};
    }));
    ASSERT_TRUE(
        h.func_new("send", [this](Store&, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
          sent.push_back(p[0].as_string() + " <- " + p[1].items()[0].as_string());
          r[0] = Val::ok(Val::u32(uint32_t(sent.size())));
          return {};
        }));
    ASSERT_TRUE(h.resource("kv-store", kv_type, [this](Store&, uint32_t rep) {
      stores.erase(rep);
      ++dropped;
    }));
    ASSERT_TRUE(h.func_new("[constructor]kv-store",
                           [this](Store& store, std::span<const Val>, std::span<Val> r) -> TrapResult<void> {
                             const uint32_t rep = next++;
                             stores[rep];
                             r[0] = Val::resource(*airwasm::component::resource_new_own(store, kv_type, rep));
                             return {};
                           }));
    ASSERT_TRUE(
        h.func_new("[method]kv-store.get",
                   [this](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                     auto rep = airwasm::component::resource_rep(store, p[0].as_resource());
                     if (!rep) return std::unexpected(Trap(TrapCode::kHostError, "bad kv-store"));
                     auto& m = stores[*rep];
                     auto it = m.find(p[1].as_string());
                     r[0] = it == m.end() ? Val::none() : Val::some(it->second);
                     return {};
                   }));
    ASSERT_TRUE(h.func_new("[method]kv-store.set",
                           [this](Store& store, std::span<const Val> p, std::span<Val>) -> TrapResult<void> {
                             auto rep = airwasm::component::resource_rep(store, p[0].as_resource());
                             if (!rep) return std::unexpected(Trap(TrapCode::kHostError, "bad kv-store"));
                             stores[*rep][p[1].as_string()] = p[2];
                             return {};
                           }));
  }
};

Val bytes(std::string_view s) {
  std::vector<Val> v;
  for (char c : s) v.push_back(Val::u8(uint8_t(c)));
  return Val::list(std::move(v));
}

std::string text(const Val& list) {
  std::string s;
  for (const Val& b : list.items()) s.push_back(char(b.as_u8()));
  return s;
}

class RealPlugin : public ::testing::TestWithParam<const char*> {};

TEST_P(RealPlugin, RunsWithWasiP2) {
  const std::string name = GetParam();
  Engine engine;
  auto component =
      Component::compile(engine, read_file(std::string(AIRWASM_REAL_DIR) + "/" + name + ".wasm"));
  ASSERT_TRUE(component) << component.error().to_string();
  Linker linker(engine);
  PluginHost host;
  host.define(linker);
  WasiP2Config config;
  config.capture_stdout = true;
  config.capture_stderr = true;
  auto wasi = WasiP2Context::create(config);
  ASSERT_TRUE(wasi) << wasi.error().to_string();
  ASSERT_TRUE(airwasm::wasi::p2::add_to_linker(linker, *wasi));
  Store store(engine);
  auto instance = linker.instantiate(store, *component);
  ASSERT_TRUE(instance) << instance.error().to_string();
  const std::string guest = "airwasm:plugin/guest@0.1.0";

  auto describe = instance->get_func(store, guest, "describe");
  ASSERT_TRUE(describe);
  auto info = describe->call(store, {});
  ASSERT_TRUE(info) << info.error().message();
  EXPECT_EQ((*info)[0].items()[0].as_string(), name == "c_plugin" ? "c-plugin" : "js-plugin");

  auto handle = instance->get_func(store, guest, "handle-message");
  ASSERT_TRUE(handle);
  for (int i = 0; i < 3; ++i) {
    auto reply = handle->call(store, std::vector<Val>{bytes("hi " + std::to_string(i))});
    ASSERT_TRUE(reply) << reply.error().message();
    ASSERT_TRUE((*reply)[0].is_some());
    EXPECT_EQ(text(*(*reply)[0].payload()), "echo: hi " + std::to_string(i));
  }
  EXPECT_EQ(host.sent.size(), 3u);

  auto callback = instance->get_func(store, guest, "handle-callback");
  ASSERT_TRUE(callback);
  auto ok = callback->call(store, std::vector<Val>{Val::u32(7), Val::err(Val::string("timeout"))});
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ((*ok)[0], Val::boolean(false));
  auto bye = callback->call(store, std::vector<Val>{Val::u32(0), Val::ok(bytes("done"))});
  ASSERT_TRUE(bye) << bye.error().message();

  if (name == "c_plugin") {
    // printf -> fd_write (adapter) -> wasi:io/streams output-stream -> the capture buffer.
    EXPECT_NE(wasi->captured_stdout().find("c-plugin: message of 4 bytes at 1234 ms\n"), std::string::npos)
        << wasi->captured_stdout();
    EXPECT_NE(wasi->captured_stdout().find("c-plugin: callback 7 failed: timeout"), std::string::npos);
    EXPECT_EQ(host.dropped, 1);  // callback 0 dropped the kv-store
  } else {
    bool logged = false;
    for (const auto& l : host.logs)
      logged |= l.find("js-plugin: message of 4 bytes at 1234 ms") != std::string::npos;
    EXPECT_TRUE(logged);
  }
}

INSTANTIATE_TEST_SUITE_P(Real, RealPlugin, ::testing::Values("c_plugin", "js_plugin"));

}  // namespace
