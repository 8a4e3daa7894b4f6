// weft.hh: weft.h for C++20 — RAII owners, errors as values, the linker and
// WASI, asynchronous calls, and C++20 coroutines on both sides of an
// asynchronous call:
//
//   * a host function written as a coroutine (returning weft::HostTask) that
//     co_awaits something the embedder completes later (weft::Completion<T>):
//     when it suspends, the host function answers "pending"; when it
//     co_returns, the pending handle is completed (or failed);
//   * an embedder coroutine (weft::Task<T>) that co_awaits a weft::Call and is
//     resumed when the call finishes or traps, driven by weft::Scheduler.
//
// Header-only over the C functions of weft.h (and wasm.h); it includes only
// weft.h and the C++ standard library. docs/embedding.md ("weft.hh") has the
// model. Everything here is single-threaded, as a store is (only
// InterruptHandle::interrupt may be called from another thread).
//
// Lifetimes follow the C API: deleting a store frees its calls, pending
// handles and references, so owners of store objects (Call, Trap, FuncPtr,
// InstancePtr, Values holding references) must be destroyed before the store
// (declare the store first) or release()d.
#ifndef WEFT_HH
#define WEFT_HH

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "weft.h"

// The C++ API's classes (wasm.hh) are the C API's objects; c_api() gives
// the C pointer so that everything here also takes wasm.hh objects:
//   weft::Config().fuel(1000).apply(weft::c_api(config.get()));  // own<wasm::Config>
namespace wasm {
class Config;
class Engine;
class Store;
class Module;
class Instance;
class Extern;
class Func;
class Trap;
class Frame;
}  // namespace wasm

// The names are in an inline namespace: weft::Error etc. for embedders, and
// no clash of symbols with libweft's internal namespace weft.
namespace weft {
inline namespace hh {

// ==== Owners ================================================================

inline wasm_config_t* c_api(wasm::Config* p) noexcept { return reinterpret_cast<wasm_config_t*>(p); }
inline wasm_engine_t* c_api(wasm::Engine* p) noexcept { return reinterpret_cast<wasm_engine_t*>(p); }
inline wasm_store_t* c_api(wasm::Store* p) noexcept { return reinterpret_cast<wasm_store_t*>(p); }
inline const wasm_module_t* c_api(const wasm::Module* p) noexcept { return reinterpret_cast<const wasm_module_t*>(p); }
inline const wasm_instance_t* c_api(const wasm::Instance* p) noexcept {
  return reinterpret_cast<const wasm_instance_t*>(p);
}
inline const wasm_extern_t* c_api(const wasm::Extern* p) noexcept { return reinterpret_cast<const wasm_extern_t*>(p); }
inline const wasm_func_t* c_api(const wasm::Func* p) noexcept { return reinterpret_cast<const wasm_func_t*>(p); }
inline const wasm_trap_t* c_api(const wasm::Trap* p) noexcept { return reinterpret_cast<const wasm_trap_t*>(p); }
inline const wasm_frame_t* c_api(const wasm::Frame* p) noexcept { return reinterpret_cast<const wasm_frame_t*>(p); }

namespace detail {
template <class T, void (*Delete)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Delete(p); }
};
}  // namespace detail

// Plain unique_ptr owners of the C objects this header hands out.
using EnginePtr = std::unique_ptr<wasm_engine_t, detail::Deleter<wasm_engine_t, wasm_engine_delete>>;
using StorePtr = std::unique_ptr<wasm_store_t, detail::Deleter<wasm_store_t, wasm_store_delete>>;
using ModulePtr = std::unique_ptr<wasm_module_t, detail::Deleter<wasm_module_t, wasm_module_delete>>;
using InstancePtr = std::unique_ptr<wasm_instance_t, detail::Deleter<wasm_instance_t, wasm_instance_delete>>;
using FuncPtr = std::unique_ptr<wasm_func_t, detail::Deleter<wasm_func_t, wasm_func_delete>>;
using ConfigPtr = std::unique_ptr<wasm_config_t, detail::Deleter<wasm_config_t, wasm_config_delete>>;

// ==== Errors ================================================================

// A weft_error_t, owned, or nothing (success). Contextually true when it
// holds an error:  if (weft::Error e = weft::set_fuel(store, 10)) puts(e.message().c_str());
class Error {
 public:
  Error() noexcept = default;
  explicit Error(weft_error_t* adopt) noexcept : e_(adopt) {}
  // An error made on the C++ side (no weft_error_t behind it).
  static Error make(std::string message) {
    Error e;
    e.local_ = std::move(message);
    e.has_local_ = true;
    return e;
  }
  explicit operator bool() const noexcept { return e_ != nullptr || has_local_; }
  bool ok() const noexcept { return !*this; }
  // What went wrong ("" for success).
  std::string message() const {
    if (e_) return weft_error_message(e_.get());
    return local_;
  }
  const weft_error_t* get() const noexcept { return e_.get(); }
  weft_error_t* release() noexcept { return e_.release(); }

