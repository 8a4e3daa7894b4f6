#include "interp/growth.h"

#include <algorithm>

namespace weft::interp {

namespace {
struct SegmentReturnStub {
  CompiledFunc code;
  Function func;
  SegmentReturnStub() {
    code.code = {uint32_t(Op::segment_return)};
    func.code = &code;
    func.debug_name = "<segment return>";
  }
};
const SegmentReturnStub& stub() {
  static const SegmentReturnStub s;
  return s;
}
const uint32_t kTailReturn[2] = {uint32_t(Op::return_), 0};
}  // namespace

Function* segment_return_function() { return const_cast<Function*>(&stub().func); }

const uint32_t* tail_return_code() { return kTailReturn; }

bool grow_segmented(Stack& stack, CallSite& site, const CompiledFunc& callee, Function* stub_func) {
  Segment* s = stack.push_segment(std::max(callee.frame_slots, callee.num_results));
  if (s == nullptr) return false;
  *s->link() = SegmentLink{site.return_pc, site.fp, site.func, site.hdr, site.results, callee.num_results};
  std::copy(site.args, site.args + callee.num_params, s->lo);
  FrameHeader* h = s->headers_end() - 1;
  *h = FrameHeader{stub_func->code->code.data(), reinterpret_cast<uint64_t*>(s), stub_func};
  site.hdr = h;
  site.args = s->lo;
  return true;
}

bool grow_copying(Stack& stack, const uint64_t* live_end, const FrameHeader* hdr, const uint64_t* need_end,
                  StackShift* shift) {
  const uint64_t extra = need_end > live_end ? uint64_t(need_end - live_end) : 0;
  return stack.move_segment(live_end, hdr, extra + kHeaderSlots, &shift->slot_bytes, &shift->header_bytes);
}

}  // namespace weft::interp
