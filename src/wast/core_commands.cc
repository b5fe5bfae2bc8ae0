// wast: handlers of the core commands of wabt's wast2json: module, register, action, assert_return,
// assert_trap, assert_exhaustion, assert_invalid, assert_malformed, assert_unlinkable,
// assert_uninstantiable. Expected error and trap texts must be contained in the engine's message (the
// engine uses the spec's wording first, detail after it).
#include <nlohmann/json.hpp>

#include "wast/command_fields.hh"
#include "wast/commands.hh"
#include "wast/skip_list.hh"
#include "wast/values.hh"

namespace airwasm::wast {

using nlohmann::json;

namespace {

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string trap_text(const Trap& trap) {
  return "trap: " + trap.message();
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// What an action produced, in words (for the "actual" side of a report).
std::string actual_of(const ActionResult& r, const std::vector<ExpectedValue>* shape = nullptr) {
  switch (r.kind) {
    case ActionResult::Kind::kReturned:
      return format_values(r.values, shape);
    case ActionResult::Kind::kTrapped:
      return trap_text(r.trap);
    case ActionResult::Kind::kError:
      return "error: " + r.error;
  }
  return "?";
}

Outcome cmd_module(CommandContext& ctx, const json& cmd) {
  std::string what = describe_module(cmd);
  Result<Instance> instance = [&]() -> Result<Instance> {
    auto module = ctx.session.compile_file(member(cmd, "filename"));
    if (!module) return std::unexpected(module.error());
    return ctx.session.instantiate(*module);
  }();
  if (instance) {
    ctx.session.set_current(member(cmd, "name"), std::move(instance));
    return Outcome::done();
  }
  std::string reason = instance.error().to_string();
  // Later commands on this module report where it failed to load, not just that it is missing.
  ctx.session.set_current(
      member(cmd, "name"),
      make_error(instance.error().kind, "line " + std::to_string(line_of(cmd)) + ": " + reason));
  return Outcome::failed(what, "module loads", reason);
}

Outcome cmd_register(CommandContext& ctx, const json& cmd) {
  std::string name = member(cmd, "name");
  std::string as = member(cmd, "as");
  auto r = ctx.session.register_instance(name, as);
  if (r) return Outcome::done();
  return Outcome::failed("register " + in_quotes(as) + (name.empty() ? "" : " " + name), "registered",
                         r.error().to_string());
}

const json& action_of(const json& cmd) {
  static const json kNone;
  auto it = cmd.find("action");
  return it == cmd.end() ? kNone : *it;
}

Outcome cmd_action(CommandContext& ctx, const json& cmd) {
  ActionResult r = ctx.session.run_action(action_of(cmd));
  if (r.kind == ActionResult::Kind::kReturned) return Outcome::done();
  return Outcome::failed("action " + r.description, "returns", actual_of(r));
}

Outcome cmd_assert_return(CommandContext& ctx, const json& cmd) {
  // "expected": one pattern per result. "either" (relaxed SIMD): one result matching any of the patterns.
  auto either_it = cmd.find("either");
  bool either = either_it != cmd.end();
  std::vector<ExpectedValue> expected;
  if (auto it = either ? either_it : cmd.find("expected"); it != cmd.end()) {
    auto parsed = parse_expected_values(*it);
    if (!parsed) {
      return Outcome::failed("assert_return", "a well-formed command",
                             "bad expected value: " + parsed.error());
    }
    expected = std::move(*parsed);
  }
  ActionResult r = ctx.session.run_action(action_of(cmd));
  std::string what = "assert_return " + r.description;
  std::string want = (either ? "either " : "") + format_expected_values(expected);
  if (r.kind != ActionResult::Kind::kReturned) return Outcome::failed(what, want, actual_of(r, &expected));
  bool ok = false;
  if (either) {
    for (size_t i = 0; !ok && i < expected.size(); ++i)
      ok = r.values.size() == 1 && matches(expected[i], r.values[0]);
  } else {
    ok = r.values.size() == expected.size();
    for (size_t i = 0; ok && i < expected.size(); ++i) ok = matches(expected[i], r.values[i]);
  }
  return ok ? Outcome::passed() : Outcome::failed(what, want, actual_of(r, &expected));
}

// assert_unlinkable, assert_uninstantiable, and assert_trap on a module: the module compiles, but
// instantiating it fails with `text`.
Outcome expect_instantiation_failure(CommandContext& ctx, const json& cmd) {
  std::string what = describe_module(cmd);
  std::string text = member(cmd, "text");
  std::string want = "instantiation fails with " + in_quotes(text);
  auto module = ctx.session.compile_file(member(cmd, "filename"));
  if (!module) return Outcome::failed(what, want, "compile error: " + module.error().to_string());
  auto instance = ctx.session.instantiate(*module);
  if (instance) return Outcome::failed(what, want, "instantiated");
  if (!contains(instance.error().message, text))
    return Outcome::failed(what, want, instance.error().to_string());
  return Outcome::passed();
}

// assert_trap and assert_exhaustion: the action traps with `text`.
Outcome expect_trap(CommandContext& ctx, const json& cmd) {
  if (cmd.find("action") == cmd.end() && cmd.find("filename") != cmd.end()) {
    return expect_instantiation_failure(ctx, cmd);
  }
  std::string text = member(cmd, "text");
  ActionResult r = ctx.session.run_action(action_of(cmd));
  std::string what = member(cmd, "type") + " " + r.description;
  std::string want = "trap: " + text;
  if (r.kind == ActionResult::Kind::kTrapped && contains(r.trap.message(), text)) return Outcome::passed();
  return Outcome::failed(what, want, actual_of(r));
}

// assert_invalid and assert_malformed: compiling fails with `text`.
Outcome expect_compile_failure(CommandContext& ctx, const json& cmd) {
  std::string what = describe_module(cmd);
  std::string text = member(cmd, "text");
  std::string want = "compile error " + in_quotes(text);
  auto module = ctx.session.compile_file(member(cmd, "filename"));
  if (module) return Outcome::failed(what, want, "compiled");
  if (contains(module.error().message, text)) return Outcome::passed();
  const auto accepted = message_exception(ctx.file_name, int(line_of(cmd)));
  if (accepted && contains(module.error().message, *accepted)) return Outcome::passed();
  return Outcome::failed(what, want, module.error().to_string());
}

constexpr CommandEntry kCoreCommands[] = {
    {"module", false, cmd_module},
    {"register", false, cmd_register},
    {"action", false, cmd_action},
    {"assert_return", true, cmd_assert_return},
    {"assert_trap", true, expect_trap},
    {"assert_exhaustion", true, expect_trap},
    {"assert_invalid", true, expect_compile_failure},
    {"assert_malformed", true, expect_compile_failure},
    {"assert_unlinkable", true, expect_instantiation_failure},
    {"assert_uninstantiable", true, expect_instantiation_failure},
};

}  // namespace

std::span<const CommandEntry> core_commands() {
  return kCoreCommands;
}

}  // namespace airwasm::wast
