/* Asynchronous host calls on a libuv event loop (weft.h): 10,000 Wasm tasks,
 * each calling an asynchronous sleep_ms and an asynchronous file read, all
 * parked at once while the loop waits. A host function starts the I/O, keeps
 * the pending handle and returns weft_pending_new's answer; the I/O callback
 * completes the handle; the store's ready descriptor, polled by the loop,
 * says when parked tasks can run on. No thread and no native stack is held by
 * a waiting task.
 * Usage: event_loop [event_loop.wasm] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "wasm.h"
#include "weft.h"

enum { kTasks = 10000 };

typedef struct {
  uv_loop_t* loop;
  wasm_store_t* store;
  wasm_memory_t* memory;
  uv_file file;  /* the file every task reads */
  size_t parked_max;
} Host;

/* ---- sleep_ms(ms): a libuv timer ---- */

typedef struct {
  uv_timer_t timer;
  weft_pending_t* pending;
} Sleep;

static void free_handle(uv_handle_t* handle) { free(handle->data); }

static void sleep_done(uv_timer_t* timer) {
  Sleep* s = (Sleep*)timer->data;
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  weft_error_delete(weft_pending_complete(s->pending, &none));
  uv_close((uv_handle_t*)timer, free_handle);
}

static wasm_trap_t* sleep_ms(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  Host* host = (Host*)env;
  (void)results;
  Sleep* s = malloc(sizeof *s);
  uv_timer_init(host->loop, &s->timer);
  s->timer.data = s;
  uv_timer_start(&s->timer, sleep_done, (uint64_t)args->data[0].of.i32, 0);
  return weft_pending_new(host->store, &s->pending);
}

/* ---- read_file(ptr, len) -> bytes read: uv_fs_read into guest memory ---- */

typedef struct {
  uv_fs_t request;
  Host* host;
  weft_pending_t* pending;
  uint32_t ptr;
  char buffer[16];
} Read;

static void read_done(uv_fs_t* request) {
  Read* r = (Read*)request->data;
  int32_t n = request->result < 0 ? -1 : (int32_t)request->result;
  /* Guest memory may have moved (memory.grow) while the task waited. */
  if (n > 0) memcpy(wasm_memory_data(r->host->memory) + r->ptr, r->buffer, (size_t)n);
  wasm_val_t result = WASM_I32_VAL(n);
  wasm_val_vec_t results = {1, &result};
  weft_error_delete(weft_pending_complete(r->pending, &results));
  uv_fs_req_cleanup(request);
  free(r);
}

static wasm_trap_t* read_file(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  Host* host = (Host*)env;
  (void)results;
  uint32_t ptr = (uint32_t)args->data[0].of.i32, len = (uint32_t)args->data[1].of.i32;
  if (len > sizeof(((Read*)0)->buffer) || (size_t)ptr + len > wasm_memory_data_size(host->memory)) {
    wasm_message_t message;
    wasm_name_new_from_string_nt(&message, "read_file: buffer out of bounds");
    wasm_trap_t* trap = wasm_trap_new(host->store, &message);
    wasm_name_delete(&message);
    return trap;
  }
  Read* r = malloc(sizeof *r);
  r->host = host;
  r->ptr = ptr;
  r->request.data = r;
  uv_buf_t buf = uv_buf_init(r->buffer, len);
  uv_fs_read(host->loop, &r->request, host->file, &buf, 1, 0, read_done);
  return weft_pending_new(host->store, &r->pending);
}

/* ---- the loop's side ---- */

static void store_ready(uv_poll_t* poll, int status, int events) {
  Host* host = (Host*)poll->data;
  (void)status;
  (void)events;
  weft_store_run_ready(host->store);
  size_t parked = weft_store_parked_calls(host->store);
  if (parked > host->parked_max) host->parked_max = parked;
  if (parked == 0) uv_poll_stop(poll); /* every task is done: let the loop end */
}

