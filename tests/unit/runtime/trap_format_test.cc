// Trap rendering: frames carry the function index, and deep recursion collapses into one line.
#include <gtest/gtest.h>

#include "airwasm/trap.hh"

namespace airwasm {
namespace {

TEST(TrapFormat, RepeatedFramesCollapse) {
  Trap trap(TrapCode::kCallStackExhausted);
  std::vector<FrameInfo> frames;
  for (int i = 0; i < 20000; ++i) frames.push_back(FrameInfo{"m", 3, "rec"});
  frames.push_back(FrameInfo{"m", 0, "main"});
  trap.set_backtrace(frames);
  EXPECT_EQ(trap.to_string(),
            "wasm trap: call stack exhausted\n"
            "  0: m!rec (function 3)\n"
            "  1: m!rec (function 3)\n"
            "  2: m!rec (function 3)\n"
            "  ... 19,997 more frames of m!rec\n"
            "  20000: m!main (function 0)");
}

TEST(TrapFormat, UnnamedFunctions) {
  Trap trap(TrapCode::kUnreachable);
  trap.set_backtrace({FrameInfo{"", 7, ""}});
  EXPECT_EQ(trap.to_string(), "wasm trap: unreachable\n  0: <wasm function 7>");
}

}  // namespace
}  // namespace airwasm
