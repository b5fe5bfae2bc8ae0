// wasi/p2: what the wasi:sockets interface files share: the network capability object, conversions
// between wasi:sockets/network's ip-socket-address values and host sockaddrs, the host-errno to
// error-code mapping, and the network policy check (WasiP2Config: allow_network / allowed_addresses).
// Every socket is a non-blocking host socket; a guest never waits in the host except through
// pollables (io_poll.cc) and the blocking stream calls, both of which go through runtime/blocking.hh.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>

#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {

struct NetworkObj : Object {
  static constexpr Kind kKind = Kind::kNetwork;
  NetworkObj() : Object(kKind) {}
};

// A host socket address, as wasi:sockets sees one.
struct SockAddr {
  sockaddr_storage ss{};
  socklen_t len = 0;
  int family() const { return ss.ss_family; }
  uint16_t port() const;
  bool is_unspecified() const;  // 0.0.0.0 / ::
  bool is_multicast_or_broadcast() const;
};

// ip-socket-address <-> SockAddr. The parse fails (nullopt) on a value of the wrong shape.
std::optional<SockAddr> sockaddr_from_val(const Val& v);
Val sockaddr_to_val(const SockAddr& a);
// ip-address (ip-name-lookup) from an address without port.
Val ip_address_to_val(const SockAddr& a);
// "ipv4" / "ipv6" <-> AF_INET / AF_INET6 (0 for another value).
int family_from_val(const Val& v);
Val family_to_val(int family);

// The wasi:sockets error-code for a host errno.
const char* net_code_from_errno(int e);
// err(error-code) for a code name.
Val net_err(const char* code);
Val net_err_errno(int e);

// May the guest create sockets at all (allow_network, or a non-empty allow-list)?
bool net_enabled(const P2State& st);
// May it bind, connect or send to `a`? An allow-list entry also lets the guest bind its address with
// port 0 (an ephemeral port, what a client does before sending), whatever the entry's port.
bool net_address_allowed(const P2State& st, const SockAddr& a, bool bind = false);

// A stream error for a failed socket read or write: last-operation-failed(error) whose error carries
// the wasi:sockets code (network-error-code reads it back).
Val socket_stream_error(Call& c, int host_errno);

// The socket options TCP and UDP sockets share, as the interfaces' results: ok(value) or err(error-code).
// A hop limit (unicast hops / TTL by family) and a buffer size (SO_RCVBUF / SO_SNDBUF) of 0 are
// invalid-argument; sizes are capped at INT32_MAX.
Val get_hop_limit(int fd, int family);
Val set_hop_limit(int fd, int family, uint8_t hops);
Val get_buffer_size(int fd, int option);
Val set_buffer_size(int fd, int option, uint64_t bytes);

// Sets the file status flags: non-blocking, and the socket options every guest socket gets.
void prepare_socket(int fd, int family);

}  // namespace airwasm::wasi::p2::internal
