// Exact lowered code of small functions: pins the contract with the
// interpreter (interp/code.h).
#include <gtest/gtest.h>

#include "validate/code_dump.h"
#include "validate_builder.h"

namespace weft {
namespace {

using namespace weft::test;

class Lowering : public ::testing::Test {
 protected:
  // Validates a module whose only function is `body` of type params -> results.
  const CompiledFunc& lower(std::vector<Bytes> params, std::vector<Bytes> results, Bytes body,
                            std::vector<std::pair<uint32_t, Bytes>> locals = {}) {
    uint32_t t = b.type(std::move(params), std::move(results));
    b.func(t, std::move(body), std::move(locals));
    v = validate_bytes(reg, b.build());
    EXPECT_EQ(v.error, "");
    static CompiledFunc empty;
    if (!v.module) return empty;
    return v.module->compiled.back();
  }

  TypeRegistry reg;
  ModuleBuilder b;
  Validated v;
};

TEST_F(Lowering, LocalsAndSimpleOps) {
  // local.get 0; local.get 1; i32.add
  const CompiledFunc& f = lower({{I32}, {I32}}, {{I32}}, {0x20, 0, 0x20, 1, 0x6a});
  EXPECT_EQ(dump_code(f),
            "0: i32.add s2 s0 s1\n"  // local.get folded into the consumer
            "4: return s2\n");
  EXPECT_EQ(f.num_params, 2u);
  EXPECT_EQ(f.num_results, 1u);
  EXPECT_EQ(f.num_locals, 2u);
  EXPECT_EQ(f.frame_slots, 4u);
  EXPECT_EQ(f.func_index, 0u);
  EXPECT_EQ(f.type_id, v.module->type_ids[0]);
}

TEST_F(Lowering, SetTeeAndConstants) {
  // (local i64) i64.const -2; local.tee 0; local.set 0; f32.const 1.0; drop
  Bytes body = {0x42, 0x7e, 0x22, 0, 0x21, 0, 0x43, 0x00, 0x00, 0x80, 0x3f, 0x1a};
  const CompiledFunc& f = lower({}, {}, body, {{1, {I64}}});
  EXPECT_EQ(dump_code(f),
            "0: const64 s0 18446744073709551614\n"  // constants go straight to the local
            "4: const64 s0 18446744073709551614\n"
            "8: return s1\n");
  EXPECT_EQ(f.frame_slots, 2u);
}

TEST_F(Lowering, BranchWithMove) {
  // block (result i32) i32.const 1; i32.const 2; br 0 end
  Bytes body = cat({{0x02, I32}, i32_const(1), i32_const(2), {0x0c, 0, 0x0b}});
  const CompiledFunc& f = lower({}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s0 2\n"  // the dropped constant is never written
            "3: br @5\n"
            "5: return s0\n");
}

TEST_F(Lowering, ConditionalBranchStub) {
  // block (result i32) i32.const 7; i32.const 8; local.get 0; br_if 0; drop end
  Bytes body = cat({{0x02, I32}, i32_const(7), i32_const(8), {0x20, 0, 0x0d, 0, 0x1a, 0x0b}});
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s2 8\n"  // carried values are materialized for the stub
            "3: br_if s0 @11\n"
            "6: const32 s1 7\n"
            "9: return s1\n"
            "11: copy s1 s2\n"
            "14: br @9\n");
  EXPECT_EQ(f.frame_slots, 4u);
}

TEST_F(Lowering, ConditionalBranchWithoutMove) {
  // block local.get 0; br_if 0 end
  const CompiledFunc& f = lower({{I32}}, {}, {0x02, 0x40, 0x20, 0, 0x0d, 0, 0x0b});
  EXPECT_EQ(dump_code(f),
            "0: br_if s0 @3\n"
            "3: return s1\n");
}

TEST_F(Lowering, IfElse) {
  // local.get 0; if (result i32) i32.const 1 else i32.const 2 end
  Bytes body = cat({{0x20, 0, 0x04, I32}, i32_const(1), {0x05}, i32_const(2), {0x0b}});
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: br_unless s0 @8\n"
            "3: const32 s1 1\n"
            "6: br @11\n"
            "8: const32 s1 2\n"
            "11: return s1\n");
}

