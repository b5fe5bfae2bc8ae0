// component: component validation and type checking. Walks the decoded Component (ast.hh) definition by
// definition, building the index spaces of every sort per scope (component, component type, instance
// type), checking indices, type well-formedness, names, canonical options and subtyping, and produces
// the component's type in a TypeStore. Errors carry the offending definition's byte offset.
#pragma once

#include <memory>
#include <span>

#include "base/result.hh"
#include "component/ast.hh"
#include "component/types.hh"

namespace airwasm::component {

struct ValidatedComponent {
  std::unique_ptr<TypeStore> store;
  TypeId type = kNoType;  // a kComponent type: the component's imports and exports
};

Result<ValidatedComponent> validate_component(const ast::Component& component);

// Decodes and validates a component binary in one step.
Result<ValidatedComponent> load_component(std::span<const uint8_t> bytes);

}  // namespace airwasm::component
