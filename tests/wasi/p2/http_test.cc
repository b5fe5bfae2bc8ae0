// tests/wasi/p2: the wasi:http client (libcurl) for real (label unit). wat/http_client.wat sends
// POST /echo?q=1 with a header and a body written after handle(), as fetch implementations do, to a
// loopback HTTP/1.1 server this test starts, and returns "STATUS BODY". Without allow_http the request
// is HTTP-request-denied and never leaves the host; a closed port is connection-refused; a request with
// no authority is HTTP-request-URI-invalid; a guest waiting for a response that never comes stays
// interruptible. HTTPS: the same request to a loopback HTTPS server (https_server.py, with a CA and a
// certificate made at test time by make_test_ca.sh) succeeds when WasiP2Config::http_ca_file names the
// CA, and is TLS-certificate-error (an error value, not a trap) when it does not. Streaming: a 64 MiB
// download reaches the guest as it arrives and a 64 MiB upload reaches the server as the guest writes
// it, each while the host's peak memory grows by far less than 64 MiB; an upload without content-length
// is sent chunked, one that is done before 1 MiB with its exact length. Trailers: those given to
// outgoing-body.finish follow the request's chunked body, and a chunked response's trailers reach the
// guest through incoming-body.finish and future-trailers, also when it finishes the body unread. Run as a
// sliced call, an upload suspends while the transfer's window is full, also part-way through a write.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"
#include "test_support.hh"

using airwasm::Engine;
using airwasm::Store;
using airwasm::component::Component;
using airwasm::component::Linker;
using airwasm::component::Val;
using airwasm::wasi::p2::WasiP2Config;
using airwasm::wasi::p2::WasiP2Context;

namespace {

using airwasm::testing::Outcome;
using airwasm::testing::outcome_of;
using airwasm::testing::P2Guest;
using airwasm::testing::read_file;

// A loopback HTTP/1.1 server: one request per connection, answered with what it saw (or, `silent`,
// never answered until the server stops).
class HttpServer {
 public:
  explicit HttpServer(bool silent = false) : silent_(silent) {}
  ~HttpServer() { stop_ = true; }
  std::string authority() const { return listener_.authority(); }
  int requests() const { return requests_; }