TEST_F(Lowering, IfWithoutElse) {
  // local.get 0; if; i32.const 5; drop; end
  Bytes body = cat({{0x20, 0, 0x04, 0x40}, i32_const(5), {0x1a, 0x0b}});
  const CompiledFunc& f = lower({{I32}}, {}, body);
  EXPECT_EQ(dump_code(f),
            "0: br_unless s0 @3\n"
            "3: return s1\n");
}

TEST_F(Lowering, LoopBranchesBackward) {
  // loop local.get 0; br_if 0 end
  const CompiledFunc& f = lower({{I32}}, {}, {0x03, 0x40, 0x20, 0, 0x0d, 0, 0x0b});
  EXPECT_EQ(dump_code(f),
            "0: br_if s0 @0\n"
            "3: return s1\n");
}

TEST_F(Lowering, DeadCodeIsNotEmitted) {
  // i32.const 1; return; i32.const 2; drop; unreachable
  Bytes body = cat({i32_const(1), {0x0f}, i32_const(2), {0x1a, 0x00}});
  const CompiledFunc& f = lower({}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s0 1\n"
            "3: return s0\n");
}

TEST_F(Lowering, BranchToFunctionLabelReturns) {
  // i32.const 3; i32.const 4; br 0   (the function's label)
  Bytes body = cat({i32_const(3), i32_const(4), {0x0c, 0}});
  const CompiledFunc& f = lower({}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s1 4\n"
            "3: return s1\n");
}

TEST_F(Lowering, BrIfToFunctionLabelUsesReturnStub) {
  // i32.const 3; i32.const 4; local.get 0; br_if 0; drop
  Bytes body = cat({i32_const(3), i32_const(4), {0x20, 0, 0x0d, 0, 0x1a}});
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s2 4\n"
            "3: br_if s0 @11\n"
            "6: const32 s1 3\n"
            "9: return s1\n"
            "11: return s2\n");
}

TEST_F(Lowering, BrTableSharesStubsPerLabel) {
  // block (result i32) i32.const 9
  //   block (result i32) i32.const 5; local.get 0; br_table 0 1 0 end
  //   drop
  // end
  Bytes body = cat({{0x02, I32}, i32_const(9), {0x02, I32}, i32_const(5),
                    {0x20, 0, 0x0e, 2, 0, 1, 0, 0x0b, 0x1a, 0x0b}});
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s1 9\n"
            "3: const32 s2 5\n"
            "6: br_table s0 2 @12 @14 @12\n"
            "12: return s1\n"
            "14: copy s1 s2\n"
            "17: br @12\n");
}

TEST_F(Lowering, CallsUseArgumentBase) {
  // Function 0: (param i32 i32) (result i64) unreachable
  // Function 1: i32.const 1; i32.const 2; i32.const 3; call 0; drop; drop
  uint32_t t0 = b.type({{I32}, {I32}}, {{I64}});
  b.func(t0, {0x00});
  Bytes body = cat({i32_const(1), i32_const(2), i32_const(3), {0x10, 0, 0x1a, 0x1a}});
  const CompiledFunc& f = lower({}, {}, body);
  EXPECT_EQ(dump_code(v.module->compiled[0]), "0: unreachable\n");
  EXPECT_EQ(dump_code(f),
            "0: const32 s0 1\n"
            "3: const32 s1 2\n"
            "6: const32 s2 3\n"
            "9: call 0 s1\n"
            "12: return s0\n");
  EXPECT_EQ(f.func_index, 1u);
}

TEST_F(Lowering, CallIndirectUsesCanonicalType) {
  b.table({FUNCREF}, 1);
  uint32_t callee = b.type({{I32}}, {{I32}});
  // i32.const 7; i32.const 0; call_indirect (type callee) (table 0)
  const CompiledFunc& f = lower({}, {{I32}}, cat({i32_const(7), i32_const(0), {0x11, uint8_t(callee), 0}}));
  ASSERT_TRUE(v.module);
  const uint32_t id = v.module->type_ids[callee];
  EXPECT_EQ(dump_code(f),
            "0: const32 s0 7\n"
            "3: const32 s1 0\n"
            "6: call_indirect " + std::to_string(id) + " 0 s0 s1\n"
            "11: return s0\n");
}

