// tests/fuzz: a structured generator of VALID core modules for differential testing (the baseline
// compiler against the interpreter: baseline_diff_fuzz.cc, tests/unit/jit/baseline_diff_test.cc). In the
// spirit of wasm-smith, it is type-directed and emits the binary directly: every instruction is chosen
// among those whose operand types are on the stack, so every output validates. Programs are made to
// *run*: loops are bounded by counter locals the generic code never writes, calls by a global call
// budget (so recursion ends), and they use what compiled code must get exactly right: all integer and
// float arithmetic (including div/rem/trunc that trap and NaN/rounding edge cases), conversions, select,
// locals and globals, nested block/loop/if with results and parameters (multi-value), br/br_if/br_table,
// direct, indirect (some through null or ill-typed table entries) and host calls (one re-entering the
// module), loads and stores of every width with offsets (some out of bounds), memory.size/grow/fill/copy/
// init and data.drop on two memories, table.get/set/size/grow/fill/copy and ref.func/null/is_null,
// throw and try_table, unreachable, and a few SIMD ops. A fifth of the functions are marked to stay
// interpreted (GenModule::interpreted), so that calls and returns cross the tiers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace airwasm::fuzzgen {

// Where the generator's choices come from: a fuzz input (libFuzzer then mutates choices, not bytes of
// wasm) or a seeded pseudo-random stream (the deterministic unit test). Past its end, a fuzz input goes on
// as a pseudo-random stream seeded with a hash of the input, so that short inputs give full modules too;
// size limits inside the generator bound the module whatever the stream.
class Choices {
 public:
  Choices(const uint8_t* data, size_t size);
  explicit Choices(uint64_t seed) : state_(seed) {}

  uint8_t byte();
  uint32_t below(uint32_t n) { return n <= 1 ? 0 : (n <= 256 ? byte() % n : u32() % n); }
  bool percent(uint32_t p) { return below(100) < p; }
  uint32_t u32();
  uint64_t u64();

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  uint64_t state_ = 0;
};

// Value types as their binary encodings.
enum class Ty : uint8_t { kI32 = 0x7F, kI64 = 0x7E, kF32 = 0x7D, kF64 = 0x7C };

// One call of an exported function ("f<index>") with arguments given as bit patterns.
struct GenCall {
  uint32_t func = 0;
  std::vector<Ty> arg_types;
  std::vector<uint64_t> arg_bits;
};

// The host imports: "env"."h" (function 0, i32 -> i32) computes host_h, fails now and then and asks sliced
// calls to yield; "env"."r" (function 1, i32 -> i32) re-enters the module: it calls the first defined
// function (export "f2") with zero arguments and returns its first i32 result, if any, or 0; its traps
// propagate. The call budget g0, not reset by nested calls, bounds the recursion through it.
inline constexpr uint32_t kImports = 2;

struct GenModule {
  std::vector<uint8_t> wasm;
  uint32_t num_funcs = 0;    // defined functions, exported as "f2".."f<num_funcs + 1>"
  uint32_t num_globals = 0;  // exported as "g0".."g<n-1>"; g0 is the call budget, reset to 0 before each call
  bool has_memory1 = false;  // exports "mem" always, "mem1" if set
  std::vector<Ty> reenter_params;  // the parameters of "f2"
  std::vector<GenCall> calls;
  uint64_t fuel = 0;   // the fuel budget of each call when metering
  uint64_t slice = 0;  // the fuel slice of sliced calls
  // Defined functions the compiler is to leave to the interpreter (AIRWASM_BASELINE_SKIP), so that calls
  // and returns cross the tiers: "2,5" or empty.
  std::string interpreted;
};

struct GenOptions {
  // Keep commutative float ops (add, mul, min, max) from meeting two NaNs. When both operands are NaNs,
  // SSE returns the first one's bits, and the interpreter's C++ `a + b` is compiled with either operand
  // first (g++ -O2 and the compiler agree; unoptimized and clang builds differ, see docs/RATIONALE.md
  // "Baseline compiler numeric ops"): where they differ (nan_operand_order_agrees() in baseline_diff.hh),
  // this option keeps the rest of the comparison bit-exact.
  bool isolate_nan_operands = false;
};

GenModule generate(Choices& choices, const GenOptions& options = {});

// What the host import "env"."h" (i32) -> i32 computes, identically in every engine.
inline uint32_t host_h(uint32_t x) {
  return (x * 2654435761u) ^ 0x5bd1e995u;
}

// The call budget: a function entered with g0 >= its own limit (4..kCallBudget) returns at once.
inline constexpr uint32_t kCallBudget = 40;

}  // namespace airwasm::fuzzgen
