// runtime: human-readable rendering of traps and values.
#include <cinttypes>
#include <cstdio>

#include "airwasm/trap.hh"
#include "airwasm/value.hh"

namespace airwasm {

const char* trap_message(TrapCode code) {
  switch (code) {
#define AIRWASM_TRAP(name, text) \
  case TrapCode::k##name:        \
    return text;
#include "airwasm/traps.def"
#undef AIRWASM_TRAP
  }
  return "unknown trap";
}

std::string Trap::to_string() const {
  std::string out = "wasm trap: " + message_;
  for (size_t i = 0; i < backtrace_.size(); ++i) {
    const FrameInfo& f = backtrace_[i];
    out += "\n  " + std::to_string(i) + ": ";
    if (!f.module_name.empty()) out += f.module_name + "!";
    out += f.func_name.empty() ? "<wasm function " + std::to_string(f.func_index) + ">" : f.func_name;
  }
  return out;
}

std::string Val::to_string() const {
  char buf[96];
  switch (type_) {
    case ValType::kI32: std::snprintf(buf, sizeof buf, "%" PRId32, i32()); return buf;
    case ValType::kI64: std::snprintf(buf, sizeof buf, "%" PRId64, i64()); return buf;
    case ValType::kF32: std::snprintf(buf, sizeof buf, "%.9g", double(f32())); return buf;
    case ValType::kF64: std::snprintf(buf, sizeof buf, "%.17g", f64()); return buf;
    case ValType::kV128: {
      const V128 v = v128();
      std::string s = "v128:";
      for (int i = 0; i < 4; ++i) {
        std::snprintf(buf, sizeof buf, " 0x%08" PRIx32, v.lane<uint32_t>(i));
        s += buf;
      }
      return s;
    }
    case ValType::kFuncRef:
    case ValType::kExternRef:
    case ValType::kExnRef: {
      const Ref r = ref();
      if (r.is_null()) return std::string(valtype_name(type_)) + ":null";
      std::snprintf(buf, sizeof buf, "%s:%" PRIu64, valtype_name(type_), r.bits);
      return buf;
    }
    case ValType::kBottom: break;
  }
  return "<invalid>";
}

}  // namespace airwasm
