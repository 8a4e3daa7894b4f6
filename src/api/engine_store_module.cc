// Config, engine and store; modules (compile, validate, reflect, serialize,
// share across threads).
#include <vector>

#include "api/api_internal.h"
#include "api/weft_internal.h"
#include "binary/decoder.h"
#include "validate/validator.h"

namespace weft::api {

StoreOwned::StoreOwned(wasm_store_t* s) : store(s) { store->live.insert(this); }

StoreOwned::~StoreOwned() {
  if (!store->closing) store->live.erase(this);
}

namespace {

// Decodes and validates as the CLI does (cli/load.cc), with the interrupt
// checks the engine's fuel, timeout or interruptible setting needs.
Result<std::shared_ptr<const Module>> compile(Engine& engine, const wasm_byte_vec_t* binary) {
  const auto* begin = reinterpret_cast<const uint8_t*>(binary->data);
  std::vector<uint8_t> bytes(begin, begin + binary->size);
  WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
  WEFT_CHECK(validate_module(engine.types(), *m, {.interrupt_checks = engine.needs_interrupt_checks()}));
  return std::shared_ptr<const Module>(std::move(m));
}

wasm_externtype_t* import_type(const Module& m, const Import& imp) {
  switch (imp.kind) {
    case ExternKind::func: return new_functype(m.types[imp.type_index].comp.func);
    case ExternKind::global:
      return new wasm_globaltype_t(wasm_valtype_new(to_valkind(imp.global.type)),
                                   imp.global.mutable_ ? WASM_VAR : WASM_CONST);
    case ExternKind::table:
      return new wasm_tabletype_t(wasm_valtype_new(to_valkind(imp.table.elem)), to_limits(imp.table.limits));
    case ExternKind::memory: return new wasm_memorytype_t(to_limits(imp.memory.limits));
    case ExternKind::tag: break;
  }
  return nullptr;
}

wasm_externtype_t* export_type(const Module& m, const Export& e) {
  switch (e.kind) {
    case ExternKind::func: return new_functype(m.types[m.func_type_index(e.index)].comp.func);
    case ExternKind::global: {
      GlobalType g = m.global_type(e.index);
      return new wasm_globaltype_t(wasm_valtype_new(to_valkind(g.type)), g.mutable_ ? WASM_VAR : WASM_CONST);
    }
    case ExternKind::table: {
      TableType t = m.table_type(e.index);
      return new wasm_tabletype_t(wasm_valtype_new(to_valkind(t.elem)), to_limits(t.limits));
    }
    case ExternKind::memory: return new wasm_memorytype_t(to_limits(m.memory_type(e.index).limits));
    case ExternKind::tag: break;
  }
  return nullptr;
}

}  // namespace
}  // namespace weft::api

using namespace weft::api;

// Finalizers run before the runtime objects go, so that they may still look
// at them; handles the embedder kept go first.
wasm_store_t::~wasm_store_t() {
  closing = true;
  for (StoreOwned* object : live) delete object;
  live.clear();
  for (auto& [identity, info] : host_infos)
    if (info.finalizer) info.finalizer(info.info);
  for (HostFunc& f : host_funcs)
    if (f.finalizer) f.finalizer(f.env);
}

extern "C" {

// ---- config, engine, store -------------------------------------------------------

wasm_config_t* wasm_config_new(void) { return new wasm_config_t(); }
void wasm_config_delete(wasm_config_t* config) { delete config; }

wasm_engine_t* wasm_engine_new(void) { return new wasm_engine_t(weft::EngineConfig{}); }
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* config) {
  auto* engine = new wasm_engine_t(config->config);
  delete config;
  return engine;
}
void wasm_engine_delete(wasm_engine_t* engine) { delete engine; }

wasm_store_t* wasm_store_new(wasm_engine_t* engine) { return new wasm_store_t(engine); }
void wasm_store_delete(wasm_store_t* store) { delete store; }

// ---- modules ---------------------------------------------------------------------

wasm_module_t* wasm_module_new(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  auto module = compile(store->engine->engine, binary);
  if (!module.ok()) return nullptr;
  return new wasm_module_t(store, std::move(module.value()));
}

bool wasm_module_validate(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  return compile(store->engine->engine, binary).ok();
}

// Tags have no C API kind: they are left out of imports and exports.
void wasm_module_imports(const wasm_module_t* module, wasm_importtype_vec_t* out) {
  const weft::Module& m = *module->module;
  std::vector<wasm_importtype_t*> types;
  for (const weft::Import& imp : m.imports) {
    wasm_externtype_t* type = import_type(m, imp);
    if (!type) continue;
    wasm_name_t module_name = to_name(imp.module), name = to_name(imp.name);
    types.push_back(wasm_importtype_new(&module_name, &name, type));
  }
  wasm_importtype_vec_new(out, types.size(), types.data());
}

void wasm_module_exports(const wasm_module_t* module, wasm_exporttype_vec_t* out) {
  const weft::Module& m = *module->module;
  std::vector<wasm_exporttype_t*> types;
  for (const weft::Export& e : m.exports) {
    wasm_externtype_t* type = export_type(m, e);
    if (!type) continue;
    wasm_name_t name = to_name(e.name);
    types.push_back(wasm_exporttype_new(&name, type));
  }
  wasm_exporttype_vec_new(out, types.size(), types.data());
}

// The serialized form is the module's binary: deserializing validates it
// again, for the engine of the store it is loaded into.
void wasm_module_serialize(const wasm_module_t* module, wasm_byte_vec_t* out) {
  const std::vector<uint8_t>& bytes = module->module->bytes;
  wasm_byte_vec_new(out, bytes.size(), reinterpret_cast<const byte_t*>(bytes.data()));
}

wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* bytes) {
  return wasm_module_new(store, bytes);
}

// A shared module holds the compiled module, not a store's handle: any
// thread may obtain it into a store of the same engine.
wasm_shared_module_t* wasm_module_share(const wasm_module_t* module) {
  return new wasm_shared_module_t{module->module, &module->store->engine->engine};
}
void wasm_shared_module_delete(wasm_shared_module_t* shared) { delete shared; }

wasm_module_t* wasm_module_obtain(wasm_store_t* store, const wasm_shared_module_t* shared) {
  if (shared->engine != &store->engine->engine) return nullptr;
  return new wasm_module_t(store, shared->module);
}

}  // extern "C"
