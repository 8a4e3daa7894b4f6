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
  uint64_t page = page_size();
  if (bytes < 4 * page) bytes = 4 * page;
  bytes = (bytes + page - 1) / page * page;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  auto* begin = static_cast<uint64_t*>(p);
  return std::unique_ptr<Stack>(new Stack(begin, begin + bytes / sizeof(uint64_t)));
}

Stack::~Stack() { munmap(begin_, size_bytes()); }

void Stack::release_unused() {
  uint64_t page = page_size();
  auto lo = (reinterpret_cast<uintptr_t>(top) + page - 1) / page * page;
  auto hi = reinterpret_cast<uintptr_t>(headers) / page * page;
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

}  // namespace weft
