// The interpreter's entry points, used by the runtime (invoke, instantiate).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "runtime/store.h"
#include "stacks/stack.h"

namespace weft::interp {

// Runs `func` (Wasm or host) on `stack`, in the segment that stack.enter()
// returned for it (fp is that segment's `lo`, with room for the frame).
// Arguments are in fp[0 .. num_params) and results come back at the
// segment's `lo` (which copying growth may have moved). Traps return ErrorKind::trap or ::exhaustion with a
// backtrace; an uncaught exception returns ErrorKind::exception and leaves
// the exception in store.pending_exception().
Status call(Store& store, Stack& stack, Function* func, uint64_t* fp);

// A run parked at a host function that returned ErrorKind::pending
// (asynchronous host calls, docs/embedding.md): every Wasm frame of the run
// stays where it is, on `entry` and on the continuation stacks chained
// under it, until resume() or abandon().
struct ParkedRun {
  enum class Site : uint8_t {
    none,      // not parked
    call,      // a call instruction: continue after it
    tail,      // a tail call: the pending function's results are its caller's
    cont,      // the function of a fresh continuation: its results end the continuation
    entry,     // the run's own function is the host function: its results are the run's
  };
  Site site = Site::none;
  Stack* leaf = nullptr;       // the stack that made the call (ctx says where it continues)
  uint64_t* results = nullptr; // where the pending function's results go
  Function* host = nullptr;    // the pending host function
  // Set before resume() if the host function failed after all: the run goes
  // on as if the function had returned this error.
  Error* failure = nullptr;
};

// Like call(), on `entry`, a stack of the StackPool, but a host function that
// returns ErrorKind::pending parks the run instead of failing it: the status
// is then that error and *parked says where the run waits. Pending in a
// nested run (host -> Wasm re-entry) or without `parked` traps instead.
Status call_parkable(Store& store, Stack& entry, Function* func, uint64_t* fp, ParkedRun* parked);
// Continues a parked run once the host function's results are written to
// parked->results (or parked->failure is set): to the end (results at entry.first.lo), a trap, or the
// next pending host call (parked again).
Status resume(Store& store, Stack& entry, ParkedRun* parked);
// Frees the stacks of a parked run's continuation chain (not `entry`).
void abandon(Store& store, Stack& entry, ParkedRun* parked);

// Evaluates a lowered constant expression (no params, one result) in `inst`.
Result<uint64_t> eval_const(Store& store, Instance* inst, const CompiledFunc& code);

// The dispatch modes this build compiled (EngineConfig::dispatch picks one).
struct DispatchModes {
  bool goto_;
  bool switch_;
};
DispatchModes dispatch_modes();

// How many slots the bottom frame of a call to `func` from the host needs.
uint64_t entry_slots(const TypeRegistry& types, const Function* func);

}  // namespace weft::interp
