#include <sys/mman.h>

#include <bit>
#include <cstdlib>

#include "stacks/stack.h"

namespace weft {

namespace {
// Blocks at least this big come from mmap, so freeing them returns memory
// to the OS at once; smaller ones from malloc.
constexpr uint64_t kMmapBytes = 64 << 10;
constexpr uint64_t kMinBlockBytes = 1 << 10;
// Free blocks kept for reuse: at most this many bytes, and none bigger than
// kMaxCachedBlock (a deep recursion's big segments go back to the OS).
constexpr uint64_t kCacheBytes = 8 << 20;
constexpr uint64_t kMaxCachedBlock = 1 << 20;

uint64_t block_size_for(uint64_t bytes) {
  if (bytes < kMinBlockBytes) bytes = kMinBlockBytes;
  return std::bit_ceil(bytes);
}

void* allocate_block(uint64_t bytes) {
  if (bytes < kMmapBytes) return std::malloc(bytes);
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void free_block(void* p, uint64_t bytes) {
  if (bytes < kMmapBytes) std::free(p);
  else munmap(p, bytes);
}
}  // namespace

StackMemory::StackMemory(const StackSettings& settings) : settings_(settings) {}

StackMemory::~StackMemory() {
  for (unsigned c = 0; c < kClasses; ++c)
    for (void* b : free_blocks_[c]) free_block(b, uint64_t{1} << c);
  for (Segment* s : all_segments_) delete s;
}

bool StackMemory::charge(uint64_t bytes) {
  if (bytes > settings_.max_total_bytes || in_use_ > settings_.max_total_bytes - bytes) return false;
  in_use_ += bytes;
  return true;
}

bool StackMemory::take_block(uint64_t bytes, void** block, uint64_t* block_bytes) {
  if (bytes > (uint64_t{1} << (kClasses - 1))) return false;
  const uint64_t size = block_size_for(bytes);
  if (!charge(size)) return false;
  std::vector<void*>& cached = free_blocks_[std::countr_zero(size)];
  void* p;
  if (!cached.empty()) {
    p = cached.back();
    cached.pop_back();
    cached_bytes_ -= size;
  } else {
    p = allocate_block(size);
    if (p == nullptr) {
      uncharge(size);
      return false;
    }
  }
  *block = p;
  *block_bytes = size;
  ++blocks_taken_;
  return true;
}

void StackMemory::give_block(void* block, uint64_t block_bytes) {
  uncharge(block_bytes);
  if (block_bytes <= kMaxCachedBlock && cached_bytes_ + block_bytes <= kCacheBytes) {
    free_blocks_[std::countr_zero(block_bytes)].push_back(block);
    cached_bytes_ += block_bytes;
    return;
  }
  free_block(block, block_bytes);
}

Segment* StackMemory::take_segment(uint64_t bytes) {
  void* block;
  uint64_t size;
  if (!take_block(bytes, &block, &size)) return nullptr;
  Segment* s = free_segments_;
  if (s != nullptr) {
    free_segments_ = s->next_free;
  } else {
    s = new Segment;
    all_segments_.push_back(s);
  }
  *s = Segment{};
  s->block = block;
  s->block_bytes = size;
  s->lo = static_cast<uint64_t*>(block);
  s->hi = s->lo + size / sizeof(uint64_t) - kLinkSlots;
  return s;
}

void StackMemory::give_segment(Segment* s) {
  give_block(s->block, s->block_bytes);
  s->block = nullptr;
  s->next_free = free_segments_;
  free_segments_ = s;
}

}  // namespace weft
