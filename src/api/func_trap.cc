// Functions (host functions, calls through weft::invoke), traps and frames.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "api/api_internal.h"

namespace weft::api {

namespace {

// Most host functions take a few values: those go on the native stack.
constexpr size_t kInlineValues = 8;

class ValBuffer {
 public:
  explicit ValBuffer(size_t n) : heap_(n > kInlineValues ? n : 0) {
    vec_.size = n;
    vec_.data = n > kInlineValues ? heap_.data() : inline_.data();
  }
  ValBuffer(const ValBuffer&) = delete;
  ValBuffer& operator=(const ValBuffer&) = delete;
  // Deletes the references the values own.
  ~ValBuffer() {
    for (size_t i = 0; i < vec_.size; ++i) wasm_val_delete(&vec_.data[i]);
  }
  wasm_val_vec_t* vec() { return &vec_; }
  wasm_val_t& operator[](size_t i) { return vec_.data[i]; }

 private:
  std::array<wasm_val_t, kInlineValues> inline_;  // only the first n are set (zeroing costs more than the call)
  std::vector<wasm_val_t> heap_;
  wasm_val_vec_t vec_;
};

// Arguments from the slots; results, pre-set to their kinds, for the callback
// to fill; the results back into the slots.
Status call_host(HostFunc& f, uint64_t* slots) {
  wasm_store_t* store = f.store;
  ValBuffer args(f.params.size());
  for (size_t i = 0; i < f.params.size(); ++i) args[i] = from_runtime_value(store, f.params[i], slots[i]);
  ValBuffer results(f.results.size());
  for (size_t i = 0; i < f.results.size(); ++i) {
    results[i].kind = to_valkind(f.results[i]);
    results[i].of.i64 = 0;
  }
  wasm_trap_t* trap =
      f.callback ? f.callback(args.vec(), results.vec()) : f.callback_with_env(f.env, args.vec(), results.vec());
  if (trap) {
    // weft_pending_new's answer: the call parks if it can (weft_async.cc).
    if (trap->data->pending != nullptr) {
      note_pending_returned(store, trap->data->pending);
      wasm_trap_delete(trap);
      return make_error(ErrorKind::pending, "pending");
    }
    std::string message = trap->data->message;
    wasm_trap_delete(trap);
    return make_error(ErrorKind::trap, std::move(message));
  }
  for (size_t i = 0; i < f.results.size(); ++i)
    if (!to_runtime_value(store, results[i], f.results[i], &slots[i]))
      return make_error(ErrorKind::trap, "host function returned result " + std::to_string(i) + " of a wrong type");
  return Status::Ok();
}

wasm_func_t* new_host_func(wasm_store_t* store, const wasm_functype_t* type, HostFunc f) {
  f.store = store;
  f.params = from_valtype_vec(type->params);
  f.results = from_valtype_vec(type->results);
  HostFunc* host = &store->host_funcs.emplace_back(std::move(f));
  uint32_t type_id = register_functype(store->engine->engine, *type);
  Function* fn = store->store.new_host_function(
      type_id, [host](Store&, uint64_t* slots) { return call_host(*host, slots); }, "host");
  return new wasm_func_t(store, Extern{ExternKind::func, fn});
}

// Frames of Wasm functions (host functions have no module position). The
// runtime does not map internal code back to binary offsets yet: a frame's
// module offset is its function body's, its function offset 0.
std::vector<FrameData> frames_of(const Error& error) {
  std::vector<FrameData> frames;
  for (const Function* f : error.trace) {
    if (f->is_host() || f->instance == nullptr) continue;
    const Module& m = *f->instance->module;
    FrameData frame;
    frame.instance = f->instance;
    frame.func_name = f->debug_name;
    frame.func_index = f->code->func_index;
    uint32_t defined = frame.func_index - m.num_imported_funcs;
    if (defined < m.funcs.size()) frame.module_offset = m.funcs[defined].body_offset;
    frames.push_back(frame);
  }
  return frames;
}

}  // namespace

wasm_trap_t* new_trap(wasm_store_t* store, std::string message) {
  auto data = std::make_shared<TrapData>();
  data->message = std::move(message);
  return new wasm_trap_t(store, std::move(data));
}

wasm_trap_t* new_trap(wasm_store_t* store, const Error& error) {
  auto data = std::make_shared<TrapData>();
  data->message = error.message;
  data->frames = frames_of(error);
  return new wasm_trap_t(store, std::move(data));
}

}  // namespace weft::api

using namespace weft::api;

