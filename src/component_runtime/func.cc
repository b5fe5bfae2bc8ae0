// component runtime: calls. call_lifted is the one call protocol of a lifted function (entering set and
// instance flags, the task, lower with may_leave cleared, the core call, lift, post-return), shared by
// Func::call (call_func: canon's Val codec) and TypedFunc::call (typed.hh's templates) through an
// abi::Marshal pair of lower/lift functions; it allocates nothing itself. make_lowered builds the core
// function behind `(canon lower ...)`: it lifts the guest's flat arguments, calls the callee (a Val host
// function, a typed host function that lifts and lowers by itself, or another component's lifted function:
// that is the adapter between two components, with strings transcoded and handles moved through the
// values), and lowers the results back.
//
// Instance flags (the spec's may_enter / may_leave): an instance cannot be entered while a call into it
// is running (no re-entrance) or after it trapped (it stays poisoned), and cannot call out while its
// post-return function or its realloc (during lowering into it) runs.
#include <algorithm>

#include "component_runtime/internal.hh"

namespace airwasm::component::rt {

namespace {

using ResourceMapPtr = std::shared_ptr<const std::unordered_map<ResourceId, ResourceType>>;

}  // namespace

GuestContext::GuestContext(Store& store, const TypeStore& ts, const Options& o, uint32_t instance,
                           const std::unordered_map<ResourceId, ResourceType>* resources,
                           ComponentStore::Task* task)
    : canon::Context(ts),
      store_(store),
      options_(o),
      instance_(instance),
      resources_(resources),
      task_(task) {
  encoding = o.encoding;
  if (o.memory) memory = canon::GuestMemory{o.memory->base, &o.memory->size_bytes};
}

TrapResult<uint32_t> GuestContext::realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                                           uint32_t new_size) {
  if (!options_.realloc)
    return std::unexpected(Trap(TrapCode::kHostError, "canonical option `realloc` is required"));
  uint64_t slots[4] = {old_ptr, old_size, align, new_size};
  AIRWASM_TRY(store_.impl().call_slots(options_.realloc, slots));
  return uint32_t(slots[0]);
}

TrapResult<ResourceAny> GuestContext::lift_own_handle(TypeId type, uint32_t handle) {
  AIRWASM_TRY_ASSIGN(ResourceType rt, resource_of(type));
  ComponentStore& cs = ComponentStore::of(store_);
  AIRWASM_TRY_ASSIGN(HandleEntry * e, cs.instances[instance_].handles.get(handle));
  if (!(e->type == rt)) return std::unexpected(wrong_type(handle, rt, e->type));
  if (!e->own)
    return std::unexpected(Trap(TrapCode::kUnknownHandle, "handle index " + std::to_string(handle) +
                                                              " is a borrow, an own handle was expected"));
  if (e->lends != 0)
    return std::unexpected(Trap(TrapCode::kUnknownHandle, "cannot remove owned resource while borrowed"));
  AIRWASM_TRY_ASSIGN(HandleEntry h, cs.instances[instance_].handles.remove(handle));
  return host_handle_new(store_, h.type, h.rep, true, ~uint32_t{0}, 0);
}

TrapResult<ResourceAny> GuestContext::lift_borrow_handle(TypeId type, uint32_t handle) {
  AIRWASM_TRY_ASSIGN(ResourceType rt, resource_of(type));
  ComponentStore& cs = ComponentStore::of(store_);
  AIRWASM_TRY_ASSIGN(HandleEntry * e, cs.instances[instance_].handles.get(handle));
  if (!(e->type == rt)) return std::unexpected(wrong_type(handle, rt, e->type));
  const uint32_t rep = e->rep;
  if (e->own) {
    ++e->lends;
    if (task_) task_->lenders.emplace_back(instance_, handle);
  }
  ResourceAny r = host_handle_new(store_, rt, rep, false, instance_, handle);
  if (task_) task_->host_borrows.push_back(r.index());
  return r;
}

