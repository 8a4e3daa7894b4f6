// Variable, memory and table instructions, and the generic rule for every
// instruction typed by its Sig column in opcodes.def.
#include <array>
#include <string_view>

#include "validate/code_validator.h"

namespace weft {

namespace {

// Width in bytes of the memory access of a load/store, from its text name:
// "i64.load32_u" -> 4, "f64.store" -> 8.
uint32_t access_bytes_from_name(std::string_view name) {
  size_t p = name.find(".load");
  size_t len = 5;
  if (p == std::string_view::npos) {
    p = name.find(".store");
    len = 6;
  }
  if (p == std::string_view::npos) return 0;
  uint32_t bits = 0;
  for (size_t i = p + len; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) bits = bits * 10 + (name[i] - '0');
  if (bits == 0) bits = name.substr(1, 2) == "64" ? 64 : 32;
  return bits / 8;
}

uint32_t access_bytes(Op op) {
  static const auto table = [] {
    std::array<uint8_t, kOpCount> t{};
    for (unsigned i = 0; i < kOpCount; ++i) {
      const OpInfo& info = op_info(Op(i));
      if (info.imm == ImmKind::memarg) t[i] = uint8_t(access_bytes_from_name(info.text));
    }
    return t;
  }();
  return table[unsigned(op)];
}

// The letters of a Sig ("I_AI" -> result 'I', params "AI"; 'V' = nothing).
struct SigShape {
  char result;
  char params[2];
  uint32_t num_params;
};

SigShape shape_of(Sig s) {
  switch (s) {
#define WEFT_SIG1(R, P) \
  case Sig::R##_##P:    \
    return {#R[0], {#P[0], 0}, #P[0] == 'V' ? 0u : 1u};
#define WEFT_SIG2(R, P, Q) \
  case Sig::R##_##P##Q:    \
    return {#R[0], {#P[0], #Q[0]}, 2u};
    WEFT_SIG1(I, A) WEFT_SIG1(L, A) WEFT_SIG1(F, A) WEFT_SIG1(D, A)
    WEFT_SIG2(V, A, I) WEFT_SIG2(V, A, L) WEFT_SIG2(V, A, F) WEFT_SIG2(V, A, D)
    WEFT_SIG1(A, V) WEFT_SIG1(A, A)
    WEFT_SIG1(I, V) WEFT_SIG1(L, V) WEFT_SIG1(F, V) WEFT_SIG1(D, V)
    WEFT_SIG1(I, I) WEFT_SIG2(I, I, I) WEFT_SIG1(I, L) WEFT_SIG2(I, L, L)
    WEFT_SIG1(I, F) WEFT_SIG2(I, F, F) WEFT_SIG1(I, D) WEFT_SIG2(I, D, D)
    WEFT_SIG1(L, L) WEFT_SIG2(L, L, L) WEFT_SIG1(L, I) WEFT_SIG1(L, F) WEFT_SIG1(L, D)
    WEFT_SIG1(F, F) WEFT_SIG2(F, F, F) WEFT_SIG1(F, I) WEFT_SIG1(F, L) WEFT_SIG1(F, D)
    WEFT_SIG1(D, D) WEFT_SIG2(D, D, D) WEFT_SIG1(D, I) WEFT_SIG1(D, L) WEFT_SIG1(D, F)
#undef WEFT_SIG1
#undef WEFT_SIG2
    case Sig::special:
      break;
  }
  return {'V', {0, 0}, 0};
}

ValType letter_type(char c, ValType addr) {
  switch (c) {
    case 'I': return ValType::i32();
    case 'L': return ValType::i64();
    case 'F': return ValType::f32();
    case 'D': return ValType::f64();
    default: return addr;  // 'A'
  }
}

ValType addr_type(const Limits& l) { return l.is64 ? ValType::i64() : ValType::i32(); }

}  // namespace

Status CodeValidator::memory_index(uint32_t mem, ValType* addr) {
  if (mem >= ctx_.memories.size()) return err(unknown("memory", mem));
  *addr = addr_type(ctx_.memories[mem].limits);
  return Status::Ok();
}

Status CodeValidator::table_index(uint32_t table, const TableType** out) {
  if (table >= ctx_.tables.size()) return err(unknown("table", table));
  *out = &ctx_.tables[table];
  return Status::Ok();
}

// Instructions fully described by their Sig: numeric operators, loads and
// stores, memory.size and memory.grow.
Status CodeValidator::op_simple(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  const SigShape sh = shape_of(info.sig);
  const bool uses_memory = info.imm == ImmKind::memarg || info.imm == ImmKind::memory;
  ValType addr = ValType::i32();
  if (uses_memory) WEFT_CHECK(memory_index(in.idx0, &addr));
  if (info.imm == ImmKind::memarg) {
    if (!ctx_.memories[in.idx0].limits.is64 && in.u64 > 0xffffffffull)
      return err("offset out of range");
    const uint32_t natural = access_bytes(in.op);
    if (in.align >= 32 || (1u << in.align) > natural) return err("alignment must not be larger than natural");
  }
  ValType params[2];
  for (uint32_t i = 0; i < sh.num_params; ++i) params[i] = letter_type(sh.params[i], addr);
  const uint32_t base = height() - sh.num_params;  // height of the first operand
  WEFT_CHECK(pop_types(params, sh.num_params));
  const bool has_result = sh.result != 'V';
  if (!live_) {
    if (has_result) push(letter_type(sh.result, addr));
    return Status::Ok();
  }

  // Operands are read where they live (fold.cc); results go to slot(base).
  if (info.imm == ImmKind::memarg && in.idx0 == 0 && !ctx_.memories[0].limits.is64 &&
      lower_memory0(in.op, base, in.u64)) {
    if (has_result) push(letter_type(sh.result, addr));
    return Status::Ok();
  }
  if (sh.num_params == 2 && info.imm == ImmKind::none &&
      (lower_binary_imm(in.op, base) || lower_mul_fused(in.op, base) || lower_shift_fused(in.op, base) ||
       lower_load_fused(in.op, base))) {
    push(letter_type(sh.result, addr));
    return Status::Ok();
  }
  uint32_t src[2] = {0, 0};
  for (uint32_t i = 0; i < sh.num_params; ++i) src[i] = src_slot(base + i);
  const uint32_t start = pos();
  emit_op(in.op);
  if (info.imm == ImmKind::memarg) {
    if (has_result) {  // load: dst addr mem off
      emit(slot(base));
      emit(src[0]);
    } else {  // store: addr value mem off
      emit(src[0]);
      emit(src[1]);
    }
    emit(in.idx0);
    emit_u64(in.u64);
  } else if (in.op == Op::memory_size) {
    emit(slot(base));
    emit(in.idx0);
  } else if (in.op == Op::memory_grow) {
    emit(slot(base));
    emit(src[0]);
    emit(in.idx0);
  } else {  // op dst a [b]
    emit(slot(base));
    for (uint32_t i = 0; i < sh.num_params; ++i) emit(src[i]);
  }
  if (has_result) {
    push(letter_type(sh.result, addr));  // after reading the operands' locations
    note_result(start + 1);
  }
  return Status::Ok();
}

Status CodeValidator::op_local(const Instr& in) {
  const uint32_t x = in.idx0;
  if (x >= locals_.size()) return err(unknown("local", x));
  const ValType t = locals_[x];
  if (in.op == Op::local_get) {
    if (!local_init_[x]) return err("uninitialized local " + std::to_string(x));
    push(t);
    locs_[height() - 1] = Loc{LocKind::local, x, 0};  // read where it is (fold.cc)
    if (!in_window(height() - 1)) materialize(height() - 1);
    return Status::Ok();
  }
  WEFT_CHECK(pop(t));
  const uint32_t h = height();  // the popped operand's height
  Loc result;
  if (live_) result = lower_local_set(x, h);
  if (in.op == Op::local_tee) {
    push(t);
    locs_[h] = result;
    if (!in_window(h)) materialize(h);
  }
  if (!local_init_[x]) {
    local_init_[x] = 1;
    inits_.push_back(x);
  }
  return Status::Ok();
}

Status CodeValidator::op_global(const Instr& in) {
  const uint32_t x = in.idx0;
  const uint32_t limit = const_mode_ ? global_limit_ : uint32_t(ctx_.globals.size());
  if (x >= limit) return err(unknown("global", x));
  const GlobalType& g = ctx_.globals[x];
  if (in.op == Op::global_get) {
    if (const_mode_ && g.mutable_) return err("constant expression required");
    const uint32_t dst = slot(height());
    push(g.type);
    if (live_) {
      emit_op(Op::global_get);
      emit(dst);
      emit(x);
      note_result(pos() - 2);
    }
    return Status::Ok();
  }
  if (!g.mutable_) return err("immutable global " + std::to_string(x));
  WEFT_CHECK(pop(g.type));
  if (live_) {
    const uint32_t src = src_slot(height());
    emit_op(Op::global_set);
    emit(x);
    emit(src);
  }
  return Status::Ok();
}

// memory.init, data.drop, memory.copy, memory.fill
Status CodeValidator::op_memory_bulk(const Instr& in) {
  ValType types[3];
  uint32_t imm[2] = {0, 0};
  switch (in.op) {
    case Op::memory_init:
    case Op::data_drop: {
      const uint32_t data = in.idx0;
      ValType addr;
      if (in.op == Op::memory_init) WEFT_CHECK(memory_index(in.idx1, &addr));
      if (!ctx_.has_data_count)
        return make_error(ErrorKind::malformed, "data count section required", Location::at_byte(off_));
      if (data >= ctx_.num_datas) return err(unknown("data segment", data));
      if (in.op == Op::data_drop) {
        if (live_) {
          emit_op(Op::data_drop);
          emit(data);
        }
        return Status::Ok();
      }
      types[0] = addr;
      types[1] = ValType::i32();
      types[2] = ValType::i32();
      imm[0] = in.idx1;  // memory_init mem data d s n
      imm[1] = data;
      break;
    }
    case Op::memory_copy: {
      ValType a_dst, a_src;
      WEFT_CHECK(memory_index(in.idx0, &a_dst));
      WEFT_CHECK(memory_index(in.idx1, &a_src));
      types[0] = a_dst;
      types[1] = a_src;
      types[2] = a_dst.kind == ValKind::i64 && a_src.kind == ValKind::i64 ? ValType::i64() : ValType::i32();
      imm[0] = in.idx0;
      imm[1] = in.idx1;
      break;
    }
    default: {  // memory_fill mem d val n
      ValType addr;
      WEFT_CHECK(memory_index(in.idx0, &addr));
      types[0] = addr;
      types[1] = ValType::i32();
      types[2] = addr;
      imm[0] = in.idx0;
      break;
    }
  }
  const uint32_t base = height() - 3;
  WEFT_CHECK(pop_types(types, 3));
  if (!live_) return Status::Ok();
  emit_op(in.op);
  emit(imm[0]);
  if (in.op != Op::memory_fill) emit(imm[1]);
  for (uint32_t i = 0; i < 3; ++i) emit(slot(base + i));
  return Status::Ok();
}

Status CodeValidator::op_table(const Instr& in) {
  if (in.op == Op::elem_drop) {
    if (in.idx0 >= ctx_.elem_types.size()) return err(unknown("elem segment", in.idx0));
    if (live_) {
      emit_op(Op::elem_drop);
      emit(in.idx0);
    }
    return Status::Ok();
  }
  if (in.op == Op::table_init) {  // idx0 = elem, idx1 = table
    const TableType* tt = nullptr;
    WEFT_CHECK(table_index(in.idx1, &tt));
    if (in.idx0 >= ctx_.elem_types.size()) return err(unknown("elem segment", in.idx0));
    if (!ctx_.matches(ctx_.elem_types[in.idx0], tt->elem))
      return err("type mismatch: element segment does not match the table's element type");
    const ValType types[3] = {addr_type(tt->limits), ValType::i32(), ValType::i32()};
    const uint32_t base = height() - 3;
    WEFT_CHECK(pop_types(types, 3));
    if (live_) {
      emit_op(Op::table_init);
      emit(in.idx1);
      emit(in.idx0);
      for (uint32_t i = 0; i < 3; ++i) emit(slot(base + i));
    }
    return Status::Ok();
  }
  if (in.op == Op::table_copy) {  // idx0 = dst, idx1 = src
    const TableType* td = nullptr;
    const TableType* ts = nullptr;
    WEFT_CHECK(table_index(in.idx0, &td));
    WEFT_CHECK(table_index(in.idx1, &ts));
    if (!ctx_.matches(ts->elem, td->elem))
      return err("type mismatch: source table's element type does not match the destination's");
    const ValType types[3] = {addr_type(td->limits), addr_type(ts->limits),
                              td->limits.is64 && ts->limits.is64 ? ValType::i64() : ValType::i32()};
    const uint32_t base = height() - 3;
    WEFT_CHECK(pop_types(types, 3));
    if (live_) {
      emit_op(Op::table_copy);
      emit(in.idx0);
      emit(in.idx1);
      for (uint32_t i = 0; i < 3; ++i) emit(slot(base + i));
    }
    return Status::Ok();
  }

  const uint32_t table = in.idx0;
  const TableType* tt = nullptr;
  WEFT_CHECK(table_index(table, &tt));
  const ValType at = addr_type(tt->limits);
  const ValType elem = tt->elem;
  switch (in.op) {
    case Op::table_get: {  // table_get dst idx table
      const uint32_t idx = top_slot(0);
      WEFT_CHECK(pop(at));
      push(elem);
      if (live_) {
        emit_op(Op::table_get);
        emit(idx);
        emit(idx);
        emit(table);
      }
      return Status::Ok();
    }
    case Op::table_set: {  // table_set table idx val
      const ValType types[2] = {at, elem};
      const uint32_t base = height() - 2;
      WEFT_CHECK(pop_types(types, 2));
      if (live_) {
        emit_op(Op::table_set);
        emit(table);
        emit(slot(base));
        emit(slot(base + 1));
      }
      return Status::Ok();
    }
    case Op::table_size: {  // table_size dst table
      const uint32_t dst = slot(height());
      push(at);
      if (live_) {
        emit_op(Op::table_size);
        emit(dst);
        emit(table);
      }
      return Status::Ok();
    }
    case Op::table_grow: {  // table_grow dst init n table
      const ValType types[2] = {elem, at};
      const uint32_t base = height() - 2;
      WEFT_CHECK(pop_types(types, 2));
      push(at);
      if (live_) {
        emit_op(Op::table_grow);
        emit(slot(base));
        emit(slot(base));
        emit(slot(base + 1));
        emit(table);
      }
      return Status::Ok();
    }
    default: {  // table_fill table i val n
      const ValType types[3] = {at, elem, at};
      const uint32_t base = height() - 3;
      WEFT_CHECK(pop_types(types, 3));
      if (live_) {
        emit_op(Op::table_fill);
        emit(table);
        for (uint32_t i = 0; i < 3; ++i) emit(slot(base + i));
      }
      return Status::Ok();
    }
  }
}

}  // namespace weft
