// tools: `airwasm run [options] FILE.wasm [ARGS...]` runs a WASI command module (its `_start`) or, with
// --invoke, one exported function, printing its results one per line (wasmtime conventions).
// Exit status: the guest's proc_exit status; 0 when _start returns; 1 when loading or linking fails;
// 134 (as wasmtime: 128 + SIGABRT) when the guest traps, also in its start function, and only then;
// 2 for a bad command line or a module that cannot be run as asked (a _start with parameters, wrong
// --invoke arguments); 3 when the host fails (a host function error, out of host memory).
// Sandbox and limits: --dir, --env, --fuel, --timeout (a per-call deadline; watchdog.hh covers the start
// function), --max-memory.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/wasi.hh"
#include "cli.hh"
#include "cli_options.hh"
#include "component/reader.hh"
#include "wast/file_io.hh"
#include "watchdog.hh"

namespace airwasm::cli {
namespace {

void print_run_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm run [options] FILE.wasm [ARGS...]\n"
               "\n"
               "Runs a WebAssembly module with WASI preview 1: its '_start' export (a command), or with\n"
               "--invoke the named export, given ARGS as its parameters (results printed one per line).\n"
               "A component runs with WASI 0.2: its wasi:cli/run export (a command component; exit\n"
               "status 0 or 1 from run's result, or the status given to wasi:cli/exit).\n"
               "For a component, --invoke takes a call in WAVE syntax: --invoke 'name(1, \"text\", [2, 3])'\n"
               "(an exported interface's function is 'iface#name'); the result is printed in WAVE.\n"
               "Options come before FILE; everything after FILE is passed to the guest.\n"
               "\n"
               "options:\n"
               "  --invoke NAME         call the exported function NAME instead of '_start'\n"
               "  --dir HOST[::GUEST]   pre-open the host directory HOST, visible to the guest as GUEST\n"
               "                        (default: HOST); the guest sees no other part of the file system\n"
               "  --env NAME=VALUE      set an environment variable for the guest (NAME alone: copy the\n"
               "                        host's value)\n"
               "  -S inherit-network    WASI 0.2: let the guest's sockets bind, connect and send anywhere\n"
               "  --allow-net ADDR[:PORT]  WASI 0.2: let sockets reach this address only (repeatable;\n"
               "                        IPv6 as [ADDR]:PORT; no port: any port)\n"
               "  -S allow-ip-name-lookup  WASI 0.2: allow wasi:sockets/ip-name-lookup (DNS)\n"
               "  -S http               WASI 0.2: allow outgoing HTTP(S) requests (wasi:http)\n"
               "                        (the network is denied otherwise: the guest gets access-denied)\n"
               "  -S http-ca-file=PATH  WASI 0.2: trust the CA certificates of the PEM file PATH for HTTPS,\n"
               "                        besides the system's (PATH runs to the end of the -S argument)\n"
               "  --fuel N              give the guest N units of fuel; running out traps\n"
               "  --timeout DURATION    interrupt the guest after DURATION (e.g. 200ms, 2s, 1m)\n"
               "  --max-memory SIZE     cap the guest's linear memory (bytes, or a KiB/MiB/GiB suffix)\n"
               "  --compiler MODE       interpreter, baseline (compile every function to x86-64) or auto\n"
               "                        (the default: interpret first, compile hot functions where this\n"
               "                        CPU has the compiler)\n"
               "  --print-fuel          with --fuel: print the fuel consumed to stderr when the call ends\n"
               "  -h, --help            show this help\n"
               "\n"
               "exit status:\n"
               "  N     the guest's proc_exit status (0 when '_start' returns)\n"
               "  1     the module cannot be loaded, linked or instantiated (malformed, invalid, a\n"
               "        missing import, a limit)\n"
               "  2     bad command line, or a module that cannot be run as asked (a '_start' with\n"
               "        parameters, wrong --invoke arguments)\n"
               "  3     the host failed (a host function error, out of host memory)\n"
               "  134   the guest trapped (also in a start function, out of fuel, --timeout)\n");
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "airwasm run: %s\n", message.c_str());
  std::fprintf(stderr, "Run 'airwasm run --help' for usage.\n");
  return kExitUsage;
}

