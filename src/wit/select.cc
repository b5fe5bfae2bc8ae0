// wit: choosing a world of a resolved model by name (see wit.hh), as wit-parser's `select_world` does for
// `wasm-tools component embed --world` and wit-bindgen: a plain name is looked up in the main package, a
// qualified `ns:pkg/world@version` in the named package.
#include "wit/wit.hh"

namespace airwasm::wit {

namespace {

namespace model = component::wit;

std::string package_key(const model::Package& p) {
  return p.ns + ":" + p.name + (p.version ? "@" + *p.version : "");
}

std::string world_list(const model::Resolve& r, const model::Package& p) {
  std::string out;
  for (auto& [name, _] : p.worlds) out += (out.empty() ? "`" : ", `") + name + "`";
  (void)r;
  return out.empty() ? "none" : out;
}

}  // namespace

Result<uint32_t> select_world(const model::Resolve& r, std::optional<std::string_view> name) {
  if (r.main_package >= r.packages.size()) return base::invalid("no main package");
  const model::Package& main = r.packages[r.main_package];
  if (!name) {
    if (main.worlds.size() == 1) return main.worlds[0].second;
    return base::invalid(
        "package `" + package_key(main) + "` has " +
        (main.worlds.empty() ? std::string("no world") : "several worlds (" + world_list(r, main) + ")") +
        ": name one");
  }
  std::string_view n = *name;
  size_t slash = n.find('/');
  if (slash == std::string_view::npos) {
    for (auto& [w, id] : main.worlds) {
      if (w == n) return id;
    }
    return base::invalid("world `" + std::string(n) + "` not found in package `" + package_key(main) +
                         "` (worlds: " + world_list(r, main) + ")");
  }
  // `ns:pkg/world@version`
  std::string_view pkg = n.substr(0, slash), rest = n.substr(slash + 1);
  std::optional<std::string_view> version;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    version = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  const model::Package* found = nullptr;
  int matches = 0;
  for (const model::Package& p : r.packages) {
    if (p.ns + ":" + p.name != pkg) continue;
    if (version && p.version != std::string(*version)) continue;
    found = &p;
    ++matches;
  }
  if (!found) return base::invalid("package of world `" + std::string(n) + "` not found");
  if (matches > 1) return base::invalid("package `" + std::string(pkg) + "` has several versions: name one");
  for (auto& [w, id] : found->worlds) {
    if (w == rest) return id;
  }
  return base::invalid("world `" + std::string(rest) + "` not found in package `" + package_key(*found) +
                       "` (worlds: " + world_list(r, *found) + ")");
}

}  // namespace airwasm::wit
