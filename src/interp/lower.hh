// interp: lowering of a validated-as-we-go function body to direct-threaded, register-style internal code.
//
// Every operand-stack position has a fixed frame slot (its "canonical" slot, known statically), so an
// instruction names its operands by slot: `i32.add` becomes [I32Add][dst][a][b]. To avoid copies,
// stack entries may stay *virtual*: a `local.get` is an entry naming the local's slot, a constant is an
// entry holding its value (consumed as an immediate where an immediate form exists). Virtual entries are
// materialized into their canonical slots when needed: before a write to the local they name, at block
// boundaries and for call arguments. A result that is immediately stored by local.set is written straight
// into the local (destination folding); an integer comparison consumed by br_if/if becomes one fused
// compare-and-branch. Branch targets, result copies and stack heights are all resolved here.
// Fuel (when enabled) is charged once per basic block by a Fuel op whose cost is summed at lowering time.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/result.hh"
#include "interp/compiled.hh"
#include "interp/iop.hh"
#include "validate/func_validator.hh"

namespace airwasm::interp {

struct LowerOptions {
  bool fuel = false;
  bool interruptible = true;
  bool simd = true;
};

class FunctionLowerer {
 public:
  FunctionLowerer(const validate::BodyContext& ctx, const LowerOptions& options,
                  std::span<const uint32_t> type_ids, std::vector<uint8_t>& code)
      : ctx_(ctx), opts_(options), type_ids_(type_ids), code_(code), validator_(ctx) {}

  // Validates and lowers one defined function, appending its code to the shared buffer.
  Result<CompiledFunc> lower(uint32_t func_index, const wasm::FunctionBody& body);

 private:
  using ValType = wasm::ValType;
  static constexpr uint32_t kNone = ~uint32_t{0};

  // An operand-stack entry.
  struct Entry {
    enum Kind : uint8_t { kSlot, kLocal, kConst };
    ValType type;
    Kind kind;
    uint32_t slot;    // canonical slot of this stack position
    uint32_t local;   // kLocal: local index
    uint64_t bits;    // kConst: value bits (i32 zero-extended)
  };
  struct Fixup {
    uint32_t field;        // position of the rel32 field
    uint32_t instr_start;  // position the rel is relative to
    uint32_t next;         // next fixup of the same label, or kNone
  };
  struct Ctrl {
    wasm::Opcode kind;
    validate::BlockSignature sig;
    uint32_t base;          // entries_.size() at entry, parameters excluded
    uint32_t base_slot;     // canonical slot of the first parameter/result
    uint32_t fixups;        // head of the forward-branch list (to the end), or kNone
    uint32_t else_fixup;    // `if`: head of the branch-to-else list, or kNone
    uint32_t loop_pos;      // `loop`: position of the header
    bool dead_at_entry;
  };
  // The instruction just emitted, for destination folding and compare-branch fusion.
  struct LastOp {
    bool valid = false;
    uint32_t start = 0;     // code position of the instruction
    uint32_t dst_field = 0; // position of its dst operand
    IOp op = IOp::kCount;   // the emitted op
    uint32_t a = 0, b = 0;  // operand slots (b unused for immediate forms)
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
  void lower_call_indirect(uint32_t type_index, uint32_t table);
  // Emits a conditional branch on the top entry (popped); `when_true` selects the polarity. Fuses a
  // preceding comparison if there is one. Returns the fixup head for the branch's rel field.
  uint32_t emit_cond_branch(bool when_true, size_t materialize_from);
  // Moves the top `count` entries (label values) to the slots starting at `dst_slot`.
  void move_label_values(size_t count, uint32_t dst_slot);
  void bind_fixups(uint32_t head, uint32_t target_pos);
  uint32_t add_fixup(uint32_t head, uint32_t field, uint32_t instr_start);
  void emit_jump_to(const Ctrl& target);  // unconditional jump (or return for the function frame)

  // ---- data operations (lower_ops.cc) ----
  Result<void> lower_simple(const wasm::Instr& in);
  bool try_lower_binary_imm(const wasm::Instr& in);
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
  void materialize_range(size_t from);   // entries_[from..]
  void materialize_local_refs(uint32_t local);
  bool has_local_refs(uint32_t local) const;
  void emit_copy(ValType t, uint32_t dst_slot, uint32_t src_slot);
  void emit_const(ValType t, uint32_t dst_slot, uint64_t bits);
  void emit_op(IOp op);
  void put_u8(uint8_t v);
  void put_u32(uint32_t v);
  void put_u64(uint64_t v);
  void put_bytes(const void* p, size_t n);
  void patch_u32(uint32_t pos, uint32_t v);
  uint32_t pos() const { return uint32_t(code_.size()); }
  static uint32_t off(uint32_t slot) { return slot * 8; }  // slot -> byte offset operand
  void reset_to(const Ctrl& c, std::span<const ValType> types);  // stack := base + types as slots
  void note_result(uint32_t dst_field, IOp op, uint32_t a, uint32_t b, uint64_t imm);

  // ---- fuel ----
  void fuel_begin_block();
  void fuel_end_block();
  void fuel_split() { fuel_end_block(); fuel_begin_block(); }

  const validate::BodyContext& ctx_;
  LowerOptions opts_;
  std::span<const uint32_t> type_ids_;
  std::vector<uint8_t>& code_;
  validate::FuncValidator validator_;

  std::vector<uint32_t> local_slot_;  // slot of each local
  uint32_t num_local_slots_ = 0;
  uint32_t max_slot_ = 0;             // highest slot used + 1
  std::vector<Entry> entries_;
  std::vector<Ctrl> ctrls_;
  std::vector<Fixup> fixups_;
  std::vector<Entry> scratch_;
  bool dead_ = false;
  LastOp last_;     // set by the instruction being lowered
  LastOp pending_;  // what the previous instruction left
  uint32_t fuel_field_ = kNone;
  uint32_t fuel_accum_ = 0;
};

// Lowers every defined function of a validated-structure module.
Result<void> lower_module(const wasm::Module& module, const validate::BodyContext& ctx,
                          const LowerOptions& options, CompiledModule& out);

}  // namespace airwasm::interp
