/* archiver: a compression round trip over a file tree, the "real program"
 * of the WASI tests.
 *
 * It generates a deterministic tree of files (prose, source-like text, CSV
 * tables, sparse and random binaries), prints the tree, compresses every
 * file with two codecs written here (LZ77 with canonical Huffman coding, and
 * a Burrows-Wheeler / move-to-front / Huffman pipeline), writes an archive
 * with a central index, reads the archive back through pread, extracts it
 * into a second tree, compares the trees byte for byte, and writes and
 * re-parses a JSON manifest. Everything it prints is deterministic, so the
 * native and the WASI runs must print exactly the same.
 *
 * ARGS: --seed 2024 --scale 3
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ========================================================================
 * 1. Utilities: allocation, growable buffers, readers, string building
 * ===================================================================== */

static void die(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "archiver: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void* xmalloc(size_t n) {
  void* p = malloc(n ? n : 1);
  if (!p) die("out of memory (%zu bytes)", n);
  return p;
}

static void* xcalloc(size_t n, size_t size) {
  void* p = calloc(n ? n : 1, size ? size : 1);
  if (!p) die("out of memory (%zu x %zu bytes)", n, size);
  return p;
}

static void* xrealloc(void* p, size_t n) {
  void* q = realloc(p, n ? n : 1);
  if (!q) die("out of memory (%zu bytes)", n);
  return q;
}

static char* xstrdup(const char* s) {
  size_t n = strlen(s) + 1;
  char* p = xmalloc(n);
  memcpy(p, s, n);
  return p;
}

typedef struct {
  uint8_t* data;
  size_t len;
  size_t cap;
} Buf;

