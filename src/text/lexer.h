// Tokenizer for the WebAssembly text format (text/lexical.rst, text/values.rst).
// The whole source is split into a token vector up front: comments and
// annotations are skipped, strings are decoded, and every '(' knows the index
// of its matching ')', so parsers can skip or re-scan forms without recursion.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace weft::text {

enum class Tok : uint8_t {
  lparen,
  rparen,
  nat,       // unsigned integer literal (decimal or 0x hex)
  int_,      // signed integer literal (explicit + or -)
  float_,    // any other number: fraction, exponent, inf, nan, nan:0x...
  string,    // "..." (decoded bytes in Lexed::strings[aux])
  id,        // $name or $"name" (decoded name, without '$', in Lexed::strings[aux])
  keyword,   // starts with a-z, all idchars (includes offset=4, nan:canonical)
  reserved,  // any other run of characters; never valid syntax
  eof,
};

struct Token {
  Tok kind = Tok::eof;
  uint32_t line = 0;    // 1-based, already shifted by the lexer's base position
  uint32_t column = 0;
  uint32_t offset = 0;  // byte range in the source
  uint32_t length = 0;
  uint32_t aux = 0;     // lparen: index of the matching rparen; string/id: string index
};

struct Lexed {
  std::string_view source;
  std::vector<Token> tokens;  // always ends with an eof token
  std::vector<std::string> strings;

  std::string_view text(const Token& t) const { return source.substr(t.offset, t.length); }
  const std::string& str(const Token& t) const { return strings[t.aux]; }
};

// Tokenizes `source`. `line`/`column` give the position of its first
// character in the enclosing file, so that token positions (and errors) refer
// to that file. Errors are malformed with a line:column location.
Result<Lexed> lex(std::string_view source, uint32_t line = 1, uint32_t column = 1);

// Number classification shared with the number parser: the lexical category
// of a token text that starts like a number, or Tok::reserved if it does not
// follow the number grammar exactly.
Tok classify_number(std::string_view text);

bool is_idchar(char c);

}  // namespace weft::text
