// Module sections other than types and code.
//
// Entries are appended as they are read rather than reserved from the
// declared count, so memory use follows the bytes actually present.
#include "binary/decoder_impl.h"

namespace weft::binary_detail {

Status ModuleDecoder::read_import_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    Import& im = m_.imports.emplace_back();
    im.offset = r_.offset();
    WEFT_CHECK(r_.read_name(&im.module));
    WEFT_CHECK(r_.read_name(&im.name));
    const uint64_t kind_offset = r_.offset();
    uint8_t kind = 0;
    WEFT_CHECK(r_.read_u8(&kind));
    switch (kind) {
      case 0x00:
        im.kind = ExternKind::func;
        WEFT_CHECK(r_.read_u32(&im.type_index));
        ++m_.num_imported_funcs;
        break;
      case 0x01:
        im.kind = ExternKind::table;
        WEFT_CHECK(read_tabletype(&im.table));
        ++m_.num_imported_tables;
        break;
      case 0x02:
        im.kind = ExternKind::memory;
        WEFT_CHECK(read_limits(&im.memory.limits, true));
        ++m_.num_imported_memories;
        break;
      case 0x03:
        im.kind = ExternKind::global;
        WEFT_CHECK(read_globaltype(&im.global));
        ++m_.num_imported_globals;
        break;
      case 0x04: {
        im.kind = ExternKind::tag;
        const uint64_t attr_offset = r_.offset();
        uint8_t attribute = 0;
        WEFT_CHECK(r_.read_u8(&attribute));
        if (attribute != 0) return r_.error_at(attr_offset, "zero byte expected");
        WEFT_CHECK(r_.read_u32(&im.type_index));
        ++m_.num_imported_tags;
        break;
      }
      default:
        return r_.error_at(kind_offset, "malformed import kind");
    }
  }
  return {};
}

Status ModuleDecoder::read_function_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    FuncDecl& f = m_.funcs.emplace_back();
    f.decl_offset = r_.offset();
    WEFT_CHECK(r_.read_u32(&f.type_index));
  }
  return {};
}

Status ModuleDecoder::read_table_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    TableDecl& t = m_.tables.emplace_back();
    t.offset = r_.offset();
    // 0x40 0x00 introduces a table with an initialiser expression; no
    // reference type starts with 0x40.
    if (!r_.at_end() && *r_.pos() == 0x40) {
      uint8_t prefix = 0;
      WEFT_CHECK(r_.read_u8(&prefix));
      const uint64_t zero_offset = r_.offset();
      uint8_t zero = 0;
      WEFT_CHECK(r_.read_u8(&zero));
      if (zero != 0) return r_.error_at(zero_offset, "zero byte expected");
      WEFT_CHECK(read_tabletype(&t.type));
      ExprRange init;
      WEFT_CHECK(read_const_expr(&init));
      t.init = init;
    } else {
      WEFT_CHECK(read_tabletype(&t.type));
    }
  }
  return {};
}

Status ModuleDecoder::read_memory_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    MemoryDecl& mem = m_.memories.emplace_back();
    mem.offset = r_.offset();
    WEFT_CHECK(read_limits(&mem.type.limits, true));
  }
  return {};
}

Status ModuleDecoder::read_tag_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    TagType& tag = m_.tags.emplace_back();
    tag.offset = r_.offset();
    const uint64_t attr_offset = r_.offset();
    uint8_t attribute = 0;
    WEFT_CHECK(r_.read_u8(&attribute));
    if (attribute != 0) return r_.error_at(attr_offset, "zero byte expected");
    WEFT_CHECK(r_.read_u32(&tag.type_index));
  }
  return {};
}

Status ModuleDecoder::read_global_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    GlobalDecl& g = m_.globals.emplace_back();
    WEFT_CHECK(read_globaltype(&g.type));
    WEFT_CHECK(read_const_expr(&g.init));
  }
  return {};
}

