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

bool grow_copying(Stack& stack, const uint64_t* live_end, const FrameHeader* hdr, const uint64_t* need_end,
                  StackShift* shift) {
  const uint64_t extra = need_end > live_end ? uint64_t(need_end - live_end) : 0;
  return stack.move_segment(live_end, hdr, extra + kHeaderSlots, &shift->slot_bytes, &shift->header_bytes);
}

}  // namespace weft::interp
