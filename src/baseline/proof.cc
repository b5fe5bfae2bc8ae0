// baseline: the test-only proof translator (see proof.hh and docs/compiler.md). One forward pass over the
// lowered code; every lowered instruction start gets a native position (a resume point). Register use
// (docs/compiler.md, "Registers"): rbx = ExecContext*, r15 = fp, r14 = fuel; rax/rcx/rdx/rsi/rdi scratch.
// Slow paths (out of fuel, interrupt, return into an interpreted caller) are out-of-line stubs placed
// after the function's code; they call C++ helpers that do exactly what run_impl's exits do.
#include "baseline/proof.hh"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <map>
#include <string>
#include <unordered_map>

#include "base/result.hh"
#include "interp/iop.hh"
#include "jit/x64_assembler.hh"

namespace airwasm::baseline {

using interp::ExecContext;
using interp::IOp;
using interp::RunStatus;
using jit::Alu;
using jit::Assembler;
using jit::Cond;
using jit::Label;
using jit::mem;
using jit::Reg;
using jit::Size;

namespace {

// Status codes the native exits return in eax.
enum NativeStatus : uint32_t {
  kNativeDone = 0,
  kNativeTrap = 1,
  kNativeSuspended = 2,
  kNativeToInterpreter = 3
};

constexpr Reg kCtx = Reg::rbx;
constexpr Reg kFp = Reg::r15;
constexpr Reg kFuel = Reg::r14;

// ExecContext is not standard-layout (offsetof is not allowed), so its field offsets are measured once.
struct CtxOffsets {
  int32_t fp, fuel, frame_top, interrupt;
};
const CtxOffsets& ctx_offsets() {
  static const CtxOffsets offsets = [] {
    static ExecContext probe;
    auto at = [](const void* field) {
      return int32_t(static_cast<const char*>(field) - reinterpret_cast<const char*>(&probe));
    };
    return CtxOffsets{at(&probe.fp), at(&probe.fuel), at(&probe.frame_top), at(&probe.interrupt)};
  }();
  return offsets;
}

// ---- helpers called from the stubs (System V ABI) ----

// run_impl's out_of_fuel exit for a block at `pc` costing `cost` that the budget cannot pay: 0 = paid from
// the reserve (a nested activation), continue; otherwise the status to leave with.
uint32_t out_of_fuel(ExecContext* ctx, uint32_t cost, const uint8_t* pc) {
  const int64_t pending = cost;
  if (ctx->fuel_is_slice) {
    if (ctx->host_depth == 0) {
      ctx->pending_charge = pending;
      ctx->pc = pc;
      return kNativeSuspended;
    }
    const uint64_t moved = std::min<uint64_t>(ctx->fuel_reserve, uint64_t(INT64_MAX - ctx->fuel));
    ctx->fuel += int64_t(moved);
    ctx->fuel_reserve -= moved;
    ctx->fuel_is_slice = false;
    ctx->slice_overrun = true;
    if (ctx->fuel >= pending) {
      ctx->fuel -= pending;
      return 0;
    }
  }
  ctx->trap = TrapCode::kOutOfFuel;
  ctx->trap_pc = pc;
  ctx->pc = pc;
  return kNativeTrap;
}

// run_impl's `interrupted` exit, taken at `pc` (the branch target).
uint32_t interrupted(ExecContext* ctx, const uint8_t* pc) {
  const uint32_t reason = ctx->interrupt->exchange(interp::kNoInterrupt, std::memory_order_relaxed);
  ctx->trap = reason == interp::kDeadlineReached ? TrapCode::kDeadlineExceeded : TrapCode::kInterrupted;
  ctx->trap_pc = pc;
  ctx->pc = pc;
  return kNativeTrap;
}

// A return whose caller is interpreted (its Frame, just popped, has a return_pc): the interpreter continues
// the caller at return_pc, after charging the call's continuation if the return is the fuel form.
uint32_t return_to_interpreter(ExecContext* ctx, uint32_t charged) {
  const interp::Frame* f = ctx->frame_top;
  ctx->pc = f->return_pc;
  ctx->instance = f->caller_instance;
  uint32_t cost = 0;
  if (charged) std::memcpy(&cost, f->return_pc - 4, 4);
  ctx->pending_charge = cost;
  return kNativeToInterpreter;
}

template <typename F>
uint64_t address_of(F* f) {
  return reinterpret_cast<uint64_t>(f);
}

// The reverse of interp::handler_table(): handler address -> op.
const std::unordered_map<const void*, IOp>& op_by_handler() {
  static const std::unordered_map<const void*, IOp> map = [] {
    std::unordered_map<const void*, IOp> m;
    for (size_t i = 0; i < interp::kIOpCount; ++i)
      if (interp::iop_implemented(IOp(i))) m.emplace(interp::handler(IOp(i)), IOp(i));
    return m;
  }();
  return map;
}

// Op names for error messages, in IOp order.
const char* const kOpNames[] = {
#define AIRWASM_OP(name, code, text, imm, sig, arg) #name,
#include "wasm/opcodes.def"
#undef AIRWASM_OP
#define AIRWASM_IOP(name) #name,
#include "interp/iops.def"
#undef AIRWASM_IOP
};
static_assert(std::size(kOpNames) == interp::kIOpCount);

uint32_t rd32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

struct CmpInfo {
  Cond cond;
};
// The ten integer comparisons in INT_COMPARES order (Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU).
constexpr Cond kCompareConds[10] = {Cond::kE, Cond::kNE, Cond::kL,  Cond::kB,  Cond::kG,
                                    Cond::kA, Cond::kLE, Cond::kBE, Cond::kGE, Cond::kAE};

class Translator {
 public:
  Translator(const interp::CompiledFunc& f) : f_(f), code_(f.entry) {}

