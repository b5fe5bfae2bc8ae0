// tests/bindgen: bindings generated from a component binary instead of WIT text (`airwasm bindgen
// COMPONENT.wasm`: the world it was built for, `root:component/root`, holding only what the component uses).
// On bench/component/airssys_echo.wasm: the world class is `root::component::Root`, the host-services
// interface has only the one function the component imports, and handle-message works as from the WIT.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "echo_root.hh"

namespace {

namespace core = ::airssys::core;
using airwasm::Store;
using airwasm::TrapResult;

struct Services : core::host_services::Host {  // one method: the component imports only current-time-millis
  TrapResult<uint64_t> current_time_millis(Store&) override { return 5; }
};

TEST(BindgenFromComponent, EchoWorld) {
  std::ifstream in(AIRSSYS_ECHO_WASM, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  airwasm::Engine engine;
  auto component = airwasm::component::Component::compile(engine, bytes);
  ASSERT_TRUE(component) << component.error().message;
  airwasm::component::Linker linker(engine);
  Services services;
  ASSERT_TRUE(::root::component::Root::add_to_linker(linker, services));
  Store store(engine);
  auto root = ::root::component::Root::instantiate(store, linker, *component);
  ASSERT_TRUE(root) << root.error().message;
  core::types::ComponentMessage msg;
  msg.payload = {7, 8};
  auto reply = root->component_lifecycle().handle_message(store, msg);
  ASSERT_TRUE(reply) << reply.error().message();
  ASSERT_TRUE(reply->is_ok());
  EXPECT_EQ(reply->value(), std::optional<std::vector<uint8_t>>(std::vector<uint8_t>{7, 8}));
  auto cb = root->component_lifecycle().handle_callback(store, msg);
  ASSERT_TRUE(cb);
  EXPECT_TRUE(cb->is_ok());
}

}  // namespace
