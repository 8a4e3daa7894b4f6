// Module-level validation (valid/modules.rst): the context C built from
// imports and definitions, limits, constant expressions, segments, start,
// exports, then every function body.
#include <string_view>
#include <unordered_set>

#include "validate/code_validator.h"
#include "validate/validator.h"

namespace weft {

namespace {

constexpr uint64_t kMaxPages32 = 65536;
constexpr uint64_t kMaxPages64 = 1ull << 48;
constexpr uint64_t kMaxTable32 = 0xffffffffull;

Status check_memory_type(const MemoryType& mt, uint64_t offset) {
  const Limits& l = mt.limits;
  const uint64_t range = l.is64 ? kMaxPages64 : kMaxPages32;
  const char* msg = l.is64 ? "memory size must be at most 2^48 pages"
                           : "memory size must be at most 65536 pages (4GiB)";
  if (l.min > range) return invalid_at(offset, msg);
  if (l.max && *l.max > range) return invalid_at(offset, msg);
  if (l.max && l.min > *l.max) return invalid_at(offset, "size minimum must not be greater than maximum");
  if (l.shared && !l.max) return invalid_at(offset, "shared memory must have maximum");
  return Status::Ok();
}

Status check_table_limits(const Limits& l, uint64_t offset) {
  if (!l.is64) {
    if (l.min > kMaxTable32) return invalid_at(offset, "table size must be at most 2^32-1");
    if (l.max && *l.max > kMaxTable32) return invalid_at(offset, "table size must be at most 2^32-1");
  }
  if (l.max && l.min > *l.max) return invalid_at(offset, "size minimum must not be greater than maximum");
  return Status::Ok();
}

ValType addr_type(const Limits& l) { return l.is64 ? ValType::i64() : ValType::i32(); }

class ModuleValidator {
 public:
  ModuleValidator(TypeRegistry& reg, Module& m) : m_(m), ctx_(reg, m), code_(ctx_) {}

  Status run() {
    WEFT_CHECK(check_type_section(ctx_));
    WEFT_CHECK(build_context());
    WEFT_CHECK(check_globals());
    WEFT_CHECK(check_tables());
    WEFT_CHECK(check_elems());
    WEFT_CHECK(check_datas());
    WEFT_CHECK(check_start());
    WEFT_CHECK(check_exports());
    WEFT_CHECK(check_functions());
    m_.type_ids = ctx_.type_ids;
    m_.validated = true;
    return Status::Ok();
  }

 private:
  // `offset`: of the declaration, for the error's location.
  Status func_type_index(uint32_t type_index, const char* what, uint64_t offset) {
    if (type_index >= ctx_.num_types()) return invalid_at(offset, unknown("type", type_index));
    if (!ctx_.is_func_type(type_index))
      return invalid_at(offset, std::string("type mismatch: ") + what + " type is not a function type");
    return Status::Ok();
  }

  Status add_table(const TableType& t, uint64_t offset) {
    WEFT_TRY(ValType elem, ctx_.canon(t.elem, offset));
    WEFT_CHECK(check_table_limits(t.limits, offset));
    TableType c = t;
    c.elem = elem;
    ctx_.tables.push_back(c);
    return Status::Ok();
  }

  // Every index space, imports first.
  Status build_context() {
    for (const Import& im : m_.imports) {
      switch (im.kind) {
        case ExternKind::func:
          WEFT_CHECK(func_type_index(im.type_index, "imported function", im.offset));
          ctx_.func_type_index.push_back(im.type_index);
          break;
        case ExternKind::table:
          WEFT_CHECK(add_table(im.table, im.offset));
          break;
        case ExternKind::memory:
          WEFT_CHECK(check_memory_type(im.memory, im.offset));
          ctx_.memories.push_back(im.memory);
          break;
        case ExternKind::global: {
          WEFT_TRY(ValType t, ctx_.canon(im.global.type, im.offset));
          ctx_.globals.push_back({t, im.global.mutable_});
          break;
        }
        case ExternKind::tag:
          WEFT_CHECK(func_type_index(im.type_index, "tag", im.offset));
          ctx_.tag_type_index.push_back(im.type_index);
          break;
      }
    }
    imported_tables_ = uint32_t(ctx_.tables.size());
    imported_globals_ = uint32_t(ctx_.globals.size());
    for (const FuncDecl& f : m_.funcs) {
      WEFT_CHECK(func_type_index(f.type_index, "function", f.decl_offset));
      ctx_.func_type_index.push_back(f.type_index);
    }
    for (const TableDecl& t : m_.tables) WEFT_CHECK(add_table(t.type, t.offset));
    for (const MemoryDecl& md : m_.memories) {
      WEFT_CHECK(check_memory_type(md.type, md.offset));
      ctx_.memories.push_back(md.type);
    }
    for (const TagType& t : m_.tags) {
      WEFT_CHECK(func_type_index(t.type_index, "tag", t.offset));
      ctx_.tag_type_index.push_back(t.type_index);
    }
    for (const ElemSegment& e : m_.elems) {
      WEFT_TRY(ValType t, ctx_.canon(e.type, e.entry_offset));
      ctx_.elem_types.push_back(t);
    }
    ctx_.num_datas = uint32_t(m_.datas.size());
    ctx_.has_data_count = m_.data_count.has_value();
    ctx_.declared_funcs.assign(ctx_.func_type_index.size(), 0);
    return Status::Ok();
  }

