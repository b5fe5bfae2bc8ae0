// tests/wasi/p2: the network policy of WASI 0.2 (label unit). wat/denied.wat tries a TCP socket, a name
// lookup and an outgoing HTTP request (headers built with wasi:http/types fields); by default each gets
// the interface's "denied" error code; each permission lets its own operation through and no other:
// error values in every case, never a trap. (sockets_test.cc and http_test.cc use the network for real.)
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"
#include "test_support.hh"

using airwasm::Engine;
using airwasm::Store;
using airwasm::component::Component;
using airwasm::component::Linker;
using airwasm::component::Val;
using airwasm::wasi::p2::WasiP2Config;
using airwasm::wasi::p2::WasiP2Context;

namespace {

using airwasm::testing::read_file;

// Calls the three exports; each returns 0xff00 + the error case index, or 0 on success.
std::vector<uint32_t> try_network(const WasiP2Config& config) {
  Engine engine;
  auto c = Component::compile(engine, read_file(std::string(AIRWASM_P2_WAT) + "/denied.wasm"));
  std::vector<uint32_t> out;
  EXPECT_TRUE(c) << c.error().to_string();
  auto ctx = WasiP2Context::create(config);
  EXPECT_TRUE(ctx);
  if (!c || !ctx) return out;
  Linker linker(engine);
  EXPECT_TRUE(airwasm::wasi::p2::add_to_linker(linker, *ctx));
  Store store(engine);
  auto inst = linker.instantiate(store, *c);
  EXPECT_TRUE(inst) << inst.error().to_string();
  if (!inst) return out;
  for (const char* name : {"tcp", "lookup", "http"}) {
    auto r = inst->get_func(store, name)->call(store, {});
    EXPECT_TRUE(r) << name << ": " << r.error().message();
    out.push_back(r ? (*r)[0].as_u32() : 0);
  }
  return out;
}

TEST(WasiP2Network, DeniedByDefault) {
  // access-denied is case 1 of the sockets error-code the guest declares; HTTP-request-denied case 1 of
  // its http error-code.
  EXPECT_EQ(try_network(WasiP2Config{}), (std::vector<uint32_t>{0xff01, 0xff01, 0xff01}));
}

TEST(WasiP2Network, EachPermissionAllowsItsOwnInterface) {
  WasiP2Config config;
  config.allow_network = true;
  // The socket is created; a name lookup still needs its own permission, HTTP too.
  EXPECT_EQ(try_network(config), (std::vector<uint32_t>{0, 0xff01, 0xff01}));
  config.allow_network = false;
  config.allowed_addresses = {"127.0.0.1:80"};
  EXPECT_EQ(try_network(config), (std::vector<uint32_t>{0, 0xff01, 0xff01}));
  config.allowed_addresses.clear();
  config.allow_http = true;
  // The request names no authority: HTTP-request-URI-invalid (case 3), checked before any transfer.
  EXPECT_EQ(try_network(config), (std::vector<uint32_t>{0xff01, 0xff01, 0xff03}));
  config.allow_ip_name_lookup = true;
  // The lookup starts (its result comes later, off the guest's thread).
  EXPECT_EQ(try_network(config), (std::vector<uint32_t>{0xff01, 0, 0xff03}));
}

}  // namespace
