// tests/component/runtime: typed calls and typed host functions (airwasm/component/typed.hh) on
// wat/typed_calls.wat: every C++ type mapping round-trips and equals the Val path's result, signature
// mismatches are errors naming the mismatch, guest traps keep the Val path's texts, guest resources move
// through typed calls, and typed host functions are checked at instantiate_pre.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <new>
#include <random>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"

// Counts heap allocations while `g_counting` is set (the typed scalar path must make none).
namespace {
std::atomic<bool> g_counting{false};
std::atomic<size_t> g_allocations{0};
}  // namespace
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // the replacement pairs malloc with free
void* operator new(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace {

using airwasm::CallOptions;
using airwasm::Engine;
using airwasm::EngineConfig;
using airwasm::ErrorKind;
using airwasm::Store;
using airwasm::Trap;
using airwasm::TrapCode;
using airwasm::TrapResult;
using airwasm::component::Component;
using airwasm::component::Instance;
using airwasm::component::Linker;
using airwasm::component::LinkerInstance;
using airwasm::component::ResourceAny;
using airwasm::component::TypedFunc;
using airwasm::component::Val;
using airwasm::component::wit_field;
using airwasm::component::WitResult;

struct Point {
  int32_t x = 0, y = 0;
  bool operator==(const Point&) const = default;
};
enum class Color : uint8_t { kRed, kGreen, kBlue };
struct Perms {
  bool read = false, write = false, exec = false;
  bool operator==(const Perms&) const = default;
};
struct Shape : std::variant<float, uint32_t, std::monostate> {
  using variant::variant;
};

}  // namespace

template <>
struct airwasm::component::WitType<Point> {
  static constexpr auto fields = std::make_tuple(wit_field("x", &Point::x), wit_field("y", &Point::y));
};
template <>
struct airwasm::component::WitType<Color> {
  static constexpr std::array cases{"red", "green", "blue"};
};
template <>
struct airwasm::component::WitType<Perms> {
  static constexpr auto flags = std::make_tuple(
      wit_field("read", &Perms::read), wit_field("write", &Perms::write), wit_field("exec", &Perms::exec));
};
template <>
struct airwasm::component::WitType<Shape> {
  static constexpr std::array cases{"circle", "square", "none"};
};

namespace {

// A struct whose field names do not match the component's point.
struct BadPoint {
  int32_t x = 0, z = 0;
};

}  // namespace

template <>
struct airwasm::component::WitType<BadPoint> {
  static constexpr auto fields = std::make_tuple(wit_field("x", &BadPoint::x), wit_field("z", &BadPoint::z));
};

namespace {

using MaybeResult = WitResult<uint32_t, std::string>;

std::vector<uint8_t> read_fixture(const std::string& name) {
  std::ifstream in(std::string(AIRWASM_COMPONENT_FIXTURES) + "/" + name, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void define_host(Linker& linker, int* calls = nullptr) {
  LinkerInstance host = linker.instance("test:typed/host");
  ASSERT_TRUE(host.func_wrap("add", [calls](uint32_t a, uint32_t b) {
    if (calls) ++*calls;
    return a + b;
  }));
  ASSERT_TRUE(host.func_wrap("greet", [](Store&, std::string_view name) -> TrapResult<std::string> {
    if (name == "trap") return std::unexpected(Trap(TrapCode::kHostError, "host refused"));
    return "hello, " + std::string(name) + "!";
  }));
  ASSERT_TRUE(host.func_wrap("flip", [](const Point& p) { return Point{-p.y, p.x}; }));
  ASSERT_TRUE(host.func_wrap("maybe", [](std::optional<uint32_t> x) {
    return x ? MaybeResult::ok(*x * 2) : MaybeResult::err("nothing");
  }));
  // 17 flat parameters (lifted from the guest's spilled tuple) and a tuple result (stored at its pointer).
  ASSERT_TRUE(
      host.func_wrap("many", [](uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, uint32_t f,
                                uint32_t g, uint32_t h, uint32_t i, uint32_t j, uint32_t k, uint32_t l,
                                uint32_t m, uint32_t n, uint32_t o, uint32_t p, uint32_t q) {
        const uint32_t sum = a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q;
        return std::tuple<uint32_t, uint64_t>(sum, uint64_t(q) << 40);
      }));
}

struct Typed : ::testing::Test {
  Engine engine;
  Store store{engine};
  Linker linker{engine};
  std::optional<Instance> instance;
  int host_calls = 0;

  void SetUp() override {
    define_host(linker, &host_calls);
    instantiate();
  }
  void instantiate() {
    auto c = Component::compile(engine, read_fixture("typed_calls.wasm"));
    ASSERT_TRUE(c) << c.error().to_string();
    auto inst = linker.instantiate(store, *c);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }

  template <typename Sig>
  TypedFunc<Sig> typed(std::string_view name) {
    auto f = instance->get_typed_func<Sig>(store, name);
    EXPECT_TRUE(f) << name << ": " << (f ? "" : f.error().message);
    return *f;
  }
  std::vector<Val> val_call(std::string_view name, std::vector<Val> args) {
    auto f = instance->get_func(store, name);
    EXPECT_TRUE(f) << name;
    auto r = f->call(store, args);
    EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message());
    return r ? *r : std::vector<Val>{};
  }
  // A fresh instance (the instance is poisoned after a trap).
  void reinstantiate() { instantiate(); }
};

TEST_F(Typed, Scalars) {
  EXPECT_EQ(*typed<uint32_t(uint32_t, uint32_t)>("add").call(store, 40, 2), 42u);
  EXPECT_EQ(*typed<bool(bool)>("id-bool").call(store, true), true);
  EXPECT_EQ(*typed<int8_t(int8_t)>("id-s8").call(store, -5), -5);
  EXPECT_EQ(*typed<uint8_t(uint8_t)>("id-u8").call(store, 250), 250);
  EXPECT_EQ(*typed<int16_t(int16_t)>("id-s16").call(store, -30000), -30000);
  EXPECT_EQ(*typed<uint16_t(uint16_t)>("id-u16").call(store, 65000), 65000);
  EXPECT_EQ(*typed<int32_t(int32_t)>("id-s32").call(store, -7), -7);
  EXPECT_EQ(*typed<uint32_t(uint32_t)>("id-u32").call(store, 0xffffffffu), 0xffffffffu);
  EXPECT_EQ(*typed<int64_t(int64_t)>("id-s64").call(store, -(int64_t(1) << 40)), -(int64_t(1) << 40));
  EXPECT_EQ(*typed<uint64_t(uint64_t)>("id-u64").call(store, ~uint64_t{0}), ~uint64_t{0});
  EXPECT_EQ(*typed<float(float)>("id-f32").call(store, 1.5f), 1.5f);
  EXPECT_EQ(*typed<double(double)>("id-f64").call(store, -2.25), -2.25);
  EXPECT_EQ(*typed<char32_t(char32_t)>("id-char").call(store, U'ß'), U'ß');
  // NaNs are canonicalised as on the Val path.
  const float nan = *typed<float(float)>("id-f32").call(store, std::bit_cast<float>(0x7fa00001u));
  EXPECT_EQ(std::bit_cast<uint32_t>(nan), 0x7fc00000u);
  EXPECT_EQ(val_call("id-f32", {Val::f32_bits(0x7fa00001u)})[0].f32_bits(), 0x7fc00000u);
}

TEST_F(Typed, ScalarCallsDoNotAllocate) {
  auto add = typed<uint32_t(uint32_t, uint32_t)>("add");
  auto call_add = typed<uint32_t(uint32_t, uint32_t)>("call-add");  // through a typed host function
  ASSERT_EQ(*add.call(store, 1, 2), 3u);                            // warm up per-Store state
  ASSERT_EQ(*call_add.call(store, 1, 2), 3u);
  g_allocations = 0;
  g_counting = true;
  uint32_t sum = 0;
  for (uint32_t i = 0; i < 100; ++i) sum += *add.call(store, i, 1) + *call_add.call(store, i, 2);
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0u);
  EXPECT_EQ(sum, 2 * 4950u + 300u);
}

TEST_F(Typed, ScalarsEqualTheValPath) {
  EXPECT_EQ(Val::s8(*typed<int8_t(int8_t)>("id-s8").call(store, -128)),
            val_call("id-s8", {Val::s8(-128)})[0]);
  EXPECT_EQ(Val::u64(*typed<uint64_t(uint64_t)>("id-u64").call(store, 12345678901234ull)),
            val_call("id-u64", {Val::u64(12345678901234ull)})[0]);
  EXPECT_EQ(Val::character(*typed<char32_t(char32_t)>("id-char").call(store, U'\U0001F600')),
            val_call("id-char", {Val::character(U'\U0001F600')})[0]);
}

TEST_F(Typed, StringsAndLists) {
  auto echo = typed<std::string(std::string_view)>("echo-string");
  EXPECT_EQ(*echo.call(store, "wörld"), "wörld");
  const std::string big(100000, 'x');
  EXPECT_EQ(*echo.call(store, big), big);
  EXPECT_EQ(*echo.call(store, ""), "");
  EXPECT_EQ(*typed<std::string(std::string)>("echo-string").call(store, std::string("owned")), "owned");
  EXPECT_EQ(val_call("echo-string", {Val::string("wörld")})[0].as_string(), *echo.call(store, "wörld"));

  const std::vector<uint32_t> nums{1, 2, 3, 0xffffffffu};
  EXPECT_EQ(*typed<std::vector<uint32_t>(std::vector<uint32_t>)>("echo-list").call(store, nums), nums);
  EXPECT_EQ(*typed<std::vector<uint32_t>(std::vector<uint32_t>)>("echo-list").call(store, {}),
            std::vector<uint32_t>{});
  const std::vector<std::string> words{"a", "", "ünïcode", std::string(300, 'z')};
  EXPECT_EQ(*typed<std::vector<std::string>(std::vector<std::string>)>("echo-strings").call(store, words),
            words);
  const std::vector<Point> pts{{1, 2}, {-3, 4}};
  EXPECT_EQ(*typed<std::vector<Point>(std::vector<Point>)>("echo-points").call(store, pts), pts);
}

TEST_F(Typed, OptionsResultsRecordsTuples) {
  auto opt = typed<std::optional<uint32_t>(std::optional<uint32_t>)>("echo-opt");
  EXPECT_EQ(*opt.call(store, 7u), std::optional<uint32_t>(7));
  EXPECT_EQ(*opt.call(store, std::nullopt), std::nullopt);
  EXPECT_EQ(val_call("echo-opt", {Val::some(Val::u32(7))})[0], Val::some(Val::u32(7)));

  auto res = typed<MaybeResult(MaybeResult)>("echo-result");
  EXPECT_EQ(*res.call(store, MaybeResult::ok(5u)), MaybeResult::ok(5u));
  EXPECT_EQ(*res.call(store, MaybeResult::err("bad")), MaybeResult::err("bad"));
  EXPECT_EQ(val_call("echo-result", {Val::err(Val::string("bad"))})[0], Val::err(Val::string("bad")));

  EXPECT_EQ(*typed<Point(Point)>("echo-point").call(store, Point{3, -4}), (Point{3, -4}));
  using T = std::tuple<uint8_t, uint64_t>;
  EXPECT_EQ(*typed<T(T)>("echo-tuple").call(store, T{9, uint64_t(1) << 60}), (T{9, uint64_t(1) << 60}));
  EXPECT_EQ(val_call("echo-tuple", {Val::tuple({Val::u8(9), Val::u64(uint64_t(1) << 60)})})[0],
            Val::tuple({Val::u8(9), Val::u64(uint64_t(1) << 60)}));
}

TEST_F(Typed, EnumsFlagsVariants) {
  EXPECT_EQ(*typed<Color(Color)>("echo-color").call(store, Color::kBlue), Color::kBlue);
  EXPECT_EQ(val_call("echo-color", {Val::enumeration("blue")})[0], Val::enumeration("blue"));
  const Perms p{true, false, true};
  EXPECT_EQ(*typed<Perms(Perms)>("echo-perms").call(store, p), p);
  EXPECT_EQ(val_call("echo-perms", {Val::flags({"read", "exec"})})[0], Val::flags({"read", "exec"}));
  auto shape = typed<Shape(Shape)>("echo-shape");
  EXPECT_EQ(std::get<float>(*shape.call(store, Shape(2.5f))), 2.5f);
  EXPECT_EQ(std::get<uint32_t>(*shape.call(store, Shape(uint32_t(17)))), 17u);
  EXPECT_EQ(shape.call(store, Shape(std::monostate{}))->index(), 2u);
  EXPECT_EQ(val_call("echo-shape", {Val::variant("circle", Val::f32(2.5f))})[0],
            Val::variant("circle", Val::f32(2.5f)));
}

// Random values through both paths: the typed result, converted to a Val, equals the Val path's result.
TEST_F(Typed, RandomValuesEqualTheValPath) {
  std::mt19937 rng(12345);
  auto echo_strings = typed<std::vector<std::string>(std::vector<std::string>)>("echo-strings");
  auto echo_res = typed<MaybeResult(MaybeResult)>("echo-result");
  auto echo_points = typed<std::vector<Point>(std::vector<Point>)>("echo-points");
  const char32_t alphabet[] = {U'a', U'Z', U'0', U' ', U'é', U'ß', U'€', U'中', U'\U0001F600', U'\u00FF'};
  auto random_string = [&] {
    std::string s;
    for (uint32_t n = rng() % 12; n > 0; --n) {
      const char32_t c = alphabet[rng() % std::size(alphabet)];
      // UTF-8 by hand (the test must not depend on the library's encoder)
      if (c < 0x80) {
        s += char(c);
      } else if (c < 0x800) {
        s += char(0xc0 | (c >> 6)), s += char(0x80 | (c & 0x3f));
      } else if (c < 0x10000) {
        s += char(0xe0 | (c >> 12)), s += char(0x80 | ((c >> 6) & 0x3f)), s += char(0x80 | (c & 0x3f));
      } else {
        s += char(0xf0 | (c >> 18)), s += char(0x80 | ((c >> 12) & 0x3f)),
            s += char(0x80 | ((c >> 6) & 0x3f)), s += char(0x80 | (c & 0x3f));
      }
    }
    return s;
  };
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<std::string> words(rng() % 5);
    std::vector<Val> word_vals;
    for (auto& w : words) {
      w = random_string();
      word_vals.push_back(Val::string(w));
    }
    auto typed_words = echo_strings.call(store, words);
    ASSERT_TRUE(typed_words);
    std::vector<Val> back;
    for (auto& w : *typed_words) back.push_back(Val::string(w));
    EXPECT_EQ(Val::list(back), val_call("echo-strings", {Val::list(word_vals)})[0]);

    const bool ok = rng() % 2;
    const uint32_t n = rng();
    const std::string e = random_string();
    auto typed_res = echo_res.call(store, ok ? MaybeResult::ok(n) : MaybeResult::err(e));
    ASSERT_TRUE(typed_res);
    const Val as_val = typed_res->is_ok() ? Val::ok(Val::u32(typed_res->value()))
                                          : Val::err(Val::string(typed_res->error()));
    EXPECT_EQ(as_val, val_call("echo-result", {ok ? Val::ok(Val::u32(n)) : Val::err(Val::string(e))})[0]);

    std::vector<Point> pts(rng() % 4);
    std::vector<Val> pt_vals;
    for (auto& p : pts) {
      p = Point{int32_t(rng()), int32_t(rng())};
      pt_vals.push_back(Val::record({{"x", Val::s32(p.x)}, {"y", Val::s32(p.y)}}));
    }
    auto typed_pts = echo_points.call(store, pts);
    ASSERT_TRUE(typed_pts);
    std::vector<Val> pt_back;
    for (auto& p : *typed_pts) pt_back.push_back(Val::record({{"x", Val::s32(p.x)}, {"y", Val::s32(p.y)}}));
    EXPECT_EQ(Val::list(pt_back), val_call("echo-points", {Val::list(pt_vals)})[0]);
  }
}

TEST_F(Typed, SpilledParameters) {
  auto sum =
      typed<uint32_t(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                     uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t)>(
          "sum-many");
  EXPECT_EQ(*sum.call(store, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17), 153u);
  std::vector<Val> args;
  for (uint32_t i = 1; i <= 17; ++i) args.push_back(Val::u32(i));
  EXPECT_EQ(val_call("sum-many", args)[0], Val::u32(153));
}

TEST_F(Typed, SignatureMismatchesNameTheMismatch) {
  auto wrong_param = instance->get_typed_func<uint32_t(std::string_view, uint32_t)>(store, "add");
  ASSERT_FALSE(wrong_param);
  EXPECT_EQ(wrong_param.error().kind, ErrorKind::kUsage);
  EXPECT_NE(wrong_param.error().message.find("parameter 0 `a`"), std::string::npos)
      << wrong_param.error().message;
  EXPECT_NE(wrong_param.error().message.find("u32"), std::string::npos) << wrong_param.error().message;

  auto wrong_arity = instance->get_typed_func<uint32_t(uint32_t)>(store, "add");
  ASSERT_FALSE(wrong_arity);
  EXPECT_NE(wrong_arity.error().message.find("2 parameters"), std::string::npos)
      << wrong_arity.error().message;

  auto wrong_result = instance->get_typed_func<void(uint32_t, uint32_t)>(store, "add");
  ASSERT_FALSE(wrong_result);
  EXPECT_NE(wrong_result.error().message.find("returns a value"), std::string::npos);

  auto wrong_field = instance->get_typed_func<BadPoint(BadPoint)>(store, "echo-point");
  ASSERT_FALSE(wrong_field);
  EXPECT_NE(wrong_field.error().message.find("`y` in the component, `z` in C++"), std::string::npos)
      << wrong_field.error().message;

  auto wrong_elem = instance->get_typed_func<std::vector<int32_t>(std::vector<uint32_t>)>(store, "echo-list");
  ASSERT_FALSE(wrong_elem);
  EXPECT_NE(wrong_elem.error().message.find("result, list element"), std::string::npos)
      << wrong_elem.error().message;

  EXPECT_FALSE(instance->get_typed_func<uint32_t()>(store, "no-such-export"));
}

TEST_F(Typed, TrapsKeepTheValPathTexts) {
  auto bad_char = typed<char32_t()>("bad-char");
  auto r = bad_char.call(store);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kInvalidChar);
  reinstantiate();
  auto v = instance->get_func(store, "bad-char")->call(store, std::vector<Val>{});
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message(), r.error().message());

  reinstantiate();
  auto e = typed<Color()>("bad-enum").call(store);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message(), "invalid variant discriminant");

  reinstantiate();
  auto s = typed<std::string()>("bad-string").call(store);
  ASSERT_FALSE(s);
  reinstantiate();
  auto sv = instance->get_func(store, "bad-string")->call(store, std::vector<Val>{});
  ASSERT_FALSE(sv);
  EXPECT_EQ(s.error().message(), sv.error().message());
  EXPECT_EQ(s.error().message(), "string pointer/length out of bounds of memory");

  // A host char that is no Unicode scalar value is a type mismatch before the guest runs.
  reinstantiate();
  auto bad_arg = typed<char32_t(char32_t)>("id-char").call(store, char32_t(0xd800));
  ASSERT_FALSE(bad_arg);
  EXPECT_NE(bad_arg.error().message().find("not a Unicode scalar value"), std::string::npos);
}