struct RunOptions {
  std::optional<std::string> invoke;
  std::vector<wasi::Preopen> dirs;
  std::vector<std::string> env;
  std::optional<uint64_t> fuel;
  std::optional<std::chrono::nanoseconds> timeout;
  std::string timeout_text;
  std::optional<uint64_t> max_memory;
  std::string max_memory_text;
  std::string file;
  std::vector<std::string> args;  // after FILE
  bool inherit_network = false, allow_ip_name_lookup = false, allow_http = false;
  std::vector<std::string> allow_net;
  std::optional<std::string> http_ca_file;
  CompilerMode compiler = CompilerMode::kAuto;
  bool print_fuel = false;  // --print-fuel
};

// One -S option: NAME or NAME=y|n, several separated by commas (as wasmtime's -S). False if unknown.
bool apply_wasi_option(std::string_view list, RunOptions& o) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    // A path may hold commas: http-ca-file takes the rest of the argument.
    if (constexpr std::string_view kCa = "http-ca-file="; item.starts_with(kCa)) {
      if (list.size() == kCa.size()) return false;
      o.http_ca_file = std::string(list.substr(kCa.size()));
      return true;
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    bool value = true;
    if (const size_t eq = item.find('='); eq != std::string_view::npos) {
      const std::string_view v = item.substr(eq + 1);
      if (v == "y" || v == "yes" || v == "true") {
        value = true;
      } else if (v == "n" || v == "no" || v == "false") {
        value = false;
      } else {
        return false;
      }
      item = item.substr(0, eq);
    }
    if (item == "inherit-network") {
      o.inherit_network = value;
    } else if (item == "allow-ip-name-lookup") {
      o.allow_ip_name_lookup = value;
    } else if (item == "http") {
      o.allow_http = value;
    } else {
      return false;
    }
  }
  return true;
}

// Parses the options before FILE; returns an exit status to stop with, or nullopt to go on.
std::optional<int> parse_options(int argc, char** argv, RunOptions& o) {
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.empty() || arg[0] != '-' || arg == "-") break;
    if (is_help_flag(arg)) {
      print_run_usage(stdout);
      return kExitOk;
    }
    std::string_view v;
    bool missing = false;
    auto needs = [&](const char* what) { return usage_error(std::string(arg) + " needs " + what); };
    if (option_value(argc, argv, i, "--invoke", v, missing)) {
      if (missing) return needs("a function name");
      o.invoke = std::string(v);
    } else if (option_value(argc, argv, i, "--dir", v, missing)) {
      if (missing || v.empty()) return needs("a directory");
      size_t sep = v.find("::");
      wasi::Preopen p;
      p.host_path = std::string(v.substr(0, sep));
      p.guest_path = sep == std::string_view::npos ? p.host_path : std::string(v.substr(sep + 2));
      if (p.host_path.empty() || p.guest_path.empty())
        return usage_error("bad --dir '" + std::string(v) + "'");
      o.dirs.push_back(std::move(p));
    } else if (option_value(argc, argv, i, "--env", v, missing)) {
      if (missing || v.empty() || v[0] == '=') return needs("NAME=VALUE");
      if (v.find('=') == std::string_view::npos) {
        const char* host = std::getenv(std::string(v).c_str());
        if (host) o.env.push_back(std::string(v) + "=" + host);
      } else {
        o.env.emplace_back(v);
      }
    } else if (arg.starts_with("-S") && arg != "-S" && !arg.starts_with("-S=")) {
      if (!apply_wasi_option(arg.substr(2), o))
        return usage_error("unknown WASI option '" + std::string(arg) + "'");
    } else if (option_value(argc, argv, i, "-S", v, missing)) {
      if (missing)
        return needs("a WASI option (inherit-network, allow-ip-name-lookup, http, http-ca-file=PATH)");
      if (!apply_wasi_option(v, o)) return usage_error("unknown WASI option '" + std::string(v) + "'");
    } else if (option_value(argc, argv, i, "--allow-net", v, missing)) {
      if (missing || v.empty()) return needs("an address (ADDR, ADDR:PORT, [V6ADDR]:PORT)");
      o.allow_net.emplace_back(v);
    } else if (arg == "--print-fuel") {
      o.print_fuel = true;
    } else if (option_value(argc, argv, i, "--compiler", v, missing)) {
      const auto mode = parse_compiler_mode(v);
      if (missing || !mode) return needs("interpreter, baseline or auto");
      o.compiler = *mode;
    } else if (option_value(argc, argv, i, "--fuel", v, missing)) {
      if (missing) return needs("a number");
      o.fuel = parse_u64(v);
      if (!o.fuel) return usage_error("bad fuel amount '" + std::string(v) + "'");
    } else if (option_value(argc, argv, i, "--timeout", v, missing)) {
      if (missing) return needs("a duration");
      o.timeout = parse_duration(v);
      if (!o.timeout) return usage_error("bad duration '" + std::string(v) + "' (examples: 200ms, 2s, 1m)");
      o.timeout_text = std::string(v);
    } else if (option_value(argc, argv, i, "--max-memory", v, missing)) {
      if (missing) return needs("a size");
      o.max_memory = parse_size(v);
      if (!o.max_memory)
        return usage_error("bad size '" + std::string(v) + "' (examples: 65536, 64KiB, 16MiB)");
      o.max_memory_text = std::string(v);
    } else {
      return usage_error("unknown option '" + std::string(arg) + "'");
    }
  }
  if (i >= argc) return usage_error("missing FILE.wasm");
  o.file = argv[i++];
  for (; i < argc; ++i) o.args.emplace_back(argv[i]);
  return std::nullopt;
}

