// Test support: loads the WAT fixtures (compiled to .wasm by wat2wasm at build time) into a Store with
// the host functions they import.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "airwasm/airwasm.hh"

namespace airwasm::testing {

inline EngineConfig fuel_config() {
  EngineConfig c;
  c.consume_fuel = true;
  return c;
}

inline std::vector<uint8_t> read_fixture(const std::string& name) {
  std::ifstream in(std::string(AIRWASM_FIXTURE_DIR) + "/" + name, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

// A Store with metering.wasm instantiated. `reenter` calls the export named by reenter_target.
struct MeteringGuest {
  explicit MeteringGuest(EngineConfig config) : engine(config), store(std::make_shared<Store>(engine)) {
    auto module = Module::compile(engine, read_fixture("metering.wasm"));
    EXPECT_TRUE(module) << module.error().to_string();
    Linker linker(engine);
    (void)linker.define_func("host", "yield", FuncType{},
                             [](Caller& c, std::span<const Val>, std::span<Val>) {
                               c.request_yield();
                               return TrapResult<void>{};
                             });
    (void)linker.define_func("host", "charge", FuncType{{ValType::kI32}, {}},
                             [](Caller& c, std::span<const Val> p, std::span<Val>) {
                               return c.consume_fuel(uint64_t(p[0].i32()));
                             });
    (void)linker.define_func("host", "reenter", FuncType{{ValType::kI32}, {ValType::kI32}},
                             [this](Caller& c, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                               auto sum = instance->get_func(c.store(), "sum");
                               auto results = sum->call(c.store(), std::vector{p[0]});
                               if (!results) return std::unexpected(results.error());
                               r[0] = Val::i32(int32_t((*results)[0].i64()));
                               return {};
                             });
    auto inst = linker.instantiate(*store, *module);
    EXPECT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  Func func(const char* name) { return *instance->get_func(*store, name); }

  Engine engine;
  std::shared_ptr<Store> store;
  std::optional<Instance> instance;
};

}  // namespace airwasm::testing
