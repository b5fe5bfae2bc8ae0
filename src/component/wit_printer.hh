// component: prints the WIT view of a component (wit_model.hh) in WIT syntax, laid out as the reference
// tooling lays it out (two-space indents, imports of interfaces first, then types with their resource
// functions, then function imports, a blank line, exports), so a printed world can be compared with
// theirs text for text. The main package comes first (`package root:component;` and `world root`),
// then every package the world uses as a nested `package ns:pkg@v { interface ... }` block.
#pragma once

#include <span>
#include <string>

#include "base/result.hh"
#include "component/wit_model.hh"

namespace airwasm::component {

struct WitPrintOptions {
  bool root_only = false;  // only the main package (what jco's componentWit prints)
};

// Prints a decoded Resolve. Fails only when the model holds something WIT cannot spell (a `use` of a
// type from an inline interface, an unnamed record, ...).
Result<std::string> print_wit(const wit::Resolve& resolve, WitPrintOptions options = {});

// Decodes and validates a component binary and builds its WIT view.
Result<wit::Resolve> component_resolve(std::span<const uint8_t> bytes);

// Decodes, validates and prints a component binary in one step.
Result<std::string> component_wit(std::span<const uint8_t> bytes, WitPrintOptions options = {});

}  // namespace airwasm::component
