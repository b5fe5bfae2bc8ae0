// tests/unit/canon: the canonical ABI codec's edge cases: exact bytes and flat values, every trap text the
// official tests expect, NaN canonicalisation, latin1+utf16 tagging and realloc sequences, realloc result
// checks, spilling past the flat limits, type mismatches and hostile lengths.
#include <gtest/gtest.h>

#include <cstring>

#include "canon_test_util.hh"

namespace airwasm::canon::test {
namespace {

using component::ValKind;

template <typename T>
std::string trap_of(const TrapResult<T>& r) {
  return r ? std::string("<no trap>") : r.error().message();
}

class CanonTest : public ::testing::Test {
 protected:
  TypeStore ts;
  TestContext cx{ts, 1024};
  TypeId u8 = prim(ts, Prim::kU8), u16 = prim(ts, Prim::kU16), u32 = prim(ts, Prim::kU32),
         u64 = prim(ts, Prim::kU64), s8 = prim(ts, Prim::kS8), s16 = prim(ts, Prim::kS16),
         s32 = prim(ts, Prim::kS32), s64 = prim(ts, Prim::kS64), f32 = prim(ts, Prim::kF32),
         f64 = prim(ts, Prim::kF64), chr = prim(ts, Prim::kChar), str = prim(ts, Prim::kString),
         boolean = prim(ts, Prim::kBool);

