// component runtime: the WAVE parser (airwasm/component/wave.hh). A recursive-descent parser directed by
// the expected type: the type decides how a token reads (`1` as u8 or f64, `{a, b}` as flags or
// `{a: 1}` as a record). Nesting is bounded (types are bounded by validation) and every error is a value
// naming the offset.
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "airwasm/component/wave.hh"
#include "base/utf8.hh"
#include "component_runtime/internal.hh"

namespace airwasm::component {

namespace {

class WaveParser {
 public:
  WaveParser(const TypeStore& ts, std::string_view text) : ts_(ts), s_(text) {}

  Result<Val> value(TypeId type, int depth = 0) {
    if (depth > 100) return fail("value nested too deeply");
    skip_ws();
    const TypeNode& n = ts_.canon(type);
    switch (n.kind) {
      case TypeKind::kPrim:
        return prim(n.prim);
      case TypeKind::kList: {
        AIRWASM_TRY(expect('['));
        std::vector<Val> items;
        AIRWASM_TRY(sequence(']', [&]() -> Result<void> {
          AIRWASM_TRY_ASSIGN(Val v, value(n.children[0], depth + 1));
          items.push_back(std::move(v));
          return {};
        }));
        return Val::list(std::move(items));
      }
      case TypeKind::kTuple: {
        AIRWASM_TRY(expect('('));
        std::vector<Val> items;
        size_t i = 0;
        AIRWASM_TRY(sequence(')', [&]() -> Result<void> {
          if (i >= n.children.size()) return fail("too many tuple elements");
          AIRWASM_TRY_ASSIGN(Val v, value(n.children[i++], depth + 1));
          items.push_back(std::move(v));
          return {};
        }));
        if (items.size() != n.children.size()) return fail("too few tuple elements");
        return Val::tuple(std::move(items));
      }
      case TypeKind::kRecord: {
        AIRWASM_TRY(expect('{'));
        std::vector<std::optional<Val>> fields(n.labels.size());
        AIRWASM_TRY(sequence('}', [&]() -> Result<void> {
          AIRWASM_TRY_ASSIGN(std::string name, label());
          skip_ws();
          AIRWASM_TRY(expect(':'));
          size_t i = find_label(n, name);
          if (i == npos) return fail("unknown record field `" + name + "`");
          AIRWASM_TRY_ASSIGN(Val v, value(n.children[i], depth + 1));
          fields[i] = std::move(v);
          return {};
        }));
        std::vector<std::pair<std::string, Val>> out;
        for (size_t i = 0; i < fields.size(); ++i) {
          if (!fields[i]) {
            // An omitted field of option type is none (WAVE's shorthand).
            if (ts_.canon(n.children[i]).kind == TypeKind::kOption) {
              fields[i] = Val::none();
            } else {
              return fail("missing record field `" + n.labels[i] + "`");
            }
          }
          out.emplace_back(n.labels[i], std::move(*fields[i]));
        }
        return Val::record(std::move(out));
      }
      case TypeKind::kVariant: {
        AIRWASM_TRY_ASSIGN(std::string name, label());
        size_t i = find_label(n, name);
        if (i == npos) return fail("unknown variant case `" + name + "`");
        std::optional<Val> payload;
        if (n.children[i] != kNoType) {
          AIRWASM_TRY(expect('('));
          AIRWASM_TRY_ASSIGN(Val v, value(n.children[i], depth + 1));
          payload = std::move(v);
          skip_ws();
          AIRWASM_TRY(expect(')'));
        }
        return Val::variant(name, std::move(payload));
      }
      case TypeKind::kEnum: {
        AIRWASM_TRY_ASSIGN(std::string name, label());
        if (find_label(n, name) == npos) return fail("unknown enum case `" + name + "`");
        return Val::enumeration(name);
      }
      case TypeKind::kFlags: {
        AIRWASM_TRY(expect('{'));
        std::vector<std::string> set;
        AIRWASM_TRY(sequence('}', [&]() -> Result<void> {
          AIRWASM_TRY_ASSIGN(std::string name, label());
          if (find_label(n, name) == npos) return fail("unknown flag `" + name + "`");
          set.push_back(name);
          return {};
        }));
        return Val::flags(std::move(set));
      }
      case TypeKind::kOption: {
        AIRWASM_TRY_ASSIGN(std::string name, label());
        if (name == "none") return Val::none();
        if (name != "some") return fail("expected `some(...)` or `none`");
        AIRWASM_TRY(expect('('));
        AIRWASM_TRY_ASSIGN(Val v, value(n.children[0], depth + 1));
        skip_ws();
        AIRWASM_TRY(expect(')'));
        return Val::some(std::move(v));
      }
      case TypeKind::kResult: {
        AIRWASM_TRY_ASSIGN(std::string name, label());
        if (name != "ok" && name != "err") return fail("expected `ok` or `err`");
        const TypeId payload_type = n.children[name == "ok" ? 0 : 1];
        std::optional<Val> payload;
        skip_ws();
        if (payload_type != kNoType) {
          AIRWASM_TRY(expect('('));
          AIRWASM_TRY_ASSIGN(Val v, value(payload_type, depth + 1));
          payload = std::move(v);
          skip_ws();
          AIRWASM_TRY(expect(')'));
        }
        return name == "ok" ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
      }
      default:
        return fail("values of type " + ts_.describe(type) + " cannot be written in WAVE");
    }
  }

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool at_end() {
    skip_ws();
    return pos_ >= s_.size();
  }
  size_t pos() const { return pos_; }
  std::unexpected<Error> fail(std::string m) const {
    return make_error(ErrorKind::kUsage, "invalid value at offset " + std::to_string(pos_) + ": " + m);
  }
  Result<void> expect(char c) {
    skip_ws();
    if (pos_ >= s_.size() || s_[pos_] != c) return fail(std::string("expected `") + c + "`");
    ++pos_;
    return {};
  }
  bool peek(char c) {
    skip_ws();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  // Items separated by commas (a trailing comma allowed) up to `close`.
  template <typename F>
  Result<void> sequence(char close, F item) {
    if (peek(close)) {
      ++pos_;
      return {};
    }
    for (;;) {
      AIRWASM_TRY(item());
      skip_ws();
      if (peek(',')) {
        ++pos_;
        if (peek(close)) {
          ++pos_;
          return {};
        }
        continue;
      }
      return expect(close);
    }
  }
  // A label: kebab-case word, optionally `%`-escaped (for keywords).
  Result<std::string> label() {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '%') ++pos_;
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-'))
      ++pos_;
    if (start == pos_) return fail("expected a name");
    return std::string(s_.substr(start, pos_ - start));
  }

