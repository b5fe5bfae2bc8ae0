// tests/fuzz: the differential check of the baseline compiler (baseline_diff.hh). Each run of a module
// is recorded as text, one line per call (results as type:bits, or the trap's full text with its
// backtrace, then the remaining fuel) and a last line with the final memories and globals; the two tiers
// must produce the same lines.
#include "baseline_diff.hh"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "airwasm/airwasm.hh"
#include "baseline/native.hh"

namespace airwasm::fuzzgen {

namespace {

Engine& engine(CompilerMode mode, bool fuel) {
  auto make = [](CompilerMode m, bool f) {
    EngineConfig c;
    c.compiler = m;
    c.consume_fuel = f;
    c.compile_threads = 1;
    // Shallow enough that the call budget's recursion sometimes exhausts it ("call stack exhausted").
    c.max_call_depth = 24;
    return c;
  };
  static Engine interp_fuel(make(CompilerMode::kInterpreter, true));
  static Engine interp_plain(make(CompilerMode::kInterpreter, false));
  static Engine baseline_fuel(make(CompilerMode::kBaseline, true));
  static Engine baseline_plain(make(CompilerMode::kBaseline, false));
  if (mode == CompilerMode::kInterpreter) return fuel ? interp_fuel : interp_plain;
  return fuel ? baseline_fuel : baseline_plain;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string val_text(const Val& v) {
  switch (v.type()) {
    case ValType::kI32:
      return "i32:" + hex(uint32_t(v.i32()));
    case ValType::kI64:
      return "i64:" + hex(uint64_t(v.i64()));
    case ValType::kF32:
      return "f32:" + hex(v.f32_bits());
    case ValType::kF64:
      return "f64:" + hex(v.f64_bits());
    default:
      return "other";
  }
}

Val make_val(Ty t, uint64_t bits) {
  switch (t) {
    case Ty::kI32:
      return Val::i32(int32_t(uint32_t(bits)));
    case Ty::kI64:
      return Val::i64(int64_t(bits));
    case Ty::kF32:
      return Val::f32_bits(uint32_t(bits));
    case Ty::kF64:
      return Val::f64_bits(bits);
  }
  return Val::i32(0);
}

// FNV-1a of a memory's bytes, with its size (the memories are at most 3 pages; a hash keeps the lines short,
// and on a difference the first differing byte is reported as well).
std::string memory_text(std::span<const uint8_t> bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : bytes) h = (h ^ b) * 0x100000001b3ull;
  return std::to_string(bytes.size()) + "B#" + hex(h);
}

struct Run {
  std::string error;               // the module did not compile or instantiate (a generator bug)
  std::vector<std::string> lines;  // one per call, then the final state
  std::vector<std::vector<uint8_t>> memories;
  Module::CompileInfo info;
};

// The ways a module is run: plain calls with or without fuel, and sliced calls (suspended every `slice` units
// of fuel and resumed until they finish: compiled frames kept in the Store across suspensions).
enum class How { kFuel, kNoFuel, kSliced };

Run run_in(CompilerMode mode, How how, const GenModule& m, DiffStats* stats) {
  const bool fuel = how != How::kNoFuel;
  Run run;
  Engine& eng = engine(mode, fuel);
  // The compiler reads AIRWASM_BASELINE_SKIP at every compile (src/baseline/translate.cc).
  if (mode == CompilerMode::kBaseline) setenv("AIRWASM_BASELINE_SKIP", m.interpreted.c_str(), 1);
  auto module = Module::compile(eng, std::span<const uint8_t>(m.wasm));
  if (mode == CompilerMode::kBaseline) unsetenv("AIRWASM_BASELINE_SKIP");
  if (!module) {
    run.error = "Module::compile: " + module.error().to_string();
    return run;
  }
  run.info = module->compile_info();
  Store store(eng);
  Linker linker(eng);
  (void)linker.define_func(
      "env", "h", FuncType{{ValType::kI32}, {ValType::kI32}},
      [](Caller& caller, std::span<const Val> args, std::span<Val> results) -> TrapResult<void> {
        const uint32_t x = uint32_t(args[0].i32());
        // ... and now and then it asks a sliced call to suspend when it returns.
        if (x % 7 == 3) caller.request_yield();
        // Now and then the host function fails, so that a host trap crosses compiled frames too.
        if (x % 61 == 17)
          return std::unexpected(Trap(TrapCode::kHostError, "h refused " + std::to_string(x)));
        results[0] = Val::i32(int32_t(host_h(x)));
        return {};
      });
  std::vector<Val> reenter_args;
  for (Ty t : m.reenter_params) reenter_args.push_back(make_val(t, 0));
  (void)linker.define_func(
      "env", "r", FuncType{{ValType::kI32}, {ValType::kI32}},
      [&reenter_args](Caller& caller, std::span<const Val>, std::span<Val> results) -> TrapResult<void> {
        const std::optional<Extern> f2 = caller.get_export("f" + std::to_string(kImports));
        if (!f2 || !f2->func()) return std::unexpected(Trap(TrapCode::kHostError, "r: no f2"));
        TrapResult<std::vector<Val>> r = f2->func()->call(caller.store(), reenter_args);
        if (!r) return std::unexpected(std::move(r.error()));
        results[0] = !r->empty() && (*r)[0].type() == ValType::kI32 ? (*r)[0] : Val::i32(0);
        return {};
      });
  if (fuel) (void)store.set_fuel(m.fuel);
  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    run.error = "instantiate: " + instance.error().to_string();
    return run;
  }
  const std::optional<Global> budget = instance->get_global(store, "g0");
  for (const GenCall& call : m.calls) {
    const std::optional<Func> func = instance->get_func(store, "f" + std::to_string(call.func));
    if (!func || !budget) {
      run.error = "missing export";
      return run;
    }
    std::vector<Val> args;
    for (size_t i = 0; i < call.arg_types.size(); ++i)
      args.push_back(make_val(call.arg_types[i], call.arg_bits[i]));
    (void)budget->set(store, Val::i32(0));
    if (fuel) (void)store.set_fuel(m.fuel);
    std::string line = "f" + std::to_string(call.func) + "(";
    for (const Val& a : args) line += val_text(a) + " ";
    line += ") -> ";
    TrapResult<std::vector<Val>> r;
    if (how == How::kSliced) {
      // A slice smaller than the cost of the next basic block never gets through it (the call suspends
      // again at once, in both tiers): a resume that consumed no fuel doubles the slice.
      uint64_t slices = 1, slice = m.slice;
      auto sliced = SlicedCall::start(store, *func, args, slice);
      uint64_t before = store.fuel_remaining().value_or(0);
      while (sliced && !sliced->finished()) {
        auto status = sliced->resume(store, slice);
        if (!status) {
          r = std::unexpected(std::move(status.error()));
          break;
        }
        ++slices;
        const uint64_t after = store.fuel_remaining().value_or(0);
        if (after == before) slice *= 2;
        before = after;
      }
      if (!sliced)
        r = std::unexpected(std::move(sliced.error()));
      else if (sliced->finished())
        r = sliced->results();
      line += "[" + std::to_string(slices) + " slices] ";
    } else {
      r = func->call(store, args);
    }
    if (r) {
      for (const Val& v : *r) line += val_text(v) + " ";
    } else {
      line += "trap " + std::to_string(int(r.error().code())) + ": " + r.error().to_string();
      if (stats && mode == CompilerMode::kBaseline && how == How::kFuel) {
        ++stats->traps;
        if (r.error().code() == TrapCode::kOutOfFuel) ++stats->out_of_fuel;
        ++stats->trap_kinds[trap_message(r.error().code())];
      }
    }
    if (fuel) line += " fuel=" + std::to_string(store.fuel_remaining().value_or(~0ull));
    run.lines.push_back(std::move(line));
    if (stats && mode == CompilerMode::kBaseline && how == How::kFuel) ++stats->calls;
  }
  std::string state = "final:";
  for (const char* name : {"mem", "mem1"}) {
    if (const std::optional<Memory> mem = instance->get_memory(store, name)) {
      const std::span<uint8_t> bytes = mem->data(store);
      state += std::string(" ") + name + "=" + memory_text(bytes);
      run.memories.emplace_back(bytes.begin(), bytes.end());
    }
  }
  for (uint32_t g = 0; g < m.num_globals; ++g) {
    if (const std::optional<Global> global = instance->get_global(store, "g" + std::to_string(g)))
      state += " g" + std::to_string(g) + "=" + val_text(global->get(store));
  }
  run.lines.push_back(std::move(state));
  return run;
}

std::string first_byte_difference(const Run& a, const Run& b) {
  for (size_t m = 0; m < a.memories.size() && m < b.memories.size(); ++m) {
    const auto& x = a.memories[m];
    const auto& y = b.memories[m];
    for (size_t i = 0; i < x.size() && i < y.size(); ++i)
      if (x[i] != y[i])
        return "\n  memory " + std::to_string(m) + " first differs at " + hex(i) + ": interpreter " +
               hex(x[i]) + ", baseline " + hex(y[i]);
  }
  return "";
}

}  // namespace

