// tools: the --timeout watchdog thread (see watchdog.hh).
#include "watchdog.hh"

namespace airwasm::cli {

Watchdog::Watchdog(InterruptHandle handle, std::chrono::nanoseconds timeout) {
  thread_ = std::thread([this, handle = std::move(handle), timeout] {
    std::unique_lock lock(mutex_);
    if (cv_.wait_for(lock, timeout, [this] { return stop_; })) return;
    fired_ = true;
    handle.interrupt();
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace airwasm::cli