// Parses an --invoke argument for a parameter of type `t`. Integers may be negative or hex (0x...).
std::optional<Val> parse_value(ValType t, const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  switch (t) {
    case ValType::kI32:
    case ValType::kI64: {
      const bool neg = s[0] == '-';
      unsigned long long mag = std::strtoull(s.c_str() + (neg ? 1 : 0), &end, 0);
      if (*end || errno || (neg && s.size() == 1)) return std::nullopt;
      if (t == ValType::kI32) {
        if (neg ? mag > 0x80000000ull : mag > 0xffffffffull) return std::nullopt;
        return Val::i32(int32_t(neg ? uint32_t(0u - uint32_t(mag)) : uint32_t(mag)));
      }
      if (neg && mag > 0x8000000000000000ull) return std::nullopt;
      return Val::i64(int64_t(neg ? 0ull - mag : mag));
    }
    case ValType::kF32: {
      float f = std::strtof(s.c_str(), &end);
      if (*end) return std::nullopt;
      return Val::f32(f);
    }
    case ValType::kF64: {
      double d = std::strtod(s.c_str(), &end);
      if (*end) return std::nullopt;
      return Val::f64(d);
    }
    default:
      return std::nullopt;
  }
}

std::string format_result(const Val& v) {
  char buf[64];
  switch (v.type()) {
    case ValType::kF32:
      if (std::isnan(v.f32())) return "NaN";
      std::snprintf(buf, sizeof buf, "%.9g", double(v.f32()));
      return buf;
    case ValType::kF64:
      if (std::isnan(v.f64())) return "NaN";
      std::snprintf(buf, sizeof buf, "%.17g", v.f64());
      return buf;
    default:
      return v.to_string();
  }
}

int report_trap(const RunOptions& o, const Trap& trap) {
  if (trap.code() == TrapCode::kExit) return trap.exit_status();
  std::string text = trap.to_string();
  if ((trap.code() == TrapCode::kDeadlineExceeded || trap.code() == TrapCode::kInterrupted) && o.timeout) {
    text += "\n(the --timeout of " + o.timeout_text + " expired)";
  }
  std::fflush(stdout);
  std::fprintf(stderr, "%s: %s\n", o.file.c_str(), text.c_str());
  if (trap.code() == TrapCode::kUsage) return kExitUsage;
  return trap.is_guest_trap() ? kExitTrap : kExitHost;
}

}  // namespace

