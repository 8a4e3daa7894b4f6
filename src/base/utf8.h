#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace weft {

// True iff [p, p+n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(const uint8_t* p, size_t n);
inline bool is_valid_utf8(const std::string& s) {
  return is_valid_utf8(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
// Appends the UTF-8 encoding of code point cp (cp must be a scalar value).
void append_utf8(std::string& out, uint32_t cp);

}  // namespace weft