 private:
  std::unique_ptr<weft_error_t, detail::Deleter<weft_error_t, weft_error_delete>> e_;
  std::string local_;
  bool has_local_ = false;
};

// A value or an Error (C++20 has no std::expected).
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : error_(std::move(error)) {}  // NOLINT
  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  T* operator->() { return &*value_; }
  const Error& error() const noexcept { return error_; }

 private:
  std::optional<T> value_;
  Error error_;
};

// ==== Values ================================================================

// A wasm_val_vec_t, owned (its references included).
class Values {
 public:
  Values() noexcept { vec_ = WASM_EMPTY_VEC; }
  // Takes the vector over (and empties *adopt).
  explicit Values(wasm_val_vec_t* adopt) noexcept : vec_(*adopt) { *adopt = WASM_EMPTY_VEC; }
  // Copies plain values (references in them are copied with wasm_val_copy).
  Values(std::initializer_list<wasm_val_t> vals) : Values(std::span<const wasm_val_t>(vals.begin(), vals.size())) {}
  explicit Values(std::span<const wasm_val_t> vals) {
    wasm_val_vec_new_uninitialized(&vec_, vals.size());
    for (size_t i = 0; i < vals.size(); ++i) wasm_val_copy(&vec_.data[i], &vals[i]);
  }
  Values(Values&& o) noexcept : vec_(o.vec_) { o.vec_ = WASM_EMPTY_VEC; }
  Values& operator=(Values&& o) noexcept {
    if (this != &o) {
      wasm_val_vec_delete(&vec_);
      vec_ = o.vec_;
      o.vec_ = WASM_EMPTY_VEC;
    }
    return *this;
  }
  ~Values() { wasm_val_vec_delete(&vec_); }

  size_t size() const noexcept { return vec_.size; }
  bool empty() const noexcept { return vec_.size == 0; }
  const wasm_val_t& operator[](size_t i) const noexcept { return vec_.data[i]; }
  const wasm_val_t* begin() const noexcept { return vec_.data; }
  const wasm_val_t* end() const noexcept { return vec_.data + vec_.size; }
  const wasm_val_vec_t* vec() const noexcept { return &vec_; }
  // The plain values (references borrowed from this vector).
  std::vector<wasm_val_t> to_vector() const { return std::vector<wasm_val_t>(begin(), end()); }

 private:
  wasm_val_vec_t vec_;
};

inline wasm_val_t i32(int32_t v) noexcept {
  wasm_val_t x;
  x.kind = WASM_I32;
  x.of.i32 = v;
  return x;
}
inline wasm_val_t i64(int64_t v) noexcept {
  wasm_val_t x;
  x.kind = WASM_I64;
  x.of.i64 = v;
  return x;
}
inline wasm_val_t f32(float v) noexcept {
  wasm_val_t x;
  x.kind = WASM_F32;
  x.of.f32 = v;
  return x;
}
inline wasm_val_t f64(double v) noexcept {
  wasm_val_t x;
  x.kind = WASM_F64;
  x.of.f64 = v;
  return x;
}

// ==== Traps and frames ======================================================

namespace detail {
inline std::string take_message(wasm_byte_vec_t* m) {
  // wasm_message_t is NUL-terminated; a name is not.
  size_t n = m->size;
  if (n > 0 && m->data[n - 1] == '\0') --n;
  std::string s(m->data ? m->data : "", n);
  wasm_byte_vec_delete(m);
  return s;
}
}  // namespace detail

// The name of a frame's function (name section, export, else "func[N]").
inline std::string func_name(const wasm_frame_t* frame) {
  wasm_name_t name;
  weft_frame_func_name(frame, &name);
  return detail::take_message(&name);
}
// The trap's message.
inline std::string message(const wasm_trap_t* trap) {
  wasm_message_t m;
  wasm_trap_message(trap, &m);
  return detail::take_message(&m);
}
// The trap's message and backtrace, one frame a line (weft_trap_format).
inline std::string format(const wasm_trap_t* trap) {
  wasm_message_t m;
  weft_trap_format(trap, &m);
  return detail::take_message(&m);
}
// The function names of the trap's frames, innermost first.
inline std::vector<std::string> frame_names(const wasm_trap_t* trap) {
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  std::vector<std::string> names;
  for (size_t i = 0; i < frames.size; ++i) names.push_back(func_name(frames.data[i]));
  wasm_frame_vec_delete(&frames);
  return names;
}

// A wasm_trap_t, owned, or nothing. Contextually true when it holds a trap.
class Trap {
 public:
  Trap() noexcept = default;
  explicit Trap(wasm_trap_t* adopt) noexcept : t_(adopt) {}
  // A trap with `message`, made in `store`.
  static Trap make(wasm_store_t* store, std::string_view message) {
    wasm_message_t m;
    wasm_byte_vec_new_uninitialized(&m, message.size() + 1);
    for (size_t i = 0; i < message.size(); ++i) m.data[i] = message[i];
    m.data[message.size()] = '\0';
    Trap t(wasm_trap_new(store, &m));
    wasm_byte_vec_delete(&m);
    return t;
  }
  explicit operator bool() const noexcept { return t_ != nullptr; }
  std::string message() const { return t_ ? weft::message(t_.get()) : std::string(); }
  std::string format() const { return t_ ? weft::format(t_.get()) : std::string(); }
  std::vector<std::string> frame_names() const { return t_ ? weft::frame_names(t_.get()) : std::vector<std::string>{}; }
  wasm_trap_t* get() const noexcept { return t_.get(); }
  wasm_trap_t* release() noexcept { return t_.release(); }

