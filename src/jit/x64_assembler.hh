// jit: an x86-64 assembler for the baseline compiler: encodes instructions (legacy prefix, REX, opcode,
// ModRM, SIB, displacement, immediate) into a byte vector, with labels for jumps and calls whose
// forward references are patched when the label is bound. Covers the integer forms a Wasm baseline
// compiler needs (32/64-bit ALU, moves and extending loads, shifts, multiply/divide, compares,
// setcc/cmovcc, bit counts) and the SSE2/SSE4.1 scalar float forms. Operands are typed (Reg, Xmm, Mem),
// so an invalid combination does not compile; a Mem with rsp as index is rejected by assert (the
// encoding does not exist). Encodings are checked against binutils' objdump in tests/unit/jit.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace airwasm::jit {

// General-purpose registers, numbered as in the encoding (bit 3 goes into REX).
enum class Reg : uint8_t { rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15 };
enum class Xmm : uint8_t {
  xmm0,
  xmm1,
  xmm2,
  xmm3,
  xmm4,
  xmm5,
  xmm6,
  xmm7,
  xmm8,
  xmm9,
  xmm10,
  xmm11,
  xmm12,
  xmm13,
  xmm14,
  xmm15
};

// Operand size of an integer instruction.
enum class Size : uint8_t { k32, k64 };

// Condition codes, numbered as in the encoding (Jcc = 0F 80+cc, SETcc = 0F 90+cc, CMOVcc = 0F 40+cc).
enum class Cond : uint8_t {
  kO,
  kNO,
  kB,
  kAE,
  kE,
  kNE,
  kBE,
  kA,
  kS,
  kNS,
  kP,
  kNP,
  kL,
  kGE,
  kLE,
  kG,
};
constexpr Cond negate(Cond c) {
  return Cond(uint8_t(c) ^ 1);
}

// A memory operand [base + index*scale + disp]; base and index are optional (absolute disp32 without both).
struct Mem {
  static constexpr uint8_t kNoReg = 0xff;
  uint8_t base = kNoReg;
  uint8_t index = kNoReg;
  uint8_t scale = 1;  // 1, 2, 4 or 8
  int32_t disp = 0;
};
inline Mem mem(Reg base, int32_t disp = 0) {
  return Mem{uint8_t(base), Mem::kNoReg, 1, disp};
}
inline Mem mem(Reg base, Reg index, uint8_t scale, int32_t disp = 0) {
  assert(index != Reg::rsp && "rsp cannot be an index register");
  assert(scale == 1 || scale == 2 || scale == 4 || scale == 8);
  return Mem{uint8_t(base), uint8_t(index), scale, disp};
}
inline Mem mem_index(Reg index, uint8_t scale, int32_t disp = 0) {  // [index*scale + disp32], no base
  assert(index != Reg::rsp && "rsp cannot be an index register");
  return Mem{Mem::kNoReg, uint8_t(index), scale, disp};
}

// The two-operand integer ALU group (its /digit in opcodes 80-83 and its row in 00-3F).
enum class Alu : uint8_t { kAdd = 0, kOr = 1, kAdc = 2, kSbb = 3, kAnd = 4, kSub = 5, kXor = 6, kCmp = 7 };
// Shifts and rotates (the /digit of C1/D3).
enum class Shift : uint8_t { kRol = 0, kRor = 1, kShl = 4, kShr = 5, kSar = 7 };
// One-operand group 3 (F7 /digit).
enum class Unary : uint8_t { kNot = 2, kNeg = 3, kMul = 4, kImul = 5, kDiv = 6, kIdiv = 7 };
// Scalar SSE arithmetic (the second opcode byte after 0F; F3 prefix: single, F2: double).
enum class SseOp : uint8_t {
  kSqrt = 0x51,
  kAdd = 0x58,
  kMul = 0x59,
  kSub = 0x5c,
  kMin = 0x5d,
  kDiv = 0x5e,
  kMax = 0x5f
};
// Packed bitwise SSE (0F 54..57; 66 prefix: the pd forms), used for float abs/neg/copysign.
enum class SseLogic : uint8_t { kAnd = 0x54, kAndn = 0x55, kOr = 0x56, kXor = 0x57 };
// Float precision of a scalar SSE instruction.
enum class Fp : uint8_t { kF32, kF64 };
// roundss/roundsd immediate: the rounding mode, with the precision exception suppressed (bit 3).
enum class RoundMode : uint8_t { kNearest = 8, kFloor = 9, kCeil = 10, kTrunc = 11 };

