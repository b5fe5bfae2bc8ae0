// interp: the lowered form of a module: code segments holding every function's internal code (one per
// compilation thread), and per function the frame geometry the call sequence needs.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "interp/code_buffer.hh"

namespace airwasm::interp {

// An exception handler: a try_table catch clause covering the code [start, end) of its body (offsets from
// the function's entry). Handlers are listed innermost first, so the first match wins. On a match the
// unwinder writes the payload (and, for the _ref kinds, the exnref after it) to the frame slots at byte
// offset `dst` and continues at the landing pad `pad`, a jump to the clause's label.
struct ExnHandler {
  uint32_t start = 0;
  uint32_t end = 0;
  uint32_t kind = 0;  // wasm::CatchKind
  uint32_t tag = 0;   // the instance's tag index (kCatch, kCatchRef)
  uint32_t dst = 0;
  uint32_t pad = 0;
};

// The compiled form of a function (baseline::NativeFunc, opaque here), published once by the baseline
// compiler with a release store while other threads may already run the function in the interpreter.
// Copyable so that CompiledFunc stays a plain element of a vector while the module is being lowered.
//
// Lazy tiering (CompilerMode::kAuto, docs/compiler.md "Code cache and tiering"): while the function has no
// compiled code the interpreter counts its hotness down (kTierCallUnits per call, back edges in chunks of
// kTierBackEdgeChunk) and, at zero, asks the module's TierUp to compile it. `state` makes one thread the
// compiler of the function when several Stores on several threads reach zero at once. Relaxed loads and
// stores, not read-modify-writes: a count lost to a race only delays compilation, and a plain store costs
// the interpreter's call path nothing measurable where a locked add would.
class NativeCodeSlot {
 public:
  enum State : uint8_t { kCold, kCompiling, kCompiled, kRefused };

