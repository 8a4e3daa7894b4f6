// Families of weft's fused internal instructions (superinstructions), as
// X-macro lists shared by internal_ops.def (the Op rows), the interpreter
// (handlers_fused.inc) and lowering (validate/fold.cc). Formats are drawn in
// interp/code.h.
#pragma once

// Integer comparisons: X(name, signedness) for i32.<name> / i64.<name>.
#define WEFT_INT_COMPARES(X) \
  X(eq) X(ne) X(lt_s) X(lt_u) X(gt_s) X(gt_u) X(le_s) X(le_u) X(ge_s) X(ge_u)

// Integer binary operators that have a form with an immediate second operand
// (besides the comparisons): X(name).
#define WEFT_INT_IMM_ARITH(X) X(add) X(mul) X(and) X(or) X(xor) X(shl) X(shr_s) X(shr_u) X(rotl) X(rotr)

// Integer operators with a shifted or rotated operand (hashes, ciphers,
// checksums): X(op, shift) for <t>.<op>_<shift> dst a b imm, which is
// fp[a] op (fp[b] shift imm); t = i32, i64; op is commutative.
#define WEFT_INT_SHIFT_FUSED(X)                                                   \
  X(add, shl) X(add, shr_u) X(add, rotl) X(add, rotr) X(xor, shl) X(xor, shr_u)   \
  X(xor, rotl) X(xor, rotr) X(or, shl) X(or, shr_u) X(or, rotl) X(or, rotr)       \
  X(and, shl) X(and, shr_u) X(and, rotl) X(and, rotr)

// Float additions and subtractions of a product of the same type, the product
// kept in a register (two roundings, as the separate instructions: not FMA):
// X(type, interpreter's value type) for <type>.mul_add (p + x), .mul_sub
// (p - x) and .mul_rsub (x - p).
#define WEFT_FLOAT_MUL_FUSED(X) X(f32, F32) X(f64, F64)

// Float operators whose second operand is loaded from memory 0 (32-bit
// addresses): X(t, interpreter's value type, op) for <t>.<op>_load.
#define WEFT_FLOAT_LOAD_FUSED(X) X(f32, F32, add) X(f32, F32, sub) X(f32, F32, mul) \
                                 X(f64, F64, add) X(f64, F64, sub) X(f64, F64, mul)

// Loads X(name, memory type, result type) and stores X(name, memory type,
// value type) with forms for memory 0 of 32-bit address type whose address is
// a sum (computed with 32-bit wrap-around, then the offset added). Value types
// are the interpreter's: F64 for f64, and f32 as its bits (I32).
#define WEFT_LOADS(X)                                                                                   \
  X(i32_load, uint32_t, I32) X(i64_load, uint64_t, I64) X(f32_load, uint32_t, I32)                      \
  X(f64_load, uint64_t, F64) X(i32_load8_s, int8_t, I32) X(i32_load8_u, uint8_t, I32)                   \
  X(i32_load16_s, int16_t, I32) X(i32_load16_u, uint16_t, I32) X(i64_load8_s, int8_t, I64)              \
  X(i64_load8_u, uint8_t, I64) X(i64_load16_s, int16_t, I64) X(i64_load16_u, uint16_t, I64)             \
  X(i64_load32_s, int32_t, I64) X(i64_load32_u, uint32_t, I64)
#define WEFT_STORES(X)                                                                                  \
  X(i32_store, uint32_t, I32) X(i64_store, uint64_t, I64) X(f32_store, uint32_t, I32)                   \
  X(f64_store, uint64_t, F64) X(i32_store8, uint8_t, I32) X(i32_store16, uint16_t, I32)                 \
  X(i64_store8, uint8_t, I64) X(i64_store16, uint16_t, I64) X(i64_store32, uint32_t, I64)

// Simple instructions (typed by their Sig column in opcodes.def) by operand
// count: WEFT_BY_SIG_<Sig>(Unary, Binary, Name, Text) expands to
// Unary(Name, Text), Binary(Name, Text) or nothing (loads, stores, constants,
// memory.size/grow and `special`). Lets an X-macro over opcodes.def pick rows
// by their Sig.
#define WEFT_SIG_NONE(U, B, Name, Text)
#define WEFT_SIG_UNARY(U, B, Name, Text) U(Name, Text)
#define WEFT_SIG_BINARY(U, B, Name, Text) B(Name, Text)
#define WEFT_BY_SIG_special WEFT_SIG_NONE
#define WEFT_BY_SIG_I_A WEFT_SIG_NONE
#define WEFT_BY_SIG_L_A WEFT_SIG_NONE
#define WEFT_BY_SIG_F_A WEFT_SIG_NONE
#define WEFT_BY_SIG_D_A WEFT_SIG_NONE
#define WEFT_BY_SIG_V_AI WEFT_SIG_NONE
#define WEFT_BY_SIG_V_AL WEFT_SIG_NONE
#define WEFT_BY_SIG_V_AF WEFT_SIG_NONE
#define WEFT_BY_SIG_V_AD WEFT_SIG_NONE
#define WEFT_BY_SIG_A_V WEFT_SIG_NONE
#define WEFT_BY_SIG_A_A WEFT_SIG_NONE
#define WEFT_BY_SIG_I_V WEFT_SIG_NONE
#define WEFT_BY_SIG_L_V WEFT_SIG_NONE
#define WEFT_BY_SIG_F_V WEFT_SIG_NONE
#define WEFT_BY_SIG_D_V WEFT_SIG_NONE
#define WEFT_BY_SIG_I_I WEFT_SIG_UNARY
#define WEFT_BY_SIG_I_L WEFT_SIG_UNARY
#define WEFT_BY_SIG_I_F WEFT_SIG_UNARY
#define WEFT_BY_SIG_I_D WEFT_SIG_UNARY
#define WEFT_BY_SIG_L_L WEFT_SIG_UNARY
#define WEFT_BY_SIG_L_I WEFT_SIG_UNARY
#define WEFT_BY_SIG_L_F WEFT_SIG_UNARY
#define WEFT_BY_SIG_L_D WEFT_SIG_UNARY
#define WEFT_BY_SIG_F_F WEFT_SIG_UNARY
#define WEFT_BY_SIG_F_I WEFT_SIG_UNARY
#define WEFT_BY_SIG_F_L WEFT_SIG_UNARY
#define WEFT_BY_SIG_F_D WEFT_SIG_UNARY
#define WEFT_BY_SIG_D_D WEFT_SIG_UNARY
#define WEFT_BY_SIG_D_I WEFT_SIG_UNARY
#define WEFT_BY_SIG_D_L WEFT_SIG_UNARY
#define WEFT_BY_SIG_D_F WEFT_SIG_UNARY
#define WEFT_BY_SIG_I_II WEFT_SIG_BINARY
#define WEFT_BY_SIG_I_LL WEFT_SIG_BINARY
#define WEFT_BY_SIG_I_FF WEFT_SIG_BINARY
#define WEFT_BY_SIG_I_DD WEFT_SIG_BINARY
#define WEFT_BY_SIG_L_LL WEFT_SIG_BINARY
#define WEFT_BY_SIG_F_FF WEFT_SIG_BINARY
#define WEFT_BY_SIG_D_DD WEFT_SIG_BINARY
