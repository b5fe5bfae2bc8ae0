// baseline: the memory, global, table and reference ops (emit_memory_op, see emitter.hh). Loads and stores
// are inline with an explicit bounds check computed in 64-bit exactly as the interpreter's LOAD/STORE
// macros do (ea = zero-extended 32-bit address [+ displacement and scaled index, mod 2^32] + u32 offset;
// ea + size > memory size traps), so no guard region or signal handler is needed (docs/compiler.md,
// "Memory bounds checks"). Globals and ref.func read the instance through kInstReg inline. The bulk
// memory and table ops, memory.grow and table.grow call C++ helpers that do what the interpreter's
// handlers do, with the same trap codes.
//
// Register use: rax = the 32-bit address (zero-extended), rcx = the end of the access for the check, rdx =
// the value (unless a general register holds the loaded or stored slot: then that register); helpers
// take their arguments in rdi, rsi, rdx, rcx, r8, r9.
#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "baseline/emitter.hh"
#include "interp/exec.hh"

namespace airwasm::baseline {

using interp::ExecContext;
using interp::InstanceData;
using interp::IOp;
using jit::Assembler;
using jit::Cond;
using jit::mem;
using jit::Reg;
using jit::Size;

namespace {

constexpr uint32_t trap_result(TrapCode code) {
  return uint32_t(code) + 1;
}
constexpr uint32_t kMemoryOob = trap_result(TrapCode::kMemoryOutOfBounds);
constexpr uint32_t kTableOob = trap_result(TrapCode::kTableOutOfBounds);

// ---- helpers (System V; the trapping ones return TrapCode + 1, 0 = ok) ----
// The memory ones receive the selected memory as (base, size) from kMemBaseReg/kMemSizeReg: inside a
// MemSelect window that is the selected memory, exactly as the interpreter's mem_base/mem_size.

uint32_t memory_grow0(ExecContext* ctx, InstanceData* inst, uint32_t delta) {
  return uint32_t(ctx->memory_grow(*ctx, inst->memory0, delta));
}

uint32_t memory_grow_m(ExecContext* ctx, InstanceData* inst, uint32_t delta, uint32_t memory) {
  return uint32_t(ctx->memory_grow(*ctx, inst->memories[memory], delta));
}

// n_and_segment: n in the low half, the data segment index in the high half (seven arguments do not fit
// in registers).
uint32_t memory_init(InstanceData* inst, uint8_t* base, uint64_t size, uint32_t d, uint32_t s,
                     uint64_t n_and_segment) {
  const uint64_t n = uint32_t(n_and_segment);
  const std::span<const uint8_t> data = inst->data(uint32_t(n_and_segment >> 32));
  if (uint64_t(s) + n > data.size() || uint64_t(d) + n > size) return kMemoryOob;
  if (n) std::memcpy(base + d, data.data() + s, n);
  return 0;
}

void data_drop(InstanceData* inst, uint32_t segment) {
  inst->data_dropped[segment] = true;
}

uint32_t memory_copy(uint8_t* base, uint64_t size, uint32_t d, uint32_t s, uint32_t n) {
  if (uint64_t(s) + n > size || uint64_t(d) + n > size) return kMemoryOob;
  if (n) std::memmove(base + d, base + s, n);
  return 0;
}

uint32_t memory_fill(uint8_t* base, uint64_t size, uint32_t d, uint32_t v, uint32_t n) {
  if (uint64_t(d) + n > size) return kMemoryOob;
  if (n) std::memset(base + d, uint8_t(v), n);
  return 0;
}

uint32_t memory_copy_m(InstanceData* inst, uint32_t d, uint32_t s, uint32_t n, uint32_t dst_memory,
                       uint32_t src_memory) {
  interp::MemoryInst* dm = inst->memories[dst_memory];
  const interp::MemoryInst* sm = inst->memories[src_memory];
  if (uint64_t(s) + n > sm->size_bytes || uint64_t(d) + n > dm->size_bytes) return kMemoryOob;
  if (n) std::memmove(dm->base + d, sm->base + s, n);
  return 0;
}

uint32_t table_get(InstanceData* inst, uint32_t table, uint32_t i, uint64_t* dst) {
  const interp::TableInst* t = inst->tables[table];
  if (i >= t->elems.size()) return kTableOob;
  *dst = t->elems[i];
  return 0;
}

uint32_t table_set(InstanceData* inst, uint32_t table, uint32_t i, uint64_t v) {
  interp::TableInst* t = inst->tables[table];
  if (i >= t->elems.size()) return kTableOob;
  t->elems[i] = v;
  return 0;
}

uint32_t table_size(InstanceData* inst, uint32_t table) {
  return uint32_t(inst->tables[table]->elems.size());
}

uint32_t table_grow(ExecContext* ctx, InstanceData* inst, uint32_t table, uint64_t init, uint32_t n) {
  return uint32_t(ctx->table_grow(*ctx, inst->tables[table], n, init));
}

uint32_t table_fill(InstanceData* inst, uint32_t table, uint32_t i, uint64_t v, uint32_t n) {
  interp::TableInst* t = inst->tables[table];
  if (uint64_t(i) + n > t->elems.size()) return kTableOob;
  std::fill_n(t->elems.begin() + i, n, v);
  return 0;
}

uint32_t table_copy(InstanceData* inst, uint32_t dst_table, uint32_t src_table, uint32_t d, uint32_t s,
                    uint32_t n) {
  interp::TableInst* dt = inst->tables[dst_table];
  const interp::TableInst* st = inst->tables[src_table];
  if (uint64_t(s) + n > st->elems.size() || uint64_t(d) + n > dt->elems.size()) return kTableOob;
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, size_t(n) * sizeof(uint64_t));
  return 0;
}

uint32_t table_init(InstanceData* inst, uint32_t segment, uint32_t table, uint32_t d, uint32_t s,
                    uint32_t n) {
  const std::vector<uint64_t>& seg = inst->elems[segment];
  interp::TableInst* t = inst->tables[table];
  if (uint64_t(s) + n > seg.size() || uint64_t(d) + n > t->elems.size()) return kTableOob;
  if (n) std::memcpy(t->elems.data() + d, seg.data() + s, size_t(n) * sizeof(uint64_t));
  return 0;
}

void elem_drop(InstanceData* inst, uint32_t segment) {
  inst->elems[segment].clear();
  inst->elems[segment].shrink_to_fit();
}

template <typename F>
const void* fn(F* f) {
  return reinterpret_cast<const void*>(f);
}

// ---- loads and stores ----

// One access: its width in memory and how a load extends it (a store truncates to `bytes`).
struct Access {
  uint8_t bytes;  // 1, 2, 4, 8
  bool store;
  bool sign;        // loads: sign-extend (else zero-extend)
  bool result64;    // loads: the result is 64-bit (i64, f64) and stored as 8 bytes
  bool fp = false;  // f32/f64: moved through xmm0 (a float value held in an xmm register stays there)
};

// The plain forms, in one list (name, Access); the D and X forms have the same Access.
#define AIRWASM_MEMORY_ACCESSES(X)                   \
  X(I32Load, (Access{4, false, false, false}))       \
  X(I64Load, (Access{8, false, false, true}))        \
  X(F32Load, (Access{4, false, false, false, true})) \
  X(F64Load, (Access{8, false, false, true, true}))  \
  X(I32Load8S, (Access{1, false, true, false}))      \
  X(I32Load8U, (Access{1, false, false, false}))     \
  X(I32Load16S, (Access{2, false, true, false}))     \
  X(I32Load16U, (Access{2, false, false, false}))    \
  X(I64Load8S, (Access{1, false, true, true}))       \
  X(I64Load8U, (Access{1, false, false, true}))      \
  X(I64Load16S, (Access{2, false, true, true}))      \
  X(I64Load16U, (Access{2, false, false, true}))     \
  X(I64Load32S, (Access{4, false, true, true}))      \
  X(I64Load32U, (Access{4, false, false, true}))     \
  X(I32Store, (Access{4, true, false, false}))       \
  X(I64Store, (Access{8, true, false, false}))       \
  X(F32Store, (Access{4, true, false, false, true})) \
  X(F64Store, (Access{8, true, false, false, true})) \
  X(I32Store8, (Access{1, true, false, false}))      \
  X(I32Store16, (Access{2, true, false, false}))     \
  X(I64Store8, (Access{1, true, false, false}))      \
  X(I64Store16, (Access{2, true, false, false}))     \
  X(I64Store32, (Access{4, true, false, false}))

enum class Form : uint8_t { kPlain, kDisp, kIndexed };

}  // namespace

