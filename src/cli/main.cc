// weft command line: `weft run`, `weft wast`, `weft validate`, `weft wat2wasm`,
// `weft help`, `weft --version`.
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

// What `weft help COMMAND` and `weft COMMAND --help` print.
constexpr const char* kWastUsage =
    "usage: weft wast [OPTIONS] [ENGINE OPTIONS] FILE...\n"
    "  Runs .wast spec scripts. Prints a line per failing command (FILE:LINE: ...),\n"
    "  \"FILE: N passed, M failed\" per file and a total; exits 0 iff nothing failed.\n"
    "options:\n"
    "  --expected-failures LIST   commands listed in LIST (FILE.wast:LINE a line) may fail;\n"
    "                             one of them passing is a failure too\n"
    "  --verbose                  print every command as it runs\n";
constexpr const char* kRunUsage =
    "usage: weft run [OPTIONS] [ENGINE OPTIONS] [--] FILE [ARGS...]\n"
    "       weft run [OPTIONS] [ENGINE OPTIONS] --invoke NAME FILE [ARGS...]\n"
    "  Runs a WASI command module (.wasm or .wat): its _start with FILE ARGS... as\n"
    "  arguments; exits with its exit status (134 after a trap). With --invoke,\n"
    "  instantiates FILE and calls export NAME with ARGS parsed by its parameter\n"
    "  types, printing one result a line.\n"
    "options:\n"
    "  --invoke NAME              call export NAME instead of _start\n"
    "  --dir HOST[::GUEST]        preopen host directory HOST as GUEST (default HOST)\n"
    "  --env NAME=VALUE           set a variable; --env NAME passes the host's value\n"
    "  --tcplisten ADDR:PORT      give the program a listening socket\n"
    "  --preload NAME=FILE        instantiate FILE first and make its exports importable\n"
    "                             under module name NAME (repeatable, in order)\n"
    "  --                         end of options\n";
constexpr const char* kValidateUsage =
    "usage: weft validate [--time | --dump] FILE\n"
    "  Decodes and validates FILE (.wasm or .wat); exits 0 if it is valid, else\n"
    "  prints the error's kind, location and message and exits 1.\n"
    "options:\n"
    "  --time                     print decode and validation+lowering times (.wasm)\n"
    "  --dump                     print the lowered internal code of every function\n";
constexpr const char* kWat2WasmUsage =
    "usage: weft wat2wasm FILE.wat -o FILE.wasm\n"
    "  Encodes a text module as a binary module.\n";
constexpr const char* kHelpUsage =
    "usage: weft help [COMMAND]\n"
    "  Prints the usage of weft or of one command.\n";

constexpr const char* kOverview =
    "usage: weft COMMAND [ARGS...]\n"
    "commands:\n"
    "  run        run a WASI program, or call one export of a module (--invoke)\n"
    "  wast       run .wast spec scripts\n"
    "  validate   check that a module is valid, or show its lowered code\n"
    "  wat2wasm   encode a text module as a binary\n"
    "  help       print this text, or a command's usage (weft help COMMAND)\n"
    "options:\n"
    "  -h, --help     print this text\n"
    "  --version      print the version, the commit and the build options\n"
    "Run 'weft help COMMAND' or 'weft COMMAND --help' for a command's options.\n";

struct CommandInfo {
  const char* name;
  const char* usage;
  bool engine_options;  // takes the engine options (cli/engine_options.h)
};

constexpr CommandInfo kCommands[] = {
    {"run", kRunUsage, true},
    {"wast", kWastUsage, true},
    {"validate", kValidateUsage, false},
    {"wat2wasm", kWat2WasmUsage, false},
    {"help", kHelpUsage, false},
};

