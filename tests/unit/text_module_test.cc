#include <gtest/gtest.h>

#include "text/script.h"

namespace weft {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes wat(std::string_view src) {
  auto r = parse_wat(src);
  EXPECT_TRUE(r.ok()) << src << "\n" << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? r.value() : Bytes{};
}

Error wat_error(std::string_view src, uint32_t line = 1, uint32_t col = 1) {
  auto r = parse_wat(src, line, col);
  EXPECT_FALSE(r.ok()) << src;
  if (r.ok()) return Error{};
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  return r.error();
}

const Bytes kHeader = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

Bytes module(std::initializer_list<uint8_t> sections) {
  Bytes b = kHeader;
  b.insert(b.end(), sections);
  return b;
}

// Returns the contents of the first section with `id`, or empty.
Bytes section(const Bytes& b, uint8_t id) {
  size_t i = 8;
  while (i < b.size()) {
    uint8_t sid = b[i++];
    uint32_t size = 0, shift = 0;
    while (true) {
      uint8_t x = b[i++];
      size |= uint32_t(x & 0x7f) << shift;
      shift += 7;
      if (!(x & 0x80)) break;
    }
    if (sid == id) return Bytes(b.begin() + long(i), b.begin() + long(i + size));
    i += size;
  }
  return {};
}

TEST(TextModule, Empty) {
  EXPECT_EQ(wat("(module)"), kHeader);
  EXPECT_EQ(wat(""), kHeader);
  EXPECT_EQ(wat("(module $m)"), kHeader);
  EXPECT_EQ(wat("(module definition $m)"), kHeader);
}

TEST(TextModule, ExportedFunction) {
  // Matches wat2wasm's output byte for byte.
  EXPECT_EQ(wat("(module (func (export \"f\") (param i32) (result i32) local.get 0))"),
            module({0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,  // type
                    0x03, 0x02, 0x01, 0x00,                          // func
                    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,        // export
                    0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b}));  // code
  // Bare fields (module quote) are the same module.
  EXPECT_EQ(wat("(func (export \"f\") (param i32) (result i32) local.get 0)"),
            wat("(module (func (export \"f\") (param i32) (result i32) (local.get 0)))"));
}

TEST(TextModule, MemargAndFolding) {
  EXPECT_EQ(wat("(module (memory 1) (func (param i32) (result i32)"
                " (i32.load offset=8 align=2 (local.get 0))))"),
            module({0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
                    0x05, 0x03, 0x01, 0x00, 0x01,  // memory: no max, min 1
                    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x28, 0x01, 0x08, 0x0b}));
  // Multi-memory: flag bit 6 and the memory index.
  Bytes code = section(wat("(module (memory 1) (memory $m 1)"
                           " (func (drop (i64.load32_u $m offset=4 (i32.const 0)))))"),
                       10);
  EXPECT_EQ(code, (Bytes{0x01, 0x09, 0x00, 0x41, 0x00, 0x35, 0x42, 0x01, 0x04, 0x1a, 0x0b}));
}

TEST(TextModule, FoldedIfAndLabels) {
  EXPECT_EQ(wat("(module (func (result i32)"
                " (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))))"),
            module({0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x0a,
                    0x0e, 0x01, 0x0c, 0x00, 0x41, 0x01, 0x04, 0x7f, 0x41, 0x02, 0x05, 0x41,
                    0x03, 0x0b, 0x0b}));
  Bytes folded = wat("(module (func (block $a (loop $b (br_if $a (i32.const 0)) (br $b)))))");
  Bytes flat = wat("(module (func block $a loop $b i32.const 0 br_if $a br $b end $b end $a))");
  EXPECT_EQ(folded, flat);
  EXPECT_EQ(section(folded, 10), (Bytes{0x01, 0x0e, 0x00, 0x02, 0x40, 0x03, 0x40, 0x41, 0x00,
                                        0x0d, 0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x0b}));
  // Shadowed labels resolve to the innermost.
  EXPECT_EQ(section(wat("(module (func (block $l (block $l (br $l)))))"), 10),
            (Bytes{0x01, 0x0a, 0x00, 0x02, 0x40, 0x02, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x0b}));
  // try_table catch labels are resolved outside the try_table's own label.
  EXPECT_EQ(section(wat("(module (tag $e) (func (block $out (try_table $t (catch $e $out)"
                        " (catch_all 0)))))"),
                    10),
            (Bytes{0x01, 0x0e, 0x00, 0x02, 0x40, 0x1f, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02,
                   0x00, 0x0b, 0x0b, 0x0b}));
}

TEST(TextModule, Constants) {
  EXPECT_EQ(section(wat("(module (func (result f32) f32.const 0x1p-149)"
                        " (func (result f64) f64.const -inf) (func (result i64) i64.const -1))"),
                    10),
            (Bytes{0x03, 0x07, 0x00, 0x43, 0x01, 0x00, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x44,
                   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff, 0x0b, 0x04, 0x00, 0x42,
                   0x7f, 0x0b}));
  EXPECT_EQ(section(wat("(module (global $g (mut i32) (i32.const 7))"
                        " (func (global.set $g (i32.const -128))))"),
                    6),
            (Bytes{0x01, 0x7f, 0x01, 0x41, 0x07, 0x0b}));
  EXPECT_EQ(section(wat("(module (func (drop (i32.const 0xffff_ffff))))"), 10),
            (Bytes{0x01, 0x05, 0x00, 0x41, 0x7f, 0x1a, 0x0b}));
}

TEST(TextModule, ImplicitTypesFollowExplicitOnes) {
  Bytes b = wat(
      "(module"
      "  (func $f (result f64) (f64.const 0))"  // adds implicit type 1
      "  (func $g (param i32))"                 // reuses explicit type 0
      "  (func $h (result f64) (f64.const 1))"  // reuses implicit type 1
      "  (type $t (func (param i32))))");
  EXPECT_EQ(section(b, 1), (Bytes{0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7c}));
  EXPECT_EQ(section(b, 3), (Bytes{0x03, 0x01, 0x00, 0x01}));
  // A type inside a larger rec group is not reused.
  Bytes r = wat("(module (rec (type (func)) (type (struct))) (func))");
  EXPECT_EQ(section(r, 1), (Bytes{0x02, 0x4e, 0x02, 0x60, 0x00, 0x00, 0x5f, 0x00, 0x60, 0x00, 0x00}));
  EXPECT_EQ(section(r, 3), (Bytes{0x01, 0x02}));
}

TEST(TextModule, GcTypes) {
  Bytes b = wat(
      "(module (type $a (sub (struct (field $x (mut i32)) (field i8 i16))))"
      " (type $b (sub final $a (struct (field (mut i32)) (field i8 i16) (field (ref null $a)))))"
      " (type $arr (array (mut i8)))"
      " (func (param (ref $b)) (result i32) (struct.get $a $x (local.get 0))))");
  EXPECT_EQ(section(b, 1),
            (Bytes{0x04, 0x50, 0x00, 0x5f, 0x03, 0x7f, 0x01, 0x78, 0x00, 0x77, 0x00,  // $a
                   0x4f, 0x01, 0x00, 0x5f, 0x04, 0x7f, 0x01, 0x78, 0x00, 0x77, 0x00, 0x63,
                   0x00, 0x00,                                                       // $b
                   0x5e, 0x78, 0x01,                                                 // $arr
                   0x60, 0x01, 0x64, 0x01, 0x01, 0x7f}));
  EXPECT_EQ(section(b, 10), (Bytes{0x01, 0x08, 0x00, 0x20, 0x00, 0xfb, 0x02, 0x00, 0x00, 0x0b}));
  // ref.test / ref.cast pick the nullable opcode from the reference type.
  EXPECT_EQ(section(wat("(module (type $t (struct)) (func (param anyref)"
                        " (drop (ref.test (ref null $t) (local.get 0)))"
                        " (drop (ref.cast (ref $t) (local.get 0)))))"),
                    10),
            (Bytes{0x01, 0x0e, 0x00, 0x20, 0x00, 0xfb, 0x15, 0x00, 0x1a, 0x20, 0x00, 0xfb,
                   0x16, 0x00, 0x1a, 0x0b}));
  EXPECT_EQ(section(wat("(module (func (param anyref) (result anyref) (block $l (result anyref)"
                        " (br_on_cast $l anyref (ref i31) (local.get 0)))))"),
                    10),
            (Bytes{0x01, 0x0d, 0x00, 0x02, 0x6e, 0x20, 0x00, 0xfb, 0x18, 0x01, 0x00, 0x6e,
                   0x6c, 0x0b, 0x0b}));
}

TEST(TextModule, OperandOrderOfBulkInstructions) {
  Bytes code = section(wat("(module (memory $m 1) (memory $n 1) (table $t 1 funcref)"
                           " (table $u 1 funcref) (data $d \"\") (elem $e func)"
                           " (func (memory.init $n $d (i32.const 0) (i32.const 0) (i32.const 0))"
                           "       (table.init $u $e (i32.const 0) (i32.const 0) (i32.const 0))"
                           "       (memory.copy $m $n (i32.const 0) (i32.const 0) (i32.const 0))"
                           "       (table.copy $u $t (i32.const 0) (i32.const 0) (i32.const 0))))"),
                       10);
  const Bytes expect = {0x01, 0x2a, 0x00,
                        0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x01,
                        0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x01,
                        0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x00, 0x01,
                        0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e, 0x01, 0x00, 0x0b};
  EXPECT_EQ(code, expect);
}

TEST(TextModule, SegmentsAndAbbreviations) {
  Bytes b = wat("(module (func $f) (table $t i64 funcref (elem $f $f))"
                " (memory i64 (data \"ab\" \"c\")) (elem declare func $f)"
                " (elem (i32.const 1) $f) (elem funcref (ref.null func) (item ref.func $f))"
                " (data $p \"x\") (data (memory 0) (offset (i32.const 4)) \"y\"))");
  EXPECT_EQ(section(b, 4), (Bytes{0x01, 0x70, 0x05, 0x02, 0x02}));  // table64 2 2
  EXPECT_EQ(section(b, 5), (Bytes{0x01, 0x05, 0x01, 0x01}));        // memory64 1 1
  EXPECT_EQ(section(b, 9),
            (Bytes{0x04,
                   0x06, 0x00, 0x42, 0x00, 0x0b, 0x70, 0x02, 0xd2, 0x00, 0x0b, 0xd2, 0x00, 0x0b,
                   0x03, 0x00, 0x01, 0x00,
                   0x00, 0x41, 0x01, 0x0b, 0x01, 0x00,
                   0x05, 0x70, 0x02, 0xd0, 0x70, 0x0b, 0xd2, 0x00, 0x0b}));
  EXPECT_EQ(section(b, 12), (Bytes{0x03}));
  EXPECT_EQ(section(b, 11),
            (Bytes{0x03, 0x00, 0x42, 0x00, 0x0b, 0x03, 'a', 'b', 'c', 0x01, 0x01, 'x', 0x00,
                   0x41, 0x04, 0x0b, 0x01, 'y'}));
  // A data count section is also needed for data.drop without segments.
  EXPECT_EQ(section(wat("(module (func (data.drop 0)))"), 12), (Bytes{0x00}));
}

TEST(TextModule, ImportsExportsAndNames) {
  Bytes b = wat("(module (func $imp (import \"m\" \"f\") (param i32))"
                " (global $g (import \"m\" \"g\") (mut i64))"
                " (tag $e (export \"e\") (param i32)) (func $main (export \"a\") (export \"b\"))"
                " (start $main))");
  EXPECT_EQ(section(b, 2), (Bytes{0x02, 0x01, 'm', 0x01, 'f', 0x00, 0x00, 0x01, 'm', 0x01, 'g',
                                  0x03, 0x7e, 0x01}));
  EXPECT_EQ(section(b, 13), (Bytes{0x01, 0x00, 0x00}));
  EXPECT_EQ(section(b, 7), (Bytes{0x03, 0x01, 'e', 0x04, 0x00, 0x01, 'a', 0x00, 0x01, 0x01,
                                  'b', 0x00, 0x01}));
  EXPECT_EQ(section(b, 8), (Bytes{0x01}));
  Bytes names = section(b, 0);
  const Bytes expect = {0x04, 'n', 'a', 'm', 'e', 0x01, 0x0c, 0x02, 0x00, 0x03, 'i', 'm', 'p',
                        0x01, 0x04, 'm', 'a', 'i', 'n'};
  EXPECT_EQ(names, expect);
}

TEST(TextModule, StackSwitching) {
  Bytes b = wat(
      "(module (type $f (func (param i32) (result i32))) (type $c (cont $f))"
      " (tag $t (param i32) (result i32)) (tag $sw)"
      " (func $g (param i32) (result i32) (suspend $t (local.get 0)))"
      " (elem declare func $g)"
      " (func (result i32) (block $h (result i32 (ref $c))"
      "   (resume $c (on $t $h) (on $sw switch) (i32.const 1) (cont.new $c (ref.func $g)))"
      "   (return))"
      "  unreachable))");
  // $f, $c, then implicit types [] -> [], [] -> [i32] and the block's [] -> [i32 (ref $c)].
  EXPECT_EQ(section(b, 1), (Bytes{0x05, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x5d, 0x00, 0x60, 0x00,
                                  0x00, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x00, 0x02, 0x7f, 0x64,
                                  0x01}));
  EXPECT_EQ(section(b, 13), (Bytes{0x02, 0x00, 0x00, 0x00, 0x02}));
  Bytes code = section(b, 10);
  const Bytes second = {0x15, 0x00, 0x02, 0x04, 0x41, 0x01, 0xd2, 0x00, 0xe0, 0x01, 0xe3, 0x01,
                        0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x0f, 0x0b, 0x00, 0x0b};
  ASSERT_GE(code.size(), second.size());
  EXPECT_EQ(Bytes(code.end() - long(second.size()), code.end()), second);
}

TEST(TextModule, Errors) {
  struct Case {
    const char* src;
    const char* message;
    const char* where;
  };
  const Case cases[] = {
      {"(func (br $x))", "unknown label $x", "1:11"},
      {"(func block $a end $b)", "mismatching label", "1:20"},
      {"(func $f) (func $f)", "duplicate func $f", "1:17"},
      {"(func (param $x i32) (local $x i32))", "duplicate local $x", "1:29"},
      {"(func) (import \"\" \"\" (func))", "import after function", "1:8"},
      {"(memory 0) (import \"\" \"\" (global i32))", "import after memory", "1:12"},
      {"(type $t (func)) (func (type $t) (param i32))", "inline function type", "1:30"},
      {"(func (type 3) (param i32))", "unknown type", "1:13"},
      {"(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", "alignment", "1:34"},
      {"(func (drop (i32.const 4294967296)))", "constant out of range", "1:24"},
      {"(func (drop (f32.const 1e39)))", "constant out of range", "1:24"},
      {"(func (i32.const0))", "unknown operator i32.const0", "1:8"},
      {"(func br 0drop)", "unknown operator 0drop", "1:10"},
      {"(func (nop) (local i32))", "unexpected token", "1:14"},
      {"(func (result i32) (param i32) (i32.const 0))", "unexpected token", "1:21"},
      {"(global $g anyfunc (ref.null func))", "unknown operator anyfunc", "1:12"},
      {"(func (call $nope))", "unknown function $nope", "1:13"},
      {"(start 0) (start 0) (func)", "multiple start sections", "1:11"},
      {"(type (struct (field $x i32) (field $x i32)))", "duplicate field $x", "1:37"},
      {"(func (export \"\\ff\"))", "malformed UTF-8 encoding", "1:15"},
      {"(func (if (i32.const 0)))", "unexpected token", "1:24"},
      {"(func block)", "unexpected token", "1:12"},
      {"(module (func)) (func)", "unexpected token", "1:17"},
      {"(func", "unexpected end of input", "1:6"},
  };
  for (const Case& c : cases) {
    Error e = wat_error(c.src);
    EXPECT_EQ(e.message, c.message) << c.src;
    EXPECT_EQ(e.location.to_string(), c.where) << c.src;
  }
  // Locations are relative to where the text starts in its file.
  Error e = wat_error("(module\n  (func (br 1x)))", 7, 3);
  EXPECT_EQ(e.message, "unknown operator 1x");
  EXPECT_EQ(e.location.to_string(), "8:13");
}

TEST(TextModule, DeepNestingDoesNotRecurse) {
  const int depth = 200000;
  std::string folded = "(module (func";
  for (int i = 0; i < depth; ++i) folded += " (block";
  folded += std::string(depth, ')') + "))";
  auto r = parse_wat(folded);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string flat = "(module (func";
  for (int i = 0; i < depth; ++i) flat += " block";
  for (int i = 0; i < depth; ++i) flat += " end";
  flat += "))";
  auto r2 = parse_wat(flat);
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_EQ(r.value(), r2.value());
  std::string unclosed = "(module (func";
  for (int i = 0; i < depth; ++i) unclosed += " (i32.add";
  EXPECT_FALSE(parse_wat(unclosed).ok());
}

}  // namespace
}  // namespace weft
