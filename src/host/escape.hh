// host: escaping untrusted text for one-line output, shared by the WAVE renderings of the airssys types
// (types.cc) and the structured log lines (log.cc).
#pragma once

#include <string>
#include <string_view>

namespace airwasm::host::internal {

// Appends `text` with \\, \", \n, \r, \t escaped and every other control character (C0, DEL) as \u{hex},
// as a WAVE string literal's body writes them; no quotes are added.
void append_escaped(std::string& out, std::string_view text);

}  // namespace airwasm::host::internal
