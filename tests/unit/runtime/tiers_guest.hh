// The guest of the tier tests (baseline_tiers_test.cc, lazy_tier_test.cc): one Store with
// wat/tiers.wasm instantiated and its host imports (host.add1 returns its argument + 1, host.yield asks a
// sliced call to suspend), and a call that reports "ok <results>" or the trap's full text (message and
// backtrace) together with the fuel it consumed, so that the two tiers can be compared in one value.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fixture.hh"

namespace airwasm::testing {

struct TiersStore {
  TiersStore(const Engine& engine, const Module& module, bool fuel) : store(std::make_shared<Store>(engine)) {
    Linker linker(engine);
    (void)linker.define_func("host", "add1", FuncType{{ValType::kI32}, {ValType::kI32}},
                             [](Caller&, std::span<const Val> p, std::span<Val> r) {
                               r[0] = Val::i32(p[0].i32() + 1);
                               return TrapResult<void>{};
                             });
    (void)linker.define_func("host", "yield", FuncType{},
                             [](Caller& c, std::span<const Val>, std::span<Val>) {
                               c.request_yield();
                               return TrapResult<void>{};
                             });
    auto inst = linker.instantiate(*store, module);
    EXPECT_TRUE(inst) << inst.error().to_string();
    if (inst) instance = *inst;
    if (fuel) {
      EXPECT_TRUE(store->set_fuel(UINT64_MAX / 2));
    }
  }
  Func func(const char* name) { return *instance->get_func(*store, name); }

  std::pair<std::string, uint64_t> call(const char* name, std::vector<Val> args) {
    const uint64_t before = store->fuel_consumed().value_or(0);
    auto r = func(name).call(*store, args);
    const uint64_t used = store->fuel_consumed().value_or(0) - before;
    if (!r) return {r.error().to_string(), used};
    std::string text = "ok";
    for (const Val& v : *r) text += " " + std::to_string(v.i32());
    return {text, used};
  }

  std::shared_ptr<Store> store;
  std::optional<Instance> instance;
};

}  // namespace airwasm::testing
