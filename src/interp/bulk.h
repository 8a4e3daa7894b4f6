// Bulk memory and table operations with the spec's bounds rules, shared by
// the interpreter and instantiation (active segments). Each returns nullptr on
// success or the trap message; nothing is written when it traps.
#pragma once

#include <cstdint>

#include "runtime/store.h"

namespace weft::interp {

inline constexpr const char* kOobMemory = "out of bounds memory access";
inline constexpr const char* kOobTable = "out of bounds table access";

// True if [start, start + n) lies within [0, size).
inline bool in_bounds(uint64_t start, uint64_t n, uint64_t size) {
  return start <= size && n <= size - start;
}

const char* memory_fill(Memory& m, uint64_t d, uint8_t value, uint64_t n);
const char* memory_copy(Memory& dst, Memory& src, uint64_t d, uint64_t s, uint64_t n);
const char* memory_init(Memory& m, const DataInstance& data, uint64_t d, uint64_t s, uint64_t n);

const char* table_fill(Table& t, uint64_t i, Ref value, uint64_t n);
const char* table_copy(Table& dst, Table& src, uint64_t d, uint64_t s, uint64_t n);
const char* table_init(Table& t, const ElemInstance& elem, uint64_t d, uint64_t s, uint64_t n);
// Returns the old size, or -1 if the table cannot grow by n: past its
// declared maximum or past Table::max_elements (EngineConfig::max_table_elements),
// so a runaway table.grow fails instead of exhausting host memory.
int64_t table_grow(Table& t, uint64_t n, Ref init);

}  // namespace weft::interp
