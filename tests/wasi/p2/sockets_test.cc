// tests/wasi/p2: wasi:sockets for real (label unit). wat/tcp_client.wat connects to a loopback server
// that this test starts (a thread: it answers "echo: " + what it read, then closes), sends a line and
// reads the answer. The network policy decides: denied by default (access-denied at
// create-tcp-socket), allowed with allow_network or with an allow-list naming the server's address,
// denied (at start-connect) by an allow-list naming another port. A guest blocked in a read on a socket
// stays interruptible, and a refused connection is reported as connection-refused. wat/udp_lookup.wat
// sends a datagram to a loopback UDP echo server and reads the answer (same policy), and resolves names
// (a permission of its own: allow_ip_name_lookup). wat/tcp_server.wat binds, listens and accepts a
// connection from the test. Run as a sliced call, a guest blocked in a socket read suspends instead of
// holding its thread, and says what it waits for (Store::blocked_on).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
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

// A loopback TCP server on an ephemeral port. `reply` false: it accepts and then stays silent until
// stopped (a guest reading from it blocks). With `hold`, it answers only once *hold is false.
class EchoServer {
 public:
  explicit EchoServer(bool reply = true, const std::atomic<bool>* hold = nullptr)
      : reply_(reply), hold_(hold) {}
  ~EchoServer() { stop_ = true; }
  uint16_t port() const { return listener_.port(); }
  int connections() const { return connections_; }

