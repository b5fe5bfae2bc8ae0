// airwasm plugin host (internal): the guest-facing shapes of the airssys types for typed component calls
// (airwasm/component/typed.hh). Records of types.hh map directly; the WIT variants and the tuple list of
// component-config need C++ shapes the typed ABI understands (std::variant alternatives in case order,
// std::tuple), converted to and from the public types here only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "airwasm/component/typed.hh"
#include "airwasm/host/engine.hh"
#include "airwasm/host/types.hh"

namespace airwasm::host::guest {

// variant wasm-error, alternatives in WIT case order.
struct WasmErrorV : std::variant<std::string, std::string, std::string, std::monostate, std::string,
                                 std::string, std::string> {
  using variant::variant;
};
// variant component-error
struct ComponentErrorV : std::variant<std::string, std::monostate, std::monostate, std::string, std::string> {
  using variant::variant;
};

// record component-config
struct Config {
  std::vector<std::tuple<std::string, std::string>> env_vars;
  std::optional<std::vector<uint8_t>> config_data;
  ResourceLimits resource_limits;
};

inline Config to_guest(const ComponentConfig& c) {
  Config g;
  for (const auto& [k, v] : c.env_vars) g.env_vars.emplace_back(k, v);
  g.config_data = c.config_data;
  g.resource_limits = c.resource_limits;
  return g;
}

inline WasmError from_guest(const WasmErrorV& e) {
  WasmError out;
  out.kind = static_cast<WasmError::Case>(e.index());
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) out.message = v;
      },
      static_cast<const WasmErrorV::variant&>(e));
  return out;
}

inline ComponentError from_guest(const ComponentErrorV& e) {
  ComponentError out;
  out.kind = static_cast<ComponentError::Case>(e.index());
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) out.message = v;
      },
      static_cast<const ComponentErrorV::variant&>(e));
  return out;
}

}  // namespace airwasm::host::guest

namespace airwasm::component {

template <>
struct WitType<host::ComponentId> {
  static constexpr auto fields = std::make_tuple(wit_field("namespace", &host::ComponentId::namespace_),
                                                 wit_field("name", &host::ComponentId::name),
                                                 wit_field("instance", &host::ComponentId::instance));
};
template <>
struct WitType<host::Timestamp> {
  static constexpr auto fields = std::make_tuple(wit_field("seconds", &host::Timestamp::seconds),
                                                 wit_field("nanoseconds", &host::Timestamp::nanoseconds));
};
template <>
struct WitType<host::MessageMetadata> {
  static constexpr auto fields =
      std::make_tuple(wit_field("correlation-id", &host::MessageMetadata::correlation_id),
                      wit_field("reply-to", &host::MessageMetadata::reply_to),
                      wit_field("timestamp", &host::MessageMetadata::timestamp),
                      wit_field("content-type", &host::MessageMetadata::content_type));
};
template <>
struct WitType<host::ComponentMessage> {
  static constexpr auto fields = std::make_tuple(wit_field("sender", &host::ComponentMessage::sender),
                                                 wit_field("payload", &host::ComponentMessage::payload),
                                                 wit_field("metadata", &host::ComponentMessage::metadata));
};
template <>
struct WitType<host::ResourceLimits> {
  static constexpr auto fields =
      std::make_tuple(wit_field("max-memory-bytes", &host::ResourceLimits::max_memory_bytes),
                      wit_field("max-execution-time-ms", &host::ResourceLimits::max_execution_time_ms),
                      wit_field("max-fuel", &host::ResourceLimits::max_fuel));
};
template <>
struct WitType<host::guest::Config> {
  static constexpr auto fields =
      std::make_tuple(wit_field("env-vars", &host::guest::Config::env_vars),
                      wit_field("config-data", &host::guest::Config::config_data),
                      wit_field("resource-limits", &host::guest::Config::resource_limits));
};
template <>
struct WitType<host::ComponentMetadata> {
  static constexpr auto fields =
      std::make_tuple(wit_field("name", &host::ComponentMetadata::name),
                      wit_field("version", &host::ComponentMetadata::version),
                      wit_field("description", &host::ComponentMetadata::description),
                      wit_field("author", &host::ComponentMetadata::author),
                      wit_field("license", &host::ComponentMetadata::license),
                      wit_field("supported-operations", &host::ComponentMetadata::supported_operations),
                      wit_field("stateful", &host::ComponentMetadata::stateful));
};
template <>
struct WitType<host::HealthStatus> {
  static constexpr std::array cases{"healthy", "degraded", "unhealthy", "unknown"};
};
template <>
struct WitType<host::LogLevel> {
  static constexpr std::array cases{"trace", "debug", "info", "warn", "error"};
};
template <>
struct WitType<host::guest::WasmErrorV> {
  static constexpr std::array cases{
      "component-not-found",     "instantiation-failed", "export-not-found", "timeout",
      "resource-limit-exceeded", "invalid-component",    "runtime-error"};
};
template <>
struct WitType<host::guest::ComponentErrorV> {
  static constexpr std::array cases{"initialization-failed", "already-initialized", "not-initialized",
                                    "shutdown-failed", "invalid-state"};
};

}  // namespace airwasm::component
