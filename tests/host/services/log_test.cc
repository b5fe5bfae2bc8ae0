// Log sinks (include/airwasm/host/log.hh): the structured line format, escaping of guest text (a component
// must not be able to forge or split lines), level filtering, and the capturing sink.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

#include "airwasm/host/log.hh"

namespace airwasm::host {
namespace {

const ComponentId kA{"demo", "a", "1"};

std::string read_all(std::FILE* file) {
  std::rewind(file);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) out.append(buffer, n);
  return out;
}

TEST(LogFormat, StructuredLine) {
  // 2023-11-14T22:13:20Z is 1700000000 seconds after the epoch (date -u -d @1700000000).
  LogRecord record{kA, LogLevel::kWarn, "quota low", {{"used", "1000"}, {"limit", "1024"}}, {1700000000, 5}};
  EXPECT_EQ(format_log_record(record),
            "2023-11-14T22:13:20.000000005Z warn demo/a/1: \"quota low\" used=1000 limit=1024");
  record.message = "plain";
  record.context.clear();
  record.level = LogLevel::kTrace;
  EXPECT_EQ(format_log_record(record), "2023-11-14T22:13:20.000000005Z trace demo/a/1: plain");
}

TEST(LogFormat, GuestTextCannotForgeLines) {
  LogRecord record{kA, LogLevel::kInfo, "done\n2023-01-01T00:00:00Z error host/x/0: fake", {}, {0, 0}};
  record.context = {{"k=v", "a \"quoted\" \\ value"}, {"", "\t\x01\x7f"}};
  std::string line = format_log_record(record);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(
      line,
      "1970-01-01T00:00:00.000000000Z info demo/a/1: \"done\\n2023-01-01T00:00:00Z error host/x/0: fake\" "
      "\"k=v\"=\"a \\\"quoted\\\" \\\\ value\" \"\"=\"\\t\\u{1}\\u{7f}\"");
}

TEST(LogFormat, LongTextIsCut) {
  LogRecord record{kA, LogLevel::kInfo, std::string(100, 'x'), {}, {0, 0}};
  EXPECT_EQ(format_log_record(record, 10), "1970-01-01T00:00:00.000000000Z info demo/a/1: xxxxxxxxxx...");
}

TEST(LogFormat, LevelNames) {
  EXPECT_EQ(log_level_name(LogLevel::kTrace), "trace");
  EXPECT_EQ(log_level_name(LogLevel::kDebug), "debug");
  EXPECT_EQ(log_level_name(LogLevel::kInfo), "info");
  EXPECT_EQ(log_level_name(LogLevel::kWarn), "warn");
  EXPECT_EQ(log_level_name(LogLevel::kError), "error");
}

TEST(StderrLogSink, WritesWholeLinesAtOrAboveItsLevel) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  {
    StderrLogSink sink(LogLevel::kInfo, file);
    sink.log(LogRecord{kA, LogLevel::kDebug, "hidden", {}, {0, 0}});
    sink.log(LogRecord{kA, LogLevel::kInfo, "shown", {}, {0, 0}});
    sink.log(LogRecord{kA, LogLevel::kError, "also", {{"code", "7"}}, {0, 0}});
  }
  EXPECT_EQ(read_all(file),
            "1970-01-01T00:00:00.000000000Z info demo/a/1: shown\n"
            "1970-01-01T00:00:00.000000000Z error demo/a/1: also code=7\n");
  std::fclose(file);
}

TEST(StderrLogSink, LinesFromThreadsNeverInterleave) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  constexpr int kThreads = 4, kLines = 200;
  {
    StderrLogSink sink(LogLevel::kTrace, file);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kLines; ++i) {
          sink.log(LogRecord{kA, LogLevel::kInfo, std::string(300, char('a' + t)), {}, {0, 0}});
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  std::string all = read_all(file);
  std::fclose(file);
  size_t lines = 0, start = 0;
  const std::string prefix = "1970-01-01T00:00:00.000000000Z info demo/a/1: ";
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    std::string line = all.substr(start, end - start);
    ASSERT_EQ(line.size(), prefix.size() + 300);
    EXPECT_EQ(line.substr(prefix.size()), std::string(300, line.back()));
    ++lines;
    start = end + 1;
  }
  EXPECT_EQ(lines, size_t(kThreads * kLines));
}

TEST(CapturingLogSink, KeepsRecords) {
  CapturingLogSink sink;
  LogRecord record{kA, LogLevel::kDebug, "m", {{"k", "v"}}, {1, 2}};
  sink.log(record);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.records()[0], record);
  sink.clear();
  EXPECT_TRUE(sink.records().empty());
}

}  // namespace
}  // namespace airwasm::host
