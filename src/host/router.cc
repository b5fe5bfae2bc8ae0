// The in-process message router (include/airwasm/host/messaging.hh has the contract).
//
// Shape: one mutex guards all router state; per component a Mailbox (FIFO of items); a ready queue of
// mailboxes that have items and are not being delivered; N worker threads taking one item at a time from
// the mailbox at the head of the ready queue; one timer thread expiring request deadlines.
// Invariants:
// - A mailbox is in the ready queue at most once, and `scheduled` stays set from the moment it is queued
//   until its worker has finished delivering and found it empty: so at most one delivery per target runs
//   at a time, and items leave a mailbox in FIFO order.
// - After a delivery the mailbox goes to the back of the ready queue: a busy component cannot starve the
//   others.
// - No endpoint call, user clock or hook runs with the mutex held (they may take the engine's locks, and
//   the engine calls the router while holding its own).
// - A pending request ends exactly once: answered, failed, timed out, cancelled, its requester removed,
//   or shutdown; whoever erases it from `pending_` owns the callback (if any).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "airwasm/host/messaging.hh"

namespace airwasm::host {
namespace {

using Clock = std::chrono::steady_clock;

struct Item {
  bool is_callback = false;
  ComponentMessage message;
  std::optional<CorrelationId> request;  // set for a request: delivered only while still pending
};

struct Mailbox {
  ComponentId id;
  std::deque<Item> items;
  size_t message_count = 0;  // items that count against the capacity (everything but callbacks)
  bool scheduled = false;    // in the ready queue or being delivered
  bool delivering = false;
  bool removed = false;
};

struct Pending {
  ComponentId requester;
  ComponentId target;
  std::optional<Clock::time_point> deadline;
};

MessagePayload utf8_payload(std::string_view text) {
  return MessagePayload(text.begin(), text.end());
}

class InProcessRouter final : public MessageRouter {
 public:
  InProcessRouter(MessageEndpoint& endpoint, RouterOptions options)
      : endpoint_(endpoint), options_(std::move(options)) {
    if (!options_.clock) options_.clock = system_timestamp;
    if (options_.worker_threads == 0) options_.worker_threads = 1;
    std::random_device seed;
    random_.seed((uint64_t(seed()) << 32) ^ seed());
    // std::thread reports a failure to start as an exception; none may leave the API. A router that got
    // some workers runs with fewer; one with no worker or no timer refuses every operation.
    try {
      timer_ = std::thread([this] { expire(); });
      for (size_t i = 0; i < options_.worker_threads; ++i) workers_.emplace_back([this] { work(); });
    } catch (const std::system_error&) {
      if (workers_.empty()) {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        start_failed_ = true;
      }
    }
  }
  ~InProcessRouter() override { shutdown(); }

  std::expected<void, MessagingError> send(const ComponentId& from, const ComponentId& to,
                                           MessagePayload payload) override;
  std::expected<CorrelationId, MessagingError> request(const ComponentId& from, const ComponentId& to,
                                                       MessagePayload payload, uint64_t timeout_ms) override;
  std::expected<void, MessagingError> cancel_request(const ComponentId& from,
                                                     const RequestId& request_id) override;
  std::expected<void, MessagingError> broadcast(const ComponentId& from, std::span<const ComponentId> targets,
                                                const MessagePayload& payload) override;
  void component_added(const ComponentId& id) override;
  void component_removed(const ComponentId& id) override;
  void shutdown() override;

 private:
  MessagingError shut_down_error() const {
    return MessagingError{MessagingError::Case::kDeliveryFailed,
                          start_failed_ ? "router could not start its threads" : "router is shut down",
                          {}};
  }
  static MessagingError not_found(const ComponentId& id) {
    return MessagingError{MessagingError::Case::kTargetNotFound, {}, id};
  }

