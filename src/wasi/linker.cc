// wasi: add_to_linker, which binds the function table of every area file into a Linker under the module
// name "wasi_snapshot_preview1". Each function is a raw host callback (slots in, errno out): no Val
// boxing on the hot path of fd_write and friends.
#include <memory>
#include <new>

#include "airwasm/instance.hh"
#include "wasi/state.hh"

namespace airwasm::wasi {

namespace {

constexpr const char* kModule = "wasi_snapshot_preview1";

std::vector<internal::FunctionDef> all_functions() {
  std::vector<internal::FunctionDef> defs;
  internal::register_args_environ(defs);
  internal::register_clocks(defs);
  internal::register_random(defs);
  internal::register_fd_io(defs);
  internal::register_fd_meta(defs);
  internal::register_path(defs);
  internal::register_poll(defs);
  internal::register_proc(defs);
  return defs;
}

}  // namespace

Result<void> add_to_linker(Linker& linker, ContextGetter getter) {
  auto shared_getter = std::make_shared<ContextGetter>(std::move(getter));
  for (const internal::FunctionDef& def : all_functions()) {
    FuncType type;
    for (const char* p = def.params; *p; ++p)
      type.params.push_back(*p == 'I' ? ValType::kI64 : ValType::kI32);
    if (def.returns_errno) type.results.push_back(ValType::kI32);
    internal::Handler handler = def.handler;
    const bool returns = def.returns_errno;
    auto callback = [shared_getter, handler, returns](Caller& caller, uint64_t* slots) -> TrapResult<void> {
      WasiContext* cx = (*shared_getter)(caller);
      if (!cx) return std::unexpected(Trap(TrapCode::kHostError, "host function error: no WASI context"));
      GuestMemory mem;
      if (auto m = caller.memory()) mem = GuestMemory(m->data(caller.store()));
      internal::Env env{cx->state(), caller, mem, std::nullopt};
      uint16_t err;
      try {
        err = handler(env, slots);
      } catch (const std::bad_alloc&) {
        // Host memory the guest asked for (a huge poll_oneoff, a directory listing) is not there: the
        // host's failure, reported as such, never an exception through the interpreter.
        return std::unexpected(Trap(TrapCode::kHostError, "host function error: out of host memory"));
      }
      if (env.trap) return std::unexpected(std::move(*env.trap));
      if (returns) slots[0] = err;
      return {};
    };
    if (auto r = linker.define_func_raw(kModule, def.name, std::move(type), std::move(callback)); !r)
      return r;
  }
  return {};
}

Result<void> add_to_linker(Linker& linker, WasiContext& context) {
  WasiContext* cx = &context;
  return add_to_linker(linker, [cx](Caller&) { return cx; });
}

}  // namespace airwasm::wasi
