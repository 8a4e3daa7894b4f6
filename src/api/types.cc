// Type objects of the C API (valtype ... exporttype), and their conversion
// from and to the runtime's types.
#include <algorithm>

#include "api/api_internal.h"

// ---- destructors and clones ----------------------------------------------------

wasm_functype_t::~wasm_functype_t() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
}

wasm_externtype_t* wasm_functype_t::clone() const {
  auto* t = new wasm_functype_t();
  wasm_valtype_vec_copy(&t->params, &params);
  wasm_valtype_vec_copy(&t->results, &results);
  return t;
}

wasm_importtype_t::~wasm_importtype_t() {
  wasm_byte_vec_delete(&module);
  wasm_byte_vec_delete(&name);
  delete type;
}

wasm_exporttype_t::~wasm_exporttype_t() {
  wasm_byte_vec_delete(&name);
  delete type;
}

namespace weft::api {

ValType to_valtype(wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I64: return ValType::i64();
    case WASM_F32: return ValType::f32();
    case WASM_F64: return ValType::f64();
    case WASM_EXTERNREF: return ValType::externref();
    case WASM_FUNCREF: return ValType::funcref();
    default: return ValType::i32();
  }
}

// References in the function hierarchy (funcref, typed function references)
// are funcrefs; every other reference is an externref to the C API.
wasm_valkind_t to_valkind(const ValType& type) {
  switch (type.kind) {
    case ValKind::i32: return WASM_I32;
    case ValKind::i64: return WASM_I64;
    case ValKind::f32: return WASM_F32;
    case ValKind::f64: return WASM_F64;
    case ValKind::ref: {
      if (type.heap.is_index()) return WASM_FUNCREF;
      AbsHeap h = type.heap.abs();
      return h == AbsHeap::func || h == AbsHeap::nofunc ? WASM_FUNCREF : WASM_EXTERNREF;
    }
    default: return WASM_EXTERNREF;
  }
}

wasm_valtype_vec_t to_valtype_vec(const std::vector<ValType>& types) {
  wasm_valtype_vec_t vec;
  wasm_valtype_vec_new_uninitialized(&vec, types.size());
  for (size_t i = 0; i < types.size(); ++i) vec.data[i] = wasm_valtype_new(to_valkind(types[i]));
  return vec;
}

std::vector<ValType> from_valtype_vec(const wasm_valtype_vec_t& vec) {
  std::vector<ValType> types;
  types.reserve(vec.size);
  for (size_t i = 0; i < vec.size; ++i) types.push_back(to_valtype(vec.data[i]->kind));
  return types;
}

wasm_functype_t* new_functype(const FuncType& ft) {
  auto* t = new wasm_functype_t();
  t->params = to_valtype_vec(ft.params);
  t->results = to_valtype_vec(ft.results);
  return t;
}

wasm_limits_t to_limits(const Limits& limits) {
  wasm_limits_t l;
  l.min = uint32_t(std::min<uint64_t>(limits.min, UINT32_MAX));
  l.max = limits.max ? uint32_t(std::min<uint64_t>(*limits.max, UINT32_MAX)) : wasm_limits_max_default;
  return l;
}

Limits from_limits(const wasm_limits_t& limits) {
  Limits l;
  l.min = limits.min;
  if (limits.max != wasm_limits_max_default) l.max = limits.max;
  return l;
}

uint32_t register_functype(Engine& engine, const wasm_functype_t& type) {
  SubType st;
  st.final_ = true;
  st.comp.kind = CompKind::func;
  st.comp.func.params = from_valtype_vec(type.params);
  st.comp.func.results = from_valtype_vec(type.results);
  return engine.types().register_group({st}, TypeRegistry::kGroupLocalBase);
}

wasm_externtype_t* extern_type(Store& store, const Extern& ext) {
  switch (ext.kind) {
    case ExternKind::func: return new_functype(store.engine().types().func_type(ext.func()->type_id));
    case ExternKind::global: {
      const GlobalType& g = ext.global()->type;
      return new wasm_globaltype_t(wasm_valtype_new(to_valkind(g.type)), g.mutable_ ? WASM_VAR : WASM_CONST);
    }
    case ExternKind::table: {
      const Table* t = ext.table();
      Limits current = t->type.limits;
      current.min = t->elems.size();
      return new wasm_tabletype_t(wasm_valtype_new(to_valkind(t->type.elem)), to_limits(current));
    }
    case ExternKind::memory: {
      Limits current = ext.memory()->type.limits;
      current.min = ext.memory()->pages();
      return new wasm_memorytype_t(to_limits(current));
    }
    case ExternKind::tag: break;
  }
  return nullptr;
}

wasm_name_t to_name(const std::string& s) {
  wasm_name_t name;
  wasm_byte_vec_new(&name, s.size(), s.data());
  return name;
}

std::string from_name(const wasm_name_t& name) { return std::string(name.data, name.size); }

}  // namespace weft::api

using namespace weft::api;

extern "C" {

// ---- value types -------------------------------------------------------------------

wasm_valtype_t* wasm_valtype_new(wasm_valkind_t kind) { return new wasm_valtype_t{kind}; }
void wasm_valtype_delete(wasm_valtype_t* t) { delete t; }
wasm_valtype_t* wasm_valtype_copy(const wasm_valtype_t* t) { return new wasm_valtype_t(*t); }
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* t) { return t->kind; }

// ---- function types ----------------------------------------------------------------

