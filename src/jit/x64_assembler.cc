// jit: instruction encoding for the x86-64 assembler (see x64_assembler.hh). Every instruction goes
// through emit_op: [legacy prefix] [REX] opcode bytes, ModRM [SIB] [disp8/disp32]; immediates follow.
// Encoding rules that are easy to get wrong, and why the code below handles them:
// - rm = 100 (rsp, r12) means "a SIB byte follows", so those bases always take a SIB byte;
// - mod = 00 with rm/base = 101 (rbp, r13) means RIP-relative / no base, so those bases need a disp8 of 0;
// - index = 100 in a SIB means "no index", so rsp cannot be an index (r12 can: REX.X distinguishes it);
// - spl/bpl/sil/dil are only addressable with a REX prefix (without one, 4-7 are ah/ch/dh/bh);
// - a mandatory prefix (66/F2/F3) must come before REX, and REX immediately before the opcode.
#include "jit/x64_assembler.hh"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace airwasm::jit {

namespace {

constexpr bool fits_i8(int64_t v) {
  return v >= -128 && v <= 127;
}
constexpr uint8_t scale_bits(uint8_t scale) {
  return scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
}
constexpr uint8_t kPrefixNone = 0;
constexpr uint8_t kPrefixOpSize = 0x66;
constexpr uint8_t kPrefixRep = 0xf3;    // also the "single" scalar SSE prefix
constexpr uint8_t kPrefixRepne = 0xf2;  // also the "double" scalar SSE prefix
constexpr uint8_t scalar_prefix(Fp p) {
  return p == Fp::kF32 ? kPrefixRep : kPrefixRepne;
}

}  // namespace

// ---------------------------------------------------------------- core encoding

void Assembler::reserve_more(size_t n) {
  const size_t capacity = std::max<size_t>(size_ + n + 4096, capacity_ * 2);
  auto grown = std::make_unique_for_overwrite<uint8_t[]>(capacity);
  if (size_ != 0) std::memcpy(grown.get(), buf_.get(), size_);
  buf_ = std::move(grown);
  capacity_ = capacity;
}

void Assembler::patch32(size_t at, uint32_t v) {
  std::memcpy(buf_.get() + at, &v, 4);
}

void Assembler::emit_op(uint8_t prefix, bool rex_w, std::span<const uint8_t> opcode, uint8_t reg,
                        const RM& operand, uint8_t byte_operands) {
  if (dry_run_) [[unlikely]]
    return;  // the operands were counted when they were made (rm)
  // At most 11 bytes (prefix, REX, 3 opcode bytes, ModRM, SIB, disp32): written through a pointer.
  if (capacity_ - size_ < 16) [[unlikely]]
    reserve_more(16);
  uint8_t* p = buf_.get() + size_;
  if (prefix != kPrefixNone) *p++ = prefix;
  uint8_t rex = 0;
  if (rex_w) rex |= 0x08;
  if (reg & 8) rex |= 0x04;
  if (operand.is_reg) {
    if (operand.reg & 8) rex |= 0x01;
  } else {
    if (operand.mem.index != Mem::kNoReg && (operand.mem.index & 8)) rex |= 0x02;
    if (operand.mem.base != Mem::kNoReg && (operand.mem.base & 8)) rex |= 0x01;
  }
  // Byte registers 4-7 are spl/bpl/sil/dil only with a REX prefix (even an empty one).
  const bool needs_empty_rex =
      ((byte_operands & kByteReg) && reg >= 4 && reg <= 7) ||
      ((byte_operands & kByteRm) && operand.is_reg && operand.reg >= 4 && operand.reg <= 7);
  if (rex != 0 || needs_empty_rex) *p++ = uint8_t(0x40 | rex);
  for (uint8_t b : opcode) *p++ = b;
  p = emit_modrm(p, reg, operand);
  size_ = size_t(p - buf_.get());
}

uint8_t* Assembler::emit_modrm(uint8_t* p, uint8_t reg, const RM& operand) {
  const uint8_t r = uint8_t((reg & 7) << 3);
  if (operand.is_reg) {
    *p++ = uint8_t(0xc0 | r | (operand.reg & 7));
    return p;
  }
  const Mem& m = operand.mem;
  if (m.base == Mem::kNoReg) {
    // [index*scale + disp32] or [disp32]: mod 00, rm 100, SIB base 101 (no base). rm 101 alone would be
    // RIP-relative in 64-bit mode.
    *p++ = uint8_t(0x04 | r);
    const uint8_t index = m.index == Mem::kNoReg ? 4 : (m.index & 7);
    *p++ = uint8_t(scale_bits(m.scale) << 6 | index << 3 | 5);
    std::memcpy(p, &m.disp, 4);
    return p + 4;
  }
  const uint8_t base = m.base & 7;
  uint8_t mod;
  if (m.disp == 0 && base != 5)
    mod = 0x00;
  else if (fits_i8(m.disp))
    mod = 0x40;
  else
    mod = 0x80;
  const bool sib = m.index != Mem::kNoReg || base == 4;
  if (sib) {
    *p++ = uint8_t(mod | r | 4);
    const uint8_t index = m.index == Mem::kNoReg ? 4 : (m.index & 7);
    *p++ = uint8_t(scale_bits(m.scale) << 6 | index << 3 | base);
  } else {
    *p++ = uint8_t(mod | r | base);
  }
  if (mod == 0x40) {
    *p++ = uint8_t(int8_t(m.disp));
  } else if (mod == 0x80) {
    std::memcpy(p, &m.disp, 4);
    p += 4;
  }
  return p;
}

