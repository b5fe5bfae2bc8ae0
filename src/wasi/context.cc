// wasi: WasiContext setup (stdio and pre-opened directories become the first guest fds), the fd table,
// and the translation of host errno values to preview1's numbering.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "wasi/state.hh"

namespace airwasm::wasi {
namespace internal {

WasiState::~WasiState() {
  close_all();
}

FdEntry* WasiState::find(uint32_t fd) {
  auto it = fds.find(fd);
  return it == fds.end() ? nullptr : &it->second;
}

uint32_t WasiState::insert(FdEntry entry) {
  uint32_t n = 0;
  for (const auto& [num, e] : fds) {
    if (num != n) break;
    ++n;
  }
  fds.emplace(n, std::move(entry));
  return n;
}

void WasiState::close_all() {
  for (auto& [num, e] : fds) {
    if (e.host_fd >= 0) ::close(e.host_fd);
  }
  fds.clear();
}

abi::Filetype filetype_of_mode(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return abi::kRegularFile;
    case S_IFDIR:
      return abi::kDirectory;
    case S_IFCHR:
      return abi::kCharacterDevice;
    case S_IFBLK:
      return abi::kBlockDevice;
    case S_IFLNK:
      return abi::kSymbolicLink;
    case S_IFSOCK:
      return abi::kSocketStream;
    default:
      return abi::kUnknown;  // FIFOs included, as wasmtime reports them
  }
}

abi::Errno get_fd(Env& env, uint32_t fd, uint64_t rights, FdEntry*& out) {
  out = env.state.find(fd);
  if (!out) return abi::kBadf;
  if ((out->rights_base & rights) != rights) return abi::kNotCapable;
  return abi::kSuccess;
}

abi::Errno from_host_errno(int e) {
  switch (e) {
    case 0:
      return abi::kSuccess;
    case E2BIG:
      return abi::k2Big;
    case EACCES:
      return abi::kAcces;
    case EADDRINUSE:
      return abi::kAddrInUse;
    case EADDRNOTAVAIL:
      return abi::kAddrNotAvail;
    case EAFNOSUPPORT:
      return abi::kAfNoSupport;
    case EAGAIN:
      return abi::kAgain;
    case EALREADY:
      return abi::kAlready;
    case EBADF:
      return abi::kBadf;
    case EBADMSG:
      return abi::kBadMsg;
    case EBUSY:
      return abi::kBusy;
    case ECANCELED:
      return abi::kCanceled;
    case ECHILD:
      return abi::kChild;
    case ECONNABORTED:
      return abi::kConnAborted;
    case ECONNREFUSED:
      return abi::kConnRefused;
    case ECONNRESET:
      return abi::kConnReset;
    case EDEADLK:
      return abi::kDeadlk;
    case EDESTADDRREQ:
      return abi::kDestAddrReq;
    case EDOM:
      return abi::kDom;
    case EDQUOT:
      return abi::kDquot;
    case EEXIST:
      return abi::kExist;
    case EFAULT:
      return abi::kFault;
    case EFBIG:
      return abi::kFbig;
    case EHOSTUNREACH:
      return abi::kHostUnreach;
    case EIDRM:
      return abi::kIdrm;
    case EILSEQ:
      return abi::kIlseq;
    case EINPROGRESS:
      return abi::kInProgress;
    case EINTR:
      return abi::kIntr;
    case EINVAL:
      return abi::kInval;
    case EIO:
      return abi::kIo;
    case EISCONN:
      return abi::kIsConn;
    case EISDIR:
      return abi::kIsDir;
    case ELOOP:
      return abi::kLoop;
    case EMFILE:
      return abi::kMfile;
    case EMLINK:
      return abi::kMlink;
    case EMSGSIZE:
      return abi::kMsgSize;
    case EMULTIHOP:
      return abi::kMultihop;
    case ENAMETOOLONG:
      return abi::kNameTooLong;
    case ENETDOWN:
      return abi::kNetDown;
    case ENETRESET:
      return abi::kNetReset;
    case ENETUNREACH:
      return abi::kNetUnreach;
    case ENFILE:
      return abi::kNfile;
    case ENOBUFS:
      return abi::kNoBufs;
    case ENODEV:
      return abi::kNoDev;
    case ENOENT:
      return abi::kNoEnt;
    case ENOEXEC:
      return abi::kNoExec;
    case ENOLCK:
      return abi::kNoLck;
    case ENOLINK:
      return abi::kNoLink;
    case ENOMEM:
      return abi::kNoMem;
    case ENOMSG:
      return abi::kNoMsg;
    case ENOPROTOOPT:
      return abi::kNoProtoOpt;
    case ENOSPC:
      return abi::kNoSpc;
    case ENOSYS:
      return abi::kNoSys;
    case ENOTCONN:
      return abi::kNotConn;
    case ENOTDIR:
      return abi::kNotDir;
    case ENOTEMPTY:
      return abi::kNotEmpty;
    case ENOTRECOVERABLE:
      return abi::kNotRecoverable;
    case ENOTSOCK:
      return abi::kNotSock;
    case ENOTSUP:
      return abi::kNotSup;  // == EOPNOTSUPP on Linux
    case ENOTTY:
      return abi::kNotTy;
    case ENXIO:
      return abi::kNxio;
    case EOVERFLOW:
      return abi::kOverflow;
    case EOWNERDEAD:
      return abi::kOwnerDead;
    case EPERM:
      return abi::kPerm;
    case EPIPE:
      return abi::kPipe;
    case EPROTO:
      return abi::kProto;
    case EPROTONOSUPPORT:
      return abi::kProtoNoSupport;
    case EPROTOTYPE:
      return abi::kProtoType;
    case ERANGE:
      return abi::kRange;
    case EROFS:
      return abi::kRofs;
    case ESPIPE:
      return abi::kSpipe;
    case ESRCH:
      return abi::kSrch;
    case ESTALE:
      return abi::kStale;
    case ETIMEDOUT:
      return abi::kTimedOut;
    case ETXTBSY:
      return abi::kTxtBsy;
    case EXDEV:
      return abi::kXdev;
    default:
      return abi::kIo;
  }
}

namespace {

// A stdio entry: rights follow what the host fd is. A terminal gets no seek/tell rights, which is how
// wasi-libc's isatty() recognises one.
Result<FdEntry> stdio_entry(int host_fd, const char* what) {
  int fd = ::fcntl(host_fd, F_DUPFD_CLOEXEC, 0);
  if (fd < 0)
    return make_error(ErrorKind::kIo, std::string("cannot use ") + what + ": " + std::strerror(errno));
  FdEntry e;
  e.host_fd = fd;
  struct stat st{};
  e.filetype = ::fstat(fd, &st) == 0 ? filetype_of_mode(st.st_mode) : abi::kUnknown;
  e.rights_base = abi::kFileRights;
  if (::isatty(fd)) {
    e.filetype = abi::kCharacterDevice;
    e.rights_base &= ~(abi::kRightFdSeek | abi::kRightFdTell);
  }
  e.rights_inheriting = 0;
  int fl = ::fcntl(fd, F_GETFL);
  if (fl >= 0 && (fl & O_APPEND)) e.fdflags |= abi::kFdflagAppend;
  return e;
}

}  // namespace
}  // namespace internal

