// canon: strings in the three canonical encodings (utf8, utf16, latin1+utf16). Lifting decodes guest bytes
// into UTF-8 text with the spec's checks (length limit, alignment, bounds, well-formedness); lowering
// follows definitions.py's store_string_into_range path by path: the same realloc calls with the same
// arguments in the same order, the same checks of their results, and the same bytes written, so that a
// guest observes exactly the reference behaviour (including the in-place latin1 -> UTF-16 widening).
//
// Host text is UTF-8 and is validated before anything is written; guest memory is only touched through
// the bounds-checked helpers of codec.hh, with the memory size re-read after every realloc.
#include <vector>

#include "base/utf8.hh"
#include "canon/codec.hh"

namespace airwasm::canon {

using namespace detail;

namespace {

constexpr uint32_t kUtf16Tag = uint32_t(1) << 31;
constexpr uint64_t kMaxStringByteLength = (uint64_t(1) << 28) - 1;

using base::append_utf8;

// Validates guest UTF-8 with the error classes of Rust's str::from_utf8, whose Display texts the official
// tests expect ("invalid utf-8 sequence of 1 bytes from index 0", "incomplete utf-8 byte sequence from
// index 0"). Python's strict decoder (definitions.py) accepts exactly the same byte strings.
TrapResult<void> check_utf8(const uint8_t* p, uint64_t n) {
  auto invalid = [](uint64_t at, unsigned len) {
    return trap(TrapCode::kInvalidEncoding, "invalid utf-8 sequence of " + std::to_string(len) +
                                                " bytes from index " + std::to_string(at));
  };
  auto incomplete = [](uint64_t at) {
    return trap(TrapCode::kInvalidEncoding,
                "incomplete utf-8 byte sequence from index " + std::to_string(at));
  };
  auto cont = [](uint8_t b) { return (b & 0xc0) == 0x80; };
  uint64_t i = 0;
  while (i < n) {
    // ASCII runs, eight bytes at a time: the common case of program text.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    const uint8_t b0 = p[i];
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    unsigned width = b0 >= 0xc2 && b0 <= 0xdf   ? 2
                     : b0 >= 0xe0 && b0 <= 0xef ? 3
                     : b0 >= 0xf0 && b0 <= 0xf4 ? 4
                                                : 0;
    if (width == 0) return invalid(i, 1);
    // The second byte's range depends on the first (no overlongs, no surrogates, nothing past U+10FFFF).
    uint8_t lo = 0x80, hi = 0xbf;
    if (b0 == 0xe0) lo = 0xa0;
    if (b0 == 0xed) hi = 0x9f;
    if (b0 == 0xf0) lo = 0x90;
    if (b0 == 0xf4) hi = 0x8f;
    if (i + 1 >= n) return incomplete(i);
    if (p[i + 1] < lo || p[i + 1] > hi) return invalid(i, 1);
    for (unsigned k = 2; k < width; ++k) {
      if (i + k >= n) return incomplete(i);
      if (!cont(p[i + k])) return invalid(i, k);
    }
    i += width;
  }
  return {};
}

TrapResult<std::string> decode_utf16(const uint8_t* p, uint64_t units) {
  std::string out;
  out.reserve(units);
  for (uint64_t i = 0; i < units; ++i) {
    uint32_t u = uint32_t(p[2 * i]) | uint32_t(p[2 * i + 1]) << 8;
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < units) {
      uint32_t lo = uint32_t(p[2 * i + 2]) | uint32_t(p[2 * i + 3]) << 8;
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        append_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
        ++i;
        continue;
      }
    }
    if (u >= 0xd800 && u <= 0xdfff) {
      return trap(TrapCode::kInvalidEncoding, "invalid utf-16: lone surrogate found");
    }
    append_utf8(out, u);
  }
  return out;
}

}  // namespace