TrapResult<uint32_t> GuestContext::lower_own_handle(TypeId type, const ResourceAny& handle) {
  AIRWASM_TRY_ASSIGN(ResourceType rt, resource_of(type));
  if (!handle.owned())
    return std::unexpected(Trap(TrapCode::kHostError, "type mismatch: expected own, found borrow"));
  AIRWASM_TRY_ASSIGN(HostHandle * h, host_handle_get(store_, handle));
  if (!(h->type == rt)) return std::unexpected(wrong_type(handle.index(), rt, h->type));
  HandleEntry e;
  e.type = rt;
  e.rep = h->rep;
  e.own = true;
  host_handle_release(store_, handle.index());
  return ComponentStore::of(store_).instances[instance_].handles.add(e);
}

TrapResult<uint32_t> GuestContext::lower_borrow_handle(TypeId type, const ResourceAny& handle) {
  AIRWASM_TRY_ASSIGN(ResourceType rt, resource_of(type));
  AIRWASM_TRY_ASSIGN(HostHandle * h, host_handle_get(store_, handle));
  if (!(h->type == rt)) return std::unexpected(wrong_type(handle.index(), rt, h->type));
  ComponentStore& cs = ComponentStore::of(store_);
  // The resource's own implementation receives the representation itself.
  if (!rt.is_host() && cs.resource_types.at(rt.id()).instance == instance_) return h->rep;
  HandleEntry e;
  e.type = rt;
  e.rep = h->rep;
  e.own = false;
  e.borrow_scope = task_ ? task_->id : 0;
  if (task_) ++task_->num_borrows;
  return cs.instances[instance_].handles.add(e);
}

namespace {
Trap handle_mismatch(const char* want, const Val& got) {
  return Trap(TrapCode::kHostError,
              std::string("type mismatch: expected ") + want + ", found " + val_kind_name(got.kind()));
}
}  // namespace

TrapResult<Val> GuestContext::lift_own(TypeId type, uint32_t handle) {
  AIRWASM_TRY_ASSIGN(ResourceAny r, lift_own_handle(type, handle));
  return Val::resource(r);
}
TrapResult<Val> GuestContext::lift_borrow(TypeId type, uint32_t handle) {
  AIRWASM_TRY_ASSIGN(ResourceAny r, lift_borrow_handle(type, handle));
  return Val::resource(r);
}
TrapResult<uint32_t> GuestContext::lower_own(TypeId type, const Val& value) {
  AIRWASM_TRY(resource_of(type));
  if (value.kind() != ValKind::kOwn) return std::unexpected(handle_mismatch("own", value));
  return lower_own_handle(type, value.as_resource());
}
TrapResult<uint32_t> GuestContext::lower_borrow(TypeId type, const Val& value) {
  AIRWASM_TRY(resource_of(type));
  if (value.kind() != ValKind::kBorrow && value.kind() != ValKind::kOwn)
    return std::unexpected(handle_mismatch("borrow", value));
  return lower_borrow_handle(type, value.as_resource());
}

TrapResult<ResourceType> GuestContext::resource_of(TypeId own_or_borrow) {
  const TypeStore& ts = types();
  const TypeNode& n = ts.canon(own_or_borrow);
  const ResourceId id = ts.canon(n.children[0]).aux;
  if (resources_) {
    auto it = resources_->find(id);
    if (it != resources_->end()) return it->second;
  }
  return std::unexpected(
      Trap(TrapCode::kHostError, "resource type has no run-time definition in this instance"));
}

namespace {

std::vector<TypeId> param_types(const TypeNode& f) {
  return std::vector<TypeId>(f.children.begin(), f.children.begin() + f.labels.size());
}

size_t flat_size(const TypeStore& ts, std::span<const TypeId> types) {
  return canon::flat_count(ts, types);
}

ValType val_type_of(FlatType t) {
  switch (t) {
    case FlatType::kI32:
      return ValType::kI32;
    case FlatType::kI64:
      return ValType::kI64;
    case FlatType::kF32:
      return ValType::kF32;
    case FlatType::kF64:
      return ValType::kF64;
  }
  return ValType::kI32;
}

// The flat core values of a list of types, in order.
std::vector<ValType> flatten(const TypeStore& ts, std::span<const TypeId> types) {
  std::vector<ValType> out;
  for (TypeId t : types)
    for (FlatType f : ts.canon(t).flat) out.push_back(val_type_of(f));
  return out;
}

}  // namespace

