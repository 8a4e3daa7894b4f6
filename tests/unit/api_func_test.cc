// The C API's functions: host functions (with and without env), calls,
// types and arities, traps with their messages, origins and traces.
#include <string>

#include "api_test_util.h"

namespace weft::api_test {
namespace {

using ApiFunc = ApiTest;

int hello_calls = 0;

wasm_trap_t* hello_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  ++hello_calls;
  EXPECT_EQ(args->size, 0u);
  EXPECT_EQ(results->size, 0u);
  return nullptr;
}

// The standard's "hello" example: a host import called from Wasm.
TEST_F(ApiFunc, HelloCallsTheHostImport) {
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* hello = wasm_func_new(store_, type, hello_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(hello)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module (import "" "hello" (func $hello))
                                               (func (export "run") (call $hello) (call $hello))))",
                                          &imports, &exports);
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(exports.size, 1u);
  hello_calls = 0;
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[0]), &none, &none), nullptr);
  EXPECT_EQ(hello_calls, 2);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(hello);
}

struct Counter {
  int calls = 0;
  int finalized = 0;
};

wasm_trap_t* add_with_env(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  auto* counter = static_cast<Counter*>(env);
  ++counter->calls;
  results->data[0].kind = WASM_I64;
  results->data[0].of.i64 = int64_t(args->data[0].of.i32) + args->data[1].of.i64;
  results->data[1].kind = WASM_F64;
  results->data[1].of.f64 = double(args->data[2].of.f32) * 2;
  return nullptr;
}

void finalize_counter(void* env) { ++static_cast<Counter*>(env)->finalized; }

// The standard's "callback" example: an env, several results, a finalizer
// that runs when the store goes.
TEST_F(ApiFunc, CallbackWithEnvAndFinalizer) {
  Counter counter;
  wasm_functype_t* type = wasm_functype_new_3_2(wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_f32(),
                                                wasm_valtype_new_i64(), wasm_valtype_new_f64());
  wasm_func_t* f = wasm_func_new_with_env(store_, type, add_with_env, &counter, finalize_counter);
  wasm_functype_delete(type);
  EXPECT_EQ(wasm_func_param_arity(f), 3u);
  EXPECT_EQ(wasm_func_result_arity(f), 2u);
  wasm_functype_t* got = wasm_func_type(f);
  EXPECT_EQ(wasm_valtype_kind(wasm_functype_results(got)->data[1]), WASM_F64);
  wasm_functype_delete(got);

  // Directly, and through Wasm.
  wasm_val_t arg_data[] = {WASM_I32_VAL(-5), WASM_I64_VAL(1000000000000), WASM_F32_VAL(1.25f)};
  wasm_val_t result_data[] = {WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg_data), results = WASM_ARRAY_VEC(result_data);
  EXPECT_EQ(wasm_func_call(f, &args, &results), nullptr);
  EXPECT_EQ(result_data[0].kind, WASM_I64);
  EXPECT_EQ(result_data[0].of.i64, 999999999995);
  EXPECT_EQ(result_data[1].of.f64, 2.5);

  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (import "" "f" (func $f (param i32 i64 f32) (result i64 f64)))
      (func (export "run") (result i64)
        (call $f (i32.const 1) (i64.const 2) (f32.const 3)) (drop))))",
                                          &imports, &exports);
  ASSERT_NE(instance, nullptr);
  wasm_val_t run_result[] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, run_results = WASM_ARRAY_VEC(run_result);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[0]), &none, &run_results), nullptr);
  EXPECT_EQ(run_result[0].of.i64, 3);
  EXPECT_EQ(counter.calls, 2);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(f);

  EXPECT_EQ(counter.finalized, 0);  // deleting the handle does not finalize
  delete_store();
  EXPECT_EQ(counter.finalized, 1);
}

