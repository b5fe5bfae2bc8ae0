// tests/component: unit tests for the component layer: names, the type model's canonical ABI, the
// reader's error wording.
#include <gtest/gtest.h>

#include "component/names.hh"
#include "component/reader.hh"
#include "component/types.hh"
#include "component/validator.hh"

using namespace airwasm::component;

TEST(Names, Kebab) {
  EXPECT_TRUE(is_kebab("a-b-c"));
  EXPECT_TRUE(is_kebab("A1-2-3"));
  EXPECT_TRUE(is_kebab("m1x3d-4CR0NYMS"));
  EXPECT_FALSE(is_kebab("1-2-3"));
  EXPECT_FALSE(is_kebab("aBc"));
  EXPECT_FALSE(is_kebab("a-"));
  EXPECT_FALSE(is_kebab(""));
}

TEST(Names, InterfaceWithVersion) {
  auto n = parse_extern_name("wasi:cli/environment@0.2.3", 0);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->kind, ParsedName::Kind::kInterface);
  EXPECT_EQ(n->ns, "wasi");
  EXPECT_EQ(n->package, "cli");
  EXPECT_EQ(n->iface, "environment");
  EXPECT_EQ(n->version, "0.2.3");
  EXPECT_TRUE(check_semver(n->version, 0).has_value());
  EXPECT_FALSE(parse_extern_name("foo:bar/baz/qux", 0).has_value());
  EXPECT_FALSE(parse_extern_name("foo:bar:baz/qux", 0).has_value());
}

TEST(Names, StrongUniqueness) {
  auto a = parse_extern_name("[method]foo.foo", 0);
  auto b = parse_extern_name("FOO", 0);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->unique_key(), b->unique_key());
  auto c = parse_extern_name("[constructor]foo", 0);
  EXPECT_NE(c->unique_key(), b->unique_key());
}

TEST(Names, Semver) {
  EXPECT_TRUE(check_semver("1.2.3-rc.1+build.5", 0).has_value());
  auto e = check_semver("2.0x0", 0);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("unexpected character 'x'"), std::string::npos);
  EXPECT_FALSE(check_semver("", 0).has_value());
}

TEST(Types, CanonicalAbiLayout) {
  TypeStore s;
  TypeNode rec;
  rec.kind = TypeKind::kRecord;
  rec.labels = {"a", "b", "c"};
  rec.children = {s.prim(Prim::kU8), s.prim(Prim::kU32), s.prim(Prim::kString)};
  TypeId r = s.intern(rec);
  EXPECT_EQ(s.canon(r).size, 16u);
  EXPECT_EQ(s.canon(r).align, 4u);
  EXPECT_EQ(s.canon(r).flat.size(), 4u);
  // Hash-consing: the same structure is the same id; an alias shares the canonical node.
  EXPECT_EQ(s.intern(rec), r);
  TypeId al = s.alias(r);
  EXPECT_NE(al, r);
  EXPECT_EQ(s.canon_id(al), s.canon_id(r));

  TypeNode var;
  var.kind = TypeKind::kVariant;
  var.labels = {"x", "y"};
  var.children = {s.prim(Prim::kF32), s.prim(Prim::kU64)};
  TypeId v = s.intern(var);
  EXPECT_EQ(s.canon(v).size, 16u);
  EXPECT_EQ(s.canon(v).align, 8u);
  ASSERT_EQ(s.canon(v).flat.size(), 2u);
  EXPECT_EQ(s.canon(v).flat[1], FlatType::kI64);  // join(f32, i64) = i64
}

TEST(Reader, Messages) {
  const uint8_t bad_kind[] = {0x00, 'a',  's',  'm',  0x0d, 0x00, 0x01, 0x00,
                              0x0a, 0x06, 0x01, 0x00, 0x01, 'x',  0x06, 0x00};
  auto r = read_component(bad_kind);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "invalid leading byte (0x6) for component external kind");
  const uint8_t truncated[] = {0x00, 'a', 's', 'm', 0x0d, 0x00, 0x01, 0x00, 0x07, 0x03, 0x00};
  r = read_component(truncated);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "unexpected end-of-file");
}

TEST(Validator, EmptyComponent) {
  const uint8_t empty[] = {0x00, 'a', 's', 'm', 0x0d, 0x00, 0x01, 0x00};
  auto v = load_component(empty);
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->store->component(v->type).imports.empty());
}
