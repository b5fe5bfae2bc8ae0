// wasi: what a guest can learn and change about an open descriptor: fd_fdstat_get/set_flags/set_rights,
// fd_filestat_get/set_size/set_times, fd_readdir, fd_prestat_get/prestat_dir_name.
// fd_readdir lists the directory once at cookie 0 and serves later cookies from that listing, so the
// cookies a guest holds stay meaningful while it walks the directory in several calls.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "wasi/state.hh"

namespace airwasm::wasi::internal {

bool store_filestat(const GuestMemory& mem, uint32_t ptr, const struct ::stat& st) {
  if (!mem.in_bounds(ptr, abi::filestat::kSize)) return false;
  auto ns = [](const timespec& t) { return uint64_t(t.tv_sec) * 1'000'000'000u + uint64_t(t.tv_nsec); };
  uint8_t* p = mem.range(ptr, abi::filestat::kSize);
  std::memset(p, 0, abi::filestat::kSize);
  mem.store<uint64_t>(ptr + abi::filestat::kDev, uint64_t(st.st_dev));
  mem.store<uint64_t>(ptr + abi::filestat::kIno, uint64_t(st.st_ino));
  mem.store<uint8_t>(ptr + abi::filestat::kFiletype, filetype_of_mode(st.st_mode));
  mem.store<uint64_t>(ptr + abi::filestat::kNlink, uint64_t(st.st_nlink));
  mem.store<uint64_t>(ptr + abi::filestat::kFileSize, uint64_t(st.st_size));
  mem.store<uint64_t>(ptr + abi::filestat::kAtim, ns(st.st_atim));
  mem.store<uint64_t>(ptr + abi::filestat::kMtim, ns(st.st_mtim));
  mem.store<uint64_t>(ptr + abi::filestat::kCtim, ns(st.st_ctim));
  return true;
}

abi::Errno make_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct ::timespec out[2]) {
  if ((fst & abi::kFstAtim) && (fst & abi::kFstAtimNow)) return abi::kInval;
  if ((fst & abi::kFstMtim) && (fst & abi::kFstMtimNow)) return abi::kInval;
  auto one = [](uint64_t ns, bool set, bool now, struct ::timespec& t) {
    if (now) {
      t = {0, UTIME_NOW};
    } else if (set) {
      t = {time_t(ns / 1'000'000'000u), long(ns % 1'000'000'000u)};
    } else {
      t = {0, UTIME_OMIT};
    }
  };
  one(atim, fst & abi::kFstAtim, fst & abi::kFstAtimNow, out[0]);
  one(mtim, fst & abi::kFstMtim, fst & abi::kFstMtimNow, out[1]);
  return abi::kSuccess;
}

namespace {

uint16_t fd_fdstat_get(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), 0, e)) return err;
  const uint32_t ptr = arg32(a, 1);
  uint8_t* p = env.mem.range(ptr, abi::fdstat::kSize);
  if (!p) return abi::kFault;
  std::memset(p, 0, abi::fdstat::kSize);
  uint16_t flags = e->fdflags;
  int host = ::fcntl(e->host_fd, F_GETFL);
  if (host >= 0) {
    flags = uint16_t(flags & ~(abi::kFdflagAppend | abi::kFdflagNonblock));
    if (host & O_APPEND) flags |= abi::kFdflagAppend;
    if (host & O_NONBLOCK) flags |= abi::kFdflagNonblock;
  }
  env.mem.store<uint8_t>(ptr + abi::fdstat::kFiletype, e->filetype);
  env.mem.store<uint16_t>(ptr + abi::fdstat::kFlags, flags);
  env.mem.store<uint64_t>(ptr + abi::fdstat::kRightsBase, e->rights_base);
  env.mem.store<uint64_t>(ptr + abi::fdstat::kRightsInheriting, e->rights_inheriting);
  return abi::kSuccess;
}

