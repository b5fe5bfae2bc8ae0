// baseline: the baseline compiler's public face to the runtime (docs/compiler.md). compile_module translates
// every function of a lowered module it can into x86-64 code on the interpreter's own frames and publishes
// it (CompiledFunc::native); run / invoke replace interp::run / interp::invoke and move an activation
// between the two tiers (RunStatus::kSwitchTier) until it finishes, traps or suspends. A module without
// compiled code runs exactly as before.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
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

struct NativeFunc {
  const uint8_t* entry = nullptr;          // native code of the first instruction (the entry block paid)
  const uint8_t* entry_charged = nullptr;  // charges CompiledFunc::entry_cost, then `entry`
  const interp::CompiledFunc* func = nullptr;
  std::vector<ResumePoint> resume;     // ascending by lowered offset
  const uint8_t* code_base = nullptr;  // the module's code (ResumePoint::native is relative to it)
  // The module's entry stub: loads the pinned registers from ctx and jumps to native_pc; returns a
  // NativeStatus (helpers.hh).
  uint32_t (*enter)(interp::ExecContext* ctx, const void* native_pc) = nullptr;
};

struct CompileStats {
  uint32_t compiled = 0;      // functions translated
  uint32_t interpreted = 0;   // functions left to the interpreter (an op not translated)
  std::string first_refusal;  // why the first of those was refused (for diagnostics and tests)
};

class NativeModule {
 public:
  const CompileStats& stats() const { return stats_; }
  size_t code_bytes() const { return code_.size(); }

 private:
  friend class ModuleCompiler;
  jit::ExecutableCode code_;
  uint32_t entry_stub_ = 0;
  std::deque<NativeFunc> funcs_;  // stable addresses: CompiledFunc::native points at them
  std::deque<CallSite> sites_;    // stable addresses: embedded in the code
  CompileStats stats_;
};

// Translates the functions of `module` (lowered with or without fuel; every function was validated) and
// publishes their code in module.funcs[i].native. Functions it cannot translate stay interpreted. The
// result must outlive every execution of the module's code.
Result<std::shared_ptr<const NativeModule>> compile_module(const interp::CompiledModule& module);

// interp::run / interp::invoke across tiers.
interp::RunStatus run(interp::ExecContext& ctx);
interp::RunStatus invoke(interp::ExecContext& ctx, const interp::FuncInst* func, uint64_t* args);

}  // namespace airwasm::baseline
