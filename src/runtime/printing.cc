// runtime: human-readable rendering of traps and values.
#include <algorithm>
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

namespace {

std::string frame_name(const FrameInfo& f) {
  std::string out;
  if (!f.module_name.empty()) out += f.module_name + "!";
  out += f.func_name.empty() ? "<wasm function " + std::to_string(f.func_index) + ">" : f.func_name;
  return out;
}

// 19990 -> "19,990"
std::string grouped(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string Trap::backtrace_string() const {
  // Deep recursion gives thousands of identical frames: a run of more than kShown equal frames is shown
  // as its first kShown and one "... N more frames of NAME" line, so the trap stays readable.
  constexpr size_t kShown = 3;
  std::string out;
  for (size_t i = 0; i < backtrace_.size();) {
    const FrameInfo& f = backtrace_[i];
    size_t run = 1;
    while (i + run < backtrace_.size() && backtrace_[i + run].func_index == f.func_index &&
           backtrace_[i + run].module_name == f.module_name && backtrace_[i + run].func_name == f.func_name)
      ++run;
    for (size_t k = 0; k < std::min(run, kShown); ++k) {
      const FrameInfo& frame = backtrace_[i + k];
      out += "\n  " + std::to_string(i + k) + ": ";
      if (frame.module_offset != ~uint64_t{0}) {
        char hex[24];
        std::snprintf(hex, sizeof hex, "0x%" PRIx64 " - ", frame.module_offset);
        out += hex;
      }
      out += frame_name(f);
      if (!f.func_name.empty() && f.func_name != "<host>")
        out += " (function " + std::to_string(f.func_index) + ")";
    }
    if (run > kShown) out += "\n  ... " + grouped(run - kShown) + " more frames of " + frame_name(f);
    i += run;
  }
  return out;
}

std::string Trap::to_string() const {
  return "wasm trap: " + message_ + backtrace_string();
}

std::string Val::to_string() const {
  char buf[96];
  switch (type_) {
    case ValType::kI32:
      std::snprintf(buf, sizeof buf, "%" PRId32, i32());
      return buf;
    case ValType::kI64:
      std::snprintf(buf, sizeof buf, "%" PRId64, i64());
      return buf;
    case ValType::kF32:
      std::snprintf(buf, sizeof buf, "%.9g", double(f32()));
      return buf;
    case ValType::kF64:
      std::snprintf(buf, sizeof buf, "%.17g", f64());
      return buf;
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
    case ValType::kBottom:
      break;
  }
  return "<invalid>";
}

}  // namespace airwasm
