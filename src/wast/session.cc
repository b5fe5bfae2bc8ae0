// wast: one script's Store, Linker and instances, and the execution of actions (see session.hh).
// Every failure becomes a value: a missing module, export or file, malformed arguments, a wrong
// argument type (checked here so that a bad script cannot reach the engine with ill-typed values).
#include "wast/session.hh"

#include "wast/component_session.hh"

#include <nlohmann/json.hpp>

#include "wast/file_io.hh"
#include "wast/spectest_host.hh"
#include "wast/values.hh"

namespace airwasm::wast {

using nlohmann::json;

namespace {

std::string string_or_empty(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string types_string(const std::vector<ValType>& types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += type_name(types[i]);
  }
  return out + ")";
}

}  // namespace

Session::Session(const Engine& engine, std::string dir, SessionOptions options)
    : engine_(&engine),
      dir_(std::move(dir)),
      options_(options),
      store_(engine),
      linker_(engine),
      current_(std::unexpected(Error(ErrorKind::kUsage, "no module defined before this command"))) {}

Result<void> Session::init() {
  if (options_.fuel) {
    if (auto r = store_.set_fuel(*options_.fuel); !r) return r;
  }
  // Scripts register several modules under names that later modules shadow (e.g. "M" twice).
  linker_.allow_shadowing(true);
  return define_spectest(store_, linker_);
}

Result<std::vector<uint8_t>> Session::read_file(std::string_view filename) const {
  if (filename.empty()) return make_error(ErrorKind::kIo, "command has no module file name");
  std::string path = std::string(filename);
  if (path.front() != '/' && !dir_.empty()) path = dir_ + "/" + path;
  auto bytes = read_file_bytes(path);
  if (!bytes) return make_error(ErrorKind::kIo, "cannot read module file " + path + ": " + bytes.error());
  return std::move(*bytes);
}

Result<Module> Session::compile_file(std::string_view filename) const {
  auto bytes = read_file(filename);
  if (!bytes) return std::unexpected(bytes.error());
  return Module::compile(*engine_, *bytes);
}

Result<Instance> Session::instantiate(const Module& module) {
  return linker_.instantiate(store_, module);
}

void Session::set_current(std::string_view name, Result<Instance> instance) {
  current_ = instance;
  if (!name.empty()) named_.insert_or_assign(std::string(name), std::move(instance));
}

Result<Instance> Session::find_instance(std::string_view name) const {
  const Result<Instance>* found = &current_;
  if (!name.empty()) {
    auto it = named_.find(name);
    if (it == named_.end()) return make_error(ErrorKind::kUsage, "no module named " + std::string(name));
    found = &it->second;
  }
  if (found->has_value()) return *found;
  // Name the module that failed, so a report points at the cause rather than at the symptom.
  return make_error(ErrorKind::kUsage, "the module failed to load at " + found->error().message);
}

Result<void> Session::register_instance(std::string_view name, std::string_view as) {
  auto instance = find_instance(name);
  if (!instance) return std::unexpected(instance.error());
  return linker_.define_instance(store_, as, *instance);
}

ActionResult Session::run_action(const json& action) {
  ActionResult out;
  std::string type = string_or_empty(action, "type");
  std::string module = string_or_empty(action, "module");
  std::string field = string_or_empty(action, "field");
  out.description = type.empty() ? std::string("<action>") : type;
  if (!module.empty()) out.description += " " + module;
  out.description += " " + in_quotes(field);

  auto fail = [&](std::string message) {
    out.kind = ActionResult::Kind::kError;
    out.error = std::move(message);
    return out;
  };

  if (!action.is_object()) return fail("action is not an object");
  std::vector<Val> args;
  if (type == "invoke") {
    if (auto it = action.find("args"); it != action.end()) {
      auto parsed = parse_values(*it);
      if (!parsed) return fail("bad arguments: " + parsed.error());
      args = std::move(*parsed);
      // Parsed once more as patterns only to print v128 arguments in the lanes the script wrote them in.
      auto shapes = parse_expected_values(*it);
      out.description += " " + format_values(args, shapes ? &*shapes : nullptr);
    } else {
      out.description += " ()";
    }
  }
  auto instance = find_instance(module);
  if (!instance) return fail(instance.error().message);

  if (type == "invoke") {
    auto func = instance->get_func(store_, field);
    if (!func) return fail("no exported function " + in_quotes(field));
    FuncType ft = func->type(store_);
    std::vector<ValType> arg_types;
    for (const Val& v : args) arg_types.push_back(v.type());
    if (arg_types != ft.params) {
      return fail("arguments " + types_string(arg_types) + " do not match the function type " +
                  types_string(ft.params) + " -> " + types_string(ft.results));
    }
    auto results = func->call(store_, args);
    if (!results) {
      out.kind = ActionResult::Kind::kTrapped;
      out.trap = std::move(results.error());
      return out;
    }
    out.kind = ActionResult::Kind::kReturned;
    out.values = std::move(*results);
    return out;
  }

  if (type == "get") {
    auto global = instance->get_global(store_, field);
    if (!global) return fail("no exported global " + in_quotes(field));
    out.kind = ActionResult::Kind::kReturned;
    out.values.push_back(global->get(store_));
    return out;
  }

  return fail("unknown action type " + in_quotes(type));
}

}  // namespace airwasm::wast

namespace airwasm::wast {

Session::~Session() = default;

ComponentSession& Session::components() {
  if (!components_) components_ = std::make_unique<ComponentSession>(*this);
  return *components_;
}

}  // namespace airwasm::wast
