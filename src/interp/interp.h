// The interpreter's entry points, used by the runtime (invoke, instantiate).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "runtime/store.h"
#include "stacks/stack.h"

namespace weft::interp {

// Runs `func` (Wasm or host) on `stack`. Arguments are in fp[0 .. num_params)
// and results come back in fp[0 .. num_results); fp must be stack.top and
// have room for both. Traps return ErrorKind::trap or ::exhaustion with a
// backtrace; an uncaught exception returns ErrorKind::exception and leaves
// the exception in store.pending_exception().
Status call(Store& store, Stack& stack, Function* func, uint64_t* fp);

// Evaluates a lowered constant expression (no params, one result) in `inst`.
Result<uint64_t> eval_const(Store& store, Instance* inst, const CompiledFunc& code);

}  // namespace weft::interp