 private:
  static std::string header(const std::string& head, const std::string& name) {
    const size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const size_t from = at + name.size() + 4;
    return head.substr(from, head.find("\r\n", from) - from);
  }
  void serve(int listen_fd) {
    while (!stop_) {
      const int c = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::string in;
      char buf[4096];
      size_t end = std::string::npos;
      while ((end = in.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, size_t(n));
      }
      if (end != std::string::npos) {
        const std::string head = in.substr(0, end + 2);
        const size_t want = std::strtoul(header(head, "Content-Length").c_str(), nullptr, 10);
        std::string body = in.substr(end + 4);
        while (body.size() < want) {
          const ssize_t n = ::recv(c, buf, sizeof buf, 0);
          if (n <= 0) break;
          body.append(buf, size_t(n));
        }
        ++requests_;
        if (silent_) {
          while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        } else {
          const std::string line = head.substr(0, head.find("\r\n"));  // "POST /echo?q=1 HTTP/1.1"
          const std::string text = "you sent " + line.substr(0, line.rfind(' ')) +
                                   " x-airwasm=" + header(head, "x-airwasm") + " body=" + body;
          const std::string out = "HTTP/1.1 201 Created\r\nContent-Length: " + std::to_string(text.size()) +
                                  "\r\nConnection: close\r\n\r\n" + text;
          (void)!::send(c, out.data(), out.size(), MSG_NOSIGNAL);
        }
      }
      ::close(c);
    }
  }
  bool silent_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  airwasm::testing::LoopbackListener listener_{[this](int fd) { serve(fd); }};
};

// A loopback HTTPS server: https_server.py run by python3 with a certificate signed by a CA made for
// this test (make_test_ca.sh, openssl). Failing to start it fails the test.
class HttpsServer {
 public:
  HttpsServer() {
    char tmpl[] = "/tmp/airwasm-https-XXXXXX";
    if (!::mkdtemp(tmpl)) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    const std::string src = AIRWASM_P2_SRC;
    const std::string make = "sh '" + src + "/make_test_ca.sh' '" + dir_ + "'";
    if (std::system(make.c_str()) != 0) {
      ADD_FAILURE() << "make_test_ca.sh (openssl) failed";
      return;
    }
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    const std::string script = src + "/https_server.py", cert = dir_ + "/server.pem",
                      key = dir_ + "/server.key";
    const char* argv[] = {"python3", script.c_str(), cert.c_str(), key.c_str(), nullptr};
    if (::posix_spawnp(&pid_, "python3", &actions, nullptr, const_cast<char**>(argv), environ) != 0)
      pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    std::string line;
    char ch;
    while (pid_ > 0 && ::read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    ::close(out[0]);
    port_ = uint16_t(std::atoi(line.c_str()));
    EXPECT_NE(port_, 0) << "https_server.py did not start";
  }
  ~HttpsServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string ca_file() const { return dir_ + "/ca.pem"; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// A loopback HTTP/1.1 server that answers one request with `size` bytes (byte i is i mod 251), written in
// 64 KiB pieces from one pattern buffer, so that the server itself holds little. With `stop_after`, it
// sends only that many body bytes, then closes the connection (`Then::kClose`) or keeps it open without
// sending more until the server is destroyed (`Then::kStall`).
class DownloadServer {
 public:
  enum class Then { kClose, kStall };
  explicit DownloadServer(uint64_t size, std::optional<uint64_t> stop_after = std::nullopt,
                          Then then = Then::kClose)
      : size_(size), stop_after_(stop_after.value_or(size)), then_(then) {}
  ~DownloadServer() { stop_ = true; }
  std::string authority() const { return listener_.authority(); }

 private:
  void serve(int listen_fd) {
    const int c = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) return;
    std::string in;
    char buf[4096];
    while (in.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, size_t(n));
    }
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size_) + "\r\nConnection: close\r\n\r\n";
    (void)!::send(c, head.data(), head.size(), MSG_NOSIGNAL);
    constexpr size_t kPiece = 64 << 10;
    std::string pattern(kPiece + 251, '\0');
    for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = char(i % 251);
    for (uint64_t sent = 0; sent < stop_after_;) {
      const size_t n = size_t(std::min<uint64_t>(kPiece, stop_after_ - sent));
      const ssize_t w = ::send(c, pattern.data() + sent % 251, n, MSG_NOSIGNAL);
      if (w <= 0) break;
      sent += uint64_t(w);
    }
    if (then_ == Then::kStall)
      while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ::close(c);
  }
  uint64_t size_, stop_after_;
  Then then_;
  std::atomic<bool> stop_{false};
  airwasm::testing::LoopbackListener listener_{[this](int fd) { serve(fd); }};
};

// A loopback HTTP/1.1 server for one upload: reads the request body (by Content-Length, or chunked),
// checks that byte i is i mod 251, and answers 200 "got N bytes by length|chunked, pattern ok|bad".
// With `reject_after`, it reads no more than that many bytes of the request, then answers 413 and closes.
class UploadServer {
 public:
  explicit UploadServer(std::optional<size_t> reject_after = std::nullopt) : reject_after_(reject_after) {}
  std::string authority() const { return listener_.authority(); }

 private:
  // Buffered reading from the connection (the server keeps at most a little of the body).
  struct Conn {
    int fd;
    std::string buf;
    bool fill() {
      char tmp[65536];
      const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf.append(tmp, size_t(n));
      return true;
    }
    bool line(std::string& out) {  // up to CRLF
      size_t at;
      while ((at = buf.find("\r\n")) == std::string::npos)
        if (!fill()) return false;
      out = buf.substr(0, at);
      buf.erase(0, at + 2);
      return true;
    }
  };
  void serve(int listen_fd) {
    const int c = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) return;
    Conn in{c, {}};
    if (reject_after_) {
      while (in.buf.size() < *reject_after_ && in.fill()) {
      }
      const std::string no =
          "HTTP/1.1 413 Content Too Large\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno";
      (void)!::send(c, no.data(), no.size(), MSG_NOSIGNAL);
      ::close(c);
      return;
    }
    std::string l, head;
    while (in.line(l) && !l.empty()) head += l + "\n";
    for (char& ch : head) ch = char(std::tolower(uint8_t(ch)));  // header names are case-insensitive
    uint64_t got = 0;
    bool pattern_ok = true;
    auto take = [&](uint64_t n) {  // n body bytes
      while (n > 0) {
        if (in.buf.empty() && !in.fill()) return false;
        const size_t k = size_t(std::min<uint64_t>(n, in.buf.size()));
        for (size_t i = 0; i < k; ++i) pattern_ok = pattern_ok && uint8_t(in.buf[i]) == (got + i) % 251;
        in.buf.erase(0, k);
        got += k;
        n -= k;
      }
      return true;
    };
    const bool chunked = head.find("transfer-encoding: chunked") != std::string::npos;
    if (chunked) {
      while (in.line(l)) {
        const uint64_t n = std::strtoull(l.c_str(), nullptr, 16);
        if (n == 0 || !take(n) || !in.line(l)) break;  // each chunk ends with CRLF
      }
      in.line(l);  // the empty trailer section
    } else if (const size_t at = head.find("content-length: "); at != std::string::npos) {
      take(std::strtoull(head.c_str() + at + 16, nullptr, 10));
    }
    const std::string text = "got " + std::to_string(got) + " bytes " + (chunked ? "chunked" : "by length") +
                             ", pattern " + (pattern_ok ? "ok" : "bad");
    const std::string out = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(text.size()) +
                            "\r\nConnection: close\r\n\r\n" + text;
    (void)!::send(c, out.data(), out.size(), MSG_NOSIGNAL);
    ::close(c);
  }
  std::optional<size_t> reject_after_;
  airwasm::testing::LoopbackListener listener_{[this](int fd) { serve(fd); }};
};

