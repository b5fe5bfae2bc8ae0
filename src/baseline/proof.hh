// baseline: a first proof of docs/compiler.md, test-only and not wired into the engine. It translates the
// interpreter's lowered code of one function, for a small subset of internal ops (integer moves,
// constants, i32 arithmetic and comparisons, branches with their fuel forms, Fuel, return), into x86-64
// that runs on the interpreter's own frame: the same value-stack slots, the same Frame records, fuel
// charged on the same edges with the same costs, interrupt checks on the same backward branches, and
// suspension / traps at the same lowered pcs, so a call suspended in compiled code resumes in the
// interpreter and vice versa. Functions with any other op are refused (kUnsupported).
#pragma once

#include <cstdint>
#include <vector>

#include "airwasm/error.hh"
#include "interp/compiled.hh"
#include "interp/exec.hh"
#include "jit/exec_memory.hh"

namespace airwasm::baseline {

struct ProofCode {
  jit::ExecutableCode code;
  uint32_t entry_stub = 0;  // native offset of the stub that enters compiled code from C++
  const interp::CompiledFunc* func = nullptr;
  // (lowered offset, native offset) of every lowered instruction start, ascending: where a call that
  // stopped at a lowered pc (a block start after a fuel stop, an interrupt) resumes in compiled code.
  std::vector<std::pair<uint32_t, uint32_t>> resume;
  // How often resume_for_test entered compiled code, and how often it handed a pc without a resume point
  // to the interpreter instead (tests assert that the compiled code really ran).
  mutable uint64_t native_entries = 0;
  mutable uint64_t interpreter_fallbacks = 0;
};

// Translates `func` (lowered with or without fuel). kUnsupported naming the first op it cannot translate.
Result<ProofCode> translate_for_test(const interp::CompiledFunc& func);

// As interp::invoke for a wasm function: pushes the entry frame for `callee` (whose code is `code.func`)
// with its arguments at `args`, then runs the compiled code.
interp::RunStatus invoke_for_test(const ProofCode& code, interp::ExecContext& ctx,
                                  const interp::FuncInst* callee, uint64_t* args);

// As interp::run: continues the activation saved in ctx (ctx.pc inside code.func), paying a pending charge
// first. Returns to the interpreter (interp::run) when compiled code returns into an interpreted caller.
interp::RunStatus resume_for_test(const ProofCode& code, interp::ExecContext& ctx);

}  // namespace airwasm::baseline
