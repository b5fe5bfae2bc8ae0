// examples/installed: the plugin host (airwasm::host) from an installed airwasm. Creates a HostEngine with
// in-memory storage, loads an airssys component, sends it one message and asks its metadata and health;
// then shows the error a load of bytes that are no component gives.
//   plugin_host COMPONENT.wasm
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "airwasm/host/engine.hh"

using namespace airwasm::host;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: plugin_host COMPONENT.wasm\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  EngineOptions options;
  options.storage_path = ":memory:";
  auto engine = HostEngine::create(options);
  if (!engine) {
    std::fprintf(stderr, "create: %s\n", engine.error().message.c_str());
    return 1;
  }
  auto handle = (*engine)->load_component(ComponentId{"example", "echo", "1"}, bytes);
  if (!handle) {
    std::fprintf(stderr, "load: %s\n", handle.error().to_string().c_str());
    return 1;
  }
  ComponentMessage msg;
  msg.sender = ComponentId{"example", "host", "0"};
  msg.payload = {'h', 'i'};
  auto reply = (*engine)->call_handle_message(*handle, msg);
  if (!reply || !*reply) {
    std::fprintf(stderr, "handle-message: %s\n", reply ? "no answer" : reply.error().to_string().c_str());
    return 1;
  }
  std::printf("reply: %s\n", std::string((*reply)->begin(), (*reply)->end()).c_str());
  auto md = (*engine)->metadata(*handle);
  auto health = (*engine)->health(*handle);
  if (!md || !health) return 1;
  std::printf("metadata: %s %s, healthy: %s\n", md->name.c_str(), md->version.c_str(),
              *health == HealthStatus::kHealthy ? "yes" : "no");
  if (auto r = (*engine)->unload_component(*handle); !r) return 1;

  const std::vector<uint8_t> junk = {'n', 'o', 't', ' ', 'w', 'a', 's', 'm'};
  auto bad = (*engine)->load_component(ComponentId{"example", "junk", "1"}, junk);
  if (bad) return 1;
  std::printf("invalid bytes: %s\n", bad.error().to_string().substr(0, 21).c_str());
  return 0;
}
