#include <gtest/gtest.h>

#include "text/script.h"

namespace weft {
namespace {

using K = Command::Kind;
using P = ResultPattern::Kind;

Script script(std::string_view src) {
  auto r = parse_script(src);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? std::move(r.value()) : Script{};
}

TEST(TextScript, Modules) {
  Script s = script(
      "(module $M (func (export \"f\")))\n"
      "  (module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
      "(module $Q quote \"(func\" \" (nop))\")\n"
      "(module definition $D (memory 1))\n"
      "(module instance $I $D)\n"
      "(module instance)\n"
      "(register \"reg\" $M)\n"
      "((@a) module (@b) $N)");
  ASSERT_EQ(s.commands.size(), 8u);
  const Command& m = s.commands[0];
  EXPECT_EQ(m.kind, K::module);
  EXPECT_EQ(m.module.kind, ScriptModule::Kind::text);
  EXPECT_EQ(m.module.name, "$M");
  EXPECT_EQ(m.module.text, "(module $M (func (export \"f\")))");
  EXPECT_EQ(m.module.line, 1u);
  EXPECT_EQ(m.module.column, 1u);
  const Command& b = s.commands[1];
  EXPECT_EQ(b.module.kind, ScriptModule::Kind::binary);
  EXPECT_EQ(b.module.bytes, (std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0}));
  EXPECT_EQ(b.line, 2u);
  EXPECT_EQ(b.module.column, 3u);
  const Command& q = s.commands[2];
  EXPECT_EQ(q.module.kind, ScriptModule::Kind::quote);
  EXPECT_EQ(q.module.name, "$Q");
  EXPECT_EQ(q.module.text, "(func (nop))");
  const Command& d = s.commands[3];
  EXPECT_TRUE(d.module.definition);
  EXPECT_EQ(d.module.name, "$D");
  EXPECT_EQ(s.commands[4].kind, K::instance);
  EXPECT_EQ(s.commands[4].instance_name, "$I");
  EXPECT_EQ(s.commands[4].instance_module, "$D");
  EXPECT_EQ(s.commands[5].instance_name, "");
  EXPECT_EQ(s.commands[6].kind, K::register_);
  EXPECT_EQ(s.commands[6].register_name, "reg");
  EXPECT_EQ(s.commands[6].register_module, "$M");
  EXPECT_EQ(s.commands[7].module.name, "$N");
  // The kept text parses with positions in the script.
  auto bin = parse_wat(m.module.text, m.module.line, m.module.column);
  EXPECT_TRUE(bin.ok());
  auto d_bin = parse_wat(d.module.text, d.module.line, d.module.column);
  EXPECT_TRUE(d_bin.ok());
}

TEST(TextScript, ActionsAndArguments) {
  Script s = script(
      "(invoke \"f\" (i32.const -1) (i64.const 0x10) (f32.const nan:0x200000) (f64.const -0.5)"
      "  (ref.null func) (ref.null extern) (ref.extern 7) (ref.host 3))\n"
      "(get $M \"g\")");
  ASSERT_EQ(s.commands.size(), 2u);
  const Action& a = s.commands[0].action;
  EXPECT_EQ(s.commands[0].kind, K::action);
  EXPECT_EQ(a.kind, Action::Kind::invoke);
  EXPECT_EQ(a.module, "");
  EXPECT_EQ(a.field, "f");
  ASSERT_EQ(a.args.size(), 8u);
  EXPECT_EQ(a.args[0].type, ValType::i32());
  EXPECT_EQ(a.args[0].bits, 0xffffffffu);
  EXPECT_EQ(a.args[1].bits, 0x10u);
  EXPECT_EQ(a.args[2].type, ValType::f32());
  EXPECT_EQ(a.args[2].bits, 0x7fa00000u);
  EXPECT_EQ(a.args[3].bits, 0xbfe0000000000000u);
  EXPECT_EQ(a.args[4].type, ValType::funcref());
  EXPECT_EQ(a.args[4].bits, kNullRef);
  EXPECT_EQ(a.args[5].type, ValType::externref());
  EXPECT_EQ(a.args[6].type, ValType::externref());
  EXPECT_EQ(a.args[6].bits, make_host_ref(7));
  EXPECT_EQ(a.args[7].bits, make_host_ref(3));
  EXPECT_EQ(s.commands[1].action.kind, Action::Kind::get);
  EXPECT_EQ(s.commands[1].action.module, "$M");
}

TEST(TextScript, ResultPatterns) {
  Script s = script(
      "(assert_return (invoke \"f\") (i32.const 1) (i64.const -1) (f32.const nan:canonical)"
      "  (f64.const nan:arithmetic) (f32.const -0x1p-149) (ref.null) (ref.null func) (ref.func)"
      "  (ref.extern) (ref.extern 2) (ref.host 1) (ref) (ref.struct) (ref.i31)"
      "  (either (i32.const 1) (i32.const 2)) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13"
      " 14 -1))");
  ASSERT_EQ(s.commands.size(), 1u);
  const std::vector<ResultPattern>& e = s.commands[0].expected;
  ASSERT_EQ(e.size(), 16u);
  EXPECT_EQ(e[0].kind, P::i32);
  EXPECT_EQ(e[0].bits, 1u);
  EXPECT_EQ(e[1].kind, P::i64);
  EXPECT_EQ(e[1].bits, ~uint64_t{0});
  EXPECT_EQ(e[2].kind, P::f32_nan_canonical);
  EXPECT_EQ(e[3].kind, P::f64_nan_arithmetic);
  EXPECT_EQ(e[4].kind, P::f32);
  EXPECT_EQ(e[4].bits, 0x80000001u);
  EXPECT_EQ(e[5].kind, P::ref_null);
  EXPECT_EQ(e[6].kind, P::ref_null);
  EXPECT_EQ(e[6].ref_kind, "func");
  EXPECT_EQ(e[7].kind, P::ref_func);
  EXPECT_EQ(e[8].kind, P::ref_extern);
  EXPECT_FALSE(e[8].has_payload);
  EXPECT_EQ(e[9].kind, P::ref_extern);
  EXPECT_TRUE(e[9].has_payload);
  EXPECT_EQ(e[9].bits, 2u);
  EXPECT_EQ(e[10].kind, P::ref_host);
  EXPECT_EQ(e[10].bits, 1u);
  EXPECT_EQ(e[11].kind, P::ref_any_nonnull);
  EXPECT_EQ(e[12].kind, P::ref_kind);
  EXPECT_EQ(e[12].ref_kind, "struct");
  EXPECT_EQ(e[13].ref_kind, "i31");
  EXPECT_EQ(e[14].kind, P::either);
  ASSERT_EQ(e[14].alternatives.size(), 2u);
  EXPECT_EQ(e[14].alternatives[1].bits, 2u);
  EXPECT_EQ(e[15].kind, P::v128);
  EXPECT_EQ(e[15].v128_shape, "i8x16");
  ASSERT_EQ(e[15].lanes.size(), 16u);
  EXPECT_EQ(e[15].lanes[15].bits, 0xffu);
}

TEST(TextScript, Assertions) {
  Script s = script(
      "(assert_trap (invoke \"f\") \"unreachable\")\n"
      "(assert_trap (module (start 0) (func unreachable)) \"unreachable\")\n"
      "(assert_exhaustion (invoke $M \"r\") \"call stack exhausted\")\n"
      "(assert_exception (invoke \"t\"))\n"
      "(assert_suspension (invoke \"s\") \"unhandled\")\n"
      "(assert_malformed (module quote \"(func\") \"unexpected end\")\n"
      "(assert_invalid (module (func (result i32))) \"type mismatch\")\n"
      "(assert_unlinkable (module (import \"a\" \"b\" (func))) \"unknown import\")");
  ASSERT_EQ(s.commands.size(), 8u);
  EXPECT_EQ(s.commands[0].kind, K::assert_trap);
  EXPECT_EQ(s.commands[0].text, "unreachable");
  EXPECT_EQ(s.commands[1].kind, K::assert_uninstantiable);
  EXPECT_EQ(s.commands[1].module.kind, ScriptModule::Kind::text);
  EXPECT_EQ(s.commands[2].kind, K::assert_exhaustion);
  EXPECT_EQ(s.commands[2].action.module, "$M");
  EXPECT_EQ(s.commands[3].kind, K::assert_exception);
  EXPECT_EQ(s.commands[4].kind, K::assert_suspension);
  EXPECT_EQ(s.commands[5].kind, K::assert_malformed);
  EXPECT_FALSE(parse_wat(s.commands[5].module.text).ok());
  EXPECT_EQ(s.commands[6].kind, K::assert_invalid);
  EXPECT_EQ(s.commands[6].line, 7u);
  EXPECT_EQ(s.commands[7].kind, K::assert_unlinkable);
  EXPECT_EQ(s.commands[7].text, "unknown import");
}

TEST(TextScript, InlineModuleScript) {
  Script s = script("(func) (memory 0) (func (export \"f\"))");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].kind, K::module);
  EXPECT_TRUE(parse_wat(s.commands[0].module.text).ok());
}

TEST(TextScript, Errors) {
  auto r = parse_script("(module)\n(assert_return (invoke \"f\") (i32.const 0x1_0000_0000))");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().location.to_string(), "2:40");
  EXPECT_FALSE(parse_script("(assert_return (invoke \"f\")").ok());
  EXPECT_FALSE(parse_script("(bogus)").ok());
  EXPECT_FALSE(parse_script("(module \"unterminated)").ok());
  std::string deep = "(assert_return (invoke \"f\")";
  for (int i = 0; i < 100; ++i) deep += " (either";
  deep += std::string(100, ')') + ")";
  EXPECT_FALSE(parse_script(deep).ok());
}

}  // namespace
}  // namespace weft
