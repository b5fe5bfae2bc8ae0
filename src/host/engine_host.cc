// airwasm plugin host: the host interfaces of world airssys:core/runtime-host, defined in the engine's
// component Linker with typed host functions (airwasm/component/typed.hh). A host function finds the
// calling component through its Store's data (engine_internal.hh).
//
// host-messaging: the engine's MessageRouter (messaging.hh) after the capability check of the caller's
// grant (a denial is delivery-failed("capability denied: ...") and an audit record); self-id is the caller.
// storage: the engine's KeyValueStore in the caller's namespace, after the capability check (a denial is
// io-error("capability denied: ...")).
//
// host-services: log (to the engine's LogSink, default StderrLogSink), current-time, current-time-millis,
// sleep-millis (host_sleep_millis, engine.cc: parks an asynchronous call without holding a thread; a blocking
// call waits, ending early with the trap of an interrupt or the deadline),
// list-components, get-component-metadata (from the metadata the component gave at load time, so asking never
// enters the target, which may be the caller itself). The types-only interfaces airssys:core/types and
// airssys:core/errors are defined as empty instances (their type exports are checked structurally against the
// import, nothing else is needed).
#include <chrono>
#include <thread>

#include "airwasm/component/typed.hh"
#include "base/result.hh"
#include "engine_abi.hh"
#include "engine_internal.hh"

namespace airwasm::host::guest {
// variant messaging-error
struct MessagingErrorV : std::variant<std::string, std::string, std::string, std::monostate, ComponentId> {
  using variant::variant;
};
// variant storage-error
struct StorageErrorV : std::variant<std::string, std::string, std::monostate, std::string, std::string> {
  using variant::variant;
};
}  // namespace airwasm::host::guest

namespace airwasm::component {
template <>
struct WitType<host::guest::MessagingErrorV> {
  static constexpr std::array cases{"delivery-failed", "correlation-timeout", "invalid-message", "queue-full",
                                    "target-not-found"};
};
template <>
struct WitType<host::guest::StorageErrorV> {
  static constexpr std::array cases{"not-found", "already-exists", "quota-exceeded", "invalid-key",
                                    "io-error"};
};
template <>
struct WitType<host::StorageUsage> {
  static constexpr auto fields = std::make_tuple(wit_field("used-bytes", &host::StorageUsage::used_bytes),
                                                 wit_field("quota-bytes", &host::StorageUsage::quota_bytes),
                                                 wit_field("key-count", &host::StorageUsage::key_count));
};
template <>
struct WitType<host::ComponentInfo> {
  static constexpr auto fields = std::make_tuple(
      wit_field("id", &host::ComponentInfo::id), wit_field("name", &host::ComponentInfo::name),
      wit_field("version", &host::ComponentInfo::version), wit_field("health", &host::ComponentInfo::health));
};
}  // namespace airwasm::component