 private:
  static constexpr size_t npos = ~size_t{0};
  static size_t find_label(const TypeNode& n, const std::string& name) {
    for (size_t i = 0; i < n.labels.size(); ++i)
      if (n.labels[i] == name) return i;
    return npos;
  }

  Result<Val> prim(Prim p) {
    switch (p) {
      case Prim::kBool: {
        AIRWASM_TRY_ASSIGN(std::string w, label());
        if (w == "true") return Val::boolean(true);
        if (w == "false") return Val::boolean(false);
        return fail("expected `true` or `false`");
      }
      case Prim::kS8:
        return integer<int8_t>([](int64_t v) { return Val::s8(int8_t(v)); });
      case Prim::kS16:
        return integer<int16_t>([](int64_t v) { return Val::s16(int16_t(v)); });
      case Prim::kS32:
        return integer<int32_t>([](int64_t v) { return Val::s32(int32_t(v)); });
      case Prim::kS64:
        return integer<int64_t>([](int64_t v) { return Val::s64(v); });
      case Prim::kU8:
        return uinteger<uint8_t>([](uint64_t v) { return Val::u8(uint8_t(v)); });
      case Prim::kU16:
        return uinteger<uint16_t>([](uint64_t v) { return Val::u16(uint16_t(v)); });
      case Prim::kU32:
        return uinteger<uint32_t>([](uint64_t v) { return Val::u32(uint32_t(v)); });
      case Prim::kU64:
        return uinteger<uint64_t>([](uint64_t v) { return Val::u64(v); });
      case Prim::kF32: {
        AIRWASM_TRY_ASSIGN(double d, floating());
        return Val::f32(float(d));
      }
      case Prim::kF64: {
        AIRWASM_TRY_ASSIGN(double d, floating());
        return Val::f64(d);
      }
      case Prim::kChar: {
        AIRWASM_TRY(expect('\''));
        AIRWASM_TRY_ASSIGN(std::string text, quoted('\''));
        char32_t c;
        size_t n = decode_one(text, c);
        if (n == 0 || n != text.size()) return fail("a char literal holds exactly one character");
        return Val::character(c);
      }
      case Prim::kString: {
        AIRWASM_TRY(expect('"'));
        AIRWASM_TRY_ASSIGN(std::string text, quoted('"'));
        return Val::string(std::move(text));
      }
      default:
        return fail("error-context values cannot be written in WAVE");
    }
  }