extern "C" {

// ---- functions ------------------------------------------------------------------------

wasm_func_t* wasm_func_new(wasm_store_t* store, const wasm_functype_t* type, wasm_func_callback_t callback) {
  HostFunc f;
  f.callback = callback;
  return new_host_func(store, type, std::move(f));
}

wasm_func_t* wasm_func_new_with_env(wasm_store_t* store, const wasm_functype_t* type,
                                    wasm_func_callback_with_env_t callback, void* env, void (*finalizer)(void*)) {
  HostFunc f;
  f.callback_with_env = callback;
  f.env = env;
  f.finalizer = finalizer;
  return new_host_func(store, type, std::move(f));
}

wasm_functype_t* wasm_func_type(const wasm_func_t* func) {
  return new_functype(func->ext.func()->type(func->store->engine->engine.types()));
}

size_t wasm_func_param_arity(const wasm_func_t* func) {
  return func->ext.func()->type(func->store->engine->engine.types()).params.size();
}

size_t wasm_func_result_arity(const wasm_func_t* func) {
  return func->ext.func()->type(func->store->engine->engine.types()).results.size();
}

wasm_trap_t* wasm_func_call(const wasm_func_t* func, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_store_t* store = func->store;
  const weft::FuncType& ft = func->ext.func()->type(store->engine->engine.types());
  const size_t num_args = args ? args->size : 0;
  if (num_args != ft.params.size())
    return new_trap(store, "wrong number of arguments: expected " + std::to_string(ft.params.size()) + ", got " +
                               std::to_string(num_args));
  const size_t room = results ? results->size : 0;
  if (room < ft.results.size())
    return new_trap(store, "results vector too small: " + std::to_string(ft.results.size()) + " results, room for " +
                               std::to_string(room));
  // Arguments and results share one slot buffer, on the native stack for
  // the common small signatures.
  const size_t n = std::max(num_args, ft.results.size());
  std::array<uint64_t, kInlineValues> inline_slots;
  std::vector<uint64_t> heap_slots(n > kInlineValues ? n : 0);
  uint64_t* slots = n > kInlineValues ? heap_slots.data() : inline_slots.data();
  for (size_t i = 0; i < num_args; ++i) {
    const weft::ValType& type = ft.params[i];
    if (!to_runtime_value(store, args->data[i], type, &slots[i]))
      return new_trap(store, "argument " + std::to_string(i) + " does not have type " + weft::to_string(type));
    if (type.is_ref() && !type.nullable && slots[i] == weft::kNullRef)
      return new_trap(store, "argument " + std::to_string(i) + " is null, expected " + weft::to_string(type));
  }
  weft::Status s = weft::invoke_slots(store->store, func->ext.func(), slots, slots);
  if (!s.ok()) return new_trap(store, s.error());
  for (size_t i = 0; i < ft.results.size(); ++i) results->data[i] = from_runtime_value(store, ft.results[i], slots[i]);
  return nullptr;
}

// ---- traps and frames ---------------------------------------------------------------------

// The message may or may not include a terminating NUL; it ends at the first.
wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t* message) {
  std::string text = message && message->size ? from_name(*message) : std::string();
  text = text.substr(0, text.find('\0'));
  return new_trap(store, std::move(text));
}

void wasm_trap_message(const wasm_trap_t* trap, wasm_message_t* out) {
  const std::string& text = trap->data->message;
  wasm_byte_vec_new(out, text.size() + 1, text.c_str());
}

wasm_frame_t* wasm_trap_origin(const wasm_trap_t* trap) {
  if (trap->data->frames.empty()) return nullptr;
  return new wasm_frame_t(trap->store, trap->data->frames.front());
}

void wasm_trap_trace(const wasm_trap_t* trap, wasm_frame_vec_t* out) {
  const auto& frames = trap->data->frames;
  wasm_frame_vec_new_uninitialized(out, frames.size());
  for (size_t i = 0; i < frames.size(); ++i) out->data[i] = new wasm_frame_t(trap->store, frames[i]);
}

void wasm_frame_delete(wasm_frame_t* frame) { delete frame; }
wasm_frame_t* wasm_frame_copy(const wasm_frame_t* frame) { return new wasm_frame_t(frame->store, frame->frame); }

// Borrowed: one handle per instance, owned by the store.
wasm_instance_t* wasm_frame_instance(const wasm_frame_t* frame) {
  wasm_store_t* store = frame->store;
  auto [it, added] = store->frame_instances.try_emplace(frame->frame.instance, nullptr);
  if (added) it->second = new wasm_instance_t(store, frame->frame.instance);
  return it->second;
}

uint32_t wasm_frame_func_index(const wasm_frame_t* frame) { return frame->frame.func_index; }
size_t wasm_frame_func_offset(const wasm_frame_t* frame) { return frame->frame.func_offset; }
size_t wasm_frame_module_offset(const wasm_frame_t* frame) { return frame->frame.module_offset; }

}  // extern "C"
