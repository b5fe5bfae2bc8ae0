// wasi/p2: wasi:sockets/udp-create-socket and udp. A udp-socket is a non-blocking host socket; after
// bind, stream() gives an incoming and an outgoing datagram stream (connected to one remote address
// when the guest names one). receive and send never wait: the guest waits on their pollables
// (io_poll.cc). Every address bound, connected or sent to passes the network policy.
#include <poll.h>

#include <cerrno>
#include <cstring>

#include "wasi/p2/sockets.hh"

namespace airwasm::wasi::p2::internal {
namespace {

constexpr uint64_t kMaxBatch = 64;          // datagrams per receive / send call
constexpr size_t kMaxDatagram = 64 * 1024;  // the largest UDP payload

struct UdpState {
  bool connected = false;
  SockAddr remote;
};

struct UdpSocketObj : Object {
  static constexpr Kind kKind = Kind::kUdpSocket;
  enum class State : uint8_t { kUnbound, kBindStarted, kBound };
  UdpSocketObj(SharedFd f, int fam) : Object(kKind), fd(std::move(f)), family(fam) {}
  SharedFd fd;
  int family;
  State state = State::kUnbound;
  std::shared_ptr<UdpState> conn = std::make_shared<UdpState>();
};

struct IncomingObj : Object {
  static constexpr Kind kKind = Kind::kIncomingDatagramStream;
  IncomingObj() : Object(kKind) {}
  SharedFd fd;
};

struct OutgoingObj : Object {
  static constexpr Kind kKind = Kind::kOutgoingDatagramStream;
  OutgoingObj() : Object(kKind) {}
  SharedFd fd;
  int family = AF_INET;
  std::shared_ptr<UdpState> conn;
};

#define AIRWASM_UDP(var)              \
  auto* var = c.arg<UdpSocketObj>(0); \
  if (!var) return std::unexpected(bad_handle("udp-socket"));

TrapResult<void> create(Call& c) {
  const int family = c.p.empty() ? 0 : family_from_val(c.p[0]);
  if (!family) return reply(c, net_err("invalid-argument"));
  if (!net_enabled(c.st)) return reply(c, net_err("access-denied"));
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return reply(c, net_err_errno(errno));
  prepare_socket(fd, family);
  return reply(
      c, ok(c.own(std::make_unique<UdpSocketObj>(std::make_shared<wasi::internal::OwnedFd>(fd), family))));
}

TrapResult<void> start_bind(Call& c) {
  AIRWASM_UDP(s);
  if (!c.arg<NetworkObj>(1)) return std::unexpected(bad_handle("network"));
  if (s->state != UdpSocketObj::State::kUnbound) return reply(c, net_err("invalid-state"));
  auto a = c.p.size() > 2 ? sockaddr_from_val(c.p[2]) : std::nullopt;
  if (!a || a->family() != s->family || a->is_multicast_or_broadcast())
    return reply(c, net_err("invalid-argument"));
  if (!net_address_allowed(c.st, *a, true)) return reply(c, net_err("access-denied"));
  if (::bind(s->fd->get(), reinterpret_cast<const sockaddr*>(&a->ss), a->len) != 0)
    return reply(c, net_err_errno(errno));
  s->state = UdpSocketObj::State::kBindStarted;
  return reply(c, ok());
}

TrapResult<void> finish_bind(Call& c) {
  AIRWASM_UDP(s);
  if (s->state != UdpSocketObj::State::kBindStarted) return reply(c, net_err("not-in-progress"));
  s->state = UdpSocketObj::State::kBound;
  return reply(c, ok());
}

// A remote address the guest may send to: not unspecified, port not 0, the socket's family, allowed.
const char* check_remote(const P2State& st, const SockAddr& a, int family) {
  if (a.family() != family || a.port() == 0 || a.is_unspecified()) return "invalid-argument";
  if (!net_address_allowed(st, a)) return "access-denied";
  return nullptr;
}

TrapResult<void> stream(Call& c) {
  AIRWASM_UDP(s);
  if (s->state != UdpSocketObj::State::kBound) return reply(c, net_err("invalid-state"));
  const int fd = s->fd->get();
  // Each call replaces the previous streams' connection (the WIT: earlier streams keep working on the
  // socket, but with the new remote address); a fresh UdpState detaches the old outgoing stream.
  s->conn = std::make_shared<UdpState>();
  if (c.p.size() > 1 && c.p[1].is_some()) {
    auto a = sockaddr_from_val(*c.p[1].payload());
    if (!a) return reply(c, net_err("invalid-argument"));
    if (const char* e = check_remote(c.st, *a, s->family)) return reply(c, net_err(e));
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&a->ss), a->len) != 0)
      return reply(c, net_err_errno(errno));
    s->conn->connected = true;
    s->conn->remote = *a;
  } else {
    sockaddr unspec{};
    unspec.sa_family = AF_UNSPEC;
    (void)::connect(fd, &unspec, sizeof unspec);  // dissolves an earlier association, if any
  }
  auto in = std::make_unique<IncomingObj>();
  in->fd = s->fd;
  auto out = std::make_unique<OutgoingObj>();
  out->fd = s->fd;
  out->family = s->family;
  out->conn = s->conn;
  Val vin = c.own(std::move(in));
  Val vout = c.own(std::move(out));
  return reply(c, ok(Val::tuple({std::move(vin), std::move(vout)})));
}

