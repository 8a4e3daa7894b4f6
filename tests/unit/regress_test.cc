// Hostile input never crashes weft. Two parts:
//  - every file in tests/regress/ (hostile inputs and reproducers of fuzzer
//    findings) runs through the entry point its extension names, and must
//    end as tests/regress/expected.txt says: accepted, or a located error of
//    the listed kind whose message starts with the listed text;
//  - large hostile inputs (a million nested blocks, huge literals, ...) are
//    generated here rather than committed.
// Every input must finish within kTimeBudget; the budget is generous (it
// holds for sanitizer builds) but far below what quadratic behaviour or
// unbounded recursion on the large inputs would take.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/leb128.h"
#include "binary/decoder.h"
#include "spec/types.h"
#include "text/script.h"
#include "validate/validator.h"

namespace weft {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

constexpr double kTimeBudgetSeconds = 20;
constexpr size_t kMillion = 1000000;

const fs::path kRegressDir = fs::path(WEFT_SOURCE_DIR) / "tests" / "regress";

struct Outcome {
  std::optional<Error> error;  // none: accepted
  bool text = false;           // the input was text (errors at line:column when in the text)
  double seconds = 0;
};

std::string describe(const Outcome& o) {
  if (!o.error) return "ok";
  return o.error->to_string();
}

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Decodes and validates a binary module.
Outcome run_binary(Bytes bytes) {
  Outcome o;
  auto t0 = Clock::now();
  auto module = decode_module(std::move(bytes));
  if (!module.ok()) {
    o.error = module.error();
  } else {
    TypeRegistry types;
    Status valid = validate_module(types, **module);
    if (!valid.ok()) o.error = valid.error();
  }
  o.seconds = since(t0);
  return o;
}

// Parses a text module, then decodes and validates it, reporting validation
// errors in code at line:column as the CLI does.
Outcome run_wat(std::string_view source) {
  Outcome o;
  o.text = true;
  auto t0 = Clock::now();
  SourceMap map;
  auto bytes = parse_wat(source, 1, 1, &map);
  if (!bytes.ok()) {
    o.error = bytes.error();
  } else {
    auto module = decode_module(std::move(bytes.value()));
    if (!module.ok()) {
      o.error = module.error();
    } else {
      TypeRegistry types;
      Status valid = validate_module(types, **module);
      if (!valid.ok()) {
        Error e = std::move(valid).error();
        map.relocate(e);
        o.error = std::move(e);
      }
    }
  }
  o.seconds = since(t0);
  return o;
}

Outcome run_wast(std::string_view source) {
  Outcome o;
  o.text = true;
  auto t0 = Clock::now();
  auto script = parse_script(source);
  if (!script.ok()) o.error = script.error();
  o.seconds = since(t0);
  return o;
}

Outcome run_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string ext = path.extension().string();
  if (ext == ".wasm") return run_binary(Bytes(data.begin(), data.end()));
  if (ext == ".wat") return run_wat(data);
  return run_wast(data);
}

// The error is located: at line:column for text errors, else at a byte
// offset no further than `size` (the binary's size, when known).
void expect_located(const Outcome& o, size_t size = SIZE_MAX) {
  ASSERT_TRUE(o.error.has_value());
  const Location& loc = o.error->location;
  EXPECT_NE(loc.kind, Location::Kind::none) << describe(o);
  if (loc.kind == Location::Kind::line_col) {
    EXPECT_TRUE(o.text) << describe(o);
    EXPECT_GE(loc.line, 1u);
    EXPECT_GE(loc.column, 1u);
  } else if (loc.kind == Location::Kind::byte_offset && size != SIZE_MAX) {
    EXPECT_LE(loc.offset, size) << describe(o);
  }
  EXPECT_FALSE(o.error->message.empty());
}

void expect_in_time(const Outcome& o) { EXPECT_LT(o.seconds, kTimeBudgetSeconds) << describe(o); }

void expect_error(const Outcome& o, ErrorKind kind, std::string_view message_prefix,
                  size_t size = SIZE_MAX) {
  expect_in_time(o);
  ASSERT_TRUE(o.error.has_value()) << "accepted, expected " << error_kind_name(kind);
  EXPECT_EQ(o.error->kind, kind) << describe(o);
  EXPECT_TRUE(o.error->message.starts_with(message_prefix)) << describe(o);
  expect_located(o, size);
}

