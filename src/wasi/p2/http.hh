// wasi/p2: the wasi:http objects shared by http_types.cc (their methods) and http_outgoing_handler.cc
// (the client, on libcurl). An outgoing body is buffered in memory (BodyState) and the request is sent
// when the guest finishes it; the response is streamed to the guest's incoming-body stream as it
// arrives (http_outgoing_handler.cc). The transfer itself runs on its own thread, so the Store's thread
// only ever waits on pollables, interruptibly.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct FieldsObj : Object {
  static constexpr Kind kKind = Kind::kFields;
  FieldsObj() : Object(kKind) {}
  HeaderList entries;
  bool immutable = false;
};

struct Transfer;  // http_outgoing_handler.cc

// The body of an outgoing request: its bytes (shared with the guest's output stream), whether the
// guest finished it, and the transfer waiting for that.
struct BodyState {
  std::shared_ptr<std::string> data = std::make_shared<std::string>();
  bool finished = false;
  bool dropped = false;               // the guest dropped the body without finishing it
  std::shared_ptr<Transfer> waiting;  // handle() was called before finish
};

// The most an outgoing or incoming body may hold in memory.
inline constexpr size_t kMaxHttpBody = size_t(256) << 20;

struct OutgoingBodyObj : Object {
  static constexpr Kind kKind = Kind::kOutgoingBody;
  OutgoingBodyObj() : Object(kKind) {}
  ~OutgoingBodyObj() override;  // dropped without finish: a waiting transfer fails
  bool stream_taken = false;
  std::shared_ptr<BodyState> state = std::make_shared<BodyState>();
};

struct OutgoingRequestObj : Object {
  static constexpr Kind kKind = Kind::kOutgoingRequest;
  OutgoingRequestObj() : Object(kKind) {}
  HeaderList headers;
  Val method = Val::variant("get");
  Val path = Val::none(), scheme = Val::none(), authority = Val::none();
  bool body_taken = false;
  std::shared_ptr<BodyState> body;  // set when the guest took the body
};

struct OutgoingResponseObj : Object {
  static constexpr Kind kKind = Kind::kOutgoingResponse;
  OutgoingResponseObj() : Object(kKind) {}
  HeaderList headers;
  uint16_t status = 200;
  bool body_taken = false;
};

struct RequestOptionsObj : Object {
  static constexpr Kind kKind = Kind::kRequestOptions;
  RequestOptionsObj() : Object(kKind) {}
  Val timeouts[3] = {Val::none(), Val::none(), Val::none()};  // connect, first-byte, between-bytes
};

// A new fields resource with a copy of `entries`.
Val fields_copy(Call& c, const HeaderList& entries, bool immutable);

// Starts a transfer whose body the guest has now finished (http_outgoing_handler.cc).
void start_transfer(const std::shared_ptr<Transfer>& t);
// Ends a transfer that can never start (its body was dropped unfinished).
void fail_transfer(const std::shared_ptr<Transfer>& t, std::string why);

// The incoming side's functions (http_outgoing_handler.cc), listed in http_types.cc's table.
TrapResult<void> incoming_response_status(Call& c);
TrapResult<void> incoming_response_headers(Call& c);
TrapResult<void> incoming_response_consume(Call& c);
TrapResult<void> incoming_body_stream(Call& c);
TrapResult<void> incoming_body_finish(Call& c);
TrapResult<void> future_trailers_subscribe(Call& c);
TrapResult<void> future_trailers_get(Call& c);
TrapResult<void> future_response_subscribe(Call& c);
TrapResult<void> future_response_get(Call& c);

}  // namespace airwasm::wasi::p2::internal
