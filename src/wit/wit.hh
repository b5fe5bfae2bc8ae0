// wit: WIT source text to the resolved WIT model (component/wit_model.hh), the stage that `airwasm wit`
// (for .wit files and directories) and bindings generators read WIT through. Pipeline: lexer.cc ->
// parser.cc (one syntax tree per file) -> resolve.cc (packages, names, `use`, `include`, world
// elaboration) -> component::wit::Resolve; load.cc finds the files (a directory and its deps/), json.cc
// dumps the result. Errors are values whose message starts with "FILE:LINE:COL: ".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hh"
#include "component/wit_model.hh"
#include "wit/lexer.hh"

namespace airwasm::wit {

struct ParseOptions {
  // Items gated by `@unstable(feature = F)` are kept only when F is listed here (or all_features);
  // the others are dropped, as wit-parser drops them.
  std::vector<std::string> features;
  bool all_features = false;
};

// The files of one package: a directory's `*.wit` files, or one file. Its nested `package x { ... }`
// blocks are packages of their own.
using SourceGroup = std::vector<Source>;

// Resolves groups of sources: the last group holds the main package, the others its dependencies
// (in any order: packages are sorted so that each comes after the packages it uses).
Result<component::wit::Resolve> resolve_groups(std::vector<SourceGroup> groups,
                                               const ParseOptions& options = {});

// One WIT file given as text (its nested packages included; no deps/ lookup).
Result<component::wit::Resolve> parse_wit_text(std::string name, std::string text,
                                               const ParseOptions& options = {});

// A `.wit` file, or a directory: its `*.wit` files are the main package and every entry of its `deps/`
// folder (a `.wit` file or a directory of them) is a dependency, as wit-parser's `push_dir` reads them.
Result<component::wit::Resolve> parse_wit_path(const std::string& path, const ParseOptions& options = {});

// The world a tool (a bindings generator, `--world NAME`) means: `name` is a world of the main package,
// or `ns:pkg/world@version` (the version may be left out when the package has one version); without a
// name, the main package's only world. Fails with a message naming the choices.
Result<uint32_t> select_world(const component::wit::Resolve& resolve,
                              std::optional<std::string_view> name = {});

// The resolved model as JSON: packages, interfaces, worlds and types by index (the arena layout of
// wit-parser's JSON; type references are a primitive's name or a type index).
std::string resolve_to_json(const component::wit::Resolve& resolve);

}  // namespace airwasm::wit
