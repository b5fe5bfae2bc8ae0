// interp: optional execution profile of the dispatch loop (built only with -DAIRWASM_OP_STATS=ON).
// Counts every executed internal op and every pair of consecutive ops, and prints the most frequent
// ones to stderr at exit. Used to choose fused instructions; it slows execution down a lot.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "interp/iop.hh"

namespace airwasm::interp {

namespace {

const char* const kIOpNames[] = {
#define AIRWASM_OP(name, code, text, imm, sig, arg) #name,
#include "wasm/opcodes.def"
#undef AIRWASM_OP
#define AIRWASM_IOP(name) #name,
#include "interp/iops.def"
#undef AIRWASM_IOP
};

struct Stats {
  std::unordered_map<const void*, int> index;
  std::vector<uint64_t> counts = std::vector<uint64_t>(kIOpCount);
  std::map<std::pair<int, int>, uint64_t> pairs;
  int previous = -1;
  ~Stats() {
    uint64_t total = 0;
    for (uint64_t c : counts) total += c;
    std::vector<std::pair<uint64_t, int>> ops;
    for (size_t i = 0; i < counts.size(); ++i)
      if (counts[i]) ops.emplace_back(counts[i], int(i));
    std::sort(ops.rbegin(), ops.rend());
    std::fprintf(stderr, "op stats: %llu dispatches\n", (unsigned long long)total);
    for (size_t i = 0; i < ops.size() && i < 40; ++i)
      std::fprintf(stderr, "  %6.2f%%  %s\n", 100.0 * double(ops[i].first) / double(total),
                   kIOpNames[ops[i].second]);
    std::vector<std::pair<uint64_t, std::pair<int, int>>> top;
    for (auto& [k, v] : pairs) top.emplace_back(v, k);
    std::sort(top.rbegin(), top.rend());
    std::fprintf(stderr, "op pairs:\n");
    for (size_t i = 0; i < top.size() && i < 40; ++i)
      std::fprintf(stderr, "  %6.2f%%  %s -> %s\n", 100.0 * double(top[i].first) / double(total),
                   kIOpNames[top[i].second.first], kIOpNames[top[i].second.second]);
  }
};

Stats& stats() {
  static Stats s;
  return s;
}

}  // namespace

void op_stats_record(const void* handler) {
  Stats& s = stats();
  if (s.index.empty())
    for (size_t i = 0; i < kIOpCount; ++i) s.index.emplace(handler_table()[i], int(i));
  auto it = s.index.find(handler);
  const int op = it == s.index.end() ? -1 : it->second;
  if (op < 0) return;
  ++s.counts[size_t(op)];
  if (s.previous >= 0) ++s.pairs[{s.previous, op}];
  s.previous = op;
}

}  // namespace airwasm::interp
