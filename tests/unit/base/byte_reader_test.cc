// Unit tests for LEB128 decoding: values and the spec's malformed cases (binary-leb128.wast shapes).
#include "base/byte_reader.hh"

#include <gtest/gtest.h>

#include <vector>

namespace airwasm::base {
namespace {

Result<uint32_t> u32_of(std::vector<uint8_t> bytes) {
  ByteReader r(bytes);
  return r.u32();
}
Result<int32_t> s32_of(std::vector<uint8_t> bytes) {
  ByteReader r(bytes);
  return r.s32();
}
Result<int64_t> s64_of(std::vector<uint8_t> bytes) {
  ByteReader r(bytes);
  return r.s64();
}

TEST(ByteReader, UnsignedValues) {
  EXPECT_EQ(*u32_of({0x00}), 0u);
  EXPECT_EQ(*u32_of({0xe5, 0x8e, 0x26}), 624485u);
  EXPECT_EQ(*u32_of({0x80, 0x80, 0x80, 0x80, 0x00}), 0u);  // padded zero is allowed
  EXPECT_EQ(*u32_of({0xff, 0xff, 0xff, 0xff, 0x0f}), 0xffffffffu);
}

TEST(ByteReader, UnsignedErrors) {
  EXPECT_EQ(u32_of({0xff, 0xff, 0xff, 0xff, 0x1f}).error().message, "integer too large");
  EXPECT_EQ(u32_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}).error().message, "integer representation too long");
  EXPECT_EQ(u32_of({0x80}).error().message, "unexpected end");
}

TEST(ByteReader, SignedValues) {
  EXPECT_EQ(*s32_of({0x7f}), -1);
  EXPECT_EQ(*s32_of({0xc0, 0xbb, 0x78}), -123456);
  EXPECT_EQ(*s32_of({0xff, 0xff, 0xff, 0xff, 0x07}), 0x7fffffff);
  EXPECT_EQ(*s32_of({0x80, 0x80, 0x80, 0x80, 0x78}), int32_t(0x80000000));
  EXPECT_EQ(*s64_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}), INT64_MIN);
}

TEST(ByteReader, SignedErrors) {
  // Unused bits must be a sign extension of bit 31.
  EXPECT_EQ(s32_of({0xff, 0xff, 0xff, 0xff, 0x0f}).error().message, "integer too large");
  EXPECT_EQ(s32_of({0x80, 0x80, 0x80, 0x80, 0x70}).error().message, "integer too large");
  EXPECT_EQ(s64_of({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}).error().message,
            "integer too large");
  EXPECT_EQ(s32_of({0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}).error().message, "integer representation too long");
}

TEST(ByteReader, OffsetsAreAbsolute) {
  std::vector<uint8_t> bytes = {0x80, 0x80};
  ByteReader r(bytes, 100);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().offset, 102u);
}

}  // namespace
}  // namespace airwasm::base
