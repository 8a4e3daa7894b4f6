// Engine-owned Wasm stacks that start tiny and grow (docs/stack-layout.md,
// docs/stacks.md). The interpreter keeps every Wasm frame on a Stack, so
// Wasm-to-Wasm calls never recurse on the host C++ stack.
//
// A Stack is a chain of Segments. Within a segment, frames (locals and operand
// slots) grow upward from `lo` and frame headers grow downward from `hi`; a
// call fits while the callee's frame stays below the lowest header, which is
// the only check on the interpreter's call path. When it does not fit, the
// stack grows by one of two strategies (StackGrowth):
//
//   segmented  a new segment (twice the size of the last) is linked after the
//              current one; the call's arguments are copied there and its
//              bottom header returns through a `segment_return` stub that
//              copies the results back. A segment left by a return is kept as
//              the current segment's `spare`, so a call that crosses the same
//              boundary in a loop (the "hot split") allocates nothing.
//   copying    the current segment moves into a block twice as large and every
//              frame link in it is relocated. Nothing outside the engine holds
//              addresses into a segment that can move (below).
//
// The first segment's memory is inline, right after the Stack object, so a
// parked continuation with one small frame is one allocation of a few hundred
// bytes.
//
// Segments also start at host re-entry: a host function that calls back into
// Wasm (invoke()) runs the nested call on a new segment of the same stack, so
// the segment of the outer Wasm frames (whose addresses the host function and
// the outer dispatch loop hold) is frozen until the host function returns.
// Only the running stack's innermost segment ever moves.
//
// The same object is a continuation (stack switching): a Stack that is not
// running keeps the state of its innermost frame in `ctx`, and the chain of
// active stacks is linked through `parent`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft {

struct Function;

enum class StackGrowth : uint8_t {
  segmented,  // link a new segment (sizes doubling); a freed one is kept as a spare
  copying,    // move the stack into one twice as large, fixing up frame links
};

// Saved state of the caller, pushed on every Wasm call. `caller == nullptr`
// marks the bottom frame of a stack or of a host entry: returning through it
// leaves the interpreter, or (at the bottom of a continuation) returns to the
// stack that resumed it. The bottom header of a segment linked by a call has
// `caller` = the segment-return stub function and `caller_fp` = the Segment.
struct FrameHeader {
  const uint32_t* return_pc;  // the caller's next instruction
  uint64_t* caller_fp;
  Function* caller;
};
static_assert(sizeof(FrameHeader) == 3 * sizeof(uint64_t));
constexpr uint64_t kHeaderSlots = sizeof(FrameHeader) / sizeof(uint64_t);

// Where the call that crossed into a segment returns to: stored just above the
// segment's `hi`, read by the segment-return stub.
struct SegmentLink {
  const uint32_t* return_pc;
  uint64_t* caller_fp;
  Function* caller;
  FrameHeader* caller_hdr;  // the caller's lowest header, in the previous segment
  uint64_t* results;        // where the callee's results go
  uint64_t num_results;
};
constexpr uint64_t kLinkSlots = sizeof(SegmentLink) / sizeof(uint64_t);

struct Segment {
  uint64_t* lo = nullptr;  // first slot
  uint64_t* hi = nullptr;  // end of slots; headers grow down from here
  Segment* prev = nullptr;   // older segment of the same stack
  Segment* spare = nullptr;  // a free segment kept for the next crossing from here
  void* block = nullptr;     // the memory (nullptr: the Stack's inline memory)
  uint64_t block_bytes = 0;
  Segment* next_free = nullptr;  // in StackMemory's free list

  FrameHeader* headers_end() const { return reinterpret_cast<FrameHeader*>(hi); }
  SegmentLink* link() const { return reinterpret_cast<SegmentLink*>(hi); }
  uint64_t slots() const { return uint64_t(hi - lo); }
};

struct StackSettings {
  StackGrowth growth = StackGrowth::segmented;
  uint64_t initial_bytes = 512;       // inline first segment of every stack
  uint64_t max_stack_bytes = 512ull << 20;
  uint64_t max_total_bytes = 4ull << 30;
};

// The memory of all stacks of one store: segment blocks (cached by size
// class so that growth in steady state is a list pop), Segment objects, and
// the accounting behind the per-stack and total caps.
class StackMemory {
 public:
  explicit StackMemory(const StackSettings& settings);
  ~StackMemory();
  StackMemory(const StackMemory&) = delete;
  StackMemory& operator=(const StackMemory&) = delete;

  const StackSettings& settings() const { return settings_; }
  // Bytes of stack memory in use (inline first segments and blocks of live
  // segments; cached free blocks are not counted).
  uint64_t in_use() const { return in_use_; }
  bool charge(uint64_t bytes);
  void uncharge(uint64_t bytes) { in_use_ -= bytes; }
  // How many blocks were handed out (from the cache or the OS): a test and
  // benchmark counter for growth that should not allocate.
  uint64_t blocks_taken() const { return blocks_taken_; }

