// The code section and constant expressions: instruction sequences are
// scanned with read_instr and kept as byte ranges for the validator.
#include "binary/decoder_impl.h"

namespace weft::binary_detail {

namespace {

enum Ctrl : uint8_t { kBlock, kIf, kElse };

bool uses_data_index(Op op) {
  return op == Op::memory_init || op == Op::data_drop || op == Op::array_new_data ||
         op == Op::array_init_data;
}

}  // namespace

Status ModuleDecoder::scan_instrs(bool in_function) {
  ctrl_.clear();
  for (;;) {
    WEFT_CHECK(read_instr(r_, &instr_));
    switch (instr_.op) {
      case Op::block:
      case Op::loop:
      case Op::try_table:
        ctrl_.push_back(kBlock);
        break;
      case Op::if_:
        ctrl_.push_back(kIf);
        break;
      case Op::else_:
        // `else` only continues an `if` that has none yet; anywhere else the
        // enclosing sequence must have been closed by `end`.
        if (ctrl_.empty() || ctrl_.back() != kIf) return r_.error_at(instr_.offset, "END opcode expected");
        ctrl_.back() = kElse;
        break;
      case Op::end:
        if (ctrl_.empty()) return {};
        ctrl_.pop_back();
        break;
      default:
        if (in_function && !first_data_use_ && uses_data_index(instr_.op)) first_data_use_ = instr_.offset;
        break;
    }
  }
}

Status ModuleDecoder::read_const_expr(ExprRange* out) {
  const uint64_t start = r_.offset();
  WEFT_CHECK(scan_instrs(false));
  out->offset = uint32_t(start);
  out->size = uint32_t(r_.offset() - start);
  return {};
}

Status ModuleDecoder::read_code_entry(FuncDecl* out) {
  uint32_t size = 0;
  WEFT_CHECK(r_.read_length(&size));
  const uint64_t start = r_.offset();

  uint32_t groups = 0;
  WEFT_CHECK(r_.read_length(&groups));
  out->locals.resize(groups);
  uint64_t total = 0;
  for (LocalDecl& l : out->locals) {
    WEFT_CHECK(r_.read_u32(&l.count));
    WEFT_CHECK(r_.read_valtype(&l.type));
    total += l.count;
  }
  if (total > kMaxDeclaredLocals) return r_.error_at(start, "too many locals");

  const uint64_t body_start = r_.offset();
  WEFT_CHECK(scan_instrs(true));
  out->body_offset = uint32_t(body_start);
  out->body_size = uint32_t(r_.offset() - body_start);
  if (r_.offset() != start + size) return r_.error_at(start, "section size mismatch");
  return {};
}

Status ModuleDecoder::read_code_section() {
  uint32_t count = 0;
  WEFT_CHECK(r_.read_length(&count));
  for (uint32_t i = 0; i < count; ++i) WEFT_CHECK(read_code_entry(&bodies_.emplace_back()));
  return {};
}

}  // namespace weft::binary_detail
