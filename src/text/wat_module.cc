// Modules in the text format (text/modules.rst): identifier binding (pass 0),
// module fields with all their abbreviations (pass 2), and assembly of the
// binary module in standard section order.
#include <algorithm>
#include "base/utf8.h"
#include "text/numbers.h"
#include "text/script.h"
#include "text/wat_parser.h"

namespace weft::text {

// ---- tokens --------------------------------------------------------------

const Token& WatParser::peek(size_t k) const {
  size_t i = pos_ + k;
  if (i >= lx_.tokens.size()) i = lx_.tokens.size() - 1;
  return lx_.tokens[i];
}

const Token& WatParser::next() {
  const Token& t = peek();
  if (pos_ + 1 < lx_.tokens.size()) ++pos_;
  return t;
}

Error WatParser::error(const Token& t, std::string msg) const {
  return make_error(ErrorKind::malformed, std::move(msg), Location::at_text(t.line, t.column));
}

namespace {

// Keywords that occur in the grammar besides instruction names; any other
// keyword is reported as unknown, as the reference lexer does.
bool is_grammar_keyword(std::string_view kw) {
  static constexpr std::string_view kWords[] = {
      "module", "type", "rec", "sub", "final", "func", "struct", "array", "cont", "field",
      "mut", "param", "result", "local", "import", "export", "table", "memory", "global",
      "tag", "elem", "data", "start", "offset", "item", "declare", "then", "else", "end",
      "ref", "null", "i8", "i16", "i32", "i64", "f32", "f64", "v128", "any", "eq", "i31",
      "none", "nofunc", "extern", "noextern", "exn", "noexn", "nocont", "anyref", "eqref",
      "i31ref", "structref", "arrayref", "nullref", "funcref", "nullfuncref", "externref",
      "nullexternref", "exnref", "nullexnref", "contref", "nullcontref", "on", "switch",
      "catch", "catch_ref", "catch_all", "catch_all_ref", "definition", "binary", "quote",
      "instance", "inf", "nan", "nan:canonical", "nan:arithmetic"};
  for (std::string_view w : kWords) {
    if (w == kw) return true;
  }
  Op op;
  return op_from_text(kw, &op) || kw.starts_with("offset=") || kw.starts_with("align=");
}

}  // namespace

Error WatParser::unexpected(const Token& t) const {
  switch (t.kind) {
    case Tok::keyword:
      if (is_grammar_keyword(text(t))) return error(t, "unexpected token");
      return error(t, "unknown operator " + std::string(text(t)));
    case Tok::reserved:
      return error(t, "unknown operator " + std::string(text(t)));
    case Tok::eof:
      return error(t, "unexpected end of input");
    default:
      return error(t, "unexpected token");
  }
}

Status WatParser::expect(Tok kind) {
  if (peek().kind != kind) return unexpected(peek());
  next();
  return Status::Ok();
}

Status WatParser::expect_kw(std::string_view kw) {
  if (!peek_kw(kw)) return unexpected(peek());
  next();
  return Status::Ok();
}

Status WatParser::expect_form(std::string_view kw) {
  WEFT_CHECK(expect(Tok::lparen));
  return expect_kw(kw);
}

Status WatParser::parse_string(std::string* out) {
  if (peek().kind != Tok::string) return unexpected(peek());
  *out = str(next());
  return Status::Ok();
}

Status WatParser::parse_name(std::string* out) {
  const Token& t = peek();
  WEFT_CHECK(parse_string(out));
  if (!is_valid_utf8(*out)) return error(t, "malformed UTF-8 encoding");
  return Status::Ok();
}

Status WatParser::parse_u64(uint64_t* out) {
  const Token& t = peek();
  if (t.kind != Tok::nat) return unexpected(t);
  if (parse_nat(text(t), ~uint64_t{0}, out) != NumStatus::ok) {
    return error(t, "constant out of range");
  }
  next();
  return Status::Ok();
}

Status WatParser::parse_u32(uint32_t* out) {
  const Token& t = peek();
  uint64_t v = 0;
  if (t.kind != Tok::nat) return unexpected(t);
  if (parse_nat(text(t), UINT32_MAX, &v) != NumStatus::ok) return error(t, "constant out of range");
  next();
  *out = static_cast<uint32_t>(v);
  return Status::Ok();
}

Status WatParser::parse_index(const Space& space, std::string_view what, uint32_t* out) {
  const Token& t = peek();
  if (t.kind == Tok::id) {
    auto it = space.ids.find(str(t));
    if (it == space.ids.end()) {
      return error(t, "unknown " + std::string(what) + " $" + str(t));
    }
    next();
    *out = it->second;
    return Status::Ok();
  }
  return parse_u32(out);
}

Status WatParser::bind(Space& space, const Token& id, std::string_view what) {
  if (!space.ids.emplace(str(id), space.count).second) {
    return error(id, "duplicate " + std::string(what) + " $" + str(id));
  }
  return Status::Ok();
}

// ---- pass 0: identifiers and field order ----------------------------------

Status WatParser::scan_fields() {
  std::string first_definition;  // kind of the first non-import definition
  auto import_ok = [&](const Token& at) -> Status {
    if (!first_definition.empty()) return error(at, "import after " + first_definition);
    return Status::Ok();
  };
  auto space_of = [&](std::string_view kw, Space** space, std::string_view* what,
                      std::string_view* def_name) {
    if (kw == "func") { *space = &funcs_; *what = "func"; *def_name = "function"; }
    else if (kw == "table") { *space = &tables_; *what = "table"; *def_name = "table"; }
    else if (kw == "memory") { *space = &mems_; *what = "memory"; *def_name = "memory"; }
    else if (kw == "global") { *space = &globals_; *what = "global"; *def_name = "global"; }
    else if (kw == "tag") { *space = &tags_; *what = "tag"; *def_name = "tag"; }
    else return false;
    return true;
  };
  auto bind_next = [&](Space& space, const Token& maybe_id, std::string_view what) -> Status {
    if (maybe_id.kind == Tok::id) WEFT_CHECK(bind(space, maybe_id, what));
    if (&space == &funcs_) func_names_.push_back(maybe_id.kind == Tok::id ? str(maybe_id) : "");
    ++space.count;
    return Status::Ok();
  };

  while (peek().kind == Tok::lparen) {
    const size_t open = pos_;
    const Token& kw = peek(1);
    if (kw.kind != Tok::keyword) return unexpected(kw);
    std::string_view name = text(kw);
    FieldKind kind;
    Space* space = nullptr;
    std::string_view what, def_name;
    if (name == "type") {
      kind = FieldKind::type;
      WEFT_CHECK(bind_next(types_space_, peek(2), "type"));
    } else if (name == "rec") {
      kind = FieldKind::rec;
      pos_ = open + 2;
      while (peek_form("type")) {
        WEFT_CHECK(bind_next(types_space_, peek(2), "type"));
        pos_ = peek().aux + 1;
      }
    } else if (name == "import") {
      kind = FieldKind::import;
      const Token& desc_kw = peek(5);
      if (peek(4).kind != Tok::lparen || desc_kw.kind != Tok::keyword ||
          !space_of(text(desc_kw), &space, &what, &def_name)) {
        // Malformed; reported with a precise location in pass 2.
      } else {
        WEFT_CHECK(import_ok(peek()));
        WEFT_CHECK(bind_next(*space, peek(6), what));
      }
    } else if (space_of(name, &space, &what, &def_name)) {
      kind = name == "func" ? FieldKind::func
             : name == "table" ? FieldKind::table
             : name == "memory" ? FieldKind::memory
             : name == "global" ? FieldKind::global
                                : FieldKind::tag;
      size_t i = open + 2;
      const std::vector<Token>& toks = lx_.tokens;
      if (toks[i].kind == Tok::id) ++i;
      while (toks[i].kind == Tok::lparen && is_kw(toks[i + 1], "export")) i = toks[i].aux + 1;
      bool imported = toks[i].kind == Tok::lparen && is_kw(toks[i + 1], "import");
      if (imported) {
        WEFT_CHECK(import_ok(peek()));
      } else if (first_definition.empty()) {
        first_definition = def_name;
      }
      WEFT_CHECK(bind_next(*space, peek(2), what));
      // Inline element / data segments take an index in their own space.
      if (!imported && (kind == FieldKind::table || kind == FieldKind::memory)) {
        std::string_view seg = kind == FieldKind::table ? "elem" : "data";
        for (size_t j = i; toks[j].kind != Tok::rparen && toks[j].kind != Tok::eof;) {
          if (toks[j].kind == Tok::lparen) {
            if (is_kw(toks[j + 1], seg)) ++(kind == FieldKind::table ? elems_ : datas_).count;
            j = toks[j].aux + 1;
          } else {
            ++j;
          }
        }
      }
    } else if (name == "elem") {
      kind = FieldKind::elem;
      WEFT_CHECK(bind_next(elems_, peek(2), "elem"));
    } else if (name == "data") {
      kind = FieldKind::data;
      WEFT_CHECK(bind_next(datas_, peek(2), "data"));
    } else if (name == "export") {
      kind = FieldKind::export_;
    } else if (name == "start") {
      kind = FieldKind::start;
    } else {
      return error(kw, "unknown operator " + std::string(name));
    }
    fields_.emplace_back(kind, open);
    pos_ = lx_.tokens[open].aux + 1;
  }
  return Status::Ok();
}

// ---- pass 2: encoding -----------------------------------------------------

Status WatParser::parse_inline_exports(uint8_t kind, uint32_t index) {
  while (peek_form("export")) {
    next();
    next();
    std::string name;
    WEFT_CHECK(parse_name(&name));
    WEFT_CHECK(expect(Tok::rparen));
    put_name(exports_out_, name);
    exports_out_.push_back(kind);
    put_u32(exports_out_, index);
    ++n_exports_;
  }
  return Status::Ok();
}

Status WatParser::parse_limits(Bytes& out, bool is64) {
  uint64_t min = 0, max = 0;
  WEFT_CHECK(parse_u64(&min));
  bool has_max = peek().kind == Tok::nat;
  if (has_max) WEFT_CHECK(parse_u64(&max));
  out.push_back(static_cast<uint8_t>((has_max ? 0x01 : 0x00) | (is64 ? 0x04 : 0x00)));
  put_u32(out, min);
  if (has_max) put_u32(out, max);
  return Status::Ok();
}

namespace {
// The offset expression `(i32.const 0)` / `(i64.const 0)` of inline segments.
void put_zero_offset(Bytes& out, bool is64) {
  put_opcode(out, is64 ? Op::i64_const : Op::i32_const);
  out.push_back(0x00);
  put_opcode(out, Op::end);
}

// Consumes an optional address type keyword; true for i64.
bool take_addrtype(const Token& t, std::string_view text, bool* is64) {
  if (t.kind != Tok::keyword || (text != "i32" && text != "i64")) return false;
  *is64 = text == "i64";
  return true;
}
}  // namespace

Status WatParser::parse_table_type(Bytes& out, ValType* elem_type) {
  bool is64 = false;
  if (take_addrtype(peek(), text(peek()), &is64)) next();
  Bytes limits;
  WEFT_CHECK(parse_limits(limits, is64));
  WEFT_CHECK(parse_reftype(elem_type));
  put_valtype(out, *elem_type);
  put_bytes(out, limits);
  return Status::Ok();
}

Status WatParser::parse_memory_type(Bytes& out) {
  bool is64 = false;
  if (take_addrtype(peek(), text(peek()), &is64)) next();
  return parse_limits(out, is64);
}

Status WatParser::parse_global_type(Bytes& out) {
  bool mut = false;
  if (peek_form("mut")) {
    next();
    next();
    mut = true;
  }
  ValType t;
  WEFT_CHECK(parse_valtype(&t));
  if (mut) WEFT_CHECK(expect(Tok::rparen));
  put_valtype(out, t);
  out.push_back(mut ? 0x01 : 0x00);
  return Status::Ok();
}

Status WatParser::parse_const_expr(Bytes& out) {
  FuncCtx ctx;
  WEFT_CHECK(parse_instrs(out, ctx));
  put_opcode(out, Op::end);
  return Status::Ok();
}

// Element list: `func x*` or `reftype item*`; the legacy form `x*` (after an
// offset) is also accepted. Items are encoded as function indices when
// *func_indices, else as constant expressions.
Status WatParser::parse_elem_list(Bytes& out, ValType* type, uint32_t* count, bool* func_indices) {
  *count = 0;
  if (peek_kw("func") || peek_index() || peek().kind == Tok::rparen) {
    if (peek_kw("func")) next();
    *func_indices = true;
    *type = ValType::ref(HeapType::abstract(AbsHeap::func), false);
    while (peek_index()) {
      uint32_t x = 0;
      WEFT_CHECK(parse_index(funcs_, "function", &x));
      put_u32(out, x);
      ++*count;
    }
    return Status::Ok();
  }
  *func_indices = false;
  WEFT_CHECK(parse_reftype(type));
  while (peek().kind == Tok::lparen) {
    FuncCtx ctx;
    if (peek_form("item")) {
      next();
      next();
      WEFT_CHECK(parse_instrs(out, ctx));
      WEFT_CHECK(expect(Tok::rparen));
    } else {
      WEFT_CHECK(parse_instrs(out, ctx, true));
    }
    put_opcode(out, Op::end);
    ++*count;
  }
  return Status::Ok();
}

Status WatParser::encode_import(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("import"));
  std::string module, name;
  WEFT_CHECK(parse_name(&module));
  WEFT_CHECK(parse_name(&name));
  put_name(imports_, module);
  put_name(imports_, name);
  WEFT_CHECK(expect(Tok::lparen));
  const Token& kw = next();
  if (peek().kind == Tok::id) next();
  if (is_kw(kw, "func")) {
    TypeUse tu;
    uint32_t index = 0;
    WEFT_CHECK(parse_type_use(tu, true));
    WEFT_CHECK(resolve_type_use(tu, &index));
    imports_.push_back(0x00);
    put_u32(imports_, index);
    ++next_func_;
  } else if (is_kw(kw, "table")) {
    ValType elem;
    imports_.push_back(0x01);
    WEFT_CHECK(parse_table_type(imports_, &elem));
    ++next_table_;
  } else if (is_kw(kw, "memory")) {
    imports_.push_back(0x02);
    WEFT_CHECK(parse_memory_type(imports_));
    ++next_mem_;
  } else if (is_kw(kw, "global")) {
    imports_.push_back(0x03);
    WEFT_CHECK(parse_global_type(imports_));
    ++next_global_;
  } else if (is_kw(kw, "tag")) {
    TypeUse tu;
    uint32_t index = 0;
    WEFT_CHECK(parse_type_use(tu, true));
    WEFT_CHECK(resolve_type_use(tu, &index));
    imports_.push_back(0x04);
    imports_.push_back(0x00);
    put_u32(imports_, index);
    ++next_tag_;
  } else {
    return unexpected(kw);
  }
  ++n_imports_;
  WEFT_CHECK(expect(Tok::rparen));
  return expect(Tok::rparen);
}

