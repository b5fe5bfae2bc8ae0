// wit: the WIT tokenizer (see lexer.hh). Identifiers are taken greedily as `[A-Za-z0-9-]` runs and
// checked for kebab case by the parser's callers, so that `a-` or `1x` gets a message about the name
// rather than "unexpected character".
#include "wit/lexer.hh"

#include <algorithm>

namespace airwasm::wit {

namespace {

constexpr int kMaxCommentDepth = 256;  // nested block comments (bounded: the input may be hostile)

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Removes one leading space from each line of a `///` comment and trims a `/** */` block's lines.
void add_doc_line(Token& t, std::string_view line) {
  if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  if (t.has_docs) t.docs += '\n';
  t.docs += line;
  t.has_docs = true;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3f));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

}  // namespace

const char* tok_name(Tok t) {
  switch (t) {
    case Tok::kEof:
      return "end of file";
    case Tok::kId:
      return "an identifier";
    case Tok::kExplicitId:
      return "an identifier";
    case Tok::kInteger:
      return "an integer";
    case Tok::kString:
      return "a string";
    case Tok::kLBrace:
      return "`{`";
    case Tok::kRBrace:
      return "`}`";
    case Tok::kLParen:
      return "`(`";
    case Tok::kRParen:
      return "`)`";
    case Tok::kLAngle:
      return "`<`";
    case Tok::kRAngle:
      return "`>`";
    case Tok::kComma:
      return "`,`";
    case Tok::kSemicolon:
      return "`;`";
    case Tok::kColon:
      return "`:`";
    case Tok::kEquals:
      return "`=`";
    case Tok::kPeriod:
      return "`.`";
    case Tok::kSlash:
      return "`/`";
    case Tok::kAt:
      return "`@`";
    case Tok::kArrow:
      return "`->`";
    case Tok::kStar:
      return "`*`";
    case Tok::kUnderscore:
      return "`_`";
    case Tok::kPlus:
      return "`+`";
    case Tok::kMinus:
      return "`-`";
  }
  return "a token";
}

std::string Source::where(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, uint32_t(text.size()));
  uint32_t line = 1, col = 1;
  for (uint32_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return name + ":" + std::to_string(line) + ":" + std::to_string(col);
}

std::unexpected<Error> error_at(const Source& src, uint32_t offset, const std::string& message) {
  return base::invalid(src.where(offset) + ": " + message);
}

Result<void> Lexer::skip_trivia(Token& t) {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
      continue;
    }
    if (c != '/' || pos_ + 1 >= text_.size()) return {};
    char d = text_[pos_ + 1];
    if (d == '/') {
      size_t end = text_.find('\n', pos_);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view line = text_.substr(pos_, end - pos_);
      // `///` is a doc comment, `////...` is not (wit-parser's rule).
      if (line.size() >= 3 && line[2] == '/' && (line.size() == 3 || line[3] != '/'))
        add_doc_line(t, line.substr(3));
      pos_ = uint32_t(end);
      continue;
    }
    if (d != '*') return {};
    uint32_t start = pos_;
    bool doc = pos_ + 2 < text_.size() && text_[pos_ + 2] == '*' &&
               !(pos_ + 3 < text_.size() && (text_[pos_ + 3] == '*' || text_[pos_ + 3] == '/'));
    int depth = 0;
    while (true) {
      if (pos_ + 1 >= text_.size()) return error_at(src_, start, "unterminated block comment");
      if (text_[pos_] == '/' && text_[pos_ + 1] == '*') {
        if (++depth > kMaxCommentDepth) return error_at(src_, pos_, "block comments nested too deeply");
        pos_ += 2;
      } else if (text_[pos_] == '*' && text_[pos_ + 1] == '/') {
        pos_ += 2;
        if (--depth == 0) break;
      } else {
        ++pos_;
      }
    }
    if (doc) {
      std::string_view body = text_.substr(start + 3, pos_ - start - 5);
      size_t i = 0;
      while (i <= body.size()) {
        size_t nl = body.find('\n', i);
        if (nl == std::string_view::npos) nl = body.size();
        std::string_view line = body.substr(i, nl - i);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
        if (!line.empty() && line.front() == '*') line.remove_prefix(1);
        bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
        if (!blank || (i > 0 && nl < body.size())) add_doc_line(t, line);
        i = nl + 1;
      }
    }
  }
  return {};
}

