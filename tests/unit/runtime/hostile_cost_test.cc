// "Small input, huge cost" modules: a few bytes that declare billions of locals, tables of millions of
// elements, thousands of segments, deeply nested blocks or huge br_tables. Under the default limits each
// one is rejected (a kLimit error naming the limit) or bounded, within 100 ms and without the host's
// resident memory growing past 100 MB. Each TEST runs in its own process (gtest_discover_tests), so the
// peak RSS read from /proc is that test's. Time is the process's CPU time, not wall time: the development
// machine is shared, and a loaded machine must not fail the test; the work is what is bounded.
#include <gtest/gtest.h>

#include <time.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "../decode/wasm_builder.hh"
#include "airwasm/airwasm.hh"

namespace airwasm {
namespace {

using namespace test;

#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlowdown = 20;    // ASan + UBSan debug builds run the same work much slower
constexpr uint64_t kRssFactor = 2;  // and keep shadow memory and redzones beside every allocation
#else
constexpr double kSlowdown = 1;
constexpr uint64_t kRssFactor = 1;
#endif
constexpr double kMaxMillis = 100 * kSlowdown;
constexpr uint64_t kMaxRssBytes = (uint64_t{100} << 20) * kRssFactor;

double cpu_millis() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Peak resident set of this process (VmHWM), in bytes.
uint64_t peak_rss() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

// `n` copies of `item` as a wasm vector.
Bytes repeat_vec(uint32_t n, const Bytes& item) {
  Bytes out = uleb(n);
  out.reserve(out.size() + size_t(n) * item.size());
  for (uint32_t i = 0; i < n; ++i) out.insert(out.end(), item.begin(), item.end());
  return out;
}

const Bytes kVoidType = section(1, vec({functype({}, {})}));

// A module with `n` functions of type 0, all with the same body.
Bytes functions(uint32_t n, const Bytes& one_body, const Bytes& types = kVoidType) {
  return module({types, section(3, repeat_vec(n, uleb(0))), section(10, repeat_vec(n, one_body))});
}

// Compiles (and, if asked, instantiates) `bytes` under the default limits; checks time and RSS and returns
// the compile or instantiate error, if any.
struct Outcome {
  bool compiled = false;
  bool instantiated = false;
  std::optional<Error> error;
};

Outcome run(const Bytes& bytes, bool instantiate) {
  Outcome out;
  const double start = cpu_millis();
  Engine engine;
  auto module = Module::compile(engine, bytes);
  if (!module) {
    out.error = module.error();
  } else {
    out.compiled = true;
    if (instantiate) {
      Store store(engine);
      Linker linker(engine);
      auto instance = linker.instantiate(store, *module);
      if (instance)
        out.instantiated = true;
      else
        out.error = instance.error();
    }
  }
  const double ms = cpu_millis() - start;
  EXPECT_LT(ms, kMaxMillis) << "input of " << bytes.size() << " bytes";
  EXPECT_LT(peak_rss(), kMaxRssBytes);
  std::printf("  %zu bytes: %.1f ms CPU, peak RSS %.1f MB, %s\n", bytes.size(), ms,
              double(peak_rss()) / (1 << 20),
              out.error          ? out.error->message.c_str()
              : out.instantiated ? "instantiated"
                                 : "compiled");
  return out;
}

void expect_limit(const Outcome& o, const char* words) {
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->kind, ErrorKind::kLimit) << o.error->to_string();
  EXPECT_NE(o.error->message.find(words), std::string::npos) << o.error->message;
}

TEST(HostileCost, FourBillionLocalsIsRejected) {
  // The 37-byte module of issue 14: one function declaring 4,000,000,000 i32 locals.
  const Bytes m = functions(1, body(cat({uleb(1), uleb(4'000'000'000u), Bytes{0x7f}}), {0x0b}));
  EXPECT_LT(m.size(), 40u);
  expect_limit(run(m, false), "too many locals");
}

TEST(HostileCost, ManyFunctionsAtTheLocalsLimitAreBounded) {
  // 1,000 functions of 50,000 locals each: 50 million locals from 8 KB.
  const Bytes m = functions(1000, body(cat({uleb(1), uleb(50'000), Bytes{0x7f}}), {0x0b}));
  const Outcome o = run(m, true);
  EXPECT_TRUE(o.instantiated) << (o.error ? o.error->to_string() : "");
}

TEST(HostileCost, HugeTablesAreRejected) {
  // 200 tables of 10 million elements (1.2 KB): more tables than a module may declare.
  const Bytes table = Bytes{0x70, 0x00, 0x80, 0xad, 0xe2, 0x04};  // funcref, min 10,000,000
  expect_limit(run(module({section(4, repeat_vec(200, table))}), true), "too many tables");
  // 20 of them compile but do not fit the Store's table memory (64 MiB by default).
  const Outcome o = run(module({section(4, repeat_vec(20, table))}), true);
  EXPECT_TRUE(o.compiled);
  expect_limit(o, "table memory limit");
  // One past the per-table implementation limit is a compile error.
  expect_limit(run(module({section(4, vec({Bytes{0x70, 0x00, 0x81, 0xad, 0xe2, 0x04}}))}), false),
               "exceeds the implementation limit");
}

TEST(HostileCost, HugeMemoriesCostAddressSpaceOnly) {
  // 65,536 pages (4 GiB) plus a data segment at its last byte: reserved, only touched pages are resident.
  const Bytes mem = section(5, vec({Bytes{0x00, 0x80, 0x80, 0x04}}));
  const Bytes data = section(11, vec({cat({uleb(0), expr(cat({Bytes{0x41}, sleb(-1)})), name("x")})}));
  const Outcome o = run(module({mem, data}), true);
  EXPECT_TRUE(o.instantiated) << (o.error ? o.error->to_string() : "");
}

TEST(HostileCost, TooManySegmentsAreRejected) {
  const Bytes passive_data = cat({uleb(1), name("")});
  expect_limit(run(module({section(11, repeat_vec(100'001, passive_data))}), false),
               "too many data segments");
  // Passive element segments of one null funcref each: flags 5, funcref, one expression `ref.null func`.
  const Bytes passive_elem = cat({uleb(5), Bytes{0x70}, vec({expr({0xd0, 0x70})})});
  expect_limit(run(module({section(9, repeat_vec(100'001, passive_elem))}), false),
               "too many element segments");
}

TEST(HostileCost, TooManyTypesAndParametersAreRejected) {
  expect_limit(run(module({section(1, repeat_vec(1'000'001, functype({}, {})))}), false), "too many types");
  Bytes params = repeat_vec(1'001, Bytes{0x7f});
  Bytes type = cat({Bytes{0x60}, params, uleb(0)});
  expect_limit(run(module({section(1, cat({uleb(1), type}))}), false), "too many parameters");
}

TEST(HostileCost, DeeplyNestedBlocksAreBounded) {
  // 100,001 nested blocks: past the nesting limit. 100,000 are fine and cost memory in proportion.
  auto nested = [](uint32_t depth) {
    Bytes code;
    code.reserve(size_t(depth) * 3 + 1);
    for (uint32_t i = 0; i < depth; ++i) code.insert(code.end(), {0x02, 0x40});
    for (uint32_t i = 0; i < depth; ++i) code.push_back(0x0b);
    code.push_back(0x0b);
    return functions(1, body(uleb(0), code));
  };
  expect_limit(run(nested(100'001), false), "nested deeper");
  const Outcome o = run(nested(100'000), true);
  EXPECT_TRUE(o.instantiated) << (o.error ? o.error->to_string() : "");
}

TEST(HostileCost, HugeBrTablesAreBounded) {
  // br_table with `n` targets inside 8 nested blocks of 8 i64 results each... kept simple: void blocks.
  auto br_table = [](uint32_t n) {
    Bytes code = {0x02, 0x40, 0x41, 0x00, 0x0e};
    const Bytes targets = repeat_vec(n, uleb(0));
    code.insert(code.end(), targets.begin(), targets.end());
    code.insert(code.end(), {0x00, 0x0b, 0x0b});
    return functions(1, body(uleb(0), code));
  };
  expect_limit(run(br_table(65'521), false), "br_table");
  const Outcome o = run(br_table(65'520), true);
  EXPECT_TRUE(o.instantiated) << (o.error ? o.error->to_string() : "");
}

TEST(HostileCost, LimitsAreConfigurable) {
  EngineConfig config;
  config.limits.max_function_locals = 10;
  Engine engine(config);
  const Bytes m = functions(1, body(cat({uleb(1), uleb(11), Bytes{0x7f}}), {0x0b}));
  auto module = Module::compile(engine, m);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().kind, ErrorKind::kLimit);
  EXPECT_TRUE(Module::compile(Engine{}, m));
}

}  // namespace
}  // namespace airwasm
