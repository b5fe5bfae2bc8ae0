// decode: reads one instruction (opcode + immediates) at a time from a byte stream. Used by the section
// decoder for constant expressions and by the validator/lowering pass for function bodies, so the
// instruction syntax lives in exactly one place. Reports malformed encodings ("illegal opcode",
// "zero byte expected", LEB128 errors); typing is the validator's job.
#pragma once

#include <vector>

#include "base/byte_reader.hh"
#include "wasm/instr.hh"

namespace airwasm::decode {

class InstrReader {
 public:
  InstrReader(base::ByteReader& reader, bool simd) : r_(reader), simd_(simd) {}

  // Reads the next instruction into `out`. For br_table, the label list is in br_targets() and
  // out.index holds its length (excluding the default label, which is in out.index2).
  Result<void> next(wasm::Instr& out);

  const std::vector<uint32_t>& br_targets() const { return br_targets_; }
  base::ByteReader& reader() { return r_; }

 private:
  Result<void> read_immediates(wasm::Instr& out);
  Result<wasm::BlockType> read_block_type();

  base::ByteReader& r_;
  bool simd_;
  std::vector<uint32_t> br_targets_;
};

}  // namespace airwasm::decode
