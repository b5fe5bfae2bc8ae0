// wast: parsing, matching and printing of script values (see values.hh for the JSON encoding).
// Invariant: no function here throws on any JSON input; all access goes through the checked helpers below.
#include "wast/values.hh"

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

namespace airwasm::wast {

using nlohmann::json;

namespace {

const std::string* string_member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

std::optional<NanKind> parse_nan(std::string_view text) {
  if (text == "nan:canonical") return NanKind::kCanonical;
  if (text == "nan:arithmetic") return NanKind::kArithmetic;
  return std::nullopt;
}

unsigned lane_bits(LaneType t) {
  switch (t) {
    case LaneType::kI8:
      return 8;
    case LaneType::kI16:
      return 16;
    case LaneType::kI32:
    case LaneType::kF32:
      return 32;
    case LaneType::kI64:
    case LaneType::kF64:
      return 64;
  }
  return 32;
}

bool is_float_lane(LaneType t) {
  return t == LaneType::kF32 || t == LaneType::kF64;
}

void set_lane_bits(V128& v, LaneType t, unsigned i, uint64_t bits) {
  switch (lane_bits(t)) {
    case 8:
      v.set_lane<uint8_t>(i, static_cast<uint8_t>(bits));
      break;
    case 16:
      v.set_lane<uint16_t>(i, static_cast<uint16_t>(bits));
      break;
    case 32:
      v.set_lane<uint32_t>(i, static_cast<uint32_t>(bits));
      break;
    default:
      v.set_lane<uint64_t>(i, bits);
      break;
  }
}

uint64_t get_lane_bits(const V128& v, LaneType t, unsigned i) {
  switch (lane_bits(t)) {
    case 8:
      return v.lane<uint8_t>(i);
    case 16:
      return v.lane<uint16_t>(i);
    case 32:
      return v.lane<uint32_t>(i);
    default:
      return v.lane<uint64_t>(i);
  }
}

std::string hex(uint64_t bits, unsigned digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*" PRIx64, static_cast<int>(digits), bits);
  return buf;
}

std::string format_f32_bits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
  return std::string(buf) + " (" + hex(bits, 8) + ")";
}

std::string format_f64_bits(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return std::string(buf) + " (" + hex(bits, 16) + ")";
}

std::string format_lane(LaneType t, uint64_t bits) {
  switch (t) {
    case LaneType::kF32:
      return format_f32_bits(static_cast<uint32_t>(bits));
    case LaneType::kF64:
      return format_f64_bits(bits);
    default:
      return std::to_string(bits);
  }
}

const char* nan_name(NanKind k) {
  return k == NanKind::kCanonical ? "nan:canonical" : "nan:arithmetic";
}

// The shared part of parse_value and parse_expected. With `expected`, NaN patterns and type-only values
// are allowed and recorded in `out`.
ParseResult<ExpectedValue> parse_any(const json& j, bool expected) {
  const std::string* type_text = string_member(j, "type");
  if (!type_text) return std::unexpected("value without a \"type\" string");
  auto type = parse_type_name(*type_text);
  if (!type) return std::unexpected("unknown value type \"" + *type_text + "\"");

  ExpectedValue out;
  out.type = *type;
  auto value_it = j.find("value");
  if (value_it == j.end()) {
    if (!expected) return std::unexpected(std::string("value of type ") + *type_text + " without \"value\"");
    out.match = ExpectedValue::Match::kAnyOfType;
    out.value = Val::zero(*type);
    return out;
  }

  if (*type == ValType::kV128) {
    const std::string* lane_text = string_member(j, "lane_type");
    if (!lane_text) return std::unexpected("v128 value without \"lane_type\"");
    auto lanes = parse_lane_type(*lane_text);
    if (!lanes) return std::unexpected("unknown v128 lane type \"" + *lane_text + "\"");
    if (!value_it->is_array() || value_it->size() != lane_count(*lanes)) {
      return std::unexpected("v128 " + *lane_text + " value needs " + std::to_string(lane_count(*lanes)) +
                             " lanes");
    }
    out.lanes = lanes;
    V128 v;
    for (unsigned i = 0; i < lane_count(*lanes); ++i) {
      const json& lane = (*value_it)[i];
      if (!lane.is_string()) return std::unexpected("v128 lane is not a string");
      const auto& text = lane.get_ref<const std::string&>();
      if (auto nan = parse_nan(text)) {
        if (!expected || !is_float_lane(*lanes))
          return std::unexpected("unexpected NaN pattern in v128 lane");
        out.lane_nan[i] = *nan;
        continue;
      }
      auto bits = parse_int_bits(text, lane_bits(*lanes));
      if (!bits) return std::unexpected("bad v128 lane \"" + text + "\"");
      set_lane_bits(v, *lanes, i, *bits);
    }
    out.value = Val::v128(v);
    return out;
  }

  if (!value_it->is_string()) return std::unexpected("value of type " + *type_text + " is not a string");
  const auto& text = value_it->get_ref<const std::string&>();

  switch (*type) {
    case ValType::kI32:
    case ValType::kI64: {
      auto bits = parse_int_bits(text, *type == ValType::kI32 ? 32 : 64);
      if (!bits) return std::unexpected("bad " + *type_text + " value \"" + text + "\"");
      out.value = *type == ValType::kI32 ? Val::i32(static_cast<int32_t>(*bits))
                                         : Val::i64(static_cast<int64_t>(*bits));
      return out;
    }
    case ValType::kF32:
    case ValType::kF64: {
      if (auto nan = parse_nan(text)) {
        if (!expected) return std::unexpected("NaN pattern \"" + text + "\" is not a value");
        out.match = ExpectedValue::Match::kNan;
        out.nan = *nan;
        out.value = Val::zero(*type);
        return out;
      }
      auto bits = parse_int_bits(text, *type == ValType::kF32 ? 32 : 64);
      if (!bits) return std::unexpected("bad " + *type_text + " value \"" + text + "\"");
      out.value = *type == ValType::kF32 ? Val::f32_bits(static_cast<uint32_t>(*bits)) : Val::f64_bits(*bits);
      return out;
    }
    case ValType::kExternRef: {
      if (text == "null") {
        out.value = Val::null_ref(ValType::kExternRef);
        return out;
      }
      auto n = parse_int_bits(text, 64);
      if (!n || *n == UINT64_MAX) return std::unexpected("bad externref value \"" + text + "\"");
      out.value = Val::externref(extern_token(*n));
      return out;
    }
    case ValType::kFuncRef: {
      if (text == "null") {
        out.value = Val::null_ref(ValType::kFuncRef);
        return out;
      }
      // A function given by index cannot be named from the host: as an expectation it means "some function".
      if (!expected || !parse_int_bits(text, 64))
        return std::unexpected("bad funcref value \"" + text + "\"");
      out.match = ExpectedValue::Match::kNonNullRef;
      out.value = Val::null_ref(ValType::kFuncRef);
      return out;
    }
    default:
      break;
  }
  return std::unexpected("unsupported value type \"" + *type_text + "\"");
}

}  // namespace

