// Asynchronous calls and pending host calls (include/weft.h), over the
// runtime's AsyncRun (runtime/async.h). docs/embedding.md describes the model.
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "api/weft_internal.h"

namespace weft::api {

namespace {

void link_open(AsyncState& a, weft_pending_t* p) {
  p->next = a.open;
  if (a.open) a.open->prev = p;
  a.open = p;
}

void unlink_open(AsyncState& a, weft_pending_t* p) {
  if (p->prev) p->prev->next = p->next;
  else a.open = p->next;
  if (p->next) p->next->prev = p->prev;
  p->prev = p->next = nullptr;
}

// Frees a handle that was completed (or whose store goes away).
void free_pending(weft_pending_t* p) {
  AsyncState& a = p->store->async_state();
  if (a.returned == p) a.returned = nullptr;
  unlink_open(a, p);
  delete p;
}

void dequeue(AsyncState& a, weft_call_t* call) {
  if (!call->queued) return;
  a.ready.erase(std::find(a.ready.begin(), a.ready.end(), call));
  call->queued = false;
}

// The call's pending host call completed: it is ready to run.
void make_ready(weft_call_t* call) {
  AsyncState& a = call->store->async_state();
  call->pending = nullptr;
  call->state = WEFT_CALL_READY;
  call->queued = true;
  a.ready.push_back(call);
  if (a.ready_fd >= 0) {
    const uint64_t one = 1;
    // A full counter (2^64 - 2 completions not drained) stays readable.
    [[maybe_unused]] ssize_t n = write(a.ready_fd, &one, sizeof one);
  }
  if (a.callback) a.callback(a.callback_env, call);
}

const FuncType& func_type(wasm_store_t* store, const Function* f) {
  return f->type(store->engine->engine.types());
}

// Where the runtime left the call: finished, trapped, or parked again.
void settle(weft_call_t* call, Status status) {
  AsyncState& a = call->store->async_state();
  if (status.ok()) {
    call->state = WEFT_CALL_FINISHED;
    return;
  }
  Error error = std::move(status).error();
  if (error.kind == ErrorKind::pending) {
    // The host function's answer carried the handle (note_pending_returned).
    weft_pending_t* p = a.returned;
    a.returned = nullptr;
    call->state = WEFT_CALL_PENDING;
    call->pending = p;
    if (p) p->call = call;
    ++a.parked;
    return;
  }
  call->state = WEFT_CALL_TRAPPED;
  wasm_trap_t* trap = new_trap(call->store, error);
  call->trap = trap->data;
  wasm_trap_delete(trap);
}

weft_error_t* run_call(weft_call_t* call) {
  wasm_store_t* store = call->store;
  Store& rt = store->store;
  switch (call->state) {
    case WEFT_CALL_PENDING: return new_error("the call is pending: complete its pending host call first");
    case WEFT_CALL_FINISHED: return new_error("the call has finished");
    case WEFT_CALL_TRAPPED: return new_error("the call has trapped");
    case WEFT_CALL_NEW:
    case WEFT_CALL_READY: break;
  }
  if (rt.invoke_depth != 0) return new_error("another call of the store is running");
  AsyncState& a = store->async_state();
  if (call->state == WEFT_CALL_NEW) {
    std::vector<Value> args = std::move(call->args);
    call->args.clear();
    settle(call, invoke_async(rt, call->run, call->func, args, &call->results));
    return nullptr;
  }
  dequeue(a, call);
  --a.parked;
  if (call->failure) {
    Error failure = std::move(*call->failure);
    call->failure.reset();
    settle(call, fail_async(rt, call->run, std::move(failure), &call->results));
    return nullptr;
  }
  std::copy(call->completion.begin(), call->completion.end(), call->run.parked.results);
  call->completion.clear();
  settle(call, resume_async(rt, call->run, &call->results));
  return nullptr;
}

}  // namespace

void AsyncStateDeleter::operator()(AsyncState* a) const { delete a; }

weft_error_t* new_error(std::string message) { return new weft_error_t{std::move(message)}; }

void note_pending_returned(wasm_store_t* store, weft_pending_t* pending) { store->async_state().returned = pending; }

AsyncState::~AsyncState() {
  while (open) {
    weft_pending_t* p = open;
    open = p->next;
    delete p;
  }
  if (ready_fd >= 0) close(ready_fd);
}

}  // namespace weft::api

using namespace weft::api;

weft::api::AsyncState& wasm_store_t::async_state() {
  if (!async) async.reset(new AsyncState);
  return *async;
}

weft_call_t::~weft_call_t() {
  AsyncState& a = store->async_state();
  dequeue(a, this);
  if (pending) pending->call = nullptr;  // completing it reports the cancellation
  if (state == WEFT_CALL_PENDING || state == WEFT_CALL_READY) {
    weft::cancel_async(store->store, run);
    --a.parked;
  }
}

