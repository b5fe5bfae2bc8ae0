// Unit tests for decode_module: one hand-built binary per section kind, then the binary-format errors
// with the spec tests' wording and their absolute offsets.
#include "decode/decoder.hh"

#include <gtest/gtest.h>

#include "wasm_builder.hh"

namespace airwasm {
namespace {

using namespace test;
using wasm::ExternKind;
using wasm::Opcode;
using wasm::SegmentMode;
using wasm::ValType;

Result<std::unique_ptr<wasm::Module>> decode(const Bytes& b, Features features = {}) {
  return decode::decode_module(b, decode::DecodeOptions{features});
}

// Decodes and expects a malformed-module error whose message starts with `message` (the spec's wording
// comes first; a detail such as the proposal an opcode belongs to may follow).
// The binaries are checked against Wasm 2.0: the proposals that are on by default (exceptions, multi-memory)
// make some of them (a tag section, import kind 4) well-formed.
void expect_malformed(const Bytes& b, std::string_view message, size_t offset = Error::kNoOffset) {
  Features wasm2;
  wasm2.exceptions = false;
  wasm2.multi_memory = false;
  auto m = decode(b, wasm2);
  ASSERT_FALSE(m) << "expected: " << message;
  EXPECT_EQ(m.error().kind, ErrorKind::kMalformed);
  EXPECT_TRUE(m.error().message.starts_with(message)) << m.error().message << " / expected: " << message;
  if (offset != Error::kNoOffset) {
    EXPECT_EQ(m.error().offset, offset) << message;
  }
}

TEST(Decoder, EmptyModule) {
  auto m = decode(header());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_TRUE((*m)->types.empty());
  EXPECT_EQ((*m)->binary, header());
}

TEST(Decoder, Header) {
  expect_malformed({}, "unexpected end", 0);
  expect_malformed({0x00, 0x61, 0x73}, "unexpected end");
  expect_malformed({0x00, 0x41, 0x53, 0x4d, 0x01, 0x00, 0x00, 0x00}, "magic header not detected", 0);
  expect_malformed({0x00, 0x61, 0x73, 0x6d, 0x01}, "unexpected end");
  expect_malformed({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}, "unknown binary version", 4);
}

TEST(Decoder, TypeSection) {
  auto m = decode(
      module({section(1, vec({functype({0x7f, 0x7e}, {0x7d}), functype({}, {0x7c, 0x70, 0x6f, 0x7b})}))}));
  ASSERT_TRUE(m) << m.error().to_string();
  ASSERT_EQ((*m)->types.size(), 2u);
  EXPECT_EQ((*m)->types[0].params, (std::vector<ValType>{ValType::kI32, ValType::kI64}));
  EXPECT_EQ((*m)->types[0].results, (std::vector<ValType>{ValType::kF32}));
  EXPECT_EQ((*m)->types[1].results,
            (std::vector<ValType>{ValType::kF64, ValType::kFuncRef, ValType::kExternRef, ValType::kV128}));
}

TEST(Decoder, TypeSectionErrors) {
  // header(8) + id + size + count = 11: the form byte.
  expect_malformed(module({section(1, vec({Bytes{0x61, 0x00, 0x00}}))}), "malformed function type", 11);
  expect_malformed(module({section(1, vec({Bytes{0xe0, 0x7f, 0x00, 0x00}}))}),
                   "integer representation too long", 11);
  expect_malformed(module({section(1, vec({functype({0x7a}, {})}))}), "malformed value type", 13);
  // v128 is a SIMD type: with the feature off it is not a value type.
  const Bytes simd_type = module({section(1, vec({functype({0x7b}, {})}))});
  EXPECT_TRUE(decode(simd_type));
  Features no_simd;
  no_simd.simd = false;
  auto m = decode(simd_type, no_simd);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message, "malformed value type");
}

TEST(Decoder, ImportSection) {
  const Bytes imports = vec({
      cat({name("env"), name("f"), Bytes{0x00}, uleb(0)}),
      cat({name("env"), name("t"), Bytes{0x01, 0x70, 0x01, 0x02, 0x0a}}),
      cat({name("env"), name("m"), Bytes{0x02, 0x00, 0x01}}),
      cat({name("env"), name("g"), Bytes{0x03, 0x7e, 0x01}}),
  });
  auto m = decode(module({section(1, vec({functype({}, {})})), section(2, imports)}));
  ASSERT_TRUE(m) << m.error().to_string();
  const wasm::Module& mod = **m;
  ASSERT_EQ(mod.imports.size(), 4u);
  EXPECT_EQ(mod.imports[0].module, "env");
  EXPECT_EQ(mod.imports[0].name, "f");
  EXPECT_EQ(mod.imports[0].kind, ExternKind::kFunc);
  EXPECT_EQ(mod.imports[1].table.elem, ValType::kFuncRef);
  EXPECT_EQ(mod.imports[1].table.limits.min, 2u);
  EXPECT_EQ(mod.imports[1].table.limits.max, 10u);
  EXPECT_EQ(mod.imports[2].memory.limits.min, 1u);
  EXPECT_FALSE(mod.imports[2].memory.limits.max);
  EXPECT_EQ(mod.imports[3].global.type, ValType::kI64);
  EXPECT_TRUE(mod.imports[3].global.mut);
  EXPECT_EQ(mod.num_imported_funcs, 1u);
  EXPECT_EQ(mod.num_imported_tables, 1u);
  EXPECT_EQ(mod.num_imported_memories, 1u);
  EXPECT_EQ(mod.num_imported_globals, 1u);
}

TEST(Decoder, ImportSectionErrors) {
  expect_malformed(module({section(2, vec({cat({name(""), name(""), Bytes{0x04}})}))}),
                   "malformed import kind", 13);
  expect_malformed(module({section(2, vec({cat({name("a"), Bytes{0x01, 0xff}, Bytes{0x00, 0x00}})}))}),
                   "malformed UTF-8 encoding");
  // A name longer than what is left.
  expect_malformed(module({section(2, cat({uleb(1), uleb(100), Bytes{'a'}}))}), "length out of bounds");
  expect_malformed(module({section(2, vec({cat({name(""), name(""), Bytes{0x03, 0x7f, 0x02}})}))}),
                   "malformed mutability");
}

TEST(Decoder, FunctionAndCodeSections) {
  const Bytes locals = cat({uleb(2), uleb(3), Bytes{0x7f}, uleb(1), Bytes{0x7c}});
  const Bytes code = cat({i32_const(7), Bytes{0x1a, 0x0b}});
  const Bytes bin = module({section(1, vec({functype({}, {})})), section(3, vec({uleb(0)})),
                            section(10, vec({body(locals, code)}))});
  auto m = decode(bin);
  ASSERT_TRUE(m) << m.error().to_string();
  const wasm::Module& mod = **m;
  ASSERT_EQ(mod.functions, std::vector<uint32_t>{0});
  ASSERT_EQ(mod.codes.size(), 1u);
  const wasm::FunctionBody& fb = mod.codes[0];
  ASSERT_EQ(fb.locals.size(), 2u);
  EXPECT_EQ(fb.locals[0].count, 3u);
  EXPECT_EQ(fb.locals[0].type, ValType::kI32);
  EXPECT_EQ(fb.locals[1].type, ValType::kF64);
  EXPECT_EQ(fb.local_count, 4u);
  EXPECT_EQ(Bytes(fb.code.begin(), fb.code.end()), code);
  // The span points into the Module's own copy, at the absolute offset it reports.
  EXPECT_EQ(fb.code.data(), mod.binary.data() + fb.code_offset);
  EXPECT_EQ(fb.code_offset, bin.size() - code.size());
  EXPECT_EQ(fb.body_offset, bin.size() - code.size() - locals.size() - 1);
}

TEST(Decoder, ModuleOwnsItsBytes) {
  auto bin = std::make_unique<Bytes>(module({section(1, vec({functype({}, {})})), section(3, vec({uleb(0)})),
                                             section(10, vec({body(uleb(0), {0x01, 0x0b})}))}));
  auto m = decode(*bin);
  ASSERT_TRUE(m);
  std::fill(bin->begin(), bin->end(), 0xAA);
  bin.reset();
  EXPECT_EQ(Bytes((*m)->codes[0].code.begin(), (*m)->codes[0].code.end()), (Bytes{0x01, 0x0b}));
}

TEST(Decoder, FunctionCodeMismatchAndLocals) {
  const Bytes type = section(1, vec({functype({}, {})}));
  expect_malformed(
      module({type, section(3, vec({uleb(0), uleb(0)})), section(10, vec({body(uleb(0), {0x0b})}))}),
      "function and code section have inconsistent lengths");
  expect_malformed(module({type, section(3, vec({uleb(0)}))}),
                   "function and code section have inconsistent lengths");
  expect_malformed(module({type, section(10, vec({body(uleb(0), {0x0b})}))}),
                   "function and code section have inconsistent lengths");
  // 0xffffffff + 1 locals: exactly 2^32, one more than the format allows.
  const Bytes too_many = cat({uleb(2), uleb(0xffffffff), Bytes{0x7f}, uleb(1), Bytes{0x7e}});
  expect_malformed(module({type, section(3, vec({uleb(0)})), section(10, vec({body(too_many, {0x0b})}))}),
                   "too many locals");
  // Exactly 2^32-1 locals is allowed by the format, but not by the default implementation limit.
  const Bytes max_locals = cat({uleb(2), uleb(0xfffffffe), Bytes{0x7f}, uleb(1), Bytes{0x7e}});
  const Bytes max_locals_module =
      module({type, section(3, vec({uleb(0)})), section(10, vec({body(max_locals, {0x0b})}))});
  auto limited = decode(max_locals_module);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().kind, ErrorKind::kLimit);
  decode::DecodeOptions unlimited;
  unlimited.limits.max_function_locals = UINT32_MAX;
  auto m = decode::decode_module(max_locals_module, unlimited);
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ((*m)->codes[0].local_count, 0xffffffffu);
  // A local count that does not fit 32 bits.
  const Bytes huge = cat({uleb(1), Bytes{0x80, 0x80, 0x80, 0x80, 0x10}, Bytes{0x7f}});
  expect_malformed(module({type, section(3, vec({uleb(0)})), section(10, vec({body(huge, {0x0b})}))}),
                   "integer too large");
}