TEST_F(ApiFunc, CallChecksArgumentsAndResults) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance =
      instantiate("(module (func (export \"id\") (param i32) (result i32) (local.get 0)))", nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  const wasm_func_t* id = wasm_extern_as_func_const(exports.data[0]);

  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t results = WASM_ARRAY_VEC(result_data);
  wasm_trap_t* trap = wasm_func_call(id, &none, &results);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "wrong number of arguments: expected 1, got 0");
  wasm_trap_delete(trap);

  wasm_val_t wrong_kind[] = {WASM_I64_VAL(1)};
  wasm_val_vec_t wrong = WASM_ARRAY_VEC(wrong_kind);
  trap = wasm_func_call(id, &wrong, &results);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "argument 0 does not have type i32");
  wasm_trap_delete(trap);

  wasm_val_t arg_data[] = {WASM_I32_VAL(7)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg_data);
  trap = wasm_func_call(id, &args, &none);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "results vector too small: 1 results, room for 0");
  wasm_trap_delete(trap);

  EXPECT_EQ(wasm_func_call(id, &args, &results), nullptr);
  EXPECT_EQ(result_data[0].of.i32, 7);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

wasm_store_t* trap_store = nullptr;

wasm_trap_t* failing_callback(const wasm_val_vec_t*, wasm_val_vec_t*) {
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "host says no");
  wasm_trap_t* trap = wasm_trap_new(trap_store, &message);
  wasm_byte_vec_delete(&message);
  return trap;
}

// The standard's "trap" example: a host trap and a Wasm trap, with the
// frames of the Wasm functions they passed through.
TEST_F(ApiFunc, TrapsHaveMessagesOriginsAndTraces) {
  trap_store = store_;
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* fail = wasm_func_new(store_, type, failing_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(fail)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (import "" "fail" (func $fail))
      (func $inner (call $fail))
      (func (export "host_trap") (call $inner))
      (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
      (func (export "wasm_trap") (result i32) (call $div (i32.const 0)))))",
                                          &imports, &exports);
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(exports.size, 2u);
  wasm_val_vec_t none = WASM_EMPTY_VEC;

  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &none, &none);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "host says no");
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  ASSERT_EQ(trace.size, 2u);  // $inner, then host_trap (the host function has no frame)
  EXPECT_EQ(wasm_frame_func_index(trace.data[0]), 1u);
  EXPECT_EQ(wasm_frame_func_index(trace.data[1]), 2u);
  EXPECT_EQ(wasm_frame_func_offset(trace.data[0]), 0u);
  EXPECT_GT(wasm_frame_module_offset(trace.data[0]), 0u);
  EXPECT_LT(wasm_frame_module_offset(trace.data[0]), wasm_frame_module_offset(trace.data[1]));
  EXPECT_TRUE(wasm_instance_same(wasm_frame_instance(trace.data[0]), instance));
  wasm_frame_vec_t trace_copy;
  wasm_frame_vec_copy(&trace_copy, &trace);
  EXPECT_EQ(wasm_frame_func_index(trace_copy.data[1]), 2u);
  wasm_frame_vec_delete(&trace_copy);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);

  trap = wasm_func_call(wasm_extern_as_func(exports.data[1]), &none, nullptr);
  ASSERT_NE(trap, nullptr);  // a null results vector has no room
  EXPECT_EQ(message_of(trap), "results vector too small: 1 results, room for 0");
  wasm_trap_delete(trap);
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t results = WASM_ARRAY_VEC(result_data);
  trap = wasm_func_call(wasm_extern_as_func(exports.data[1]), &none, &results);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "integer divide by zero");
  wasm_frame_t* origin = wasm_trap_origin(trap);
  ASSERT_NE(origin, nullptr);
  EXPECT_EQ(wasm_frame_func_index(origin), 3u);
  wasm_frame_t* origin_copy = wasm_frame_copy(origin);
  EXPECT_EQ(wasm_frame_module_offset(origin_copy), wasm_frame_module_offset(origin));
  EXPECT_EQ(wasm_frame_instance(origin_copy), wasm_frame_instance(origin));
  wasm_frame_delete(origin_copy);
  wasm_frame_delete(origin);
  wasm_trap_delete(trap);

  wasm_frame_vec_t frames;
  wasm_frame_vec_new_empty(&frames);
  wasm_frame_vec_delete(&frames);
  wasm_frame_vec_new_uninitialized(&frames, 1);
  wasm_frame_vec_delete(&frames);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(fail);
}

