#include "text/numbers.h"

#include <string>
#include <vector>

#include "text/lexer.h"

namespace weft::text {

namespace {

// Arbitrary-precision natural number, just enough for exact decimal to
// binary float conversion. Little-endian 32-bit limbs, no leading zero limbs.
class BigNat {
 public:
  bool is_zero() const { return limbs_.empty(); }

  void mul_add(uint32_t m, uint32_t a) {
    uint64_t carry = a;
    for (uint32_t& l : limbs_) {
      uint64_t v = uint64_t{l} * m + carry;
      l = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    if (carry) limbs_.push_back(static_cast<uint32_t>(carry));
  }

  void mul_pow10(uint64_t n) {
    while (n >= 9) {
      mul_add(1000000000u, 0);
      n -= 9;
    }
    uint32_t m = 1;
    while (n-- > 0) m *= 10;
    mul_add(m, 0);
  }

  void shl(uint64_t bits) {
    if (is_zero() || bits == 0) return;
    size_t words = bits / 32;
    unsigned rem = bits % 32;
    if (rem) {
      uint32_t carry = 0;
      for (uint32_t& l : limbs_) {
        uint32_t next = l >> (32 - rem);
        l = (l << rem) | carry;
        carry = next;
      }
      if (carry) limbs_.push_back(carry);
    }
    limbs_.insert(limbs_.begin(), words, 0u);
  }

  uint64_t bit_length() const {
    if (is_zero()) return 0;
    uint32_t top = limbs_.back();
    unsigned b = 0;
    while (top) {
      ++b;
      top >>= 1;
    }
    return (limbs_.size() - 1) * 32 + b;
  }

  bool bit(uint64_t i) const {
    size_t w = i / 32;
    return w < limbs_.size() && ((limbs_[w] >> (i % 32)) & 1);
  }

  // Any bit in [0, n) set?
  bool any_below(uint64_t n) const {
    for (size_t w = 0; w < limbs_.size() && w * 32 < n; ++w) {
      uint64_t hi = (w + 1) * 32;
      uint32_t mask = hi <= n ? 0xffffffffu : ((1u << (n - w * 32)) - 1);
      if (limbs_[w] & mask) return true;
    }
    return false;
  }

  // The 64 bits starting at bit `lo`.
  uint64_t bits_from(uint64_t lo) const {
    uint64_t v = 0;
    for (unsigned k = 0; k < 64; ++k) {
      if (bit(lo + k)) v |= uint64_t{1} << k;
    }
    return v;
  }

  static int cmp(const BigNat& a, const BigNat& b) {
    if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() < b.limbs_.size() ? -1 : 1;
    for (size_t i = a.limbs_.size(); i-- > 0;) {
      if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
    }
    return 0;
  }

  // *this -= b; requires *this >= b.
  void sub(const BigNat& b) {
    int64_t borrow = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
      int64_t v = int64_t{limbs_[i]} - borrow - (i < b.limbs_.size() ? int64_t{b.limbs_[i]} : 0);
      borrow = v < 0 ? 1 : 0;
      limbs_[i] = static_cast<uint32_t>(v + (borrow << 32));
    }
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }

