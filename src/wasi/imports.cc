// Linking: host functions for a module's wasi_snapshot_preview1 and
// wasi_unstable imports, and running a command module.
#include <string_view>

#include "wasi/calls.h"

namespace weft::wasi {

namespace {

using CallFn = Result<Errno> (*)(WasiContext&, GuestMemory&, const uint64_t*);

struct CallInfo {
  std::string_view name;
  std::string_view params;   // 'i' = i32, 'I' = i64
  std::string_view results;
  CallFn fn;
};

constexpr CallInfo kCalls[] = {
#define WEFT_WASI_ENTRY(name, params, results) {#name, params, results, &call_##name},
    WEFT_WASI_CALLS(WEFT_WASI_ENTRY)
#undef WEFT_WASI_ENTRY
};

constexpr CallInfo kUnstableOnlyCalls[] = {
#define WEFT_WASI_ENTRY(name, params, results) {#name, params, results, &unstable_##name},
    WEFT_WASI_UNSTABLE_CALLS(WEFT_WASI_ENTRY)
#undef WEFT_WASI_ENTRY
};

// The implementation of `name` imported from `module`; null if there is none.
const CallInfo* find_call(std::string_view module, std::string_view name) {
  const bool unstable = module == kUnstableModuleName;
  if (!unstable && module != kModuleName) return nullptr;
  if (unstable) {
    for (const CallInfo& c : kUnstableOnlyCalls)
      if (c.name == name) return &c;
    if (name == "sock_accept") return nullptr;  // added in preview 1
  }
  for (const CallInfo& c : kCalls)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<ValType> types_of(std::string_view code) {
  std::vector<ValType> out;
  for (char c : code) out.push_back(c == 'I' ? ValType::i64() : ValType::i32());
  return out;
}

uint32_t func_type_id(TypeRegistry& types, const CallInfo& call) {
  SubType st;
  st.final_ = true;
  st.comp.kind = CompKind::func;
  st.comp.func = FuncType{types_of(call.params), types_of(call.results)};
  // No references inside: any local base will do.
  return types.register_group({st}, /*local_base=*/0);
}

}  // namespace

bool imports_wasi(const Module& module) {
  for (const Import& imp : module.imports)
    if (imp.module == kModuleName || imp.module == kUnstableModuleName) return true;
  return false;
}

Result<Extern> WasiContext::link_import(Store& store, const Import& imp) {
  const CallInfo* call = imp.kind == ExternKind::func ? find_call(imp.module, imp.name) : nullptr;
  if (!call) return make_error(ErrorKind::unlinkable, "unknown import \"" + imp.module + "\" \"" + imp.name + "\"");
  WasiContext* ctx = this;
  const bool has_result = !call->results.empty();
  const CallFn fn = call->fn;
  HostCallback cb = [ctx, fn, has_result](Store&, uint64_t* slots) -> Status {
    GuestMemory mem(ctx->memory());
    Result<Errno> r = fn(*ctx, mem, slots);
    if (!r.ok()) return std::move(r).error();
    if (has_result) slots[0] = r.value();
    return Status::Ok();
  };
  Function* f = store.new_host_function(func_type_id(store.engine().types(), *call), std::move(cb),
                                        imp.module + "." + std::string(call->name));
  return Extern{ExternKind::func, f};
}

Result<std::vector<Extern>> WasiContext::link_imports(Store& store, const Module& module) {
  std::vector<Extern> externs;
  for (const Import& imp : module.imports) {
    WEFT_TRY(Extern e, link_import(store, imp));
    externs.push_back(e);
  }
  return externs;
}

Result<Instance*> instantiate_with_wasi(Store& store, std::shared_ptr<const Module> module, WasiContext& ctx) {
  WEFT_TRY(std::vector<Extern> imports, ctx.link_imports(store, *module));
  WEFT_TRY(Instance * inst, instantiate(store, std::move(module), imports));
  auto memory = inst->find_export("memory");
  if (memory && memory->kind == ExternKind::memory) ctx.bind_memory(memory->memory());
  return inst;
}

Result<uint32_t> run_command(Store& store, std::shared_ptr<const Module> module, WasiContext& ctx) {
  auto inst = instantiate_with_wasi(store, std::move(module), ctx);
  if (!inst.ok()) {
    // A start function may already have called proc_exit.
    if (inst.error().kind == ErrorKind::exit && ctx.exit_code()) return *ctx.exit_code();
    return std::move(inst).error();
  }
  return run_start(store, *inst.value(), ctx);
}

Result<uint32_t> run_start(Store& store, const Instance& inst, WasiContext& ctx) {
  auto start = inst.find_export("_start");
  if (!start || start->kind != ExternKind::func)
    return make_error(ErrorKind::unlinkable, "not a WASI command: no exported function \"_start\"");
  const FuncType& ft = store.engine().types().func_type(start->func()->type_id);
  if (!ft.params.empty() || !ft.results.empty())
    return make_error(ErrorKind::unlinkable, "\"_start\" must take no parameters and return no results");
  auto r = invoke(store, start->func(), {});
  if (!r.ok()) {
    if (r.error().kind == ErrorKind::exit && ctx.exit_code()) return *ctx.exit_code();
    return std::move(r).error();
  }
  return 0u;
}

}  // namespace weft::wasi
