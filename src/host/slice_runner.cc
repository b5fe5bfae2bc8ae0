// airwasm plugin host (internal): SliceRunner and CallGate (slice_runner.hh).
#include "slice_runner.hh"

#include <algorithm>

namespace airwasm::host {

SliceRunner::SliceRunner(unsigned threads) {
  for (unsigned i = 0; i < std::max(threads, 1u); ++i) workers_.emplace_back([this] { work(); });
}

SliceRunner::~SliceRunner() {
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    // Parked tasks run now, to be told that the runner stops.
    for (auto& [when, task] : parked_) {
      task->parked_ = false;
      ready_.push_back(task);
    }
    parked_.clear();
    cv_.notify_all();
    // Tasks still queued at a gate are posted as the calls before them finish.
    all_done_.wait(lock, [&] { return admitted_ == 0; });
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void SliceRunner::admit() {
  std::lock_guard lock(mutex_);
  ++admitted_;
}

void SliceRunner::post(std::shared_ptr<SliceTask> task) {
  bool wake_one;
  {
    std::lock_guard lock(mutex_);
    ready_.push_back(std::move(task));
    // A busy worker takes the task when it comes back for the next one: waking costs a futex call per
    // task, which is most of a short call's cost when many are posted at once.
    wake_one = idle_ > 0;
  }
  if (wake_one) cv_.notify_one();
}

void SliceRunner::wake(const std::shared_ptr<SliceTask>& task) {
  {
    std::lock_guard lock(mutex_);
    if (!task->parked_) {
      task->wake_pending_ = true;  // running or queued: do not park at its next kPark
      return;
    }
    parked_.erase(task->park_at_);
    task->parked_ = false;
    ready_.push_back(task);
  }
  cv_.notify_one();  // rare (an interrupt): no need to spare the call
}

void SliceRunner::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Parked tasks whose time has come are ready again.
    const auto now = SliceTask::Clock::now();
    while (!parked_.empty() && parked_.begin()->first <= now) {
      auto task = parked_.begin()->second;
      task->parked_ = false;
      parked_.erase(parked_.begin());
      ready_.push_back(std::move(task));
    }
    if (ready_.empty()) {
      if (stopping_ && admitted_ == 0) return;
      ++idle_;
      if (parked_.empty()) {
        cv_.wait(lock);
      } else {
        // A copy: wait_until keeps reading its argument while the lock is released, and wake() may erase
        // the entry meanwhile.
        const SliceTask::Clock::time_point next = parked_.begin()->first;
        cv_.wait_until(lock, next);
      }
      --idle_;
      continue;
    }
    std::shared_ptr<SliceTask> task = std::move(ready_.front());
    ready_.pop_front();
    task->wake_pending_ = false;
    const bool stopping = stopping_;
    lock.unlock();
    SliceTask::Clock::time_point wake{};
    const SliceTask::Next next = task->run_slice(&wake, stopping);
    lock.lock();
    switch (next) {
      case SliceTask::Next::kAgain:
        ready_.push_back(std::move(task));
        break;
      case SliceTask::Next::kPark:
        if (stopping_ || task->wake_pending_) {
          task->wake_pending_ = false;
          ready_.push_back(std::move(task));
        } else {
          task->parked_ = true;
          task->park_at_ = parked_.emplace(wake, task);
          // Another worker may be sleeping until a later wake time.
          cv_.notify_one();
        }
        break;
      case SliceTask::Next::kDone:
        if (--admitted_ == 0) all_done_.notify_all();
        if (stopping_ && admitted_ == 0) cv_.notify_all();
        break;
    }
  }
}

void CallGate::lock() {
  std::unique_lock lock(mutex_);
  if (!busy_ && waiters_.empty()) {
    busy_ = true;
    return;
  }
  bool granted = false;
  waiters_.push_back(Waiter{nullptr, nullptr, &granted});
  cv_.wait(lock, [&] { return granted; });
}

void CallGate::unlock() {
  std::unique_lock lock(mutex_);
  if (waiters_.empty()) {
    busy_ = false;
    return;
  }
  // The gate passes straight to the next waiter (busy_ stays true).
  Waiter next = std::move(waiters_.front());
  waiters_.pop_front();
  if (next.task) {
    lock.unlock();
    next.runner->post(std::move(next.task));
    return;
  }
  *next.granted = true;
  cv_.notify_all();
}

bool CallGate::enter_or_queue(std::shared_ptr<SliceTask> task, SliceRunner& runner) {
  std::lock_guard lock(mutex_);
  if (!busy_ && waiters_.empty()) {
    busy_ = true;
    return true;
  }
  waiters_.push_back(Waiter{std::move(task), &runner, nullptr});
  return false;
}

}  // namespace airwasm::host
