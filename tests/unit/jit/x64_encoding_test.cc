// jit: the assembler's encodings checked against an independent decoder, binutils' objdump. Each test
// assembles many instructions (every register for the register forms, every base/index/scale/disp
// shape for the memory forms), disassembles the bytes with `objdump -D -b binary -mi386:x86-64`, and
// compares, instruction by instruction, the text objdump prints with the AT&T text we expect. A wrong
// prefix, REX bit, ModRM/SIB field, displacement or immediate size shows up as a different text or as a
// shifted instruction boundary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "jit/x64_assembler.hh"

namespace airwasm::jit {
namespace {

const char* const kReg64[] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                              "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
const char* const kReg32[] = {"eax", "ecx", "edx",  "ebx",  "esp",  "ebp",  "esi",  "edi",
                              "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
const char* const kReg16[] = {"ax",  "cx",  "dx",   "bx",   "sp",   "bp",   "si",   "di",
                              "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
const char* const kReg8[] = {"al",  "cl",  "dl",   "bl",   "spl",  "bpl",  "sil",  "dil",
                             "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
const char* const kCond[] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                             "s", "ns", "p", "np", "l", "ge", "le", "g"};

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}
std::string r(Size s, Reg x) {
  return std::string("%") + (s == Size::k64 ? kReg64 : kReg32)[int(x)];
}
std::string r64(Reg x) {
  return r(Size::k64, x);
}
std::string r32(Reg x) {
  return r(Size::k32, x);
}
std::string x(Xmm v) {
  return "%xmm" + std::to_string(int(v));
}
// An immediate as objdump prints it: sign-extended to the operand size, in hex.
std::string imm(Size s, int64_t v) {
  return "$" + hex(s == Size::k64 ? uint64_t(v) : uint64_t(uint32_t(v)));
}
// A memory operand in AT&T syntax as objdump prints it.
std::string m(const Mem& mm) {
  std::string out;
  const bool rbp_like = mm.base != Mem::kNoReg && (mm.base & 7) == 5;
  if (mm.base == Mem::kNoReg || mm.disp != 0 || rbp_like)
    out += mm.disp < 0 ? "-" + hex(uint64_t(-int64_t(mm.disp))) : hex(uint64_t(mm.disp));
  if (mm.base == Mem::kNoReg && mm.index == Mem::kNoReg) return out;
  out += "(";
  if (mm.base != Mem::kNoReg) out += std::string("%") + kReg64[mm.base];
  if (mm.index != Mem::kNoReg) out += std::string(",%") + kReg64[mm.index] + "," + std::to_string(mm.scale);
  return out + ")";
}

Reg reg(int i) {
  return Reg(i);
}
Xmm xmm(int i) {
  return Xmm(i);
}

// Memory operands of every shape: each base with no/8-bit/32-bit (positive and negative) displacements,
// each base with each index and scale, index without base, absolute.
std::vector<Mem> all_mems() {
  std::vector<Mem> out;
  for (int b = 0; b < 16; ++b)
    for (int32_t d : {0, 8, -8, 127, -128, 128, -129, 0x12345678, -0x12345678}) out.push_back(mem(reg(b), d));
  for (int b = 0; b < 16; ++b)
    for (int i = 0; i < 16; ++i) {
      if (i == 4) continue;
      for (uint8_t sc : {1, 2, 4, 8})
        out.push_back(mem(reg(b), reg(i), sc, (b + i + sc) % 3 == 0 ? 0 : 0x40 * sc));
    }
  for (int i = 0; i < 16; ++i)
    if (i != 4) out.push_back(mem_index(reg(i), 8, 0x100));
  out.push_back(Mem{Mem::kNoReg, Mem::kNoReg, 1, 0x1000});
  return out;
}
// A smaller set for the many instructions that share the same ModRM code: the special bases (rsp, rbp,
// r12, r13), an extended index, each displacement size.
std::vector<Mem> some_mems() {
  return {mem(Reg::rax),
          mem(Reg::rsp, 8),
          mem(Reg::rbp),
          mem(Reg::r12, -8),
          mem(Reg::r13, 0x1000),
          mem(Reg::r15, Reg::r9, 4, 16),
          mem(Reg::rbx, Reg::r12, 8),
          mem_index(Reg::rcx, 2, 64)};
}

// Collects instructions and the text objdump must print for each, then checks them all at once.
class Checker {
 public:
  Assembler a;
  void add(const std::string& expected, const std::function<void(Assembler&)>& emit) {
    starts_.push_back(uint32_t(a.size()));
    expected_.push_back(expected);
    emit(a);
  }
  void check() {
    ASSERT_FALSE(expected_.empty());
    std::map<uint32_t, std::string> got = disassemble(a.code());
    // The instruction boundaries objdump finds must be exactly ours: a wrong length shows here.
    std::vector<uint32_t> got_starts;
    for (auto& [off, text] : got) got_starts.push_back(off);
    size_t mismatches = 0;
    for (size_t i = 0; i < expected_.size(); ++i) {
      auto it = got.find(starts_[i]);
      const std::string text = it == got.end() ? "<no instruction starts here>" : it->second;
      if (text != expected_[i] && ++mismatches <= 40)
        ADD_FAILURE() << "at " << hex(starts_[i]) << ": expected '" << expected_[i] << "', objdump says '"
                      << text << "'";
    }
    EXPECT_EQ(got_starts, starts_) << "instruction boundaries differ";
    EXPECT_EQ(mismatches, 0u);
  }
  size_t count() const { return expected_.size(); }
  // For instructions whose text is known only later (forward jumps: the target is bound afterwards).
  void set_expected(size_t item, std::string text) { expected_[item] = std::move(text); }

 private:
  // Runs objdump on the bytes; returns offset -> normalized instruction text.
  static std::map<uint32_t, std::string> disassemble(std::span<const uint8_t> bytes) {
    char path[] = "/tmp/airwasm_jit_XXXXXX";
    const int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, bytes.data(), bytes.size()), ssize_t(bytes.size()));
    close(fd);
    const std::string cmd =
        std::string(AIRWASM_OBJDUMP) + " -D -b binary -mi386:x86-64 --no-show-raw-insn " + path + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    EXPECT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << out.substr(0, 2000);
    unlink(path);
    std::map<uint32_t, std::string> result;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      // "   1f:\tadd    %ecx,%eax"
      const size_t colon = line.find(":\t");
      if (colon == std::string::npos) continue;
      const std::string off = line.substr(0, colon);
      if (off.find_first_not_of(" 0123456789abcdef") != std::string::npos) continue;
      std::string text = line.substr(colon + 2);
      // Collapse the padding between mnemonic and operands; drop trailing comments ("# 0x...").
      if (auto hash = text.find(" #"); hash != std::string::npos) text.resize(hash);
      std::string norm;
      for (char c : text) {
        if (c == ' ' || c == '\t') {
          if (!norm.empty() && norm.back() != ' ') norm += ' ';
        } else {
          norm += c;
        }
      }
      while (!norm.empty() && norm.back() == ' ') norm.pop_back();
      result[uint32_t(std::stoul(off, nullptr, 16))] = norm;
    }
    return result;
  }
  std::vector<uint32_t> starts_;
  std::vector<std::string> expected_;
};