 private:
  std::unique_ptr<wasm_trap_t, detail::Deleter<wasm_trap_t, wasm_trap_delete>> t_;
};

// ==== Engine options ========================================================

// Collects weft_config_* settings and applies them to a wasm_config_t (or a
// wasm::Config*, which is one). Settings not made keep their defaults.
class Config {
 public:
  Config& stack_growth(weft_stack_growth_t v) { return add([v](wasm_config_t* c) { return weft_config_stack_growth(c, v); }); }
  Config& initial_stack_bytes(uint64_t v) { return add([v](wasm_config_t* c) { return weft_config_initial_stack_bytes(c, v); }); }
  Config& max_stack_bytes(uint64_t v) { return add([v](wasm_config_t* c) { return weft_config_max_stack_bytes(c, v); }); }
  Config& max_total_stack_bytes(uint64_t v) { return add([v](wasm_config_t* c) { return weft_config_max_total_stack_bytes(c, v); }); }
  Config& max_cont_stacks(uint32_t v) { return add([v](wasm_config_t* c) { return weft_config_max_cont_stacks(c, v); }); }
  Config& max_memory_pages(uint64_t v) { return add([v](wasm_config_t* c) { return weft_config_max_memory_pages(c, v); }); }
  Config& max_table_elements(uint64_t v) { return add([v](wasm_config_t* c) { return weft_config_max_table_elements(c, v); }); }
  Config& max_instances(uint32_t v) { return add([v](wasm_config_t* c) { return weft_config_max_instances(c, v); }); }
  Config& fuel(uint64_t v) { return add([v](wasm_config_t* c) { return weft_config_fuel(c, v); }); }
  Config& deadline_ms(uint64_t v) { return add([v](wasm_config_t* c) { return weft_config_deadline_ms(c, v); }); }
  Config& interruptible(bool v) { return add([v](wasm_config_t* c) { return weft_config_interruptible(c, v); }); }

  // Applies the settings in the order they were made; stops at the first
  // one out of range and returns its error (the earlier ones stay applied).
  Error apply(wasm_config_t* config) const {
    for (const auto& set : setters_) {
      Error e(set(config));
      if (e) return e;
    }
    return Error();
  }
  // A new wasm_config_t with the settings.
  Result<ConfigPtr> make_config() const {
    ConfigPtr config(wasm_config_new());
    if (Error e = apply(config.get())) return e;
    return config;
  }
  // An engine with the settings.
  Result<EnginePtr> make_engine() const {
    Result<ConfigPtr> config = make_config();
    if (!config) return Error::make(config.error().message());
    return EnginePtr(wasm_engine_new_with_config(std::move(config).value().release()));
  }

 private:
  template <class F>
  Config& add(F f) {
    setters_.emplace_back(std::move(f));
    return *this;
  }
  std::vector<std::function<weft_error_t*(wasm_config_t*)>> setters_;
};

// ==== Fuel and interrupts ===================================================

inline Error set_fuel(wasm_store_t* store, uint64_t fuel) { return Error(weft_store_set_fuel(store, fuel)); }
inline Result<uint64_t> fuel(const wasm_store_t* store) {
  uint64_t out = 0;
  if (Error e{weft_store_fuel(store, &out)}) return e;
  return out;
}

// Stops the running call of a store from any thread; may outlive the store.
class InterruptHandle {
 public:
  static Result<InterruptHandle> make(wasm_store_t* store) {
    weft_interrupt_handle_t* h = nullptr;
    if (Error e{weft_interrupt_handle_new(store, &h)}) return e;
    return InterruptHandle(h);
  }
  explicit InterruptHandle(weft_interrupt_handle_t* adopt) noexcept : h_(adopt) {}
  // Thread-safe.
  void interrupt() const noexcept {
    if (h_) weft_interrupt(h_.get());
  }
  const weft_interrupt_handle_t* get() const noexcept { return h_.get(); }

 private:
  std::unique_ptr<weft_interrupt_handle_t, detail::Deleter<weft_interrupt_handle_t, weft_interrupt_handle_delete>> h_;
};

// ==== Synchronous host functions from C++ callables ===========================
//
// The callable is  R f(std::span<const wasm_val_t> args, std::span<wasm_val_t> results)
// with R = void, weft::Trap or wasm_trap_t* (owned, nullptr for none). An
// exception becomes a trap with its what(). The callable lives (moved to the
// heap) as long as the store; its destructor runs when the store is deleted.

