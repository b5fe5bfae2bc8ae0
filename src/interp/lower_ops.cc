// interp: lowering of data operations: numeric/memory instructions (generic layout
// [handler][dst?][operand slots...][immediates]), immediate forms, locals, globals, select, tables, refs.
#include <cstring>

#include "interp/lower.hh"

namespace airwasm::interp {

using wasm::ImmKind;
using wasm::Opcode;

namespace {

// Immediate form of a binary integer instruction, and whether the operands may be swapped
// (`swapped` receives the op to use when the constant is the *first* operand; kCount if impossible).
struct ImmForm {
  IOp op = IOp::kCount;
  IOp swapped = IOp::kCount;
  bool negate = false;  // sub x, c  ==  add x, -c
};

ImmForm imm_form(Opcode op) {
  // Comparisons: [eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u]; swapping operands maps lt<->gt, le<->ge.
  static constexpr int kSwap[10] = {0, 1, 4, 5, 2, 3, 8, 9, 6, 7};
  const auto cmp = [&](Opcode first, IOp imm_first) -> ImmForm {
    const int i = int(op) - int(first);
    return {iop_offset(imm_first, i), iop_offset(imm_first, kSwap[i]), false};
  };
  // Float comparisons: [eq ne lt gt le ge]; swapping maps lt<->gt, le<->ge.
  static constexpr int kFloatSwap[6] = {0, 1, 3, 2, 5, 4};
  const auto fcmp = [&](Opcode first, IOp imm_first) -> ImmForm {
    const int i = int(op) - int(first);
    return {iop_offset(imm_first, 4 + i), iop_offset(imm_first, 4 + kFloatSwap[i]), false};
  };
  switch (op) {
    case Opcode::I32Add:
      return {IOp::I32AddI, IOp::I32AddI};
    case Opcode::I32Sub:
      return {IOp::I32AddI, IOp::kCount, true};
    case Opcode::I32Mul:
      return {IOp::I32MulI, IOp::I32MulI};
    case Opcode::I32And:
      return {IOp::I32AndI, IOp::I32AndI};
    case Opcode::I32Or:
      return {IOp::I32OrI, IOp::I32OrI};
    case Opcode::I32Xor:
      return {IOp::I32XorI, IOp::I32XorI};
    case Opcode::I32Shl:
      return {IOp::I32ShlI};
    case Opcode::I32ShrS:
      return {IOp::I32ShrSI};
    case Opcode::I32ShrU:
      return {IOp::I32ShrUI};
    case Opcode::I32Rotl:
      return {IOp::I32RotlI};
    case Opcode::I32Rotr:
      return {IOp::I32RotrI};
    case Opcode::I64Add:
      return {IOp::I64AddI, IOp::I64AddI};
    case Opcode::I64Sub:
      return {IOp::I64AddI, IOp::kCount, true};
    case Opcode::I64Mul:
      return {IOp::I64MulI, IOp::I64MulI};
    case Opcode::I64And:
      return {IOp::I64AndI, IOp::I64AndI};
    case Opcode::I64Or:
      return {IOp::I64OrI, IOp::I64OrI};
    case Opcode::I64Xor:
      return {IOp::I64XorI, IOp::I64XorI};
    case Opcode::I64Shl:
      return {IOp::I64ShlI};
    case Opcode::I64ShrS:
      return {IOp::I64ShrSI};
    case Opcode::I64ShrU:
      return {IOp::I64ShrUI};
    case Opcode::I64Rotl:
      return {IOp::I64RotlI};
    case Opcode::I64Rotr:
      return {IOp::I64RotrI};
    case Opcode::F32Add:
      return {IOp::F32AddI, IOp::F32AddI};
    case Opcode::F32Sub:
      return {IOp::F32SubI};
    case Opcode::F32Mul:
      return {IOp::F32MulI, IOp::F32MulI};
    case Opcode::F32Div:
      return {IOp::F32DivI};
    case Opcode::F64Add:
      return {IOp::F64AddI, IOp::F64AddI};
    case Opcode::F64Sub:
      return {IOp::F64SubI};
    case Opcode::F64Mul:
      return {IOp::F64MulI, IOp::F64MulI};
    case Opcode::F64Div:
      return {IOp::F64DivI};
    default:
      break;
  }
  if (op >= Opcode::I32Eq && op <= Opcode::I32GeU) return cmp(Opcode::I32Eq, IOp::I32EqI);
  if (op >= Opcode::I64Eq && op <= Opcode::I64GeU) return cmp(Opcode::I64Eq, IOp::I64EqI);
  if (op >= Opcode::F32Eq && op <= Opcode::F32Ge) return fcmp(Opcode::F32Eq, IOp::F32AddI);
  if (op >= Opcode::F64Eq && op <= Opcode::F64Ge) return fcmp(Opcode::F64Eq, IOp::F64AddI);
  return {};
}

// The displacement form of a load or store, or kCount.
IOp disp_form(Opcode op) {
  if (op >= Opcode::I32Load && op <= Opcode::I64Load32U)
    return iop_offset(IOp::I32LoadD, int(op) - int(Opcode::I32Load));
  if (op >= Opcode::I32Store && op <= Opcode::I64Store32)
    return iop_offset(IOp::I32StoreD, int(op) - int(Opcode::I32Store));
  return IOp::kCount;
}

// The indexed form of a load or store, or kCount.
IOp indexed_form(Opcode op) {
  if (op >= Opcode::I32Load && op <= Opcode::I64Load32U)
    return iop_offset(IOp::I32LoadX, int(op) - int(Opcode::I32Load));
  if (op >= Opcode::I32Store && op <= Opcode::I64Store32)
    return iop_offset(IOp::I32StoreX, int(op) - int(Opcode::I32Store));
  return IOp::kCount;
}

}  // namespace

Result<void> FunctionLowerer::lower_instr(const wasm::Instr& in, std::span<const uint32_t> br_targets) {
  switch (in.op) {
    case Opcode::Unreachable:
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
    case Opcode::Else:
    case Opcode::End:
    case Opcode::Br:
    case Opcode::BrIf:
    case Opcode::BrTable:
    case Opcode::Return:
    case Opcode::Call:
    case Opcode::CallIndirect:
    case Opcode::Throw:
    case Opcode::ThrowRef:
    case Opcode::TryTable:
      return lower_control(in, br_targets);
    case Opcode::Nop:
      return {};
    case Opcode::Drop:
      pop();
      return {};
    case Opcode::LocalGet:
      push_local(in.index);
      return {};
    case Opcode::LocalSet:
      lower_local_set(in.index, false);
      return {};
    case Opcode::LocalTee:
      lower_local_set(in.index, true);
      return {};
    case Opcode::I32Const:
    case Opcode::I64Const:
    case Opcode::F32Const:
    case Opcode::F64Const:
    case Opcode::V128Const:
      lower_const(in);
      return {};
    default:
      break;
  }
  if (!wasm::op_info(in.op).sig.special) return lower_simple(in);
  return lower_other(in);
}

void FunctionLowerer::lower_const(const wasm::Instr& in) {
  switch (in.op) {
    case Opcode::I32Const:
      push_const(ValType::kI32, uint32_t(in.value.i32));
      return;
    case Opcode::I64Const:
      push_const(ValType::kI64, uint64_t(in.value.i64));
      return;
    case Opcode::F32Const:
      push_const(ValType::kF32, in.value.f32_bits);
      return;
    case Opcode::F64Const:
      push_const(ValType::kF64, in.value.f64_bits);
      return;
    default: {  // v128: emitted directly, no immediate forms take it
      Entry& e = push_slot(ValType::kV128);
      emit_op(IOp::Const128);
      const uint32_t dst_field = pos();
      put_u32(off(e.slot));
      put_bytes(in.v128.bytes, 16);
      note_result(dst_field, IOp::Const128, 0, 0, 0);
      return;
    }
  }
}

bool FunctionLowerer::try_lower_binary_imm(const wasm::Instr& in) {
  const ImmForm form = imm_form(in.op);
  if (form.op == IOp::kCount) return false;
  Entry& b = entries_.back();
  Entry& a = entries_[entries_.size() - 2];
  IOp op;
  Entry var;
  uint64_t imm;
  bool var_is_first;
  if (b.kind == Entry::kConst) {
    op = form.op;
    var = a;
    imm = b.bits;
    var_is_first = true;
  } else if (a.kind == Entry::kConst && form.swapped != IOp::kCount) {
    op = form.swapped;
    var = b;
    imm = a.bits;
    var_is_first = false;
  } else {
    return false;
  }
  const bool is64 = a.type == ValType::kI64 || a.type == ValType::kF64;
  if (form.negate) imm = is64 ? uint64_t(0) - imm : uint32_t(0u - uint32_t(imm));
  const uint32_t result_slot = a.slot;
  // `x + constant` and `x << constant` stay virtual: a load or store will use them as its address. Their
  // source must be a local, or a value already in the result's own slot (which no later push overwrites).
  if (op == IOp::I32AddI || op == IOp::I32ShlI) {
    const bool is_add = op == IOp::I32AddI;
    const bool own = var_is_first;  // var sits in the result's slot
    Entry e{ValType::kI32, is_add ? Entry::kAddImm : Entry::kShlImm, result_slot, kNone, 0};
    bool ok = false;
    if (var.kind == Entry::kLocal) {
      e.local = var.local;
      ok = true;
    } else if (own && var.kind == Entry::kSlot) {
      ok = true;
    } else if (is_add && own && (var.kind == Entry::kAddImm || var.kind == Entry::kIndexed)) {
      e = var;  // fold the constant into the displacement
      e.slot = result_slot;
      ok = true;
    }
    if (ok) {
      if (is_add)
        e.bits = uint32_t(uint32_t(e.bits) + uint32_t(imm));
      else
        e.shift = uint8_t(imm & 31);
      pop();
      pop();
      entries_.push_back(e);
      return true;
    }
  }
  pop();
  pop();
  const uint32_t a_slot = operand_slot(var);
  Entry& r = push_slot(wasm::op_info(in.op).sig.result);
  emit_op(op);
  const uint32_t dst_field = pos();
  put_u32(off(r.slot));
  put_u32(off(a_slot));
  if (is64)
    put_u64(imm);
  else
    put_u32(uint32_t(imm));
  note_result(dst_field, op, a_slot, 0, imm);
  return true;
}

// `a + b` where the operands can form a virtual address: base + (index << shift). Same stability rule.
bool FunctionLowerer::try_lower_address_add(const wasm::Instr& in) {
  if (in.op != Opcode::I32Add) return false;
  const Entry& a = entries_[entries_.size() - 2];  // its position is the result's: "own" means a.slot
  const Entry& b = entries_.back();
  Entry e{ValType::kI32, Entry::kIndexed, a.slot, kNone, 0};
  if (a.kind == Entry::kShlImm && b.kind == Entry::kLocal) {  // (x << k) + base
    e.local = b.local;
    e.index = a.local;
    e.shift = a.shift;
  } else if (b.kind == Entry::kShlImm && b.local != kNone &&
             (a.kind == Entry::kLocal || a.kind == Entry::kSlot)) {
    e.local = a.kind == Entry::kLocal ? a.local : kNone;  // base + (local << k)
    e.index = b.local;
    e.shift = b.shift;
  } else if (b.kind == Entry::kLocal && (a.kind == Entry::kLocal || a.kind == Entry::kSlot)) {
    e.local = a.kind == Entry::kLocal ? a.local : kNone;  // base + index
    e.index = b.local;
  } else {
    return false;
  }
  pop();
  pop();
  entries_.push_back(e);
  return true;
}

// A load or store whose address is a virtual address entry: one instruction computes and accesses.
bool FunctionLowerer::try_lower_memory_disp(const wasm::Instr& in) {
  if (disp_form(in.op) == IOp::kCount) return false;
  const bool is_store = in.op >= Opcode::I32Store;
  const Entry addr = entries_[entries_.size() - (is_store ? 2 : 1)];
  if (addr.kind != Entry::kAddImm && addr.kind != Entry::kIndexed) return false;
  const bool indexed = addr.kind == Entry::kIndexed;
  const IOp op = indexed ? indexed_form(in.op) : disp_form(in.op);
  const uint32_t base = source_slot(addr, addr.local);
  const auto put_address_tail = [&] {
    if (indexed) {
      put_u32(off(source_slot(addr, addr.index)));
      put_u32(addr.shift);
    }
    put_u32(uint32_t(addr.bits));
    put_u32(uint32_t(in.offset));
  };
  if (is_store) {
    Entry value = pop();
    pop();
    const uint32_t value_slot = operand_slot(value);
    emit_op(op);
    put_u32(off(base));
    put_u32(off(value_slot));
    put_address_tail();
    return true;
  }
  pop();
  Entry& r = push_slot(wasm::op_info(in.op).sig.result);
  emit_op(op);
  const uint32_t dst_field = pos();
  put_u32(off(r.slot));
  put_u32(off(base));
  put_address_tail();
  note_result(dst_field, op, base, 0, 0);
  return true;
}

// f32/f64 add or sub whose operand was computed by the multiply just emitted: one fused instruction
// (still two roundings). The multiply's operands are read by the fused instruction instead.
bool FunctionLowerer::try_fuse_multiply(const wasm::Instr& in) {
  IOp mul, mul_first, mul_second;  // mul_first: (a*b) OP c;  mul_second: c OP (a*b)
  switch (in.op) {
    case Opcode::F32Add:
      mul = IOp::F32Mul, mul_first = IOp::F32MulAdd, mul_second = IOp::F32AddMul;
      break;
    case Opcode::F32Sub:
      mul = IOp::F32Mul, mul_first = IOp::F32MulSub, mul_second = IOp::F32SubMul;
      break;
    case Opcode::F64Add:
      mul = IOp::F64Mul, mul_first = IOp::F64MulAdd, mul_second = IOp::F64AddMul;
      break;
    case Opcode::F64Sub:
      mul = IOp::F64Mul, mul_first = IOp::F64MulSub, mul_second = IOp::F64SubMul;
      break;
    default:
      return false;
  }
  const LastOp p = last_;
  if (!p.valid || p.op != mul) return false;
  uint32_t mul_dst;
  std::memcpy(&mul_dst, code_.data() + p.dst_field, 4);
  const Entry& a = entries_[entries_.size() - 2];
  const Entry& b = entries_.back();
  const bool b_is_product = b.kind == Entry::kSlot && off(b.slot) == mul_dst;
  const bool a_is_product = !b_is_product && a.kind == Entry::kSlot && off(a.slot) == mul_dst;
  if (!a_is_product && !b_is_product) return false;
  Entry other = a_is_product ? b : a;
  if (other.kind != Entry::kSlot && other.kind != Entry::kLocal) return false;  // nothing may be emitted
  code_.truncate(p.start);  // the multiply becomes part of the fused instruction
  pop();
  pop();
  const uint32_t c = operand_slot(other);
  Entry& r = push_slot(a.type);
  const IOp op = a_is_product ? mul_first : mul_second;
  emit_op(op);
  const uint32_t dst_field = pos();
  put_u32(off(r.slot));
  put_u32(off(p.a));
  put_u32(off(p.b));
  put_u32(off(c));
  note_result(dst_field, op, 0, 0, 0);
  return true;
}

// True if the instruction addresses a memory other than memory 0 (memory.copy: either of its two).
static bool uses_other_memory(const wasm::Instr& in, ImmKind imm) {
  switch (imm) {
    case ImmKind::MemArg:
    case ImmKind::MemArgLane:
    case ImmKind::IndexMem:
      return in.index2 != 0;
    case ImmKind::MemIndex:
      return in.index != 0;
    case ImmKind::MemPair:
      return in.index != 0 || in.index2 != 0;
    default:
      return false;
  }
}

// Accesses to memories other than memory 0 (see iops.def): memory.grow and memory.copy have generic
// ops naming their memories; everything else is the ordinary op between MemSelect and MemRestore.
Result<void> FunctionLowerer::lower_other_memory(const wasm::Instr& in) {
  if (in.op == Opcode::MemoryGrow) {
    Entry delta = pop();
    const uint32_t ds = operand_slot(delta);
    Entry& r = push_slot(ValType::kI32);
    emit_op(IOp::MemoryGrowM);
    const uint32_t dst_field = pos();
    put_u32(off(r.slot));
    put_u32(off(ds));
    put_u32(in.index);
    note_result(dst_field, IOp::MemoryGrowM, 0, 0, 0);
    return {};
  }
  if (in.op == Opcode::MemoryCopy) {
    Entry n = pop();
    Entry s = pop();
    Entry d = pop();
    const uint32_t ns = operand_slot(n), ss = operand_slot(s), ds = operand_slot(d);
    emit_op(IOp::MemoryCopyM);
    put_u32(off(ds));
    put_u32(off(ss));
    put_u32(off(ns));
    put_u32(in.index);
    put_u32(in.index2);
    return {};
  }
  const uint32_t memory = wasm::op_info(in.op).imm == ImmKind::MemIndex ? in.index : in.index2;
  emit_op(IOp::MemSelect);
  put_u32(memory);
  selected_memory_ = true;
  Result<void> r = lower_simple(in);
  selected_memory_ = false;
  emit_op(IOp::MemRestore);  // also ends the window for folding into the access (its dst stays a temp)
  return r;
}

Result<void> FunctionLowerer::lower_simple(const wasm::Instr& in) {
  const wasm::OpInfo& info = wasm::op_info(in.op);
  const IOp op = iop_of(in.op);
  if (!iop_implemented(op))
    return make_error(ErrorKind::kUnsupported, std::string("instruction not supported: ") + info.text,
                      in.position);
  if (!selected_memory_ && uses_other_memory(in, info.imm)) [[unlikely]]
    return lower_other_memory(in);
  if (info.sig.num_params == 2 && info.sig.has_result && info.imm == ImmKind::None) {
    if (try_lower_binary_imm(in) || try_lower_address_add(in) || try_fuse_multiply(in)) return {};
  }
  if (info.imm == ImmKind::MemArg && try_lower_memory_disp(in)) return {};

  uint32_t slots[3] = {0, 0, 0};
  for (size_t i = info.sig.num_params; i-- > 0;) {
    Entry e = pop();
    slots[i] = operand_slot(e);
  }
  uint32_t dst_slot = 0;
  if (info.sig.has_result) dst_slot = push_slot(info.sig.result).slot;
  emit_op(op);
  const uint32_t dst_field = pos();
  if (info.sig.has_result) put_u32(off(dst_slot));
  for (size_t i = 0; i < info.sig.num_params; ++i) put_u32(off(slots[i]));
  switch (info.imm) {
    case ImmKind::MemArg:
      put_u32(uint32_t(in.offset));
      break;
    case ImmKind::MemArgLane:
      put_u32(uint32_t(in.offset));
      put_u8(in.lane);
      break;
    case ImmKind::Lane:
      put_u8(in.lane);
      break;
    case ImmKind::Shuffle:
      put_bytes(in.v128.bytes, 16);
      break;
    case ImmKind::Index:
    case ImmKind::IndexMem:
      put_u32(in.index);
      break;
    default:
      break;
  }
  if (info.sig.has_result) note_result(dst_field, op, slots[0], slots[1], 0);
  return {};
}

void FunctionLowerer::lower_local_set(uint32_t local, bool tee) {
  const LastOp p = last_;
  Entry v = pop();
  const uint32_t local_slot = local_slot_[local];
  const ValType t = validator_.local_types()[local];
  if (v.kind == Entry::kLocal && v.local == local) {
    if (tee) push_local(local);
    return;
  }
  const bool refs = has_local_refs(local);
  if (refs) materialize_local_refs(local);
  uint32_t last_dst = ~0u;
  if (p.valid) std::memcpy(&last_dst, code_.data() + p.dst_field, 4);
  if (!refs && p.valid && v.kind == Entry::kSlot && last_dst == off(v.slot)) {
    patch_u32(p.dst_field, off(local_slot));  // destination folding
    last_ = p;                                // still the last instruction (now writing the local)
  } else {
    switch (v.kind) {
      case Entry::kSlot:
        emit_copy(t, local_slot, v.slot);
        break;
      case Entry::kLocal:
        emit_copy(t, local_slot, local_slot_[v.local]);
        break;
      case Entry::kConst:
        emit_const(t, local_slot, v.bits);
        break;
      case Entry::kAddImm:
      case Entry::kShlImm:
      case Entry::kIndexed:
        emit_address(v, local_slot);
        break;
    }
  }
  if (tee) push_local(local);
}

Result<void> FunctionLowerer::lower_other(const wasm::Instr& in) {
  switch (in.op) {
    case Opcode::GlobalGet: {
      const ValType t = ctx_.globals[in.index].type;
      Entry& r = push_slot(t);
      const IOp op = t == ValType::kV128 ? IOp::GlobalGet16 : IOp::GlobalGet8;
      emit_op(op);
      const uint32_t dst_field = pos();
      put_u32(off(r.slot));
      put_u32(in.index);
      note_result(dst_field, op, 0, 0, 0);
      return {};
    }
    case Opcode::GlobalSet: {
      Entry v = pop();
      const uint32_t slot = operand_slot(v);
      emit_op(v.type == ValType::kV128 ? IOp::GlobalSet16 : IOp::GlobalSet8);
      put_u32(off(slot));
      put_u32(in.index);
      return {};
    }
    case Opcode::Select:
    case Opcode::SelectT: {
      Entry c = pop();
      Entry b = pop();
      Entry a = pop();
      const uint32_t cs = operand_slot(c), bs = operand_slot(b), as = operand_slot(a);
      Entry& r = push_slot(a.type);
      const IOp op = a.type == ValType::kV128 ? IOp::Select16 : IOp::Select8;
      emit_op(op);
      const uint32_t dst_field = pos();
      put_u32(off(r.slot));
      put_u32(off(as));
      put_u32(off(bs));
      put_u32(off(cs));
      note_result(dst_field, op, 0, 0, 0);
      return {};
    }
    case Opcode::RefNull:
      push_const(in.type, 0);
      return {};
    case Opcode::RefIsNull: {
      Entry a = pop();
      const uint32_t as = operand_slot(a);
      Entry& r = push_slot(ValType::kI32);
      emit_op(IOp::RefIsNull);
      const uint32_t dst_field = pos();
      put_u32(off(r.slot));
      put_u32(off(as));
      note_result(dst_field, IOp::RefIsNull, as, 0, 0);
      return {};
    }
    case Opcode::RefFunc: {
      Entry& r = push_slot(ValType::kFuncRef);
      emit_op(IOp::RefFunc);
      const uint32_t dst_field = pos();
      put_u32(off(r.slot));
      put_u32(in.index);
      note_result(dst_field, IOp::RefFunc, 0, 0, 0);
      return {};
    }
    case Opcode::TableGet: {
      Entry i = pop();
      const uint32_t is = operand_slot(i);
      Entry& r = push_slot(ctx_.tables[in.index].elem);
      emit_op(IOp::TableGet);
      const uint32_t dst_field = pos();
      put_u32(off(r.slot));
      put_u32(in.index);
      put_u32(off(is));
      note_result(dst_field, IOp::TableGet, 0, 0, 0);
      return {};
    }
    case Opcode::TableSet: {
      Entry v = pop();
      Entry i = pop();
      const uint32_t vs = operand_slot(v), is = operand_slot(i);
      emit_op(IOp::TableSet);
      put_u32(in.index);
      put_u32(off(is));
      put_u32(off(vs));
      return {};
    }
    case Opcode::TableSize: {
      Entry& r = push_slot(ValType::kI32);
      emit_op(IOp::TableSize);
      const uint32_t dst_field = pos();
      put_u32(off(r.slot));
      put_u32(in.index);
      note_result(dst_field, IOp::TableSize, 0, 0, 0);
      return {};
    }
    case Opcode::TableGrow: {
      Entry n = pop();
      Entry init = pop();
      const uint32_t ns = operand_slot(n), is = operand_slot(init);
      Entry& r = push_slot(ValType::kI32);
      emit_op(IOp::TableGrow);
      const uint32_t dst_field = pos();
      put_u32(off(r.slot));
      put_u32(in.index);
      put_u32(off(is));
      put_u32(off(ns));
      note_result(dst_field, IOp::TableGrow, 0, 0, 0);
      return {};
    }
    case Opcode::TableFill: {
      Entry n = pop();
      Entry v = pop();
      Entry i = pop();
      const uint32_t ns = operand_slot(n), vs = operand_slot(v), is = operand_slot(i);
      emit_op(IOp::TableFill);
      put_u32(in.index);
      put_u32(off(is));
      put_u32(off(vs));
      put_u32(off(ns));
      return {};
    }
    case Opcode::TableCopy:
    case Opcode::TableInit: {
      Entry n = pop();
      Entry s = pop();
      Entry d = pop();
      const uint32_t ns = operand_slot(n), ss = operand_slot(s), ds = operand_slot(d);
      emit_op(iop_of(in.op));
      put_u32(in.index);
      put_u32(in.index2);
      put_u32(off(ds));
      put_u32(off(ss));
      put_u32(off(ns));
      return {};
    }
    default:
      return make_error(ErrorKind::kUnsupported,
                        std::string("instruction not supported: ") + wasm::op_name(in.op), in.position);
  }
}

}  // namespace airwasm::interp
