// Result forwarding (see forward.h). Producers are the handlers that leave
// their result in a forwarding register (interp.cc, fwd_put): simple numeric
// instructions, the _imm and mul_add families, the memory-0 loads, and all
// their variants. f64 values use one register, everything else (i32, i64, f32
// bits) the other, so a consumer is rewritten only when the operand's type
// uses the register the producer wrote.
#include "validate/forward.h"

#include <array>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "spec/fused_ops.h"
#include "validate/code_dump.h"

namespace weft {

namespace {

enum class Reg : uint8_t { none, i, f };

// Which register holds a value of the type named by a Sig letter (I L F D).
constexpr Reg reg_of(char type) { return type == 'D' ? Reg::f : Reg::i; }
// The same for the interpreter's value types named in spec/fused_ops.h.
using I32 = uint32_t;
using I64 = uint64_t;
using F32 = float;
using F64 = double;
template <typename T>
constexpr Reg reg_for() {
  return std::is_same_v<T, F64> ? Reg::f : Reg::i;
}

struct FwdInfo {
  Op base = Op::count_;  // of a variant: the plain instruction
  Reg result = Reg::none;  // of a producer: where its result also goes
  uint8_t n = 0;         // operands that can be forwarded
  std::array<uint8_t, 3> word{};  // their word offsets from the opcode word
  std::array<Reg, 3> reg{};
  std::array<Op, 3> variant{};
};

using Table = std::array<FwdInfo, kOpCount>;

// Registers `op` as a producer into `result` with forwardable operands at
// the given words; each variant is itself a producer.
struct Builder {
  Table& t;
  void producer(Op op, Reg result) { t[size_t(op)].result = result; }
  void operand(Op op, uint8_t word, Reg reg, Op variant) {
    FwdInfo& e = t[size_t(op)];
    e.word[e.n] = word;
    e.reg[e.n] = reg;
    e.variant[e.n] = variant;
    ++e.n;
    t[size_t(variant)].base = op;
    t[size_t(variant)].result = e.result;
  }
};

Table build() {
  Table t;
  Builder b{t};
  const Reg I = Reg::i;
  // Simple instructions: dst a (b); the Sig string ("D_DD") gives the types.
#define WEFT_FWD_UN(Name, Sig)                    \
  b.producer(Op::Name, reg_of(Sig[0]));           \
  b.operand(Op::Name, 2, reg_of(Sig[2]), Op::Name##_ra);
#define WEFT_FWD_BIN(Name, Sig)                   \
  b.producer(Op::Name, reg_of(Sig[0]));           \
  b.operand(Op::Name, 2, reg_of(Sig[2]), Op::Name##_ra); \
  b.operand(Op::Name, 3, reg_of(Sig[3]), Op::Name##_rb);
#define WEFT_OP(Name, Prefix, Code, Text, Imm, Sig) WEFT_BY_SIG_##Sig(WEFT_FWD_UN, WEFT_FWD_BIN, Name, #Sig)
#include "spec/opcodes.def"
#undef WEFT_FWD_UN
#undef WEFT_FWD_BIN
  // dst a imm
#define WEFT_FWD_IMM(name)                                        \
  b.producer(Op::i32_##name##_imm, I);                            \
  b.operand(Op::i32_##name##_imm, 2, I, Op::i32_##name##_imm_ra); \
  b.producer(Op::i64_##name##_imm, I);                            \
  b.operand(Op::i64_##name##_imm, 2, I, Op::i64_##name##_imm_ra);
  WEFT_INT_IMM_ARITH(WEFT_FWD_IMM)
  WEFT_INT_COMPARES(WEFT_FWD_IMM)
#undef WEFT_FWD_IMM
  // dst a b imm
#define WEFT_FWD_SHIFT(op, sh)                                                  \
  b.producer(Op::i32_##op##_##sh, I);                                           \
  b.operand(Op::i32_##op##_##sh, 2, I, Op::i32_##op##_##sh##_ra);               \
  b.operand(Op::i32_##op##_##sh, 3, I, Op::i32_##op##_##sh##_rb);               \
  b.producer(Op::i64_##op##_##sh, I);                                           \
  b.operand(Op::i64_##op##_##sh, 2, I, Op::i64_##op##_##sh##_ra);               \
  b.operand(Op::i64_##op##_##sh, 3, I, Op::i64_##op##_##sh##_rb);
  WEFT_INT_SHIFT_FUSED(WEFT_FWD_SHIFT)
#undef WEFT_FWD_SHIFT
  // dst x a imm off
#define WEFT_FWD_LOADOP(t, T, op)                                              \
  b.producer(Op::t##_##op##_load, reg_for<T>());                               \
  b.operand(Op::t##_##op##_load, 2, reg_for<T>(), Op::t##_##op##_load_ra);     \
  b.operand(Op::t##_##op##_load, 3, I, Op::t##_##op##_load_rb);
  WEFT_FLOAT_LOAD_FUSED(WEFT_FWD_LOADOP)
#undef WEFT_FWD_LOADOP
  // a b target, a imm target
#define WEFT_FWD_BR(name)                                                   \
  b.operand(Op::br_i32_##name, 1, I, Op::br_i32_##name##_ra);               \
  b.operand(Op::br_i32_##name, 2, I, Op::br_i32_##name##_rb);               \
  b.operand(Op::br_i64_##name, 1, I, Op::br_i64_##name##_ra);               \
  b.operand(Op::br_i64_##name, 2, I, Op::br_i64_##name##_rb);               \
  b.operand(Op::br_i32_##name##_imm, 1, I, Op::br_i32_##name##_imm_ra);     \
  b.operand(Op::br_i64_##name##_imm, 1, I, Op::br_i64_##name##_imm_ra);
  WEFT_INT_COMPARES(WEFT_FWD_BR)
#undef WEFT_FWD_BR
  // dst a b x
#define WEFT_FWD_MUL2(op, r)                        \
  b.producer(Op::op, r);                            \
  b.operand(Op::op, 2, r, Op::op##_ra);             \
  b.operand(Op::op, 3, r, Op::op##_rb);
#define WEFT_FWD_MUL(t, T)                                  \
  WEFT_FWD_MUL2(t##_mul_add, reg_for<T>())                  \
  b.operand(Op::t##_mul_add, 4, reg_for<T>(), Op::t##_mul_add_rx); \
  WEFT_FWD_MUL2(t##_mul_sub, reg_for<T>())                  \
  WEFT_FWD_MUL2(t##_mul_rsub, reg_for<T>())                 \
  b.operand(Op::t##_mul_rsub, 4, reg_for<T>(), Op::t##_mul_rsub_rx);
  WEFT_FLOAT_MUL_FUSED(WEFT_FWD_MUL)
#undef WEFT_FWD_MUL
#undef WEFT_FWD_MUL2
  // Loads: dst a imm off, dst a b off. Stores: a imm val off.
#define WEFT_FWD_LOAD(name, T, Out)                        \
  b.producer(Op::name##_ri, reg_for<Out>()); \
  b.producer(Op::name##_rr, reg_for<Out>()); \
  b.operand(Op::name##_ri, 2, I, Op::name##_ri_ra);
#define WEFT_FWD_STORE(name, T, V)                          \
  b.operand(Op::name##_ri, 1, I, Op::name##_ri_ra);          \
  b.operand(Op::name##_ri, 3, reg_for<V>(), Op::name##_ri_rb);
  WEFT_LOADS(WEFT_FWD_LOAD)
  WEFT_STORES(WEFT_FWD_STORE)
#undef WEFT_FWD_LOAD
#undef WEFT_FWD_STORE
  b.operand(Op::br_if, 1, I, Op::br_if_ra);
  b.operand(Op::br_unless, 1, I, Op::br_unless_ra);
  b.operand(Op::br_i64_eqz, 1, I, Op::br_i64_eqz_ra);
  b.operand(Op::br_i64_nez, 1, I, Op::br_i64_nez_ra);
  return t;
}

const Table& table() {
  static const Table t = build();
  return t;
}

// Word offsets of every instruction in `code`, and which offsets something
// may jump to (branch targets, br_table and resume clause targets, handlers).
void scan(const CompiledFunc& f, std::vector<uint32_t>* starts, std::vector<bool>* target) {
  const std::vector<uint32_t>& c = f.code;
  target->assign(c.size() + 1, false);
  // Words past the end would mean a format out of step with the code: the
  // index is checked, and tests/unit/interp_forward_test.cc would fail.
  auto mark = [&](uint32_t w) {
    if (w < target->size()) (*target)[w] = true;
  };
  for (const HandlerEntry& h : f.handlers) mark(h.target);
  for (size_t pc = 0; pc < c.size();) {
    starts->push_back(uint32_t(pc));
    pc = visit_operands(c, pc, [&](char kind, size_t at) {
      if (kind == 'T') mark(c[at]);
      if (kind == 'C' && c[at + 1] != kSwitchClause) mark(c[at + 1]);
    });
  }
}

}  // namespace

Op forward_base(Op op) {
  const Op b = table()[size_t(op)].base;
  return b == Op::count_ ? op : b;
}

void forward_results(CompiledFunc& f) {
  const Table& t = table();
  std::vector<uint32_t> starts;
  std::vector<bool> target;
  scan(f, &starts, &target);
  std::vector<uint32_t>& c = f.code;
  for (size_t k = 1; k < starts.size(); ++k) {
    const uint32_t at = starts[k];
    if (target[at]) continue;
    const FwdInfo& prev = t[c[starts[k - 1]]];
    if (prev.result == Reg::none) continue;
    const uint32_t dst = c[starts[k - 1] + 1];  // every producer's first operand
    const FwdInfo& e = t[c[at]];
    for (uint8_t i = 0; i < e.n; ++i) {
      if (e.reg[i] == prev.result && c[at + e.word[i]] == dst) {
        c[at] = uint32_t(e.variant[i]);
        break;
      }
    }
  }
}

}  // namespace weft
