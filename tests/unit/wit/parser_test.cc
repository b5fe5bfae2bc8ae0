// tests/unit/wit: the WIT parser rejects invalid input with "FILE:LINE:COL: message" at the right place
// (lexer, parser and resolver errors), and survives hostile nesting without exhausting the stack.
#include <gtest/gtest.h>

#include <string>

#include "wit/wit.hh"

using airwasm::wit::parse_wit_text;

namespace {

// The error of parsing `text` as t.wit, or "ok".
std::string err(const std::string& text) {
  auto r = parse_wit_text("t.wit", text);
  if (r) return "ok";
  return r.error().message;
}

// Checks that the error starts at line:col and contains `what`.
void expect_error(const std::string& text, int line, int col, const std::string& what) {
  std::string e = err(text);
  std::string where = "t.wit:" + std::to_string(line) + ":" + std::to_string(col) + ": ";
  EXPECT_EQ(e.substr(0, where.size()), where) << e;
  EXPECT_NE(e.find(what), std::string::npos) << e;
}

}  // namespace

TEST(WitParserErrors, Lexical) {
  expect_error("package a:b;\n/* never closed\ninterface i {}\n", 2, 1, "unterminated block comment");
  expect_error("package a:b;\n/* outer /* inner */ still open\n", 2, 1, "unterminated block comment");
  expect_error("package a:b;\ninterface i {\n  $x: func();\n}\n", 3, 3, "unexpected character `$`");
  expect_error("package a:b;\nworld w {\n  @external-id(\"abc\n  import f: func();\n}\n", 3, 16,
               "unterminated string literal");
  expect_error("package a:b;\nworld w {\n  @external-id(\"\\q\")\n  import f: func();\n}\n", 3, 17,
               "invalid escape");
  expect_error("package a:b;\ninterface i {\n  % x: func();\n}\n", 3, 3, "expected an identifier after `%`");
  expect_error("package a:b;\ninterface i {\n  \xff\n}\n", 3, 3, "not valid UTF-8");
  expect_error("package a:b;\n// caf\xc3\xa9 is fine, \xc3( is not\n", 2, 19,
               "not valid UTF-8");  // columns count bytes
  expect_error("package a:b;\ninterface i {\n  caf\xc3\xa9: func();\n}\n", 3, 6,
               "unexpected character (byte 0xc3)");
}

TEST(WitParserErrors, Names) {
  expect_error("package a:b;\ninterface Foo-bar {}\n", 2, 11, "`Foo-bar` is not in kebab case");
  expect_error("package a:b;\ninterface i {\n  type a_b = u8;\n}\n", 3, 8, "`a_b` is not in kebab case");
  expect_error("package a:b;\ninterface i {\n  type x- = u8;\n}\n", 3, 8, "`x-` is not in kebab case");
}

TEST(WitParserErrors, Syntax) {
  expect_error("package a:b;\ninterface i {\n  f: func()\n}\n", 4, 1, "expected `;`, found `}`");
  expect_error("package a:b;\ninterface i {\n  record r { x u32 }\n}\n", 3, 16, "expected `:`, found `u32`");
  expect_error("package a:b;\ninterface i {\n  type t = list<u8;\n}\n", 3, 19, "expected `>`");
  expect_error("package a:b;\ninterface i {\n  f: func(x: record);\n}\n", 3, 14,
               "expected a type, found `record`");
  expect_error("package a:b;\ninterface i {\n  enum e {}\n}\n", 3, 8, "must have at least one case");
  expect_error("package a:b;\nfoo\n", 2, 1, "expected `package`, `interface`, `world` or `use`");
  expect_error("interface i {}\npackage a:b;\n", 2, 1, "must come before any other item");
  expect_error("package a:b;\nworld w {\n  import a:b;\n}\n", 3, 13, "expected `/`");
  expect_error("package a:b;\ninterface i {\n  use j.{};\n}\n", 3, 7, "at least one type");
  expect_error("package a:b;\ninterface i {\n  f: func() -> list<u8, 0>;\n}\n", 3, 25, "invalid list length");
}

TEST(WitParserErrors, Versions) {
  expect_error("package a:b@1.0;\n", 1, 13, "invalid version `1.0`");
  expect_error("package a:b@01.0.0;\n", 1, 13, "invalid leading zero");
  expect_error("package a:b@1.0.0-;\n", 1, 13, "invalid version");
  expect_error("package a:b;\nworld w {\n  import c:d/e@x;\n}\n", 3, 16, "invalid version `x`");
  expect_error("package a:b@1.0.0;\ninterface i {\n  @since(version = 1.x)\n  f: func();\n}\n", 3, 20,
               "invalid version `1.x`");
}

