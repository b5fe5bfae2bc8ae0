// baseline: placeholders for the op families still being written (each moves to its own file,
// ops_integer.cc, ops_float.cc, ops_memory.cc; delete its placeholder here when it lands). The integer
// placeholder translates the few ops the driver's own tests need; the others translate nothing, so every
// function using such an op stays interpreted.
#include "baseline/emitter.hh"

namespace airwasm::baseline {

using interp::IOp;
using jit::Alu;
using jit::Reg;
using jit::Size;

Result<uint32_t> emit_integer_op(OpEmitter& e, IOp op) {
  jit::Assembler& a = e.as();
  switch (op) {
    case IOp::Copy8:
      a.mov(Size::k64, Reg::rax, e.slot(1));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return 16u;
    case IOp::Const32:
      a.mov_imm(Size::k32, e.slot(0), int32_t(e.opnd(1)));
      return 16u;
    case IOp::Const64:
      a.mov_imm(Size::k64, Reg::rax, e.rd<uint64_t>(12));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return 20u;
    case IOp::I32Add:
    case IOp::I32Sub:
      a.mov(Size::k32, Reg::rax, e.slot(1));
      a.alu(op == IOp::I32Add ? Alu::kAdd : Alu::kSub, Size::k32, Reg::rax, e.slot(2));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 20u;
    case IOp::I32AddI:
      a.mov(Size::k32, Reg::rax, e.slot(1));
      a.alu(Alu::kAdd, Size::k32, Reg::rax, int32_t(e.opnd(2)));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 20u;
    default:
      return 0u;
  }
}
Result<uint32_t> emit_float_op(OpEmitter&, IOp) {
  return 0u;
}

}  // namespace airwasm::baseline
