#include "wast/runner.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "binary/decoder.h"
#include "runtime/store.h"
#include "text/script.h"
#include "validate/validator.h"
#include "wast/spectest.h"

namespace weft {

Result<ExpectedFailures> ExpectedFailures::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(ErrorKind::io, "cannot read expected-failures list " + path);
  ExpectedFailures ef;
  std::string line;
  while (std::getline(in, line)) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    while (!line.empty() && isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    size_t start = 0;
    while (start < line.size() && isspace(static_cast<unsigned char>(line[start]))) ++start;
    if (start < line.size()) ef.keys_.insert(line.substr(start));
  }
  return ef;
}

std::string failure_key(const std::string& path, uint32_t line) {
  std::string p = path;
  size_t slash = p.rfind('/');
  std::string file = slash == std::string::npos ? p : p.substr(slash + 1);
  std::string dir;
  if (slash != std::string::npos && slash > 0) {
    size_t prev = p.rfind('/', slash - 1);
    dir = p.substr(prev == std::string::npos ? 0 : prev + 1, slash - (prev == std::string::npos ? 0 : prev + 1));
  }
  return (dir.empty() ? "" : dir + "/") + file + ":" + std::to_string(line);
}

namespace {

bool is_f32_canonical_nan(uint32_t b) { return (b & 0x7fffffffu) == 0x7fc00000u; }
bool is_f32_arithmetic_nan(uint32_t b) { return (b & 0x7fc00000u) == 0x7fc00000u; }
bool is_f64_canonical_nan(uint64_t b) { return (b & 0x7fffffffffffffffull) == 0x7ff8000000000000ull; }
bool is_f64_arithmetic_nan(uint64_t b) { return (b & 0x7ff8000000000000ull) == 0x7ff8000000000000ull; }

std::string describe_pattern(const ResultPattern& p) {
  using K = ResultPattern::Kind;
  switch (p.kind) {
    case K::i32: return format_value(Value::i32(uint32_t(p.bits)));
    case K::i64: return format_value(Value::i64(p.bits));
    case K::f32: return format_value(Value::f32_bits(uint32_t(p.bits)));
    case K::f64: return format_value(Value::f64_bits(p.bits));
    case K::f32_nan_canonical: return "nan:canonical : f32";
    case K::f32_nan_arithmetic: return "nan:arithmetic : f32";
    case K::f64_nan_canonical: return "nan:canonical : f64";
    case K::f64_nan_arithmetic: return "nan:arithmetic : f64";
    case K::v128: return "v128 " + p.v128_shape;
    case K::ref_null: return "ref.null";
    case K::ref_extern: return p.has_payload ? "ref.extern " + std::to_string(p.bits) : "ref.extern";
    case K::ref_host: return "ref.host " + std::to_string(p.bits);
    case K::ref_func: return "ref.func";
    case K::ref_any_nonnull: return "ref";
    case K::ref_kind: return "ref." + p.ref_kind;
    case K::either: {
      std::string s = "either(";
      for (size_t i = 0; i < p.alternatives.size(); ++i) s += (i ? ", " : "") + describe_pattern(p.alternatives[i]);
      return s + ")";
    }
  }
  return "?";
}

class Runner {
 public:
  Runner(const std::string& path, const WastOptions& options, std::ostream& out, std::ostream& report)
      : path_(path), options_(options), out_(out), report_(report), engine_(options.engine), store_(engine_) {
    spectest_ = make_spectest(store_, out_);
  }

  WastCounts run(const Script& script) {
    for (const Command& cmd : script.commands) {
      std::string why;
      bool ok = run_command(cmd, &why);
      record(cmd.line, ok, why);
    }
    return counts_;
  }

  void record(uint32_t line, bool ok, const std::string& why) {
    std::string key = failure_key(path_, line);
    bool listed = options_.expected && options_.expected->contains(key);
    if (ok && !listed) {
      ++counts_.passed;
    } else if (ok && listed) {
      ++counts_.failed;
      report_ << path_ << ":" << line << ": unexpected pass (remove " << key << " from the expected-failures list)\n";
    } else if (listed) {
      ++counts_.expected_failures;
      if (options_.verbose) report_ << path_ << ":" << line << ": (expected failure) " << why << "\n";
    } else {
      ++counts_.failed;
      report_ << path_ << ":" << line << ": " << why << "\n";
    }
  }

 private:
  using K = Command::Kind;

  Result<std::shared_ptr<Module>> build(const ScriptModule& sm) {
    std::vector<uint8_t> bytes;
    SourceMap map;
    switch (sm.kind) {
      case ScriptModule::Kind::binary:
        bytes = sm.bytes;
        break;
      case ScriptModule::Kind::text: {
        WEFT_TRY(bytes, parse_wat(sm.text, sm.line, sm.column, &map));
        break;
      }
      case ScriptModule::Kind::quote: {
        WEFT_TRY(bytes, parse_wat(sm.text));
        break;
      }
    }
    WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
    Status valid = validate_module(engine_.types(), *m, {.interrupt_checks = engine_.needs_interrupt_checks()});
    if (!valid.ok()) {
      Error e = std::move(valid).error();
      map.relocate(e);
      return e;
    }
    return std::shared_ptr<Module>(std::move(m));
  }