TEST_F(Typed, TrapPoisonsTheInstanceAsOnTheValPath) {
  ASSERT_FALSE(typed<char32_t()>("bad-char").call(store));
  auto again = typed<uint32_t(uint32_t, uint32_t)>("add").call(store, 1, 2);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message(), "cannot enter component instance");
}

TEST_F(Typed, GuestResources) {
  auto make = typed<ResourceAny(uint32_t)>("make-blob");
  auto size = typed<uint32_t(ResourceAny)>("blob-size");
  auto drop = typed<void(ResourceAny)>("drop-blob");
  auto blob = make.call(store, 41);
  ASSERT_TRUE(blob) << blob.error().message();
  EXPECT_TRUE(blob->owned());
  EXPECT_EQ(*size.call(store, *blob), 41u);  // borrowed: the handle stays the host's
  EXPECT_EQ(*size.call(store, *blob), 41u);
  ASSERT_TRUE(drop.call(store, *blob));  // moved into the guest, which drops it
  auto stale = size.call(store, *blob);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), TrapCode::kUnknownHandle);
}

TEST_F(Typed, TypedHostFunctions) {
  EXPECT_EQ(*typed<uint32_t(uint32_t, uint32_t)>("call-add").call(store, 20, 22), 42u);
  EXPECT_EQ(host_calls, 1);
  EXPECT_EQ(*typed<std::string(std::string_view)>("call-greet").call(store, "wörld"), "hello, wörld!");
  EXPECT_EQ(*typed<Point(Point)>("call-flip").call(store, Point{1, 2}), (Point{-2, 1}));
  auto maybe = typed<MaybeResult(std::optional<uint32_t>)>("call-maybe");
  EXPECT_EQ(*maybe.call(store, 21u), MaybeResult::ok(42u));
  EXPECT_EQ(*maybe.call(store, std::nullopt), MaybeResult::err("nothing"));
  // Spilled parameters and a spilled result of a typed host function: 153 + (17 << 40).
  EXPECT_EQ(*typed<uint64_t()>("call-many").call(store), 153u + (uint64_t(17) << 40));
  // The same through Vals.
  EXPECT_EQ(val_call("call-maybe", {Val::none()})[0], Val::err(Val::string("nothing")));
  EXPECT_EQ(val_call("call-greet", {Val::string("x")})[0], Val::string("hello, x!"));
  // A host trap ends the guest call.
  auto t = typed<std::string(std::string_view)>("call-greet").call(store, "trap");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().message(), "host refused");
}