static void buf_reserve(Buf* b, size_t extra) {
  if (b->len + extra <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra) cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

static void buf_push(Buf* b, uint8_t v) {
  buf_reserve(b, 1);
  b->data[b->len++] = v;
}

static void buf_append(Buf* b, const void* p, size_t n) {
  if (n == 0) return;
  buf_reserve(b, n);
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static void buf_put_u16(Buf* b, uint16_t v) {
  buf_push(b, (uint8_t)v);
  buf_push(b, (uint8_t)(v >> 8));
}

static void buf_put_u32(Buf* b, uint32_t v) {
  for (int i = 0; i < 4; ++i) buf_push(b, (uint8_t)(v >> (8 * i)));
}

static void buf_put_u64(Buf* b, uint64_t v) {
  for (int i = 0; i < 8; ++i) buf_push(b, (uint8_t)(v >> (8 * i)));
}

static void buf_free(Buf* b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* Reads little-endian values from a byte range; sticky error flag. */
typedef struct {
  const uint8_t* p;
  size_t len;
  size_t pos;
  int error;
} Reader;

static Reader reader_of(const uint8_t* p, size_t len) {
  Reader r = {p, len, 0, 0};
  return r;
}

static int rd_bytes(Reader* r, void* out, size_t n) {
  if (r->error || n > r->len - r->pos) {
    r->error = 1;
    if (out) memset(out, 0, n);
    return 0;
  }
  if (out) memcpy(out, r->p + r->pos, n);
  r->pos += n;
  return 1;
}

static uint8_t rd_u8(Reader* r) {
  uint8_t v = 0;
  rd_bytes(r, &v, 1);
  return v;
}

static uint16_t rd_u16(Reader* r) {
  uint8_t b[2];
  rd_bytes(r, b, 2);
  return (uint16_t)(b[0] | (b[1] << 8));
}

static uint32_t rd_u32(Reader* r) {
  uint8_t b[4];
  rd_bytes(r, b, 4);
  return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static uint64_t rd_u64(Reader* r) {
  uint64_t lo = rd_u32(r);
  uint64_t hi = rd_u32(r);
  return lo | (hi << 32);
}

typedef struct {
  char* s;
  size_t len;
  size_t cap;
} Str;

static void str_reserve(Str* s, size_t extra) {
  if (s->len + extra + 1 <= s->cap) return;
  size_t cap = s->cap ? s->cap : 64;
  while (cap < s->len + extra + 1) cap *= 2;
  s->s = xrealloc(s->s, cap);
  s->cap = cap;
}

static void str_addc(Str* s, char c) {
  str_reserve(s, 1);
  s->s[s->len++] = c;
  s->s[s->len] = 0;
}

static void str_adds(Str* s, const char* text) {
  size_t n = strlen(text);
  str_reserve(s, n);
  memcpy(s->s + s->len, text, n + 1);
  s->len += n;
}

static void str_addf(Str* s, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) die("bad format");
  if ((size_t)n < sizeof small) {
    str_adds(s, small);
    return;
  }
  str_reserve(s, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(s->s + s->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  s->len += (size_t)n;
}

static void str_free(Str* s) {
  free(s->s);
  s->s = NULL;
  s->len = s->cap = 0;
}

/* Joins two path parts with a slash. */
static char* path_join(const char* a, const char* b) {
  size_t la = strlen(a), lb = strlen(b);
  char* p = xmalloc(la + lb + 2);
  memcpy(p, a, la);
  p[la] = '/';
  memcpy(p + la + 1, b, lb + 1);
  return p;
}

/* Formats a byte count as "12345 B" / "12.1 KiB" with integer arithmetic
 * only, so both runs print the same digits. */
static const char* human_size(uint64_t n, char* buf, size_t cap) {
  if (n < 1024) {
    snprintf(buf, cap, "%" PRIu64 " B", n);
  } else if (n < 1024 * 1024) {
    uint64_t tenths = (n * 10 + 512) / 1024;
    snprintf(buf, cap, "%" PRIu64 ".%" PRIu64 " KiB", tenths / 10, tenths % 10);
  } else {
    uint64_t tenths = (n * 10 + 512 * 1024) / (1024 * 1024);
    snprintf(buf, cap, "%" PRIu64 ".%" PRIu64 " MiB", tenths / 10, tenths % 10);
  }
  return buf;
}

/* Percentage with one decimal, as integers. */
static const char* percent(uint64_t part, uint64_t whole, char* buf, size_t cap) {
  if (whole == 0) {
    snprintf(buf, cap, "  -  ");
    return buf;
  }
  uint64_t tenths = (part * 1000 + whole / 2) / whole;
  snprintf(buf, cap, "%3" PRIu64 ".%" PRIu64 "%%", tenths / 10, tenths % 10);
  return buf;
}

/* ========================================================================
 * 2. Checksums: CRC-32, Adler-32, FNV-1a, SHA-256
 * ===================================================================== */

static uint32_t crc_table[256];

static void crc32_init(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32_update(uint32_t crc, const uint8_t* p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static uint32_t crc32_of(const uint8_t* p, size_t n) { return crc32_update(0, p, n); }

static uint32_t adler32_of(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; ++i) {
    a = (a + p[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

static uint64_t fnv1a64(const void* data, size_t n) {
  const uint8_t* p = data;
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

typedef struct {
  uint32_t h[8];
  uint8_t block[64];
  size_t fill;
  uint64_t total;
} Sha256;

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_init(Sha256* s) {
  static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, init, sizeof init);
  s->fill = 0;
  s->total = 0;
}

static void sha256_block(Sha256* s, const uint8_t* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) | ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
  uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t S1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = h + S1 + ch + sha_k[i] + w[i];
    uint32_t S0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = S0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s->h[0] += a;
  s->h[1] += b;
  s->h[2] += c;
  s->h[3] += d;
  s->h[4] += e;
  s->h[5] += f;
  s->h[6] += g;
  s->h[7] += h;
}

static void sha256_update(Sha256* s, const uint8_t* p, size_t n) {
  s->total += n;
  while (n > 0) {
    size_t take = 64 - s->fill;
    if (take > n) take = n;
    memcpy(s->block + s->fill, p, take);
    s->fill += take;
    p += take;
    n -= take;
    if (s->fill == 64) {
      sha256_block(s, s->block);
      s->fill = 0;
    }
  }
}

static void sha256_final(Sha256* s, uint8_t out[32]) {
  uint64_t bits = s->total * 8;
  uint8_t pad = 0x80;
  sha256_update(s, &pad, 1);
  uint8_t zero = 0;
  while (s->fill != 56) sha256_update(s, &zero, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(s, len, 8);
  for (int i = 0; i < 8; ++i) {
    out[4 * i] = (uint8_t)(s->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)s->h[i];
  }
}

static void sha256_hex(const uint8_t* p, size_t n, char out[65]) {
  Sha256 s;
  sha256_init(&s);
  sha256_update(&s, p, n);
  uint8_t digest[32];
  sha256_final(&s, digest);
  for (int i = 0; i < 32; ++i) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* ========================================================================
 * 3. A deterministic random number generator (xorshift64*)
 * ===================================================================== */

typedef struct {
  uint64_t state;
} Rng;

static Rng rng_seeded(uint64_t seed) {
  /* splitmix64 scrambles the seed so that small seeds differ a lot. */
  uint64_t z = seed + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  Rng r = {z ? z : 1};
  return r;
}

static uint64_t rng_next(Rng* r) {
  uint64_t x = r->state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  r->state = x;
  return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n). */
static uint32_t rng_below(Rng* r, uint32_t n) { return n ? (uint32_t)(rng_next(r) % n) : 0; }

/* ========================================================================
 * 4. Generating the input tree
 * ===================================================================== */

static const char* const kWords[] = {
    "the",     "engine",   "stack",    "module",   "function", "memory",  "table",    "global",   "import",
    "export",  "value",    "result",   "type",     "branch",   "loop",    "block",    "call",     "return",
    "local",   "trap",     "validate", "decode",   "encode",   "binary",  "text",     "format",   "section",
    "custom",  "data",     "element",  "start",    "instance", "store",   "host",     "guest",    "sandbox",
    "file",    "directory", "path",    "open",     "read",     "write",   "seek",     "close",    "clock",
    "random",  "exit",     "signal",   "socket",   "poll",     "event",   "right",    "capability", "and",
    "of",      "a",        "to",       "in",       "is",       "that",    "with",     "for"};
#define NUM_WORDS (sizeof kWords / sizeof kWords[0])

/* Prose: sentences of random words, capitalised, in paragraphs. */
static void gen_prose(Rng* r, size_t size, Buf* out) {
  size_t line = 0;
  int sentence_start = 1;
  while (out->len < size) {
    const char* w = kWords[rng_below(r, NUM_WORDS)];
    size_t n = strlen(w);
    if (line + n + 1 > 72) {
      buf_push(out, '\n');
      line = 0;
      if (rng_below(r, 6) == 0) buf_push(out, '\n');
    } else if (line > 0) {
      buf_push(out, ' ');
      ++line;
    }
    for (size_t i = 0; i < n; ++i) {
      char c = w[i];
      if (i == 0 && sentence_start && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
      buf_push(out, (uint8_t)c);
    }
    line += n;
    sentence_start = 0;
    uint32_t p = rng_below(r, 12);
    if (p == 0) {
      buf_push(out, '.');
      ++line;
      sentence_start = 1;
    } else if (p == 1) {
      buf_push(out, ',');
      ++line;
    }
  }
  out->len = size;
}

/* Source-like text: indented statements with identifiers and numbers. */
static void gen_source(Rng* r, size_t size, Buf* out) {
  static const char* const kTypes[] = {"int", "uint32_t", "size_t", "double", "char*", "Value"};
  static const char* const kOps[] = {"+", "-", "*", "<<", "&", "|", "^"};
  int depth = 0;
  Str line = {0};
  int fn = 0;
  while (out->len < size) {
    line.len = 0;
    if (line.s) line.s[0] = 0;
    uint32_t kind = rng_below(r, 10);
    /* Draws happen in statement order: the order in which function
     * arguments are evaluated differs between compilers. */
    if (depth == 0) {
      const char* ret = kTypes[rng_below(r, 6)];
      const char* fname = kWords[rng_below(r, NUM_WORDS)];
      const char* ptype = kTypes[rng_below(r, 6)];
      const char* pname = kWords[rng_below(r, NUM_WORDS)];
      str_addf(&line, "static %s %s_%d(%s %s) {", ret, fname, fn++, ptype, pname);
      depth = 1;
    } else if (kind < 2 && depth < 4) {
      uint32_t bound = rng_below(r, 1000);
      str_addf(&line, "%*sfor (int i%d = 0; i%d < %u; ++i%d) {", depth * 2, "", depth, depth, bound, depth);
      ++depth;
    } else if (kind < 4 && depth > 1) {
      --depth;
      str_addf(&line, "%*s}", depth * 2, "");
    } else if (kind == 4) {
      --depth;
      str_addf(&line, "%*s}", depth * 2, "");
      if (depth == 0) str_addc(&line, '\n');
    } else {
      const char* lhs = kWords[rng_below(r, NUM_WORDS)];
      const char* rhs = kWords[rng_below(r, NUM_WORDS)];
      const char* op = kOps[rng_below(r, 7)];
      uint32_t constant = rng_below(r, 65536);
      str_addf(&line, "%*s%s = %s %s %u;", depth * 2, "", lhs, rhs, op, constant);
    }
    str_addc(&line, '\n');
    buf_append(out, line.s, line.len);
  }
  out->len = size;
  str_free(&line);
}

/* A CSV table of numbers: very compressible columns. */
static void gen_table(Rng* r, size_t size, Buf* out) {
  Str line = {0};
  str_adds(&line, "id,timestamp,sensor,reading,status\n");
  buf_append(out, line.s, line.len);
  uint64_t t = 1700000000;
  for (uint32_t id = 1; out->len < size; ++id) {
    line.len = 0;
    line.s[0] = 0;
    t += 1 + rng_below(r, 5);
    int32_t reading = (int32_t)rng_below(r, 20001) - 10000;
    uint32_t sensor = rng_below(r, 8);
    const char* status = rng_below(r, 20) == 0 ? "FAULT" : "ok";
    str_addf(&line, "%u,%" PRIu64 ",sensor-%02u,%s%d.%02d,%s\n", id, t, sensor, reading < 0 ? "-" : "",
             abs(reading / 100), abs(reading % 100), status);
    buf_append(out, line.s, line.len);
  }
  out->len = size;
  str_free(&line);
}

/* Mostly zero bytes with short random islands. */
static void gen_sparse(Rng* r, size_t size, Buf* out) {
  buf_reserve(out, size);
  memset(out->data + out->len, 0, size);
  size_t islands = size / 512 + 1;
  for (size_t i = 0; i < islands; ++i) {
    size_t at = rng_below(r, (uint32_t)size);
    size_t n = 1 + rng_below(r, 24);
    for (size_t k = 0; k < n && at + k < size; ++k) out->data[out->len + at + k] = (uint8_t)rng_next(r);
  }
  out->len += size;
}

/* Incompressible bytes. */
static void gen_random(Rng* r, size_t size, Buf* out) {
  buf_reserve(out, size);
  for (size_t i = 0; i < size; ++i) out->data[out->len + i] = (uint8_t)(rng_next(r) >> 32);
  out->len += size;
}

/* A short pattern repeated, with rare mutations. */
static void gen_repetitive(Rng* r, size_t size, Buf* out) {
  char pattern[40];
  size_t plen = 5 + rng_below(r, 30);
  for (size_t i = 0; i < plen; ++i) pattern[i] = (char)('A' + rng_below(r, 26));
  buf_reserve(out, size);
  for (size_t i = 0; i < size; ++i) {
    uint8_t c = (uint8_t)pattern[i % plen];
    if (rng_below(r, 1000) == 0) c = (uint8_t)('a' + rng_below(r, 26));
    out->data[out->len + i] = c;
  }
  out->len += size;
}

typedef void (*Generator)(Rng*, size_t, Buf*);

typedef struct {
  const char* name;
  Generator gen;
  const char* ext;
} Kind;

static const Kind kKinds[] = {
    {"prose", gen_prose, "txt"},   {"source", gen_source, "c"},     {"table", gen_table, "csv"},
    {"sparse", gen_sparse, "bin"}, {"random", gen_random, "dat"},   {"repetitive", gen_repetitive, "rep"},
};
#define NUM_KINDS (sizeof kKinds / sizeof kKinds[0])

static void write_whole_file(const char* path, const uint8_t* data, size_t n) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) die("cannot create %s: %s", path, strerror(errno));
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, data + done, n - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("cannot write %s: %s", path, strerror(errno));
    }
    done += (size_t)w;
  }
  if (close(fd) != 0) die("cannot close %s: %s", path, strerror(errno));
}

static int read_whole_file(const char* path, Buf* out) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0) buf_reserve(out, (size_t)st.st_size);
  uint8_t chunk[8192];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      close(fd);
      return -1;
    }
    if (n == 0) break;
    buf_append(out, chunk, (size_t)n);
  }
  close(fd);
  return 0;
}

/* Creates ROOT with nested directories and files of every kind. Returns the
 * number of files written. */
static int generate_tree(const char* root, Rng* r, int scale) {
  static const char* const kDirs[] = {"docs", "src", "src/engine", "src/engine/interp", "data", "data/raw",
                                      "data/empty", "misc"};
  if (mkdir(root, 0755) != 0) die("cannot create %s: %s", root, strerror(errno));
  for (size_t i = 0; i < sizeof kDirs / sizeof kDirs[0]; ++i) {
    char* p = path_join(root, kDirs[i]);
    if (mkdir(p, 0755) != 0) die("cannot create %s: %s", p, strerror(errno));
    free(p);
  }
  int files = 0;
  Buf content = {0};
  for (int round = 0; round < scale; ++round) {
    for (size_t k = 0; k < NUM_KINDS; ++k) {
      const char* dir = kDirs[rng_below(r, 8)];
      if (strcmp(dir, "data/empty") == 0) dir = "misc";
      size_t size = 200 + rng_below(r, 12000);
      if (rng_below(r, 7) == 0) size = rng_below(r, 40); /* some tiny files */
      content.len = 0;
      kKinds[k].gen(r, size, &content);
      char name[128];
      snprintf(name, sizeof name, "%s/%s-%d-%s.%s", dir, kKinds[k].name, round,
               kWords[rng_below(r, NUM_WORDS)], kKinds[k].ext);
      char* p = path_join(root, name);
      write_whole_file(p, content.data, content.len);
      free(p);
      ++files;
    }
  }
  /* One empty file and one larger file of prose. */
  char* p = path_join(root, "misc/empty.txt");
  write_whole_file(p, (const uint8_t*)"", 0);
  free(p);
  ++files;
  content.len = 0;
  gen_prose(r, 40000 + 10000 * (size_t)scale, &content);
  p = path_join(root, "docs/book.txt");
  write_whole_file(p, content.data, content.len);
  free(p);
  ++files;
  buf_free(&content);
  return files;
}

/* ========================================================================
 * 5. Scanning and printing a tree
 * ===================================================================== */

typedef struct Node {
  char* name;
  int is_dir;
  uint64_t size;
  struct Node** kids;
  size_t nkids;
} Node;

static int compare_nodes(const void* a, const void* b) {
  const Node* x = *(Node* const*)a;
  const Node* y = *(Node* const*)b;
  return strcmp(x->name, y->name);
}

static Node* scan_tree(const char* path, const char* name) {
  struct stat st;
  if (lstat(path, &st) != 0) die("cannot stat %s: %s", path, strerror(errno));
  Node* n = xcalloc(1, sizeof *n);
  n->name = xstrdup(name);
  n->is_dir = S_ISDIR(st.st_mode);
  n->size = n->is_dir ? 0 : (uint64_t)st.st_size;
  if (!n->is_dir) return n;
  DIR* d = opendir(path);
  if (!d) die("cannot open directory %s: %s", path, strerror(errno));
  size_t cap = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (n->nkids == cap) {
      cap = cap ? cap * 2 : 8;
      n->kids = xrealloc(n->kids, cap * sizeof *n->kids);
    }
    char* child = path_join(path, e->d_name);
    n->kids[n->nkids++] = scan_tree(child, e->d_name);
    free(child);
  }
  closedir(d);
  if (n->nkids > 1) qsort(n->kids, n->nkids, sizeof *n->kids, compare_nodes);
  for (size_t i = 0; i < n->nkids; ++i) n->size += n->kids[i]->size;
  return n;
}

static void free_tree(Node* n) {
  for (size_t i = 0; i < n->nkids; ++i) free_tree(n->kids[i]);
  free(n->kids);
  free(n->name);
  free(n);
}

static void print_tree_rec(const Node* n, Str* prefix) {
  for (size_t i = 0; i < n->nkids; ++i) {
    const Node* k = n->kids[i];
    int last = i + 1 == n->nkids;
    char size[32];
    printf("%s%s %s%s  [%s%s]\n", prefix->s ? prefix->s : "", last ? "`--" : "|--", k->name, k->is_dir ? "/" : "",
           human_size(k->size, size, sizeof size), k->is_dir ? " total" : "");
    if (k->is_dir) {
      size_t saved = prefix->len;
      str_adds(prefix, last ? "    " : "|   ");
      print_tree_rec(k, prefix);
      prefix->len = saved;
      prefix->s[saved] = 0;
    }
  }
}

static void print_tree(const Node* root) {
  char size[32];
  printf("%s/  [%s total]\n", root->name, human_size(root->size, size, sizeof size));
  Str prefix = {0};
  str_adds(&prefix, "");
  print_tree_rec(root, &prefix);
  str_free(&prefix);
}

typedef struct {
  int files;
  int dirs;
  int empty_files;
  uint64_t bytes;
  uint64_t largest;
  int max_depth;
} TreeStats;

static void tree_stats(const Node* n, int depth, TreeStats* s) {
  if (n->is_dir) {
    ++s->dirs;
    if (depth > s->max_depth) s->max_depth = depth;
    for (size_t i = 0; i < n->nkids; ++i) tree_stats(n->kids[i], depth + 1, s);
  } else {
    ++s->files;
    s->bytes += n->size;
    if (n->size == 0) ++s->empty_files;
    if (n->size > s->largest) s->largest = n->size;
  }
}

/* Relative paths of everything below `n`, directories first at each level
 * (they are created before their contents when extracting). */
typedef struct {
  char** paths;
  int* is_dir;
  size_t count;
  size_t cap;
} PathList;

static void pathlist_add(PathList* l, const char* path, int is_dir) {
  if (l->count == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 32;
    l->paths = xrealloc(l->paths, l->cap * sizeof *l->paths);
    l->is_dir = xrealloc(l->is_dir, l->cap * sizeof *l->is_dir);
  }
  l->paths[l->count] = xstrdup(path);
  l->is_dir[l->count] = is_dir;
  ++l->count;
}

static void collect_paths(const Node* n, const char* prefix, PathList* out) {
  for (size_t i = 0; i < n->nkids; ++i) {
    const Node* k = n->kids[i];
    char* p = prefix[0] ? path_join(prefix, k->name) : xstrdup(k->name);
    pathlist_add(out, p, k->is_dir);
    if (k->is_dir) collect_paths(k, p, out);
    free(p);
  }
}

static void pathlist_free(PathList* l) {
  for (size_t i = 0; i < l->count; ++i) free(l->paths[i]);
  free(l->paths);
  free(l->is_dir);
  memset(l, 0, sizeof *l);
}

/* ========================================================================
 * 6. Bit streams (least significant bit first, as in deflate)
 * ===================================================================== */

typedef struct {
  Buf* out;
  uint64_t acc;
  int count;
} BitWriter;

static void bw_put(BitWriter* w, uint32_t value, int bits) {
  w->acc |= (uint64_t)value << w->count;
  w->count += bits;
  while (w->count >= 8) {
    buf_push(w->out, (uint8_t)w->acc);
    w->acc >>= 8;
    w->count -= 8;
  }
}

static void bw_flush(BitWriter* w) {
  if (w->count > 0) buf_push(w->out, (uint8_t)w->acc);
  w->acc = 0;
  w->count = 0;
}

typedef struct {
  const uint8_t* p;
  size_t len;
  size_t pos;
  uint64_t acc;
  int count;
  int error;
} BitReader;

static BitReader br_of(const uint8_t* p, size_t len) {
  BitReader r = {p, len, 0, 0, 0, 0};
  return r;
}

static uint32_t br_get(BitReader* r, int bits) {
  while (r->count < bits) {
    if (r->pos >= r->len) {
      r->error = 1;
      return 0;
    }
    r->acc |= (uint64_t)r->p[r->pos++] << r->count;
    r->count += 8;
  }
  uint32_t v = (uint32_t)(r->acc & ((1ull << bits) - 1));
  r->acc >>= bits;
  r->count -= bits;
  return v;
}

/* Drops the bits left in the current byte. */
static void br_align(BitReader* r) {
  int drop = r->count % 8;
  r->acc >>= drop;
  r->count -= drop;
}

/* ========================================================================
 * 7. Canonical Huffman codes
 * ===================================================================== */

#define MAX_CODE_BITS 15
#define MAX_SYMBOLS 320

/* Code lengths for `n` symbols with frequencies `freq`, none longer than
 * MAX_CODE_BITS. Ties are broken by symbol number, so the lengths (and the
 * codes) are the same on every platform. */
static void huff_lengths(const uint32_t* freq_in, int n, uint8_t* lens) {
  uint32_t freq[MAX_SYMBOLS];
  memcpy(freq, freq_in, (size_t)n * sizeof *freq);
  memset(lens, 0, (size_t)n);
  int used = 0, only = -1;
  for (int i = 0; i < n; ++i)
    if (freq[i]) {
      ++used;
      only = i;
    }
  if (used == 0) return;
  if (used == 1) {
    lens[only] = 1;
    return;
  }
  for (;;) {
    /* Nodes 0..n-1 are leaves, n.. are internal. */
    uint64_t weight[2 * MAX_SYMBOLS];
    int parent[2 * MAX_SYMBOLS];
    int alive[2 * MAX_SYMBOLS];
    int nodes = n;
    for (int i = 0; i < n; ++i) {
      weight[i] = freq[i];
      parent[i] = -1;
      alive[i] = freq[i] != 0;
    }
    for (int remaining = used; remaining > 1; --remaining) {
      int a = -1, b = -1;
      for (int i = 0; i < nodes; ++i) {
        if (!alive[i]) continue;
        if (a < 0 || weight[i] < weight[a]) {
          b = a;
          a = i;
        } else if (b < 0 || weight[i] < weight[b]) {
          b = i;
        }
      }
      weight[nodes] = weight[a] + weight[b];
      parent[nodes] = -1;
      alive[nodes] = 1;
      alive[a] = alive[b] = 0;
      parent[a] = parent[b] = nodes;
      ++nodes;
    }
    int too_long = 0;
    for (int i = 0; i < n; ++i) {
      if (!freq[i]) continue;
      int depth = 0;
      for (int k = i; parent[k] >= 0; k = parent[k]) ++depth;
      lens[i] = (uint8_t)(depth > 255 ? 255 : depth);
      if (depth > MAX_CODE_BITS) too_long = 1;
    }
    if (!too_long) return;
    /* Flatten the distribution and try again. */
    for (int i = 0; i < n; ++i)
      if (freq[i]) freq[i] = (freq[i] >> 1) | 1;
  }
}

/* Canonical codes from lengths, bit-reversed for LSB-first output. */
static void huff_codes(const uint8_t* lens, int n, uint16_t* codes) {
  uint16_t count[MAX_CODE_BITS + 1] = {0};
  uint16_t next[MAX_CODE_BITS + 2] = {0};
  for (int i = 0; i < n; ++i) count[lens[i]]++;
  count[0] = 0;
  uint32_t code = 0;
  for (int bits = 1; bits <= MAX_CODE_BITS; ++bits) {
    code = (code + count[bits - 1]) << 1;
    next[bits] = (uint16_t)code;
  }
  for (int i = 0; i < n; ++i) {
    int len = lens[i];
    if (!len) {
      codes[i] = 0;
      continue;
    }
    uint32_t c = next[len]++;
    uint32_t rev = 0;
    for (int b = 0; b < len; ++b) rev |= ((c >> b) & 1u) << (len - 1 - b);
    codes[i] = (uint16_t)rev;
  }
}

typedef struct {
  uint16_t count[MAX_CODE_BITS + 1];
  uint16_t symbol[MAX_SYMBOLS];
} HuffDecoder;

/* Returns 0 if the lengths form a valid (possibly incomplete) code. */
static int huff_decoder_init(HuffDecoder* d, const uint8_t* lens, int n) {
  memset(d->count, 0, sizeof d->count);
  for (int i = 0; i < n; ++i) {
    if (lens[i] > MAX_CODE_BITS) return -1;
    d->count[lens[i]]++;
  }
  d->count[0] = 0;
  int left = 1;
  for (int bits = 1; bits <= MAX_CODE_BITS; ++bits) {
    left <<= 1;
    left -= d->count[bits];
    if (left < 0) return -1; /* over-subscribed */
  }
  uint16_t offs[MAX_CODE_BITS + 2];
  offs[1] = 0;
  for (int bits = 1; bits < MAX_CODE_BITS; ++bits) offs[bits + 1] = (uint16_t)(offs[bits] + d->count[bits]);
  for (int i = 0; i < n; ++i)
    if (lens[i]) d->symbol[offs[lens[i]]++] = (uint16_t)i;
  return 0;
}

/* Decodes one symbol, reading the code a bit at a time; -1 on error. */
static int huff_decode(BitReader* r, const HuffDecoder* d) {
  int code = 0, first = 0, index = 0;
  for (int bits = 1; bits <= MAX_CODE_BITS; ++bits) {
    code |= (int)br_get(r, 1);
    if (r->error) return -1;
    int count = d->count[bits];
    if (code - first < count) return d->symbol[index + (code - first)];
    index += count;
    first += count;
    first <<= 1;
    code <<= 1;
  }
  return -1;
}

/* Code lengths are stored as 4-bit values; runs of zeros compactly:
 * a nibble 0 is followed by a nibble giving (run length - 1). */
static void write_lengths(BitWriter* w, const uint8_t* lens, int n) {
  for (int i = 0; i < n;) {
    if (lens[i] == 0) {
      int run = 1;
      while (i + run < n && lens[i + run] == 0 && run < 16) ++run;
      bw_put(w, 0, 4);
      bw_put(w, (uint32_t)(run - 1), 4);
      i += run;
    } else {
      bw_put(w, lens[i], 4);
      ++i;
    }
  }
}

static int read_lengths(BitReader* r, uint8_t* lens, int n) {
  for (int i = 0; i < n;) {
    uint32_t v = br_get(r, 4);
    if (v == 0) {
      uint32_t run = br_get(r, 4) + 1;
      if (i + (int)run > n) return -1;
      for (uint32_t k = 0; k < run; ++k) lens[i++] = 0;
    } else {
      lens[i++] = (uint8_t)v;
    }
    if (r->error) return -1;
  }
  return 0;
}

/* ========================================================================
 * 8. Codec 1: LZ77 (hash chains, lazy matching) + Huffman, deflate-like
 * ===================================================================== */

#define LZ_WINDOW 32768
#define LZ_MIN_MATCH 3
#define LZ_MAX_MATCH 258
#define LZ_HASH_BITS 15
#define LZ_MAX_CHAIN 48
#define LZ_BLOCK_TOKENS 16384
#define LZ_LITLEN_SYMBOLS 286
#define LZ_DIST_SYMBOLS 30
#define LZ_END_OF_BLOCK 256

static const uint16_t kLenBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t kLenExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t kDistBase[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145,  8193,  12289, 16385, 24577};
static const uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

typedef struct {
  uint16_t len;  /* 0: literal */
  uint16_t dist; /* or the literal byte */
} Token;

static int length_code(int len) {
  for (int i = 28; i >= 0; --i)
    if (len >= kLenBase[i]) return i;
  return 0;
}

static int dist_code(int dist) {
  for (int i = 29; i >= 0; --i)
    if (dist >= kDistBase[i]) return i;
  return 0;
}

static uint32_t lz_hash(const uint8_t* p) {
  uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
  return (v * 2654435761u) >> (32 - LZ_HASH_BITS);
}

typedef struct {
  int32_t* head; /* hash -> latest position */
  int32_t* prev; /* position % window -> previous position with the same hash */
} LzIndex;

static void lz_insert(LzIndex* ix, const uint8_t* in, size_t n, size_t pos) {
  if (pos + LZ_MIN_MATCH > n) return;
  uint32_t h = lz_hash(in + pos);
  ix->prev[pos % LZ_WINDOW] = ix->head[h];
  ix->head[h] = (int32_t)pos;
}

/* The longest match for position `pos` among earlier positions. */
static int lz_longest(const LzIndex* ix, const uint8_t* in, size_t n, size_t pos, int* dist_out) {
  if (pos + LZ_MIN_MATCH > n) return 0;
  int best = 0;
  size_t max_len = n - pos < LZ_MAX_MATCH ? n - pos : LZ_MAX_MATCH;
  int32_t cand = ix->head[lz_hash(in + pos)];
  for (int chain = 0; cand >= 0 && chain < LZ_MAX_CHAIN; ++chain) {
    size_t c = (size_t)cand;
    if (c >= pos || pos - c > LZ_WINDOW - 1) break;
    if (in[c + (size_t)best] == in[pos + (size_t)best]) {
      size_t len = 0;
      while (len < max_len && in[c + len] == in[pos + len]) ++len;
      if ((int)len > best) {
        best = (int)len;
        *dist_out = (int)(pos - c);
        if (len == max_len) break;
      }
    }
    int32_t next = ix->prev[c % LZ_WINDOW];
    if (next >= cand) break; /* stale entry from an older window */
    cand = next;
  }
  return best >= LZ_MIN_MATCH ? best : 0;
}

/* Splits the input into literals and matches. */
static Token* lz_tokenize(const uint8_t* in, size_t n, size_t* count) {
  LzIndex ix;
  ix.head = xmalloc(sizeof(int32_t) << LZ_HASH_BITS);
  ix.prev = xmalloc(sizeof(int32_t) * LZ_WINDOW);
  for (size_t i = 0; i < ((size_t)1 << LZ_HASH_BITS); ++i) ix.head[i] = -1;
  for (size_t i = 0; i < LZ_WINDOW; ++i) ix.prev[i] = -1;
  size_t cap = n / 2 + 16, len = 0;
  Token* t = xmalloc(cap * sizeof *t);
  size_t pos = 0;
  while (pos < n) {
    if (len + 2 >= cap) {
      cap *= 2;
      t = xrealloc(t, cap * sizeof *t);
    }
    int dist = 0;
    int match = lz_longest(&ix, in, n, pos, &dist);
    if (match) {
      /* Lazy matching: a longer match one byte later wins. */
      lz_insert(&ix, in, n, pos);
      int dist2 = 0;
      int match2 = lz_longest(&ix, in, n, pos + 1, &dist2);
      if (match2 > match + 1) {
        t[len].len = 0;
        t[len].dist = in[pos];
        ++len;
        ++pos;
        match = match2;
        dist = dist2;
      } else {
        /* Undo nothing: position pos is already inserted. */
        t[len].len = (uint16_t)match;
        t[len].dist = (uint16_t)dist;
        ++len;
        for (size_t k = 1; k < (size_t)match; ++k) lz_insert(&ix, in, n, pos + k);
        pos += (size_t)match;
        continue;
      }
      t[len].len = (uint16_t)match;
      t[len].dist = (uint16_t)dist;
      ++len;
      for (size_t k = 0; k < (size_t)match; ++k) lz_insert(&ix, in, n, pos + k);
      pos += (size_t)match;
    } else {
      lz_insert(&ix, in, n, pos);
      t[len].len = 0;
      t[len].dist = in[pos];
      ++len;
      ++pos;
    }
  }
  free(ix.head);
  free(ix.prev);
  *count = len;
  return t;
}

static void lz_write_block(BitWriter* w, const Token* t, size_t count, int last) {
  uint32_t lit_freq[LZ_LITLEN_SYMBOLS] = {0};
  uint32_t dist_freq[LZ_DIST_SYMBOLS] = {0};
  for (size_t i = 0; i < count; ++i) {
    if (t[i].len == 0) {
      lit_freq[t[i].dist]++;
    } else {
      lit_freq[257 + length_code(t[i].len)]++;
      dist_freq[dist_code(t[i].dist)]++;
    }
  }
  lit_freq[LZ_END_OF_BLOCK]++;
  uint8_t lit_len[LZ_LITLEN_SYMBOLS], dist_len[LZ_DIST_SYMBOLS];
  uint16_t lit_code[LZ_LITLEN_SYMBOLS], dist_code_v[LZ_DIST_SYMBOLS];
  huff_lengths(lit_freq, LZ_LITLEN_SYMBOLS, lit_len);
  huff_lengths(dist_freq, LZ_DIST_SYMBOLS, dist_len);
  huff_codes(lit_len, LZ_LITLEN_SYMBOLS, lit_code);
  huff_codes(dist_len, LZ_DIST_SYMBOLS, dist_code_v);
  bw_put(w, last ? 1u : 0u, 1);
  write_lengths(w, lit_len, LZ_LITLEN_SYMBOLS);
  write_lengths(w, dist_len, LZ_DIST_SYMBOLS);
  for (size_t i = 0; i < count; ++i) {
    if (t[i].len == 0) {
      bw_put(w, lit_code[t[i].dist], lit_len[t[i].dist]);
      continue;
    }
    int lc = length_code(t[i].len);
    bw_put(w, lit_code[257 + lc], lit_len[257 + lc]);
    if (kLenExtra[lc]) bw_put(w, (uint32_t)(t[i].len - kLenBase[lc]), kLenExtra[lc]);
    int dc = dist_code(t[i].dist);
    bw_put(w, dist_code_v[dc], dist_len[dc]);
    if (kDistExtra[dc]) bw_put(w, (uint32_t)(t[i].dist - kDistBase[dc]), kDistExtra[dc]);
  }
  bw_put(w, lit_code[LZ_END_OF_BLOCK], lit_len[LZ_END_OF_BLOCK]);
}

static void lz_compress(const uint8_t* in, size_t n, Buf* out) {
  size_t count = 0;
  Token* t = lz_tokenize(in, n, &count);
  BitWriter w = {out, 0, 0};
  if (count == 0) {
    lz_write_block(&w, t, 0, 1);
  } else {
    for (size_t at = 0; at < count; at += LZ_BLOCK_TOKENS) {
      size_t m = count - at < LZ_BLOCK_TOKENS ? count - at : LZ_BLOCK_TOKENS;
      lz_write_block(&w, t + at, m, at + m == count);
    }
  }
  bw_flush(&w);
  free(t);
}

/* Decompresses into out[0 .. expected); 0 on success. */
static int lz_decompress(const uint8_t* in, size_t n, uint8_t* out, size_t expected) {
  BitReader r = br_of(in, n);
  size_t pos = 0;
  for (;;) {
    int last = (int)br_get(&r, 1);
    uint8_t lit_len[LZ_LITLEN_SYMBOLS], dist_len[LZ_DIST_SYMBOLS];
    if (read_lengths(&r, lit_len, LZ_LITLEN_SYMBOLS) || read_lengths(&r, dist_len, LZ_DIST_SYMBOLS)) return -1;
    HuffDecoder lit, dist;
    if (huff_decoder_init(&lit, lit_len, LZ_LITLEN_SYMBOLS) || huff_decoder_init(&dist, dist_len, LZ_DIST_SYMBOLS))
      return -2;
    for (;;) {
      int sym = huff_decode(&r, &lit);
      if (sym < 0) return -3;
      if (sym < 256) {
        if (pos >= expected) return -4;
        out[pos++] = (uint8_t)sym;
        continue;
      }
      if (sym == LZ_END_OF_BLOCK) break;
      int lc = sym - 257;
      if (lc >= 29) return -5;
      int len = kLenBase[lc] + (int)br_get(&r, kLenExtra[lc]);
      int dc = huff_decode(&r, &dist);
      if (dc < 0 || dc >= 30) return -6;
      size_t d = kDistBase[dc] + br_get(&r, kDistExtra[dc]);
      if (r.error || d > pos || pos + (size_t)len > expected) return -7;
      for (int k = 0; k < len; ++k, ++pos) out[pos] = out[pos - d];
    }
    if (last) break;
  }
  br_align(&r);
  return pos == expected ? 0 : -8;
}

/* ========================================================================
 * 9. Codec 2: Burrows-Wheeler transform + move-to-front + zero runs + Huffman
 * ===================================================================== */

#define BWT_BLOCK 65536
#define BWT_RUNA 0
#define BWT_RUNB 1
#define BWT_EOB 257
#define BWT_SYMBOLS 258

/* Sorts the cyclic rotations of s[0..n) by prefix doubling with counting
 * sorts: O(n log n). order[i] is the start of the i-th smallest rotation. */
static void sort_rotations(const uint8_t* s, size_t n, uint32_t* order) {
  uint32_t* cls = xmalloc(n * sizeof *cls);
  uint32_t* tmp_order = xmalloc(n * sizeof *tmp_order);
  uint32_t* tmp_cls = xmalloc(n * sizeof *tmp_cls);
  size_t count_len = n > 256 ? n : 256;
  uint32_t* cnt = xcalloc(count_len, sizeof *cnt);
  for (size_t i = 0; i < n; ++i) cnt[s[i]]++;
  for (size_t i = 1; i < 256; ++i) cnt[i] += cnt[i - 1];
  for (size_t i = n; i-- > 0;) order[--cnt[s[i]]] = (uint32_t)i;
  cls[order[0]] = 0;
  uint32_t classes = 1;
  for (size_t i = 1; i < n; ++i) {
    if (s[order[i]] != s[order[i - 1]]) ++classes;
    cls[order[i]] = classes - 1;
  }
  for (size_t h = 1; h < n && classes < n; h <<= 1) {
    /* Sort by (class of i, class of i + h): order by second key is the
     * current order shifted back by h; a stable counting sort by the first
     * key finishes it. */
    for (size_t i = 0; i < n; ++i) tmp_order[i] = (uint32_t)((order[i] + n - h % n) % n);
    memset(cnt, 0, classes * sizeof *cnt);
    for (size_t i = 0; i < n; ++i) cnt[cls[tmp_order[i]]]++;
    for (size_t i = 1; i < classes; ++i) cnt[i] += cnt[i - 1];
    for (size_t i = n; i-- > 0;) order[--cnt[cls[tmp_order[i]]]] = tmp_order[i];
    tmp_cls[order[0]] = 0;
    classes = 1;
    for (size_t i = 1; i < n; ++i) {
      uint32_t a = order[i], b = order[i - 1];
      if (cls[a] != cls[b] || cls[(a + h) % n] != cls[(b + h) % n]) ++classes;
      tmp_cls[a] = classes - 1;
    }
    memcpy(cls, tmp_cls, n * sizeof *cls);
  }
  free(cls);
  free(tmp_order);
  free(tmp_cls);
  free(cnt);
}

/* Returns the row of the original string. */
static uint32_t bwt_forward(const uint8_t* in, size_t n, uint8_t* out) {
  uint32_t* order = xmalloc(n * sizeof *order);
  sort_rotations(in, n, order);
  uint32_t primary = 0;
  for (size_t i = 0; i < n; ++i) {
    out[i] = in[(order[i] + n - 1) % n];
    if (order[i] == 0) primary = (uint32_t)i;
  }
  free(order);
  return primary;
}

static int bwt_inverse(const uint8_t* last, size_t n, uint32_t primary, uint8_t* out) {
  if (n == 0) return 0;
  if (primary >= n) return -1;
  uint32_t first_of[256] = {0};
  uint32_t* rank = xmalloc(n * sizeof *rank);
  uint32_t seen[256] = {0};
  for (size_t i = 0; i < n; ++i) rank[i] = seen[last[i]]++;
  uint32_t total = 0;
  for (int c = 0; c < 256; ++c) {
    first_of[c] = total;
    total += seen[c];
  }
  uint32_t row = primary;
  for (size_t k = n; k-- > 0;) {
    uint8_t c = last[row];
    out[k] = c;
    row = first_of[c] + rank[row];
  }
  free(rank);
  return 0;
}

static void mtf_encode(uint8_t* data, size_t n) {
  uint8_t table[256];
  for (int i = 0; i < 256; ++i) table[i] = (uint8_t)i;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = data[i];
    uint8_t j = 0;
    while (table[j] != c) ++j;
    memmove(table + 1, table, j);
    table[0] = c;
    data[i] = j;
  }
}

static void mtf_decode(uint8_t* data, size_t n) {
  uint8_t table[256];
  for (int i = 0; i < 256; ++i) table[i] = (uint8_t)i;
  for (size_t i = 0; i < n; ++i) {
    uint8_t j = data[i];
    uint8_t c = table[j];
    memmove(table + 1, table, j);
    table[0] = c;
    data[i] = c;
  }
}

/* Move-to-front output as symbols: zero runs in bijective base 2
 * (RUNA = 1, RUNB = 2 per digit, least significant first), value v > 0 as
 * v + 1, then BWT_EOB. */
static size_t mtf_to_symbols(const uint8_t* mtf, size_t n, uint16_t* syms) {
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    if (mtf[i] == 0) {
      size_t run = 0;
      while (i < n && mtf[i] == 0) {
        ++run;
        ++i;
      }
      while (run > 0) {
        if (run & 1) {
          syms[k++] = BWT_RUNA;
          run = (run - 1) / 2;
        } else {
          syms[k++] = BWT_RUNB;
          run = (run - 2) / 2;
        }
      }
    } else {
      syms[k++] = (uint16_t)(mtf[i] + 1);
      ++i;
    }
  }
  syms[k++] = BWT_EOB;
  return k;
}

static void bwt_compress(const uint8_t* in, size_t n, Buf* out) {
  uint8_t* block = xmalloc(BWT_BLOCK);
  uint16_t* syms = xmalloc((BWT_BLOCK + 1) * sizeof *syms);
  BitWriter w = {out, 0, 0};
  size_t at = 0;
  do {
    size_t len = n - at < BWT_BLOCK ? n - at : BWT_BLOCK;
    uint32_t primary = len ? bwt_forward(in + at, len, block) : 0;
    mtf_encode(block, len);
    size_t count = mtf_to_symbols(block, len, syms);
    uint32_t freq[BWT_SYMBOLS] = {0};
    for (size_t i = 0; i < count; ++i) freq[syms[i]]++;
    uint8_t lens[BWT_SYMBOLS];
    uint16_t codes[BWT_SYMBOLS];
    huff_lengths(freq, BWT_SYMBOLS, lens);
    huff_codes(lens, BWT_SYMBOLS, codes);
    bw_put(&w, (uint32_t)len, 17);
    bw_put(&w, primary, 17);
    write_lengths(&w, lens, BWT_SYMBOLS);
    for (size_t i = 0; i < count; ++i) bw_put(&w, codes[syms[i]], lens[syms[i]]);
    at += len;
  } while (at < n);
  bw_flush(&w);
  free(block);
  free(syms);
}

static int bwt_decompress(const uint8_t* in, size_t n, uint8_t* out, size_t expected) {
  BitReader r = br_of(in, n);
  uint8_t* block = xmalloc(BWT_BLOCK);
  size_t pos = 0;
  int rc = 0;
  do {
    size_t len = br_get(&r, 17);
    uint32_t primary = br_get(&r, 17);
    uint8_t lens[BWT_SYMBOLS];
    HuffDecoder d;
    if (r.error || len > BWT_BLOCK || pos + len > expected || read_lengths(&r, lens, BWT_SYMBOLS) ||
        huff_decoder_init(&d, lens, BWT_SYMBOLS)) {
      rc = -1;
      break;
    }
    size_t k = 0;
    size_t run = 0, weight = 1;
    for (;;) {
      int sym = huff_decode(&r, &d);
      if (sym < 0) {
        rc = -2;
        break;
      }
      if (sym == BWT_RUNA || sym == BWT_RUNB) {
        run += weight * (sym == BWT_RUNA ? 1 : 2);
        weight *= 2;
        if (run > len) {
          rc = -3;
          break;
        }
        continue;
      }
      if (run) {
        if (k + run > len) {
          rc = -3;
          break;
        }
        memset(block + k, 0, run);
        k += run;
        run = 0;
        weight = 1;
      }
      if (sym == BWT_EOB) break;
      if (k >= len) {
        rc = -4;
        break;
      }
      block[k++] = (uint8_t)(sym - 1);
    }
    if (rc) break;
    if (k != len) {
      rc = -5;
      break;
    }
    mtf_decode(block, len);
    if (bwt_inverse(block, len, primary, out + pos)) {
      rc = -6;
      break;
    }
    pos += len;
  } while (pos < expected);
  free(block);
  if (rc) return rc;
  return pos == expected ? 0 : -7;
}

/* ========================================================================
 * 10. Codec selection and self-tests
 * ===================================================================== */

enum { METHOD_STORE = 0, METHOD_LZ = 1, METHOD_BWT = 2 };
static const char* const kMethodNames[] = {"store", "lz77", "bwt"};

typedef struct {
  uint64_t in_bytes[3];
  uint64_t out_bytes[3];
  int chosen[3];
} CodecStats;

/* Compresses with every method, keeps the smallest (ties: the simpler). */
static int compress_best(const uint8_t* in, size_t n, Buf* out, size_t sizes[3], CodecStats* stats) {
  Buf lz = {0}, bwt = {0};
  lz_compress(in, n, &lz);
  bwt_compress(in, n, &bwt);
  sizes[METHOD_STORE] = n;
  sizes[METHOD_LZ] = lz.len;
  sizes[METHOD_BWT] = bwt.len;
  int best = METHOD_STORE;
  if (lz.len < sizes[best]) best = METHOD_LZ;
  if (bwt.len < sizes[best]) best = METHOD_BWT;
  out->len = 0;
  if (best == METHOD_STORE) buf_append(out, in, n);
  else if (best == METHOD_LZ) buf_append(out, lz.data, lz.len);
  else buf_append(out, bwt.data, bwt.len);
  for (int m = 0; m < 3; ++m) {
    stats->in_bytes[m] += n;
    stats->out_bytes[m] += sizes[m];
  }
  stats->chosen[best]++;
  buf_free(&lz);
  buf_free(&bwt);
  return best;
}

static int decompress(int method, const uint8_t* in, size_t n, uint8_t* out, size_t expected) {
  switch (method) {
    case METHOD_STORE:
      if (n != expected) return -1;
      if (n) memcpy(out, in, n);
      return 0;
    case METHOD_LZ: return lz_decompress(in, n, out, expected);
    case METHOD_BWT: return bwt_decompress(in, n, out, expected);
    default: return -100;
  }
}

/* Round-trips synthetic inputs that stress the corner cases. */
static int codec_self_test(Rng* r) {
  struct {
    const char* name;
    size_t size;
    int kind;
  } cases[] = {
      {"empty", 0, 0},          {"one byte", 1, 1},          {"two bytes", 2, 1},
      {"same byte x 1000", 1000, 2}, {"same byte x 70000", 70000, 2}, {"abab... x 5000", 5000, 3},
      {"random 3000", 3000, 4}, {"prose 20000", 20000, 5},   {"long runs", 9000, 6},
      {"all byte values", 256 * 3, 7},
  };
  int failures = 0;
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
    Buf in = {0};
    size_t n = cases[c].size;
    switch (cases[c].kind) {
      case 0: break;
      case 1:
        for (size_t i = 0; i < n; ++i) buf_push(&in, (uint8_t)('x' + i));
        break;
      case 2:
        for (size_t i = 0; i < n; ++i) buf_push(&in, 'z');
        break;
      case 3:
        for (size_t i = 0; i < n; ++i) buf_push(&in, (uint8_t)("ab"[i % 2]));
        break;
      case 4: gen_random(r, n, &in); break;
      case 5: gen_prose(r, n, &in); break;
      case 6:
        for (size_t i = 0; i < n; ++i) buf_push(&in, (uint8_t)((i / 300) % 3 == 0 ? 0 : 'A' + (i / 300) % 7));
        break;
      case 7:
        for (size_t i = 0; i < n; ++i) buf_push(&in, (uint8_t)(i * 37));
        break;
    }
    printf("  %-20s %6zu bytes:", cases[c].name, in.len);
    for (int m = METHOD_LZ; m <= METHOD_BWT; ++m) {
      Buf packed = {0};
      if (m == METHOD_LZ) lz_compress(in.data, in.len, &packed);
      else bwt_compress(in.data, in.len, &packed);
      uint8_t* back = xmalloc(in.len + 1);
      int rc = decompress(m, packed.data, packed.len, back, in.len);
      int same = rc == 0 && (in.len == 0 || memcmp(back, in.data, in.len) == 0);
      printf("  %s %6zu %s", kMethodNames[m], packed.len, same ? "ok" : "FAILED");
      if (!same) {
        ++failures;
        printf(" (rc %d)", rc);
      }
      /* A damaged stream must be rejected or decode to something else, never crash. */
      if (packed.len > 4) {
        packed.data[packed.len / 2] ^= 0x5a;
        (void)decompress(m, packed.data, packed.len, back, in.len);
        packed.len /= 2;
        (void)decompress(m, packed.data, packed.len, back, in.len);
      }
      free(back);
      buf_free(&packed);
    }
    printf("\n");
    buf_free(&in);
  }
  return failures;
}

