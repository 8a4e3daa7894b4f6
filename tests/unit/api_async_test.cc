// weft.h's asynchronous host calls: a host function answers "pending", the
// call parks with all its stacks, the embedder completes the handle from its
// event loop and the call goes on.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "api_test_util.h"
#include "weft.h"

namespace weft::api_test {
namespace {

// The host side: an import "host" "io" (i32) -> i32 that answers pending and
// keeps the handle; the loop completes each with 10 * its argument.
struct AsyncHost {
  wasm_store_t* store = nullptr;
  std::vector<std::pair<weft_pending_t*, int32_t>> waiting;
  int ready_callbacks = 0;
  std::vector<weft_call_t*> ready_calls;
  bool synchronous = false;  // answer at once instead (for mixed tests)
};

wasm_trap_t* io_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  auto* host = static_cast<AsyncHost*>(env);
  if (host->synchronous) {
    results->data[0] = WASM_I32_VAL(args->data[0].of.i32 * 10);
    return nullptr;
  }
  weft_pending_t* pending = nullptr;
  wasm_trap_t* answer = weft_pending_new(host->store, &pending);
  host->waiting.emplace_back(pending, args->data[0].of.i32);
  return answer;
}

void on_ready(void* env, weft_call_t* call) {
  auto* host = static_cast<AsyncHost*>(env);
  ++host->ready_callbacks;
  host->ready_calls.push_back(call);
}

std::string error_text(weft_error_t* e) {
  std::string s = e ? weft_error_message(e) : "";
  weft_error_delete(e);
  return s;
}

class ApiAsync : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    host_.store = store_;
    wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
    io_ = wasm_func_new_with_env(store_, type, io_callback, &host_, nullptr);
    wasm_functype_delete(type);
    weft_store_set_ready_callback(store_, on_ready, &host_);
  }
  void TearDown() override {
    wasm_extern_vec_delete(&exports_);
    if (instance_) wasm_instance_delete(instance_);
    wasm_func_delete(io_);
    ApiTest::TearDown();
  }

  // Instantiates a module whose only import is host.io.
  void load(std::string_view text) {
    wasm_extern_t* externs[] = {wasm_func_as_extern(io_)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
    instance_ = instantiate(text, &imports, &exports_);
    ASSERT_NE(instance_, nullptr);
  }
  wasm_func_t* export_func(size_t i) { return wasm_extern_as_func(exports_.data[i]); }

  // Completes every waiting handle with 10 * its argument.
  void complete_all() {
    auto waiting = std::move(host_.waiting);
    host_.waiting.clear();
    for (auto [pending, arg] : waiting) {
      wasm_val_t result = WASM_I32_VAL(arg * 10);
      wasm_val_vec_t results = {1, &result};
      EXPECT_EQ(error_text(weft_pending_complete(pending, &results)), "");
    }
  }

  static int32_t i32_result(const weft_call_t* call) {
    wasm_val_vec_t results;
    weft_call_results(call, &results);
    EXPECT_EQ(results.size, 1u);
    const int32_t v = results.size == 1 ? results.data[0].of.i32 : -1;
    wasm_val_vec_delete(&results);
    return v;
  }

  static std::string trap_message(const weft_call_t* call) {
    wasm_trap_t* trap = weft_call_trap(call);
    if (!trap) return "";
    std::string m = message_of(trap);
    wasm_trap_delete(trap);
    return m;
  }

  weft_call_t* start(wasm_func_t* f, int32_t arg) {
    wasm_val_t a = WASM_I32_VAL(arg);
    wasm_val_vec_t args = {1, &a};
    weft_call_t* call = weft_call_new(f, &args);
    EXPECT_EQ(error_text(weft_call_run(call)), "");
    return call;
  }

  AsyncHost host_;
  wasm_func_t* io_ = nullptr;
  wasm_instance_t* instance_ = nullptr;
  wasm_extern_vec_t exports_ = WASM_EMPTY_VEC;
};

constexpr const char* kAddIo = R"((module
  (import "host" "io" (func $io (param i32) (result i32)))
  (func (export "add_io") (param i32) (result i32)
    (i32.add (i32.const 1) (call $io (local.get 0))))))";