TEST_F(Lowering, TryTableHandlerTable) {
  // (tag (param i32))
  // block (result i32)
  //   try_table (catch 0 0)  i32.const 1; throw 0  end
  //   i32.const 0
  // end
  uint32_t tt = b.type({{I32}}, {});
  b.tag(tt);
  Bytes body = cat({{0x02, I32, 0x1f, 0x40, 1, 0x00, 0, 0}, i32_const(1), {0x08, 0, 0x0b}, i32_const(0), {0x0b}});
  const CompiledFunc& f = lower({}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s0 1\n"
            "3: throw 0 s0\n"
            "6: return s0\n"
            "handler [0,6) catch tag 0 -> @6 s0\n");
}

TEST_F(Lowering, NestedTryTablesInnermostFirst) {
  // block (result exnref)
  //   block
  //     try_table (catch_all 0)
  //       try_table (catch_all_ref 2) unreachable end
  //     end
  //   end
  //   ref.null exn
  // end
  // drop
  Bytes body = {0x02, EXNREF, 0x02, 0x40, 0x1f, 0x40, 1, 0x02, 0, 0x1f, 0x40, 1, 0x03, 2, 0x00, 0x0b,
                0x0b, 0x0b, 0xd0, 0x69, 0x0b, 0x1a};
  const CompiledFunc& f = lower({}, {}, body);
  EXPECT_EQ(dump_code(f),
            "0: unreachable\n"
            "1: ref.null s0\n"
            "3: return s0\n"
            "handler [0,1) catch_all_ref tag 0 -> @3 s0\n"
            "handler [0,1) catch_all tag 0 -> @1 s0\n");
}

TEST_F(Lowering, MemoryAccess) {
  b.memory(1);
  // local.get 0; i64.load32_u offset=8 align=2; drop
  const CompiledFunc& f = lower({{I32}}, {}, {0x20, 0, 0x35, 2, 8, 0x1a});
  EXPECT_EQ(dump_code(f),
            "0: i64_load32_u_ri s1 s0 0 8\n"  // memory 0, 32-bit: address s0 + 0, offset 8
            "5: return s1\n");
}

TEST_F(Lowering, AddressSumsFuseIntoMemoryZeroAccesses) {
  b.memory(1);
  // local.get 0; i32.const 16; i32.add; i32.load offset=4;
  // local.get 0; local.get 1; i32.add; local.get 1; i32.store8
  Bytes body = cat({{0x20, 0}, i32_const(16), {0x6a, 0x28, 2, 4, 0x1a},
                    {0x20, 0, 0x20, 1, 0x6a, 0x20, 1, 0x3a, 0, 0}});
  const CompiledFunc& f = lower({{I32}, {I32}}, {}, body);
  EXPECT_EQ(dump_code(f),
            "0: i32_load_ri s2 s0 16 4\n"
            "5: i32_store8_rr s0 s1 s1 0\n"
            "10: return s2\n");
}

TEST_F(Lowering, SelectAndRefs) {
  b.declare_funcs({0});
  // ref.func 0; ref.is_null; i32.const 1; i32.const 2; select ... => (i32 i32 i32) select
  Bytes body = cat({{0xd2, 0, 0xd1}, i32_const(1), i32_const(2), {0x1b}});
  const CompiledFunc& f = lower({}, {{I32}}, cat({i32_const(1), i32_const(2), {0xd2, 0, 0xd1, 0x1b}}));
  EXPECT_EQ(dump_code(f),
            "0: const32 s0 1\n"
            "3: const32 s1 2\n"
            "6: ref.func s2 0\n"
            "9: ref.is_null s2 s2\n"
            "12: select s0 s2 s0 s1\n"
            "17: return s0\n");
  (void)body;
}