TEST(WitParserErrors, Gates) {
  expect_error("package a:b;\ninterface i {\n  @unstable(version = 1.0.0)\n  f: func();\n}\n", 3, 3,
               "`@unstable` takes exactly `feature = ...`");
  expect_error("package a:b;\ninterface i {\n  @deprecated(version = 1.0.0)\n  f: func();\n}\n", 4, 3,
               "`@deprecated` needs a `@since` or `@unstable`");
  expect_error(
      "package a:b;\ninterface i {\n  @since(version = 1.0.0)\n  @unstable(feature = x)\n  f: func();\n}\n",
      4, 3, "only one of `@since` and `@unstable`");
  expect_error("package a:b;\ninterface i {\n  @frobnicate(version = 1.0.0)\n  f: func();\n}\n", 3, 4,
               "unknown attribute `@frobnicate`");
}

TEST(WitParserErrors, UnknownNames) {
  expect_error("package a:b;\ninterface i {\n  f: func(x: foo);\n}\n", 3, 14, "type `foo` does not exist");
  expect_error("package a:b;\ninterface i {\n  use nope.{t};\n}\n", 3, 7,
               "interface or world `nope` does not exist");
  expect_error("package a:b;\ninterface i {\n  use j.{missing};\n}\ninterface j {}\n", 3, 10,
               "type `missing` not defined in interface `j`");
  expect_error("package a:b;\ninterface i {\n  use x:y/z.{t};\n}\n", 3, 7, "package `x:y` not found");
  expect_error("package a:b;\nworld w {\n  import nope;\n}\n", 3, 10, "`nope` does not exist");
  expect_error("package a:b;\nworld w {\n  include nope;\n}\n", 3, 11, "world `nope` not found");
  expect_error("package a:b;\ninterface i {\n  type t = u8;\n  f: func(x: borrow<t>);\n}\n", 4, 21,
               "type `t` is not a resource");
  expect_error("package a:b;\nworld v { import f: func(); }\nworld w {\n  include v with { g as h }\n}\n", 4,
               20, "`with` name `g` is not an item of the included world");
}

TEST(WitParserErrors, Duplicates) {
  expect_error("package a:b;\ninterface i {\n  type a = u8;\n  type a = u16;\n}\n", 4, 8,
               "name `a` is defined more than once");
  expect_error("package a:b;\ninterface i {\n  type f = u8;\n  f: func();\n}\n", 4, 3,
               "name `f` is defined more than once");
  expect_error("package a:b;\ninterface i {}\nworld i {}\n", 3, 7, "name `i` is defined more than once");
  expect_error("package a:b;\ninterface i {\n  record r {\n    x: u8,\n    x: u16,\n  }\n}\n", 5, 5,
               "field `x` is defined more than once");
  expect_error("package a:b;\ninterface i {\n  enum e { a, b, a }\n}\n", 3, 18,
               "`a` is defined more than once");
  expect_error("package a:b;\ninterface i {\n  f: func(x: u8, x: u8);\n}\n", 3, 18,
               "param `x` is defined more than once");
  expect_error("package a:b;\nworld w {\n  import f: func();\n  import f: func();\n}\n", 4, 10,
               "name `f` is imported more than once");
  expect_error("package a:b;\ninterface i {\n  resource r {\n    g: func();\n    g: static func();\n  }\n}\n",
               5, 5, "`g` is defined more than once in resource `r`");
  expect_error("package a:b;\npackage c:d {}\npackage c:d {}\n", 3, 9,
               "package `c:d` is defined more than once");
}

TEST(WitParserErrors, Cycles) {
  expect_error(
      "package a:b;\ninterface i {\n  use j.{t};\n  type u = u8;\n}\ninterface j {\n  use i.{u};\n  type t = "
      "u8;\n}\n",
      7, 7, "interface `i` depends on itself");
  expect_error("package a:b;\ninterface i {\n  type a = b;\n  type b = a;\n}\n", 3, 8,
               "type `a` depends on itself");
  expect_error("package a:b;\ninterface i {\n  record r { x: list<r> }\n}\n", 3, 10,
               "type `r` depends on itself");
  expect_error("package a:b;\nworld v { include w; }\nworld w { include v; }\n", 2, 7,
               "world `v` includes itself");
  expect_error("package a:b;\ninterface i {\n  use i.{t};\n  type t = u8;\n}\n", 3, 7,
               "interface `i` depends on itself");
  expect_error(
      "package a:b;\npackage x:y {\n  interface i { use z:w/j.{t}; }\n}\npackage z:w {\n  interface j { use "
      "x:y/i.{t}; }\n}\n",
      5, 9, "package `z:w` depends on itself (through `x:y`)");
}

