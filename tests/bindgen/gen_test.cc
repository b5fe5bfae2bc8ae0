// tests/bindgen: the generator on its own. The kitchen-sink world (wit/kitchen.wit: keywords as names,
// 40 flags, variants with list/tuple payloads, use-renames, host and guest resources, inline interfaces,
// world-level functions) is generated at build time and compiled with -Wall -Wextra -Werror; its types
// behave as docs/bindgen.md says, its Host classes can be implemented and linked. Names map as specified,
// and types without a typed mapping fail generation with a message naming them.
#include <gtest/gtest.h>

#include "bindgen/bindgen.hh"
#include "kitchen.hh"
#include "wit/wit.hh"

namespace {

namespace shapes = ::test::kitchen::shapes;
namespace kw = ::test::kitchen::keywords;
namespace files = ::test::kitchen::files;
using airwasm::Store;
using airwasm::TrapResult;
using airwasm::component::WitResult;
using airwasm::component::WitType;

TEST(BindgenNames, SnakePascalAndKeywords) {
  using airwasm::bindgen::pascal_name;
  using airwasm::bindgen::snake_name;
  EXPECT_EQ(snake_name("handle-message"), "handle_message");
  EXPECT_EQ(snake_name("DNS-timeout"), "dns_timeout");
  EXPECT_EQ(snake_name("namespace"), "namespace_");
  EXPECT_EQ(snake_name("delete"), "delete_");
  EXPECT_EQ(snake_name("linux"), "linux_");  // a macro in GNU mode
  EXPECT_EQ(pascal_name("component-id"), "ComponentId");
  EXPECT_EQ(pascal_name("HTTP-request-denied"), "HttpRequestDenied");
  EXPECT_EQ(pascal_name("class"), "Class");
}

TEST(BindgenTypes, KitchenTypes) {
  // Flags: a bit set; 40 flags take 64 bits, 3 take 8.
  static_assert(std::is_same_v<shapes::Wide::Bits, uint64_t>);
  static_assert(std::is_same_v<shapes::Small::Bits, uint8_t>);
  shapes::Wide w = shapes::Wide::kF0 | shapes::Wide::kF39;
  EXPECT_EQ(w.bits, (uint64_t{1} << 39) | 1);
  EXPECT_TRUE(w.contains(shapes::Wide::kF39));
  EXPECT_FALSE(w.contains(shapes::Wide::kF38));
  EXPECT_EQ((~shapes::Small::kRead).bits, 6);  // only the 3 defined flags
  EXPECT_EQ(std::string(WitType<shapes::Small>::flag_names[2]), "exec");
  // Variants: factories, predicates, accessors, ==.
  auto poly = shapes::Shape::polygon({{1, 2}, {3, 4}});
  EXPECT_TRUE(poly.is_polygon());
  EXPECT_EQ(poly.which(), shapes::Shape::Case::kPolygon);
  EXPECT_EQ(poly.as_polygon()[1], (shapes::Point{3, 4}));
  EXPECT_EQ(shapes::Shape::none(), shapes::Shape::none());
  EXPECT_NE(shapes::Shape::circle(1.0f), shapes::Shape::circle(2.0f));
  auto tagged = shapes::Shape::tagged({"t", shapes::Color::kBlue});
  EXPECT_EQ(std::get<1>(tagged.as_tagged()), shapes::Color::kBlue);
  // Keyword fields and use-renames.
  kw::Class c{.namespace_ = "n", .new_ = 1, .delete_ = true, .this_ = U'x'};
  EXPECT_EQ(c.namespace_, "n");
  static_assert(std::is_same_v<kw::Pt, shapes::Point>);
  static_assert(std::is_same_v<shapes::Points, std::vector<shapes::Point>>);
  // Resources: owned handles are RAII and move-only; an alias of a resource has both handle types.
  static_assert(!std::is_copy_constructible_v<files::File>);
  static_assert(std::is_nothrow_move_constructible_v<files::File>);
  static_assert(std::is_same_v<files::HandleBorrow, files::FileBorrow>);
  files::File empty;
  EXPECT_FALSE(empty.valid());
}

// Every Host class of the world can be implemented; their add_to_linker calls define the imports.
struct Keywords : kw::Host {
  TrapResult<WitResult<void, std::string>> delete_(Store&, kw::Class) override {
    return WitResult<void, std::string>::ok();
  }
  TrapResult<WitResult<std::tuple<uint64_t, double>, void>> switch_(Store&, kw::Pt, kw::Shape) override {
    return WitResult<std::tuple<uint64_t, double>, void>::ok(std::tuple<uint64_t, double>{1, 2.0});
  }
  TrapResult<std::vector<std::string>> dns_lookup(Store&, std::string) override { return {}; }
};
struct Files : files::Host {
  void file_drop(Store&, uint32_t) override {}
  TrapResult<files::File> file_new(Store& store, std::string) override {
    return files::File::create(store, 1);
  }
  TrapResult<WitResult<std::vector<uint8_t>, std::string>> file_read(Store&, files::FileBorrow,
                                                                     uint32_t) override {
    return WitResult<std::vector<uint8_t>, std::string>::err("no");
  }
  TrapResult<uint64_t> file_size(Store&, files::FileBorrow self) override { return self.rep(); }
  TrapResult<std::vector<files::File>> file_open_many(Store&, std::vector<std::string>) override {
    return std::vector<files::File>{};
  }
  TrapResult<files::File> file_merge(Store&, files::FileBorrow, files::File b) override { return b; }
  TrapResult<void> paint(Store&, files::HandleBorrow, files::Color) override { return {}; }
};
struct Clock : ::test::kitchen::kitchen::clock::Host {
  TrapResult<uint64_t> now(Store&) override { return 7; }
};
struct Root : ::test::kitchen::kitchen::Host {
  TrapResult<void> log(Store&, std::string) override { return {}; }
};

TEST(BindgenTypes, KitchenHostsLink) {
  airwasm::Engine engine;
  airwasm::component::Linker linker(engine);
  Keywords k;
  Files f;
  Clock c;
  Root r;
  auto ok = ::test::kitchen::Kitchen::add_to_linker(linker, k, f, c, r);
  ASSERT_TRUE(ok) << ok.error().message;
  // Defining the same interface twice is the Linker's duplicate error, passed through.
  auto again = files::add_to_linker(linker, f);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("file"), std::string::npos) << again.error().message;
}

