// examples/installed: a plugin host on generated bindings, built against an installed airwasm. Loads an
// airssys component (world runtime-host), serves its host-services import with the generated Host class
// and sends it one message through the generated typed export.
//   airssys_host COMPONENT.wasm
#include <cstdio>
#include <fstream>
#include <iterator>

#include "runtime_host.hh"

namespace core = airssys::core;
using airwasm::Store;
using airwasm::TrapResult;

struct Services : core::host_services::Host {
  TrapResult<void> log(Store&, core::types::LogLevel, std::string message,
                       std::optional<std::vector<std::tuple<std::string, std::string>>>) override {
    std::printf("log: %s\n", message.c_str());
    return {};
  }
  TrapResult<core::types::Timestamp> current_time(Store&) override { return core::types::Timestamp{}; }
  TrapResult<uint64_t> current_time_millis(Store&) override { return 42; }
  TrapResult<void> sleep_millis(Store&, uint64_t) override { return {}; }
  TrapResult<std::vector<core::types::ComponentId>> list_components(Store&) override { return {}; }
  TrapResult<airwasm::component::WitResult<core::host_services::ComponentInfo, core::errors::ComponentError>>
  get_component_metadata(Store&, core::types::ComponentId) override {
    return airwasm::component::WitResult<core::host_services::ComponentInfo, core::errors::ComponentError>::
        err(core::errors::ComponentError::not_initialized());
  }
};

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: airssys_host COMPONENT.wasm\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  airwasm::Engine engine;
  auto component = airwasm::component::Component::compile(engine, bytes);
  if (!component) {
    std::fprintf(stderr, "compile: %s\n", component.error().message.c_str());
    return 1;
  }
  airwasm::component::Linker linker(engine);
  Services services;
  if (auto r = core::host_services::add_to_linker(linker, services); !r) return 1;
  Store store(engine);
  auto host = core::RuntimeHost::instantiate(store, linker, *component);
  if (!host) {
    std::fprintf(stderr, "instantiate: %s\n", host.error().message.c_str());
    return 1;
  }
  core::types::ComponentMessage msg;
  msg.sender = {"example", "host", "1"};
  msg.payload = {'h', 'i'};
  auto reply = host->component_lifecycle().handle_message(store, msg);
  if (!reply) {
    std::fprintf(stderr, "trap: %s\n", reply.error().message().c_str());
    return 1;
  }
  if (!reply->is_ok() || !reply->value()) return 1;
  std::printf("reply: %.*s\n", int(reply->value()->size()),
              reinterpret_cast<const char*>(reply->value()->data()));
  auto meta = host->component_lifecycle().metadata(store);
  if (!meta) return 1;
  std::printf("component: %s %s\n", meta->name.c_str(), meta->version.c_str());
  return 0;
}
