// tools: `airwasm-bindgen`, the `airwasm bindgen` subcommand as a program of its own that links only the
// WIT front end and the generator (no runtime). The airwasm_bindgen() CMake function runs it in the build
// tree, so that libraries the `airwasm` CLI links (the plugin host) can themselves use generated bindings
// without a dependency cycle. Same arguments and exit status as `airwasm bindgen`.
#include "cli.hh"

int main(int argc, char** argv) {
  return airwasm::cli::cmd_bindgen(argc, argv);
}
