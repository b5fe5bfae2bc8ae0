// Log sinks of the plugin host (include/airwasm/host/log.hh): the structured line format, the stderr sink
// and the capturing sink. Guest text is untrusted: it is escaped and cut so that one record is always one
// bounded line.
#include "airwasm/host/log.hh"

#include <ctime>

#include "host/escape.hh"

namespace airwasm::host {
namespace {

// Appends `text`, quoted if it contains a character that would make the line ambiguous, with control
// characters escaped and at most `max_bytes` bytes of it (cut text ends in "...").
void append_field(std::string& out, std::string_view text, size_t max_bytes) {
  bool truncated = false;
  if (text.size() > max_bytes) {
    text = text.substr(0, max_bytes);
    truncated = true;
  }
  bool quote = text.empty();
  for (unsigned char c : text) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || c < 0x20 || c == 0x7f) {
      quote = true;
      break;
    }
  }
  if (!quote) {  // nothing in it needs escaping
    out += text;
  } else {
    out += '"';
    internal::append_escaped(out, text);
  }
  if (truncated) out += "...";
  if (quote) out += '"';
}

void append_time(std::string& out, const Timestamp& time) {
  std::time_t seconds = std::time_t(time.seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                unsigned(time.nanoseconds % 1000000000u));
  out += buffer;
}

}  // namespace

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

std::string format_log_record(const LogRecord& record, size_t max_text_bytes) {
  std::string line;
  append_time(line, record.time);
  line += ' ';
  line += log_level_name(record.level);
  line += ' ';
  append_field(line, record.component.to_string(), max_text_bytes);
  line += ": ";
  append_field(line, record.message, max_text_bytes);
  for (const auto& [key, value] : record.context) {
    line += ' ';
    append_field(line, key, max_text_bytes);
    line += '=';
    append_field(line, value, max_text_bytes);
  }
  return line;
}

StderrLogSink::StderrLogSink(LogLevel min_level, std::FILE* out)
    : min_level_(min_level), out_(out ? out : stderr) {}

void StderrLogSink::log(const LogRecord& record) {
  if (record.level < min_level_) return;
  std::string line = format_log_record(record);
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void CapturingLogSink::log(const LogRecord& record) {
  std::lock_guard lock(mutex_);
  records_.push_back(record);
}

std::vector<LogRecord> CapturingLogSink::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

void CapturingLogSink::clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

}  // namespace airwasm::host