uint16_t fd_fdstat_set_flags(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdFdstatSetFlags, e)) return err;
  const uint32_t flags = arg32(a, 1);
  if (flags & ~uint32_t(abi::kFdflagAppend | abi::kFdflagNonblock | abi::kFdflagDsync | abi::kFdflagRsync |
                        abi::kFdflagSync)) {
    return abi::kInval;
  }
  if (flags & (abi::kFdflagDsync | abi::kFdflagRsync | abi::kFdflagSync)) return abi::kNotSup;
  int host = ::fcntl(e->host_fd, F_GETFL);
  if (host < 0) return last_errno();
  host &= ~(O_APPEND | O_NONBLOCK);
  if (flags & abi::kFdflagAppend) host |= O_APPEND;
  if (flags & abi::kFdflagNonblock) host |= O_NONBLOCK;
  if (::fcntl(e->host_fd, F_SETFL, host) != 0) return last_errno();
  e->fdflags = uint16_t(flags);
  return abi::kSuccess;
}

uint16_t fd_fdstat_set_rights(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), 0, e)) return err;
  const uint64_t base = arg64(a, 1), inheriting = arg64(a, 2);
  // Rights can only be dropped, never gained.
  if ((base & ~e->rights_base) || (inheriting & ~e->rights_inheriting)) return abi::kNotCapable;
  e->rights_base = base;
  e->rights_inheriting = inheriting;
  return abi::kSuccess;
}

uint16_t fd_filestat_get(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdFilestatGet, e)) return err;
  if (!env.mem.in_bounds(arg32(a, 1), abi::filestat::kSize)) return abi::kFault;
  struct ::stat st{};
  if (::fstat(e->host_fd, &st) != 0) return last_errno();
  store_filestat(env.mem, arg32(a, 1), st);
  return abi::kSuccess;
}

uint16_t fd_filestat_set_size(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdFilestatSetSize, e)) return err;
  const uint64_t size = arg64(a, 1);
  if (size > uint64_t(INT64_MAX)) return abi::kInval;
  return ::ftruncate(e->host_fd, off_t(size)) == 0 ? abi::kSuccess : last_errno();
}

uint16_t fd_filestat_set_times(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdFilestatSetTimes, e)) return err;
  struct ::timespec times[2];
  if (abi::Errno err = make_times(arg64(a, 1), arg64(a, 2), arg32(a, 3), times)) return err;
  return ::futimens(e->host_fd, times) == 0 ? abi::kSuccess : last_errno();
}

abi::Filetype filetype_of_dtype(unsigned char t) {
  switch (t) {
    case DT_REG:
      return abi::kRegularFile;
    case DT_DIR:
      return abi::kDirectory;
    case DT_LNK:
      return abi::kSymbolicLink;
    case DT_CHR:
      return abi::kCharacterDevice;
    case DT_BLK:
      return abi::kBlockDevice;
    case DT_SOCK:
      return abi::kSocketStream;
    default:
      return abi::kUnknown;
  }
}

