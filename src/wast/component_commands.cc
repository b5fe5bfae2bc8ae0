// wast: handlers of the commands of component-model scripts (the official component-model tests,
// converted by their tools/cm-wast2json.mjs). `module` compiles and instantiates a component (core
// modules in these scripts are validated only); `module_definition` compiles one under a name and
// `module_instance` instantiates a definition; actions invoke exports with component values; assertions
// compare results structurally (values carry labels) and traps by message. `module` counts as an
// assertion here: "this component is valid and instantiates" is the property under test.
#include <nlohmann/json.hpp>

#include "component/reader.hh"
#include "component/validator.hh"
#include "wast/command_fields.hh"
#include "wast/commands.hh"
#include "wast/component_session.hh"

namespace airwasm::wast {

using component::Val;
using nlohmann::json;

namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// The scripts' trap texts are wasmtime's, sometimes with its "wasm trap: " prefix.
std::string_view trap_text(std::string_view text) {
  constexpr std::string_view kPrefix = "wasm trap: ";
  if (text.substr(0, kPrefix.size()) == kPrefix) text.remove_prefix(kPrefix.size());
  return text;
}

bool is_component_file(CommandContext& ctx, const json& cmd) {
  auto bytes = ctx.session.read_file(member(cmd, "filename"));
  return bytes && component::is_component_binary(*bytes);
}

Result<void> validate_core(CommandContext& ctx, const json& cmd) {
  AIRWASM_TRY_ASSIGN(std::vector<uint8_t> bytes, ctx.session.read_file(member(cmd, "filename")));
  return Module::validate(ctx.session.engine(), bytes);
}

Outcome cmd_module(CommandContext& ctx, const json& cmd) {
  if (!is_component_file(ctx, cmd)) {
    auto r = validate_core(ctx, cmd);
    return r ? Outcome::passed() : Outcome::failed(describe_module(cmd), "valid", r.error().to_string());
  }
  ComponentSession& cs = ctx.session.components();
  auto c = cs.compile_file(member(cmd, "filename"));
  if (!c) {
    cs.set_current(member(cmd, "name"), std::unexpected(c.error()));
    return Outcome::failed(describe_module(cmd), "valid", c.error().to_string());
  }
  auto inst = cs.instantiate(*c);
  const std::string reason = inst ? "" : inst.error().to_string();
  cs.set_current(member(cmd, "name"), std::move(inst));
  if (!reason.empty()) return Outcome::failed(describe_module(cmd), "instantiates", reason);
  return Outcome::passed();
}

Outcome cmd_module_definition(CommandContext& ctx, const json& cmd) {
  if (!is_component_file(ctx, cmd)) {
    auto r = validate_core(ctx, cmd);
    return r ? Outcome::passed() : Outcome::failed(describe_module(cmd), "valid", r.error().to_string());
  }
  ComponentSession& cs = ctx.session.components();
  auto c = cs.compile_file(member(cmd, "filename"));
  const std::string reason = c ? "" : c.error().to_string();
  cs.define(member(cmd, "name"), std::move(c));
  if (!reason.empty()) return Outcome::failed(describe_module(cmd), "valid", reason);
  return Outcome::passed();
}

Outcome cmd_module_instance(CommandContext& ctx, const json& cmd) {
  ComponentSession& cs = ctx.session.components();
  const std::string what = "module_instance " + member(cmd, "instance") + " of " + member(cmd, "module");
  auto def = cs.definition(member(cmd, "module"));
  if (!def) return Outcome::failed(what, "instantiates", def.error().to_string());
  auto inst = cs.instantiate(*def);
  const std::string reason = inst ? "" : inst.error().to_string();
  cs.set_current(member(cmd, "instance"), std::move(inst));
  if (!reason.empty()) return Outcome::failed(what, "instantiates", reason);
  return Outcome::done();
}

const json& action_of(const json& cmd) {
  static const json kNone;
  auto it = cmd.find("action");
  return it == cmd.end() ? kNone : *it;
}

std::string show(const std::vector<Val>& values) {
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + values[i].to_string();
  return s + ")";
}

std::string actual_of(const ComponentActionResult& r) {
  switch (r.kind) {
    case ActionResult::Kind::kReturned:
      return show(r.values);
    case ActionResult::Kind::kTrapped:
      return "trap: " + r.trap.message();
    case ActionResult::Kind::kError:
      return "error: " + r.error;
  }
  return "?";
}

Outcome cmd_action(CommandContext& ctx, const json& cmd) {
  ComponentActionResult r = ctx.session.components().run_action(action_of(cmd));
  if (r.kind == ActionResult::Kind::kReturned) return Outcome::done();
  return Outcome::failed("action " + r.description, "returns", actual_of(r));
}

Outcome cmd_assert_return(CommandContext& ctx, const json& cmd) {
  std::vector<Val> expected;
  if (auto it = cmd.find("expected"); it != cmd.end() && it->is_array()) {
    for (const json& v : *it) {
      auto val = json_to_val(v);
      if (!val) return Outcome::failed("assert_return", "a well-formed command", val.error().message);
      expected.push_back(std::move(*val));
    }
  }
  ComponentActionResult r = ctx.session.components().run_action(action_of(cmd));
  const std::string what = "assert_return " + r.description;
  if (r.kind == ActionResult::Kind::kReturned && r.values == expected) return Outcome::passed();
  return Outcome::failed(what, show(expected), actual_of(r));
}

Outcome cmd_assert_trap(CommandContext& ctx, const json& cmd) {
  const std::string text(trap_text(member(cmd, "text")));
  if (cmd.find("action") == cmd.end()) {
    // A component whose instantiation traps.
    ComponentSession& cs = ctx.session.components();
    auto c = cs.compile_file(member(cmd, "filename"));
    if (!c) return Outcome::failed(describe_module(cmd), "trap: " + text, c.error().to_string());
    auto inst = cs.instantiate(*c);
    if (!inst && contains(inst.error().message, text)) return Outcome::passed();
    return Outcome::failed(describe_module(cmd), "trap: " + text,
                           inst ? "instantiated" : inst.error().to_string());
  }
  ComponentActionResult r = ctx.session.components().run_action(action_of(cmd));
  if (r.kind == ActionResult::Kind::kTrapped && contains(r.trap.message(), text)) return Outcome::passed();
  return Outcome::failed("assert_trap " + r.description, "trap: " + text, actual_of(r));
}

Outcome cmd_assert_link_failure(CommandContext& ctx, const json& cmd) {
  const std::string text = member(cmd, "text");
  ComponentSession& cs = ctx.session.components();
  auto c = cs.compile_file(member(cmd, "filename"));
  if (!c)
    return Outcome::failed(describe_module(cmd), "instantiation fails with " + text, c.error().to_string());
  auto inst = cs.instantiate(*c);
  if (!inst && contains(inst.error().message, text)) return Outcome::passed();
  return Outcome::failed(describe_module(cmd), "instantiation fails with " + text,
                         inst ? "instantiated" : inst.error().to_string());
}

// Decodes and validates a component or core module binary from the script's directory.
Result<void> check_binary(CommandContext& ctx, const json& cmd) {
  AIRWASM_TRY_ASSIGN(std::vector<uint8_t> bytes, ctx.session.read_file(member(cmd, "filename")));
  if (component::is_component_binary(bytes)) {
    AIRWASM_TRY(component::load_component(bytes));
    return {};
  }
  return Module::validate(ctx.session.engine(), bytes);
}

Outcome expect_rejected(CommandContext& ctx, const json& cmd) {
  std::string text = member(cmd, "text");
  auto r = check_binary(ctx, cmd);
  std::string want = "rejected with \"" + text + "\"";
  if (r) return Outcome::failed(describe_module(cmd), want, "valid");
  if (r.error().message.find(text) != std::string::npos) return Outcome::passed();
  return Outcome::failed(describe_module(cmd), want, r.error().to_string());
}

Outcome expect_valid(CommandContext& ctx, const json& cmd) {
  auto r = check_binary(ctx, cmd);
  return r ? Outcome::passed() : Outcome::failed(describe_module(cmd), "valid", r.error().to_string());
}

constexpr CommandEntry kComponentCommands[] = {
    {"validate", true, expect_valid},  // module / module_definition under --static
    {"module", true, cmd_module},
    {"module_definition", true, cmd_module_definition},
    {"module_instance", false, cmd_module_instance},
    {"action", false, cmd_action},
    {"assert_return", true, cmd_assert_return},
    {"assert_trap", true, cmd_assert_trap},
    {"assert_unlinkable", true, cmd_assert_link_failure},
    {"assert_uninstantiable", true, cmd_assert_link_failure},
    {"assert_invalid", true, expect_rejected},
    {"assert_malformed", true, expect_rejected},
};

}  // namespace

std::span<const CommandEntry> component_commands() {
  return kComponentCommands;
}

}  // namespace airwasm::wast