void expect_ok(const Outcome& o) {
  expect_in_time(o);
  EXPECT_FALSE(o.error.has_value()) << describe(o);
}

// ---- tests/regress/ ----------------------------------------------------------

struct Expectation {
  std::string outcome;  // "ok" or an error kind name
  std::string message;  // message prefix (errors)
};

// tests/regress/expected.txt: "<file> ok" or "<file> <kind> <message prefix>".
std::map<std::string, Expectation> read_expectations() {
  std::map<std::string, Expectation> out;
  std::ifstream in(kRegressDir / "expected.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string file;
    Expectation e;
    ls >> file >> e.outcome;
    std::getline(ls >> std::ws, e.message);
    out[file] = e;
  }
  return out;
}

bool is_input(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".wasm" || ext == ".wat" || ext == ".wast";
}

TEST(Regress, EveryFileIsListedAndEveryListedFileExists) {
  auto expected = read_expectations();
  ASSERT_FALSE(expected.empty()) << "missing " << (kRegressDir / "expected.txt");
  size_t inputs = 0;
  for (const auto& entry : fs::directory_iterator(kRegressDir)) {
    if (!is_input(entry.path())) continue;
    ++inputs;
    EXPECT_TRUE(expected.count(entry.path().filename().string()))
        << entry.path().filename() << " is not listed in expected.txt";
  }
  for (const auto& [file, e] : expected) EXPECT_TRUE(fs::exists(kRegressDir / file)) << file;
  EXPECT_EQ(inputs, expected.size());
}

TEST(Regress, FilesEndAsExpected) {
  for (const auto& [file, e] : read_expectations()) {
    SCOPED_TRACE(file);
    fs::path path = kRegressDir / file;
    if (!fs::exists(path)) continue;  // reported above
    Outcome o = run_file(path);
    if (e.outcome == "ok") {
      expect_ok(o);
      continue;
    }
    ErrorKind kind = e.outcome == "malformed" ? ErrorKind::malformed : ErrorKind::invalid;
    ASSERT_TRUE(e.outcome == "malformed" || e.outcome == "invalid") << "bad outcome " << e.outcome;
    size_t size = path.extension() == ".wasm" ? size_t(fs::file_size(path)) : SIZE_MAX;
    expect_error(o, kind, e.message, size);
  }
}

// ---- generated: binary -------------------------------------------------------

Bytes uleb(uint64_t v) {
  Bytes b;
  write_uleb(b, v);
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes section(uint8_t id, const Bytes& contents) { return cat({Bytes{id}, uleb(contents.size()), contents}); }

const Bytes kHeader = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

// A module with one function type () -> () and one function with `body`
// (which must include the final `end`).
Bytes module_with_body(const Bytes& body) {
  Bytes entry = cat({Bytes{0x00}, body});  // no locals
  return cat({kHeader, section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00}),
              section(10, cat({Bytes{0x01}, uleb(entry.size()), entry}))});
}

// A text module touching every section kind, so that truncation hits each.
constexpr std::string_view kEverySection = R"((module
  (type $t (func (param i32) (result i32)))
  (rec (type $s (struct (field (mut i32)))) (type $a (array i8)))
  (import "m" "f" (func $imp (type $t)))
  (import "m" "g" (global $g i32))
  (tag $e (param i32))
  (table $tab 2 funcref)
  (memory $mem 1 2)
  (global $h (mut i64) (i64.const -1))
  (export "f" (func $f))
  (start $s0)
  (elem (table $tab) (i32.const 0) func $f $imp)
  (elem declare func $f)
  (data (memory $mem) (i32.const 8) "hello\ff")
  (data $p "passive")
  (func $s0)
  (func $f (type $t) (local f64 i64)
    (block $b (result i32)
      (loop $l
        (br_if $l (i32.eqz (local.get 0))))
      (try_table (catch $e 0) (throw $e (i32.const 1)))
      (i32.const 7))
    (br_table 0 0 (i32.const 0))
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
    (drop)
    (memory.init $p (i32.const 0) (i32.const 0) (i32.const 1))
    (f64.const 0x1.8p3) (local.set 1)
    (call_indirect (type $t) (i32.const 3) (i32.const 0))))
)";

