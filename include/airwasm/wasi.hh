// airwasm public API: WASI preview 1 (wasi_snapshot_preview1) host functions.
// A WasiContext is the per-Store state of one guest: its arguments, environment, file-descriptor table
// and pre-opened directories. add_to_linker() defines all preview1 functions in a Linker. A guest sees
// nothing of the host file system but its pre-opened directories (see src/wasi/sandbox_path.hh).
// Library code never prints; a failure to set up the context (a directory that cannot be opened) is an
// error value.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "airwasm/error.hh"
#include "airwasm/extern.hh"
#include "airwasm/instance.hh"

namespace airwasm::wasi {

struct Preopen {
  std::string host_path;   // a directory on the host
  std::string guest_path;  // the name the guest sees (fd_prestat_dir_name), e.g. "." or "/data"
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, argv[0] included
  std::vector<std::string> env;   // "NAME=VALUE" entries
  std::vector<Preopen> preopens;  // become guest fds 3, 4, ... in this order
  // Host file descriptors for the guest's fds 0, 1, 2 (duplicated; the originals stay the caller's).
  // -1 leaves the guest fd closed. Point them at files or pipes to redirect the guest's stdio.
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
  // Descriptors the guest may hold open at once, stdio and pre-opened directories included (open files
  // and directories alike; each is one host descriptor). path_open past it fails with EMFILE.
  uint32_t max_open_fds = 256;
};

namespace internal {
struct WasiState;
}

class WasiContext {
 public:
  // Opens the pre-opened directories and duplicates the stdio fds. Errors (kIo) name the directory.
  static Result<WasiContext> create(const WasiConfig& config);
  ~WasiContext();
  WasiContext(WasiContext&&) noexcept;
  WasiContext& operator=(WasiContext&&) noexcept;

  internal::WasiState& state() const { return *state_; }

 private:
  explicit WasiContext(std::unique_ptr<internal::WasiState> state);
  std::unique_ptr<internal::WasiState> state_;
};

// Finds the WasiContext of the Store a host call runs in (for a Linker shared by many Stores, e.g. via
// Store::data()). Returning null makes the call trap with "host function error".
using ContextGetter = std::function<WasiContext*(Caller&)>;

// Defines every wasi_snapshot_preview1 function in `linker`. The functions not supported (sockets,
// proc_raise) are defined and return ENOTSUP / ENOSYS, so any preview1 module links.
Result<void> add_to_linker(Linker& linker, ContextGetter getter);
// The same for a Linker used with one context only; `context` must outlive the Linker's use.
Result<void> add_to_linker(Linker& linker, WasiContext& context);

}  // namespace airwasm::wasi
