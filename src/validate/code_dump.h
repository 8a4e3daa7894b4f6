// Human-readable listing of lowered code (interp/code.h), for tests and
// debugging: one instruction a line, "12: copy s3 s0".
#pragma once

#include <string>

#include "interp/code.h"

namespace weft {

// Operand layout of an internal instruction, one letter per operand as in
// interp/code.h: S slot, U u32, K u64 (two words), T target; br_table is
// "SU" followed by n+1 targets.
const char* operand_format(Op op);

std::string dump_code(const CompiledFunc& f);

}  // namespace weft
