// interp: the execution model as plain data: function, memory, table, global and instance records as the
// dispatch loop sees them, the call-frame record and the per-Store execution context. runtime/ owns
// their lifecycle and the growth policies; the interpreter only reads and writes them (one-way layering:
// operations that need policy, like memory.grow, go through callbacks in ExecContext).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "airwasm/extern.hh"
#include "airwasm/trap.hh"
#include "interp/compiled.hh"
#include "wasm/module.hh"
#include "wasm/types.hh"

namespace airwasm::interp {

struct CompiledModule;
struct CompiledFunc;
struct InstanceData;

// A function instance: either WebAssembly code of some instance or a host function. Every instance has
// one per function of its module (12,622 for a JavaScript plugin), so it is kept small (48 bytes): a host
// function's callback lives beside it (HostFuncInst), not in it.
struct FuncInst {
  uint32_t type_id = 0;  // engine-wide canonical id of the function type
  uint32_t param_slots = 0;
  uint32_t result_slots = 0;
  uint32_t store_index = 0;  // index in the Store's function list (for Func handles)
  const wasm::FuncType* type = nullptr;
  InstanceData* instance = nullptr;    // wasm functions: the defining instance
  const CompiledFunc* code = nullptr;  // wasm functions: the lowered body; null for host functions
  union {
    const RawHostCallback* host = nullptr;  // host functions: the callback (in their HostFuncInst)
    // Wasm functions: the compiled code's entry for a call_indirect from compiled code of the same
    // instance (baseline::NativeFunc::entry_zeroing(_charged), by the module's metering), or null until the
    // baseline's call helper first calls the function compiled. Cached here, per instance, because it
    // is the target of the indirect call: one dependent load from the table element rather than two.
    mutable const void* compiled_call_entry;
  };
  bool is_host() const { return code == nullptr; }
};
static_assert(sizeof(FuncInst) == 48);

// A host function instance with its callback.
struct HostFuncInst {
  FuncInst func;
  RawHostCallback callback;
};

// A linear memory. `base` points into a reservation large enough for the maximum, so growth never moves it.
struct MemoryInst {
  uint8_t* base = nullptr;
  uint64_t size_bytes = 0;
  uint64_t max_pages = 0;  // effective maximum (declared or 65536)
  std::optional<uint64_t> declared_max;
  uint64_t reserved_bytes = 0;
  uint32_t store_index = 0;
};

struct TableInst {
  std::vector<uint64_t> elems;  // references: FuncInst* bits for funcref, host token for externref
  wasm::TableType type;
  uint32_t store_index = 0;
};

struct GlobalInst {
  alignas(16) uint64_t value[2] = {0, 0};  // v128 uses both words
  wasm::GlobalType type;
  uint32_t store_index = 0;
};

// A tag (exception handling): its identity is the TagInst's address, one per defining instance.
struct TagInst {
  wasm::FuncType type;   // the payload types are its params
  uint32_t type_id = 0;  // engine-wide canonical id of that type
  uint32_t store_index = 0;
};

// A thrown exception. exnref values are ExnInst pointers (0: null). Exceptions live as long as their
// Store (an exnref may be kept in a local, a global or a table), see ExecContext::exceptions.
struct ExnInst {
  const TagInst* tag = nullptr;
  std::vector<uint64_t> payload;  // the tag's parameters, in interpreter slots
  bool exposed = false;           // an exnref to it was handed out (catch_ref, catch_all_ref)
};

// Everything the dispatch loop needs about one instance, by index.
struct InstanceData {
  const CompiledModule* code = nullptr;
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  std::vector<TagInst*> tags;
  std::vector<std::vector<uint64_t>> elems;  // element segments as references; emptied by elem.drop
  // Data segments: the module's (they outlive the instance), with a dropped flag per segment (data.drop,
  // and active segments once applied) rather than a per-instance list of their spans: a JavaScript plugin
  // has 10,000 segments, and this is paid per instance.
  std::span<const wasm::DataSegment> data_segments;
  std::vector<bool> data_dropped;
  std::span<const uint8_t> data(uint32_t i) const {
    return data_dropped[i] ? std::span<const uint8_t>() : data_segments[i].bytes;
  }
  MemoryInst* memory0 = nullptr;
  void* owner = nullptr;  // runtime's instance record
};

// One activation record on the frame stack. The operand/locals slots live on the value stack.
// Deliberately without initializers: the frame stack is allocated uninitialised so that its pages are
// only touched as deep as calls actually go (a thousand idle Stores must stay cheap).
struct Frame {
  const FuncInst* func;      // function running in this frame
  const uint8_t* return_pc;  // where the caller continues (null: return to the host)
  uint64_t* caller_fp;
  InstanceData* caller_instance;
  // The caller's native continuation when the caller is compiled code (baseline compiler), else null: a
  // return through a frame that has one continues in compiled code (the interpreter hands over with
  // kSwitchTier; compiled code jumps to it). Bit 63 (kNativeCalledMark) set: the compiled caller entered
  // the callee with a native `call`, so the return address is on the native stack and compiled code
  // returns with `ret` (predicted, unlike an indirect jump). Only ever set while that native activation
  // runs: its exit clears the bit on every frame it pushed (docs/compiler.md, "Calls"), so the
  // interpreter and later activations see plain addresses. While the bit is set, only `func` and this
  // field are written: the exit fills return_pc, caller_fp and caller_instance as it clears the bit.
  const void* native_return;
};
inline constexpr uint64_t kNativeCalledMark = uint64_t{1} << 63;

// kSwitchTier: the activation is to continue in the other tier (docs/compiler.md, "Calls"): the interpreter
// called a compiled function or returned into a compiled caller, or compiled code the reverse. ctx holds
// the whole state (pc, fp, instance, frame_top, fuel, pending_charge); baseline::run continues it. Only
// returned when the module has compiled code.
enum class RunStatus : uint8_t { kDone, kTrap, kSuspended, kSwitchTier };

// Interruption request word shared with InterruptHandle and the deadline timer (0: none).
enum InterruptReason : uint32_t { kNoInterrupt = 0, kInterruptRequested = 1, kDeadlineReached = 2 };

// Per-Store execution state. A call runs on it; a suspended call keeps its frames here.
struct ExecContext {
  // value stack
  std::unique_ptr<uint64_t[]> stack;
  uint64_t* stack_begin = nullptr;
  uint64_t* stack_end = nullptr;
  // frame stack (bounded by max_call_depth)
  std::unique_ptr<Frame[]> frames;
  Frame* frames_begin = nullptr;
  Frame* frames_end = nullptr;
  Frame* frame_top = nullptr;  // one past the innermost frame

