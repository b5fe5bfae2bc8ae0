// interp: lowering of a validated-as-we-go function body to direct-threaded, register-style internal code.
//
// Every operand-stack position has a fixed frame slot (its "canonical" slot, known statically), so an
// instruction names its operands by slot: `i32.add` becomes [I32Add][dst][a][b]. To avoid copies,
// stack entries may stay *virtual*: a `local.get` is an entry naming the local's slot, a constant is an
// entry holding its value (consumed as an immediate where an immediate form exists), and `x + constant`
// is an entry that a load or store consumes as base + displacement. Virtual entries are materialized into
// their canonical slots when needed: before a write to the local they name, at block boundaries and for
// call arguments. A result that is immediately stored by local.set is written straight into the local
// (destination folding); an integer comparison consumed by br_if/if becomes one fused compare-and-branch.
// Branch targets, result copies and stack heights are all resolved here.
//
// Fuel (when enabled) is charged per basic block with costs summed here, on the control transfer that
// enters the block: branch ops carry the cost of their target and of their fall-through, calls charge the
// callee's entry block and carry the cost of their own continuation. Costs of blocks not yet lowered are
// patched when the block ends. Only a fall-through into a merge point needs a separate Fuel op.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "base/result.hh"
#include "interp/compiled.hh"
#include "interp/iop.hh"
#include "validate/func_validator.hh"

namespace airwasm::interp {

struct LowerOptions {
  bool fuel = false;
  bool simd = true;
  unsigned threads = 1;  // functions are lowered in parallel by up to this many threads
};

class FunctionLowerer {
 public:
  FunctionLowerer(const validate::BodyContext& ctx, const LowerOptions& options,
                  std::span<const uint32_t> type_ids, CodeBuffer& code)
      : ctx_(ctx),
        opts_(options),
        type_ids_(type_ids),
        code_(code),
        validator_(ctx),
        handlers_(handler_table()) {
    entries_.reserve(64);
    ctrls_.reserve(16);
    fixups_.reserve(64);
  }

  // Validates and lowers one defined function, appending its code to the shared buffer.
  Result<CompiledFunc> lower(uint32_t func_index, const wasm::FunctionBody& body);

 private:
  using ValType = wasm::ValType;
  static constexpr uint32_t kNone = ~uint32_t{0};

  // An operand-stack entry.
  // Virtual address entries keep their sources by reference: a local, or the entry's own canonical
  // slot (kNone in `local`/`index`), which no later push can overwrite. At most one source is "own".
  struct Entry {
    enum Kind : uint8_t { kSlot, kLocal, kConst, kAddImm, kShlImm, kIndexed };
    ValType type;
    Kind kind;
    uint32_t slot;   // canonical slot of this stack position
    uint32_t local;  // kLocal: the local; kAddImm/kShlImm: the source; kIndexed: the base (kNone: own)
    uint64_t bits;   // kConst: value bits (i32 zero-extended); kAddImm/kIndexed: the displacement
    uint32_t index = kNone;  // kIndexed: the index local (kNone: own slot)
    uint8_t shift = 0;       // kShlImm/kIndexed: shift count (0..31)
  };
  struct Fixup {
    uint32_t field;        // position of the rel32 field
    uint32_t instr_start;  // position the rel is relative to
    uint32_t cost_field;   // position of the edge's fuel cost field, or kNone
    uint32_t next;         // next fixup of the same label, or kNone
  };
  struct Ctrl {
    wasm::Opcode kind;
    validate::BlockSignature sig;
    uint32_t base;        // entries_.size() at entry, parameters excluded
    uint32_t base_slot;   // canonical slot of the first parameter/result
    uint32_t fixups;      // head of the forward-branch list (to the end), or kNone
    uint32_t else_fixup;  // `if`: head of the branch-to-else list, or kNone
    uint32_t loop_pos;    // `loop`: position of the header
    bool dead_at_entry;
    uint32_t header_block;  // `loop`: fuel block id of the header block
    uint32_t header_cost;   // `loop`: that block's cost once it has ended, else kNone
  };
  // A conditional branch just emitted: its fixup (rel and taken-edge cost) and fall-through cost field.
  struct CondBranch {
    uint32_t fixup;
    uint32_t fall_cost_field;  // kNone without fuel
  };
  // The instruction just emitted, for destination folding and compare-branch fusion.
  struct LastOp {
    bool valid = false;
    uint32_t start = 0;      // code position of the instruction
    uint32_t dst_field = 0;  // position of its dst operand
    IOp op = IOp::kCount;    // the emitted op
    uint32_t a = 0, b = 0;   // operand slots (b unused for immediate forms)
    uint64_t imm = 0;
  };

