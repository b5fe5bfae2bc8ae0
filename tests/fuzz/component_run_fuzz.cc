// tests/fuzz: libFuzzer target for the component runtime: compile (decode, validate, compile nested
// modules), link every import to a stub (host functions that return a value of their result type made
// from the input; host resource types), instantiate, and call every exported function with argument
// values drawn from the input (strings, lists, records, variants, flags, handles ...), on a small fuel
// budget and memory limit; then again with every call run sliced (37 fuel units per slice), which must
// give the same results, traps and fuel consumption. Any input must give a value, an Error or a Trap: never a
// crash, a hang, an out-of-memory or a sanitizer report. Seeds: the official component suite's binaries.
// Built with clang (build_fuzz.sh, FUZZ_TARGET=component_run_fuzz).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "component_runtime/internal.hh"

namespace {

using airwasm::Engine;
using airwasm::EngineConfig;
using airwasm::Store;
using airwasm::StoreLimits;
using airwasm::TrapResult;
using namespace airwasm::component;

Engine& engine() {
  static Engine e([] {
    EngineConfig c;
    c.consume_fuel = true;
    c.compile_threads = 1;
    return c;
  }());
  return e;
}

// Bytes of the input, consumed from the back (the front is the component itself).
struct Source {
  const uint8_t* data;
  size_t size;
  uint8_t byte() { return size ? data[--size] : 0; }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return v;
  }
};

Val random_val(const TypeStore& ts, TypeId t, Source& src, int depth = 0) {
  const TypeNode& n = ts.canon(t);
  auto sub = [&](TypeId c) { return random_val(ts, c, src, depth + 1); };
  const size_t count = depth > 3 ? 0 : src.byte() % 4;
  switch (n.kind) {
    case TypeKind::kPrim:
      switch (n.prim) {
        case Prim::kBool:
          return Val::boolean(src.byte() & 1);
        case Prim::kS8:
          return Val::s8(int8_t(src.byte()));
        case Prim::kU8:
          return Val::u8(src.byte());
        case Prim::kS16:
          return Val::s16(int16_t(src.u64()));
        case Prim::kU16:
          return Val::u16(uint16_t(src.u64()));
        case Prim::kS32:
          return Val::s32(int32_t(src.u64()));
        case Prim::kU32:
          return Val::u32(uint32_t(src.u64()));
        case Prim::kS64:
          return Val::s64(int64_t(src.u64()));
        case Prim::kU64:
          return Val::u64(src.u64());
        case Prim::kF32:
          return Val::f32_bits(uint32_t(src.u64()));
        case Prim::kF64:
          return Val::f64_bits(src.u64());
        case Prim::kChar:
          return Val::character(char32_t(src.byte() % 0x7f));
        case Prim::kString: {
          std::string s;
          for (size_t i = 0; i < count * 3; ++i) s.push_back(char('a' + src.byte() % 26));
          return Val::string(std::move(s));
        }
        default:
          return Val::u32(0);
      }
    case TypeKind::kList: {
      std::vector<Val> items;
      for (size_t i = 0; i < count; ++i) items.push_back(sub(n.children[0]));
      return Val::list(std::move(items));
    }
    case TypeKind::kRecord: {
      std::vector<std::pair<std::string, Val>> fields;
      for (size_t i = 0; i < n.children.size(); ++i) fields.emplace_back(n.labels[i], sub(n.children[i]));
      return Val::record(std::move(fields));
    }
    case TypeKind::kTuple: {
      std::vector<Val> items;
      for (TypeId c : n.children) items.push_back(sub(c));
      return Val::tuple(std::move(items));
    }
    case TypeKind::kVariant: {
      size_t i = src.byte() % n.labels.size();
      if (n.children[i] == kNoType) return Val::variant(n.labels[i]);
      return Val::variant(n.labels[i], sub(n.children[i]));
    }
    case TypeKind::kEnum:
      return Val::enumeration(n.labels[src.byte() % n.labels.size()]);
    case TypeKind::kOption:
      return src.byte() & 1 ? Val::some(sub(n.children[0])) : Val::none();
    case TypeKind::kResult: {
      const bool ok = src.byte() & 1;
      TypeId p = n.children[ok ? 0 : 1];
      std::optional<Val> payload;
      if (p != kNoType) payload = sub(p);
      return ok ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
    }
    case TypeKind::kFlags: {
      std::vector<std::string> set;
      for (const std::string& l : n.labels)
        if (src.byte() & 1) set.push_back(l);
      return Val::flags(std::move(set));
    }
    default:
      return Val::u32(0);  // handles and the rest: a wrong value is a fine input too
  }
}

