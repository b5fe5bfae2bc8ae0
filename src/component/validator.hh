// component: component validation and type checking. Walks the decoded Component (ast.hh) definition by
// definition, building the index spaces of every sort per scope (component, component type, instance
// type), checking indices, type well-formedness, names, canonical options and subtyping, and produces
// the component's type in a TypeStore. Errors carry the offending definition's byte offset.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "base/result.hh"
#include "component/ast.hh"
#include "component/types.hh"

namespace airwasm::component {

// What instantiation needs to know from validation, recorded only when the component runtime asks for
// it (ValidateOptions::record). Keys are the syntax nodes, which live as long as the decoded component.
struct ScopeRecord {  // the index spaces of one concrete component body, at its end
  std::vector<TypeId> types, funcs, instances, components, core_modules;
  std::vector<CoreFuncType> core_funcs;  // the core function types (canonical built-ins included)
};
struct InstantiationRecord {  // one `(instance (instantiate $C ...))`
  // The instantiated component's imported resources -> the resources of this scope bound to them.
  ResourceMap imported;
  // The instantiated component's defined resources -> the fresh resources standing for them here.
  std::vector<std::pair<ResourceId, ResourceId>> defined;
};
struct ValidationRecord {
  std::unordered_map<const ast::Component*, ScopeRecord> scopes;
  std::unordered_map<const ast::Instance*, InstantiationRecord> instantiations;
};

struct ValidateOptions {
  ValidationRecord* record = nullptr;
  // Replaces the full check of a nested core module within Wasm 2.0 (check_core_module), so that the
  // runtime compiles each module exactly once while validating: compiling includes validating.
  std::function<Result<void>(const ast::CoreModuleBytes& module)> compile_module;
};

struct ValidatedComponent {
  std::unique_ptr<TypeStore> store;
  TypeId type = kNoType;  // a kComponent type: the component's imports and exports
};

Result<ValidatedComponent> validate_component(const ast::Component& component,
                                              const ValidateOptions& options = {});

// Decodes and validates a component binary in one step.
Result<ValidatedComponent> load_component(std::span<const uint8_t> bytes);

}  // namespace airwasm::component
