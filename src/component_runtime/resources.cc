// component runtime: resources. Each component instance has a handle table (the spec's Table of
// ResourceHandles: own handles with their lend counts, borrow handles scoped to a call); the Store keeps
// the handles the host holds (ResourceAny). resource.new / resource.rep / resource.drop are core host
// functions bound to one instance and one resource type. Dropping the last own handle runs the
// destructor: the guest's core function for guest-defined types, the Linker's C++ callback for
// host-defined ones.
#include "component_runtime/internal.hh"

namespace airwasm::component::rt {

namespace {

Trap unknown_handle(uint32_t index) {
  return Trap(TrapCode::kUnknownHandle, "unknown handle index " + std::to_string(index));
}

}  // namespace

TrapResult<uint32_t> HandleTable::add(HandleEntry e) {
  e.live = true;
  ++live_;
  if (!free_.empty()) {
    const uint32_t i = free_.back();
    free_.pop_back();
    entries_[i] = e;
    return i;
  }
  // The spec caps a table at 2^28 - 1 entries ("table full").
  if (entries_.size() >= (uint32_t(1) << 28)) {
    --live_;
    return std::unexpected(Trap(TrapCode::kHostError, "resource table full"));
  }
  entries_.push_back(e);
  return uint32_t(entries_.size() - 1);
}

TrapResult<HandleEntry*> HandleTable::get(uint32_t index) {
  if (index == 0 || index >= entries_.size() || !entries_[index].live)
    return std::unexpected(unknown_handle(index));
  return &entries_[index];
}

TrapResult<HandleEntry> HandleTable::remove(uint32_t index) {
  AIRWASM_TRY_ASSIGN(HandleEntry * e, get(index));
  HandleEntry out = *e;
  e->live = false;
  free_.push_back(index);
  --live_;
  return out;
}

Trap cannot_leave() {
  return Trap(TrapCode::kCannotEnterComponent, "cannot leave component instance");
}

Extern make_unsupported_builtin(Store& store, uint32_t instance, FuncType type, std::string name) {
  return airwasm::Func::wrap_raw(
      store, std::move(type), [instance, name](Caller& caller, uint64_t*) -> TrapResult<void> {
        if (!ComponentStore::of(caller.store()).instances[instance].may_leave)
          return std::unexpected(cannot_leave());
        return std::unexpected(
            Trap(TrapCode::kHostError, "canonical built-in `" + name + "` is not supported yet"));
      });
}

std::string describe_resource(const ResourceType& t) {
  return t.is_host() ? "host-defined resource" : "guest-defined resource";
}

Trap wrong_type(uint32_t index, ResourceType expected, ResourceType found) {
  std::string f = describe_resource(found);
  if (expected.is_host() == found.is_host()) f = "a different " + f;
  return Trap(TrapCode::kUnknownHandle, "handle index " + std::to_string(index) +
                                            " used with the wrong type, expected " +
                                            describe_resource(expected) + " but found " + f);
}

// Runs the destructor of a resource whose last own handle was dropped by `dropper` (kNoInstance: the
// host). The resource's own instance calls its destructor directly; any other instance enters it as a
// call would (the spec's canon_resource_drop), so re-entrance rules apply.
TrapResult<void> run_dtor(Store& store, ResourceType type, uint32_t rep, uint32_t dropper) {
  ComponentStore& cs = ComponentStore::of(store);
  if (type.is_host()) {
    auto it = cs.host_dtors.find(type.id());
    if (it != cs.host_dtors.end() && it->second) it->second(store, rep);
    return {};
  }
  const ResourceTypeRec rec = cs.resource_types.at(type.id());
  if (!rec.dtor) return {};
  uint64_t slots[1] = {rep};
  if (dropper == rec.instance) return store.impl().call_slots(rec.dtor, slots);
  const InstanceList entering = entering_set(cs, rec.instance, dropper);
  for (uint32_t i : entering)
    if (!cs.instances[i].may_enter) return std::unexpected(Trap(TrapCode::kCannotEnterComponent));
  for (uint32_t i : entering) cs.instances[i].may_enter = false;
  AIRWASM_TRY(store.impl().call_slots(rec.dtor, slots));
  for (uint32_t i : entering) cs.instances[i].may_enter = true;
  return {};
}

TrapResult<void> drop_handle(Store& store, uint32_t instance, ResourceType type, uint32_t index) {
  ComponentStore& cs = ComponentStore::of(store);
  AIRWASM_TRY_ASSIGN(HandleEntry * e, cs.instances[instance].handles.get(index));
  if (!(e->type == type)) return std::unexpected(wrong_type(index, type, e->type));
  if (e->own && e->lends != 0)
    return std::unexpected(Trap(TrapCode::kUnknownHandle, "cannot remove owned resource while borrowed"));
  AIRWASM_TRY_ASSIGN(HandleEntry h, cs.instances[instance].handles.remove(index));
  if (h.own) return run_dtor(store, h.type, h.rep, instance);
  if (ComponentStore::Task* t = cs.find_task(h.borrow_scope)) --t->num_borrows;
  return {};
}

Extern make_resource_new(Store& store, uint32_t instance, ResourceType type, ValType rep) {
  FuncType ft{{rep}, {ValType::kI32}};
  return airwasm::Func::wrap_raw(store, ft,
                                 [instance, type](Caller& caller, uint64_t* slots) -> TrapResult<void> {
                                   ComponentStore& cs = ComponentStore::of(caller.store());
                                   if (!cs.instances[instance].may_leave)
                                     return std::unexpected(cannot_leave());
                                   HandleEntry e;
                                   e.type = type;
                                   e.rep = uint32_t(slots[0]);
                                   e.own = true;
                                   AIRWASM_TRY_ASSIGN(uint32_t h, cs.instances[instance].handles.add(e));
                                   slots[0] = h;
                                   return {};
                                 });
}

Extern make_resource_rep(Store& store, uint32_t instance, ResourceType type, ValType rep) {
  FuncType ft{{ValType::kI32}, {rep}};
  return airwasm::Func::wrap_raw(
      store, ft, [instance, type](Caller& caller, uint64_t* slots) -> TrapResult<void> {
        // resource.rep does not leave the instance: allowed even in post-return.
        ComponentStore& cs = ComponentStore::of(caller.store());
        const uint32_t index = uint32_t(slots[0]);
        AIRWASM_TRY_ASSIGN(HandleEntry * e, cs.instances[instance].handles.get(index));
        if (!(e->type == type)) return std::unexpected(wrong_type(index, type, e->type));
        slots[0] = e->rep;
        return {};
      });
}

Extern make_resource_drop(Store& store, uint32_t instance, ResourceType type) {
  FuncType ft{{ValType::kI32}, {}};
  return airwasm::Func::wrap_raw(store, ft,
                                 [instance, type](Caller& caller, uint64_t* slots) -> TrapResult<void> {
                                   if (!ComponentStore::of(caller.store()).instances[instance].may_leave)
                                     return std::unexpected(cannot_leave());
                                   return drop_handle(caller.store(), instance, type, uint32_t(slots[0]));
                                 });
}

// ---- host-held handles ----

ResourceAny host_handle_new(Store& store, ResourceType type, uint32_t rep, bool own, uint32_t lender_instance,
                            uint32_t lender_handle) {
  ComponentStore& cs = ComponentStore::of(store);
  uint32_t index;
  if (!cs.host_free.empty()) {
    index = cs.host_free.back();
    cs.host_free.pop_back();
  } else {
    cs.host_handles.emplace_back();
    index = uint32_t(cs.host_handles.size() - 1);
  }
  HostHandle& h = cs.host_handles[index];
  h.type = type;
  h.rep = rep;
  h.own = own;
  h.live = true;
  ++h.generation;
  h.lender_instance = lender_instance;
  h.lender_handle = lender_handle;
  return ResourceAny(store.id(), index, h.generation, type, own);
}

TrapResult<HostHandle*> host_handle_get(Store& store, const ResourceAny& r) {
  ComponentStore& cs = ComponentStore::of(store);
  if (r.store_id() != store.id() || r.index() == 0 || r.index() >= cs.host_handles.size() ||
      !cs.host_handles[r.index()].live || cs.host_handles[r.index()].generation != r.generation())
    return std::unexpected(
        Trap(TrapCode::kUnknownHandle, "unknown handle: the resource was moved or dropped"));
  return &cs.host_handles[r.index()];
}

void host_handle_release(Store& store, uint32_t index) {
  ComponentStore& cs = ComponentStore::of(store);
  cs.host_handles[index].live = false;
  cs.host_free.push_back(index);
}

}  // namespace airwasm::component::rt

namespace airwasm::component {

Result<ResourceAny> resource_new_own(Store& store, ResourceType type, uint32_t rep) {
  if (!type.is_host())
    return make_error(ErrorKind::kUsage, "resource_new_own needs a host-defined resource type");
  return rt::host_handle_new(store, type, rep, true, ~uint32_t{0}, 0);
}

Result<uint32_t> resource_rep(Store& store, const ResourceAny& handle) {
  auto h = rt::host_handle_get(store, handle);
  if (!h) return make_error(ErrorKind::kUsage, h.error().message());
  if (!(*h)->type.is_host())
    return make_error(ErrorKind::kUsage,
                      "the representation of a guest-defined resource is private to its component");
  return (*h)->rep;
}

Result<void> resource_drop(Store& store, const ResourceAny& handle) {
  auto h = rt::host_handle_get(store, handle);
  if (!h) return make_error(ErrorKind::kUsage, h.error().message());
  const rt::HostHandle copy = **h;
  rt::host_handle_release(store, handle.index());
  if (!copy.own) return {};
  auto r = rt::run_dtor(store, copy.type, copy.rep, rt::kNoInstance);
  if (!r) return make_error(ErrorKind::kUninstantiable, r.error().message());
  return {};
}

}  // namespace airwasm::component