  Result<ProofCode> run() {
    emit_entry_and_exits();
    uint32_t pos = 0;
    while (pos < f_.code_size) {
      bind_instruction(pos);
      auto size = translate_one(pos);
      if (!size) return std::unexpected(size.error());
      pos += *size;
    }
    // A forward target past the end cannot exist in validated code; any left is a translator bug.
    if (!pending_.empty())
      return make_error(ErrorKind::kUnsupported, "baseline proof: unresolved branch target");
    emit_stubs();
    if (!a_.all_labels_bound()) return make_error(ErrorKind::kUnsupported, "baseline proof: unbound label");
    ProofCode out;
    AIRWASM_TRY_ASSIGN(out.code, jit::publish_code(a_.code()));
    out.entry_stub = entry_stub_;
    out.func = &f_;
    out.resume = std::move(resume_);
    return out;
  }

 private:
  // ---- positions ----
  void bind_instruction(uint32_t pos) {
    resume_.emplace_back(pos, uint32_t(a_.size()));
    if (auto it = pending_.find(pos); it != pending_.end()) {
      a_.bind(it->second);
      pending_.erase(it);
    }
  }
  Label target_label(uint32_t target) {
    if (!resume_.empty() && target <= resume_.back().first) {
      auto it = std::lower_bound(resume_.begin(), resume_.end(), std::make_pair(target, uint32_t{0}));
      return a_.label_at(it->second);  // validated code only branches to instruction starts
    }
    auto [it, inserted] = pending_.try_emplace(target);
    if (inserted) it->second = a_.new_label();
    return it->second;
  }
  const uint8_t* lowered(uint32_t pos) const { return code_ + pos; }

  // ---- entry and exits ----
  void emit_entry_and_exits() {
    const CtxOffsets& o = ctx_offsets();
    // int entry(ExecContext* ctx, const void* native_pc)
    entry_stub_ = uint32_t(a_.size());
    for (Reg r : {Reg::rbx, Reg::rbp, Reg::r12, Reg::r13, Reg::r14, Reg::r15}) a_.push(r);
    a_.alu(Alu::kSub, Size::k64, Reg::rsp, 8);  // 16-byte alignment at helper calls
    a_.mov(Size::k64, kCtx, Reg::rdi);
    a_.mov(Size::k64, kFp, mem(kCtx, o.fp));
    a_.mov(Size::k64, kFuel, mem(kCtx, o.fuel));
    a_.jmp(Reg::rsi);
    // exit with eax = status, saving fp and fuel (trap, suspension, switch to the interpreter)
    exit_state_ = a_.new_label();
    a_.bind(exit_state_);
    a_.mov(Size::k64, mem(kCtx, o.fp), kFp);
    // exit after the entry frame returned: run_impl's `done` saves fuel (and frame_top, kept in ctx) only
    exit_done_ = a_.new_label();
    a_.bind(exit_done_);
    a_.mov(Size::k64, mem(kCtx, o.fuel), kFuel);
    a_.alu(Alu::kAdd, Size::k64, Reg::rsp, 8);
    for (Reg r : {Reg::r15, Reg::r14, Reg::r13, Reg::r12, Reg::rbp, Reg::rbx}) a_.pop(r);
    a_.ret();
  }

