#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "text/numbers.h"

namespace weft::text {
namespace {

uint32_t f32(std::string_view s) {
  uint32_t bits = 0;
  EXPECT_EQ(parse_f32(s, &bits), NumStatus::ok) << s;
  return bits;
}

uint64_t f64(std::string_view s) {
  uint64_t bits = 0;
  EXPECT_EQ(parse_f64(s, &bits), NumStatus::ok) << s;
  return bits;
}

NumStatus f32_status(std::string_view s) {
  uint32_t bits;
  return parse_f32(s, &bits);
}

NumStatus f64_status(std::string_view s) {
  uint64_t bits;
  return parse_f64(s, &bits);
}

TEST(TextNumbers, Integers) {
  uint64_t v = 0;
  EXPECT_EQ(parse_int("0xffffffff", 32, &v), NumStatus::ok);
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_EQ(parse_int("-0x80000000", 32, &v), NumStatus::ok);
  EXPECT_EQ(v, 0x80000000u);
  EXPECT_EQ(parse_int("-1", 32, &v), NumStatus::ok);
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_EQ(parse_int("+42", 32, &v), NumStatus::ok);
  EXPECT_EQ(v, 42u);
  EXPECT_EQ(parse_int("1_000_000", 32, &v), NumStatus::ok);
  EXPECT_EQ(v, 1000000u);
  EXPECT_EQ(parse_int("18446744073709551615", 64, &v), NumStatus::ok);
  EXPECT_EQ(v, ~uint64_t{0});
  EXPECT_EQ(parse_int("-9223372036854775808", 64, &v), NumStatus::ok);
  EXPECT_EQ(v, uint64_t{1} << 63);

  EXPECT_EQ(parse_int("4294967296", 32, &v), NumStatus::range);
  EXPECT_EQ(parse_int("-2147483649", 32, &v), NumStatus::range);
  EXPECT_EQ(parse_int("+2147483648", 32, &v), NumStatus::range);  // signed range with '+'
  EXPECT_EQ(parse_int("18446744073709551616", 64, &v), NumStatus::range);
  EXPECT_EQ(parse_int("-9223372036854775809", 64, &v), NumStatus::range);

  EXPECT_EQ(parse_int("1__0", 32, &v), NumStatus::syntax);
  EXPECT_EQ(parse_int("_1", 32, &v), NumStatus::syntax);
  EXPECT_EQ(parse_int("1_", 32, &v), NumStatus::syntax);
  EXPECT_EQ(parse_int("0x", 32, &v), NumStatus::syntax);
  EXPECT_EQ(parse_int("0xg", 32, &v), NumStatus::syntax);
  EXPECT_EQ(parse_int("1.0", 32, &v), NumStatus::syntax);

  EXPECT_EQ(parse_nat("0x1_0000_0000", UINT32_MAX, &v), NumStatus::range);
  EXPECT_EQ(parse_nat("0xffff_ffff", UINT32_MAX, &v), NumStatus::ok);
  EXPECT_EQ(parse_nat("-1", UINT32_MAX, &v), NumStatus::syntax);
}

TEST(TextNumbers, SpecialFloats) {
  EXPECT_EQ(f32("inf"), 0x7f800000u);
  EXPECT_EQ(f32("-inf"), 0xff800000u);
  EXPECT_EQ(f32("nan"), 0x7fc00000u);
  EXPECT_EQ(f32("-nan"), 0xffc00000u);
  EXPECT_EQ(f32("nan:0x1"), 0x7f800001u);
  EXPECT_EQ(f32("nan:0x7f_ffff"), 0x7fffffffu);
  EXPECT_EQ(f32_status("nan:0x80_0000"), NumStatus::range);
  EXPECT_EQ(f32_status("nan:0x0"), NumStatus::range);
  EXPECT_EQ(f32_status("nan:1"), NumStatus::syntax);
  EXPECT_EQ(f64("nan"), 0x7ff8000000000000u);
  EXPECT_EQ(f64("-nan:0xf_ffff_ffff_ffff"), 0xffffffffffffffffu);
  EXPECT_EQ(f64_status("nan:0x10_0000_0000_0000"), NumStatus::range);
  EXPECT_EQ(f64("-0"), 0x8000000000000000u);
  EXPECT_EQ(f32("+0.0"), 0u);
}

TEST(TextNumbers, HexFloatRounding) {
  EXPECT_EQ(f32("0x1p-149"), 0x00000001u);  // smallest subnormal
  EXPECT_EQ(f32("0x1p-150"), 0x00000000u);  // exactly half: ties to even (zero)
  EXPECT_EQ(f32("0x1.000001p-150"), 0x00000001u);
  EXPECT_EQ(f32("0x1.8p-149"), 0x00000002u);  // 1.5 ulp: ties to even
  EXPECT_EQ(f32("0x1.fffffep127"), 0x7f7fffffu);
  EXPECT_EQ(f32("0x1.fffffefffffffffffp127"), 0x7f7fffffu);
  EXPECT_EQ(f32_status("0x1.ffffffp127"), NumStatus::range);  // rounds to 2^128
  EXPECT_EQ(f32_status("0x1p128"), NumStatus::range);
  EXPECT_EQ(f32("0x1.000001p0"), 0x3f800000u);  // tie, even is 1.0
  EXPECT_EQ(f32("0x1.000003p0"), 0x3f800002u);  // tie, even is up
  EXPECT_EQ(f32("0x1.00000100000000000000000000001p0"), 0x3f800001u);
  EXPECT_EQ(f32("0x0.000002p-126"), 0x00000001u);
  EXPECT_EQ(f64("0x1p-1074"), 0x1u);
  EXPECT_EQ(f64("0x1p-1075"), 0x0u);
  EXPECT_EQ(f64("0x1.8p-1074"), 0x2u);
  EXPECT_EQ(f64("0x1.fffffffffffffp1023"), 0x7fefffffffffffffu);
  EXPECT_EQ(f64_status("0x1.fffffffffffff8p1023"), NumStatus::range);
  EXPECT_EQ(f64("0x1.fffffffffffff7ffffffp1023"), 0x7fefffffffffffffu);
  EXPECT_EQ(f64("0x1p+1_0"), 0x4090000000000000u);
  EXPECT_EQ(f64("0x0p+100000000000000"), 0x0u);
  EXPECT_EQ(f64_status("0x1p+100000000000000"), NumStatus::range);
  EXPECT_EQ(f64("0x1p-100000000000000"), 0x0u);
}

TEST(TextNumbers, DecimalFloatRounding) {
  EXPECT_EQ(f32("1"), 0x3f800000u);
  EXPECT_EQ(f32("0.1"), 0x3dcccccdu);
  EXPECT_EQ(f32("1e38"), 0x7e967699u);
  EXPECT_EQ(f32("3.4028234663852886e38"), 0x7f7fffffu);
  // Just below / above the midpoint between the largest float and 2^128.
  EXPECT_EQ(f32("3.4028235677973366e38"), 0x7f7fffffu);
  EXPECT_EQ(f32_status("3.4028235677973367e38"), NumStatus::range);
  EXPECT_EQ(f32_status("1e39"), NumStatus::range);
  // Slightly above the midpoint between 1 and 1+2^-23: rounding through f64
  // would give 1.0 (double rounding); the exact answer rounds up.
  EXPECT_EQ(f32("1.000000059604644775390625000000000001"), 0x3f800001u);
  EXPECT_EQ(f32("1.000000059604644775390625"), 0x3f800000u);  // exact tie: even
  EXPECT_EQ(f32("1.4e-45"), 0x00000001u);
  EXPECT_EQ(f32("7.006492321624085e-46"), 0x00000000u);  // below half the smallest
  EXPECT_EQ(f32("7.006492321624086e-46"), 0x00000001u);
  EXPECT_EQ(f64("4.9406564584124654e-324"), 0x1u);
  EXPECT_EQ(f64("2.4703282292062327e-324"), 0x0u);
  EXPECT_EQ(f64("2.4703282292062328e-324"), 0x1u);
  EXPECT_EQ(f64("1.7976931348623157e308"), 0x7fefffffffffffffu);
  EXPECT_EQ(f64_status("1.7976931348623159e308"), NumStatus::range);
  EXPECT_EQ(f64("0123456789.0123456789e-019"), 0x3dab25ffd636ec12u);
  EXPECT_EQ(f64("1_000.000_1"), 0x408f4000346dc5d6u);
  EXPECT_EQ(f64("1e-100000000000"), 0x0u);
  EXPECT_EQ(f64_status("1e100000000000"), NumStatus::range);
  EXPECT_EQ(f64("0.0e1000000"), 0x0u);
  // Many digits: only their value matters.
  std::string long_digits = "0." + std::string(2000, '0') + "1e2001";
  EXPECT_EQ(f64(long_digits), 0x3ff0000000000000u);
  std::string ones(1500, '1');
  EXPECT_EQ(f64(ones + "e-1499"), f64("1.1111111111111111111111111"));

  EXPECT_EQ(f32_status("1.0e_1"), NumStatus::syntax);
  EXPECT_EQ(f32_status("1._0"), NumStatus::syntax);
  EXPECT_EQ(f32_status(".5"), NumStatus::syntax);
  EXPECT_EQ(f32_status("0x1p"), NumStatus::syntax);
}

// glibc's strtod/strtof round correctly; use them as an oracle.
TEST(TextNumbers, MatchesCorrectlyRoundedOracle) {
  std::mt19937_64 rng(12345);
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
    return s;
  };
  for (int iter = 0; iter < 20000; ++iter) {
    bool is32 = iter % 2 == 0;
    std::string text = digits(1 + int(rng() % 25));
    if (rng() % 2) text += "." + digits(1 + int(rng() % 20));
    int range = is32 ? 50 : 330;
    text += "e" + std::to_string(int(rng() % (2 * range)) - range);
    if (is32) {
      float ref = std::strtof(text.c_str(), nullptr);
      uint32_t bits = 0;
      NumStatus st = parse_f32(text, &bits);
      if (std::isinf(ref)) {
        EXPECT_EQ(st, NumStatus::range) << text;
      } else {
        uint32_t expect;
        std::memcpy(&expect, &ref, 4);
        ASSERT_EQ(st, NumStatus::ok) << text;
        EXPECT_EQ(bits, expect) << text;
      }
    } else {
      double ref = std::strtod(text.c_str(), nullptr);
      uint64_t bits = 0;
      NumStatus st = parse_f64(text, &bits);
      if (std::isinf(ref)) {
        EXPECT_EQ(st, NumStatus::range) << text;
      } else {
        uint64_t expect;
        std::memcpy(&expect, &ref, 8);
        ASSERT_EQ(st, NumStatus::ok) << text;
        EXPECT_EQ(bits, expect) << text;
      }
    }
  }
  const char* hex = "0123456789abcdef";
  for (int iter = 0; iter < 20000; ++iter) {
    bool is32 = iter % 2 == 0;
    std::string text = "0x";
    int n = 1 + int(rng() % 20);
    for (int i = 0; i < n; ++i) text.push_back(hex[rng() % 16]);
    text.push_back('.');
    n = int(rng() % 20);
    for (int i = 0; i < n; ++i) text.push_back(hex[rng() % 16]);
    int range = is32 ? 250 : 2200;
    text += "p" + std::to_string(int(rng() % (2 * range)) - range);
    if (is32) {
      float ref = std::strtof(text.c_str(), nullptr);
      uint32_t bits = 0, expect;
      NumStatus st = parse_f32(text, &bits);
      std::memcpy(&expect, &ref, 4);
      if (std::isinf(ref)) EXPECT_EQ(st, NumStatus::range) << text;
      else EXPECT_EQ(bits, expect) << text;
    } else {
      double ref = std::strtod(text.c_str(), nullptr);
      uint64_t bits = 0, expect;
      NumStatus st = parse_f64(text, &bits);
      std::memcpy(&expect, &ref, 8);
      if (std::isinf(ref)) EXPECT_EQ(st, NumStatus::range) << text;
      else EXPECT_EQ(bits, expect) << text;
    }
  }
}

}  // namespace
}  // namespace weft::text