// ---------------------------------------------------------------- labels and control flow

Label Assembler::new_label() {
  labels_.emplace_back();
  return Label{uint32_t(labels_.size() - 1)};
}

Label Assembler::label_at(uint32_t offset) {
  assert(offset <= size_);
  if (offset == size_) end_store_forwarding();
  labels_.push_back(LabelState{offset, kNone});
  return Label{uint32_t(labels_.size() - 1)};
}

void Assembler::add_fixup(LabelState& s, uint32_t label_id) {
  if (s.fixups == kNone) labels_with_fixups_.push_back(label_id);
  fixups_.push_back(Fixup{uint32_t(size_), s.fixups});
  s.fixups = uint32_t(fixups_.size() - 1);
}

void Assembler::bind(Label l) {
  end_store_forwarding();
  LabelState& s = labels_[l.id];
  assert(s.offset == kNone && "label bound twice");
  s.offset = uint32_t(size_);
  bind_log_.emplace_back(l.id, s.offset);
  for (uint32_t i = s.fixups; i != kNone; i = fixups_[i].next) {
    const uint32_t field = fixups_[i].field;
    patch32(field, uint32_t(int32_t(s.offset) - int32_t(field + 4)));
    fixups_[i].field = kNone;  // resolved
  }
  s.fixups = kNone;
  // Resolved references at the pool's end go (no list points at them any more), so the pool stays about
  // as large as the references still waiting rather than growing with the module's code.
  while (!fixups_.empty() && fixups_.back().field == kNone) fixups_.pop_back();
}

void Assembler::rollback(Checkpoint c) {
  assert(c.size <= size_ && c.labels <= labels_.size());
  size_ = c.size;
  end_store_forwarding();
  labels_.resize(c.labels);
  // Older labels bound inside the dropped code become unbound; their references from it disappear (the
  // newest ones of each list, since a list is newest first).
  std::erase_if(labels_with_fixups_, [&](uint32_t id) {
    if (id >= labels_.size()) return true;
    LabelState& s = labels_[id];
    while (s.fixups != kNone && fixups_[s.fixups].field >= c.size) s.fixups = fixups_[s.fixups].next;
    return s.fixups == kNone;
  });
  while (!fixups_.empty() && fixups_.back().field >= c.size) fixups_.pop_back();
  // Labels bound inside the dropped code: binds happen at the end of the code, so they are the last ones
  // (the binds of a dry run are at c.size itself, of labels created since c).
  while (!bind_log_.empty() && (bind_log_.back().second > c.size || bind_log_.back().first >= c.labels)) {
    if (bind_log_.back().first < labels_.size()) labels_[bind_log_.back().first].offset = kNone;
    bind_log_.pop_back();
  }
}

// ---------------------------------------------------------------- frame slots held in registers

void Assembler::configure_slots(Reg base, int32_t limit, bool counting, size_t regions) {
  slot_base_ = uint8_t(base);
  slot_limit_ = limit;
  slot_counting_ = counting;
  dry_run_ = counting;
  count_weight_ = 1;
  count_neutral_ = false;
  slots_paused_ = false;
  slot_violation_ = false;
  slot_regs_.clear();
  const size_t slots = size_t(std::max(limit, 0) + 7) / 8;
  slot_counts_.assign(std::max<size_t>(regions, 1), std::vector<SlotCounts>(counting ? slots : 0));
  count_region_ = 0;
  slot_reg_index_.assign(slots, -1);
}

void Assembler::set_slot_registers(std::vector<SlotRegister> slots) {
  for (const SlotRegister& r : slot_regs_) {
    slot_reg_index_[size_t(r.disp) / 8] = -1;
    if (r.vector) slot_reg_index_[size_t(r.disp) / 8 + 1] = -1;
  }
  slot_regs_ = std::move(slots);
  assert(slot_regs_.size() <= 32);  // written_slots_ has a bit for each
  written_slots_ = ~0u;
  for (size_t i = 0; i < slot_regs_.size(); ++i) {
    const SlotRegister& r = slot_regs_[i];
    assert(r.disp >= 0 && r.disp % 8 == 0 && r.disp + (r.vector ? 8 : 0) < slot_limit_);
    assert(!r.vector || r.xmm);
    slot_reg_index_[size_t(r.disp) / 8] = int8_t(i);
    if (r.vector) slot_reg_index_[size_t(r.disp) / 8 + 1] = int8_t(i);  // both halves name it
  }
}

