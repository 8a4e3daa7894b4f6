// Reader: LEB128 edge cases, fixed-width values, names and types.
#include <gtest/gtest.h>

#include "binary/reader.h"
#include "binary_test_util.h"

namespace weft {
namespace {

using test::Bytes;

struct ReadResult {
  bool ok;
  std::string message;
  uint64_t error_offset;
  size_t consumed;
};

template <typename T, typename Fn>
ReadResult read_with(const Bytes& b, Fn fn, T* out, uint64_t base = 0) {
  Reader r(b.data(), b.data() + b.size(), base);
  Status st = fn(r, out);
  if (st.ok()) return {true, "", 0, size_t(r.pos() - b.data())};
  return {false, st.error().message, st.error().location.offset, size_t(r.pos() - b.data())};
}

ReadResult u32(const Bytes& b, uint32_t* v) { return read_with(b, [](Reader& r, uint32_t* o) { return r.read_u32(o); }, v); }
ReadResult u64(const Bytes& b, uint64_t* v) { return read_with(b, [](Reader& r, uint64_t* o) { return r.read_u64(o); }, v); }
ReadResult s32(const Bytes& b, int32_t* v) { return read_with(b, [](Reader& r, int32_t* o) { return r.read_s32(o); }, v); }
ReadResult s33(const Bytes& b, int64_t* v) { return read_with(b, [](Reader& r, int64_t* o) { return r.read_s33(o); }, v); }
ReadResult s64(const Bytes& b, int64_t* v) { return read_with(b, [](Reader& r, int64_t* o) { return r.read_s64(o); }, v); }

TEST(BinaryLeb, U32Values) {
  uint32_t v = 0;
  EXPECT_TRUE(u32({0x00}, &v).ok);
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(u32({0xe5, 0x8e, 0x26}, &v).ok);
  EXPECT_EQ(v, 624485u);
  ReadResult r = u32({0xff, 0xff, 0xff, 0xff, 0x0f}, &v);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_EQ(r.consumed, 5u);
  // Redundant zero padding is allowed up to the maximum length.
  r = u32({0x80, 0x80, 0x80, 0x80, 0x00}, &v);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(v, 0u);
}

TEST(BinaryLeb, U32Malformed) {
  uint32_t v = 0;
  ReadResult r = u32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &v);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "integer representation too long");
  EXPECT_EQ(r.error_offset, 5u);
  EXPECT_EQ(r.consumed, 0u);

  r = u32({0xff, 0xff, 0xff, 0xff, 0x1f}, &v);
  EXPECT_EQ(r.message, "integer too large");
  EXPECT_EQ(r.error_offset, 4u);
  r = u32({0x82, 0x80, 0x80, 0x80, 0x70}, &v);
  EXPECT_EQ(r.message, "integer too large");
  // Unused bits set *and* a continuation bit: the bits are reported first,
  // as the reference decoder does.
  r = u32({0x80, 0x80, 0x80, 0x80, 0x90, 0x00}, &v);
  EXPECT_EQ(r.message, "integer too large");

  r = u32({0x80, 0x80}, &v);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "unexpected end of section or function");
  EXPECT_EQ(r.error_offset, 2u);
  r = u32({}, &v);
  EXPECT_EQ(r.message, "unexpected end of section or function");
}

