// airwasm plugin host: capability grants and the audit log (vocabulary of airssys:core/capabilities).
//
// Each component is loaded with a `Grant`: which storage actions it may perform on which namespaces, and
// which messaging actions it may perform towards which targets, both as patterns. `CapabilityRegistry`
// holds the grants of the loaded components and answers checks; every denied operation (and, if asked,
// every allowed one) is recorded in an `AuditLog`. A component with no grant registered is denied
// everything (fail closed).
//
// Patterns: '*' matches any run of characters (also none), '\' makes the next character literal, every
// other character matches itself.
// - Storage namespace patterns match the whole namespace string ("demo/store/1", "shared-*", "*").
// - Messaging target patterns match a component id field by field: "*" alone matches every id; otherwise
//   the pattern is "NAMESPACE/NAME/INSTANCE" (each field a pattern; "ns/name/*", "ns/*/*"), and a pattern
//   with fewer fields whose last field is exactly "*" extends it to the missing ones ("ns/*" = "ns/*/*").
//   A pattern with more than three fields matches nothing. The '/' separator can be escaped ("a\/b/c/d").
//
// Denial texts are the interface's: messaging gives delivery-failed("capability denied: ..."), storage
// (whose error variant has no security case) gives io-error("capability denied: ...").
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/host/types.hh"

namespace airwasm::host {

class LogSink;

// enum storage-action, plus `list` (list-keys; usage and exists count as read).
enum class StorageAction : uint8_t { kRead, kWrite, kDelete, kList };
// enum messaging-action
enum class MessagingAction : uint8_t { kSend, kRequest, kBroadcast };

std::string_view storage_action_name(StorageAction action);      // "read", "write", "delete", "list"
std::string_view messaging_action_name(MessagingAction action);  // "send", "request", "broadcast"

// record storage-permission
struct StoragePermission {
  StorageAction action = StorageAction::kRead;
  std::string namespace_pattern;
  friend bool operator==(const StoragePermission&, const StoragePermission&) = default;
};

// record messaging-permission
struct MessagingPermission {
  MessagingAction action = MessagingAction::kSend;
  std::string target_pattern;
  friend bool operator==(const MessagingPermission&, const MessagingPermission&) = default;
};

struct Grant {
  std::vector<StoragePermission> storage;
  std::vector<MessagingPermission> messaging;
  friend bool operator==(const Grant&, const Grant&) = default;

  // The default: every storage action on its own namespace (`storage_namespace`, taken literally) and
  // every messaging action towards any component ("*"; the router still refuses unloaded targets).
  static Grant default_for(std::string_view storage_namespace);
  // Nothing at all.
  static Grant none() { return {}; }
};

// Pattern matching as described at the top of this file.
bool match_pattern(std::string_view pattern, std::string_view text);
bool match_component_pattern(std::string_view pattern, const ComponentId& id);
// `text` as a pattern that matches exactly `text` ('*', '\' and '/' escaped).
std::string escape_pattern(std::string_view text);

// One audited operation.
struct AuditRecord {
  uint64_t sequence = 0;  // 1, 2, ... per registry, in the order the checks were made
  Timestamp time;
  ComponentId component;  // who asked
  std::string operation;  // "storage.read", "messaging.send", ...
  std::string resource;   // the namespace or the target id ("ns/name/instance")
  bool allowed = false;
  std::string reason;  // for a denial: the text after "capability denied: "
  friend bool operator==(const AuditRecord&, const AuditRecord&) = default;
};

// Where audit records go. Called from any thread; must be thread-safe.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual void record(const AuditRecord& record) = 0;
};

// Keeps the last `capacity` records in memory (tests; a host's "recent denials" view).
class InMemoryAuditLog final : public AuditLog {
 public:
  explicit InMemoryAuditLog(size_t capacity = 10000) : capacity_(capacity) {}
  void record(const AuditRecord& record) override;
  std::vector<AuditRecord> records() const;
  void clear();

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<AuditRecord> records_;
};

// Writes each record to a LogSink as one structured line (warn for denials, debug for allowed ones),
// attributed to the component that asked.
class LogSinkAuditLog final : public AuditLog {
 public:
  explicit LogSinkAuditLog(LogSink& sink) : sink_(sink) {}
  void record(const AuditRecord& record) override;

 private:
  LogSink& sink_;
};

struct CapabilityOptions {
  AuditLog* audit = nullptr;         // not owned; none: no audit
  bool audit_allowed = false;        // also record the operations that were allowed
  std::function<Timestamp()> clock;  // AuditRecord::time; default: the system clock
};

// The grants of the loaded components. Thread-safe.
class CapabilityRegistry {
 public:
  explicit CapabilityRegistry(CapabilityOptions options = {});
  ~CapabilityRegistry();
  CapabilityRegistry(const CapabilityRegistry&) = delete;
  CapabilityRegistry& operator=(const CapabilityRegistry&) = delete;

  void set_grant(const ComponentId& component, Grant grant);  // replaces any previous grant
  void remove_grant(const ComponentId& component);
  std::optional<Grant> grant(const ComponentId& component) const;

  // capability-denied("...") when `component`'s grant does not allow the action on the namespace.
  std::expected<void, SecurityError> check_storage(const ComponentId& component, StorageAction action,
                                                   std::string_view storage_namespace);
  // capability-denied("...") when `component`'s grant does not allow the action towards the target.
  std::expected<void, SecurityError> check_messaging(const ComponentId& component, MessagingAction action,
                                                     const ComponentId& target);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The interface errors for a denial: delivery-failed("capability denied: ...") and
// io-error("capability denied: ...").
MessagingError to_messaging_error(const SecurityError& error);
StorageError to_storage_error(const SecurityError& error);

}  // namespace airwasm::host
