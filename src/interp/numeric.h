// Wasm numeric operators with the exact semantics of the spec (exec/numerics):
// traps are reported as a message (nullptr = no trap), float results follow
// the NaN propagation rules, sign operations work on bits.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace weft::num {

// ---- bit casts ----------------------------------------------------------
inline float f32_of(uint32_t b) { return std::bit_cast<float>(b); }
inline double f64_of(uint64_t b) { return std::bit_cast<double>(b); }
inline uint32_t bits_of(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t bits_of(double d) { return std::bit_cast<uint64_t>(d); }

template <typename F>
using Bits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;
template <typename F>
constexpr Bits<F> kSignBit = Bits<F>(1) << (sizeof(F) * 8 - 1);

inline constexpr const char* kDivByZero = "integer divide by zero";
inline constexpr const char* kIntOverflow = "integer overflow";
inline constexpr const char* kInvalidConversion = "invalid conversion to integer";

// ---- integer ------------------------------------------------------------
template <typename U>
inline U shl(U a, U b) { return a << (b & (sizeof(U) * 8 - 1)); }
template <typename U>
inline U shr_u(U a, U b) { return a >> (b & (sizeof(U) * 8 - 1)); }
template <typename U>
inline U shr_s(U a, U b) {
  using S = std::make_signed_t<U>;
  return U(S(a) >> (b & (sizeof(U) * 8 - 1)));
}
template <typename U>
inline U rotl(U a, U b) { return std::rotl(a, int(b & (sizeof(U) * 8 - 1))); }
template <typename U>
inline U rotr(U a, U b) { return std::rotr(a, int(b & (sizeof(U) * 8 - 1))); }

// Division: writes the result to *out or returns the trap message.
template <typename U>
inline const char* div_s(U a, U b, U* out) {
  using S = std::make_signed_t<U>;
  if (b == 0) return kDivByZero;
  if (S(a) == std::numeric_limits<S>::min() && S(b) == -1) return kIntOverflow;
  *out = U(S(a) / S(b));
  return nullptr;
}
template <typename U>
inline const char* div_u(U a, U b, U* out) {
  if (b == 0) return kDivByZero;
  *out = a / b;
  return nullptr;
}
template <typename U>
inline const char* rem_s(U a, U b, U* out) {
  using S = std::make_signed_t<U>;
  if (b == 0) return kDivByZero;
  // INT_MIN % -1 is 0 in Wasm (and undefined behaviour in C++).
  *out = S(b) == -1 ? 0 : U(S(a) % S(b));
  return nullptr;
}
template <typename U>
inline const char* rem_u(U a, U b, U* out) {
  if (b == 0) return kDivByZero;
  *out = a % b;
  return nullptr;
}

// ---- float: sign operations on bits --------------------------------------
template <typename F>
inline F fabs_(F a) { return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(a) & ~kSignBit<F>)); }
template <typename F>
inline F fneg(F a) { return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(a) ^ kSignBit<F>)); }
template <typename F>
inline F fcopysign(F a, F b) {
  Bits<F> r = (std::bit_cast<Bits<F>>(a) & ~kSignBit<F>) | (std::bit_cast<Bits<F>>(b) & kSignBit<F>);
  return std::bit_cast<F>(r);
}

// ---- float: min / max -----------------------------------------------------
// A NaN operand makes the result a NaN derived from the operands (adding them
// quiets it: canonical stays canonical, anything else becomes arithmetic);
// -0 is smaller than +0.
template <typename F>
inline F fmin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(a) | std::bit_cast<Bits<F>>(b)));
  return a < b ? a : b;
}
template <typename F>
inline F fmax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::bit_cast<F>(Bits<F>(std::bit_cast<Bits<F>>(a) & std::bit_cast<Bits<F>>(b)));
  return a > b ? a : b;
}

// ---- float: rounding ------------------------------------------------------
// The C library functions keep the sign of zero; nearbyint rounds ties to
// even in the default rounding mode, which Wasm never changes. NaNs are
// quieted explicitly: libm may return a signalling NaN input unchanged.
template <typename F>
inline F quiet(F a) { return a + a; }
inline float fceil(float a) { return std::isnan(a) ? quiet(a) : std::ceil(a); }
inline double fceil(double a) { return std::isnan(a) ? quiet(a) : std::ceil(a); }
inline float ffloor(float a) { return std::isnan(a) ? quiet(a) : std::floor(a); }
inline double ffloor(double a) { return std::isnan(a) ? quiet(a) : std::floor(a); }
inline float ftrunc(float a) { return std::isnan(a) ? quiet(a) : std::trunc(a); }
inline double ftrunc(double a) { return std::isnan(a) ? quiet(a) : std::trunc(a); }
inline float fnearest(float a) { return std::isnan(a) ? quiet(a) : std::nearbyint(a); }
inline double fnearest(double a) { return std::isnan(a) ? quiet(a) : std::nearbyint(a); }
inline float fsqrt(float a) { return std::sqrt(a); }
inline double fsqrt(double a) { return std::sqrt(a); }

