// baseline: the translator's driver (docs/compiler.md). One forward pass over a function's lowered code
// (after a dry run that counts frame-slot accesses per loop, to choose the slots held in registers in
// each loop); every lowered instruction start gets a native position, and the resume points among them
// (all of them without held registers) let an activation stopped at that lowered pc continue in compiled
// code or in the interpreter. The driver translates control flow
// (branches with their fuel charges and interrupt checks, br_table, calls, returns, traps) itself and hands
// every other op to the family files through OpEmitter (emitter.hh). Slow paths (out of fuel, interrupt,
// traps) are out-of-line stubs after each function; they leave through the module's shared exit, which
// stores the pinned registers back into ExecContext exactly as the interpreter's exits do.
//
// Functions are assembled into code regions, one per batch (the whole module at load, or one function that
// became hot), each published once (W^X) after its last function. A function with an op no family
// translates is rolled back and stays interpreted.
#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iterator>
#include <mutex>
#include <set>
#include <string>

#include <unistd.h>

#include "base/result.hh"
#include "baseline/emitter.hh"
#include "baseline/helpers.hh"
#include "baseline/native.hh"
#include "interp/iop.hh"

namespace airwasm::baseline {

using interp::CompiledFunc;
using interp::ExecContext;
using interp::IOp;
using jit::Alu;
using jit::Assembler;
using jit::Cond;
using jit::Label;
using jit::mem;
using jit::Reg;
using jit::Size;

const Layout& layout() {
  static const Layout l = [] {
    // ExecContext and InstanceData are not standard-layout, so offsetof is not allowed: measure.
    static ExecContext ctx;
    static interp::InstanceData inst;
    static interp::MemoryInst memory;
    static interp::GlobalInst global;
    auto at = [](const void* base, const void* field) {
      return int32_t(static_cast<const char*>(field) - static_cast<const char*>(base));
    };
    // A std::vector's first word is its data pointer (libstdc++ and libc++ alike); compiled code loads it
    // directly. Checked here once rather than assumed silently.
    inst.funcs.resize(1);
    void* first_word;
    std::memcpy(&first_word, &inst.funcs, sizeof first_word);
    if (first_word != inst.funcs.data()) std::abort();
    // ... and its second the end pointer (the inline call_indirect computes a table's size from both).
    static interp::TableInst table;
    table.elems.resize(3);
    void* words[2];
    std::memcpy(words, &table.elems, sizeof words);
    if (words[0] != table.elems.data() || words[1] != table.elems.data() + 3) std::abort();
    static interp::FuncInst func;
    static interp::CompiledFunc code;
    Layout r{};
    r.table_elems = at(&table, &table.elems);
    r.func_type_id = at(&func, &func.type_id);
    r.func_instance = at(&func, &func.instance);
    r.func_code = at(&func, &func.code);
    r.func_call_entry = at(&func, &func.compiled_call_entry);
    r.code_native = at(&code, &code.native);
    r.code_frame_slots = at(&code, &code.frame_slots);
    r.ctx_fp = at(&ctx, &ctx.fp);
    r.ctx_fuel = at(&ctx, &ctx.fuel);
    r.ctx_frame_top = at(&ctx, &ctx.frame_top);
    r.ctx_interrupt = at(&ctx, &ctx.interrupt);
    r.ctx_instance = at(&ctx, &ctx.instance);
    r.ctx_pc = at(&ctx, &ctx.pc);
    r.ctx_trap = at(&ctx, &ctx.trap);
    r.ctx_trap_pc = at(&ctx, &ctx.trap_pc);
    r.ctx_pending_charge = at(&ctx, &ctx.pending_charge);
    r.ctx_frames_end = at(&ctx, &ctx.frames_end);
    r.ctx_stack_end = at(&ctx, &ctx.stack_end);
    r.ctx_native_sp = at(&ctx, &ctx.native_sp);
    r.ctx_native_frames_end = at(&ctx, &ctx.native_frames_end);
    r.ctx_native_frames_base = at(&ctx, &ctx.native_frames_base);
    static NativeFunc nf;
    r.native_entry = at(&nf, &nf.entry);
    r.native_entry_charged = at(&nf, &nf.entry_charged);
    r.inst_funcs = at(&inst, &inst.funcs);
    r.inst_tables = at(&inst, &inst.tables);
    r.inst_memories = at(&inst, &inst.memories);
    r.inst_globals = at(&inst, &inst.globals);
    r.inst_memory0 = at(&inst, &inst.memory0);
    r.mem_base = at(&memory, &memory.base);
    r.mem_size = at(&memory, &memory.size_bytes);
    r.global_value = at(&global, &global.value);
    return r;
  }();
  return l;
}

namespace {

template <typename F>
uint64_t address_of(F* f) {
  return reinterpret_cast<uint64_t>(f);
}

// The reverse of interp::handler_table(): handler address -> op. Ops the dispatch loop does not implement
// share one handler address and are left out, so they are "not translatable". Looked up once per lowered
// instruction, so an open-addressed table (a multiplicative hash of the address, linear probing) rather
// than a node-based map.
class OpByHandler {
 public:
  OpByHandler() {
    std::fill(std::begin(ops_), std::end(ops_), kEmpty);
    for (size_t i = 0; i < interp::kIOpCount; ++i) {
      if (!interp::iop_implemented(IOp(i))) continue;
      const void* h = interp::handler(IOp(i));
      size_t at = slot_of(h);
      while (ops_[at] != kEmpty && interp::handler(IOp(ops_[at])) != h) at = (at + 1) & (kSize - 1);
      if (ops_[at] != kEmpty) continue;  // the first op with this handler, as the map's emplace kept
      ops_[at] = uint16_t(i);
      low_[at] = low_bits(h);
    }
    // Every handler the lowered code can hold (also the shared one of the ops left out) must be found
    // alike by its low half alone; otherwise (code spanning 4 GiB) lookups compare whole addresses.
    for (size_t i = 0; i < interp::kIOpCount && low_bits_decide_; ++i) {
      const void* h = interp::handler(IOp(i));
      IOp exact{}, by_low{};
      const bool found_exact = lookup(h, exact, false), found_by_low = lookup(h, by_low, true);
      if (found_exact != found_by_low || (found_exact && exact != by_low)) low_bits_decide_ = false;
    }
  }
  // The op whose handler is `h`, or false.
  bool find(const void* h, IOp& op) const { return lookup(h, op, low_bits_decide_); }

 private:
  // by_low_bits: the low half of the address decides (the handlers lie within one binary's code, so
  // less than 4 GiB apart; checked when the table is built), sparing a load from the handler table.
  bool lookup(const void* h, IOp& op, bool by_low_bits) const {
    const uint32_t low = low_bits(h);
    for (size_t at = slot_of(h);; at = (at + 1) & (kSize - 1)) {
      if (ops_[at] == kEmpty) return false;
      if (low_[at] == low && (by_low_bits || interp::handler(IOp(ops_[at])) == h)) {
        op = IOp(ops_[at]);
        return true;
      }
    }
  }

