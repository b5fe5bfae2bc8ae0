// tools: `airwasm plugin COMPONENT.wasm [options] ACTION...` hosts one airssys component (world
// airssys:core/runtime-host) in the plugin host's RuntimeEngine: loads it (initialize), performs the
// actions in order, unloads it (shutdown), and prints exactly one line per action on stdout: the export's
// result in WAVE syntax (`ok(some([49]))`), or, when the call fails in the host (trap, timeout, limit),
// the engine's error (`runtime-error("trap: unreachable")`); the exit status is then 1. initialize and
// shutdown print (on stderr) only when they fail.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/component/val.hh"
#include "airwasm/host/engine.hh"
#include "cli.hh"
#include "cli_options.hh"
#include "wast/file_io.hh"

namespace airwasm::cli {
namespace {

using component::Val;
using host::ComponentId;

void print_plugin_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm plugin COMPONENT.wasm [options] ACTION...\n"
               "\n"
               "Hosts an airssys component (airssys:core/component-lifecycle): loads it and runs its\n"
               "initialize, performs the actions in order, then runs shutdown and unloads it. Each action\n"
               "prints one line: the export's result in WAVE syntax, or the host's error when the call\n"
               "failed in the host (trap, timeout, fuel or memory limit).\n"
               "\n"
               "actions:\n"
               "  --send TEXT           handle-message with TEXT (UTF-8) as the payload\n"
               "  --send-hex HEX        handle-message with the bytes HEX (e.g. 0aff10)\n"
               "  --callback TEXT       handle-callback with TEXT as the payload\n"
               "  --metadata            the component's metadata record\n"
               "  --health              the component's health\n"
               "\n"
               "options:\n"
               "  --id NS/NAME/INSTANCE the component's id (default: local/FILE-STEM/0)\n"
               "  --storage FILE        the storage database (SQLite; default: in memory)\n"
               "  --fuel N              fuel per call (running out: resource-limit-exceeded)\n"
               "  --max-memory SIZE     memory limit (bytes, or a KiB/MiB/GiB suffix)\n"
               "  --timeout DURATION    deadline per call (e.g. 200ms, 2s)\n"
               "  --compiler MODE       interpreter, baseline (compile every function at load) or auto\n"
               "                        (the default: interpret first, compile hot functions where this\n"
               "                        CPU has the compiler)\n"
               "  -h, --help            show this help\n"
               "\n"
               "exit status: 0 all actions ran in the guest; 1 the component could not be loaded, or a\n"
               "call failed in the host; 2 bad command line.\n");
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "airwasm plugin: %s\n", message.c_str());
  std::fprintf(stderr, "Run 'airwasm plugin --help' for usage.\n");
  return kExitUsage;
}

struct Action {
  enum Kind { kSend, kCallback, kMetadata, kHealth } kind;
  std::vector<uint8_t> payload;
};

std::optional<std::vector<uint8_t>> parse_hex(std::string_view s) {
  if (s.size() % 2) return std::nullopt;
  std::vector<uint8_t> out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); i += 2) {
    const int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(uint8_t(hi * 16 + lo));
  }
  return out;
}

std::optional<ComponentId> parse_id(std::string_view s) {
  const size_t a = s.find('/');
  if (a == std::string_view::npos) return std::nullopt;
  const size_t b = s.find('/', a + 1);
  if (b == std::string_view::npos || s.find('/', b + 1) != std::string_view::npos) return std::nullopt;
  ComponentId id{std::string(s.substr(0, a)), std::string(s.substr(a + 1, b - a - 1)),
                 std::string(s.substr(b + 1))};
  if (id.namespace_.empty() || id.name.empty() || id.instance.empty()) return std::nullopt;
  return id;
}

Val bytes_val(const std::vector<uint8_t>& bytes) {
  std::vector<Val> items;
  items.reserve(bytes.size());
  for (uint8_t b : bytes) items.push_back(Val::u8(b));
  return Val::list(std::move(items));
}

std::string metadata_wave(const host::ComponentMetadata& m) {
  std::vector<Val> ops;
  for (const auto& o : m.supported_operations) ops.push_back(Val::string(o));
  return Val::record({{"name", Val::string(m.name)},
                      {"version", Val::string(m.version)},
                      {"description", Val::string(m.description)},
                      {"author", Val::string(m.author)},
                      {"license", Val::string(m.license)},
                      {"supported-operations", Val::list(std::move(ops))},
                      {"stateful", Val::boolean(m.stateful)}})
      .to_string();
}

constexpr const char* kHealthNames[] = {"healthy", "degraded", "unhealthy", "unknown"};

}  // namespace