Outcome fetch(const WasiP2Config& config, const std::string& authority,
              std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt,
              const char* export_name = "fetch") {
  P2Guest guest("http_client", config);
  if (!guest.ok()) return {};
  const Val args[] = {Val::string(authority)};
  return outcome_of(guest.call(export_name, args, interrupt_after));
}

// The error-code cases as http_client.wat declares them.
constexpr uint32_t kRequestDenied = 1, kConnectionRefused = 2, kUriInvalid = 3, kTlsCertificateError = 6;

TEST(WasiP2Http, DeniedByDefault) {
  HttpServer server;
  Outcome o = fetch(WasiP2Config{}, server.authority());
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_EQ(o.code, 1 * 256 + kRequestDenied);
  // The socket policy does not open HTTP.
  WasiP2Config config;
  config.allow_network = true;
  o = fetch(config, server.authority());
  EXPECT_EQ(o.code, 1 * 256 + kRequestDenied);
  EXPECT_EQ(server.requests(), 0);
}

TEST(WasiP2Http, PostWithHeaderAndBodyToALoopbackServer) {
  HttpServer server;
  WasiP2Config config;
  config.allow_http = true;
  Outcome o = fetch(config, server.authority());
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "201 you sent POST /echo?q=1 x-airwasm=yes body=ping");
  EXPECT_EQ(server.requests(), 1);
}

TEST(WasiP2Http, ErrorsAreErrorCodes) {
  uint16_t closed_port;
  {
    HttpServer gone;
    closed_port = uint16_t(std::stoi(gone.authority().substr(10)));
  }
  WasiP2Config config;
  config.allow_http = true;
  Outcome o = fetch(config, "127.0.0.1:" + std::to_string(closed_port));
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_EQ(o.code, 2 * 256 + kConnectionRefused);  // reported by the future, after the transfer ran
  o = fetch(config, "");
  EXPECT_EQ(o.code, 1 * 256 + kUriInvalid);  // refused by handle(): nothing to connect to
}

TEST(WasiP2Http, WaitingForAResponseIsInterruptible) {
  HttpServer silent(true);
  WasiP2Config config;
  config.allow_http = true;
  const auto t0 = std::chrono::steady_clock::now();
  Outcome o = fetch(config, silent.authority(), std::chrono::milliseconds(200));
  EXPECT_TRUE(o.trapped);
  EXPECT_NE(o.trap.find("interrupt"), std::string::npos) << o.trap;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

TEST(WasiP2Http, HttpsTrustsTheConfiguredCaFile) {
  HttpsServer server;
  WasiP2Config config;
  config.allow_http = true;
  config.http_ca_file = server.ca_file();
  Outcome o = fetch(config, server.authority(), std::nullopt, "fetch-https");
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "201 you sent POST /echo?q=1 x-airwasm=yes body=ping");
}

TEST(WasiP2Http, HttpsWithoutTheCaIsATlsCertificateError) {
  HttpsServer server;
  WasiP2Config config;
  config.allow_http = true;
  Outcome o = fetch(config, server.authority(), std::nullopt, "fetch-https");
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_FALSE(o.text) << *o.text;
  EXPECT_EQ(o.code, 2 * 256 + kTlsCertificateError);  // reported by the future, after the handshake
}

