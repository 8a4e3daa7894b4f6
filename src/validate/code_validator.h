// Validation and lowering of instruction sequences (function bodies and
// constant expressions) into weft's internal code (interp/code.h), in one
// pass over the binary, following the spec's validation algorithm (appendix
// "Validation Algorithm": operand stack, control stack, initialised locals).
//
// Lowering: every operand at stack height h lives in slot num_locals + h, so
// instructions name their slots; control flow becomes absolute jumps, with
// value moves where a branch carries values to a lower height. Code after an
// unconditional transfer is not emitted (`live_` tracks that, separately from
// the validator's polymorphic-stack flag, because a block end is reachable
// when something branches to it).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "binary/reader.h"
#include "interp/code.h"
#include "validate/context.h"

namespace weft {

class CodeValidator {
 public:
  explicit CodeValidator(ModuleContext& ctx);

  // Validates and lowers defined function `def_index` (index into Module::funcs).
  Status function(uint32_t def_index, CompiledFunc* out);

  // Validates and lowers a constant expression of type `expected`; global.get
  // may read globals [0, global_limit). Function indices of ref.func are added
  // to ctx.declared_funcs (C.refs).
  Status const_expr(const ExprRange& expr, ValType expected, uint32_t global_limit, CompiledFunc* out);

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  enum class FrameKind : uint8_t { func, block, loop, if_, else_, try_table };

  struct Frame {
    FrameKind kind = FrameKind::block;
    bool unreachable = false;  // validation: the rest of the frame is stack-polymorphic
    bool entry_live = false;   // lowering: code at the frame's start is reachable
    bool targeted = false;     // lowering: a live branch or handler targets the end label
    bool single_result = false;
    ValType single;            // the result of a value block type
    const ValType* params = nullptr;
    const ValType* results_ptr = nullptr;
    uint32_t num_params = 0;
    uint32_t num_results = 0;
    uint32_t height = 0;       // operand height at the start (below the params)
    uint32_t init_height = 0;  // inits_ height at the start
    uint32_t label_id = 0;     // index into label_addr_
    uint32_t else_patch = kNone;   // if: code word of br_unless's target
    uint32_t body_start = 0;       // try_table: first word of the body
    uint32_t catch_first = 0;      // try_table: first entry in pending_catches_
    uint32_t catch_count = 0;

    const ValType* results() const { return single_result ? &single : results_ptr; }
    bool label_is_start() const { return kind == FrameKind::loop; }
    const ValType* label_types() const { return label_is_start() ? params : results(); }
    uint32_t label_arity() const { return label_is_start() ? num_params : num_results; }
  };

  struct BlockSig {
    const ValType* params = nullptr;
    uint32_t num_params = 0;
    const ValType* results = nullptr;
    uint32_t num_results = 0;
    ValType single;
    bool single_result = false;
  };

  // Branch stub emitted after the body: copies + br, or a return.
  struct Stub {
    uint32_t label_id;
    uint32_t dst;  // heights
    uint32_t src;
    uint32_t count;
    bool is_return;
  };
  struct CodeRef {  // a code word (or handler) to receive an address later
    uint32_t pos;
    uint32_t target;  // label id, or stub index
  };
  struct PendingCatch {
    HandlerEntry::Kind kind;
    uint32_t tag;
    uint32_t label_id;
    uint32_t dest_height;
  };

  // ---- driver (code_validator.cc) ----
  void reset(uint32_t num_locals, CompiledFunc* out);
  Status run(Reader& r);
  Status instr(const Instr& in);
  Status finish();
  Error err(std::string msg) const { return invalid_at(off_, std::move(msg)); }
  Error unsupported() const;

