// wast: the state of one script run. Each script gets a fresh Store and Linker (with `spectest` defined)
// from the shared Engine; modules are read from files next to the script. It tracks the current module
// and the named ones; a module that failed to load stays recorded as failed, so that the commands naming
// it fail with that reason instead of running against some other module.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"
#include "airwasm/instance.hh"
#include "airwasm/module.hh"
#include "airwasm/store.hh"
#include "airwasm/trap.hh"
#include "airwasm/value.hh"

namespace airwasm::wast {

class ComponentSession;

struct SessionOptions {
  std::optional<uint64_t> fuel;  // fuel given to the Store (the Engine must meter fuel)
};

// The result of running an `invoke` or `get` action.
struct ActionResult {
  enum class Kind : uint8_t {
    kReturned,  // `values` holds the results
    kTrapped,   // `trap` holds the trap
    kError,     // the action could not run at all (no such module or export, bad arguments): `error`
  };
  Kind kind = Kind::kError;
  std::string description;  // `invoke "f" (i32:1)`, `get $M "g"`: for reports
  std::vector<Val> values;
  Trap trap;
  std::string error;
};

class Session {
 public:
  // `dir` is the directory module file names are relative to.
  Session(const Engine& engine, std::string dir, SessionOptions options);

  // Defines spectest and gives the Store its fuel. Must succeed before anything else is used.
  Result<void> init();

  Store& store() { return store_; }
  Linker& linker() { return linker_; }
  const Engine& engine() const { return *engine_; }

  // Reads a module file named by the script.
  Result<std::vector<uint8_t>> read_file(std::string_view filename) const;
  Result<Module> compile_file(std::string_view filename) const;
  Result<Instance> instantiate(const Module& module);

  // Records the outcome of a `module` command as the current module (and under `name`, if not empty).
  void set_current(std::string_view name, Result<Instance> instance);
  // The instance named `name` ("" = the current one), or why there is none.
  Result<Instance> find_instance(std::string_view name) const;

  // `register`: defines the exports of the instance `name` ("" = current) under the module name `as`.
  Result<void> register_instance(std::string_view name, std::string_view as);

  // Runs an action object ({"type":"invoke"|"get", "module"?, "field", "args"?}).
  ActionResult run_action(const nlohmann::json& action);

  // The component-model half of the session, created on first use.
  ComponentSession& components();
  ~Session();

 private:
  const Engine* engine_;
  std::string dir_;
  SessionOptions options_;
  Store store_;
  Linker linker_;
  Result<Instance> current_;
  std::map<std::string, Result<Instance>, std::less<>> named_;
  std::unique_ptr<ComponentSession> components_;
};

}  // namespace airwasm::wast