  // At most half full, 12 KiB: small, so that it stays in the L1 cache while the lowered code streams
  // past (the address itself would double it).
  static constexpr size_t kBits = 11, kSize = size_t{1} << kBits;
  static constexpr uint16_t kEmpty = 0xffff;
  static_assert(interp::kIOpCount * 2 <= kSize);
  static size_t slot_of(const void* h) {
    return size_t((reinterpret_cast<uintptr_t>(h) * 0x9e3779b97f4a7c15u) >> (64 - kBits));
  }
  static uint32_t low_bits(const void* h) { return uint32_t(reinterpret_cast<uintptr_t>(h)); }
  uint16_t ops_[kSize];
  uint32_t low_[kSize] = {};
  bool low_bits_decide_ = true;
};

const OpByHandler& op_by_handler() {
  static const OpByHandler table;
  return table;
}

// Op names for refusals, in IOp order.
const char* const kOpNames[] = {
#define AIRWASM_OP(name, code, text, imm, sig, arg) #name,
#include "wasm/opcodes.def"
#undef AIRWASM_OP
#define AIRWASM_IOP(name) #name,
#include "interp/iops.def"
#undef AIRWASM_IOP
};
static_assert(std::size(kOpNames) == interp::kIOpCount);

// The ten integer comparisons in the order of the interpreter's INT_COMPARES (Eq, Ne, LtS, LtU, GtS, GtU,
// LeS, LeU, GeS, GeU), as x86 conditions after `cmp a, b`.
constexpr Cond kCompareConds[10] = {Cond::kE, Cond::kNE, Cond::kL,  Cond::kB,  Cond::kG,
                                    Cond::kA, Cond::kLE, Cond::kBE, Cond::kGE, Cond::kAE};

// Loads memory 0 of the instance in kInstReg into the memory registers (zero if it has none).
void emit_reload_memory0(Assembler& a) {
  const Layout& l = layout();
  Label none = a.new_label(), done = a.new_label();
  a.mov(Size::k64, Reg::rax, mem(kInstReg, l.inst_memory0));
  a.test(Size::k64, Reg::rax, Reg::rax);
  a.jcc(Cond::kE, none);
  a.mov(Size::k64, kMemBaseReg, mem(Reg::rax, l.mem_base));
  a.mov(Size::k64, kMemSizeReg, mem(Reg::rax, l.mem_size));
  a.jmp(done);
  a.bind(none);
  a.alu(Alu::kXor, Size::k32, kMemBaseReg, kMemBaseReg);
  a.alu(Alu::kXor, Size::k32, kMemSizeReg, kMemSizeReg);
  a.bind(done);
}

// The registers of the running activation's state stored into ctx (fp, fuel when metered, instance),
// where C++ (a helper) is about to read them, and loaded back from it.
void emit_state_to_ctx(Assembler& a, bool metered) {
  const Layout& l = layout();
  a.mov(Size::k64, mem(kCtxReg, l.ctx_fp), kFpReg);
  if (metered) a.mov(Size::k64, mem(kCtxReg, l.ctx_fuel), kFuelReg);
  a.mov(Size::k64, mem(kCtxReg, l.ctx_instance), kInstReg);
}
void emit_state_from_ctx(Assembler& a, bool metered) {
  const Layout& l = layout();
  a.mov(Size::k64, kFpReg, mem(kCtxReg, l.ctx_fp));
  if (metered) a.mov(Size::k64, kFuelReg, mem(kCtxReg, l.ctx_fuel));
  a.mov(Size::k64, kInstReg, mem(kCtxReg, l.ctx_instance));
}

// How many calls between compiled functions may nest as native calls in one activation (16 bytes of
// native stack each: 64 KiB at most); deeper calls take the call helper, which jumps, and return through
// their Frame (docs/compiler.md, "Calls"). Bounded because host functions and helpers run at the deepest
// point, on a thread whose stack size the embedder chose: 64 KiB leaves most of even a small thread stack
// (musl's default is 128 KiB) to them, and no benchmark recursion comes near 4,096 calls.
constexpr uint32_t kNativeCallFrames = 4096;

// The data right before the out-of-line continuation of an inline call (emit_stubs), which the Frame's
// native_return points to: the call's return_pc (8 bytes) and the offset of its arguments in the
// caller's frame (4 bytes, then 4 of padding). The exit stub reads them to complete the Frames that
// the inline paths left partly unwritten (emit_module_stubs).
constexpr uint32_t kContinuationData = 16;

// The frame top (ctx.frame_top: one past the running function's Frame) as compiled code keeps it: in
// the 8 bytes above its return address on the native stack (16 bytes a native call: the caller stores
// the callee's frame top there, push_frame; the entry stub its own), not in ctx.frame_top, which
// compiled code brings up to date only where C++ reads it: before the call helper (emit_call_helper)
// and when the activation leaves (exit_state; a return that does not `ret` writes both). Kept in ctx,
// every call and return would wait for the store the previous one made (store-to-load forwarding,
// about 5 cycles, a chain through every call of a recursion) and store it again; each function's slot
// is written once, at its call. A callee entered by a jump (the call helper's path) shares its
// caller's slot: the helper path stores the callee's frame top there, the callee's return its
// caller's.
const jit::Mem kFrameTopSlot = mem(Reg::rsp, 8);

// ctx.frame_top = the frame-top slot, where C++ is about to read it (kFrameTopSlot). Uses rcx.
void emit_frame_top_to_ctx(Assembler& a) {
  a.mov(Size::k64, Reg::rcx, kFrameTopSlot);
  a.mov(Size::k64, mem(kCtxReg, layout().ctx_frame_top), Reg::rcx);
}

// ctx.native_frames_end = min(frames_end, rax + kNativeCallFrames frames), rax = ctx.native_frames_base:
// the inline call paths push frames (marked, native calls) only below it, so that at most
// kNativeCallFrames marked frames of one activation are live (all lie at or above the base). Uses rax.
void emit_native_frames_end(Assembler& a) {
  const Layout& l = layout();
  a.alu(Alu::kAdd, Size::k64, Reg::rax, int32_t(kNativeCallFrames * sizeof(interp::Frame)));
  a.alu(Alu::kCmp, Size::k64, Reg::rax, mem(kCtxReg, l.ctx_frames_end));
  a.cmovcc(Cond::kA, Size::k64, Reg::rax, mem(kCtxReg, l.ctx_frames_end));
  a.mov(Size::k64, mem(kCtxReg, l.ctx_native_frames_end), Reg::rax);
}

// The module's shared entry and exits, at the start of its code.
struct ModuleStubs {
  // Compiled with fuel: r14 holds the fuel; without, the fuel is never touched and r14 is one more
  // register for frame slots (docs/compiler.md, "Registers").
  bool metered = true;
  uint32_t entry = 0;  // uint32_t entry(ExecContext* ctx, const void* native_pc)
  Label exit_state;    // leave with eax = status, storing fp, instance and fuel
  Label exit_done;     // leave after the entry frame returned: fuel only (as the interpreter's `done`)
  // The helper path of a call: rsi = the CallSite, rdx = where the callee returns to (its continuation);
  // the held registers are stored. Calls helper_call, which runs the callee (or sets it up to be entered
  // by the jump that follows) and returns where to go on, or a status.
  Label call_helper;
  static constexpr uint32_t kNotInBatch = ~uint32_t{0};
  // A function's entries, as code offsets. `charged` charges CompiledFunc::entry_cost and goes on to
  // `plain`, which loads the parameters the function holds in registers at its entry (`params`) from
  // their slots. `registers` and `registers_charged` skip those loads: they expect the parameters in
  // `params`' registers as well as in their slots. A direct call that knows its callee's entries passes
  // the arguments so, register to register: a store and a load of each argument put a store-forwarding
  // delay (several cycles) on the path from a caller's value to the callee's first use of it, every
  // call (in recursive pointer-chasing code, on the critical path).
  struct Entries {
    uint32_t charged = kNotInBatch, plain = 0, registers_charged = 0, registers = 0;
    // `charged` and `plain` after zeroing the slots of the declared locals, for compiled call_indirect
    // (NativeFunc::entry_zeroing(_charged), copied to FuncInst::compiled_call_entry)
    uint32_t zeroing_charged = 0, zeroing = 0;
    std::vector<Assembler::SlotRegister> params;
    // Declared locals held in registers at the entry: `registers` zeroes them in their registers, so a
    // caller that enters there need not zero their slots.
    std::vector<int32_t> held_locals;  // frame offsets
    // Null: the offsets are in this batch's code. Else the function was published by an earlier batch
    // and the offsets are from this address (its region's start): a call goes to the absolute address.
    const uint8_t* published_base = nullptr;
  };
  // The entries of the functions translated so far into this batch, and of those published by earlier
  // batches, by defined-function index (charged kNotInBatch: none). Those of this batch are published
  // together with any caller in it or not at all, those of earlier batches stay as long as the module:
  // a call to one is direct (a call to a label or to an absolute address), without looking up NativeFunc.
  std::vector<Entries> batch_entries;
};

ModuleStubs emit_module_stubs(Assembler& a, bool metered) {
  const Layout& l = layout();
  ModuleStubs s;
  s.metered = metered;
  s.entry = uint32_t(a.size());
  for (Reg r : {Reg::rbx, Reg::rbp, Reg::r12, Reg::r13, Reg::r14, Reg::r15}) a.push(r);
  a.mov(Size::k64, kCtxReg, Reg::rdi);
  // The outer activation's native-call fields (a host function re-entering wasm nests activations on
  // one ExecContext); three pushes after six leave rsp 16-byte aligned for helper calls.
  for (int32_t field : {l.ctx_native_sp, l.ctx_native_frames_base, l.ctx_native_frames_end}) {
    a.mov(Size::k64, Reg::rax, mem(kCtxReg, field));
    a.push(Reg::rax);
  }
  // and 16 bytes for the frame-top slot of the code entered here ([rsp + 8], kFrameTopSlot)
  a.alu(Alu::kSub, Size::k64, Reg::rsp, 16);
  a.mov(Size::k64, mem(kCtxReg, l.ctx_native_sp), Reg::rsp);
  a.mov(Size::k64, Reg::rax, mem(kCtxReg, l.ctx_frame_top));
  a.mov(Size::k64, kFrameTopSlot, Reg::rax);
  a.mov(Size::k64, mem(kCtxReg, l.ctx_native_frames_base), Reg::rax);
  emit_native_frames_end(a);
  emit_state_from_ctx(a, metered);
  a.mov(Size::k64, Reg::r11, Reg::rsi);
  emit_reload_memory0(a);
  a.jmp(Reg::r11);
  s.exit_state = a.new_label();
  a.bind(s.exit_state);
  emit_frame_top_to_ctx(a);
  a.mov(Size::k64, mem(kCtxReg, l.ctx_fp), kFpReg);
  a.mov(Size::k64, mem(kCtxReg, l.ctx_instance), kInstReg);
  s.exit_done = a.new_label();
  a.bind(s.exit_done);
  if (metered) a.mov(Size::k64, mem(kCtxReg, l.ctx_fuel), kFuelReg);
  // Unmark the frames this activation pushed with a native call (their return addresses are discarded
  // with the native stack below): whoever continues them returns through native_return's address. The
  // inline call paths left return_pc, caller_fp and caller_instance of those frames unwritten (nothing
  // reads them while the frame is marked: emit_return's marked path needs none), so they are filled
  // here, from the top down: return_pc and the arguments' offset are the 16 bytes of data right before
  // the continuation native_return points to (emit_stubs), caller_fp is the frame's own fp (r8, from
  // fp at the top, then each frame's caller_fp) minus that offset, and caller_instance is the callee's
  // instance (the inline paths call only within the instance). Each frame is unmarked at most once, so
  // this costs O(1) per call overall. eax (the status) is kept.
  Label unmark = a.new_label(), unmark_test = a.new_label(), not_marked = a.new_label();
  a.mov(Size::k64, Reg::rcx, mem(kCtxReg, l.ctx_frame_top));
  a.mov(Size::k64, Reg::rdx, mem(kCtxReg, l.ctx_native_frames_base));
  a.mov(Size::k64, Reg::r8, kFpReg);
  a.jmp(unmark_test);
  a.bind(unmark);
  a.alu(Alu::kSub, Size::k64, Reg::rcx, int32_t(sizeof(interp::Frame)));
  a.mov(Size::k64, Reg::rsi, mem(Reg::rcx, int32_t(offsetof(interp::Frame, native_return))));
  a.test(Size::k64, Reg::rsi, Reg::rsi);
  a.jcc(Cond::kNS, not_marked);                       // pushed by the call helper, complete
  a.shift(jit::Shift::kShl, Size::k64, Reg::rsi, 1);  // clear bit 63, the mark
  a.shift(jit::Shift::kShr, Size::k64, Reg::rsi, 1);
  a.mov(Size::k64, mem(Reg::rcx, int32_t(offsetof(interp::Frame, native_return))), Reg::rsi);
  a.mov(Size::k64, Reg::rdi, mem(Reg::rsi, -int32_t(kContinuationData)));  // return_pc
  a.mov(Size::k64, mem(Reg::rcx, int32_t(offsetof(interp::Frame, return_pc))), Reg::rdi);
  a.movsxd(Reg::rdi, mem(Reg::rsi, -int32_t(kContinuationData) + 8));  // the arguments' offset
  a.sub(Size::k64, Reg::r8, Reg::rdi);
  a.mov(Size::k64, mem(Reg::rcx, int32_t(offsetof(interp::Frame, caller_fp))), Reg::r8);
  a.mov(Size::k64, Reg::rdi, mem(Reg::rcx, int32_t(offsetof(interp::Frame, func))));
  a.mov(Size::k64, Reg::rdi, mem(Reg::rdi, l.func_instance));
  a.mov(Size::k64, mem(Reg::rcx, int32_t(offsetof(interp::Frame, caller_instance))), Reg::rdi);
  a.jmp(unmark_test);
  a.bind(not_marked);
  a.mov(Size::k64, Reg::r8, mem(Reg::rcx, int32_t(offsetof(interp::Frame, caller_fp))));
  a.bind(unmark_test);
  a.cmp(Size::k64, Reg::rcx, Reg::rdx);
  a.jcc(Cond::kA, unmark);
  a.mov(Size::k64, Reg::rsp, mem(kCtxReg, l.ctx_native_sp));
  a.alu(Alu::kAdd, Size::k64, Reg::rsp, 16);
  for (int32_t field : {l.ctx_native_frames_end, l.ctx_native_frames_base, l.ctx_native_sp}) {
    a.pop(Reg::rcx);
    a.mov(Size::k64, mem(kCtxReg, field), Reg::rcx);
  }
  for (Reg r : {Reg::r15, Reg::r14, Reg::r13, Reg::r12, Reg::rbp, Reg::rbx}) a.pop(r);
  a.ret();

  s.call_helper = a.new_label();
  a.bind(s.call_helper);
  emit_state_to_ctx(a, metered);
  emit_frame_top_to_ctx(a);  // (entered by a jump: the frame-top slot is the calling function's)
  a.mov(Size::k64, Reg::rdi, kCtxReg);
  a.mov_imm(Size::k64, Reg::rax, address_of(&helper_call));
  a.call(Reg::rax);
  emit_state_from_ctx(a, metered);
  // the frame top the helper left: the callee's, when it pushed a Frame and the callee is entered by the
  // jump below (kFrameTopSlot)
  a.mov(Size::k64, Reg::rcx, mem(kCtxReg, l.ctx_frame_top));
  a.mov(Size::k64, kFrameTopSlot, Reg::rcx);
  a.mov(Size::k64, Reg::r11, Reg::rax);
  emit_reload_memory0(a);
  a.mov(Size::k64, Reg::rax, Reg::r11);
  a.alu(Alu::kCmp, Size::k64, Reg::rax, int32_t(kNativeStatusLimit));
  a.jcc(Cond::kB, s.exit_state);  // a status: ctx holds the state
  a.jmp(Reg::rax);
  return s;
}

// The frame slots held in registers, per region of a function: [0] outside every loop, [1 + i] in
// CompiledFunc::loops[i] outside the loops nested in it (docs/compiler.md, "Registers").
using RegionSets = std::vector<std::vector<Assembler::SlotRegister>>;

// For each loop of `loops` (ascending by begin, nested ones after theirs), the region of the loop around
// it: 1 + that loop's index, or 0 for none.
std::vector<uint32_t> loop_parents(const std::vector<interp::LoopExtent>& loops) {
  std::vector<uint32_t> parents(loops.size(), 0);
  std::vector<size_t> open;  // the loops around the current one, innermost last
  for (size_t i = 0; i < loops.size(); ++i) {
    while (!open.empty() &&
           !(loops[open.back()].begin <= loops[i].begin && loops[i].end <= loops[open.back()].end))
      open.pop_back();
    parents[i] = open.empty() ? 0 : uint32_t(open.back() + 1);
    open.push_back(i);
  }
  return parents;
}

// The region of lowered position `pos`: 1 + the index of the innermost loop that contains it, else 0. The
// last loop beginning at or before `pos` is that loop or one nested in it (loops nest), so the answer
// is found walking up from there.
size_t innermost_loop_region(const std::vector<interp::LoopExtent>& loops,
                             const std::vector<uint32_t>& parents, uint32_t pos) {
  auto it = std::upper_bound(loops.begin(), loops.end(), pos,
                             [](uint32_t p, const interp::LoopExtent& l) { return p < l.begin; });
  if (it == loops.begin()) return 0;
  size_t region = size_t(it - loops.begin());  // 1 + the index of the loop before `it`
  while (region != 0 && pos >= loops[region - 1].end) region = parents[region - 1];
  return region;
}

class FunctionTranslator final : public OpEmitter {
 public:
  // `held_sets`: the frame slots held in registers in each region of the function (empty: none), by
  // region (RegionSets); `counting`: a dry run that emits no code and counts the accesses to each slot
  // per region (Assembler::slot_counts) to choose them for the translation that follows (the caller
  // rolls the assembler back to before it).
  // `parents`: loop_parents(f.loops).
  FunctionTranslator(Assembler& a, const ModuleStubs& stubs, const interp::CompiledModule& module,
                     const CompiledFunc& f, const std::vector<uint32_t>& parents, std::deque<CallSite>& sites,
                     RegionSets held_sets, bool counting)
      : stubs_(stubs),
        module_(module),
        f_(f),
        sites_(sites),
        sets_(std::move(held_sets)),
        holding_(std::any_of(sets_.begin(), sets_.end(), [](const auto& set) { return !set.empty(); })),
        loop_parents_(parents),
        counting_(counting) {
    as_ = &a;
    if (!holding_) sets_.clear();
  }

  // Emits the function; `out` gets its entry offsets and resume points (native offsets in the module code).
  Result<void> run(ModuleStubs::Entries& entries, std::vector<ResumePoint>& resume) {
    Assembler& a = as();
    a.configure_slots(kFpReg, int32_t(f_.frame_slots * 8), counting_, counting_ ? 1 + f_.loops.size() : 1);
    trap_common_ = a.new_label();
    emit_entries(entries);
    own_entries_ = entries;
    uint32_t pos = 0;
    while (pos < f_.code_size) {
      bind_instruction(pos);
      pos_ = pos;
      pc_ = f_.entry + pos;
      auto size = translate_one();
      if (!size) return std::unexpected(size.error());
      pos += *size;
    }
    if (!pending_.empty())
      return std::unexpected(refuse("a branch target is not an instruction start").error());
    if (a.slot_register_violation())  // in the driver's own code: should not happen; translate unpinned
      return std::unexpected(refuse("a local held in a register was addressed in memory").error());
    if (backward_to_non_loop_ && holding_)  // should not happen either: see target_label
      return std::unexpected(refuse("a backward branch to an instruction that is not a loop header").error());
    if (counting_) {  // a dry run: the counts are all it is for (the stubs address no local)
      a.end_slots();
      return {};
    }
    emit_stubs();
    if (!holding_) {
      resume.reserve(positions_.size() - not_resumable_.size());
      size_t skip = 0;  // not_resumable_ is in code order, as positions_
      for (auto [lowered, native] : positions_) {
        if (skip < not_resumable_.size() && not_resumable_[skip] == lowered) {
          ++skip;
          continue;
        }
        resume.push_back(ResumePoint{lowered, native});
      }
    } else {
      // Only where an activation can stop and continue (the entry, fuel stops, calls and their
      // continuations), and through a stub that loads the held locals first.
      // Lowered offset 0 may be a loop header, so a resumption there reloads everything (`entry` is
      // only for a fresh call). Each stub loads the registers of its position's region and jumps past
      // the region's entry moves (positions_ is bound after them).
      resume.push_back(ResumePoint{0, uint32_t(a.size())});
      use_region(region_of(0));
      reload_all();
      a.jmp(a.label_at(positions_.front().second));
      std::sort(resume_positions_.begin(), resume_positions_.end());
      resume_positions_.erase(std::unique(resume_positions_.begin(), resume_positions_.end()),
                              resume_positions_.end());
      for (uint32_t lowered : resume_positions_) {
        if (lowered == 0 || std::binary_search(not_resumable_.begin(), not_resumable_.end(), lowered))
          continue;
        // Every resume point must be a place where store forwarding stopped (bind_instruction); should
        // not fail: a function that breaks this is translated again without held registers.
        if (!std::binary_search(forwarding_ends_.begin(), forwarding_ends_.end(), lowered))
          return std::unexpected(refuse("a resume point inside a store-forwarding pair").error());
        auto it =
            std::lower_bound(positions_.begin(), positions_.end(), std::make_pair(lowered, uint32_t{0}));
        if (it == positions_.end() || it->first != lowered) continue;
        resume.push_back(ResumePoint{lowered, uint32_t(a.size())});
        use_region(region_of(lowered));
        reload_all();
        a.jmp(a.label_at(it->second));
      }
    }
    a.end_slots();
    return {};
  }

  // After a dry run: the module's functions it calls directly (defined-function indices, with repeats).
  std::vector<uint32_t> take_callees() { return std::move(callees_); }

  // AIRWASM_BASELINE_MEMORY_ARGS=1 passes every argument and result of a call between compiled functions
  // through the frame slots only (the convention before ModuleStubs::Entries), to measure against and to
  // bisect a disagreement between the tiers.
  static inline const bool kRegArgs = [] {
    const char* v = std::getenv("AIRWASM_BASELINE_MEMORY_ARGS");
    return !(v && *v && *v != '0');
  }();
  // ---- locals held in registers (docs/compiler.md, "Registers") ----
  // Regions: 0 is the code outside every loop, 1 + i the code of f_.loops[i] outside the loops nested in
  // it. Each region holds its own set of frame slots in registers (chosen from its own accesses, sharing
  // what it can with the region around it: choose_held_locals); code that passes from one region to
  // another spills what the next does not hold the same way and loads what it holds anew.
  const std::vector<Assembler::SlotRegister>& held() const {
    static const std::vector<Assembler::SlotRegister> kNone;
    return sets_.empty() ? kNone : sets_[region_];
  }
  // The region of the instruction at lowered `pos`: its innermost loop's (see loop_parents).
  size_t region_of(uint32_t pos) const { return innermost_loop_region(f_.loops, loop_parents_, pos); }
  // region_of(pos) for the instruction being bound, in O(1) amortized: positions only increase, so the
  // loops around them are entered in the order of f_.loops and left innermost first.
  size_t advance_region(uint32_t pos) {
    while (!open_regions_.empty() && f_.loops[open_regions_.back() - 1].end <= pos) open_regions_.pop_back();
    while (next_region_loop_ < f_.loops.size() && f_.loops[next_region_loop_].begin <= pos) {
      if (f_.loops[next_region_loop_].end > pos) open_regions_.push_back(next_region_loop_ + 1);
      ++next_region_loop_;
    }
    const size_t region = open_regions_.empty() ? 0 : open_regions_.back();
    assert(region == region_of(pos));
    return region;
  }
  // Makes `region`'s set the assembler's (stubs, and the code after an edge that left the region);
  // every held register counts as written.
  void use_region(size_t region) {
    region_ = region;
    if (holding_) as().set_slot_registers(sets_[region]);
  }
  // Emits the passage from the current region to `to`: stores the registers the current region holds
  // and `to` does not hold identically (only those written), loads those `to` holds anew; a register
  // both hold for the same slot stays, with its written bit.
  void switch_region(size_t to) {
    Assembler& a = as();
    const std::vector<Assembler::SlotRegister>& from = sets_[region_];
    const std::vector<Assembler::SlotRegister>& next = sets_[to];
    const uint32_t written = a.written_slot_registers();
    const bool paused = a.slot_registers_paused();
    a.pause_slot_registers(true);
    for (size_t i = 0; i < from.size(); ++i)  // all stores before any load: a load may reuse a register
      if ((written >> i & 1) && std::find(next.begin(), next.end(), from[i]) == next.end())
        move_slot(from[i], /*to_memory=*/true);
    uint32_t carried = 0;
    for (size_t i = 0; i < next.size(); ++i) {
      const auto same = std::find(from.begin(), from.end(), next[i]);
      if (same == from.end())
        move_slot(next[i], /*to_memory=*/false);
      else if (written >> (same - from.begin()) & 1)
        carried |= 1u << i;
    }
    a.pause_slot_registers(paused);
    use_region(to);
    a.set_written_slot_registers(carried);
  }