// host_calls.wat's host interface, written with typed host functions: host resources created by a typed
// constructor, borrowed by a typed method and destroyed when the guest drops them.
TEST(TypedHost, HostResourcesThroughTypedHostFunctions) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  const airwasm::component::ResourceType counter = airwasm::component::ResourceType::host(2001);
  std::map<uint32_t, uint32_t> counters;
  uint32_t next_rep = 1;
  int dropped = 0;
  LinkerInstance api = linker.instance("test:host/api@1.2.0");
  ASSERT_TRUE(api.func_wrap("add", [](uint32_t a, uint32_t b) { return a + b; }));
  ASSERT_TRUE(api.func_wrap("greet", [](std::string_view s) { return "hello, " + std::string(s) + "!"; }));
  ASSERT_TRUE(api.func_wrap("flip", [](Point p) { return Point{-p.y, p.x}; }));
  ASSERT_TRUE(api.resource("counter", counter, [&](Store&, uint32_t rep) {
    counters.erase(rep);
    ++dropped;
  }));
  ASSERT_TRUE(api.func_wrap("[constructor]counter", [&](Store& s, uint32_t start) -> TrapResult<ResourceAny> {
    const uint32_t rep = next_rep++;
    counters[rep] = start;
    return *airwasm::component::resource_new_own(s, counter, rep);
  }));
  ASSERT_TRUE(api.func_wrap("[method]counter.next", [&](Store& s, ResourceAny self) -> TrapResult<uint32_t> {
    auto rep = airwasm::component::resource_rep(s, self);
    if (!rep) return std::unexpected(Trap(TrapCode::kHostError, rep.error().message));
    return counters[*rep]++;
  }));
  auto c = Component::compile(engine, read_fixture("host_calls.wasm"));
  ASSERT_TRUE(c);
  auto inst = linker.instantiate(store, *c);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto count = inst->get_typed_func<uint32_t(uint32_t, uint32_t)>(store, "count");
  ASSERT_TRUE(count);
  EXPECT_EQ(*count->call(store, 10, 5), 14u);
  EXPECT_EQ(dropped, 1);
  EXPECT_TRUE(counters.empty());
  auto hello = inst->get_typed_func<std::string(std::string_view)>(store, "hello");
  EXPECT_EQ(*hello->call(store, "wörld"), "hello, wörld!");
  auto flip = inst->get_typed_func<Point(Point)>(store, "flip-twice");
  EXPECT_EQ(*flip->call(store, Point{3, 4}), (Point{-3, -4}));
}

