// Reference casts: ref.test, ref.cast, br_on_cast, br_on_cast_fail.
// The heap type operand in lowered code is HeapType::bits in canonical form
// (a canonical type id, or kAbstractBit | the abstract heap code).
#include "validate/code_validator.h"

namespace weft {

Status CodeValidator::op_ref_test_cast(const Instr& in) {
  WEFT_TRY(HeapType ht, ctx_.canon_heap(in.heap0, off_));
  // Continuations cannot be cast (stack switching: "rt castable").
  if (ctx_.reg.top_of(ht) == AbsHeap::cont) return err("invalid cast");
  const bool nullable = in.op == Op::ref_test_null || in.op == Op::ref_cast_null;
  const bool is_test = in.op == Op::ref_test || in.op == Op::ref_test_null;
  // The principal input type is the top of the target's hierarchy.
  const ValType input = ValType::ref(HeapType::abstract(ctx_.reg.top_of(ht)), true);
  const uint32_t a = top_slot(0);
  WEFT_CHECK(pop(input));
  push(is_test ? ValType::i32() : ValType::ref(ht, nullable));
  if (live_) {
    emit_op(in.op);
    if (is_test) emit(a);  // ref_test dst a heap; ref_cast a heap
    emit(a);
    emit(ht.bits);
  }
  return Status::Ok();
}

Status CodeValidator::op_br_on_cast(const Instr& in) {
  WEFT_CHECK(label(in.idx0));
  WEFT_TRY(HeapType h1, ctx_.canon_heap(in.heap0, off_));
  WEFT_TRY(HeapType h2, ctx_.canon_heap(in.heap1, off_));
  const ValType rt1 = ValType::ref(h1, (in.cast_flags & 1) != 0);
  const ValType rt2 = ValType::ref(h2, (in.cast_flags & 2) != 0);
  if (ctx_.reg.top_of(h2) == AbsHeap::cont) return err("invalid cast");
  if (!ctx_.matches(rt2, rt1)) return err("type mismatch: br_on_cast target type must match the source type");
  // rt1 \ rt2: a null cannot remain when the target type admits it.
  const ValType diff = ValType::ref(h1, rt1.nullable && !rt2.nullable);
  const bool on_fail = in.op == Op::br_on_cast_fail;
  const Frame& f = ctrls_[ctrls_.size() - 1 - in.idx0];
  const uint32_t n = f.label_arity();
  const ValType* types = f.label_types();
  if (n == 0 || types[n - 1].kind != ValKind::ref)
    return err("type mismatch: br_on_cast requires a label ending in a reference type");
  // The branch carries rt2 (br_on_cast) or rt1 \ rt2 (br_on_cast_fail).
  if (!ctx_.matches(on_fail ? diff : rt2, types[n - 1]))
    return err("type mismatch: br_on_cast type does not match the label");
  const uint32_t a = top_slot(0);
  WEFT_CHECK(pop(rt1));
  WEFT_CHECK(pop_types(types, n - 1));
  const uint32_t src = height();
  push_types(types, n - 1);
  push(on_fail ? rt2 : diff);
  if (live_) {
    emit_op(in.op);
    emit(a);
    emit(h2.bits);
    emit(rt2.nullable ? 1 : 0);
    emit_cond_target(in.idx0, src);
  }
  return Status::Ok();
}

}  // namespace weft
