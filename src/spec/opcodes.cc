#include "spec/opcodes.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace weft {

namespace {

constexpr OpInfo kOpInfo[] = {
#define WEFT_OP(Name, Prefix, Code, Text, Imm, Sg) {Text, Prefix, Code, ImmKind::Imm, Sig::Sg},
#include "spec/opcodes.def"
#define WEFT_INTERNAL(Name, Text) {Text, 0xFF, 0, ImmKind::none, Sig::special},
#include "spec/internal_ops.def"
};
static_assert(sizeof(kOpInfo) / sizeof(kOpInfo[0]) == kOpCount);

struct Tables {
  std::array<int16_t, 256> single{};
  std::unordered_map<uint32_t, Op> prefixed;  // (prefix << 24) | code
  std::unordered_map<std::string_view, Op> by_text;
  Tables() {
    single.fill(-1);
    for (unsigned i = 0; i < kOpCount; ++i) {
      const OpInfo& info = kOpInfo[i];
      Op op = static_cast<Op>(i);
      if (info.prefix == 0xFF) continue;
      if (info.prefix == 0) single[info.code] = static_cast<int16_t>(i);
      else prefixed.emplace((uint32_t{info.prefix} << 24) | info.code, op);
      by_text.emplace(info.text, op);  // keeps the first of a shared name
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

const OpInfo& op_info(Op op) { return kOpInfo[static_cast<unsigned>(op)]; }

bool op_from_binary(uint8_t prefix, uint32_t code, Op* out) {
  const Tables& t = tables();
  if (prefix == 0) {
    if (code > 0xff || t.single[code] < 0) return false;
    *out = static_cast<Op>(t.single[code]);
    return true;
  }
  if (code > 0xffffff) return false;
  auto it = t.prefixed.find((uint32_t{prefix} << 24) | code);
  if (it == t.prefixed.end()) return false;
  *out = it->second;
  return true;
}

bool op_from_text(std::string_view name, Op* out) {
  const Tables& t = tables();
  auto it = t.by_text.find(name);
  if (it == t.by_text.end()) return false;
  *out = it->second;
  return true;
}

}  // namespace weft
