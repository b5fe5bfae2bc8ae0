// tools: `airwasm inspect FILE.wasm` prints what a module is made of: its sections with offsets and sizes,
// imports and exports with their types, function/table/memory/global counts with limits, the start
// function and the custom sections. The module is decoded (not validated: `airwasm validate` does that),
// so a malformed file gives "FILE: error at 0xOFF: message" and exit 1, like validate.
// Components (layer 1 in the preamble) are handed to cmd_inspect_component.cc.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/engine.hh"
#include "base/byte_reader.hh"
#include "cli.hh"
#include "component/reader.hh"
#include "decode/decoder.hh"
#include "wast/file_io.hh"

namespace airwasm::cli {
namespace {

void print_inspect_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: airwasm inspect FILE.wasm\n"
               "\n"
               "Prints the sections (with offsets and sizes), imports and exports (with types), functions,\n"
               "tables and memories (with limits), globals, the start function and the custom sections.\n"
               "For a component: its sections, imports and exports with their kinds and types (the\n"
               "functions and types of imported and exported instances), core modules, nested components\n"
               "and custom sections.\n"
               "\n"
               "options:\n"
               "  -h, --help  show this help\n");
}

const char* section_name(uint8_t id) {
  static constexpr const char* kNames[] = {"custom", "type",   "import",    "function", "table",
                                           "memory", "global", "export",    "start",    "element",
                                           "code",   "data",   "datacount", "tag"};
  return id < std::size(kNames) ? kNames[id] : "unknown";
}

std::string limits_text(const Limits& l, const char* unit) {
  std::string s = "min " + std::to_string(l.min) + unit;
  s += l.max ? ", max " + std::to_string(*l.max) + unit : ", no max";
  if (l.shared) s += ", shared";
  return s;
}

std::string type_text(const wasm::Module& m, const ExternType& t) {
  switch (t.kind) {
    case ExternKind::kFunc:
      return "func " + t.func.to_string();
    case ExternKind::kTable:
      return std::string("table ") + valtype_name(t.table.elem) + " " + limits_text(t.table.limits, "");
    case ExternKind::kMemory:
      return "memory " + limits_text(t.memory.limits, " pages");
    case ExternKind::kGlobal:
      return std::string("global ") + (t.global.mut ? "mut " : "const ") + valtype_name(t.global.type);
    case ExternKind::kTag:
      return "tag " + t.tag.to_string();
  }
  return "?";
}

ExternType export_type(const wasm::Module& m, const wasm::Export& e) {
  ExternType t;
  t.kind = e.kind;
  switch (e.kind) {
    case ExternKind::kFunc:
      t.func = m.func_type(e.index);
      break;
    case ExternKind::kTable:
      t.table = m.table_type(e.index);
      break;
    case ExternKind::kMemory:
      t.memory = m.memory_type(e.index);
      break;
    case ExternKind::kGlobal:
      t.global = m.global_type(e.index);
      break;
    case ExternKind::kTag:
      if (e.index < m.num_tags() && m.tag_type_index(e.index) < m.types.size())
        t.tag = m.types[m.tag_type_index(e.index)];
      break;
  }
  return t;
}

ExternType import_type(const wasm::Module& m, const wasm::Import& i) {
  ExternType t;
  t.kind = i.kind;
  switch (i.kind) {
    case ExternKind::kFunc:
      if (i.func_type < m.types.size()) t.func = m.types[i.func_type];
      break;
    case ExternKind::kTable:
      t.table = i.table;
      break;
    case ExternKind::kMemory:
      t.memory = i.memory;
      break;
    case ExternKind::kGlobal:
      t.global = i.global;
      break;
    case ExternKind::kTag:
      if (i.func_type < m.types.size()) t.tag = m.types[i.func_type];
      break;
  }
  return t;
}

// Export indices are only known to be in range after validation; inspect does not require a valid module.
bool export_in_range(const wasm::Module& m, const wasm::Export& e) {
  switch (e.kind) {
    case ExternKind::kFunc:
      return e.index < m.num_funcs() && m.func_type_index(e.index) < m.types.size();
    case ExternKind::kTable:
      return e.index < m.num_tables();
    case ExternKind::kMemory:
      return e.index < m.num_memories();
    case ExternKind::kGlobal:
      return e.index < m.num_globals();
    case ExternKind::kTag:
      return e.index < m.num_tags();
  }
  return false;
}

}  // namespace

