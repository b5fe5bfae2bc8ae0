// airwasm plugin host: the message router behind the airssys `host-messaging` interface.
//
// `MessageRouter` is abstract so that a transport over a message broker can carry messages between hosts
// later without changing components; `make_in_process_router` is the in-process implementation. The router
// knows nothing of WebAssembly: it reaches components through the `MessageEndpoint` the engine implements.
//
// The in-process router's contract:
// - One bounded mailbox (FIFO) per component. send / request / broadcast only enqueue and return; delivery
//   happens on the router's worker threads, never on the caller's stack (so a component that sends to
//   itself, or to a component that answers it, never re-enters itself).
// - Per target: messages are delivered in the order they were accepted, one at a time (at most one
//   deliver_* call per target is running at any moment). Different targets are delivered in parallel.
// - A full mailbox gives queue-full; an unknown target (never added, or removed) gives target-not-found.
// - request(): the target's handle-message receives the message with metadata.correlation_id = the
//   returned id and metadata.reply_to = the requester. Exactly one callback then reaches the requester's
//   handle-callback, with the same correlation id, unless the request is cancelled first:
//     * the answer: sender = target, payload = the answer, content_type absent;
//     * no answer (handle-message returned none): empty payload, content_type kContentTypeNoReply;
//     * the delivery failed (trap, limit, target removed before delivery): payload = the WasmError in WAVE
//       syntax as UTF-8, content_type kContentTypeError;
//     * the timeout expired first: payload = `correlation-timeout("<id>")` as UTF-8, content_type
//       kContentTypeTimeout; a later answer is dropped.
//   timeout_ms counts from the request call; 0 means no timeout. A request that is cancelled or timed out
//   before its delivery starts is not delivered at all.
// - cancel_request(requester, id): the requester gets no callback for it; only the requester can cancel.
// - Callbacks go through the requester's mailbox (same ordering and one-at-a-time rule) but are never
//   refused for a full mailbox: their number is bounded by the pending requests (max_pending_requests).
// - component_removed(id): its queued messages are dropped (queued requests to it get an error callback),
//   requests it made are forgotten (no callback), no new delivery to it starts. A delivery already taken
//   from its mailbox may still run; the endpoint must answer it (e.g. component-not-found).
// - shutdown(): new operations fail with delivery-failed("router is shut down"); deliveries in progress
//   complete; queued messages and pending requests are dropped without callbacks; the threads are joined.
//   Idempotent; the destructor calls it. Must not be called from inside a deliver_* call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "airwasm/host/types.hh"

namespace airwasm::host {

// content_type values the router puts on the callbacks it makes up (see the contract above).
inline constexpr std::string_view kContentTypeTimeout = "application/x-airssys-timeout";
inline constexpr std::string_view kContentTypeError = "application/x-airssys-error";
inline constexpr std::string_view kContentTypeNoReply = "application/x-airssys-no-reply";

// What the router needs from the engine. Called from the router's worker threads, never with a router
// lock held, and never twice at once for the same target.
class MessageEndpoint {
 public:
  virtual ~MessageEndpoint() = default;
  // Whether `id` is loaded. Consulted (without router locks, on the caller's thread) when a target, or
  // the requester of a request, has no mailbox yet: a component loaded before component_added() was
  // called is still reachable and still gets its callbacks. So the engine must stop answering true before
  // it calls component_removed().
  virtual bool has_component(const ComponentId& id) = 0;
  // Blocking call of the target's handle-message; its answer, if any.
  virtual std::expected<std::optional<MessagePayload>, WasmError> deliver_message(
      const ComponentId& target, const ComponentMessage& message) = 0;
  // Blocking call of the target's handle-callback.
  virtual std::expected<void, WasmError> deliver_callback(const ComponentId& target,
                                                          const ComponentMessage& message) = 0;

  // The same without holding the router's thread: `done` is called exactly once with the outcome, on any
  // thread, possibly before the call returns; the router's shutdown waits for outstanding ones. The
  // defaults run the blocking calls (HostEngine runs them as sliced calls on its own workers, so a target
  // that sleeps or spins holds no router thread).
  using MessageDone = std::function<void(std::expected<std::optional<MessagePayload>, WasmError>)>;
  using CallbackDone = std::function<void(std::expected<void, WasmError>)>;
  virtual void deliver_message_async(const ComponentId& target, ComponentMessage message, MessageDone done) {
    done(deliver_message(target, message));
  }
  virtual void deliver_callback_async(const ComponentId& target, ComponentMessage message,
                                      CallbackDone done) {
    done(deliver_callback(target, message));
  }
};

class MessageRouter {
 public:
  virtual ~MessageRouter() = default;

  // Fire and forget: enqueues a message to `to`; the target's answer, if any, is discarded.
  virtual std::expected<void, MessagingError> send(const ComponentId& from, const ComponentId& to,
                                                   MessagePayload payload) = 0;
  // Enqueues a request; returns its correlation id (also its request id for cancel_request).
  virtual std::expected<CorrelationId, MessagingError> request(const ComponentId& from, const ComponentId& to,
                                                               MessagePayload payload,
                                                               uint64_t timeout_ms) = 0;
  // invalid-message("no pending request ...") when `from` has no pending request with that id (never
  // made, already answered, timed out or cancelled).
  virtual std::expected<void, MessagingError> cancel_request(const ComponentId& from,
                                                             const RequestId& request_id) = 0;
  // Sends the payload to every distinct target, all or nothing: if one target is unknown
  // (target-not-found) or has a full mailbox (queue-full), no message is enqueued. No targets: ok.
  virtual std::expected<void, MessagingError> broadcast(const ComponentId& from,
                                                        std::span<const ComponentId> targets,
                                                        const MessagePayload& payload) = 0;

  // The engine's lifecycle notifications: after load, and at unload.
  virtual void component_added(const ComponentId& id) = 0;
  virtual void component_removed(const ComponentId& id) = 0;

  virtual void shutdown() = 0;
};

struct RouterOptions {
  size_t mailbox_capacity = 1024;       // messages waiting per component (callbacks are not counted)
  size_t worker_threads = 2;            // at least 1
  size_t max_pending_requests = 65536;  // router-wide; request() beyond it gives queue-full
  // Wall clock for metadata.timestamp (tests inject a fixed one). Default: the system clock.
  std::function<Timestamp()> clock;
  // Told about every failed delivery of a send, request or callback (e.g. to log it); called on a worker
  // thread, must be thread-safe and must not call the router.
  std::function<void(const ComponentId& target, const WasmError& error)> on_delivery_error;
};

std::unique_ptr<MessageRouter> make_in_process_router(MessageEndpoint& endpoint, RouterOptions options = {});

// The system wall clock as a Timestamp (seconds and nanoseconds since the Unix epoch).
Timestamp system_timestamp();

}  // namespace airwasm::host
