// component: the component binary reader (Binary.md). bytes -> ast.hh's Component, checking only the
// binary format: preamble, section framing, opcodes, LEB128, UTF-8. Messages use the official tests'
// wording ("unexpected end-of-file", "invalid leading byte (0x6) for component external kind", ...).
// Core modules are not decoded here: their bytes are kept for the core decoder (see core_module.hh).
#pragma once

#include <memory>
#include <span>

#include "base/result.hh"
#include "component/ast.hh"

namespace airwasm::component {

// True if `bytes` starts with a component preamble (as opposed to a core module's).
bool is_component_binary(std::span<const uint8_t> bytes);

// Decodes a whole component. The result points into `bytes`, which must outlive it.
Result<std::unique_ptr<ast::Component>> read_component(std::span<const uint8_t> bytes);

}  // namespace airwasm::component
