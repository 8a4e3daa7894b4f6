#include "stacks/stack_pool.h"

namespace weft {

StackPool::StackPool(uint64_t stack_bytes, uint32_t max_stacks, uint32_t keep_mapped)
    : stack_bytes_(stack_bytes), max_stacks_(max_stacks), keep_mapped_(keep_mapped) {
  if (max_stacks_ > kIndexMask + 1) max_stacks_ = uint32_t(kIndexMask + 1);
}

StackPool::~StackPool() = default;

Stack* StackPool::acquire() {
  if (in_use_ >= max_stacks_) return nullptr;
  Stack* s = nullptr;
  if (warm_) {
    s = warm_;
    warm_ = s->next_free;
    --warm_count_;
  } else if (cold_) {
    if (!cold_->map(stack_bytes_)) return nullptr;
    s = cold_;
    cold_ = s->next_free;
  } else {
    if (stacks_.size() > kIndexMask) return nullptr;
    auto fresh = std::make_unique<Stack>();
    if (!fresh->map(stack_bytes_)) return nullptr;
    fresh->index = uint32_t(stacks_.size());
    stacks_.push_back(std::move(fresh));
    s = stacks_.back().get();
  }
  s->next_free = nullptr;
  s->in_use = true;
  s->suspended = false;
  s->fresh = false;
  s->parent = nullptr;
  s->leaf = nullptr;
  s->args = nullptr;
  s->ctx = StackContext{};
  s->top = s->slots_begin();
  s->headers = s->headers_end();
  ++in_use_;
  return s;
}

void StackPool::release(Stack* s, bool scrub) {
  s->in_use = false;
  s->suspended = false;
  s->parent = nullptr;
  s->leaf = nullptr;
  --in_use_;
  // No contref can name a stack that is not suspended, so the current
  // revision has not been issued and the next cont.new may issue it. A stack
  // near the end of its revisions is retired: its object stays (a stale
  // contref may still name it), its region goes.
  if (s->revision + 2 >= kRevisionLimit) {
    s->unmap();
    return;
  }
  if (scrub) s->release_all();
  if (warm_count_ < keep_mapped_) {
    s->next_free = warm_;
    warm_ = s;
    ++warm_count_;
  } else {
    s->unmap();
    s->next_free = cold_;
    cold_ = s;
  }
}

bool StackPool::worn_out(uint64_t ref) const {
  if ((ref & 3) != kTag) return false;
  const uint64_t index = (ref >> 2) & kIndexMask;
  if (index >= stacks_.size()) return false;
  const Stack* s = stacks_[index].get();
  return s->suspended && s->revision == ref >> kRevisionShift && s->revision + 1 >= kRevisionLimit;
}

}  // namespace weft