// Takes the vectors' contents over, leaving them empty.
wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) {
  auto* t = new wasm_functype_t();
  t->params = *params;
  t->results = *results;
  *params = wasm_valtype_vec_t{0, nullptr};
  *results = wasm_valtype_vec_t{0, nullptr};
  return t;
}
void wasm_functype_delete(wasm_functype_t* t) { delete t; }
wasm_functype_t* wasm_functype_copy(const wasm_functype_t* t) { return static_cast<wasm_functype_t*>(t->clone()); }
const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* t) { return &t->params; }
const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* t) { return &t->results; }

// ---- global, table and memory types ------------------------------------------------

wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t mutability) {
  return new wasm_globaltype_t(content, mutability);
}
void wasm_globaltype_delete(wasm_globaltype_t* t) { delete t; }
wasm_globaltype_t* wasm_globaltype_copy(const wasm_globaltype_t* t) {
  return static_cast<wasm_globaltype_t*>(t->clone());
}
const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* t) { return t->content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* t) { return t->mutability; }

wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* element, const wasm_limits_t* limits) {
  return new wasm_tabletype_t(element, *limits);
}
void wasm_tabletype_delete(wasm_tabletype_t* t) { delete t; }
wasm_tabletype_t* wasm_tabletype_copy(const wasm_tabletype_t* t) { return static_cast<wasm_tabletype_t*>(t->clone()); }
const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* t) { return t->element; }
const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* t) { return &t->limits; }

wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) { return new wasm_memorytype_t(*limits); }
void wasm_memorytype_delete(wasm_memorytype_t* t) { delete t; }
wasm_memorytype_t* wasm_memorytype_copy(const wasm_memorytype_t* t) {
  return static_cast<wasm_memorytype_t*>(t->clone());
}
const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* t) { return &t->limits; }

// ---- extern types --------------------------------------------------------------------

void wasm_externtype_delete(wasm_externtype_t* t) { delete t; }
wasm_externtype_t* wasm_externtype_copy(const wasm_externtype_t* t) { return t->clone(); }
wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* t) { return t->kind; }

wasm_externtype_t* wasm_functype_as_externtype(wasm_functype_t* t) { return t; }
wasm_externtype_t* wasm_globaltype_as_externtype(wasm_globaltype_t* t) { return t; }
wasm_externtype_t* wasm_tabletype_as_externtype(wasm_tabletype_t* t) { return t; }
wasm_externtype_t* wasm_memorytype_as_externtype(wasm_memorytype_t* t) { return t; }
const wasm_externtype_t* wasm_functype_as_externtype_const(const wasm_functype_t* t) { return t; }
const wasm_externtype_t* wasm_globaltype_as_externtype_const(const wasm_globaltype_t* t) { return t; }
const wasm_externtype_t* wasm_tabletype_as_externtype_const(const wasm_tabletype_t* t) { return t; }
const wasm_externtype_t* wasm_memorytype_as_externtype_const(const wasm_memorytype_t* t) { return t; }

wasm_functype_t* wasm_externtype_as_functype(wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_FUNC ? static_cast<wasm_functype_t*>(t) : nullptr;
}
wasm_globaltype_t* wasm_externtype_as_globaltype(wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_GLOBAL ? static_cast<wasm_globaltype_t*>(t) : nullptr;
}
wasm_tabletype_t* wasm_externtype_as_tabletype(wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_TABLE ? static_cast<wasm_tabletype_t*>(t) : nullptr;
}
wasm_memorytype_t* wasm_externtype_as_memorytype(wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_MEMORY ? static_cast<wasm_memorytype_t*>(t) : nullptr;
}
const wasm_functype_t* wasm_externtype_as_functype_const(const wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_FUNC ? static_cast<const wasm_functype_t*>(t) : nullptr;
}
const wasm_globaltype_t* wasm_externtype_as_globaltype_const(const wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_GLOBAL ? static_cast<const wasm_globaltype_t*>(t) : nullptr;
}
const wasm_tabletype_t* wasm_externtype_as_tabletype_const(const wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_TABLE ? static_cast<const wasm_tabletype_t*>(t) : nullptr;
}
const wasm_memorytype_t* wasm_externtype_as_memorytype_const(const wasm_externtype_t* t) {
  return t->kind == WASM_EXTERN_MEMORY ? static_cast<const wasm_memorytype_t*>(t) : nullptr;
}

// ---- import and export types ---------------------------------------------------------

// Takes the names' contents over, leaving them empty.
wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_importtype_t();
  t->module = *module;
  t->name = *name;
  t->type = type;
  *module = wasm_name_t{0, nullptr};
  *name = wasm_name_t{0, nullptr};
  return t;
}
void wasm_importtype_delete(wasm_importtype_t* t) { delete t; }
wasm_importtype_t* wasm_importtype_copy(const wasm_importtype_t* t) {
  auto* c = new wasm_importtype_t();
  wasm_byte_vec_copy(&c->module, &t->module);
  wasm_byte_vec_copy(&c->name, &t->name);
  c->type = t->type->clone();
  return c;
}
const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* t) { return &t->module; }
const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* t) { return t->type; }

wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_exporttype_t();
  t->name = *name;
  t->type = type;
  *name = wasm_name_t{0, nullptr};
  return t;
}
void wasm_exporttype_delete(wasm_exporttype_t* t) { delete t; }
wasm_exporttype_t* wasm_exporttype_copy(const wasm_exporttype_t* t) {
  auto* c = new wasm_exporttype_t();
  wasm_byte_vec_copy(&c->name, &t->name);
  c->type = t->type->clone();
  return c;
}
const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* t) { return t->type; }

}  // extern "C"
