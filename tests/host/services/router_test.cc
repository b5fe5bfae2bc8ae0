// The in-process message router (include/airwasm/host/messaging.hh) against a fake MessageEndpoint that
// records every delivery (target, message, thread), checks that no target is ever delivered to twice at
// once, and can hold deliveries to a target at a gate to make queue states deterministic.
//
// Waiting is always for an event, with a generous limit (no timed assertions). "Nothing else happened"
// is checked with a barrier: a marker message sent to a target is delivered only after everything the
// router did for that target before (FIFO per target, and the result of a delivery is processed before
// the next one starts).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "airwasm/host/messaging.hh"

namespace airwasm::host {
namespace {

using namespace std::chrono_literals;

const ComponentId kA{"demo", "a", "1"};
const ComponentId kB{"demo", "b", "1"};
const ComponentId kC{"demo", "c", "1"};
const ComponentId kUnknown{"demo", "nobody", "1"};

MessagePayload bytes(std::string_view text) {
  return MessagePayload(text.begin(), text.end());
}
std::string text(const MessagePayload& payload) {
  return std::string(payload.begin(), payload.end());
}

class FakeEndpoint : public MessageEndpoint {
 public:
  using Answer = std::expected<std::optional<MessagePayload>, WasmError>;
  using Handler = std::function<Answer(const ComponentId& target, const ComponentMessage& message)>;

  struct Delivery {
    ComponentId target;
    ComponentMessage message;
    bool callback = false;
    std::thread::id thread;
  };

  FakeEndpoint() {
    // Default handle-message: answer "re:" + the payload.
    handler_ = [](const ComponentId&, const ComponentMessage& message) -> Answer {
      return std::optional<MessagePayload>(bytes("re:" + text(message.payload)));
    };
  }

  void add(const ComponentId& id) {
    std::lock_guard lock(mutex_);
    known_.insert(id);
  }
  void remove(const ComponentId& id) {
    std::lock_guard lock(mutex_);
    known_.erase(id);
  }
  void set_handler(Handler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }
  // Deliveries to `id` wait at a gate until open(id).
  void close_gate(const ComponentId& id) {
    std::lock_guard lock(mutex_);
    gated_.insert(id);
  }
  void open_gate(const ComponentId& id) {
    std::lock_guard lock(mutex_);
    gated_.erase(id);
    changed_.notify_all();
  }

  bool has_component(const ComponentId& id) override {
    std::lock_guard lock(mutex_);
    return known_.contains(id);
  }

  Answer deliver_message(const ComponentId& target, const ComponentMessage& message) override {
    Handler handler = enter(target, message, false);
    Answer answer = handler(target, message);
    leave(target);
    return answer;
  }

  std::expected<void, WasmError> deliver_callback(const ComponentId& target,
                                                  const ComponentMessage& message) override {
    enter(target, message, true);
    leave(target);
    return {};
  }

