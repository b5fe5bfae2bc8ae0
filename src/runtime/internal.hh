// runtime: the implementation records behind the public handles (Engine, Module, Store, Linker) and the
// helpers the runtime files share. Not part of the public API.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/sliced.hh"
#include "base/result.hh"
#include "baseline/native.hh"
#include "interp/compiled.hh"
#include "interp/exec.hh"
#include "runtime/memory_image.hh"
#include "wasm/module.hh"

namespace airwasm::internal {

struct EngineImpl {
  EngineConfig config;
  std::mutex types_mutex;
  std::unordered_map<std::string, uint32_t> type_ids;  // encoded FuncType -> id
  std::deque<FuncType> types;                          // id -> type (stable addresses)

  uint32_t intern(const FuncType& type);
  const FuncType* type(uint32_t id);
};

struct ModuleImpl {
  Engine engine;
  std::unique_ptr<wasm::Module> module;
  interp::CompiledModule compiled;
  // The compiled code of `compiled`'s functions (baseline compiler), or null (interpreted); in
  // CompilerMode::kAuto it fills as functions become hot (compiled.tier_up points at it). Declared after
  // `compiled`, so it goes first: nothing runs the module's code by then.
  std::shared_ptr<baseline::NativeModule> native;
  std::unique_ptr<MemoryImage> memory_image;  // memory 0's initial contents, when worth mapping (or null)
  // Per module type index: the engine's canonical type and its slot counts, looked up once at compile
  // time so that instantiation does not take the engine's type lock per function.
  std::vector<const FuncType*> type_ptrs;
  std::vector<std::pair<uint32_t, uint32_t>> type_slots;  // (param slots, result slots)
  // Export name -> position in Module::exports (keys view into the module), built once at compile time
  // so that instantiating does not rebuild a name table per instance.
  std::unordered_map<std::string_view, size_t> export_index;
};

struct InterruptState {
  std::atomic<uint32_t> flag{interp::kNoInterrupt};
  std::mutex mutex;           // orders a deadline's expiry against the end of the call that armed it
  uint64_t armed_ticket = 0;  // the deadline that may still fire, 0 if none
  // eventfd that wakes a host call blocked in wait_interruptible (blocking.cc); -1 until one first waits.
  std::atomic<int> wake_fd{-1};

  ~InterruptState();
  int wake_fd_for_waiting();  // creates the descriptor on first use; -1 if that fails
  void wake();                // after setting `flag`: wakes a blocked host call, if any
};

// An instance as the Store keeps it: the interpreter's view plus the export table.
struct InstanceRecord {
  interp::InstanceData data;
  std::shared_ptr<const ModuleImpl> module;
  std::vector<Extern> exports;  // in the module's export order; names in ModuleImpl::export_index
  std::optional<Extern> find_export(std::string_view name) const;
};

// State that a layer above the core runtime keeps per Store (the component runtime's instances and
// handle tables, host state): owned by the Store and destroyed before its core objects.
struct StoreExtension {
  virtual ~StoreExtension() = default;
};
// A slot number for one kind of extension, allocated once per process by that layer.
size_t register_store_extension();

struct StoreImpl {
  explicit StoreImpl(const Engine& e);
  ~StoreImpl();

  Engine engine;
  uint64_t id;
  Store* public_store = nullptr;  // kept current across moves of the Store
  interp::ExecContext exec;
  std::shared_ptr<InterruptState> interrupt = std::make_shared<InterruptState>();

  StoreLimits limits;
  ResourceLimiter* limiter = nullptr;
  void* data = nullptr;
  uint64_t fuel_remaining = 0;  // between calls; during a call the live budget is exec.fuel
  uint64_t fuel_consumed = 0;
  uint64_t total_memory_bytes = 0;
  uint64_t total_table_bytes = 0;  // sizeof(uint64_t) per element of every table of the Store
  bool call_active = false;        // a top-level call is running or suspended
  uint64_t fuel_snapshot = 0;      // exec.fuel + exec.fuel_reserve when last loaded (or adjusted)
  // the sliced call in progress, if any
  bool sliced_suspended = false;
  uint64_t sliced_generation = 0;
  const interp::FuncInst* sliced_func = nullptr;
  std::optional<Store::BlockedOn>
      blocked_on;  // why the sliced call suspended, if a host function would block

