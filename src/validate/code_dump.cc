#include "validate/code_dump.h"

#include "validate/forward.h"

namespace weft {

const char* operand_format(Op op) {
  if (const Op base = forward_base(op); base != op) return operand_format(base);
  switch (op) {
    case Op::const32: return "SU";
    case Op::const64: return "SK";
    case Op::copy: return "SS";
    case Op::memory_size: return "SU";
    case Op::memory_grow: return "SSU";
    case Op::memory_fill: return "USSS";
    case Op::memory_copy:
    case Op::memory_init:
    case Op::table_copy:
    case Op::table_init: return "UUSSS";
    case Op::data_drop:
    case Op::elem_drop: return "U";
    case Op::table_get: return "SSU";
    case Op::table_set: return "USS";
    case Op::table_size: return "SU";
    case Op::table_grow: return "SSSU";
    case Op::table_fill: return "USSS";
    case Op::global_get: return "SU";
    case Op::global_set: return "US";
    case Op::select:
    case Op::select_t: return "SSSS";
    case Op::ref_null:
    case Op::ref_as_non_null:
    case Op::throw_ref:
    case Op::return_: return "S";
    case Op::ref_is_null: return "SS";
    case Op::ref_func: return "SU";
    case Op::ref_eq: return "SSS";
    case Op::ref_test:
    case Op::ref_test_null: return "SSU";
    case Op::ref_cast:
    case Op::ref_cast_null: return "SU";
    case Op::br_on_cast:
    case Op::br_on_cast_fail: return "SUUT";
    case Op::unreachable:
    case Op::check:
    case Op::segment_return: return "";
    case Op::br: return "T";
    case Op::br_if:
    case Op::br_unless:
    case Op::br_on_null:
    case Op::br_on_non_null: return "ST";
    case Op::br_table: return "SU";
    case Op::call:
    case Op::return_call:
    case Op::throw_: return "US";
    case Op::call_indirect:
    case Op::return_call_indirect: return "UUSS";
    case Op::call_ref:
    case Op::return_call_ref: return "SS";
    case Op::cont_new: return "SS";
    case Op::cont_bind: return "SSU";
    case Op::suspend: return "US";
    case Op::switch_: return "USSU";
    case Op::resume:
    case Op::resume_throw: return "SSUU";  // then the handler clauses
    case Op::resume_throw_ref: return "SSSU";
    case Op::br_i64_eqz:
    case Op::br_i64_nez: return "ST";
#define WEFT_IMM_CASE(name) case Op::i32_##name##_imm: case Op::i64_##name##_imm:
    WEFT_INT_IMM_ARITH(WEFT_IMM_CASE)
    WEFT_INT_COMPARES(WEFT_IMM_CASE) return "SSU";
#undef WEFT_IMM_CASE
#define WEFT_MEM_CASE(name, ...) case Op::name##_ri:
    WEFT_LOADS(WEFT_MEM_CASE) return "SSUU";  // dst a imm off
    WEFT_STORES(WEFT_MEM_CASE) return "SUSU";  // a imm val off
#undef WEFT_MEM_CASE
#define WEFT_MEM_CASE(name, ...) case Op::name##_rr:
    WEFT_LOADS(WEFT_MEM_CASE) return "SSSU";  // dst a b off
    WEFT_STORES(WEFT_MEM_CASE) return "SSSU";  // a b val off
#undef WEFT_MEM_CASE
#define WEFT_LOADOP_CASE(t, T, op) case Op::t##_##op##_load:
    WEFT_FLOAT_LOAD_FUSED(WEFT_LOADOP_CASE) return "SSSUU";  // dst x a imm off
#undef WEFT_LOADOP_CASE
#define WEFT_SHIFT_CASE(op, sh) case Op::i32_##op##_##sh: case Op::i64_##op##_##sh:
    WEFT_INT_SHIFT_FUSED(WEFT_SHIFT_CASE) return "SSSU";
#undef WEFT_SHIFT_CASE
#define WEFT_MUL_CASE(t, T) case Op::t##_mul_add: case Op::t##_mul_sub: case Op::t##_mul_rsub:
    WEFT_FLOAT_MUL_FUSED(WEFT_MUL_CASE) return "SSSS";
#undef WEFT_MUL_CASE
#define WEFT_BR_CASE(name) case Op::br_i32_##name: case Op::br_i64_##name:
    WEFT_INT_COMPARES(WEFT_BR_CASE) return "SST";
#undef WEFT_BR_CASE
#define WEFT_BR_CASE(name) case Op::br_i32_##name##_imm: case Op::br_i64_##name##_imm:
    WEFT_INT_COMPARES(WEFT_BR_CASE) return "SUT";
#undef WEFT_BR_CASE
    default: break;
  }
  const OpInfo& info = op_info(op);
  if (info.imm == ImmKind::memarg) return "SSUK";  // loads: dst addr; stores: addr value
  switch (info.sig) {
    case Sig::I_II: case Sig::I_LL: case Sig::I_FF: case Sig::I_DD:
    case Sig::L_LL: case Sig::F_FF: case Sig::D_DD: return "SSS";
    default: return "SS";
  }
}

std::string dump_code(const CompiledFunc& f) {
  std::string s;
  const std::vector<uint32_t>& c = f.code;
  size_t pc = 0;
  while (pc < c.size()) {
    s += std::to_string(pc) + ": " + std::string(op_info(Op(c[pc])).text);
    pc = visit_operands(c, pc, [&](char kind, size_t at) {
      switch (kind) {
        case 'S': s += " s" + std::to_string(c[at]); break;
        case 'U': s += " " + std::to_string(c[at]); break;
        case 'T': s += " @" + std::to_string(c[at]); break;
        case 'K': {
          uint64_t v = c[at];
          if (at + 1 < c.size()) v |= uint64_t(c[at + 1]) << 32;
          s += " " + std::to_string(v);
          break;
        }
        case 'C':
          s += " (on " + std::to_string(c[at]);
          s += c[at + 1] == kSwitchClause ? std::string(" switch)")
                                          : " @" + std::to_string(c[at + 1]) + " s" + std::to_string(c[at + 2]) + ")";
          break;
      }
    });
    s += '\n';
  }
  for (const HandlerEntry& h : f.handlers) {
    static const char* kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
    s += "handler [" + std::to_string(h.start) + "," + std::to_string(h.end) + ") " + kinds[int(h.kind)] +
         " tag " + std::to_string(h.tag) + " -> @" + std::to_string(h.target) + " s" + std::to_string(h.dest) + "\n";
  }
  return s;
}

}  // namespace weft
