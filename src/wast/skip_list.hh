// wast: the one declarative list of spec-script commands that airwasm skips on purpose, each with a reason.
// A skipped assertion is counted as skipped (never as passed); everything not listed here must pass.
// Fields are globs ('*' any run, '?' any one character); a command without a module_type matches "".
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace airwasm::wast {

struct SkipRule {
  std::string_view command;      // "assert_malformed", ...
  std::string_view module_type;  // "text", "binary", or "" for commands without one
  std::string_view file_glob;    // matched against the script's file name (no directory)
  std::string_view reason;
  std::string_view dialect = "*";  // "core" (wast2json scripts) or "component" (component-model scripts)
};

// The built-in list (skip_list.cc).
std::span<const SkipRule> skip_rules();

// The reason of the first rule matching, or nullopt when the command must run.
std::optional<std::string_view> find_skip(std::span<const SkipRule> rules, std::string_view command,
                                          std::string_view module_type, std::string_view file_name,
                                          std::string_view dialect = "core");
inline std::optional<std::string_view> find_skip(std::string_view command, std::string_view module_type,
                                                 std::string_view file_name,
                                                 std::string_view dialect = "core") {
  return find_skip(skip_rules(), command, module_type, file_name, dialect);
}

// A command whose expected message cannot match because the converter changed the module: the assertion
// still runs and must fail the same way, but `accepted` is the text checked instead of the script's.
struct MessageException {
  std::string_view file_name;  // the script's file name
  int line;                    // the command's line in the .wast
  std::string_view accepted;
  std::string_view reason;
};

// The message to check for the command at (file, line), if the list has an exception for it.
std::optional<std::string_view> message_exception(std::string_view file_name, int line);

// Shell-style glob match of the whole text.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace airwasm::wast