Status WatParser::encode_func(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("func"));
  if (peek().kind == Tok::id) next();
  uint32_t func_index = next_func_++;
  WEFT_CHECK(parse_inline_exports(0x00, func_index));
  bool imported = false;
  if (peek_form("import")) {
    next();
    next();
    std::string module, name;
    WEFT_CHECK(parse_name(&module));
    WEFT_CHECK(parse_name(&name));
    WEFT_CHECK(expect(Tok::rparen));
    put_name(imports_, module);
    put_name(imports_, name);
    imported = true;
  }
  TypeUse tu;
  uint32_t type_index = 0;
  WEFT_CHECK(parse_type_use(tu, true));
  WEFT_CHECK(resolve_type_use(tu, &type_index));
  if (imported) {
    imports_.push_back(0x00);
    put_u32(imports_, type_index);
    ++n_imports_;
    return expect(Tok::rparen);
  }
  func_types_.push_back(type_index);

  FuncCtx ctx;
  for (const Token* id : tu.param_ids) {
    if (id) WEFT_CHECK(bind(ctx.locals, *id, "local"));
    ++ctx.locals.count;
  }
  std::vector<ValType> locals;
  while (peek_form("local")) {
    next();
    next();
    if (peek().kind == Tok::id) {
      const Token& id = next();
      WEFT_CHECK(bind(ctx.locals, id, "local"));
      ValType t;
      WEFT_CHECK(parse_valtype(&t));
      locals.push_back(t);
      ++ctx.locals.count;
    } else {
      while (peek().kind != Tok::rparen) {
        ValType t;
        WEFT_CHECK(parse_valtype(&t));
        locals.push_back(t);
        ++ctx.locals.count;
      }
    }
    WEFT_CHECK(expect(Tok::rparen));
  }
  Bytes body;
  // Locals, run-length encoded.
  uint32_t groups = 0;
  Bytes decls;
  for (size_t i = 0; i < locals.size();) {
    size_t j = i;
    while (j < locals.size() && locals[j] == locals[i]) ++j;
    put_u32(decls, j - i);
    put_valtype(decls, locals[i]);
    ++groups;
    i = j;
  }
  put_u32(body, groups);
  put_bytes(body, decls);
  mark_body_ = &body;
  body_marks_.clear();
  Status parsed = parse_instrs(body, ctx);
  mark_body_ = nullptr;
  WEFT_CHECK(parsed);
  put_opcode(body, Op::end);
  WEFT_CHECK(expect(Tok::rparen));
  put_u32(code_out_, body.size());
  for (const SourceMap::Mark& m : body_marks_)
    code_marks_.push_back({uint32_t(code_out_.size()) + m.offset, m.line, m.column});
  put_bytes(code_out_, body);
  return Status::Ok();
}

