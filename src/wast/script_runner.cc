// wast: the runner loop (see script_runner.hh). Reads a file, checks each command against the skip list,
// dispatches it to its handler (commands.hh) and tallies the outcome. Exceptions from the JSON library or
// the standard library (allocation) are caught per command, so one bad command never ends the run.
#include "wast/script_runner.hh"

#include <exception>
#include <ostream>

#include <nlohmann/json.hpp>

#include "component/reader.hh"
#include "wast/command_fields.hh"
#include "wast/commands.hh"
#include "wast/file_io.hh"
#include "wast/session.hh"
#include "wast/skip_list.hh"

namespace airwasm::wast {

using nlohmann::json;

namespace {

// The command dialect of a script: "component" when it uses component-model commands or names a
// component binary in a `module` or an assertion other than assert_malformed, "core" otherwise. (Core
// scripts name component-like headers only in assert_malformed: they must be rejected there.)
std::string_view dialect_of(const json& commands, const Session& session) {
  for (const json& cmd : commands) {
    if (!cmd.is_object()) continue;
    std::string type = member(cmd, "type");
    if (type == "module_definition" || type == "module_instance") return "component";
    if (cmd.contains("parse_error")) return "component";  // only the component suite's converter writes it
    std::string file = member(cmd, "filename");
    if (type == "assert_malformed" || file.empty() || member(cmd, "module_type") == "text") continue;
    if (auto bytes = session.read_file(file); bytes && component::is_component_binary(*bytes))
      return "component";
  }
  return "core";
}

const CommandEntry* find_handler(std::span<const CommandEntry> table, std::string_view type) {
  for (const CommandEntry& e : table) {
    if (e.type == type) return &e;
  }
  return nullptr;
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dir_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Outcome run_command(CommandContext& ctx, const json& cmd, const std::string& file_name,
                    std::string_view dialect, bool static_only) {
  if (!cmd.is_object()) return Outcome::failed("<command>", "a command object", "not an object");
  std::string type = member(cmd, "type");
  if (auto reason = find_skip(type, member(cmd, "module_type"), file_name, dialect)) {
    return Outcome{Outcome::Status::kSkipped, type, {}, std::string(*reason)};
  }
  // The component suite's converter could not encode this module (its README: one component of
  // async/cancellable.wast uses an option removed from the proposal).
  if (cmd.contains("parse_error"))
    return Outcome{Outcome::Status::kSkipped, type, {}, "the suite's converter cannot encode this module"};
  const bool component = dialect == "component";
  if (component && static_only && type != "assert_invalid" && type != "assert_malformed") {
    if (type != "module" && type != "module_definition")
      return Outcome{Outcome::Status::kSkipped, type, {}, "static checks only (--static)"};
    type = "validate";  // the component table's static entry for definitions
  }
  const CommandEntry* entry = find_handler(component ? component_commands() : core_commands(), type);
  if (!entry)
    return Outcome::failed(type.empty() ? "<command>" : type, "a known command", "unknown command type");
  try {
    Outcome o = entry->handler(ctx, cmd);
    // Assertions are always counted; other commands only when they fail.
    if (o.status == Outcome::Status::kPassed && !entry->is_assertion) o.status = Outcome::Status::kNotCounted;
    if (o.status == Outcome::Status::kNotCounted && entry->is_assertion) o.status = Outcome::Status::kPassed;
    return o;
  } catch (const std::exception& e) {
    return Outcome::failed(type, "the command runs", std::string("exception: ") + e.what());
  } catch (...) {
    return Outcome::failed(type, "the command runs", "unknown exception");
  }
}

}  // namespace

ScriptRunner::ScriptRunner(const Engine& engine, RunnerOptions options, std::ostream& out)
    : engine_(engine), options_(options), out_(out) {}

Counts ScriptRunner::run_file(const std::string& path) {
  Counts counts;
  std::string shown = path;
  std::string file_name = base_name(path);
  auto report_failure = [&](int64_t line, const std::string& what, const std::string& expected,
                            const std::string& actual) {
    ++counts.failed;
    if (!options_.verbose) return;
    out_ << "  " << file_name << ":" << line << ": " << what << "\n"
         << "    expected: " << expected << "\n"
         << "    actual:   " << actual << "\n";
  };
  auto finish = [&]() {
    out_ << shown << ": " << counts.passed << " passed, " << counts.failed << " failed, " << counts.skipped
         << " skipped" << std::endl;  // flushed: the lines so far survive if the engine crashes later
    totals_ += counts;
    return counts;
  };

  // A script that cannot be read or parsed is named whatever the verbosity: one failed assertion in the
  // totals would not say which file, or why.
  auto bytes = read_file_bytes(path);
  if (!bytes) {
    report_failure(0, "read " + path, "a readable file", bytes.error());
    if (!options_.verbose) out_ << "  " << path << ": cannot read the file: " << bytes.error() << "\n";
    return finish();
  }
  json script = json::parse(bytes->begin(), bytes->end(), nullptr, /*allow_exceptions=*/false);
  auto commands = script.is_object() ? script.find("commands") : script.end();
  if (script.is_discarded() || !script.is_object() || commands == script.end() || !commands->is_array()) {
    report_failure(0, "parse " + path, "a wast2json command file", "not a JSON object with \"commands\"");
    if (!options_.verbose)
      out_ << "  " << path << ": not a spec-test script (wast2json's JSON, an object with \"commands\")\n";
    return finish();
  }

  try {
    Session session(engine_, dir_name(path), SessionOptions{options_.fuel});
    if (auto r = session.init(); !r) {
      report_failure(0, "set up the store (spectest, fuel)", "success", r.error().to_string());
      return finish();
    }
    CommandContext ctx{session, file_name};
    std::string_view dialect = dialect_of(*commands, session);
    for (const json& cmd : *commands) {
      Outcome o = run_command(ctx, cmd, file_name, dialect, options_.static_only);
      switch (o.status) {
        case Outcome::Status::kPassed:
          ++counts.passed;
          break;
        case Outcome::Status::kSkipped:
          ++counts.skipped;
          break;
        case Outcome::Status::kNotCounted:
          break;
        case Outcome::Status::kFailed:
          report_failure(line_of(cmd), o.what, o.expected, o.actual);
          break;
      }
    }
  } catch (const std::exception& e) {
    report_failure(0, "run " + path, "the script runs", std::string("exception: ") + e.what());
  }
  return finish();
}

void ScriptRunner::print_totals() const {
  out_ << totals_.passed << " passed, " << totals_.failed << " failed, " << totals_.skipped << " skipped\n";
}

}  // namespace airwasm::wast
