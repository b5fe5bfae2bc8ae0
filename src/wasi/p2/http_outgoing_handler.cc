// wasi/p2: wasi:http/outgoing-handler, the HTTP and HTTPS client, on libcurl (Debian's
// libcurl4-openssl-dev), plus the functions of the incoming objects it creates (future responses,
// responses, bodies, trailers). `handle` checks the policy (HTTP-request-denied unless allow_http) and
// the request (scheme, authority: HTTP-request-URI-invalid), then runs the transfer on a thread of its
// own: curl_easy_perform blocks, so it must not run on the Store's thread, which only ever waits on
// eventfds (the future's, the body streams') through runtime/blocking.hh, interruptibly.
// Both bodies are streamed through bounded buffers. The request body: a body the guest finishes within
// kRequestWindow bytes is sent whole with its length, as before streaming; a longer one is sent as it is
// written (curl's read callback; with the guest's content-length, else chunked), and a writer waits
// while kRequestWindow bytes are unsent. The response: the future resolves when the final header block
// is complete, and the body reaches the guest's incoming-body stream as it arrives, through a buffer of
// at most kResponseWindow bytes (curl's write callback waits while it is full, and TCP flow control
// slows the server). So a transfer of any size needs about two windows of host memory.
// Redirects are not followed (fetch follows them itself). curl errors map to wasi:http error-code cases;
// one after the response began is the body stream's last-operation-failed. When the guest drops
// everything that could read the response (the future before `get`, or the response, its body and the
// body's stream), the transfer is cancelled (curl's callbacks see the flag).
// HTTPS: curl verifies the server against the system's CAs, plus WasiP2Config::http_ca_file (CAINFO).
// libcurl is loaded with dlopen at the first request, not linked: linking it made every `airwasm run`
// load 30 more shared libraries (TLS, LDAP, Kerberos, ...), 5 ms of start-up, for programs that mostly
// never make a request. Without libcurl on the machine a request fails with internal-error.
#include <curl/curl.h>
#include <dlfcn.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "runtime/blocking.hh"
#include "wasi/p2/http.hh"

namespace airwasm::wasi::p2::internal {

namespace {

// How many response body bytes may wait for the guest to read them: past this, the transfer thread stops
// taking data from the connection (TCP flow control then slows the server), so a download of any size
// needs this much host memory, not its size.
constexpr size_t kResponseWindow = size_t(1) << 20;

// A non-blocking eventfd; null if none could be made.
SharedFd new_event() {
  const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  return fd < 0 ? SharedFd() : std::make_shared<wasi::internal::OwnedFd>(fd);
}

// An eventfd's counter up (readable) or back to zero; called under the lock of what it stands for, so
// that the fd's state always matches it.
void raise(const SharedFd& fd) {
  const uint64_t one = 1;
  (void)!::write(fd->get(), &one, sizeof one);
}
void lower(const SharedFd& fd) {
  uint64_t n;
  (void)!::read(fd->get(), &n, sizeof n);
}

}  // namespace

struct Transfer {
  // The request (read-only once started).
  std::string method, url;
  HeaderList headers;
  std::shared_ptr<BodyState> upload;  // null: no body
  uint64_t connect_timeout_ms = 0;
  uint64_t total_timeout_ms = 0;
  std::string ca_file;  // WasiP2Config::http_ca_file; empty: libcurl's default bundle
  // The transfer thread's own progress through the response headers (touched by that thread only).
  uint16_t parsed_status = 0;
  HeaderList parsed_headers;
  bool headers_complete = false;
  HeaderList parsed_trailers;  // header lines after the body: the response's trailers
  // Shared with the guest's thread, under `mu`.
  std::mutex mu;
  std::condition_variable room;  // the body buffer has room again, or the transfer was cancelled
  bool responded = false;        // the final response's status and headers are known
  bool done = false;             // the transfer is over (the body complete, or `error`)
  std::string error;             // a wasi:http error-code case name; empty on success
  std::string detail;            // internal-error's message
  uint16_t status = 0;
  HeaderList response_headers;
  std::string body_buffer;  // received body bytes from `body_head` on, not yet read by the guest
  size_t body_head = 0;
  bool discard_body = false;           // incoming-body.finish: the rest of the body is read and thrown away
  HeaderList trailers;                 // the response's trailers, once done
  SharedFd event;                      // readable once responded or done (the future's pollable)
  SharedFd body_event;                 // readable while body bytes wait or done (the stream's pollable)
  SharedFd done_event;                 // readable once done (the future-trailers' pollable)
  std::atomic<bool> cancelled{false};  // nobody will read the response: stop
  bool upload_dropped = false;         // the transfer thread's: on_upload found the body dropped