// Packed SSE instructions (SSE2 to SSE4.1) between xmm registers, for the SIMD ops: the value is the
// encoding, mandatory prefix (0, 0x66, 0xF3) << 16 | opcode map (0 for 0F, 0x38 for 0F 38, 0x3A for
// 0F 3A) << 8 | opcode. Legacy SSE requires 16-byte alignment of a memory operand (frame slots have 8),
// so these take registers only; vector values move with movdqu.
constexpr uint32_t vec_encoding(uint8_t prefix, uint8_t map, uint8_t op) {
  return uint32_t(prefix) << 16 | uint32_t(map) << 8 | op;
}
enum class Vec : uint32_t {
  // integer lanes (66 0F xx unless noted)
  kPaddb = vec_encoding(0x66, 0, 0xfc),
  kPaddw = vec_encoding(0x66, 0, 0xfd),
  kPaddd = vec_encoding(0x66, 0, 0xfe),
  kPaddq = vec_encoding(0x66, 0, 0xd4),
  kPsubb = vec_encoding(0x66, 0, 0xf8),
  kPsubw = vec_encoding(0x66, 0, 0xf9),
  kPsubd = vec_encoding(0x66, 0, 0xfa),
  kPsubq = vec_encoding(0x66, 0, 0xfb),
  kPaddsb = vec_encoding(0x66, 0, 0xec),
  kPaddsw = vec_encoding(0x66, 0, 0xed),
  kPaddusb = vec_encoding(0x66, 0, 0xdc),
  kPaddusw = vec_encoding(0x66, 0, 0xdd),
  kPsubsb = vec_encoding(0x66, 0, 0xe8),
  kPsubsw = vec_encoding(0x66, 0, 0xe9),
  kPsubusb = vec_encoding(0x66, 0, 0xd8),
  kPsubusw = vec_encoding(0x66, 0, 0xd9),
  kPmullw = vec_encoding(0x66, 0, 0xd5),
  kPmulld = vec_encoding(0x66, 0x38, 0x40),
  kPmaddwd = vec_encoding(0x66, 0, 0xf5),
  kPand = vec_encoding(0x66, 0, 0xdb),
  kPandn = vec_encoding(0x66, 0, 0xdf),
  kPor = vec_encoding(0x66, 0, 0xeb),
  kPxor = vec_encoding(0x66, 0, 0xef),
  kPminub = vec_encoding(0x66, 0, 0xda),
  kPmaxub = vec_encoding(0x66, 0, 0xde),
  kPminsw = vec_encoding(0x66, 0, 0xea),
  kPmaxsw = vec_encoding(0x66, 0, 0xee),
  kPminsb = vec_encoding(0x66, 0x38, 0x38),
  kPmaxsb = vec_encoding(0x66, 0x38, 0x3c),
  kPminuw = vec_encoding(0x66, 0x38, 0x3a),
  kPmaxuw = vec_encoding(0x66, 0x38, 0x3e),
  kPminsd = vec_encoding(0x66, 0x38, 0x39),
  kPmaxsd = vec_encoding(0x66, 0x38, 0x3d),
  kPminud = vec_encoding(0x66, 0x38, 0x3b),
  kPmaxud = vec_encoding(0x66, 0x38, 0x3f),
  kPavgb = vec_encoding(0x66, 0, 0xe0),
  kPavgw = vec_encoding(0x66, 0, 0xe3),
  kPcmpeqb = vec_encoding(0x66, 0, 0x74),
  kPcmpeqw = vec_encoding(0x66, 0, 0x75),
  kPcmpeqd = vec_encoding(0x66, 0, 0x76),
  kPcmpeqq = vec_encoding(0x66, 0x38, 0x29),
  kPcmpgtb = vec_encoding(0x66, 0, 0x64),
  kPcmpgtw = vec_encoding(0x66, 0, 0x65),
  kPcmpgtd = vec_encoding(0x66, 0, 0x66),
  kPabsb = vec_encoding(0x66, 0x38, 0x1c),
  kPabsw = vec_encoding(0x66, 0x38, 0x1d),
  kPabsd = vec_encoding(0x66, 0x38, 0x1e),
  kPshufb = vec_encoding(0x66, 0x38, 0x00),
  kPtest = vec_encoding(0x66, 0x38, 0x17),
  kPacksswb = vec_encoding(0x66, 0, 0x63),
  kPackuswb = vec_encoding(0x66, 0, 0x67),
  kPackssdw = vec_encoding(0x66, 0, 0x6b),
  kPackusdw = vec_encoding(0x66, 0x38, 0x2b),
  kPunpcklbw = vec_encoding(0x66, 0, 0x60),
  kPunpcklqdq = vec_encoding(0x66, 0, 0x6c),
  kPmovsxbw = vec_encoding(0x66, 0x38, 0x20),
  kPmovsxwd = vec_encoding(0x66, 0x38, 0x23),
  kPmovsxdq = vec_encoding(0x66, 0x38, 0x25),
  kPmovzxbw = vec_encoding(0x66, 0x38, 0x30),
  kPmovzxwd = vec_encoding(0x66, 0x38, 0x33),
  kPmovzxdq = vec_encoding(0x66, 0x38, 0x35),
  // shifts of every lane by the count in the low 64 bits of the source register
  kPsllw = vec_encoding(0x66, 0, 0xf1),
  kPslld = vec_encoding(0x66, 0, 0xf2),
  kPsllq = vec_encoding(0x66, 0, 0xf3),
  kPsrlw = vec_encoding(0x66, 0, 0xd1),
  kPsrld = vec_encoding(0x66, 0, 0xd2),
  kPsrlq = vec_encoding(0x66, 0, 0xd3),
  kPsraw = vec_encoding(0x66, 0, 0xe1),
  kPsrad = vec_encoding(0x66, 0, 0xe2),
  // with an immediate (the vec form with imm8)
  kPshufd = vec_encoding(0x66, 0, 0x70),
  kPshuflw = vec_encoding(0xf2, 0, 0x70),
  // float lanes (no prefix: ps, 66: pd)
  kAddps = vec_encoding(0, 0, 0x58),
  kAddpd = vec_encoding(0x66, 0, 0x58),
  kSubps = vec_encoding(0, 0, 0x5c),
  kSubpd = vec_encoding(0x66, 0, 0x5c),
  kMulps = vec_encoding(0, 0, 0x59),
  kMulpd = vec_encoding(0x66, 0, 0x59),
  kDivps = vec_encoding(0, 0, 0x5e),
  kDivpd = vec_encoding(0x66, 0, 0x5e),
  kSqrtps = vec_encoding(0, 0, 0x51),
  kSqrtpd = vec_encoding(0x66, 0, 0x51),
  kMinps = vec_encoding(0, 0, 0x5d),
  kMinpd = vec_encoding(0x66, 0, 0x5d),
  kMaxps = vec_encoding(0, 0, 0x5f),
  kMaxpd = vec_encoding(0x66, 0, 0x5f),
  kCmpps = vec_encoding(0, 0, 0xc2),
  kCmppd = vec_encoding(0x66, 0, 0xc2),  // imm8: the predicate
  kCvtdq2ps = vec_encoding(0, 0, 0x5b),
  kCvttps2dq = vec_encoding(0xf3, 0, 0x5b),
  kCvtdq2pd = vec_encoding(0xf3, 0, 0xe6),
  kCvtps2pd = vec_encoding(0, 0, 0x5a),
  kCvtpd2ps = vec_encoding(0x66, 0, 0x5a),
  kRoundps = vec_encoding(0x66, 0x3a, 0x08),  // imm8: RoundMode
  kRoundpd = vec_encoding(0x66, 0x3a, 0x09),
  kPunpckhbw = vec_encoding(0x66, 0, 0x68),
  kPmaddubsw = vec_encoding(0x66, 0x38, 0x04),
  kPmulhrsw = vec_encoding(0x66, 0x38, 0x0b),
  kPmuldq = vec_encoding(0x66, 0x38, 0x28),
  kPmuludq = vec_encoding(0x66, 0, 0xf4),
  kCvttpd2dq = vec_encoding(0x66, 0, 0xe6),
  kPcmpgtq = vec_encoding(0x66, 0x38, 0x37),  // SSE4.2
};
// Shifts by an immediate (66 0F 71/72/73 /digit ib): opcode << 8 | digit.
enum class VecShiftImm : uint16_t {
  kPsrlw = 0x7102,
  kPsraw = 0x7104,
  kPsllw = 0x7106,
  kPsrld = 0x7202,
  kPsrad = 0x7204,
  kPslld = 0x7206,
  kPsrlq = 0x7302,
  kPsrldq = 0x7303,
  kPslldq = 0x7307,
  kPsllq = 0x7306,  // psrldq shifts the whole register by bytes
};
// The lane width of pinsr*/pextr* (SSE4.1).
enum class LaneBytes : uint8_t { k1 = 1, k2 = 2, k4 = 4, k8 = 8 };

