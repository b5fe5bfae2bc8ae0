// airwasm public API: Engine, the shared, thread-safe configuration every Module and Store is made from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace airwasm {

struct Features {
  bool simd = true;          // fixed-width 128-bit SIMD (part of Wasm 2.0)
  bool multi_memory = true;  // several memories per module; memory indices in memarg and memory.*
  bool exceptions = false;   // exception handling (tags, throw, throw_ref, try_table, exnref)
};

struct EngineConfig {
  Features features;
  // Fuel metering: modules are lowered with a per-basic-block fuel charge. Off: no metering code at all.
  bool consume_fuel = false;
  // Maximum depth of nested WebAssembly calls; deeper calls trap with "call stack exhausted".
  uint32_t max_call_depth = 20000;
  // Size of the operand/locals stack of each Store, in bytes; exhausting it also traps.
  size_t value_stack_bytes = size_t{8} << 20;
  // Threads used to lower the functions of a large module (0: one per hardware thread).
  unsigned compile_threads = 0;
};

namespace internal {
struct EngineImpl;
}

class Engine {
 public:
  explicit Engine(EngineConfig config = {});
  const EngineConfig& config() const;
  internal::EngineImpl& impl() const { return *impl_; }

 private:
  std::shared_ptr<internal::EngineImpl> impl_;
};

}  // namespace airwasm
