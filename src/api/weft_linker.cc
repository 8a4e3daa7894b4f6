// weft.h's linker: imports resolved by module and field name, with errors
// that name the import and the mismatch; WASI preview 1 through it.
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "api/api_internal.h"
#include "api/linker_internal.h"
#include "api/weft_internal.h"

extern char** environ;

namespace weft::api {
namespace {

const char* kind_name(ExternKind kind) {
  switch (kind) {
    case ExternKind::func: return "func";
    case ExternKind::table: return "table";
    case ExternKind::memory: return "memory";
    case ExternKind::global: return "global";
    case ExternKind::tag: return "tag";
  }
  return "extern";
}

std::string types_list(const std::vector<ValType>& types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) s += (i ? ", " : "") + to_string(types[i]);
  return s + ")";
}

std::string describe_func(const FuncType& ft) {
  return "func " + types_list(ft.params) + " -> " + types_list(ft.results);
}

std::string describe_global(const GlobalType& g) {
  return std::string("global ") + (g.mutable_ ? "var " : "const ") + to_string(g.type);
}

// `min` is the current size for a provided memory or table.
std::string describe_limits(uint64_t min, const std::optional<uint64_t>& max, const Limits& flags) {
  std::string s = "min " + std::to_string(min);
  if (max) s += " max " + std::to_string(*max);
  if (flags.is64) s += " i64";
  if (flags.shared) s += " shared";
  return s;
}

// Why `ext` does not fit `imp` ("expected ..., got ..."), or "" if it does
// (the runtime's rules, import_matches; tags are left to instantiation).
std::string mismatch(const TypeRegistry& types, const Module& m, const Import& imp, const Extern& ext) {
  if (ext.kind != imp.kind) return std::string("expected ") + kind_name(imp.kind) + ", got " + kind_name(ext.kind);
  if (imp.kind == ExternKind::tag || import_matches(types, m, imp, ext)) return "";
  std::string want, have;
  switch (imp.kind) {
    case ExternKind::func:
      want = describe_func(m.types[imp.type_index].comp.func);
      have = describe_func(types.func_type(ext.func()->type_id));
      break;
    case ExternKind::global:
      want = describe_global(imp.global);
      have = describe_global(ext.global()->type);
      break;
    case ExternKind::memory: {
      const Memory* mem = ext.memory();
      const Limits& l = imp.memory.limits;
      want = "memory " + describe_limits(l.min, l.max, l);
      have = "memory " + describe_limits(mem->pages(), mem->type.limits.max, mem->type.limits);
      break;
    }
    case ExternKind::table: {
      const Table* t = ext.table();
      const Limits& l = imp.table.limits;
      want = "table " + describe_limits(l.min, l.max, l) + " " + to_string(imp.table.elem);
      have = "table " + describe_limits(t->elems.size(), t->type.limits.max, t->type.limits) + " " +
             to_string(t->type.elem);
      break;
    }
    case ExternKind::tag: break;
  }
  return "expected " + want + ", got " + have;
}

bool is_wasi_module(const std::string& name) {
  return name == wasi::kModuleName || name == wasi::kUnstableModuleName;
}

weft_error_t* define(weft_linker_t* linker, const char* module, const char* name, const Extern& ext) {
  auto [it, inserted] = linker->defs.emplace(std::make_pair(std::string(module), std::string(name)), ext);
  if (!inserted) return new_error(std::string("duplicate definition of ") + module + "." + name);
  return nullptr;
}

// Why the linker cannot be used with `module` at all, or nullptr.
const char* check_inputs(const weft_linker_t* linker, const wasm_module_t* module) {
  if (!linker) return "linker is null";
  if (!module) return "module is null";
  if (&module->store->engine->engine != &linker->store->engine->engine) return "module was compiled for another engine";
  return nullptr;
}

// The externs for the module's imports, or an error naming the first that
// cannot be resolved.
weft_error_t* resolve(const weft_linker_t* linker, const Module& m, std::vector<Extern>* out) {
  Store& store = linker->store->store;
  const TypeRegistry& types = store.engine().types();
  for (const Import& imp : m.imports) {
    const std::string where = imp.module + "." + imp.name;
    Extern ext;
    auto it = linker->defs.find({imp.module, imp.name});
    if (it != linker->defs.end()) {
      ext = it->second;
    } else if (linker->wasi && is_wasi_module(imp.module)) {
      auto linked = linker->wasi->link_import(store, imp);
      if (!linked.ok()) {
        if (imp.kind != ExternKind::func) return new_error("import " + where + ": expected " + kind_name(imp.kind) +
                                                           ", WASI defines only functions");
        return new_error("unknown import " + where + " (not a WASI preview 1 function)");
      }
      ext = linked.value();
    } else {
      return new_error("unknown import " + where);
    }
    std::string why = mismatch(types, m, imp, ext);
    if (!why.empty()) return new_error("import " + where + ": " + why);
    out->push_back(ext);
  }
  return nullptr;
}

bool is_trap(ErrorKind kind) {
  return kind == ErrorKind::trap || kind == ErrorKind::exhaustion || kind == ErrorKind::exception ||
         kind == ErrorKind::suspension || kind == ErrorKind::exit || kind == ErrorKind::pending;
}

// Resolves and instantiates. Exactly one of: *instance set (result nullptr),
// *failure set (a trap; result nullptr), an error returned.
weft_error_t* instantiate(const weft_linker_t* linker, const wasm_module_t* module, Instance** instance,
                          std::optional<Error>* failure) {
  if (const char* why = check_inputs(linker, module)) return new_error(why);
  std::vector<Extern> externs;
  if (weft_error_t* e = resolve(linker, *module->module, &externs)) return e;
  auto made = weft::instantiate(linker->store->store, module->module, externs);
  if (!made.ok()) {
    if (is_trap(made.error().kind)) {
      *failure = std::move(made).error();
      return nullptr;
    }
    return new_error(made.error().message);
  }
  *instance = made.value();
  if (linker->wasi && wasi::imports_wasi(*module->module)) {
    auto memory = made.value()->find_export("memory");
    if (memory && memory->kind == ExternKind::memory) linker->wasi->bind_memory(memory->memory());
  }
  return nullptr;
}

}  // namespace
}  // namespace weft::api