TrapResult<LiftedString> load_string_from_range(Context& cx, uint32_t ptr, uint32_t tagged_code_units) {
  LiftedString r;
  r.source.encoding = cx.encoding;
  uint64_t alignment = 1, byte_length = tagged_code_units;
  enum { kUtf8, kUtf16, kLatin1 } form = kUtf8;
  switch (cx.encoding) {
    case StringEncoding::kUtf8:
      break;
    case StringEncoding::kUtf16:
      alignment = 2, byte_length = 2 * uint64_t(tagged_code_units), form = kUtf16;
      break;
    case StringEncoding::kLatin1Utf16:
      alignment = 2;
      if (tagged_code_units & kUtf16Tag) {
        byte_length = 2 * uint64_t(tagged_code_units ^ kUtf16Tag), form = kUtf16;
        r.source.tagged_utf16 = true;
      } else {
        form = kLatin1;
      }
      break;
  }
  if (byte_length > kMaxStringByteLength) {
    return trap(TrapCode::kStringOutOfBounds,
                "string byte length " + std::to_string(byte_length) + " exceeds the maximum of 2^28 - 1");
  }
  if (!aligned(ptr, alignment)) return trap(TrapCode::kUnalignedPointer, "unaligned pointer");
  if (!in_bounds(cx, ptr, byte_length)) {
    return trap(TrapCode::kStringOutOfBounds,
                cx.fused ? "string content out-of-bounds" : "string pointer/length out of bounds of memory");
  }
  const uint8_t* p = cx.memory.base + ptr;
  switch (form) {
    case kUtf8: {
      AIRWASM_TRY(check_utf8(p, byte_length));
      r.text.assign(reinterpret_cast<const char*>(p), byte_length);
      break;
    }
    case kUtf16: {
      AIRWASM_TRY_ASSIGN(r.text, decode_utf16(p, byte_length / 2));
      break;
    }
    case kLatin1:
      r.text.reserve(byte_length);
      for (uint64_t i = 0; i < byte_length; ++i) append_utf8(r.text, p[i]);
      break;
  }
  return r;
}

TrapResult<uint32_t> detail::checked_realloc(Context& cx, uint32_t old_ptr, uint32_t old_size, uint32_t align,
                                             uint64_t new_size, Allocation what, bool check_align) {
  if (new_size > UINT32_MAX)
    return host_error("allocation of " + std::to_string(new_size) + " bytes is too large");
  AIRWASM_TRY_ASSIGN(uint32_t ptr, cx.realloc(old_ptr, old_size, align, uint32_t(new_size)));
  if (check_align && !aligned(ptr, align)) {
    return trap(TrapCode::kUnalignedPointer,
                cx.fused ? "unaligned pointer" : "realloc return: result not aligned");
  }
  if (!in_bounds(cx, ptr, new_size)) {
    if (!cx.fused) return trap(TrapCode::kMemoryOutOfBounds, "realloc return: beyond end of memory");
    switch (what) {
      case Allocation::kString:
        return trap(TrapCode::kStringOutOfBounds, "string content out-of-bounds");
      case Allocation::kList:
        return trap(TrapCode::kListOutOfBounds, "list content out-of-bounds");
      case Allocation::kTuple:
        return trap(TrapCode::kMemoryOutOfBounds, "pointer out of bounds of memory");
    }
  }
  return ptr;
}

namespace {

// One lowering of a host string: its code points and encodings are computed once, then written along the
// path definitions.py takes for (destination encoding, source encoding).
class StringLowering {
 public:
  StringLowering(Context& cx, std::string_view utf8) : cx_(cx), utf8_(utf8) {}

  TrapResult<StoredString> run(StringSource src) {
    if (utf8_.size() >= kUtf16Tag)
      return host_error("string of " + std::to_string(utf8_.size()) + " bytes is too long");
    if (!check_utf8(reinterpret_cast<const uint8_t*>(utf8_.data()), utf8_.size())) {
      return host_error("type mismatch: string is not valid UTF-8");
    }
    // The common case, UTF-8 into UTF-8, is one exact allocation and a copy: no code points needed.
    if (src.encoding == StringEncoding::kUtf8 && cx_.encoding == StringEncoding::kUtf8) {
      return copy(utf8_.size(), 1, 1);
    }
    for (size_t i = 0; i < utf8_.size();) {
      uint32_t cp = 0;
      i += base::decode_utf8(utf8_, i, &cp);
      cps_.push_back(cp);
      utf16_units_ += cp >= 0x10000 ? 2 : 1;
    }
    // The source's "simple" encoding and its code-unit count, as store_string_into_range derives them.
    enum { kUtf8, kUtf16, kLatin1 } simple = kUtf8;
    uint64_t units = utf8_.size();
    if (src.encoding == StringEncoding::kUtf16 ||
        (src.encoding == StringEncoding::kLatin1Utf16 && src.tagged_utf16)) {
      simple = kUtf16, units = utf16_units_;
    } else if (src.encoding == StringEncoding::kLatin1Utf16) {
      for (uint32_t cp : cps_) {
        if (cp >= 0x100)
          return host_error("type mismatch: a latin1 source string holds a character above U+00FF");
      }
      simple = kLatin1, units = cps_.size();
    }
    switch (cx_.encoding) {
      case StringEncoding::kUtf8:
        if (simple == kUtf8) return copy(units, 1, 1);
        return to_utf8(units, simple == kUtf16 ? 3 * units : 2 * units);
      case StringEncoding::kUtf16:
        if (simple == kUtf8) return utf8_to_utf16(units);
        return copy(units, 2, 2);
      case StringEncoding::kLatin1Utf16:
        if (src.encoding != StringEncoding::kLatin1Utf16) return to_latin1_or_utf16(units);
        if (simple == kLatin1) return copy(units, 1, 2);
        return probably_utf16_to_latin1_or_utf16(units);
    }
    return host_error("unknown string encoding");
  }

