// Result forwarding (validate/forward.h): every _ra/_rb/_rx variant is
// reached by some generated function, and each function gives the same
// results and traps with forwarding as without it, over a grid of inputs.
#include <set>
#include <string>
#include <vector>

#include "spec/fused_ops.h"
#include "stacks_util.h"
#include "validate/code_dump.h"
#include "validate/forward.h"

namespace weft::testing {
namespace {

// A test function: its name, parameter and result types (Sig letters I L F D),
// and body.
struct Case {
  std::string name;
  std::string params;
  char result;
  std::string body;
};

const char* wasm_type(char t) {
  switch (t) {
    case 'I': return "i32";
    case 'L': return "i64";
    case 'F': return "f32";
    default: return "f64";
  }
}

// A non-trapping producer of type t applied to `x`: its result is forwarded
// to whatever consumes it next.
std::string produce(char t, const std::string& x) {
  switch (t) {
    case 'I': return "(i32.xor " + x + " (i32.const 0x5a5a5a5a))";
    case 'L': return "(i64.xor " + x + " (i64.const 0x5a5a5a5a))";
    case 'F': return "(f32.neg " + x + ")";
    default: return "(f64.neg " + x + ")";
  }
}

std::string get(int i) { return "(local.get " + std::to_string(i) + ")"; }

std::vector<Case> cases() {
  std::vector<Case> out;
  // A forwarded address within the first page (memory 0 has one).
  const std::string addr = "(i32.and " + produce('I', get(0)) + " (i32.const 0xff))";
  // Simple instructions (typed by their Sig, picked as the forwarding
  // variants are made), each operand forwarded in turn, and their result
  // forwarded to a consumer.
  std::vector<std::pair<Op, std::string>> simple;
#define WEFT_SIMPLE(Name, Sig) simple.emplace_back(Op::Name, Sig);
#define WEFT_OP(Name, Prefix, Code, Text, Imm, Sig) WEFT_BY_SIG_##Sig(WEFT_SIMPLE, WEFT_SIMPLE, Name, #Sig)
#include "spec/opcodes.def"
#undef WEFT_SIMPLE
  for (const auto& [op, sig] : simple) {
    const std::string text(op_info(op).text);
    const char r = sig[0];
    const std::string params = sig.substr(2);
    for (size_t k = 0; k < params.size(); ++k) {
      std::string args;
      for (size_t j = 0; j < params.size(); ++j) args += " " + (j == k ? produce(params[j], get(int(j))) : get(int(j)));
      out.push_back({text + "/" + std::to_string(k), params, r, produce(r, "(" + text + args + ")")});
    }
  }
  // Integer operators with an immediate.
  for (const char* t : {"i32", "i64"}) {
    const char ty = t[1] == '3' ? 'I' : 'L';
    for (const char* o : {"add", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "eq", "ne",
                          "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"}) {
      const bool compare = std::set<std::string>{"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s",
                                                 "ge_u"}.count(o) > 0;
      const std::string e = std::string("(") + t + "." + o + " " + produce(ty, get(0)) + " (" + t + ".const 13))";
      out.push_back({std::string(t) + "." + o + "_imm", std::string(1, ty), compare ? 'I' : ty,
                     produce(compare ? 'I' : ty, e)});
      if (!compare) continue;
      // Compare and branch (through `if`, so each comparison and its negation).
      auto branch = [&](const std::string& cond) {
        return "(if (result i32) " + cond + " (then (i32.const 11)) (else (i32.const 22)))";
      };
      const std::string ty2 = std::string(2, ty);
      out.push_back({std::string("br.") + t + "." + o + "/0", ty2, 'I',
                     branch(std::string("(") + t + "." + o + " " + produce(ty, get(0)) + " " + get(1) + ")")});
      out.push_back({std::string("br.") + t + "." + o + "/1", ty2, 'I',
                     branch(std::string("(") + t + "." + o + " " + get(0) + " " + produce(ty, get(1)) + ")")});
      out.push_back({std::string("br.") + t + "." + o + "_imm", ty2, 'I',
                     branch(std::string("(") + t + "." + o + " " + produce(ty, get(0)) + " (" + t + ".const 13))")});
    }
  }
  // Operators with a shifted operand: the other operand, then the shifted one, forwarded.
  for (const char* t : {"i32", "i64"}) {
    const char ty = t[1] == '3' ? 'I' : 'L';
    for (const char* o : {"add", "xor", "or", "and"})
      for (const char* sh : {"shl", "shr_u", "rotl", "rotr"}) {
        const std::string k = std::string(" (") + t + ".const 7))";
        const std::string name = std::string(t) + "." + o + "_" + sh;
        out.push_back({name + "/0", std::string(2, ty), ty,
                       produce(ty, std::string("(") + t + "." + o + " " + produce(ty, get(0)) + " (" + t + "." + sh + " " + get(1) + k + ")")});
        out.push_back({name + "/1", std::string(2, ty), ty,
                       produce(ty, std::string("(") + t + "." + o + " " + get(0) + " (" + t + "." + sh + " " + produce(ty, get(1)) + k + ")")});
      }
  }
  // Float operators of a loaded value: plain, the other operand forwarded,
  // the address forwarded; sub loads only its second operand, add and mul
  // either.
  for (const char ty : {'F', 'D'}) {
    const std::string t = wasm_type(ty);
    for (const char* o : {"add", "sub", "mul"}) {
      const std::string op = t + "." + o;
      const std::string load = "(" + t + ".load offset=8 " + get(0) + ")";
      const std::string load_p = "(" + t + ".load offset=8 " + addr + ")";
      out.push_back({op + "_load", std::string("I") + ty, ty, produce(ty, "(" + op + " " + get(1) + " " + load + ")")});
      out.push_back({op + "_load/0", std::string("I") + ty, ty, produce(ty, "(" + op + " " + produce(ty, get(1)) + " " + load + ")")});
      out.push_back({op + "_load/1", std::string("I") + ty, ty, produce(ty, "(" + op + " " + get(1) + " " + load_p + ")")});
      if (std::string(o) != "sub")
        out.push_back({op + "_load/swapped", std::string("I") + ty, ty, produce(ty, "(" + op + " " + load + " " + get(1) + ")")});
    }
  }
  // br_if / br_unless on a forwarded condition, and i64.eqz branches.
  out.push_back({"br_if", "I", 'I', "(block $b (br_if $b " + produce('I', get(0)) + ") (return (i32.const 5))) (i32.const 6)"});
  out.push_back({"br_unless", "I", 'I', "(if (result i32) " + produce('I', get(0)) + " (then (i32.const 1)) (else (i32.const 2)))"});
  out.push_back({"br_i64_eqz", "L", 'I', "(block $b (br_if $b (i64.eqz " + produce('L', get(0)) + ")) (return (i32.const 5))) (i32.const 6)"});
  out.push_back({"br_i64_nez", "L", 'I', "(if (result i32) (i64.eqz " + produce('L', get(0)) + ") (then (i32.const 1)) (else (i32.const 2)))"});
  // Multiply-add families.
  for (const char ty : {'F', 'D'}) {
    const std::string t = wasm_type(ty);
    auto mul = [&](int k) {
      return "(" + t + ".mul " + (k == 0 ? produce(ty, get(0)) : get(0)) + " " + (k == 1 ? produce(ty, get(1)) : get(1)) + ")";
    };
    for (int k = 0; k < 2; ++k) {
      out.push_back({t + ".mul_add/" + std::to_string(k), std::string(3, ty), ty, produce(ty, "(" + t + ".add " + mul(k) + " " + get(2) + ")")});
      out.push_back({t + ".mul_sub/" + std::to_string(k), std::string(3, ty), ty, produce(ty, "(" + t + ".sub " + mul(k) + " " + get(2) + ")")});
      out.push_back({t + ".mul_rsub/" + std::to_string(k), std::string(3, ty), ty, produce(ty, "(" + t + ".sub " + get(2) + " " + mul(k) + ")")});
    }
    out.push_back({t + ".mul_add/x", std::string(3, ty), ty, "(" + t + ".add " + produce(ty, get(2)) + " " + mul(2) + ")"});
    out.push_back({t + ".mul_rsub/x", std::string(3, ty), ty, "(" + t + ".sub " + produce(ty, get(2)) + " " + mul(2) + ")"});
  }
  // Memory 0: loads at a forwarded address; stores of a forwarded address or
  // value, read back.
  for (const char* l : {"i32.load", "i64.load", "f32.load", "f64.load", "i32.load8_s", "i32.load8_u", "i32.load16_s",
                        "i32.load16_u", "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s",
                        "i64.load32_u"}) {
    const char ty = l[0] == 'f' ? (l[1] == '3' ? 'F' : 'D') : (l[1] == '3' ? 'I' : 'L');
    out.push_back({l, "I", ty, produce(ty, std::string("(") + l + " offset=8 " + addr + ")")});
  }
  for (const char* s : {"i32.store", "i64.store", "f32.store", "f64.store", "i32.store8", "i32.store16", "i64.store8",
                        "i64.store16", "i64.store32"}) {
    const char ty = s[0] == 'f' ? (s[1] == '3' ? 'F' : 'D') : (s[1] == '3' ? 'I' : 'L');
    out.push_back({std::string(s) + "/0", std::string("I") + ty, 'L',
                   std::string("(") + s + " offset=4 " + addr + " " + get(1) + ") " +
                       "(i64.load offset=4 " + addr + ")"});
    out.push_back({std::string(s) + "/1", std::string("I") + ty, 'L',
                   std::string("(") + s + " offset=4 " + get(0) + " " + produce(ty, get(1)) + ") " +
                       "(i64.load offset=4 " + get(0) + ")"});
  }
  return out;
}

std::string module_text(const std::vector<Case>& cs) {
  std::string m = "(module (memory 1) (data (i32.const 0) \"";
  for (int i = 0; i < 300; ++i) {
    static const char* hex = "0123456789abcdef";
    const int v = (i * 151 + 7) & 0xff;
    m += std::string("\\") + hex[v >> 4] + hex[v & 15];
  }
  m += "\")\n";
  for (size_t i = 0; i < cs.size(); ++i) {
    m += "(func (export \"f" + std::to_string(i) + "\")";
    for (char p : cs[i].params) m += std::string(" (param ") + wasm_type(p) + ")";
    m += std::string(" (result ") + wasm_type(cs[i].result) + ") " + cs[i].body + ")\n";
  }
  return m + ")";
}

// Inputs per type: zero, small, boundary and special values.
std::vector<Value> inputs(char t) {
  switch (t) {
    case 'I': return {Value::i32(0), Value::i32(1), Value::i32(7), Value::i32(32), Value::i32(0x80000000u), Value::i32(0xffffffffu)};
    case 'L': return {Value::i64(0), Value::i64(3), Value::i64(64), Value::i64(1ull << 63), Value::i64(~0ull), Value::i64(0x123456789abcdefull)};
    case 'F': return {Value::f32(0.0f), Value::f32(-0.0f), Value::f32(1.5f), Value::f32(-3e9f), Value::f32_bits(0x7f800000), Value::f32_bits(0x7fc00001)};
    default: return {Value::f64(0.0), Value::f64(-0.0), Value::f64(1.5), Value::f64(-3e19), Value::f64_bits(0x7ff0000000000000ull), Value::f64_bits(0x7ff8000000000001ull)};
  }
}

bool is_nan(char t, uint64_t bits) {
  if (t == 'F') return (bits & 0x7fffffffu) > 0x7f800000u;
  if (t == 'D') return (bits & ~(1ull << 63)) > 0x7ff0000000000000ull;
  return false;
}

struct Loaded : StackWat {
  explicit Loaded(EngineConfig config = {}) : StackWat(config) {}
  std::shared_ptr<const Module> module;
  void load(const std::string& wat, bool forward, bool checks = false) {
    auto bytes = parse_wat(wat);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    auto m = decode_module(std::move(bytes.value()));
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    ASSERT_TRUE(validate_module(h.types(), *m.value(), {.interrupt_checks = checks, .forward_results = forward}).ok());
    module = std::shared_ptr<const Module>(std::move(m.value()));
    auto inst = instantiate(h.store, module, {});
    ASSERT_TRUE(inst.ok()) << inst.error().to_string();
    h.inst = inst.value();
  }
};

TEST(InterpForward, EveryVariantIsReachedAndAgreesWithPlainCode) {
  const std::vector<Case> cs = cases();
  const std::string wat = module_text(cs);
  // `with` also has interrupt checks (fuel): `check` instructions at every
  // function entry and loop header, which the pass must step over.
  EngineConfig fuel;
  fuel.fuel = 1000000000;
  Loaded with(fuel), without;
  with.load(wat, true, true);
  without.load(wat, false);
  ASSERT_TRUE(with.h.inst && without.h.inst);

  // Every forwarding variant occurs in the lowered code; none without forwarding.
  std::string dump, plain;
  for (const CompiledFunc& f : with.module->compiled) dump += dump_code(f);
  EXPECT_NE(dump.find("0: check\n"), std::string::npos);
  for (const CompiledFunc& f : without.module->compiled) plain += dump_code(f);
  for (unsigned i = 0; i < kOpCount; ++i) {
    const Op op = Op(i);
    if (forward_base(op) == op) continue;
    const std::string needle = ": " + std::string(op_info(op).text) + " ";
    EXPECT_NE(dump.find(needle), std::string::npos) << "never generated: " << op_info(op).text;
    EXPECT_EQ(plain.find(needle), std::string::npos) << op_info(op).text;
  }

  // The same results (bit for bit) and the same traps, for every input combination.
  size_t calls = 0;
  for (size_t i = 0; i < cs.size(); ++i) {
    const std::string name = "f" + std::to_string(i);
    std::vector<std::vector<Value>> args{{}};
    for (char p : cs[i].params) {
      std::vector<std::vector<Value>> next;
      for (const auto& prefix : args)
        for (const Value& v : inputs(p)) {
          next.push_back(prefix);
          next.back().push_back(v);
        }
      args = std::move(next);
    }
    for (const auto& a : args) {
      auto r1 = with.h.call(name, a);
      auto r2 = without.h.call(name, a);
      ++calls;
      ASSERT_EQ(r1.ok(), r2.ok()) << cs[i].name;
      if (!r1.ok()) {
        EXPECT_EQ(r1.error().message, r2.error().message) << cs[i].name;
        continue;
      }
      ASSERT_EQ(r1.value().size(), 1u);
      const uint64_t b1 = r1.value()[0].bits, b2 = r2.value()[0].bits;
      // Which input NaN an operator returns, and its sign, may differ with
      // the operand order the compiler chose (the spec leaves it open).
      if (is_nan(cs[i].result, b1) && is_nan(cs[i].result, b2)) continue;
      EXPECT_EQ(b1, b2) << cs[i].name;
    }
  }
  EXPECT_GT(calls, 5000u);
}

}  // namespace
}  // namespace weft::testing
