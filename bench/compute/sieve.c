/* Sieve of Eratosthenes over a byte array, repeated. */
#include "bench.h"

#ifndef SIEVE_LIMIT
#define SIEVE_LIMIT 8000000
#endif
#ifndef SIEVE_REPS
#define SIEVE_REPS 3
#endif

static uint8_t composite[SIEVE_LIMIT + 1];

static uint32_t sieve(uint32_t limit) {
  for (uint32_t i = 0; i <= limit; i++) composite[i] = 0;
  uint32_t count = 0;
  for (uint32_t i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    if ((uint64_t)i * i > limit) continue;
    for (uint32_t j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return count;
}

BENCH_EXPORT uint64_t bench_run(void) {
  uint32_t limit = (uint32_t)bench_input(SIEVE_LIMIT);
  int reps = (int)bench_input(SIEVE_REPS);
  uint64_t h = 0;
  for (int r = 0; r < reps; r++) {
    /* Slightly different limits so the repetitions are not identical. */
    uint32_t n = limit - (uint32_t)r * 1000;
    h = bench_mix(h, sieve(n));
    uint64_t tail = 0;
    for (uint32_t i = n - 1000; i <= n; i++)
      if (!composite[i]) tail = tail * 31 + i;
    h = bench_mix(h, tail);
  }
  return h;
}