LiftedCall::LiftedCall(Store& store, uint32_t func, const abi::Marshal& m, uint32_t caller, bool fused)
    : store_(store),
      cs_(ComponentStore::of(store)),
      f_(cs_.funcs[func]),  // stable: funcs is a deque that only grows
      fn_type_(f_.func_node != kNoType ? f_.func_node : f_.owner->types().strip(f_.type)),
      marshal_(m),
      entering_(entering_set(cs_, f_.instance, caller)),
      task_(store, cs_, f_.instance),
      cx_(store, f_.owner->types(), f_.options, f_.instance, f_.resources.get(), task_.get()) {
  cx_.fused = fused;
  acx_ = cx_.typed(fn_type_);
}

inline TrapResult<void> LiftedCall::enter_and_lower_inline() {
  if (f_.async_callback)
    return std::unexpected(
        Trap(TrapCode::kHostError, "async functions with a callback are not supported yet"));
  for (uint32_t i : entering_)
    if (!cs_.instances[i].may_enter) return std::unexpected(Trap(TrapCode::kCannotEnterComponent));
  // A trap leaves these set: the instance stays poisoned, as the spec and wasmtime have it.
  for (uint32_t i : entering_) cs_.instances[i].may_enter = false;
  // Lifted functions have at most 16 flat parameters (else one pointer) and one result (else a pointer).
  const size_t nslots = std::max<size_t>({f_.core->param_slots, f_.core->result_slots, 1});
  if (nslots > kInlineSlots) {
    heap_slots_.resize(nslots);
    slots_ = heap_slots_.data();
  }
  std::fill_n(slots_, nslots, 0);  // not the whole inline array: a rep stos costs more than the marshalling
  cs_.instances[f_.instance].may_leave = false;
  AIRWASM_TRY(marshal_.lower(marshal_.self, acx_, slots_));
  cs_.instances[f_.instance].may_leave = true;
  return {};
}

inline TrapResult<void> LiftedCall::lift_and_return_inline() {
  const TypeNode& fn = f_.owner->types().node(fn_type_);
  if (f_.async_lift) {
    // An async lift without callback returns its result through task.return.
    if (fn.children.back() != kNoType && !task_.get()->returned)
      return std::unexpected(
          Trap(TrapCode::kHostError, "async function returned without calling task.return"));
    AIRWASM_TRY(marshal_.lift(marshal_.self, acx_, nullptr));
  } else {
    AIRWASM_TRY(marshal_.lift(marshal_.self, acx_, slots_));
  }
  if (f_.options.post_return) {
    cs_.instances[f_.instance].may_leave = false;
    const size_t core_results = f_.core->result_slots;
    const size_t npr = std::max<size_t>(
        {core_results, f_.options.post_return->param_slots, f_.options.post_return->result_slots, 1});
    uint64_t pr[kInlineSlots];
    std::vector<uint64_t> heap_pr;
    uint64_t* prs = pr;
    if (npr > kInlineSlots) {
      heap_pr.resize(npr);
      prs = heap_pr.data();
    }
    std::fill_n(prs, npr, 0);
    std::copy_n(slots_, core_results, prs);
    AIRWASM_TRY(store_.impl().call_slots(f_.options.post_return, prs));
    cs_.instances[f_.instance].may_leave = true;
  }
  if (task_.get()->num_borrows > 0)
    return std::unexpected(
        Trap(TrapCode::kUnknownHandle, "borrow handles still remain at the end of the call"));
  for (uint32_t i : entering_) cs_.instances[i].may_enter = true;
  return {};
}

TrapResult<void> LiftedCall::enter_and_lower() {
  return enter_and_lower_inline();
}
TrapResult<void> LiftedCall::lift_and_return() {
  return lift_and_return_inline();
}

