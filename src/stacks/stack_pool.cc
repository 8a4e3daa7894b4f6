#include "stacks/stack_pool.h"

namespace weft {

StackPool::StackPool(StackMemory& memory, uint32_t max_stacks) : memory_(memory), max_stacks_(max_stacks) {
  if (max_stacks_ > kIndexMask + 1) max_stacks_ = uint32_t(kIndexMask + 1);
}

StackPool::~StackPool() {
  for (Stack* s : stacks_) Stack::destroy(s);
}

Stack* StackPool::acquire() {
  if (in_use_ >= max_stacks_) return nullptr;
  Stack* s = free_;
  if (s != nullptr) {
    free_ = s->next_free;
  } else {
    if (stacks_.size() > kIndexMask) return nullptr;
    s = Stack::make(memory_);
    if (s == nullptr) return nullptr;
    s->index = uint32_t(stacks_.size());
    stacks_.push_back(s);
  }
  s->next_free = nullptr;
  s->in_use = true;
  s->busy = true;  // the continuation's frames will live in its first segment
  s->suspended = false;
  s->fresh = false;
  s->parent = nullptr;
  s->leaf = nullptr;
  s->args = nullptr;
  s->ctx = StackContext{};
  ++in_use_;
  return s;
}

void StackPool::release(Stack* s) {
  s->in_use = false;
  s->suspended = false;
  s->parent = nullptr;
  s->leaf = nullptr;
  s->reset();
  --in_use_;
  // No contref can name a stack that is not suspended, so the current
  // revision has not been issued and the next cont.new may issue it. A stack
  // near the end of its revisions is retired: its object stays (a stale
  // contref may still name it) but is never handed out again.
  if (s->revision + 2 >= kRevisionLimit) return;
  s->next_free = free_;
  free_ = s;
}

bool StackPool::worn_out(uint64_t ref) const {
  if ((ref & 3) != kTag) return false;
  const uint64_t index = (ref >> 2) & kIndexMask;
  if (index >= stacks_.size()) return false;
  const Stack* s = stacks_[index];
  return s->suspended && s->revision == ref >> kRevisionShift && s->revision + 1 >= kRevisionLimit;
}

}  // namespace weft