  // A segment whose block holds at least `bytes` (rounded up to a power of
  // two), charged; nullptr past the total cap or if the OS refuses.
  Segment* take_segment(uint64_t bytes);
  void give_segment(Segment* s);
  // A new block of at least `bytes` for `s` (which keeps its old block, to be
  // given back with give_block once its contents moved).
  bool take_block(uint64_t bytes, void** block, uint64_t* block_bytes);
  void give_block(void* block, uint64_t block_bytes);

 private:
  static constexpr unsigned kClasses = 48;
  StackSettings settings_;
  uint64_t in_use_ = 0;
  uint64_t cached_bytes_ = 0;
  uint64_t blocks_taken_ = 0;
  std::vector<void*> free_blocks_[kClasses];
  Segment* free_segments_ = nullptr;
  std::vector<Segment*> all_segments_;
};

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
  // A stack whose first segment is `memory.settings().initial_bytes` of inline
  // memory, charged to `memory`; nullptr past the total cap.
  static Stack* make(StackMemory& memory);
  static void destroy(Stack* s);
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // The innermost segment (where the running or parked frame is).
  Segment* seg;
  // The first segment; its memory is inline unless it was outgrown.
  Segment first;

  // ---- growth (called from the interpreter's slow paths) --------------------

  // Segmented growth: links a segment with room for `slots` slots after the
  // current one (reusing the current one's spare if it is big enough) and
  // makes it current; nullptr past the per-stack or total cap.
  // The spare case, a hot split, is inline: no allocation, a few stores.
  Segment* push_segment(uint64_t slots) {
    Segment* s = seg->spare;
    if (s == nullptr || s->slots() < slots + kHeaderSlots) return push_new_segment(slots);
    seg->spare = nullptr;
    s->prev = seg;
    seg = s;
    return s;
  }
  // Returns from the current segment to the previous one, keeping the
  // segment as that one's spare (and freeing the spare it had).
  void pop_segment() {
    Segment* s = seg;
    seg = s->prev;
    if (s->spare != nullptr) release_spares(s);
    seg->spare = s;
  }
  // Copying growth: moves the current segment into a block with room for
  // `extra` more slots between `live_end` (end of the live frames) and `hdr`
  // (lowest live header); the offsets by which slot and header addresses
  // moved come back in *slot_delta / *hdr_delta (in slots and headers).
  // false past the per-stack or total cap.
  bool move_segment(const uint64_t* live_end, const FrameHeader* hdr, uint64_t extra, ptrdiff_t* slot_delta,
                    ptrdiff_t* hdr_delta);

  // ---- runs from the host ------------------------------------------------------

  // A segment for a call from the host whose frame needs `slots` slots (and a
  // bottom header): the first segment if the stack is idle, else a new one.
  // nullptr past a cap.
  Segment* enter(uint64_t slots);
  // Ends the run that enter() started on `s`: frees every segment above it
  // and `s` itself (or empties the first segment).
  void leave(Segment* s);
  // Makes an idle stack's first segment hold at least `slots` slots plus a
  // header (used for a fresh continuation's frame); false past a cap.
  bool reserve_first(uint64_t slots);
  // Frees every segment but the first and empties it (a continuation that
  // finished or died).
  void reset();

  bool busy = false;  // a run or a continuation occupies the first segment

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
  Stack* next_free = nullptr;
  // One-shot check: a contref carries the revision it was issued at; consuming
  // the continuation bumps it, so older contrefs no longer match.
  uint64_t revision = 0;
  uint32_t index = 0;       // in the owning StackPool
  bool suspended = false;   // the root of a suspended continuation (a contref may name it)
  bool fresh = false;       // made by cont.new and never resumed: ctx is the function's entry
  bool in_use = false;      // handed out by the pool

 private:
  explicit Stack(StackMemory& memory);
  ~Stack() = default;
  uint64_t* inline_slots() { return reinterpret_cast<uint64_t*>(this + 1); }
  Segment* push_new_segment(uint64_t slots);
  void release(Segment* s);  // a non-first segment, with its spare
  void release_spares(Segment* s);
  void empty_first();
  // Gives `s`'s block back (if it has one) and makes `block` its memory;
  // nullptr puts the first segment back on its inline memory.
  void install_block(Segment* s, void* block, uint64_t block_bytes);
  bool within_cap(uint64_t more) const;

  StackMemory* memory_;
  uint64_t bytes_ = 0;  // memory of this stack's segments (for max_stack_bytes)
};

}  // namespace weft
