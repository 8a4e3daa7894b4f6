// The type section and the type-like parts of other sections (limits, table
// and global types).
#include "binary/decoder_impl.h"

namespace weft::binary_detail {

namespace {

constexpr uint8_t kRecType = 0x4e;
constexpr uint8_t kSubType = 0x50;
constexpr uint8_t kSubFinalType = 0x4f;
constexpr uint8_t kFuncType = 0x60;
constexpr uint8_t kStructType = 0x5f;
constexpr uint8_t kArrayType = 0x5e;
constexpr uint8_t kContType = 0x5d;

}  // namespace

Status ModuleDecoder::read_type_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    RecGroupRange group;
    group.first = uint32_t(m_.types.size());
    if (!r_.at_end() && *r_.pos() == kRecType) {
      uint8_t skipped = 0;
      WEFT_CHECK(r_.read_u8(&skipped));
      WEFT_CHECK(r_.read_length(&group.count));
      for (uint32_t k = 0; k < group.count; ++k) {
        m_.type_offsets.push_back(r_.offset());
        m_.types.emplace_back();
        WEFT_CHECK(read_subtype(&m_.types.back()));
      }
    } else {
      group.count = 1;
      m_.type_offsets.push_back(r_.offset());
      m_.types.emplace_back();
      WEFT_CHECK(read_subtype(&m_.types.back()));
    }
    m_.rec_groups.push_back(group);
  }
  return {};
}

Status ModuleDecoder::read_subtype(SubType* out) {
  out->final_ = true;
  if (!r_.at_end() && (*r_.pos() == kSubType || *r_.pos() == kSubFinalType)) {
    uint8_t kind = 0;
    WEFT_CHECK(r_.read_u8(&kind));
    out->final_ = kind == kSubFinalType;
    uint32_t n = 0;
    WEFT_CHECK(r_.read_length(&n));
    out->supers.resize(n);
    for (uint32_t& s : out->supers) WEFT_CHECK(r_.read_u32(&s));
  }
  return read_comptype(&out->comp);
}

Status ModuleDecoder::read_comptype(CompType* out) {
  const uint64_t start = r_.offset();
  uint8_t code = 0;
  WEFT_CHECK(r_.read_type_code(&code));
  switch (code) {
    case kFuncType: {
      out->kind = CompKind::func;
      uint32_t n = 0;
      WEFT_CHECK(r_.read_length(&n));
      out->func.params.resize(n);
      for (ValType& t : out->func.params) WEFT_CHECK(r_.read_valtype(&t));
      WEFT_CHECK(r_.read_length(&n));
      out->func.results.resize(n);
      for (ValType& t : out->func.results) WEFT_CHECK(r_.read_valtype(&t));
      return {};
    }
    case kStructType: {
      out->kind = CompKind::struct_;
      uint32_t n = 0;
      WEFT_CHECK(r_.read_length(&n));
      out->struct_.fields.resize(n);
      for (FieldType& f : out->struct_.fields) WEFT_CHECK(read_fieldtype(&f));
      return {};
    }
    case kArrayType:
      out->kind = CompKind::array;
      return read_fieldtype(&out->array.elem);
    case kContType:
      out->kind = CompKind::cont;
      return r_.read_heaptype(&out->cont.func);
    default:
      return r_.error_at(start, "malformed definition type");
  }
}

Status ModuleDecoder::read_fieldtype(FieldType* out) {
  const uint64_t start = r_.offset();
  if (r_.at_end()) return r_.error("unexpected end of section or function");
  const uint8_t first = *r_.pos();
  if (first == 0x78 || first == 0x77) {  // packed storage types
    uint8_t skipped = 0;
    WEFT_CHECK(r_.read_u8(&skipped));
    out->type = ValType{first == 0x78 ? ValKind::i8 : ValKind::i16, false, {}};
  } else {
    Status st = r_.read_valtype(&out->type);
    if (!st.ok()) {
      if (first & 0x80) return st;
      return r_.error_at(start, "malformed storage type");
    }
  }
  const uint64_t mut_offset = r_.offset();
  uint8_t mut = 0;
  WEFT_CHECK(r_.read_u8(&mut));
  if (mut > 1) return r_.error_at(mut_offset, "malformed mutability");
  out->mutable_ = mut == 1;
  return {};
}

Status ModuleDecoder::read_limits(Limits* out, bool is_memory) {
  const uint64_t start = r_.offset();
  uint8_t flags = 0;
  WEFT_CHECK(r_.read_u8(&flags));
  // Bit 0: maximum present; bit 2: 64-bit addresses; bit 1 (memories
  // only): shared.
  const uint8_t allowed = is_memory ? 0x07 : 0x05;
  if (flags & ~allowed) return r_.error_at(start, "malformed limits flags");
  out->is64 = flags & 0x04;
  out->shared = flags & 0x02;
  WEFT_CHECK(r_.read_u64(&out->min));
  out->max.reset();
  if (flags & 0x01) {
    uint64_t max = 0;
    WEFT_CHECK(r_.read_u64(&max));
    out->max = max;
  }
  return {};
}

Status ModuleDecoder::read_tabletype(TableType* out) {
  WEFT_CHECK(r_.read_reftype(&out->elem));
  return read_limits(&out->limits, false);
}

Status ModuleDecoder::read_globaltype(GlobalType* out) {
  WEFT_CHECK(r_.read_valtype(&out->type));
  const uint64_t mut_offset = r_.offset();
  uint8_t mut = 0;
  WEFT_CHECK(r_.read_u8(&mut));
  if (mut > 1) return r_.error_at(mut_offset, "malformed mutability");
  out->mutable_ = mut == 1;
  return {};
}

}  // namespace weft::binary_detail
