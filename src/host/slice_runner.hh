// airwasm plugin host (internal): the scheduler of the engine's asynchronous calls, and the gate that
// serializes the calls into one component.
//
// SliceRunner runs SliceTasks on a few worker threads, one slice at a time, round-robin: a task that used
// up its slice goes to the back of the queue (so a spinning guest cannot starve the others), and a task
// that parks (a guest sleeping in host-services sleep-millis) leaves the workers altogether until its wake
// time or until someone wakes it (interrupt, shutdown). No worker thread is held by a parked call; that is
// the point of running calls sliced (component::SlicedCall) rather than on a thread each.
//
// CallGate is a per-component lock that a suspended task can keep across slices and threads (a std::mutex
// must be unlocked by the thread that locked it, and a worker must never block waiting for it). Blocking
// callers and tasks wait in one FIFO: a task that finds the gate taken is queued there and posted to the
// runner when the call before it ends, instead of blocking a worker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace airwasm::host {

class SliceRunner;

class SliceTask {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Next { kAgain, kPark, kDone };
  virtual ~SliceTask() = default;
  // Runs one slice on a worker thread. kPark: run again at *wake (or earlier, when woken). `stopping`:
  // the runner is shutting down, the task must finish now (kDone), failing its call.
  virtual Next run_slice(Clock::time_point* wake, bool stopping) = 0;

 private:
  friend class SliceRunner;
  bool parked_ = false;  // these under the runner's mutex
  bool wake_pending_ = false;
  std::multimap<Clock::time_point, std::shared_ptr<SliceTask>>::iterator park_at_;
};

class SliceRunner {
 public:
  explicit SliceRunner(unsigned threads);
  // Stops: parked tasks are woken and every task still admitted runs until it is done (told `stopping`).
  ~SliceRunner();
  SliceRunner(const SliceRunner&) = delete;
  SliceRunner& operator=(const SliceRunner&) = delete;

  // A task exists that will be posted (now or once its gate opens): the destructor waits for it.
  void admit();
  // Queues a ready task (admitted before).
  void post(std::shared_ptr<SliceTask> task);
  // Runs a parked task now (no effect on a task that is not parked; a task woken while it runs is not
  // parked at its next kPark).
  void wake(const std::shared_ptr<SliceTask>& task);

 private:
  void work();
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<SliceTask>> ready_;
  std::multimap<SliceTask::Clock::time_point, std::shared_ptr<SliceTask>> parked_;
  size_t admitted_ = 0;  // tasks not done yet
  size_t idle_ = 0;      // workers waiting for work (post() wakes one only if there is one)
  bool stopping_ = false;
  std::condition_variable all_done_;
  std::vector<std::thread> workers_;
};

// One call at a time into a component, in arrival order, for blocking callers (lock/unlock, usable with
// std::lock_guard) and for tasks (enter_or_queue, then leave from whichever thread finishes the task).
class CallGate {
 public:
  void lock();
  void unlock();
  // Takes the gate for `task` and returns true, or queues the task (it is posted to `runner` when the gate
  // passes to it) and returns false.
  bool enter_or_queue(std::shared_ptr<SliceTask> task, SliceRunner& runner);

 private:
  struct Waiter {
    std::shared_ptr<SliceTask> task;  // null: a blocking caller
    SliceRunner* runner = nullptr;
    bool* granted = nullptr;  // a blocking caller's flag
  };
  std::mutex mutex_;
  std::condition_variable cv_;
  bool busy_ = false;
  std::deque<Waiter> waiters_;
};

}  // namespace airwasm::host
