// Opcode enumeration and per-opcode metadata generated from opcodes.def.
#pragma once

#include <cstdint>
#include <string_view>

namespace weft {

// Layout of an instruction's immediates in the binary format.
enum class ImmKind : uint8_t {
  none,
  block,          // blocktype (s33: 0x40 | valtype | typeidx)
  label,          // u32 label index
  br_table,       // vec(labelidx) labelidx
  func,           // u32 func index
  call_indirect,  // u32 type index, u32 table index
  type,           // u32 type index
  type_type,      // u32 type index, u32 type index
  type_tag,       // u32 type index, u32 tag index
  type_field,     // u32 type index, u32 field index
  type_count,     // u32 type index, u32 count
  type_data,      // u32 type index, u32 data index
  type_elem,      // u32 type index, u32 elem index
  local,          // u32 local index
  global,         // u32 global index
  table,          // u32 table index
  memory,         // u32 memory index
  memarg,         // u32 flags (bit 6: memory index follows), [u32 memidx], u64 offset
  i32,            // s32
  i64,            // s64
  f32,            // 4 bytes little endian
  f64,            // 8 bytes little endian
  select_t,       // vec(valtype)
  heaptype,       // heaptype (s33)
  tag,            // u32 tag index
  try_table,      // blocktype, vec(catch)
  data,           // u32 data index
  data_memory,    // u32 data index, u32 memory index
  memory_memory,  // u32 memory index (dst), u32 memory index (src)
  elem,           // u32 elem index
  elem_table,     // u32 elem index, u32 table index
  table_table,    // u32 table index (dst), u32 table index (src)
  br_on_cast,     // u8 flags, u32 label, heaptype, heaptype
  resume,         // u32 type index, vec(handler)
  resume_throw,   // u32 type index, u32 tag index, vec(handler)
};

// Simple typing: Result_Params (see opcodes.def). `special` = hand-written rule.
enum class Sig : uint8_t {
  special,
  I_A, L_A, F_A, D_A,            // loads
  V_AI, V_AL, V_AF, V_AD,        // stores
  A_V, A_A,                      // memory.size, memory.grow
  I_V, L_V, F_V, D_V,            // constants
  I_I, I_II, I_L, I_LL, I_F, I_FF, I_D, I_DD,
  L_L, L_LL, L_I, L_F, L_D,
  F_F, F_FF, F_I, F_L, F_D,
  D_D, D_DD, D_I, D_L, D_F,
};

enum class Op : uint16_t {
#define WEFT_OP(Name, Prefix, Code, Text, Imm, Sig) Name,
#include "spec/opcodes.def"
#define WEFT_INTERNAL(Name, Text) Name,
#include "spec/internal_ops.def"
  count_
};

constexpr unsigned kOpCount = static_cast<unsigned>(Op::count_);

struct OpInfo {
  std::string_view text;  // text-format name ("i32.add"); internal ops: debug name
  uint8_t prefix;         // 0, 0xFB, 0xFC; internal ops: 0xFF
  uint32_t code;
  ImmKind imm;
  Sig sig;
};

const OpInfo& op_info(Op op);
// Binary lookup: prefix 0 uses `code` as the single opcode byte.
// Returns false if no such opcode exists (in this engine's scope).
bool op_from_binary(uint8_t prefix, uint32_t code, Op* out);
// Text lookup by name. For names shared by several opcodes ("select",
// "ref.test", "ref.cast") returns the first; the text parser disambiguates.
bool op_from_text(std::string_view name, Op* out);

inline bool is_internal(Op op) { return op_info(op).prefix == 0xFF; }

}  // namespace weft
