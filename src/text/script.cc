// The .wast script format: commands, actions, argument constants and result
// patterns. Modules are kept as text or bytes (see script.h).
#include "text/script.h"

#include "text/lexer.h"
#include "text/numbers.h"

namespace weft {

namespace {

using text::Lexed;
using text::NumStatus;
using text::Tok;
using text::Token;

bool abstract_heap(std::string_view name, AbsHeap* out) {
  struct Entry {
    std::string_view name;
    AbsHeap heap;
  };
  static constexpr Entry kHeaps[] = {
      {"any", AbsHeap::any},         {"eq", AbsHeap::eq},           {"i31", AbsHeap::i31},
      {"struct", AbsHeap::struct_},  {"array", AbsHeap::array},     {"none", AbsHeap::none},
      {"func", AbsHeap::func},       {"nofunc", AbsHeap::nofunc},   {"extern", AbsHeap::extern_},
      {"noextern", AbsHeap::noextern}, {"exn", AbsHeap::exn},       {"noexn", AbsHeap::noexn},
      {"cont", AbsHeap::cont},       {"nocont", AbsHeap::nocont},
  };
  for (const Entry& e : kHeaps) {
    if (e.name == name) {
      *out = e.heap;
      return true;
    }
  }
  return false;
}

// Deepest nesting of (either ...) patterns accepted.
constexpr int kMaxPatternDepth = 16;

class ScriptParser {
 public:
  explicit ScriptParser(const Lexed& lx) : lx_(lx) {}

  Result<Script> parse() {
    Script script;
    if (peek().kind == Tok::lparen && is_module_field(peek(1))) {
      // A script that is just module fields is one inline module.
      Command cmd;
      const Token& first = peek();
      cmd.line = first.line;
      cmd.module.kind = ScriptModule::Kind::text;
      cmd.module.text = std::string(lx_.source.substr(first.offset));
      cmd.module.line = first.line;
      cmd.module.column = first.column;
      script.commands.push_back(std::move(cmd));
      return script;
    }
    while (peek().kind == Tok::lparen) {
      Command cmd;
      WEFT_CHECK(parse_command(cmd));
      script.commands.push_back(std::move(cmd));
    }
    if (peek().kind != Tok::eof) return unexpected(peek());
    return script;
  }

 private:
  const Lexed& lx_;
  size_t pos_ = 0;

  bool is_module_field(const Token& t) const {
    static constexpr std::string_view kFields[] = {"type", "rec", "func", "table", "memory",
                                                   "global", "tag", "import", "export", "start",
                                                   "elem", "data"};
    if (t.kind != Tok::keyword) return false;
    for (std::string_view f : kFields) {
      if (text(t) == f) return true;
    }
    return false;
  }

  const Token& peek(size_t k = 0) const {
    size_t i = pos_ + k;
    if (i >= lx_.tokens.size()) i = lx_.tokens.size() - 1;
    return lx_.tokens[i];
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < lx_.tokens.size()) ++pos_;
    return t;
  }
  std::string_view text(const Token& t) const { return lx_.text(t); }
  bool is_kw(const Token& t, std::string_view kw) const {
    return t.kind == Tok::keyword && text(t) == kw;
  }
  bool peek_form(std::string_view kw) const {
    return peek().kind == Tok::lparen && is_kw(peek(1), kw);
  }
  Error error(const Token& t, std::string msg) const {
    return make_error(ErrorKind::malformed, std::move(msg), Location::at_text(t.line, t.column));
  }
  Error unexpected(const Token& t) const {
    if (t.kind == Tok::eof) return error(t, "unexpected end of input");
    if (t.kind == Tok::reserved) return error(t, "unknown operator " + std::string(text(t)));
    return error(t, "unexpected token");
  }
  Status expect(Tok kind) {
    if (peek().kind != kind) return unexpected(peek());
    next();
    return Status::Ok();
  }
  Status parse_string(std::string* out) {
    if (peek().kind != Tok::string) return unexpected(peek());
    *out = lx_.str(next());
    return Status::Ok();
  }
  std::string take_name() { return "$" + lx_.str(next()); }