 private:
  void serve(int listen_fd) {
    while (!stop_) {
      const int c = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      ++connections_;
      if (reply_) {
        char buf[256];
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        while (hold_ && *hold_ && !stop_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const std::string out = "echo: " + std::string(buf, size_t(std::max<ssize_t>(n, 0)));
        (void)!::send(c, out.data(), out.size(), MSG_NOSIGNAL);
      } else {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      ::close(c);
    }
  }
  bool reply_;
  const std::atomic<bool>* hold_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  airwasm::testing::LoopbackListener listener_{[this](int fd) { serve(fd); }};
};

// Calls `func`(arg) of wat/`fixture`.wasm in a fresh Store under `config`; `interrupt_after` interrupts
// the call from another thread.
Outcome call(const char* fixture, const char* func, const WasiP2Config& config, Val arg,
             std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt) {
  P2Guest guest(fixture, config);
  if (!guest.ok()) return {};
  const Val args[] = {std::move(arg)};
  return outcome_of(guest.call(func, args, interrupt_after));
}

Outcome echo(const WasiP2Config& config, uint16_t port,
             std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt) {
  return call("tcp_client", "echo", config, Val::u16(port), interrupt_after);
}

// A loopback UDP server answering each datagram with "echo: " + its bytes.
class UdpEchoServer {
 public:
  UdpEchoServer() {
    fd_ = airwasm::testing::bind_loopback(SOCK_DGRAM, port_);
    thread_ = std::thread([this] {
      for (;;) {
        char buf[2048];
        sockaddr_in from{};
        socklen_t flen = sizeof from;
        const ssize_t n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &flen);
        if (n <= 0 || stop_) return;
        ++datagrams_;
        const std::string out = "echo: " + std::string(buf, size_t(n));
        ::sendto(fd_, out.data(), out.size(), 0, reinterpret_cast<sockaddr*>(&from), flen);
      }
    });
  }
  ~UdpEchoServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes recvfrom
    thread_.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }
  int datagrams() const { return datagrams_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> datagrams_{0};
  std::thread thread_;
};

constexpr uint32_t kInvalidArgument = 3, kAccessDenied = 1, kConnectionRefused = 14;

TEST(WasiP2Sockets, TcpDeniedByDefault) {
  EchoServer server;
  Outcome o = echo(WasiP2Config{}, server.port());
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_EQ(o.code, 1 * 256 + kAccessDenied);  // at create-tcp-socket
  EXPECT_EQ(server.connections(), 0);
}

TEST(WasiP2Sockets, TcpEchoWithInheritedNetwork) {
  EchoServer server;
  WasiP2Config config;
  config.allow_network = true;
  Outcome o = echo(config, server.port());
  EXPECT_FALSE(o.trapped) << o.trap;
  ASSERT_TRUE(o.text) << "error " << o.code;
  EXPECT_EQ(*o.text, "echo: hello from wasm");
  EXPECT_EQ(server.connections(), 1);
}

TEST(WasiP2Sockets, TcpEchoWithAllowList) {
  EchoServer server;
  WasiP2Config config;
  config.allowed_addresses = {"127.0.0.1:" + std::to_string(server.port())};
  Outcome o = echo(config, server.port());
  ASSERT_TRUE(o.text) << "error " << o.code << " " << o.trap;
  EXPECT_EQ(*o.text, "echo: hello from wasm");
  // An address without a port allows every port.
  config.allowed_addresses = {"127.0.0.1"};
  o = echo(config, server.port());
  ASSERT_TRUE(o.text) << "error " << o.code << " " << o.trap;
  EXPECT_EQ(server.connections(), 2);
}

TEST(WasiP2Sockets, TcpAllowListNamingAnotherAddressDenies) {
  EchoServer server;
  WasiP2Config config;
  config.allowed_addresses = {"127.0.0.1:" + std::to_string(server.port() == 65535 ? 1 : server.port() + 1),
                              "[::1]:" + std::to_string(server.port()), "127.0.0.2"};
  Outcome o = echo(config, server.port());
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_EQ(o.code, 2 * 256 + kAccessDenied);  // the socket exists; start-connect refuses the address
  EXPECT_EQ(server.connections(), 0);
}

TEST(WasiP2Sockets, BadAllowListEntriesAreRejected) {
  for (const char* bad : {"localhost", "127.0.0.1:0", "127.0.0.1:65536", "[::1", "1.2.3.4:x", "::1]:80"}) {
    WasiP2Config config;
    config.allowed_addresses = {bad};
    EXPECT_FALSE(WasiP2Context::create(config)) << bad;
  }
}

TEST(WasiP2Sockets, TcpConnectionRefused) {
  uint16_t port;
  {
    EchoServer closed;  // a port that was just free, and is closed again
    port = closed.port();
  }
  WasiP2Config config;
  config.allow_network = true;
  Outcome o = echo(config, port);
  EXPECT_FALSE(o.trapped) << o.trap;
  // Loopback may refuse at start-connect (stage 2) or report it at finish-connect (stage 3).
  EXPECT_EQ(o.code & 0xff, kConnectionRefused) << o.code;
  EXPECT_TRUE(o.code >> 8 == 2 || o.code >> 8 == 3) << o.code;
}

TEST(WasiP2Sockets, BlockedSocketReadIsInterruptible) {
  EchoServer silent(false);
  WasiP2Config config;
  config.allow_network = true;
  const auto t0 = std::chrono::steady_clock::now();
  Outcome o = echo(config, silent.port(), std::chrono::milliseconds(100));
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(o.trapped);
  EXPECT_NE(o.trap.find("interrupt"), std::string::npos) << o.trap;
  EXPECT_LT(took, std::chrono::seconds(10));
}

// Sliced, the same guest suspends where it would block in its read of the socket (the server holds its
// answer until then): the Store names the socket and POLLIN, the embedder waits for that itself, and the
// resumed call runs the read again and finishes with the answer.
TEST(WasiP2Sockets, SlicedCallBlockedInASocketReadSuspends) {
  std::atomic<bool> hold{true};
  EchoServer server(true, &hold);
  WasiP2Config config;
  config.allow_network = true;
  airwasm::EngineConfig engine_config;
  engine_config.consume_fuel = true;
  P2Guest guest("tcp_client", config, engine_config);
  ASSERT_TRUE(guest.ok());
  Store& store = guest.store;
  auto& inst = guest.instance;
  ASSERT_TRUE(store.set_fuel(1'000'000'000));
  // Should the read block the thread instead of suspending, the server answers after 5 s anyway, and the
  // test fails (no read wait seen) instead of hanging.
  std::thread watchdog([&hold] {
    for (int i = 0; i < 5000 && hold; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    hold = false;
  });
  const Val args[] = {Val::u16(server.port())};
  auto call = airwasm::component::SlicedCall::start(store, *inst->get_func(store, "echo"), args, 1'000'000);
  ASSERT_TRUE(call) << call.error().message();
  int read_waits = 0;
  while (!call->finished()) {
    if (const Store::BlockedOn* blocked = store.blocked_on()) {
      std::vector<pollfd> fds;
      for (const auto& f : blocked->fds) fds.push_back({f.fd, f.events, 0});
      ASSERT_FALSE(fds.empty());
      if (fds[0].events & POLLIN) {
        ++read_waits;
        hold = false;  // suspended in the read: now the server may answer
      }
      ASSERT_GT(::poll(fds.data(), nfds_t(fds.size()), 10'000), 0);  // the embedder's own wait
    }
    auto r = call->resume(store, 1'000'000);
    ASSERT_TRUE(r) << r.error().message();
  }
  watchdog.join();
  EXPECT_GE(read_waits, 1);
  auto results = call->take_results();
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].is_ok()) << results[0].to_string();
  EXPECT_EQ(results[0].payload()->as_string(), "echo: hello from wasm");
  EXPECT_EQ(store.blocked_on(), nullptr);
}

TEST(WasiP2Sockets, UdpDeniedByDefault) {
  UdpEchoServer server;
  Outcome o = call("udp_lookup", "udp", WasiP2Config{}, Val::u16(server.port()));
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_EQ(o.code, 1 * 256 + kAccessDenied);
  EXPECT_EQ(server.datagrams(), 0);
}

TEST(WasiP2Sockets, UdpDatagramRoundTrip) {
  UdpEchoServer server;
  WasiP2Config config;
  config.allow_network = true;
  Outcome o = call("udp_lookup", "udp", config, Val::u16(server.port()));
  ASSERT_TRUE(o.text) << "error " << o.code << " " << o.trap;
  EXPECT_EQ(*o.text, "echo: ping over udp");
  // The allow-list naming the server: the guest binds an ephemeral port on 127.0.0.1, then sends.
  config.allow_network = false;
  config.allowed_addresses = {"127.0.0.1:" + std::to_string(server.port())};
  o = call("udp_lookup", "udp", config, Val::u16(server.port()));
  ASSERT_TRUE(o.text) << "error " << o.code << " " << o.trap;
  EXPECT_EQ(server.datagrams(), 2);
}

TEST(WasiP2Sockets, UdpAllowListNamingAnotherPortDenies) {
  UdpEchoServer server;
  WasiP2Config config;
  config.allowed_addresses = {"127.0.0.1:" + std::to_string(server.port() == 65535 ? 1 : server.port() + 1)};
  Outcome o = call("udp_lookup", "udp", config, Val::u16(server.port()));
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_EQ(o.code, 4 * 256 + kAccessDenied);  // stream(remote) names an address not on the list
  EXPECT_EQ(server.datagrams(), 0);
}

TEST(WasiP2Sockets, NameLookupNeedsItsOwnPermission) {
  WasiP2Config config;
  config.allow_network = true;  // sockets, but not name lookup
  Outcome o = call("udp_lookup", "lookup", config, Val::string("localhost"));
  EXPECT_FALSE(o.trapped) << o.trap;
  EXPECT_EQ(o.code, 1 * 256 + kAccessDenied);
}

TEST(WasiP2Sockets, NameLookupResolvesOffTheGuestThread) {
  WasiP2Config config;
  config.allow_ip_name_lookup = true;
  // An IP literal and the loopback name (getaddrinfo; /etc/hosts), the first IPv4 address packed.
  for (const char* name : {"127.0.0.1", "localhost", "[127.0.0.1]"}) {
    Outcome o = call("udp_lookup", "lookup", config, Val::string(name));
    ASSERT_TRUE(o.text) << name << ": error " << o.code << " " << o.trap;
    EXPECT_EQ(*o.text, std::to_string(0x7f000001)) << name;
  }
  Outcome o = call("udp_lookup", "lookup", config, Val::string("::1"));
  ASSERT_TRUE(o.text) << "error " << o.code << " " << o.trap;
  EXPECT_EQ(*o.text, "0");  // IPv6 only
  for (const char* bad : {"", "a b", "bad\nname"}) {
    o = call("udp_lookup", "lookup", config, Val::string(bad));
    EXPECT_EQ(o.code, 1 * 256 + kInvalidArgument) << bad;
  }
}

// wat/tcp_server.wat listens on 127.0.0.1 (an ephemeral port, keep-alive on), then accepts one
// connection from this test, reads until the test shuts its side down, answers "echo: " + what it read
// and shuts its own sending side down.
TEST(WasiP2Sockets, TcpServerListensAndAccepts) {
  WasiP2Config config;
  config.allow_network = true;
  P2Guest guest("tcp_server", config);
  ASSERT_TRUE(guest.ok());
  Store& store = guest.store;
  auto& inst = guest.instance;
  auto listened = inst->get_func(store, "listen")->call(store, {});
  ASSERT_TRUE(listened) << listened.error().message();
  ASSERT_TRUE((*listened)[0].is_ok()) << "error " << (*listened)[0].payload()->as_u32();
  const uint16_t port = uint16_t((*listened)[0].payload()->as_u32());
  ASSERT_NE(port, 0);

  std::string answer;
  std::thread client([port, &answer] {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      const std::string hello = "hi from the host";
      (void)!::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL);
      ::shutdown(fd, SHUT_WR);
      char buf[256];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, size_t(n));
    }
    ::close(fd);
  });
  auto served = inst->get_func(store, "serve")->call(store, {});
  client.join();
  ASSERT_TRUE(served) << served.error().message();
  ASSERT_TRUE((*served)[0].is_ok()) << "error " << (*served)[0].payload()->as_u32();
  EXPECT_EQ((*served)[0].payload()->as_string(), "hi from the host");
  EXPECT_EQ(answer, "echo: hi from the host");
  // Denied by default: no socket at all.
  P2Guest denied("tcp_server", WasiP2Config{});
  ASSERT_TRUE(denied.ok());
  auto r = denied.func("listen").call(denied.store, {});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].payload()->as_u32(), 1 * 256 + kAccessDenied);
}

}  // namespace