unsigned lane_count(LaneType t) {
  return 128 / lane_bits(t);
}

const char* lane_type_name(LaneType t) {
  switch (t) {
    case LaneType::kI8:
      return "i8";
    case LaneType::kI16:
      return "i16";
    case LaneType::kI32:
      return "i32";
    case LaneType::kI64:
      return "i64";
    case LaneType::kF32:
      return "f32";
    case LaneType::kF64:
      return "f64";
  }
  return "?";
}

std::optional<LaneType> parse_lane_type(std::string_view name) {
  if (name == "i8") return LaneType::kI8;
  if (name == "i16") return LaneType::kI16;
  if (name == "i32") return LaneType::kI32;
  if (name == "i64") return LaneType::kI64;
  if (name == "f32") return LaneType::kF32;
  if (name == "f64") return LaneType::kF64;
  return std::nullopt;
}

const char* type_name(ValType t) {
  switch (t) {
    case ValType::kI32:
      return "i32";
    case ValType::kI64:
      return "i64";
    case ValType::kF32:
      return "f32";
    case ValType::kF64:
      return "f64";
    case ValType::kV128:
      return "v128";
    case ValType::kFuncRef:
      return "funcref";
    case ValType::kExternRef:
      return "externref";
    case ValType::kExnRef:
      return "exnref";
    case ValType::kBottom:
      return "bottom";
  }
  return "?";
}

