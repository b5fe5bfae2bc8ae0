// baseline: the integer, float and SIMD op families (src/baseline/ops_integer.cc, ops_float.cc,
// ops_simd.cc) against the interpreter, op by op. Each op is translated alone into a small native function
// running on a frame of slots, and the same lowered instruction (followed by ReturnOp) is run by the
// interpreter on an identical frame. Compared: every byte of the frame afterwards (results bit for bit, NaN
// payloads included, and no write outside the destination) and the trap code. Operands are drawn from a pool
// of special values (integer limits, shift counts, signed zeros, infinities, quiet and signalling NaNs with
// payloads, conversion boundaries) and random bits, in all pairs for binary ops, with the destination also
// aliasing each operand, as the lowering may do.
#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "baseline/emitter.hh"
#include "interp/exec.hh"
#include "interp/iop.hh"
#include "jit/exec_memory.hh"

namespace airwasm::baseline {
namespace {

using interp::IOp;
using jit::Assembler;
using jit::Cond;
using jit::Fp;
using jit::Label;
using jit::Reg;

const char* const kOpNames[] = {
#define AIRWASM_OP(name, code, text, imm, sig, arg) #name,
#include "wasm/opcodes.def"
#undef AIRWASM_OP
#define AIRWASM_IOP(name) #name,
#include "interp/iops.def"
#undef AIRWASM_IOP
};

// An OpEmitter for one instruction in a function `uint32_t f(uint64_t* fp)` returning 0, or the trap code
// + 1.
class TestEmitter : public OpEmitter {
 public:
  TestEmitter(Assembler& a, const uint8_t* pc) {
    as_ = &a;
    pc_ = pc;
  }
  void trap_if(Cond c, TrapCode code) override {
    Label l = as_->new_label();
    as_->jcc(c, l);
    stubs_.push_back({l, code});
  }
  void trap(TrapCode code) override {
    Label l = as_->new_label();
    as_->jmp(l);
    stubs_.push_back({l, code});
  }
  void call_helper(const void* fn, HelperEffects) override {
    as_->mov_imm(jit::Size::k64, Reg::rax, reinterpret_cast<uint64_t>(fn));
    as_->call(Reg::rax);
  }
  void call_trapping_helper(const void* fn, HelperEffects effects) override {
    call_helper(fn, effects);
    as_->test(jit::Size::k32, Reg::rax, Reg::rax);
    as_->jcc(Cond::kNE, exit_);
  }
  void select_memory(uint32_t) override { ADD_FAILURE() << "select_memory in a numeric op"; }
  void restore_memory0() override { ADD_FAILURE() << "restore_memory0 in a numeric op"; }

  // The pinned registers other than fp hold sentinels while the op runs; the function returns
  // kClobbered if the op changed one (ops may use only the scratch registers).
  static constexpr Reg kPinned[] = {kCtxReg, kInstReg, kMemSizeReg, kMemBaseReg, kFuelReg};
  static constexpr uint32_t kClobbered = 0xdead;
  static uint64_t sentinel(Reg r) { return 0x5e7e1000000000ull + uint64_t(r); }

  void prologue() {
    exit_ = as_->new_label();
    for (Reg r : kPinned) as_->push(r);
    as_->push(kFpReg);  // 6 pushes after the return address: the stack is aligned for helper calls
    as_->mov(jit::Size::k64, kFpReg, Reg::rdi);
    for (Reg r : kPinned) as_->mov_imm(jit::Size::k64, r, sentinel(r));
  }
  void epilogue() {
    Label clobbered = as_->new_label();
    for (Reg r : kPinned) {
      as_->mov_imm(jit::Size::k64, Reg::rax, sentinel(r));
      as_->cmp(jit::Size::k64, r, Reg::rax);
      as_->jcc(Cond::kNE, clobbered);
    }
    as_->mov_imm(jit::Size::k32, Reg::rax, 0);
    as_->bind(exit_);
    as_->pop(kFpReg);
    for (int i = int(std::size(kPinned)) - 1; i >= 0; --i) as_->pop(kPinned[i]);
    as_->ret();
    as_->bind(clobbered);
    as_->mov_imm(jit::Size::k32, Reg::rax, kClobbered);
    as_->jmp(exit_);
    for (const Stub& s : stubs_) {
      as_->bind(s.label);
      as_->mov_imm(jit::Size::k32, Reg::rax, uint32_t(s.code) + 1);
      as_->jmp(exit_);
    }
  }

