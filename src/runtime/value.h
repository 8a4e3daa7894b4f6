// Runtime values. Inside the interpreter every value is one 64-bit slot
// (interp/code.h); at the embedding API a Value pairs the slot with its type.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "spec/types.h"

namespace weft {

// A reference is a 64-bit word: 0 is null; otherwise a pointer to a runtime
// object (Function, Exception, ...; 8-byte aligned, low bits 00), or a tagged
// host reference (low bits 10) whose payload is the host's number, as made by
// the script format's (ref.extern N) and (ref.host N).
using Ref = uint64_t;
constexpr Ref kNullRef = 0;

inline Ref make_host_ref(uint64_t n) { return (n << 2) | 2; }
inline bool is_host_ref(Ref r) { return (r & 3) == 2; }
inline uint64_t host_ref_payload(Ref r) { return r >> 2; }

struct Value {
  ValType type;
  uint64_t bits = 0;  // i32: low 32 bits; f32: bits in low 32; refs: a Ref

  static Value i32(uint32_t v) { return {ValType::i32(), v}; }
  static Value i64(uint64_t v) { return {ValType::i64(), v}; }
  static Value f32_bits(uint32_t b) { return {ValType::f32(), b}; }
  static Value f64_bits(uint64_t b) { return {ValType::f64(), b}; }
  static Value f32(float f) { uint32_t b; std::memcpy(&b, &f, 4); return f32_bits(b); }
  static Value f64(double d) { uint64_t b; std::memcpy(&b, &d, 8); return f64_bits(b); }
  static Value ref(ValType t, Ref r) { return {t, r}; }

  uint32_t as_u32() const { return uint32_t(bits); }
  uint64_t as_u64() const { return bits; }
  float as_f32() const { float f; uint32_t b = uint32_t(bits); std::memcpy(&f, &b, 4); return f; }
  double as_f64() const { double d; std::memcpy(&d, &bits, 8); return d; }
};

// "42 : i32" style, as the reference interpreter prints values.
std::string format_value(const Value& v);

}  // namespace weft
