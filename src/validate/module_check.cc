// validate: check_module_binary (see module_check.hh).
#include "validate/module_check.hh"

#include "decode/body_scanner.hh"
#include "decode/decoder.hh"
#include "validate/func_validator.hh"
#include "validate/module_validator.hh"

namespace airwasm::validate {

Result<void> check_module_binary(std::span<const uint8_t> binary, const Features& features,
                                 const ModuleLimits& limits) {
  decode::DecodeOptions options;
  options.features = features;
  options.limits = limits;
  AIRWASM_TRY_ASSIGN(std::unique_ptr<wasm::Module> module, decode::decode_module(binary, options));
  const wasm::Module& m = *module;
  AIRWASM_TRY(validate_module(m, features));
  BodyContext ctx = BodyContext::build(m, features, declared_func_refs(m), limits);
  for (size_t i = 0; i < m.codes.size(); ++i) {
    auto r = FuncValidator::validate_function(ctx, m.num_imported_funcs + uint32_t(i), m.codes[i]);
    if (!r) {
      if (r.error().kind != ErrorKind::kMalformed)
        if (auto malformed = decode::find_malformed_body(m, i, features)) return std::unexpected(*malformed);
      return r;
    }
  }
  return {};
}

}  // namespace airwasm::validate
