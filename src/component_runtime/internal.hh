// component runtime: the records behind the public component API (Component, Linker, Instance, Func)
// and the per-Store component state. Not part of the public API.
//
// Instantiation executes the component's flat plan (plan.hh); for the few shapes the plan does not
// express it walks the component's definitions in order with one Scope of run-time index spaces per
// component being instantiated (nested components too): core instances, core functions, component
// functions, instances, component and module definitions, and the map from the validator's static
// resource ids to run-time resource types. The validator's records (component/validator.hh) supply the
// static types of every index-space entry, so nothing is re-validated at instantiation.
#pragma once

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "airwasm/component.hh"
#include "airwasm/component/typed.hh"
#include "airwasm/instance.hh"
#include "airwasm/module.hh"
#include "canon/abi.hh"
#include "component/ast.hh"
#include "component/types.hh"
#include "component/validator.hh"
#include "component_runtime/plan.hh"
#include "component_runtime/scope_spaces.hh"
#include "runtime/internal.hh"

namespace airwasm::component::rt {

constexpr uint32_t kNoInstance = ~uint32_t{0};

// ---- compiled components ----

// The core-level shape of `(canon lower $f)` for one function type: computed once per component (the
// first instantiation) and shared by every instance's lowered function.
struct LowerShape {
  FuncType core;         // the core function's type
  uint32_t type_id = 0;  // `core` interned in the engine
  const FuncType* type_ptr = nullptr;
  TypeId fn_type = kNoType;  // the component function type (stripped)
  std::vector<TypeId> params;
  TypeId result = kNoType;
  size_t nparams = 0;  // core parameters, the return pointer included
  bool retptr = false;
  size_t max_params = 0, max_results = 0;
  bool async = false;
};

struct ComponentImpl {
  Engine engine;
  mutable std::mutex shapes_mutex;
  mutable std::map<std::pair<TypeId, bool>, std::shared_ptr<const LowerShape>> lower_shapes;
  std::shared_ptr<const LowerShape> lower_shape(TypeId fn_type, bool async) const;
  std::vector<uint8_t> bytes;  // the ast's spans point into these
  std::unique_ptr<ast::Component> ast;
  ValidatedComponent validated;  // types of everything
  ValidationRecord record;       // per-scope index-space types, resource bindings
  std::unordered_map<const ast::CoreModuleBytes*, Module> modules;  // compiled once, shared by instances
  // The flat instantiation plan (plan.hh), or null when the plan cannot express this component; then
  // `plan_fallback` says why and instantiation walks the definitions.
  std::shared_ptr<const Plan> plan;
  std::string plan_fallback;
  const TypeStore& types() const { return *validated.store; }
};

// ---- run-time values of the index spaces ----

struct Scope;

// A core instance: a real one, or a bag of exports made by `(core instance (export ...))`.
struct CoreInstanceVal {
  std::optional<airwasm::Instance> instance;
  std::vector<std::pair<std::string_view, Extern>> exports;  // names view into the component's syntax
  std::optional<Extern> find(const Store& store, std::string_view name) const;
};

struct InstanceVal;
struct ComponentVal {
  const ast::Component* ast = nullptr;
  // The scope it was defined in (for outer aliases). Weak: the scope also holds the definition (in its
  // index spaces, exports and exported instances), and a definition is only instantiated during the
  // walk that keeps its scope alive.
  std::weak_ptr<Scope> outer;
  std::shared_ptr<const ComponentImpl> owner;
};

// Anything a component-level index space or an instance export can hold.
struct Item {
  enum class Kind : uint8_t { kFunc, kInstance, kType, kComponent, kModule };
  Kind kind = Kind::kFunc;
  uint32_t func = 0;                        // kFunc: index into ComponentStore::funcs
  std::shared_ptr<InstanceVal> instance;    // kInstance
  TypeId type = kNoType;                    // kType (static, in the defining scope's TypeStore)
  std::optional<ResourceType> resource;     // kType when it is a resource type
  std::shared_ptr<ComponentVal> component;  // kComponent
  std::optional<Module> module;             // kModule
};

struct InstanceVal {
  std::vector<std::pair<std::string, Item>> exports;
  const Item* find(std::string_view name) const;
};

// The run-time index spaces of one component being instantiated.
struct Scope : ScopeSpaces<Item, Extern> {
  std::shared_ptr<const ComponentImpl> owner;
  const ast::Component* ast = nullptr;
  const ScopeRecord* record = nullptr;
  std::weak_ptr<Scope> outer;  // weak: parents keep their children (`children`); alive during the walk
  uint32_t instance = 0;       // this component instance's index in ComponentStore::instances

