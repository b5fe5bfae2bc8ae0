// tools: `airwasm run` for a component binary, with WASI 0.2 linked (airwasm/wasi_p2.hh) and the same
// sandbox and limits as a preview 1 command (--dir, --env, --fuel, --timeout, --max-memory).
// Without --invoke it runs `wasi:cli/run` (a command component): exit status 0 or 1 from run's result,
// or the status the guest gave wasi:cli/exit; a component without wasi:cli/run is told so, with the list
// of what it exports. With --invoke 'name(arg, ...)' it calls one export (a root function, or
// `interface#name`) with arguments in WAVE syntax and prints the result in WAVE, as `wasmtime run
// --invoke` does for components. Imports neither WASI nor the command line satisfy are reported by name.
#include <cstdio>
#include <memory>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"
#include "cli.hh"
#include "watchdog.hh"

namespace airwasm::cli {

namespace {

void list_exports(const std::string& file, const component::Component& c) {
  std::fprintf(stderr, "%s: the component exports:\n", file.c_str());
  for (const component::ComponentItem& e : c.exports()) {
    if (e.kind == "func") {
      std::fprintf(stderr, "  %s: %s\n", e.name.c_str(), e.type.c_str());
    } else {
      std::fprintf(stderr, "  %s: %s%s%s\n", e.name.c_str(), e.kind.c_str(), e.type.empty() ? "" : " { ",
                   e.type.empty() ? "" : (e.type + " }").c_str());
    }
  }
}

// A trap of the guest (or an exit): the guest's status for wasi:cli/exit, else the message and 134
// (3 when a host function failed, as for modules).
int report_component_trap(const ComponentRun& r, const Trap& trap) {
  std::fflush(stdout);
  if (trap.code() == TrapCode::kExit) return trap.exit_status();
  std::string text = trap.to_string();
  if ((trap.code() == TrapCode::kDeadlineExceeded || trap.code() == TrapCode::kInterrupted) && r.timeout)
    text += "\n(the --timeout of " + r.timeout_text + " expired)";
  std::fprintf(stderr, "%s: %s\n", r.file.c_str(), text.c_str());
  return trap.is_guest_trap() ? kExitTrap : kExitHost;
}

}  // namespace

int run_component(const ComponentRun& r, std::span<const uint8_t> bytes) {
  EngineConfig config;
  config.consume_fuel = r.fuel.has_value();
  config.compiler = r.compiler;
  Engine engine(config);
  auto c = component::Component::compile(engine, bytes);
  if (!c) {
    print_file_error(r.file, c.error());
    return kExitFailure;
  }
  // The export name of wasi:cli/run at any 0.2.x version.
  std::string run_name;
  for (const component::ComponentItem& e : c->exports())
    if (e.kind == "instance" && e.name.starts_with("wasi:cli/run@0.2.")) run_name = e.name;
  if (!r.invoke && run_name.empty()) {
    std::fprintf(stderr,
                 "%s: error: the component does not export wasi:cli/run; call one of its functions with "
                 "--invoke 'name(arg, ...)'\n",
                 r.file.c_str());
    list_exports(r.file, *c);
    return kExitFailure;
  }
  Store store(engine);
  if (r.fuel) (void)store.set_fuel(*r.fuel);
  if (r.max_memory) {
    StoreLimits limits;
    limits.max_memory_bytes = *r.max_memory;
    store.set_limits(limits);
  }
  wasi::p2::WasiP2Config wc;
  wc.args.push_back(r.file);
  if (!r.invoke) wc.args.insert(wc.args.end(), r.args.begin(), r.args.end());
  for (const std::string& e : r.env) {
    const size_t eq = e.find('=');
    wc.env.emplace_back(e.substr(0, eq), eq == std::string::npos ? "" : e.substr(eq + 1));
  }
  for (const auto& [host, guest] : r.dirs) wc.preopens.push_back({host, guest});
  wc.allow_network = r.inherit_network;
  wc.allowed_addresses = r.allow_net;
  wc.allow_ip_name_lookup = r.allow_ip_name_lookup;
  wc.allow_http = r.allow_http;
  wc.http_ca_file = r.http_ca_file;
  auto wasi_ctx = wasi::p2::WasiP2Context::create(wc);
  if (!wasi_ctx) {
    std::fprintf(stderr, "airwasm run: %s\n", wasi_ctx.error().message.c_str());
    return kExitFailure;
  }
  component::Linker linker(engine);
  if (auto linked = wasi::p2::add_to_linker(linker, *wasi_ctx); !linked) {
    std::fprintf(stderr, "airwasm run: %s\n", linked.error().message.c_str());
    return kExitHost;
  }
  // As for modules: the watchdog covers instantiation (start functions), a deadline the call.
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<Watchdog> watchdog;
  if (r.timeout) watchdog = std::make_unique<Watchdog>(store.interrupt_handle(), *r.timeout);
  auto instance = linker.instantiate(store, *c);
  const bool start_timed_out = watchdog && watchdog->fired();
  watchdog.reset();
  if (!instance) {
    std::string message = instance.error().message;
    if (instance.error().kind == ErrorKind::kLimit && r.max_memory)
      message += " (--max-memory " + r.max_memory_text + ")";
    if (start_timed_out)
      message += " (the --timeout of " + r.timeout_text + " expired in the start function)";
    std::fprintf(stderr, "%s: error: %s\n", r.file.c_str(), message.c_str());
    return instance.error().kind == ErrorKind::kUninstantiable ? kExitTrap : kExitFailure;
  }
  CallOptions options;
  if (r.timeout) {
    const auto spent = std::chrono::steady_clock::now() - started;
    options.timeout = std::max<std::chrono::nanoseconds>(*r.timeout - spent, std::chrono::nanoseconds(1));
  }
  if (!r.invoke) {
    auto run = instance->get_func(store, run_name, "run");
    if (!run) {
      std::fprintf(stderr, "%s: error: `%s` has no function `run`\n", r.file.c_str(), run_name.c_str());
      return kExitFailure;
    }
    std::fflush(stdout);
    auto result = run->call(store, {}, options);
    std::fflush(stdout);
    if (!result) return report_component_trap(r, result.error());
    return !result->empty() && (*result)[0].is_ok() ? kExitOk : kExitFailure;
  }
  std::string call = *r.invoke;
  if (call.find('(') == std::string::npos) {
    // `--invoke name arg...`: join the arguments into a WAVE call.
    call += "(";
    for (size_t i = 0; i < r.args.size(); ++i) call += (i ? ", " : "") + r.args[i];
    call += ")";
  } else if (!r.args.empty()) {
    std::fprintf(stderr, "%s: error: arguments go inside the --invoke call: --invoke 'name(arg, ...)'\n",
                 r.file.c_str());
    return kExitUsage;
  }
  auto parsed = component::parse_invoke(store, *instance, call);
  if (!parsed) {
    std::fprintf(stderr, "%s: error: %s\n", r.file.c_str(), parsed.error().message.c_str());
    if (parsed.error().message.find("exports no function") != std::string::npos) list_exports(r.file, *c);
    return kExitUsage;
  }
  std::fflush(stdout);
  auto results = parsed->first.call(store, parsed->second, options);
  if (!results) return report_component_trap(r, results.error());
  for (const component::Val& v : *results) std::printf("%s\n", v.to_string().c_str());
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace airwasm::cli
