// Operand locations: local.get and constants are not lowered to copies when
// they are read; the value stays where it is (a local's slot, or a pending
// constant) and the consuming instruction names that place directly. A copy
// into the value's own stack slot is emitted only where a slot is required
// (see docs/internal-code.md): before its local is overwritten, at block
// boundaries, and for instructions that read operands at fixed heights.
#include "spec/fused_ops.h"
#include "validate/code_validator.h"

namespace weft {

namespace {

constexpr Op kNoOp = Op::count_;

// i32.add -> i32.add_imm, ...; kNoOp if the operator has no immediate form.
Op imm_form(Op op) {
  switch (op) {
#define WEFT_CASE(name)            \
  case Op::i32_##name:             \
    return Op::i32_##name##_imm;   \
  case Op::i64_##name:             \
    return Op::i64_##name##_imm;
    WEFT_INT_IMM_ARITH(WEFT_CASE)
    WEFT_INT_COMPARES(WEFT_CASE)
#undef WEFT_CASE
    default:
      return kNoOp;
  }
}

// The comparison with its operands exchanged (a < b iff b > a); the operator
// itself for commutative ones; kNoOp otherwise.
Op swapped(Op op) {
  switch (op) {
    case Op::i32_add: case Op::i32_mul: case Op::i32_and: case Op::i32_or: case Op::i32_xor:
    case Op::i32_eq: case Op::i32_ne:
    case Op::i64_add: case Op::i64_mul: case Op::i64_and: case Op::i64_or: case Op::i64_xor:
    case Op::i64_eq: case Op::i64_ne:
      return op;
    case Op::i32_lt_s: return Op::i32_gt_s;
    case Op::i32_lt_u: return Op::i32_gt_u;
    case Op::i32_gt_s: return Op::i32_lt_s;
    case Op::i32_gt_u: return Op::i32_lt_u;
    case Op::i32_le_s: return Op::i32_ge_s;
    case Op::i32_le_u: return Op::i32_ge_u;
    case Op::i32_ge_s: return Op::i32_le_s;
    case Op::i32_ge_u: return Op::i32_le_u;
    case Op::i64_lt_s: return Op::i64_gt_s;
    case Op::i64_lt_u: return Op::i64_gt_u;
    case Op::i64_gt_s: return Op::i64_lt_s;
    case Op::i64_gt_u: return Op::i64_lt_u;
    case Op::i64_le_s: return Op::i64_ge_s;
    case Op::i64_le_u: return Op::i64_ge_u;
    case Op::i64_ge_s: return Op::i64_le_s;
    case Op::i64_ge_u: return Op::i64_le_u;
    default:
      return kNoOp;
  }
}

// Integer comparisons negate exactly: !(a < b) iff a >= b. Works on the
// register and immediate forms; kNoOp for anything else.
Op negated(Op cmp) {
#define WEFT_NEG_PAIRS(X) X(eq, ne) X(lt_s, ge_s) X(lt_u, ge_u) X(gt_s, le_s) X(gt_u, le_u)
#define WEFT_NEG_FORM(t, a, b, sfx) \
  case Op::t##_##a##sfx:            \
    return Op::t##_##b##sfx;        \
  case Op::t##_##b##sfx:            \
    return Op::t##_##a##sfx;
#define WEFT_NEG_CASE(a, b) \
  WEFT_NEG_FORM(i32, a, b, ) WEFT_NEG_FORM(i64, a, b, ) WEFT_NEG_FORM(i32, a, b, _imm) WEFT_NEG_FORM(i64, a, b, _imm)
  switch (cmp) {
    WEFT_NEG_PAIRS(WEFT_NEG_CASE)
    default:
      return kNoOp;
  }
#undef WEFT_NEG_CASE
#undef WEFT_NEG_FORM
#undef WEFT_NEG_PAIRS
}

// The compare-and-branch form of a comparison (register or immediate form);
// kNoOp if none.
Op branch_form(Op cmp) {
  switch (cmp) {
#define WEFT_CASE(name)              \
  case Op::i32_##name:               \
    return Op::br_i32_##name;        \
  case Op::i64_##name:               \
    return Op::br_i64_##name;        \
  case Op::i32_##name##_imm:         \
    return Op::br_i32_##name##_imm;  \
  case Op::i64_##name##_imm:         \
    return Op::br_i64_##name##_imm;
    WEFT_INT_COMPARES(WEFT_CASE)
#undef WEFT_CASE
    default:
      return kNoOp;
  }
}

// `op` (add, xor, or, and) of the result of `shift` (an immediate shift or
// rotate of the same type): the fused form, or kNoOp.
Op shift_fused_form(Op op, Op shift) {
#define WEFT_SHIFT_CASE(o, sh)                                                           \
  if (op == Op::i32_##o && shift == Op::i32_##sh##_imm) return Op::i32_##o##_##sh;       \
  if (op == Op::i64_##o && shift == Op::i64_##sh##_imm) return Op::i64_##o##_##sh;
  WEFT_INT_SHIFT_FUSED(WEFT_SHIFT_CASE)
#undef WEFT_SHIFT_CASE
  return kNoOp;
}

}  // namespace

void CodeValidator::emit_move(uint32_t dst, const Loc& l, uint32_t h) {
  switch (l.kind) {
    case LocKind::slot:
      if (slot(h) == dst) return;
      emit_op(Op::copy);
      emit(dst);
      emit(slot(h));
      return;
    case LocKind::local:
      if (l.local == dst) return;
      emit_op(Op::copy);
      emit(dst);
      emit(l.local);
      return;
    case LocKind::const32:
      emit_op(Op::const32);
      emit(dst);
      emit(uint32_t(l.imm));
      return;
    case LocKind::const64:
      emit_op(Op::const64);
      emit(dst);
      emit_u64(l.imm);
      return;
  }
}

void CodeValidator::materialize(uint32_t h) {
  Loc& l = locs_[h];
  if (l.kind == LocKind::slot) return;
  if (live_) {
    const uint32_t start = pos();
    emit_move(slot(h), l, h);
    note_result(start + 1);
  }
  l = Loc{};
}

uint32_t CodeValidator::src_slot(uint32_t h) {
  const Loc& l = locs_[h];
  if (l.kind == LocKind::slot) return slot(h);
  if (l.kind == LocKind::local) return l.local;
  if (const uint32_t p = pool_slot(l); p != kNone) return p;
  materialize(h);
  return slot(h);
}

uint32_t CodeValidator::plan_hidden_slots(Reader r, uint32_t first) {
  zero_slot_ = kNone;
  pool_.clear();
  // Nesting of the body's blocks: whether each is a loop. Constants met
  // inside a loop go to the pool (the first kMaxPool distinct ones).
  scan_loops_.clear();
  uint32_t loops_open = 0;
  bool any_loop = false;
  while (!r.at_end()) {
    if (!read_instr(r, &instr_).ok()) break;  // the real pass reports it
    switch (instr_.op) {
      case Op::block:
      case Op::if_:
      case Op::try_table:
        scan_loops_.push_back(false);
        break;
      case Op::loop:
        scan_loops_.push_back(true);
        ++loops_open;
        any_loop = true;
        break;
      case Op::end:
        if (scan_loops_.empty()) break;
        loops_open -= scan_loops_.back() ? 1 : 0;
        scan_loops_.pop_back();
        break;
      case Op::i64_const:
      case Op::f64_const:
      case Op::f32_const: {
        if (loops_open == 0 || pool_.size() == kMaxPool) break;
        const bool narrow = instr_.op == Op::f32_const;
        const Loc l{narrow ? LocKind::const32 : LocKind::const64, 0,
                    narrow ? uint64_t(uint32_t(instr_.u64)) : instr_.u64};
        if (pool_slot(l) == kNone) pool_.push_back({l.kind, l.imm, 0});  // slots below
        break;
      }
      default:
        break;
    }
  }
  if (!any_loop) return 0;  // then the pool is empty too
  uint32_t next = first;
  if (!ctx_.memories.empty()) zero_slot_ = next++;
  for (PoolEntry& e : pool_) e.slot = next++;
  return next - first;
}

void CodeValidator::emit_pool() {
  for (const PoolEntry& e : pool_) emit_move(e.slot, Loc{e.kind, 0, e.imm}, 0);
}

uint32_t CodeValidator::pool_slot(const Loc& l) const {
  if (l.kind != LocKind::const32 && l.kind != LocKind::const64) return kNone;
  for (const PoolEntry& e : pool_)
    if (e.kind == l.kind && e.imm == l.imm) return e.slot;
  return kNone;
}

bool CodeValidator::pending_local(uint32_t x, uint32_t below) const {
  for (uint32_t h = ctrls_.back().height, e = window_end(below); h < e; ++h)
    if (locs_[h].kind == LocKind::local && locs_[h].local == x) return true;
  return false;
}

void CodeValidator::materialize_local(uint32_t x, uint32_t below) {
  for (uint32_t h = ctrls_.back().height, e = window_end(below); h < e; ++h)
    if (locs_[h].kind == LocKind::local && locs_[h].local == x) materialize(h);
}

// local.set / local.tee x of the value just popped from height h (live code
// only). Returns where a tee's result lives.
CodeValidator::Loc CodeValidator::lower_local_set(uint32_t x, uint32_t h) {
  const Loc l = locs_[h];
  if (l.kind == LocKind::local && l.local == x) return l;  // x = x
  if (result_of_last(h) && !pending_local(x, h)) {
    // `op s_h ...; local.set x` becomes `op x ...`: operands are read
    // before the result is written, so x may also be an operand.
    (*code_)[last_dst_pos_] = x;
  } else {
    materialize_local(x, h);
    emit_move(x, l, h);
  }
  fence();
  // The result of a tee is x's value; constants stay constants.
  if (l.kind == LocKind::const32 || l.kind == LocKind::const64) return l;
  return Loc{LocKind::local, x, 0};
}

bool CodeValidator::lower_binary_imm(Op op, uint32_t base) {
  const Sig sig = op_info(op).sig;
  const bool is64 = sig == Sig::L_LL || sig == Sig::I_LL;
  const LocKind k = is64 ? LocKind::const64 : LocKind::const32;
  uint32_t operand = base;  // height of the non-constant operand
  uint64_t v;
  if (op == Op::i32_sub || op == Op::i64_sub) {
    if (locs_[base + 1].kind != k) return false;
    v = uint64_t(0) - locs_[base + 1].imm;  // a - c = a + (-c)
    op = op == Op::i32_sub ? Op::i32_add : Op::i64_add;
  } else if (imm_form(op) == kNoOp) {
    return false;
  } else if (locs_[base + 1].kind == k) {
    v = locs_[base + 1].imm;
  } else if (locs_[base].kind == k && swapped(op) != kNoOp) {
    v = locs_[base].imm;
    operand = base + 1;
    op = swapped(op);
  } else {
    return false;
  }
  if (is64 && int64_t(v) != int64_t(int32_t(uint32_t(v)))) return false;  // the word is sign-extended
  const uint32_t a = src_slot(operand);
  const uint32_t start = pos();
  emit_op(imm_form(op));
  emit(slot(base));
  emit(a);
  emit(uint32_t(v));
  note_result(start + 1);
  return true;
}

bool CodeValidator::lower_mul_fused(Op op, uint32_t base) {
  Op mul, add, sub, rsub;
  switch (op) {
#define WEFT_MUL_CASE(t, T)     \
  case Op::t##_add:             \
  case Op::t##_sub:             \
    mul = Op::t##_mul;          \
    add = Op::t##_mul_add;      \
    sub = Op::t##_mul_sub;      \
    rsub = Op::t##_mul_rsub;    \
    break;
    WEFT_FLOAT_MUL_FUSED(WEFT_MUL_CASE)
#undef WEFT_MUL_CASE
    default:
      return false;
  }
  // Which operand is the product (either: + commutes, and - has both forms).
  const uint32_t other = fusible_other(base, true);
  if (other == kNone || Op((*code_)[last_dst_pos_ - 1]) != mul) return false;
  const uint32_t* last = &(*code_)[last_dst_pos_ - 1];
  const uint32_t a = last[2], b = last[3];
  const bool is_add = op == Op::f32_add || op == Op::f64_add;
  replace_last(is_add ? add : other == base + 1 ? sub : rsub, base, {a, b, src_slot(other)});
  return true;
}

bool CodeValidator::lower_shift_fused(Op op, uint32_t base) {
  const uint32_t other = fusible_other(base, true);  // the operators commute
  if (other == kNone) return false;
  const uint32_t* last = &(*code_)[last_dst_pos_ - 1];
  const Op f = shift_fused_form(op, Op(last[0]));
  if (f == kNoOp) return false;
  const uint32_t b = last[2], imm = last[3];
  replace_last(f, base, {src_slot(other), b, imm});
  return true;
}

bool CodeValidator::lower_load_fused(Op op, uint32_t base) {
  Op fused = kNoOp, load = kNoOp;
  bool commutative = true;
  switch (op) {
#define WEFT_LOADOP_CASE(t, T, o)       \
  case Op::t##_##o:                     \
    fused = Op::t##_##o##_load;         \
    load = Op::t##_load_ri;             \
    commutative = Op::t##_##o != Op::t##_sub; \
    break;
    WEFT_FLOAT_LOAD_FUSED(WEFT_LOADOP_CASE)
#undef WEFT_LOADOP_CASE
    default:
      return false;
  }
  // The loaded operand: the second, or for add and mul either.
  const uint32_t other = fusible_other(base, commutative);
  if (other == kNone || Op((*code_)[last_dst_pos_ - 1]) != load) return false;
  const uint32_t* last = &(*code_)[last_dst_pos_ - 1];
  const uint32_t a = last[2], imm = last[3], off = last[4];
  replace_last(fused, base, {src_slot(other), a, imm, off});
  return true;
}

uint32_t CodeValidator::fusible_other(uint32_t base, bool either) const {
  uint32_t other;
  if (result_of_last(base + 1)) {
    other = base;
  } else if (either && result_of_last(base)) {
    other = base + 1;
  } else {
    return kNone;
  }
  // A constant outside the pool would be materialized after the last
  // instruction, which then is no longer last.
  const Loc& l = locs_[other];
  if (l.kind != LocKind::slot && l.kind != LocKind::local && pool_slot(l) == kNone) return kNone;
  return other;
}

void CodeValidator::replace_last(Op op, uint32_t base, std::initializer_list<uint32_t> words) {
  const uint32_t start = last_dst_pos_ - 1;
  code_->resize(start);
  fence();
  emit_op(op);
  emit(slot(base));
  for (uint32_t w : words) emit(w);
  note_result(start + 1);
}

bool CodeValidator::take_compare(uint32_t h, bool negate, FusedBranch* out) {
  if (!result_of_last(h)) return false;
  const uint32_t start = last_dst_pos_ - 1;
  std::vector<uint32_t>& c = *code_;
  Op op = Op(c[start]);
  if (op == Op::i32_eqz || op == Op::i64_eqz) {
    // eqz x: branch when x == 0 (negated: when x != 0).
    const bool is32 = op == Op::i32_eqz;
    out->words[0] = uint32_t(negate ? (is32 ? Op::br_if : Op::br_i64_nez) : (is32 ? Op::br_unless : Op::br_i64_eqz));
    out->words[1] = c[start + 2];
    out->n = 2;
  } else {
    if (negate) op = negated(op);
    const Op br = op == kNoOp ? kNoOp : branch_form(op);
    if (br == kNoOp) return false;
    out->words[0] = uint32_t(br);
    out->words[1] = c[start + 2];
    out->words[2] = c[start + 3];
    out->n = 3;
  }
  c.resize(start);
  fence();
  return true;
}

bool CodeValidator::lower_memory0(Op op, uint32_t base, uint64_t offset) {
  Op ri = kNoOp, rr = kNoOp;
  bool is_load = false;
  switch (op) {
#define WEFT_LOAD_CASE(name, T, Out) \
  case Op::name:                     \
    ri = Op::name##_ri;              \
    rr = Op::name##_rr;              \
    is_load = true;                  \
    break;
#define WEFT_STORE_CASE(name, T, V) \
  case Op::name:                 \
    ri = Op::name##_ri;          \
    rr = Op::name##_rr;          \
    break;
    WEFT_LOADS(WEFT_LOAD_CASE)
    WEFT_STORES(WEFT_STORE_CASE)
#undef WEFT_LOAD_CASE
#undef WEFT_STORE_CASE
    default:
      return false;
  }
  // An address computed by the instruction just emitted (i32.add, or its
  // immediate form) is fused into the access.
  uint32_t a = 0, b = 0;
  bool taken = false, reg = false;
  if (result_of_last(base)) {
    std::vector<uint32_t>& c = *code_;
    const uint32_t start = last_dst_pos_ - 1;
    const Op last = Op(c[start]);
    if (last == Op::i32_add || last == Op::i32_add_imm) {
      a = c[start + 2];
      b = c[start + 3];
      reg = last == Op::i32_add;
      // A store's constant value is written into slot(base + 1) before the
      // access: it must not be an operand of the sum.
      const LocKind vk = is_load ? LocKind::slot : locs_[base + 1].kind;
      const bool value_written = vk == LocKind::const32 || vk == LocKind::const64;
      const uint32_t vs = slot(base + 1);
      if (!(value_written && (a == vs || (reg && b == vs)))) {
        c.resize(start);
        fence();
        taken = true;
      }
    }
  }
  if (!taken && locs_[base].kind == LocKind::const32 && zero_slot_ != kNone) {
    // A constant address: zero plus the constant (32-bit wrap-around as Wasm).
    a = zero_slot_;
    b = uint32_t(locs_[base].imm);
    reg = false;
    taken = true;
  }
  if (!taken) {
    a = src_slot(base);
    b = 0;
    reg = false;
  }
  const uint32_t value = is_load ? 0 : src_slot(base + 1);
  const uint32_t start = pos();
  emit_op(reg ? rr : ri);
  if (is_load) emit(slot(base));
  emit(a);
  emit(b);
  if (!is_load) emit(value);
  emit(uint32_t(offset));
  if (is_load) note_result(start + 1);
  return true;
}

bool CodeValidator::reads_locations(Op op) {
  switch (op) {
    case Op::nop:
    case Op::drop:
    case Op::local_get:
    case Op::local_set:
    case Op::local_tee:
    case Op::global_get:
    case Op::global_set:
    case Op::i32_const:
    case Op::i64_const:
    case Op::f32_const:
    case Op::f64_const:
    case Op::select:
    case Op::select_t:
    case Op::block:
    case Op::loop:
    case Op::if_:
    case Op::br:
    case Op::br_if:
    case Op::br_table:
      return true;
    case Op::memory_size:
    case Op::memory_grow:
      return false;  // rare
    default:
      // Instructions typed by their Sig (op_simple) read locations.
      return op_info(op).sig != Sig::special && !is_internal(op);
  }
}

}  // namespace weft
