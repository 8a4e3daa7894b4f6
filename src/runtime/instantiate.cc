// Module instantiation (exec/modules.rst "Instantiation") and import matching
// (valid/matching.rst "External Types").
#include <algorithm>
#include <string>

#include "interp/bulk.h"
#include "interp/interp.h"
#include "runtime/store.h"

namespace weft {

namespace {

Error unlinkable(const Import& imp, const char* what) {
  return make_error(ErrorKind::unlinkable,
                    std::string(what) + " \"" + imp.module + "\" \"" + imp.name + "\"");
}

// Module type indices inside a value type -> canonical ids.
ValType canonical(const Module& m, ValType t) {
  if (t.is_ref() && t.heap.is_index()) t.heap = HeapType::index(m.type_ids[t.heap.idx()]);
  return t;
}

bool limits_match(uint64_t min1, std::optional<uint64_t> max1, const Limits& l2) {
  if (min1 < l2.min) return false;
  if (!l2.max) return true;
  return max1 && *max1 <= *l2.max;
}

bool equivalent(const TypeRegistry& types, ValType a, ValType b) {
  return types.val_subtype(a, b) && types.val_subtype(b, a);
}

}  // namespace

bool import_matches(const TypeRegistry& types, const Module& m, const Import& imp, const Extern& ext) {
  if (ext.kind != imp.kind || ext.ptr == nullptr) return false;
  bool ok = false;
  switch (imp.kind) {
    case ExternKind::func:
      ok = types.is_subtype(ext.func()->type_id, m.type_ids[imp.type_index]);
      break;
    case ExternKind::table: {
      const Table* t = ext.table();
      ok = t->type.limits.is64 == imp.table.limits.is64 &&
           limits_match(t->elems.size(), t->type.limits.max, imp.table.limits) &&
           equivalent(types, t->type.elem, canonical(m, imp.table.elem));
      break;
    }
    case ExternKind::memory: {
      const Memory* mem = ext.memory();
      ok = mem->type.limits.is64 == imp.memory.limits.is64 &&
           mem->type.limits.shared == imp.memory.limits.shared &&
           limits_match(mem->pages(), mem->type.limits.max, imp.memory.limits);
      break;
    }
    case ExternKind::global: {
      const Global* g = ext.global();
      ValType want = canonical(m, imp.global.type);
      if (g->type.mutable_ != imp.global.mutable_) break;
      ok = g->type.mutable_ ? equivalent(types, g->type.type, want) : types.val_subtype(g->type.type, want);
      break;
    }
    case ExternKind::tag: {
      uint32_t have = ext.tag()->type_id, want = m.type_ids[imp.type_index];
      ok = types.is_subtype(have, want) && types.is_subtype(want, have);
      break;
    }
  }
  return ok;
}

namespace {

// Checks one provided extern against the module's import declaration.
Status match_import(const TypeRegistry& types, const Module& m, const Import& imp, const Extern& ext) {
  if (!import_matches(types, m, imp, ext)) return unlinkable(imp, "incompatible import type");
  return Status::Ok();
}

std::string debug_name(const Module& m, uint32_t func_index) {
  auto it = m.func_names.find(func_index);
  if (it != m.func_names.end() && !it->second.empty()) return it->second;
  return "func[" + std::to_string(func_index) + "]";
}

Result<uint64_t> eval(Store& store, Instance* inst, const ExprRange& expr) {
  const Module& m = *inst->module;
  if (expr.const_index >= m.const_code.size())
    return make_error(ErrorKind::invalid, "constant expression was not lowered");
  return interp::eval_const(store, inst, m.const_code[expr.const_index]);
}

// The engine's resource limits (docs/limits.md), checked before anything is
// created: a module that would pass one fails with exhaustion naming it.
Status check_resource_limits(Store& store, const Module& m) {
  const EngineConfig& config = store.engine().config();
  if (store.instances_created >= config.max_instances)
    return make_error(ErrorKind::exhaustion, "too many instances: the store already holds " +
                                                 std::to_string(store.instances_created) +
                                                 ", the limit max_instances is " +
                                                 std::to_string(config.max_instances));
  for (const TableDecl& t : m.tables)
    if (t.type.limits.min > config.max_table_elements)
      return make_error(ErrorKind::exhaustion, "table of " + std::to_string(t.type.limits.min) +
                                                   " elements exceeds the limit max_table_elements = " +
                                                   std::to_string(config.max_table_elements));
  for (const MemoryDecl& md : m.memories)
    if (const MemoryType& mt = md.type; mt.limits.min > config.max_memory_pages)
      return make_error(ErrorKind::exhaustion, "memory of " + std::to_string(mt.limits.min) +
                                                   " pages exceeds the limit max_memory_pages = " +
                                                   std::to_string(config.max_memory_pages));
  return Status::Ok();
}

}  // namespace

Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module,
                              const std::vector<Extern>& imports) {
  const Module& m = *module;
  const TypeRegistry& types = store.engine().types();
  if (!m.validated) return make_error(ErrorKind::invalid, "module has not been validated");
  if (store.engine().needs_interrupt_checks() && !m.interrupt_checks)
    return make_error(ErrorKind::unlinkable,
                      "module was validated without interrupt checks, which this engine's fuel, timeout or "
                      "interruptible setting needs (ValidateOptions::interrupt_checks)");
  if (imports.size() != m.imports.size())
    return make_error(ErrorKind::unlinkable, "wrong number of imports: expected " + std::to_string(m.imports.size()) +
                                                 ", got " + std::to_string(imports.size()));
  for (size_t i = 0; i < imports.size(); ++i) WEFT_CHECK(match_import(types, m, m.imports[i], imports[i]));

  WEFT_CHECK(check_resource_limits(store, m));

  Instance* inst = store.new_instance();
  ++store.instances_created;
  inst->module = module;
  inst->type_ids = m.type_ids;
  for (const Extern& e : imports) {
    switch (e.kind) {
      case ExternKind::func: inst->funcs.push_back(e.func()); break;
      case ExternKind::table: inst->tables.push_back(e.table()); break;
      case ExternKind::memory: inst->memories.push_back(e.memory()); break;
      case ExternKind::global: inst->globals.push_back(e.global()); break;
      case ExternKind::tag: inst->tags.push_back(e.tag()); break;
    }
  }

  // Functions first: constant expressions may take their references.
  for (size_t i = 0; i < m.funcs.size(); ++i) {
    uint32_t index = m.num_imported_funcs + uint32_t(i);
    inst->funcs.push_back(store.new_wasm_function(inst, &m.compiled[i], debug_name(m, index)));
  }
  // Globals in order: each initialiser may read the globals before it.
  for (const GlobalDecl& g : m.globals) {
    WEFT_TRY(uint64_t value, eval(store, inst, g.init));
    inst->globals.push_back(store.new_global(GlobalType{canonical(m, g.type.type), g.type.mutable_}, value));
  }
  for (const TableDecl& t : m.tables) {
    Ref init = kNullRef;
    if (t.init) {
      WEFT_TRY(init, eval(store, inst, *t.init));
    }
    TableType type = t.type;
    type.elem = canonical(m, type.elem);
    inst->tables.push_back(store.new_table(type, init));
  }
  for (const MemoryDecl& md : m.memories) {
    const MemoryType& mt = md.type;
    Memory* mem = store.new_memory(mt);
    if (!mem) return make_error(ErrorKind::exhaustion, "cannot allocate memory of " + std::to_string(mt.limits.min) + " pages");
    inst->memories.push_back(mem);
  }
  for (const TagType& t : m.tags) inst->tags.push_back(store.new_tag(m.type_ids[t.type_index]));

  inst->elems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    std::vector<Ref>& refs = inst->elems[i].refs;
    refs.reserve(seg.size());
    if (seg.uses_exprs) {
      for (const ExprRange& e : seg.exprs) {
        WEFT_TRY(uint64_t r, eval(store, inst, e));
        refs.push_back(r);
      }
    } else {
      for (uint32_t f : seg.func_indices) refs.push_back(reinterpret_cast<Ref>(inst->funcs[f]));
    }
  }
  inst->datas.resize(m.datas.size());
  for (size_t i = 0; i < m.datas.size(); ++i)
    inst->datas[i] = DataInstance{m.bytes.data() + m.datas[i].data_offset, m.datas[i].data_size};

  // Active and declarative element segments, then active data segments: each
  // is table.init / memory.init followed by a drop. A trap leaves the effects
  // of the segments before it in place.
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == ElemSegment::Mode::active) {
      Table* t = inst->tables[seg.table];
      WEFT_TRY(uint64_t offset, eval(store, inst, seg.offset));
      if (!t->type.limits.is64) offset = uint32_t(offset);
      ElemInstance& elem = inst->elems[i];
      if (const char* e = interp::table_init(*t, elem, offset, 0, elem.refs.size()))
        return make_error(ErrorKind::trap, e);
    }
    if (seg.mode != ElemSegment::Mode::passive) inst->elems[i].refs = {};
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    if (seg.mode != DataSegment::Mode::active) continue;
    Memory* mem = inst->memories[seg.memory];
    WEFT_TRY(uint64_t offset, eval(store, inst, seg.offset));
    offset &= mem->addr_mask;
    DataInstance& data = inst->datas[i];
    if (const char* e = interp::memory_init(*mem, data, offset, 0, data.size)) return make_error(ErrorKind::trap, e);
    data = DataInstance{};
  }

  if (m.start) WEFT_CHECK(invoke(store, inst->funcs[*m.start], {}));
  return inst;
}

}  // namespace weft
