// tests/fuzz: libFuzzer target for the core pipeline: decode + validate + lower (Module::compile), then
// instantiation in a Store with every import stubbed (functions returning zeros, fresh memories, tables
// and globals of the imported types) and a call of each exported function with zero arguments. Fuel (a
// small budget per call) bounds the start function and the calls; the Store's memory limit keeps memory
// bulk operations from touching gigabytes. Any input must give a value, an Error or a Trap: never a crash,
// a hang, an out-of-memory or a sanitizer report. Built with clang (see build_fuzz.sh), not with g++.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "airwasm/airwasm.hh"

namespace {

airwasm::Engine& engine() {
  static airwasm::Engine e([] {
    airwasm::EngineConfig c;
    c.consume_fuel = true;
    c.compile_threads = 1;
    return c;
  }());
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace airwasm;
  auto module = Module::compile(engine(), std::span<const uint8_t>(data, size));
  if (!module) return 0;
  Store store(engine());
  StoreLimits limits;
  limits.max_memory_bytes = uint64_t{64} << 20;
  store.set_limits(limits);
  (void)store.set_fuel(100'000);
  Linker linker(engine());
  for (const ImportType& imp : module->imports()) {
    switch (imp.type.kind) {
      case ExternKind::kFunc:
        (void)linker.define_func(imp.module, imp.name, imp.type.func,
                                 [](Caller&, std::span<const Val>, std::span<Val>) -> TrapResult<void> {
                                   return {};  // the results arrive as zeros of their types
                                 });
        break;
      case ExternKind::kMemory:
        if (auto m = Memory::create(store, imp.type.memory))
          (void)linker.define(imp.module, imp.name, Extern(*m));
        break;
      case ExternKind::kTable:
        if (auto t = Table::create(store, imp.type.table, Val::null_ref(imp.type.table.elem)))
          (void)linker.define(imp.module, imp.name, Extern(*t));
        break;
      case ExternKind::kGlobal:
        if (auto g = Global::create(store, imp.type.global, Val::zero(imp.type.global.type)))
          (void)linker.define(imp.module, imp.name, Extern(*g));
        break;
    }
  }
  auto instance = linker.instantiate(store, *module);
  if (!instance) return 0;
  for (const auto& [name, ext] : instance->exports(store)) {
    auto func = ext.func();
    if (!func) continue;
    const FuncType type = func->type(store);
    std::vector<Val> args;
    for (ValType t : type.params) args.push_back(Val::zero(t));
    (void)store.set_fuel(100'000);
    (void)func->call(store, args);
  }
  return 0;
}
