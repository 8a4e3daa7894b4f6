/* A CoreMark-like mixed workload (written from scratch, not CoreMark itself):
   each iteration runs a linked-list phase, an integer matrix phase and a
   text-scanning state machine, and folds every result into a CRC-16. */
#include "bench.h"

#ifndef CM_ITERATIONS
#define CM_ITERATIONS 3600
#endif

#define LIST_NODES 200
#define MATRIX_N 24
#define TEXT_BYTES 1024

/* ---- CRC-16/CCITT, bitwise (no table, as small cores do) ---- */

static uint16_t crc_byte(uint8_t b, uint16_t crc) {
  crc ^= (uint16_t)b << 8;
  for (int i = 0; i < 8; i++) crc = (crc & 0x8000) ? (uint16_t)(crc << 1) ^ 0x1021 : (uint16_t)(crc << 1);
  return crc;
}

static uint16_t crc_u16(uint16_t v, uint16_t crc) {
  crc = crc_byte((uint8_t)v, crc);
  return crc_byte((uint8_t)(v >> 8), crc);
}

static uint16_t crc_u32(uint32_t v, uint16_t crc) {
  crc = crc_u16((uint16_t)v, crc);
  return crc_u16((uint16_t)(v >> 16), crc);
}

/* ---- linked list ---- */

typedef struct Node {
  struct Node *next;
  int16_t value;
  uint16_t index;
} Node;

static Node pool[LIST_NODES];

typedef int (*NodeCompare)(const Node *, const Node *);

static int by_value(const Node *a, const Node *b) { return a->value - b->value; }
static int by_index(const Node *a, const Node *b) { return (int)a->index - (int)b->index; }

static Node *list_build(uint32_t seed) {
  Node *head = 0;
  for (int i = LIST_NODES - 1; i >= 0; i--) {
    seed = seed * 1103515245u + 12345u;
    pool[i].value = (int16_t)(seed >> 16);
    pool[i].index = (uint16_t)i;
    pool[i].next = head;
    head = &pool[i];
  }
  return head;
}

