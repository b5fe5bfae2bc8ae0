// airwasm plugin host (internal): the generated airssys bindings (runtime_host.hh, written at build time by
// airwasm-bindgen from wit/airssys, see src/host/CMakeLists.txt) and the conversions between their types and
// the public ones of include/airwasm/host/ (types.hh, engine.hh, storage.hh). The public types stay
// hand-written so that the installed API does not follow the generator; this header is the one place where
// the two meet, for the engine's lifecycle calls (engine.cc) and its host interfaces (engine_host.cc).
#pragma once

#include <string>
#include <utility>

#include "airwasm/host/engine.hh"
#include "airwasm/host/storage.hh"
#include "airwasm/host/types.hh"
#include "runtime_host.hh"

namespace airwasm::host::bindings {

namespace core = ::airssys::core;
namespace lifecycle = ::airssys::core::component_lifecycle;

// The typed lifecycle exports, with the generated types (what lifecycle::Guest holds). The engine binds each
// on its own, so that a component lacking one still loads and only calls to that export fail.
using HandleMessageFn =
    component::TypedFunc<component::WitResult<std::optional<lifecycle::MessagePayload>, lifecycle::WasmError>(
        lifecycle::ComponentMessage)>;
using HandleCallbackFn =
    component::TypedFunc<component::WitResult<void, lifecycle::WasmError>(lifecycle::ComponentMessage)>;
using InitializeFn =
    component::TypedFunc<component::WitResult<void, lifecycle::ComponentError>(lifecycle::ComponentConfig)>;
using ShutdownFn = component::TypedFunc<component::WitResult<void, lifecycle::ComponentError>()>;
using MetadataFn = component::TypedFunc<lifecycle::ComponentMetadata()>;
using HealthFn = component::TypedFunc<lifecycle::HealthStatus()>;

// The enums have the same cases in the same (WIT) order.
static_assert(int(core::types::LogLevel::kError) == int(LogLevel::kError));
static_assert(int(core::types::HealthStatus::kUnknown) == int(HealthStatus::kUnknown));
static_assert(int(core::errors::WasmError::Case::kRuntimeError) == int(WasmError::Case::kRuntimeError));
static_assert(int(core::errors::ComponentError::Case::kInvalidState) ==
              int(ComponentError::Case::kInvalidState));

inline LogLevel from_generated(core::types::LogLevel l) {
  return LogLevel(uint8_t(l));
}
inline HealthStatus from_generated(core::types::HealthStatus h) {
  return HealthStatus(uint8_t(h));
}

inline core::types::ComponentId to_generated(const ComponentId& id) {
  return {id.namespace_, id.name, id.instance};
}
inline ComponentId from_generated(core::types::ComponentId id) {
  return {std::move(id.namespace_), std::move(id.name), std::move(id.instance)};
}

inline core::types::Timestamp to_generated(const Timestamp& t) {
  return {t.seconds, t.nanoseconds};
}

inline core::types::ComponentMessage to_generated(const ComponentMessage& m) {
  core::types::ComponentMessage g;
  g.sender = to_generated(m.sender);
  g.payload = m.payload;
  g.metadata.correlation_id = m.metadata.correlation_id;
  if (m.metadata.reply_to) g.metadata.reply_to = to_generated(*m.metadata.reply_to);
  g.metadata.timestamp = to_generated(m.metadata.timestamp);
  g.metadata.content_type = m.metadata.content_type;
  return g;
}

// The same, taking the strings and the payload (a message the engine owns, e.g. of an asynchronous call).
inline core::types::ComponentId to_generated(ComponentId&& id) {
  return {std::move(id.namespace_), std::move(id.name), std::move(id.instance)};
}
inline core::types::ComponentMessage to_generated(ComponentMessage&& m) {
  core::types::ComponentMessage g;
  g.sender = to_generated(std::move(m.sender));
  g.payload = std::move(m.payload);
  g.metadata.correlation_id = std::move(m.metadata.correlation_id);
  if (m.metadata.reply_to) g.metadata.reply_to = to_generated(std::move(*m.metadata.reply_to));
  g.metadata.timestamp = to_generated(m.metadata.timestamp);
  g.metadata.content_type = std::move(m.metadata.content_type);
  return g;
}

inline core::types::ComponentConfig to_generated(const ComponentConfig& c) {
  core::types::ComponentConfig g;
  g.env_vars.reserve(c.env_vars.size());
  for (const auto& [k, v] : c.env_vars) g.env_vars.emplace_back(k, v);
  g.config_data = c.config_data;
  g.resource_limits = {c.resource_limits.max_memory_bytes, c.resource_limits.max_execution_time_ms,
                       c.resource_limits.max_fuel};
  return g;
}

inline ComponentMetadata from_generated(lifecycle::ComponentMetadata m) {
  return {std::move(m.name),   std::move(m.version), std::move(m.description),
          std::move(m.author), std::move(m.license), std::move(m.supported_operations),
          m.stateful};
}

// A variant case's string payload, or "" for a case without one.
template <typename Variant>
std::string case_text(const Variant& v) {
  std::string text;
  std::visit(
      [&](const auto& x) {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) text = x;
      },
      v);
  return text;
}

inline WasmError from_generated(const core::errors::WasmError& e) {
  return WasmError{WasmError::Case(uint8_t(e.which())), case_text(e)};
}
inline ComponentError from_generated(const core::errors::ComponentError& e) {
  return ComponentError{ComponentError::Case(uint8_t(e.which())), case_text(e)};
}

inline core::errors::MessagingError to_generated(const MessagingError& e) {
  using G = core::errors::MessagingError;
  switch (e.kind) {
    case MessagingError::Case::kDeliveryFailed:
      return G::delivery_failed(e.message);
    case MessagingError::Case::kCorrelationTimeout:
      return G::correlation_timeout(e.message);
    case MessagingError::Case::kInvalidMessage:
      return G::invalid_message(e.message);
    case MessagingError::Case::kQueueFull:
      return G::queue_full();
    case MessagingError::Case::kTargetNotFound:
      break;
  }
  return G::target_not_found(to_generated(e.target));
}

inline core::errors::StorageError to_generated(const StorageError& e) {
  using G = core::errors::StorageError;
  switch (e.kind) {
    case StorageError::Case::kNotFound:
      return G::not_found(e.message);
    case StorageError::Case::kAlreadyExists:
      return G::already_exists(e.message);
    case StorageError::Case::kQuotaExceeded:
      return G::quota_exceeded();
    case StorageError::Case::kInvalidKey:
      return G::invalid_key(e.message);
    case StorageError::Case::kIoError:
      break;
  }
  return G::io_error(e.message);
}

inline core::storage::StorageUsage to_generated(const StorageUsage& u) {
  return {u.used_bytes, u.quota_bytes, u.key_count};
}

}  // namespace airwasm::host::bindings
