// decode: custom sections, and the "name" section among them. A custom section's own name must be valid
// UTF-8 (the spec checks it), but its payload is opaque. The name section is decoded leniently, as the
// spec's appendix allows: if any part of it is malformed, all of it is dropped and decoding goes on.
// Only the first name section counts; subsections other than module/function/local names are skipped.
#include <string_view>

#include "decode/section_common.hh"

namespace airwasm::decode::detail {

namespace {

enum NameSubsection : uint8_t { kModuleName = 0, kFunctionNames = 1, kLocalNames = 2 };

Result<void> read_name_map(base::ByteReader& r, std::map<uint32_t, std::string>& out) {
  AIRWASM_TRY_ASSIGN(uint32_t count, r.u32());
  for (uint32_t i = 0; i < count; ++i) {
    AIRWASM_TRY_ASSIGN(uint32_t index, r.u32());
    AIRWASM_TRY_ASSIGN(std::string_view name, r.name());
    out.insert_or_assign(index, std::string(name));
  }
  return {};
}

Result<void> read_subsection(uint8_t id, base::ByteReader& r, wasm::NameSection& out) {
  switch (id) {
    case kModuleName: {
      AIRWASM_TRY_ASSIGN(std::string_view name, r.name());
      out.module_name = std::string(name);
      return {};
    }
    case kFunctionNames:
      return read_name_map(r, out.function_names);
    case kLocalNames: {
      AIRWASM_TRY_ASSIGN(uint32_t count, r.u32());
      for (uint32_t i = 0; i < count; ++i) {
        AIRWASM_TRY_ASSIGN(uint32_t func_index, r.u32());
        AIRWASM_TRY(read_name_map(r, out.local_names[func_index]));
      }
      return {};
    }
    default:
      return r.skip(r.remaining());  // extended-name-section subsections: not used by airwasm
  }
}

}  // namespace

Result<void> decode_name_section(base::ByteReader& r, wasm::NameSection& out) {
  while (!r.at_end()) {
    const size_t at = r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t id, r.u8());
    AIRWASM_TRY_ASSIGN(uint32_t size, r.u32());
    const size_t content_offset = r.offset();
    AIRWASM_TRY_ASSIGN(auto content, r.bytes(size));
    base::ByteReader sub(content, content_offset, kSectionEof);
    AIRWASM_TRY(read_subsection(id, sub, out));
    if (!sub.at_end()) return base::malformed("section size mismatch", at);
  }
  return {};
}

Result<void> decode_custom_section(SectionInput in) {
  const size_t at = in.r.offset();
  AIRWASM_TRY_ASSIGN(std::string_view name, in.r.name());
  wasm::CustomSection custom;
  custom.name = name;
  custom.offset = at;
  // The name may have run past the section's end; the payload is whatever the section has left.
  if (in.r.offset() > in.section_end) return base::malformed(kSectionEof, in.r.offset());
  const size_t payload_offset = in.r.offset();
  AIRWASM_TRY_ASSIGN(custom.payload, in.r.bytes(in.section_end - payload_offset));

  if (name == "name" && !in.state.saw_name_section) {
    in.state.saw_name_section = true;
    base::ByteReader payload(custom.payload, payload_offset, kSectionEof);
    wasm::NameSection names;
    if (decode_name_section(payload, names)) in.m.names = std::move(names);
  }
  in.m.customs.push_back(std::move(custom));
  return {};
}

}  // namespace airwasm::decode::detail