static bool read_whole(const char* path, wasm_byte_vec_t* out) {
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
  const char* path = argc > 1 ? argv[1] : "event_loop.wasm";
  Host host = {uv_default_loop(), NULL, NULL, -1, 0};

  /* The file the tasks read. */
  char data_path[] = "/tmp/weft-event-loop-XXXXXX";
  int fd = mkstemp(data_path);
  if (fd < 0 || write(fd, "weft", 4) != 4) {
    printf("> cannot write the data file\n");
    return 1;
  }
  close(fd);
  uv_fs_t open_request;
  host.file = uv_fs_open(host.loop, &open_request, data_path, O_RDONLY, 0, NULL);
  uv_fs_req_cleanup(&open_request);
  unlink(data_path);

  wasm_engine_t* engine = wasm_engine_new();
  host.store = wasm_store_new(engine);
  wasm_byte_vec_t binary;
  if (!read_whole(path, &binary)) {
    printf("> Error reading %s!\n", path);
    return 1;
  }
  wasm_module_t* module = wasm_module_new(host.store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  weft_linker_t* linker = weft_linker_new(host.store);
  wasm_functype_t* sleep_type = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_functype_t* read_type =
      wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
  weft_error_delete(weft_linker_define_func(linker, "host", "sleep_ms", sleep_type, sleep_ms, &host, NULL));
  weft_error_delete(weft_linker_define_func(linker, "host", "read_file", read_type, read_file, &host, NULL));
  wasm_functype_delete(sleep_type);
  wasm_functype_delete(read_type);
  wasm_instance_t* instance = NULL;
  wasm_trap_t* trap = NULL;
  weft_error_t* error = weft_linker_instantiate(linker, module, &instance, &trap);
  if (error || !instance) {
    printf("> instantiation failed: %s\n", error ? weft_error_message(error) : "trap");
    return 1;
  }
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  host.memory = wasm_extern_as_memory(exports.data[0]);
  wasm_func_t* task = wasm_extern_as_func(exports.data[1]);

  /* Start every task: each runs to its first sleep_ms and parks. */
  weft_call_t** calls = malloc(sizeof(weft_call_t*) * kTasks);
  for (int i = 0; i < kTasks; ++i) {
    wasm_val_t id = WASM_I32_VAL(i);
    wasm_val_vec_t args = {1, &id};
    calls[i] = weft_call_new(task, &args);
    weft_error_delete(weft_call_run(calls[i]));
  }
  host.parked_max = weft_store_parked_calls(host.store);
  printf("%zu tasks parked at once\n", host.parked_max);

  /* The loop: timers, file reads, and the store's ready descriptor. */
  uv_poll_t ready;
  uv_poll_init(host.loop, &ready, weft_store_ready_fd(host.store));
  ready.data = &host;
  uv_poll_start(&ready, UV_READABLE, store_ready);
  uv_run(host.loop, UV_RUN_DEFAULT);
  uv_close((uv_handle_t*)&ready, NULL);
  uv_run(host.loop, UV_RUN_DEFAULT);

  int finished = 0, right = 0;
  for (int i = 0; i < kTasks; ++i) {
    if (weft_call_state(calls[i]) == WEFT_CALL_FINISHED) {
      ++finished;
      wasm_val_vec_t results;
      weft_call_results(calls[i], &results);
      if (results.size == 1 && results.data[0].of.i32 == 4000 + 'w') ++right;
      wasm_val_vec_delete(&results);
    }
    weft_call_delete(calls[i]);
  }
  free(calls);
  printf("%d tasks finished, %d read \"weft\"\n", finished, right);

  uv_fs_t close_request;
  uv_fs_close(host.loop, &close_request, host.file, NULL);
  uv_fs_req_cleanup(&close_request);
  uv_loop_close(host.loop);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  weft_linker_delete(linker);
  wasm_module_delete(module);
  wasm_store_delete(host.store);
  wasm_engine_delete(engine);
  return finished == kTasks && right == kTasks ? 0 : 1;
}
