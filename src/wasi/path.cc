// wasi: the path_* functions. Every path is resolved by resolve_path() beneath the directory fd the
// guest names (sandbox_path.hh); the host call then gets that directory plus one plain name, so the
// kernel never walks a guest-controlled path. Final symbolic links are followed only where preview1 says
// (lookupflags.symlink_follow) and then by the resolver, never by the kernel (O_NOFOLLOW everywhere).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "wasi/sandbox_path.hh"
#include "wasi/state.hh"

namespace airwasm::wasi::internal {
namespace {

abi::Errno resolve(Env& env, uint32_t dir_fd, uint64_t rights, uint32_t path_ptr, uint32_t path_len,
                   bool follow, ResolvedPath& out, FdEntry** dir_entry = nullptr) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, dir_fd, rights, e)) return err;
  if (e->filetype != abi::kDirectory) return abi::kNotDir;
  auto path = env.mem.string(path_ptr, path_len);
  if (!path) return abi::kFault;
  if (dir_entry) *dir_entry = e;
  return resolve_path(e->host_fd, *path, follow, out);
}

uint16_t path_open(Env& env, const uint64_t* a) {
  const uint32_t dirflags = arg32(a, 1), oflags = arg32(a, 4), fdflags = arg32(a, 7),
                 result_ptr = arg32(a, 8);
  const uint64_t base = arg64(a, 5), inheriting = arg64(a, 6);
  uint64_t needed = abi::kRightPathOpen;
  if (oflags & abi::kOflagCreat) needed |= abi::kRightPathCreateFile;
  if (oflags & abi::kOflagTrunc) needed |= abi::kRightPathFilestatSetSize;
  if (!env.mem.in_bounds(result_ptr, 4)) return abi::kFault;
  // O_CREAT|O_EXCL must not follow a final link (POSIX): the open below then fails with EEXIST.
  const bool follow = (dirflags & abi::kLookupSymlinkFollow) && !(oflags & abi::kOflagExcl);
  ResolvedPath rp;
  FdEntry* parent;
  if (abi::Errno err = resolve(env, arg32(a, 0), needed, arg32(a, 2), arg32(a, 3), follow, rp, &parent))
    return err;

  int flags = O_CLOEXEC | O_NOFOLLOW;
  if (oflags & abi::kOflagCreat) flags |= O_CREAT;
  if (oflags & abi::kOflagExcl) flags |= O_EXCL;
  if (oflags & abi::kOflagTrunc) flags |= O_TRUNC;
  const bool want_dir = (oflags & abi::kOflagDirectory) || rp.must_be_dir;
  const bool read = base & (abi::kRightFdRead | abi::kRightFdReaddir);
  const bool write = base & (abi::kRightFdWrite | abi::kRightFdDatasync | abi::kRightFdAllocate |
                             abi::kRightFdFilestatSetSize);
  // A directory cannot be opened for writing: EISDIR before touching the file system, as wasmtime does
  // (the official suite's path_open_preopen expects it).
  if ((oflags & abi::kOflagDirectory) && write) return abi::kIsDir;
  if (want_dir) {
    flags |= O_DIRECTORY | O_RDONLY;
  } else if (read && write) {
    flags |= O_RDWR;
  } else if (write) {
    flags |= O_WRONLY;
  } else {
    flags |= O_RDONLY;
  }
  if (fdflags & abi::kFdflagAppend) flags |= O_APPEND;
  if (fdflags & abi::kFdflagNonblock) flags |= O_NONBLOCK;
  if (fdflags & abi::kFdflagDsync) flags |= O_DSYNC;
  if (fdflags & abi::kFdflagSync) flags |= O_SYNC;
  if (fdflags & abi::kFdflagRsync) flags |= O_RSYNC;

  // The Store's share of the host's descriptors is bounded (WasiConfig::max_open_fds): a guest that opens
  // files in a loop gets EMFILE, as from a process limit, and the host keeps descriptors for itself.
  if (env.state.fds.size() >= env.state.max_open_fds) return abi::kMfile;
  int fd;
  do {
    fd = ::openat(rp.dir, rp.name.c_str(), flags, 0666);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    // Opening a directory for writing: EISDIR, as POSIX has it.
    return last_errno();
  }
  struct ::stat st{};
  if (::fstat(fd, &st) != 0) {
    abi::Errno err = last_errno();
    ::close(fd);
    return err;
  }
  FdEntry entry;
  entry.host_fd = fd;
  entry.filetype = filetype_of_mode(st.st_mode);
  const uint64_t mask = entry.filetype == abi::kDirectory ? abi::kDirRights : abi::kFileRights;
  entry.rights_base = base & parent->rights_inheriting & mask;
  entry.rights_inheriting = inheriting & parent->rights_inheriting;
  entry.fdflags = uint16_t(fdflags);
  const uint32_t guest_fd = env.state.insert(std::move(entry));
  env.mem.store<uint32_t>(result_ptr, guest_fd);
  return abi::kSuccess;
}

