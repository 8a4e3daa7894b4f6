// Invocation from the host (exec/modules.rst "Invocation").
#include <algorithm>
#include <string>

#include "interp/interp.h"
#include "runtime/async.h"
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

Status check_args(const FuncType& ft, const std::vector<Value>& args) {
  if (args.size() != ft.params.size())
    return make_error(ErrorKind::trap, "wrong number of arguments: expected " + std::to_string(ft.params.size()) +
                                           ", got " + std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i)
    if (!fits_type(args[i], ft.params[i]))
      return make_error(ErrorKind::trap, "argument " + std::to_string(i) + " has type " + to_string(args[i].type) +
                                             ", expected " + to_string(ft.params[i]));
  return Status::Ok();
}

void read_results(const FuncType& ft, const uint64_t* slots, std::vector<Value>* results) {
  results->clear();
  results->reserve(ft.results.size());
  for (size_t i = 0; i < ft.results.size(); ++i)
    results->push_back(Value{ft.results[i], result_bits(ft.results[i], slots[i])});
}

// An asynchronous call's run (start, or resume with the pending host
// function's results or `failure`), as the outermost call of the store: the
// budget (fuel, deadline) starts afresh for each.
Status run_async(Store& store, AsyncRun& run, bool start, Error* failure, std::vector<Value>* results) {
  const FuncType& ft = run.func->type(store.engine().types());
  Stack& stack = *run.stack;
  store.native_stack_base = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  // A failure that is an exception rethrows the store's pending exception.
  if (failure == nullptr || failure->kind != ErrorKind::exception) store.set_pending_exception(nullptr);
  store.start_budget();
  run.parked.failure = failure;
  ++store.invoke_depth;
  Status s = start ? interp::call_parkable(store, stack, run.func, stack.first.lo, &run.parked)
                   : interp::resume(store, stack, &run.parked);
  --store.invoke_depth;
  run.parked.failure = nullptr;
  if (!s.ok() && s.error().kind == ErrorKind::pending) return s;
  if (s.ok()) read_results(ft, stack.first.lo, results);
  store.stack_pool().release(run.stack);
  run.stack = nullptr;
  return s;
}

Status check_not_running(const Store& store) {
  if (store.invoke_depth != 0)
    return make_error(ErrorKind::trap,
                      "an asynchronous call cannot start or resume while another call runs in the same store");
  return Status::Ok();
}

}  // namespace

Status invoke_async(Store& store, AsyncRun& run, Function* func, const std::vector<Value>& args,
                    std::vector<Value>* results) {
  if (run.is_parked()) return make_error(ErrorKind::trap, "the asynchronous call has already started");
  WEFT_CHECK(check_not_running(store));
  const TypeRegistry& types = store.engine().types();
  WEFT_CHECK(check_args(func->type(types), args));
  Stack* stack = store.stack_pool().acquire();
  if (stack == nullptr) return make_error(ErrorKind::exhaustion, "cannot allocate a stack for the call");
  if (!stack->reserve_first(interp::entry_slots(types, func))) {
    store.stack_pool().release(stack);
    return make_error(ErrorKind::exhaustion, "call stack exhausted");
  }
  stack->seg = &stack->first;
  for (size_t i = 0; i < args.size(); ++i) stack->first.lo[i] = args[i].bits;
  run.func = func;
  run.stack = stack;
  return run_async(store, run, true, nullptr, results);
}

Status resume_async(Store& store, AsyncRun& run, std::vector<Value>* results) {
  if (!run.is_parked()) return make_error(ErrorKind::trap, "the asynchronous call is not parked");
  WEFT_CHECK(check_not_running(store));
  return run_async(store, run, false, nullptr, results);
}

Status fail_async(Store& store, AsyncRun& run, Error error, std::vector<Value>* results) {
  if (!run.is_parked()) return make_error(ErrorKind::trap, "the asynchronous call is not parked");
  WEFT_CHECK(check_not_running(store));
  return run_async(store, run, false, &error, results);
}

void cancel_async(Store& store, AsyncRun& run) {
  if (!run.is_parked()) return;
  interp::abandon(store, *run.stack, &run.parked);
  store.stack_pool().release(run.stack);
  run.stack = nullptr;
}

Status invoke_slots(Store& store, Function* func, const uint64_t* args, uint64_t* results) {
  const FuncType& ft = func->type(store.engine().types());
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
  std::copy(args, args + ft.params.size(), seg->lo);

  // A nested invoke keeps the pending exception: its host caller may still
  // be about to return an earlier exception error to Wasm.
  if (store.invoke_depth == 0) {
    store.set_pending_exception(nullptr);
    store.start_budget();
  }
  ++store.invoke_depth;
  Status s = interp::call(store, *stack, func, seg->lo);
  --store.invoke_depth;
  if (s.ok()) {
    // Copying growth may have moved the segment: read it afresh.
    for (size_t i = 0; i < ft.results.size(); ++i) results[i] = result_bits(ft.results[i], seg->lo[i]);
  }
  stack->leave(seg);
  return s;
}

Result<std::vector<Value>> invoke(Store& store, Function* func, const std::vector<Value>& args) {
  const FuncType& ft = func->type(store.engine().types());
  WEFT_CHECK(check_args(ft, args));
  std::vector<uint64_t> slots(std::max(ft.params.size(), ft.results.size()));
  for (size_t i = 0; i < args.size(); ++i) slots[i] = args[i].bits;
  WEFT_CHECK(invoke_slots(store, func, slots.data(), slots.data()));
  std::vector<Value> results;
  results.reserve(ft.results.size());
  for (size_t i = 0; i < ft.results.size(); ++i) results.push_back(Value{ft.results[i], slots[i]});
  return results;
}

}  // namespace weft
