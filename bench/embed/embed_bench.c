/* bench/embed: the costs an embedder sees, through the public API only
 * (wasm.h and weft.h). Prints one "name value unit" line per measurement;
 * bench/embed/run turns them into RESULTS.md.
 *
 *   embed_bench embed.wasm
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wasm.h"
#include "weft.h"

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Resident memory of this process, in bytes (/proc/self/statm). */
static double resident_bytes(void) {
  FILE* f = fopen("/proc/self/statm", "r");
  long size = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = 0;
    fclose(f);
  }
  return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

static void fail(const char* what) {
  fprintf(stderr, "embed_bench: %s\n", what);
  exit(1);
}

static void check(weft_error_t* e, const char* what) {
  if (e) {
    fprintf(stderr, "embed_bench: %s: %s\n", what, weft_error_message(e));
    exit(1);
  }
}

/* ---- host functions ---- */

static wasm_trap_t* nop_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  return NULL;
}

/* The asynchronous import: answers pending and leaves the handle here. */
typedef struct {
  wasm_store_t* store;
  weft_pending_t* pending;
  int32_t arg;
} Io;

static wasm_trap_t* io_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  Io* io = (Io*)env;
  (void)results;
  io->arg = args->data[0].of.i32;
  return weft_pending_new(io->store, &io->pending);
}

static void complete(Io* io, int32_t value) {
  wasm_val_t v = WASM_I32_VAL(value);
  wasm_val_vec_t results = {1, &v};
  weft_pending_t* p = io->pending;
  io->pending = NULL;
  check(weft_pending_complete(p, &results), "complete");
}

static wasm_func_t* export_named(wasm_module_t* module, wasm_extern_vec_t* exports, const char* name) {
  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  wasm_func_t* found = NULL;
  for (size_t i = 0; i < types.size; ++i) {
    const wasm_name_t* n = wasm_exporttype_name(types.data[i]);
    if (n->size == strlen(name) && memcmp(n->data, name, n->size) == 0) found = wasm_extern_as_func(exports->data[i]);
  }
  wasm_exporttype_vec_delete(&types);
  if (!found) fail(name);
  return found;
}

static void report(const char* name, double value, const char* unit) { printf("%s %.1f %s\n", name, value, unit); }

