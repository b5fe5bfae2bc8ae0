// wast: handlers of the static commands of component-model scripts (the official component-model tests,
// converted by their tools/cm-wast2json.mjs): module and module_definition must decode and validate;
// assert_invalid and assert_malformed must be rejected with a message containing the expected text. A
// binary may be a component or a core module (the scripts hold both); each goes to its own validator.
// Instantiation and calls (module_instance, assert_return, ...) are in the skip list until the component
// runtime exists. Unlike in core scripts, `module` commands count as assertions here: for the static half
// of the Component Model, "this component is valid" is the property under test.
#include <nlohmann/json.hpp>

#include "component/reader.hh"
#include "component/validator.hh"
#include "wast/command_fields.hh"
#include "wast/commands.hh"

namespace airwasm::wast {

using nlohmann::json;

namespace {

// Decodes and validates a component or core module binary from the script's directory.
Result<void> check_binary(CommandContext& ctx, const json& cmd) {
  AIRWASM_TRY_ASSIGN(std::vector<uint8_t> bytes, ctx.session.read_file(member(cmd, "filename")));
  if (component::is_component_binary(bytes)) {
    AIRWASM_TRY(component::load_component(bytes));
    return {};
  }
  return Module::validate(ctx.session.engine(), bytes);
}

Outcome expect_valid(CommandContext& ctx, const json& cmd) {
  auto r = check_binary(ctx, cmd);
  if (r) return Outcome::passed();
  return Outcome::failed(describe_module(cmd), "valid", r.error().to_string());
}

Outcome expect_rejected(CommandContext& ctx, const json& cmd) {
  std::string text = member(cmd, "text");
  auto r = check_binary(ctx, cmd);
  std::string want = "rejected with \"" + text + "\"";
  if (r) return Outcome::failed(describe_module(cmd), want, "valid");
  if (r.error().message.find(text) != std::string::npos) return Outcome::passed();
  return Outcome::failed(describe_module(cmd), want, r.error().to_string());
}

constexpr CommandEntry kComponentCommands[] = {
    {"module", true, expect_valid},
    {"module_definition", true, expect_valid},
    {"assert_invalid", true, expect_rejected},
    {"assert_malformed", true, expect_rejected},
};

}  // namespace

std::span<const CommandEntry> component_commands() {
  return kComponentCommands;
}

}  // namespace airwasm::wast