TEST(RegressGenerated, TruncatedBinaryAtEveryLength) {
  auto full = parse_wat(kEverySection);
  ASSERT_TRUE(full.ok()) << full.error().to_string();
  expect_ok(run_binary(full.value()));
  size_t rejected = 0;
  for (size_t n = 0; n < full->size(); ++n) {
    SCOPED_TRACE(n);
    Bytes prefix(full->begin(), full->begin() + ptrdiff_t(n));
    Outcome o = run_binary(prefix);
    expect_in_time(o);
    // A cut between sections can leave a valid module; anything else is malformed.
    if (!o.error) continue;
    ++rejected;
    expect_located(o, n);
  }
  EXPECT_GT(rejected, full->size() * 9 / 10);
}

TEST(RegressGenerated, TruncatedTextAtEveryLength) {
  const size_t last_paren = kEverySection.rfind(')');
  for (size_t n = 1; n <= last_paren; ++n) {
    SCOPED_TRACE(n);
    Outcome o = run_wat(kEverySection.substr(0, n));
    expect_in_time(o);
    ASSERT_TRUE(o.error.has_value());  // a prefix never closes the module's '('
    EXPECT_EQ(o.error->kind, ErrorKind::malformed) << describe(o);
    EXPECT_EQ(o.error->location.kind, Location::Kind::line_col) << describe(o);
  }
}

TEST(RegressGenerated, HugeCountInEverySection) {
  // Each known section whose contents are a vector, declaring 2^32-1 entries.
  for (uint8_t id : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13}) {
    SCOPED_TRACE(int(id));
    Bytes m = cat({kHeader, section(id, uleb(0xffffffff))});
    expect_error(run_binary(m), ErrorKind::malformed, "", m.size());
  }
}

TEST(RegressGenerated, LebTooLongInEveryInstructionImmediate) {
  // i32.const, local.get, br, call, memory load offset: each with a 6-byte u32/s32.
  const Bytes too_long = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  for (uint8_t op : {0x41, 0x20, 0x0c, 0x10}) {
    SCOPED_TRACE(int(op));
    Bytes m = module_with_body(cat({Bytes{op}, too_long, Bytes{0x0b}}));
    expect_error(run_binary(m), ErrorKind::malformed, "integer", m.size());
  }
}

TEST(RegressGenerated, MillionNestedBlocksBinary) {
  Bytes body;
  body.reserve(3 * kMillion + 1);
  for (size_t i = 0; i < kMillion; ++i) body.insert(body.end(), {0x02, 0x40});  // block
  body.insert(body.end(), kMillion + 1, 0x0b);                                  // end x (n + 1)
  expect_ok(run_binary(module_with_body(body)));
}

TEST(RegressGenerated, MillionNestedBlocksBinaryUnclosed) {
  Bytes body;
  for (size_t i = 0; i < kMillion; ++i) body.insert(body.end(), {0x02, 0x40});
  body.push_back(0x0b);
  Bytes m = module_with_body(body);
  expect_error(run_binary(m), ErrorKind::malformed, "", m.size());
}

// ---- generated: text ---------------------------------------------------------

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST(RegressGenerated, MillionNestedBlocksFolded) {
  std::string src = "(module (func " + repeat("(block ", kMillion) + repeat(")", kMillion) + "))";
  expect_ok(run_wat(src));
}

TEST(RegressGenerated, MillionNestedBlocksFlat) {
  std::string src = "(module (func " + repeat("block ", kMillion) + repeat("end ", kMillion) + "))";
  expect_ok(run_wat(src));
}

TEST(RegressGenerated, MillionNestedLabelledLoopsWithBranches) {
  // Each loop branches to its own label: label lookup must not be quadratic.
  std::string src = "(module (func " + repeat("(loop $l (br_if $l (i32.const 0)) ", kMillion) +
                    repeat(")", kMillion) + "))";
  expect_ok(run_wat(src));
}

TEST(RegressGenerated, MillionNestedBlocksBranchingOutward) {
  // Every level branches to the outermost label: label lookup must not scan
  // the open labels.
  std::string src = "(module (func (block $out " + repeat("(block (br $out) ", kMillion) +
                    repeat(")", kMillion) + ")))";
  expect_ok(run_wat(src));
}

