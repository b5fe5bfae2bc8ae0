// decode: the code section. Each body is sized; its local declarations are decoded here (the total,
// params excluded, must stay below 2^32: "too many locals", then within ModuleLimits::max_function_locals,
// a kLimit error: validation and lowering allocate per local), and its instructions are kept as a span into
// Module::binary for the function-body validator and the lowering pass, which decode them once, there.
// The count is matched against the function section after all sections ("function and code section have
// inconsistent lengths"), as the spec's decoder does.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

using base::malformed;

namespace {

Result<void> read_body(base::ByteReader& r, const Features& features, const ModuleLimits& limits,
                       wasm::FunctionBody& body) {
  body.body_offset = r.offset();
  AIRWASM_TRY_ASSIGN(uint32_t size, r.u32());
  const size_t content_offset = r.offset();
  AIRWASM_TRY_ASSIGN(auto content, r.bytes(size, "length out of bounds"));
  if (size > limits.max_function_size)
    return make_error(ErrorKind::kLimit,
                      "function body of " + std::to_string(size) +
                          " bytes exceeds the implementation limit of " +
                          std::to_string(limits.max_function_size),
                      body.body_offset);
  base::ByteReader br(content, content_offset, kSectionEof);

  AIRWASM_TRY_ASSIGN(uint32_t decl_count, br.u32());
  reserve_bounded(body.locals, decl_count, br, 2);  // count, type
  uint64_t total = 0;
  for (uint32_t i = 0; i < decl_count; ++i) {
    wasm::LocalDecl decl;
    AIRWASM_TRY_ASSIGN(decl.count, br.u32());
    AIRWASM_TRY_ASSIGN(decl.type, read_valtype(br, features));
    total += decl.count;  // at most 2^32 declarations of at most 2^32-1 each: no overflow in 64 bits
    body.locals.push_back(decl);
  }
  if (total > UINT32_MAX) return malformed("too many locals", content_offset);
  if (total > limits.max_function_locals)
    return over_limit("locals", limits.max_function_locals, content_offset);
  body.local_count = uint32_t(total);
  body.code_offset = br.offset();
  body.code = content.subspan(br.offset() - content_offset);
  return {};
}

}  // namespace

Result<void> decode_code_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.codes, count, in.r, 3);  // size, local count, end
  for (uint32_t i = 0; i < count; ++i) {
    AIRWASM_TRY(read_body(in.r, in.options.features, in.options.limits, in.m.codes.emplace_back()));
  }
  return {};
}

}  // namespace airwasm::decode::detail
