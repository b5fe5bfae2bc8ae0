// decode: syntax-only scanning of function bodies. The spec decodes a whole module before validating it,
// so a malformed body must be reported even when an earlier body is invalid; the validator/lowering pass
// works one body at a time, and calls find_malformed_body() on its error path to restore that order.
// body_end_error() gives the message for a body that ends before its final `end`, which in the reference
// decoder depends on what follows the body (it reads on into the next bytes).
#pragma once

#include <optional>

#include "airwasm/engine.hh"
#include "base/result.hh"
#include "wasm/module.hh"

namespace airwasm::decode {

// The error for body `index` running out of bytes before its final `end`.
std::unexpected<Error> body_end_error(const wasm::Module& module, size_t index);

// Scans bodies [first, end) for a binary-format error; returns the first one found, if any.
std::optional<Error> find_malformed_body(const wasm::Module& module, size_t first, const Features& features);

}  // namespace airwasm::decode
