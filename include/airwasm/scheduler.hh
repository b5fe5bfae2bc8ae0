// airwasm public API: asynchronous calls. A Scheduler owns a few worker threads that run many calls in
// fuel slices, round-robin, so a guest that spins cannot starve the others. spawn() returns a CallFuture.
// While a call is scheduled its Store belongs to the scheduler: the host must not use that Store until the
// future is ready. A Store is never run by two threads at once (each Store has at most one task, and a
// task is only ever in the run queue once).
// Each Store needs fuel (Store::set_fuel) for its calls: slices are taken from it; running out traps.
// A call whose host function would block and suspended instead (Store::suspend_and_retry) holds no worker:
// it waits until its Store::blocked_on() descriptors are ready or its time comes, then runs again.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "airwasm/extern.hh"
#include "airwasm/store.hh"

namespace airwasm {

namespace internal {
struct SchedulerImpl;
struct ScheduledTask;
}  // namespace internal

struct SchedulerConfig {
  size_t threads = 2;
  uint64_t slice_fuel = 10'000;  // fuel units a call runs before it goes to the back of the queue
};

class CallFuture {
 public:
  bool ready() const;
  void wait() const;
  bool wait_for(std::chrono::nanoseconds timeout) const;
  // Blocks until the call has finished, then returns its results or its trap.
  TrapResult<std::vector<Val>> get() const;
  // Stops the call: it finishes with the "interrupted" trap (promptly, even while running).
  void cancel() const;
  // Progress so far: fuel consumed by this call and number of slices run.
  uint64_t fuel_consumed() const;
  uint64_t slices() const;

  explicit CallFuture(std::shared_ptr<internal::ScheduledTask> task) : task_(std::move(task)) {}

 private:
  std::shared_ptr<internal::ScheduledTask> task_;
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerConfig config = {});
  ~Scheduler();  // cancels unfinished calls and joins the workers
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Schedules func(args) on `store`. A Store can have one scheduled call at a time.
  CallFuture spawn(std::shared_ptr<Store> store, Func func, std::vector<Val> args);
  // Number of calls not finished yet.
  size_t active() const;

 private:
  std::unique_ptr<internal::SchedulerImpl> impl_;
};

}  // namespace airwasm
