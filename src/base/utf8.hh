// base: UTF-8 validation (names in modules and components must be valid UTF-8 scalar sequences),
// decoding and encoding of single scalars.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace airwasm::base {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, no code point above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes one scalar at s[i]; returns its length (1-4) and stores the code point, or returns 0 if malformed.
size_t decode_utf8(std::string_view s, size_t i, uint32_t* code_point);

// Appends the UTF-8 encoding of a Unicode scalar value (the caller has checked that `cp` is one).
void append_utf8(std::string& out, uint32_t cp);

}  // namespace airwasm::base
