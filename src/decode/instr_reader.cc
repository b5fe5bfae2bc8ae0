// decode: instruction syntax. The opcode maps and immediate kinds come from opcodes.def.
#include "decode/instr_reader.hh"

namespace airwasm::decode {

using wasm::ImmKind;
using wasm::Instr;
using wasm::Opcode;

namespace {

// The proposal an opcode outside Wasm 2.0 belongs to, for an error a user can act on: "illegal opcode"
// alone does not say that the module was built for tail calls or exceptions. Null if none is known.
const char* proposal_of(uint8_t byte, uint32_t sub) {
  switch (byte) {
    case 0x12:
    case 0x13:
    case 0x15:
      return "tail calls";
    case 0x06:
    case 0x07:
    case 0x09:
    case 0x18:
    case 0x19:
      return "legacy exception handling (try/catch/rethrow/delegate)";
    case 0x14:
    case 0xd3:
    case 0xd4:
    case 0xd5:
    case 0xd6:
      return "function references / GC";
    case 0xfb:
      return "GC";
    case 0xfe:
      return "threads";
    case 0xfd:
      return sub >= 0x100 && sub <= 0x113 ? "relaxed SIMD" : nullptr;
    default:
      return nullptr;
  }
}

}  // namespace

std::string proposal_detail(const char* proposal) {
  return std::string(" (an instruction of the ") + proposal + " proposal, which airwasm does not support)";
}

Result<void> InstrReader::next_slow(Instr& out) {
  out.position = r_.offset();
  AIRWASM_TRY_ASSIGN(uint8_t byte, r_.u8());
  Opcode op;
  uint32_t sub = 0;
  if (byte == 0xFC || byte == 0xFD) {
    AIRWASM_TRY_ASSIGN(sub, r_.u32());
    if (byte == 0xFC) {
      op = sub < 32 ? wasm::kOpcodeMaps.fc[sub] : Opcode::kCount;
    } else {
      op = (sub < 256 && simd_) ? wasm::kOpcodeMaps.fd[sub] : Opcode::kCount;
    }
  } else {
    op = single_[byte];
  }
  if (op == Opcode::kCount) [[unlikely]] {
    if (byte == 0xFD && !simd_ && sub < 256)
      return base::malformed(
          "illegal opcode (a SIMD instruction, and SIMD is disabled in this engine's configuration)",
          out.position);
    if (!exceptions_ && wasm::is_exception_opcode(byte))
      return base::malformed(
          "illegal opcode (exception handling, which is turned off in this engine's configuration)",
          out.position);
    if (const char* proposal = proposal_of(byte, sub))
      return base::malformed("illegal opcode" + proposal_detail(proposal), out.position);
    return base::malformed("illegal opcode", out.position);
  }
  out.op = op;
  if (wasm::op_info(op).imm == ImmKind::None) return {};
  return read_immediates(out);
}

Result<wasm::BlockType> InstrReader::read_block_type() {
  wasm::BlockType bt;
  // Fast path: the common one-byte encodings.
  AIRWASM_TRY_ASSIGN(uint8_t first, r_.peek_u8());
  if (first == 0x40) {
    r_.skip(1).value();
    bt.kind = wasm::BlockType::kEmpty;
    return bt;
  }
  if (wasm::is_valtype_byte(first) || (exceptions_ && first == 0x69)) {
    r_.skip(1).value();
    bt.kind = wasm::BlockType::kValue;
    bt.value = wasm::ValType(first);
    return bt;
  }
  const size_t at = r_.offset();
  AIRWASM_TRY_ASSIGN(int64_t v, r_.s33());
  if (v < 0) return base::malformed("malformed value type", at);
  bt.kind = wasm::BlockType::kTypeIndex;
  bt.type_index = uint32_t(v);
  return bt;
}

static Result<void> zero_byte(base::ByteReader& r) {
  const size_t at = r.offset();
  AIRWASM_TRY_ASSIGN(uint8_t b, r.u8());
  if (b != 0) return base::malformed("zero byte expected", at);
  return {};
}

Result<void> InstrReader::read_immediates(Instr& out) {
  switch (wasm::op_info(out.op).imm) {
    case ImmKind::None:
      return {};
    case ImmKind::BlockType: {
      AIRWASM_TRY_ASSIGN(out.block, read_block_type());
      return {};
    }
    case ImmKind::Index: {
      AIRWASM_TRY_ASSIGN(out.index, r_.u32());
      return {};
    }
    case ImmKind::IndexPair: {
      AIRWASM_TRY_ASSIGN(out.index, r_.u32());
      AIRWASM_TRY_ASSIGN(out.index2, r_.u32());
      return {};
    }
    case ImmKind::BrTable: {
      AIRWASM_TRY_ASSIGN(uint32_t count, r_.u32());
      // Each label takes at least one byte: reject absurd counts before reserving memory.
      if (count > r_.remaining()) return r_.eof_error();
      br_targets_.resize(count);
      for (uint32_t i = 0; i < count; ++i) {
        AIRWASM_TRY_ASSIGN(br_targets_[i], r_.u32());
      }
      out.index = count;
      AIRWASM_TRY_ASSIGN(out.index2, r_.u32());
      return {};
    }
    case ImmKind::SelectT: {
      AIRWASM_TRY_ASSIGN(uint32_t count, r_.u32());
      out.index = count;
      if (count > r_.remaining()) return r_.eof_error();
      for (uint32_t i = 0; i < count; ++i) {
        const size_t at = r_.offset();
        AIRWASM_TRY_ASSIGN(uint8_t t, r_.u8());
        if (!wasm::is_valtype_byte(t) && !(exceptions_ && t == 0x69))
          return base::malformed("malformed value type", at);
        if (i == 0) out.type = wasm::ValType(t);
      }
      return {};
    }
    case ImmKind::MemArgLane:
    case ImmKind::MemArg: {
      AIRWASM_TRY_ASSIGN(out.align, r_.u32());
      out.index2 = 0;
      // Multi-memory: bit 6 of the alignment field says a memory index follows. Without the proposal
      // the bit stays part of the alignment, which validation then rejects as too large (Wasm 2.0).
      if (multi_memory_ && (out.align & 0x40) != 0 && out.align < 0x80) {
        out.align &= ~0x40u;
        AIRWASM_TRY_ASSIGN(out.index2, r_.u32());
      }
      AIRWASM_TRY_ASSIGN(uint32_t offset, r_.u32());
      out.offset = offset;
      if (wasm::op_info(out.op).imm == ImmKind::MemArgLane) {
        AIRWASM_TRY_ASSIGN(out.lane, r_.u8());
      }
      return {};
    }
    // Wasm 2.0 reserves a zero byte where multi-memory puts a memory index (a u32).
    case ImmKind::MemIndex:
      out.index = 0;
      if (multi_memory_) {
        AIRWASM_TRY_ASSIGN(out.index, r_.u32());
        return {};
      }
      return zero_byte(r_);
    case ImmKind::MemPair:  // memory.copy: destination, then source
      out.index = out.index2 = 0;
      if (multi_memory_) {
        AIRWASM_TRY_ASSIGN(out.index, r_.u32());
        AIRWASM_TRY_ASSIGN(out.index2, r_.u32());
        return {};
      }
      AIRWASM_TRY(zero_byte(r_));
      return zero_byte(r_);
    case ImmKind::IndexMem: {  // memory.init: data segment, then memory
      AIRWASM_TRY_ASSIGN(out.index, r_.u32());
      out.index2 = 0;
      if (multi_memory_) {
        AIRWASM_TRY_ASSIGN(out.index2, r_.u32());
        return {};
      }
      return zero_byte(r_);
    }
    case ImmKind::I32: {
      AIRWASM_TRY_ASSIGN(out.value.i32, r_.s32());
      return {};
    }
    case ImmKind::I64: {
      AIRWASM_TRY_ASSIGN(out.value.i64, r_.s64());
      return {};
    }
    case ImmKind::F32: {
      AIRWASM_TRY_ASSIGN(out.value.f32_bits, r_.u32_fixed());
      return {};
    }
    case ImmKind::F64: {
      AIRWASM_TRY_ASSIGN(out.value.f64_bits, r_.u64_fixed());
      return {};
    }
    case ImmKind::V128:
    case ImmKind::Shuffle: {
      AIRWASM_TRY_ASSIGN(auto bytes, r_.bytes(16));
      std::memcpy(out.v128.bytes, bytes.data(), 16);
      return {};
    }
    case ImmKind::Lane: {
      AIRWASM_TRY_ASSIGN(out.lane, r_.u8());
      return {};
    }
    case ImmKind::TryTable: {
      AIRWASM_TRY_ASSIGN(out.block, read_block_type());
      AIRWASM_TRY_ASSIGN(uint32_t count, r_.u32());
      // Each clause takes at least two bytes: reject absurd counts before reserving memory.
      if (count > r_.remaining()) return r_.eof_error();
      out.index = count;
      br_targets_.resize(size_t(count) * 3);
      for (uint32_t i = 0; i < count; ++i) {
        const size_t at = r_.offset();
        AIRWASM_TRY_ASSIGN(uint8_t kind, r_.u8());
        if (kind > wasm::kCatchAllRef) return base::malformed("malformed catch clause", at);
        uint32_t tag = 0;
        if (kind == wasm::kCatch || kind == wasm::kCatchRef) {
          AIRWASM_TRY_ASSIGN(tag, r_.u32());
        }
        AIRWASM_TRY_ASSIGN(uint32_t label, r_.u32());
        br_targets_[3 * i] = kind;
        br_targets_[3 * i + 1] = tag;
        br_targets_[3 * i + 2] = label;
      }
      return {};
    }
    case ImmKind::RefType: {
      const size_t at = r_.offset();
      AIRWASM_TRY_ASSIGN(uint8_t t, r_.u8());
      if (t == 0x69 && exceptions_) {
        out.type = wasm::ValType::kExnRef;
        return {};
      }
      if (t != 0x70 && t != 0x6f) return base::malformed("malformed reference type", at);
      out.type = wasm::ValType(t);
      return {};
    }
  }
  return {};
}

}  // namespace airwasm::decode
