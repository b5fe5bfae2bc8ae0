// airwasm public API: traps. A trap ends a WebAssembly call; it carries a code, the spec's message and a
// wasm backtrace (innermost frame first) built from the name section when there is one.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace airwasm {

enum class TrapCode : uint8_t {
#define AIRWASM_TRAP(name, text) k##name,
#include "airwasm/traps.def"
#undef AIRWASM_TRAP
};

// The spec's text for a trap code ("integer divide by zero", ...).
const char* trap_message(TrapCode code);

struct FrameInfo {
  std::string module_name;                // from the name section, or empty
  uint32_t func_index = 0;                // in the module's function index space
  std::string func_name;                  // from the name section, or empty
  uint64_t module_offset = ~uint64_t{0};  // byte offset of the trapping/calling instruction, if known
};

class Trap {
 public:
  Trap() = default;
  explicit Trap(TrapCode code) : code_(code), message_(trap_message(code)) {}
  Trap(TrapCode code, std::string message) : code_(code), message_(std::move(message)) {}

  TrapCode code() const { return code_; }
  // False for what is not the guest's fault or doing: API misuse (kUsage), a failing host function
  // (kHostError) and proc_exit (kExit). The CLI exits with 134 for guest traps only.
  bool is_guest_trap() const {
    return code_ != TrapCode::kUsage && code_ != TrapCode::kHostError && code_ != TrapCode::kExit;
  }
  const std::string& message() const { return message_; }
  const std::vector<FrameInfo>& backtrace() const { return backtrace_; }
  void set_backtrace(std::vector<FrameInfo> frames) { backtrace_ = std::move(frames); }
  // A guest called proc_exit (WASI): the status to return from the process.
  int exit_status() const { return exit_status_; }
  static Trap exit(int status) {
    Trap t(TrapCode::kExit, "exit with status " + std::to_string(status));
    t.exit_status_ = status;
    return t;
  }

  // "wasm trap: integer divide by zero" followed by one "  N: 0xOFFSET - module!func_name (function I)" line
  // per frame; runs of more than three equal frames are collapsed ("  ... 19,990 more frames of module!f").
  std::string to_string() const;
  std::string backtrace_string() const;  // the frame lines alone, each starting with a newline

 private:
  TrapCode code_ = TrapCode::kUnreachable;
  std::string message_ = "unreachable";
  std::vector<FrameInfo> backtrace_;
  int exit_status_ = 0;
};

template <typename T>
using TrapResult = std::expected<T, Trap>;

}  // namespace airwasm