int main(int argc, char** argv) {
  if (argc != 2) fail("usage: embed_bench embed.wasm");
  FILE* f = fopen(argv[1], "rb");
  if (!f) fail("cannot open the module");
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_t binary;
  wasm_byte_vec_new_uninitialized(&binary, (size_t)size);
  if (fread(binary.data, 1, (size_t)size, f) != (size_t)size) fail("cannot read the module");
  fclose(f);

  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) fail("invalid module");

  wasm_functype_t* nop_type = wasm_functype_new_0_0();
  wasm_func_t* nop = wasm_func_new(store, nop_type, nop_callback);
  wasm_functype_delete(nop_type);
  Io io = {store, NULL, 0};
  wasm_functype_t* io_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* io_func = wasm_func_new_with_env(store, io_type, io_callback, &io, NULL);
  wasm_functype_delete(io_type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(nop), wasm_func_as_extern(io_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  if (!instance) fail("instantiation failed");
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t* empty = export_named(module, &exports, "empty");
  wasm_func_t* call_host_n = export_named(module, &exports, "call_host_n");
  wasm_func_t* loop_n = export_named(module, &exports, "loop_n");
  wasm_func_t* async_n = export_named(module, &exports, "async_n");
  wasm_func_t* park = export_named(module, &exports, "park");
  wasm_val_vec_t none = WASM_EMPTY_VEC;

  /* host -> Wasm: the best of 5 rounds of 1M calls. */
  const int kCalls = 1000000;
  double best = 1e30;
  for (int round = 0; round < 5; ++round) {
    double t0 = now_ns();
    for (int i = 0; i < kCalls; ++i)
      if (wasm_func_call(empty, &none, &none)) fail("empty trapped");
    double per = (now_ns() - t0) / kCalls;
    if (per < best) best = per;
  }
  report("host_to_wasm_call", best, "ns");

  /* Wasm -> host: 10M calls in one Wasm loop, minus the loop alone. */
  const int32_t kLoop = 10000000;
  wasm_val_t n = WASM_I32_VAL(kLoop);
  wasm_val_vec_t n_args = {1, &n};
  double with_calls = 1e30, loop_only = 1e30;
  for (int round = 0; round < 5; ++round) {
    double t0 = now_ns();
    if (wasm_func_call(call_host_n, &n_args, &none)) fail("call_host_n trapped");
    double t1 = now_ns();
    if (wasm_func_call(loop_n, &n_args, &none)) fail("loop_n trapped");
    double t2 = now_ns();
    if ((t1 - t0) / kLoop < with_calls) with_calls = (t1 - t0) / kLoop;
    if ((t2 - t1) / kLoop < loop_only) loop_only = (t2 - t1) / kLoop;
  }
  report("wasm_to_host_call", with_calls - loop_only, "ns");
  report("wasm_to_host_loop_iteration", with_calls, "ns");

  /* Asynchronous round trips: pending, complete, resume; one call making
   * 1M of them in a loop. Resident memory after 100k and after 1M. */
  const int32_t kTrips = 1000000;
  wasm_val_t trips = WASM_I32_VAL(kTrips);
  wasm_val_vec_t trip_args = {1, &trips};
  weft_call_t* call = weft_call_new(async_n, &trip_args);
  double rss_100k = 0;
  double t0 = now_ns();
  check(weft_call_run(call), "run");
  int64_t done = 0;
  while (weft_call_state(call) == WEFT_CALL_PENDING) {
    complete(&io, 1);
    check(weft_call_run(call), "resume");
    if (++done == 100000) rss_100k = resident_bytes();
  }
  double per_trip = (now_ns() - t0) / (double)done;
  double rss_1m = resident_bytes();
  if (weft_call_state(call) != WEFT_CALL_FINISHED) fail("async_n did not finish");
  wasm_val_vec_t results;
  weft_call_results(call, &results);
  if (results.size != 1 || results.data[0].of.i32 != kTrips) fail("async_n: wrong result");
  wasm_val_vec_delete(&results);
  weft_call_delete(call);
  report("async_round_trip", per_trip, "ns");
  report("async_round_trips", (double)done, "count");
  report("resident_after_100k_trips", rss_100k / 1024.0, "KiB");
  report("resident_after_1m_trips", rss_1m / 1024.0, "KiB");

  /* Memory per parked call: 100k calls parked at once. */
  const int kParked = 100000;
  weft_call_t** calls = malloc(sizeof(weft_call_t*) * kParked);
  weft_pending_t** handles = malloc(sizeof(weft_pending_t*) * kParked);
  if (!calls || !handles) fail("out of memory");
  double before = resident_bytes();
  for (int i = 0; i < kParked; ++i) {
    wasm_val_t x = WASM_I32_VAL(i);
    wasm_val_vec_t args = {1, &x};
    calls[i] = weft_call_new(park, &args);
    check(weft_call_run(calls[i]), "park");
    if (weft_call_state(calls[i]) != WEFT_CALL_PENDING) fail("park did not pend");
    handles[i] = io.pending;
  }
  double after = resident_bytes();
  report("parked_calls", (double)weft_store_parked_calls(store), "count");
  report("memory_per_parked_call", (after - before) / kParked, "bytes");
  for (int i = 0; i < kParked; ++i) {
    io.pending = handles[i];
    complete(&io, 1);
  }
  if (weft_store_run_ready(store) != (size_t)kParked) fail("not every parked call ran");
  for (int i = 0; i < kParked; ++i) {
    weft_call_results(calls[i], &results);
    if (results.size != 1 || results.data[0].of.i32 != i + 1) fail("park: wrong result");
    wasm_val_vec_delete(&results);
    weft_call_delete(calls[i]);
  }
  free(calls);
  free(handles);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_func_delete(nop);
  wasm_func_delete(io_func);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