  // Makes sure `id` has a live mailbox if the endpoint knows it; false for an unknown target. Takes the
  // lock itself (the endpoint is asked without it).
  bool ensure_mailbox(const ComponentId& id);
  // With the lock held: the live mailbox of `id`, or null.
  Mailbox* live_mailbox(const ComponentId& id) {
    auto it = mailboxes_.find(id);
    return it == mailboxes_.end() || it->second->removed ? nullptr : it->second.get();
  }
  void add_mailbox_locked(const ComponentId& id);
  void enqueue_locked(Mailbox& mailbox, Item item);
  // With the lock held: queues the callback ending a request, if the requester is still there.
  void callback_locked(const ComponentId& requester, ComponentMessage message);
  ComponentMessage make_callback(const ComponentId& sender, const CorrelationId& id, MessagePayload payload,
                                 std::optional<std::string_view> content_type, const Timestamp& time) {
    ComponentMessage message;
    message.sender = sender;
    message.payload = std::move(payload);
    message.metadata.correlation_id = id;
    message.metadata.timestamp = time;
    if (content_type) message.metadata.content_type = std::string(*content_type);
    return message;
  }
  CorrelationId new_correlation_id_locked();
  // With the lock held: forgets a pending request (and its deadline); returns its requester.
  ComponentId end_pending_locked(std::unordered_map<CorrelationId, Pending>::iterator it) {
    if (it->second.deadline) deadlines_.erase({*it->second.deadline, it->first});
    ComponentId requester = std::move(it->second.requester);
    pending_.erase(it);
    return requester;
  }

  void work();
  // Hands `item` to the endpoint; finish_delivery runs when it ends (at once for a blocking endpoint, later
  // on the endpoint's thread for an asynchronous one).
  void deliver(const std::shared_ptr<Mailbox>& mailbox, Item item);
  void finish_delivery(const std::shared_ptr<Mailbox>& mailbox, std::optional<CorrelationId> request,
                       std::optional<WasmError> failure, std::optional<MessagePayload> answer);
  void expire();

  MessageEndpoint& endpoint_;
  RouterOptions options_;

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable timer_wakeup_;
  bool stopping_ = false;
  bool start_failed_ = false;
  std::map<ComponentId, std::shared_ptr<Mailbox>> mailboxes_;
  std::deque<std::shared_ptr<Mailbox>> ready_;
  std::unordered_map<CorrelationId, Pending> pending_;
  std::set<std::pair<Clock::time_point, CorrelationId>> deadlines_;  // of the pending requests that have one
  std::mt19937_64 random_;

  size_t in_flight_ = 0;  // deliveries handed to the endpoint and not finished (shutdown waits for them)
  std::condition_variable deliveries_done_;

