// Test helpers: hand-built modules in weft's internal code (interp/code.h), so
// the interpreter and runtime can be tested without the decoder and validator.
#pragma once

#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/store.h"
#include "spec/module.h"

namespace weft::testing {

// Emits code words. Slots, immediates and targets are all plain words.
class Code {
 public:
  Code& op(Op o, std::initializer_list<uint32_t> operands = {}) {
    words_.push_back(uint32_t(o));
    words_.insert(words_.end(), operands);
    return *this;
  }
  Code& i32(uint32_t dst, uint32_t v) { return op(Op::const32, {dst, v}); }
  Code& i64(uint32_t dst, uint64_t v) { return op(Op::const64, {dst, uint32_t(v), uint32_t(v >> 32)}); }
  Code& f32(uint32_t dst, float f) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return i32(dst, b);
  }
  Code& f64(uint32_t dst, double d) {
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return i64(dst, b);
  }
  // op dst addr mem off:K
  Code& load(Op o, uint32_t dst, uint32_t addr, uint32_t mem = 0, uint64_t off = 0) {
    return op(o, {dst, addr, mem, uint32_t(off), uint32_t(off >> 32)});
  }
  // op addr value mem off:K
  Code& store(Op o, uint32_t addr, uint32_t value, uint32_t mem = 0, uint64_t off = 0) {
    return op(o, {addr, value, mem, uint32_t(off), uint32_t(off >> 32)});
  }
  Code& ret(uint32_t src) { return op(Op::return_, {src}); }
  // The index of the next word (a branch target).
  uint32_t here() const { return uint32_t(words_.size()); }
  // The index of the last emitted word, for patching a forward target.
  uint32_t last() const { return uint32_t(words_.size() - 1); }
  void patch(uint32_t at, uint32_t value) { words_[at] = value; }
  const std::vector<uint32_t>& words() const { return words_; }

 private:
  std::vector<uint32_t> words_;
};

inline uint32_t intern_type(TypeRegistry& types, std::vector<ValType> params, std::vector<ValType> results) {
  SubType st;
  st.comp.kind = CompKind::func;
  st.comp.func = FuncType{std::move(params), std::move(results)};
  return types.register_group({st}, types.size());
}

// Builds a validated-looking Module from hand-lowered functions.
class ModuleBuilder {
 public:
  explicit ModuleBuilder(TypeRegistry& types) : types_(types), m_(std::make_shared<Module>()) { m_->validated = true; }

  // Registers a function type; returns its module type index.
  uint32_t type(std::vector<ValType> params, std::vector<ValType> results) {
    SubType st;
    st.comp.kind = CompKind::func;
    st.comp.func = FuncType{params, results};
    m_->types.push_back(st);
    m_->rec_groups.push_back(RecGroupRange{uint32_t(m_->types.size() - 1), 1});
    m_->type_ids.push_back(intern_type(types_, std::move(params), std::move(results)));
    return uint32_t(m_->type_ids.size() - 1);
  }
  uint32_t type_id(uint32_t type_index) const { return m_->type_ids[type_index]; }

  // Adds a defined function; returns its function index.
  uint32_t func(uint32_t type_index, uint32_t num_locals, uint32_t frame_slots, const Code& code,
                const std::string& export_name = "", std::vector<HandlerEntry> handlers = {}) {
    const FuncType& ft = types_.func_type(type_id(type_index));
    FuncDecl d;
    d.type_index = type_index;
    m_->funcs.push_back(d);
    CompiledFunc cf;
    cf.code = code.words();
    cf.handlers = std::move(handlers);
    cf.num_params = uint32_t(ft.params.size());
    cf.num_results = uint32_t(ft.results.size());
    cf.num_locals = num_locals;
    cf.frame_slots = frame_slots;
    cf.type_id = type_id(type_index);
    uint32_t index = m_->num_imported_funcs + uint32_t(m_->funcs.size() - 1);
    cf.func_index = index;
    m_->compiled.push_back(std::move(cf));
    if (!export_name.empty()) export_(export_name, ExternKind::func, index);
    return index;
  }

  uint32_t import_func(uint32_t type_index, const std::string& name = "f") {
    Import imp;
    imp.module = "host";
    imp.name = name;
    imp.kind = ExternKind::func;
    imp.type_index = type_index;
    m_->imports.push_back(imp);
    return m_->num_imported_funcs++;
  }
  uint32_t import_memory(Limits limits, const std::string& name = "mem") {
    Import imp;
    imp.module = "host";
    imp.name = name;
    imp.kind = ExternKind::memory;
    imp.memory.limits = limits;
    m_->imports.push_back(imp);
    return m_->num_imported_memories++;
  }
  uint32_t import_table(TableType t, const std::string& name = "tab") {
    Import imp;
    imp.module = "host";
    imp.name = name;
    imp.kind = ExternKind::table;
    imp.table = t;
    m_->imports.push_back(imp);
    return m_->num_imported_tables++;
  }
  uint32_t import_global(GlobalType g, const std::string& name = "g") {
    Import imp;
    imp.module = "host";
    imp.name = name;
    imp.kind = ExternKind::global;
    imp.global = g;
    m_->imports.push_back(imp);
    return m_->num_imported_globals++;
  }