  std::vector<CoreInstanceVal> core_instances;
  std::unordered_map<ResourceId, ResourceType> resources;  // static resource id -> run-time type
  // A shared copy of `resources` for the functions made from this scope, taken once and retaken only
  // after `resources` changed (every canon of a scope would otherwise copy the map).
  std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>> resources_snapshot;
  size_t resources_snapshot_size = ~size_t{0};
  const std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>>& shared_resources() {
    if (!resources_snapshot || resources_snapshot_size != resources.size()) {
      resources_snapshot = std::make_shared<const std::unordered_map<ResourceId, ResourceType>>(resources);
      resources_snapshot_size = resources.size();
    }
    return resources_snapshot;
  }
  std::vector<std::pair<std::string, Item>> exports;
  // The scopes of the components instantiated here: kept alive with this one, because the definitions
  // they export point back to them weakly (ComponentVal::outer).
  std::vector<std::shared_ptr<Scope>> children;
};

// ---- per-Store state ----

// A resource handle in a component instance's table (the spec's ResourceHandle).
struct HandleEntry {
  ResourceType type;
  uint32_t rep = 0;
  bool own = false;
  bool live = false;
  uint32_t lends = 0;         // borrows of this (own) handle lent out to calls in progress
  uint32_t borrow_scope = 0;  // borrow handles: the call (task) they belong to, 0 if none
  uint32_t lender = 0;        // borrow handles in a callee: the caller's entry they came from, + 1
};

class HandleTable {
 public:
  // Index 0 is never handed out (the spec reserves it), so 0 can mean "no handle".
  TrapResult<uint32_t> add(HandleEntry e);
  TrapResult<HandleEntry*> get(uint32_t index);
  TrapResult<HandleEntry> remove(uint32_t index);
  size_t live_count() const { return live_; }

 private:
  std::vector<HandleEntry> entries_{HandleEntry{}};
  std::vector<uint32_t> free_;
  size_t live_ = 0;
};

struct ComponentInstanceRec {
  std::shared_ptr<const ComponentImpl> owner;
  HandleTable handles;
  bool may_leave = true;  // false while lowering into or post-returning this instance
  bool may_enter = true;  // false while a synchronous export of it runs (no re-entrance)
  int64_t backpressure = 0;
  uint32_t parent = ~uint32_t{0};  // the enclosing instance, for the re-entrance rule
  std::shared_ptr<Scope> scope;    // root instances keep their scope (exports)
};

// The canonical options of a lift or lower, resolved to run-time objects.
struct Options {
  canon::StringEncoding encoding = canon::StringEncoding::kUtf8;
  const interp::MemoryInst* memory = nullptr;
  const interp::FuncInst* realloc = nullptr;
  const interp::FuncInst* post_return = nullptr;
  bool async = false, callback = false;
};

// A component function in the Store.
struct FuncRec {
  enum class Kind : uint8_t { kLifted, kHost };
  Kind kind = Kind::kLifted;
  std::shared_ptr<const ComponentImpl> owner;  // whose TypeStore `type` is in (null for host funcs)
  TypeId type = kNoType;                       // kFunc node
  TypeId func_node = kNoType;                  // kLifted: `type` with aliases stripped (once, not per call)
  // kLifted
  const interp::FuncInst* core = nullptr;
  Options options;
  bool async_lift = false;      // `async` without callback: results arrive through task.return
  bool async_callback = false;  // `async` with a callback: not run yet (calls trap)
  uint32_t instance = 0;
  std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>> resources;
  // kHost: called with the import's type (`type` and `owner` are the importer's); one of the two is set
  std::shared_ptr<const HostFunc> host;
  std::shared_ptr<const abi::TypedHost> typed;  // func_wrap: checked against `type` when linked
};

struct ResourceTypeRec {  // a guest-defined resource type
  uint32_t instance = 0;  // the defining component instance
  const interp::FuncInst* dtor = nullptr;
};

// A handle the host holds (ResourceAny).
struct HostHandle {
  ResourceType type;
  uint32_t rep = 0;
  bool own = false;
  bool live = false;
  uint32_t generation = 0;
  // a borrow lent by a guest to a host call: the guest's table entry to give the lend back to
  uint32_t lender_instance = ~uint32_t{0};
  uint32_t lender_handle = 0;
};

// A short list of instance indices, inline up to 8 (instance nesting is shallow), so that calls do not
// allocate for their entering sets.
class InstanceList {
 public:
  void push_back(uint32_t v) {
    if (n_ < kInline) {
      inline_[n_++] = v;
      return;
    }
    if (heap_.empty()) heap_.assign(inline_, inline_ + kInline);
    heap_.push_back(v);
    ++n_;
  }
  const uint32_t* begin() const { return n_ <= kInline ? inline_ : heap_.data(); }
  const uint32_t* end() const { return begin() + n_; }
  bool contains(uint32_t v) const { return std::find(begin(), end(), v) != end(); }

