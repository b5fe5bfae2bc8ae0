// tests/fuzz: the differential check of the baseline compiler against the interpreter, shared by the
// libFuzzer target (baseline_diff_fuzz.cc) and the deterministic unit test
// (tests/unit/jit/baseline_diff_test.cc). A generated module (wasm_gen.hh) runs in the interpreter and
// in the baseline compiler three ways - with fuel metering, without, and as sliced calls that suspend
// every few hundred units of fuel (and when the host function asks to yield) and resume until done - and
// every call must give the same results (bit for bit), the same trap (code, text and backtrace), the same
// remaining fuel and number of slices, and the module's memories and globals must end equal.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "wasm_gen.hh"

namespace airwasm::fuzzgen {

struct DiffStats {
  uint64_t modules = 0;
  uint64_t calls = 0;
  uint64_t traps = 0;                          // calls that trapped (in both tiers alike)
  uint64_t out_of_fuel = 0;                    // of which: out of fuel
  std::map<std::string, uint64_t> trap_kinds;  // trapped calls by trap text
  uint64_t compiled = 0;                       // functions the baseline compiler translated
  uint64_t interpreted = 0;                    // functions it left to the interpreter
  std::map<std::string, uint64_t> refusals;    // first refusal per module, by reason (ops not translated)
};

// False if the baseline compiler cannot run on this machine (the check is then skipped).
bool baseline_available();

// Whether the interpreter and the compiler pick the same NaN when a commutative float op (add, mul, min,
// max) gets two NaNs (wasm_gen.hh, GenOptions::isolate_nan_operands): true in the Release build.
bool nan_operand_order_agrees();

// Runs `m` in both tiers; returns an empty string when they agree, else a description of the first
// difference (or of a generator bug: a module that does not compile or instantiate).
std::string run_baseline_diff(const GenModule& m, DiffStats* stats);

}  // namespace airwasm::fuzzgen
