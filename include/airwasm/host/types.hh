// airwasm plugin host: the airssys data types (WIT package airssys:core@1.0.0, interfaces `types` and
// `errors`) as plain C++ values.
//
// These are the public API of the plugin host (RuntimeEngine and its host services). They are written by
// hand rather than taken from the generated bindings on purpose: an installed API must stay stable when the
// generator changes, and the engine converts between these and the generated guest-facing types at one
// place (src/host). Field names follow the WIT (kebab-case to snake_case); the comments give the WIT type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace airwasm::host {

// record component-id { namespace, name, instance }: the identity of a loaded component; what messages are
// addressed to. Rendered "namespace/name/instance" (the CLI's --id syntax).
struct ComponentId {
  std::string namespace_;  // `namespace` is a C++ keyword
  std::string name;
  std::string instance;

  friend bool operator==(const ComponentId&, const ComponentId&) = default;
  friend auto operator<=>(const ComponentId&, const ComponentId&) = default;
  std::string to_string() const { return namespace_ + "/" + name + "/" + instance; }
};

using MessagePayload = std::vector<uint8_t>;  // type message-payload = list<u8>
using CorrelationId = std::string;            // type correlation-id = string
using RequestId = std::string;                // type request-id = string

// A loaded component: its id and the engine-wide handle id (an atomic counter starting at 1).
struct ComponentHandle {
  ComponentId id;
  uint64_t handle_id = 0;
  friend bool operator==(const ComponentHandle&, const ComponentHandle&) = default;
};

// record timestamp { seconds: u64, nanoseconds: u32 }: wall-clock time since the Unix epoch.
struct Timestamp {
  uint64_t seconds = 0;
  uint32_t nanoseconds = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// record message-metadata
struct MessageMetadata {
  std::optional<CorrelationId> correlation_id;  // set on requests and on the callbacks that answer them
  std::optional<ComponentId> reply_to;          // where the answer to a request goes
  Timestamp timestamp;
  std::optional<std::string> content_type;
  friend bool operator==(const MessageMetadata&, const MessageMetadata&) = default;
};

// record component-message
struct ComponentMessage {
  ComponentId sender;
  MessagePayload payload;
  MessageMetadata metadata;
  friend bool operator==(const ComponentMessage&, const ComponentMessage&) = default;
};

// record resource-limits: per component. 0 for max_memory_bytes / max_execution_time_ms means "no limit".
struct ResourceLimits {
  uint64_t max_memory_bytes = 0;
  uint64_t max_execution_time_ms = 0;
  std::optional<uint64_t> max_fuel;  // per call
  friend bool operator==(const ResourceLimits&, const ResourceLimits&) = default;
};

// record component-config: what `initialize` receives.
struct ComponentConfig {
  std::vector<std::pair<std::string, std::string>> env_vars;
  std::optional<MessagePayload> config_data;
  ResourceLimits resource_limits;
  friend bool operator==(const ComponentConfig&, const ComponentConfig&) = default;
};

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError };            // enum log-level
enum class HealthStatus : uint8_t { kHealthy, kDegraded, kUnhealthy, kUnknown };   // enum health-status
enum class ExecutionStatus : uint8_t { kSuccess, kFailed, kTimeout, kCancelled };  // enum execution-status

// The error variants of interface `errors`. Each is a struct with a case enum and the case's payload (the
// string, or the component id / correlation id where the WIT case carries one; empty for payload-less cases).
// `to_string()` renders them in WAVE syntax, e.g. `runtime-error("trap: unreachable")`.

// variant wasm-error: what the engine's operations fail with.
struct WasmError {
  enum class Case : uint8_t {
    kComponentNotFound,
    kInstantiationFailed,
    kExportNotFound,
    kTimeout,  // no payload
    kResourceLimitExceeded,
    kInvalidComponent,
    kRuntimeError,
    // Not a WIT case: the engine's own state error ("store-not-initialized" in the reference). Rendered as
    // runtime-error when crossing into a guest.
    kStoreNotInitialized,
  };
  Case kind = Case::kRuntimeError;
  std::string message;
  friend bool operator==(const WasmError&, const WasmError&) = default;
  std::string to_string() const;
};

// variant component-error
struct ComponentError {
  enum class Case : uint8_t {
    kInitializationFailed,
    kAlreadyInitialized,  // no payload
    kNotInitialized,      // no payload
    kShutdownFailed,
    kInvalidState,
  };
  Case kind = Case::kInvalidState;
  std::string message;
  friend bool operator==(const ComponentError&, const ComponentError&) = default;
  std::string to_string() const;
};

// variant messaging-error
struct MessagingError {
  enum class Case : uint8_t {
    kDeliveryFailed,      // message
    kCorrelationTimeout,  // correlation_id
    kInvalidMessage,      // message
    kQueueFull,           // no payload
    kTargetNotFound,      // target
  };
  Case kind = Case::kDeliveryFailed;
  std::string message;  // delivery-failed / invalid-message text, or the correlation id
  ComponentId target;   // target-not-found only
  friend bool operator==(const MessagingError&, const MessagingError&) = default;
  std::string to_string() const;
};

// variant storage-error
struct StorageError {
  enum class Case : uint8_t {
    kNotFound,
    kAlreadyExists,
    kQuotaExceeded,  // no payload
    kInvalidKey,
    kIoError,
  };
  Case kind = Case::kIoError;
  std::string message;
  friend bool operator==(const StorageError&, const StorageError&) = default;
  std::string to_string() const;
};

// variant security-error
struct SecurityError {
  enum class Case : uint8_t { kCapabilityDenied, kPolicyViolation, kInvalidContext, kPermissionDenied };
  Case kind = Case::kCapabilityDenied;
  std::string message;
  friend bool operator==(const SecurityError&, const SecurityError&) = default;
  std::string to_string() const;
};

}  // namespace airwasm::host