Status WatParser::encode_table(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("table"));
  if (peek().kind == Tok::id) next();
  uint32_t table_index = next_table_++;
  WEFT_CHECK(parse_inline_exports(0x01, table_index));
  ValType elem_type;
  if (peek_form("import")) {
    next();
    next();
    std::string module, name;
    WEFT_CHECK(parse_name(&module));
    WEFT_CHECK(parse_name(&name));
    WEFT_CHECK(expect(Tok::rparen));
    put_name(imports_, module);
    put_name(imports_, name);
    imports_.push_back(0x01);
    WEFT_CHECK(parse_table_type(imports_, &elem_type));
    ++n_imports_;
    return expect(Tok::rparen);
  }
  // Abbreviation: addrtype? reftype (elem ...).
  size_t save = pos_;
  bool is64 = false;
  if (take_addrtype(peek(), text(peek()), &is64)) next();
  if (peek_reftype()) {
    WEFT_CHECK(parse_reftype(&elem_type));
    WEFT_CHECK(expect_form("elem"));
    Bytes items;
    uint32_t count = 0;
    if (peek().kind == Tok::lparen) {
      while (peek().kind == Tok::lparen) {
        FuncCtx ctx;
        if (peek_form("item")) {
          next();
          next();
          WEFT_CHECK(parse_instrs(items, ctx));
          WEFT_CHECK(expect(Tok::rparen));
        } else {
          WEFT_CHECK(parse_instrs(items, ctx, true));
        }
        put_opcode(items, Op::end);
        ++count;
      }
    } else {
      while (peek_index()) {
        uint32_t x = 0;
        WEFT_CHECK(parse_index(funcs_, "function", &x));
        put_opcode(items, Op::ref_func);
        put_u32(items, x);
        put_opcode(items, Op::end);
        ++count;
      }
    }
    WEFT_CHECK(expect(Tok::rparen));
    WEFT_CHECK(expect(Tok::rparen));
    put_valtype(tables_out_, elem_type);
    tables_out_.push_back(is64 ? 0x05 : 0x01);
    put_u32(tables_out_, count);
    put_u32(tables_out_, count);
    ++n_tables_;
    elems_out_.push_back(0x06);
    put_u32(elems_out_, table_index);
    put_zero_offset(elems_out_, is64);
    put_valtype(elems_out_, elem_type);
    put_u32(elems_out_, count);
    put_bytes(elems_out_, items);
    ++n_elems_;
    return Status::Ok();
  }
  pos_ = save;
  Bytes type;
  WEFT_CHECK(parse_table_type(type, &elem_type));
  if (peek().kind != Tok::rparen) {
    tables_out_.push_back(0x40);
    tables_out_.push_back(0x00);
    put_bytes(tables_out_, type);
    WEFT_CHECK(parse_const_expr(tables_out_));
  } else {
    put_bytes(tables_out_, type);
  }
  ++n_tables_;
  return expect(Tok::rparen);
}

