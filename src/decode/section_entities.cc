// decode: the table, memory and global sections (the module's own entities). Limits are range-checked
// by validation ("size minimum must not be greater than maximum", the 65536-page memory bound, at
// most one memory); global initializers are decoded, not checked for constness or type.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

Result<void> decode_table_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.tables, count, in.r, 3);  // reftype, flag, min
  const ModuleLimits& limits = in.options.limits;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = in.r.offset();
    if (uint64_t(i) + in.m.num_imported_tables >= limits.max_tables)
      return over_limit("tables", limits.max_tables, at);
    AIRWASM_TRY_ASSIGN(wasm::TableType t, read_table_type(in.r));
    // min > max is the validator's "size minimum must not be greater than maximum", which comes first.
    if (t.limits.min > limits.max_table_size && (!t.limits.max || t.limits.min <= *t.limits.max))
      return make_error(ErrorKind::kLimit,
                        "table size " + std::to_string(t.limits.min) +
                            " exceeds the implementation limit of " + std::to_string(limits.max_table_size) +
                            " elements",
                        at);
    in.m.tables.push_back(t);
  }
  return {};
}

Result<void> decode_memory_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.memories, count, in.r, 2);  // flag, min
  for (uint32_t i = 0; i < count; ++i) {
    AIRWASM_TRY_ASSIGN(wasm::MemoryType t, read_memory_type(in.r));
    in.m.memories.push_back(t);
  }
  return {};
}

Result<void> decode_tag_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.tags, count, in.r, 2);  // attribute, type index
  for (uint32_t i = 0; i < count; ++i) {
    AIRWASM_TRY_ASSIGN(uint32_t type, read_tag_type(in.r));
    in.m.tags.push_back(type);
  }
  return {};
}

Result<void> decode_global_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.globals, count, in.r, 3);  // valtype, mutability, end
  const uint32_t max = in.options.limits.max_globals;
  for (uint32_t i = 0; i < count; ++i) {
    if (uint64_t(i) + in.m.num_imported_globals >= max) return over_limit("globals", max, in.r.offset());
    wasm::Global& g = in.m.globals.emplace_back();
    AIRWASM_TRY_ASSIGN(g.type, read_global_type(in.r, in.options.features));
    AIRWASM_TRY(read_const_expr(in.r, in.options.features, g.init));
  }
  return {};
}

}  // namespace airwasm::decode::detail
