// tools: option parsing shared by the subcommands: "--name VALUE" / "--name=VALUE" values, durations
// ("200ms", "2s", "1m") and byte sizes ("65536", "64KiB", "16MiB", "1GiB"). Parsers return nullopt for
// malformed text; the caller prints the usage error and exits 2.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "airwasm/engine.hh"

namespace airwasm::cli {

// "interpreter", "baseline" or "auto" (the --compiler option of run and wast).
std::optional<CompilerMode> parse_compiler_mode(std::string_view s);

// If argv[i] is `name` or `name=...`, stores the value (taking argv[i+1] and advancing i for the first
// form) and returns true. `missing` is set when the value is absent.
bool option_value(int argc, char** argv, int& i, std::string_view name, std::string_view& value,
                  bool& missing);

std::optional<uint64_t> parse_u64(std::string_view s);
// Units: ns, us, ms, s, m, h; a bare number is seconds.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view s);
// Suffixes (case-insensitive): none or B, K/KB/KiB, M/MB/MiB, G/GB/GiB; all multiples of 1024.
std::optional<uint64_t> parse_size(std::string_view s);

}  // namespace airwasm::cli