Status WatParser::encode_memory(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("memory"));
  if (peek().kind == Tok::id) next();
  uint32_t mem_index = next_mem_++;
  WEFT_CHECK(parse_inline_exports(0x02, mem_index));
  if (peek_form("import")) {
    next();
    next();
    std::string module, name;
    WEFT_CHECK(parse_name(&module));
    WEFT_CHECK(parse_name(&name));
    WEFT_CHECK(expect(Tok::rparen));
    put_name(imports_, module);
    put_name(imports_, name);
    imports_.push_back(0x02);
    WEFT_CHECK(parse_memory_type(imports_));
    ++n_imports_;
    return expect(Tok::rparen);
  }
  bool is64 = false;
  size_t save = pos_;
  if (take_addrtype(peek(), text(peek()), &is64)) next();
  if (peek_form("data")) {
    next();
    next();
    std::string bytes;
    while (peek().kind == Tok::string) bytes += str(next());
    WEFT_CHECK(expect(Tok::rparen));
    uint64_t pages = (uint64_t{bytes.size()} + 65535) / 65536;
    mems_out_.push_back(is64 ? 0x05 : 0x01);
    put_u32(mems_out_, pages);
    put_u32(mems_out_, pages);
    if (mem_index == 0) {
      datas_out_.push_back(0x00);
    } else {
      datas_out_.push_back(0x02);
      put_u32(datas_out_, mem_index);
    }
    put_zero_offset(datas_out_, is64);
    put_name(datas_out_, bytes);
    ++n_datas_;
  } else {
    pos_ = save;
    WEFT_CHECK(parse_memory_type(mems_out_));
  }
  ++n_mems_;
  return expect(Tok::rparen);
}

