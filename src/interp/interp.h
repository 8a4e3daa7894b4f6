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
