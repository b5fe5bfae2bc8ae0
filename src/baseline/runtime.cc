// baseline: running compiled code. run() continues an activation in whichever tier has the code at ctx.pc
// (compiled code where the running function has a resume point there, else the interpreter) until it ends,
// traps or suspends; the tiers hand over with RunStatus::kSwitchTier at calls and returns. The helpers
// compiled code calls do what the interpreter's paths of the same name do (src/interp/interpreter.cc:
// out_of_fuel, interrupted, do_call), so fuel, traps, suspension and backtraces are the same in both tiers.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>

#include "airwasm/extern.hh"
#include "baseline/helpers.hh"
#include "baseline/native.hh"

namespace airwasm::baseline {

using interp::ExecContext;
using interp::RunStatus;

bool available() {
#if defined(__x86_64__)
  static const bool ok = __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("popcnt") &&
                         __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("bmi");
  return ok;
#else
  return false;
#endif
}

uint32_t helper_out_of_fuel(ExecContext* ctx, uint32_t cost, const uint8_t* pc) {
  const int64_t pending = cost;
  if (ctx->fuel_is_slice) {
    if (ctx->host_depth == 0) {
      ctx->pending_charge = pending;
      ctx->pc = pc;
      return kNativeSuspended;
    }
    // A nested activation cannot suspend: it continues on the reserve, and the top-level activation
    // suspends as soon as control is back in it (slice_overrun).
    const uint64_t moved = std::min<uint64_t>(ctx->fuel_reserve, uint64_t(INT64_MAX - ctx->fuel));
    ctx->fuel += int64_t(moved);
    ctx->fuel_reserve -= moved;
    ctx->fuel_is_slice = false;
    ctx->slice_overrun = true;
    if (ctx->fuel >= pending) {
      ctx->fuel -= pending;
      return 0;
    }
  }
  ctx->trap = TrapCode::kOutOfFuel;
  ctx->trap_pc = pc;
  ctx->pc = pc;
  return kNativeTrap;
}

uint32_t helper_interrupted(ExecContext* ctx, const uint8_t* pc) {
  const uint32_t reason = ctx->interrupt->exchange(interp::kNoInterrupt, std::memory_order_relaxed);
  ctx->trap = reason == interp::kDeadlineReached ? TrapCode::kDeadlineExceeded : TrapCode::kInterrupted;
  ctx->trap_pc = pc;
  ctx->pc = pc;
  return kNativeTrap;
}

namespace {

uintptr_t trap_at(ExecContext* ctx, TrapCode code, const uint8_t* pc) {
  ctx->trap = code;
  ctx->trap_pc = pc;
  ctx->pc = pc;
  return kNativeTrap;
}

}  // namespace

uintptr_t helper_call(ExecContext* ctx, const CallSite* site, const void* native_return) {
  interp::InstanceData* inst = ctx->instance;
  uint64_t* fp = ctx->fp;
  const interp::FuncInst* callee;
  if (site->indirect) {
    const interp::TableInst* table = inst->tables[site->table];
    uint32_t index;
    std::memcpy(&index, reinterpret_cast<const uint8_t*>(fp) + site->index_slot, 4);
    if (index >= table->elems.size()) [[unlikely]]
      return trap_at(ctx, TrapCode::kUndefinedElement, site->call_pc);
    callee = reinterpret_cast<const interp::FuncInst*>(table->elems[index]);
    if (callee == nullptr) [[unlikely]] {
      ctx->trap_detail = index;
      return trap_at(ctx, TrapCode::kUninitializedElement, site->call_pc);
    }
    if (callee->type_id != site->func_or_type) [[unlikely]]
      return trap_at(ctx, TrapCode::kIndirectCallTypeMismatch, site->call_pc);
  } else {
    callee = inst->funcs[site->func_or_type];
  }
  uint64_t* args = reinterpret_cast<uint64_t*>(reinterpret_cast<uint8_t*>(fp) + site->args_slot);

  if (callee->is_host()) {
    ctx->pc = site->return_pc;
    ctx->host_stack_top = args + std::max(callee->param_slots, callee->result_slots);
    ++ctx->host_depth;
    TrapCode code = TrapCode::kUnreachable;
    const bool ok = interp::call_host(*ctx, callee, inst->owner, args, code);
    --ctx->host_depth;
    if (!ok) [[unlikely]] {
      if (ctx->retry_requested) {
        // Store::suspend_and_retry: suspend at the call instruction, which runs again on resumption.
        ctx->retry_requested = false;
        ctx->rerun_pending = true;
        ctx->pending_charge = 0;
        ctx->pc = site->call_pc;
        return kNativeSuspended;
      }
      return trap_at(ctx, code, site->return_pc);
    }
    if ((ctx->yield_requested || ctx->slice_overrun) && ctx->host_depth == 0) [[unlikely]] {
      const bool suspend_now = ctx->sliced;
      ctx->yield_requested = false;
      ctx->slice_overrun = false;
      if (suspend_now) {
        ctx->pending_charge = site->charged ? site->continuation_cost : 0;
        ctx->pc = site->return_pc;
        return kNativeSuspended;
      }
    }
    return reinterpret_cast<uintptr_t>(native_return);
  }

  const interp::CompiledFunc* code = callee->code;
  if (ctx->frame_top == ctx->frames_end || args + code->frame_slots > ctx->stack_end) [[unlikely]]
    return trap_at(ctx, TrapCode::kCallStackExhausted, site->call_pc);
  if (ctx->interrupt->load(std::memory_order_relaxed)) [[unlikely]]
    return helper_interrupted(ctx, site->call_pc);
  interp::Frame* frame = ctx->frame_top++;
  frame->func = callee;
  frame->return_pc = site->return_pc;
  frame->caller_fp = fp;
  frame->caller_instance = inst;
  frame->native_return = native_return;
  std::memset(args + code->param_slots, 0, size_t(code->local_slots) * 8);
  ctx->fp = args;
  ctx->instance = callee->instance;
  const auto* native = static_cast<const NativeFunc*>(code->native.get());
  // An interpreted callee is counted as the interpreter's do_call counts it (lazy tiering).
  if (!native && interp::count_and_tier_up(*code, *callee->instance->code, interp::kTierCallUnits))
      [[unlikely]]
    native = static_cast<const NativeFunc*>(code->native.get());
  if (native) {
    callee->compiled_call_entry =
        callee->instance->code->metered ? native->entry_zeroing_charged : native->entry_zeroing;
    return reinterpret_cast<uintptr_t>(site->charged ? native->entry_charged : native->entry);
  }
  ctx->pc = code->entry;
  ctx->pending_charge = site->charged ? code->entry_cost : 0;
  return kNativeSwitchTier;
}

namespace {

// The resume point of `nf` at ctx.pc, or null (the interpreter runs that instruction).
const ResumePoint* resume_point(const NativeFunc& nf, const uint8_t* pc) {
  const uint32_t at = uint32_t(pc - nf.func->entry);
  auto it = std::lower_bound(nf.resume.begin(), nf.resume.end(), at,
                             [](const ResumePoint& r, uint32_t v) { return r.lowered < v; });
  return it != nf.resume.end() && it->lowered == at ? &*it : nullptr;
}

RunStatus to_run_status(uint32_t native) {
  switch (native) {
    case kNativeDone:
      return RunStatus::kDone;
    case kNativeSuspended:
      return RunStatus::kSuspended;
    case kNativeSwitchTier:
      return RunStatus::kSwitchTier;
    default:
      return RunStatus::kTrap;
  }
}

// One stretch in compiled code from ctx.pc, after paying the pending charge as the interpreter's entry does.
RunStatus run_native(ExecContext& ctx, const NativeFunc& nf, const ResumePoint& at) {
  if (ctx.pending_charge) {
    const int64_t pending = ctx.pending_charge;
    ctx.pending_charge = 0;
    if (ctx.fuel < pending) {
      const uint32_t status = helper_out_of_fuel(&ctx, uint32_t(pending), ctx.pc);
      if (status != 0) return to_run_status(status);
    } else {
      ctx.fuel -= pending;
    }
  }
  ++ctx.native_runs;
  return to_run_status(nf.enter(&ctx, nf.code_base + at.native));
}

}  // namespace

bool NativeModule::can_enter_at(const interp::CompiledFunc& f, const uint8_t* pc) const {
  const auto* nf = static_cast<const NativeFunc*>(f.native.get());
  return nf && resume_point(*nf, pc);
}

RunStatus run(ExecContext& ctx) {
  for (;;) {
    const interp::Frame& top = ctx.frame_top[-1];
    const auto* nf = static_cast<const NativeFunc*>(top.func->code->native.get());
    const ResumePoint* at = nf ? resume_point(*nf, ctx.pc) : nullptr;
    const RunStatus status = at ? run_native(ctx, *nf, *at) : interp::run(ctx);
    if (status != RunStatus::kSwitchTier) return status;
  }
}

RunStatus invoke(ExecContext& ctx, const interp::FuncInst* func, uint64_t* args) {
  const RunStatus status = interp::invoke(ctx, func, args);
  return status == RunStatus::kSwitchTier ? baseline::run(ctx) : status;
}

}  // namespace airwasm::baseline