  size_t buffered() const { return body_buffer.size() - body_head; }
  void cancel() {
    {
      std::lock_guard lock(mu);
      cancelled = true;
    }
    room.notify_all();
    if (upload) {
      std::lock_guard lock(upload->mu);  // on_upload, between its check and its wait, cannot miss this
      upload->changed.notify_all();
    }
  }
};

// What the guest holds of a response: the future before `get`, then the response, its body and the body's
// stream share it. When the last of them is dropped nobody can read the response any more, and the
// transfer is cancelled (curl's callbacks see the flag).
struct ResponseBody {
  explicit ResponseBody(std::shared_ptr<Transfer> t) : transfer(std::move(t)) {}
  ~ResponseBody() { transfer->cancel(); }
  std::shared_ptr<Transfer> transfer;
};

namespace {

struct FutureResponseObj : Object {
  static constexpr Kind kKind = Kind::kFutureIncomingResponse;
  FutureResponseObj() : Object(kKind) {}
  std::shared_ptr<Transfer> transfer;
  std::shared_ptr<ResponseBody> reader;  // handed on to the response by get
  bool taken = false;
};

struct IncomingResponseObj : Object {
  static constexpr Kind kKind = Kind::kIncomingResponse;
  IncomingResponseObj() : Object(kKind) {}
  uint16_t status = 0;
  HeaderList headers;
  std::shared_ptr<ResponseBody> body;
  bool consumed = false;
};

struct IncomingBodyObj : Object {
  static constexpr Kind kKind = Kind::kIncomingBody;
  IncomingBodyObj() : Object(kKind) {}
  std::shared_ptr<ResponseBody> body;
  bool stream_taken = false;
};

// Resolves when the transfer is over, with the response's trailers; keeps the transfer going meanwhile
// (the rest of the body is thrown away).
struct FutureTrailersObj : Object {
  static constexpr Kind kKind = Kind::kFutureTrailers;
  FutureTrailersObj() : Object(kKind) {}
  std::shared_ptr<ResponseBody> body;
  bool taken = false;
};

// The transfer is over: the future resolves (with the error, or with a response that had no header
// block curl reported) and the body stream sees its end.
void finish(Transfer& t) {
  if (t.upload) {
    std::lock_guard lock(t.upload->mu);
    t.upload->sender_done = true;  // a writer still waiting for room stops
    if (t.upload->room) raise(t.upload->room);
  }
  std::lock_guard lock(t.mu);
  t.done = true;
  t.trailers = std::move(t.parsed_trailers);
  if (!t.responded && t.error.empty()) {
    t.responded = true;
    t.status = t.parsed_status;
    t.response_headers = std::move(t.parsed_headers);
  }
  raise(t.event);
  raise(t.body_event);
  raise(t.done_event);
}

// The final response's header block is complete: the future can resolve while the body still arrives.
void respond(Transfer& t) {
  t.headers_complete = true;
  std::lock_guard lock(t.mu);
  t.responded = true;
  t.status = t.parsed_status;
  t.response_headers = std::move(t.parsed_headers);
  raise(t.event);
}

// curl's write callback: appends to the body buffer, first waiting while the guest has not read the last
// kResponseWindow bytes. Returning less than given (0) aborts the transfer: CURLE_WRITE_ERROR.
size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (!t->headers_complete) respond(*t);
  std::unique_lock lock(t->mu);
  t->room.wait(lock, [&] { return t->cancelled || t->discard_body || t->buffered() < kResponseWindow; });
  if (t->cancelled) return 0;
  if (t->discard_body) return len;  // read on to the trailers, which the guest waits for
  if (t->body_head > 0 && t->body_head >= t->body_buffer.size() / 2) {
    t->body_buffer.erase(0, t->body_head);  // keeps the buffer near the window, not the download, in size
    t->body_head = 0;
  }
  const bool was_empty = t->buffered() == 0;
  t->body_buffer.append(data, len);
  if (was_empty) raise(t->body_event);
  return len;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (t->headers_complete) {
    // After the body: a trailer line (curl passes a chunked response's trailers here), or the blank end.
    if (const size_t colon = line.find(':'); colon != std::string_view::npos && colon > 0)
      t->parsed_trailers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    return size * n;
  }
  if (line.starts_with("HTTP/")) {
    // A new response (after 100 Continue): only the last one counts. "HTTP/1.1 200 OK", "HTTP/2 200".
    t->parsed_headers.clear();
    const size_t sp = line.find(' ');
    t->parsed_status =
        sp == std::string_view::npos ? 0 : uint16_t(std::atoi(std::string(line.substr(sp + 1, 3)).c_str()));
  } else if (line == "\r\n" || line == "\n") {
    if (t->parsed_status >= 200) respond(*t);  // the end of a final response's header block
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    t->parsed_headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return size * n;
}

// curl's read callback for a request body still being written: waits for bytes (or the body's end),
// then hands over what fits; the writer may go on once fewer than kRequestWindow bytes are unsent.
size_t on_upload(char* out, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  BodyState& b = *t->upload;
  std::unique_lock lock(b.mu);
  b.changed.wait(lock, [&] { return b.unsent() > 0 || b.finished || b.dropped || t->cancelled; });
  if (t->cancelled) return CURL_READFUNC_ABORT;
  if (b.unsent() == 0) {
    if (b.finished) return 0;  // the end of the body
    t->upload_dropped = true;  // dropped unfinished: the request must not look complete
    return CURL_READFUNC_ABORT;
  }
  const size_t take = std::min(size * n, b.unsent());
  std::memcpy(out, b.data.data() + b.head, take);
  b.head += take;
  if (b.head >= b.data.size() / 2) {
    b.data.erase(0, b.head);
    b.head = 0;
  }
  if (b.unsent() < kRequestWindow) raise(b.room);
  return take;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->cancelled ? 1 : 0;
}

const char* code_from_curl(CURLcode rc, long os_errno) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "DNS-error";
    case CURLE_COULDNT_CONNECT:
      return os_errno == ETIMEDOUT ? "connection-timeout" : "connection-refused";
    case CURLE_OPERATION_TIMEDOUT:
      return "connection-timeout";
    case CURLE_SSL_CONNECT_ERROR:
      return "TLS-protocol-error";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return "TLS-certificate-error";
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return "HTTP-response-incomplete";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return "connection-terminated";
    case CURLE_URL_MALFORMAT:
      return "HTTP-request-URI-invalid";
    case CURLE_WRITE_ERROR:
      return "HTTP-response-body-size";
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "HTTP-protocol-error";
    default:
      return "internal-error";
  }
}

