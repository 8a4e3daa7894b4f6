// Asynchronous calls from the host (docs/embedding.md, "Asynchronous host
// calls"). An asynchronous call runs on a stack of its own, taken from the
// store's StackPool, so that when a host function it calls returns
// ErrorKind::pending, its Wasm frames (and the continuations it is running)
// stay parked there while the host goes on: the native stack is not held,
// and many calls can be parked in one store at once.
#pragma once

#include <vector>

#include "base/result.h"
#include "interp/interp.h"
#include "runtime/store.h"

namespace weft {

struct AsyncRun {
  Function* func = nullptr;
  Stack* stack = nullptr;         // while running or parked
  interp::ParkedRun parked;       // while parked: where, and the pending host function
  bool is_parked() const { return stack != nullptr; }
};

// Starts `func(args)` as an asynchronous call. Returns Ok when it finished
// (results in *results), ErrorKind::pending when a host function it called
// is pending (the run is parked: run.parked.host is that function and its
// results go to run.parked.results), or the error it failed with. Only one
// call runs at a time in a store: starting or resuming one while another
// runs (from a host function) fails.
Status invoke_async(Store& store, AsyncRun& run, Function* func, const std::vector<Value>& args,
                    std::vector<Value>* results);
// Continues a parked call once the pending host function's results are in
// run.parked.results; returns as invoke_async does.
Status resume_async(Store& store, AsyncRun& run, std::vector<Value>* results);
// Fails the pending host call of a parked run with `error` (a trap, or an
// exception error with store.pending_exception() set), as if the host
// function had returned it: the run unwinds from there (Wasm handlers may
// catch an exception) and returns as invoke_async does.
Status fail_async(Store& store, AsyncRun& run, Error error, std::vector<Value>* results);
// Abandons a parked call: its stacks are unwound and freed.
void cancel_async(Store& store, AsyncRun& run);

}  // namespace weft
