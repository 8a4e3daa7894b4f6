// Instructions in the text format (text/instructions.rst): plain, block and
// folded forms, encoded straight into the binary format. Immediates are
// encoded from the opcode table's ImmKind column; only instructions whose
// text form differs from their binary layout are special-cased here.
#include <algorithm>

#include "text/numbers.h"
#include "text/wat_parser.h"

namespace weft::text {

void put_opcode(Bytes& out, Op op) {
  const OpInfo& info = op_info(op);
  if (info.prefix != 0) {
    out.push_back(info.prefix);
    put_u32(out, info.code);
  } else {
    out.push_back(static_cast<uint8_t>(info.code));
  }
}

namespace {

enum class FrameKind : uint8_t { flat_block, flat_if, folded_plain, folded_block, folded_if };

// Folded `if` states.
constexpr uint8_t kIfCond = 0, kIfThen = 1, kIfAfterThen = 2, kIfElse = 3, kIfAfterElse = 4;

struct Frame {
  explicit Frame(FrameKind k) : kind(k) {}
  FrameKind kind;
  uint8_t state = 0;  // folded_if: kIf*; flat_if: 0 in then, 1 in else
  std::string label;  // flat blocks: for `end $l`; folded if: bound at (then
  Bytes pending;      // folded_plain: the instruction; folded_if: `if` + block type
  const Token* op_token = nullptr;  // folded_plain: for the source map
};

// block, loop, if and try_table: the instructions that open a block.
bool block_op(std::string_view name, Op* op) {
  if (!op_from_text(name, op)) return false;
  ImmKind imm = op_info(*op).imm;
  return imm == ImmKind::block || imm == ImmKind::try_table;
}

// Keywords of other syntactic forms: seen where an instruction is expected,
// they are misplaced rather than unknown.
bool is_form_keyword(std::string_view name) {
  static constexpr std::string_view kForms[] = {
      "param", "result", "local", "type", "export", "import", "then", "else", "item",
      "offset", "mut", "table", "memory", "global", "func", "elem", "data", "start",
      "tag", "rec", "sub", "field", "declare", "on", "catch", "catch_ref", "catch_all",
      "catch_all_ref", "module", "end"};
  return std::find(std::begin(kForms), std::end(kForms), name) != std::end(kForms);
}

// Natural alignment (in bytes) of a load or store, from its name:
// "i64.load32_u" -> 4, "f64.store" -> 8.
uint32_t natural_alignment(std::string_view name) {
  size_t dot = name.find('.');
  std::string_view rest = name.substr(dot + 1);
  size_t i = rest.starts_with("load") ? 4 : rest.starts_with("store") ? 5 : rest.size();
  uint32_t bits = 0;
  for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i) bits = bits * 10 + uint32_t(rest[i] - '0');
  if (bits) return bits / 8;
  return name.substr(1, 2) == "32" ? 4 : 8;
}

}  // namespace

Status WatParser::parse_label_def(std::string* label) {
  label->clear();
  if (peek().kind == Tok::id) *label = str(next());
  return Status::Ok();
}

Status WatParser::parse_label(const FuncCtx& ctx, uint32_t* depth) {
  const Token& t = peek();
  if (t.kind == Tok::id) {
    const std::string& name = str(t);
    if (std::optional<uint32_t> d = ctx.label_depth(name)) {
      next();
      *depth = *d;
      return Status::Ok();
    }
    return error(t, "unknown label $" + name);
  }
  return parse_u32(depth);
}

Status WatParser::parse_block_type(Bytes& out) {
  TypeUse tu;
  WEFT_CHECK(parse_type_use(tu, false));
  if (!tu.has_index && tu.params.empty() && tu.results.size() <= 1) {
    if (tu.results.empty()) out.push_back(0x40);
    else put_valtype(out, tu.results[0]);
    return Status::Ok();
  }
  uint32_t index = 0;
  WEFT_CHECK(resolve_type_use(tu, &index));
  put_s64(out, int64_t{index});
  return Status::Ok();
}

