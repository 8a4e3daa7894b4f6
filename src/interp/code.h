// weft's internal code: what validation lowers each function into and what the
// interpreter runs. See docs/internal-code.md for the rationale.
//
// A function's code is a vector of 32-bit words. Each instruction is one
// opcode word (an Op value) followed by its operand words. Operands are:
//   S   a slot: index of an 8-byte value slot relative to the frame pointer fp.
//       Locals occupy slots [0, num_locals) (num_locals includes hidden
//       slots after the Wasm locals: a zero slot and a constant pool, see
//       docs/internal-code.md); the operand stack of the Wasm
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
//   check                   check                         function entry / loop header, only with
//                                                        ValidateOptions::interrupt_checks:
//                                                        fuel, deadline and interrupt (docs/limits.md)
//   segment_return          segment_return                only in the stub a call into a new
//                                                        stack segment returns through (fp is
//                                                        the Segment; interp/growth.h)
//   copy                    copy dst:S src:S              (local.get/set/tee, moves)
//   <t>.mul_add, .mul_sub, .mul_rsub
//                           op dst:S a:S b:S x:S          p = fp[a] * fp[b] rounded to t, then
//                                                        p + fp[x], p - fp[x], fp[x] - p; t = f32, f64
//   <t>.<op>_<shift>        op dst:S a:S b:S imm:U        fp[dst] = fp[a] op (fp[b] shift imm);
//                                                        t = i32, i64; op: add xor or and; shift:
//                                                        shl shr_u rotl rotr (spec/fused_ops.h)
//   <t>.<op>_load           op dst:S x:S a:S imm:U off:U  fp[dst] = fp[x] op (the t at memory 0,
//                                                        u32(fp[a] + imm) + off); t = f32, f64;
//                                                        op: add sub mul (spec/fused_ops.h)
//   <t>.<op>_imm            op dst:S a:S imm:U            fp[dst] = fp[a] op imm; t = i32 or i64
//                                                        (i64: imm sign-extended from 32 bits);
//                                                        op: add mul and or xor shl shr_s shr_u
//                                                        eq ne lt_s lt_u gt_s gt_u le_s le_u
//                                                        ge_s ge_u (spec/fused_ops.h)
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
//   br_if.<t>.<cmp>         op a:S b:S target:T           taken if fp[a] cmp fp[b]; t = i32, i64;
//                                                        cmp: one of the ten integer comparisons
//   br_if.<t>.<cmp>_imm     op a:S imm:U target:T         taken if fp[a] cmp imm (i64: imm
//                                                        sign-extended from 32 bits)
//   br_if.i64.eqz, .nez     op a:S target:T               taken if fp[a].i64 == 0 (!= 0)
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
//   cont_new                cont_new dst:S func:S         traps "null function reference"
//   cont_bind               cont_bind base:S ref:S n:U    binds fp[base .. base+n) as the next n
//                                                        arguments; the new contref goes to fp[base]
//   resume                  resume base:S ref:S n:U nh:U clause*nh
//                                                        arguments fp[base .. base+n), results
//                                                        fp[base .. base+num_results)
//   resume_throw            resume_throw base:S ref:S tag:U nh:U clause*nh
//                                                        exception payload fp[base ..)
//   resume_throw_ref        resume_throw_ref base:S ref:S exn:S nh:U clause*nh
//     clause                tag:U target:T dest:S        (on $tag $label): the label's values (the
//                                                        payload, then the contref) go to
//                                                        fp[dest ..), then continue at target
//                           tag:U kSwitchClause 0        (on $tag switch)
//   suspend                 suspend tag:U base:S          payload fp[base .. base+n), results
//                                                        fp[base .. base+num_results)
//   switch_                 switch_ tag:U base:S ref:S n:U
//                                                        arguments fp[base .. base+n) (the new
//                                                        contref is passed after them), results
//                                                        fp[base ..)
//
// Stack switching (docs/stacks.md): the three resume instructions share one
// layout, `op base ref x nh clause*nh`, so that a stack parked at one (its
// saved pc points at the instruction) finds its handler clauses, its result
// slots (base) and its next instruction from the code alone. Tags are indices
// into the instance's tags and are matched by identity at run time.
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
// Result forwarding (docs/internal-code.md, validate/forward.h): an
// instruction with suffix _ra, _rb or _rx has the format of the plain one but
// takes its first, second or third slot operand from the register where the
// instruction just before it left its result; that operand's word is kept.
//
// Operands need not be in their stack slots: lowering names a local's slot
// directly for a pending local.get, and folds constants into the _imm forms
// (docs/internal-code.md). Results always go to the stack slot of their
// height, or straight into a local for `op; local.set x`.
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

// Resume instructions (resume, resume_throw, resume_throw_ref): the words of
// the handler clauses, and the instruction after one (pc points at its opcode).
constexpr uint32_t kSwitchClause = 0xffffffffu;  // target word of (on $tag switch)
constexpr uint32_t kResumeClauseWords = 3;
inline const uint32_t* resume_clauses(const uint32_t* pc) { return pc + 5; }
inline uint32_t resume_clause_count(const uint32_t* pc) { return pc[4]; }
inline const uint32_t* resume_next(const uint32_t* pc) { return pc + 5 + kResumeClauseWords * pc[4]; }

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
