// weft command line: `weft wast`, `weft run`, `weft validate`.
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/load.h"
#include "runtime/store.h"
#include "wast/runner.h"

namespace weft::cli {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  weft wast [--expected-failures LIST] [--verbose] FILE...\n"
    "      run .wast spec scripts; prints failures, per-file and total counts\n"
    "  weft run --invoke NAME FILE [ARGS...]\n"
    "      instantiate FILE (.wasm or .wat) and call export NAME with ARGS\n"
    "  weft validate FILE\n"
    "      decode and validate FILE; exit 0 if valid\n";

int usage_error(const std::string& msg) {
  std::cerr << "weft: " << msg << "\n" << kUsage;
  return 2;
}

int cmd_wast(const std::vector<std::string>& args) {
  WastOptions options;
  std::optional<ExpectedFailures> expected;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--expected-failures") {
      if (++i >= args.size()) return usage_error("--expected-failures needs a file");
      auto ef = ExpectedFailures::load(args[i]);
      if (!ef.ok()) return usage_error(ef.error().message);
      expected = std::move(ef.value());
    } else if (args[i] == "--verbose") {
      options.verbose = true;
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty()) return usage_error("wast needs at least one file");
  if (expected) options.expected = &*expected;
  WastCounts total;
  for (const std::string& f : files) {
    WastCounts c = run_wast_file(f, options, std::cout, std::cout);
    std::cout << f << ": " << c.passed << " passed, " << c.failed << " failed";
    if (c.expected_failures) std::cout << " (" << c.expected_failures << " expected failures)";
    std::cout << "\n";
    total.passed += c.passed;
    total.failed += c.failed;
    total.expected_failures += c.expected_failures;
  }
  if (total.expected_failures)
    std::cout << "expected failures (listed): " << total.expected_failures << "\n";
  std::cout << total.passed << " passed, " << total.failed << " failed\n";
  return total.failed == 0 ? 0 : 1;
}

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

int cmd_run(const std::vector<std::string>& args) {
  std::string invoke_name;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    if (args[i] == "--invoke") {
      if (++i >= args.size()) return usage_error("--invoke needs a name");
      invoke_name = args[i];
    } else if (args[i] == "--") {
      ++i;
      break;
    } else if (args[i].size() > 1 && args[i][0] == '-' && args[i][1] == '-') {
      return usage_error("unknown option " + args[i]);
    } else {
      break;
    }
  }
  if (i >= args.size()) return usage_error("run needs a file");
  std::string file = args[i++];
  std::vector<std::string> rest(args.begin() + long(i), args.end());
  if (invoke_name.empty()) return usage_error("run needs --invoke NAME (WASI _start is not supported yet)");

  Engine engine;
  Store store(engine);
  auto module = load_module(engine.types(), file);
  if (!module.ok()) return report_error(module.error());
  if (!module.value()->imports.empty()) {
    const Import& imp = module.value()->imports[0];
    return report_error(make_error(ErrorKind::unlinkable, "unknown import \"" + imp.module + "\" \"" + imp.name + "\""));
  }
  auto inst = instantiate(store, module.value(), {});
  if (!inst.ok()) return report_error(inst.error());
  auto exp = inst.value()->find_export(invoke_name);
  if (!exp || exp->kind != ExternKind::func) {
    return report_error(make_error(ErrorKind::io, "no exported function \"" + invoke_name + "\""));
  }
  Function* fn = exp->func();
  const FuncType& ft = engine.types().func_type(fn->type_id);
  if (rest.size() != ft.params.size()) {
    return usage_error("\"" + invoke_name + "\" takes " + std::to_string(ft.params.size()) + " arguments, got " +
                       std::to_string(rest.size()));
  }
  std::vector<Value> vals;
  for (size_t k = 0; k < rest.size(); ++k) {
    Value v;
    if (!parse_arg(rest[k], ft.params[k], &v))
      return usage_error("argument " + std::to_string(k + 1) + " \"" + rest[k] + "\" is not a valid " + to_string(ft.params[k]));
    vals.push_back(v);
  }
  auto results = invoke(store, fn, vals);
  if (!results.ok()) return report_error(results.error());
  for (const Value& v : results.value()) std::cout << format_result(v) << "\n";
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  if (args.size() != 1) return usage_error("validate needs one file");
  Engine engine;
  auto module = load_module(engine.types(), args[0]);
  if (!module.ok()) {
    std::cerr << args[0] << ": " << module.error().to_string() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace weft::cli

int main(int argc, char** argv) {
  using namespace weft::cli;
  if (argc < 2) return usage_error("missing command");
  std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "wast") return cmd_wast(args);
  if (cmd == "run") return cmd_run(args);
  if (cmd == "validate") return cmd_validate(args);
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kUsage;
    return 0;
  }
  return usage_error("unknown command " + cmd);
}