  // Waits (up to 10 s) until `predicate(deliveries)` holds; false on time-out.
  bool wait_for(const std::function<bool(const std::vector<Delivery>&)>& predicate) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return predicate(deliveries_); });
  }
  bool wait_count(const ComponentId& target, size_t count) {
    return wait_for([&](const std::vector<Delivery>& all) { return count_of(all, target) >= count; });
  }
  // Waits until a delivery to `target` is held at its gate.
  bool wait_parked(const ComponentId& target) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return parked_.contains(target); });
  }
  static size_t count_of(const std::vector<Delivery>& all, const ComponentId& target) {
    size_t n = 0;
    for (const Delivery& d : all) n += d.target == target;
    return n;
  }

  std::vector<Delivery> deliveries() const {
    std::lock_guard lock(mutex_);
    return deliveries_;
  }
  std::vector<Delivery> deliveries_to(const ComponentId& target) const {
    std::vector<Delivery> out;
    for (const Delivery& d : deliveries()) {
      if (d.target == target) out.push_back(d);
    }
    return out;
  }
  std::vector<Delivery> callbacks_to(const ComponentId& target) const {
    std::vector<Delivery> out;
    for (const Delivery& d : deliveries_to(target)) {
      if (d.callback) out.push_back(d);
    }
    return out;
  }
  bool overlapped() const {
    std::lock_guard lock(mutex_);
    return overlapped_;
  }
  size_t in_flight() const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& [id, count] : in_flight_) n += count;
    return n;
  }

 private:
  Handler enter(const ComponentId& target, const ComponentMessage& message, bool callback) {
    std::unique_lock lock(mutex_);
    if (++in_flight_[target] > 1) overlapped_ = true;
    deliveries_.push_back({target, message, callback, std::this_thread::get_id()});
    changed_.notify_all();
    if (gated_.contains(target)) {
      parked_.insert(target);
      changed_.notify_all();
      changed_.wait(lock, [&] { return !gated_.contains(target); });
      parked_.erase(target);
    }
    return handler_;
  }
  void leave(const ComponentId& target) {
    std::lock_guard lock(mutex_);
    --in_flight_[target];
    changed_.notify_all();
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::set<ComponentId> known_;
  std::set<ComponentId> gated_;
  std::set<ComponentId> parked_;
  std::map<ComponentId, int> in_flight_;
  bool overlapped_ = false;
  std::vector<Delivery> deliveries_;
  Handler handler_;
};

class RouterTest : public ::testing::Test {
 protected:
  void start(RouterOptions options = {}) {
    for (const ComponentId& id : {kA, kB, kC}) endpoint_.add(id);
    router_ = make_in_process_router(endpoint_, std::move(options));
    for (const ComponentId& id : {kA, kB, kC}) router_->component_added(id);
  }
  // Sends a marker to `target` and waits for it: everything the router did for `target` before is done.
  void barrier(const ComponentId& target) {
    std::string marker = "barrier-" + std::to_string(++barriers_);
    ASSERT_TRUE(router_->send(kC, target, bytes(marker)));
    ASSERT_TRUE(endpoint_.wait_for([&](const std::vector<FakeEndpoint::Delivery>& all) {
      for (const auto& d : all) {
        if (d.target == target && text(d.message.payload) == marker) return true;
      }
      return false;
    }));
  }
  // The deliveries to `target` other than barrier markers.
  std::vector<FakeEndpoint::Delivery> real_deliveries_to(const ComponentId& target) {
    std::vector<FakeEndpoint::Delivery> out;
    for (const auto& d : endpoint_.deliveries_to(target)) {
      if (!text(d.message.payload).starts_with("barrier-")) out.push_back(d);
    }
    return out;
  }

  FakeEndpoint endpoint_;
  std::unique_ptr<MessageRouter> router_;
  int barriers_ = 0;
};

TEST_F(RouterTest, DeliversInOrderPerTargetOneAtATime) {
  start(RouterOptions{.worker_threads = 4});
  constexpr int kCount = 200;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(router_->send(kA, kB, bytes("b" + std::to_string(i))));
    ASSERT_TRUE(router_->send(kA, kC, bytes("c" + std::to_string(i))));
  }
  ASSERT_TRUE(endpoint_.wait_count(kB, kCount));
  ASSERT_TRUE(endpoint_.wait_count(kC, kCount));
  auto to_b = endpoint_.deliveries_to(kB);
  auto to_c = endpoint_.deliveries_to(kC);
  ASSERT_EQ(to_b.size(), size_t(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(text(to_b[i].message.payload), "b" + std::to_string(i));
    EXPECT_EQ(text(to_c[i].message.payload), "c" + std::to_string(i));
    EXPECT_EQ(to_b[i].message.sender, kA);
    EXPECT_FALSE(to_b[i].message.metadata.correlation_id);
    EXPECT_FALSE(to_b[i].callback);
  }
  EXPECT_FALSE(endpoint_.overlapped());
}