const Assembler::SlotRegister* Assembler::held_slot_of_frame(const Mem& m, bool sse, Access access,
                                                             bool count) {
  if (slot_counting_ && count) {
    SlotCounts& c = counts()[size_t(m.disp) / 8];
    (count_neutral_ ? c.neutral : sse ? c.sse : c.integer) += count_weight_;
    if (m.disp % 8 != 0) c.partial = true;
  }
  if (slots_paused_ || slot_regs_.empty()) return nullptr;
  const int8_t held = slot_reg_index_[size_t(m.disp) / 8];
  if (held < 0) return nullptr;
  if (m.disp % 8 != 0 || slot_regs_[size_t(held)].vector) {
    slot_violation_ = true;  // a part of a held slot (a scalar access of a held v128 is one too)
    return nullptr;
  }
  if (access != Access::kRead) written_slots_ |= 1u << held;
  return &slot_regs_[size_t(held)];
}

Assembler::RM Assembler::rm_held(const Mem& m, const SlotRegister* held, Access access) {
  if (access == Access::kAddress || (held->xmm && access == Access::kWrite)) {
    slot_violation_ = true;  // emitted against memory; the caller redoes the op with the slots spilled
    return RM{false, 0, m};
  }
  if (!held->xmm) return RM{true, held->reg, {}};
  movd_from_xmm(Size::k64, kSlotScratch, Xmm(held->reg));  // an integer read of an xmm-held slot
  return RM{true, uint8_t(kSlotScratch), {}};
}

bool Assembler::all_labels_bound() const {
  for (const LabelState& s : labels_)
    if (s.fixups != kNone) return false;
  return true;
}

void Assembler::jump_to(Label l, uint8_t short_op, std::span<const uint8_t> near_op) {
  if (dry_run_) return;
  LabelState& s = labels_[l.id];
  if (s.offset != ~uint32_t{0}) {
    // Backward: the distance is known, so take the 2-byte form when it reaches.
    const int64_t short_rel = int64_t(s.offset) - int64_t(size_ + 2);
    if (short_op != 0 && fits_i8(short_rel)) {
      put8(short_op);
      put8(uint8_t(int8_t(short_rel)));
      return;
    }
    emit_bytes(near_op);
    put32(uint32_t(int32_t(int64_t(s.offset) - int64_t(size_ + 4))));
    return;
  }
  emit_bytes(near_op);
  add_fixup(s, l.id);
  put32(0);
}

void Assembler::jmp(Label l) {
  const uint8_t op[] = {0xe9};
  jump_to(l, 0xeb, op);
}

void Assembler::jmp_near(Label l) {
  const uint8_t op[] = {0xe9};
  jump_to(l, 0, op);  // no short opcode: always the rel32 form
}

void Assembler::jcc(Cond c, Label l) {
  const uint8_t op[] = {0x0f, uint8_t(0x80 + uint8_t(c))};
  jump_to(l, uint8_t(0x70 + uint8_t(c)), op);
}

void Assembler::call(Label l) {
  const uint8_t op[] = {0xe8};
  jump_to(l, 0, op);
}

void Assembler::lea_label(Reg dst, Label l) {
  // REX.W 8D /r with ModRM mod=00 rm=101: [rip + disp32], disp relative to the end of the instruction,
  // which is the end of the disp32 field, as for a jump's rel32.
  if (dry_run_) return;
  put8(uint8_t(0x48 | (uint8_t(dst) >= 8 ? 0x04 : 0)));
  put8(0x8d);
  put8(uint8_t(((uint8_t(dst) & 7) << 3) | 5));
  rel32_to(l);
}

void Assembler::rel32_to(Label l) {
  LabelState& s = labels_[l.id];
  if (s.offset != ~uint32_t{0}) {
    put32(uint32_t(int32_t(s.offset) - int32_t(size_ + 4)));
    return;
  }
  add_fixup(s, l.id);
  put32(0);
}

void Assembler::jmp(const Mem& target) {
  const uint8_t op[] = {0xff};
  emit_op(kPrefixNone, false, op, 4, rm(target, Access::kAddress));
}

void Assembler::jmp(Reg target) {
  const uint8_t op[] = {0xff};
  emit_op(kPrefixNone, false, op, 4, rm(target));
}

void Assembler::call(Reg target) {
  const uint8_t op[] = {0xff};
  emit_op(kPrefixNone, false, op, 2, rm(target));
}

void Assembler::call(const Mem& target) {
  const uint8_t op[] = {0xff};
  emit_op(kPrefixNone, false, op, 2, rm(target, Access::kAddress));
}

void Assembler::ret() {
  put8(0xc3);
}

void Assembler::push(Reg r) {
  if (uint8_t(r) & 8) put8(0x41);
  put8(uint8_t(0x50 + (uint8_t(r) & 7)));
}

void Assembler::pop(Reg r) {
  if (uint8_t(r) & 8) put8(0x41);
  put8(uint8_t(0x58 + (uint8_t(r) & 7)));
}

