#include "runtime/value.h"

#include <charconv>
#include <cinttypes>
#include <cstdio>

namespace weft {

namespace {

// Shortest round-trip decimal, or nan/inf spelled as in the text format.
template <typename F, typename Bits>
std::string format_float(Bits bits) {
  constexpr int kMantBits = sizeof(F) == 4 ? 23 : 52;
  constexpr Bits kExpMask = sizeof(F) == 4 ? Bits(0xff) : Bits(0x7ff);
  const bool neg = bits >> (sizeof(F) * 8 - 1);
  const Bits exp = (bits >> kMantBits) & kExpMask;
  const Bits mant = bits & ((Bits(1) << kMantBits) - 1);
  std::string sign = neg ? "-" : "";
  if (exp == kExpMask) {
    if (mant == 0) return sign + "inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "nan:0x%" PRIx64, uint64_t(mant));
    return sign + buf;
  }
  F f;
  std::memcpy(&f, &bits, sizeof f);
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  return std::string(buf, r.ptr);
}

}  // namespace

std::string format_value(const Value& v) {
  switch (v.type.kind) {
    case ValKind::i32:
      return std::to_string(int32_t(uint32_t(v.bits))) + " : i32";
    case ValKind::i64:
      return std::to_string(int64_t(v.bits)) + " : i64";
    case ValKind::f32:
      return format_float<float>(uint32_t(v.bits)) + " : f32";
    case ValKind::f64:
      return format_float<double>(v.bits) + " : f64";
    case ValKind::ref: {
      std::string t = to_string(v.type);
      if (v.bits == kNullRef) return "null : " + t;
      if (is_host_ref(v.bits)) return "ref.extern " + std::to_string(host_ref_payload(v.bits)) + " : " + t;
      return "ref : " + t;
    }
    default:
      return "? : " + to_string(v.type);
  }
}

}  // namespace weft