const Size kSizes[] = {Size::k32, Size::k64};

TEST(X64Encoding, MovRegisterAndMemoryForms) {
  Checker c;
  for (Size s : kSizes)
    for (int d = 0; d < 16; ++d)
      for (int src = 0; src < 16; ++src)
        c.add("mov " + r(s, reg(src)) + "," + r(s, reg(d)),
              [=](Assembler& a) { a.mov(s, reg(d), reg(src)); });
  for (const Mem& mm : all_mems())
    for (int i : {0, 5, 9, 12}) {
      c.add("mov " + m(mm) + "," + r64(reg(i)), [=](Assembler& a) { a.mov(Size::k64, reg(i), mm); });
      c.add("mov " + m(mm) + "," + r32(reg(i)), [=](Assembler& a) { a.mov(Size::k32, reg(i), mm); });
      c.add("mov " + r64(reg(i)) + "," + m(mm), [=](Assembler& a) { a.mov(Size::k64, mm, reg(i)); });
      c.add("mov " + r32(reg(i)) + "," + m(mm), [=](Assembler& a) { a.mov(Size::k32, mm, reg(i)); });
    }
  for (const Mem& mm : all_mems())
    c.add("lea " + m(mm) + "," + r64(Reg::r11), [=](Assembler& a) { a.lea(Size::k64, Reg::r11, mm); });
  c.add("lea 0x4(%rax,%rcx,2),%edx",
        [](Assembler& a) { a.lea(Size::k32, Reg::rdx, mem(Reg::rax, Reg::rcx, 2, 4)); });
  c.check();
  EXPECT_GT(c.count(), 4000u);
}

TEST(X64Encoding, MovImmediates) {
  Checker c;
  for (int d = 0; d < 16; ++d) {
    c.add("mov $0x12345678," + r32(reg(d)), [=](Assembler& a) { a.mov_imm(Size::k32, reg(d), 0x12345678); });
    c.add("mov $0x0," + r32(reg(d)), [=](Assembler& a) { a.mov_imm(Size::k32, reg(d), 0); });
    // 64-bit values that fit in 32 unsigned bits use the zero-extending 32-bit form.
    c.add("mov $0xffffffff," + r32(reg(d)), [=](Assembler& a) { a.mov_imm(Size::k64, reg(d), 0xffffffffu); });
    c.add("mov $0xffffffffffffff85," + r64(reg(d)),
          [=](Assembler& a) { a.mov_imm(Size::k64, reg(d), uint64_t(-123)); });
    c.add("movabs $0x123456789abcdef0," + r64(reg(d)),
          [=](Assembler& a) { a.mov_imm(Size::k64, reg(d), 0x123456789abcdef0ull); });
  }
  for (const Mem& mm : some_mems()) {
    c.add("movl $0x7," + m(mm), [=](Assembler& a) { a.mov_imm(Size::k32, mm, 7); });
    c.add("movq $0xfffffffffffffff9," + m(mm), [=](Assembler& a) { a.mov_imm(Size::k64, mm, -7); });
  }
  c.check();
}

TEST(X64Encoding, NarrowLoadsAndStores) {
  Checker c;
  for (const Mem& mm : some_mems())
    for (int i = 0; i < 16; ++i) {
      c.add("mov " + std::string("%") + kReg8[i] + "," + m(mm), [=](Assembler& a) { a.store8(mm, reg(i)); });
      c.add("mov " + std::string("%") + kReg16[i] + "," + m(mm),
            [=](Assembler& a) { a.store16(mm, reg(i)); });
      c.add("movzbl " + m(mm) + "," + r32(reg(i)), [=](Assembler& a) { a.movzx8(reg(i), mm); });
      c.add("movzwl " + m(mm) + "," + r32(reg(i)), [=](Assembler& a) { a.movzx16(reg(i), mm); });
      c.add("movsbl " + m(mm) + "," + r32(reg(i)), [=](Assembler& a) { a.movsx8(Size::k32, reg(i), mm); });
      c.add("movsbq " + m(mm) + "," + r64(reg(i)), [=](Assembler& a) { a.movsx8(Size::k64, reg(i), mm); });
      c.add("movswl " + m(mm) + "," + r32(reg(i)), [=](Assembler& a) { a.movsx16(Size::k32, reg(i), mm); });
      c.add("movswq " + m(mm) + "," + r64(reg(i)), [=](Assembler& a) { a.movsx16(Size::k64, reg(i), mm); });
      c.add("movslq " + m(mm) + "," + r64(reg(i)), [=](Assembler& a) { a.movsxd(reg(i), mm); });
    }
  for (int d = 0; d < 16; ++d)
    for (int s = 0; s < 16; ++s) {
      const std::string b8 = std::string("%") + kReg8[s], w16 = std::string("%") + kReg16[s];
      c.add("movzbl " + b8 + "," + r32(reg(d)), [=](Assembler& a) { a.movzx8(reg(d), reg(s)); });
      c.add("movsbl " + b8 + "," + r32(reg(d)), [=](Assembler& a) { a.movsx8(Size::k32, reg(d), reg(s)); });
      c.add("movsbq " + b8 + "," + r64(reg(d)), [=](Assembler& a) { a.movsx8(Size::k64, reg(d), reg(s)); });
      c.add("movswl " + w16 + "," + r32(reg(d)), [=](Assembler& a) { a.movsx16(Size::k32, reg(d), reg(s)); });
      c.add("movswq " + w16 + "," + r64(reg(d)), [=](Assembler& a) { a.movsx16(Size::k64, reg(d), reg(s)); });
      c.add("movslq " + r32(reg(s)) + "," + r64(reg(d)), [=](Assembler& a) { a.movsxd(reg(d), reg(s)); });
    }
  c.check();
}

