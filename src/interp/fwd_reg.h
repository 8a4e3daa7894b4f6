// The f64 forwarding register (interp.cc, fwd_put): xmm15, reserved for it in
// this translation unit, where GCC allows a global register variable.
#pragma once
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#pragma GCC system_header
register double weft_fwd_f asm("xmm15");
#define WEFT_FWD_F_GLOBAL 1
#endif