TEST_F(RouterTest, NeverDeliversOnTheSendersThreadOrStack) {
  start();
  // B's handler sends to itself and to A: if the router delivered synchronously, the nested delivery would
  // run inside this one (overlap on B, and "inner" recorded before the outer handler returned).
  // Nesting is counted per thread: a delivery inside another on the same stack is re-entrance; deliveries
  // to A and B on two workers at once are not.
  static thread_local int depth = 0;
  std::atomic<bool> reentered{false};
  endpoint_.set_handler(
      [&](const ComponentId& target, const ComponentMessage& message) -> FakeEndpoint::Answer {
        if (++depth > 1) reentered = true;
        if (target == kB && text(message.payload) == "outer") {
          EXPECT_TRUE(router_->send(kB, kB, bytes("inner")));
          EXPECT_TRUE(router_->send(kB, kA, bytes("to-a")));
        }
        --depth;
        return std::optional<MessagePayload>();
      });
  ASSERT_TRUE(router_->send(kA, kB, bytes("outer")));
  ASSERT_TRUE(endpoint_.wait_count(kB, 2));
  ASSERT_TRUE(endpoint_.wait_count(kA, 1));
  for (const auto& d : endpoint_.deliveries()) EXPECT_NE(d.thread, std::this_thread::get_id());
  EXPECT_FALSE(reentered);
  EXPECT_FALSE(endpoint_.overlapped());
  auto to_b = endpoint_.deliveries_to(kB);
  EXPECT_EQ(text(to_b[0].message.payload), "outer");
  EXPECT_EQ(text(to_b[1].message.payload), "inner");
}