  Result<Instance*> link_and_instantiate(std::shared_ptr<const Module> m) {
    std::vector<Extern> imports;
    imports.reserve(m->imports.size());
    for (const Import& imp : m->imports) {
      std::optional<Extern> e;
      if (imp.module == "spectest") {
        e = spectest_.find(imp.name);
      } else if (auto it = registered_.find(imp.module); it != registered_.end()) {
        e = it->second->find_export(imp.name);
      }
      if (!e) return make_error(ErrorKind::unlinkable, "unknown import \"" + imp.module + "\" \"" + imp.name + "\"");
      if (e->kind != imp.kind) return make_error(ErrorKind::unlinkable, "incompatible import type \"" + imp.module + "\" \"" + imp.name + "\"");
      imports.push_back(*e);
    }
    return instantiate(store_, std::move(m), imports);
  }

  void bind_instance(const std::string& name, Instance* inst) {
    last_instance_ = inst;
    if (!name.empty()) instances_[name] = inst;
  }

  Instance* find_instance(const std::string& name, std::string* why) {
    if (name.empty()) {
      if (!last_instance_) *why = "no module instance";
      return last_instance_;
    }
    auto it = instances_.find(name);
    if (it == instances_.end()) {
      *why = "unknown module " + name;
      return nullptr;
    }
    return it->second;
  }

  Result<std::vector<Value>> perform(const Action& a) {
    std::string why;
    Instance* inst = find_instance(a.module, &why);
    if (!inst) return make_error(ErrorKind::io, why);
    std::optional<Extern> e = inst->find_export(a.field);
    if (!e) return make_error(ErrorKind::io, "unknown export \"" + a.field + "\"");
    if (a.kind == Action::Kind::get) {
      if (e->kind != ExternKind::global) return make_error(ErrorKind::io, "export \"" + a.field + "\" is not a global");
      Global* g = e->global();
      return std::vector<Value>{Value{g->type.type, g->value}};
    }
    if (e->kind != ExternKind::func) return make_error(ErrorKind::io, "export \"" + a.field + "\" is not a function");
    return invoke(store_, e->func(), a.args);
  }

  bool matches(const ResultPattern& p, const Value& v) {
    using PK = ResultPattern::Kind;
    switch (p.kind) {
      case PK::i32: return v.type.kind == ValKind::i32 && uint32_t(v.bits) == uint32_t(p.bits);
      case PK::i64: return v.type.kind == ValKind::i64 && v.bits == p.bits;
      case PK::f32: return v.type.kind == ValKind::f32 && uint32_t(v.bits) == uint32_t(p.bits);
      case PK::f64: return v.type.kind == ValKind::f64 && v.bits == p.bits;
      case PK::f32_nan_canonical: return v.type.kind == ValKind::f32 && is_f32_canonical_nan(uint32_t(v.bits));
      case PK::f32_nan_arithmetic: return v.type.kind == ValKind::f32 && is_f32_arithmetic_nan(uint32_t(v.bits));
      case PK::f64_nan_canonical: return v.type.kind == ValKind::f64 && is_f64_canonical_nan(v.bits);
      case PK::f64_nan_arithmetic: return v.type.kind == ValKind::f64 && is_f64_arithmetic_nan(v.bits);
      case PK::v128: return false;  // SIMD is outside this engine's scope so far
      case PK::ref_null: return v.type.is_ref() && v.bits == kNullRef;
      case PK::ref_extern:
        if (!v.type.is_ref() || v.bits == kNullRef || !is_host_ref(v.bits)) return false;
        return !p.has_payload || host_ref_payload(v.bits) == p.bits;
      case PK::ref_host:
        return v.type.is_ref() && is_host_ref(v.bits) && host_ref_payload(v.bits) == p.bits;
      case PK::ref_func:
        return v.type.is_ref() && v.bits != kNullRef && !is_host_ref(v.bits) &&
               engine_.types().top_of(v.type.heap) == AbsHeap::func;
      case PK::ref_any_nonnull: return v.type.is_ref() && v.bits != kNullRef;
      case PK::ref_kind: return false;  // GC objects are not allocated yet
      case PK::either:
        for (const ResultPattern& alt : p.alternatives)
          if (matches(alt, v)) return true;
        return false;
    }
    return false;
  }

  static std::string describe_values(const std::vector<Value>& vs) {
    std::string s = "(";
    for (size_t i = 0; i < vs.size(); ++i) s += (i ? ", " : "") + format_value(vs[i]);
    return s + ")";
  }

  // Expects `r` to have failed with `kind`, and (for traps) with a message
  // containing `text`.
  static bool expect_failure(const Error* err, ErrorKind kind, const std::string& text, bool check_text,
                             std::string* why) {
    if (!err) {
      *why = std::string("expected ") + error_kind_name(kind) + " \"" + text + "\", but it succeeded";
      return false;
    }
    if (err->kind != kind || (check_text && err->message.find(text) == std::string::npos)) {
      *why = std::string("expected ") + error_kind_name(kind) + " \"" + text + "\", got " + err->to_string();
      return false;
    }
    return true;
  }

