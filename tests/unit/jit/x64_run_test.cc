// jit: small functions assembled with the Assembler, published through ExecutableCode and called
// through function pointers (System V ABI: integer args in rdi, rsi, rdx, rcx; float args in xmm0, xmm1;
// results in rax / xmm0). Results are compared with the same computation done in C++.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "jit/exec_memory.hh"
#include "jit/x64_assembler.hh"

namespace airwasm::jit {
namespace {

ExecutableCode publish(const Assembler& a) {
  EXPECT_TRUE(a.all_labels_bound());
  auto code = publish_code(a.code());
  EXPECT_TRUE(code) << code.error().message;
  return std::move(*code);
}

TEST(X64Run, LoopSum) {
  // uint64_t sum(uint32_t n): s = 0; for (i = n; i != 0; --i) s += i; return s;
  Assembler a;
  Label loop = a.new_label(), done = a.new_label();
  a.xor_(Size::k32, Reg::rax, Reg::rax);
  a.mov(Size::k32, Reg::rcx, Reg::rdi);  // zero-extends
  a.test(Size::k32, Reg::rcx, Reg::rcx);
  a.jcc(Cond::kE, done);  // forward
  a.bind(loop);
  a.add(Size::k64, Reg::rax, Reg::rcx);
  a.alu(Alu::kSub, Size::k32, Reg::rcx, 1);
  a.jcc(Cond::kNE, loop);  // backward
  a.bind(done);
  a.ret();
  ExecutableCode code = publish(a);
  auto sum = code.entry<uint64_t(uint32_t)>();
  for (uint32_t n : {0u, 1u, 2u, 10u, 1000u, 100000u}) EXPECT_EQ(sum(n), uint64_t(n) * (n + 1) / 2) << n;
}

TEST(X64Run, LabelAddressesAndJumpsThroughMemory) {
  // uint64_t f(uint64_t* slot): stores the address of `target` (lea_label, forward and backward) to *slot
  // and jumps through it (jmp [mem]); target returns 42 + (address it computed again == the stored one).
  Assembler a;
  Label target = a.new_label(), back = a.new_label();
  a.jmp(back);
  a.bind(target);
  a.lea_label(Reg::rcx, target);  // backward reference
  a.alu(Alu::kCmp, Size::k64, Reg::rcx, mem(Reg::rdi));
  a.setcc(Cond::kE, Reg::rax);
  a.movzx8(Reg::rax, Reg::rax);
  a.alu(Alu::kAdd, Size::k32, Reg::rax, 42);
  a.ret();
  a.bind(back);
  Label fwd = a.new_label();
  a.lea_label(Reg::r9, fwd);  // forward reference, patched at bind
  a.jmp(Reg::r9);
  a.int3();
  a.bind(fwd);
  a.lea_label(Reg::rdx, target);
  a.mov(Size::k64, mem(Reg::rdi), Reg::rdx);
  a.jmp(mem(Reg::rdi));
  ExecutableCode code = publish(a);
  uint64_t slot = 0;
  EXPECT_EQ(code.entry<uint64_t(uint64_t*)>()(&slot), 43u);
  EXPECT_EQ(slot, reinterpret_cast<uint64_t>(code.data()) + a.label_offset(target));
}

TEST(X64Run, ScaledIndexLoadsAndExtensions) {
  // int64_t f(const int64_t* words, const int8_t* bytes, uint32_t n):
  //   sum of words[i] + sign-extended bytes[i] + zero-extended bytes[i]; uses r12-r15 (callee-saved).
  Assembler a;
  a.push(Reg::r12);
  a.push(Reg::r13);
  a.xor_(Size::k32, Reg::rax, Reg::rax);
  a.xor_(Size::k32, Reg::r12, Reg::r12);  // i
  Label loop = a.new_label(), done = a.new_label();
  a.bind(loop);
  a.cmp(Size::k32, Reg::r12, Reg::rdx);
  a.jcc(Cond::kAE, done);
  a.alu(Alu::kAdd, Size::k64, Reg::rax, mem(Reg::rdi, Reg::r12, 8));
  a.movsx8(Size::k64, Reg::r13, mem(Reg::rsi, Reg::r12, 1));
  a.add(Size::k64, Reg::rax, Reg::r13);
  a.movzx8(Reg::r13, mem(Reg::rsi, Reg::r12, 1));
  a.add(Size::k64, Reg::rax, Reg::r13);
  a.alu(Alu::kAdd, Size::k32, Reg::r12, 1);
  a.jmp(loop);
  a.bind(done);
  a.pop(Reg::r13);
  a.pop(Reg::r12);
  a.ret();
  ExecutableCode code = publish(a);
  const int64_t words[] = {1, -2, 3000000000000, -4, 5};
  const int8_t bytes[] = {-1, 127, -128, 0, 9};
  int64_t expected = 0;
  for (int i = 0; i < 5; ++i) expected += words[i] + bytes[i] + uint8_t(bytes[i]);
  EXPECT_EQ((code.entry<int64_t(const int64_t*, const int8_t*, uint32_t)>()(words, bytes, 5)), expected);
}

TEST(X64Run, DivideSelectAndCall) {
  // int64_t f(int64_t a, int64_t b): q = a / b (signed, via a called subroutine); r = (uint32_t)a %
  // (uint32_t)b; returns max(q, r) * 3 + (a < b), with cmov and setcc.
  Assembler a;
  Label divide = a.new_label();
  a.push(Reg::rbx);
  a.mov(Size::k64, Reg::rax, Reg::rdi);
  a.call(divide);  // forward call: rax = rax / rsi
  a.mov(Size::k64, Reg::r8, Reg::rax);
  a.mov(Size::k32, Reg::rax, Reg::rdi);
  a.xor_(Size::k32, Reg::rdx, Reg::rdx);
  a.unary(Unary::kDiv, Size::k32, Reg::rsi);  // edx = eax % esi
  a.mov(Size::k32, Reg::rbx, Reg::rdx);
  a.cmp(Size::k64, Reg::r8, Reg::rbx);
  a.cmovcc(Cond::kL, Size::k64, Reg::r8, Reg::rbx);
  a.imul(Size::k64, Reg::rax, Reg::r8, 3);
  a.xor_(Size::k32, Reg::rcx, Reg::rcx);
  a.cmp(Size::k64, Reg::rdi, Reg::rsi);
  a.setcc(Cond::kL, Reg::rcx);
  a.add(Size::k64, Reg::rax, Reg::rcx);
  a.pop(Reg::rbx);
  a.ret();
  a.bind(divide);
  a.cdq_cqo(Size::k64);
  a.unary(Unary::kIdiv, Size::k64, Reg::rsi);
  a.ret();
  ExecutableCode code = publish(a);
  auto f = code.entry<int64_t(int64_t, int64_t)>();
  for (auto [x, y] :
       {std::pair<int64_t, int64_t>{100, 7}, {-100, 7}, {7, 100}, {1000000007, -13}, {-5, -3}}) {
    const int64_t q = x / y, rem = int64_t(uint32_t(x) % uint32_t(y));
    EXPECT_EQ(f(x, y), std::max(q, rem) * 3 + (x < y)) << x << " " << y;
  }
}

TEST(X64Run, ScalarFloat) {
  // double hypot_floor(double a, double b) = floor(sqrt(a*a + b*b)), through memory and registers.
  Assembler a;
  a.sse(SseOp::kMul, Fp::kF64, Xmm::xmm0, Xmm::xmm0);
  a.sse(SseOp::kMul, Fp::kF64, Xmm::xmm1, Xmm::xmm1);
  a.sse(SseOp::kAdd, Fp::kF64, Xmm::xmm0, Xmm::xmm1);
  a.movs(Fp::kF64, mem(Reg::rsp, -16), Xmm::xmm0);  // red zone
  a.sse(SseOp::kSqrt, Fp::kF64, Xmm::xmm9, mem(Reg::rsp, -16));
  a.rounds(Fp::kF64, Xmm::xmm0, Xmm::xmm9, RoundMode::kFloor);
  a.ret();
  ExecutableCode code = publish(a);
  auto f = code.entry<double(double, double)>();
  for (auto [x, y] : {std::pair{3.0, 4.0}, {1.5, 2.5}, {1e10, 1e-3}, {-7.0, 0.5}})
    EXPECT_EQ(f(x, y), std::floor(std::sqrt(x * x + y * y)));
}

TEST(X64Run, FloatConversionsAndCompare) {
  // int64_t f(int32_t i, float x): (int64_t)trunc((double)i + (double)x) if x > 0 (ucomiss), else bits of -x.
  Assembler a;
  Label negative = a.new_label();
  a.sse_logic(SseLogic::kXor, Fp::kF32, Xmm::xmm1, Xmm::xmm1);
  a.ucomis(Fp::kF32, Xmm::xmm0, Xmm::xmm1);
  a.jcc(Cond::kBE, negative);
  a.cvtsi2s(Fp::kF64, Size::k32, Xmm::xmm2, Reg::rdi);
  a.cvts2s(Fp::kF64, Xmm::xmm3, Xmm::xmm0);
  a.sse(SseOp::kAdd, Fp::kF64, Xmm::xmm2, Xmm::xmm3);
  a.cvtts2si(Fp::kF64, Size::k64, Reg::rax, Xmm::xmm2);
  a.ret();
  a.bind(negative);
  a.movd_from_xmm(Size::k32, Reg::rax, Xmm::xmm0);
  a.alu(Alu::kXor, Size::k32, Reg::rax, int32_t(0x80000000u));  // flip the sign bit
  a.ret();
  ExecutableCode code = publish(a);
  auto f = code.entry<int64_t(int32_t, float)>();
  EXPECT_EQ(f(10, 2.75f), 12);
  EXPECT_EQ(f(-10, 2.75f), -7);
  EXPECT_EQ(f(2000000000, 1.5e9f), int64_t(2000000000.0 + double(1.5e9f)));
  const float neg = -1.25f;
  uint32_t bits;
  const float pos = -neg;
  std::memcpy(&bits, &pos, 4);
  EXPECT_EQ(f(0, neg), int64_t(bits));
}

}  // namespace
}  // namespace airwasm::jit