TEST(WasiP2Http, AnUnreadableCaFileIsAStartUpError) {
  WasiP2Config config;
  config.allow_http = true;
  config.http_ca_file = "/nonexistent/airwasm-ca.pem";
  auto ctx = WasiP2Context::create(config);
  ASSERT_FALSE(ctx);
  EXPECT_NE(ctx.error().message.find("cannot read the HTTP CA file '/nonexistent/airwasm-ca.pem'"),
            std::string::npos)
      << ctx.error().message;
  config.http_ca_file = "/tmp";
  ctx = WasiP2Context::create(config);
  ASSERT_FALSE(ctx);
  EXPECT_NE(ctx.error().message.find("Is a directory"), std::string::npos) << ctx.error().message;
}

// AddressSanitizer keeps freed memory in quarantine (256 MiB by default), so under it the peak RSS says
// nothing about what the host holds; the transfers still run and are checked, the RSS bound is not.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRssMeaningful = false;
#else
constexpr bool kRssMeaningful = true;
#endif

// The peak resident set size of this process, in bytes.
uint64_t peak_rss() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return uint64_t(u.ru_maxrss) * 1024;
}

TEST(WasiP2Http, ALargeDownloadIsStreamedNotBuffered) {
  constexpr uint64_t kSize = uint64_t(64) << 20;
  DownloadServer server(kSize);
  WasiP2Config config;
  config.allow_http = true;
  P2Guest guest("http_client", config);
  ASSERT_TRUE(guest.ok());
  Store& store = guest.store;
  auto& inst = guest.instance;
  const uint64_t before = peak_rss();
  const auto t0 = std::chrono::steady_clock::now();
  const Val args[] = {Val::string(server.authority())};
  auto r = inst->get_func(store, "download")->call(store, args);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_TRUE((*r)[0].is_ok()) << "error " << (*r)[0].payload()->as_u32();
  EXPECT_EQ((*r)[0].payload()->as_u64(), kSize);
  // Buffered, the body alone would be 64 MiB of host memory; streamed, the host holds a window of it.
  const uint64_t grown = peak_rss() - before;
  if (kRssMeaningful) {
    EXPECT_LT(grown, uint64_t(16) << 20) << "peak RSS grew by " << (grown >> 20) << " MiB";
  }
  std::printf("64 MiB download: %.2f s (%.0f MiB/s), peak RSS +%llu MiB\n", secs, 64 / secs,
              static_cast<unsigned long long>(grown >> 20));
}

// download() through the WAT client: ok(length) or err(code), or the trap.
Outcome download(const std::string& authority, std::optional<std::chrono::milliseconds> interrupt_after) {
  WasiP2Config config;
  config.allow_http = true;
  P2Guest guest("http_client", config);
  if (!guest.ok()) return {};
  const Val args[] = {Val::string(authority)};
  return outcome_of(guest.call("download", args, interrupt_after));
}