// ---- float -> int truncation ---------------------------------------------
// The range of F values whose truncation fits in I: lo < x < hi, with both
// bounds exactly representable in F (powers of two, or -2^(n-1) - 1 for i32
// from f64, which is exact there).
template <typename I, typename F>
struct TruncRange;
template <> struct TruncRange<int32_t, float> { static constexpr float lo = -2147483904.0f; static constexpr float hi = 2147483648.0f; };
template <> struct TruncRange<uint32_t, float> { static constexpr float lo = -1.0f; static constexpr float hi = 4294967296.0f; };
template <> struct TruncRange<int32_t, double> { static constexpr double lo = -2147483649.0; static constexpr double hi = 2147483648.0; };
template <> struct TruncRange<uint32_t, double> { static constexpr double lo = -1.0; static constexpr double hi = 4294967296.0; };
template <> struct TruncRange<int64_t, float> { static constexpr float lo = -9223373136366403584.0f; static constexpr float hi = 9223372036854775808.0f; };
template <> struct TruncRange<uint64_t, float> { static constexpr float lo = -1.0f; static constexpr float hi = 18446744073709551616.0f; };
template <> struct TruncRange<int64_t, double> { static constexpr double lo = -9223372036854777856.0; static constexpr double hi = 9223372036854775808.0; };
template <> struct TruncRange<uint64_t, double> { static constexpr double lo = -1.0; static constexpr double hi = 18446744073709551616.0; };

// For int32 from float the exclusive lower bound -2^31 - 1 is not a float; the
// nearest float below -2^31 (-2^31 - 256) works as well, since no float lies
// between. Likewise for the 64-bit bounds.

template <typename I, typename F>
inline const char* trunc(F x, I* out) {
  if (std::isnan(x)) return kInvalidConversion;
  if (!(x > TruncRange<I, F>::lo && x < TruncRange<I, F>::hi)) return kIntOverflow;
  *out = static_cast<I>(x);
  return nullptr;
}

template <typename I, typename F>
inline I trunc_sat(F x) {
  if (std::isnan(x)) return 0;
  if (!(x > TruncRange<I, F>::lo)) return std::numeric_limits<I>::min();
  if (!(x < TruncRange<I, F>::hi)) return std::numeric_limits<I>::max();
  return static_cast<I>(x);
}

// ---- int -> float conversion ----------------------------------------------
// C++ integer-to-floating conversions round to nearest-even on IEEE targets
// (GCC and Clang emit correctly rounded code for unsigned 64-bit sources
// too). u64_to_f32 is spelled out anyway so that it never goes through double
// (double rounding).
inline float u64_to_f32(uint64_t v) {
  if (v < (uint64_t(1) << 63)) return static_cast<float>(static_cast<int64_t>(v));
  // Halve with a sticky bit so the final rounding sees every dropped bit.
  uint64_t half = (v >> 1) | (v & 1);
  float f = static_cast<float>(static_cast<int64_t>(half));
  return f + f;
}
inline double u64_to_f64(uint64_t v) {
  if (v < (uint64_t(1) << 63)) return static_cast<double>(static_cast<int64_t>(v));
  uint64_t half = (v >> 1) | (v & 1);
  double d = static_cast<double>(static_cast<int64_t>(half));
  return d + d;
}

// Named integer operators for the fused instructions (spec/fused_ops.h):
// op_<name>(a, b) on unsigned U.
template <typename U> inline U op_add(U a, U b) { return a + b; }
template <typename U> inline U op_mul(U a, U b) { return a * b; }
template <typename U> inline U op_sub(U a, U b) { return a - b; }
template <typename U> inline U op_and(U a, U b) { return a & b; }
template <typename U> inline U op_or(U a, U b) { return a | b; }
template <typename U> inline U op_xor(U a, U b) { return a ^ b; }
template <typename U> inline U op_shl(U a, U b) { return shl(a, b); }
template <typename U> inline U op_shr_s(U a, U b) { return shr_s(a, b); }
template <typename U> inline U op_shr_u(U a, U b) { return shr_u(a, b); }
template <typename U> inline U op_rotl(U a, U b) { return rotl(a, b); }
template <typename U> inline U op_rotr(U a, U b) { return rotr(a, b); }
template <typename U> inline bool op_eq(U a, U b) { return a == b; }
template <typename U> inline bool op_ne(U a, U b) { return a != b; }
template <typename U> inline bool op_lt_u(U a, U b) { return a < b; }
template <typename U> inline bool op_gt_u(U a, U b) { return a > b; }
template <typename U> inline bool op_le_u(U a, U b) { return a <= b; }
template <typename U> inline bool op_ge_u(U a, U b) { return a >= b; }
template <typename U> inline bool op_lt_s(U a, U b) { return std::make_signed_t<U>(a) < std::make_signed_t<U>(b); }
template <typename U> inline bool op_gt_s(U a, U b) { return std::make_signed_t<U>(a) > std::make_signed_t<U>(b); }
template <typename U> inline bool op_le_s(U a, U b) { return std::make_signed_t<U>(a) <= std::make_signed_t<U>(b); }
template <typename U> inline bool op_ge_s(U a, U b) { return std::make_signed_t<U>(a) >= std::make_signed_t<U>(b); }

}  // namespace weft::num