Status ModuleDecoder::read_export_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    Export& ex = m_.exports.emplace_back();
    ex.offset = r_.offset();
    WEFT_CHECK(r_.read_name(&ex.name));
    const uint64_t kind_offset = r_.offset();
    uint8_t kind = 0;
    WEFT_CHECK(r_.read_u8(&kind));
    if (kind > uint8_t(ExternKind::tag)) return r_.error_at(kind_offset, "malformed export kind");
    ex.kind = ExternKind(kind);
    WEFT_CHECK(r_.read_u32(&ex.index));
  }
  return {};
}

Status ModuleDecoder::read_start_section() {
  uint32_t func = 0;
  m_.start_offset = r_.offset();
  WEFT_CHECK(r_.read_u32(&func));
  m_.start = func;
  return {};
}

Status ModuleDecoder::read_elem_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    ElemSegment& seg = m_.elems.emplace_back();
    const uint64_t kind_offset = r_.offset();
    seg.entry_offset = kind_offset;
    uint32_t form = 0;
    WEFT_CHECK(r_.read_u32(&form));
    if (form > 7) return r_.error_at(kind_offset, "malformed elements segment kind");
    // Bit 0: passive or declarative; bit 1: explicit table index (active)
    // or declarative; bit 2: element expressions instead of function indices.
    const bool not_active = form & 1;
    const bool bit1 = form & 2;
    seg.uses_exprs = form & 4;
    if (not_active) {
      seg.mode = bit1 ? ElemSegment::Mode::declarative : ElemSegment::Mode::passive;
    } else {
      seg.mode = ElemSegment::Mode::active;
      seg.table = 0;
      if (bit1) WEFT_CHECK(r_.read_u32(&seg.table));
      WEFT_CHECK(read_const_expr(&seg.offset));
    }
    // Forms 0 and 4 have an implicit type; the others give an element kind
    // (function indices) or a reference type (expressions).
    if (form == 0) {
      seg.type = ValType::ref(HeapType::abstract(AbsHeap::func), false);
    } else if (form == 4) {
      seg.type = ValType::funcref();
    } else if (!seg.uses_exprs) {
      const uint64_t ek_offset = r_.offset();
      uint8_t elem_kind = 0;
      WEFT_CHECK(r_.read_u8(&elem_kind));
      if (elem_kind != 0) return r_.error_at(ek_offset, "malformed element kind");
      seg.type = ValType::ref(HeapType::abstract(AbsHeap::func), false);
    } else {
      WEFT_CHECK(r_.read_reftype(&seg.type));
    }
    uint32_t n = 0;
    WEFT_CHECK(r_.read_length(&n));
    if (seg.uses_exprs) {
      seg.exprs.resize(n);
      for (ExprRange& e : seg.exprs) WEFT_CHECK(read_const_expr(&e));
    } else {
      seg.func_indices.resize(n);
      for (uint32_t& f : seg.func_indices) WEFT_CHECK(r_.read_u32(&f));
    }
  }
  return {};
}

Status ModuleDecoder::read_data_count_section() {
  uint32_t n = 0;
  WEFT_CHECK(r_.read_u32(&n));
  m_.data_count = n;
  return {};
}

Status ModuleDecoder::read_data_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) {
    DataSegment& seg = m_.datas.emplace_back();
    const uint64_t kind_offset = r_.offset();
    seg.entry_offset = kind_offset;
    uint32_t form = 0;
    WEFT_CHECK(r_.read_u32(&form));
    switch (form) {
      case 0:
      case 2:
        seg.mode = DataSegment::Mode::active;
        seg.memory = 0;
        if (form == 2) WEFT_CHECK(r_.read_u32(&seg.memory));
        WEFT_CHECK(read_const_expr(&seg.offset));
        break;
      case 1:
        seg.mode = DataSegment::Mode::passive;
        break;
      default:
        return r_.error_at(kind_offset, "malformed data segment kind");
    }
    uint32_t size = 0;
    WEFT_CHECK(r_.read_length(&size));
    const uint64_t data_offset = r_.offset();
    const uint8_t* data = nullptr;
    WEFT_CHECK(r_.read_bytes(size, &data));
    seg.data_offset = uint32_t(data_offset);
    seg.data_size = size;
  }
  return {};
}

}  // namespace weft::binary_detail
