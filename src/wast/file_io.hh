// wast: reading whole files (scripts, module binaries) without exceptions. Directories, unreadable and
// missing files are all a plain error string, never a throw (std::ifstream's buffer throws on EISDIR).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace airwasm::wast {

std::expected<std::vector<uint8_t>, std::string> read_file_bytes(const std::string& path);

}  // namespace airwasm::wast
