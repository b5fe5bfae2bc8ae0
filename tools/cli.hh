// tools: what the subcommands of the `airwasm` CLI share: the subcommand table entry, exit codes and
// the help-flag test. One file per subcommand (cmd_NAME.cc); main.cc only dispatches.
// To add a subcommand: write cmd_NAME.cc with `int cmd_NAME(int argc, char** argv)`, declare it below,
// add one row to kSubcommands in main.cc and the file to tools/CMakeLists.txt.
#pragma once

#include <string_view>

namespace airwasm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the input was processed and something failed
inline constexpr int kExitUsage = 2;    // bad command line

// A subcommand gets its own name as argv[0] and must answer -h / --help with its usage on stdout.
using SubcommandMain = int (*)(int argc, char** argv);

struct Subcommand {
  std::string_view name;
  std::string_view summary;  // one line for `airwasm --help`
  SubcommandMain main;
};

inline bool is_help_flag(std::string_view arg) {
  return arg == "-h" || arg == "--help";
}

int cmd_wast(int argc, char** argv);
int cmd_validate(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_inspect(int argc, char** argv);
int cmd_wit(int argc, char** argv);

}  // namespace airwasm::cli