TEST(X64Encoding, AluForms) {
  const char* names[] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
  Checker c;
  for (int op = 0; op < 8; ++op) {
    const Alu alu = Alu(op);
    const std::string n = names[op];
    for (Size s : kSizes) {
      const std::string suffix = s == Size::k64 ? "q" : "l";
      for (int d = 0; d < 16; ++d) {
        for (int src : {0, 3, 4, 8, 13, 15})
          c.add(n + " " + r(s, reg(src)) + "," + r(s, reg(d)),
                [=](Assembler& a) { a.alu(alu, s, reg(d), reg(src)); });
        for (int32_t v : {1, -1, 127, -128, 128, -129, 0x12345678, INT32_MIN})
          c.add(n + " " + imm(s, v) + "," + r(s, reg(d)), [=](Assembler& a) { a.alu(alu, s, reg(d), v); });
      }
      for (const Mem& mm : some_mems()) {
        c.add(n + " " + m(mm) + "," + r(s, Reg::r10), [=](Assembler& a) { a.alu(alu, s, Reg::r10, mm); });
        c.add(n + " " + r(s, Reg::rsi) + "," + m(mm), [=](Assembler& a) { a.alu(alu, s, mm, Reg::rsi); });
        c.add(n + suffix + " " + imm(s, 5) + "," + m(mm), [=](Assembler& a) { a.alu(alu, s, mm, 5); });
        c.add(n + suffix + " " + imm(s, 1000) + "," + m(mm), [=](Assembler& a) { a.alu(alu, s, mm, 1000); });
      }
    }
  }
  for (Size s : kSizes)
    for (int d = 0; d < 16; ++d) {
      c.add("test " + r(s, reg(15 - d)) + "," + r(s, reg(d)),
            [=](Assembler& a) { a.test(s, reg(d), reg(15 - d)); });
      c.add("test " + imm(s, 0x100) + "," + r(s, reg(d)), [=](Assembler& a) { a.test(s, reg(d), 0x100); });
    }
  c.check();
}

TEST(X64Encoding, ShiftsMultiplyDivide) {
  const std::pair<Shift, const char*> shifts[] = {{Shift::kRol, "rol"},
                                                  {Shift::kRor, "ror"},
                                                  {Shift::kShl, "shl"},
                                                  {Shift::kShr, "shr"},
                                                  {Shift::kSar, "sar"}};
  const std::pair<Unary, const char*> unaries[] = {{Unary::kNot, "not"}, {Unary::kNeg, "neg"},
                                                   {Unary::kMul, "mul"}, {Unary::kImul, "imul"},
                                                   {Unary::kDiv, "div"}, {Unary::kIdiv, "idiv"}};
  Checker c;
  for (Size s : kSizes) {
    const std::string suffix = s == Size::k64 ? "q" : "l";
    for (int d = 0; d < 16; ++d) {
      for (auto [op, n] : shifts) {
        c.add(std::string(n) + " %cl," + r(s, reg(d)), [=](Assembler& a) { a.shift(op, s, reg(d)); });
        c.add(std::string(n) + " $0x1f," + r(s, reg(d)), [=](Assembler& a) { a.shift(op, s, reg(d), 31); });
      }
      for (auto [op, n] : unaries)
        c.add(std::string(n) + " " + r(s, reg(d)), [=](Assembler& a) { a.unary(op, s, reg(d)); });
      for (int src : {1, 4, 5, 12, 14}) {
        c.add("imul " + r(s, reg(src)) + "," + r(s, reg(d)),
              [=](Assembler& a) { a.imul(s, reg(d), reg(src)); });
        c.add("imul $0x7," + r(s, reg(src)) + "," + r(s, reg(d)),
              [=](Assembler& a) { a.imul(s, reg(d), reg(src), 7); });
        c.add("imul $0x12345," + r(s, reg(src)) + "," + r(s, reg(d)),
              [=](Assembler& a) { a.imul(s, reg(d), reg(src), 0x12345); });
      }
    }
    for (const Mem& mm : some_mems()) {
      for (auto [op, n] : unaries)
        c.add(std::string(n) + suffix + " " + m(mm), [=](Assembler& a) { a.unary(op, s, mm); });
      c.add("imul " + m(mm) + "," + r(s, Reg::r9), [=](Assembler& a) { a.imul(s, Reg::r9, mm); });
    }
  }
  c.add("cltd", [](Assembler& a) { a.cdq_cqo(Size::k32); });
  c.add("cqto", [](Assembler& a) { a.cdq_cqo(Size::k64); });
  c.check();
}

TEST(X64Encoding, ConditionsAndBitCounts) {
  Checker c;
  for (int cc = 0; cc < 16; ++cc) {
    for (int d = 0; d < 16; ++d) {
      c.add("set" + std::string(kCond[cc]) + " %" + kReg8[d],
            [=](Assembler& a) { a.setcc(Cond(cc), reg(d)); });
      for (Size s : kSizes)
        c.add("cmov" + std::string(kCond[cc]) + " " + r(s, reg(15 - d)) + "," + r(s, reg(d)),
              [=](Assembler& a) { a.cmovcc(Cond(cc), s, reg(d), reg(15 - d)); });
    }
    for (const Mem& mm : some_mems())
      c.add("cmov" + std::string(kCond[cc]) + " " + m(mm) + "," + r64(Reg::rdi),
            [=](Assembler& a) { a.cmovcc(Cond(cc), Size::k64, Reg::rdi, mm); });
  }
  for (Size s : kSizes)
    for (int d = 0; d < 16; ++d) {
      const int src = (d * 7 + 3) % 16;
      c.add("lzcnt " + r(s, reg(src)) + "," + r(s, reg(d)),
            [=](Assembler& a) { a.lzcnt(s, reg(d), reg(src)); });
      c.add("tzcnt " + r(s, reg(src)) + "," + r(s, reg(d)),
            [=](Assembler& a) { a.tzcnt(s, reg(d), reg(src)); });
      c.add("popcnt " + r(s, reg(src)) + "," + r(s, reg(d)),
            [=](Assembler& a) { a.popcnt(s, reg(d), reg(src)); });
      c.add("bswap " + r(s, reg(d)), [=](Assembler& a) { a.bswap(s, reg(d)); });
    }
  c.check();
}

