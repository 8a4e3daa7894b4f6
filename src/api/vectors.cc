// Vectors of the C API: bytes, values, and owned pointers to types, frames
// and externs. An own vector owns its elements: deleting or copying it
// deletes or copies them.
#include <cstring>

#include "api/api_internal.h"

namespace {

template <typename Vec, typename T>
void vec_alloc(Vec* out, size_t size) {
  out->size = size;
  out->data = size ? new T[size]() : nullptr;
}

template <typename Vec>
void vec_free(Vec* vec) {
  delete[] vec->data;
  vec->size = 0;
  vec->data = nullptr;
}

}  // namespace

// Plain element vectors: the elements are copied bit for bit.
extern "C" {

WASM_API_EXTERN void wasm_byte_vec_new_empty(wasm_byte_vec_t* out) { vec_alloc<wasm_byte_vec_t, byte_t>(out, 0); }
WASM_API_EXTERN void wasm_byte_vec_new_uninitialized(wasm_byte_vec_t* out, size_t size) {
  vec_alloc<wasm_byte_vec_t, byte_t>(out, size);
}
WASM_API_EXTERN void wasm_byte_vec_new(wasm_byte_vec_t* out, size_t size, const byte_t data[]) {
  vec_alloc<wasm_byte_vec_t, byte_t>(out, size);
  if (size) std::memcpy(out->data, data, size);
}
WASM_API_EXTERN void wasm_byte_vec_copy(wasm_byte_vec_t* out, const wasm_byte_vec_t* src) {
  wasm_byte_vec_new(out, src->size, src->data);
}
WASM_API_EXTERN void wasm_byte_vec_delete(wasm_byte_vec_t* vec) {
  if (vec) vec_free(vec);
}

// Values own their references.
WASM_API_EXTERN void wasm_val_delete(wasm_val_t* v) {
  if (v && wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = nullptr;
  }
}
WASM_API_EXTERN void wasm_val_copy(wasm_val_t* out, const wasm_val_t* src) {
  *out = *src;
  if (wasm_valkind_is_ref(src->kind) && src->of.ref) out->of.ref = wasm_ref_copy(src->of.ref);
}

WASM_API_EXTERN void wasm_val_vec_new_empty(wasm_val_vec_t* out) { vec_alloc<wasm_val_vec_t, wasm_val_t>(out, 0); }
WASM_API_EXTERN void wasm_val_vec_new_uninitialized(wasm_val_vec_t* out, size_t size) {
  vec_alloc<wasm_val_vec_t, wasm_val_t>(out, size);
  // Numbers, so that deleting a vector the embedder did not fill is safe.
  for (size_t i = 0; i < size; ++i) out->data[i].kind = WASM_I32;
}
// Takes ownership of the values (and their references).
WASM_API_EXTERN void wasm_val_vec_new(wasm_val_vec_t* out, size_t size, const wasm_val_t data[]) {
  vec_alloc<wasm_val_vec_t, wasm_val_t>(out, size);
  for (size_t i = 0; i < size; ++i) out->data[i] = data[i];
}
WASM_API_EXTERN void wasm_val_vec_copy(wasm_val_vec_t* out, const wasm_val_vec_t* src) {
  vec_alloc<wasm_val_vec_t, wasm_val_t>(out, src->size);
  for (size_t i = 0; i < src->size; ++i) wasm_val_copy(&out->data[i], &src->data[i]);
}
WASM_API_EXTERN void wasm_val_vec_delete(wasm_val_vec_t* vec) {
  if (!vec) return;
  for (size_t i = 0; i < vec->size; ++i) wasm_val_delete(&vec->data[i]);
  vec_free(vec);
}

}  // extern "C"

// Vectors of owned pointers: new takes the pointers over, copy copies each
// element with wasm_X_copy, delete deletes each with wasm_X_delete.
#define WEFT_DEFINE_POINTER_VEC(name)                                                                     \
  extern "C" {                                                                                            \
  WASM_API_EXTERN void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) {                            \
    vec_alloc<wasm_##name##_vec_t, wasm_##name##_t*>(out, 0);                                             \
  }                                                                                                       \
  WASM_API_EXTERN void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t size) {       \
    vec_alloc<wasm_##name##_vec_t, wasm_##name##_t*>(out, size);                                          \
  }                                                                                                       \
  WASM_API_EXTERN void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t size,                       \
                                             wasm_##name##_t* const data[]) {                             \
    vec_alloc<wasm_##name##_vec_t, wasm_##name##_t*>(out, size);                                          \
    for (size_t i = 0; i < size; ++i) out->data[i] = data[i];                                             \
  }                                                                                                       \
  WASM_API_EXTERN void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* src) { \
    vec_alloc<wasm_##name##_vec_t, wasm_##name##_t*>(out, src->size);                                     \
    for (size_t i = 0; i < src->size; ++i)                                                                \
      out->data[i] = src->data[i] ? wasm_##name##_copy(src->data[i]) : nullptr;                           \
  }                                                                                                       \
  WASM_API_EXTERN void wasm_##name##_vec_delete(wasm_##name##_vec_t* vec) {                               \
    if (!vec) return;                                                                                     \
    for (size_t i = 0; i < vec->size; ++i)                                                                \
      if (vec->data[i]) wasm_##name##_delete(vec->data[i]);                                               \
    vec_free(vec);                                                                                        \
  }                                                                                                       \
  }

WEFT_DEFINE_POINTER_VEC(valtype)
WEFT_DEFINE_POINTER_VEC(functype)
WEFT_DEFINE_POINTER_VEC(globaltype)
WEFT_DEFINE_POINTER_VEC(tabletype)
WEFT_DEFINE_POINTER_VEC(memorytype)
WEFT_DEFINE_POINTER_VEC(externtype)
WEFT_DEFINE_POINTER_VEC(importtype)
WEFT_DEFINE_POINTER_VEC(exporttype)
WEFT_DEFINE_POINTER_VEC(frame)
WEFT_DEFINE_POINTER_VEC(extern)