namespace airwasm::host {

namespace {

constexpr std::string_view kVersion = "@1.0.0";

std::string iface(std::string_view name) {
  return "airssys:core/" + std::string(name) + std::string(kVersion);
}

Timestamp now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return Timestamp{uint64_t(ns / 1'000'000'000), uint32_t(ns % 1'000'000'000)};
}

guest::MessagingErrorV to_guest(const MessagingError& e) {
  using E = MessagingError::Case;
  switch (e.kind) {
    case E::kDeliveryFailed:
      return guest::MessagingErrorV(std::in_place_index<0>, e.message);
    case E::kCorrelationTimeout:
      return guest::MessagingErrorV(std::in_place_index<1>, e.message);
    case E::kInvalidMessage:
      return guest::MessagingErrorV(std::in_place_index<2>, e.message);
    case E::kQueueFull:
      return guest::MessagingErrorV(std::in_place_index<3>);
    case E::kTargetNotFound:
      break;
  }
  return guest::MessagingErrorV(std::in_place_index<4>, e.target);
}

guest::StorageErrorV to_guest(const StorageError& e) {
  using E = StorageError::Case;
  switch (e.kind) {
    case E::kNotFound:
      return guest::StorageErrorV(std::in_place_index<0>, e.message);
    case E::kAlreadyExists:
      return guest::StorageErrorV(std::in_place_index<1>, e.message);
    case E::kQuotaExceeded:
      return guest::StorageErrorV(std::in_place_index<2>);
    case E::kInvalidKey:
      return guest::StorageErrorV(std::in_place_index<3>, e.message);
    case E::kIoError:
      break;
  }
  return guest::StorageErrorV(std::in_place_index<4>, e.message);
}

template <typename T>
using MsgResult = component::WitResult<T, guest::MessagingErrorV>;
template <typename T>
using StoreResult = component::WitResult<T, guest::StorageErrorV>;

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

Result<void> link_messaging(HostEngine::Impl& impl) {
  auto messaging = engine_linker(impl).instance(iface("host-messaging"));
  AIRWASM_TRY(messaging.func_wrap(
      "send",
      [&impl](Store& store, const ComponentId& target,
              const std::vector<uint8_t>& payload) -> TrapResult<MsgResult<void>> {
        auto cx = caller(store);
        if (!cx) return std::unexpected(cx.error());
        auto ok = engine_capabilities(impl).check_messaging((*cx)->id, MessagingAction::kSend, target);
        if (!ok) return MsgResult<void>::err(to_guest(to_messaging_error(ok.error())));
        MessageRouter* router = engine_router(impl);
        auto r = router ? router->send((*cx)->id, target, payload) : std::unexpected(no_router());
        if (!r) return MsgResult<void>::err(to_guest(r.error()));
        return MsgResult<void>::ok();
      }));
  AIRWASM_TRY(messaging.func_wrap(
      "request",
      [&impl](Store& store, const ComponentId& target, const std::vector<uint8_t>& payload,
              uint64_t timeout_ms) -> TrapResult<MsgResult<std::string>> {
        auto cx = caller(store);
        if (!cx) return std::unexpected(cx.error());
        auto ok = engine_capabilities(impl).check_messaging((*cx)->id, MessagingAction::kRequest, target);
        if (!ok) return MsgResult<std::string>::err(to_guest(to_messaging_error(ok.error())));
        MessageRouter* router = engine_router(impl);
        auto r =
            router ? router->request((*cx)->id, target, payload, timeout_ms) : std::unexpected(no_router());
        if (!r) return MsgResult<std::string>::err(to_guest(r.error()));
        return MsgResult<std::string>::ok(std::move(*r));
      }));
  AIRWASM_TRY(messaging.func_wrap(
      "cancel-request", [&impl](Store& store, const std::string& request_id) -> TrapResult<MsgResult<void>> {
        auto cx = caller(store);
        if (!cx) return std::unexpected(cx.error());
        MessageRouter* router = engine_router(impl);
        auto r = router ? router->cancel_request((*cx)->id, request_id) : std::unexpected(no_router());
        if (!r) return MsgResult<void>::err(to_guest(r.error()));
        return MsgResult<void>::ok();
      }));
  AIRWASM_TRY(messaging.func_wrap(
      "broadcast",
      [&impl](Store& store, const std::vector<ComponentId>& targets,
              const std::vector<uint8_t>& payload) -> TrapResult<MsgResult<void>> {
        auto cx = caller(store);
        if (!cx) return std::unexpected(cx.error());
        for (const auto& t : targets) {
          auto ok = engine_capabilities(impl).check_messaging((*cx)->id, MessagingAction::kBroadcast, t);
          if (!ok) return MsgResult<void>::err(to_guest(to_messaging_error(ok.error())));
        }
        MessageRouter* router = engine_router(impl);
        auto r = router ? router->broadcast((*cx)->id, targets, payload) : std::unexpected(no_router());
        if (!r) return MsgResult<void>::err(to_guest(r.error()));
        return MsgResult<void>::ok();
      }));
  AIRWASM_TRY(messaging.func_wrap("self-id", [](Store& store) -> TrapResult<ComponentId> {
    auto cx = caller(store);
    if (!cx) return std::unexpected(cx.error());
    return (*cx)->id;
  }));
  return {};
}

// One storage operation: the capability check of `action` on the caller's namespace, then `op(store, ns)`.
template <typename T, typename Op>
TrapResult<StoreResult<T>> storage_op(HostEngine::Impl& impl, Store& store, StorageAction action, Op op) {
  auto cx = caller(store);
  if (!cx) return std::unexpected(cx.error());
  const std::string& ns = (*cx)->storage_namespace;
  auto ok = engine_capabilities(impl).check_storage((*cx)->id, action, ns);
  if (!ok) return StoreResult<T>::err(to_guest(to_storage_error(ok.error())));
  auto r = op(engine_storage(impl), ns);
  if (!r) return StoreResult<T>::err(to_guest(r.error()));
  if constexpr (std::is_void_v<T>)
    return StoreResult<T>::ok();
  else
    return StoreResult<T>::ok(std::move(*r));
}

Result<void> link_storage(HostEngine::Impl& impl) {
  auto storage = engine_linker(impl).instance(iface("storage"));
  AIRWASM_TRY(storage.func_wrap("get", [&impl](Store& store, const std::string& key) {
    return storage_op<std::optional<std::vector<uint8_t>>>(
        impl, store, StorageAction::kRead,
        [&](KeyValueStore& kv, const std::string& ns) { return kv.get(ns, key); });
  }));
  AIRWASM_TRY(storage.func_wrap("set", [&impl](Store& store, const std::string& key,
                                               const std::vector<uint8_t>& value) {
    return storage_op<void>(impl, store, StorageAction::kWrite,
                            [&](KeyValueStore& kv, const std::string& ns) { return kv.set(ns, key, value); });
  }));
  AIRWASM_TRY(storage.func_wrap("delete", [&impl](Store& store, const std::string& key) {
    return storage_op<void>(impl, store, StorageAction::kDelete,
                            [&](KeyValueStore& kv, const std::string& ns) { return kv.remove(ns, key); });
  }));
  AIRWASM_TRY(storage.func_wrap("exists", [&impl](Store& store, const std::string& key) {
    return storage_op<bool>(impl, store, StorageAction::kRead,
                            [&](KeyValueStore& kv, const std::string& ns) { return kv.exists(ns, key); });
  }));
  AIRWASM_TRY(storage.func_wrap("list-keys", [&impl](Store& store, const std::optional<std::string>& prefix) {
    return storage_op<std::vector<std::string>>(
        impl, store, StorageAction::kList, [&](KeyValueStore& kv, const std::string& ns) {
          return kv.list_keys(ns, prefix ? std::optional<std::string_view>(*prefix) : std::nullopt);
        });
  }));
  AIRWASM_TRY(storage.func_wrap("usage", [&impl](Store& store) {
    return storage_op<StorageUsage>(impl, store, StorageAction::kRead,
                                    [&](KeyValueStore& kv, const std::string& ns) { return kv.usage(ns); });
  }));
  return {};
}

Result<void> link_services(HostEngine::Impl& impl) {
  auto services = engine_linker(impl).instance(iface("host-services"));
  using Context = std::optional<std::vector<std::tuple<std::string, std::string>>>;
  AIRWASM_TRY(services.func_wrap(
      "log", [&impl](Store& store, LogLevel level, std::string_view message, const Context& context) {
        LogRecord record;
        if (const HostContext* cx = current_context(store)) record.component = cx->id;
        record.level = level;
        record.message = std::string(message);
        if (context)
          for (const auto& [k, v] : *context) record.context.emplace_back(k, v);
        record.time = system_timestamp();
        engine_log(impl).log(record);
      }));
  AIRWASM_TRY(services.func_wrap("current-time", [] { return now(); }));
  AIRWASM_TRY(services.func_wrap("current-time-millis", [] {
    const Timestamp t = now();
    return t.seconds * 1000 + t.nanoseconds / 1'000'000;
  }));
  AIRWASM_TRY(services.func_wrap("sleep-millis", [](Store& store, uint64_t ms) -> TrapResult<void> {
    return host_sleep_millis(store, ms);
  }));
  AIRWASM_TRY(services.func_wrap("list-components", [&impl] { return engine_list_components(impl); }));
  AIRWASM_TRY(services.func_wrap("get-component-metadata", [&impl](const ComponentId& id) {
    auto info = engine_component_info(impl, id);
    using R = component::WitResult<ComponentInfo, guest::ComponentErrorV>;
    if (!info)
      return R::err(
          guest::ComponentErrorV(std::in_place_index<4>, "component " + id.to_string() + " is not loaded"));
    return R::ok(std::move(*info));
  }));
  return {};
}

}  // namespace

Result<void> link_host_interfaces(HostEngine::Impl& impl) {
  (void)engine_linker(impl).instance(iface("types"));
  (void)engine_linker(impl).instance(iface("errors"));
  AIRWASM_TRY(link_services(impl));
  AIRWASM_TRY(link_messaging(impl));
  AIRWASM_TRY(link_storage(impl));
  return {};
}

}  // namespace airwasm::host
