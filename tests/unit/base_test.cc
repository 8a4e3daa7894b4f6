#include <gtest/gtest.h>

#include "base/leb128.h"
#include "base/result.h"
#include "base/utf8.h"
#include "spec/opcodes.h"

namespace weft {
namespace {

LebStatus uleb(std::vector<uint8_t> bytes, unsigned bits, uint64_t* v, size_t* len) {
  return read_uleb(bytes.data(), bytes.data() + bytes.size(), bits, v, len);
}
LebStatus sleb(std::vector<uint8_t> bytes, unsigned bits, int64_t* v, size_t* len) {
  return read_sleb(bytes.data(), bytes.data() + bytes.size(), bits, v, len);
}

TEST(Leb128, UnsignedValues) {
  uint64_t v;
  size_t n;
  ASSERT_EQ(uleb({0x00}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(n, 1u);
  ASSERT_EQ(uleb({0xe5, 0x8e, 0x26}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, 624485u);
  EXPECT_EQ(n, 3u);
  // Redundant padding is allowed within the byte limit.
  ASSERT_EQ(uleb({0x80, 0x80, 0x80, 0x80, 0x00}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, 0u);
  ASSERT_EQ(uleb({0xff, 0xff, 0xff, 0xff, 0x0f}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, 0xffffffffu);
}

TEST(Leb128, UnsignedErrors) {
  uint64_t v;
  size_t n;
  EXPECT_EQ(uleb({0x80}, 32, &v, &n), LebStatus::truncated);
  EXPECT_EQ(uleb({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, &v, &n), LebStatus::too_long);
  EXPECT_EQ(uleb({0xff, 0xff, 0xff, 0xff, 0x1f}, 32, &v, &n), LebStatus::bad_padding);
  EXPECT_EQ(uleb({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 64, &v, &n), LebStatus::bad_padding);
}

TEST(Leb128, SignedValues) {
  int64_t v;
  size_t n;
  ASSERT_EQ(sleb({0x7f}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, -1);
  ASSERT_EQ(sleb({0xc0, 0xbb, 0x78}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, -123456);
  ASSERT_EQ(sleb({0x80, 0x80, 0x80, 0x80, 0x78}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, INT32_MIN);
  ASSERT_EQ(sleb({0xff, 0xff, 0xff, 0xff, 0x07}, 32, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, INT32_MAX);
  // s33 block types: -64 (0x40) is the empty block type.
  ASSERT_EQ(sleb({0x40}, 33, &v, &n), LebStatus::ok);
  EXPECT_EQ(v, -64);
}

TEST(Leb128, SignedErrors) {
  int64_t v;
  size_t n;
  // Padding bits of the last byte must match the sign.
  EXPECT_EQ(sleb({0xff, 0xff, 0xff, 0xff, 0x4f}, 32, &v, &n), LebStatus::bad_padding);
  EXPECT_EQ(sleb({0x80, 0x80, 0x80, 0x80, 0x70}, 32, &v, &n), LebStatus::bad_padding);
  EXPECT_EQ(sleb({0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 32, &v, &n), LebStatus::too_long);
}

TEST(Leb128, RoundTrip) {
  for (int64_t x : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{63}, int64_t{64}, int64_t{-65}, INT64_MIN, INT64_MAX}) {
    std::vector<uint8_t> out;
    write_sleb(out, x);
    int64_t v;
    size_t n;
    ASSERT_EQ(read_sleb(out.data(), out.data() + out.size(), 64, &v, &n), LebStatus::ok);
    EXPECT_EQ(v, x);
    EXPECT_EQ(n, out.size());
  }
  for (uint64_t x : {uint64_t{0}, uint64_t{127}, uint64_t{128}, UINT64_MAX}) {
    std::vector<uint8_t> out;
    write_uleb(out, x);
    uint64_t v;
    size_t n;
    ASSERT_EQ(read_uleb(out.data(), out.data() + out.size(), 64, &v, &n), LebStatus::ok);
    EXPECT_EQ(v, x);
  }
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(is_valid_utf8(std::string("plain ascii")));
  EXPECT_TRUE(is_valid_utf8(std::string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")));
  EXPECT_FALSE(is_valid_utf8(std::string("\xc0\x80")));          // overlong NUL
  EXPECT_FALSE(is_valid_utf8(std::string("\xed\xa0\x80")));      // surrogate
  EXPECT_FALSE(is_valid_utf8(std::string("\xf4\x90\x80\x80")));  // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8(std::string("\xe2\x82")));          // truncated
  EXPECT_FALSE(is_valid_utf8(std::string("\x80")));              // lone continuation
  std::string s;
  append_utf8(s, 0x1f600);
  EXPECT_EQ(s, "\xf0\x9f\x98\x80");
}

TEST(Result, CarriesValueOrError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), 7);
  Result<int> bad = make_error(ErrorKind::malformed, "unexpected end", Location::at_byte(0x1a));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(), "malformed at @0x1a: unexpected end");
  Status st = make_error(ErrorKind::invalid, "type mismatch", Location::at_text(3, 14));
  EXPECT_EQ(st.error().to_string(), "invalid at 3:14: type mismatch");
}

Status fails_second(int* calls) {
  auto step = [&](bool fail) -> Result<int> {
    ++*calls;
    if (fail) return make_error(ErrorKind::trap, "boom");
    return 1;
  };
  WEFT_TRY(int a, step(false));
  WEFT_TRY(int b, step(true));
  (void)a;
  (void)b;
  ++*calls;  // not reached
  return Status::Ok();
}

TEST(Result, TryPropagates) {
  int calls = 0;
  Status st = fails_second(&calls);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "boom");
  EXPECT_EQ(calls, 2);
}

TEST(Opcodes, TableLookups) {
  Op op;
  ASSERT_TRUE(op_from_binary(0, 0x6a, &op));
  EXPECT_EQ(op, Op::i32_add);
  EXPECT_EQ(op_info(op).text, "i32.add");
  EXPECT_EQ(op_info(op).sig, Sig::I_II);
  ASSERT_TRUE(op_from_binary(0xfc, 17, &op));
  EXPECT_EQ(op, Op::table_fill);
  ASSERT_TRUE(op_from_text("memory.grow", &op));
  EXPECT_EQ(op, Op::memory_grow);
  ASSERT_TRUE(op_from_text("select", &op));
  EXPECT_EQ(op, Op::select);  // the first row of a shared name
  EXPECT_FALSE(op_from_binary(0, 0xff, &op));
  EXPECT_FALSE(op_from_text("copy", &op));  // internal ops have no text form
  EXPECT_TRUE(is_internal(Op::copy));
  EXPECT_FALSE(is_internal(Op::br_table));
}

}  // namespace
}  // namespace weft
