// tools: the `airwasm` command-line entry point. Parses the global flags (--help, --version) and hands the
// rest to a subcommand from the table below. Unknown subcommands print the usage on stderr and exit 2.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "cli.hh"

#ifndef AIRWASM_VERSION
#define AIRWASM_VERSION "unknown"
#endif

namespace airwasm::cli {
namespace {

constexpr Subcommand kSubcommands[] = {
    {"wast", "run spec-test scripts (JSON from wast2json or cm-wast2json)", cmd_wast},
    {"run", "run a WASI command module, or invoke an exported function", cmd_run},
    {"validate", "decode and validate a WebAssembly module or component", cmd_validate},
    {"inspect", "show the sections, imports and exports of a module or component", cmd_inspect},
    {"wit", "print a component's world and the interfaces it uses, in WIT", cmd_wit},
    {"bindgen", "write C++ bindings (types, host classes, typed exports) of a WIT world", cmd_bindgen},
};

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm [--version] [--help] <command> [<args>]\n"
               "\n"
               "commands:\n");
  for (const Subcommand& s : kSubcommands) {
    std::fprintf(out, "  %-12.*s %.*s\n", static_cast<int>(s.name.size()), s.name.data(),
                 static_cast<int>(s.summary.size()), s.summary.data());
  }
  std::fprintf(out, "  %-12s %s\n", "help", "show the help of a command");
  std::fprintf(out,
               "\nexit status: 0 success (or the guest's exit status), 1 the input failed (malformed,\n"
               "invalid, unlinkable, a limit, a failed test), 2 bad command line or usage, 3 host failure,\n"
               "134 the guest trapped.\n");
  std::fprintf(out, "\nRun 'airwasm <command> --help' for the options of a command.\n");
}

const Subcommand* find_subcommand(std::string_view name) {
  for (const Subcommand& s : kSubcommands) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

int run(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return kExitUsage;
  }
  std::string_view first = argv[1];
  if (is_help_flag(first)) {
    print_usage(stdout);
    return kExitOk;
  }
  if (first == "--version" || first == "-V") {
    std::printf("airwasm %s\n", AIRWASM_VERSION);
    return kExitOk;
  }
  if (first == "help") {
    if (argc < 3) {
      print_usage(stdout);
      return kExitOk;
    }
    const Subcommand* s = find_subcommand(argv[2]);
    if (!s) {
      std::fprintf(stderr, "airwasm: unknown command '%s'\n\n", argv[2]);
      print_usage(stderr);
      return kExitUsage;
    }
    char help[] = "--help";
    char* sub_argv[] = {argv[2], help, nullptr};
    return s->main(2, sub_argv);
  }
  const Subcommand* s = find_subcommand(first);
  if (!s) {
    std::fprintf(stderr, "airwasm: unknown command '%s'\n\n", argv[1]);
    print_usage(stderr);
    return kExitUsage;
  }
  return s->main(argc - 1, argv + 1);
}

}  // namespace
}  // namespace airwasm::cli

int main(int argc, char** argv) {
  // A guest writing to a closed pipe (`airwasm run prog.wasm | head -1`) must see EPIPE from fd_write,
  // as a native program that ignores SIGPIPE would, instead of the whole process being killed.
  std::signal(SIGPIPE, SIG_IGN);
  return airwasm::cli::run(argc, argv);
}