  uint32_t memory(uint64_t min, std::optional<uint64_t> max = std::nullopt, bool is64 = false) {
    MemoryType mt;
    mt.limits.min = min;
    mt.limits.max = max;
    mt.limits.is64 = is64;
    m_->memories.push_back(MemoryDecl{mt});
    return m_->num_memories() - 1;
  }
  uint32_t table(uint64_t min, std::optional<uint64_t> max = std::nullopt, ValType elem = ValType::funcref(),
                 bool is64 = false) {
    TableDecl t;
    t.type.elem = elem;
    t.type.limits.min = min;
    t.type.limits.max = max;
    t.type.limits.is64 = is64;
    m_->tables.push_back(t);
    return m_->num_tables() - 1;
  }
  uint32_t tag(uint32_t type_index) {
    m_->tags.push_back(TagType{type_index});
    return m_->num_tags() - 1;
  }

  // A constant expression: `code` computes its result into slot 0 and returns.
  ExprRange const_expr(const Code& code, uint32_t frame_slots = 1) {
    CompiledFunc cf;
    cf.code = code.words();
    cf.num_results = 1;
    cf.frame_slots = frame_slots;
    m_->const_code.push_back(std::move(cf));
    ExprRange r;
    r.const_index = uint32_t(m_->const_code.size() - 1);
    return r;
  }
  ExprRange const_i32(uint32_t v) { return const_expr(Code().i32(0, v).ret(0)); }
  ExprRange const_i64(uint64_t v) { return const_expr(Code().i64(0, v).ret(0)); }

  uint32_t global(ValType t, bool mut, ExprRange init) {
    GlobalDecl g;
    g.type = GlobalType{t, mut};
    g.init = init;
    m_->globals.push_back(g);
    return m_->num_globals() - 1;
  }

  uint32_t active_data(uint32_t mem, ExprRange offset, const std::string& bytes) {
    DataSegment d = data_bytes(bytes);
    d.mode = DataSegment::Mode::active;
    d.memory = mem;
    d.offset = offset;
    m_->datas.push_back(d);
    return uint32_t(m_->datas.size() - 1);
  }
  uint32_t passive_data(const std::string& bytes) {
    m_->datas.push_back(data_bytes(bytes));
    return uint32_t(m_->datas.size() - 1);
  }

  uint32_t active_elem(uint32_t table, ExprRange offset, std::vector<uint32_t> funcs) {
    ElemSegment e;
    e.mode = ElemSegment::Mode::active;
    e.table = table;
    e.offset = offset;
    e.func_indices = std::move(funcs);
    m_->elems.push_back(e);
    return uint32_t(m_->elems.size() - 1);
  }
  uint32_t passive_elem(std::vector<uint32_t> funcs) {
    ElemSegment e;
    e.mode = ElemSegment::Mode::passive;
    e.func_indices = std::move(funcs);
    m_->elems.push_back(e);
    return uint32_t(m_->elems.size() - 1);
  }

  void export_(const std::string& name, ExternKind kind, uint32_t index) {
    m_->exports.push_back(Export{name, kind, index});
  }
  void start(uint32_t func) { m_->start = func; }
  void name(uint32_t func, const std::string& n) { m_->func_names[func] = n; }

  std::shared_ptr<Module> module() { return m_; }

 private:
  DataSegment data_bytes(const std::string& bytes) {
    DataSegment d;
    d.data_offset = uint32_t(m_->bytes.size());
    d.data_size = uint32_t(bytes.size());
    m_->bytes.insert(m_->bytes.end(), bytes.begin(), bytes.end());
    return d;
  }

  TypeRegistry& types_;
  std::shared_ptr<Module> m_;
};

// Instantiates and looks up exported functions.
struct Harness {
  Engine engine;
  Store store{engine};
  Instance* inst = nullptr;

  explicit Harness(EngineConfig config = {}) : engine(config) {}

  TypeRegistry& types() { return engine.types(); }

  Instance* instantiate_or_die(ModuleBuilder& b, const std::vector<Extern>& imports = {}) {
    auto r = instantiate(store, b.module(), imports);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    inst = r.ok() ? r.value() : nullptr;
    return inst;
  }

  Result<std::vector<Value>> call(const std::string& name, std::vector<Value> args = {}) {
    if (!inst) return make_error(ErrorKind::io, "no instance");
    auto e = inst->find_export(name);
    if (!e || e->kind != ExternKind::func) return make_error(ErrorKind::io, "no export " + name);
    return invoke(store, e->func(), args);
  }

  // The first result of a call that must succeed.
  uint64_t bits(const std::string& name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().to_string());
    if (!r.ok() || r.value().empty()) return 0xbadbadbad;
    return r.value()[0].bits;
  }
};

}  // namespace weft::testing
