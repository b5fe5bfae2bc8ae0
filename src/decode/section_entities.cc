// decode: the table, memory and global sections (the module's own entities). Limits are range-checked
// by validation ("size minimum must not be greater than maximum", the 65536-page memory bound, at
// most one memory); global initializers are decoded, not checked for constness or type.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

Result<void> decode_table_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.tables, count, in.r, 3);  // reftype, flag, min
  for (uint32_t i = 0; i < count; ++i) {
    AIRWASM_TRY_ASSIGN(wasm::TableType t, read_table_type(in.r));
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

Result<void> decode_global_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.globals, count, in.r, 3);  // valtype, mutability, end
  for (uint32_t i = 0; i < count; ++i) {
    wasm::Global& g = in.m.globals.emplace_back();
    AIRWASM_TRY_ASSIGN(g.type, read_global_type(in.r, in.options.features));
    AIRWASM_TRY(read_const_expr(in.r, in.options.features, g.init));
  }
  return {};
}

}  // namespace airwasm::decode::detail