// The section table of an already decoded module or component (so the framing is known to be well-formed).
std::vector<SectionInfo> list_sections(std::span<const uint8_t> bytes) {
  std::vector<SectionInfo> out;
  size_t pos = 8;
  auto leb = [&](size_t& at, uint64_t& v) {
    v = 0;
    for (int shift = 0; at < bytes.size() && shift < 35; shift += 7) {
      uint8_t b = bytes[at++];
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  };
  while (pos < bytes.size()) {
    SectionInfo s{bytes[pos], pos, 0, {}};
    size_t at = pos + 1;
    uint64_t size;
    if (!leb(at, size) || size > bytes.size() - at) break;
    s.size = size_t(size);
    if (s.id == 0) {
      size_t n = at;
      uint64_t len;
      if (leb(n, len) && len <= bytes.size() - n)
        s.custom_name.assign(reinterpret_cast<const char*>(&bytes[n]), len);
    }
    out.push_back(std::move(s));
    pos = at + size_t(size);
  }
  return out;
}

int cmd_inspect(int argc, char** argv) {
  std::string file;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (is_help_flag(arg)) {
      print_inspect_usage(stdout);
      return kExitOk;
    }
    if (!arg.empty() && arg[0] == '-' && arg != "-") {
      std::fprintf(stderr, "airwasm inspect: unknown option '%s'\n\n", argv[i]);
      print_inspect_usage(stderr);
      return kExitUsage;
    }
    if (!file.empty()) {
      std::fprintf(stderr, "airwasm inspect: one FILE.wasm at a time\n\n");
      print_inspect_usage(stderr);
      return kExitUsage;
    }
    file = arg;
  }
  if (file.empty()) {
    print_inspect_usage(stderr);
    return kExitUsage;
  }
  auto bytes = wast::read_file_bytes(file);
  if (!bytes) {
    print_read_error(file, bytes.error());
    return kExitFailure;
  }
  if (component::is_component_binary(*bytes)) return inspect_component(file, *bytes);
  auto decoded = decode::decode_module(*bytes, decode::DecodeOptions{});
  if (!decoded) {
    print_file_error(file, decoded.error());
    return kExitFailure;
  }
  const wasm::Module& m = **decoded;

  std::printf("module: %s (%zu bytes)\n", file.c_str(), bytes->size());
  if (m.names.module_name) std::printf("name: %s\n", m.names.module_name->c_str());

  std::printf("sections:\n");
  for (const SectionInfo& s : list_sections(*bytes)) {
    std::printf("  %-10s at 0x%08zx, %zu bytes", section_name(s.id), s.offset, s.size);
    if (s.id == 0) std::printf(" \"%s\"", s.custom_name.c_str());
    std::printf("\n");
  }

  std::printf("imports: %zu\n", m.imports.size());
  for (const wasm::Import& i : m.imports) {
    std::printf("  %s.%s: %s\n", i.module.c_str(), i.name.c_str(), type_text(m, import_type(m, i)).c_str());
  }
  std::printf("exports: %zu\n", m.exports.size());
  for (const wasm::Export& e : m.exports) {
    const std::string t = export_in_range(m, e)
                              ? type_text(m, export_type(m, e))
                              : std::string(extern_kind_name(e.kind)) + " (index out of range)";
    std::printf("  %s: %s\n", e.name.c_str(), t.c_str());
  }

  std::printf("functions: %u imported, %zu defined\n", m.num_imported_funcs, m.functions.size());
  std::printf("tables: %u imported, %zu defined\n", m.num_imported_tables, m.tables.size());
  for (uint32_t i = 0; i < m.num_tables(); ++i) {
    const TableType t = m.table_type(i);
    std::printf("  table %u: %s %s\n", i, valtype_name(t.elem), limits_text(t.limits, "").c_str());
  }
  std::printf("memories: %u imported, %zu defined\n", m.num_imported_memories, m.memories.size());
  for (uint32_t i = 0; i < m.num_memories(); ++i) {
    std::printf("  memory %u: %s\n", i, limits_text(m.memory_type(i).limits, " pages").c_str());
  }
  std::printf("globals: %u imported, %zu defined\n", m.num_imported_globals, m.globals.size());
  std::printf("data segments: %zu, element segments: %zu\n", m.datas.size(), m.elems.size());
  if (m.start) {
    auto it = m.names.function_names.find(*m.start);
    std::printf("start: function %u%s%s\n", *m.start, it != m.names.function_names.end() ? " " : "",
                it != m.names.function_names.end() ? it->second.c_str() : "");
  }
  std::printf("custom sections: %zu\n", m.customs.size());
  for (const wasm::CustomSection& c : m.customs) {
    std::printf("  \"%s\": %zu bytes\n", c.name.c_str(), c.payload.size());
  }
  return kExitOk;
}

}  // namespace airwasm::cli
