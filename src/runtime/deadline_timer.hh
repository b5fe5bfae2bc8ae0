// runtime: one background thread that turns call deadlines into interrupt requests. A call with a timeout
// arms a ticket; when the ticket's time passes while the call still runs, the Store's interrupt flag is
// set to kDeadlineReached and the guest traps at its next check ("deadline exceeded").
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace airwasm::internal {

struct InterruptState;

class DeadlineTimer {
 public:
  using Clock = std::chrono::steady_clock;
  static DeadlineTimer& instance();
  ~DeadlineTimer();

  // Arms a deadline for the call currently running on `state`; returns its ticket.
  uint64_t arm(const std::shared_ptr<InterruptState>& state, Clock::time_point when);
  // Cancels a ticket and clears a deadline interrupt that fired but was not observed.
  void disarm(const std::shared_ptr<InterruptState>& state, uint64_t ticket);

 private:
  DeadlineTimer() = default;
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::pair<Clock::time_point, uint64_t>, std::weak_ptr<InterruptState>> pending_;
  std::map<uint64_t, Clock::time_point> by_ticket_;
  uint64_t next_ticket_ = 1;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace airwasm::internal
