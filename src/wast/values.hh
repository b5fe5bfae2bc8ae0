// wast: values of the spec-script JSON (wabt's wast2json shape) -> airwasm::Val, and the expected-result
// patterns of assert_return (exact bits, nan:canonical / nan:arithmetic, per-lane v128, ref patterns).
// Pure data and functions: nothing here touches a Store or needs the runtime library, so it is unit tested
// on its own. Parsing never throws; a malformed value is an error string.
// Encoding (wast2json): {"type":"i32","value":"4294967295"} (unsigned decimal; floats as their bit pattern),
// {"type":"v128","lane_type":"f32","value":["0","nan:canonical",...]},
// {"type":"externref","value":"null"|"N"},
// {"type":"funcref","value":"null"}; a value without "value" (assert_trap's "expected") is a type only.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "airwasm/types.hh"
#include "airwasm/value.hh"

namespace airwasm::wast {

template <typename T>
using ParseResult = std::expected<T, std::string>;

enum class NanKind : uint8_t { kNone, kCanonical, kArithmetic };
enum class LaneType : uint8_t { kI8, kI16, kI32, kI64, kF32, kF64 };

unsigned lane_count(LaneType t);
const char* lane_type_name(LaneType t);  // "i8", ..., "f64"
std::optional<LaneType> parse_lane_type(std::string_view name);

// Name of a value type as the scripts spell it ("i32", "v128", "funcref", "externref").
const char* type_name(ValType t);
std::optional<ValType> parse_type_name(std::string_view name);

// Host token of the script's `ref.extern N`: N + 1, since the token 0 is the null reference.
inline uint64_t extern_token(uint64_t n) {
  return n + 1;
}

// NaN classes of the spec (bit patterns, either sign).
bool is_canonical_nan_f32(uint32_t bits);
bool is_arithmetic_nan_f32(uint32_t bits);
bool is_canonical_nan_f64(uint64_t bits);
bool is_arithmetic_nan_f64(uint64_t bits);
bool nan_matches_f32(NanKind kind, uint32_t bits);
bool nan_matches_f64(NanKind kind, uint64_t bits);

// One expected result of an assert_return.
struct ExpectedValue {
  enum class Match : uint8_t {
    kExact,       // bits equal (scalars, externref tokens, null refs); v128 lane by lane
    kNan,         // f32/f64 scalar NaN class in `nan`
    kNonNullRef,  // any non-null reference of `type` (a funcref given by index: the host cannot name it)
    kAnyOfType,   // no value given: any value of `type`
  };
  ValType type = ValType::kI32;
  Match match = Match::kExact;
  Val value;                          // the exact bits (scalar, v128, ref token)
  NanKind nan = NanKind::kNone;       // for kNan
  std::optional<LaneType> lanes;      // v128: how the lanes were written (matching and printing)
  std::array<NanKind, 4> lane_nan{};  // v128 with float lanes: per-lane NaN class (f32x4 / f64x2)
};

// An argument (or constant) value. NaN patterns and type-only values are rejected.
ParseResult<Val> parse_value(const nlohmann::json& j);
ParseResult<std::vector<Val>> parse_values(const nlohmann::json& array);

ParseResult<ExpectedValue> parse_expected(const nlohmann::json& j);
ParseResult<std::vector<ExpectedValue>> parse_expected_values(const nlohmann::json& array);

bool matches(const ExpectedValue& expected, const Val& actual);

// Human rendering for failure reports: "i32:42", "f32:1.5 (0x3fc00000)", "v128:i32x4 1 2 3 4",
// "externref:ref.extern 3", "funcref:null". `lanes` selects the v128 lane view (default i32x4).
std::string format_value(const Val& v, std::optional<LaneType> lanes = std::nullopt);
std::string format_values(const std::vector<Val>& vs, const std::vector<ExpectedValue>* shape = nullptr);
std::string format_expected(const ExpectedValue& e);
std::string format_expected_values(const std::vector<ExpectedValue>& es);

// Decimal integer text of the scripts: unsigned, or signed with a leading '-', fitting in `bits` bits.
std::optional<uint64_t> parse_int_bits(std::string_view text, unsigned bits);

}  // namespace airwasm::wast
