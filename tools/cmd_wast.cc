// tools: `airwasm wast [-v] [--fuel N] [--wasm2] FILE.json...` runs spec-test scripts (JSON command files
// from wabt's wast2json, or component-model scripts from cm-wast2json) with the runner of src/wast. One
// Engine serves all files; each file gets its own Store. Prints one summary line per file, then "N passed, N
// failed, N skipped"; exit 1 if anything failed.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/engine.hh"
#include "cli.hh"
#include "cli_options.hh"
#include "wast/script_runner.hh"

namespace airwasm::cli {
namespace {

void print_wast_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm wast [-v] [--fuel N] [--compiler M] [--static] [--wasm2] [--disable PROPOSAL] "
               "FILE.json...\n"
               "\n"
               "Runs spec-test scripts (the .wasm files next to each .json): core WebAssembly scripts\n"
               "converted by wabt's wast2json, and Component Model scripts converted by the official\n"
               "component-model tests' cm-wast2json (decode and validation commands; instantiation\n"
               "and calls of components are counted as skipped until components can run).\n"
               "\n"
               "options:\n"
               "  -v, --verbose  print each failure with its line, command, expected and actual result\n"
               "  --fuel N       meter fuel; each file's store gets N units\n"
               "  --compiler M   interpreter, baseline or auto (which tier runs the code)\n"
               "  --static       component scripts: validate definitions and run assert_invalid /\n"
               "                 assert_malformed only; skip instantiation and calls\n"
               "  --wasm2        Wasm 2.0 only: the proposals airwasm implements beyond it (multi-memory,\n"
               "                 exception handling) are off, as the official 2.0 suites expect\n"
               "  --disable P    turn off one proposal: multi-memory or exceptions (a proposal's own\n"
               "                 suite expects the others off)\n"
               "  -h, --help     show this help\n");
}

}  // namespace

int cmd_wast(int argc, char** argv) {
  wast::RunnerOptions options;
  std::vector<std::string> files;
  bool options_done = false;
  bool wasm2 = false;
  std::optional<CompilerMode> compiler;
  bool no_multi_memory = false, no_exceptions = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      files.emplace_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (is_help_flag(arg)) {
      print_wast_usage(stdout);
      return kExitOk;
    } else if (arg == "-v" || arg == "--verbose") {
      options.verbose = true;
    } else if (arg == "--static") {
      options.static_only = true;
    } else if (arg == "--wasm2") {
      wasm2 = true;
    } else if (arg == "--disable") {
      const std::string_view what = i + 1 < argc ? std::string_view(argv[++i]) : std::string_view();
      if (what == "multi-memory") {
        no_multi_memory = true;
      } else if (what == "exceptions") {
        no_exceptions = true;
      } else {
        std::fprintf(stderr, "airwasm wast: --disable needs multi-memory or exceptions\n");
        return kExitUsage;
      }
    } else if (arg == "--compiler" || arg.starts_with("--compiler=")) {
      std::string_view value;
      bool missing = false;
      option_value(argc, argv, i, "--compiler", value, missing);
      compiler = parse_compiler_mode(value);
      if (missing || !compiler) {
        std::fprintf(stderr, "airwasm wast: --compiler needs interpreter, baseline or auto\n");
        return kExitUsage;
      }
    } else if (arg == "--fuel" || arg.starts_with("--fuel=")) {
      std::string_view value;
      if (arg == "--fuel") {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "airwasm wast: --fuel needs a number\n");
          return kExitUsage;
        }
        value = argv[++i];
      } else {
        value = arg.substr(7);
      }
      options.fuel = parse_u64(value);
      if (!options.fuel) {
        std::fprintf(stderr, "airwasm wast: bad fuel amount '%.*s'\n", static_cast<int>(value.size()),
                     value.data());
        return kExitUsage;
      }
    } else {
      std::fprintf(stderr, "airwasm wast: unknown option '%s'\n\n", argv[i]);
      print_wast_usage(stderr);
      return kExitUsage;
    }
  }
  if (files.empty()) {
    print_wast_usage(stderr);
    return kExitUsage;
  }

  EngineConfig config;
  config.consume_fuel = options.fuel.has_value();
  if (compiler) config.compiler = *compiler;
  if (wasm2 || no_multi_memory) config.features.multi_memory = false;
  if (wasm2 || no_exceptions) config.features.exceptions = false;
  Engine engine(config);
  wast::ScriptRunner runner(engine, options, std::cout);
  for (const std::string& file : files) runner.run_file(file);
  runner.print_totals();
  std::cout.flush();
  return runner.totals().failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace airwasm::cli