  std::mutex join_mutex_;
  std::vector<std::thread> workers_;
  std::thread timer_;
};

bool InProcessRouter::ensure_mailbox(const ComponentId& id) {
  {
    std::lock_guard lock(mutex_);
    if (live_mailbox(id)) return true;
  }
  if (!endpoint_.has_component(id)) return false;
  std::lock_guard lock(mutex_);
  if (!live_mailbox(id)) add_mailbox_locked(id);
  return true;
}

void InProcessRouter::add_mailbox_locked(const ComponentId& id) {
  auto it = mailboxes_.find(id);
  if (it != mailboxes_.end()) {
    // A removed mailbox still being delivered to: revive it, so that the old delivery and the new
    // component's first one can never run at the same time.
    it->second->removed = false;
    return;
  }
  auto mailbox = std::make_shared<Mailbox>();
  mailbox->id = id;
  mailboxes_.emplace(id, std::move(mailbox));
}

void InProcessRouter::enqueue_locked(Mailbox& mailbox, Item item) {
  if (!item.is_callback) ++mailbox.message_count;
  mailbox.items.push_back(std::move(item));
  if (!mailbox.scheduled) {
    mailbox.scheduled = true;
    ready_.push_back(mailboxes_.at(mailbox.id));
    work_ready_.notify_one();
  }
}

void InProcessRouter::callback_locked(const ComponentId& requester, ComponentMessage message) {
  if (stopping_) return;
  Mailbox* mailbox = live_mailbox(requester);
  if (!mailbox) return;  // the requester is gone: nobody to tell
  enqueue_locked(*mailbox, Item{true, std::move(message), std::nullopt});
}

CorrelationId InProcessRouter::new_correlation_id_locked() {
  // A random (version 4) UUID: unique within the router by construction (checked against pending_), and
  // unguessable, so an id seen by one component says nothing about another's requests.
  for (;;) {
    uint64_t high = random_(), low = random_();
    high = (high & ~uint64_t{0xf000}) | 0x4000;
    low = (low & ~(uint64_t{3} << 62)) | (uint64_t{2} << 62);
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", unsigned(high >> 32),
                  unsigned((high >> 16) & 0xffff), unsigned(high & 0xffff), unsigned(low >> 48),
                  static_cast<unsigned long long>(low & 0xffffffffffffull));
    if (!pending_.contains(text)) return text;
  }
}

std::expected<void, MessagingError> InProcessRouter::send(const ComponentId& from, const ComponentId& to,
                                                          MessagePayload payload) {
  Timestamp now = options_.clock();
  if (!ensure_mailbox(to)) return std::unexpected(not_found(to));
  std::lock_guard lock(mutex_);
  if (stopping_) return std::unexpected(shut_down_error());
  Mailbox* mailbox = live_mailbox(to);
  if (!mailbox) return std::unexpected(not_found(to));
  if (mailbox->message_count >= options_.mailbox_capacity) {
    return std::unexpected(MessagingError{MessagingError::Case::kQueueFull, {}, {}});
  }
  ComponentMessage message{from, std::move(payload), {}};
  message.metadata.timestamp = now;
  enqueue_locked(*mailbox, Item{false, std::move(message), std::nullopt});
  return {};
}

std::expected<CorrelationId, MessagingError> InProcessRouter::request(const ComponentId& from,
                                                                      const ComponentId& to,
                                                                      MessagePayload payload,
                                                                      uint64_t timeout_ms) {
  Timestamp now = options_.clock();
  if (!ensure_mailbox(to)) return std::unexpected(not_found(to));
  // The answer goes through the requester's mailbox: make sure it has one (a requester the endpoint does
  // not know, e.g. the host itself, gets no callback).
  ensure_mailbox(from);
  std::lock_guard lock(mutex_);
  if (stopping_) return std::unexpected(shut_down_error());
  Mailbox* mailbox = live_mailbox(to);
  if (!mailbox) return std::unexpected(not_found(to));
  if (mailbox->message_count >= options_.mailbox_capacity ||
      pending_.size() >= options_.max_pending_requests) {
    return std::unexpected(MessagingError{MessagingError::Case::kQueueFull, {}, {}});
  }
  CorrelationId id = new_correlation_id_locked();
  Pending pending{from, to, std::nullopt};
  // Beyond ~100 years a deadline is no deadline (and Clock::time_point arithmetic cannot overflow).
  constexpr uint64_t kMaxTimeoutMs = uint64_t{100} * 365 * 24 * 3600 * 1000;
  if (timeout_ms != 0 && timeout_ms <= kMaxTimeoutMs) {
    pending.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    bool earliest = deadlines_.empty() || *pending.deadline < deadlines_.begin()->first;
    deadlines_.emplace(*pending.deadline, id);
    if (earliest) timer_wakeup_.notify_one();
  }
  pending_.emplace(id, std::move(pending));
  ComponentMessage message{from, std::move(payload), {}};
  message.metadata.correlation_id = id;
  message.metadata.reply_to = from;
  message.metadata.timestamp = now;
  enqueue_locked(*mailbox, Item{false, std::move(message), id});
  return id;
}

std::expected<void, MessagingError> InProcessRouter::cancel_request(const ComponentId& from,
                                                                    const RequestId& request_id) {
  std::lock_guard lock(mutex_);
  if (stopping_) return std::unexpected(shut_down_error());
  auto it = pending_.find(request_id);
  // Another component's request is reported exactly like an unknown one.
  if (it == pending_.end() || it->second.requester != from) {
    return std::unexpected(
        MessagingError{MessagingError::Case::kInvalidMessage, "no pending request " + request_id, {}});
  }
  end_pending_locked(it);  // a queued request is skipped, an answer in flight is dropped
  return {};
}

std::expected<void, MessagingError> InProcessRouter::broadcast(const ComponentId& from,
                                                               std::span<const ComponentId> targets,
                                                               const MessagePayload& payload) {
  Timestamp now = options_.clock();
  std::vector<ComponentId> distinct;
  for (const ComponentId& target : targets) {
    if (std::find(distinct.begin(), distinct.end(), target) == distinct.end()) distinct.push_back(target);
  }
  for (const ComponentId& target : distinct) {
    if (!ensure_mailbox(target)) return std::unexpected(not_found(target));
  }
  std::lock_guard lock(mutex_);
  if (stopping_) return std::unexpected(shut_down_error());
  std::vector<Mailbox*> mailboxes;
  for (const ComponentId& target : distinct) {
    Mailbox* mailbox = live_mailbox(target);
    if (!mailbox) return std::unexpected(not_found(target));
    if (mailbox->message_count >= options_.mailbox_capacity) {
      return std::unexpected(MessagingError{MessagingError::Case::kQueueFull, {}, {}});
    }
    mailboxes.push_back(mailbox);
  }
  for (Mailbox* mailbox : mailboxes) {
    ComponentMessage message{from, payload, {}};
    message.metadata.timestamp = now;
    enqueue_locked(*mailbox, Item{false, std::move(message), std::nullopt});
  }
  return {};
}

void InProcessRouter::component_added(const ComponentId& id) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  if (!live_mailbox(id)) add_mailbox_locked(id);
}

