// wast: the command handlers of a script, one function per command type, found through tables of
// {type, handler}. The runner (script_runner.cc) owns reading, skipping, counting and reporting; a handler
// only runs its command against the Session and says what happened. Other script dialects (the Component
// Model commands of `wasm-tools json-from-wast`) add their own table next to core_commands().
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "wast/session.hh"

namespace airwasm::wast {

struct Outcome {
  enum class Status : uint8_t {
    kPassed,      // an assertion held
    kFailed,      // an assertion did not hold, or a module/register/action command failed
    kSkipped,     // listed in the skip list
    kNotCounted,  // a module/register/action command that succeeded
  };
  Status status = Status::kFailed;
  std::string what;      // the command in words, for reports ("assert_return invoke \"f\" (i32:1)")
  std::string expected;  // failures: what should have happened
  std::string actual;    // failures: what happened; skips: the reason

  static Outcome passed() { return {Status::kPassed, {}, {}, {}}; }
  static Outcome done() { return {Status::kNotCounted, {}, {}, {}}; }
  static Outcome failed(std::string what, std::string expected, std::string actual) {
    return {Status::kFailed, std::move(what), std::move(expected), std::move(actual)};
  }
};

struct CommandContext {
  Session& session;
  std::string_view file_name;  // the script's file name, for messages
};

using CommandHandler = Outcome (*)(CommandContext& ctx, const nlohmann::json& command);

struct CommandEntry {
  std::string_view type;  // the command's "type"
  bool is_assertion;      // assertions are always counted; other commands only when they fail
  CommandHandler handler;
};

// module, register, action and the assert_* commands of wabt's wast2json.
std::span<const CommandEntry> core_commands();
// module, module_definition, assert_invalid and assert_malformed of component-model scripts (the rest of
// their commands are in the skip list until components can be instantiated).
std::span<const CommandEntry> component_commands();

}  // namespace airwasm::wast