TEST(WasiP2Http, ABodyCutShortIsAStreamErrorNotTheEnd) {
  // The response says 1 MiB and the connection closes after 100 kB: the guest has the 100 kB, then a
  // last-operation-failed stream error, never a "closed" that would pass for the end, whose
  // http-error-code is HTTP-response-incomplete (the WAT's stage 5, case 7).
  DownloadServer server(1 << 20, 100'000);
  Outcome o = download(server.authority(), std::nullopt);
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_FALSE(o.text) << *o.text;
  EXPECT_EQ(o.code, 5 * 256 + 7u);
}

TEST(WasiP2Http, WaitingForBodyBytesIsInterruptible) {
  // Headers and 100 kB arrive, then nothing: the guest blocks in the stream's blocking-read.
  DownloadServer server(1 << 20, 100'000, DownloadServer::Then::kStall);
  const auto t0 = std::chrono::steady_clock::now();
  Outcome o = download(server.authority(), std::chrono::milliseconds(300));
  EXPECT_TRUE(o.trapped);
  EXPECT_NE(o.trap.find("interrupt"), std::string::npos) << o.trap;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

// upload() through the WAT client, with the peak RSS growth while it ran.
Outcome upload(const std::string& authority, const std::string& content_length, uint64_t size,
               uint64_t* rss_growth = nullptr) {
  WasiP2Config config;
  config.allow_http = true;
  P2Guest guest("http_client", config);
  if (!guest.ok()) return {};
  Store& store = guest.store;
  auto& inst = guest.instance;
  const uint64_t before = peak_rss();
  const Val args[] = {Val::string(authority), Val::string(content_length), Val::u64(size)};
  auto r = inst->get_func(store, "upload")->call(store, args);
  if (rss_growth) *rss_growth = peak_rss() - before;
  return outcome_of(r);
}

TEST(WasiP2Http, ALargeUploadIsStreamedNotBuffered) {
  constexpr uint64_t kSize = uint64_t(64) << 20;
  UploadServer server;
  uint64_t grown = 0;
  const auto t0 = std::chrono::steady_clock::now();
  Outcome o = upload(server.authority(), std::to_string(kSize), kSize, &grown);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "200 got 67108864 bytes by length, pattern ok");
  if (kRssMeaningful) {
    EXPECT_LT(grown, uint64_t(16) << 20) << "peak RSS grew by " << (grown >> 20) << " MiB";
  }
  std::printf("64 MiB upload: %.2f s (%.0f MiB/s), peak RSS +%llu MiB\n", secs, 64 / secs,
              static_cast<unsigned long long>(grown >> 20));
}

// The same upload as a sliced call: a write that finds the transfer's window full suspends the call,
// also when part of its 4 KiB went in (the window's last bytes), and its run again goes on from there:
// the server checks that every byte arrived once, in order.
TEST(WasiP2Http, ASlicedUploadSuspendsForRoomAndSendsEveryByteOnce) {
  UploadServer server;
  WasiP2Config config;
  config.allow_http = true;
  airwasm::EngineConfig engine_config;
  engine_config.consume_fuel = true;
  P2Guest guest("http_client", config, engine_config);
  ASSERT_TRUE(guest.ok());
  Store& store = guest.store;
  ASSERT_TRUE(store.set_fuel(UINT64_MAX >> 2));
  const Val args[] = {Val::string(server.authority()), Val::string(""), Val::u64(16 << 20)};
  auto call = airwasm::component::SlicedCall::start(store, guest.func("upload"), args, 1'000'000);
  ASSERT_TRUE(call) << call.error().message();
  int waits = 0;
  while (!call->finished()) {
    if (const Store::BlockedOn* blocked = store.blocked_on()) {
      std::vector<pollfd> fds;
      for (const auto& f : blocked->fds) fds.push_back({f.fd, f.events, 0});
      ASSERT_FALSE(fds.empty());
      ++waits;
      ASSERT_GT(::poll(fds.data(), nfds_t(fds.size()), 10'000), 0);  // the embedder's own wait
    }
    auto r = call->resume(store, 1'000'000);
    ASSERT_TRUE(r) << r.error().message();
  }
  EXPECT_GE(waits, 1);
  std::printf("sliced 16 MiB upload: %d suspensions for room\n", waits);
  Outcome o = outcome_of(call->take_results());
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "200 got 16777216 bytes chunked, pattern ok");
}

TEST(WasiP2Http, AnUploadOfUnknownLengthIsSentChunked) {
  UploadServer server;
  Outcome o = upload(server.authority(), "", 3 << 20);
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "200 got 3145728 bytes chunked, pattern ok");
}

TEST(WasiP2Http, ABodyFinishedWithinTheWindowIsSentWithItsLength) {
  UploadServer server;
  Outcome o = upload(server.authority(), "", 100'000);
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "200 got 100000 bytes by length, pattern ok");
}

TEST(WasiP2Http, AServerThatStopsReadingDoesNotHangTheWriter) {
  // The server answers 413 and closes after 64 kB of a 16 MiB upload: the guest's writes, waiting for
  // room, must end (with an error) once the transfer is over, never wait forever.
  UploadServer server(64 << 10);
  const auto t0 = std::chrono::steady_clock::now();
  Outcome o = upload(server.authority(), "", 16 << 20);
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_FALSE(o.text) << *o.text;
  EXPECT_EQ(o.code, 1027u);  // the WAT's code for a failed write
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

// A loopback HTTP/1.1 server for one request with trailers: reads the request (a chunked body and the
// trailer section after it), then answers 200 with a chunked body "got BODY chunked|by length, trailers:
// LINES" followed by `pad` bytes of 'z', and the trailers x-reply: done and x-count: 2.
class TrailerServer {
 public:
  explicit TrailerServer(size_t pad = 0) : pad_(pad) {}
  std::string authority() const { return listener_.authority(); }

 private:
  void serve(int listen_fd) {
    const int c = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) return;
    std::string buf;
    auto line = [&](std::string& out) {  // up to CRLF
      size_t at;
      while ((at = buf.find("\r\n")) == std::string::npos) {
        char tmp[4096];
        const ssize_t n = ::recv(c, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf.append(tmp, size_t(n));
      }
      out = buf.substr(0, at);
      buf.erase(0, at + 2);
      return true;
    };
    std::string l, head, body, trailers;
    while (line(l) && !l.empty()) head += l + "\n";
    for (char& ch : head) ch = char(std::tolower(uint8_t(ch)));
    const bool chunked = head.find("transfer-encoding: chunked") != std::string::npos;
    if (chunked) {
      while (line(l)) {
        const size_t n = std::strtoul(l.c_str(), nullptr, 16);
        if (n == 0) break;
        while (buf.size() < n + 2) {
          char tmp[4096];
          const ssize_t got = ::recv(c, tmp, sizeof tmp, 0);
          if (got <= 0) break;
          buf.append(tmp, size_t(got));
        }
        body += buf.substr(0, n);
        buf.erase(0, std::min(buf.size(), n + 2));
      }
      while (line(l) && !l.empty()) trailers += (trailers.empty() ? "" : "; ") + l;
    } else if (const size_t at = head.find("content-length: "); at != std::string::npos) {
      const size_t n = std::strtoul(head.c_str() + at + 16, nullptr, 10);
      while (buf.size() < n) {
        char tmp[4096];
        const ssize_t got = ::recv(c, tmp, sizeof tmp, 0);
        if (got <= 0) break;
        buf.append(tmp, size_t(got));
      }
      body = buf.substr(0, n);
    }
    auto send_all = [&](const std::string& out) {
      return ::send(c, out.data(), out.size(), MSG_NOSIGNAL) == ssize_t(out.size());
    };
    auto chunk = [](const std::string& data) {
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", data.size());
      return size + data + "\r\n";
    };
    bool ok = send_all(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: x-reply, x-count\r\nConnection: "
        "close\r\n\r\n" +
        chunk("got " + body + (chunked ? " chunked" : " by length") + ", trailers: " + trailers));
    const std::string piece(64 << 10, 'z');
    for (size_t sent = 0; ok && sent < pad_; sent += piece.size())
      ok = send_all(chunk(piece.substr(0, std::min(piece.size(), pad_ - sent))));
    if (ok) send_all("0\r\nx-reply: done\r\nx-count: 2\r\n\r\n");
    ::close(c);
  }
  size_t pad_;
  airwasm::testing::LoopbackListener listener_{[this](int fd) { serve(fd); }};
};

Outcome trailers(const std::string& authority, bool read_body) {
  WasiP2Config config;
  config.allow_http = true;
  P2Guest guest("http_client", config);
  if (!guest.ok()) return {};
  const Val args[] = {Val::string(authority), Val::boolean(read_body)};
  // Interrupted after 20 s: a transfer that never reaches the trailers fails the test instead of hanging it.
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread watchdog([&, h = guest.store.interrupt_handle()] {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(20), [&] { return done; })) h.interrupt();
  });
  auto r = guest.call("trailers", args);
  {
    std::lock_guard lock(mu);
    done = true;
  }
  cv.notify_all();
  watchdog.join();
  return outcome_of(r);
}

TEST(WasiP2Http, TrailersAreSentAfterTheBodyAndReceivedAfterTheResponse) {
  TrailerServer server;
  Outcome o = trailers(server.authority(), true);
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  // The request's trailer made the body chunked (the guest gave no content-length).
  EXPECT_EQ(*o.text, "200 got ping chunked, trailers: x-checksum: abcd|x-reply=done|x-count=2");
}

TEST(WasiP2Http, TrailersArriveWhenTheBodyIsFinishedUnread) {
  // 3 MiB of body the guest never reads (three times what the host buffers): finishing the body throws
  // the rest away as it arrives, so the transfer reaches the trailers.
  TrailerServer server(3 << 20);
  Outcome o = trailers(server.authority(), false);
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "200 |x-reply=done|x-count=2");
}

}  // namespace
