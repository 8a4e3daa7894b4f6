// Constants, parametric instructions (select), reference instructions, and
// the constant-expression restriction.
#include "validate/code_validator.h"

namespace weft {

// Constants are emitted only when a slot must hold them (fold.cc).
Status CodeValidator::op_const(const Instr& in) {
  switch (in.op) {
    case Op::i32_const: push(ValType::i32()); break;
    case Op::i64_const: push(ValType::i64()); break;
    case Op::f32_const: push(ValType::f32()); break;
    default: push(ValType::f64()); break;
  }
  const bool narrow = in.op == Op::i32_const || in.op == Op::f32_const;
  locs_[height() - 1] = Loc{narrow ? LocKind::const32 : LocKind::const64, 0,
                            narrow ? uint64_t(uint32_t(in.u64)) : in.u64};
  if (!in_window(height() - 1)) materialize(height() - 1);
  return Status::Ok();
}

Status CodeValidator::op_select(const Instr& in) {
  ValType result;
  if (in.op == Op::select_t) {
    if (in.types.size() != 1) return err("invalid result arity");
    WEFT_TRY(ValType t, ctx_.canon(in.types[0], off_));
    const ValType types[3] = {t, t, ValType::i32()};
    WEFT_CHECK(pop_types(types, 3));
    result = t;
  } else {
    WEFT_CHECK(pop(ValType::i32()));
    WEFT_TRY(ValType t1, pop_any());
    WEFT_TRY(ValType t2, pop_any());
    // Without a type annotation only numeric and vector operands are allowed.
    auto is_num = [](ValType t) { return t.kind == ValKind::bot || t.is_num(); };
    auto is_vec = [](ValType t) { return t.kind == ValKind::bot || t.kind == ValKind::v128; };
    if (!((is_num(t1) && is_num(t2)) || (is_vec(t1) && is_vec(t2))))
      return err("type mismatch: select without type annotation requires numeric operands");
    if (!(t1 == t2) && t1.kind != ValKind::bot && t2.kind != ValKind::bot)
      return err("type mismatch: select operands have different types");
    result = t1.kind == ValKind::bot ? t2 : t1;
  }
  const uint32_t h = height();  // the result's (and the first operand's) height
  if (live_) {
    const uint32_t a = src_slot(h);
    const uint32_t b = src_slot(h + 1);
    const uint32_t cond = src_slot(h + 2);
    emit_op(in.op);
    emit(slot(h));
    emit(cond);
    emit(a);
    emit(b);
    note_result(pos() - 4);
  }
  push(result);
  return Status::Ok();
}

Status CodeValidator::op_ref(const Instr& in) {
  switch (in.op) {
    case Op::ref_null: {
      WEFT_TRY(HeapType ht, ctx_.canon_heap(in.heap0, off_));
      const uint32_t dst = slot(height());
      push(ValType::ref(ht, true));
      if (live_) {
        emit_op(Op::ref_null);
        emit(dst);
      }
      return Status::Ok();
    }
    case Op::ref_is_null: {
      const uint32_t a = top_slot(0);
      WEFT_TRY(ValType t, pop_ref());
      (void)t;
      push(ValType::i32());
      if (live_) {
        emit_op(Op::ref_is_null);
        emit(a);
        emit(a);
      }
      return Status::Ok();
    }
    case Op::ref_func: {
      const uint32_t f = in.idx0;
      if (f >= ctx_.func_type_index.size()) return err(unknown("function", f));
      if (const_mode_) {
        ctx_.declared_funcs[f] = 1;  // occurs outside functions: part of C.refs
      } else if (!ctx_.declared_funcs[f]) {
        return err("undeclared function reference");
      }
      const uint32_t dst = slot(height());
      push(ValType::ref(HeapType::index(ctx_.func_type_id(f)), false));
      if (live_) {
        emit_op(Op::ref_func);
        emit(dst);
        emit(f);
      }
      return Status::Ok();
    }
    case Op::ref_eq: {
      const ValType eqref = ValType::ref_null(AbsHeap::eq);
      const ValType types[2] = {eqref, eqref};
      const uint32_t a = top_slot(1);
      WEFT_CHECK(pop_types(types, 2));
      push(ValType::i32());
      if (live_) {
        emit_op(Op::ref_eq);
        emit(a);
        emit(a);
        emit(a + 1);
      }
      return Status::Ok();
    }
    default: {  // ref.as_non_null
      const uint32_t a = top_slot(0);
      WEFT_TRY(ValType t, pop_ref());
      push(ValType::ref(t.heap, false));
      if (live_) {
        emit_op(Op::ref_as_non_null);
        emit(a);
      }
      return Status::Ok();
    }
  }
}

// Constant expressions admit only constant instructions (extended-const
// arithmetic included); global.get is further checked in op_global.
Status CodeValidator::const_allowed(const Instr& in) {
  switch (in.op) {
    case Op::i32_const:
    case Op::i64_const:
    case Op::f32_const:
    case Op::f64_const:
    case Op::i32_add:
    case Op::i32_sub:
    case Op::i32_mul:
    case Op::i64_add:
    case Op::i64_sub:
    case Op::i64_mul:
    case Op::ref_null:
    case Op::ref_func:
    case Op::global_get:
    case Op::end:
      return Status::Ok();
    case Op::struct_new:
    case Op::struct_new_default:
    case Op::array_new:
    case Op::array_new_default:
    case Op::array_new_fixed:
    case Op::ref_i31:
    case Op::any_convert_extern:
    case Op::extern_convert_any:
      return unsupported();
    default:
      return err("constant expression required");
  }
}

}  // namespace weft
