// Conversion of text-format number literals (text/values.rst) to values.
// Floats are rounded exactly (round to nearest, ties to even) from the
// literal's decimal or hexadecimal value, directly to the target width.
#pragma once

#include <cstdint>
#include <string_view>

namespace weft::text {

enum class NumStatus : uint8_t {
  ok,
  syntax,  // the text does not follow the literal's grammar
  range,   // well-formed, but not representable ("constant out of range")
};

// uN: decimal or 0x hex digits (with single '_' separators), value <= max.
NumStatus parse_nat(std::string_view text, uint64_t max, uint64_t* out);
// iN (N = 32 or 64): an unsigned literal < 2^N or a signed one in
// [-2^(N-1), 2^(N-1)); the result is the N-bit two's complement pattern.
NumStatus parse_int(std::string_view text, unsigned bits, uint64_t* out);
// fN: decimal or hex float, inf, nan, nan:0x<payload>, optionally signed.
NumStatus parse_f32(std::string_view text, uint32_t* bits);
NumStatus parse_f64(std::string_view text, uint64_t* bits);

}  // namespace weft::text
