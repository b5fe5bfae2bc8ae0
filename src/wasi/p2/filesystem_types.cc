// wasi/p2: wasi:filesystem/types. A descriptor is a host fd (shared with the streams made from it) plus
// what the guest may do with it. Every path goes through the sandboxed resolver of preview 1
// (wasi/sandbox_path.hh): the host call gets a directory fd and one plain name, always with O_NOFOLLOW /
// AT_SYMLINK_NOFOLLOW, so no guest path text is ever walked by the kernel; an escape is not-permitted.
// Guest lengths are clamped before anything is allocated.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "wasi/abi.hh"
#include "wasi/p2/filesystem.hh"

namespace airwasm::wasi::p2::internal {
namespace {

using wasi::internal::OwnedFd;
using wasi::internal::ResolvedPath;

constexpr uint64_t kMaxRead = 1 << 20;

struct DirEntryStreamObj : Object {
  static constexpr Kind kKind = Kind::kDirEntryStream;
  DirEntryStreamObj() : Object(kKind) {}
  std::vector<std::pair<const char*, std::string>> entries;  // (descriptor-type, name)
  size_t pos = 0;
};

Val fail(const char* code) {
  return err(Val::enumeration(code));
}
Val fail_errno() {
  return fail(fs_code_from_errno(errno));
}

const char* type_name(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "regular-file";
    case S_IFDIR:
      return "directory";
    case S_IFCHR:
      return "character-device";
    case S_IFBLK:
      return "block-device";
    case S_IFIFO:
      return "fifo";
    case S_IFLNK:
      return "symbolic-link";
    case S_IFSOCK:
      return "socket";
    default:
      return "unknown";
  }
}

Val datetime(const timespec& ts) {
  return Val::record(
      {{"seconds", Val::u64(uint64_t(ts.tv_sec))}, {"nanoseconds", Val::u32(uint32_t(ts.tv_nsec))}});
}

Val stat_val(const struct ::stat& st) {
  return Val::record({
      {"type", Val::enumeration(type_name(st.st_mode))},
      {"link-count", Val::u64(uint64_t(st.st_nlink))},
      {"size", Val::u64(uint64_t(st.st_size))},
      {"data-access-timestamp", Val::some(datetime(st.st_atim))},
      {"data-modification-timestamp", Val::some(datetime(st.st_mtim))},
      {"status-change-timestamp", Val::some(datetime(st.st_ctim))},
  });
}

bool has_flag(const Val& flags, std::string_view name) {
  if (flags.kind() != component::ValKind::kFlags) return false;
  for (const std::string& n : flags.names())
    if (n == name) return true;
  return false;
}

// new-timestamp -> a utimensat timespec.
timespec new_timestamp(const Val& v) {
  timespec ts{0, UTIME_OMIT};
  if (v.kind() != component::ValKind::kVariant) return ts;
  if (v.case_name() == "now") ts.tv_nsec = UTIME_NOW;
  if (v.case_name() == "timestamp" && v.payload() && v.payload()->items().size() == 2) {
    ts.tv_sec = time_t(v.payload()->items()[0].as_u64());
    ts.tv_nsec = long(std::min<uint32_t>(v.payload()->items()[1].as_u32(), 999'999'999));
  }
  return ts;
}

// Resolves parameter `path_index` beneath the directory `d`. Returns an error-code name or null.
const char* resolve(Call& c, DescriptorObj& d, size_t path_index, bool follow, ResolvedPath& out) {
  if (!d.is_dir) return "not-directory";
  if (path_index >= c.p.size() || c.p[path_index].kind() != component::ValKind::kString) return "invalid";
  const std::string& path = c.p[path_index].as_string();
  if (path.find('\0') != std::string::npos) return "invalid";
  abi::Errno e = wasi::internal::resolve_path(d.fd->get(), path, follow, out);
  return e == abi::kSuccess ? nullptr : fs_code_from_p1(e);
}

#define SELF(name)                      \
  auto* name = c.arg<DescriptorObj>(0); \
  if (!name) return std::unexpected(bad_handle("descriptor"))

TrapResult<void> read_via_stream(Call& c) {
  SELF(d);
  if (d->is_dir) return reply(c, fail("is-directory"));
  if (!d->readable) return reply(c, fail("bad-descriptor"));
  auto s = std::make_unique<InputStreamObj>(InputStreamObj::What::kFile);
  s->fd = d->fd;
  s->offset = c.p.size() > 1 ? c.p[1].as_u64() : 0;
  c.ret(ok(c.own(std::move(s))));
  return {};
}

TrapResult<void> write_stream(Call& c, bool append) {
  SELF(d);
  if (d->is_dir) return reply(c, fail("is-directory"));
  if (!d->writable) return reply(c, fail("bad-descriptor"));
  auto s = std::make_unique<OutputStreamObj>(append ? OutputStreamObj::What::kFileAppend
                                                    : OutputStreamObj::What::kFile);
  s->fd = d->fd;
  s->offset = !append && c.p.size() > 1 ? c.p[1].as_u64() : 0;
  c.ret(ok(c.own(std::move(s))));
  return {};
}
TrapResult<void> write_via_stream(Call& c) {
  return write_stream(c, false);
}
TrapResult<void> append_via_stream(Call& c) {
  return write_stream(c, true);
}

TrapResult<void> advise(Call& c) {
  SELF(d);
  c.ret(ok());  // advice only; ignoring it is always correct
  return {};
}

TrapResult<void> sync_impl(Call& c, bool data_only) {
  SELF(d);
  int r = data_only ? ::fdatasync(d->fd->get()) : ::fsync(d->fd->get());
  // Directories and read-only files may refuse to sync; that is not the guest's error.
  c.ret(r == 0 || errno == EINVAL || errno == EBADF ? ok() : fail_errno());
  return {};
}
TrapResult<void> sync_data(Call& c) {
  return sync_impl(c, true);
}
TrapResult<void> sync(Call& c) {
  return sync_impl(c, false);
}

TrapResult<void> get_flags(Call& c) {
  SELF(d);
  std::vector<std::string> f;
  if (d->readable) f.push_back("read");
  if (d->writable) f.push_back("write");
  if (d->file_sync) f.push_back("file-integrity-sync");
  if (d->data_sync) f.push_back("data-integrity-sync");
  if (d->read_sync) f.push_back("requested-write-sync");
  if (d->mutate_dir) f.push_back("mutate-directory");
  c.ret(ok(Val::flags(std::move(f))));
  return {};
}

TrapResult<void> get_type(Call& c) {
  SELF(d);
  struct ::stat st{};
  if (::fstat(d->fd->get(), &st) != 0) return reply(c, fail_errno());
  c.ret(ok(Val::enumeration(type_name(st.st_mode))));
  return {};
}

TrapResult<void> set_size(Call& c) {
  SELF(d);
  if (d->is_dir) return reply(c, fail("is-directory"));
  if (!d->writable) return reply(c, fail("bad-descriptor"));
  const uint64_t size = c.p.size() > 1 ? c.p[1].as_u64() : 0;
  if (size > uint64_t(INT64_MAX)) return reply(c, fail("file-too-large"));
  c.ret(::ftruncate(d->fd->get(), off_t(size)) == 0 ? ok() : fail_errno());
  return {};
}

TrapResult<void> set_times(Call& c) {
  SELF(d);
  if (c.p.size() < 3) return reply(c, fail("invalid"));
  timespec ts[2] = {new_timestamp(c.p[1]), new_timestamp(c.p[2])};
  c.ret(::futimens(d->fd->get(), ts) == 0 ? ok() : fail_errno());
  return {};
}

TrapResult<void> read(Call& c) {
  SELF(d);
  if (d->is_dir) return reply(c, fail("is-directory"));
  if (!d->readable) return reply(c, fail("bad-descriptor"));
  const size_t n = size_t(std::min(c.p.size() > 1 ? c.p[1].as_u64() : 0, kMaxRead));
  const uint64_t offset = c.p.size() > 2 ? c.p[2].as_u64() : 0;
  if (offset > uint64_t(INT64_MAX)) return reply(c, fail("invalid"));
  std::string buf(n, '\0');
  ssize_t got;
  do {
    got = ::pread(d->fd->get(), buf.data(), n, off_t(offset));
  } while (got < 0 && errno == EINTR);
  if (got < 0) return reply(c, fail_errno());
  c.ret(ok(Val::tuple({bytes_val(reinterpret_cast<const uint8_t*>(buf.data()), size_t(got)),
                       Val::boolean(n > 0 && size_t(got) < n)})));
  return {};
}

TrapResult<void> write(Call& c) {
  SELF(d);
  if (d->is_dir) return reply(c, fail("is-directory"));
  if (!d->writable) return reply(c, fail("bad-descriptor"));
  std::string data;
  if (c.p.size() < 3 || !bytes_arg(c.p[1], data)) return reply(c, fail("invalid"));
  const uint64_t offset = c.p[2].as_u64();
  if (offset > uint64_t(INT64_MAX)) return reply(c, fail("invalid"));
  ssize_t w;
  do {
    w = ::pwrite(d->fd->get(), data.data(), data.size(), off_t(offset));
  } while (w < 0 && errno == EINTR);
  c.ret(w < 0 ? fail_errno() : ok(Val::u64(uint64_t(w))));
  return {};
}

TrapResult<void> read_directory(Call& c) {
  SELF(d);
  if (!d->is_dir) return reply(c, fail("not-directory"));
  // A fresh open of "." so that the listing has its own position (the descriptor's fd is shared).
  int fd = ::openat(d->fd->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return reply(c, fail_errno());
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    ::close(fd);
    return reply(c, fail_errno());
  }
  auto s = std::make_unique<DirEntryStreamObj>();
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct ::stat st{};
    const char* type = "unknown";
    if (::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) type = type_name(st.st_mode);
    s->entries.emplace_back(type, std::move(name));
  }
  ::closedir(dir);
  c.ret(ok(c.own(std::move(s))));
  return {};
}

