// Globals, tables and memories made by the host or exported by instances.
#include "api/api_internal.h"
#include "interp/bulk.h"

using namespace weft::api;

extern "C" {

// ---- globals ---------------------------------------------------------------------------

wasm_global_t* wasm_global_new(wasm_store_t* store, const wasm_globaltype_t* type, const wasm_val_t* init) {
  weft::GlobalType gt{to_valtype(type->content->kind), type->mutability == WASM_VAR};
  uint64_t bits = 0;
  if (!to_runtime_value(store, *init, gt.type, &bits)) return nullptr;
  weft::Global* g = store->store.new_global(gt, bits);
  return new wasm_global_t(store, weft::Extern{weft::ExternKind::global, g});
}

wasm_globaltype_t* wasm_global_type(const wasm_global_t* global) {
  return static_cast<wasm_globaltype_t*>(extern_type(global->store->store, global->ext));
}

void wasm_global_get(const wasm_global_t* global, wasm_val_t* out) {
  const weft::Global* g = global->ext.global();
  *out = from_runtime_value(global->store, g->type.type, g->value);
}

// Setting an immutable global, or a value of another type, does nothing.
void wasm_global_set(wasm_global_t* global, const wasm_val_t* val) {
  weft::Global* g = global->ext.global();
  uint64_t bits = 0;
  if (!g->type.mutable_ || !to_runtime_value(global->store, *val, g->type.type, &bits)) return;
  g->value = bits;
}

// ---- tables ----------------------------------------------------------------------------

namespace {

// A reference for a table of element type `elem`, or false if it does not
// fit (another store's, or a non-function in a function table).
bool table_ref(wasm_store_t* store, const weft::ValType& elem, const wasm_ref_t* ref, weft::Ref* out) {
  if (ref && ref->store != store) return false;
  if (ref == nullptr && !elem.nullable) return false;
  if (ref && to_valkind(elem) == WASM_FUNCREF && ref->kind != RefKind::func) return false;
  *out = to_runtime_ref(store, ref, elem);
  return true;
}

}  // namespace

wasm_table_t* wasm_table_new(wasm_store_t* store, const wasm_tabletype_t* type, wasm_ref_t* init) {
  weft::TableType tt{to_valtype(type->element->kind), from_limits(type->limits)};
  if (tt.limits.max && *tt.limits.max < tt.limits.min) return nullptr;
  if (tt.limits.min > store->engine->engine.config().max_table_elements) return nullptr;
  weft::Ref init_ref = weft::kNullRef;
  if (!table_ref(store, tt.elem, init, &init_ref)) return nullptr;
  weft::Table* t = store->store.new_table(tt, init_ref);
  return new wasm_table_t(store, weft::Extern{weft::ExternKind::table, t});
}

wasm_tabletype_t* wasm_table_type(const wasm_table_t* table) {
  return static_cast<wasm_tabletype_t*>(extern_type(table->store->store, table->ext));
}

// Null for an index out of bounds, as for a null element.
wasm_ref_t* wasm_table_get(const wasm_table_t* table, wasm_table_size_t index) {
  const weft::Table* t = table->ext.table();
  if (index >= t->elems.size()) return nullptr;
  return from_runtime_ref(table->store, t->elems[index], t->type.elem);
}

bool wasm_table_set(wasm_table_t* table, wasm_table_size_t index, wasm_ref_t* ref) {
  weft::Table* t = table->ext.table();
  weft::Ref r = weft::kNullRef;
  if (index >= t->elems.size() || !table_ref(table->store, t->type.elem, ref, &r)) return false;
  t->elems[index] = r;
  return true;
}

wasm_table_size_t wasm_table_size(const wasm_table_t* table) {
  return wasm_table_size_t(table->ext.table()->elems.size());
}

// Within the declared maximum and the engine's max_table_elements, as
// table.grow.
bool wasm_table_grow(wasm_table_t* table, wasm_table_size_t delta, wasm_ref_t* init) {
  weft::Table* t = table->ext.table();
  weft::Ref r = weft::kNullRef;
  if (!table_ref(table->store, t->type.elem, init, &r)) return false;
  if (t->elems.size() + delta > UINT32_MAX) return false;
  return weft::interp::table_grow(*t, delta, r) >= 0;
}

// ---- memories --------------------------------------------------------------------------

wasm_memory_t* wasm_memory_new(wasm_store_t* store, const wasm_memorytype_t* type) {
  weft::MemoryType mt{from_limits(type->limits)};
  if (mt.limits.max && *mt.limits.max < mt.limits.min) return nullptr;
  if (mt.limits.min > store->engine->engine.config().max_memory_pages) return nullptr;
  weft::Memory* m = store->store.new_memory(mt);
  if (m == nullptr) return nullptr;
  return new wasm_memory_t(store, weft::Extern{weft::ExternKind::memory, m});
}

wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* memory) {
  return static_cast<wasm_memorytype_t*>(extern_type(memory->store->store, memory->ext));
}

byte_t* wasm_memory_data(wasm_memory_t* memory) { return reinterpret_cast<byte_t*>(memory->ext.memory()->data); }

size_t wasm_memory_data_size(const wasm_memory_t* memory) { return size_t(memory->ext.memory()->size_bytes); }

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* memory) {
  return wasm_memory_pages_t(memory->ext.memory()->pages());
}

bool wasm_memory_grow(wasm_memory_t* memory, wasm_memory_pages_t delta) {
  return memory->ext.memory()->grow(delta) >= 0;
}

}  // extern "C"
