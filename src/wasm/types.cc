// wasm: names and printing of types (used in error messages and by `airwasm inspect`).
#include <string>

#include "airwasm/types.hh"
#include "airwasm/value.hh"

namespace airwasm {

const char* valtype_name(ValType t) {
  switch (t) {
    case ValType::kI32:
      return "i32";
    case ValType::kI64:
      return "i64";
    case ValType::kF32:
      return "f32";
    case ValType::kF64:
      return "f64";
    case ValType::kV128:
      return "v128";
    case ValType::kFuncRef:
      return "funcref";
    case ValType::kExternRef:
      return "externref";
    case ValType::kExnRef:
      return "exnref";
    case ValType::kBottom:
      return "<unknown>";
  }
  return "<invalid>";
}

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::kFunc:
      return "func";
    case ExternKind::kTable:
      return "table";
    case ExternKind::kMemory:
      return "memory";
    case ExternKind::kGlobal:
      return "global";
    case ExternKind::kTag:
      return "tag";
  }
  return "<invalid>";
}

static std::string type_list(const std::vector<ValType>& types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += valtype_name(types[i]);
  }
  return out + ")";
}

std::string FuncType::to_string() const {
  return type_list(params) + " -> " + type_list(results);
}

static std::string limits_string(const Limits& l) {
  std::string out = std::to_string(l.min);
  if (l.max) out += " " + std::to_string(*l.max);
  return out;
}

std::string ExternType::to_string() const {
  switch (kind) {
    case ExternKind::kFunc:
      return "func " + func.to_string();
    case ExternKind::kTable:
      return std::string("table ") + limits_string(table.limits) + " " + valtype_name(table.elem);
    case ExternKind::kMemory:
      return "memory " + limits_string(memory.limits);
    case ExternKind::kGlobal:
      return std::string("global ") + (global.mut ? "(mut " : "") + valtype_name(global.type) +
             (global.mut ? ")" : "");
    case ExternKind::kTag:
      return "tag " + tag.to_string();
  }
  return "<invalid>";
}

}  // namespace airwasm
