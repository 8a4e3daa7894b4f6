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

  // A host function called from Wasm re-enters on the calling stack, above
  // its live frames (which may be a continuation's stack).
  Stack* stack = store.current_stack();
  if (!stack) return make_error(ErrorKind::exhaustion, "cannot reserve the Wasm stack");
  if (store.invoke_depth >= store.engine().config().max_host_reentry)
    return make_error(ErrorKind::exhaustion, "call stack exhausted");
  const uintptr_t frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (store.invoke_depth == 0) {
    store.native_stack_base = frame;
  } else if (frame < store.native_stack_base &&
             store.native_stack_base - frame > store.engine().config().max_host_stack_bytes) {
    return make_error(ErrorKind::exhaustion, "call stack exhausted");
  }
  uint64_t* fp = stack->top;
  if (!stack->fits(fp, std::max(ft.params.size(), ft.results.size()), 1))
    return make_error(ErrorKind::exhaustion, "call stack exhausted");
  for (size_t i = 0; i < args.size(); ++i) fp[i] = args[i].bits;

  // A nested invoke keeps the pending exception: its host caller may still
  // be about to return an earlier exception error to Wasm.
  if (store.invoke_depth == 0) store.set_pending_exception(nullptr);
  ++store.invoke_depth;
  Status s = interp::call(store, *stack, func, fp);
  --store.invoke_depth;
  if (!s.ok()) return std::move(s).error();

  std::vector<Value> results;
  results.reserve(ft.results.size());
  for (size_t i = 0; i < ft.results.size(); ++i)
    results.push_back(Value{ft.results[i], result_bits(ft.results[i], fp[i])});
  return results;
}

}  // namespace weft