 private:
  static constexpr size_t kInline = 8;
  uint32_t inline_[kInline];
  size_t n_ = 0;
  std::vector<uint32_t> heap_;
};

struct ComponentStore : internal::StoreExtension {
  std::vector<ComponentInstanceRec> instances;
  std::deque<FuncRec> funcs;  // a deque: calls hold references while instantiation adds functions
  std::vector<ResourceTypeRec> resource_types;
  std::vector<HostHandle> host_handles{HostHandle{}};
  std::vector<uint32_t> host_free;
  std::unordered_map<uint64_t, ResourceDtor>
      host_dtors;  // host resource type id -> destructor (from the Linker)
  // Calls in progress (the spec's tasks): borrows lent into them and taken from them.
  struct Task {
    uint32_t id = 0;
    uint32_t instance = ~uint32_t{0};  // the callee instance, if a guest
    uint32_t num_borrows = 0;          // borrow handles given to the callee, not yet dropped
    std::vector<std::pair<uint32_t, uint32_t>> lenders;  // (instance, handle) whose lend count to give back
    std::vector<uint32_t> host_borrows;                  // host handles of borrows that end with the call
    std::optional<std::vector<Val>> returned;            // values given to task.return
    uint32_t context[2] = {0, 0};                        // context.get / context.set slots
  };
  std::vector<Task*> tasks;  // innermost last
  uint32_t next_task = 1;
  Task* find_task(uint32_t id) {
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it)
      if ((*it)->id == id) return *it;
    return nullptr;
  }

  // Scratch vectors for flat values of the Val path, reused across calls (a stack: calls nest).
  std::vector<std::vector<uint64_t>> flat_pool;

  static ComponentStore& of(Store& store);
};

// The canonical ABI context of one guest side of a call (the Val codec's Context plus the instance's
// handle table, realloc and the current task). The ResourceAny forms are shared by the Val and typed paths.
class GuestContext final : public canon::Context {
 public:
  GuestContext(Store& store, const TypeStore& ts, const Options& o, uint32_t instance,
               const std::unordered_map<ResourceId, ResourceType>* resources, ComponentStore::Task* task);

  TrapResult<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                               uint32_t new_size) override;
  TrapResult<Val> lift_own(TypeId type, uint32_t handle) override;
  TrapResult<Val> lift_borrow(TypeId type, uint32_t handle) override;
  TrapResult<uint32_t> lower_own(TypeId type, const Val& value) override;
  TrapResult<uint32_t> lower_borrow(TypeId type, const Val& value) override;

  TrapResult<ResourceAny> lift_own_handle(TypeId type, uint32_t handle);
  TrapResult<ResourceAny> lift_borrow_handle(TypeId type, uint32_t handle);
  TrapResult<uint32_t> lower_own_handle(TypeId type, const ResourceAny& handle);
  TrapResult<uint32_t> lower_borrow_handle(TypeId type, const ResourceAny& handle);

  ComponentStore::Task* task() const { return task_; }
  Store& store() const { return store_; }
  // The typed path's view of this context for a function type.
  abi::Cx typed(TypeId func_type) {
    return abi::Cx{this, memory.base, memory.size, func_type, max_lift_bytes, &store_};
  }

 private:
  TrapResult<ResourceType> resource_of(TypeId own_or_borrow);

  Store& store_;
  const Options& options_;
  uint32_t instance_;
  const std::unordered_map<ResourceId, ResourceType>* resources_;
  ComponentStore::Task* task_;
};

// ---- linking ----

struct LinkerNode {
  enum class Kind : uint8_t { kInstance, kFunc, kResource, kItem };
  Kind kind = Kind::kInstance;
  std::map<std::string, std::shared_ptr<LinkerNode>, std::less<>> children;
  std::shared_ptr<const HostFunc> func;
  std::shared_ptr<const abi::TypedHost> typed;  // func_wrap (instead of func)
  ResourceType resource;
  std::shared_ptr<const ResourceDtor> dtor;
  // kItem: an export of an instantiated component, bound to one Store
  uint64_t store_id = 0;
  Item item;
};