TEST_F(RouterTest, FullMailboxGivesQueueFull) {
  start(RouterOptions{.mailbox_capacity = 3});
  endpoint_.close_gate(kB);
  ASSERT_TRUE(router_->send(kA, kB, bytes("0")));
  ASSERT_TRUE(endpoint_.wait_parked(kB));  // "0" is out of the mailbox, being delivered
  for (const char* payload : {"1", "2", "3"}) ASSERT_TRUE(router_->send(kA, kB, bytes(payload)));
  auto full = router_->send(kA, kB, bytes("4"));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().to_string(), "queue-full");
  auto request = router_->request(kA, kB, bytes("r"), 0);
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().kind, MessagingError::Case::kQueueFull);
  // Other mailboxes are not affected.
  EXPECT_TRUE(router_->send(kA, kC, bytes("c")));
  endpoint_.open_gate(kB);
  ASSERT_TRUE(endpoint_.wait_count(kB, 4));
  barrier(kB);
  std::vector<std::string> got;
  for (const auto& d : real_deliveries_to(kB)) got.push_back(text(d.message.payload));
  EXPECT_EQ(got, (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_TRUE(router_->send(kA, kB, bytes("room again")));
}

TEST_F(RouterTest, UnknownTargetGivesTargetNotFound) {
  start();
  auto sent = router_->send(kA, kUnknown, bytes("x"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, MessagingError::Case::kTargetNotFound);
  EXPECT_EQ(sent.error().target, kUnknown);
  EXPECT_EQ(sent.error().to_string(),
            "target-not-found({namespace: \"demo\", name: \"nobody\", instance: \"1\"})");
  auto requested = router_->request(kA, kUnknown, bytes("x"), 1000);
  ASSERT_FALSE(requested);
  EXPECT_EQ(requested.error().kind, MessagingError::Case::kTargetNotFound);
  // A component the endpoint knows is reachable even before component_added (looked up lazily).
  const ComponentId late{"demo", "late", "1"};
  endpoint_.add(late);
  ASSERT_TRUE(router_->send(kA, late, bytes("hello")));
  ASSERT_TRUE(endpoint_.wait_count(late, 1));
}

TEST_F(RouterTest, RequestAnswerReachesRequesterCallbackWithSameCorrelationId) {
  start(RouterOptions{.clock = [] { return Timestamp{1700000000, 5}; }});
  auto id = router_->request(kA, kB, bytes("ping"), 5000);
  ASSERT_TRUE(id) << id.error().to_string();
  ASSERT_TRUE(endpoint_.wait_count(kA, 1));
  auto to_b = endpoint_.deliveries_to(kB);
  ASSERT_EQ(to_b.size(), 1u);
  EXPECT_FALSE(to_b[0].callback);
  EXPECT_EQ(to_b[0].message.sender, kA);
  EXPECT_EQ(text(to_b[0].message.payload), "ping");
  EXPECT_EQ(to_b[0].message.metadata.correlation_id, *id);
  EXPECT_EQ(to_b[0].message.metadata.reply_to, kA);
  EXPECT_EQ(to_b[0].message.metadata.timestamp, (Timestamp{1700000000, 5}));
  auto to_a = endpoint_.deliveries_to(kA);
  ASSERT_EQ(to_a.size(), 1u);
  EXPECT_TRUE(to_a[0].callback);
  EXPECT_EQ(to_a[0].message.sender, kB);
  EXPECT_EQ(text(to_a[0].message.payload), "re:ping");
  EXPECT_EQ(to_a[0].message.metadata.correlation_id, *id);
  EXPECT_EQ(to_a[0].message.metadata.content_type, std::nullopt);
  // The request is over: it can no longer be cancelled.
  EXPECT_FALSE(router_->cancel_request(kA, *id));
}

TEST_F(RouterTest, CorrelationIdsAreDistinctUuids) {
  start();
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    auto id = router_->request(kA, kB, bytes("x"), 0);
    ASSERT_TRUE(id);
    ASSERT_EQ(id->size(), 36u);
    EXPECT_EQ((*id)[14], '4');  // version 4
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 100u);
  ASSERT_TRUE(endpoint_.wait_count(kA, 100));
}

TEST_F(RouterTest, NoAnswerAndFailedDeliveryStillEndTheRequest) {
  start();
  endpoint_.set_handler([](const ComponentId&, const ComponentMessage& message) -> FakeEndpoint::Answer {
    if (text(message.payload) == "fail") {
      return std::unexpected(WasmError{WasmError::Case::kRuntimeError, "trap: unreachable"});
    }
    return std::optional<MessagePayload>();
  });
  std::vector<WasmError> reported;
  std::mutex reported_mutex;
  router_.reset();
  router_ = make_in_process_router(
      endpoint_, RouterOptions{.on_delivery_error = [&](const ComponentId& target, const WasmError& error) {
        std::lock_guard lock(reported_mutex);
        reported.push_back(error);
      }});
  auto silent = router_->request(kA, kB, bytes("quiet"), 5000);
  auto failing = router_->request(kA, kB, bytes("fail"), 5000);
  ASSERT_TRUE(silent && failing);
  ASSERT_TRUE(endpoint_.wait_count(kA, 2));
  auto to_a = endpoint_.callbacks_to(kA);
  ASSERT_EQ(to_a.size(), 2u);
  EXPECT_EQ(to_a[0].message.metadata.correlation_id, *silent);
  EXPECT_EQ(to_a[0].message.metadata.content_type, std::string(kContentTypeNoReply));
  EXPECT_TRUE(to_a[0].message.payload.empty());
  EXPECT_EQ(to_a[1].message.metadata.correlation_id, *failing);
  EXPECT_EQ(to_a[1].message.metadata.content_type, std::string(kContentTypeError));
  EXPECT_EQ(text(to_a[1].message.payload), "runtime-error(\"trap: unreachable\")");
  std::lock_guard lock(reported_mutex);
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].message, "trap: unreachable");
}

TEST_F(RouterTest, TimeoutCallbackThenLateAnswerIsDropped) {
  start();
  endpoint_.close_gate(kB);
  auto id = router_->request(kA, kB, bytes("slow"), 50);
  ASSERT_TRUE(id);
  ASSERT_TRUE(endpoint_.wait_parked(kB));
  ASSERT_TRUE(endpoint_.wait_count(kA, 1));  // the timeout, while B still holds the request
  auto to_a = endpoint_.callbacks_to(kA);
  ASSERT_EQ(to_a.size(), 1u);
  EXPECT_EQ(to_a[0].message.sender, kB);
  EXPECT_EQ(to_a[0].message.metadata.correlation_id, *id);
  EXPECT_EQ(to_a[0].message.metadata.content_type, std::string(kContentTypeTimeout));
  EXPECT_EQ(text(to_a[0].message.payload), "correlation-timeout(\"" + *id + "\")");
  endpoint_.open_gate(kB);
  barrier(kB);  // B's late answer has been processed...
  barrier(kA);  // ...and anything it produced for A would have arrived before this marker
  EXPECT_EQ(endpoint_.callbacks_to(kA).size(), 1u);
}

