#include "stacks/stack.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>

namespace weft {

namespace {
constexpr uint64_t kMinInitialBytes = 128;

uint64_t initial_bytes_of(const StackSettings& s) {
  uint64_t b = std::max(s.initial_bytes, kMinInitialBytes);
  return (b + 7) / 8 * 8;
}

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }
}  // namespace

Stack::Stack(StackMemory& memory) : memory_(&memory) {
  const uint64_t initial = initial_bytes_of(memory.settings());
  first.lo = inline_slots();
  first.hi = first.lo + initial / sizeof(uint64_t);
  seg = &first;
  bytes_ = initial;
}

Stack* Stack::make(StackMemory& memory) {
  const uint64_t size = sizeof(Stack) + initial_bytes_of(memory.settings());
  if (!memory.charge(size)) return nullptr;
  void* p = ::operator new(size, std::nothrow);
  if (p == nullptr) {
    memory.uncharge(size);
    return nullptr;
  }
  return new (p) Stack(memory);
}

void Stack::destroy(Stack* s) {
  if (s == nullptr) return;
  s->reset();
  StackMemory* memory = s->memory_;
  const uint64_t size = sizeof(Stack) + initial_bytes_of(memory->settings());
  s->~Stack();
  ::operator delete(s);
  memory->uncharge(size);
}

bool Stack::within_cap(uint64_t more) const {
  const uint64_t max = memory_->settings().max_stack_bytes;
  return more <= max && bytes_ <= max - more;
}

void Stack::release(Segment* s) {
  if (s->spare != nullptr) release(s->spare);
  s->spare = nullptr;
  bytes_ -= s->block_bytes;
  memory_->give_segment(s);
}

void Stack::release_spares(Segment* s) {
  if (s->spare != nullptr) release(s->spare);
  s->spare = nullptr;
}

Segment* Stack::push_new_segment(uint64_t slots) {
  const uint64_t need = slots + kHeaderSlots;
  release_spares(seg);  // too small for this frame
  const uint64_t current = seg->block ? seg->block_bytes : initial_bytes_of(memory_->settings());
  const uint64_t want = std::max(2 * current, (need + kLinkSlots) * sizeof(uint64_t));
  const uint64_t size = std::bit_ceil(want);
  if (!within_cap(size)) return nullptr;
  Segment* s = memory_->take_segment(size);
  if (s == nullptr) return nullptr;
  bytes_ += s->block_bytes;
  s->prev = seg;
  seg = s;
  return s;
}

bool Stack::move_segment(const uint64_t* live_end, const FrameHeader* hdr, uint64_t extra, ptrdiff_t* slot_delta,
                         ptrdiff_t* hdr_delta) {
  Segment* s = seg;
  const uint64_t live = uint64_t(live_end - s->lo);
  const uint64_t headers = uint64_t(s->headers_end() - hdr);
  const uint64_t current = s->block ? s->block_bytes : initial_bytes_of(memory_->settings());
  const uint64_t need = (live + extra + headers * kHeaderSlots + kLinkSlots) * sizeof(uint64_t);
  const uint64_t size = std::bit_ceil(std::max(2 * current, need));
  // The old block is freed once its contents moved.
  const uint64_t freed = s->block ? s->block_bytes : 0;
  if (!within_cap(size - std::min(size, freed))) return false;
  void* block;
  uint64_t block_bytes;
  if (!memory_->take_block(size, &block, &block_bytes)) return false;
  uint64_t* lo = static_cast<uint64_t*>(block);
  uint64_t* hi = lo + block_bytes / sizeof(uint64_t) - kLinkSlots;
  FrameHeader* new_hdr = reinterpret_cast<FrameHeader*>(hi) - headers;
  std::memcpy(lo, s->lo, live * sizeof(uint64_t));
  std::memcpy(new_hdr, hdr, headers * sizeof(FrameHeader));
  if (s->block) std::memcpy(hi, s->hi, kLinkSlots * sizeof(uint64_t));  // the first segment has no link
  const ptrdiff_t ds = ptrdiff_t(addr(lo) - addr(s->lo));
  // Frame links that point into the moved frames move with them; the
  // segment-return stub's header points at the Segment, which stays.
  const uintptr_t old_lo = addr(s->lo), old_hi = addr(s->hi);
  for (FrameHeader* h = new_hdr; h != reinterpret_cast<FrameHeader*>(hi); ++h) {
    const uintptr_t f = addr(h->caller_fp);
    if (f >= old_lo && f < old_hi) h->caller_fp = reinterpret_cast<uint64_t*>(f + uintptr_t(ds));
  }
  *slot_delta = ds;
  *hdr_delta = ptrdiff_t(addr(new_hdr) - addr(hdr));
  install_block(s, block, block_bytes);
  return true;
}

void Stack::install_block(Segment* s, void* block, uint64_t block_bytes) {
  if (s->block) {
    bytes_ -= s->block_bytes;
    memory_->give_block(s->block, s->block_bytes);
  }
  s->block = block;
  s->block_bytes = block_bytes;
  if (block) {
    bytes_ += block_bytes;
    s->lo = static_cast<uint64_t*>(block);
    s->hi = s->lo + block_bytes / sizeof(uint64_t) - kLinkSlots;
  } else {  // back to the inline memory (the first segment only)
    s->lo = inline_slots();
    s->hi = s->lo + initial_bytes_of(memory_->settings()) / sizeof(uint64_t);
  }
}

Segment* Stack::enter(uint64_t slots) {
  if (!busy) {
    if (!reserve_first(slots)) return nullptr;
    busy = true;
    seg = &first;
    return &first;
  }
  return push_segment(slots);
}

void Stack::leave(Segment* s) {
  while (seg != s) pop_segment();
  if (s == &first) {
    empty_first();
    busy = false;
    return;
  }
  pop_segment();
}

bool Stack::reserve_first(uint64_t slots) {
  const uint64_t need = slots + kHeaderSlots;
  if (first.slots() >= need) return true;
  const uint64_t size = std::bit_ceil((need + kLinkSlots) * sizeof(uint64_t));
  const uint64_t freed = first.block ? first.block_bytes : 0;
  if (!within_cap(size - std::min(size, freed))) return false;
  void* block;
  uint64_t block_bytes;
  if (!memory_->take_block(size, &block, &block_bytes)) return false;
  install_block(&first, block, block_bytes);
  return true;
}

void Stack::empty_first() {
  release_spares(&first);
  if (first.block) install_block(&first, nullptr, 0);
}

void Stack::reset() {
  while (seg != &first) {
    Segment* s = seg;
    seg = s->prev;
    release(s);
  }
  empty_first();
  busy = false;
}

}  // namespace weft
