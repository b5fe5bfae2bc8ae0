// tools: `airwasm wit COMPONENT.wasm` prints a component's world and then every interface and type it
// uses, grouped by package, in WIT syntax (the layout of `wasm-tools component wit`). The first block,
// `package root:component; world root { ... }`, is what jco's componentWit prints; --world prints only
// that. `airwasm wit FILE.wit|DIR` parses WIT text instead (src/wit/) and prints the resolved packages in
// the same form, main package first; --json dumps the resolved model instead of WIT text.
// Invalid input: "FILE: error at 0xOFF: message" (binary) or "FILE:LINE:COL: error: message" (WIT
// text) on stderr, exit 1.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "cli.hh"
#include "component/reader.hh"
#include "component/wit_printer.hh"
#include "wast/file_io.hh"
#include "wit/wit.hh"

namespace airwasm::cli {
namespace {

void print_wit_usage(std::FILE* out) {
  std::fprintf(
      out,
      "usage: airwasm wit [--world] [--json] [--features F,...] [--all-features] PATH\n"
      "\n"
      "PATH is a component (.wasm), a WIT file, or a directory of WIT files with its dependencies\n"
      "in deps/. Prints the component's world, then the interfaces and types it uses grouped by\n"
      "package, in WIT syntax; for WIT input, the resolved main package, then the other packages.\n"
      "Exit status 1 if the input is invalid or has no WIT form.\n"
      "\n"
      "options:\n"
      "  --world           print only the main package (a component's world, package root:component)\n"
      "  --json            print the resolved model as JSON instead of WIT\n"
      "  --features F,...  keep items gated by @unstable(feature = F) (WIT input)\n"
      "  --all-features    keep every @unstable item (WIT input)\n"
      "  -h, --help        show this help\n");
}

// WIT errors read "FILE:LINE:COL: message"; printed as "FILE:LINE:COL: error: message" (the file name
// may itself hold colons, so the location is the first `:LINE:COL: ` found). I/O errors have no location.
void print_wit_error(const std::string& m) {
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] != ':') continue;
    size_t j = i + 1, digits1 = 0, digits2 = 0;
    while (j < m.size() && std::isdigit(static_cast<unsigned char>(m[j]))) ++j, ++digits1;
    if (!digits1 || j >= m.size() || m[j] != ':') continue;
    ++j;
    while (j < m.size() && std::isdigit(static_cast<unsigned char>(m[j]))) ++j, ++digits2;
    if (!digits2 || j + 1 >= m.size() || m[j] != ':' || m[j + 1] != ' ') continue;
    std::fprintf(stderr, "%.*s error: %s\n", int(j + 1), m.c_str(), m.c_str() + j + 2);
    return;
  }
  std::fprintf(stderr, "error: %s\n", m.c_str());
}

}  // namespace

int cmd_wit(int argc, char** argv) {
  std::string file;
  bool have_file = false, options_done = false;
  component::WitPrintOptions options;
  wit::ParseOptions parse_options;
  bool json = false;
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
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--all-features") {
      parse_options.all_features = true;
    } else if (arg == "--features" || arg.starts_with("--features=")) {
      std::string_view list;
      if (arg == "--features") {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "airwasm wit: --features needs a value\n\n");
          print_wit_usage(stderr);
          return kExitUsage;
        }
        list = argv[++i];
      } else {
        list = arg.substr(11);
      }
      while (!list.empty()) {
        size_t comma = list.find(',');
        std::string_view f = list.substr(0, comma);
        if (!f.empty()) parse_options.features.emplace_back(f);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
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
  std::error_code ec;
  bool is_dir = std::filesystem::is_directory(file, ec);
  std::vector<uint8_t> bytes;
  if (!is_dir) {
    auto read = wast::read_file_bytes(file);
    if (!read) {
      print_read_error(file, read.error());
      return kExitFailure;
    }
    bytes = std::move(*read);
  }
  static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  bool binary =
      !is_dir && bytes.size() >= 4 && std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin());
  Result<std::string> text;
  if (!binary) {
    // WIT text: errors already name FILE:LINE:COL.
    auto resolve = is_dir ? wit::parse_wit_path(file, parse_options)
                          : wit::parse_wit_text(file, std::string(bytes.begin(), bytes.end()), parse_options);
    if (!resolve) {
      print_wit_error(resolve.error().message);
      return kExitFailure;
    }
    text = json ? wit::resolve_to_json(*resolve) : component::print_wit(*resolve, options);
  } else if (!component::is_component_binary(bytes)) {
    std::fprintf(stderr, "%s: error at 0x0: not a component (a core module or not WebAssembly)\n",
                 file.c_str());
    return kExitFailure;
  } else if (json) {
    auto resolve = component::component_resolve(bytes);
    if (resolve)
      text = wit::resolve_to_json(*resolve);
    else
      text = std::unexpected(resolve.error());
  } else {
    text = component::component_wit(bytes, options);
  }
  if (!text) {
    print_file_error(file, text.error());
    return kExitFailure;
  }
  std::fwrite(text->data(), 1, text->size(), stdout);
  return kExitOk;
}

}  // namespace airwasm::cli
