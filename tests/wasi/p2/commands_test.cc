// tests/wasi/p2: WASI 0.2 in-process (label unit, so it also runs under ASan + UBSan): the tests/wasi C
// programs as command components (fixture wasi_p2_commands) run through wasi:cli/run with a
// WasiP2Context that captures their output: arguments and environment, exit statuses, file I/O in a
// pre-opened directory, stdin given as bytes, one Linker serving many Stores through a context getter,
// and a deadline stopping a guest blocked on stdin.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"
#include "test_support.hh"

using airwasm::Engine;
using airwasm::Store;
using airwasm::Trap;
using airwasm::TrapCode;
using airwasm::component::Component;
using airwasm::component::Linker;
using airwasm::component::Val;
using airwasm::wasi::p2::WasiP2Config;
using airwasm::wasi::p2::WasiP2Context;

namespace {

using airwasm::testing::read_file;

struct Outcome {
  bool ok = false;   // run returned ok
  int exit = -1;     // wasi:cli/exit status, if the guest exited
  std::string trap;  // any other trap
  std::string out, err;
};

class Commands : public ::testing::Test {
 protected:
  Engine engine;

  std::optional<Component> load(const std::string& name) {
    auto c = Component::compile(engine,
                                read_file(std::string(AIRWASM_P2_COMMANDS) + "/" + name + ".component.wasm"));
    EXPECT_TRUE(c) << c.error().to_string();
    if (!c) return std::nullopt;
    return std::move(*c);
  }

