// decode: the type section (function signatures) and the function section (the type index of each
// defined function). Type indices are not checked here: "unknown type" is a validation error.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

using base::malformed;

namespace {

Result<void> read_result_types(base::ByteReader& r, const Features& features, std::vector<wasm::ValType>& out,
                               const char* what, uint32_t limit) {
  AIRWASM_TRY_ASSIGN(uint32_t count, r.u32());
  reserve_bounded(out, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    if (i >= limit) return over_limit(what, limit, r.offset());
    AIRWASM_TRY_ASSIGN(wasm::ValType t, read_valtype(r, features));
    out.push_back(t);
  }
  return {};
}

}  // namespace

Result<void> decode_type_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.types, count, in.r, 3);  // 0x60 + two empty vectors
  const ModuleLimits& limits = in.options.limits;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = in.r.offset();
    if (i >= limits.max_types) return over_limit("types", limits.max_types, at);
    AIRWASM_TRY_ASSIGN(uint8_t form, in.r.u8());
    if (form != 0x60) {
      // The form is a one-byte signed LEB128 in the spec's grammar.
      if (form & 0x80) return malformed("integer representation too long", at);
      if (form == 0x5e || form == 0x5f || form == 0x4e || form == 0x50 || form == 0x4f)
        return malformed(
            "malformed function type (a GC type definition: the GC proposal, which airwasm does not "
            "support)",
            at);
      return malformed("malformed function type", at);
    }
    wasm::FuncType& type = in.m.types.emplace_back();
    AIRWASM_TRY(
        read_result_types(in.r, in.options.features, type.params, "parameters", limits.max_function_params));
    AIRWASM_TRY(
        read_result_types(in.r, in.options.features, type.results, "results", limits.max_function_results));
  }
  return {};
}

Result<void> decode_function_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.functions, count, in.r);
  const uint32_t max = in.options.limits.max_functions;
  for (uint32_t i = 0; i < count; ++i) {
    if (uint64_t(i) + in.m.num_imported_funcs >= max) return over_limit("functions", max, in.r.offset());
    AIRWASM_TRY_ASSIGN(uint32_t type_index, in.r.u32());
    in.m.functions.push_back(type_index);
  }
  return {};
}

}  // namespace airwasm::decode::detail