Status WatParser::encode_global(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("global"));
  if (peek().kind == Tok::id) next();
  uint32_t global_index = next_global_++;
  WEFT_CHECK(parse_inline_exports(0x03, global_index));
  if (peek_form("import")) {
    next();
    next();
    std::string module, name;
    WEFT_CHECK(parse_name(&module));
    WEFT_CHECK(parse_name(&name));
    WEFT_CHECK(expect(Tok::rparen));
    put_name(imports_, module);
    put_name(imports_, name);
    imports_.push_back(0x03);
    WEFT_CHECK(parse_global_type(imports_));
    ++n_imports_;
    return expect(Tok::rparen);
  }
  WEFT_CHECK(parse_global_type(globals_out_));
  WEFT_CHECK(parse_const_expr(globals_out_));
  ++n_globals_;
  return expect(Tok::rparen);
}

Status WatParser::encode_tag(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("tag"));
  if (peek().kind == Tok::id) next();
  uint32_t tag_index = next_tag_++;
  WEFT_CHECK(parse_inline_exports(0x04, tag_index));
  bool imported = false;
  if (peek_form("import")) {
    next();
    next();
    std::string module, name;
    WEFT_CHECK(parse_name(&module));
    WEFT_CHECK(parse_name(&name));
    WEFT_CHECK(expect(Tok::rparen));
    put_name(imports_, module);
    put_name(imports_, name);
    imported = true;
  }
  TypeUse tu;
  uint32_t type_index = 0;
  WEFT_CHECK(parse_type_use(tu, true));
  WEFT_CHECK(resolve_type_use(tu, &type_index));
  Bytes& out = imported ? imports_ : tags_out_;
  if (imported) {
    out.push_back(0x04);
    ++n_imports_;
  } else {
    ++n_tags_;
  }
  out.push_back(0x00);
  put_u32(out, type_index);
  return expect(Tok::rparen);
}

