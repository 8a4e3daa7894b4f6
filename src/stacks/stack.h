// An engine-owned Wasm stack: one reserved region of 8-byte slots on which the
// interpreter keeps every Wasm frame, so that Wasm-to-Wasm calls never recurse
// on the host C++ stack. See docs/stack-layout.md for the layout of one stack
// and docs/stacks.md for how stacks become continuations.
//
// Frames (locals and operand slots) grow upward from the low end of the
// region; frame headers grow downward from the high end. A call fits while the
// callee's frame stays below the lowest header. The region is reserved with
// MAP_NORESERVE, so untouched pages cost nothing.
//
// The same object is a continuation (stack switching): a Stack that is not
// running keeps the state of its innermost frame in `ctx`, and the chain of
// active stacks is linked through `parent`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace weft {

struct Function;

// Saved state of the caller, pushed on every Wasm call. `caller == nullptr`
// marks the bottom frame of a stack or of a host entry: returning through it
// leaves the interpreter, or (at the bottom of a continuation) returns to the
// stack that resumed it.
struct FrameHeader {
  const uint32_t* return_pc;  // the caller's next instruction
  uint64_t* caller_fp;
  Function* caller;
};
static_assert(sizeof(FrameHeader) == 3 * sizeof(uint64_t));

// Where a stack that is not running continues: its innermost frame. For a
// stack parked at a resume instruction, `pc` is that instruction (its handler
// clauses are read from there); for a suspended continuation it is the
// instruction after `suspend` / `switch`.
struct StackContext {
  const uint32_t* pc = nullptr;
  uint64_t* fp = nullptr;
  Function* func = nullptr;
  FrameHeader* hdr = nullptr;
};

class Stack {
 public:
  // Reserves `bytes` of address space (rounded to whole pages, at least a few
  // pages). Returns nullptr if the reservation fails.
  static std::unique_ptr<Stack> create(uint64_t bytes);
  Stack() = default;
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // Reserves the region (a stack made by the default constructor has none);
  // false if the reservation fails. unmap() returns it to the OS.
  bool map(uint64_t bytes);
  void unmap();
  bool mapped() const { return begin_ != nullptr; }

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
  // Returns every page of the region to the OS (the stack is empty).
  void release_all();

  // ---- continuation state (docs/stacks.md) ----------------------------------
  // Meaningful only for stacks handed out by a StackPool.

  // While not running: where execution continues.
  StackContext ctx;
  // While running as a resumed continuation: the stack that resumed it (parked
  // at its resume instruction, whose handlers apply to this stack). nullptr
  // for the root of a suspended continuation and for a store's main stack.
  Stack* parent = nullptr;
  // Root of a suspended continuation only: its innermost stack (the one that
  // executed suspend / switch; the root itself for a single-stack
  // continuation), and where the arguments of the next resume go (the results
  // of that suspend / switch, or the parameters of a fresh function).
  Stack* leaf = nullptr;
  uint64_t* args = nullptr;
  // One-shot check: a contref carries the revision it was issued at; consuming
  // the continuation bumps it, so older contrefs no longer match.
  uint64_t revision = 0;
  uint32_t index = 0;       // in the owning StackPool
  bool suspended = false;   // the root of a suspended continuation (a contref may name it)
  bool fresh = false;       // made by cont.new and never resumed: ctx is the function's entry
  bool in_use = false;      // handed out by the pool
  Stack* next_free = nullptr;

 private:
  uint64_t* begin_ = nullptr;
  uint64_t* end_ = nullptr;
};

}  // namespace weft