airwasm::Result<airwasm::bindgen::Output> generate_text(const std::string& wit) {
  auto resolve = airwasm::wit::parse_wit_text("t.wit", wit);
  if (!resolve) return std::unexpected(resolve.error());
  auto world = airwasm::wit::select_world(*resolve);
  if (!world) return std::unexpected(world.error());
  return airwasm::bindgen::generate(*resolve, *world);
}

TEST(BindgenGenerate, UnsupportedTypesNamed) {
  auto out = generate_text("package a:b;\nworld w { export f: func(s: stream<u8>); }\n");
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("stream has no C++ mapping"), std::string::npos) << out.error().message;
  out = generate_text("package a:b;\nworld w { import f: func() -> future<u32>; }\n");
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("future"), std::string::npos) << out.error().message;
}

TEST(BindgenGenerate, DocsNamesAndFiles) {
  auto out = generate_text(
      "package a:b@1.0.0;\n/// The API.\ninterface api {\n  /// Adds.\n  add: func(a: u32, b: u32) -> "
      "u32;\n}\n"
      "world my-world { export api; }\n");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->header_name, "my_world.hh");
  EXPECT_EQ(out->source_name, "my_world.cc");
  EXPECT_NE(out->header.find("  /// Adds.\n"), std::string::npos);
  EXPECT_NE(out->header.find("/// The API.\n"), std::string::npos);
  EXPECT_NE(out->header.find("class MyWorld {"), std::string::npos);
  EXPECT_NE(out->source.find("instance.get_func(store, \"a:b/api@1.0.0\", \"add\")"), std::string::npos);
  EXPECT_NE(out->source.find("#include \"my_world.hh\""), std::string::npos);
}

}  // namespace
