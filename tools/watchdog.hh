// tools: the --timeout watchdog. A thread that calls InterruptHandle::interrupt() once the duration has
// passed, unless it is destroyed first. `airwasm run` gives its main call a per-call deadline
// (CallOptions::timeout); this covers what has no call options: instantiation running a start function.
// Deliberately tiny, so that it goes away once instantiation takes a deadline too.
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
