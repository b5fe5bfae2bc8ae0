// wasi: args_get / args_sizes_get / environ_get / environ_sizes_get. Both lists are laid out the same way:
// an array of u32 pointers into a buffer of NUL-terminated strings. Sizes are checked before anything is
// written, so a too-small or out-of-bounds buffer leaves guest memory untouched (EFAULT).
#include <cstring>

#include "wasi/state.hh"

namespace airwasm::wasi::internal {
namespace {

uint16_t sizes_get(Env& env, const std::vector<std::string>& list, uint32_t count_ptr, uint32_t size_ptr) {
  uint64_t bytes = 0;
  for (const std::string& s : list) bytes += s.size() + 1;
  if (bytes > UINT32_MAX) return abi::kOverflow;
  if (!env.mem.in_bounds(count_ptr, 4) || !env.mem.in_bounds(size_ptr, 4)) return abi::kFault;
  env.mem.store<uint32_t>(count_ptr, uint32_t(list.size()));
  env.mem.store<uint32_t>(size_ptr, uint32_t(bytes));
  return abi::kSuccess;
}

uint16_t list_get(Env& env, const std::vector<std::string>& list, uint32_t ptrs, uint32_t buf) {
  uint64_t bytes = 0;
  for (const std::string& s : list) bytes += s.size() + 1;
  if (!env.mem.in_bounds(ptrs, uint64_t(list.size()) * 4) || !env.mem.in_bounds(buf, bytes))
    return abi::kFault;
  uint32_t at = buf;
  for (size_t i = 0; i < list.size(); ++i) {
    env.mem.store<uint32_t>(ptrs + uint32_t(i * 4), at);
    uint8_t* dst = env.mem.range(at, list[i].size() + 1);
    std::memcpy(dst, list[i].data(), list[i].size());
    dst[list[i].size()] = 0;
    at += uint32_t(list[i].size() + 1);
  }
  return abi::kSuccess;
}

uint16_t args_get(Env& env, const uint64_t* a) {
  return list_get(env, env.state.args, arg32(a, 0), arg32(a, 1));
}
uint16_t args_sizes_get(Env& env, const uint64_t* a) {
  return sizes_get(env, env.state.args, arg32(a, 0), arg32(a, 1));
}
uint16_t environ_get(Env& env, const uint64_t* a) {
  return list_get(env, env.state.env, arg32(a, 0), arg32(a, 1));
}
uint16_t environ_sizes_get(Env& env, const uint64_t* a) {
  return sizes_get(env, env.state.env, arg32(a, 0), arg32(a, 1));
}

}  // namespace

void register_args_environ(std::vector<FunctionDef>& out) {
  out.push_back({"args_get", "ii", true, args_get});
  out.push_back({"args_sizes_get", "ii", true, args_sizes_get});
  out.push_back({"environ_get", "ii", true, environ_get});
  out.push_back({"environ_sizes_get", "ii", true, environ_sizes_get});
}

}  // namespace airwasm::wasi::internal
