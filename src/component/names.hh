// component: the import/export name grammar of the Explainer (plain labels, [constructor]/[method]/
// [static] annotations, interface names `ns:pkg/iface@semver`, and the url=/integrity=/dep= forms),
// kebab-case labels, semver checking, and the "strongly-unique" comparison key.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hh"

namespace airwasm::component {

bool is_kebab(std::string_view s);

struct ParsedName {
  enum class Kind : uint8_t { kLabel, kConstructor, kMethod, kStatic, kInterface, kDependency, kUrl, kHash };
  Kind kind = Kind::kLabel;
  std::string resource;  // constructor / method / static: the resource label
  std::string label;     // label; method / static: the function label
  // interface: namespace, package, interface, version (without '@'), may be empty
  std::string ns, package, iface, version;
  bool has_version = false;
  std::string text;  // the whole name
  // The key under which strongly-unique names collide (lowercased, `[method]l.l` == `l`).
  std::string unique_key() const;
};

// Parses an extern name; errors use the official tests' wording ("`X` is not in kebab case",
// "expected `/` after package name", "trailing characters found: `/qux`", ...).
Result<ParsedName> parse_extern_name(std::string_view s, size_t offset);

// Checks a semantic version ("1.2.3-rc.1+build"); errors use the semver crate's wording.
Result<void> check_semver(std::string_view s, size_t offset);

}  // namespace airwasm::component
