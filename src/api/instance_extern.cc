// Instances (imports linked by position, as the standard has it) and the
// conversions between externs and the four extern kinds.
#include <vector>

#include "api/api_internal.h"

using namespace weft::api;

namespace {

// Why an instantiation cannot even start, or nullptr.
const char* check_link_inputs(wasm_store_t* store, const wasm_module_t* module, const wasm_extern_vec_t* imports) {
  if (&module->store->engine->engine != &store->engine->engine) return "module was compiled for another engine";
  const size_t n = imports ? imports->size : 0;
  for (size_t i = 0; i < n; ++i) {
    if (imports->data[i] == nullptr) return "import is null";
    if (imports->data[i]->store != store) return "import belongs to another store";
  }
  return nullptr;
}

}  // namespace

extern "C" {

wasm_instance_t* wasm_instance_new(wasm_store_t* store, const wasm_module_t* module, const wasm_extern_vec_t* imports,
                                   wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  if (const char* why = check_link_inputs(store, module, imports)) {
    if (trap) *trap = new_trap(store, why);
    return nullptr;
  }
  std::vector<weft::Extern> externs;
  const size_t n = imports ? imports->size : 0;
  externs.reserve(n);
  for (size_t i = 0; i < n; ++i) externs.push_back(imports->data[i]->ext);
  auto instance = weft::instantiate(store->store, module->module, externs);
  if (!instance.ok()) {
    if (trap) *trap = new_trap(store, instance.error());
    return nullptr;
  }
  return new wasm_instance_t(store, instance.value());
}

// In the order of the module's exports, without tags (as wasm_module_exports).
void wasm_instance_exports(const wasm_instance_t* instance, wasm_extern_vec_t* out) {
  const weft::Instance& inst = *instance->instance;
  std::vector<wasm_extern_t*> externs;
  for (const weft::Export& e : inst.module->exports) {
    if (e.kind == weft::ExternKind::tag) continue;
    auto ext = inst.find_export(e.name);
    externs.push_back(new_extern(instance->store, *ext));
  }
  wasm_extern_vec_new(out, externs.size(), externs.data());
}

// ---- externs ----------------------------------------------------------------------

wasm_externkind_t wasm_extern_kind(const wasm_extern_t* ext) {
  switch (ext->ext.kind) {
    case weft::ExternKind::global: return WASM_EXTERN_GLOBAL;
    case weft::ExternKind::table: return WASM_EXTERN_TABLE;
    case weft::ExternKind::memory: return WASM_EXTERN_MEMORY;
    default: return WASM_EXTERN_FUNC;
  }
}

wasm_externtype_t* wasm_extern_type(const wasm_extern_t* ext) { return extern_type(ext->store->store, ext->ext); }

wasm_extern_t* wasm_func_as_extern(wasm_func_t* f) { return f; }
wasm_extern_t* wasm_global_as_extern(wasm_global_t* g) { return g; }
wasm_extern_t* wasm_table_as_extern(wasm_table_t* t) { return t; }
wasm_extern_t* wasm_memory_as_extern(wasm_memory_t* m) { return m; }
const wasm_extern_t* wasm_func_as_extern_const(const wasm_func_t* f) { return f; }
const wasm_extern_t* wasm_global_as_extern_const(const wasm_global_t* g) { return g; }
const wasm_extern_t* wasm_table_as_extern_const(const wasm_table_t* t) { return t; }
const wasm_extern_t* wasm_memory_as_extern_const(const wasm_memory_t* m) { return m; }

wasm_func_t* wasm_extern_as_func(wasm_extern_t* e) {
  return e && e->kind == RefKind::func ? static_cast<wasm_func_t*>(e) : nullptr;
}
wasm_global_t* wasm_extern_as_global(wasm_extern_t* e) {
  return e && e->kind == RefKind::global ? static_cast<wasm_global_t*>(e) : nullptr;
}
wasm_table_t* wasm_extern_as_table(wasm_extern_t* e) {
  return e && e->kind == RefKind::table ? static_cast<wasm_table_t*>(e) : nullptr;
}
wasm_memory_t* wasm_extern_as_memory(wasm_extern_t* e) {
  return e && e->kind == RefKind::memory ? static_cast<wasm_memory_t*>(e) : nullptr;
}
const wasm_func_t* wasm_extern_as_func_const(const wasm_extern_t* e) {
  return e && e->kind == RefKind::func ? static_cast<const wasm_func_t*>(e) : nullptr;
}
const wasm_global_t* wasm_extern_as_global_const(const wasm_extern_t* e) {
  return e && e->kind == RefKind::global ? static_cast<const wasm_global_t*>(e) : nullptr;
}
const wasm_table_t* wasm_extern_as_table_const(const wasm_extern_t* e) {
  return e && e->kind == RefKind::table ? static_cast<const wasm_table_t*>(e) : nullptr;
}
const wasm_memory_t* wasm_extern_as_memory_const(const wasm_extern_t* e) {
  return e && e->kind == RefKind::memory ? static_cast<const wasm_memory_t*>(e) : nullptr;
}

}  // extern "C"