 private:
  struct Stub {
    Label label;
    TrapCode code;
  };
  std::vector<Stub> stubs_;
  Label exit_;
};

// The operand layout of an op (iops.def): slots are operands 0 (dst), 1, 2, 3; immediates as noted.
enum class Shape {
  kUnary,     // [dst][a]                          16
  kBinary,    // [dst][a][b]                       20
  kImm32,     // [dst][a][imm32]                   20
  kImm64,     // [dst][a][imm64 at byte 16]        24
  kTernary,   // [dst][a][b][c]                    24 (fused float ops, selects: c = cond)
  kConst32,   // [dst][imm32]                      16
  kConst64,   // [dst][imm64 at byte 12]           20
  kConst128,  // [dst][16 bytes at byte 12]        28
  kLea,       // [dst][a][b][shift][disp]          28
};
struct OpInfo {
  Shape shape;
  uint32_t size;
};

bool between(IOp op, IOp first, IOp last) {
  return uint32_t(op) >= uint32_t(first) && uint32_t(op) <= uint32_t(last);
}

// The layout of every op the two families translate, from iops.def and the interpreter's handlers (not
// from the translator, whose sizes are checked against it).
OpInfo info_of(IOp op) {
  if (between(op, IOp::I32AddI, IOp::I32GeUI)) return {Shape::kImm32, 20};
  if (between(op, IOp::F32AddI, IOp::F32GeI)) return {Shape::kImm32, 20};
  if (between(op, IOp::I64AddI, IOp::I64GeUI) || between(op, IOp::F64AddI, IOp::F64GeI))
    return {Shape::kImm64, 24};
  if (between(op, IOp::F32MulAdd, IOp::F64SubMul) || op == IOp::Select8 || op == IOp::Select16)
    return {Shape::kTernary, 24};
  switch (op) {
    case IOp::Const32:
      return {Shape::kConst32, 16};
    case IOp::Const64:
      return {Shape::kConst64, 20};
    case IOp::Const128:
      return {Shape::kConst128, 28};
    case IOp::I32Lea:
      return {Shape::kLea, 28};
    case IOp::I32Eqz:
    case IOp::I64Eqz:
    case IOp::Copy8:
    case IOp::Copy16:
    case IOp::RefIsNull:
      return {Shape::kUnary, 16};
    default:
      break;
  }
  const bool unary = between(op, IOp::I32Clz, IOp::I32Popcnt) || between(op, IOp::I64Clz, IOp::I64Popcnt) ||
                     between(op, IOp::F32Abs, IOp::F32Sqrt) || between(op, IOp::F64Abs, IOp::F64Sqrt) ||
                     between(op, IOp::I32WrapI64, IOp::I64Extend32S) ||
                     between(op, IOp::I32TruncSatF32S, IOp::I64TruncSatF64U);
  return unary ? OpInfo{Shape::kUnary, 16} : OpInfo{Shape::kBinary, 20};
}

// The ops the tests expect the two families to translate.
std::vector<IOp> expected_ops() {
  std::vector<IOp> ops;
  auto range = [&](IOp first, IOp last) {
    for (uint32_t i = uint32_t(first); i <= uint32_t(last); ++i) ops.push_back(IOp(i));
  };
  range(IOp::I32Eqz, IOp::F64Copysign);  // compares, bit counts, arithmetic of the four types
  range(IOp::I32WrapI64, IOp::I64Extend32S);
  range(IOp::I32TruncSatF32S, IOp::I64TruncSatF64U);
  range(IOp::I32AddI, IOp::I64GeUI);
  range(IOp::F32AddI, IOp::F64GeI);
  range(IOp::F32MulAdd, IOp::F64SubMul);
  for (IOp op : {IOp::Copy8, IOp::Copy16, IOp::Const32, IOp::Const64, IOp::Const128, IOp::Select8,
                 IOp::Select16, IOp::I32Lea, IOp::RefIsNull})
    ops.push_back(op);
  return ops;
}

// Values for operands and immediates: integers in both widths, f32 bits (with garbage above, which 32-bit
// ops must ignore) and f64 bits, then random bits.
std::vector<uint64_t> value_pool(size_t random_count) {
  std::vector<uint64_t> v;
  for (uint64_t x : {0ull,
                     1ull,
                     2ull,
                     3ull,
                     5ull,
                     7ull,
                     31ull,
                     32ull,
                     33ull,
                     63ull,
                     64ull,
                     65ull,
                     0x7full,
                     0x80ull,
                     0xffull,
                     0x7fffull,
                     0x8000ull,
                     0xffffull,
                     0x7fffffffull,
                     0x80000000ull,
                     0xffffffffull,
                     0x100000000ull,
                     0x7fffffffffffffffull,
                     0x8000000000000000ull,
                     0xffffffffffffffffull,
                     0xfffffffffffffffeull,
                     0xffffffff80000000ull,
                     0x123456789abcdef0ull,
                     0xdeadbeef00000000ull})
    v.push_back(x);
  const float floats[] = {0.0f,
                          -0.0f,
                          1.0f,
                          -1.0f,
                          0.5f,
                          -0.5f,
                          1.5f,
                          2.5f,
                          -2.5f,
                          3.5f,
                          0.9999999f,
                          -0.9999999f,
                          1e-45f,
                          -1e-45f,
                          1.17549435e-38f,
                          3.4028235e38f,
                          -3.4028235e38f,
                          2147483520.0f,
                          2147483648.0f,
                          -2147483648.0f,
                          -2147483904.0f,
                          4294967040.0f,
                          4294967296.0f,
                          9.2233715e18f,
                          9223372036854775808.0f,
                          -9223372036854775808.0f,
                          -9.223373e18f,
                          1.8446743e19f,
                          18446744073709551616.0f,
                          8388608.5f,
                          16777217.0f,
                          0.49999997f,
                          -0.49999997f};
  for (float f : floats) v.push_back(0xa5a5a5a500000000ull | std::bit_cast<uint32_t>(f));
  const double doubles[] = {0.0,
                            -0.0,
                            1.0,
                            -1.0,
                            0.5,
                            -0.5,
                            1.5,
                            2.5,
                            -2.5,
                            0.49999999999999994,
                            4.9e-324,
                            2.2250738585072014e-308,
                            1.7976931348623157e308,
                            -1.7976931348623157e308,
                            2147483647.0,
                            2147483647.9,
                            2147483648.0,
                            -2147483648.0,
                            -2147483648.9,
                            -2147483649.0,
                            4294967295.0,
                            4294967295.9,
                            4294967296.0,
                            -0.9999999999,
                            9223372036854774784.0,
                            9223372036854775808.0,
                            -9223372036854775808.0,
                            -9223372036854777856.0,
                            18446744073709549568.0,
                            18446744073709551616.0,
                            4503599627370496.5,
                            1e300,
                            3.4028235677973366e38,
                            1.401298464324817e-45,
                            7.006492321624085e-46};
  for (double d : doubles) v.push_back(std::bit_cast<uint64_t>(d));
  // infinities and NaNs: f32 in the low half, f64; quiet and signalling, both signs, with payloads
  for (uint32_t f : {0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc00000u, 0x7fa00001u, 0xff812345u,
                     0x7fc0beefu, 0xffffffffu, 0x7f800001u})
    v.push_back(0x5a5a5a5a00000000ull | f);
  for (uint64_t d :
       {0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
        0x7ff4000000000001ull, 0xfff0000012345678ull, 0x7ff8dead0000beefull, 0x7ff0000000000001ull,
        0xffffffffffffffffull, 0x7ff00000e0000000ull})
    v.push_back(d);
  std::mt19937_64 rng(15);
  for (size_t i = 0; i < random_count; ++i) {
    const uint64_t r = rng();
    switch (i % 4) {
      case 0:  // any bits
        v.push_back(r);
        break;
      case 1:  // a small float of either precision (exponent near 0: in range of the conversions)
        v.push_back(i % 8 == 1 ? (r & 0x807fffffull) | (uint64_t(120 + r % 40) << 23)
                               : (r & 0x800fffffffffffffull) | (uint64_t(1010 + (r >> 52) % 60) << 52));
        break;
      case 2:  // an integer with the top bit set (u64 -> float rounding)
        v.push_back(r | 0x8000000000000000ull);
        break;
      default:  // a short integer
        v.push_back(r >> (r % 64));
        break;
    }
  }
  return v;
}

constexpr uint32_t kDst = 0, kA = 16, kB = 32, kC = 48;  // slot byte offsets (16 apart: room for v128)
constexpr size_t kFrameWords = 10;

// One lowered instruction of `op` with the given slots and immediates, followed by ReturnOp.
std::vector<uint8_t> instruction(IOp op, const OpInfo& info, uint32_t dst, uint64_t imm, uint64_t imm2) {
  std::vector<uint8_t> code(info.size + 8, 0);
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(code.data() + at, &v, 4); };
  auto put64 = [&](size_t at, uint64_t v) { std::memcpy(code.data() + at, &v, 8); };
  const void* h = interp::handler(op);
  std::memcpy(code.data(), &h, 8);
  put32(8, dst);
  switch (info.shape) {
    case Shape::kUnary:
      put32(12, kA);
      break;
    case Shape::kBinary:
      put32(12, kA);
      put32(16, kB);
      break;
    case Shape::kImm32:
      put32(12, kA);
      put32(16, uint32_t(imm));
      break;
    case Shape::kImm64:
      put32(12, kA);
      put64(16, imm);
      break;
    case Shape::kTernary:
      put32(12, kA);
      put32(16, kB);
      put32(20, kC);
      break;
    case Shape::kConst32:
      put32(12, uint32_t(imm));
      break;
    case Shape::kConst64:
      put64(12, imm);
      break;
    case Shape::kConst128:
      put64(12, imm);
      put64(20, imm2);
      break;
    case Shape::kLea:
      put32(12, kA);
      put32(16, kB);
      put32(20, uint32_t(imm % 6));  // the shifts the lowering folds (scaled indexes and beyond)
      put32(24, uint32_t(imm2));
      break;
  }
  const void* ret = interp::handler(IOp::ReturnOp);
  std::memcpy(code.data() + info.size, &ret, 8);
  return code;
}

struct Compiled {
  jit::ExecutableCode code;
  uint32_t (*fn)(uint64_t*) = nullptr;
};

// Publishes the assembled function into `out`.
bool publish(const Assembler& a, Compiled& out) {
  auto code = jit::publish_code(a.code());
  if (!code) {
    ADD_FAILURE() << code.error().message;
    return false;
  }
  out.code = std::move(*code);
  out.fn = out.code.entry<uint32_t(uint64_t*)>();
  return true;
}

// Translates the instruction; fails the test if the family does not take it or gets its size wrong.
bool compile(IOp op, const std::vector<uint8_t>& ins, uint32_t expected_size, Compiled& out) {
  Assembler a;
  TestEmitter e(a, ins.data());
  e.prologue();
  Result<uint32_t> size = emit_integer_op(e, op);
  if (size && *size == 0) size = emit_float_op(e, op);
  if (!size) {
    ADD_FAILURE() << kOpNames[size_t(op)] << ": " << size.error().message;
    return false;
  }
  if (*size != expected_size) {
    ADD_FAILURE() << kOpNames[size_t(op)] << ": size " << *size << ", the interpreter's is " << expected_size;
    return false;
  }
  e.epilogue();
  EXPECT_TRUE(a.all_labels_bound());
  return publish(a, out);
}

// The interpreter on the same frame: 0, or the trap code + 1.
uint32_t interpret(const std::vector<uint8_t>& ins, uint64_t* frame) {
  static interp::InstanceData instance;
  static std::atomic<uint32_t> interrupt{0};
  interp::ExecContext ctx;
  interp::Frame frames[1];
  frames[0] = interp::Frame{nullptr, nullptr, frame, &instance};
  ctx.frames_begin = frames;
  ctx.frame_top = frames + 1;
  ctx.frames_end = frames + 1;
  ctx.pc = ins.data();
  ctx.fp = frame;
  ctx.instance = &instance;
  ctx.interrupt = &interrupt;
  const interp::RunStatus status = interp::run(ctx);
  return status == interp::RunStatus::kTrap ? uint32_t(ctx.trap) + 1 : 0;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Runs both tiers on one frame; reports the first few differences of an op.
class Checker {
 public:
  Checker(IOp op, uint32_t dst, const std::vector<uint8_t>& ins, const Compiled& c)
      : op_(op), dst_(dst), ins_(ins), c_(c) {}
  void run(const uint64_t (&initial)[kFrameWords]) {
    uint64_t native[kFrameWords], interp[kFrameWords];
    std::memcpy(native, initial, sizeof native);
    std::memcpy(interp, initial, sizeof interp);
    const uint32_t native_trap = c_.fn(native);
    const uint32_t interp_trap = interpret(ins_, interp);
    ++runs_;
    if (native_trap == interp_trap && std::memcmp(native, interp, sizeof native) == 0) return;
    if (++failures_ > 5) return;
    std::string msg = std::string(kOpNames[size_t(op_)]) + ": trap " + std::to_string(native_trap) +
                      " (interpreter " + std::to_string(interp_trap) + ")\n";
    for (size_t i = 0; i < kFrameWords; ++i)
      msg += "  slot " + std::to_string(i * 8) + ": in " + hex(initial[i]) + " native " + hex(native[i]) +
             " interp " + hex(interp[i]) + (native[i] != interp[i] ? "  <--" : "") + "\n";
    ADD_FAILURE() << msg;
  }
  uint64_t runs() const { return runs_; }

 private:
  IOp op_;
  uint32_t dst_;
  const std::vector<uint8_t>& ins_;
  const Compiled& c_;
  uint64_t runs_ = 0;
  int failures_ = 0;
};

void fill(uint64_t (&frame)[kFrameWords], uint64_t a, uint64_t b, uint64_t c) {
  for (size_t i = 0; i < kFrameWords; ++i) frame[i] = 0x0123456789abcdefull * (i + 1);
  frame[kA / 8] = a;
  frame[kA / 8 + 1] = ~a;
  frame[kB / 8] = b;
  frame[kB / 8 + 1] = b * 3;
  frame[kC / 8] = c;
  frame[kC / 8 + 1] = c ^ 0x5555;
}

// Every op with all operand combinations of `pool` (binary ops: all pairs; ternary: pairs with a third
// operand from a shorter list), the destination separate and aliasing each operand.
void check_op(IOp op, const std::vector<uint64_t>& pool, const std::vector<uint64_t>& unary_pool,
              uint64_t& total_runs) {
  const OpInfo info = info_of(op);
  const std::vector<uint64_t> thirds = {0, 1, 0x100000000ull, pool[40], pool[70], pool[100], pool[110]};
  std::vector<uint32_t> dsts = {kDst, kA};
  if (info.shape == Shape::kBinary || info.shape == Shape::kTernary || info.shape == Shape::kLea)
    dsts.push_back(kB);
  if (info.shape == Shape::kTernary) dsts.push_back(kC);
  const bool has_imm = info.shape == Shape::kImm32 || info.shape == Shape::kImm64 ||
                       info.shape == Shape::kConst32 || info.shape == Shape::kConst64 ||
                       info.shape == Shape::kConst128 || info.shape == Shape::kLea;
  const std::vector<uint64_t> no_imm = {0};
  const std::vector<uint64_t>& imms = has_imm ? pool : no_imm;
  for (uint32_t dst : dsts) {
    if (info.shape == Shape::kConst32 || info.shape == Shape::kConst64 || info.shape == Shape::kConst128) {
      if (dst != kDst) continue;
    }
    for (size_t ii = 0; ii < imms.size(); ++ii) {
      const uint64_t imm = imms[ii], imm2 = pool[(ii * 7 + 3) % pool.size()];
      const std::vector<uint8_t> ins = instruction(op, info, dst, imm, imm2);
      Compiled c;
      if (!compile(op, ins, info.size, c)) return;
      Checker check(op, dst, ins, c);
      uint64_t frame[kFrameWords];
      switch (info.shape) {
        case Shape::kConst32:
        case Shape::kConst64:
        case Shape::kConst128:
          fill(frame, 1, 2, 3);
          check.run(frame);
          break;
        case Shape::kUnary:
        case Shape::kImm32:
        case Shape::kImm64:
          for (uint64_t a : has_imm ? std::vector<uint64_t>(pool.begin(), pool.begin() + 140) : unary_pool) {
            fill(frame, a, 0, 0);
            check.run(frame);
          }
          break;
        case Shape::kBinary:
        case Shape::kLea:
          for (size_t i = 0; i < (has_imm ? 40 : pool.size()); ++i)
            for (size_t j = 0; j < (has_imm ? 40 : pool.size()); ++j) {
              fill(frame, pool[(i * 13 + ii) % pool.size()], pool[j], 0);
              check.run(frame);
            }
          break;
        case Shape::kTernary:
          for (uint64_t a : pool)
            for (size_t j = 0; j < pool.size(); j += 3)
              for (uint64_t c3 : thirds) {
                fill(frame, a, pool[j], c3);
                check.run(frame);
              }
          break;
      }
      total_runs += check.runs();
    }
  }
}

TEST(BaselineOps, FamiliesClaimExactlyTheirOps) {
  // Every op of the two families is translated (none kUnsupported); no other op is claimed.
  std::vector<bool> expected(interp::kIOpCount, false);
  for (IOp op : expected_ops()) expected[size_t(op)] = true;
  std::vector<uint8_t> zeros(64, 0);
  for (size_t i = 0; i < interp::kIOpCount; ++i) {
    const IOp op = IOp(i);
    Assembler a;
    TestEmitter e(a, zeros.data());
    e.prologue();
    Result<uint32_t> in = emit_integer_op(e, op);
    Result<uint32_t> fl = emit_float_op(e, op);
    ASSERT_TRUE(in) << kOpNames[i];
    ASSERT_TRUE(fl) << kOpNames[i];
    EXPECT_FALSE(*in && *fl) << kOpNames[i] << " claimed by both families";
    EXPECT_EQ(*in != 0 || *fl != 0, expected[i]) << kOpNames[i];
  }
}

class BaselineOpsAgainstInterpreter : public ::testing::TestWithParam<IOp> {};

TEST_P(BaselineOpsAgainstInterpreter, SameFrameAndTrap) {
  const IOp op = GetParam();
  ASSERT_TRUE(interp::iop_implemented(op));
  static const std::vector<uint64_t> pool = value_pool(60);
  static const std::vector<uint64_t> unary_pool = value_pool(20000);  // the same start, more random bits
  uint64_t runs = 0;
  check_op(op, pool, unary_pool, runs);
  EXPECT_GT(runs, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllOps, BaselineOpsAgainstInterpreter, ::testing::ValuesIn(expected_ops()),
                         [](const ::testing::TestParamInfo<IOp>& p) {
                           return std::string(kOpNames[size_t(p.param)]);
                         });

// ---- the SIMD ops (src/baseline/ops_simd.cc): the lane ops of simd_ops.def and the lane extracts,
// replaces and shuffles, each alone against the interpreter as above, on frames of random lanes mixed
// with special lane values (signed/unsigned limits, zeros, float NaNs with payloads, infinities, values
// near the conversion limits), the destination separate and aliasing each operand. ----
enum class SimdKind { kUn, kBin, kTern, kShift, kTest, kSplat32, kSplat64, kExtract, kReplace, kShuffle };
// Result: Int lanes compare bit for bit; F32 / F64 lanes too, except that where both tiers give a NaN
// any NaN is accepted: with two NaN operands the spec allows either's (the differential fuzzer feeds
// only NaNs whose bits are the same whichever is chosen), and which one the interpreter's intrinsics
// propagate depends on how the C++ compiler ordered the operands of a commutative instruction.
enum class SimdResult { kInt, kF32, kF64 };
struct SimdOp {
  IOp op;
  SimdKind kind;
  SimdResult result = SimdResult::kInt;
};
std::vector<SimdOp> simd_ops() {
  std::vector<SimdOp> ops = {
#define AIRWASM_SIMD_OP(name, fn, kind, result) {IOp::name, SimdKind::k##kind, SimdResult::k##result},
#include "interp/simd_ops.def"
#undef AIRWASM_SIMD_OP
  };
  for (IOp op :
       {IOp::I8x16ExtractLaneS, IOp::I8x16ExtractLaneU, IOp::I16x8ExtractLaneS, IOp::I16x8ExtractLaneU,
        IOp::I32x4ExtractLane, IOp::I64x2ExtractLane, IOp::F32x4ExtractLane, IOp::F64x2ExtractLane})
    ops.push_back({op, SimdKind::kExtract});
  for (IOp op : {IOp::I8x16ReplaceLane, IOp::I16x8ReplaceLane, IOp::I32x4ReplaceLane, IOp::I64x2ReplaceLane,
                 IOp::F32x4ReplaceLane, IOp::F64x2ReplaceLane})
    ops.push_back({op, SimdKind::kReplace});
  ops.push_back({IOp::I8x16Shuffle, SimdKind::kShuffle});
  return ops;
}

// A 64-bit word of lanes: random bits, or one special value repeated over the lanes of some width.
uint64_t simd_word(std::mt19937_64& rng) {
  static constexpr uint64_t kSpecial32[] = {0x00000000, 0x80000000, 0x7fffffff, 0xffffffff, 0x7fc00000,
                                            0xffc00000, 0x7fa00001, 0x7f800000, 0xff800000, 0x4f000000,
                                            0x4f800000, 0xcf000000, 0x3f000000, 0xbf000000, 0x80000001};
  static constexpr uint64_t kSpecial64[] = {
      0x7ff8000000000000ull, 0xfff4000000000001ull, 0x7ff0000000000000ull,
      0x41e0000000000000ull, 0x41f0000000000000ull, 0xc1e0000000000000ull,
      0x8000000000000000ull, 0x3fe0000000000000ull, 0xbfe8000000000000ull};
  const uint64_t r = rng();
  switch (r % 8) {
    case 0: {
      const uint64_t v = kSpecial32[(r >> 8) % std::size(kSpecial32)];
      return v | (v << 32);
    }
    case 1:
      return kSpecial64[(r >> 8) % std::size(kSpecial64)];
    case 2: {  // bytes or words at their limits
      const uint64_t v = (r >> 8) % 2 ? 0x7f80007f8000ff01ull : 0x8000ffff00017fffull;
      return (r >> 16) % 2 ? v : std::rotl(v, 8 * int((r >> 20) % 8));
    }
    case 3:  // small floats of both widths (in range of the conversions)
      return (r >> 12) % 2 ? ((r & 0x807fffff807fffffull) | 0x4300000043000000ull)
                           : ((r & 0x800fffffffffffffull) | 0x41d0000000000000ull);
    default:
      return r;
  }
}

uint32_t rd32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t rd64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

bool compile_simd(IOp op, const std::vector<uint8_t>& ins, Compiled& out) {
  Assembler a;
  TestEmitter e(a, ins.data());
  e.prologue();
  Result<uint32_t> size = emit_simd_op(e, op);
  if (!size || *size == 0) {
    ADD_FAILURE() << kOpNames[size_t(op)] << ": not translated";
    return false;
  }
  e.epilogue();
  return publish(a, out);
}

class BaselineSimdAgainstInterpreter : public ::testing::TestWithParam<SimdOp> {};

TEST_P(BaselineSimdAgainstInterpreter, SameFrame) {
  const auto [op, kind, result] = GetParam();
  std::mt19937_64 rng(uint64_t(op) * 7919);
  // operands: [dst][a][b][c] at kDst, kA, kB, kC; the lane immediate after them, or 16 shuffle bytes
  const uint32_t operands = kind == SimdKind::kTern ? 3
                            : kind == SimdKind::kBin || kind == SimdKind::kShift ||
                                    kind == SimdKind::kReplace || kind == SimdKind::kShuffle
                                ? 2
                                : 1;
  std::vector<uint32_t> dsts = {kDst, kA};
  if (operands >= 2) dsts.push_back(kB);
  if (operands >= 3) dsts.push_back(kC);
  const int variants =
      kind == SimdKind::kExtract || kind == SimdKind::kReplace || kind == SimdKind::kShuffle ? 16 : 1;
  uint64_t runs = 0;
  for (uint32_t dst : dsts) {
    for (int variant = 0; variant < variants; ++variant) {
      std::vector<uint8_t> ins(64, 0);
      const void* h = interp::handler(op);
      std::memcpy(ins.data(), &h, 8);
      const uint32_t slots[] = {dst, kA, kB, kC};
      for (uint32_t i = 0; i <= operands; ++i) std::memcpy(ins.data() + 8 + 4 * i, &slots[i], 4);
      uint32_t size = 12 + 4 * operands;
      if (kind == SimdKind::kExtract || kind == SimdKind::kReplace) {
        ins[size] = uint8_t(variant);  // lane (masked by both tiers to the lane count)
        size += 1;
      } else if (kind == SimdKind::kShuffle) {
        for (int i = 0; i < 16; ++i) ins[size + i] = uint8_t(rng() % 32);
        if (variant == 1)  // all from a, or (next) all from b: the one-operand forms
          for (int i = 0; i < 16; ++i) ins[size + i] &= 15;
        if (variant == 2)
          for (int i = 0; i < 16; ++i) ins[size + i] |= 16;
        size += 16;
      }
      const void* ret = interp::handler(IOp::ReturnOp);
      std::memcpy(ins.data() + size, &ret, 8);
      Compiled c;
      if (!compile_simd(op, ins, c)) return;
      int failures = 0;
      for (int k = 0; k < 400 && failures < 5; ++k, ++runs) {
        uint64_t initial[kFrameWords], native[kFrameWords], interp[kFrameWords];
        for (uint64_t& w : initial) w = simd_word(rng);
        if (kind == SimdKind::kShift && k % 2) initial[kB / 8] = rng() % 200;  // small counts too
        std::memcpy(native, initial, sizeof native);
        std::memcpy(interp, initial, sizeof interp);
        const uint32_t native_trap = c.fn(native), interp_trap = interpret(ins, interp);
        if (result != SimdResult::kInt)  // both NaN: the interpreter's lane stands for either
          for (uint32_t byte = dst; byte < dst + 16; byte += result == SimdResult::kF32 ? 4 : 8) {
            uint8_t* n = reinterpret_cast<uint8_t*>(native) + byte;
            const uint8_t* i = reinterpret_cast<const uint8_t*>(interp) + byte;
            if (result == SimdResult::kF32
                    ? std::isnan(std::bit_cast<float>(rd32(n))) && std::isnan(std::bit_cast<float>(rd32(i)))
                    : std::isnan(std::bit_cast<double>(rd64(n))) &&
                          std::isnan(std::bit_cast<double>(rd64(i))))
              std::memcpy(n, i, result == SimdResult::kF32 ? 4 : 8);
          }
        if (native_trap == interp_trap && std::memcmp(native, interp, sizeof native) == 0) continue;
        ++failures;
        std::string msg = std::string(kOpNames[size_t(op)]) + " (dst " + std::to_string(dst) + ", variant " +
                          std::to_string(variant) + "): trap " + std::to_string(native_trap) +
                          " (interpreter " + std::to_string(interp_trap) + ")\n";
        for (size_t w = 0; w < kFrameWords; ++w)
          msg += "  slot " + std::to_string(w * 8) + ": in " + hex(initial[w]) + " native " + hex(native[w]) +
                 " interp " + hex(interp[w]) + (native[w] != interp[w] ? "  <--" : "") + "\n";
        ADD_FAILURE() << msg;
      }
    }
  }
  EXPECT_GT(runs, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllSimdOps, BaselineSimdAgainstInterpreter, ::testing::ValuesIn(simd_ops()),
                         [](const ::testing::TestParamInfo<SimdOp>& p) {
                           return std::string(kOpNames[size_t(p.param.op)]);
                         });

}  // namespace
}  // namespace airwasm::baseline
