// Reader: primitive values and types of the binary format.
//
// Error messages follow the reference interpreter's wording, since the spec
// test suite matches malformed-module messages by prefix.
#include "binary/reader.h"

#include "base/leb128.h"
#include "base/utf8.h"

namespace weft {

namespace {

constexpr const char* kUnexpectedEnd = "unexpected end of section or function";

// True if the last byte an N-bit LEB may use carries value bits beyond N
// (ignoring its continuation bit). The reference decoder reports that as
// "integer too large" even when the continuation bit is also set.
bool last_byte_too_large(uint8_t b, unsigned bits, bool is_signed) {
  const unsigned used = bits - 7 * ((bits + 6) / 7 - 1);  // value bits in the last byte, 1..7
  if (used >= 7) return false;
  const uint8_t payload = b & 0x7f;
  if (!is_signed) return (payload >> used) != 0;
  // The unused bits and the value's sign bit must all be equal.
  const uint8_t mask = uint8_t(0x7f & (0x7f << (used - 1)));
  return (payload & mask) != 0 && (payload & mask) != mask;
}

}  // namespace

Error Reader::end_error() const { return error(kUnexpectedEnd); }

namespace {

template <bool Signed, typename Out>
Status read_leb(Reader& r, const uint8_t*& p, const uint8_t* end, unsigned bits, Out* out) {
  size_t len = 0;
  LebStatus st;
  if constexpr (Signed) {
    int64_t v = 0;
    st = read_sleb(p, end, bits, &v, &len);
    if (st == LebStatus::ok) *out = static_cast<Out>(v);
  } else {
    uint64_t v = 0;
    st = read_uleb(p, end, bits, &v, &len);
    if (st == LebStatus::ok) *out = static_cast<Out>(v);
  }
  const uint64_t start = r.offset();
  const unsigned max_bytes = (bits + 6) / 7;
  switch (st) {
    case LebStatus::ok:
      p += len;
      return {};
    case LebStatus::truncated:
      return r.error_at(start + uint64_t(end - p), kUnexpectedEnd);
    case LebStatus::bad_padding:
      return r.error_at(start + max_bytes - 1, "integer too large");
    case LebStatus::too_long:
      if (last_byte_too_large(p[max_bytes - 1], bits, Signed))
        return r.error_at(start + max_bytes - 1, "integer too large");
      return r.error_at(start + max_bytes, "integer representation too long");
  }
  return r.error("integer representation too long");
}

}  // namespace

Status Reader::read_u32_leb(uint32_t* out) { return read_leb<false>(*this, p_, end_, 32, out); }
Status Reader::read_u64(uint64_t* out) { return read_leb<false>(*this, p_, end_, 64, out); }
Status Reader::read_s32(int32_t* out) { return read_leb<true>(*this, p_, end_, 32, out); }
Status Reader::read_s33(int64_t* out) { return read_leb<true>(*this, p_, end_, 33, out); }
Status Reader::read_s64(int64_t* out) { return read_leb<true>(*this, p_, end_, 64, out); }

Status Reader::read_f32_bits(uint32_t* out) {
  if (remaining() < 4) return error_at(offset() + remaining(), kUnexpectedEnd);
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p_[i];
  p_ += 4;
  *out = v;
  return {};
}

Status Reader::read_f64_bits(uint64_t* out) {
  if (remaining() < 8) return error_at(offset() + remaining(), kUnexpectedEnd);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p_[i];
  p_ += 8;
  *out = v;
  return {};
}

Status Reader::read_bytes(size_t n, const uint8_t** out) {
  if (remaining() < n) return error_at(offset() + remaining(), kUnexpectedEnd);
  *out = p_;
  p_ += n;
  return {};
}

Status Reader::read_length(uint32_t* out) {
  const uint64_t start = offset();
  const size_t available = remaining();  // measured before the length itself, like the reference
  uint32_t n = 0;
  WEFT_CHECK(read_u32(&n));
  if (n > available) return error_at(start, "length out of bounds");
  *out = n;
  return {};
}

Status Reader::read_name(std::string* out) {
  const uint64_t start = offset();
  uint32_t n = 0;
  WEFT_CHECK(read_length(&n));
  const uint8_t* data = nullptr;
  WEFT_CHECK(read_bytes(n, &data));
  if (!is_valid_utf8(data, n)) return error_at(start, "malformed UTF-8 encoding");
  out->assign(reinterpret_cast<const char*>(data), n);
  return {};
}

// ---- types -----------------------------------------------------------------

namespace {

bool is_abstract_heap_code(uint8_t b) { return b >= 0x68 && b <= 0x75; }

}  // namespace

Status Reader::read_type_code(uint8_t* out) {
  WEFT_CHECK(read_u8(out));
  // Type constructors are one-byte s7 values; a continuation bit would make
  // the value longer than 7 bits.
  if (*out & 0x80) return error("integer representation too long");
  return {};
}

Status Reader::read_heaptype(HeapType* out) {
  if (at_end()) return error(kUnexpectedEnd);
  const uint64_t start = offset();
  const uint8_t first = *p_;
  if ((first & 0xc0) == 0x40) {  // one-byte negative s33: an abstract heap type
    ++p_;
    if (!is_abstract_heap_code(first)) return error_at(start, "malformed heap type");
    *out = HeapType::abstract(AbsHeap(first));
    return {};
  }
  int64_t v = 0;
  const uint8_t* save = p_;
  Status st = read_s33(&v);
  if (st.ok() && v >= 0) {
    *out = HeapType::index(uint32_t(v));
    return {};
  }
  // Not a type index. Abstract heap types are single bytes, so a multi-byte
  // encoding is too long for them.
  p_ = save;
  return error_at(start + 1, "integer representation too long");
}

Status Reader::read_ref_after_code(uint8_t code, uint64_t code_offset, ValType* out) {
  if (is_abstract_heap_code(code)) {
    *out = ValType::ref(HeapType::abstract(AbsHeap(code)), true);
    return {};
  }
  if (code == 0x63 || code == 0x64) {
    HeapType h;
    WEFT_CHECK(read_heaptype(&h));
    *out = ValType::ref(h, code == 0x63);
    return {};
  }
  return error_at(code_offset, "malformed reference type");
}

Status Reader::read_reftype(ValType* out) {
  const uint64_t start = offset();
  uint8_t code = 0;
  WEFT_CHECK(read_type_code(&code));
  return read_ref_after_code(code, start, out);
}

Status Reader::read_valtype(ValType* out) {
  const uint64_t start = offset();
  uint8_t code = 0;
  WEFT_CHECK(read_type_code(&code));
  switch (code) {
    case 0x7f: *out = ValType::i32(); return {};
    case 0x7e: *out = ValType::i64(); return {};
    case 0x7d: *out = ValType::f32(); return {};
    case 0x7c: *out = ValType::f64(); return {};
    case 0x7b: *out = ValType::v128(); return {};
    default: return read_ref_after_code(code, start, out);
  }
}

Status Reader::read_blocktype(BlockType* out) {
  if (at_end()) return error(kUnexpectedEnd);
  const uint64_t start = offset();
  const uint8_t first = *p_;
  if ((first & 0xc0) == 0x40) {  // one-byte negative s33: empty or a value type
    if (first == 0x40) {
      ++p_;
      out->kind = BlockType::Kind::empty;
      return {};
    }
    out->kind = BlockType::Kind::value;
    return read_valtype(&out->value);
  }
  int64_t v = 0;
  const uint8_t* save = p_;
  Status st = read_s33(&v);
  if (st.ok() && v >= 0) {
    out->kind = BlockType::Kind::index;
    out->index = uint32_t(v);
    return {};
  }
  p_ = save;
  return error_at(start + 1, "integer representation too long");
}

}  // namespace weft