TEST(BinaryLeb, U64) {
  uint64_t v = 0;
  EXPECT_TRUE(u64({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, &v).ok);
  EXPECT_EQ(v, ~uint64_t{0});
  EXPECT_EQ(u64({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, &v).message, "integer too large");
  EXPECT_EQ(u64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &v).message,
            "integer representation too long");
}

TEST(BinaryLeb, S32) {
  int32_t v = 0;
  EXPECT_TRUE(s32({0x7f}, &v).ok);
  EXPECT_EQ(v, -1);
  EXPECT_TRUE(s32({0x3f}, &v).ok);
  EXPECT_EQ(v, 63);
  EXPECT_TRUE(s32({0x40}, &v).ok);
  EXPECT_EQ(v, -64);
  EXPECT_TRUE(s32({0x80, 0x80, 0x80, 0x80, 0x78}, &v).ok);
  EXPECT_EQ(v, INT32_MIN);
  EXPECT_TRUE(s32({0xff, 0xff, 0xff, 0xff, 0x07}, &v).ok);
  EXPECT_EQ(v, INT32_MAX);
  // Padding bits must be copies of the sign bit.
  EXPECT_EQ(s32({0xff, 0xff, 0xff, 0xff, 0x0f}, &v).message, "integer too large");
  EXPECT_EQ(s32({0x80, 0x80, 0x80, 0x80, 0x70}, &v).message, "integer too large");
  EXPECT_EQ(s32({0x80, 0x80, 0x80, 0x80, 0x1f}, &v).message, "integer too large");
  EXPECT_EQ(s32({0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, &v).message, "integer representation too long");
  // Sign-extending padding with the maximum length is fine.
  EXPECT_TRUE(s32({0xff, 0xff, 0xff, 0xff, 0x7f}, &v).ok);
  EXPECT_EQ(v, -1);
}

TEST(BinaryLeb, S33AndS64) {
  int64_t v = 0;
  EXPECT_TRUE(s33({0xff, 0xff, 0xff, 0xff, 0x0f}, &v).ok);
  EXPECT_EQ(v, int64_t{0xffffffff});
  EXPECT_TRUE(s33({0x80, 0x80, 0x80, 0x80, 0x70}, &v).ok);
  EXPECT_EQ(v, -(int64_t{1} << 32));
  EXPECT_EQ(s33({0xff, 0xff, 0xff, 0xff, 0x2f}, &v).message, "integer too large");
  EXPECT_TRUE(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, &v).ok);
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_EQ(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, &v).message, "integer too large");
  EXPECT_EQ(s64({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41}, &v).message, "integer too large");
}

TEST(BinaryLeb, ErrorOffsetsIncludeBase) {
  Bytes b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Reader r(b.data(), b.data() + b.size(), 100);
  uint32_t v = 0;
  Status st = r.read_u32(&v);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::malformed);
  EXPECT_EQ(st.error().location.kind, Location::Kind::byte_offset);
  EXPECT_EQ(st.error().location.offset, 105u);
}

TEST(BinaryReader, FixedWidth) {
  Bytes b = {0x00, 0x00, 0x80, 0x3f, 0x18, 0x2d, 0x44, 0x54, 0xfb, 0x21, 0x09, 0x40, 0xaa};
  Reader r(b.data(), b.data() + b.size());
  uint32_t f = 0;
  uint64_t d = 0;
  ASSERT_TRUE(r.read_f32_bits(&f).ok());
  EXPECT_EQ(f, 0x3f800000u);
  ASSERT_TRUE(r.read_f64_bits(&d).ok());
  EXPECT_EQ(d, 0x400921fb54442d18u);
  EXPECT_EQ(r.remaining(), 1u);
  Status st = r.read_f32_bits(&f);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "unexpected end of section or function");
}

TEST(BinaryReader, Names) {
  std::string s;
  Bytes ok = test::str("h\xc3\xa9llo");
  EXPECT_TRUE(read_with(ok, [](Reader& r, std::string* o) { return r.read_name(o); }, &s).ok);
  EXPECT_EQ(s, "h\xc3\xa9llo");

  Bytes bad = {0x00, 0x02, 0xc0, 0x80};  // overlong encoding, at offset 1
  Reader r(bad.data(), bad.data() + bad.size());
  uint8_t skip = 0;
  ASSERT_TRUE(r.read_u8(&skip).ok());
  Status st = r.read_name(&s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "malformed UTF-8 encoding");
  EXPECT_EQ(st.error().location.offset, 1u);

  ReadResult lr = read_with(Bytes{0x05, 'a', 'b'}, [](Reader& r, std::string* o) { return r.read_name(o); }, &s);
  EXPECT_EQ(lr.message, "length out of bounds");
  EXPECT_EQ(lr.error_offset, 0u);
}

TEST(BinaryReader, LengthCannotExceedRemainingBytes) {
  uint32_t n = 0;
  Bytes huge = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x00};
  ReadResult r = read_with(huge, [](Reader& rd, uint32_t* o) { return rd.read_length(o); }, &n);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "length out of bounds");
  Bytes fits = {0x02, 0x00, 0x00};
  EXPECT_TRUE(read_with(fits, [](Reader& rd, uint32_t* o) { return rd.read_length(o); }, &n).ok);
  EXPECT_EQ(n, 2u);
}

ReadResult valtype(const Bytes& b, ValType* t) {
  return read_with(b, [](Reader& r, ValType* o) { return r.read_valtype(o); }, t);
}

