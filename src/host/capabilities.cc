// Capability grants, pattern matching and the audit log (include/airwasm/host/capabilities.hh).
// Checks take a shared lock on the grant table (checks are frequent, grant changes happen at load and
// unload); the audit sink is called after the lock is released so that a slow sink never blocks grants.
#include "airwasm/host/capabilities.hh"

#include <atomic>
#include <map>

#include "airwasm/host/log.hh"
#include "airwasm/host/messaging.hh"

namespace airwasm::host {
namespace {

// Splits a component pattern on unescaped '/' (escapes are kept, the field patterns still need them).
std::vector<std::string_view> split_fields(std::string_view pattern) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '/') {
      fields.push_back(pattern.substr(start, i - start));
      start = i + 1;
    }
  }
  fields.push_back(pattern.substr(start));
  return fields;
}

std::string storage_operation(StorageAction action) {
  return "storage." + std::string(storage_action_name(action));
}
std::string messaging_operation(MessagingAction action) {
  return "messaging." + std::string(messaging_action_name(action));
}

}  // namespace

std::string_view storage_action_name(StorageAction action) {
  switch (action) {
    case StorageAction::kRead:
      return "read";
    case StorageAction::kWrite:
      return "write";
    case StorageAction::kDelete:
      return "delete";
    case StorageAction::kList:
      return "list";
  }
  return "unknown";
}

std::string_view messaging_action_name(MessagingAction action) {
  switch (action) {
    case MessagingAction::kSend:
      return "send";
    case MessagingAction::kRequest:
      return "request";
    case MessagingAction::kBroadcast:
      return "broadcast";
  }
  return "unknown";
}

Grant Grant::default_for(std::string_view storage_namespace) {
  Grant grant;
  std::string own = escape_pattern(storage_namespace);
  for (StorageAction action :
       {StorageAction::kRead, StorageAction::kWrite, StorageAction::kDelete, StorageAction::kList}) {
    grant.storage.push_back({action, own});
  }
  for (MessagingAction action :
       {MessagingAction::kSend, MessagingAction::kRequest, MessagingAction::kBroadcast}) {
    grant.messaging.push_back({action, "*"});
  }
  return grant;
}

// Iterative glob with single-star backtracking: linear in practice, O(pattern * text) at worst, never
// exponential (a hostile grant pattern cannot make a check slow).
bool match_pattern(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      size_t literal = p;
      if (pattern[p] == '\\' && p + 1 < pattern.size()) literal = p + 1;
      if (pattern[literal] == text[t]) {
        p = literal + 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool match_component_pattern(std::string_view pattern, const ComponentId& id) {
  if (pattern == "*") return true;
  std::vector<std::string_view> fields = split_fields(pattern);
  if (fields.size() > 3) return false;
  if (fields.size() < 3) {
    if (fields.back() != "*") return false;
    while (fields.size() < 3) fields.push_back("*");
  }
  return match_pattern(fields[0], id.namespace_) && match_pattern(fields[1], id.name) &&
         match_pattern(fields[2], id.instance);
}

std::string escape_pattern(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '*' || c == '\\' || c == '/') out += '\\';
    out += c;
  }
  return out;
}

void InMemoryAuditLog::record(const AuditRecord& record) {
  std::lock_guard lock(mutex_);
  if (capacity_ == 0) return;
  if (records_.size() == capacity_) records_.pop_front();
  records_.push_back(record);
}

std::vector<AuditRecord> InMemoryAuditLog::records() const {
  std::lock_guard lock(mutex_);
  return {records_.begin(), records_.end()};
}

void InMemoryAuditLog::clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

void LogSinkAuditLog::record(const AuditRecord& record) {
  LogRecord line;
  line.component = record.component;
  line.level = record.allowed ? LogLevel::kDebug : LogLevel::kWarn;
  line.message = record.allowed ? "capability allowed" : "capability denied";
  line.time = record.time;
  line.context = {{"audit-seq", std::to_string(record.sequence)},
                  {"operation", record.operation},
                  {"resource", record.resource}};
  if (!record.allowed) line.context.emplace_back("reason", record.reason);
  sink_.log(line);
}

