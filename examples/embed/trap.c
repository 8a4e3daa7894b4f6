/* Traps, as the standard's trap example: a host function that returns a
 * trap, and a trap in Wasm code (an integer division by zero). For each
 * prints the message, the origin and the backtrace, innermost frame first:
 * function index, offset in the function, offset in the module binary.
 * Usage: trap [trap.wasm]   (make trap.wasm with: weft wat2wasm trap.wat -o trap.wasm) */
#include <stdio.h>
#include <stdlib.h>
#include "wasm.h"

static wasm_store_t* store;

/* The host function the module imports as ("" "fail"): returns a new trap. */
static wasm_trap_t* fail_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  printf("Calling back...\n");
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "callback abort");
  wasm_trap_t* trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  return trap;
}

static void print_frame(const wasm_frame_t* frame) {
  printf("> function %u, function offset 0x%zx, module offset 0x%zx\n", wasm_frame_func_index(frame),
         wasm_frame_func_offset(frame), wasm_frame_module_offset(frame));
}

static void print_trap(const wasm_trap_t* trap) {
  printf("Printing message...\n");
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("> %s\n", message.data); /* weft's messages end with a NUL */
  wasm_byte_vec_delete(&message);

  printf("Printing origin...\n");
  wasm_frame_t* origin = wasm_trap_origin(trap);
  if (origin) {
    print_frame(origin);
    wasm_frame_delete(origin);
  } else {
    printf("> Empty origin.\n");
  }

  printf("Printing trace...\n");
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  if (trace.size == 0) printf("> Empty trace.\n");
  for (size_t i = 0; i < trace.size; ++i) print_frame(trace.data[i]);
  wasm_frame_vec_delete(&trace);
}

/* Reads a whole file into a new byte vector; false if it cannot be read. */
static bool read_file(const char* path, wasm_byte_vec_t* out) {
  FILE* file = fopen(path, "rb");
  if (!file) return false;
  fseek(file, 0L, SEEK_END);
  long size = ftell(file);
  fseek(file, 0L, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  bool ok = fread(out->data, 1, (size_t)size, file) == (size_t)size;
  fclose(file);
  if (!ok) wasm_byte_vec_delete(out);
  return ok;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "trap.wasm";
  printf("Initializing...\n");
  wasm_engine_t* engine = wasm_engine_new();
  store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary;
  if (!read_file(path, &binary)) {
    printf("> Error reading %s!\n", path);
    return 1;
  }

  printf("Compiling module...\n");
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }

  printf("Creating callback...\n");
  wasm_functype_t* fail_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* fail_func = wasm_func_new(store, fail_type, fail_callback);
  wasm_functype_delete(fail_type);

  printf("Instantiating module...\n");
  wasm_extern_t* externs[] = {wasm_func_as_extern(fail_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }
  wasm_func_delete(fail_func);

  printf("Extracting exports...\n");
  wasm_exporttype_vec_t export_types;
  wasm_module_exports(module, &export_types);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  if (exports.size != 2 || export_types.size != 2) {
    printf("> Error accessing exports!\n");
    return 1;
  }

  /* "fail" takes no argument, "divide" its divisor: 0. */
  wasm_val_t divisor[] = {WASM_I32_VAL(0)};
  wasm_val_vec_t args_of[] = {WASM_EMPTY_VEC, WASM_ARRAY_VEC(divisor)};
  for (size_t i = 0; i < exports.size; ++i) {
    const wasm_name_t* name = wasm_exporttype_name(export_types.data[i]);
    printf("Calling export %zu (%.*s)...\n", i, (int)name->size, name->data);
    const wasm_func_t* func = wasm_extern_as_func(exports.data[i]);
    wasm_val_t result_slots[1] = {WASM_INIT_VAL};
    wasm_val_vec_t results = WASM_ARRAY_VEC(result_slots);
    wasm_trap_t* trap = wasm_func_call(func, &args_of[i], &results);
    if (!trap) {
      printf("> Error calling function, expected trap!\n");
      return 1;
    }
    print_trap(trap);
    wasm_trap_delete(trap);
  }

  wasm_extern_vec_delete(&exports);
  wasm_exporttype_vec_delete(&export_types);
  wasm_instance_delete(instance);
  wasm_module_delete(module);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("Done.\n");
  return 0;
}
