// wasi/p2: the wasi:http objects shared by http_types.cc (their methods) and http_outgoing_handler.cc
// (the client, on libcurl). Both bodies are streamed: the request body from the guest's output stream to
// curl (BodyState), the response body from curl to the guest's incoming-body stream
// (http_outgoing_handler.cc). The transfer itself runs on its own thread, so the Store's thread only
// ever waits on pollables and bounded buffers, interruptibly.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
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

// The most an outgoing body may hold in memory before a transfer takes it (written before `handle`, or
// the body of an outgoing response, which has nowhere to go until airwasm serves HTTP).
inline constexpr size_t kMaxHttpBody = size_t(256) << 20;
// Once a transfer takes the body, a writer waits while this many bytes are unsent.
inline constexpr size_t kRequestWindow = size_t(1) << 20;

// The body of an outgoing request as the guest writes it, shared by its output stream (the writer, on
// the Store's thread) and the transfer (the reader, on the transfer's thread). Under `mu`.
struct BodyState {
  std::mutex mu;
  std::condition_variable changed;  // bytes, finish, drop or a cancelled transfer: for the reader
  std::string data;                 // unsent bytes from `head` on
  size_t head = 0;
  bool finished = false;
  HeaderList trailers;       // given to outgoing-body.finish (set with `finished`)
  bool dropped = false;      // the guest dropped the body without finishing it
  bool attached = false;     // `handle` gave the body to a transfer: writers now wait for room
  bool sender_done = false;  // the transfer is over: later writes fail
  SharedFd room;             // once attached: readable unless kRequestWindow bytes are unsent
  size_t unsent() const { return data.size() - head; }
};

struct OutgoingBodyObj : Object {
  static constexpr Kind kKind = Kind::kOutgoingBody;
  OutgoingBodyObj() : Object(kKind) {}
  ~OutgoingBodyObj() override;  // dropped without finish: the transfer fails
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

// The guest finished (with these trailers) or dropped an outgoing body: the transfer reading it, if any,
// learns of it.
void body_finished(BodyState& b, HeaderList trailers);
void body_dropped(BodyState& b);

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
TrapResult<void> http_error_code(Call& c);  // the error-code behind a body stream's io error

}  // namespace airwasm::wasi::p2::internal
