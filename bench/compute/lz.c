/* The larger program: a small LZ77 + Huffman compressor and decompressor (in
   the spirit of DEFLATE, but its own simple block format) run as a round trip
   over generated text. Exercises hashing, byte loads and stores, bit I/O,
   tree building with a heap, and table-driven decoding. */
#include "bench.h"

#ifndef LZ_INPUT_BYTES
#define LZ_INPUT_BYTES (1 << 20)
#endif
#ifndef LZ_REPS
#define LZ_REPS 2
#endif

#define WINDOW_BITS 15
#define WINDOW_SIZE (1 << WINDOW_BITS)
#define HASH_BITS 15
#define HASH_SIZE (1 << HASH_BITS)
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 48
#define BLOCK_TOKENS 16384

#define LITLEN_SYMBOLS 286 /* 0..255 literals, 256 end of block, 257..285 lengths */
#define DIST_SYMBOLS 30
#define MAX_CODE_BITS 15
#define FAST_BITS 9

/* ---------------- input ---------------- */

static uint8_t input[LZ_INPUT_BYTES];
static uint8_t output[LZ_INPUT_BYTES];
static uint8_t compressed[LZ_INPUT_BYTES + LZ_INPUT_BYTES / 2 + 4096];

static uint32_t rng_state;
static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

/* Word salad with a skewed word distribution, punctuation and numbers: text
   that compresses about as well as prose does. */
static void make_input(uint32_t size, uint32_t seed) {
  static const char *const words[] = {
      "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be",
      "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
      "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has",
      "there", "been", "if", "more", "when", "will", "would", "who", "so", "no", "stack",
      "module", "function", "memory", "table", "interpreter", "continuation", "benchmark",
      "validation", "instruction", "compression", "window", "symbol", "frequency", "engine"};
  const uint32_t word_count = sizeof words / sizeof words[0];
  rng_state = seed | 1;
  uint32_t pos = 0, in_sentence = 0;
  while (pos < size) {
    uint32_t r = rng();
    /* Squaring a uniform value skews choices toward the common words. */
    uint32_t u = r & 0xffff;
    const char *w = words[(uint32_t)(((uint64_t)u * u >> 16) * word_count >> 16)];
    char buf[24];
    uint32_t len = 0;
    if ((r >> 24) < 6) {
      uint32_t num = rng() % 100000;
      char digits[8];
      uint32_t nd = 0;
      do { digits[nd++] = (char)('0' + num % 10); num /= 10; } while (num);
      while (nd) buf[len++] = digits[--nd];
    } else {
      for (const char *p = w; *p; p++) buf[len++] = *p;
      if (in_sentence == 0) buf[0] = (char)(buf[0] - 'a' + 'A');
    }
    in_sentence++;
    uint32_t tail = (r >> 16) & 0xff;
    if (tail < 12 || in_sentence > 18) {
      buf[len++] = '.';
      in_sentence = 0;
      buf[len++] = (tail & 1) ? '\n' : ' ';
    } else if (tail < 30) {
      buf[len++] = ',';
      buf[len++] = ' ';
    } else {
      buf[len++] = ' ';
    }
    for (uint32_t i = 0; i < len && pos < size; i++) input[pos++] = (uint8_t)buf[i];
  }
}

/* ---------------- length and distance codes ---------------- */

/* Length symbols 257..284 cover 3..257 in groups of four per extra-bit count;
   285 is 258. Distance symbols 0..29 cover 1..32768 in pairs per extra bits. */
static uint16_t length_base[29], dist_base[30];
static uint8_t length_extra[29], dist_extra[30];

static void init_code_tables(void) {
  uint32_t base = 3;
  for (int i = 0; i < 28; i++) {
    length_extra[i] = (uint8_t)(i < 8 ? 0 : (i - 4) / 4);
    length_base[i] = (uint16_t)base;
    base += 1u << length_extra[i];
  }
  length_base[28] = 258;
  length_extra[28] = 0;
  base = 1;
  for (int i = 0; i < 30; i++) {
    dist_extra[i] = (uint8_t)(i < 4 ? 0 : (i - 2) / 2);
    dist_base[i] = (uint16_t)base;
    base += 1u << dist_extra[i];
  }
}

