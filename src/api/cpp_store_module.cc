// The C++ API's runtime environment (Config, Engine, Store), references in
// general (Ref), modules (and their sharing) and foreign objects, on the C
// API's objects (cpp_internal.h says how).
#include "api/cpp_internal.h"

using namespace weft::api::cpp;

namespace wasm {

// ---- config, engine, store ------------------------------------------------------

Config::~Config() {}
void Config::operator delete(void* p) { wasm_config_delete(static_cast<wasm_config_t*>(p)); }
auto Config::make() -> own<Config> { return own_cpp(wasm_config_new()); }

Engine::~Engine() {}
void Engine::operator delete(void* p) { wasm_engine_delete(static_cast<wasm_engine_t*>(p)); }

// The engine takes the config over, as wasm_engine_new_with_config.
auto Engine::make(own<Config>&& config) -> own<Engine> {
  if (!config) return own_cpp(wasm_engine_new());
  return own_cpp(wasm_engine_new_with_config(to_c(config.release())));
}

Store::~Store() {}
void Store::operator delete(void* p) { wasm_store_delete(static_cast<wasm_store_t*>(p)); }
auto Store::make(Engine* engine) -> own<Store> {
  if (!engine) return nullptr;
  return own_cpp(wasm_store_new(to_c(engine)));
}

// ---- references --------------------------------------------------------------------

// Every reference kind derives from wasm_ref_t, whose deletion (virtual)
// unregisters the handle from its store: one operator delete serves all.
Ref::~Ref() {}
void Ref::operator delete(void* p) { wasm_ref_delete(static_cast<wasm_ref_t*>(p)); }

auto Ref::copy() const -> own<Ref> { return own_cpp(wasm_ref_copy(to_c(this))); }
auto Ref::same(const Ref* that) const -> bool { return wasm_ref_same(to_c(this), to_c(that)); }
auto Ref::get_host_info() const -> void* { return wasm_ref_get_host_info(to_c(this)); }
void Ref::set_host_info(void* info, void (*finalizer)(void*)) {
  wasm_ref_set_host_info_with_finalizer(to_c(this), info, finalizer);
}

// ---- modules ----------------------------------------------------------------------

Module::~Module() {}

auto Module::validate(Store* store, const vec<byte_t>& binary) -> bool {
  if (!store) return false;
  wasm_byte_vec_t view = byte_view(binary);
  return wasm_module_validate(to_c(store), &view);
}

auto Module::make(Store* store, const vec<byte_t>& binary) -> own<Module> {
  if (!store) return nullptr;
  wasm_byte_vec_t view = byte_view(binary);
  return own_cpp(wasm_module_new(to_c(store), &view));
}

auto Module::copy() const -> own<Module> { return own_cpp(wasm_module_copy(to_c(this))); }

auto Module::imports() const -> ownvec<ImportType> {
  wasm_importtype_vec_t c;
  wasm_module_imports(to_c(this), &c);
  auto v = ownvec_of(c);
  wasm_importtype_vec_delete(&c);
  return v;
}

auto Module::exports() const -> ownvec<ExportType> {
  wasm_exporttype_vec_t c;
  wasm_module_exports(to_c(this), &c);
  auto v = ownvec_of(c);
  wasm_exporttype_vec_delete(&c);
  return v;
}

auto Module::share() const -> own<Shared<Module>> { return own_cpp(wasm_module_share(to_c(this))); }

auto Module::obtain(Store* store, const Shared<Module>* shared) -> own<Module> {
  if (!store || !shared) return nullptr;
  return own_cpp(wasm_module_obtain(to_c(store), to_c(shared)));
}

auto Module::serialize() const -> vec<byte_t> {
  wasm_byte_vec_t c;
  wasm_module_serialize(to_c(this), &c);
  return bytes_of(c);
}

auto Module::deserialize(Store* store, const vec<byte_t>& serialized) -> own<Module> {
  if (!store) return nullptr;
  wasm_byte_vec_t view = byte_view(serialized);
  return own_cpp(wasm_module_deserialize(to_c(store), &view));
}

Shared<Module>::~Shared() {}
void Shared<Module>::operator delete(void* p) { wasm_shared_module_delete(static_cast<wasm_shared_module_t*>(p)); }

// ---- foreign objects -----------------------------------------------------------------

Foreign::~Foreign() {}
auto Foreign::make(Store* store) -> own<Foreign> {
  if (!store) return nullptr;
  return own_cpp(wasm_foreign_new(to_c(store)));
}
auto Foreign::copy() const -> own<Foreign> { return own_cpp(wasm_foreign_copy(to_c(this))); }

}  // namespace wasm
