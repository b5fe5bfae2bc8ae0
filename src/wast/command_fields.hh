// wast: reading the fields of a script command (a JSON object) without exceptions: a missing or mistyped
// field reads as empty / 0, so a malformed command fails its assertion instead of throwing. Shared by the
// runner and the command tables of both dialects.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace airwasm::wast {

// The string field `key`, or "" when it is missing or not a string.
inline std::string member(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// The command's line in the .wast, or 0.
inline int64_t line_of(const nlohmann::json& j) {
  auto it = j.find("line");
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// "module $M file.wasm": a module command in words, for reports.
inline std::string describe_module(const nlohmann::json& cmd) {
  std::string out = member(cmd, "type");
  if (auto name = member(cmd, "name"); !name.empty()) out += " " + name;
  return out + " " + member(cmd, "filename");
}

}  // namespace airwasm::wast