// The libcurl functions the client uses, resolved from libcurl.so.4 once.
struct CurlApi {
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  std::string load_error;  // empty when every function was found
};

template <typename F>
bool resolve(void* lib, const char* name, F& out) {
  out = reinterpret_cast<F>(::dlsym(lib, name));
  return out != nullptr;
}

// Loads libcurl and calls curl_global_init the first time; later calls return the same result.
const CurlApi& curl() {
  static const CurlApi api = [] {
    CurlApi a;
    void* lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* why = ::dlerror();
      a.load_error = std::string("libcurl could not be loaded: ") + (why ? why : "libcurl.so.4 not found");
      return a;
    }
    if (!resolve(lib, "curl_global_init", a.global_init) || !resolve(lib, "curl_easy_init", a.easy_init) ||
        !resolve(lib, "curl_easy_setopt", a.easy_setopt) ||
        !resolve(lib, "curl_easy_perform", a.easy_perform) ||
        !resolve(lib, "curl_easy_getinfo", a.easy_getinfo) ||
        !resolve(lib, "curl_easy_cleanup", a.easy_cleanup) ||
        !resolve(lib, "curl_easy_strerror", a.easy_strerror) ||
        !resolve(lib, "curl_slist_append", a.slist_append) ||
        !resolve(lib, "curl_slist_free_all", a.slist_free_all)) {
      a.load_error = "libcurl.so.4 lacks a function airwasm needs";
      return a;
    }
    a.global_init(CURL_GLOBAL_DEFAULT);
    return a;
  }();
  return api;
}

