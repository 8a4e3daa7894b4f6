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

#include "cli/cli.h"
#include "cli/load.h"
#include "runtime/store.h"
#include "wast/runner.h"

namespace weft::cli {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  weft wast [--expected-failures LIST] [--verbose] FILE...\n"
    "      run .wast spec scripts; prints failures, per-file and total counts\n"
    "  weft run [--dir HOST[::GUEST]]... [--env NAME=VALUE]... [--tcplisten ADDR:PORT]... [--] FILE [ARGS...]\n"
    "      run a WASI command module: its _start with ARGS; exits with its exit status\n"
    "  weft run --invoke NAME FILE [ARGS...]\n"
    "      instantiate FILE (.wasm or .wat) and call export NAME with ARGS\n"
    "  weft validate FILE\n"
    "      decode and validate FILE; exit 0 if valid\n";

}  // namespace

int usage_error(const std::string& msg) {
  std::cerr << "weft: " << msg << "\n" << kUsage;
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
