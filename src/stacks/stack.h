// An engine-owned Wasm stack: one reserved region of 8-byte slots on which the
// interpreter keeps every Wasm frame, so that Wasm-to-Wasm calls never recurse
// on the host C++ stack. See docs/stack-layout.md for the layout.
//
// Frames (locals and operand slots) grow upward from the low end of the
// region; frame headers grow downward from the high end. A call fits while the
// callee's frame stays below the lowest header. The region is reserved with
// MAP_NORESERVE, so untouched pages cost nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace weft {

struct Function;

// Saved state of the caller, pushed on every Wasm call. `caller == nullptr`
// marks an entry frame: returning through it leaves the interpreter.
struct FrameHeader {
  const uint32_t* return_pc;  // the caller's next instruction
  uint64_t* caller_fp;
  Function* caller;
};
static_assert(sizeof(FrameHeader) == 3 * sizeof(uint64_t));

class Stack {
 public:
  // Reserves `bytes` of address space (rounded to whole pages, at least a few
  // pages). Returns nullptr if the reservation fails.
  static std::unique_ptr<Stack> create(uint64_t bytes);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  uint64_t* slots_begin() const { return begin_; }
  FrameHeader* headers_end() const { return reinterpret_cast<FrameHeader*>(end_); }
  uint64_t size_bytes() const { return uint64_t(end_ - begin_) * sizeof(uint64_t); }

  // First free slot: where a host entry into Wasm places its arguments. The
  // interpreter moves it past the live frames while host code runs.
  uint64_t* top = nullptr;
  // Lowest live frame header (headers_end() when none).
  FrameHeader* headers = nullptr;

  // True if `n` slots starting at `fp` stay below the header region after
  // pushing `extra_headers` more headers.
  bool fits(const uint64_t* fp, uint64_t n, size_t extra_headers) const {
    const uint64_t* limit = reinterpret_cast<const uint64_t*>(headers - extra_headers);
    return fp <= limit && uint64_t(limit - fp) >= n;
  }

  // Returns the pages between the free slot and the lowest header to the OS
  // (after a deep recursion). Contents there are dead.
  void release_unused();

 private:
  Stack(uint64_t* begin, uint64_t* end) : top(begin), headers(reinterpret_cast<FrameHeader*>(end)), begin_(begin), end_(end) {}
  uint64_t* begin_;
  uint64_t* end_;
};

}  // namespace weft
