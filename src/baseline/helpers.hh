// baseline: the C++ functions compiled code calls for what it does not do inline (runtime.cc), and the
// status codes its exits return. Each helper does exactly what the interpreter's corresponding path does
// (src/interp/interpreter.cc), writing the same ExecContext fields, so both tiers stop, trap and continue
// at the same lowered positions with the same state.
#pragma once

#include <cstdint>

#include "baseline/native.hh"
#include "interp/exec.hh"

namespace airwasm::baseline {

// What compiled code returns to run() in eax. ctx then holds the state, as after the interpreter's exits.
enum NativeStatus : uint32_t {
  kNativeDone = 0,         // the activation's entry frame returned
  kNativeTrap = 1,         // ctx.trap / trap_pc set
  kNativeSuspended = 2,    // ctx.pc (and pending_charge) where to resume
  kNativeSwitchTier = 3,   // continue at ctx.pc in whichever tier has it (pending_charge first)
  kNativeStatusLimit = 16  // helper results below this are statuses, above are native addresses
};

// The interpreter's out_of_fuel exit for the block at `pc` costing `cost` that the budget cannot pay: 0 if
// it was paid from the reserve (a nested activation: continue), else the status to leave with.
uint32_t helper_out_of_fuel(interp::ExecContext* ctx, uint32_t cost, const uint8_t* pc);
// The interpreter's `interrupted` exit at `pc`.
uint32_t helper_interrupted(interp::ExecContext* ctx, const uint8_t* pc);
// A call instruction (site) from compiled code whose frame is at ctx->fp, running ctx->instance, with fuel
// in ctx->fuel; `native_return` is the caller's native continuation. Returns the native address to
// continue at (a compiled callee's entry, or `native_return` after a host function), or a NativeStatus with
// ctx updated (fp, instance, fuel are always current when it returns).
uintptr_t helper_call(interp::ExecContext* ctx, const CallSite* site, const void* native_return);

}  // namespace airwasm::baseline
