// Unit tests of the WASI embedding API: WasiContext setup errors, and that add_to_linker defines every
// wasi_snapshot_preview1 function with the witx signature (so any preview1 module, C or Rust, links).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/wasi.hh"

namespace airwasm::wasi {
namespace {

struct Expected {
  const char* name;
  const char* params;  // i = i32, I = i64
  bool result;
};

// The 46 functions of wasi_snapshot_preview1 (witx), with their core wasm signatures.
constexpr Expected kPreview1[] = {
    {"args_get", "ii", true},
    {"args_sizes_get", "ii", true},
    {"environ_get", "ii", true},
    {"environ_sizes_get", "ii", true},
    {"clock_res_get", "ii", true},
    {"clock_time_get", "iIi", true},
    {"fd_advise", "iIIi", true},
    {"fd_allocate", "iII", true},
    {"fd_close", "i", true},
    {"fd_datasync", "i", true},
    {"fd_fdstat_get", "ii", true},
    {"fd_fdstat_set_flags", "ii", true},
    {"fd_fdstat_set_rights", "iII", true},
    {"fd_filestat_get", "ii", true},
    {"fd_filestat_set_size", "iI", true},
    {"fd_filestat_set_times", "iIIi", true},
    {"fd_pread", "iiiIi", true},
    {"fd_prestat_get", "ii", true},
    {"fd_prestat_dir_name", "iii", true},
    {"fd_pwrite", "iiiIi", true},
    {"fd_read", "iiii", true},
    {"fd_readdir", "iiiIi", true},
    {"fd_renumber", "ii", true},
    {"fd_seek", "iIii", true},
    {"fd_sync", "i", true},
    {"fd_tell", "ii", true},
    {"fd_write", "iiii", true},
    {"path_create_directory", "iii", true},
    {"path_filestat_get", "iiiii", true},
    {"path_filestat_set_times", "iiiiIIi", true},
    {"path_link", "iiiiiii", true},
    {"path_open", "iiiiiIIii", true},
    {"path_readlink", "iiiiii", true},
    {"path_remove_directory", "iii", true},
    {"path_rename", "iiiiii", true},
    {"path_symlink", "iiiii", true},
    {"path_unlink_file", "iii", true},
    {"poll_oneoff", "iiii", true},
    {"proc_exit", "i", false},
    {"proc_raise", "i", true},
    {"sched_yield", "", true},
    {"random_get", "ii", true},
    {"sock_accept", "iii", true},
    {"sock_recv", "iiiiii", true},
    {"sock_send", "iiiii", true},
    {"sock_shutdown", "ii", true},
};

TEST(WasiLinker, DefinesEveryPreview1Function) {
  Engine engine;
  Store store(engine);
  auto ctx = WasiContext::create({});
  ASSERT_TRUE(ctx);
  Linker linker(engine);
  ASSERT_TRUE(add_to_linker(linker, *ctx));
  for (const Expected& e : kPreview1) {
    auto ext = linker.get(store, "wasi_snapshot_preview1", e.name);
    ASSERT_TRUE(ext.has_value()) << e.name;
    auto func = ext->func();
    ASSERT_TRUE(func.has_value()) << e.name;
    FuncType want;
    for (const char* p = e.params; *p; ++p) want.params.push_back(*p == 'I' ? ValType::kI64 : ValType::kI32);
    if (e.result) want.results.push_back(ValType::kI32);
    EXPECT_EQ(func->type(store), want) << e.name;
  }
}

TEST(WasiLinker, ProcExitFromTheHostIsAnExitTrap) {
  Engine engine;
  Store store(engine);
  auto ctx = WasiContext::create({});
  ASSERT_TRUE(ctx);
  Linker linker(engine);
  ASSERT_TRUE(add_to_linker(linker, *ctx));
  auto f = linker.get(store, "wasi_snapshot_preview1", "proc_exit")->func();
  auto r = f->call(store, std::vector<Val>{Val::i32(9)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kExit);
  EXPECT_EQ(r.error().exit_status(), 9);
}

TEST(WasiLinker, CallsWithoutMemoryFailWithEfault) {
  Engine engine;
  Store store(engine);
  auto ctx = WasiContext::create({});
  ASSERT_TRUE(ctx);
  Linker linker(engine);
  ASSERT_TRUE(add_to_linker(linker, *ctx));
  // Called from the host there is no calling instance, hence no memory: every pointer is out of bounds.
  auto f = linker.get(store, "wasi_snapshot_preview1", "args_sizes_get")->func();
  auto r = f->call(store, std::vector<Val>{Val::i32(0), Val::i32(4)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 21);  // EFAULT
}

TEST(WasiContext, MissingPreopenIsAnError) {
  WasiConfig config;
  config.preopens.push_back({"/nonexistent/airwasm", "."});
  auto ctx = WasiContext::create(config);
  ASSERT_FALSE(ctx);
  EXPECT_NE(ctx.error().message.find("/nonexistent/airwasm"), std::string::npos);
}

TEST(WasiContext, ClosedStdio) {
  WasiConfig config;
  config.stdin_fd = -1;
  config.stdout_fd = -1;
  config.stderr_fd = -1;
  EXPECT_TRUE(WasiContext::create(config));
}

}  // namespace
}  // namespace airwasm::wasi