TEST_F(Lowering, BrOnNull) {
  // (param funcref) block (result i32) i32.const 5; local.get 0; br_on_null 0; drop end
  Bytes body = cat({{0x02, I32}, i32_const(5), {0x20, 0, 0xd5, 0, 0x1a, 0x0b}});
  const CompiledFunc& f = lower({{FUNCREF}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s1 5\n"
            "3: copy s2 s0\n"
            "6: br_on_null s2 @9\n"
            "9: return s1\n");
}

TEST_F(Lowering, BrOnNonNullWithMoves) {
  // (param funcref) (result i32 (ref func))
  // block (result i32 (ref func)) i32.const 1; i32.const 2; local.get 0; br_on_non_null 0;
  //   unreachable end
  uint32_t bt = b.type({}, {{I32}, {REF, 0x70}});
  Bytes body = cat({{0x02, uint8_t(bt)}, i32_const(1), i32_const(2), {0x20, 0, 0xd6, 0, 0x00, 0x0b}});
  const CompiledFunc& f = lower({{FUNCREF}}, {{I32}, {REF, 0x70}}, body);
  EXPECT_EQ(dump_code(f),
            "0: const32 s1 1\n"
            "3: const32 s2 2\n"
            "6: copy s3 s0\n"
            "9: br_on_non_null s3 @15\n"
            "12: unreachable\n"
            "13: return s1\n"
            "15: copy s1 s2\n"
            "18: copy s2 s3\n"
            "21: br @13\n");
}

TEST_F(Lowering, TailCalls) {
  // (func (param i32) (result i32) local.get 0; return_call 0)
  const CompiledFunc& f = lower({{I32}}, {{I32}}, {0x20, 0, 0x12, 0});
  EXPECT_EQ(dump_code(f),
            "0: copy s1 s0\n"
            "3: return_call 0 s1\n");
}

TEST_F(Lowering, CallRef) {
  uint32_t t = b.type({{I32}}, {{I32}});
  // (param (ref t)) (result i32) i32.const 3; local.get 0; call_ref t
  const CompiledFunc& f = lower({{REF, uint8_t(t)}}, {{I32}}, cat({i32_const(3), {0x20, 0, 0x14, uint8_t(t)}}));
  EXPECT_EQ(dump_code(f),
            "0: const32 s1 3\n"
            "3: copy s2 s0\n"
            "6: call_ref s1 s2\n"
            "9: return s1\n");
}

TEST_F(Lowering, TableInstructions) {
  b.table({FUNCREF}, 1);
  // ref.null func; i32.const 2; table.grow 0; drop
  // i32.const 0; ref.null func; i32.const 1; table.fill 0
  // i32.const 0; table.get 0; drop; table.size 0; drop
  Bytes body = cat({{0xd0, 0x70}, i32_const(2), {0xfc, 15, 0, 0x1a}, i32_const(0), {0xd0, 0x70}, i32_const(1),
                    {0xfc, 17, 0}, i32_const(0), {0x25, 0, 0x1a, 0xfc, 16, 0, 0x1a}});
  const CompiledFunc& f = lower({}, {}, body);
  EXPECT_EQ(dump_code(f),
            "0: ref.null s0\n"
            "2: const32 s1 2\n"
            "5: table.grow s0 s0 s1 0\n"
            "10: const32 s0 0\n"
            "13: ref.null s1\n"
            "15: const32 s2 1\n"
            "18: table.fill 0 s0 s1 s2\n"
            "23: const32 s0 0\n"
            "26: table.get s0 s0 0\n"
            "30: table.size s0 0\n"
            "33: return s0\n");
}

TEST_F(Lowering, Memory64AndMultiMemory) {
  b.memory(1);
  b.memory(1, true);
  // i64.const 0; i32.load (memory 1) offset=2^33; drop
  // i32.const 0; i64.const 0; i32.const 4; memory.copy 0 1
  Bytes body = {0x42, 0, 0x28, 0x42, 1, 0x80, 0x80, 0x80, 0x80, 0x20, 0x1a};
  body = cat({body, i32_const(0), {0x42, 0}, i32_const(4), {0xfc, 10, 0, 1}});
  const CompiledFunc& f = lower({}, {}, body);
  EXPECT_EQ(dump_code(f),
            "0: const64 s0 0\n"
            "4: i32.load s0 s0 1 8589934592\n"
            "10: const32 s0 0\n"
            "13: const64 s1 0\n"
            "17: const32 s2 4\n"
            "20: memory.copy 0 1 s0 s1 s2\n"
            "26: return s0\n");
}

TEST_F(Lowering, OffsetMustFitTheAddressType) {
  b.memory(1);
  uint32_t t = b.type({}, {});
  b.func(t, {0x41, 0, 0x28, 2, 0x80, 0x80, 0x80, 0x80, 0x20, 0x1a});
  v = validate_bytes(reg, b.build());
  EXPECT_NE(v.error.find("offset out of range"), std::string::npos) << v.error;
}

TEST_F(Lowering, BrOnCast) {
  // (param anyref) (result i32)
  // block (result (ref i31)) local.get 0; br_on_cast 0 anyref (ref i31); drop; i32.const 0; return end
  // drop; i32.const 1
  Bytes body = cat({{0x02, REF, 0x6c, 0x20, 0, 0xfb, 24, 0x01, 0, 0x6e, 0x6c, 0x1a}, i32_const(0),
                    {0x0f, 0x0b, 0x1a}, i32_const(1)});
  const CompiledFunc& f = lower({{0x6e}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: copy s1 s0\n"
            "3: br_on_cast s1 2147483756 0 @13\n"
            "8: const32 s1 0\n"
            "11: return s1\n"
            "13: const32 s1 1\n"
            "16: return s1\n");
}

TEST_F(Lowering, ConstantExpressions) {
  // (global i32 (i32.add (i32.const 1) (i32.const 2)))
  b.global({I32}, false, cat({i32_const(1), i32_const(2), {0x6a}}));
  lower({}, {}, {});
  ASSERT_TRUE(v.module);
  const Module& m = *v.module;
  ASSERT_EQ(m.const_code.size(), 1u);
  EXPECT_EQ(m.globals[0].init.const_index, 0u);
  EXPECT_EQ(dump_code(m.const_code[0]),
            "0: const32 s0 1\n"
            "3: i32.add_imm s0 s0 2\n"
            "7: return s0\n");
  EXPECT_EQ(m.const_code[0].frame_slots, 2u);
  EXPECT_EQ(m.const_code[0].num_results, 1u);
  EXPECT_TRUE(m.validated);
}

// ---- operand locations, retargeting and superinstructions (validate/fold.cc) ----

TEST_F(Lowering, ConstantOperandAndResultIntoLocal) {
  // local.get 0; i32.const 5; i32.sub; local.set 0; local.get 0
  Bytes body = cat({{0x20, 0}, i32_const(5), {0x6b, 0x21, 0, 0x20, 0}});
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: i32.add_imm s0 s0 4294967291\n"  // x - 5 = x + (-5), written straight to x
            "4: copy s1 s0\n"                     // the result must be in its slot at the end
            "7: return s1\n");
}

TEST_F(Lowering, PendingReadIsMaterializedBeforeTheLocalChanges) {
  // local.get 0; i32.const 7; local.set 0; local.get 0; i32.add
  Bytes body = cat({{0x20, 0}, i32_const(7), {0x21, 0, 0x20, 0, 0x6a}});
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: copy s1 s0\n"
            "3: const32 s0 7\n"
            "6: i32.add s1 s1 s0\n"
            "10: return s1\n");
}