  // ---- fuel and interruption on control transfers ----
  // Charges `cost` for entering the block at lowered `target` (CHARGE_AND_DISPATCH).
  void charge(uint32_t cost, uint32_t target) {
    if (cost == 0) return;  // fuel >= 0 always pays 0
    if (cost <= uint32_t(INT32_MAX)) {
      a_.alu(Alu::kSub, Size::k64, kFuel, int32_t(cost));
    } else {
      a_.mov_imm(Size::k64, Reg::rax, cost);
      a_.sub(Size::k64, kFuel, Reg::rax);
    }
    FuelStub s{a_.new_label(), a_.new_label(), cost, target};
    a_.jcc(Cond::kL, s.stub);
    a_.bind(s.back);
    fuel_stubs_.push_back(s);
  }
  // A taken backward branch checks for interruption (GO_REL with rel <= 0), before charging.
  void interrupt_check(uint32_t target) {
    a_.mov(Size::k64, Reg::rax, mem(kCtx, ctx_offsets().interrupt));
    a_.mov(Size::k32, Reg::rax, mem(Reg::rax));
    a_.test(Size::k32, Reg::rax, Reg::rax);
    InterruptStub s{a_.new_label(), target};
    a_.jcc(Cond::kNE, s.stub);
    interrupt_stubs_.push_back(s);
  }
  // The taken edge of a branch from the instruction at `pos` to `target`, charging `cost` (kNoCost: none).
  static constexpr uint64_t kNoCost = ~uint64_t{0};
  void edge(uint32_t pos, uint32_t target, uint64_t cost) {
    if (target <= pos) interrupt_check(target);
    if (cost != kNoCost) charge(uint32_t(cost), target);
    a_.jmp(target_label(target));
  }
  // A conditional branch on flags already set: taken when `c`. `fall_cost`: the F forms' fall-through charge.
  void cond_branch(Cond c, uint32_t pos, uint32_t target, uint64_t taken_cost, uint64_t fall_cost,
                   uint32_t next) {
    if (target > pos && taken_cost == kNoCost) {
      a_.jcc(c, target_label(target));
    } else {
      Label skip = a_.new_label();
      a_.jcc(jit::negate(c), skip);
      edge(pos, target, taken_cost);
      a_.bind(skip);
    }
    if (fall_cost != kNoCost) charge(uint32_t(fall_cost), next);
  }

  void emit_stubs() {
    const CtxOffsets& o = ctx_offsets();
    for (const FuelStub& s : fuel_stubs_) {
      a_.bind(s.stub);
      if (s.cost <= uint32_t(INT32_MAX)) {
        a_.alu(Alu::kAdd, Size::k64, kFuel, int32_t(s.cost));  // undo: the block was not entered
      } else {
        a_.mov_imm(Size::k64, Reg::rax, s.cost);
        a_.add(Size::k64, kFuel, Reg::rax);
      }
      a_.mov(Size::k64, mem(kCtx, o.fuel), kFuel);
      a_.mov(Size::k64, mem(kCtx, o.fp), kFp);
      a_.mov(Size::k64, Reg::rdi, kCtx);
      a_.mov_imm(Size::k32, Reg::rsi, s.cost);
      a_.mov_imm(Size::k64, Reg::rdx, reinterpret_cast<uint64_t>(lowered(s.target)));
      a_.mov_imm(Size::k64, Reg::rax, address_of(&out_of_fuel));
      a_.call(Reg::rax);
      a_.mov(Size::k64, kFuel, mem(kCtx, o.fuel));
      a_.test(Size::k32, Reg::rax, Reg::rax);
      a_.jcc(Cond::kE, s.back);  // paid from the reserve: enter the block
      a_.jmp(exit_state_);
    }
    for (const InterruptStub& s : interrupt_stubs_) {
      a_.bind(s.stub);
      a_.mov(Size::k64, Reg::rdi, kCtx);
      a_.mov_imm(Size::k64, Reg::rsi, reinterpret_cast<uint64_t>(lowered(s.target)));
      a_.mov_imm(Size::k64, Reg::rax, address_of(&interrupted));
      a_.call(Reg::rax);
      a_.jmp(exit_state_);
    }
  }