  // ---- driver (lower_control.cc) ----
  Result<void> lower_instr(const wasm::Instr& in, std::span<const uint32_t> br_targets);
  Result<void> lower_control(const wasm::Instr& in, std::span<const uint32_t> br_targets);
  void lower_block(const wasm::Instr& in, validate::BlockSignature sig);
  void lower_if(validate::BlockSignature sig);
  void lower_else();
  void lower_end();
  void lower_br(uint32_t depth);
  void lower_br_if(uint32_t depth);
  void lower_br_table(uint32_t default_depth, std::span<const uint32_t> targets);
  void lower_return();
  void lower_call(uint32_t func_index);
  void lower_try_table(validate::BlockSignature sig, std::span<const uint32_t> catches);
  void lower_throw(uint32_t tag);
  void lower_throw_ref();
  void lower_call_indirect(uint32_t type_index, uint32_t table);
  // Emits a conditional branch on the top entry (popped) after making entries [materialize_from..]
  // canonical; `when_true` selects the polarity. Fuses a preceding comparison if there is one.
  CondBranch emit_cond_branch(bool when_true, size_t materialize_from);
  // Moves the top `count` entries (label values) to the slots starting at `dst_slot`.
  void move_label_values(size_t count, uint32_t dst_slot);
  void copy_canonical_values(size_t first, uint32_t dst_slot);
  void bind_fixups(uint32_t head, uint32_t target_pos);
  uint32_t add_fixup(uint32_t head, uint32_t field, uint32_t instr_start, uint32_t cost_field);
  // Points a branch (rel field, cost field) at `target`: a loop header now, a forward label later.
  void link_branch(Ctrl& target, uint32_t rel_field, uint32_t instr_start, uint32_t cost_field);
  void emit_jump_to(Ctrl& target);  // unconditional jump to a block or loop label
  void emit_return();
  void mark_dead();

  // ---- data operations (lower_ops.cc) ----
  Result<void> lower_simple(const wasm::Instr& in);
  Result<void> lower_other_memory(const wasm::Instr& in);
  bool try_lower_binary_imm(const wasm::Instr& in);
  bool try_lower_memory_disp(const wasm::Instr& in);
  bool try_lower_address_add(const wasm::Instr& in);
  bool try_fuse_multiply(const wasm::Instr& in);
  uint32_t source_slot(const Entry& e, uint32_t local) const {
    return local == kNone ? e.slot : local_slot_[local];
  }
  // Emits the computation of a virtual address entry into `dst` (kAddImm, kShlImm, kIndexed).
  void emit_address(const Entry& e, uint32_t dst);
  void lower_local_set(uint32_t local, bool tee);
  void lower_const(const wasm::Instr& in);
  Result<void> lower_other(const wasm::Instr& in);

