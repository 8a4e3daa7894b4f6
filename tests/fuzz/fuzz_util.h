// Shared by the libFuzzer targets: the invariants every error must satisfy.
// A violated invariant aborts, which libFuzzer reports as a finding.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "base/result.h"

namespace weft::fuzz {

[[noreturn]] inline void fail(const Error& e, const char* why) {
  std::fprintf(stderr, "fuzz invariant violated: %s: %s\n", why, e.to_string().c_str());
  std::abort();
}

// Errors from decoding or validating `size` bytes: located at a byte offset
// within (or just past the end of) the input.
inline void check_binary_error(const Error& e, size_t size) {
  if (e.kind != ErrorKind::malformed && e.kind != ErrorKind::invalid) fail(e, "unexpected error kind");
  if (e.location.kind != Location::Kind::byte_offset) fail(e, "error without a byte offset");
  if (e.location.offset > size) fail(e, "error located past the end of the input");
  if (e.message.empty()) fail(e, "error without a message");
}

// Errors from parsing text: malformed, at a line:column.
inline void check_text_error(const Error& e) {
  if (e.kind != ErrorKind::malformed) fail(e, "unexpected error kind");
  if (e.location.kind != Location::Kind::line_col || e.location.line == 0 || e.location.column == 0) {
    fail(e, "error without a line:column");
  }
  if (e.message.empty()) fail(e, "error without a message");
}

}  // namespace weft::fuzz
