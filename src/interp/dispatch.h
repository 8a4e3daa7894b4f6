// The interpreter's dispatch primitive, included by interp/run.inc once per
// dispatch mode compiled (WEFT_RUN_SWITCH 0 or 1), so it has no include
// guard and redefines its macros each time. Handler bodies are written once
// with WEFT_HANDLER / WEFT_NEXT and compile either to computed goto (default:
// one indirect jump at the end of every handler, which predicts better) or to
// a portable switch. The goto table (in run.inc) is
// generated from the opcode X-macros, so it covers every opcode; a handler
// missing from the fragments is a compile error in both modes (an undefined
// label, or -Wswitch on the Op enum).
#include "spec/opcodes.h"

#undef WEFT_NEXT
#undef WEFT_HANDLER
#undef WEFT_DISPATCH_BEGIN
#undef WEFT_DISPATCH_END

#if WEFT_RUN_SWITCH

#define WEFT_NEXT() goto weft_next_instr
#define WEFT_HANDLER(name) case ::weft::Op::name:
#define WEFT_DISPATCH_BEGIN() \
  weft_next_instr:            \
  switch (static_cast<::weft::Op>(*pc)) {
#define WEFT_DISPATCH_END() \
  }                         \
  goto unsupported;

#else

#define WEFT_NEXT() goto* kDispatch[*pc]
#define WEFT_HANDLER(name) op_##name:
#define WEFT_DISPATCH_BEGIN() WEFT_NEXT();
#define WEFT_DISPATCH_END()

#endif