 private:
  std::vector<uint32_t> limbs_;
};

struct FloatFormat {
  int p;      // significand bits including the implicit one
  int emin;   // minimum normal exponent
  int emax;   // maximum exponent
  int bias;
};
constexpr FloatFormat kF32{24, -126, 127, 127};
constexpr FloatFormat kF64{53, -1022, 1023, 1023};

int clz64(uint64_t v) {
  int n = 0;
  while (!(v & (uint64_t{1} << 63))) {
    v <<= 1;
    ++n;
  }
  return n;
}

// Rounds (q + s) * 2^e, where 0 <= s < 1 is nonzero iff `sticky`, to the
// nearest value of the format (ties to even). Returns range on overflow.
NumStatus round_to_float(uint64_t q, int64_t e, bool sticky, const FloatFormat& f, uint64_t* bits) {
  if (q == 0) {
    *bits = 0;
    return NumStatus::ok;
  }
  int lz = clz64(q);
  q <<= lz;
  e -= lz;
  int64_t lead = 63 + e;  // exponent of the leading bit
  if (lead > f.emax) return NumStatus::range;
  int64_t lsb = lead >= f.emin ? lead - (f.p - 1) : int64_t{f.emin} - (f.p - 1);
  int64_t shift = lsb - e;  // > 0: bits of q below the result's last place
  uint64_t m = 0;
  bool up = false;
  if (shift == 64) {
    uint64_t half = uint64_t{1} << 63;
    up = q > half || (q == half && sticky);
  } else if (shift < 64) {
    m = q >> shift;
    uint64_t rem = q & ((uint64_t{1} << shift) - 1);
    uint64_t half = uint64_t{1} << (shift - 1);
    up = rem > half || (rem == half && (sticky || (m & 1)));
  }
  if (up) ++m;
  if (m == (uint64_t{1} << f.p)) {
    m >>= 1;
    ++lsb;
  }
  uint64_t implicit = uint64_t{1} << (f.p - 1);
  if (m >= implicit) {
    int64_t biased = lsb + (f.p - 1) + f.bias;
    if (biased >= 2 * f.bias + 1) return NumStatus::range;
    *bits = (uint64_t(biased) << (f.p - 1)) | (m & (implicit - 1));
  } else {
    *bits = m;  // subnormal or zero
  }
  return NumStatus::ok;
}

// Digits beyond this many significant ones only matter as "nonzero or not".
constexpr size_t kMaxDigits = 800;

NumStatus decimal_to_float(std::string digits, int64_t exp10, const FloatFormat& f, uint64_t* bits) {
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    *bits = 0;
    return NumStatus::ok;
  }
  digits.erase(0, first);
  if (digits.size() > kMaxDigits) {
    bool nonzero = digits.find_first_not_of('0', kMaxDigits) != std::string::npos;
    exp10 += int64_t(digits.size() - kMaxDigits);
    digits.resize(kMaxDigits);
    if (nonzero) {
      digits.push_back('1');
      exp10 -= 1;
    }
  }
  size_t last = digits.find_last_not_of('0');
  exp10 += int64_t(digits.size() - 1 - last);
  digits.resize(last + 1);
  int64_t n = int64_t(digits.size());
  // value >= 10^(n + exp10 - 1): beyond the largest finite value.
  if (n + exp10 - 1 >= (f.p == 53 ? 309 : 39)) return NumStatus::range;
  // value < 10^(n + exp10): far below half the smallest subnormal.
  if (n + exp10 < -400) {
    *bits = 0;
    return NumStatus::ok;
  }
  BigNat num;
  for (size_t i = 0; i < digits.size(); i += 9) {
    uint32_t chunk = 0, scale = 1;
    for (size_t k = i; k < digits.size() && k < i + 9; ++k) {
      chunk = chunk * 10 + uint32_t(digits[k] - '0');
      scale *= 10;
    }
    num.mul_add(scale, chunk);
  }
  uint64_t q = 0;
  int64_t e = 0;
  bool sticky = false;
  if (exp10 >= 0) {
    num.mul_pow10(uint64_t(exp10));
    uint64_t bl = num.bit_length();
    if (bl <= 64) {
      q = num.bits_from(0);
    } else {
      q = num.bits_from(bl - 64);
      e = int64_t(bl - 64);
      sticky = num.any_below(bl - 64);
    }
  } else {
    BigNat den;
    den.mul_add(1, 1);
    den.mul_pow10(uint64_t(-exp10));
    // Scale so that the quotient has 63 or 64 bits.
    int64_t s = 63 - (int64_t(num.bit_length()) - int64_t(den.bit_length()));
    if (s > 0) num.shl(uint64_t(s));
    else den.shl(uint64_t(-s));
    for (int i = 63; i >= 0; --i) {
      BigNat t = den;
      t.shl(unsigned(i));
      if (BigNat::cmp(num, t) >= 0) {
        num.sub(t);
        q |= uint64_t{1} << i;
      }
    }
    sticky = !num.is_zero();
    e = -s;
  }
  return round_to_float(q, e, sticky, f, bits);
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Parses a decimal exponent (digits and '_'), saturating far beyond any
// exponent that can matter.
int64_t parse_exponent(std::string_view s) {
  bool neg = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] == '_') continue;
    if (v < 1000000000) v = v * 10 + (s[i] - '0');
  }
  return neg ? -v : v;
}