void Assembler::ud2() {
  put8(0x0f);
  put8(0x0b);
}

void Assembler::int3() {
  put8(0xcc);
}

void Assembler::nop() {
  put8(0x90);
}

// ---------------------------------------------------------------- integer moves

void Assembler::mov(Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x89};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(src), rm(dst));
}

void Assembler::mov(Size s, Reg dst, const Mem& src) {
  if (const std::optional<Reg> stored = forwarded_slot(src)) {
    if (!(s == Size::k64 && dst == *stored)) mov(s, dst, *stored);
    return;
  }
  const uint8_t op[] = {0x8b};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::mov(Size s, const Mem& dst, Reg src) {
  const SlotRegister* held = held_slot(dst, false, Access::kWrite, /*count=*/false);
  if (held && held->xmm) {
    movd_to_xmm(s, Xmm(held->reg), src);
    return;
  }
  if (!held && whole_frame_slot(dst)) s = Size::k64;  // see whole_frame_slot
  const uint8_t op[] = {0x89};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(src), rm(dst, Access::kWrite));
  if (!held && s == Size::k64 && whole_frame_slot(dst))
    last_slot_store_ = SlotStore{uint32_t(size_), dst.disp, src};
}

void Assembler::mov_imm(Size s, Reg dst, uint64_t imm) {
  const uint8_t r = uint8_t(dst);
  if (s == Size::k32 || imm <= 0xffffffffu) {
    // B8+r id: writing the 32-bit register zero-extends into the 64-bit one.
    if (r & 8) put8(0x41);
    put8(uint8_t(0xb8 + (r & 7)));
    put32(uint32_t(imm));
  } else if (int64_t(imm) >= INT32_MIN && int64_t(imm) <= INT32_MAX) {
    const uint8_t op[] = {0xc7};  // REX.W C7 /0 id: sign-extended imm32
    emit_op(kPrefixNone, true, op, 0, rm(dst));
    put32(uint32_t(imm));
  } else {
    put8(uint8_t(0x48 | ((r & 8) ? 1 : 0)));  // REX.W B8+r io (movabs)
    put8(uint8_t(0xb8 + (r & 7)));
    put64(imm);
  }
}

void Assembler::mov_imm(Size s, const Mem& dst, int32_t imm) {
  const SlotRegister* held = held_slot(dst, false, Access::kWrite, /*count=*/false);
  if (held && held->xmm) {
    mov_imm(s, kSlotScratch, s == Size::k64 ? uint64_t(int64_t(imm)) : uint64_t(uint32_t(imm)));
    movd_to_xmm(s, Xmm(held->reg), kSlotScratch);
    return;
  }
  if (!held && whole_frame_slot(dst))
    s = Size::k64;  // see whole_frame_slot (sign-extended: the upper
                    // half of a 32-bit value's slot is don't-care)
  const uint8_t op[] = {0xc7};
  emit_op(kPrefixNone, s == Size::k64, op, 0, rm(dst, Access::kWrite));
  put32(uint32_t(imm));
}

void Assembler::store8(const Mem& dst, Reg src) {
  const uint8_t op[] = {0x88};
  emit_op(kPrefixNone, false, op, uint8_t(src), rm(dst, Access::kAddress), kByteReg);
}

void Assembler::store16(const Mem& dst, Reg src) {
  const uint8_t op[] = {0x89};
  emit_op(kPrefixOpSize, false, op, uint8_t(src), rm(dst, Access::kAddress));
}

void Assembler::movzx8(Reg dst, const Mem& src) {
  const uint8_t op[] = {0x0f, 0xb6};
  emit_op(kPrefixNone, false, op, uint8_t(dst), rm(src), kByteRm);  // kByteRm: a held slot in sil/dil
}

void Assembler::movzx16(Reg dst, const Mem& src) {
  const uint8_t op[] = {0x0f, 0xb7};
  emit_op(kPrefixNone, false, op, uint8_t(dst), rm(src));
}

void Assembler::movzx8(Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, 0xb6};
  emit_op(kPrefixNone, false, op, uint8_t(dst), rm(src), kByteRm);
}

void Assembler::movsx8(Size s, Reg dst, const Mem& src) {
  const uint8_t op[] = {0x0f, 0xbe};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src), kByteRm);
}

void Assembler::movsx16(Size s, Reg dst, const Mem& src) {
  const uint8_t op[] = {0x0f, 0xbf};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::movsx8(Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, 0xbe};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src), kByteRm);
}

void Assembler::movsx16(Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, 0xbf};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::movsxd(Reg dst, const Mem& src) {
  const uint8_t op[] = {0x63};
  emit_op(kPrefixNone, true, op, uint8_t(dst), rm(src));
}

void Assembler::movsxd(Reg dst, Reg src) {
  const uint8_t op[] = {0x63};
  emit_op(kPrefixNone, true, op, uint8_t(dst), rm(src));
}

void Assembler::lea(Size s, Reg dst, const Mem& src) {
  const uint8_t op[] = {0x8d};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src, Access::kAddress));
}

