// tools: `airwasm wit COMPONENT.wasm` prints a component's world and then every interface and type it
// uses, grouped by package, in WIT syntax (the layout of `wasm-tools component wit`). The first block,
// `package root:component; world root { ... }`, is what jco's componentWit prints; --world prints only
// that. Invalid input: "FILE: error at 0xOFF: message" on stderr, exit 1.
#include <cstdio>
#include <string>
#include <string_view>

#include "cli.hh"
#include "component/reader.hh"
#include "component/wit_printer.hh"
#include "wast/file_io.hh"

namespace airwasm::cli {
namespace {

void print_wit_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm wit [--world] COMPONENT.wasm\n"
               "\n"
               "Prints the component's world, then the interfaces and types it uses grouped by package,\n"
               "in WIT syntax. Exit status 1 if the file is not a valid component or has no WIT form.\n"
               "\n"
               "options:\n"
               "  --world     print only the component's world (package root:component)\n"
               "  -h, --help  show this help\n");
}

}  // namespace

int cmd_wit(int argc, char** argv) {
  std::string file;
  bool have_file = false, options_done = false;
  component::WitPrintOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      if (have_file) {
        std::fprintf(stderr, "airwasm wit: expected one file\n\n");
        print_wit_usage(stderr);
        return kExitUsage;
      }
      file = arg;
      have_file = true;
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "--world") {
      options.root_only = true;
    } else if (is_help_flag(arg)) {
      print_wit_usage(stdout);
      return kExitOk;
    } else {
      std::fprintf(stderr, "airwasm wit: unknown option '%s'\n\n", argv[i]);
      print_wit_usage(stderr);
      return kExitUsage;
    }
  }
  if (!have_file) {
    print_wit_usage(stderr);
    return kExitUsage;
  }
  auto bytes = wast::read_file_bytes(file);
  if (!bytes) {
    print_read_error(file, bytes.error());
    return kExitFailure;
  }
  if (!component::is_component_binary(*bytes)) {
    std::fprintf(stderr, "%s: error at 0x0: not a component (a core module or not WebAssembly)\n", file.c_str());
    return kExitFailure;
  }
  auto text = component::component_wit(*bytes, options);
  if (!text) {
    print_file_error(file, text.error());
    return kExitFailure;
  }
  std::fwrite(text->data(), 1, text->size(), stdout);
  return kExitOk;
}

}  // namespace airwasm::cli