// A jump target. Created by Assembler::new_label, placed by bind; jumps to it may come before or after.
struct Label {
  uint32_t id = ~uint32_t{0};
};

class Assembler {
 public:
  std::span<const uint8_t> code() const { return {buf_.get(), size_}; }
  size_t size() const { return size_; }
  // True once every label that was jumped to has been bound (the code is complete).
  bool all_labels_bound() const;
  // A position to go back to: rollback drops the code emitted and the labels created since, and the
  // pending references of older labels from the dropped code (a function the compiler gave up on).
  struct Checkpoint {
    size_t size = 0;
    size_t labels = 0;
  };
  Checkpoint checkpoint() const { return {size_, labels_.size()}; }
  void rollback(Checkpoint c);

  // ---- labels and control flow ----
  Label new_label();
  void bind(Label l);  // the label is the current position
  // A label already bound at an earlier position `offset` (a target found after its code was emitted).
  Label label_at(uint32_t offset);
  uint32_t label_offset(Label l) const { return labels_[l.id].offset; }
  void jmp(Label l);          // E9 rel32 (EB rel8 backwards when it fits)
  void jcc(Cond c, Label l);  // 0F 80+cc rel32 (70+cc rel8 backwards when it fits)
  void jmp_near(Label l);     // always E9 rel32 (5 bytes): entries of jump tables
  void call(Label l);         // E8 rel32
  // dst = the address of label l (lea dst, [rip + rel32]): code addresses without knowing where the code
  // will be published (the rel32 is patched like a jump's when l is bound).
  void lea_label(Reg dst, Label l);
  // A 32-bit field (data, e.g. a jump table's entry) holding l - (the field's end), as a rel32 operand.
  void rel32_to(Label l);
  void jmp(Reg target);
  void jmp(const Mem& target);  // FF /4: jump to the address stored at target
  void call(Reg target);
  void call(const Mem& target);  // FF /2: call the address stored at target
  void ret();
  void push(Reg r);
  void pop(Reg r);
  void ud2();
  void int3();
  void nop();

