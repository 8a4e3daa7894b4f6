// Invocation from the host (exec/modules.rst "Invocation").
#include <algorithm>
#include <string>

#include "interp/interp.h"
#include "runtime/store.h"
#include "stacks/stack.h"

namespace weft {

namespace {

// Whether `v` is a valid argument of type `t` (numbers by kind; references
// must at least respect nullability).
bool fits_type(const Value& v, const ValType& t) {
  if (v.type.kind != t.kind) return false;
  if (t.is_ref() && v.bits == kNullRef && !t.nullable) return false;
  return true;
}

uint64_t result_bits(const ValType& t, uint64_t slot) {
  return t.kind == ValKind::i32 || t.kind == ValKind::f32 ? uint64_t(uint32_t(slot)) : slot;
}

}  // namespace

Result<std::vector<Value>> invoke(Store& store, Function* func, const std::vector<Value>& args) {
  const FuncType& ft = store.engine().types().func_type(func->type_id);
  if (args.size() != ft.params.size())
    return make_error(ErrorKind::trap, "wrong number of arguments: expected " + std::to_string(ft.params.size()) +
                                           ", got " + std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i)
    if (!fits_type(args[i], ft.params[i]))
      return make_error(ErrorKind::trap, "argument " + std::to_string(i) + " has type " + to_string(args[i].type) +
                                             ", expected " + to_string(ft.params[i]));

  // A host function called from Wasm re-enters on a new segment of the calling
  // stack (which may be a continuation's), leaving its live frames in place.
  Stack* stack = store.current_stack();
  if (!stack) return make_error(ErrorKind::exhaustion, "cannot allocate the Wasm stack");
  if (store.invoke_depth >= store.engine().config().max_host_reentry)
    return make_error(ErrorKind::exhaustion, "call stack exhausted");
  const uintptr_t frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (store.invoke_depth == 0) {
    store.native_stack_base = frame;
  } else if (frame < store.native_stack_base &&
             store.native_stack_base - frame > store.engine().config().max_host_stack_bytes) {
    return make_error(ErrorKind::exhaustion, "call stack exhausted");
  }
  Segment* seg = stack->enter(interp::entry_slots(store.engine().types(), func));
  if (seg == nullptr) return make_error(ErrorKind::exhaustion, "call stack exhausted");
  for (size_t i = 0; i < args.size(); ++i) seg->lo[i] = args[i].bits;

  // A nested invoke keeps the pending exception: its host caller may still
  // be about to return an earlier exception error to Wasm.
  if (store.invoke_depth == 0) {
    store.set_pending_exception(nullptr);
    store.start_budget();
  }
  ++store.invoke_depth;
  Status s = interp::call(store, *stack, func, seg->lo);
  --store.invoke_depth;
  std::vector<Value> results;
  if (s.ok()) {
    // Copying growth may have moved the segment: read it afresh.
    results.reserve(ft.results.size());
    for (size_t i = 0; i < ft.results.size(); ++i)
      results.push_back(Value{ft.results[i], result_bits(ft.results[i], seg->lo[i])});
  }
  stack->leave(seg);
  if (!s.ok()) return std::move(s).error();
  return results;
}

}  // namespace weft
