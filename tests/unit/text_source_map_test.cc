#include <gtest/gtest.h>

#include "binary/decoder.h"
#include "spec/types.h"
#include "text/script.h"
#include "validate/validator.h"

namespace weft {
namespace {

// Encodes `wat`, validates it, and returns the relocated validation error.
Error validation_error(const std::string& wat) {
  SourceMap map;
  auto bytes = parse_wat(wat, 1, 1, &map);
  EXPECT_TRUE(bytes.ok());
  auto module = decode_module(std::move(bytes.value()));
  EXPECT_TRUE(module.ok());
  TypeRegistry types;
  Status st = validate_module(types, *module.value());
  EXPECT_FALSE(st.ok());
  Error e = st.error();
  map.relocate(e);
  return e;
}

TEST(TextSourceMap, FlatInstructionErrorsAreReportedAtLineAndColumn) {
  Error e = validation_error(
      "(module\n"
      "  (func (param i32) (result i32)\n"
      "    local.get 0\n"
      "    i64.extend_i32_u\n"
      "    i32.const 1\n"
      "    i32.add))\n");
  EXPECT_EQ(e.kind, ErrorKind::invalid);
  ASSERT_EQ(e.location.kind, Location::Kind::line_col);
  EXPECT_EQ(e.location.line, 6u);
  EXPECT_EQ(e.location.column, 5u);
}

TEST(TextSourceMap, FoldedInstructionsMapToTheirOperator) {
  Error e = validation_error(
      "(module (func (result i32)\n"
      "  (i32.add\n"
      "    (i32.const 1)\n"
      "    (f32.const 2))))\n");
  ASSERT_EQ(e.location.kind, Location::Kind::line_col);
  EXPECT_EQ(e.location.line, 2u);
  EXPECT_EQ(e.location.column, 4u);
}

TEST(TextSourceMap, ErrorsOutsideCodeKeepTheirByteOffset) {
  Error e = validation_error("(module (func) (data (i32.const 0) \"x\"))");
  EXPECT_EQ(e.location.kind, Location::Kind::byte_offset);
}

}  // namespace
}  // namespace weft
