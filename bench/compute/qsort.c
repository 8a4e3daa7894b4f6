/* Quicksort of records through a comparator function pointer: every
   comparison is an indirect call (call_indirect in Wasm). */
#include "bench.h"

#ifndef QSORT_N
#define QSORT_N 200000
#endif
#ifndef QSORT_REPS
#define QSORT_REPS 2
#endif

typedef struct {
  uint32_t key;
  int32_t group;
  uint32_t id;
} Record;

typedef int (*Compare)(const Record *, const Record *);

static int by_key(const Record *a, const Record *b) {
  return (a->key > b->key) - (a->key < b->key);
}

static int by_group_then_id_desc(const Record *a, const Record *b) {
  if (a->group != b->group) return a->group < b->group ? -1 : 1;
  return (a->id < b->id) - (a->id > b->id);
}

static int by_low_bits(const Record *a, const Record *b) {
  uint32_t x = a->key & 0xffff, y = b->key & 0xffff;
  if (x != y) return x < y ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

/* The table is volatile so the compiler cannot specialise sort() per comparator. */
static Compare volatile comparators[3] = {by_key, by_group_then_id_desc, by_low_bits};

static void swap(Record *a, Record *b) {
  Record t = *a;
  *a = *b;
  *b = t;
}

static void insertion_sort(Record *v, int n, Compare cmp) {
  for (int i = 1; i < n; i++) {
    Record r = v[i];
    int j = i - 1;
    while (j >= 0 && cmp(&v[j], &r) > 0) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = r;
  }
}

/* Median-of-three quicksort; recurses on the smaller side, loops on the larger. */
static void sort(Record *v, int n, Compare cmp) {
  while (n > 16) {
    int mid = n / 2;
    if (cmp(&v[mid], &v[0]) < 0) swap(&v[mid], &v[0]);
    if (cmp(&v[n - 1], &v[0]) < 0) swap(&v[n - 1], &v[0]);
    if (cmp(&v[n - 1], &v[mid]) < 0) swap(&v[n - 1], &v[mid]);
    Record pivot = v[mid];
    int i = 0, j = n - 1;
    for (;;) {
      while (cmp(&v[i], &pivot) < 0) i++;
      while (cmp(&pivot, &v[j]) < 0) j--;
      if (i >= j) break;
      swap(&v[i], &v[j]);
      i++;
      j--;
    }
    int left = j + 1;
    if (left < n - left) {
      sort(v, left, cmp);
      v += left;
      n -= left;
    } else {
      sort(v + left, n - left, cmp);
      n = left;
    }
  }
  insertion_sort(v, n, cmp);
}

static Record records[QSORT_N];

BENCH_EXPORT uint64_t bench_run(void) {
  int n = (int)bench_input(QSORT_N);
  int reps = (int)bench_input(QSORT_REPS);
  uint64_t h = 0;
  uint64_t state = 88172645463325252ull;
  for (int r = 0; r < reps; r++) {
    for (int i = 0; i < n; i++) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      records[i].key = (uint32_t)(state >> 32);
      records[i].group = (int32_t)(state % 1000) - 500;
      records[i].id = (uint32_t)i;
    }
    for (int c = 0; c < 3; c++) {
      Compare cmp = comparators[c];
      sort(records, n, cmp);
      uint64_t sorted = 1;
      for (int i = 1; i < n; i++)
        if (cmp(&records[i - 1], &records[i]) > 0) sorted = 0;
      h = bench_mix(h, sorted);
      h = bench_mix(h, records[0].id);
      h = bench_mix(h, records[n / 2].id);
      h = bench_mix(h, records[n - 1].id);
    }
  }
  return h;
}