// Defines stubs for one import (recursively for instances).
void define_stub(const TypeStore& ts, LinkerInstance where, const NamedEntity& e, Source& src, int depth) {
  if (depth > 4) return;
  switch (e.entity.kind) {
    case Entity::Kind::kFunc: {
      const TypeNode& fn = ts.node(ts.strip(e.entity.type));
      const TypeId result = fn.children.back();
      const uint64_t seed = src.u64();
      (void)where.func_new(
          e.name, [&ts, result, seed](Store&, std::span<const Val>, std::span<Val> r) -> TrapResult<void> {
            uint8_t bytes[8];
            for (int i = 0; i < 8; ++i) bytes[i] = uint8_t(seed >> (8 * i));
            Source s{bytes, 8};
            if (result != kNoType && !r.empty()) r[0] = random_val(ts, result, s);
            return {};
          });
      break;
    }
    case Entity::Kind::kInstance: {
      LinkerInstance inner = where.instance(e.name);
      for (const NamedEntity& x : ts.instance(e.entity.type).exports)
        define_stub(ts, inner, x, src, depth + 1);
      break;
    }
    case Entity::Kind::kType:
      if (ts.canon(e.entity.type).kind == TypeKind::kResource)
        (void)where.resource(e.name, ResourceType::host(1000 + depth), [](Store&, uint32_t) {});
      break;
    default:
      break;
  }
}

// What one call gave: its results, or its trap code; and the fuel left after it.
struct Outcome {
  bool ok = false;
  std::vector<Val> results;
  airwasm::TrapCode trap{};
  uint64_t fuel_left = 0;
};

// Instantiates `c` in a fresh Store with stubs fed from a fresh copy of the input's tail and calls every
// export: blocking (Func::call) or, with `slice` != 0, as sliced calls of `slice` fuel units at a time
// (component::SlicedCall), resumed until they finish. Both modes see the same argument and stub values, so
// they must give the same outcomes and consume the same fuel.
std::vector<Outcome> run_exports(const Component& c, const uint8_t* tail, size_t tail_size, uint64_t slice) {
  std::vector<Outcome> outcomes;
  Source src{tail, tail_size};
  Store store(engine());
  StoreLimits limits;
  limits.max_memory_bytes = uint64_t{64} << 20;
  store.set_limits(limits);
  (void)store.set_fuel(200'000);
  const TypeStore& ts = c.impl().types();
  Linker linker(engine());
  for (const NamedEntity& imp : ts.component(c.impl().validated.type).imports)
    define_stub(ts, linker.root(), imp, src, 0);
  auto inst = linker.instantiate(store, c);
  if (!inst) return outcomes;
  for (const NamedEntity& ex : ts.component(c.impl().validated.type).exports) {
    if (ex.entity.kind != Entity::Kind::kFunc) continue;
    auto f = inst->get_func(store, ex.name);
    if (!f) continue;
    const TypeNode& fn = ts.node(ts.strip(ex.entity.type));
    std::vector<Val> args;
    for (size_t i = 0; i < fn.labels.size(); ++i) args.push_back(random_val(ts, fn.children[i], src));
    const bool lifted = rt::ComponentStore::of(store).funcs[f->index()].kind == rt::FuncRec::Kind::kLifted;
    TrapResult<std::vector<Val>> r = std::vector<Val>{};
    if (slice == 0 || !lifted) {
      r = f->call(store, args);
    } else {
      auto call = SlicedCall::start(store, *f, args, slice);
      if (!call) {
        r = std::unexpected(std::move(call.error()));
      } else {
        TrapResult<airwasm::CallStatus> status = call->status();
        while (status && *status == airwasm::CallStatus::kSuspended) status = call->resume(store, slice);
        if (status)
          r = call->take_results();
        else
          r = std::unexpected(std::move(status.error()));
      }
    }
    Outcome o;
    o.ok = r.has_value();
    if (r)
      o.results = std::move(*r);
    else
      o.trap = r.error().code();
    o.fuel_left = store.fuel_remaining().value_or(0);
    outcomes.push_back(std::move(o));
    (void)store.set_fuel(200'000);
  }
  return outcomes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The last 64 bytes (if any) drive values; the rest is the component.
  const size_t tail = size > 256 ? 64 : 0;
  auto c = Component::compile(engine(), std::span<const uint8_t>(data, size - tail));
  if (!c) return 0;
  const std::vector<Outcome> blocking = run_exports(*c, data + size - tail, tail, 0);
  // The same calls sliced, in small slices (a prime, so that suspensions fall everywhere): the sliced path
  // (LiftedCall split around the Store's sliced call) must agree with the blocking one exactly.
  const std::vector<Outcome> sliced = run_exports(*c, data + size - tail, tail, 37);
  if (sliced.size() != blocking.size()) __builtin_trap();
  for (size_t i = 0; i < sliced.size(); ++i) {
    const Outcome &a = blocking[i], &b = sliced[i];
    if (a.ok != b.ok || a.fuel_left != b.fuel_left || (!a.ok && a.trap != b.trap) ||
        (a.ok && a.results != b.results))
      __builtin_trap();
  }
  return 0;
}
