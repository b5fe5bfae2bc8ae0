// interp: the internal instruction set. Index space: every wasm Opcode first (same numbering, so a
// simple numeric instruction lowers to the internal op of the same index), then the extras of iops.def.
// Lowered code is direct-threaded: each instruction starts with the address of its handler inside the
// dispatch loop, followed by its operands (see iops.def for layouts).
#pragma once

#include <cstdint>

#include "wasm/instr.hh"

namespace airwasm::interp {

enum class IOp : uint16_t {
#define AIRWASM_OP(name, code, text, imm, sig, arg) name,
#include "wasm/opcodes.def"
#undef AIRWASM_OP
#define AIRWASM_IOP(name) name,
#include "interp/iops.def"
#undef AIRWASM_IOP
  kCount
};
constexpr size_t kIOpCount = size_t(IOp::kCount);

constexpr IOp iop_of(wasm::Opcode op) {
  return IOp(uint16_t(op));
}
inline IOp iop_offset(IOp base, int delta) {
  return IOp(uint16_t(int(base) + delta));
}

// Handler addresses of the dispatch loop (labels-as-values), indexed by IOp.
const void* const* handler_table();
inline const void* handler(IOp op) {
  return handler_table()[size_t(op)];
}

// True if the dispatch loop implements `op` (SIMD handlers may be compiled out).
bool iop_implemented(IOp op);

}  // namespace airwasm::interp
