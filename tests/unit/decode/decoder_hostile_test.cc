// Unit tests for decode_module on hostile input: absurd counts must fail fast without reserving memory
// for them, and truncated or corrupted modules must give an error value, never a crash or a hang.
#include <gtest/gtest.h>

#include <chrono>

#include "decode/decoder.hh"
#include "wasm_builder.hh"

namespace airwasm {
namespace {

using namespace test;

Result<std::unique_ptr<wasm::Module>> decode(const Bytes& b) {
  return decode::decode_module(b, {});
}

// A module that touches every section kind, for truncation and mutation sweeps.
Bytes rich_module() {
  const Bytes names = cat({Bytes{0x01}, uleb(7), vec({cat({uleb(0), name("main")})})});
  return module({
      section(1, vec({functype({0x7f}, {0x7f}), functype({}, {})})),
      section(2, vec({cat({name("env"), name("g"), Bytes{0x03, 0x7f, 0x00}})})),
      section(3, vec({uleb(0), uleb(1)})),
      section(4, vec({Bytes{0x70, 0x01, 0x02, 0x02}})),
      section(5, vec({Bytes{0x01, 0x01, 0x02}})),
      section(6, vec({cat({Bytes{0x7f, 0x01}, expr({0x23, 0x00})})})),
      section(7, vec({cat({name("main"), Bytes{0x00, 0x00}}), cat({name("mem"), Bytes{0x02, 0x00}})})),
      section(8, uleb(1)),
      section(9, vec({cat({uleb(0), expr(i32_const(0)), vec({uleb(0), uleb(1)})}),
                      cat({uleb(5), Bytes{0x70}, vec({expr({0xd2, 0x00})})})})),
      section(12, uleb(2)),
      section(10,
              vec({body(cat({uleb(1), uleb(2), Bytes{0x7e}}), {0x20, 0x00, 0x0b}), body(uleb(0), {0x0b})})),
      section(11, vec({cat({uleb(0), expr(i32_const(8)), name("hello")}), cat({uleb(1), name("p")})})),
      section(0, cat({name("name"), names})),
  });
}

TEST(DecoderHostile, RichModuleDecodes) {
  auto m = decode(rich_module());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ((*m)->codes.size(), 2u);
  EXPECT_EQ((*m)->names.function_names.at(0), "main");
}

// For each vector-bearing section, a count of 2^32-1 followed by a few bytes must fail with an error, not
// attempt to reserve billions of entries (that would throw bad_alloc or take the machine's memory).
TEST(DecoderHostile, HugeCountsFailFast) {
  const Bytes huge = uleb(0xffffffff);
  const uint8_t ids[] = {1, 2, 3, 4, 5, 6, 7, 9, 10, 11};
  const auto start = std::chrono::steady_clock::now();
  for (uint8_t id : ids) {
    auto m = decode(module({section(id, cat({huge, Bytes{0x00, 0x00}}))}));
    EXPECT_FALSE(m) << "section " << int(id);
  }
  const Bytes type = section(1, vec({functype({}, {})}));
  const Bytes func = section(3, vec({uleb(0)}));
  // Inner vectors: parameters, element items (indices and expressions), local declarations, br_table.
  EXPECT_FALSE(decode(module({section(1, cat({uleb(1), Bytes{0x60}, huge}))})));
  EXPECT_FALSE(decode(module({section(9, cat({uleb(1), uleb(0), expr(i32_const(0)), huge}))})));
  EXPECT_FALSE(decode(module({section(9, cat({uleb(1), uleb(5), Bytes{0x70}, huge}))})));
  EXPECT_FALSE(decode(module({type, func, section(10, vec({body(huge, {0x0b})}))})));
  // Name section with a huge map: dropped, the module still decodes.
  auto m = decode(module({section(0, cat({name("name"), Bytes{0x01}, uleb(5), huge}))}));
  ASSERT_TRUE(m);
  EXPECT_TRUE((*m)->names.function_names.empty());
  // Huge sizes: section, body, data segment, name.
  EXPECT_FALSE(decode(module({cat({Bytes{0x01}, huge})})));
  EXPECT_FALSE(decode(module({type, func, section(10, cat({uleb(1), huge, Bytes{0x00, 0x0b}}))})));
  EXPECT_FALSE(decode(module({section(11, cat({uleb(1), uleb(1), huge, Bytes{0x00}}))})));
  EXPECT_FALSE(decode(module({section(7, cat({uleb(1), huge, Bytes{0x00}}))})));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

// Every strict prefix of a module is decoded without crashing; most are errors.
TEST(DecoderHostile, Truncations) {
  const Bytes full = rich_module();
  size_t decoded = 0;
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes prefix(full.begin(), full.begin() + n);
    if (decode(prefix)) ++decoded;
  }
  // Only section boundaries where the module is complete decode: the bare header, header + types,
  // + imports (no functions declared yet), and everything but the trailing name section.
  EXPECT_EQ(decoded, 4u);
}

// Every byte replaced by a handful of interesting values: an error or a module, never a crash.
TEST(DecoderHostile, Mutations) {
  const Bytes full = rich_module();
  const uint8_t values[] = {0x00, 0x01, 0x0b, 0x7f, 0x80, 0xff};
  size_t failures = 0;
  for (size_t i = 8; i < full.size(); ++i) {
    for (uint8_t v : values) {
      if (full[i] == v) continue;
      Bytes mutated = full;
      mutated[i] = v;
      auto m = decode(mutated);
      if (!m) {
        ++failures;
        EXPECT_EQ(m.error().kind, ErrorKind::kMalformed);
        EXPECT_LE(m.error().offset, mutated.size());
      }
    }
  }
  EXPECT_GT(failures, 0u);
}

}  // namespace
}  // namespace airwasm
