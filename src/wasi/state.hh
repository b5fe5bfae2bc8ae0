// wasi: the per-Store state behind a WasiContext (file-descriptor table, args, environment) and the
// calling convention shared by the per-area files. Each area file (args_environ.cc, clocks.cc, fd_io.cc,
// ...) contributes rows to the function table through a register_* function; linker.cc binds them.
// Invariant: every host fd in the table is owned by exactly one entry and closed when it goes away.
#pragma once

#include <sys/stat.h>
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "airwasm/trap.hh"
#include "airwasm/wasi.hh"
#include "wasi/abi.hh"
#include "wasi/guest_memory.hh"
#include "wasi/os.hh"

namespace airwasm::wasi::internal {

struct CachedDirent {
  std::string name;
  uint64_t ino = 0;
  abi::Filetype type = abi::kUnknown;
};

struct FdEntry {
  int host_fd = -1;
  abi::Filetype filetype = abi::kUnknown;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  uint16_t fdflags = 0;  // as reported by fd_fdstat_get
  bool is_preopen = false;
  std::string preopen_name;             // the guest-visible name of a pre-opened directory
  std::vector<CachedDirent> dir_cache;  // fd_readdir: the listing read at cookie 0 (cookie = index)
};

struct WasiState {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::map<uint32_t, FdEntry> fds;  // ordered: the lowest free number is cheap to find
  size_t max_open_fds = 256;        // WasiConfig::max_open_fds

  ~WasiState();
  FdEntry* find(uint32_t fd);
  uint32_t insert(FdEntry entry);  // at the lowest free number
  void close_all();
};

// One host call: the state, the caller and its memory. `trap` is set by proc_exit.
struct Env {
  WasiState& state;
  Caller& caller;
  GuestMemory mem;
  std::optional<Trap> trap;
};

// A preview1 function: parameters in raw slots (i32 zero-extended, i64 whole), returns the errno.
using Handler = uint16_t (*)(Env& env, const uint64_t* args);

struct FunctionDef {
  const char* name;
  const char* params;  // one letter per parameter: 'i' = i32, 'I' = i64
  bool returns_errno;  // false only for proc_exit
  Handler handler;
};

void register_args_environ(std::vector<FunctionDef>& out);
void register_clocks(std::vector<FunctionDef>& out);
void register_random(std::vector<FunctionDef>& out);
void register_fd_io(std::vector<FunctionDef>& out);
void register_fd_meta(std::vector<FunctionDef>& out);
void register_path(std::vector<FunctionDef>& out);
void register_poll(std::vector<FunctionDef>& out);
void register_proc(std::vector<FunctionDef>& out);

inline abi::Errno last_errno() {
  return from_host_errno(errno);
}
// The preview1 file type of a host st_mode.
abi::Filetype filetype_of_mode(unsigned mode);

// Writes a filestat record for a host stat; false if `ptr` is out of bounds (fd_meta.cc).
bool store_filestat(const GuestMemory& mem, uint32_t ptr, const struct ::stat& st);
// Builds utimensat's times from preview1's (atim, mtim, fst_flags); EINVAL for contradictory flags.
abi::Errno make_times(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct ::timespec out[2]);

// Argument helpers.
inline uint32_t arg32(const uint64_t* a, int i) {
  return uint32_t(a[i]);
}
inline uint64_t arg64(const uint64_t* a, int i) {
  return a[i];
}

// Looks up `fd` and checks that it has all of `rights`: EBADF / ENOTCAPABLE otherwise.
abi::Errno get_fd(Env& env, uint32_t fd, uint64_t rights, FdEntry*& out);

}  // namespace airwasm::wasi::internal
