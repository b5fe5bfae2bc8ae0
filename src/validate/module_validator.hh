// validate: module-level validation, everything outside function bodies (those are the function-body
// validator's, in this folder too): type indices of imports and functions, table and memory limits, at
// most one memory, globals and every constant expression (constness, type, known indices), element and
// data segments, the start function and the exports. Errors are kInvalid with the spec tests' wording
// ("unknown global 0", "constant expression required", "type mismatch", ...), first error wins.
#pragma once

#include <vector>

#include "airwasm/engine.hh"
#include "base/result.hh"
#include "wasm/module.hh"

namespace airwasm::validate {

[[nodiscard]] Result<void> validate_module(const wasm::Module& module, const Features& features);

// C.refs of the spec: the functions that `ref.func` may name inside function bodies, i.e. those that
// appear in a ref.func of an element segment or a global initializer, or in an export. Indexed by
// function index (size = number of functions, imports included); out-of-range indices are ignored.
std::vector<bool> declared_func_refs(const wasm::Module& module);

}  // namespace airwasm::validate