/* ========================================================================
 * 11. The archive format
 *
 *   "WEFTARC1"
 *   file data, one stored blob after another
 *   index: for each entry  u16 path length, path, u8 type (0 file, 1 dir),
 *          u8 method, u64 size, u64 stored size, u64 offset, u32 crc32
 *   trailer: u64 index offset, u32 entry count, u32 crc32 of the index,
 *            "WEFTEND!"
 * ===================================================================== */

#define TRAILER_SIZE 24

typedef struct {
  char* path;
  uint8_t is_dir;
  uint8_t method;
  uint64_t size;
  uint64_t stored;
  uint64_t offset;
  uint32_t crc;
} Entry;

typedef struct {
  Entry* entries;
  size_t count;
} Index;

static void index_free(Index* ix) {
  for (size_t i = 0; i < ix->count; ++i) free(ix->entries[i].path);
  free(ix->entries);
  ix->entries = NULL;
  ix->count = 0;
}

static void write_all(int fd, const void* p, size_t n, const char* what) {
  const uint8_t* b = p;
  while (n > 0) {
    ssize_t w = write(fd, b, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("writing %s: %s", what, strerror(errno));
    }
    b += w;
    n -= (size_t)w;
  }
}

static int pread_all(int fd, void* p, size_t n, uint64_t offset) {
  uint8_t* b = p;
  while (n > 0) {
    ssize_t r = pread(fd, b, n, (off_t)offset);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) return -1;
    b += r;
    n -= (size_t)r;
    offset += (uint64_t)r;
  }
  return 0;
}