  Status const_expr(ExprRange& e, ValType expected, uint32_t global_limit) {
    CompiledFunc cf;
    WEFT_CHECK(code_.const_expr(e, expected, global_limit, &cf));
    e.const_index = uint32_t(m_.const_code.size());
    m_.const_code.push_back(std::move(cf));
    return Status::Ok();
  }

  // Globals see the imported and the previously defined globals.
  Status check_globals() {
    for (GlobalDecl& g : m_.globals) {
      WEFT_TRY(ValType t, ctx_.canon(g.type.type, g.init.offset));
      WEFT_CHECK(const_expr(g.init, t, uint32_t(ctx_.globals.size())));
      ctx_.globals.push_back({t, g.type.mutable_});
    }
    return Status::Ok();
  }

  // Table initialisers see only imported globals.
  Status check_tables() {
    for (size_t i = 0; i < m_.tables.size(); ++i) {
      TableDecl& t = m_.tables[i];
      const ValType elem = ctx_.tables[imported_tables_ + i].elem;
      if (t.init) {
        WEFT_CHECK(const_expr(*t.init, elem, imported_globals_));
      } else if (!elem.nullable) {
        return invalid_at(t.offset, "type mismatch: table of non-nullable references requires an initialiser");
      }
    }
    return Status::Ok();
  }

  Status check_elems() {
    const uint32_t all_globals = uint32_t(ctx_.globals.size());
    for (size_t i = 0; i < m_.elems.size(); ++i) {
      ElemSegment& e = m_.elems[i];
      const ValType t = ctx_.elem_types[i];
      if (e.mode == ElemSegment::Mode::active) {
        if (e.table >= ctx_.tables.size()) return invalid_at(e.entry_offset, unknown("table", e.table));
        const TableType& tt = ctx_.tables[e.table];
        WEFT_CHECK(const_expr(e.offset, addr_type(tt.limits), all_globals));
        if (!ctx_.matches(t, tt.elem))
          return invalid_at(e.entry_offset, "type mismatch: element segment does not match the table's element type");
      }
      if (e.uses_exprs) {
        for (ExprRange& x : e.exprs) WEFT_CHECK(const_expr(x, t, all_globals));
      } else {
        for (uint32_t f : e.func_indices) {
          if (f >= ctx_.func_type_index.size()) return invalid_at(e.entry_offset, unknown("function", f));
          ctx_.declared_funcs[f] = 1;
          const ValType ft = ValType::ref(HeapType::index(ctx_.func_type_id(f)), false);
          if (!ctx_.matches(ft, t)) return invalid_at(e.entry_offset, "type mismatch: element segment type");
        }
      }
    }
    return Status::Ok();
  }

  Status check_datas() {
    const uint32_t all_globals = uint32_t(ctx_.globals.size());
    for (DataSegment& d : m_.datas) {
      if (d.mode != DataSegment::Mode::active) continue;
      if (d.memory >= ctx_.memories.size()) return invalid_at(d.entry_offset, unknown("memory", d.memory));
      WEFT_CHECK(const_expr(d.offset, addr_type(ctx_.memories[d.memory].limits), all_globals));
    }
    return Status::Ok();
  }

  Status check_start() {
    if (!m_.start) return Status::Ok();
    const uint32_t f = *m_.start;
    if (f >= ctx_.func_type_index.size()) return invalid_at(m_.start_offset, unknown("function", f));
    const FuncType& ft = ctx_.func_type(f);
    if (!ft.params.empty() || !ft.results.empty())
      return invalid_at(m_.start_offset, "start function must have type [] -> []");
    return Status::Ok();
  }

  Status check_exports() {
    std::unordered_set<std::string_view> names;
    names.reserve(m_.exports.size());
    for (const Export& e : m_.exports) {
      size_t limit = 0;
      const char* what = "";
      switch (e.kind) {
        case ExternKind::func: limit = ctx_.func_type_index.size(); what = "function"; break;
        case ExternKind::table: limit = ctx_.tables.size(); what = "table"; break;
        case ExternKind::memory: limit = ctx_.memories.size(); what = "memory"; break;
        case ExternKind::global: limit = ctx_.globals.size(); what = "global"; break;
        case ExternKind::tag: limit = ctx_.tag_type_index.size(); what = "tag"; break;
      }
      if (e.index >= limit) return invalid_at(e.offset, unknown(what, e.index));
      if (e.kind == ExternKind::func) ctx_.declared_funcs[e.index] = 1;
      if (!names.insert(e.name).second) return invalid_at(e.offset, "duplicate export name");
    }
    return Status::Ok();
  }

  Status check_functions() {
    m_.compiled.clear();
    m_.compiled.resize(m_.funcs.size());
    for (uint32_t i = 0; i < m_.funcs.size(); ++i) WEFT_CHECK(code_.function(i, &m_.compiled[i]));
    return Status::Ok();
  }

  Module& m_;
  uint32_t imported_tables_ = 0;
  uint32_t imported_globals_ = 0;
  ModuleContext ctx_;
  CodeValidator code_;
};

}  // namespace

Status validate_module(TypeRegistry& types, Module& module, const ValidateOptions& options) {
  module.validated = false;
  module.const_code.clear();
  module.interrupt_checks = options.interrupt_checks;
  module.forward_results = options.forward_results;
  ModuleValidator v(types, module);
  return v.run();
}

}  // namespace weft
