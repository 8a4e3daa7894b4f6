#include "wast/spectest.h"

#include <cmath>

namespace weft {

std::optional<Extern> HostModule::find(std::string_view name) const {
  for (const auto& [n, e] : exports)
    if (n == name) return e;
  return std::nullopt;
}

uint32_t intern_func_type(TypeRegistry& types, const FuncType& ft) {
  SubType st;
  st.final_ = true;
  st.comp.kind = CompKind::func;
  st.comp.func = ft;
  // A lone function type over numeric types has no internal references, so
  // any local base will do.
  return types.register_group({st}, /*local_base=*/0);
}

HostModule make_spectest(Store& store, std::ostream& out) {
  HostModule m;
  TypeRegistry& types = store.engine().types();
  auto add_print = [&](const char* name, std::vector<ValType> params) {
    uint32_t type_id = intern_func_type(types, FuncType{params, {}});
    std::ostream* os = &out;
    auto cb = [os, params](Store&, uint64_t* slots) -> Status {
      for (size_t i = 0; i < params.size(); ++i)
        *os << format_value(Value{params[i], slots[i]}) << "\n";
      os->flush();
      return Status::Ok();
    };
    m.exports.emplace_back(name, Extern{ExternKind::func, store.new_host_function(type_id, cb, std::string("spectest.") + name)});
  };
  add_print("print", {});
  add_print("print_i32", {ValType::i32()});
  add_print("print_i64", {ValType::i64()});
  add_print("print_f32", {ValType::f32()});
  add_print("print_f64", {ValType::f64()});
  add_print("print_i32_f32", {ValType::i32(), ValType::f32()});
  add_print("print_f64_f64", {ValType::f64(), ValType::f64()});

  auto add_global = [&](const char* name, Value v) {
    m.exports.emplace_back(name, Extern{ExternKind::global, store.new_global(GlobalType{v.type, false}, v.bits)});
  };
  add_global("global_i32", Value::i32(666));
  add_global("global_i64", Value::i64(666));
  add_global("global_f32", Value::f32(666.6f));
  add_global("global_f64", Value::f64(666.6));

  TableType table;
  table.elem = ValType::funcref();
  table.limits.min = 10;
  table.limits.max = 20;
  m.exports.emplace_back("table", Extern{ExternKind::table, store.new_table(table, kNullRef)});
  TableType table64 = table;
  table64.limits.is64 = true;
  m.exports.emplace_back("table64", Extern{ExternKind::table, store.new_table(table64, kNullRef)});

  MemoryType mem;
  mem.limits.min = 1;
  mem.limits.max = 2;
  m.exports.emplace_back("memory", Extern{ExternKind::memory, store.new_memory(mem)});
  return m;
}

}  // namespace weft