TEST_F(ApiAsync, PendingHostCallCompletedFromAnEventLoop) {
  load(kAddIo);
  weft_call_t* call = start(export_func(0), 4);
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_PENDING);
  EXPECT_EQ(weft_store_parked_calls(store_), 1u);
  ASSERT_EQ(host_.waiting.size(), 1u);
  EXPECT_EQ(host_.waiting[0].second, 4);

  // The loop waits on the ready descriptor: nothing is ready yet.
  const int fd = weft_store_ready_fd(store_);
  ASSERT_GE(fd, 0);
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 0);

  complete_all();
  EXPECT_EQ(weft_call_state(call), WEFT_CALL_READY);
  EXPECT_EQ(poll(&p, 1, 0), 1);
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(poll(&p, 1, 0), 0);  // drained
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_FINISHED);
  EXPECT_EQ(i32_result(call), 41);
  EXPECT_EQ(weft_store_parked_calls(store_), 0u);
  weft_call_delete(call);
}

TEST_F(ApiAsync, ReadyCallbackFiresOncePerCompletion) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (func (export "twice") (param i32) (result i32)
      (i32.add (call $io (local.get 0)) (call $io (i32.const 2))))))");
  weft_call_t* call = start(export_func(0), 1);
  EXPECT_EQ(host_.ready_callbacks, 0);
  complete_all();
  EXPECT_EQ(host_.ready_callbacks, 1);
  ASSERT_EQ(host_.ready_calls.size(), 1u);
  EXPECT_EQ(host_.ready_calls[0], call);
  EXPECT_EQ(error_text(weft_call_run(call)), "");
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_PENDING);  // the second io
  EXPECT_EQ(host_.ready_callbacks, 1);
  complete_all();
  EXPECT_EQ(host_.ready_callbacks, 2);
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(i32_result(call), 30);
  weft_call_delete(call);
}

TEST_F(ApiAsync, TenThousandCallsParkedInOneStore) {
  load(kAddIo);
  constexpr int kCalls = 10000;
  std::vector<weft_call_t*> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(start(export_func(0), i));
    ASSERT_EQ(weft_call_state(calls.back()), WEFT_CALL_PENDING);
  }
  EXPECT_EQ(weft_store_parked_calls(store_), size_t(kCalls));
  // Complete them in reverse order: each resumes with its own frames.
  std::reverse(host_.waiting.begin(), host_.waiting.end());
  complete_all();
  EXPECT_EQ(host_.ready_callbacks, kCalls);
  EXPECT_EQ(weft_store_run_ready(store_), size_t(kCalls));
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_EQ(weft_call_state(calls[i]), WEFT_CALL_FINISHED);
    EXPECT_EQ(i32_result(calls[i]), 10 * i + 1);
    weft_call_delete(calls[i]);
  }
  EXPECT_EQ(weft_store_parked_calls(store_), 0u);
}

TEST_F(ApiAsync, CancelFreesTheCallAndTheStoreStaysUsable) {
  load(kAddIo);
  weft_call_t* a = start(export_func(0), 1);
  ASSERT_EQ(weft_call_state(a), WEFT_CALL_PENDING);
  weft_pending_t* orphan = host_.waiting[0].first;
  host_.waiting.clear();
  weft_call_delete(a);
  EXPECT_EQ(weft_store_parked_calls(store_), 0u);
  // Its handle reports the cancellation (and is consumed).
  wasm_val_t result = WASM_I32_VAL(0);
  wasm_val_vec_t results = {1, &result};
  EXPECT_NE(error_text(weft_pending_complete(orphan, &results)).find("cancelled"), std::string::npos);
  EXPECT_EQ(host_.ready_callbacks, 0);

  // A ready call can be cancelled too; then the store runs another call.
  weft_call_t* b = start(export_func(0), 2);
  complete_all();
  ASSERT_EQ(weft_call_state(b), WEFT_CALL_READY);
  weft_call_delete(b);
  EXPECT_EQ(weft_store_run_ready(store_), 0u);
  weft_call_t* c = start(export_func(0), 3);
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(i32_result(c), 31);
  weft_call_delete(c);
}

