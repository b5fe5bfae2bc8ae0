// wit: the WIT tokenizer. Pulled one token at a time by the parser, which sometimes reads raw text
// instead (a semantic version after `@` or `=`, whose `-rc.1+build` parts are not tokens). Comments are
// skipped; doc comments (`///`, `/** */`) before a token are kept on it. Block comments nest, as in
// wit-parser. Invariant: positions are byte offsets into the one source text the lexer was given.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hh"

namespace airwasm::wit {

enum class Tok : uint8_t {
  kEof,
  kId,
  kExplicitId /* %name */,
  kInteger,
  kString,
  kLBrace,
  kRBrace,
  kLParen,
  kRParen,
  kLAngle,
  kRAngle,
  kComma,
  kSemicolon,
  kColon,
  kEquals,
  kPeriod,
  kSlash,
  kAt,
  kArrow,
  kStar,
  kUnderscore,
  kPlus,
  kMinus,
};

const char* tok_name(Tok t);

struct Token {
  Tok kind = Tok::kEof;
  uint32_t offset = 0;  // of the first byte
  std::string text;     // identifiers without `%`, strings unescaped, integers as written
  std::string docs;     // doc comments that precede the token, markers removed, lines joined by '\n'
  bool has_docs = false;
};

// A source file: its name for messages and its text. Line and column are computed only for errors.
struct Source {
  std::string name;
  std::string text;
  // "name:line:col" of a byte offset (line and column from 1, the column counted in bytes).
  std::string where(uint32_t offset) const;
};

// An error at a position of a source: "FILE:LINE:COL: message".
std::unexpected<Error> error_at(const Source& src, uint32_t offset, const std::string& message);

class Lexer {
 public:
  explicit Lexer(const Source& src) : src_(src), text_(src.text) {}
  Result<Token> next();
  // Reads a semantic version starting at the current position (after whitespace).
  Result<std::string> version(uint32_t& offset);
  uint32_t position() const { return pos_; }

 private:
  Result<void> skip_trivia(Token& t);
  const Source& src_;
  std::string_view text_;
  uint32_t pos_ = 0;
};

}  // namespace airwasm::wit