  Outcome run(const std::string& name, WasiP2Config config, airwasm::CallOptions options = {}) {
    Outcome o;
    config.capture_stdout = true;
    config.capture_stderr = true;
    auto ctx = WasiP2Context::create(config);
    EXPECT_TRUE(ctx) << ctx.error().to_string();
    std::optional<Component> c = load(name);
    if (!ctx || !c) return o;
    Linker linker(engine);
    EXPECT_TRUE(airwasm::wasi::p2::add_to_linker(linker, *ctx));
    Store store(engine);
    auto inst = linker.instantiate(store, *c);
    EXPECT_TRUE(inst) << inst.error().to_string();
    if (!inst) return o;
    auto f = inst->get_func(store, "wasi:cli/run@0.2.12", "run");
    EXPECT_TRUE(f);
    if (!f) return o;
    auto r = f->call(store, {}, options);
    if (r) {
      o.ok = (*r)[0].is_ok();
    } else if (r.error().code() == TrapCode::kExit) {
      o.exit = r.error().exit_status();
    } else {
      o.trap = r.error().message();
    }
    o.out = ctx->captured_stdout();
    o.err = ctx->captured_stderr();
    return o;
  }
};

TEST_F(Commands, ArgumentsAndEnvironment) {
  WasiP2Config config;
  config.args = {"prog", "one", "two words", ""};
  config.env = {{"FOO", "bar"}, {"EMPTY", ""}};
  Outcome o = run("args_env", config);
  EXPECT_TRUE(o.ok) << o.trap;
  EXPECT_EQ(o.out,
            "argc 4\nargv[1] = 'one'\nargv[2] = 'two words'\nargv[3] = ''\nenviron 2\n  EMPTY=\n  FOO=bar\n"
            "FOO bar\nAIRWASM_TEST_MISSING (unset)\n");
}

TEST_F(Commands, ExitStatuses) {
  WasiP2Config config;
  config.args = {"prog", "zero"};
  EXPECT_TRUE(run("exit_codes", config).ok);
  config.args = {"prog", "exit"};
  Outcome exited = run("exit_codes", config);
  EXPECT_EQ(exited.exit, 1);  // wasi:cli/exit carries failure only; proc_exit(7) becomes 1
  EXPECT_NE(exited.out.find("exiting from depth 5"), std::string::npos);
  config.args = {"prog", "trap"};
  Outcome trapped = run("exit_codes", config);
  EXPECT_NE(trapped.trap.find("unreachable"), std::string::npos) << trapped.trap;
}

TEST_F(Commands, FilesInAPreopenedDirectory) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("airwasm_p2_fileio_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  WasiP2Config config;
  config.args = {"fileio"};
  config.preopens = {{dir.string(), "."}};
  Outcome o = run("fileio", config);
  EXPECT_TRUE(o.ok) << o.trap << o.err;
  EXPECT_NE(o.out.find("fstat: OK"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("FAIL"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("rmdir work: OK"), std::string::npos) << o.out;  // it cleans up after itself
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

TEST_F(Commands, StdinFromBytes) {
  WasiP2Config config;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + "\n";
  config.stdin_data = text;
  Outcome o = run("cat", config);
  EXPECT_TRUE(o.ok) << o.trap;
  EXPECT_EQ(o.out, text);
}

// `cat` writing 256 KiB into a pipe that nobody reads, run sliced: once the pipe is full, its write (the
// preview1 adapter's blocking-write-and-flush, nothing of it written yet) suspends the call with the pipe
// and POLLOUT as what it waits for, instead of holding the thread; the test drains the pipe and resumes,
// and the whole input comes out, in order, with nothing written twice.
TEST_F(Commands, SlicedWriteToAFullPipeSuspends) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK), 0);
  std::string text;
  for (int i = 0; text.size() < (256u << 10); ++i) text += "line " + std::to_string(i) + "\n";
  WasiP2Config config;
  config.stdin_data = text;
  config.stdout_fd = pipe_fds[1];
  config.capture_stderr = true;
  airwasm::EngineConfig engine_config;
  engine_config.consume_fuel = true;
  Engine fuel_engine(engine_config);
  auto c =
      Component::compile(fuel_engine, read_file(std::string(AIRWASM_P2_COMMANDS) + "/cat.component.wasm"));
  ASSERT_TRUE(c) << c.error().to_string();
  auto ctx = WasiP2Context::create(config);
  ASSERT_TRUE(ctx);
  ::close(pipe_fds[1]);  // the context holds its own duplicate
  Linker linker(fuel_engine);
  ASSERT_TRUE(airwasm::wasi::p2::add_to_linker(linker, *ctx));
  Store store(fuel_engine);
  ASSERT_TRUE(store.set_fuel(UINT64_MAX >> 2));
  auto inst = linker.instantiate(store, *c);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto f = inst->get_func(store, "wasi:cli/run@0.2.12", "run");
  ASSERT_TRUE(f);

  std::mutex drain_mutex;
  std::string out;
  auto drain = [&] {
    std::lock_guard lock(drain_mutex);
    char buf[65536];
    ssize_t n;
    while ((n = ::read(pipe_fds[0], buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  };
  // Should a write wait on the thread instead of suspending, nothing drains the pipe while the call is
  // inside a slice: after 3 s without a finished slice this drains it, so that the test fails (rescued)
  // instead of hanging.
  std::atomic<bool> finished{false}, rescued{false};
  std::atomic<int> write_waits{0};
  std::atomic<int64_t> last_slice_ms{0};
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  last_slice_ms = now_ms();
  std::thread watchdog([&] {
    while (!finished) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (now_ms() - last_slice_ms > 3000) {
        rescued = true;
        drain();
      }
    }
  });
  auto call = airwasm::component::SlicedCall::start(store, *f, {}, 1'000'000);
  ASSERT_TRUE(call) << call.error().message();
  while (!call->finished()) {
    if (const Store::BlockedOn* blocked = store.blocked_on()) {
      ASSERT_EQ(blocked->fds.size(), 1u);
      EXPECT_EQ(blocked->fds[0].events, POLLOUT);
      ++write_waits;
      drain();  // the embedder's wait: make room
    }
    auto r = call->resume(store, 1'000'000);
    last_slice_ms = now_ms();
    ASSERT_TRUE(r) << r.error().message();
  }
  finished = true;
  watchdog.join();
  drain();
  ::close(pipe_fds[0]);
  auto results = call->take_results();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].is_ok()) << ctx->captured_stderr();
  EXPECT_FALSE(rescued);
  EXPECT_GE(write_waits.load(), 1);
  EXPECT_EQ(out, text);
}

TEST_F(Commands, CaptureIsBounded) {
  WasiP2Config config;
  config.stdin_data = std::string(100000, 'x');
  config.capture_limit = 4096;
  Outcome o = run("cat", config);
  // The guest's writes past the limit fail (a stream error it sees as EIO/ENOSPC), and nothing is
  // kept beyond the limit.
  EXPECT_LE(o.out.size(), 4096u);
  EXPECT_FALSE(o.ok && o.out.size() == 100000u);
}

TEST_F(Commands, OneLinkerManyStores) {
  // A Linker shared by several Stores finds each Store's context through the getter (Store::data()).
  Linker linker(engine);
  ASSERT_TRUE(airwasm::wasi::p2::add_to_linker(
      linker, [](Store& s) { return static_cast<WasiP2Context*>(s.data()); }));
  std::optional<Component> c = load("args_env");
  ASSERT_TRUE(c);
  auto pre = linker.instantiate_pre(*c);
  ASSERT_TRUE(pre) << pre.error().to_string();
  for (int i = 0; i < 4; ++i) {
    WasiP2Config config;
    config.args = {"prog", "store-" + std::to_string(i)};
    config.capture_stdout = true;
    auto ctx = WasiP2Context::create(config);
    ASSERT_TRUE(ctx);
    Store store(engine);
    store.set_data(&*ctx);
    auto inst = pre->instantiate(store);
    ASSERT_TRUE(inst) << inst.error().to_string();
    auto r = inst->get_func(store, "wasi:cli/run@0.2.12#run")->call(store, {});
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_NE(ctx->captured_stdout().find("argv[1] = 'store-" + std::to_string(i) + "'"), std::string::npos);
  }
  // A Store without a context: the first WASI call traps instead of touching another guest's state.
  Store orphan(engine);
  auto inst = pre->instantiate(orphan);
  ASSERT_TRUE(inst);
  auto r = inst->get_func(orphan, "wasi:cli/run@0.2.12#run")->call(orphan, {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("no WASI 0.2 context"), std::string::npos) << r.error().message();
}

TEST_F(Commands, DeadlineStopsAGuestBlockedOnStdin) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);  // nothing is ever written: cat blocks in poll / read
  WasiP2Config config;
  config.stdin_fd = fds[0];
  airwasm::CallOptions options;
  options.timeout = std::chrono::milliseconds(200);
  const auto start = std::chrono::steady_clock::now();
  Outcome o = run("cat", config, options);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_NE(o.trap.find("deadline"), std::string::npos) << o.trap;
  EXPECT_LT(took, std::chrono::seconds(5));
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(WasiP2Context, MissingPreopenIsAnError) {
  WasiP2Config config;
  config.preopens = {{"/nonexistent/airwasm-p2", "."}};
  auto ctx = WasiP2Context::create(config);
  ASSERT_FALSE(ctx);
  EXPECT_NE(ctx.error().message.find("/nonexistent/airwasm-p2"), std::string::npos);
}

}  // namespace
