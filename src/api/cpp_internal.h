// How the C++ API (include/wasm.hh) sits on the C API: every C++ object is
// the C API's object of the same name (a wasm::Func* points to a
// wasm_func_t), so the conversions here are casts. The C++ classes are empty
// and never constructed: their destructors do nothing, and their operator
// delete (reached through own<T>'s `delete`) calls the C API's wasm_X_delete,
// which releases exactly what a C embedder's call would (and unregisters a
// handle from its store).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "api/api_internal.h"
#include "wasm.hh"

namespace weft::api::cpp {

template <class Cpp>
struct CTypeOf;
template <class C>
struct CppTypeOf;

#define WEFT_CPP_PAIR(cpp_name, c_name)    \
  template <>                              \
  struct CTypeOf<wasm::cpp_name> {         \
    using type = c_name;                   \
  };                                       \
  template <>                              \
  struct CppTypeOf<c_name> {               \
    using type = wasm::cpp_name;           \
  };

WEFT_CPP_PAIR(Config, wasm_config_t)
WEFT_CPP_PAIR(Engine, wasm_engine_t)
WEFT_CPP_PAIR(Store, wasm_store_t)
WEFT_CPP_PAIR(ValType, wasm_valtype_t)
WEFT_CPP_PAIR(ExternType, wasm_externtype_t)
WEFT_CPP_PAIR(FuncType, wasm_functype_t)
WEFT_CPP_PAIR(GlobalType, wasm_globaltype_t)
WEFT_CPP_PAIR(TableType, wasm_tabletype_t)
WEFT_CPP_PAIR(MemoryType, wasm_memorytype_t)
WEFT_CPP_PAIR(ImportType, wasm_importtype_t)
WEFT_CPP_PAIR(ExportType, wasm_exporttype_t)
WEFT_CPP_PAIR(Ref, wasm_ref_t)
WEFT_CPP_PAIR(Frame, wasm_frame_t)
WEFT_CPP_PAIR(Trap, wasm_trap_t)
WEFT_CPP_PAIR(Module, wasm_module_t)
WEFT_CPP_PAIR(Shared<wasm::Module>, wasm_shared_module_t)
WEFT_CPP_PAIR(Foreign, wasm_foreign_t)
WEFT_CPP_PAIR(Extern, wasm_extern_t)
WEFT_CPP_PAIR(Func, wasm_func_t)
WEFT_CPP_PAIR(Global, wasm_global_t)
WEFT_CPP_PAIR(Table, wasm_table_t)
WEFT_CPP_PAIR(Memory, wasm_memory_t)
WEFT_CPP_PAIR(Instance, wasm_instance_t)

#undef WEFT_CPP_PAIR

// The C object a C++ pointer names, and back. The C hierarchies are single
// inheritance from a polymorphic root, so a derived object's address is its
// base's as well, as for the empty C++ classes.
template <class Cpp>
typename CTypeOf<Cpp>::type* to_c(Cpp* p) {
  return reinterpret_cast<typename CTypeOf<Cpp>::type*>(p);
}
template <class Cpp>
const typename CTypeOf<Cpp>::type* to_c(const Cpp* p) {
  return reinterpret_cast<const typename CTypeOf<Cpp>::type*>(p);
}
template <class C>
typename CppTypeOf<C>::type* to_cpp(C* p) {
  return reinterpret_cast<typename CppTypeOf<C>::type*>(p);
}
template <class C>
const typename CppTypeOf<C>::type* to_cpp(const C* p) {
  return reinterpret_cast<const typename CppTypeOf<C>::type*>(p);
}
// An owned C result as an own<>.
template <class C>
wasm::own<typename CppTypeOf<C>::type> own_cpp(C* p) {
  return wasm::own<typename CppTypeOf<C>::type>(to_cpp(p));
}

// A C vector of owned pointers as an ownvec (the elements move over; the C
// array is freed). A C vector made with new_empty or new_uninitialized is a
// valid vector; C vectors are never invalid.
template <class CVec>
auto ownvec_of(CVec& c) {
  using C = std::remove_pointer_t<std::remove_reference_t<decltype(*c.data)>>;
  using Cpp = typename CppTypeOf<C>::type;
  auto v = wasm::ownvec<Cpp>::make_uninitialized(c.size);
  for (size_t i = 0; v && i < c.size; ++i) {
    v[i].reset(to_cpp(c.data[i]));
    c.data[i] = nullptr;
  }
  return v;
}

// A byte vector from the C API (its array, from new[], is taken over).
inline wasm::vec<byte_t> bytes_of(wasm_byte_vec_t& c) {
  auto v = wasm::vec<byte_t>::adopt(c.size, c.data);
  c = wasm_byte_vec_t{0, nullptr};
  return v;
}

// A borrowed C view of a C++ byte vector (an invalid vector is empty).
inline wasm_byte_vec_t byte_view(const wasm::vec<byte_t>& v) {
  return wasm_byte_vec_t{v ? v.size() : 0, const_cast<byte_t*>(v.get())};
}

// The C++ vectors the type accessors return by reference are the C structs
// themselves: the layouts must agree.
static_assert(sizeof(wasm::vec<byte_t>) == sizeof(wasm_byte_vec_t));
static_assert(sizeof(wasm::ownvec<wasm::ValType>) == sizeof(wasm_valtype_vec_t));
static_assert(sizeof(wasm::own<wasm::ValType>) == sizeof(wasm_valtype_t*));
static_assert(sizeof(wasm::Limits) == sizeof(wasm_limits_t));
static_assert(offsetof(wasm::Limits, max) == offsetof(wasm_limits_t, max));
static_assert(uint8_t(wasm::ValKind::EXTERNREF) == WASM_EXTERNREF && uint8_t(wasm::ValKind::FUNCREF) == WASM_FUNCREF);
static_assert(uint8_t(wasm::ValKind::F64) == WASM_F64 && uint8_t(wasm::Mutability::VAR) == WASM_VAR);
static_assert(uint8_t(wasm::ExternKind::MEMORY) == WASM_EXTERN_MEMORY);

}  // namespace weft::api::cpp