static int length_symbol(uint32_t len) {
  int s = 0;
  if (len == 258) return 28;
  while (s < 27 && length_base[s + 1] <= len) s++;
  return s;
}

static int dist_symbol(uint32_t dist) {
  int s = 0;
  while (s < 29 && dist_base[s + 1] <= dist) s++;
  return s;
}

/* ---------------- Huffman code construction ---------------- */

typedef struct {
  uint32_t weight;
  int16_t left, right; /* children, or -1/-symbol for leaves */
} TreeNode;

/* Builds code lengths (at most MAX_CODE_BITS) for n symbols from their
   frequencies with a binary heap; if the tree is too deep, flattens the
   frequencies and tries again. */
static void build_lengths(const uint32_t *freq, int n, uint8_t *lengths) {
  static TreeNode nodes[2 * LITLEN_SYMBOLS];
  static int16_t heap[LITLEN_SYMBOLS + 1];
  static uint8_t depth[2 * LITLEN_SYMBOLS];
  uint32_t scaled[LITLEN_SYMBOLS];
  for (int i = 0; i < n; i++) scaled[i] = freq[i];
  for (;;) {
    int count = 0, heap_size = 0;
    for (int i = 0; i < n; i++) {
      lengths[i] = 0;
      if (scaled[i] == 0) continue;
      nodes[count].weight = scaled[i];
      nodes[count].left = (int16_t)(-1 - i);
      nodes[count].right = -1;
      count++;
    }
    if (count == 0) return;
    if (count == 1) {
      lengths[-1 - nodes[0].left] = 1;
      return;
    }
    /* heap of node indices ordered by weight */
    for (int i = 0; i < count; i++) {
      int pos = heap_size++;
      while (pos > 0 && nodes[heap[(pos - 1) / 2]].weight > nodes[i].weight) {
        heap[pos] = heap[(pos - 1) / 2];
        pos = (pos - 1) / 2;
      }
      heap[pos] = (int16_t)i;
    }
    int next = count;
    while (heap_size > 1) {
      int16_t pair[2];
      for (int k = 0; k < 2; k++) {
        pair[k] = heap[0];
        int16_t last = heap[--heap_size];
        int pos = 0;
        for (;;) {
          int child = 2 * pos + 1;
          if (child >= heap_size) break;
          if (child + 1 < heap_size && nodes[heap[child + 1]].weight < nodes[heap[child]].weight) child++;
          if (nodes[heap[child]].weight >= nodes[last].weight) break;
          heap[pos] = heap[child];
          pos = child;
        }
        heap[pos] = last;
      }
      nodes[next].weight = nodes[pair[0]].weight + nodes[pair[1]].weight;
      nodes[next].left = pair[0];
      nodes[next].right = pair[1];
      int pos = heap_size++;
      while (pos > 0 && nodes[heap[(pos - 1) / 2]].weight > nodes[next].weight) {
        heap[pos] = heap[(pos - 1) / 2];
        pos = (pos - 1) / 2;
      }
      heap[pos] = (int16_t)next;
      next++;
    }
    /* Internal nodes were created after their children: walk backwards. */
    int root = next - 1, too_deep = 0;
    depth[root] = 0;
    for (int i = root; i >= count; i--) {
      depth[nodes[i].left] = (uint8_t)(depth[i] + 1);
      depth[nodes[i].right] = (uint8_t)(depth[i] + 1);
    }
    for (int i = 0; i < count; i++) {
      if (depth[i] > MAX_CODE_BITS) too_deep = 1;
      lengths[-1 - nodes[i].left] = depth[i];
    }
    if (!too_deep) return;
    for (int i = 0; i < n; i++)
      if (scaled[i]) scaled[i] = (scaled[i] >> 1) | 1;
  }
}

