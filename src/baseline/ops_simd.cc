// baseline: the SIMD ops. The common ones are translated inline into SSE4.1 code (emit_inline below:
// memory, splats, lanes, shuffles, integer and float lane arithmetic, compares, bitwise ops), each written
// to give exactly the interpreter's result: integer lanes have one right answer, and the float ones use
// the same instruction as the interpreter's simd_x86.hh (addps, cmpps, minps for pmin, ...) so that even
// the NaN bits the spec leaves open agree (the differential fuzzer compares them). v128 values stay in
// their frame slots between ops: an op loads its vector operands with movdqu (legacy SSE needs 16-byte
// aligned memory operands, slots are 8-byte aligned), computes in xmm0/xmm1 (and xmm15, the assembler's
// scratch, which no instruction of these sequences rewrites a slot through) and stores with movdqu.
//
// The rest (rounding, float min/max, conversions, extended multiplies, i8 and i64 shifts, load/store
// lane, ...) are calls of out-of-line functions made from the interpreter's own SIMD handlers
// (src/interp/simd_handlers.inc is included twice here with other macro definitions), so both tiers share
// one implementation of them and cannot disagree on a lane. A call costs more than the interpreter's
// dispatch; what it gives is that a function using them is compiled as a whole.
//
// Each handler becomes `uint32_t f(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size)`
// returning 0, or a TrapCode + 1 (a load or store out of bounds), as OpEmitter::call_trapping_helper
// expects. A second instantiation in "probe" mode runs each handler on dummy operands to learn the
// instruction's size (its NEXT), which the translator needs at compile time.
#include <array>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "baseline/emitter.hh"
#include "interp/simd_fast.hh"

#define AIRWASM_SIMD_HANDLERS_AS_FUNCTIONS

