// Unit tests for the opcode table and the instruction reader.
#include "decode/instr_reader.hh"

#include <gtest/gtest.h>

#include <vector>

namespace airwasm {
namespace {

using wasm::Opcode;

TEST(OpcodeTable, MapsEncodingsBothWays) {
  EXPECT_EQ(wasm::kOpcodeMaps.single[0x6A], Opcode::I32Add);
  EXPECT_EQ(wasm::kOpcodeMaps.fc[0x0A], Opcode::MemoryCopy);
  EXPECT_EQ(wasm::kOpcodeMaps.fd[0xFF], Opcode::F64x2ConvertLowI32x4U);
  EXPECT_EQ(wasm::kOpcodeMaps.single[0x06], Opcode::kCount);  // reserved
  EXPECT_STREQ(wasm::op_name(Opcode::I64TruncSatF64U), "i64.trunc_sat_f64_u");
  EXPECT_EQ(wasm::op_info(Opcode::I64Load32U).arg, 2);
  EXPECT_EQ(wasm::fuel_cost(Opcode::Nop), 0u);
  EXPECT_EQ(wasm::fuel_cost(Opcode::LocalGet), 1u);
}

TEST(InstrReader, ReadsImmediates) {
  // i32.load align=2 offset=16; br_table 0 1 2; memory.grow 0; v128.const
  std::vector<uint8_t> code = {0x28, 0x02, 0x10, 0x0e, 0x02, 0x00, 0x01, 0x02, 0x40, 0x00};
  base::ByteReader r(code);
  decode::InstrReader ir(r, Features{});
  wasm::Instr in;
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Opcode::I32Load);
  EXPECT_EQ(in.align, 2u);
  EXPECT_EQ(in.offset, 16u);
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Opcode::BrTable);
  EXPECT_EQ(in.index, 2u);
  EXPECT_EQ(in.index2, 2u);
  EXPECT_EQ(ir.br_targets(), (std::vector<uint32_t>{0, 1}));
  ASSERT_TRUE(ir.next(in));
  EXPECT_EQ(in.op, Opcode::MemoryGrow);
  EXPECT_TRUE(r.at_end());
}

TEST(InstrReader, RejectsMalformed) {
  std::vector<uint8_t> illegal = {0x06};
  base::ByteReader r1(illegal);
  wasm::Instr in;
  Features wasm2;  // the Wasm 2.0 feature set: no proposals beyond it
  wasm2.multi_memory = false;
  wasm2.exceptions = false;
  Features no_simd = wasm2;
  no_simd.simd = false;
  EXPECT_EQ(decode::InstrReader(r1, wasm2).next(in).error().message,
            "illegal opcode (an instruction of the legacy exception handling (try/catch/rethrow/delegate) "
            "proposal, "
            "which airwasm does not support)");
  std::vector<uint8_t> nonzero = {0x3f, 0x01};  // memory.size 1
  base::ByteReader r2(nonzero);
  EXPECT_EQ(decode::InstrReader(r2, wasm2).next(in).error().message, "zero byte expected");
  std::vector<uint8_t> simd = {0xfd, 0x0c};  // v128.const with SIMD disabled
  base::ByteReader r3(simd);
  EXPECT_EQ(decode::InstrReader(r3, no_simd).next(in).error().message,
            "illegal opcode (a SIMD instruction, and SIMD is disabled in this engine's configuration)");
}

}  // namespace
}  // namespace airwasm