TEST_F(ApiAsync, WhileOneCallIsParkedAnotherRunsToCompletion) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (func (export "add_io") (param i32) (result i32)
      (i32.add (i32.const 1) (call $io (local.get 0))))
    (func $fac (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0))
        (then (i64.const 1))
        (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))))");
  weft_call_t* a = start(export_func(0), 5);
  ASSERT_EQ(weft_call_state(a), WEFT_CALL_PENDING);
  // B: asynchronous, never pends.
  wasm_val_t arg = WASM_I64_VAL(20);
  wasm_val_vec_t args = {1, &arg};
  weft_call_t* b = weft_call_new(export_func(1), &args);
  EXPECT_EQ(error_text(weft_call_run(b)), "");
  ASSERT_EQ(weft_call_state(b), WEFT_CALL_FINISHED);
  wasm_val_vec_t out;
  weft_call_results(b, &out);
  ASSERT_EQ(out.size, 1u);
  EXPECT_EQ(out.data[0].of.i64, 2432902008176640000);
  wasm_val_vec_delete(&out);
  weft_call_delete(b);
  // And a synchronous call too.
  wasm_val_t res = WASM_INIT_VAL;
  wasm_val_vec_t results = {1, &res};
  EXPECT_EQ(wasm_func_call(export_func(1), &args, &results), nullptr);
  EXPECT_EQ(res.of.i64, 2432902008176640000);
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(i32_result(a), 51);
  weft_call_delete(a);
}

TEST_F(ApiAsync, DeepRecursionBeforeThePendingCall) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (func $deep (export "deep") (param $n i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n))
        (then (call $io (i32.const 1)))
        (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))))");
  weft_call_t* call = start(export_func(0), 100000);
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_PENDING);
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(i32_result(call), 100010);
  weft_call_delete(call);
}

// The pending call is made inside a continuation, which then suspends to its
// handler with the result; the handler resumes it to its end.
TEST_F(ApiAsync, PendingInsideAContinuationThenSuspend) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (type $ft (func (result i32)))
    (type $ct (cont $ft))
    (tag $yield (param i32))
    (func $task (result i32)
      (suspend $yield (call $io (i32.const 5)))
      (call $io (i32.const 7)))
    (elem declare func $task)
    (func (export "run") (result i32)
      (local $k (ref null $ct))
      (block $on_yield (result i32 (ref $ct))
        (resume $ct (on $yield $on_yield) (cont.new $ct (ref.func $task)))
        (return))
      (local.set $k)
      (i32.add (resume $ct (local.get $k))))))");
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  weft_call_t* call = weft_call_new(export_func(0), &none);
  EXPECT_EQ(error_text(weft_call_run(call)), "");
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_PENDING);
  complete_all();  // io(5) = 50: the task suspends with it; the handler resumes it
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_PENDING);  // io(7), inside the resumed task
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_FINISHED) << trap_message(call);
  EXPECT_EQ(i32_result(call), 120);
  weft_call_delete(call);
}

// A continuation whose own function is the asynchronous import, and a tail
// call of it: both park and give their results to the right place.
TEST_F(ApiAsync, HostFunctionAsAContinuationAndAsATailCall) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (type $ft (func (param i32) (result i32)))
    (type $ct (cont $ft))
    (elem declare func $io)
    (func (export "cont") (param i32) (result i32)
      (i32.add (i32.const 2) (resume $ct (local.get 0) (cont.new $ct (ref.func $io)))))
    (func $tail (param i32) (result i32) (return_call $io (local.get 0)))
    (func (export "tail") (param i32) (result i32)
      (i32.add (i32.const 3) (call $tail (local.get 0))))))");
  weft_call_t* c = start(export_func(0), 4);
  weft_call_t* t = start(export_func(1), 6);
  ASSERT_EQ(weft_call_state(c), WEFT_CALL_PENDING);
  ASSERT_EQ(weft_call_state(t), WEFT_CALL_PENDING);
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 2u);
  EXPECT_EQ(i32_result(c), 42);
  EXPECT_EQ(i32_result(t), 63);
  weft_call_delete(c);
  weft_call_delete(t);
}

TEST_F(ApiAsync, TheImportItselfAsTheCall) {
  wasm_val_t a = WASM_I32_VAL(9);
  wasm_val_vec_t args = {1, &a};
  weft_call_t* call = weft_call_new(io_, &args);
  EXPECT_EQ(error_text(weft_call_run(call)), "");
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_PENDING);
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(i32_result(call), 90);
  weft_call_delete(call);
}

