// runtime: the round-robin slice scheduler behind Scheduler/CallFuture (see scheduler.hh).
// Workers pop a task from a FIFO queue, run one fuel slice of its SlicedCall, and push it back unless it
// finished; FIFO order over equal slices gives every call the same share of the workers.
// A call that suspended because a host function would block (Store::suspend_and_retry) waits in `waiting`
// instead, holding no worker: an idle worker polls the descriptors of all waiting calls (and an eventfd that
// new work, cancellation and shutdown write) until one is ready or its time has come, then queues it again.
#include "airwasm/scheduler.hh"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "airwasm/sliced.hh"
#include "runtime/internal.hh"

namespace airwasm {

namespace internal {

// Wakes the worker that polls for waiting calls (an eventfd; shared with the tasks, whose futures may
// cancel after the Scheduler is gone).
struct SchedulerWaker {
  int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  ~SchedulerWaker() {
    if (fd >= 0) ::close(fd);
  }
  void wake() const {
    const uint64_t one = 1;
    if (fd >= 0) {
      [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);  // EAGAIN: already signalled
    }
  }
  void drain() const {
    uint64_t v;
    while (fd >= 0 && ::read(fd, &v, sizeof v) > 0) {
    }
  }
};

struct ScheduledTask {
  std::shared_ptr<Store> store;
  Func func;
  std::vector<Val> args;
  std::optional<SlicedCall> call;
  std::atomic<bool> cancelled{false};
  std::atomic<uint64_t> fuel{0};
  std::atomic<uint64_t> slices{0};
  uint64_t fuel_at_start = 0;
  std::atomic<size_t>* active = nullptr;  // the scheduler's count of unfinished calls
  std::shared_ptr<SchedulerWaker> waker;

  mutable std::mutex mutex;
  mutable std::condition_variable done_cv;
  bool done = false;
  std::optional<TrapResult<std::vector<Val>>> result;

  ScheduledTask(std::shared_ptr<Store> s, Func f, std::vector<Val> a)
      : store(std::move(s)), func(f), args(std::move(a)) {}

  void finish(TrapResult<std::vector<Val>> r) {
    active->fetch_sub(1);  // before the future becomes ready, so active() is exact once it is
    {
      std::lock_guard lock(mutex);
      result = std::move(r);
      done = true;
    }
    done_cv.notify_all();
  }
};

struct SchedulerImpl {
  SchedulerConfig config;
  std::mutex mutex;
  std::condition_variable work_cv;
  std::deque<std::shared_ptr<ScheduledTask>> queue;
  std::vector<std::shared_ptr<ScheduledTask>> waiting;  // suspended until their Store::blocked_on() is met
  bool polling = false;                                 // a worker polls for `waiting` (one at a time)
  std::shared_ptr<SchedulerWaker> waker = std::make_shared<SchedulerWaker>();
  std::vector<std::shared_ptr<ScheduledTask>> all;  // for cancellation on shutdown
  std::atomic<size_t> active{0};
  bool stopping = false;
  std::vector<std::thread> workers;

  void worker();
  // With the lock held, released meanwhile: waits until a waiting call may go on (or new work, a
  // cancellation or shutdown wakes it), then queues the calls that may.
  void poll_waiting(std::unique_lock<std::mutex>& lock);
  // Runs one slice; returns true if the task should be queued again.
  bool run_slice(ScheduledTask& task);
};

bool SchedulerImpl::run_slice(ScheduledTask& task) {
  Store& store = *task.store;
  StoreImpl& s = store.impl();
  if (task.cancelled.load()) {
    if (task.call) task.call->abandon(store);
    s.interrupt->flag.store(interp::kNoInterrupt);
    task.finish(std::unexpected(Trap(TrapCode::kInterrupted)));
    return false;
  }
  TrapResult<CallStatus> status;
  if (!task.call) {
    task.fuel_at_start = s.fuel_consumed;
    auto started = SlicedCall::start(store, task.func, task.args, config.slice_fuel);
    if (started) {
      task.call.emplace(std::move(*started));
      status = task.call->status();
    } else {
      status = std::unexpected(started.error());
    }
  } else {
    status = task.call->resume(store, config.slice_fuel);
  }
  task.slices.fetch_add(1, std::memory_order_relaxed);
  task.fuel.store(s.fuel_consumed - task.fuel_at_start, std::memory_order_relaxed);
  if (!status) {
    if (task.cancelled.load()) s.interrupt->flag.store(interp::kNoInterrupt);
    task.finish(std::unexpected(status.error()));
    return false;
  }
  if (*status == CallStatus::kFinished) {
    task.finish(task.call->results());
    return false;
  }
  return true;
}

void SchedulerImpl::poll_waiting(std::unique_lock<std::mutex>& lock) {
  polling = true;
  std::vector<pollfd> fds{{waker->fd, POLLIN, 0}};
  std::vector<size_t> first_fd;  // per waiting task: its first entry in fds
  const uint64_t now = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::steady_clock::now().time_since_epoch())
                                    .count());
  int timeout_ms = -1;
  for (const auto& task : waiting) {
    first_fd.push_back(fds.size());
    const Store::BlockedOn* b = task->store->blocked_on();
    if (!b) {  // cannot happen (only blocked calls wait), but must not wait forever
      timeout_ms = 0;
      continue;
    }
    for (const auto& f : b->fds) fds.push_back({f.fd, f.events, 0});
    if (b->until_ns) {
      const int ms = *b->until_ns <= now
                         ? 0
                         : int(std::min<uint64_t>((*b->until_ns - now + 999'999) / 1'000'000, 60'000));
      timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
    }
  }
  std::vector<std::shared_ptr<ScheduledTask>> polled = waiting;
  lock.unlock();
  int n;
  do {
    n = ::poll(fds.data(), nfds_t(fds.size()), timeout_ms);
  } while (n < 0 && errno == EINTR);
  waker->drain();
  const uint64_t after = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      std::chrono::steady_clock::now().time_since_epoch())
                                      .count());
  lock.lock();
  polling = false;
  for (size_t i = 0; i < polled.size(); ++i) {
    const auto& task = polled[i];
    const Store::BlockedOn* b = task->store->blocked_on();
    bool go = n < 0 || !b || task->cancelled.load() || (b->until_ns && *b->until_ns <= after);
    const size_t end = i + 1 < polled.size() ? first_fd[i + 1] : fds.size();
    for (size_t j = first_fd[i]; j < end && !go; ++j) go = fds[j].revents != 0;
    if (!go) continue;
    std::erase(waiting, task);
    queue.push_back(task);
  }
  work_cv.notify_all();
}