TrapResult<void> read_directory_entry(Call& c) {
  auto* s = c.arg<DirEntryStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("directory-entry-stream"));
  if (s->pos >= s->entries.size()) return reply(c, ok(Val::none()));
  const auto& [type, name] = s->entries[s->pos++];
  c.ret(ok(Val::some(Val::record({{"type", Val::enumeration(type)}, {"name", Val::string(name)}}))));
  return {};
}

TrapResult<void> create_directory_at(Call& c) {
  SELF(d);
  ResolvedPath rp;
  if (const char* e = resolve(c, *d, 1, false, rp)) return reply(c, fail(e));
  if (rp.name == ".") return reply(c, fail("exist"));
  c.ret(::mkdirat(rp.dir, rp.name.c_str(), 0777) == 0 ? ok() : fail_errno());
  return {};
}

TrapResult<void> stat(Call& c) {
  SELF(d);
  struct ::stat st{};
  if (::fstat(d->fd->get(), &st) != 0) return reply(c, fail_errno());
  c.ret(ok(stat_val(st)));
  return {};
}

TrapResult<void> stat_at(Call& c) {
  SELF(d);
  ResolvedPath rp;
  const bool follow = c.p.size() > 1 && has_flag(c.p[1], "symlink-follow");
  if (const char* e = resolve(c, *d, 2, follow, rp)) return reply(c, fail(e));
  struct ::stat st{};
  if (::fstatat(rp.dir, rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return reply(c, fail_errno());
  if (rp.must_be_dir && !S_ISDIR(st.st_mode)) return reply(c, fail("not-directory"));
  c.ret(ok(stat_val(st)));
  return {};
}

TrapResult<void> set_times_at(Call& c) {
  SELF(d);
  ResolvedPath rp;
  const bool follow = c.p.size() > 1 && has_flag(c.p[1], "symlink-follow");
  if (const char* e = resolve(c, *d, 2, follow, rp)) return reply(c, fail(e));
  if (c.p.size() < 5) return reply(c, fail("invalid"));
  timespec ts[2] = {new_timestamp(c.p[3]), new_timestamp(c.p[4])};
  c.ret(::utimensat(rp.dir, rp.name.c_str(), ts, AT_SYMLINK_NOFOLLOW) == 0 ? ok() : fail_errno());
  return {};
}

TrapResult<void> link_at(Call& c) {
  SELF(d);
  auto* to = c.arg<DescriptorObj>(3);
  if (!to) return std::unexpected(bad_handle("descriptor"));
  ResolvedPath from_rp, to_rp;
  const bool follow = c.p.size() > 1 && has_flag(c.p[1], "symlink-follow");
  if (const char* e = resolve(c, *d, 2, follow, from_rp)) return reply(c, fail(e));
  if (const char* e = resolve(c, *to, 4, false, to_rp)) return reply(c, fail(e));
  // A trailing slash names a directory, which the resolver has taken off; answer as link(2) would have:
  // not-directory for a source that is not one, exist / no-entry for a destination (a new link is never
  // a directory; hard links to directories are refused by the kernel anyway).
  if (from_rp.must_be_dir) {
    struct ::stat st{};
    if (::fstatat(from_rp.dir, from_rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return reply(c, fail_errno());
    if (!S_ISDIR(st.st_mode)) return reply(c, fail("not-directory"));
  }
  if (to_rp.must_be_dir) {
    struct ::stat st{};
    return reply(
        c,
        fail(::fstatat(to_rp.dir, to_rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? "exist" : "no-entry"));
  }
  c.ret(::linkat(from_rp.dir, from_rp.name.c_str(), to_rp.dir, to_rp.name.c_str(), 0) == 0 ? ok()
                                                                                           : fail_errno());
  return {};
}

TrapResult<void> open_at(Call& c) {
  SELF(d);
  if (c.p.size() < 5) return reply(c, fail("invalid"));
  const Val& oflags = c.p[3];
  const Val& dflags = c.p[4];
  const bool create = has_flag(oflags, "create"), excl = has_flag(oflags, "exclusive"),
             trunc = has_flag(oflags, "truncate"), want_dir = has_flag(oflags, "directory");
  const bool rd = has_flag(dflags, "read"), wr = has_flag(dflags, "write");
  // A descriptor opened without mutate-directory cannot be used to change its directory.
  if (!d->mutate_dir && (create || trunc || wr)) return reply(c, fail("not-permitted"));
  // O_CREAT|O_EXCL must not follow a final link (POSIX): the open below then fails with EEXIST.
  const bool follow = has_flag(c.p[1], "symlink-follow") && !excl;
  ResolvedPath rp;
  if (const char* e = resolve(c, *d, 2, follow, rp)) return reply(c, fail(e));
  int flags = O_CLOEXEC | O_NOFOLLOW;
  if (create) flags |= O_CREAT;
  if (excl) flags |= O_EXCL;
  if (trunc) flags |= O_TRUNC;
  const bool fsync_flag = has_flag(dflags, "file-integrity-sync"),
             dsync_flag = has_flag(dflags, "data-integrity-sync"),
             rsync_flag = has_flag(dflags, "requested-write-sync");
  if (fsync_flag) flags |= O_SYNC;
  if (dsync_flag) flags |= O_DSYNC;
  if (rsync_flag) flags |= O_RSYNC;
  const bool dir = want_dir || rp.must_be_dir;
  if (dir) {
    if (wr) return reply(c, fail("is-directory"));
    flags |= O_DIRECTORY | O_RDONLY;
  } else if (rd && wr) {
    flags |= O_RDWR;
  } else if (wr) {
    flags |= O_WRONLY;
  } else {
    flags |= O_RDONLY;
  }
  int fd;
  do {
    fd = ::openat(rp.dir, rp.name.c_str(), flags, 0666);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return reply(c, fail_errno());
  struct ::stat st{};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return reply(c, fail(fs_code_from_errno(e)));
  }
  auto obj = std::make_unique<DescriptorObj>();
  obj->fd = std::make_shared<OwnedFd>(fd);
  obj->is_dir = S_ISDIR(st.st_mode);
  obj->readable = rd || obj->is_dir;
  obj->writable = wr;
  obj->file_sync = fsync_flag;
  obj->data_sync = dsync_flag;
  obj->read_sync = rsync_flag;
  // A directory inherits its parent's right to change entries (the flags a guest passes describe the
  // file access it wants; the preview1 adapter never asks for mutate-directory).
  obj->mutate_dir = obj->is_dir && d->mutate_dir;
  c.ret(ok(c.own(std::move(obj))));
  return {};
}

TrapResult<void> readlink_at(Call& c) {
  SELF(d);
  ResolvedPath rp;
  if (const char* e = resolve(c, *d, 1, false, rp)) return reply(c, fail(e));
  std::string buf(4096, '\0');
  ssize_t n = ::readlinkat(rp.dir, rp.name.c_str(), buf.data(), buf.size());
  if (n < 0) return reply(c, fail_errno());
  buf.resize(size_t(n));
  c.ret(ok(Val::string(std::move(buf))));
  return {};
}

TrapResult<void> remove_directory_at(Call& c) {
  SELF(d);
  ResolvedPath rp;
  if (const char* e = resolve(c, *d, 1, false, rp)) return reply(c, fail(e));
  c.ret(::unlinkat(rp.dir, rp.name.c_str(), AT_REMOVEDIR) == 0 ? ok() : fail_errno());
  return {};
}

TrapResult<void> rename_at(Call& c) {
  SELF(d);
  auto* to = c.arg<DescriptorObj>(2);
  if (!to) return std::unexpected(bad_handle("descriptor"));
  ResolvedPath from_rp, to_rp;
  if (const char* e = resolve(c, *d, 1, false, from_rp)) return reply(c, fail(e));
  if (const char* e = resolve(c, *to, 3, false, to_rp)) return reply(c, fail(e));
  c.ret(::renameat(from_rp.dir, from_rp.name.c_str(), to_rp.dir, to_rp.name.c_str()) == 0 ? ok()
                                                                                          : fail_errno());
  return {};
}

TrapResult<void> symlink_at(Call& c) {
  SELF(d);
  if (c.p.size() < 3 || c.p[1].kind() != component::ValKind::kString) return reply(c, fail("invalid"));
  const std::string& target = c.p[1].as_string();
  // An absolute target could never be followed inside the sandbox; refuse it up front (as wasmtime does).
  if (!target.empty() && target[0] == '/') return reply(c, fail("not-permitted"));
  if (target.find('\0') != std::string::npos) return reply(c, fail("invalid"));
  ResolvedPath rp;
  if (const char* e = resolve(c, *d, 2, false, rp)) return reply(c, fail(e));
  if (rp.must_be_dir) {
    // "new/" can only name a directory, which a new link is not (the kernel would see no slash: the
    // resolver has taken it off). As symlink(2): exist if something is there, no-entry otherwise.
    struct ::stat st{};
    return reply(
        c, fail(::fstatat(rp.dir, rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? "exist" : "no-entry"));
  }
  c.ret(::symlinkat(target.c_str(), rp.dir, rp.name.c_str()) == 0 ? ok() : fail_errno());
  return {};
}

TrapResult<void> unlink_file_at(Call& c) {
  SELF(d);
  ResolvedPath rp;
  if (const char* e = resolve(c, *d, 1, false, rp)) return reply(c, fail(e));
  if (rp.name == "." || rp.must_be_dir) return reply(c, fail("is-directory"));
  c.ret(::unlinkat(rp.dir, rp.name.c_str(), 0) == 0 ? ok() : fail_errno());
  return {};
}

TrapResult<void> is_same_object(Call& c) {
  SELF(d);
  auto* other = c.arg<DescriptorObj>(1);
  if (!other) return std::unexpected(bad_handle("descriptor"));
  struct ::stat a{}, b{};
  const bool same = ::fstat(d->fd->get(), &a) == 0 && ::fstat(other->fd->get(), &b) == 0 &&
                    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
  c.ret(Val::boolean(same));
  return {};
}

Val hash_val(const struct ::stat& st) {
  // Device and inode identify the object; the times make the value change when its contents do.
  const uint64_t lower =
      uint64_t(st.st_ino) ^ (uint64_t(st.st_mtim.tv_nsec) << 32) ^ uint64_t(st.st_mtim.tv_sec);
  const uint64_t upper = uint64_t(st.st_dev) ^ (uint64_t(st.st_size) << 17);
  return Val::record({{"lower", Val::u64(lower)}, {"upper", Val::u64(upper)}});
}

TrapResult<void> metadata_hash(Call& c) {
  SELF(d);
  struct ::stat st{};
  if (::fstat(d->fd->get(), &st) != 0) return reply(c, fail_errno());
  c.ret(ok(hash_val(st)));
  return {};
}

TrapResult<void> metadata_hash_at(Call& c) {
  SELF(d);
  ResolvedPath rp;
  const bool follow = c.p.size() > 1 && has_flag(c.p[1], "symlink-follow");
  if (const char* e = resolve(c, *d, 2, follow, rp)) return reply(c, fail(e));
  struct ::stat st{};
  if (::fstatat(rp.dir, rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return reply(c, fail_errno());
  c.ret(ok(hash_val(st)));
  return {};
}

TrapResult<void> filesystem_error_code(Call& c) {
  auto* e = c.arg<ErrorObj>(0);
  if (!e) return std::unexpected(bad_handle("error"));
  c.ret(e->fs_code ? Val::some(Val::enumeration(e->fs_code)) : Val::none());
  return {};
}

#undef SELF

constexpr FuncDef kFuncs[] = {
    {"[method]descriptor.read-via-stream", read_via_stream},
    {"[method]descriptor.write-via-stream", write_via_stream},
    {"[method]descriptor.append-via-stream", append_via_stream},
    {"[method]descriptor.advise", advise},
    {"[method]descriptor.sync-data", sync_data},
    {"[method]descriptor.get-flags", get_flags},
    {"[method]descriptor.get-type", get_type},
    {"[method]descriptor.set-size", set_size},
    {"[method]descriptor.set-times", set_times},
    {"[method]descriptor.read", read},
    {"[method]descriptor.write", write},
    {"[method]descriptor.read-directory", read_directory},
    {"[method]descriptor.sync", sync},
    {"[method]descriptor.create-directory-at", create_directory_at},
    {"[method]descriptor.stat", stat},
    {"[method]descriptor.stat-at", stat_at},
    {"[method]descriptor.set-times-at", set_times_at},
    {"[method]descriptor.link-at", link_at},
    {"[method]descriptor.open-at", open_at},
    {"[method]descriptor.readlink-at", readlink_at},
    {"[method]descriptor.remove-directory-at", remove_directory_at},
    {"[method]descriptor.rename-at", rename_at},
    {"[method]descriptor.symlink-at", symlink_at},
    {"[method]descriptor.unlink-file-at", unlink_file_at},
    {"[method]descriptor.is-same-object", is_same_object},
    {"[method]descriptor.metadata-hash", metadata_hash},
    {"[method]descriptor.metadata-hash-at", metadata_hash_at},
    {"[method]directory-entry-stream.read-directory-entry", read_directory_entry},
    {"filesystem-error-code", filesystem_error_code},
};

}  // namespace

Result<void> define_filesystem_types(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs,
                {{"descriptor", Kind::kDescriptor},
                 {"directory-entry-stream", Kind::kDirEntryStream},
                 {"input-stream", Kind::kInputStream},
                 {"output-stream", Kind::kOutputStream},
                 {"error", Kind::kError}});
}

}  // namespace airwasm::wasi::p2::internal
