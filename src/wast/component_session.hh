// wast: the component half of a script run: compiled component definitions by name, component instances
// by name and the current one, all in the Session's Store, with one component Linker. Kept apart from
// Session so that core scripts never touch the component runtime.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "airwasm/component.hh"
#include "wast/session.hh"

namespace airwasm::wast {

struct ComponentActionResult {
  ActionResult::Kind kind = ActionResult::Kind::kError;
  std::string description;
  std::vector<component::Val> values;
  Trap trap;
  std::string error;
};

class ComponentSession {
 public:
  explicit ComponentSession(Session& session);

  Result<component::Component> compile_file(std::string_view filename);
  Result<component::Instance> instantiate(const component::Component& c);
  void define(std::string_view name, Result<component::Component> definition);
  Result<component::Component> definition(std::string_view name) const;
  void set_current(std::string_view name, Result<component::Instance> instance);
  ComponentActionResult run_action(const nlohmann::json& action);

 private:
  Session& session_;
  component::Linker linker_;
  std::map<std::string, Result<component::Component>, std::less<>> definitions_;
  std::map<std::string, Result<component::Instance>, std::less<>> named_;
  Result<component::Instance> current_;
};

// A script value ({"type": "u32", "value": "7"}, ...) as a Val; an error names what is wrong.
Result<component::Val> json_to_val(const nlohmann::json& v);

}  // namespace airwasm::wast