void SchedulerImpl::worker() {
  for (;;) {
    std::shared_ptr<ScheduledTask> task;
    {
      std::unique_lock lock(mutex);
      for (;;) {
        if (!queue.empty()) break;
        if (!waiting.empty() && !polling) {
          poll_waiting(lock);
          continue;
        }
        if (stopping && waiting.empty()) return;  // stopping and drained
        work_cv.wait(lock);
      }
      task = std::move(queue.front());
      queue.pop_front();
    }
    if (run_slice(*task)) {
      std::lock_guard lock(mutex);
      if (task->store->blocked_on()) {
        waiting.push_back(std::move(task));
        waker->wake();  // a polling worker adds it to its poll
      } else {
        queue.push_back(std::move(task));
      }
      work_cv.notify_one();
    }
  }
}

}  // namespace internal

Scheduler::Scheduler(SchedulerConfig config) : impl_(std::make_unique<internal::SchedulerImpl>()) {
  impl_->config = config;
  const size_t n = std::max<size_t>(config.threads, 1);
  for (size_t i = 0; i < n; ++i) impl_->workers.emplace_back([impl = impl_.get()] { impl->worker(); });
}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& task : impl_->all) {
      if (task->done) continue;
      task->cancelled.store(true);
      task->store->interrupt_handle().interrupt();
    }
    impl_->stopping = true;
  }
  impl_->work_cv.notify_all();
  impl_->waker->wake();
  for (std::thread& t : impl_->workers) t.join();
}

CallFuture Scheduler::spawn(std::shared_ptr<Store> store, Func func, std::vector<Val> args) {
  auto task = std::make_shared<internal::ScheduledTask>(std::move(store), func, std::move(args));
  task->active = &impl_->active;
  task->waker = impl_->waker;
  {
    std::lock_guard lock(impl_->mutex);
    // Forget finished tasks so `all` does not grow without bound.
    std::erase_if(impl_->all, [](const std::shared_ptr<internal::ScheduledTask>& t) {
      std::lock_guard task_lock(t->mutex);
      return t->done;
    });
    impl_->all.push_back(task);
    impl_->queue.push_back(task);
    impl_->active.fetch_add(1);
  }
  impl_->work_cv.notify_one();
  impl_->waker->wake();  // the one idle worker may be polling for waiting calls
  return CallFuture(task);
}

size_t Scheduler::active() const {
  return impl_->active.load();
}

bool CallFuture::ready() const {
  std::lock_guard lock(task_->mutex);
  return task_->done;
}

void CallFuture::wait() const {
  std::unique_lock lock(task_->mutex);
  task_->done_cv.wait(lock, [&] { return task_->done; });
}

bool CallFuture::wait_for(std::chrono::nanoseconds timeout) const {
  std::unique_lock lock(task_->mutex);
  return task_->done_cv.wait_for(lock, timeout, [&] { return task_->done; });
}

TrapResult<std::vector<Val>> CallFuture::get() const {
  wait();
  std::lock_guard lock(task_->mutex);
  return *task_->result;
}

void CallFuture::cancel() const {
  {
    std::lock_guard lock(task_->mutex);
    if (task_->done) return;
  }
  task_->cancelled.store(true);
  task_->store->interrupt_handle().interrupt();
  if (task_->waker) task_->waker->wake();  // a call waiting for a descriptor goes on to end
}

uint64_t CallFuture::fuel_consumed() const {
  return task_->fuel.load(std::memory_order_relaxed);
}
uint64_t CallFuture::slices() const {
  return task_->slices.load(std::memory_order_relaxed);
}

}  // namespace airwasm