TEST(Decoder, TableMemoryGlobalSections) {
  const Bytes bin = module({
      section(4, vec({Bytes{0x70, 0x00, 0x01}, Bytes{0x6f, 0x01, 0x00, 0x05}})),
      section(5, vec({Bytes{0x01, 0x01, 0x80, 0x02}})),
      section(6, vec({cat({Bytes{0x7f, 0x00}, expr(i32_const(-5))}),
                      cat({Bytes{0x70, 0x01}, expr({0xd0, 0x70})})})),
  });
  auto m = decode(bin);
  ASSERT_TRUE(m) << m.error().to_string();
  const wasm::Module& mod = **m;
  ASSERT_EQ(mod.tables.size(), 2u);
  EXPECT_EQ(mod.tables[0].limits.min, 1u);
  EXPECT_FALSE(mod.tables[0].limits.max);
  EXPECT_EQ(mod.tables[1].elem, ValType::kExternRef);
  EXPECT_EQ(mod.tables[1].limits.max, 5u);
  ASSERT_EQ(mod.memories.size(), 1u);
  EXPECT_EQ(mod.memories[0].limits.min, 1u);
  EXPECT_EQ(mod.memories[0].limits.max, 256u);
  ASSERT_EQ(mod.globals.size(), 2u);
  EXPECT_FALSE(mod.globals[0].type.mut);
  ASSERT_EQ(mod.globals[0].init.instrs.size(), 1u);
  EXPECT_EQ(mod.globals[0].init.instrs[0].op, Opcode::I32Const);
  EXPECT_EQ(mod.globals[0].init.instrs[0].value.i32, -5);
  EXPECT_TRUE(mod.globals[1].type.mut);
  EXPECT_EQ(mod.globals[1].init.instrs[0].op, Opcode::RefNull);
  EXPECT_EQ(mod.globals[1].init.offset, bin.size() - 3);
}