namespace airwasm::baseline {

using interp::IOp;
namespace simd = interp::simd;

namespace {

template <typename T>
inline T rd(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
inline void wr(void* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

using SimdFn = uint32_t (*)(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size);
using SizeFn = uint32_t (*)(const uint8_t* pc);

struct Tables {
  std::array<SimdFn, interp::kIOpCount> run{};
  std::array<SizeFn, interp::kIOpCount> size{};
};
// AIRWASM_BASELINE_SIMD_CALLS=1 translates every SIMD op into a handler call (to measure the inline code
// against, and to bisect a disagreement between the tiers).
bool inline_simd_enabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("AIRWASM_BASELINE_SIMD_CALLS");
    return !(v && *v && *v != '0');
  }();
  return enabled;
}

Tables& tables() {
  static Tables t;
  return t;
}

// ---- the handlers as functions ----
namespace run {
#define OPND(n) rd<uint32_t>(pc + 8 + 4 * (n))
#define SLOT(n) (fp + OPND(n))
#define GET(T, n) rd<T>(SLOT(n))
#define SET(T, n, v) wr<T>(SLOT(n), (v))
#define NEXT(size) return 0
#define TRAP(code) return uint32_t(code) + 1
#define HANDLE(name)                                                                                      \
  uint32_t simd_##name(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size);             \
  [[maybe_unused]] const bool registered_##name = (tables().run[size_t(IOp::name)] = &simd_##name, true); \
  uint32_t simd_##name(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size)
#include "interp/simd_handlers.inc"
#undef HANDLE
#undef TRAP
#undef NEXT
#undef SET
#undef GET
#undef SLOT
#undef SIMD_GETV
#undef SIMD_SETV
#undef SIMD_EA
}  // namespace run

// ---- the same handlers on dummy operands: their NEXT is the instruction's size ----
namespace probe {
alignas(16) uint8_t scratch[64];
#define SLOT(n) (scratch + 0 * OPND(n))
#define GET(T, n) rd<T>(SLOT(n))
#define SET(T, n, v) wr<T>(SLOT(n), (v))
#define NEXT(size) return (size)
#define TRAP(code) return 0
#define HANDLE(name)                                                                                       \
  uint32_t size_##name(const uint8_t* pc);                                                                 \
  [[maybe_unused]] const bool registered_##name = (tables().size[size_t(IOp::name)] = &size_##name, true); \
  uint32_t size_##name(const uint8_t* pc)
// The handlers' memory accesses go to the scratch too, and never trap.
#define SIMD_EA(ea, addr_operand, offset_operand, bytes) [[maybe_unused]] const uint64_t ea = 0
[[maybe_unused]] constexpr uint64_t mem_size = 0;
uint8_t* const mem_base = scratch;
#include "interp/simd_handlers.inc"
#undef HANDLE
}  // namespace probe

// ---- inline SSE ----
using jit::LaneBytes;
using jit::Reg;
using jit::Size;
using jit::Vec;
using jit::VecShiftImm;
using jit::Xmm;
constexpr Xmm x0 = Xmm::xmm0, x1 = Xmm::xmm1, x15 = jit::Assembler::kSlotScratchXmm;

// A two-operand op [dst][a][b] done by one instruction: dst = op(a, b), or op(b, a) when `swap`, then
// complemented when `invert` (ne from eq, le_s from gt_s, ...). With `unsigned_compare_eq`, `op` is an
// unsigned min or max whose result is compared with the first operand by that equality (a >=u b is
// max_u(a, b) == a; a <=u b is min_u(a, b) == a): SSE has no unsigned integer compare.
struct Binary {
  Vec op;
  bool swap = false;
  bool invert = false;
  std::optional<Vec> unsigned_compare_eq = std::nullopt;
  uint8_t imm = 0xff;  // cmpps/cmppd predicate (0xff: no immediate)
};

std::optional<Binary> binary_of(IOp op) {
  switch (op) {
    case IOp::I8x16Add:
      return Binary{Vec::kPaddb};
    case IOp::I16x8Add:
      return Binary{Vec::kPaddw};
    case IOp::I32x4Add:
      return Binary{Vec::kPaddd};
    case IOp::I64x2Add:
      return Binary{Vec::kPaddq};
    case IOp::I8x16Sub:
      return Binary{Vec::kPsubb};
    case IOp::I16x8Sub:
      return Binary{Vec::kPsubw};
    case IOp::I32x4Sub:
      return Binary{Vec::kPsubd};
    case IOp::I64x2Sub:
      return Binary{Vec::kPsubq};
    case IOp::I8x16AddSatS:
      return Binary{Vec::kPaddsb};
    case IOp::I8x16AddSatU:
      return Binary{Vec::kPaddusb};
    case IOp::I16x8AddSatS:
      return Binary{Vec::kPaddsw};
    case IOp::I16x8AddSatU:
      return Binary{Vec::kPaddusw};
    case IOp::I8x16SubSatS:
      return Binary{Vec::kPsubsb};
    case IOp::I8x16SubSatU:
      return Binary{Vec::kPsubusb};
    case IOp::I16x8SubSatS:
      return Binary{Vec::kPsubsw};
    case IOp::I16x8SubSatU:
      return Binary{Vec::kPsubusw};
    case IOp::I16x8Mul:
      return Binary{Vec::kPmullw};
    case IOp::I32x4Mul:
      return Binary{Vec::kPmulld};
    case IOp::I32x4DotI16x8S:
      return Binary{Vec::kPmaddwd};
    case IOp::I8x16MinS:
      return Binary{Vec::kPminsb};
    case IOp::I8x16MinU:
      return Binary{Vec::kPminub};
    case IOp::I8x16MaxS:
      return Binary{Vec::kPmaxsb};
    case IOp::I8x16MaxU:
      return Binary{Vec::kPmaxub};
    case IOp::I16x8MinS:
      return Binary{Vec::kPminsw};
    case IOp::I16x8MinU:
      return Binary{Vec::kPminuw};
    case IOp::I16x8MaxS:
      return Binary{Vec::kPmaxsw};
    case IOp::I16x8MaxU:
      return Binary{Vec::kPmaxuw};
    case IOp::I32x4MinS:
      return Binary{Vec::kPminsd};
    case IOp::I32x4MinU:
      return Binary{Vec::kPminud};
    case IOp::I32x4MaxS:
      return Binary{Vec::kPmaxsd};
    case IOp::I32x4MaxU:
      return Binary{Vec::kPmaxud};
    case IOp::I8x16AvgrU:
      return Binary{Vec::kPavgb};
    case IOp::I16x8AvgrU:
      return Binary{Vec::kPavgw};
    case IOp::I8x16NarrowI16x8S:
      return Binary{Vec::kPacksswb};
    case IOp::I8x16NarrowI16x8U:
      return Binary{Vec::kPackuswb};
    case IOp::I16x8NarrowI32x4S:
      return Binary{Vec::kPackssdw};
    case IOp::I16x8NarrowI32x4U:
      return Binary{Vec::kPackusdw};
    case IOp::V128And:
      return Binary{Vec::kPand};
    case IOp::V128Or:
      return Binary{Vec::kPor};
    case IOp::V128Xor:
      return Binary{Vec::kPxor};
    case IOp::V128Andnot:
      return Binary{Vec::kPandn, true};  // pandn x, y = ~x & y: a & ~b = pandn(b, a)
    // integer compares: eq, and gt_s with swapped operands and complements
    case IOp::I8x16Eq:
      return Binary{Vec::kPcmpeqb};
    case IOp::I16x8Eq:
      return Binary{Vec::kPcmpeqw};
    case IOp::I32x4Eq:
      return Binary{Vec::kPcmpeqd};
    case IOp::I64x2Eq:
      return Binary{Vec::kPcmpeqq};
    case IOp::I8x16Ne:
      return Binary{Vec::kPcmpeqb, false, true};
    case IOp::I16x8Ne:
      return Binary{Vec::kPcmpeqw, false, true};
    case IOp::I32x4Ne:
      return Binary{Vec::kPcmpeqd, false, true};
    case IOp::I64x2Ne:
      return Binary{Vec::kPcmpeqq, false, true};
    case IOp::I8x16GtS:
      return Binary{Vec::kPcmpgtb};
    case IOp::I16x8GtS:
      return Binary{Vec::kPcmpgtw};
    case IOp::I32x4GtS:
      return Binary{Vec::kPcmpgtd};
    case IOp::I8x16LtS:
      return Binary{Vec::kPcmpgtb, true};
    case IOp::I16x8LtS:
      return Binary{Vec::kPcmpgtw, true};
    case IOp::I32x4LtS:
      return Binary{Vec::kPcmpgtd, true};
    case IOp::I8x16LeS:
      return Binary{Vec::kPcmpgtb, false, true};
    case IOp::I16x8LeS:
      return Binary{Vec::kPcmpgtw, false, true};
    case IOp::I32x4LeS:
      return Binary{Vec::kPcmpgtd, false, true};
    case IOp::I8x16GeS:
      return Binary{Vec::kPcmpgtb, true, true};
    case IOp::I16x8GeS:
      return Binary{Vec::kPcmpgtw, true, true};
    case IOp::I32x4GeS:
      return Binary{Vec::kPcmpgtd, true, true};
    case IOp::I8x16GeU:
      return Binary{Vec::kPmaxub, false, false, Vec::kPcmpeqb};
    case IOp::I16x8GeU:
      return Binary{Vec::kPmaxuw, false, false, Vec::kPcmpeqw};
    case IOp::I32x4GeU:
      return Binary{Vec::kPmaxud, false, false, Vec::kPcmpeqd};
    case IOp::I8x16LeU:
      return Binary{Vec::kPminub, false, false, Vec::kPcmpeqb};
    case IOp::I16x8LeU:
      return Binary{Vec::kPminuw, false, false, Vec::kPcmpeqw};
    case IOp::I32x4LeU:
      return Binary{Vec::kPminud, false, false, Vec::kPcmpeqd};
    case IOp::I8x16LtU:
      return Binary{Vec::kPmaxub, false, true, Vec::kPcmpeqb};
    case IOp::I16x8LtU:
      return Binary{Vec::kPmaxuw, false, true, Vec::kPcmpeqw};
    case IOp::I32x4LtU:
      return Binary{Vec::kPmaxud, false, true, Vec::kPcmpeqd};
    case IOp::I8x16GtU:
      return Binary{Vec::kPminub, false, true, Vec::kPcmpeqb};
    case IOp::I16x8GtU:
      return Binary{Vec::kPminuw, false, true, Vec::kPcmpeqw};
    case IOp::I32x4GtU:
      return Binary{Vec::kPminud, false, true, Vec::kPcmpeqd};
    // float lanes: the interpreter's instructions (gt and ge are lt and le with swapped operands, which
    // is what the intrinsics compile to)
    case IOp::F32x4Add:
      return Binary{Vec::kAddps};
    case IOp::F32x4Sub:
      return Binary{Vec::kSubps};
    case IOp::F32x4Mul:
      return Binary{Vec::kMulps};
    case IOp::F32x4Div:
      return Binary{Vec::kDivps};
    case IOp::F64x2Add:
      return Binary{Vec::kAddpd};
    case IOp::F64x2Sub:
      return Binary{Vec::kSubpd};
    case IOp::F64x2Mul:
      return Binary{Vec::kMulpd};
    case IOp::F64x2Div:
      return Binary{Vec::kDivpd};
    case IOp::F32x4Pmin:
      return Binary{Vec::kMinps, true};  // minps(b, a) = b < a ? b : a
    case IOp::F32x4Pmax:
      return Binary{Vec::kMaxps, true};  // maxps(b, a) = b > a ? b : a
    case IOp::F64x2Pmin:
      return Binary{Vec::kMinpd, true};
    case IOp::F64x2Pmax:
      return Binary{Vec::kMaxpd, true};
    case IOp::F32x4Eq:
      return Binary{Vec::kCmpps, false, false, std::nullopt, 0};
    case IOp::F32x4Ne:
      return Binary{Vec::kCmpps, false, false, std::nullopt, 4};  // unordered or unequal
    case IOp::F32x4Lt:
      return Binary{Vec::kCmpps, false, false, std::nullopt, 1};
    case IOp::F32x4Le:
      return Binary{Vec::kCmpps, false, false, std::nullopt, 2};
    case IOp::F32x4Gt:
      return Binary{Vec::kCmpps, true, false, std::nullopt, 1};
    case IOp::F32x4Ge:
      return Binary{Vec::kCmpps, true, false, std::nullopt, 2};
    case IOp::F64x2Eq:
      return Binary{Vec::kCmppd, false, false, std::nullopt, 0};
    case IOp::F64x2Ne:
      return Binary{Vec::kCmppd, false, false, std::nullopt, 4};
    case IOp::F64x2Lt:
      return Binary{Vec::kCmppd, false, false, std::nullopt, 1};
    case IOp::F64x2Le:
      return Binary{Vec::kCmppd, false, false, std::nullopt, 2};
    case IOp::F64x2Gt:
      return Binary{Vec::kCmppd, true, false, std::nullopt, 1};
    case IOp::F64x2Ge:
      return Binary{Vec::kCmppd, true, false, std::nullopt, 2};
    default:
      return std::nullopt;
  }
}

void all_ones(jit::Assembler& a, Xmm x) {
  a.vec(Vec::kPcmpeqd, x, x);
}

// [dst][a][b] -> dst (see Binary).
void emit_binary(OpEmitter& e, const Binary& b) {
  jit::Assembler& a = e.as();
  if (b.unsigned_compare_eq) {
    a.movdqu(x0, e.slot(2));
    a.movdqu(x1, e.slot(1));
    a.vec(b.op, x0, x1);  // min or max of (a, b)
    a.vec(*b.unsigned_compare_eq, x0, x1);
  } else {
    const jit::Mem first = e.slot(b.swap ? 2 : 1), second = e.slot(b.swap ? 1 : 2);
    if (a.vector_load_forwarded(second)) {  // the forwarded load first, while it still is
      a.movdqu(x1, second);
      a.movdqu(x0, first);
    } else {
      a.movdqu(x0, first);
      a.movdqu(x1, second);
    }
    if (b.imm != 0xff)
      a.vec(b.op, x0, x1, b.imm);
    else
      a.vec(b.op, x0, x1);
  }
  if (b.invert) {
    all_ones(a, x1);
    a.vec(Vec::kPxor, x0, x1);
  }
  a.movdqu(e.slot(0), x0);
}

// [dst][a]: dst = op(a) by one instruction (abs, sqrt, low-half extends, a conversion). The interpreter
// computes i8/i16 abs as min_u(a, -a) / max_s(a, -a): the same lanes as pabs (abs(-128) stays -128).
std::optional<Vec> unary_of(IOp op) {
  switch (op) {
    case IOp::I8x16Abs:
      return Vec::kPabsb;
    case IOp::I16x8Abs:
      return Vec::kPabsw;
    case IOp::I32x4Abs:
      return Vec::kPabsd;
    case IOp::F32x4Sqrt:
      return Vec::kSqrtps;
    case IOp::F64x2Sqrt:
      return Vec::kSqrtpd;
    case IOp::F32x4ConvertI32x4S:
      return Vec::kCvtdq2ps;
    case IOp::I16x8ExtendLowI8x16S:
      return Vec::kPmovsxbw;
    case IOp::I16x8ExtendLowI8x16U:
      return Vec::kPmovzxbw;
    case IOp::I32x4ExtendLowI16x8S:
      return Vec::kPmovsxwd;
    case IOp::I32x4ExtendLowI16x8U:
      return Vec::kPmovzxwd;
    case IOp::I64x2ExtendLowI32x4S:
      return Vec::kPmovsxdq;
    case IOp::I64x2ExtendLowI32x4U:
      return Vec::kPmovzxdq;
    default:
      return std::nullopt;
  }
}
// The high-half extends: the upper 8 bytes moved down, then the low-half extend.
std::optional<Vec> extend_high_of(IOp op) {
  switch (op) {
    case IOp::I16x8ExtendHighI8x16S:
      return Vec::kPmovsxbw;
    case IOp::I16x8ExtendHighI8x16U:
      return Vec::kPmovzxbw;
    case IOp::I32x4ExtendHighI16x8S:
      return Vec::kPmovsxwd;
    case IOp::I32x4ExtendHighI16x8U:
      return Vec::kPmovzxwd;
    case IOp::I64x2ExtendHighI32x4S:
      return Vec::kPmovsxdq;
    case IOp::I64x2ExtendHighI32x4U:
      return Vec::kPmovzxdq;
    default:
      return std::nullopt;
  }
}

// Shifts [dst][a][count]: the count modulo the lane width, as the interpreter's count(). (SSE has no
// byte shifts and no 64-bit arithmetic shift: those stay handler calls.)
struct ShiftOp {
  Vec op;
  uint8_t lane_bits;
};
std::optional<ShiftOp> shift_of(IOp op) {
  switch (op) {
    case IOp::I16x8Shl:
      return ShiftOp{Vec::kPsllw, 16};
    case IOp::I16x8ShrS:
      return ShiftOp{Vec::kPsraw, 16};
    case IOp::I16x8ShrU:
      return ShiftOp{Vec::kPsrlw, 16};
    case IOp::I32x4Shl:
      return ShiftOp{Vec::kPslld, 32};
    case IOp::I32x4ShrS:
      return ShiftOp{Vec::kPsrad, 32};
    case IOp::I32x4ShrU:
      return ShiftOp{Vec::kPsrld, 32};
    case IOp::I64x2Shl:
      return ShiftOp{Vec::kPsllq, 64};
    case IOp::I64x2ShrU:
      return ShiftOp{Vec::kPsrlq, 64};
    default:
      return std::nullopt;
  }
}

// x = the 16 bytes at `bytes` (through rax; the code has no constant pool).
void load_constant(jit::Assembler& a, Xmm x, const uint8_t* bytes) {
  uint64_t lo, hi;
  std::memcpy(&lo, bytes, 8);
  std::memcpy(&hi, bytes + 8, 8);
  a.mov_imm(Size::k64, Reg::rax, lo);
  a.movd_to_xmm(Size::k64, x, Reg::rax);
  a.mov_imm(Size::k64, Reg::rax, hi);
  a.pinsr(LaneBytes::k8, x, Reg::rax, 1);
}

// The loads [dst][addr][offset] other than v128.load: the bytes read, then how they fill the vector.
enum class LoadShape : uint8_t { kSplat8, kSplat16, kSplat32, kSplat64, kZero32, kZero64, kExtend };
struct LoadOp {
  uint32_t bytes;
  LoadShape shape;
  Vec extend = Vec::kPmovsxbw;
};
std::optional<LoadOp> load_of(IOp op) {
  switch (op) {
    case IOp::V128Load8Splat:
      return LoadOp{1, LoadShape::kSplat8};
    case IOp::V128Load16Splat:
      return LoadOp{2, LoadShape::kSplat16};
    case IOp::V128Load32Splat:
      return LoadOp{4, LoadShape::kSplat32};
    case IOp::V128Load64Splat:
      return LoadOp{8, LoadShape::kSplat64};
    case IOp::V128Load32Zero:
      return LoadOp{4, LoadShape::kZero32};
    case IOp::V128Load64Zero:
      return LoadOp{8, LoadShape::kZero64};
    case IOp::V128Load8x8S:
      return LoadOp{8, LoadShape::kExtend, Vec::kPmovsxbw};
    case IOp::V128Load8x8U:
      return LoadOp{8, LoadShape::kExtend, Vec::kPmovzxbw};
    case IOp::V128Load16x4S:
      return LoadOp{8, LoadShape::kExtend, Vec::kPmovsxwd};
    case IOp::V128Load16x4U:
      return LoadOp{8, LoadShape::kExtend, Vec::kPmovzxwd};
    case IOp::V128Load32x2S:
      return LoadOp{8, LoadShape::kExtend, Vec::kPmovsxdq};
    case IOp::V128Load32x2U:
      return LoadOp{8, LoadShape::kExtend, Vec::kPmovzxdq};
    default:
      return std::nullopt;
  }
}

// x0 = the integer of `bytes` bytes in the low lane of x0, in every lane.
void splat_low(jit::Assembler& a, uint32_t bytes) {
  switch (bytes) {
    case 1:
      a.vec(Vec::kPxor, x1, x1);
      a.vec(Vec::kPshufb, x0, x1);  // every byte from byte 0
      break;
    case 2:
      a.vec(Vec::kPshuflw, x0, x0, 0);
      a.vec(Vec::kPshufd, x0, x0, 0);
      break;
    case 4:
      a.vec(Vec::kPshufd, x0, x0, 0);
      break;
    default:
      a.vec(Vec::kPunpcklqdq, x0, x0);
      break;
  }
}

// rax = the address operand (zero-extended); returns the bounds-checked operand of the access.
jit::Mem memory_operand(OpEmitter& e, int address_operand, int offset_operand, uint32_t bytes) {
  e.as().mov(Size::k32, Reg::rax, e.slot(address_operand));
  return checked_address(e, e.opnd(offset_operand), bytes);
}

// The lane width of a replace_lane op.
LaneBytes replaced_lane(IOp op) {
  switch (op) {
    case IOp::I8x16ReplaceLane:
      return LaneBytes::k1;
    case IOp::I16x8ReplaceLane:
      return LaneBytes::k2;
    case IOp::I32x4ReplaceLane:
    case IOp::F32x4ReplaceLane:
      return LaneBytes::k4;
    default:
      return LaneBytes::k8;
  }
}

// Emits the op inline, or returns false (the caller calls its handler).
bool emit_inline(OpEmitter& e, IOp op) {
  jit::Assembler& a = e.as();
  if (const std::optional<Binary> b = binary_of(op)) {
    emit_binary(e, *b);
    return true;
  }
  if (const std::optional<Vec> u = unary_of(op)) {
    a.movdqu(x1, e.slot(1));
    a.vec(*u, x0, x1);
    a.movdqu(e.slot(0), x0);
    return true;
  }
  if (const std::optional<Vec> u = extend_high_of(op)) {
    a.movdqu(x1, e.slot(1));
    a.vec_shift(VecShiftImm::kPsrldq, x1, 8);
    a.vec(*u, x0, x1);
    a.movdqu(e.slot(0), x0);
    return true;
  }
  if (const std::optional<ShiftOp> s = shift_of(op)) {
    a.mov(Size::k32, Reg::rcx, e.slot(2));
    a.alu(jit::Alu::kAnd, Size::k32, Reg::rcx, s->lane_bits - 1);
    a.movd_to_xmm(Size::k32, x1, Reg::rcx);
    a.movdqu(x0, e.slot(1));
    a.vec(s->op, x0, x1);
    a.movdqu(e.slot(0), x0);
    return true;
  }
  if (const std::optional<LoadOp> l = load_of(op)) {
    const jit::Mem at = memory_operand(e, 1, 2, l->bytes);
    switch (l->shape) {
      case LoadShape::kSplat8:
        a.movzx8(Reg::rax, at);
        a.movd_to_xmm(Size::k32, x0, Reg::rax);
        splat_low(a, 1);
        break;
      case LoadShape::kSplat16:
        a.movzx16(Reg::rax, at);
        a.movd_to_xmm(Size::k32, x0, Reg::rax);
        splat_low(a, 2);
        break;
      case LoadShape::kSplat32:
        a.movd_load(x0, at);
        splat_low(a, 4);
        break;
      case LoadShape::kSplat64:
        a.movq_load(x0, at);
        splat_low(a, 8);
        break;
      case LoadShape::kZero32:
        a.movd_load(x0, at);
        break;
      case LoadShape::kZero64:
        a.movq_load(x0, at);
        break;
      case LoadShape::kExtend:
        a.movq_load(x1, at);
        a.vec(l->extend, x0, x1);
        break;
    }
    a.movdqu(e.slot(0), x0);
    return true;
  }
  switch (op) {
    case IOp::V128Load: {  // [dst][addr][offset]
      const jit::Mem at = memory_operand(e, 1, 2, 16);
      a.movdqu(x0, at);
      a.movdqu(e.slot(0), x0);
      return true;
    }
    case IOp::V128Store: {  // [addr][value][offset]
      const jit::Mem at = memory_operand(e, 0, 2, 16);
      a.movdqu(x0, e.slot(1));
      a.movdqu(at, x0);
      return true;
    }
    case IOp::V128Not:
      a.movdqu(x0, e.slot(1));
      all_ones(a, x1);
      a.vec(Vec::kPxor, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::V128Bitselect:  // [dst][a][b][c]: (a & c) | (b & ~c)
      a.movdqu(x0, e.slot(1));
      a.movdqu(x1, e.slot(3));
      a.vec(Vec::kPand, x0, x1);
      a.movdqu(x15, e.slot(2));
      a.vec(Vec::kPandn, x1, x15);
      a.vec(Vec::kPor, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I8x16Neg:
    case IOp::I16x8Neg:
    case IOp::I32x4Neg:
    case IOp::I64x2Neg: {  // 0 - a
      const Vec sub = op == IOp::I8x16Neg   ? Vec::kPsubb
                      : op == IOp::I16x8Neg ? Vec::kPsubw
                      : op == IOp::I32x4Neg ? Vec::kPsubd
                                            : Vec::kPsubq;
      a.vec(Vec::kPxor, x0, x0);
      a.movdqu(x1, e.slot(1));
      a.vec(sub, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    }
    case IOp::F32x4Abs:
    case IOp::F64x2Abs:
    case IOp::F32x4Neg:
    case IOp::F64x2Neg: {  // the sign bits cleared (and with all-ones shifted right by one) or flipped
      const bool f64 = op == IOp::F64x2Abs || op == IOp::F64x2Neg;
      const bool abs = op == IOp::F32x4Abs || op == IOp::F64x2Abs;
      a.movdqu(x0, e.slot(1));
      all_ones(a, x1);
      if (abs) {
        a.vec_shift(f64 ? VecShiftImm::kPsrlq : VecShiftImm::kPsrld, x1, 1);
        a.vec(Vec::kPand, x0, x1);
      } else {
        a.vec_shift(f64 ? VecShiftImm::kPsllq : VecShiftImm::kPslld, x1, f64 ? 63 : 31);
        a.vec(Vec::kPxor, x0, x1);
      }
      a.movdqu(e.slot(0), x0);
      return true;
    }
    // splats [dst][scalar]: the scalar through rax (the slot may be held in either register class)
    case IOp::I8x16Splat:
    case IOp::I16x8Splat:
    case IOp::I32x4Splat:
    case IOp::F32x4Splat:
      a.mov(Size::k32, Reg::rax, e.slot(1));
      a.movd_to_xmm(Size::k32, x0, Reg::rax);
      splat_low(a, op == IOp::I8x16Splat ? 1 : op == IOp::I16x8Splat ? 2 : 4);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I64x2Splat:
    case IOp::F64x2Splat:
      a.mov(Size::k64, Reg::rax, e.slot(1));
      a.movd_to_xmm(Size::k64, x0, Reg::rax);
      splat_low(a, 8);
      a.movdqu(e.slot(0), x0);
      return true;
    // extract [dst][vector][lane u8 at 16]: a scalar load of the lane straight from the vector's slot
    case IOp::I8x16ExtractLaneS:
      a.movsx8(Size::k32, Reg::rax, e.slot(1, e.rd<uint8_t>(16) & 15));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return true;
    case IOp::I8x16ExtractLaneU:
      a.movzx8(Reg::rax, e.slot(1, e.rd<uint8_t>(16) & 15));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return true;
    case IOp::I16x8ExtractLaneS:
      a.movsx16(Size::k32, Reg::rax, e.slot(1, 2 * (e.rd<uint8_t>(16) & 7)));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return true;
    case IOp::I16x8ExtractLaneU:
      a.movzx16(Reg::rax, e.slot(1, 2 * (e.rd<uint8_t>(16) & 7)));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return true;
    case IOp::I32x4ExtractLane:
      a.mov(Size::k32, Reg::rax, e.slot(1, 4 * (e.rd<uint8_t>(16) & 3)));
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return true;
    case IOp::I64x2ExtractLane:
      a.mov(Size::k64, Reg::rax, e.slot(1, 8 * (e.rd<uint8_t>(16) & 1)));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return true;
    case IOp::F32x4ExtractLane:
      a.movs(jit::Fp::kF32, x0, e.slot(1, 4 * (e.rd<uint8_t>(16) & 3)));
      a.movs(jit::Fp::kF32, e.slot(0), x0);
      return true;
    case IOp::F64x2ExtractLane:
      a.movs(jit::Fp::kF64, x0, e.slot(1, 8 * (e.rd<uint8_t>(16) & 1)));
      a.movs(jit::Fp::kF64, e.slot(0), x0);
      return true;
    // replace [dst][vector][scalar][lane u8 at 20]: in a register (a 32-bit store into a frame slot is
    // widened to 64 bits, see Assembler::whole_frame_slot); the scalar is read first (dst may alias)
    case IOp::I8x16ReplaceLane:
    case IOp::I16x8ReplaceLane:
    case IOp::I32x4ReplaceLane:
    case IOp::F32x4ReplaceLane:
    case IOp::I64x2ReplaceLane:
    case IOp::F64x2ReplaceLane: {
      const LaneBytes w = replaced_lane(op);
      const uint8_t lane = e.rd<uint8_t>(20) & (16 / uint8_t(w) - 1);
      a.mov(w == LaneBytes::k8 ? Size::k64 : Size::k32, Reg::rcx, e.slot(2));
      a.movdqu(x0, e.slot(1));
      a.pinsr(w, x0, Reg::rcx, lane);
      a.movdqu(e.slot(0), x0);
      return true;
    }
    case IOp::I8x16Shuffle: {  // [dst][a][b][16 lane bytes at 20]: pshufb of each with its mask, or'd
      uint8_t from_a[16], from_b[16];
      bool any_a = false, any_b = false;
      for (int i = 0; i < 16; ++i) {
        const uint8_t k = e.rd<uint8_t>(20 + i) & 31;
        from_a[i] = k < 16 ? k : 0x80;  // bit 7: pshufb writes zero
        from_b[i] = k >= 16 ? uint8_t(k - 16) : 0x80;
        any_a |= k < 16;
        any_b |= k >= 16;
      }
      if (any_a) {
        load_constant(a, x1, from_a);
        a.movdqu(x0, e.slot(1));
        a.vec(Vec::kPshufb, x0, x1);
      }
      if (any_b) {
        load_constant(a, x1, from_b);
        const Xmm part = any_a ? x15 : x0;
        a.movdqu(part, e.slot(2));
        a.vec(Vec::kPshufb, part, x1);
        if (any_a) a.vec(Vec::kPor, x0, part);
      }
      a.movdqu(e.slot(0), x0);
      return true;
    }
    case IOp::I8x16Swizzle:  // [dst][a][s]: an index >= 16 selects zero: + 0x70 saturating sets bit 7
      a.mov_imm(Size::k32, Reg::rax, 0x70707070u);
      a.movd_to_xmm(Size::k32, x1, Reg::rax);
      a.vec(Vec::kPshufd, x1, x1, 0);
      a.movdqu(x0, e.slot(2));
      a.vec(Vec::kPaddusb, x0, x1);
      a.movdqu(x1, e.slot(1));
      a.vec(Vec::kPshufb, x1, x0);
      a.movdqu(e.slot(0), x1);
      return true;
    // tests [dst i32][vector]
    case IOp::V128AnyTrue:
    case IOp::I8x16AllTrue:
    case IOp::I16x8AllTrue:
    case IOp::I32x4AllTrue:
    case IOp::I64x2AllTrue: {
      a.alu(jit::Alu::kXor, Size::k32, Reg::rax, Reg::rax);  // before the flags: setcc writes al only
      a.movdqu(x0, e.slot(1));
      if (op == IOp::V128AnyTrue) {
        a.vec(Vec::kPtest, x0, x0);  // ZF: all bits zero
        a.setcc(jit::Cond::kNE, Reg::rax);
      } else {  // the lanes equal to zero become all-ones lanes: there may be none
        const Vec eq = op == IOp::I8x16AllTrue   ? Vec::kPcmpeqb
                       : op == IOp::I16x8AllTrue ? Vec::kPcmpeqw
                       : op == IOp::I32x4AllTrue ? Vec::kPcmpeqd
                                                 : Vec::kPcmpeqq;
        a.vec(Vec::kPxor, x1, x1);
        a.vec(eq, x1, x0);
        a.vec(Vec::kPtest, x1, x1);
        a.setcc(jit::Cond::kE, Reg::rax);
      }
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return true;
    }
    case IOp::I8x16Bitmask:
    case IOp::I16x8Bitmask:
    case IOp::I32x4Bitmask:
    case IOp::I64x2Bitmask:
      a.movdqu(x0, e.slot(1));
      if (op == IOp::I8x16Bitmask) {
        a.pmovmskb(Reg::rax, x0);
      } else if (op == IOp::I16x8Bitmask) {  // words narrowed to bytes keep their signs; the upper 8 are 0
        a.vec(Vec::kPxor, x1, x1);
        a.vec(Vec::kPacksswb, x0, x1);
        a.pmovmskb(Reg::rax, x0);
      } else if (op == IOp::I32x4Bitmask) {
        a.movmskps(Reg::rax, x0);
      } else {
        a.movmskpd(Reg::rax, x0);
      }
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<uint32_t> emit_simd_op(OpEmitter& e, IOp op) {
  const SimdFn fn = tables().run[size_t(op)];
  const SizeFn size_of = tables().size[size_t(op)];
  if (fn == nullptr || size_of == nullptr) return 0u;
  const uint32_t size = size_of(e.pc());
  if (inline_simd_enabled() && emit_inline(e, op)) return size;
  jit::Assembler& a = e.as();
  a.mov(jit::Size::k64, jit::Reg::rdi, kFpReg);
  a.mov_imm(jit::Size::k64, jit::Reg::rsi, reinterpret_cast<uint64_t>(e.pc()));
  a.mov(jit::Size::k64, jit::Reg::rdx, kMemBaseReg);
  a.mov(jit::Size::k64, jit::Reg::rcx, kMemSizeReg);
  e.call_trapping_helper(reinterpret_cast<const void*>(fn), HelperEffects::kPure);
  return size;
}

}  // namespace airwasm::baseline
