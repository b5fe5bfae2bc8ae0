// Trap rendering: frames carry the function index and the module offset of the trapping or calling
// instruction, and deep recursion collapses into one line.
#include <gtest/gtest.h>

#include "airwasm/airwasm.hh"

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

TEST(TrapFormat, OffsetsAreShownInHex) {
  Trap trap(TrapCode::kUnreachable);
  trap.set_backtrace({FrameInfo{"m", 4, "inner", 0xea}, FrameInfo{"", 5, "", 0x1f3}});
  EXPECT_EQ(trap.to_string(),
            "wasm trap: unreachable\n  0: 0xea - m!inner (function 4)\n  1: 0x1f3 - <wasm function 5>");
}

// Each frame's offset is that of its instruction in the module binary, as `wasm-objdump -d` numbers them:
// the `unreachable` for the innermost frame, the `call` for its caller.
TEST(TrapFormat, FramesCarryTheModuleOffsetOfTheirInstruction) {
  const std::vector<uint8_t> wasm = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // 0x00 header
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,              // 0x08 type section: () -> ()
      0x03, 0x03, 0x02, 0x00, 0x00,                    // 0x0e function section: two functions
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01,        // 0x13 export "f" = function 1
      0x0a, 0x0b, 0x02,                                // 0x1a code section, two bodies
      0x03, 0x00, 0x00, 0x0b,                          // 0x1d body 0: unreachable (at 0x1f)
      0x05, 0x00, 0x01, 0x10, 0x00, 0x0b,              // 0x21 body 1: nop, call 0 (at 0x24)
  };
  Engine engine;
  Store store(engine);
  auto module = Module::compile(engine, wasm);
  ASSERT_TRUE(module) << module.error().to_string();
  auto instance = Instance::create(store, *module, {});
  ASSERT_TRUE(instance) << instance.error().to_string();
  auto result = instance->get_func(store, "f")->call(store, {});
  ASSERT_FALSE(result);
  const auto& frames = result.error().backtrace();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].func_index, 0u);
  EXPECT_EQ(frames[0].module_offset, 0x1fu);
  EXPECT_EQ(frames[1].func_index, 1u);
  EXPECT_EQ(frames[1].module_offset, 0x24u);
}

}  // namespace
}  // namespace airwasm
