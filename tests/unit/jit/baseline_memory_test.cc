// baseline: the memory, global and table ops of ops_memory.cc, run one lowered instruction (or a short
// sequence) at a time under a minimal OpEmitter: compiled code gets a frame, an instance and a memory
// (base, size) in the pinned registers and returns 0 or TrapCode + 1. Results are compared with the Wasm
// semantics computed here in C++ (the bounds rule, the extensions, wrapping address arithmetic), including
// the corners the spec suite cannot reach: offsets of 2^31 and more, and accesses at the end of a 4 GiB
// memory (a reservation whose only accessible pages are the ones the test touches).
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "baseline/emitter.hh"
#include "interp/exec.hh"
#include "interp/iop.hh"
#include "jit/exec_memory.hh"

namespace airwasm::baseline {
namespace {

using interp::IOp;
using jit::Cond;
using jit::Label;
using jit::mem;
using jit::Reg;
using jit::Size;

// A lowered instruction: the handler address, then u32 operands.
std::vector<uint8_t> instr(IOp op, std::initializer_list<uint32_t> operands) {
  std::vector<uint8_t> b(8);
  const void* h = interp::handler(op);
  std::memcpy(b.data(), &h, 8);
  for (uint32_t v : operands) {
    b.resize(b.size() + 4);
    std::memcpy(b.data() + b.size() - 4, &v, 4);
  }
  return b;
}

using Entry = uint32_t(interp::ExecContext*, uint64_t* fp, interp::InstanceData*, uint8_t* base,
                       uint64_t size);

// Compiles a sequence of lowered instructions between an entry that loads the pinned registers from its
// arguments and an exit that returns 0 (or TrapCode + 1 from a trap).
class Harness final : public OpEmitter {
 public:
  explicit Harness(std::vector<std::vector<uint8_t>> code) : code_(std::move(code)) { as_ = &a_; }

  void trap_if(Cond c, TrapCode code) override {
    Label l = a_.new_label();
    a_.jcc(c, l);
    stubs_.push_back({l, code});
  }
  void trap(TrapCode code) override {
    Label l = a_.new_label();
    a_.jmp(l);
    stubs_.push_back({l, code});
  }
  void call_helper(const void* fn, HelperEffects effects) override {
    a_.mov_imm(Size::k64, Reg::rax, reinterpret_cast<uint64_t>(fn));
    a_.call(Reg::rax);
    ++helper_calls;
    if (effects == HelperEffects::kGrowMemory) {
      a_.mov(Size::k64, Reg::rcx, kInstReg);  // keep rax (the result)
      load_memory(mem(Reg::rcx, layout().inst_memory0));
    }
  }
  void call_trapping_helper(const void* fn, HelperEffects effects) override {
    call_helper(fn, effects);
    a_.test(Size::k32, Reg::rax, Reg::rax);
    a_.jcc(Cond::kNE, exit_);
  }
  void select_memory(uint32_t index) override {
    a_.mov(Size::k64, Reg::rcx, mem(kInstReg, layout().inst_memories));
    load_memory(mem(Reg::rcx, int32_t(index * 8)));
  }
  void restore_memory0() override { load_memory(mem(kInstReg, layout().inst_memory0)); }

