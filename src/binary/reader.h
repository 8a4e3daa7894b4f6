// Byte-level reading of the Wasm binary format, shared by the module decoder
// and the validator (which re-reads function bodies while lowering them).
// All failures are ErrorKind::malformed errors located at a byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "interp/code.h"
#include "spec/opcodes.h"
#include "spec/types.h"

namespace weft {

struct BlockType;

class Reader {
 public:
  // [begin, end) is the data; base_offset is the absolute offset of `begin`
  // within the module (for error locations).
  Reader(const uint8_t* begin, const uint8_t* end, uint64_t base_offset = 0)
      : begin_(begin), p_(begin), end_(end), base_(base_offset) {}

  uint64_t offset() const { return base_ + uint64_t(p_ - begin_); }
  const uint8_t* pos() const { return p_; }
  const uint8_t* end() const { return end_; }
  size_t remaining() const { return size_t(end_ - p_); }
  bool at_end() const { return p_ >= end_; }

  // read_u8 and the one-byte case of read_u32 are inline: they dominate
  // decoding and validation time.
  Status read_u8(uint8_t* out) {
    if (p_ >= end_) [[unlikely]] return end_error();
    *out = *p_++;
    return {};
  }
  Status read_u32(uint32_t* out) {  // uleb, <= 32 bits
    if (p_ < end_ && *p_ < 0x80) [[likely]] {
      *out = *p_++;
      return {};
    }
    return read_u32_leb(out);
  }
  Status read_u64(uint64_t* out);  // uleb, <= 64 bits
  Status read_s32(int32_t* out);
  Status read_s33(int64_t* out);
  Status read_s64(int64_t* out);
  Status read_f32_bits(uint32_t* out);
  Status read_f64_bits(uint64_t* out);
  Status read_bytes(size_t n, const uint8_t** out);
  Status read_name(std::string* out);  // vec(byte), must be valid UTF-8
  // A u32 length or vector count. It cannot exceed the bytes left ("length
  // out of bounds"), which bounds what a hostile count can make us allocate.
  Status read_length(uint32_t* out);

  Status read_valtype(ValType* out);      // heap indices are module type indices
  Status read_heaptype(HeapType* out);
  Status read_reftype(ValType* out);
  Status read_blocktype(BlockType* out);  // s33: 0x40, a value type, or a type index
  // One byte of a type constructor (an s7 value: continuation bit forbidden).
  Status read_type_code(uint8_t* out);

  Error error(std::string msg) const { return make_error(ErrorKind::malformed, std::move(msg), Location::at_byte(offset())); }
  Error error_at(uint64_t off, std::string msg) const {
    return make_error(ErrorKind::malformed, std::move(msg), Location::at_byte(off));
  }

 private:
  Error end_error() const;
  Status read_u32_leb(uint32_t* out);
  Status read_ref_after_code(uint8_t code, uint64_t code_offset, ValType* out);

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  uint64_t base_;
};

struct BlockType {
  enum class Kind : uint8_t { empty, value, index } kind = Kind::empty;
  ValType value;       // Kind::value
  uint32_t index = 0;  // Kind::index: a module type index (function type)
};

struct CatchClause {
  HandlerEntry::Kind kind = HandlerEntry::Kind::catch_;
  uint32_t tag = 0;  // catch_, catch_ref
  uint32_t label = 0;
};

struct ResumeHandler {
  bool is_switch = false;  // (on $tag switch)
  uint32_t tag = 0;
  uint32_t label = 0;      // (on $tag $label)
};

// One decoded instruction. Immediates are in binary order:
//   idx0, idx1: index immediates as they appear (label, func, type, local,
//     global, table, memory, tag, data, elem, field, count). Examples:
//     call_indirect: idx0 = type, idx1 = table; memory.init: idx0 = data,
//     idx1 = memory; table.init: idx0 = elem, idx1 = table; memory.copy and
//     table.copy: idx0 = dst, idx1 = src; br_on_cast: idx0 = label;
//     switch/resume_throw: idx0 = type, idx1 = tag.
//   memarg: idx0 = memory index (0 unless flag bit 6), align = log2 alignment
//     (flags & 0x3f), u64 = offset.
//   i32/i64 constants: u64 = the value sign-extended to 64 bits;
//   f32/f64 constants: u64 = the bits.
// The vectors are reused across calls, so reading a function body into the
// same Instr does not allocate once they have grown.
struct Instr {
  Op op = Op::nop;
  uint64_t offset = 0;  // byte offset of the opcode
  uint32_t idx0 = 0;
  uint32_t idx1 = 0;
  uint64_t u64 = 0;
  uint32_t align = 0;
  BlockType block;           // block, loop, if, try_table
  HeapType heap0, heap1;     // ref.null, ref.test/cast (heap0), br_on_cast (both)
  uint8_t cast_flags = 0;    // br_on_cast: bit 0 = source nullable, bit 1 = target nullable
  std::vector<uint32_t> labels;     // br_table: targets, then the default last
  std::vector<ValType> types;       // select_t
  std::vector<CatchClause> catches; // try_table
  std::vector<ResumeHandler> handlers;  // resume, resume_throw, resume_throw_ref
};

// Reads one instruction (opcode and immediates). Unknown opcodes are
// malformed ("illegal opcode").
Status read_instr(Reader& r, Instr* out);

}  // namespace weft