  // ---- integer moves ----
  void mov(Size s, Reg dst, Reg src);
  void mov(Size s, Reg dst, const Mem& src);
  void mov(Size s, const Mem& dst, Reg src);
  // dst = imm: 32-bit: mov r32, imm32 (zero-extends); 64-bit: the shortest of mov r32 (imm < 2^32),
  // sign-extended mov r/m64 imm32, movabs imm64.
  void mov_imm(Size s, Reg dst, uint64_t imm);
  void mov_imm(Size s, const Mem& dst, int32_t imm);  // C7 /0; 64-bit sign-extends imm
  void store8(const Mem& dst, Reg src);
  void store16(const Mem& dst, Reg src);
  void movzx8(Reg dst, const Mem& src);  // 32-bit destination (zero-extends to 64)
  void movzx16(Reg dst, const Mem& src);
  void movzx8(Reg dst, Reg src);
  void movsx8(Size s, Reg dst, const Mem& src);
  void movsx16(Size s, Reg dst, const Mem& src);
  void movsx8(Size s, Reg dst, Reg src);
  void movsx16(Size s, Reg dst, Reg src);
  void movsxd(Reg dst, const Mem& src);  // 64 <- sign-extended 32
  void movsxd(Reg dst, Reg src);
  void lea(Size s, Reg dst, const Mem& src);

  // ---- integer arithmetic ----
  void alu(Alu op, Size s, Reg dst, Reg src);
  void alu(Alu op, Size s, Reg dst, const Mem& src);
  void alu(Alu op, Size s, const Mem& dst, Reg src);
  void alu(Alu op, Size s, Reg dst, int32_t imm);  // 83 /op ib when imm fits in a byte, else 81 /op id
  void alu(Alu op, Size s, const Mem& dst, int32_t imm);
  void add(Size s, Reg dst, Reg src) { alu(Alu::kAdd, s, dst, src); }
  void sub(Size s, Reg dst, Reg src) { alu(Alu::kSub, s, dst, src); }
  void cmp(Size s, Reg a, Reg b) { alu(Alu::kCmp, s, a, b); }
  void xor_(Size s, Reg dst, Reg src) { alu(Alu::kXor, s, dst, src); }
  void test(Size s, Reg a, Reg b);
  void test(Size s, Reg a, int32_t imm);
  void shift(Shift op, Size s, Reg dst);  // by cl
  void shift(Shift op, Size s, Reg dst, uint8_t count);
  // bts / btr with an immediate bit number (0F BA /5, /6 ib): set or clear one bit of a 64-bit operand.
  void bit_set(Reg dst, uint8_t bit);
  void bit_reset(const Mem& dst, uint8_t bit);
  void unary(Unary op, Size s, Reg r);  // not/neg r; mul/imul/div/idiv rdx:rax by r
  void unary(Unary op, Size s, const Mem& m);
  void imul(Size s, Reg dst, Reg src);
  void imul(Size s, Reg dst, const Mem& src);
  void imul(Size s, Reg dst, Reg src, int32_t imm);
  void cdq_cqo(Size s);         // sign-extends eax/rax into edx/rdx before idiv
  void setcc(Cond c, Reg dst);  // the low byte of dst
  void cmovcc(Cond c, Size s, Reg dst, Reg src);
  void cmovcc(Cond c, Size s, Reg dst, const Mem& src);
  void lzcnt(Size s, Reg dst, Reg src);
  void tzcnt(Size s, Reg dst, Reg src);
  void popcnt(Size s, Reg dst, Reg src);
  void bswap(Size s, Reg r);

