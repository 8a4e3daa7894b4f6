// Stack growth for the dispatch loop's slow paths (docs/stack-layout.md):
// what a call does when the callee's frame does not fit in the current
// segment. The fast path (WEFT_CALL in handlers_control.inc) only compares the callee's
// frame end with the lowest frame header.
#pragma once

#include <cstddef>
#include <cstdint>

#include "interp/code.h"
#include "runtime/store.h"
#include "stacks/stack.h"

namespace weft::interp {

// The function whose code a call into a new segment returns through: its
// frame header has caller == this function and caller_fp == the Segment, and
// its code is one `segment_return` instruction.
Function* segment_return_function();
inline bool is_segment_return(const Function* f) { return f == segment_return_function(); }

// `return_ 0`: where a frame continues after a tail call that had to cross
// into a new segment returned its results into that frame.
const uint32_t* tail_return_code();

// A call that does not fit: the caller's state, the callee's arguments and
// where its results go.
struct CallSite {
  const uint32_t* return_pc;
  uint64_t* fp;
  Function* func;
  FrameHeader* hdr;  // in: the caller's lowest header; out: the callee's header
  uint64_t* args;    // in: the arguments; out: the callee's frame pointer
  uint64_t* results;
};

// Segmented growth: links a segment that holds the callee's frame, copies the
// arguments there and pushes the callee's bottom header (returning through
// the stub into site.results). false past a stack limit.
inline bool grow_segmented(Stack& stack, CallSite& site, const CompiledFunc& callee, Function* stub) {
  Segment* s = stack.push_segment(callee.frame_slots > callee.num_results ? callee.frame_slots : callee.num_results);
  if (s == nullptr) return false;
  *s->link() = SegmentLink{site.return_pc, site.fp, site.func, site.hdr, site.results, callee.num_results};
  for (uint32_t i = 0; i < callee.num_params; ++i) s->lo[i] = site.args[i];
  FrameHeader* h = s->headers_end() - 1;
  *h = FrameHeader{stub->code->code.data(), reinterpret_cast<uint64_t*>(s), stub};
  site.hdr = h;
  site.args = s->lo;
  return true;
}

// How far copying growth moved the running segment.
struct StackShift {
  ptrdiff_t slot_bytes = 0;
  ptrdiff_t header_bytes = 0;
  uint64_t* slots(uint64_t* p) const { return reinterpret_cast<uint64_t*>(reinterpret_cast<char*>(p) + slot_bytes); }
  FrameHeader* headers(FrameHeader* h) const {
    return reinterpret_cast<FrameHeader*>(reinterpret_cast<char*>(h) + header_bytes);
  }
};

// Copying growth: moves the running segment (live frames end at `live_end`,
// headers start at `hdr`) into one where slots up to `need_end` fit below the
// headers. false past a stack limit.
bool grow_copying(Stack& stack, const uint64_t* live_end, const FrameHeader* hdr, const uint64_t* need_end,
                  StackShift* shift);

}  // namespace weft::interp