  // The entries (ModuleStubs::Entries), in this order:
  //   registers_charged: charge the entry cost and jump to `registers`; if short of fuel, undo, store
  //                      the parameters held and zero the slots of the locals held, and go on to
  //                      `charged` (whose stub leaves with the frame the interpreter expects)
  //   charged:           charge the entry cost (a stub: out of fuel)
  //   plain:             load the parameters held in registers
  //   registers:         zero the declared locals held in registers
  // Entered at `charged` or `plain` (the interpreter, the call helper, calls through NativeFunc), the
  // parameters are in their slots and the declared locals are zero; entered at `registers` (a direct
  // call from compiled code that knows the entries), the parameters held are in their registers and
  // perhaps not in their slots, and the slots of the locals held are garbage. Operand-stack slots hold
  // nothing yet. A function that holds no parameter and no declared local at its entry has registers =
  // plain and registers_charged = charged.
  void emit_entries(ModuleStubs::Entries& e) {
    Assembler& a = as();
    const int32_t params_end = int32_t(f_.param_slots) * 8;
    const int32_t locals_end = params_end + int32_t(f_.local_slots) * 8;
    e.params.clear();
    e.held_locals.clear();
    for (const Assembler::SlotRegister& r : held()) {  // region 0's
      if (r.disp < params_end)
        e.params.push_back(r);
      else if (r.disp < locals_end)
        e.held_locals.push_back(r.disp);
    }
    const Label registers = a.new_label();
    // `zeroing(_charged)`: zero every declared local's slot (held or not: an out-of-fuel exit at `charged`
    // leaves the frame as the interpreter expects it at an entry), then `plain` / `charged`.
    const Label charged = a.new_label(), plain = a.new_label();
    e.zeroing_charged = e.zeroing = 0;
    if (f_.local_slots > 0) {
      e.zeroing_charged = uint32_t(a.size());
      zero_slots(params_end, f_.local_slots, Reg::rcx);
      a.jmp(charged);
      e.zeroing = uint32_t(a.size());
      zero_slots(params_end, f_.local_slots, Reg::rcx);
      a.jmp(plain);
    }
    // `registers_charged` is a path of its own when something is skipped at `registers` and there is a
    // cost to charge. With AIRWASM_BASELINE_MEMORY_ARGS=1 no caller skips anything: the entries are the
    // slot ones (below), and every call site follows from them.
    const bool skips = kRegArgs && (!e.params.empty() || !e.held_locals.empty());
    const bool charging = stubs_.metered && f_.entry_cost != 0;
    e.registers_charged = uint32_t(a.size());
    if (skips && charging) {
      const Label short_of_fuel = a.new_label();
      adjust_fuel(Alu::kSub, f_.entry_cost);
      a.jcc(Cond::kL, short_of_fuel);
      a.jmp(registers);
      a.bind(short_of_fuel);
      adjust_fuel(Alu::kAdd, f_.entry_cost);
      for (const Assembler::SlotRegister& r : held()) {
        if (r.disp < params_end) {
          move_slot(r, /*to_memory=*/true);
        } else if (r.disp < locals_end) {
          a.mov_imm(Size::k64, mem(kFpReg, r.disp), 0);
          if (r.vector) a.mov_imm(Size::k64, mem(kFpReg, r.disp + 8), 0);
        }
      }
    }
    a.bind(charged);
    e.charged = uint32_t(a.size());
    charge(f_.entry_cost, 0, /*registers_live=*/false);
    a.bind(plain);
    e.plain = uint32_t(a.size());
    if (f_.local_slots == 0) {
      e.zeroing_charged = e.charged;
      e.zeroing = e.plain;
    }
    a.set_slot_registers(held());
    a.pause_slot_registers(true);
    for (const Assembler::SlotRegister& r : e.params) move_slot(r, /*to_memory=*/false);
    a.bind(registers);
    e.registers = uint32_t(a.size());
    if (!skips)
      e.registers_charged = e.charged;  // (and registers == plain)
    else if (!charging)
      e.registers_charged = e.registers;  // nothing to charge
    if (!kRegArgs) {
      e.registers = e.plain;
      e.params.clear();
      e.held_locals.clear();
    }
    for (const Assembler::SlotRegister& r : held()) {
      if (r.disp < params_end || r.disp >= locals_end) continue;
      if (r.xmm)
        a.sse_logic(jit::SseLogic::kXor, jit::Fp::kF64, jit::Xmm(r.reg), jit::Xmm(r.reg));
      else
        a.alu(Alu::kXor, Size::k32, Reg(r.reg), Reg(r.reg));
    }
    a.pause_slot_registers(false);
    // Operand-stack temporaries hold nothing yet, and nothing reads one before it is written (which sets
    // its bit). Parameters and declared locals held in registers may differ from their slots (a caller
    // entering at `registers` neither stores the arguments it passes in registers nor zeroes the slots
    // of the locals held): they count as written.
    uint32_t entry_written = 0;
    for (size_t i = 0; i < held().size(); ++i)
      if (held()[i].disp < locals_end) entry_written |= 1u << i;
    a.set_written_slot_registers(entry_written);
  }
  // Stores the held locals to their slots: before anything that reads the frame in memory (calls,
  // helpers, returns, suspension) or clobbers the registers. Only those written since registers and
  // slots last agreed (Assembler::written_slot_registers); in the out-of-line stubs, every one (they are
  // emitted after the function, so the tracking does not describe the state where they are entered).
  void spill_all() { move_held(true, INT32_MAX, /*only_written=*/true); }
  void spill_all_in_stub() { move_held(true, INT32_MAX, /*only_written=*/false); }
  // Stores only the held slots below `live_end` (bytes): a call, whose callee's frame starts at its
  // arguments, so that the slots above them are dead (and the callee's).
  // `except`: held registers (bits as in written_slot_registers) not to store.
  void spill_below(int32_t live_end, uint32_t except = 0) {
    move_held(true, live_end, /*only_written=*/true, except);
  }
  // Stores only the held slots that hold results (a return: nothing else of the frame is read again).
  void spill_results() { spill_below(int32_t(f_.result_slots) * 8); }
  // Loads them back: at the entry, after calls and helpers, where a suspended activation resumes.
  void reload_all() { move_held(false); }
  // Loads back those below `live_end` (bytes): after a call, whose results end the live part of the
  // frame. The registers of the dead slots above keep what the callee left; nothing reads such a slot
  // before writing it, and a spill of one stores a dead value.
  void reload_below(int32_t live_end) {
    move_held(false, live_end);
    as().set_written_slot_registers(0);
  }
  void move_held(bool to_memory, int32_t below = INT32_MAX, bool only_written = false, uint32_t except = 0) {
    const std::vector<Assembler::SlotRegister>& set = held();
    if (set.empty()) return;
    Assembler& a = as();
    const bool paused = a.slot_registers_paused();
    const uint32_t written = a.written_slot_registers();
    a.pause_slot_registers(true);
    for (size_t i = 0; i < set.size(); ++i) {
      const Assembler::SlotRegister& r = set[i];
      if (r.disp >= below || (only_written && !(written >> i & 1)) || (except >> i & 1)) continue;
      move_slot(r, to_memory);
    }
    a.pause_slot_registers(paused);
    if (below == INT32_MAX) a.set_written_slot_registers(0);  // registers and slots agree
  }
  // One held slot stored to its frame slot or loaded from it (slot registers paused): 16 bytes for a
  // v128, 8 for a scalar of either class.
  void move_slot(const Assembler::SlotRegister& r, bool to_memory) {
    Assembler& a = as();
    const jit::Mem m = mem(kFpReg, r.disp);
    if (r.vector) {
      if (to_memory)
        a.movdqu(m, jit::Xmm(r.reg));
      else
        a.movdqu(jit::Xmm(r.reg), m);
    } else if (r.xmm) {
      if (to_memory)
        a.movs(jit::Fp::kF64, m, jit::Xmm(r.reg));
      else
        a.movs(jit::Fp::kF64, jit::Xmm(r.reg), m);
    } else {
      if (to_memory)
        a.mov(Size::k64, m, Reg(r.reg));
      else
        a.mov(Size::k64, Reg(r.reg), m);
    }
  }

  // ---- OpEmitter ----
  void trap_if(Cond c, TrapCode code) override {
    TrapSite s{as().new_label(), pos_, code, false};
    as().jcc(c, s.stub);
    trap_sites_.push_back(s);
  }
  void trap(TrapCode code) override {
    TrapSite s{as().new_label(), pos_, code, false};
    as().jmp(s.stub);
    trap_sites_.push_back(s);
  }
  void call_helper(const void* fn, HelperEffects effects) override {
    helper_called_ = true;
    Assembler& a = as();
    if (effects != HelperEffects::kPure) emit_state_to_ctx(a, stubs_.metered);
    a.mov_imm(Size::k64, Reg::rax, reinterpret_cast<uint64_t>(fn));
    a.call(Reg::rax);
    if (effects == HelperEffects::kGrowMemory) {
      a.mov(Size::k64, Reg::rcx, Reg::rax);  // keep the helper's result across the reload
      emit_reload_memory0(a);
      a.mov(Size::k64, Reg::rax, Reg::rcx);
    }
  }
  void call_trapping_helper(const void* fn, HelperEffects effects) override {
    call_helper(fn, effects);
    TrapSite s{as().new_label(), pos_, TrapCode::kUnreachable, true};
    as().test(Size::k32, Reg::rax, Reg::rax);
    as().jcc(Cond::kNE, s.stub);
    trap_sites_.push_back(s);
  }
  void select_memory(uint32_t index) override {
    Assembler& a = as();
    const Layout& l = layout();
    a.mov(Size::k64, Reg::rax, mem(kInstReg, l.inst_memories));
    a.mov(Size::k64, Reg::rax, mem(Reg::rax, int32_t(index * 8)));
    a.mov(Size::k64, kMemBaseReg, mem(Reg::rax, l.mem_base));
    a.mov(Size::k64, kMemSizeReg, mem(Reg::rax, l.mem_size));
  }
  void restore_memory0() override { emit_reload_memory0(as()); }

 private:
  static constexpr uint64_t kNoCost = ~uint64_t{0};
  size_t next_loop_ = 0;                   // counting: the next entry of f_.loops to open
  size_t loop_head_ = 0;                   // the next entry of f_.loops whose header is not reached yet
  bool backward_to_non_loop_ = false;      // a backward branch to an instruction not a loop header
  bool after_family_op_ = false;           // the previous instruction was a plain (not control) op
  ModuleStubs::Entries own_entries_;       // this function's entries
  std::vector<uint32_t> forwarding_ends_;  // instruction starts where store forwarding stopped (ascending)
  std::vector<uint32_t> open_loop_ends_;   // counting: the ends of the loops around the position

  Result<uint32_t> refuse(const std::string& why) const {
    return make_error(ErrorKind::kUnsupported, "baseline: " + why + " (lowered offset " +
                                                   std::to_string(pos_) + " of function " +
                                                   std::to_string(f_.func_index) + ")");
  }

  // ---- positions ----
  void bind_instruction(uint32_t pos) {
    if (counting_) {
      weigh_loops(pos);
      as().set_count_region(advance_region(pos));
    } else if (holding_) {
      // Entering another region by falling through (into a loop, or out of one past its end): its
      // registers are loaded here, before the labels of the branches to this instruction (which load
      // them on their way, edge()) and the position that backward branches and resume stubs jump to.
      if (const size_t region = advance_region(pos); region != region_) switch_region(region);
    }
    positions_.emplace_back(pos, uint32_t(as().size()));
    // Where paths join, the registers that may differ from their slots are those of any path: at a
    // forward branch's target those written on the fall-through or on any branch to it; at a loop
    // header (its back edges are not translated yet) all of them.
    bool join = false, loop_header = false;
    while (loop_head_ < f_.loops.size() && f_.loops[loop_head_].begin <= pos) {
      loop_header |= f_.loops[loop_head_].begin == pos;
      ++loop_head_;
    }
    uint32_t written = as().written_slot_registers();
    while (!pending_.empty() && pending_.front().target == pos) {
      as().bind(Label{pending_.front().label});
      written |= pending_.front().written;
      std::pop_heap(pending_.begin(), pending_.end(), std::greater<>{});
      pending_.pop_back();
      join = true;
    }
    if (loop_header) {
      as().set_written_slot_registers(~0u);
      join = true;
    } else if (join) {
      as().set_written_slot_registers(written);
    }
    // The assembler's store-to-load forwarding pairs a store with the load right after it; that is only
    // sound where nothing else jumps in between. Jumps reach an instruction start through a label of
    // the assembler (bind ends the pairing itself) or, without one, as a resume point or loop header:
    // resume points follow control ops (calls end it themselves), so only an instruction after a plain
    // op that is no join keeps it. Without held registers every instruction start is a resume point.
    if (join || !after_family_op_ || !holding_) {
      as().end_store_forwarding();
      forwarding_ends_.push_back(pos);
    }
  }
  // While counting: an access inside k nested loops counts 8^k (at most 4096), so that the registers go
  // to the values of the inner loops rather than to those used most often in the code's text.
  void weigh_loops(uint32_t pos) {
    while (!open_loop_ends_.empty() && open_loop_ends_.back() <= pos) open_loop_ends_.pop_back();
    while (next_loop_ < f_.loops.size() && f_.loops[next_loop_].begin <= pos) {
      if (f_.loops[next_loop_].end > pos) open_loop_ends_.push_back(f_.loops[next_loop_].end);
      ++next_loop_;
    }
    as().set_count_weight(1u << (3 * std::min<size_t>(open_loop_ends_.size(), 4)));
  }
  Label target_label(uint32_t target) {
    if (!positions_.empty() && target <= positions_.back().first) {
      // Backward branches go to loop headers, which bind_instruction treated as joins; anything else
      // would make its spills miss registers: refuse (the function is translated again without any).
      if (!std::binary_search(
              f_.loops.begin(), f_.loops.end(), interp::LoopExtent{target, 0},
              [](const interp::LoopExtent& x, const interp::LoopExtent& y) { return x.begin < y.begin; }))
        backward_to_non_loop_ = true;
      auto it = std::lower_bound(positions_.begin(), positions_.end(), std::make_pair(target, uint32_t{0}));
      return as().label_at(it->second);  // validated code only branches to instruction starts
    }
    // A label per forward branch (several may be bound at one target): cheaper than finding the target's.
    // The caller jumps to it right away, so the written registers are those where the branch leaves.
    const Label l = as().new_label();
    pending_.push_back(PendingBranch{target, l.id, as().written_slot_registers()});
    std::push_heap(pending_.begin(), pending_.end(), std::greater<>{});
    return l;
  }

