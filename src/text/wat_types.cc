// Types in the text format (text/types.rst): value, heap and reference
// types, type definitions and recursive groups, and type uses.
#include "text/wat_parser.h"

namespace weft::text {

namespace {

struct AbsName {
  std::string_view name;
  AbsHeap heap;
};

constexpr AbsName kAbsHeaps[] = {
    {"any", AbsHeap::any},       {"eq", AbsHeap::eq},         {"i31", AbsHeap::i31},
    {"struct", AbsHeap::struct_}, {"array", AbsHeap::array},  {"none", AbsHeap::none},
    {"func", AbsHeap::func},     {"nofunc", AbsHeap::nofunc}, {"extern", AbsHeap::extern_},
    {"noextern", AbsHeap::noextern}, {"exn", AbsHeap::exn},   {"noexn", AbsHeap::noexn},
    {"cont", AbsHeap::cont},     {"nocont", AbsHeap::nocont},
};

// Shorthands "anyref" etc. for (ref null <abstract>).
constexpr AbsName kRefShorthands[] = {
    {"anyref", AbsHeap::any},         {"eqref", AbsHeap::eq},
    {"i31ref", AbsHeap::i31},         {"structref", AbsHeap::struct_},
    {"arrayref", AbsHeap::array},     {"nullref", AbsHeap::none},
    {"funcref", AbsHeap::func},       {"nullfuncref", AbsHeap::nofunc},
    {"externref", AbsHeap::extern_},  {"nullexternref", AbsHeap::noextern},
    {"exnref", AbsHeap::exn},         {"nullexnref", AbsHeap::noexn},
    {"contref", AbsHeap::cont},       {"nullcontref", AbsHeap::nocont},
};

bool abs_heap_by_name(std::string_view name, AbsHeap* out) {
  for (const AbsName& a : kAbsHeaps) {
    if (a.name == name) {
      *out = a.heap;
      return true;
    }
  }
  return false;
}

bool ref_shorthand(std::string_view name, AbsHeap* out) {
  for (const AbsName& a : kRefShorthands) {
    if (a.name == name) {
      *out = a.heap;
      return true;
    }
  }
  return false;
}

bool num_type_by_name(std::string_view name, ValType* out) {
  if (name == "i32") *out = ValType::i32();
  else if (name == "i64") *out = ValType::i64();
  else if (name == "f32") *out = ValType::f32();
  else if (name == "f64") *out = ValType::f64();
  else if (name == "v128") *out = ValType::v128();
  else return false;
  return true;
}

}  // namespace

void put_heaptype(Bytes& out, const HeapType& h) {
  if (h.is_abstract()) out.push_back(static_cast<uint8_t>(h.abs()));
  else put_s64(out, int64_t{h.idx()});
}

void put_valtype(Bytes& out, const ValType& t) {
  switch (t.kind) {
    case ValKind::i32: out.push_back(0x7f); break;
    case ValKind::i64: out.push_back(0x7e); break;
    case ValKind::f32: out.push_back(0x7d); break;
    case ValKind::f64: out.push_back(0x7c); break;
    case ValKind::v128: out.push_back(0x7b); break;
    case ValKind::i8: out.push_back(0x78); break;
    case ValKind::i16: out.push_back(0x77); break;
    case ValKind::ref:
      if (t.nullable && t.heap.is_abstract()) {
        out.push_back(static_cast<uint8_t>(t.heap.abs()));
      } else {
        out.push_back(t.nullable ? 0x63 : 0x64);
        put_heaptype(out, t.heap);
      }
      break;
    case ValKind::bot: out.push_back(0x40); break;  // never produced by the parser
  }
}

bool WatParser::peek_reftype() const {
  const Token& t = peek();
  AbsHeap h;
  if (t.kind == Tok::keyword) return ref_shorthand(text(t), &h);
  return peek_form("ref");
}

Status WatParser::parse_heaptype(HeapType* out) {
  const Token& t = peek();
  AbsHeap h;
  if (t.kind == Tok::keyword && abs_heap_by_name(text(t), &h)) {
    next();
    *out = HeapType::abstract(h);
    return Status::Ok();
  }
  if (peek_index()) {
    uint32_t idx = 0;
    WEFT_CHECK(parse_index(types_space_, "type", &idx));
    *out = HeapType::index(idx);
    return Status::Ok();
  }
  return unexpected(t);
}

Status WatParser::parse_reftype(ValType* out) {
  const Token& t = peek();
  AbsHeap h;
  if (t.kind == Tok::keyword && ref_shorthand(text(t), &h)) {
    next();
    *out = ValType::ref_null(h);
    return Status::Ok();
  }
  if (!peek_form("ref")) return unexpected(t);
  next();
  next();
  bool nullable = false;
  if (peek_kw("null")) {
    next();
    nullable = true;
  }
  HeapType ht;
  WEFT_CHECK(parse_heaptype(&ht));
  WEFT_CHECK(expect(Tok::rparen));
  *out = ValType::ref(ht, nullable);
  return Status::Ok();
}

Status WatParser::parse_valtype(ValType* out) {
  const Token& t = peek();
  if (t.kind == Tok::keyword && num_type_by_name(text(t), out)) {
    next();
    return Status::Ok();
  }
  return parse_reftype(out);
}

Status WatParser::parse_fieldtype(FieldType* out) {
  bool mut = false;
  if (peek_form("mut")) {
    next();
    next();
    mut = true;
  }
  if (peek_kw("i8")) {
    next();
    out->type = ValType{ValKind::i8, false, {}};
  } else if (peek_kw("i16")) {
    next();
    out->type = ValType{ValKind::i16, false, {}};
  } else {
    WEFT_CHECK(parse_valtype(&out->type));
  }
  out->mutable_ = mut;
  if (mut) WEFT_CHECK(expect(Tok::rparen));
  return Status::Ok();
}

Status WatParser::parse_params_results(TypeUse& tu, bool allow_names) {
  while (peek_form("param")) {
    next();
    next();
    tu.has_inline = true;
    if (peek().kind == Tok::id) {
      if (!allow_names) return unexpected(peek());
      const Token& id = next();
      ValType t;
      WEFT_CHECK(parse_valtype(&t));
      tu.params.push_back(t);
      tu.param_ids.push_back(&id);
    } else {
      while (peek().kind != Tok::rparen) {
        ValType t;
        WEFT_CHECK(parse_valtype(&t));
        tu.params.push_back(t);
        tu.param_ids.push_back(nullptr);
      }
    }
    WEFT_CHECK(expect(Tok::rparen));
  }
  while (peek_form("result")) {
    next();
    next();
    tu.has_inline = true;
    while (peek().kind != Tok::rparen) {
      ValType t;
      WEFT_CHECK(parse_valtype(&t));
      tu.results.push_back(t);
    }
    WEFT_CHECK(expect(Tok::rparen));
  }
  if (peek_form("param")) return error(peek(1), "unexpected token");  // params after results
  return Status::Ok();
}

Status WatParser::parse_type_use(TypeUse& tu, bool allow_names) {
  if (peek_form("type")) {
    next();
    next();
    tu.index_tok = &peek();
    WEFT_CHECK(parse_index(types_space_, "type", &tu.index));
    tu.has_index = true;
    WEFT_CHECK(expect(Tok::rparen));
  }
  return parse_params_results(tu, allow_names);
}

const FuncType* WatParser::func_type(uint32_t index) const {
  if (index >= types_.size() || types_[index].sub.comp.kind != CompKind::func) return nullptr;
  return &types_[index].sub.comp.func;
}

namespace {

// Function types that an implicit type use may resolve to: not declared
// with sub or in a larger rec group.
bool plain_func_type(const TypeInfo& t) {
  return t.singleton && t.sub.final_ && t.sub.supers.empty() && t.sub.comp.kind == CompKind::func;
}

std::string signature_key(const std::vector<ValType>& params, const std::vector<ValType>& results) {
  Bytes key;
  put_u32(key, params.size());
  for (const ValType& t : params) put_valtype(key, t);
  for (const ValType& t : results) put_valtype(key, t);
  return std::string(key.begin(), key.end());
}

}  // namespace

uint32_t WatParser::implicit_func_type(const std::vector<ValType>& params,
                                       const std::vector<ValType>& results) {
  for (; indexed_types_ < types_.size(); ++indexed_types_) {
    const TypeInfo& t = types_[indexed_types_];
    if (!plain_func_type(t)) continue;
    // emplace keeps the first (lowest) index of a signature.
    implicit_types_.emplace(signature_key(t.sub.comp.func.params, t.sub.comp.func.results),
                            static_cast<uint32_t>(indexed_types_));
  }
  auto it = implicit_types_.find(signature_key(params, results));
  if (it != implicit_types_.end()) return it->second;
  TypeInfo info;
  info.sub.comp.kind = CompKind::func;
  info.sub.comp.func.params = params;
  info.sub.comp.func.results = results;
  uint32_t index = static_cast<uint32_t>(types_.size());
  types_.push_back(std::move(info));
  groups_.push_back(RecGroup{index, 1, false});
  return index;
}

Status WatParser::resolve_type_use(TypeUse& tu, uint32_t* index) {
  if (!tu.has_index) {
    *index = implicit_func_type(tu.params, tu.results);
    return Status::Ok();
  }
  *index = tu.index;
  const FuncType* ft = func_type(tu.index);
  if (tu.has_inline) {
    if (tu.index >= types_.size()) return error(*tu.index_tok, "unknown type");
    if (!ft || ft->params != tu.params || ft->results != tu.results) {
      return error(*tu.index_tok, "inline function type");
    }
  } else if (ft) {
    tu.params = ft->params;
    tu.results = ft->results;
    tu.param_ids.assign(ft->params.size(), nullptr);
  }
  return Status::Ok();
}

// ---- type definitions (pass 1) ----------------------------------------------

Status WatParser::parse_comptype(TypeInfo* info) {
  const Token& open = peek();
  if (open.kind != Tok::lparen) return unexpected(open);
  next();
  const Token& kw = next();
  CompType& ct = info->sub.comp;
  if (is_kw(kw, "func")) {
    ct.kind = CompKind::func;
    TypeUse tu;
    WEFT_CHECK(parse_params_results(tu, true));
    ct.func.params = std::move(tu.params);
    ct.func.results = std::move(tu.results);
  } else if (is_kw(kw, "struct")) {
    ct.kind = CompKind::struct_;
    while (peek_form("field")) {
      next();
      next();
      if (peek().kind == Tok::id) {
        const Token& id = next();
        uint32_t index = static_cast<uint32_t>(ct.struct_.fields.size());
        if (!info->fields.emplace(str(id), index).second) {
          return error(id, "duplicate field $" + str(id));
        }
        FieldType f;
        WEFT_CHECK(parse_fieldtype(&f));
        ct.struct_.fields.push_back(f);
      } else {
        while (peek().kind != Tok::rparen) {
          FieldType f;
          WEFT_CHECK(parse_fieldtype(&f));
          ct.struct_.fields.push_back(f);
        }
      }
      WEFT_CHECK(expect(Tok::rparen));
    }
  } else if (is_kw(kw, "array")) {
    ct.kind = CompKind::array;
    WEFT_CHECK(parse_fieldtype(&ct.array.elem));
  } else if (is_kw(kw, "cont")) {
    ct.kind = CompKind::cont;
    uint32_t idx = 0;
    WEFT_CHECK(parse_index(types_space_, "type", &idx));
    ct.cont.func = HeapType::index(idx);
  } else {
    return unexpected(kw);
  }
  return expect(Tok::rparen);
}

Status WatParser::parse_typedef(size_t open, TypeInfo* info) {
  pos_ = open;
  WEFT_CHECK(expect_form("type"));
  if (peek().kind == Tok::id) next();  // bound in pass 0
  if (peek_form("sub")) {
    next();
    next();
    info->sub.final_ = false;
    if (peek_kw("final")) {
      next();
      info->sub.final_ = true;
    }
    while (peek_index()) {
      uint32_t super = 0;
      WEFT_CHECK(parse_index(types_space_, "type", &super));
      info->sub.supers.push_back(super);
    }
    WEFT_CHECK(parse_comptype(info));
    WEFT_CHECK(expect(Tok::rparen));
  } else {
    info->sub.final_ = true;
    WEFT_CHECK(parse_comptype(info));
  }
  return expect(Tok::rparen);
}

Status WatParser::parse_types() {
  for (const auto& [kind, open] : fields_) {
    if (kind == FieldKind::type) {
      TypeInfo info;
      WEFT_CHECK(parse_typedef(open, &info));
      groups_.push_back(RecGroup{static_cast<uint32_t>(types_.size()), 1, false});
      types_.push_back(std::move(info));
    } else if (kind == FieldKind::rec) {
      pos_ = open;
      WEFT_CHECK(expect_form("rec"));
      RecGroup g{static_cast<uint32_t>(types_.size()), 0, true};
      while (peek().kind == Tok::lparen) {
        TypeInfo info;
        WEFT_CHECK(parse_typedef(pos_, &info));
        types_.push_back(std::move(info));
        ++g.size;
      }
      WEFT_CHECK(expect(Tok::rparen));
      for (uint32_t i = g.first; i < g.first + g.size; ++i) types_[i].singleton = g.size == 1;
      groups_.push_back(g);
    }
  }
  return Status::Ok();
}

}  // namespace weft::text