TrapResult<void> call_lifted(Store& store, uint32_t func, const abi::Marshal& m,
                             const CallOptions* call_options, uint32_t caller, bool fused) {
  LiftedCall call(store, func, m, caller, fused);
  AIRWASM_TRY(call.enter_and_lower_inline());
  AIRWASM_TRY(store.impl().call_slots(call.core(), call.slots(), call_options));
  return call.lift_and_return_inline();
}

namespace {

// A per-Store scratch vector for flat values, returned to the pool when done.
class FlatScratch {
 public:
  explicit FlatScratch(ComponentStore& cs) : cs_(cs) {
    if (!cs.flat_pool.empty()) {
      v_ = std::move(cs.flat_pool.back());
      cs.flat_pool.pop_back();
    }
    v_.clear();
  }
  ~FlatScratch() { cs_.flat_pool.push_back(std::move(v_)); }
  std::vector<uint64_t>& get() { return v_; }

 private:
  ComponentStore& cs_;
  std::vector<uint64_t> v_;
};

}  // namespace

TrapResult<void> ValCall::lower(void* self, abi::Cx& acx, uint64_t* slots) {
  auto& c = *static_cast<ValCall*>(self);
  auto& cx = *static_cast<GuestContext*>(acx.guest);
  FlatScratch flat(ComponentStore::of(cx.store()));
  AIRWASM_TRY(canon::lower_flat_values(cx, canon::kMaxFlatParams, c.args, c.params, flat.get()));
  std::copy(flat.get().begin(), flat.get().end(), slots);
  return {};
}

TrapResult<void> ValCall::lift(void* self, abi::Cx& acx, const uint64_t* slots) {
  auto& c = *static_cast<ValCall*>(self);
  auto& cx = *static_cast<GuestContext*>(acx.guest);
  if (c.result == kNoType) return {};
  if (!slots) {
    c.results = std::move(*cx.task()->returned);
    return {};
  }
  const TypeId one[1] = {c.result};
  canon::FlatReader reader(std::span<const uint64_t>(slots, c.core_results));
  AIRWASM_TRY_ASSIGN(c.results, canon::lift_flat_values(cx, canon::kMaxFlatResults, reader, one));
  return {};
}

TrapResult<std::vector<Val>> call_func(Store& store, uint32_t func, std::span<const Val> args,
                                       const CallOptions* call_options, uint32_t caller, bool fused) {
  ComponentStore& cs = ComponentStore::of(store);
  const FuncRec& f = cs.funcs.at(func);
  const TypeStore& ts = f.owner->types();
  const TypeNode& fn = ts.node(ts.strip(f.type));
  if (f.kind == FuncRec::Kind::kHost) {
    if (!f.host)
      return std::unexpected(Trap(TrapCode::kHostError, "a typed host function cannot be called with Vals"));
    if (args.size() != fn.labels.size())
      return std::unexpected(Trap(TrapCode::kHostError, "wrong number of arguments"));
    std::vector<Val> results(fn.children.back() == kNoType ? 0 : 1);
    const std::shared_ptr<const HostFunc> host = f.host;  // the callee may add functions
    AIRWASM_TRY((*host)(store, args, results));
    return results;
  }
  const std::span<const TypeId> params(fn.children.data(), fn.labels.size());
  if (args.size() != params.size())
    return std::unexpected(Trap(TrapCode::kHostError, "wrong number of arguments: expected " +
                                                          std::to_string(params.size()) + ", got " +
                                                          std::to_string(args.size())));
  ValCall c{args, params, fn.children.back(), f.core->result_slots, {}};
  AIRWASM_TRY(call_lifted(store, func, abi::Marshal{&c, &ValCall::lower, &ValCall::lift}, call_options,
                          caller, fused));
  return std::move(c.results);
}

Result<Extern> make_lowered(Store& store, uint32_t callee, std::shared_ptr<const ComponentImpl> owner,
                            TypeId type, Options options, uint32_t instance, ResourceMapPtr resources) {
  std::shared_ptr<const LowerShape> shape = owner->lower_shape(owner->types().strip(type), options.async);
  return make_lowered(store, callee, std::move(owner), std::move(shape), options, instance,
                      std::move(resources));
}

