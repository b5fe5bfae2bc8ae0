// tests/fuzz: libFuzzer target for the baseline compiler (issue 15's differential fuzzer). The input is
// not wasm: it is the stream of choices of a structured generator (wasm_gen.hh) that always produces a
// valid, terminating module; the module then runs in the interpreter and in the baseline compiler, with
// and without fuel metering (baseline_diff.hh), and any difference in results, traps, remaining fuel,
// memories or globals aborts with both sides printed. AIRWASM_FUZZ_DUMP=<file> writes each generated
// module there before it runs (to inspect a finding: wasm2wat <file>). AIRWASM_FUZZ_STATS=<n> prints the
// share of functions compiled and the most frequent reasons for refusals every n inputs. Built with clang
// (see build_fuzz.sh, FUZZ_TARGET=baseline_diff_fuzz), not with g++.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "baseline_diff.hh"
#include "wasm_gen.hh"

namespace {

airwasm::fuzzgen::DiffStats stats;

void print_stats() {
  std::fprintf(stderr,
               "baseline_diff_fuzz: %llu modules, %llu calls (%llu trapped, %llu out of fuel), %llu of %llu "
               "functions compiled\n",
               static_cast<unsigned long long>(stats.modules), static_cast<unsigned long long>(stats.calls),
               static_cast<unsigned long long>(stats.traps),
               static_cast<unsigned long long>(stats.out_of_fuel),
               static_cast<unsigned long long>(stats.compiled),
               static_cast<unsigned long long>(stats.compiled + stats.interpreted));
  std::vector<std::pair<uint64_t, std::string>> top;
  for (const auto& [reason, n] : stats.refusals) top.emplace_back(n, reason);
  std::sort(top.rbegin(), top.rend());
  for (size_t i = 0; i < top.size() && i < 8; ++i)
    std::fprintf(stderr, "  %6llu x %s\n", static_cast<unsigned long long>(top[i].first),
                 top[i].second.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace airwasm::fuzzgen;
  if (!baseline_available()) return 0;
  static const GenOptions options = [] {
    GenOptions o;
    o.isolate_nan_operands = !nan_operand_order_agrees();
    if (o.isolate_nan_operands)
      std::fprintf(stderr,
                   "baseline_diff_fuzz: this build's interpreter orders NaN operands otherwise than the "
                   "compiler: commutative float ops get at most one NaN\n");
    return o;
  }();
  Choices choices(data, size);
  const GenModule m = generate(choices, options);
  if (const char* dump = std::getenv("AIRWASM_FUZZ_DUMP")) {
    if (FILE* f = std::fopen(dump, "wb")) {
      std::fwrite(m.wasm.data(), 1, m.wasm.size(), f);
      std::fclose(f);
    }
  }
  const std::string diff = run_baseline_diff(m, &stats);
  if (!diff.empty()) {
    std::fprintf(stderr, "baseline_diff_fuzz: %s\n", diff.c_str());
    std::abort();
  }
  static const long every = [] {
    const char* s = std::getenv("AIRWASM_FUZZ_STATS");
    return s ? std::atol(s) : 0L;
  }();
  if (every > 0 && stats.modules % uint64_t(every) == 0) print_stats();
  return 0;
}