TEST(TypedHost, SignatureIsCheckedAtInstantiatePre) {
  Engine engine;
  Linker linker(engine);
  LinkerInstance host = linker.instance("test:typed/host");
  ASSERT_TRUE(host.func_wrap("add", [](uint32_t a, uint64_t b) { return uint32_t(a + b); }));  // b is u32
  ASSERT_TRUE(host.func_wrap("greet", [](std::string_view s) { return std::string(s); }));
  ASSERT_TRUE(host.func_wrap("flip", [](const Point& p) { return p; }));
  ASSERT_TRUE(host.func_wrap("maybe", [](std::optional<uint32_t>) { return MaybeResult::ok(1u); }));
  ASSERT_TRUE(host.func_wrap("many", [](uint32_t) { return uint32_t(0); }));
  auto c = Component::compile(engine, read_fixture("typed_calls.wasm"));
  ASSERT_TRUE(c);
  auto pre = linker.instantiate_pre(*c);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::kUnlinkable);
  EXPECT_NE(pre.error().message.find("test:typed/host#add"), std::string::npos) << pre.error().message;
  EXPECT_NE(pre.error().message.find("parameter 1 `b`"), std::string::npos) << pre.error().message;
}

TEST(TypedHost, FuelAndDeadlinesApply) {
  EngineConfig config;
  config.consume_fuel = true;
  Engine engine(config);
  Store store(engine);
  ASSERT_TRUE(store.set_fuel(1'000'000));
  Linker linker(engine);
  define_host(linker);
  auto c = Component::compile(engine, read_fixture("typed_calls.wasm"));
  ASSERT_TRUE(c);
  auto inst = linker.instantiate(store, *c);
  ASSERT_TRUE(inst);
  auto add = inst->get_typed_func<uint32_t(uint32_t, uint32_t)>(store, "add");
  ASSERT_TRUE(add);
  const uint64_t before = *store.fuel_remaining();
  EXPECT_EQ(*add->call(store, CallOptions{.timeout = std::chrono::seconds(5)}, 1, 2), 3u);
  EXPECT_LT(*store.fuel_remaining(), before);
  ASSERT_TRUE(store.set_fuel(0));
  auto starved = add->call(store, 1, 2);
  ASSERT_FALSE(starved);
  EXPECT_EQ(starved.error().code(), TrapCode::kOutOfFuel);
}

}  // namespace