TEST_F(ApiAsync, TrapAfterResumingCarriesTheFramesFromBefore) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (func $inner (param i32) (result i32)
      (if (i32.eq (call $io (local.get 0)) (i32.const 10)) (then unreachable))
      (i32.const 0))
    (func $outer (export "outer") (param i32) (result i32)
      (i32.add (i32.const 1) (call $inner (local.get 0))))))");
  weft_call_t* call = start(export_func(0), 1);
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_TRAPPED);
  wasm_trap_t* trap = weft_call_trap(call);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "unreachable");
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  ASSERT_EQ(frames.size, 2u);
  std::vector<std::string> names;
  for (size_t i = 0; i < frames.size; ++i) {
    wasm_name_t name;
    weft_frame_func_name(frames.data[i], &name);
    names.push_back(name_of(&name));
    wasm_byte_vec_delete(&name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"inner", "outer"}));
  EXPECT_EQ(wasm_frame_func_index(frames.data[0]), 1u);
  EXPECT_EQ(wasm_frame_func_index(frames.data[1]), 2u);
  wasm_frame_vec_delete(&frames);
  wasm_message_t text;
  weft_trap_format(trap, &text);
  const std::string formatted(text.data);
  EXPECT_EQ(formatted.rfind("unreachable\n  at inner (func[1] @0x", 0), 0u) << formatted;
  EXPECT_NE(formatted.find("\n  at outer (func[2] @0x"), std::string::npos) << formatted;
  wasm_byte_vec_delete(&text);
  wasm_trap_delete(trap);
  weft_call_delete(call);
}

TEST_F(ApiAsync, FailingThePendingCallTrapsWhereItWasParked) {
  load(kAddIo);
  weft_call_t* call = start(export_func(0), 1);
  ASSERT_EQ(host_.waiting.size(), 1u);
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "disk on fire");
  EXPECT_EQ(error_text(weft_pending_fail(host_.waiting[0].first, wasm_trap_new(store_, &msg))), "");
  wasm_byte_vec_delete(&msg);
  host_.waiting.clear();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_TRAPPED);
  EXPECT_EQ(trap_message(call), "disk on fire");
  weft_call_delete(call);
}

TEST_F(ApiAsync, CompletingWithWrongResultsIsAnErrorAndTheCallTraps) {
  load(kAddIo);
  weft_call_t* call = start(export_func(0), 1);
  wasm_val_t wrong = WASM_F64_VAL(1.5);
  wasm_val_vec_t results = {1, &wrong};
  EXPECT_NE(error_text(weft_pending_complete(host_.waiting[0].first, &results)).find("wrong type"),
            std::string::npos);
  host_.waiting.clear();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  ASSERT_EQ(weft_call_state(call), WEFT_CALL_TRAPPED);
  EXPECT_NE(trap_message(call).find("wrong type"), std::string::npos);
  weft_call_delete(call);
}

TEST_F(ApiAsync, PendingInASynchronousCallTraps) {
  load(kAddIo);
  wasm_val_t a = WASM_I32_VAL(1);
  wasm_val_vec_t args = {1, &a};
  wasm_val_t r = WASM_INIT_VAL;
  wasm_val_vec_t results = {1, &r};
  wasm_trap_t* trap = wasm_func_call(export_func(0), &args, &results);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap).find("returned pending in a synchronous call"), std::string::npos) << message_of(trap);
  wasm_trap_delete(trap);
  // The handle it made has no call: completing it says so.
  ASSERT_EQ(host_.waiting.size(), 1u);
  wasm_val_t v = WASM_I32_VAL(0);
  wasm_val_vec_t vs = {1, &v};
  EXPECT_NE(error_text(weft_pending_complete(host_.waiting[0].first, &vs)), "");
  host_.waiting.clear();
  EXPECT_EQ(host_.ready_callbacks, 0);
}

TEST_F(ApiAsync, MisuseIsAnError) {
  load(kAddIo);
  weft_call_t* call = start(export_func(0), 1);
  EXPECT_NE(error_text(weft_call_run(call)).find("pending"), std::string::npos);
  complete_all();
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_NE(error_text(weft_call_run(call)).find("finished"), std::string::npos);
  weft_call_delete(call);
  EXPECT_NE(error_text(weft_call_run(nullptr)), "");
  EXPECT_EQ(weft_call_new(nullptr, nullptr), nullptr);
  // Wrong arguments: the call traps without running.
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  weft_call_t* bad = weft_call_new(export_func(0), &none);
  ASSERT_EQ(weft_call_state(bad), WEFT_CALL_TRAPPED);
  EXPECT_NE(trap_message(bad).find("wrong number of arguments"), std::string::npos);
  EXPECT_NE(error_text(weft_call_run(bad)), "");
  weft_call_delete(bad);
}

