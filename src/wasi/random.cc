// wasi: random_get, filled from the kernel CSPRNG by the shared OS layer (os.hh: getrandom(2), in as many
// calls as a large request needs).
#include "wasi/state.hh"

namespace airwasm::wasi::internal {
namespace {

uint16_t random_get(Env& env, const uint64_t* a) {
  const uint32_t len = arg32(a, 1);
  uint8_t* p = env.mem.range(arg32(a, 0), len);
  if (!p) return abi::kFault;
  const int e = fill_random(p, len);
  return e ? from_host_errno(e) : abi::kSuccess;
}

}  // namespace

void register_random(std::vector<FunctionDef>& out) {
  out.push_back({"random_get", "ii", true, random_get});
}

}  // namespace airwasm::wasi::internal
