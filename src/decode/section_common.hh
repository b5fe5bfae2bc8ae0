// decode: helpers shared by the per-section decoders (internal to decode/). A section decoder reads from
// a ByteReader that starts at the section's payload and, like the spec's reference decoder, extends to the
// end of the binary (the caller checks the section size afterwards); its end-of-input message is
// "unexpected end of section or function". The helpers read the small recurring structures (value and
// reference types, limits, table/memory/global types, constant expressions) with the spec tests' error
// wording. Nothing here reserves memory from an untrusted count without bounding it by the bytes left.
#pragma once

#include <algorithm>
#include <cstdint>

#include "base/byte_reader.hh"
#include "decode/decoder.hh"
#include "wasm/module.hh"

namespace airwasm::decode::detail {

inline constexpr const char* kSectionEof = "unexpected end of section or function";

// Facts about the sections seen so far that the Module itself does not record.
struct DecodeState {
  bool saw_name_section = false;  // only the first "name" custom section is decoded
};

// Everything a section decoder needs: the reader positioned at its payload, the module being filled,
// the options (feature flags), the decoder's running state and where the section should end.
struct SectionInput {
  base::ByteReader& r;
  wasm::Module& m;
  const DecodeOptions& options;
  DecodeState& state;
  size_t section_end;  // absolute offset one past the section's payload
};

// Reserves room for `count` items of a vector read from `r`, but never more than the bytes left could
// hold (each item takes at least `min_item_bytes`): a hostile count of 2^32-1 reserves nothing absurd.
template <typename Vec>
void reserve_bounded(Vec& v, uint32_t count, const base::ByteReader& r, size_t min_item_bytes = 1) {
  const size_t cap = r.remaining() / std::max<size_t>(min_item_bytes, 1);
  v.reserve(std::min<size_t>(count, cap));
}

// An implementation limit (ModuleLimits) was exceeded. Limits on counts are checked as the items are read,
// not against the declared count, so a truncated binary still reports the spec's "unexpected end".
std::unexpected<Error> over_limit(const char* what, uint64_t limit, size_t at);

// A value type byte. Types are encoded as one-byte signed LEB128 (vs7): a set continuation bit is
// "integer representation too long", an unknown byte "malformed value type".
Result<wasm::ValType> read_valtype(base::ByteReader& r, const Features& features);
// funcref / externref, else "malformed reference type".
Result<wasm::ValType> read_reftype(base::ByteReader& r);
// A tag type (exception handling): attribute byte 0, then a function type index.
Result<uint32_t> read_tag_type(base::ByteReader& r);
// The limits flag is a one-bit LEB128 (0: min, 1: min max); shared/64-bit flags are not Wasm 2.0 and
// fail as the spec's decoder fails on them ("integer too large").
Result<wasm::Limits> read_limits(base::ByteReader& r);
Result<wasm::TableType> read_table_type(base::ByteReader& r);
Result<wasm::MemoryType> read_memory_type(base::ByteReader& r);
Result<wasm::GlobalType> read_global_type(base::ByteReader& r, const Features& features);

// A constant expression up to its `end` (not included in `out.instrs`). Constness and typing are
// validation's business; this only checks the instruction syntax and the terminating `end`.
Result<void> read_const_expr(base::ByteReader& r, const Features& features, wasm::ConstExpr& out);

// Per-section decoders (one file per section or small group), called by the top-level loop in
// decoder.cc. They read what their grammar says; the caller reports "section size mismatch" if that did
// not end exactly at `section_end`.
Result<void> decode_custom_section(SectionInput in);
Result<void> decode_type_section(SectionInput in);
Result<void> decode_function_section(SectionInput in);
Result<void> decode_import_section(SectionInput in);
Result<void> decode_export_section(SectionInput in);
Result<void> decode_start_section(SectionInput in);
Result<void> decode_table_section(SectionInput in);
Result<void> decode_memory_section(SectionInput in);
Result<void> decode_global_section(SectionInput in);
Result<void> decode_tag_section(SectionInput in);
Result<void> decode_elem_section(SectionInput in);
Result<void> decode_datacount_section(SectionInput in);
Result<void> decode_code_section(SectionInput in);
Result<void> decode_data_section(SectionInput in);

// Decodes the payload of a "name" custom section into `out`; an error means the caller drops it.
Result<void> decode_name_section(base::ByteReader& r, wasm::NameSection& out);

}  // namespace airwasm::decode::detail
