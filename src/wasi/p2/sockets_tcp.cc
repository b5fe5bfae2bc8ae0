// wasi/p2: wasi:sockets/tcp-create-socket and tcp. A tcp-socket is a non-blocking host socket with the
// WIT's state machine (unbound -> bind-started -> bound -> listen-started -> listening, or
// -> connecting -> connected, or closed after a failed connect). start-* does the host call, finish-*
// reports its outcome: finish-connect answers would-block until the socket is writable, which the
// guest waits for on subscribe()'s pollable (io_poll.cc, interruptible). A connected socket gives one
// input and one output stream over the same fd (io_streams.cc: recv/send, never blocking the Store's
// thread uninterruptibly). Every address the guest binds or connects to passes the network policy.
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/p2/sockets.hh"

namespace airwasm::wasi::p2::internal {
namespace {

struct TcpSocketObj : Object {
  static constexpr Kind kKind = Kind::kTcpSocket;
  enum class State : uint8_t {
    kUnbound,
    kBindStarted,
    kBound,
    kListenStarted,
    kListening,
    kConnecting,
    kConnected,
    kClosed,
  };
  TcpSocketObj(SharedFd f, int fam, State s) : Object(kKind), fd(std::move(f)), family(fam), state(s) {}
  SharedFd fd;
  int family;
  State state;
  uint64_t backlog = 128;
};

int raw(const TcpSocketObj& s) {
  return s.fd->get();
}

// The input and output streams of a connected socket, as (own input-stream, own output-stream).
std::pair<Val, Val> streams(Call& c, const TcpSocketObj& s) {
  auto in = std::make_unique<InputStreamObj>(InputStreamObj::What::kSocket);
  in->fd = s.fd;
  auto out = std::make_unique<OutputStreamObj>(OutputStreamObj::What::kSocket);
  out->fd = s.fd;
  Val vin = c.own(std::move(in));
  Val vout = c.own(std::move(out));
  return {std::move(vin), std::move(vout)};
}

TrapResult<void> create(Call& c) {
  const int family = c.p.empty() ? 0 : family_from_val(c.p[0]);
  if (!family) return reply(c, net_err("invalid-argument"));
  if (!net_enabled(c.st)) return reply(c, net_err("access-denied"));
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return reply(c, net_err_errno(errno));
  prepare_socket(fd, family);
  auto shared = std::make_shared<wasi::internal::OwnedFd>(fd);
  return reply(
      c, ok(c.own(std::make_unique<TcpSocketObj>(std::move(shared), family, TcpSocketObj::State::kUnbound))));
}

#define AIRWASM_SOCKET(var)           \
  auto* var = c.arg<TcpSocketObj>(0); \
  if (!var) return std::unexpected(bad_handle("tcp-socket"));

// The address parameter `i`, checked against the socket's family and the policy; or the error reply.
std::optional<Val> check_address(Call& c, const TcpSocketObj& s, size_t i, SockAddr& out, bool remote) {
  if (!c.arg<NetworkObj>(1)) return net_err("invalid-argument");
  auto a = i < c.p.size() ? sockaddr_from_val(c.p[i]) : std::nullopt;
  if (!a || a->family() != s.family) return net_err("invalid-argument");
  if (remote && (a->port() == 0 || a->is_unspecified() || a->is_multicast_or_broadcast()))
    return net_err("invalid-argument");
  if (!remote && a->is_multicast_or_broadcast()) return net_err("invalid-argument");
  if (!net_address_allowed(c.st, *a, !remote)) return net_err("access-denied");
  out = *a;
  return std::nullopt;
}

TrapResult<void> start_bind(Call& c) {
  AIRWASM_SOCKET(s);
  if (!c.arg<NetworkObj>(1)) return std::unexpected(bad_handle("network"));
  if (s->state != TcpSocketObj::State::kUnbound) return reply(c, net_err("invalid-state"));
  SockAddr a;
  if (auto e = check_address(c, *s, 2, a, false)) return reply(c, std::move(*e));
  // As wasmtime: a listener can rebind a port that still has connections in TIME_WAIT.
  const int one = 1;
  (void)::setsockopt(raw(*s), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(raw(*s), reinterpret_cast<const sockaddr*>(&a.ss), a.len) != 0)
    return reply(c, net_err_errno(errno));
  s->state = TcpSocketObj::State::kBindStarted;
  return reply(c, ok());
}

TrapResult<void> finish_bind(Call& c) {
  AIRWASM_SOCKET(s);
  if (s->state != TcpSocketObj::State::kBindStarted) return reply(c, net_err("not-in-progress"));
  s->state = TcpSocketObj::State::kBound;
  return reply(c, ok());
}

TrapResult<void> start_connect(Call& c) {
  AIRWASM_SOCKET(s);
  if (!c.arg<NetworkObj>(1)) return std::unexpected(bad_handle("network"));
  if (s->state != TcpSocketObj::State::kUnbound && s->state != TcpSocketObj::State::kBound)
    return reply(c, net_err("invalid-state"));
  SockAddr a;
  if (auto e = check_address(c, *s, 2, a, true)) return reply(c, std::move(*e));
  int rc;
  do {
    rc = ::connect(raw(*s), reinterpret_cast<const sockaddr*>(&a.ss), a.len);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0 && errno != EINPROGRESS) {
    const int e = errno;
    s->state = TcpSocketObj::State::kClosed;
    return reply(c, net_err_errno(e));
  }
  s->state = TcpSocketObj::State::kConnecting;
  return reply(c, ok());
}

TrapResult<void> finish_connect(Call& c) {
  AIRWASM_SOCKET(s);
  if (s->state != TcpSocketObj::State::kConnecting) return reply(c, net_err("not-in-progress"));
  pollfd f{raw(*s), POLLOUT, 0};
  if (::poll(&f, 1, 0) == 0) return reply(c, net_err("would-block"));
  int e = 0;
  socklen_t len = sizeof e;
  if (::getsockopt(raw(*s), SOL_SOCKET, SO_ERROR, &e, &len) != 0) e = errno;
  if (e != 0) {
    s->state = TcpSocketObj::State::kClosed;
    return reply(c, net_err_errno(e));
  }
  s->state = TcpSocketObj::State::kConnected;
  auto [in, out] = streams(c, *s);
  return reply(c, ok(Val::tuple({std::move(in), std::move(out)})));
}

TrapResult<void> start_listen(Call& c) {
  AIRWASM_SOCKET(s);
  if (s->state != TcpSocketObj::State::kBound) return reply(c, net_err("invalid-state"));
  if (::listen(raw(*s), int(std::min<uint64_t>(s->backlog, SOMAXCONN))) != 0)
    return reply(c, net_err_errno(errno));
  s->state = TcpSocketObj::State::kListenStarted;
  return reply(c, ok());
}

TrapResult<void> finish_listen(Call& c) {
  AIRWASM_SOCKET(s);
  if (s->state != TcpSocketObj::State::kListenStarted) return reply(c, net_err("not-in-progress"));
  s->state = TcpSocketObj::State::kListening;
  return reply(c, ok());
}

TrapResult<void> accept(Call& c) {
  AIRWASM_SOCKET(s);
  if (s->state != TcpSocketObj::State::kListening) return reply(c, net_err("invalid-state"));
  int fd;
  do {
    fd = ::accept4(raw(*s), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return reply(c, net_err_errno(errno));
  auto conn = std::make_unique<TcpSocketObj>(std::make_shared<wasi::internal::OwnedFd>(fd), s->family,
                                             TcpSocketObj::State::kConnected);
  auto [in, out] = streams(c, *conn);
  Val sock = c.own(std::move(conn));
  return reply(c, ok(Val::tuple({std::move(sock), std::move(in), std::move(out)})));
}

TrapResult<void> address(Call& c, bool remote) {
  AIRWASM_SOCKET(s);
  using S = TcpSocketObj::State;
  if (remote ? s->state != S::kConnected : (s->state == S::kUnbound || s->state == S::kBindStarted))
    return reply(c, net_err("invalid-state"));
  SockAddr a;
  a.len = sizeof a.ss;
  const int rc = remote ? ::getpeername(raw(*s), reinterpret_cast<sockaddr*>(&a.ss), &a.len)
                        : ::getsockname(raw(*s), reinterpret_cast<sockaddr*>(&a.ss), &a.len);
  if (rc != 0) return reply(c, net_err_errno(errno));
  return reply(c, ok(sockaddr_to_val(a)));
}
TrapResult<void> local_address(Call& c) {
  return address(c, false);
}
TrapResult<void> remote_address(Call& c) {
  return address(c, true);
}

TrapResult<void> is_listening(Call& c) {
  AIRWASM_SOCKET(s);
  return reply(c, Val::boolean(s->state == TcpSocketObj::State::kListening));
}
TrapResult<void> address_family(Call& c) {
  AIRWASM_SOCKET(s);
  return reply(c, family_to_val(s->family));
}

TrapResult<void> set_backlog(Call& c) {
  AIRWASM_SOCKET(s);
  const uint64_t v = c.p.size() > 1 ? c.p[1].as_u64() : 0;
  if (v == 0) return reply(c, net_err("invalid-argument"));
  using S = TcpSocketObj::State;
  if (s->state == S::kConnecting || s->state == S::kConnected) return reply(c, net_err("invalid-state"));
  s->backlog = v;
  if (s->state == S::kListening && ::listen(raw(*s), int(std::min<uint64_t>(v, SOMAXCONN))) != 0)
    return reply(c, net_err_errno(errno));
  return reply(c, ok());
}

// Socket options: (level, name), how the WIT value maps to the host's int, and the smallest legal value.
struct Opt {
  int level, name;
  uint64_t scale;  // WIT value = host value * scale (durations are nanoseconds, the host's seconds)
  bool boolean;
};
constexpr Opt kKeepAlive{SOL_SOCKET, SO_KEEPALIVE, 1, true};
constexpr Opt kKeepIdle{IPPROTO_TCP, TCP_KEEPIDLE, 1'000'000'000, false};
constexpr Opt kKeepIntvl{IPPROTO_TCP, TCP_KEEPINTVL, 1'000'000'000, false};
constexpr Opt kKeepCnt{IPPROTO_TCP, TCP_KEEPCNT, 1, false};

template <const Opt& O, Val (*Make)(uint64_t)>
TrapResult<void> get_opt(Call& c) {
  AIRWASM_SOCKET(s);
  int v = 0;
  socklen_t len = sizeof v;
  if (::getsockopt(raw(*s), O.level, O.name, &v, &len) != 0) return reply(c, net_err_errno(errno));
  return reply(c, ok(Make(uint64_t(v) * O.scale)));
}

template <const Opt& O>
TrapResult<void> set_opt(Call& c) {
  AIRWASM_SOCKET(s);
  if (c.p.size() < 2) return std::unexpected(Trap(TrapCode::kHostError, "socket option: no value"));
  uint64_t v = O.boolean ? uint64_t(c.p[1].as_bool()) : c.p[1].as_unsigned();
  if (!O.boolean) {
    if (v == 0) return reply(c, net_err("invalid-argument"));
    v = std::max<uint64_t>(1, v / O.scale);  // a duration under a second rounds up to one
    v = std::min<uint64_t>(v, INT32_MAX);
  }
  const int iv = int(v);
  if (::setsockopt(raw(*s), O.level, O.name, &iv, sizeof iv) != 0) return reply(c, net_err_errno(errno));
  return reply(c, ok());
}

Val make_bool(uint64_t v) {
  return Val::boolean(v != 0);
}
Val make_u32(uint64_t v) {
  return Val::u32(uint32_t(v));
}
Val make_u64(uint64_t v) {
  return Val::u64(v);
}

TrapResult<void> hop_limit(Call& c) {
  AIRWASM_SOCKET(s);
  return reply(c, get_hop_limit(raw(*s), s->family));
}
TrapResult<void> set_hop_limit(Call& c) {
  AIRWASM_SOCKET(s);
  return reply(c, internal::set_hop_limit(raw(*s), s->family, c.p.size() > 1 ? c.p[1].as_u8() : 0));
}

template <int Option>
TrapResult<void> buffer_size(Call& c) {
  AIRWASM_SOCKET(s);
  return reply(c, get_buffer_size(raw(*s), Option));
}
template <int Option>
TrapResult<void> set_buffer_size(Call& c) {
  AIRWASM_SOCKET(s);
  return reply(c, internal::set_buffer_size(raw(*s), Option, c.p.size() > 1 ? c.p[1].as_u64() : 0));
}

TrapResult<void> subscribe(Call& c) {
  AIRWASM_SOCKET(s);
  std::unique_ptr<PollableObj> p;
  if (s->state == TcpSocketObj::State::kConnecting) {
    p = std::make_unique<PollableObj>(PollableObj::What::kFdWrite);
  } else if (s->state == TcpSocketObj::State::kListening) {
    p = std::make_unique<PollableObj>(PollableObj::What::kFdRead);
  } else {
    p = std::make_unique<PollableObj>(PollableObj::What::kReady);
  }
  if (p->what != PollableObj::What::kReady) {
    p->fd = s->fd;
    p->raw_fd = raw(*s);
  }
  return reply(c, c.own(std::move(p)));
}

TrapResult<void> shutdown(Call& c) {
  AIRWASM_SOCKET(s);
  if (s->state != TcpSocketObj::State::kConnected) return reply(c, net_err("invalid-state"));
  const std::string how = c.p.size() > 1 ? c.p[1].case_name() : "";
  const int h = how == "receive" ? SHUT_RD : how == "send" ? SHUT_WR : SHUT_RDWR;
  if (::shutdown(raw(*s), h) != 0) return reply(c, net_err_errno(errno));
  return reply(c, ok());
}

constexpr FuncDef kCreate[] = {{"create-tcp-socket", create}};
constexpr FuncDef kTcp[] = {
    {"[method]tcp-socket.start-bind", start_bind},
    {"[method]tcp-socket.finish-bind", finish_bind},
    {"[method]tcp-socket.start-connect", start_connect},
    {"[method]tcp-socket.finish-connect", finish_connect},
    {"[method]tcp-socket.start-listen", start_listen},
    {"[method]tcp-socket.finish-listen", finish_listen},
    {"[method]tcp-socket.accept", accept},
    {"[method]tcp-socket.local-address", local_address},
    {"[method]tcp-socket.remote-address", remote_address},
    {"[method]tcp-socket.is-listening", is_listening},
    {"[method]tcp-socket.address-family", address_family},
    {"[method]tcp-socket.set-listen-backlog-size", set_backlog},
    {"[method]tcp-socket.keep-alive-enabled", get_opt<kKeepAlive, make_bool>},
    {"[method]tcp-socket.set-keep-alive-enabled", set_opt<kKeepAlive>},
    {"[method]tcp-socket.keep-alive-idle-time", get_opt<kKeepIdle, make_u64>},
    {"[method]tcp-socket.set-keep-alive-idle-time", set_opt<kKeepIdle>},
    {"[method]tcp-socket.keep-alive-interval", get_opt<kKeepIntvl, make_u64>},
    {"[method]tcp-socket.set-keep-alive-interval", set_opt<kKeepIntvl>},
    {"[method]tcp-socket.keep-alive-count", get_opt<kKeepCnt, make_u32>},
    {"[method]tcp-socket.set-keep-alive-count", set_opt<kKeepCnt>},
    {"[method]tcp-socket.hop-limit", hop_limit},
    {"[method]tcp-socket.set-hop-limit", set_hop_limit},
    {"[method]tcp-socket.receive-buffer-size", buffer_size<SO_RCVBUF>},
    {"[method]tcp-socket.set-receive-buffer-size", set_buffer_size<SO_RCVBUF>},
    {"[method]tcp-socket.send-buffer-size", buffer_size<SO_SNDBUF>},
    {"[method]tcp-socket.set-send-buffer-size", set_buffer_size<SO_SNDBUF>},
    {"[method]tcp-socket.subscribe", subscribe},
    {"[method]tcp-socket.shutdown", shutdown},
};

}  // namespace

Result<void> define_sockets_tcp(component::Linker& l, const ContextGetter& g) {
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/tcp-create-socket")), g, kCreate,
                     {{"network", Kind::kNetwork}, {"tcp-socket", Kind::kTcpSocket}}));
  return define(l.instance(iface("wasi:sockets/tcp")), g, kTcp,
                {{"network", Kind::kNetwork},
                 {"pollable", Kind::kPollable},
                 {"input-stream", Kind::kInputStream},
                 {"output-stream", Kind::kOutputStream},
                 {"tcp-socket", Kind::kTcpSocket}});
}

}  // namespace airwasm::wasi::p2::internal