const CommandInfo* find_command(const std::string& name) {
  for (const CommandInfo& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

std::string command_usage(const CommandInfo& c) {
  std::string text = c.usage;
  if (c.engine_options) text += kEngineOptionsUsage;
  return text;
}

}  // namespace

bool is_help_flag(const std::string& arg) { return arg == "--help" || arg == "-h"; }

int print_usage(const std::string& command) {
  const CommandInfo* c = find_command(command);
  std::cout << (c ? command_usage(*c) : std::string(kOverview));
  return 0;
}

int usage_error(const std::string& command, const std::string& msg) {
  std::cerr << "weft " << command << ": " << msg << "\n"
            << "Run 'weft " << command << " --help' for its usage.\n";
  return 2;
}

namespace {

int cmd_wast(const std::vector<std::string>& args) {
  WastOptions options;
  std::optional<ExpectedFailures> expected;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--expected-failures") {
      if (++i >= args.size()) return usage_error("wast", "--expected-failures needs a file");
      auto ef = ExpectedFailures::load(args[i]);
      if (!ef.ok()) return usage_error("wast", ef.error().message);
      expected = std::move(ef.value());
    } else if (args[i] == "--verbose") {
      options.verbose = true;
    } else if (is_help_flag(args[i])) {
      return print_usage("wast");
    } else if (args[i].rfind("--", 0) == 0) {
      std::string err;
      OptionParse r = parse_engine_option(args, &i, &options.engine, &err);
      if (r == OptionParse::error) return usage_error("wast", err);
      if (r == OptionParse::not_mine) return usage_error("wast", "unknown option " + args[i]);
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty()) return usage_error("wast", "needs at least one file");
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
  if (args.size() == 1 && is_help_flag(args[0])) return print_usage("wat2wasm");
  for (const std::string& a : args)
    if (a.size() > 1 && a[0] == '-' && a != "-o") return usage_error("wat2wasm", "unknown option " + a);
  if (args.size() != 3 || args[1] != "-o") return usage_error("wat2wasm", "needs FILE.wat -o FILE.wasm");
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
  bool time = false, dump = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (is_help_flag(a)) return print_usage("validate");
    if (a == "--time") time = true;
    else if (a == "--dump") dump = true;
    else if (a.size() > 1 && a[0] == '-') return usage_error("validate", "unknown option " + a);
    else files.push_back(a);
  }
  if (time && dump) return usage_error("validate", "--time and --dump exclude each other");
  if (files.size() != 1) return usage_error("validate", "needs one file");
  if (time) return cmd_validate_timed(files[0]);
  if (dump) return cmd_validate_dump(files[0]);
  Engine engine;
  auto module = load_module(engine, files[0]);
  if (!module.ok()) {
    std::cerr << files[0] << ": " << module.error().to_string() << "\n";
    return 1;
  }
  return 0;
}

int cmd_help(const std::vector<std::string>& args) {
  if (args.empty()) return print_usage("");
  if (args.size() > 1) return usage_error("help", "takes at most one command");
  if (is_help_flag(args[0])) return print_usage("help");
  if (!find_command(args[0])) return usage_error("help", "unknown command " + args[0]);
  return print_usage(args[0]);
}

}  // namespace
}  // namespace weft::cli

int main(int argc, char** argv) {
  using namespace weft::cli;
  if (argc < 2) {
    std::cerr << kOverview;
    return 2;
  }
  std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "run") return cmd_run(args);
  if (cmd == "wast") return cmd_wast(args);
  if (cmd == "validate") return cmd_validate(args);
  if (cmd == "wat2wasm") return cmd_wat2wasm(args);
  if (cmd == "help") return cmd_help(args);
  if (is_help_flag(cmd)) return print_usage("");
  if (cmd == "--version") {
    std::cout << version_text();
    return 0;
  }
  if (cmd.size() > 1 && cmd[0] == '-') {
    std::cerr << "weft: unknown option " << cmd << "\nRun 'weft --help' for usage.\n";
    return 2;
  }
  std::cerr << "weft: unknown command " << cmd << "\nRun 'weft --help' for usage.\n";
  return 2;
}
