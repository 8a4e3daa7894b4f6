// LEB128 decoding with the exact rules of the Wasm binary format: at most
// ceil(N/7) bytes, and unused bits of the last byte must be a sign/zero extension.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft {

enum class LebStatus : uint8_t { ok, truncated, too_long, bad_padding };

// Decodes an unsigned LEB128 of at most `bits` bits from [p, end). On ok,
// *out is the value and *len the bytes consumed.
LebStatus read_uleb(const uint8_t* p, const uint8_t* end, unsigned bits, uint64_t* out, size_t* len);
// Signed variant; `bits` is 7..64 (s33 for heap/block types uses bits=33).
LebStatus read_sleb(const uint8_t* p, const uint8_t* end, unsigned bits, int64_t* out, size_t* len);

void write_uleb(std::vector<uint8_t>& out, uint64_t v);
void write_sleb(std::vector<uint8_t>& out, int64_t v);

}  // namespace weft