Status WatParser::parse_catches(Bytes& out, const FuncCtx& ctx) {
  Bytes clauses;
  uint32_t n = 0;
  for (;;) {
    if (peek().kind != Tok::lparen) break;
    const Token& kw = peek(1);
    uint8_t code;
    if (is_kw(kw, "catch")) code = 0x00;
    else if (is_kw(kw, "catch_ref")) code = 0x01;
    else if (is_kw(kw, "catch_all")) code = 0x02;
    else if (is_kw(kw, "catch_all_ref")) code = 0x03;
    else break;
    next();
    next();
    clauses.push_back(code);
    uint32_t x = 0;
    if (code <= 0x01) {
      WEFT_CHECK(parse_index(tags_, "tag", &x));
      put_u32(clauses, x);
    }
    WEFT_CHECK(parse_label(ctx, &x));
    put_u32(clauses, x);
    WEFT_CHECK(expect(Tok::rparen));
    ++n;
  }
  put_u32(out, n);
  put_bytes(out, clauses);
  return Status::Ok();
}

Status WatParser::parse_handlers(Bytes& out, const FuncCtx& ctx) {
  Bytes handlers;
  uint32_t n = 0;
  while (peek_form("on")) {
    next();
    next();
    uint32_t tag = 0;
    WEFT_CHECK(parse_index(tags_, "tag", &tag));
    if (peek_kw("switch")) {
      next();
      handlers.push_back(0x01);
      put_u32(handlers, tag);
    } else {
      uint32_t label = 0;
      WEFT_CHECK(parse_label(ctx, &label));
      handlers.push_back(0x00);
      put_u32(handlers, tag);
      put_u32(handlers, label);
    }
    WEFT_CHECK(expect(Tok::rparen));
    ++n;
  }
  put_u32(out, n);
  put_bytes(out, handlers);
  return Status::Ok();
}

Status WatParser::parse_memarg(Bytes& out, std::string_view op_name) {
  uint32_t mem = 0;
  if (peek_index()) WEFT_CHECK(parse_index(mems_, "memory", &mem));
  uint64_t offset = 0;
  uint64_t align = natural_alignment(op_name);
  const Token* t = &peek();
  if (t->kind == Tok::keyword && text(*t).starts_with("offset=")) {
    NumStatus st = parse_nat(text(*t).substr(7), ~uint64_t{0}, &offset);
    if (st == NumStatus::syntax) return unexpected(*t);
    if (st == NumStatus::range) return error(*t, "constant out of range");
    next();
    t = &peek();
  }
  if (t->kind == Tok::keyword && text(*t).starts_with("align=")) {
    NumStatus st = parse_nat(text(*t).substr(6), UINT32_MAX, &align);
    if (st == NumStatus::syntax) return unexpected(*t);
    if (st == NumStatus::range || align == 0 || (align & (align - 1)) != 0) {
      return error(*t, "alignment");
    }
    next();
  }
  uint32_t log2 = 0;
  while ((uint64_t{1} << log2) < align) ++log2;
  put_u32(out, log2 | (mem != 0 ? 0x40u : 0u));
  if (mem != 0) put_u32(out, mem);
  put_u32(out, offset);
  return Status::Ok();
}

Status WatParser::parse_field_index(uint32_t type_index, uint32_t* out) {
  const Token& t = peek();
  if (t.kind == Tok::id) {
    if (type_index < types_.size()) {
      auto it = types_[type_index].fields.find(str(t));
      if (it != types_[type_index].fields.end()) {
        next();
        *out = it->second;
        return Status::Ok();
      }
    }
    return error(t, "unknown field $" + str(t));
  }
  return parse_u32(out);
}