TEST(X64Encoding, ControlFlow) {
  Checker c;
  for (int i = 0; i < 16; ++i) {
    c.add("push " + r64(reg(i)), [=](Assembler& a) { a.push(reg(i)); });
    c.add("pop " + r64(reg(i)), [=](Assembler& a) { a.pop(reg(i)); });
    c.add("jmp *" + r64(reg(i)), [=](Assembler& a) { a.jmp(reg(i)); });
    c.add("call *" + r64(reg(i)), [=](Assembler& a) { a.call(reg(i)); });
    c.add("jmp *0x10(" + r64(reg(i)) + ")", [=](Assembler& a) { a.jmp(mem(reg(i), 16)); });
    c.add("call *0x10(" + r64(reg(i)) + ")", [=](Assembler& a) { a.call(mem(reg(i), 16)); });
    c.add("bts $0x3f," + r64(reg(i)), [=](Assembler& a) { a.bit_set(reg(i), 63); });
    c.add("btrq $0x3f,0x20(" + r64(reg(i)) + ")", [=](Assembler& a) { a.bit_reset(mem(reg(i), 32), 63); });
  }
  c.add("ret", [](Assembler& a) { a.ret(); });
  c.add("ud2", [](Assembler& a) { a.ud2(); });
  c.add("int3", [](Assembler& a) { a.int3(); });
  c.add("nop", [](Assembler& a) { a.nop(); });
  // Labels: a backward target near enough for rel8, one too far for it, and forward targets (rel32,
  // patched at bind). Target addresses are offsets from the start of the buffer.
  Label back = c.a.new_label();
  Label fwd = c.a.new_label();
  c.a.bind(back);
  const uint32_t back_at = uint32_t(c.a.size());
  for (int cc = 0; cc < 16; ++cc)
    c.add("j" + std::string(kCond[cc]) + " " + hex(back_at), [=](Assembler& a) { a.jcc(Cond(cc), back); });
  c.add("jmp " + hex(back_at), [=](Assembler& a) { a.jmp(back); });
  c.add("call " + hex(back_at), [=](Assembler& a) { a.call(back); });
  c.add("jmp " + hex(back_at), [=](Assembler& a) { a.jmp_near(back); });  // near backwards: rel32 anyway
  // Forward: the text is known only once the label is bound; placeholder texts are fixed below.
  const size_t first_forward = c.count();
  for (int cc = 0; cc < 16; ++cc) c.add("", [=](Assembler& a) { a.jcc(Cond(cc), fwd); });
  c.add("", [=](Assembler& a) { a.jmp(fwd); });
  c.add("", [=](Assembler& a) { a.call(fwd); });
  c.add("", [=](Assembler& a) { a.jmp_near(fwd); });
  for (int i = 0; i < 40; ++i)
    c.add("movabs $0x1111111111111111,%rax",
          [](Assembler& a) { a.mov_imm(Size::k64, Reg::rax, 0x1111111111111111ull); });
  // Far backward: more than 127 bytes behind, so the rel32 forms.
  for (int cc = 0; cc < 16; ++cc)
    c.add("j" + std::string(kCond[cc]) + " " + hex(back_at), [=](Assembler& a) { a.jcc(Cond(cc), back); });
  c.add("jmp " + hex(back_at), [=](Assembler& a) { a.jmp(back); });
  // A label made for an earlier position after its code was emitted (label_at): far backward, rel32.
  const Label late = c.a.label_at(back_at);
  c.add("jmp " + hex(back_at), [=](Assembler& a) { a.jmp(late); });
  c.add("jne " + hex(back_at), [=](Assembler& a) { a.jcc(Cond::kNE, late); });
  EXPECT_FALSE(c.a.all_labels_bound());
  c.a.bind(fwd);
  EXPECT_TRUE(c.a.all_labels_bound());
  c.add("ret", [](Assembler& a) { a.ret(); });
  const std::string target = hex(c.a.label_offset(fwd));
  for (int cc = 0; cc < 16; ++cc)
    c.set_expected(first_forward + cc, "j" + std::string(kCond[cc]) + " " + target);
  c.set_expected(first_forward + 16, "jmp " + target);
  c.set_expected(first_forward + 17, "call " + target);
  c.set_expected(first_forward + 18, "jmp " + target);
  c.check();
}

