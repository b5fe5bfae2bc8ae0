// wit: finding the WIT files of a path, as wit-parser's `push_path` does: a file is one package group
// (with its nested packages); a directory's `*.wit` files (sorted by name, not recursive) are the main
// package, and each entry of its `deps/` folder, a `.wit` file or a directory of them, is a dependency
// group. The resolver sorts the packages; nothing here depends on the order of directory listings.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wit/wit.hh"

namespace airwasm::wit {

namespace {

namespace fs = std::filesystem;

Result<Source> read_source(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(ErrorKind::kIo, p.string() + ": cannot read file");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return make_error(ErrorKind::kIo, p.string() + ": cannot read file");
  return Source{p.string(), s.str()};
}

// The `*.wit` files directly in a directory, sorted.
Result<SourceGroup> read_dir(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".wit" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) return make_error(ErrorKind::kIo, dir.string() + ": cannot list directory: " + ec.message());
  std::sort(files.begin(), files.end());
  SourceGroup g;
  for (const fs::path& f : files) {
    AIRWASM_TRY_ASSIGN(Source s, read_source(f));
    g.push_back(std::move(s));
  }
  if (g.empty()) return make_error(ErrorKind::kIo, dir.string() + ": no .wit files in the directory");
  return g;
}

}  // namespace

Result<component::wit::Resolve> parse_wit_path(const std::string& path, const ParseOptions& options) {
  std::error_code ec;
  fs::path p(path);
  if (!fs::is_directory(p, ec)) {
    AIRWASM_TRY_ASSIGN(Source s, read_source(p));
    std::vector<SourceGroup> groups(1);
    groups[0].push_back(std::move(s));
    return resolve_groups(std::move(groups), options);
  }
  std::vector<SourceGroup> groups;
  fs::path deps = p / "deps";
  if (fs::is_directory(deps, ec)) {
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(deps, ec), end; !ec && it != end; it.increment(ec))
      entries.push_back(it->path());
    if (ec) return make_error(ErrorKind::kIo, deps.string() + ": cannot list directory: " + ec.message());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& e : entries) {
      if (fs::is_directory(e, ec)) {
        AIRWASM_TRY_ASSIGN(SourceGroup g, read_dir(e));
        groups.push_back(std::move(g));
      } else if (e.extension() == ".wit") {
        AIRWASM_TRY_ASSIGN(Source s, read_source(e));
        groups.push_back(SourceGroup{std::move(s)});
      } else if (e.extension() == ".wasm" || e.extension() == ".wat") {
        // wit-parser reads these as binary-encoded WIT packages; we do not (yet): say so rather than
        // report the package as missing later.
        return make_error(ErrorKind::kUnsupported,
                          e.string() + ": WIT packages encoded as wasm are not supported");
      }
      // Other entries (README, .DS_Store, ...) are ignored, as wit-parser ignores them.
    }
  }
  AIRWASM_TRY_ASSIGN(SourceGroup main, read_dir(p));
  groups.push_back(std::move(main));
  return resolve_groups(std::move(groups), options);
}

}  // namespace airwasm::wit