Result<Extern> make_lowered(Store& store, uint32_t callee, std::shared_ptr<const ComponentImpl> owner,
                            std::shared_ptr<const LowerShape> shape, Options options, uint32_t instance,
                            ResourceMapPtr resources) {
  const FuncRec& callee_rec = ComponentStore::of(store).funcs.at(callee);
  const bool fused = callee_rec.kind == FuncRec::Kind::kLifted;
  // A typed host function (func_wrap) lifts and lowers the guest's values itself, without Vals.
  std::shared_ptr<const abi::TypedHost> typed = callee_rec.typed;
  auto callback = [callee, owner, shape, options, instance, resources, fused, typed](
                      Caller& caller, uint64_t* slots) -> TrapResult<void> {
    const LowerShape& sh = *shape;
    const TypeId fn_type = sh.fn_type, result = sh.result;
    const size_t nparams = sh.nparams, max_params = sh.max_params, max_results = sh.max_results;
    const bool retptr = sh.retptr, async = sh.async;
    const std::vector<TypeId>& params = sh.params;
    Store& store = caller.store();
    ComponentStore& cs = ComponentStore::of(store);
    if (!cs.instances[instance].may_leave) return std::unexpected(cannot_leave());
    TaskScope task(store, cs, kNoInstance);
    GuestContext cx(store, owner->types(), options, instance, resources.get(), task.get());
    cx.fused = fused;
    if (typed) {
      abi::Cx acx = cx.typed(fn_type);
      const uint32_t ptr = retptr ? uint32_t(slots[nparams - 1]) : 0;
      AIRWASM_TRY(typed->call(store, acx, slots, max_params, retptr ? &ptr : nullptr));
      if (async) slots[0] = 2;  // Subtask.State.RETURNED
      return {};
    }
    canon::FlatReader reader(std::span<const uint64_t>(slots, retptr ? nparams - 1 : nparams));
    AIRWASM_TRY_ASSIGN(std::vector<Val> args, canon::lift_flat_values(cx, max_params, reader, params));
    AIRWASM_TRY_ASSIGN(std::vector<Val> results, call_func(store, callee, args, nullptr, instance, fused));
    if (result != kNoType) {
      if (results.size() != 1)
        return std::unexpected(Trap(TrapCode::kHostError, "host function returned no result"));
      const TypeId one[1] = {result};
      std::vector<uint64_t> out;
      if (retptr) {
        const uint32_t ptr = uint32_t(slots[nparams - 1]);
        AIRWASM_TRY(canon::lower_flat_values(cx, max_results, results, one, out, &ptr));
      } else {
        AIRWASM_TRY(canon::lower_flat_values(cx, max_results, results, one, out));
        if (!out.empty()) slots[0] = out[0];
      }
    }
    if (async) slots[0] = 2;  // Subtask.State.RETURNED
    return {};
  };
  const interp::FuncInst* f =
      store.impl().add_host_func(shape->type_id, shape->type_ptr, std::move(callback));
  return Extern(airwasm::Func(store.id(), f->store_index));
}

std::shared_ptr<const LowerShape> ComponentImpl::lower_shape(TypeId fn_type, bool async) const {
  std::lock_guard lock(shapes_mutex);
  auto& slot = lower_shapes[{fn_type, async}];
  if (slot) return slot;
  const TypeStore& ts = types();
  const TypeNode& fn = ts.node(fn_type);
  auto sh = std::make_shared<LowerShape>();
  sh->fn_type = fn_type;
  sh->params = param_types(fn);
  sh->result = fn.children.back();
  // Sync: params flat up to 16 (else one pointer), a result flat up to 1 (else a return pointer).
  // Async (`canon lower ... async`): params flat up to 4, the result always through a pointer, and the
  // core function returns the subtask state. airwasm runs the callee to completion before returning, so
  // the state is always RETURNED (2) and no subtask handle is created.
  sh->async = async;
  sh->max_params = async ? 4 : canon::kMaxFlatParams;
  sh->max_results = async ? 0 : canon::kMaxFlatResults;
  const size_t flat_params = flat_size(ts, sh->params);
  sh->core.params =
      flat_params > sh->max_params ? std::vector<ValType>{ValType::kI32} : flatten(ts, sh->params);
  size_t flat_results = 0;
  if (sh->result != kNoType) {
    const TypeId one[1] = {sh->result};
    flat_results = flat_size(ts, one);
    if (flat_results > sh->max_results) {
      sh->core.params.push_back(ValType::kI32);  // the return pointer
    } else {
      sh->core.results = flatten(ts, one);
    }
  }
  if (async) sh->core.results = {ValType::kI32};
  sh->nparams = sh->core.params.size();
  sh->retptr = sh->result != kNoType && flat_results > sh->max_results;
  sh->type_id = engine.impl().intern(sh->core);
  sh->type_ptr = engine.impl().type(sh->type_id);
  slot = sh;
  return slot;
}

