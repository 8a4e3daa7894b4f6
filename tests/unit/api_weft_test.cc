// weft.h beyond asynchronous calls: engine options on the config, fuel that
// lasts across calls, interrupts from another thread, errors as values.
#include <chrono>
#include <string>
#include <thread>

#include "api_test_util.h"
#include "weft.h"

namespace weft::api_test {
namespace {

std::string error_text(weft_error_t* e) {
  std::string s = e ? weft_error_message(e) : "";
  weft_error_delete(e);
  return s;
}

// An engine and store made from a config the test sets up.
class ApiWeft : public ::testing::Test {
 protected:
  void TearDown() override {
    if (store_) wasm_store_delete(store_);
    if (engine_) wasm_engine_delete(engine_);
  }
  void make(wasm_config_t* config) {
    engine_ = wasm_engine_new_with_config(config);
    store_ = wasm_store_new(engine_);
  }
  // The first export of a module instantiated without imports.
  wasm_func_t* first_export(std::string_view text) {
    wasm_byte_vec_t binary = wat_binary(text);
    wasm_module_t* module = wasm_module_new(store_, &binary);
    wasm_byte_vec_delete(&binary);
    EXPECT_NE(module, nullptr);
    if (!module) return nullptr;
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_instance_t* instance = wasm_instance_new(store_, module, &none, nullptr);
    wasm_module_delete(module);
    EXPECT_NE(instance, nullptr);
    if (!instance) return nullptr;
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_func_t* f = wasm_func_copy(wasm_extern_as_func(exports.data[0]));
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    return f;  // the store frees it
  }
  // Calls f(n) (one i32 parameter, no results): the trap message, or "".
  std::string call(wasm_func_t* f, int32_t n) {
    wasm_val_t arg = WASM_I32_VAL(n);
    wasm_val_vec_t args = {1, &arg};
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    wasm_trap_t* trap = wasm_func_call(f, &args, &none);
    if (!trap) return "";
    std::string m = message_of(trap);
    wasm_trap_delete(trap);
    return m;
  }

  wasm_engine_t* engine_ = nullptr;
  wasm_store_t* store_ = nullptr;
};

constexpr const char* kLoop = R"((module
  (func (export "loop") (param $n i32)
    (loop $again
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $n) (i32.const 0)))))))";

constexpr const char* kForever = R"((module (func (export "forever") (param i32) (loop $l (br $l)))))";

TEST_F(ApiWeft, OptionsOutOfRangeAreErrorsAndLeaveTheConfig) {
  wasm_config_t* config = wasm_config_new();
  EXPECT_NE(error_text(weft_config_initial_stack_bytes(config, 1)).find("initial stack size"), std::string::npos);
  EXPECT_NE(error_text(weft_config_max_cont_stacks(config, 0)), "");
  EXPECT_NE(error_text(weft_config_max_instances(config, 0)), "");
  // (A value outside the enumerators, which C callers can pass, is checked by api_c_program.c.)
  EXPECT_EQ(error_text(weft_config_stack_growth(config, WEFT_STACK_COPYING)), "");
  EXPECT_EQ(error_text(weft_config_initial_stack_bytes(config, 256)), "");
  EXPECT_EQ(error_text(weft_config_max_stack_bytes(config, 1 << 20)), "");
  EXPECT_EQ(error_text(weft_config_max_total_stack_bytes(config, 64 << 20)), "");
  EXPECT_EQ(error_text(weft_config_max_memory_pages(config, 2)), "");
  EXPECT_EQ(error_text(weft_config_max_table_elements(config, 100)), "");
  make(config);
  // The caps hold: a memory above 2 pages does not instantiate, deep
  // recursion exhausts the 1 MiB stack.
  wasm_byte_vec_t binary = wat_binary("(module (memory 3))");
  wasm_module_t* module = wasm_module_new(store_, &binary);
  wasm_byte_vec_delete(&binary);
  ASSERT_NE(module, nullptr);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t* trap = nullptr;
  EXPECT_EQ(wasm_instance_new(store_, module, &none, &trap), nullptr);
  ASSERT_NE(trap, nullptr);
  wasm_trap_delete(trap);
  wasm_module_delete(module);
  wasm_func_t* deep = first_export(R"((module (func $f (export "f") (param i32)
    (if (local.get 0) (then (call $f (i32.sub (local.get 0) (i32.const 1))))))))");
  EXPECT_EQ(call(deep, 1000), "");
  EXPECT_EQ(call(deep, 10000000), "call stack exhausted");
}

TEST_F(ApiWeft, PerCallFuel) {
  wasm_config_t* config = wasm_config_new();
  EXPECT_EQ(error_text(weft_config_fuel(config, 1000)), "");
  make(config);
  wasm_func_t* loop = first_export(kLoop);
  EXPECT_EQ(call(loop, 100), "");
  EXPECT_EQ(call(loop, 100), "");  // each call starts with 1000 again
  EXPECT_EQ(call(loop, 5000), "fuel exhausted");
  uint64_t left = 1;
  EXPECT_EQ(error_text(weft_store_fuel(store_, &left)), "");
  EXPECT_EQ(left, 0u);
}

