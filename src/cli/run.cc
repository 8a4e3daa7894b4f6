// `weft run`: runs a WASI command module (its `_start`), or with --invoke
// calls one export of any module and prints its results.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/engine_options.h"
#include "cli/load.h"
#include "runtime/store.h"
#include "wasi/wasi.h"

namespace weft::cli {
namespace {

// Parses a command-line argument as a value of type `t`.
bool parse_arg(const std::string& s, ValType t, Value* out) {
  const char* p = s.c_str();
  char* end = nullptr;
  errno = 0;
  switch (t.kind) {
    case ValKind::i32:
    case ValKind::i64: {
      bool neg = !s.empty() && s[0] == '-';
      uint64_t v;
      if (neg) v = uint64_t(std::strtoll(p, &end, 0));
      else v = std::strtoull(p, &end, 0);
      if (errno || end == p || *end) return false;
      if (t.kind == ValKind::i32) {
        int64_t sv = int64_t(v);
        if (neg ? sv < INT32_MIN : v > UINT32_MAX) return false;
        *out = Value::i32(uint32_t(v));
      } else {
        *out = Value::i64(v);
      }
      return true;
    }
    case ValKind::f32: {
      float f = std::strtof(p, &end);
      if (end == p || *end) return false;
      *out = Value::f32(f);
      return true;
    }
    case ValKind::f64: {
      double d = std::strtod(p, &end);
      if (end == p || *end) return false;
      *out = Value::f64(d);
      return true;
    }
    default:
      return false;
  }
}

// Integers in signed decimal; floats with enough digits to read back exactly.
std::string format_result(const Value& v) {
  char buf[64];
  switch (v.type.kind) {
    case ValKind::i32: return std::to_string(int32_t(v.as_u32()));
    case ValKind::i64: return std::to_string(int64_t(v.as_u64()));
    case ValKind::f32:
      if (std::isnan(v.as_f32())) return format_value(v).substr(0, format_value(v).find(' '));
      snprintf(buf, sizeof buf, "%.9g", double(v.as_f32()));
      return buf;
    case ValKind::f64:
      if (std::isnan(v.as_f64())) return format_value(v).substr(0, format_value(v).find(' '));
      snprintf(buf, sizeof buf, "%.17g", v.as_f64());
      return buf;
    default: return format_value(v);
  }
}

int report_error(const Error& e) {
  std::cerr << "weft: " << e.to_string() << "\n";
  if (!e.backtrace.empty()) std::cerr << "wasm backtrace:\n" << e.backtrace;
  return 1;
}


struct Preload {
  std::string name;  // the module name its exports are imported under
  std::string file;
};

struct RunOptions {
  std::string invoke_name;
  std::vector<Preload> preloads;    // --preload NAME=FILE, in order
  wasi::WasiConfig wasi;
  std::vector<std::string> listen;  // --tcplisten addresses
  EngineConfig engine;              // engine options (cli/engine_options.h)
};

// Opens a listening TCP socket on "ADDR:PORT" ("[V6ADDR]:PORT" for IPv6).
Result<int> listen_on(const std::string& spec) {
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
    return make_error(ErrorKind::io, "--tcplisten needs ADDR:PORT, got \"" + spec + "\"");
  std::string host = spec.substr(0, colon), port = spec.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  struct addrinfo hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  struct addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return make_error(ErrorKind::io, "--tcplisten " + spec + ": " + ::gai_strerror(rc));
  int fd = ::socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
  int one = 1;
  bool ok = fd >= 0 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
            ::bind(fd, res->ai_addr, res->ai_addrlen) == 0 && ::listen(fd, 128) == 0;
  int saved = errno;
  ::freeaddrinfo(res);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    return make_error(ErrorKind::io, "--tcplisten " + spec + ": " + std::strerror(saved));
  }
  return fd;
}

// `--opt VALUE` or `--opt=VALUE`: the value, advancing i past it.
std::optional<std::string> option_value(const std::vector<std::string>& args, size_t* i, const std::string& name) {
  const std::string& a = args[*i];
  if (a == name) {
    if (*i + 1 >= args.size()) return std::nullopt;
    return args[++*i];
  }
  return a.substr(name.size() + 1);
}

bool is_option(const std::string& a, const std::string& name) {
  return a == name || (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=');
}

// The instances of --preload modules by name; each module's imports come from
// the preloads before it and from WASI.
struct Linked {
  struct Named {
    std::string name;
    std::string file;
    Instance* instance;
  };
  std::vector<Named> preloads;

  // An extern for each of `module`'s imports: a preload's export when the
  // import's module name is a preload's, else a WASI function.
  Result<std::vector<Extern>> imports_of(Store& store, const Module& module, wasi::WasiContext& ctx) const {
    std::vector<Extern> externs;
    for (const Import& imp : module.imports) {
      const Named* from = nullptr;
      for (const Named& p : preloads)
        if (p.name == imp.module) from = &p;
      if (!from) {
        WEFT_TRY(Extern e, ctx.link_import(store, imp));
        externs.push_back(e);
        continue;
      }
      auto exp = from->instance->find_export(imp.name);
      if (!exp)
        return make_error(ErrorKind::unlinkable, "unknown import \"" + imp.module + "\" \"" + imp.name +
                                                     "\": the module preloaded from " + from->file +
                                                     " exports no \"" + imp.name + "\"");
      externs.push_back(*exp);  // its type is checked by instantiate
    }
    return externs;
  }
};

// Loads and instantiates `file` with its imports from `linked` and WASI, and
// binds its memory export (if any) to the WASI context.
Result<Instance*> load_and_instantiate(Store& store, Engine& engine, const std::string& file, const Linked& linked,
                                       wasi::WasiContext& ctx) {
  WEFT_TRY(std::shared_ptr<Module> module, load_module(engine, file));
  WEFT_TRY(std::vector<Extern> imports, linked.imports_of(store, *module, ctx));
  WEFT_TRY(Instance * inst, instantiate(store, module, imports));
  auto memory = inst->find_export("memory");
  if (memory && memory->kind == ExternKind::memory) ctx.bind_memory(memory->memory());
  return inst;
}

// Instantiates the --preload modules in order.
Result<Linked> preload_modules(Store& store, Engine& engine, const RunOptions& opts, wasi::WasiContext& ctx) {
  Linked linked;
  for (const Preload& p : opts.preloads) {
    auto inst = load_and_instantiate(store, engine, p.file, linked, ctx);
    if (!inst.ok()) {
      Error e = std::move(inst).error();
      e.message = "--preload " + p.name + "=" + p.file + ": " + e.message;
      return e;
    }
    linked.preloads.push_back({p.name, p.file, inst.value()});
  }
  return linked;
}

int invoke_export(const RunOptions& opts, const std::string& file, const std::vector<std::string>& rest) {
  Engine engine(opts.engine);
  Store store(engine);
  wasi::WasiConfig config = opts.wasi;
  config.args = {file};  // ARGS are the export's arguments, not the program's
  auto ctx = wasi::WasiContext::create(config);
  if (!ctx.ok()) return report_error(ctx.error());
  auto linked = preload_modules(store, engine, opts, *ctx.value());
  if (!linked.ok()) return report_error(linked.error());
  auto inst = load_and_instantiate(store, engine, file, linked.value(), *ctx.value());
  if (!inst.ok()) return report_error(inst.error());
  const std::string& invoke_name = opts.invoke_name;
  auto exp = inst.value()->find_export(invoke_name);
  if (!exp || exp->kind != ExternKind::func) {
    return report_error(make_error(ErrorKind::io, "no exported function \"" + invoke_name + "\""));
  }
  Function* fn = exp->func();
  const FuncType& ft = engine.types().func_type(fn->type_id);
  if (rest.size() != ft.params.size()) {
    return usage_error("run", "\"" + invoke_name + "\" takes " + std::to_string(ft.params.size()) +
                                  " arguments, got " + std::to_string(rest.size()));
  }
  std::vector<Value> vals;
  for (size_t k = 0; k < rest.size(); ++k) {
    Value v;
    if (!parse_arg(rest[k], ft.params[k], &v))
      return usage_error("run", "argument " + std::to_string(k + 1) + " \"" + rest[k] + "\" is not a valid " +
                                    to_string(ft.params[k]));
    vals.push_back(v);
  }
  auto results = invoke(store, fn, vals);
  if (!results.ok()) {
    if (results.error().kind == ErrorKind::exit && ctx.value()->exit_code())
      return int(*ctx.value()->exit_code() & 0xff);
    return report_error(results.error());
  }
  for (const Value& v : results.value()) std::cout << format_result(v) << "\n";
  return 0;
}

// Exit status of a trapped WASI program: as if the process had aborted.
constexpr int kTrapExitStatus = 128 + SIGABRT;

int run_wasi_command(RunOptions& opts, const std::string& file, const std::vector<std::string>& rest) {
  Engine engine(opts.engine);
  Store store(engine);
  opts.wasi.args.clear();
  opts.wasi.args.push_back(file);
  opts.wasi.args.insert(opts.wasi.args.end(), rest.begin(), rest.end());
  auto ctx = wasi::WasiContext::create(opts.wasi);
  if (!ctx.ok()) return report_error(ctx.error());
  for (const std::string& spec : opts.listen) {
    auto fd = listen_on(spec);
    if (!fd.ok()) return report_error(fd.error());
    ctx.value()->add_socket(fd.value());
  }
  // A write to a closed pipe is an EPIPE error for the guest, not a signal
  // that kills the engine.
  std::signal(SIGPIPE, SIG_IGN);
  auto exit_status = [&]() -> Result<uint32_t> {
    WEFT_TRY(Linked linked, preload_modules(store, engine, opts, *ctx.value()));
    auto inst = load_and_instantiate(store, engine, file, linked, *ctx.value());
    if (!inst.ok()) {
      // A start function may already have called proc_exit.
      if (inst.error().kind == ErrorKind::exit && ctx.value()->exit_code()) return *ctx.value()->exit_code();
      return std::move(inst).error();
    }
    return wasi::run_start(store, *inst.value(), *ctx.value());
  };
  auto status = exit_status();
  if (!status.ok()) {
    report_error(status.error());
    return status.error().kind == ErrorKind::trap || status.error().kind == ErrorKind::exhaustion ||
                   status.error().kind == ErrorKind::exception
               ? kTrapExitStatus
               : 1;
  }
  return int(status.value() & 0xff);
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  RunOptions opts;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (is_help_flag(a)) {
      return print_usage("run");
    } else if (is_option(a, "--invoke")) {
      auto v = option_value(args, &i, "--invoke");
      if (!v || v->empty()) return usage_error("run", "--invoke needs a name");
      opts.invoke_name = *v;
    } else if (is_option(a, "--preload")) {
      auto v = option_value(args, &i, "--preload");
      const size_t eq = v ? v->find('=') : std::string::npos;
      if (eq == std::string::npos || eq == 0 || eq + 1 == v->size())
        return usage_error("run", "--preload needs NAME=FILE");
      opts.preloads.push_back({v->substr(0, eq), v->substr(eq + 1)});
    } else if (is_option(a, "--dir")) {
      auto v = option_value(args, &i, "--dir");
      if (!v || v->empty()) return usage_error("run", "--dir needs HOST[::GUEST]");
      size_t sep = v->find("::");
      if (sep == std::string::npos) opts.wasi.preopens.push_back({*v, *v});
      else opts.wasi.preopens.push_back({v->substr(0, sep), v->substr(sep + 2)});
    } else if (is_option(a, "--env")) {
      auto v = option_value(args, &i, "--env");
      if (!v || v->empty() || (*v)[0] == '=') return usage_error("run", "--env needs NAME=VALUE");
      if (v->find('=') == std::string::npos) {
        // --env NAME passes the host's value on.
        const char* host = std::getenv(v->c_str());
        if (host) opts.wasi.env.push_back(*v + "=" + host);
      } else {
        opts.wasi.env.push_back(*v);
      }
    } else if (is_option(a, "--tcplisten")) {
      auto v = option_value(args, &i, "--tcplisten");
      if (!v || v->empty()) return usage_error("run", "--tcplisten needs ADDR:PORT");
      opts.listen.push_back(*v);
    } else if (a == "--") {
      ++i;
      break;
    } else if (a.size() > 1 && a[0] == '-') {
      std::string err;
      OptionParse r = parse_engine_option(args, &i, &opts.engine, &err);
      if (r == OptionParse::error) return usage_error("run", err);
      if (r == OptionParse::not_mine) return usage_error("run", "unknown option " + a);
    } else {
      break;
    }
  }
  if (i >= args.size()) return usage_error("run", "needs a file");
  std::string file = args[i++];
  std::vector<std::string> rest(args.begin() + long(i), args.end());
  if (!opts.invoke_name.empty()) return invoke_export(opts, file, rest);
  return run_wasi_command(opts, file, rest);
}

}  // namespace weft::cli