TEST_F(RouterTest, RequestTimingOutWhileQueuedIsNotDelivered) {
  start();
  endpoint_.close_gate(kB);
  ASSERT_TRUE(router_->send(kA, kB, bytes("first")));
  ASSERT_TRUE(endpoint_.wait_parked(kB));
  auto id = router_->request(kA, kB, bytes("queued"), 20);
  ASSERT_TRUE(id);
  ASSERT_TRUE(endpoint_.wait_count(kA, 1));
  EXPECT_EQ(endpoint_.callbacks_to(kA)[0].message.metadata.content_type, std::string(kContentTypeTimeout));
  endpoint_.open_gate(kB);
  barrier(kB);
  auto to_b = real_deliveries_to(kB);
  ASSERT_EQ(to_b.size(), 1u);
  EXPECT_EQ(text(to_b[0].message.payload), "first");
}

TEST_F(RouterTest, CancelStopsTheCallback) {
  start();
  endpoint_.close_gate(kB);
  auto in_flight = router_->request(kA, kB, bytes("in-flight"), 0);
  ASSERT_TRUE(in_flight);
  ASSERT_TRUE(endpoint_.wait_parked(kB));
  auto queued = router_->request(kA, kB, bytes("queued"), 0);
  auto kept = router_->request(kA, kB, bytes("kept"), 0);
  ASSERT_TRUE(queued && kept);
  // Only the requester can cancel; someone else gets the same answer as for an unknown id.
  auto foreign = router_->cancel_request(kC, *kept);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().to_string(), "invalid-message(\"no pending request " + *kept + "\")");
  EXPECT_TRUE(router_->cancel_request(kA, *in_flight));
  EXPECT_TRUE(router_->cancel_request(kA, *queued));
  auto twice = router_->cancel_request(kA, *queued);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, MessagingError::Case::kInvalidMessage);
  EXPECT_FALSE(router_->cancel_request(kA, "no-such-id"));
  endpoint_.open_gate(kB);
  ASSERT_TRUE(endpoint_.wait_count(kA, 1));
  barrier(kB);
  barrier(kA);
  auto to_a = endpoint_.callbacks_to(kA);
  ASSERT_EQ(to_a.size(), 1u);
  EXPECT_EQ(to_a[0].message.metadata.correlation_id, *kept);
  // The cancelled queued request never reached B; the one already in handle-message ran to its end.
  std::vector<std::string> got;
  for (const auto& d : real_deliveries_to(kB)) got.push_back(text(d.message.payload));
  EXPECT_EQ(got, (std::vector<std::string>{"in-flight", "kept"}));
}

TEST_F(RouterTest, BroadcastIsAllOrNothing) {
  start(RouterOptions{.mailbox_capacity = 1});
  std::vector<ComponentId> targets{kB, kC, kB};
  ASSERT_TRUE(router_->broadcast(kA, targets, bytes("hello")));
  ASSERT_TRUE(endpoint_.wait_count(kB, 1));
  ASSERT_TRUE(endpoint_.wait_count(kC, 1));
  EXPECT_TRUE(router_->broadcast(kA, {}, bytes("nobody")));

  std::vector<ComponentId> with_unknown{kB, kUnknown};
  auto unknown = router_->broadcast(kA, with_unknown, bytes("not sent"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, MessagingError::Case::kTargetNotFound);
  EXPECT_EQ(unknown.error().target, kUnknown);

  endpoint_.close_gate(kC);
  ASSERT_TRUE(router_->send(kA, kC, bytes("held")));
  ASSERT_TRUE(endpoint_.wait_parked(kC));
  ASSERT_TRUE(router_->send(kA, kC, bytes("fills C")));
  std::vector<ComponentId> b_and_full_c{kB, kC};
  auto full = router_->broadcast(kA, b_and_full_c, bytes("not sent either"));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().kind, MessagingError::Case::kQueueFull);
  endpoint_.open_gate(kC);
  ASSERT_TRUE(endpoint_.wait_count(kC, 3));
  barrier(kB);
  barrier(kC);
  std::vector<std::string> to_b, to_c;
  for (const auto& d : real_deliveries_to(kB)) to_b.push_back(text(d.message.payload));
  for (const auto& d : real_deliveries_to(kC)) to_c.push_back(text(d.message.payload));
  EXPECT_EQ(to_b, (std::vector<std::string>{"hello"}));
  EXPECT_EQ(to_c, (std::vector<std::string>{"hello", "held", "fills C"}));
}

