#pragma once

#include "base/result.h"
#include "spec/module.h"
#include "spec/types.h"

namespace weft {

// Validates a decoded module against the WebAssembly 3.0 rules and lowers
// every function body and constant expression into internal code
// (interp/code.h). On success fills module.type_ids, module.compiled,
// module.const_code and the const_index of each ExprRange, and sets
// module.validated. Errors are ErrorKind::invalid (or malformed, for the few
// binary-format conditions only detectable here), located at a byte offset.
struct ValidateOptions {
  // Lower a `check` instruction at every function entry and loop header, where
  // the interpreter counts fuel and notices deadlines and interrupts
  // (docs/limits.md). Off, the code has no such checks and runs faster.
  bool interrupt_checks = false;
  // Let instructions read an operand from the register where the previous
  // instruction left it (validate/forward.h). Off only to compare the two.
  bool forward_results = true;
};
Status validate_module(TypeRegistry& types, Module& module, const ValidateOptions& options = {});

}  // namespace weft