TEST_F(ApiWeft, FuelThatLastsAcrossCallsCanBeReadAndRefilled) {
  wasm_config_t* config = wasm_config_new();
  EXPECT_EQ(error_text(weft_config_interruptible(config, true)), "");
  make(config);
  wasm_func_t* loop = first_export(kLoop);
  EXPECT_EQ(error_text(weft_store_set_fuel(store_, 10000)), "");
  uint64_t left = 0;
  EXPECT_EQ(error_text(weft_store_fuel(store_, &left)), "");
  EXPECT_EQ(left, 10000u);
  EXPECT_EQ(call(loop, 3000), "");
  EXPECT_EQ(error_text(weft_store_fuel(store_, &left)), "");
  EXPECT_LT(left, 10000u - 3000u + 1);
  EXPECT_GT(left, 10000u - 3000u - 100u);
  const uint64_t before = left;
  EXPECT_EQ(call(loop, 3000), "");
  EXPECT_EQ(error_text(weft_store_fuel(store_, &left)), "");
  EXPECT_LT(left, before - 2999);
  EXPECT_EQ(call(loop, 10000), "fuel exhausted");
  EXPECT_EQ(call(loop, 1), "fuel exhausted");  // still empty
  EXPECT_EQ(error_text(weft_store_set_fuel(store_, 1000000)), "");
  EXPECT_EQ(call(loop, 10000), "");
}

TEST_F(ApiWeft, FuelNeedsAMeteredEngine) {
  make(wasm_config_new());
  uint64_t left = 0;
  EXPECT_NE(error_text(weft_store_set_fuel(store_, 10)), "");
  EXPECT_NE(error_text(weft_store_fuel(store_, &left)), "");
  weft_interrupt_handle_t* handle = nullptr;
  EXPECT_NE(error_text(weft_interrupt_handle_new(store_, &handle)), "");
  EXPECT_EQ(handle, nullptr);
}

TEST_F(ApiWeft, InterruptFromAnotherThread) {
  wasm_config_t* config = wasm_config_new();
  EXPECT_EQ(error_text(weft_config_interruptible(config, true)), "");
  make(config);
  wasm_func_t* forever = first_export(kForever);
  weft_interrupt_handle_t* handle = nullptr;
  ASSERT_EQ(error_text(weft_interrupt_handle_new(store_, &handle)), "");
  std::thread stopper([handle] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    weft_interrupt(handle);
  });
  EXPECT_EQ(call(forever, 0), "interrupted");
  stopper.join();
  // The store goes on; the handle outlives it harmlessly.
  wasm_func_t* loop = first_export(kLoop);
  EXPECT_EQ(call(loop, 10), "");
  wasm_store_delete(store_);
  store_ = nullptr;
  weft_interrupt(handle);
  weft_interrupt_handle_delete(handle);
}

TEST_F(ApiWeft, DeadlineTrapsARunawayCall) {
  wasm_config_t* config = wasm_config_new();
  EXPECT_EQ(error_text(weft_config_deadline_ms(config, 10)), "");
  make(config);
  EXPECT_EQ(call(first_export(kForever), 0), "deadline exceeded");
}

TEST_F(ApiWeft, TrapFormatWithoutFramesAndFrameNamesWithoutANameSection) {
  make(wasm_config_new());
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "host says no");
  wasm_trap_t* trap = wasm_trap_new(store_, &msg);
  wasm_byte_vec_delete(&msg);
  wasm_message_t text;
  weft_trap_format(trap, &text);
  EXPECT_STREQ(text.data, "host says no");
  wasm_byte_vec_delete(&text);
  wasm_trap_delete(trap);
  // Built without names: frames are called func[N].
  wasm_byte_vec_t binary = wat_binary("(module (func (export \"f\") (param i32) unreachable))");
  wasm_module_t* module = wasm_module_new(store_, &binary);
  wasm_byte_vec_delete(&binary);
  ASSERT_NE(module, nullptr);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store_, module, &none, nullptr);
  wasm_module_delete(module);
  ASSERT_NE(instance, nullptr);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t arg = WASM_I32_VAL(0);
  wasm_val_vec_t args = {1, &arg};
  wasm_val_vec_t results = WASM_EMPTY_VEC;
  trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results);
  ASSERT_NE(trap, nullptr);
  wasm_frame_t* origin = wasm_trap_origin(trap);
  ASSERT_NE(origin, nullptr);
  wasm_name_t name;
  weft_frame_func_name(origin, &name);
  EXPECT_EQ(name_of(&name), "func[0]");
  wasm_byte_vec_delete(&name);
  weft_trap_format(trap, &text);
  const std::string formatted(text.data);
  EXPECT_EQ(formatted.rfind("unreachable\n  at func[0] (@0x", 0), 0u) << formatted;
  EXPECT_EQ(formatted.back(), ')') << formatted;
  EXPECT_EQ(formatted.find('\n', 13), std::string::npos) << formatted;  // one frame
  wasm_byte_vec_delete(&text);
  wasm_frame_delete(origin);
  wasm_trap_delete(trap);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  weft_interrupt(nullptr);  // no handle: nothing happens
}

TEST_F(ApiWeft, ErrorsHaveMessages) {
  EXPECT_STREQ(weft_error_message(nullptr), "");
  weft_error_delete(nullptr);
  wasm_config_t* config = wasm_config_new();
  weft_error_t* e = weft_config_max_cont_stacks(config, 0);
  ASSERT_NE(e, nullptr);
  EXPECT_NE(std::string(weft_error_message(e)).find("between 1 and"), std::string::npos);
  weft_error_delete(e);
  wasm_config_delete(config);
}

}  // namespace
}  // namespace weft::api_test