  // Emits the code; false (with the failure recorded) if an op was not translated or had the wrong size.
  bool build() {
    exit_ = a_.new_label();
    for (Reg r : {Reg::rbx, Reg::rbp, Reg::r12, Reg::r13, Reg::r14, Reg::r15}) a_.push(r);
    a_.alu(jit::Alu::kSub, Size::k64, Reg::rsp, 8);
    a_.mov(Size::k64, kCtxReg, Reg::rdi);
    a_.mov(Size::k64, kFpReg, Reg::rsi);
    a_.mov(Size::k64, kInstReg, Reg::rdx);
    a_.mov(Size::k64, kMemBaseReg, Reg::rcx);
    a_.mov(Size::k64, kMemSizeReg, Reg::r8);
    for (const std::vector<uint8_t>& i : code_) {
      pc_ = i.data();
      Result<uint32_t> size = emit_memory_op(*this, op_of(i));
      if (!size) {
        ADD_FAILURE() << size.error().message;
        return false;
      }
      if (*size != i.size()) {
        ADD_FAILURE() << "size " << *size << ", lowered " << i.size();
        return false;
      }
      pos_ += *size;
    }
    a_.xor_(Size::k32, Reg::rax, Reg::rax);
    a_.jmp(exit_);
    for (const Stub& s : stubs_) {
      a_.bind(s.label);
      a_.mov_imm(Size::k32, Reg::rax, uint32_t(s.code) + 1);
      a_.jmp(exit_);
    }
    a_.bind(exit_);
    a_.alu(jit::Alu::kAdd, Size::k64, Reg::rsp, 8);
    for (Reg r : {Reg::r15, Reg::r14, Reg::r13, Reg::r12, Reg::rbp, Reg::rbx}) a_.pop(r);
    a_.ret();
    auto published = jit::publish_code(a_.code());
    if (!published) {
      ADD_FAILURE() << published.error().message;
      return false;
    }
    exec_ = std::move(*published);
    return true;
  }
  uint32_t run(interp::ExecContext& ctx, uint64_t* fp, interp::InstanceData& inst, uint8_t* base,
               uint64_t size) {
    return exec_.entry<Entry>()(&ctx, fp, &inst, base, size);
  }

  int helper_calls = 0;

 private:
  static IOp op_of(const std::vector<uint8_t>& i) {
    const void* h;
    std::memcpy(&h, i.data(), 8);
    for (size_t k = 0; k < interp::kIOpCount; ++k)
      if (interp::handler(IOp(k)) == h) return IOp(k);
    return IOp::kCount;
  }
  // r13/r12 = base/size of the MemoryInst* at `slot`.
  void load_memory(const jit::Mem& slot) {
    a_.mov(Size::k64, Reg::rcx, slot);
    a_.mov(Size::k64, kMemBaseReg, mem(Reg::rcx, layout().mem_base));
    a_.mov(Size::k64, kMemSizeReg, mem(Reg::rcx, layout().mem_size));
  }