  Val round_trip_memory(TypeId t, const Val& v, uint32_t at = 16) {
    auto s = store(cx, t, v, at);
    EXPECT_TRUE(s) << trap_of(s);
    auto l = load(cx, t, at);
    EXPECT_TRUE(l) << trap_of(l);
    return l ? *l : Val();
  }
  Val round_trip_flat(TypeId t, const Val& v, std::vector<uint64_t>* flat_out = nullptr) {
    std::vector<uint64_t> flat;
    auto s = lower_flat(cx, t, v, flat);
    EXPECT_TRUE(s) << trap_of(s);
    if (flat_out) *flat_out = flat;
    FlatReader r(flat);
    auto l = lift_flat(cx, t, r);
    EXPECT_TRUE(l) << trap_of(l);
    EXPECT_TRUE(r.done());
    return l ? *l : Val();
  }
};

TEST_F(CanonTest, IntegersStoreLittleEndianAndSignExtendOnLift) {
  ASSERT_TRUE(store(cx, s16, Val::s16(-2), 8));
  EXPECT_EQ(cx.mem[8], 0xfe);
  EXPECT_EQ(cx.mem[9], 0xff);
  EXPECT_EQ(cx.mem[10], 0);
  EXPECT_EQ(round_trip_memory(s8, Val::s8(-128)), Val::s8(-128));
  EXPECT_EQ(round_trip_memory(u64, Val::u64(~0ull)), Val::u64(~0ull));
  EXPECT_EQ(round_trip_memory(s64, Val::s64(INT64_MIN), 24), Val::s64(INT64_MIN));
  std::vector<uint64_t> flat;
  EXPECT_EQ(round_trip_flat(s8, Val::s8(-1), &flat), Val::s8(-1));
  EXPECT_EQ(flat, std::vector<uint64_t>{0xffffffffu});  // sign-extended to i32, zero-extended slot
  // Lifting narrows: an i32 of 0x1ff is u8 255 and s8 -1.
  std::vector<uint64_t> in = {0x1ff};
  FlatReader r1(in), r2(in);
  EXPECT_EQ(*lift_flat(cx, u8, r1), Val::u8(255));
  EXPECT_EQ(*lift_flat(cx, s8, r2), Val::s8(-1));
  // bool: any non-zero byte is true.
  cx.mem[40] = 7;
  EXPECT_EQ(*load(cx, boolean, 40), Val::boolean(true));
}

TEST_F(CanonTest, NaNsAreCanonicalisedBothWays) {
  // Lowering a NaN with a payload writes the canonical NaN.
  ASSERT_TRUE(store(cx, f32, Val::f32_bits(0xffc12345u), 0));
  EXPECT_EQ(cx.u32_at(0), 0x7fc00000u);
  ASSERT_TRUE(store(cx, f64, Val::f64_bits(0x7ff0000000000001ull), 8));
  uint64_t bits;
  std::memcpy(&bits, &cx.mem[8], 8);
  EXPECT_EQ(bits, 0x7ff8000000000000ull);
  // Lifting a non-canonical NaN gives the canonical one; other values (infinities, -0) are untouched.
  cx.put_u32(16, 0x7f800001u);
  EXPECT_EQ(load(cx, f32, 16)->f32_bits(), 0x7fc00000u);
  cx.put_u32(16, 0x7f800000u);
  EXPECT_EQ(load(cx, f32, 16)->f32_bits(), 0x7f800000u);
  std::vector<uint64_t> flat = {0xfff0000000000003ull};
  FlatReader r(flat);
  EXPECT_EQ(lift_flat(cx, f64, r)->f64_bits(), 0x7ff8000000000000ull);
  std::vector<uint64_t> out;
  ASSERT_TRUE(lower_flat(cx, f32, Val::f32_bits(0x7fa00000u), out));
  EXPECT_EQ(out, std::vector<uint64_t>{0x7fc00000u});
  ASSERT_TRUE(lower_flat(cx, f32, Val::f32(-0.0f), out));
  EXPECT_EQ(out.back(), 0x80000000u);
}

TEST_F(CanonTest, InvalidCharsTrap) {
  for (uint32_t bad : {0xd800u, 0xdfffu, 0x110000u, 0xffffffffu}) {
    cx.put_u32(0, bad);
    EXPECT_EQ(trap_of(load(cx, chr, 0)), "invalid `char` bit pattern") << bad;
    std::vector<uint64_t> flat = {bad};
    FlatReader r(flat);
    EXPECT_EQ(trap_of(lift_flat(cx, chr, r)), "invalid `char` bit pattern");
  }
  cx.put_u32(0, 0x10ffff);
  EXPECT_EQ(*load(cx, chr, 0), Val::character(0x10ffff));
  std::vector<uint64_t> out;
  auto r = lower_flat(cx, chr, Val::character(0xd800), out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kHostError);
}

TEST_F(CanonTest, DiscriminantsAreChecked) {
  TypeId v = variant(ts, {{"a", u32}, {"b", component::kNoType}});
  TypeId e = enumeration(ts, {"x", "y", "z"});
  TypeId o = option(ts, u8);
  TypeId res = result(ts, component::kNoType, str);
  cx.put_u32(0, 2);
  EXPECT_EQ(trap_of(load(cx, v, 0)), "invalid variant discriminant");
  cx.put_u32(0, 3);
  EXPECT_EQ(trap_of(load(cx, e, 0)), "invalid variant discriminant");
  cx.put_u32(0, 2);
  EXPECT_EQ(trap_of(load(cx, o, 0)), "invalid variant discriminant");
  EXPECT_EQ(trap_of(load(cx, res, 0)), "invalid variant discriminant");
  std::vector<uint64_t> flat = {2, 0};
  FlatReader r(flat);
  EXPECT_EQ(trap_of(lift_flat(cx, v, r)), "invalid variant discriminant");
  // A 257-case enum has a 2-byte discriminant.
  std::vector<std::string> labels;
  for (int i = 0; i < 257; ++i) labels.push_back("c" + std::to_string(i));
  TypeId big = enumeration(ts, labels);
  EXPECT_EQ(ts.canon(big).size, 2u);
  ASSERT_TRUE(store(cx, big, Val::enumeration("c256"), 0));
  EXPECT_EQ(cx.mem[0], 0);
  EXPECT_EQ(cx.mem[1], 1);
  EXPECT_EQ(*load(cx, big, 0), Val::enumeration("c256"));
}

TEST_F(CanonTest, CompoundValuesRoundTrip) {
  TypeId rec = record(ts, {{"a", u8}, {"b", u64}, {"c", str}, {"d", list(ts, option(ts, chr))}});
  Val v = Val::record({{"a", Val::u8(1)},
                       {"b", Val::u64(2)},
                       {"c", Val::string("hé")},
                       {"d", Val::list({Val::some(Val::character('x')), Val::none()})}});
  EXPECT_EQ(round_trip_memory(rec, v), v);
  EXPECT_EQ(round_trip_flat(rec, v), v);
  // Fields in another order are matched by name; the lifted value has the type's order.
  Val shuffled =
      Val::record({{"d", Val::list({})}, {"c", Val::string("")}, {"b", Val::u64(0)}, {"a", Val::u8(0)}});
  Val lifted = round_trip_memory(rec, shuffled);
  EXPECT_EQ(lifted.names()[0], "a");
  TypeId fl = flags(ts, {"r", "w", "x"});
  EXPECT_EQ(round_trip_memory(fl, Val::flags({"r", "x"})), Val::flags({"r", "x"}));
  TypeId tup = tuple(ts, {s16, f64, boolean});
  Val t = Val::tuple({Val::s16(-5), Val::f64(2.5), Val::boolean(true)});
  EXPECT_EQ(round_trip_memory(tup, t, 32), t);
  TypeId res = result(ts, u32, component::kNoType);
  EXPECT_EQ(round_trip_flat(res, Val::err()), Val::err());
  EXPECT_EQ(round_trip_flat(res, Val::ok(Val::u32(9))), Val::ok(Val::u32(9)));
}

TEST_F(CanonTest, VariantFlatValuesAreJoined) {
  // variant { a(f32), b(u64), c } flattens to [i32, i64]: a's f32 travels as its bits in the i64 slot.
  TypeId v = variant(ts, {{"a", f32}, {"b", u64}, {"c", component::kNoType}});
  std::vector<uint64_t> flat;
  EXPECT_EQ(round_trip_flat(v, Val::variant("a", Val::f32(1.5f)), &flat), Val::variant("a", Val::f32(1.5f)));
  EXPECT_EQ(flat, (std::vector<uint64_t>{0, 0x3fc00000u}));
  EXPECT_EQ(round_trip_flat(v, Val::variant("c"), &flat), Val::variant("c"));
  EXPECT_EQ(flat, (std::vector<uint64_t>{2, 0}));
  // Lifting a: the high half of the i64 slot is dropped.
  std::vector<uint64_t> in = {0, 0xdeadbeef3fc00000ull};
  FlatReader r(in);
  EXPECT_EQ(*lift_flat(cx, v, r), Val::variant("a", Val::f32(1.5f)));
  EXPECT_TRUE(r.done());
}

TEST_F(CanonTest, Utf8StringTraps) {
  cx.put_u32(0, 8);
  cx.put_u32(4, 1);
  cx.mem[8] = 0xff;
  EXPECT_EQ(trap_of(load(cx, str, 0)), "invalid utf-8 sequence of 1 bytes from index 0");
  cx.mem[8] = 0xc3;
  EXPECT_EQ(trap_of(load(cx, str, 0)), "incomplete utf-8 byte sequence from index 0");
  for (auto bad :
       {std::vector<uint8_t>{0xed, 0xa0, 0x80}, {0xc0, 0x80}, {0xf4, 0x90, 0x80, 0x80}, {0xe2, 0x28, 0xa1}}) {
    std::memcpy(&cx.mem[8], bad.data(), bad.size());
    cx.put_u32(4, uint32_t(bad.size()));
    EXPECT_NE(trap_of(load(cx, str, 0)).find("invalid utf-8"), std::string::npos);
  }
  cx.put_u32(0, 0xdeadbeef);
  cx.put_u32(4, 0);
  EXPECT_EQ(trap_of(load(cx, str, 0)), "string pointer/length out of bounds of memory");
  cx.fused = true;
  EXPECT_EQ(trap_of(load(cx, str, 0)), "string content out-of-bounds");
  cx.put_u32(0, 1023);
  cx.put_u32(4, 2);
  EXPECT_EQ(trap_of(load(cx, str, 0)), "string content out-of-bounds");
  cx.put_u32(0, 8);
  cx.put_u32(4, 1u << 28);
  EXPECT_NE(trap_of(load(cx, str, 0)).find("exceeds the maximum"), std::string::npos);
  // At the very end of memory is fine.
  cx.put_u32(0, 1022);
  cx.put_u32(4, 2);
  cx.mem[1022] = 'o', cx.mem[1023] = 'k';
  EXPECT_EQ(*load(cx, str, 0), Val::string("ok"));
}

TEST_F(CanonTest, Utf16AndLatin1Lifting) {
  cx.encoding = StringEncoding::kUtf16;
  std::vector<uint64_t> flat = {1, 0};
  FlatReader r(flat);
  EXPECT_EQ(trap_of(lift_flat(cx, str, r)), "unaligned pointer");
  const uint8_t snowman_pair[] = {0x03, 0x26, 0x3d, 0xd8, 0x00, 0xde};  // U+2603, U+1F600
  std::memcpy(&cx.mem[64], snowman_pair, sizeof snowman_pair);
  auto s = load_string_from_range(cx, 64, 3);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->text, "\u2603\U0001F600");
  EXPECT_EQ(trap_of(load_string_from_range(cx, 64, 2)), "invalid utf-16: lone surrogate found");
  cx.encoding = StringEncoding::kLatin1Utf16;
  cx.mem[80] = 0xe9;
  cx.mem[81] = 'a';
  s = load_string_from_range(cx, 80, 2);
  EXPECT_EQ(s->text, "\u00e9a");
  EXPECT_FALSE(s->source.tagged_utf16);
  s = load_string_from_range(cx, 64, 0x80000001u);  // tagged: one UTF-16 code unit
  EXPECT_EQ(s->text, "\u2603");
  EXPECT_TRUE(s->source.tagged_utf16);
  EXPECT_EQ(trap_of(load_string_from_range(cx, 65, 0)), "unaligned pointer");
  EXPECT_EQ(trap_of(load_string_from_range(cx, 65, 0x80000000u)), "unaligned pointer");
}

TEST_F(CanonTest, Latin1Utf16LoweringTagsUtf16) {
  cx.encoding = StringEncoding::kLatin1Utf16;
  // All latin1: 3 UTF-8 bytes shrink to 2 latin1 bytes (allocate 3, then realloc down to 2).
  auto a = store_string_into_range(cx, "\u00e9a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->tagged_code_units, 2u);
  EXPECT_EQ(cx.mem[a->ptr], 0xe9);
  EXPECT_EQ(cx.calls, (std::vector<ReallocCall>{{0, 0, 2, 3}, {0x100, 3, 2, 2}}));
  // A character above U+00FF: the latin1 prefix is widened in place, the length carries the tag.
  cx.calls.clear();
  auto b = store_string_into_range(cx, "a\u20acb");  // 5 UTF-8 bytes, 3 UTF-16 units
  ASSERT_TRUE(b);
  EXPECT_EQ(b->tagged_code_units, 0x80000003u);
  EXPECT_EQ(cx.calls.size(), 3u);
  EXPECT_EQ(cx.calls[1].new_size, 10u);
  EXPECT_EQ(cx.calls[2].new_size, 6u);
  const uint8_t want[] = {'a', 0, 0xac, 0x20, 'b', 0};
  EXPECT_EQ(std::memcmp(&cx.mem[b->ptr], want, 6), 0);
  auto back = load_string_from_range(cx, b->ptr, b->tagged_code_units);
  EXPECT_EQ(back->text, "a\u20acb");
  // A tagged UTF-16 source that fits latin1 is narrowed (copy as UTF-16, then realloc to align 1).
  cx.calls.clear();
  auto c = store_string_into_range(cx, "xy", StringSource{StringEncoding::kLatin1Utf16, true});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->tagged_code_units, 2u);
  EXPECT_EQ(cx.calls,
            (std::vector<ReallocCall>{{0, 0, 2, 4}, {c->ptr == 0 ? 0u : cx.calls[1].old_ptr, 4, 1, 2}}));
}

TEST_F(CanonTest, Utf8LoweringFromOtherSourcesFollowsTheSpecReallocs) {
  // utf16 source into utf8: optimistic size = code units, grown to 3x at the first non-ASCII character.
  auto s = store_string_into_range(cx, "ab\u00e9", StringSource{StringEncoding::kUtf16});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->tagged_code_units, 4u);
  EXPECT_EQ(cx.calls, (std::vector<ReallocCall>{{0, 0, 1, 3}, {0x100, 3, 1, 9}, {0x103, 9, 1, 4}}));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(&cx.mem[s->ptr]), 4), "ab\u00e9");
  // utf8 into utf16: worst case 2 bytes per UTF-8 byte, then shrunk.
  cx.calls.clear();
  cx.encoding = StringEncoding::kUtf16;
  s = store_string_into_range(cx, "\u00e9");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->tagged_code_units, 1u);
  EXPECT_EQ(cx.calls.size(), 2u);
  EXPECT_EQ(cx.calls[0], (ReallocCall{0, 0, 2, 4}));
  EXPECT_EQ(cx.calls[1].new_size, 2u);
}