TEST(BinaryReader, ValueTypes) {
  ValType t;
  ASSERT_TRUE(valtype({0x7f}, &t).ok);
  EXPECT_EQ(t, ValType::i32());
  ASSERT_TRUE(valtype({0x7e}, &t).ok);
  EXPECT_EQ(t, ValType::i64());
  ASSERT_TRUE(valtype({0x7d}, &t).ok);
  EXPECT_EQ(t, ValType::f32());
  ASSERT_TRUE(valtype({0x7c}, &t).ok);
  EXPECT_EQ(t, ValType::f64());
  ASSERT_TRUE(valtype({0x70}, &t).ok);
  EXPECT_EQ(t, ValType::funcref());
  ASSERT_TRUE(valtype({0x6f}, &t).ok);
  EXPECT_EQ(t, ValType::externref());
  ASSERT_TRUE(valtype({0x69}, &t).ok);
  EXPECT_EQ(t, ValType::exnref());
  ASSERT_TRUE(valtype({0x68}, &t).ok);
  EXPECT_EQ(t, ValType::ref_null(AbsHeap::cont));
  ASSERT_TRUE(valtype({0x75}, &t).ok);
  EXPECT_EQ(t, ValType::ref_null(AbsHeap::nocont));
  ASSERT_TRUE(valtype({0x74}, &t).ok);
  EXPECT_EQ(t, ValType::ref_null(AbsHeap::noexn));
  ASSERT_TRUE(valtype({0x64, 0x03}, &t).ok);
  EXPECT_EQ(t, ValType::ref(HeapType::index(3), false));
  ASSERT_TRUE(valtype({0x63, 0x6e}, &t).ok);
  EXPECT_EQ(t, ValType::ref(HeapType::abstract(AbsHeap::any), true));
  ASSERT_TRUE(valtype({0x64, 0x80, 0x01}, &t).ok);
  EXPECT_EQ(t, ValType::ref(HeapType::index(128), false));
  // An out-of-range type index is the validator's business.
  ASSERT_TRUE(valtype({0x64, 0xff, 0xff, 0xff, 0xff, 0x0f}, &t).ok);
  EXPECT_EQ(t.heap.idx(), 0xffffffffu);

  ReadResult r = valtype({0x40}, &t);
  EXPECT_EQ(r.message, "malformed reference type");
  EXPECT_EQ(r.error_offset, 0u);
  EXPECT_EQ(valtype({0x7f | 0x80, 0x7f}, &t).message, "integer representation too long");
  EXPECT_EQ(valtype({0x64, 0x76}, &t).message, "malformed heap type");
  // Abstract heap types are single bytes: a two-byte -16 is not `func`.
  EXPECT_EQ(valtype({0x64, 0xf0, 0x7f}, &t).message, "integer representation too long");
  EXPECT_EQ(valtype({0x64}, &t).message, "unexpected end of section or function");
}

TEST(BinaryReader, RefTypeRejectsNumbers) {
  ValType t;
  ReadResult r = read_with(Bytes{0x7f}, [](Reader& rd, ValType* o) { return rd.read_reftype(o); }, &t);
  EXPECT_EQ(r.message, "malformed reference type");
  EXPECT_TRUE(read_with(Bytes{0x6a}, [](Reader& rd, ValType* o) { return rd.read_reftype(o); }, &t).ok);
  EXPECT_EQ(t, ValType::ref_null(AbsHeap::array));
}

TEST(BinaryReader, BlockTypes) {
  BlockType bt;
  auto read = [&](const Bytes& b) { return read_with(b, [](Reader& r, BlockType* o) { return r.read_blocktype(o); }, &bt); };
  ASSERT_TRUE(read({0x40}).ok);
  EXPECT_EQ(bt.kind, BlockType::Kind::empty);
  ASSERT_TRUE(read({0x7e}).ok);
  EXPECT_EQ(bt.kind, BlockType::Kind::value);
  EXPECT_EQ(bt.value, ValType::i64());
  ASSERT_TRUE(read({0x63, 0x00}).ok);
  EXPECT_EQ(bt.kind, BlockType::Kind::value);
  EXPECT_EQ(bt.value, ValType::ref(HeapType::index(0), true));
  ASSERT_TRUE(read({0x05}).ok);
  EXPECT_EQ(bt.kind, BlockType::Kind::index);
  EXPECT_EQ(bt.index, 5u);
  ASSERT_TRUE(read({0xc0, 0x00}).ok);  // 64 needs two bytes as a signed LEB
  EXPECT_EQ(bt.index, 64u);
  ASSERT_TRUE(read({0xff, 0xff, 0xff, 0xff, 0x0f}).ok);
  EXPECT_EQ(bt.index, 0xffffffffu);
  EXPECT_EQ(read({0x41}).message, "malformed reference type");
  EXPECT_EQ(read({0xc0, 0x7f}).message, "integer representation too long");  // two-byte -64
}

}  // namespace
}  // namespace weft