static void print_entry_row(const Entry* e, const size_t sizes[3]) {
  char a[32], b[32], c[32], pct[32];
  if (e->is_dir) {
    printf("  %-52s %s\n", e->path, "<dir>");
    return;
  }
  printf("  %-52s %10s  lz77 %9s  bwt %9s  -> %-5s %s\n", e->path, human_size(e->size, a, sizeof a),
         human_size(sizes[METHOD_LZ], b, sizeof b), human_size(sizes[METHOD_BWT], c, sizeof c),
         kMethodNames[e->method], percent(e->stored, e->size, pct, sizeof pct));
}

/* Archives everything below `src_root` into `archive`. */
static void archive_create(const char* src_root, const Node* tree, const char* archive, Index* ix,
                           CodecStats* stats) {
  PathList paths = {0};
  collect_paths(tree, "", &paths);
  int fd = open(archive, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) die("cannot create %s: %s", archive, strerror(errno));
  write_all(fd, "WEFTARC1", 8, archive);
  uint64_t offset = 8;
  ix->entries = xcalloc(paths.count, sizeof *ix->entries);
  ix->count = paths.count;
  Buf content = {0}, packed = {0};
  for (size_t i = 0; i < paths.count; ++i) {
    Entry* e = &ix->entries[i];
    e->path = xstrdup(paths.paths[i]);
    e->is_dir = (uint8_t)paths.is_dir[i];
    e->offset = offset;
    size_t sizes[3] = {0, 0, 0};
    if (!e->is_dir) {
      char* full = path_join(src_root, e->path);
      content.len = 0;
      if (read_whole_file(full, &content) != 0) die("cannot read %s: %s", full, strerror(errno));
      free(full);
      e->size = content.len;
      e->crc = crc32_of(content.data, content.len);
      e->method = (uint8_t)compress_best(content.data, content.len, &packed, sizes, stats);
      e->stored = packed.len;
      write_all(fd, packed.data, packed.len, archive);
      offset += packed.len;
    }
    print_entry_row(e, sizes);
  }
  /* The index and the trailer. */
  Buf index = {0};
  for (size_t i = 0; i < ix->count; ++i) {
    const Entry* e = &ix->entries[i];
    size_t len = strlen(e->path);
    buf_put_u16(&index, (uint16_t)len);
    buf_append(&index, e->path, len);
    buf_push(&index, e->is_dir);
    buf_push(&index, e->method);
    buf_put_u64(&index, e->size);
    buf_put_u64(&index, e->stored);
    buf_put_u64(&index, e->offset);
    buf_put_u32(&index, e->crc);
  }
  Buf trailer = {0};
  buf_put_u64(&trailer, offset);
  buf_put_u32(&trailer, (uint32_t)ix->count);
  buf_put_u32(&trailer, crc32_of(index.data, index.len));
  buf_append(&trailer, "WEFTEND!", 8);
  write_all(fd, index.data, index.len, archive);
  write_all(fd, trailer.data, trailer.len, archive);
  if (fsync(fd) != 0) die("fsync %s: %s", archive, strerror(errno));
  if (close(fd) != 0) die("close %s: %s", archive, strerror(errno));
  buf_free(&index);
  buf_free(&trailer);
  buf_free(&content);
  buf_free(&packed);
  pathlist_free(&paths);
}

