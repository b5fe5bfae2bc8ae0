// airwasm public API (components): Val, the dynamic value tree of the Component Model. Every value a
// component function takes or returns can be held in a Val: bool, s8..u64, f32/f64, char, string, list,
// record, tuple, variant, enum, option, result, flags, and own/borrow resource handles. Values carry
// their labels (record fields, variant/enum cases, flags), so a Val prints and compares without its type;
// the type is checked when the value is lowered into a component (a mismatch is a usage error).
// A map<K, V> is a list of (key, value) tuples, as the Canonical ABI despecializes it.
//
// Representation: 24 bytes (kind, a scalar, and one heap block for compound values), deep-copied on copy.
// Hosts that want no allocation use the typed API (airwasm/component/typed.hh) instead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "airwasm/component/resource.hh"

namespace airwasm::component {

enum class ValKind : uint8_t {
  kBool,
  kS8,
  kU8,
  kS16,
  kU16,
  kS32,
  kU32,
  kS64,
  kU64,
  kF32,
  kF64,
  kChar,
  kString,
  kList,
  kRecord,
  kTuple,
  kVariant,
  kEnum,
  kOption,
  kResult,
  kFlags,
  kOwn,
  kBorrow,
};
const char* val_kind_name(ValKind k);  // "bool", "u32", "record", "own", ...

class Val {
 public:
  Val() = default;  // bool false
  Val(const Val& other);
  Val& operator=(const Val& other);
  Val(Val&&) noexcept = default;
  Val& operator=(Val&&) noexcept = default;
  ~Val() = default;

  // ---- construction ----
  static Val boolean(bool v) { return scalar(ValKind::kBool, v ? 1 : 0); }
  static Val s8(int8_t v) { return scalar(ValKind::kS8, uint64_t(int64_t(v))); }
  static Val u8(uint8_t v) { return scalar(ValKind::kU8, v); }
  static Val s16(int16_t v) { return scalar(ValKind::kS16, uint64_t(int64_t(v))); }
  static Val u16(uint16_t v) { return scalar(ValKind::kU16, v); }
  static Val s32(int32_t v) { return scalar(ValKind::kS32, uint64_t(int64_t(v))); }
  static Val u32(uint32_t v) { return scalar(ValKind::kU32, v); }
  static Val s64(int64_t v) { return scalar(ValKind::kS64, uint64_t(v)); }
  static Val u64(uint64_t v) { return scalar(ValKind::kU64, v); }
  static Val f32(float v);
  static Val f64(double v);
  static Val f32_bits(uint32_t bits) { return scalar(ValKind::kF32, bits); }
  static Val f64_bits(uint64_t bits) { return scalar(ValKind::kF64, bits); }
  static Val character(char32_t c) { return scalar(ValKind::kChar, uint32_t(c)); }
  static Val string(std::string utf8);
  static Val list(std::vector<Val> items);
  // A list<u8> held packed, one byte per element: what the canonical ABI lifts every list<u8> into, and
  // the cheap way for a host to return bytes (a Val per byte costs 24 bytes and an allocation's share).
  // items() still works (it unpacks on first use, keeping the packed copy; being a change to the Val, that
  // first items() must not race with other uses of the same Val); bytes_view() reads it as is.
  static Val bytes(std::string data);
  static Val record(std::vector<std::pair<std::string, Val>> fields);
  static Val tuple(std::vector<Val> items);
  static Val variant(std::string case_name, std::optional<Val> payload = std::nullopt);
  static Val enumeration(std::string case_name);
  static Val option(std::optional<Val> value);
  static Val some(Val value) { return option(std::move(value)); }
  static Val none() { return option(std::nullopt); }
  static Val ok(std::optional<Val> value = std::nullopt);
  static Val err(std::optional<Val> value = std::nullopt);
  static Val flags(std::vector<std::string> set_flags);
  static Val resource(ResourceAny handle);  // kOwn or kBorrow, as the handle says

  // ---- inspection (calling the wrong accessor for the kind returns a zero value / empty span) ----
  ValKind kind() const { return kind_; }
  bool as_bool() const { return bits_ != 0; }
  int64_t as_signed() const { return int64_t(bits_); }  // s8..s64, sign-extended
  uint64_t as_unsigned() const { return bits_; }        // u8..u64, bool, char
  int8_t as_s8() const { return int8_t(bits_); }
  uint8_t as_u8() const { return uint8_t(bits_); }
  int16_t as_s16() const { return int16_t(bits_); }
  uint16_t as_u16() const { return uint16_t(bits_); }
  int32_t as_s32() const { return int32_t(bits_); }
  uint32_t as_u32() const { return uint32_t(bits_); }
  int64_t as_s64() const { return int64_t(bits_); }
  uint64_t as_u64() const { return bits_; }
  float as_f32() const;
  double as_f64() const;
  uint32_t f32_bits() const { return uint32_t(bits_); }
  uint64_t f64_bits() const { return bits_; }
  char32_t as_char() const { return char32_t(bits_); }
  const std::string& as_string() const;  // string; also the case name of variant and enum
  // list, tuple and record values; the payload of variant/option/result (0 or 1 element)
  std::span<const Val> items() const;
  std::span<Val> items_mut();  // unpacks a packed list<u8> for good (the caller may change elements)
  bool is_packed_bytes() const { return kind_ == ValKind::kList && bits_ != 0; }
  std::string_view bytes_view() const;  // a packed list<u8>'s bytes; empty for any other value
  // record field names (parallel to items()); the set flags of kFlags
  std::span<const std::string> names() const;
  const std::string& case_name() const { return as_string(); }  // variant, enum
  const Val* payload() const;                                   // variant/option/result payload, or null
  bool is_some() const { return kind_ == ValKind::kOption && bits_ != 0; }
  bool is_ok() const { return kind_ == ValKind::kResult && bits_ != 0; }
  const ResourceAny& as_resource() const;  // kOwn / kBorrow

  // Structural equality (floats compare by bits, except that any two NaNs are equal).
  bool operator==(const Val& other) const;
  // The value in WAVE syntax (the WebAssembly Value Encoding): 42, "text", 'c', [1, 2], {a: 1}, (1, 2),
  // case(payload), some(x), none, ok(x), err(e), {flag-a, flag-b}; resources as <own 3>/<borrow 3>.
  std::string to_string() const;

 private:
  struct Heap {
    std::string text;                // string; variant/enum case name
    std::vector<Val> items;          // list/tuple/record values; variant/option/result payload
    std::vector<std::string> names;  // record field names; flags
    ResourceAny resource;            // own / borrow
    std::string packed;              // a packed list<u8> (bits_ = 1); items mirrors it once unpacked
  };
  static Val scalar(ValKind k, uint64_t bits) {
    Val v;
    v.kind_ = k;
    v.bits_ = bits;
    return v;
  }
  Heap& heap();

  ValKind kind_ = ValKind::kBool;
  uint64_t bits_ = 0;  // scalars; option: is_some; result: is_ok; list: packed list<u8>
  std::unique_ptr<Heap> heap_;
};

}  // namespace airwasm::component
