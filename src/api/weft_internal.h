// The objects behind include/weft.h's opaque types: errors, interrupt
// handles, and asynchronous calls with their pending host calls.
//
// An asynchronous call (weft_call_t) owns a runtime AsyncRun: its own stack
// from the store's pool, where its frames stay while it is parked. A pending
// host call (weft_pending_t) is made by the host function that answers
// "pending"; when the call parks, the call and the pending handle point at
// each other until the handle is completed, or the call is deleted (the
// handle is then orphaned: completing it reports the cancellation).
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "api/api_internal.h"
#include "runtime/async.h"
#include "weft.h"

struct weft_error_t {
  std::string message;
};

struct weft_interrupt_handle_t {
  std::shared_ptr<std::atomic<bool>> flag;
};

struct weft_call_t : weft::api::StoreOwned {
  weft_call_t(wasm_store_t* s, weft::Function* f) : StoreOwned(s), func(f) {}
  ~weft_call_t() override;

  weft::Function* func;
  weft_call_state_t state = WEFT_CALL_NEW;
  std::vector<weft::Value> args;     // until it starts
  std::vector<weft::Value> results;  // once finished
  std::shared_ptr<weft::api::TrapData> trap;  // once trapped
  weft::AsyncRun run;
  weft_pending_t* pending = nullptr;  // while pending
  // Once ready: the completed host call's results (as slots), or its failure.
  std::vector<uint64_t> completion;
  std::unique_ptr<weft::Error> failure;
  bool queued = false;  // in the store's ready queue
  void* data = nullptr;
};

struct weft_pending_t {
  wasm_store_t* store = nullptr;
  weft_call_t* call = nullptr;  // the call parked at it, if any
  // The store's list of handles not yet completed (freed with the store).
  weft_pending_t* prev = nullptr;
  weft_pending_t* next = nullptr;
};

namespace weft::api {

struct AsyncState {
  ~AsyncState();
  // The handle the last "pending" answer carried: the call that parks next
  // claims it (a synchronous call traps instead and leaves it orphaned).
  weft_pending_t* returned = nullptr;
  weft_pending_t* open = nullptr;  // list of pending handles not completed
  std::deque<weft_call_t*> ready;
  size_t parked = 0;  // calls pending or ready
  weft_ready_callback_t callback = nullptr;
  void* callback_env = nullptr;
  int ready_fd = -1;  // eventfd, made by weft_store_ready_fd
};

weft_error_t* new_error(std::string message);

}  // namespace weft::api
