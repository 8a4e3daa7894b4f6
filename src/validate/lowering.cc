// Lowering of control flow: label addresses and forward references, value
// moves for branches, out-of-line branch stubs, and try_table handler tables.
#include "validate/code_validator.h"

namespace weft {

uint32_t CodeValidator::new_label() {
  label_addr_.push_back(kNone);
  return uint32_t(label_addr_.size() - 1);
}

void CodeValidator::emit_label_ref(uint32_t label_id) {
  const uint32_t addr = label_addr_[label_id];
  if (addr == kNone) label_refs_.push_back({pos(), label_id});
  emit(addr == kNone ? 0 : addr);
}

void CodeValidator::emit_branch(uint32_t depth, uint32_t src) {
  Frame& f = ctrls_[ctrls_.size() - 1 - depth];
  const uint32_t n = f.label_arity();
  // The carried values were just popped: locs_[src ..) still says where they
  // live (fold.cc).
  if (f.kind == FrameKind::func) {
    // The function's label is its end: branching there returns.
    uint32_t from;
    if (n == 1 && locs_[src].kind == LocKind::local) {
      from = locs_[src].local;
    } else {
      materialize_range(src, src + n);
      from = slot(src);
    }
    emit_op(Op::return_);
    emit(from);
    return;
  }
  // Ascending order is safe: each destination is at or below its source.
  for (uint32_t i = 0; i < n; ++i) emit_move(slot(f.height + i), locs_[src + i], src + i);
  f.targeted = true;
  emit_op(Op::br);
  emit_label_ref(f.label_id);
}

void CodeValidator::emit_cond_target(uint32_t depth, uint32_t src, bool use_cache) {
  Frame& f = ctrls_[ctrls_.size() - 1 - depth];
  const uint32_t n = f.label_arity();
  f.targeted = true;
  if (n == 0 || src == f.height) {
    emit_label_ref(f.label_id);
    return;
  }
  uint32_t stub = kNone;
  if (use_cache && table_cache_[depth].first == table_stamp_) stub = table_cache_[depth].second;
  if (stub == kNone) {
    stub = uint32_t(stubs_.size());
    stubs_.push_back({f.label_id, f.height, src, n, f.kind == FrameKind::func});
    if (use_cache) table_cache_[depth] = {table_stamp_, stub};
  }
  stub_refs_.push_back({pos(), stub});
  emit(0);
}

void CodeValidator::emit_handlers(const Frame& f) {
  const uint32_t end = pos();
  for (uint32_t i = 0; i < f.catch_count; ++i) {
    const PendingCatch& c = pending_catches_[f.catch_first + i];
    HandlerEntry h;
    h.start = f.body_start;
    h.end = end;
    h.kind = c.kind;
    h.tag = c.tag;
    h.dest = slot(c.dest_height);
    h.target = label_addr_[c.label_id];
    if (h.target == kNone) handler_refs_.push_back({uint32_t(out_->handlers.size()), c.label_id});
    out_->handlers.push_back(h);
  }
  pending_catches_.resize(f.catch_first);
}

// After the body: the branch stubs, then every forward reference resolved.
void CodeValidator::finish_code() {
  stub_addr_.resize(stubs_.size());
  for (size_t i = 0; i < stubs_.size(); ++i) {
    const Stub& s = stubs_[i];
    stub_addr_[i] = pos();
    if (s.is_return) {
      emit_op(Op::return_);
      emit(slot(s.src));
      continue;
    }
    for (uint32_t k = 0; k < s.count; ++k) {
      emit_op(Op::copy);
      emit(slot(s.dst + k));
      emit(slot(s.src + k));
    }
    emit_op(Op::br);
    emit(label_addr_[s.label_id]);
  }
  std::vector<uint32_t>& code = *code_;
  for (const CodeRef& r : stub_refs_) code[r.pos] = stub_addr_[r.target];
  for (const CodeRef& r : label_refs_) code[r.pos] = label_addr_[r.target];
  for (const CodeRef& r : handler_refs_) out_->handlers[r.pos].target = label_addr_[r.target];
}

}  // namespace weft
