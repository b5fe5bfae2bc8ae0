// tests/unit/wit: what the WIT parser builds (component::wit::Resolve): packages in dependency order,
// `use` aliases, resources with their functions, handles, doc comments and gates kept for bindings
// generators, `include` with `with`, world elaboration, deps/ directories, and the printed form.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "component/wit_printer.hh"
#include "wit/wit.hh"

using namespace airwasm;
namespace model = component::wit;

namespace {

model::Resolve parse(const std::string& text, const wit::ParseOptions& options = {}) {
  auto r = wit::parse_wit_text("t.wit", text, options);
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return r ? std::move(*r) : model::Resolve{};
}

std::string print(const model::Resolve& r) {
  auto s = component::print_wit(r);
  return s ? *s : "error: " + s.error().message;
}

const model::TypeDef* find_type(const model::Resolve& r, const model::Interface& i, const std::string& name) {
  for (auto& [n, id] : i.types) {
    if (n == name) return &r.types[id];
  }
  return nullptr;
}

}  // namespace

TEST(WitResolve, InterfaceTypesAndResources) {
  model::Resolve r = parse(
      "package a:b@1.0.0;\n"
      "/// The api.\n"
      "interface api {\n"
      "  use types.{point as pt};\n"
      "  /// A resource.\n"
      "  resource file {\n"
      "    /// Opens.\n"
      "    constructor(path: string);\n"
      "    read: func(n: u32) -> list<u8>;\n"
      "    open: static func(p: string) -> result<file, string>;\n"
      "  }\n"
      "  type handle = file;\n"
      "  take: func(f: file, h: borrow<handle>, p: pt);\n"
      "}\n"
      "interface types {\n"
      "  record point {\n"
      "    /// x doc\n"
      "    x: s32,\n"
      "    y: s32,\n"
      "  }\n"
      "}\n");
  ASSERT_EQ(r.packages.size(), 1u);
  const model::Package& p = r.packages[r.main_package];
  EXPECT_EQ(p.ns, "a");
  EXPECT_EQ(p.version, "1.0.0");
  ASSERT_EQ(p.interfaces.size(), 2u);
  EXPECT_EQ(p.interfaces[0].first, "api");  // source order
  const model::Interface& api = r.interfaces[p.interfaces[0].second];
  EXPECT_EQ(api.docs, "The api.");
  // `use types.{point as pt}`: an alias owned by api, of the type owned by types.
  const model::TypeDef* pt = find_type(r, api, "pt");
  ASSERT_NE(pt, nullptr);
  EXPECT_EQ(pt->kind, model::DefKind::kAlias);
  const model::TypeDef& point = r.types[pt->types[0]->id];
  EXPECT_EQ(point.name, "point");
  EXPECT_EQ(point.owner.index, p.interfaces[1].second);
  ASSERT_EQ(point.label_docs.size(), 2u);
  EXPECT_EQ(point.label_docs[0], "x doc");
  // The resource's functions name it; a method's first parameter is `self: borrow<file>`.
  const model::TypeDef* file = find_type(r, api, "file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->kind, model::DefKind::kResource);
  EXPECT_EQ(file->docs, "A resource.");
  uint32_t file_id = api.types[1].second;
  ASSERT_EQ(api.functions.size(), 4u);
  EXPECT_EQ(api.functions[0].name, "[constructor]file");
  EXPECT_EQ(api.functions[0].docs, "Opens.");
  EXPECT_EQ(api.functions[0].resource, file_id);
  EXPECT_EQ(r.types[api.functions[0].result->id].kind, model::DefKind::kOwn);
  EXPECT_EQ(api.functions[1].name, "[method]file.read");
  EXPECT_EQ(api.functions[1].kind, model::FuncKind::kMethod);
  EXPECT_EQ(api.functions[1].params[0].first, "self");
  EXPECT_EQ(r.types[api.functions[1].params[0].second.id].kind, model::DefKind::kBorrow);
  EXPECT_EQ(api.functions[2].name, "[static]file.open");
  // `type handle = file` aliases the resource; a bare resource name in a parameter is own<...>.
  const model::TypeDef* handle = find_type(r, api, "handle");
  EXPECT_EQ(handle->kind, model::DefKind::kAlias);
  const model::Function& take = api.functions[3];
  EXPECT_EQ(r.types[take.params[0].second.id].kind, model::DefKind::kOwn);
  EXPECT_EQ(r.types[take.params[1].second.id].kind, model::DefKind::kBorrow);
  EXPECT_EQ(r.types[take.params[1].second.id].resource, api.types[2].second);  // borrow<handle>
  EXPECT_EQ(print(r),
            "package a:b@1.0.0;\n\n"
            "/// The api.\n"
            "interface api {\n"
            "  use types.{point as pt};\n\n"
            "  /// A resource.\n"
            "  resource file {\n"
            "    /// Opens.\n"
            "    constructor(path: string);\n"
            "    read: func(n: u32) -> list<u8>;\n"
            "    open: static func(p: string) -> result<file, string>;\n"
            "  }\n\n"
            "  type handle = file;\n\n"
            "  take: func(f: file, h: borrow<handle>, p: pt);\n"
            "}\n\n"
            "interface types {\n"
            "  record point {\n"
            "    /// x doc\n"
            "    x: s32,\n"
            "    y: s32,\n"
            "  }\n"
            "}\n");
}

TEST(WitResolve, GatesAndFeatures) {
  std::string text =
      "package a:b@2.0.0;\n"
      "interface i {\n"
      "  @since(version = 1.0.0)\n"
      "  @deprecated(version = 2.0.0)\n"
      "  old: func();\n"
      "  @unstable(feature = shiny)\n"
      "  new: func();\n"
      "}\n";
  model::Resolve r = parse(text);
  const model::Interface& i = r.interfaces[0];
  ASSERT_EQ(i.functions.size(), 1u);  // `new` is dropped: feature not enabled
  EXPECT_EQ(i.functions[0].stability.kind, model::Stability::Kind::kStable);
  EXPECT_EQ(i.functions[0].stability.since, "1.0.0");
  EXPECT_EQ(i.functions[0].stability.deprecated, "2.0.0");
  wit::ParseOptions with;
  with.features = {"shiny"};
  model::Resolve r2 = parse(text, with);
  ASSERT_EQ(r2.interfaces[0].functions.size(), 2u);
  EXPECT_EQ(r2.interfaces[0].functions[1].stability.feature, "shiny");
  EXPECT_EQ(print(r2),
            "package a:b@2.0.0;\n\n"
            "interface i {\n"
            "  @since(version = 1.0.0)\n"
            "  @deprecated(version = 2.0.0)\n"
            "  old: func();\n\n"
            "  @unstable(feature = shiny)\n"
            "  new: func();\n"
            "}\n");
}

TEST(WitResolve, WorldsIncludeAndElaboration) {
  model::Resolve r = parse(
      "package a:b;\n"
      "interface types { type t = u32; }\n"
      "interface api { use types.{t}; f: func() -> t; }\n"
      "world base { import log: func(); export run: func(); }\n"
      "world app {\n"
      "  import api;\n"
      "  include base with { log as log2 }\n"
      "  export api;\n"
      "}\n");
  const model::World& app = r.worlds[1];
  EXPECT_EQ(app.name, "app");
  // `types` is imported before `api`, which uses it; the included `log` is renamed.
  ASSERT_EQ(app.imports.size(), 3u);
  EXPECT_EQ(app.imports[0].kind, model::WorldItem::Kind::kInterface);
  EXPECT_EQ(r.interfaces[app.imports[0].id].name, "types");
  EXPECT_EQ(r.interfaces[app.imports[1].id].name, "api");
  EXPECT_EQ(app.imports[2].name, "log2");
  EXPECT_EQ(app.imports[2].func.name, "log2");
  ASSERT_EQ(app.exports.size(), 2u);
  EXPECT_EQ(app.exports[1].name, "run");
  EXPECT_EQ(print(r),
            "package a:b;\n\n"
            "interface types {\n  type t = u32;\n}\n\n"
            "interface api {\n  use types.{t};\n\n  f: func() -> t;\n}\n\n"
            "world base {\n  import log: func();\n\n  export run: func();\n}\n\n"
            "world app {\n  import types;\n  import api;\n  import log2: func();\n\n"
            "  export api;\n  export run: func();\n}\n");
}

TEST(WitResolve, NestedPackagesAndTopLevelUse) {
  model::Resolve r = parse(
      "package root:app;\n"
      "use dep:lib/types@0.1.0 as lib;\n"
      "world w {\n"
      "  use lib.{id};\n"
      "  import get: func() -> id;\n"
      "}\n"
      "package dep:lib@0.1.0 {\n"
      "  interface types { type id = string; }\n"
      "}\n");
  ASSERT_EQ(r.packages.size(), 2u);
  EXPECT_EQ(r.packages[0].name, "lib");  // dependencies first
  EXPECT_EQ(r.main_package, 1u);
  EXPECT_EQ(print(r),
            "package root:app;\n\n"
            "world w {\n"
            "  import dep:lib/types@0.1.0;\n"
            "  use dep:lib/types@0.1.0.{id};\n"
            "  import get: func() -> id;\n"
            "}\n"
            "package dep:lib@0.1.0 {\n"
            "  interface types {\n    type id = string;\n  }\n"
            "}\n");
}

TEST(WitResolve, InlineInterfacesExternalIdsAndNamedImports) {
  std::string text =
      "package root:component;\n"
      "\n"
      "world root {\n"
      "  @external-id(\"\\u{2603}x\")\n"
      "  import store1: w:kv/s;\n"
      "  import x: interface {\n"
      "    variant v {\n"
      "      a(list<u8>),\n"
      "      b,\n"
      "    }\n"
      "  }\n"
      "\n"
      "  export f: async func(x: future<u32>, y: stream) -> map<string, u8>;\n"
      "}\n"
      "package w:kv {\n"
      "  interface s {\n"
      "  }\n"
      "}\n";
  model::Resolve r = parse(text);
  const model::World& w = r.worlds[0];
  EXPECT_EQ(w.imports[0].external_id, "\xe2\x98\x83x");
  EXPECT_EQ(w.imports[0].name, "store1");
  EXPECT_FALSE(r.interfaces[w.imports[1].id].name.has_value());
  EXPECT_EQ(print(r), text);
}

TEST(WitResolve, DepsDirectory) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("airwasm-wit-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "deps" / "io");
  auto write = [](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };
  write(dir / "b.wit", "interface api { use wasi:io/streams.{stream}; read: func() -> stream; }\n");
  write(dir / "a.wit", "package my:app;\nworld w { import api; }\n");
  write(dir / "deps" / "io" / "streams.wit",
        "package wasi:io@0.2.0;\ninterface streams { resource stream; }\n");
  write(dir / "deps" / "clocks.wit", "package wasi:clocks;\ninterface c { now: func() -> u64; }\n");
  write(dir / "deps" / "ignored.txt", "not wit");
  auto r = wit::parse_wit_path(dir.string());
  fs::remove_all(dir);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->packages.size(), 3u);
  EXPECT_EQ(r->packages[r->main_package].name, "app");
  EXPECT_EQ(r->main_package, 2u);
  // wasi:io is found without a version in the `use` (its only version).
  const model::World& w = r->worlds[0];
  ASSERT_EQ(w.imports.size(), 2u);
  EXPECT_EQ(r->interfaces[w.imports[0].id].name, "streams");
}

