// decode: reads one instruction (opcode + immediates) at a time from a byte stream. Used by the section
// decoder for constant expressions and by the validator/lowering pass for function bodies, so the
// instruction syntax lives in exactly one place. Reports malformed encodings ("illegal opcode",
// "zero byte expected", LEB128 errors); typing is the validator's job.
#pragma once

#include <string>
#include <vector>

#include "airwasm/engine.hh"
#include "base/byte_reader.hh"
#include "wasm/instr.hh"

namespace airwasm::decode {

// " (an instruction of the X proposal, which airwasm does not support)": appended to a spec message.
std::string proposal_detail(const char* proposal);

class InstrReader {
 public:
  InstrReader(base::ByteReader& reader, const Features& features)
      : r_(reader),
        single_(features.exceptions ? wasm::kOpcodeMaps.single_eh : wasm::kOpcodeMaps.single),
        simd_(features.simd),
        multi_memory_(features.multi_memory),
        exceptions_(features.exceptions) {}

  // Reads the next instruction into `out`. For br_table, the label list is in br_targets() and
  // out.index holds its length (excluding the default label, which is in out.index2). For try_table,
  // br_targets() holds its catch clauses as (kind, tag, label) triples and out.index their count.
  // Inline fast path: a one-byte opcode whose immediate (if any) is a one-byte LEB128 index.
  Result<void> next(wasm::Instr& out) {
    const uint8_t* p = r_.position();
    if (r_.remaining() >= 2 && p[0] < 0xFC) [[likely]] {
      const wasm::Opcode op = single_[p[0]];
      if (op != wasm::Opcode::kCount) [[likely]] {
        const wasm::ImmKind imm = wasm::op_info(op).imm;
        if (imm == wasm::ImmKind::None) {
          out.position = r_.offset();
          out.op = op;
          (void)r_.skip(1);
          return {};
        }
        if (imm == wasm::ImmKind::Index && p[1] < 0x80) {
          out.position = r_.offset();
          out.op = op;
          out.index = p[1];
          (void)r_.skip(2);
          return {};
        }
      }
    }
    return next_slow(out);
  }

  const std::vector<uint32_t>& br_targets() const { return br_targets_; }
  base::ByteReader& reader() { return r_; }

 private:
  Result<void> next_slow(wasm::Instr& out);
  Result<void> read_immediates(wasm::Instr& out);
  Result<wasm::BlockType> read_block_type();

  base::ByteReader& r_;
  const wasm::Opcode* single_;  // one-byte opcode map of the enabled features
  bool simd_;
  bool multi_memory_;  // memarg bit 6 announces a memory index; memory.* read u32 indices
  bool exceptions_;
  std::vector<uint32_t> br_targets_;
};

}  // namespace airwasm::decode
