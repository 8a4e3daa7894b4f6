// References: the functions every reference kind has (delete, copy, same,
// host info, conversions to and from wasm_ref_t), foreign objects, and
// references and values between the C API and the runtime.
#include "api/api_internal.h"

namespace weft::api {

namespace {

// Host info belongs to the object, not to one handle: every copy sees it.
void* get_host_info(const wasm_ref_t* ref) {
  auto it = ref->store->host_infos.find(ref->identity());
  return it == ref->store->host_infos.end() ? nullptr : it->second.info;
}

// Replacing an info with a different one finalizes the old one now, so that
// it is not lost; the last one is finalized when the store is deleted.
void set_host_info(wasm_ref_t* ref, void* info, void (*finalizer)(void*)) {
  HostInfo& slot = ref->store->host_infos[ref->identity()];
  if (slot.finalizer && slot.info != info) slot.finalizer(slot.info);
  slot.info = info;
  slot.finalizer = finalizer;
  // A trap's data is freed with its last handle: keep it for the info's key.
  if (ref->kind == RefKind::trap) slot.keep_alive = static_cast<const wasm_trap_t*>(ref)->data;
}

bool same(const wasm_ref_t* a, const wasm_ref_t* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return a->kind == b->kind && a->identity() == b->identity();
}

bool is_extern_kind(RefKind k) {
  return k == RefKind::func || k == RefKind::global || k == RefKind::table || k == RefKind::memory;
}

// An externref's payload for `ref`: its index in the store's table of
// references passed to Wasm (one entry per object).
Ref extern_ref(wasm_store_t* store, const wasm_ref_t* ref) {
  auto [it, added] = store->extern_ref_index.try_emplace(ref->identity(), store->extern_refs.size());
  if (added) store->extern_refs.push_back(ref->clone());
  return make_host_ref(it->second);
}

}  // namespace

wasm_extern_t* new_extern(wasm_store_t* store, const Extern& ext) {
  switch (ext.kind) {
    case ExternKind::func: return new wasm_func_t(store, ext);
    case ExternKind::global: return new wasm_global_t(store, ext);
    case ExternKind::table: return new wasm_table_t(store, ext);
    case ExternKind::memory: return new wasm_memory_t(store, ext);
    case ExternKind::tag: break;
  }
  return nullptr;
}

Ref to_runtime_ref(wasm_store_t* store, const wasm_ref_t* ref, const ValType& type) {
  if (ref == nullptr) return kNullRef;
  if (to_valkind(type) == WASM_FUNCREF) {
    if (ref->kind != RefKind::func) return kNullRef;
    return reinterpret_cast<Ref>(static_cast<const wasm_func_t*>(ref)->ext.func());
  }
  return extern_ref(store, ref);
}

wasm_ref_t* from_runtime_ref(wasm_store_t* store, Ref ref, const ValType& type) {
  if (ref == kNullRef) return nullptr;
  if (is_host_ref(ref)) {
    uint64_t index = host_ref_payload(ref);
    return index < store->extern_refs.size() ? store->extern_refs[index]->clone() : nullptr;
  }
  // Other pointers are runtime objects; without GC objects, those in the
  // function hierarchy are Functions. Exceptions (exnref) have no C API
  // counterpart.
  if (to_valkind(type) != WASM_FUNCREF) return nullptr;
  return new wasm_func_t(store, Extern{ExternKind::func, reinterpret_cast<Function*>(ref)});
}

bool to_runtime_value(wasm_store_t* store, const wasm_val_t& val, const ValType& type, uint64_t* bits) {
  if (val.kind != to_valkind(type)) return false;
  switch (val.kind) {
    case WASM_I32: *bits = uint32_t(val.of.i32); return true;
    case WASM_I64: *bits = uint64_t(val.of.i64); return true;
    case WASM_F32: *bits = Value::f32(val.of.f32).bits; return true;
    case WASM_F64: *bits = Value::f64(val.of.f64).bits; return true;
    default:
      if (val.of.ref == nullptr && type.is_ref() && !type.nullable) return false;
      if (val.of.ref && val.kind == WASM_FUNCREF && val.of.ref->kind != RefKind::func) return false;
      if (val.of.ref && val.of.ref->store != store) return false;
      *bits = to_runtime_ref(store, val.of.ref, type);
      return true;
  }
}

wasm_val_t from_runtime_value(wasm_store_t* store, const ValType& type, uint64_t bits) {
  wasm_val_t v;
  v.kind = to_valkind(type);
  Value value{type, bits};
  switch (v.kind) {
    case WASM_I32: v.of.i32 = int32_t(value.as_u32()); break;
    case WASM_I64: v.of.i64 = int64_t(value.as_u64()); break;
    case WASM_F32: v.of.f32 = value.as_f32(); break;
    case WASM_F64: v.of.f64 = value.as_f64(); break;
    default: v.of.ref = from_runtime_ref(store, bits, type); break;
  }
  return v;
}

}  // namespace weft::api

