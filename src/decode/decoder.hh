// decode: the module binary decoder. bytes -> wasm::Module, checking the binary format (section order and
// sizes, counts, LEB128, UTF-8, value-type and kind bytes) with the spec tests' messages. It does not type
// check: that is validate/'s job. Function bodies are kept as byte ranges; constant expressions are decoded
// into instruction lists.
#pragma once

#include <memory>
#include <span>

#include "airwasm/engine.hh"
#include "base/result.hh"
#include "wasm/module.hh"

namespace airwasm::decode {

struct DecodeOptions {
  Features features;
  ModuleLimits limits;
};

Result<std::unique_ptr<wasm::Module>> decode_module(std::span<const uint8_t> binary,
                                                    const DecodeOptions& options);

}  // namespace airwasm::decode
