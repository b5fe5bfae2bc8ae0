// wit: WIT text to a syntax tree (ast.hh), one file at a time. Recursive descent over the tokens of
// lexer.hh; nesting (types, inline interfaces) is bounded so that hostile input cannot exhaust the stack.
// Keywords are contextual: `%record` is always a name, `record` a keyword where a keyword may stand.
#pragma once

#include "base/result.hh"
#include "wit/ast.hh"
#include "wit/lexer.hh"

namespace airwasm::wit {

// Parses `src`, whose index among the sources of one resolution is `index`.
Result<ast::File> parse_file(const Source& src, uint32_t index);

}  // namespace airwasm::wit
