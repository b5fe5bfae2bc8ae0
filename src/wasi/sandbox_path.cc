// wasi: component-by-component path walking beneath a pre-opened directory (see sandbox_path.hh).
// The walk keeps a stack of opened directories; ".." pops it and may never pop past the start.
// Intermediate directories are opened with O_PATH | O_DIRECTORY | O_NOFOLLOW, so the kernel never
// follows a link for us; a link is recognised by that open failing (ELOOP/ENOTDIR) and readlinkat succeeding.
#include "wasi/sandbox_path.hh"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <vector>

#include "wasi/state.hh"

namespace airwasm::wasi::internal {

void OwnedFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

namespace {

constexpr int kMaxSymlinks = 40;  // as Linux's MAXSYMLINKS: then ELOOP

// Splits on '/', dropping empty and "." components.
void push_components(std::string_view path, std::deque<std::string>& todo) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view c = path.substr(i, j - i);
    if (!c.empty() && c != ".") parts.emplace_back(c);
    i = j + 1;
  }
  todo.insert(todo.begin(), parts.begin(), parts.end());
}

// Reads the link `name` in `dir`; false if it is not a link (or cannot be read).
bool read_link(int dir, const std::string& name, std::string& target) {
  char buf[4096];
  ssize_t n = ::readlinkat(dir, name.c_str(), buf, sizeof buf);
  if (n < 0 || size_t(n) >= sizeof buf) return false;
  target.assign(buf, size_t(n));
  return true;
}

}  // namespace

abi::Errno resolve_path(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out) {
  if (path.empty()) return abi::kNoEnt;
  if (path.find('\0') != std::string_view::npos) return abi::kInval;
  if (path.front() == '/') return abi::kNotCapable;

  std::vector<OwnedFd> stack;  // directories entered below base_fd
  std::deque<std::string> todo;
  bool must_be_dir = path.back() == '/';
  if (must_be_dir) follow_final = true;
  push_components(path, todo);
  int links = 0;
  std::string final_name = ".";

  auto current = [&] { return stack.empty() ? base_fd : stack.back().get(); };
  auto splice_link = [&](const std::string& target) -> abi::Errno {
    if (++links > kMaxSymlinks) return abi::kLoop;
    if (target.empty()) return abi::kNoEnt;
    if (target.front() == '/') return abi::kNotCapable;
    if (target.back() == '/' && todo.empty()) must_be_dir = true;
    push_components(target, todo);
    return abi::kSuccess;
  };

  while (!todo.empty()) {
    std::string comp = std::move(todo.front());
    todo.pop_front();
    if (comp == "..") {
      if (stack.empty()) return abi::kNotCapable;
      stack.pop_back();
      final_name = ".";
      continue;
    }
    if (todo.empty()) {
      // The last component: follow it only when asked, and only within the sandbox.
      std::string target;
      if (follow_final && read_link(current(), comp, target)) {
        if (abi::Errno e = splice_link(target)) return e;
        final_name = ".";
        continue;
      }
      final_name = comp;
      break;
    }
    int fd = ::openat(current(), comp.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      stack.emplace_back(fd);
      continue;
    }
    const int err = errno;
    std::string target;
    if ((err == ELOOP || err == ENOTDIR) && read_link(current(), comp, target)) {
      if (abi::Errno e = splice_link(target)) return e;
      continue;
    }
    return from_host_errno(err);
  }

  if (must_be_dir && final_name != ".") {
    struct stat st{};
    if (::fstatat(current(), final_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
      return abi::kNotDir;
    }
  }
  out.dir = current();
  if (!stack.empty()) out.owned = std::move(stack.back());
  out.name = std::move(final_name);
  out.must_be_dir = must_be_dir;
  return abi::kSuccess;
}

}  // namespace airwasm::wasi::internal