jit::Mem checked_address(OpEmitter& e, uint32_t offset, uint32_t bytes) {
  Assembler& a = e.as();
  const uint64_t end = uint64_t(offset) + bytes;
  if (end <= uint64_t(INT32_MAX)) {
    a.lea(Size::k64, Reg::rcx, mem(Reg::rax, int32_t(end)));
  } else {
    a.mov_imm(Size::k64, Reg::rcx, end);
    a.add(Size::k64, Reg::rcx, Reg::rax);
  }
  a.cmp(Size::k64, Reg::rcx, kMemSizeReg);
  e.trap_if(Cond::kA, TrapCode::kMemoryOutOfBounds);
  if (offset <= uint32_t(INT32_MAX)) return mem(Reg::rax, kMemBaseReg, 1, int32_t(offset));
  a.mov_imm(Size::k32, Reg::rcx, offset);  // zero-extends: rax + offset < 2^33, no wrap
  a.add(Size::k64, Reg::rax, Reg::rcx);
  return mem(Reg::rax, kMemBaseReg, 1, 0);
}

namespace {

// rax = the access's 32-bit address from the address operand `base` (and, for the indexed form, the
// index operand shifted, plus the displacement), zero-extended; returns the static offset.
uint32_t address(OpEmitter& e, Form form, int base) {
  Assembler& a = e.as();
  a.mov(Size::k32, Reg::rax, e.slot(base));
  switch (form) {
    case Form::kPlain:
      return e.opnd(2);
    case Form::kDisp: {  // [.][base][disp][offset]
      const int32_t disp = int32_t(e.opnd(2));
      if (disp != 0) a.alu(jit::Alu::kAdd, Size::k32, Reg::rax, disp);  // mod 2^32, zero-extends
      return e.opnd(3);
    }
    case Form::kIndexed: {  // [.][base][index][shift][disp][offset]
      const uint32_t shift = e.opnd(3) & 31;
      const int32_t disp = int32_t(e.opnd(4));
      a.mov(Size::k32, Reg::rcx, e.slot(2));
      uint8_t scale = 1;
      if (shift <= 3)
        scale = uint8_t(1u << shift);
      else
        a.shift(jit::Shift::kShl, Size::k32, Reg::rcx, uint8_t(shift));
      // A 32-bit lea: base + (index << shift) + disp mod 2^32, zero-extended into rax.
      a.lea(Size::k32, Reg::rax, mem(Reg::rax, Reg::rcx, scale, disp));
      return e.opnd(5);
    }
  }
  return 0;
}

uint32_t emit_access(OpEmitter& e, Form form, Access acc) {
  Assembler& a = e.as();
  // Loads: [dst][base]...; stores: [base][value]...
  const uint32_t offset = address(e, form, acc.store ? 0 : 1);
  const jit::Mem at = checked_address(e, offset, acc.bytes);
  if (acc.fp) {  // movss/movsd move the bits unchanged (NaN payloads included)
    const jit::Fp p = acc.bytes == 8 ? jit::Fp::kF64 : jit::Fp::kF32;
    if (acc.store) {
      a.movs(p, jit::Xmm::xmm0, e.slot(1));
      a.movs(p, at, jit::Xmm::xmm0);
    } else {
      a.movs(p, jit::Xmm::xmm0, at);
      a.movs(p, e.slot(0), jit::Xmm::xmm0);
    }
  } else if (acc.store) {
    // The value straight from the general register holding it, if one does (else through rdx).
    const std::optional<Reg> held = a.held_general_register(e.slot(1), /*writes=*/false);
    const Reg value = held.value_or(Reg::rdx);
    if (!held) a.mov(acc.bytes == 8 ? Size::k64 : Size::k32, Reg::rdx, e.slot(1));
    switch (acc.bytes) {
      case 1:
        a.store8(at, value);
        break;
      case 2:
        a.store16(at, value);
        break;
      case 4:
        a.mov(Size::k32, at, value);
        break;
      default:
        a.mov(Size::k64, at, value);
        break;
    }
  } else {
    // Loaded straight into the general register holding the destination, if one does (else into rdx,
    // then stored to the slot).
    const Size rs = acc.result64 ? Size::k64 : Size::k32;
    const std::optional<Reg> held = a.held_general_register(e.slot(0));
    const Reg value = held.value_or(Reg::rdx);
    switch (acc.bytes) {
      case 1:
        if (acc.sign)
          a.movsx8(rs, value, at);
        else
          a.movzx8(value, at);
        break;
      case 2:
        if (acc.sign)
          a.movsx16(rs, value, at);
        else
          a.movzx16(value, at);
        break;
      case 4:
        if (acc.sign && acc.result64)
          a.movsxd(value, at);
        else
          a.mov(Size::k32, value, at);  // zero-extends
        break;
      default:
        a.mov(Size::k64, value, at);
        break;
    }
    if (!held) a.mov(rs, e.slot(0), Reg::rdx);
  }
  switch (form) {
    case Form::kPlain:
      return 20;
    case Form::kDisp:
      return 24;
    case Form::kIndexed:
      return 32;
  }
  return 0;
}

// ---- instance fields through kInstReg ----

// reg = element `index` of the pointer vector whose data() pointer is at [kInstReg + vector_field].
void load_instance_entry(Assembler& a, Reg reg, int32_t vector_field, uint32_t index) {
  a.mov(Size::k64, reg, mem(kInstReg, vector_field));
  if (uint64_t(index) * 8 <= uint64_t(INT32_MAX)) {
    a.mov(Size::k64, reg, mem(reg, int32_t(index * 8)));
  } else {
    a.mov_imm(Size::k32, Reg::rcx, index);
    a.mov(Size::k64, reg, mem(reg, Reg::rcx, 8));
  }
}

// Argument registers of the System V ABI, in order.
constexpr Reg kArg[] = {Reg::rdi, Reg::rsi, Reg::rdx, Reg::rcx, Reg::r8, Reg::r9};

void arg_ctx(Assembler& a, int n) {
  a.mov(Size::k64, kArg[n], kCtxReg);
}
void arg_inst(Assembler& a, int n) {
  a.mov(Size::k64, kArg[n], kInstReg);
}
void arg_memory(Assembler& a, int n) {  // the selected memory: (base, size) in two arguments
  a.mov(Size::k64, kArg[n], kMemBaseReg);
  a.mov(Size::k64, kArg[n + 1], kMemSizeReg);
}
void arg_slot32(OpEmitter& e, int n, int operand) {
  e.as().mov(Size::k32, kArg[n], e.slot(operand));
}
void arg_slot64(OpEmitter& e, int n, int operand) {
  e.as().mov(Size::k64, kArg[n], e.slot(operand));
}
void arg_imm(Assembler& a, int n, uint32_t v) {
  a.mov_imm(Size::k32, kArg[n], v);
}

}  // namespace

