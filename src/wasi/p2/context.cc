// wasi/p2: WasiP2Context setup (stdio duplicated, pre-opened directories opened), the resource table,
// the host-call plumbing (define(): a context lookup, then the handler), value helpers, the mapping of
// host errno values to wasi:filesystem's error-code, and add_to_linker, which defines every interface.
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "wasi/abi.hh"
#include "wasi/os.hh"
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2 {
namespace internal {

// ---- resource table ----

uint32_t ResourceTable::add(std::unique_ptr<Object> obj) {
  ++live_;
  if (!free_.empty()) {
    const uint32_t i = free_.back();
    free_.pop_back();
    slots_[i] = std::move(obj);
    used_[i] = true;
    return i;
  }
  slots_.push_back(std::move(obj));
  used_.push_back(true);
  return uint32_t(slots_.size() - 1);
}

Object* ResourceTable::get(uint32_t rep, Kind k) {
  if (rep == 0 || rep >= slots_.size() || !slots_[rep] || slots_[rep]->kind != k) return nullptr;
  return slots_[rep].get();
}

std::unique_ptr<Object> ResourceTable::take(uint32_t rep, Kind k) {
  if (!get(rep, k)) return nullptr;
  return std::move(slots_[rep]);
}

void ResourceTable::remove(uint32_t rep) {
  if (rep == 0 || rep >= slots_.size() || !used_[rep]) return;
  slots_[rep].reset();
  used_[rep] = false;
  free_.push_back(rep);
  --live_;
}

// ---- calls ----

uint32_t Call::rep(size_t i) {
  if (i >= p.size() ||
      (p[i].kind() != component::ValKind::kBorrow && p[i].kind() != component::ValKind::kOwn))
    return 0;
  auto r = component::resource_rep(store, p[i].as_resource());
  return r ? *r : 0;
}

Object* Call::object(size_t i, Kind k) {
  if (i >= p.size() ||
      (p[i].kind() != component::ValKind::kBorrow && p[i].kind() != component::ValKind::kOwn))
    return nullptr;
  if (!(p[i].as_resource().type() == type_of(k))) return nullptr;
  return st.table.get(rep(i), k);
}

std::unique_ptr<Object> Call::take(size_t i, Kind k) {
  if (!object(i, k)) return nullptr;
  const uint32_t r = rep(i);
  std::unique_ptr<Object> o = st.table.take(r, k);
  // Dropping the handle runs the destructor, which frees the (now empty) slot.
  (void)component::resource_drop(store, p[i].as_resource());
  return o;
}

Val Call::own(std::unique_ptr<Object> obj) {
  if (st.table.live() >= ResourceTable::kMaxLive) {
    failure = Trap(TrapCode::kHostError, "too many WASI resources held by the guest");
    return Val();
  }
  const Kind k = obj->kind;
  const uint32_t r = st.table.add(std::move(obj));
  auto h = component::resource_new_own(store, type_of(k), r);
  return h ? Val::resource(*h) : Val();
}

Trap bad_handle(const char* what) {
  return Trap(TrapCode::kUnknownHandle, std::string("unknown handle: not a live ") + what);
}

TrapResult<void> unreachable_object(Call&) {
  return std::unexpected(Trap(TrapCode::kHostError, "airwasm never creates this WASI resource"));
}

Result<void> define(LinkerInstance inst, const ContextGetter& getter, std::span<const FuncDef> funcs,
                    std::initializer_list<std::pair<const char*, Kind>> resources) {
  for (const auto& [name, kind] : resources) {
    AIRWASM_TRY(inst.resource(name, type_of(kind), [getter](Store& store, uint32_t rep) {
      if (WasiP2Context* ctx = getter(store)) ctx->state().table.remove(rep);
    }));
  }
  for (const FuncDef& f : funcs) {
    const Handler h = f.handler;
    AIRWASM_TRY(inst.func_new(
        f.name, [getter, h](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
          WasiP2Context* ctx = getter(store);
          if (!ctx) return std::unexpected(Trap(TrapCode::kHostError, "no WASI 0.2 context for this store"));
          Call c{ctx->state(), store, p, r, std::nullopt};
          TrapResult<void> out = h(c);
          if (c.failure) return std::unexpected(*c.failure);
          return out;
        }));
  }
  return {};
}

std::string iface(std::string_view name) {
  return std::string(name) + "@" + kWasiP2Version;
}

// ---- values ----

Val ok(Val v) {
  return Val::ok(std::move(v));
}
Val ok() {
  return Val::ok();
}
Val err(Val v) {
  return Val::err(std::move(v));
}
Val stream_error_closed() {
  return Val::variant("closed");
}
Val stream_error_failed(Call& c, std::string message, const char* fs_code) {
  return Val::variant("last-operation-failed",
                      c.own(std::make_unique<ErrorObj>(std::move(message), fs_code)));
}

Val bytes_val(const uint8_t* data, size_t n) {
  return Val::bytes(std::string(reinterpret_cast<const char*>(data), n));
}

bool bytes_arg(const Val& v, std::string& out) {
  if (v.kind() != component::ValKind::kList) return false;
  if (v.is_packed_bytes()) {  // what the canonical ABI lifts a list<u8> into: one copy
    out.assign(v.bytes_view());
    return true;
  }
  out.clear();
  out.reserve(v.items().size());
  for (const Val& b : v.items()) {
    if (b.kind() != component::ValKind::kU8) return false;
    out.push_back(char(b.as_u8()));
  }
  return true;
}

uint64_t monotonic_now_ns() {
  return wasi::internal::monotonic_now_ns();
}

// Host errno -> wasi:filesystem error-code goes through preview 1's table (wasi/context.cc), so that one
// mapping from the operating system's errors exists, shared by both WASI versions.
const char* fs_code_from_errno(int e) {
  return fs_code_from_p1(wasi::internal::from_host_errno(e));
}

const char* fs_code_from_p1(uint16_t e) {
  switch (e) {
    case abi::kAcces:
      return "access";
    case abi::kAgain:
      return "would-block";
    case abi::kAlready:
      return "already";
    case abi::kBadf:
      return "bad-descriptor";
    case abi::kBusy:
      return "busy";
    case abi::kDeadlk:
      return "deadlock";
    case abi::kDquot:
      return "quota";
    case abi::kExist:
      return "exist";
    case abi::kFbig:
      return "file-too-large";
    case abi::kIlseq:
      return "illegal-byte-sequence";
    case abi::kInProgress:
      return "in-progress";
    case abi::kIntr:
      return "interrupted";
    case abi::kInval:
      return "invalid";
    case abi::kIsDir:
      return "is-directory";
    case abi::kLoop:
      return "loop";
    case abi::kMlink:
      return "too-many-links";
    case abi::kMsgSize:
      return "message-size";
    case abi::kNameTooLong:
      return "name-too-long";
    case abi::kNoDev:
      return "no-device";
    case abi::kNoEnt:
      return "no-entry";
    case abi::kNoLck:
      return "no-lock";
    case abi::kNoMem:
      return "insufficient-memory";
    case abi::kNoSpc:
      return "insufficient-space";
    case abi::kNotDir:
      return "not-directory";
    case abi::kNotEmpty:
      return "not-empty";
    case abi::kNotRecoverable:
      return "not-recoverable";
    case abi::kNotSup:
      return "unsupported";
    case abi::kNotTy:
      return "no-tty";
    case abi::kNxio:
      return "no-such-device";
    case abi::kOverflow:
      return "overflow";
    case abi::kPerm:
      return "not-permitted";
    // An escape from the sandbox: preview 2 has no "capabilities insufficient"; wasmtime reports
    // not-permitted for it, and so does the preview1 adapter when it maps the code back.
    case abi::kNotCapable:
      return "not-permitted";
    case abi::kPipe:
      return "pipe";
    case abi::kRofs:
      return "read-only";
    case abi::kSpipe:
      return "invalid-seek";
    case abi::kTxtBsy:
      return "text-file-busy";
    case abi::kXdev:
      return "cross-device";
    default:
      return "io";
  }
}

}  // namespace internal

// ---- the context ----

namespace {

Result<int> dup_fd(int fd) {
  if (fd < 0) return -1;
  int d = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (d < 0) return make_error(ErrorKind::kIo, "cannot duplicate fd " + std::to_string(fd));
  return d;
}

}  // namespace

Result<WasiP2Context> WasiP2Context::create(const WasiP2Config& config) {
  auto st = std::make_unique<internal::P2State>();
  st->args = config.args;
  st->env = config.env;
  st->initial_cwd = config.initial_cwd;
  st->capture_stdout = config.capture_stdout;
  st->capture_stderr = config.capture_stderr;
  st->capture_limit = config.capture_limit;
  st->stdin_data = config.stdin_data;
  st->allow_network = config.allow_network;
  st->allow_http = config.allow_http;
  st->allow_ip_name_lookup = config.allow_ip_name_lookup;
  for (const std::string& a : config.allowed_addresses) {
    std::optional<internal::NetRule> rule = internal::parse_net_rule(a);
    if (!rule)
      return make_error(ErrorKind::kUsage, "bad network address '" + a +
                                               "' (expected ADDR, ADDR:PORT, [V6ADDR] or [V6ADDR]:PORT)");
    st->net_rules.push_back(*rule);
  }
  if (config.http_ca_file) {
    // Checked here, so that a wrong path is a start-up error rather than every request failing later.
    const std::string& path = *config.http_ca_file;
    const int fd = path.empty() ? -1 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info{};
    int why = fd < 0 ? (path.empty() ? ENOENT : errno) : 0;
    if (fd >= 0 && ::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) why = EISDIR;
    if (fd >= 0) ::close(fd);
    if (why)
      return make_error(ErrorKind::kIo, "cannot read the HTTP CA file '" + path + "': " + std::strerror(why));
    st->http_ca_file = path;
  }
  if (!config.stdin_data) {
    AIRWASM_TRY_ASSIGN(int in, dup_fd(config.stdin_fd));
    st->stdin_fd = wasi::internal::OwnedFd(in);
  }
  if (!config.capture_stdout) {
    AIRWASM_TRY_ASSIGN(int out, dup_fd(config.stdout_fd));
    st->stdout_fd = wasi::internal::OwnedFd(out);
  }
  if (!config.capture_stderr) {
    AIRWASM_TRY_ASSIGN(int errfd, dup_fd(config.stderr_fd));
    st->stderr_fd = wasi::internal::OwnedFd(errfd);
  }
  for (const Preopen& p : config.preopens) {
    int fd = ::open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
      return make_error(ErrorKind::kIo,
                        "cannot open directory `" + p.host_path + "`: " + std::strerror(errno));
    st->preopens.push_back({std::make_shared<wasi::internal::OwnedFd>(fd), p.guest_path});
  }
  return WasiP2Context(std::move(st));
}

WasiP2Context::WasiP2Context(std::unique_ptr<internal::P2State> state) : state_(std::move(state)) {}
WasiP2Context::~WasiP2Context() = default;
WasiP2Context::WasiP2Context(WasiP2Context&&) noexcept = default;
WasiP2Context& WasiP2Context::operator=(WasiP2Context&&) noexcept = default;

const std::string& WasiP2Context::captured_stdout() const {
  return state_->captured_stdout;
}
const std::string& WasiP2Context::captured_stderr() const {
  return state_->captured_stderr;
}
size_t WasiP2Context::live_resources() const {
  return state_->table.live();
}

Result<void> add_to_linker(component::Linker& linker, ContextGetter getter) {
  using namespace internal;
  if (!getter) return make_error(ErrorKind::kUsage, "add_to_linker needs a context getter");
  AIRWASM_TRY(define_io_error(linker.instance(iface("wasi:io/error")), getter));
  AIRWASM_TRY(define_io_poll(linker.instance(iface("wasi:io/poll")), getter));
  AIRWASM_TRY(define_io_streams(linker.instance(iface("wasi:io/streams")), getter));
  AIRWASM_TRY(define_clocks_monotonic(linker.instance(iface("wasi:clocks/monotonic-clock")), getter));
  AIRWASM_TRY(define_clocks_wall(linker.instance(iface("wasi:clocks/wall-clock")), getter));
  AIRWASM_TRY(define_random(linker, getter));
  AIRWASM_TRY(define_cli(linker, getter));
  AIRWASM_TRY(define_filesystem_types(linker.instance(iface("wasi:filesystem/types")), getter));
  AIRWASM_TRY(define_filesystem_preopens(linker.instance(iface("wasi:filesystem/preopens")), getter));
  AIRWASM_TRY(define_sockets_network(linker, getter));
  AIRWASM_TRY(define_sockets_tcp(linker, getter));
  AIRWASM_TRY(define_sockets_udp(linker, getter));
  AIRWASM_TRY(define_sockets_lookup(linker, getter));
  AIRWASM_TRY(define_http_types(linker.instance(iface("wasi:http/types")), getter));
  AIRWASM_TRY(define_http_outgoing_handler(linker.instance(iface("wasi:http/outgoing-handler")), getter));
  return {};
}

Result<void> add_to_linker(component::Linker& linker, WasiP2Context& context) {
  WasiP2Context* ctx = &context;
  return add_to_linker(linker, [ctx](Store&) { return ctx; });
}

}  // namespace airwasm::wasi::p2