Extern make_backpressure(Store& store, uint32_t instance, int delta) {
  return Extern(airwasm::Func::wrap_raw(
      store, FuncType{}, [instance, delta](Caller& caller, uint64_t*) -> TrapResult<void> {
        ComponentStore& cs = ComponentStore::of(caller.store());
        cs.instances[instance].backpressure += delta;
        if (cs.instances[instance].backpressure < 0)
          return std::unexpected(Trap(TrapCode::kHostError, "backpressure counter underflow"));
        return {};
      }));
}

Extern make_context_access(Store& store, uint32_t instance, bool set, uint32_t index) {
  FuncType ft = set ? FuncType{{ValType::kI32}, {}} : FuncType{{}, {ValType::kI32}};
  return Extern(airwasm::Func::wrap_raw(
      store, ft, [instance, set, index](Caller& caller, uint64_t* slots) -> TrapResult<void> {
        // Like resource.rep, context access does not leave the instance (allowed in post-return).
        ComponentStore& cs = ComponentStore::of(caller.store());
        ComponentStore::Task* task = nullptr;
        for (auto it = cs.tasks.rbegin(); it != cs.tasks.rend() && !task; ++it)
          if ((*it)->instance == instance) task = *it;
        if (!task || index > 1)
          return std::unexpected(Trap(TrapCode::kHostError, "context access outside of a task"));
        if (set) {
          task->context[index] = uint32_t(slots[0]);
        } else {
          slots[0] = task->context[index];
        }
        return {};
      }));
}

Extern make_task_return(Store& store, uint32_t instance, std::shared_ptr<const ComponentImpl> owner,
                        std::optional<TypeId> result, Options options, ResourceMapPtr resources) {
  const TypeStore& ts = owner->types();
  FuncType core;
  if (result) {
    const TypeId one[1] = {*result};
    core.params =
        flat_size(ts, one) > canon::kMaxFlatParams ? std::vector<ValType>{ValType::kI32} : flatten(ts, one);
  }
  const size_t nparams = core.params.size();
  auto callback = [instance, owner, result, options, resources, nparams](
                      Caller& caller, uint64_t* slots) -> TrapResult<void> {
    Store& store = caller.store();
    ComponentStore& cs = ComponentStore::of(store);
    if (!cs.instances[instance].may_leave) return std::unexpected(cannot_leave());
    ComponentStore::Task* task = nullptr;
    for (auto it = cs.tasks.rbegin(); it != cs.tasks.rend() && !task; ++it)
      if ((*it)->instance == instance) task = *it;
    if (!task || task->returned)
      return std::unexpected(
          Trap(TrapCode::kHostError, "task.return called more than once or outside an async task"));
    std::vector<Val> values;
    if (result) {
      GuestContext cx(store, owner->types(), options, instance, resources.get(), task);
      canon::FlatReader reader(std::span<const uint64_t>(slots, nparams));
      const TypeId one[1] = {*result};
      AIRWASM_TRY_ASSIGN(values, canon::lift_flat_values(cx, canon::kMaxFlatParams, reader, one));
    }
    task->returned = std::move(values);
    return {};
  };
  return Extern(airwasm::Func::wrap_raw(store, std::move(core), std::move(callback)));
}