/* Canonical codes from lengths, stored bit-reversed for LSB-first output. */
static void assign_codes(const uint8_t *lengths, int n, uint16_t *codes) {
  uint16_t count[MAX_CODE_BITS + 1] = {0}, next_code[MAX_CODE_BITS + 1];
  for (int i = 0; i < n; i++) count[lengths[i]]++;
  count[0] = 0;
  uint16_t code = 0;
  for (int b = 1; b <= MAX_CODE_BITS; b++) {
    code = (uint16_t)((code + count[b - 1]) << 1);
    next_code[b] = code;
  }
  for (int i = 0; i < n; i++) {
    int len = lengths[i];
    if (!len) continue;
    uint16_t c = next_code[len]++, rev = 0;
    for (int b = 0; b < len; b++) rev = (uint16_t)(rev << 1 | ((c >> b) & 1));
    codes[i] = rev;
  }
}

/* ---------------- bit output ---------------- */

typedef struct {
  uint8_t *out;
  uint32_t pos;
  uint64_t bits;
  int count;
} BitWriter;

static void put_bits(BitWriter *w, uint32_t value, int n) {
  w->bits |= (uint64_t)value << w->count;
  w->count += n;
  while (w->count >= 8) {
    w->out[w->pos++] = (uint8_t)w->bits;
    w->bits >>= 8;
    w->count -= 8;
  }
}

static void flush_bits(BitWriter *w) {
  if (w->count > 0) put_bits(w, 0, 8 - w->count);
}

/* ---------------- compressor ---------------- */

typedef struct {
  uint16_t litlen; /* literal byte, or match length */
  uint16_t dist;   /* 0 for a literal */
} Token;

static Token tokens[BLOCK_TOKENS];
static int32_t hash_head[HASH_SIZE];
static int32_t hash_prev[WINDOW_SIZE];

