// decode: the small structures shared by several sections (types, limits, constant expressions).
#include "decode/section_common.hh"

#include "decode/instr_reader.hh"

namespace airwasm::decode::detail {

using base::malformed;
using wasm::ValType;

std::unexpected<Error> over_limit(const char* what, uint64_t limit, size_t at) {
  return make_error(ErrorKind::kLimit,
                    std::string("too many ") + what + " (implementation limit " + std::to_string(limit) + ")",
                    at);
}

Result<ValType> read_valtype(base::ByteReader& r, const Features& features) {
  const size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, r.u8());
  switch (b) {
    case 0x7f:
    case 0x7e:
    case 0x7d:
    case 0x7c:
    case 0x70:
    case 0x6f:
      return ValType(b);
    case 0x7b:
      if (features.simd) return ValType::kV128;
      break;
    case 0x64:
    case 0x63:
    case 0x6e:
    case 0x6d:
    case 0x6c:
    case 0x6b:
    case 0x6a:
    case 0x71:
    case 0x72:
    case 0x73:
    case 0x74:
      return malformed(
          "malformed value type (a reference type of the GC / function references proposals, which "
          "airwasm does not support)",
          at);
    case 0x69:
      if (features.exceptions) return ValType::kExnRef;
      return malformed(
          "malformed value type (exnref: exception handling, which is turned off in this engine's "
          "configuration)",
          at);
    default:
      if (b & 0x80) return malformed("integer representation too long", at);
      break;
  }
  return malformed("malformed value type", at);
}

Result<uint32_t> read_tag_type(base::ByteReader& r) {
  const size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t attribute, r.u8());
  if (attribute != 0) return malformed("malformed tag attribute", at);  // 0: exception, the only kind
  return r.u32();
}

Result<ValType> read_reftype(base::ByteReader& r) {
  const size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, r.u8());
  if (b == 0x70 || b == 0x6f) return ValType(b);
  return malformed("malformed reference type", at);
}

Result<wasm::Limits> read_limits(base::ByteReader& r) {
  const size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t flag, r.u8());
  if (flag & 0x80) return malformed("integer representation too long", at);
  if (flag > 1) {
    // Flags 2/3 mark a shared memory (threads), 4..7 64-bit indices (memory64): say so after the spec's text.
    if (flag <= 3)
      return malformed(
          "integer too large (a shared memory: the threads proposal, which airwasm does not support)", at);
    if (flag <= 7)
      return malformed(
          "integer too large (64-bit limits: the memory64 proposal, which airwasm does not support)", at);
    return malformed("integer too large", at);
  }
  wasm::Limits limits;
  AIRWASM_TRY_ASSIGN(uint32_t min, r.u32());
  limits.min = min;
  if (flag == 1) {
    AIRWASM_TRY_ASSIGN(uint32_t max, r.u32());
    limits.max = max;
  }
  return limits;
}

Result<wasm::TableType> read_table_type(base::ByteReader& r) {
  wasm::TableType t;
  AIRWASM_TRY_ASSIGN(t.elem, read_reftype(r));
  AIRWASM_TRY_ASSIGN(t.limits, read_limits(r));
  return t;
}

Result<wasm::MemoryType> read_memory_type(base::ByteReader& r) {
  wasm::MemoryType t;
  AIRWASM_TRY_ASSIGN(t.limits, read_limits(r));
  return t;
}

Result<wasm::GlobalType> read_global_type(base::ByteReader& r, const Features& features) {
  wasm::GlobalType t;
  AIRWASM_TRY_ASSIGN(t.type, read_valtype(r, features));
  const size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t mut, r.u8());
  if (mut > 1) return malformed("malformed mutability", at);
  t.mut = mut == 1;
  return t;
}

Result<void> read_const_expr(base::ByteReader& r, const Features& features, wasm::ConstExpr& out) {
  out.offset = r.offset();
  out.instrs.clear();
  InstrReader reader(r, features);
  // Blocks are not constant, but they are syntax: track their nesting so that their own `end`s do not
  // cut the expression short and the error is the validator's "constant expression required".
  uint32_t depth = 0;
  for (;;) {
    wasm::Instr instr;
    AIRWASM_TRY(reader.next(instr));
    switch (instr.op) {
      case wasm::Opcode::End:
        if (depth == 0) return {};
        --depth;
        break;
      case wasm::Opcode::Else:
        if (depth == 0) return malformed("END opcode expected", instr.position);
        break;
      case wasm::Opcode::Block:
      case wasm::Opcode::Loop:
      case wasm::Opcode::If:
      case wasm::Opcode::TryTable:
        ++depth;
        break;
      default:
        break;
    }
    out.instrs.push_back(instr);
  }
}

}  // namespace airwasm::decode::detail
