// Internal: the text-module parser/encoder. It works directly on the token
// vector and writes the binary format as it goes (no separate AST):
//   pass 0 (wat_module.cc)  binds every identifier of the module's index spaces,
//                           checks that imports precede definitions;
//   pass 1 (wat_types.cc)   parses type definitions (rec groups), so type uses
//                           and field names can be resolved anywhere;
//   pass 2 (wat_module.cc)  encodes all other fields in order, including
//                           function bodies (wat_instr.cc); implicit function
//                           types from type uses are appended to the type list.
// Instruction sequences are parsed iteratively with an explicit frame stack,
// so deeply nested input cannot overflow the host stack.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/leb128.h"
#include "base/result.h"
#include "spec/opcodes.h"
#include "spec/types.h"
#include "text/lexer.h"
#include "text/script.h"

namespace weft::text {

using Bytes = std::vector<uint8_t>;

inline void put_u32(Bytes& out, uint64_t v) { write_uleb(out, v); }
inline void put_s64(Bytes& out, int64_t v) { write_sleb(out, v); }
inline void put_bytes(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }
inline void put_name(Bytes& out, std::string_view s) {
  put_u32(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}
void put_valtype(Bytes& out, const ValType& t);
void put_heaptype(Bytes& out, const HeapType& h);
void put_opcode(Bytes& out, Op op);

// The identifiers bound in one index space.
struct Space {
  std::unordered_map<std::string, uint32_t> ids;
  uint32_t count = 0;
};

struct TypeInfo {
  SubType sub;
  bool singleton = true;  // the only type of its recursive group
  std::unordered_map<std::string, uint32_t> fields;  // struct field identifiers
};

struct RecGroup {
  uint32_t first = 0;
  uint32_t size = 0;
  bool explicit_rec = false;  // written as (rec ...)
};

// Identifier context of one function body (or constant expression).
struct FuncCtx {
  Space locals;
  // Open block labels, innermost last ("" for unnamed ones), and where each
  // name is bound, so that a label is found in constant time at any depth.
  std::vector<std::string> labels;
  std::unordered_map<std::string, std::vector<uint32_t>> label_positions;

  void push_label(const std::string& name) {
    if (!name.empty()) label_positions[name].push_back(static_cast<uint32_t>(labels.size()));
    labels.push_back(name);
  }
  void pop_label() {
    if (!labels.back().empty()) {
      auto it = label_positions.find(labels.back());
      it->second.pop_back();
      if (it->second.empty()) label_positions.erase(it);
    }
    labels.pop_back();
  }
  // The branch depth of the innermost label `name`, if one is open.
  std::optional<uint32_t> label_depth(const std::string& name) const {
    auto it = label_positions.find(name);
    if (it == label_positions.end()) return std::nullopt;
    return static_cast<uint32_t>(labels.size() - 1 - it->second.back());
  }
};

// A type use: (type x)? (param ...)* (result ...)*.
struct TypeUse {
  bool has_index = false;
  uint32_t index = 0;
  const Token* index_tok = nullptr;
  bool has_inline = false;  // any (param ...) or (result ...) given
  std::vector<ValType> params, results;
  std::vector<const Token*> param_ids;  // identifier token of each param, or null
};

enum class FieldKind : uint8_t {
  type, rec, import, func, table, memory, global, tag, export_, start, elem, data
};

class WatParser {
 public:
  explicit WatParser(const Lexed& lx) : lx_(lx) {}
  // Parses "(module $id? field*)" or "field*" up to the end of input.
  Result<Bytes> parse();

 private:
  // ---- tokens (wat_module.cc) ----
  const Token& peek(size_t k = 0) const;
  const Token& next();
  std::string_view text(const Token& t) const { return lx_.text(t); }
  const std::string& str(const Token& t) const { return lx_.str(t); }
  bool is_kw(const Token& t, std::string_view kw) const {
    return t.kind == Tok::keyword && text(t) == kw;
  }
  bool peek_kw(std::string_view kw, size_t k = 0) const { return is_kw(peek(k), kw); }
  // '(' followed by the keyword kw, at offset k.
  bool peek_form(std::string_view kw, size_t k = 0) const {
    return peek(k).kind == Tok::lparen && peek_kw(kw, k + 1);
  }
  bool peek_index(size_t k = 0) const {
    return peek(k).kind == Tok::nat || peek(k).kind == Tok::id;
  }
  Error error(const Token& t, std::string msg) const;
  Error unexpected(const Token& t) const;
  Status expect(Tok kind);
  Status expect_kw(std::string_view kw);
  Status expect_form(std::string_view kw);  // '(' kw
  Status parse_string(std::string* out);
  Status parse_name(std::string* out);      // a string that must be valid UTF-8
  Status parse_u32(uint32_t* out);
  Status parse_u64(uint64_t* out);
  // An index (u32 or identifier) in `space`; `what` names it in errors.
  Status parse_index(const Space& space, std::string_view what, uint32_t* out);
  Status bind(Space& space, const Token& id, std::string_view what);

  // ---- module structure (wat_module.cc) ----
  Status scan_fields();  // pass 0
  Status encode_fields();  // pass 2
  Status encode_import(size_t open);
  Status encode_func(size_t open);
  Status encode_table(size_t open);
  Status encode_memory(size_t open);
  Status encode_global(size_t open);
  Status encode_tag(size_t open);
  Status encode_export(size_t open);
  Status encode_start(size_t open);
  Status encode_elem(size_t open);
  Status encode_data(size_t open);
  Status parse_inline_exports(uint8_t kind, uint32_t index);
  Status parse_limits(Bytes& out, bool is64);
  Status parse_table_type(Bytes& out, ValType* elem_type);
  Status parse_memory_type(Bytes& out);
  Status parse_global_type(Bytes& out);
  Status parse_const_expr(Bytes& out);  // instr* up to ')' plus 'end'
  Status parse_elem_list(Bytes& out, ValType* type, uint32_t* count, bool* func_indices);
  Bytes assemble();

 public:
  // Filled by assemble(): instruction marks at absolute binary offsets.
  std::vector<SourceMap::Mark> source_marks;
  uint32_t code_end = 0;

 private:
  // Marks of the function body being encoded (offsets within `*mark_body_`),
  // then of code_out_ (offsets within code_out_).
  Bytes* mark_body_ = nullptr;
  std::vector<SourceMap::Mark> body_marks_;
  std::vector<SourceMap::Mark> code_marks_;

  // ---- types (wat_types.cc) ----
  Status parse_types();  // pass 1
  Status parse_typedef(size_t open, TypeInfo* info);
  Status parse_comptype(TypeInfo* info);
  Status parse_fieldtype(FieldType* out);
  bool peek_reftype() const;
  Status parse_valtype(ValType* out);
  Status parse_reftype(ValType* out);
  Status parse_heaptype(HeapType* out);
  // Parses (param ...)* (result ...)* into tu; named params only if allowed.
  Status parse_params_results(TypeUse& tu, bool allow_names);
  Status parse_type_use(TypeUse& tu, bool allow_names);
  // Resolves a type use to a type index (explicit, or an implicit func type).
  Status resolve_type_use(TypeUse& tu, uint32_t* index);
  uint32_t implicit_func_type(const std::vector<ValType>& params, const std::vector<ValType>& results);
  const FuncType* func_type(uint32_t index) const;

  // ---- instructions (wat_instr.cc) ----
  // Parses instr* up to (not including) the ')' that closes the enclosing
  // form; with `single`, parses exactly one folded instruction.
  Status parse_instrs(Bytes& out, FuncCtx& ctx, bool single = false);
  Status parse_plain(const Token& name, Bytes& out, FuncCtx& ctx);
  Status parse_block_type(Bytes& out);
  Status parse_label_def(std::string* label);  // optional label identifier
  Status parse_label(const FuncCtx& ctx, uint32_t* depth);
  Status parse_catches(Bytes& out, const FuncCtx& ctx);
  Status parse_handlers(Bytes& out, const FuncCtx& ctx);
  Status parse_memarg(Bytes& out, std::string_view op_name);
  Status parse_field_index(uint32_t type_index, uint32_t* out);

  const Lexed& lx_;
  size_t pos_ = 0;

  std::vector<std::pair<FieldKind, size_t>> fields_;  // kind, token index of '('
  Space types_space_, funcs_, tables_, mems_, globals_, tags_, elems_, datas_;
  std::vector<std::string> func_names_;  // per function index; "" if unnamed

  std::vector<TypeInfo> types_;
  std::vector<RecGroup> groups_;
  // The first type among types_[0, indexed_types_) that an implicit type use
  // with a given signature resolves to, keyed by the encoded signature.
  std::unordered_map<std::string, uint32_t> implicit_types_;
  size_t indexed_types_ = 0;

  // Section contents (without section headers) and entry counts.
  Bytes imports_, tables_out_, mems_out_, tags_out_, globals_out_, exports_out_;
  Bytes elems_out_, datas_out_, code_out_;
  uint32_t n_imports_ = 0, n_tables_ = 0, n_mems_ = 0, n_tags_ = 0, n_globals_ = 0;
  uint32_t n_exports_ = 0, n_elems_ = 0, n_datas_ = 0;
  std::vector<uint32_t> func_types_;  // type index of each defined function
  std::optional<uint32_t> start_;
  bool uses_data_index_ = false;  // code refers to data segments: needs a datacount section
  // Running index of the next function/table/... in pass 2.
  uint32_t next_func_ = 0, next_table_ = 0, next_mem_ = 0, next_global_ = 0, next_tag_ = 0;
};

}  // namespace weft::text
