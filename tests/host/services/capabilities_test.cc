// Capability grants (include/airwasm/host/capabilities.hh): pattern matching, the default grant, checks
// and their denial texts, and the audit log.
#include <gtest/gtest.h>

#include <thread>

#include "airwasm/host/capabilities.hh"
#include "airwasm/host/log.hh"

namespace airwasm::host {
namespace {

const ComponentId kA{"demo", "a", "1"};
const ComponentId kB{"demo", "b", "1"};
const ComponentId kOther{"other", "x", "7"};

TEST(Patterns, Glob) {
  EXPECT_TRUE(match_pattern("*", ""));
  EXPECT_TRUE(match_pattern("*", "anything/at/all"));
  EXPECT_TRUE(match_pattern("abc", "abc"));
  EXPECT_FALSE(match_pattern("abc", "abcd"));
  EXPECT_FALSE(match_pattern("abc", "ab"));
  EXPECT_TRUE(match_pattern("shared-*", "shared-"));
  EXPECT_TRUE(match_pattern("shared-*", "shared-cache"));
  EXPECT_FALSE(match_pattern("shared-*", "share"));
  EXPECT_TRUE(match_pattern("*-log", "audit-log"));
  EXPECT_TRUE(match_pattern("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(match_pattern("a*b*c", "aXXbYY"));
  EXPECT_TRUE(match_pattern("a**c", "abc"));
  EXPECT_TRUE(match_pattern("a\\*", "a*"));
  EXPECT_FALSE(match_pattern("a\\*", "ab"));
  EXPECT_TRUE(match_pattern("a\\\\b", "a\\b"));
  // Not exponential: a pathological pattern against a long text answers at once.
  std::string text(10000, 'a');
  EXPECT_FALSE(match_pattern("*a*a*a*a*a*a*a*a*a*a*b", text));
}

TEST(Patterns, ComponentFieldByField) {
  EXPECT_TRUE(match_component_pattern("*", kA));
  EXPECT_TRUE(match_component_pattern("demo/a/1", kA));
  EXPECT_FALSE(match_component_pattern("demo/a/2", kA));
  EXPECT_TRUE(match_component_pattern("demo/a/*", kA));
  EXPECT_TRUE(match_component_pattern("demo/*/*", kB));
  EXPECT_TRUE(match_component_pattern("demo/*", kB));  // missing fields after a final "*"
  EXPECT_FALSE(match_component_pattern("demo/*", kOther));
  EXPECT_FALSE(match_component_pattern("demo", kA));    // too few fields without a final "*"
  EXPECT_FALSE(match_component_pattern("demo/a", kA));  // ditto
  EXPECT_FALSE(match_component_pattern("demo/a/1/x", kA));
  EXPECT_TRUE(match_component_pattern("*/*/1", kA));
  EXPECT_FALSE(match_component_pattern("*/*/1", kOther));
  // A '*' matches within one field only; "de*" matches the namespace, not across '/'.
  EXPECT_TRUE(match_component_pattern("de*/a/1", kA));
  EXPECT_FALSE(match_component_pattern("demo*1", kA));
  // Fields containing '/' are matched with an escaped separator.
  const ComponentId slashed{"a/b", "c", "d"};
  EXPECT_TRUE(match_component_pattern("a\\/b/c/d", slashed));
  EXPECT_FALSE(match_component_pattern("a/b/c/d", slashed));
  EXPECT_TRUE(match_component_pattern("a\\/*/c/d", slashed));
}

TEST(Patterns, EscapeMatchesExactlyTheText) {
  for (std::string text : {"plain", "demo/store/1", "star*", "back\\slash", "*", ""}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(match_pattern(escape_pattern(text), text));
  }
  EXPECT_FALSE(match_pattern(escape_pattern("a*"), "abc"));
  EXPECT_FALSE(match_pattern(escape_pattern("*"), "x"));
}

TEST(Grants, DefaultGrantIsOwnStorageAndAnyTarget) {
  CapabilityRegistry registry;
  registry.set_grant(kA, Grant::default_for(kA.to_string()));
  for (StorageAction action :
       {StorageAction::kRead, StorageAction::kWrite, StorageAction::kDelete, StorageAction::kList}) {
    EXPECT_TRUE(registry.check_storage(kA, action, "demo/a/1"));
    EXPECT_FALSE(registry.check_storage(kA, action, "demo/b/1"));
    EXPECT_FALSE(registry.check_storage(kA, action, "demo/a/*"));  // the own namespace is taken literally
  }
  for (MessagingAction action :
       {MessagingAction::kSend, MessagingAction::kRequest, MessagingAction::kBroadcast}) {
    EXPECT_TRUE(registry.check_messaging(kA, action, kB));
    EXPECT_TRUE(registry.check_messaging(kA, action, kOther));
  }
  // A namespace with pattern characters is still only its own.
  const ComponentId starry{"s*", "x", "1"};
  registry.set_grant(starry, Grant::default_for(starry.to_string()));
  EXPECT_TRUE(registry.check_storage(starry, StorageAction::kRead, "s*/x/1"));
  EXPECT_FALSE(registry.check_storage(starry, StorageAction::kRead, "sZZ/x/1"));
}

TEST(Grants, ChecksFollowTheGrantAndFailClosed) {
  InMemoryAuditLog audit;
  CapabilityRegistry registry(CapabilityOptions{.audit = &audit, .clock = [] { return Timestamp{42, 0}; }});
  Grant grant;
  grant.storage = {{StorageAction::kRead, "shared-*"}, {StorageAction::kWrite, "demo/a/1"}};
  grant.messaging = {{MessagingAction::kSend, "demo/*"}, {MessagingAction::kRequest, "demo/b/1"}};
  registry.set_grant(kA, grant);
  EXPECT_EQ(registry.grant(kA), grant);

  EXPECT_TRUE(registry.check_storage(kA, StorageAction::kRead, "shared-cache"));
  EXPECT_TRUE(registry.check_storage(kA, StorageAction::kWrite, "demo/a/1"));
  auto read_own = registry.check_storage(kA, StorageAction::kRead, "demo/a/1");  // write does not imply read
  ASSERT_FALSE(read_own);
  EXPECT_EQ(read_own.error().to_string(),
            "capability-denied(\"demo/a/1 may not read storage namespace demo/a/1\")");
  EXPECT_EQ(to_storage_error(read_own.error()).to_string(),
            "io-error(\"capability denied: demo/a/1 may not read storage namespace demo/a/1\")");

  EXPECT_TRUE(registry.check_messaging(kA, MessagingAction::kSend, kB));
  EXPECT_TRUE(registry.check_messaging(kA, MessagingAction::kRequest, kB));
  auto request_other = registry.check_messaging(kA, MessagingAction::kRequest, kA);
  ASSERT_FALSE(request_other);
  EXPECT_EQ(to_messaging_error(request_other.error()).to_string(),
            "delivery-failed(\"capability denied: demo/a/1 may not request to demo/a/1\")");
  auto send_other = registry.check_messaging(kA, MessagingAction::kSend, kOther);
  ASSERT_FALSE(send_other);
  EXPECT_FALSE(registry.check_messaging(kA, MessagingAction::kBroadcast, kB));

  // No grant at all: everything is denied.
  auto stranger = registry.check_messaging(kB, MessagingAction::kSend, kA);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().message, "demo/b/1 (no grant) may not send to demo/a/1");
  registry.remove_grant(kA);
  EXPECT_FALSE(registry.check_storage(kA, StorageAction::kWrite, "demo/a/1"));
  EXPECT_EQ(registry.grant(kA), std::nullopt);

  // Every denial was audited, in order, and nothing else (allowed ones are not audited by default).
  auto records = audit.records();
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0].sequence, 1u);
  EXPECT_EQ(records[0].component, kA);
  EXPECT_EQ(records[0].operation, "storage.read");
  EXPECT_EQ(records[0].resource, "demo/a/1");
  EXPECT_FALSE(records[0].allowed);
  EXPECT_EQ(records[0].reason, "demo/a/1 may not read storage namespace demo/a/1");
  EXPECT_EQ(records[0].time, (Timestamp{42, 0}));
  EXPECT_EQ(records[1].operation, "messaging.request");
  EXPECT_EQ(records[2].resource, "other/x/7");
  EXPECT_EQ(records[3].operation, "messaging.broadcast");
  EXPECT_EQ(records[4].component, kB);
  EXPECT_EQ(records[5].operation, "storage.write");
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].sequence, i + 1);
}