/* Reads the index back from the end of the archive. */
static int archive_open(const char* archive, int* fd_out, Index* ix) {
  int fd = open(archive, O_RDONLY);
  if (fd < 0) return -1;
  off_t end = lseek(fd, 0, SEEK_END);
  if (end < (off_t)(8 + TRAILER_SIZE)) {
    close(fd);
    return -2;
  }
  uint8_t magic[8];
  uint8_t trailer[TRAILER_SIZE];
  if (pread_all(fd, magic, 8, 0) || memcmp(magic, "WEFTARC1", 8) != 0 ||
      pread_all(fd, trailer, TRAILER_SIZE, (uint64_t)end - TRAILER_SIZE) || memcmp(trailer + 16, "WEFTEND!", 8)) {
    close(fd);
    return -3;
  }
  Reader tr = reader_of(trailer, TRAILER_SIZE);
  uint64_t index_offset = rd_u64(&tr);
  uint32_t count = rd_u32(&tr);
  uint32_t index_crc = rd_u32(&tr);
  uint64_t index_len = (uint64_t)end - TRAILER_SIZE - index_offset;
  if (index_offset > (uint64_t)end - TRAILER_SIZE || index_len > 64 * 1024 * 1024) {
    close(fd);
    return -4;
  }
  uint8_t* data = xmalloc((size_t)index_len);
  if (pread_all(fd, data, (size_t)index_len, index_offset) || crc32_of(data, (size_t)index_len) != index_crc) {
    free(data);
    close(fd);
    return -5;
  }
  Reader r = reader_of(data, (size_t)index_len);
  ix->entries = xcalloc(count, sizeof *ix->entries);
  ix->count = count;
  for (uint32_t i = 0; i < count; ++i) {
    Entry* e = &ix->entries[i];
    uint16_t len = rd_u16(&r);
    e->path = xmalloc((size_t)len + 1);
    rd_bytes(&r, e->path, len);
    e->path[len] = 0;
    e->is_dir = rd_u8(&r);
    e->method = rd_u8(&r);
    e->size = rd_u64(&r);
    e->stored = rd_u64(&r);
    e->offset = rd_u64(&r);
    e->crc = rd_u32(&r);
  }
  free(data);
  if (r.error || r.pos != r.len) {
    close(fd);
    return -6;
  }
  *fd_out = fd;
  return 0;
}

