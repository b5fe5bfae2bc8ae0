// wasi: data movement and lifetime of file descriptors: fd_read/write/pread/pwrite (scatter/gather
// through iovec arrays in guest memory), fd_seek/tell, fd_close/renumber, fd_sync/datasync,
// fd_advise/allocate. Each iovec is bounds-checked as a whole before the host call sees it, and the
// result pointer is checked before any data moves, so a bad pointer never half-performs an operation.
// Reads and writes of descriptors that can block (pipes, terminals) wait interruptibly first.
#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/blocking.hh"
#include "wasi/state.hh"

namespace airwasm::wasi::internal {
namespace {

// Translates a guest iovec array to host iovecs; EFAULT if the array or any buffer is out of bounds.
abi::Errno gather(const GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<iovec>& out) {
  if (!mem.in_bounds(iovs, uint64_t(count) * abi::iovec::kSize)) return abi::kFault;
  count = std::min<uint32_t>(count, IOV_MAX);
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t buf = 0, len = 0;
    mem.load(iovs + i * abi::iovec::kSize + abi::iovec::kBuf, buf);
    mem.load(iovs + i * abi::iovec::kSize + abi::iovec::kLen, len);
    uint8_t* p = mem.range(buf, len);
    if (!p) return abi::kFault;
    if (len) out.push_back({p, len});
  }
  return abi::kSuccess;
}

enum class Op { kRead, kWrite, kPread, kPwrite };

uint16_t transfer(Env& env, Op op, uint32_t fd, uint32_t iovs, uint32_t count, uint64_t offset,
                  uint32_t result_ptr) {
  const bool reading = op == Op::kRead || op == Op::kPread;
  const bool positioned = op == Op::kPread || op == Op::kPwrite;
  uint64_t rights = reading ? abi::kRightFdRead : abi::kRightFdWrite;
  if (positioned) rights |= abi::kRightFdSeek;
  FdEntry* e;
  if (abi::Errno err = get_fd(env, fd, rights, e)) return err;
  if (e->filetype == abi::kDirectory) return abi::kIsDir;
  if (!env.mem.in_bounds(result_ptr, 4)) return abi::kFault;
  if (positioned && offset > uint64_t(INT64_MAX)) return abi::kInval;
  std::vector<iovec> host;
  if (abi::Errno err = gather(env.mem, iovs, count, host)) return err;
  ssize_t n = 0;
  if (!host.empty()) {
    // A pipe, terminal or socket may block for ever: wait for it where an interruption or the call's
    // deadline can stop the wait (regular files and directories never block on Linux).
    if (!positioned && e->filetype != abi::kRegularFile) {
      auto ready = ::airwasm::internal::wait_fd_interruptible(env.caller.store(), e->host_fd,
                                                              reading ? POLLIN : POLLOUT);
      if (!ready) {
        env.trap = std::move(ready.error());
        return abi::kIntr;
      }
    }
    do {
      switch (op) {
        case Op::kRead:
          n = ::readv(e->host_fd, host.data(), int(host.size()));
          break;
        case Op::kWrite:
          n = ::writev(e->host_fd, host.data(), int(host.size()));
          break;
        case Op::kPread:
          n = ::preadv(e->host_fd, host.data(), int(host.size()), off_t(offset));
          break;
        case Op::kPwrite:
          n = ::pwritev(e->host_fd, host.data(), int(host.size()), off_t(offset));
          break;
      }
    } while (n < 0 && errno == EINTR);
    if (n < 0) return last_errno();
  }
  env.mem.store<uint32_t>(result_ptr, uint32_t(n));
  return abi::kSuccess;
}

uint16_t fd_read(Env& env, const uint64_t* a) {
  return transfer(env, Op::kRead, arg32(a, 0), arg32(a, 1), arg32(a, 2), 0, arg32(a, 3));
}
uint16_t fd_write(Env& env, const uint64_t* a) {
  return transfer(env, Op::kWrite, arg32(a, 0), arg32(a, 1), arg32(a, 2), 0, arg32(a, 3));
}
uint16_t fd_pread(Env& env, const uint64_t* a) {
  return transfer(env, Op::kPread, arg32(a, 0), arg32(a, 1), arg32(a, 2), arg64(a, 3), arg32(a, 4));
}
uint16_t fd_pwrite(Env& env, const uint64_t* a) {
  return transfer(env, Op::kPwrite, arg32(a, 0), arg32(a, 1), arg32(a, 2), arg64(a, 3), arg32(a, 4));
}

uint16_t fd_seek(Env& env, const uint64_t* a) {
  const int64_t offset = int64_t(arg64(a, 1));
  const uint32_t whence = arg32(a, 2);
  const uint64_t rights = (offset == 0 && whence == abi::kWhenceCur) ? abi::kRightFdTell : abi::kRightFdSeek;
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), rights, e)) return err;
  int host_whence;
  switch (whence) {
    case abi::kWhenceSet:
      host_whence = SEEK_SET;
      break;
    case abi::kWhenceCur:
      host_whence = SEEK_CUR;
      break;
    case abi::kWhenceEnd:
      host_whence = SEEK_END;
      break;
    default:
      return abi::kInval;
  }
  if (!env.mem.in_bounds(arg32(a, 3), 8)) return abi::kFault;
  off_t pos = ::lseek(e->host_fd, off_t(offset), host_whence);
  if (pos < 0) return last_errno();
  env.mem.store<uint64_t>(arg32(a, 3), uint64_t(pos));
  return abi::kSuccess;
}