  // ---- one lowered instruction; returns its size ----
  Result<uint32_t> translate_one(uint32_t pos) {
    const uint8_t* pc = lowered(pos);
    const void* handler;
    std::memcpy(&handler, pc, sizeof handler);
    auto found = op_by_handler().find(handler);
    if (found == op_by_handler().end())
      return make_error(ErrorKind::kUnsupported,
                        "baseline proof: unknown handler at lowered offset " + std::to_string(pos));
    const IOp op = found->second;
    auto opnd = [&](int n) { return rd32(pc + 8 + 4 * n); };
    auto slot = [&](int n) { return mem(kFp, int32_t(opnd(n))); };
    const uint32_t op_index = uint32_t(op);

    // fused compare-and-branch families: [a][b|imm][rel] (+ [tc][fc])
    struct Family {
      IOp first;
      bool imm, fuel;
    };
    for (Family fam : {Family{IOp::BrIfI32Eq, false, false}, Family{IOp::BrIfI32EqI, true, false},
                       Family{IOp::BrIfI32EqF, false, true}, Family{IOp::BrIfI32EqIF, true, true}}) {
      const uint32_t first = uint32_t(fam.first);
      if (op_index < first || op_index >= first + 10) continue;
      const Cond c = kCompareConds[op_index - first];
      a_.mov(Size::k32, Reg::rax, slot(0));
      if (fam.imm)
        a_.alu(Alu::kCmp, Size::k32, Reg::rax, int32_t(opnd(1)));
      else
        a_.alu(Alu::kCmp, Size::k32, Reg::rax, slot(1));
      const uint32_t size = fam.fuel ? 28 : 20;
      const uint32_t target = pos + opnd(2);
      cond_branch(c, pos, target, fam.fuel ? opnd(3) : kNoCost, fam.fuel ? opnd(4) : kNoCost, pos + size);
      return size;
    }
    // i32 comparisons producing 0/1: [dst][a][b] or [dst][a][imm]
    for (auto [first, imm] : {std::pair{IOp::I32Eq, false}, std::pair{IOp::I32EqI, true}}) {
      const uint32_t f = uint32_t(first);
      if (op_index < f || op_index >= f + 10) continue;
      a_.mov(Size::k32, Reg::rax, slot(1));
      if (imm)
        a_.alu(Alu::kCmp, Size::k32, Reg::rax, int32_t(opnd(2)));
      else
        a_.alu(Alu::kCmp, Size::k32, Reg::rax, slot(2));
      a_.setcc(kCompareConds[op_index - f], Reg::rcx);
      a_.movzx8(Reg::rcx, Reg::rcx);
      a_.mov(Size::k32, slot(0), Reg::rcx);
      return 20;
    }

    switch (op) {
      case IOp::Copy8:
        a_.mov(Size::k64, Reg::rax, slot(1));
        a_.mov(Size::k64, slot(0), Reg::rax);
        return 16;
      case IOp::Const32:
        a_.mov_imm(Size::k32, slot(0), int32_t(opnd(1)));
        return 16;
      case IOp::Const64: {
        uint64_t v;
        std::memcpy(&v, pc + 12, 8);
        a_.mov_imm(Size::k64, Reg::rax, v);
        a_.mov(Size::k64, slot(0), Reg::rax);
        return 20;
      }
      case IOp::I32Add:
      case IOp::I32Sub:
      case IOp::I32And:
      case IOp::I32Or:
      case IOp::I32Xor: {
        const Alu alu = op == IOp::I32Add   ? Alu::kAdd
                        : op == IOp::I32Sub ? Alu::kSub
                        : op == IOp::I32And ? Alu::kAnd
                        : op == IOp::I32Or  ? Alu::kOr
                                            : Alu::kXor;
        a_.mov(Size::k32, Reg::rax, slot(1));
        a_.alu(alu, Size::k32, Reg::rax, slot(2));
        a_.mov(Size::k32, slot(0), Reg::rax);
        return 20;
      }
      case IOp::I32Mul:
        a_.mov(Size::k32, Reg::rax, slot(1));
        a_.imul(Size::k32, Reg::rax, slot(2));
        a_.mov(Size::k32, slot(0), Reg::rax);
        return 20;
      case IOp::I32AddI:
      case IOp::I32AndI:
      case IOp::I32OrI:
      case IOp::I32XorI: {
        const Alu alu = op == IOp::I32AddI   ? Alu::kAdd
                        : op == IOp::I32AndI ? Alu::kAnd
                        : op == IOp::I32OrI  ? Alu::kOr
                                             : Alu::kXor;
        a_.mov(Size::k32, Reg::rax, slot(1));
        a_.alu(alu, Size::k32, Reg::rax, int32_t(opnd(2)));
        a_.mov(Size::k32, slot(0), Reg::rax);
        return 20;
      }
      case IOp::I32MulI:
        a_.mov(Size::k32, Reg::rax, slot(1));
        a_.imul(Size::k32, Reg::rax, Reg::rax, int32_t(opnd(2)));
        a_.mov(Size::k32, slot(0), Reg::rax);
        return 20;
      case IOp::I32ShlI:
      case IOp::I32ShrSI:
      case IOp::I32ShrUI: {
        const jit::Shift sh = op == IOp::I32ShlI    ? jit::Shift::kShl
                              : op == IOp::I32ShrSI ? jit::Shift::kSar
                                                    : jit::Shift::kShr;
        a_.mov(Size::k32, Reg::rax, slot(1));
        a_.shift(sh, Size::k32, Reg::rax, uint8_t(opnd(2) & 31));
        a_.mov(Size::k32, slot(0), Reg::rax);
        return 20;
      }
      case IOp::I32Lea: {  // [dst][a][b][shift][disp]: a + (b << shift) + disp
        const uint32_t shift = opnd(3);
        a_.mov(Size::k32, Reg::rax, slot(1));
        a_.mov(Size::k32, Reg::rcx, slot(2));
        uint8_t scale = 1;
        if (shift <= 3) {
          scale = uint8_t(1u << shift);
        } else {
          a_.shift(jit::Shift::kShl, Size::k32, Reg::rcx, uint8_t(shift & 31));
        }
        a_.lea(Size::k32, Reg::rax, mem(Reg::rax, Reg::rcx, scale, int32_t(opnd(4))));
        a_.mov(Size::k32, slot(0), Reg::rax);
        return 28;
      }
      case IOp::I32Eqz:
        a_.alu(Alu::kCmp, Size::k32, slot(1), 0);
        a_.setcc(Cond::kE, Reg::rcx);
        a_.movzx8(Reg::rcx, Reg::rcx);
        a_.mov(Size::k32, slot(0), Reg::rcx);
        return 16;
      case IOp::Jump:
        edge(pos, pos + opnd(0), kNoCost);
        return 12;
      case IOp::JumpF:
        edge(pos, pos + opnd(0), opnd(1));
        return 16;
      case IOp::BrIfNez32:
      case IOp::BrIfEqz32:
        a_.alu(Alu::kCmp, Size::k32, slot(0), 0);
        cond_branch(op == IOp::BrIfNez32 ? Cond::kNE : Cond::kE, pos, pos + opnd(1), kNoCost, kNoCost,
                    pos + 16);
        return 16;
      case IOp::BrIfNez32F:
      case IOp::BrIfEqz32F:
        a_.alu(Alu::kCmp, Size::k32, slot(0), 0);
        cond_branch(op == IOp::BrIfNez32F ? Cond::kNE : Cond::kE, pos, pos + opnd(1), opnd(2), opnd(3),
                    pos + 24);
        return 24;
      case IOp::Fuel:
        charge(opnd(0), pos + 12);
        return 12;
      case IOp::ReturnOp:
      case IOp::ReturnOpF:
        emit_return(op == IOp::ReturnOpF);
        return 8;
      default:
        return make_error(ErrorKind::kUnsupported,
                          "baseline proof: internal op " + std::string(kOpNames[op_index]) +
                              " at lowered offset " + std::to_string(pos) + " is not translated");
    }
  }

