// decode: the top-level loop. Checks the header, walks the sections (each non-custom section at most
// once and in the spec's order, datacount between element and code), hands each payload to its section
// decoder through a reader bounded by the section size, and finishes with the cross-section checks
// (function/code and datacount/data counts). The Module owns a copy of the input, and every span in it
// (bodies, data, custom payloads) points into that copy.
#include "decode/decoder.hh"

#include <cstring>

#include "decode/section_common.hh"

namespace airwasm::decode {

namespace {

using base::malformed;

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElem = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
  kTag = 13,  // exception handling
};
constexpr uint8_t kMaxSectionId = kTag;

// Position of each non-custom section in the required order (tag sits between memory and global,
// datacount between elem and code).
constexpr uint8_t section_rank(uint8_t id) {
  switch (id) {
    case kTag:
      return 2 * kMemory + 1;
    case kDataCount:
      return 2 * kElem + 1;
    case kCode:
      return 2 * kElem + 2;
    case kData:
      return 2 * kElem + 4;
    default:
      return 2 * id;  // type (1) .. elem (9)
  }
}

using SectionDecoder = Result<void> (*)(detail::SectionInput);

SectionDecoder section_decoder(uint8_t id) {
  switch (id) {
    case kCustom:
      return detail::decode_custom_section;
    case kType:
      return detail::decode_type_section;
    case kImport:
      return detail::decode_import_section;
    case kFunction:
      return detail::decode_function_section;
    case kTable:
      return detail::decode_table_section;
    case kMemory:
      return detail::decode_memory_section;
    case kGlobal:
      return detail::decode_global_section;
    case kExport:
      return detail::decode_export_section;
    case kStart:
      return detail::decode_start_section;
    case kElem:
      return detail::decode_elem_section;
    case kCode:
      return detail::decode_code_section;
    case kData:
      return detail::decode_data_section;
    case kDataCount:
      return detail::decode_datacount_section;
    case kTag:
      return detail::decode_tag_section;
  }
  return nullptr;
}

Result<void> read_header(base::ByteReader& r) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  static constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
  if (r.remaining() < 4) return malformed("unexpected end", r.offset() + r.remaining());
  if (std::memcmp(r.position(), kMagic, 4) != 0) return malformed("magic header not detected", r.offset());
  AIRWASM_TRY(r.skip(4));
  if (r.remaining() < 4) return malformed("unexpected end", r.offset() + r.remaining());
  if (std::memcmp(r.position(), kVersion, 4) != 0) {
    // Version 0x0d with layer 1 is a component: a module-only path (run, Module::compile) says so.
    static constexpr uint8_t kComponent[4] = {0x0d, 0x00, 0x01, 0x00};
    if (std::memcmp(r.position(), kComponent, 4) == 0)
      return malformed(
          "unknown binary version (this is a component, not a core module: components can be "
          "validated and inspected but not run yet)",
          r.offset());
    return malformed("unknown binary version", r.offset());
  }
  return r.skip(4);
}

Result<void> decode_sections(base::ByteReader& r, wasm::Module& m, const DecodeOptions& options) {
  uint8_t last_rank = 0;
  detail::DecodeState state;
  while (!r.at_end()) {
    const size_t section_start = r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t id, r.u8());
    if (id > kMaxSectionId || (id == kTag && !options.features.exceptions)) {
      if (id == 13)
        return malformed(
            "malformed section id (13, tags: exception handling, which is turned off in this engine's "
            "configuration)",
            section_start);
      return malformed("malformed section id", section_start);
    }
    if (id != kCustom) {
      // The spec's decoder reads the sections in order, so a repeated or misplaced one is content it
      // could not place after what it already read.
      const uint8_t rank = section_rank(id);
      if (rank <= last_rank) return malformed("unexpected content after last section", section_start);
      last_rank = rank;
    }
    const size_t size_at = r.offset();
    AIRWASM_TRY_ASSIGN(uint32_t size, r.u32());
    if (size > r.remaining()) return malformed("length out of bounds", size_at);
    const size_t payload_offset = r.offset();
    const size_t section_end = payload_offset + size;

    // As in the spec's reference decoder, a section's contents are read from the rest of the binary and
    // the size is checked afterwards: a section that runs over its size is a "section size mismatch"
    // (or whatever error the bytes after it produce), and running off the end of the whole binary is
    // "unexpected end of section or function". This ordering is what the spec tests' messages encode.
    base::ByteReader section({r.position(), r.remaining()}, payload_offset, detail::kSectionEof);
    AIRWASM_TRY(section_decoder(id)(detail::SectionInput{section, m, options, state, section_end}));
    if (section.offset() != section_end) return malformed("section size mismatch", section.offset());
    AIRWASM_TRY(r.skip(size));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<wasm::Module>> decode_module(std::span<const uint8_t> binary,
                                                    const DecodeOptions& options) {
  auto m = std::make_unique<wasm::Module>();
  m->binary.assign(binary.begin(), binary.end());

  base::ByteReader r(m->binary, 0, "unexpected end");
  AIRWASM_TRY(read_header(r));
  AIRWASM_TRY(decode_sections(r, *m, options));

  const size_t end = m->binary.size();
  if (m->functions.size() != m->codes.size())
    return malformed("function and code section have inconsistent lengths", end);
  if (m->data_count && *m->data_count != m->datas.size())
    return malformed("data count and data section have inconsistent lengths", end);
  return m;
}

}  // namespace airwasm::decode