void InProcessRouter::component_removed(const ComponentId& id) {
  Timestamp now = options_.clock();
  std::lock_guard lock(mutex_);
  auto it = mailboxes_.find(id);
  if (it != mailboxes_.end() && !it->second->removed) {
    std::shared_ptr<Mailbox> mailbox = it->second;
    mailbox->removed = true;
    std::deque<Item> dropped = std::move(mailbox->items);
    mailbox->items.clear();
    mailbox->message_count = 0;
    // Kept in the map while a delivery runs, so that a reload under the same id waits its turn.
    if (!mailbox->delivering) mailboxes_.erase(it);
    const std::string error = WasmError{WasmError::Case::kComponentNotFound, id.to_string()}.to_string();
    for (Item& item : dropped) {
      if (!item.request) continue;
      auto pending = pending_.find(*item.request);
      if (pending == pending_.end()) continue;
      ComponentId requester = end_pending_locked(pending);
      callback_locked(requester,
                      make_callback(id, *item.request, utf8_payload(error), kContentTypeError, now));
    }
  }
  for (auto pending = pending_.begin(); pending != pending_.end();) {
    auto next = std::next(pending);
    if (pending->second.requester == id) end_pending_locked(pending);
    pending = next;
  }
}

void InProcessRouter::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    ready_.clear();
    for (auto& [id, mailbox] : mailboxes_) {
      mailbox->items.clear();
      mailbox->message_count = 0;
    }
    pending_.clear();
    deadlines_ = {};
  }
  work_ready_.notify_all();
  timer_wakeup_.notify_all();
  std::lock_guard join_lock(join_mutex_);
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  if (timer_.joinable()) timer_.join();
  // An asynchronous endpoint may still finish deliveries: they call back into this router.
  std::unique_lock lock(mutex_);
  deliveries_done_.wait(lock, [&] { return in_flight_ == 0; });
}

namespace {
// Set on the router's worker threads: a delivery that finishes there needs no other worker woken.
thread_local bool t_router_worker = false;
}  // namespace

void InProcessRouter::work() {
  t_router_worker = true;
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
    if (stopping_) return;
    std::shared_ptr<Mailbox> mailbox = std::move(ready_.front());
    ready_.pop_front();
    if (mailbox->removed) continue;
    if (mailbox->items.empty()) {
      mailbox->scheduled = false;
      continue;
    }
    Item item = std::move(mailbox->items.front());
    mailbox->items.pop_front();
    if (!item.is_callback) --mailbox->message_count;
    if (item.request && !pending_.contains(*item.request)) {
      // Cancelled or timed out while queued: nobody waits for it any more.
      if (mailbox->items.empty()) {
        mailbox->scheduled = false;
      } else {
        ready_.push_back(mailbox);
      }
      continue;
    }
    mailbox->delivering = true;
    ++in_flight_;
    lock.unlock();
    deliver(mailbox, std::move(item));
    lock.lock();
  }
}