namespace detail {
template <class F>
struct SyncEnv {
  wasm_store_t* store;
  F f;
};

template <class F>
wasm_trap_t* sync_trampoline(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) noexcept {
  auto* e = static_cast<SyncEnv<F>*>(env);
  try {
    std::span<const wasm_val_t> a(args->data, args->size);
    std::span<wasm_val_t> r(results->data, results->size);
    using R = std::invoke_result_t<F&, std::span<const wasm_val_t>, std::span<wasm_val_t>>;
    if constexpr (std::is_void_v<R>) {
      e->f(a, r);
      return nullptr;
    } else if constexpr (std::is_same_v<R, Trap>) {
      return e->f(a, r).release();
    } else {
      static_assert(std::is_same_v<R, wasm_trap_t*>, "a host function returns void, weft::Trap or wasm_trap_t*");
      return e->f(a, r);
    }
  } catch (const std::exception& x) {
    return Trap::make(e->store, x.what()).release();
  } catch (...) {
    return Trap::make(e->store, "host function threw").release();
  }
}

template <class Env>
void delete_env(void* env) noexcept {
  delete static_cast<Env*>(env);
}
}  // namespace detail

template <class F>
FuncPtr make_func(wasm_store_t* store, const wasm_functype_t* type, F f) {
  using Env = detail::SyncEnv<std::decay_t<F>>;
  auto* env = new Env{store, std::move(f)};
  return FuncPtr(wasm_func_new_with_env(store, type, detail::sync_trampoline<std::decay_t<F>>, env,
                                        detail::delete_env<Env>));
}

// ==== Completions: what a coroutine waits for ================================

// A one-shot value the embedder provides later; a coroutine co_awaits it
// (one coroutine at most) and gets the value (moved out to it). Copies
// share one state.
// complete() resumes the waiting coroutine at once, inside complete(); if
// nobody waits yet, the value is kept for the next co_await. If the waiting
// coroutine is destroyed first (its store was deleted), complete() just
// keeps the value.
template <class T>
class Completion {
  struct State {
    std::optional<T> value;
    std::coroutine_handle<> waiter;
  };

 public:
  Completion() : s_(std::make_shared<State>()) {}

  // False (and nothing happens) if it was completed already.
  bool complete(T value) {
    if (s_->value) return false;
    s_->value.emplace(std::move(value));
    if (auto h = std::exchange(s_->waiter, nullptr)) h.resume();
    return true;
  }
  bool completed() const noexcept { return s_->value.has_value(); }
  bool waiting() const noexcept { return bool(s_->waiter); }

  class Awaiter {
   public:
    explicit Awaiter(std::shared_ptr<State> s) : s_(std::move(s)) {}
    Awaiter(Awaiter&& o) noexcept : s_(std::move(o.s_)) {}
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() {
      // Destroyed while suspended (the coroutine frame is destroyed): forget it.
      if (s_) s_->waiter = nullptr;
    }
    bool await_ready() const noexcept { return s_->value.has_value(); }
    void await_suspend(std::coroutine_handle<> h) noexcept { s_->waiter = h; }
    T await_resume() { return std::move(*s_->value); }

   private:
    std::shared_ptr<State> s_;
  };
  Awaiter operator co_await() const { return Awaiter(s_); }

 private:
  std::shared_ptr<State> s_;
};

// ==== Host functions as coroutines ==========================================
//
//   weft::HostTask read(std::vector<wasm_val_t> args) {
//     weft::Completion<int32_t> done;
//     loop.start_read(args[0].of.i32, done);       // the embedder completes it later
//     int32_t n = co_await done;                   // suspends: the host call is pending
//     co_return std::vector<wasm_val_t>{weft::i32(n)};   // completes the pending handle
//   }
//   linker.define_async("env", "read", type, read);
//
// The coroutine starts inside the host call. If it co_returns without
// suspending, the host function returns its results synchronously. If it
// suspends, the host function answers pending (weft_pending_new) and the
// coroutine frame is detached: it belongs to the host function's env until
// it finishes, when it completes the pending handle (weft_pending_complete
// with what it co_returned) or fails it (weft_pending_fail) and destroys
// itself. co_return weft::Fail{"message"} (or a weft::Trap) fails the call;
// an exception out of the coroutine fails it with its what(). Deleting the
// store destroys every frame still suspended (locals' destructors run; the
// pending handles are the store's and freed by it). A cancelled call
// (weft_call_delete) does not stop the coroutine: it finishes when its
// awaitable completes, and completing the handle then reports the
// cancellation (dropped_errors() counts such errors).
//
// The arguments are plain copies; references among them are borrowed from
// the caller and valid only until the first suspension. Results are copied
// by weft_pending_complete (references in them stay the coroutine's).

// What fails a host coroutine: co_return weft::Fail{"disk on fire"};
struct Fail {
  std::string message;
};

namespace detail {
struct AsyncEnvBase {
  wasm_store_t* store = nullptr;
  std::unordered_set<void*> live;  // suspended, detached coroutine frames
  size_t dropped_errors = 0;       // errors of weft_pending_complete/_fail (cancelled calls)
  std::string last_dropped_error;
};
}  // namespace detail

