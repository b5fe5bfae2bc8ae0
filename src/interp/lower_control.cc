// interp: lowering driver, control flow (blocks, branches, calls, returns), stack bookkeeping and fuel.
// See lower.hh for the model (canonical slots, virtual entries, fixups).
#include <algorithm>
#include <cstring>

#include "decode/body_scanner.hh"
#include "decode/instr_reader.hh"
#include "airwasm/trap.hh"
#include "interp/lower.hh"

namespace airwasm::interp {

using wasm::Opcode;

namespace {

bool is_structural(Opcode op) {
  return op == Opcode::Block || op == Opcode::Loop || op == Opcode::If || op == Opcode::Else || op == Opcode::End;
}

uint32_t slots_of(std::span<const wasm::ValType> types) {
  uint32_t n = 0;
  for (wasm::ValType t : types) n += wasm::slot_count(t);
  return n;
}

// Position of a comparison within [eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u], or -1.
int compare_index(IOp op, bool* is64, bool* imm) {
  const auto in = [&](IOp first, int& out) {
    const int d = int(op) - int(first);
    if (d >= 0 && d < 10) {
      out = d;
      return true;
    }
    return false;
  };
  int i;
  if (in(IOp::I32Eq, i)) { *is64 = false, *imm = false; return i; }
  if (in(IOp::I64Eq, i)) { *is64 = true, *imm = false; return i; }
  if (in(IOp::I32EqI, i)) { *is64 = false, *imm = true; return i; }
  if (in(IOp::I64EqI, i)) { *is64 = true, *imm = true; return i; }
  return -1;
}

constexpr int kNegatedCompare[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// driver

Result<CompiledFunc> FunctionLowerer::lower(uint32_t func_index, const wasm::FunctionBody& body) {
  AIRWASM_TRY(validator_.begin(func_index, body));
  const auto& locals = validator_.local_types();
  local_slot_.resize(locals.size());
  uint32_t slot = 0;
  for (size_t i = 0; i < locals.size(); ++i) {
    local_slot_[i] = slot;
    slot += wasm::slot_count(locals[i]);
  }
  num_local_slots_ = slot;
  max_slot_ = slot;
  const wasm::FuncType& ft = validator_.func_type();
  const uint32_t param_slots = slots_of(ft.params);

  entries_.clear();
  ctrls_.clear();
  fixups_.clear();
  dead_ = false;
  last_ = pending_ = LastOp{};
  const uint32_t start = pos();
  ctrls_.push_back(Ctrl{Opcode::Block, {{}, ft.results}, 0, num_local_slots_, kNone, kNone, 0, false});
  fuel_field_ = kNone;
  fuel_accum_ = 0;
  fuel_begin_block();

  base::ByteReader reader(body.code, body.code_offset, "unexpected end of section or function");
  decode::InstrReader instrs(reader, ctx_.simd);
  wasm::Instr in;
  while (!validator_.done()) {
    if (reader.at_end()) return decode::body_end_error(*ctx_.module, func_index - ctx_.module->num_imported_funcs);
    AIRWASM_TRY(instrs.next(in));
    AIRWASM_TRY(validator_.step(in, instrs.br_targets()));
    pending_ = last_;
    last_.valid = false;
    if (dead_) {
      if (is_structural(in.op)) AIRWASM_TRY(lower_control(in, instrs.br_targets()));
      continue;
    }
    fuel_accum_ += wasm::fuel_cost(in.op);
    AIRWASM_TRY(lower_instr(in, instrs.br_targets()));
  }
  if (!reader.at_end()) return base::malformed("section size mismatch", reader.offset());

  CompiledFunc cf;
  cf.code_offset = start;
  cf.code_size = pos() - start;
  cf.func_index = func_index;
  cf.param_slots = param_slots;
  cf.local_slots = num_local_slots_ - param_slots;
  cf.frame_slots = std::max(max_slot_, slots_of(ft.results));
  return cf;
}

Result<void> FunctionLowerer::lower_control(const wasm::Instr& in, std::span<const uint32_t> targets) {
  switch (in.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      AIRWASM_TRY_ASSIGN(validate::BlockSignature sig, validator_.block_signature(in.block, in.position));
      if (dead_) {
        ctrls_.push_back(Ctrl{in.op, sig, uint32_t(entries_.size()), top_slot(), kNone, kNone, 0, true});
        return {};
      }
      if (in.op == Opcode::If) lower_if(sig);
      else lower_block(in, sig);
      return {};
    }
    case Opcode::Else: lower_else(); return {};
    case Opcode::End: lower_end(); return {};
    case Opcode::Br: lower_br(in.index); return {};
    case Opcode::BrIf: lower_br_if(in.index); return {};
    case Opcode::BrTable: lower_br_table(in.index2, targets); return {};
    case Opcode::Return: lower_return(); return {};
    case Opcode::Call: lower_call(in.index); return {};
    case Opcode::CallIndirect: lower_call_indirect(in.index, in.index2); return {};
    case Opcode::Unreachable:
      emit_op(IOp::Trap);
      put_u32(uint32_t(TrapCode::kUnreachable));
      dead_ = true;
      entries_.resize(ctrls_.back().base);
      return {};
    default:
      return base::invalid("internal: not a control instruction", in.position);
  }
}

// ---------------------------------------------------------------------------------------------------------
// blocks

void FunctionLowerer::lower_block(const wasm::Instr& in, validate::BlockSignature sig) {
  materialize_range(ctrls_.back().base);
  const uint32_t base = uint32_t(entries_.size() - sig.params.size());
  const uint32_t base_slot = sig.params.empty() ? top_slot() : entries_[base].slot;
  ctrls_.push_back(Ctrl{in.op, sig, base, base_slot, kNone, kNone, 0, false});
  if (in.op == Opcode::Loop) {
    fuel_end_block();
    ctrls_.back().loop_pos = pos();
    if (opts_.fuel) {
      emit_op(opts_.interruptible ? IOp::FuelLoopCheck : IOp::Fuel);
      fuel_field_ = pos();
      fuel_accum_ = 0;
      put_u32(0);
    } else if (opts_.interruptible) {
      emit_op(IOp::LoopCheck);
    }
    last_.valid = false;
  }
}

void FunctionLowerer::lower_if(validate::BlockSignature sig) {
  // The condition is popped and all other entries of the frame are made canonical before branching.
  const uint32_t fix = emit_cond_branch(false, ctrls_.back().base);
  const uint32_t base = uint32_t(entries_.size() - sig.params.size());
  const uint32_t base_slot = sig.params.empty() ? top_slot() : entries_[base].slot;
  ctrls_.push_back(Ctrl{Opcode::If, sig, base, base_slot, kNone, fix, 0, false});
  fuel_split();
}

void FunctionLowerer::lower_else() {
  Ctrl& c = ctrls_.back();
  if (!dead_) {
    materialize_range(c.base);
    emit_op(IOp::Jump);
    c.fixups = add_fixup(c.fixups, pos(), pos() - 8);
    put_u32(0);
  }
  bind_fixups(c.else_fixup, pos());
  c.else_fixup = kNone;
  c.kind = Opcode::Else;
  dead_ = c.dead_at_entry;
  reset_to(c, c.sig.params);
  fuel_end_block();
  if (!dead_) fuel_begin_block();
  last_.valid = false;
}

void FunctionLowerer::lower_end() {
  const Ctrl c = ctrls_.back();
  if (ctrls_.size() == 1) {  // the function's final end
    if (!dead_) lower_return();
    fuel_end_block();
    ctrls_.pop_back();
    return;
  }
  const bool fallthrough = !dead_;
  if (fallthrough) materialize_range(c.base);
  const bool merge = c.fixups != kNone || c.else_fixup != kNone;
  bind_fixups(c.fixups, pos());
  bind_fixups(c.else_fixup, pos());
  ctrls_.pop_back();
  dead_ = c.dead_at_entry || (!fallthrough && !merge);
  reset_to(c, c.sig.results);
  if (merge || !fallthrough) {
    fuel_end_block();
    if (!dead_) fuel_begin_block();
    last_.valid = false;
  }
}

void FunctionLowerer::reset_to(const Ctrl& c, std::span<const ValType> types) {
  entries_.resize(std::min<size_t>(c.base, entries_.size()));
  while (entries_.size() < c.base) entries_.push_back(Entry{ValType::kI32, Entry::kSlot, top_slot(), 0, 0});
  uint32_t slot = c.base_slot;
  for (ValType t : types) {
    entries_.push_back(Entry{t, Entry::kSlot, slot, 0, 0});
    slot += wasm::slot_count(t);
  }
  max_slot_ = std::max(max_slot_, slot);
}

// ---------------------------------------------------------------------------------------------------------
// branches

uint32_t FunctionLowerer::add_fixup(uint32_t head, uint32_t field, uint32_t instr_start) {
  fixups_.push_back(Fixup{field, instr_start, head});
  return uint32_t(fixups_.size() - 1);
}

void FunctionLowerer::bind_fixups(uint32_t head, uint32_t target) {
  for (uint32_t i = head; i != kNone; i = fixups_[i].next)
    patch_u32(fixups_[i].field, uint32_t(int32_t(target) - int32_t(fixups_[i].instr_start)));
}

void FunctionLowerer::emit_jump_to(const Ctrl& t) {
  const uint32_t start = pos();
  emit_op(IOp::Jump);
  if (t.kind == Opcode::Loop) {
    put_u32(uint32_t(int32_t(t.loop_pos) - int32_t(start)));
  } else {
    Ctrl& target = const_cast<Ctrl&>(t);
    target.fixups = add_fixup(target.fixups, pos(), start);
    put_u32(0);
  }
}

uint32_t FunctionLowerer::emit_cond_branch(bool when_true, size_t materialize_from) {
  const Entry cond = pop();
  bool is64 = false, imm = false;
  int cmp = -1;
  bool eqz = false;
  const LastOp p = pending_;
  if (p.valid && cond.kind == Entry::kSlot && p.dst_field != 0) {
    uint32_t dst;
    std::memcpy(&dst, code_.data() + p.dst_field, 4);
    if (dst == off(cond.slot)) {
      cmp = compare_index(p.op, &is64, &imm);
      if (cmp < 0 && (p.op == IOp::I32Eqz || p.op == IOp::I64Eqz)) {
        eqz = true;
        is64 = p.op == IOp::I64Eqz;
      }
    }
  }
  if (cmp >= 0 || eqz) code_.resize(p.start);  // the comparison is fused into the branch
  materialize_range(materialize_from);
  uint32_t cond_slot = 0;
  if (cmp < 0 && !eqz) {
    Entry c = cond;
    cond_slot = operand_slot(c);  // may emit a constant: must precede the branch's start
  }
  const uint32_t start = pos();
  if (cmp >= 0) {
    const int c = when_true ? cmp : kNegatedCompare[cmp];
    const IOp base = is64 ? (imm ? IOp::BrIfI64EqI : IOp::BrIfI64Eq) : (imm ? IOp::BrIfI32EqI : IOp::BrIfI32Eq);
    emit_op(iop_offset(base, c));
    put_u32(off(p.a));
    if (imm) is64 ? put_u64(p.imm) : put_u32(uint32_t(p.imm));
    else put_u32(off(p.b));
  } else if (eqz) {
    // (x == 0) true  <=> branch when x is zero
    const bool on_zero = when_true;
    emit_op(is64 ? (on_zero ? IOp::BrIfEqz64 : IOp::BrIfNez64) : (on_zero ? IOp::BrIfEqz32 : IOp::BrIfNez32));
    put_u32(off(p.a));
  } else {
    emit_op(when_true ? IOp::BrIfNez32 : IOp::BrIfEqz32);
    put_u32(off(cond_slot));
  }
  const uint32_t field = pos();
  put_u32(0);
  return add_fixup(kNone, field, start);
}

void FunctionLowerer::move_label_values(size_t count, uint32_t dst_slot) {
  if (count == 0) return;
  const size_t first = entries_.size() - count;
  if (count == 1) {
    Entry& e = entries_[first];
    switch (e.kind) {
      case Entry::kSlot: emit_copy(e.type, dst_slot, e.slot); break;
      case Entry::kLocal: emit_copy(e.type, dst_slot, local_slot_[e.local]); break;
      case Entry::kConst: emit_const(e.type, dst_slot, e.bits); break;
    }
    return;
  }
  // Several values: make them canonical, then copy upwards-to-downwards in ascending order (the
  // destination never lies above the source, so an ascending copy cannot clobber a pending source).
  materialize_range(first);
  uint32_t d = dst_slot;
  for (size_t i = first; i < entries_.size(); ++i) {
    emit_copy(entries_[i].type, d, entries_[i].slot);
    d += wasm::slot_count(entries_[i].type);
  }
}

void FunctionLowerer::lower_br(uint32_t depth) {
  const Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  if (&t == &ctrls_.front()) {
    lower_return();
    return;
  }
  move_label_values(t.kind == Opcode::Loop ? t.sig.params.size() : t.sig.results.size(), t.base_slot);
  emit_jump_to(t);
  dead_ = true;
  entries_.resize(ctrls_.back().base);
}

void FunctionLowerer::lower_br_if(uint32_t depth) {
  const size_t ti = ctrls_.size() - 1 - depth;
  const bool to_function = ti == 0;
  const size_t n = to_function ? ctrls_[0].sig.results.size()
                               : (ctrls_[ti].kind == Opcode::Loop ? ctrls_[ti].sig.params.size()
                                                                   : ctrls_[ti].sig.results.size());
  const uint32_t dst = to_function ? 0 : ctrls_[ti].base_slot;
  const size_t first = entries_.size() - 1 - n;  // label values sit below the condition
  const bool direct = !to_function && (n == 0 || entries_[first].slot == dst);
  if (direct) {
    const uint32_t fix = emit_cond_branch(true, first);
    Ctrl& t = ctrls_[ti];
    if (t.kind == Opcode::Loop) {
      bind_fixups(fix, t.loop_pos);
    } else {
      fixups_[fix].next = t.fixups;
      t.fixups = fix;
    }
  } else {
    const uint32_t skip = emit_cond_branch(false, first);
    uint32_t d = dst;
    for (size_t i = first; i < entries_.size(); ++i) {
      emit_copy(entries_[i].type, d, entries_[i].slot);
      d += wasm::slot_count(entries_[i].type);
    }
    if (to_function) emit_op(IOp::ReturnOp);
    else emit_jump_to(ctrls_[ti]);
    bind_fixups(skip, pos());
  }
  fuel_split();
  last_.valid = false;
}

void FunctionLowerer::lower_br_table(uint32_t default_depth, std::span<const uint32_t> targets) {
  Entry index = pop();
  const uint32_t index_slot = operand_slot(index);
  const Ctrl& def = ctrls_[ctrls_.size() - 1 - default_depth];
  const size_t n = &def == &ctrls_.front() ? def.sig.results.size()
                                           : (def.kind == Opcode::Loop ? def.sig.params.size() : def.sig.results.size());
  const size_t first = entries_.size() - n;
  materialize_range(first);

  const uint32_t start = pos();
  emit_op(IOp::BrTableOp);
  put_u32(off(index_slot));
  put_u32(uint32_t(targets.size()));
  const uint32_t table = pos();
  for (size_t i = 0; i <= targets.size(); ++i) put_u32(0);

  struct Stub {
    uint32_t depth;
    uint32_t pos;
  };
  std::vector<Stub> stubs;
  std::vector<std::pair<uint32_t, uint32_t>> pending_stubs;  // (rel field, depth)
  for (size_t i = 0; i <= targets.size(); ++i) {
    const uint32_t depth = i < targets.size() ? targets[i] : default_depth;
    const uint32_t field = table + uint32_t(i) * 4;
    const size_t ti = ctrls_.size() - 1 - depth;
    Ctrl& t = ctrls_[ti];
    const bool direct = ti != 0 && (n == 0 || entries_[first].slot == t.base_slot);
    if (!direct) {
      pending_stubs.emplace_back(field, depth);
    } else if (t.kind == Opcode::Loop) {
      patch_u32(field, uint32_t(int32_t(t.loop_pos) - int32_t(start)));
    } else {
      t.fixups = add_fixup(t.fixups, field, start);
    }
  }
  for (auto [field, depth] : pending_stubs) {
    auto it = std::find_if(stubs.begin(), stubs.end(), [&](const Stub& s) { return s.depth == depth; });
    if (it == stubs.end()) {
      const uint32_t stub_pos = pos();
      const size_t ti = ctrls_.size() - 1 - depth;
      const uint32_t dst = ti == 0 ? 0 : ctrls_[ti].base_slot;
      uint32_t d = dst;
      for (size_t i = first; i < entries_.size(); ++i) {
        emit_copy(entries_[i].type, d, entries_[i].slot);
        d += wasm::slot_count(entries_[i].type);
      }
      if (ti == 0) emit_op(IOp::ReturnOp);
      else emit_jump_to(ctrls_[ti]);
      stubs.push_back(Stub{depth, stub_pos});
      it = stubs.end() - 1;
    }
    patch_u32(field, uint32_t(int32_t(it->pos) - int32_t(start)));
  }
  dead_ = true;
  entries_.resize(ctrls_.back().base);
}

void FunctionLowerer::lower_return() {
  move_label_values(ctrls_.front().sig.results.size(), 0);
  emit_op(IOp::ReturnOp);
  dead_ = true;
  entries_.resize(ctrls_.back().base);
}

// ---------------------------------------------------------------------------------------------------------
// calls

void FunctionLowerer::lower_call(uint32_t func_index) {
  const wasm::FuncType& ft = ctx_.module->types[ctx_.func_types[func_index]];
  const size_t first = entries_.size() - ft.params.size();
  materialize_range(first);
  const uint32_t arg_slot = ft.params.empty() ? top_slot() : entries_[first].slot;
  emit_op(IOp::CallOp);
  put_u32(func_index);
  put_u32(off(arg_slot));
  entries_.resize(first);
  for (ValType t : ft.results) push_slot(t);
  max_slot_ = std::max(max_slot_, arg_slot + std::max(slots_of(ft.params), slots_of(ft.results)));
  fuel_split();
}

void FunctionLowerer::lower_call_indirect(uint32_t type_index, uint32_t table) {
  const wasm::FuncType& ft = ctx_.module->types[type_index];
  Entry index = pop();
  const uint32_t index_slot = operand_slot(index);
  const size_t first = entries_.size() - ft.params.size();
  materialize_range(first);
  const uint32_t arg_slot = ft.params.empty() ? top_slot() : entries_[first].slot;
  emit_op(IOp::CallIndirectOp);
  put_u32(type_ids_[type_index]);
  put_u32(table);
  put_u32(off(index_slot));
  put_u32(off(arg_slot));
  entries_.resize(first);
  for (ValType t : ft.results) push_slot(t);
  max_slot_ = std::max(max_slot_, arg_slot + std::max(slots_of(ft.params), slots_of(ft.results)) + 1);
  fuel_split();
}

// ---------------------------------------------------------------------------------------------------------
// stack and emission helpers

uint32_t FunctionLowerer::top_slot() const {
  if (entries_.empty()) return num_local_slots_;
  const Entry& e = entries_.back();
  return e.slot + wasm::slot_count(e.type);
}

FunctionLowerer::Entry& FunctionLowerer::push_slot(ValType t) {
  const uint32_t slot = top_slot();
  entries_.push_back(Entry{t, Entry::kSlot, slot, 0, 0});
  max_slot_ = std::max(max_slot_, slot + wasm::slot_count(t));
  return entries_.back();
}

void FunctionLowerer::push_local(uint32_t local) {
  const uint32_t slot = top_slot();
  const ValType t = validator_.local_types()[local];
  entries_.push_back(Entry{t, Entry::kLocal, slot, local, 0});
  max_slot_ = std::max(max_slot_, slot + wasm::slot_count(t));
}

void FunctionLowerer::push_const(ValType t, uint64_t bits) {
  const uint32_t slot = top_slot();
  entries_.push_back(Entry{t, Entry::kConst, slot, 0, bits});
  max_slot_ = std::max(max_slot_, slot + wasm::slot_count(t));
}

FunctionLowerer::Entry FunctionLowerer::pop() {
  Entry e = entries_.back();
  entries_.pop_back();
  return e;
}

void FunctionLowerer::materialize(Entry& e) {
  switch (e.kind) {
    case Entry::kSlot: return;
    case Entry::kLocal: emit_copy(e.type, e.slot, local_slot_[e.local]); break;
    case Entry::kConst: emit_const(e.type, e.slot, e.bits); break;
  }
  e.kind = Entry::kSlot;
}

uint32_t FunctionLowerer::operand_slot(Entry& e) {
  if (e.kind == Entry::kLocal) return local_slot_[e.local];
  materialize(e);
  return e.slot;
}

void FunctionLowerer::materialize_range(size_t from) {
  for (size_t i = from; i < entries_.size(); ++i) materialize(entries_[i]);
}

bool FunctionLowerer::has_local_refs(uint32_t local) const {
  for (size_t i = ctrls_.back().base; i < entries_.size(); ++i)
    if (entries_[i].kind == Entry::kLocal && entries_[i].local == local) return true;
  return false;
}

void FunctionLowerer::materialize_local_refs(uint32_t local) {
  for (size_t i = ctrls_.back().base; i < entries_.size(); ++i)
    if (entries_[i].kind == Entry::kLocal && entries_[i].local == local) materialize(entries_[i]);
}

void FunctionLowerer::emit_copy(ValType t, uint32_t dst, uint32_t src) {
  if (dst == src) return;
  emit_op(t == ValType::kV128 ? IOp::Copy16 : IOp::Copy8);
  put_u32(off(dst));
  put_u32(off(src));
}

void FunctionLowerer::emit_const(ValType t, uint32_t dst, uint64_t bits) {
  if (t == ValType::kI32 || t == ValType::kF32) {
    emit_op(IOp::Const32);
    put_u32(off(dst));
    put_u32(uint32_t(bits));
  } else {
    emit_op(IOp::Const64);
    put_u32(off(dst));
    put_u64(bits);
  }
}

void FunctionLowerer::emit_op(IOp op) {
  const void* h = handler(op);
  put_bytes(&h, sizeof h);
}

void FunctionLowerer::put_u8(uint8_t v) { code_.push_back(v); }
void FunctionLowerer::put_u32(uint32_t v) { put_bytes(&v, 4); }
void FunctionLowerer::put_u64(uint64_t v) { put_bytes(&v, 8); }
void FunctionLowerer::put_bytes(const void* p, size_t n) {
  const size_t at = code_.size();
  code_.resize(at + n);
  std::memcpy(code_.data() + at, p, n);
}
void FunctionLowerer::patch_u32(uint32_t at, uint32_t v) { std::memcpy(code_.data() + at, &v, 4); }

void FunctionLowerer::note_result(uint32_t dst_field, IOp op, uint32_t a, uint32_t b, uint64_t imm) {
  last_ = LastOp{true, dst_field - 8, dst_field, op, a, b, imm};
}

// ---------------------------------------------------------------------------------------------------------
// fuel

void FunctionLowerer::fuel_begin_block() {
  if (!opts_.fuel) return;
  emit_op(IOp::Fuel);
  fuel_field_ = pos();
  fuel_accum_ = 0;
  put_u32(0);
  last_.valid = false;
}

void FunctionLowerer::fuel_end_block() {
  if (fuel_field_ == kNone) return;
  patch_u32(fuel_field_, fuel_accum_);
  fuel_field_ = kNone;
  fuel_accum_ = 0;
}

// ---------------------------------------------------------------------------------------------------------
// module

Result<void> lower_module(const wasm::Module& module, const validate::BodyContext& ctx, const LowerOptions& options,
                          CompiledModule& out) {
  out.funcs.reserve(module.codes.size());
  out.code.reserve(module.binary.size() * 3);
  FunctionLowerer lowerer(ctx, options, out.type_ids, out.code);
  for (size_t i = 0; i < module.codes.size(); ++i) {
    const uint32_t func_index = module.num_imported_funcs + uint32_t(i);
    auto lowered = lowerer.lower(func_index, module.codes[i]);
    if (!lowered) {
      // The spec decodes everything before validating: a malformed body anywhere wins over this error.
      if (lowered.error().kind != ErrorKind::kMalformed)
        if (auto malformed = decode::find_malformed_body(module, i, options.simd)) return std::unexpected(*malformed);
      return std::unexpected(lowered.error());
    }
    CompiledFunc cf = *lowered;
    cf.type_index = module.functions[i];
    out.funcs.push_back(cf);
  }
  out.code.shrink_to_fit();
  for (CompiledFunc& f : out.funcs) f.entry = out.code.data() + f.code_offset;
  return {};
}

}  // namespace airwasm::interp
