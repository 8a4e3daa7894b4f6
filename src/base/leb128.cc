#include "base/leb128.h"

namespace weft {

LebStatus read_uleb(const uint8_t* p, const uint8_t* end, unsigned bits, uint64_t* out, size_t* len) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    if (p + i >= end) return LebStatus::truncated;
    uint8_t b = p[i];
    if (i == max_bytes - 1) {
      // Bits beyond `bits` in the last byte must be zero, and no continuation.
      if (b & 0x80) return LebStatus::too_long;
      unsigned used = bits - shift;  // bits still representable
      if (used < 7 && (b >> used) != 0) return LebStatus::bad_padding;
    }
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      *out = result;
      *len = i + 1;
      return LebStatus::ok;
    }
  }
  return LebStatus::too_long;
}

LebStatus read_sleb(const uint8_t* p, const uint8_t* end, unsigned bits, int64_t* out, size_t* len) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    if (p + i >= end) return LebStatus::truncated;
    uint8_t b = p[i];
    if (i == max_bytes - 1) {
      if (b & 0x80) return LebStatus::too_long;
      // Remaining high bits (including the sign bit of the value) must all
      // equal the sign bit.
      unsigned used = bits - shift;  // value bits held by this byte, 1..7
      if (used < 7) {
        int8_t sb = static_cast<int8_t>(b << 1) >> 1;  // sign-extend 7 bits
        int8_t top = static_cast<int8_t>(sb >> (used - 1));  // sign and padding
        if (top != 0 && top != -1) return LebStatus::bad_padding;
      }
    }
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
      *out = static_cast<int64_t>(result);
      *len = i + 1;
      return LebStatus::ok;
    }
  }
  return LebStatus::too_long;
}

void write_uleb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}

void write_sleb(std::vector<uint8_t>& out, int64_t v) {
  bool more = true;
  while (more) {
    uint8_t b = v & 0x7f;
    v >>= 7;  // arithmetic shift
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) more = false;
    else b |= 0x80;
    out.push_back(b);
  }
}

}  // namespace weft