class HostTask {
 public:
  struct promise_type;
  using handle_type = std::coroutine_handle<promise_type>;

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    // Inside the host call: stay suspended, the trampoline takes the results
    // and destroys the frame. Detached: settle the pending handle, then end
    // (returning false resumes the coroutine, which flows off the end and is
    // destroyed).
    bool await_suspend(handle_type h) noexcept {
      promise_type& p = h.promise();
      if (!p.detached) return true;
      p.settle();
      return false;
    }
    void await_resume() const noexcept {}
  };

  struct promise_type {
    std::vector<wasm_val_t> results;
    std::optional<std::string> failure;
    Trap trap;
    std::exception_ptr exception;
    detail::AsyncEnvBase* env = nullptr;
    weft_pending_t* pending = nullptr;
    bool detached = false;

    HostTask get_return_object() noexcept { return HostTask(handle_type::from_promise(*this)); }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    FinalAwaiter final_suspend() const noexcept { return {}; }
    void return_value(std::vector<wasm_val_t> v) noexcept { results = std::move(v); }
    void return_value(Fail f) noexcept { failure = std::move(f.message); }
    void return_value(Trap t) noexcept {
      if (t) trap = std::move(t);
      else failure = "host coroutine returned an empty trap";
    }
    void unhandled_exception() noexcept { exception = std::current_exception(); }

    bool failed() const noexcept { return failure.has_value() || bool(trap) || bool(exception); }
    // The trap for a failure (owned by the caller); nullptr for results.
    wasm_trap_t* take_trap() noexcept {
      if (trap) return trap.release();
      std::string m;
      if (failure) {
        m = *failure;
      } else if (exception) {
        try {
          std::rethrow_exception(exception);
        } catch (const std::exception& x) {
          m = x.what();
        } catch (...) {
          m = "host coroutine threw";
        }
      } else {
        return nullptr;
      }
      try {
        return Trap::make(env->store, m).release();
      } catch (...) {
        return nullptr;
      }
    }
    // Completes or fails the pending handle (detached frames only).
    void settle() noexcept {
      env->live.erase(handle_type::from_promise(*this).address());
      weft_error_t* error = nullptr;
      if (failed()) {
        wasm_trap_t* t = take_trap();
        if (t) error = weft_pending_fail(pending, t);
      } else {
        wasm_val_vec_t vec = {results.size(), results.data()};
        error = weft_pending_complete(pending, &vec);
      }
      pending = nullptr;
      if (error) {
        ++env->dropped_errors;
        env->last_dropped_error = weft_error_message(error);
        weft_error_delete(error);
      }
    }
  };

  HostTask(HostTask&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  HostTask& operator=(HostTask&&) = delete;
  ~HostTask() {
    if (h_) h_.destroy();
  }
  handle_type release() noexcept { return std::exchange(h_, nullptr); }

 private:
  explicit HostTask(handle_type h) noexcept : h_(h) {}
  handle_type h_;
};

namespace detail {
template <class F>
struct AsyncEnv : AsyncEnvBase {
  explicit AsyncEnv(wasm_store_t* s, F fn) : f(std::move(fn)) { store = s; }
  AsyncEnv(const AsyncEnv&) = delete;
  AsyncEnv& operator=(const AsyncEnv&) = delete;
  // Runs when the store is deleted: the pending handles are gone with it;
  // destroy the frames still suspended.
  ~AsyncEnv() {
    auto frames = std::move(live);
    live.clear();
    for (void* a : frames) {
      auto h = HostTask::handle_type::from_address(a);
      h.promise().pending = nullptr;
      h.promise().detached = false;
      h.destroy();
    }
  }
  F f;
};

template <class F>
wasm_trap_t* async_trampoline(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) noexcept {
  auto* e = static_cast<AsyncEnv<F>*>(env);
  HostTask::handle_type h;
  try {
    std::vector<wasm_val_t> a(args->data, args->data + args->size);
    h = e->f(std::move(a)).release();
  } catch (const std::exception& x) {
    return Trap::make(e->store, x.what()).release();
  } catch (...) {
    return Trap::make(e->store, "host function threw").release();
  }
  if (!h) return Trap::make(e->store, "host function returned no coroutine").release();
  HostTask::promise_type& p = h.promise();
  p.env = e;
  h.resume();
  if (h.done()) {  // finished without suspending: answer synchronously
    wasm_trap_t* trap = nullptr;
    if (p.failed()) {
      trap = p.take_trap();
    } else if (p.results.size() != results->size) {
      trap = Trap::make(e->store, "host coroutine returned " + std::to_string(p.results.size()) +
                                      " results, expected " + std::to_string(results->size))
                 .release();
    } else {
      for (size_t i = 0; i < results->size; ++i) results->data[i] = p.results[i];
    }
    h.destroy();
    return trap;
  }
  weft_pending_t* pending = nullptr;
  wasm_trap_t* answer = weft_pending_new(e->store, &pending);
  p.pending = pending;
  p.detached = true;
  try {
    e->live.insert(h.address());
  } catch (...) {
    // Out of memory: cannot track the frame; fail the call rather than leak.
    p.pending = nullptr;
    p.detached = false;
    h.destroy();
    wasm_trap_delete(answer);
    weft_error_delete(weft_pending_fail(pending, Trap::make(e->store, "out of memory").release()));
    return Trap::make(e->store, "out of memory").release();
  }
  return answer;
}
}  // namespace detail