namespace wasm::detail {

// Values between the two APIs. `expected` is the kind the C side wants: a
// reference Val (whose kind may say EXTERNREF for a function reference) takes
// the expected reference kind, so that the C API's kind check passes for a
// funcref; numbers keep theirs (a mismatch stays one).
struct ValBridge {
  // A C value that borrows the Val's reference.
  static wasm_val_t borrow(const Val& v, wasm_valkind_t expected) {
    wasm_val_t c;
    c.kind = uint8_t(v.kind_);
    switch (v.kind_) {
      case ValKind::I32: c.of.i32 = v.impl_.i32; break;
      case ValKind::I64: c.of.i64 = v.impl_.i64; break;
      case ValKind::F32: c.of.f32 = v.impl_.f32; break;
      case ValKind::F64: c.of.f64 = v.impl_.f64; break;
      default:
        c.of.ref = reinterpret_cast<wasm_ref_t*>(v.impl_.ref);
        if (wasm_valkind_is_ref(expected)) c.kind = expected;
        break;
    }
    return c;
  }
  static wasm_val_t borrow(const Val& v) { return borrow(v, uint8_t(v.kind_)); }

  // The C value's reference moves into the Val (`c` keeps a null one).
  static Val adopt(wasm_val_t& c) {
    Val::impl value;
    switch (c.kind) {
      case WASM_I32: value.i32 = c.of.i32; break;
      case WASM_I64: value.i64 = c.of.i64; break;
      case WASM_F32: value.f32 = c.of.f32; break;
      case WASM_F64: value.f64 = c.of.f64; break;
      default:
        value.ref = reinterpret_cast<Ref*>(c.of.ref);
        c.of.ref = nullptr;
        break;
    }
    return Val(ValKind(c.kind), value);
  }

  // The Val's reference moves into a C value.
  static wasm_val_t release(Val& v, wasm_valkind_t expected) {
    wasm_val_t c = borrow(v, expected);
    if (v.is_ref()) v.impl_.ref = nullptr;
    return c;
  }

  // A Val that borrows the C value's reference: forget() it before it is
  // destroyed.
  static Val lend(const wasm_val_t& c) {
    wasm_val_t copy = c;
    return adopt(copy);
  }
  static void forget(Val& v) {
    if (v.is_ref()) v.impl_.ref = nullptr;
  }

  static_assert(sizeof(Val) == sizeof(wasm_val_t));
};

}  // namespace wasm::detail