Result<uint32_t> emit_memory_op(OpEmitter& e, IOp op) {
  Assembler& a = e.as();
  const Layout& l = layout();
  switch (op) {
#define AIRWASM_ACCESS_CASES(name, acc)       \
  case IOp::name:                             \
    return emit_access(e, Form::kPlain, acc); \
  case IOp::name##D:                          \
    return emit_access(e, Form::kDisp, acc);  \
  case IOp::name##X:                          \
    return emit_access(e, Form::kIndexed, acc);
    AIRWASM_MEMORY_ACCESSES(AIRWASM_ACCESS_CASES)
#undef AIRWASM_ACCESS_CASES

    // ---- memory ----
    case IOp::MemorySize:  // [dst]: the selected memory's size in pages
      a.mov(Size::k64, Reg::rax, kMemSizeReg);
      a.shift(jit::Shift::kShr, Size::k64, Reg::rax, 16);
      static_assert(wasm::kPageSize == 1u << 16);
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 12;
    case IOp::MemoryGrow:  // [dst][delta]
      arg_slot32(e, 2, 1);
      arg_ctx(a, 0);
      arg_inst(a, 1);
      e.call_helper(fn(&memory_grow0), HelperEffects::kGrowMemory);
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 16;
    case IOp::MemoryGrowM:  // [dst][delta][memory]
      arg_slot32(e, 2, 1);
      arg_ctx(a, 0);
      arg_inst(a, 1);
      arg_imm(a, 3, e.opnd(2));
      e.call_helper(fn(&memory_grow_m), HelperEffects::kGrowMemory);
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 20;
    case IOp::MemoryInit:  // [d][s][n][data segment]
      arg_slot32(e, 3, 0);
      arg_slot32(e, 4, 1);
      arg_slot32(e, 5, 2);
      a.mov_imm(Size::k64, Reg::rax, uint64_t(e.opnd(3)) << 32);
      a.alu(jit::Alu::kOr, Size::k64, kArg[5], Reg::rax);
      arg_inst(a, 0);
      arg_memory(a, 1);
      e.call_trapping_helper(fn(&memory_init), HelperEffects::kState);
      return 24;
    case IOp::DataDrop:  // [data segment]
      arg_inst(a, 0);
      arg_imm(a, 1, e.opnd(0));
      e.call_helper(fn(&data_drop), HelperEffects::kState);
      return 12;
    case IOp::MemoryCopy:  // [d][s][n]
      arg_slot32(e, 2, 0);
      arg_slot32(e, 3, 1);
      arg_slot32(e, 4, 2);
      arg_memory(a, 0);
      e.call_trapping_helper(fn(&memory_copy), HelperEffects::kPure);
      return 20;
    case IOp::MemoryFill:  // [d][v][n]
      arg_slot32(e, 2, 0);
      arg_slot32(e, 3, 1);
      arg_slot32(e, 4, 2);
      arg_memory(a, 0);
      e.call_trapping_helper(fn(&memory_fill), HelperEffects::kPure);
      return 20;
    case IOp::MemoryCopyM:  // [d][s][n][dst memory][src memory]
      arg_slot32(e, 1, 0);
      arg_slot32(e, 2, 1);
      arg_slot32(e, 3, 2);
      arg_imm(a, 4, e.opnd(3));
      arg_imm(a, 5, e.opnd(4));
      arg_inst(a, 0);
      e.call_trapping_helper(fn(&memory_copy_m), HelperEffects::kState);
      return 28;
    case IOp::MemSelect:  // [memory]
      e.select_memory(e.opnd(0));
      return 12;
    case IOp::MemRestore:
      e.restore_memory0();
      return 8;

    // ---- globals: [dst|src][global] ----
    case IOp::GlobalGet8:
      load_instance_entry(a, Reg::rax, l.inst_globals, e.opnd(1));
      a.mov(Size::k64, Reg::rdx, mem(Reg::rax, l.global_value));
      a.mov(Size::k64, e.slot(0), Reg::rdx);
      return 16;
    case IOp::GlobalGet16:
      load_instance_entry(a, Reg::rax, l.inst_globals, e.opnd(1));
      a.mov(Size::k64, Reg::rdx, mem(Reg::rax, l.global_value));
      a.mov(Size::k64, Reg::rcx, mem(Reg::rax, l.global_value + 8));
      a.mov(Size::k64, e.slot(0), Reg::rdx);
      a.mov(Size::k64, e.slot(0, 8), Reg::rcx);
      return 16;
    case IOp::GlobalSet8:
      load_instance_entry(a, Reg::rax, l.inst_globals, e.opnd(1));
      a.mov(Size::k64, Reg::rdx, e.slot(0));
      a.mov(Size::k64, mem(Reg::rax, l.global_value), Reg::rdx);
      return 16;
    case IOp::GlobalSet16:
      load_instance_entry(a, Reg::rax, l.inst_globals, e.opnd(1));
      a.mov(Size::k64, Reg::rdx, e.slot(0));
      a.mov(Size::k64, Reg::rcx, e.slot(0, 8));
      a.mov(Size::k64, mem(Reg::rax, l.global_value), Reg::rdx);
      a.mov(Size::k64, mem(Reg::rax, l.global_value + 8), Reg::rcx);
      return 16;

    // ---- references and tables ----
    case IOp::RefFunc:  // [dst][func]: the FuncInst* bits
      load_instance_entry(a, Reg::rax, l.inst_funcs, e.opnd(1));
      a.mov(Size::k64, e.slot(0), Reg::rax);
      return 16;
    case IOp::TableGet:  // [dst][table][i]
      arg_slot32(e, 2, 2);
      a.lea(Size::k64, kArg[3], e.slot(0));
      arg_inst(a, 0);
      arg_imm(a, 1, e.opnd(1));
      e.call_trapping_helper(fn(&table_get), HelperEffects::kState);
      return 20;
    case IOp::TableSet:  // [table][i][v]
      arg_slot32(e, 2, 1);
      arg_slot64(e, 3, 2);
      arg_inst(a, 0);
      arg_imm(a, 1, e.opnd(0));
      e.call_trapping_helper(fn(&table_set), HelperEffects::kState);
      return 20;
    case IOp::TableSize:  // [dst][table]
      arg_inst(a, 0);
      arg_imm(a, 1, e.opnd(1));
      e.call_helper(fn(&table_size), HelperEffects::kState);
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 16;
    case IOp::TableGrow:  // [dst][table][init][n]
      arg_slot64(e, 3, 2);
      arg_slot32(e, 4, 3);
      arg_ctx(a, 0);
      arg_inst(a, 1);
      arg_imm(a, 2, e.opnd(1));
      e.call_helper(fn(&table_grow), HelperEffects::kState);
      a.mov(Size::k32, e.slot(0), Reg::rax);
      return 24;
    case IOp::TableFill:  // [table][i][v][n]
      arg_slot32(e, 2, 1);
      arg_slot64(e, 3, 2);
      arg_slot32(e, 4, 3);
      arg_inst(a, 0);
      arg_imm(a, 1, e.opnd(0));
      e.call_trapping_helper(fn(&table_fill), HelperEffects::kState);
      return 24;
    case IOp::TableCopy:  // [dst table][src table][d][s][n]
    case IOp::TableInit:  // [elem segment][table][d][s][n]
      arg_slot32(e, 3, 2);
      arg_slot32(e, 4, 3);
      arg_slot32(e, 5, 4);
      arg_inst(a, 0);
      arg_imm(a, 1, e.opnd(0));
      arg_imm(a, 2, e.opnd(1));
      e.call_trapping_helper(op == IOp::TableCopy ? fn(&table_copy) : fn(&table_init), HelperEffects::kState);
      return 28;
    case IOp::ElemDrop:  // [elem segment]
      arg_inst(a, 0);
      arg_imm(a, 1, e.opnd(0));
      e.call_helper(fn(&elem_drop), HelperEffects::kState);
      return 12;
    default:
      return 0;
  }
}

}  // namespace airwasm::baseline
