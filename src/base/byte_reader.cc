// base: the slow paths of LEB128 decoding (multi-byte encodings and their error cases).
#include "base/byte_reader.hh"

#include "base/utf8.hh"

namespace airwasm::base {

Result<uint64_t> ByteReader::uleb(unsigned bits) {
  const size_t start = offset();
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    if (pos_ == end_) return eof_error();
    const uint8_t byte = *pos_++;
    const unsigned shift = i * 7;
    if (i == max_bytes - 1) {
      // Last permitted byte: no continuation, and the bits above `bits` must be zero.
      if (byte & 0x80) return malformed("integer representation too long", start);
      const unsigned used = bits - shift;  // bits of this byte that belong to the value
      if (used < 7 && (byte >> used) != 0) return malformed("integer too large", start);
      result |= uint64_t(byte & 0x7f) << shift;
      return result;
    }
    result |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return result;
  }
}

Result<int64_t> ByteReader::sleb(unsigned bits) {
  const size_t start = offset();
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    if (pos_ == end_) return eof_error();
    const uint8_t byte = *pos_++;
    const unsigned shift = i * 7;
    if (i == max_bytes - 1) {
      if (byte & 0x80) return malformed("integer representation too long", start);
      const unsigned used = bits - shift;  // value bits held by this byte, the highest is the sign
      if (used < 7) {
        // The unused high bits must all equal the sign bit.
        const int sign_and_rest =
            int8_t(uint8_t(byte << 1)) >> used;  // bits 6..used-1 of byte, sign-extended
        const bool sign = (byte >> (used - 1)) & 1;
        if (sign_and_rest != (sign ? -1 : 0)) return malformed("integer too large", start);
      }
      result |= uint64_t(byte & 0x7f) << shift;
      const unsigned total = shift + 7;
      if (total < 64) result = uint64_t(int64_t(result << (64 - total)) >> (64 - total));
      return int64_t(result);
    }
    result |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      const unsigned total = shift + 7;
      if (total < 64) result = uint64_t(int64_t(result << (64 - total)) >> (64 - total));
      return int64_t(result);
    }
  }
}

Result<std::string_view> ByteReader::name(const char* len_message) {
  AIRWASM_TRY_ASSIGN(uint32_t len, u32());
  AIRWASM_TRY_ASSIGN(auto b, bytes(len, len_message));
  std::string_view s(reinterpret_cast<const char*>(b.data()), b.size());
  if (!is_valid_utf8(s)) return malformed("malformed UTF-8 encoding", offset() - len);
  return s;
}

}  // namespace airwasm::base
