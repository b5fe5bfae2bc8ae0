// decode: the element section, all eight encodings (flags 0-7). Bit 0: passive or declarative rather
// than active; bit 1: explicit table index (active) or declarative (otherwise); bit 2: items are
// constant expressions rather than function indices. Function indices become one-instruction `ref.func`
// expressions, so every segment has the same shape for validation and instantiation.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

using base::malformed;

namespace {

Result<void> read_func_index_items(base::ByteReader& r, wasm::ElemSegment& seg) {
  AIRWASM_TRY_ASSIGN(uint32_t count, r.u32());
  reserve_bounded(seg.items, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    wasm::Instr instr;
    instr.op = wasm::Opcode::RefFunc;
    instr.position = r.offset();
    AIRWASM_TRY_ASSIGN(instr.index, r.u32());
    wasm::ConstExpr& item = seg.items.emplace_back();
    item.offset = instr.position;
    item.instrs.push_back(instr);
  }
  return {};
}

Result<void> read_expr_items(base::ByteReader& r, const Features& features, wasm::ElemSegment& seg) {
  AIRWASM_TRY_ASSIGN(uint32_t count, r.u32());
  reserve_bounded(seg.items, count, r, 2);  // at least one instruction and its end
  for (uint32_t i = 0; i < count; ++i) {
    AIRWASM_TRY(read_const_expr(r, features, seg.items.emplace_back()));
  }
  return {};
}

Result<void> read_segment(base::ByteReader& r, const Features& features, wasm::ElemSegment& seg) {
  seg.position = r.offset();
  AIRWASM_TRY_ASSIGN(uint32_t flags, r.u32());
  if (flags > 7) return malformed("malformed elements segment kind", seg.position);
  const bool not_active = flags & 1;
  const bool bit1 = flags & 2;
  const bool exprs = flags & 4;

  if (!not_active) {
    seg.mode = wasm::SegmentMode::kActive;
    if (bit1) {
      AIRWASM_TRY_ASSIGN(seg.table, r.u32());
    }
    AIRWASM_TRY(read_const_expr(r, features, seg.offset));
  } else {
    seg.mode = bit1 ? wasm::SegmentMode::kDeclarative : wasm::SegmentMode::kPassive;
  }

  // Flags 0 and 4 imply funcref; the others spell out an element kind (indices) or a reftype (exprs).
  const bool explicit_type = (flags & 3) != 0;
  seg.type = wasm::ValType::kFuncRef;
  if (exprs) {
    if (explicit_type) {
      AIRWASM_TRY_ASSIGN(seg.type, read_reftype(r));
    }
    return read_expr_items(r, features, seg);
  }
  if (explicit_type) {
    const size_t at = r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t elemkind, r.u8());
    if (elemkind != 0x00) return malformed("malformed element kind", at);
  }
  return read_func_index_items(r, seg);
}

}  // namespace

Result<void> decode_elem_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.elems, count, in.r, 3);  // flags, `end` or elemkind, item count
  const ModuleLimits& limits = in.options.limits;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = in.r.offset();
    if (i >= limits.max_element_segments)
      return over_limit("element segments", limits.max_element_segments, at);
    wasm::ElemSegment& seg = in.m.elems.emplace_back();
    AIRWASM_TRY(read_segment(in.r, in.options.features, seg));
    if (seg.items.size() > limits.max_element_segment_items)
      return over_limit("element segment items", limits.max_element_segment_items, at);
  }
  return {};
}

}  // namespace airwasm::decode::detail