TEST_F(ApiFunc, TrapsMadeByTheHost) {
  wasm_message_t message;
  wasm_name_new_from_string(&message, "no terminator");
  wasm_trap_t* trap = wasm_trap_new(store_, &message);
  wasm_byte_vec_delete(&message);
  wasm_message_t out;
  wasm_trap_message(trap, &out);
  ASSERT_EQ(out.size, 14u);
  EXPECT_EQ(out.data[13], '\0');
  wasm_byte_vec_delete(&out);
  EXPECT_EQ(wasm_trap_origin(trap), nullptr);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  EXPECT_EQ(trace.size, 0u);
  wasm_frame_vec_delete(&trace);

  wasm_trap_t* copy = wasm_trap_copy(trap);
  EXPECT_TRUE(wasm_trap_same(trap, copy));
  EXPECT_EQ(message_of(copy), "no terminator");
  wasm_trap_delete(trap);
  wasm_trap_delete(copy);
}

TEST_F(ApiFunc, StartFunctionTrapFailsInstantiation) {
  wasm_module_t* module = compile("(module (func $start unreachable) (start $start))");
  ASSERT_NE(module, nullptr);
  wasm_trap_t* trap = nullptr;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  EXPECT_EQ(wasm_instance_new(store_, module, &none, &trap), nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "unreachable");
  wasm_frame_t* origin = wasm_trap_origin(trap);
  ASSERT_NE(origin, nullptr);
  EXPECT_EQ(wasm_frame_func_index(origin), 0u);
  wasm_frame_delete(origin);
  wasm_trap_delete(trap);
  // Without a trap pointer the failure is only the null result.
  EXPECT_EQ(wasm_instance_new(store_, module, &none, nullptr), nullptr);
  wasm_module_delete(module);
}

TEST_F(ApiFunc, LinkErrorsAreTraps) {
  wasm_module_t* module = compile("(module (import \"m\" \"f\" (func (param i32))))");
  ASSERT_NE(module, nullptr);
  wasm_trap_t* trap = nullptr;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  EXPECT_EQ(wasm_instance_new(store_, module, &none, &trap), nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "wrong number of imports: expected 1, got 0");
  wasm_trap_delete(trap);

  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* wrong = wasm_func_new(store_, type, hello_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(wrong)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  EXPECT_EQ(wasm_instance_new(store_, module, &imports, &trap), nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "incompatible import type \"m\" \"f\"");
  wasm_trap_delete(trap);
  wasm_func_delete(wrong);
  wasm_module_delete(module);
}

wasm_func_t* reentry_target = nullptr;

// Calls back into Wasm from a host function.
wasm_trap_t* call_back(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_val_t inner_args[] = {WASM_I32_VAL(args->data[0].of.i32 - 1)};
  wasm_val_vec_t inner = WASM_ARRAY_VEC(inner_args);
  return wasm_func_call(reentry_target, &inner, results);
}

TEST_F(ApiFunc, HostFunctionsReenterWasm) {
  wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new(store_, type, call_back);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_extern_vec_t exports;
  // sum(n) = n + host(n) with host(n) = sum(n - 1), sum(0) = 0.
  wasm_instance_t* instance = instantiate(R"((module
      (import "" "host" (func $host (param i32) (result i32)))
      (func (export "sum") (param i32) (result i32)
        (if (result i32) (local.get 0)
          (then (i32.add (local.get 0) (call $host (local.get 0))))
          (else (i32.const 0))))))",
                                          &imports, &exports);
  ASSERT_NE(instance, nullptr);
  reentry_target = wasm_extern_as_func(exports.data[0]);
  wasm_val_t arg_data[] = {WASM_I32_VAL(10)};
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg_data), results = WASM_ARRAY_VEC(result_data);
  EXPECT_EQ(wasm_func_call(reentry_target, &args, &results), nullptr);
  EXPECT_EQ(result_data[0].of.i32, 55);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
}

wasm_trap_t* wrong_result(const wasm_val_vec_t*, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_F32;
  results->data[0].of.f32 = 1;
  return nullptr;
}

TEST_F(ApiFunc, HostResultsOfTheWrongKindTrap) {
  wasm_functype_t* type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new(store_, type, wrong_result);
  wasm_functype_delete(type);
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(result_data);
  wasm_trap_t* trap = wasm_func_call(host, &none, &results);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "host function returned result 0 of a wrong type");
  wasm_trap_delete(trap);
  wasm_func_delete(host);
}

}  // namespace
}  // namespace weft::api_test
