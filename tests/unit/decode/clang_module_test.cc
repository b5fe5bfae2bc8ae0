// Unit test on a real toolchain's output: data/wasi_hello.c is compiled at build time by
// clang-19 --target=wasm32-wasi -O2, and `wasm-objdump -x` (wabt) describes the same binary in a text file
// beside it. The decoded Module must agree with wabt on every import, export, section count, custom
// section and function name, and it must pass module-level validation. Skipped (with the reason) when the
// wasm32-wasi toolchain was not found at configure time.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "decode/decoder.hh"
#include "validate/module_validator.hh"

namespace airwasm {
namespace {

// What `wasm-objdump -x` says about a module, parsed from its "Section Details" output.
struct Objdump {
  struct Import {
    std::string kind, module, field;
  };
  struct Export {
    std::string kind, name;
    uint32_t index = 0;
  };
  std::map<std::string, uint32_t> counts;  // "Type" -> 13, "Import" -> 7, ...
  std::vector<Import> imports;
  std::vector<Export> exports;
  std::map<uint32_t, std::string> function_names;  // from the Function section's <name> annotations
  std::vector<std::string> customs;
};

// " - func[12] sig=3 <name>": the kind ("func") and the index (12).
bool parse_entity(const std::string& line, std::string& kind, uint32_t& index) {
  if (line.rfind(" - ", 0) != 0) return false;
  const size_t open = line.find('['), close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  kind = line.substr(3, open - 3);
  index = uint32_t(std::stoul(line.substr(open + 1, close - open - 1)));
  return true;
}

Objdump parse_objdump(std::istream& in) {
  Objdump out;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line == "Custom:") {
      section = "Custom";
      continue;
    }
    if (!line.empty() && line.back() == ':' && line.find('[') != std::string::npos && line[0] != ' ') {
      const size_t open = line.find('[');
      section = line.substr(0, open);
      out.counts[section] = uint32_t(std::stoul(line.substr(open + 1)));
      continue;
    }
    std::string kind;
    uint32_t index = 0;
    if (section == "Custom" && line.rfind(" - name: \"", 0) == 0) {
      out.customs.push_back(line.substr(10, line.size() - 11));
    } else if (section == "Import" && parse_entity(line, kind, index)) {
      const size_t arrow = line.find(" <- ");
      const std::string qualified = line.substr(arrow + 4);
      const size_t dot = qualified.find('.');
      out.imports.push_back({kind, qualified.substr(0, dot), qualified.substr(dot + 1)});
    } else if (section == "Export" && parse_entity(line, kind, index)) {
      const size_t quote = line.find(" -> \"");
      out.exports.push_back({kind, line.substr(quote + 5, line.size() - quote - 6), index});
    } else if (section == "Function" && parse_entity(line, kind, index)) {
      const size_t open = line.find('<'), close = line.rfind('>');
      if (open != std::string::npos && close > open)
        out.function_names[index] = line.substr(open + 1, close - open - 1);
    }
  }
  return out;
}

std::string kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::kFunc:
      return "func";
    case ExternKind::kTable:
      return "table";
    case ExternKind::kMemory:
      return "memory";
    case ExternKind::kGlobal:
      return "global";
    case ExternKind::kTag:
      return "tag";
  }
  return "?";
}

TEST(ClangModule, MatchesWasmObjdump) {
#if !defined(AIRWASM_TEST_WASI_WASM)
  GTEST_SKIP() << "clang-19 with a wasm32-wasi sysroot (Debian: wasi-libc, libclang-rt-19-dev-wasm32) or "
                  "wasm-objdump (wabt) was not found at configure time";
#else
  std::ifstream wasm_file(AIRWASM_TEST_WASI_WASM, std::ios::binary);
  ASSERT_TRUE(wasm_file) << AIRWASM_TEST_WASI_WASM;
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(wasm_file)),
                                   std::istreambuf_iterator<char>());
  std::ifstream dump_file(AIRWASM_TEST_WASI_OBJDUMP);
  ASSERT_TRUE(dump_file) << AIRWASM_TEST_WASI_OBJDUMP;
  const Objdump dump = parse_objdump(dump_file);
  // The parse itself must have found what any wasi command module has.
  ASSERT_FALSE(dump.imports.empty());
  ASSERT_EQ(dump.imports.size(), dump.counts.at("Import"));
  ASSERT_EQ(dump.exports.size(), dump.counts.at("Export"));

  auto decoded = decode::decode_module(bytes, {});
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  const wasm::Module& m = **decoded;

  auto count = [&](const char* section) -> size_t {
    auto it = dump.counts.find(section);
    return it == dump.counts.end() ? 0 : it->second;
  };
  EXPECT_EQ(m.types.size(), count("Type"));
  EXPECT_EQ(m.functions.size(), count("Function"));
  EXPECT_EQ(m.codes.size(), count("Code"));
  EXPECT_EQ(m.tables.size(), count("Table"));
  EXPECT_EQ(m.memories.size(), count("Memory"));
  EXPECT_EQ(m.globals.size(), count("Global"));
  EXPECT_EQ(m.elems.size(), count("Elem"));
  EXPECT_EQ(m.datas.size(), count("Data"));

  ASSERT_EQ(m.imports.size(), dump.imports.size());
  for (size_t i = 0; i < m.imports.size(); ++i) {
    EXPECT_EQ(kind_name(m.imports[i].kind), dump.imports[i].kind) << i;
    EXPECT_EQ(m.imports[i].module, dump.imports[i].module) << i;
    EXPECT_EQ(m.imports[i].name, dump.imports[i].field) << i;
  }
  ASSERT_EQ(m.exports.size(), dump.exports.size());
  for (size_t i = 0; i < m.exports.size(); ++i) {
    EXPECT_EQ(kind_name(m.exports[i].kind), dump.exports[i].kind) << i;
    EXPECT_EQ(m.exports[i].index, dump.exports[i].index) << i;
    EXPECT_EQ(m.exports[i].name, dump.exports[i].name) << i;
  }
  std::vector<std::string> customs;
  for (const wasm::CustomSection& c : m.customs) customs.push_back(c.name);
  EXPECT_EQ(customs, dump.customs);

  // The name section gives the same function names wabt shows (wabt reads them from there too).
  ASSERT_FALSE(dump.function_names.empty());
  for (const auto& [index, name] : dump.function_names) {
    auto it = m.names.function_names.find(index);
    ASSERT_NE(it, m.names.function_names.end()) << index;
    EXPECT_EQ(it->second, name) << index;
  }

  // What the C source makes certain, independently of the libc build.
  bool has_apply = false;
  for (const wasm::Export& e : m.exports) has_apply |= e.name == "apply" && e.kind == ExternKind::kFunc;
  EXPECT_TRUE(has_apply);
  ASSERT_EQ(m.elems.size(), 1u);
  EXPECT_GE(m.elems[0].items.size(), 3u);  // op_add, op_sub, op_mul
  EXPECT_EQ(m.elems[0].items[0].instrs[0].op, wasm::Opcode::RefFunc);

  auto valid = validate::validate_module(m, {});
  EXPECT_TRUE(valid) << valid.error().to_string();
  const std::vector<bool> refs = validate::declared_func_refs(m);
  EXPECT_TRUE(refs.at(m.elems[0].items[0].instrs[0].index));
#endif
}

}  // namespace
}  // namespace airwasm