  // ---- fuel and interruption on control transfers ----
  // Charges `cost` for entering the block at lowered `target` (the interpreter's CHARGE_AND_DISPATCH).
  // registers_live: the held locals are in their registers here (false only at the entry, before they
  // are loaded), so the stub spills them before leaving and reloads them if it continues.
  void charge(uint64_t cost, uint32_t target, bool registers_live = true) {
    if (cost == 0 || cost == kNoCost) return;  // fuel >= 0 always pays 0
    if (!stubs_.metered) return;               // (an unmetered lowering has no costs)
    resume_positions_.push_back(target);
    Assembler& a = as();
    adjust_fuel(Alu::kSub, cost);
    FuelStub s{a.new_label(), a.new_label(), uint32_t(cost), target, registers_live, region_};
    a.jcc(Cond::kL, s.stub);
    a.bind(s.back);
    fuel_stubs_.push_back(s);
  }
  // fuel -= cost (kSub) or fuel += cost (kAdd); a cost beyond an imm32 goes through rax.
  void adjust_fuel(Alu op, uint64_t cost) {
    Assembler& a = as();
    if (cost <= uint64_t(INT32_MAX)) {
      a.alu(op, Size::k64, kFuelReg, int32_t(cost));
    } else {
      a.mov_imm(Size::k64, Reg::rax, cost);
      a.alu(op, Size::k64, kFuelReg, Reg::rax);
    }
  }
  // A taken backward branch checks for interruption (the interpreter's GO_REL with rel <= 0).
  void interrupt_check(uint32_t target) {
    Assembler& a = as();
    a.mov(Size::k64, Reg::rax, mem(kCtxReg, layout().ctx_interrupt));
    a.alu(Alu::kCmp, Size::k32, mem(Reg::rax), 0);
    InterruptStub s{a.new_label(), target, region_};
    a.jcc(Cond::kNE, s.stub);
    interrupt_stubs_.push_back(s);
  }
  // The taken edge of a branch from the current instruction to `target`, charging `cost` (kNoCost: none).
  // A branch into another region (out of a loop: forward past its end, or back to an outer loop's
  // header) loads that region's registers on its way; the code after it continues in this region.
  void edge(uint32_t target, uint64_t cost) {
    if (target <= pos_) {
      interrupt_check(target);
      resume_positions_.push_back(target);  // a loop header: the interpreter switches here (lazy tiering)
    }
    charge(cost, target);
    const size_t region = holding_ ? region_of(target) : region_;
    if (region == region_) {
      as().jmp(target_label(target));
      return;
    }
    const size_t here = region_;
    const uint32_t written = as().written_slot_registers();
    switch_region(region);
    as().jmp(target_label(target));
    use_region(here);
    as().set_written_slot_registers(written);
  }
  // A conditional branch on flags already set: taken when `c`; `fall_cost` is charged on the fall-through
  // into `next` (the F forms).
  void cond_branch(Cond c, uint32_t target, uint64_t taken_cost, uint64_t fall_cost, uint32_t next) {
    Assembler& a = as();
    if (target > pos_ && (taken_cost == kNoCost || taken_cost == 0) &&
        (!holding_ || region_of(target) == region_)) {
      a.jcc(c, target_label(target));
    } else {
      Label skip = a.new_label();
      a.jcc(jit::negate(c), skip);
      edge(target, taken_cost);
      a.bind(skip);
    }
    charge(fall_cost, next);
  }

  // ---- stubs, after the function's code ----
  // The label of `key`'s shared tail in `tails` (a function has few regions), added when new.
  Label tail_for(std::vector<std::pair<size_t, Label>>& tails, size_t key) {
    for (const auto& [k, label] : tails)
      if (k == key) return label;
    tails.emplace_back(key, as().new_label());
    return tails.back().second;
  }
  void emit_stubs() {
    Assembler& a = as();
    const Layout& l = layout();
    // A block short of fuel: each charge's stub passes its cost (ecx) and target (edx, lowered offset) to
    // a tail shared by the charges of its region (the held registers to store and load are the region's),
    // or by the entry's charge, made before the held registers are loaded. Sharing the tail keeps a
    // stub at 20 bytes: a metered function has a charge per block, and per-charge copies of the
    // spills, the helper call and the reloads made metered code about three times the size of unmetered
    // code. rcx and rdx are free at a charge (a helper call would clobber them anyway); the held
    // registers are not (rsi and rdi among them), so the tail moves the arguments after its spill.
    constexpr size_t kNoRegisters = SIZE_MAX;
    std::vector<std::pair<size_t, Label>> fuel_tails;  // (region, its tail); kNoRegisters: the entry's
    for (const FuelStub& s : fuel_stubs_) {
      const Label tail = tail_for(fuel_tails, s.registers_live ? s.region : kNoRegisters);
      a.bind(s.stub);
      a.mov_imm(Size::k32, Reg::rcx, s.cost);
      a.mov_imm(Size::k32, Reg::rdx, s.target);
      a.call(tail);
      a.jmp(s.back);  // paid from the reserve: enter the block
    }
    for (const auto& [region, tail] : fuel_tails) {
      // Entered by a call from the stub: 8 bytes below the function's (aligned) stack.
      a.bind(tail);
      a.alu(Alu::kSub, Size::k64, Reg::rsp, 8);
      a.alu(Alu::kAdd, Size::k64, kFuelReg, Reg::rcx);  // undo: the block was not entered
      if (region != kNoRegisters) {
        use_region(region);
        spill_all_in_stub();
      }
      a.mov(Size::k64, mem(kCtxReg, l.ctx_fuel), kFuelReg);
      a.mov(Size::k64, Reg::rdi, kCtxReg);
      a.mov(Size::k32, Reg::rsi, Reg::rcx);
      a.mov_imm(Size::k64, Reg::rax, reinterpret_cast<uint64_t>(f_.entry));
      a.add(Size::k64, Reg::rdx, Reg::rax);
      a.mov_imm(Size::k64, Reg::rax, address_of(&helper_out_of_fuel));
      a.call(Reg::rax);
      a.mov(Size::k64, kFuelReg, mem(kCtxReg, l.ctx_fuel));
      a.test(Size::k32, Reg::rax, Reg::rax);
      Label leave = a.new_label();
      a.jcc(Cond::kNE, leave);
      if (region != kNoRegisters) reload_all();
      a.alu(Alu::kAdd, Size::k64, Reg::rsp, 8);
      a.ret();
      a.bind(leave);
      a.alu(Alu::kAdd, Size::k64, Reg::rsp, 16);  // the function's stack again (the stub's return address)
      a.jmp(stubs_.exit_state);
    }
    const bool paused = a.slot_registers_paused();
    a.pause_slot_registers(true);  // spilled at the call; the helper path reads none
    for (const CallSlowPath& s : call_slow_paths_) {
      a.bind(s.stub);
      for (const Assembler::SlotRegister& r : s.unstored) move_slot(r, /*to_memory=*/true);
      emit_call_helper(*s.site, s.continuation);
    }
    a.pause_slot_registers(paused);
    for (const Continuation& c : continuations_) {
      // (never executed: the code before ends with a jump)
      const uint64_t return_pc = reinterpret_cast<uint64_t>(c.site->return_pc);
      const int32_t args = int32_t(c.site->args_slot);
      uint8_t data[kContinuationData] = {};
      std::memcpy(data, &return_pc, 8);
      std::memcpy(data + 8, &args, 4);
      a.emit_bytes(data);
      a.bind(c.continuation);
      use_region(c.region);
      reload_below(c.results_end);
      a.jmp(c.joined);
    }
    // An interruption at a back edge: the stub passes the loop header (edx, lowered offset) to its
    // region's tail, which stores the held registers and leaves (as the fuel stubs share theirs).
    std::vector<std::pair<size_t, Label>> interrupt_tails;
    for (const InterruptStub& s : interrupt_stubs_) {
      const Label tail = tail_for(interrupt_tails, s.region);
      a.bind(s.stub);
      a.mov_imm(Size::k32, Reg::rdx, s.target);
      a.jmp(tail);
    }
    for (const auto& [region, tail] : interrupt_tails) {
      a.bind(tail);
      use_region(region);
      spill_all_in_stub();  // the frame as the interpreter leaves it (nothing reads it after a trap)
      a.mov(Size::k64, Reg::rdi, kCtxReg);
      a.mov_imm(Size::k64, Reg::rsi, reinterpret_cast<uint64_t>(f_.entry));
      a.add(Size::k64, Reg::rsi, Reg::rdx);
      a.mov_imm(Size::k64, Reg::rax, address_of(&helper_interrupted));
      a.call(Reg::rax);
      a.jmp(stubs_.exit_state);
    }
    // Trap sites: eax = lowered offset, ecx = trap code, then the common tail. A site whose code is
    // known passes only its offset, to a tail per code that sets ecx (10 bytes a site instead of 15: a
    // function has a site per memory access, division and indirect call).
    std::vector<std::pair<size_t, Label>> code_tails;
    for (const TrapSite& s : trap_sites_) {
      a.bind(s.stub);
      if (s.from_helper) {
        a.lea(Size::k32, Reg::rcx, mem(Reg::rax, -1));  // the helper returned code + 1
        a.mov_imm(Size::k32, Reg::rax, s.pos);
        a.jmp(trap_common_);
      } else {
        a.mov_imm(Size::k32, Reg::rax, s.pos);
        a.jmp(tail_for(code_tails, size_t(s.code)));
      }
    }
    for (const auto& [code, tail] : code_tails) {
      a.bind(tail);
      a.mov_imm(Size::k32, Reg::rcx, uint32_t(code));
      a.jmp(trap_common_);
    }
    a.bind(trap_common_);
    a.mov_imm(Size::k64, Reg::rdx, reinterpret_cast<uint64_t>(f_.entry));
    a.add(Size::k64, Reg::rdx, Reg::rax);
    a.mov(Size::k64, mem(kCtxReg, l.ctx_trap_pc), Reg::rdx);
    a.mov(Size::k64, mem(kCtxReg, l.ctx_pc), Reg::rdx);
    a.store8(mem(kCtxReg, l.ctx_trap), Reg::rcx);
    a.mov_imm(Size::k32, Reg::rax, kNativeTrap);
    a.jmp(stubs_.exit_state);
  }

  // ---- one lowered instruction; returns its size ----
  // The op of the lowered instruction at `at` (identified by its handler address); false if unknown.
  static bool op_at(const uint8_t* at, IOp& op) {
    const void* handler;
    std::memcpy(&handler, at, sizeof handler);
    return op_by_handler().find(handler, op);
  }

  Result<uint32_t> translate_one() {
    IOp op;
    after_family_op_ = false;
    if (!op_at(pc_, op)) return refuse("unknown handler");
    if (auto size = translate_control(op); !size || *size) return size;
    if (auto size = float_compare_and_branch(op); !size || *size) return size;
    auto size = translate_family_op(op);
    after_family_op_ = true;
    return size;
  }

  // f32/f64 lt, gt, le, ge whose result only feeds the br_if right after it (the lowering fuses integer
  // compares with branches, not float ones): the compare is emitted as usual, result slot included, and
  // the branch then tests the compare's flags instead of reading the result back (which crossed from an
  // xmm register to a general one on the critical path). Only when the result is an operand-stack
  // temporary (dead after the br_if pops it), and the br_if is no branch target (no forward branch seen
  // so far, not a loop header) and so cannot be reached without the compare. Returns the size of both
  // instructions, or 0 (not this pattern).
  Result<uint32_t> float_compare_and_branch(IOp op) {
    // Which of Eq Ne Lt Gt Le Ge (slot forms, 20 bytes; immediate forms after AddI..DivI, 20 or 24).
    int which = -1;
    uint32_t compare_size = 20;
    if (int i = int(op) - int(IOp::F32Eq); i >= 0 && i < 6) {
      which = i;
    } else if (int j = int(op) - int(IOp::F64Eq); j >= 0 && j < 6) {
      which = j;
    } else if (int k = int(op) - int(IOp::F32AddI); k >= 4 && k < 10) {
      which = k - 4;
    } else if (int m = int(op) - int(IOp::F64AddI); m >= 4 && m < 10) {
      which = m - 4;
      compare_size = 24;
    }
    if (which < 2) return 0;  // not a compare, or Eq / Ne (their result combines two flags)
    // Lt, Gt: above; Le, Ge: above or equal (emit_compare swaps Lt's and Le's operands)
    const Cond cond = which <= 3 ? Cond::kA : Cond::kAE;
    const uint32_t next = pos_ + compare_size;
    if (next + 16 > f_.code_size) return 0;
    IOp branch;
    if (!op_at(f_.entry + next, branch)) return 0;
    const bool nez = branch == IOp::BrIfNez32 || branch == IOp::BrIfNez32F;
    const bool fuel = branch == IOp::BrIfNez32F || branch == IOp::BrIfEqz32F;
    if (!nez && branch != IOp::BrIfEqz32 && branch != IOp::BrIfEqz32F) return 0;
    uint32_t result_slot, tested_slot;
    std::memcpy(&result_slot, pc_ + 8, 4);
    std::memcpy(&tested_slot, f_.entry + next + 8, 4);
    if (result_slot != tested_slot || result_slot < (f_.param_slots + f_.local_slots) * 8) return 0;
    for (const interp::LoopExtent& loop : f_.loops)
      if (loop.begin == next) return 0;
    if (region_of(next) != region_of(pos_)) return 0;  // the end of a loop: a region's start
    for (const PendingBranch& p : pending_)
      if (p.target == next) return 0;
    auto size = translate_family_op(op);  // the flags of its ucomis survive: only moves follow it
    if (!size) return size;
    pos_ = next;  // (not bound as an instruction start: so no resume point either)
    pc_ = f_.entry + next;
    const uint32_t isize = fuel ? 24 : 16;
    cond_branch(nez ? cond : jit::negate(cond), next + opnd(1), fuel ? opnd(2) : kNoCost,
                fuel ? opnd(3) : kNoCost, next + isize);
    return compare_size + isize;
  }

  // An op of the families (not control), with the held-register handling.
  Result<uint32_t> translate_family_op(IOp op) {
    if (counting_) {
      as().set_count_neutral(moves_bits_only(op));
      auto size = emit_family_op(op);
      as().set_count_neutral(false);
      return size;
    }
    if (held().empty()) return emit_family_op(op);
    // With locals held in registers: an op that calls a C++ helper (which reads the frame in memory and
    // clobbers the registers) or addresses a held local in memory is emitted again between a spill and a
    // reload, with the registers out of the way.
    Assembler& a = as();
    const Assembler::Checkpoint cp = a.checkpoint();
    const size_t trap_sites = trap_sites_.size();
    helper_called_ = false;
    a.clear_slot_register_violation();
    auto size = emit_family_op(op);
    if (!size || (!helper_called_ && !a.slot_register_violation())) return size;
    a.rollback(cp);
    trap_sites_.resize(trap_sites);
    a.clear_slot_register_violation();
    spill_all();
    a.pause_slot_registers(true);
    size = emit_family_op(op);
    a.pause_slot_registers(false);
    reload_all();
    return size;
  }