/* Extracts every entry below `dest`; returns the number of bad entries. */
static int archive_extract(int fd, const Index* ix, const char* dest) {
  if (mkdir(dest, 0755) != 0) die("cannot create %s: %s", dest, strerror(errno));
  int bad = 0;
  for (size_t i = 0; i < ix->count; ++i) {
    const Entry* e = &ix->entries[i];
    /* Archived paths are relative and never climb out of `dest`. */
    if (e->path[0] == '/' || strstr(e->path, "..")) {
      printf("  refusing unsafe path %s\n", e->path);
      ++bad;
      continue;
    }
    char* full = path_join(dest, e->path);
    if (e->is_dir) {
      if (mkdir(full, 0755) != 0) {
        printf("  mkdir %s failed\n", e->path);
        ++bad;
      }
      free(full);
      continue;
    }
    uint8_t* packed = xmalloc((size_t)e->stored + 1);
    uint8_t* plain = xmalloc((size_t)e->size + 1);
    int rc = pread_all(fd, packed, (size_t)e->stored, e->offset);
    if (rc == 0) rc = decompress(e->method, packed, (size_t)e->stored, plain, (size_t)e->size);
    if (rc == 0 && crc32_of(plain, (size_t)e->size) != e->crc) rc = -50;
    if (rc != 0) {
      printf("  %s: corrupt (%d)\n", e->path, rc);
      ++bad;
    } else {
      write_whole_file(full, plain, (size_t)e->size);
    }
    free(packed);
    free(plain);
    free(full);
  }
  return bad;
}

/* Compares two trees: same names, kinds and file contents. */
static int compare_trees(const char* a_path, const Node* a, const char* b_path, const Node* b) {
  int differences = 0;
  if (a->nkids != b->nkids) {
    printf("  %s: %zu entries, %s: %zu entries\n", a_path, a->nkids, b_path, b->nkids);
    return 1;
  }
  for (size_t i = 0; i < a->nkids; ++i) {
    const Node* x = a->kids[i];
    const Node* y = b->kids[i];
    char* xp = path_join(a_path, x->name);
    char* yp = path_join(b_path, y->name);
    if (strcmp(x->name, y->name) != 0 || x->is_dir != y->is_dir) {
      printf("  %s differs from %s\n", xp, yp);
      ++differences;
    } else if (x->is_dir) {
      differences += compare_trees(xp, x, yp, y);
    } else {
      Buf bx = {0}, by = {0};
      if (read_whole_file(xp, &bx) || read_whole_file(yp, &by) || bx.len != by.len ||
          (bx.len && memcmp(bx.data, by.data, bx.len) != 0)) {
        printf("  %s and %s differ\n", xp, yp);
        ++differences;
      }
      buf_free(&bx);
      buf_free(&by);
    }
    free(xp);
    free(yp);
  }
  return differences;
}

/* ========================================================================
 * 12. Base64 and hex dumps
 * ===================================================================== */

static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64_encode(const uint8_t* p, size_t n, Str* out) {
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16;
    if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
    if (i + 2 < n) v |= p[i + 2];
    str_addc(out, kB64[(v >> 18) & 63]);
    str_addc(out, kB64[(v >> 12) & 63]);
    str_addc(out, i + 1 < n ? kB64[(v >> 6) & 63] : '=');
    str_addc(out, i + 2 < n ? kB64[v & 63] : '=');
  }
}

static int b64_value(char c) {
  const char* p = strchr(kB64, c);
  return c && p ? (int)(p - kB64) : -1;
}

static int base64_decode(const char* s, Buf* out) {
  size_t n = strlen(s);
  if (n % 4) return -1;
  for (size_t i = 0; i < n; i += 4) {
    int a = b64_value(s[i]), b = b64_value(s[i + 1]);
    int c = s[i + 2] == '=' ? 0 : b64_value(s[i + 2]);
    int d = s[i + 3] == '=' ? 0 : b64_value(s[i + 3]);
    if (a < 0 || b < 0 || c < 0 || d < 0) return -1;
    uint32_t v = ((uint32_t)a << 18) | ((uint32_t)b << 12) | ((uint32_t)c << 6) | (uint32_t)d;
    buf_push(out, (uint8_t)(v >> 16));
    if (s[i + 2] != '=') buf_push(out, (uint8_t)(v >> 8));
    if (s[i + 3] != '=') buf_push(out, (uint8_t)v);
  }
  return 0;
}

static void hexdump(const uint8_t* p, size_t n, uint64_t base) {
  for (size_t row = 0; row < n; row += 16) {
    printf("  %08" PRIx64 "  ", base + row);
    for (size_t i = 0; i < 16; ++i) {
      if (row + i < n) printf("%02x ", p[row + i]);
      else printf("   ");
      if (i == 7) putchar(' ');
    }
    printf(" |");
    for (size_t i = 0; i < 16 && row + i < n; ++i) {
      uint8_t c = p[row + i];
      putchar(c >= 32 && c < 127 ? c : '.');
    }
    printf("|\n");
  }
}