TEST(Decoder, LimitsFlags) {
  expect_malformed(module({section(5, vec({Bytes{0x02, 0x00}}))}), "integer too large", 11);
  expect_malformed(module({section(5, vec({Bytes{0x03, 0x00, 0x01}}))}), "integer too large");  // shared
  expect_malformed(module({section(5, vec({Bytes{0x81, 0x00, 0x00}}))}), "integer representation too long");
  expect_malformed(module({section(4, vec({Bytes{0x70, 0x04, 0x00}}))}), "integer too large");  // 64-bit
  expect_malformed(module({section(4, vec({Bytes{0x7f, 0x00, 0x00}}))}), "malformed reference type", 11);
  expect_malformed(module({section(5, vec({Bytes{0x00, 0x82, 0x80, 0x80, 0x80, 0x70}}))}),
                   "integer too large");
}

TEST(Decoder, ConstantExpressions) {
  // Missing `end` runs into the end of the binary.
  expect_malformed(module({section(6, vec({cat({Bytes{0x7f, 0x00}, i32_const(1)})}))}),
                   "unexpected end of section or function");
  // `else` where the expression should end.
  expect_malformed(module({section(6, vec({cat({Bytes{0x7f, 0x00}, i32_const(1), Bytes{0x05, 0x0b}})}))}),
                   "END opcode expected");
  expect_malformed(module({section(6, vec({cat({Bytes{0x7f, 0x00, 0x06, 0x0b}})}))}), "illegal opcode", 13);
  // Nested blocks are kept whole (validation rejects them as non-constant).
  auto m = decode(module(
      {section(6, vec({cat({Bytes{0x7f, 0x00}, Bytes{0x02, 0x40, 0x0b}, i32_const(1), Bytes{0x0b}})}))}));
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ((*m)->globals[0].init.instrs.size(), 3u);
}