  Status parse_module(ScriptModule& m) {
    const Token& open = peek();
    const Token& close = lx_.tokens[open.aux];
    m.line = open.line;
    m.column = open.column;
    next();
    next();  // module
    if (is_kw(peek(), "definition")) {
      next();
      m.definition = true;
    }
    if (peek().kind == Tok::id) m.name = take_name();
    if (is_kw(peek(), "binary") || is_kw(peek(), "quote")) {
      bool binary = is_kw(next(), "binary");
      m.kind = binary ? ScriptModule::Kind::binary : ScriptModule::Kind::quote;
      std::string all;
      while (peek().kind == Tok::string) all += lx_.str(next());
      if (binary) m.bytes.assign(all.begin(), all.end());
      else m.text = std::move(all);
      return expect(Tok::rparen);
    }
    m.kind = ScriptModule::Kind::text;
    m.text = std::string(lx_.source.substr(open.offset, close.offset + 1 - open.offset));
    pos_ = open.aux + 1;
    return Status::Ok();
  }

  Status parse_const(Value& v) {
    WEFT_CHECK(expect(Tok::lparen));
    const Token& kw = next();
    std::string_view op = text(kw);
    const Token& arg = peek();
    if (op == "i32.const" || op == "i64.const") {
      uint64_t bits = 0;
      if (text::parse_int(text(arg), op[1] == '3' ? 32 : 64, &bits) != NumStatus::ok) {
        return error(arg, "constant out of range");
      }
      next();
      v = op[1] == '3' ? Value::i32(static_cast<uint32_t>(bits)) : Value::i64(bits);
    } else if (op == "f32.const") {
      uint32_t bits = 0;
      if (text::parse_f32(text(arg), &bits) != NumStatus::ok) return error(arg, "constant out of range");
      next();
      v = Value::f32_bits(bits);
    } else if (op == "f64.const") {
      uint64_t bits = 0;
      if (text::parse_f64(text(arg), &bits) != NumStatus::ok) return error(arg, "constant out of range");
      next();
      v = Value::f64_bits(bits);
    } else if (op == "ref.null") {
      AbsHeap h;
      if (arg.kind != Tok::keyword || !abstract_heap(text(arg), &h)) return unexpected(arg);
      next();
      v = Value::ref(ValType::ref_null(h), kNullRef);
    } else if (op == "ref.extern" || op == "ref.host") {
      uint64_t n = 0;
      if (text::parse_nat(text(arg), (~uint64_t{0}) >> 2, &n) != NumStatus::ok) return unexpected(arg);
      next();
      ValType t = op == "ref.extern" ? ValType::externref() : ValType::ref_null(AbsHeap::any);
      v = Value::ref(t, make_host_ref(n));
    } else if (op == "v128.const") {
      return error(kw, "v128 constants are not supported");
    } else {
      return unexpected(kw);
    }
    return expect(Tok::rparen);
  }

  Status parse_action(Action& a) {
    WEFT_CHECK(expect(Tok::lparen));
    const Token& kw = next();
    if (is_kw(kw, "invoke")) a.kind = Action::Kind::invoke;
    else if (is_kw(kw, "get")) a.kind = Action::Kind::get;
    else return unexpected(kw);
    if (peek().kind == Tok::id) a.module = take_name();
    WEFT_CHECK(parse_string(&a.field));
    if (a.kind == Action::Kind::invoke) {
      while (peek().kind == Tok::lparen) {
        Value v;
        WEFT_CHECK(parse_const(v));
        a.args.push_back(v);
      }
    }
    return expect(Tok::rparen);
  }

