// The dispatch loop. One loop runs every Wasm frame of a call tree on the
// engine-owned Stack (see docs/stack-layout.md): calls push a FrameHeader and
// move fp, returns pop it; the host C++ stack is used only to call host
// functions. Handlers for each instruction family live in handlers_*.inc and
// are textually included into run(), so pc, fp and the current instance stay
// in locals (registers) across the whole loop.
#include "interp/interp.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "interp/bulk.h"
#include "interp/dispatch.h"
#include "interp/numeric.h"

namespace weft::interp {

static_assert(std::endian::native == std::endian::little, "memory accesses assume a little-endian host");

namespace {

constexpr const char* kStackExhausted = "call stack exhausted";
// Table-element traps name the element index, as the reference interpreter
// does ("uninitialized element 2").
constexpr const char* kUndefinedElement = "undefined element";
constexpr const char* kUninitializedElement = "uninitialized element";
constexpr uint64_t kBacktraceFrames = 32;

using I32 = uint32_t;
using I64 = uint64_t;
using F32 = float;
using F64 = double;
using S32 = int32_t;
using S64 = int64_t;

// ---- slot access ----------------------------------------------------------
template <typename T>
inline T rd(uint64_t s);
template <>
inline uint32_t rd<uint32_t>(uint64_t s) { return uint32_t(s); }
template <>
inline uint64_t rd<uint64_t>(uint64_t s) { return s; }
template <>
inline float rd<float>(uint64_t s) { return num::f32_of(uint32_t(s)); }
template <>
inline double rd<double>(uint64_t s) { return num::f64_of(s); }

inline uint64_t wr(uint32_t v) { return v; }
inline uint64_t wr(uint64_t v) { return v; }
inline uint64_t wr(float v) { return num::bits_of(v); }
inline uint64_t wr(double v) { return num::bits_of(v); }

// A 64-bit immediate (K operand) at pc[i], pc[i + 1].
inline uint64_t imm64(const uint32_t* pc, int i) { return uint64_t(pc[i]) | uint64_t(pc[i + 1]) << 32; }

// Effective address of an n-byte access, or nullptr if out of bounds. All
// arithmetic is 64-bit and overflow-checked (memory64 addresses plus a 64-bit
// offset can wrap).
inline uint8_t* mem_at(const Memory* m, uint64_t addr_slot, uint64_t offset, uint64_t n) {
  uint64_t ea;
  if (__builtin_add_overflow(addr_slot & m->addr_mask, offset, &ea)) return nullptr;
  if (!in_bounds(ea, n, m->size_bytes)) return nullptr;
  return m->data + ea;
}

inline uint64_t table_index(const Table* t, uint64_t slot) {
  return t->type.limits.is64 ? slot : uint64_t(uint32_t(slot));
}

// Whether reference `r` has heap type `heap_bits` (a canonical HeapType), or
// is null and `nullable`. Validation puts the operand in the target's
// hierarchy, which tells what a non-null Ref points to: a Function (func), an
// Exception (exn) or a host value (extern, and any: without GC objects the
// only non-null anyrefs are internalised host values, which are not eq).
bool ref_matches(const TypeRegistry& types, Ref r, uint32_t heap_bits, bool nullable) {
  if (r == kNullRef) return nullable;
  HeapType h{heap_bits};
  if (h.is_index()) {
    if (is_host_ref(r)) return false;
    return types.is_subtype(reinterpret_cast<const Function*>(r)->type_id, h.idx());
  }
  switch (h.abs()) {
    case AbsHeap::func:
    case AbsHeap::extern_:
    case AbsHeap::any:
    case AbsHeap::exn:
      return true;
    default:  // bottom types, eq/i31/struct/array (no GC objects yet), cont
      return false;
  }
}

// ---- slow paths (kept out of the loop) -------------------------------------
std::string frame_name(const Function* f) { return f->debug_name.empty() ? std::string("<func>") : f->debug_name; }

// Frames from `innermost` outwards through the headers up to the entry frame.
std::string backtrace(const Function* innermost, const FrameHeader* hdr) {
  std::string out;
  uint64_t n = 0;
  auto add = [&](const Function* f) {
    if (n++ < kBacktraceFrames) out += "  at " + frame_name(f) + "\n";
  };
  add(innermost);
  for (; hdr->caller != nullptr; ++hdr) add(hdr->caller);
  if (n > kBacktraceFrames) out += "  ... " + std::to_string(n - kBacktraceFrames) + " more frames\n";
  return out;
}

// The first handler of `cf` that covers word offset `off` and catches `exn`.
const HandlerEntry* find_handler(const CompiledFunc* cf, const Instance* inst, uint32_t off, const Exception* exn) {
  for (const HandlerEntry& h : cf->handlers) {
    if (off < h.start || off >= h.end) continue;
    if ((h.kind == HandlerEntry::Kind::catch_ || h.kind == HandlerEntry::Kind::catch_ref) &&
        inst->tags[h.tag] != exn->tag)
      continue;
    return &h;
  }
  return nullptr;
}

void deliver(uint64_t* fp, const HandlerEntry& h, Exception* exn) {
  uint64_t* d = fp + h.dest;
  if (h.kind == HandlerEntry::Kind::catch_ || h.kind == HandlerEntry::Kind::catch_ref) {
    std::copy(exn->payload.begin(), exn->payload.end(), d);
    d += exn->payload.size();
  }
  if (h.kind == HandlerEntry::Kind::catch_ref || h.kind == HandlerEntry::Kind::catch_all_ref)
    *d = reinterpret_cast<Ref>(exn);
}

// Calls a host function with its arguments at `args`. While it runs, the
// stack's free area starts at `top`, so that it may re-enter Wasm.
Status call_host(Store& store, Stack& stack, Function* callee, uint64_t* args, uint64_t* top, FrameHeader* hdr) {
  stack.top = top;
  stack.headers = hdr;
  return callee->host(store, args);
}

Status run(Store& store, Stack& stack, Function* func, uint64_t* fp) {
#if !defined(WEFT_DISPATCH_SWITCH)
  static const void* const kDispatch[kOpCount] = {
#define WEFT_OP(Name, Prefix, Code, Text, Imm, Sig) &&op_##Name,
#include "spec/opcodes.def"
#define WEFT_INTERNAL(Name, Text) &&op_##Name,
#include "spec/internal_ops.def"
  };
#endif

  uint64_t* const saved_top = stack.top;
  FrameHeader* const saved_headers = stack.headers;
  const TypeRegistry& types = store.engine().types();

  FrameHeader* hdr = stack.headers;
  const CompiledFunc* cf = func->code;
  Instance* inst = func->instance;
  const uint32_t* code = cf->code.data();
  const uint32_t* pc = code;

  // Slow-path state, set before jumping to the shared labels below.
  const char* trap_msg = nullptr;
  ErrorKind trap_kind = ErrorKind::trap;
  uint64_t trap_index = 0;  // element index for the table-element traps
  Exception* exn = nullptr;
  const uint32_t* throw_pc = nullptr;
  Status host_status;
  Function* callee = nullptr;
  uint64_t* new_fp = nullptr;

  if (!stack.fits(fp, cf->frame_slots, 1)) return make_error(ErrorKind::exhaustion, kStackExhausted);
  --hdr;
  *hdr = FrameHeader{nullptr, nullptr, nullptr};
  std::fill(fp + cf->num_params, fp + cf->num_locals, uint64_t{0});

#define TRAP(msg)     \
  do {                \
    trap_msg = (msg); \
    goto trap;        \
  } while (0)
#define SLOT(i) fp[pc[i]]

  WEFT_DISPATCH_BEGIN()
#include "interp/handlers_numeric.inc"
#include "interp/handlers_memory.inc"
#include "interp/handlers_table.inc"
#include "interp/handlers_control.inc"
#include "interp/handlers_exceptions.inc"
#include "interp/handlers_unsupported.inc"
  WEFT_DISPATCH_END()

  // ---- shared paths ----------------------------------------------------------

  // A call to `callee` with arguments at new_fp; pc is the next instruction.
do_call:
  if (callee->is_host()) {
    host_status = call_host(store, stack, callee, new_fp, fp + cf->frame_slots, hdr);
    if (!host_status.ok()) goto host_failed;
    WEFT_NEXT();
  }
  {
    const CompiledFunc* ccf = callee->code;
    if (reinterpret_cast<uint64_t*>(hdr - 1) - new_fp < ptrdiff_t(ccf->frame_slots)) {
      trap_kind = ErrorKind::exhaustion;
      TRAP(kStackExhausted);
    }
    --hdr;
    hdr->return_pc = pc;
    hdr->caller_fp = fp;
    hdr->caller = func;
    fp = new_fp;
    func = callee;
    cf = ccf;
    inst = func->instance;
    code = cf->code.data();
    pc = code;
    std::fill(fp + cf->num_params, fp + cf->num_locals, uint64_t{0});
    WEFT_NEXT();
  }

  // A tail call to `callee` with arguments at new_fp: the current frame is
  // replaced, so the stack does not grow.
do_tail_call:
  if (callee->is_host()) {
    // Results land at new_fp, then the current function returns them.
    host_status = call_host(store, stack, callee, new_fp, fp + cf->frame_slots, hdr);
    if (!host_status.ok()) goto host_failed_tail;
    std::copy(new_fp, new_fp + cf->num_results, fp);
    goto do_return;
  }
  {
    const CompiledFunc* ccf = callee->code;
    if (reinterpret_cast<uint64_t*>(hdr) - fp < ptrdiff_t(ccf->frame_slots)) {
      trap_kind = ErrorKind::exhaustion;
      TRAP(kStackExhausted);
    }
    std::copy(new_fp, new_fp + ccf->num_params, fp);  // new_fp > fp: forward copy is safe
    func = callee;
    cf = ccf;
    inst = func->instance;
    code = cf->code.data();
    pc = code;
    std::fill(fp + cf->num_params, fp + cf->num_locals, uint64_t{0});
    WEFT_NEXT();
  }

  // Results are in fp[0 .. num_results): pop the frame.
do_return:
  if (hdr->caller == nullptr) goto finished;
  pc = hdr->return_pc;
  fp = hdr->caller_fp;
  func = hdr->caller;
  ++hdr;
  cf = func->code;
  inst = func->instance;
  code = cf->code.data();
  WEFT_NEXT();

finished:
  stack.top = saved_top;
  stack.headers = saved_headers;
  return Status::Ok();

  // Throw `exn` from the instruction at throw_pc: search each frame's
  // handlers, innermost first; caller frames are tested at their call.
unwind:
  for (;;) {
    if (const HandlerEntry* h = find_handler(cf, inst, uint32_t(throw_pc - code), exn)) {
      deliver(fp, *h, exn);
      pc = code + h->target;
      WEFT_NEXT();
    }
    if (hdr->caller == nullptr) break;
    throw_pc = hdr->return_pc - 1;
    fp = hdr->caller_fp;
    func = hdr->caller;
    ++hdr;
    cf = func->code;
    inst = func->instance;
    code = cf->code.data();
  }
  stack.top = saved_top;
  stack.headers = saved_headers;
  store.set_pending_exception(exn);
  return make_error(ErrorKind::exception, "uncaught exception");

  // A host function failed. An exception escaping a nested invoke() continues
  // to unwind here; any other error propagates with our frames appended.
host_failed:
  if (host_status.error().kind == ErrorKind::exception && store.pending_exception()) {
    exn = store.pending_exception();
    store.set_pending_exception(nullptr);
    throw_pc = pc - 1;  // inside the call instruction
    goto unwind;
  }
  goto host_error;

host_failed_tail:
  // The tail-calling frame is already gone: unwind from its caller.
  if (host_status.error().kind == ErrorKind::exception && store.pending_exception()) {
    exn = store.pending_exception();
    store.set_pending_exception(nullptr);
    if (hdr->caller == nullptr) {
      stack.top = saved_top;
      stack.headers = saved_headers;
      store.set_pending_exception(exn);
      return make_error(ErrorKind::exception, "uncaught exception");
    }
    throw_pc = hdr->return_pc - 1;
    fp = hdr->caller_fp;
    func = hdr->caller;
    ++hdr;
    cf = func->code;
    inst = func->instance;
    code = cf->code.data();
    goto unwind;
  }
  goto host_error;

host_error: {
  Error e = std::move(host_status).error();
  // Nested invokes each add their frames; keep the trace bounded.
  if (uint64_t(std::count(e.backtrace.begin(), e.backtrace.end(), '\n')) < kBacktraceFrames)
    e.backtrace += "  at " + frame_name(callee) + "\n" + backtrace(func, hdr);
  stack.top = saved_top;
  stack.headers = saved_headers;
  return e;
}

unsupported:
  trap_msg = "unsupported instruction";
  goto trap;

trap: {
  Error e = make_error(trap_kind, trap_msg);
  if (trap_msg == kUndefinedElement || trap_msg == kUninitializedElement)
    e.message += " " + std::to_string(trap_index);
  e.backtrace = backtrace(func, hdr);
  stack.top = saved_top;
  stack.headers = saved_headers;
  if (trap_kind == ErrorKind::exhaustion) stack.release_unused();
  return e;
}

#undef TRAP
#undef SLOT
}

}  // namespace

Status call(Store& store, Stack& stack, Function* func, uint64_t* fp) {
  if (!func->is_host()) return run(store, stack, func, fp);
  uint64_t* const saved_top = stack.top;
  FrameHeader* const saved_headers = stack.headers;
  const FuncType& ft = store.engine().types().func_type(func->type_id);
  Status s = call_host(store, stack, func, fp, fp + std::max(ft.params.size(), ft.results.size()), stack.headers);
  stack.top = saved_top;
  stack.headers = saved_headers;
  return s;
}

Result<uint64_t> eval_const(Store& store, Instance* inst, const CompiledFunc& code) {
  Stack* stack = store.stack();
  if (!stack) return make_error(ErrorKind::exhaustion, "cannot reserve the Wasm stack");
  Function f;
  f.type_id = code.type_id;
  f.instance = inst;
  f.code = &code;
  f.debug_name = "<constant expression>";
  uint64_t* fp = stack->top;
  if (!stack->fits(fp, std::max<uint32_t>(code.frame_slots, 1), 1))
    return make_error(ErrorKind::exhaustion, kStackExhausted);
  WEFT_CHECK(run(store, *stack, &f, fp));
  return fp[0];
}

}  // namespace weft::interp