TEST(Decoder, ExportAndStartSections) {
  const Bytes bin =
      module({section(1, vec({functype({}, {})})), section(3, vec({uleb(0)})),
              section(7, vec({cat({name("run"), Bytes{0x00, 0x00}}), cat({name("mem"), Bytes{0x02, 0x00}})})),
              section(8, uleb(0)), section(10, vec({body(uleb(0), {0x0b})}))});
  auto m = decode(bin);
  ASSERT_TRUE(m) << m.error().to_string();
  ASSERT_EQ((*m)->exports.size(), 2u);
  EXPECT_EQ((*m)->exports[0].name, "run");
  EXPECT_EQ((*m)->exports[1].kind, ExternKind::kMemory);
  EXPECT_EQ((*m)->start, 0u);
  expect_malformed(module({section(7, vec({cat({name("x"), Bytes{0x04, 0x00}})}))}), "malformed export kind");
}

TEST(Decoder, ElementSegmentsAllEncodings) {
  const Bytes off = expr(i32_const(2));
  const Bytes ref_func_1 = expr({0xd2, 0x01});
  const Bytes segs = vec({
      cat({uleb(0), off, vec({uleb(0), uleb(1)})}),                  // active, table 0, indices
      cat({uleb(1), Bytes{0x00}, vec({uleb(1)})}),                   // passive, elemkind, indices
      cat({uleb(2), uleb(1), off, Bytes{0x00}, vec({uleb(0)})}),     // active, table 1, indices
      cat({uleb(3), Bytes{0x00}, vec({uleb(0)})}),                   // declarative, indices
      cat({uleb(4), off, vec({ref_func_1, expr({0xd0, 0x70})})}),    // active, table 0, exprs
      cat({uleb(5), Bytes{0x6f}, vec({expr({0xd0, 0x6f})})}),        // passive, reftype, exprs
      cat({uleb(6), uleb(1), off, Bytes{0x70}, vec({ref_func_1})}),  // active, table 1, exprs
      cat({uleb(7), Bytes{0x70}, vec({ref_func_1})}),                // declarative, exprs
  });
  auto m = decode(module({section(9, segs)}));
  ASSERT_TRUE(m) << m.error().to_string();
  const auto& e = (*m)->elems;
  ASSERT_EQ(e.size(), 8u);
  const SegmentMode modes[8] = {SegmentMode::kActive,      SegmentMode::kPassive,    SegmentMode::kActive,
                                SegmentMode::kDeclarative, SegmentMode::kActive,     SegmentMode::kPassive,
                                SegmentMode::kActive,      SegmentMode::kDeclarative};
  const uint32_t tables[8] = {0, 0, 1, 0, 0, 0, 1, 0};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(e[i].mode, modes[i]) << i;
    if (modes[i] == SegmentMode::kActive) {
      EXPECT_EQ(e[i].table, tables[i]) << i;
      ASSERT_EQ(e[i].offset.instrs.size(), 1u) << i;
      EXPECT_EQ(e[i].offset.instrs[0].value.i32, 2) << i;
    }
  }
  // Function indices and ref.func expressions look alike.
  ASSERT_EQ(e[0].items.size(), 2u);
  EXPECT_EQ(e[0].items[1].instrs.size(), 1u);
  EXPECT_EQ(e[0].items[1].instrs[0].op, Opcode::RefFunc);
  EXPECT_EQ(e[0].items[1].instrs[0].index, 1u);
  EXPECT_EQ(e[4].items[0].instrs[0].op, Opcode::RefFunc);
  EXPECT_EQ(e[4].items[0].instrs[0].index, 1u);
  EXPECT_EQ(e[4].items[1].instrs[0].op, Opcode::RefNull);
  EXPECT_EQ(e[5].type, ValType::kExternRef);
  EXPECT_EQ(e[6].type, ValType::kFuncRef);
  EXPECT_EQ(e[0].type, ValType::kFuncRef);
}

