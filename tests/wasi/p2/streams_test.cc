// tests/wasi/p2: writes that cannot complete at once, in sliced calls (label unit). wat/stdio_bulk.wat makes
// one blocking-write-and-flush of up to 1 MiB, or blocking-splices stdin to stdout, with stdout a
// non-blocking pipe (64 KiB) that the test drains only while the call is suspended. So the write must
// suspend part-way, several times, and each run again of the host call must go on where it stopped
// (OutputStreamObj::unfinished, Store::host_call_id): the pipe then carries the guest's bytes exactly,
// none twice, none lost. Should the rest of a write wait on the thread instead, nothing drains the pipe
// within the slice: a watchdog drains it after 3 s so that the test fails (rescued) instead of hanging.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"
#include "test_support.hh"

using airwasm::Store;
using airwasm::component::Val;
using airwasm::wasi::p2::WasiP2Config;

namespace {

using airwasm::testing::P2Guest;

// What stdio_bulk's write(len) writes: 32-bit little-endian counters, cut at len bytes.
std::string counters(size_t len) {
  std::string s(len, '\0');
  for (size_t i = 0; i < len; ++i) s[i] = char((i / 4) >> (8 * (i % 4)));
  return s;
}

// stdout as a non-blocking pipe whose reading end the test drains; the guest in a Store with fuel.
struct PipeGuest {
  explicit PipeGuest(WasiP2Config config) {
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    config.stdout_fd = fds[1];
    config.capture_stderr = true;
    airwasm::EngineConfig engine_config;
    engine_config.consume_fuel = true;
    guest.emplace("stdio_bulk", config, engine_config);
    ::close(fds[1]);  // the context holds its own duplicate
    EXPECT_TRUE(guest->store.set_fuel(UINT64_MAX >> 2));
  }
  ~PipeGuest() { ::close(fds[0]); }
  void drain() {
    std::lock_guard lock(mu);
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  }

  // Runs export `func` as a sliced call to its end, draining the pipe only while it is suspended on it.
  // Returns the results; `suspensions` counts the suspensions blocked on the pipe.
  std::vector<Val> run_sliced(const char* func, std::span<const Val> args) {
    Store& store = guest->store;
    std::atomic<bool> finished{false};
    std::atomic<int64_t> last_slice_ms{now_ms()};
    std::thread watchdog([&] {
      while (!finished) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (now_ms() - last_slice_ms > 3000) {
          rescued = true;
          drain();
        }
      }
    });
    std::vector<Val> results;
    auto call = airwasm::component::SlicedCall::start(store, guest->func(func), args, 1'000'000);
    EXPECT_TRUE(call) << call.error().message();
    while (call && !call->finished()) {
      if (const Store::BlockedOn* blocked = store.blocked_on()) {
        EXPECT_EQ(blocked->fds.size(), 1u);
        if (!blocked->fds.empty()) {
          EXPECT_EQ(blocked->fds[0].events, POLLOUT);
        }
        ++suspensions;
        drain();  // the embedder's wait: make room
        if (suspensions > 1000 || out.size() > (8u << 20)) {
          ADD_FAILURE() << "the write makes no progress (it writes the same bytes again and again)";
          break;
        }
      }
      auto r = call->resume(store, 1'000'000);
      last_slice_ms = now_ms();
      EXPECT_TRUE(r) << r.error().message();
      if (!r) break;
    }
    finished = true;
    watchdog.join();
    drain();
    if (call && call->finished()) results = call->take_results();
    return results;
  }

  static int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  int fds[2] = {-1, -1};
  std::optional<P2Guest> guest;
  std::mutex mu;
  std::string out;
  std::atomic<bool> rescued{false};
  int suspensions = 0;
};

// One blocking-write-and-flush of 12 pipes' worth: it suspends part-way again and again (the guest makes
// one host call only, so every suspension after the first is in the middle of it), and the pipe carries
// the bytes once each, in order.
TEST(WasiP2Streams, SlicedWriteSuspendsPartWayAndGoesOn) {
  PipeGuest g({});
  ASSERT_TRUE(g.guest->ok());
  const uint32_t len = (768u << 10) + 3;  // not a whole number of counters: the tail is cut
  const Val args[] = {Val::u32(len)};
  auto results = g.run_sliced("write", args);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].as_u32(), 0u) << g.guest->ctx->captured_stderr();
  EXPECT_FALSE(g.rescued) << "the rest of the write waited on the thread";
  EXPECT_GE(g.suspensions, 4);
  std::printf("one %u-byte write through a 64 KiB pipe: %d suspensions\n", len, g.suspensions);
  EXPECT_EQ(g.out.size(), len);
  EXPECT_TRUE(g.out == counters(len)) << "the pipe did not carry the bytes exactly once each";
}

// blocking-splice from stdin (bytes given in the config: the whole input is read at once) to the pipe:
// the write half suspends part-way, and its run again writes the rest of what it read instead of
// reading again.
TEST(WasiP2Streams, SlicedSpliceSuspendsInItsWrite) {
  std::string text;
  for (int i = 0; text.size() < (640u << 10); ++i) text += "spliced line " + std::to_string(i) + "\n";
  WasiP2Config config;
  config.stdin_data = text;
  PipeGuest g(config);
  ASSERT_TRUE(g.guest->ok());
  auto results = g.run_sliced("splice", {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].as_u64(), text.size());
  EXPECT_FALSE(g.rescued) << "the write half of the splice waited on the thread";
  EXPECT_GE(g.suspensions, 4);
  std::printf("a %zu-byte splice through a 64 KiB pipe: %d suspensions\n", text.size(), g.suspensions);
  EXPECT_TRUE(g.out == text) << "output differs from input (" << g.out.size() << " of " << text.size()
                             << " bytes)";
}

}  // namespace
