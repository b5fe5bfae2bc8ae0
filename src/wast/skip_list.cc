// wast: the skip list itself. Add a rule only with a reason a reader can check; keep it short.
#include "wast/skip_list.hh"

namespace airwasm::wast {

namespace {

constexpr std::string_view kNoTextFormat = "airwasm does not parse the text format";

constexpr SkipRule kSkipRules[] = {
    {"assert_malformed", "text", "*", kNoTextFormat},
    {"assert_invalid", "text", "*", kNoTextFormat},
    // Component-model scripts: every command runs except the text-format modules.
    {"module*", "text", "*", kNoTextFormat, "component"},
};

constexpr MessageException kMessageExceptions[] = {
    // (select (result) ...) has no result types; wast2json 1.0.32 writes it as the untyped `select`
    // opcode 0x1b, whose operands are then missing: the binary is invalid with "type mismatch".
    {"select.json", 324, "type mismatch", "wast2json 1.0.32 encodes an empty `select (result)` as 0x1b"},
};

}  // namespace

std::optional<std::string_view> message_exception(std::string_view file_name, int line) {
  for (const MessageException& e : kMessageExceptions)
    if (e.file_name == file_name && e.line == line) return e.accepted;
  return std::nullopt;
}

std::span<const SkipRule> skip_rules() {
  return kSkipRules;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point (the last '*'): linear in practice, no recursion.
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::optional<std::string_view> find_skip(std::span<const SkipRule> rules, std::string_view command,
                                          std::string_view module_type, std::string_view file_name,
                                          std::string_view dialect) {
  for (const SkipRule& rule : rules) {
    if (glob_match(rule.command, command) && glob_match(rule.module_type, module_type) &&
        glob_match(rule.file_glob, file_name) && glob_match(rule.dialect, dialect)) {
      return rule.reason;
    }
  }
  return std::nullopt;
}

}  // namespace airwasm::wast