NumStatus parse_float(std::string_view text, const FloatFormat& f, uint64_t* out) {
  Tok kind = classify_number(text);
  if (kind != Tok::float_ && kind != Tok::nat && kind != Tok::int_) return NumStatus::syntax;
  bool neg = false;
  if (text[0] == '+' || text[0] == '-') {
    neg = text[0] == '-';
    text.remove_prefix(1);
  }
  const int total_bits = f.p == 53 ? 64 : 32;
  const uint64_t sign_bit = uint64_t{1} << (total_bits - 1);
  const uint64_t exp_mask = ((uint64_t{1} << (total_bits - f.p)) - 1) << (f.p - 1);
  uint64_t bits = 0;
  if (text == "inf") {
    bits = exp_mask;
  } else if (text == "nan") {
    bits = exp_mask | (uint64_t{1} << (f.p - 2));
  } else if (text.substr(0, 4) == "nan:") {
    uint64_t payload = 0;
    if (parse_nat(text.substr(4), (uint64_t{1} << (f.p - 1)) - 1, &payload) != NumStatus::ok ||
        payload == 0) {
      return NumStatus::range;
    }
    bits = exp_mask | payload;
  } else if (text.substr(0, 2) == "0x") {
    uint64_t q = 0;
    int64_t e = 0;
    bool sticky = false;
    bool frac = false;
    size_t i = 2;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c == '_') continue;
      if (c == '.') {
        frac = true;
        continue;
      }
      if (c == 'p' || c == 'P') break;
      int d = hexval(c);
      if ((q >> 60) == 0) {
        q = q * 16 + uint64_t(d);
        if (frac) e -= 4;
      } else {
        sticky |= d != 0;
        if (!frac) e += 4;
      }
    }
    if (i < text.size()) e += parse_exponent(text.substr(i + 1));
    NumStatus st = round_to_float(q, e, sticky, f, &bits);
    if (st != NumStatus::ok) return st;
  } else {
    std::string digits;
    int64_t exp10 = 0;
    bool frac = false;
    size_t i = 0;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c == '_') continue;
      if (c == '.') {
        frac = true;
        continue;
      }
      if (c == 'e' || c == 'E') break;
      digits.push_back(c);
      if (frac) --exp10;
    }
    if (i < text.size()) exp10 += parse_exponent(text.substr(i + 1));
    NumStatus st = decimal_to_float(std::move(digits), exp10, f, &bits);
    if (st != NumStatus::ok) return st;
  }
  *out = neg ? bits | sign_bit : bits;
  return NumStatus::ok;
}

}  // namespace

NumStatus parse_nat(std::string_view text, uint64_t max, uint64_t* out) {
  if (classify_number(text) != Tok::nat) return NumStatus::syntax;
  bool hex = text.size() > 2 && text[1] == 'x';
  uint64_t base = hex ? 16 : 10;
  uint64_t v = 0;
  for (size_t i = hex ? 2 : 0; i < text.size(); ++i) {
    if (text[i] == '_') continue;
    uint64_t d = uint64_t(hexval(text[i]));
    if (d > max || v > (max - d) / base) return NumStatus::range;
    v = v * base + d;
  }
  *out = v;
  return NumStatus::ok;
}

NumStatus parse_int(std::string_view text, unsigned bits, uint64_t* out) {
  Tok kind = classify_number(text);
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  const uint64_t half = uint64_t{1} << (bits - 1);
  if (kind == Tok::nat) return parse_nat(text, mask, out);
  if (kind != Tok::int_) return NumStatus::syntax;
  bool neg = text[0] == '-';
  uint64_t mag = 0;
  NumStatus st = parse_nat(text.substr(1), neg ? half : half - 1, &mag);
  if (st != NumStatus::ok) return st;
  *out = (neg ? (~mag + 1) : mag) & mask;
  return NumStatus::ok;
}

NumStatus parse_f32(std::string_view text, uint32_t* bits) {
  uint64_t b = 0;
  NumStatus st = parse_float(text, kF32, &b);
  *bits = static_cast<uint32_t>(b);
  return st;
}

NumStatus parse_f64(std::string_view text, uint64_t* bits) {
  return parse_float(text, kF64, bits);
}

}  // namespace weft::text