extern "C" {

// ---- pending host calls --------------------------------------------------------------

wasm_trap_t* weft_pending_new(wasm_store_t* store, weft_pending_t** out) {
  auto* p = new weft_pending_t;
  p->store = store;
  link_open(store->async_state(), p);
  wasm_trap_t* answer = new_trap(store, std::string("pending host call returned outside a call"));
  answer->data->pending = p;
  if (out) *out = p;
  return answer;
}

weft_error_t* weft_pending_complete(weft_pending_t* p, const wasm_val_vec_t* results) {
  if (p == nullptr) return new_error("weft_pending_complete: no pending handle");
  weft_call_t* call = p->call;
  wasm_store_t* store = p->store;
  free_pending(p);
  if (call == nullptr)
    return new_error("the pending host call has no call to complete: the call was cancelled, or was synchronous");
  const weft::Function* host = call->run.parked.host;
  const auto& types = func_type(store, host).results;
  const size_t n = results ? results->size : 0;
  std::string problem;
  if (n != types.size()) {
    problem = "host function completed with " + std::to_string(n) + " results, expected " +
              std::to_string(types.size());
  } else {
    call->completion.resize(n);
    for (size_t i = 0; i < n && problem.empty(); ++i)
      if (!to_runtime_value(store, results->data[i], types[i], &call->completion[i]))
        problem = "host function completed with result " + std::to_string(i) + " of a wrong type";
  }
  if (!problem.empty()) {
    call->completion.clear();
    call->failure = std::make_unique<weft::Error>(weft::make_error(weft::ErrorKind::trap, problem));
  }
  make_ready(call);
  return problem.empty() ? nullptr : new_error(problem);
}

weft_error_t* weft_pending_fail(weft_pending_t* p, wasm_trap_t* trap) {
  if (p == nullptr) {
    if (trap) wasm_trap_delete(trap);
    return new_error("weft_pending_fail: no pending handle");
  }
  weft_call_t* call = p->call;
  free_pending(p);
  std::string message = trap ? trap->data->message : std::string("host call failed");
  if (trap) wasm_trap_delete(trap);
  if (call == nullptr)
    return new_error("the pending host call has no call to fail: the call was cancelled, or was synchronous");
  call->failure = std::make_unique<weft::Error>(weft::make_error(weft::ErrorKind::trap, std::move(message)));
  make_ready(call);
  return nullptr;
}

// ---- calls ---------------------------------------------------------------------------

weft_call_t* weft_call_new(const wasm_func_t* func, const wasm_val_vec_t* args) {
  if (func == nullptr) return nullptr;
  wasm_store_t* store = func->store;
  auto* call = new weft_call_t(store, func->ext.func());
  const weft::FuncType& ft = func_type(store, call->func);
  const size_t n = args ? args->size : 0;
  std::string problem;
  if (n != ft.params.size())
    problem = "wrong number of arguments: expected " + std::to_string(ft.params.size()) + ", got " + std::to_string(n);
  call->args.resize(n);
  for (size_t i = 0; i < n && problem.empty(); ++i) {
    call->args[i].type = ft.params[i];
    if (!to_runtime_value(store, args->data[i], ft.params[i], &call->args[i].bits))
      problem = "argument " + std::to_string(i) + " does not have type " + weft::to_string(ft.params[i]);
  }
  if (!problem.empty()) {
    // It traps as wasm_func_call would, without running.
    call->args.clear();
    call->state = WEFT_CALL_TRAPPED;
    wasm_trap_t* trap = new_trap(store, problem);
    call->trap = trap->data;
    wasm_trap_delete(trap);
  }
  return call;
}

void weft_call_delete(weft_call_t* call) { delete call; }

weft_error_t* weft_call_run(weft_call_t* call) {
  if (call == nullptr) return new_error("weft_call_run: no call");
  return run_call(call);
}

weft_call_state_t weft_call_state(const weft_call_t* call) { return call->state; }

void weft_call_results(const weft_call_t* call, wasm_val_vec_t* out) {
  if (call->state != WEFT_CALL_FINISHED) {
    wasm_val_vec_new_empty(out);
    return;
  }
  wasm_val_vec_new_uninitialized(out, call->results.size());
  for (size_t i = 0; i < call->results.size(); ++i)
    out->data[i] = from_runtime_value(call->store, call->results[i].type, call->results[i].bits);
}

wasm_trap_t* weft_call_trap(const weft_call_t* call) {
  if (call->state != WEFT_CALL_TRAPPED || !call->trap) return nullptr;
  return new wasm_trap_t(call->store, call->trap);
}

void weft_call_set_data(weft_call_t* call, void* data) { call->data = data; }
void* weft_call_data(const weft_call_t* call) { return call->data; }

// ---- readiness -------------------------------------------------------------------------

void weft_store_set_ready_callback(wasm_store_t* store, weft_ready_callback_t callback, void* env) {
  AsyncState& a = store->async_state();
  a.callback = callback;
  a.callback_env = env;
}

int weft_store_ready_fd(wasm_store_t* store) {
  AsyncState& a = store->async_state();
  if (a.ready_fd < 0) {
    a.ready_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    // Calls that became ready before the descriptor existed count too.
    if (a.ready_fd >= 0 && !a.ready.empty()) {
      const uint64_t n = a.ready.size();
      [[maybe_unused]] ssize_t w = write(a.ready_fd, &n, sizeof n);
    }
  }
  return a.ready_fd;
}

size_t weft_store_run_ready(wasm_store_t* store) {
  if (store->store.invoke_depth != 0) return 0;
  AsyncState& a = store->async_state();
  if (a.ready_fd >= 0) {
    uint64_t drained;
    [[maybe_unused]] ssize_t r = read(a.ready_fd, &drained, sizeof drained);
  }
  size_t ran = 0;
  while (!a.ready.empty()) {
    weft_call_t* call = a.ready.front();
    if (weft_error_t* e = run_call(call)) {
      // Cannot happen for a queued (ready) call; keep the queue moving.
      delete e;
      dequeue(a, call);
      continue;
    }
    ++ran;
  }
  return ran;
}

size_t weft_store_parked_calls(const wasm_store_t* store) { return store->async ? store->async->parked : 0; }

}  // extern "C"
