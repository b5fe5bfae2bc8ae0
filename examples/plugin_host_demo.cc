// examples: the plugin host demo (README). Loads four airssys components into one RuntimeEngine:
// a request from `callback` to `echo` whose answer comes back as a callback with the same correlation id,
// a `store` counting the demo's runs in SQLite (run it twice: the count survives the restart), and a
// `runaway` stopped by its fuel and memory limits while the others keep answering.
// Usage: plugin_host_demo FIXTURES_DIR [DATABASE]   (FIXTURES_DIR holds c_echo.wasm, c_callback.wasm, ...)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "airwasm/host/engine.hh"

using namespace airwasm::host;

namespace {

std::vector<uint8_t> read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Sends `text` to the component and prints the exchange; returns the answer ("" when none or failed).
std::string send(HostEngine& engine, const ComponentHandle& h, const std::string& text) {
  ComponentMessage msg{{"demo", "host", "0"}, MessagePayload(text.begin(), text.end()), {}};
  auto r = engine.call_handle_message_ex(h, msg);
  std::string shown, answer;
  if (!r) {
    shown = "host error: " + r.error().to_string();
  } else if (!*r) {
    shown = "err(" + r->error().to_string() + ")";
  } else if (!**r) {
    shown = "ok(none)";
  } else {
    answer.assign((***r).begin(), (***r).end());
    shown = "ok(\"" + answer + "\")";
  }
  std::printf("%-16s <- %-22s %s\n", h.id.to_string().c_str(), ("\"" + text + "\"").c_str(), shown.c_str());
  return answer;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: plugin_host_demo FIXTURES_DIR [DATABASE]\n");
    return 2;
  }
  const std::string dir = argv[1];
  EngineOptions options;
  options.storage_path = argc > 2 ? argv[2] : "plugin_host_demo.db";
  options.log = std::make_shared<CapturingLogSink>();  // the store logs every command; keep the demo quiet
  auto created = HostEngine::create(std::move(options));
  if (!created) {
    std::fprintf(stderr, "%s\n", created.error().to_string().c_str());
    return 1;
  }
  HostEngine& engine = **created;

  ComponentConfig limited;  // the runaway's limits: fuel and memory per call, a deadline
  limited.resource_limits = {
      .max_memory_bytes = 4 << 20, .max_execution_time_ms = 1000, .max_fuel = 5'000'000};
  auto load = [&](const char* name, const ComponentConfig& config = {}) {
    auto h = engine.load_component({"demo", name, "0"}, read(dir + "/c_" + name + ".wasm"), config);
    if (!h) {
      std::fprintf(stderr, "%s: %s\n", name, h.error().to_string().c_str());
      std::exit(1);
    }
    return *h;
  };
  const auto echo = load("echo"), callback = load("callback"), store = load("store");
  auto runaway = load("runaway", limited);

  std::printf("-- a request and its callback\n");
  send(engine, callback, "demo|echo|0|hello");  // answers the request's correlation id
  // The router delivers the request to echo and echo's answer to callback's handle-callback on its worker
  // threads; wait until callback has recorded it ("callbacks" lists them), then show it.
  const ComponentMessage list{{"demo", "host", "0"}, {'c', 'a', 'l', 'l', 'b', 'a', 'c', 'k', 's'}, {}};
  for (int i = 0; i < 500; ++i) {
    auto r = engine.call_handle_message(callback, list);
    if (r && *r && !(*r)->empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  send(engine, callback, "callbacks");  // "<correlation id>|<content type or ->|<payload>"

  std::printf("-- storage that survives a restart\n");
  const std::string runs = send(engine, store, "get runs");
  send(engine, store, "set runs " + std::to_string(runs.empty() ? 1 : std::stoi(runs) + 1));

  std::printf("-- a runaway stopped by its limits while the others keep answering\n");
  send(engine, runaway, "loop");
  send(engine, echo, "still here");
  runaway = *engine.reload_component(runaway);
  send(engine, runaway, "alloc");
  send(engine, echo, "still here");
  return 0;
}