TEST(RegressGenerated, ManyDistinctImplicitFunctionTypes) {
  // 200,000 functions, each with its own inline signature: finding or
  // adding the implicit type must not scan the type list.
  constexpr size_t kFuncs = 200000;
  static constexpr std::string_view kTypes[] = {"i32", "i64", "f32", "f64"};
  std::string src = "(module\n";
  for (size_t i = 0; i < kFuncs; ++i) {
    src += "(func (param";
    for (size_t k = i; k > 0; k /= 4) src += " " + std::string(kTypes[k % 4]);
    src += "))\n";
  }
  src += ")";
  expect_ok(run_wat(src));
}

TEST(RegressGenerated, MillionNestedFoldedIfs) {
  std::string src = "(module (func " + repeat("(if (i32.const 1) (then ", kMillion) +
                    repeat("))", kMillion) + "))";
  expect_ok(run_wat(src));
}

TEST(RegressGenerated, MillionNestedFoldedOperands) {
  std::string src = "(module (func (result i32) " + repeat("(i32.eqz ", kMillion) + "(i32.const 0)" +
                    repeat(")", kMillion) + "))";
  expect_ok(run_wat(src));
}

TEST(RegressGenerated, MillionNestedBlocksUnclosed) {
  std::string src = "(module (func " + repeat("block ", kMillion) + "))";
  expect_error(run_wat(src), ErrorKind::malformed, "unexpected token");
  src = "(module (func " + repeat("(block ", kMillion);
  expect_error(run_wat(src), ErrorKind::malformed, "unexpected end");
}

TEST(RegressGenerated, MillionOpenParens) {
  std::string src = repeat("(", kMillion);
  expect_error(run_wat(src), ErrorKind::malformed, "");
  expect_error(run_wast(src), ErrorKind::malformed, "");
  src = repeat("(", kMillion) + repeat(")", kMillion);
  expect_error(run_wat(src), ErrorKind::malformed, "");
  expect_error(run_wast(src), ErrorKind::malformed, "");
}

TEST(RegressGenerated, MillionNestedComments) {
  std::string comments = repeat("(;", kMillion) + repeat(";)", kMillion);
  expect_ok(run_wat("(module " + comments + ")"));
  expect_ok(run_wast("(module " + comments + ")"));
  expect_error(run_wat("(module " + repeat("(;", kMillion) + ")"), ErrorKind::malformed, "unclosed comment");
}

TEST(RegressGenerated, MillionNestedAnnotations) {
  std::string ann = repeat("(@a ", kMillion) + repeat(")", kMillion);
  expect_ok(run_wat("(module " + ann + ")"));
  expect_error(run_wast("(module " + repeat("(@a ", kMillion) + ")"), ErrorKind::malformed,
               "unclosed annotation");
}

TEST(RegressGenerated, HugeUnterminatedString) {
  std::string src = "(module (data \"" + std::string(8 * kMillion, 'a');
  Outcome o = run_wat(src);
  expect_error(o, ErrorKind::malformed, "unclosed string");
  EXPECT_EQ(o.error->location.line, 1u);
  EXPECT_EQ(o.error->location.column, 15u);  // the opening quote
  expect_error(run_wast("(module quote \"" + std::string(8 * kMillion, 'a')), ErrorKind::malformed,
               "unclosed string");
}

TEST(RegressGenerated, HugeNumberLiterals) {
  std::string digits(kMillion, '7');
  expect_error(run_wat("(module (func (result i32) (i32.const " + digits + ")))"), ErrorKind::malformed,
               "constant out of range");
  expect_error(run_wat("(module (func (result f64) (f64.const " + digits + ")))"), ErrorKind::malformed,
               "constant out of range");
  // Many digits of a value in range: rounded, not rejected.
  expect_ok(run_wat("(module (func (result f64) (f64.const 0." + digits + ")))"));
  expect_ok(run_wat("(module (func (result f32) (f32.const 0x1." + std::string(kMillion, 'f') + "p-10)))"));
  expect_ok(run_wat("(module (func (result f64) (f64.const 1e-" + digits + ")))"));
  expect_error(run_wat("(module (func (result f64) (f64.const 1e+" + digits + ")))"), ErrorKind::malformed,
               "constant out of range");
}

TEST(RegressGenerated, InvalidUtf8AtTheEndOfALargeInput) {
  std::string src = "(module\n" + repeat("(func)\n", 100000) + ";; \xc0\xaf\n)";
  Outcome o = run_wat(src);
  expect_error(o, ErrorKind::malformed, "malformed UTF-8");
  EXPECT_EQ(o.error->location.line, 100002u);
}

}  // namespace
}  // namespace weft
