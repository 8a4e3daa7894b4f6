// Helpers for hand-assembling binary modules in the binary_* unit tests.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "base/leb128.h"

namespace weft::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes u32(uint64_t v) {
  Bytes out;
  write_uleb(out, v);
  return out;
}

inline Bytes s64(int64_t v) {
  Bytes out;
  write_sleb(out, v);
  return out;
}

inline Bytes str(const std::string& s) { return cat({u32(s.size()), Bytes(s.begin(), s.end())}); }

// vec(items): a count then the concatenated items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = u32(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline Bytes section(uint8_t id, const Bytes& contents) { return cat({Bytes{id}, u32(contents.size()), contents}); }

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A code section entry: locals (already encoded as vec) and body bytes.
inline Bytes code_entry(const Bytes& locals, const Bytes& body) {
  Bytes f = cat({locals, body});
  return cat({u32(f.size()), f});
}

}  // namespace weft::test
