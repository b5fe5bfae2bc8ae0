// Unit tests for validate_module and declared_func_refs: modules are built as wasm::Module values (the
// decoder's output) and each test breaks exactly one module-level rule.
#include "validate/module_validator.hh"

#include <gtest/gtest.h>

#include "decode/decoder.hh"
#include "wasm_builder.hh"

namespace airwasm {
namespace {

using wasm::ExternKind;
using wasm::Opcode;
using wasm::SegmentMode;
using wasm::ValType;

wasm::Instr op(Opcode code, uint32_t index = 0) {
  wasm::Instr in;
  in.op = code;
  in.index = index;
  return in;
}
wasm::Instr i32(int32_t v) {
  wasm::Instr in = op(Opcode::I32Const);
  in.value.i32 = v;
  return in;
}
wasm::Instr ref_null(ValType t) {
  wasm::Instr in = op(Opcode::RefNull);
  in.type = t;
  return in;
}
wasm::ConstExpr ce(std::initializer_list<wasm::Instr> instrs) {
  return wasm::ConstExpr{instrs, 0};
}

// A small valid module: one imported function and global, two defined functions, a table, a memory.
wasm::Module base_module() {
  wasm::Module m;
  m.types = {FuncType{}, FuncType{{ValType::kI32}, {ValType::kI32}}};
  wasm::Import f;
  f.module = "env";
  f.name = "f";
  f.kind = ExternKind::kFunc;
  f.func_type = 1;
  wasm::Import g;
  g.module = "env";
  g.name = "g";
  g.kind = ExternKind::kGlobal;
  g.global = {ValType::kI32, false};
  m.imports = {f, g};
  m.num_imported_funcs = 1;
  m.num_imported_globals = 1;
  m.functions = {0, 1};
  m.codes.resize(2);
  m.tables = {wasm::TableType{ValType::kFuncRef, {1, 10}}};
  m.memories = {wasm::MemoryType{{1, 2}}};
  m.globals = {wasm::Global{{ValType::kI32, true}, ce({op(Opcode::GlobalGet, 0)})}};
  return m;
}

void expect_invalid(const wasm::Module& m, std::string_view message, Features features = {}) {
  auto r = validate::validate_module(m, features);
  ASSERT_FALSE(r) << "expected: " << message;
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalid);
  EXPECT_TRUE(r.error().message.starts_with(message)) << r.error().message << " / expected: " << message;
}

TEST(ModuleValidator, BaseModuleIsValid) {
  auto r = validate::validate_module(base_module(), Features{});
  EXPECT_TRUE(r) << r.error().to_string();
}

TEST(ModuleValidator, TypeIndices) {
  auto m = base_module();
  m.functions[1] = 2;
  expect_invalid(m, "unknown type 2");
  m = base_module();
  m.imports[0].func_type = 7;
  expect_invalid(m, "unknown type 7");
}

TEST(ModuleValidator, Limits) {
  auto m = base_module();
  m.tables[0].limits = {5, 4};
  expect_invalid(m, "size minimum must not be greater than maximum");
  m = base_module();
  m.memories[0].limits = {3, 2};
  expect_invalid(m, "size minimum must not be greater than maximum");
  m = base_module();
  m.memories[0].limits = {65537, std::nullopt};
  expect_invalid(m, "memory size must be at most 65536 pages (4GiB)");
  m = base_module();
  m.memories[0].limits = {0, 65537};
  expect_invalid(m, "memory size must be at most 65536 pages (4GiB)");
  m = base_module();
  m.memories[0].limits = {65536, 65536};
  EXPECT_TRUE(validate::validate_module(m, {}));
  m = base_module();
  m.tables[0].limits = {0xffffffff, 0xffffffff};
  EXPECT_TRUE(validate::validate_module(m, {}));
}

TEST(ModuleValidator, MultipleMemories) {
  Features wasm2;
  wasm2.multi_memory = false;
  auto m = base_module();
  m.memories.push_back(m.memories[0]);
  expect_invalid(m, "multiple memories (the multi-memory proposal is turned off)", wasm2);
  EXPECT_TRUE(validate::validate_module(m, {}));  // the multi-memory proposal (on by default)
  m = base_module();
  wasm::Import mem;
  mem.kind = ExternKind::kMemory;
  m.imports.push_back(mem);
  m.num_imported_memories = 1;
  expect_invalid(m, "multiple memories (the multi-memory proposal is turned off)", wasm2);
  EXPECT_TRUE(validate::validate_module(m, {}));
}

TEST(ModuleValidator, GlobalInitializers) {
  auto m = base_module();
  m.globals[0].init = ce({i32(1), op(Opcode::I32Add)});
  expect_invalid(m, "constant expression required");
  m.globals[0].init = ce({i32(1), op(Opcode::Nop)});
  expect_invalid(m, "constant expression required");
  m.globals[0].init = ce({});
  expect_invalid(m, "type mismatch");
  m.globals[0].init = ce({i32(1), i32(2)});
  expect_invalid(m, "type mismatch");
  m.globals[0].init = ce({ref_null(ValType::kFuncRef)});
  expect_invalid(m, "type mismatch");
  // Only imported globals are visible: global 1 is the defined one itself.
  m.globals[0].init = ce({op(Opcode::GlobalGet, 1)});
  expect_invalid(m, "unknown global 1");
  m.imports[1].global.mut = true;
  m.globals[0].init = ce({op(Opcode::GlobalGet, 0)});
  expect_invalid(m, "constant expression required");

  m = base_module();
  m.globals.push_back(wasm::Global{{ValType::kFuncRef, false}, ce({op(Opcode::RefFunc, 3)})});
  expect_invalid(m, "unknown function 3");
  m.globals.back().init = ce({op(Opcode::RefFunc, 2)});
  EXPECT_TRUE(validate::validate_module(m, {}));
}

TEST(ModuleValidator, ElementSegments) {
  auto m = base_module();
  wasm::ElemSegment seg;
  seg.mode = SegmentMode::kActive;
  seg.offset = ce({i32(0)});
  seg.items = {ce({op(Opcode::RefFunc, 0)}), ce({ref_null(ValType::kFuncRef)})};
  m.elems = {seg};
  EXPECT_TRUE(validate::validate_module(m, {}));

  m.elems[0].table = 1;
  expect_invalid(m, "unknown table 1");
  m.elems[0].table = 0;
  m.elems[0].offset = ce({op(Opcode::I64Const)});
  expect_invalid(m, "type mismatch");
  m.elems[0].offset = ce({op(Opcode::GlobalGet, 1)});  // a defined global: not visible
  expect_invalid(m, "unknown global 1");
  m.elems[0].offset = ce({i32(0)});
  m.elems[0].items.push_back(ce({ref_null(ValType::kExternRef)}));
  expect_invalid(m, "type mismatch");
  // An externref segment into a funcref table.
  m.elems[0].items = {ce({ref_null(ValType::kExternRef)})};
  m.elems[0].type = ValType::kExternRef;
  expect_invalid(m, "type mismatch");
  // Passive and declarative segments need no table.
  m.elems[0].mode = SegmentMode::kPassive;
  m.elems[0].table = 9;
  EXPECT_TRUE(validate::validate_module(m, {}));
  m.elems[0].items = {ce({op(Opcode::Call, 0)})};
  expect_invalid(m, "constant expression required");
}

TEST(ModuleValidator, DataSegments) {
  auto m = base_module();
  wasm::DataSegment seg;
  seg.offset = ce({i32(0)});
  m.datas = {seg};
  EXPECT_TRUE(validate::validate_module(m, {}));
  m.datas[0].memory = 1;
  expect_invalid(m, "unknown memory 1");
  m.datas[0].mode = SegmentMode::kPassive;
  EXPECT_TRUE(validate::validate_module(m, {}));
  m.datas[0].mode = SegmentMode::kActive;
  m.datas[0].memory = 0;
  m.datas[0].offset = ce({op(Opcode::F32Const)});
  expect_invalid(m, "type mismatch");
  m.memories.clear();
  m.datas[0].offset = ce({i32(0)});
  expect_invalid(m, "unknown memory 0");
}

TEST(ModuleValidator, StartFunction) {
  auto m = base_module();
  m.start = 1;  // defined function 0: [] -> []
  EXPECT_TRUE(validate::validate_module(m, {}));
  m.start = 0;  // the import: [i32] -> [i32]
  expect_invalid(m, "start function");
  m.start = 3;
  expect_invalid(m, "unknown function 3");
}

TEST(ModuleValidator, Exports) {
  auto m = base_module();
  m.exports = {{"f", ExternKind::kFunc, 2},
               {"t", ExternKind::kTable, 0},
               {"m", ExternKind::kMemory, 0},
               {"g", ExternKind::kGlobal, 1}};
  EXPECT_TRUE(validate::validate_module(m, {}));
  m.exports.push_back({"f", ExternKind::kGlobal, 0});
  expect_invalid(m, "duplicate export name");
  m.exports.pop_back();
  const std::pair<ExternKind, const char*> cases[] = {{ExternKind::kFunc, "unknown function 3"},
                                                      {ExternKind::kTable, "unknown table 1"},
                                                      {ExternKind::kMemory, "unknown memory 1"},
                                                      {ExternKind::kGlobal, "unknown global 2"}};
  for (auto [kind, message] : cases) {
    auto bad = m;
    uint32_t index = kind == ExternKind::kFunc ? 3 : kind == ExternKind::kGlobal ? 2 : 1;
    bad.exports.push_back({"x", kind, index});
    expect_invalid(bad, message);
  }
}

TEST(ModuleValidator, DeclaredFuncRefs) {
  auto m = base_module();
  m.functions.push_back(0);  // 4 functions: import 0, defined 1..3
  m.codes.resize(3);
  wasm::ElemSegment seg;
  seg.mode = SegmentMode::kDeclarative;
  seg.items = {ce({op(Opcode::RefFunc, 1)}), ce({op(Opcode::RefFunc, 99)})};  // 99: ignored
  m.elems = {seg};
  m.globals.push_back(wasm::Global{{ValType::kFuncRef, false}, ce({op(Opcode::RefFunc, 3)})});
  m.exports = {{"f0", ExternKind::kFunc, 0}, {"g", ExternKind::kGlobal, 0}};
  EXPECT_EQ(validate::declared_func_refs(m), (std::vector<bool>{true, true, false, true}));
}

// Decoder and validator together on a hand-built binary (the path the spec runner takes).
TEST(ModuleValidator, DecodedModule) {
  using namespace test;
  const Bytes bin =
      module({section(1, vec({functype({}, {})})), section(3, vec({uleb(0)})),
              section(5, vec({Bytes{0x01, 0x02, 0x01}})), section(10, vec({body(uleb(0), {0x0b})}))});
  auto m = decode::decode_module(bin, {});
  ASSERT_TRUE(m);
  expect_invalid(**m, "size minimum must not be greater than maximum");
}

}  // namespace
}  // namespace airwasm