// Parses the immediates of a plain instruction `name` and encodes it.
Status WatParser::parse_plain(const Token& name_tok, Bytes& out, FuncCtx& ctx) {
  std::string_view name = text(name_tok);
  if (&out == mark_body_) body_marks_.push_back({uint32_t(out.size()), name_tok.line, name_tok.column});
  Op op;
  if (!op_from_text(name, &op)) {
    if (is_form_keyword(name)) return error(name_tok, "unexpected token");
    return error(name_tok, "unknown operator " + std::string(name));
  }
  if (op == Op::select) {
    if (!peek_form("result")) {
      put_opcode(out, Op::select);
      return Status::Ok();
    }
    std::vector<ValType> types;
    while (peek_form("result")) {
      next();
      next();
      while (peek().kind != Tok::rparen) {
        ValType t;
        WEFT_CHECK(parse_valtype(&t));
        types.push_back(t);
      }
      WEFT_CHECK(expect(Tok::rparen));
    }
    put_opcode(out, Op::select_t);
    put_u32(out, types.size());
    for (const ValType& t : types) put_valtype(out, t);
    return Status::Ok();
  }
  if (op == Op::ref_test || op == Op::ref_cast) {
    ValType rt;
    WEFT_CHECK(parse_reftype(&rt));
    if (rt.nullable) op = op == Op::ref_test ? Op::ref_test_null : Op::ref_cast_null;
    put_opcode(out, op);
    put_heaptype(out, rt.heap);
    return Status::Ok();
  }
  const OpInfo& info = op_info(op);
  uint32_t x = 0, y = 0;
  switch (info.imm) {
    case ImmKind::block:
    case ImmKind::try_table:
      return error(name_tok, "unexpected token");  // handled by parse_instrs
    default:
      break;
  }
  if (op == Op::else_ || op == Op::end) return error(name_tok, "unexpected token");
  if (info.imm == ImmKind::data || info.imm == ImmKind::data_memory || info.imm == ImmKind::type_data) {
    uses_data_index_ = true;
  }
  put_opcode(out, op);
  switch (info.imm) {
    case ImmKind::none:
    case ImmKind::block:
    case ImmKind::try_table:
    case ImmKind::select_t:
      break;
    case ImmKind::label:
      WEFT_CHECK(parse_label(ctx, &x));
      put_u32(out, x);
      break;
    case ImmKind::br_table: {
      std::vector<uint32_t> labels;
      while (peek_index()) {
        WEFT_CHECK(parse_label(ctx, &x));
        labels.push_back(x);
      }
      if (labels.empty()) return unexpected(peek());
      put_u32(out, labels.size() - 1);
      for (uint32_t l : labels) put_u32(out, l);
      break;
    }
    case ImmKind::func:
      WEFT_CHECK(parse_index(funcs_, "function", &x));
      put_u32(out, x);
      break;
    case ImmKind::call_indirect: {
      if (peek_index()) WEFT_CHECK(parse_index(tables_, "table", &y));
      TypeUse tu;
      WEFT_CHECK(parse_type_use(tu, false));
      WEFT_CHECK(resolve_type_use(tu, &x));
      put_u32(out, x);
      put_u32(out, y);
      break;
    }
    case ImmKind::type:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      put_u32(out, x);
      break;
    case ImmKind::type_type:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      WEFT_CHECK(parse_index(types_space_, "type", &y));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::type_tag:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      WEFT_CHECK(parse_index(tags_, "tag", &y));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::type_field:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      WEFT_CHECK(parse_field_index(x, &y));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::type_count:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      WEFT_CHECK(parse_u32(&y));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::type_data:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      WEFT_CHECK(parse_index(datas_, "data segment", &y));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::type_elem:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      WEFT_CHECK(parse_index(elems_, "elem segment", &y));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::local:
      WEFT_CHECK(parse_index(ctx.locals, "local", &x));
      put_u32(out, x);
      break;
    case ImmKind::global:
      WEFT_CHECK(parse_index(globals_, "global", &x));
      put_u32(out, x);
      break;
    case ImmKind::table:
      if (peek_index()) WEFT_CHECK(parse_index(tables_, "table", &x));
      put_u32(out, x);
      break;
    case ImmKind::memory:
      if (peek_index()) WEFT_CHECK(parse_index(mems_, "memory", &x));
      put_u32(out, x);
      break;
    case ImmKind::memarg:
      WEFT_CHECK(parse_memarg(out, name));
      break;
    case ImmKind::i32:
    case ImmKind::i64: {
      const Token& t = peek();
      unsigned bits = info.imm == ImmKind::i32 ? 32 : 64;
      uint64_t v = 0;
      if (t.kind != Tok::nat && t.kind != Tok::int_) return unexpected(t);
      if (parse_int(text(t), bits, &v) != NumStatus::ok) return error(t, "constant out of range");
      next();
      put_s64(out, bits == 32 ? int64_t{static_cast<int32_t>(v)} : static_cast<int64_t>(v));
      break;
    }
    case ImmKind::f32: {
      const Token& t = peek();
      uint32_t bits = 0;
      if (t.kind != Tok::nat && t.kind != Tok::int_ && t.kind != Tok::float_) return unexpected(t);
      if (parse_f32(text(t), &bits) != NumStatus::ok) return error(t, "constant out of range");
      next();
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(bits >> (8 * i)));
      break;
    }
    case ImmKind::f64: {
      const Token& t = peek();
      uint64_t bits = 0;
      if (t.kind != Tok::nat && t.kind != Tok::int_ && t.kind != Tok::float_) return unexpected(t);
      if (parse_f64(text(t), &bits) != NumStatus::ok) return error(t, "constant out of range");
      next();
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(bits >> (8 * i)));
      break;
    }
    case ImmKind::heaptype: {
      HeapType ht;
      WEFT_CHECK(parse_heaptype(&ht));
      put_heaptype(out, ht);
      break;
    }
    case ImmKind::tag:
      WEFT_CHECK(parse_index(tags_, "tag", &x));
      put_u32(out, x);
      break;
    case ImmKind::data:
      WEFT_CHECK(parse_index(datas_, "data segment", &x));
      put_u32(out, x);
      break;
    case ImmKind::data_memory:
      // memory.init memidx? dataidx; binary order: dataidx memidx.
      if (peek_index() && peek_index(1)) WEFT_CHECK(parse_index(mems_, "memory", &y));
      WEFT_CHECK(parse_index(datas_, "data segment", &x));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::memory_memory:
      if (peek_index()) {
        WEFT_CHECK(parse_index(mems_, "memory", &x));
        WEFT_CHECK(parse_index(mems_, "memory", &y));
      }
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::elem:
      WEFT_CHECK(parse_index(elems_, "elem segment", &x));
      put_u32(out, x);
      break;
    case ImmKind::elem_table:
      // table.init tableidx? elemidx; binary order: elemidx tableidx.
      if (peek_index() && peek_index(1)) WEFT_CHECK(parse_index(tables_, "table", &y));
      WEFT_CHECK(parse_index(elems_, "elem segment", &x));
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::table_table:
      if (peek_index()) {
        WEFT_CHECK(parse_index(tables_, "table", &x));
        WEFT_CHECK(parse_index(tables_, "table", &y));
      }
      put_u32(out, x);
      put_u32(out, y);
      break;
    case ImmKind::br_on_cast: {
      WEFT_CHECK(parse_label(ctx, &x));
      ValType t1, t2;
      WEFT_CHECK(parse_reftype(&t1));
      WEFT_CHECK(parse_reftype(&t2));
      out.push_back(static_cast<uint8_t>((t1.nullable ? 1 : 0) | (t2.nullable ? 2 : 0)));
      put_u32(out, x);
      put_heaptype(out, t1.heap);
      put_heaptype(out, t2.heap);
      break;
    }
    case ImmKind::resume:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      put_u32(out, x);
      WEFT_CHECK(parse_handlers(out, ctx));
      break;
    case ImmKind::resume_throw:
      WEFT_CHECK(parse_index(types_space_, "type", &x));
      WEFT_CHECK(parse_index(tags_, "tag", &y));
      put_u32(out, x);
      put_u32(out, y);
      WEFT_CHECK(parse_handlers(out, ctx));
      break;
  }
  return Status::Ok();
}