int cmd_run(int argc, char** argv) {
  RunOptions o;
  if (auto stop = parse_options(argc, argv, o)) return *stop;

  auto bytes = wast::read_file_bytes(o.file);
  if (!bytes) {
    print_read_error(o.file, bytes.error());
    return kExitFailure;
  }
  if (component::is_component_binary(*bytes)) {
    ComponentRun run{o.file,       o.invoke, o.args, o.fuel,         o.timeout,
                     o.max_memory, {},       o.env,  o.timeout_text, o.max_memory_text};
    for (const wasi::Preopen& d : o.dirs) run.dirs.emplace_back(d.host_path, d.guest_path);
    run.inherit_network = o.inherit_network;
    run.allow_ip_name_lookup = o.allow_ip_name_lookup;
    run.allow_http = o.allow_http;
    run.allow_net = o.allow_net;
    run.http_ca_file = o.http_ca_file;
    run.compiler = o.compiler;
    return run_component(run, *bytes);
  }
  EngineConfig config;
  config.consume_fuel = o.fuel.has_value();
  config.compiler = o.compiler;
  Engine engine(config);
  auto module = Module::compile(engine, *bytes);
  if (!module) {
    print_file_error(o.file, module.error());
    return kExitFailure;
  }

  Store store(engine);
  if (o.fuel) (void)store.set_fuel(*o.fuel);
  if (o.max_memory) {
    StoreLimits limits;
    limits.max_memory_bytes = *o.max_memory;
    store.set_limits(limits);
  }

  wasi::WasiConfig wc;
  wc.args.push_back(o.file);
  wc.args.insert(wc.args.end(), o.args.begin(), o.args.end());
  wc.env = o.env;
  wc.preopens = o.dirs;
  auto ctx = wasi::WasiContext::create(wc);
  if (!ctx) {
    std::fprintf(stderr, "airwasm run: %s\n", ctx.error().message.c_str());
    return kExitFailure;
  }
  Linker linker(engine);
  if (auto r = wasi::add_to_linker(linker, *ctx); !r) {
    std::fprintf(stderr, "airwasm run: %s\n", r.error().message.c_str());
    return kExitFailure;
  }

  // --timeout: the call below gets a per-call deadline (CallOptions); instantiation, which may run a
  // start function, has no call options, so the watchdog covers that part.
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<Watchdog> watchdog;
  if (o.timeout) watchdog = std::make_unique<Watchdog>(store.interrupt_handle(), *o.timeout);
  auto instance = linker.instantiate(store, *module);
  const bool start_timed_out = watchdog && watchdog->fired();
  watchdog.reset();
  if (!instance) {
    std::string message = instance.error().message;
    if (instance.error().kind == ErrorKind::kLimit && o.max_memory)
      message += " (--max-memory " + o.max_memory_text + ")";
    if (start_timed_out)  // on the trap's line, before the start function's backtrace
      message.insert(std::min(message.find('\n'), message.size()),
                     " (the --timeout of " + o.timeout_text + " expired in the start function)");
    std::fprintf(stderr, "%s: error: %s\n", o.file.c_str(), message.c_str());
    // A trap in the start function is a trap like any other; running out of host memory is the host's.
    if (instance.error().kind == ErrorKind::kUninstantiable) return kExitTrap;
    return instance.error().message.starts_with("out of host memory") ? kExitHost : kExitFailure;
  }

  const std::string name = o.invoke.value_or("_start");
  auto func = instance->get_func(store, name);
  if (!func) {
    if (o.invoke) {
      std::fprintf(stderr, "%s: error: no exported function '%s'\n", o.file.c_str(), name.c_str());
    } else {
      std::fprintf(stderr, "%s: error: no '_start' export (not a WASI command; use --invoke NAME)\n",
                   o.file.c_str());
    }
    return kExitFailure;
  }

  if (!o.invoke) {
    const FuncType type = func->type(store);
    if (!type.params.empty() || !type.results.empty()) {
      std::fprintf(stderr,
                   "%s: error: '_start' has type %s, a WASI command's takes and returns nothing (use "
                   "--invoke _start ARGS...)\n",
                   o.file.c_str(), type.to_string().c_str());
      return kExitUsage;
    }
  }

  std::vector<Val> args;
  if (o.invoke) {
    const FuncType type = func->type(store);
    if (o.args.size() != type.params.size()) {
      std::fprintf(stderr, "%s: error: '%s' takes %zu argument(s) %s, got %zu\n", o.file.c_str(),
                   name.c_str(), type.params.size(), type.to_string().c_str(), o.args.size());
      return kExitUsage;
    }
    for (size_t i = 0; i < o.args.size(); ++i) {
      auto v = parse_value(type.params[i], o.args[i]);
      if (!v) {
        std::fprintf(stderr, "%s: error: argument %zu of '%s': '%s' is not a valid %s\n", o.file.c_str(),
                     i + 1, name.c_str(), o.args[i].c_str(), valtype_name(type.params[i]));
        return kExitUsage;
      }
      args.push_back(*v);
    }
  }

  CallOptions call_options;
  if (o.timeout) {
    const auto spent = std::chrono::steady_clock::now() - started;
    call_options.timeout =
        std::max<std::chrono::nanoseconds>(*o.timeout - spent, std::chrono::nanoseconds(1));
  }
  std::vector<Val> results;
  for (ValType t : func->type(store).results) results.push_back(Val::zero(t));
  std::fflush(stdout);
  auto called = func->call(store, args, results, call_options);
  if (o.print_fuel && o.fuel)  // after a trap or proc_exit too: the fuel-identity tests compare it
    std::fprintf(stderr, "fuel consumed: %llu\n",
                 static_cast<unsigned long long>(store.fuel_consumed().value_or(0)));
  if (!called) return report_trap(o, called.error());
  for (const Val& v : results) std::printf("%s\n", format_result(v).c_str());
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace airwasm::cli
