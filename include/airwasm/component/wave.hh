// airwasm public API (components): WAVE, the WebAssembly Value Encoding (the text form of component
// values that `wasmtime run --invoke` uses): 42, -7, 1.5, nan, true, 'c', "text", [1, 2], (1, "a"),
// {x: 1, y: 2}, case, case(payload), some(v), none, ok, ok(v), err(e), {flag-a, flag-b}.
// Parsing is directed by the expected type; printing is Val::to_string().
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "airwasm/component/func.hh"
#include "airwasm/component/instance.hh"
#include "airwasm/error.hh"

namespace airwasm::component {

// Parses `name(arg, ...)` against the exports of `instance`: a root function, or `interface#name`.
// Errors (kUsage) say what is wrong and where.
Result<std::pair<Func, std::vector<Val>>> parse_invoke(Store& store, const Instance& instance,
                                                       std::string_view call);

// Parses one value for parameter `index` of `func`.
Result<Val> parse_wave_param(Store& store, const Func& func, size_t index, std::string_view text);

}  // namespace airwasm::component