  // ---- scalar floating point (SSE2, SSE4.1 for round) ----
  void movs(Fp p, Xmm dst, Xmm src);  // movss/movsd register form (merges the low element)
  void movs(Fp p, Xmm dst, const Mem& src);
  void movs(Fp p, const Mem& dst, Xmm src);
  void movaps(Xmm dst, Xmm src);
  void sse(SseOp op, Fp p, Xmm dst, Xmm src);  // addss/addsd, ...
  void sse(SseOp op, Fp p, Xmm dst, const Mem& src);
  void sse_logic(SseLogic op, Fp p, Xmm dst, Xmm src);  // andps/andpd, ...
  void ucomis(Fp p, Xmm a, Xmm b);
  void ucomis(Fp p, Xmm a, const Mem& b);
  void rounds(Fp p, Xmm dst, Xmm src, RoundMode mode);
  void cvtsi2s(Fp p, Size s, Xmm dst, Reg src);   // int -> float (signed)
  void cvtts2si(Fp p, Size s, Reg dst, Xmm src);  // float -> int, truncating
  void cvts2s(Fp to, Xmm dst, Xmm src);           // cvtss2sd (to f64) / cvtsd2ss (to f32)
  void movd_to_xmm(Size s, Xmm dst, Reg src);     // movd/movq xmm, r
  void movd_from_xmm(Size s, Reg dst, Xmm src);   // movd/movq r, xmm

  // ---- packed SSE (the SIMD ops) ----
  // `imm`: the immediate of pshufd, pshuflw, roundps/pd, cmpps/pd (none for the others).
  void vec(Vec op, Xmm dst, Xmm src, std::optional<uint8_t> imm = std::nullopt);
  void vec_shift(VecShiftImm op, Xmm dst, uint8_t count);
  // Unaligned 16-byte moves. A frame slot operand is never rewritten into a held register: its 8-byte
  // slots count as addressed in part (so they are not chosen to be held), and when one of them is held
  // the instruction is emitted against memory and flags slot_register_violation() (see below).
  void movdqu(Xmm dst, const Mem& src);
  void movdqu(const Mem& dst, Xmm src);
  void movq_load(Xmm dst, const Mem& src);  // F3 0F 7E: the low 8 bytes, the upper lanes zeroed
  void movd_load(Xmm dst, const Mem& src);  // 66 0F 6E: the low 4 bytes, the upper lanes zeroed
  // pinsrb/w/d/q xmm, r32/r64, lane and pextrb/w/d/q r32/r64, xmm, lane (zero-extending).
  void pinsr(LaneBytes w, Xmm dst, Reg src, uint8_t lane);
  void pextr(LaneBytes w, Reg dst, Xmm src, uint8_t lane);
  // The VEX.128 (AVX) form of `op`: dst = op(src1, src2), non-destructive, and a memory src2 needs no
  // alignment. A frame slot src2 is rewritten like movdqu's (a held v128's register; the register just
  // stored into it). Only where has_avx(); the result's upper 128 bits are zeroed (no SSE/AVX transition
  // penalty: nothing here writes 256-bit registers).
  static bool has_avx();
  void vex(Vec op, Xmm dst, Xmm src1, Xmm src2, std::optional<uint8_t> imm = std::nullopt);
  void vex(Vec op, Xmm dst, Xmm src1, const Mem& src2, std::optional<uint8_t> imm = std::nullopt);
  void pmovmskb(Reg dst, Xmm src);
  void movmskps(Reg dst, Xmm src);
  void movmskpd(Reg dst, Xmm src);

  // Writes `bytes` verbatim (e.g. constants placed after the code).
  void emit_bytes(std::span<const uint8_t> bytes) {
    if (!bytes.empty()) std::memcpy(grow(bytes.size()), bytes.data(), bytes.size());
  }