TEST_F(RouterTest, RemovingATargetFailsItsQueuedRequests) {
  start();
  endpoint_.close_gate(kB);
  auto in_flight = router_->request(kA, kB, bytes("in-flight"), 0);
  ASSERT_TRUE(in_flight);
  ASSERT_TRUE(endpoint_.wait_parked(kB));
  auto queued = router_->request(kA, kB, bytes("queued"), 0);
  ASSERT_TRUE(router_->send(kA, kB, bytes("queued send")));
  ASSERT_TRUE(queued);
  endpoint_.remove(kB);
  router_->component_removed(kB);
  // The queued request fails at once, while B's current delivery still runs.
  ASSERT_TRUE(endpoint_.wait_count(kA, 1));
  auto to_a = endpoint_.callbacks_to(kA);
  EXPECT_EQ(to_a[0].message.metadata.correlation_id, *queued);
  EXPECT_EQ(to_a[0].message.metadata.content_type, std::string(kContentTypeError));
  EXPECT_EQ(text(to_a[0].message.payload), "component-not-found(\"demo/b/1\")");
  auto gone = router_->send(kA, kB, bytes("x"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, MessagingError::Case::kTargetNotFound);
  // The delivery in progress completes and its answer still reaches A.
  endpoint_.open_gate(kB);
  ASSERT_TRUE(endpoint_.wait_count(kA, 2));
  to_a = endpoint_.callbacks_to(kA);
  EXPECT_EQ(to_a[1].message.metadata.correlation_id, *in_flight);
  EXPECT_EQ(text(to_a[1].message.payload), "re:in-flight");
  barrier(kA);
  EXPECT_EQ(endpoint_.deliveries_to(kB).size(), 1u);  // nothing after the removal
}

TEST_F(RouterTest, RemovingARequesterForgetsItsRequests) {
  start();
  endpoint_.close_gate(kB);
  auto id = router_->request(kA, kB, bytes("for a"), 0);
  ASSERT_TRUE(id);
  ASSERT_TRUE(endpoint_.wait_parked(kB));
  endpoint_.remove(kA);
  router_->component_removed(kA);
  EXPECT_FALSE(router_->cancel_request(kA, *id));  // no longer pending
  endpoint_.open_gate(kB);
  barrier(kB);
  EXPECT_TRUE(endpoint_.deliveries_to(kA).empty());
  // Reloaded under the same id, A starts afresh and is reachable again.
  endpoint_.add(kA);
  router_->component_added(kA);
  barrier(kA);
  EXPECT_TRUE(endpoint_.callbacks_to(kA).empty());
}

TEST_F(RouterTest, ReloadWhileDeliveringNeverOverlaps) {
  start();
  endpoint_.close_gate(kB);
  ASSERT_TRUE(router_->send(kA, kB, bytes("old")));
  ASSERT_TRUE(endpoint_.wait_parked(kB));
  router_->component_removed(kB);
  router_->component_added(kB);  // reloaded while the old delivery runs
  ASSERT_TRUE(router_->send(kA, kB, bytes("new")));
  endpoint_.open_gate(kB);
  ASSERT_TRUE(endpoint_.wait_count(kB, 2));
  EXPECT_FALSE(endpoint_.overlapped());
  EXPECT_EQ(text(endpoint_.deliveries_to(kB)[1].message.payload), "new");
}

TEST_F(RouterTest, RequestToSelfAnswersAfterTheCurrentCall) {
  start();
  auto id = router_->request(kA, kA, bytes("me"), 0);
  ASSERT_TRUE(id);
  ASSERT_TRUE(endpoint_.wait_count(kA, 2));
  auto to_a = endpoint_.deliveries_to(kA);
  EXPECT_FALSE(to_a[0].callback);
  EXPECT_TRUE(to_a[1].callback);
  EXPECT_EQ(text(to_a[1].message.payload), "re:me");
  EXPECT_FALSE(endpoint_.overlapped());
}

TEST_F(RouterTest, PendingRequestsAreBounded) {
  start(RouterOptions{.max_pending_requests = 2});
  endpoint_.close_gate(kB);
  ASSERT_TRUE(router_->request(kA, kB, bytes("1"), 0));
  ASSERT_TRUE(router_->request(kA, kB, bytes("2"), 0));
  auto third = router_->request(kA, kB, bytes("3"), 0);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().kind, MessagingError::Case::kQueueFull);
  EXPECT_TRUE(router_->send(kA, kB, bytes("sends are not requests")));
  endpoint_.open_gate(kB);
  ASSERT_TRUE(endpoint_.wait_count(kA, 2));
}

