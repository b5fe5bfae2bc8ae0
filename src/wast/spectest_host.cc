// wast: the spectest host module (see spectest_host.hh). The values match the reference interpreter
// bit for bit: 666.6 rounded once to f32 (0x4426a666) and to f64 (0x4084d4cccccccccd).
#include "wast/spectest_host.hh"

#include <utility>

#include "airwasm/extern.hh"
#include "airwasm/instance.hh"
#include "airwasm/store.hh"

namespace airwasm::wast {

namespace {

struct PrintFunc {
  const char* name;
  FuncType type;
};

TrapResult<void> do_nothing(Caller&, std::span<const Val>, std::span<Val>) {
  return {};
}

}  // namespace

Result<void> define_spectest(Store& store, Linker& linker) {
  using enum ValType;
  const PrintFunc prints[] = {
      {"print", FuncType{{}, {}}},
      {"print_i32", FuncType{{kI32}, {}}},
      {"print_i64", FuncType{{kI64}, {}}},
      {"print_f32", FuncType{{kF32}, {}}},
      {"print_f64", FuncType{{kF64}, {}}},
      {"print_i32_f32", FuncType{{kI32, kF32}, {}}},
      {"print_f64_f64", FuncType{{kF64, kF64}, {}}},
  };
  for (const PrintFunc& p : prints) {
    if (auto r = linker.define_func(kSpectestModule, p.name, p.type, do_nothing); !r) return r;
  }

  const std::pair<const char*, Val> globals[] = {
      {"global_i32", Val::i32(666)},
      {"global_i64", Val::i64(666)},
      {"global_f32", Val::f32_bits(0x4426a666u)},
      {"global_f64", Val::f64_bits(0x4084d4cccccccccdull)},
  };
  for (const auto& [name, value] : globals) {
    auto g = Global::create(store, GlobalType{value.type(), /*mut=*/false}, value);
    if (!g) return std::unexpected(g.error());
    if (auto r = linker.define(kSpectestModule, name, Extern(*g)); !r) return r;
  }

  auto table = Table::create(store, TableType{kFuncRef, Limits{10, 20}}, Val::null_ref(kFuncRef));
  if (!table) return std::unexpected(table.error());
  if (auto r = linker.define(kSpectestModule, "table", Extern(*table)); !r) return r;

  auto memory = Memory::create(store, MemoryType{Limits{1, 2}});
  if (!memory) return std::unexpected(memory.error());
  return linker.define(kSpectestModule, "memory", Extern(*memory));
}

}  // namespace airwasm::wast