  // ---- frame slots held in registers (the baseline compiler's register cache) ----
  // The baseline compiler's code addresses every wasm value as a frame slot, a memory operand
  // [slot_base + disp]. For the slots given to set_slot_registers (8-byte slots at disp, 0 <= disp < limit),
  // every such operand is rewritten here into the register holding the slot: the same integer instruction
  // with a register operand (ModRM mod=11 encodes the same operation), and for the scalar SSE forms movd/movq
  // between register classes or the register form. A slot may live in a general register or in an xmm
  // register; an integer instruction reading an xmm-held slot goes through r11, an SSE instruction reading a
  // general-register slot through xmm15 (both reserved for this). What cannot be rewritten (lea of such a
  // slot, a part of a slot, an integer read-modify-write of an xmm-held slot, a byte/word store into one)
  // is emitted unchanged against memory and sets slot_register_violation(), so that the caller can emit the
  // instruction's op again with the registers spilled. With counting on, accesses to slots below `limit`
  // are counted per slot (integer and SSE separately, and whether a part of a slot was addressed), and
  // the assembler runs dry: it emits nothing (the size stays, labels bind at the current position, jumps
  // record no reference), so that counting costs the translator's walk but not the encoding. Roll back
  // to a checkpoint taken before configure_slots once the dry run is over (its labels are garbage).
  struct SlotRegister {
    int32_t disp;
    bool xmm;             // an xmm register (else a general one)
    uint8_t reg;          // Reg or Xmm number
    bool vector = false;  // a v128 in an xmm register: the slots at disp and disp + 8
    bool operator==(const SlotRegister&) const = default;
  };
  struct SlotCounts {
    uint64_t integer = 0, sse = 0;  // weighted (set_count_weight)
    uint64_t neutral = 0;           // by instructions that only move bits (set_count_neutral)
    uint64_t vector = 0;            // 16-byte accesses starting at this slot (movdqu)
    bool vector_tail = false;       // the second half of a 16-byte access
    bool partial = false;
  };
  // `regions`: how many sets of counts to keep (set_count_region chooses the one accesses go to: the
  // baseline compiler counts each loop's accesses apart, to choose registers per loop).
  void configure_slots(Reg base, int32_t limit, bool counting, size_t regions = 1);
  // Stops rewriting and counting (the counts stay readable).
  void end_slots() {
    slot_limit_ = 0;
    slot_counting_ = false;
    dry_run_ = false;
    slot_regs_.clear();
  }
  // Call after configure_slots: every slot must lie below its limit.
  void set_slot_registers(std::vector<SlotRegister> slots);
  const std::vector<SlotRegister>& slot_registers() const { return slot_regs_; }
  void pause_slot_registers(bool paused) { slots_paused_ = paused; }
  bool slot_registers_paused() const { return slots_paused_; }
  bool slot_register_violation() const { return slot_violation_; }
  void clear_slot_register_violation() { slot_violation_ = false; }
  const std::vector<SlotCounts>& slot_counts(size_t region = 0) const { return slot_counts_[region]; }
  // Moves the counts out (one vector per region); slot_counts() is empty until the next configure_slots.
  std::vector<std::vector<SlotCounts>> take_slot_counts() { return std::move(slot_counts_); }
  // Counts the accesses from here on into `region` (< the configured count).
  void set_count_region(size_t region) { count_region_ = region; }
  // What each access counts from here on (the caller weights accesses inside loops).
  void set_count_weight(uint32_t weight) { count_weight_ = weight; }
  // Counts the accesses from here on as neither integer nor SSE ones: instructions that only move bits
  // (copies, constants, selects) say nothing about which register class suits the value.
  void set_count_neutral(bool neutral) { count_neutral_ = neutral; }
  // Which held slots may differ from their frame slots: bit i for slot_registers()[i], set by every
  // access that writes the register (rewritten operands of writing instructions, and the registers handed
  // out by held_general_register / held_vector_register for writing). A read leaves the bit alone: the
  // register still holds what the slot holds. The baseline compiler clears the bits when registers and
  // slots agree (after a spill or a reload) and, where paths join, sets those written on any of them; a
  // spill then stores only the registers written since (a local only read between two calls costs no
  // store at either).
  uint32_t written_slot_registers() const { return written_slots_; }
  // The general register holding the whole frame slot `m` names (not paused), else nullopt: an op family
  // may then compute straight into it (`mov r, a; add r, b` rather than through rax). With `writes`,
  // counts as writing it, since the caller is about to write it with a register operand the rewriting
  // never sees (false: the caller only reads it, as a source operand); a part of a slot is no register's
  // (and is not flagged: the caller addresses it no more).
  std::optional<Reg> held_general_register(const Mem& m, bool writes = true) {
    if (m.disp % 8 != 0) return std::nullopt;
    const SlotRegister* held = held_slot(m, false, writes ? Access::kWrite : Access::kRead, /*count=*/false);
    if (held == nullptr || held->xmm) return std::nullopt;
    return Reg(held->reg);
  }
  // The xmm register holding the whole v128 at frame slot `m` (SlotRegister::vector, not paused), else
  // nullopt: a SIMD op may compute straight in it. With `writes`, counts as writing it.
  std::optional<Xmm> held_vector_register(const Mem& m, bool writes = true) {
    if (m.base != slot_base_ || m.index != Mem::kNoReg || m.disp < 0 || m.disp % 8 != 0 ||
        m.disp + 16 > slot_limit_ || slots_paused_ || slot_regs_.empty())
      return std::nullopt;
    const int8_t held = slot_reg_index_[size_t(m.disp) / 8];
    if (held < 0 || !slot_regs_[size_t(held)].vector || slot_regs_[size_t(held)].disp != m.disp)
      return std::nullopt;
    if (writes) written_slots_ |= 1u << held;
    return Xmm(slot_regs_[size_t(held)].reg);
  }
  void set_written_slot_registers(uint32_t bits) { written_slots_ = bits; }
  // Store-to-load forwarding of frame slots: a load of a frame slot (mov r, [slot]; alu r, [slot];
  // imul r, [slot]) emitted right after a 64-bit store of a register to the same slot, nothing in
  // between, reads that register instead: the value is the same and the CPU's store forwarding costs
  // about five cycles on the critical path (an op's result stored to an operand-stack slot and read by
  // the next op). The store stays (the slot may be read again). Code can only reach the load other than
  // from the store through a label, so bind() ends the pairing; so does end_store_forwarding(), which
  // the baseline compiler calls at instruction starts that a jump can reach without a label of this
  // assembler (resume points, loop headers found with label_at).
  // The same holds for a vector (movdqu) store into a frame slot and a movdqu load of it right after:
  // the load becomes a register move, or nothing when it names the stored register.
  void end_store_forwarding() {
    last_slot_store_.end = kNoStore;
    last_vector_store_.end = kNoStore;
  }
  // The register a movdqu load of frame slot `m` emitted now would be forwarded from, if any (an op may
  // then load that operand first, or use the register).
  std::optional<Xmm> vector_forwarded_from(const Mem& m) const { return forwarded_vector(m); }
  static constexpr Reg kSlotScratch = Reg::r11;  // reserved while slots are held in registers
  static constexpr Xmm kSlotScratchXmm = Xmm::xmm15;

