// Errors are values. Every fallible stage returns Result<T> (or Status), carrying
// the error kind, a message and a location. Nothing in the engine throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace weft {

struct Function;

enum class ErrorKind : uint8_t {
  malformed,    // binary or text cannot be decoded / parsed
  invalid,      // decoded, but fails validation
  unlinkable,   // imports do not match
  trap,         // runtime trap
  exhaustion,   // call stack exhausted, out of memory for stacks
  exception,    // uncaught Wasm exception reached the host
  suspension,   // suspend/switch reached the host with no handler
  io,           // file system / host environment failure
  exit,         // the program asked to end (WASI proc_exit); not a failure by itself
  pending,      // a host function has not finished: an asynchronous call parks
                // (interp::call_parkable); not a failure by itself
};

const char* error_kind_name(ErrorKind k);

// Where an error happened: a byte offset into a binary, or line:column in text.
struct Location {
  enum class Kind : uint8_t { none, byte_offset, line_col } kind = Kind::none;
  uint64_t offset = 0;   // byte_offset
  uint32_t line = 0;     // line_col (1-based)
  uint32_t column = 0;   // line_col (1-based)

  static Location at_byte(uint64_t off) { return {Kind::byte_offset, off, 0, 0}; }
  static Location at_text(uint32_t line, uint32_t col) { return {Kind::line_col, 0, line, col}; }
  std::string to_string() const;  // "@0x1a" / "3:14" / ""
};

struct Error {
  ErrorKind kind = ErrorKind::invalid;
  std::string message;
  Location location;
  // Wasm backtrace for traps: one frame a line, innermost first. Not part of
  // `message`, so trap messages compare exactly.
  std::string backtrace;
  // The same frames as runtime Functions, innermost first, one per frame
  // (recursion not folded; at most kMaxTraceFrames), for embedders that
  // report frames themselves (the C API's wasm_trap_trace).
  std::vector<const Function*> trace;
  static constexpr size_t kMaxTraceFrames = 1000;
  // "malformed at 3:14: unknown operator" style, for CLI output.
  std::string to_string() const;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error e) : v_(std::move(e)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>.
class [[nodiscard]] Status {
 public:
  // User-provided on purpose: `Status()` with a defaulted constructor would
  // value-initialise, zeroing the whole Error storage (a rep stos on every
  // successful call, a third of the cost of an empty call from the host).
  Status() {}
  Status(Error e) : err_(std::move(e)) {}
  static Status Ok() { return Status(); }
  bool ok() const { return !err_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *err_; }
  Error&& error() && { return std::move(*err_); }

 private:
  std::optional<Error> err_;
};

inline Error make_error(ErrorKind k, std::string msg, Location loc = {}) {
  Error e;
  e.kind = k;
  e.message = std::move(msg);
  e.location = loc;
  return e;
}

}  // namespace weft

// Propagate an error from a Status or Result expression.
#define WEFT_CHECK(expr)                                  \
  do {                                                    \
    auto&& weft_check_r_ = (expr);                        \
    if (!weft_check_r_.ok()) return std::move(weft_check_r_).error(); \
  } while (0)

#define WEFT_CONCAT_INNER(a, b) a##b
#define WEFT_CONCAT(a, b) WEFT_CONCAT_INNER(a, b)
// WEFT_TRY(auto x, expr): declare x from a Result or return its error.
#define WEFT_TRY_IMPL(tmp, decl, expr)                    \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return std::move(tmp).error();           \
  decl = std::move(tmp).value()
#define WEFT_TRY(decl, expr) WEFT_TRY_IMPL(WEFT_CONCAT(weft_try_, __LINE__), decl, expr)