TEST_F(Lowering, ConstantFirstOperandSwapsTheComparison) {
  // i32.const 3; local.get 0; i32.gt_u  (3 > x iff x < 3)
  Bytes body = cat({i32_const(3), {0x20, 0, 0x4b}});
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: i32.lt_u_imm s1 s0 3\n"
            "4: return s1\n");
}

TEST_F(Lowering, FloatProductAndSumFuse) {
  // x - (a * b) with a, b, x params: f64.mul then f64.sub become one mul_rsub.
  const CompiledFunc& f = lower({{F64}, {F64}, {F64}}, {{F64}},
                                {0x20, 2, 0x20, 0, 0x20, 1, 0xa2, 0xa1});
  EXPECT_EQ(dump_code(f),
            "0: f64.mul_rsub s3 s0 s1 s2\n"
            "5: return s3\n");
}

TEST_F(Lowering, FloatProductFusesBothWays) {
  // (a * b) - x, and (a * b) + x in f32.
  const CompiledFunc& f = lower({{F64}, {F64}, {F64}}, {{F64}},
                                {0x20, 0, 0x20, 1, 0xa2, 0x20, 2, 0xa1});
  EXPECT_EQ(dump_code(f),
            "0: f64.mul_sub s3 s0 s1 s2\n"
            "5: return s3\n");
  const CompiledFunc& g = lower({{F32}, {F32}, {F32}}, {{F32}},
                                {0x20, 0, 0x20, 1, 0x94, 0x20, 2, 0x92});
  EXPECT_EQ(dump_code(g),
            "0: f32.mul_add s3 s0 s1 s2\n"
            "5: return s3\n");
}

