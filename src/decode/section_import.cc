// decode: the import, export and start sections. Names must be valid UTF-8 ("malformed UTF-8
// encoding") and fit the section ("length out of bounds"); indices are checked by validation.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

using base::malformed;
using wasm::ExternKind;

namespace {

// An import or export name, bounded by ModuleLimits::max_name_bytes after the spec's own checks.
Result<std::string_view> read_limited_name(base::ByteReader& r, const ModuleLimits& limits) {
  const size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(std::string_view name, r.name());
  if (name.size() > limits.max_name_bytes)
    return make_error(ErrorKind::kLimit,
                      "name of " + std::to_string(name.size()) +
                          " bytes exceeds the implementation limit of " +
                          std::to_string(limits.max_name_bytes),
                      at);
  return name;
}

}  // namespace

Result<void> decode_import_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.imports, count, in.r, 4);  // two names, a kind and at least one byte of type
  const ModuleLimits& limits = in.options.limits;
  for (uint32_t i = 0; i < count; ++i) {
    if (i >= limits.max_imports) return over_limit("imports", limits.max_imports, in.r.offset());
    wasm::Import imp;
    AIRWASM_TRY_ASSIGN(std::string_view module, read_limited_name(in.r, limits));
    AIRWASM_TRY_ASSIGN(std::string_view name, read_limited_name(in.r, limits));
    imp.module = module;
    imp.name = name;
    const size_t kind_at = in.r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t kind, in.r.u8());
    switch (kind) {
      case 0x00: {
        if (in.m.num_imported_funcs >= limits.max_functions)
          return over_limit("functions", limits.max_functions, kind_at);
        imp.kind = ExternKind::kFunc;
        AIRWASM_TRY_ASSIGN(imp.func_type, in.r.u32());
        ++in.m.num_imported_funcs;
        break;
      }
      case 0x01: {
        if (in.m.num_imported_tables >= limits.max_tables)
          return over_limit("tables", limits.max_tables, kind_at);
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
        if (in.m.num_imported_globals >= limits.max_globals)
          return over_limit("globals", limits.max_globals, kind_at);
        imp.kind = ExternKind::kGlobal;
        AIRWASM_TRY_ASSIGN(imp.global, read_global_type(in.r, in.options.features));
        ++in.m.num_imported_globals;
        break;
      }
      case 0x04: {
        if (!in.options.features.exceptions) return malformed("malformed import kind", kind_at);
        imp.kind = ExternKind::kTag;
        AIRWASM_TRY_ASSIGN(imp.func_type, read_tag_type(in.r));
        ++in.m.num_imported_tags;
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
  const ModuleLimits& limits = in.options.limits;
  for (uint32_t i = 0; i < count; ++i) {
    if (i >= limits.max_exports) return over_limit("exports", limits.max_exports, in.r.offset());
    wasm::Export exp;
    AIRWASM_TRY_ASSIGN(std::string_view name, read_limited_name(in.r, limits));
    exp.name = name;
    const size_t kind_at = in.r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t kind, in.r.u8());
    if (kind > (in.options.features.exceptions ? 0x04 : 0x03))
      return malformed("malformed export kind", kind_at);
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
