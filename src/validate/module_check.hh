// validate: the whole static check of a core module binary in one call: decode (binary format), module-level
// validation and every function body, with the spec's precedence (a malformed body reported before an
// invalid one earlier in the code section). Used where a module is checked but not compiled: Module::validate
// and the component validator's nested core modules.
#pragma once

#include <span>

#include "airwasm/engine.hh"
#include "base/result.hh"

namespace airwasm::validate {

[[nodiscard]] Result<void> check_module_binary(std::span<const uint8_t> binary, const Features& features,
                                               const ModuleLimits& limits = {});

}  // namespace airwasm::validate