Status WatParser::encode_export(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("export"));
  std::string name;
  WEFT_CHECK(parse_name(&name));
  WEFT_CHECK(expect(Tok::lparen));
  const Token& kw = next();
  uint32_t index = 0;
  uint8_t kind;
  if (is_kw(kw, "func")) {
    kind = 0x00;
    WEFT_CHECK(parse_index(funcs_, "function", &index));
  } else if (is_kw(kw, "table")) {
    kind = 0x01;
    WEFT_CHECK(parse_index(tables_, "table", &index));
  } else if (is_kw(kw, "memory")) {
    kind = 0x02;
    WEFT_CHECK(parse_index(mems_, "memory", &index));
  } else if (is_kw(kw, "global")) {
    kind = 0x03;
    WEFT_CHECK(parse_index(globals_, "global", &index));
  } else if (is_kw(kw, "tag")) {
    kind = 0x04;
    WEFT_CHECK(parse_index(tags_, "tag", &index));
  } else {
    return unexpected(kw);
  }
  WEFT_CHECK(expect(Tok::rparen));
  put_name(exports_out_, name);
  exports_out_.push_back(kind);
  put_u32(exports_out_, index);
  ++n_exports_;
  return expect(Tok::rparen);
}

Status WatParser::encode_start(size_t open) {
  pos_ = open;
  const Token& at = peek();
  WEFT_CHECK(expect_form("start"));
  uint32_t index = 0;
  WEFT_CHECK(parse_index(funcs_, "function", &index));
  if (start_) return error(at, "multiple start sections");
  start_ = index;
  return expect(Tok::rparen);
}

Status WatParser::encode_elem(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("elem"));
  if (peek().kind == Tok::id) next();
  enum { passive, active, declarative } mode = passive;
  uint32_t table = 0;
  Bytes offset;
  if (peek_kw("declare")) {
    next();
    mode = declarative;
  } else {
    bool has_table = false;
    if (peek_form("table")) {
      next();
      next();
      WEFT_CHECK(parse_index(tables_, "table", &table));
      WEFT_CHECK(expect(Tok::rparen));
      has_table = true;
    }
    FuncCtx ctx;
    if (peek_form("offset")) {
      next();
      next();
      WEFT_CHECK(parse_instrs(offset, ctx));
      WEFT_CHECK(expect(Tok::rparen));
      mode = active;
    } else if (peek().kind == Tok::lparen && !peek_form("ref")) {
      WEFT_CHECK(parse_instrs(offset, ctx, true));
      mode = active;
    } else if (has_table) {
      return unexpected(peek());
    }
    put_opcode(offset, Op::end);
  }
  if (mode != active && peek_index()) return unexpected(peek());
  Bytes items;
  ValType type;
  uint32_t count = 0;
  bool func_indices = false;
  WEFT_CHECK(parse_elem_list(items, &type, &count, &func_indices));
  WEFT_CHECK(expect(Tok::rparen));
  Bytes& out = elems_out_;
  if (func_indices) {
    switch (mode) {
      case active:
        if (table == 0) {
          out.push_back(0x00);
          put_bytes(out, offset);
        } else {
          out.push_back(0x02);
          put_u32(out, table);
          put_bytes(out, offset);
          out.push_back(0x00);
        }
        break;
      case passive:
        out.push_back(0x01);
        out.push_back(0x00);
        break;
      case declarative:
        out.push_back(0x03);
        out.push_back(0x00);
        break;
    }
  } else {
    switch (mode) {
      case active:
        if (table == 0 && type == ValType::funcref()) {
          out.push_back(0x04);
          put_bytes(out, offset);
        } else {
          out.push_back(0x06);
          put_u32(out, table);
          put_bytes(out, offset);
          put_valtype(out, type);
        }
        break;
      case passive:
        out.push_back(0x05);
        put_valtype(out, type);
        break;
      case declarative:
        out.push_back(0x07);
        put_valtype(out, type);
        break;
    }
  }
  put_u32(out, count);
  put_bytes(out, items);
  ++n_elems_;
  return Status::Ok();
}

