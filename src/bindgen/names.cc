// bindgen: WIT names to C++ names. WIT identifiers are kebab-case words of ASCII letters and digits (a
// word is all lower or all upper case: `DNS-timeout`); C++ gets snake_case for namespaces, functions and
// members and PascalCase for types. A name that is a C++ keyword, an alternative token or a macro GNU mode
// predefines (`linux`, `unix`) gets a trailing `_` (`delete` -> `delete_`, `namespace` -> `namespace_`).
#include <cctype>
#include <string>
#include <string_view>

#include "bindgen/bindgen.hh"

namespace airwasm::bindgen {

namespace {

constexpr std::string_view kReserved[] = {
    "alignas",     "alignof",   "and",        "and_eq",    "asm",      "auto",         "bitand",
    "bitor",       "bool",      "break",      "case",      "catch",    "char",         "char8_t",
    "char16_t",    "char32_t",  "class",      "compl",     "concept",  "const",        "consteval",
    "constexpr",   "constinit", "const_cast", "continue",  "co_await", "co_return",    "co_yield",
    "decltype",    "default",   "delete",     "do",        "double",   "dynamic_cast", "else",
    "enum",        "explicit",  "export",     "extern",    "false",    "float",        "for",
    "friend",      "goto",      "if",         "inline",    "int",      "long",         "mutable",
    "namespace",   "new",       "noexcept",   "not",       "not_eq",   "nullptr",      "operator",
    "or",          "or_eq",     "private",    "protected", "public",   "register",     "reinterpret_cast",
    "requires",    "return",    "short",      "signed",    "sizeof",   "static",       "static_assert",
    "static_cast", "struct",    "switch",     "template",  "this",     "thread_local", "throw",
    "true",        "try",       "typedef",    "typeid",    "typename", "union",        "unsigned",
    "using",       "virtual",   "void",       "volatile",  "wchar_t",  "while",        "xor",
    "xor_eq",      "linux",     "unix",       "i386",      "NULL",     "errno",        "assert",
    "final",       "override",  "import",     "module",    "stdin",    "stdout",       "stderr",
    "std",         "airwasm",
};

bool reserved(std::string_view s) {
  for (std::string_view k : kReserved) {
    if (k == s) return true;
  }
  return false;
}

}  // namespace

std::string snake_name(std::string_view wit) {
  std::string out;
  out.reserve(wit.size() + 1);
  for (char c : wit) {
    if (c == '-')
      out += '_';
    else
      out += char(std::tolower(static_cast<unsigned char>(c)));
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(out.begin(), '_');
  if (reserved(out)) out += '_';
  return out;
}

std::string pascal_name(std::string_view wit) {
  std::string out;
  bool start = true;
  for (char c : wit) {
    if (c == '-') {
      start = true;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    out += start ? char(std::toupper(u)) : char(std::tolower(u));
    start = false;
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(out.begin(), 'T');
  return out;
}

}  // namespace airwasm::bindgen
