// wasi: sandboxed path resolution. A guest path is resolved against a directory fd one component at a
// time with openat(O_NOFOLLOW), never by string prefix checks and never by handing a multi-component path
// to the kernel. Symbolic links are read with readlinkat and spliced into the walk, so links created by
// the guest, relative chains and races (a component swapped for a link mid-walk makes O_NOFOLLOW fail)
// cannot lead outside the starting directory. Absolute paths, absolute link targets and any ".." above the
// start give ENOTCAPABLE. See docs/RATIONALE.md, "Why walk paths component by component?".
#pragma once

#include <string>
#include <string_view>

#include "wasi/abi.hh"

namespace airwasm::wasi::internal {

// A file descriptor owned by this value (closed on destruction); -1 for none.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  ~OwnedFd() { reset(); }
  OwnedFd(OwnedFd&& o) noexcept : fd_(o.release()) {}
  OwnedFd& operator=(OwnedFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset();

 private:
  int fd_ = -1;
};

// The outcome of a resolution: the directory that holds the last component (`dir`, either the starting
// fd or `owned`) and that component's name. `name` is "." when the path names a directory by itself
// ("", ".", "a/.."): operations then act on `dir`.
struct ResolvedPath {
  OwnedFd owned;
  int dir = -1;
  std::string name;
  bool must_be_dir = false;  // the path ended in '/'
};

// Resolves `path` beneath `base_fd`. With `follow_final`, a symbolic link in the last position is
// followed too (still beneath base_fd). Intermediate links are always followed, within the sandbox.
abi::Errno resolve_path(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out);

}  // namespace airwasm::wasi::internal
