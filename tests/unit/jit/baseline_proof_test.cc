// baseline: compiled code runs an interpreter frame (docs/compiler.md). Functions of
// tests/unit/jit/wat/proof.wat are lowered as the engine lowers them and compiled by the baseline compiler
// (baseline::compile_module), then run by the interpreter alone (interp::invoke / interp::run, with the
// compiled code hidden) and by the compiled code (baseline::invoke / baseline::run), on identical
// ExecContexts. Compared: results, consumed fuel, the state at every fuel-slice suspension (lowered pc,
// pending charge, remaining fuel, frame slots), out-of-fuel and interrupt traps (trap pc), and calls that
// suspend in one tier and resume in the other. (The test began as the proof of this design, against a
// test-only translator, before the compiler existed.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "baseline/native.hh"
#include "decode/decoder.hh"
#include "interp/iop.hh"
#include "interp/lower.hh"
#include "validate/module_validator.hh"

namespace airwasm::baseline {
namespace {

using interp::RunStatus;

// A module lowered like the engine lowers it, one instance, and a Store-like ExecContext per run.
class Harness {
 public:
  explicit Harness(bool fuel) {
    std::ifstream in(AIRWASM_PROOF_WASM, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    decode::DecodeOptions options;
    auto module = decode::decode_module(bytes, options);
    EXPECT_TRUE(module) << module.error().message;
    module_ = std::move(*module);
    EXPECT_TRUE(validate::validate_module(*module_, options.features));
    auto ctx = validate::BodyContext::build(*module_, options.features,
                                            validate::declared_func_refs(*module_), options.limits);
    for (uint32_t i = 0; i < module_->types.size(); ++i) compiled_.type_ids.push_back(i);
    interp::LowerOptions lower;
    lower.fuel = fuel;
    auto lowered = interp::lower_module(*module_, ctx, lower, compiled_);
    EXPECT_TRUE(lowered) << lowered.error().message;
    funcs_.resize(compiled_.funcs.size());
    for (size_t i = 0; i < funcs_.size(); ++i) {
      interp::FuncInst& f = funcs_[i];
      const FuncType& t = module_->types[module_->functions[i]];
      f.type = &t;
      f.param_slots = uint32_t(t.params.size());
      f.result_slots = uint32_t(t.results.size());
      f.instance = &instance_;
      f.code = &compiled_.funcs[i];
      instance_.funcs.push_back(&f);
    }
    // globals (defined ones only; "swap" sets its global before reading it)
    globals_.resize(module_->globals.size());
    for (size_t i = 0; i < globals_.size(); ++i) {
      globals_[i].type = module_->globals[i].type;
      instance_.globals.push_back(&globals_[i]);
    }
    instance_.code = &compiled_;
    fuel_ = fuel;
    auto native = compile_module(compiled_);
    EXPECT_TRUE(native) << native.error().message;
    if (native) native_ = std::move(*native);
    for (const interp::CompiledFunc& f : compiled_.funcs) published_.push_back(f.native.get());
  }

  // Runs `f` with the compiled code hidden, so that the interpreter alone runs it (the reference).
  template <typename F>
  RunStatus interpreted(F&& f) const {
    for (const interp::CompiledFunc& c : compiled_.funcs) c.native.publish(nullptr);
    const RunStatus s = f();
    for (size_t i = 0; i < compiled_.funcs.size(); ++i) compiled_.funcs[i].native.publish(published_[i]);
    return s;
  }
  bool is_compiled(const interp::FuncInst* f) const { return f->code->native.get() != nullptr; }

  const interp::FuncInst* func(const std::string& name) const {
    for (const wasm::Export& e : module_->exports)
      if (e.name == name) return &funcs_[e.index];
    ADD_FAILURE() << "no export " << name;
    return nullptr;
  }

  // A fresh execution context: budget `fuel` (a slice when `slice`), interrupt word `interrupt`.
  std::unique_ptr<interp::ExecContext> context(int64_t fuel, bool slice,
                                               std::atomic<uint32_t>* interrupt) const {
    auto ctx = std::make_unique<interp::ExecContext>();
    ctx->stack = std::make_unique<uint64_t[]>(kSlots);
    ctx->stack_begin = ctx->stack.get();
    ctx->stack_end = ctx->stack_begin + kSlots;
    std::memset(ctx->stack_begin, 0xab, kSlots * 8);  // garbage, as in a reused Store
    ctx->frames = std::make_unique<interp::Frame[]>(16);
    ctx->frames_begin = ctx->frame_top = ctx->frames.get();
    ctx->frames_end = ctx->frames_begin + 16;
    ctx->fuel_enabled = fuel_;
    ctx->fuel = fuel;
    ctx->fuel_is_slice = slice;
    ctx->sliced = slice;
    ctx->interrupt = interrupt;
    return ctx;
  }
  static constexpr size_t kSlots = 256;

 private:
  std::unique_ptr<wasm::Module> module_;
  interp::CompiledModule compiled_;
  interp::InstanceData instance_;
  std::vector<interp::FuncInst> funcs_;
  std::vector<interp::GlobalInst> globals_;
  bool fuel_ = false;
  std::shared_ptr<NativeModule> native_;
  std::vector<const void*> published_;
};

uint32_t reference(const std::string& name, uint32_t x) {
  if (name == "sum") return x * (x + 1) / 2;
  if (name == "collatz") {
    uint32_t steps = 0;
    while (x != 1) {
      x = (x & 1) ? 3 * x + 1 : x / 2;
      ++steps;
    }
    return steps;
  }
  if (name == "regions") {
    uint32_t i = 0, j = 0, a = 1, b = 0, c = 0, d = 0, e = 0, k = 0;
    for (; i < x; ++i) {
      a = a * 3 + i;
      b ^= a;
    }
    for (bool done = false; !done;) {
      if (++j > x) break;
      c += j * (j + 1) / 2;  // sum(j)
      k = 0;
      for (;;) {
        d += k * j;
        e ^= d << 1;
        ++k;
        if (d > 1000000) {
          done = true;
          break;
        }
        if (k >= j) break;  // to the header of the outer loop
      }
    }
    i = 0;
    do {
      a += e;
      e = (e << 7) | (e >> 25);
    } while (++i < x);
    return a ^ b ^ c ^ d ^ e ^ j;
  }
  if (name == "vkeep") {
    uint32_t a = x, b = 7;  // vclobber, one lane (all four are equal)
    for (int i = 0; i < 4; ++i) {
      a += b;
      b *= a;
    }
    return (a + b) + 4 * x - 3;  // v = 2x - 3, w = 2x
  }
  if (name == "passing") {
    // $rot, $half, $zeroed and $even of proof.wat
    auto rot = [](auto& self, uint32_t a, uint32_t b, uint32_t c, double x, double y,
                  uint32_t k) -> uint32_t {
      if (k == 0) return a + (b * 3 + c * 5) + uint32_t(int32_t((x + x * 0.5) + y * 7));
      return self(self, b ^ (k + b), c + (a & 1), a - (c & 1), y - y * 0.125, x + double(a & 3), k - 1);
    };
    uint32_t s = 0;
    for (uint32_t i = 0; i < x; ++i) {
      const double h = double(i) * 0.5;
      s += rot(rot, i, x, s, h, double(x), i & 7);
      s ^= i * i + i;
      s += (i % 2 == 0) ? 1 : 0;
    }
    return s;
  }
  if (name == "swap") {
    uint32_t g = x;
    g = g * 3 + g * 5;
    g = g * 7 + g * 9;
    g = (g + 11) * 13;
    g = (g + 15) * 17;
    uint32_t p = g * 3, q = g + x;
    q = ((q + q) ^ 5);
    q = ((q + q) ^ 9);
    p = (p + p) ^ 3;
    return p - q;
  }
  uint32_t acc = 0;  // nested
  for (uint32_t i = 0; i < x; ++i)
    for (uint32_t j = 0; int32_t(j) < int32_t(i); ++j) acc += (i ^ j) * uint32_t(i < (j << 1));
  return acc;
}

const char* const kFuncs[] = {"sum", "collatz", "nested", "regions", "vkeep", "passing", "swap"};
const uint32_t kInputs[] = {1, 2, 3, 7, 27, 100};

// The translator identifies a lowered op by its handler address (docs/compiler.md): that is only sound if
// no two implemented ops share a handler.
TEST(BaselineProof, HandlerAddressesIdentifyOps) {
  std::map<const void*, size_t> seen;
  size_t implemented = 0;
  for (size_t i = 0; i < interp::kIOpCount; ++i) {
    if (!interp::iop_implemented(interp::IOp(i))) continue;
    ++implemented;
    auto [it, inserted] = seen.emplace(interp::handler(interp::IOp(i)), i);
    EXPECT_TRUE(inserted) << "ops " << it->second << " and " << i << " share a handler";
  }
  EXPECT_GT(implemented, 500u);
}

// Every proof function translates (the whole function, no fallback).
TEST(BaselineProof, AllFunctionsTranslate) {
  for (bool fuel : {false, true}) {
    Harness h(fuel);
    for (const char* name : kFuncs) {
      EXPECT_TRUE(h.is_compiled(h.func(name))) << name;
    }
  }
}

TEST(BaselineProof, SameResultsAndFuelAsTheInterpreter) {
  std::atomic<uint32_t> no_interrupt{0};
  for (bool fuel : {false, true}) {
    Harness h(fuel);
    for (const char* name : kFuncs) {
      const interp::FuncInst* f = h.func(name);
      ASSERT_TRUE(h.is_compiled(f)) << name;
      for (uint32_t x : kInputs) {
        auto ictx = h.context(1'000'000'000, false, &no_interrupt);
        auto cctx = h.context(1'000'000'000, false, &no_interrupt);
        ictx->stack_begin[0] = x;
        cctx->stack_begin[0] = x;
        ASSERT_EQ(h.interpreted([&] { return interp::invoke(*ictx, f, ictx->stack_begin); }),
                  RunStatus::kDone);
        ASSERT_EQ(baseline::invoke(*cctx, f, cctx->stack_begin), RunStatus::kDone);
        EXPECT_EQ(uint32_t(cctx->stack_begin[0]), reference(name, x)) << name << "(" << x << ")";
        EXPECT_EQ(uint32_t(cctx->stack_begin[0]), uint32_t(ictx->stack_begin[0])) << name << "(" << x << ")";
        EXPECT_EQ(cctx->fuel, ictx->fuel) << name << "(" << x << "): consumed fuel differs";
        if (fuel) {
          EXPECT_LT(cctx->fuel, 1'000'000'000) << "fuel was charged";
        }
        EXPECT_EQ(cctx->frame_top, cctx->frames_begin);
      }
    }
  }
}

// Both tiers run in slices of the same size: every suspension is at the same lowered pc with the same
// pending charge, remaining fuel and parameters and locals, and they need the same number of slices.
// (Operand-stack slots above the locals may differ where they are dead: compiled code keeps the busiest
// ones in registers and stores whatever those hold. The live ones are checked by resuming in the other
// tier, ResumesAcrossTiers.)
TEST(BaselineProof, SuspendsAtTheSamePointsAsTheInterpreter) {
  std::atomic<uint32_t> no_interrupt{0};
  Harness h(true);
  for (const char* name : kFuncs) {
    const interp::FuncInst* f = h.func(name);
    ASSERT_TRUE(h.is_compiled(f)) << name;
    const size_t local_slots = f->code->param_slots + f->code->local_slots;
    for (int64_t slice : {1, 2, 3, 5, 8, 13, 40}) {
      const uint32_t x = 27;
      auto ictx = h.context(slice, true, &no_interrupt);
      auto cctx = h.context(slice, true, &no_interrupt);
      ictx->stack_begin[0] = x;
      cctx->stack_begin[0] = x;
      RunStatus is = h.interpreted([&] { return interp::invoke(*ictx, f, ictx->stack_begin); });
      RunStatus cs = baseline::invoke(*cctx, f, cctx->stack_begin);
      int suspensions = 0;
      while (is == RunStatus::kSuspended || cs == RunStatus::kSuspended) {
        ASSERT_EQ(is, cs) << name << " slice " << slice << " after " << suspensions << " suspensions";
        ++suspensions;
        ASSERT_EQ(cctx->pc, ictx->pc) << name << " slice " << slice << " suspension " << suspensions;
        ASSERT_EQ(cctx->pending_charge, ictx->pending_charge);
        ASSERT_EQ(cctx->fuel, ictx->fuel);
        ASSERT_EQ(std::memcmp(cctx->stack_begin, ictx->stack_begin, local_slots * 8), 0)
            << name << " slice " << slice << ": locals differ at suspension " << suspensions;
        // The next slice adds to what is left (a block may cost more than one slice).
        ictx->fuel += slice;
        cctx->fuel += slice;
        is = h.interpreted([&] { return interp::run(*ictx); });
        cs = baseline::run(*cctx);
      }
      ASSERT_EQ(is, RunStatus::kDone);
      ASSERT_EQ(cs, RunStatus::kDone);
      EXPECT_EQ(uint32_t(cctx->stack_begin[0]), reference(name, x));
      EXPECT_EQ(cctx->fuel, ictx->fuel);
      if (slice < 5) {
        EXPECT_GT(suspensions, 10) << "the test must actually suspend";
      }
    }
  }
}

// A call suspended in compiled code resumes in the interpreter and the reverse, alternating at every slice.
TEST(BaselineProof, ResumesAcrossTiers) {
  std::atomic<uint32_t> no_interrupt{0};
  Harness h(true);
  for (const char* name : kFuncs) {
    const interp::FuncInst* f = h.func(name);
    ASSERT_TRUE(h.is_compiled(f)) << name;
    for (bool start_compiled : {false, true})
      for (int64_t slice : {1, 4, 9}) {
        const uint32_t x = 27;
        auto ctx = h.context(slice, true, &no_interrupt);
        ctx->stack_begin[0] = x;
        bool compiled = start_compiled;
        RunStatus s = compiled ? baseline::invoke(*ctx, f, ctx->stack_begin)
                               : h.interpreted([&] { return interp::invoke(*ctx, f, ctx->stack_begin); });
        int64_t added = slice;
        int switches = 0;
        while (s == RunStatus::kSuspended || s == RunStatus::kSwitchTier) {
          compiled = !compiled;
          // kSwitchTier: compiled code returned into a frame the interpreter called from (a call of
          // "regions"); the runtime continues it in the interpreter, without a new slice.
          if (s == RunStatus::kSuspended) {
            ++switches;
            ctx->fuel += slice;
            added += slice;
          }
          s = compiled ? baseline::run(*ctx) : h.interpreted([&] { return interp::run(*ctx); });
        }
        const int64_t total = added - ctx->fuel;
        ASSERT_EQ(s, RunStatus::kDone);
        EXPECT_EQ(uint32_t(ctx->stack_begin[0]), reference(name, x)) << name << " slice " << slice;
        EXPECT_GT(switches, 3);
        // The fuel consumed over all slices is what one uninterrupted run consumes.
        auto whole = h.context(1'000'000'000, false, &no_interrupt);
        whole->stack_begin[0] = x;
        ASSERT_EQ(h.interpreted([&] { return interp::invoke(*whole, f, whole->stack_begin); }),
                  RunStatus::kDone);
        EXPECT_EQ(total, 1'000'000'000 - whole->fuel) << name << " slice " << slice;
      }
  }
}

TEST(BaselineProof, OutOfFuelTrapsAtTheSamePc) {
  std::atomic<uint32_t> no_interrupt{0};
  Harness h(true);
  for (const char* name : {"sum", "collatz", "nested", "spin"}) {
    const interp::FuncInst* f = h.func(name);
    ASSERT_TRUE(h.is_compiled(f)) << name;
    for (int64_t budget : {0, 1, 6, 25, 77}) {
      auto ictx = h.context(budget, false, &no_interrupt);
      auto cctx = h.context(budget, false, &no_interrupt);
      ictx->stack_begin[0] = cctx->stack_begin[0] = 27;
      ASSERT_EQ(h.interpreted([&] { return interp::invoke(*ictx, f, ictx->stack_begin); }), RunStatus::kTrap);
      ASSERT_EQ(baseline::invoke(*cctx, f, cctx->stack_begin), RunStatus::kTrap);
      EXPECT_EQ(cctx->trap, TrapCode::kOutOfFuel);
      EXPECT_EQ(ictx->trap, TrapCode::kOutOfFuel);
      EXPECT_EQ(cctx->trap_pc, ictx->trap_pc) << name << " budget " << budget;
      EXPECT_EQ(cctx->fuel, ictx->fuel);
    }
  }
}

// An interrupt request stops both tiers at the first taken backward branch, with the same trap pc and
// frame contents; "spin" branches to itself (a backward branch of distance 0).
TEST(BaselineProof, InterruptStopsAtTheSameBackEdge) {
  for (bool fuel : {false, true}) {
    Harness h(fuel);
    for (const char* name : {"sum", "nested", "spin"}) {
      const interp::FuncInst* f = h.func(name);
      ASSERT_TRUE(h.is_compiled(f)) << name;
      std::atomic<uint32_t> iw{interp::kInterruptRequested}, cw{interp::kDeadlineReached};
      auto ictx = h.context(1'000'000, false, &iw);
      auto cctx = h.context(1'000'000, false, &cw);
      ictx->stack_begin[0] = cctx->stack_begin[0] = 5;
      ASSERT_EQ(h.interpreted([&] { return interp::invoke(*ictx, f, ictx->stack_begin); }), RunStatus::kTrap);
      ASSERT_EQ(baseline::invoke(*cctx, f, cctx->stack_begin), RunStatus::kTrap);
      EXPECT_EQ(ictx->trap, TrapCode::kInterrupted);
      EXPECT_EQ(cctx->trap, TrapCode::kDeadlineExceeded);  // the reason is read from the word
      EXPECT_EQ(cctx->trap_pc, ictx->trap_pc);
      EXPECT_EQ(cctx->fuel, ictx->fuel);
      EXPECT_EQ(cw.load(), 0u) << "the request is consumed";
      EXPECT_EQ(std::memcmp(cctx->stack_begin, ictx->stack_begin, f->code->frame_slots * 8), 0);
    }
  }
}

}  // namespace
}  // namespace airwasm::baseline
