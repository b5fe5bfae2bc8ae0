// Unit tests for the spec-script value parser: the JSON encodings of wast2json, NaN classes, v128 lanes,
// references, and the rejection of malformed values (never a throw or a crash).
#include "wast/values.hh"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace airwasm::wast {
namespace {

using nlohmann::json;

json J(const char* text) {
  return json::parse(text);
}

TEST(WastValues, ParsesIntegersAsUnsignedDecimal) {
  auto v = parse_value(J(R"({"type":"i32","value":"4294967295"})"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type(), ValType::kI32);
  EXPECT_EQ(v->i32(), -1);
  v = parse_value(J(R"({"type":"i64","value":"9223372036854775808"})"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->i64(), INT64_MIN);
  v = parse_value(J(R"({"type":"i32","value":"-2147483648"})"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->i32(), INT32_MIN);
}

TEST(WastValues, RejectsOutOfRangeAndGarbage) {
  EXPECT_FALSE(parse_value(J(R"({"type":"i32","value":"4294967296"})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"i32","value":"-2147483649"})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"i32","value":"12x"})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"i32","value":""})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"i32","value":42})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"i33","value":"1"})")));
  EXPECT_FALSE(parse_value(J(R"({"value":"1"})")));
  EXPECT_FALSE(parse_value(J(R"([1,2])")));
  EXPECT_FALSE(parse_value(J(R"(null)")));
  EXPECT_FALSE(parse_value(J(R"({"type":"i32"})")));  // a type alone is no argument
  EXPECT_FALSE(parse_values(J(R"({"type":"i32"})")));
}

TEST(WastValues, FloatsAreBitPatterns) {
  auto v = parse_value(J(R"({"type":"f32","value":"2143289344"})"));  // 0x7fc00000
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type(), ValType::kF32);
  EXPECT_EQ(v->f32_bits(), 0x7fc00000u);
  v = parse_value(J(R"({"type":"f64","value":"9223372036854775808"})"));  // -0.0
  ASSERT_TRUE(v);
  EXPECT_EQ(v->f64_bits(), 0x8000000000000000ull);
  EXPECT_FALSE(parse_value(J(R"({"type":"f32","value":"nan:canonical"})")));  // a pattern, not a value
}

TEST(WastValues, NanClasses) {
  EXPECT_TRUE(is_canonical_nan_f32(0x7fc00000u));
  EXPECT_TRUE(is_canonical_nan_f32(0xffc00000u));
  EXPECT_FALSE(is_canonical_nan_f32(0x7fc00001u));
  EXPECT_FALSE(is_canonical_nan_f32(0x7f800001u));  // signalling
  EXPECT_FALSE(is_canonical_nan_f32(0x7f800000u));  // infinity
  EXPECT_TRUE(is_arithmetic_nan_f32(0x7fc00000u));
  EXPECT_TRUE(is_arithmetic_nan_f32(0xffc00123u));
  EXPECT_FALSE(is_arithmetic_nan_f32(0x7f800001u));
  EXPECT_FALSE(is_arithmetic_nan_f32(0x3fc00000u));

  EXPECT_TRUE(is_canonical_nan_f64(0x7ff8000000000000ull));
  EXPECT_TRUE(is_canonical_nan_f64(0xfff8000000000000ull));
  EXPECT_FALSE(is_canonical_nan_f64(0x7ff8000000000001ull));
  EXPECT_TRUE(is_arithmetic_nan_f64(0x7ff8000000000001ull));
  EXPECT_FALSE(is_arithmetic_nan_f64(0x7ff0000000000001ull));
  EXPECT_FALSE(is_arithmetic_nan_f64(0x7ff0000000000000ull));
}

TEST(WastValues, ExpectedNanPatterns) {
  auto e = parse_expected(J(R"({"type":"f32","value":"nan:canonical"})"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->match, ExpectedValue::Match::kNan);
  EXPECT_TRUE(matches(*e, Val::f32_bits(0xffc00000u)));
  EXPECT_FALSE(matches(*e, Val::f32_bits(0x7fc00001u)));
  EXPECT_FALSE(matches(*e, Val::f64_bits(0x7ff8000000000000ull)));  // wrong type

  e = parse_expected(J(R"({"type":"f64","value":"nan:arithmetic"})"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(matches(*e, Val::f64_bits(0x7ff8000000000001ull)));
  EXPECT_TRUE(matches(*e, Val::f64_bits(0xfff8000000000000ull)));
  EXPECT_FALSE(matches(*e, Val::f64_bits(0x7ff4000000000000ull)));
}

TEST(WastValues, ExactFloatsCompareBitwise) {
  auto e = parse_expected(J(R"({"type":"f32","value":"0"})"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(matches(*e, Val::f32_bits(0)));
  EXPECT_FALSE(matches(*e, Val::f32_bits(0x80000000u)));            // -0 is not +0
  e = parse_expected(J(R"({"type":"f32","value":"2143289345"})"));  // a specific NaN payload
  ASSERT_TRUE(e);
  EXPECT_TRUE(matches(*e, Val::f32_bits(0x7fc00001u)));
  EXPECT_FALSE(matches(*e, Val::f32_bits(0x7fc00000u)));
}

TEST(WastValues, V128IntegerLanes) {
  auto v = parse_value(
      J(R"({"type":"v128","lane_type":"i16","value":["0","1","65535","3","4","5","6","32768"]})"));
  ASSERT_TRUE(v);
  ASSERT_EQ(v->type(), ValType::kV128);
  EXPECT_EQ(v->v128().lane<uint16_t>(2), 0xffffu);
  EXPECT_EQ(v->v128().lane<uint16_t>(7), 0x8000u);
  EXPECT_FALSE(parse_value(J(R"({"type":"v128","lane_type":"i16","value":["0","1"]})")));
  EXPECT_FALSE(parse_value(J(
      R"({"type":"v128","lane_type":"i8","value":["256","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0"]})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"v128","value":["0","0","0","0"]})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"v128","lane_type":"i128","value":["0"]})")));

  auto e = parse_expected(J(R"({"type":"v128","lane_type":"i64","value":["1","18446744073709551615"]})"));
  ASSERT_TRUE(e);
  V128 bits;
  bits.set_lane<uint64_t>(0, 1);
  bits.set_lane<uint64_t>(1, ~uint64_t{0});
  EXPECT_TRUE(matches(*e, Val::v128(bits)));
  bits.set_lane<uint8_t>(15, 0x7f);
  EXPECT_FALSE(matches(*e, Val::v128(bits)));
}

TEST(WastValues, V128PerLaneNan) {
  auto e = parse_expected(
      J(R"({"type":"v128","lane_type":"f32","value":["nan:canonical","1065353216","nan:arithmetic","0"]})"));
  ASSERT_TRUE(e);
  V128 bits;
  bits.set_lane<uint32_t>(0, 0xffc00000u);
  bits.set_lane<uint32_t>(1, 0x3f800000u);  // 1.0
  bits.set_lane<uint32_t>(2, 0x7fc12345u);
  bits.set_lane<uint32_t>(3, 0);
  EXPECT_TRUE(matches(*e, Val::v128(bits)));
  bits.set_lane<uint32_t>(0, 0x7fc00001u);  // arithmetic but not canonical
  EXPECT_FALSE(matches(*e, Val::v128(bits)));
  bits.set_lane<uint32_t>(0, 0x7fc00000u);
  bits.set_lane<uint32_t>(2, 0x7f800001u);  // signalling NaN is not arithmetic
  EXPECT_FALSE(matches(*e, Val::v128(bits)));

  e = parse_expected(
      J(R"({"type":"v128","lane_type":"f64","value":["nan:arithmetic","4611686018427387904"]})"));
  ASSERT_TRUE(e);
  V128 d;
  d.set_lane<uint64_t>(0, 0xfff8000000000001ull);
  d.set_lane<uint64_t>(1, 0x4000000000000000ull);  // 2.0
  EXPECT_TRUE(matches(*e, Val::v128(d)));
  // NaN patterns are not allowed in arguments or integer lanes.
  EXPECT_FALSE(parse_value(J(R"({"type":"v128","lane_type":"f64","value":["nan:arithmetic","0"]})")));
  EXPECT_FALSE(parse_expected(J(R"({"type":"v128","lane_type":"i64","value":["nan:arithmetic","0"]})")));
}

TEST(WastValues, References) {
  auto v = parse_value(J(R"({"type":"externref","value":"0"})"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type(), ValType::kExternRef);
  EXPECT_EQ(v->ref().bits, 1u);  // ref.extern N -> token N+1
  v = parse_value(J(R"({"type":"externref","value":"null"})"));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ref().is_null());
  v = parse_value(J(R"({"type":"funcref","value":"null"})"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type(), ValType::kFuncRef);
  EXPECT_TRUE(v->ref().is_null());
  EXPECT_FALSE(parse_value(J(R"({"type":"externref","value":"18446744073709551615"})")));
  EXPECT_FALSE(parse_value(J(R"({"type":"funcref","value":"3"})")));  // no host name for a function

  auto e = parse_expected(J(R"({"type":"externref","value":"137"})"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(matches(*e, Val::externref(138)));
  EXPECT_FALSE(matches(*e, Val::externref(137)));
  EXPECT_FALSE(matches(*e, Val::null_ref(ValType::kExternRef)));
  EXPECT_FALSE(matches(*e, Val::funcref(Ref{138})));

  e = parse_expected(J(R"({"type":"funcref","value":"null"})"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(matches(*e, Val::null_ref(ValType::kFuncRef)));
  EXPECT_FALSE(matches(*e, Val::funcref(Ref{5})));
  EXPECT_FALSE(matches(*e, Val::null_ref(ValType::kExternRef)));

  e = parse_expected(J(R"({"type":"funcref","value":"0"})"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(matches(*e, Val::funcref(Ref{5})));
  EXPECT_FALSE(matches(*e, Val::null_ref(ValType::kFuncRef)));
}

TEST(WastValues, TypeOnlyExpectation) {
  auto e = parse_expected(J(R"({"type":"externref"})"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->match, ExpectedValue::Match::kAnyOfType);
  EXPECT_TRUE(matches(*e, Val::externref(7)));
  EXPECT_FALSE(matches(*e, Val::i32(7)));
}

TEST(WastValues, Formatting) {
  EXPECT_EQ(format_value(Val::i32(-1)), "i32:4294967295 (-1)");
  EXPECT_EQ(format_value(Val::f32_bits(0x3fc00000u)), "f32:1.5 (0x3fc00000)");
  EXPECT_EQ(format_value(Val::externref(4)), "externref:ref.extern 3");
  EXPECT_EQ(format_value(Val::null_ref(ValType::kFuncRef)), "funcref:null");
  V128 bits;
  bits.set_lane<uint32_t>(1, 7);
  EXPECT_EQ(format_value(Val::v128(bits)), "v128:i32x4 0 7 0 0");
  auto e = parse_expected(J(R"({"type":"v128","lane_type":"f64","value":["nan:canonical","0"]})"));
  ASSERT_TRUE(e);
  EXPECT_EQ(format_expected(*e), "v128:f64x2 nan:canonical 0 (0x0000000000000000)");
  EXPECT_EQ(format_values({Val::i32(1), Val::i64(2)}), "(i32:1, i64:2)");
}

TEST(WastValues, ParseIntBits) {
  EXPECT_EQ(parse_int_bits("255", 8), 255u);
  EXPECT_FALSE(parse_int_bits("256", 8));
  EXPECT_EQ(parse_int_bits("-128", 8), 0x80u);
  EXPECT_FALSE(parse_int_bits("-129", 8));
  EXPECT_EQ(parse_int_bits("-1", 64), ~uint64_t{0});
  EXPECT_EQ(parse_int_bits("18446744073709551615", 64), ~uint64_t{0});
  EXPECT_FALSE(parse_int_bits("18446744073709551616", 64));
  EXPECT_FALSE(parse_int_bits("-", 32));
  EXPECT_FALSE(parse_int_bits("+1", 32));
  EXPECT_FALSE(parse_int_bits(" 1", 32));
}

}  // namespace
}  // namespace airwasm::wast
