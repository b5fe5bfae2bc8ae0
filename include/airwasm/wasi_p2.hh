// airwasm public API: WASI 0.2 (preview 2) for components. A WasiP2Context is the state of one guest
// (one Store): arguments, environment, pre-opened directories, stdio, the network policy, and the table
// of host resources the guest holds (streams, pollables, descriptors, directory listings, HTTP objects).
// add_to_linker() defines every interface of wasi:io, wasi:clocks, wasi:random, wasi:cli,
// wasi:filesystem, wasi:sockets and wasi:http (types, outgoing-handler) in a component Linker, once, at
// the newest 0.2 version implemented (kWasiP2Version): the Linker's semver matching lets that one
// definition serve imports of any 0.2.x.
// Everything is always defined; what the guest may do is decided here: it sees only its pre-opened
// directories (paths resolved by the sandboxed walker of preview 1), and network and HTTP operations
// return the interfaces' "denied" error codes unless the host allows them. Library code never prints.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "airwasm/component/linker.hh"
#include "airwasm/error.hh"
#include "airwasm/wasi.hh"

namespace airwasm::wasi::p2 {

// The version every interface is defined at ("wasi:io/streams@0.2.12").
inline constexpr const char* kWasiP2Version = "0.2.12";

struct WasiP2Config {
  std::vector<std::string> args;                         // wasi:cli/environment get-arguments
  std::vector<std::pair<std::string, std::string>> env;  // get-environment
  std::optional<std::string> initial_cwd;                // initial-cwd (none by default)
  std::vector<Preopen> preopens;                         // wasi:filesystem/preopens, in this order
  // Host fds for stdin/stdout/stderr (duplicated; the originals stay the caller's); -1 gives an empty
  // stdin / a stdout that discards. `capture_*` collects the guest's output in memory instead
  // (captured_stdout()); `stdin_data`, when set, is the whole of stdin.
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
  bool capture_stdout = false;
  bool capture_stderr = false;
  size_t capture_limit = size_t(64) << 20;  // bytes per captured stream; later writes fail (stream error)
  std::optional<std::string> stdin_data;
  // The network policy. Everything is denied by default: wasi:sockets answers access-denied and
  // wasi:http/outgoing-handler HTTP-request-denied (error values, never traps).
  //  - allow_network: TCP and UDP to and from any address (wasmtime's -S inherit-network).
  //  - allowed_addresses: otherwise, the only addresses sockets may bind, connect or send to: "ADDR",
  //    "ADDR:PORT", "[V6ADDR]" or "[V6ADDR]:PORT" (no port: any port). A malformed entry makes create()
  //    fail (kUsage).
  //  - allow_ip_name_lookup: wasi:sockets/ip-name-lookup (getaddrinfo, run off the guest's thread).
  //  - allow_http: outgoing HTTP and HTTPS requests through wasi:http (libcurl); independent of the
  //    socket policy, as wasmtime's -S http.
  //  - http_ca_file: a PEM file of CA certificates that HTTPS servers may also be verified against (a
  //    private CA, a test CA). It takes the place of libcurl's default CA bundle *file*; the system's CA
  //    directory that libcurl was built with (Debian: /etc/ssl/certs) stays trusted. A file that cannot
  //    be read makes create() fail (kIo). Unset: the system's CAs only. Certificates are always verified.
  bool allow_network = false;
  std::vector<std::string> allowed_addresses;
  bool allow_ip_name_lookup = false;
  bool allow_http = false;
  std::optional<std::string> http_ca_file;
};

namespace internal {
struct P2State;
}

class WasiP2Context {
 public:
  // Opens the pre-opened directories and duplicates the stdio fds. Errors (kIo) name the directory.
  static Result<WasiP2Context> create(const WasiP2Config& config);
  ~WasiP2Context();
  WasiP2Context(WasiP2Context&&) noexcept;
  WasiP2Context& operator=(WasiP2Context&&) noexcept;

  // Output collected with capture_stdout / capture_stderr.
  const std::string& captured_stdout() const;
  const std::string& captured_stderr() const;
  // The number of host resources the guest still holds (a leak check for embedders and tests).
  size_t live_resources() const;

  internal::P2State& state() const { return *state_; }

 private:
  explicit WasiP2Context(std::unique_ptr<internal::P2State> state);
  std::unique_ptr<internal::P2State> state_;
};

// Finds the context of the Store a host call runs in. Returning null makes the call trap.
using ContextGetter = std::function<WasiP2Context*(Store&)>;

// Defines every WASI 0.2 interface in `linker`.
Result<void> add_to_linker(component::Linker& linker, ContextGetter getter);
// The same for a Linker used with one context only; `context` must outlive the Linker's use.
Result<void> add_to_linker(component::Linker& linker, WasiP2Context& context);

}  // namespace airwasm::wasi::p2