  struct Stub {
    Label label;
    TrapCode code;
  };
  std::vector<std::vector<uint8_t>> code_;
  jit::Assembler a_;
  Label exit_;
  std::vector<Stub> stubs_;
  jit::ExecutableCode exec_;
};

constexpr uint32_t kOob = uint32_t(TrapCode::kMemoryOutOfBounds) + 1;
constexpr uint32_t kTableOob = uint32_t(TrapCode::kTableOutOfBounds) + 1;

// A 4 GiB memory (the wasm32 maximum) of which only the pages around 0, 2 GiB and 4 GiB are accessible
// (an access elsewhere crashes the test: a wrong address computation cannot pass silently).
class BigMemory {
 public:
  static constexpr uint64_t kSize = uint64_t(1) << 32;
  static constexpr uint64_t kWindow = 65536;
  BigMemory() {
    void* p = mmap(nullptr, kSize + kWindow, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    base = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
    if (!base) return;
    for (uint64_t start : {uint64_t(0), (kSize >> 1) - kWindow, kSize >> 1, kSize - kWindow}) {
      mprotect(base + start, kWindow, PROT_READ | PROT_WRITE);
      for (uint64_t i = 0; i < kWindow; ++i) base[start + i] = uint8_t(i * 151 + (start >> 24) + 0x80);
    }
  }
  ~BigMemory() {
    if (base) munmap(base, kSize + kWindow);
  }
  uint8_t* base = nullptr;
};

struct AccessCase {
  IOp plain, disp, indexed;
  uint32_t bytes;
  bool store, sign, result64;
};
constexpr AccessCase kAccesses[] = {
    {IOp::I32Load, IOp::I32LoadD, IOp::I32LoadX, 4, false, false, false},
    {IOp::I64Load, IOp::I64LoadD, IOp::I64LoadX, 8, false, false, true},
    {IOp::F32Load, IOp::F32LoadD, IOp::F32LoadX, 4, false, false, false},
    {IOp::F64Load, IOp::F64LoadD, IOp::F64LoadX, 8, false, false, true},
    {IOp::I32Load8S, IOp::I32Load8SD, IOp::I32Load8SX, 1, false, true, false},
    {IOp::I32Load8U, IOp::I32Load8UD, IOp::I32Load8UX, 1, false, false, false},
    {IOp::I32Load16S, IOp::I32Load16SD, IOp::I32Load16SX, 2, false, true, false},
    {IOp::I32Load16U, IOp::I32Load16UD, IOp::I32Load16UX, 2, false, false, false},
    {IOp::I64Load8S, IOp::I64Load8SD, IOp::I64Load8SX, 1, false, true, true},
    {IOp::I64Load8U, IOp::I64Load8UD, IOp::I64Load8UX, 1, false, false, true},
    {IOp::I64Load16S, IOp::I64Load16SD, IOp::I64Load16SX, 2, false, true, true},
    {IOp::I64Load16U, IOp::I64Load16UD, IOp::I64Load16UX, 2, false, false, true},
    {IOp::I64Load32S, IOp::I64Load32SD, IOp::I64Load32SX, 4, false, true, true},
    {IOp::I64Load32U, IOp::I64Load32UD, IOp::I64Load32UX, 4, false, false, true},
    {IOp::I32Store, IOp::I32StoreD, IOp::I32StoreX, 4, true, false, false},
    {IOp::I64Store, IOp::I64StoreD, IOp::I64StoreX, 8, true, false, false},
    {IOp::F32Store, IOp::F32StoreD, IOp::F32StoreX, 4, true, false, false},
    {IOp::F64Store, IOp::F64StoreD, IOp::F64StoreX, 8, true, false, false},
    {IOp::I32Store8, IOp::I32Store8D, IOp::I32Store8X, 1, true, false, false},
    {IOp::I32Store16, IOp::I32Store16D, IOp::I32Store16X, 2, true, false, false},
    {IOp::I64Store8, IOp::I64Store8D, IOp::I64Store8X, 1, true, false, false},
    {IOp::I64Store16, IOp::I64Store16D, IOp::I64Store16X, 2, true, false, false},
    {IOp::I64Store32, IOp::I64Store32D, IOp::I64Store32X, 4, true, false, false},
};

// The value a load of `c` reads at `p`, extended as Wasm says, as the 64-bit slot contents it defines
// (i32 results: the low half only).
uint64_t reference_load(const AccessCase& c, const uint8_t* p) {
  uint64_t raw = 0;
  std::memcpy(&raw, p, c.bytes);  // little-endian
  if (c.sign && c.bytes < 8) {
    const unsigned bits = c.bytes * 8;
    raw = uint64_t(int64_t(raw << (64 - bits)) >> (64 - bits));
  }
  return c.result64 ? raw : uint64_t(uint32_t(raw));
}

enum class Form { kPlain, kDisp, kIndexed };

// The lowered access of `c` in `form` whose effective address is `addr` (32-bit, wrapping) + `offset`.
// Slots: 0 dst/base, 1 base/value, 2 index. The address components are chosen so that the sum wraps.
std::vector<uint8_t> access_instr(const AccessCase& c, Form form, uint32_t addr, uint32_t offset,
                                  uint64_t* fp, uint32_t shift) {
  // loads: [dst = slot 0][base = slot 1]; stores: [base = slot 0][value = slot 1]
  const uint32_t base_slot = c.store ? 0 : 8, first = 0, second = 8;
  switch (form) {
    case Form::kPlain:
      fp[base_slot / 8] = 0xdead'beef'0000'0000 | addr;  // the upper half is not the address
      return instr(c.plain, {first, second, offset});
    case Form::kDisp: {
      const uint32_t disp = 0x9000'0123;
      fp[base_slot / 8] = 0xdead'beef'0000'0000 | uint32_t(addr - disp);
      return instr(c.disp, {first, second, disp, offset});
    }
    case Form::kIndexed: {
      const uint32_t disp = 0xffff'fff3, index = 0x8000'0007;
      fp[2] = 0xdead'beef'0000'0000 | index;
      fp[base_slot / 8] = 0xdead'beef'0000'0000 | uint32_t(addr - (index << shift) - disp);
      return instr(c.indexed, {first, second, 16, shift, disp, offset});
    }
  }
  return {};
}

TEST(BaselineMemory, LoadsAndStoresMatchTheBoundsRuleAndExtensions) {
  BigMemory m;
  ASSERT_NE(m.base, nullptr);
  interp::ExecContext ctx;
  interp::InstanceData inst;
  const uint64_t size = BigMemory::kSize;
  // (address, offset): in bounds at the start, around 2 GiB (offsets of 2^31 and more), at the very end;
  // one byte past the end; address + offset past 4 GiB (no 32-bit wrap of the sum).
  struct Where {
    uint32_t addr, offset;
  };
  for (const AccessCase& c : kAccesses) {
    const std::vector<Where> wheres = {
        {0, 0},
        {5, 11},
        {0x7fff'fff0, 0x10},
        {0x10, 0x7fff'fffd},
        {3, 0x8000'0000},
        {0x8000'0000, 0x8000'0000 - c.bytes},  // the last bytes of memory, offset >= 2^31
        {uint32_t(size - c.bytes), 0},
        {uint32_t(size - c.bytes - 9), 9},
        {uint32_t(size - c.bytes + 1), 0},  // traps: one byte past the end
        {uint32_t(size - c.bytes), 1},
        {0xffff'ffff, 0xffff'ffff},
        {0, 0xffff'ffff},
        {0x8000'0000, 0x8000'0000 - c.bytes + 1},
    };
    for (Form form : {Form::kPlain, Form::kDisp, Form::kIndexed}) {
      for (uint32_t shift : {0u, 3u, 5u}) {
        if (form != Form::kIndexed && shift != 0) continue;
        for (const Where& w : wheres) {
          uint64_t fp[4] = {};
          const uint64_t ea = uint64_t(w.addr) + w.offset;
          const bool oob = ea + c.bytes > size;
          const uint64_t sentinel = 0x0123'4567'89ab'cdef;
          const uint64_t value = 0xf1e2'd3c4'b5a6'9788;
          std::vector<uint8_t> code = access_instr(c, form, w.addr, w.offset, fp, shift);
          if (c.store)
            fp[1] = value;
          else
            fp[0] = sentinel;
          Harness h({code});
          ASSERT_TRUE(h.build());
          uint8_t before[8] = {}, around[2] = {};
          if (!oob) {
            std::memcpy(before, m.base + ea, c.bytes);
            around[0] = ea > 0 ? m.base[ea - 1] : 0;
            around[1] = ea + c.bytes < size ? m.base[ea + c.bytes] : 0;
          }
          const uint32_t r = h.run(ctx, fp, inst, m.base, size);
          SCOPED_TRACE(testing::Message() << "op " << int(c.plain) << " form " << int(form) << " shift "
                                          << shift << " addr " << w.addr << " offset " << w.offset);
          if (oob) {
            EXPECT_EQ(r, kOob);
            if (!c.store) {
              EXPECT_EQ(fp[0], sentinel);
            }
            continue;
          }
          ASSERT_EQ(r, 0u);
          if (c.store) {
            EXPECT_EQ(std::memcmp(m.base + ea, &value, c.bytes), 0);
            if (ea > 0) {
              EXPECT_EQ(m.base[ea - 1], around[0]);
            }
            if (ea + c.bytes < size) {
              EXPECT_EQ(m.base[ea + c.bytes], around[1]);
            }
            std::memcpy(m.base + ea, before, c.bytes);
          } else {
            const uint64_t got = c.result64 ? fp[0] : uint64_t(uint32_t(fp[0]));
            EXPECT_EQ(got, reference_load(c, m.base + ea));
          }
        }
      }
    }
  }
}

TEST(BaselineMemory, ZeroSizeMemoryTrapsEveryAccess) {
  interp::ExecContext ctx;
  interp::InstanceData inst;
  uint8_t byte = 0;
  uint64_t fp[2] = {0, 0};
  Harness h({instr(IOp::I32Load8U, {0, 8, 0})});
  ASSERT_TRUE(h.build());
  EXPECT_EQ(h.run(ctx, fp, inst, &byte, 0), kOob);
}

// ---- memory size, grow, bulk memory, multi-memory ----

struct Memories {
  std::vector<uint8_t> m0 = std::vector<uint8_t>(3 * 65536), m1 = std::vector<uint8_t>(65536);
  interp::MemoryInst i0, i1;
  interp::InstanceData inst;
  interp::ExecContext ctx;
  Memories() {
    i0.base = m0.data();
    i0.size_bytes = 2 * 65536;  // grows to 3 pages in place
    i1.base = m1.data();
    i1.size_bytes = m1.size();
    for (size_t i = 0; i < m0.size(); ++i) m0[i] = uint8_t(i);
    for (size_t i = 0; i < m1.size(); ++i) m1[i] = uint8_t(i * 3 + 1);
    inst.memories = {&i0, &i1};
    inst.memory0 = &i0;
    ctx.memory_grow = [](interp::ExecContext&, interp::MemoryInst* m, uint64_t delta) -> int64_t {
      const uint64_t old = m->size_bytes / 65536;
      const uint64_t limit = m->base == nullptr ? 0 : (m->size_bytes >= 2 * 65536 ? 3 : 1);
      if (old + delta > limit) return -1;
      m->size_bytes += delta * 65536;
      return int64_t(old);
    };
  }
  uint32_t run(std::vector<std::vector<uint8_t>> code, uint64_t* fp) {
    Harness h(std::move(code));
    if (!h.build()) return ~0u;
    return h.run(ctx, fp, inst, i0.base, i0.size_bytes);
  }
};

TEST(BaselineMemory, SizeAndGrowReloadTheMemoryRegisters) {
  Memories s;
  uint64_t fp[4] = {};
  fp[1] = 1;          // delta
  fp[2] = 2 * 65536;  // an address in the third page
  fp[3] = ~uint64_t{0};
  // size; grow by 1 (old size 2); a load in the new page (in bounds only if r12 was reloaded); size.
  ASSERT_EQ(s.run({instr(IOp::MemorySize, {0}), instr(IOp::MemoryGrow, {8, 8}),
                   instr(IOp::I32Load8U, {24, 16, 5}), instr(IOp::MemorySize, {16})},
                  fp),
            0u);
  EXPECT_EQ(uint32_t(fp[0]), 2u);
  EXPECT_EQ(uint32_t(fp[1]), 2u);  // memory.grow returned the old size
  EXPECT_EQ(uint32_t(fp[3]), uint32_t(uint8_t(2 * 65536 + 5)));
  EXPECT_EQ(uint32_t(fp[2]), 3u);
  fp[1] = 1;
  ASSERT_EQ(s.run({instr(IOp::MemoryGrow, {0, 8})}, fp), 0u);
  EXPECT_EQ(uint32_t(fp[0]), 0xffff'ffffu);  // -1: refused
}

TEST(BaselineMemory, FillCopyInitAndDropFollowTheBoundsRule) {
  Memories s;
  const uint8_t segment[] = {10, 20, 30, 40};
  std::vector<wasm::DataSegment> segments(1);
  segments[0].bytes = segment;
  s.inst.data_segments = segments;
  s.inst.data_dropped = {false};
  const uint64_t size = s.i0.size_bytes;
  uint64_t fp[3];
  auto set = [&](uint64_t a, uint64_t b, uint64_t c) {
    fp[0] = a;
    fp[1] = b;
    fp[2] = c;
  };
  // fill [d][v][n]
  set(100, 0x1ff, 3);
  ASSERT_EQ(s.run({instr(IOp::MemoryFill, {0, 8, 16})}, fp), 0u);
  EXPECT_EQ(s.m0[99], 99);
  EXPECT_EQ(s.m0[100], 0xff);
  EXPECT_EQ(s.m0[102], 0xff);
  EXPECT_EQ(s.m0[103], 103);
  set(size - 3, 7, 3);
  EXPECT_EQ(s.run({instr(IOp::MemoryFill, {0, 8, 16})}, fp), 0u);
  set(size - 3, 7, 4);
  EXPECT_EQ(s.run({instr(IOp::MemoryFill, {0, 8, 16})}, fp), kOob);
  set(size, 7, 0);
  EXPECT_EQ(s.run({instr(IOp::MemoryFill, {0, 8, 16})}, fp), 0u);  // n = 0 at the end is allowed
  set(0xffff'ffff, 7, 0xffff'ffff);
  EXPECT_EQ(s.run({instr(IOp::MemoryFill, {0, 8, 16})}, fp), kOob);
  // copy [d][s][n], overlapping
  set(201, 200, 4);
  ASSERT_EQ(s.run({instr(IOp::MemoryCopy, {0, 8, 16})}, fp), 0u);
  EXPECT_EQ(s.m0[201], 200);
  EXPECT_EQ(s.m0[204], 203);
  set(0, size - 1, 2);
  EXPECT_EQ(s.run({instr(IOp::MemoryCopy, {0, 8, 16})}, fp), kOob);
  // init [d][s][n][segment]
  set(300, 1, 3);
  ASSERT_EQ(s.run({instr(IOp::MemoryInit, {0, 8, 16, 0})}, fp), 0u);
  EXPECT_EQ(s.m0[300], 20);
  EXPECT_EQ(s.m0[302], 40);
  set(300, 2, 3);
  EXPECT_EQ(s.run({instr(IOp::MemoryInit, {0, 8, 16, 0})}, fp), kOob);
  set(size - 1, 0, 2);
  EXPECT_EQ(s.run({instr(IOp::MemoryInit, {0, 8, 16, 0})}, fp), kOob);
  // drop: then only n = 0 is in bounds
  ASSERT_EQ(s.run({instr(IOp::DataDrop, {0})}, fp), 0u);
  EXPECT_TRUE(s.inst.data_dropped[0]);
  set(0, 0, 0);
  EXPECT_EQ(s.run({instr(IOp::MemoryInit, {0, 8, 16, 0})}, fp), 0u);
  set(0, 0, 1);
  EXPECT_EQ(s.run({instr(IOp::MemoryInit, {0, 8, 16, 0})}, fp), kOob);
}

TEST(BaselineMemory, OtherMemoriesThroughSelectAndTheMForms) {
  Memories s;
  uint64_t fp[4] = {};
  fp[1] = 10;
  // memory 1's byte, then memory 0's byte at the same address; the bounds of memory 1 (one page) apply
  // inside the window.
  ASSERT_EQ(s.run({instr(IOp::MemSelect, {1}), instr(IOp::I32Load8U, {0, 8, 0}), instr(IOp::MemRestore, {}),
                   instr(IOp::I32Load8U, {16, 8, 0})},
                  fp),
            0u);
  EXPECT_EQ(uint32_t(fp[0]), uint32_t(uint8_t(10 * 3 + 1)));
  EXPECT_EQ(uint32_t(fp[2]), 10u);
  fp[1] = 65536;  // in memory 0 (two pages), not in memory 1
  EXPECT_EQ(
      s.run({instr(IOp::MemSelect, {1}), instr(IOp::I32Load8U, {0, 8, 0}), instr(IOp::MemRestore, {})}, fp),
      kOob);
  EXPECT_EQ(s.run({instr(IOp::I32Load8U, {0, 8, 0})}, fp), 0u);
  // memory.size of memory 1 in a window; memory.fill in a window writes memory 1
  fp[0] = 5;
  fp[1] = 0x77;
  fp[2] = 2;
  ASSERT_EQ(s.run({instr(IOp::MemSelect, {1}), instr(IOp::MemorySize, {24}),
                   instr(IOp::MemoryFill, {0, 8, 16}), instr(IOp::MemRestore, {})},
                  fp),
            0u);
  EXPECT_EQ(uint32_t(fp[3]), 1u);
  EXPECT_EQ(s.m1[5], 0x77);
  EXPECT_EQ(s.m1[6], 0x77);
  EXPECT_EQ(s.m0[5], 5);
  // memory.copy from memory 1 to memory 0: [d][s][n][dst][src]
  fp[0] = 1000;
  fp[1] = 5;
  fp[2] = 2;
  ASSERT_EQ(s.run({instr(IOp::MemoryCopyM, {0, 8, 16, 0, 1})}, fp), 0u);
  EXPECT_EQ(s.m0[1000], 0x77);
  EXPECT_EQ(s.m0[1001], 0x77);
  fp[0] = 0;
  fp[1] = 65535;
  EXPECT_EQ(s.run({instr(IOp::MemoryCopyM, {0, 8, 16, 0, 1})}, fp), kOob);
  // memory.grow of memory 1 (limit 1 page: refused), then memory 0's registers are back
  fp[1] = 1;
  ASSERT_EQ(s.run({instr(IOp::MemoryGrowM, {0, 8, 1}), instr(IOp::MemorySize, {16})}, fp), 0u);
  EXPECT_EQ(uint32_t(fp[0]), 0xffff'ffffu);
  EXPECT_EQ(uint32_t(fp[2]), 2u);
}

// ---- globals, ref.func, tables ----

TEST(BaselineMemory, GlobalsAndRefFunc) {
  interp::ExecContext ctx;
  interp::InstanceData inst;
  interp::GlobalInst g0, g1;
  g0.value[0] = 0x1111'2222'3333'4444;
  g1.value[0] = 5;
  g1.value[1] = 6;
  inst.globals = {&g0, &g1};
  interp::FuncInst f0, f1;
  inst.funcs = {&f0, &f1};
  uint64_t fp[6] = {0, 0, 0, 0, 0xaaaa, 0xbbbb};
  uint8_t byte = 0;
  Harness h({instr(IOp::GlobalGet8, {0, 0}), instr(IOp::GlobalGet16, {8, 1}), instr(IOp::GlobalSet8, {32, 0}),
             instr(IOp::GlobalSet16, {32, 1}), instr(IOp::RefFunc, {24, 1})});
  ASSERT_TRUE(h.build());
  ASSERT_EQ(h.run(ctx, fp, inst, &byte, 0), 0u);
  EXPECT_EQ(fp[0], 0x1111'2222'3333'4444u);
  EXPECT_EQ(fp[1], 5u);
  EXPECT_EQ(fp[2], 6u);
  EXPECT_EQ(fp[3], reinterpret_cast<uint64_t>(&f1));
  EXPECT_EQ(g0.value[0], 0xaaaau);
  EXPECT_EQ(g1.value[0], 0xaaaau);
  EXPECT_EQ(g1.value[1], 0xbbbbu);
}

TEST(BaselineMemory, TableOpsFollowTheBoundsRule) {
  interp::ExecContext ctx;
  interp::InstanceData inst;
  interp::TableInst t0, t1;
  t0.elems = {1, 2, 3, 4};
  t1.elems = {9, 8};
  inst.tables = {&t0, &t1};
  inst.elems = {{100, 200, 300}};
  ctx.table_grow = [](interp::ExecContext&, interp::TableInst* t, uint64_t n, uint64_t init) -> int64_t {
    if (t->elems.size() + n > 6) return -1;
    const int64_t old = int64_t(t->elems.size());
    t->elems.resize(t->elems.size() + n, init);
    return old;
  };
  uint8_t byte = 0;
  uint64_t fp[5];
  auto run = [&](std::vector<uint8_t> i, std::initializer_list<uint64_t> slots) {
    std::copy(slots.begin(), slots.end(), fp);
    Harness h({std::move(i)});
    if (!h.build()) return ~0u;
    return h.run(ctx, fp, inst, &byte, 0);
  };
  // get [dst][table][i]
  EXPECT_EQ(run(instr(IOp::TableGet, {0, 1, 8}), {0, 1}), 0u);
  EXPECT_EQ(fp[0], 8u);
  EXPECT_EQ(run(instr(IOp::TableGet, {0, 1, 8}), {77, 2}), kTableOob);
  EXPECT_EQ(fp[0], 77u);
  // set [table][i][v]
  EXPECT_EQ(run(instr(IOp::TableSet, {0, 0, 8}), {3, 0x1234'5678'9abc}), 0u);
  EXPECT_EQ(t0.elems[3], 0x1234'5678'9abcu);
  EXPECT_EQ(run(instr(IOp::TableSet, {0, 0, 8}), {4, 1}), kTableOob);
  // size [dst][table]; grow [dst][table][init][n]
  EXPECT_EQ(run(instr(IOp::TableSize, {0, 1}), {0}), 0u);
  EXPECT_EQ(uint32_t(fp[0]), 2u);
  EXPECT_EQ(run(instr(IOp::TableGrow, {0, 1, 8, 16}), {0, 55, 3}), 0u);
  EXPECT_EQ(uint32_t(fp[0]), 2u);
  EXPECT_EQ(t1.elems, (std::vector<uint64_t>{9, 8, 55, 55, 55}));
  EXPECT_EQ(run(instr(IOp::TableGrow, {0, 1, 8, 16}), {0, 55, 2}), 0u);
  EXPECT_EQ(uint32_t(fp[0]), 0xffff'ffffu);
  // fill [table][i][v][n]
  EXPECT_EQ(run(instr(IOp::TableFill, {0, 0, 8, 16}), {1, 7, 3}), 0u);
  EXPECT_EQ(t0.elems, (std::vector<uint64_t>{1, 7, 7, 7}));
  EXPECT_EQ(run(instr(IOp::TableFill, {0, 0, 8, 16}), {2, 7, 3}), kTableOob);
  // copy [dst table][src table][d][s][n]
  EXPECT_EQ(run(instr(IOp::TableCopy, {0, 1, 0, 8, 16}), {0, 3, 2}), 0u);
  EXPECT_EQ(t0.elems, (std::vector<uint64_t>{55, 55, 7, 7}));
  EXPECT_EQ(run(instr(IOp::TableCopy, {0, 1, 0, 8, 16}), {0, 4, 2}), kTableOob);
  // init [segment][table][d][s][n]; drop
  EXPECT_EQ(run(instr(IOp::TableInit, {0, 0, 0, 8, 16}), {1, 1, 2}), 0u);
  EXPECT_EQ(t0.elems, (std::vector<uint64_t>{55, 200, 300, 7}));
  EXPECT_EQ(run(instr(IOp::TableInit, {0, 0, 0, 8, 16}), {3, 1, 2}), kTableOob);
  EXPECT_EQ(run(instr(IOp::ElemDrop, {0}), {}), 0u);
  EXPECT_EQ(run(instr(IOp::TableInit, {0, 0, 0, 8, 16}), {0, 0, 0}), 0u);
  EXPECT_EQ(run(instr(IOp::TableInit, {0, 0, 0, 8, 16}), {0, 0, 1}), kTableOob);
}

}  // namespace
}  // namespace airwasm::baseline