TEST_F(CanonTest, ReallocResultsAreChecked) {
  TypeId lu32 = list(ts, u32);
  Val two = Val::list({Val::u32(1), Val::u32(2)});
  std::vector<uint64_t> flat;
  cx.script = [](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> { return 0xffffffffu; };
  EXPECT_EQ(trap_of(lower_flat(cx, lu32, two, flat)), "realloc return: result not aligned");
  cx.script = [](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> { return 0xfffffffcu; };
  EXPECT_EQ(trap_of(lower_flat(cx, lu32, two, flat)), "realloc return: beyond end of memory");
  EXPECT_EQ(trap_of(lower_flat(cx, lu32, Val::list({}), flat)), "realloc return: beyond end of memory");
  EXPECT_EQ(trap_of(lower_flat(cx, str, Val::string(""), flat)), "realloc return: beyond end of memory");
  // A realloc that ends exactly at the end of memory is fine.
  cx.script = [](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> { return 1016; };
  EXPECT_TRUE(lower_flat(cx, lu32, two, flat));
  cx.fused = true;
  cx.script = [](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> { return 2; };
  EXPECT_EQ(trap_of(lower_flat(cx, lu32, two, flat)), "unaligned pointer");
  cx.script = [](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> { return 0xffffffffu; };
  EXPECT_EQ(trap_of(lower_flat(cx, list(ts, u8), Val::list({}), flat)), "list content out-of-bounds");
  EXPECT_EQ(trap_of(lower_flat(cx, str, Val::string("x"), flat)), "string content out-of-bounds");
  // A realloc that traps itself propagates its trap.
  cx.script = [](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> {
    return std::unexpected(Trap(TrapCode::kUnreachable, "unreachable"));
  };
  EXPECT_EQ(trap_of(lower_flat(cx, str, Val::string("x"), flat)), "unreachable");
}

TEST_F(CanonTest, ReallocGrowingMemoryIsSeen) {
  // The realloc grows memory (as memory.grow would) and returns a pointer in the new part.
  cx.mem.resize(4096);
  cx.memory.base = cx.mem.data();
  cx.script = [&](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> {
    cx.size = 4096;
    return 2048;
  };
  std::vector<uint64_t> flat;
  ASSERT_TRUE(lower_flat(cx, str, Val::string("grown"), flat));
  EXPECT_EQ(flat, (std::vector<uint64_t>{2048, 5}));
}

TEST_F(CanonTest, ListBoundsAndHostileLengths) {
  TypeId lu64 = list(ts, u64);
  std::vector<uint64_t> flat = {8, 0xffffffffu};  // 2^32 * 8 bytes: the product exceeds 32 bits
  FlatReader r(flat);
  EXPECT_NE(trap_of(lift_flat(cx, lu64, r)).find("exceeds the maximum"), std::string::npos);
  flat = {4, 1};
  FlatReader r2(flat);
  EXPECT_EQ(trap_of(lift_flat(cx, lu64, r2)), "unaligned pointer");
  flat = {1016, 2};
  FlatReader r3(flat);
  EXPECT_EQ(trap_of(lift_flat(cx, lu64, r3)), "list pointer/length out of bounds of memory");
  cx.fused = true;
  FlatReader r4(flat);
  EXPECT_EQ(trap_of(lift_flat(cx, lu64, r4)), "list content out-of-bounds");
  // Top-level load/store check their own pointer.
  EXPECT_EQ(trap_of(load(cx, u32, 2)), "unaligned pointer");
  EXPECT_EQ(trap_of(load(cx, u32, 1024)), "pointer out of bounds of memory");
  EXPECT_EQ(trap_of(store(cx, u64, Val::u64(1), 0xfffffff8u)), "pointer out of bounds of memory");
}

TEST_F(CanonTest, LiftingIsBoundedInHostMemory) {
  // A list of 100 strings that all point at the same 64-byte string: valid, but the host's copy is
  // 100 times larger than the guest's. Past Context::max_lift_bytes, lifting traps.
  TypeId ls = list(ts, str);
  for (uint32_t i = 0; i < 100; ++i) cx.put_u32(16 + 8 * i, 900), cx.put_u32(20 + 8 * i, 64);
  std::memset(&cx.mem[900], 'a', 64);
  std::vector<uint64_t> flat = {16, 100};
  FlatReader r(flat);
  auto all = lift_flat(cx, ls, r);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->items().size(), 100u);
  cx.max_lift_bytes = 4096;
  FlatReader r2(flat);
  auto capped = lift_flat(cx, ls, r2);
  ASSERT_FALSE(capped);
  EXPECT_EQ(capped.error().code(), TrapCode::kValueTooLarge);
  EXPECT_EQ(capped.error().message(), "lifted value exceeds the limit of 4096 bytes of host memory");
}

TEST_F(CanonTest, SpillingPastTheFlatLimits) {
  std::vector<TypeId> params(17, u32);
  std::vector<Val> values;
  for (uint32_t i = 0; i < 17; ++i) values.push_back(Val::u32(i * 3));
  EXPECT_EQ(flat_count(ts, params), 17u);
  std::vector<uint64_t> flat;
  ASSERT_TRUE(lower_flat_values(cx, kMaxFlatParams, values, params, flat));
  ASSERT_EQ(flat.size(), 1u);  // one pointer to the 68-byte tuple the realloc gave
  EXPECT_EQ(cx.calls, (std::vector<ReallocCall>{{0, 0, 4, 68}}));
  EXPECT_EQ(cx.u32_at(flat[0] + 4 * 16), 48u);
  FlatReader r(flat);
  auto back = lift_flat_values(cx, kMaxFlatParams, r, params);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, values);
  // 16 flat values stay flat.
  params.pop_back(), values.pop_back();
  flat.clear();
  ASSERT_TRUE(lower_flat_values(cx, kMaxFlatParams, values, params, flat));
  EXPECT_EQ(flat.size(), 16u);
  // Results: more than one flat value goes through the out pointer, which must be aligned and in bounds.
  std::vector<TypeId> results = {tuple(ts, {u32, u32})};
  std::vector<Val> rv = {Val::tuple({Val::u32(5), Val::u32(6)})};
  flat.clear();
  uint32_t out_ptr = 1;
  EXPECT_EQ(trap_of(lower_flat_values(cx, kMaxFlatResults, rv, results, flat, &out_ptr)),
            "unaligned pointer");
  out_ptr = 1020;
  EXPECT_EQ(trap_of(lower_flat_values(cx, kMaxFlatResults, rv, results, flat, &out_ptr)),
            "pointer out of bounds of memory");
  out_ptr = 64;
  ASSERT_TRUE(lower_flat_values(cx, kMaxFlatResults, rv, results, flat, &out_ptr));
  EXPECT_TRUE(flat.empty());
  EXPECT_EQ(cx.u32_at(68), 6u);
  std::vector<uint64_t> ret = {1};
  FlatReader rr(ret);
  EXPECT_EQ(trap_of(lift_flat_values(cx, kMaxFlatResults, rr, results)), "unaligned pointer");
  // Spilled parameters through a realloc that returns a misaligned pointer (alignment.wast's
  // CalleeArgptr: in an adapter, "unaligned pointer"; from the host, the realloc wording).
  params.push_back(u32), values.push_back(Val::u32(1));
  cx.script = [](uint32_t, uint32_t, uint32_t, uint32_t) -> TrapResult<uint32_t> { return 1; };
  flat.clear();
  EXPECT_EQ(trap_of(lower_flat_values(cx, kMaxFlatParams, values, params, flat)),
            "realloc return: result not aligned");
  cx.fused = true;
  EXPECT_EQ(trap_of(lower_flat_values(cx, kMaxFlatParams, values, params, flat)), "unaligned pointer");
}

TEST_F(CanonTest, TypeMismatchesAreHostErrors) {
  std::vector<uint64_t> flat;
  auto r = lower_flat(cx, u32, Val::string("x"), flat);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kHostError);
  EXPECT_EQ(r.error().message(), "type mismatch: expected u32, found string");
  EXPECT_EQ(trap_of(store(cx, s32, Val::u32(1), 0)), "type mismatch: expected s32, found u32");
  TypeId v = variant(ts, {{"a", u32}, {"b", component::kNoType}});
  EXPECT_EQ(trap_of(lower_flat(cx, v, Val::variant("zz"), flat)), "type mismatch: variant has no case `zz`");
  EXPECT_EQ(trap_of(lower_flat(cx, v, Val::variant("a"), flat)), "type mismatch: case `a` needs a payload");
  EXPECT_EQ(trap_of(lower_flat(cx, v, Val::variant("b", Val::u32(1)), flat)),
            "type mismatch: case `b` has no payload");
  TypeId rec = record(ts, {{"a", u8}});
  EXPECT_EQ(trap_of(lower_flat(cx, rec, Val::record({{"b", Val::u8(1)}}), flat)),
            "type mismatch: record has no field `a`");
  EXPECT_EQ(trap_of(lower_flat(cx, flags(ts, {"a"}), Val::flags({"q"}), flat)),
            "type mismatch: flags have no flag `q`");
  EXPECT_EQ(trap_of(lower_flat(cx, str, Val::string("\xff"), flat)),
            "type mismatch: string is not valid UTF-8");
  EXPECT_EQ(trap_of(lower_flat_values(cx, 16, std::vector<Val>{}, std::vector<TypeId>{u32}, flat)),
            "type mismatch: expected 1 values, found 0");
}

TEST_F(CanonTest, ResourceHandlesGoThroughTheContext) {
  TypeId res = ts.resource_type(ts.new_resource());
  TypeId own = node(ts, TypeKind::kOwn, {res});
  TypeId borrow = node(ts, TypeKind::kBorrow, {res});
  Val h = Val::resource(component::ResourceAny(1, 5, 0, component::ResourceType::host(7), true));
  std::vector<uint64_t> flat;
  ASSERT_TRUE(lower_flat(cx, own, h, flat));
  ASSERT_TRUE(lower_flat(cx, borrow, h, flat));
  EXPECT_EQ(flat, (std::vector<uint64_t>{105, 205}));
  FlatReader r(flat);
  EXPECT_EQ(lift_flat(cx, own, r)->as_resource().index(), 105u);
  EXPECT_EQ(lift_flat(cx, borrow, r)->kind(), ValKind::kBorrow);
  Val b = Val::resource(component::ResourceAny(1, 5, 0, component::ResourceType::host(7), false));
  EXPECT_EQ(trap_of(lower_flat(cx, own, b, flat)), "type mismatch: expected own, found borrow");
  // The default Context has no handle tables.
  Context plain(ts);
  EXPECT_FALSE(lower_flat(plain, own, h, flat));
}

TEST_F(CanonTest, TheDeepestValidTypesWork) {
  // 98 nested lists around a record of a string: depth 100, the validator's limit.
  TypeId t = record(ts, {{"leaf", str}});
  Val v = Val::record({{"leaf", Val::string("deep")}});
  for (int i = 0; i < 98; ++i) {
    t = list(ts, t);
    v = Val::list({v});
  }
  ASSERT_EQ(ts.canon(t).depth, 100u);
  TestContext big(ts, 1 << 16);
  ASSERT_TRUE(store(big, t, v, 0));
  EXPECT_EQ(*load(big, t, 0), v);
  std::vector<uint64_t> flat;
  ASSERT_TRUE(lower_flat(big, t, v, flat));
  FlatReader r(flat);
  EXPECT_EQ(*lift_flat(big, t, r), v);
}

TEST_F(CanonTest, TooDeepTypesAreRefused) {
  TypeId t = u8;
  for (int i = 0; i < 120; ++i) t = option(ts, t);
  std::vector<uint64_t> flat;
  EXPECT_EQ(trap_of(load(cx, t, 0)), "type nesting is too deep");
  EXPECT_EQ(trap_of(lower_flat(cx, t, Val::none(), flat)), "type nesting is too deep");
}

TEST_F(CanonTest, FlagsWidthsFollowTheLabelCount) {
  std::vector<std::string> labels;
  for (int i = 0; i < 32; ++i) labels.push_back("f" + std::to_string(i));
  for (size_t n : {1u, 8u, 9u, 16u, 17u, 32u}) {
    TypeId t = flags(ts, std::vector<std::string>(labels.begin(), labels.begin() + n));
    const uint64_t want = n <= 8 ? 1 : n <= 16 ? 2 : 4;
    EXPECT_EQ(ts.canon(t).size, want) << n;
    Val v = n == 1 ? Val::flags({"f0"}) : Val::flags({"f0", "f" + std::to_string(n - 1)});
    ASSERT_TRUE(store(cx, t, v, 0));
    EXPECT_EQ(cx.mem[want - 1] & 0x80 ? 1 : 0, n % 8 == 0 ? 1 : 0) << n;  // the last flag's bit
    EXPECT_EQ(*load(cx, t, 0), v);
    EXPECT_EQ(round_trip_flat(t, v), v);
  }
  // Bits past the last flag are ignored when lifting, as in the spec.
  TypeId three = flags(ts, {"a", "b", "c"});
  cx.mem[0] = 0xfd;
  EXPECT_EQ(*load(cx, three, 0), Val::flags({"a", "c"}));
}

TEST_F(CanonTest, FixedLengthLists) {
  TypeId fl = node(ts, TypeKind::kFixedList, {u16}, {}, 3);
  EXPECT_EQ(ts.canon(fl).size, 6u);
  EXPECT_EQ(ts.canon(fl).flat.size(), 3u);
  Val v = Val::list({Val::u16(1), Val::u16(2), Val::u16(65535)});
  EXPECT_EQ(round_trip_memory(fl, v), v);
  EXPECT_EQ(round_trip_flat(fl, v), v);
  std::vector<uint64_t> flat;
  EXPECT_EQ(trap_of(lower_flat(cx, fl, Val::list({Val::u16(1)}), flat)),
            "type mismatch: expected a list of 3 elements, found 1");
}

TEST_F(CanonTest, StringsInsideValuesUseTheContextEncoding) {
  TypeId rec = record(ts, {{"s", str}, {"t", list(ts, str)}});
  Val v = Val::record(
      {{"s", Val::string("h\u00e9")}, {"t", Val::list({Val::string("\u20ac"), Val::string("")})}});
  for (auto enc : {StringEncoding::kUtf8, StringEncoding::kUtf16, StringEncoding::kLatin1Utf16}) {
    cx.encoding = enc;
    EXPECT_EQ(round_trip_memory(rec, v), v);
    EXPECT_EQ(round_trip_flat(rec, v), v);
  }
  // latin1+utf16: "hé" is stored as 2 latin1 bytes, "€" as one tagged UTF-16 unit.
  std::vector<uint64_t> flat;
  ASSERT_TRUE(lower_flat(cx, rec, v, flat));
  EXPECT_EQ(flat[1], 2u);
  const uint32_t list_ptr = uint32_t(flat[2]);
  EXPECT_EQ(cx.u32_at(list_ptr + 4), 0x80000001u);
}

TEST_F(CanonTest, StringSourcesPassFromLiftToLower) {
  // The caller's string is UTF-16; lowered into a UTF-8 callee it takes the spec's UTF-16 -> UTF-8 path
  // (allocate the code-unit count, grow to 3x, shrink), not the UTF-8 copy a host string takes.
  cx.encoding = StringEncoding::kUtf16;
  std::vector<uint64_t> flat;
  ASSERT_TRUE(lower_flat(cx, str, Val::string("\u00e9!"), flat));
  std::vector<StringSource> sources;
  cx.lifted_strings = &sources;
  FlatReader r(flat);
  auto lifted = lift_flat(cx, str, r);
  ASSERT_TRUE(lifted);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].encoding, StringEncoding::kUtf16);

  TestContext callee(ts, 1024);
  callee.string_sources = &sources;
  std::vector<uint64_t> out;
  ASSERT_TRUE(lower_flat(callee, str, *lifted, out));
  EXPECT_EQ(callee.calls, (std::vector<ReallocCall>{{0, 0, 1, 2}, {0x100, 2, 1, 6}, {0x102, 6, 1, 3}}));
  EXPECT_EQ(callee.string_sources_used, 1u);
  // Without sources, the same string is a host string: one exact-size UTF-8 allocation.
  TestContext host(ts, 1024);
  ASSERT_TRUE(lower_flat(host, str, *lifted, out));
  EXPECT_EQ(host.calls, (std::vector<ReallocCall>{{0, 0, 1, 3}}));
}

TEST_F(CanonTest, ReallocContentsArePreservedAcrossGrowth) {
  // latin1+utf16 widening reads back what was written before the realloc: the allocator must have copied.
  cx.encoding = StringEncoding::kLatin1Utf16;
  auto s = store_string_into_range(cx, "abc\u0100");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->tagged_code_units, 0x80000004u);
  auto back = load_string_from_range(cx, s->ptr, s->tagged_code_units);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "abc\u0100");
}

