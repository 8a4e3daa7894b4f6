// The C++ API's type classes (ValType ... ExportType) on the C API's type
// objects (cpp_internal.h says how).
#include "api/cpp_internal.h"

using namespace weft::api::cpp;

namespace wasm {

namespace {

// An ownvec of value types given to a C function that takes them over.
wasm_valtype_vec_t take_valtypes(ownvec<ValType>& types) {
  wasm_valtype_vec_t c;
  wasm_valtype_vec_new_uninitialized(&c, types ? types.size() : 0);
  for (size_t i = 0; i < c.size; ++i) c.data[i] = to_c(types[i].release());
  return c;
}

wasm_name_t take_name(Name& name) {
  if (!name) return wasm_name_t{0, nullptr};
  size_t size = name.size();
  return wasm_name_t{size, name.release()};
}

}  // namespace

// ---- value types ------------------------------------------------------------------

ValType::~ValType() {}
void ValType::operator delete(void* p) { wasm_valtype_delete(static_cast<wasm_valtype_t*>(p)); }

auto ValType::make(ValKind kind) -> own<ValType> { return own_cpp(wasm_valtype_new(uint8_t(kind))); }
auto ValType::copy() const -> own<ValType> { return own_cpp(wasm_valtype_copy(to_c(this))); }
auto ValType::kind() const -> ValKind { return ValKind(wasm_valtype_kind(to_c(this))); }

// ---- extern types -----------------------------------------------------------------

// The C type objects are polymorphic: deleting through the root is right for
// every kind.
ExternType::~ExternType() {}
void ExternType::operator delete(void* p) { wasm_externtype_delete(static_cast<wasm_externtype_t*>(p)); }

auto ExternType::copy() const -> own<ExternType> { return own_cpp(wasm_externtype_copy(to_c(this))); }
auto ExternType::kind() const -> ExternKind { return ExternKind(wasm_externtype_kind(to_c(this))); }

auto ExternType::func() -> FuncType* { return to_cpp(wasm_externtype_as_functype(to_c(this))); }
auto ExternType::global() -> GlobalType* { return to_cpp(wasm_externtype_as_globaltype(to_c(this))); }
auto ExternType::table() -> TableType* { return to_cpp(wasm_externtype_as_tabletype(to_c(this))); }
auto ExternType::memory() -> MemoryType* { return to_cpp(wasm_externtype_as_memorytype(to_c(this))); }
auto ExternType::func() const -> const FuncType* { return to_cpp(wasm_externtype_as_functype_const(to_c(this))); }
auto ExternType::global() const -> const GlobalType* {
  return to_cpp(wasm_externtype_as_globaltype_const(to_c(this)));
}
auto ExternType::table() const -> const TableType* { return to_cpp(wasm_externtype_as_tabletype_const(to_c(this))); }
auto ExternType::memory() const -> const MemoryType* {
  return to_cpp(wasm_externtype_as_memorytype_const(to_c(this)));
}

// ---- function types ---------------------------------------------------------------

FuncType::~FuncType() {}

auto FuncType::make(ownvec<ValType>&& params, ownvec<ValType>&& results) -> own<FuncType> {
  wasm_valtype_vec_t c_params = take_valtypes(params);
  wasm_valtype_vec_t c_results = take_valtypes(results);
  return own_cpp(wasm_functype_new(&c_params, &c_results));
}

auto FuncType::copy() const -> own<FuncType> { return own_cpp(wasm_functype_copy(to_c(this))); }

// The C type's vectors, seen as ownvecs (same layout, checked in
// cpp_internal.h); the caller only reads them.
auto FuncType::params() const -> const ownvec<ValType>& {
  return *reinterpret_cast<const ownvec<ValType>*>(wasm_functype_params(to_c(this)));
}
auto FuncType::results() const -> const ownvec<ValType>& {
  return *reinterpret_cast<const ownvec<ValType>*>(wasm_functype_results(to_c(this)));
}

// ---- global, table and memory types ----------------------------------------------

GlobalType::~GlobalType() {}

auto GlobalType::make(own<ValType>&& content, Mutability mutability) -> own<GlobalType> {
  if (!content) return nullptr;
  return own_cpp(wasm_globaltype_new(to_c(content.release()), uint8_t(mutability)));
}
auto GlobalType::copy() const -> own<GlobalType> { return own_cpp(wasm_globaltype_copy(to_c(this))); }
auto GlobalType::content() const -> const ValType* { return to_cpp(wasm_globaltype_content(to_c(this))); }
auto GlobalType::mutability() const -> Mutability { return Mutability(wasm_globaltype_mutability(to_c(this))); }

TableType::~TableType() {}

auto TableType::make(own<ValType>&& element, Limits limits) -> own<TableType> {
  if (!element) return nullptr;
  wasm_limits_t c_limits{limits.min, limits.max};
  return own_cpp(wasm_tabletype_new(to_c(element.release()), &c_limits));
}
auto TableType::copy() const -> own<TableType> { return own_cpp(wasm_tabletype_copy(to_c(this))); }
auto TableType::element() const -> const ValType* { return to_cpp(wasm_tabletype_element(to_c(this))); }
auto TableType::limits() const -> const Limits& {
  return *reinterpret_cast<const Limits*>(wasm_tabletype_limits(to_c(this)));
}

MemoryType::~MemoryType() {}

auto MemoryType::make(Limits limits) -> own<MemoryType> {
  wasm_limits_t c_limits{limits.min, limits.max};
  return own_cpp(wasm_memorytype_new(&c_limits));
}
auto MemoryType::copy() const -> own<MemoryType> { return own_cpp(wasm_memorytype_copy(to_c(this))); }
auto MemoryType::limits() const -> const Limits& {
  return *reinterpret_cast<const Limits*>(wasm_memorytype_limits(to_c(this)));
}

// ---- import and export types ----------------------------------------------------------

ImportType::~ImportType() {}
void ImportType::operator delete(void* p) { wasm_importtype_delete(static_cast<wasm_importtype_t*>(p)); }

// The names' arrays (new[]'d chars, as the C API's) move into the C object.
auto ImportType::make(Name&& module, Name&& name, own<ExternType>&& type) -> own<ImportType> {
  if (!type) return nullptr;
  wasm_name_t c_module = take_name(module);
  wasm_name_t c_name = take_name(name);
  return own_cpp(wasm_importtype_new(&c_module, &c_name, to_c(type.release())));
}
auto ImportType::copy() const -> own<ImportType> { return own_cpp(wasm_importtype_copy(to_c(this))); }
auto ImportType::module() const -> const Name& {
  return *reinterpret_cast<const Name*>(wasm_importtype_module(to_c(this)));
}
auto ImportType::name() const -> const Name& { return *reinterpret_cast<const Name*>(wasm_importtype_name(to_c(this))); }
auto ImportType::type() const -> const ExternType* { return to_cpp(wasm_importtype_type(to_c(this))); }

ExportType::~ExportType() {}
void ExportType::operator delete(void* p) { wasm_exporttype_delete(static_cast<wasm_exporttype_t*>(p)); }

auto ExportType::make(Name&& name, own<ExternType>&& type) -> own<ExportType> {
  if (!type) return nullptr;
  wasm_name_t c_name = take_name(name);
  return own_cpp(wasm_exporttype_new(&c_name, to_c(type.release())));
}
auto ExportType::copy() const -> own<ExportType> { return own_cpp(wasm_exporttype_copy(to_c(this))); }
auto ExportType::name() const -> const Name& { return *reinterpret_cast<const Name*>(wasm_exporttype_name(to_c(this))); }
auto ExportType::type() const -> const ExternType* { return to_cpp(wasm_exporttype_type(to_c(this))); }

}  // namespace wasm
