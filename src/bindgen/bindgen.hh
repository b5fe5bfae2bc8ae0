// bindgen: C++ bindings from a resolved WIT world (component::wit::Resolve, from src/wit or from a
// component binary), on the typed call API of airwasm/component/typed.hh. The last stage before the CLI
// (`airwasm bindgen`): it reads the model and writes text, nothing else.
//
// What is generated for a world `ns:pkg/w` (docs/bindgen.md has the full description):
//   - every WIT type the world uses, in the namespace of its interface (`ns::pkg::iface`): records as
//     structs, variants as classes derived from std::variant, enums as enum class, flags as a bit set,
//     resources as Own<Tag> / Borrow<Tag> handles, aliases as `using`; plus the WitType traits.
//   - per imported interface, an abstract class `Host` the embedder implements and `add_to_linker`;
//   - per exported interface, a class `Guest` of typed export wrappers, and a world class `W` with
//     `W::instantiate(store, linker, component)` and one accessor per exported interface.
// Invariant: the generated code compiles with -Wall -Wextra without warnings, or generation fails with a
// message naming what cannot be mapped (fixed-size lists, streams, futures, error-context, maps, async).
#pragma once

#include <cstdint>
#include <string>

#include "base/result.hh"
#include "component/wit_model.hh"

namespace airwasm::bindgen {

struct Options {
  // Base name of the files (`NAME.hh`, `NAME.cc`); by default the world's name in snake_case.
  std::string file_stem;
  // The `#include` line the source uses for the header (default: "NAME.hh").
  std::string header_include;
};

struct Output {
  std::string header_name, source_name;  // file names, no directory
  std::string header, source;
};

Result<Output> generate(const component::wit::Resolve& resolve, uint32_t world, const Options& options = {});

// Naming (exposed for tests): kebab-case to snake_case / PascalCase, C++ keywords escaped with a `_`.
std::string snake_name(std::string_view wit);
std::string pascal_name(std::string_view wit);

}  // namespace airwasm::bindgen