TEST(X64Encoding, ScalarFloat) {
  const std::pair<SseOp, const char*> ops[] = {
      {SseOp::kAdd, "add"}, {SseOp::kSub, "sub"}, {SseOp::kMul, "mul"},  {SseOp::kDiv, "div"},
      {SseOp::kMin, "min"}, {SseOp::kMax, "max"}, {SseOp::kSqrt, "sqrt"}};
  const std::pair<SseLogic, const char*> logic[] = {
      {SseLogic::kAnd, "and"}, {SseLogic::kAndn, "andn"}, {SseLogic::kOr, "or"}, {SseLogic::kXor, "xor"}};
  Checker c;
  for (Fp p : {Fp::kF32, Fp::kF64}) {
    const std::string ss = p == Fp::kF32 ? "ss" : "sd", ps = p == Fp::kF32 ? "ps" : "pd";
    for (int d = 0; d < 16; ++d) {
      const int s = (d * 5 + 1) % 16;
      c.add("mov" + ss + " " + x(xmm(s)) + "," + x(xmm(d)), [=](Assembler& a) { a.movs(p, xmm(d), xmm(s)); });
      for (auto [op, n] : ops)
        c.add(std::string(n) + ss + " " + x(xmm(s)) + "," + x(xmm(d)),
              [=](Assembler& a) { a.sse(op, p, xmm(d), xmm(s)); });
      for (auto [op, n] : logic)
        c.add(std::string(n) + ps + " " + x(xmm(s)) + "," + x(xmm(d)),
              [=](Assembler& a) { a.sse_logic(op, p, xmm(d), xmm(s)); });
      c.add("ucomi" + ss + " " + x(xmm(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.ucomis(p, xmm(d), xmm(s)); });
      for (RoundMode mode : {RoundMode::kNearest, RoundMode::kFloor, RoundMode::kCeil, RoundMode::kTrunc})
        c.add("round" + ss + " " + "$" + hex(uint8_t(mode)) + "," + x(xmm(s)) + "," + x(xmm(d)),
              [=](Assembler& a) { a.rounds(p, xmm(d), xmm(s), mode); });
      for (Size sz : kSizes) {
        c.add("cvtsi2" + ss + " " + r(sz, reg(s)) + "," + x(xmm(d)),
              [=](Assembler& a) { a.cvtsi2s(p, sz, xmm(d), reg(s)); });
        c.add("cvtt" + ss + "2si " + x(xmm(s)) + "," + r(sz, reg(d)),
              [=](Assembler& a) { a.cvtts2si(p, sz, reg(d), xmm(s)); });
      }
    }
    for (const Mem& mm : some_mems()) {
      c.add("mov" + ss + " " + m(mm) + ",%xmm9", [=](Assembler& a) { a.movs(p, Xmm::xmm9, mm); });
      c.add("mov" + ss + " %xmm3," + m(mm), [=](Assembler& a) { a.movs(p, mm, Xmm::xmm3); });
      c.add("add" + ss + " " + m(mm) + ",%xmm12",
            [=](Assembler& a) { a.sse(SseOp::kAdd, p, Xmm::xmm12, mm); });
      c.add("ucomi" + ss + " " + m(mm) + ",%xmm1", [=](Assembler& a) { a.ucomis(p, Xmm::xmm1, mm); });
    }
  }
  for (int d = 0; d < 16; ++d) {
    const int s = 15 - d;
    c.add("movaps " + x(xmm(s)) + "," + x(xmm(d)), [=](Assembler& a) { a.movaps(xmm(d), xmm(s)); });
    c.add("cvtss2sd " + x(xmm(s)) + "," + x(xmm(d)),
          [=](Assembler& a) { a.cvts2s(Fp::kF64, xmm(d), xmm(s)); });
    c.add("cvtsd2ss " + x(xmm(s)) + "," + x(xmm(d)),
          [=](Assembler& a) { a.cvts2s(Fp::kF32, xmm(d), xmm(s)); });
    c.add("movd " + r32(reg(s)) + "," + x(xmm(d)),
          [=](Assembler& a) { a.movd_to_xmm(Size::k32, xmm(d), reg(s)); });
    c.add("movq " + r64(reg(s)) + "," + x(xmm(d)),
          [=](Assembler& a) { a.movd_to_xmm(Size::k64, xmm(d), reg(s)); });
    c.add("movd " + x(xmm(s)) + "," + r32(reg(d)),
          [=](Assembler& a) { a.movd_from_xmm(Size::k32, reg(d), xmm(s)); });
    c.add("movq " + x(xmm(s)) + "," + r64(reg(d)),
          [=](Assembler& a) { a.movd_from_xmm(Size::k64, reg(d), xmm(s)); });
  }
  c.check();
}

// The bytes `emit` assembles, with frame slots below 64 at r15 configured (and `held` in registers) or
// not (plain); `violation`, if given, receives whether an access of a held slot could not be rewritten.
template <typename Emit>
std::vector<uint8_t> assemble_bytes(bool frame_slots, Emit&& emit,
                                    std::vector<Assembler::SlotRegister> held = {},
                                    bool* violation = nullptr) {
  Assembler a;
  if (frame_slots) {
    a.configure_slots(Reg::r15, 64, /*counting=*/false);
    if (!held.empty()) a.set_slot_registers(std::move(held));
  }
  emit(a);
  if (violation) *violation = a.slot_register_violation();
  const auto code = a.code();
  return std::vector<uint8_t>(code.begin(), code.end());
}

// Store-to-load forwarding of frame slots (Assembler::end_store_forwarding): a load of the slot just
// stored reads the stored register instead; anything between them (an instruction, a label, an explicit
// end) keeps the load. Compared byte for byte with the same code written out by hand.
TEST(X64Encoding, FrameSlotStoreForwarding) {
  auto frame = [&](auto&& emit) { return assemble_bytes(true, emit); };
  auto plain = [&](auto&& emit) { return assemble_bytes(false, emit); };
  const Mem slot = mem(Reg::r15, 8);
  // Forwarded: `stored` stored into the slot, then `load` reading the slot, assembles as the same store
  // followed by `load` reading `stored` (a 32-bit load, an ALU source, a multiply source).
  const auto forwarded = [&](Reg stored, auto&& load) {
    EXPECT_EQ(frame([&](Assembler& a) {
                a.mov(Size::k64, slot, stored);
                load(a, slot);
              }),
              plain([&](Assembler& a) {
                a.mov(Size::k64, slot, stored);
                load(a, stored);
              }));
  };
  forwarded(Reg::rax, [](Assembler& a, auto src) { a.mov(Size::k32, Reg::rcx, src); });
  forwarded(Reg::rax, [](Assembler& a, auto src) { a.alu(Alu::kAdd, Size::k64, Reg::rdx, src); });
  forwarded(Reg::rdx, [](Assembler& a, auto src) { a.imul(Size::k32, Reg::rsi, src); });
  // a 64-bit load back into the register just stored: nothing to emit
  EXPECT_EQ(frame([&](Assembler& a) {
              a.mov(Size::k64, slot, Reg::rax);
              a.mov(Size::k64, Reg::rax, slot);
            }),
            plain([&](Assembler& a) { a.mov(Size::k64, slot, Reg::rax); }));
  // not forwarded: another slot, a label between, an explicit end, an instruction between, and the same
  // displacement from another base register (not a frame slot)
  const auto kept = [&](auto&& between, Mem load) {
    const auto emit = [&](Assembler& a) {
      a.mov(Size::k64, slot, Reg::rax);
      between(a);
      a.mov(Size::k32, Reg::rcx, load);
    };
    EXPECT_EQ(frame(emit), plain(emit));
  };
  kept([](Assembler&) {}, mem(Reg::r15, 16));
  kept([](Assembler& a) { a.bind(a.new_label()); }, slot);
  kept([](Assembler& a) { a.end_store_forwarding(); }, slot);
  kept([](Assembler& a) { a.nop(); }, slot);
  kept([](Assembler&) {}, mem(Reg::r14, 8));
}

// The packed SSE forms of the SIMD ops: every Vec with low and high registers (REX.R / REX.B), the
// immediate forms, the unaligned moves with memory operands, lane inserts/extracts and mask moves.
TEST(X64Encoding, PackedSse) {
  const std::pair<Vec, const char*> ops[] = {{Vec::kPaddb, "paddb"},
                                             {Vec::kPaddw, "paddw"},
                                             {Vec::kPaddd, "paddd"},
                                             {Vec::kPaddq, "paddq"},
                                             {Vec::kPsubb, "psubb"},
                                             {Vec::kPsubw, "psubw"},
                                             {Vec::kPsubd, "psubd"},
                                             {Vec::kPsubq, "psubq"},
                                             {Vec::kPaddsb, "paddsb"},
                                             {Vec::kPaddsw, "paddsw"},
                                             {Vec::kPaddusb, "paddusb"},
                                             {Vec::kPaddusw, "paddusw"},
                                             {Vec::kPsubsb, "psubsb"},
                                             {Vec::kPsubsw, "psubsw"},
                                             {Vec::kPsubusb, "psubusb"},
                                             {Vec::kPsubusw, "psubusw"},
                                             {Vec::kPmullw, "pmullw"},
                                             {Vec::kPmulld, "pmulld"},
                                             {Vec::kPmaddwd, "pmaddwd"},
                                             {Vec::kPand, "pand"},
                                             {Vec::kPandn, "pandn"},
                                             {Vec::kPor, "por"},
                                             {Vec::kPxor, "pxor"},
                                             {Vec::kPminub, "pminub"},
                                             {Vec::kPmaxub, "pmaxub"},
                                             {Vec::kPminsw, "pminsw"},
                                             {Vec::kPmaxsw, "pmaxsw"},
                                             {Vec::kPminsb, "pminsb"},
                                             {Vec::kPmaxsb, "pmaxsb"},
                                             {Vec::kPminuw, "pminuw"},
                                             {Vec::kPmaxuw, "pmaxuw"},
                                             {Vec::kPminsd, "pminsd"},
                                             {Vec::kPmaxsd, "pmaxsd"},
                                             {Vec::kPminud, "pminud"},
                                             {Vec::kPmaxud, "pmaxud"},
                                             {Vec::kPavgb, "pavgb"},
                                             {Vec::kPavgw, "pavgw"},
                                             {Vec::kPcmpeqb, "pcmpeqb"},
                                             {Vec::kPcmpeqw, "pcmpeqw"},
                                             {Vec::kPcmpeqd, "pcmpeqd"},
                                             {Vec::kPcmpeqq, "pcmpeqq"},
                                             {Vec::kPcmpgtb, "pcmpgtb"},
                                             {Vec::kPcmpgtw, "pcmpgtw"},
                                             {Vec::kPcmpgtd, "pcmpgtd"},
                                             {Vec::kPabsb, "pabsb"},
                                             {Vec::kPabsw, "pabsw"},
                                             {Vec::kPabsd, "pabsd"},
                                             {Vec::kPshufb, "pshufb"},
                                             {Vec::kPtest, "ptest"},
                                             {Vec::kPacksswb, "packsswb"},
                                             {Vec::kPackuswb, "packuswb"},
                                             {Vec::kPackssdw, "packssdw"},
                                             {Vec::kPackusdw, "packusdw"},
                                             {Vec::kPunpcklbw, "punpcklbw"},
                                             {Vec::kPunpcklqdq, "punpcklqdq"},
                                             {Vec::kPmovsxbw, "pmovsxbw"},
                                             {Vec::kPmovsxwd, "pmovsxwd"},
                                             {Vec::kPmovsxdq, "pmovsxdq"},
                                             {Vec::kPmovzxbw, "pmovzxbw"},
                                             {Vec::kPmovzxwd, "pmovzxwd"},
                                             {Vec::kPmovzxdq, "pmovzxdq"},
                                             {Vec::kPsllw, "psllw"},
                                             {Vec::kPslld, "pslld"},
                                             {Vec::kPsllq, "psllq"},
                                             {Vec::kPsrlw, "psrlw"},
                                             {Vec::kPsrld, "psrld"},
                                             {Vec::kPsrlq, "psrlq"},
                                             {Vec::kPsraw, "psraw"},
                                             {Vec::kPsrad, "psrad"},
                                             {Vec::kAddps, "addps"},
                                             {Vec::kAddpd, "addpd"},
                                             {Vec::kSubps, "subps"},
                                             {Vec::kSubpd, "subpd"},
                                             {Vec::kMulps, "mulps"},
                                             {Vec::kMulpd, "mulpd"},
                                             {Vec::kDivps, "divps"},
                                             {Vec::kDivpd, "divpd"},
                                             {Vec::kSqrtps, "sqrtps"},
                                             {Vec::kSqrtpd, "sqrtpd"},
                                             {Vec::kMinps, "minps"},
                                             {Vec::kMinpd, "minpd"},
                                             {Vec::kMaxps, "maxps"},
                                             {Vec::kMaxpd, "maxpd"},
                                             {Vec::kCvtdq2ps, "cvtdq2ps"},
                                             {Vec::kCvttps2dq, "cvttps2dq"},
                                             {Vec::kCvtdq2pd, "cvtdq2pd"},
                                             {Vec::kCvtps2pd, "cvtps2pd"},
                                             {Vec::kCvtpd2ps, "cvtpd2ps"},
                                             {Vec::kCvttpd2dq, "cvttpd2dq"},
                                             {Vec::kPunpckhbw, "punpckhbw"},
                                             {Vec::kPmaddubsw, "pmaddubsw"},
                                             {Vec::kPmulhrsw, "pmulhrsw"},
                                             {Vec::kPmuldq, "pmuldq"},
                                             {Vec::kPmuludq, "pmuludq"},
                                             {Vec::kPcmpgtq, "pcmpgtq"}};
  const std::pair<VecShiftImm, const char*> shifts[] = {
      {VecShiftImm::kPsrlw, "psrlw"},  {VecShiftImm::kPsraw, "psraw"},   {VecShiftImm::kPsllw, "psllw"},
      {VecShiftImm::kPsrld, "psrld"},  {VecShiftImm::kPsrad, "psrad"},   {VecShiftImm::kPslld, "pslld"},
      {VecShiftImm::kPsrlq, "psrlq"},  {VecShiftImm::kPsrldq, "psrldq"}, {VecShiftImm::kPsllq, "psllq"},
      {VecShiftImm::kPslldq, "pslldq"}};
  Checker c;
  for (int d = 0; d < 16; d += 5) {
    for (int s : {1, 9, 15}) {
      for (auto [op, n] : ops)
        c.add(std::string(n) + " " + x(xmm(s)) + "," + x(xmm(d)),
              [=](Assembler& a) { a.vec(op, xmm(d), xmm(s)); });
      c.add("pshufd $0x1b," + x(xmm(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.vec(Vec::kPshufd, xmm(d), xmm(s), 0x1b); });
      c.add("roundps $0x9," + x(xmm(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.vec(Vec::kRoundps, xmm(d), xmm(s), 9); });
      c.add("roundpd $0xb," + x(xmm(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.vec(Vec::kRoundpd, xmm(d), xmm(s), 11); });
      c.add("pshuflw $0x0," + x(xmm(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.vec(Vec::kPshuflw, xmm(d), xmm(s), 0); });
      // objdump names cmpps/cmppd by predicate
      for (auto [pred, n] : {std::pair<uint8_t, const char*>{0, "eq"}, {1, "lt"}, {2, "le"}, {4, "neq"}}) {
        c.add(std::string("cmp") + n + "ps " + x(xmm(s)) + "," + x(xmm(d)),
              [=](Assembler& a) { a.vec(Vec::kCmpps, xmm(d), xmm(s), pred); });
        c.add(std::string("cmp") + n + "pd " + x(xmm(s)) + "," + x(xmm(d)),
              [=](Assembler& a) { a.vec(Vec::kCmppd, xmm(d), xmm(s), pred); });
      }
      c.add("pinsrb $0xf," + r32(reg(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.pinsr(LaneBytes::k1, xmm(d), reg(s), 15); });
      c.add("pinsrw $0x7," + r32(reg(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.pinsr(LaneBytes::k2, xmm(d), reg(s), 7); });
      c.add("pinsrd $0x3," + r32(reg(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.pinsr(LaneBytes::k4, xmm(d), reg(s), 3); });
      c.add("pinsrq $0x1," + r64(reg(s)) + "," + x(xmm(d)),
            [=](Assembler& a) { a.pinsr(LaneBytes::k8, xmm(d), reg(s), 1); });
      c.add("pextrb $0xf," + x(xmm(s)) + "," + r32(reg(d)),
            [=](Assembler& a) { a.pextr(LaneBytes::k1, reg(d), xmm(s), 15); });
      c.add("pextrw $0x7," + x(xmm(s)) + "," + r32(reg(d)),
            [=](Assembler& a) { a.pextr(LaneBytes::k2, reg(d), xmm(s), 7); });
      c.add("pextrd $0x3," + x(xmm(s)) + "," + r32(reg(d)),
            [=](Assembler& a) { a.pextr(LaneBytes::k4, reg(d), xmm(s), 3); });
      c.add("pextrq $0x1," + x(xmm(s)) + "," + r64(reg(d)),
            [=](Assembler& a) { a.pextr(LaneBytes::k8, reg(d), xmm(s), 1); });
      c.add("pmovmskb " + x(xmm(s)) + "," + r32(reg(d)), [=](Assembler& a) { a.pmovmskb(reg(d), xmm(s)); });
      c.add("movmskps " + x(xmm(s)) + "," + r32(reg(d)), [=](Assembler& a) { a.movmskps(reg(d), xmm(s)); });
      c.add("movmskpd " + x(xmm(s)) + "," + r32(reg(d)), [=](Assembler& a) { a.movmskpd(reg(d), xmm(s)); });
    }
    for (auto [op, n] : shifts)
      c.add(std::string(n) + " $0x3," + x(xmm(d)), [=](Assembler& a) { a.vec_shift(op, xmm(d), 3); });
  }
  for (const Mem& mm : some_mems()) {
    c.add("movdqu " + m(mm) + ",%xmm9", [=](Assembler& a) { a.movdqu(Xmm::xmm9, mm); });
    c.add("movdqu %xmm3," + m(mm), [=](Assembler& a) { a.movdqu(mm, Xmm::xmm3); });
    c.add("movq " + m(mm) + ",%xmm1", [=](Assembler& a) { a.movq_load(Xmm::xmm1, mm); });
    c.add("movd " + m(mm) + ",%xmm12", [=](Assembler& a) { a.movd_load(Xmm::xmm12, mm); });
  }
  c.check();
}

// The VEX.128 forms (AVX): the two-byte prefix where it suffices (0F map, no REX.X/B), the three-byte
// one otherwise (0F 38 / 0F 3A maps, r8-r15 in the r/m operand), the second source in vvvv, memory
// operands of every shape, and the immediate of vcmpps/vcmppd.
TEST(X64Encoding, VexForms) {
  const std::pair<Vec, const char*> ops[] = {{Vec::kPaddd, "vpaddd"},     {Vec::kPxor, "vpxor"},
                                             {Vec::kPmulld, "vpmulld"},   {Vec::kPshufb, "vpshufb"},
                                             {Vec::kAddps, "vaddps"},     {Vec::kMulpd, "vmulpd"},
                                             {Vec::kPminud, "vpminud"},   {Vec::kPackusdw, "vpackusdw"},
                                             {Vec::kPcmpgtq, "vpcmpgtq"}, {Vec::kPsubusb, "vpsubusb"}};
  Checker c;
  for (auto [op, n] : ops) {
    for (int d : {0, 3, 8, 15})
      for (int s1 : {1, 9, 14})
        for (int s2 : {2, 10}) {
          c.add(std::string(n) + " " + x(xmm(s2)) + "," + x(xmm(s1)) + "," + x(xmm(d)),
                [=](Assembler& a) { a.vex(op, xmm(d), xmm(s1), xmm(s2)); });
        }
    for (const Mem& mm : some_mems())
      c.add(std::string(n) + " " + m(mm) + ",%xmm11,%xmm4",
            [=](Assembler& a) { a.vex(op, Xmm::xmm4, Xmm::xmm11, mm); });
  }
  c.add("vcmpltps %xmm2,%xmm9,%xmm12",
        [](Assembler& a) { a.vex(Vec::kCmpps, Xmm::xmm12, Xmm::xmm9, Xmm::xmm2, 1); });
  c.add("vcmpneqpd 0x8(%r15),%xmm1,%xmm0",
        [](Assembler& a) { a.vex(Vec::kCmppd, Xmm::xmm0, Xmm::xmm1, mem(Reg::r15, 8), 4); });
  c.check();
}

// Vector store-to-load forwarding: a movdqu load of the frame slot just stored with movdqu becomes a
// register move (nothing when it is the stored register); anything between keeps the load.
TEST(X64Encoding, FrameSlotVectorForwarding) {
  auto assemble = [](bool slots, auto&& emit) { return assemble_bytes(slots, emit); };
  const Mem slot = mem(Reg::r15, 16);
  const auto store = [&](Assembler& a) { a.movdqu(slot, Xmm::xmm0); };
  // into another register: movaps
  EXPECT_EQ(assemble(true,
                     [&](Assembler& a) {
                       store(a);
                       EXPECT_TRUE(a.vector_forwarded_from(slot).has_value());
                       a.movdqu(Xmm::xmm1, slot);
                     }),
            assemble(false, [&](Assembler& a) {
              store(a);
              a.movaps(Xmm::xmm1, Xmm::xmm0);
            }));
  // into the stored register: nothing, and a second load is still forwarded
  EXPECT_EQ(assemble(true,
                     [&](Assembler& a) {
                       store(a);
                       a.movdqu(Xmm::xmm0, slot);
                       a.movdqu(Xmm::xmm15, slot);
                     }),
            assemble(false, [&](Assembler& a) {
              store(a);
              a.movaps(Xmm::xmm15, Xmm::xmm0);
            }));
  // kept: another slot, a label, an explicit end, an instruction between, another base register
  const auto kept = [&](auto&& between, Mem load) {
    const auto emit = [&](Assembler& a) {
      store(a);
      between(a);
      a.movdqu(Xmm::xmm1, load);
    };
    EXPECT_EQ(assemble(true, emit), assemble(false, emit));
  };
  kept([](Assembler&) {}, mem(Reg::r15, 24));
  kept([](Assembler& a) { a.bind(a.new_label()); }, slot);
  kept([](Assembler& a) { a.end_store_forwarding(); }, slot);
  kept([](Assembler& a) { a.vec(Vec::kPaddd, Xmm::xmm0, Xmm::xmm1); }, slot);
  kept([](Assembler&) {}, mem(Reg::r14, 16));
}

// Vector accesses and held slots. Counting: a whole v128 access counts as a vector access of its first
// slot and marks the second as its tail; a narrower one marks the slots as addressed in part. Held: a
// v128 held in an xmm register (SlotRegister::vector) is read and written by register moves, a scalar
// access of either half flags a violation (the baseline compiler then emits the op again with the slots
// spilled), and so does a vector access of a slot held as a scalar.
TEST(X64Encoding, VectorAccessOfHeldSlots) {
  Assembler counting;
  counting.configure_slots(Reg::r15, 64, /*counting=*/true);
  counting.movdqu(Xmm::xmm0, mem(Reg::r15, 8));      // slots 1 and 2
  counting.movq_load(Xmm::xmm0, mem(Reg::r15, 40));  // slot 5
  const auto& counts = counting.slot_counts();
  EXPECT_EQ(counts[1].vector, 1u);
  EXPECT_FALSE(counts[1].partial);
  EXPECT_TRUE(counts[2].vector_tail);
  EXPECT_EQ(counts[2].vector, 0u);
  EXPECT_EQ(counts[3].vector + counts[3].vector_tail, 0u);
  EXPECT_TRUE(counts[5].partial);

  // a scalar held at 16 (rsi), a v128 held at 32 (xmm9)
  auto assemble = [](auto&& emit, bool* violation = nullptr) {
    return assemble_bytes(true, emit, {{16, false, uint8_t(Reg::rsi)}, {32, true, uint8_t(Xmm::xmm9), true}},
                          violation);
  };
  auto plain = [](auto&& emit) { return assemble_bytes(false, emit); };
  bool violation = true;
  // the held v128 at 32: loads and stores are register moves (none into itself)
  EXPECT_EQ(assemble(
                [](Assembler& a) {
                  a.movdqu(Xmm::xmm0, mem(Reg::r15, 32));
                  a.movdqu(mem(Reg::r15, 32), Xmm::xmm1);
                  a.movdqu(Xmm::xmm9, mem(Reg::r15, 32));
                  EXPECT_EQ(a.held_vector_register(mem(Reg::r15, 32)), Xmm::xmm9);
                  EXPECT_FALSE(a.held_vector_register(mem(Reg::r15, 40)));
                  EXPECT_FALSE(a.held_vector_register(mem(Reg::r15, 16)));
                },
                &violation),
            plain([](Assembler& a) {
              a.movaps(Xmm::xmm0, Xmm::xmm9);
              a.movaps(Xmm::xmm9, Xmm::xmm1);
            }));
  EXPECT_FALSE(violation);
  // not held: slots 3 and 6: emitted against memory, no violation
  const auto unheld = [](Assembler& a) {
    a.movdqu(Xmm::xmm0, mem(Reg::r15, 48));
    a.movdqu(mem(Reg::r15, 0), Xmm::xmm0);
  };
  EXPECT_EQ(assemble(unheld, &violation), plain(unheld));
  EXPECT_FALSE(violation);
  // violations: a scalar read of the held v128's second half, a v128 over the scalar held at 16, a
  // v128 straddling the held one
  assemble([](Assembler& a) { a.mov(Size::k64, Reg::rax, mem(Reg::r15, 40)); }, &violation);
  EXPECT_TRUE(violation);
  assemble([](Assembler& a) { a.movdqu(mem(Reg::r15, 8), Xmm::xmm0); }, &violation);
  EXPECT_TRUE(violation);
  assemble([](Assembler& a) { a.movdqu(Xmm::xmm0, mem(Reg::r15, 24)); }, &violation);
  EXPECT_TRUE(violation);
}

}  // namespace
}  // namespace airwasm::jit
