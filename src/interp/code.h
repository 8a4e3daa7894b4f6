// weft's internal code: what validation lowers each function into and what the
// interpreter runs. See docs/internal-code.md for the rationale.
//
// A function's code is a vector of 32-bit words. Each instruction is one
// opcode word (an Op value) followed by its operand words. Operands are:
//   S   a slot: index of an 8-byte value slot relative to the frame pointer fp.
//       Locals occupy slots [0, num_locals); the operand stack of the Wasm
//       function lives at [num_locals, num_locals + max_height). An operand at
//       validation-time stack height h (0-based, counted from the bottom of the
//       function's operand stack) lives in slot num_locals + h. So every Wasm
//       value has a fixed slot, known at validation time, and instructions name
//       their inputs and output explicitly (register-style code).
//   U   an unsigned 32-bit immediate (index, count, i32/f32 bits).
//   K   a 64-bit immediate as two words, low word first.
//   T   a branch target: absolute word index into the function's code.
//
// Slot values: i32 is stored zero-extended in the low 32 bits, f32 as its bits
// in the low 32 bits, i64/f64 as 64 bits, references as a 64-bit Ref (see
// runtime/value.h). Upper bits of an i32 slot are unspecified on read: readers
// must truncate.
//
// Formats ("op a b c" = the opcode word then operand words):
//   simple ops, Sig X_YZ    op dst:S a:S b:S
//   simple ops, Sig X_Y     op dst:S a:S
//   const32                 const32 dst:S imm:U          (i32.const, f32.const)
//   const64                 const64 dst:S lo:U hi:U       (i64.const, f64.const)
//   copy                    copy dst:S src:S              (local.get/set/tee, moves)
//   loads   (Sig X_A)       op dst:S addr:S mem:U off:K
//   stores  (Sig V_AX)      op addr:S value:S mem:U off:K
//   memory_size             memory_size dst:S mem:U
//   memory_grow             memory_grow dst:S delta:S mem:U
//   memory_fill             memory_fill mem:U d:S val:S n:S
//   memory_copy             memory_copy dstmem:U srcmem:U d:S s:S n:S
//   memory_init             memory_init mem:U data:U d:S s:S n:S
//   data_drop               data_drop data:U
//   table_get               table_get dst:S idx:S table:U
//   table_set               table_set table:U idx:S val:S
//   table_size              table_size dst:S table:U
//   table_grow              table_grow dst:S init:S n:S table:U   (dst may equal init)
//   table_fill              table_fill table:U i:S val:S n:S
//   table_copy              table_copy dsttab:U srctab:U d:S s:S n:S
//   table_init              table_init table:U elem:U d:S s:S n:S
//   elem_drop               elem_drop elem:U
//   global_get              global_get dst:S global:U
//   global_set              global_set global:U src:S
//   select, select_t        op dst:S cond:S a:S b:S       fp[dst] = fp[cond].i32 ? fp[a] : fp[b]
//   ref_null                ref_null dst:S
//   ref_is_null             ref_is_null dst:S a:S
//   ref_func                ref_func dst:S func:U
//   ref_eq                  ref_eq dst:S a:S b:S
//   ref_as_non_null         ref_as_non_null a:S          traps "null reference" if null
//   ref_test, ref_test_null op dst:S a:S heap:U          heap: HeapType::bits, canonical
//                                                        (type id, or kAbstractBit | AbsHeap)
//   ref_cast, ref_cast_null op a:S heap:U                traps "cast failure"
//   br_on_cast, br_on_cast_fail
//                           op a:S heap:U null:U target:T  branch if the cast succeeds
//                                                        (fails); null: target type nullable
//   unreachable             unreachable                  traps "unreachable"
//   br                      br target:T
//   br_if                   br_if cond:S target:T         taken if fp[cond].i32 != 0
//   br_unless               br_unless cond:S target:T     taken if fp[cond].i32 == 0
//   br_table                br_table idx:S n:U t0:T .. t(n-1):T tdefault:T
//   br_on_null              br_on_null a:S target:T
//   br_on_non_null          br_on_non_null a:S target:T
//   return_                 return_ src:S                results are fp[src .. src+num_results)
//   call                    call func:U base:S
//   return_call             return_call func:U base:S
//   call_indirect           call_indirect type:U table:U base:S idx:S
//   return_call_indirect    return_call_indirect type:U table:U base:S idx:S
//   call_ref                call_ref base:S ref:S
//   return_call_ref         return_call_ref base:S ref:S
//   throw_                  throw_ tag:U base:S           payload is fp[base .. base+n)
//   throw_ref               throw_ref a:S
//
// Calls: arguments are in fp[base .. base+num_params) of the caller; that
// address becomes the callee's fp, so arguments are never copied. Results are
// returned into fp[base .. base+num_results) of the caller. `type` of
// call_indirect is a canonical type id (TypeRegistry); `func`, `table`,
// `mem`, `global`, `tag`, `data`, `elem` are indices into the instance's
// index spaces.
//
// Branches carry no value moves. Where a Wasm branch must move its label's
// values down the stack, lowering emits `copy` instructions before an
// unconditional branch; conditional branches and br_table entries that need
// moves jump to an out-of-line stub (copies + br) emitted after the function
// body.
//
// Blocks, loops, `end`, `nop` and `drop` emit no code: a block's results
// already sit in the slots its label expects, because slots follow stack
// heights.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/opcodes.h"

namespace weft {

// try_table catch clauses, as a side table searched on throw.
struct HandlerEntry {
  enum class Kind : uint8_t { catch_, catch_ref, catch_all, catch_all_ref };
  uint32_t start;  // word range [start, end) of the try_table body
  uint32_t end;
  Kind kind;
  uint32_t tag;     // tag index in the instance (catch_, catch_ref)
  uint32_t target;  // word index to continue at
  uint32_t dest;    // first slot receiving the payload (then the exnref for *_ref)
};
// Entries are ordered innermost try_table first, and within one try_table in
// clause order: the unwinder takes the first entry whose range holds the pc of
// the throwing (or calling) instruction and whose tag matches.

struct CompiledFunc {
  std::vector<uint32_t> code;
  std::vector<HandlerEntry> handlers;
  uint32_t num_params = 0;
  uint32_t num_results = 0;
  uint32_t num_locals = 0;   // including params
  uint32_t frame_slots = 0;  // num_locals + max operand stack height
  uint32_t type_id = 0;      // canonical function type id
  uint32_t func_index = 0;   // index in the module's function space
};

}  // namespace weft
