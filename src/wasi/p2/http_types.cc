// wasi/p2: wasi:http/types: fields, outgoing requests and responses, bodies (buffered: http.hh) and request
// options. The client side's incoming objects (future responses, responses, bodies, trailers) are made
// by outgoing-handler and their functions live beside it (http_outgoing_handler.cc). Incoming requests
// and response outparams belong to serving HTTP, which airwasm does not do yet: their functions trap if
// reached through a forged handle.
// Field names compare case-insensitively; names and values are checked for the characters HTTP
// forbids (invalid-syntax), so a guest cannot smuggle a header line through.
#include <cctype>

#include "wasi/p2/http.hh"

namespace airwasm::wasi::p2::internal {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(uint8_t(a[i])) != std::tolower(uint8_t(b[i]))) return false;
  return true;
}

// RFC 9110 token characters.
bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (char ch : n) {
    const auto u = uint8_t(ch);
    if (std::isalnum(u)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(ch) == std::string_view::npos) return false;
  }
  return true;
}
bool valid_value(std::string_view v) {
  for (char ch : v)
    if (ch == '\r' || ch == '\n' || ch == '\0') return false;
  return true;
}

}  // namespace

OutgoingBodyObj::~OutgoingBodyObj() {
  body_dropped(*state);
}

namespace {

Val header_error(const char* c) {
  return err(Val::variant(c));
}

TrapResult<void> fields_new(Call& c) {
  return reply(c, c.own(std::make_unique<FieldsObj>()));
}

TrapResult<void> fields_from_list(Call& c) {
  auto f = std::make_unique<FieldsObj>();
  if (c.p.empty() || c.p[0].kind() != component::ValKind::kList)
    return reply(c, header_error("invalid-syntax"));
  for (const Val& t : c.p[0].items()) {
    if (t.items().size() != 2) return reply(c, header_error("invalid-syntax"));
    std::string value;
    const std::string& name = t.items()[0].as_string();
    if (!bytes_arg(t.items()[1], value) || !valid_name(name) || !valid_value(value))
      return reply(c, header_error("invalid-syntax"));
    f->entries.emplace_back(name, std::move(value));
  }
  return reply(c, ok(c.own(std::move(f))));
}

#define FIELDS(name)                \
  auto* name = c.arg<FieldsObj>(0); \
  if (!name) return std::unexpected(bad_handle("fields"))

const std::string& name_arg(Call& c) {
  static const std::string empty;
  return c.p.size() > 1 && c.p[1].kind() == component::ValKind::kString ? c.p[1].as_string() : empty;
}

TrapResult<void> fields_get(Call& c) {
  FIELDS(f);
  std::vector<Val> out;
  for (const auto& [n, v] : f->entries)
    if (same_name(n, name_arg(c)))
      out.push_back(bytes_val(reinterpret_cast<const uint8_t*>(v.data()), v.size()));
  return reply(c, Val::list(std::move(out)));
}

TrapResult<void> fields_has(Call& c) {
  FIELDS(f);
  for (const auto& e : f->entries)
    if (same_name(e.first, name_arg(c))) return reply(c, Val::boolean(true));
  return reply(c, Val::boolean(false));
}

void erase_name(FieldsObj& f, std::string_view name) {
  std::erase_if(f.entries, [&](const auto& e) { return same_name(e.first, name); });
}

TrapResult<void> fields_set(Call& c) {
  FIELDS(f);
  if (f->immutable) return reply(c, header_error("immutable"));
  const std::string& name = name_arg(c);
  if (!valid_name(name) || c.p.size() < 3) return reply(c, header_error("invalid-syntax"));
  std::vector<std::string> values;
  for (const Val& v : c.p[2].items()) {
    std::string s;
    if (!bytes_arg(v, s) || !valid_value(s)) return reply(c, header_error("invalid-syntax"));
    values.push_back(std::move(s));
  }
  erase_name(*f, name);
  for (auto& v : values) f->entries.emplace_back(name, std::move(v));
  return reply(c, ok());
}

TrapResult<void> fields_delete(Call& c) {
  FIELDS(f);
  if (f->immutable) return reply(c, header_error("immutable"));
  if (!valid_name(name_arg(c))) return reply(c, header_error("invalid-syntax"));
  erase_name(*f, name_arg(c));
  return reply(c, ok());
}

TrapResult<void> fields_append(Call& c) {
  FIELDS(f);
  if (f->immutable) return reply(c, header_error("immutable"));
  std::string value;
  if (!valid_name(name_arg(c)) || c.p.size() < 3 || !bytes_arg(c.p[2], value) || !valid_value(value))
    return reply(c, header_error("invalid-syntax"));
  f->entries.emplace_back(name_arg(c), std::move(value));
  return reply(c, ok());
}

Val entries_val(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<Val> out;
  for (const auto& [n, v] : entries)
    out.push_back(
        Val::tuple({Val::string(n), bytes_val(reinterpret_cast<const uint8_t*>(v.data()), v.size())}));
  return Val::list(std::move(out));
}

TrapResult<void> fields_entries(Call& c) {
  FIELDS(f);
  return reply(c, entries_val(f->entries));
}

}  // namespace