  bool run_command(const Command& cmd, std::string* why) {
    switch (cmd.kind) {
      case K::module: {
        auto m = build(cmd.module);
        if (!m.ok()) {
          *why = "module failed: " + m.error().to_string();
          return false;
        }
        if (cmd.module.definition) {
          last_definition_ = m.value();
          if (!cmd.module.name.empty()) definitions_[cmd.module.name] = m.value();
          return true;
        }
        auto inst = link_and_instantiate(m.value());
        if (!inst.ok()) {
          *why = "instantiation failed: " + inst.error().to_string();
          return false;
        }
        bind_instance(cmd.module.name, inst.value());
        return true;
      }
      case K::instance: {
        std::shared_ptr<const Module> def = last_definition_;
        if (!cmd.instance_module.empty()) {
          auto it = definitions_.find(cmd.instance_module);
          def = it == definitions_.end() ? nullptr : it->second;
        }
        if (!def) {
          *why = "unknown module definition " + cmd.instance_module;
          return false;
        }
        auto inst = link_and_instantiate(def);
        if (!inst.ok()) {
          *why = "instantiation failed: " + inst.error().to_string();
          return false;
        }
        bind_instance(cmd.instance_name, inst.value());
        return true;
      }
      case K::register_: {
        Instance* inst = find_instance(cmd.register_module, why);
        if (!inst) return false;
        registered_[cmd.register_name] = inst;
        return true;
      }
      case K::action: {
        auto r = perform(cmd.action);
        if (!r.ok()) *why = "action failed: " + r.error().to_string();
        return r.ok();
      }
      case K::assert_return: {
        auto r = perform(cmd.action);
        if (!r.ok()) {
          *why = "assert_return: " + r.error().to_string();
          return false;
        }
        const std::vector<Value>& got = r.value();
        bool ok = got.size() == cmd.expected.size();
        for (size_t i = 0; ok && i < got.size(); ++i) ok = matches(cmd.expected[i], got[i]);
        if (!ok) {
          std::string exp = "(";
          for (size_t i = 0; i < cmd.expected.size(); ++i) exp += (i ? ", " : "") + describe_pattern(cmd.expected[i]);
          *why = "assert_return: expected " + exp + "), got " + describe_values(got);
        }
        return ok;
      }
      case K::assert_trap:
      case K::assert_exhaustion:
      case K::assert_exception:
      case K::assert_suspension: {
        auto r = perform(cmd.action);
        ErrorKind kind = cmd.kind == K::assert_trap         ? ErrorKind::trap
                         : cmd.kind == K::assert_exhaustion ? ErrorKind::exhaustion
                         : cmd.kind == K::assert_exception  ? ErrorKind::exception
                                                            : ErrorKind::suspension;
        bool check_text = cmd.kind == K::assert_trap;
        return expect_failure(r.ok() ? nullptr : &r.error(), kind, cmd.text, check_text, why);
      }
      case K::assert_malformed:
      case K::assert_invalid: {
        auto m = build(cmd.module);
        ErrorKind kind = cmd.kind == K::assert_malformed ? ErrorKind::malformed : ErrorKind::invalid;
        return expect_failure(m.ok() ? nullptr : &m.error(), kind, cmd.text, false, why);
      }
      case K::assert_unlinkable:
      case K::assert_uninstantiable: {
        auto m = build(cmd.module);
        if (!m.ok()) {
          *why = "module failed: " + m.error().to_string();
          return false;
        }
        auto inst = link_and_instantiate(m.value());
        ErrorKind kind = cmd.kind == K::assert_unlinkable ? ErrorKind::unlinkable : ErrorKind::trap;
        return expect_failure(inst.ok() ? nullptr : &inst.error(), kind, cmd.text,
                              cmd.kind == K::assert_uninstantiable, why);
      }
    }
    *why = "unknown command";
    return false;
  }

  std::string path_;
  const WastOptions& options_;
  std::ostream& out_;
  std::ostream& report_;
  Engine engine_;
  Store store_;
  HostModule spectest_;
  WastCounts counts_;
  Instance* last_instance_ = nullptr;
  std::map<std::string, Instance*> instances_;
  std::map<std::string, Instance*> registered_;
  std::shared_ptr<const Module> last_definition_;
  std::map<std::string, std::shared_ptr<const Module>> definitions_;
};

}  // namespace

WastCounts run_wast_file(const std::string& path, const WastOptions& options, std::ostream& out,
                         std::ostream& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report << path << ": cannot read file\n";
    return WastCounts{0, 1, 0};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string source = ss.str();
  auto script = parse_script(source);
  if (!script.ok()) {
    report << path << ":" << script.error().location.to_string() << ": " << script.error().to_string() << "\n";
    return WastCounts{0, 1, 0};
  }
  Runner runner(path, options, out, report);
  return runner.run(script.value());
}

}  // namespace weft