std::optional<ValType> parse_type_name(std::string_view name) {
  if (name == "i32") return ValType::kI32;
  if (name == "i64") return ValType::kI64;
  if (name == "f32") return ValType::kF32;
  if (name == "f64") return ValType::kF64;
  if (name == "v128") return ValType::kV128;
  if (name == "funcref") return ValType::kFuncRef;
  if (name == "externref") return ValType::kExternRef;
  if (name == "exnref") return ValType::kExnRef;
  return std::nullopt;
}

bool is_canonical_nan_f32(uint32_t bits) {
  return (bits & 0x7fffffffu) == 0x7fc00000u;
}
bool is_arithmetic_nan_f32(uint32_t bits) {
  return (bits & 0x7fc00000u) == 0x7fc00000u;
}
bool is_canonical_nan_f64(uint64_t bits) {
  return (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}
bool is_arithmetic_nan_f64(uint64_t bits) {
  return (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

bool nan_matches_f32(NanKind kind, uint32_t bits) {
  return kind == NanKind::kCanonical ? is_canonical_nan_f32(bits) : is_arithmetic_nan_f32(bits);
}
bool nan_matches_f64(NanKind kind, uint64_t bits) {
  return kind == NanKind::kCanonical ? is_canonical_nan_f64(bits) : is_arithmetic_nan_f64(bits);
}

std::optional<uint64_t> parse_int_bits(std::string_view text, unsigned bits) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude, 10);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  uint64_t mask = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  if (!negative) {
    if (magnitude > mask) return std::nullopt;
    return magnitude;
  }
  // Signed: the magnitude may reach 2^(bits-1).
  uint64_t limit = uint64_t{1} << (bits - 1);
  if (magnitude > limit) return std::nullopt;
  return (~magnitude + 1) & mask;
}

ParseResult<Val> parse_value(const json& j) {
  auto parsed = parse_any(j, /*expected=*/false);
  if (!parsed) return std::unexpected(parsed.error());
  return parsed->value;
}

ParseResult<std::vector<Val>> parse_values(const json& array) {
  if (!array.is_array()) return std::unexpected("value list is not an array");
  std::vector<Val> out;
  out.reserve(array.size());
  for (const json& j : array) {
    auto v = parse_value(j);
    if (!v) return std::unexpected(v.error());
    out.push_back(*v);
  }
  return out;
}

ParseResult<ExpectedValue> parse_expected(const json& j) {
  return parse_any(j, /*expected=*/true);
}

ParseResult<std::vector<ExpectedValue>> parse_expected_values(const json& array) {
  if (!array.is_array()) return std::unexpected("expected list is not an array");
  std::vector<ExpectedValue> out;
  out.reserve(array.size());
  for (const json& j : array) {
    auto v = parse_expected(j);
    if (!v) return std::unexpected(v.error());
    out.push_back(*v);
  }
  return out;
}

bool matches(const ExpectedValue& e, const Val& actual) {
  if (actual.type() != e.type) return false;
  using Match = ExpectedValue::Match;
  switch (e.match) {
    case Match::kAnyOfType:
      return true;
    case Match::kNonNullRef:
      return !actual.ref().is_null();
    case Match::kNan:
      return e.type == ValType::kF32 ? nan_matches_f32(e.nan, actual.f32_bits())
                                     : nan_matches_f64(e.nan, actual.f64_bits());
    case Match::kExact:
      break;
  }
  switch (e.type) {
    case ValType::kI32:
      return actual.i32() == e.value.i32();
    case ValType::kI64:
      return actual.i64() == e.value.i64();
    case ValType::kF32:
      return actual.f32_bits() == e.value.f32_bits();
    case ValType::kF64:
      return actual.f64_bits() == e.value.f64_bits();
    case ValType::kFuncRef:
    case ValType::kExternRef:
    case ValType::kExnRef:
      return actual.ref() == e.value.ref();
    case ValType::kV128: {
      LaneType lt = e.lanes.value_or(LaneType::kI32);
      V128 want = e.value.v128(), got = actual.v128();
      for (unsigned i = 0; i < lane_count(lt); ++i) {
        uint64_t g = get_lane_bits(got, lt, i);
        if (is_float_lane(lt) && e.lane_nan[i] != NanKind::kNone) {
          bool ok = lt == LaneType::kF32 ? nan_matches_f32(e.lane_nan[i], static_cast<uint32_t>(g))
                                         : nan_matches_f64(e.lane_nan[i], g);
          if (!ok) return false;
        } else if (g != get_lane_bits(want, lt, i)) {
          return false;
        }
      }
      return true;
    }
    case ValType::kBottom:
      break;
  }
  return false;
}

std::string format_value(const Val& v, std::optional<LaneType> lanes) {
  std::string out = std::string(type_name(v.type())) + ":";
  switch (v.type()) {
    case ValType::kI32: {
      uint32_t u = static_cast<uint32_t>(v.i32());
      out += std::to_string(u);
      if (v.i32() < 0) out += " (" + std::to_string(v.i32()) + ")";
      return out;
    }
    case ValType::kI64: {
      uint64_t u = static_cast<uint64_t>(v.i64());
      out += std::to_string(u);
      if (v.i64() < 0) out += " (" + std::to_string(v.i64()) + ")";
      return out;
    }
    case ValType::kF32:
      return out + format_f32_bits(v.f32_bits());
    case ValType::kF64:
      return out + format_f64_bits(v.f64_bits());
    case ValType::kV128: {
      LaneType lt = lanes.value_or(LaneType::kI32);
      out += std::string(lane_type_name(lt)) + "x" + std::to_string(lane_count(lt));
      V128 bits = v.v128();
      for (unsigned i = 0; i < lane_count(lt); ++i) out += " " + format_lane(lt, get_lane_bits(bits, lt, i));
      return out;
    }
    case ValType::kFuncRef:
      if (v.ref().is_null()) return out + "null";
      return out + "func " + hex(v.ref().bits, 1);
    case ValType::kExternRef:
      if (v.ref().is_null()) return out + "null";
      return out + "ref.extern " + std::to_string(v.ref().bits - 1);
    case ValType::kExnRef:
      return out + (v.ref().is_null() ? "null" : "exn");
    case ValType::kBottom:
      break;
  }
  return out + "?";
}

std::string format_expected(const ExpectedValue& e) {
  using Match = ExpectedValue::Match;
  std::string type = type_name(e.type);
  switch (e.match) {
    case Match::kAnyOfType:
      return type + ":<any>";
    case Match::kNonNullRef:
      return type + ":<non-null>";
    case Match::kNan:
      return type + ":" + nan_name(e.nan);
    case Match::kExact:
      break;
  }
  if (e.type != ValType::kV128) return format_value(e.value);
  LaneType lt = e.lanes.value_or(LaneType::kI32);
  std::string out = "v128:" + std::string(lane_type_name(lt)) + "x" + std::to_string(lane_count(lt));
  V128 bits = e.value.v128();
  for (unsigned i = 0; i < lane_count(lt); ++i) {
    if (is_float_lane(lt) && e.lane_nan[i] != NanKind::kNone) {
      out += std::string(" ") + nan_name(e.lane_nan[i]);
    } else {
      out += " " + format_lane(lt, get_lane_bits(bits, lt, i));
    }
  }
  return out;
}

std::string format_values(const std::vector<Val>& vs, const std::vector<ExpectedValue>* shape) {
  std::string out = "(";
  for (size_t i = 0; i < vs.size(); ++i) {
    if (i) out += ", ";
    std::optional<LaneType> lanes;
    if (shape && i < shape->size()) lanes = (*shape)[i].lanes;
    out += format_value(vs[i], lanes);
  }
  return out + ")";
}

std::string format_expected_values(const std::vector<ExpectedValue>& es) {
  std::string out = "(";
  for (size_t i = 0; i < es.size(); ++i) {
    if (i) out += ", ";
    out += format_expected(es[i]);
  }
  return out + ")";
}

}  // namespace airwasm::wast