struct CapabilityRegistry::State {
  CapabilityOptions options;
  mutable std::shared_mutex mutex;
  std::map<ComponentId, Grant> grants;
  std::atomic<uint64_t> sequence{0};
};

CapabilityRegistry::CapabilityRegistry(CapabilityOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  if (!state_->options.clock) state_->options.clock = system_timestamp;
}

CapabilityRegistry::~CapabilityRegistry() = default;

void CapabilityRegistry::set_grant(const ComponentId& component, Grant grant) {
  std::unique_lock lock(state_->mutex);
  state_->grants[component] = std::move(grant);
}

void CapabilityRegistry::remove_grant(const ComponentId& component) {
  std::unique_lock lock(state_->mutex);
  state_->grants.erase(component);
}

std::optional<Grant> CapabilityRegistry::grant(const ComponentId& component) const {
  std::shared_lock lock(state_->mutex);
  auto it = state_->grants.find(component);
  if (it == state_->grants.end()) return std::nullopt;
  return it->second;
}

namespace {

// Records the outcome (if audited) and builds the result.
std::expected<void, SecurityError> conclude(const CapabilityOptions& options, std::atomic<uint64_t>& sequence,
                                            const ComponentId& component, std::string operation,
                                            std::string resource, bool allowed, std::string reason) {
  if (options.audit && (!allowed || options.audit_allowed)) {
    AuditRecord record;
    record.sequence = ++sequence;
    record.time = options.clock();
    record.component = component;
    record.operation = std::move(operation);
    record.resource = std::move(resource);
    record.allowed = allowed;
    record.reason = reason;
    options.audit->record(record);
  }
  if (allowed) return {};
  return std::unexpected(SecurityError{SecurityError::Case::kCapabilityDenied, std::move(reason)});
}

}  // namespace

std::expected<void, SecurityError> CapabilityRegistry::check_storage(const ComponentId& component,
                                                                     StorageAction action,
                                                                     std::string_view storage_namespace) {
  bool known = false, allowed = false;
  {
    std::shared_lock lock(state_->mutex);
    auto it = state_->grants.find(component);
    if (it != state_->grants.end()) {
      known = true;
      for (const StoragePermission& permission : it->second.storage) {
        if (permission.action == action && match_pattern(permission.namespace_pattern, storage_namespace)) {
          allowed = true;
          break;
        }
      }
    }
  }
  std::string reason;
  if (!allowed) {
    reason = component.to_string() + (known ? "" : " (no grant)") + " may not " +
             std::string(storage_action_name(action)) + " storage namespace " +
             std::string(storage_namespace);
  }
  return conclude(state_->options, state_->sequence, component, storage_operation(action),
                  std::string(storage_namespace), allowed, std::move(reason));
}

std::expected<void, SecurityError> CapabilityRegistry::check_messaging(const ComponentId& component,
                                                                       MessagingAction action,
                                                                       const ComponentId& target) {
  bool known = false, allowed = false;
  {
    std::shared_lock lock(state_->mutex);
    auto it = state_->grants.find(component);
    if (it != state_->grants.end()) {
      known = true;
      for (const MessagingPermission& permission : it->second.messaging) {
        if (permission.action == action && match_component_pattern(permission.target_pattern, target)) {
          allowed = true;
          break;
        }
      }
    }
  }
  std::string reason;
  if (!allowed) {
    reason = component.to_string() + (known ? "" : " (no grant)") + " may not " +
             std::string(messaging_action_name(action)) + " to " + target.to_string();
  }
  return conclude(state_->options, state_->sequence, component, messaging_operation(action),
                  target.to_string(), allowed, std::move(reason));
}

MessagingError to_messaging_error(const SecurityError& error) {
  return MessagingError{MessagingError::Case::kDeliveryFailed, "capability denied: " + error.message, {}};
}

StorageError to_storage_error(const SecurityError& error) {
  return StorageError{StorageError::Case::kIoError, "capability denied: " + error.message};
}

}  // namespace airwasm::host