 private:
  std::vector<uint8_t> utf16le() const {
    std::vector<uint8_t> out;
    out.reserve(2 * utf16_units_);
    auto unit = [&](uint32_t u) {
      out.push_back(uint8_t(u));
      out.push_back(uint8_t(u >> 8));
    };
    for (uint32_t cp : cps_) {
      if (cp >= 0x10000) {
        unit(0xd800 + ((cp - 0x10000) >> 10));
        unit(0xdc00 + ((cp - 0x10000) & 0x3ff));
      } else {
        unit(cp);
      }
    }
    return out;
  }
  TrapResult<uint32_t> realloc(uint32_t old_ptr, uint64_t old_size, uint32_t align, uint64_t new_size,
                               bool check_align = true) {
    return checked_realloc(cx_, old_ptr, uint32_t(old_size), align, new_size, Allocation::kString,
                           check_align);
  }

  // store_string_copy: the destination holds the same code units (utf8 -> utf8, utf16/latin1 -> utf16,
  // latin1 -> latin1+utf16's latin1 form).
  TrapResult<StoredString> copy(uint64_t units, unsigned unit_size, uint32_t align) {
    const uint64_t byte_length = unit_size * units;
    AIRWASM_TRY_ASSIGN(uint32_t ptr, realloc(0, 0, align, byte_length));
    if (cx_.encoding == StringEncoding::kUtf8) {
      AIRWASM_TRY(write_bytes(cx_, ptr, utf8_.data(), utf8_.size()));
    } else if (unit_size == 2) {
      std::vector<uint8_t> enc = utf16le();
      AIRWASM_TRY(write_bytes(cx_, ptr, enc.data(), enc.size()));
    } else {
      std::vector<uint8_t> latin1(cps_.begin(), cps_.end());
      AIRWASM_TRY(write_bytes(cx_, ptr, latin1.data(), latin1.size()));
    }
    return StoredString{ptr, uint32_t(units)};
  }

  // store_string_to_utf8: optimistically one byte per source code unit, grown to the worst case at the
  // first non-ASCII character, then shrunk to the encoded size.
  TrapResult<StoredString> to_utf8(uint64_t units, uint64_t worst_case_size) {
    AIRWASM_TRY_ASSIGN(uint32_t ptr, realloc(0, 0, 1, units, false));
    for (size_t i = 0; i < cps_.size(); ++i) {
      if (cps_[i] < 0x80) {
        AIRWASM_TRY(write_uint(cx_, uint64_t(ptr) + i, cps_[i], 1));
        continue;
      }
      AIRWASM_TRY_ASSIGN(ptr, realloc(ptr, units, 1, worst_case_size, false));
      // Every earlier character was ASCII, so code point i starts at byte i of the UTF-8 text.
      AIRWASM_TRY(write_bytes(cx_, uint64_t(ptr) + i, utf8_.data() + i, utf8_.size() - i));
      if (worst_case_size > utf8_.size()) {
        AIRWASM_TRY_ASSIGN(ptr, realloc(ptr, worst_case_size, 1, utf8_.size(), false));
      }
      return StoredString{ptr, uint32_t(utf8_.size())};
    }
    return StoredString{ptr, uint32_t(units)};
  }