uint16_t path_create_directory(Env& env, const uint64_t* a) {
  ResolvedPath rp;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathCreateDirectory, arg32(a, 1), arg32(a, 2), false, rp))
    return err;
  if (rp.name == ".") return abi::kExist;
  return ::mkdirat(rp.dir, rp.name.c_str(), 0777) == 0 ? abi::kSuccess : last_errno();
}

uint16_t path_remove_directory(Env& env, const uint64_t* a) {
  ResolvedPath rp;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathRemoveDirectory, arg32(a, 1), arg32(a, 2), false, rp))
    return err;
  return ::unlinkat(rp.dir, rp.name.c_str(), AT_REMOVEDIR) == 0 ? abi::kSuccess : last_errno();
}

uint16_t path_unlink_file(Env& env, const uint64_t* a) {
  ResolvedPath rp;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathUnlinkFile, arg32(a, 1), arg32(a, 2), false, rp))
    return err;
  if (rp.name == ".") return abi::kIsDir;
  return ::unlinkat(rp.dir, rp.name.c_str(), 0) == 0 ? abi::kSuccess : last_errno();
}

uint16_t path_rename(Env& env, const uint64_t* a) {
  ResolvedPath from, to;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathRenameSource, arg32(a, 1), arg32(a, 2), false, from))
    return err;
  if (abi::Errno err =
          resolve(env, arg32(a, 3), abi::kRightPathRenameTarget, arg32(a, 4), arg32(a, 5), false, to))
    return err;
  if (from.name == "." || to.name == ".") return abi::kBusy;
  return ::renameat(from.dir, from.name.c_str(), to.dir, to.name.c_str()) == 0 ? abi::kSuccess : last_errno();
}

// A new name with a trailing slash ("link/") can only name a directory, and link and symlink never make
// one: ENOENT if nothing is there, EEXIST if a directory is, ENOTDIR if a file is (Linux's answers;
// the official suite's path_link and path_symlink_trailing_slashes expect them).
abi::Errno trailing_slash_error(const ResolvedPath& rp) {
  struct ::stat st{};
  if (::fstatat(rp.dir, rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return abi::kNoEnt;
  return S_ISDIR(st.st_mode) ? abi::kExist : abi::kNotDir;
}

uint16_t path_symlink(Env& env, const uint64_t* a) {
  auto target = env.mem.string(arg32(a, 0), arg32(a, 1));
  if (!target) return abi::kFault;
  // The link's text is only data, but an absolute one could never resolve inside the sandbox and would
  // point host tools that follow it outside: refuse it, as cap-std does.
  if (target->empty()) return abi::kNoEnt;
  if (target->front() == '/') return abi::kNotCapable;
  if (target->find('\0') != std::string_view::npos) return abi::kInval;
  ResolvedPath rp;
  if (abi::Errno err = resolve(env, arg32(a, 2), abi::kRightPathSymlink, arg32(a, 3), arg32(a, 4), false, rp))
    return err;
  if (rp.name == ".") return abi::kExist;
  if (rp.must_be_dir) return trailing_slash_error(rp);
  std::string text(*target);
  return ::symlinkat(text.c_str(), rp.dir, rp.name.c_str()) == 0 ? abi::kSuccess : last_errno();
}

uint16_t path_readlink(Env& env, const uint64_t* a) {
  const uint32_t buf = arg32(a, 3), buf_len = arg32(a, 4), used_ptr = arg32(a, 5);
  uint8_t* out = env.mem.range(buf, buf_len);
  if (!out || !env.mem.in_bounds(used_ptr, 4)) return abi::kFault;
  ResolvedPath rp;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathReadlink, arg32(a, 1), arg32(a, 2), false, rp))
    return err;
  std::string text(4096, '\0');
  ssize_t n = ::readlinkat(rp.dir, rp.name.c_str(), text.data(), text.size());
  if (n < 0) return last_errno();
  const uint32_t copy = std::min<uint32_t>(uint32_t(n), buf_len);
  std::memcpy(out, text.data(), copy);
  env.mem.store<uint32_t>(used_ptr, copy);
  return abi::kSuccess;
}

