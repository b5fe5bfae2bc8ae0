// validate: the operand/control-stack validator for function bodies (the algorithm of the spec's
// validation appendix). It is driven one instruction at a time, so the lowering pass (interp/) runs it in
// lock-step with code generation and nothing is validated twice. Errors use the spec tests' wording.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "airwasm/engine.hh"
#include "base/result.hh"
#include "wasm/instr.hh"
#include "wasm/module.hh"

namespace airwasm::validate {

using wasm::ValType;

// What function bodies may refer to, precomputed once per module.
struct BodyContext {
  const wasm::Module* module = nullptr;
  std::vector<uint32_t> func_types;  // type index per function (index space)
  std::vector<wasm::TableType> tables;
  uint32_t num_memories = 0;
  std::vector<wasm::GlobalType> globals;
  std::vector<ValType> elem_types;
  std::vector<uint32_t> tag_types;  // type index per tag (index space)
  uint32_t num_datas = 0;
  bool has_data_count = false;
  std::vector<bool> declared_refs;  // C.refs
  bool simd = true;
  Features features;    // the engine's: instruction syntax and proposal checks depend on it
  ModuleLimits limits;  // nesting depth and br_table size are checked here; the rest while decoding

  static BodyContext build(const wasm::Module& module, const Features& features,
                           std::vector<bool> declared_refs, const ModuleLimits& limits = {});
};

// Parameter and result types of a block type.
struct BlockSignature {
  std::span<const ValType> params;
  std::span<const ValType> results;
};

struct ControlFrame {
  wasm::Opcode kind = wasm::Opcode::Block;  // Block (also the function body), Loop, If, Else
  BlockSignature sig;
  uint32_t height = 0;  // operand stack height at entry, after the parameters were popped
  bool unreachable = false;
  // The types a branch to this frame carries: the loop's parameters, otherwise the results.
  std::span<const ValType> label_types() const {
    return kind == wasm::Opcode::Loop ? sig.params : sig.results;
  }
};

class FuncValidator {
 public:
  explicit FuncValidator(const BodyContext& ctx) : ctx_(ctx) {}

  // Prepares validation of defined function `func_index` (index space) with the given body.
  Result<void> begin(uint32_t func_index, const wasm::FunctionBody& body);
  // Validates one instruction and applies its effect on the operand and control stacks.
  Result<void> step(const wasm::Instr& in, std::span<const uint32_t> br_targets);
  // True once the function's final `end` has been consumed.
  bool done() const { return ctrls_.empty(); }

  // ---- queries used by the lowering pass (valid between steps) ----
  const std::vector<ValType>& local_types() const { return locals_; }  // params then declared locals
  uint32_t num_params() const { return num_params_; }
  const wasm::FuncType& func_type() const { return *func_type_; }
  size_t control_depth() const { return ctrls_.size(); }
  const ControlFrame& control(size_t depth_from_top) const {
    return ctrls_[ctrls_.size() - 1 - depth_from_top];
  }
  bool unreachable() const { return ctrls_.back().unreachable; }
  size_t operand_height() const { return vals_.size(); }
  Result<BlockSignature> block_signature(const wasm::BlockType& bt, size_t offset) const;

  // Validates a whole defined function body (decode + validate, no lowering).
  static Result<void> validate_function(const BodyContext& ctx, uint32_t func_index,
                                        const wasm::FunctionBody& body);

 private:
  Result<ValType> pop(size_t at);
  Result<void> check_depth(size_t at) const;
  // Fast path inline: the operand is there and has the expected type.
  Result<void> pop_expect(ValType expected, size_t at) {
    if (vals_.size() > ctrls_.back().height && vals_.back() == expected) [[likely]] {
      vals_.pop_back();
      return {};
    }
    return pop_expect_slow(expected, at);
  }
  Result<void> pop_expect_slow(ValType expected, size_t at);
  Result<void> pop_types(std::span<const ValType> types, size_t at);
  void push(ValType t) { vals_.push_back(t); }
  void push_types(std::span<const ValType> types) { vals_.insert(vals_.end(), types.begin(), types.end()); }
  void push_ctrl(wasm::Opcode kind, BlockSignature sig);
  Result<ControlFrame> pop_ctrl(size_t at);
  void mark_unreachable();
  Result<const ControlFrame*> label(uint32_t depth, size_t at) const;

  Result<void> step_special(const wasm::Instr& in, std::span<const uint32_t> br_targets);
  Result<void> check_memarg(const wasm::Instr& in);
  Result<void> check_memory(uint32_t index, size_t at) const;
  Result<void> check_table(uint32_t index, size_t at) const;

  const BodyContext& ctx_;
  const wasm::FuncType* func_type_ = nullptr;
  uint32_t num_params_ = 0;
  std::vector<ValType> locals_;
  std::vector<ValType> vals_;
  std::vector<ControlFrame> ctrls_;
};

}  // namespace airwasm::validate