  // Function instances by Store index (one pointer each: an instance adds one per function of its
  // module). Host functions are owned by `host_funcs`; the functions of an instance live in one block
  // (func_blocks: one allocation per instance, not one per function).
  struct FuncSlot {
    interp::FuncInst* func;
    interp::FuncInst* get() const { return func; }
    interp::FuncInst* operator->() const { return func; }
  };
  std::vector<FuncSlot> funcs;
  std::vector<std::unique_ptr<interp::HostFuncInst>> host_funcs;
  // The blocks of instance functions (kept by the Store, not the instance record, so that a failed
  // instantiation leaves no dangling entry in `funcs`).
  std::vector<std::unique_ptr<interp::FuncInst[]>> func_blocks;
  std::vector<std::unique_ptr<interp::MemoryInst>> memories;
  std::vector<std::unique_ptr<interp::TableInst>> tables;
  std::vector<std::unique_ptr<interp::GlobalInst>> globals;
  std::vector<std::unique_ptr<interp::TagInst>> tags;
  std::vector<std::unique_ptr<InstanceRecord>> instances;
  std::unordered_map<uint64_t, uint32_t> linker_funcs;  // Linker host definition id -> func index

  // ---- object creation (checked against the limits) ----
  interp::FuncInst* add_host_func(const FuncType& type, RawHostCallback callback);
  // The same with the type already interned (`type` is the engine's record for `type_id`).
  interp::FuncInst* add_host_func(uint32_t type_id, const FuncType* type, RawHostCallback callback);
  Result<interp::MemoryInst*> add_memory(const MemoryType& type);
  Result<interp::TableInst*> add_table(const TableType& type, uint64_t init);
  interp::GlobalInst* add_global(const GlobalType& type);
  interp::TagInst* add_tag(const FuncType& type);

  // ---- growth (also used by the interpreter through ExecContext callbacks) ----
  int64_t grow_memory(interp::MemoryInst* mem, uint64_t delta_pages);
  int64_t grow_table(interp::TableInst* table, uint64_t delta, uint64_t init);

  // ---- calls (execution.cc) ----
  // Runs `func` with arguments in Val form; the results are written to `results`.
  TrapResult<void> call(const interp::FuncInst* func, std::span<const Val> args, std::span<Val> results,
                        const CallOptions* options = nullptr);
  // The same on raw slots (the seam for callers that marshal values themselves, like the canonical ABI):
  // arguments are read from slots[0..param_slots), results written to slots[0..result_slots).
  TrapResult<void> call_slots(const interp::FuncInst* func, uint64_t* slots,
                              const CallOptions* options = nullptr);
  TrapResult<void> check_args(const interp::FuncInst* func, std::span<const Val> args, size_t num_results);
  void write_args(std::span<const Val> args, uint64_t* base);
  void read_results(const interp::FuncInst* func, const uint64_t* base, std::span<Val> results);
  // Sliced calls.
  TrapResult<CallStatus> start_sliced(const interp::FuncInst* func, std::span<const Val> args,
                                      uint64_t slice);
  // The same on raw slots (the component runtime's seam): arguments from args[0..param_slots); once
  // finished, the results are in exec.stack_begin[0..result_slots).
  TrapResult<CallStatus> start_sliced_slots(const interp::FuncInst* func, const uint64_t* args,
                                            uint64_t slice);
  TrapResult<CallStatus> resume_sliced(uint64_t slice);
  TrapResult<CallStatus> finish_slice(interp::RunStatus status);
  void abandon_sliced();
  // Fuel: split the remaining fuel into the running budget (whole, or a slice) and the reserve, and back.
  void load_fuel(std::optional<uint64_t> slice);
  void save_fuel();
  uint64_t live_fuel() const;            // remaining fuel, also correct while a call runs
  void adjust_live_fuel(uint64_t fuel);  // set the remaining fuel while a call runs
  Trap make_trap(size_t frame_base);     // from exec's trap state and the frames above frame_base

  bool fuel_enabled() const { return engine.config().consume_fuel; }

  // Extension state by slot (register_store_extension); declared last so it is destroyed first.
  std::vector<std::unique_ptr<StoreExtension>> extensions;
  template <typename T>
  T& extension(size_t slot) {
    if (slot >= extensions.size()) extensions.resize(slot + 1);
    if (!extensions[slot]) extensions[slot] = std::make_unique<T>();
    return static_cast<T&>(*extensions[slot]);
  }
};

// ---- value conversion between Val and interpreter slots ----
void val_to_slots(const StoreImpl& store, const Val& v, uint64_t* slots);
Val slots_to_val(const StoreImpl& store, ValType type, const uint64_t* slots);
bool val_matches(const StoreImpl& store, const Val& v, ValType type);
// Reference conversion: funcref Vals carry (store function index + 1); slots carry FuncInst*.
uint64_t ref_to_slot(const StoreImpl& store, ValType type, Ref ref);
Ref slot_to_ref(ValType type, uint64_t bits);

uint32_t slot_count(std::span<const ValType> types);

// Wraps a Val-based host callback as a raw-slot one (converting parameters and checking results).
RawHostCallback adapt_val_callback(const FuncType& type, HostCallback callback);

inline StoreImpl& store_impl(Store& s) {
  return s.impl();
}
inline const StoreImpl& store_impl(const Store& s) {
  return s.impl();
}

// Usage errors surfaced as traps from call paths.
Trap usage_trap(std::string message);

}  // namespace airwasm::internal