// curl's trailer callback, called after the last chunk of a chunked request body: the trailers the guest
// gave to outgoing-body.finish.
int on_trailers(curl_slist** list, void* user) {
  auto* t = static_cast<Transfer*>(user);
  BodyState& b = *t->upload;
  std::lock_guard lock(b.mu);
  for (const auto& [n, v] : b.trailers) *list = curl().slist_append(*list, (n + ": " + v).c_str());
  return CURL_TRAILERFUNC_OK;
}

// A request body is sent as it is written once it outgrows kRequestWindow (with the guest's
// content-length, or chunked without one); a body finished before that is sent whole, with its length.
// Waits for one or the other; false if the guest dropped the body unfinished or the future.
bool wait_for_body(Transfer& t, bool& stream) {
  BodyState& b = *t.upload;
  std::unique_lock lock(b.mu);
  b.changed.wait(lock,
                 [&] { return b.finished || b.dropped || t.cancelled || b.unsent() >= kRequestWindow; });
  // Trailers can follow only a chunked body, which only the streaming path sends.
  stream = !b.finished || !b.trailers.empty();
  return !t.cancelled && (b.finished || !b.dropped);
}

// The value of the request header `name` (lower case), if the guest set it.
std::optional<std::string> header_value(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size(); ++i) same = same && std::tolower(uint8_t(n[i])) == name[i];
    if (same) return v;
  }
  return std::nullopt;
}

