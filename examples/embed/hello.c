/* The standard's hello example on weft: a module imports a host function,
 * and calling the module's export "run" calls back into the host.
 * Usage: hello [hello.wasm]   (make hello.wasm with: weft wat2wasm hello.wat -o hello.wasm) */
#include <stdio.h>
#include <stdlib.h>
#include "wasm.h"

/* The host function the module imports as ("" "hello"): no params, no results. */
static wasm_trap_t* hello_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  printf("Calling back...\n");
  printf("> Hello World!\n");
  return NULL;
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
  const char* path = argc > 1 ? argv[1] : "hello.wasm";
  printf("Initializing...\n");
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);

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
  wasm_functype_t* hello_type = wasm_functype_new_0_0();
  wasm_func_t* hello_func = wasm_func_new(store, hello_type, hello_callback);
  wasm_functype_delete(hello_type);

  printf("Instantiating module...\n");
  wasm_extern_t* externs[] = {wasm_func_as_extern(hello_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }
  wasm_func_delete(hello_func);

  printf("Extracting export...\n");
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* run_func = exports.size == 1 ? wasm_extern_as_func(exports.data[0]) : NULL;
  if (!run_func) {
    printf("> Error accessing export!\n");
    return 1;
  }
  wasm_module_delete(module);
  wasm_instance_delete(instance);

  printf("Calling export...\n");
  wasm_val_vec_t args = WASM_EMPTY_VEC;
  wasm_val_vec_t results = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(run_func, &args, &results);
  if (trap) {
    printf("> Error calling function!\n");
    wasm_trap_delete(trap);
    return 1;
  }
  wasm_extern_vec_delete(&exports);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("Done.\n");
  return 0;
}
