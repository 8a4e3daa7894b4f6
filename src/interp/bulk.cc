#include "interp/bulk.h"

#include <algorithm>
#include <cstring>

namespace weft::interp {

const char* memory_fill(Memory& m, uint64_t d, uint8_t value, uint64_t n) {
  if (!in_bounds(d, n, m.size_bytes)) return kOobMemory;
  if (n) std::memset(m.data + d, value, n);
  return nullptr;
}

const char* memory_copy(Memory& dst, Memory& src, uint64_t d, uint64_t s, uint64_t n) {
  if (!in_bounds(s, n, src.size_bytes) || !in_bounds(d, n, dst.size_bytes)) return kOobMemory;
  if (n) std::memmove(dst.data + d, src.data + s, n);
  return nullptr;
}

const char* memory_init(Memory& m, const DataInstance& data, uint64_t d, uint64_t s, uint64_t n) {
  if (!in_bounds(s, n, data.size) || !in_bounds(d, n, m.size_bytes)) return kOobMemory;
  if (n) std::memcpy(m.data + d, data.bytes + s, n);
  return nullptr;
}

const char* table_fill(Table& t, uint64_t i, Ref value, uint64_t n) {
  if (!in_bounds(i, n, t.elems.size())) return kOobTable;
  std::fill_n(t.elems.begin() + ptrdiff_t(i), n, value);
  return nullptr;
}

const char* table_copy(Table& dst, Table& src, uint64_t d, uint64_t s, uint64_t n) {
  if (!in_bounds(s, n, src.elems.size()) || !in_bounds(d, n, dst.elems.size())) return kOobTable;
  if (n) std::memmove(dst.elems.data() + d, src.elems.data() + s, n * sizeof(Ref));
  return nullptr;
}

const char* table_init(Table& t, const ElemInstance& elem, uint64_t d, uint64_t s, uint64_t n) {
  if (!in_bounds(s, n, elem.refs.size()) || !in_bounds(d, n, t.elems.size())) return kOobTable;
  std::copy_n(elem.refs.begin() + ptrdiff_t(s), n, t.elems.begin() + ptrdiff_t(d));
  return nullptr;
}

int64_t table_grow(Table& t, uint64_t n, Ref init) {
  uint64_t old = t.elems.size();
  if (n == 0) return int64_t(old);
  uint64_t max = t.type.limits.is64 ? UINT64_MAX : UINT32_MAX;
  if (t.type.limits.max) max = std::min(max, *t.type.limits.max);
  max = std::min(max, t.max_elements);
  if (n > max || old > max - n) return -1;
  t.elems.resize(old + n, init);
  t.type.limits.min = old + n;
  return int64_t(old);
}

}  // namespace weft::interp
