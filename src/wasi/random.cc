// wasi: random_get, filled from the host's getrandom(2) (the kernel CSPRNG), in chunks so that a large
// request is not cut short by the syscall's own limits.
#include <sys/random.h>

#include "wasi/state.hh"

namespace airwasm::wasi::internal {
namespace {

uint16_t random_get(Env& env, const uint64_t* a) {
  const uint32_t len = arg32(a, 1);
  uint8_t* p = env.mem.range(arg32(a, 0), len);
  if (!p) return abi::kFault;
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::getrandom(p + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_errno();
    }
    done += size_t(n);
  }
  return abi::kSuccess;
}

}  // namespace

void register_random(std::vector<FunctionDef>& out) {
  out.push_back({"random_get", "ii", true, random_get});
}

}  // namespace airwasm::wasi::internal
