// airwasm public API: Engine, the shared, thread-safe configuration every Module and Store is made from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "airwasm/error.hh"

namespace airwasm {

struct Features {
  bool simd = true;          // fixed-width 128-bit SIMD (part of Wasm 2.0)
  bool multi_memory = true;  // several memories per module; memory indices in memarg and memory.*
  bool exceptions = true;    // exception handling (tags, throw, throw_ref, try_table, exnref)
};

// Implementation limits on what a module may declare, checked while decoding and validating (errors of
// kind kLimit that name the limit). The defaults are V8's and wasmtime's (wasm-limits.h, wasmparser's
// limits.rs), so a module accepted by the browsers is accepted here; they keep the memory and time spent
// on a module proportional to its size whatever counts it declares.
struct ModuleLimits {
  uint32_t max_types = 1'000'000;
  uint32_t max_functions = 1'000'000;  // imported and defined
  uint32_t max_imports = 100'000;
  uint32_t max_exports = 100'000;
  uint32_t max_globals = 1'000'000;  // imported and defined
  uint32_t max_tables = 100;         // imported and defined
  uint32_t max_data_segments = 100'000;
  uint32_t max_element_segments = 100'000;
  uint32_t max_element_segment_items = 10'000'000;
  uint32_t max_table_size = 10'000'000;    // declared minimum of a defined table, in elements
  uint32_t max_name_bytes = 100'000;       // import and export names
  uint32_t max_function_size = 7'654'321;  // bytes of one function body
  uint32_t max_function_locals = 50'000;   // declared locals of one function (parameters not included)
  uint32_t max_function_params = 1'000;
  uint32_t max_function_results = 1'000;
  uint32_t max_br_table_targets = 65'520;
  uint32_t max_nesting_depth = 100'000;  // nested block/loop/if in one function body
};

// Which tier runs WebAssembly code (docs/compiler.md). Compiled code keeps every guarantee of the
// interpreter (exact fuel, interruption, sliced calls that suspend and resume on any thread, the same
// traps and backtraces); a function the compiler cannot translate is interpreted.
enum class CompilerMode : uint8_t {
  kInterpreter,  // never compile
  kBaseline,     // compile every function to x86-64 when the module is compiled (Module::compile)
  // Where the compiler is available (x86-64 with SSE4.1, POPCNT, LZCNT, BMI1): interpret first and compile
  // each function once it is hot (many calls or loop iterations), on the thread that finds it hot; a
  // running loop moves to the compiled code at its next iteration. Elsewhere: the interpreter.
  kAuto,
};

struct EngineConfig {
  Features features;
  ModuleLimits limits;
  // Fuel metering: modules are lowered with a per-basic-block fuel charge. Off: no metering code at all.
  bool consume_fuel = false;
  // Maximum depth of nested WebAssembly calls; deeper calls trap with "call stack exhausted".
  uint32_t max_call_depth = 20000;
  // Size of the operand/locals stack of each Store, in bytes; exhausting it also traps.
  size_t value_stack_bytes = size_t{8} << 20;
  // Threads used to lower the functions of a large module (0: one per hardware thread).
  unsigned compile_threads = 0;
  // The execution tier. kBaseline on a machine without the compiler is an error at Module::compile.
  CompilerMode compiler = CompilerMode::kAuto;
};

namespace internal {
struct EngineImpl;
}

class Engine {
 public:
  explicit Engine(EngineConfig config = {});
  const EngineConfig& config() const;
  // Whether this machine can run the baseline compiler's code (x86-64 with SSE4.1, POPCNT, LZCNT, BMI1):
  // without it kBaseline is an error at Module::compile and kAuto interprets everything.
  static bool compiler_available();
  // That error (kUnsupported, naming what the CPU lacks) for `mode`, or success: for embedders that
  // want to refuse a configuration before compiling anything (the plugin host's create()).
  static Result<void> check_compiler_mode(CompilerMode mode);
  internal::EngineImpl& impl() const { return *impl_; }

 private:
  std::shared_ptr<internal::EngineImpl> impl_;
};

}  // namespace airwasm
