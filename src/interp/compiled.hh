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
class NativeCodeSlot {
 public:
  NativeCodeSlot() = default;
  NativeCodeSlot(const NativeCodeSlot& o) : p_(o.get()) {}
  NativeCodeSlot& operator=(const NativeCodeSlot& o) {
    p_.store(o.get(), std::memory_order_relaxed);
    return *this;
  }
  const void* get() const { return p_.load(std::memory_order_acquire); }
  void publish(const void* native) const { p_.store(native, std::memory_order_release); }

 private:
  mutable std::atomic<const void*> p_{nullptr};
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
};

}  // namespace airwasm::interp
