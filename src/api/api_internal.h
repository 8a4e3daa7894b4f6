// The objects behind the opaque types of include/wasm.h, and the conversions
// between the C API's values and the runtime's. Only src/api includes this
// (and the runtime); the public header includes nothing of weft.
//
// Ownership model (docs/embedding.md):
// - Type objects (wasm_valtype_t ... wasm_exporttype_t) are plain heap values
//   owned by whoever holds them.
// - References (wasm_ref_t and everything derived from it) and frames are
//   handles that belong to a store as well as to the embedder: deleting a
//   handle frees it; deleting the store frees every handle still alive. The
//   runtime object a handle names lives as long as the store.
// - Host infos and the envs of wasm_func_new_with_env belong to the store:
//   their finalizers run when the store is deleted.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/store.h"
#include "wasm.h"
#include "weft.h"

struct wasm_config_t {
  weft::EngineConfig config;
};

struct wasm_engine_t {
  explicit wasm_engine_t(const weft::EngineConfig& config) : engine(config) {}
  weft::Engine engine;
};

// ---- types -------------------------------------------------------------------

struct wasm_valtype_t {
  wasm_valkind_t kind;
};

struct wasm_externtype_t {
  explicit wasm_externtype_t(wasm_externkind_t k) : kind(k) {}
  virtual ~wasm_externtype_t() = default;
  virtual wasm_externtype_t* clone() const = 0;
  wasm_externkind_t kind;
};

struct wasm_functype_t : wasm_externtype_t {
  wasm_functype_t() : wasm_externtype_t(WASM_EXTERN_FUNC) {}
  ~wasm_functype_t() override;
  wasm_externtype_t* clone() const override;
  wasm_valtype_vec_t params{0, nullptr};
  wasm_valtype_vec_t results{0, nullptr};
};

struct wasm_globaltype_t : wasm_externtype_t {
  wasm_globaltype_t(wasm_valtype_t* c, wasm_mutability_t m)
      : wasm_externtype_t(WASM_EXTERN_GLOBAL), content(c), mutability(m) {}
  ~wasm_globaltype_t() override { delete content; }
  wasm_externtype_t* clone() const override { return new wasm_globaltype_t(new wasm_valtype_t(*content), mutability); }
  wasm_valtype_t* content;
  wasm_mutability_t mutability;
};

struct wasm_tabletype_t : wasm_externtype_t {
  wasm_tabletype_t(wasm_valtype_t* e, wasm_limits_t l) : wasm_externtype_t(WASM_EXTERN_TABLE), element(e), limits(l) {}
  ~wasm_tabletype_t() override { delete element; }
  wasm_externtype_t* clone() const override { return new wasm_tabletype_t(new wasm_valtype_t(*element), limits); }
  wasm_valtype_t* element;
  wasm_limits_t limits;
};

struct wasm_memorytype_t : wasm_externtype_t {
  explicit wasm_memorytype_t(wasm_limits_t l) : wasm_externtype_t(WASM_EXTERN_MEMORY), limits(l) {}
  wasm_externtype_t* clone() const override { return new wasm_memorytype_t(limits); }
  wasm_limits_t limits;
};

struct wasm_importtype_t {
  ~wasm_importtype_t();
  wasm_name_t module{0, nullptr};
  wasm_name_t name{0, nullptr};
  wasm_externtype_t* type = nullptr;
};

struct wasm_exporttype_t {
  ~wasm_exporttype_t();
  wasm_name_t name{0, nullptr};
  wasm_externtype_t* type = nullptr;
};

namespace weft::api {

// Something the API handed out that its store frees if the embedder does not.
struct StoreOwned {
  explicit StoreOwned(wasm_store_t* store);
  StoreOwned(const StoreOwned&) = delete;
  StoreOwned& operator=(const StoreOwned&) = delete;
  virtual ~StoreOwned();
  wasm_store_t* const store;
};

// The first four are numbered as the runtime's ExternKind.
enum class RefKind : uint8_t { func = 0, table = 1, memory = 2, global = 3, instance, module, foreign, trap };

struct FrameData {
  Instance* instance = nullptr;
  std::string func_name;  // the runtime's debug name (name section, else func[N])
  uint32_t func_index = 0;
  size_t func_offset = 0;
  size_t module_offset = 0;
};

struct TrapData {
  std::string message;  // without the terminating NUL
  std::vector<FrameData> frames;  // innermost first
  // Made by weft_pending_new: not a trap but a host function's "pending".
  weft_pending_t* pending = nullptr;
};

struct AsyncState;  // weft.h's asynchronous calls in this store (weft_internal.h)
struct AsyncStateDeleter {
  void operator()(AsyncState* a) const;
};

// An identity for wasm_foreign_new (one byte, so that each has an address).
struct ForeignObject {
  char unused = 0;
};

struct HostInfo {
  void* info = nullptr;
  void (*finalizer)(void*) = nullptr;
  std::shared_ptr<const void> keep_alive;  // the object the info is keyed by, if not store-owned
};

// What a host function created by wasm_func_new[_with_env] calls.
struct HostFunc {
  wasm_store_t* store = nullptr;
  wasm_func_callback_t callback = nullptr;
  wasm_func_callback_with_env_t callback_with_env = nullptr;
  void* env = nullptr;
  void (*finalizer)(void*) = nullptr;
  std::vector<ValType> params;
  std::vector<ValType> results;
};

}  // namespace weft::api

struct wasm_store_t {
  explicit wasm_store_t(wasm_engine_t* e) : engine(e), store(e->engine) {}
  ~wasm_store_t();

