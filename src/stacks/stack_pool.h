// The stacks of continuations, and continuation references (contref values).
//
// A StackPool owns every continuation stack of a store. A finished
// continuation's stack gives its extra segments back to the StackMemory at
// once and goes to a free list with its small inline first segment, to be
// reused by the next cont.new. Stack objects are never destroyed before the
// pool, so a stale contref always names a live object whose revision tells it
// is stale.
//
// A contref is one 64-bit word (see docs/stacks.md):
//
//   bits 0..1    01                 (null is 0, object pointers end in 00 and
//                                    host references in 10)
//   bits 2..25   the stack's index in the pool
//   bits 26..63  the revision the reference was issued at
//
// A contref is valid iff the stack's current revision equals the one it
// carries; consuming a continuation (resume, resume_throw*, switch, cont.bind)
// bumps the revision, so checking one-shot use costs no allocation.
#pragma once

#include <cstdint>
#include <vector>

#include "stacks/stack.h"

namespace weft {

class StackPool {
 public:
  static constexpr uint64_t kTag = 1;
  static constexpr unsigned kIndexBits = 24;
  static constexpr unsigned kRevisionShift = 2 + kIndexBits;
  static constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
  // Revisions stay below this; a stack that reaches it is retired.
  static constexpr uint64_t kRevisionLimit = uint64_t{1} << (64 - kRevisionShift);

  // `max_stacks`: how many stacks may be in use at once.
  StackPool(StackMemory& memory, uint32_t max_stacks);
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  // An empty stack, marked in use; nullptr if `max_stacks` are in use or the
  // stack memory cap is reached.
  Stack* acquire();
  // Gives back a stack whose continuation finished or died.
  void release(Stack* s);

  // The root of the suspended continuation named by `ref`, or nullptr if `ref`
  // is null, not a contref, or stale (already consumed).
  Stack* find(uint64_t ref) const {
    if ((ref & 3) != kTag) return nullptr;
    const uint64_t index = (ref >> 2) & kIndexMask;
    if (index >= stacks_.size()) return nullptr;
    Stack* s = stacks_[index];
    if (s->revision != ref >> kRevisionShift || !s->suspended || s->revision + 1 >= kRevisionLimit) return nullptr;
    return s;
  }
  // True if `ref` was valid except that its stack has used up its revisions.
  bool worn_out(uint64_t ref) const;

  // Consumes the suspended continuation rooted at `s` (found by find()).
  static void consume(Stack* s) {
    ++s->revision;
    s->suspended = false;
  }
  // Makes `root` a suspended continuation and returns its contref.
  static uint64_t issue(Stack* root) {
    root->suspended = true;
    return ref_of(root);
  }
  static uint64_t ref_of(const Stack* s) {
    return (s->revision << kRevisionShift) | (uint64_t(s->index) << 2) | kTag;
  }

  uint32_t in_use() const { return in_use_; }
  size_t total() const { return stacks_.size(); }
  StackMemory& memory() { return memory_; }

 private:
  StackMemory& memory_;
  uint32_t max_stacks_;
  uint32_t in_use_ = 0;
  std::vector<Stack*> stacks_;
  Stack* free_ = nullptr;
};

}  // namespace weft
