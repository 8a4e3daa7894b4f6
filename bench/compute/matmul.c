/* Dense double-precision matrix multiply, C = A * B, in the textbook form: a
   dot product of a row of A and a column of B for each element of C.
   (Natively, clang does not vectorise this loop either: reordering a
   floating-point sum is not allowed without -ffast-math. The i-k-j form, which
   clang vectorises with SSE2 natively while Wasm without SIMD stays scalar,
   would measure SIMD width rather than the engine.) */
#include "bench.h"

#ifndef MATMUL_N
#define MATMUL_N 256
#endif
#ifndef MATMUL_REPS
#define MATMUL_REPS 8
#endif

static double a[MATMUL_N][MATMUL_N];
static double b[MATMUL_N][MATMUL_N];
static double c[MATMUL_N][MATMUL_N];

static void fill(int n, int seed) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      a[i][j] = (double)((i * 31 + j * 17 + seed) % 97) / 97.0 - 0.5;
      b[i][j] = (double)((i * 13 + j * 29 + seed * 7) % 89) / 89.0 - 0.5;
    }
}

static void multiply(int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      double sum = 0.0;
      for (int k = 0; k < n; k++) sum += a[i][k] * b[k][j];
      c[i][j] = sum;
    }
}

BENCH_EXPORT uint64_t bench_run(void) {
  int n = (int)bench_input(MATMUL_N);
  int reps = (int)bench_input(MATMUL_REPS);
  uint64_t h = 0;
  for (int r = 0; r < reps; r++) {
    fill(n, r);
    multiply(n);
    /* Sum of the trace and one row, scaled to an integer: exact, since IEEE
       arithmetic gives the same bits on every engine. */
    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += c[i][i] + c[r % n][i];
    h = bench_mix(h, (uint64_t)(int64_t)(sum * 1e9));
  }
  return h;
}