TEST_F(CanonTest, MapsAreListsOfKeyValueTuples) {
  TypeId m = node(ts, TypeKind::kMap, {str, u8});
  Val v =
      Val::list({Val::tuple({Val::string("a"), Val::u8(1)}), Val::tuple({Val::string("bc"), Val::u8(2)})});
  EXPECT_EQ(round_trip_memory(m, v), v);
  std::vector<uint64_t> flat;
  EXPECT_EQ(round_trip_flat(m, v, &flat), v);
  // Entries are (string, u8) tuples of 12 bytes: the u8 sits at offset 8.
  EXPECT_EQ(cx.mem[flat[0] + 12 + 8], 2);
  EXPECT_EQ(trap_of(lower_flat(cx, m, Val::list({Val::u8(1)}), flat)),
            "type mismatch: expected a map entry (a tuple of key and value), found u8");
}

TEST_F(CanonTest, UnsupportedTypesAreHostErrors) {
  TypeId stream = node(ts, TypeKind::kStream, {u8});
  std::vector<uint64_t> flat;
  auto r = lower_flat(cx, stream, Val::u32(0), flat);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), TrapCode::kHostError);
  EXPECT_EQ(r.error().message(), "stream values are not supported yet");
}

TEST(ValTest, WaveText) {
  EXPECT_EQ(Val::u32(42).to_string(), "42");
  EXPECT_EQ(Val::s8(-3).to_string(), "-3");
  EXPECT_EQ(Val::boolean(true).to_string(), "true");
  EXPECT_EQ(Val::f64(1.5).to_string(), "1.5");
  EXPECT_EQ(Val::f32_bits(0x7fc00000u).to_string(), "nan");
  EXPECT_EQ(Val::f64(-1.0 / 0.0).to_string(), "-inf");
  EXPECT_EQ(Val::character('\'').to_string(), "'\\''");
  EXPECT_EQ(Val::string("a\"b\n\x01").to_string(), "\"a\\\"b\\n\\u{1}\"");
  EXPECT_EQ(Val::list({Val::u8(1), Val::u8(2)}).to_string(), "[1, 2]");
  EXPECT_EQ(Val::record({{"a", Val::u8(1)}, {"ok", Val::some(Val::u8(2))}}).to_string(),
            "{a: 1, ok: some(2)}");
  EXPECT_EQ(Val::record({{"a", Val::u8(1)}, {"b", Val::none()}}).to_string(), "{a: 1}");  // as wasm-wave
  EXPECT_EQ(Val::record({{"b", Val::none()}}).to_string(), "{:}");
  EXPECT_EQ(Val::variant("none").to_string(), "%none");
  EXPECT_EQ(Val::f64(1e20).to_string(), "100000000000000000000");
  EXPECT_EQ(Val::f32(0.1f).to_string(), "0.1");
  EXPECT_EQ(Val::f64(-0.0).to_string(), "-0");
  EXPECT_EQ(Val::f64(5e-324).to_string().size(), 326u);  // "0." then 323 zeros and the digit 5
  EXPECT_EQ(Val::string("it's").to_string(), "\"it\\'s\"");
  EXPECT_EQ(Val::string("\u0085").to_string(), "\"\\u{85}\"");
  EXPECT_EQ(Val::tuple({Val::u8(1), Val::string("x")}).to_string(), "(1, \"x\")");
  EXPECT_EQ(Val::variant("circle", Val::f32(2)).to_string(), "circle(2)");
  EXPECT_EQ(Val::enumeration("red").to_string(), "red");
  EXPECT_EQ(Val::some(Val::ok()).to_string(), "some(ok)");
  EXPECT_EQ(Val::err(Val::string("e")).to_string(), "err(\"e\")");
  EXPECT_EQ(Val::flags({"read", "write"}).to_string(), "{read, write}");
  EXPECT_EQ(Val::flags({}).to_string(), "{}");
  EXPECT_EQ(Val::resource(component::ResourceAny(1, 3, 0, {}, true)).to_string(), "<own 3>");
}

TEST(ValTest, CopyEqualityAndAccessors) {
  Val a = Val::record({{"x", Val::list({Val::string("s"), Val::string("t")})}});
  Val b = a;
  EXPECT_EQ(a, b);
  b.items_mut()[0].items_mut()[1] = Val::string("u");
  EXPECT_FALSE(a == b);
  EXPECT_EQ(a.items()[0].items()[1].as_string(), "t");
  EXPECT_EQ(Val::f32_bits(0x7fc00000u), Val::f32_bits(0x7f800001u));  // any two NaNs are equal
  EXPECT_FALSE(Val::f32(0.0f) == Val::f32(-0.0f));
  EXPECT_FALSE(Val::u32(1) == Val::s32(1));
  Val n = Val::u32(7);
  EXPECT_TRUE(n.items().empty());
  EXPECT_EQ(n.payload(), nullptr);
  EXPECT_EQ(n.as_string(), "");
  EXPECT_EQ(Val::some(Val::u8(1)).payload()->as_u8(), 1);
  EXPECT_TRUE(Val::ok().is_ok());
  EXPECT_FALSE(Val::err().is_ok());
}

}  // namespace
}  // namespace airwasm::canon::test
