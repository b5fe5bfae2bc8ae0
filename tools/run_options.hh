// tools: the options of `airwasm run`, shared by the core-module path (cmd_run.cc) and the component
// path (cmd_run_component.cc), which take the same sandbox and limit flags.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "airwasm/trap.hh"
#include "airwasm/wasi.hh"

namespace airwasm::cli {

inline constexpr int kExitTrap = 134;  // as wasmtime: 128 + SIGABRT

struct RunOptions {
  std::optional<std::string> invoke;
  std::vector<wasi::Preopen> dirs;
  std::vector<std::string> env;  // NAME=VALUE
  std::optional<uint64_t> fuel;
  std::optional<std::chrono::nanoseconds> timeout;
  std::string timeout_text;
  std::optional<uint64_t> max_memory;
  std::string max_memory_text;
  std::string file;
  std::vector<std::string> args;  // after FILE
};

// Prints a trap (with the --timeout note when it applies) and returns the exit status: the guest's own
// status for an exit, kExitTrap otherwise.
int report_trap(const RunOptions& o, const Trap& trap);

// Runs a component binary as a WASI 0.2 command (cmd_run_component.cc).
int run_component(const RunOptions& o, std::span<const uint8_t> bytes);

}  // namespace airwasm::cli
