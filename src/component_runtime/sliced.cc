// component runtime: sliced component calls (airwasm/component/sliced.hh). The call protocol is
// call_lifted's (LiftedCall, func.cc); only the core part differs: it runs as the Store's sliced call
// (StoreImpl::start_sliced_slots / resume_sliced) instead of call_slots, so the LiftedCall lives on the heap
// between slices and keeps its task pushed. When the core call finishes, its results are copied from the
// bottom of the value stack into the call's slots and the lift (with post-return) runs in that same slice.
#include "airwasm/component/sliced.hh"

#include "component_runtime/internal.hh"
#include "runtime/internal.hh"

namespace airwasm::component {

namespace abi {

class SlicedLifted {
 public:
  SlicedLifted(Store& store, uint32_t func, const Marshal& m)
      : call(store, func, m, rt::kNoInstance, false) {}
  rt::LiftedCall call;
  uint64_t generation = 0;  // the Store's sliced_generation of our core call
  bool suspended = false;   // the core call is suspended in the Store (so it can be resumed or abandoned)
};

namespace {

// After a slice: a finished core call has its results at the bottom of the value stack; lift them.
TrapResult<CallStatus> after_slice(Store& store, SlicedLifted& c, TrapResult<CallStatus> status) {
  c.suspended = status && *status == CallStatus::kSuspended;
  if (!status) return status;
  if (*status == CallStatus::kSuspended) return status;
  internal::StoreImpl& s = store.impl();
  std::copy_n(s.exec.stack_begin, c.call.core()->result_slots, c.call.slots());
  AIRWASM_TRY(c.call.lift_and_return());
  return CallStatus::kFinished;
}

}  // namespace

TrapResult<SlicedLiftedPtr> start_sliced(Store& store, const Func& func, const Marshal& m,
                                         uint64_t slice_fuel, CallStatus* status) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (func.store_id() != store.id() || func.index() >= cs.funcs.size())
    return std::unexpected(Trap(TrapCode::kHostError, "function does not belong to this store"));
  if (cs.funcs[func.index()].kind != rt::FuncRec::Kind::kLifted)
    return std::unexpected(
        Trap(TrapCode::kHostError, "only a guest's (lifted) function can be called sliced"));
  internal::StoreImpl& s = store.impl();
  // Checked before entering, so that a refused start leaves the instances as they were.
  if (!s.fuel_enabled())
    return std::unexpected(
        internal::usage_trap("sliced calls require fuel metering (EngineConfig::consume_fuel)"));
  if (s.call_active) return std::unexpected(internal::usage_trap("the store already has a call in progress"));
  SlicedLiftedPtr c(new SlicedLifted(store, func.index(), m));
  AIRWASM_TRY(c->call.enter_and_lower());
  auto r = after_slice(store, *c, s.start_sliced_slots(c->call.core(), c->call.slots(), slice_fuel));
  c->generation = s.sliced_generation;
  if (!r) return std::unexpected(std::move(r.error()));
  *status = *r;
  return c;
}

TrapResult<CallStatus> resume_sliced(Store& store, SlicedLifted& c, uint64_t slice_fuel) {
  internal::StoreImpl& s = store.impl();
  if (!c.suspended || c.generation != s.sliced_generation)
    return std::unexpected(internal::usage_trap("this sliced call is not suspended in this store"));
  return after_slice(store, c, s.resume_sliced(slice_fuel));
}

void abandon_sliced(Store& store, SlicedLifted& c) {
  internal::StoreImpl& s = store.impl();
  if (c.suspended && c.generation == s.sliced_generation) s.abandon_sliced();
  c.suspended = false;
}

void SlicedLiftedDeleter::operator()(SlicedLifted* s) const {
  if (s->suspended) abandon_sliced(s->call.store(), *s);
  delete s;  // ~LiftedCall pops the task
}

}  // namespace abi

// ---- the Val form ----

struct SlicedCall::Results {
  rt::ValCall val;
};

SlicedCall::SlicedCall(std::unique_ptr<Results> results, abi::SlicedLiftedPtr call, CallStatus status)
    : results_(std::move(results)), call_(std::move(call)), status_(status) {
  if (status_ == CallStatus::kFinished) call_.reset();  // pops the task now
}
SlicedCall::SlicedCall(SlicedCall&&) noexcept = default;
SlicedCall& SlicedCall::operator=(SlicedCall&&) noexcept = default;

SlicedCall::~SlicedCall() = default;  // the deleter abandons a call still suspended

TrapResult<SlicedCall> SlicedCall::start(Store& store, const Func& func, std::span<const Val> args,
                                         uint64_t slice_fuel) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (func.store_id() != store.id() || func.index() >= cs.funcs.size())
    return std::unexpected(Trap(TrapCode::kHostError, "function does not belong to this store"));
  const rt::FuncRec& f = cs.funcs[func.index()];
  if (f.kind != rt::FuncRec::Kind::kLifted)
    return std::unexpected(
        Trap(TrapCode::kHostError, "only a guest's (lifted) function can be called sliced"));
  const TypeStore& ts = f.owner->types();
  const TypeNode& fn = ts.node(ts.strip(f.type));
  const std::span<const TypeId> params(fn.children.data(), fn.labels.size());
  if (args.size() != params.size())
    return std::unexpected(Trap(TrapCode::kHostError, "wrong number of arguments: expected " +
                                                          std::to_string(params.size()) + ", got " +
                                                          std::to_string(args.size())));
  auto results = std::make_unique<Results>(
      Results{rt::ValCall{args, params, fn.children.back(), f.core->result_slots, {}}});
  CallStatus status = CallStatus::kFinished;
  auto call = abi::start_sliced(
      store, func, abi::Marshal{&results->val, &rt::ValCall::lower, &rt::ValCall::lift}, slice_fuel, &status);
  if (!call) return std::unexpected(std::move(call.error()));
  results->val.args = {};  // lowered: the caller's span is not needed any more
  return SlicedCall(std::move(results), std::move(*call), status);
}

TrapResult<CallStatus> SlicedCall::resume(Store& store, uint64_t slice_fuel) {
  if (!call_ || status_ == CallStatus::kFinished)
    return std::unexpected(internal::usage_trap("the call has already finished"));
  auto r = abi::resume_sliced(store, *call_, slice_fuel);
  status_ = r ? *r : CallStatus::kFinished;
  if (status_ == CallStatus::kFinished) call_.reset();  // pops the task now, not at destruction
  return r;
}

std::vector<Val> SlicedCall::take_results() {
  return results_ ? std::move(results_->val.results) : std::vector<Val>{};
}

void SlicedCall::abandon(Store& store) {
  if (!call_) return;
  abi::abandon_sliced(store, *call_);
  call_.reset();
  status_ = CallStatus::kFinished;
}

}  // namespace airwasm::component