// A host function written as a coroutine: F is  HostTask f(std::vector<wasm_val_t> args).
// The callable (and each suspended frame) lives until the store is deleted.
template <class F>
FuncPtr make_async_func(wasm_store_t* store, const wasm_functype_t* type, F f) {
  using Env = detail::AsyncEnv<std::decay_t<F>>;
  auto* env = new Env(store, std::move(f));
  return FuncPtr(wasm_func_new_with_env(store, type, detail::async_trampoline<std::decay_t<F>>, env,
                                        detail::delete_env<Env>));
}

// ==== Asynchronous calls ====================================================

namespace detail {
struct CallState : std::enable_shared_from_this<CallState> {
  weft_call_t* call = nullptr;      // nullptr once deleted
  std::coroutine_handle<> waiter;   // a coroutine co_awaiting the call
  bool queued = false;              // in a Scheduler's ready queue
};
}  // namespace detail

// How a call ended, for co_await: an Error (misuse), or the results, or the trap.
struct CallOutcome {
  Error error;
  Values results;
  Trap trap;
  bool ok() const noexcept { return !error && !trap; }
};

// An asynchronous call (weft_call_t), owned; deleting a parked one cancels it.
// Must be destroyed (or release()d) before its store. Uses weft_call_set_data.
class Call {
 public:
  Call() = default;
  // weft_call_new: the call is made, not run (an empty Call if func is NULL).
  Call(const wasm_func_t* func, std::span<const wasm_val_t> args) {
    wasm_val_vec_t vec = {args.size(), const_cast<wasm_val_t*>(args.data())};
    adopt(weft_call_new(func, &vec));
  }
  Call(const wasm_func_t* func, std::initializer_list<wasm_val_t> args)
      : Call(func, std::span<const wasm_val_t>(args.begin(), args.size())) {}
  // Makes the call and runs it (to its end, a trap or pending).
  static Result<Call> start(const wasm_func_t* func, std::span<const wasm_val_t> args) {
    Call c(func, args);
    if (!c) return Error::make("no function to call");
    if (Error e = c.run()) return e;
    return c;
  }
  static Result<Call> start(const wasm_func_t* func, std::initializer_list<wasm_val_t> args) {
    return start(func, std::span<const wasm_val_t>(args.begin(), args.size()));
  }

  Call(Call&&) noexcept = default;
  Call& operator=(Call&& o) noexcept {
    if (this != &o) {
      reset();
      s_ = std::move(o.s_);
    }
    return *this;
  }
  ~Call() { reset(); }

  explicit operator bool() const noexcept { return s_ && s_->call; }
  weft_call_t* get() const noexcept { return s_ ? s_->call : nullptr; }
  // Gives up ownership (weft_call_delete is then the caller's).
  weft_call_t* release() noexcept {
    if (!s_ || !s_->call) return nullptr;
    weft_call_t* c = std::exchange(s_->call, nullptr);
    weft_call_set_data(c, nullptr);
    s_.reset();
    return c;
  }
  // Deletes (cancels) the call now.
  void reset() noexcept {
    if (s_ && s_->call) weft_call_delete(std::exchange(s_->call, nullptr));
    s_.reset();
  }

  // Runs a new call or continues a ready one.
  Error run() { return s_ && s_->call ? Error(weft_call_run(s_->call)) : Error::make("no call"); }
  weft_call_state_t state() const noexcept { return weft_call_state(s_->call); }
  bool done() const noexcept {
    auto st = state();
    return st == WEFT_CALL_FINISHED || st == WEFT_CALL_TRAPPED;
  }
  Values results() const {
    wasm_val_vec_t out;
    weft_call_results(s_->call, &out);
    return Values(&out);
  }
  Trap trap() const { return Trap(weft_call_trap(s_->call)); }

