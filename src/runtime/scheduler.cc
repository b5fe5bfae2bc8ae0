// runtime: the round-robin slice scheduler behind Scheduler/CallFuture (see scheduler.hh).
// Workers pop a task from a FIFO queue, run one fuel slice of its SlicedCall, and push it back unless it
// finished; FIFO order over equal slices gives every call the same share of the workers.
#include "airwasm/scheduler.hh"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "airwasm/sliced.hh"
#include "runtime/internal.hh"

namespace airwasm {

namespace internal {

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
  std::vector<std::shared_ptr<ScheduledTask>> all;  // for cancellation on shutdown
  std::atomic<size_t> active{0};
  bool stopping = false;
  std::vector<std::thread> workers;

  void worker();
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

void SchedulerImpl::worker() {
  for (;;) {
    std::shared_ptr<ScheduledTask> task;
    {
      std::unique_lock lock(mutex);
      work_cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping and drained
      task = std::move(queue.front());
      queue.pop_front();
    }
    if (run_slice(*task)) {
      std::lock_guard lock(mutex);
      queue.push_back(std::move(task));
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
  for (std::thread& t : impl_->workers) t.join();
}

CallFuture Scheduler::spawn(std::shared_ptr<Store> store, Func func, std::vector<Val> args) {
  auto task = std::make_shared<internal::ScheduledTask>(std::move(store), func, std::move(args));
  task->active = &impl_->active;
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
}

uint64_t CallFuture::fuel_consumed() const {
  return task_->fuel.load(std::memory_order_relaxed);
}
uint64_t CallFuture::slices() const {
  return task_->slices.load(std::memory_order_relaxed);
}

}  // namespace airwasm
