// Stack switching (proposals/stack-switching/Explainer.md, "Instructions"):
// cont.new, cont.bind, resume, resume_throw, resume_throw_ref, suspend and
// switch, with their handler clauses. Lowered formats are in interp/code.h.
#include "validate/code_validator.h"

namespace weft {

namespace {

std::string types_string(const ValType* ts, uint32_t n) {
  std::string s = "[";
  for (uint32_t i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += to_string(ts[i]);
  }
  return s + "]";
}

}  // namespace

// [t1*] -> [t2*] <: [t1'*] -> [t2'*]: parameters contravariant, results covariant.
bool CodeValidator::func_matches(const ValType* p1, uint32_t np1, const ValType* r1, uint32_t nr1,
                                 const FuncType& super) const {
  if (np1 != super.params.size() || nr1 != super.results.size()) return false;
  for (uint32_t i = 0; i < np1; ++i)
    if (!ctx_.matches(super.params[i], p1[i])) return false;
  for (uint32_t i = 0; i < nr1; ++i)
    if (!ctx_.matches(r1[i], super.results[i])) return false;
  return true;
}

// The module type index of canonical type `id`, for messages.
uint32_t CodeValidator::type_index_of(uint32_t id) const {
  for (uint32_t i = 0; i < ctx_.num_types(); ++i)
    if (ctx_.type_ids[i] == id) return i;
  return id;
}

Status CodeValidator::cont_type(uint32_t type_index, const FuncType** ft) {
  if (type_index >= ctx_.num_types()) return err(unknown("type", type_index));
  const SubType& st = *ctx_.types[type_index];
  if (st.comp.kind != CompKind::cont) return err("non-continuation type " + std::to_string(type_index));
  *ft = &ctx_.reg.func_type(st.comp.cont.func.idx());
  return Status::Ok();
}

Status CodeValidator::tag_type(uint32_t tag, const FuncType** ft) {
  if (tag >= ctx_.tag_type_index.size()) return err(unknown("tag", tag));
  *ft = &ctx_.func_type_of_type(ctx_.tag_type_index[tag]);
  return Status::Ok();
}

// Handler clauses of a resume whose continuation returns `results`. An
// (on $e $l) clause receives the tag's parameters and the suspended
// continuation, of a type [tag results] -> [results] (or a supertype); an
// (on $e switch) clause needs a tag [] -> [results].
Status CodeValidator::check_resume_handlers(const Instr& in, const FuncType& ct) {
  for (const ResumeHandler& h : in.handlers) {
    const FuncType* tt = nullptr;
    WEFT_CHECK(tag_type(h.tag, &tt));
    if (h.is_switch) {
      if (!tt->params.empty()) return err("type mismatch: switch handler tag must not have parameters");
      bool ok = tt->results.size() == ct.results.size();
      for (size_t i = 0; ok && i < ct.results.size(); ++i) ok = ctx_.matches(tt->results[i], ct.results[i]);
      if (!ok) return err("type mismatch: switch handler tag results do not match the continuation's results");
      continue;
    }
    WEFT_CHECK(label(h.label));
    const Frame& l = ctrls_[ctrls_.size() - 1 - h.label];
    const ValType* lt = l.label_types();
    const uint32_t n = l.label_arity();
    if (n == 0 || lt[n - 1].kind != ValKind::ref)
      return err("type mismatch: instruction requires continuation reference type but label has " +
                 types_string(lt, n));
    const ValType last = lt[n - 1];
    if (last.heap.is_abstract())
      return err("type mismatch: instruction requires concrete continuation reference type but label has " +
                 types_string(lt, n));
    const SubType& st = ctx_.reg.get(last.heap.idx());
    if (st.comp.kind != CompKind::cont)
      return err("non-continuation type " + std::to_string(type_index_of(last.heap.idx())));
    const FuncType& handler_ct = ctx_.reg.func_type(st.comp.cont.func.idx());
    if (!func_matches(tt->results.data(), uint32_t(tt->results.size()), ct.results.data(),
                      uint32_t(ct.results.size()), handler_ct))
      return err("type mismatch in continuation type");
    bool ok = tt->params.size() + 1 == n;
    for (uint32_t i = 0; ok && i + 1 < n; ++i) ok = ctx_.matches(tt->params[i], lt[i]);
    if (!ok) return err("type mismatch: handler label does not match the tag's parameters");
    if (live_) {
      Frame& target = ctrls_[ctrls_.size() - 1 - h.label];
      target.targeted = true;
    }
  }
  return Status::Ok();
}

void CodeValidator::emit_resume_handlers(const Instr& in) {
  emit(uint32_t(in.handlers.size()));
  for (const ResumeHandler& h : in.handlers) {
    emit(h.tag);
    if (h.is_switch) {
      emit(kSwitchClause);
      emit(0);
      continue;
    }
    const Frame& l = ctrls_[ctrls_.size() - 1 - h.label];
    emit_label_ref(l.label_id);
    emit(slot(l.height));
  }
}

Status CodeValidator::op_cont_new(const Instr& in) {
  const FuncType* ft = nullptr;
  WEFT_CHECK(cont_type(in.idx0, &ft));
  const uint32_t func_type = ctx_.types[in.idx0]->comp.cont.func.idx();
  const uint32_t a = top_slot(0);
  WEFT_CHECK(pop(ValType::ref(HeapType::index(func_type), true)));
  push(ValType::ref(HeapType::index(ctx_.type_ids[in.idx0]), false));
  if (live_) {
    emit_op(Op::cont_new);
    emit(a);
    emit(a);
  }
  return Status::Ok();
}

// cont.bind $ct $ct': [t1* (ref null $ct)] -> [(ref $ct')] where
// $ct = cont [t1* t1'*] -> [t2*] and [t1'*] -> [t2*] <: $ct''s function type.
Status CodeValidator::op_cont_bind(const Instr& in) {
  const FuncType* from = nullptr;
  const FuncType* to = nullptr;
  WEFT_CHECK(cont_type(in.idx0, &from));
  WEFT_CHECK(cont_type(in.idx1, &to));
  if (from->params.size() < to->params.size()) return err("type mismatch in continuation arguments");
  const uint32_t bound = uint32_t(from->params.size() - to->params.size());
  if (!func_matches(from->params.data() + bound, uint32_t(to->params.size()), from->results.data(),
                    uint32_t(from->results.size()), *to))
    return err("type mismatch in continuation types");
  const uint32_t ref = top_slot(0);
  WEFT_CHECK(pop(ValType::ref(HeapType::index(ctx_.type_ids[in.idx0]), true)));
  WEFT_CHECK(pop_types(from->params.data(), bound));
  const uint32_t base = slot(height());
  push(ValType::ref(HeapType::index(ctx_.type_ids[in.idx1]), false));
  if (live_) {
    emit_op(Op::cont_bind);
    emit(base);
    emit(ref);
    emit(bound);
  }
  return Status::Ok();
}

// resume $ct hdl*: [t1* (ref null $ct)] -> [t2*]
// resume_throw $ct $e hdl*: [te* (ref null $ct)] -> [t2*]
// resume_throw_ref $ct hdl*: [exnref (ref null $ct)] -> [t2*]
Status CodeValidator::op_resume(const Instr& in) {
  const FuncType* ct = nullptr;
  WEFT_CHECK(cont_type(in.idx0, &ct));
  const FuncType* exn_type = nullptr;
  if (in.op == Op::resume_throw) {
    WEFT_CHECK(tag_type(in.idx1, &exn_type));
    if (!exn_type->results.empty()) return err("type mismatch: resume_throw of a tag with results");
  }
  WEFT_CHECK(check_resume_handlers(in, *ct));
  const uint32_t ref = top_slot(0);
  WEFT_CHECK(pop(ValType::ref(HeapType::index(ctx_.type_ids[in.idx0]), true)));
  uint32_t third = 0;  // resume: argument count; resume_throw: tag; resume_throw_ref: exn slot
  switch (in.op) {
    case Op::resume:
      WEFT_CHECK(pop_types(ct->params.data(), uint32_t(ct->params.size())));
      third = uint32_t(ct->params.size());
      break;
    case Op::resume_throw:
      WEFT_CHECK(pop_types(exn_type->params.data(), uint32_t(exn_type->params.size())));
      third = in.idx1;
      break;
    default:
      third = top_slot(0);
      WEFT_CHECK(pop(ValType::exnref()));
      break;
  }
  const uint32_t base = slot(height());
  push_types(ct->results.data(), uint32_t(ct->results.size()));
  if (live_) {
    emit_op(in.op);
    emit(base);
    emit(ref);
    emit(third);
    emit_resume_handlers(in);
  }
  return Status::Ok();
}

// suspend $e: [t1*] -> [t2*] for $e : [t1*] -> [t2*]
Status CodeValidator::op_suspend(const Instr& in) {
  const FuncType* tt = nullptr;
  WEFT_CHECK(tag_type(in.idx0, &tt));
  WEFT_CHECK(pop_types(tt->params.data(), uint32_t(tt->params.size())));
  const uint32_t base = slot(height());
  push_types(tt->results.data(), uint32_t(tt->results.size()));
  if (live_) {
    emit_op(Op::suspend);
    emit(in.idx0);
    emit(base);
  }
  return Status::Ok();
}

// switch $ct1 $e: [t1* (ref null $ct1)] -> [t2*] where $e : [] -> [t*],
// $ct1 = cont [t1* (ref null? $ct2)] -> [te1*], te1* <: t*,
// $ct2 = cont [t2*] -> [te2*], t* <: te2*.
Status CodeValidator::op_switch(const Instr& in) {
  const FuncType* ct1 = nullptr;
  WEFT_CHECK(cont_type(in.idx0, &ct1));
  const uint32_t n1 = uint32_t(ct1->params.size());
  if (n1 == 0 || ct1->params[n1 - 1].kind != ValKind::ref || ct1->params[n1 - 1].heap.is_abstract() ||
      ctx_.reg.get(ct1->params[n1 - 1].heap.idx()).comp.kind != CompKind::cont)
    return err("type mismatch: instruction requires continuation reference type but the type annotation has " +
               types_string(ct1->params.data(), n1));
  const FuncType& ct2 = ctx_.reg.func_type(ctx_.reg.get(ct1->params[n1 - 1].heap.idx()).comp.cont.func.idx());
  const FuncType* tt = nullptr;
  WEFT_CHECK(tag_type(in.idx1, &tt));
  if (!tt->params.empty()) return err("type mismatch in switch tag");
  bool ok = ct1->results.size() == tt->results.size() && tt->results.size() == ct2.results.size();
  for (size_t i = 0; ok && i < tt->results.size(); ++i)
    ok = ctx_.matches(ct1->results[i], tt->results[i]) && ctx_.matches(tt->results[i], ct2.results[i]);
  if (!ok) return err("type mismatch in continuation types");
  const uint32_t ref = top_slot(0);
  WEFT_CHECK(pop(ValType::ref(HeapType::index(ctx_.type_ids[in.idx0]), true)));
  WEFT_CHECK(pop_types(ct1->params.data(), n1 - 1));
  const uint32_t base = slot(height());
  push_types(ct2.params.data(), uint32_t(ct2.params.size()));
  if (live_) {
    emit_op(Op::switch_);
    emit(in.idx1);
    emit(base);
    emit(ref);
    emit(n1 - 1);
  }
  return Status::Ok();
}

}  // namespace weft
