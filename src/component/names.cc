// component: extern name parsing and uniqueness keys.
#include "component/names.hh"

#include <cctype>

namespace airwasm::component {

namespace {

constexpr std::string_view kConstructor = "[constructor]";
constexpr std::string_view kMethod = "[method]";
constexpr std::string_view kStatic = "[static]";

std::unexpected<Error> fail(std::string msg, size_t offset) {
  return base::invalid(std::move(msg), offset);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Parser {
  std::string_view next;
  size_t offset;

  bool eat(std::string_view p) {
    if (next.substr(0, p.size()) != p) return false;
    next.remove_prefix(p.size());
    return true;
  }
  Result<void> expect(std::string_view p) {
    if (eat(p)) return {};
    return fail("expected `" + std::string(p) + "` at `" + std::string(next) + "`", offset);
  }
  Result<std::string_view> kebab(std::string_view s) {
    if (!is_kebab(s)) return fail("`" + std::string(s) + "` is not in kebab case", offset);
    return s;
  }
  Result<std::string_view> take_until(char c) {
    size_t i = next.find(c);
    if (i == std::string_view::npos) return fail(std::string("failed to find `") + c + "` character", offset);
    auto s = next.substr(0, i);
    next.remove_prefix(i + 1);
    return s;
  }
  Result<std::string_view> take_up_to(char c) {
    size_t i = next.find(c);
    if (i == std::string_view::npos) return fail(std::string("failed to find `") + c + "` character", offset);
    auto s = next.substr(0, i);
    next.remove_prefix(i);
    return s;
  }
  Result<std::string_view> expect_kebab() {
    auto s = next;
    next = {};
    return kebab(s);
  }
  Result<std::string_view> take_kebab() {
    size_t i = 0;
    while (i < next.size() && (std::isalnum(static_cast<unsigned char>(next[i])) || next[i] == '-')) ++i;
    if (i == next.size()) return expect_kebab();
    auto s = next.substr(0, i);
    next.remove_prefix(i);
    return kebab(s);
  }
  Result<std::string_view> take_lowercase_kebab() {
    AIRWASM_TRY_ASSIGN(auto s, take_kebab());
    for (char c : s) {
      if (std::isupper(static_cast<unsigned char>(c))) {
        return fail(std::string("character `") + c + "` is not lowercase in package name/namespace", offset);
      }
    }
    return s;
  }
  Result<void> pkg_path(bool require_projection, ParsedName* out) {
    AIRWASM_TRY_ASSIGN(auto ns, take_lowercase_kebab());
    AIRWASM_TRY(expect(":"));
    AIRWASM_TRY_ASSIGN(auto pkg, take_lowercase_kebab());
    if (next.starts_with("/")) {
      AIRWASM_TRY(expect("/"));
      AIRWASM_TRY_ASSIGN(auto iface, take_kebab());
      if (out) out->iface = iface;
    } else if (require_projection) {
      return fail("expected `/` after package name", offset);
    }
    if (out) out->ns = ns, out->package = pkg;
    return {};
  }
  Result<void> pkg_name(bool is_interface, ParsedName* out) {
    AIRWASM_TRY(pkg_path(is_interface, out));
    if (eat("@")) {
      std::string_view version;
      size_t i = next.find('>');
      if (i != std::string_view::npos) {
        version = next.substr(0, i);
        next.remove_prefix(i);
      } else {
        version = next;
        next = {};
      }
      if (out) out->version = version, out->has_version = true;
      if (!is_interface) AIRWASM_TRY(check_semver(version, offset));
    }
    return {};
  }
  Result<void> hash() {
    AIRWASM_TRY_ASSIGN(auto integrity, take_up_to('>'));
    if (integrity.find_first_not_of(" \t\n") == std::string_view::npos) {
      return fail("integrity hash cannot be empty", offset);
    }
    return {};
  }
  Result<void> optional_hash() {
    if (!eat(",")) return {};
    AIRWASM_TRY(expect("integrity=<"));
    AIRWASM_TRY(hash());
    return expect(">");
  }
};

}  // namespace

bool is_kebab(std::string_view s) {
  bool lower_ = false, upper_ = false, first = true, digit = false;
  for (char c : s) {
    bool lc = c >= 'a' && c <= 'z', uc = c >= 'A' && c <= 'Z', dc = c >= '0' && c <= '9';
    if (lc && !lower_ && !upper_)
      lower_ = true;
    else if (uc && !lower_ && !upper_)
      upper_ = true;
    else if (dc && !lower_ && !upper_ && !first)
      digit = true;
    else if (lc && lower_) {
    } else if (uc && upper_) {
    } else if (dc && (lower_ || upper_))
      digit = true;
    else if (c == '-' && (lower_ || upper_ || digit))
      lower_ = upper_ = digit = false, first = false;
    else
      return false;
  }
  return !s.empty() && s.back() != '-';
}

std::string ParsedName::unique_key() const {
  switch (kind) {
    case Kind::kLabel:
      return "0" + lower(label);
    case Kind::kConstructor:
      return "1" + lower(resource);
    case Kind::kMethod:
    case Kind::kStatic:
      if (lower(resource) == lower(label)) return "0" + lower(label);
      return "2" + lower(resource) + "." + lower(label);
    case Kind::kInterface:
      return "3" + lower(text);
    case Kind::kDependency:
      return "4" + text;
    case Kind::kUrl:
      return "5" + text;
    case Kind::kHash:
      return "6" + text;
  }
  return text;
}

Result<ParsedName> parse_extern_name(std::string_view s, size_t offset) {
  ParsedName n;
  n.text = std::string(s);
  Parser p{s, offset};
  if (p.eat(kConstructor)) {
    n.kind = ParsedName::Kind::kConstructor;
    AIRWASM_TRY_ASSIGN(auto r, p.expect_kebab());
    n.resource = r;
  } else if (p.eat(kMethod) || p.eat(kStatic)) {
    n.kind = s.starts_with(kMethod) ? ParsedName::Kind::kMethod : ParsedName::Kind::kStatic;
    AIRWASM_TRY_ASSIGN(auto r, p.take_until('.'));
    AIRWASM_TRY(p.kebab(r));
    AIRWASM_TRY_ASSIGN(auto m, p.expect_kebab());
    n.resource = r;
    n.label = m;
  } else if (p.eat("unlocked-dep=")) {
    n.kind = ParsedName::Kind::kDependency;
    AIRWASM_TRY(p.expect("<"));
    AIRWASM_TRY(p.pkg_path(false, nullptr));
    if (p.eat("@")) {
      if (!p.eat("*")) {
        AIRWASM_TRY(p.expect("{"));
        AIRWASM_TRY(p.take_up_to('}'));
        AIRWASM_TRY(p.expect("}"));
      }
    }
    AIRWASM_TRY(p.expect(">"));
  } else if (p.eat("locked-dep=")) {
    n.kind = ParsedName::Kind::kDependency;
    AIRWASM_TRY(p.expect("<"));
    AIRWASM_TRY(p.pkg_name(false, nullptr));
    AIRWASM_TRY(p.expect(">"));
    AIRWASM_TRY(p.optional_hash());
  } else if (p.eat("url=")) {
    n.kind = ParsedName::Kind::kUrl;
    AIRWASM_TRY(p.expect("<"));
    AIRWASM_TRY_ASSIGN(auto url, p.take_up_to('>'));
    if (url.find('<') != std::string_view::npos) return fail("url cannot contain `<`", offset);
    AIRWASM_TRY(p.expect(">"));
    AIRWASM_TRY(p.optional_hash());
  } else if (p.eat("integrity=")) {
    n.kind = ParsedName::Kind::kHash;
    AIRWASM_TRY(p.expect("<"));
    AIRWASM_TRY(p.hash());
    AIRWASM_TRY(p.expect(">"));
  } else if (s.find(':') != std::string_view::npos) {
    n.kind = ParsedName::Kind::kInterface;
    AIRWASM_TRY(p.pkg_name(true, &n));
  } else {
    AIRWASM_TRY_ASSIGN(auto l, p.expect_kebab());
    n.label = l;
  }
  if (!p.next.empty()) return fail("trailing characters found: `" + std::string(p.next) + "`", offset);
  return n;
}

Result<void> check_semver(std::string_view s, size_t offset) {
  if (s.empty()) return fail("empty string, expected a semver version", offset);
  size_t i = 0;
  const char* parts[] = {"major", "minor", "patch"};
  for (int part = 0; part < 3; ++part) {
    std::string where = std::string(parts[part]) + " version number";
    if (i >= s.size()) return fail("unexpected end of input while parsing " + where, offset);
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return fail(std::string("unexpected character '") + s[i] + "' while parsing " + where, offset);
    }
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i - start > 1 && s[start] == '0') return fail("invalid leading zero in " + where, offset);
    if (part < 2) {
      if (i >= s.size())
        return fail(
            "unexpected end of input while parsing " + std::string(parts[part + 1]) + " version number",
            offset);
      if (s[i] != '.') {
        return fail(std::string("unexpected character '") + s[i] + "' after " + where + ", expected '.'",
                    offset);
      }
      ++i;
    }
  }
  auto idents = [&](const char* what, bool numeric_check) -> Result<void> {
    while (true) {
      size_t start = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-')) ++i;
      if (i == start) return fail(std::string("empty identifier segment in ") + what, offset);
      auto seg = s.substr(start, i - start);
      if (numeric_check && seg.size() > 1 && seg[0] == '0' &&
          seg.find_first_not_of("0123456789") == std::string_view::npos) {
        return fail(std::string("invalid leading zero in ") + what, offset);
      }
      if (i < s.size() && s[i] == '.') {
        ++i;
        continue;
      }
      return {};
    }
  };
  if (i < s.size() && s[i] == '-') {
    ++i;
    AIRWASM_TRY(idents("pre-release identifier", true));
  }
  if (i < s.size() && s[i] == '+') {
    ++i;
    AIRWASM_TRY(idents("build metadata", false));
  }
  if (i < s.size()) {
    return fail(std::string("unexpected character '") + s[i] + "' after patch version number", offset);
  }
  return {};
}

}  // namespace airwasm::component
