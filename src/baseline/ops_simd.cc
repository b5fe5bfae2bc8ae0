// baseline: the SIMD ops, translated inline into SSE4.1 code (emit_inline below: memory, splats, lanes,
// shuffles, integer and float lane arithmetic, compares, conversions, bitwise ops; docs/compiler.md,
// "SIMD"), each written to give exactly the interpreter's result: integer lanes have one right answer,
// and the float ones use the instructions of the interpreter's simd_x86.hh (addps, cmpps, minps for
// pmin, its min/max sequences, ...) so that even the NaN bits the spec leaves open agree (the
// differential fuzzer compares them). An op reads its vector operands with movdqu (legacy SSE needs
// 16-byte aligned memory operands, slots are 8-byte aligned), which the assembler turns into a register
// move when the v128 is held in an xmm register (Assembler::SlotRegister::vector); it computes in
// xmm0/xmm1 (and xmm15, the assembler's scratch, which no instruction of these sequences rewrites a slot
// through), or straight in a held destination, and writes the result with movdqu.
//
// Without SSE4.2 (pcmpgtq), the i64x2 signed compares are calls of out-of-line functions made from the
// interpreter's own SIMD handlers (src/interp/simd_handlers.inc is included twice here with other macro
// definitions), so both tiers share one implementation of them and cannot disagree on a lane; the same
// calls serve every op with AIRWASM_BASELINE_SIMD_CALLS=1.
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
  std::optional<uint8_t> imm = std::nullopt;  // the cmpps/cmppd predicate
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
  const jit::Mem first = e.slot(b.swap ? 2 : 1), second = e.slot(b.swap ? 1 : 2);
  // Computed straight in the destination's register when it is held (acc = acc + x: one instruction),
  // else in x0 and stored; with `invert` or an unsigned compare always in x0.
  const std::optional<Xmm> held =
      b.invert || b.unsigned_compare_eq ? std::nullopt : a.held_vector_register(e.slot(0));
  const Xmm dst = held.value_or(x0);
  if (b.unsigned_compare_eq) {
    a.movdqu(x0, e.slot(2));
    a.movdqu(x1, e.slot(1));
    a.vec(b.op, x0, x1);  // min or max of (a, b)
    a.vec(*b.unsigned_compare_eq, x0, x1);
  } else if (jit::Assembler::has_avx()) {
    // VEX: dst = op(first, second) without copying first; second straight from its slot or register.
    std::optional<Xmm> src1 = a.held_vector_register(first, /*writes=*/false);
    // `second` just stored from a register: keep that register (loading `first` would end the pairing)
    const std::optional<Xmm> src2 = src1 ? std::nullopt : a.vector_forwarded_from(second);
    if (!src1) {
      src1 = src2 == x0 ? x1 : x0;
      a.movdqu(*src1, first);
    }
    if (src2)
      a.vex(b.op, dst, *src1, *src2, b.imm);
    else
      a.vex(b.op, dst, *src1, second, b.imm);
  } else {
    // SSE: second into x1, first into dst, then dst = op(dst, x1). Second goes first when dst is held
    // (dst may be second's own register) or when it was just stored (to forward it while it still is).
    if (held || a.vector_forwarded_from(second).has_value()) {
      a.movdqu(x1, second);
      a.movdqu(dst, first);  // nothing when the first operand is the held destination
    } else {
      a.movdqu(x0, first);
      a.movdqu(x1, second);
    }
    a.vec(b.op, dst, x1, b.imm);
  }
  if (b.invert) {
    all_ones(a, x1);
    a.vec(Vec::kPxor, x0, x1);
  }
  if (!held) a.movdqu(e.slot(0), x0);
}