WasiContext::WasiContext(std::unique_ptr<internal::WasiState> state) : state_(std::move(state)) {}
WasiContext::~WasiContext() = default;
WasiContext::WasiContext(WasiContext&&) noexcept = default;
WasiContext& WasiContext::operator=(WasiContext&&) noexcept = default;

Result<WasiContext> WasiContext::create(const WasiConfig& config) {
  auto state = std::make_unique<internal::WasiState>();
  state->args = config.args;
  state->env = config.env;
  state->max_open_fds = config.max_open_fds;
  const int stdio[3] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  const char* names[3] = {"stdin", "stdout", "stderr"};
  for (uint32_t i = 0; i < 3; ++i) {
    if (stdio[i] < 0) continue;
    auto e = internal::stdio_entry(stdio[i], names[i]);
    if (!e) return std::unexpected(e.error());
    state->fds.emplace(i, std::move(*e));
  }
  uint32_t next = 3;
  for (const Preopen& p : config.preopens) {
    int fd = ::open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      return make_error(ErrorKind::kIo,
                        "cannot pre-open directory '" + p.host_path + "': " + std::strerror(errno));
    }
    internal::FdEntry e;
    e.host_fd = fd;
    e.filetype = abi::kDirectory;
    e.rights_base = abi::kDirRights;
    e.rights_inheriting = abi::kDirRights | abi::kFileRights;
    e.is_preopen = true;
    e.preopen_name = p.guest_path.empty() ? "." : p.guest_path;
    while (state->fds.contains(next)) ++next;
    state->fds.emplace(next++, std::move(e));
  }
  return WasiContext(std::move(state));
}

}  // namespace airwasm::wasi