TEST_F(RouterTest, ShutdownWithPendingWork) {
  start(RouterOptions{.worker_threads = 2});
  endpoint_.close_gate(kB);
  ASSERT_TRUE(router_->send(kA, kB, bytes("in progress")));
  ASSERT_TRUE(endpoint_.wait_parked(kB));
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(router_->send(kA, kB, bytes("queued")));
    ASSERT_TRUE(router_->request(kA, kB, bytes("request"), i % 2 ? 0 : 1));
  }
  std::thread stopper([&] { router_->shutdown(); });
  // shutdown waits for the delivery in progress; everything queued is dropped without callbacks.
  auto refused = [&] { return !router_->send(kA, kC, bytes("late")); };
  for (int i = 0; i < 1000 && !refused(); ++i) std::this_thread::sleep_for(1ms);
  auto late = router_->send(kA, kC, bytes("late"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().to_string(), "delivery-failed(\"router is shut down\")");
  EXPECT_FALSE(router_->request(kA, kC, bytes("late"), 0));
  endpoint_.open_gate(kB);
  stopper.join();
  EXPECT_EQ(endpoint_.in_flight(), 0u);
  size_t after_shutdown = endpoint_.deliveries().size();
  router_->shutdown();  // idempotent
  router_.reset();
  EXPECT_EQ(endpoint_.deliveries().size(), after_shutdown);
  // B: only the delivery that was in progress (the queued messages and requests were dropped). A may have
  // had timeout callbacks (1 ms requests) before the shutdown, never an answer from B.
  EXPECT_EQ(endpoint_.deliveries_to(kB).size(), 1u);
  for (const auto& callback : endpoint_.callbacks_to(kA)) {
    EXPECT_EQ(callback.message.metadata.content_type, std::string(kContentTypeTimeout));
  }
}

