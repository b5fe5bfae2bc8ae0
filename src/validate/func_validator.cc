// validate: function-body validation, one instruction per step().
// Simple instructions are typed from their opcodes.def signature; the rest (control, variables,
// references, tables, bulk memory, lanes) are handled in step_special().
#include "validate/func_validator.hh"

#include <string>

#include "decode/body_scanner.hh"
#include "decode/instr_reader.hh"

namespace airwasm::validate {

using wasm::ImmKind;
using wasm::Instr;
using wasm::Opcode;

namespace {

// Storage for single-value block types, so BlockSignature spans never dangle.
constexpr ValType kSingleTypes[] = {ValType::kI32,  ValType::kI64,     ValType::kF32,       ValType::kF64,
                                    ValType::kV128, ValType::kFuncRef, ValType::kExternRef, ValType::kExnRef};

std::span<const ValType> single_type(ValType t) {
  for (const ValType& s : kSingleTypes)
    if (s == t) return {&s, 1};
  return {};
}

std::unexpected<Error> type_mismatch(size_t at) {
  return base::invalid("type mismatch", at);
}
std::unexpected<Error> unknown(const char* what, uint32_t index, size_t at) {
  return base::invalid(std::string("unknown ") + what + " " + std::to_string(index), at);
}

}  // namespace

BodyContext BodyContext::build(const wasm::Module& m, const Features& features, std::vector<bool> refs,
                               const ModuleLimits& limits) {
  BodyContext c;
  c.module = &m;
  c.limits = limits;
  c.simd = features.simd;
  c.features = features;
  for (const wasm::Import& imp : m.imports) {
    switch (imp.kind) {
      case wasm::ExternKind::kFunc:
        c.func_types.push_back(imp.func_type);
        break;
      case wasm::ExternKind::kTable:
        c.tables.push_back(imp.table);
        break;
      case wasm::ExternKind::kMemory:
        ++c.num_memories;
        break;
      case wasm::ExternKind::kGlobal:
        c.globals.push_back(imp.global);
        break;
      case wasm::ExternKind::kTag:
        c.tag_types.push_back(imp.func_type);
        break;
    }
  }
  c.func_types.insert(c.func_types.end(), m.functions.begin(), m.functions.end());
  c.tables.insert(c.tables.end(), m.tables.begin(), m.tables.end());
  c.num_memories += uint32_t(m.memories.size());
  for (const wasm::Global& g : m.globals) c.globals.push_back(g.type);
  c.tag_types.insert(c.tag_types.end(), m.tags.begin(), m.tags.end());
  for (const wasm::ElemSegment& e : m.elems) c.elem_types.push_back(e.type);
  c.has_data_count = m.data_count.has_value();
  c.num_datas = m.data_count ? *m.data_count : uint32_t(m.datas.size());
  c.declared_refs = std::move(refs);
  return c;
}

Result<BlockSignature> FuncValidator::block_signature(const wasm::BlockType& bt, size_t at) const {
  switch (bt.kind) {
    case wasm::BlockType::kEmpty:
      return BlockSignature{};
    case wasm::BlockType::kValue:
      if (bt.value == ValType::kV128 && !ctx_.simd) return base::malformed("malformed value type", at);
      return BlockSignature{{}, single_type(bt.value)};
    case wasm::BlockType::kTypeIndex: {
      if (bt.type_index >= ctx_.module->types.size()) return unknown("type", bt.type_index, at);
      const wasm::FuncType& ft = ctx_.module->types[bt.type_index];
      return BlockSignature{ft.params, ft.results};
    }
  }
  return BlockSignature{};
}

Result<void> FuncValidator::begin(uint32_t func_index, const wasm::FunctionBody& body) {
  const size_t at = body.code_offset;
  if (func_index >= ctx_.func_types.size()) return unknown("function", func_index, at);
  func_type_ = &ctx_.module->types[ctx_.func_types[func_index]];
  num_params_ = uint32_t(func_type_->params.size());
  locals_.assign(func_type_->params.begin(), func_type_->params.end());
  for (const wasm::LocalDecl& d : body.locals) locals_.insert(locals_.end(), d.count, d.type);
  vals_.clear();
  ctrls_.clear();
  push_ctrl(Opcode::Block, BlockSignature{{}, func_type_->results});
  return {};
}

Result<void> FuncValidator::check_depth(size_t at) const {
  // The function body itself is the outermost frame and does not count as nesting.
  if (ctrls_.size() > ctx_.limits.max_nesting_depth)
    return make_error(ErrorKind::kLimit,
                      "blocks nested deeper than the implementation limit of " +
                          std::to_string(ctx_.limits.max_nesting_depth),
                      at);
  return {};
}

Result<ValType> FuncValidator::pop(size_t at) {
  const ControlFrame& f = ctrls_.back();
  if (vals_.size() == f.height) {
    if (f.unreachable) return ValType::kBottom;
    return type_mismatch(at);
  }
  const ValType t = vals_.back();
  vals_.pop_back();
  return t;
}

Result<void> FuncValidator::pop_expect_slow(ValType expected, size_t at) {
  AIRWASM_TRY_ASSIGN(ValType actual, pop(at));
  if (actual != expected && actual != ValType::kBottom && expected != ValType::kBottom)
    return type_mismatch(at);
  return {};
}

Result<void> FuncValidator::pop_types(std::span<const ValType> types, size_t at) {
  for (size_t i = types.size(); i-- > 0;) AIRWASM_TRY(pop_expect(types[i], at));
  return {};
}

void FuncValidator::push_ctrl(Opcode kind, BlockSignature sig) {
  ctrls_.push_back(ControlFrame{kind, sig, uint32_t(vals_.size()), false});
  push_types(sig.params);
}

Result<ControlFrame> FuncValidator::pop_ctrl(size_t at) {
  const ControlFrame f = ctrls_.back();
  AIRWASM_TRY(pop_types(f.sig.results, at));
  if (vals_.size() != f.height) return type_mismatch(at);
  ctrls_.pop_back();
  return f;
}

void FuncValidator::mark_unreachable() {
  vals_.resize(ctrls_.back().height);
  ctrls_.back().unreachable = true;
}

Result<const ControlFrame*> FuncValidator::label(uint32_t depth, size_t at) const {
  if (depth >= ctrls_.size()) return unknown("label", depth, at);
  return &ctrls_[ctrls_.size() - 1 - depth];
}

Result<void> FuncValidator::check_memory(uint32_t index, size_t at) const {
  if (index >= ctx_.num_memories) return unknown("memory", index, at);
  return {};
}

Result<void> FuncValidator::check_table(uint32_t index, size_t at) const {
  if (index >= ctx_.tables.size()) return unknown("table", index, at);
  return {};
}

Result<void> FuncValidator::check_memarg(const Instr& in) {
  AIRWASM_TRY(check_memory(in.index2, in.position));
  const wasm::OpInfo& info = wasm::op_info(in.op);
  if (in.align > info.arg) return base::invalid("alignment must not be larger than natural", in.position);
  if (info.imm == ImmKind::MemArgLane) {
    const unsigned lanes = 16u >> info.arg;
    if (in.lane >= lanes) return base::invalid("invalid lane index", in.position);
  }
  return {};
}

Result<void> FuncValidator::step(const Instr& in, std::span<const uint32_t> br_targets) {
  const wasm::OpInfo& info = wasm::op_info(in.op);
  if (info.sig.special) return step_special(in, br_targets);
  switch (info.imm) {
    case ImmKind::MemArg:
    case ImmKind::MemArgLane:
      AIRWASM_TRY(check_memarg(in));
      break;
    case ImmKind::MemIndex:
      AIRWASM_TRY(check_memory(in.index, in.position));
      break;
    case ImmKind::MemPair:
      AIRWASM_TRY(check_memory(in.index, in.position));
      AIRWASM_TRY(check_memory(in.index2, in.position));
      break;
    case ImmKind::Lane:
      if (in.lane >= info.arg) return base::invalid("invalid lane index", in.position);
      break;
    case ImmKind::Shuffle:
      for (uint8_t lane : in.v128.bytes)
        if (lane >= 32) return base::invalid("invalid lane index", in.position);
      break;
    case ImmKind::IndexMem:  // memory.init
      if (!ctx_.has_data_count && ctx_.num_datas > 0)
        return base::malformed("data count section required", in.position);
      AIRWASM_TRY(check_memory(in.index2, in.position));
      if (in.index >= ctx_.num_datas) return unknown("data segment", in.index, in.position);
      break;
    case ImmKind::Index:  // data.drop, elem.drop
      if (in.op == Opcode::DataDrop) {
        if (!ctx_.has_data_count && ctx_.num_datas > 0)
          return base::malformed("data count section required", in.position);
        if (in.index >= ctx_.num_datas) return unknown("data segment", in.index, in.position);
      } else if (in.op == Opcode::ElemDrop) {
        if (in.index >= ctx_.elem_types.size()) return unknown("elem segment", in.index, in.position);
      }
      break;
    default:
      break;
  }
  for (size_t i = info.sig.num_params; i-- > 0;) AIRWASM_TRY(pop_expect(info.sig.params[i], in.position));
  if (info.sig.has_result) push(info.sig.result);
  return {};
}

Result<void> FuncValidator::step_special(const Instr& in, std::span<const uint32_t> br_targets) {
  const size_t at = in.position;
  switch (in.op) {
    case Opcode::Unreachable:
      mark_unreachable();
      return {};
    case Opcode::Block:
    case Opcode::Loop: {
      AIRWASM_TRY_ASSIGN(BlockSignature sig, block_signature(in.block, at));
      AIRWASM_TRY(pop_types(sig.params, at));
      AIRWASM_TRY(check_depth(at));
      push_ctrl(in.op, sig);
      return {};
    }
    case Opcode::If: {
      AIRWASM_TRY_ASSIGN(BlockSignature sig, block_signature(in.block, at));
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      AIRWASM_TRY(pop_types(sig.params, at));
      AIRWASM_TRY(check_depth(at));
      push_ctrl(Opcode::If, sig);
      return {};
    }
    case Opcode::Else: {
      if (ctrls_.back().kind != Opcode::If) return base::invalid("else without matching if", at);
      AIRWASM_TRY_ASSIGN(ControlFrame f, pop_ctrl(at));
      push_ctrl(Opcode::Else, f.sig);
      return {};
    }
    case Opcode::End: {
      AIRWASM_TRY_ASSIGN(ControlFrame f, pop_ctrl(at));
      // An `if` without `else` must leave the same types as it received.
      if (f.kind == Opcode::If &&
          !std::equal(f.sig.params.begin(), f.sig.params.end(), f.sig.results.begin(), f.sig.results.end()))
        return type_mismatch(at);
      push_types(f.sig.results);
      return {};
    }
    case Opcode::Br: {
      AIRWASM_TRY_ASSIGN(const ControlFrame* target, label(in.index, at));
      AIRWASM_TRY(pop_types(target->label_types(), at));
      mark_unreachable();
      return {};
    }
    case Opcode::BrIf: {
      AIRWASM_TRY_ASSIGN(const ControlFrame* target, label(in.index, at));
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      const auto types = target->label_types();
      AIRWASM_TRY(pop_types(types, at));
      push_types(types);
      return {};
    }
    case Opcode::BrTable: {
      if (br_targets.size() > ctx_.limits.max_br_table_targets)
        return make_error(ErrorKind::kLimit,
                          "br_table of " + std::to_string(br_targets.size()) +
                              " targets exceeds the implementation limit of " +
                              std::to_string(ctx_.limits.max_br_table_targets),
                          at);
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      AIRWASM_TRY_ASSIGN(const ControlFrame* def, label(in.index2, at));
      const size_t arity = def->label_types().size();
      std::vector<ValType> popped;
      for (uint32_t depth : br_targets) {
        AIRWASM_TRY_ASSIGN(const ControlFrame* target, label(depth, at));
        const auto types = target->label_types();
        if (types.size() != arity) return type_mismatch(at);
        popped.clear();
        for (size_t i = types.size(); i-- > 0;) {
          AIRWASM_TRY_ASSIGN(ValType actual, pop(at));
          if (actual != types[i] && actual != ValType::kBottom) return type_mismatch(at);
          popped.push_back(actual);
        }
        for (size_t i = popped.size(); i-- > 0;) push(popped[i]);
      }
      AIRWASM_TRY(pop_types(def->label_types(), at));
      mark_unreachable();
      return {};
    }
    case Opcode::Return:
      AIRWASM_TRY(pop_types(func_type_->results, at));
      mark_unreachable();
      return {};
    // ---- exception handling ----
    case Opcode::Throw: {
      if (in.index >= ctx_.tag_types.size()) return unknown("tag", in.index, at);
      AIRWASM_TRY(pop_types(ctx_.module->types[ctx_.tag_types[in.index]].params, at));
      mark_unreachable();
      return {};
    }
    case Opcode::ThrowRef:
      AIRWASM_TRY(pop_expect(ValType::kExnRef, at));
      mark_unreachable();
      return {};
    case Opcode::TryTable: {
      AIRWASM_TRY_ASSIGN(BlockSignature sig, block_signature(in.block, at));
      // Catch clauses name labels of the enclosing context (the try_table's own label is not in scope),
      // and each target must take exactly what the clause delivers: the payload, then the exnref.
      for (uint32_t i = 0; i < in.index; ++i) {
        const uint32_t kind = br_targets[3 * i], tag = br_targets[3 * i + 1], depth = br_targets[3 * i + 2];
        std::vector<ValType> delivered;
        if (kind == wasm::kCatch || kind == wasm::kCatchRef) {
          if (tag >= ctx_.tag_types.size()) return unknown("tag", tag, at);
          delivered = ctx_.module->types[ctx_.tag_types[tag]].params;
        }
        if (kind == wasm::kCatchRef || kind == wasm::kCatchAllRef) delivered.push_back(ValType::kExnRef);
        AIRWASM_TRY_ASSIGN(const ControlFrame* target, label(depth, at));
        const auto types = target->label_types();
        if (!std::equal(types.begin(), types.end(), delivered.begin(), delivered.end()))
          return type_mismatch(at);
      }
      AIRWASM_TRY(pop_types(sig.params, at));
      push_ctrl(Opcode::Block, sig);  // a block for typing and branches
      return {};
    }
    case Opcode::Call: {
      if (in.index >= ctx_.func_types.size()) return unknown("function", in.index, at);
      const wasm::FuncType& ft = ctx_.module->types[ctx_.func_types[in.index]];
      AIRWASM_TRY(pop_types(ft.params, at));
      push_types(ft.results);
      return {};
    }
    case Opcode::CallIndirect: {
      AIRWASM_TRY(check_table(in.index2, at));
      if (ctx_.tables[in.index2].elem != ValType::kFuncRef) return type_mismatch(at);
      if (in.index >= ctx_.module->types.size()) return unknown("type", in.index, at);
      const wasm::FuncType& ft = ctx_.module->types[in.index];
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      AIRWASM_TRY(pop_types(ft.params, at));
      push_types(ft.results);
      return {};
    }
    case Opcode::Drop: {
      AIRWASM_TRY(pop(at));
      return {};
    }
    case Opcode::Select: {
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      AIRWASM_TRY_ASSIGN(ValType t1, pop(at));
      AIRWASM_TRY_ASSIGN(ValType t2, pop(at));
      if (wasm::is_reftype(t1) || wasm::is_reftype(t2)) return type_mismatch(at);
      if (t1 != t2 && t1 != ValType::kBottom && t2 != ValType::kBottom) return type_mismatch(at);
      push(t1 == ValType::kBottom ? t2 : t1);
      return {};
    }
    case Opcode::SelectT: {
      if (in.index != 1) return base::invalid("invalid result arity", at);
      if (in.type == ValType::kV128 && !ctx_.simd) return base::malformed("malformed value type", at);
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      AIRWASM_TRY(pop_expect(in.type, at));
      AIRWASM_TRY(pop_expect(in.type, at));
      push(in.type);
      return {};
    }
    case Opcode::LocalGet:
      if (in.index >= locals_.size()) return unknown("local", in.index, at);
      push(locals_[in.index]);
      return {};
    case Opcode::LocalSet:
      if (in.index >= locals_.size()) return unknown("local", in.index, at);
      return pop_expect(locals_[in.index], at);
    case Opcode::LocalTee:
      if (in.index >= locals_.size()) return unknown("local", in.index, at);
      AIRWASM_TRY(pop_expect(locals_[in.index], at));
      push(locals_[in.index]);
      return {};
    case Opcode::GlobalGet:
      if (in.index >= ctx_.globals.size()) return unknown("global", in.index, at);
      push(ctx_.globals[in.index].type);
      return {};
    case Opcode::GlobalSet:
      if (in.index >= ctx_.globals.size()) return unknown("global", in.index, at);
      if (!ctx_.globals[in.index].mut) return base::invalid("global is immutable", at);
      return pop_expect(ctx_.globals[in.index].type, at);
    case Opcode::TableGet:
      AIRWASM_TRY(check_table(in.index, at));
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      push(ctx_.tables[in.index].elem);
      return {};
    case Opcode::TableSet:
      AIRWASM_TRY(check_table(in.index, at));
      AIRWASM_TRY(pop_expect(ctx_.tables[in.index].elem, at));
      return pop_expect(ValType::kI32, at);
    case Opcode::TableSize:
      AIRWASM_TRY(check_table(in.index, at));
      push(ValType::kI32);
      return {};
    case Opcode::TableGrow:
      AIRWASM_TRY(check_table(in.index, at));
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      AIRWASM_TRY(pop_expect(ctx_.tables[in.index].elem, at));
      push(ValType::kI32);
      return {};
    case Opcode::TableFill:
      AIRWASM_TRY(check_table(in.index, at));
      AIRWASM_TRY(pop_expect(ValType::kI32, at));
      AIRWASM_TRY(pop_expect(ctx_.tables[in.index].elem, at));
      return pop_expect(ValType::kI32, at);
    case Opcode::TableCopy: {  // index = destination table, index2 = source table
      AIRWASM_TRY(check_table(in.index, at));
      AIRWASM_TRY(check_table(in.index2, at));
      if (ctx_.tables[in.index].elem != ctx_.tables[in.index2].elem) return type_mismatch(at);
      for (int i = 0; i < 3; ++i) AIRWASM_TRY(pop_expect(ValType::kI32, at));
      return {};
    }
    case Opcode::TableInit: {  // index = element segment, index2 = table
      AIRWASM_TRY(check_table(in.index2, at));
      if (in.index >= ctx_.elem_types.size()) return unknown("elem segment", in.index, at);
      if (ctx_.elem_types[in.index] != ctx_.tables[in.index2].elem) return type_mismatch(at);
      for (int i = 0; i < 3; ++i) AIRWASM_TRY(pop_expect(ValType::kI32, at));
      return {};
    }
    case Opcode::RefNull:
      push(in.type);
      return {};
    case Opcode::RefIsNull: {
      AIRWASM_TRY_ASSIGN(ValType t, pop(at));
      if (t != ValType::kBottom && !wasm::is_reftype(t)) return type_mismatch(at);
      push(ValType::kI32);
      return {};
    }
    case Opcode::RefFunc:
      if (in.index >= ctx_.func_types.size()) return unknown("function", in.index, at);
      if (in.index >= ctx_.declared_refs.size() || !ctx_.declared_refs[in.index])
        return base::invalid("undeclared function reference", at);
      push(ValType::kFuncRef);
      return {};
    default:
      return base::invalid(std::string("unhandled instruction ") + wasm::op_name(in.op), at);
  }
}

Result<void> FuncValidator::validate_function(const BodyContext& ctx, uint32_t func_index,
                                              const wasm::FunctionBody& body) {
  FuncValidator v(ctx);
  AIRWASM_TRY(v.begin(func_index, body));
  base::ByteReader reader(body.code, body.code_offset, "unexpected end of section or function");
  decode::InstrReader instrs(reader, ctx.features);
  wasm::Instr in;
  while (!v.done()) {
    if (reader.at_end())
      return decode::body_end_error(*ctx.module, func_index - ctx.module->num_imported_funcs);
    AIRWASM_TRY(instrs.next(in));
    AIRWASM_TRY(v.step(in, instrs.br_targets()));
  }
  if (!reader.at_end()) return base::malformed("section size mismatch", reader.offset());
  return {};
}

}  // namespace airwasm::validate
