// wasi/p2: the per-guest state behind a WasiP2Context and the conventions shared by the interface files.
// Every WASI resource a guest holds is a C++ object in the context's ResourceTable; the guest's handle
// carries the table index as the resource's representation (rep). The component runtime already checks
// that a handle has the right resource type, but the table checks the kind again before any cast: a
// rep is never trusted to be what the caller says it is.
// Each interface file (io_streams.cc, filesystem_types.cc, ...) has a define_* function that adds its
// functions and the resource types it uses to one LinkerInstance.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/component/linker.hh"
#include "airwasm/component/val.hh"
#include "airwasm/trap.hh"
#include "airwasm/wasi_p2.hh"
#include "base/result.hh"
#include "wasi/sandbox_path.hh"

namespace airwasm::wasi::p2::internal {

using component::LinkerInstance;
using component::ResourceAny;
using component::ResourceType;
using component::Val;

// One kind per WIT resource type. Host resource type ids are fixed (kTypeBase + kind) so that every
// Linker and every context agree on them; `headers`/`trailers` are aliases of `fields` in the WIT.
enum class Kind : uint8_t {
  kError,
  kPollable,
  kInputStream,
  kOutputStream,
  kDescriptor,
  kDirEntryStream,
  kTerminalInput,
  kTerminalOutput,
  kNetwork,
  kTcpSocket,
  kUdpSocket,
  kIncomingDatagramStream,
  kOutgoingDatagramStream,
  kResolveAddressStream,
  kFields,
  kIncomingRequest,
  kOutgoingRequest,
  kRequestOptions,
  kResponseOutparam,
  kIncomingResponse,
  kIncomingBody,
  kFutureTrailers,
  kOutgoingResponse,
  kOutgoingBody,
  kFutureIncomingResponse,
  kCount,
};
inline constexpr uint64_t kTypeBase = 0x5732'0000;  // "W2"
inline ResourceType type_of(Kind k) {
  return ResourceType::host(kTypeBase + uint64_t(k));
}

struct Object {
  explicit Object(Kind k) : kind(k) {}
  virtual ~Object() = default;
  const Kind kind;
};

// A host fd shared by the objects that use it (a descriptor and the streams made from it).
using SharedFd = std::shared_ptr<wasi::internal::OwnedFd>;

class ResourceTable {
 public:
  // A guest could otherwise make the host allocate without bound (a pollable per call, forever).
  static constexpr size_t kMaxLive = size_t(1) << 20;

  uint32_t add(std::unique_ptr<Object> obj);
  // The object behind `rep` if it is alive and of kind `k`.
  Object* get(uint32_t rep, Kind k);
  // Takes the object out (for functions that consume an own handle); the slot stays allocated until the
  // handle is dropped, so a stale rep finds nothing.
  std::unique_ptr<Object> take(uint32_t rep, Kind k);
  void remove(uint32_t rep);
  size_t live() const { return live_; }

 private:
  std::vector<std::unique_ptr<Object>> slots_{1};  // rep 0 is never used
  std::vector<bool> used_{true};
  std::vector<uint32_t> free_;
  size_t live_ = 0;
};

// One entry of the network allow-list: an address (4 or 16 bytes), and a port (0: any port).
struct NetRule {
  int family = 0;  // AF_INET / AF_INET6
  uint8_t addr[16] = {};
  uint16_t port = 0;
};

// "127.0.0.1:8080", "[::1]", ... (WasiP2Config::allowed_addresses); nullopt if malformed.
std::optional<NetRule> parse_net_rule(std::string_view text);

struct PreopenDir {
  SharedFd fd;
  std::string name;
};

struct P2State {
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<std::string> initial_cwd;
  std::vector<PreopenDir> preopens;
  wasi::internal::OwnedFd stdin_fd, stdout_fd, stderr_fd;
  bool capture_stdout = false, capture_stderr = false;
  std::string captured_stdout, captured_stderr;
  size_t capture_limit = 0;
  std::optional<std::string> stdin_data;
  size_t stdin_pos = 0;
  bool allow_network = false, allow_http = false, allow_ip_name_lookup = false;
  std::vector<NetRule> net_rules;  // WasiP2Config::allowed_addresses, parsed
  std::string http_ca_file;        // WasiP2Config::http_ca_file (empty: libcurl's default bundle)
  ResourceTable table;
};

// One host call: the context, the store, the parameters and the result slot.
struct Call {
  P2State& st;
  Store& store;
  std::span<const Val> p;
  std::span<Val> r;
  std::optional<Trap> failure;  // set by own() when the table is full; the call then traps