TEST_F(RouterTest, ConcurrentChaosKeepsTheInvariants) {
  // Four requesters send, request (with and without short timeouts) and cancel from their own threads,
  // while another thread keeps unloading and reloading the four targets. Afterwards: no target was ever
  // delivered to twice at once, each requester's messages reached each target in the order sent, and
  // every request that was accepted and not cancelled ended with exactly one callback (answer, no-reply,
  // error or timeout), a cancelled one with none.
  const std::vector<ComponentId> senders{{"s", "s", "0"}, {"s", "s", "1"}, {"s", "s", "2"}, {"s", "s", "3"}};
  const std::vector<ComponentId> targets{{"t", "t", "0"}, {"t", "t", "1"}, {"t", "t", "2"}, {"t", "t", "3"}};
  for (const auto& id : senders) endpoint_.add(id);
  for (const auto& id : targets) endpoint_.add(id);
  endpoint_.set_handler([](const ComponentId&, const ComponentMessage& message) -> FakeEndpoint::Answer {
    std::string body = text(message.payload);
    if (body.ends_with("0")) return std::unexpected(WasmError{WasmError::Case::kRuntimeError, "boom"});
    if (body.ends_with("1")) return std::optional<MessagePayload>();
    if (body.ends_with("7")) std::this_thread::sleep_for(3ms);  // queues build up: timeouts, queued removals
    return std::optional<MessagePayload>(message.payload);
  });
  router_ = make_in_process_router(endpoint_, RouterOptions{.mailbox_capacity = 64, .worker_threads = 3});
  for (const auto& id : senders) router_->component_added(id);
  for (const auto& id : targets) router_->component_added(id);

  struct Outcome {
    std::vector<std::string> live;       // accepted, not cancelled: exactly one callback each
    std::vector<std::string> cancelled;  // no callback
  };
  std::vector<Outcome> outcomes(senders.size());
  std::atomic<bool> done{false};
  std::thread chaos([&] {
    for (int round = 0; !done; ++round) {
      const ComponentId& target = targets[size_t(round) % targets.size()];
      endpoint_.remove(target);
      router_->component_removed(target);
      std::this_thread::yield();
      endpoint_.add(target);
      router_->component_added(target);
      std::this_thread::sleep_for(200us);
    }
  });
  std::vector<std::thread> threads;
  for (size_t s = 0; s < senders.size(); ++s) {
    threads.emplace_back([&, s] {
      std::mt19937 random{unsigned(s)};
      for (int i = 0; i < 400; ++i) {
        if (i % 20 == 0) std::this_thread::sleep_for(100us);  // let the unloads interleave
        const ComponentId& target = targets[random() % targets.size()];
        std::string body = "seq " + std::to_string(i);
        if (random() % 2) {
          (void)router_->send(senders[s], target, bytes(body));
          continue;
        }
        uint64_t timeout = random() % 3 == 0 ? 0 : 1 + random() % 20;
        auto id = router_->request(senders[s], target, bytes(body), timeout);
        if (!id) continue;
        if (random() % 4 == 0 && router_->cancel_request(senders[s], *id)) {
          outcomes[s].cancelled.push_back(*id);
        } else {
          outcomes[s].live.push_back(*id);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  done = true;
  chaos.join();

  auto callbacks_by_id = [&] {
    std::map<std::string, int> count;
    for (const auto& d : endpoint_.deliveries()) {
      if (d.callback) ++count[d.message.metadata.correlation_id.value_or("?")];
    }
    return count;
  };
  size_t live = 0;
  for (const auto& outcome : outcomes) live += outcome.live.size();
  ASSERT_GT(live, 0u);
  ASSERT_TRUE(endpoint_.wait_for([&](const std::vector<FakeEndpoint::Delivery>& all) {
    size_t callbacks = 0;
    for (const auto& d : all) callbacks += d.callback;
    return callbacks >= live;
  }));
  for (const auto& id : senders) barrier(id);
  auto count = callbacks_by_id();
  for (const auto& outcome : outcomes) {
    for (const auto& id : outcome.live) EXPECT_EQ(count[id], 1) << id;
    for (const auto& id : outcome.cancelled) EXPECT_EQ(count[id], 0) << id;
  }
  size_t total = 0;
  for (const auto& [id, n] : count) total += size_t(n);
  EXPECT_EQ(total, live);

  EXPECT_FALSE(endpoint_.overlapped());
  // Per (sender, target), sequence numbers only grow.
  std::map<std::pair<ComponentId, ComponentId>, int> last;
  for (const auto& d : endpoint_.deliveries()) {
    if (d.callback || !text(d.message.payload).starts_with("seq ")) continue;
    int seq = std::stoi(text(d.message.payload).substr(4));
    auto key = std::pair{d.message.sender, d.target};
    auto it = last.find(key);
    if (it != last.end()) {
      EXPECT_GT(seq, it->second);
    }
    last[key] = seq;
  }
}

}  // namespace
}  // namespace airwasm::host