 private:
  enum class Access : uint8_t { kRead, kWrite, kAddress };
  // The register holding the slot that `m` names, or null (not a held slot, or paused); counts the
  // access, flags a partial one and notes a write (any access but kRead) in written_slot_registers.
  const SlotRegister* held_slot(const Mem& m, bool sse, Access access, bool count = true) {
    // Inline: most operands are not frame slots below the limit (memory accesses, runtime structures).
    if (m.base != slot_base_ || m.index != Mem::kNoReg || m.disp < 0 || m.disp >= slot_limit_) return nullptr;
    return held_slot_of_frame(m, sse, access, count);
  }
  const SlotRegister* held_slot_of_frame(const Mem& m, bool sse, Access access, bool count);
  uint32_t written_slots_ = ~0u;
  // The last 64-bit store of a register into a frame slot (end: the code size after it; kNoStore: none).
  static constexpr uint32_t kNoStore = ~uint32_t{0};
  struct SlotStore {
    uint32_t end = kNoStore;
    int32_t disp = 0;
    Reg reg = Reg::rax;
  } last_slot_store_;
  struct VectorStore {
    uint32_t end = kNoStore;
    int32_t disp = 0;
    Xmm reg = Xmm::xmm0;
  } last_vector_store_;
  std::optional<Xmm> forwarded_vector(const Mem& m) const {
    if (last_vector_store_.end != size_ || dry_run_ || m.base != slot_base_ || m.index != Mem::kNoReg ||
        m.disp != last_vector_store_.disp)
      return std::nullopt;
    return last_vector_store_.reg;
  }
  // The register just stored into the frame slot `m` (see end_store_forwarding), if any.
  std::optional<Reg> forwarded_slot(const Mem& m) const {
    if (last_slot_store_.end != size_ || dry_run_ || m.base != slot_base_ || m.index != Mem::kNoReg ||
        m.disp != last_slot_store_.disp)
      return std::nullopt;
    return last_slot_store_.reg;
  }
  // True when `m` is a whole frame slot (configure_slots). A 32-bit value stored there is stored as 64
  // bits: the upper half of an i32/f32 slot is don't-care (as in the interpreter), and a copy that then
  // reads the slot with 64 bits (local.set / tee, results, arguments: the lowering's copies do not know
  // the type) must not follow a narrower store, which the CPU cannot forward (a stall of about 12 cycles
  // per copy: mem_sort spent 40% of its time there).
  bool whole_frame_slot(const Mem& m) const {
    return m.base == slot_base_ && m.index == Mem::kNoReg && m.disp >= 0 && m.disp < slot_limit_ &&
           m.disp % 8 == 0;
  }
  // An r/m operand: a register number or a memory operand.
  struct RM {
    bool is_reg;
    uint8_t reg;
    Mem mem;
  };
  static RM rm(Reg r) { return RM{true, uint8_t(r), {}}; }
  static RM rm(Xmm r) { return RM{true, uint8_t(r), {}}; }
  // A memory operand, rewritten into the register that holds it when it names a held frame slot.
  RM rm(const Mem& m, Access access = Access::kRead) {
    const SlotRegister* held = held_slot(m, false, access);
    if (held == nullptr) return RM{false, 0, m};
    return rm_held(m, held, access);
  }
  RM rm_held(const Mem& m, const SlotRegister* held, Access access);
  // A memory operand of `bytes` bytes read or written as a whole by a vector instruction (see movdqu).
  RM vector_rm(const Mem& m, int32_t bytes, Access access);
  // A v128 source operand: vector_rm, then, if it stayed in memory, the register just stored into that
  // frame slot (store forwarding).
  RM vector_source(const Mem& m) {
    const RM operand = vector_rm(m, 16, Access::kRead);  // counts and checks the slots even when forwarded
    if (operand.is_reg) return operand;
    if (const std::optional<Xmm> stored = forwarded_vector(m)) return rm(*stored);
    return operand;
  }
  // [VEX prefix] opcode ModRM [SIB] [disp] for a Vec with the second source `vvvv`.
  void emit_vex(Vec op, uint8_t reg, uint8_t vvvv, const RM& operand);
  // Emits [prefix] [REX] opcode ModRM [SIB] [disp]: `reg` is the ModRM reg field (a register or a /digit).
  // byte_operands: which operands are 8-bit registers (spl/bpl/sil/dil need a REX, even an empty one).
  static constexpr uint8_t kByteReg = 1, kByteRm = 2;
  void emit_op(uint8_t prefix, bool rex_w, std::span<const uint8_t> opcode, uint8_t reg, const RM& operand,
               uint8_t byte_operands = 0);
  // Writes ModRM [SIB] [disp] at p; returns the end.
  static uint8_t* emit_modrm(uint8_t* p, uint8_t reg, const RM& operand);
  // Room for n more bytes at the end of the code, which now counts them: the caller writes them all.
  // The buffer is kept larger than the code, so the common case is a compare and an add.
  // In a dry run the bytes are written past the end and not counted.
  uint8_t* grow(size_t n) {
    if (capacity_ - size_ < n) [[unlikely]]
      reserve_more(n);
    uint8_t* p = buf_.get() + size_;
    if (!dry_run_) [[likely]]
      size_ += n;
    return p;
  }
  void reserve_more(size_t n);
  void put8(uint8_t b) { *grow(1) = b; }
  void put32(uint32_t v) { std::memcpy(grow(4), &v, 4); }
  // The immediate of an opcode chosen by fits_i8(imm): one sign-extended byte, else four.
  void put_imm8_or_32(int32_t imm) {
    if (imm >= -128 && imm <= 127)
      put8(uint8_t(int8_t(imm)));
    else
      put32(uint32_t(imm));
  }
  void put64(uint64_t v) { std::memcpy(grow(8), &v, 8); }
  void patch32(size_t at, uint32_t v);
  void jump_to(Label l, uint8_t short_op, std::span<const uint8_t> near_op);

