#include "text/lexer.h"

#include "base/utf8.h"

namespace weft::text {

bool is_idchar(char ch) {
  unsigned char c = static_cast<unsigned char>(ch);
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '/': case ':': case '<': case '=': case '>': case '?':
    case '@': case '\\': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hexdigit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Scans `digit (_? digit)*` (or the hex variant) from i; returns the end, or
// npos if there is no valid digit sequence at i.
size_t scan_digits(std::string_view s, size_t i, bool hex) {
  auto ok = [hex](char c) { return hex ? is_hexdigit(c) : is_digit(c); };
  if (i >= s.size() || !ok(s[i])) return std::string_view::npos;
  ++i;
  while (i < s.size()) {
    if (ok(s[i])) {
      ++i;
    } else if (s[i] == '_' && i + 1 < s.size() && ok(s[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

Tok classify_number(std::string_view t) {
  constexpr size_t npos = std::string_view::npos;
  size_t i = 0;
  bool sign = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    sign = true;
    i = 1;
  }
  std::string_view rest = t.substr(i);
  if (rest == "inf" || rest == "nan") return Tok::float_;
  if (rest.substr(0, 6) == "nan:0x") {
    return scan_digits(rest, 6, true) == rest.size() ? Tok::float_ : Tok::reserved;
  }
  bool hex = rest.size() >= 2 && rest[0] == '0' && (rest[1] == 'x');
  size_t j = scan_digits(rest, hex ? 2 : 0, hex);
  if (j == npos) return Tok::reserved;
  if (j == rest.size()) return sign ? Tok::int_ : Tok::nat;
  if (rest[j] == '.') {
    ++j;
    if (j < rest.size() && (hex ? is_hexdigit(rest[j]) : is_digit(rest[j]))) {
      j = scan_digits(rest, j, hex);
      if (j == npos) return Tok::reserved;
    }
  }
  if (j < rest.size() && (hex ? (rest[j] == 'p' || rest[j] == 'P') : (rest[j] == 'e' || rest[j] == 'E'))) {
    ++j;
    if (j < rest.size() && (rest[j] == '+' || rest[j] == '-')) ++j;
    j = scan_digits(rest, j, false);
    if (j == npos) return Tok::reserved;
  }
  return j == rest.size() ? Tok::float_ : Tok::reserved;
}

namespace {

class Lexer {
 public:
  Lexer(std::string_view src, uint32_t line, uint32_t column)
      : src_(src), base_line_(line), base_col_(column) {
    out_.source = src;
  }

  Result<Lexed> run() {
    if (src_.size() >= UINT32_MAX) return err("source too large");
    for (;;) {
      WEFT_CHECK(skip_space(false));
      Token tok;
      set_pos(tok);
      tok.offset = static_cast<uint32_t>(pos_);
      if (pos_ >= src_.size()) {
        tok.kind = Tok::eof;
        out_.tokens.push_back(tok);
        break;
      }
      char c = src_[pos_];
      if (c == '(' || c == ')') {
        tok.kind = c == '(' ? Tok::lparen : Tok::rparen;
        tok.length = 1;
        advance(1);
        out_.tokens.push_back(tok);
        continue;
      }
      Run r;
      // A malformed quoted identifier reads as "$" followed by garbage.
      bool quoted_id = c == '$' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '"';
      WEFT_CHECK(scan_run(r, quoted_id ? "empty identifier" : nullptr));
      tok.length = static_cast<uint32_t>(r.end - r.begin);
      WEFT_CHECK(classify(r, tok));
      out_.tokens.push_back(tok);
    }
    WEFT_CHECK(match_parens());
    return std::move(out_);
  }

 private:
  struct Run {
    size_t begin = 0, end = 0;
    unsigned strings = 0;
    size_t first_string_begin = 0, last_string_end = 0;
    std::string decoded;  // contents of the first string in the run
  };

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1, col_ = 1;  // relative to the start of src_
  uint32_t base_line_, base_col_;
  Lexed out_;

  uint32_t abs_line(uint32_t l) const { return base_line_ + l - 1; }
  uint32_t abs_col(uint32_t l, uint32_t c) const { return l == 1 ? base_col_ + c - 1 : c; }
  void set_pos(Token& t) const {
    t.line = abs_line(line_);
    t.column = abs_col(line_, col_);
  }
  Error err_at(uint32_t l, uint32_t c, std::string msg) const {
    return make_error(ErrorKind::malformed, std::move(msg),
                      Location::at_text(abs_line(l), abs_col(l, c)));
  }
  Error err(std::string msg) const { return err_at(line_, col_, std::move(msg)); }

  void advance(size_t n) {
    for (size_t k = 0; k < n && pos_ < src_.size(); ++k) {
      unsigned char b = static_cast<unsigned char>(src_[pos_++]);
      if (b == '\n') {
        ++line_;
        col_ = 1;
      } else if (b == '\r') {
        if (pos_ >= src_.size() || src_[pos_] != '\n') {
          ++line_;
          col_ = 1;
        }
      } else if ((b & 0xC0) != 0x80) {
        ++col_;
      }
    }
  }

  bool at(std::string_view s) const { return src_.substr(pos_, s.size()) == s; }

  // Length of the valid UTF-8 sequence at pos_ (a byte >= 0x80), or 0.
  size_t utf8_len() const {
    unsigned char b = static_cast<unsigned char>(src_[pos_]);
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    if (len == 0 || pos_ + len > src_.size()) return 0;
    return is_valid_utf8(reinterpret_cast<const uint8_t*>(src_.data() + pos_), len) ? len : 0;
  }

  // Characters allowed in comments: any Unicode scalar value.
  Status skip_comment_char() {
    unsigned char c = static_cast<unsigned char>(src_[pos_]);
    if (c >= 0x80) {
      size_t len = utf8_len();
      if (len == 0) return err("malformed UTF-8 encoding");
      advance(len);
    } else {
      advance(1);
    }
    return Status::Ok();
  }

  Status skip_block_comment() {
    uint32_t l = line_, c = col_;
    advance(2);
    unsigned depth = 1;
    while (depth > 0) {
      if (pos_ >= src_.size()) return err_at(l, c, "unclosed comment");
      if (at("(;")) {
        ++depth;
        advance(2);
      } else if (at(";)")) {
        --depth;
        advance(2);
      } else {
        WEFT_CHECK(skip_comment_char());
      }
    }
    return Status::Ok();
  }

  Status skip_line_comment() {
    advance(2);
    while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') {
      WEFT_CHECK(skip_comment_char());
    }
    return Status::Ok();
  }

  // Skips white space, comments and (unless inside one) annotations.
  Status skip_space(bool in_annotation) {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance(1);
      } else if (at("(;")) {
        WEFT_CHECK(skip_block_comment());
      } else if (at(";;")) {
        WEFT_CHECK(skip_line_comment());
      } else if (!in_annotation && at("(@")) {
        WEFT_CHECK(skip_annotation());
      } else {
        break;
      }
    }
    return Status::Ok();
  }

  // An annotation "(@id ...)" is white space; its contents must still be
  // well-formed tokens with balanced parentheses. Nested annotations are
  // treated as plain parentheses, so this needs no recursion.
  Status skip_annotation() {
    uint32_t l = line_, c = col_;
    advance(2);
    Run id;
    WEFT_CHECK(scan_run(id, "empty annotation id"));
    if (id.end == id.begin) return err_at(l, c, "empty annotation id");
    if (id.strings > 0 && id.first_string_begin == id.begin && id.last_string_end == id.end &&
        id.strings == 1) {
      if (id.decoded.empty()) return err_at(l, c, "empty annotation id");
      if (!is_valid_utf8(id.decoded)) return err_at(l, c, "malformed UTF-8 encoding");
    }
    unsigned depth = 1;
    while (depth > 0) {
      WEFT_CHECK(skip_space(true));
      if (pos_ >= src_.size()) return err_at(l, c, "unclosed annotation");
      char ch = src_[pos_];
      if (ch == '(') {
        ++depth;
        advance(1);
      } else if (ch == ')') {
        --depth;
        advance(1);
      } else {
        Run r;
        WEFT_CHECK(scan_run(r));
      }
    }
    return Status::Ok();
  }

  static bool hexval(char c, unsigned* v) {
    if (c >= '0' && c <= '9') *v = unsigned(c - '0');
    else if (c >= 'a' && c <= 'f') *v = unsigned(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') *v = unsigned(c - 'A' + 10);
    else return false;
    return true;
  }

  // Scans a string literal starting at the '"' at pos_, appending its bytes.
  Status scan_string(std::string& out) {
    uint32_t l = line_, c = col_;
    advance(1);
    for (;;) {
      if (pos_ >= src_.size()) return err_at(l, c, "unclosed string");
      unsigned char ch = static_cast<unsigned char>(src_[pos_]);
      if (ch == '"') {
        advance(1);
        return Status::Ok();
      }
      if (ch == '\n' || ch == '\r') return err_at(l, c, "unclosed string");
      if (ch < 0x20 || ch == 0x7f) return err("illegal control character in string");
      if (ch >= 0x80) {
        size_t len = utf8_len();
        if (len == 0) return err("malformed UTF-8 encoding");
        out.append(src_.substr(pos_, len));
        advance(len);
        continue;
      }
      if (ch != '\\') {
        out.push_back(static_cast<char>(ch));
        advance(1);
        continue;
      }
      // Escape sequence.
      uint32_t el = line_, ec = col_;
      advance(1);
      if (pos_ >= src_.size()) return err_at(l, c, "unclosed string");
      char e = src_[pos_];
      unsigned h1 = 0, h2 = 0;
      switch (e) {
        case 't': out.push_back('\t'); advance(1); break;
        case 'n': out.push_back('\n'); advance(1); break;
        case 'r': out.push_back('\r'); advance(1); break;
        case '"': out.push_back('"'); advance(1); break;
        case '\'': out.push_back('\''); advance(1); break;
        case '\\': out.push_back('\\'); advance(1); break;
        case 'u': {
          advance(1);
          if (pos_ >= src_.size() || src_[pos_] != '{') return err_at(el, ec, "illegal escape");
          advance(1);
          size_t end = scan_digits(src_, pos_, true);
          if (end == std::string_view::npos || end >= src_.size() || src_[end] != '}') {
            return err_at(el, ec, "illegal escape");
          }
          uint32_t cp = 0;
          for (size_t k = pos_; k < end; ++k) {
            unsigned v;
            if (!hexval(src_[k], &v)) continue;  // '_'
            cp = cp * 16 + v;
            if (cp >= 0x110000) return err_at(el, ec, "illegal escape");
          }
          if (cp >= 0xD800 && cp < 0xE000) return err_at(el, ec, "illegal escape");
          append_utf8(out, cp);
          advance(end + 1 - pos_);
          break;
        }
        default:
          if (pos_ + 1 < src_.size() && hexval(src_[pos_], &h1) && hexval(src_[pos_ + 1], &h2)) {
            out.push_back(static_cast<char>(h1 * 16 + h2));
            advance(2);
            break;
          }
          return err_at(el, ec, "illegal escape");
      }
    }
  }

  // Scans a maximal run of non-space, non-parenthesis characters (strings
  // count as part of the run), validating every character.
  // `bad_string` replaces the error for a malformed string at the start of
  // the run (quoted identifiers and annotation ids).
  Status scan_run(Run& r, const char* bad_string = nullptr) {
    r.begin = pos_;
    uint32_t l = line_, c0 = col_;
    while (pos_ < src_.size()) {
      unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')') break;
      if (c == ';' && at(";;")) break;
      if (c == '"') {
        if (r.strings == 0) r.first_string_begin = pos_;
        std::string s;
        Status st = scan_string(s);
        if (!st.ok()) {
          if (bad_string && r.strings == 0 && r.first_string_begin <= r.begin + 1) {
            return err_at(l, c0, bad_string);
          }
          return st;
        }
        if (r.strings == 0) r.decoded = std::move(s);
        ++r.strings;
        r.last_string_end = pos_;
        continue;
      }
      if (c >= 0x80) {
        if (utf8_len() == 0) return err("malformed UTF-8 encoding");
        return err("illegal character");
      }
      if (c < 0x20 || c == 0x7f) return err("illegal character");
      advance(1);
    }
    r.end = pos_;
    return Status::Ok();
  }

  uint32_t add_string(std::string s) {
    out_.strings.push_back(std::move(s));
    return static_cast<uint32_t>(out_.strings.size() - 1);
  }

  Status classify(Run& r, Token& tok) {
    std::string_view t = src_.substr(r.begin, r.end - r.begin);
    bool single_string = r.strings == 1 && r.last_string_end == r.end;
    if (single_string && r.first_string_begin == r.begin) {
      tok.kind = Tok::string;
      tok.aux = add_string(std::move(r.decoded));
      return Status::Ok();
    }
    if (t[0] == '$') {
      if (t.size() == 1) return err_at_token(tok, "empty identifier");
      if (r.strings == 0) {
        bool all = true;
        for (size_t k = 1; k < t.size() && all; ++k) all = is_idchar(t[k]);
        if (all) {
          tok.kind = Tok::id;
          tok.aux = add_string(std::string(t.substr(1)));
          return Status::Ok();
        }
      } else if (single_string && r.first_string_begin == r.begin + 1) {
        if (r.decoded.empty()) return err_at_token(tok, "empty identifier");
        if (!is_valid_utf8(r.decoded)) return err_at_token(tok, "malformed UTF-8 encoding");
        tok.kind = Tok::id;
        tok.aux = add_string(std::move(r.decoded));
        return Status::Ok();
      }
      tok.kind = Tok::reserved;
      return Status::Ok();
    }
    if (r.strings > 0) {
      tok.kind = Tok::reserved;
      return Status::Ok();
    }
    Tok num = classify_number(t);
    if (num != Tok::reserved) {
      tok.kind = num;
      return Status::Ok();
    }
    bool keyword = t[0] >= 'a' && t[0] <= 'z';
    for (size_t k = 1; k < t.size() && keyword; ++k) keyword = is_idchar(t[k]);
    tok.kind = keyword ? Tok::keyword : Tok::reserved;
    return Status::Ok();
  }

  Error err_at_token(const Token& t, std::string msg) const {
    return make_error(ErrorKind::malformed, std::move(msg), Location::at_text(t.line, t.column));
  }

  Status match_parens() {
    std::vector<uint32_t> open;
    for (size_t i = 0; i < out_.tokens.size(); ++i) {
      Token& t = out_.tokens[i];
      if (t.kind == Tok::lparen) {
        open.push_back(static_cast<uint32_t>(i));
      } else if (t.kind == Tok::rparen) {
        if (open.empty()) return err_at_token(t, "unexpected token");
        out_.tokens[open.back()].aux = static_cast<uint32_t>(i);
        open.pop_back();
      }
    }
    if (!open.empty()) return err_at_token(out_.tokens.back(), "unexpected end of input");
    return Status::Ok();
  }
};

}  // namespace

Result<Lexed> lex(std::string_view source, uint32_t line, uint32_t column) {
  Lexer lexer(source, line, column);
  return lexer.run();
}

}  // namespace weft::text
