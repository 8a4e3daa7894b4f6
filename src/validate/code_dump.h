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

// Walks the operands of the instruction at word `at` of `c`, calling
// visit(kind, pos) for each: 'S', 'U', 'T' and 'K' as in operand_format (a K
// starts at pos and covers two words), then br_table's targets ('T') and the
// resume instructions' handler clauses ('C', kResumeClauseWords words each).
// Returns where the next instruction starts. The one decoder of instruction
// lengths: the listing and the forwarding pass (validate/forward.cc) both use
// it. Stops at the end of `c` should a format be out of step with the code.
template <typename Visit>
size_t visit_operands(const std::vector<uint32_t>& c, size_t at, Visit&& visit) {
  const Op op = Op(c[at]);
  size_t pc = at + 1;
  uint32_t last_u = 0;
  for (const char* p = operand_format(op); *p && pc < c.size(); ++p) {
    if (*p == 'U') last_u = c[pc];
    visit(*p, pc);
    pc += *p == 'K' ? 2 : 1;
  }
  if (op == Op::br_table) {
    for (uint32_t i = 0; i <= last_u && pc < c.size(); ++i) visit('T', pc++);
  } else if (op == Op::resume || op == Op::resume_throw || op == Op::resume_throw_ref) {
    for (uint32_t i = 0; i < last_u && pc + kResumeClauseWords <= c.size(); ++i, pc += kResumeClauseWords)
      visit('C', pc);
  }
  return pc < c.size() ? pc : c.size();
}

std::string dump_code(const CompiledFunc& f);

}  // namespace weft
