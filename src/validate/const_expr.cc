// validate: constant expressions. No instruction of a Wasm 2.0 constant expression pops an operand, so
// the operand stack is just the count of values pushed and the type of the last one.
#include "validate/const_expr.hh"

#include <string>

namespace airwasm::validate {

using base::invalid;
using wasm::Opcode;
using wasm::ValType;

Result<void> check_const_expr(const ModuleContext& c, const wasm::ConstExpr& expr, ValType expected,
                              bool simd) {
  size_t pushed = 0;
  ValType top = ValType::kBottom;
  for (const wasm::Instr& in : expr.instrs) {
    switch (in.op) {
      case Opcode::I32Const:
        top = ValType::kI32;
        break;
      case Opcode::I64Const:
        top = ValType::kI64;
        break;
      case Opcode::F32Const:
        top = ValType::kF32;
        break;
      case Opcode::F64Const:
        top = ValType::kF64;
        break;
      case Opcode::V128Const:
        if (!simd) return invalid("constant expression required", in.position);
        top = ValType::kV128;
        break;
      case Opcode::RefNull:
        top = in.type;
        break;
      case Opcode::RefFunc:
        if (in.index >= c.num_funcs())
          return invalid("unknown function " + std::to_string(in.index), in.position);
        top = ValType::kFuncRef;
        break;
      case Opcode::GlobalGet: {
        // Only imported globals are visible to constant expressions in Wasm 2.0.
        if (in.index >= c.num_imported_globals)
          return invalid("unknown global " + std::to_string(in.index), in.position);
        const wasm::GlobalType& g = c.globals[in.index];
        if (g.mut) return invalid("constant expression required", in.position);
        top = g.type;
        break;
      }
      default:
        return invalid("constant expression required", in.position);
    }
    ++pushed;
  }
  if (pushed != 1 || top != expected) return invalid("type mismatch", expr.offset);
  return {};
}

}  // namespace airwasm::validate