  // ---- operand and control stacks (code_validator.cc) ----
  void push(ValType t) {
    const uint32_t h = uint32_t(vals_.size());
    if (locs_.size() <= h) locs_.resize(h + 1);
    locs_[h] = Loc{};  // a new value lives in its own slot
    vals_.push_back(t);
    if (live_ && vals_.size() > max_height_) max_height_ = uint32_t(vals_.size());
  }
  void push_types(const ValType* ts, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) push(ts[i]);
  }
  // Pops values matching ts[0..n) (ts[n-1] on top). If `actual` is given it
  // receives the popped types (bot where the stack was polymorphic).
  Status pop_types(const ValType* ts, uint32_t n, ValType* actual = nullptr);
  Status pop(ValType t) { return pop_types(&t, 1); }
  Result<ValType> pop_any();
  Result<ValType> pop_ref();
  Error mismatch(const ValType* expected, uint32_t n, const char* who) const;
  Status check_frame_end(const Frame& f);
  void set_unreachable();
  void push_frame(FrameKind kind, const BlockSig& sig);
  void reset_locals(uint32_t init_height);
  uint32_t height() const { return uint32_t(vals_.size()); }
  uint32_t slot(uint32_t h) const { return num_locals_ + h; }
  // Slot of the value `k` places below the top (k = 0: the top).
  uint32_t top_slot(uint32_t k) const { return num_locals_ + height() - 1 - k; }

  // ---- operand locations (fold.cc) ----
  // Where the value at height h lives: its own slot, a local (a local.get not
  // yet copied), or a constant not yet written anywhere. Popping keeps the
  // entry (locs_ is indexed by height and only push overwrites it), so an
  // instruction may read its operands' locations after popping them.
  enum class LocKind : uint8_t { slot, local, const32, const64 };
  struct Loc {
    LocKind kind = LocKind::slot;
    uint32_t local = 0;  // LocKind::local
    uint64_t imm = 0;    // const32 / const64
  };
  // Slot holding the value at height h, writing a pending constant into
  // slot(h) first. Only meaningful in live code.
  uint32_t src_slot(uint32_t h);
  // Writes the value at height h into slot(h) if it is elsewhere.
  void materialize(uint32_t h);
  // Materializes heights [from, to).
  void materialize_range(uint32_t from, uint32_t to) {
    for (uint32_t h = from; h < to; ++h) materialize(h);
  }
  // Only the lowest kPendingWindow values of a frame may be pending, which
  // bounds every scan for pending values (hostile code can build deep stacks).
  static constexpr uint32_t kPendingWindow = 64;
  bool in_window(uint32_t h) const { return h < ctrls_.back().height + kPendingWindow; }
  uint32_t window_end(uint32_t to) const {
    const uint32_t e = ctrls_.back().height + kPendingWindow;
    return to < e ? to : e;
  }
  // Materializes every value of the current frame (the only ones that can be
  // pending: block entries materialize everything).
  void materialize_frame() {
    if (live_) materialize_range(ctrls_.back().height, window_end(height()));
  }
  // Before local x is written: materializes pending reads of x below height `below`.
  void materialize_local(uint32_t x, uint32_t below);
  bool pending_local(uint32_t x, uint32_t below) const;
  // Moves the value described by `l` (at height h) into slot `dst`.
  void emit_move(uint32_t dst, const Loc& l, uint32_t h);
  // The last instruction wrote its result into a fresh stack slot whose
  // operand word is at `dst_pos`; a following local.set may retarget it.
  void note_result(uint32_t dst_pos) {
    last_dst_pos_ = dst_pos;
    last_end_ = pos();
  }
  // Code before pos() may be the target of a jump: no rewriting across it.
  void fence() { last_end_ = kNone; }
  // Whether the last instruction is the one that wrote the top value (at height h).
  bool result_of_last(uint32_t h) const {
    return last_end_ == pos() && locs_[h].kind == LocKind::slot && (*code_)[last_dst_pos_] == slot(h);
  }
  Loc lower_local_set(uint32_t x, uint32_t h);
  // Binary integer operators (op_simple) with a constant operand at heights
  // base, base + 1: emits the immediate form; false if it does not apply.
  bool lower_binary_imm(Op op, uint32_t base);
  // Float add / sub (operands at heights base, base + 1) of the product the
  // last instruction computed: replaces both with one mul_add / mul_sub /
  // mul_rsub; false if it does not apply.
  bool lower_mul_fused(Op op, uint32_t base);
  // Integer add / xor / or / and (operands at heights base, base + 1) of the
  // result of the last instruction, an immediate shift or rotate: replaces
  // both with one <op>_<shift>; false if it does not apply.
  bool lower_shift_fused(Op op, uint32_t base);
  // Float add / sub / mul (operands at heights base, base + 1) of a value the
  // last instruction loaded from memory 0 (an _ri load): replaces both with
  // one <op>_load; false if it does not apply.
  bool lower_load_fused(Op op, uint32_t base);
  // For the fusions above: the height of the operand (at base or base + 1)
  // that the last instruction did not compute, given that it computed the
  // other (only base + 1 unless `either`) and this one can be read where it
  // is; kNone otherwise.
  uint32_t fusible_other(uint32_t base, bool either) const;
  // Replaces the last instruction with `op slot(base) words...`.
  void replace_last(Op op, uint32_t base, std::initializer_list<uint32_t> words);
  // Loads and stores of memory 0 when it has 32-bit addresses (operands at
  // heights base, base + 1): the _ri / _rr forms, fusing an address sum.
  bool lower_memory0(Op op, uint32_t base, uint64_t offset);
  // Branch on the value at height h (negate: branch when it is zero). If the
  // last instruction is the comparison that computed it, removes it and sets
  // the opcode and operand words of a compare-and-branch that replaces it.
  struct FusedBranch {
    uint32_t words[3];
    uint32_t n = 0;
  };
  bool take_compare(uint32_t h, bool negate, FusedBranch* out);
  void emit_words(const FusedBranch& b) {
    for (uint32_t i = 0; i < b.n; ++i) emit(b.words[i]);
  }
  // Whether the lowering of `op` reads operand locations; for every other
  // instruction the frame is materialized first (operands in their slots).
  static bool reads_locations(Op op);

