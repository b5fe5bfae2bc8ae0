// wast: the spec-script runner. Runs the JSON command files of wabt's `wast2json` against the public
// embedding API, one fresh Store and Linker per file, and counts every assertion as passed, failed or
// skipped (skips come only from skip_list.cc). A failing module/register/action command is a failure too.
// It never throws and never stops early: a command that cannot run is a counted failure with a reason.
// Two dialects: core scripts (wast2json) and component-model scripts (the official component-model tests'
// cm-wast2json), told apart per file by their commands and binaries; each has its own command table.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "airwasm/engine.hh"

namespace airwasm::wast {

struct Counts {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  Counts& operator+=(const Counts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
    return *this;
  }
};

struct RunnerOptions {
  bool verbose = false;          // print each failure: file, line, command, expected, actual
  std::optional<uint64_t> fuel;  // fuel for each file's Store (needs EngineConfig::consume_fuel)
  // Component scripts: the static commands only (module and module_definition are validated, not
  // instantiated; assert_invalid / assert_malformed run); every other command is skipped. For scripts whose
  // components airwasm can read but not run yet (the async/ folder of the official suite).
  bool static_only = false;
};

class ScriptRunner {
 public:
  // `out` receives the per-file summary lines and, when verbose, the failures. Both must outlive the runner.
  ScriptRunner(const Engine& engine, RunnerOptions options, std::ostream& out);

  // Runs one command file and prints "NAME: P passed, F failed, S skipped". A file that cannot be read
  // or parsed counts as one failure.
  Counts run_file(const std::string& path);

  // The totals of all files run so far.
  const Counts& totals() const { return totals_; }
  // Prints "N passed, N failed, N skipped" for the totals.
  void print_totals() const;

 private:
  const Engine& engine_;
  RunnerOptions options_;
  std::ostream& out_;
  Counts totals_;
};

}  // namespace airwasm::wast
