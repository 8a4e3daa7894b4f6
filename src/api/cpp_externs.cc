// The C++ API's externals (Extern, Global, Table, Memory) and instances, on
// the C API's objects (cpp_internal.h says how).
#include <vector>

#include "api/cpp_internal.h"

using namespace weft::api::cpp;
using wasm::detail::ValBridge;

namespace wasm {

// ---- externs --------------------------------------------------------------------

Extern::~Extern() {}

auto Extern::copy() const -> own<Extern> { return own_cpp(wasm_extern_copy(to_c(this))); }
auto Extern::kind() const -> ExternKind { return ExternKind(wasm_extern_kind(to_c(this))); }
auto Extern::type() const -> own<ExternType> { return own_cpp(wasm_extern_type(to_c(this))); }

// wasm_extern_as_X does not change the object: the const_casts only follow
// the C signatures.
auto Extern::func() -> Func* { return to_cpp(wasm_extern_as_func(to_c(this))); }
auto Extern::global() -> Global* { return to_cpp(wasm_extern_as_global(to_c(this))); }
auto Extern::table() -> Table* { return to_cpp(wasm_extern_as_table(to_c(this))); }
auto Extern::memory() -> Memory* { return to_cpp(wasm_extern_as_memory(to_c(this))); }
auto Extern::func() const -> const Func* { return to_cpp(wasm_extern_as_func_const(to_c(this))); }
auto Extern::global() const -> const Global* { return to_cpp(wasm_extern_as_global_const(to_c(this))); }
auto Extern::table() const -> const Table* { return to_cpp(wasm_extern_as_table_const(to_c(this))); }
auto Extern::memory() const -> const Memory* { return to_cpp(wasm_extern_as_memory_const(to_c(this))); }

// ---- globals ----------------------------------------------------------------------

Global::~Global() {}

// The value is lent (the C API copies what it keeps).
auto Global::make(Store* store, const GlobalType* type, const Val& init) -> own<Global> {
  if (!store || !type) return nullptr;
  wasm_val_t c = ValBridge::borrow(init, wasm_valtype_kind(wasm_globaltype_content(to_c(type))));
  return own_cpp(wasm_global_new(to_c(store), to_c(type), &c));
}

auto Global::copy() const -> own<Global> { return own_cpp(wasm_global_copy(to_c(this))); }
auto Global::type() const -> own<GlobalType> { return own_cpp(wasm_global_type(to_c(this))); }

auto Global::get() const -> Val {
  wasm_val_t c;
  wasm_global_get(to_c(this), &c);
  return ValBridge::adopt(c);
}

void Global::set(const Val& val) {
  wasm_global_t* global = to_c(this);
  wasm_val_t c = ValBridge::borrow(val, weft::api::to_valkind(global->ext.global()->type.type));
  wasm_global_set(global, &c);
}

// ---- tables -----------------------------------------------------------------------

Table::~Table() {}

// References passed in are lent: the C API keeps its own.
auto Table::make(Store* store, const TableType* type, const Ref* init) -> own<Table> {
  if (!store || !type) return nullptr;
  return own_cpp(wasm_table_new(to_c(store), to_c(type), const_cast<wasm_ref_t*>(to_c(init))));
}

auto Table::copy() const -> own<Table> { return own_cpp(wasm_table_copy(to_c(this))); }
auto Table::type() const -> own<TableType> { return own_cpp(wasm_table_type(to_c(this))); }
auto Table::get(size_t index) const -> own<Ref> { return own_cpp(wasm_table_get(to_c(this), index)); }
auto Table::set(size_t index, const Ref* ref) -> bool {
  return wasm_table_set(to_c(this), index, const_cast<wasm_ref_t*>(to_c(ref)));
}
auto Table::size() const -> size_t { return wasm_table_size(to_c(this)); }
auto Table::grow(size_t delta, const Ref* init) -> bool {
  return wasm_table_grow(to_c(this), delta, const_cast<wasm_ref_t*>(to_c(init)));
}

// ---- memories ---------------------------------------------------------------------

Memory::~Memory() {}

// The definition a program's uses of page_size by reference link to.
const size_t Memory::page_size;

auto Memory::make(Store* store, const MemoryType* type) -> own<Memory> {
  if (!store || !type) return nullptr;
  return own_cpp(wasm_memory_new(to_c(store), to_c(type)));
}

auto Memory::copy() const -> own<Memory> { return own_cpp(wasm_memory_copy(to_c(this))); }
auto Memory::type() const -> own<MemoryType> { return own_cpp(wasm_memory_type(to_c(this))); }
// The standard's data() is const although it gives write access.
auto Memory::data() const -> byte_t* { return wasm_memory_data(const_cast<wasm_memory_t*>(to_c(this))); }
auto Memory::data_size() const -> size_t { return wasm_memory_data_size(to_c(this)); }
auto Memory::size() const -> pages_t { return wasm_memory_size(to_c(this)); }
auto Memory::grow(pages_t delta) -> bool { return wasm_memory_grow(to_c(this), delta); }

// ---- instances --------------------------------------------------------------------

Instance::~Instance() {}

namespace {

// Imports are lent to wasm_instance_new as a C vector of the same pointers.
own<Instance> instantiate(Store* store, const Module* module, std::vector<wasm_extern_t*> imports,
                          own<Trap>* trap) {
  if (trap) trap->reset();
  if (!store || !module) return nullptr;
  wasm_extern_vec_t c_imports{imports.size(), imports.data()};
  wasm_trap_t* c_trap = nullptr;
  wasm_instance_t* instance = wasm_instance_new(to_c(store), to_c(module), &c_imports, trap ? &c_trap : nullptr);
  if (trap) trap->reset(to_cpp(c_trap));
  return own_cpp(instance);
}

}  // namespace

auto Instance::make(Store* store, const Module* module, const ownvec<Extern>& imports, own<Trap>* trap)
    -> own<Instance> {
  std::vector<wasm_extern_t*> c_imports(imports ? imports.size() : 0);
  for (size_t i = 0; i < c_imports.size(); ++i) c_imports[i] = to_c(imports[i].get());
  return instantiate(store, module, std::move(c_imports), trap);
}

auto Instance::make(Store* store, const Module* module, const vec<Extern*>& imports, own<Trap>* trap)
    -> own<Instance> {
  std::vector<wasm_extern_t*> c_imports(imports ? imports.size() : 0);
  for (size_t i = 0; i < c_imports.size(); ++i) c_imports[i] = to_c(imports[i]);
  return instantiate(store, module, std::move(c_imports), trap);
}

auto Instance::copy() const -> own<Instance> { return own_cpp(wasm_instance_copy(to_c(this))); }

auto Instance::exports() const -> ownvec<Extern> {
  wasm_extern_vec_t c;
  wasm_instance_exports(to_c(this), &c);
  auto v = ownvec_of(c);
  wasm_extern_vec_delete(&c);
  return v;
}

}  // namespace wasm