  // saved registers of a suspended (or host-calling) activation
  const uint8_t* pc = nullptr;
  uint64_t* fp = nullptr;
  InstanceData* instance = nullptr;
  uint64_t* host_stack_top = nullptr;  // first free slot while a host function runs (for re-entry)

  // Metering. The Store's remaining fuel is split in two while a call runs: `fuel` is the budget the
  // dispatch loop spends (the whole remainder, or the current slice) and `fuel_reserve` the rest.
  // When `fuel` runs out: in a sliced top-level activation the call suspends; in a nested activation
  // (a host function re-entered wasm, which cannot suspend) the reserve is moved in and the outer
  // activation suspends as soon as control returns to it (slice_overrun); otherwise it traps.
  bool fuel_enabled = false;
  int64_t fuel = 0;
  uint64_t fuel_reserve = 0;
  bool fuel_is_slice = false;
  bool slice_overrun = false;
  bool sliced = false;         // the top-level call runs in slices (host yields suspend it)
  int64_t pending_charge = 0;  // fuel owed for the block at pc before it may run (see interpreter.cc)
  std::atomic<uint32_t>* interrupt = nullptr;
  // Taken backward branches the interpreter runs before it next looks at tiering (interpreter.cc,
  // tier_poll): the running function's hotness, and on-stack replacement into its compiled code.
  int32_t back_edges_left = kTierBackEdgeChunk;
  // Counts for tests and diagnostics: switches from the interpreter to compiled code at a loop header
  // (on-stack replacement), and stretches run in compiled code (baseline::run).
  uint64_t tier_switches_at_loops = 0;
  uint64_t native_runs = 0;
  bool yield_requested = false;
  // Set by a host function that would block (Store::suspend_and_retry) together with its failure: the call
  // suspends before the call instruction, which runs again, host function included, when it resumes.
  bool retry_requested = false;
  uint32_t host_depth = 0;  // > 0 while a host function runs (re-entry makes a call unsuspendable)
  // The running compiled activation's native calls (baseline compiler, docs/compiler.md "Calls"): the
  // stack pointer its entry stub left (every exit returns to it), the lowest frame it may have pushed
  // with kNativeCalledMark (frames from there to frame_top are unmarked when it exits), and the frame
  // from which its calls stop being native calls (which bounds its native stack). Saved and restored by
  // the entry stub, so nested activations (a host function re-entering wasm) keep their own.
  void* native_sp = nullptr;
  Frame* native_frames_base = nullptr;
  Frame* native_frames_end = nullptr;
  // Store::host_call_id: the number of the outermost host call in progress. Every call made from the
  // top-level activation takes a new one, except the run again of a host call that suspended with
  // suspend_and_retry (`rerun_pending`), which keeps its number, so that a host function can find again
  // the progress it kept under it (begin_host_call).
  uint64_t host_call_serial = 0;
  uint64_t host_call_id = 0;
  bool rerun_pending = false;
  void begin_host_call() {
    if (host_depth != 1) return;
    if (rerun_pending)
      rerun_pending = false;
    else
      host_call_id = ++host_call_serial;
  }

  // exceptions thrown in this Store that may still be referenced (exnref values point into it). One that
  // is caught without a reference, or not caught, and was never exposed is freed at once.
  std::vector<std::unique_ptr<ExnInst>> exceptions;

  // trap detail
  TrapCode trap = TrapCode::kUnreachable;
  std::unique_ptr<Trap> host_trap;  // a trap raised by a host function, with its message
  const uint8_t* trap_pc = nullptr;
  uint64_t trap_detail = kNoTrapDetail;  // e.g. the table index of an uninitialized element
  static constexpr uint64_t kNoTrapDetail = ~uint64_t{0};

  // callbacks into runtime/ (policy lives there)
  void* store = nullptr;  // the public Store*, for Caller
  int64_t (*memory_grow)(ExecContext&, MemoryInst*, uint64_t delta_pages) = nullptr;  // old pages or -1
  int64_t (*table_grow)(ExecContext&, TableInst*, uint64_t delta, uint64_t init) = nullptr;
};

// Runs host function `callee` on `args` for a call from wasm code of `instance_owner`: false if it trapped
// (trap_code and ctx.host_trap set) or asked to run again later (ctx.retry_requested).
bool call_host(ExecContext& ctx, const FuncInst* callee, void* instance_owner, uint64_t* args,
               TrapCode& trap_code);

// Runs the activation saved in ctx (pc, fp, instance, frames) until the frame that returns to the
// host (return_pc == null) returns, a trap, or a suspension.
RunStatus run(ExecContext& ctx);

// Pushes an entry frame for `func` whose arguments are already at `args` (the frame base) and runs it.
// Results are left at args[0..]. Handles host functions directly.
RunStatus invoke(ExecContext& ctx, const FuncInst* func, uint64_t* args);

}  // namespace airwasm::interp