struct LinkerImpl {
  Engine engine;
  bool shadowing = false;
  LinkerNode root;
};

// A function or resource import of the plan (PlanImport) resolved against the Linker: a host
// definition, or an item exported by a component instance of one Store; or the error instantiation
// reports (as the definition walk reports it when it gets there).
struct ResolvedImport {
  std::shared_ptr<const LinkerNode> node;  // kFunc or kResource
  std::optional<Item> item;                // or an export of an instantiated component
  uint64_t store_id = 0;                   // the Store `item` belongs to
  std::string item_path;                   // the import path of the Linker entry holding `item`
  std::optional<Error> error;
};

// An import resolved against the Linker at instantiate_pre: a copy of what it found.
struct InstancePreImpl {
  std::shared_ptr<const ComponentImpl> component;
  std::vector<std::shared_ptr<const LinkerNode>> imports;  // one per root import, in order
  std::vector<ResolvedImport> resolved;                    // one per PlanImport of the component's plan
};

// ---- shared helpers ----

// The call protocol of a lifted function, shared by the Val and typed paths: entering set and instance
// flags, the task (borrow scope), lowering the arguments (m.lower) with may_leave cleared, the core call,
// lifting the result (m.lift; slots is null for an async lift, whose values are in the task), post-return.
TrapResult<void> call_lifted(Store& store, uint32_t func, const abi::Marshal& m, const CallOptions* options,
                             uint32_t caller, bool fused);
// The Val side of call_lifted: lowers `args` (of types `params`) and lifts the one result into `results`.
struct ValCall {
  std::span<const Val> args;
  std::span<const TypeId> params;
  TypeId result;
  size_t core_results;
  std::vector<Val> results;
  static TrapResult<void> lower(void* self, abi::Cx& acx, uint64_t* slots);
  static TrapResult<void> lift(void* self, abi::Cx& acx, const uint64_t* slots);
};
// Calls a component function with dynamic values (host -> guest, or an adapter between components).
// `caller` is the calling component instance (kNoInstance for the host); `fused` marks a
// component-to-component call (only trap wordings depend on it).
TrapResult<std::vector<Val>> call_func(Store& store, uint32_t func, std::span<const Val> args,
                                       const CallOptions* options, uint32_t caller, bool fused);
// Makes the core function of `(canon lower $f opts)` for a component instance.
Result<Extern> make_lowered(Store& store, uint32_t func, std::shared_ptr<const ComponentImpl> owner,
                            TypeId type, Options options, uint32_t instance,
                            std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>> resources);
// The same with the core-level shape of the function type already computed (the instantiation plan).
Result<Extern> make_lowered(Store& store, uint32_t func, std::shared_ptr<const ComponentImpl> owner,
                            std::shared_ptr<const LowerShape> shape, Options options, uint32_t instance,
                            std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>> resources);
// resource.new / resource.rep / resource.drop of one resource type in one instance.
Extern make_resource_new(Store& store, uint32_t instance, ResourceType type, ValType rep);
Extern make_resource_rep(Store& store, uint32_t instance, ResourceType type, ValType rep);
Extern make_resource_drop(Store& store, uint32_t instance, ResourceType type);
// backpressure.inc / .dec: counts (no call waits on backpressure while airwasm runs async lifts eagerly).
Extern make_backpressure(Store& store, uint32_t instance, int delta);
// context.get / context.set of slot `index` for the instance's current task.
Extern make_context_access(Store& store, uint32_t instance, bool set, uint32_t index);
// A canonical built-in that airwasm does not run yet: checks may_leave like every built-in, then traps.
Extern make_unsupported_builtin(Store& store, uint32_t instance, FuncType type, std::string name);
// task.return of an async lift: lifts its arguments as the current task's result.
Extern make_task_return(Store& store, uint32_t instance, std::shared_ptr<const ComponentImpl> owner,
                        std::optional<TypeId> result, Options options,
                        std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>> resources);

// Handles (resources.cc).
Trap cannot_leave();
Trap wrong_type(uint32_t index, ResourceType expected, ResourceType found);
TrapResult<void> run_dtor(Store& store, ResourceType type, uint32_t rep, uint32_t dropper);
InstanceList entering_set(const ComponentStore& cs, uint32_t callee, uint32_t caller);
ResourceAny host_handle_new(Store& store, ResourceType type, uint32_t rep, bool own, uint32_t lender_instance,
                            uint32_t lender_handle);