void InProcessRouter::deliver(const std::shared_ptr<Mailbox>& mailbox, Item item) {
  const std::optional<CorrelationId> request = item.request;
  if (item.is_callback) {
    endpoint_.deliver_callback_async(
        mailbox->id, std::move(item.message), [this, mailbox, request](std::expected<void, WasmError> done) {
          finish_delivery(mailbox, request, done ? std::nullopt : std::optional(done.error()), std::nullopt);
        });
  } else {
    endpoint_.deliver_message_async(
        mailbox->id, std::move(item.message),
        [this, mailbox, request](std::expected<std::optional<MessagePayload>, WasmError> answer) {
          if (!answer) return finish_delivery(mailbox, request, std::move(answer.error()), std::nullopt);
          finish_delivery(mailbox, request, std::nullopt, std::move(*answer));
        });
  }
}

void InProcessRouter::finish_delivery(const std::shared_ptr<Mailbox>& mailbox,
                                      std::optional<CorrelationId> request, std::optional<WasmError> failure,
                                      std::optional<MessagePayload> answer) {
  if (failure && options_.on_delivery_error) options_.on_delivery_error(mailbox->id, *failure);
  Timestamp now = request ? options_.clock() : Timestamp{};

  std::lock_guard lock(mutex_);
  mailbox->delivering = false;
  if (--in_flight_ == 0) deliveries_done_.notify_all();
  if (stopping_) return;
  if (request) {
    auto pending = pending_.find(*request);
    if (pending != pending_.end()) {
      ComponentId requester = end_pending_locked(pending);
      ComponentMessage callback;
      if (failure) {
        callback =
            make_callback(mailbox->id, *request, utf8_payload(failure->to_string()), kContentTypeError, now);
      } else if (answer) {
        callback = make_callback(mailbox->id, *request, std::move(*answer), std::nullopt, now);
      } else {
        callback = make_callback(mailbox->id, *request, {}, kContentTypeNoReply, now);
      }
      callback_locked(requester, std::move(callback));
    }
  }
  if (mailbox->removed) {
    mailbox->scheduled = false;
    auto it = mailboxes_.find(mailbox->id);
    if (it != mailboxes_.end() && it->second == mailbox) mailboxes_.erase(it);
  } else if (mailbox->items.empty()) {
    mailbox->scheduled = false;
  } else {
    ready_.push_back(mailbox);
    // On a worker thread, no notify: that worker loops and takes the head of the ready queue itself (waking
    // another would hand a single busy mailbox back and forth between workers, a context switch per
    // message). Finished elsewhere (an asynchronous endpoint), a worker must be woken for it.
    if (!t_router_worker) work_ready_.notify_one();
  }
}

void InProcessRouter::expire() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (deadlines_.empty()) {
      timer_wakeup_.wait(lock);
      continue;
    }
    auto [when, id] = *deadlines_.begin();
    if (Clock::now() < when) {
      timer_wakeup_.wait_until(lock, when);
      continue;
    }
    auto pending = pending_.find(id);
    ComponentId target = pending->second.target;
    ComponentId requester = end_pending_locked(pending);
    // The clock is the embedder's function: call it without the lock.
    lock.unlock();
    Timestamp now = options_.clock();
    lock.lock();
    if (stopping_) return;
    MessagingError timeout{MessagingError::Case::kCorrelationTimeout, id, {}};
    callback_locked(requester,
                    make_callback(target, id, utf8_payload(timeout.to_string()), kContentTypeTimeout, now));
  }
}

}  // namespace

std::unique_ptr<MessageRouter> make_in_process_router(MessageEndpoint& endpoint, RouterOptions options) {
  return std::make_unique<InProcessRouter>(endpoint, std::move(options));
}

Timestamp system_timestamp() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  return Timestamp{uint64_t(seconds.count()), uint32_t(nanoseconds.count())};
}

}  // namespace airwasm::host
