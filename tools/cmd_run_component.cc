// tools: `airwasm run` for a component binary. With --invoke 'name(arg, ...)' it calls one export (a root
// function, or `interface#name`) with arguments in WAVE syntax and prints the result in WAVE, as
// `wasmtime run --invoke` does for components. Imports the command line cannot satisfy are reported by
// name. Without --invoke it runs `wasi:cli/run` when the component exports it; otherwise it lists what
// the component exports instead of failing obscurely.
#include <cstdio>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "cli.hh"

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

}  // namespace

int run_component(const ComponentRun& r, std::span<const uint8_t> bytes) {
  EngineConfig config;
  config.consume_fuel = r.fuel.has_value();
  Engine engine(config);
  auto c = component::Component::compile(engine, bytes);
  if (!c) {
    print_file_error(r.file, c.error());
    return kExitFailure;
  }
  if (!r.invoke) {
    bool has_run = false;
    for (const component::ComponentItem& e : c->exports())
      if (e.name.starts_with("wasi:cli/run@")) has_run = true;
    if (has_run) {
      std::fprintf(stderr, "%s: error: running wasi:cli/run commands needs WASI 0.2, which airwasm does not provide yet\n",
                   r.file.c_str());
    } else {
      std::fprintf(stderr, "%s: error: the component does not export wasi:cli/run; call one of its functions with "
                           "--invoke 'name(arg, ...)'\n", r.file.c_str());
      list_exports(r.file, *c);
    }
    return kExitFailure;
  }
  Store store(engine);
  if (r.fuel) (void)store.set_fuel(*r.fuel);
  if (r.max_memory) {
    StoreLimits limits;
    limits.max_memory_bytes = *r.max_memory;
    store.set_limits(limits);
  }
  component::Linker linker(engine);
  auto instance = linker.instantiate(store, *c);
  if (!instance) {
    std::fprintf(stderr, "%s: error: %s\n", r.file.c_str(), instance.error().message.c_str());
    return instance.error().kind == ErrorKind::kUninstantiable ? kExitTrap : kExitFailure;
  }
  std::string call = *r.invoke;
  if (call.find('(') == std::string::npos) {
    // `--invoke name arg...`: join the arguments into a WAVE call.
    call += "(";
    for (size_t i = 0; i < r.args.size(); ++i) call += (i ? ", " : "") + r.args[i];
    call += ")";
  } else if (!r.args.empty()) {
    std::fprintf(stderr, "%s: error: arguments go inside the --invoke call: --invoke 'name(arg, ...)'\n", r.file.c_str());
    return kExitUsage;
  }
  auto parsed = component::parse_invoke(store, *instance, call);
  if (!parsed) {
    std::fprintf(stderr, "%s: error: %s\n", r.file.c_str(), parsed.error().message.c_str());
    if (parsed.error().message.find("exports no function") != std::string::npos) list_exports(r.file, *c);
    return kExitUsage;
  }
  CallOptions options;
  options.timeout = r.timeout;
  std::fflush(stdout);
  auto results = parsed->first.call(store, parsed->second, options);
  if (!results) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s: %s\n", r.file.c_str(), results.error().to_string().c_str());
    return results.error().code() == TrapCode::kExit ? results.error().exit_status() : kExitTrap;
  }
  for (const component::Val& v : *results) std::printf("%s\n", v.to_string().c_str());
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace airwasm::cli