// ---------------------------------------------------------------- integer arithmetic

void Assembler::alu(Alu op, Size s, Reg dst, Reg src) {
  const uint8_t opc[] = {uint8_t(uint8_t(op) * 8 + 1)};  // op r/m, r
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(src), rm(dst));
}

void Assembler::alu(Alu op, Size s, Reg dst, const Mem& src) {
  if (const std::optional<Reg> stored = forwarded_slot(src)) {
    alu(op, s, dst, *stored);
    return;
  }
  const uint8_t opc[] = {uint8_t(uint8_t(op) * 8 + 3)};  // op r, r/m
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(dst), rm(src));
}

void Assembler::alu(Alu op, Size s, const Mem& dst, Reg src) {
  const uint8_t opc[] = {uint8_t(uint8_t(op) * 8 + 1)};
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(src),
          rm(dst, op == Alu::kCmp ? Access::kRead : Access::kWrite));
}

void Assembler::alu(Alu op, Size s, Reg dst, int32_t imm) {
  const uint8_t opc[] = {uint8_t(fits_i8(imm) ? 0x83 : 0x81)};
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(op), rm(dst));
  put_imm8_or_32(imm);
}

void Assembler::alu(Alu op, Size s, const Mem& dst, int32_t imm) {
  const uint8_t opc[] = {uint8_t(fits_i8(imm) ? 0x83 : 0x81)};
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(op),
          rm(dst, op == Alu::kCmp ? Access::kRead : Access::kWrite));
  put_imm8_or_32(imm);
}

void Assembler::test(Size s, Reg a, Reg b) {
  const uint8_t op[] = {0x85};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(b), rm(a));
}

void Assembler::test(Size s, Reg a, int32_t imm) {
  const uint8_t op[] = {0xf7};
  emit_op(kPrefixNone, s == Size::k64, op, 0, rm(a));
  put32(uint32_t(imm));
}

void Assembler::bit_set(Reg dst, uint8_t bit) {
  const uint8_t op[] = {0x0f, 0xba};
  emit_op(kPrefixNone, true, op, 5, rm(dst));
  put8(bit);
}

void Assembler::bit_reset(const Mem& dst, uint8_t bit) {
  const uint8_t op[] = {0x0f, 0xba};
  emit_op(kPrefixNone, true, op, 6, rm(dst, Access::kAddress));
  put8(bit);
}

void Assembler::shift(Shift op, Size s, Reg dst) {
  const uint8_t opc[] = {0xd3};
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(op), rm(dst));
}

void Assembler::shift(Shift op, Size s, Reg dst, uint8_t count) {
  const uint8_t opc[] = {0xc1};
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(op), rm(dst));
  put8(count);
}

void Assembler::unary(Unary op, Size s, Reg r) {
  const uint8_t opc[] = {0xf7};
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(op), rm(r));
}

void Assembler::unary(Unary op, Size s, const Mem& m) {
  const uint8_t opc[] = {0xf7};
  const bool writes = op == Unary::kNot || op == Unary::kNeg;
  emit_op(kPrefixNone, s == Size::k64, opc, uint8_t(op), rm(m, writes ? Access::kWrite : Access::kRead));
}

