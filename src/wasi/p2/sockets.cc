// wasi/p2: the wasi:sockets interfaces (network, instance-network, tcp, tcp-create-socket, udp,
// udp-create-socket, ip-name-lookup), one file: airwasm has no socket implementation yet, so every way
// to obtain a socket or a name lookup returns an error code (access-denied under the default policy,
// not-supported when the host allows the network), and the methods of sockets, which therefore can
// never exist, trap if reached through a forged handle. instance-network does hand out the network
// capability object, which the WIT makes infallible.
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {
namespace {

struct NetworkObj : Object {
  static constexpr Kind kKind = Kind::kNetwork;
  NetworkObj() : Object(kKind) {}
};

TrapResult<void> denied(Call& c) {
  return reply(c, err(Val::enumeration(c.st.allow_network ? "not-supported" : "access-denied")));
}
TrapResult<void> instance_network(Call& c) {
  return reply(c, c.own(std::make_unique<NetworkObj>()));
}
TrapResult<void> no_code(Call& c) {
  return reply(c, Val::none());
}

constexpr FuncDef kNetwork[] = {{"network-error-code", no_code}};
constexpr FuncDef kInstanceNetwork[] = {{"instance-network", instance_network}};
constexpr FuncDef kTcpCreate[] = {{"create-tcp-socket", denied}};
constexpr FuncDef kUdpCreate[] = {{"create-udp-socket", denied}};
constexpr FuncDef kLookup[] = {
    {"resolve-addresses", denied},
    {"[method]resolve-address-stream.resolve-next-address", unreachable_object},
    {"[method]resolve-address-stream.subscribe", unreachable_object},
};

const char* const kTcpMethods[] = {
    "start-bind",
    "finish-bind",
    "start-connect",
    "finish-connect",
    "start-listen",
    "finish-listen",
    "accept",
    "local-address",
    "remote-address",
    "is-listening",
    "address-family",
    "set-listen-backlog-size",
    "keep-alive-enabled",
    "set-keep-alive-enabled",
    "keep-alive-idle-time",
    "set-keep-alive-idle-time",
    "keep-alive-interval",
    "set-keep-alive-interval",
    "keep-alive-count",
    "set-keep-alive-count",
    "hop-limit",
    "set-hop-limit",
    "receive-buffer-size",
    "set-receive-buffer-size",
    "send-buffer-size",
    "set-send-buffer-size",
    "subscribe",
    "shutdown",
};
const char* const kUdpMethods[] = {
    "udp-socket.start-bind",
    "udp-socket.finish-bind",
    "udp-socket.stream",
    "udp-socket.local-address",
    "udp-socket.remote-address",
    "udp-socket.address-family",
    "udp-socket.unicast-hop-limit",
    "udp-socket.set-unicast-hop-limit",
    "udp-socket.receive-buffer-size",
    "udp-socket.set-receive-buffer-size",
    "udp-socket.send-buffer-size",
    "udp-socket.set-send-buffer-size",
    "udp-socket.subscribe",
    "incoming-datagram-stream.receive",
    "incoming-datagram-stream.subscribe",
    "outgoing-datagram-stream.check-send",
    "outgoing-datagram-stream.send",
    "outgoing-datagram-stream.subscribe",
};

}  // namespace

Result<void> define_sockets(component::Linker& l, const ContextGetter& g) {
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/network")), g, kNetwork,
                     {{"network", Kind::kNetwork}, {"error", Kind::kError}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/instance-network")), g, kInstanceNetwork,
                     {{"network", Kind::kNetwork}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/tcp-create-socket")), g, kTcpCreate,
                     {{"network", Kind::kNetwork}, {"tcp-socket", Kind::kTcpSocket}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/udp-create-socket")), g, kUdpCreate,
                     {{"network", Kind::kNetwork}, {"udp-socket", Kind::kUdpSocket}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/ip-name-lookup")), g, kLookup,
                     {{"network", Kind::kNetwork},
                      {"pollable", Kind::kPollable},
                      {"resolve-address-stream", Kind::kResolveAddressStream}}));
  std::vector<std::string> names;
  std::vector<FuncDef> tcp, udp;
  for (const char* m : kTcpMethods) names.push_back(std::string("[method]tcp-socket.") + m);
  const size_t tcp_count = names.size();
  for (const char* m : kUdpMethods) names.push_back(std::string("[method]") + m);
  for (size_t i = 0; i < names.size(); ++i)
    (i < tcp_count ? tcp : udp).push_back({names[i].c_str(), unreachable_object});
  AIRWASM_TRY(define(l.instance(iface("wasi:sockets/tcp")), g, tcp,
                     {{"network", Kind::kNetwork},
                      {"pollable", Kind::kPollable},
                      {"input-stream", Kind::kInputStream},
                      {"output-stream", Kind::kOutputStream},
                      {"tcp-socket", Kind::kTcpSocket}}));
  return define(l.instance(iface("wasi:sockets/udp")), g, udp,
                {{"network", Kind::kNetwork},
                 {"pollable", Kind::kPollable},
                 {"udp-socket", Kind::kUdpSocket},
                 {"incoming-datagram-stream", Kind::kIncomingDatagramStream},
                 {"outgoing-datagram-stream", Kind::kOutgoingDatagramStream}});
}

}  // namespace airwasm::wasi::p2::internal
