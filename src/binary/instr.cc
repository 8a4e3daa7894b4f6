// read_instr: one instruction, driven by the ImmKind column of opcodes.def.
#include <cstdio>

#include "binary/reader.h"

namespace weft {

namespace {

Status read_catch(Reader& r, CatchClause* c) {
  const uint64_t at = r.offset();
  uint8_t kind = 0;
  WEFT_CHECK(r.read_u8(&kind));
  switch (kind) {
    case 0x00:
    case 0x01:
      c->kind = kind == 0 ? HandlerEntry::Kind::catch_ : HandlerEntry::Kind::catch_ref;
      WEFT_CHECK(r.read_u32(&c->tag));
      return r.read_u32(&c->label);
    case 0x02:
    case 0x03:
      c->kind = kind == 2 ? HandlerEntry::Kind::catch_all : HandlerEntry::Kind::catch_all_ref;
      c->tag = 0;
      return r.read_u32(&c->label);
    default:
      return r.error_at(at, "malformed catch clause");
  }
}

Status read_handler(Reader& r, ResumeHandler* h) {
  const uint64_t at = r.offset();
  uint8_t kind = 0;
  WEFT_CHECK(r.read_u8(&kind));
  switch (kind) {
    case 0x00:  // (on $tag $label)
      h->is_switch = false;
      WEFT_CHECK(r.read_u32(&h->tag));
      return r.read_u32(&h->label);
    case 0x01:  // (on $tag switch)
      h->is_switch = true;
      h->label = 0;
      return r.read_u32(&h->tag);
    default:
      return r.error_at(at, "ON opcode expected");
  }
}

Status read_handlers(Reader& r, std::vector<ResumeHandler>* out) {
  uint32_t n = 0;
  WEFT_CHECK(r.read_length(&n));
  out->resize(n);
  for (ResumeHandler& h : *out) WEFT_CHECK(read_handler(r, &h));
  return {};
}

Status read_memarg(Reader& r, Instr* out) {
  const uint64_t at = r.offset();
  uint32_t flags = 0;
  WEFT_CHECK(r.read_u32(&flags));
  if (flags >= 0x80) return r.error_at(at, "malformed memop flags");
  out->idx0 = 0;
  if (flags & 0x40) WEFT_CHECK(r.read_u32(&out->idx0));
  out->align = flags & 0x3f;
  return r.read_u64(&out->u64);
}

// Prefix bytes (0xFB, 0xFC, ...) as they occur in opcodes.def.
struct PrefixSet {
  bool is_prefix[256] = {};
  PrefixSet() {
    for (unsigned i = 0; i < kOpCount; ++i) {
      const OpInfo& info = op_info(static_cast<Op>(i));
      if (info.prefix != 0 && info.prefix != 0xFF) is_prefix[info.prefix] = true;
    }
  }
};

bool is_prefix_byte(uint8_t b) {
  static const PrefixSet set;
  return set.is_prefix[b];
}

Error illegal_opcode(const Reader& r, uint64_t at, uint8_t prefix, uint32_t code, bool prefixed) {
  char buf[48];
  if (prefixed) snprintf(buf, sizeof buf, "illegal opcode %02x %02x", prefix, code);
  else snprintf(buf, sizeof buf, "illegal opcode %02x", prefix);
  return r.error_at(at, buf);
}

}  // namespace

Status read_instr(Reader& r, Instr* out) {
  out->offset = r.offset();
  out->labels.clear();
  out->types.clear();
  out->catches.clear();
  out->handlers.clear();

  uint8_t byte = 0;
  WEFT_CHECK(r.read_u8(&byte));
  Op op;
  if (is_prefix_byte(byte)) {
    uint32_t code = 0;
    WEFT_CHECK(r.read_u32(&code));
    if (!op_from_binary(byte, code, &op)) return illegal_opcode(r, out->offset, byte, code, true);
  } else if (!op_from_binary(0, byte, &op)) {
    return illegal_opcode(r, out->offset, byte, 0, false);
  }
  out->op = op;

  switch (op_info(op).imm) {
    case ImmKind::none:
      return {};
    case ImmKind::block:
      return r.read_blocktype(&out->block);
    case ImmKind::label:
    case ImmKind::func:
    case ImmKind::type:
    case ImmKind::local:
    case ImmKind::global:
    case ImmKind::table:
    case ImmKind::memory:
    case ImmKind::tag:
    case ImmKind::data:
    case ImmKind::elem:
      return r.read_u32(&out->idx0);
    case ImmKind::call_indirect:
    case ImmKind::type_type:
    case ImmKind::type_tag:
    case ImmKind::type_field:
    case ImmKind::type_count:
    case ImmKind::type_data:
    case ImmKind::type_elem:
    case ImmKind::data_memory:
    case ImmKind::memory_memory:
    case ImmKind::elem_table:
    case ImmKind::table_table:
      WEFT_CHECK(r.read_u32(&out->idx0));
      return r.read_u32(&out->idx1);
    case ImmKind::br_table: {
      uint32_t n = 0;
      WEFT_CHECK(r.read_length(&n));
      out->labels.resize(size_t(n) + 1);
      for (uint32_t& l : out->labels) WEFT_CHECK(r.read_u32(&l));
      return {};
    }
    case ImmKind::memarg:
      return read_memarg(r, out);
    case ImmKind::i32: {
      int32_t v = 0;
      WEFT_CHECK(r.read_s32(&v));
      out->u64 = uint64_t(int64_t(v));
      return {};
    }
    case ImmKind::i64: {
      int64_t v = 0;
      WEFT_CHECK(r.read_s64(&v));
      out->u64 = uint64_t(v);
      return {};
    }
    case ImmKind::f32: {
      uint32_t bits = 0;
      WEFT_CHECK(r.read_f32_bits(&bits));
      out->u64 = bits;
      return {};
    }
    case ImmKind::f64:
      return r.read_f64_bits(&out->u64);
    case ImmKind::select_t: {
      uint32_t n = 0;
      WEFT_CHECK(r.read_length(&n));
      out->types.resize(n);
      for (ValType& t : out->types) WEFT_CHECK(r.read_valtype(&t));
      return {};
    }
    case ImmKind::heaptype:
      return r.read_heaptype(&out->heap0);
    case ImmKind::try_table: {
      WEFT_CHECK(r.read_blocktype(&out->block));
      uint32_t n = 0;
      WEFT_CHECK(r.read_length(&n));
      out->catches.resize(n);
      for (CatchClause& c : out->catches) WEFT_CHECK(read_catch(r, &c));
      return {};
    }
    case ImmKind::br_on_cast: {
      const uint64_t at = r.offset();
      WEFT_CHECK(r.read_u8(&out->cast_flags));
      if (out->cast_flags & ~0x03) return r.error_at(at, "malformed br_on_cast flags");
      WEFT_CHECK(r.read_u32(&out->idx0));
      WEFT_CHECK(r.read_heaptype(&out->heap0));
      return r.read_heaptype(&out->heap1);
    }
    case ImmKind::resume:
      WEFT_CHECK(r.read_u32(&out->idx0));
      return read_handlers(r, &out->handlers);
    case ImmKind::resume_throw:
      WEFT_CHECK(r.read_u32(&out->idx0));
      WEFT_CHECK(r.read_u32(&out->idx1));
      return read_handlers(r, &out->handlers);
  }
  return r.error_at(out->offset, "illegal opcode");
}

}  // namespace weft