  std::string_view number_token() {
    skip_ws();
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == '+' || s_[pos_] == '.'))
      ++pos_;
    return s_.substr(start, pos_ - start);
  }
  template <typename T, typename F>
  Result<Val> integer(F make) {
    std::string_view t = number_token();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || v < std::numeric_limits<T>::min() ||
        v > std::numeric_limits<T>::max())
      return fail("expected an integer in range, found `" + std::string(t) + "`");
    return make(v);
  }
  template <typename T, typename F>
  Result<Val> uinteger(F make) {
    std::string_view t = number_token();
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || v > std::numeric_limits<T>::max())
      return fail("expected an unsigned integer in range, found `" + std::string(t) + "`");
    return make(v);
  }
  Result<double> floating() {
    std::string t(number_token());
    if (t == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (t == "inf") return std::numeric_limits<double>::infinity();
    if (t == "-inf") return -std::numeric_limits<double>::infinity();
    char* end = nullptr;
    double d = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(d))
      return fail("expected a number, found `" + t + "`");
    return d;
  }
  // The body of a quoted literal after its opening quote, with escapes: \n \t \r \\ \' \" \u{hex}.
  Result<std::string> quoted(char close) {
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != close) {
      char c = s_[pos_++];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case '\\':
        case '\'':
        case '"':
          out.push_back(e);
          break;
        case 'u': {
          if (pos_ >= s_.size() || s_[pos_] != '{') return fail("expected `{` after \\u");
          size_t end = s_.find('}', pos_);
          if (end == std::string_view::npos) return fail("unterminated \\u{...}");
          uint32_t cp = 0;
          auto [p, ec] = std::from_chars(s_.data() + pos_ + 1, s_.data() + end, cp, 16);
          if (ec != std::errc() || p != s_.data() + end || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
            return fail("invalid \\u{...} escape");
          base::append_utf8(out, cp);
          pos_ = end + 1;
          break;
        }
        default:
          return fail(std::string("unknown escape \\") + e);
      }
    }
    if (pos_ >= s_.size()) return fail("unterminated literal");
    ++pos_;
    return out;
  }
  // Decodes one UTF-8 scalar (input is valid UTF-8 text from the command line or a literal). Out of line:
  // inlined into prim(), GCC 12 sees through std::string's small buffer and warns (falsely) that it may
  // be uninitialized.
  [[gnu::noinline]] static size_t decode_one(std::string_view s, char32_t& c) {
    c = 0;
    if (s.empty()) return 0;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t len = p[0] < 0x80 ? 1 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
    if (len > s.size()) return 0;
    uint32_t v = len == 1 ? p[0] : p[0] & (0xff >> (len + 1));
    for (size_t i = 1; i < len; ++i) v = (v << 6) | (p[i] & 0x3f);
    c = char32_t(v);
    return len;
  }

  const TypeStore& ts_;
  std::string_view s_;
  size_t pos_ = 0;
};

TrapResult<const rt::FuncRec*> func_rec(Store& store, const Func& f) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (f.store_id() != store.id() || f.index() >= cs.funcs.size() || !cs.funcs[f.index()].owner)
    return std::unexpected(Trap(TrapCode::kHostError, "function does not belong to this store"));
  return &cs.funcs[f.index()];
}

}  // namespace

Result<Val> parse_wave_param(Store& store, const Func& func, size_t index, std::string_view text) {
  auto rec = func_rec(store, func);
  if (!rec) return make_error(ErrorKind::kUsage, rec.error().message());
  const TypeStore& ts = (*rec)->owner->types();
  const TypeNode& fn = ts.node(ts.strip((*rec)->type));
  if (index >= fn.labels.size())
    return make_error(ErrorKind::kUsage, "no parameter " + std::to_string(index));
  WaveParser p(ts, text);
  AIRWASM_TRY_ASSIGN(Val v, p.value(fn.children[index]));
  if (!p.at_end()) return p.fail("unexpected text after the value");
  return v;
}

Result<std::pair<Func, std::vector<Val>>> parse_invoke(Store& store, const Instance& instance,
                                                       std::string_view call) {
  size_t open = call.find('(');
  if (open == std::string_view::npos || call.empty() || call.back() != ')')
    return make_error(ErrorKind::kUsage, "expected `name(arg, ...)`, got `" + std::string(call) + "`");
  std::string_view name = call.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  std::optional<Func> func = instance.get_func(store, name);
  if (!func)
    return make_error(ErrorKind::kUsage, "the component exports no function `" + std::string(name) + "`");
  auto rec = func_rec(store, *func);
  if (!rec) return make_error(ErrorKind::kUsage, rec.error().message());
  const TypeStore& ts = (*rec)->owner->types();
  const TypeNode& fn = ts.node(ts.strip((*rec)->type));
  WaveParser p(ts, call.substr(open + 1, call.size() - open - 2));
  std::vector<Val> args;
  for (size_t i = 0; i < fn.labels.size(); ++i) {
    if (i > 0) AIRWASM_TRY(p.expect(','));
    AIRWASM_TRY_ASSIGN(Val v, p.value(fn.children[i]));
    args.push_back(std::move(v));
  }
  if (!p.at_end()) {
    if (fn.labels.empty())
      return make_error(ErrorKind::kUsage, "`" + std::string(name) + "` takes no arguments");
    return p.fail("too many arguments: `" + std::string(name) + "` takes " +
                  std::to_string(fn.labels.size()));
  }
  return std::make_pair(*func, std::move(args));
}

}  // namespace airwasm::component
