// Numeric instructions through the interpreter: each case builds a one-
// instruction function in internal code and invokes it.
#include <cmath>
#include <cstring>
#include <limits>

#include "interp/numeric.h"
#include "interp_builder.h"

namespace weft::testing {
namespace {

ValType type_of(char c) {
  switch (c) {
    case 'i': return ValType::i32();
    case 'l': return ValType::i64();
    case 'f': return ValType::f32();
    default: return ValType::f64();
  }
}

Value value_of(char c, uint64_t bits) { return Value{type_of(c), bits}; }

// Runs `op` on the given operands. `sig` is "r_ab" style: result type then
// operand types (i=i32 l=i64 f=f32 d=f64).
Result<std::vector<Value>> run_op(Op op, const char* sig, std::vector<uint64_t> operands) {
  Harness h;
  ModuleBuilder b(h.types());
  std::vector<ValType> params;
  for (const char* p = sig + 2; *p; ++p) params.push_back(type_of(*p));
  uint32_t n = uint32_t(params.size());
  uint32_t t = b.type(params, {type_of(sig[0])});
  Code c;
  if (n == 1) c.op(op, {1, 0});
  else c.op(op, {2, 0, 1});
  c.ret(n);
  b.func(t, n, n + 1, c, "f");
  h.instantiate_or_die(b);
  std::vector<Value> args;
  for (uint32_t i = 0; i < n; ++i) args.push_back(value_of(sig[2 + i], operands[i]));
  return h.call("f", args);
}

uint64_t ok_bits(Op op, const char* sig, std::vector<uint64_t> operands) {
  auto r = run_op(op, sig, operands);
  EXPECT_TRUE(r.ok()) << op_info(op).text << ": " << (r.ok() ? "" : r.error().to_string());
  if (!r.ok() || r->size() != 1) return 0xdeadbeef;
  return (*r)[0].bits;
}

std::string trap_of(Op op, const char* sig, std::vector<uint64_t> operands) {
  auto r = run_op(op, sig, operands);
  if (r.ok()) return "(no trap)";
  EXPECT_EQ(r.error().kind, ErrorKind::trap);
  return r.error().message;
}

uint32_t fb(float f) { return num::bits_of(f); }
uint64_t db(double d) { return num::bits_of(d); }
constexpr uint32_t kF32CanonNan = 0x7fc00000;
constexpr uint64_t kF64CanonNan = 0x7ff8000000000000;

bool f32_arith_nan(uint64_t b) { return (uint32_t(b) & 0x7fc00000u) == 0x7fc00000u; }
bool f64_arith_nan(uint64_t b) { return (b & 0x7ff8000000000000ull) == 0x7ff8000000000000ull; }
bool f32_canon_nan(uint64_t b) { return (uint32_t(b) & 0x7fffffffu) == kF32CanonNan; }
bool f64_canon_nan(uint64_t b) { return (b & 0x7fffffffffffffffull) == kF64CanonNan; }

TEST(InterpNumeric, IntegerArithmeticWraps) {
  EXPECT_EQ(ok_bits(Op::i32_add, "i_ii", {0xffffffff, 2}), 1u);
  EXPECT_EQ(ok_bits(Op::i32_sub, "i_ii", {0, 1}), 0xffffffffu);
  EXPECT_EQ(ok_bits(Op::i32_mul, "i_ii", {0x10000, 0x10000}), 0u);
  EXPECT_EQ(ok_bits(Op::i64_mul, "l_ll", {0x100000000ull, 0x100000000ull}), 0u);
  EXPECT_EQ(ok_bits(Op::i64_sub, "l_ll", {0, 1}), ~0ull);
}

TEST(InterpNumeric, DivisionTraps) {
  EXPECT_EQ(trap_of(Op::i32_div_s, "i_ii", {1, 0}), "integer divide by zero");
  EXPECT_EQ(trap_of(Op::i32_div_u, "i_ii", {1, 0}), "integer divide by zero");
  EXPECT_EQ(trap_of(Op::i32_rem_s, "i_ii", {1, 0}), "integer divide by zero");
  EXPECT_EQ(trap_of(Op::i32_rem_u, "i_ii", {1, 0}), "integer divide by zero");
  EXPECT_EQ(trap_of(Op::i32_div_s, "i_ii", {0x80000000, 0xffffffff}), "integer overflow");
  EXPECT_EQ(trap_of(Op::i64_div_s, "l_ll", {0x8000000000000000ull, ~0ull}), "integer overflow");
  EXPECT_EQ(trap_of(Op::i64_div_u, "l_ll", {5, 0}), "integer divide by zero");
  EXPECT_EQ(trap_of(Op::i64_rem_s, "l_ll", {5, 0}), "integer divide by zero");
}

TEST(InterpNumeric, DivisionResults) {
  EXPECT_EQ(ok_bits(Op::i32_rem_s, "i_ii", {0x80000000, 0xffffffff}), 0u);
  EXPECT_EQ(ok_bits(Op::i64_rem_s, "l_ll", {0x8000000000000000ull, ~0ull}), 0u);
  EXPECT_EQ(ok_bits(Op::i32_div_s, "i_ii", {uint32_t(-7), 2}), uint32_t(-3));
  EXPECT_EQ(ok_bits(Op::i32_rem_s, "i_ii", {uint32_t(-7), 2}), uint32_t(-1));
  EXPECT_EQ(ok_bits(Op::i32_div_u, "i_ii", {uint32_t(-7), 2}), 0x7ffffffcu);
  EXPECT_EQ(ok_bits(Op::i32_rem_u, "i_ii", {uint32_t(-7), 2}), 1u);
  EXPECT_EQ(ok_bits(Op::i64_div_s, "l_ll", {uint64_t(-7), 2}), uint64_t(-3));
}

TEST(InterpNumeric, ShiftsAndRotatesMaskTheCount) {
  EXPECT_EQ(ok_bits(Op::i32_shl, "i_ii", {1, 33}), 2u);
  EXPECT_EQ(ok_bits(Op::i32_shr_s, "i_ii", {0x80000000, 31}), 0xffffffffu);
  EXPECT_EQ(ok_bits(Op::i32_shr_u, "i_ii", {0x80000000, 63}), 1u);
  EXPECT_EQ(ok_bits(Op::i32_rotl, "i_ii", {0x80000001, 1}), 3u);
  EXPECT_EQ(ok_bits(Op::i32_rotr, "i_ii", {1, 0x21}), 0x80000000u);
  EXPECT_EQ(ok_bits(Op::i64_shl, "l_ll", {1, 65}), 2u);
  EXPECT_EQ(ok_bits(Op::i64_shr_s, "l_ll", {0x8000000000000000ull, 63}), ~0ull);
  EXPECT_EQ(ok_bits(Op::i64_rotr, "l_ll", {1, 1}), 0x8000000000000000ull);
}

TEST(InterpNumeric, BitCounts) {
  EXPECT_EQ(ok_bits(Op::i32_clz, "i_i", {0}), 32u);
  EXPECT_EQ(ok_bits(Op::i32_ctz, "i_i", {0x80000000}), 31u);
  EXPECT_EQ(ok_bits(Op::i32_popcnt, "i_i", {0xffffffff}), 32u);
  EXPECT_EQ(ok_bits(Op::i64_clz, "l_l", {1}), 63u);
  EXPECT_EQ(ok_bits(Op::i64_ctz, "l_l", {0}), 64u);
  EXPECT_EQ(ok_bits(Op::i64_popcnt, "l_l", {0x8000000000000001ull}), 2u);
}

TEST(InterpNumeric, Comparisons) {
  EXPECT_EQ(ok_bits(Op::i32_lt_s, "i_ii", {0xffffffff, 0}), 1u);
  EXPECT_EQ(ok_bits(Op::i32_lt_u, "i_ii", {0xffffffff, 0}), 0u);
  EXPECT_EQ(ok_bits(Op::i64_ge_s, "i_ll", {~0ull, 0}), 0u);
  EXPECT_EQ(ok_bits(Op::i64_eqz, "i_l", {0x100000000ull}), 0u);
  EXPECT_EQ(ok_bits(Op::f32_eq, "i_ff", {kF32CanonNan, kF32CanonNan}), 0u);
  EXPECT_EQ(ok_bits(Op::f32_ne, "i_ff", {kF32CanonNan, kF32CanonNan}), 1u);
  EXPECT_EQ(ok_bits(Op::f64_eq, "i_dd", {db(0.0), db(-0.0)}), 1u);
  EXPECT_EQ(ok_bits(Op::f64_lt, "i_dd", {db(-0.0), db(0.0)}), 0u);
}

TEST(InterpNumeric, Extensions) {
  EXPECT_EQ(ok_bits(Op::i32_extend8_s, "i_i", {0x80}), 0xffffff80u);
  EXPECT_EQ(ok_bits(Op::i32_extend16_s, "i_i", {0x7fff}), 0x7fffu);
  EXPECT_EQ(ok_bits(Op::i64_extend32_s, "l_l", {0x80000000}), 0xffffffff80000000ull);
  EXPECT_EQ(ok_bits(Op::i64_extend_i32_s, "l_i", {0xffffffff}), ~0ull);
  EXPECT_EQ(ok_bits(Op::i64_extend_i32_u, "l_i", {0xffffffff}), 0xffffffffull);
  EXPECT_EQ(ok_bits(Op::i32_wrap_i64, "i_l", {0x123456789ull}), 0x23456789u);
}

TEST(InterpNumeric, MinMaxZerosAndNans) {
  EXPECT_EQ(ok_bits(Op::f32_min, "f_ff", {fb(0.0f), fb(-0.0f)}), fb(-0.0f));
  EXPECT_EQ(ok_bits(Op::f32_min, "f_ff", {fb(-0.0f), fb(0.0f)}), fb(-0.0f));
  EXPECT_EQ(ok_bits(Op::f32_max, "f_ff", {fb(-0.0f), fb(0.0f)}), fb(0.0f));
  EXPECT_EQ(ok_bits(Op::f64_max, "d_dd", {db(0.0), db(-0.0)}), db(0.0));
  EXPECT_EQ(ok_bits(Op::f64_min, "d_dd", {db(-1.0), db(2.0)}), db(-1.0));
  EXPECT_TRUE(f32_canon_nan(ok_bits(Op::f32_min, "f_ff", {kF32CanonNan, fb(1.0f)})));
  EXPECT_TRUE(f32_arith_nan(ok_bits(Op::f32_max, "f_ff", {fb(1.0f), 0x7fa00000})));  // signalling in
  EXPECT_TRUE(f64_arith_nan(ok_bits(Op::f64_min, "d_dd", {0x7ff0000000000001ull, db(1.0)})));
  EXPECT_TRUE(f64_canon_nan(ok_bits(Op::f64_max, "d_dd", {db(1.0), 0xfff8000000000000ull})));
}

TEST(InterpNumeric, ArithmeticNanRules) {
  double inf = std::numeric_limits<double>::infinity();
  // Non-NaN inputs give a canonical NaN; NaN inputs an arithmetic one.
  EXPECT_TRUE(f64_canon_nan(ok_bits(Op::f64_add, "d_dd", {db(inf), db(-inf)})));
  EXPECT_TRUE(f64_canon_nan(ok_bits(Op::f64_div, "d_dd", {db(0.0), db(0.0)})));
  EXPECT_TRUE(f32_canon_nan(ok_bits(Op::f32_sqrt, "f_f", {fb(-1.0f)})));
  EXPECT_TRUE(f32_arith_nan(ok_bits(Op::f32_mul, "f_ff", {0x7f800001, fb(2.0f)})));
  EXPECT_TRUE(f64_arith_nan(ok_bits(Op::f64_promote_f32, "d_f", {0x7f800001})));
  EXPECT_TRUE(f32_arith_nan(ok_bits(Op::f32_demote_f64, "f_d", {0x7ff0000000000001ull})));
  EXPECT_TRUE(f32_canon_nan(ok_bits(Op::f32_demote_f64, "f_d", {kF64CanonNan})));
  EXPECT_TRUE(f32_arith_nan(ok_bits(Op::f32_nearest, "f_f", {0x7f800001})));
  for (Op op : {Op::f64_ceil, Op::f64_floor, Op::f64_trunc, Op::f64_nearest, Op::f64_sqrt})
    EXPECT_TRUE(f64_arith_nan(ok_bits(op, "d_d", {0x7ff0000000000001ull}))) << op_info(op).text;
  for (Op op : {Op::f32_ceil, Op::f32_floor, Op::f32_trunc, Op::f32_nearest, Op::f32_sqrt})
    EXPECT_TRUE(f32_arith_nan(ok_bits(op, "f_f", {0xff800001}))) << op_info(op).text;
}

TEST(InterpNumeric, SignOperationsAreBitwise) {
  EXPECT_EQ(ok_bits(Op::f32_neg, "f_f", {0x7fa00001}), 0xffa00001u);
  EXPECT_EQ(ok_bits(Op::f32_abs, "f_f", {0xffa00001}), 0x7fa00001u);
  EXPECT_EQ(ok_bits(Op::f64_neg, "d_d", {0x7ff0000000000001ull}), 0xfff0000000000001ull);
  EXPECT_EQ(ok_bits(Op::f64_abs, "d_d", {db(-0.0)}), db(0.0));
  EXPECT_EQ(ok_bits(Op::f32_copysign, "f_ff", {0x7fa00001, fb(-1.0f)}), 0xffa00001u);
  EXPECT_EQ(ok_bits(Op::f64_copysign, "d_dd", {db(2.0), 0xfff8000000000000ull}), db(-2.0));
}

TEST(InterpNumeric, Rounding) {
  EXPECT_EQ(ok_bits(Op::f32_nearest, "f_f", {fb(2.5f)}), fb(2.0f));
  EXPECT_EQ(ok_bits(Op::f32_nearest, "f_f", {fb(3.5f)}), fb(4.0f));
  EXPECT_EQ(ok_bits(Op::f32_nearest, "f_f", {fb(-0.5f)}), fb(-0.0f));
  EXPECT_EQ(ok_bits(Op::f64_nearest, "d_d", {db(4503599627370497.0)}), db(4503599627370497.0));
  EXPECT_EQ(ok_bits(Op::f64_nearest, "d_d", {db(-1.5)}), db(-2.0));
  EXPECT_EQ(ok_bits(Op::f64_ceil, "d_d", {db(-0.5)}), db(-0.0));
  EXPECT_EQ(ok_bits(Op::f64_floor, "d_d", {db(-0.5)}), db(-1.0));
  EXPECT_EQ(ok_bits(Op::f32_trunc, "f_f", {fb(-1.7f)}), fb(-1.0f));
}

TEST(InterpNumeric, TruncTrapsAtTheExactBounds) {
  EXPECT_EQ(trap_of(Op::i32_trunc_f32_s, "i_f", {kF32CanonNan}), "invalid conversion to integer");
  EXPECT_EQ(trap_of(Op::i32_trunc_f32_s, "i_f", {fb(2147483648.0f)}), "integer overflow");
  EXPECT_EQ(ok_bits(Op::i32_trunc_f32_s, "i_f", {fb(-2147483648.0f)}), 0x80000000u);
  EXPECT_EQ(trap_of(Op::i32_trunc_f32_s, "i_f", {fb(-2147483904.0f)}), "integer overflow");
  EXPECT_EQ(ok_bits(Op::i32_trunc_f64_s, "i_d", {db(-2147483648.9)}), 0x80000000u);
  EXPECT_EQ(trap_of(Op::i32_trunc_f64_s, "i_d", {db(-2147483649.0)}), "integer overflow");
  EXPECT_EQ(ok_bits(Op::i32_trunc_f64_s, "i_d", {db(2147483647.9)}), 0x7fffffffu);
  EXPECT_EQ(ok_bits(Op::i32_trunc_f64_u, "i_d", {db(-0.9)}), 0u);
  EXPECT_EQ(trap_of(Op::i32_trunc_f64_u, "i_d", {db(-1.0)}), "integer overflow");
  EXPECT_EQ(ok_bits(Op::i32_trunc_f64_u, "i_d", {db(4294967295.9)}), 0xffffffffu);
  EXPECT_EQ(trap_of(Op::i32_trunc_f64_u, "i_d", {db(4294967296.0)}), "integer overflow");
  EXPECT_EQ(trap_of(Op::i64_trunc_f64_s, "l_d", {db(9223372036854775808.0)}), "integer overflow");
  EXPECT_EQ(ok_bits(Op::i64_trunc_f64_s, "l_d", {db(-9223372036854775808.0)}), 0x8000000000000000ull);
  EXPECT_EQ(ok_bits(Op::i64_trunc_f64_u, "l_d", {db(18446744073709549568.0)}), 0xfffffffffffff800ull);
  EXPECT_EQ(trap_of(Op::i64_trunc_f64_u, "l_d", {db(18446744073709551616.0)}), "integer overflow");
  EXPECT_EQ(trap_of(Op::i64_trunc_f32_u, "l_f", {0xff800000}), "integer overflow");  // -inf
  EXPECT_EQ(trap_of(Op::i64_trunc_f32_s, "l_f", {0x7fa00000}), "invalid conversion to integer");
}

TEST(InterpNumeric, TruncSaturates) {
  EXPECT_EQ(ok_bits(Op::i32_trunc_sat_f32_s, "i_f", {kF32CanonNan}), 0u);
  EXPECT_EQ(ok_bits(Op::i32_trunc_sat_f32_s, "i_f", {fb(3e9f)}), 0x7fffffffu);
  EXPECT_EQ(ok_bits(Op::i32_trunc_sat_f32_s, "i_f", {fb(-3e9f)}), 0x80000000u);
  EXPECT_EQ(ok_bits(Op::i32_trunc_sat_f64_u, "i_d", {db(-5.0)}), 0u);
  EXPECT_EQ(ok_bits(Op::i32_trunc_sat_f64_u, "i_d", {db(1e10)}), 0xffffffffu);
  EXPECT_EQ(ok_bits(Op::i64_trunc_sat_f64_s, "l_d", {db(-1e300)}), 0x8000000000000000ull);
  EXPECT_EQ(ok_bits(Op::i64_trunc_sat_f32_u, "l_f", {0x7f800000}), ~0ull);
  EXPECT_EQ(ok_bits(Op::i64_trunc_sat_f64_s, "l_d", {db(-7.9)}), uint64_t(-7));
}

TEST(InterpNumeric, IntToFloatRoundsCorrectly) {
  EXPECT_EQ(ok_bits(Op::f32_convert_i64_u, "f_l", {0x8000008000000001ull}), fb(0x1.000002p+63f));
  EXPECT_EQ(ok_bits(Op::f32_convert_i64_u, "f_l", {0xfffffe8000000001ull}), fb(0x1.fffffep+63f));
  EXPECT_EQ(ok_bits(Op::f32_convert_i64_u, "f_l", {~0ull}), fb(18446744073709551616.0f));
  EXPECT_EQ(ok_bits(Op::f32_convert_i64_u, "f_l", {0x7fffffbfffffffffull}), fb(0x1.fffffep+62f));
  EXPECT_EQ(ok_bits(Op::f32_convert_i64_s, "f_l", {0x0020000020000001ull}), fb(0x1.000002p+53f));
  EXPECT_EQ(ok_bits(Op::f32_convert_i64_s, "f_l", {0x8000004000000001ull}), fb(-0x1.fffffep+62f));
  EXPECT_EQ(ok_bits(Op::f64_convert_i64_u, "d_l", {0x8000000000000401ull}), db(0x1.0000000000001p+63));
  EXPECT_EQ(ok_bits(Op::f64_convert_i64_u, "d_l", {0xfffffffffffff401ull}), db(0x1.fffffffffffffp+63));
  EXPECT_EQ(ok_bits(Op::f64_convert_i64_s, "d_l", {9007199254740993ull}), db(9007199254740992.0));
  EXPECT_EQ(ok_bits(Op::f32_convert_i32_u, "f_i", {0xffffffff}), fb(4294967296.0f));
  EXPECT_EQ(ok_bits(Op::f32_convert_i32_s, "f_i", {16777217}), fb(16777216.0f));
  EXPECT_EQ(ok_bits(Op::f64_convert_i32_u, "d_i", {0xffffffff}), db(4294967295.0));
}

TEST(InterpNumeric, Reinterpret) {
  EXPECT_EQ(ok_bits(Op::i32_reinterpret_f32, "i_f", {0xffa00001}), 0xffa00001u);
  EXPECT_EQ(ok_bits(Op::f64_reinterpret_i64, "d_l", {0x7ff0000000000001ull}), 0x7ff0000000000001ull);
}

TEST(InterpNumeric, I32ReadsIgnoreUpperSlotBits) {
  // The upper half of an i32 slot is unspecified: readers must truncate.
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({}, {ValType::i32()});
  Code c;
  c.i64(0, 0xffffffff00000005ull).i64(1, 0xabcdef0000000002ull).op(Op::i32_add, {2, 0, 1}).ret(2);
  b.func(t, 0, 3, c, "f");
  h.instantiate_or_die(b);
  auto r = h.call("f");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].bits, 7u);
}

}  // namespace
}  // namespace weft::testing
