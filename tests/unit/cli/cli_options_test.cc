// Unit tests of the CLI's duration and size parsing (tools/cli_options.cc).
#include "cli_options.hh"

#include <gtest/gtest.h>

namespace airwasm::cli {
namespace {

using namespace std::chrono_literals;

TEST(CliOptions, Durations) {
  EXPECT_EQ(parse_duration("200ms"), std::chrono::nanoseconds(200ms));
  EXPECT_EQ(parse_duration("2s"), std::chrono::nanoseconds(2s));
  EXPECT_EQ(parse_duration("2"), std::chrono::nanoseconds(2s));
  EXPECT_EQ(parse_duration("1m"), std::chrono::nanoseconds(60s));
  EXPECT_EQ(parse_duration("1h"), std::chrono::nanoseconds(3600s));
  EXPECT_EQ(parse_duration("5us"), std::chrono::nanoseconds(5us));
  EXPECT_EQ(parse_duration("7NS"), std::chrono::nanoseconds(7));
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("ms"));
  EXPECT_FALSE(parse_duration("5q"));
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_FALSE(parse_duration("99999999999999999999h"));
  EXPECT_FALSE(parse_duration("9999999999h"));  // overflows int64 nanoseconds
}

TEST(CliOptions, Sizes) {
  EXPECT_EQ(parse_size("65536"), 65536u);
  EXPECT_EQ(parse_size("64KiB"), 65536u);
  EXPECT_EQ(parse_size("64k"), 65536u);
  EXPECT_EQ(parse_size("16MiB"), 16u << 20);
  EXPECT_EQ(parse_size("1GiB"), 1u << 30);
  EXPECT_EQ(parse_size("3B"), 3u);
  EXPECT_FALSE(parse_size("12XB"));
  EXPECT_FALSE(parse_size("KiB"));
  EXPECT_FALSE(parse_size("99999999999999GiB"));
}

TEST(CliOptions, OptionValues) {
  char a0[] = "run", a1[] = "--fuel", a2[] = "10", a3[] = "--dir=x::y", a4[] = "--env";
  char* argv[] = {a0, a1, a2, a3, a4, nullptr};
  int i = 1;
  std::string_view v;
  bool missing = false;
  EXPECT_TRUE(option_value(5, argv, i, "--fuel", v, missing));
  EXPECT_EQ(v, "10");
  EXPECT_EQ(i, 2);
  i = 3;
  EXPECT_FALSE(option_value(5, argv, i, "--fuel", v, missing));
  EXPECT_TRUE(option_value(5, argv, i, "--dir", v, missing));
  EXPECT_EQ(v, "x::y");
  i = 4;
  EXPECT_TRUE(option_value(5, argv, i, "--env", v, missing));
  EXPECT_TRUE(missing);
}

}  // namespace
}  // namespace airwasm::cli