uint16_t fd_tell(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdTell, e)) return err;
  if (!env.mem.in_bounds(arg32(a, 1), 8)) return abi::kFault;
  off_t pos = ::lseek(e->host_fd, 0, SEEK_CUR);
  if (pos < 0) return last_errno();
  env.mem.store<uint64_t>(arg32(a, 1), uint64_t(pos));
  return abi::kSuccess;
}

uint16_t fd_close(Env& env, const uint64_t* a) {
  auto it = env.state.fds.find(arg32(a, 0));
  if (it == env.state.fds.end()) return abi::kBadf;
  ::close(it->second.host_fd);
  env.state.fds.erase(it);
  return abi::kSuccess;
}

uint16_t fd_renumber(Env& env, const uint64_t* a) {
  const uint32_t from = arg32(a, 0), to = arg32(a, 1);
  auto src = env.state.fds.find(from);
  auto dst = env.state.fds.find(to);
  if (src == env.state.fds.end() || dst == env.state.fds.end()) return abi::kBadf;
  if (from == to) return abi::kSuccess;
  ::close(dst->second.host_fd);
  dst->second = std::move(src->second);
  env.state.fds.erase(src);
  return abi::kSuccess;
}

uint16_t fd_sync(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdSync, e)) return err;
  return ::fsync(e->host_fd) == 0 ? abi::kSuccess : last_errno();
}

uint16_t fd_datasync(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdDatasync, e)) return err;
  return ::fdatasync(e->host_fd) == 0 ? abi::kSuccess : last_errno();
}

uint16_t fd_advise(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdAdvise, e)) return err;
  int advice;
  switch (arg32(a, 3)) {
    case abi::kAdviceNormal:
      advice = POSIX_FADV_NORMAL;
      break;
    case abi::kAdviceSequential:
      advice = POSIX_FADV_SEQUENTIAL;
      break;
    case abi::kAdviceRandom:
      advice = POSIX_FADV_RANDOM;
      break;
    case abi::kAdviceWillNeed:
      advice = POSIX_FADV_WILLNEED;
      break;
    case abi::kAdviceDontNeed:
      advice = POSIX_FADV_DONTNEED;
      break;
    case abi::kAdviceNoReuse:
      advice = POSIX_FADV_NOREUSE;
      break;
    default:
      return abi::kInval;
  }
  const uint64_t offset = arg64(a, 1), len = arg64(a, 2);
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX)) return abi::kInval;
  int rc = ::posix_fadvise(e->host_fd, off_t(offset), off_t(len), advice);
  return rc == 0 || rc == ESPIPE ? abi::kSuccess : from_host_errno(rc);
}

uint16_t fd_allocate(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdAllocate, e)) return err;
  const uint64_t offset = arg64(a, 1), len = arg64(a, 2);
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset) return abi::kInval;
  int rc = ::posix_fallocate(e->host_fd, off_t(offset), off_t(len));
  return from_host_errno(rc);
}

}  // namespace

void register_fd_io(std::vector<FunctionDef>& out) {
  out.push_back({"fd_read", "iiii", true, fd_read});
  out.push_back({"fd_write", "iiii", true, fd_write});
  out.push_back({"fd_pread", "iiiIi", true, fd_pread});
  out.push_back({"fd_pwrite", "iiiIi", true, fd_pwrite});
  out.push_back({"fd_seek", "iIii", true, fd_seek});
  out.push_back({"fd_tell", "ii", true, fd_tell});
  out.push_back({"fd_close", "i", true, fd_close});
  out.push_back({"fd_renumber", "ii", true, fd_renumber});
  out.push_back({"fd_sync", "i", true, fd_sync});
  out.push_back({"fd_datasync", "i", true, fd_datasync});
  out.push_back({"fd_advise", "iIIi", true, fd_advise});
  out.push_back({"fd_allocate", "iII", true, fd_allocate});
}

}  // namespace airwasm::wasi::internal
