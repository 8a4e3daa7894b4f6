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
#include <type_traits>

#include "interp/bulk.h"
#include "interp/dispatch.h"
#include "interp/fwd_reg.h"
#include "interp/growth.h"
#include "interp/numeric.h"
#include "interp/switching.h"

namespace weft::interp {

static_assert(std::endian::native == std::endian::little, "memory accesses assume a little-endian host");

namespace {

constexpr const char* kStackExhausted = "call stack exhausted";
constexpr const char* kSuspendAcrossHost =
    "cannot suspend across a host function: the handler is outside the host call";
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

// ---- result forwarding --------------------------------------------------------
// Arithmetic handlers and loads leave their result in one of two registers
// besides writing it to its slot: f64 values in `fwd_f`, everything else (f32
// as its bits) in `fwd_i`. The _ra/_rb/_rx variants read an operand from there
// instead of from its slot; lowering picks them only where the operand was
// written by the instruction just before and nothing jumps in between
// (validate/forward.cc), which saves a store-to-load round trip per link of a
// dependency chain.
inline void fwd_put(uint64_t& i, double&, uint32_t v) { i = v; }
inline void fwd_put(uint64_t& i, double&, uint64_t v) { i = v; }
inline void fwd_put(uint64_t& i, double&, float v) { i = num::bits_of(v); }
#if defined(WEFT_FWD_F_GLOBAL)
inline void fwd_put(uint64_t&, double&, double v) { weft_fwd_f = v; }
#else
inline void fwd_put(uint64_t&, double& f, double v) { f = v; }
#endif
template <typename T>
inline T fwd_get(uint64_t i, double f);
template <>
inline uint32_t fwd_get<uint32_t>(uint64_t i, double) { return uint32_t(i); }
template <>
inline uint64_t fwd_get<uint64_t>(uint64_t i, double) { return i; }
template <>
inline float fwd_get<float>(uint64_t i, double) { return num::f32_of(uint32_t(i)); }
#if defined(WEFT_FWD_F_GLOBAL)
template <>
inline double fwd_get<double>(uint64_t, double) { return weft_fwd_f; }
#else
template <>
inline double fwd_get<double>(uint64_t, double f) { return f; }
#endif

// A loaded value (memory type T) as the interpreter's value type Out.
template <typename Out, typename T>
inline Out loaded(T v) {
  if constexpr (std::is_same_v<Out, double>) return num::f64_of(v);
  else return Out(v);
}
// A value to store, as bits.
inline uint64_t value_bits(uint64_t v) { return v; }
inline uint64_t value_bits(uint32_t v) { return v; }
inline uint64_t value_bits(double v) { return num::bits_of(v); }

// A 64-bit immediate (K operand) at pc[i], pc[i + 1].
inline uint64_t imm64(const uint32_t* pc, int i) { return uint64_t(pc[i]) | uint64_t(pc[i + 1]) << 32; }

// Zeroes the non-parameter locals of a new frame. Most functions have a
// few: stores inline rather than a memset call.
inline void zero_locals(uint64_t* fp, const CompiledFunc* cf) {
  uint64_t* z = fp + cf->num_params;
  const uint32_t n = cf->num_locals - cf->num_params;
  if (n == 0) return;
  z[0] = 0;
  if (n == 1) return;
  z[1] = 0;
  if (n == 2) return;
  std::fill(z + 2, z + n, uint64_t{0});
}

// An instance's memory 0, or null.
inline const Memory* memory0(const Instance* inst) {
  return inst == nullptr || inst->memories.empty() ? nullptr : inst->memories[0];
}

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

// Frames from `innermost` outwards through the headers of the running stack
// (following segment links), then through the stacks that resumed it, up to
// the entry frame of `entry`.
std::string backtrace(const Function* innermost, const FrameHeader* hdr, const Stack* cur, const Stack* entry) {
  // Runs of frames of one function (recursion) print as one line.
  std::string out;
  uint64_t lines = 0, hidden = 0, repeat = 0;
  const Function* last = nullptr;
  auto flush = [&] {
    if (last == nullptr) return;
    if (lines++ < kBacktraceFrames) {
      out += "  at " + frame_name(last);
      if (repeat > 1) out += " (" + std::to_string(repeat) + " frames)";
      out += "\n";
    } else {
      hidden += repeat;
    }
  };
  auto add = [&](const Function* f) {
    if (f == last) {
      ++repeat;
      return;
    }
    flush();
    last = f;
    repeat = 1;
  };
  add(innermost);
  for (;;) {
    while (hdr->caller != nullptr) {
      if (is_segment_return(hdr->caller)) {
        const SegmentLink* l = reinterpret_cast<const Segment*>(hdr->caller_fp)->link();
        add(l->caller);
        hdr = l->caller_hdr;
      } else {
        add(hdr->caller);
        ++hdr;
      }
    }
    if (cur == entry || cur->parent == nullptr) break;
    cur = cur->parent;  // parked at the resume instruction that runs the stack below
    add(cur->ctx.func);
    hdr = cur->ctx.hdr;
  }
  flush();
  if (hidden > 0) out += "  ... " + std::to_string(hidden) + " more frames\n";
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

// Calls a host function with its arguments at `args`, from Wasm running on
// `stack`. If it re-enters Wasm, invoke() runs the nested call on a new segment
// of that stack (store.current_stack()), so this segment stays where it is.
Status call_host(Store& store, Stack& stack, Function* callee, uint64_t* args) {
  Stack* const outer = store.calling_stack;
  store.calling_stack = &stack;
  Status s = callee->host(store, args);
  store.calling_stack = outer;
  return s;
}

// Runs `func` on `entry` (the stack this run starts on, and where it ends),
// with its frame at fp = the start of entry's current segment. Continuations
// resumed meanwhile run on stacks of the store's StackPool; `cur` is the
// running one (docs/stacks.md).
Status run(Store& store, Stack& entry, Function* func, uint64_t* fp) {
#if !defined(WEFT_DISPATCH_SWITCH)
  static const void* const kDispatch[kOpCount] = {
#define WEFT_OP(Name, Prefix, Code, Text, Imm, Sig) &&op_##Name,
#include "spec/opcodes.def"
#define WEFT_INTERNAL(Name, Text) &&op_##Name,
#include "spec/internal_ops.def"
  };
#endif

  const TypeRegistry& types = store.engine().types();
  StackPool& pool = store.stack_pool();
  const bool segmented = store.stack_memory().settings().growth == StackGrowth::segmented;
  Function* const segment_stub = segment_return_function();

  Stack* cur = &entry;
  FrameHeader* hdr = entry.seg->headers_end();
  const CompiledFunc* cf = func->code;
  Instance* inst = func->instance;
  // Memory 0 of `inst` (the fused loads and stores), kept next to it.
  const Memory* mem0 = memory0(inst);
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
  // Stack switching.
  Stack* target = nullptr;           // a consumed continuation (its root) to run
  Ref cont_ref = kNullRef;           // a contref that failed its check
  const Tag* unhandled_tag = nullptr;
  bool unhandled_switch = false;
  uint64_t* ret_vals = nullptr;      // results of a continuation that returned
  uint32_t ret_count = 0;
  // Result forwarding (see fwd_put).
  uint64_t fwd_i = 0;
  double fwd_f = 0;

  --hdr;
  *hdr = FrameHeader{nullptr, nullptr, nullptr};
  std::fill(fp + cf->num_params, fp + cf->num_locals, uint64_t{0});

#define TRAP(msg)     \
  do {                \
    trap_msg = (msg); \
    goto trap;        \
  } while (0)
#define SLOT(i) fp[pc[i]]
// inst and mem0 change together; most calls and returns stay in one instance.
#define SET_INSTANCE(i)            \
  do {                             \
    Instance* const next_ = (i);   \
    if (next_ != inst) {           \
      inst = next_;                \
      mem0 = memory0(inst);        \
    }                              \
  } while (0)
#define FWD_PUT(v) fwd_put(fwd_i, fwd_f, (v))
#define FWD_GET(T) fwd_get<T>(fwd_i, fwd_f)
// Parks the running frame in `s` (continuing at `at`), and resumes `s`'s frame.
#define SAVE_CONTEXT(s, at) ((s)->ctx = StackContext{(at), fp, func, hdr})
#define LOAD_CONTEXT(s)            \
  do {                             \
    pc = (s)->ctx.pc;              \
    fp = (s)->ctx.fp;              \
    func = (s)->ctx.func;          \
    hdr = (s)->ctx.hdr;            \
    cf = func->code;               \
    SET_INSTANCE(func->instance);  \
    code = cf->code.data();        \
  } while (0)

  WEFT_DISPATCH_BEGIN()
#include "interp/handlers_numeric.inc"
#include "interp/handlers_fused.inc"
#include "interp/handlers_memory.inc"
#include "interp/handlers_table.inc"
#include "interp/handlers_control.inc"
#include "interp/handlers_exceptions.inc"
#include "interp/handlers_stacks.inc"
#include "interp/handlers_unsupported.inc"
  WEFT_DISPATCH_END()

  // ---- shared paths ----------------------------------------------------------

  // A call to `callee` with arguments at new_fp; pc is the next instruction.
do_call:
  if (callee->is_host()) {
    host_status = call_host(store, *cur, callee, new_fp);
    if (!host_status.ok()) goto host_failed;
    WEFT_NEXT();
  }
  // The one check of stack growth on the call path: the callee's frame must
  // end below the header the call pushes.
  if (reinterpret_cast<uint64_t*>(hdr - 1) - new_fp < ptrdiff_t(callee->code->frame_slots)) goto grow_call;
push_call_header:
  --hdr;
  hdr->return_pc = pc;
  hdr->caller_fp = fp;
  hdr->caller = func;
enter_callee:
  fp = new_fp;
  func = callee;
  cf = func->code;
  SET_INSTANCE(func->instance);
  code = cf->code.data();
  pc = code;
  zero_locals(fp, cf);
  WEFT_NEXT();

  // The callee's frame does not fit in the current segment (docs/stack-layout.md).
grow_call:
  if (segmented) {
    // A new segment; the callee returns through the stub into fp + base.
    CallSite site{pc, fp, func, hdr, new_fp, new_fp};
    if (!grow_segmented(*cur, site, *callee->code, segment_stub)) goto stack_exhausted;
    hdr = site.hdr;
    new_fp = site.args;
    goto enter_callee;
  } else {
    StackShift shift;
    if (!grow_copying(*cur, fp + cf->frame_slots, hdr, new_fp + callee->code->frame_slots + kHeaderSlots, &shift))
      goto stack_exhausted;
    fp = shift.slots(fp);
    new_fp = shift.slots(new_fp);
    hdr = shift.headers(hdr);
    goto push_call_header;
  }

stack_exhausted:
  trap_kind = ErrorKind::exhaustion;
  TRAP(kStackExhausted);

  // A tail call to `callee` with arguments at new_fp: the current frame is
  // replaced, so the stack does not grow.
do_tail_call:
  if (callee->is_host()) {
    // Results land at new_fp, then the current function returns them.
    host_status = call_host(store, *cur, callee, new_fp);
    if (!host_status.ok()) goto host_failed_tail;
    std::copy(new_fp, new_fp + cf->num_results, fp);
    goto do_return;
  }
  if (reinterpret_cast<uint64_t*>(hdr) - fp < ptrdiff_t(callee->code->frame_slots)) goto grow_tail_call;
tail_enter:
  std::copy(new_fp, new_fp + callee->code->num_params, fp);  // new_fp > fp: forward copy is safe
  new_fp = fp;
  goto enter_callee;

grow_tail_call:
  if (segmented) {
    // Call the callee in a new segment with its results going to this frame,
    // which then returns them (kTailReturnCode). This frame stays until then;
    // it is the only one a tail call keeps, and only when it crosses.
    CallSite site{tail_return_code(), fp, func, hdr, new_fp, fp};
    if (!grow_segmented(*cur, site, *callee->code, segment_stub)) goto stack_exhausted;
    hdr = site.hdr;
    new_fp = site.args;
    goto enter_callee;
  } else {
    StackShift shift;
    if (!grow_copying(*cur, fp + cf->frame_slots, hdr, fp + callee->code->frame_slots, &shift)) goto stack_exhausted;
    fp = shift.slots(fp);
    new_fp = shift.slots(new_fp);
    hdr = shift.headers(hdr);
    goto tail_enter;
  }

  // Results are in fp[0 .. num_results): pop the frame. The bottom frame of a
  // continuation returns to the stack that resumed it.
do_return:
  if (hdr->caller == nullptr) {
    if (cur == &entry) goto finished;
    ret_vals = fp;
    ret_count = cf->num_results;
    goto cont_returned;
  }
  pc = hdr->return_pc;
  fp = hdr->caller_fp;
  func = hdr->caller;
  ++hdr;
  cf = func->code;
  SET_INSTANCE(func->instance);
  code = cf->code.data();
  WEFT_NEXT();

finished:
  return Status::Ok();

  // ---- stack switching (docs/stacks.md) ----------------------------------------

  // Continuation `cur` returned ret_count values at ret_vals: they become the
  // results of the resume instruction its parent is parked at, and its stack
  // is free again.
cont_returned: {
  Stack* done = cur;
  cur = done->parent;
  LOAD_CONTEXT(cur);
  std::copy(ret_vals, ret_vals + ret_count, fp + pc[1]);
  pc = resume_next(pc);
  pool.release(done);
  WEFT_NEXT();
}

  // Runs the consumed continuation rooted at `target` under `cur`, parked at
  // the resume instruction at pc.
enter_continuation:
  SAVE_CONTEXT(cur, pc);
  target->parent = cur;
  // Runs the continuation rooted at `target`, already linked under its parent.
switch_to_target:
  cur = target->leaf;
  if (cur->fresh) {
    cur->fresh = false;
    if (cur->ctx.func->is_host()) goto enter_host_continuation;
  }
  LOAD_CONTEXT(cur);
  WEFT_NEXT();

  // A fresh continuation of a host function: call it on the host stack (it
  // counts as running on `cur`, so Wasm it calls back runs there too).
enter_host_continuation: {
  callee = cur->ctx.func;
  const FuncType& ft = types.func_type(callee->type_id);
  uint64_t* args = cur->first.lo;
  host_status = call_host(store, *cur, callee, args);
  if (host_status.ok()) {
    ret_vals = args;
    ret_count = uint32_t(ft.results.size());
    goto cont_returned;
  }
  // The error leaves the continuation at once: it continues at the resume.
  Stack* dead = cur;
  cur = dead->parent;
  pool.release(dead);
  LOAD_CONTEXT(cur);
  pc = resume_next(pc);  // host_failed resumes unwinding at pc - 1: inside the resume
  goto host_failed;
}

  // resume_throw*: raise `exn` where the consumed continuation `target` is
  // suspended. One that never started has no frame to raise it in: the
  // exception leaves it at once and is raised at the resume instruction.
throw_into_continuation:
  if (target->fresh) {
    pool.release(target);
    throw_pc = pc;
    goto unwind;
  }
  SAVE_CONTEXT(cur, pc);
  target->parent = cur;
  cur = target->leaf;
  LOAD_CONTEXT(cur);
  throw_pc = pc - 1;  // inside the suspend / switch instruction
  goto unwind;

  // A contref operand failed its check (null, consumed, or worn out).
bad_cont:
  if (cont_ref == kNullRef) TRAP("null continuation reference");
  if (pool.worn_out(cont_ref)) {
    trap_kind = ErrorKind::exhaustion;
    TRAP("continuation resumed too many times");
  }
  TRAP("continuation already consumed");

  // suspend / switch found no handler in this run. A handler beyond a host
  // function (this run is a host function's call back into Wasm) cannot be
  // reached: the host frame cannot be captured in a continuation.
unhandled: {
  const bool outside = handled_outside(&entry, unhandled_tag, unhandled_switch);
  Error e = outside ? make_error(ErrorKind::trap, kSuspendAcrossHost)
                    : make_error(ErrorKind::suspension, "unhandled tag");
  e.backtrace = backtrace(func, hdr, cur, &entry);
  abandon_chain(pool, cur, &entry);
  return e;
}

  // ---- exceptions ----------------------------------------------------------------

  // Throw `exn` from the instruction at throw_pc: search each frame's
  // handlers, innermost first; caller frames are tested at their call, and a
  // continuation's resumer at its resume instruction.
unwind: {
  // A frame that made a tail call across a segment (kTailReturnCode) is gone
  // as far as handlers go: throw_pc is then outside its code.
  const uintptr_t off = (reinterpret_cast<uintptr_t>(throw_pc) - reinterpret_cast<uintptr_t>(code)) / sizeof(uint32_t);
  if (off < cf->code.size()) {
    if (const HandlerEntry* h = find_handler(cf, inst, uint32_t(off), exn)) {
      deliver(fp, *h, exn);
      pc = code + h->target;
      WEFT_NEXT();
    }
  }
}
  // Leave the current frame.
unwind_caller:
  if (hdr->caller != nullptr) {
    if (hdr->caller == segment_stub) {
      // Back across a segment boundary to the frame that made the call.
      const SegmentLink* l = reinterpret_cast<const Segment*>(hdr->caller_fp)->link();
      throw_pc = l->return_pc - 1;
      fp = l->caller_fp;
      func = l->caller;
      hdr = l->caller_hdr;
      cur->pop_segment();
    } else {
      throw_pc = hdr->return_pc - 1;
      fp = hdr->caller_fp;
      func = hdr->caller;
      ++hdr;
    }
    cf = func->code;
    SET_INSTANCE(func->instance);
    code = cf->code.data();
    goto unwind;
  }
  if (cur != &entry) {
    // The exception leaves continuation `cur`, which dies.
    Stack* dead = cur;
    cur = dead->parent;
    pool.release(dead);
    LOAD_CONTEXT(cur);
    throw_pc = pc;
    goto unwind;
  }
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
    goto unwind_caller;
  }
  goto host_error;

host_error: {
  Error e = std::move(host_status).error();
  // Nested invokes each add their frames; keep the trace bounded.
  if (uint64_t(std::count(e.backtrace.begin(), e.backtrace.end(), '\n')) < kBacktraceFrames)
    e.backtrace += "  at " + frame_name(callee) + "\n" + backtrace(func, hdr, cur, &entry);
  abandon_chain(pool, cur, &entry);
  return e;
}

unsupported:
  trap_msg = "unsupported instruction";
  goto trap;

trap: {
  Error e = make_error(trap_kind, trap_msg);
  if (trap_msg == kUndefinedElement || trap_msg == kUninitializedElement)
    e.message += " " + std::to_string(trap_index);
  e.backtrace = backtrace(func, hdr, cur, &entry);
  abandon_chain(pool, cur, &entry);
  return e;
}

#undef TRAP
#undef SLOT
#undef SAVE_CONTEXT
#undef LOAD_CONTEXT
}

}  // namespace

Status call(Store& store, Stack& stack, Function* func, uint64_t* fp) {
  if (!func->is_host()) return run(store, stack, func, fp);
  return call_host(store, stack, func, fp);
}

uint64_t entry_slots(const TypeRegistry& types, const Function* func) {
  const FuncType& ft = types.func_type(func->type_id);
  uint64_t slots = std::max(ft.params.size(), ft.results.size());
  if (!func->is_host()) slots = std::max<uint64_t>(slots, func->code->frame_slots);
  return std::max<uint64_t>(slots, 1);
}

Result<uint64_t> eval_const(Store& store, Instance* inst, const CompiledFunc& code) {
  Stack* stack = store.current_stack();
  if (!stack) return make_error(ErrorKind::exhaustion, "cannot allocate the Wasm stack");
  Function f;
  f.type_id = code.type_id;
  f.instance = inst;
  f.code = &code;
  f.debug_name = "<constant expression>";
  Segment* seg = stack->enter(std::max<uint32_t>(code.frame_slots, 1));
  if (seg == nullptr) return make_error(ErrorKind::exhaustion, kStackExhausted);
  Status s = run(store, *stack, &f, seg->lo);
  const uint64_t result = seg->lo[0];
  stack->leave(seg);
  WEFT_CHECK(std::move(s));
  return result;
}

}  // namespace weft::interp
