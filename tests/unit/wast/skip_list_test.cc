// Unit tests for the skip list: the built-in rules and the glob matcher.
#include "wast/skip_list.hh"

#include <gtest/gtest.h>

namespace airwasm::wast {
namespace {

TEST(WastSkipList, SkipsOnlyTextModules) {
  EXPECT_TRUE(find_skip("assert_malformed", "text", "i32.json"));
  EXPECT_TRUE(find_skip("assert_invalid", "text", "simd_lane.json"));
  EXPECT_FALSE(find_skip("assert_malformed", "binary", "i32.json"));
  EXPECT_FALSE(find_skip("assert_invalid", "binary", "i32.json"));
  EXPECT_FALSE(find_skip("assert_return", "", "i32.json"));
  EXPECT_FALSE(find_skip("module", "", "i32.json"));
}

TEST(WastSkipList, ComponentScriptsSkipOnlyTextModules) {
  EXPECT_FALSE(find_skip("assert_return", "", "unit.json", "component"));
  EXPECT_FALSE(find_skip("module_instance", "", "unit.json", "component"));
  EXPECT_FALSE(find_skip("assert_trap", "", "strings.json", "component"));
  EXPECT_TRUE(find_skip("module", "text", "unit.json", "component"));
  EXPECT_FALSE(find_skip("module", "binary", "unit.json", "component"));
  EXPECT_FALSE(find_skip("module_definition", "binary", "unit.json", "component"));
  EXPECT_FALSE(find_skip("assert_invalid", "binary", "kebab.json", "component"));
  // The component rules never apply to core scripts.
  EXPECT_FALSE(find_skip("assert_return", "", "unit.json", "core"));
  EXPECT_FALSE(find_skip("assert_uninstantiable", "", "linking.json"));
}

TEST(WastSkipList, EveryRuleHasAReason) {
  for (const SkipRule& r : skip_rules()) EXPECT_FALSE(r.reason.empty()) << r.command;
}

TEST(WastSkipList, CustomRulesAndFileGlobs) {
  const SkipRule rules[] = {{"assert_*", "*", "simd_*.json", "no simd"}};
  EXPECT_EQ(find_skip(rules, "assert_return", "", "simd_lane.json"), "no simd");
  EXPECT_FALSE(find_skip(rules, "assert_return", "", "i32.json"));
  EXPECT_FALSE(find_skip(rules, "module", "", "simd_lane.json"));
}

TEST(WastSkipList, Glob) {
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*", "abc"));
  EXPECT_TRUE(glob_match("a*c", "abbbc"));
  EXPECT_TRUE(glob_match("a?c", "abc"));
  EXPECT_FALSE(glob_match("a?c", "ac"));
  EXPECT_TRUE(glob_match("*.json", "x.y.json"));
  EXPECT_FALSE(glob_match("*.json", "x.wasm"));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "a"));
  EXPECT_TRUE(glob_match("a**b*", "aXbY"));
}

}  // namespace
}  // namespace airwasm::wast