TEST_F(Lowering, FloatProductWithAConstantDoesNotFuse) {
  // (a * b) + 1.0: the constant is materialized after the product.
  const CompiledFunc& f = lower({{F64}, {F64}}, {{F64}},
                                {0x20, 0, 0x20, 1, 0xa2, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xa0});
  EXPECT_EQ(dump_code(f),
            "0: f64.mul s2 s0 s1\n"
            "4: const64 s3 4607182418800017408\n"
            "8: f64.add s2 s2 s3\n"
            "12: return s2\n");
}

TEST_F(Lowering, ShiftedOperandFusesAndForwards) {
  // (a rotl 6) xor (a rotl 11) xor (b shr_u 3): the first rotate stays, the
  // xors take the other shifts, and each reads its left operand from the
  // instruction before (result forwarding).
  Bytes body = cat({{0x20, 0}, i32_const(6), {0x77, 0x20, 0}, i32_const(11), {0x77, 0x73, 0x20, 1}, i32_const(3),
                    {0x76, 0x73}});
  const CompiledFunc& f = lower({{I32}, {I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: i32.rotl_imm s2 s0 6\n"
            "4: i32.xor_rotl_ra s2 s2 s0 11\n"
            "9: i32.xor_shr_u_ra s2 s2 s1 3\n"
            "14: return s2\n");
}

TEST_F(Lowering, CompareAndBranch) {
  // block local.get 0; i32.const 10; i32.lt_s; br_if 0 end
  Bytes body = cat({{0x02, 0x40, 0x20, 0}, i32_const(10), {0x48, 0x0d, 0, 0x0b}});
  const CompiledFunc& f = lower({{I32}}, {}, body);
  EXPECT_EQ(dump_code(f),
            "0: br_if.i32.lt_s_imm s0 10 @4\n"
            "4: return s1\n");
}

TEST_F(Lowering, IfOnAComparisonBranchesOnItsNegation) {
  // local.get 0; local.get 1; i32.lt_u; if (result i32) i32.const 1 else i32.const 2 end
  Bytes body = cat({{0x20, 0, 0x20, 1, 0x49, 0x04, I32}, i32_const(1), {0x05}, i32_const(2), {0x0b}});
  const CompiledFunc& f = lower({{I32}, {I32}}, {{I32}}, body);
  EXPECT_EQ(dump_code(f),
            "0: br_if.i32.ge_u s0 s1 @9\n"
            "4: const32 s2 1\n"
            "7: br @12\n"
            "9: const32 s2 2\n"
            "12: return s2\n");
}

TEST_F(Lowering, OnlyTheLowestValuesOfAFrameArePending) {
  // 65 x local.get 0, then 65 x i32.add: the 65th read is beyond the window
  // of pending values (kPendingWindow = 64) and is copied at once.
  Bytes body;
  for (int i = 0; i < 65; ++i) body.insert(body.end(), {0x20, 0});
  for (int i = 0; i < 64; ++i) body.push_back(0x6a);
  const CompiledFunc& f = lower({{I32}}, {{I32}}, body);
  const std::string code = dump_code(f);
  EXPECT_EQ(code.substr(0, code.find('\n')), "0: copy s65 s0");
  EXPECT_NE(code.find("3: i32.add s64 s0 s65\n"), std::string::npos);
}

}  // namespace
}  // namespace weft
