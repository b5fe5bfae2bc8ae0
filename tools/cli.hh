// tools: what the subcommands of the `airwasm` CLI share: the subcommand table entry, exit codes and
// the help-flag test. One file per subcommand (cmd_NAME.cc); main.cc only dispatches.
// To add a subcommand: write cmd_NAME.cc with `int cmd_NAME(int argc, char** argv)`, declare it below,
// add one row to kSubcommands in main.cc and the file to tools/CMakeLists.txt.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"

namespace airwasm {
class Engine;
}

namespace airwasm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the input was processed and something failed
inline constexpr int kExitUsage = 2;    // bad command line, or a module that cannot be run as asked
inline constexpr int kExitHost = 3;     // airwasm or one of its host functions failed (not the guest)
inline constexpr int kExitTrap = 134;   // the guest trapped (128 + SIGABRT, as wasmtime)

// A subcommand gets its own name as argv[0] and must answer -h / --help with its usage on stdout.
using SubcommandMain = int (*)(int argc, char** argv);

struct Subcommand {
  std::string_view name;
  std::string_view summary;  // one line for `airwasm --help`
  SubcommandMain main;
};

inline bool is_help_flag(std::string_view arg) {
  return arg == "-h" || arg == "--help";
}

// Prints "FILE: error at 0xOFF: message" (or "FILE: error: message" without an offset) on stderr: the one
// error line of every subcommand that reads a module or component.
void print_file_error(const std::string& file, const Error& e);
// Prints "FILE: error: cannot read file: REASON" on stderr.
void print_read_error(const std::string& file, const std::string& reason);

// cmd_run_component.cc: `airwasm run` of a component binary.
struct ComponentRun {
  std::string file;
  std::optional<std::string> invoke;
  std::vector<std::string> args;
  std::optional<uint64_t> fuel;
  std::optional<std::chrono::nanoseconds> timeout;
  std::optional<uint64_t> max_memory;
  // WASI 0.2: pre-opened directories (host path, guest path) and NAME=VALUE environment entries.
  std::vector<std::pair<std::string, std::string>> dirs;
  std::vector<std::string> env;
  std::string timeout_text, max_memory_text;  // as given, for messages
  // The network policy (-S inherit-network, -S allow-ip-name-lookup, -S http, --allow-net ADDR[:PORT])
  // and the extra HTTPS trust (-S http-ca-file=PATH).
  bool inherit_network = false, allow_ip_name_lookup = false, allow_http = false;
  std::vector<std::string> allow_net;
  std::optional<std::string> http_ca_file;      // -S http-ca-file=PATH
  CompilerMode compiler = CompilerMode::kAuto;  // --compiler
};
int run_component(const ComponentRun& run, std::span<const uint8_t> bytes);

int cmd_wast(int argc, char** argv);
int cmd_validate(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_inspect(int argc, char** argv);
int cmd_wit(int argc, char** argv);
int cmd_bindgen(int argc, char** argv);
int cmd_plugin(int argc, char** argv);

// cmd_inspect.cc: the section table of a module or component whose framing decoded without error.
struct SectionInfo {
  uint8_t id;
  size_t offset;  // of the id byte
  size_t size;    // of the contents
  std::string custom_name;
};
std::vector<SectionInfo> list_sections(std::span<const uint8_t> bytes);

// Components (validate and inspect tell them from modules by the preamble's layer field).
// cmd_inspect_component.cc: `airwasm inspect` for a component binary; returns the exit status.
int inspect_component(const std::string& file, std::span<const uint8_t> bytes);

}  // namespace airwasm::cli
