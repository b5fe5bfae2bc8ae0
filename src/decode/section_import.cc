// decode: the import, export and start sections. Names must be valid UTF-8 ("malformed UTF-8
// encoding") and fit the section ("length out of bounds"); indices are checked by validation.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

using base::malformed;
using wasm::ExternKind;

Result<void> decode_import_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.imports, count, in.r, 4);  // two names, a kind and at least one byte of type
  for (uint32_t i = 0; i < count; ++i) {
    wasm::Import imp;
    AIRWASM_TRY_ASSIGN(std::string_view module, in.r.name());
    AIRWASM_TRY_ASSIGN(std::string_view name, in.r.name());
    imp.module = module;
    imp.name = name;
    const size_t kind_at = in.r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t kind, in.r.u8());
    switch (kind) {
      case 0x00: {
        imp.kind = ExternKind::kFunc;
        AIRWASM_TRY_ASSIGN(imp.func_type, in.r.u32());
        ++in.m.num_imported_funcs;
        break;
      }
      case 0x01: {
        imp.kind = ExternKind::kTable;
        AIRWASM_TRY_ASSIGN(imp.table, read_table_type(in.r));
        ++in.m.num_imported_tables;
        break;
      }
      case 0x02: {
        imp.kind = ExternKind::kMemory;
        AIRWASM_TRY_ASSIGN(imp.memory, read_memory_type(in.r));
        ++in.m.num_imported_memories;
        break;
      }
      case 0x03: {
        imp.kind = ExternKind::kGlobal;
        AIRWASM_TRY_ASSIGN(imp.global, read_global_type(in.r, in.options.features));
        ++in.m.num_imported_globals;
        break;
      }
      default:
        return malformed("malformed import kind", kind_at);
    }
    in.m.imports.push_back(std::move(imp));
  }
  return {};
}

Result<void> decode_export_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.exports, count, in.r, 3);  // name length, kind, index
  for (uint32_t i = 0; i < count; ++i) {
    wasm::Export exp;
    AIRWASM_TRY_ASSIGN(std::string_view name, in.r.name());
    exp.name = name;
    const size_t kind_at = in.r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t kind, in.r.u8());
    if (kind > 0x03) return malformed("malformed export kind", kind_at);
    exp.kind = ExternKind(kind);
    AIRWASM_TRY_ASSIGN(exp.index, in.r.u32());
    in.m.exports.push_back(std::move(exp));
  }
  return {};
}

Result<void> decode_start_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t func_index, in.r.u32());
  in.m.start = func_index;
  return {};
}

}  // namespace airwasm::decode::detail
