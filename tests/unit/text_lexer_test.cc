#include <gtest/gtest.h>

#include "text/lexer.h"

namespace weft::text {
namespace {

std::vector<Tok> kinds(const Lexed& lx) {
  std::vector<Tok> out;
  for (const Token& t : lx.tokens) out.push_back(t.kind);
  return out;
}

Error lex_error(std::string_view src, uint32_t line = 1, uint32_t col = 1) {
  auto r = lex(src, line, col);
  EXPECT_FALSE(r.ok()) << src;
  if (r.ok()) return Error{};
  return r.error();
}

TEST(TextLexer, TokenKinds) {
  auto r = lex("(module $m $\"q u\" \"s\" 12 0x1F -3 +4 1.5 1e3 0x1p-2 inf -nan nan:0x1 "
               "i32.add offset=4 0$x $a\"b\" \"a\"\"b\" nan:canonical)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Lexed& lx = r.value();
  std::vector<Tok> expect = {Tok::lparen,  Tok::keyword, Tok::id,       Tok::id,      Tok::string,
                             Tok::nat,     Tok::nat,     Tok::int_,     Tok::int_,    Tok::float_,
                             Tok::float_,  Tok::float_,  Tok::float_,   Tok::float_,  Tok::float_,
                             Tok::keyword, Tok::keyword, Tok::reserved, Tok::reserved,
                             Tok::reserved, Tok::keyword, Tok::rparen,  Tok::eof};
  EXPECT_EQ(kinds(lx), expect);
  EXPECT_EQ(lx.str(lx.tokens[2]), "m");
  EXPECT_EQ(lx.str(lx.tokens[3]), "q u");
  EXPECT_EQ(lx.text(lx.tokens[3]), "$\"q u\"");
  EXPECT_EQ(lx.tokens[0].aux, lx.tokens.size() - 2);  // matching paren
}

TEST(TextLexer, StringEscapes) {
  auto r = lex(R"("\t\n\r\"\'\\\41\ff\u{48}\u{1F600}\u{0_0e9}")");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Lexed& lx = r.value();
  ASSERT_EQ(lx.tokens[0].kind, Tok::string);
  EXPECT_EQ(lx.str(lx.tokens[0]),
            std::string("\t\n\r\"'\\A\xff" "H\xF0\x9F\x98\x80\xC3\xA9"));
}

TEST(TextLexer, CommentsAndAnnotationsAreSpace) {
  auto r = lex("(;a(;nested;)b;) x ;; line\n y (@a (b \")\" (; ) ;) c)) (@x (@y)) z (;;)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Lexed& lx = r.value();
  ASSERT_EQ(lx.tokens.size(), 4u);
  EXPECT_EQ(lx.text(lx.tokens[0]), "x");
  EXPECT_EQ(lx.text(lx.tokens[1]), "y");
  EXPECT_EQ(lx.text(lx.tokens[2]), "z");
  EXPECT_EQ(lx.tokens[1].line, 2u);
  EXPECT_EQ(lx.tokens[1].column, 2u);
  // A line comment ends a token; "(;" does too.
  auto r2 = lex("nop;;c\nnop(;c;)nop");
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->tokens.size(), 4u);
}

TEST(TextLexer, Positions) {
  auto r = lex("a\n  bb\r\n\tc\rd \xC3\xA9", 10, 5);
  ASSERT_FALSE(r.ok());  // non-ASCII outside strings
  EXPECT_EQ(r.error().message, "illegal character");
  EXPECT_EQ(r.error().location.line, 13u);
  EXPECT_EQ(r.error().location.column, 3u);
  auto ok = lex("a\n  bb\r\n\tc\rd", 10, 5);
  ASSERT_TRUE(ok.ok());
  const auto& t = ok->tokens;
  EXPECT_EQ(t[0].line, 10u);
  EXPECT_EQ(t[0].column, 5u);  // first line is shifted by the base column
  EXPECT_EQ(t[1].line, 11u);
  EXPECT_EQ(t[1].column, 3u);
  EXPECT_EQ(t[2].line, 12u);
  EXPECT_EQ(t[2].column, 2u);
  EXPECT_EQ(t[3].line, 13u);
  EXPECT_EQ(t[3].column, 1u);
}

TEST(TextLexer, Errors) {
  Error e = lex_error("(module \"abc");
  EXPECT_EQ(e.kind, ErrorKind::malformed);
  EXPECT_EQ(e.message, "unclosed string");
  EXPECT_EQ(e.location.to_string(), "1:9");
  e = lex_error("x (; (; ;)");
  EXPECT_EQ(e.message, "unclosed comment");
  EXPECT_EQ(e.location.to_string(), "1:3");
  e = lex_error("(@a (b)");
  EXPECT_EQ(e.message, "unclosed annotation");
  e = lex_error("(@ a)");
  EXPECT_EQ(e.message, "empty annotation id");
  e = lex_error("(func $)");
  EXPECT_EQ(e.message, "empty identifier");
  e = lex_error("(func $\"\")");
  EXPECT_EQ(e.message, "empty identifier");
  e = lex_error("(func $\"\\ff\")");
  EXPECT_EQ(e.message, "malformed UTF-8 encoding");
  e = lex_error("(x \x80)");
  EXPECT_EQ(e.message, "malformed UTF-8 encoding");
  EXPECT_EQ(e.location.to_string(), "1:4");
  e = lex_error(";; \xC0\xAF");
  EXPECT_EQ(e.message, "malformed UTF-8 encoding");
  e = lex_error("(x \x01)");
  EXPECT_EQ(e.message, "illegal character");
  e = lex_error("\"\\u{D800}\"");
  EXPECT_EQ(e.message, "illegal escape");
  e = lex_error("\"\\q\"");
  EXPECT_EQ(e.message, "illegal escape");
  e = lex_error("(a))");
  EXPECT_EQ(e.message, "unexpected token");
  EXPECT_EQ(e.location.to_string(), "1:4");
  e = lex_error("((a)");
  EXPECT_EQ(e.message, "unexpected end of input");
  // Control characters are fine in comments.
  EXPECT_TRUE(lex("(;\x01\x7f;) ;; \x02").ok());
}

TEST(TextLexer, DeepNestingIsIterative) {
  std::string src(200000, '(');
  src += std::string(200000, ')');
  EXPECT_TRUE(lex(src).ok());
  std::string comment;
  for (int i = 0; i < 100000; ++i) comment += "(;";
  for (int i = 0; i < 100000; ++i) comment += ";)";
  EXPECT_TRUE(lex(comment).ok());
}

}  // namespace
}  // namespace weft::text
