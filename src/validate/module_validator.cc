// validate: module-level validation (see module_validator.hh), in the spec's order: imports, function
// types, tables, memories, globals, element and data segments, start, exports. Function bodies are
// validated elsewhere (the function-body validator), with the same ModuleContext.
#include "validate/module_validator.hh"

#include <string>
#include <string_view>
#include <unordered_set>

#include "validate/const_expr.hh"
#include "validate/module_context.hh"

namespace airwasm::validate {

namespace {

using base::invalid;
using wasm::ExternKind;
using wasm::ValType;

std::unexpected<Error> unknown(const char* what, uint32_t index, size_t offset = Error::kNoOffset) {
  return invalid(std::string("unknown ") + what + " " + std::to_string(index), offset);
}

Result<void> check_type_index(const wasm::Module& m, uint32_t type_index) {
  if (type_index >= m.types.size()) return unknown("type", type_index);
  return {};
}

Result<void> check_min_max(const wasm::Limits& limits) {
  if (limits.max && limits.min > *limits.max) return invalid("size minimum must not be greater than maximum");
  return {};
}

// Table sizes are u32 in the binary, so the 2^32-1 range holds by construction.
Result<void> check_table_type(const wasm::TableType& t) {
  return check_min_max(t.limits);
}

Result<void> check_memory_type(const wasm::MemoryType& t) {
  const wasm::Limits& l = t.limits;
  if (l.min > wasm::kMaxPages32 || (l.max && *l.max > wasm::kMaxPages32))
    return invalid("memory size must be at most 65536 pages (4GiB)");
  return check_min_max(l);
}

// A tag's type is a function type without results (its parameters are the exception's payload).
Result<void> check_tag_type(const wasm::Module& m, uint32_t type_index) {
  AIRWASM_TRY(check_type_index(m, type_index));
  if (!m.types[type_index].results.empty()) return invalid("non-empty tag result type");
  return {};
}

Result<void> check_imports(const wasm::Module& m) {
  for (const wasm::Import& imp : m.imports) {
    switch (imp.kind) {
      case ExternKind::kFunc:
        AIRWASM_TRY(check_type_index(m, imp.func_type));
        break;
      case ExternKind::kTable:
        AIRWASM_TRY(check_table_type(imp.table));
        break;
      case ExternKind::kMemory:
        AIRWASM_TRY(check_memory_type(imp.memory));
        break;
      case ExternKind::kGlobal:
        break;
      case ExternKind::kTag:
        AIRWASM_TRY(check_tag_type(m, imp.func_type));
        break;
    }
  }
  return {};
}

Result<void> check_elems(const ModuleContext& c, const Features& features) {
  for (const wasm::ElemSegment& seg : c.module->elems) {
    for (const wasm::ConstExpr& item : seg.items)
      AIRWASM_TRY(check_const_expr(c, item, seg.type, features.simd));
    if (seg.mode != wasm::SegmentMode::kActive) continue;
    if (seg.table >= c.num_tables()) return unknown("table", seg.table, seg.position);
    if (c.tables[seg.table].elem != seg.type) return invalid("type mismatch", seg.position);
    AIRWASM_TRY(check_const_expr(c, seg.offset, ValType::kI32, features.simd));
  }
  return {};
}

Result<void> check_datas(const ModuleContext& c, const Features& features) {
  for (const wasm::DataSegment& seg : c.module->datas) {
    if (seg.mode != wasm::SegmentMode::kActive) continue;
    if (seg.memory >= c.num_memories()) return unknown("memory", seg.memory, seg.position);
    AIRWASM_TRY(check_const_expr(c, seg.offset, ValType::kI32, features.simd));
  }
  return {};
}

Result<void> check_start(const ModuleContext& c) {
  const wasm::Module& m = *c.module;
  if (!m.start) return {};
  if (*m.start >= c.num_funcs()) return unknown("function", *m.start);
  const wasm::FuncType& type = m.types[c.func_types[*m.start]];
  if (!type.params.empty() || !type.results.empty()) return invalid("start function");
  return {};
}

Result<void> check_exports(const ModuleContext& c) {
  std::unordered_set<std::string_view> names;
  names.reserve(c.module->exports.size());
  for (const wasm::Export& e : c.module->exports) {
    switch (e.kind) {
      case ExternKind::kFunc:
        if (e.index >= c.num_funcs()) return unknown("function", e.index);
        break;
      case ExternKind::kTable:
        if (e.index >= c.num_tables()) return unknown("table", e.index);
        break;
      case ExternKind::kMemory:
        if (e.index >= c.num_memories()) return unknown("memory", e.index);
        break;
      case ExternKind::kGlobal:
        if (e.index >= c.num_globals()) return unknown("global", e.index);
        break;
      case ExternKind::kTag:
        if (e.index >= c.module->num_tags()) return unknown("tag", e.index);
        break;
    }
    if (!names.insert(e.name).second) return invalid("duplicate export name");
  }
  return {};
}

void mark_refs(const wasm::ConstExpr& expr, std::vector<bool>& refs) {
  for (const wasm::Instr& in : expr.instrs)
    if (in.op == wasm::Opcode::RefFunc && in.index < refs.size()) refs[in.index] = true;
}

}  // namespace

Result<void> validate_module(const wasm::Module& m, const Features& features) {
  AIRWASM_TRY(check_imports(m));
  for (uint32_t type_index : m.functions) AIRWASM_TRY(check_type_index(m, type_index));
  for (const wasm::TableType& t : m.tables) AIRWASM_TRY(check_table_type(t));
  for (const wasm::MemoryType& t : m.memories) AIRWASM_TRY(check_memory_type(t));
  for (uint32_t type_index : m.tags) AIRWASM_TRY(check_tag_type(m, type_index));
  if (!features.multi_memory && m.num_memories() > 1)
    return invalid("multiple memories (the multi-memory proposal is turned off)");

  const ModuleContext c = make_module_context(m);
  for (const wasm::Global& g : m.globals)
    AIRWASM_TRY(check_const_expr(c, g.init, g.type.type, features.simd));
  AIRWASM_TRY(check_elems(c, features));
  AIRWASM_TRY(check_datas(c, features));
  AIRWASM_TRY(check_start(c));
  return check_exports(c);
}

std::vector<bool> declared_func_refs(const wasm::Module& m) {
  std::vector<bool> refs(m.num_funcs(), false);
  for (const wasm::Global& g : m.globals) mark_refs(g.init, refs);
  for (const wasm::ElemSegment& seg : m.elems) {
    mark_refs(seg.offset, refs);
    for (const wasm::ConstExpr& item : seg.items) mark_refs(item, refs);
  }
  for (const wasm::DataSegment& seg : m.datas) mark_refs(seg.offset, refs);
  for (const wasm::Export& e : m.exports)
    if (e.kind == ExternKind::kFunc && e.index < refs.size()) refs[e.index] = true;
  return refs;
}

}  // namespace airwasm::validate