  // A number pattern for a lane or scalar of type `ty` ("i32", "f32", ...).
  Status parse_num_pattern(std::string_view ty, unsigned int_bits, ResultPattern& p) {
    const Token& arg = peek();
    std::string_view t = text(arg);
    bool f32 = ty == "f32", f64 = ty == "f64";
    if ((f32 || f64) && (t == "nan:canonical" || t == "nan:arithmetic")) {
      bool canonical = t == "nan:canonical";
      p.kind = f32 ? (canonical ? ResultPattern::Kind::f32_nan_canonical
                                : ResultPattern::Kind::f32_nan_arithmetic)
                   : (canonical ? ResultPattern::Kind::f64_nan_canonical
                                : ResultPattern::Kind::f64_nan_arithmetic);
      next();
      return Status::Ok();
    }
    if (f32) {
      uint32_t bits = 0;
      if (text::parse_f32(t, &bits) != NumStatus::ok) return error(arg, "constant out of range");
      p.kind = ResultPattern::Kind::f32;
      p.bits = bits;
    } else if (f64) {
      if (text::parse_f64(t, &p.bits) != NumStatus::ok) return error(arg, "constant out of range");
      p.kind = ResultPattern::Kind::f64;
    } else {
      if (text::parse_int(t, int_bits, &p.bits) != NumStatus::ok) {
        return error(arg, "constant out of range");
      }
      p.kind = int_bits == 64 ? ResultPattern::Kind::i64 : ResultPattern::Kind::i32;
    }
    next();
    return Status::Ok();
  }

  Status parse_v128_pattern(ResultPattern& p) {
    const Token& shape_tok = next();
    std::string_view shape = text(shape_tok);
    std::string_view lane_ty;
    unsigned lanes = 0, bits = 0;
    if (shape == "i8x16") lane_ty = "i32", lanes = 16, bits = 8;
    else if (shape == "i16x8") lane_ty = "i32", lanes = 8, bits = 16;
    else if (shape == "i32x4") lane_ty = "i32", lanes = 4, bits = 32;
    else if (shape == "i64x2") lane_ty = "i64", lanes = 2, bits = 64;
    else if (shape == "f32x4") lane_ty = "f32", lanes = 4;
    else if (shape == "f64x2") lane_ty = "f64", lanes = 2;
    else return unexpected(shape_tok);
    p.kind = ResultPattern::Kind::v128;
    p.v128_shape = std::string(shape);
    for (unsigned i = 0; i < lanes; ++i) {
      ResultPattern lane;
      WEFT_CHECK(parse_num_pattern(lane_ty, bits, lane));
      p.lanes.push_back(std::move(lane));
    }
    return Status::Ok();
  }

  Status parse_result(ResultPattern& p, int depth) {
    if (depth > kMaxPatternDepth) return error(peek(), "result pattern nested too deeply");
    WEFT_CHECK(expect(Tok::lparen));
    const Token& kw = next();
    if (kw.kind != Tok::keyword) return unexpected(kw);
    std::string_view op = text(kw);
    if (op == "i32.const") {
      WEFT_CHECK(parse_num_pattern("i32", 32, p));
    } else if (op == "i64.const") {
      WEFT_CHECK(parse_num_pattern("i64", 64, p));
    } else if (op == "f32.const") {
      WEFT_CHECK(parse_num_pattern("f32", 32, p));
    } else if (op == "f64.const") {
      WEFT_CHECK(parse_num_pattern("f64", 64, p));
    } else if (op == "v128.const") {
      WEFT_CHECK(parse_v128_pattern(p));
    } else if (op == "either") {
      p.kind = ResultPattern::Kind::either;
      while (peek().kind == Tok::lparen) {
        ResultPattern alt;
        WEFT_CHECK(parse_result(alt, depth + 1));
        p.alternatives.push_back(std::move(alt));
      }
      if (p.alternatives.empty()) return unexpected(peek());
    } else if (op == "ref") {
      p.kind = ResultPattern::Kind::ref_any_nonnull;
    } else if (op == "ref.null") {
      p.kind = ResultPattern::Kind::ref_null;
      // The heap type, if given, is kept as written ("func", "$t", ...).
      Tok k = peek().kind;
      if (k == Tok::keyword || k == Tok::id || k == Tok::nat) p.ref_kind = std::string(text(next()));
    } else if (op == "ref.func") {
      p.kind = ResultPattern::Kind::ref_func;
    } else if (op == "ref.extern" || op == "ref.host") {
      p.kind = op == "ref.extern" ? ResultPattern::Kind::ref_extern : ResultPattern::Kind::ref_host;
      if (peek().kind == Tok::nat) {
        if (text::parse_nat(text(peek()), (~uint64_t{0}) >> 2, &p.bits) != NumStatus::ok) {
          return error(peek(), "constant out of range");
        }
        next();
        p.has_payload = true;
      } else if (p.kind == ResultPattern::Kind::ref_host) {
        return unexpected(peek());
      }
    } else if (op.starts_with("ref.")) {
      p.kind = ResultPattern::Kind::ref_kind;
      p.ref_kind = std::string(op.substr(4));
    } else {
      return unexpected(kw);
    }
    return expect(Tok::rparen);
  }

