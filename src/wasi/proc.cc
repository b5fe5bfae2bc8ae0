// wasi: proc_exit (a Trap::exit that unwinds every WebAssembly frame, however deep), sched_yield, and the
// functions airwasm defines only so that every preview1 module links: proc_raise and the socket calls.
// Preview 1 has no way to create a socket and airwasm pre-opens none, so no descriptor is ever a socket:
// the socket calls answer as POSIX does for what they are given (EBADF for no descriptor, ENOTSOCK for
// a file or directory), as the official WASI suite expects.
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
uint16_t not_a_socket(Env& env, const uint64_t* a) {
  return env.state.find(arg32(a, 0)) ? abi::kNotSock : abi::kBadf;
}

}  // namespace

void register_proc(std::vector<FunctionDef>& out) {
  out.push_back({"proc_exit", "i", false, proc_exit});
  out.push_back({"proc_raise", "i", true, proc_raise});
  out.push_back({"sched_yield", "", true, sched_yield});
  out.push_back({"sock_accept", "iii", true, not_a_socket});
  out.push_back({"sock_recv", "iiiiii", true, not_a_socket});
  out.push_back({"sock_send", "iiiii", true, not_a_socket});
  out.push_back({"sock_shutdown", "ii", true, not_a_socket});
}

}  // namespace airwasm::wasi::internal
