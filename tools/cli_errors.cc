// tools: the error lines every subcommand prints for a file (see cli.hh).
#include <cstdio>

#include "cli.hh"

namespace airwasm::cli {

void print_file_error(const std::string& file, const Error& e) {
  if (e.offset != Error::kNoOffset) {
    std::fprintf(stderr, "%s: error at 0x%zx: %s\n", file.c_str(), e.offset, e.message.c_str());
  } else {
    std::fprintf(stderr, "%s: error: %s\n", file.c_str(), e.message.c_str());
  }
}

void print_read_error(const std::string& file, const std::string& reason) {
  std::fprintf(stderr, "%s: error: cannot read file: %s\n", file.c_str(), reason.c_str());
}

}  // namespace airwasm::cli
