// The .wast script format (script-format-README.md, plus assert_suspension
// from the stack-switching tests), parsed into commands. Modules inside a
// script are kept as source text (or bytes) and parsed/decoded when the
// command runs, so that assert_malformed can observe the failure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/value.h"

namespace weft {

struct ScriptModule {
  enum class Kind : uint8_t {
    text,    // (module ...) in text form: `text` holds the whole s-expression
    binary,  // (module binary "..."): `bytes` holds the concatenated strings
    quote,   // (module quote "..."): `text` holds the concatenated strings
  } kind = Kind::text;
  std::string name;        // "$M" or "" (without definition/instance handling)
  bool definition = false; // (module definition ...)
  std::string text;
  std::vector<uint8_t> bytes;
  uint32_t line = 0;       // where the module form starts (for text: 1-based line
  uint32_t column = 0;     //   and column of its '(' in the script file)
};

// An expected result of assert_return.
struct ResultPattern {
  enum class Kind : uint8_t {
    i32, i64, f32, f64,   // exact bits
    f32_nan_canonical, f32_nan_arithmetic,
    f64_nan_canonical, f64_nan_arithmetic,
    v128,                 // exact bits in `lanes` (lane shape in `v128_shape`)
    ref_null,             // (ref.null ht?) : any null reference
    ref_extern,           // (ref.extern N) or (ref.extern) when !has_payload
    ref_host,             // (ref.host N)
    ref_func,             // (ref.func) : any non-null function reference
    ref_any_nonnull,      // (ref) : any non-null reference
    ref_kind,             // (ref.struct) (ref.array) (ref.i31) (ref.eq) (ref.any) ...:
                          //   non-null reference whose kind name is `ref_kind`
    either,               // one of `alternatives`
  } kind = Kind::i32;
  uint64_t bits = 0;
  bool has_payload = false;
  std::string ref_kind;
  std::vector<ResultPattern> alternatives;
  // v128 patterns (out of scope now, kept parseable): shape name and lanes,
  // each lane a pattern of kind i32/i64/f32/f64 or a NaN kind.
  std::string v128_shape;
  std::vector<ResultPattern> lanes;
};

struct Action {
  enum class Kind : uint8_t { invoke, get } kind = Kind::invoke;
  std::string module;  // "$M" or "" for the most recent
  std::string field;   // export name (decoded string, may be any UTF-8)
  std::vector<Value> args;
};

struct Command {
  enum class Kind : uint8_t {
    module,                // module (instantiated unless definition)
    instance,              // (module instance $I? $M?)
    register_,             // (register "name" $M?)
    action,                // bare invoke/get
    assert_return,
    assert_trap,           // action traps with `text`
    assert_exhaustion,
    assert_exception,
    assert_suspension,
    assert_malformed,      // `module` fails to decode/parse
    assert_invalid,        // `module` fails to validate
    assert_unlinkable,     // `module` fails to link
    assert_uninstantiable, // (assert_trap <module> "...") : instantiation traps
  } kind = Kind::module;
  uint32_t line = 0;
  ScriptModule module;           // module, assert_malformed/invalid/unlinkable/uninstantiable
  std::string instance_name;     // instance: the new instance's name ("" = unnamed)
  std::string instance_module;   // instance: the definition's name ("" = latest)
  std::string register_name;     // register_
  std::string register_module;   // register_: "$M" or "" for the latest
  Action action;
  std::vector<ResultPattern> expected;  // assert_return
  std::string text;              // failure text of assertions
};

struct Script {
  std::vector<Command> commands;
};

// Parses a whole .wast file. Errors are malformed with line:column.
Result<Script> parse_script(std::string_view source);

// Maps byte offsets of an encoded text module back to the text: one mark
// per encoded instruction of a function body, sorted by offset. Lets
// validation errors (located by byte offset) be reported at line:column.
struct SourceMap {
  struct Mark {
    uint32_t offset;  // byte offset in the encoded binary
    uint32_t line;
    uint32_t column;
  };
  std::vector<Mark> marks;
  uint32_t code_end = 0;  // offsets at or past this are outside function bodies
  // The text position of the instruction at or before `offset`; `fallback`
  // if there is none.
  Location locate(uint64_t offset, Location fallback) const;
  // Rewrites a byte-offset location of `e` to line:column when it falls in
  // mapped code.
  void relocate(Error& e) const;
};

// Parses one text module: either a "(module $name? ...)" form or a sequence of
// module fields. `line`/`column` locate the text's start in its file, so
// errors report positions in that file. Returns the encoded binary (with a
// "name" section for function names).
Result<std::vector<uint8_t>> parse_wat(std::string_view source, uint32_t line = 1, uint32_t column = 1,
                                       SourceMap* map = nullptr);

}  // namespace weft
