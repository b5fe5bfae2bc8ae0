// wasi: proc_exit (a Trap::exit that unwinds every WebAssembly frame, however deep), sched_yield, and the
// functions airwasm defines only so that every preview1 module links: proc_raise and the socket calls.
#include <sched.h>

#include "wasi/state.hh"

namespace airwasm::wasi::internal {
namespace {

uint16_t proc_exit(Env& env, const uint64_t* a) {
  env.trap = Trap::exit(int(arg32(a, 0)));
  return 0;
}
uint16_t proc_raise(Env&, const uint64_t*) {
  return abi::kNoSys;
}
uint16_t sched_yield(Env&, const uint64_t*) {
  ::sched_yield();
  return abi::kSuccess;
}
uint16_t not_supported(Env&, const uint64_t*) {
  return abi::kNotSup;
}

}  // namespace

void register_proc(std::vector<FunctionDef>& out) {
  out.push_back({"proc_exit", "i", false, proc_exit});
  out.push_back({"proc_raise", "i", true, proc_raise});
  out.push_back({"sched_yield", "", true, sched_yield});
  out.push_back({"sock_accept", "iii", true, not_supported});
  out.push_back({"sock_recv", "iiiiii", true, not_supported});
  out.push_back({"sock_send", "iiiii", true, not_supported});
  out.push_back({"sock_shutdown", "ii", true, not_supported});
}

}  // namespace airwasm::wasi::internal
