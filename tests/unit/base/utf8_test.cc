// Unit tests for UTF-8 validation (the cases utf8-custom-section-id.wast and friends exercise).
#include "base/utf8.hh"

#include <gtest/gtest.h>

namespace airwasm::base {
namespace {

TEST(Utf8, AcceptsWellFormed) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xc2\xa2"));          // U+00A2
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));      // U+20AC
  EXPECT_TRUE(is_valid_utf8("\xf0\x90\x8d\x88"));  // U+10348
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Utf8, RejectsMalformed) {
  EXPECT_FALSE(is_valid_utf8("\x80"));                  // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));              // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\x80"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));          // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xf8\x88\x80\x80\x80"));  // 5-byte form
}

}  // namespace
}  // namespace airwasm::base
