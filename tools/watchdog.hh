// tools: the --timeout watchdog. A thread that calls InterruptHandle::interrupt() once the duration has
// passed, unless it is destroyed first. Deliberately tiny: when the runtime's per-call deadline API lands,
// `airwasm run` swaps this for a deadline on the call and the file goes away.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "airwasm/store.hh"

namespace airwasm::cli {

class Watchdog {
 public:
  Watchdog(InterruptHandle handle, std::chrono::nanoseconds timeout);
  ~Watchdog();  // stops the thread without interrupting
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  bool fired() const { return fired_.load(); }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

}  // namespace airwasm::cli