  // ---- lowering helpers (lowering.cc) ----
  void emit(uint32_t w) { code_->push_back(w); }
  void emit_op(Op op) { code_->push_back(uint32_t(op)); }
  void emit_u64(uint64_t v) {
    emit(uint32_t(v));
    emit(uint32_t(v >> 32));
  }
  uint32_t pos() const { return uint32_t(code_->size()); }
  uint32_t new_label();
  void emit_label_ref(uint32_t label_id);
  // Unconditional branch to `depth` whose carried values start at height `src`.
  void emit_branch(uint32_t depth, uint32_t src);
  // Target word of a conditional branch to `depth` whose carried values start
  // at height `src`: the label itself, or a stub doing the moves.
  void emit_cond_target(uint32_t depth, uint32_t src, bool use_cache = false);
  void resolve_label(uint32_t label_id) {
    label_addr_[label_id] = pos();
    fence();
  }
  void emit_handlers(const Frame& f);
  void finish_code();

  // ---- instruction families ----
  // control.cc
  Status block_sig(const BlockType& bt, BlockSig* sig);
  Status op_block(const Instr& in);
  Status op_else();
  Status op_end();
  Status op_try_table(const Instr& in);
  Status check_catch(const CatchClause& c, uint32_t* label_depth);
  Status label(uint32_t depth);
  Status op_br(const Instr& in);
  Status op_br_if(const Instr& in);
  Status op_br_table(const Instr& in);
  Status op_br_on_null(const Instr& in, bool on_non_null);
  Status op_return();
  Status op_call(const Instr& in);
  Status op_call_indirect(const Instr& in);
  Status op_call_ref(const Instr& in);
  Status op_throw(const Instr& in);
  Status op_throw_ref();
  Status check_return_results(const FuncType& ft);
  // variables_memory.cc
  Status op_local(const Instr& in);
  Status op_global(const Instr& in);
  Status memory_index(uint32_t mem, ValType* addr);
  Status table_index(uint32_t table, const TableType** out);
  Status op_simple(const Instr& in);
  Status op_memory_bulk(const Instr& in);
  Status op_table(const Instr& in);
  // numeric_ref.cc
  Status op_const(const Instr& in);
  Status op_select(const Instr& in);
  Status op_ref(const Instr& in);
  Status const_allowed(const Instr& in);
  // casts.cc
  Status op_ref_test_cast(const Instr& in);
  Status op_br_on_cast(const Instr& in);
  // stack_switching.cc
  Status op_cont_new(const Instr& in);
  Status op_cont_bind(const Instr& in);
  Status op_resume(const Instr& in);  // resume, resume_throw, resume_throw_ref
  Status op_suspend(const Instr& in);
  Status op_switch(const Instr& in);
  Status cont_type(uint32_t type_index, const FuncType** ft);  // its function type
  Status tag_type(uint32_t tag, const FuncType** ft);
  Status check_resume_handlers(const Instr& in, const FuncType& ct);
  void emit_resume_handlers(const Instr& in);
  bool func_matches(const ValType* params, uint32_t np, const ValType* results, uint32_t nr,
                    const FuncType& super) const;
  uint32_t type_index_of(uint32_t canonical_id) const;