  // Ops whose slot accesses say nothing about the value's register class (see choose_held_locals).
  // (Float loads and stores move their value through xmm0: they count as SSE accesses.)
  static bool moves_bits_only(IOp op) {
    switch (op) {
      case IOp::Copy8:
      case IOp::Const32:
      case IOp::Const64:
      case IOp::Select8:
        return true;
      default:
        return false;
    }
  }

  Result<uint32_t> emit_family_op(IOp op) {
    for (auto family : {&emit_integer_op, &emit_float_op, &emit_memory_op, &emit_simd_op}) {
      auto size = family(*this, op);
      if (!size || *size) return size;
    }
    return refuse(std::string("internal op ") + kOpNames[size_t(op)] + " is not translated");
  }

  // Control flow: returns 0 when `op` is not a control op.
  Result<uint32_t> translate_control(IOp op) {
    Assembler& a = as();
    const uint32_t op_index = uint32_t(op);
    // fused compare-and-branch: [a][b | imm][rel] (+ [tc][fc]); the i64 immediate takes 8 bytes
    struct Family {
      IOp first;
      bool is64, imm, fuel;
    };
    static constexpr Family kFamilies[] = {
        {IOp::BrIfI32Eq, false, false, false}, {IOp::BrIfI32EqI, false, true, false},
        {IOp::BrIfI32EqF, false, false, true}, {IOp::BrIfI32EqIF, false, true, true},
        {IOp::BrIfI64Eq, true, false, false},  {IOp::BrIfI64EqI, true, true, false},
        {IOp::BrIfI64EqF, true, false, true},  {IOp::BrIfI64EqIF, true, true, true}};
    // op -> its family (index into kFamilies), or -1: one load per op instead of eight range tests.
    static const auto kFamilyOf = [] {
      std::array<int8_t, interp::kIOpCount> t;
      t.fill(-1);
      for (size_t i = 0; i < std::size(kFamilies); ++i)
        for (uint32_t k = 0; k < 10; ++k) t[size_t(kFamilies[i].first) + k] = int8_t(i);
      return t;
    }();
    if (const int8_t family = kFamilyOf[op_index]; family >= 0) {
      const Family fam = kFamilies[family];
      const uint32_t first = uint32_t(fam.first);
      const Size size = fam.is64 ? Size::k64 : Size::k32;
      const Cond c = kCompareConds[op_index - first];
      a.mov(size, Reg::rax, slot(0));
      int rel_at = 16;  // byte position of rel
      if (!fam.imm) {
        a.alu(Alu::kCmp, size, Reg::rax, slot(1));
      } else if (!fam.is64) {
        a.alu(Alu::kCmp, size, Reg::rax, int32_t(opnd(1)));
      } else {
        const int64_t imm = rd<int64_t>(12);
        if (imm >= INT32_MIN && imm <= INT32_MAX) {
          a.alu(Alu::kCmp, size, Reg::rax, int32_t(imm));
        } else {
          a.mov_imm(Size::k64, Reg::rcx, uint64_t(imm));
          a.cmp(Size::k64, Reg::rax, Reg::rcx);
        }
        rel_at = 20;
      }
      const uint32_t target = pos_ + uint32_t(rd<int32_t>(rel_at));
      const uint32_t isize = uint32_t(rel_at + 4 + (fam.fuel ? 8 : 0));
      cond_branch(c, target, fam.fuel ? rd<uint32_t>(rel_at + 4) : kNoCost,
                  fam.fuel ? rd<uint32_t>(rel_at + 8) : kNoCost, pos_ + isize);
      return isize;
    }
    switch (op) {
      case IOp::Jump:
        edge(pos_ + opnd(0), kNoCost);
        return 12;
      case IOp::JumpF:
        edge(pos_ + opnd(0), opnd(1));
        return 16;
      case IOp::BrIfNez32:
      case IOp::BrIfEqz32:
      case IOp::BrIfNez64:
      case IOp::BrIfEqz64:
      case IOp::BrIfNez32F:
      case IOp::BrIfEqz32F:
      case IOp::BrIfNez64F:
      case IOp::BrIfEqz64F: {
        const bool is64 =
            op == IOp::BrIfNez64 || op == IOp::BrIfEqz64 || op == IOp::BrIfNez64F || op == IOp::BrIfEqz64F;
        const bool nez =
            op == IOp::BrIfNez32 || op == IOp::BrIfNez64 || op == IOp::BrIfNez32F || op == IOp::BrIfNez64F;
        const bool fuel = op >= IOp::BrIfNez32F && op <= IOp::BrIfEqz64F;
        a.alu(Alu::kCmp, is64 ? Size::k64 : Size::k32, slot(0), 0);
        const uint32_t isize = fuel ? 24 : 16;
        cond_branch(nez ? Cond::kNE : Cond::kE, pos_ + opnd(1), fuel ? opnd(2) : kNoCost,
                    fuel ? opnd(3) : kNoCost, pos_ + isize);
        return isize;
      }
      case IOp::BrTableOp:
      case IOp::BrTableOpF:
        return br_table(op == IOp::BrTableOpF);
      case IOp::Trap:
        trap(TrapCode(opnd(0)));
        return 12;
      case IOp::Fuel:
        charge(opnd(0), pos_ + 12);
        return 12;
      case IOp::CallOp:
        return call(false, false);
      case IOp::CallOpF:
        return call(false, true);
      case IOp::CallIndirectOp:
        return call(true, false);
      case IOp::CallIndirectOpF:
        return call(true, true);
      case IOp::ReturnOp:
      case IOp::ReturnOpF:
        emit_return(op == IOp::ReturnOpF);
        return 8;
      case IOp::ThrowOp:
      case IOp::ThrowRefOp:
        // The interpreter unwinds (its handler search works on lowered offsets and Frame records, which
        // compiled frames share): hand it this instruction, which has no resume point, so it runs there.
        spill_all();
        exit_to_interpreter_here();
        not_resumable_.push_back(pos_);
        return op == IOp::ThrowOp ? 20 : 12;
      default:
        return 0;
    }
  }

  // [s index][u32 count][rel x count+1] or, with fuel, [(rel, tc) x count+1]: a jump table.
  uint32_t br_table(bool fuel) {
    Assembler& a = as();
    const uint32_t n = opnd(1);
    a.mov(Size::k32, Reg::rax, slot(0));
    a.mov_imm(Size::k32, Reg::rcx, n);
    a.cmp(Size::k32, Reg::rax, Reg::rcx);
    a.cmovcc(Cond::kA, Size::k32, Reg::rax, Reg::rcx);  // i > n: the default, the last entry
    // One indirect jump through a table of rel32 entries (entry i holds target_i - the end of entry i).
    Label table = a.new_label();
    a.lea_label(Reg::rcx, table);
    a.movsxd(Reg::rdx, mem(Reg::rcx, Reg::rax, 4));
    a.lea(Size::k64, Reg::rax, mem(Reg::rcx, Reg::rax, 4, 4));
    a.add(Size::k64, Reg::rax, Reg::rdx);
    a.jmp(Reg::rax);
    a.bind(table);
    std::vector<Label> entries;
    for (uint32_t i = 0; i <= n; ++i) {
      entries.push_back(a.new_label());
      a.rel32_to(entries.back());
    }
    const uint32_t stride = fuel ? 8 : 4;
    for (uint32_t i = 0; i <= n; ++i) {
      a.bind(entries[i]);
      const int at = int(16 + stride * i);
      edge(pos_ + uint32_t(rd<int32_t>(at)), fuel ? rd<uint32_t>(at + 4) : kNoCost);
    }
    return 16 + stride * (n + 1);
  }

  // A call: the helper pushes the Frame (or runs the host function) exactly as the interpreter's do_call;
  // compiled code then continues at the address it returns (a compiled callee's entry, or the continuation
  // below after a host function) or leaves with the status it returns.
  uint32_t call(bool indirect, bool charged) {
    Assembler& a = as();
    const uint32_t isize = indirect ? (charged ? 28 : 24) : (charged ? 20 : 16);
    CallSite& site = sites_.emplace_back();
    site.call_pc = pc_;
    site.return_pc = pc_ + isize;
    site.charged = charged;
    site.indirect = indirect;
    if (indirect) {
      site.func_or_type = opnd(0);
      site.table = opnd(1);
      site.index_slot = opnd(2);
      site.args_slot = opnd(3);
      site.continuation_cost = charged ? opnd(4) : 0;
    } else {
      site.func_or_type = opnd(0);
      site.args_slot = opnd(1);
      site.continuation_cost = charged ? opnd(2) : 0;
    }
    Label continuation = a.new_label();
    a.end_store_forwarding();  // a resume point (below), after a plain op perhaps
    forwarding_ends_.push_back(pos_);
    resume_positions_.push_back(pos_);          // a host function that asked to run again
    resume_positions_.push_back(pos_ + isize);  // an interpreted callee returns here
    // A callee of this module: only its arguments and what lies below them are live in the frame (the
    // callee's frame starts at the arguments), and after the call only that and its results. Anything
    // else (imports, call_indirect, whose index slot lies above the arguments): the whole frame.
    const CompiledFunc* defined = indirect ? nullptr : defined_function(site.func_or_type);
    if (counting_ && defined != nullptr) callees_.push_back(uint32_t(defined - module_.funcs.data()));
    const int32_t args_end = defined ? int32_t(site.args_slot + defined->param_slots * 8) : INT32_MAX;
    const int32_t results_end = defined ? int32_t(site.args_slot + defined->result_slots * 8) : INT32_MAX;
    // The callee's entries, when known (a direct call passing arguments in registers), and which of
    // this function's held registers pass an argument (`passed`, indices into held()).
    const ModuleStubs::Entries* known = defined ? known_entries(*defined) : nullptr;
    const uint32_t passed = known ? passed_arguments(known->params, int32_t(site.args_slot)) : 0;
    // The callee's frame starts above the locals, but helpers and the interpreter read them in memory.
    // An argument passed in a register is not stored: the callee counts it written (emit_entries) and
    // stores it where it needs the slot; the helper path stores it first (emit_stubs).
    spill_below(args_end, passed);
    a.pause_slot_registers(true);
    // With an inline path (a callee of this module, or call_indirect), the helper path is a stub after
    // the function's code: the inline path's return lands right on the continuation.
    std::optional<Label> slow;
    if (!indirect) {
      if (defined != nullptr) slow = call_compiled_inline(*defined, known, site, continuation);
    } else {
      slow = call_indirect_inline(site, continuation);
    }
    if (slow) {
      // The inline path's `call` returns here, to its landing pad, always from a compiled callee's
      // `ret` (emit_return), which left the first result's 8 bytes in rcx: a held result slot takes
      // them from there. Every other way back (the helper's paths, a return by jump through the Frame
      // after the activation was suspended or switched tiers) goes to `continuation`, out of line,
      // which reloads from the slots and joins here.
      std::vector<Assembler::SlotRegister> unstored;
      for (size_t i = 0; i < held().size(); ++i)
        if (passed >> i & 1) unstored.push_back(held()[i]);
      call_slow_paths_.push_back(CallSlowPath{*slow, &site, continuation, std::move(unstored)});
      // (call_indirect: the type's result count is not at hand here; a callee without results leaves
      // rcx undefined, but then the slot at the arguments is above the operand stack after the call,
      // dead, and its register is written before anything reads it)
      const bool result_in_rcx = (indirect || defined->result_slots > 0) && kRegArgs;
      for (const Assembler::SlotRegister& r : held()) {
        if (r.disp >= results_end) continue;
        if (result_in_rcx && r.disp == int32_t(site.args_slot) && !r.vector) {
          if (r.xmm)
            a.movd_to_xmm(Size::k64, jit::Xmm(r.reg), Reg::rcx);
          else
            a.mov(Size::k64, Reg(r.reg), Reg::rcx);
        } else {
          move_slot(r, /*to_memory=*/false);
        }
      }
      a.set_written_slot_registers(0);
      const Label joined = a.new_label();
      continuations_.push_back(Continuation{&site, continuation, joined, region_, results_end});
      a.bind(joined);
    } else {
      emit_call_helper(site, continuation);
      // The callee returns here (compiled return, or the helper after a host function)
      a.bind(continuation);
      reload_below(results_end);
    }
    a.pause_slot_registers(false);
    // the caller's continuation block is charged as the interpreter's ReturnOpF / do_call do
    charge(charged ? site.continuation_cost : kNoCost, pos_ + isize);
    return isize;
  }

  // The call through helper_call (see call()), which continues at `continuation` after a host function:
  // the CallSite and the continuation, then the module's shared helper path (ModuleStubs::call_helper),
  // 22 bytes a call site.
  void emit_call_helper(const CallSite& site, Label continuation) {
    Assembler& a = as();
    a.mov_imm(Size::k64, Reg::rsi, reinterpret_cast<uint64_t>(&site));
    a.lea_label(Reg::rdx, continuation);
    a.jmp(stubs_.call_helper);
  }

  // The module's own function `index` (not an import), or null.
  const CompiledFunc* defined_function(uint32_t index) const {
    if (module_.funcs.empty()) return nullptr;
    const uint32_t first = module_.funcs.front().func_index;  // defined functions follow the imports
    if (index < first || index - first >= module_.funcs.size()) return nullptr;
    return &module_.funcs[index - first];
  }

  // The fast path of a direct call to a function of the same module (so of the same instance): when the
  // callee has compiled code, do what helper_call does inline (the same checks in the same order, the
  // same Frame) and jump to its entry. Falls through to the helper path when the callee is interpreted,
  // the stacks are full or an interrupt is pending (the helper then traps or switches tiers).
  // The entries of `callee` when it is this function or one translated before it into this batch: then
  // it is certainly compiled when this code runs, and a call to it is direct, passing the arguments the
  // callee holds at its entry in their registers. Else null.
  const ModuleStubs::Entries* known_entries(const CompiledFunc& callee) const {
    if (&callee == &f_) return &own_entries_;
    const size_t i = size_t(&callee - module_.funcs.data());
    if (i < stubs_.batch_entries.size() && stubs_.batch_entries[i].charged != ModuleStubs::kNotInBatch)
      return &stubs_.batch_entries[i];
    return nullptr;
  }

  // Which of this function's held registers (bits, as Assembler::written_slot_registers) hold an argument
  // that a call whose arguments start at slot `args` passes in a register to a callee holding `params`:
  // the same slot, the same register class.
  uint32_t passed_arguments(const std::vector<Assembler::SlotRegister>& params, int32_t args) const {
    uint32_t passed = 0;
    for (const Assembler::SlotRegister& p : params)
      if (const int i = held_index(args + p.disp, p.xmm, p.vector); i >= 0) passed |= 1u << i;
    return passed;
  }
  // The index in held() of the register holding frame slot `disp` in the class (`xmm`, `vector`), or -1.
  int held_index(int32_t disp, bool xmm, bool vector) const {
    const auto& set = held();
    for (size_t i = 0; i < set.size(); ++i)
      if (set[i].disp == disp && set[i].xmm == xmm && set[i].vector == vector) return int(i);
    return -1;
  }
  // The register holding the scalar frame slot at `disp` (in either class; not a v128), or null.
  const Assembler::SlotRegister* held_scalar(int32_t disp) const {
    for (const Assembler::SlotRegister& r : held())
      if (r.disp == disp && !r.vector) return &r;
    return nullptr;
  }

