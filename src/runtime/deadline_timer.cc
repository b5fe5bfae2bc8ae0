// runtime: see deadline_timer.hh.
#include "runtime/deadline_timer.hh"

#include "runtime/internal.hh"

namespace airwasm::internal {

DeadlineTimer& DeadlineTimer::instance() {
  static DeadlineTimer timer;
  return timer;
}

DeadlineTimer::~DeadlineTimer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t DeadlineTimer::arm(const std::shared_ptr<InterruptState>& state, Clock::time_point when) {
  std::lock_guard lock(mutex_);
  const uint64_t ticket = next_ticket_++;
  {
    std::lock_guard state_lock(state->mutex);
    state->armed_ticket = ticket;
  }
  pending_.emplace(std::make_pair(when, ticket), state);
  by_ticket_.emplace(ticket, when);
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  wake_.notify_all();
  return ticket;
}

void DeadlineTimer::disarm(const std::shared_ptr<InterruptState>& state, uint64_t ticket) {
  {
    std::lock_guard lock(mutex_);
    auto it = by_ticket_.find(ticket);
    if (it != by_ticket_.end()) {
      pending_.erase(std::make_pair(it->second, ticket));
      by_ticket_.erase(it);
    }
  }
  std::lock_guard state_lock(state->mutex);
  if (state->armed_ticket == ticket) state->armed_ticket = 0;
  uint32_t reached = interp::kDeadlineReached;
  state->flag.compare_exchange_strong(reached, interp::kNoInterrupt);
}

void DeadlineTimer::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (pending_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = pending_.begin();
    const Clock::time_point when = first->first.first;
    if (Clock::now() < when) {
      wake_.wait_until(lock, when);
      continue;
    }
    const uint64_t ticket = first->first.second;
    std::shared_ptr<InterruptState> state = first->second.lock();
    by_ticket_.erase(ticket);
    pending_.erase(first);
    if (state) {
      std::lock_guard state_lock(state->mutex);
      if (state->armed_ticket == ticket) {
        uint32_t none = interp::kNoInterrupt;
        if (state->flag.compare_exchange_strong(none, interp::kDeadlineReached)) state->wake();
      }
    }
  }
}

}  // namespace airwasm::internal
