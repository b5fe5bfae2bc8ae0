// airwasm public API (components): Component, a compiled WebAssembly component. Compiling decodes and
// validates the component, compiles every nested core module exactly once, and keeps the validated
// types; the result is immutable, thread-safe and instantiable any number of times in any Store of the
// same Engine (through a component Linker, linker.hh).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"
#include "airwasm/module.hh"

namespace airwasm::component {

namespace rt {
struct ComponentImpl;
}

// A named import or export of a component, with its type in WIT-like text ("func(a: u32) -> string",
// "instance", "type", ...).
struct ComponentItem {
  std::string name;
  std::string kind;  // "func", "instance", "type", "component", "module", "value"
  std::string type;  // for functions: the signature; for instances: the export names, comma-separated
};

class Component {
 public:
  // Decodes, validates and compiles `bytes` (a component binary; the bytes are copied). Errors have the
  // kind and wording of validation (kMalformed, kInvalid) or kUnsupported for features airwasm lacks.
  static Result<Component> compile(const Engine& engine, std::span<const uint8_t> bytes);

  std::vector<ComponentItem> imports() const;
  std::vector<ComponentItem> exports() const;
  // What the baseline compiler made of the component's core modules (Module::compile_info, summed over
  // every core module the component embeds, at any depth; first_refusal is one of the modules' refusals,
  // if any). Under CompilerMode::kAuto the counts grow as the component's functions become hot.
  Module::CompileInfo compile_info() const;

  const rt::ComponentImpl& impl() const { return *impl_; }
  const std::shared_ptr<const rt::ComponentImpl>& shared_impl() const { return impl_; }
  explicit Component(std::shared_ptr<const rt::ComponentImpl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const rt::ComponentImpl> impl_;
};

}  // namespace airwasm::component
