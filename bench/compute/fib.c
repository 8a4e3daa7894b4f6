/* Recursive Fibonacci: almost nothing but calls and returns. */
#include "bench.h"

#ifndef FIB_N
#define FIB_N 39
#endif

static uint32_t fib(uint32_t n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}

BENCH_EXPORT uint64_t bench_run(void) {
  uint32_t n = (uint32_t)bench_input(FIB_N);
  uint64_t h = 0;
  /* Two calls with different arguments so the result is not a single fib value. */
  h = bench_mix(h, fib(n));
  h = bench_mix(h, fib(n - 3));
  return h;
}
