// tools: `airwasm bindgen WIT_DIR_OR_FILE_OR_COMPONENT --world NAME -o OUT_DIR` writes C++ bindings of a
// WIT world (src/bindgen/): OUT_DIR/STEM.hh and OUT_DIR/STEM.cc. The WIT comes from text (a .wit file or a
// directory with deps/, resolved by src/wit/) or from a component binary (the world it was built for).
// Files are rewritten only when their content changes, so a build that runs bindgen on every
// configure does not recompile what did not change.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "bindgen/bindgen.hh"
#include "cli.hh"
#include "component/wit_printer.hh"
#include "wast/file_io.hh"
#include "wit/wit.hh"

namespace airwasm::cli {
namespace {

void print_bindgen_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm bindgen [--world NAME] [-o OUT_DIR] [--name STEM] [--features F,...]\n"
               "                       [--all-features] PATH\n"
               "\n"
               "Writes C++ bindings of a WIT world: OUT_DIR/STEM.hh and OUT_DIR/STEM.cc (C++ types of the\n"
               "world's WIT types, a Host class per imported interface with add_to_linker, typed wrappers\n"
               "of the exports). PATH is a WIT file, a directory of WIT files with deps/, or a component\n"
               "(.wasm: the world it was built for). See docs/bindgen.md.\n"
               "\n"
               "options:\n"
               "  --world NAME      the world: `name` in the main package or `ns:pkg/name[@version]`\n"
               "                    (optional when the main package has one world)\n"
               "  -o, --out DIR     output directory (default: .)\n"
               "  --name STEM       base name of the files (default: the world's name in snake_case)\n"
               "  --features F,...  keep items gated by @unstable(feature = F)\n"
               "  --all-features    keep every @unstable item\n"
               "  -h, --help        show this help\n");
}

bool write_if_changed(const std::filesystem::path& path, const std::string& text) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream old;
      old << in.rdbuf();
      if (old.str() == text) return true;
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), std::streamsize(text.size()));
  return bool(out);
}

}  // namespace

int cmd_bindgen(int argc, char** argv) {
  std::string path, out_dir = ".";
  std::optional<std::string> world;
  bindgen::Options options;
  wit::ParseOptions parse_options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "airwasm bindgen: %s needs a value\n\n", what);
        return nullptr;
      }
      return argv[++i];
    };
    if (is_help_flag(arg)) {
      print_bindgen_usage(stdout);
      return kExitOk;
    } else if (arg == "--world") {
      const char* v = value("--world");
      if (!v) return print_bindgen_usage(stderr), kExitUsage;
      world = v;
    } else if (arg == "-o" || arg == "--out") {
      const char* v = value("-o");
      if (!v) return print_bindgen_usage(stderr), kExitUsage;
      out_dir = v;
    } else if (arg == "--name") {
      const char* v = value("--name");
      if (!v) return print_bindgen_usage(stderr), kExitUsage;
      options.file_stem = v;
    } else if (arg == "--all-features") {
      parse_options.all_features = true;
    } else if (arg == "--features") {
      const char* v = value("--features");
      if (!v) return print_bindgen_usage(stderr), kExitUsage;
      std::string_view list = v;
      while (!list.empty()) {
        size_t comma = list.find(',');
        if (!list.substr(0, comma).empty()) parse_options.features.emplace_back(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "airwasm bindgen: unknown option '%s'\n\n", argv[i]);
      print_bindgen_usage(stderr);
      return kExitUsage;
    } else if (!path.empty()) {
      std::fprintf(stderr, "airwasm bindgen: expected one PATH\n\n");
      print_bindgen_usage(stderr);
      return kExitUsage;
    } else {
      path = arg;
    }
  }
  if (path.empty()) {
    print_bindgen_usage(stderr);
    return kExitUsage;
  }

  std::error_code ec;
  const bool is_dir = std::filesystem::is_directory(path, ec);
  Result<component::wit::Resolve> resolve = std::unexpected(Error{});
  bool binary = false;
  if (is_dir) {
    resolve = wit::parse_wit_path(path, parse_options);
  } else {
    auto bytes = wast::read_file_bytes(path);
    if (!bytes) {
      print_read_error(path, bytes.error());
      return kExitFailure;
    }
    binary = bytes->size() >= 4 && (*bytes)[0] == 0 && (*bytes)[1] == 'a' && (*bytes)[2] == 's' &&
             (*bytes)[3] == 'm';
    if (binary)
      resolve = component::component_resolve(*bytes);
    else
      resolve = wit::parse_wit_text(path, std::string(bytes->begin(), bytes->end()), parse_options);
  }
  if (!resolve) {
    if (binary)
      print_file_error(path, resolve.error());
    else
      std::fprintf(stderr, "%s\n", resolve.error().message.c_str());
    return kExitFailure;
  }
  uint32_t world_index = 0;
  if (binary && !world) {
    world_index = resolve->world;  // the component's own world
  } else {
    auto w = wit::select_world(*resolve, world);
    if (!w) {
      std::fprintf(stderr, "airwasm bindgen: %s\n", w.error().message.c_str());
      return kExitFailure;
    }
    world_index = *w;
  }
  auto out = bindgen::generate(*resolve, world_index, options);
  if (!out) {
    std::fprintf(stderr, "airwasm bindgen: %s\n", out.error().message.c_str());
    return kExitFailure;
  }
  std::filesystem::create_directories(out_dir, ec);
  const std::filesystem::path dir(out_dir);
  if (!write_if_changed(dir / out->header_name, out->header) ||
      !write_if_changed(dir / out->source_name, out->source)) {
    std::fprintf(stderr, "airwasm bindgen: cannot write to %s\n", out_dir.c_str());
    return kExitHost;
  }
  return kExitOk;
}

}  // namespace airwasm::cli
