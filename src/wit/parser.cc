// wit: the recursive-descent WIT parser (see parser.hh). One token of lookahead (`tok_`), plus raw
// version reads after `@` and `=`. Names are checked for kebab case here, where their position is
// known; everything that needs other items (unknown names, duplicates, cycles) is left to resolve.cc.
#include "wit/parser.hh"

#include <algorithm>

#include "base/utf8.hh"
#include "component/names.hh"

namespace airwasm::wit {

namespace {

using namespace ast;
using Prim = component::Prim;

constexpr int kMaxDepth = 100;  // nesting of types and inline interfaces

struct PrimName {
  std::string_view name;
  Prim prim;
};
constexpr PrimName kPrims[] = {
    {"bool", Prim::kBool},   {"s8", Prim::kS8},     {"u8", Prim::kU8},         {"s16", Prim::kS16},
    {"u16", Prim::kU16},     {"s32", Prim::kS32},   {"u32", Prim::kU32},       {"s64", Prim::kS64},
    {"u64", Prim::kU64},     {"f32", Prim::kF32},   {"f64", Prim::kF64},       {"float32", Prim::kF32},
    {"float64", Prim::kF64}, {"char", Prim::kChar}, {"string", Prim::kString},
};

class Parser {
 public:
  Parser(const Source& src, uint32_t index) : src_(src), lex_(src), index_(index) {}
  Result<File> run();

 private:
  // Tokens.
  Result<void> advance() {
    prev_end_ = lex_.position();
    AIRWASM_TRY_ASSIGN(tok_, lex_.next());
    return {};
  }
  bool at(Tok k) const { return tok_.kind == k; }
  bool at_kw(std::string_view kw) const { return tok_.kind == Tok::kId && tok_.text == kw; }
  Result<bool> eat(Tok k) {
    if (!at(k)) return false;
    AIRWASM_TRY(advance());
    return true;
  }
  Result<bool> eat_kw(std::string_view kw) {
    if (!at_kw(kw)) return false;
    AIRWASM_TRY(advance());
    return true;
  }
  std::unexpected<Error> unexpected(const std::string& expected) const {
    std::string found = tok_name(tok_.kind);
    if (tok_.kind == Tok::kId || tok_.kind == Tok::kExplicitId) found = "`" + tok_.text + "`";
    return error_at(src_, tok_.offset, "expected " + expected + ", found " + found);
  }
  Result<void> expect(Tok k) {
    if (!at(k)) return unexpected(tok_name(k));
    return advance();
  }
  Result<void> expect_kw(std::string_view kw) {
    if (!at_kw(kw)) return unexpected("`" + std::string(kw) + "`");
    return advance();
  }
  Result<Id> id();
  Result<std::string> version(uint32_t& offset);
  std::unexpected<Error> too_deep() const { return error_at(src_, tok_.offset, "WIT nested too deeply"); }

  // Items.
  Result<Attrs> attrs();
  Result<PackageName> package_name();
  Result<UsePath> use_path();
  Result<Use> use_item(Attrs a);
  Result<Interface> interface_body(Id name, Attrs a, int depth);
  Result<World> world(Attrs a);
  Result<PackageBody> package_body(std::vector<TopUse>& uses);
  Result<TopUse> top_use();
  Result<bool> typedef_item(Attrs& a, std::vector<TypeDecl>& out, int depth);
  Result<FuncSig> func_sig(int depth);
  Result<Type> type(int depth);
  Result<Extern> extern_item(bool is_import, Attrs a, int depth);

