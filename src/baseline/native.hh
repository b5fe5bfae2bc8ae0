// baseline: the baseline compiler's public face to the runtime (docs/compiler.md). compile_module translates
// every function of a lowered module it can into x86-64 code on the interpreter's own frames and publishes
// it (CompiledFunc::native); lazy_native_module does the same per function once the interpreter finds it
// hot (lazy tiering); run / invoke replace interp::run / interp::invoke and move an activation
// between the two tiers (RunStatus::kSwitchTier) until it finishes, traps or suspends. A module without
// compiled code runs exactly as before.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "airwasm/error.hh"
#include "interp/compiled.hh"
#include "interp/exec.hh"
#include "jit/exec_memory.hh"

namespace airwasm::baseline {

// True when this machine can run compiled code: x86-64 with SSE4.1, POPCNT, LZCNT and BMI1 (TZCNT).
bool available();

// Where a call suspended at a lowered instruction continues in compiled code.
struct ResumePoint {
  uint32_t lowered = 0;  // offset of the instruction in the function's lowered code
  uint32_t native = 0;   // offset of its translation in the module's code
};

// What the call helper needs about one call instruction (stable address, embedded in the code).
struct CallSite {
  const uint8_t* call_pc = nullptr;    // the call instruction (traps: stack exhausted, interrupt, table)
  const uint8_t* return_pc = nullptr;  // the lowered continuation
  uint32_t continuation_cost = 0;      // cc of the F forms
  bool charged = false;                // an F form: charge the callee's entry and the continuation
  bool indirect = false;
  uint32_t func_or_type = 0;  // direct: function index; indirect: the expected canonical type id
  uint32_t table = 0;         // indirect: table index
  uint32_t index_slot = 0;    // indirect: slot of the element index
  uint32_t args_slot = 0;     // slot of the first argument (the callee's frame base)
};

// Where a compiled caller enters a function when it passes the arguments in registers (translate.cc,
// ModuleStubs::Entries), for callers compiled in later batches (lazy tiering): the entries and the
// parameters and declared locals the function holds in registers there.
struct RegisterEntries {
  struct Held {
    int32_t disp;  // frame offset
    uint8_t reg;   // Reg or Xmm number
    bool xmm;
    bool vector;
  };
  const uint8_t* registers = nullptr;
  const uint8_t* registers_charged = nullptr;
  std::vector<Held> params;
  std::vector<int32_t> held_locals;  // frame offsets
};

struct NativeFunc {
  const uint8_t* entry = nullptr;          // native code of the first instruction (the entry block paid)
  const uint8_t* entry_charged = nullptr;  // charges CompiledFunc::entry_cost, then `entry`
  // `entry` and `entry_charged` after zeroing the slots of the declared locals, which compiled
  // call_indirect leaves to the callee (the call helper copies one into FuncInst::compiled_call_entry)
  const uint8_t* entry_zeroing = nullptr;
  const uint8_t* entry_zeroing_charged = nullptr;
  RegisterEntries register_entries;
  const interp::CompiledFunc* func = nullptr;
  std::vector<ResumePoint> resume;     // ascending by lowered offset
  const uint8_t* code_base = nullptr;  // the module's code (ResumePoint::native is relative to it)
  // The module's entry stub: loads the pinned registers from ctx and jumps to native_pc; returns a
  // NativeStatus (helpers.hh).
  uint32_t (*enter)(interp::ExecContext* ctx, const void* native_pc) = nullptr;
};

struct CompileStats {
  uint32_t compiled = 0;     // functions with compiled code
  uint32_t interpreted = 0;  // functions the compiler refused (an op not translated), left to the interpreter
  uint32_t compiled_hot = 0;  // of `compiled`, those compiled lazily because they became hot
  std::string first_refusal;  // why the first of those was refused (for diagnostics and tests)
};

// The compiled code of one module, shared by every Store and instance of it. Code lives in regions, one per
// compile batch (the whole module at load, or one hot function), each published once (W^X) and kept until
// the module goes away, so NativeFunc and CallSite addresses embedded in code stay valid.
class NativeModule final : public interp::TierUp {
 public:
  CompileStats stats() const;
  size_t code_bytes() const;

  // interp::TierUp (lazy tiering): compiles `f` synchronously on the calling thread into a region of its
  // own; a thread that finds it being compiled by another keeps interpreting.
  void compile_hot(const interp::CompiledFunc& f) override;
  bool can_enter_at(const interp::CompiledFunc& f, const uint8_t* pc) const override;

 private:
  friend class ModuleCompiler;
  explicit NativeModule(const interp::CompiledModule& module) : module_(module) {}

  const interp::CompiledModule& module_;
  // Guards what follows while a batch is compiled (compiling appends to sites_ as it goes).
  mutable std::mutex mutex_;
  std::deque<jit::ExecutableCode> regions_;
  std::deque<NativeFunc> funcs_;  // stable addresses: CompiledFunc::native points at them
  std::deque<CallSite> sites_;    // stable addresses: embedded in the code
  CompileStats stats_;
};

// Translates the functions of `module` (lowered with or without fuel; every function was validated) and
// publishes their code in module.funcs[i].native. Functions it cannot translate stay interpreted. The
// result must outlive every execution of the module's code.
Result<std::shared_ptr<NativeModule>> compile_module(const interp::CompiledModule& module);

// A NativeModule that compiles nothing yet: functions are compiled when they become hot in the interpreter
// (set module.tier_up to it; CompilerMode::kAuto). Starts every function's hotness budget.
std::shared_ptr<NativeModule> lazy_native_module(const interp::CompiledModule& module);

// interp::run / interp::invoke across tiers.
interp::RunStatus run(interp::ExecContext& ctx);
interp::RunStatus invoke(interp::ExecContext& ctx, const interp::FuncInst* func, uint64_t* args);

}  // namespace airwasm::baseline