  // `known`: the callee's entries (known_entries), or null. Until the arguments move (last, right before
  // the call), a known callee's path uses only rax, rcx and rdx, which hold no frame slot.
  Label call_compiled_inline(const CompiledFunc& callee, const ModuleStubs::Entries* known,
                             const CallSite& site, Label continuation) {
    Assembler& a = as();
    const Layout& l = layout();
    Label slow = a.new_label();
    const int32_t args = int32_t(site.args_slot);
    if (!known) {
      a.mov_imm(Size::k64, Reg::rcx, reinterpret_cast<uint64_t>(&callee.native));  // its NativeFunc*
      a.mov(Size::k64, Reg::rcx, mem(Reg::rcx));
      a.test(Size::k64, Reg::rcx, Reg::rcx);
      a.jcc(Cond::kE, slow);
    }
    a.mov(Size::k64, Reg::rax, kFrameTopSlot);
    a.alu(Alu::kCmp, Size::k64, Reg::rax, mem(kCtxReg, l.ctx_native_frames_end));
    a.jcc(Cond::kAE, slow);  // the helper checks frames_end, pushes beyond, and jumps
    a.lea(Size::k64, Reg::rdx, mem(kFpReg, args + int32_t(callee.frame_slots) * 8));
    a.alu(Alu::kCmp, Size::k64, Reg::rdx, mem(kCtxReg, l.ctx_stack_end));
    a.jcc(Cond::kA, slow);
    a.mov(Size::k64, Reg::rdx, mem(kCtxReg, l.ctx_interrupt));
    a.alu(Alu::kCmp, Size::k32, mem(Reg::rdx), 0);
    a.jcc(Cond::kNE, slow);
    // The FuncInst: for a known callee in rdx (rcx is free), else in rsi (rcx holds the NativeFunc, and
    // no argument moves to a register)
    const Reg func = known ? Reg::rdx : Reg::rsi;
    if (&callee == &f_) {  // itself: the FuncInst of the running frame, just below frame_top
      a.mov(Size::k64, func,
            mem(Reg::rax, int32_t(offsetof(interp::Frame, func)) - int32_t(sizeof(interp::Frame))));
    } else {
      a.mov(Size::k64, func, mem(kInstReg, l.inst_funcs));
      a.mov(Size::k64, func, mem(func, int32_t(site.func_or_type * 8)));
    }
    push_frame(func, known ? Reg::rcx : Reg::rdi, continuation);
    // zero the callee's declared locals (rax, the frame top, is free after push_frame), but for those it
    // zeroes in registers when entered at `registers`
    const int32_t locals_at = args + int32_t(callee.param_slots) * 8;
    auto zeroed_by_callee = [&](int32_t disp) {  // (an offset in the callee's frame)
      return known && std::find(known->held_locals.begin(), known->held_locals.end(), disp) !=
                          known->held_locals.end();
    };
    // (the count: rcx is the NativeFunc of an unknown callee)
    zero_slots(locals_at, callee.local_slots, known ? Reg::rcx : Reg::rsi,
               [&](int32_t disp) { return zeroed_by_callee(disp - args); });
    a.lea(Size::k64, kFpReg, mem(kFpReg, args));
    if (known) {
      pass_arguments(known->params, args);
      enter_callee(site, site.charged ? known->registers_charged : known->registers, known->published_base);
    } else {
      enter_callee(site);
    }
    return slow;
  }

  // The end of an inline call: enter the callee (whose NativeFunc is in rcx, unless `known` gives its entry
  // as a code offset of this batch: then a direct call; `entry_in_rcx`: rcx is the entry itself,
  // call_indirect's) with a native `call`, so that
  // its return is a `ret` the CPU predicts (an indirect jump through the Frame mispredicts whenever a
  // function returns to a different call site than last time). The return address is a landing pad that
  // drops the callee's frame-top slot (push_frame pushed it) and goes on to the continuation. The inline
  // paths took the helper instead beyond ctx.native_frames_end, which bounds the native stack this uses.
  // (`published_base`: the entry is an offset in the code of an earlier batch that starts there; rax, free
  // after the arguments moved, holds the absolute address.)
  void enter_callee(const CallSite& site, std::optional<uint32_t> known = std::nullopt,
                    const uint8_t* published_base = nullptr, bool entry_in_rcx = false) {
    Assembler& a = as();
    const Layout& l = layout();
    // (push_frame pushed the callee's frame-top slot)
    if (known && published_base != nullptr) {
      a.mov_imm(Size::k64, Reg::rax, reinterpret_cast<uint64_t>(published_base + *known));
      a.call(Reg::rax);
    } else if (known) {
      a.call(a.label_at(*known));
    } else if (entry_in_rcx) {
      a.call(Reg::rcx);
    } else {
      a.call(mem(Reg::rcx, site.charged ? l.native_entry_charged : l.native_entry));
    }
    a.alu(Alu::kAdd, Size::k64, Reg::rsp, 8);  // the continuation follows
    // fp is still the callee's (a `ret` comes only from emit_return's marked path, which leaves fp as
    // the callee had it: this call's fp + the arguments' offset): derive the caller's from it rather
    // than load the Frame's caller_fp, a load every reload after the call would wait for.
    a.lea(Size::k64, kFpReg, mem(kFpReg, -int32_t(site.args_slot)));
  }

  // Zeroes the `count` 8-byte frame slots from fp + `from`, but those `skip(disp)` says the callee zeroes
  // itself (then all of them when there are more than 16: a loop, counting in `count_reg`). Uses rax and
  // rdx.
  void zero_slots(
      int32_t from, uint32_t count, Reg count_reg,
      const std::function<bool(int32_t)>& skip = [](int32_t) { return false; }) {
    Assembler& a = as();
    uint32_t to_zero = 0;
    for (uint32_t i = 0; i < count; ++i) to_zero += !skip(from + int32_t(i) * 8);
    if (to_zero == 0) return;
    a.alu(Alu::kXor, Size::k32, Reg::rdx, Reg::rdx);
    if (count <= 16) {
      for (uint32_t i = 0; i < count; ++i)
        if (!skip(from + int32_t(i) * 8)) a.mov(Size::k64, mem(kFpReg, from + int32_t(i) * 8), Reg::rdx);
      return;
    }
    Label loop = a.new_label();
    a.lea(Size::k64, Reg::rax, mem(kFpReg, from));
    a.mov_imm(Size::k32, count_reg, count);
    a.bind(loop);
    a.mov(Size::k64, mem(Reg::rax), Reg::rdx);
    a.alu(Alu::kAdd, Size::k64, Reg::rax, 8);
    a.alu(Alu::kSub, Size::k32, count_reg, 1);
    a.jcc(Cond::kNE, loop);
  }

  // Fills the Frame at rax (ctx.frame_top, checked) for a native call of `func` (a FuncInst* register)
  // returning to `continuation`, marked (kNativeCalledMark), and bumps frame_top. Uses `temp`.
  void push_frame(Reg func, Reg temp, Label continuation) {
    Assembler& a = as();
    a.mov(Size::k64, mem(Reg::rax, int32_t(offsetof(interp::Frame, func))), func);
    // return_pc, caller_fp and caller_instance stay unwritten while the frame is marked: the exit stub
    // fills them when the activation leaves (emit_module_stubs); a `ret` needs none of them.
    a.lea_label(temp, continuation);
    a.bit_set(temp, 63);  // kNativeCalledMark: enter_callee calls
    a.mov(Size::k64, mem(Reg::rax, int32_t(offsetof(interp::Frame, native_return))), temp);
    a.alu(Alu::kAdd, Size::k64, Reg::rax, int32_t(sizeof(interp::Frame)));
    // the callee's frame-top slot, 8 bytes above its return address once enter_callee called it (and 16
    // bytes a call keep helper calls aligned); nothing between here and the call addresses through rsp
    a.push(Reg::rax);
  }

  // Puts the arguments of a direct call into the registers its callee holds its parameters in at its
  // entry (`params`, offsets in the callee's frame, which starts at the caller's slot `args`; fp is the
  // callee's already). The caller's held registers have the current values (spilled before the call, so
  // the slots have them too): a held argument moves register to register, any other is loaded from its
  // slot. The moves are a parallel assignment (a register may be a source and another's destination);
  // a cycle goes through rax or xmm0, free here.
  void pass_arguments(const std::vector<Assembler::SlotRegister>& params, int32_t args) {
    Assembler& a = as();
    struct Move {
      Assembler::SlotRegister to;
      uint8_t from;
    };
    std::vector<Move> moves;
    std::vector<Assembler::SlotRegister> loads;
    for (const Assembler::SlotRegister& p : params) {
      const int i = held_index(args + p.disp, p.xmm, p.vector);
      if (i < 0)
        loads.push_back(p);
      else if (held()[size_t(i)].reg != p.reg)
        moves.push_back(Move{p, held()[size_t(i)].reg});
    }
    auto emit_move = [&](bool xmm, uint8_t to, uint8_t from) {
      if (xmm)
        a.movaps(jit::Xmm(to), jit::Xmm(from));
      else
        a.mov(Size::k64, Reg(to), Reg(from));
    };
    while (!moves.empty()) {
      // A move whose destination no other move still reads; if none, every remaining move is on a
      // cycle: save the first one's destination to the scratch register and let its readers read that.
      size_t pick = moves.size();
      for (size_t i = 0; i < moves.size() && pick == moves.size(); ++i) {
        bool read = false;
        for (size_t j = 0; j < moves.size(); ++j)
          read |= j != i && moves[j].from == moves[i].to.reg && moves[j].to.xmm == moves[i].to.xmm;
        if (!read) pick = i;
      }
      if (pick == moves.size()) {
        pick = 0;
        const bool xmm = moves[0].to.xmm;
        const uint8_t scratch = xmm ? uint8_t(jit::Xmm::xmm0) : uint8_t(Reg::rax);
        emit_move(xmm, scratch, moves[0].to.reg);
        for (Move& m : moves)
          if (m.to.xmm == xmm && m.from == moves[0].to.reg) m.from = scratch;
      }
      emit_move(moves[pick].to.xmm, moves[pick].to.reg, moves[pick].from);
      moves.erase(moves.begin() + std::ptrdiff_t(pick));
    }
    for (const Assembler::SlotRegister& p : loads) move_slot(p, /*to_memory=*/false);
  }

  // The fast path of call_indirect: when the element is a compiled function of the current instance with
  // the expected type, and the stacks have room and no interrupt is pending, do what helper_call does
  // inline (as call_compiled_inline, with the callee's sizes read from its CompiledFunc) and jump to its
  // entry. Anything else (out of bounds, null, other type: the traps; host functions, other instances,
  // interpreted callees) falls through to the helper, which checks everything again in its order.
  Label call_indirect_inline(const CallSite& site, Label continuation) {
    Assembler& a = as();
    const Layout& l = layout();
    Label slow = a.new_label();
    const int32_t args = int32_t(site.args_slot);
    // The index (zero-extended), from its held register if any: the slot has it too (spilled), but a
    // load right after the spill's store would wait for it
    const Assembler::SlotRegister* index = held_scalar(int32_t(site.index_slot));
    if (index == nullptr)
      a.mov(Size::k32, Reg::rax, mem(kFpReg, int32_t(site.index_slot)));
    else if (index->xmm)
      a.movd_from_xmm(Size::k32, Reg::rax, jit::Xmm(index->reg));
    else
      a.mov(Size::k32, Reg::rax, Reg(index->reg));
    a.mov(Size::k64, Reg::rcx, mem(kInstReg, l.inst_tables));
    a.mov(Size::k64, Reg::rcx, mem(Reg::rcx, int32_t(site.table * 8)));  // TableInst*
    a.mov(Size::k64, Reg::rdx, mem(Reg::rcx, l.table_elems));
    a.lea(Size::k64, Reg::rdx, mem(Reg::rdx, Reg::rax, 8));  // the element, if below the elements' end
    a.alu(Alu::kCmp, Size::k64, Reg::rdx, mem(Reg::rcx, l.table_elems + 8));
    a.jcc(Cond::kAE, slow);
    a.mov(Size::k64, Reg::rdx, mem(Reg::rdx));  // FuncInst* (or null)
    a.test(Size::k64, Reg::rdx, Reg::rdx);
    a.jcc(Cond::kE, slow);
    a.alu(Alu::kCmp, Size::k32, mem(Reg::rdx, l.func_type_id), int32_t(site.func_or_type));
    a.jcc(Cond::kNE, slow);
    a.alu(Alu::kCmp, Size::k64, kInstReg, mem(Reg::rdx, l.func_instance));
    a.jcc(Cond::kNE, slow);
    // The entry that zeroes the callee's locals, cached in the FuncInst (null: not compiled, or not called
    // through the helper yet, which caches it). A host function, whose field holds its callback
    // instead, has no instance: the check above excluded it.
    a.mov(Size::k64, Reg::rcx, mem(Reg::rdx, l.func_call_entry));
    a.test(Size::k64, Reg::rcx, Reg::rcx);
    a.jcc(Cond::kE, slow);
    a.mov(Size::k64, Reg::rsi, mem(Reg::rdx, l.func_code));  // CompiledFunc* (for its frame size)
    a.mov(Size::k64, Reg::rax, kFrameTopSlot);
    a.alu(Alu::kCmp, Size::k64, Reg::rax, mem(kCtxReg, l.ctx_native_frames_end));
    a.jcc(Cond::kAE, slow);  // the helper checks frames_end, pushes beyond, and jumps
    a.mov(Size::k32, Reg::rdi, mem(Reg::rsi, l.code_frame_slots));
    a.lea(Size::k64, Reg::rdi, mem(kFpReg, Reg::rdi, 8, args));
    a.alu(Alu::kCmp, Size::k64, Reg::rdi, mem(kCtxReg, l.ctx_stack_end));
    a.jcc(Cond::kA, slow);
    a.mov(Size::k64, Reg::rdi, mem(kCtxReg, l.ctx_interrupt));
    a.alu(Alu::kCmp, Size::k32, mem(Reg::rdi), 0);
    a.jcc(Cond::kNE, slow);
    push_frame(Reg::rdx, Reg::rdi, continuation);
    a.lea(Size::k64, kFpReg, mem(kFpReg, args));
    enter_callee(site, std::nullopt, nullptr, /*entry_in_rcx=*/true);  // (the callee zeroes its locals)
    return slow;
  }

