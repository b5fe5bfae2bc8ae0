// tools: `airwasm validate FILE.wasm...` decodes and validates modules and components without
// instantiating them. Prints "FILE: valid" on stdout, or "FILE: error at 0xOFF: message" on stderr; exit 1
// if any file is invalid or unreadable. A file whose preamble has layer 1 is a component: it is decoded
// and type-checked by component/, which also runs the core validator on every core module inside it.
// Offsets are always absolute offsets into the file.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"
#include "airwasm/module.hh"
#include "cli.hh"
#include "component/reader.hh"
#include "component/validator.hh"
#include "wast/file_io.hh"

namespace airwasm::cli {
namespace {

void print_validate_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm validate FILE.wasm...\n"
               "\n"
               "Decodes and validates each WebAssembly module or component (told apart by the binary's\n"
               "header); exit status 1 if any is invalid.\n"
               "\n"
               "options:\n"
               "  -h, --help  show this help\n");
}

}  // namespace

int cmd_validate(int argc, char** argv) {
  std::vector<std::string> files;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      files.emplace_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (is_help_flag(arg)) {
      print_validate_usage(stdout);
      return kExitOk;
    } else {
      std::fprintf(stderr, "airwasm validate: unknown option '%s'\n\n", argv[i]);
      print_validate_usage(stderr);
      return kExitUsage;
    }
  }
  if (files.empty()) {
    print_validate_usage(stderr);
    return kExitUsage;
  }

  Engine engine;
  int status = kExitOk;
  for (const std::string& file : files) {
    auto bytes = wast::read_file_bytes(file);
    if (!bytes) {
      print_read_error(file, bytes.error());
      status = kExitFailure;
      continue;
    }
    auto result = [&]() -> Result<void> {
      if (!component::is_component_binary(*bytes)) return Module::validate(engine, *bytes);
      AIRWASM_TRY(component::load_component(*bytes));
      return {};
    }();
    if (result) {
      std::printf("%s: valid\n", file.c_str());
      continue;
    }
    print_file_error(file, result.error());
    status = kExitFailure;
  }
  return status;
}

}  // namespace airwasm::cli