TEST(Decoder, ElementSegmentErrors) {
  expect_malformed(module({section(9, vec({cat({uleb(8), Bytes{0x00}})}))}),
                   "malformed elements segment kind", 11);
  expect_malformed(module({section(9, vec({cat({uleb(1), Bytes{0x01}, vec({})})}))}),
                   "malformed element kind", 12);
  expect_malformed(module({section(9, vec({cat({uleb(5), Bytes{0x7f}, vec({})})}))}),
                   "malformed reference type", 12);
  expect_malformed(module({section(9, vec({cat({uleb(5), Bytes{0x70}, vec({Bytes{0xf3, 0x00, 0x0b}})})}))}),
                   "illegal opcode");
}

TEST(Decoder, DataSegmentsAndDataCount) {
  const Bytes segs = vec({
      cat({uleb(0), expr(i32_const(16)), name("abc")}),
      cat({uleb(1), name("xy")}),
      cat({uleb(2), uleb(0), expr(i32_const(0)), name("")}),
  });
  const Bytes bin = module({section(5, vec({Bytes{0x00, 0x01}})), section(12, uleb(3)), section(11, segs)});
  auto m = decode(bin);
  ASSERT_TRUE(m) << m.error().to_string();
  const auto& d = (*m)->datas;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ((*m)->data_count, 3u);
  EXPECT_EQ(d[0].mode, SegmentMode::kActive);
  EXPECT_EQ(d[0].offset.instrs[0].value.i32, 16);
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(d[0].bytes.data()), d[0].bytes.size()), "abc");
  EXPECT_EQ(d[0].bytes.data() >= (*m)->binary.data() && d[0].bytes.data() < (*m)->binary.data() + bin.size(),
            true);
  EXPECT_EQ(d[1].mode, SegmentMode::kPassive);
  EXPECT_EQ(d[1].bytes.size(), 2u);
  EXPECT_EQ(d[2].memory, 0u);
  EXPECT_TRUE(d[2].bytes.empty());

  expect_malformed(module({section(12, uleb(2)), section(11, vec({cat({uleb(1), name("")})}))}),
                   "data count and data section have inconsistent lengths");
  expect_malformed(module({section(12, uleb(1))}), "data count and data section have inconsistent lengths");
  expect_malformed(module({section(11, vec({cat({uleb(3), name("")})}))}), "malformed data segment kind", 11);
  // Declared 7 bytes, 6 given.
  expect_malformed(module({section(11, cat({uleb(1), uleb(1), uleb(7), Bytes(6, 'a')}))}),
                   "unexpected end of section or function");
}

