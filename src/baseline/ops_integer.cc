// baseline: the integer op family (emit_integer_op): i32/i64 arithmetic, comparisons producing 0/1, bit
// counts, shifts and rotates with their immediate forms, division with its traps, width conversions,
// address arithmetic (I32Lea), moves, constants, selects, ref.is_null and the reinterpretations (plain
// moves of bits). Each op reads its operands from their slots into scratch registers, computes, and writes
// its result last (the lowering may alias the destination with an operand). The interpreter's handlers
// (src/interp/interpreter.cc) are the specification: i32 results are stored as 32 bits, like SET(uint32_t).
#include <cstdint>
#include <optional>

#include "baseline/emitter.hh"

namespace airwasm::baseline {

namespace {

using interp::IOp;
using jit::Alu;
using jit::Assembler;
using jit::Cond;
using jit::Label;
using jit::Reg;
using jit::Shift;
using jit::Size;
using jit::Unary;

// The ten integer comparisons in the interpreter's INT_COMPARES order: Eq Ne LtS LtU GtS GtU LeS LeU GeS GeU.
constexpr Cond kCompareConds[10] = {Cond::kE, Cond::kNE, Cond::kL,  Cond::kB,  Cond::kG,
                                    Cond::kA, Cond::kLE, Cond::kBE, Cond::kGE, Cond::kAE};

// The index of `op` in the run of `count` consecutive ops starting at `first`, or -1.
int index_in(IOp op, IOp first, int count) {
  const int d = int(op) - int(first);
  return d >= 0 && d < count ? d : -1;
}

bool fits_i32(int64_t v) {
  return v >= INT32_MIN && v <= INT32_MAX;
}

// The right operand of a binary op: a slot, or an immediate (i32 at operand 2; i64 at byte 16).
struct Operand {
  bool is_imm;
  int64_t imm;  // sign-extended to 64 bits for the i32 forms (so a 32-bit op sees the right low half)
};
Operand slot_operand() {
  return Operand{false, 0};
}
Operand imm_operand(const OpEmitter& e, Size s) {
  return Operand{true, s == Size::k32 ? int64_t(int32_t(e.opnd(2))) : e.rd<int64_t>(16)};
}

// The size of a binary op's instruction: [s dst][s a][s b | i32] = 20 bytes, [s dst][s a][i64] = 24.
uint32_t binop_size(const Operand& b, Size s) {
  return b.is_imm && s == Size::k64 ? 24 : 20;
}

// rax = rax OP b, for the two-operand ALU group (add, sub, and, or, xor).
void alu_with(OpEmitter& e, Alu op, Size s, const Operand& b) {
  Assembler& a = e.as();
  if (!b.is_imm) {
    a.alu(op, s, Reg::rax, e.slot(2));
  } else if (s == Size::k32 || fits_i32(b.imm)) {
    a.alu(op, s, Reg::rax, int32_t(b.imm));
  } else {
    a.mov_imm(Size::k64, Reg::rcx, uint64_t(b.imm));
    a.alu(op, s, Reg::rax, Reg::rcx);
  }
}

// ---- straight into a held destination ----
// When the destination slot is held in a general register (docs/compiler.md, "Registers"), an op computes
// in that register instead of in rax: `mov d, a; add d, b` (or `add d, b` when d is a) rather than
// `mov eax, a; add eax, b; mov d, eax`. Each returns false (emitting nothing) where it does not apply.
// The lowering may alias the destination with either operand; writing d before reading b is wrong when
// b is d, so that case uses commutativity or declines.

// slot 0 = slot 1 OP b for the two-operand ALU group (add, sub, and, or, xor).
bool alu_into_held(OpEmitter& e, Alu op, Size s, const Operand& b) {
  Assembler& a = e.as();
  const std::optional<Reg> d = a.held_general_register(e.slot(0));
  if (!d) return false;
  const bool d_is_a = e.opnd(0) == e.opnd(1);
  if (!b.is_imm && !d_is_a && e.opnd(2) == e.opnd(0)) {  // d = a OP d
    if (op == Alu::kSub) return false;
    a.alu(op, s, *d, e.slot(1));
    return true;
  }
  if (!d_is_a) a.mov(s, *d, e.slot(1));
  if (!b.is_imm) {
    a.alu(op, s, *d, e.slot(2));
  } else if (s == Size::k32 || fits_i32(b.imm)) {
    a.alu(op, s, *d, int32_t(b.imm));
  } else {
    a.mov_imm(Size::k64, Reg::rcx, uint64_t(b.imm));
    a.alu(op, s, *d, Reg::rcx);
  }
  return true;
}

// slot 0 = slot 1 * b.
bool mul_into_held(OpEmitter& e, Size s, const Operand& b) {
  Assembler& a = e.as();
  const std::optional<Reg> d = a.held_general_register(e.slot(0));
  if (!d) return false;
  const bool d_is_a = e.opnd(0) == e.opnd(1);
  if (b.is_imm && (s == Size::k32 || fits_i32(b.imm))) {
    const std::optional<Reg> src = a.held_general_register(e.slot(1), /*writes=*/false);
    if (!src) a.mov(s, *d, e.slot(1));
    a.imul(s, *d, src ? *src : *d, int32_t(b.imm));
    return true;
  }
  if (!b.is_imm && !d_is_a && e.opnd(2) == e.opnd(0)) {  // d = a * d
    a.imul(s, *d, e.slot(1));
    return true;
  }
  if (b.is_imm) a.mov_imm(Size::k64, Reg::rcx, uint64_t(b.imm));
  if (!d_is_a) a.mov(s, *d, e.slot(1));
  if (b.is_imm)
    a.imul(s, *d, Reg::rcx);
  else
    a.imul(s, *d, e.slot(2));
  return true;
}

// slot 0 = slot 1 shifted or rotated by b (the count read into cl before d is written).
bool shift_into_held(OpEmitter& e, Size s, Shift op, const Operand& b) {
  Assembler& a = e.as();
  const std::optional<Reg> d = a.held_general_register(e.slot(0));
  if (!d) return false;
  const bool d_is_a = e.opnd(0) == e.opnd(1);
  if (!b.is_imm) a.mov(Size::k32, Reg::rcx, e.slot(2));
  if (!d_is_a) a.mov(s, *d, e.slot(1));
  if (b.is_imm) {
    const uint8_t count = uint8_t(uint64_t(b.imm) & uint64_t(s == Size::k32 ? 31 : 63));
    if (count != 0) a.shift(op, s, *d, count);
  } else {
    a.shift(op, s, *d);
  }
  return true;
}

// A 64-bit copy of slot 1 into slot 0 without rax when either is held in a general register.
bool copy_with_held(OpEmitter& e) {
  Assembler& a = e.as();
  if (const std::optional<Reg> d = a.held_general_register(e.slot(0))) {
    if (e.opnd(0) != e.opnd(1)) a.mov(Size::k64, *d, e.slot(1));
    return true;
  }
  if (const std::optional<Reg> src = a.held_general_register(e.slot(1), /*writes=*/false)) {
    a.mov(Size::k64, e.slot(0), *src);
    return true;
  }
  return false;
}

// A comparison of slot 1 with b: dst = (a cond b) as u32.
void emit_compare(OpEmitter& e, Size s, Cond c, const Operand& b) {
  Assembler& a = e.as();
  a.mov(s, Reg::rax, e.slot(1));
  alu_with(e, Alu::kCmp, s, b);
  a.setcc(c, Reg::rcx);
  a.movzx8(Reg::rcx, Reg::rcx);
  a.mov(Size::k32, e.slot(0), Reg::rcx);
}

// Shifts and rotates: the count is masked to the width, as the hardware does for shift by cl or imm8.
void emit_shift(OpEmitter& e, Size s, Shift op, const Operand& b) {
  if (shift_into_held(e, s, op, b)) return;
  Assembler& a = e.as();
  const int bits = s == Size::k32 ? 32 : 64;
  if (b.is_imm) {
    a.mov(s, Reg::rax, e.slot(1));
    const uint8_t count = uint8_t(uint64_t(b.imm) & uint64_t(bits - 1));
    if (count != 0) a.shift(op, s, Reg::rax, count);
  } else {
    a.mov(Size::k32, Reg::rcx, e.slot(2));
    a.mov(s, Reg::rax, e.slot(1));
    a.shift(op, s, Reg::rax);
  }
  a.mov(s, e.slot(0), Reg::rax);
}

void emit_mul(OpEmitter& e, Size s, const Operand& b) {
  if (mul_into_held(e, s, b)) return;
  Assembler& a = e.as();
  a.mov(s, Reg::rax, e.slot(1));
  if (!b.is_imm) {
    a.imul(s, Reg::rax, e.slot(2));
  } else if (s == Size::k32 || fits_i32(b.imm)) {
    a.imul(s, Reg::rax, Reg::rax, int32_t(b.imm));
  } else {
    a.mov_imm(Size::k64, Reg::rcx, uint64_t(b.imm));
    a.imul(s, Reg::rax, Reg::rcx);
  }
  a.mov(s, e.slot(0), Reg::rax);
}

// DivS / DivU / RemS / RemU: divide-by-zero traps first; DivS of MIN by -1 traps (integer overflow);
// RemS by -1 is 0 (idiv would fault on MIN % -1).
enum class DivKind { kDivS, kDivU, kRemS, kRemU };
void emit_div(OpEmitter& e, Size s, DivKind kind) {
  Assembler& a = e.as();
  a.mov(s, Reg::rcx, e.slot(2));
  a.test(s, Reg::rcx, Reg::rcx);
  e.trap_if(Cond::kE, TrapCode::kIntegerDivideByZero);
  a.mov(s, Reg::rax, e.slot(1));
  const bool is_signed = kind == DivKind::kDivS || kind == DivKind::kRemS;
  Label done = a.new_label();
  if (is_signed) {
    Label divide = a.new_label();
    a.alu(Alu::kCmp, s, Reg::rcx, -1);
    a.jcc(Cond::kNE, divide);
    if (kind == DivKind::kDivS) {
      a.unary(Unary::kNeg, s, Reg::rax);  // a / -1 = -a; overflows exactly for MIN
      e.trap_if(Cond::kO, TrapCode::kIntegerOverflow);
    } else {
      a.mov_imm(Size::k32, Reg::rax, 0);
    }
    a.jmp(done);
    a.bind(divide);
    a.cdq_cqo(s);
    a.unary(Unary::kIdiv, s, Reg::rcx);
  } else {
    a.mov_imm(Size::k32, Reg::rdx, 0);
    a.unary(Unary::kDiv, s, Reg::rcx);
  }
  if (kind == DivKind::kRemS || kind == DivKind::kRemU) a.mov(s, Reg::rax, Reg::rdx);
  a.bind(done);
  a.mov(s, e.slot(0), Reg::rax);
}

// The arithmetic family of one width (the interpreter's INT_ARITH): returns the size, 0 if not in it.
uint32_t emit_arith(OpEmitter& e, IOp op, Size s) {
  Assembler& a = e.as();
  const bool w32 = s == Size::k32;
  auto rebase = [&](IOp i32_op, IOp i64_op) { return w32 ? i32_op : i64_op; };

  // register compares, immediate compares
  if (int i = index_in(op, rebase(IOp::I32Eq, IOp::I64Eq), 10); i >= 0) {
    emit_compare(e, s, kCompareConds[i], slot_operand());
    return 20;
  }
  if (int i = index_in(op, rebase(IOp::I32EqI, IOp::I64EqI), 10); i >= 0) {
    const Operand b = imm_operand(e, s);
    emit_compare(e, s, kCompareConds[i], b);
    return binop_size(b, s);
  }
  if (op == rebase(IOp::I32Eqz, IOp::I64Eqz)) {
    a.alu(Alu::kCmp, s, e.slot(1), 0);
    a.setcc(Cond::kE, Reg::rcx);
    a.movzx8(Reg::rcx, Reg::rcx);
    a.mov(Size::k32, e.slot(0), Reg::rcx);
    return 16;
  }

  // Unary bit counts: [s dst][s a].
  const int unary = index_in(op, rebase(IOp::I32Clz, IOp::I64Clz), 3);
  if (unary >= 0) {
    a.mov(s, Reg::rax, e.slot(1));
    if (unary == 0)
      a.lzcnt(s, Reg::rax, Reg::rax);
    else if (unary == 1)
      a.tzcnt(s, Reg::rax, Reg::rax);
    else
      a.popcnt(s, Reg::rax, Reg::rax);
    a.mov(s, e.slot(0), Reg::rax);
    return 16;
  }

  // Binary ops Add .. Rotr (register forms) and AddI .. RotrI (immediate forms).
  // clang-format off
  enum Bin { kAdd, kSub, kMul, kDivS, kDivU, kRemS, kRemU, kAnd, kOr, kXor, kShl, kShrS, kShrU, kRotl,
             kRotr };
  // clang-format on
  int bin = index_in(op, rebase(IOp::I32Add, IOp::I64Add), 15);
  Operand b = slot_operand();
  if (bin < 0) {
    // AddI MulI AndI OrI XorI ShlI ShrSI ShrUI RotlI RotrI
    constexpr Bin kImmOps[10] = {kAdd, kMul, kAnd, kOr, kXor, kShl, kShrS, kShrU, kRotl, kRotr};
    const int i = index_in(op, rebase(IOp::I32AddI, IOp::I64AddI), 10);
    if (i < 0) return 0;
    bin = kImmOps[i];
    b = imm_operand(e, s);
  }
  switch (Bin(bin)) {
    case kAdd:
    case kSub:
    case kAnd:
    case kOr:
    case kXor: {
      Alu alu = Alu::kXor;
      if (bin == kAdd) alu = Alu::kAdd;
      if (bin == kSub) alu = Alu::kSub;
      if (bin == kAnd) alu = Alu::kAnd;
      if (bin == kOr) alu = Alu::kOr;
      if (alu_into_held(e, alu, s, b)) break;
      a.mov(s, Reg::rax, e.slot(1));
      alu_with(e, alu, s, b);
      a.mov(s, e.slot(0), Reg::rax);
      break;
    }
    case kMul:
      emit_mul(e, s, b);
      break;
    case kDivS:
      emit_div(e, s, DivKind::kDivS);
      break;
    case kDivU:
      emit_div(e, s, DivKind::kDivU);
      break;
    case kRemS:
      emit_div(e, s, DivKind::kRemS);
      break;
    case kRemU:
      emit_div(e, s, DivKind::kRemU);
      break;
    case kShl:
      emit_shift(e, s, Shift::kShl, b);
      break;
    case kShrS:
      emit_shift(e, s, Shift::kSar, b);
      break;
    case kShrU:
      emit_shift(e, s, Shift::kShr, b);
      break;
    case kRotl:
      emit_shift(e, s, Shift::kRol, b);
      break;
    case kRotr:
      emit_shift(e, s, Shift::kRor, b);
      break;
  }
  return binop_size(b, s);
}

}  // namespace

Result<uint32_t> emit_integer_op(OpEmitter& e, IOp op) {
  if (uint32_t size = emit_arith(e, op, Size::k32)) return size;
  if (uint32_t size = emit_arith(e, op, Size::k64)) return size;

  Assembler& a = e.as();
  switch (op) {
    // ---- width conversions: [s dst][s a] ----
    case IOp::I32WrapI64:
    case IOp::I32ReinterpretF32:
    case IOp::F32ReinterpretI32:
      a.mov(Size::k32, Reg::rax, e.slot(1));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 16;
    case IOp::I64ReinterpretF64:
    case IOp::F64ReinterpretI64:
    case IOp::Copy8:
      if (copy_with_held(e)) return 16;
      a.mov(Size::k64, Reg::rax, e.slot(1));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return 16;
    case IOp::I64ExtendI32U:
      a.mov(Size::k32, Reg::rax, e.slot(1));  // zero-extends
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return 16;
    case IOp::I64ExtendI32S:
    case IOp::I64Extend32S:
      a.movsxd(Reg::rax, e.slot(1));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return 16;
    case IOp::I32Extend8S:
    case IOp::I64Extend8S: {
      const Size s = op == IOp::I32Extend8S ? Size::k32 : Size::k64;
      a.movsx8(s, Reg::rax, e.slot(1));  // the low byte of the little-endian slot
      a.mov(s, e.slot(0), Reg::rax);
      return 16;
    }
    case IOp::I32Extend16S:
    case IOp::I64Extend16S: {
      const Size s = op == IOp::I32Extend16S ? Size::k32 : Size::k64;
      a.movsx16(s, Reg::rax, e.slot(1));
      a.mov(s, e.slot(0), Reg::rax);
      return 16;
    }

    // ---- address arithmetic: [s dst][s base][s index][u32 shift][i32 disp], mod 2^32 ----
    case IOp::I32Lea: {
      const uint32_t shift = e.opnd(3);
      a.mov(Size::k32, Reg::rax, e.slot(1));
      a.mov(Size::k32, Reg::rcx, e.slot(2));
      uint8_t scale = 1;
      if (shift <= 3)
        scale = uint8_t(1u << shift);
      else
        a.shift(Shift::kShl, Size::k32, Reg::rcx, uint8_t(shift & 31));
      a.lea(Size::k32, Reg::rax, jit::mem(Reg::rax, Reg::rcx, scale, int32_t(e.opnd(4))));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 28;
    }

    // ---- moves and constants ----
    case IOp::Copy16:  // a v128: one vector move, so that a v128 held in an xmm register stays held
      a.movdqu(jit::Xmm::xmm0, e.slot(1));
      a.movdqu(e.slot(0), jit::Xmm::xmm0);
      return 16;
    case IOp::Const32:
      a.mov_imm(Size::k32, e.slot(0), int32_t(e.opnd(1)));
      return 16;
    case IOp::Const64: {  // [s dst][i64]: the immediate at byte 12
      const int64_t v = e.rd<int64_t>(12);
      if (fits_i32(v)) {
        a.mov_imm(Size::k64, e.slot(0), int32_t(v));
      } else {
        a.mov_imm(Size::k64, Reg::rax, uint64_t(v));
        a.mov(Size::k64, e.slot(0), Reg::rax);
      }
      return 20;
    }
    case IOp::Const128: {  // [s dst][16 bytes] at byte 12: built in xmm0 (see Copy16)
      const uint64_t lo = e.rd<uint64_t>(12), hi = e.rd<uint64_t>(20);
      if (lo == 0 && hi == 0) {
        a.vec(jit::Vec::kPxor, jit::Xmm::xmm0, jit::Xmm::xmm0);
      } else {
        a.mov_imm(Size::k64, Reg::rax, lo);
        a.movd_to_xmm(Size::k64, jit::Xmm::xmm0, Reg::rax);
        if (hi != 0) {
          a.mov_imm(Size::k64, Reg::rax, hi);
          a.pinsr(jit::LaneBytes::k8, jit::Xmm::xmm0, Reg::rax, 1);
        }
      }
      a.movdqu(e.slot(0), jit::Xmm::xmm0);
      return 28;
    }
    case IOp::Select8:  // [s dst][s a][s b][s cond]: cond (u32) ? a : b
      a.mov(Size::k64, Reg::rax, e.slot(1));
      a.alu(Alu::kCmp, Size::k32, e.slot(3), 0);
      a.cmovcc(Cond::kE, Size::k64, Reg::rax, e.slot(2));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return 24;
    case IOp::Select16:
      a.mov(Size::k64, Reg::rax, e.slot(1));
      a.mov(Size::k64, Reg::rdx, e.slot(1, 8));
      a.alu(Alu::kCmp, Size::k32, e.slot(3), 0);
      a.cmovcc(Cond::kE, Size::k64, Reg::rax, e.slot(2));
      a.cmovcc(Cond::kE, Size::k64, Reg::rdx, e.slot(2, 8));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      a.mov(Size::k64, e.slot(0, 8), Reg::rdx);
      return 24;
    case IOp::RefIsNull:  // [s dst][s ref]
      a.alu(Alu::kCmp, Size::k64, e.slot(1), 0);
      a.setcc(Cond::kE, Reg::rcx);
      a.movzx8(Reg::rcx, Reg::rcx);
      a.mov(Size::k32, e.slot(0), Reg::rcx);
      return 16;
    default:
      return 0;
  }
}

}  // namespace airwasm::baseline
