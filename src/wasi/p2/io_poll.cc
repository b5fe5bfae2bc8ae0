// wasi/p2: wasi:io/poll. A pollable is ready when its fd is (poll(2)), when its monotonic deadline has
// passed, or always (files, in-memory streams). `poll` waits for the first ready one with one wait over
// all fds, its timeout the nearest deadline; the wait is runtime/blocking.hh's, so interruption and the
// call's deadline stop a guest blocked here with the usual trap, and a sliced call suspends instead of
// waiting (the embedder waits for Store::blocked_on(), then resumes: poll runs again).
#include <poll.h>

#include <algorithm>

#include "runtime/blocking.hh"
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {

bool pollable_ready(const PollableObj& p) {
  switch (p.what) {
    case PollableObj::What::kReady:
      return true;
    case PollableObj::What::kDeadline:
      return monotonic_now_ns() >= p.deadline_ns;
    case PollableObj::What::kFdRead:
    case PollableObj::What::kFdWrite: {
      if (p.raw_fd < 0) return true;
      pollfd f{p.raw_fd, short(p.what == PollableObj::What::kFdRead ? POLLIN : POLLOUT), 0};
      return ::poll(&f, 1, 0) != 0;  // an error (or POLLNVAL/POLLHUP) counts as ready: the read reports it
    }
  }
  return true;
}

// Blocks until at least one of `ps` is ready (or the Store is interrupted: the trap).
TrapResult<void> pollables_wait(Store& store, std::span<PollableObj* const> ps) {
  for (;;) {
    std::vector<pollfd> fds;
    uint64_t deadline = UINT64_MAX;
    for (PollableObj* p : ps) {
      if (pollable_ready(*p)) return {};
      if (p->what == PollableObj::What::kDeadline) deadline = std::min(deadline, p->deadline_ns);
      if (p->what == PollableObj::What::kFdRead || p->what == PollableObj::What::kFdWrite)
        fds.push_back({p->raw_fd, short(p->what == PollableObj::What::kFdRead ? POLLIN : POLLOUT), 0});
    }
    std::optional<uint64_t> timeout;
    if (deadline != UINT64_MAX) {
      const uint64_t now = monotonic_now_ns();
      timeout = deadline > now ? deadline - now : 0;
    }
    if (fds.empty() && !timeout) return {};  // nothing could ever become ready: do not hang
    // Nothing has been done yet: a sliced call suspends here instead and poll/block run again on resume.
    AIRWASM_TRY(airwasm::internal::wait_or_suspend(store, fds, timeout));
  }
}

namespace {

TrapResult<void> ready(Call& c) {
  auto* p = c.arg<PollableObj>(0);
  if (!p) return std::unexpected(bad_handle("pollable"));
  c.ret(Val::boolean(pollable_ready(*p)));
  return {};
}

TrapResult<void> block(Call& c) {
  auto* p = c.arg<PollableObj>(0);
  if (!p) return std::unexpected(bad_handle("pollable"));
  PollableObj* one[] = {p};
  return pollables_wait(c.store, one);
}

TrapResult<void> poll(Call& c) {
  if (c.p.empty() || c.p[0].kind() != component::ValKind::kList)
    return std::unexpected(Trap(TrapCode::kHostError, "poll: bad argument"));
  std::vector<PollableObj*> ps;
  std::span<const Val> items = c.p[0].items();
  // The WIT says poll traps on an empty list (it could only wait forever).
  if (items.empty()) return std::unexpected(Trap(TrapCode::kHostError, "poll: empty list of pollables"));
  for (const Val& v : items) {
    if (v.kind() != component::ValKind::kBorrow) return std::unexpected(bad_handle("pollable"));
    auto rep = component::resource_rep(c.store, v.as_resource());
    Object* o = rep ? c.st.table.get(*rep, Kind::kPollable) : nullptr;
    if (!o) return std::unexpected(bad_handle("pollable"));
    ps.push_back(static_cast<PollableObj*>(o));
  }
  AIRWASM_TRY(pollables_wait(c.store, ps));
  std::vector<Val> out;
  for (size_t i = 0; i < ps.size(); ++i)
    if (pollable_ready(*ps[i])) out.push_back(Val::u32(uint32_t(i)));
  c.ret(Val::list(std::move(out)));
  return {};
}

constexpr FuncDef kFuncs[] = {
    {"[method]pollable.ready", ready},
    {"[method]pollable.block", block},
    {"poll", poll},
};

}  // namespace

Result<void> define_io_poll(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs, {{"pollable", Kind::kPollable}});
}

}  // namespace airwasm::wasi::p2::internal
