#include "stacks/stack.h"

#include <sys/mman.h>
#include <unistd.h>

namespace weft {

namespace {
uint64_t page_size() {
  long p = sysconf(_SC_PAGESIZE);
  return p > 0 ? uint64_t(p) : 4096;
}
}  // namespace

std::unique_ptr<Stack> Stack::create(uint64_t bytes) {
  auto s = std::make_unique<Stack>();
  if (!s->map(bytes)) return nullptr;
  return s;
}

bool Stack::map(uint64_t bytes) {
  if (begin_) return true;
  uint64_t page = page_size();
  if (bytes < 4 * page) bytes = 4 * page;
  bytes = (bytes + page - 1) / page * page;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  begin_ = static_cast<uint64_t*>(p);
  end_ = begin_ + bytes / sizeof(uint64_t);
  top = begin_;
  headers = headers_end();
  return true;
}

void Stack::unmap() {
  if (begin_) munmap(begin_, size_bytes());
  begin_ = end_ = top = nullptr;
  headers = nullptr;
}

Stack::~Stack() { unmap(); }

void Stack::release_unused() {
  uint64_t page = page_size();
  auto lo = (reinterpret_cast<uintptr_t>(top) + page - 1) / page * page;
  auto hi = reinterpret_cast<uintptr_t>(headers) / page * page;
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

void Stack::release_all() {
  if (begin_) madvise(begin_, size_bytes(), MADV_DONTNEED);
}

}  // namespace weft