void run(std::shared_ptr<Transfer> t) {
  bool stream_body = false;
  if (t->upload && !wait_for_body(*t, stream_body)) {
    {
      std::lock_guard lock(t->mu);
      t->error = "internal-error";
      t->detail = "the request body was dropped unfinished";
    }
    finish(*t);
    return;
  }
  const CurlApi& api = curl();
  if (!api.load_error.empty()) {
    t->error = "internal-error";
    t->detail = api.load_error;
    finish(*t);
    return;
  }
  CURL* h = api.easy_init();
  if (!h) {
    t->error = "internal-error";
    t->detail = "curl_easy_init failed";
    finish(*t);
    return;
  }
  curl_slist* list = nullptr;
  auto has = [&](std::string_view name) { return header_value(t->headers, name).has_value(); };
  for (const auto& [n, v] : t->headers)
    list = api.slist_append(list, (v.empty() ? n + ";" : n + ": " + v).c_str());
  // curl's own defaults that a WASI client does not add: Accept, Expect: 100-continue, and the
  // form Content-Type of a POST body.
  for (const char* d : {"accept", "expect", "content-type"})
    if (!has(d)) list = api.slist_append(list, (std::string(d) + ":").c_str());
  api.easy_setopt(h, CURLOPT_URL, t->url.c_str());
  api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  api.easy_setopt(h, CURLOPT_PROXY, "");  // the guest reaches the address it names
  api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(h, CURLOPT_HTTPHEADER, list);
  if (t->method == "HEAD") {
    api.easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    api.easy_setopt(h, CURLOPT_CUSTOMREQUEST, t->method.c_str());
  }
  if (stream_body) {
    // POST mechanics with the guest's method (CUSTOMREQUEST); -1: unknown length, chunked encoding.
    curl_off_t length = -1;
    if (auto v = header_value(t->headers, "content-length")) {
      char* end = nullptr;
      const long long n = std::strtoll(v->c_str(), &end, 10);
      if (!v->empty() && *end == '\0' && n >= 0) length = curl_off_t(n);
    }
    api.easy_setopt(h, CURLOPT_POST, 1L);
    api.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, length);
    api.easy_setopt(h, CURLOPT_READFUNCTION, on_upload);
    api.easy_setopt(h, CURLOPT_READDATA, t.get());
    // Sent only after a chunked body: with the guest's content-length, HTTP/1.1 has no place for them.
    api.easy_setopt(h, CURLOPT_TRAILERFUNCTION, on_trailers);
    api.easy_setopt(h, CURLOPT_TRAILERDATA, t.get());
  } else if (t->upload) {
    // Finished: nobody writes to it any more, so curl may read it without the lock.
    const BodyState& b = *t->upload;
    if (b.unsent() > 0 || t->method == "POST" || t->method == "PUT" || t->method == "PATCH") {
      api.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(b.unsent()));
      api.easy_setopt(h, CURLOPT_POSTFIELDS, b.data.data() + b.head);
    }
  }
  api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(h, CURLOPT_WRITEDATA, t.get());
  api.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(h, CURLOPT_HEADERDATA, t.get());
  api.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  api.easy_setopt(h, CURLOPT_XFERINFODATA, t.get());
  api.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  // Extra trust for HTTPS: this bundle file instead of the default one (the CA directory stays).
  if (!t->ca_file.empty()) api.easy_setopt(h, CURLOPT_CAINFO, t->ca_file.c_str());
  if (t->connect_timeout_ms) api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(t->connect_timeout_ms));
  if (t->total_timeout_ms) api.easy_setopt(h, CURLOPT_TIMEOUT_MS, long(t->total_timeout_ms));
  const CURLcode rc = api.easy_perform(h);
  long status = 0, os_errno = 0;
  api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  api.easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  if (rc != CURLE_OK) {
    std::lock_guard lock(t->mu);
    t->error = code_from_curl(rc, os_errno);
    t->detail = api.easy_strerror(rc);
    if (t->upload_dropped) {
      t->error = "internal-error";
      t->detail = "the request body was dropped unfinished";
    }
  } else if (!t->headers_complete) {
    t->parsed_status = uint16_t(status);
  }
  api.slist_free_all(list);
  api.easy_cleanup(h);
  finish(*t);
}

Val error_code(const std::string& code, const std::string& detail) {
  if (code == "internal-error") return Val::variant(code, Val::some(Val::string(detail)));
  if (code == "DNS-error")
    return Val::variant(code, Val::record({{"rcode", Val::none()}, {"info-code", Val::none()}}));
  if (code == "HTTP-response-body-size" || code == "HTTP-request-body-size")
    return Val::variant(code, Val::none());
  return Val::variant(code);
}

std::string method_name(const Val& m) {
  if (m.case_name() == "other") return m.payload() ? m.payload()->as_string() : "GET";
  std::string s = m.case_name();
  for (char& ch : s) ch = char(std::toupper(uint8_t(ch)));
  return s;
}

// A duration option of request-options in milliseconds (0: none).
uint64_t timeout_ms(const Val& v) {
  return v.is_some() ? std::max<uint64_t>(1, v.payload()->as_u64() / 1'000'000) : 0;
}

