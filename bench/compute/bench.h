/* Shared harness for the compute kernels.
 *
 * Each kernel defines `uint64_t bench_run(void)`, which does all the work and
 * returns a checksum. The kernel is built three ways from the same source:
 *  - a WASI command (wasm32-wasi, `_start` -> main) that prints the checksum,
 *  - a native executable (same main),
 *  - a "bare" module (-DBENCH_BARE) with no imports that exports bench_run, for
 *    engines that can call an export but do not provide WASI.
 * Sizes are compiled in; bench_input() hides them from the optimiser so that
 * no part of the work is folded at compile time. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

uint64_t bench_run(void);

/* Returns v through a volatile load: the compiler cannot see the value. */
static inline int64_t bench_input(int64_t v) {
  volatile int64_t hidden = v;
  return hidden;
}

/* 64-bit mixing step used by kernels to fold results into a checksum. */
static inline uint64_t bench_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

#ifdef BENCH_BARE
#define BENCH_EXPORT __attribute__((export_name("bench_run")))
#else
#define BENCH_EXPORT
#include <stdio.h>
int main(void) {
  printf("checksum %llu\n", (unsigned long long)bench_run());
  return 0;
}
#endif

#endif