  // The object behind parameter `i` (a borrow or own handle) if it has kind `k`; null otherwise.
  template <typename T>
  T* arg(size_t i) {
    Object* o = object(i, T::kKind);
    return static_cast<T*>(o);
  }
  Object* object(size_t i, Kind k);
  uint32_t rep(size_t i);  // 0 if the parameter is not a live host handle
  // Takes ownership of the object behind an own handle parameter and drops the handle.
  template <typename T>
  std::unique_ptr<T> consume(size_t i) {
    std::unique_ptr<Object> o = take(i, T::kKind);
    return std::unique_ptr<T>(static_cast<T*>(o.release()));
  }
  std::unique_ptr<Object> take(size_t i, Kind k);
  // A new own handle for `obj` (when the resource table is full: a placeholder, and `failure` is set).
  Val own(std::unique_ptr<Object> obj);
  void ret(Val v) {
    if (!r.empty()) r[0] = std::move(v);
  }
};

// Sets the result and returns success: `return reply(c, ok(...));`.
inline TrapResult<void> reply(Call& c, Val v) {
  c.ret(std::move(v));
  return {};
}

using Handler = TrapResult<void> (*)(Call& c);
struct FuncDef {
  const char* name;
  Handler handler;
};

// Adds `funcs` and the resource types `resources` (by WIT name) to `inst`.
Result<void> define(LinkerInstance inst, const ContextGetter& getter, std::span<const FuncDef> funcs,
                    std::initializer_list<std::pair<const char*, Kind>> resources);

// A trap for a handle that names no live object of the expected kind (the component runtime rejects
// foreign handles before this; it catches objects already consumed).
Trap bad_handle(const char* what);
// The trap for a function of a resource that cannot exist yet in airwasm (incoming HTTP objects).
TrapResult<void> unreachable_object(Call& c);

// ---- shared objects ----

struct ErrorObj : Object {
  static constexpr Kind kKind = Kind::kError;
  ErrorObj(std::string msg, const char* code) : Object(kKind), message(std::move(msg)), fs_code(code) {}
  std::string message;
  const char* fs_code;             // the wasi:filesystem error-code name, or null
  const char* net_code = nullptr;  // the wasi:sockets error-code name (socket streams), or null
  std::string http_code;           // the wasi:http error-code case (HTTP body streams), or empty
  std::string http_detail;         // its internal-error message
};

// Pollables: readiness of an fd, a monotonic deadline, or always ready.
struct PollableObj : Object {
  static constexpr Kind kKind = Kind::kPollable;
  enum class What : uint8_t { kReady, kDeadline, kFdRead, kFdWrite };
  explicit PollableObj(What w) : Object(kKind), what(w) {}
  What what;
  uint64_t deadline_ns = 0;  // kDeadline: CLOCK_MONOTONIC nanoseconds
  SharedFd fd;               // kFdRead / kFdWrite (kept open while the pollable lives)
  int raw_fd = -1;           // the fd to poll (the context's stdio fds are not shared)
};

// The body of an incoming HTTP response as it arrives (http_outgoing_handler.cc).
struct ResponseBody;

struct InputStreamObj : Object {
  static constexpr Kind kKind = Kind::kInputStream;
  enum class What : uint8_t { kStdin, kFile, kEmpty, kSocket, kHttpBody };
  explicit InputStreamObj(What w) : Object(kKind), what(w) {}
  What what;
  SharedFd fd;                              // kFile, kSocket (a connected TCP socket, non-blocking)
  std::shared_ptr<ResponseBody> http_body;  // kHttpBody
  uint64_t offset = 0;                      // kFile
  bool closed = false;
};

// The body of an outgoing HTTP request or response as the guest writes it (http.hh).
struct BodyState;

struct OutputStreamObj : Object {
  static constexpr Kind kKind = Kind::kOutputStream;
  enum class What : uint8_t { kStdout, kStderr, kFile, kFileAppend, kDiscard, kSocket, kHttpBody };
  explicit OutputStreamObj(What w) : Object(kKind), what(w) {}
  What what;
  SharedFd fd;                           // kFile / kFileAppend / kSocket
  std::shared_ptr<BodyState> http_body;  // kHttpBody
  uint64_t offset = 0;                   // kFile
  bool failed = false;                   // after a write error the stream is closed
  // A write that a sliced call suspended part-way through (Store::suspend_and_retry): the host call's
  // number (Store::host_call_id), how many of its `size` bytes went out, and for a splice the bytes it had
  // read. When that same call runs again on resume it goes on from there, so nothing is written twice and
  // a splice does not read again; any other call finds a number that is not its own and drops the record
  // (the call it belonged to was abandoned or trapped).
  struct Unfinished {
    uint64_t call = 0;  // 0: none
    size_t size = 0, written = 0;
    std::string spliced;
  } unfinished;
};

// Reads for an incoming-body stream: up to `len` bytes of what has arrived (`blocking`: waiting,
// interruptibly, for at least one), ok(list<u8>) (`skip`: ok(u64)) or err(stream-error) at the end; and
// the fd its pollable watches, readable while bytes wait or the transfer is over (http_outgoing_handler.cc).
TrapResult<Val> response_body_read(Call& c, ResponseBody& body, uint64_t len, bool blocking, bool skip);
SharedFd response_body_event(const ResponseBody& body);
// Writes all of `data` (from byte `written` on) to an outgoing body: buffered until a transfer takes the
// body, then handed to it, waiting while the transfer has kRequestWindow bytes unsent (wait_to_write: a
// sliced call suspends). ok() or err(stream-error).
TrapResult<Val> request_body_write(Call& c, OutputStreamObj& s, std::string_view data, size_t written);

// Readiness of a pollable, and waiting for the first of several (io_poll.cc).
bool pollable_ready(const PollableObj& p);
TrapResult<void> pollables_wait(Store& store, std::span<PollableObj* const> ps);
// Writes all of `data` to an output stream: ok() or err(stream-error), or the trap of an interruption or of
// a suspension (io_streams.cc). A sliced call suspends instead of waiting on a full pipe, socket or HTTP
// body, also part-way through: when the same host call runs again, the bytes already written are skipped
// (OutputStreamObj::unfinished), so the calling host function must have done nothing else it would do
// again.
TrapResult<Val> stream_write(Call& c, OutputStreamObj& s, std::string_view data);
// Waits (interruptibly) until `fd` is ready for `events` in the middle of a write of `size` bytes to `s`,
// `written` of them gone out; a sliced call suspends instead, keeping that progress in s.unfinished.
TrapResult<void> wait_to_write(Call& c, OutputStreamObj& s, int fd, short events, size_t size,
                               size_t written);

// Value helpers.
Val ok(Val v);
Val ok();
Val err(Val v);
Val stream_error_closed();
Val stream_error_failed(Call& c, std::string message, const char* fs_code = nullptr);
Val bytes_val(const uint8_t* data, size_t n);
// Copies a list<u8> parameter into `out`; false if the value is not a list of u8.
bool bytes_arg(const Val& v, std::string& out);
uint64_t monotonic_now_ns();

// wasi:filesystem error-code names.
const char* fs_code_from_errno(int host_errno);
// The same for the preview-1 numbering (what the sandboxed resolver returns).
const char* fs_code_from_p1(uint16_t p1_errno);

// Interfaces (one file each, or one file for a family of tiny ones).
Result<void> define_io_error(LinkerInstance inst, const ContextGetter& g);
Result<void> define_io_poll(LinkerInstance inst, const ContextGetter& g);
Result<void> define_io_streams(LinkerInstance inst, const ContextGetter& g);
Result<void> define_clocks_monotonic(LinkerInstance inst, const ContextGetter& g);
Result<void> define_clocks_wall(LinkerInstance inst, const ContextGetter& g);
Result<void> define_random(component::Linker& linker, const ContextGetter& g);
Result<void> define_cli(component::Linker& linker, const ContextGetter& g);
Result<void> define_filesystem_types(LinkerInstance inst, const ContextGetter& g);
Result<void> define_filesystem_preopens(LinkerInstance inst, const ContextGetter& g);
Result<void> define_sockets_network(component::Linker& linker, const ContextGetter& g);
Result<void> define_sockets_tcp(component::Linker& linker, const ContextGetter& g);
Result<void> define_sockets_udp(component::Linker& linker, const ContextGetter& g);
Result<void> define_sockets_lookup(component::Linker& linker, const ContextGetter& g);
Result<void> define_http_types(LinkerInstance inst, const ContextGetter& g);
Result<void> define_http_outgoing_handler(LinkerInstance inst, const ContextGetter& g);

// "wasi:io/streams" -> "wasi:io/streams@0.2.12"
std::string iface(std::string_view name);

}  // namespace airwasm::wasi::p2::internal