Status WatParser::encode_data(size_t open) {
  pos_ = open;
  WEFT_CHECK(expect_form("data"));
  if (peek().kind == Tok::id) next();
  bool active = false, has_mem = false;
  uint32_t mem = 0;
  Bytes offset;
  if (peek_form("memory")) {
    next();
    next();
    WEFT_CHECK(parse_index(mems_, "memory", &mem));
    WEFT_CHECK(expect(Tok::rparen));
    has_mem = true;
  }
  FuncCtx ctx;
  if (peek_form("offset")) {
    next();
    next();
    WEFT_CHECK(parse_instrs(offset, ctx));
    WEFT_CHECK(expect(Tok::rparen));
    active = true;
  } else if (peek().kind == Tok::lparen) {
    WEFT_CHECK(parse_instrs(offset, ctx, true));
    active = true;
  } else if (has_mem) {
    return unexpected(peek());
  }
  std::string bytes;
  while (peek().kind == Tok::string) bytes += str(next());
  WEFT_CHECK(expect(Tok::rparen));
  if (!active) {
    datas_out_.push_back(0x01);
  } else if (mem == 0) {
    datas_out_.push_back(0x00);
  } else {
    datas_out_.push_back(0x02);
    put_u32(datas_out_, mem);
  }
  if (active) {
    put_bytes(datas_out_, offset);
    put_opcode(datas_out_, Op::end);
  }
  put_name(datas_out_, bytes);
  ++n_datas_;
  return Status::Ok();
}

Status WatParser::encode_fields() {
  for (const auto& [kind, open] : fields_) {
    switch (kind) {
      case FieldKind::type:
      case FieldKind::rec:
        break;
      case FieldKind::import: WEFT_CHECK(encode_import(open)); break;
      case FieldKind::func: WEFT_CHECK(encode_func(open)); break;
      case FieldKind::table: WEFT_CHECK(encode_table(open)); break;
      case FieldKind::memory: WEFT_CHECK(encode_memory(open)); break;
      case FieldKind::global: WEFT_CHECK(encode_global(open)); break;
      case FieldKind::tag: WEFT_CHECK(encode_tag(open)); break;
      case FieldKind::export_: WEFT_CHECK(encode_export(open)); break;
      case FieldKind::start: WEFT_CHECK(encode_start(open)); break;
      case FieldKind::elem: WEFT_CHECK(encode_elem(open)); break;
      case FieldKind::data: WEFT_CHECK(encode_data(open)); break;
    }
  }
  return Status::Ok();
}

// ---- assembly -------------------------------------------------------------

namespace {

void put_section(Bytes& out, uint8_t id, const Bytes& contents) {
  out.push_back(id);
  put_u32(out, contents.size());
  put_bytes(out, contents);
}

void put_vec_section(Bytes& out, uint8_t id, uint32_t count, const Bytes& entries) {
  if (count == 0) return;
  Bytes contents;
  put_u32(contents, count);
  put_bytes(contents, entries);
  put_section(out, id, contents);
}

void put_subtype(Bytes& out, const SubType& st) {
  if (!st.final_ || !st.supers.empty()) {
    out.push_back(st.final_ ? 0x4f : 0x50);
    put_u32(out, st.supers.size());
    for (uint32_t s : st.supers) put_u32(out, s);
  }
  const CompType& ct = st.comp;
  auto put_field = [&](const FieldType& f) {
    put_valtype(out, f.type);
    out.push_back(f.mutable_ ? 0x01 : 0x00);
  };
  switch (ct.kind) {
    case CompKind::func:
      out.push_back(0x60);
      put_u32(out, ct.func.params.size());
      for (const ValType& t : ct.func.params) put_valtype(out, t);
      put_u32(out, ct.func.results.size());
      for (const ValType& t : ct.func.results) put_valtype(out, t);
      break;
    case CompKind::struct_:
      out.push_back(0x5f);
      put_u32(out, ct.struct_.fields.size());
      for (const FieldType& f : ct.struct_.fields) put_field(f);
      break;
    case CompKind::array:
      out.push_back(0x5e);
      put_field(ct.array.elem);
      break;
    case CompKind::cont:
      out.push_back(0x5d);
      put_heaptype(out, ct.cont.func);
      break;
  }
}

}  // namespace

