// Result forwarding: a pass over lowered code (interp/code.h) that lets an
// instruction take an operand straight from the register where the previous
// instruction left its result (docs/internal-code.md).
#pragma once

#include "interp/code.h"

namespace weft {

// Rewrites, in place, every instruction whose operand was written by the
// instruction just before it, when nothing can jump between the two, into its
// _ra/_rb/_rx variant.
void forward_results(CompiledFunc& f);

// The plain instruction of a forwarding variant; `op` itself for any other.
Op forward_base(Op op);

}  // namespace weft
