// The C++ API's functions (host functions through a C callback with env,
// calls through wasm_func_call), traps and frames (cpp_internal.h says how
// the objects map onto the C API's).
#include <algorithm>
#include <string>
#include <vector>

#include "api/cpp_internal.h"

using namespace weft::api::cpp;
using wasm::detail::ValBridge;

namespace wasm {

namespace {

// What a C++ host function needs on the C side: one per function, freed by
// the finalizer the C API runs when the store is deleted.
struct HostCallback {
  wasm_store_t* store = nullptr;
  Func::callback plain = nullptr;
  Func::callback_with_env with_env = nullptr;
  void* env = nullptr;
  void (*finalizer)(void*) = nullptr;
};

void finalize_host_callback(void* p) {
  auto* host = static_cast<HostCallback*>(p);
  if (host->finalizer) host->finalizer(host->env);
  delete host;
}

// The C callback of every C++ host function. The arguments are lent to the
// C++ callback (the C API keeps them); the results, which the C API has set
// to zeros of the right kinds, are lent the same way, and what the callback
// leaves in them moves back (a reference result passing its ownership).
wasm_trap_t* call_host_callback(void* p, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  auto* host = static_cast<HostCallback*>(p);
  auto cpp_args = vec<Val>::make_uninitialized(args->size);
  auto cpp_results = vec<Val>::make_uninitialized(results->size);
  if (!cpp_args || !cpp_results) return weft::api::new_trap(host->store, "out of memory for host function values");
  for (size_t i = 0; i < args->size; ++i) cpp_args[i] = ValBridge::lend(args->data[i]);
  for (size_t i = 0; i < results->size; ++i) cpp_results[i] = ValBridge::lend(results->data[i]);

  own<Trap> trap;
  try {
    trap = host->plain ? host->plain(cpp_args, cpp_results) : host->with_env(host->env, cpp_args, cpp_results);
  } catch (...) {
    // An exception must not unwind through the interpreter: it traps.
    for (size_t i = 0; i < args->size; ++i) ValBridge::forget(cpp_args[i]);
    return weft::api::new_trap(host->store, "host function threw an exception");
  }
  for (size_t i = 0; i < args->size; ++i) ValBridge::forget(cpp_args[i]);
  if (trap) return to_c(trap.release());
  // The callback may have replaced the vector: take what there is.
  const size_t n = cpp_results ? std::min(cpp_results.size(), results->size) : 0;
  for (size_t i = 0; i < n; ++i) results->data[i] = ValBridge::release(cpp_results[i], results->data[i].kind);
  return nullptr;
}

own<Func> make_host_func(Store* store, const FuncType* type, HostCallback host) {
  if (!store || !type) return nullptr;
  host.store = to_c(store);
  auto* env = new HostCallback(host);
  return own_cpp(
      wasm_func_new_with_env(to_c(store), to_c(type), call_host_callback, env, finalize_host_callback));
}

}  // namespace

// ---- functions ---------------------------------------------------------------------

Func::~Func() {}

auto Func::make(Store* store, const FuncType* type, callback cb) -> own<Func> {
  HostCallback host;
  host.plain = cb;
  return make_host_func(store, type, host);
}

auto Func::make(Store* store, const FuncType* type, callback_with_env cb, void* env, void (*finalizer)(void*))
    -> own<Func> {
  HostCallback host;
  host.with_env = cb;
  host.env = env;
  host.finalizer = finalizer;
  return make_host_func(store, type, host);
}

auto Func::copy() const -> own<Func> { return own_cpp(wasm_func_copy(to_c(this))); }
auto Func::type() const -> own<FuncType> { return own_cpp(wasm_func_type(to_c(this))); }
auto Func::param_arity() const -> size_t { return wasm_func_param_arity(to_c(this)); }
auto Func::result_arity() const -> size_t { return wasm_func_result_arity(to_c(this)); }

// The arguments are lent to wasm_func_call, with the kinds of the function's
// parameters for references; the results move into `results` (replacing
// what it held), which must have room for them as in the C API.
auto Func::call(const vec<Val>& args, vec<Val>& results) const -> own<Trap> {
  const wasm_func_t* func = to_c(this);
  const weft::FuncType& ft = func->store->engine->engine.types().func_type(func->ext.func()->type_id);
  const size_t num_args = args ? args.size() : 0;
  std::vector<wasm_val_t> c_args(num_args);
  for (size_t i = 0; i < num_args; ++i) {
    wasm_valkind_t expected = i < ft.params.size() ? weft::api::to_valkind(ft.params[i]) : uint8_t(args[i].kind());
    c_args[i] = ValBridge::borrow(args[i], expected);
  }
  const size_t room = results ? results.size() : 0;
  std::vector<wasm_val_t> c_results(room);
  for (wasm_val_t& v : c_results) v.kind = WASM_I32;
  wasm_val_vec_t arg_vec{num_args, c_args.data()};
  wasm_val_vec_t result_vec{room, c_results.data()};
  wasm_trap_t* trap = wasm_func_call(func, &arg_vec, &result_vec);
  if (trap) return own_cpp(trap);
  for (size_t i = 0; i < ft.results.size() && i < room; ++i) results[i] = ValBridge::adopt(c_results[i]);
  return nullptr;
}

// ---- traps and frames ---------------------------------------------------------------

Trap::~Trap() {}

auto Trap::make(Store* store, const Message& message) -> own<Trap> {
  if (!store) return nullptr;
  wasm_message_t view = byte_view(message);
  return own_cpp(wasm_trap_new(to_c(store), &view));
}

auto Trap::copy() const -> own<Trap> { return own_cpp(wasm_trap_copy(to_c(this))); }

auto Trap::message() const -> Message {
  wasm_message_t c;
  wasm_trap_message(to_c(this), &c);
  return bytes_of(c);
}

auto Trap::origin() const -> own<Frame> { return own_cpp(wasm_trap_origin(to_c(this))); }

auto Trap::trace() const -> ownvec<Frame> {
  wasm_frame_vec_t c;
  wasm_trap_trace(to_c(this), &c);
  auto v = ownvec_of(c);
  wasm_frame_vec_delete(&c);
  return v;
}

Frame::~Frame() {}
void Frame::operator delete(void* p) { wasm_frame_delete(static_cast<wasm_frame_t*>(p)); }

auto Frame::copy() const -> own<Frame> { return own_cpp(wasm_frame_copy(to_c(this))); }
auto Frame::instance() const -> Instance* { return to_cpp(wasm_frame_instance(to_c(this))); }
auto Frame::func_index() const -> uint32_t { return wasm_frame_func_index(to_c(this)); }
auto Frame::func_offset() const -> size_t { return wasm_frame_func_offset(to_c(this)); }
auto Frame::module_offset() const -> size_t { return wasm_frame_module_offset(to_c(this)); }

}  // namespace wasm