/* ========================================================================
 * 13. JSON: writing the manifest and parsing it back
 * ===================================================================== */

static void json_string(Str* out, const char* s) {
  str_addc(out, '"');
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    switch (c) {
      case '"': str_adds(out, "\\\""); break;
      case '\\': str_adds(out, "\\\\"); break;
      case '\n': str_adds(out, "\\n"); break;
      case '\t': str_adds(out, "\\t"); break;
      default:
        if (c < 0x20) str_addf(out, "\\u%04x", c);
        else str_addc(out, (char)c);
    }
  }
  str_addc(out, '"');
}

static void write_manifest(const char* path, const Index* ix, const char* archive_sha, const CodecStats* stats) {
  Str j = {0};
  str_adds(&j, "{\n  \"format\": \"WEFTARC1\",\n  \"archive_sha256\": ");
  json_string(&j, archive_sha);
  str_adds(&j, ",\n  \"entries\": [\n");
  for (size_t i = 0; i < ix->count; ++i) {
    const Entry* e = &ix->entries[i];
    str_adds(&j, "    {\"path\": ");
    json_string(&j, e->path);
    if (e->is_dir) {
      str_adds(&j, ", \"type\": \"directory\"}");
    } else {
      str_addf(&j, ", \"type\": \"file\", \"size\": %" PRIu64 ", \"stored\": %" PRIu64
                   ", \"method\": \"%s\", \"crc32\": \"%08x\", \"ratio\": %.4f}",
               e->size, e->stored, kMethodNames[e->method], e->crc,
               e->size ? (double)e->stored / (double)e->size : 1.0);
    }
    str_adds(&j, i + 1 < ix->count ? ",\n" : "\n");
  }
  str_adds(&j, "  ],\n  \"codecs\": {");
  for (int m = 0; m < 3; ++m) {
    str_addf(&j, "%s\"%s\": {\"chosen\": %d, \"in\": %" PRIu64 ", \"out\": %" PRIu64 "}", m ? ", " : "",
             kMethodNames[m], stats->chosen[m], stats->in_bytes[m], stats->out_bytes[m]);
  }
  str_adds(&j, "},\n  \"notes\": \"tab\\there, quote \\\" and unicode \\u00e9\\u20ac\",\n");
  str_adds(&j, "  \"flags\": [true, false, null, -12.5e2, 0.125]\n}\n");
  write_whole_file(path, (const uint8_t*)j.s, j.len);
  str_free(&j);
}

typedef enum { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } JsonType;

typedef struct Json {
  JsonType type;
  int boolean;
  double number;
  char* string;
  struct Json** items; /* array items or object values */
  char** keys;         /* object keys */
  size_t count;
} Json;

typedef struct {
  const char* s;
  size_t pos;
  const char* error;
} JsonParser;

