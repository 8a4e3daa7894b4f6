/* A WASI command run from C with weft's linker (weft.h): arguments for the
 * program, its stdout the process's, and its exit status from proc_exit.
 * Usage: wasi [wasi.wasm] */
#include <stdio.h>
#include <stdlib.h>

#include "wasm.h"
#include "weft.h"

static int fail(const char* what, weft_error_t* error) {
  printf("> %s: %s\n", what, error ? weft_error_message(error) : "failed");
  weft_error_delete(error);
  return 1;
}

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
  const char* path = argc > 1 ? argv[1] : "wasi.wasm";
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t binary;
  if (!read_file(path, &binary)) {
    printf("> Error reading %s!\n", path);
    return 1;
  }
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }

  /* The program sees argv = {"wasi.wasm", "from C"}; stdio is inherited. */
  weft_wasi_config_t* wasi = weft_wasi_config_new();
  const char* const program_args[] = {"wasi.wasm", "from C"};
  weft_wasi_config_set_args(wasi, 2, program_args);
  weft_linker_t* linker = weft_linker_new(store);
  weft_error_t* error = weft_linker_define_wasi(linker, wasi);
  if (error) return fail("defining WASI", error);

  int exit_code = -1;
  wasm_trap_t* trap = NULL;
  fflush(stdout); /* the program writes to the same descriptor */
  error = weft_linker_run_command(linker, module, &exit_code, &trap);
  if (error) return fail("running the command", error);
  if (trap) {
    printf("> The program trapped!\n");
    wasm_trap_delete(trap);
    return 1;
  }
  printf("exit status: %d\n", exit_code);

  weft_linker_delete(linker);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