  // ReturnOp(F): pop the Frame. The entry frame (return_pc null) ends the activation; a compiled caller
  // continues at its native continuation (which charges its continuation block); an interpreted caller
  // continues in the interpreter, which is handed the continuation's cost as the pending charge.
  void emit_return(bool charged) {
    Assembler& a = as();
    const Layout& l = layout();
    spill_results();  // the results are in slots 0.., which may be held; the rest of the frame is dead
    // The first result's 8 bytes (all of a scalar's) also go back in rcx, for a compiled caller's landing
    // pad (call()): taken from a register, the result does not wait for a store and a load either.
    if (f_.result_slots > 0) {
      const Assembler::SlotRegister* result = held_scalar(0);
      const bool paused = a.slot_registers_paused();
      a.pause_slot_registers(true);
      if (result == nullptr)
        a.mov(Size::k64, Reg::rcx, mem(kFpReg, 0));
      else if (result->xmm)
        a.movd_from_xmm(Size::k64, Reg::rcx, jit::Xmm(result->reg));
      else
        a.mov(Size::k64, Reg::rcx, Reg(result->reg));
      a.pause_slot_registers(paused);
    }
    // Called by a native call in this activation (kNativeCalledMark): the caller is compiled code of the
    // same instance (only the inline call paths mark), so popping the Frame is all there is before `ret`
    // (the caller's frame top is in its own slot; the caller's landing pad restores its fp from ours).
    constexpr int32_t kFrameSize = int32_t(sizeof(interp::Frame));
    a.mov(Size::k64, Reg::rax, kFrameTopSlot);
    a.mov(Size::k64, Reg::rdx, mem(Reg::rax, int32_t(offsetof(interp::Frame, native_return)) - kFrameSize));
    a.test(Size::k64, Reg::rdx, Reg::rdx);
    Label not_called = a.new_label();
    a.jcc(Cond::kNS, not_called);
    a.ret();
    a.bind(not_called);
    a.alu(Alu::kSub, Size::k64, Reg::rax, kFrameSize);  // the Frame popped
    // Any other way continues at this level (the caller entered by the entry stub or the call helper's
    // jump, whose slot this is) or leaves: the frame top goes to the slot and to ctx (exit_done does not
    // take it from the slot).
    a.mov(Size::k64, kFrameTopSlot, Reg::rax);
    a.mov(Size::k64, mem(kCtxReg, l.ctx_frame_top), Reg::rax);
    a.mov(Size::k64, Reg::rcx, mem(Reg::rax, int32_t(offsetof(interp::Frame, return_pc))));
    a.test(Size::k64, Reg::rcx, Reg::rcx);
    Label has_caller = a.new_label();
    a.jcc(Cond::kNE, has_caller);
    a.mov_imm(Size::k32, Reg::rax, kNativeDone);
    a.jmp(stubs_.exit_done);
    a.bind(has_caller);
    a.mov(Size::k64, kFpReg, mem(Reg::rax, int32_t(offsetof(interp::Frame, caller_fp))));
    a.mov(Size::k64, Reg::rsi, mem(Reg::rax, int32_t(offsetof(interp::Frame, caller_instance))));
    a.test(Size::k64, Reg::rdx, Reg::rdx);
    Label interpreted = a.new_label();
    a.jcc(Cond::kE, interpreted);
    // Returning by a jump into a frame below where this activation started marking: the exit's unmarking
    // must start from here, and the bound of marked frames follows (frames pushed from now on lie above).
    Label base_ok = a.new_label();
    a.alu(Alu::kCmp, Size::k64, Reg::rax, mem(kCtxReg, l.ctx_native_frames_base));
    a.jcc(Cond::kAE, base_ok);
    a.mov(Size::k64, mem(kCtxReg, l.ctx_native_frames_base), Reg::rax);
    a.mov(Size::k64, Reg::rcx, Reg::rax);
    emit_native_frames_end(a);
    a.mov(Size::k64, Reg::rax, Reg::rcx);
    a.bind(base_ok);
    Label same_instance = a.new_label();
    a.cmp(Size::k64, Reg::rsi, kInstReg);
    a.jcc(Cond::kE, same_instance);
    a.mov(Size::k64, kInstReg, Reg::rsi);
    a.mov(Size::k64, Reg::r11, Reg::rdx);
    emit_reload_memory0(a);
    a.mov(Size::k64, Reg::rdx, Reg::r11);
    a.bind(same_instance);
    a.jmp(Reg::rdx);
    a.bind(interpreted);
    a.mov(Size::k64, kInstReg, Reg::rsi);
    a.mov(Size::k64, mem(kCtxReg, l.ctx_pc), Reg::rcx);
    if (charged)
      a.mov(Size::k32, Reg::rax, mem(Reg::rcx, -4));  // the call's continuation cost, its last field
    else
      a.alu(Alu::kXor, Size::k32, Reg::rax, Reg::rax);
    a.mov(Size::k64, mem(kCtxReg, l.ctx_pending_charge), Reg::rax);
    a.mov_imm(Size::k32, Reg::rax, kNativeSwitchTier);
    a.jmp(stubs_.exit_state);
  }

  // Leaves for the interpreter at the current instruction.
  void exit_to_interpreter_here() {
    Assembler& a = as();
    const Layout& l = layout();
    a.mov_imm(Size::k64, Reg::rax, reinterpret_cast<uint64_t>(pc_));
    a.mov(Size::k64, mem(kCtxReg, l.ctx_pc), Reg::rax);
    a.mov_imm(Size::k64, mem(kCtxReg, l.ctx_pending_charge), 0);
    a.mov_imm(Size::k32, Reg::rax, kNativeSwitchTier);
    a.jmp(stubs_.exit_state);
  }

  struct FuelStub {
    Label stub, back;
    uint32_t cost, target;
    bool registers_live;
    size_t region;  // whose registers are live at the charge
  };
  struct InterruptStub {
    Label stub;
    uint32_t target;
    size_t region;
  };
  // The helper path of a call that has an inline path (call()): the inline checks jump to `stub`.
  struct CallSlowPath {
    Label stub;
    const CallSite* site;
    Label continuation;
    std::vector<Assembler::SlotRegister> unstored;  // held arguments the call did not store (passed)
  };
  // Where a call with an inline path continues when the callee did not return to its landing pad
  // (call()): reload the held slots below `results_end` of `region` from memory, then go to `joined`.
  struct Continuation {
    const CallSite* site;
    Label continuation, joined;
    size_t region;
    int32_t results_end;
  };
  struct TrapSite {
    Label stub;
    uint32_t pos;
    TrapCode code;
    bool from_helper;  // the code is in eax (+1)
  };

  const ModuleStubs& stubs_;
  const interp::CompiledModule& module_;
  const CompiledFunc& f_;
  std::deque<CallSite>& sites_;
  Label trap_common_;
  std::vector<std::pair<uint32_t, uint32_t>> positions_;  // (lowered, native) of every instruction
  std::vector<uint32_t> not_resumable_;  // instructions only the interpreter runs, in code order
  // A forward branch whose target is not reached yet: a min-heap on the target.
  struct PendingBranch {
    uint32_t target;   // lowered
    uint32_t label;    // the assembler's label id
    uint32_t written;  // Assembler::written_slot_registers where the branch leaves
    auto operator<=>(const PendingBranch&) const = default;
  };
  std::vector<PendingBranch> pending_;
  std::vector<FuelStub> fuel_stubs_;
  std::vector<InterruptStub> interrupt_stubs_;
  std::vector<CallSlowPath> call_slow_paths_;
  std::vector<Continuation> continuations_;
  std::vector<uint32_t> callees_;  // counting: the defined functions called directly
  std::vector<TrapSite> trap_sites_;
  RegionSets sets_;     // the held slots of each region (empty: none held anywhere)
  const bool holding_;  // some region holds slots
  size_t region_ = 0;   // the region whose registers the code being emitted has (see switch_region)
  std::vector<size_t> open_regions_;  // advance_region: the loops around the position, innermost last
  size_t next_region_loop_ = 0;       // advance_region: the next entry of f_.loops to enter
  const std::vector<uint32_t>& loop_parents_;  // loop_parents(f_.loops)
  const bool counting_;
  bool helper_called_ = false;
  // Where compiled code can be entered (with the registers of the position's region); sorted and
  // deduplicated when used.
  std::vector<uint32_t> resume_positions_;
};

}  // namespace

namespace {
// Where a function's code lies in the module's code (for profilers).
struct Extent {
  uint32_t func_index, begin, end;
};

// AIRWASM_PERF_MAP=1: appends the compiled functions to /tmp/perf-PID.map, the format Linux perf reads to
// name JIT code in its profiles ("START SIZE name", hexadecimal).
void write_perf_map(const jit::ExecutableCode& code, const std::vector<Extent>& extents) {
  static const bool on = [] {
    const char* v = std::getenv("AIRWASM_PERF_MAP");
    return v && *v && *v != '0';
  }();
  if (!on) return;
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  const std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
  FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return;
  for (const Extent& e : extents)
    std::fprintf(f, "%llx %x wasm-function[%u]\n",
                 static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(code.data()) + e.begin),
                 e.end - e.begin, e.func_index);
  std::fclose(f);
}

// AIRWASM_BASELINE_DUMP=PREFIX: writes each module's code to PREFIX.N.bin and its function extents to
// PREFIX.N.txt (disassemble with objdump -D -b binary -m i386:x86-64 --start-address=...).
void dump_code(const jit::ExecutableCode& code, const std::vector<Extent>& extents) {
  const char* prefix = std::getenv("AIRWASM_BASELINE_DUMP");
  if (!prefix || !*prefix) return;
  static std::atomic<int> counter{0};
  const std::string base = std::string(prefix) + "." + std::to_string(counter++);
  if (FILE* f = std::fopen((base + ".bin").c_str(), "wb")) {
    std::fwrite(code.data(), 1, code.size(), f);
    std::fclose(f);
  }
  if (FILE* f = std::fopen((base + ".txt").c_str(), "w")) {
    for (const Extent& e : extents) std::fprintf(f, "%u 0x%x 0x%x\n", e.func_index, e.begin, e.end);
    std::fclose(f);
  }
}

// AIRWASM_BASELINE_SKIP=3,17,...: functions (module function indices) left to the interpreter, for
// bisecting a miscompilation and for tests that need calls between the tiers. Read at every compile.
std::set<uint32_t> functions_to_skip() {
  std::set<uint32_t> skipped;
  const char* v = std::getenv("AIRWASM_BASELINE_SKIP");
  while (v && *v) {
    char* end = nullptr;
    const unsigned long index = std::strtoul(v, &end, 10);
    if (end == v) break;
    skipped.insert(uint32_t(index));
    v = *end == ',' ? end + 1 : end;
  }
  return skipped;
}

bool trace_refusals() {
  static const bool on = [] {
    const char* v = std::getenv("AIRWASM_BASELINE_TRACE");
    return v && *v && *v != '0';
  }();
  return on;
}
}  // namespace

// The frame slots to hold in registers, from the access counts of a translation without: parameters,
// locals and operand-stack temporaries alike, the most used first, an access inside k nested loops counting
// 8^k (so the registers go to the inner loops' values), at least 3 (each held slot costs a load at the
// entry and a spill and reload around calls). Each goes to the register class most of its accesses use,
// and only to that: general registers rsi, rdi, r8-r10 (and r14 without fuel), xmm2-xmm14. The op families
// use only rax, rcx, rdx, xmm0 and xmm1 as scratch (and argument registers only around helper calls, which
// the driver emits between a spill and a reload); r11 and xmm15 are the assembler's. An integer value in an
// xmm register (or the reverse) is reached through r11 / xmm15, two domain crossings per use, which costs
// more than the memory slot: measured, mixed_lz 0.91 s -> 0.65 s and branch_vm 0.68 -> 0.53-0.61 when
// integer locals stopped overflowing into xmm registers.
std::vector<Assembler::SlotRegister> choose_held_locals(const std::vector<Assembler::SlotCounts>& counts,
                                                        bool metered,
                                                        const std::vector<Assembler::SlotRegister>& around) {
  // Whether slot i (and i + 1) can be held as a v128 / as a scalar of class `sse` given these accesses.
  auto vector_ok = [&](uint32_t i) {
    const Assembler::SlotCounts& c = counts[i];
    const Assembler::SlotCounts* tail = i + 1 < counts.size() ? &counts[i + 1] : nullptr;
    return c.integer + c.sse + c.neutral == 0 && !c.partial && !c.vector_tail && tail &&
           tail->integer + tail->sse + tail->neutral == 0 && tail->vector == 0 && !tail->partial;
  };
  // Copies, constants and float loads/stores count for neither class; a value is a float one when a
  // third of its other accesses are SSE ones.
  auto is_sse = [](const Assembler::SlotCounts& c) { return c.sse > 0 && c.sse * 2 >= c.integer; };
  struct Candidate {
    uint32_t slot;
    uint64_t total;
    bool sse;
    bool vector = false;
  };
  std::vector<Candidate> candidates;
  for (uint32_t i = 0; i < counts.size(); ++i) {
    const Assembler::SlotCounts& c = counts[i];
    const uint64_t scalar = c.integer + c.sse + c.neutral;
    if (c.vector > 0) {
      // A v128 (two slots) only ever accessed whole, at this slot: an xmm register can hold it.
      if (vector_ok(i) && c.vector >= 3) candidates.push_back(Candidate{i, c.vector, true, true});
      continue;
    }
    if (c.partial || c.vector_tail || scalar < 3) continue;
    candidates.push_back(Candidate{i, scalar, is_sse(c)});
  }
  // std::sort with the slot as tie-break (deterministic, and no temporary buffer: stable_sort's nothrow
  // allocation trips programs that replace only the throwing operator new, as typed_test.cc does).
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& x, const Candidate& y) {
    return x.total != y.total ? x.total > y.total : x.slot < y.slot;
  });
  static constexpr Reg kGp[] = {Reg::rsi, Reg::rdi, Reg::r8, Reg::r9, Reg::r10, Reg::r14};
  const size_t gp_count = metered ? std::size(kGp) - 1 : std::size(kGp);  // r14 is the fuel
  static constexpr jit::Xmm kXmm[] = {jit::Xmm::xmm8,  jit::Xmm::xmm9,  jit::Xmm::xmm10, jit::Xmm::xmm11,
                                      jit::Xmm::xmm12, jit::Xmm::xmm13, jit::Xmm::xmm14, jit::Xmm::xmm2,
                                      jit::Xmm::xmm3,  jit::Xmm::xmm4,  jit::Xmm::xmm5,  jit::Xmm::xmm6,
                                      jit::Xmm::xmm7};
  // The busiest slots, as many as each class has registers.
  std::vector<Candidate> chosen;
  size_t gp = 0, xmm = 0;
  for (const Candidate& c : candidates) {
    if ((c.sse || c.vector) ? xmm < std::size(kXmm) : gp < gp_count) {
      chosen.push_back(c);
      ++((c.sse || c.vector) ? xmm : gp);
    }
  }
  // Registers: a slot the region around holds the same way keeps that register (no move between the
  // two regions), the others take the first free ones.
  uint32_t used_gp = 0, used_xmm = 0;  // bit per register number
  std::vector<Assembler::SlotRegister> held(chosen.size());
  std::vector<bool> assigned(chosen.size(), false);
  std::vector<bool> taken(counts.size() + 1, false);  // slots covered by a chosen one
  for (size_t k = 0; k < chosen.size(); ++k) {
    const Candidate& c = chosen[k];
    taken[c.slot] = true;
    if (c.vector) taken[c.slot + 1] = true;
    for (const Assembler::SlotRegister& r : around) {
      if (r.disp == int32_t(c.slot * 8) && r.xmm == (c.sse || c.vector) && r.vector == c.vector) {
        held[k] = r;
        assigned[k] = true;
        (r.xmm ? used_xmm : used_gp) |= 1u << r.reg;
      }
    }
  }
  for (size_t k = 0; k < chosen.size(); ++k) {
    if (assigned[k]) continue;
    const Candidate& c = chosen[k];
    if (c.sse || c.vector) {
      for (jit::Xmm x : kXmm)
        if (!(used_xmm >> uint8_t(x) & 1)) {
          used_xmm |= 1u << uint8_t(x);
          held[k] = {int32_t(c.slot * 8), true, uint8_t(x), c.vector};
          break;
        }
    } else {
      for (size_t g = 0; g < gp_count; ++g)
        if (!(used_gp >> uint8_t(kGp[g]) & 1)) {
          used_gp |= 1u << uint8_t(kGp[g]);
          held[k] = {int32_t(c.slot * 8), false, uint8_t(kGp[g])};
          break;
        }
    }
  }
  // Registers left free keep what the region around holds in them, where this region's accesses allow
  // it (none at all, or of that kind): then passing between the two regions moves nothing for them (an
  // inner loop that needs few registers costs its outer loop nothing).
  for (const Assembler::SlotRegister& r : around) {
    const uint32_t slot = uint32_t(r.disp / 8);
    if ((r.xmm ? used_xmm : used_gp) >> r.reg & 1) continue;
    if (slot >= counts.size() || taken[slot] || (r.vector && taken[slot + 1])) continue;
    const Assembler::SlotCounts& c = counts[slot];
    const bool scalar_fits = !c.partial && !c.vector_tail && c.vector == 0 &&
                             (c.integer + c.sse + c.neutral == 0 || is_sse(c) == r.xmm);
    if (!(r.vector ? vector_ok(slot) : scalar_fits)) continue;
    (r.xmm ? used_xmm : used_gp) |= 1u << r.reg;
    held.push_back(r);
  }
  return held;
}