  // ReturnOp(F): pop the Frame; the entry frame (return_pc null) ends the call, an interpreted caller
  // continues in the interpreter (docs/compiler.md, Calls).
  void emit_return(bool charged) {
    const CtxOffsets& o = ctx_offsets();
    a_.mov(Size::k64, Reg::rax, mem(kCtx, o.frame_top));
    a_.alu(Alu::kSub, Size::k64, Reg::rax, int32_t(sizeof(interp::Frame)));
    a_.mov(Size::k64, mem(kCtx, o.frame_top), Reg::rax);
    a_.mov(Size::k64, Reg::rcx, mem(Reg::rax, int32_t(offsetof(interp::Frame, return_pc))));
    a_.test(Size::k64, Reg::rcx, Reg::rcx);
    Label to_interpreter = a_.new_label();
    a_.jcc(Cond::kNE, to_interpreter);
    a_.mov_imm(Size::k32, Reg::rax, kNativeDone);
    a_.jmp(exit_done_);
    a_.bind(to_interpreter);
    a_.mov(Size::k64, kFp, mem(Reg::rax, int32_t(offsetof(interp::Frame, caller_fp))));
    a_.mov(Size::k64, Reg::rdi, kCtx);
    a_.mov_imm(Size::k32, Reg::rsi, charged ? 1 : 0);
    a_.mov_imm(Size::k64, Reg::rax, address_of(&return_to_interpreter));
    a_.call(Reg::rax);
    a_.jmp(exit_state_);
  }

