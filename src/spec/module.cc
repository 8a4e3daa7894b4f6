#include "spec/module.h"

namespace weft {

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::func: return "func";
    case ExternKind::table: return "table";
    case ExternKind::memory: return "memory";
    case ExternKind::global: return "global";
    case ExternKind::tag: return "tag";
  }
  return "unknown";
}

namespace {

// The n-th import of kind `k`, or nullptr.
const Import* nth_import(const std::vector<Import>& imports, ExternKind k, uint32_t n) {
  for (const Import& im : imports) {
    if (im.kind != k) continue;
    if (n == 0) return &im;
    --n;
  }
  return nullptr;
}

}  // namespace

// Each accessor takes an index that the caller has checked against the
// matching num_*() count; out-of-range indices yield a default value rather
// than undefined behaviour.

uint32_t Module::func_type_index(uint32_t i) const {
  if (i < num_imported_funcs) {
    const Import* im = nth_import(imports, ExternKind::func, i);
    return im ? im->type_index : 0;
  }
  i -= num_imported_funcs;
  return i < funcs.size() ? funcs[i].type_index : 0;
}

TableType Module::table_type(uint32_t i) const {
  if (i < num_imported_tables) {
    const Import* im = nth_import(imports, ExternKind::table, i);
    return im ? im->table : TableType{};
  }
  i -= num_imported_tables;
  return i < tables.size() ? tables[i].type : TableType{};
}

MemoryType Module::memory_type(uint32_t i) const {
  if (i < num_imported_memories) {
    const Import* im = nth_import(imports, ExternKind::memory, i);
    return im ? im->memory : MemoryType{};
  }
  i -= num_imported_memories;
  return i < memories.size() ? memories[i].type : MemoryType{};
}

GlobalType Module::global_type(uint32_t i) const {
  if (i < num_imported_globals) {
    const Import* im = nth_import(imports, ExternKind::global, i);
    return im ? im->global : GlobalType{};
  }
  i -= num_imported_globals;
  return i < globals.size() ? globals[i].type : GlobalType{};
}

uint32_t Module::tag_type_index(uint32_t i) const {
  if (i < num_imported_tags) {
    const Import* im = nth_import(imports, ExternKind::tag, i);
    return im ? im->type_index : 0;
  }
  i -= num_imported_tags;
  return i < tags.size() ? tags[i].type_index : 0;
}

std::string Module::func_name(uint32_t i) const {
  auto it = func_names.find(i);
  return it == func_names.end() ? std::string() : it->second;
}

}  // namespace weft