Val fields_copy(Call& c, const HeaderList& entries, bool immutable) {
  auto f = std::make_unique<FieldsObj>();
  f->entries = entries;
  f->immutable = immutable;
  return c.own(std::move(f));
}

namespace {

TrapResult<void> fields_clone(Call& c) {
  FIELDS(f);
  return reply(c, fields_copy(c, f->entries, false));
}

#undef FIELDS

// ---- outgoing-request ----

TrapResult<void> request_new(Call& c) {
  auto h = c.consume<FieldsObj>(0);
  if (!h) return std::unexpected(bad_handle("headers"));
  auto r = std::make_unique<OutgoingRequestObj>();
  r->headers = std::move(h->entries);
  return reply(c, c.own(std::move(r)));
}

#define REQUEST(name)                        \
  auto* name = c.arg<OutgoingRequestObj>(0); \
  if (!name) return std::unexpected(bad_handle("outgoing-request"))

TrapResult<void> request_body(Call& c) {
  REQUEST(r);
  if (r->body_taken) return reply(c, Val::err());
  r->body_taken = true;
  auto b = std::make_unique<OutgoingBodyObj>();
  r->body = b->state;
  return reply(c, ok(c.own(std::move(b))));
}
TrapResult<void> request_method(Call& c) {
  REQUEST(r);
  return reply(c, r->method);
}
TrapResult<void> request_set_method(Call& c) {
  REQUEST(r);
  if (c.p.size() < 2 || c.p[1].kind() != component::ValKind::kVariant) return reply(c, Val::err());
  if (c.p[1].case_name() == "other" && (!c.p[1].payload() || !valid_name(c.p[1].payload()->as_string())))
    return reply(c, Val::err());
  r->method = c.p[1];
  return reply(c, Val::ok());
}
TrapResult<void> request_path(Call& c) {
  REQUEST(r);
  return reply(c, r->path);
}
TrapResult<void> request_set_path(Call& c) {
  REQUEST(r);
  if (c.p.size() < 2) return reply(c, Val::err());
  if (c.p[1].payload() && !valid_value(c.p[1].payload()->as_string())) return reply(c, Val::err());
  r->path = c.p[1];
  return reply(c, Val::ok());
}
TrapResult<void> request_scheme(Call& c) {
  REQUEST(r);
  return reply(c, r->scheme);
}
TrapResult<void> request_set_scheme(Call& c) {
  REQUEST(r);
  if (c.p.size() < 2) return reply(c, Val::err());
  r->scheme = c.p[1];
  return reply(c, Val::ok());
}
TrapResult<void> request_authority(Call& c) {
  REQUEST(r);
  return reply(c, r->authority);
}
TrapResult<void> request_set_authority(Call& c) {
  REQUEST(r);
  if (c.p.size() < 2) return reply(c, Val::err());
  if (c.p[1].payload() && !valid_value(c.p[1].payload()->as_string())) return reply(c, Val::err());
  r->authority = c.p[1];
  return reply(c, Val::ok());
}
TrapResult<void> request_headers(Call& c) {
  REQUEST(r);
  return reply(c, fields_copy(c, r->headers, true));
}

#undef REQUEST

// ---- request-options ----

TrapResult<void> options_new(Call& c) {
  return reply(c, c.own(std::make_unique<RequestOptionsObj>()));
}

template <int I>
TrapResult<void> options_get(Call& c) {
  auto* o = c.arg<RequestOptionsObj>(0);
  if (!o) return std::unexpected(bad_handle("request-options"));
  return reply(c, o->timeouts[I]);
}
template <int I>
TrapResult<void> options_set(Call& c) {
  auto* o = c.arg<RequestOptionsObj>(0);
  if (!o) return std::unexpected(bad_handle("request-options"));
  if (c.p.size() < 2) return reply(c, Val::err());
  o->timeouts[I] = c.p[1];
  return reply(c, Val::ok());
}

// ---- outgoing-response ----

TrapResult<void> response_new(Call& c) {
  auto h = c.consume<FieldsObj>(0);
  if (!h) return std::unexpected(bad_handle("headers"));
  auto r = std::make_unique<OutgoingResponseObj>();
  r->headers = std::move(h->entries);
  return reply(c, c.own(std::move(r)));
}

#define RESPONSE(name)                        \
  auto* name = c.arg<OutgoingResponseObj>(0); \
  if (!name) return std::unexpected(bad_handle("outgoing-response"))

TrapResult<void> response_status(Call& c) {
  RESPONSE(r);
  return reply(c, Val::u16(r->status));
}
TrapResult<void> response_set_status(Call& c) {
  RESPONSE(r);
  const uint16_t s = c.p.size() > 1 ? c.p[1].as_u16() : 0;
  if (s < 100 || s > 999) return reply(c, Val::err());
  r->status = s;
  return reply(c, Val::ok());
}
TrapResult<void> response_headers(Call& c) {
  RESPONSE(r);
  return reply(c, fields_copy(c, r->headers, true));
}
TrapResult<void> response_body(Call& c) {
  RESPONSE(r);
  if (r->body_taken) return reply(c, Val::err());
  r->body_taken = true;
  return reply(c, ok(c.own(std::make_unique<OutgoingBodyObj>())));
}

#undef RESPONSE

// ---- outgoing-body ----

TrapResult<void> body_write(Call& c) {
  auto* b = c.arg<OutgoingBodyObj>(0);
  if (!b) return std::unexpected(bad_handle("outgoing-body"));
  if (b->stream_taken) return reply(c, Val::err());
  b->stream_taken = true;
  // A request body goes to its transfer; a response body has nowhere to go until airwasm serves HTTP,
  // and is only buffered.
  auto s = std::make_unique<OutputStreamObj>(OutputStreamObj::What::kHttpBody);
  s->http_body = b->state;
  return reply(c, ok(c.own(std::move(s))));
}

TrapResult<void> body_finish(Call& c) {
  auto b = c.consume<OutgoingBodyObj>(0);
  if (!b) return std::unexpected(bad_handle("outgoing-body"));
  HeaderList trailers;
  if (c.p.size() > 1 && c.p[1].payload()) {
    // The trailers are consumed with the body: their entries go to the transfer (sent after a chunked
    // body: http_outgoing_handler.cc).
    const Val& t = *c.p[1].payload();
    if (t.kind() == component::ValKind::kOwn) {
      if (auto rep = component::resource_rep(c.store, t.as_resource()))
        if (auto* f = static_cast<FieldsObj*>(c.st.table.get(*rep, Kind::kFields))) trailers = f->entries;
      (void)component::resource_drop(c.store, t.as_resource());
    }
  }
  body_finished(*b->state, std::move(trailers));
  return reply(c, Val::ok());
}

constexpr FuncDef kFuncs[] = {
    {"[constructor]fields", fields_new},
    {"[static]fields.from-list", fields_from_list},
    {"[method]fields.get", fields_get},
    {"[method]fields.has", fields_has},
    {"[method]fields.set", fields_set},
    {"[method]fields.delete", fields_delete},
    {"[method]fields.append", fields_append},
    {"[method]fields.entries", fields_entries},
    {"[method]fields.clone", fields_clone},
    {"[method]incoming-request.method", unreachable_object},
    {"[method]incoming-request.path-with-query", unreachable_object},
    {"[method]incoming-request.scheme", unreachable_object},
    {"[method]incoming-request.authority", unreachable_object},
    {"[method]incoming-request.headers", unreachable_object},
    {"[method]incoming-request.consume", unreachable_object},
    {"[constructor]outgoing-request", request_new},
    {"[method]outgoing-request.body", request_body},
    {"[method]outgoing-request.method", request_method},
    {"[method]outgoing-request.set-method", request_set_method},
    {"[method]outgoing-request.path-with-query", request_path},
    {"[method]outgoing-request.set-path-with-query", request_set_path},
    {"[method]outgoing-request.scheme", request_scheme},
    {"[method]outgoing-request.set-scheme", request_set_scheme},
    {"[method]outgoing-request.authority", request_authority},
    {"[method]outgoing-request.set-authority", request_set_authority},
    {"[method]outgoing-request.headers", request_headers},
    {"[constructor]request-options", options_new},
    {"[method]request-options.connect-timeout", options_get<0>},
    {"[method]request-options.set-connect-timeout", options_set<0>},
    {"[method]request-options.first-byte-timeout", options_get<1>},
    {"[method]request-options.set-first-byte-timeout", options_set<1>},
    {"[method]request-options.between-bytes-timeout", options_get<2>},
    {"[method]request-options.set-between-bytes-timeout", options_set<2>},
    {"[static]response-outparam.set", unreachable_object},
    {"[method]incoming-response.status", incoming_response_status},
    {"[method]incoming-response.headers", incoming_response_headers},
    {"[method]incoming-response.consume", incoming_response_consume},
    {"[method]incoming-body.stream", incoming_body_stream},
    {"[static]incoming-body.finish", incoming_body_finish},
    {"[method]future-trailers.subscribe", future_trailers_subscribe},
    {"[method]future-trailers.get", future_trailers_get},
    {"[constructor]outgoing-response", response_new},
    {"[method]outgoing-response.status-code", response_status},
    {"[method]outgoing-response.set-status-code", response_set_status},
    {"[method]outgoing-response.headers", response_headers},
    {"[method]outgoing-response.body", response_body},
    {"[method]outgoing-body.write", body_write},
    {"[static]outgoing-body.finish", body_finish},
    {"[method]future-incoming-response.subscribe", future_response_subscribe},
    {"[method]future-incoming-response.get", future_response_get},
    {"http-error-code", http_error_code},
};

}  // namespace

Result<void> define_http_types(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs,
                {{"input-stream", Kind::kInputStream},
                 {"output-stream", Kind::kOutputStream},
                 {"io-error", Kind::kError},
                 {"pollable", Kind::kPollable},
                 {"fields", Kind::kFields},
                 {"headers", Kind::kFields},
                 {"trailers", Kind::kFields},
                 {"incoming-request", Kind::kIncomingRequest},
                 {"outgoing-request", Kind::kOutgoingRequest},
                 {"request-options", Kind::kRequestOptions},
                 {"response-outparam", Kind::kResponseOutparam},
                 {"incoming-response", Kind::kIncomingResponse},
                 {"incoming-body", Kind::kIncomingBody},
                 {"future-trailers", Kind::kFutureTrailers},
                 {"outgoing-response", Kind::kOutgoingResponse},
                 {"outgoing-body", Kind::kOutgoingBody},
                 {"future-incoming-response", Kind::kFutureIncomingResponse}});
}

}  // namespace airwasm::wasi::p2::internal
