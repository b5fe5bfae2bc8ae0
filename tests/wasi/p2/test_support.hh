// tests/wasi/p2: what the WASI 0.2 gtests share: reading a fixture file, a WAT fixture instantiated with
// WASI 0.2 in a Store of its own (P2Guest), and a loopback listening socket on an ephemeral port for the
// servers the socket and HTTP tests start.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"

namespace airwasm::testing {

inline std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// What a call of a WAT client export gave: a trap, ok(text) (a string, or a number as decimal text), or
// err(code) (the fixtures encode the failing stage and the error-code index as stage * 256 + index).
struct Outcome {
  bool trapped = false;
  std::string trap;
  std::optional<std::string> text;
  uint32_t code = 0;
};
inline Outcome outcome_of(const airwasm::TrapResult<std::vector<airwasm::component::Val>>& r) {
  using airwasm::component::ValKind;
  Outcome out;
  if (!r) {
    out.trapped = true;
    out.trap = r.error().message();
    return out;
  }
  const airwasm::component::Val& v = (*r)[0];
  if (!v.is_ok()) {
    out.code = v.payload()->as_u32();
    return out;
  }
  const airwasm::component::Val& ok = *v.payload();
  out.text = ok.kind() == ValKind::kString ? ok.as_string()
             : ok.kind() == ValKind::kU64  ? std::to_string(ok.as_u64())
                                           : std::to_string(ok.as_u32());
  return out;
}

// wat/`fixture`.wasm (AIRWASM_P2_WAT) compiled, linked with WASI 0.2 under `config` and instantiated in a
// Store of its own. Failures fail the test (EXPECT) and leave `instance` empty: check ok().
struct P2Guest {
  P2Guest(const std::string& fixture, const airwasm::wasi::p2::WasiP2Config& config,
          const airwasm::EngineConfig& engine_config = {})
      : engine(engine_config), store(engine) {
    auto c = airwasm::component::Component::compile(
        engine, read_file(std::string(AIRWASM_P2_WAT) + "/" + fixture + ".wasm"));
    EXPECT_TRUE(c) << c.error().to_string();
    auto created = airwasm::wasi::p2::WasiP2Context::create(config);
    EXPECT_TRUE(created) << created.error().message;
    if (!c || !created) return;
    ctx.emplace(std::move(*created));
    airwasm::component::Linker linker(engine);
    EXPECT_TRUE(airwasm::wasi::p2::add_to_linker(linker, *ctx));
    auto inst = linker.instantiate(store, *c);
    EXPECT_TRUE(inst) << inst.error().to_string();
    if (inst) instance = *inst;
  }
  bool ok() const { return instance.has_value(); }
  airwasm::component::Func func(const char* name) { return *instance->get_func(store, name); }
  // Calls export `name`; with `interrupt_after`, another thread interrupts the Store after that long.
  airwasm::TrapResult<std::vector<airwasm::component::Val>> call(
      const char* name, std::span<const airwasm::component::Val> args,
      std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt) {
    std::thread interrupter;
    if (interrupt_after) {
      interrupter = std::thread([h = store.interrupt_handle(), d = *interrupt_after] {
        std::this_thread::sleep_for(d);
        h.interrupt();
      });
    }
    auto r = func(name).call(store, args);
    if (interrupter.joinable()) interrupter.join();
    return r;
  }

  airwasm::Engine engine;
  std::optional<airwasm::wasi::p2::WasiP2Context> ctx;  // outlives the Store's calls (declared before it)
  airwasm::Store store;
  std::optional<airwasm::component::Instance> instance;
};

// A socket of `type` (SOCK_STREAM, SOCK_DGRAM) bound to 127.0.0.1 at a port the kernel picks; `port` gets
// it. Failures fail the test.
inline int bind_loopback(int type, uint16_t& port) {
  const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

// A TCP socket listening on 127.0.0.1 (bind_loopback).
inline int listen_on_loopback(uint16_t& port) {
  const int fd = bind_loopback(SOCK_STREAM, port);
  EXPECT_EQ(::listen(fd, 8), 0);
  return fd;
}

// A TCP listener on 127.0.0.1 served by a thread: `serve(listen_fd)` runs until the destructor shuts the
// listener down (accept then fails) and joins it. A test server holds one as its last member, so that the
// thread starts after, and stops before, the state it serves from.
class LoopbackListener {
 public:
  explicit LoopbackListener(std::function<void(int)> serve) : fd_(listen_on_loopback(port_)) {
    thread_ = std::thread([this, serve = std::move(serve)] { serve(fd_); });
  }
  ~LoopbackListener() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;
  uint16_t port() const { return port_; }
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  uint16_t port_ = 0;  // before fd_: listen_on_loopback sets it
  int fd_;
  std::thread thread_;
};

}  // namespace airwasm::testing