int cmd_plugin(int argc, char** argv) {
  std::optional<std::string> file;
  std::optional<ComponentId> id;
  std::string storage;
  CompilerMode compiler = CompilerMode::kAuto;
  host::ComponentConfig config;
  std::vector<Action> actions;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string_view v;
    bool missing = false;
    if (is_help_flag(arg)) {
      print_plugin_usage(stdout);
      return kExitOk;
    }
    if (option_value(argc, argv, i, "--send", v, missing)) {
      if (missing) return usage_error("--send needs a value");
      actions.push_back({Action::kSend, std::vector<uint8_t>(v.begin(), v.end())});
    } else if (option_value(argc, argv, i, "--callback", v, missing)) {
      if (missing) return usage_error("--callback needs a value");
      actions.push_back({Action::kCallback, std::vector<uint8_t>(v.begin(), v.end())});
    } else if (option_value(argc, argv, i, "--send-hex", v, missing)) {
      if (missing) return usage_error("--send-hex needs a value");
      auto bytes = parse_hex(v);
      if (!bytes) return usage_error("--send-hex: not an even number of hex digits: " + std::string(v));
      actions.push_back({Action::kSend, std::move(*bytes)});
    } else if (arg == "--metadata") {
      actions.push_back({Action::kMetadata, {}});
    } else if (arg == "--health") {
      actions.push_back({Action::kHealth, {}});
    } else if (option_value(argc, argv, i, "--id", v, missing)) {
      if (missing) return usage_error("--id needs a value");
      id = parse_id(v);
      if (!id) return usage_error("--id: expected NAMESPACE/NAME/INSTANCE, got " + std::string(v));
    } else if (option_value(argc, argv, i, "--storage", v, missing)) {
      if (missing) return usage_error("--storage needs a value");
      storage = v;
    } else if (option_value(argc, argv, i, "--fuel", v, missing)) {
      auto n = missing ? std::nullopt : parse_u64(v);
      if (!n) return usage_error("--fuel needs a number");
      config.resource_limits.max_fuel = *n;
    } else if (option_value(argc, argv, i, "--max-memory", v, missing)) {
      auto n = missing ? std::nullopt : parse_size(v);
      if (!n) return usage_error("--max-memory needs a size (e.g. 16MiB)");
      config.resource_limits.max_memory_bytes = *n;
    } else if (option_value(argc, argv, i, "--timeout", v, missing)) {
      auto d = missing ? std::nullopt : parse_duration(v);
      if (!d || d->count() <= 0) return usage_error("--timeout needs a duration (e.g. 200ms)");
      config.resource_limits.max_execution_time_ms =
          uint64_t((d->count() + 999'999) / 1'000'000);  // whole milliseconds, rounded up
    } else if (option_value(argc, argv, i, "--compiler", v, missing)) {
      const auto mode = missing ? std::nullopt : parse_compiler_mode(v);
      if (!mode) return usage_error("--compiler needs interpreter, baseline or auto");
      compiler = *mode;
    } else if (arg.starts_with("-")) {
      return usage_error("unknown option " + std::string(arg));
    } else if (!file) {
      file = std::string(arg);
    } else {
      return usage_error("unexpected argument " + std::string(arg));
    }
  }
  if (!file) return usage_error("no component file given");
  if (!id) {
    std::string stem = *file;
    if (auto slash = stem.rfind('/'); slash != std::string::npos) stem = stem.substr(slash + 1);
    if (auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
    id = ComponentId{"local", stem.empty() ? "component" : stem, "0"};
  }

  auto bytes = wast::read_file_bytes(*file);
  if (!bytes) {
    print_read_error(*file, bytes.error());
    return kExitFailure;
  }
  host::EngineOptions options;
  options.worker_threads = 1;
  options.storage_path = storage;
  options.compiler = compiler;
  auto engine = host::HostEngine::create(std::move(options));
  if (!engine) {
    std::fprintf(stderr, "airwasm plugin: %s\n", engine.error().to_string().c_str());
    return kExitFailure;
  }
  auto handle = (*engine)->load_component(*id, *bytes, config);
  if (!handle) {
    std::fprintf(stderr, "%s: load failed: %s\n", file->c_str(), handle.error().to_string().c_str());
    return kExitFailure;
  }

  int status = kExitOk;
  const ComponentId sender{"cli", "airwasm", "0"};
  for (const Action& a : actions) {
    std::string line;
    host::ComponentMessage msg{sender, a.payload, {}};
    switch (a.kind) {
      case Action::kSend: {
        auto r = (*engine)->call_handle_message_ex(*handle, msg);
        if (!r) {
          line = r.error().to_string();
          status = kExitFailure;
        } else if (!*r) {
          line = "err(" + r->error().to_string() + ")";
        } else {
          line = **r ? "ok(some(" + bytes_val(***r).to_string() + "))" : "ok(none)";
        }
        break;
      }
      case Action::kCallback: {
        auto r = (*engine)->call_handle_callback_ex(*handle, msg);
        if (!r) {
          line = r.error().to_string();
          status = kExitFailure;
        } else {
          line = *r ? "ok" : "err(" + r->error().to_string() + ")";
        }
        break;
      }
      case Action::kMetadata: {
        auto r = (*engine)->metadata(*handle);
        if (!r) {
          line = r.error().to_string();
          status = kExitFailure;
        } else {
          line = metadata_wave(*r);
        }
        break;
      }
      case Action::kHealth: {
        auto r = (*engine)->health(*handle);
        if (!r) {
          line = r.error().to_string();
          status = kExitFailure;
        } else {
          line = kHealthNames[static_cast<int>(*r)];
        }
        break;
      }
    }
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);
  if (auto r = (*engine)->unload_component(*handle); !r) {
    std::fprintf(stderr, "%s: shutdown failed: %s\n", file->c_str(), r.error().to_string().c_str());
    status = kExitFailure;
  }
  return status;
}

}  // namespace airwasm::cli
