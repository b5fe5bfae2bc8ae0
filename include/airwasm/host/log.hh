// airwasm plugin host: where the airssys `host-services.log` calls (and the host's own diagnostics) go.
//
// `LogSink` is the pluggable destination; a sink is called from any thread (component calls run in
// parallel) and must be thread-safe. `StderrLogSink` is the default: one line per record, structured as
// `TIME LEVEL COMPONENT: MESSAGE key=value ...`, with every control character of guest-supplied text
// escaped, so that a component can never forge or split log lines. `CapturingLogSink` keeps records for
// tests.
#pragma once

#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "airwasm/host/types.hh"

namespace airwasm::host {

using LogContext = std::vector<std::pair<std::string, std::string>>;  // option<list<tuple<string, string>>>

struct LogRecord {
  ComponentId component;  // who logged (the host uses its own id, e.g. host/airwasm/0)
  LogLevel level = LogLevel::kInfo;
  std::string message;
  LogContext context;
  Timestamp time;
  friend bool operator==(const LogRecord&, const LogRecord&) = default;
};

// "trace", "debug", "info", "warn", "error" (the WIT enum's case names).
std::string_view log_level_name(LogLevel level);

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void log(const LogRecord& record) = 0;
};

// The line StderrLogSink writes (without the newline), e.g.
//   2026-12-06T07:22:55.123456789Z warn demo/store/1: quota low used=1000 "key with space"="a\nb"
// Time in UTC, RFC 3339. Message, keys and values: text with no space, '"', '=' or '\\' is written
// as is, other text in double quotes; in both forms control characters are escaped (\n, \r, \t, \u{..}).
// Text beyond `max_text_bytes` per field is cut and marked with "...".
std::string format_log_record(const LogRecord& record, size_t max_text_bytes = 64 * 1024);

class StderrLogSink final : public LogSink {
 public:
  // Records below `min_level` are dropped. `out` defaults to stderr (tests pass a tmpfile()).
  explicit StderrLogSink(LogLevel min_level = LogLevel::kInfo, std::FILE* out = nullptr);
  void log(const LogRecord& record) override;

 private:
  LogLevel min_level_;
  std::FILE* out_;
  std::mutex mutex_;  // one whole line at a time
};

class CapturingLogSink final : public LogSink {
 public:
  void log(const LogRecord& record) override;
  std::vector<LogRecord> records() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<LogRecord> records_;
};

}  // namespace airwasm::host
