// baseline: the float op family (emit_float_op): f32/f64 comparisons, arithmetic (with the immediate and
// fused multiply-add/sub forms), sign operations, rounding, min/max, and the conversions between floats
// and integers. The interpreter (src/interp/interpreter.cc, src/interp/numeric.hh) is the specification,
// down to NaN bit patterns: SSE arithmetic returns the first operand's NaN quieted (or the default NaN),
// exactly the instructions g++ compiles the interpreter's C++ to, so the same instructions are emitted
// in the same operand order; where the C++ is more than one instruction (min/max, nearest, truncations,
// u64 -> float) the emitted sequence reproduces what it computes, branch for branch.
#include <bit>
#include <cstdint>

#include "baseline/emitter.hh"
#include "interp/numeric.hh"

namespace airwasm::baseline {

namespace {

using interp::IOp;
using jit::Alu;
using jit::Assembler;
using jit::Cond;
using jit::Fp;
using jit::Label;
using jit::Reg;
using jit::RoundMode;
using jit::Shift;
using jit::Size;
using jit::SseLogic;
using jit::SseOp;
using jit::Xmm;

int index_in(IOp op, IOp first, int count) {
  const int d = int(op) - int(first);
  return d >= 0 && d < count ? d : -1;
}

// The integer register size holding a float's bits.
Size bits_size(Fp p) {
  return p == Fp::kF32 ? Size::k32 : Size::k64;
}

// xmm = the float whose bits are `bits` (through rcx).
void load_constant(Assembler& a, Fp p, Xmm x, uint64_t bits) {
  a.mov_imm(bits_size(p), Reg::rcx, bits);
  a.movd_to_xmm(bits_size(p), x, Reg::rcx);
}
template <typename F>
uint64_t bits_of(F v) {
  if constexpr (sizeof(F) == 4)
    return std::bit_cast<uint32_t>(v);
  else
    return std::bit_cast<uint64_t>(v);
}

// The right operand of a binary float op: slot 2, or the immediate bits at byte 16 (the ...I forms).
struct RightOperand {
  bool is_imm;
  uint64_t bits;
};
// xmm = the right operand.
void load_right(OpEmitter& e, Fp p, Xmm x, const RightOperand& b) {
  if (b.is_imm)
    load_constant(e.as(), p, x, b.bits);
  else
    e.as().movs(p, x, e.slot(2));
}

// dst = a OP b. When both operands are NaN the result is the NaN of the operand the instruction has
// first: a, as in the interpreter, which computes float add and mul (and min/max's NaN case) through
// num::add / num::mul to fix that order in every build. (Any NaN is correct per the spec; only
// bit-identity between the tiers asks for this.)
void emit_arith(OpEmitter& e, Fp p, SseOp op, const RightOperand& b) {
  Assembler& a = e.as();
  a.movs(p, Xmm::xmm0, e.slot(1));
  if (b.is_imm) {
    load_constant(a, p, Xmm::xmm1, b.bits);
    a.sse(op, p, Xmm::xmm0, Xmm::xmm1);
  } else {
    a.sse(op, p, Xmm::xmm0, e.slot(2));
  }
  a.movs(p, e.slot(0), Xmm::xmm0);
}

// dst = (a OP b) as u32. ucomis sets ZF, PF, CF (all three on unordered), so: Gt = above after a ? b,
// Lt = above after b ? a (false on NaN either way), Eq = equal and ordered, Ne = not equal or unordered.
enum class FCmp { kEq, kNe, kLt, kGt, kLe, kGe };
void emit_compare(OpEmitter& e, Fp p, FCmp c, const RightOperand& b) {
  Assembler& a = e.as();
  a.movs(p, Xmm::xmm0, e.slot(1));
  load_right(e, p, Xmm::xmm1, b);
  a.mov_imm(Size::k32, Reg::rax, 0);  // before the compare: mov keeps the flags, xor would not matter
  a.mov_imm(Size::k32, Reg::rdx, 0);
  switch (c) {
    case FCmp::kEq:
      a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
      a.setcc(Cond::kE, Reg::rax);
      a.setcc(Cond::kNP, Reg::rdx);
      a.alu(Alu::kAnd, Size::k32, Reg::rax, Reg::rdx);
      break;
    case FCmp::kNe:
      a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
      a.setcc(Cond::kNE, Reg::rax);
      a.setcc(Cond::kP, Reg::rdx);
      a.alu(Alu::kOr, Size::k32, Reg::rax, Reg::rdx);
      break;
    case FCmp::kGt:
      a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
      a.setcc(Cond::kA, Reg::rax);
      break;
    case FCmp::kGe:
      a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
      a.setcc(Cond::kAE, Reg::rax);
      break;
    case FCmp::kLt:
      a.ucomis(p, Xmm::xmm1, Xmm::xmm0);
      a.setcc(Cond::kA, Reg::rax);
      break;
    case FCmp::kLe:
      a.ucomis(p, Xmm::xmm1, Xmm::xmm0);
      a.setcc(Cond::kAE, Reg::rax);
      break;
  }
  a.mov(Size::k32, e.slot(0), Reg::rax);
}

// Abs / Neg / Copysign on the bits in integer registers (NaN payloads untouched, as num::*_bits).
void emit_abs(OpEmitter& e, Fp p) {
  Assembler& a = e.as();
  const Size s = bits_size(p);
  a.mov(s, Reg::rax, e.slot(1));
  if (p == Fp::kF32) {
    a.alu(Alu::kAnd, s, Reg::rax, 0x7fffffff);
  } else {
    a.shift(Shift::kShl, s, Reg::rax, 1);
    a.shift(Shift::kShr, s, Reg::rax, 1);
  }
  a.mov(s, e.slot(0), Reg::rax);
}
void emit_neg(OpEmitter& e, Fp p) {
  Assembler& a = e.as();
  const Size s = bits_size(p);
  a.mov(s, Reg::rax, e.slot(1));
  if (p == Fp::kF32) {
    a.alu(Alu::kXor, s, Reg::rax, INT32_MIN);
  } else {
    a.mov_imm(s, Reg::rcx, 0x8000000000000000ull);
    a.alu(Alu::kXor, s, Reg::rax, Reg::rcx);
  }
  a.mov(s, e.slot(0), Reg::rax);
}
void emit_copysign(OpEmitter& e, Fp p) {
  Assembler& a = e.as();
  const Size s = bits_size(p);
  const uint8_t top = p == Fp::kF32 ? 31 : 63;
  a.mov(s, Reg::rax, e.slot(1));
  a.mov(s, Reg::rcx, e.slot(2));
  a.shift(Shift::kShl, s, Reg::rax, 1);  // magnitude of a
  a.shift(Shift::kShr, s, Reg::rax, 1);
  a.shift(Shift::kShr, s, Reg::rcx, top);  // sign of b
  a.shift(Shift::kShl, s, Reg::rcx, top);
  a.alu(Alu::kOr, s, Reg::rax, Reg::rcx);
  a.mov(s, e.slot(0), Reg::rax);
}

void emit_round(OpEmitter& e, Fp p, RoundMode mode) {
  // roundss/roundsd quiet a signalling NaN and keep its payload: num::ceil & co. return x + x for a NaN.
  Assembler& a = e.as();
  a.movs(p, Xmm::xmm0, e.slot(1));
  a.rounds(p, Xmm::xmm0, Xmm::xmm0, mode);
  a.movs(p, e.slot(0), Xmm::xmm0);
}

// num::fmin / num::fmax: a NaN operand gives a + b; equal operands (+0 and -0 included) give the one with
// the sign bit for min (or of the bits) and without for max (and of the bits); else the smaller / larger.
void emit_minmax(OpEmitter& e, Fp p, bool is_min) {
  Assembler& a = e.as();
  a.movs(p, Xmm::xmm0, e.slot(1));
  a.movs(p, Xmm::xmm1, e.slot(2));
  Label nan = a.new_label(), not_equal = a.new_label(), done = a.new_label();
  a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
  a.jcc(Cond::kP, nan);
  a.jcc(Cond::kNE, not_equal);
  a.sse_logic(is_min ? SseLogic::kOr : SseLogic::kAnd, p, Xmm::xmm0, Xmm::xmm1);
  a.jmp(done);
  a.bind(not_equal);
  a.sse(is_min ? SseOp::kMin : SseOp::kMax, p, Xmm::xmm0, Xmm::xmm1);  // ordered and distinct: exact
  a.jmp(done);
  a.bind(nan);
  a.sse(SseOp::kAdd, p, Xmm::xmm0, Xmm::xmm1);
  a.bind(done);
  a.movs(p, e.slot(0), Xmm::xmm0);
}

// [s dst][s a][s b][s c]: t = a * b, then t + c (MulAdd), c + t (AddMul), t - c (MulSub), c - t (SubMul).
// AddMul computes c + t with c first, as the interpreter's num::add(c, t).
void emit_fused(OpEmitter& e, Fp p, int kind) {
  Assembler& a = e.as();
  a.movs(p, Xmm::xmm0, e.slot(1));
  a.sse(SseOp::kMul, p, Xmm::xmm0, e.slot(2));
  switch (kind) {
    case 0:
      a.sse(SseOp::kAdd, p, Xmm::xmm0, e.slot(3));
      break;
    case 1:
      a.movs(p, Xmm::xmm1, e.slot(3));
      a.sse(SseOp::kAdd, p, Xmm::xmm1, Xmm::xmm0);
      a.movaps(Xmm::xmm0, Xmm::xmm1);
      break;
    case 2:
      a.sse(SseOp::kSub, p, Xmm::xmm0, e.slot(3));
      break;
    default:
      a.movs(p, Xmm::xmm1, e.slot(3));
      a.sse(SseOp::kSub, p, Xmm::xmm1, Xmm::xmm0);
      a.movaps(Xmm::xmm0, Xmm::xmm1);
      break;
  }
  a.movs(p, e.slot(0), Xmm::xmm0);
}

// Float -> integer of the target type, for x in xmm0 already known to truncate into range (lo < x < hi):
// rax = the truncation. Clobbers xmm0, xmm1, rcx.
enum class IntType { kI32, kU32, kI64, kU64 };
void emit_convert_in_range(Assembler& a, Fp p, IntType t) {
  switch (t) {
    case IntType::kI32:
      a.cvtts2si(p, Size::k32, Reg::rax, Xmm::xmm0);
      break;
    case IntType::kU32:  // [0, 2^32) fits a signed 64-bit conversion
    case IntType::kI64:
      a.cvtts2si(p, Size::k64, Reg::rax, Xmm::xmm0);
      break;
    case IntType::kU64: {  // [2^63, 2^64): convert x - 2^63 (exact) and set the top bit back
      Label big = a.new_label(), done = a.new_label();
      load_constant(a, p, Xmm::xmm1,
                    p == Fp::kF32 ? bits_of(9223372036854775808.0f) : bits_of(9223372036854775808.0));
      a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
      a.jcc(Cond::kAE, big);
      a.cvtts2si(p, Size::k64, Reg::rax, Xmm::xmm0);
      a.jmp(done);
      a.bind(big);
      a.sse(SseOp::kSub, p, Xmm::xmm0, Xmm::xmm1);
      a.cvtts2si(p, Size::k64, Reg::rax, Xmm::xmm0);
      a.mov_imm(Size::k64, Reg::rcx, 0x8000000000000000ull);
      a.alu(Alu::kXor, Size::k64, Reg::rax, Reg::rcx);
      a.bind(done);
      break;
    }
  }
}

template <typename I, typename F>
struct Bounds {
  static uint64_t lo() { return bits_of(interp::num::TruncBounds<I, F>::lo); }
  static uint64_t hi() { return bits_of(interp::num::TruncBounds<I, F>::hi); }
};
// The exclusive bounds (num::TruncBounds) of a truncation to t from p.
void bounds_of(Fp p, IntType t, uint64_t& lo, uint64_t& hi) {
  auto pick = [&]<typename I>() {
    if (p == Fp::kF32) {
      lo = Bounds<I, float>::lo();
      hi = Bounds<I, float>::hi();
    } else {
      lo = Bounds<I, double>::lo();
      hi = Bounds<I, double>::hi();
    }
  };
  switch (t) {
    case IntType::kI32:
      pick.operator()<int32_t>();
      break;
    case IntType::kU32:
      pick.operator()<uint32_t>();
      break;
    case IntType::kI64:
      pick.operator()<int64_t>();
      break;
    case IntType::kU64:
      pick.operator()<uint64_t>();
      break;
  }
}
Size int_size(IntType t) {
  return t == IntType::kI32 || t == IntType::kU32 ? Size::k32 : Size::k64;
}

// num::trunc_checked: NaN traps as an invalid conversion, a value outside (lo, hi) as an overflow.
void emit_trunc(OpEmitter& e, Fp p, IntType t) {
  Assembler& a = e.as();
  uint64_t lo, hi;
  bounds_of(p, t, lo, hi);
  a.movs(p, Xmm::xmm0, e.slot(1));
  a.ucomis(p, Xmm::xmm0, Xmm::xmm0);
  e.trap_if(Cond::kP, TrapCode::kInvalidConversionToInteger);
  load_constant(a, p, Xmm::xmm1, hi);
  a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
  e.trap_if(Cond::kAE, TrapCode::kIntegerOverflow);  // x >= hi
  load_constant(a, p, Xmm::xmm1, lo);
  a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
  e.trap_if(Cond::kBE, TrapCode::kIntegerOverflow);  // x <= lo
  emit_convert_in_range(a, p, t);
  a.mov(int_size(t), e.slot(0), Reg::rax);
}

// num::trunc_sat: NaN -> 0, x <= lo -> the minimum, x >= hi -> the maximum, else the truncation.
void emit_trunc_sat(OpEmitter& e, Fp p, IntType t) {
  Assembler& a = e.as();
  uint64_t lo, hi;
  bounds_of(p, t, lo, hi);
  uint64_t min = 0, max = 0;
  switch (t) {
    case IntType::kI32:
      min = 0x80000000u, max = 0x7fffffffu;
      break;
    case IntType::kU32:
      min = 0, max = 0xffffffffu;
      break;
    case IntType::kI64:
      min = 0x8000000000000000ull, max = 0x7fffffffffffffffull;
      break;
    case IntType::kU64:
      min = 0, max = ~uint64_t{0};
      break;
  }
  Label done = a.new_label();
  a.movs(p, Xmm::xmm0, e.slot(1));
  a.mov_imm(Size::k32, Reg::rax, 0);
  a.ucomis(p, Xmm::xmm0, Xmm::xmm0);
  a.jcc(Cond::kP, done);
  load_constant(a, p, Xmm::xmm1, lo);
  a.mov_imm(Size::k64, Reg::rax, min);  // mov keeps the flags
  a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
  a.jcc(Cond::kBE, done);
  load_constant(a, p, Xmm::xmm1, hi);
  a.mov_imm(Size::k64, Reg::rax, max);
  a.ucomis(p, Xmm::xmm0, Xmm::xmm1);
  a.jcc(Cond::kAE, done);
  emit_convert_in_range(a, p, t);
  a.bind(done);
  a.mov(int_size(t), e.slot(0), Reg::rax);
}

// Integer -> float, rounded to nearest as the C++ conversion: signed 32/64 and unsigned 32 (zero-extended
// to a signed 64) are one cvtsi2s; an unsigned 64 with the top bit set is halved keeping the lost bit
// sticky (round to odd), converted and doubled, which rounds exactly as a direct conversion would.
void emit_convert(OpEmitter& e, Fp p, IntType from) {
  Assembler& a = e.as();
  a.xor_(Size::k32, Reg::rax, Reg::rax);
  a.movd_to_xmm(Size::k32, Xmm::xmm0, Reg::rax);  // no dependency on xmm0's old value
  switch (from) {
    case IntType::kI32:
      a.mov(Size::k32, Reg::rax, e.slot(1));
      a.cvtsi2s(p, Size::k32, Xmm::xmm0, Reg::rax);
      break;
    case IntType::kU32:
      a.mov(Size::k32, Reg::rax, e.slot(1));
      a.cvtsi2s(p, Size::k64, Xmm::xmm0, Reg::rax);
      break;
    case IntType::kI64:
      a.mov(Size::k64, Reg::rax, e.slot(1));
      a.cvtsi2s(p, Size::k64, Xmm::xmm0, Reg::rax);
      break;
    case IntType::kU64: {
      Label big = a.new_label(), done = a.new_label();
      a.mov(Size::k64, Reg::rax, e.slot(1));
      a.test(Size::k64, Reg::rax, Reg::rax);
      a.jcc(Cond::kS, big);
      a.cvtsi2s(p, Size::k64, Xmm::xmm0, Reg::rax);
      a.jmp(done);
      a.bind(big);
      a.mov(Size::k64, Reg::rcx, Reg::rax);
      a.shift(Shift::kShr, Size::k64, Reg::rcx, 1);
      a.alu(Alu::kAnd, Size::k32, Reg::rax, 1);
      a.alu(Alu::kOr, Size::k64, Reg::rcx, Reg::rax);
      a.cvtsi2s(p, Size::k64, Xmm::xmm0, Reg::rcx);
      a.sse(SseOp::kAdd, p, Xmm::xmm0, Xmm::xmm0);
      a.bind(done);
      break;
    }
  }
  a.movs(p, e.slot(0), Xmm::xmm0);
}

// F32*/F64* ops of one precision with the same meaning at both; 0 if `op` is none of them.
uint32_t emit_precision(OpEmitter& e, IOp op, Fp p) {
  const bool f32 = p == Fp::kF32;
  auto pick = [&](IOp f32_op, IOp f64_op) { return f32 ? f32_op : f64_op; };
  const RightOperand slot_b{false, 0};

  // Eq Ne Lt Gt Le Ge
  if (int i = index_in(op, pick(IOp::F32Eq, IOp::F64Eq), 6); i >= 0) {
    emit_compare(e, p, FCmp(i), slot_b);
    return 20;
  }
  // Abs Neg Ceil Floor Trunc Nearest Sqrt Add Sub Mul Div Min Max Copysign
  if (int i = index_in(op, pick(IOp::F32Abs, IOp::F64Abs), 14); i >= 0) {
    switch (i) {
      case 0:
        emit_abs(e, p);
        return 16;
      case 1:
        emit_neg(e, p);
        return 16;
      case 2:
        emit_round(e, p, RoundMode::kCeil);
        return 16;
      case 3:
        emit_round(e, p, RoundMode::kFloor);
        return 16;
      case 4:
        emit_round(e, p, RoundMode::kTrunc);
        return 16;
      case 5:
        emit_round(e, p, RoundMode::kNearest);
        return 16;
      case 6: {
        Assembler& a = e.as();
        a.movs(p, Xmm::xmm0, e.slot(1));
        a.sse(SseOp::kSqrt, p, Xmm::xmm0, Xmm::xmm0);
        a.movs(p, e.slot(0), Xmm::xmm0);
        return 16;
      }
      case 7:
        emit_arith(e, p, SseOp::kAdd, slot_b);
        return 20;
      case 8:
        emit_arith(e, p, SseOp::kSub, slot_b);
        return 20;
      case 9:
        emit_arith(e, p, SseOp::kMul, slot_b);
        return 20;
      case 10:
        emit_arith(e, p, SseOp::kDiv, slot_b);
        return 20;
      case 11:
        emit_minmax(e, p, true);
        return 20;
      case 12:
        emit_minmax(e, p, false);
        return 20;
      default:
        emit_copysign(e, p);
        return 20;
    }
  }
  // AddI SubI MulI DivI EqI NeI LtI GtI LeI GeI: [s dst][s a][f32 | f64 bits at byte 16]
  if (int i = index_in(op, pick(IOp::F32AddI, IOp::F64AddI), 10); i >= 0) {
    const RightOperand b{true, f32 ? uint64_t(e.rd<uint32_t>(16)) : e.rd<uint64_t>(16)};
    constexpr SseOp kArith[4] = {SseOp::kAdd, SseOp::kSub, SseOp::kMul, SseOp::kDiv};
    if (i < 4)
      emit_arith(e, p, kArith[i], b);
    else
      emit_compare(e, p, FCmp(i - 4), b);
    return f32 ? 20 : 24;
  }
  // MulAdd AddMul MulSub SubMul
  if (int i = index_in(op, pick(IOp::F32MulAdd, IOp::F64MulAdd), 4); i >= 0) {
    emit_fused(e, p, i);
    return 24;
  }
  return 0;
}

}  // namespace

Result<uint32_t> emit_float_op(OpEmitter& e, IOp op) {
  if (uint32_t size = emit_precision(e, op, Fp::kF32)) return size;
  if (uint32_t size = emit_precision(e, op, Fp::kF64)) return size;
  Assembler& a = e.as();
  switch (op) {
    // trapping truncations
    case IOp::I32TruncF32S:
      emit_trunc(e, Fp::kF32, IntType::kI32);
      return 16;
    case IOp::I32TruncF32U:
      emit_trunc(e, Fp::kF32, IntType::kU32);
      return 16;
    case IOp::I32TruncF64S:
      emit_trunc(e, Fp::kF64, IntType::kI32);
      return 16;
    case IOp::I32TruncF64U:
      emit_trunc(e, Fp::kF64, IntType::kU32);
      return 16;
    case IOp::I64TruncF32S:
      emit_trunc(e, Fp::kF32, IntType::kI64);
      return 16;
    case IOp::I64TruncF32U:
      emit_trunc(e, Fp::kF32, IntType::kU64);
      return 16;
    case IOp::I64TruncF64S:
      emit_trunc(e, Fp::kF64, IntType::kI64);
      return 16;
    case IOp::I64TruncF64U:
      emit_trunc(e, Fp::kF64, IntType::kU64);
      return 16;
    // saturating truncations
    case IOp::I32TruncSatF32S:
      emit_trunc_sat(e, Fp::kF32, IntType::kI32);
      return 16;
    case IOp::I32TruncSatF32U:
      emit_trunc_sat(e, Fp::kF32, IntType::kU32);
      return 16;
    case IOp::I32TruncSatF64S:
      emit_trunc_sat(e, Fp::kF64, IntType::kI32);
      return 16;
    case IOp::I32TruncSatF64U:
      emit_trunc_sat(e, Fp::kF64, IntType::kU32);
      return 16;
    case IOp::I64TruncSatF32S:
      emit_trunc_sat(e, Fp::kF32, IntType::kI64);
      return 16;
    case IOp::I64TruncSatF32U:
      emit_trunc_sat(e, Fp::kF32, IntType::kU64);
      return 16;
    case IOp::I64TruncSatF64S:
      emit_trunc_sat(e, Fp::kF64, IntType::kI64);
      return 16;
    case IOp::I64TruncSatF64U:
      emit_trunc_sat(e, Fp::kF64, IntType::kU64);
      return 16;
    // integer -> float
    case IOp::F32ConvertI32S:
      emit_convert(e, Fp::kF32, IntType::kI32);
      return 16;
    case IOp::F32ConvertI32U:
      emit_convert(e, Fp::kF32, IntType::kU32);
      return 16;
    case IOp::F32ConvertI64S:
      emit_convert(e, Fp::kF32, IntType::kI64);
      return 16;
    case IOp::F32ConvertI64U:
      emit_convert(e, Fp::kF32, IntType::kU64);
      return 16;
    case IOp::F64ConvertI32S:
      emit_convert(e, Fp::kF64, IntType::kI32);
      return 16;
    case IOp::F64ConvertI32U:
      emit_convert(e, Fp::kF64, IntType::kU32);
      return 16;
    case IOp::F64ConvertI64S:
      emit_convert(e, Fp::kF64, IntType::kI64);
      return 16;
    case IOp::F64ConvertI64U:
      emit_convert(e, Fp::kF64, IntType::kU64);
      return 16;
    // between precisions: cvtsd2ss / cvtss2sd, the instructions float(d) / double(f) compile to (a NaN
    // keeps its sign and the top of its payload, quieted)
    case IOp::F32DemoteF64:
      a.movs(Fp::kF64, Xmm::xmm1, e.slot(1));
      a.cvts2s(Fp::kF32, Xmm::xmm0, Xmm::xmm1);
      a.movs(Fp::kF32, e.slot(0), Xmm::xmm0);
      return 16;
    case IOp::F64PromoteF32:
      a.movs(Fp::kF32, Xmm::xmm1, e.slot(1));
      a.cvts2s(Fp::kF64, Xmm::xmm0, Xmm::xmm1);
      a.movs(Fp::kF64, e.slot(0), Xmm::xmm0);
      return 16;
    default:
      return 0;
  }
}

}  // namespace airwasm::baseline
