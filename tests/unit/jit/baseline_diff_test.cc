// The differential test of the baseline compiler (issue 15), deterministic: the fuzzer's generator
// (tests/fuzz/wasm_gen.hh) on fixed pseudo-random seeds, each module run in the interpreter and the
// baseline compiler with fuel, without, and as sliced calls (tests/fuzz/baseline_diff.hh), which must
// agree in results, traps, remaining fuel, slices, memories and globals. It also checks that the compiler
// really compiled a good share of the generated functions (a fifth are left to the interpreter on purpose,
// so that calls cross the tiers), so that agreement is not the interpreter agreeing with itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "baseline_diff.hh"
#include "wasm_gen.hh"

namespace airwasm::fuzzgen {
namespace {

// 3,000 modules take about 4 s in Release; the sanitizer build (CI) is some 20 times slower and runs fewer.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kSeeds = 500;
#else
constexpr uint64_t kSeeds = 3000;
#endif
// The share of generated functions the compiler must translate (what it leaves: AIRWASM_BASELINE_TRACE=1).
constexpr uint64_t kMinCompiledPercent = 70;

TEST(BaselineDiff, GeneratedModulesAgreeWithTheInterpreter) {
  if (!baseline_available()) GTEST_SKIP() << "the baseline compiler does not run on this machine";
  // Where this build's interpreter picks another NaN than the compiler for two NaN operands
  // (docs/RATIONALE.md), the generator keeps such ops from meeting two NaNs.
  GenOptions options;
  options.isolate_nan_operands = !nan_operand_order_agrees();
  if (options.isolate_nan_operands)
    std::printf("NaN operands isolated (interpreter's operand order differs)\n");
  DiffStats stats;
  size_t failures = 0;
  for (uint64_t seed = 1; seed <= kSeeds && failures < 5; ++seed) {
    Choices choices(seed);
    const GenModule m = generate(choices, options);
    const std::string diff = run_baseline_diff(m, &stats);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed << ": " << diff;
    }
  }
  std::vector<std::pair<uint64_t, std::string>> top;
  for (const auto& [reason, n] : stats.refusals) top.emplace_back(n, reason);
  std::sort(top.rbegin(), top.rend());
  std::string refusals;
  for (size_t i = 0; i < top.size() && i < 5; ++i)
    refusals += "\n  " + std::to_string(top[i].first) + " x " + top[i].second;
  const uint64_t total = stats.compiled + stats.interpreted;
  std::printf(
      "%llu modules, %llu calls (%llu trapped, %llu out of fuel); %llu of %llu functions compiled%s\n",
      static_cast<unsigned long long>(stats.modules), static_cast<unsigned long long>(stats.calls),
      static_cast<unsigned long long>(stats.traps), static_cast<unsigned long long>(stats.out_of_fuel),
      static_cast<unsigned long long>(stats.compiled), static_cast<unsigned long long>(total),
      refusals.c_str());
  // The generated programs must actually run (not trap at once) and use fuel to its end sometimes.
  EXPECT_GT(stats.calls, kSeeds);
  EXPECT_LT(stats.traps, stats.calls * 3 / 4);
  EXPECT_GT(stats.out_of_fuel, 0u);
  EXPECT_GE(stats.compiled * 100, total * kMinCompiledPercent) << "most generated functions were interpreted";
}

}  // namespace
}  // namespace airwasm::fuzzgen
