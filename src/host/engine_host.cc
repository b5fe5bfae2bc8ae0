// airwasm plugin host: the host interfaces of world airssys:core/runtime-host, as implementations of the
// Host classes generated from the WIT (bindings.hh; add_to_linker defines them in the engine's component
// Linker, with the types-only interfaces airssys:core/types and airssys:core/errors). A host function finds
// the calling component through its Store's data (engine_internal.hh).
//
// host-messaging: the engine's MessageRouter (messaging.hh) after the capability check of the caller's
// grant (a denial is delivery-failed("capability denied: ...") and an audit record); self-id is the caller.
// storage: the engine's KeyValueStore in the caller's namespace, after the capability check (a denial is
// io-error("capability denied: ...")).
//
// host-services: log (to the engine's LogSink, default StderrLogSink), current-time, current-time-millis,
// sleep-millis (host_sleep_millis, engine.cc: parks an asynchronous call without holding a thread; a blocking
// call waits, ending early with the trap of an interrupt or the deadline), list-components,
// get-component-metadata (from the metadata the component gave at load time, so asking never enters the
// target, which may be the caller itself).
#include <chrono>
#include <memory>
#include <thread>

#include "base/result.hh"
#include "bindings.hh"
#include "engine_internal.hh"

namespace airwasm::host {

namespace {

using namespace bindings;
using component::WitResult;
namespace messaging = core::host_messaging;
namespace services = core::host_services;
namespace storage = core::storage;

template <typename T>
using MsgResult = WitResult<T, core::errors::MessagingError>;
template <typename T>
using StoreResult = WitResult<T, core::errors::StorageError>;

Timestamp now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return Timestamp{uint64_t(ns / 1'000'000'000), uint32_t(ns % 1'000'000'000)};
}

// The caller, or a host-error trap when a host function runs outside the engine's Stores (cannot happen
// through the engine; guards direct use of the Linker).
TrapResult<const HostContext*> caller(Store& store) {
  const HostContext* cx = current_context(store);
  if (!cx)
    return std::unexpected(Trap(TrapCode::kHostError, "airssys host function called outside the engine"));
  return cx;
}

MessagingError no_router() {
  return MessagingError{MessagingError::Case::kDeliveryFailed, "no router", {}};
}

// One engine's host-messaging, host-services and storage. Lives as long as the engine's Linker (whose
// definitions hold it).
class EngineHost final : public messaging::Host, public services::Host, public storage::Host {
 public:
  explicit EngineHost(HostEngine::Impl& impl) : impl_(impl) {}

  // ---- host-messaging

  TrapResult<MsgResult<void>> send(Store& store, core::types::ComponentId target,
                                   core::types::MessagePayload payload) override {
    auto cx = caller(store);
    if (!cx) return std::unexpected(cx.error());
    const ComponentId to = from_generated(std::move(target));
    auto ok = engine_capabilities(impl_).check_messaging((*cx)->id, MessagingAction::kSend, to);
    if (!ok) return MsgResult<void>::err(to_generated(to_messaging_error(ok.error())));
    MessageRouter* router = engine_router(impl_);
    auto r = router ? router->send((*cx)->id, to, payload) : std::unexpected(no_router());
    if (!r) return MsgResult<void>::err(to_generated(r.error()));
    return MsgResult<void>::ok();
  }

  TrapResult<MsgResult<std::string>> request(Store& store, core::types::ComponentId target,
                                             core::types::MessagePayload payload,
                                             uint64_t timeout_ms) override {
    auto cx = caller(store);
    if (!cx) return std::unexpected(cx.error());
    const ComponentId to = from_generated(std::move(target));
    auto ok = engine_capabilities(impl_).check_messaging((*cx)->id, MessagingAction::kRequest, to);
    if (!ok) return MsgResult<std::string>::err(to_generated(to_messaging_error(ok.error())));
    MessageRouter* router = engine_router(impl_);
    auto r = router ? router->request((*cx)->id, to, payload, timeout_ms) : std::unexpected(no_router());
    if (!r) return MsgResult<std::string>::err(to_generated(r.error()));
    return MsgResult<std::string>::ok(std::move(*r));
  }

  TrapResult<MsgResult<void>> cancel_request(Store& store, std::string request_id) override {
    auto cx = caller(store);
    if (!cx) return std::unexpected(cx.error());
    MessageRouter* router = engine_router(impl_);
    auto r = router ? router->cancel_request((*cx)->id, request_id) : std::unexpected(no_router());
    if (!r) return MsgResult<void>::err(to_generated(r.error()));
    return MsgResult<void>::ok();
  }

  TrapResult<MsgResult<void>> broadcast(Store& store, std::vector<core::types::ComponentId> targets,
                                        core::types::MessagePayload payload) override {
    auto cx = caller(store);
    if (!cx) return std::unexpected(cx.error());
    std::vector<ComponentId> to;
    to.reserve(targets.size());
    for (auto& t : targets) to.push_back(from_generated(std::move(t)));
    for (const auto& t : to) {
      auto ok = engine_capabilities(impl_).check_messaging((*cx)->id, MessagingAction::kBroadcast, t);
      if (!ok) return MsgResult<void>::err(to_generated(to_messaging_error(ok.error())));
    }
    MessageRouter* router = engine_router(impl_);
    auto r = router ? router->broadcast((*cx)->id, to, payload) : std::unexpected(no_router());
    if (!r) return MsgResult<void>::err(to_generated(r.error()));
    return MsgResult<void>::ok();
  }

