// runtime: calling functions from the host (Func::call), host functions (Func::wrap), conversion between
// Val and interpreter slots, and turning the interpreter's trap state into a Trap with a backtrace.
#include <algorithm>
#include <cstring>

#include "airwasm/typed_func.hh"
#include "runtime/internal.hh"

namespace airwasm {

namespace internal {

uint64_t ref_to_slot(const StoreImpl& store, ValType type, Ref ref) {
  if (ref.is_null()) return 0;
  if (type == ValType::kExternRef) return ref.bits;
  const uint64_t index = ref.bits - 1;
  return index < store.funcs.size() ? reinterpret_cast<uint64_t>(store.funcs[index].get()) : 0;
}

Ref slot_to_ref(ValType type, uint64_t bits) {
  if (bits == 0) return Ref{};
  if (type == ValType::kExternRef) return Ref{bits};
  return Ref{uint64_t(reinterpret_cast<const interp::FuncInst*>(bits)->store_index) + 1};
}

void val_to_slots(const StoreImpl& store, const Val& v, uint64_t* slots) {
  switch (v.type()) {
    case ValType::kI32:
      slots[0] = uint32_t(v.i32());
      break;
    case ValType::kI64:
      slots[0] = uint64_t(v.i64());
      break;
    case ValType::kF32:
      slots[0] = v.f32_bits();
      break;
    case ValType::kF64:
      slots[0] = v.f64_bits();
      break;
    case ValType::kV128:
      std::memcpy(slots, v.raw(), 16);
      break;
    case ValType::kFuncRef:
    case ValType::kExternRef:
      slots[0] = ref_to_slot(store, v.type(), v.ref());
      break;
    case ValType::kExnRef:
      slots[0] = 0;
      break;  // only null: the host cannot make exceptions (value.hh)
    case ValType::kBottom:
      break;
  }
}

Val slots_to_val(const StoreImpl& store, ValType type, const uint64_t* slots) {
  switch (type) {
    case ValType::kI32:
      return Val::i32(int32_t(uint32_t(slots[0])));
    case ValType::kI64:
      return Val::i64(int64_t(slots[0]));
    case ValType::kF32:
      return Val::f32_bits(uint32_t(slots[0]));
    case ValType::kF64:
      return Val::f64_bits(slots[0]);
    case ValType::kV128: {
      V128 v;
      std::memcpy(v.bytes, slots, 16);
      return Val::v128(v);
    }
    case ValType::kFuncRef:
      return Val::funcref(slot_to_ref(type, slots[0]));
    case ValType::kExternRef:
      return Val::externref(slots[0]);
    case ValType::kExnRef:
      return Val::exnref(Ref{slots[0]});
    case ValType::kBottom:
      break;
  }
  return Val();
}

bool val_matches(const StoreImpl&, const Val& v, ValType type) {
  return v.type() == type;
}

RawHostCallback adapt_val_callback(const FuncType& type, HostCallback callback) {
  return [type, cb = std::move(callback)](Caller& caller, uint64_t* slots) -> TrapResult<void> {
    const StoreImpl& s = caller.store().impl();
    std::vector<Val> params;
    params.reserve(type.params.size());
    const uint64_t* p = slots;
    for (ValType t : type.params) {
      params.push_back(slots_to_val(s, t, p));
      p += t == ValType::kV128 ? 2 : 1;
    }
    std::vector<Val> results;
    results.reserve(type.results.size());
    for (ValType t : type.results) results.push_back(Val::zero(t));
    AIRWASM_TRY(cb(caller, params, results));
    uint64_t* q = slots;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].type() != type.results[i])
        return std::unexpected(usage_trap("host function returned a value of the wrong type"));
      val_to_slots(s, results[i], q);
      q += type.results[i] == ValType::kV128 ? 2 : 1;
    }
    return {};
  };
}

Trap StoreImpl::make_trap(size_t frame_base) {
  Trap trap = exec.host_trap ? *exec.host_trap : Trap(exec.trap);
  exec.host_trap.reset();
  if (exec.trap_detail != interp::ExecContext::kNoTrapDetail) {
    trap = Trap(trap.code(), trap.message() + " " + std::to_string(exec.trap_detail));
    exec.trap_detail = interp::ExecContext::kNoTrapDetail;
  }
  std::vector<FrameInfo> frames;
  for (interp::Frame* f = exec.frame_top; f-- > exec.frames_begin + frame_base;) {
    const interp::FuncInst* fn = f->func;
    FrameInfo info;
    if (fn->code) {
      const auto* rec = static_cast<const InstanceRecord*>(fn->instance->owner);
      const wasm::Module& m = *rec->module->module;
      info.func_index = fn->code->func_index;
      // The innermost frame stopped at the trapping instruction; every other frame at a call, and its
      // callee's frame remembers where it returns to (one past the call, hence the -1).
      const uint8_t* pc = f + 1 == exec.frame_top ? exec.trap_pc
                          : f[1].return_pc        ? f[1].return_pc - 1
                                                  : nullptr;
      const uint8_t* entry = fn->code->entry;
      if (pc && entry && pc >= entry && pc < entry + fn->code->code_size)
        info.module_offset = interp::module_offset_at(*fn->code, uint32_t(pc - entry));
      info.module_name = m.names.module_name.value_or("");
      auto it = m.names.function_names.find(info.func_index);
      if (it != m.names.function_names.end()) info.func_name = it->second;
    } else {
      info.func_name = "<host>";
    }
    frames.push_back(std::move(info));
  }
  trap.set_backtrace(std::move(frames));
  return trap;
}

}  // namespace internal

