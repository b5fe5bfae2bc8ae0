// interp: lowering driver, control flow (blocks, branches, calls, returns), stack bookkeeping and fuel.
// See lower.hh for the model (canonical slots, virtual entries, fixups, edge-charged fuel).
#include <algorithm>
#include <cstring>
#include <new>
#include <thread>

#include "airwasm/trap.hh"
#include "decode/body_scanner.hh"
#include "decode/instr_reader.hh"
#include "interp/lower.hh"

namespace airwasm::interp {

using wasm::Opcode;

namespace {

bool is_structural(Opcode op) {
  return op == Opcode::Block || op == Opcode::Loop || op == Opcode::If || op == Opcode::Else ||
         op == Opcode::End || op == Opcode::TryTable;
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
  if (in(IOp::I32Eq, i)) {
    *is64 = false, *imm = false;
    return i;
  }
  if (in(IOp::I64Eq, i)) {
    *is64 = true, *imm = false;
    return i;
  }
  if (in(IOp::I32EqI, i)) {
    *is64 = false, *imm = true;
    return i;
  }
  if (in(IOp::I64EqI, i)) {
    *is64 = true, *imm = true;
    return i;
  }
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
  last_ = LastOp{};
  block_open_ = false;
  entry_cost_ = 0;
  const uint32_t start = pos();
  func_start_ = start;
  open_tries_.clear();
  exn_handlers_.clear();
  loops_.clear();
  ctrls_.push_back(
      Ctrl{Opcode::Block, {{}, ft.results}, 0, num_local_slots_, kNone, kNone, 0, false, 0, kNone});
  fuel_open({kEntryCostField});

  base::ByteReader reader(body.code, body.code_offset, "unexpected end of section or function");
  decode::InstrReader instrs(reader, ctx_.features);
  wasm::Instr in;
  offset_marks_.clear();
  while (!validator_.done()) {
    if (reader.at_end())
      return decode::body_end_error(*ctx_.module, func_index - ctx_.module->num_imported_funcs);
    const size_t instr_offset = reader.offset();
    const uint32_t code_before = pos();
    AIRWASM_TRY(instrs.next(in));
    AIRWASM_TRY(validator_.step(in, instrs.br_targets()));
    if (dead_) {
      if (is_structural(in.op)) AIRWASM_TRY(lower_control(in, instrs.br_targets()));
      continue;
    }
    fuel_accum_ += wasm::fuel_cost(in.op);
    AIRWASM_TRY(lower_instr(in, instrs.br_targets()));
    mark_offset(code_before, instr_offset);
  }
  if (!reader.at_end()) return base::malformed("section size mismatch", reader.offset());

  CompiledFunc cf;
  cf.code_offset = start;
  cf.code_size = pos() - start;
  cf.func_index = func_index;
  cf.param_slots = param_slots;
  cf.local_slots = num_local_slots_ - param_slots;
  cf.frame_slots = std::max(max_slot_, slots_of(ft.results));
  cf.result_slots = slots_of(ft.results);
  cf.entry_cost = entry_cost_;
  cf.handlers = std::move(exn_handlers_);
  exn_handlers_.clear();
  // Loops close innermost first; the compiler walks them in code order.
  std::sort(loops_.begin(), loops_.end(),
            [](const LoopExtent& x, const LoopExtent& y) { return x.begin < y.begin; });
  cf.loops = std::move(loops_);
  loops_.clear();
  cf.offset_map = encode_offset_marks();
  return cf;
}

void FunctionLowerer::mark_offset(uint32_t code_before, size_t module_offset) {
  // Fusion may rewrite code already emitted (a compare folded into the branch after it): marks of code
  // that no longer exists go, and the rewritten code belongs to the instruction that rewrote it.
  const uint32_t code_start = std::min(code_before, pos());
  while (!offset_marks_.empty() && offset_marks_.back().first + func_start_ >= code_start)
    offset_marks_.pop_back();
  if (pos() > code_start) offset_marks_.emplace_back(code_start - func_start_, uint32_t(module_offset));
}

std::vector<uint8_t> FunctionLowerer::encode_offset_marks() const {
  std::vector<uint8_t> out;
  out.reserve(offset_marks_.size() * 2);
  uint32_t prev_code = 0;
  int64_t prev_offset = 0;
  for (auto [code, offset] : offset_marks_) {
    uint64_t delta = code - prev_code;
    do {
      uint8_t byte = delta & 0x7f;
      delta >>= 7;
      out.push_back(byte | (delta ? 0x80 : 0));
    } while (delta);
    int64_t sdelta = int64_t(offset) - prev_offset;
    for (bool more = true; more;) {
      uint8_t byte = sdelta & 0x7f;
      sdelta >>= 7;  // arithmetic shift: the sign is kept
      more = !((sdelta == 0 && !(byte & 0x40)) || (sdelta == -1 && (byte & 0x40)));
      out.push_back(byte | (more ? 0x80 : 0));
    }
    prev_code = code;
    prev_offset = offset;
  }
  return out;
}

uint64_t module_offset_at(const CompiledFunc& func, uint32_t code_pos) {
  uint64_t found = ~uint64_t{0};
  uint32_t code = 0;
  int64_t offset = 0;
  const std::vector<uint8_t>& map = func.offset_map;
  for (size_t i = 0; i < map.size();) {
    uint64_t delta = 0;
    for (unsigned shift = 0; i < map.size(); shift += 7) {
      const uint8_t byte = map[i++];
      delta |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    int64_t sdelta = 0;
    unsigned shift = 0;
    for (uint8_t byte = 0x80; (byte & 0x80) && i < map.size(); shift += 7) {
      byte = map[i++];
      sdelta |= int64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80) && (byte & 0x40) && shift + 7 < 64) sdelta |= -(int64_t{1} << (shift + 7));
    }
    code += uint32_t(delta);
    offset += sdelta;
    if (code > code_pos) break;
    found = uint64_t(offset);
  }
  return found;
}

Result<void> FunctionLowerer::lower_control(const wasm::Instr& in, std::span<const uint32_t> targets) {
  switch (in.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
    case Opcode::TryTable: {
      AIRWASM_TRY_ASSIGN(validate::BlockSignature sig, validator_.block_signature(in.block, in.position));
      const Opcode kind = in.op == Opcode::TryTable ? Opcode::Block : in.op;  // a block, plus handlers
      if (dead_) {
        ctrls_.push_back(
            Ctrl{kind, sig, uint32_t(entries_.size()), top_slot(), kNone, kNone, 0, true, 0, kNone});
        return {};
      }
      if (in.op == Opcode::If)
        lower_if(sig);
      else if (in.op == Opcode::TryTable)
        lower_try_table(sig, targets);
      else
        lower_block(in, sig);
      return {};
    }
    case Opcode::Throw:
      lower_throw(in.index);
      return {};
    case Opcode::ThrowRef:
      lower_throw_ref();
      return {};
    case Opcode::Else:
      lower_else();
      return {};
    case Opcode::End:
      lower_end();
      return {};
    case Opcode::Br:
      lower_br(in.index);
      return {};
    case Opcode::BrIf:
      lower_br_if(in.index);
      return {};
    case Opcode::BrTable:
      lower_br_table(in.index2, targets);
      return {};
    case Opcode::Return:
      lower_return();
      return {};
    case Opcode::Call:
      lower_call(in.index);
      return {};
    case Opcode::CallIndirect:
      lower_call_indirect(in.index, in.index2);
      return {};
    case Opcode::Unreachable:
      emit_op(IOp::Trap);
      put_u32(uint32_t(TrapCode::kUnreachable));
      mark_dead();
      return {};
    default:
      return base::invalid("internal: not a control instruction", in.position);
  }
}

void FunctionLowerer::mark_dead() {
  fuel_close();
  dead_ = true;
  entries_.resize(ctrls_.back().base);
}

// ---------------------------------------------------------------------------------------------------------
// blocks

void FunctionLowerer::lower_block(const wasm::Instr& in, validate::BlockSignature sig) {
  materialize_range(ctrls_.back().base);
  const uint32_t base = uint32_t(entries_.size() - sig.params.size());
  const uint32_t base_slot = sig.params.empty() ? top_slot() : entries_[base].slot;
  ctrls_.push_back(Ctrl{in.op, sig, base, base_slot, kNone, kNone, 0, false, 0, kNone});
  if (in.op != Opcode::Loop) return;
  // A loop header is a merge point (entry and back edges): the entry edge pays with a Fuel op, the back
  // edges carry the header block's cost themselves.
  Ctrl& loop = ctrls_.back();
  if (opts_.fuel) {
    fuel_close();
    emit_op(IOp::Fuel);
    const uint32_t field = put_cost_field();
    fuel_open({field});
    loop.header_block = block_id_;
  }
  loop.loop_pos = pos();
  last_.valid = false;
}

void FunctionLowerer::lower_if(validate::BlockSignature sig) {
  // The condition is popped and all other entries of the frame are made canonical before branching.
  const CondBranch br = emit_cond_branch(false, ctrls_.back().base);
  const uint32_t base = uint32_t(entries_.size() - sig.params.size());
  const uint32_t base_slot = sig.params.empty() ? top_slot() : entries_[base].slot;
  ctrls_.push_back(Ctrl{Opcode::If, sig, base, base_slot, kNone, br.fixup, 0, false, 0, kNone});
  fuel_close();
  if (opts_.fuel) fuel_open({br.fall_cost_field});
}

void FunctionLowerer::lower_else() {
  Ctrl& c = ctrls_.back();
  if (!dead_) {
    materialize_range(c.base);
    emit_jump_to(c);
  }
  fuel_close();
  std::vector<uint32_t> fields;
  for (uint32_t i = c.else_fixup; i != kNone; i = fixups_[i].next)
    if (fixups_[i].cost_field != kNone) fields.push_back(fixups_[i].cost_field);
  bind_fixups(c.else_fixup, pos());
  c.else_fixup = kNone;
  c.kind = Opcode::Else;
  dead_ = c.dead_at_entry;
  reset_to(c, c.sig.params);
  if (!dead_ && opts_.fuel) fuel_open(std::move(fields));
  last_.valid = false;
}

void FunctionLowerer::lower_end() {
  const Ctrl c = ctrls_.back();
  if (!open_tries_.empty() && open_tries_.back().ctrl == ctrls_.size() - 1) {  // a try_table's body ends
    for (ExnHandler& h : open_tries_.back().handlers) {
      h.end = pos() - func_start_;
      exn_handlers_.push_back(h);
    }
    open_tries_.pop_back();
  }
  if (ctrls_.size() == 1) {  // the function's final end
    if (!dead_) lower_return();
    fuel_close();
    ctrls_.pop_back();
    return;
  }
  if (c.kind == Opcode::Loop && !c.dead_at_entry)
    loops_.push_back(LoopExtent{c.loop_pos - func_start_, pos() - func_start_});
  const bool fallthrough = !dead_;
  if (fallthrough) materialize_range(c.base);
  const bool merge = c.fixups != kNone || c.else_fixup != kNone;
  if (merge) {
    std::vector<uint32_t> fields;
    for (uint32_t head : {c.fixups, c.else_fixup})
      for (uint32_t i = head; i != kNone; i = fixups_[i].next)
        if (fixups_[i].cost_field != kNone) fields.push_back(fixups_[i].cost_field);
    fuel_close();
    if (fallthrough && opts_.fuel) {
      emit_op(IOp::Fuel);  // the fall-through edge pays for the block after the label
      fields.push_back(put_cost_field());
    }
    bind_fixups(c.fixups, pos());
    bind_fixups(c.else_fixup, pos());
    ctrls_.pop_back();
    dead_ = c.dead_at_entry;
    if (!dead_ && opts_.fuel) fuel_open(std::move(fields));
    last_.valid = false;
  } else {
    // No branch targets this label: straight-line code continues (or stays dead).
    ctrls_.pop_back();
    dead_ = c.dead_at_entry || !fallthrough;
  }
  reset_to(c, c.sig.results);
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

uint32_t FunctionLowerer::add_fixup(uint32_t head, uint32_t field, uint32_t instr_start,
                                    uint32_t cost_field) {
  fixups_.push_back(Fixup{field, instr_start, cost_field, head});
  return uint32_t(fixups_.size() - 1);
}

void FunctionLowerer::bind_fixups(uint32_t head, uint32_t target) {
  for (uint32_t i = head; i != kNone; i = fixups_[i].next)
    patch_u32(fixups_[i].field, uint32_t(int32_t(target) - int32_t(fixups_[i].instr_start)));
}

void FunctionLowerer::link_branch(Ctrl& t, uint32_t rel_field, uint32_t instr_start, uint32_t cost_field) {
  if (t.kind == Opcode::Loop) {
    patch_u32(rel_field, uint32_t(int32_t(t.loop_pos) - int32_t(instr_start)));
    if (cost_field == kNone) return;
    if (t.header_cost != kNone)
      patch_u32(cost_field, t.header_cost);
    else
      block_fields_.push_back(cost_field);  // the header block is the one being lowered
    return;
  }
  t.fixups = add_fixup(t.fixups, rel_field, instr_start, cost_field);
}

void FunctionLowerer::emit_jump_to(Ctrl& t) {
  const uint32_t start = pos();
  emit_op(opts_.fuel ? IOp::JumpF : IOp::Jump);
  const uint32_t rel = pos();
  put_u32(0);
  const uint32_t cost = opts_.fuel ? put_cost_field() : kNone;
  link_branch(t, rel, start, cost);
}

void FunctionLowerer::emit_return() {
  emit_op(opts_.fuel ? IOp::ReturnOpF : IOp::ReturnOp);
}

FunctionLowerer::CondBranch FunctionLowerer::emit_cond_branch(bool when_true, size_t materialize_from) {
  const Entry cond = pop();
  bool is64 = false, imm = false;
  int cmp = -1;
  bool eqz = false;
  const LastOp p = last_;
  if (p.valid && cond.kind == Entry::kSlot) {
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
  if (cmp >= 0 || eqz) code_.truncate(p.start);  // the comparison is fused into the branch
  materialize_range(materialize_from);
  uint32_t cond_slot = 0;
  if (cmp < 0 && !eqz) {
    Entry c = cond;
    cond_slot = operand_slot(c);  // may emit code: must precede the branch's start
  }
  const bool f = opts_.fuel;
  const uint32_t start = pos();
  if (cmp >= 0) {
    const int c = when_true ? cmp : kNegatedCompare[cmp];
    IOp base;
    if (is64)
      base = imm ? (f ? IOp::BrIfI64EqIF : IOp::BrIfI64EqI) : (f ? IOp::BrIfI64EqF : IOp::BrIfI64Eq);
    else
      base = imm ? (f ? IOp::BrIfI32EqIF : IOp::BrIfI32EqI) : (f ? IOp::BrIfI32EqF : IOp::BrIfI32Eq);
    emit_op(iop_offset(base, c));
    put_u32(off(p.a));
    if (imm)
      is64 ? put_u64(p.imm) : put_u32(uint32_t(p.imm));
    else
      put_u32(off(p.b));
  } else if (eqz) {
    // (x == 0) is true  <=> branch when x is zero
    const bool on_zero = when_true;
    IOp op = is64 ? (on_zero ? IOp::BrIfEqz64 : IOp::BrIfNez64) : (on_zero ? IOp::BrIfEqz32 : IOp::BrIfNez32);
    if (f) op = iop_offset(op, int(IOp::BrIfNez32F) - int(IOp::BrIfNez32));
    emit_op(op);
    put_u32(off(p.a));
  } else {
    IOp op = when_true ? IOp::BrIfNez32 : IOp::BrIfEqz32;
    if (f) op = iop_offset(op, int(IOp::BrIfNez32F) - int(IOp::BrIfNez32));
    emit_op(op);
    put_u32(off(cond_slot));
  }
  const uint32_t rel = pos();
  put_u32(0);
  CondBranch br{kNone, kNone};
  const uint32_t taken_cost = f ? put_cost_field() : kNone;
  if (f) br.fall_cost_field = put_cost_field();
  br.fixup = add_fixup(kNone, rel, start, taken_cost);
  return br;
}

void FunctionLowerer::move_label_values(size_t count, uint32_t dst_slot) {
  if (count == 0) return;
  const size_t first = entries_.size() - count;
  if (count == 1) {
    Entry& e = entries_[first];
    switch (e.kind) {
      case Entry::kSlot:
        emit_copy(e.type, dst_slot, e.slot);
        break;
      case Entry::kLocal:
        emit_copy(e.type, dst_slot, local_slot_[e.local]);
        break;
      case Entry::kConst:
        emit_const(e.type, dst_slot, e.bits);
        break;
      case Entry::kAddImm:
      case Entry::kShlImm:
      case Entry::kIndexed:
        emit_address(e, dst_slot);
        break;
    }
    return;
  }
  // Several values: make them canonical, then copy them down in ascending order.
  materialize_range(first);
  copy_canonical_values(first, dst_slot);
}

// Copies canonical entries [first..] to the slots starting at dst_slot. The destination never lies above
// the source, so an ascending copy cannot clobber a source still to be read.
void FunctionLowerer::copy_canonical_values(size_t first, uint32_t dst_slot) {
  uint32_t d = dst_slot;
  for (size_t i = first; i < entries_.size(); ++i) {
    emit_copy(entries_[i].type, d, entries_[i].slot);
    d += wasm::slot_count(entries_[i].type);
  }
}

void FunctionLowerer::lower_br(uint32_t depth) {
  Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  if (&t == &ctrls_.front()) {
    lower_return();
    return;
  }
  move_label_values(t.kind == Opcode::Loop ? t.sig.params.size() : t.sig.results.size(), t.base_slot);
  emit_jump_to(t);
  mark_dead();
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
  uint32_t fall_cost_field;
  if (direct) {
    const CondBranch br = emit_cond_branch(true, first);
    const Fixup fx = fixups_[br.fixup];
    link_branch(ctrls_[ti], fx.field, fx.instr_start, fx.cost_field);
    fall_cost_field = br.fall_cost_field;
  } else {
    // Branch around the copies when the condition is false; the taken edge of that branch is the
    // fall-through of the br_if, and the copy path carries the real target's cost itself.
    const CondBranch skip = emit_cond_branch(false, first);
    copy_canonical_values(first, dst);
    if (to_function)
      emit_return();
    else
      emit_jump_to(ctrls_[ti]);
    bind_fixups(skip.fixup, pos());
    fall_cost_field = fixups_[skip.fixup].cost_field;
  }
  fuel_close();
  if (opts_.fuel) fuel_open({fall_cost_field});
  last_.valid = false;
}

void FunctionLowerer::lower_br_table(uint32_t default_depth, std::span<const uint32_t> targets) {
  Entry index = pop();
  const uint32_t index_slot = operand_slot(index);
  const Ctrl& def = ctrls_[ctrls_.size() - 1 - default_depth];
  const size_t n = &def == &ctrls_.front()
                       ? def.sig.results.size()
                       : (def.kind == Opcode::Loop ? def.sig.params.size() : def.sig.results.size());
  const size_t first = entries_.size() - n;
  materialize_range(first);

  const bool f = opts_.fuel;
  const uint32_t stride = f ? 8 : 4;
  const uint32_t start = pos();
  emit_op(f ? IOp::BrTableOpF : IOp::BrTableOp);
  put_u32(off(index_slot));
  put_u32(uint32_t(targets.size()));
  const uint32_t table = pos();
  for (size_t i = 0; i <= targets.size(); ++i) put_bytes("\0\0\0\0\0\0\0\0", stride);

  struct Stub {
    uint32_t depth;
    uint32_t pos;
  };
  std::vector<Stub> stubs;
  std::vector<std::pair<uint32_t, uint32_t>> pending_stubs;  // (rel field, depth)
  for (size_t i = 0; i <= targets.size(); ++i) {
    const uint32_t depth = i < targets.size() ? targets[i] : default_depth;
    const uint32_t field = table + uint32_t(i) * stride;
    const size_t ti = ctrls_.size() - 1 - depth;
    Ctrl& t = ctrls_[ti];
    const bool direct = ti != 0 && (n == 0 || entries_[first].slot == t.base_slot);
    if (direct)
      link_branch(t, field, start, f ? field + 4 : kNone);
    else
      pending_stubs.emplace_back(field, depth);  // its cost stays 0: the stub's jump pays
  }
  for (auto [field, depth] : pending_stubs) {
    auto it = std::find_if(stubs.begin(), stubs.end(), [&](const Stub& s) { return s.depth == depth; });
    if (it == stubs.end()) {
      const uint32_t stub_pos = pos();
      const size_t ti = ctrls_.size() - 1 - depth;
      copy_canonical_values(first, ti == 0 ? 0 : ctrls_[ti].base_slot);
      if (ti == 0)
        emit_return();
      else
        emit_jump_to(ctrls_[ti]);
      stubs.push_back(Stub{depth, stub_pos});
      it = stubs.end() - 1;
    }
    patch_u32(field, uint32_t(int32_t(it->pos) - int32_t(start)));
  }
  mark_dead();
}

void FunctionLowerer::lower_return() {
  move_label_values(ctrls_.front().sig.results.size(), 0);
  emit_return();
  mark_dead();
}

// ---------------------------------------------------------------------------------------------------------
// exception handling

// try_table is a block whose body is covered by handlers (see ExnHandler). Each catch clause gets a
// landing pad, a jump to its label, emitted before the body and skipped on the normal path: the pads
// are emitted while the target labels are still open, so they link like any branch.
void FunctionLowerer::lower_try_table(validate::BlockSignature sig, std::span<const uint32_t> catches) {
  materialize_range(ctrls_.back().base);  // as for a block; handlers then find every outer value in place
  const size_t n = catches.size() / 3;
  std::vector<ExnHandler> handlers;
  if (n > 0) {
    const uint32_t over = pos();
    emit_op(IOp::Jump);
    const uint32_t over_field = pos();
    put_u32(0);
    for (size_t i = 0; i < n; ++i) {
      ExnHandler h;
      h.kind = catches[3 * i];
      h.tag = catches[3 * i + 1];
      h.pad = pos() - func_start_;
      const size_t ti = ctrls_.size() - 1 - catches[3 * i + 2];
      Ctrl& t = ctrls_[ti];
      if (ti == 0) {  // the function's label: the delivered values are its results, then return
        h.dst = 0;
        emit_return();
      } else {
        h.dst = off(t.base_slot);
        const auto types = t.kind == Opcode::Loop ? t.sig.params : t.sig.results;
        max_slot_ = std::max(max_slot_, t.base_slot + slots_of(types));
        emit_jump_to(t);
      }
      handlers.push_back(h);
    }
    patch_u32(over_field, pos() - over);
  }
  const uint32_t base = uint32_t(entries_.size() - sig.params.size());
  const uint32_t base_slot = sig.params.empty() ? top_slot() : entries_[base].slot;
  ctrls_.push_back(Ctrl{Opcode::Block, sig, base, base_slot, kNone, kNone, 0, false, 0, kNone});
  for (ExnHandler& h : handlers) h.start = pos() - func_start_;
  open_tries_.push_back(OpenTry{ctrls_.size() - 1, std::move(handlers)});
  last_.valid = false;
}

void FunctionLowerer::lower_throw(uint32_t tag) {
  const wasm::FuncType& ft = ctx_.module->types[ctx_.tag_types[tag]];
  const size_t first = entries_.size() - ft.params.size();
  materialize_range(first);
  const uint32_t arg_slot = ft.params.empty() ? top_slot() : entries_[first].slot;
  emit_op(IOp::ThrowOp);
  put_u32(tag);
  put_u32(off(arg_slot));
  put_u32(slots_of(ft.params));
  mark_dead();
}

void FunctionLowerer::lower_throw_ref() {
  Entry e = pop();
  const uint32_t slot = operand_slot(e);
  emit_op(IOp::ThrowRefOp);
  put_u32(off(slot));
  mark_dead();
}

// ---------------------------------------------------------------------------------------------------------
// calls

void FunctionLowerer::lower_call(uint32_t func_index) {
  const wasm::FuncType& ft = ctx_.module->types[ctx_.func_types[func_index]];
  const size_t first = entries_.size() - ft.params.size();
  materialize_range(first);
  const uint32_t arg_slot = ft.params.empty() ? top_slot() : entries_[first].slot;
  emit_op(opts_.fuel ? IOp::CallOpF : IOp::CallOp);
  put_u32(func_index);
  put_u32(off(arg_slot));
  const uint32_t continuation = opts_.fuel ? put_cost_field() : kNone;
  entries_.resize(first);
  for (ValType t : ft.results) push_slot(t);
  max_slot_ = std::max(max_slot_, arg_slot + std::max(slots_of(ft.params), slots_of(ft.results)));
  fuel_close();
  if (opts_.fuel) fuel_open({continuation});
}

void FunctionLowerer::lower_call_indirect(uint32_t type_index, uint32_t table) {
  const wasm::FuncType& ft = ctx_.module->types[type_index];
  Entry index = pop();
  const uint32_t index_slot = operand_slot(index);
  const size_t first = entries_.size() - ft.params.size();
  materialize_range(first);
  const uint32_t arg_slot = ft.params.empty() ? top_slot() : entries_[first].slot;
  emit_op(opts_.fuel ? IOp::CallIndirectOpF : IOp::CallIndirectOp);
  put_u32(type_ids_[type_index]);
  put_u32(table);
  put_u32(off(index_slot));
  put_u32(off(arg_slot));
  const uint32_t continuation = opts_.fuel ? put_cost_field() : kNone;
  entries_.resize(first);
  for (ValType t : ft.results) push_slot(t);
  max_slot_ = std::max(max_slot_, arg_slot + std::max(slots_of(ft.params), slots_of(ft.results)) + 1);
  fuel_close();
  if (opts_.fuel) fuel_open({continuation});
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
    case Entry::kSlot:
      return;
    case Entry::kLocal:
      emit_copy(e.type, e.slot, local_slot_[e.local]);
      break;
    case Entry::kConst:
      emit_const(e.type, e.slot, e.bits);
      break;
    case Entry::kAddImm:
    case Entry::kShlImm:
    case Entry::kIndexed:
      emit_address(e, e.slot);
      break;
  }
  e.kind = Entry::kSlot;
}

void FunctionLowerer::emit_address(const Entry& e, uint32_t dst) {
  switch (e.kind) {
    case Entry::kAddImm: {
      const uint32_t base = source_slot(e, e.local);
      emit_op(IOp::I32AddI);
      const uint32_t dst_field = pos();
      put_u32(off(dst));
      put_u32(off(base));
      put_u32(uint32_t(e.bits));
      note_result(dst_field, IOp::I32AddI, base, 0, uint32_t(e.bits));
      return;
    }
    case Entry::kShlImm: {
      const uint32_t src = source_slot(e, e.local);
      emit_op(IOp::I32ShlI);
      const uint32_t dst_field = pos();
      put_u32(off(dst));
      put_u32(off(src));
      put_u32(e.shift);
      note_result(dst_field, IOp::I32ShlI, src, 0, e.shift);
      return;
    }
    case Entry::kIndexed: {
      emit_op(IOp::I32Lea);
      const uint32_t dst_field = pos();
      put_u32(off(dst));
      put_u32(off(source_slot(e, e.local)));
      put_u32(off(source_slot(e, e.index)));
      put_u32(e.shift);
      put_u32(uint32_t(e.bits));
      note_result(dst_field, IOp::I32Lea, 0, 0, 0);
      return;
    }
    default:
      return;
  }
}

uint32_t FunctionLowerer::operand_slot(Entry& e) {
  if (e.kind == Entry::kLocal) return local_slot_[e.local];
  materialize(e);
  return e.slot;
}

void FunctionLowerer::materialize_range(size_t from) {
  for (size_t i = from; i < entries_.size(); ++i) materialize(entries_[i]);
}

// Whether a (possibly virtual) entry reads `local`.
bool FunctionLowerer::refers_to_local(const Entry& e, uint32_t local) {
  switch (e.kind) {
    case Entry::kLocal:
    case Entry::kAddImm:
    case Entry::kShlImm:
      return e.local == local;
    case Entry::kIndexed:
      return e.local == local || e.index == local;
    default:
      return false;
  }
}

bool FunctionLowerer::has_local_refs(uint32_t local) const {
  for (size_t i = ctrls_.back().base; i < entries_.size(); ++i)
    if (refers_to_local(entries_[i], local)) return true;
  return false;
}

void FunctionLowerer::materialize_local_refs(uint32_t local) {
  for (size_t i = ctrls_.back().base; i < entries_.size(); ++i)
    if (refers_to_local(entries_[i], local)) materialize(entries_[i]);
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

void FunctionLowerer::note_result(uint32_t dst_field, IOp op, uint32_t a, uint32_t b, uint64_t imm) {
  last_ = LastOp{true, dst_field - 8, dst_field, op, a, b, imm};
}

// ---------------------------------------------------------------------------------------------------------
// fuel

uint32_t FunctionLowerer::put_cost_field() {
  const uint32_t at = pos();
  put_u32(0);
  return at;
}

void FunctionLowerer::fuel_open(std::vector<uint32_t> fields) {
  if (!opts_.fuel) return;
  block_open_ = true;
  ++block_id_;
  fuel_accum_ = 0;
  block_fields_ = std::move(fields);
}

void FunctionLowerer::fuel_close() {
  if (!block_open_) return;
  block_open_ = false;
  for (uint32_t field : block_fields_) {
    if (field == kEntryCostField)
      entry_cost_ = fuel_accum_;
    else
      patch_u32(field, fuel_accum_);
  }
  for (Ctrl& c : ctrls_)
    if (c.kind == Opcode::Loop && c.header_block == block_id_) c.header_cost = fuel_accum_;
  fuel_accum_ = 0;
}

// ---------------------------------------------------------------------------------------------------------
// module

namespace {

// Lowers defined functions [first, last) into `code`. On failure returns the index of the first failing
// function with its error; later functions of the range are not lowered.
struct RangeResult {
  std::vector<CompiledFunc> funcs;
  size_t failed = SIZE_MAX;
  Error error;
};

RangeResult lower_range(const wasm::Module& module, const validate::BodyContext& ctx,
                        const LowerOptions& options, std::span<const uint32_t> type_ids, CodeBuffer& code,
                        size_t first, size_t last) {
  RangeResult r;
  size_t bytes = 0;
  for (size_t i = first; i < last; ++i) bytes += module.codes[i].code.size();
  code.reserve(bytes * 12 + 4096);  // lowered code is ~10x its wasm (untouched pages cost nothing)
  r.funcs.reserve(last - first);
  FunctionLowerer lowerer(ctx, options, type_ids, code);
  for (size_t i = first; i < last; ++i) {
    auto lowered = lowerer.lower(module.num_imported_funcs + uint32_t(i), module.codes[i]);
    if (!lowered) {
      r.failed = i;
      r.error = std::move(lowered.error());
      return r;
    }
    lowered->type_index = module.functions[i];
    r.funcs.push_back(*lowered);
  }
  return r;
}

}  // namespace

Result<void> lower_module(const wasm::Module& module, const validate::BodyContext& ctx,
                          const LowerOptions& options, CompiledModule& out) {
  const size_t n = module.codes.size();
  size_t total_bytes = 0;
  for (const wasm::FunctionBody& body : module.codes) total_bytes += body.code.size();
  // Parallel lowering pays off only for large modules: a thread costs tens of microseconds.
  constexpr size_t kBytesPerThread = 256 * 1024;
  const size_t threads =
      std::max<size_t>(1, std::min<size_t>({options.threads, total_bytes / kBytesPerThread, n}));

  // Split into contiguous ranges of about equal code size.
  std::vector<size_t> bounds{0};
  size_t acc = 0;
  for (size_t i = 0; i < n && bounds.size() < threads; ++i) {
    acc += module.codes[i].code.size();
    if (acc * threads >= total_bytes * bounds.size()) bounds.push_back(i + 1);
  }
  bounds.push_back(n);
  const size_t ranges = bounds.size() - 1;

  out.code.resize(ranges);
  std::vector<RangeResult> results(ranges);
  std::vector<std::thread> workers;
  // An exception must not escape a worker (std::terminate); running out of host memory becomes an error of
  // the range, reported like a validation error.
  auto lower_one = [&](size_t t) {
    try {
      results[t] = lower_range(module, ctx, options, out.type_ids, out.code[t], bounds[t], bounds[t + 1]);
    } catch (const std::bad_alloc&) {
      results[t].failed = bounds[t];
      results[t].error = Error(ErrorKind::kLimit, "out of host memory while compiling");
    }
  };
  for (size_t t = 1; t < ranges; ++t) workers.emplace_back(lower_one, t);
  lower_one(0);
  for (std::thread& w : workers) w.join();

  // The first failing function in module order decides the error, as in a sequential pass.
  for (RangeResult& r : results) {
    if (r.failed == SIZE_MAX) continue;
    // The spec decodes everything before validating: a malformed body anywhere wins over this error.
    if (r.error.kind != ErrorKind::kMalformed)
      if (auto malformed = decode::find_malformed_body(module, r.failed, ctx.features))
        return std::unexpected(*malformed);
    return std::unexpected(std::move(r.error));
  }
  out.metered = options.fuel;
  out.funcs.reserve(n);
  for (size_t t = 0; t < ranges; ++t)
    for (CompiledFunc& f : results[t].funcs) {
      f.segment = uint32_t(t);
      f.entry = out.code[t].data() + f.code_offset;
      out.funcs.push_back(f);
    }
  return {};
}

}  // namespace airwasm::interp