TEST(Audit, AllowedOperationsWhenAsked) {
  InMemoryAuditLog audit;
  CapabilityRegistry registry(CapabilityOptions{.audit = &audit, .audit_allowed = true});
  registry.set_grant(kA, Grant::default_for("demo/a/1"));
  EXPECT_TRUE(registry.check_messaging(kA, MessagingAction::kSend, kB));
  EXPECT_FALSE(registry.check_storage(kA, StorageAction::kRead, "demo/b/1"));
  auto records = audit.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].allowed);
  EXPECT_EQ(records[0].reason, "");
  EXPECT_FALSE(records[1].allowed);
}

TEST(Audit, InMemoryLogKeepsTheLastRecords) {
  InMemoryAuditLog audit(3);
  for (uint64_t i = 1; i <= 5; ++i) audit.record(AuditRecord{.sequence = i});
  auto records = audit.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].sequence, 3u);
  EXPECT_EQ(records[2].sequence, 5u);
  audit.clear();
  EXPECT_TRUE(audit.records().empty());
}

TEST(Audit, LogSinkAuditWritesStructuredRecords) {
  CapturingLogSink sink;
  LogSinkAuditLog audit(sink);
  CapabilityRegistry registry(CapabilityOptions{.audit = &audit});
  EXPECT_FALSE(registry.check_storage(kA, StorageAction::kDelete, "x"));
  auto lines = sink.records();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].component, kA);
  EXPECT_EQ(lines[0].level, LogLevel::kWarn);
  EXPECT_EQ(lines[0].message, "capability denied");
  EXPECT_EQ(lines[0].context,
            (LogContext{{"audit-seq", "1"},
                        {"operation", "storage.delete"},
                        {"resource", "x"},
                        {"reason", "demo/a/1 (no grant) may not delete storage namespace x"}}));
}

TEST(Audit, ConcurrentChecksAndGrantChanges) {
  InMemoryAuditLog audit(1000000);
  CapabilityRegistry registry(CapabilityOptions{.audit = &audit, .audit_allowed = true});
  constexpr int kThreads = 4, kChecks = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ComponentId me{"demo", "t", std::to_string(t)};
      for (int i = 0; i < kChecks; ++i) {
        if (i % 50 == 0) registry.set_grant(me, Grant::default_for(me.to_string()));
        (void)registry.check_messaging(me, MessagingAction::kSend, kB);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto records = audit.records();
  ASSERT_EQ(records.size(), size_t(kThreads * kChecks));
  std::vector<bool> seen(records.size() + 1);
  for (const auto& record : records) {
    ASSERT_LE(record.sequence, records.size());
    EXPECT_FALSE(seen[record.sequence]);
    seen[record.sequence] = true;
    EXPECT_TRUE(record.allowed);
  }
}

}  // namespace
}  // namespace airwasm::host