// The spec's entering set: the callee's instance and its ancestors, minus the caller's own chain (a
// child calling an import that its parent lifted does not re-enter the parent).
InstanceList entering_set(const ComponentStore& cs, uint32_t callee, uint32_t caller) {
  InstanceList callers;
  for (uint32_t i = caller; i != kNoInstance; i = cs.instances[i].parent) callers.push_back(i);
  InstanceList out;
  for (uint32_t i = callee; i != kNoInstance; i = cs.instances[i].parent)
    if (!callers.contains(i)) out.push_back(i);
  return out;
}

}  // namespace airwasm::component::rt

namespace airwasm::component {

namespace {

TrapResult<const rt::FuncRec*> lookup(Store& store, const Func& f) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (f.store_id() != store.id() || f.index() >= cs.funcs.size())
    return std::unexpected(Trap(TrapCode::kHostError, "function does not belong to this store"));
  return &cs.funcs[f.index()];
}

}  // namespace

TrapResult<std::vector<Val>> Func::call(Store& store, std::span<const Val> args) const {
  AIRWASM_TRY(lookup(store, *this));
  return rt::call_func(store, index_, args, nullptr, rt::kNoInstance, false);
}

TrapResult<std::vector<Val>> Func::call(Store& store, std::span<const Val> args,
                                        const CallOptions& options) const {
  AIRWASM_TRY(lookup(store, *this));
  return rt::call_func(store, index_, args, &options, rt::kNoInstance, false);
}

std::string Func::signature(const Store& store) const {
  auto f = lookup(const_cast<Store&>(store), *this);
  if (!f || !(*f)->owner) return "func";
  return rt::func_signature((*f)->owner->types(), (*f)->type);
}

size_t Func::param_count(const Store& store) const {
  auto f = lookup(const_cast<Store&>(store), *this);
  if (!f || !(*f)->owner) return 0;
  const TypeStore& ts = (*f)->owner->types();
  return ts.node(ts.strip((*f)->type)).labels.size();
}

size_t Func::result_count(const Store& store) const {
  auto f = lookup(const_cast<Store&>(store), *this);
  if (!f || !(*f)->owner) return 0;
  const TypeStore& ts = (*f)->owner->types();
  return ts.node(ts.strip((*f)->type)).children.back() == kNoType ? 0 : 1;
}

// ---- Instance ----

namespace {

const rt::Scope* scope_of(Store& store, const Instance& inst) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (inst.store_id() != store.id() || inst.index() >= cs.instances.size()) return nullptr;
  return cs.instances[inst.index()].scope.get();
}

}  // namespace

std::optional<Func> Instance::get_func(Store& store, std::string_view name) const {
  const rt::Scope* sc = scope_of(store, *this);
  if (!sc) return std::nullopt;
  size_t hash = name.find('#');
  if (hash != std::string_view::npos) return get_func(store, name.substr(0, hash), name.substr(hash + 1));
  for (auto& [n, it] : sc->exports)
    if (n == name && it.kind == rt::Item::Kind::kFunc) return Func(store.id(), it.func);
  return std::nullopt;
}

std::optional<Func> Instance::get_func(Store& store, std::string_view instance, std::string_view name) const {
  const rt::Scope* sc = scope_of(store, *this);
  if (!sc) return std::nullopt;
  for (auto& [n, it] : sc->exports) {
    if (n != instance || it.kind != rt::Item::Kind::kInstance) continue;
    const rt::Item* f = it.instance->find(name);
    if (f && f->kind == rt::Item::Kind::kFunc) return Func(store.id(), f->func);
  }
  return std::nullopt;
}

std::vector<std::string> Instance::export_names(const Store& store) const {
  std::vector<std::string> out;
  const rt::Scope* sc = scope_of(const_cast<Store&>(store), *this);
  if (!sc) return out;
  for (auto& [n, it] : sc->exports) {
    out.push_back(n);
    if (it.kind == rt::Item::Kind::kInstance)
      for (auto& [m, sub] : it.instance->exports) out.push_back(n + "#" + m);
  }
  return out;
}

}  // namespace airwasm::component