  // ---- stack and emission helpers (lower_control.cc) ----
  uint32_t top_slot() const;  // canonical slot for a new entry
  Entry& push_slot(ValType t);
  void push_local(uint32_t local);
  void push_const(ValType t, uint64_t bits);
  Entry pop();
  // Slot of an entry, materializing constants into their canonical slot first.
  uint32_t operand_slot(Entry& e);
  void materialize(Entry& e);
  void materialize_range(size_t from);  // entries_[from..]
  void materialize_local_refs(uint32_t local);
  bool has_local_refs(uint32_t local) const;
  static bool refers_to_local(const Entry& e, uint32_t local);
  void emit_copy(ValType t, uint32_t dst_slot, uint32_t src_slot);
  void emit_const(ValType t, uint32_t dst_slot, uint64_t bits);
  // Emission is on the hot path of compilation: inline, no zero-filling (see CodeBuffer).
  void emit_op(IOp op) {
    last_.valid = false;  // any emission ends the window for folding into the previous instruction
    const void* h = handlers_[size_t(op)];
    code_.append(&h, sizeof h);
  }
  void put_u8(uint8_t v) { code_.append(&v, 1); }
  void put_u32(uint32_t v) { code_.append(&v, 4); }
  void put_u64(uint64_t v) { code_.append(&v, 8); }
  void put_bytes(const void* p, size_t n) { code_.append(p, n); }
  void patch_u32(uint32_t at, uint32_t v) { std::memcpy(code_.data() + at, &v, 4); }
  uint32_t pos() const { return uint32_t(code_.size()); }
  static uint32_t off(uint32_t slot) { return slot * 8; }        // slot -> byte offset operand
  void reset_to(const Ctrl& c, std::span<const ValType> types);  // stack := base + types as slots
  void note_result(uint32_t dst_field, IOp op, uint32_t a, uint32_t b, uint64_t imm);

  // ---- fuel: the basic block being lowered and the cost fields waiting for its cost ----
  static constexpr uint32_t kEntryCostField = kNone - 1;  // "the function's entry_cost"
  void fuel_open(std::vector<uint32_t> fields);
  void fuel_close();
  uint32_t put_cost_field();  // appends a u32 cost field (0 until patched), returns its position

  const validate::BodyContext& ctx_;
  LowerOptions opts_;
  std::span<const uint32_t> type_ids_;
  CodeBuffer& code_;
  validate::FuncValidator validator_;
  const void* const* handlers_;

  std::vector<uint32_t> local_slot_;  // slot of each local
  uint32_t num_local_slots_ = 0;
  uint32_t max_slot_ = 0;  // highest slot used + 1
  std::vector<Entry> entries_;
  std::vector<Ctrl> ctrls_;
  std::vector<Fixup> fixups_;
  std::vector<Entry> scratch_;
  bool dead_ = false;
  bool selected_memory_ = false;  // lowering an access between MemSelect and MemRestore
  // Exception handlers: those of try_tables still open (their body's end is not known yet), and the
  // finished ones of this function, innermost first (a try_table's handlers are added at its end).
  struct OpenTry {
    size_t ctrl;  // index in ctrls_
    std::vector<ExnHandler> handlers;
  };
  std::vector<OpenTry> open_tries_;
  std::vector<ExnHandler> exn_handlers_;
  std::vector<LoopExtent> loops_;  // the loops closed so far in the current function
  uint32_t func_start_ = 0;
  LastOp last_;  // the most recently emitted instruction, while nothing has been emitted after it
  bool block_open_ = false;
  uint32_t block_id_ = 0;
  uint32_t fuel_accum_ = 0;
  // (code position relative to the function start, module offset) of each instruction that emitted code;
  // encoded into CompiledFunc::offset_map when the function ends.
  std::vector<std::pair<uint32_t, uint32_t>> offset_marks_;
  void mark_offset(uint32_t code_start, size_t module_offset);
  std::vector<uint8_t> encode_offset_marks() const;
  std::vector<uint32_t> block_fields_;
  uint32_t entry_cost_ = 0;
};

// Lowers every defined function of a validated-structure module.
Result<void> lower_module(const wasm::Module& module, const validate::BodyContext& ctx,
                          const LowerOptions& options, CompiledModule& out);

}  // namespace airwasm::interp