using namespace weft::api;

wasm_extern_t::wasm_extern_t(wasm_store_t* s, weft::Extern e)
    : wasm_ref_t(s, weft::api::RefKind(static_cast<uint8_t>(e.kind))), ext(e) {}

wasm_ref_t* wasm_extern_t::clone() const { return new_extern(store, ext); }

// RefKind numbers func/global/table/memory as the runtime's ExternKind, so
// that an extern's kind converts directly.
static_assert(uint8_t(RefKind::func) == uint8_t(weft::ExternKind::func));
static_assert(uint8_t(RefKind::table) == uint8_t(weft::ExternKind::table));
static_assert(uint8_t(RefKind::memory) == uint8_t(weft::ExternKind::memory));
static_assert(uint8_t(RefKind::global) == uint8_t(weft::ExternKind::global));

// The functions of WASM_DECLARE_REF_BASE, for wasm_ref_t and each kind.
#define WEFT_DEFINE_REF_BASE(name)                                                                       \
  extern "C" {                                                                                           \
  void wasm_##name##_delete(wasm_##name##_t* r) { delete static_cast<wasm_ref_t*>(r); }                  \
  wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) {                                        \
    return r ? static_cast<wasm_##name##_t*>(r->clone()) : nullptr;                                      \
  }                                                                                                      \
  bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) { return same(a, b); }     \
  void* wasm_##name##_get_host_info(const wasm_##name##_t* r) { return get_host_info(r); }               \
  void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) { set_host_info(r, info, nullptr); }  \
  void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info, void (*fin)(void*)) { \
    set_host_info(r, info, fin);                                                                         \
  }                                                                                                      \
  }

// WASM_DECLARE_REF's conversions; `test` says whether a wasm_ref_t is one.
#define WEFT_DEFINE_REF(name, test)                                                                            \
  WEFT_DEFINE_REF_BASE(name)                                                                                   \
  extern "C" {                                                                                                 \
  wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) { return r; }                                           \
  const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) { return r; }                         \
  wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                                                         \
    return r && (test) ? static_cast<wasm_##name##_t*>(r) : nullptr;                                           \
  }                                                                                                            \
  const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) {                                     \
    return r && (test) ? static_cast<const wasm_##name##_t*>(r) : nullptr;                                     \
  }                                                                                                            \
  }

WEFT_DEFINE_REF_BASE(ref)
WEFT_DEFINE_REF(func, r->kind == RefKind::func)
WEFT_DEFINE_REF(global, r->kind == RefKind::global)
WEFT_DEFINE_REF(table, r->kind == RefKind::table)
WEFT_DEFINE_REF(memory, r->kind == RefKind::memory)
WEFT_DEFINE_REF(extern, is_extern_kind(r->kind))
WEFT_DEFINE_REF(instance, r->kind == RefKind::instance)
WEFT_DEFINE_REF(module, r->kind == RefKind::module)
WEFT_DEFINE_REF(foreign, r->kind == RefKind::foreign)
WEFT_DEFINE_REF(trap, r->kind == RefKind::trap)

extern "C" {

wasm_foreign_t* wasm_foreign_new(wasm_store_t* store) {
  return new wasm_foreign_t(store, &store->foreigns.emplace_back());
}

}  // extern "C"