uint16_t path_filestat_get(Env& env, const uint64_t* a) {
  const uint32_t out = arg32(a, 4);
  if (!env.mem.in_bounds(out, abi::filestat::kSize)) return abi::kFault;
  ResolvedPath rp;
  const bool follow = arg32(a, 1) & abi::kLookupSymlinkFollow;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathFilestatGet, arg32(a, 2), arg32(a, 3), follow, rp))
    return err;
  struct ::stat st{};
  if (::fstatat(rp.dir, rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
  store_filestat(env.mem, out, st);
  return abi::kSuccess;
}

uint16_t path_filestat_set_times(Env& env, const uint64_t* a) {
  struct ::timespec times[2];
  if (abi::Errno err = make_times(arg64(a, 4), arg64(a, 5), arg32(a, 6), times)) return err;
  ResolvedPath rp;
  const bool follow = arg32(a, 1) & abi::kLookupSymlinkFollow;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathFilestatSetTimes, arg32(a, 2), arg32(a, 3), follow, rp))
    return err;
  return ::utimensat(rp.dir, rp.name.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0 ? abi::kSuccess : last_errno();
}

uint16_t path_link(Env& env, const uint64_t* a) {
  ResolvedPath from, to;
  const bool follow = arg32(a, 1) & abi::kLookupSymlinkFollow;
  if (abi::Errno err =
          resolve(env, arg32(a, 0), abi::kRightPathLinkSource, arg32(a, 2), arg32(a, 3), follow, from))
    return err;
  if (abi::Errno err =
          resolve(env, arg32(a, 4), abi::kRightPathLinkTarget, arg32(a, 5), arg32(a, 6), false, to))
    return err;
  if (from.name == ".") return abi::kPerm;
  if (to.name == ".") return abi::kExist;
  if (to.must_be_dir) return trailing_slash_error(to);
  return ::linkat(from.dir, from.name.c_str(), to.dir, to.name.c_str(), 0) == 0 ? abi::kSuccess
                                                                                : last_errno();
}

}  // namespace

void register_path(std::vector<FunctionDef>& out) {
  out.push_back({"path_open", "iiiiiIIii", true, path_open});
  out.push_back({"path_create_directory", "iii", true, path_create_directory});
  out.push_back({"path_remove_directory", "iii", true, path_remove_directory});
  out.push_back({"path_unlink_file", "iii", true, path_unlink_file});
  out.push_back({"path_rename", "iiiiii", true, path_rename});
  out.push_back({"path_symlink", "iiiii", true, path_symlink});
  out.push_back({"path_readlink", "iiiiii", true, path_readlink});
  out.push_back({"path_filestat_get", "iiiii", true, path_filestat_get});
  out.push_back({"path_filestat_set_times", "iiiiIIi", true, path_filestat_set_times});
  out.push_back({"path_link", "iiiiiii", true, path_link});
}

}  // namespace airwasm::wasi::internal