TEST_F(ApiAsync, CallsKeepTheEmbeddersData) {
  load(kAddIo);
  weft_call_t* call = start(export_func(0), 2);
  EXPECT_EQ(weft_call_data(call), nullptr);
  int marker = 0;
  weft_call_set_data(call, &marker);
  complete_all();
  ASSERT_EQ(host_.ready_calls.size(), 1u);
  EXPECT_EQ(weft_call_data(host_.ready_calls[0]), &marker);  // the ready callback finds it again
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(weft_call_data(call), &marker);
  // Results and traps are empty in the wrong state.
  EXPECT_EQ(weft_call_trap(call), nullptr);
  weft_call_delete(call);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  weft_call_t* fresh = weft_call_new(export_func(0), &none);
  wasm_val_vec_t results;
  weft_call_results(fresh, &results);
  EXPECT_EQ(results.size, 0u);
  wasm_val_vec_delete(&results);
  weft_call_delete(fresh);
}

// A ready descriptor asked for after calls became ready is readable at once.
TEST_F(ApiAsync, ReadyDescriptorCountsEarlierCompletions) {
  load(kAddIo);
  weft_call_t* call = start(export_func(0), 3);
  complete_all();
  const int fd = weft_store_ready_fd(store_);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(weft_store_ready_fd(store_), fd);  // one per store
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 1);
  EXPECT_EQ(weft_store_run_ready(store_), 1u);
  EXPECT_EQ(poll(&p, 1, 0), 0);
  EXPECT_EQ(i32_result(call), 31);
  weft_call_delete(call);
}

// A host function that tries to run a call while its own call runs.
struct Reentry {
  weft_call_t* other = nullptr;
  std::string error;
};

wasm_trap_t* reenter(void* env, const wasm_val_vec_t*, wasm_val_vec_t*) {
  auto* r = static_cast<Reentry*>(env);
  r->error = error_text(weft_call_run(r->other));
  return nullptr;
}

TEST_F(ApiAsync, RunningACallFromInsideACallIsAnError) {
  Reentry r;
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* f = wasm_func_new_with_env(store_, type, reenter, &r, nullptr);
  wasm_functype_delete(type);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  r.other = weft_call_new(f, &none);
  weft_call_t* outer = weft_call_new(f, &none);
  EXPECT_EQ(error_text(weft_call_run(outer)), "");
  EXPECT_EQ(weft_call_state(outer), WEFT_CALL_FINISHED);
  EXPECT_NE(r.error.find("another call"), std::string::npos) << r.error;
  EXPECT_EQ(weft_call_state(r.other), WEFT_CALL_NEW);
  weft_call_delete(outer);
  weft_call_delete(r.other);
  wasm_func_delete(f);
}

// Deleting the store with parked calls and open handles frees everything
// (the sanitizer build's leak check sees it).
TEST_F(ApiAsync, DeletingTheStoreWithParkedCallsFreesEverything) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (type $ft (func (result i32)))
    (type $ct (cont $ft))
    (func $task (result i32) (call $io (i32.const 5)))
    (elem declare func $task)
    (func (export "run") (result i32) (resume $ct (cont.new $ct (ref.func $task))))
    (func $deep (export "deep") (param $n i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n))
        (then (call $io (i32.const 1)))
        (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))))");
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  for (int i = 0; i < 100; ++i) {
    weft_call_t* c = weft_call_new(export_func(0), &none);  // left to the store
    EXPECT_EQ(error_text(weft_call_run(c)), "");
    start(export_func(1), 1000);
  }
  // Some become ready, the rest stay pending.
  host_.waiting.resize(50);
  complete_all();
  host_.waiting.clear();
  EXPECT_EQ(weft_store_parked_calls(store_), 200u);
  wasm_extern_vec_delete(&exports_);
  exports_ = WASM_EMPTY_VEC;
  wasm_instance_delete(instance_);
  instance_ = nullptr;
  wasm_func_delete(io_);
  io_ = nullptr;
  delete_store();
}

}  // namespace
}  // namespace weft::api_test