TrapResult<void> address(Call& c, bool remote) {
  AIRWASM_UDP(s);
  if (remote ? !s->conn->connected : s->state != UdpSocketObj::State::kBound)
    return reply(c, net_err("invalid-state"));
  SockAddr a;
  a.len = sizeof a.ss;
  const int rc = remote ? ::getpeername(s->fd->get(), reinterpret_cast<sockaddr*>(&a.ss), &a.len)
                        : ::getsockname(s->fd->get(), reinterpret_cast<sockaddr*>(&a.ss), &a.len);
  if (rc != 0) return reply(c, net_err_errno(errno));
  return reply(c, ok(sockaddr_to_val(a)));
}
TrapResult<void> local_address(Call& c) {
  return address(c, false);
}
TrapResult<void> remote_address(Call& c) {
  return address(c, true);
}
TrapResult<void> address_family(Call& c) {
  AIRWASM_UDP(s);
  return reply(c, family_to_val(s->family));
}

TrapResult<void> hop_limit(Call& c) {
  AIRWASM_UDP(s);
  return reply(c, get_hop_limit(s->fd->get(), s->family));
}
TrapResult<void> set_hop_limit(Call& c) {
  AIRWASM_UDP(s);
  return reply(c, internal::set_hop_limit(s->fd->get(), s->family, c.p.size() > 1 ? c.p[1].as_u8() : 0));
}

template <int Option>
TrapResult<void> buffer_size(Call& c) {
  AIRWASM_UDP(s);
  return reply(c, get_buffer_size(s->fd->get(), Option));
}
template <int Option>
TrapResult<void> set_buffer_size(Call& c) {
  AIRWASM_UDP(s);
  return reply(c, internal::set_buffer_size(s->fd->get(), Option, c.p.size() > 1 ? c.p[1].as_u64() : 0));
}

Val pollable_on(Call& c, const SharedFd& fd, PollableObj::What what) {
  auto p = std::make_unique<PollableObj>(what);
  p->fd = fd;
  p->raw_fd = fd->get();
  return c.own(std::move(p));
}

TrapResult<void> socket_subscribe(Call& c) {
  AIRWASM_UDP(s);
  return reply(c, c.own(std::make_unique<PollableObj>(PollableObj::What::kReady)));
}

TrapResult<void> receive(Call& c) {
  auto* in = c.arg<IncomingObj>(0);
  if (!in) return std::unexpected(bad_handle("incoming-datagram-stream"));
  const uint64_t max = std::min<uint64_t>(c.p.size() > 1 ? c.p[1].as_u64() : 0, kMaxBatch);
  std::vector<Val> out;
  std::vector<uint8_t> buf(kMaxDatagram);
  while (out.size() < max) {
    SockAddr from;
    from.len = sizeof from.ss;
    ssize_t n;
    do {
      n = ::recvfrom(in->fd->get(), buf.data(), buf.size(), MSG_DONTWAIT,
                     reinterpret_cast<sockaddr*>(&from.ss), &from.len);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (out.empty()) return reply(c, net_err_errno(errno));
      break;
    }
    out.push_back(
        Val::record({{"data", bytes_val(buf.data(), size_t(n))}, {"remote-address", sockaddr_to_val(from)}}));
  }
  return reply(c, ok(Val::list(std::move(out))));
}

TrapResult<void> incoming_subscribe(Call& c) {
  auto* in = c.arg<IncomingObj>(0);
  if (!in) return std::unexpected(bad_handle("incoming-datagram-stream"));
  return reply(c, pollable_on(c, in->fd, PollableObj::What::kFdRead));
}

TrapResult<void> check_send(Call& c) {
  if (!c.arg<OutgoingObj>(0)) return std::unexpected(bad_handle("outgoing-datagram-stream"));
  return reply(c, ok(Val::u64(kMaxBatch)));
}

