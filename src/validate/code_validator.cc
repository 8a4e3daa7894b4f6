// Driver of the code validator: function/constant-expression setup, the
// instruction loop and dispatch, and the operand/control stack primitives.
#include "validate/code_validator.h"

#include <algorithm>

#include "validate/forward.h"

namespace weft {

CodeValidator::CodeValidator(ModuleContext& ctx) : ctx_(ctx) {}

void CodeValidator::reset(uint32_t num_locals, CompiledFunc* out) {
  out_ = out;
  code_ = &out->code;
  num_locals_ = num_locals;
  vals_.clear();
  ctrls_.clear();
  inits_.clear();
  live_ = true;
  max_height_ = 0;
  last_end_ = kNone;
  label_addr_.clear();
  label_refs_.clear();
  handler_refs_.clear();
  stubs_.clear();
  stub_refs_.clear();
  pending_catches_.clear();
}

Status CodeValidator::function(uint32_t def_index, CompiledFunc* out) {
  const Module& m = ctx_.m;
  const FuncDecl& fd = m.funcs[def_index];
  const uint32_t func_index = uint32_t(ctx_.func_type_index.size() - m.funcs.size()) + def_index;
  const FuncType& ft = ctx_.func_type(func_index);
  const uint64_t body_off = fd.body_offset;

  // Locals: parameters (set), then declared locals (set iff defaultable).
  uint64_t total = ft.params.size();
  for (const LocalDecl& d : fd.locals) total += d.count;
  if (total > 50000000)
    return make_error(ErrorKind::malformed, "too many locals", Location::at_byte(body_off));
  locals_.clear();
  local_init_.clear();
  locals_.reserve(total);
  local_init_.reserve(total);
  for (const ValType& t : ft.params) {
    locals_.push_back(t);
    local_init_.push_back(1);
  }
  for (const LocalDecl& d : fd.locals) {
    WEFT_TRY(ValType t, ctx_.canon(d.type, body_off));
    const bool defaultable = t.kind != ValKind::ref || t.nullable;
    locals_.insert(locals_.end(), d.count, t);
    local_init_.insert(local_init_.end(), d.count, uint8_t(defaultable));
  }

  const uint32_t hidden = plan_hidden_slots(
      Reader(m.bytes.data() + fd.body_offset, m.bytes.data() + fd.body_offset + fd.body_size, body_off),
      uint32_t(total));
  reset(uint32_t(total) + hidden, out);
  const_mode_ = false;
  func_type_ = &ft;
  out->code.clear();
  out->code.reserve(fd.body_size * 2 + 8);
  out->handlers.clear();
  out->num_params = uint32_t(ft.params.size());
  out->num_results = uint32_t(ft.results.size());
  out->num_locals = uint32_t(total) + hidden;  // hidden slots are zeroed like locals
  out->type_id = ctx_.func_type_id(func_index);
  out->func_index = func_index;

  BlockSig sig;
  sig.results = ft.results.data();
  sig.num_results = uint32_t(ft.results.size());
  push_frame(FrameKind::func, sig);
  if (m.interrupt_checks) emit_op(Op::check);
  emit_pool();

  Reader r(m.bytes.data() + fd.body_offset, m.bytes.data() + fd.body_offset + fd.body_size, body_off);
  WEFT_CHECK(run(r));
  out->frame_slots = num_locals_ + max_height_;
  return Status::Ok();
}

Status CodeValidator::const_expr(const ExprRange& expr, ValType expected, uint32_t global_limit,
                                 CompiledFunc* out) {
  const Module& m = ctx_.m;
  locals_.clear();
  local_init_.clear();
  zero_slot_ = kNone;
  pool_.clear();
  reset(0, out);
  const_mode_ = true;
  global_limit_ = global_limit;
  func_type_ = nullptr;
  out->code.clear();
  out->handlers.clear();
  out->num_params = 0;
  out->num_results = 1;
  out->num_locals = 0;
  out->type_id = 0;
  out->func_index = 0;

  BlockSig sig;
  sig.single = expected;
  sig.single_result = true;
  sig.num_results = 1;
  push_frame(FrameKind::func, sig);

  Reader r(m.bytes.data() + expr.offset, m.bytes.data() + expr.offset + expr.size, expr.offset);
  WEFT_CHECK(run(r));
  out->frame_slots = max_height_;
  return Status::Ok();
}

Status CodeValidator::run(Reader& r) {
  while (!ctrls_.empty()) {
    if (r.at_end()) return r.error("unexpected end of section or function");
    WEFT_CHECK(read_instr(r, &instr_));
    WEFT_CHECK(instr(instr_));
  }
  if (!r.at_end()) return r.error("operators remaining after end of function");
  finish_code();
  if (ctx_.m.forward_results) forward_results(*out_);
  return Status::Ok();
}

Error CodeValidator::unsupported() const {
  return invalid_at(off_, std::string("unsupported instruction ") + std::string(op_info(instr_.op).text));
}

Status CodeValidator::instr(const Instr& in) {
  off_ = in.offset;
  if (const_mode_) WEFT_CHECK(const_allowed(in));
  if (live_ && !reads_locations(in.op)) materialize_frame();
  switch (in.op) {
    case Op::unreachable:
      if (live_) emit_op(Op::unreachable);
      set_unreachable();
      return Status::Ok();
    case Op::nop:
      return Status::Ok();
    case Op::block:
    case Op::loop:
    case Op::if_:
      return op_block(in);
    case Op::else_:
      return op_else();
    case Op::end:
      return op_end();
    case Op::try_table:
      return op_try_table(in);
    case Op::br:
      return op_br(in);
    case Op::br_if:
      return op_br_if(in);
    case Op::br_table:
      return op_br_table(in);
    case Op::br_on_null:
      return op_br_on_null(in, false);
    case Op::br_on_non_null:
      return op_br_on_null(in, true);
    case Op::return_:
      return op_return();
    case Op::call:
    case Op::return_call:
      return op_call(in);
    case Op::call_indirect:
    case Op::return_call_indirect:
      return op_call_indirect(in);
    case Op::call_ref:
    case Op::return_call_ref:
      return op_call_ref(in);
    case Op::throw_:
      return op_throw(in);
    case Op::throw_ref:
      return op_throw_ref();
    case Op::drop: {
      WEFT_TRY(ValType t, pop_any());
      (void)t;
      return Status::Ok();
    }
    case Op::select:
    case Op::select_t:
      return op_select(in);
    case Op::local_get:
    case Op::local_set:
    case Op::local_tee:
      return op_local(in);
    case Op::global_get:
    case Op::global_set:
      return op_global(in);
    case Op::table_get:
    case Op::table_set:
    case Op::table_size:
    case Op::table_grow:
    case Op::table_fill:
    case Op::table_copy:
    case Op::table_init:
    case Op::elem_drop:
      return op_table(in);
    case Op::memory_init:
    case Op::data_drop:
    case Op::memory_copy:
    case Op::memory_fill:
      return op_memory_bulk(in);
    case Op::i32_const:
    case Op::i64_const:
    case Op::f32_const:
    case Op::f64_const:
      return op_const(in);
    case Op::ref_null:
    case Op::ref_is_null:
    case Op::ref_func:
    case Op::ref_eq:
    case Op::ref_as_non_null:
      return op_ref(in);
    case Op::ref_test:
    case Op::ref_test_null:
    case Op::ref_cast:
    case Op::ref_cast_null:
      return op_ref_test_cast(in);
    case Op::br_on_cast:
    case Op::br_on_cast_fail:
      return op_br_on_cast(in);
    case Op::cont_new:
      return op_cont_new(in);
    case Op::cont_bind:
      return op_cont_bind(in);
    case Op::resume:
    case Op::resume_throw:
    case Op::resume_throw_ref:
      return op_resume(in);
    case Op::suspend:
      return op_suspend(in);
    case Op::switch_:
      return op_switch(in);
    default:
      break;
  }
  if (op_info(in.op).sig != Sig::special && !is_internal(in.op)) return op_simple(in);
  // GC object instructions are not supported yet.
  return unsupported();
}

// ---------------------------------------------------------------------------
// Operand stack

namespace {

void append_types(std::string& s, const ValType* ts, uint32_t n) {
  s += '[';
  for (uint32_t i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += to_string(ts[i]);
  }
  s += ']';
}

}  // namespace

// "type mismatch: instruction requires [i32] but stack has [i64]", showing as
// many stack values as were expected ("_" for polymorphic ones), like the
// reference interpreter.
Error CodeValidator::mismatch(const ValType* expected, uint32_t n, const char* who) const {
  const Frame& f = ctrls_.back();
  const uint32_t avail = height() - f.height;
  const uint32_t k = std::min(n, avail);
  std::string s = std::string("type mismatch: ") + who + " requires ";
  append_types(s, expected, n);
  s += " but stack has [";
  bool first = true;
  if (f.unreachable) {
    for (uint32_t i = k; i < n; ++i) {
      if (!first) s += ' ';
      s += '_';
      first = false;
    }
  }
  for (uint32_t i = height() - k; i < height(); ++i) {
    if (!first) s += ' ';
    s += to_string(vals_[i]);
    first = false;
  }
  s += ']';
  return err(std::move(s));
}

Status CodeValidator::pop_types(const ValType* ts, uint32_t n, ValType* actual) {
  const Frame& f = ctrls_.back();
  const uint32_t h = height();
  const uint32_t avail = h - f.height;
  const uint32_t k = std::min(n, avail);
  if (k < n && !f.unreachable) return mismatch(ts, n, "instruction");
  for (uint32_t i = 0; i < k; ++i) {
    const ValType& a = vals_[h - k + i];
    if (!ctx_.matches(a, ts[n - k + i])) return mismatch(ts, n, "instruction");
  }
  if (actual) {
    for (uint32_t i = 0; i < n - k; ++i) actual[i] = ValType::bot();
    for (uint32_t i = 0; i < k; ++i) actual[n - k + i] = vals_[h - k + i];
  }
  vals_.resize(h - k);
  return Status::Ok();
}

Result<ValType> CodeValidator::pop_any() {
  const Frame& f = ctrls_.back();
  if (height() == f.height) {
    if (f.unreachable) return ValType::bot();
    return err("type mismatch: instruction requires a value but stack has []");
  }
  ValType t = vals_.back();
  vals_.pop_back();
  return t;
}

Result<ValType> CodeValidator::pop_ref() {
  WEFT_TRY(ValType t, pop_any());
  if (t.kind == ValKind::bot) return ValType::ref(HeapType::abstract(AbsHeap::bot), false);
  if (t.kind != ValKind::ref)
    return err("type mismatch: instruction requires a reference but stack has [" + to_string(t) + "]");
  return t;
}

Status CodeValidator::check_frame_end(const Frame& f) {
  const ValType* rs = f.results();
  const uint32_t n = f.num_results;
  if (!f.unreachable && height() - f.height != n) {
    std::string s = "type mismatch: block requires ";
    append_types(s, rs, n);
    s += " but stack has ";
    append_types(s, vals_.data() + f.height, height() - f.height);
    return err(std::move(s));
  }
  WEFT_CHECK(pop_types(rs, n));
  if (height() != f.height) {
    std::string s = "type mismatch: block requires ";
    append_types(s, rs, n);
    s += " but stack has more values";
    return err(std::move(s));
  }
  return Status::Ok();
}

void CodeValidator::set_unreachable() {
  Frame& f = ctrls_.back();
  vals_.resize(f.height);
  f.unreachable = true;
  live_ = false;
}

void CodeValidator::push_frame(FrameKind kind, const BlockSig& sig) {
  Frame f;
  f.kind = kind;
  f.entry_live = live_;
  f.params = sig.params;
  f.num_params = sig.num_params;
  f.results_ptr = sig.results;
  f.num_results = sig.num_results;
  f.single = sig.single;
  f.single_result = sig.single_result;
  f.height = height();
  f.init_height = uint32_t(inits_.size());
  f.label_id = new_label();
  ctrls_.push_back(f);
  push_types(sig.params, sig.num_params);
}

void CodeValidator::reset_locals(uint32_t init_height) {
  while (inits_.size() > init_height) {
    local_init_[inits_.back()] = 0;
    inits_.pop_back();
  }
}

}  // namespace weft