Result<Token> Lexer::next() {
  Token t;
  AIRWASM_TRY(skip_trivia(t));
  t.offset = pos_;
  if (pos_ >= text_.size()) return t;
  char c = text_[pos_];
  auto punct = [&](Tok k, uint32_t len) {
    t.kind = k;
    pos_ += len;
    return t;
  };
  switch (c) {
    case '{':
      return punct(Tok::kLBrace, 1);
    case '}':
      return punct(Tok::kRBrace, 1);
    case '(':
      return punct(Tok::kLParen, 1);
    case ')':
      return punct(Tok::kRParen, 1);
    case '<':
      return punct(Tok::kLAngle, 1);
    case '>':
      return punct(Tok::kRAngle, 1);
    case ',':
      return punct(Tok::kComma, 1);
    case ';':
      return punct(Tok::kSemicolon, 1);
    case ':':
      return punct(Tok::kColon, 1);
    case '=':
      return punct(Tok::kEquals, 1);
    case '.':
      return punct(Tok::kPeriod, 1);
    case '/':
      return punct(Tok::kSlash, 1);
    case '@':
      return punct(Tok::kAt, 1);
    case '*':
      return punct(Tok::kStar, 1);
    case '+':
      return punct(Tok::kPlus, 1);
    case '-':
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '>') return punct(Tok::kArrow, 2);
      return punct(Tok::kMinus, 1);
    case '_':
      if (pos_ + 1 >= text_.size() || !is_id_char(text_[pos_ + 1])) return punct(Tok::kUnderscore, 1);
      break;
    case '"': {
      ++pos_;
      t.kind = Tok::kString;
      while (true) {
        if (pos_ >= text_.size() || text_[pos_] == '\n')
          return error_at(src_, t.offset, "unterminated string literal");
        char s = text_[pos_++];
        if (s == '"') return t;
        if (s != '\\') {
          t.text += s;
          continue;
        }
        if (pos_ >= text_.size()) return error_at(src_, t.offset, "unterminated string literal");
        char e = text_[pos_++];
        switch (e) {
          case '\\':
            t.text += '\\';
            break;
          case '"':
            t.text += '"';
            break;
          case '\'':
            t.text += '\'';
            break;
          case 'n':
            t.text += '\n';
            break;
          case 'r':
            t.text += '\r';
            break;
          case 't':
            t.text += '\t';
            break;
          case 'u': {
            uint32_t at = pos_ - 2;
            if (pos_ >= text_.size() || text_[pos_] != '{')
              return error_at(src_, at, "invalid escape in string");
            ++pos_;
            uint32_t cp = 0;
            int digits = 0;
            while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_])) &&
                   digits < 7) {
              char h = text_[pos_++];
              cp = cp * 16 + uint32_t(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
              ++digits;
            }
            if (digits == 0 || pos_ >= text_.size() || text_[pos_] != '}' || cp > 0x10ffff ||
                (cp >= 0xd800 && cp < 0xe000)) {
              return error_at(src_, at, "invalid unicode escape in string");
            }
            ++pos_;
            append_utf8(t.text, cp);
            break;
          }
          default:
            return error_at(src_, pos_ - 2, "invalid escape in string");
        }
      }
    }
    default:
      break;
  }
  if (c >= '0' && c <= '9') {
    t.kind = Tok::kInteger;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') t.text += text_[pos_++];
    return t;
  }
  bool explicit_id = c == '%';
  if (explicit_id) ++pos_;
  if (pos_ < text_.size() && (std::isalpha(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
    t.kind = explicit_id ? Tok::kExplicitId : Tok::kId;
    while (pos_ < text_.size() && (is_id_char(text_[pos_]) || text_[pos_] == '_')) t.text += text_[pos_++];
    return t;
  }
  if (explicit_id) return error_at(src_, t.offset, "expected an identifier after `%`");
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return error_at(src_, t.offset, std::string("unexpected character `") + c + "`");
  return error_at(src_, t.offset,
                  "unexpected character (byte 0x" + std::string(1, "0123456789abcdef"[u >> 4]) +
                      "0123456789abcdef"[u & 15] + ")");
}

Result<std::string> Lexer::version(uint32_t& offset) {
  Token scratch;
  AIRWASM_TRY(skip_trivia(scratch));
  offset = pos_;
  uint32_t start = pos_;
  // A `.` belongs to the version only when a version character follows: `use a:b/c@1.0.0.{x}`.
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '.' && !(pos_ + 1 < text_.size() && is_id_char(text_[pos_ + 1]))) break;
    if (!is_id_char(c) && c != '.' && c != '+') break;
    ++pos_;
  }
  return std::string(text_.substr(start, pos_ - start));
}

}  // namespace airwasm::wit
