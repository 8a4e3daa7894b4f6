// Control instructions: blocks, branches, calls, exceptions.
#include "validate/code_validator.h"

namespace weft {

namespace {

ValType ref_exn() { return ValType::ref(HeapType::abstract(AbsHeap::exn), false); }

}  // namespace

Status CodeValidator::block_sig(const BlockType& bt, BlockSig* sig) {
  *sig = BlockSig();
  switch (bt.kind) {
    case BlockType::Kind::empty:
      return Status::Ok();
    case BlockType::Kind::value: {
      WEFT_TRY(ValType t, ctx_.canon(bt.value, off_));
      sig->single = t;
      sig->single_result = true;
      sig->num_results = 1;
      return Status::Ok();
    }
    case BlockType::Kind::index: {
      if (bt.index >= ctx_.num_types()) return err(unknown("type", bt.index));
      if (!ctx_.is_func_type(bt.index)) return err("type mismatch: block type is not a function type");
      const FuncType& ft = ctx_.func_type_of_type(bt.index);
      sig->params = ft.params.data();
      sig->num_params = uint32_t(ft.params.size());
      sig->results = ft.results.data();
      sig->num_results = uint32_t(ft.results.size());
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Status CodeValidator::label(uint32_t depth) {
  if (depth >= ctrls_.size()) return err(unknown("label", depth));
  return Status::Ok();
}

// block, loop, if
Status CodeValidator::op_block(const Instr& in) {
  BlockSig sig;
  WEFT_CHECK(block_sig(in.block, &sig));
  uint32_t cond_slot = 0;
  FusedBranch fused;
  if (live_) {
    // Values enter blocks in their own slots (fold.cc); if's condition is
    // read where it is, or its comparison fused with the branch.
    uint32_t top = height();
    if (in.op == Op::if_ && top > ctrls_.back().height && !take_compare(--top, true, &fused))
      cond_slot = src_slot(top);
    materialize_range(ctrls_.back().height, window_end(top));
  }
  if (in.op == Op::if_) WEFT_CHECK(pop(ValType::i32()));
  WEFT_CHECK(pop_types(sig.params, sig.num_params));
  const FrameKind kind =
      in.op == Op::loop ? FrameKind::loop : in.op == Op::if_ ? FrameKind::if_ : FrameKind::block;
  push_frame(kind, sig);
  Frame& f = ctrls_.back();
  if (kind == FrameKind::loop) {
    resolve_label(f.label_id);
    // Every back-edge runs the check (fuel, deadlines, interrupts).
    if (live_ && ctx_.m.interrupt_checks) emit_op(Op::check);
  }
  if (kind == FrameKind::if_ && live_) {
    if (fused.n) {
      emit_words(fused);
    } else {
      emit_op(Op::br_unless);
      emit(cond_slot);
    }
    f.else_patch = pos();
    emit(0);
  }
  return Status::Ok();
}

Status CodeValidator::op_else() {
  Frame& f = ctrls_.back();
  if (f.kind != FrameKind::if_) return make_error(ErrorKind::malformed, "else without if", Location::at_byte(off_));
  WEFT_CHECK(check_frame_end(f));
  reset_locals(f.init_height);
  if (live_) {
    // The then-branch jumps over the else-branch.
    f.targeted = true;
    emit_op(Op::br);
    emit_label_ref(f.label_id);
  }
  if (f.else_patch != kNone) {
    (*code_)[f.else_patch] = pos();
    f.else_patch = kNone;
    fence();
  }
  live_ = f.entry_live;
  f.kind = FrameKind::else_;
  f.unreachable = false;
  push_types(f.params, f.num_params);
  return Status::Ok();
}

Status CodeValidator::op_end() {
  {
    Frame& f = ctrls_.back();
    WEFT_CHECK(check_frame_end(f));
    if (f.kind == FrameKind::if_) {
      // An if without else: the missing else-branch passes its inputs on.
      reset_locals(f.init_height);
      f.unreachable = false;
      push_types(f.params, f.num_params);
      WEFT_CHECK(check_frame_end(f));
    }
    reset_locals(f.init_height);
  }
  const Frame f = ctrls_.back();
  ctrls_.pop_back();

  bool live_after = live_ || f.targeted;
  if (f.kind == FrameKind::loop) live_after = live_;
  if (f.kind == FrameKind::if_ && f.entry_live) live_after = true;

  if (f.else_patch != kNone) (*code_)[f.else_patch] = pos();
  if (f.kind == FrameKind::try_table && f.entry_live) emit_handlers(f);
  if (f.kind != FrameKind::loop) resolve_label(f.label_id);
  live_ = live_after;

  if (f.kind == FrameKind::func) {
    if (live_) {
      emit_op(Op::return_);
      emit(slot(0));
      if (f.num_results > max_height_) max_height_ = f.num_results;
    }
    return Status::Ok();
  }
  push_types(f.results(), f.num_results);
  return Status::Ok();
}

Status CodeValidator::check_catch(const CatchClause& c, uint32_t* label_depth) {
  WEFT_CHECK(label(c.label));
  *label_depth = c.label;
  const Frame& l = ctrls_[ctrls_.size() - 1 - c.label];
  const ValType* lt = l.label_types();
  const uint32_t n = l.label_arity();
  const bool with_ref = c.kind == HandlerEntry::Kind::catch_ref || c.kind == HandlerEntry::Kind::catch_all_ref;
  const ValType* params = nullptr;
  uint32_t np = 0;
  if (c.kind == HandlerEntry::Kind::catch_ || c.kind == HandlerEntry::Kind::catch_ref) {
    if (c.tag >= ctx_.tag_type_index.size()) return err(unknown("tag", c.tag));
    const FuncType& ft = ctx_.func_type_of_type(ctx_.tag_type_index[c.tag]);
    if (!ft.results.empty()) return err("type mismatch: catch of a tag with results");
    params = ft.params.data();
    np = uint32_t(ft.params.size());
  }
  const uint32_t total = np + (with_ref ? 1 : 0);
  bool ok = total == n;
  for (uint32_t i = 0; ok && i < np; ++i) ok = ctx_.matches(params[i], lt[i]);
  if (ok && with_ref) ok = ctx_.matches(ref_exn(), lt[n - 1]);
  if (!ok) return err("type mismatch: catch handler does not match its label type");
  return Status::Ok();
}

Status CodeValidator::op_try_table(const Instr& in) {
  BlockSig sig;
  WEFT_CHECK(block_sig(in.block, &sig));
  WEFT_CHECK(pop_types(sig.params, sig.num_params));
  const uint32_t first = uint32_t(pending_catches_.size());
  for (const CatchClause& c : in.catches) {
    uint32_t depth = 0;
    WEFT_CHECK(check_catch(c, &depth));
    if (live_) {
      Frame& l = ctrls_[ctrls_.size() - 1 - depth];
      l.targeted = true;
      pending_catches_.push_back({c.kind, c.tag, l.label_id, l.height});
    }
  }
  push_frame(FrameKind::try_table, sig);
  Frame& f = ctrls_.back();
  f.catch_first = first;
  f.catch_count = uint32_t(pending_catches_.size()) - first;
  f.body_start = pos();
  fence();
  return Status::Ok();
}

Status CodeValidator::op_br(const Instr& in) {
  WEFT_CHECK(label(in.idx0));
  const Frame& f = ctrls_[ctrls_.size() - 1 - in.idx0];
  WEFT_CHECK(pop_types(f.label_types(), f.label_arity()));
  // In live code the popped values sit right above the new height.
  if (live_) emit_branch(in.idx0, height());
  set_unreachable();
  return Status::Ok();
}

Status CodeValidator::op_br_if(const Instr& in) {
  WEFT_CHECK(label(in.idx0));
  uint32_t cond = 0;
  FusedBranch fused;
  if (live_ && height() > ctrls_.back().height) {
    // The condition is read where it is (or its comparison fused with the
    // branch); carried values go through slots.
    if (!take_compare(height() - 1, false, &fused)) cond = src_slot(height() - 1);
    const uint32_t carried = ctrls_[ctrls_.size() - 1 - in.idx0].label_arity();
    if (height() - 1 - ctrls_.back().height >= carried) materialize_range(height() - 1 - carried, height() - 1);
  }
  WEFT_CHECK(pop(ValType::i32()));
  const Frame& f = ctrls_[ctrls_.size() - 1 - in.idx0];
  const uint32_t n = f.label_arity();
  const ValType* types = f.label_types();
  WEFT_CHECK(pop_types(types, n));
  const uint32_t src = height();
  push_types(types, n);
  if (live_) {
    if (fused.n) {
      emit_words(fused);
    } else {
      emit_op(Op::br_if);
      emit(cond);
    }
    emit_cond_target(in.idx0, src);
  }
  return Status::Ok();
}

Status CodeValidator::op_br_table(const Instr& in) {
  if (in.labels.empty()) return make_error(ErrorKind::malformed, "br_table without default", Location::at_byte(off_));
  // The index is read where it is; carried values go through slots.
  uint32_t index = 0;
  if (live_ && height() > ctrls_.back().height) index = src_slot(height() - 1);
  WEFT_CHECK(pop(ValType::i32()));
  const uint32_t def = in.labels.back();
  WEFT_CHECK(label(def));
  const uint32_t arity = ctrls_[ctrls_.size() - 1 - def].label_arity();
  if (live_ && height() - ctrls_.back().height >= arity) materialize_range(height() - arity, height());
  scratch_.resize(arity);
  for (size_t i = 0; i + 1 < in.labels.size(); ++i) {
    const uint32_t l = in.labels[i];
    WEFT_CHECK(label(l));
    const Frame& f = ctrls_[ctrls_.size() - 1 - l];
    if (f.label_arity() != arity) return err("type mismatch: br_table targets have inconsistent arity");
    // Check against this label, then restore the actual operand types.
    WEFT_CHECK(pop_types(f.label_types(), arity, scratch_.data()));
    push_types(scratch_.data(), arity);
  }
  const Frame& d = ctrls_[ctrls_.size() - 1 - def];
  WEFT_CHECK(pop_types(d.label_types(), arity));
  if (live_) {
    const uint32_t src = height();
    if (table_cache_.size() < ctrls_.size()) table_cache_.resize(ctrls_.size(), {0, kNone});
    if (++table_stamp_ == 0) {  // wrapped: forget every entry
      table_cache_.assign(table_cache_.size(), {0, kNone});
      table_stamp_ = 1;
    }
    emit_op(Op::br_table);
    emit(index);
    emit(uint32_t(in.labels.size() - 1));
    for (uint32_t l : in.labels) emit_cond_target(l, src, true);
  }
  set_unreachable();
  return Status::Ok();
}

Status CodeValidator::op_br_on_null(const Instr& in, bool on_non_null) {
  WEFT_CHECK(label(in.idx0));
  const Frame& f = ctrls_[ctrls_.size() - 1 - in.idx0];
  const uint32_t n = f.label_arity();
  const ValType* types = f.label_types();
  const uint32_t ref = top_slot(0);
  if (!on_non_null) {
    // [t* (ref null ht)] -> [t* (ref ht)], branching with t* when null.
    WEFT_TRY(ValType rt, pop_ref());
    WEFT_CHECK(pop_types(types, n));
    const uint32_t src = height();
    push_types(types, n);
    push(ValType::ref(rt.heap, false));
    if (live_) {
      emit_op(Op::br_on_null);
      emit(ref);
      emit_cond_target(in.idx0, src);
    }
    return Status::Ok();
  }
  // Label [t* (ref ht)]: [t* (ref null ht)] -> [t*], branching with all when non-null.
  if (n == 0 || types[n - 1].kind != ValKind::ref)
    return err("type mismatch: br_on_non_null requires a label ending in a reference type");
  WEFT_CHECK(pop(ValType::ref(types[n - 1].heap, true)));
  WEFT_CHECK(pop_types(types, n - 1));
  const uint32_t src = height();
  push_types(types, n - 1);
  if (live_) {
    emit_op(Op::br_on_non_null);
    emit(ref);
    emit_cond_target(in.idx0, src);
  }
  return Status::Ok();
}

Status CodeValidator::op_return() {
  const FuncType& ft = *func_type_;
  WEFT_CHECK(pop_types(ft.results.data(), uint32_t(ft.results.size())));
  if (live_) {
    emit_op(Op::return_);
    emit(slot(height()));
  }
  set_unreachable();
  return Status::Ok();
}

// return_call*: the callee's results must match the caller's.
Status CodeValidator::check_return_results(const FuncType& ft) {
  const FuncType& own = *func_type_;
  bool ok = ft.results.size() == own.results.size();
  for (size_t i = 0; ok && i < ft.results.size(); ++i) ok = ctx_.matches(ft.results[i], own.results[i]);
  if (!ok) return err("type mismatch: tail call results do not match the function's results");
  return Status::Ok();
}

Status CodeValidator::op_call(const Instr& in) {
  const uint32_t f = in.idx0;
  if (f >= ctx_.func_type_index.size()) return err(unknown("function", f));
  const FuncType& ft = ctx_.func_type(f);
  const bool tail = in.op == Op::return_call;
  if (tail) WEFT_CHECK(check_return_results(ft));
  WEFT_CHECK(pop_types(ft.params.data(), uint32_t(ft.params.size())));
  const uint32_t base = slot(height());
  if (live_) {
    emit_op(in.op);
    emit(f);
    emit(base);
  }
  if (tail) {
    set_unreachable();
  } else {
    push_types(ft.results.data(), uint32_t(ft.results.size()));
  }
  return Status::Ok();
}

Status CodeValidator::op_call_indirect(const Instr& in) {
  const uint32_t type = in.idx0;
  const TableType* tt = nullptr;
  WEFT_CHECK(table_index(in.idx1, &tt));
  if (!ctx_.matches(tt->elem, ValType::funcref()))
    return err("type mismatch: call_indirect requires a table of function references");
  if (type >= ctx_.num_types()) return err(unknown("type", type));
  if (!ctx_.is_func_type(type)) return err("type mismatch: call_indirect requires a function type");
  const FuncType& ft = ctx_.func_type_of_type(type);
  const bool tail = in.op == Op::return_call_indirect;
  if (tail) WEFT_CHECK(check_return_results(ft));
  const uint32_t index = top_slot(0);
  WEFT_CHECK(pop(tt->limits.is64 ? ValType::i64() : ValType::i32()));
  WEFT_CHECK(pop_types(ft.params.data(), uint32_t(ft.params.size())));
  const uint32_t base = slot(height());
  if (live_) {
    emit_op(in.op);
    emit(ctx_.type_ids[type]);
    emit(in.idx1);
    emit(base);
    emit(index);
  }
  if (tail) {
    set_unreachable();
  } else {
    push_types(ft.results.data(), uint32_t(ft.results.size()));
  }
  return Status::Ok();
}

Status CodeValidator::op_call_ref(const Instr& in) {
  const uint32_t type = in.idx0;
  if (type >= ctx_.num_types()) return err(unknown("type", type));
  if (!ctx_.is_func_type(type)) return err("type mismatch: call_ref requires a function type");
  const FuncType& ft = ctx_.func_type_of_type(type);
  const bool tail = in.op == Op::return_call_ref;
  if (tail) WEFT_CHECK(check_return_results(ft));
  const uint32_t ref = top_slot(0);
  WEFT_CHECK(pop(ValType::ref(HeapType::index(ctx_.type_ids[type]), true)));
  WEFT_CHECK(pop_types(ft.params.data(), uint32_t(ft.params.size())));
  const uint32_t base = slot(height());
  if (live_) {
    emit_op(in.op);
    emit(base);
    emit(ref);
  }
  if (tail) {
    set_unreachable();
  } else {
    push_types(ft.results.data(), uint32_t(ft.results.size()));
  }
  return Status::Ok();
}

Status CodeValidator::op_throw(const Instr& in) {
  const uint32_t tag = in.idx0;
  if (tag >= ctx_.tag_type_index.size()) return err(unknown("tag", tag));
  const FuncType& ft = ctx_.func_type_of_type(ctx_.tag_type_index[tag]);
  if (!ft.results.empty()) return err("type mismatch: throw of a tag with results");
  WEFT_CHECK(pop_types(ft.params.data(), uint32_t(ft.params.size())));
  if (live_) {
    emit_op(Op::throw_);
    emit(tag);
    emit(slot(height()));
  }
  set_unreachable();
  return Status::Ok();
}

Status CodeValidator::op_throw_ref() {
  const uint32_t ref = top_slot(0);
  WEFT_CHECK(pop(ValType::exnref()));
  if (live_) {
    emit_op(Op::throw_ref);
    emit(ref);
  }
  set_unreachable();
  return Status::Ok();
}

}  // namespace weft
