// base: a bounds-checked cursor over bytes with LEB128 decoding.
// Every read is checked; failures are Error values with the byte offset and the spec tests' wording:
// "unexpected end", "integer representation too long", "integer too large". The fast paths (one-byte
// LEB128) are inline because the function-body lowering reads millions of immediates per second.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "base/result.hh"

namespace airwasm::base {

class ByteReader {
 public:
  ByteReader() = default;
  // `base_offset` is the offset of data[0] within the whole binary, so errors report absolute offsets.
  ByteReader(std::span<const uint8_t> data, size_t base_offset = 0,
             const char* eof_message = "unexpected end")
      : begin_(data.data()),
        pos_(data.data()),
        end_(data.data() + data.size()),
        base_(base_offset),
        eof_message_(eof_message) {}

  size_t offset() const { return base_ + size_t(pos_ - begin_); }  // absolute offset of the cursor
  size_t remaining() const { return size_t(end_ - pos_); }
  bool at_end() const { return pos_ == end_; }
  const uint8_t* position() const { return pos_; }
  const uint8_t* data_begin() const { return begin_; }
  size_t base_offset() const { return base_; }
  const char* eof_message() const { return eof_message_; }
  void set_eof_message(const char* message) { eof_message_ = message; }

  std::unexpected<Error> eof_error() const { return malformed(eof_message_, offset()); }

  Result<uint8_t> u8() {
    if (pos_ == end_) [[unlikely]]
      return eof_error();
    return *pos_++;
  }
  Result<uint8_t> peek_u8() const {
    if (pos_ == end_) [[unlikely]]
      return eof_error();
    return *pos_;
  }

  Result<uint32_t> u32_fixed() {
    if (remaining() < 4) [[unlikely]]
      return eof_error();
    uint32_t v;
    std::memcpy(&v, pos_, 4);
    pos_ += 4;
    return v;
  }
  Result<uint64_t> u64_fixed() {
    if (remaining() < 8) [[unlikely]]
      return eof_error();
    uint64_t v;
    std::memcpy(&v, pos_, 8);
    pos_ += 8;
    return v;
  }

  // Reads n raw bytes. `len_message` is the error when n exceeds what is left.
  Result<std::span<const uint8_t>> bytes(size_t n, const char* len_message = nullptr) {
    if (remaining() < n) [[unlikely]]
      return malformed(len_message ? len_message : eof_message_, offset());
    std::span<const uint8_t> s(pos_, n);
    pos_ += n;
    return s;
  }
  Result<void> skip(size_t n) {
    if (remaining() < n) [[unlikely]]
      return eof_error();
    pos_ += n;
    return {};
  }

  Result<uint32_t> u32() {
    if (pos_ != end_ && *pos_ < 0x80) [[likely]]
      return *pos_++;
    return u32_slow();
  }
  Result<int32_t> s32() {
    if (pos_ != end_ && *pos_ < 0x40) [[likely]]
      return int32_t(*pos_++);
    return s32_slow();
  }
  Result<uint64_t> u64() { return uleb(64); }
  Result<int64_t> s64() { return sleb(64); }
  // Signed 33-bit LEB128 (block types): returns the value sign-extended to 64 bits.
  Result<int64_t> s33() { return sleb(33); }

  // A vector length or similar count; `len_message` is reported if the count could not fit.
  Result<std::string_view> name(const char* len_message = "length out of bounds");

 private:
  Result<uint32_t> u32_slow() {
    AIRWASM_TRY_ASSIGN(uint64_t v, uleb(32));
    return uint32_t(v);
  }
  Result<int32_t> s32_slow() {
    AIRWASM_TRY_ASSIGN(int64_t v, sleb(32));
    return int32_t(v);
  }
  Result<uint64_t> uleb(unsigned bits);
  Result<int64_t> sleb(unsigned bits);

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t base_ = 0;
  const char* eof_message_ = "unexpected end";
};

}  // namespace airwasm::base