TEST(WitResolve, Json) {
  model::Resolve r = parse("package a:b;\n/// d\ninterface i { record r { x: option<u8> } }\n");
  std::string j = wit::resolve_to_json(r);
  EXPECT_NE(j.find("\"interfaces\":[{\"name\":\"i\",\"package\":0,\"types\":{\"r\":0}"), std::string::npos)
      << j;
  EXPECT_NE(j.find("{\"name\":\"r\",\"kind\":{\"record\":[{\"name\":\"x\",\"type\":1}]}"), std::string::npos)
      << j;
  EXPECT_NE(j.find("{\"name\":null,\"kind\":{\"option\":\"u8\"},\"owner\":null}"), std::string::npos) << j;
  EXPECT_NE(j.find("\"docs\":{\"contents\":\"d\"}"), std::string::npos) << j;
}

TEST(WitResolve, SelectWorldAndResourceFunctions) {
  model::Resolve r = parse(
      "package a:b@1.0.0;\n"
      "interface i { resource r { constructor(); get: func() -> u32; } f: func(); }\n"
      "world one { resource local { peek: func(); } import i; }\n"
      "world two { export i; }\n"
      "package c:d@2.0.0 { world w {} }\n");
  EXPECT_FALSE(wit::select_world(r).has_value());  // two worlds in the main package
  EXPECT_NE(wit::select_world(r).error().message.find("several worlds (`one`, `two`)"), std::string::npos);
  auto one = wit::select_world(r, "one");
  ASSERT_TRUE(one);
  EXPECT_EQ(r.worlds[*one].name, "one");
  auto w = wit::select_world(r, "c:d/w@2.0.0");
  ASSERT_TRUE(w);
  EXPECT_EQ(r.worlds[*w].name, "w");
  EXPECT_TRUE(wit::select_world(r, "c:d/w"));  // the only version
  EXPECT_FALSE(wit::select_world(r, "three"));
  EXPECT_FALSE(wit::select_world(r, "c:d/w@1.0.0"));
  // A resource's functions, from its interface or from its world's imports.
  const model::Interface& i = r.interfaces[r.packages[r.main_package].interfaces[0].second];
  auto funcs = model::resource_functions(r, i.types[0].second);
  ASSERT_EQ(funcs.size(), 2u);
  EXPECT_EQ(funcs[0]->name, "[constructor]r");
  EXPECT_EQ(funcs[1]->name, "[method]r.get");
  uint32_t local = 0;
  for (const model::WorldItem& item : r.worlds[*one].imports) {
    if (item.kind == model::WorldItem::Kind::kType) local = item.id;
  }
  auto world_funcs = model::resource_functions(r, local);
  ASSERT_EQ(world_funcs.size(), 1u);
  EXPECT_EQ(world_funcs[0]->name, "[method]local.peek");
}