TrapResult<void> handle(Call& c) {
  auto req = c.consume<OutgoingRequestObj>(0);
  if (!req) return std::unexpected(bad_handle("outgoing-request"));
  uint64_t connect_ms = 0, total_ms = 0;
  // option<own<request-options>>: read, then dropped (the destructor frees the object).
  if (c.p.size() > 1 && c.p[1].payload() && c.p[1].payload()->kind() == component::ValKind::kOwn) {
    const auto& res = c.p[1].payload()->as_resource();
    if (auto rep = component::resource_rep(c.store, res)) {
      if (auto* o = static_cast<RequestOptionsObj*>(c.st.table.get(*rep, Kind::kRequestOptions))) {
        connect_ms = timeout_ms(o->timeouts[0]);
        // first-byte and between-bytes have no libcurl equivalent: their sum bounds the whole transfer.
        if (o->timeouts[1].is_some() && o->timeouts[2].is_some())
          total_ms = timeout_ms(o->timeouts[1]) + timeout_ms(o->timeouts[2]);
      }
    }
    (void)component::resource_drop(c.store, res);
  }
  if (!c.st.allow_http) return reply(c, err(Val::variant("HTTP-request-denied")));
  std::string scheme = "http";
  if (req->scheme.is_some()) {
    const Val& s = *req->scheme.payload();
    scheme = s.case_name() == "HTTPS" ? "https" : s.case_name() == "HTTP" ? "http" : "";
  }
  if (scheme.empty() || !req->authority.is_some() || req->authority.payload()->as_string().empty())
    return reply(c, err(Val::variant("HTTP-request-URI-invalid")));
  std::string path = req->path.is_some() ? req->path.payload()->as_string() : "/";
  if (path.empty() || path[0] != '/') path = "/" + path;
  auto t = std::make_shared<Transfer>();
  t->event = new_event();
  t->body_event = new_event();
  t->done_event = new_event();
  SharedFd room = req->body ? new_event() : SharedFd();
  if (!t->event || !t->body_event || !t->done_event || (req->body && !room))
    return reply(c, err(error_code("internal-error", "eventfd failed")));
  t->method = method_name(req->method);
  t->url = scheme + "://" + req->authority.payload()->as_string() + path;
  t->headers = std::move(req->headers);
  t->connect_timeout_ms = connect_ms;
  t->total_timeout_ms = total_ms;
  t->ca_file = c.st.http_ca_file;
  if (req->body) {
    // From now on the transfer takes the body's bytes, and writers wait for room.
    BodyState& b = *req->body;
    std::lock_guard lock(b.mu);
    b.room = std::move(room);
    b.attached = true;
    if (b.unsent() < kRequestWindow) raise(b.room);
    t->upload = req->body;
  }
  auto f = std::make_unique<FutureResponseObj>();
  f->transfer = t;
  f->reader = std::make_shared<ResponseBody>(t);
  (void)curl();  // loads libcurl on this thread, before any transfer thread needs it
  try {
    std::thread(run, t).detach();
  } catch (const std::system_error&) {
    {
      std::lock_guard lock(t->mu);
      t->error = "internal-error";
      t->detail = "cannot start a thread for the transfer";
    }
    finish(*t);
  }
  return reply(c, ok(c.own(std::move(f))));
}

constexpr FuncDef kFuncs[] = {{"handle", handle}};

}  // namespace

void body_finished(BodyState& b, HeaderList trailers) {
  {
    std::lock_guard lock(b.mu);
    b.trailers = std::move(trailers);
    b.finished = true;
  }
  b.changed.notify_all();
}

void body_dropped(BodyState& b) {
  {
    std::lock_guard lock(b.mu);
    if (b.finished) return;
    b.dropped = true;
  }
  b.changed.notify_all();
}

TrapResult<Val> request_body_write(Call& c, OutputStreamObj& s, std::string_view data, size_t done) {
  BodyState& b = *s.http_body;
  for (;;) {
    {
      std::lock_guard lock(b.mu);
      if (b.sender_done || b.finished) return err(stream_error_closed());
      if (!b.attached) {
        if (data.size() - done > kMaxHttpBody - std::min(b.unsent(), kMaxHttpBody))
          return err(
              stream_error_failed(c, "the body is larger than the host accepts", "insufficient-space"));
        b.data += data.substr(done);
        return ok();
      }
      if (const size_t unsent = b.unsent(); unsent < kRequestWindow) {
        const size_t take = std::min(data.size() - done, kRequestWindow - unsent);
        b.data += data.substr(done, take);
        done += take;
        if (b.unsent() >= kRequestWindow) lower(b.room);
        b.changed.notify_all();
        if (done == data.size()) return ok();
      }
    }
    // A sliced call suspends here, also part-way: its run again goes on at `done`.
    AIRWASM_TRY(wait_to_write(c, s, b.room->get(), POLLIN, data.size(), done));
  }
}

