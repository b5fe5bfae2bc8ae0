// wasi/p2: wasi:sockets/network and instance-network (the network capability, network-error-code), and
// the helpers of sockets.hh: address conversions, errno mapping, and the network policy.
// The policy is checked on every address a guest names (bind, connect, send), not only at socket
// creation, so an allow-list of "127.0.0.1:8080" lets a guest reach that one service and nothing else.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "wasi/p2/sockets.hh"

namespace airwasm::wasi::p2::internal {

uint16_t SockAddr::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port);
  return 0;
}

bool SockAddr::is_unspecified() const {
  if (family() == AF_INET) return reinterpret_cast<const sockaddr_in&>(ss).sin_addr.s_addr == 0;
  if (family() == AF_INET6)
    return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr);
  return true;
}

bool SockAddr::is_multicast_or_broadcast() const {
  if (family() == AF_INET) {
    const uint32_t a = ntohl(reinterpret_cast<const sockaddr_in&>(ss).sin_addr.s_addr);
    return (a >> 28) == 0xe || a == 0xffffffffu;
  }
  if (family() == AF_INET6)
    return IN6_IS_ADDR_MULTICAST(&reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr);
  return false;
}

namespace {

bool all_kind(std::span<const Val> items, component::ValKind k, size_t n) {
  if (items.size() != n) return false;
  for (const Val& v : items)
    if (v.kind() != k) return false;
  return true;
}

}  // namespace

std::optional<SockAddr> sockaddr_from_val(const Val& v) {
  if (v.kind() != component::ValKind::kVariant || !v.payload()) return std::nullopt;
  const Val& rec = *v.payload();
  std::span<const Val> f = rec.items();
  SockAddr a;
  if (v.case_name() == "ipv4") {
    if (f.size() != 2 || f[0].kind() != component::ValKind::kU16 ||
        !all_kind(f[1].items(), component::ValKind::kU8, 4))
      return std::nullopt;
    auto& in = reinterpret_cast<sockaddr_in&>(a.ss);
    in.sin_family = AF_INET;
    in.sin_port = htons(f[0].as_u16());
    uint8_t b[4];
    for (size_t i = 0; i < 4; ++i) b[i] = f[1].items()[i].as_u8();
    std::memcpy(&in.sin_addr, b, 4);
    a.len = sizeof(sockaddr_in);
    return a;
  }
  if (v.case_name() == "ipv6") {
    // record ipv6-socket-address { port, flow-info, address, scope-id }
    if (f.size() != 4 || f[0].kind() != component::ValKind::kU16 ||
        !all_kind(f[2].items(), component::ValKind::kU16, 8))
      return std::nullopt;
    auto& in6 = reinterpret_cast<sockaddr_in6&>(a.ss);
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(f[0].as_u16());
    in6.sin6_flowinfo = htonl(f[1].as_u32());
    for (size_t i = 0; i < 8; ++i) {
      const uint16_t w = f[2].items()[i].as_u16();
      in6.sin6_addr.s6_addr[2 * i] = uint8_t(w >> 8);
      in6.sin6_addr.s6_addr[2 * i + 1] = uint8_t(w);
    }
    in6.sin6_scope_id = f[3].as_u32();
    a.len = sizeof(sockaddr_in6);
    return a;
  }
  return std::nullopt;
}

namespace {

Val ipv4_tuple(const sockaddr_in& in) {
  const auto* b = reinterpret_cast<const uint8_t*>(&in.sin_addr);
  return Val::tuple({Val::u8(b[0]), Val::u8(b[1]), Val::u8(b[2]), Val::u8(b[3])});
}
Val ipv6_tuple(const sockaddr_in6& in6) {
  std::vector<Val> w;
  for (size_t i = 0; i < 8; ++i)
    w.push_back(Val::u16(uint16_t(in6.sin6_addr.s6_addr[2 * i] << 8 | in6.sin6_addr.s6_addr[2 * i + 1])));
  return Val::tuple(std::move(w));
}

}  // namespace

Val sockaddr_to_val(const SockAddr& a) {
  if (a.family() == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(a.ss);
    return Val::variant("ipv4",
                        Val::record({{"port", Val::u16(ntohs(in.sin_port))}, {"address", ipv4_tuple(in)}}));
  }
  const auto& in6 = reinterpret_cast<const sockaddr_in6&>(a.ss);
  return Val::variant("ipv6", Val::record({{"port", Val::u16(ntohs(in6.sin6_port))},
                                           {"flow-info", Val::u32(ntohl(in6.sin6_flowinfo))},
                                           {"address", ipv6_tuple(in6)},
                                           {"scope-id", Val::u32(in6.sin6_scope_id)}}));
}

Val ip_address_to_val(const SockAddr& a) {
  if (a.family() == AF_INET)
    return Val::variant("ipv4", ipv4_tuple(reinterpret_cast<const sockaddr_in&>(a.ss)));
  return Val::variant("ipv6", ipv6_tuple(reinterpret_cast<const sockaddr_in6&>(a.ss)));
}

int family_from_val(const Val& v) {
  if (v.kind() != component::ValKind::kEnum) return 0;
  if (v.case_name() == "ipv4") return AF_INET;
  if (v.case_name() == "ipv6") return AF_INET6;
  return 0;
}
Val family_to_val(int family) {
  return Val::enumeration(family == AF_INET6 ? "ipv6" : "ipv4");
}