  TrapResult<core::types::ComponentId> self_id(Store& store) override {
    auto cx = caller(store);
    if (!cx) return std::unexpected(cx.error());
    return to_generated((*cx)->id);
  }

  // ---- host-services

  TrapResult<void> log(Store& store, core::types::LogLevel level, std::string message,
                       std::optional<std::vector<std::tuple<std::string, std::string>>> context) override {
    LogRecord record;
    if (const HostContext* cx = current_context(store)) record.component = cx->id;
    record.level = from_generated(level);
    record.message = std::move(message);
    if (context)
      for (auto& [k, v] : *context) record.context.emplace_back(std::move(k), std::move(v));
    record.time = system_timestamp();
    engine_log(impl_).log(record);
    return {};
  }

  TrapResult<core::types::Timestamp> current_time(Store&) override { return to_generated(now()); }

  TrapResult<uint64_t> current_time_millis(Store&) override {
    const Timestamp t = now();
    return t.seconds * 1000 + t.nanoseconds / 1'000'000;
  }

  TrapResult<void> sleep_millis(Store& store, uint64_t duration_ms) override {
    return host_sleep_millis(store, duration_ms);
  }

  TrapResult<std::vector<core::types::ComponentId>> list_components(Store&) override {
    std::vector<core::types::ComponentId> ids;
    for (const auto& id : engine_list_components(impl_)) ids.push_back(to_generated(id));
    return ids;
  }

  TrapResult<WitResult<services::ComponentInfo, core::errors::ComponentError>> get_component_metadata(
      Store&, core::types::ComponentId id) override {
    using R = WitResult<services::ComponentInfo, core::errors::ComponentError>;
    const ComponentId target = from_generated(std::move(id));
    auto info = engine_component_info(impl_, target);
    if (!info)
      return R::err(
          core::errors::ComponentError::invalid_state("component " + target.to_string() + " is not loaded"));
    return R::ok(services::ComponentInfo{to_generated(info->id), std::move(info->name),
                                         std::move(info->version), std::move(info->health)});
  }

  // ---- storage

  TrapResult<StoreResult<std::optional<std::vector<uint8_t>>>> get(Store& store, std::string key) override {
    return storage_op<std::optional<std::vector<uint8_t>>>(
        store, StorageAction::kRead,
        [&](KeyValueStore& kv, const std::string& ns) { return kv.get(ns, key); });
  }

  TrapResult<StoreResult<void>> set(Store& store, std::string key, std::vector<uint8_t> value) override {
    return storage_op<void>(store, StorageAction::kWrite,
                            [&](KeyValueStore& kv, const std::string& ns) { return kv.set(ns, key, value); });
  }

  TrapResult<StoreResult<void>> delete_(Store& store, std::string key) override {
    return storage_op<void>(store, StorageAction::kDelete,
                            [&](KeyValueStore& kv, const std::string& ns) { return kv.remove(ns, key); });
  }

  TrapResult<StoreResult<bool>> exists(Store& store, std::string key) override {
    return storage_op<bool>(store, StorageAction::kRead,
                            [&](KeyValueStore& kv, const std::string& ns) { return kv.exists(ns, key); });
  }

  TrapResult<StoreResult<std::vector<std::string>>> list_keys(Store& store,
                                                              std::optional<std::string> prefix) override {
    return storage_op<std::vector<std::string>>(
        store, StorageAction::kList, [&](KeyValueStore& kv, const std::string& ns) {
          return kv.list_keys(ns, prefix ? std::optional<std::string_view>(*prefix) : std::nullopt);
        });
  }

  TrapResult<StoreResult<storage::StorageUsage>> usage(Store& store) override {
    auto r = storage_op<StorageUsage>(store, StorageAction::kRead,
                                      [&](KeyValueStore& kv, const std::string& ns) { return kv.usage(ns); });
    if (!r) return std::unexpected(std::move(r.error()));
    if (!r->is_ok()) return StoreResult<storage::StorageUsage>::err(std::move(r->error()));
    return StoreResult<storage::StorageUsage>::ok(to_generated(r->value()));
  }

 private:
  // One storage operation: the capability check of `action` on the caller's namespace, then `op(kv, ns)`.
  template <typename T, typename Op>
  TrapResult<StoreResult<T>> storage_op(Store& store, StorageAction action, Op op) {
    auto cx = caller(store);
    if (!cx) return std::unexpected(cx.error());
    const std::string& ns = (*cx)->storage_namespace;
    auto ok = engine_capabilities(impl_).check_storage((*cx)->id, action, ns);
    if (!ok) return StoreResult<T>::err(to_generated(to_storage_error(ok.error())));
    auto r = op(engine_storage(impl_), ns);
    if (!r) return StoreResult<T>::err(to_generated(r.error()));
    if constexpr (std::is_void_v<T>)
      return StoreResult<T>::ok();
    else
      return StoreResult<T>::ok(std::move(*r));
  }

  HostEngine::Impl& impl_;
};

}  // namespace

Result<void> link_host_interfaces(HostEngine::Impl& impl) {
  // The Linker's definitions share the one EngineHost, so it lives exactly as long as they do.
  auto host = std::make_shared<EngineHost>(impl);
  AIRWASM_TRY(
      services::add_to_linker(engine_linker(impl), [host](Store&) -> services::Host& { return *host; }));
  AIRWASM_TRY(
      messaging::add_to_linker(engine_linker(impl), [host](Store&) -> messaging::Host& { return *host; }));
  AIRWASM_TRY(
      storage::add_to_linker(engine_linker(impl), [host](Store&) -> storage::Host& { return *host; }));
  return {};
}

}  // namespace airwasm::host