  // store_utf8_to_utf16: worst case of two bytes per UTF-8 byte, then shrunk.
  TrapResult<StoredString> utf8_to_utf16(uint64_t units) {
    const uint64_t worst_case_size = 2 * units;
    AIRWASM_TRY_ASSIGN(uint32_t ptr, realloc(0, 0, 2, worst_case_size));
    std::vector<uint8_t> enc = utf16le();
    AIRWASM_TRY(write_bytes(cx_, ptr, enc.data(), enc.size()));
    if (enc.size() < worst_case_size) {
      AIRWASM_TRY_ASSIGN(ptr, realloc(ptr, worst_case_size, 2, enc.size()));
    }
    return StoredString{ptr, uint32_t(enc.size() / 2)};
  }

  // store_string_to_latin1_or_utf16: latin1 until the first character above U+00FF, then the bytes
  // written so far are widened in place to UTF-16 and the rest appended, with the UTF-16 tag.
  TrapResult<StoredString> to_latin1_or_utf16(uint64_t units) {
    AIRWASM_TRY_ASSIGN(uint32_t ptr, realloc(0, 0, 2, units));
    uint64_t dst_byte_length = 0;
    for (uint32_t cp : cps_) {
      if (cp < 0x100) {
        AIRWASM_TRY(write_uint(cx_, uint64_t(ptr) + dst_byte_length, cp, 1));
        ++dst_byte_length;
        continue;
      }
      const uint64_t worst_case_size = 2 * units;
      AIRWASM_TRY_ASSIGN(ptr, realloc(ptr, units, 2, worst_case_size));
      for (uint64_t j = dst_byte_length; j-- > 0;) {
        AIRWASM_TRY_ASSIGN(uint64_t b, read_uint(cx_, uint64_t(ptr) + j, 1));
        AIRWASM_TRY(write_uint(cx_, uint64_t(ptr) + 2 * j, b, 1));
        AIRWASM_TRY(write_uint(cx_, uint64_t(ptr) + 2 * j + 1, 0, 1));
      }
      std::vector<uint8_t> enc = utf16le();
      AIRWASM_TRY(write_bytes(cx_, uint64_t(ptr) + 2 * dst_byte_length, enc.data() + 2 * dst_byte_length,
                              enc.size() - 2 * dst_byte_length));
      if (worst_case_size > enc.size()) {
        AIRWASM_TRY_ASSIGN(ptr, realloc(ptr, worst_case_size, 2, enc.size()));
      }
      return StoredString{ptr, uint32_t(enc.size() / 2) | kUtf16Tag};
    }
    if (dst_byte_length < units) {
      AIRWASM_TRY_ASSIGN(ptr, realloc(ptr, units, 2, dst_byte_length));
    }
    return StoredString{ptr, uint32_t(dst_byte_length)};
  }

  // store_probably_utf16_to_latin1_or_utf16: a tagged UTF-16 source is copied as UTF-16, and narrowed in
  // place to latin1 (then shrunk) when every character fits.
  TrapResult<StoredString> probably_utf16_to_latin1_or_utf16(uint64_t units) {
    const uint64_t src_byte_length = 2 * units;
    AIRWASM_TRY_ASSIGN(uint32_t ptr, realloc(0, 0, 2, src_byte_length));
    std::vector<uint8_t> enc = utf16le();
    AIRWASM_TRY(write_bytes(cx_, ptr, enc.data(), enc.size()));
    for (uint32_t cp : cps_) {
      if (cp >= 0x100) return StoredString{ptr, uint32_t(enc.size() / 2) | kUtf16Tag};
    }
    const uint64_t latin1_size = enc.size() / 2;
    for (uint64_t i = 0; i < latin1_size; ++i) {
      AIRWASM_TRY_ASSIGN(uint64_t b, read_uint(cx_, uint64_t(ptr) + 2 * i, 1));
      AIRWASM_TRY(write_uint(cx_, uint64_t(ptr) + i, b, 1));
    }
    AIRWASM_TRY_ASSIGN(ptr, realloc(ptr, src_byte_length, 1, latin1_size, false));
    return StoredString{ptr, uint32_t(latin1_size)};
  }

  Context& cx_;
  std::string_view utf8_;
  std::vector<uint32_t> cps_;
  uint64_t utf16_units_ = 0;
};

}  // namespace

TrapResult<StoredString> store_string_into_range(Context& cx, std::string_view utf8, StringSource source) {
  return StringLowering(cx, utf8).run(source);
}

}  // namespace airwasm::canon