TEST(Decoder, SectionFraming) {
  const Bytes type = section(1, vec({}));
  expect_malformed(module({Bytes{0x0d, 0x00}}), "malformed section id", 8);
  expect_malformed(module({Bytes{0x80, 0x00, 0x01, 0x00}}), "malformed section id", 8);
  expect_malformed(module({type, type}), "unexpected content after last section", 11);
  expect_malformed(module({section(3, vec({})), type}), "unexpected content after last section");
  // datacount goes after element and before code...
  EXPECT_TRUE(decode(module({section(9, vec({})), section(12, uleb(0)), section(10, vec({}))})));
  // ... not after code.
  expect_malformed(module({section(10, vec({})), section(12, uleb(0))}),
                   "unexpected content after last section");
  // Custom sections go anywhere, any number of times.
  EXPECT_TRUE(decode(module(
      {section(0, name("a")), type, section(0, name("a")), section(10, vec({})), section(0, name("b"))})));
  // Section payload longer than its contents / contents running past the size / size beyond the end.
  expect_malformed(module({section(1, cat({vec({}), Bytes{0x00}}))}), "section size mismatch", 11);
  expect_malformed(module({Bytes{0x01, 0x01, 0x01, 0x60, 0x00, 0x00}}), "section size mismatch");
  expect_malformed(module({Bytes{0x01, 0x07, 0x01, 0x60, 0x00, 0x00}}), "length out of bounds", 9);
  expect_malformed(module({Bytes{0x01}}), "unexpected end", 9);
  expect_malformed(module({Bytes{0x01, 0x00}}), "unexpected end of section or function", 10);
}

TEST(Decoder, CustomAndNameSections) {
  const Bytes func_names = vec({cat({uleb(0), name("main")}), cat({uleb(1), name("helper")})});
  const Bytes local_names =
      vec({cat({uleb(1), vec({cat({uleb(0), name("x")}), cat({uleb(2), name("tmp")})})})});
  const Bytes names =
      cat({Bytes{0x00}, uleb(name("mod").size()), name("mod"), Bytes{0x01}, uleb(func_names.size()),
           func_names, Bytes{0x02}, uleb(local_names.size()), local_names, Bytes{0x07}, uleb(2),
           Bytes{0xff, 0xff}});  // an unknown subsection is skipped
  auto m = decode(
      module({section(0, cat({name("producers"), Bytes{1, 2, 3}})), section(0, cat({name("name"), names}))}));
  ASSERT_TRUE(m) << m.error().to_string();
  const wasm::Module& mod = **m;
  ASSERT_EQ(mod.customs.size(), 2u);
  EXPECT_EQ(mod.customs[0].name, "producers");
  EXPECT_EQ(Bytes(mod.customs[0].payload.begin(), mod.customs[0].payload.end()), (Bytes{1, 2, 3}));
  EXPECT_EQ(mod.names.module_name, "mod");
  EXPECT_EQ(mod.names.function_names.at(0), "main");
  EXPECT_EQ(mod.names.function_names.at(1), "helper");
  EXPECT_EQ(mod.names.local_names.at(1).at(2), "tmp");

  // A broken name section is dropped, not an error; the custom section itself is still recorded.
  const Bytes broken = cat({Bytes{0x01}, uleb(10), Bytes{0x05, 0x00}});
  auto b = decode(module({section(0, cat({name("name"), broken}))}));
  ASSERT_TRUE(b) << b.error().to_string();
  EXPECT_TRUE((*b)->names.function_names.empty());
  EXPECT_FALSE((*b)->names.module_name);
  EXPECT_EQ((*b)->customs.size(), 1u);

  // The custom section's own name must be valid UTF-8 and fit the section.
  expect_malformed(module({section(0, Bytes{0x01, 0xc0})}), "malformed UTF-8 encoding");
  expect_malformed(module({Bytes{0x00, 0x26, 0x10}, Bytes(20, 'a')}), "length out of bounds");
  expect_malformed(module({Bytes{0x00, 0x00}}), "unexpected end of section or function");
}

}  // namespace
}  // namespace airwasm
