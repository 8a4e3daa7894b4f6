// weft command line: `weft wast`, `weft run`, `weft validate`.
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "binary/decoder.h"
#include "cli/engine_options.h"
#include "cli/load.h"
#include "text/script.h"
#include "runtime/store.h"
#include "validate/code_dump.h"
#include "validate/validator.h"
#include "wast/runner.h"

namespace weft::cli {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  weft wast [--expected-failures LIST] [--verbose] [ENGINE OPTIONS] FILE...\n"
    "      run .wast spec scripts; prints failures, per-file and total counts\n"
    "  weft run [ENGINE OPTIONS] [--dir HOST[::GUEST]]... [--env NAME=VALUE]... [--tcplisten ADDR:PORT]... [--] FILE [ARGS...]\n"
    "      run a WASI command module: its _start with ARGS; exits with its exit status\n"
    "  weft run [ENGINE OPTIONS] --invoke NAME FILE [ARGS...]\n"
    "      instantiate FILE (.wasm or .wat) and call export NAME with ARGS\n"
    "  weft validate [--time | --dump] FILE\n"
    "      decode and validate FILE; exit 0 if valid (--time: print decode and\n"
    "      validation+lowering times of a .wasm file; --dump: print the lowered code)\n"
    "  weft wat2wasm FILE.wat -o FILE.wasm\n"
    "      encode a text module as a binary module\n";

}  // namespace

int usage_error(const std::string& msg) {
  std::cerr << "weft: " << msg << "\n" << kUsage << kEngineOptionsUsage;
  return 2;
}

namespace {

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
    } else if (args[i].rfind("--", 0) == 0) {
      std::string err;
      OptionParse r = parse_engine_option(args, &i, &options.engine, &err);
      if (r == OptionParse::error) return usage_error(err);
      if (r == OptionParse::not_mine) return usage_error("unknown option " + args[i]);
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

// `weft validate --time FILE` (binary modules): times decoding and
// validation-with-lowering separately, with code-section throughput.
int cmd_validate_timed(const std::string& path) {
  using Clock = std::chrono::steady_clock;
  auto file = read_file(path);
  if (!file.ok()) {
    std::cerr << path << ": " << file.error().to_string() << "\n";
    return 1;
  }
  std::vector<uint8_t> bytes(file.value().begin(), file.value().end());
  Engine engine;
  const auto t0 = Clock::now();
  auto module = decode_module(std::move(bytes));
  const auto t1 = Clock::now();
  if (!module.ok()) {
    std::cerr << path << ": " << module.error().to_string() << "\n";
    return 1;
  }
  Status valid = validate_module(engine.types(), *module.value());
  const auto t2 = Clock::now();
  if (!valid.ok()) {
    std::cerr << path << ": " << valid.error().to_string() << "\n";
    return 1;
  }
  uint64_t code_bytes = 0;
  for (const FuncDecl& f : module.value()->funcs) code_bytes += f.body_size;
  const double decode_s = std::chrono::duration<double>(t1 - t0).count();
  const double validate_s = std::chrono::duration<double>(t2 - t1).count();
  const double mb = double(code_bytes) / 1e6;
  std::printf("code: %.2f MB in %zu functions\n", mb, module.value()->funcs.size());
  std::printf("decode: %.1f ms (%.1f MB/s)\n", decode_s * 1e3, mb / decode_s);
  std::printf("validate+lower: %.1f ms (%.1f MB/s)\n", validate_s * 1e3, mb / validate_s);
  std::printf("total: %.1f ms (%.1f MB/s)\n", (decode_s + validate_s) * 1e3, mb / (decode_s + validate_s));
  return 0;
}

// `weft wat2wasm IN.wat -o OUT.wasm`: the text front end already encodes
// modules as binaries; this writes one out (benchmarks feed it to other engines).
int cmd_wat2wasm(const std::vector<std::string>& args) {
  if (args.size() != 3 || args[1] != "-o") return usage_error("wat2wasm needs FILE.wat -o FILE.wasm");
  auto text = read_file(args[0]);
  if (!text.ok()) {
    std::cerr << args[0] << ": " << text.error().to_string() << "\n";
    return 1;
  }
  auto bytes = parse_wat(text.value());
  if (!bytes.ok()) {
    std::cerr << args[0] << ": " << bytes.error().to_string() << "\n";
    return 1;
  }
  std::FILE* out = std::fopen(args[2].c_str(), "wb");
  if (!out || std::fwrite(bytes.value().data(), 1, bytes.value().size(), out) != bytes.value().size() ||
      std::fclose(out) != 0) {
    std::cerr << args[2] << ": cannot write: " << std::strerror(errno) << "\n";
    return 1;
  }
  return 0;
}

// `weft validate --dump FILE`: the lowered internal code of every function
// (interp/code.h), for looking at what the interpreter runs.
int cmd_validate_dump(const std::string& path) {
  Engine engine;
  auto module = load_module(engine, path);
  if (!module.ok()) {
    std::cerr << path << ": " << module.error().to_string() << "\n";
    return 1;
  }
  const Module& m = *module.value();
  for (size_t i = 0; i < m.compiled.size(); ++i) {
    const CompiledFunc& f = m.compiled[i];
    std::cout << "func " << f.func_index << " (params " << f.num_params << ", locals " << f.num_locals << ", slots "
              << f.frame_slots << ")\n"
              << dump_code(f) << "\n";
  }
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[0] == "--time") return cmd_validate_timed(args[1]);
  if (args.size() == 2 && args[0] == "--dump") return cmd_validate_dump(args[1]);
  if (args.size() != 1) return usage_error("validate needs one file");
  Engine engine;
  auto module = load_module(engine, args[0]);
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
  if (cmd == "wat2wasm") return cmd_wat2wasm(args);
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kUsage << kEngineOptionsUsage;
    return 0;
  }
  return usage_error("unknown command " + cmd);
}