  Status parse_command(Command& cmd) {
    const Token& open = peek();
    const Token& kw = peek(1);
    cmd.line = open.line;
    if (kw.kind != Tok::keyword) return unexpected(kw);
    std::string_view name = text(kw);
    if (name == "module") {
      if (is_kw(peek(2), "instance")) {
        cmd.kind = Command::Kind::instance;
        next();
        next();
        next();
        if (peek().kind == Tok::id) cmd.instance_name = take_name();
        if (peek().kind == Tok::id) cmd.instance_module = take_name();
        return expect(Tok::rparen);
      }
      cmd.kind = Command::Kind::module;
      return parse_module(cmd.module);
    }
    if (name == "register") {
      cmd.kind = Command::Kind::register_;
      next();
      next();
      WEFT_CHECK(parse_string(&cmd.register_name));
      if (peek().kind == Tok::id) cmd.register_module = take_name();
      return expect(Tok::rparen);
    }
    if (name == "invoke" || name == "get") {
      cmd.kind = Command::Kind::action;
      return parse_action(cmd.action);
    }
    next();
    next();
    if (name == "assert_return") {
      cmd.kind = Command::Kind::assert_return;
      WEFT_CHECK(parse_action(cmd.action));
      while (peek().kind == Tok::lparen) {
        ResultPattern p;
        WEFT_CHECK(parse_result(p, 0));
        cmd.expected.push_back(std::move(p));
      }
    } else if (name == "assert_trap") {
      if (peek_form("module")) {
        cmd.kind = Command::Kind::assert_uninstantiable;
        WEFT_CHECK(parse_module(cmd.module));
      } else {
        cmd.kind = Command::Kind::assert_trap;
        WEFT_CHECK(parse_action(cmd.action));
      }
      WEFT_CHECK(parse_string(&cmd.text));
    } else if (name == "assert_exhaustion" || name == "assert_suspension") {
      cmd.kind = name == "assert_exhaustion" ? Command::Kind::assert_exhaustion
                                             : Command::Kind::assert_suspension;
      WEFT_CHECK(parse_action(cmd.action));
      WEFT_CHECK(parse_string(&cmd.text));
    } else if (name == "assert_exception") {
      cmd.kind = Command::Kind::assert_exception;
      WEFT_CHECK(parse_action(cmd.action));
    } else if (name == "assert_malformed" || name == "assert_invalid" ||
               name == "assert_unlinkable") {
      cmd.kind = name == "assert_malformed" ? Command::Kind::assert_malformed
                 : name == "assert_invalid" ? Command::Kind::assert_invalid
                                            : Command::Kind::assert_unlinkable;
      if (!peek_form("module")) return unexpected(peek());
      WEFT_CHECK(parse_module(cmd.module));
      WEFT_CHECK(parse_string(&cmd.text));
    } else {
      return error(kw, "unknown command " + std::string(name));
    }
    return expect(Tok::rparen);
  }
};

}  // namespace

Result<Script> parse_script(std::string_view source) {
  WEFT_TRY(text::Lexed lexed, text::lex(source));
  ScriptParser parser(lexed);
  return parser.parse();
}

}  // namespace weft
