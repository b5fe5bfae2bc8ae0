// tools: option-value, duration and size parsing for the CLI (see cli_options.hh).
#include "cli_options.hh"

#include <cctype>
#include <charconv>
#include <string>

namespace airwasm::cli {

bool option_value(int argc, char** argv, int& i, std::string_view name, std::string_view& value,
                  bool& missing) {
  std::string_view arg = argv[i];
  missing = false;
  if (arg == name) {
    if (i + 1 >= argc) {
      missing = true;
      return true;
    }
    value = argv[++i];
    return true;
  }
  if (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=') {
    value = arg.substr(name.size() + 1);
    return true;
  }
  return false;
}

std::optional<CompilerMode> parse_compiler_mode(std::string_view s) {
  if (s == "interpreter") return CompilerMode::kInterpreter;
  if (s == "baseline") return CompilerMode::kBaseline;
  if (s == "auto") return CompilerMode::kAuto;
  return std::nullopt;
}

std::optional<uint64_t> parse_u64(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

namespace {

// Splits "123unit" into the number and the lower-cased unit.
std::optional<std::pair<uint64_t, std::string>> number_and_unit(std::string_view s) {
  size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  auto n = parse_u64(s.substr(0, digits));
  if (!n) return std::nullopt;
  std::string unit;
  for (char c : s.substr(digits)) unit += char(std::tolower(static_cast<unsigned char>(c)));
  return std::pair{*n, unit};
}

std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view s) {
  auto nu = number_and_unit(s);
  if (!nu) return std::nullopt;
  uint64_t scale;
  const std::string& u = nu->second;
  if (u == "ns")
    scale = 1;
  else if (u == "us")
    scale = 1'000;
  else if (u == "ms")
    scale = 1'000'000;
  else if (u == "s" || u.empty())
    scale = 1'000'000'000;
  else if (u == "m")
    scale = 60'000'000'000;
  else if (u == "h")
    scale = 3'600'000'000'000;
  else
    return std::nullopt;
  auto ns = checked_mul(nu->first, scale);
  if (!ns || *ns > uint64_t(INT64_MAX)) return std::nullopt;
  return std::chrono::nanoseconds(int64_t(*ns));
}

std::optional<uint64_t> parse_size(std::string_view s) {
  auto nu = number_and_unit(s);
  if (!nu) return std::nullopt;
  const std::string& u = nu->second;
  uint64_t scale;
  if (u.empty() || u == "b")
    scale = 1;
  else if (u == "k" || u == "kb" || u == "kib")
    scale = uint64_t{1} << 10;
  else if (u == "m" || u == "mb" || u == "mib")
    scale = uint64_t{1} << 20;
  else if (u == "g" || u == "gb" || u == "gib")
    scale = uint64_t{1} << 30;
  else
    return std::nullopt;
  return checked_mul(nu->first, scale);
}

}  // namespace airwasm::cli