  // co_await call: runs it if it is new or ready; if it parks, the
  // coroutine is suspended until a Scheduler of the store sees the call
  // finish or trap (after running it when it becomes ready). One coroutine
  // at a time may await a call.
  class Awaiter {
   public:
    explicit Awaiter(std::shared_ptr<detail::CallState> s) : s_(std::move(s)) {}
    Awaiter(Awaiter&& o) noexcept : s_(std::move(o.s_)), error_(std::move(o.error_)) {}
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() {
      if (s_) s_->waiter = nullptr;
    }
    bool await_ready() {
      if (!s_ || !s_->call) {
        error_ = Error::make("no call");
        return true;
      }
      weft_call_state_t st = weft_call_state(s_->call);
      if (st == WEFT_CALL_NEW || st == WEFT_CALL_READY) {
        error_ = Error(weft_call_run(s_->call));
        if (error_) return true;
        st = weft_call_state(s_->call);
      }
      return st == WEFT_CALL_FINISHED || st == WEFT_CALL_TRAPPED;
    }
    void await_suspend(std::coroutine_handle<> h) noexcept { s_->waiter = h; }
    CallOutcome await_resume() {
      CallOutcome out;
      if (error_) {
        out.error = std::move(error_);
        return out;
      }
      if (!s_->call) {
        out.error = Error::make("the call was deleted");
        return out;
      }
      wasm_val_vec_t results;
      weft_call_results(s_->call, &results);
      out.results = Values(&results);
      out.trap = Trap(weft_call_trap(s_->call));
      return out;
    }

   private:
    std::shared_ptr<detail::CallState> s_;
    Error error_;
  };
  Awaiter operator co_await() const { return Awaiter(s_); }

 private:
  void adopt(weft_call_t* c) {
    if (!c) return;
    s_ = std::make_shared<detail::CallState>();
    s_->call = c;
    weft_call_set_data(c, s_.get());
  }
  std::shared_ptr<detail::CallState> s_;
};

// The driver of a store's asynchronous calls, for a single-threaded event
// loop. It installs the store's ready callback (one Scheduler per store;
// its destructor removes the callback) and keeps the weft::Calls that became
// ready. The loop calls run_ready(): it runs every ready call (weft::Calls
// and plain weft_call_t's alike) and resumes the coroutines awaiting the
// weft::Calls that finished or trapped; calls that become ready meanwhile
// (a resumed coroutine completes something) run in the same run_ready.
// Not from inside a running call (a host function).
//
// With a Scheduler installed, a call of the store whose weft_call_data is
// set must be a weft::Call (weft::Call uses the data pointer).
class Scheduler {
 public:
  explicit Scheduler(wasm_store_t* store) : store_(store) { weft_store_set_ready_callback(store_, &on_ready_cb, this); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler() { weft_store_set_ready_callback(store_, nullptr, nullptr); }

  // Also called with every call that becomes ready (inside the completion;
  // it must not run the call).
  template <class F>
  void on_ready(F f) {
    on_ready_ = std::move(f);
  }
  // The store's ready descriptor (readable while calls are ready), or -1.
  int ready_fd() const { return weft_store_ready_fd(store_); }
  size_t parked_calls() const { return weft_store_parked_calls(store_); }

  // Runs the ready calls and resumes their awaiting coroutines; returns
  // how many call runs it made.
  size_t run_ready() {
    size_t total = 0;
    for (;;) {
      const size_t ran = weft_store_run_ready(store_);
      total += ran;
      size_t handled = 0;
      while (!ready_.empty()) {
        std::shared_ptr<detail::CallState> s = ready_.front().lock();
        ready_.pop_front();
        if (!s) continue;
        s->queued = false;
        ++handled;
        if (!s->call) continue;
        if (weft_call_state(s->call) == WEFT_CALL_READY) {
          if (weft_error_t* e = weft_call_run(s->call)) {
            weft_error_delete(e);
            continue;
          }
          ++total;
        }
        const weft_call_state_t st = weft_call_state(s->call);
        if ((st == WEFT_CALL_FINISHED || st == WEFT_CALL_TRAPPED) && s->waiter)
          std::exchange(s->waiter, nullptr).resume();
      }
      if (ran == 0 && handled == 0) return total;
    }
  }

 private:
  static void on_ready_cb(void* env, weft_call_t* call) noexcept {
    auto* self = static_cast<Scheduler*>(env);
    if (void* data = weft_call_data(call)) {
      auto* s = static_cast<detail::CallState*>(data);
      if (!s->queued) {
        try {
          self->ready_.push_back(s->weak_from_this());
          s->queued = true;
        } catch (...) {
        }
      }
    }
    if (self->on_ready_) {
      try {
        self->on_ready_(call);
      } catch (...) {
      }
    }
  }
  wasm_store_t* store_;
  std::deque<std::weak_ptr<detail::CallState>> ready_;
  std::function<void(weft_call_t*)> on_ready_;
};

// ==== Embedder coroutines ===================================================

namespace detail {
template <class T>
struct TaskValue {
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
};
template <>
struct TaskValue<void> {
  void return_void() noexcept {}
};
}  // namespace detail

// A coroutine of the embedder that co_awaits calls (and completions): it
// starts at once, runs to its first suspension, and is resumed by the
// Scheduler (or a Completion). The Task owns the frame: destroying it
// destroys a suspended coroutine (it is then never resumed). T may be void.
template <class T = void>
class Task {
 public:
  struct promise_type : detail::TaskValue<T> {
    std::exception_ptr exception;
    Task get_return_object() noexcept { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_always final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { exception = std::current_exception(); }
  };

