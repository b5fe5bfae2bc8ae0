// decode: the data section (flags 0: active in memory 0, 1: passive, 2: active with a memory index)
// and the data count section that announces its length for the function bodies' memory.init/data.drop.
// Segment bytes stay in Module::binary (a span), never copied.
#include "decode/section_common.hh"

namespace airwasm::decode::detail {

using base::malformed;

Result<void> decode_datacount_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  in.m.data_count = count;
  return {};
}

Result<void> decode_data_section(SectionInput in) {
  AIRWASM_TRY_ASSIGN(uint32_t count, in.r.u32());
  reserve_bounded(in.m.datas, count, in.r, 2);  // passive: flags, length
  const uint32_t max = in.options.limits.max_data_segments;
  for (uint32_t i = 0; i < count; ++i) {
    if (i >= max) return over_limit("data segments", max, in.r.offset());
    wasm::DataSegment& seg = in.m.datas.emplace_back();
    seg.position = in.r.offset();
    AIRWASM_TRY_ASSIGN(uint32_t flags, in.r.u32());
    switch (flags) {
      case 0:
        seg.mode = wasm::SegmentMode::kActive;
        AIRWASM_TRY(read_const_expr(in.r, in.options.features, seg.offset));
        break;
      case 1:
        seg.mode = wasm::SegmentMode::kPassive;
        break;
      case 2: {
        seg.mode = wasm::SegmentMode::kActive;
        AIRWASM_TRY_ASSIGN(seg.memory, in.r.u32());
        AIRWASM_TRY(read_const_expr(in.r, in.options.features, seg.offset));
        break;
      }
      default:
        return malformed("malformed data segment kind", seg.position);
    }
    AIRWASM_TRY_ASSIGN(uint32_t size, in.r.u32());
    AIRWASM_TRY_ASSIGN(seg.bytes, in.r.bytes(size));
  }
  return {};
}

}  // namespace airwasm::decode::detail