TrapResult<void> send(Call& c) {
  auto* o = c.arg<OutgoingObj>(0);
  if (!o) return std::unexpected(bad_handle("outgoing-datagram-stream"));
  if (c.p.size() < 2 || c.p[1].kind() != component::ValKind::kList)
    return std::unexpected(Trap(TrapCode::kHostError, "send: bad datagrams"));
  std::span<const Val> dgrams = c.p[1].items();
  if (dgrams.size() > kMaxBatch)
    return std::unexpected(Trap(TrapCode::kHostError, "send: more datagrams than check-send permits"));
  uint64_t sent = 0;
  std::string data;
  for (const Val& d : dgrams) {
    std::span<const Val> f = d.items();  // record outgoing-datagram { data, remote-address }
    if (f.size() != 2 || !bytes_arg(f[0], data))
      return std::unexpected(Trap(TrapCode::kHostError, "send: bad datagram"));
    const char* fail = nullptr;
    int e = 0;
    ssize_t n = -1;
    if (f[1].is_some()) {
      auto a = sockaddr_from_val(*f[1].payload());
      if (!a) {
        fail = "invalid-argument";
      } else if (o->conn->connected) {
        // A connected stream may only name its own remote address.
        const SockAddr& r = o->conn->remote;
        if (a->len != r.len || std::memcmp(&a->ss, &r.ss, a->len) != 0) fail = "invalid-argument";
      } else {
        fail = check_remote(c.st, *a, o->family);
      }
      if (!fail) {
        do {
          n = o->conn->connected
                  ? ::send(o->fd->get(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL)
                  : ::sendto(o->fd->get(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&a->ss), a->len);
        } while (n < 0 && errno == EINTR);
        e = errno;
      }
    } else if (!o->conn->connected) {
      fail = "invalid-argument";
    } else {
      do {
        n = ::send(o->fd->get(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      } while (n < 0 && errno == EINTR);
      e = errno;
    }
    if (!fail && n < 0) {
      if ((e == EAGAIN || e == EWOULDBLOCK) && sent > 0) break;
      fail = net_code_from_errno(e);
    }
    if (fail) {
      if (sent > 0) break;  // the WIT: report the datagrams sent before the first failure
      return reply(c, net_err(fail));
    }
    ++sent;
  }
  return reply(c, ok(Val::u64(sent)));
}

TrapResult<void> outgoing_subscribe(Call& c) {
  auto* o = c.arg<OutgoingObj>(0);
  if (!o) return std::unexpected(bad_handle("outgoing-datagram-stream"));
  return reply(c, pollable_on(c, o->fd, PollableObj::What::kFdWrite));
}

constexpr FuncDef kCreate[] = {{"create-udp-socket", create}};
constexpr FuncDef kUdp[] = {
    {"[method]udp-socket.start-bind", start_bind},
    {"[method]udp-socket.finish-bind", finish_bind},
    {"[method]udp-socket.stream", stream},
    {"[method]udp-socket.local-address", local_address},
    {"[method]udp-socket.remote-address", remote_address},
    {"[method]udp-socket.address-family", address_family},
    {"[method]udp-socket.unicast-hop-limit", hop_limit},
    {"[method]udp-socket.set-unicast-hop-limit", set_hop_limit},
    {"[method]udp-socket.receive-buffer-size", buffer_size<SO_RCVBUF>},
    {"[method]udp-socket.set-receive-buffer-size", set_buffer_size<SO_RCVBUF>},
    {"[method]udp-socket.send-buffer-size", buffer_size<SO_SNDBUF>},
    {"[method]udp-socket.set-send-buffer-size", set_buffer_size<SO_SNDBUF>},
    {"[method]udp-socket.subscribe", socket_subscribe},
    {"[method]incoming-datagram-stream.receive", receive},
    {"[method]incoming-datagram-stream.subscribe", incoming_subscribe},
    {"[method]outgoing-datagram-stream.check-send", check_send},
    {"[method]outgoing-datagram-stream.send", send},
    {"[method]outgoing-datagram-stream.subscribe", outgoing_subscribe},
};

}  // namespace

Result<void> define_sockets_udp(component::Linker& l, const ContextGetter& g) {
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/udp-create-socket")), g, kCreate,
                     {{"network", Kind::kNetwork}, {"udp-socket", Kind::kUdpSocket}}));
  return define(l.instance(iface("wasi:sockets/udp")), g, kUdp,
                {{"network", Kind::kNetwork},
                 {"pollable", Kind::kPollable},
                 {"udp-socket", Kind::kUdpSocket},
                 {"incoming-datagram-stream", Kind::kIncomingDatagramStream},
                 {"outgoing-datagram-stream", Kind::kOutgoingDatagramStream}});
}

}  // namespace airwasm::wasi::p2::internal