  struct FuelStub {
    Label stub, back;
    uint32_t cost, target;
  };
  struct InterruptStub {
    Label stub;
    uint32_t target;
  };

  const interp::CompiledFunc& f_;
  const uint8_t* code_;
  Assembler a_;
  uint32_t entry_stub_ = 0;
  Label exit_state_, exit_done_;
  std::vector<std::pair<uint32_t, uint32_t>> resume_;
  std::map<uint32_t, Label> pending_;  // forward targets not reached yet
  std::vector<FuelStub> fuel_stubs_;
  std::vector<InterruptStub> interrupt_stubs_;
};

RunStatus to_run_status(uint32_t native, ExecContext& ctx) {
  switch (native) {
    case kNativeDone:
      return RunStatus::kDone;
    case kNativeSuspended:
      return RunStatus::kSuspended;
    case kNativeToInterpreter:
      return interp::run(ctx);  // the caller's frame is interpreted: the interpreter continues it
    default:
      return RunStatus::kTrap;
  }
}

}  // namespace

Result<ProofCode> translate_for_test(const interp::CompiledFunc& func) {
  return Translator(func).run();
}

RunStatus resume_for_test(const ProofCode& code, ExecContext& ctx) {
  // run_impl's entry: a pending charge (the block at pc) is paid first.
  if (ctx.pending_charge) {
    const int64_t pending = ctx.pending_charge;
    ctx.pending_charge = 0;
    if (ctx.fuel < pending) {
      const uint32_t status = out_of_fuel(&ctx, uint32_t(pending), ctx.pc);
      if (status != 0) return status == kNativeSuspended ? RunStatus::kSuspended : RunStatus::kTrap;
    } else {
      ctx.fuel -= pending;
    }
  }
  const uint32_t at = uint32_t(ctx.pc - code.func->entry);
  auto it = std::lower_bound(code.resume.begin(), code.resume.end(), std::make_pair(at, uint32_t{0}));
  if (it == code.resume.end() || it->first != at) {  // not a resume point: interpret
    ++code.interpreter_fallbacks;
    return interp::run(ctx);
  }
  ++code.native_entries;
  using Entry = uint32_t(ExecContext*, const void*);
  const uint32_t status = code.code.entry<Entry>(code.entry_stub)(&ctx, code.code.data() + it->second);
  return to_run_status(status, ctx);
}

RunStatus invoke_for_test(const ProofCode& code, ExecContext& ctx, const interp::FuncInst* callee,
                          uint64_t* args) {
  // interp::invoke's wasm path.
  const interp::CompiledFunc* f = callee->code;
  if (ctx.frame_top == ctx.frames_end || args + f->frame_slots > ctx.stack_end) {
    ctx.trap = TrapCode::kCallStackExhausted;
    ctx.trap_pc = nullptr;
    return RunStatus::kTrap;
  }
  interp::Frame* frame = ctx.frame_top++;
  frame->func = callee;
  frame->return_pc = nullptr;
  frame->caller_fp = ctx.fp;
  frame->caller_instance = ctx.instance;
  std::memset(args + f->param_slots, 0, size_t(f->local_slots) * 8);
  ctx.pc = f->entry;
  ctx.fp = args;
  ctx.instance = callee->instance;
  ctx.pending_charge = ctx.fuel_enabled ? f->entry_cost : 0;
  return resume_for_test(code, ctx);
}

}  // namespace airwasm::baseline