  wasm_engine_t* engine;
  weft::Store store;
  // Handles not yet deleted by the embedder.
  std::unordered_set<weft::api::StoreOwned*> live;
  bool closing = false;
  std::unordered_map<const void*, weft::api::HostInfo> host_infos;  // by object identity
  std::deque<weft::api::HostFunc> host_funcs;
  std::deque<weft::api::ForeignObject> foreigns;
  // Externref values: a non-null externref is a host ref whose payload
  // indexes extern_refs (a store-owned copy of the reference passed in).
  std::vector<wasm_ref_t*> extern_refs;
  std::unordered_map<const void*, uint64_t> extern_ref_index;
  // One borrowed handle per instance, for wasm_frame_instance.
  std::unordered_map<weft::Instance*, wasm_instance_t*> frame_instances;
  // Asynchronous calls (weft.h), made on first use.
  std::unique_ptr<weft::api::AsyncState, weft::api::AsyncStateDeleter> async;
  weft::api::AsyncState& async_state();
  // Objects that live as long as the store (the WASI contexts of weft.h's linkers).
  std::vector<std::shared_ptr<void>> attachments;
};

// ---- references ----------------------------------------------------------------

struct wasm_ref_t : weft::api::StoreOwned {
  wasm_ref_t(wasm_store_t* s, weft::api::RefKind k) : StoreOwned(s), kind(k) {}
  // The runtime object this reference names (what wasm_ref_same compares).
  virtual const void* identity() const = 0;
  virtual wasm_ref_t* clone() const = 0;
  const weft::api::RefKind kind;
};

struct wasm_extern_t : wasm_ref_t {
  wasm_extern_t(wasm_store_t* s, weft::Extern e);
  const void* identity() const override { return ext.ptr; }
  wasm_ref_t* clone() const override;
  weft::Extern ext;
};

struct wasm_func_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
};
struct wasm_global_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
};
struct wasm_table_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
};
struct wasm_memory_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
};

struct wasm_instance_t : wasm_ref_t {
  wasm_instance_t(wasm_store_t* s, weft::Instance* i) : wasm_ref_t(s, weft::api::RefKind::instance), instance(i) {}
  const void* identity() const override { return instance; }
  wasm_ref_t* clone() const override { return new wasm_instance_t(store, instance); }
  weft::Instance* instance;
};

struct wasm_module_t : wasm_ref_t {
  wasm_module_t(wasm_store_t* s, std::shared_ptr<const weft::Module> m)
      : wasm_ref_t(s, weft::api::RefKind::module), module(std::move(m)) {}
  const void* identity() const override { return module.get(); }
  wasm_ref_t* clone() const override { return new wasm_module_t(store, module); }
  std::shared_ptr<const weft::Module> module;
};

struct wasm_shared_module_t {
  std::shared_ptr<const weft::Module> module;
  const weft::Engine* engine;
};

struct wasm_foreign_t : wasm_ref_t {
  wasm_foreign_t(wasm_store_t* s, weft::api::ForeignObject* o) : wasm_ref_t(s, weft::api::RefKind::foreign), object(o) {}
  const void* identity() const override { return object; }
  wasm_ref_t* clone() const override { return new wasm_foreign_t(store, object); }
  weft::api::ForeignObject* object;
};

struct wasm_trap_t : wasm_ref_t {
  wasm_trap_t(wasm_store_t* s, std::shared_ptr<weft::api::TrapData> d)
      : wasm_ref_t(s, weft::api::RefKind::trap), data(std::move(d)) {}
  const void* identity() const override { return data.get(); }
  wasm_ref_t* clone() const override { return new wasm_trap_t(store, data); }
  std::shared_ptr<weft::api::TrapData> data;
};

struct wasm_frame_t : weft::api::StoreOwned {
  wasm_frame_t(wasm_store_t* s, const weft::api::FrameData& f) : StoreOwned(s), frame(f) {}
  weft::api::FrameData frame;
};

namespace weft::api {

// A handle of the right subclass for a runtime extern.
wasm_extern_t* new_extern(wasm_store_t* store, const Extern& ext);

// Value types between the C API and the runtime.
ValType to_valtype(wasm_valkind_t kind);
wasm_valkind_t to_valkind(const ValType& type);
wasm_valtype_vec_t to_valtype_vec(const std::vector<ValType>& types);
std::vector<ValType> from_valtype_vec(const wasm_valtype_vec_t& vec);
wasm_functype_t* new_functype(const FuncType& ft);
wasm_limits_t to_limits(const Limits& limits);
Limits from_limits(const wasm_limits_t& limits);
// The canonical id of a function type in the engine's registry.
uint32_t register_functype(Engine& engine, const wasm_functype_t& type);
// The API type of a runtime extern.
wasm_externtype_t* extern_type(Store& store, const Extern& ext);

// References and values between the C API and the runtime. Refs converted
// to the runtime must belong to `store`; the C values made are owned.
Ref to_runtime_ref(wasm_store_t* store, const wasm_ref_t* ref, const ValType& type);
wasm_ref_t* from_runtime_ref(wasm_store_t* store, Ref ref, const ValType& type);
// False if the value's kind does not fit `type`.
bool to_runtime_value(wasm_store_t* store, const wasm_val_t& val, const ValType& type, uint64_t* bits);
wasm_val_t from_runtime_value(wasm_store_t* store, const ValType& type, uint64_t bits);

// A trap (in `store`) from a runtime error, with its frames.
wasm_trap_t* new_trap(wasm_store_t* store, const Error& error);
wasm_trap_t* new_trap(wasm_store_t* store, std::string message);

// A host function returned weft_pending_new's answer (weft_async.cc).
void note_pending_returned(wasm_store_t* store, weft_pending_t* pending);

// Names between the C API and std::string.
wasm_name_t to_name(const std::string& s);
std::string from_name(const wasm_name_t& name);

}  // namespace weft::api
