// wasi/p2: wasi:io/error. An `error` is the payload of a stream's last-operation-failed: a message for
// humans (to-debug-string), plus, for file streams, the wasi:filesystem error-code that
// filesystem-error-code reports.
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {
namespace {

TrapResult<void> to_debug_string(Call& c) {
  auto* e = c.arg<ErrorObj>(0);
  if (!e) return std::unexpected(bad_handle("error"));
  c.ret(Val::string(e->message));
  return {};
}

constexpr FuncDef kFuncs[] = {{"[method]error.to-debug-string", to_debug_string}};

}  // namespace

Result<void> define_io_error(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs, {{"error", Kind::kError}});
}

}  // namespace airwasm::wasi::p2::internal
