// The stacks of continuations, and continuation references (contref values).
//
// A StackPool owns every continuation stack of a store. Stacks of finished
// continuations return to a free list and are reused by the next cont.new
// with their pages still mapped (up to `keep_mapped` of them; beyond that the
// region is unmapped and the Stack object kept, to be mapped again when
// needed). Stack objects are never destroyed before the pool, so a stale
// contref always names a live object whose revision tells it is stale.
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
#include <memory>
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

  // `stack_bytes`: the reserved size of each stack. `max_stacks`: how many
  // stacks may be in use at once. `keep_mapped`: how many free stacks keep
  // their region.
  StackPool(uint64_t stack_bytes, uint32_t max_stacks, uint32_t keep_mapped);
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  // An empty stack, marked in use; nullptr if `max_stacks` are in use or the
  // region cannot be reserved.
  Stack* acquire();
  // Gives back a stack whose continuation finished or died. `scrub` returns
  // its pages to the OS (after an overflow).
  void release(Stack* s, bool scrub = false);

  // The root of the suspended continuation named by `ref`, or nullptr if `ref`
  // is null, not a contref, or stale (already consumed).
  Stack* find(uint64_t ref) const {
    if ((ref & 3) != kTag) return nullptr;
    const uint64_t index = (ref >> 2) & kIndexMask;
    if (index >= stacks_.size()) return nullptr;
    Stack* s = stacks_[index].get();
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
  uint32_t mapped_free() const { return warm_count_; }
  size_t total() const { return stacks_.size(); }
  uint64_t stack_bytes() const { return stack_bytes_; }

 private:
  uint64_t stack_bytes_;
  uint32_t max_stacks_;
  uint32_t keep_mapped_;
  uint32_t in_use_ = 0;
  std::vector<std::unique_ptr<Stack>> stacks_;
  Stack* warm_ = nullptr;  // free, region mapped
  uint32_t warm_count_ = 0;
  Stack* cold_ = nullptr;  // free, region unmapped
};

}  // namespace weft
