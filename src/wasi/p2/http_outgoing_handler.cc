// wasi/p2: wasi:http/outgoing-handler. airwasm has no HTTP client yet, so `handle` consumes the request
// (and its options) and answers HTTP-request-denied under the default policy, or
// internal-error("no HTTP client") when the host allows HTTP: an error value, never a trap.
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {
namespace {

TrapResult<void> handle(Call& c) {
  if (!c.take(0, Kind::kOutgoingRequest)) return std::unexpected(bad_handle("outgoing-request"));
  // option<own<request-options>>: dropping the handle runs the destructor, which frees the options.
  if (c.p.size() > 1 && c.p[1].payload() && c.p[1].payload()->kind() == component::ValKind::kOwn)
    (void)component::resource_drop(c.store, c.p[1].payload()->as_resource());
  if (!c.st.allow_http) return reply(c, err(Val::variant("HTTP-request-denied")));
  return reply(c,
               err(Val::variant("internal-error", Val::some(Val::string("airwasm has no HTTP client yet")))));
}

constexpr FuncDef kFuncs[] = {{"handle", handle}};

}  // namespace

Result<void> define_http_outgoing_handler(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs,
                {{"outgoing-request", Kind::kOutgoingRequest},
                 {"request-options", Kind::kRequestOptions},
                 {"future-incoming-response", Kind::kFutureIncomingResponse}});
}

}  // namespace airwasm::wasi::p2::internal