static Node *list_reverse(Node *head) {
  Node *prev = 0;
  while (head) {
    Node *next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

static Node *list_find(Node *head, int16_t value) {
  while (head && head->value != value) head = head->next;
  return head;
}

/* Bottom-up merge sort of a singly linked list. */
static Node *list_sort(Node *head, NodeCompare cmp) {
  int run = 1;
  for (;;) {
    Node *p = head, *tail = 0;
    head = 0;
    int merges = 0;
    while (p) {
      merges++;
      Node *q = p;
      int psize = 0;
      for (int i = 0; i < run && q; i++) {
        psize++;
        q = q->next;
      }
      int qsize = run;
      while (psize > 0 || (qsize > 0 && q)) {
        Node *e;
        if (psize == 0) {
          e = q; q = q->next; qsize--;
        } else if (qsize == 0 || !q || cmp(p, q) <= 0) {
          e = p; p = p->next; psize--;
        } else {
          e = q; q = q->next; qsize--;
        }
        if (tail) tail->next = e; else head = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    if (merges <= 1) return head;
    run *= 2;
  }
}

static uint16_t list_phase(uint32_t seed, uint16_t crc) {
  Node *head = list_build(seed);
  uint32_t found = 0, missing = 0;
  for (int i = 0; i < 32; i++) {
    Node *n = list_find(head, pool[(i * 37) % LIST_NODES].value);
    if (n) found += n->index; else missing++;
    if (list_find(head, (int16_t)(i * 977)) == 0) missing++;
  }
  head = list_sort(head, by_value);
  for (Node *n = head; n; n = n->next) crc = crc_u16((uint16_t)n->value, crc);
  head = list_reverse(head);
  crc = crc_u16((uint16_t)head->value, crc);
  head = list_sort(head, by_index);
  uint32_t order = 0;
  for (Node *n = head; n; n = n->next) order = order * 3 + n->index;
  crc = crc_u32(order, crc);
  crc = crc_u32(found, crc);
  return crc_u32(missing, crc);
}

/* ---- integer matrices ---- */

static int16_t mat_a[MATRIX_N][MATRIX_N], mat_b[MATRIX_N][MATRIX_N];
static int32_t mat_c[MATRIX_N][MATRIX_N];
static int32_t vec[MATRIX_N];

static uint16_t matrix_phase(uint32_t seed, uint16_t crc) {
  for (int i = 0; i < MATRIX_N; i++)
    for (int j = 0; j < MATRIX_N; j++) {
      seed = seed * 1664525u + 1013904223u;
      mat_a[i][j] = (int16_t)((seed >> 20) & 0x7ff) - 1024;
      mat_b[i][j] = (int16_t)((seed >> 8) & 0x3ff) - 512;
    }
  int16_t k = (int16_t)(seed & 0xff);
  for (int i = 0; i < MATRIX_N; i++)
    for (int j = 0; j < MATRIX_N; j++) mat_a[i][j] += k;
  /* matrix times constant */
  int32_t s = 0;
  for (int i = 0; i < MATRIX_N; i++)
    for (int j = 0; j < MATRIX_N; j++) s += mat_a[i][j] * (int32_t)k;
  crc = crc_u32((uint32_t)s, crc);
  /* matrix times vector */
  for (int i = 0; i < MATRIX_N; i++) {
    int32_t acc = 0;
    for (int j = 0; j < MATRIX_N; j++) acc += mat_a[i][j] * mat_b[j][i];
    vec[i] = acc;
  }
  for (int i = 0; i < MATRIX_N; i++) crc = crc_u32((uint32_t)vec[i], crc);
  /* matrix times matrix, then bit fields of the products */
  for (int i = 0; i < MATRIX_N; i++)
    for (int j = 0; j < MATRIX_N; j++) {
      int32_t acc = 0;
      for (int x = 0; x < MATRIX_N; x++) acc += mat_a[i][x] * mat_b[x][j];
      mat_c[i][j] = acc;
    }
  uint32_t bits = 0;
  for (int i = 0; i < MATRIX_N; i++)
    for (int j = 0; j < MATRIX_N; j++) {
      uint32_t field = ((uint32_t)mat_c[i][j] >> 2) & 0x0f;
      bits += field > 7 ? field * 3 : field;
    }
  return crc_u32(bits, crc);
}

/* ---- state machine over text ---- */

enum State { START, INTEGER, SIGN, POINT, FRACTION, EXPONENT, EXP_SIGN, EXP_DIGITS, INVALID, NUM_STATES };

static char text[TEXT_BYTES];

static void text_build(uint32_t seed) {
  static const char *const pieces[] = {"5012", "-190", "+3.14", "1.5e-3", "-.8E9", "12x4", "0.0", "7e", "--2", "999.99"};
  int pos = 0;
  while (pos < TEXT_BYTES - 16) {
    seed = seed * 22695477u + 1u;
    const char *p = pieces[(seed >> 16) % 10];
    while (*p) text[pos++] = *p++;
    text[pos++] = ((seed >> 8) & 3) == 0 ? ';' : ',';
  }
  while (pos < TEXT_BYTES) text[pos++] = ',';
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Scans one token up to a separator; returns the final state and counts transitions. */
static enum State scan_token(const char **cursor, uint32_t transitions[NUM_STATES]) {
  const char *p = *cursor;
  enum State st = START;
  for (; *p && *p != ',' && *p != ';'; p++) {
    char c = *p;
    enum State next = st;
    switch (st) {
      case START:
        next = is_digit(c) ? INTEGER : (c == '+' || c == '-') ? SIGN : (c == '.') ? POINT : INVALID;
        break;
      case SIGN:
        next = is_digit(c) ? INTEGER : (c == '.') ? POINT : INVALID;
        break;
      case INTEGER:
        next = is_digit(c) ? INTEGER : (c == '.') ? POINT : (c == 'e' || c == 'E') ? EXPONENT : INVALID;
        break;
      case POINT:
        next = is_digit(c) ? FRACTION : INVALID;
        break;
      case FRACTION:
        next = is_digit(c) ? FRACTION : (c == 'e' || c == 'E') ? EXPONENT : INVALID;
        break;
      case EXPONENT:
        next = is_digit(c) ? EXP_DIGITS : (c == '+' || c == '-') ? EXP_SIGN : INVALID;
        break;
      case EXP_SIGN:
      case EXP_DIGITS:
        next = is_digit(c) ? EXP_DIGITS : INVALID;
        break;
      default:
        break;
    }
    if (next != st) transitions[next]++;
    st = next;
  }
  *cursor = (*p) ? p + 1 : p;
  return st;
}

static uint16_t state_phase(uint32_t seed, uint16_t crc) {
  text_build(seed);
  text[TEXT_BYTES - 1] = 0;
  uint32_t transitions[NUM_STATES] = {0};
  uint32_t finals[NUM_STATES] = {0};
  const char *cursor = text;
  while (*cursor) finals[scan_token(&cursor, transitions)]++;
  /* Corrupt every 23rd character and scan again, as CoreMark does. */
  for (int i = 0; i < TEXT_BYTES - 1; i += 23) text[i] ^= 0x41;
  cursor = text;
  while (*cursor) finals[scan_token(&cursor, transitions)]++;
  for (int s = 0; s < NUM_STATES; s++) {
    crc = crc_u32(finals[s], crc);
    crc = crc_u32(transitions[s], crc);
  }
  return crc;
}

BENCH_EXPORT uint64_t bench_run(void) {
  int iterations = (int)bench_input(CM_ITERATIONS);
  uint16_t crc = 0;
  uint64_t h = 0;
  for (int it = 0; it < iterations; it++) {
    uint32_t seed = (uint32_t)it * 2654435761u + crc;
    crc = list_phase(seed, crc);
    crc = matrix_phase(seed ^ 0x5bd1e995u, crc);
    crc = state_phase(seed + 77u, crc);
    h = bench_mix(h, crc);
  }
  return h;
}