TrapResult<HostHandle*> host_handle_get(Store& store, const ResourceAny& r);
void host_handle_release(Store& store, uint32_t index);

// Pushes a task for the duration of a call and gives back what it lent when it ends.
class TaskScope {
 public:
  TaskScope(Store& store, uint32_t instance) : TaskScope(store, ComponentStore::of(store), instance) {}
  TaskScope(Store& store, ComponentStore& cs, uint32_t instance) : store_(store), cs_(cs) {
    task_.id = cs_.next_task++;
    task_.instance = instance;
    cs_.tasks.push_back(&task_);
  }
  ~TaskScope() {
    for (auto& [inst, handle] : task_.lenders) {
      auto e = cs_.instances[inst].handles.get(handle);
      if (e && (*e)->lends) --(*e)->lends;
    }
    for (uint32_t h : task_.host_borrows) {
      if (h < cs_.host_handles.size() && cs_.host_handles[h].live) host_handle_release(store_, h);
    }
    cs_.tasks.pop_back();
  }
  ComponentStore::Task* get() { return &task_; }

 private:
  Store& store_;
  ComponentStore& cs_;
  ComponentStore::Task task_;
};

// One call of a lifted function, in the phases of the call protocol: the constructor pushes the task;
// enter_and_lower() checks and clears the entering instances' may_enter and lowers the arguments into
// slots(); the caller runs core() on slots() (blocking, or sliced: the object then lives on the heap between
// slices and keeps the task pushed); lift_and_return() lifts the result, runs post-return and re-opens the
// instances. Destroying it pops the task; instances left closed by a trap (or an abandoned call) stay
// poisoned, as the spec has it. Not movable: the task and the context point into it.
class LiftedCall {
 public:
  LiftedCall(Store& store, uint32_t func, const abi::Marshal& m, uint32_t caller, bool fused);
  LiftedCall(const LiftedCall&) = delete;
  LiftedCall& operator=(const LiftedCall&) = delete;
  TrapResult<void> enter_and_lower();
  TrapResult<void> lift_and_return();
  // The same, inlined into call_lifted (func.cc only): the blocking call is the hot path of every
  // component call, and two out-of-line calls cost it about 10%.
  [[gnu::always_inline]] inline TrapResult<void> enter_and_lower_inline();
  [[gnu::always_inline]] inline TrapResult<void> lift_and_return_inline();
  const interp::FuncInst* core() const { return f_.core; }
  uint64_t* slots() { return slots_; }
  Store& store() const { return store_; }

 private:
  static constexpr size_t kInlineSlots = canon::kMaxFlatParams + 1;
  Store& store_;
  ComponentStore& cs_;
  const FuncRec& f_;
  TypeId fn_type_;
  abi::Marshal marshal_;
  InstanceList entering_;
  TaskScope task_;
  GuestContext cx_;
  abi::Cx acx_;
  uint64_t inline_slots_[kInlineSlots];
  std::vector<uint64_t> heap_slots_;
  uint64_t* slots_ = inline_slots_;
};

// Instantiates a component with its root imports resolved (instantiate.cc): executes its plan, or walks
// its definitions when it has none.
Result<Instance> instantiate(Store& store, const InstancePreImpl& pre);
// The plan's imports looked up below the root imports' Linker entries (plan.cc; at instantiate_pre).
std::vector<ResolvedImport> resolve_plan_imports(const ComponentImpl& component,
                                                 const std::vector<std::shared_ptr<const LinkerNode>>& roots);
// Runs the plan of `pre.component` in `store` (plan.cc).
Result<Instance> execute_plan(Store& store, const InstancePreImpl& pre);

std::string func_signature(const TypeStore& types, TypeId func);
std::string type_text(const TypeStore& types, TypeId type);

// Linking (linker.cc).
std::shared_ptr<const LinkerNode> find_import(const LinkerNode& parent, std::string_view name);
Result<void> check_import(const TypeStore& types, const NamedEntity& import, const LinkerNode& node);
// A typed host function against the import's function type (typed.cc); kUnlinkable naming `path`.
Result<void> check_typed_host(const TypeStore& types, TypeId func, const abi::TypedHost& host,
                              const std::string& path);

}  // namespace airwasm::component::rt
