/* A C11 program against include/wasm.h (compiled with -std=c11 -pedantic
 * -Wall -Wextra -Werror): it links a host function with an env and a
 * finalizer, calls an export, reads a global and a memory, reflects over the
 * imports and catches a trap with its origin. Exit status 0 iff all checks
 * pass; the unit test ApiCProgram.Runs runs it. */
#include <stdio.h>
#include <string.h>

#include "wasm.h"
#include "weft.h"

/* (module
 *   (import "host" "hello" (func $hello (param i32) (result i32)))
 *   (memory (export "memory") 1)
 *   (global (export "counter") (mut i32) (i32.const 7))
 *   (func (export "run") (param i32) (result i32)
 *     (i32.add (call $hello (local.get 0)) (i32.const 1)))
 *   (func (export "fail") unreachable)) */
static const byte_t kModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x0e, 0x01, 0x04, 0x68,
    0x6f, 0x73, 0x74, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0x00, 0x03,
    0x03, 0x02, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01,
    0x7f, 0x01, 0x41, 0x07, 0x0b, 0x07, 0x21, 0x04, 0x06, 0x6d, 0x65, 0x6d,
    0x6f, 0x72, 0x79, 0x02, 0x00, 0x07, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x65,
    0x72, 0x03, 0x00, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x04, 0x66, 0x61,
    0x69, 0x6c, 0x00, 0x02, 0x0a, 0x0f, 0x02, 0x09, 0x00, 0x20, 0x00, 0x10,
    0x00, 0x41, 0x01, 0x6a, 0x0b, 0x03, 0x00, 0x00, 0x0b,
};

static int failures = 0;

static void check(int ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "api_c_program: FAILED: %s\n", what);
    ++failures;
  }
}

struct host_env {
  int calls;
  int finalized;
};

/* Doubles its argument, counting calls in its env. */
static wasm_trap_t* hello(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  struct host_env* e = (struct host_env*)env;
  e->calls++;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 * 2;
  return NULL;
}

static void finalize_env(void* env) { ((struct host_env*)env)->finalized++; }

int main(void) {
  struct host_env env = {0, 0};
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);

  wasm_byte_vec_t binary;
  wasm_byte_vec_new(&binary, sizeof kModule, kModule);
  check(wasm_module_validate(store, &binary), "module validates");
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  check(module != NULL, "module compiles");
  if (!module) return 1;

  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  check(imports.size == 1, "one import");
  if (imports.size == 1) {
    const wasm_name_t* name = wasm_importtype_name(imports.data[0]);
    check(name->size == 5 && memcmp(name->data, "hello", 5) == 0, "import name");
    check(wasm_externtype_kind(wasm_importtype_type(imports.data[0])) == WASM_EXTERN_FUNC, "import kind");
  }
  wasm_importtype_vec_delete(&imports);

  wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new_with_env(store, type, hello, &env, finalize_env);
  wasm_functype_delete(type);

  wasm_extern_t* externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t import_vec = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &import_vec, &trap);
  check(instance != NULL && trap == NULL, "instantiates");
  if (!instance) return 1;

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  check(exports.size == 4, "four exports");
  if (exports.size == 4) {
    wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
    check(memory && wasm_memory_size(memory) == 1 && wasm_memory_data_size(memory) == MEMORY_PAGE_SIZE,
          "memory of one page");

    wasm_global_t* counter = wasm_extern_as_global(exports.data[1]);
    wasm_val_t value = WASM_INIT_VAL;
    wasm_global_get(counter, &value);
    check(value.kind == WASM_I32 && value.of.i32 == 7, "global is 7");

    const wasm_func_t* run = wasm_extern_as_func_const(exports.data[2]);
    wasm_val_t arg_vals[] = {WASM_I32_VAL(41)};
    wasm_val_t result_vals[] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(arg_vals);
    wasm_val_vec_t results = WASM_ARRAY_VEC(result_vals);
    trap = wasm_func_call(run, &args, &results);
    check(trap == NULL, "run returns");
    check(result_vals[0].kind == WASM_I32 && result_vals[0].of.i32 == 83, "run(41) is 83");
    check(env.calls == 1, "host called once");

    wasm_val_vec_t none = WASM_EMPTY_VEC;
    trap = wasm_func_call(wasm_extern_as_func(exports.data[3]), &none, &none);
    check(trap != NULL, "fail traps");
    if (trap) {
      wasm_message_t message;
      wasm_trap_message(trap, &message);
      check(message.size > 0 && message.data[message.size - 1] == '\0', "message is NUL-terminated");
      check(strstr(message.data, "unreachable") != NULL, "message says unreachable");
      wasm_byte_vec_delete(&message);
      wasm_frame_t* origin = wasm_trap_origin(trap);
      check(origin && wasm_frame_func_index(origin) == 2, "origin is function 2");
      check(origin && wasm_frame_instance(origin) != NULL, "origin has an instance");
      wasm_frame_delete(origin);
      wasm_trap_delete(trap);
    }
  }
  wasm_extern_vec_delete(&exports);

  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  check(env.finalized == 0, "env lives until the store is deleted");
  wasm_store_delete(store);
  check(env.finalized == 1, "env finalized with the store");
  wasm_engine_delete(engine);

  /* weft.h from C: an enum value outside the enumerators (legal in C) is an
   * error, not undefined behaviour; a valid one configures the engine. */
  wasm_config_t* config = wasm_config_new();
  weft_error_t* error = weft_config_stack_growth(config, (weft_stack_growth_t)7);
  check(error != NULL && strstr(weft_error_message(error), "got 7") != NULL, "stack growth 7 is an error");
  weft_error_delete(error);
  check(weft_config_stack_growth(config, WEFT_STACK_COPYING) == NULL, "copying growth is accepted");
  engine = wasm_engine_new_with_config(config);
  check(engine != NULL, "engine from a weft config");
  wasm_engine_delete(engine);

  if (failures == 0) printf("api_c_program: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