Bytes WatParser::assemble() {
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (!groups_.empty()) {
    Bytes types;
    put_u32(types, groups_.size());
    for (const RecGroup& g : groups_) {
      if (g.explicit_rec) {
        types.push_back(0x4e);
        put_u32(types, g.size);
      }
      for (uint32_t i = g.first; i < g.first + g.size; ++i) put_subtype(types, types_[i].sub);
    }
    put_section(out, 1, types);
  }
  put_vec_section(out, 2, n_imports_, imports_);
  Bytes funcs;
  for (uint32_t t : func_types_) put_u32(funcs, t);
  put_vec_section(out, 3, static_cast<uint32_t>(func_types_.size()), funcs);
  put_vec_section(out, 4, n_tables_, tables_out_);
  put_vec_section(out, 5, n_mems_, mems_out_);
  put_vec_section(out, 13, n_tags_, tags_out_);
  put_vec_section(out, 6, n_globals_, globals_out_);
  put_vec_section(out, 7, n_exports_, exports_out_);
  if (start_) {
    Bytes start;
    put_u32(start, *start_);
    put_section(out, 8, start);
  }
  put_vec_section(out, 9, n_elems_, elems_out_);
  if (n_datas_ > 0 || uses_data_index_) {
    Bytes count;
    put_u32(count, n_datas_);
    put_section(out, 12, count);
  }
  if (!func_types_.empty()) {
    // Section id, size and count precede code_out_ in the section.
    Bytes count;
    put_u32(count, func_types_.size());
    Bytes size;
    put_u32(size, count.size() + code_out_.size());
    uint32_t base = uint32_t(out.size() + 1 + size.size() + count.size());
    source_marks.clear();
    for (const SourceMap::Mark& m : code_marks_) source_marks.push_back({base + m.offset, m.line, m.column});
    code_end = base + uint32_t(code_out_.size());
  }
  put_vec_section(out, 10, static_cast<uint32_t>(func_types_.size()), code_out_);
  put_vec_section(out, 11, n_datas_, datas_out_);

  // "name" custom section with function names.
  Bytes names;
  uint32_t named = 0;
  for (size_t i = 0; i < func_names_.size(); ++i) {
    if (func_names_[i].empty()) continue;
    put_u32(names, i);
    put_name(names, func_names_[i]);
    ++named;
  }
  if (named > 0) {
    Bytes sub;
    put_u32(sub, named);
    put_bytes(sub, names);
    Bytes contents;
    put_name(contents, "name");
    contents.push_back(0x01);
    put_u32(contents, sub.size());
    put_bytes(contents, sub);
    put_section(out, 0, contents);
  }
  return out;
}

Result<Bytes> WatParser::parse() {
  pos_ = 0;
  bool wrapped = peek_form("module");
  if (wrapped) {
    next();
    next();
    if (peek_kw("definition")) next();
    if (peek().kind == Tok::id) next();
  }
  WEFT_CHECK(scan_fields());
  if (wrapped) WEFT_CHECK(expect(Tok::rparen));
  if (peek().kind != Tok::eof) return unexpected(peek());
  WEFT_CHECK(parse_types());
  WEFT_CHECK(encode_fields());
  return assemble();
}

}  // namespace weft::text

namespace weft {

Result<std::vector<uint8_t>> parse_wat(std::string_view source, uint32_t line, uint32_t column, SourceMap* map) {
  WEFT_TRY(text::Lexed lexed, text::lex(source, line, column));
  text::WatParser parser(lexed);
  auto bytes = parser.parse();
  if (bytes.ok() && map) {
    map->marks = std::move(parser.source_marks);
    map->code_end = parser.code_end;
  }
  return bytes;
}

Location SourceMap::locate(uint64_t offset, Location fallback) const {
  auto it = std::upper_bound(marks.begin(), marks.end(), offset,
                             [](uint64_t off, const Mark& m) { return off < m.offset; });
  if (it == marks.begin()) return fallback;
  --it;
  return Location::at_text(it->line, it->column);
}

void SourceMap::relocate(Error& e) const {
  if (e.location.kind != Location::Kind::byte_offset || marks.empty()) return;
  if (e.location.offset < marks.front().offset || e.location.offset >= code_end) return;
  e.location = locate(e.location.offset, e.location);
}

}  // namespace weft
