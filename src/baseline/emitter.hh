// baseline: the interface between the translator's driver (translate.cc: control flow, calls, fuel, stubs)
// and the files that translate families of lowered ops (ops_integer.cc, ops_float.cc, ops_memory.cc). An op
// family file sees one lowered instruction at a time through OpEmitter: its operands, its frame slots, and
// the ways it may leave (a trap at this instruction, a call to a C++ helper). It emits code that reads its
// operands from their slots and writes its result to its slot, exactly as the interpreter's handler does
// (src/interp/interpreter.cc is the specification: same results, same trap codes at the same instruction).
//
// Machine state while compiled code runs (docs/compiler.md, "Registers"): the pinned registers below are
// callee-saved in the System V ABI, so they survive calls to C++ helpers. An op may use rax, rcx, rdx,
// xmm0 and xmm1 as scratch, and the argument registers only to call a helper. The driver holds the most
// used locals in rsi, rdi, r8-r10 (r14 without fuel) and xmm2-xmm14, a set per loop and one for the code
// outside loops (the op sees only the current one), and the assembler rewrites the
// op's slot operands that name them (r11 and xmm15 are its own scratch for that); an op that calls a
// helper is emitted between a spill and a reload of those registers (translate.cc), so it may use any
// caller-saved register. Every other value lives in its frame slot between ops.
#pragma once

#include <cstdint>
#include <cstring>

#include "airwasm/error.hh"
#include "airwasm/trap.hh"
#include "interp/iop.hh"
#include "jit/x64_assembler.hh"

namespace airwasm::baseline {

inline constexpr jit::Reg kCtxReg = jit::Reg::rbx;      // interp::ExecContext*
inline constexpr jit::Reg kFpReg = jit::Reg::r15;       // frame base: slot byte offsets are relative to it
inline constexpr jit::Reg kFuelReg = jit::Reg::r14;     // the activation's fuel budget (int64), if metered
inline constexpr jit::Reg kInstReg = jit::Reg::rbp;     // interp::InstanceData* of the running function
inline constexpr jit::Reg kMemBaseReg = jit::Reg::r13;  // the selected memory's base (memory 0 by default)
inline constexpr jit::Reg kMemSizeReg = jit::Reg::r12;  // its size in bytes (uint64)

// What a C++ helper called from compiled code may do, so the call site saves and restores only that.
enum class HelperEffects : uint8_t {
  kPure,        // reads only its arguments (float conversions, min/max): nothing is saved
  kState,       // reads or writes the Store's state (tables, globals, data segments): ctx->fp/fuel saved
  kGrowMemory,  // may grow or replace memories: as kState, and memory registers are reloaded after
};

class OpEmitter {
 public:
  virtual ~OpEmitter() = default;

  jit::Assembler& as() { return *as_; }
  uint32_t pos() const { return pos_; }      // lowered offset of the instruction (within its function)
  const uint8_t* pc() const { return pc_; }  // its first byte (the handler address)

  // Operand n: the u32 field at byte 8 + 4n (iops.def names them; `s` fields are slot byte offsets).
  uint32_t opnd(int n) const { return rd<uint32_t>(8 + 4 * n); }
  // The raw field of type T at byte offset `at` of the instruction (i64 / f64 immediates are unaligned).
  template <typename T>
  T rd(int at) const {
    T v;
    std::memcpy(&v, pc_ + at, sizeof v);
    return v;
  }
  // The frame slot whose byte offset is operand n ([r15 + opnd(n)]); `extra` addresses within it (v128).
  jit::Mem slot(int n, int32_t extra = 0) const { return jit::mem(kFpReg, int32_t(opnd(n)) + extra); }

  // Leaves with trap `code` at this instruction when condition `c` holds after the op's last flag-setting
  // instruction (the stub is out of line). trap() leaves unconditionally.
  virtual void trap_if(jit::Cond c, TrapCode code) = 0;
  virtual void trap(TrapCode code) = 0;

  // Calls the C++ function `fn` (System V: integer arguments already in rdi, rsi, rdx, rcx, r8, r9, float
  // arguments in xmm0-7; the result in rax / xmm0). The stack is aligned; pinned registers survive.
  virtual void call_helper(const void* fn, HelperEffects effects) = 0;
  // As call_helper for a helper that returns a TrapCode + 1 in eax when it traps (0: no trap); leaves with
  // that trap at this instruction. Helpers with these signatures take ExecContext* as first argument when
  // they need it (rdi = kCtxReg is the caller's to set).
  virtual void call_trapping_helper(const void* fn, HelperEffects effects) = 0;

  // Points the memory registers at memory `index` of the running instance (MemSelect) or back at memory 0.
  virtual void select_memory(uint32_t index) = 0;
  virtual void restore_memory0() = 0;

 protected:
  jit::Assembler* as_ = nullptr;
  uint32_t pos_ = 0;
  const uint8_t* pc_ = nullptr;
};

// The op family translators. Each returns the size of the lowered instruction (so the driver can go on) if
// it translated `op`, 0 if `op` is not one of its family, or kUnsupported if it is but cannot be
// translated (the function then stays interpreted).
Result<uint32_t> emit_integer_op(OpEmitter& e, interp::IOp op);
Result<uint32_t> emit_float_op(OpEmitter& e, interp::IOp op);
Result<uint32_t> emit_memory_op(OpEmitter& e, interp::IOp op);
Result<uint32_t> emit_simd_op(OpEmitter& e, interp::IOp op);

// The bounds check of a linear-memory access of `bytes` at rax + offset (rax = the zero-extended 32-bit
// address; ea + bytes > memory size traps at this instruction). Returns the operand that addresses the
// checked bytes (ops_memory.cc; the SIMD loads and stores use it too).
jit::Mem checked_address(OpEmitter& e, uint32_t offset, uint32_t bytes);

// Field offsets of the runtime structures compiled code reads (ExecContext, InstanceData, MemoryInst, ...),
// measured once: these types are not standard-layout, so offsetof is not allowed.
struct Layout {
  int32_t ctx_fp, ctx_fuel, ctx_frame_top, ctx_interrupt, ctx_instance, ctx_pc, ctx_trap, ctx_trap_pc,
      ctx_pending_charge, ctx_frames_end, ctx_stack_end, ctx_native_sp, ctx_native_frames_end,
      ctx_native_frames_base;
  int32_t inst_funcs, inst_tables, inst_memories, inst_globals, inst_memory0;  // vector data() pointers
  int32_t mem_base, mem_size;                                                  // MemoryInst
  int32_t global_value;                                                        // GlobalInst
  int32_t native_entry, native_entry_charged;                                  // NativeFunc
  int32_t table_elems;  // TableInst: the elements' vector (data pointer, then end pointer)
  int32_t func_type_id, func_instance, func_code, func_call_entry;  // FuncInst
  int32_t code_native, code_frame_slots;                            // CompiledFunc
};
const Layout& layout();

}  // namespace airwasm::baseline