void Assembler::imul(Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, 0xaf};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::imul(Size s, Reg dst, const Mem& src) {
  if (const std::optional<Reg> stored = forwarded_slot(src)) {
    imul(s, dst, *stored);
    return;
  }
  const uint8_t op[] = {0x0f, 0xaf};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::imul(Size s, Reg dst, Reg src, int32_t imm) {
  const uint8_t op[] = {uint8_t(fits_i8(imm) ? 0x6b : 0x69)};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
  put_imm8_or_32(imm);
}

void Assembler::cdq_cqo(Size s) {
  if (s == Size::k64) put8(0x48);
  put8(0x99);
}

void Assembler::setcc(Cond c, Reg dst) {
  const uint8_t op[] = {0x0f, uint8_t(0x90 + uint8_t(c))};
  emit_op(kPrefixNone, false, op, 0, rm(dst), kByteRm);
}

void Assembler::cmovcc(Cond c, Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, uint8_t(0x40 + uint8_t(c))};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::cmovcc(Cond c, Size s, Reg dst, const Mem& src) {
  const uint8_t op[] = {0x0f, uint8_t(0x40 + uint8_t(c))};
  emit_op(kPrefixNone, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::lzcnt(Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, 0xbd};
  emit_op(kPrefixRep, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::tzcnt(Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, 0xbc};
  emit_op(kPrefixRep, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::popcnt(Size s, Reg dst, Reg src) {
  const uint8_t op[] = {0x0f, 0xb8};
  emit_op(kPrefixRep, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::bswap(Size s, Reg r) {
  uint8_t rex = s == Size::k64 ? 0x48 : 0;
  if (uint8_t(r) & 8) rex |= 0x41;
  if (rex) put8(rex);
  put8(0x0f);
  put8(uint8_t(0xc8 + (uint8_t(r) & 7)));
}

// ---------------------------------------------------------------- scalar floating point

void Assembler::movs(Fp p, Xmm dst, Xmm src) {
  const uint8_t op[] = {0x0f, 0x10};
  emit_op(scalar_prefix(p), false, op, uint8_t(dst), rm(src));
}

void Assembler::movs(Fp p, Xmm dst, const Mem& src) {
  if (const SlotRegister* held = held_slot(src, true, Access::kRead)) {
    if (held->xmm)
      movaps(dst, Xmm(held->reg));  // the whole register: no dependency on dst's old upper lanes
    else
      movd_to_xmm(p == Fp::kF32 ? Size::k32 : Size::k64, dst, Reg(held->reg));
    return;
  }
  const uint8_t op[] = {0x0f, 0x10};
  emit_op(scalar_prefix(p), false, op, uint8_t(dst), rm(src));
}

void Assembler::movs(Fp p, const Mem& dst, Xmm src) {
  if (const SlotRegister* held = held_slot(dst, true, Access::kWrite)) {
    if (held->xmm)
      movaps(Xmm(held->reg), src);
    else
      movd_from_xmm(p == Fp::kF32 ? Size::k32 : Size::k64, Reg(held->reg), src);
    return;
  }
  if (whole_frame_slot(dst)) p = Fp::kF64;  // movsd: see whole_frame_slot
  const uint8_t op[] = {0x0f, 0x11};
  emit_op(scalar_prefix(p), false, op, uint8_t(src), rm(dst));
}

void Assembler::movaps(Xmm dst, Xmm src) {
  const uint8_t op[] = {0x0f, 0x28};
  emit_op(kPrefixNone, false, op, uint8_t(dst), rm(src));
}

void Assembler::sse(SseOp op, Fp p, Xmm dst, Xmm src) {
  const uint8_t opc[] = {0x0f, uint8_t(op)};
  emit_op(scalar_prefix(p), false, opc, uint8_t(dst), rm(src));
}

void Assembler::sse(SseOp op, Fp p, Xmm dst, const Mem& src) {
  if (const SlotRegister* held = held_slot(src, true, Access::kRead)) {
    Xmm value = Xmm(held->reg);
    if (!held->xmm) {
      value = kSlotScratchXmm;
      movd_to_xmm(p == Fp::kF32 ? Size::k32 : Size::k64, value, Reg(held->reg));
    }
    sse(op, p, dst, value);
    return;
  }
  const uint8_t opc[] = {0x0f, uint8_t(op)};
  emit_op(scalar_prefix(p), false, opc, uint8_t(dst), rm(src));
}

void Assembler::sse_logic(SseLogic op, Fp p, Xmm dst, Xmm src) {
  const uint8_t opc[] = {0x0f, uint8_t(op)};
  emit_op(p == Fp::kF64 ? kPrefixOpSize : kPrefixNone, false, opc, uint8_t(dst), rm(src));
}

void Assembler::ucomis(Fp p, Xmm a, Xmm b) {
  const uint8_t op[] = {0x0f, 0x2e};
  emit_op(p == Fp::kF64 ? kPrefixOpSize : kPrefixNone, false, op, uint8_t(a), rm(b));
}

void Assembler::ucomis(Fp p, Xmm a, const Mem& b) {
  if (const SlotRegister* held = held_slot(b, true, Access::kRead)) {
    Xmm value = Xmm(held->reg);
    if (!held->xmm) {
      value = kSlotScratchXmm;
      movd_to_xmm(p == Fp::kF32 ? Size::k32 : Size::k64, value, Reg(held->reg));
    }
    ucomis(p, a, value);
    return;
  }
  const uint8_t op[] = {0x0f, 0x2e};
  emit_op(p == Fp::kF64 ? kPrefixOpSize : kPrefixNone, false, op, uint8_t(a), rm(b));
}

void Assembler::rounds(Fp p, Xmm dst, Xmm src, RoundMode mode) {
  const uint8_t op[] = {0x0f, 0x3a, uint8_t(p == Fp::kF32 ? 0x0a : 0x0b)};
  emit_op(kPrefixOpSize, false, op, uint8_t(dst), rm(src));
  put8(uint8_t(mode));
}

void Assembler::cvtsi2s(Fp p, Size s, Xmm dst, Reg src) {
  const uint8_t op[] = {0x0f, 0x2a};
  emit_op(scalar_prefix(p), s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::cvtts2si(Fp p, Size s, Reg dst, Xmm src) {
  const uint8_t op[] = {0x0f, 0x2c};
  emit_op(scalar_prefix(p), s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::cvts2s(Fp to, Xmm dst, Xmm src) {
  // cvtss2sd (F3) widens an f32 to f64; cvtsd2ss (F2) narrows: the prefix names the source precision.
  const uint8_t op[] = {0x0f, 0x5a};
  emit_op(to == Fp::kF64 ? kPrefixRep : kPrefixRepne, false, op, uint8_t(dst), rm(src));
}

void Assembler::movd_to_xmm(Size s, Xmm dst, Reg src) {
  const uint8_t op[] = {0x0f, 0x6e};
  emit_op(kPrefixOpSize, s == Size::k64, op, uint8_t(dst), rm(src));
}

void Assembler::movd_from_xmm(Size s, Reg dst, Xmm src) {
  const uint8_t op[] = {0x0f, 0x7e};
  emit_op(kPrefixOpSize, s == Size::k64, op, uint8_t(src), rm(dst));
}

// ---------------------------------------------------------------- packed SSE

namespace {
// The fields of a Vec (see vec_encoding): mandatory prefix, opcode map (0, 0x38, 0x3A), opcode.
struct VecParts {
  uint8_t prefix, map, code;
};
constexpr VecParts vec_parts(Vec op) {
  const uint32_t v = uint32_t(op);
  return VecParts{uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}
// The legacy encoding's opcode bytes after the prefix: 0F [38|3A] op.
struct VecBytes {
  uint8_t prefix;
  uint8_t bytes[3];
  uint8_t count;
};
constexpr VecBytes vec_bytes(Vec op) {
  const VecParts v = vec_parts(op);
  if (v.map == 0) return VecBytes{v.prefix, {0x0f, v.code, 0}, 2};
  return VecBytes{v.prefix, {0x0f, v.map, v.code}, 3};
}
}  // namespace

Assembler::RM Assembler::vector_rm(const Mem& m, int32_t bytes, Access access) {
  if (m.base != slot_base_ || m.index != Mem::kNoReg || m.disp + bytes <= 0 || m.disp >= slot_limit_)
    return RM{false, 0, m};
  // A whole v128 in two slots: counted as a vector access, and rewritten into the register that holds
  // it (movdqu between registers is a move).
  const bool whole = bytes == 16 && m.disp >= 0 && m.disp % 8 == 0 && m.disp + 16 <= slot_limit_;
  if (whole && slot_counting_) {
    counts()[size_t(m.disp) / 8].vector += count_weight_;
    counts()[size_t(m.disp) / 8 + 1].vector_tail = true;
  }
  if (whole && !slots_paused_ && !slot_regs_.empty()) {
    const int8_t held = slot_reg_index_[size_t(m.disp) / 8];
    if (held >= 0 && slot_regs_[size_t(held)].vector && slot_regs_[size_t(held)].disp == m.disp) {
      if (access != Access::kRead) written_slots_ |= 1u << held;
      return RM{true, slot_regs_[size_t(held)].reg, {}};
    }
  }
  // Anything else covering a slot: never held as a scalar (counting), and not held now (else the
  // caller emits the op again with the registers spilled).
  const int32_t first = std::max(m.disp, 0) / 8, end = std::min(m.disp + bytes, slot_limit_);
  for (int32_t slot = first; slot * 8 < end; ++slot) {
    if (slot_counting_ && !whole) counts()[size_t(slot)].partial = true;
    if (!slots_paused_ && !slot_regs_.empty() && slot_reg_index_[size_t(slot)] >= 0) slot_violation_ = true;
  }
  return RM{false, 0, m};
}

void Assembler::vec(Vec op, Xmm dst, Xmm src, std::optional<uint8_t> imm) {
  const VecBytes b = vec_bytes(op);
  emit_op(b.prefix, false, std::span<const uint8_t>(b.bytes, b.count), uint8_t(dst), rm(src));
  if (imm) put8(*imm);
}

void Assembler::vec_shift(VecShiftImm op, Xmm dst, uint8_t count) {
  const uint8_t opc[] = {0x0f, uint8_t(uint16_t(op) >> 8)};
  emit_op(kPrefixOpSize, false, opc, uint8_t(uint16_t(op) & 7), rm(dst));
  put8(count);
}

void Assembler::movdqu(Xmm dst, const Mem& src) {
  const RM operand = vector_source(src);
  if (operand.is_reg) {  // held in a register, or just stored from one
    if (Xmm(operand.reg) != dst) movaps(dst, Xmm(operand.reg));
    return;
  }
  const uint8_t op[] = {0x0f, 0x6f};
  emit_op(kPrefixRep, false, op, uint8_t(dst), operand);
}

void Assembler::movdqu(const Mem& dst, Xmm src) {
  const RM operand = vector_rm(dst, 16, Access::kWrite);
  if (operand.is_reg) {  // held in a register
    if (Xmm(operand.reg) != src) movaps(Xmm(operand.reg), src);
    return;
  }
  const uint8_t op[] = {0x0f, 0x7f};
  emit_op(kPrefixRep, false, op, uint8_t(src), operand);
  if (dst.base == slot_base_ && dst.index == Mem::kNoReg)
    last_vector_store_ = VectorStore{uint32_t(size_), dst.disp, src};
}

void Assembler::movq_load(Xmm dst, const Mem& src) {
  const uint8_t op[] = {0x0f, 0x7e};
  emit_op(kPrefixRep, false, op, uint8_t(dst), vector_rm(src, 8, Access::kRead));
}

void Assembler::movd_load(Xmm dst, const Mem& src) {
  const uint8_t op[] = {0x0f, 0x6e};
  emit_op(kPrefixOpSize, false, op, uint8_t(dst), vector_rm(src, 4, Access::kRead));
}

void Assembler::pinsr(LaneBytes w, Xmm dst, Reg src, uint8_t lane) {
  if (w == LaneBytes::k2) {  // pinsrw is SSE2: 66 0F C4
    const uint8_t op[] = {0x0f, 0xc4};
    emit_op(kPrefixOpSize, false, op, uint8_t(dst), rm(src));
  } else {
    const uint8_t op[] = {0x0f, 0x3a, uint8_t(w == LaneBytes::k1 ? 0x20 : 0x22)};
    emit_op(kPrefixOpSize, w == LaneBytes::k8, op, uint8_t(dst), rm(src));
  }
  put8(lane);
}

void Assembler::pextr(LaneBytes w, Reg dst, Xmm src, uint8_t lane) {
  if (w == LaneBytes::k2) {  // pextrw r32, xmm is SSE2: 66 0F C5 (the destination in ModRM.reg)
    const uint8_t op[] = {0x0f, 0xc5};
    emit_op(kPrefixOpSize, false, op, uint8_t(dst), rm(src));
  } else {  // 66 0F 3A 14 / 16: the xmm in ModRM.reg, the destination in r/m
    const uint8_t op[] = {0x0f, 0x3a, uint8_t(w == LaneBytes::k1 ? 0x14 : 0x16)};
    emit_op(kPrefixOpSize, w == LaneBytes::k8, op, uint8_t(src), rm(dst));
  }
  put8(lane);
}

void Assembler::pmovmskb(Reg dst, Xmm src) {
  const uint8_t op[] = {0x0f, 0xd7};
  emit_op(kPrefixOpSize, false, op, uint8_t(dst), rm(src));
}

void Assembler::movmskps(Reg dst, Xmm src) {
  const uint8_t op[] = {0x0f, 0x50};
  emit_op(kPrefixNone, false, op, uint8_t(dst), rm(src));
}

void Assembler::movmskpd(Reg dst, Xmm src) {
  const uint8_t op[] = {0x0f, 0x50};
  emit_op(kPrefixOpSize, false, op, uint8_t(dst), rm(src));
}

// ---------------------------------------------------------------- VEX (AVX) forms

bool Assembler::has_avx() {
  // AIRWASM_BASELINE_AVX=0 turns the AVX forms off (the SSE4.1 code is then what runs: for tests).
  static const bool yes = [] {
    const char* v = std::getenv("AIRWASM_BASELINE_AVX");
    return __builtin_cpu_supports("avx") && !(v && *v == '0');
  }();
  return yes;
}

void Assembler::emit_vex(Vec op, uint8_t reg, uint8_t vvvv, const RM& operand) {
  if (dry_run_) [[unlikely]]
    return;
  if (capacity_ - size_ < 16) [[unlikely]]
    reserve_more(16);
  const VecParts v = vec_parts(op);
  const uint8_t pp = v.prefix == 0x66 ? 1 : v.prefix == 0xf3 ? 2 : v.prefix == 0xf2 ? 3 : 0;
  const uint8_t mmmmm = v.map == 0 ? 1 : v.map == 0x38 ? 2 : 3;
  // R, X, B are stored inverted; so is vvvv.
  const bool r = reg & 8;
  const bool x = !operand.is_reg && operand.mem.index != Mem::kNoReg && (operand.mem.index & 8);
  const bool b =
      operand.is_reg ? (operand.reg & 8) : (operand.mem.base != Mem::kNoReg && (operand.mem.base & 8));
  uint8_t* p = buf_.get() + size_;
  const uint8_t last = uint8_t(((~vvvv & 15) << 3) | pp);  // W = 0, L = 0 (128 bits)
  if (mmmmm == 1 && !x && !b) {
    *p++ = 0xc5;
    *p++ = uint8_t((r ? 0 : 0x80) | last);
  } else {
    *p++ = 0xc4;
    *p++ = uint8_t((r ? 0 : 0x80) | (x ? 0 : 0x40) | (b ? 0 : 0x20) | mmmmm);
    *p++ = last;
  }
  *p++ = v.code;
  p = emit_modrm(p, reg, operand);
  size_ = size_t(p - buf_.get());
}

void Assembler::vex(Vec op, Xmm dst, Xmm src1, Xmm src2, std::optional<uint8_t> imm) {
  emit_vex(op, uint8_t(dst), uint8_t(src1), rm(src2));
  if (imm) put8(*imm);
}

void Assembler::vex(Vec op, Xmm dst, Xmm src1, const Mem& src2, std::optional<uint8_t> imm) {
  emit_vex(op, uint8_t(dst), uint8_t(src1), vector_source(src2));
  if (imm) put8(*imm);
}

}  // namespace airwasm::jit