// Compiles functions of a module into code regions of its NativeModule (friend of NativeModule): the whole
// module at load (compile), or one hot function at a time (NativeModule::compile_hot).
class ModuleCompiler {
 public:
  // A function translated into the assembler's code (offsets relative to the region).
  struct Placed {
    const CompiledFunc* func;
    ModuleStubs::Entries entries;
    std::vector<ResumePoint> resume;
  };

  // What a dry run of a function's translation found: the slots each region holds in registers, and
  // the functions of the module it calls directly.
  struct Plan {
    Result<void> counted;  // the dry run's outcome (an error: the function cannot be translated)
    std::vector<uint32_t> parents;
    RegionSets held;
    bool holding = false;
    std::vector<uint32_t> callees;  // defined-function indices, with repeats
  };

  // The dry run of f's translation (the assembler emits nothing) counts the accesses to each slot per
  // region; then each region chooses the busiest slots to hold in registers (every function, also those
  // without a loop: recursive and call-heavy code, call_recursive 1.09 s -> 0.86 s).
  static Plan plan_function(Assembler& a, const ModuleStubs& stubs, const interp::CompiledModule& module,
                            const CompiledFunc& f, std::deque<CallSite>& sites) {
    Plan plan;
    const Assembler::Checkpoint cp = a.checkpoint();
    plan.parents = loop_parents(f.loops);
    const std::vector<uint32_t>& parents = plan.parents;
    FunctionTranslator counter(a, stubs, module, f, parents, sites, {}, true);
    ModuleStubs::Entries entries;
    std::vector<ResumePoint> resume;
    plan.counted = counter.run(entries, resume);
    plan.callees = counter.take_callees();
    a.rollback(cp);
    RegionSets& held = plan.held;
    bool& holding = plan.holding;
    if (plan.counted) {
      // Each region chooses from the accesses of its own code plus those of the loops nested in it,
      // counted as if each loop ran once (an eighth: the weight of one more level of nesting): the
      // code around a loop with few accesses of its own then holds what the loop holds, and entering
      // the loop moves nothing (a loop entered once per call, as in recursive functions whose tail
      // call became a loop, would otherwise pay a load per register at each entry and a store at each
      // exit: call_recursive 0.57 -> 0.64 s), while code with busy values of its own keeps them
      // (counting the loops in full cost mem_sort 0.29 -> 0.33 s and int_hash nothing). Nested loops
      // come after theirs, so a reverse walk adds each region into the one around it before that one
      // is added on.
      std::vector<std::vector<Assembler::SlotCounts>> counts = a.take_slot_counts();
      for (size_t region = counts.size(); region-- > 1;) {
        std::vector<Assembler::SlotCounts>& around = counts[parents[region - 1]];
        for (size_t slot = 0; slot < around.size(); ++slot) {
          const Assembler::SlotCounts& c = counts[region][slot];
          Assembler::SlotCounts& t = around[slot];
          t.integer += c.integer / 8;
          t.sse += c.sse / 8;
          t.neutral += c.neutral / 8;
          t.vector += c.vector / 8;
          t.vector_tail |= c.vector_tail;
          t.partial |= c.partial;
        }
      }
      // Then per region, the region around first (loops are in that order), keeping the registers of
      // the slots the region around holds too.
      held.resize(counts.size());
      for (size_t region = 0; region < held.size(); ++region) {
        static const std::vector<Assembler::SlotRegister> kNone;
        held[region] = choose_held_locals(counts[region], module.metered,
                                          region == 0 ? kNone : held[parents[region - 1]]);
        holding |= !held[region].empty();
      }
      if (trace_refusals()) {
        for (size_t region = 0; region < held.size(); ++region) {
          const std::vector<Assembler::SlotCounts>& c = counts[region];
          std::fprintf(stderr, "function %u region %zu: %zu local slots, %zu held:", f.func_index, region,
                       c.size(), held[region].size());
          for (size_t i = 0; i < c.size(); ++i)
            if (c[i].integer + c[i].sse + c[i].vector + c[i].neutral > 0)
              std::fprintf(stderr, " %zu:%llu/%llu/v%llu%s%s", i, (unsigned long long)c[i].integer,
                           (unsigned long long)c[i].sse, (unsigned long long)c[i].vector,
                           c[i].vector_tail ? "t" : "", c[i].partial ? "p" : "");
          std::fprintf(stderr, "\n");
        }
      }
    }
    return plan;
  }

  // Translates f at the end of `a`'s code into `p` as `plan` says. On failure the assembler is rolled back
  // to where it was.
  static Result<void> translate_function(Assembler& a, const ModuleStubs& stubs,
                                         const interp::CompiledModule& module, const CompiledFunc& f,
                                         std::deque<CallSite>& sites, Plan&& plan, Placed& p) {
    const Assembler::Checkpoint cp = a.checkpoint();
    Result<void> r = std::move(plan.counted);
    const std::vector<uint32_t>& parents = plan.parents;
    const bool holding = plan.holding;
    if (r) {
      p = Placed{&f, {}, {}};
      r = FunctionTranslator(a, stubs, module, f, parents, sites, std::move(plan.held), false)
              .run(p.entries, p.resume);
      if (!r && holding) {
        if (trace_refusals()) std::fprintf(stderr, "held locals dropped: %s\n", r.error().message.c_str());
        a.rollback(cp);
        p = Placed{&f, {}, {}};
        r = FunctionTranslator(a, stubs, module, f, parents, sites, {}, false).run(p.entries, p.resume);
      }
    }
    if (!r) a.rollback(cp);
    return r;
  }

  // The order to translate a batch's functions in (indices into `plans`): a depth-first post-order of
  // the direct calls between them, so that callees come before their callers. Iterative: call chains
  // can be long.
  static std::vector<size_t> callees_first(const std::vector<Plan>& plans,
                                           const std::vector<size_t>& in_batch) {
    std::vector<size_t> order;
    order.reserve(plans.size());
    std::vector<uint8_t> seen(plans.size(), 0);
    std::vector<std::pair<size_t, size_t>> stack;  // (function, next callee to visit)
    for (size_t root = 0; root < plans.size(); ++root) {
      if (seen[root]) continue;
      seen[root] = 1;
      stack.emplace_back(root, 0);
      while (!stack.empty()) {
        auto& [i, next] = stack.back();
        if (next < plans[i].callees.size()) {
          const size_t callee = in_batch[plans[i].callees[next++]];
          if (callee != SIZE_MAX && !seen[callee]) {
            seen[callee] = 1;
            stack.emplace_back(callee, 0);
          }
          continue;
        }
        order.push_back(i);
        stack.pop_back();
      }
    }
    return order;
  }

  // Compiles `funcs` into one new code region of `native` and publishes them; a function the translator
  // refuses is marked refused and stays interpreted. The caller holds native.mutex_ (or is the only user).
  // `hot`: compiled lazily. An error (no executable memory) leaves every function of the batch interpreted.
  static Result<void> compile_batch(NativeModule& native, const std::vector<const CompiledFunc*>& funcs,
                                    bool hot) {
    Assembler a;
    ModuleStubs stubs = emit_module_stubs(a, native.module_.metered);
    stubs.batch_entries.assign(native.module_.funcs.size(), {});
    // Functions published by earlier batches (lazy tiering): calls to them pass arguments in registers
    // too, to the absolute addresses of their entries.
    for (size_t i = 0; i < native.module_.funcs.size(); ++i) {
      const auto* nf = static_cast<const NativeFunc*>(native.module_.funcs[i].native.get());
      if (nf == nullptr) continue;
      const RegisterEntries& r = nf->register_entries;
      ModuleStubs::Entries& e = stubs.batch_entries[i];
      e.published_base = nf->code_base;
      auto offset = [&](const uint8_t* p) { return uint32_t(p - nf->code_base); };
      e.charged = offset(nf->entry_charged);
      e.plain = offset(nf->entry);
      e.registers = offset(r.registers);
      e.registers_charged = offset(r.registers_charged);
      for (const RegisterEntries::Held& h : r.params) e.params.push_back({h.disp, h.xmm, h.reg, h.vector});
      e.held_locals = r.held_locals;
    }
    std::vector<Placed> placed;
    std::vector<Extent> placed_extents;
    const std::set<uint32_t> skipped = functions_to_skip();
    auto refuse = [&](const CompiledFunc& f, const std::string& why) {
      ++native.stats_.interpreted;
      if (native.stats_.first_refusal.empty()) native.stats_.first_refusal = why;
      f.native.set_state(interp::NativeCodeSlot::kRefused);
      f.native.set_hotness(INT32_MAX);
    };
    // Plan every function first, then translate callees before their callers (a post-order of the
    // direct calls within the batch): a call to a function translated before it is a direct call that
    // passes its arguments in registers (ModuleStubs::Entries). Only the calls of a cycle of recursion
    // (other than a function calling itself) go through NativeFunc.
    std::vector<Plan> plans(funcs.size());
    std::vector<size_t> in_batch(native.module_.funcs.size(), SIZE_MAX);  // defined index -> funcs index
    for (size_t i = 0; i < funcs.size(); ++i) {
      in_batch[size_t(funcs[i] - native.module_.funcs.data())] = i;
      if (!skipped.contains(funcs[i]->func_index))
        plans[i] = plan_function(a, stubs, native.module_, *funcs[i], native.sites_);
    }
    for (size_t i : callees_first(plans, in_batch)) {
      const CompiledFunc& f = *funcs[i];
      if (skipped.contains(f.func_index)) {
        refuse(f, "function " + std::to_string(f.func_index) + " is in AIRWASM_BASELINE_SKIP");
        continue;
      }
      Placed p{&f, {}, {}};
      Result<void> r = translate_function(a, stubs, native.module_, f, native.sites_, std::move(plans[i]), p);
      if (!r) {
        refuse(f, r.error().message);
        // Diagnostics for compiler work: AIRWASM_BASELINE_TRACE=1 lists every function left interpreted.
        if (trace_refusals()) std::fprintf(stderr, "%s\n", r.error().message.c_str());
        continue;
      }
      placed_extents.push_back(
          {f.func_index, std::min(p.entries.charged, p.entries.registers_charged), uint32_t(a.size())});
      stubs.batch_entries[size_t(&f - native.module_.funcs.data())] = p.entries;
      placed.push_back(std::move(p));
    }
    if (placed.empty()) return {};
    auto give_up = [&](Error e) -> Result<void> {
      for (const Placed& p : placed) refuse(*p.func, e.message);
      return std::unexpected(std::move(e));
    };
    if (!a.all_labels_bound()) return give_up(Error{ErrorKind::kUnsupported, "baseline: unbound label"});
    auto code = jit::publish_code(a.code());
    if (!code) return give_up(code.error());
    const jit::ExecutableCode& region = native.regions_.emplace_back(std::move(*code));
    const uint8_t* base = region.data();
    using Entry = uint32_t(ExecContext*, const void*);
    std::vector<const NativeFunc*> published;
    for (Placed& p : placed) {
      NativeFunc& nf = native.funcs_.emplace_back();
      nf.func = p.func;
      nf.code_base = base;
      nf.enter = region.entry<Entry>(stubs.entry);
      nf.entry = base + p.entries.plain;
      nf.entry_charged = base + p.entries.charged;
      nf.entry_zeroing = base + p.entries.zeroing;
      nf.entry_zeroing_charged = base + p.entries.zeroing_charged;
      nf.register_entries.registers = base + p.entries.registers;
      nf.register_entries.registers_charged = base + p.entries.registers_charged;
      for (const Assembler::SlotRegister& r : p.entries.params)
        nf.register_entries.params.push_back({r.disp, r.reg, r.xmm, r.vector});
      nf.register_entries.held_locals = p.entries.held_locals;
      nf.resume = std::move(p.resume);
      published.push_back(&nf);
    }
    write_perf_map(region, placed_extents);
    dump_code(region, placed_extents);
    for (const NativeFunc* nf : published) {
      nf->func->native.publish(nf);
      nf->func->native.set_state(interp::NativeCodeSlot::kCompiled);
    }
    native.stats_.compiled += uint32_t(published.size());
    if (hot) native.stats_.compiled_hot += uint32_t(published.size());
    return {};
  }

  static Result<std::shared_ptr<NativeModule>> compile(const interp::CompiledModule& module) {
    std::shared_ptr<NativeModule> native(new NativeModule(module));
    std::vector<const CompiledFunc*> all;
    for (const CompiledFunc& f : module.funcs) all.push_back(&f);
    AIRWASM_TRY(compile_batch(*native, all, false));
    return native;
  }

  static std::shared_ptr<NativeModule> lazy(const interp::CompiledModule& module) {
    std::shared_ptr<NativeModule> native(new NativeModule(module));
    for (const CompiledFunc& f : module.funcs) f.native.set_hotness(interp::kTierBudget);
    return native;
  }

  static void compile_hot(NativeModule& native, const CompiledFunc& f) {
    if (!f.native.claim()) {
      // Being compiled by another thread (keep interpreting; count again from a full budget), or compiled
      // or refused already.
      f.native.set_hotness(f.native.state() == interp::NativeCodeSlot::kCompiling ? interp::kTierBudget
                                                                                  : INT32_MAX);
      return;
    }
    // Functions at least half-way to hot join the batch: they are likely to become hot soon, and one region
    // for several functions saves the mappings and the page-rounding a region per function would cost.
    std::vector<const CompiledFunc*> batch{&f};
    for (const CompiledFunc& g : native.module_.funcs)
      if (&g != &f && g.native.hotness() <= interp::kTierBudget / 2 && !g.native.get() && g.native.claim())
        batch.push_back(&g);
    std::lock_guard lock(native.mutex_);
    (void)compile_batch(native, batch, true);  // an error leaves the batch refused, interpreted
  }
};

CompileStats NativeModule::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

size_t NativeModule::code_bytes() const {
  std::lock_guard lock(mutex_);
  size_t bytes = 0;
  for (const jit::ExecutableCode& region : regions_) bytes += region.size();
  return bytes;
}

void NativeModule::compile_hot(const interp::CompiledFunc& f) {
  ModuleCompiler::compile_hot(*this, f);
}

Result<std::shared_ptr<NativeModule>> compile_module(const interp::CompiledModule& module) {
  return ModuleCompiler::compile(module);
}

std::shared_ptr<NativeModule> lazy_native_module(const interp::CompiledModule& module) {
  return ModuleCompiler::lazy(module);
}

}  // namespace airwasm::baseline
