// component: the adapter between the component validator and core modules. It yields the module's type
// (imports and exports with their core entity types), which is all component type checking needs.
// Today it reads the module's header sections itself (types, imports, functions, tables, memories,
// globals, exports, tags), checking section order and the component model's extra rule that two-level
// import names must be distinct; then the whole module (function bodies included) is checked by decode/
// and validate/ (see docs/RATIONALE.md, "Why a core-module adapter?").
#pragma once

#include <span>

#include "base/result.hh"
#include "component/types.hh"

namespace airwasm::component {

// `base` is the absolute offset of bytes[0] (for error offsets).
Result<ModuleTypeInfo> core_module_type(std::span<const uint8_t> bytes, size_t base);

// The full core check (binary format, module-level rules, every function body) by decode/ and validate/,
// with error offsets made absolute. Run after core_module_type, which has already accepted the header,
// when the header stays within what the core engine implements (ModuleTypeInfo::beyond_wasm2 is false).
Result<void> check_core_module(std::span<const uint8_t> bytes, size_t base);

}  // namespace airwasm::component