TrapResult<void> future_response_subscribe(Call& c) {
  auto* f = c.arg<FutureResponseObj>(0);
  if (!f) return std::unexpected(bad_handle("future-incoming-response"));
  auto p = std::make_unique<PollableObj>(PollableObj::What::kFdRead);
  p->fd = f->transfer->event;
  p->raw_fd = p->fd->get();
  return reply(c, c.own(std::move(p)));
}

TrapResult<void> future_response_get(Call& c) {
  auto* f = c.arg<FutureResponseObj>(0);
  if (!f) return std::unexpected(bad_handle("future-incoming-response"));
  Transfer& t = *f->transfer;
  std::lock_guard lock(t.mu);
  if (!t.responded && !t.done) return reply(c, Val::none());
  if (f->taken) return reply(c, Val::some(Val::err()));
  f->taken = true;
  if (!t.responded) return reply(c, Val::some(ok(err(error_code(t.error, t.detail)))));
  auto r = std::make_unique<IncomingResponseObj>();
  r->status = t.status;
  r->headers = std::move(t.response_headers);
  r->body = std::move(f->reader);  // from now on the response and its body keep the transfer going
  return reply(c, Val::some(ok(ok(c.own(std::move(r))))));
}

TrapResult<void> incoming_response_status(Call& c) {
  auto* r = c.arg<IncomingResponseObj>(0);
  if (!r) return std::unexpected(bad_handle("incoming-response"));
  return reply(c, Val::u16(r->status));
}

TrapResult<void> incoming_response_headers(Call& c) {
  auto* r = c.arg<IncomingResponseObj>(0);
  if (!r) return std::unexpected(bad_handle("incoming-response"));
  return reply(c, fields_copy(c, r->headers, true));
}

TrapResult<void> incoming_response_consume(Call& c) {
  auto* r = c.arg<IncomingResponseObj>(0);
  if (!r) return std::unexpected(bad_handle("incoming-response"));
  if (r->consumed) return reply(c, Val::err());
  r->consumed = true;
  auto b = std::make_unique<IncomingBodyObj>();
  b->body = std::move(r->body);
  return reply(c, ok(c.own(std::move(b))));
}

TrapResult<void> incoming_body_stream(Call& c) {
  auto* b = c.arg<IncomingBodyObj>(0);
  if (!b) return std::unexpected(bad_handle("incoming-body"));
  if (b->stream_taken) return reply(c, Val::err());
  b->stream_taken = true;
  auto s = std::make_unique<InputStreamObj>(InputStreamObj::What::kHttpBody);
  s->http_body = b->body;
  return reply(c, ok(c.own(std::move(s))));
}

TrapResult<Val> response_body_read(Call& c, ResponseBody& body, uint64_t len, bool blocking, bool skip) {
  Transfer& t = *body.transfer;
  for (;;) {
    {
      std::lock_guard lock(t.mu);
      if (const size_t have = t.buffered(); have > 0) {
        const size_t n = size_t(std::min<uint64_t>(len, have));
        Val v = skip ? Val::u64(n)
                     : bytes_val(reinterpret_cast<const uint8_t*>(t.body_buffer.data() + t.body_head), n);
        t.body_head += n;
        if (t.buffered() == 0) {
          t.body_buffer.clear();
          t.body_head = 0;
          if (!t.done) lower(t.body_event);
        }
        t.room.notify_all();
        return ok(std::move(v));
      }
      if (t.done) {
        // The body ended early (the connection broke, a timeout): the read after the last byte says so
        // (the stream is closed after it).
        if (!t.error.empty()) {
          auto e = std::make_unique<ErrorObj>(
              "the response body was cut short: " + t.error + (t.detail.empty() ? "" : " (" + t.detail + ")"),
              nullptr);
          e->http_code = t.error;  // what wasi:http/types.http-error-code answers for it
          e->http_detail = t.detail;
          return err(Val::variant("last-operation-failed", c.own(std::move(e))));
        }
        return err(stream_error_closed());
      }
    }
    if (!blocking) return ok(skip ? Val::u64(0) : Val::list({}));
    // Nothing taken from the body in this call yet: a sliced call suspends here and the read runs again.
    AIRWASM_TRY(airwasm::internal::wait_fd_or_suspend(c.store, t.body_event->get(), POLLIN));
  }
}