abi::Errno list_directory(int dir_fd, std::vector<CachedDirent>& out) {
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_errno();
  DIR* d = ::fdopendir(fd);
  if (!d) {
    abi::Errno err = last_errno();
    ::close(fd);
    return err;
  }
  out.clear();
  while (struct ::dirent* ent = ::readdir(d)) {
    CachedDirent c;
    c.name = ent->d_name;
    c.ino = ent->d_ino;
    c.type = filetype_of_dtype(ent->d_type);
    if (ent->d_type == DT_UNKNOWN) {
      struct ::stat st{};
      if (::fstatat(dir_fd, ent->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        c.type = filetype_of_mode(st.st_mode);
    }
    out.push_back(std::move(c));
  }
  ::closedir(d);
  return abi::kSuccess;
}

uint16_t fd_readdir(Env& env, const uint64_t* a) {
  FdEntry* e;
  if (abi::Errno err = get_fd(env, arg32(a, 0), abi::kRightFdReaddir, e)) return err;
  if (e->filetype != abi::kDirectory) return abi::kNotDir;
  const uint32_t buf = arg32(a, 1), buf_len = arg32(a, 2), used_ptr = arg32(a, 4);
  const uint64_t cookie = arg64(a, 3);
  uint8_t* out = env.mem.range(buf, buf_len);
  if (!out || !env.mem.in_bounds(used_ptr, 4)) return abi::kFault;
  if (cookie == 0 || e->dir_cache.empty()) {
    if (abi::Errno err = list_directory(e->host_fd, e->dir_cache)) return err;
  }
  uint32_t used = 0;
  for (uint64_t i = cookie; i < e->dir_cache.size() && used < buf_len; ++i) {
    const CachedDirent& d = e->dir_cache[i];
    uint8_t header[abi::dirent::kSize] = {};
    const uint64_t next = i + 1, ino = d.ino;
    const uint32_t namlen = uint32_t(d.name.size());
    std::memcpy(header + abi::dirent::kNext, &next, 8);
    std::memcpy(header + abi::dirent::kIno, &ino, 8);
    std::memcpy(header + abi::dirent::kNamlen, &namlen, 4);
    header[abi::dirent::kType] = d.type;
    // A record that does not fit is cut short; the guest sees bufused == buf_len and asks again.
    uint32_t n = std::min<uint32_t>(abi::dirent::kSize, buf_len - used);
    std::memcpy(out + used, header, n);
    used += n;
    n = std::min<uint32_t>(namlen, buf_len - used);
    std::memcpy(out + used, d.name.data(), n);
    used += n;
  }
  env.mem.store<uint32_t>(used_ptr, used);
  return abi::kSuccess;
}

uint16_t fd_prestat_get(Env& env, const uint64_t* a) {
  FdEntry* e = env.state.find(arg32(a, 0));
  if (!e || !e->is_preopen) return abi::kBadf;
  const uint32_t ptr = arg32(a, 1);
  if (!env.mem.in_bounds(ptr, abi::prestat::kSize)) return abi::kFault;
  env.mem.store<uint32_t>(ptr, 0);  // tag (dir) and padding
  env.mem.store<uint8_t>(ptr + abi::prestat::kTag, abi::kPreopenTypeDir);
  env.mem.store<uint32_t>(ptr + abi::prestat::kNameLen, uint32_t(e->preopen_name.size()));
  return abi::kSuccess;
}

uint16_t fd_prestat_dir_name(Env& env, const uint64_t* a) {
  FdEntry* e = env.state.find(arg32(a, 0));
  if (!e || !e->is_preopen) return abi::kBadf;
  const uint32_t len = arg32(a, 2);
  if (len < e->preopen_name.size()) return abi::kNameTooLong;
  uint8_t* p = env.mem.range(arg32(a, 1), e->preopen_name.size());
  if (!p) return abi::kFault;
  std::memcpy(p, e->preopen_name.data(), e->preopen_name.size());
  return abi::kSuccess;
}

}  // namespace

void register_fd_meta(std::vector<FunctionDef>& out) {
  out.push_back({"fd_fdstat_get", "ii", true, fd_fdstat_get});
  out.push_back({"fd_fdstat_set_flags", "ii", true, fd_fdstat_set_flags});
  out.push_back({"fd_fdstat_set_rights", "iII", true, fd_fdstat_set_rights});
  out.push_back({"fd_filestat_get", "ii", true, fd_filestat_get});
  out.push_back({"fd_filestat_set_size", "iI", true, fd_filestat_set_size});
  out.push_back({"fd_filestat_set_times", "iIIi", true, fd_filestat_set_times});
  out.push_back({"fd_readdir", "iiiIi", true, fd_readdir});
  out.push_back({"fd_prestat_get", "ii", true, fd_prestat_get});
  out.push_back({"fd_prestat_dir_name", "iii", true, fd_prestat_dir_name});
}

}  // namespace airwasm::wasi::internal