static uint32_t hash3(const uint8_t *p) {
  uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

static void insert_hash(uint32_t pos) {
  uint32_t h = hash3(input + pos);
  hash_prev[pos & (WINDOW_SIZE - 1)] = hash_head[h];
  hash_head[h] = (int32_t)pos;
}

static uint32_t longest_match(uint32_t pos, uint32_t end, uint32_t *best_dist) {
  uint32_t best = 0;
  uint32_t limit = end - pos < MAX_MATCH ? end - pos : MAX_MATCH;
  int32_t cand = hash_head[hash3(input + pos)];
  for (int chain = 0; chain < MAX_CHAIN && cand >= 0; chain++) {
    uint32_t dist = pos - (uint32_t)cand;
    if (dist == 0 || dist > WINDOW_SIZE - 1) break;
    const uint8_t *a = input + cand, *b = input + pos;
    if (a[best] == b[best]) {
      uint32_t len = 0;
      while (len < limit && a[len] == b[len]) len++;
      if (len > best) {
        best = len;
        *best_dist = dist;
        if (len == limit) break;
      }
    }
    int32_t prev = hash_prev[(uint32_t)cand & (WINDOW_SIZE - 1)];
    if (prev >= cand) break;
    cand = prev;
  }
  return best >= MIN_MATCH ? best : 0;
}

static void write_block(BitWriter *w, int ntokens, int last) {
  uint32_t lit_freq[LITLEN_SYMBOLS] = {0}, dist_freq[DIST_SYMBOLS] = {0};
  for (int i = 0; i < ntokens; i++) {
    if (tokens[i].dist == 0) {
      lit_freq[tokens[i].litlen]++;
    } else {
      lit_freq[257 + length_symbol(tokens[i].litlen)]++;
      dist_freq[dist_symbol(tokens[i].dist)]++;
    }
  }
  lit_freq[256] = 1;
  uint8_t lit_len[LITLEN_SYMBOLS], dist_len[DIST_SYMBOLS];
  uint16_t lit_code[LITLEN_SYMBOLS], dist_code[DIST_SYMBOLS];
  build_lengths(lit_freq, LITLEN_SYMBOLS, lit_len);
  build_lengths(dist_freq, DIST_SYMBOLS, dist_len);
  assign_codes(lit_len, LITLEN_SYMBOLS, lit_code);
  assign_codes(dist_len, DIST_SYMBOLS, dist_code);
  put_bits(w, (uint32_t)last, 1);
  for (int i = 0; i < LITLEN_SYMBOLS; i++) put_bits(w, lit_len[i], 4);
  for (int i = 0; i < DIST_SYMBOLS; i++) put_bits(w, dist_len[i], 4);
  for (int i = 0; i < ntokens; i++) {
    if (tokens[i].dist == 0) {
      put_bits(w, lit_code[tokens[i].litlen], lit_len[tokens[i].litlen]);
      continue;
    }
    int ls = length_symbol(tokens[i].litlen);
    put_bits(w, lit_code[257 + ls], lit_len[257 + ls]);
    put_bits(w, tokens[i].litlen - length_base[ls], length_extra[ls]);
    int ds = dist_symbol(tokens[i].dist);
    put_bits(w, dist_code[ds], dist_len[ds]);
    put_bits(w, tokens[i].dist - dist_base[ds], dist_extra[ds]);
  }
  put_bits(w, lit_code[256], lit_len[256]);
}

static uint32_t compress_input(uint32_t size) {
  for (int i = 0; i < HASH_SIZE; i++) hash_head[i] = -1;
  BitWriter w = {compressed, 0, 0, 0};
  int ntokens = 0;
  uint32_t pos = 0;
  while (pos < size) {
    uint32_t dist = 0, len = 0;
    if (pos + MIN_MATCH <= size) {
      len = longest_match(pos, size, &dist);
      /* One step of lazy matching: prefer a longer match at the next byte. */
      if (len && len < 32 && pos + 1 + MIN_MATCH <= size) {
        insert_hash(pos);
        uint32_t dist2 = 0, len2 = longest_match(pos + 1, size, &dist2);
        if (len2 > len) {
          tokens[ntokens].litlen = input[pos];
          tokens[ntokens].dist = 0;
          ntokens++;
          pos++;
          len = len2;
          dist = dist2;
        } else {
          /* already inserted pos; insert the rest of the match below */
          tokens[ntokens].litlen = (uint16_t)len;
          tokens[ntokens].dist = (uint16_t)dist;
          ntokens++;
          for (uint32_t k = 1; k < len; k++)
            if (pos + k + MIN_MATCH <= size) insert_hash(pos + k);
          pos += len;
          goto next;
        }
      }
    }
    if (len) {
      tokens[ntokens].litlen = (uint16_t)len;
      tokens[ntokens].dist = (uint16_t)dist;
      ntokens++;
      for (uint32_t k = 0; k < len; k++)
        if (pos + k + MIN_MATCH <= size) insert_hash(pos + k);
      pos += len;
    } else {
      tokens[ntokens].litlen = input[pos];
      tokens[ntokens].dist = 0;
      ntokens++;
      if (pos + MIN_MATCH <= size) insert_hash(pos);
      pos++;
    }
  next:
    if (ntokens >= BLOCK_TOKENS - 2) {
      write_block(&w, ntokens, 0);
      ntokens = 0;
    }
  }
  write_block(&w, ntokens, 1);
  flush_bits(&w);
  return w.pos;
}

/* ---------------- decompressor ---------------- */

typedef struct {
  const uint8_t *in;
  uint32_t pos, size;
  uint64_t bits;
  int count;
} BitReader;

static void refill(BitReader *r) {
  while (r->count <= 56) {
    uint64_t byte = r->pos < r->size ? r->in[r->pos] : 0;
    r->pos++;
    r->bits |= byte << r->count;
    r->count += 8;
  }
}

static uint32_t get_bits(BitReader *r, int n) {
  if (r->count < n) refill(r);
  uint32_t v = (uint32_t)(r->bits & ((1ull << n) - 1));
  r->bits >>= n;
  r->count -= n;
  return v;
}

/* Decoding table: a FAST_BITS-bit lookup for short codes; longer codes fall
   back to a canonical walk over per-length counts. */
typedef struct {
  uint16_t fast[1 << FAST_BITS]; /* symbol << 4 | length, or 0 if longer */
  uint16_t count[MAX_CODE_BITS + 1];
  uint16_t sorted[LITLEN_SYMBOLS];
} Decoder;

static void build_decoder(Decoder *d, const uint8_t *lengths, int n) {
  uint16_t codes[LITLEN_SYMBOLS];
  assign_codes(lengths, n, codes);
  for (int i = 0; i < (1 << FAST_BITS); i++) d->fast[i] = 0;
  for (int b = 0; b <= MAX_CODE_BITS; b++) d->count[b] = 0;
  for (int i = 0; i < n; i++) d->count[lengths[i]]++;
  d->count[0] = 0;
  uint16_t offset[MAX_CODE_BITS + 2];
  offset[1] = 0;
  for (int b = 1; b <= MAX_CODE_BITS; b++) offset[b + 1] = (uint16_t)(offset[b] + d->count[b]);
  for (int i = 0; i < n; i++) {
    int len = lengths[i];
    if (!len) continue;
    d->sorted[offset[len]++] = (uint16_t)i;
    if (len <= FAST_BITS)
      for (uint32_t fill = codes[i]; fill < (1u << FAST_BITS); fill += 1u << len)
        d->fast[fill] = (uint16_t)(i << 4 | len);
  }
}

static int decode_symbol(const Decoder *d, BitReader *r) {
  if (r->count < MAX_CODE_BITS) refill(r);
  uint16_t entry = d->fast[r->bits & ((1u << FAST_BITS) - 1)];
  if (entry) {
    r->bits >>= entry & 15;
    r->count -= entry & 15;
    return entry >> 4;
  }
  int code = 0, first = 0, index = 0;
  for (int len = 1; len <= MAX_CODE_BITS; len++) {
    code |= (int)get_bits(r, 1);
    int count = d->count[len];
    if (code - first < count) return d->sorted[index + code - first];
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return -1;
}

static Decoder lit_decoder, dist_decoder;

static uint32_t decompress(uint32_t in_size, uint32_t capacity) {
  BitReader r = {compressed, 0, in_size, 0, 0};
  uint32_t out = 0;
  for (;;) {
    int last = (int)get_bits(&r, 1);
    uint8_t lit_len[LITLEN_SYMBOLS], dist_len[DIST_SYMBOLS];
    for (int i = 0; i < LITLEN_SYMBOLS; i++) lit_len[i] = (uint8_t)get_bits(&r, 4);
    for (int i = 0; i < DIST_SYMBOLS; i++) dist_len[i] = (uint8_t)get_bits(&r, 4);
    build_decoder(&lit_decoder, lit_len, LITLEN_SYMBOLS);
    build_decoder(&dist_decoder, dist_len, DIST_SYMBOLS);
    for (;;) {
      int sym = decode_symbol(&lit_decoder, &r);
      if (sym < 0) return 0;
      if (sym < 256) {
        if (out >= capacity) return 0;
        output[out++] = (uint8_t)sym;
        continue;
      }
      if (sym == 256) break;
      int ls = sym - 257;
      uint32_t len = length_base[ls] + get_bits(&r, length_extra[ls]);
      int ds = decode_symbol(&dist_decoder, &r);
      if (ds < 0) return 0;
      uint32_t dist = dist_base[ds] + get_bits(&r, dist_extra[ds]);
      if (dist > out || out + len > capacity) return 0;
      for (uint32_t k = 0; k < len; k++, out++) output[out] = output[out - dist];
    }
    if (last) return out;
  }
}

/* ---------------- CRC-32 ---------------- */

static uint32_t crc_table[256];

static void init_crc(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32(const uint8_t *p, uint32_t n) {
  uint32_t c = 0xffffffffu;
  for (uint32_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

BENCH_EXPORT uint64_t bench_run(void) {
  uint32_t size = (uint32_t)bench_input(LZ_INPUT_BYTES);
  int reps = (int)bench_input(LZ_REPS);
  init_code_tables();
  init_crc();
  uint64_t h = 0;
  for (int r = 0; r < reps; r++) {
    make_input(size, 12345u + (uint32_t)r * 777u);
    uint32_t packed = compress_input(size);
    uint32_t unpacked = decompress(packed, size);
    int same = unpacked == size;
    for (uint32_t i = 0; same && i < size; i++) same = input[i] == output[i];
    h = bench_mix(h, packed);
    h = bench_mix(h, crc32(compressed, packed));
    h = bench_mix(h, crc32(output, unpacked));
    h = bench_mix(h, (uint64_t)same);
  }
  return h;
}
