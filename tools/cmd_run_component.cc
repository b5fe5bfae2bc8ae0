// tools: `airwasm run COMPONENT.wasm [ARGS...]`: a command component (one that exports wasi:cli/run)
// with WASI 0.2, given the same sandbox and limits as a preview 1 command (--dir, --env, --fuel,
// --timeout, --max-memory). The exit status is 0 or 1 from run's result<_, _>, or the status the guest
// gave wasi:cli/exit; a trap is 134 and a component that cannot be loaded or linked 1, as for modules.
// A component without wasi:cli/run is told so, with the list of what it does export.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"
#include "cli.hh"
#include "run_options.hh"
#include "watchdog.hh"

namespace airwasm::cli {
namespace {

// The export name of wasi:cli/run at any 0.2.x version, or "".
std::string find_run_export(const component::Component& c) {
  for (const component::ComponentItem& e : c.exports())
    if (e.kind == "instance" && e.name.rfind("wasi:cli/run@0.2.", 0) == 0) return e.name;
  return "";
}

}  // namespace

int run_component(const RunOptions& o, std::span<const uint8_t> bytes) {
  if (o.invoke) {
    std::fprintf(stderr, "%s: error: --invoke is not supported for components yet (it runs wasi:cli/run)\n",
                 o.file.c_str());
    return kExitUsage;
  }
  EngineConfig config;
  config.consume_fuel = o.fuel.has_value();
  Engine engine(config);
  auto comp = component::Component::compile(engine, bytes);
  if (!comp) {
    print_file_error(o.file, comp.error());
    return kExitFailure;
  }
  const std::string run_name = find_run_export(*comp);
  if (run_name.empty()) {
    std::fprintf(stderr, "%s: error: not a command component (it does not export wasi:cli/run); its exports:\n",
                 o.file.c_str());
    for (const component::ComponentItem& e : comp->exports())
      std::fprintf(stderr, "  %s: %s%s%s\n", e.name.c_str(), e.kind.c_str(), e.type.empty() ? "" : " ",
                   e.type.c_str());
    return kExitFailure;
  }

  Store store(engine);
  if (o.fuel) (void)store.set_fuel(*o.fuel);
  if (o.max_memory) {
    StoreLimits limits;
    limits.max_memory_bytes = *o.max_memory;
    store.set_limits(limits);
  }
  wasi::p2::WasiP2Config wc;
  wc.args.push_back(o.file);
  wc.args.insert(wc.args.end(), o.args.begin(), o.args.end());
  for (const std::string& e : o.env) {
    const size_t eq = e.find('=');
    wc.env.emplace_back(e.substr(0, eq), eq == std::string::npos ? "" : e.substr(eq + 1));
  }
  wc.preopens = o.dirs;
  auto ctx = wasi::p2::WasiP2Context::create(wc);
  if (!ctx) {
    std::fprintf(stderr, "airwasm run: %s\n", ctx.error().message.c_str());
    return kExitFailure;
  }
  component::Linker linker(engine);
  if (auto r = wasi::p2::add_to_linker(linker, *ctx); !r) {
    std::fprintf(stderr, "airwasm run: %s\n", r.error().message.c_str());
    return kExitFailure;
  }

  // As for modules: the watchdog covers instantiation (start functions), a deadline the call.
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<Watchdog> watchdog;
  if (o.timeout) watchdog = std::make_unique<Watchdog>(store.interrupt_handle(), *o.timeout);
  auto instance = linker.instantiate(store, *comp);
  const bool start_timed_out = watchdog && watchdog->fired();
  watchdog.reset();
  if (!instance) {
    std::string message = instance.error().message;
    if (instance.error().kind == ErrorKind::kLimit && o.max_memory)
      message += " (--max-memory " + o.max_memory_text + ")";
    if (start_timed_out) message += " (the --timeout of " + o.timeout_text + " expired in the start function)";
    std::fprintf(stderr, "%s: error: %s\n", o.file.c_str(), message.c_str());
    return instance.error().kind == ErrorKind::kUninstantiable ? kExitTrap : kExitFailure;
  }
  auto run = instance->get_func(store, run_name, "run");
  if (!run) {
    std::fprintf(stderr, "%s: error: `%s` has no function `run`\n", o.file.c_str(), run_name.c_str());
    return kExitFailure;
  }
  CallOptions call_options;
  if (o.timeout) {
    const auto spent = std::chrono::steady_clock::now() - started;
    call_options.timeout = std::max<std::chrono::nanoseconds>(*o.timeout - spent, std::chrono::nanoseconds(1));
  }
  std::fflush(stdout);
  auto result = run->call(store, {}, call_options);
  if (!result) return report_trap(o, result.error());
  return !result->empty() && (*result)[0].is_ok() ? kExitOk : kExitFailure;
}

}  // namespace airwasm::cli