// [dst][a]: dst = op(a) by one instruction (abs, sqrt, low-half extends, a conversion). The interpreter
// computes i8/i16 abs as min_u(a, -a) / max_s(a, -a): the same lanes as pabs (abs(-128) stays -128).
struct Unary {
  Vec op;
  bool high_half = false;  // applied to the upper 8 bytes (moved down first)
};
std::optional<Unary> unary_of(IOp op) {
  switch (op) {
    case IOp::I8x16Abs:
      return Unary{Vec::kPabsb};
    case IOp::I16x8Abs:
      return Unary{Vec::kPabsw};
    case IOp::I32x4Abs:
      return Unary{Vec::kPabsd};
    case IOp::F32x4Sqrt:
      return Unary{Vec::kSqrtps};
    case IOp::F64x2Sqrt:
      return Unary{Vec::kSqrtpd};
    case IOp::F32x4ConvertI32x4S:
      return Unary{Vec::kCvtdq2ps};
    case IOp::I16x8ExtendLowI8x16S:
      return Unary{Vec::kPmovsxbw};
    case IOp::I16x8ExtendLowI8x16U:
      return Unary{Vec::kPmovzxbw};
    case IOp::I32x4ExtendLowI16x8S:
      return Unary{Vec::kPmovsxwd};
    case IOp::I32x4ExtendLowI16x8U:
      return Unary{Vec::kPmovzxwd};
    case IOp::I64x2ExtendLowI32x4S:
      return Unary{Vec::kPmovsxdq};
    case IOp::I64x2ExtendLowI32x4U:
      return Unary{Vec::kPmovzxdq};
    // the high-half extends: the upper 8 bytes moved down, then the low-half extend
    case IOp::I16x8ExtendHighI8x16S:
      return Unary{Vec::kPmovsxbw, true};
    case IOp::I16x8ExtendHighI8x16U:
      return Unary{Vec::kPmovzxbw, true};
    case IOp::I32x4ExtendHighI16x8S:
      return Unary{Vec::kPmovsxwd, true};
    case IOp::I32x4ExtendHighI16x8U:
      return Unary{Vec::kPmovzxwd, true};
    case IOp::I64x2ExtendHighI32x4S:
      return Unary{Vec::kPmovsxdq, true};
    case IOp::I64x2ExtendHighI32x4U:
      return Unary{Vec::kPmovzxdq, true};
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

bool has_sse42() {
  static const bool yes = __builtin_cpu_supports("sse4.2");
  return yes;
}

// x = the 32-bit (64-bit) `bits` in every lane, through rax.
void splat_constant32(jit::Assembler& a, Xmm x, uint32_t bits) {
  a.mov_imm(Size::k32, Reg::rax, bits);
  a.movd_to_xmm(Size::k32, x, Reg::rax);
  a.vec(Vec::kPshufd, x, x, 0);
}
void splat_constant64(jit::Assembler& a, Xmm x, uint64_t bits) {
  a.mov_imm(Size::k64, Reg::rax, bits);
  a.movd_to_xmm(Size::k64, x, Reg::rax);
  a.vec(Vec::kPunpcklqdq, x, x);
}

// The extended multiplies: which half, how each operand is widened, the multiply of the wide lanes
// (pmuldq/pmuludq multiply the low dwords of the 64-bit lanes, which hold the widened values).
struct ExtMul {
  bool high;
  Vec widen, multiply;
};
ExtMul extmul_of(IOp op) {
  switch (op) {
    case IOp::I16x8ExtmulLowI8x16S:
      return {false, Vec::kPmovsxbw, Vec::kPmullw};
    case IOp::I16x8ExtmulHighI8x16S:
      return {true, Vec::kPmovsxbw, Vec::kPmullw};
    case IOp::I16x8ExtmulLowI8x16U:
      return {false, Vec::kPmovzxbw, Vec::kPmullw};
    case IOp::I16x8ExtmulHighI8x16U:
      return {true, Vec::kPmovzxbw, Vec::kPmullw};
    case IOp::I32x4ExtmulLowI16x8S:
      return {false, Vec::kPmovsxwd, Vec::kPmulld};
    case IOp::I32x4ExtmulHighI16x8S:
      return {true, Vec::kPmovsxwd, Vec::kPmulld};
    case IOp::I32x4ExtmulLowI16x8U:
      return {false, Vec::kPmovzxwd, Vec::kPmulld};
    case IOp::I32x4ExtmulHighI16x8U:
      return {true, Vec::kPmovzxwd, Vec::kPmulld};
    case IOp::I64x2ExtmulLowI32x4S:
      return {false, Vec::kPmovsxdq, Vec::kPmuldq};
    case IOp::I64x2ExtmulHighI32x4S:
      return {true, Vec::kPmovsxdq, Vec::kPmuldq};
    case IOp::I64x2ExtmulLowI32x4U:
      return {false, Vec::kPmovzxdq, Vec::kPmuludq};
    default:
      return {true, Vec::kPmovzxdq, Vec::kPmuludq};  // I64x2ExtmulHighI32x4U
  }
}

// A lane of `w` bytes between linear memory and a general register (zero-extended).
void load_scalar(jit::Assembler& a, LaneBytes w, Reg dst, const jit::Mem& at) {
  switch (w) {
    case LaneBytes::k1:
      a.movzx8(dst, at);
      break;
    case LaneBytes::k2:
      a.movzx16(dst, at);
      break;
    case LaneBytes::k4:
      a.mov(Size::k32, dst, at);
      break;
    case LaneBytes::k8:
      a.mov(Size::k64, dst, at);
      break;
  }
}
void store_scalar(jit::Assembler& a, LaneBytes w, const jit::Mem& at, Reg src) {
  switch (w) {
    case LaneBytes::k1:
      a.store8(at, src);
      break;
    case LaneBytes::k2:
      a.store16(at, src);
      break;
    case LaneBytes::k4:
      a.mov(Size::k32, at, src);
      break;
    case LaneBytes::k8:
      a.mov(Size::k64, at, src);
      break;
  }
}

// The lane width of an extract_lane, replace_lane, load lane or store lane op.
LaneBytes lane_width(IOp op) {
  switch (op) {
    case IOp::I8x16ExtractLaneS:
    case IOp::I8x16ExtractLaneU:
    case IOp::I8x16ReplaceLane:
    case IOp::V128Load8Lane:
    case IOp::V128Store8Lane:
      return LaneBytes::k1;
    case IOp::I16x8ExtractLaneS:
    case IOp::I16x8ExtractLaneU:
    case IOp::I16x8ReplaceLane:
    case IOp::V128Load16Lane:
    case IOp::V128Store16Lane:
      return LaneBytes::k2;
    case IOp::I32x4ExtractLane:
    case IOp::F32x4ExtractLane:
    case IOp::I32x4ReplaceLane:
    case IOp::F32x4ReplaceLane:
    case IOp::V128Load32Lane:
    case IOp::V128Store32Lane:
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
  if (const std::optional<Unary> u = unary_of(op)) {
    a.movdqu(x1, e.slot(1));
    if (u->high_half) a.vec_shift(VecShiftImm::kPsrldq, x1, 8);
    a.vec(u->op, x0, x1);
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
    // extract [dst][vector][lane u8 at 16]: the vector into xmm0 (a register move when it is held), the
    // lane out with pextr* (the integer lanes sign-extended where asked)
    case IOp::I8x16ExtractLaneS:
    case IOp::I8x16ExtractLaneU:
    case IOp::I16x8ExtractLaneS:
    case IOp::I16x8ExtractLaneU:
    case IOp::I32x4ExtractLane:
    case IOp::I64x2ExtractLane:
    case IOp::F32x4ExtractLane:
    case IOp::F64x2ExtractLane: {
      const LaneBytes w = lane_width(op);
      a.movdqu(x0, e.slot(1));
      a.pextr(w, Reg::rax, x0, e.rd<uint8_t>(16) & (16 / uint8_t(w) - 1));
      if (op == IOp::I8x16ExtractLaneS) a.movsx8(Size::k32, Reg::rax, Reg::rax);
      if (op == IOp::I16x8ExtractLaneS) a.movsx16(Size::k32, Reg::rax, Reg::rax);
      a.mov(w == LaneBytes::k8 ? Size::k64 : Size::k32, e.slot(0),
            Reg::rax);  // into an xmm if the result is held there
      return true;
    }
    // replace [dst][vector][scalar][lane u8 at 20]: in a register (a 32-bit store into a frame slot is
    // widened to 64 bits, see Assembler::whole_frame_slot); the scalar is read first (dst may alias)
    case IOp::I8x16ReplaceLane:
    case IOp::I16x8ReplaceLane:
    case IOp::I32x4ReplaceLane:
    case IOp::F32x4ReplaceLane:
    case IOp::I64x2ReplaceLane:
    case IOp::F64x2ReplaceLane: {
      const LaneBytes w = lane_width(op);
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
    // rounding: roundps/roundpd give the interpreter's lanes bit for bit (its SSE2 sequence returns a
    // NaN quieted with its payload, as roundps does, and -0 for -0.5 ceil)
    case IOp::F32x4Ceil:
    case IOp::F32x4Floor:
    case IOp::F32x4Trunc:
    case IOp::F32x4Nearest:
    case IOp::F64x2Ceil:
    case IOp::F64x2Floor:
    case IOp::F64x2Trunc:
    case IOp::F64x2Nearest: {
      const bool f64 =
          op == IOp::F64x2Ceil || op == IOp::F64x2Floor || op == IOp::F64x2Trunc || op == IOp::F64x2Nearest;
      const jit::RoundMode mode = (op == IOp::F32x4Ceil || op == IOp::F64x2Ceil)     ? jit::RoundMode::kCeil
                                  : (op == IOp::F32x4Floor || op == IOp::F64x2Floor) ? jit::RoundMode::kFloor
                                  : (op == IOp::F32x4Trunc || op == IOp::F64x2Trunc)
                                      ? jit::RoundMode::kTrunc
                                      : jit::RoundMode::kNearest;
      a.movdqu(x1, e.slot(1));
      a.vec(f64 ? Vec::kRoundpd : Vec::kRoundps, x0, x1, uint8_t(mode));
      a.movdqu(e.slot(0), x0);
      return true;
    }
    // conversions the interpreter does with the same instruction
    case IOp::F32x4DemoteF64x2Zero:
    case IOp::F64x2PromoteLowF32x4:
    case IOp::F64x2ConvertLowI32x4S:
      a.movdqu(x1, e.slot(1));
      a.vec(op == IOp::F32x4DemoteF64x2Zero   ? Vec::kCvtpd2ps
            : op == IOp::F64x2PromoteLowF32x4 ? Vec::kCvtps2pd
                                              : Vec::kCvtdq2pd,
            x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::F32x4ConvertI32x4U:  // hi16 * 65536 + lo16: both exact, one rounding in the add
      a.movdqu(x0, e.slot(1));
      a.movaps(x1, x0);
      a.vec_shift(VecShiftImm::kPsrld, x0, 16);
      a.vec_shift(VecShiftImm::kPslld, x1, 16);
      a.vec_shift(VecShiftImm::kPsrld, x1, 16);
      a.vec(Vec::kCvtdq2ps, x0, x0);
      a.vec(Vec::kCvtdq2ps, x1, x1);
      splat_constant32(a, x15, 0x47800000u);  // 65536.0f
      a.vec(Vec::kMulps, x0, x15);
      a.vec(Vec::kAddps, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::F64x2ConvertLowI32x4U:  // (x - 2^31 as signed) + 2^31, exact
      a.movdqu(x0, e.slot(1));
      splat_constant32(a, x1, 0x80000000u);
      a.vec(Vec::kPxor, x0, x1);
      a.vec(Vec::kCvtdq2pd, x0, x0);
      splat_constant64(a, x1, 0x41E0000000000000ull);  // 2^31
      a.vec(Vec::kAddpd, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I32x4TruncSatF32x4S:  // NaN lanes to 0; cvttps2dq gives 0x80000000 out of range, flipped
      a.movdqu(x0, e.slot(1));      // to 0x7fffffff where x >= 2^31
      a.movaps(x1, x0);
      a.vec(Vec::kCmpps, x1, x0, 7);  // ordered
      a.vec(Vec::kPand, x0, x1);
      splat_constant32(a, x1, 0x4F000000u);  // 2^31
      a.vec(Vec::kCmpps, x1, x0, 2);         // 2^31 <= x
      a.vec(Vec::kCvttps2dq, x0, x0);
      a.vec(Vec::kPxor, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    // float min/max: the interpreter's sequences (both operand orders merged; NaN lanes canonical)
    case IOp::F32x4Min:
    case IOp::F64x2Min:
    case IOp::F32x4Max:
    case IOp::F64x2Max: {
      const bool f64 = op == IOp::F64x2Min || op == IOp::F64x2Max;
      const bool min = op == IOp::F32x4Min || op == IOp::F64x2Min;
      const Vec minmax = f64 ? (min ? Vec::kMinpd : Vec::kMaxpd) : (min ? Vec::kMinps : Vec::kMaxps);
      a.movdqu(x0, e.slot(2));
      a.movdqu(x1, e.slot(1));
      a.vec(minmax, x0, x1);  // t = op(b, a)
      a.movaps(x15, x1);
      a.movdqu(x1, e.slot(2));
      a.vec(minmax, x15, x1);  // u (min) or d (max) = op(a, b)
      if (min) {
        a.vec(Vec::kPor, x0, x15);                           // t |= u
        a.vec(f64 ? Vec::kCmppd : Vec::kCmpps, x15, x0, 3);  // nan = unord(u, t)
        a.vec(Vec::kPor, x0, x15);                           // t |= nan
      } else {
        a.vec(Vec::kPxor, x15, x0);                          // d ^= t
        a.vec(Vec::kPor, x0, x15);                           // t |= d
        a.vec(f64 ? Vec::kSubpd : Vec::kSubps, x0, x15);     // t -= d
        a.vec(f64 ? Vec::kCmppd : Vec::kCmpps, x15, x0, 3);  // nan = unord(d, t)
      }
      a.vec_shift(f64 ? VecShiftImm::kPsrlq : VecShiftImm::kPsrld, x15, f64 ? 13 : 10);
      a.vec(Vec::kPandn, x15, x0);  // ~nan & t
      a.movdqu(e.slot(0), x15);
      return true;
    }
    // extended multiplies: both operands widened (the high halves moved down first), then multiplied
    case IOp::I16x8ExtmulLowI8x16S:
    case IOp::I16x8ExtmulHighI8x16S:
    case IOp::I16x8ExtmulLowI8x16U:
    case IOp::I16x8ExtmulHighI8x16U:
    case IOp::I32x4ExtmulLowI16x8S:
    case IOp::I32x4ExtmulHighI16x8S:
    case IOp::I32x4ExtmulLowI16x8U:
    case IOp::I32x4ExtmulHighI16x8U:
    case IOp::I64x2ExtmulLowI32x4S:
    case IOp::I64x2ExtmulHighI32x4S:
    case IOp::I64x2ExtmulLowI32x4U:
    case IOp::I64x2ExtmulHighI32x4U: {
      const ExtMul m = extmul_of(op);
      for (auto [reg, operand] : {std::pair{x0, 1}, std::pair{x1, 2}}) {
        a.movdqu(reg, e.slot(operand));
        if (m.high) a.vec_shift(VecShiftImm::kPsrldq, reg, 8);
        a.vec(m.widen, reg, reg);
      }
      a.vec(m.multiply, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    }
    case IOp::I16x8ExtaddPairwiseI8x16S:  // pmaddubsw(ones as unsigned, a as signed)
    case IOp::I16x8ExtaddPairwiseI8x16U:  // pmaddubsw(a as unsigned, ones as signed)
      a.vec(Vec::kPcmpeqb, x1, x1);
      a.vec(Vec::kPabsb, x1, x1);  // 1 in every byte
      if (op == IOp::I16x8ExtaddPairwiseI8x16S) {
        a.movaps(x0, x1);
        a.movdqu(x1, e.slot(1));
      } else {
        a.movdqu(x0, e.slot(1));
      }
      a.vec(Vec::kPmaddubsw, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I32x4ExtaddPairwiseI16x8S:  // pmaddwd with 1 in every word
      a.movdqu(x0, e.slot(1));
      a.vec(Vec::kPcmpeqw, x1, x1);
      a.vec_shift(VecShiftImm::kPsrlw, x1, 15);
      a.vec(Vec::kPmaddwd, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I32x4ExtaddPairwiseI16x8U:  // (a & 0xffff) + (a >> 16) per dword
      a.movdqu(x0, e.slot(1));
      a.movaps(x1, x0);
      a.vec_shift(VecShiftImm::kPslld, x0, 16);
      a.vec_shift(VecShiftImm::kPsrld, x0, 16);
      a.vec_shift(VecShiftImm::kPsrld, x1, 16);
      a.vec(Vec::kPaddd, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I16x8Q15mulrSatS:  // pmulhrsw, then its one overflow (0x8000 * 0x8000 = 0x8000) to 0x7fff
      a.movdqu(x0, e.slot(1));
      a.movdqu(x1, e.slot(2));
      a.vec(Vec::kPmulhrsw, x0, x1);
      a.vec(Vec::kPcmpeqw, x1, x1);
      a.vec_shift(VecShiftImm::kPsllw, x1, 15);
      a.vec(Vec::kPcmpeqw, x1, x0);
      a.vec(Vec::kPxor, x0, x1);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I8x16Popcnt:  // the interpreter's bit-slicing sequence
      a.movdqu(x0, e.slot(1));
      a.movaps(x1, x0);
      a.vec_shift(VecShiftImm::kPsrlw, x1, 1);
      splat_constant32(a, x15, 0x55555555u);
      a.vec(Vec::kPand, x1, x15);
      a.vec(Vec::kPsubb, x0, x1);
      a.movaps(x1, x0);
      a.vec_shift(VecShiftImm::kPsrlw, x1, 2);
      splat_constant32(a, x15, 0x33333333u);
      a.vec(Vec::kPand, x1, x15);
      a.vec(Vec::kPand, x0, x15);
      a.vec(Vec::kPaddb, x0, x1);
      a.movaps(x1, x0);
      a.vec_shift(VecShiftImm::kPsrlw, x1, 4);
      a.vec(Vec::kPaddb, x0, x1);
      splat_constant32(a, x15, 0x0f0f0f0fu);
      a.vec(Vec::kPand, x0, x15);
      a.movdqu(e.slot(0), x0);
      return true;
    // byte shifts (SSE shifts words): shift the words, then clear the bits that crossed into the
    // neighbouring byte with a mask made by shifting all-ones the same way
    case IOp::I8x16Shl:
    case IOp::I8x16ShrU: {
      const bool left = op == IOp::I8x16Shl;
      a.mov(Size::k32, Reg::rcx, e.slot(2));
      a.alu(jit::Alu::kAnd, Size::k32, Reg::rcx, 7);
      a.movd_to_xmm(Size::k32, x1, Reg::rcx);
      a.movdqu(x0, e.slot(1));
      a.vec(left ? Vec::kPsllw : Vec::kPsrlw, x0, x1);
      all_ones(a, x15);
      a.vec(left ? Vec::kPsllw : Vec::kPsrlw, x15, x1);  // words 0xffff << s or >> s
      // the byte that was shifted within its word: byte 0 (left) or byte 1 (right), to every byte
      a.vec(Vec::kPxor, x1, x1);
      if (!left) {
        a.vec(Vec::kPcmpeqb, x1, x1);
        a.vec(Vec::kPabsb, x1, x1);
      }
      a.vec(Vec::kPshufb, x15, x1);
      a.vec(Vec::kPand, x0, x15);
      a.movdqu(e.slot(0), x0);
      return true;
    }
    case IOp::I8x16ShrS:  // bytes doubled into words, shifted by 8 + s, packed back with saturation
      a.mov(Size::k32, Reg::rcx, e.slot(2));
      a.alu(jit::Alu::kAnd, Size::k32, Reg::rcx, 7);
      a.alu(jit::Alu::kAdd, Size::k32, Reg::rcx, 8);
      a.movd_to_xmm(Size::k32, x1, Reg::rcx);
      a.movdqu(x0, e.slot(1));
      a.movaps(x15, x0);
      a.vec(Vec::kPunpcklbw, x0, x0);
      a.vec(Vec::kPunpckhbw, x15, x15);
      a.vec(Vec::kPsraw, x0, x1);
      a.vec(Vec::kPsraw, x15, x1);
      a.vec(Vec::kPacksswb, x0, x15);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I64x2ShrS:  // sign ^ ((a ^ sign) >>u s): no 64-bit arithmetic shift in SSE
      a.movdqu(x0, e.slot(1));
      a.movaps(x15, x0);
      a.vec_shift(VecShiftImm::kPsrad, x15, 31);
      a.vec(Vec::kPshufd, x15, x15, 0xf5);  // the high dwords' signs over each 64-bit lane
      a.vec(Vec::kPxor, x0, x15);
      a.mov(Size::k32, Reg::rcx, e.slot(2));
      a.alu(jit::Alu::kAnd, Size::k32, Reg::rcx, 63);
      a.movd_to_xmm(Size::k32, x1, Reg::rcx);
      a.vec(Vec::kPsrlq, x0, x1);
      a.vec(Vec::kPxor, x0, x15);
      a.movdqu(e.slot(0), x0);
      return true;
    // load lane [dst][addr][vector][offset][lane u8 at 24]; store lane [addr][vector][offset][lane at 20]
    case IOp::V128Load8Lane:
    case IOp::V128Load16Lane:
    case IOp::V128Load32Lane:
    case IOp::V128Load64Lane: {
      const LaneBytes w = lane_width(op);
      const jit::Mem at = memory_operand(e, 1, 3, uint32_t(w));
      load_scalar(a, w, Reg::rcx, at);
      a.movdqu(x0, e.slot(2));
      a.pinsr(w, x0, Reg::rcx, e.rd<uint8_t>(24) & (16 / uint8_t(w) - 1));
      a.movdqu(e.slot(0), x0);
      return true;
    }
    case IOp::V128Store8Lane:
    case IOp::V128Store16Lane:
    case IOp::V128Store32Lane:
    case IOp::V128Store64Lane: {
      const LaneBytes w = lane_width(op);
      const jit::Mem at = memory_operand(e, 0, 2, uint32_t(w));
      a.movdqu(x0, e.slot(1));
      a.pextr(w, Reg::rcx, x0, e.rd<uint8_t>(20) & (16 / uint8_t(w) - 1));
      store_scalar(a, w, at, Reg::rcx);
      return true;
    }
    case IOp::I64x2Abs:  // (a ^ sign) - sign
      a.movdqu(x0, e.slot(1));
      a.movaps(x15, x0);
      a.vec_shift(VecShiftImm::kPsrad, x15, 31);
      a.vec(Vec::kPshufd, x15, x15, 0xf5);  // the high dwords' signs over each 64-bit lane
      a.vec(Vec::kPxor, x0, x15);
      a.vec(Vec::kPsubq, x0, x15);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I64x2Mul:  // lo(a) lo(b) + ((hi(a) lo(b) + lo(a) hi(b)) << 32), with pmuludq
      a.movdqu(x0, e.slot(1));
      a.movdqu(x1, e.slot(2));
      a.movaps(x15, x1);
      a.vec_shift(VecShiftImm::kPsrlq, x15, 32);
      a.vec(Vec::kPmuludq, x15, x0);  // hi(b) lo(a)
      a.vec_shift(VecShiftImm::kPsrlq, x0, 32);
      a.vec(Vec::kPmuludq, x0, x1);  // hi(a) lo(b)
      a.vec(Vec::kPaddq, x15, x0);
      a.vec_shift(VecShiftImm::kPsllq, x15, 32);
      a.movdqu(x0, e.slot(1));
      a.vec(Vec::kPmuludq, x0, x1);  // lo(a) lo(b)
      a.vec(Vec::kPaddq, x0, x15);
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I64x2GtS:
    case IOp::I64x2LtS:
    case IOp::I64x2LeS:
    case IOp::I64x2GeS:  // pcmpgtq is SSE4.2, which the compiler does not require: else a handler call
      if (!has_sse42()) return false;
      emit_binary(e, Binary{Vec::kPcmpgtq, op == IOp::I64x2LtS || op == IOp::I64x2GeS,
                            op == IOp::I64x2LeS || op == IOp::I64x2GeS});
      return true;
    // saturating truncations: integer results, so any exact sequence gives the interpreter's lanes
    case IOp::I32x4TruncSatF32x4U:  // lo = cvtt(x), hi = cvtt(x - 2^31) where x >= 2^31, all-ones >= 2^32
      a.movdqu(x0, e.slot(1));
      a.vec(Vec::kPxor, x1, x1);
      a.vec(Vec::kMaxps, x0, x1);             // NaN and negative lanes to 0
      splat_constant32(a, x15, 0x4F000000u);  // 2^31
      a.movaps(x1, x0);
      a.vec(Vec::kSubps, x1, x15);
      a.vec(Vec::kCvttps2dq, x1, x1);
      a.vec(Vec::kCmpps, x15, x0, 2);  // 2^31 <= x
      a.vec(Vec::kPand, x1, x15);
      a.movaps(x15, x0);
      a.vec(Vec::kCvttps2dq, x15, x15);
      a.vec(Vec::kPaddd, x1, x15);
      splat_constant32(a, x15, 0x4F800000u);  // 2^32
      a.vec(Vec::kCmpps, x15, x0, 2);         // 2^32 <= x
      a.vec(Vec::kPor, x1, x15);
      a.movdqu(e.slot(0), x1);
      return true;
    case IOp::I32x4TruncSatF64x2SZero:  // NaN lanes to 0, clamped above; cvttpd2dq gives INT32_MIN below
      a.movdqu(x0, e.slot(1));
      a.movaps(x1, x0);
      a.vec(Vec::kCmppd, x1, x0, 7);  // ordered
      a.vec(Vec::kPand, x0, x1);
      splat_constant64(a, x1, 0x41DFFFFFFFC00000ull);  // 2147483647.0
      a.vec(Vec::kMinpd, x0, x1);
      a.vec(Vec::kCvttpd2dq, x0, x0);  // the upper two lanes zero
      a.movdqu(e.slot(0), x0);
      return true;
    case IOp::I32x4TruncSatF64x2UZero: {  // clamped to [0, 2^32 - 1], truncated with the 2^52 trick
      a.movdqu(x0, e.slot(1));
      a.vec(Vec::kPxor, x1, x1);
      a.vec(Vec::kMaxpd, x0, x1);
      splat_constant64(a, x1, 0x41EFFFFFFFE00000ull);  // 4294967295.0
      a.vec(Vec::kMinpd, x0, x1);
      splat_constant64(a, x15, 0x4330000000000000ull);  // 2^52
      a.movaps(x1, x0);
      a.vec(Vec::kAddpd, x1, x15);
      a.vec(Vec::kSubpd, x1, x15);  // n = x rounded to nearest
      a.movaps(x15, x0);
      a.vec(Vec::kCmppd, x15, x1, 1);                  // x < n: n was rounded up
      splat_constant64(a, x0, 0x3FF0000000000000ull);  // 1.0
      a.vec(Vec::kPand, x15, x0);
      a.vec(Vec::kSubpd, x1, x15);
      splat_constant64(a, x15, 0x4330000000000000ull);
      a.vec(Vec::kAddpd, x1, x15);        // the integer in the low 32 bits of each lane
      a.vec(Vec::kPshufd, x1, x1, 0xd8);  // dwords 0 and 2 to lanes 0 and 1
      a.vec_shift(VecShiftImm::kPslldq, x1, 8);
      a.vec_shift(VecShiftImm::kPsrldq, x1, 8);  // the upper two lanes zero
      a.movdqu(e.slot(0), x1);
      return true;
    }
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