  const Source& src_;
  Lexer lex_;
  uint32_t index_;
  Token tok_;
  uint32_t prev_end_ = 0;  // the end of the token before tok_
};

Result<Id> Parser::id() {
  if (!at(Tok::kId) && !at(Tok::kExplicitId)) return unexpected("an identifier");
  Id out{tok_.text, tok_.offset};
  if (!component::is_kebab(out.name)) {
    return error_at(src_, tok_.offset, "identifier `" + out.name + "` is not in kebab case");
  }
  AIRWASM_TRY(advance());
  return out;
}

// After `@` (already consumed as the current token): the version text up to the next token.
Result<std::string> Parser::version(uint32_t& offset) {
  AIRWASM_TRY_ASSIGN(std::string v, lex_.version(offset));
  if (auto ok = component::check_semver(v, 0); !ok) {
    return error_at(src_, offset, "invalid version `" + v + "`: " + ok.error().message);
  }
  AIRWASM_TRY(advance());
  return v;
}

Result<Attrs> Parser::attrs() {
  Attrs a;
  if (tok_.has_docs) a.docs = tok_.docs;
  bool gated = false, deprecated = false;
  while (at(Tok::kAt)) {
    uint32_t at_offset = tok_.offset;
    AIRWASM_TRY(advance());
    AIRWASM_TRY_ASSIGN(Id name, id());
    AIRWASM_TRY(expect(Tok::kLParen));
    if (name.name == "external-id") {
      if (!at(Tok::kString)) return unexpected("a string");
      a.external_id = tok_.text;
      AIRWASM_TRY(advance());
      AIRWASM_TRY(expect(Tok::kRParen));
      continue;
    }
    // `key = value` pairs: version = V, feature = F.
    std::optional<std::string> ver, feature;
    while (!at(Tok::kRParen)) {
      AIRWASM_TRY_ASSIGN(Id key, id());
      if (!at(Tok::kEquals)) return unexpected("`=`");
      if (key.name == "version") {
        if (ver) return error_at(src_, key.offset, "duplicate `version`");
        uint32_t off = 0;
        AIRWASM_TRY_ASSIGN(ver, version(off));
      } else if (key.name == "feature") {
        if (feature) return error_at(src_, key.offset, "duplicate `feature`");
        AIRWASM_TRY(advance());
        AIRWASM_TRY_ASSIGN(Id f, id());
        feature = f.name;
      } else {
        return error_at(src_, key.offset, "unknown attribute argument `" + key.name + "`");
      }
      AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
      if (!comma) break;
    }
    AIRWASM_TRY(expect(Tok::kRParen));
    using Kind = component::wit::Stability::Kind;
    if (name.name == "since" || name.name == "unstable") {
      if (gated) return error_at(src_, at_offset, "only one of `@since` and `@unstable` may be given");
      gated = true;
      a.stability_offset = at_offset;
      if (name.name == "since") {
        if (!ver) return error_at(src_, at_offset, "`@since` needs a `version = ...`");
        a.stability.kind = Kind::kStable;
        a.stability.since = *ver;
        if (feature) a.stability.feature = *feature;
      } else {
        if (!feature || ver) return error_at(src_, at_offset, "`@unstable` takes exactly `feature = ...`");
        a.stability.kind = Kind::kUnstable;
        a.stability.feature = *feature;
      }
    } else if (name.name == "deprecated") {
      if (deprecated) return error_at(src_, at_offset, "duplicate `@deprecated`");
      if (!ver || feature) return error_at(src_, at_offset, "`@deprecated` takes exactly `version = ...`");
      deprecated = true;
      a.stability.deprecated = *ver;
    } else {
      return error_at(src_, name.offset, "unknown attribute `@" + name.name + "`");
    }
  }
  if (deprecated && !gated)
    return error_at(src_, tok_.offset, "`@deprecated` needs a `@since` or `@unstable`");
  return a;
}

Result<PackageName> Parser::package_name() {
  PackageName p;
  p.offset = tok_.offset;
  AIRWASM_TRY_ASSIGN(p.ns, id());
  AIRWASM_TRY(expect(Tok::kColon));
  AIRWASM_TRY_ASSIGN(p.name, id());
  if (at(Tok::kAt)) {
    uint32_t off = 0;
    AIRWASM_TRY_ASSIGN(p.version, version(off));
  }
  return p;
}

Result<UsePath> Parser::use_path() {
  UsePath p;
  p.offset = tok_.offset;
  AIRWASM_TRY_ASSIGN(Id first, id());
  if (!at(Tok::kColon)) {
    p.iface = first;
    return p;
  }
  AIRWASM_TRY(advance());
  p.ns = first;
  AIRWASM_TRY_ASSIGN(p.pkg, id());
  AIRWASM_TRY(expect(Tok::kSlash));
  AIRWASM_TRY_ASSIGN(p.iface, id());
  if (at(Tok::kAt)) {
    AIRWASM_TRY_ASSIGN(p.version, version(p.version_offset));
  }
  return p;
}

// After `use`: `path.{a, b as c};`
Result<Use> Parser::use_item(Attrs a) {
  Use u;
  u.offset = tok_.offset;
  u.attrs = std::move(a);
  AIRWASM_TRY_ASSIGN(u.path, use_path());
  AIRWASM_TRY(expect(Tok::kPeriod));
  AIRWASM_TRY(expect(Tok::kLBrace));
  while (!at(Tok::kRBrace)) {
    UseName n;
    AIRWASM_TRY_ASSIGN(n.name, id());
    AIRWASM_TRY_ASSIGN(bool as, eat_kw("as"));
    if (as) {
      AIRWASM_TRY_ASSIGN(n.as, id());
    }
    u.names.push_back(std::move(n));
    AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
    if (!comma) break;
  }
  AIRWASM_TRY(expect(Tok::kRBrace));
  if (u.names.empty()) return error_at(src_, u.offset, "a `use` must name at least one type");
  AIRWASM_TRY(expect(Tok::kSemicolon));
  return u;
}

Result<Type> Parser::type(int depth) {
  if (depth > kMaxDepth) return too_deep();
  Type t;
  t.offset = tok_.offset;
  if (at(Tok::kExplicitId)) {
    t.kind = Type::Kind::kName;
    AIRWASM_TRY_ASSIGN(t.name, id());
    return t;
  }
  if (!at(Tok::kId)) return unexpected("a type");
  std::string kw = tok_.text;
  for (const PrimName& p : kPrims) {
    if (kw == p.name) {
      t.prim = p.prim;
      AIRWASM_TRY(advance());
      return t;
    }
  }
  if (kw == "error-context") {
    t.kind = Type::Kind::kErrorContext;
    AIRWASM_TRY(advance());
    return t;
  }
  auto args = [&](size_t n) -> Result<void> {
    AIRWASM_TRY(expect(Tok::kLAngle));
    for (size_t i = 0; i < n; ++i) {
      if (i) AIRWASM_TRY(expect(Tok::kComma));
      AIRWASM_TRY_ASSIGN(Type e, type(depth + 1));
      t.args.push_back(std::move(e));
    }
    return {};
  };
  if (kw == "list") {
    AIRWASM_TRY(advance());
    t.kind = Type::Kind::kList;
    AIRWASM_TRY(args(1));
    AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
    if (comma) {
      if (!at(Tok::kInteger)) return unexpected("a list length");
      errno = 0;
      unsigned long long n = tok_.text.size() > 10 ? ~0ull : std::stoull(tok_.text);
      if (n == 0 || n > 0xffffffffull)
        return error_at(src_, tok_.offset, "invalid list length `" + tok_.text + "`");
      t.kind = Type::Kind::kFixedList;
      t.length = uint32_t(n);
      AIRWASM_TRY(advance());
    }
    AIRWASM_TRY(expect(Tok::kRAngle));
    return t;
  }
  if (kw == "option") {
    AIRWASM_TRY(advance());
    t.kind = Type::Kind::kOption;
    AIRWASM_TRY(args(1));
    AIRWASM_TRY(expect(Tok::kRAngle));
    return t;
  }
  if (kw == "map") {
    AIRWASM_TRY(advance());
    t.kind = Type::Kind::kMap;
    AIRWASM_TRY(args(2));
    AIRWASM_TRY(expect(Tok::kRAngle));
    return t;
  }
  if (kw == "tuple") {
    AIRWASM_TRY(advance());
    t.kind = Type::Kind::kTuple;
    AIRWASM_TRY(expect(Tok::kLAngle));
    while (!at(Tok::kRAngle)) {
      AIRWASM_TRY_ASSIGN(Type e, type(depth + 1));
      t.args.push_back(std::move(e));
      AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
      if (!comma) break;
    }
    AIRWASM_TRY(expect(Tok::kRAngle));
    return t;
  }
  if (kw == "result") {
    AIRWASM_TRY(advance());
    t.kind = Type::Kind::kResult;
    AIRWASM_TRY_ASSIGN(bool open, eat(Tok::kLAngle));
    if (!open) return t;
    AIRWASM_TRY_ASSIGN(bool no_ok, eat(Tok::kUnderscore));
    if (no_ok) {
      AIRWASM_TRY(expect(Tok::kComma));
    } else {
      AIRWASM_TRY_ASSIGN(Type ok, type(depth + 1));
      t.args.push_back(std::move(ok));
      t.has_ok = true;
      AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
      if (!comma) {
        AIRWASM_TRY(expect(Tok::kRAngle));
        return t;
      }
    }
    AIRWASM_TRY_ASSIGN(Type err, type(depth + 1));
    t.args.push_back(std::move(err));
    t.has_err = true;
    AIRWASM_TRY(expect(Tok::kRAngle));
    return t;
  }
  if (kw == "future" || kw == "stream") {
    AIRWASM_TRY(advance());
    t.kind = kw == "future" ? Type::Kind::kFuture : Type::Kind::kStream;
    AIRWASM_TRY_ASSIGN(bool open, eat(Tok::kLAngle));
    if (!open) return t;
    AIRWASM_TRY_ASSIGN(Type e, type(depth + 1));
    t.args.push_back(std::move(e));
    t.has_ok = true;
    AIRWASM_TRY(expect(Tok::kRAngle));
    return t;
  }
  if (kw == "own" || kw == "borrow") {
    AIRWASM_TRY(advance());
    t.kind = kw == "own" ? Type::Kind::kOwn : Type::Kind::kBorrow;
    AIRWASM_TRY(expect(Tok::kLAngle));
    AIRWASM_TRY_ASSIGN(t.name, id());
    AIRWASM_TRY(expect(Tok::kRAngle));
    return t;
  }
  static constexpr std::string_view kReserved[] = {
      "use",         "type",      "func",  "resource", "record", "flags",   "variant",
      "enum",        "interface", "world", "import",   "export", "package", "include",
      "constructor", "static",    "async", "with",     "as",     "from",    "_"};
  if (std::find(std::begin(kReserved), std::end(kReserved), kw) != std::end(kReserved))
    return unexpected("a type");
  t.kind = Type::Kind::kName;
  AIRWASM_TRY_ASSIGN(t.name, id());
  return t;
}

// `async`? `func` `(` params `)` (`->` type)?
Result<FuncSig> Parser::func_sig(int depth) {
  FuncSig s;
  s.offset = tok_.offset;
  AIRWASM_TRY_ASSIGN(s.async, eat_kw("async"));
  AIRWASM_TRY(expect_kw("func"));
  AIRWASM_TRY(expect(Tok::kLParen));
  while (!at(Tok::kRParen)) {
    Param p;
    AIRWASM_TRY_ASSIGN(p.name, id());
    AIRWASM_TRY(expect(Tok::kColon));
    AIRWASM_TRY_ASSIGN(p.type, type(depth + 1));
    s.params.push_back(std::move(p));
    AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
    if (!comma) break;
  }
  AIRWASM_TRY(expect(Tok::kRParen));
  AIRWASM_TRY_ASSIGN(bool arrow, eat(Tok::kArrow));
  if (arrow) {
    AIRWASM_TRY_ASSIGN(s.result, type(depth + 1));
  }
  return s;
}

// A type definition starting at the current token, if it is one (returns false otherwise).
Result<bool> Parser::typedef_item(Attrs& a, std::vector<TypeDecl>& out, int depth) {
  if (!at(Tok::kId)) return false;
  std::string kw = tok_.text;
  TypeDecl d;
  auto labels = [&](bool typed, bool optional_payload) -> Result<void> {
    AIRWASM_TRY(expect(Tok::kLBrace));
    while (!at(Tok::kRBrace)) {
      Label l;
      if (tok_.has_docs) l.docs = tok_.docs;
      AIRWASM_TRY_ASSIGN(l.name, id());
      if (typed) {
        AIRWASM_TRY(expect(Tok::kColon));
        AIRWASM_TRY_ASSIGN(l.type, type(depth + 1));
      } else if (optional_payload) {
        AIRWASM_TRY_ASSIGN(bool open, eat(Tok::kLParen));
        if (open) {
          AIRWASM_TRY_ASSIGN(l.type, type(depth + 1));
          AIRWASM_TRY(expect(Tok::kRParen));
        }
      }
      d.labels.push_back(std::move(l));
      AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
      if (!comma) break;
    }
    return expect(Tok::kRBrace);
  };
  if (kw == "type") {
    AIRWASM_TRY(advance());
    AIRWASM_TRY_ASSIGN(d.name, id());
    AIRWASM_TRY(expect(Tok::kEquals));
    AIRWASM_TRY_ASSIGN(d.alias, type(depth + 1));
    AIRWASM_TRY(expect(Tok::kSemicolon));
  } else if (kw == "record" || kw == "variant" || kw == "enum" || kw == "flags") {
    AIRWASM_TRY(advance());
    d.kind = kw == "record"    ? TypeDecl::Kind::kRecord
             : kw == "variant" ? TypeDecl::Kind::kVariant
             : kw == "enum"    ? TypeDecl::Kind::kEnum
                               : TypeDecl::Kind::kFlags;
    AIRWASM_TRY_ASSIGN(d.name, id());
    AIRWASM_TRY(labels(kw == "record", kw == "variant"));
    if (d.labels.empty() && kw != "flags" && kw != "record") {
      return error_at(src_, d.name.offset, kw + " `" + d.name.name + "` must have at least one case");
    }
  } else if (kw == "resource") {
    AIRWASM_TRY(advance());
    d.kind = TypeDecl::Kind::kResource;
    AIRWASM_TRY_ASSIGN(d.name, id());
    AIRWASM_TRY_ASSIGN(bool open, eat(Tok::kLBrace));
    if (!open) {
      AIRWASM_TRY(expect(Tok::kSemicolon));
    } else {
      while (!at(Tok::kRBrace)) {
        AIRWASM_TRY_ASSIGN(Attrs fa, attrs());
        Func f;
        f.attrs = std::move(fa);
        if (at_kw("constructor")) {
          f.kind = Func::Kind::kConstructor;
          f.name = Id{"constructor", tok_.offset};
          f.sig.offset = tok_.offset;
          AIRWASM_TRY(advance());
          AIRWASM_TRY(expect(Tok::kLParen));
          while (!at(Tok::kRParen)) {
            Param p;
            AIRWASM_TRY_ASSIGN(p.name, id());
            AIRWASM_TRY(expect(Tok::kColon));
            AIRWASM_TRY_ASSIGN(p.type, type(depth + 1));
            f.sig.params.push_back(std::move(p));
            AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
            if (!comma) break;
          }
          AIRWASM_TRY(expect(Tok::kRParen));
          AIRWASM_TRY_ASSIGN(bool arrow, eat(Tok::kArrow));
          if (arrow) {
            AIRWASM_TRY_ASSIGN(f.sig.result, type(depth + 1));
          }
        } else {
          AIRWASM_TRY_ASSIGN(f.name, id());
          AIRWASM_TRY(expect(Tok::kColon));
          AIRWASM_TRY_ASSIGN(bool is_static, eat_kw("static"));
          f.kind = is_static ? Func::Kind::kStatic : Func::Kind::kMethod;
          AIRWASM_TRY_ASSIGN(f.sig, func_sig(depth));
        }
        AIRWASM_TRY(expect(Tok::kSemicolon));
        d.funcs.push_back(std::move(f));
      }
      AIRWASM_TRY(expect(Tok::kRBrace));
    }
  } else {
    return false;
  }
  d.attrs = std::move(a);
  out.push_back(std::move(d));
  return true;
}

// After the interface's name: `{ items }`.
Result<Interface> Parser::interface_body(Id name, Attrs a, int depth) {
  if (depth > kMaxDepth) return too_deep();
  Interface iface;
  iface.name = std::move(name);
  iface.attrs = std::move(a);
  iface.file = index_;
  AIRWASM_TRY(expect(Tok::kLBrace));
  while (!at(Tok::kRBrace)) {
    AIRWASM_TRY_ASSIGN(Attrs ia, attrs());
    if (at_kw("use")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(Use u, use_item(std::move(ia)));
      iface.uses.push_back(std::move(u));
      continue;
    }
    AIRWASM_TRY_ASSIGN(bool is_type, typedef_item(ia, iface.types, depth));
    if (is_type) continue;
    if (!at(Tok::kId) && !at(Tok::kExplicitId)) return unexpected("`type`, `resource` or `func`");
    Func f;
    f.attrs = std::move(ia);
    AIRWASM_TRY_ASSIGN(f.name, id());
    AIRWASM_TRY(expect(Tok::kColon));
    AIRWASM_TRY_ASSIGN(f.sig, func_sig(depth));
    AIRWASM_TRY(expect(Tok::kSemicolon));
    iface.funcs.push_back(std::move(f));
  }
  AIRWASM_TRY(expect(Tok::kRBrace));
  return iface;
}

// After `import` / `export`.
Result<Extern> Parser::extern_item(bool is_import, Attrs a, int depth) {
  Extern e;
  e.is_import = is_import;
  e.attrs = std::move(a);
  uint32_t start = tok_.offset;
  AIRWASM_TRY_ASSIGN(Id first, id());
  // `a:b` written without spaces is a package name (the grammar lexes it as one token), so
  // `import a:b;` is an error while `import a: b;` imports interface `b` under the name `a`.
  bool glued = at(Tok::kColon) && tok_.offset == prev_end_;
  if (!at(Tok::kColon)) {  // `import iface;`
    e.path.offset = start;
    e.path.iface = first;
    if (at(Tok::kAt)) {
      AIRWASM_TRY_ASSIGN(e.path.version, version(e.path.version_offset));
    }
    AIRWASM_TRY(expect(Tok::kSemicolon));
    return e;
  }
  AIRWASM_TRY(advance());
  uint32_t second_offset = tok_.offset;
  if (at_kw("func") || at_kw("async")) {
    e.kind = Extern::Kind::kFunc;
    e.name = first;
    AIRWASM_TRY_ASSIGN(e.sig, func_sig(depth));
    AIRWASM_TRY(expect(Tok::kSemicolon));
    return e;
  }
  if (at_kw("interface")) {
    AIRWASM_TRY(advance());
    e.kind = Extern::Kind::kInline;
    e.name = first;
    AIRWASM_TRY_ASSIGN(Interface body, interface_body(Id{first.name, first.offset}, Attrs{}, depth + 1));
    e.inline_iface = std::make_shared<Interface>(std::move(body));
    return e;
  }
  glued = glued && tok_.offset == prev_end_;
  AIRWASM_TRY_ASSIGN(Id second, id());
  if (glued && !at(Tok::kSlash)) return unexpected(tok_name(Tok::kSlash));
  if (at(Tok::kSlash)) {  // `import ns:pkg/iface@v;`
    AIRWASM_TRY(advance());
    e.path.offset = start;
    e.path.ns = first;
    e.path.pkg = second;
    AIRWASM_TRY_ASSIGN(e.path.iface, id());
  } else {  // `import name: iface` or `import name: ns:pkg/iface@v`
    e.name = first;
    e.path.offset = second_offset;
    if (at(Tok::kColon)) {
      AIRWASM_TRY(advance());
      e.path.ns = second;
      AIRWASM_TRY_ASSIGN(e.path.pkg, id());
      AIRWASM_TRY(expect(Tok::kSlash));
      AIRWASM_TRY_ASSIGN(e.path.iface, id());
    } else {
      e.path.iface = second;
    }
  }
  if (at(Tok::kAt)) {
    AIRWASM_TRY_ASSIGN(e.path.version, version(e.path.version_offset));
  }
  AIRWASM_TRY(expect(Tok::kSemicolon));
  return e;
}

// After `world`.
Result<World> Parser::world(Attrs a) {
  World w;
  w.attrs = std::move(a);
  w.file = index_;
  AIRWASM_TRY_ASSIGN(w.name, id());
  AIRWASM_TRY(expect(Tok::kLBrace));
  while (!at(Tok::kRBrace)) {
    AIRWASM_TRY_ASSIGN(Attrs ia, attrs());
    if (at_kw("import") || at_kw("export")) {
      bool is_import = at_kw("import");
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(Extern e, extern_item(is_import, std::move(ia), 0));
      w.externs.push_back(std::move(e));
    } else if (at_kw("use")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(Use u, use_item(std::move(ia)));
      w.uses.push_back(std::move(u));
    } else if (at_kw("include")) {
      AIRWASM_TRY(advance());
      Include inc;
      inc.attrs = std::move(ia);
      AIRWASM_TRY_ASSIGN(inc.path, use_path());
      AIRWASM_TRY_ASSIGN(bool with, eat_kw("with"));
      if (with) {
        AIRWASM_TRY(expect(Tok::kLBrace));
        while (!at(Tok::kRBrace)) {
          AIRWASM_TRY_ASSIGN(Id from, id());
          AIRWASM_TRY(expect_kw("as"));
          AIRWASM_TRY_ASSIGN(Id to, id());
          inc.with.push_back({std::move(from), std::move(to)});
          AIRWASM_TRY_ASSIGN(bool comma, eat(Tok::kComma));
          if (!comma) break;
        }
        AIRWASM_TRY(expect(Tok::kRBrace));
        // The grammar ends `with { ... }` without `;`; its examples write one: both are accepted.
        AIRWASM_TRY(eat(Tok::kSemicolon));
      } else {
        AIRWASM_TRY(expect(Tok::kSemicolon));
      }
      w.includes.push_back(std::move(inc));
    } else {
      AIRWASM_TRY_ASSIGN(bool is_type, typedef_item(ia, w.types, 0));
      if (!is_type) return unexpected("`import`, `export`, `use`, `include` or a type definition");
    }
  }
  AIRWASM_TRY(expect(Tok::kRBrace));
  return w;
}

// After a top-level `use`: `ns:pkg/iface@v (as name)?;`
Result<TopUse> Parser::top_use() {
  TopUse u;
  AIRWASM_TRY_ASSIGN(u.path, use_path());
  if (!u.path.ns)
    return error_at(src_, u.path.offset, "a top-level `use` needs a package: `use ns:pkg/iface;`");
  AIRWASM_TRY_ASSIGN(bool as, eat_kw("as"));
  if (as) {
    AIRWASM_TRY_ASSIGN(u.as, id());
  } else {
    u.as = u.path.iface;
  }
  AIRWASM_TRY(expect(Tok::kSemicolon));
  return u;
}

// The items of a nested package up to its `}`. Its `use`s name interfaces for the whole file.
Result<PackageBody> Parser::package_body(std::vector<TopUse>& uses) {
  PackageBody body;
  while (!at(Tok::kRBrace) && !at(Tok::kEof)) {
    AIRWASM_TRY_ASSIGN(Attrs a, attrs());
    if (at_kw("use")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(TopUse u, top_use());
      uses.push_back(std::move(u));
    } else if (at_kw("interface")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(Id name, id());
      AIRWASM_TRY_ASSIGN(Interface i, interface_body(std::move(name), std::move(a), 0));
      body.interfaces.push_back(std::move(i));
    } else if (at_kw("world")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(World w, world(std::move(a)));
      body.worlds.push_back(std::move(w));
    } else {
      return unexpected("`interface`, `world` or `use`");
    }
  }
  return body;
}

Result<File> Parser::run() {
  File f;
  f.source = index_;
  AIRWASM_TRY(advance());
  // `package ns:pkg@v;` may only come first; `package ns:pkg@v { ... }` anywhere at the top level.
  bool first = true;
  while (!at(Tok::kEof)) {
    component::wit::Docs docs;
    if (tok_.has_docs) docs = tok_.docs;
    AIRWASM_TRY_ASSIGN(Attrs a, attrs());
    if (at_kw("package")) {
      uint32_t kw_offset = tok_.offset;
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(PackageName name, package_name());
      AIRWASM_TRY_ASSIGN(bool semi, eat(Tok::kSemicolon));
      if (semi) {
        if (!first) return error_at(src_, kw_offset, "`package ns:name;` must come before any other item");
        f.package = std::move(name);
        f.package_docs = docs;
      } else {
        if (!at(Tok::kLBrace)) return unexpected("`;` or `{`");
        AIRWASM_TRY(advance());
        NestedPackage n;
        n.name = std::move(name);
        n.docs = docs;
        AIRWASM_TRY_ASSIGN(n.body, package_body(f.top_uses));
        AIRWASM_TRY(expect(Tok::kRBrace));
        f.nested.push_back(std::move(n));
      }
    } else if (at_kw("interface")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(Id name, id());
      AIRWASM_TRY_ASSIGN(Interface i, interface_body(std::move(name), std::move(a), 0));
      f.body.interfaces.push_back(std::move(i));
    } else if (at_kw("world")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(World w, world(std::move(a)));
      f.body.worlds.push_back(std::move(w));
    } else if (at_kw("use")) {
      AIRWASM_TRY(advance());
      AIRWASM_TRY_ASSIGN(TopUse u, top_use());
      f.top_uses.push_back(std::move(u));
    } else {
      return unexpected("`package`, `interface`, `world` or `use`");
    }
    first = false;
  }
  return f;
}

}  // namespace

Result<File> parse_file(const Source& src, uint32_t index) {
  // WIT files are UTF-8 (WIT.md); wit-parser refuses others before lexing, and so do we, at the first
  // malformed byte.
  if (!base::is_valid_utf8(src.text)) {
    size_t i = 0;
    uint32_t cp = 0;
    while (i < src.text.size()) {
      size_t n = base::decode_utf8(src.text, i, &cp);
      if (n == 0) break;
      i += n;
    }
    return error_at(src, uint32_t(i), "the file is not valid UTF-8");
  }
  Parser p(src, index);
  return p.run();
}

}  // namespace airwasm::wit