  static constexpr uint32_t kNone = ~uint32_t{0};
  struct LabelState {
    uint32_t offset = kNone;  // unbound until set
    uint32_t fixups = kNone;  // the newest of its waiting references (index into fixups_), or none
  };
  // A rel32 field waiting for its label: the references of one label form a list, newest first, in one
  // pool for all labels (a vector per label cost an allocation per forward jump). Fields grow with the
  // pool index (code is appended), which rollback relies on.
  struct Fixup {
    uint32_t field;  // code position of the rel32
    uint32_t next;   // the label's previous reference, or kNone
  };
  void add_fixup(LabelState& s, uint32_t label_id);
  // The code is the first size_ bytes of buf_; the rest, up to capacity_, is room to grow, left
  // uninitialized (a vector would zero it first: megabytes per module written twice).
  std::unique_ptr<uint8_t[]> buf_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  std::vector<LabelState> labels_;
  std::vector<Fixup> fixups_;
  // Labels that got a forward reference while unbound (some may be bound since): what rollback must look
  // at, instead of every label of a whole module's code.
  std::vector<uint32_t> labels_with_fixups_;
  std::vector<std::pair<uint32_t, uint32_t>> bind_log_;  // (label, offset) of every bind, in code order
  uint8_t slot_base_ = Mem::kNoReg;
  int32_t slot_limit_ = 0;
  bool slot_counting_ = false;
  bool dry_run_ = false;  // counting: emit nothing (see configure_slots)
  uint32_t count_weight_ = 1;
  bool count_neutral_ = false;
  bool slots_paused_ = false;
  bool slot_violation_ = false;
  std::vector<SlotRegister> slot_regs_;
  std::vector<int8_t> slot_reg_index_;  // per 8-byte slot below the limit: its index in slot_regs_, or -1
  std::vector<std::vector<SlotCounts>> slot_counts_;  // per region (configure_slots)
  size_t count_region_ = 0;
  std::vector<SlotCounts>& counts() { return slot_counts_[count_region_]; }
};

}  // namespace airwasm::jit
