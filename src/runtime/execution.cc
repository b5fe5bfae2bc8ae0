// runtime: running calls on a Store: argument/result marshalling, fuel accounting (whole budget or a
// slice), per-call deadlines, and sliced calls that suspend and resume (SlicedCall).
#include <algorithm>
#include <limits>

#include "runtime/deadline_timer.hh"
#include "runtime/internal.hh"

namespace airwasm {

namespace internal {

// ---- fuel ----

void StoreImpl::load_fuel(std::optional<uint64_t> slice) {
  exec.fuel_is_slice = false;
  exec.slice_overrun = false;
  if (!fuel_enabled()) return;
  const uint64_t total = fuel_remaining;
  uint64_t budget = slice ? std::min(*slice, total) : total;
  budget = std::min<uint64_t>(budget, std::numeric_limits<int64_t>::max());
  exec.fuel = int64_t(budget);
  exec.fuel_reserve = total - budget;
  exec.fuel_is_slice = slice.has_value() && *slice < total;
  fuel_snapshot = total;
}

void StoreImpl::save_fuel() {
  if (!fuel_enabled()) return;
  const uint64_t left = uint64_t(exec.fuel) + exec.fuel_reserve;
  fuel_consumed += fuel_snapshot - std::min(left, fuel_snapshot);
  fuel_remaining = left;
  exec.fuel = 0;
  exec.fuel_reserve = 0;
}

uint64_t StoreImpl::live_fuel() const {
  return call_active && !sliced_suspended ? uint64_t(exec.fuel) + exec.fuel_reserve : fuel_remaining;
}

void StoreImpl::adjust_live_fuel(uint64_t fuel) {
  if (!(call_active && !sliced_suspended)) {
    fuel_remaining = fuel;
    return;
  }
  // Keep the consumption count right: the snapshot moves by the same amount as the remainder.
  const uint64_t live = uint64_t(exec.fuel) + exec.fuel_reserve;
  fuel_snapshot = fuel_snapshot + fuel - live;
  exec.fuel = int64_t(std::min<uint64_t>(fuel, std::numeric_limits<int64_t>::max()));
  exec.fuel_reserve = fuel - uint64_t(exec.fuel);
  exec.fuel_is_slice = false;
}

// ---- marshalling ----

TrapResult<void> StoreImpl::check_args(const interp::FuncInst* func, std::span<const Val> args,
                                       size_t num_results) {
  const FuncType& type = *func->type;
  if (args.size() != type.params.size())
    return std::unexpected(usage_trap("wrong number of arguments: expected " +
                                      std::to_string(type.params.size()) + ", got " +
                                      std::to_string(args.size())));
  if (num_results != type.results.size()) return std::unexpected(usage_trap("wrong number of result slots"));
  for (size_t i = 0; i < args.size(); ++i)
    if (!val_matches(*this, args[i], type.params[i]))
      return std::unexpected(usage_trap("argument " + std::to_string(i) + " has type " +
                                        valtype_name(args[i].type()) + ", expected " +
                                        valtype_name(type.params[i])));
  return {};
}

void StoreImpl::write_args(std::span<const Val> args, uint64_t* base) {
  for (const Val& v : args) {
    val_to_slots(*this, v, base);
    base += v.type() == ValType::kV128 ? 2 : 1;
  }
}

void StoreImpl::read_results(const interp::FuncInst* func, const uint64_t* base, std::span<Val> results) {
  const FuncType& type = *func->type;
  for (size_t i = 0; i < type.results.size(); ++i) {
    results[i] = slots_to_val(*this, type.results[i], base);
    base += type.results[i] == ValType::kV128 ? 2 : 1;
  }
}

// ---- ordinary calls ----

TrapResult<void> StoreImpl::call(const interp::FuncInst* func, std::span<const Val> args,
                                 std::span<Val> results, const CallOptions* options) {
  AIRWASM_TRY(check_args(func, args, results.size()));
  // Values in slot form (v128 takes two slots); small signatures stay on the native stack.
  uint64_t small[16];
  std::vector<uint64_t> large;
  const size_t n = std::max(func->param_slots, func->result_slots);
  uint64_t* slots = small;
  if (n > 16) {
    large.resize(n);
    slots = large.data();
  }
  write_args(args, slots);
  AIRWASM_TRY(call_slots(func, slots, options));
  read_results(func, slots, results);
  return {};
}

TrapResult<void> StoreImpl::call_slots(const interp::FuncInst* func, uint64_t* slots,
                                       const CallOptions* options) {
  const bool top_level = exec.host_depth == 0;
  if (top_level && call_active) return std::unexpected(usage_trap("the store has a suspended call"));
  uint64_t* base = top_level ? exec.stack_begin : exec.host_stack_top;
  if (base + std::max(func->param_slots, func->result_slots) > exec.stack_end)
    return std::unexpected(Trap(TrapCode::kCallStackExhausted));
  std::copy_n(slots, func->param_slots, base);

  uint64_t ticket = 0;
  if (top_level) {
    load_fuel(std::nullopt);
    exec.sliced = false;
    call_active = true;
    if (options && options->timeout)
      ticket = DeadlineTimer::instance().arm(interrupt, DeadlineTimer::Clock::now() + *options->timeout);
  }
  const size_t frame_base = size_t(exec.frame_top - exec.frames_begin);
  const uint8_t* saved_pc = exec.pc;
  uint64_t* saved_fp = exec.fp;
  interp::InstanceData* saved_instance = exec.instance;
  const interp::RunStatus status = baseline::invoke(exec, func, base);
  if (top_level) {
    if (ticket) DeadlineTimer::instance().disarm(interrupt, ticket);
    save_fuel();
    call_active = false;
  }
  exec.pc = saved_pc;
  exec.fp = saved_fp;
  exec.instance = saved_instance;
  if (status != interp::RunStatus::kDone) {
    Trap trap = status == interp::RunStatus::kTrap ? make_trap(frame_base)
                                                   : usage_trap("call suspended outside of sliced execution");
    exec.frame_top = exec.frames_begin + frame_base;
    return std::unexpected(std::move(trap));
  }
  std::copy_n(base, func->result_slots, slots);
  return {};
}

// ---- sliced calls ----

TrapResult<CallStatus> StoreImpl::start_sliced(const interp::FuncInst* func, std::span<const Val> args,
                                               uint64_t slice) {
  AIRWASM_TRY(check_args(func, args, func->type->results.size()));
  std::vector<uint64_t> slots(func->param_slots);
  write_args(args, slots.data());
  return start_sliced_slots(func, slots.data(), slice);
}

TrapResult<CallStatus> StoreImpl::start_sliced_slots(const interp::FuncInst* func, const uint64_t* args,
                                                     uint64_t slice) {
  if (!fuel_enabled())
    return std::unexpected(usage_trap("sliced calls require fuel metering (EngineConfig::consume_fuel)"));
  if (exec.host_depth > 0)
    return std::unexpected(usage_trap("a sliced call cannot start inside a host function"));
  if (call_active) return std::unexpected(usage_trap("the store already has a call in progress"));
  uint64_t* base = exec.stack_begin;
  if (base + std::max(func->param_slots, func->result_slots) > exec.stack_end)
    return std::unexpected(Trap(TrapCode::kCallStackExhausted));
  std::copy_n(args, func->param_slots, base);
  ++sliced_generation;
  sliced_func = func;
  call_active = true;
  exec.sliced = true;
  load_fuel(slice);
  return finish_slice(baseline::invoke(exec, func, base));
}

TrapResult<CallStatus> StoreImpl::resume_sliced(uint64_t slice) {
  if (!sliced_suspended) return std::unexpected(usage_trap("no suspended call to resume"));
  sliced_suspended = false;
  blocked_on.reset();
  load_fuel(slice);
  return finish_slice(baseline::run(exec));
}

TrapResult<CallStatus> StoreImpl::finish_slice(interp::RunStatus status) {
  save_fuel();
  if (status == interp::RunStatus::kSuspended) {
    sliced_suspended = true;
    return CallStatus::kSuspended;
  }
  blocked_on.reset();
  call_active = false;
  exec.sliced = false;
  exec.rerun_pending = false;  // a call that trapped before its host call ran again
  if (status == interp::RunStatus::kTrap) {
    Trap trap = make_trap(0);
    exec.frame_top = exec.frames_begin;
    return std::unexpected(std::move(trap));
  }
  return CallStatus::kFinished;
}

void StoreImpl::abandon_sliced() {
  if (!sliced_suspended) return;
  sliced_suspended = false;
  blocked_on.reset();
  call_active = false;
  exec.sliced = false;
  exec.yield_requested = false;
  exec.retry_requested = false;
  exec.rerun_pending = false;
  exec.frame_top = exec.frames_begin;
  ++sliced_generation;
}

}  // namespace internal

// ---- SlicedCall ----

TrapResult<SlicedCall> SlicedCall::start(Store& store, const Func& func, std::span<const Val> args,
                                         uint64_t slice_fuel) {
  internal::StoreImpl& s = store.impl();
  if (func.store_id() != s.id || func.index() >= s.funcs.size())
    return std::unexpected(internal::usage_trap("function does not belong to this store"));
  const interp::FuncInst* f = s.funcs[func.index()].get();
  AIRWASM_TRY_ASSIGN(CallStatus status, s.start_sliced(f, args, slice_fuel));
  SlicedCall call(s.id, s.sliced_generation);
  call.status_ = status;
  if (status == CallStatus::kFinished) {
    call.results_.resize(f->type->results.size());
    s.read_results(f, s.exec.stack_begin, call.results_);
  }
  return call;
}

TrapResult<CallStatus> SlicedCall::check(const Store& store) const {
  const internal::StoreImpl& s = store.impl();
  if (store_id_ != s.id || generation_ != s.sliced_generation)
    return std::unexpected(
        internal::usage_trap("this sliced call does not belong to the store's current call"));
  if (status_ == CallStatus::kFinished)
    return std::unexpected(internal::usage_trap("the call has already finished"));
  return status_;
}

TrapResult<CallStatus> SlicedCall::resume(Store& store, uint64_t slice_fuel) {
  AIRWASM_TRY(check(store));
  internal::StoreImpl& s = store.impl();
  auto status = s.resume_sliced(slice_fuel);
  if (!status) {
    status_ = CallStatus::kFinished;
    return status;
  }
  status_ = *status;
  if (status_ == CallStatus::kFinished) {
    results_.resize(s.sliced_func->type->results.size());
    s.read_results(s.sliced_func, s.exec.stack_begin, results_);
  }
  return status_;
}

void SlicedCall::abandon(Store& store) {
  if (!check(store)) return;
  store.impl().abandon_sliced();
  status_ = CallStatus::kFinished;
}

}  // namespace airwasm