static void json_free(Json* v) {
  if (!v) return;
  for (size_t i = 0; i < v->count; ++i) {
    json_free(v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->string);
  free(v);
}

static void json_ws(JsonParser* p) {
  while (p->s[p->pos] == ' ' || p->s[p->pos] == '\n' || p->s[p->pos] == '\t' || p->s[p->pos] == '\r') ++p->pos;
}

static Json* json_new(JsonType t) {
  Json* v = xcalloc(1, sizeof *v);
  v->type = t;
  return v;
}

static void utf8_put(Str* out, uint32_t cp) {
  if (cp < 0x80) {
    str_addc(out, (char)cp);
  } else if (cp < 0x800) {
    str_addc(out, (char)(0xc0 | (cp >> 6)));
    str_addc(out, (char)(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    str_addc(out, (char)(0xe0 | (cp >> 12)));
    str_addc(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
    str_addc(out, (char)(0x80 | (cp & 0x3f)));
  } else {
    str_addc(out, (char)(0xf0 | (cp >> 18)));
    str_addc(out, (char)(0x80 | ((cp >> 12) & 0x3f)));
    str_addc(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
    str_addc(out, (char)(0x80 | (cp & 0x3f)));
  }
}

static char* json_parse_string_raw(JsonParser* p) {
  if (p->s[p->pos] != '"') {
    p->error = "expected a string";
    return NULL;
  }
  ++p->pos;
  Str out = {0};
  str_adds(&out, "");
  for (;;) {
    char c = p->s[p->pos++];
    if (c == 0) {
      p->error = "unterminated string";
      str_free(&out);
      return NULL;
    }
    if (c == '"') break;
    if (c != '\\') {
      str_addc(&out, c);
      continue;
    }
    char e = p->s[p->pos++];
    switch (e) {
      case '"': str_addc(&out, '"'); break;
      case '\\': str_addc(&out, '\\'); break;
      case '/': str_addc(&out, '/'); break;
      case 'b': str_addc(&out, '\b'); break;
      case 'f': str_addc(&out, '\f'); break;
      case 'n': str_addc(&out, '\n'); break;
      case 'r': str_addc(&out, '\r'); break;
      case 't': str_addc(&out, '\t'); break;
      case 'u': {
        uint32_t cp = 0;
        for (int i = 0; i < 4; ++i) {
          char h = p->s[p->pos++];
          cp <<= 4;
          if (h >= '0' && h <= '9') cp |= (uint32_t)(h - '0');
          else if (h >= 'a' && h <= 'f') cp |= (uint32_t)(h - 'a' + 10);
          else if (h >= 'A' && h <= 'F') cp |= (uint32_t)(h - 'A' + 10);
          else {
            p->error = "bad \\u escape";
            str_free(&out);
            return NULL;
          }
        }
        utf8_put(&out, cp);
        break;
      }
      default:
        p->error = "bad escape";
        str_free(&out);
        return NULL;
    }
  }
  return out.s;
}

static Json* json_parse_value(JsonParser* p, int depth);

static Json* json_parse_number(JsonParser* p) {
  const char* start = p->s + p->pos;
  size_t i = p->pos;
  if (p->s[i] == '-') ++i;
  if (p->s[i] < '0' || p->s[i] > '9') {
    p->error = "bad number";
    return NULL;
  }
  while (p->s[i] >= '0' && p->s[i] <= '9') ++i;
  if (p->s[i] == '.') {
    ++i;
    while (p->s[i] >= '0' && p->s[i] <= '9') ++i;
  }
  if (p->s[i] == 'e' || p->s[i] == 'E') {
    ++i;
    if (p->s[i] == '+' || p->s[i] == '-') ++i;
    while (p->s[i] >= '0' && p->s[i] <= '9') ++i;
  }
  Json* v = json_new(J_NUMBER);
  v->number = strtod(start, NULL);
  p->pos = i;
  return v;
}

static void json_push(Json* v, char* key, Json* item) {
  v->items = xrealloc(v->items, (v->count + 1) * sizeof *v->items);
  if (v->type == J_OBJECT) {
    v->keys = xrealloc(v->keys, (v->count + 1) * sizeof *v->keys);
    v->keys[v->count] = key;
  }
  v->items[v->count++] = item;
}

static Json* json_parse_value(JsonParser* p, int depth) {
  if (depth > 64) {
    p->error = "nested too deeply";
    return NULL;
  }
  json_ws(p);
  char c = p->s[p->pos];
  if (c == '{' || c == '[') {
    int object = c == '{';
    Json* v = json_new(object ? J_OBJECT : J_ARRAY);
    ++p->pos;
    json_ws(p);
    if (p->s[p->pos] == (object ? '}' : ']')) {
      ++p->pos;
      return v;
    }
    for (;;) {
      char* key = NULL;
      if (object) {
        json_ws(p);
        key = json_parse_string_raw(p);
        if (!key) break;
        json_ws(p);
        if (p->s[p->pos] != ':') {
          p->error = "expected ':'";
          free(key);
          break;
        }
        ++p->pos;
      }
      Json* item = json_parse_value(p, depth + 1);
      if (!item) {
        free(key);
        break;
      }
      json_push(v, key, item);
      json_ws(p);
      if (p->s[p->pos] == ',') {
        ++p->pos;
        continue;
      }
      if (p->s[p->pos] == (object ? '}' : ']')) {
        ++p->pos;
        return v;
      }
      p->error = object ? "expected ',' or '}'" : "expected ',' or ']'";
      break;
    }
    json_free(v);
    return NULL;
  }
  if (c == '"') {
    char* s = json_parse_string_raw(p);
    if (!s) return NULL;
    Json* v = json_new(J_STRING);
    v->string = s;
    return v;
  }
  if (strncmp(p->s + p->pos, "true", 4) == 0 || strncmp(p->s + p->pos, "false", 5) == 0) {
    Json* v = json_new(J_BOOL);
    v->boolean = p->s[p->pos] == 't';
    p->pos += v->boolean ? 4 : 5;
    return v;
  }
  if (strncmp(p->s + p->pos, "null", 4) == 0) {
    p->pos += 4;
    return json_new(J_NULL);
  }
  return json_parse_number(p);
}

static Json* json_parse(const char* text, const char** error) {
  JsonParser p = {text, 0, NULL};
  Json* v = json_parse_value(&p, 0);
  if (v) {
    json_ws(&p);
    if (p.s[p.pos] != 0) {
      p.error = "trailing characters";
      json_free(v);
      v = NULL;
    }
  }
  *error = p.error;
  return v;
}

static const Json* json_get(const Json* obj, const char* key) {
  if (!obj || obj->type != J_OBJECT) return NULL;
  for (size_t i = 0; i < obj->count; ++i)
    if (strcmp(obj->keys[i], key) == 0) return obj->items[i];
  return NULL;
}

/* Prints a value compactly, numbers with %g. */
static void json_print(const Json* v, Str* out) {
  switch (v->type) {
    case J_NULL: str_adds(out, "null"); break;
    case J_BOOL: str_adds(out, v->boolean ? "true" : "false"); break;
    case J_NUMBER: str_addf(out, "%g", v->number); break;
    case J_STRING: json_string(out, v->string); break;
    case J_ARRAY:
    case J_OBJECT:
      str_addc(out, v->type == J_ARRAY ? '[' : '{');
      for (size_t i = 0; i < v->count; ++i) {
        if (i) str_addc(out, ',');
        if (v->type == J_OBJECT) {
          json_string(out, v->keys[i]);
          str_addc(out, ':');
        }
        json_print(v->items[i], out);
      }
      str_addc(out, v->type == J_ARRAY ? ']' : '}');
      break;
  }
}

/* Checks the parsed manifest against the index; returns mismatches. */
static int verify_manifest(const char* path, const Index* ix) {
  Buf text = {0};
  if (read_whole_file(path, &text) != 0) die("cannot read %s", path);
  buf_push(&text, 0);
  const char* error = NULL;
  Json* root = json_parse((const char*)text.data, &error);
  buf_free(&text);
  if (!root) {
    printf("  manifest does not parse: %s\n", error);
    return 1;
  }
  int mismatches = 0;
  const Json* entries = json_get(root, "entries");
  if (!entries || entries->type != J_ARRAY || entries->count != ix->count) {
    printf("  manifest entries do not match the index\n");
    json_free(root);
    return 1;
  }
  uint64_t total = 0, files = 0;
  double ratio_sum = 0;
  for (size_t i = 0; i < entries->count; ++i) {
    const Json* e = entries->items[i];
    const Json* p = json_get(e, "path");
    if (!p || p->type != J_STRING || strcmp(p->string, ix->entries[i].path) != 0) ++mismatches;
    const Json* size = json_get(e, "size");
    if (size) {
      if ((uint64_t)size->number != ix->entries[i].size) ++mismatches;
      total += (uint64_t)size->number;
      ++files;
      const Json* ratio = json_get(e, "ratio");
      if (ratio) ratio_sum += ratio->number;
    }
  }
  printf("  %zu entries (%" PRIu64 " files, %" PRIu64 " bytes), mean ratio %.3f, mismatches %d\n",
         entries->count, files, total, files ? ratio_sum / (double)files : 0.0, mismatches);
  const Json* notes = json_get(root, "notes");
  if (notes && notes->type == J_STRING) {
    Buf b64 = {0};
    Str enc = {0};
    base64_encode((const uint8_t*)notes->string, strlen(notes->string), &enc);
    printf("  notes (%zu bytes) base64: %s\n", strlen(notes->string), enc.s);
    if (base64_decode(enc.s, &b64) != 0 || b64.len != strlen(notes->string) ||
        memcmp(b64.data, notes->string, b64.len) != 0)
      ++mismatches;
    buf_free(&b64);
    str_free(&enc);
  }
  Str compact = {0};
  str_adds(&compact, "");
  json_print(json_get(root, "codecs"), &compact);
  printf("  codecs: %s\n", compact.s);
  compact.len = 0;
  compact.s[0] = 0;
  json_print(json_get(root, "flags"), &compact);
  printf("  flags: %s\n", compact.s);
  str_free(&compact);
  /* Malformed documents are rejected with a message. */
  const char* bad[] = {"{\"a\": }", "[1, 2", "{\"k\" 1}", "\"unterminated", "[1] x", "{\"x\": \"\\q\"}"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    Json* v = json_parse(bad[i], &error);
    printf("  parse %-16s -> %s\n", bad[i], v ? "accepted?!" : error);
    if (v) {
      ++mismatches;
      json_free(v);
    }
  }
  json_free(root);
  return mismatches;
}

/* ========================================================================
 * 14. Cleaning up: removing a tree
 * ===================================================================== */

static int remove_tree(const char* path) {
  struct stat st;
  if (lstat(path, &st) != 0) return -1;
  int removed = 0;
  if (S_ISDIR(st.st_mode)) {
    DIR* d = opendir(path);
    if (!d) return -1;
    char** names = NULL;
    size_t n = 0;
    struct dirent* e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      names = xrealloc(names, (n + 1) * sizeof *names);
      names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; ++i) {
      char* child = path_join(path, names[i]);
      int r = remove_tree(child);
      if (r > 0) removed += r;
      free(child);
      free(names[i]);
    }
    free(names);
    if (rmdir(path) != 0) return -1;
  } else if (unlink(path) != 0) {
    return -1;
  }
  return removed + 1;
}

/* ========================================================================
 * 15. main
 * ===================================================================== */

static void section(const char* title) { printf("\n== %s\n", title); }

int main(int argc, char** argv) {
  uint64_t seed = 1;
  int scale = 2;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      seed = strtoull(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
      scale = atoi(argv[++i]);
      if (scale < 1 || scale > 20) die("--scale must be 1..20");
    } else {
      die("usage: archiver [--seed N] [--scale N]");
    }
  }
  crc32_init();
  Rng rng = rng_seeded(seed);
  int failures = 0;
  printf("archiver: seed %" PRIu64 ", scale %d\n", seed, scale);

  section("checksums of known inputs");
  {
    const char* abc = "abc";
    char hex[65];
    sha256_hex((const uint8_t*)abc, 3, hex);
    printf("  sha256(\"abc\") = %s\n", hex);
    sha256_hex((const uint8_t*)"", 0, hex);
    printf("  sha256(\"\")    = %s\n", hex);
    const char* fox = "The quick brown fox jumps over the lazy dog";
    printf("  crc32(fox)    = %08x\n", crc32_of((const uint8_t*)fox, strlen(fox)));
    printf("  adler32(fox)  = %08x\n", adler32_of((const uint8_t*)fox, strlen(fox)));
    printf("  fnv1a64(fox)  = %016" PRIx64 "\n", fnv1a64(fox, strlen(fox)));
    Str enc = {0};
    base64_encode((const uint8_t*)fox, strlen(fox), &enc);
    printf("  base64(fox)   = %s\n", enc.s);
    str_free(&enc);
  }

  section("codec self-test");
  failures += codec_self_test(&rng);

  section("generating the input tree");
  int files = generate_tree("input", &rng, scale);
  printf("  wrote %d files\n", files);
  Node* input = scan_tree("input", "input");
  print_tree(input);
  TreeStats ts = {0};
  tree_stats(input, 0, &ts);
  char size[32];
  printf("  %d files (%d empty), %d directories, depth %d, %s, largest file %s\n", ts.files, ts.empty_files,
         ts.dirs, ts.max_depth, human_size(ts.bytes, size, sizeof size),
         human_size(ts.largest, size + 16, sizeof size - 16));

  section("archiving input -> data.warc");
  Index written = {0};
  CodecStats stats;
  memset(&stats, 0, sizeof stats);
  archive_create("input", input, "data.warc", &written, &stats);
  struct stat st;
  if (stat("data.warc", &st) != 0) die("cannot stat data.warc");
  char pct[32];
  printf("  archive: %s for %s of input (%s)\n", human_size((uint64_t)st.st_size, size, sizeof size),
         human_size(ts.bytes, size + 16, sizeof size - 16), percent((uint64_t)st.st_size, ts.bytes, pct, sizeof pct));
  for (int m = 0; m < 3; ++m)
    printf("  %-5s chosen for %2d files; alone it would give %" PRIu64 " -> %" PRIu64 " bytes (%s)\n",
           kMethodNames[m], stats.chosen[m], stats.in_bytes[m], stats.out_bytes[m],
           percent(stats.out_bytes[m], stats.in_bytes[m], pct, sizeof pct));

  section("archive checksums");
  {
    Buf whole = {0};
    if (read_whole_file("data.warc", &whole) != 0) die("cannot read data.warc");
    char hex[65];
    sha256_hex(whole.data, whole.len, hex);
    printf("  sha256  %s\n  crc32   %08x\n  adler32 %08x\n", hex, crc32_of(whole.data, whole.len),
           adler32_of(whole.data, whole.len));
    printf("  first bytes:\n");
    hexdump(whole.data, whole.len < 48 ? whole.len : 48, 0);
    printf("  trailer:\n");
    hexdump(whole.data + whole.len - TRAILER_SIZE, TRAILER_SIZE, whole.len - TRAILER_SIZE);
    write_manifest("manifest.json", &written, hex, &stats);
    buf_free(&whole);
  }

  section("reading the archive back");
  int fd = -1;
  Index read_back = {0};
  int rc = archive_open("data.warc", &fd, &read_back);
  if (rc != 0) {
    printf("  cannot open the archive: %d\n", rc);
    return 1;
  }
  int index_mismatches = 0;
  if (read_back.count != written.count) ++index_mismatches;
  for (size_t i = 0; i < read_back.count && i < written.count; ++i) {
    const Entry* a = &read_back.entries[i];
    const Entry* b = &written.entries[i];
    if (strcmp(a->path, b->path) || a->size != b->size || a->stored != b->stored || a->offset != b->offset ||
        a->crc != b->crc || a->method != b->method || a->is_dir != b->is_dir)
      ++index_mismatches;
  }
  printf("  %zu entries in the index, %d differ from what was written\n", read_back.count, index_mismatches);
  failures += index_mismatches;
  int bad = archive_extract(fd, &read_back, "output");
  close(fd);
  printf("  extracted into output/: %d bad entries\n", bad);
  failures += bad;

  section("comparing input/ and output/");
  Node* output = scan_tree("output", "output");
  int differences = compare_trees("input", input, "output", output);
  TreeStats os = {0};
  tree_stats(output, 0, &os);
  printf("  output: %d files, %d directories, %" PRIu64 " bytes; %d differences\n", os.files, os.dirs, os.bytes,
         differences);
  failures += differences;

  section("damaged archive");
  {
    /* Flip one byte in the middle of the data and extract again: the CRC
     * (or the decoder) must notice. */
    Buf whole = {0};
    read_whole_file("data.warc", &whole);
    const Entry* victim = NULL;
    for (size_t i = 0; i < read_back.count; ++i)
      if (!read_back.entries[i].is_dir && read_back.entries[i].stored > 100) {
        victim = &read_back.entries[i];
        break;
      }
    if (victim) {
      whole.data[victim->offset + victim->stored / 2] ^= 0x10;
      write_whole_file("damaged.warc", whole.data, whole.len);
      Index dix = {0};
      int dfd = -1;
      if (archive_open("damaged.warc", &dfd, &dix) == 0) {
        int dbad = archive_extract(dfd, &dix, "damaged");
        close(dfd);
        printf("  damaged %s: %d bad entries found\n", victim->path, dbad);
        if (dbad != 1) ++failures;
        index_free(&dix);
      } else {
        printf("  the damaged archive does not open\n");
        ++failures;
      }
    }
    /* A truncated archive has no trailer. */
    write_whole_file("truncated.warc", whole.data, whole.len / 2);
    Index tix = {0};
    int tfd = -1;
    rc = archive_open("truncated.warc", &tfd, &tix);
    printf("  truncated archive: %s (%d)\n", rc ? "rejected" : "accepted?!", rc);
    if (rc == 0) {
      ++failures;
      close(tfd);
      index_free(&tix);
    }
    buf_free(&whole);
  }

  section("manifest.json");
  failures += verify_manifest("manifest.json", &written);

  section("cleaning up");
  const char* created[] = {"input", "output", "damaged", "data.warc", "damaged.warc", "truncated.warc",
                           "manifest.json"};
  for (size_t i = 0; i < sizeof created / sizeof created[0]; ++i) {
    int removed = remove_tree(created[i]);
    printf("  %-15s %d entries removed\n", created[i], removed);
  }
  DIR* d = opendir(".");
  int left = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) ++left;
  closedir(d);
  printf("  entries left in the working directory: %d\n", left);

  free_tree(input);
  free_tree(output);
  index_free(&written);
  index_free(&read_back);
  section(failures == 0 ? "all checks passed" : "FAILURES");
  return failures == 0 ? 0 : 1;
}