  NativeCodeSlot() = default;
  NativeCodeSlot(const NativeCodeSlot& o)
      : p_(o.get()), hotness_(o.hotness_.load(std::memory_order_relaxed)), state_(o.state()) {}
  NativeCodeSlot& operator=(const NativeCodeSlot& o) {
    p_.store(o.get(), std::memory_order_relaxed);
    hotness_.store(o.hotness_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    state_.store(o.state(), std::memory_order_relaxed);
    return *this;
  }
  const void* get() const { return p_.load(std::memory_order_acquire); }
  void publish(const void* native) const { p_.store(native, std::memory_order_release); }

  // Takes `units` off the hotness budget; true when it is used up (the caller then calls TierUp).
  bool cool_down(int32_t units) const {
    const int32_t left = hotness_.load(std::memory_order_relaxed) - units;
    hotness_.store(left, std::memory_order_relaxed);
    return left <= 0;
  }
  void set_hotness(int32_t budget) const { hotness_.store(budget, std::memory_order_relaxed); }
  int32_t hotness() const { return hotness_.load(std::memory_order_relaxed); }
  State state() const { return State(state_.load(std::memory_order_acquire)); }
  // kCold -> kCompiling for exactly one caller.
  bool claim() const {
    uint8_t expected = kCold;
    return state_.compare_exchange_strong(expected, kCompiling, std::memory_order_acq_rel);
  }
  void set_state(State s) const { state_.store(s, std::memory_order_release); }

 private:
  // First member: compiled code loads the NativeFunc* from the slot's address (translate.cc).
  mutable std::atomic<const void*> p_{nullptr};
  mutable std::atomic<int32_t> hotness_{INT32_MAX};  // no TierUp: never reaches zero in practice
  mutable std::atomic<uint8_t> state_{kCold};
};

// Tiering units (see NativeCodeSlot): a function is compiled after about kTierBudget / kTierCallUnits =
// 200 calls, or 2,000 taken backward branches, or a mix, counted while it is interpreted (5x lower than
// the first choice: docs/RATIONALE.md, "Why does --compiler auto ...").
inline constexpr int32_t kTierBudget = 2'000;
inline constexpr int32_t kTierCallUnits = 10;
inline constexpr int32_t kTierBackEdgeChunk = 500;  // back edges per poll (ExecContext::back_edges_left)

struct CompiledFunc;

// The compiler behind lazy tiering (baseline::NativeModule), reached from the interpreter through
// CompiledModule::tier_up; null when the module is never compiled (CompilerMode::kInterpreter).
class TierUp {
 public:
  virtual ~TierUp() = default;
  // `f` used up its hotness budget in the interpreter: compile and publish it now (on this thread), unless
  // another thread is compiling it, or it was compiled or refused already. Never fails: a function that
  // cannot be compiled stays interpreted.
  virtual void compile_hot(const CompiledFunc& f) = 0;
  // True when f's compiled code (published) can be entered at lowered `pc` (a resume point).
  virtual bool can_enter_at(const CompiledFunc& f, const uint8_t* pc) const = 0;
};

// The lowered code of one wasm `loop` (offsets relative to the function's first lowered byte): the
// baseline compiler weights the accesses inside loops when it chooses what to keep in registers.
struct LoopExtent {
  uint32_t begin = 0;  // the loop header
  uint32_t end = 0;    // just past the loop's `end`
};

struct CompiledFunc {
  const uint8_t* entry = nullptr;  // first instruction (valid once the module's code is final)
  uint32_t segment = 0;            // index into CompiledModule::code
  uint32_t code_offset = 0;        // within that segment
  uint32_t code_size = 0;
  uint32_t func_index = 0;  // in the module's function index space
  uint32_t type_index = 0;
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;          // declared locals (zeroed on entry), excluding parameters
  uint32_t frame_slots = 0;          // parameters + locals + deepest operand stack
  uint32_t result_slots = 0;         // the results, which a return leaves in slots 0..
  uint32_t entry_cost = 0;           // fuel cost of the first basic block (charged by the call)
  std::vector<ExnHandler> handlers;  // exception handlers (exception handling), innermost first
  std::vector<LoopExtent> loops;     // every reachable loop, ascending by begin (nested ones after theirs)
  // Where each piece of lowered code came from, for backtraces ("0x1a2 - name"): a run of
  // (uleb code-position delta, sleb module-offset delta) pairs, starting from (0, the body's first
  // instruction). Delta-encoded because it is kept for every function of every module (about two
  // bytes per wasm instruction) while it is read only when a trap is reported.
  std::vector<uint8_t> offset_map;
  NativeCodeSlot native;  // compiled code (baseline), or null: interpreted
};

// The module offset of the wasm instruction whose lowered code contains `code_pos` (relative to the
// function's first lowered byte); ~0 if the function has no map.
uint64_t module_offset_at(const CompiledFunc& func, uint32_t code_pos);

struct CompiledModule {
  bool metered = false;             // lowered with fuel costs (LowerOptions::fuel)
  std::vector<CodeBuffer> code;     // segments; CompiledFunc::entry points into them
  std::vector<CompiledFunc> funcs;  // defined functions, in order
  std::vector<uint32_t> type_ids;   // module type index -> engine canonical type id
  TierUp* tier_up = nullptr;        // the module's compiler, where functions are compiled (set by runtime/)
};

// Lazy tiering, for every place that enters an interpreted function (calls in either tier, invoke) or
// loops in one: takes `units` off f's hotness budget and compiles f once it is used up. Only where the
// module compiles at all: an interpreter-only module counts nothing, so its calls write nothing to the
// CompiledFunc that every thread running the module shares. True when f now has compiled code.
inline bool count_and_tier_up(const CompiledFunc& f, const CompiledModule& module, int32_t units) {
  if (module.tier_up == nullptr || !f.native.cool_down(units)) [[likely]]
    return false;
  module.tier_up->compile_hot(f);
  return f.native.get() != nullptr;
}

}  // namespace airwasm::interp