SharedFd response_body_event(const ResponseBody& body) {
  return body.transfer->body_event;
}

TrapResult<void> http_error_code(Call& c) {
  auto* e = c.arg<ErrorObj>(0);
  if (!e) return std::unexpected(bad_handle("error"));
  if (e->http_code.empty()) return reply(c, Val::none());
  return reply(c, Val::some(error_code(e->http_code, e->http_detail)));
}

// incoming-body.finish: the guest is done with the body (read or not); its future-trailers resolves when
// the transfer is over. What the guest has not read of the body is thrown away as it arrives, so that the
// transfer reaches the trailers (the WIT forbids a live body stream here; one still held just sees the
// end of the body).
TrapResult<void> incoming_body_finish(Call& c) {
  auto b = c.consume<IncomingBodyObj>(0);
  if (!b) return std::unexpected(bad_handle("incoming-body"));
  auto f = std::make_unique<FutureTrailersObj>();
  if (b->body) {
    Transfer& t = *b->body->transfer;
    {
      std::lock_guard lock(t.mu);
      t.discard_body = true;
      t.body_buffer.clear();
      t.body_head = 0;
      if (!t.done) lower(t.body_event);  // nothing waits any more (a stream still held waits for the end)
    }
    t.room.notify_all();
    f->body = std::move(b->body);
  }
  return reply(c, c.own(std::move(f)));
}

TrapResult<void> future_trailers_subscribe(Call& c) {
  auto* f = c.arg<FutureTrailersObj>(0);
  if (!f) return std::unexpected(bad_handle("future-trailers"));
  if (!f->body) return reply(c, c.own(std::make_unique<PollableObj>(PollableObj::What::kReady)));
  auto p = std::make_unique<PollableObj>(PollableObj::What::kFdRead);
  p->fd = f->body->transfer->done_event;
  p->raw_fd = p->fd->get();
  return reply(c, c.own(std::move(p)));
}

TrapResult<void> future_trailers_get(Call& c) {
  auto* f = c.arg<FutureTrailersObj>(0);
  if (!f) return std::unexpected(bad_handle("future-trailers"));
  if (!f->body) {  // a body without a transfer (cannot happen from the client side): no trailers
    if (f->taken) return reply(c, Val::some(Val::err()));
    f->taken = true;
    return reply(c, Val::some(ok(ok(Val::none()))));
  }
  Transfer& t = *f->body->transfer;
  std::lock_guard lock(t.mu);
  if (!t.done) return reply(c, Val::none());
  if (f->taken) return reply(c, Val::some(Val::err()));
  f->taken = true;
  if (!t.error.empty()) return reply(c, Val::some(ok(err(error_code(t.error, t.detail)))));
  if (t.trailers.empty()) return reply(c, Val::some(ok(ok(Val::none()))));
  return reply(c, Val::some(ok(ok(Val::some(fields_copy(c, t.trailers, true))))));
}

Result<void> define_http_outgoing_handler(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs,
                {{"outgoing-request", Kind::kOutgoingRequest},
                 {"request-options", Kind::kRequestOptions},
                 {"future-incoming-response", Kind::kFutureIncomingResponse}});
}

}  // namespace airwasm::wasi::p2::internal
