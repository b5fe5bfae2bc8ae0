// wasi/p2: wasi:sockets/ip-name-lookup. getaddrinfo can block for seconds and cannot be interrupted,
// so it never runs on the Store's thread: resolve-addresses starts a detached thread and returns at
// once; the thread fills a shared Lookup and signals an eventfd, which the stream's pollable watches
// (io_poll.cc's interruptible wait). If the guest drops the stream or is interrupted first, the thread
// finishes alone and the last reference frees the Lookup. The number of lookups in flight is bounded
// (a guest cannot make the host start threads without limit).
#include <netdb.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "wasi/p2/sockets.hh"

namespace airwasm::wasi::p2::internal {
namespace {

constexpr int kMaxInFlight = 16;
std::atomic<int> in_flight{0};

struct Lookup {
  std::mutex mu;
  bool done = false;
  const char* error = nullptr;  // a wasi:sockets error-code name
  std::vector<SockAddr> addresses;
  SharedFd event;  // readable once done
};

struct ResolveStreamObj : Object {
  static constexpr Kind kKind = Kind::kResolveAddressStream;
  ResolveStreamObj() : Object(kKind) {}
  std::shared_ptr<Lookup> lookup;
  size_t next = 0;
};

const char* code_from_gai(int rc) {
  switch (rc) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
      return "name-unresolvable";
    case EAI_AGAIN:
      return "temporary-resolver-failure";
    case EAI_FAIL:
      return "permanent-resolver-failure";
    case EAI_MEMORY:
      return "out-of-memory";
    default:
      return "unknown";
  }
}

void run_lookup(std::shared_ptr<Lookup> l, std::string name) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address, not one per socket type
  addrinfo* res = nullptr;
  const int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &res);
  {
    std::lock_guard lock(l->mu);
    if (rc != 0) {
      l->error = code_from_gai(rc);
    } else {
      for (addrinfo* a = res; a; a = a->ai_next) {
        if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
        SockAddr s;
        std::memcpy(&s.ss, a->ai_addr, a->ai_addrlen);
        s.len = a->ai_addrlen;
        l->addresses.push_back(s);
      }
      ::freeaddrinfo(res);
    }
    l->done = true;
  }
  const uint64_t one = 1;
  (void)!::write(l->event->get(), &one, sizeof one);
  --in_flight;
}

// A name getaddrinfo may see: a host name or an IP literal, no NUL or control characters, at most
// 253 bytes (DNS). "[::1]" is accepted as "::1", as wasmtime does.
std::optional<std::string> clean_name(std::string name) {
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
  if (name.empty() || name.size() > 253) return std::nullopt;
  for (char ch : name)
    if (uint8_t(ch) <= ' ' || ch == 0x7f || ch == '/' || ch == '%') return std::nullopt;
  return name;
}

TrapResult<void> resolve(Call& c) {
  if (!c.arg<NetworkObj>(0)) return std::unexpected(bad_handle("network"));
  if (!c.st.allow_ip_name_lookup) return reply(c, net_err("access-denied"));
  auto name = c.p.size() > 1 ? clean_name(c.p[1].as_string()) : std::nullopt;
  if (!name) return reply(c, net_err("invalid-argument"));
  const int efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0) return reply(c, net_err_errno(errno));
  auto l = std::make_shared<Lookup>();
  l->event = std::make_shared<wasi::internal::OwnedFd>(efd);
  if (++in_flight > kMaxInFlight) {
    --in_flight;
    return reply(c, net_err("temporary-resolver-failure"));
  }
  try {
    std::thread(run_lookup, l, std::move(*name)).detach();
  } catch (const std::system_error&) {
    --in_flight;
    return reply(c, net_err("temporary-resolver-failure"));
  }
  auto s = std::make_unique<ResolveStreamObj>();
  s->lookup = std::move(l);
  return reply(c, ok(c.own(std::move(s))));
}

TrapResult<void> next_address(Call& c) {
  auto* s = c.arg<ResolveStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("resolve-address-stream"));
  std::lock_guard lock(s->lookup->mu);
  if (!s->lookup->done) return reply(c, net_err("would-block"));
  if (s->lookup->error) return reply(c, net_err(s->lookup->error));
  if (s->next >= s->lookup->addresses.size()) return reply(c, ok(Val::none()));
  return reply(c, ok(Val::some(ip_address_to_val(s->lookup->addresses[s->next++]))));
}

TrapResult<void> subscribe(Call& c) {
  auto* s = c.arg<ResolveStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("resolve-address-stream"));
  auto p = std::make_unique<PollableObj>(PollableObj::What::kFdRead);
  p->fd = s->lookup->event;
  p->raw_fd = p->fd->get();
  return reply(c, c.own(std::move(p)));
}

constexpr FuncDef kLookup[] = {
    {"resolve-addresses", resolve},
    {"[method]resolve-address-stream.resolve-next-address", next_address},
    {"[method]resolve-address-stream.subscribe", subscribe},
};

}  // namespace

Result<void> define_sockets_lookup(component::Linker& l, const ContextGetter& g) {
  return define(l.instance(iface("wasi:sockets/ip-name-lookup")), g, kLookup,
                {{"network", Kind::kNetwork},
                 {"pollable", Kind::kPollable},
                 {"resolve-address-stream", Kind::kResolveAddressStream}});
}

}  // namespace airwasm::wasi::p2::internal