using namespace weft::api;

extern "C" {

// ---- linker ------------------------------------------------------------------------

weft_linker_t* weft_linker_new(wasm_store_t* store) {
  if (!store) return nullptr;
  auto* linker = new weft_linker_t();
  linker->store = store;
  return linker;
}

void weft_linker_delete(weft_linker_t* linker) { delete linker; }

weft_error_t* weft_linker_define(weft_linker_t* linker, const char* module, const char* name,
                                 const wasm_extern_t* item) {
  if (!linker || !module || !name) return new_error("linker, module or name is null");
  if (!item) return new_error(std::string("definition of ") + module + "." + name + " is null");
  if (item->store != linker->store) return new_error(std::string(module) + "." + name + " belongs to another store");
  return define(linker, module, name, item->ext);
}

weft_error_t* weft_linker_define_func(weft_linker_t* linker, const char* module, const char* name,
                                      const wasm_functype_t* type, wasm_func_callback_with_env_t callback, void* env,
                                      void (*finalizer)(void*)) {
  if (!linker) {
    if (finalizer) finalizer(env);  // no store to hand it to
    return new_error("linker is null");
  }
  if (!module || !name || !type || !callback) {
    // The store still runs the finalizer when it is deleted.
    HostFunc unused;
    unused.env = env;
    unused.finalizer = finalizer;
    linker->store->host_funcs.push_back(std::move(unused));
    return new_error("module, name, type or callback is null");
  }
  wasm_func_t* func = wasm_func_new_with_env(linker->store, type, callback, env, finalizer);
  weft::Extern ext = func->ext;
  wasm_func_delete(func);
  return define(linker, module, name, ext);
}

weft_error_t* weft_linker_define_instance(weft_linker_t* linker, const char* module,
                                          const wasm_instance_t* instance) {
  if (!linker || !module || !instance) return new_error("linker, module or instance is null");
  if (instance->store != linker->store) return new_error("instance belongs to another store");
  const weft::Instance& inst = *instance->instance;
  for (const weft::Export& e : inst.module->exports)
    if (linker->defs.count({module, e.name}))
      return new_error("duplicate definition of " + std::string(module) + "." + e.name);
  for (const weft::Export& e : inst.module->exports) {
    auto ext = inst.find_export(e.name);
    if (ext) linker->defs.emplace(std::make_pair(std::string(module), e.name), *ext);
  }
  return nullptr;
}

weft_error_t* weft_linker_define_wasi(weft_linker_t* linker, weft_wasi_config_t* config) {
  std::unique_ptr<weft_wasi_config_t> owned(config);
  if (!linker || !config) return new_error("linker or config is null");
  if (linker->wasi) return new_error("WASI is defined already in this linker");
  auto ctx = weft::wasi::WasiContext::create(config->config);
  if (!ctx.ok()) return new_error(ctx.error().message);
  std::shared_ptr<weft::wasi::WasiContext> shared(std::move(ctx.value()));
  linker->wasi = shared.get();
  linker->store->attachments.push_back(std::move(shared));
  return nullptr;
}

weft_error_t* weft_linker_instantiate(const weft_linker_t* linker, const wasm_module_t* module,
                                      wasm_instance_t** instance_out, wasm_trap_t** trap_out) {
  if (instance_out) *instance_out = nullptr;
  if (trap_out) *trap_out = nullptr;
  if (!instance_out) return new_error("instance_out is null");
  weft::Instance* instance = nullptr;
  std::optional<weft::Error> failure;
  if (weft_error_t* e = weft::api::instantiate(linker, module, &instance, &failure)) return e;
  if (failure) {
    if (trap_out) *trap_out = new_trap(linker->store, *failure);
    return nullptr;
  }
  *instance_out = new wasm_instance_t(linker->store, instance);
  return nullptr;
}

weft_error_t* weft_linker_run_command(const weft_linker_t* linker, const wasm_module_t* module, int* exit_code,
                                      wasm_trap_t** trap_out) {
  if (trap_out) *trap_out = nullptr;
  if (!linker || !exit_code) return new_error("linker or exit_code is null");
  if (!linker->wasi) return new_error("WASI is not defined in this linker");
  weft::wasi::WasiContext& ctx = *linker->wasi;
  weft::Instance* instance = nullptr;
  std::optional<weft::Error> failure;
  if (weft_error_t* e = weft::api::instantiate(linker, module, &instance, &failure)) return e;
  if (!failure) {
    auto status = weft::wasi::run_start(linker->store->store, *instance, ctx);
    if (status.ok()) {
      *exit_code = int(status.value());
      return nullptr;
    }
    if (!is_trap(status.error().kind)) return new_error(status.error().message);
    failure = std::move(status).error();
  }
  // A start function may have called proc_exit.
  if (failure->kind == weft::ErrorKind::exit && ctx.exit_code()) {
    *exit_code = int(*ctx.exit_code());
    return nullptr;
  }
  if (trap_out) *trap_out = new_trap(linker->store, *failure);
  return nullptr;
}

// ---- WASI configuration --------------------------------------------------------------

weft_wasi_config_t* weft_wasi_config_new(void) { return new weft_wasi_config_t(); }
void weft_wasi_config_delete(weft_wasi_config_t* config) { delete config; }

void weft_wasi_config_set_args(weft_wasi_config_t* config, int argc, const char* const argv[]) {
  if (!config) return;
  config->config.args.clear();
  for (int i = 0; i < argc && argv; ++i)
    if (argv[i]) config->config.args.emplace_back(argv[i]);
}

void weft_wasi_config_set_env(weft_wasi_config_t* config, int count, const char* const env[]) {
  if (!config) return;
  config->config.env.clear();
  for (int i = 0; i < count && env; ++i)
    if (env[i]) config->config.env.emplace_back(env[i]);
}

void weft_wasi_config_inherit_env(weft_wasi_config_t* config) {
  if (!config) return;
  config->config.env.clear();
  for (char** e = environ; e && *e; ++e) config->config.env.emplace_back(*e);
}

void weft_wasi_config_preopen_dir(weft_wasi_config_t* config, const char* host_path, const char* guest_path) {
  if (!config || !host_path || !guest_path) return;
  config->config.preopens.push_back({host_path, guest_path});
}

weft_error_t* weft_wasi_config_set_stdio(weft_wasi_config_t* config, int stdin_fd, int stdout_fd, int stderr_fd) {
  if (!config) return new_error("config is null");
  if (stdin_fd < 0 || stdout_fd < 0 || stderr_fd < 0) return new_error("a stdio descriptor is negative");
  config->config.stdin_fd = stdin_fd;
  config->config.stdout_fd = stdout_fd;
  config->config.stderr_fd = stderr_fd;
  return nullptr;
}

}  // extern "C"
