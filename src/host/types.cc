// The airssys types' renderings (include/airwasm/host/types.hh): each error variant in WAVE syntax, the
// form the CLI (`airwasm plugin`) prints and the tests compare against.
#include "airwasm/host/types.hh"

#include <string_view>

#include "host/escape.hh"

namespace airwasm::host {

void internal::append_escaped(std::string& out, std::string_view text) {
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u{";
          if (c >= 0x10) out += kHex[c >> 4];
          out += kHex[c & 15];
          out += '}';
        } else {
          out += char(c);
        }
    }
  }
}

namespace {

// A WAVE string literal.
std::string wave_string(std::string_view text) {
  std::string out = "\"";
  internal::append_escaped(out, text);
  return out + "\"";
}

std::string with_text(const char* case_name, std::string_view text) {
  return std::string(case_name) + "(" + wave_string(text) + ")";
}

// record component-id in WAVE: {namespace: "..", name: "..", instance: ".."}
std::string wave_component_id(const ComponentId& id) {
  return "{namespace: " + wave_string(id.namespace_) + ", name: " + wave_string(id.name) +
         ", instance: " + wave_string(id.instance) + "}";
}

}  // namespace

std::string WasmError::to_string() const {
  switch (kind) {
    case Case::kComponentNotFound:
      return with_text("component-not-found", message);
    case Case::kInstantiationFailed:
      return with_text("instantiation-failed", message);
    case Case::kExportNotFound:
      return with_text("export-not-found", message);
    case Case::kTimeout:
      return "timeout";
    case Case::kResourceLimitExceeded:
      return with_text("resource-limit-exceeded", message);
    case Case::kInvalidComponent:
      return with_text("invalid-component", message);
    case Case::kRuntimeError:
      return with_text("runtime-error", message);
    case Case::kStoreNotInitialized:
      return with_text("runtime-error", "store not initialized: " + message);
  }
  return "runtime-error(\"unknown error\")";
}

std::string ComponentError::to_string() const {
  switch (kind) {
    case Case::kInitializationFailed:
      return with_text("initialization-failed", message);
    case Case::kAlreadyInitialized:
      return "already-initialized";
    case Case::kNotInitialized:
      return "not-initialized";
    case Case::kShutdownFailed:
      return with_text("shutdown-failed", message);
    case Case::kInvalidState:
      return with_text("invalid-state", message);
  }
  return "invalid-state(\"unknown error\")";
}

std::string MessagingError::to_string() const {
  switch (kind) {
    case Case::kDeliveryFailed:
      return with_text("delivery-failed", message);
    case Case::kCorrelationTimeout:
      return with_text("correlation-timeout", message);
    case Case::kInvalidMessage:
      return with_text("invalid-message", message);
    case Case::kQueueFull:
      return "queue-full";
    case Case::kTargetNotFound:
      return "target-not-found(" + wave_component_id(target) + ")";
  }
  return "delivery-failed(\"unknown error\")";
}

std::string StorageError::to_string() const {
  switch (kind) {
    case Case::kNotFound:
      return with_text("not-found", message);
    case Case::kAlreadyExists:
      return with_text("already-exists", message);
    case Case::kQuotaExceeded:
      return "quota-exceeded";
    case Case::kInvalidKey:
      return with_text("invalid-key", message);
    case Case::kIoError:
      return with_text("io-error", message);
  }
  return "io-error(\"unknown error\")";
}

std::string SecurityError::to_string() const {
  switch (kind) {
    case Case::kCapabilityDenied:
      return with_text("capability-denied", message);
    case Case::kPolicyViolation:
      return with_text("policy-violation", message);
    case Case::kInvalidContext:
      return with_text("invalid-context", message);
    case Case::kPermissionDenied:
      return with_text("permission-denied", message);
  }
  return "permission-denied(\"unknown error\")";
}

}  // namespace airwasm::host
