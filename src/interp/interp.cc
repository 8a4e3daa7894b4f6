// The interpreter: entry points, slow paths and helpers; the dispatch loop
// itself is interp/run.inc, compiled once per dispatch mode the build has
// (WEFT_DISPATCH: goto, switch or both).
#include "interp/interp.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <type_traits>

#include "interp/bulk.h"
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
  switch (n) {
    case 4: z[3] = 0; [[fallthrough]];
    case 3: z[2] = 0; [[fallthrough]];
    case 2: z[1] = 0; [[fallthrough]];
    case 1: z[0] = 0; [[fallthrough]];
    case 0: return;
    default: std::fill(z, z + n, uint64_t{0});
  }
}

// An instance's memory 0, or null.
inline const Memory* memory0(const Instance* inst) {
  return inst == nullptr || inst->memories.empty() ? nullptr : inst->memories[0];
}

// Accesses of memory 0 by the fused forms (handlers_fused.inc), 32-bit
// addresses only: the address is u32(base + imm), plus the offset (< 2^32), so
// no overflow is possible. false if out of bounds.
inline uint64_t ea32(uint32_t base, uint32_t imm, uint32_t offset) { return uint64_t(uint32_t(base + imm)) + offset; }
template <typename T>
inline bool load0(const Memory* m, uint64_t ea, T* v) {
  if (ea + sizeof(T) > m->size_bytes) [[unlikely]] return false;
  std::memcpy(v, m->data + ea, sizeof(T));
  return true;
}
template <typename T>
inline bool store0(const Memory* m, uint64_t ea, T v) {
  if (ea + sizeof(T) > m->size_bytes) [[unlikely]] return false;
  std::memcpy(m->data + ea, &v, sizeof(T));
  return true;
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
// the entry frame of `entry`. Each frame is also appended to `trace` (up to
// Error::kMaxTraceFrames).
std::string backtrace(const Function* innermost, const FrameHeader* hdr, const Stack* cur, const Stack* entry,
                      std::vector<const Function*>& trace) {
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
    if (trace.size() < Error::kMaxTraceFrames) trace.push_back(f);
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

// The dispatch loop's state that calls, returns, traps and stack switches
// use, kept in memory (run.inc explains why).
struct FrameState {
  Function* func;
  const CompiledFunc* cf;
  Instance* inst;
  FrameHeader* hdr;
  Stack* cur;
  uint64_t trap_index;
};
// Under clang, makes the compiler assume that any call may read or write *p,
// so that it stays in memory instead of being promoted to registers. GCC
// allocates the loop well with these in locals (and is slower with them in
// memory), so there the struct is broken up into locals again.
#if defined(__clang__)
inline void keep_in_memory(FrameState* p) { asm volatile("" : : "r"(p) : "memory"); }
#else
inline void keep_in_memory(FrameState*) {}
#endif

#if WEFT_DISPATCH_GOTO
#define WEFT_RUN run_goto
#define WEFT_RUN_SWITCH 0
#include "interp/run.inc"
#undef WEFT_RUN
#undef WEFT_RUN_SWITCH
#endif
#if WEFT_DISPATCH_SWITCH_COMPILED
#define WEFT_RUN run_switch
#define WEFT_RUN_SWITCH 1
#include "interp/run.inc"
#undef WEFT_RUN
#undef WEFT_RUN_SWITCH
#endif

// The dispatch mode asked for, among those compiled in.
Status run(Store& store, Stack& entry, Function* func, uint64_t* fp, ParkedRun* park = nullptr) {
#if WEFT_DISPATCH_GOTO && WEFT_DISPATCH_SWITCH_COMPILED
  if (store.engine().config().dispatch == Dispatch::switch_) return run_switch(store, entry, func, fp, park);
  return run_goto(store, entry, func, fp, park);
#elif WEFT_DISPATCH_GOTO
  return run_goto(store, entry, func, fp, park);
#else
  return run_switch(store, entry, func, fp, park);
#endif
}

}  // namespace

Status call(Store& store, Stack& stack, Function* func, uint64_t* fp) {
  if (!func->is_host()) return run(store, stack, func, fp);
  return call_host(store, stack, func, fp);
}

Status call_parkable(Store& store, Stack& entry, Function* func, uint64_t* fp, ParkedRun* parked) {
  *parked = ParkedRun{};
  if (!func->is_host()) return run(store, entry, func, fp, parked);
  Status s = call_host(store, entry, func, fp);
  if (!s.ok() && s.error().kind == ErrorKind::pending)
    *parked = ParkedRun{ParkedRun::Site::entry, &entry, fp, func};
  return s;
}

Status resume(Store& store, Stack& entry, ParkedRun* parked) {
  // The run was its host function alone: its results are the run's.
  if (parked->site == ParkedRun::Site::entry) {
    Error* failure = parked->failure;
    *parked = ParkedRun{};
    if (failure != nullptr) return std::move(*failure);
    return Status::Ok();
  }
  return run(store, entry, nullptr, nullptr, parked);
}

void abandon(Store& store, Stack& entry, ParkedRun* parked) {
  if (parked->site != ParkedRun::Site::none && parked->site != ParkedRun::Site::entry)
    abandon_chain(store.stack_pool(), parked->leaf, &entry);
  *parked = ParkedRun{};
}

DispatchModes dispatch_modes() { return {WEFT_DISPATCH_GOTO != 0, WEFT_DISPATCH_SWITCH_COMPILED != 0}; }

uint64_t entry_slots(const TypeRegistry& types, const Function* func) {
  const FuncType& ft = func->type(types);
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