using internal::StoreImpl;

static TrapResult<const interp::FuncInst*> lookup(const Store& store, const Func& f) {
  const StoreImpl& s = store.impl();
  if (f.store_id() != s.id || f.index() >= s.funcs.size())
    return std::unexpected(internal::usage_trap("function does not belong to this store"));
  return s.funcs[f.index()].get();
}

Func Func::wrap_raw(Store& store, FuncType type, RawHostCallback callback) {
  interp::FuncInst* f = store.impl().add_host_func(type, std::move(callback));
  return Func(store.id(), f->store_index);
}

Func Func::wrap(Store& store, FuncType type, HostCallback callback) {
  RawHostCallback raw = internal::adapt_val_callback(type, std::move(callback));
  return wrap_raw(store, std::move(type), std::move(raw));
}

FuncType Func::type(const Store& store) const {
  auto f = lookup(store, *this);
  return f ? *(*f)->type : FuncType{};
}

TrapResult<void> Func::call(Store& store, std::span<const Val> args, std::span<Val> results) const {
  AIRWASM_TRY_ASSIGN(const interp::FuncInst* f, lookup(store, *this));
  return store.impl().call(f, args, results);
}

TrapResult<void> Func::call(Store& store, std::span<const Val> args, std::span<Val> results,
                            const CallOptions& options) const {
  AIRWASM_TRY_ASSIGN(const interp::FuncInst* f, lookup(store, *this));
  return store.impl().call(f, args, results, &options);
}

TrapResult<std::vector<Val>> Func::call(Store& store, std::span<const Val> args) const {
  AIRWASM_TRY_ASSIGN(const interp::FuncInst* f, lookup(store, *this));
  std::vector<Val> results(f->type->results.size());
  AIRWASM_TRY(store.impl().call(f, args, results));
  return results;
}

Ref Func::to_ref(const Store&) const {
  return Ref{uint64_t(index_) + 1};
}

std::optional<Func> Func::from_ref(const Store& store, Ref ref) {
  if (ref.is_null() || ref.bits - 1 >= store.impl().funcs.size()) return std::nullopt;
  return Func(store.id(), uint32_t(ref.bits - 1));
}

// ---- typed host functions (airwasm/typed_func.hh) ----

Ref typed::funcref_from_slot(uint64_t bits) {
  return internal::slot_to_ref(ValType::kFuncRef, bits);
}
uint64_t typed::funcref_to_slot(Caller& caller, Ref ref) {
  return internal::ref_to_slot(caller.store().impl(), ValType::kFuncRef, ref);
}

// ---- Caller ----

std::optional<Extern> Caller::get_export(std::string_view name) const {
  if (!instance_) return std::nullopt;
  const auto* rec = static_cast<const internal::InstanceRecord*>(instance_);
  return rec->find_export(name);
}

std::optional<Memory> Caller::memory() const {
  if (!instance_) return std::nullopt;
  const auto* rec = static_cast<const internal::InstanceRecord*>(instance_);
  const interp::MemoryInst* m = rec->data.memory0;
  if (!m) return std::nullopt;
  return Memory(store_->id(), m->store_index);
}

TrapResult<void> Caller::consume_fuel(uint64_t fuel) const {
  StoreImpl& s = store_->impl();
  if (!s.fuel_enabled()) return {};
  // Spend from the running budget first, then from the reserve (a host function's work is not sliced).
  uint64_t need = fuel;
  const uint64_t from_budget = std::min<uint64_t>(need, uint64_t(s.exec.fuel));
  s.exec.fuel -= int64_t(from_budget);
  need -= from_budget;
  if (need > s.exec.fuel_reserve) {
    s.exec.fuel_reserve = 0;
    return std::unexpected(Trap(TrapCode::kOutOfFuel));
  }
  s.exec.fuel_reserve -= need;
  return {};
}

void Caller::request_yield() const {
  store_->impl().exec.yield_requested = true;
}

}  // namespace airwasm