Status WatParser::parse_instrs(Bytes& out, FuncCtx& ctx, bool single) {
  std::vector<Frame> stack;
  bool started = false;
  for (;;) {
    if (single && started && stack.empty()) return Status::Ok();
    started = true;
    const Token& t = peek();
    if (t.kind == Tok::rparen) {
      if (stack.empty()) {
        if (single) return unexpected(t);
        return Status::Ok();
      }
      Frame& f = stack.back();
      switch (f.kind) {
        case FrameKind::flat_block:
        case FrameKind::flat_if:
          return error(t, "unexpected token");  // missing `end`
        case FrameKind::folded_plain:
          next();
          if (&out == mark_body_ && f.op_token)
            body_marks_.push_back({uint32_t(out.size()), f.op_token->line, f.op_token->column});
          put_bytes(out, f.pending);
          stack.pop_back();
          break;
        case FrameKind::folded_block:
          next();
          put_opcode(out, Op::end);
          ctx.pop_label();
          stack.pop_back();
          break;
        case FrameKind::folded_if:
          if (f.state == kIfCond) return error(t, "unexpected token");  // missing (then ...)
          next();
          if (f.state == kIfThen || f.state == kIfElse) {
            ++f.state;  // closes (then ...) / (else ...)
          } else {
            put_opcode(out, Op::end);
            ctx.pop_label();
            stack.pop_back();
          }
          break;
      }
      continue;
    }

    if (t.kind == Tok::lparen) {
      const Token& kw = peek(1);
      if (!stack.empty() && stack.back().kind == FrameKind::folded_if) {
        Frame& f = stack.back();
        if (f.state == kIfCond && is_kw(kw, "then")) {
          next();
          next();
          put_bytes(out, f.pending);
          ctx.push_label(f.label);
          f.state = kIfThen;
          continue;
        }
        if (f.state == kIfAfterThen && is_kw(kw, "else")) {
          next();
          next();
          put_opcode(out, Op::else_);
          f.state = kIfElse;
          continue;
        }
        if (f.state == kIfAfterThen || f.state == kIfAfterElse) return error(t, "unexpected token");
      }
      if (kw.kind != Tok::keyword) return unexpected(kw);
      std::string_view name = text(kw);
      Op op;
      if (block_op(name, &op)) {
        next();
        next();
        Frame f(op == Op::if_ ? FrameKind::folded_if : FrameKind::folded_block);
        WEFT_CHECK(parse_label_def(&f.label));
        if (op == Op::if_) {
          put_opcode(f.pending, op);
          WEFT_CHECK(parse_block_type(f.pending));
        } else {
          put_opcode(out, op);
          WEFT_CHECK(parse_block_type(out));
          if (op == Op::try_table) WEFT_CHECK(parse_catches(out, ctx));
          ctx.push_label(f.label);
        }
        stack.push_back(std::move(f));
        continue;
      }
      if (is_form_keyword(name)) return error(kw, "unexpected token");
      next();
      next();
      Frame f(FrameKind::folded_plain);
      f.op_token = &kw;
      WEFT_CHECK(parse_plain(kw, f.pending, ctx));
      stack.push_back(std::move(f));
      continue;
    }

    // A flat instruction.
    if (t.kind != Tok::keyword || (single && stack.empty())) return unexpected(t);
    if (!stack.empty()) {
      const Frame& top = stack.back();
      if (top.kind == FrameKind::folded_plain ||
          (top.kind == FrameKind::folded_if && top.state != kIfThen && top.state != kIfElse)) {
        return error(t, "unexpected token");
      }
    }
    std::string_view name = text(t);
    Op op;
    if (block_op(name, &op)) {
      next();
      Frame f(op == Op::if_ ? FrameKind::flat_if : FrameKind::flat_block);
      WEFT_CHECK(parse_label_def(&f.label));
      put_opcode(out, op);
      WEFT_CHECK(parse_block_type(out));
      if (op == Op::try_table) WEFT_CHECK(parse_catches(out, ctx));
      ctx.push_label(f.label);
      stack.push_back(std::move(f));
      continue;
    }
    if (name == "else" || name == "end") {
      bool is_else = name == "else";
      if (stack.empty()) return error(t, "unexpected token");
      Frame& f = stack.back();
      bool ok = is_else ? (f.kind == FrameKind::flat_if && f.state == 0)
                        : (f.kind == FrameKind::flat_block || f.kind == FrameKind::flat_if);
      if (!ok) return error(t, "unexpected token");
      next();
      if (peek().kind == Tok::id) {
        const Token& id = next();
        if (str(id) != f.label) return error(id, "mismatching label");
      }
      if (is_else) {
        put_opcode(out, Op::else_);
        f.state = 1;
      } else {
        put_opcode(out, Op::end);
        ctx.pop_label();
        stack.pop_back();
      }
      continue;
    }
    next();
    WEFT_CHECK(parse_plain(t, out, ctx));
  }
}

}  // namespace weft::text