const char* net_code_from_errno(int e) {
  switch (e) {
    case EACCES:
    case EPERM:
      return "access-denied";
    case EAFNOSUPPORT:
    case EOPNOTSUPP:
    case EPROTONOSUPPORT:
      return "not-supported";
    case EINVAL:
    case EDESTADDRREQ:
      return "invalid-argument";
    case ENOMEM:
    case ENOBUFS:
      return "out-of-memory";
    case ETIMEDOUT:
      return "timeout";
    case EAGAIN:
    case EINPROGRESS:
      return "would-block";
    case EISCONN:
    case ENOTCONN:
    case EALREADY:
      return "invalid-state";
    case EMFILE:
    case ENFILE:
      return "new-socket-limit";
    case EADDRNOTAVAIL:
      return "address-not-bindable";
    case EADDRINUSE:
      return "address-in-use";
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ENETDOWN:
    case EHOSTDOWN:
      return "remote-unreachable";
    case ECONNREFUSED:
      return "connection-refused";
    case ECONNRESET:
    case EPIPE:
      return "connection-reset";
    case ECONNABORTED:
      return "connection-aborted";
    case EMSGSIZE:
      return "datagram-too-large";
    default:
      return "unknown";
  }
}

Val net_err(const char* code) {
  return err(Val::enumeration(code));
}
Val net_err_errno(int e) {
  return net_err(net_code_from_errno(e));
}

Val get_hop_limit(int fd, int family) {
  int v = 0;
  socklen_t len = sizeof v;
  const bool v6 = family == AF_INET6;
  if (::getsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL, &v, &len) != 0)
    return net_err_errno(errno);
  return ok(Val::u8(uint8_t(v)));
}

Val set_hop_limit(int fd, int family, uint8_t hops) {
  if (hops == 0) return net_err("invalid-argument");
  const int v = hops;
  const bool v6 = family == AF_INET6;
  if (::setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL, &v, sizeof v) != 0)
    return net_err_errno(errno);
  return ok();
}

Val get_buffer_size(int fd, int option) {
  int v = 0;
  socklen_t len = sizeof v;
  if (::getsockopt(fd, SOL_SOCKET, option, &v, &len) != 0) return net_err_errno(errno);
  return ok(Val::u64(uint64_t(v)));
}

Val set_buffer_size(int fd, int option, uint64_t bytes) {
  if (bytes == 0) return net_err("invalid-argument");
  const int v = int(std::min<uint64_t>(bytes, INT32_MAX));
  if (::setsockopt(fd, SOL_SOCKET, option, &v, sizeof v) != 0) return net_err_errno(errno);
  return ok();
}

bool net_enabled(const P2State& st) {
  return st.allow_network || !st.net_rules.empty();
}

bool net_address_allowed(const P2State& st, const SockAddr& a, bool bind) {
  if (st.allow_network) return true;
  for (const NetRule& r : st.net_rules) {
    if (r.family != a.family()) continue;
    if (r.port != 0 && r.port != a.port() && !(bind && a.port() == 0)) continue;
    const void* bytes =
        a.family() == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in&>(a.ss).sin_addr)
            : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6&>(a.ss).sin6_addr);
    if (std::memcmp(r.addr, bytes, a.family() == AF_INET ? 4 : 16) == 0) return true;
  }
  return false;
}

std::optional<NetRule> parse_net_rule(std::string_view text) {
  NetRule r;
  std::string host;
  std::string_view port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return std::nullopt;
      port = rest.substr(1);
    }
    r.family = AF_INET6;
  } else {
    const size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
      host = std::string(text);  // a bare IPv6 address
      r.family = AF_INET6;
    } else {
      host = std::string(text.substr(0, colon));
      if (colon != std::string_view::npos) port = text.substr(colon + 1);
      r.family = AF_INET;
    }
  }
  if (::inet_pton(r.family, host.c_str(), r.addr) != 1) return std::nullopt;
  if (!port.empty() || text.ends_with(":")) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535) return std::nullopt;
    r.port = uint16_t(p);
  }
  return r;
}

Val socket_stream_error(Call& c, int host_errno) {
  auto e = std::make_unique<ErrorObj>(std::string("socket: ") + std::strerror(host_errno), nullptr);
  e->net_code = net_code_from_errno(host_errno);
  return Val::variant("last-operation-failed", c.own(std::move(e)));
}

void prepare_socket(int fd, int family) {
  const int one = 1;
  if (family == AF_INET6) (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
}

namespace {

TrapResult<void> instance_network(Call& c) {
  return reply(c, c.own(std::make_unique<NetworkObj>()));
}

TrapResult<void> network_error_code(Call& c) {
  auto* e = c.arg<ErrorObj>(0);
  if (!e) return std::unexpected(bad_handle("error"));
  return reply(c, e->net_code ? Val::some(Val::enumeration(e->net_code)) : Val::none());
}

constexpr FuncDef kNetwork[] = {{"network-error-code", network_error_code}};
constexpr FuncDef kInstanceNetwork[] = {{"instance-network", instance_network}};

}  // namespace

Result<void> define_sockets_network(component::Linker& l, const ContextGetter& g) {
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/network")), g, kNetwork,
                     {{"network", Kind::kNetwork}, {"error", Kind::kError}}));
  return define(l.instance(iface("wasi:sockets/instance-network")), g, kInstanceNetwork,
                {{"network", Kind::kNetwork}});
}

}  // namespace airwasm::wasi::p2::internal
