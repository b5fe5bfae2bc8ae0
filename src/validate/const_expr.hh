// validate: constant expressions (global initializers, segment offsets, element items). In Wasm 2.0 a
// constant expression is a sequence of t.const, ref.null, ref.func and global.get of an imported
// immutable global, leaving exactly one value of the expected type. Internal to validate/.
#pragma once

#include "base/result.hh"
#include "validate/module_context.hh"

namespace airwasm::validate {

// "constant expression required" for any other instruction (or a mutable global), "unknown global N" /
// "unknown function N" for bad indices, "type mismatch" unless the result is exactly [expected].
[[nodiscard]] Result<void> check_const_expr(const ModuleContext& c, const wasm::ConstExpr& expr,
                                            wasm::ValType expected, bool simd);

}  // namespace airwasm::validate