bool baseline_available() {
  return baseline::available();
}

bool nan_operand_order_agrees() {
  static const bool agrees = [] {
    // o0..o7 = f32.add mul min max, f64.add mul min max of their two parameters.
    static constexpr uint8_t ops[] = {0x92, 0x94, 0x96, 0x97, 0xA0, 0xA2, 0xA4, 0xA5};
    std::vector<uint8_t> w = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,  // header
                              0x01, 0x0D, 0x02, 0x60, 0x02, 0x7D, 0x7D, 0x01, 0x7D, 0x60, 0x02,
                              0x7C, 0x7C, 0x01, 0x7C,  // types
                              0x03, 0x09, 0x08, 0,    0,    0,    0,    1,    1,    1,    1};
    std::vector<uint8_t> exports = {0x08};
    for (uint8_t i = 0; i < 8; ++i) exports.insert(exports.end(), {0x02, 'o', uint8_t('0' + i), 0x00, i});
    w.push_back(0x07), w.push_back(uint8_t(exports.size()));
    w.insert(w.end(), exports.begin(), exports.end());
    std::vector<uint8_t> code = {0x08};
    for (uint8_t op : ops) code.insert(code.end(), {0x07, 0x00, 0x20, 0x00, 0x20, 0x01, op, 0x0B});
    w.push_back(0x0A), w.push_back(uint8_t(code.size()));
    w.insert(w.end(), code.begin(), code.end());
    std::vector<std::string> results[2];
    for (int tier = 0; tier < 2; ++tier) {
      Engine& eng = engine(tier ? CompilerMode::kBaseline : CompilerMode::kInterpreter, false);
      auto module = Module::compile(eng, std::span<const uint8_t>(w));
      if (!module) return false;
      Store store(eng);
      auto instance = Instance::create(store, *module, {});
      if (!instance) return false;
      for (int i = 0; i < 8; ++i) {
        const bool f32 = i < 4;
        const Val a = f32 ? Val::f32_bits(0x7FA00001) : Val::f64_bits(0x7FF4000000000001ull);
        const Val b = f32 ? Val::f32_bits(0xFFC00000) : Val::f64_bits(0xFFF8000000000000ull);
        for (const auto& args : {std::vector<Val>{a, b}, std::vector<Val>{b, a}}) {
          auto r = instance->get_func(store, "o" + std::to_string(i))->call(store, args);
          results[tier].push_back(r ? val_text((*r)[0]) : "trap");
        }
      }
    }
    return results[0] == results[1];
  }();
  return agrees;
}