  ModuleContext& ctx_;

  // Current code.
  CompiledFunc* out_ = nullptr;
  std::vector<uint32_t>* code_ = nullptr;
  uint64_t off_ = 0;  // byte offset of the current instruction
  bool const_mode_ = false;
  uint32_t global_limit_ = 0;
  const FuncType* func_type_ = nullptr;  // function mode

  // Validation state (reused across functions).
  std::vector<ValType> vals_;
  std::vector<Loc> locs_;  // by height; see "operand locations"
  std::vector<Frame> ctrls_;
  std::vector<ValType> locals_;
  std::vector<uint8_t> local_init_;
  std::vector<uint32_t> inits_;
  std::vector<ValType> scratch_;
  uint32_t num_locals_ = 0;

  // Lowering state (reused across functions).
  bool live_ = true;
  uint32_t max_height_ = 0;
  uint32_t last_dst_pos_ = 0;  // see note_result
  uint32_t last_end_ = kNone;
  std::vector<uint32_t> label_addr_;
  std::vector<CodeRef> label_refs_;    // code word <- label address
  std::vector<CodeRef> handler_refs_;  // handler index <- label address
  std::vector<Stub> stubs_;
  std::vector<CodeRef> stub_refs_;     // code word <- stub address
  std::vector<uint32_t> stub_addr_;
  // br_table: depth -> stub index, valid when the stamp is table_stamp_
  // (so that each br_table need not clear it).
  std::vector<std::pair<uint32_t, uint32_t>> table_cache_;
  uint32_t table_stamp_ = 0;
  std::vector<PendingCatch> pending_catches_;
  Instr instr_;

  // Hidden slots after the locals (fold.cc, docs/internal-code.md): a slot
  // that stays zero (the base of constant addresses), and a pool of f32, f64
  // and i64 constants that loops use, written once at function entry so that
  // instructions read them in place.
  struct PoolEntry {
    LocKind kind;  // const32 or const64
    uint64_t imm;
    uint32_t slot;
  };
  static constexpr uint32_t kMaxPool = 16;
  uint32_t zero_slot_ = kNone;
  std::vector<PoolEntry> pool_;
  std::vector<bool> scan_loops_;
  // Plans the hidden slots of a body whose locals end at `first`, from a
  // scan of its instructions; returns how many there are.
  uint32_t plan_hidden_slots(Reader r, uint32_t first);
  // Writes the pool at function entry.
  void emit_pool();
  // The pool slot holding constant `l`, or kNone.
  uint32_t pool_slot(const Loc& l) const;
};

}  // namespace weft