  Task(Task&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  ~Task() {
    if (h_) h_.destroy();
  }
  bool done() const noexcept { return h_ && h_.done(); }
  // The co_returned value (T&; nothing for void); rethrows an exception of
  // the coroutine. Only when done().
  decltype(auto) result() {
    if (h_.promise().exception) std::rethrow_exception(h_.promise().exception);
    if constexpr (!std::is_void_v<T>) return *h_.promise().value;
  }

 private:
  explicit Task(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

// ==== Linker and WASI =======================================================

// WASI preview 1 settings (weft_wasi_config_t), owned until given to a linker.
class WasiConfig {
 public:
  WasiConfig() : c_(weft_wasi_config_new()) {}
  WasiConfig& args(const std::vector<std::string>& argv) {
    std::vector<const char*> p;
    for (const auto& a : argv) p.push_back(a.c_str());
    weft_wasi_config_set_args(c_.get(), int(p.size()), p.data());
    return *this;
  }
  WasiConfig& env(const std::vector<std::string>& vars) {
    std::vector<const char*> p;
    for (const auto& v : vars) p.push_back(v.c_str());
    weft_wasi_config_set_env(c_.get(), int(p.size()), p.data());
    return *this;
  }
  WasiConfig& inherit_env() {
    weft_wasi_config_inherit_env(c_.get());
    return *this;
  }
  WasiConfig& preopen_dir(const std::string& host_path, const std::string& guest_path) {
    weft_wasi_config_preopen_dir(c_.get(), host_path.c_str(), guest_path.c_str());
    return *this;
  }
  Error stdio(int stdin_fd, int stdout_fd, int stderr_fd) {
    return Error(weft_wasi_config_set_stdio(c_.get(), stdin_fd, stdout_fd, stderr_fd));
  }
  weft_wasi_config_t* get() const noexcept { return c_.get(); }
  weft_wasi_config_t* release() noexcept { return c_.release(); }

 private:
  std::unique_ptr<weft_wasi_config_t, detail::Deleter<weft_wasi_config_t, weft_wasi_config_delete>> c_;
};

// An instance from the linker, or the trap of its instantiation (start function).
struct Instantiated {
  InstancePtr instance;
  Trap trap;
};
// The exit code of a WASI command, or its trap.
struct CommandOutcome {
  int exit_code = -1;
  Trap trap;
};

// weft_linker_t, owned. May be destroyed before or after the store, but not
// used after it.
class Linker {
 public:
  explicit Linker(wasm_store_t* store) : store_(store), l_(weft_linker_new(store)) {}

  Error define(const std::string& module, const std::string& name, const wasm_extern_t* item) {
    return Error(weft_linker_define(l_.get(), module.c_str(), name.c_str(), item));
  }
  // A host function from a callable (see make_func); it is destroyed when
  // the store is deleted (also if the definition fails).
  template <class F>
  Error define_func(const std::string& module, const std::string& name, const wasm_functype_t* type, F f) {
    using Env = detail::SyncEnv<std::decay_t<F>>;
    auto* env = new Env{store_, std::move(f)};
    return Error(weft_linker_define_func(l_.get(), module.c_str(), name.c_str(), type,
                                         detail::sync_trampoline<std::decay_t<F>>, env, detail::delete_env<Env>));
  }
  // A host function written as a coroutine (see make_async_func).
  template <class F>
  Error define_async(const std::string& module, const std::string& name, const wasm_functype_t* type, F f) {
    using Env = detail::AsyncEnv<std::decay_t<F>>;
    auto* env = new Env(store_, std::move(f));
    return Error(weft_linker_define_func(l_.get(), module.c_str(), name.c_str(), type,
                                         detail::async_trampoline<std::decay_t<F>>, env, detail::delete_env<Env>));
  }
  Error define_instance(const std::string& module, const wasm_instance_t* instance) {
    return Error(weft_linker_define_instance(l_.get(), module.c_str(), instance));
  }
  // Takes the config over (also on error).
  Error define_wasi(WasiConfig config) { return Error(weft_linker_define_wasi(l_.get(), config.release())); }

  Result<Instantiated> instantiate(const wasm_module_t* module) const {
    wasm_instance_t* instance = nullptr;
    wasm_trap_t* trap = nullptr;
    if (Error e{weft_linker_instantiate(l_.get(), module, &instance, &trap)}) return e;
    return Instantiated{InstancePtr(instance), Trap(trap)};
  }
  Result<CommandOutcome> run_command(const wasm_module_t* module) const {
    int code = -1;
    wasm_trap_t* trap = nullptr;
    if (Error e{weft_linker_run_command(l_.get(), module, &code, &trap)}) return e;
    CommandOutcome out;
    out.trap = Trap(trap);
    if (!out.trap) out.exit_code = code;
    return out;
  }

  weft_linker_t* get() const noexcept { return l_.get(); }
  wasm_store_t* store() const noexcept { return store_; }

 private:
  wasm_store_t* store_;
  std::unique_ptr<weft_linker_t, detail::Deleter<weft_linker_t, weft_linker_delete>> l_;
};

}  // namespace hh
}  // namespace weft

#endif  // WEFT_HH