std::string run_baseline_diff(const GenModule& m, DiffStats* stats) {
  if (stats) ++stats->modules;
  for (How how : {How::kFuel, How::kNoFuel, How::kSliced}) {
    const bool fuel = how == How::kFuel;
    const Run interp = run_in(CompilerMode::kInterpreter, how, m, nullptr);
    const Run compiled = run_in(CompilerMode::kBaseline, how, m, stats);
    if (!interp.error.empty() || !compiled.error.empty())
      return "generated module rejected (a generator bug): interpreter: " + interp.error +
             "; baseline: " + compiled.error;
    if (stats && fuel) {
      stats->compiled += compiled.info.compiled_functions;
      stats->interpreted += compiled.info.interpreted_functions;
      if (const std::string& why = compiled.info.first_refusal; !why.empty())
        ++stats->refusals[why.substr(0, why.find(" (lowered"))];
    }
    const char* mode = how == How::kFuel ? "with fuel" : how == How::kNoFuel ? "without fuel" : "sliced";
    for (size_t i = 0; i < interp.lines.size() && i < compiled.lines.size(); ++i) {
      if (interp.lines[i] != compiled.lines[i]) {
        std::string msg = std::string("baseline differs from the interpreter (") + mode + "), call " +
                          std::to_string(i) + ":\n  interpreter: " + interp.lines[i] +
                          "\n  baseline:    " + compiled.lines[i];
        if (i + 1 == interp.lines.size()) msg += first_byte_difference(interp, compiled);
        return msg;
      }
    }
    if (interp.lines.size() != compiled.lines.size()) return std::string("different call counts ") + mode;
  }
  return "";
}

}  // namespace airwasm::fuzzgen