// wit-parser's example (WebAssembly/component-model#208): `c` needs `b`, which is imported, so `a` (which
// `b` needs) must be imported too, yet the world exports `a`.
TEST(WitParserErrors, ExportNeedsItsOwnExportImported) {
  std::string base =
      "package a:b;\ninterface a { type t = u32; }\ninterface b { use a.{t}; }\n"
      "interface c { use a.{t}; use b.{t as t2}; }\n";
  expect_error(base + "world foo {\n  export a;\n  export c;\n}\n", 5, 7,
               "interface `a:b/a` is exported, but an exported interface also needs it imported");
  expect_error(base + "world foo {\n  export c;\n  export a;\n}\n", 5, 7, "interface `a:b/a` is exported");
  EXPECT_EQ(err(base + "world ok {\n  export a;\n  export b;\n  export c;\n}\n"), "ok");
  EXPECT_EQ(err(base + "world ok {\n  export c;\n}\n"), "ok");
}

TEST(WitParserErrors, Packages) {
  expect_error("interface i {}\n", 1, 1, "no `package` header");
  airwasm::wit::SourceGroup g = {{"a.wit", "package a:b;\n"}, {"b.wit", "\npackage a:c;\n"}};
  std::vector<airwasm::wit::SourceGroup> groups = {g};
  auto r = airwasm::wit::resolve_groups(groups);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.substr(0, 10), "b.wit:2:9:") << r.error().message;
  EXPECT_NE(r.error().message.find("does not match previous package name of `a:b`"), std::string::npos);
}

// Hostile nesting gives an error, never a stack overflow.
TEST(WitParserErrors, DeepNesting) {
  std::string deep = "package a:b;\ninterface i {\n  type t = ";
  for (int i = 0; i < 100000; ++i) deep += "list<";
  EXPECT_NE(err(deep).find("nested too deeply"), std::string::npos);
  std::string comments = "package a:b;\n";
  for (int i = 0; i < 100000; ++i) comments += "/*";
  EXPECT_NE(err(comments).find("nested too deeply"), std::string::npos);
  // A long alias chain written last to first: each alias is filled on first use, recursively.
  std::string chain = "package a:b;\ninterface i {\n";
  for (int i = 0; i < 20000; ++i)
    chain += "  type t" + std::to_string(i) + " = t" + std::to_string(i + 1) + ";\n";
  chain += "  type t20000 = u8;\n}\n";
  EXPECT_NE(err(chain).find("nested too deeply"), std::string::npos);
  // Aliases whose deep expressions each end in the next alias: the two depths multiply.
  std::string deep_chain = "package a:b;\ninterface i {\n";
  for (int k = 0; k < 600; ++k) {
    deep_chain += "  type a" + std::to_string(k) + " = ";
    for (int j = 0; j < 90; ++j) deep_chain += "list<";
    deep_chain += "a" + std::to_string(k + 1);
    for (int j = 0; j < 90; ++j) deep_chain += ">";
    deep_chain += ";\n";
  }
  deep_chain += "  type a600 = u8;\n}\n";
  EXPECT_NE(err(deep_chain).find("nested too deeply"), std::string::npos);
  // Many interfaces using each other in a chain.
  std::string ifaces = "package a:b;\n";
  for (int i = 0; i < 5000; ++i) {
    ifaces += "interface i" + std::to_string(i) + " { use i" + std::to_string(i + 1) + ".{t}; }\n";
  }
  ifaces += "interface i5000 { type t = u8; }\n";
  EXPECT_NE(err(ifaces).find("too deeply"), std::string::npos);
}

// Truncations of a valid file never crash and (but for the complete text) fail with a position.
TEST(WitParserErrors, EveryPrefix) {
  std::string text =
      "package a:b@1.0.0;\n"
      "/// docs\n"
      "interface i {\n"
      "  use j.{t as u};\n"
      "  record r { x: u8, y: option<tuple<u, string>> }\n"
      "  resource res { constructor(n: u32); m: func() -> result<_, r>; s: static func(); }\n"
      "  @since(version = 1.0.0)\n"
      "  f: async func(a: borrow<res>) -> list<u8, 4>;\n"
      "}\n"
      "interface j { type t = u32; }\n"
      "world w { import i; export e: func(); include v with { g as h } }\n"
      "world v { import g: func(); }\n";
  ASSERT_EQ(err(text), "ok");
  for (size_t n = 0; n + 1 < text.size(); ++n) {
    std::string e = err(text.substr(0, n));
    if (e == "ok") continue;  // a prefix can be complete WIT (e.g. ends after an item)
    EXPECT_EQ(e.substr(0, 6), "t.wit:") << n << ": " << e;
  }
}
