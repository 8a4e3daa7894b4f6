/*
 * weft's additions to the standard WebAssembly C API (wasm.h), in its style:
 * engine options on the config, fuel and interrupts, function names in trap
 * frames, and asynchronous host calls. docs/embedding.md describes the model.
 *
 * Errors: a call that can fail through misuse (a wrong state, a value of the
 * wrong type, an option out of range) returns an `own weft_error_t*`, NULL on
 * success. Nothing here aborts.
 *
 * This header includes only wasm.h and compiles as C11 and C++.
 */
#ifndef WEFT_H
#define WEFT_H

#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define own

/* ==== Errors ============================================================ */

typedef struct weft_error_t weft_error_t;

WASM_API_EXTERN void weft_error_delete(own weft_error_t*);
/* What went wrong, NUL-terminated; valid as long as the error. */
WASM_API_EXTERN const char* weft_error_message(const weft_error_t*);

/* ==== Engine options ====================================================
 * Set on a config before wasm_engine_new_with_config; each returns an error
 * for a value out of range and leaves the config as it was. The defaults
 * are those of the weft CLI (docs/limits.md, docs/stacks.md). */

typedef enum weft_stack_growth_t {
  WEFT_STACK_SEGMENTED = 0, /* link a new segment when a stack is full (default) */
  WEFT_STACK_COPYING = 1,   /* move the stack into one twice as large */
} weft_stack_growth_t;

WASM_API_EXTERN own weft_error_t* weft_config_stack_growth(wasm_config_t*, weft_stack_growth_t);
/* First segment of every Wasm stack (at least 64 bytes, at most 1 GiB). */
WASM_API_EXTERN own weft_error_t* weft_config_initial_stack_bytes(wasm_config_t*, uint64_t bytes);
/* Largest single Wasm stack; deeper calls trap "call stack exhausted". */
WASM_API_EXTERN own weft_error_t* weft_config_max_stack_bytes(wasm_config_t*, uint64_t bytes);
/* Cap on all stacks of a store together. */
WASM_API_EXTERN own weft_error_t* weft_config_max_total_stack_bytes(wasm_config_t*, uint64_t bytes);
/* How many continuation stacks (and parked asynchronous calls) may exist at once. */
WASM_API_EXTERN own weft_error_t* weft_config_max_cont_stacks(wasm_config_t*, uint32_t count);
/* Largest memory in 64 KiB pages, largest table, instances per store. */
WASM_API_EXTERN own weft_error_t* weft_config_max_memory_pages(wasm_config_t*, uint64_t pages);
WASM_API_EXTERN own weft_error_t* weft_config_max_table_elements(wasm_config_t*, uint64_t elements);
WASM_API_EXTERN own weft_error_t* weft_config_max_instances(wasm_config_t*, uint32_t count);
/* Fuel given to every call from the host (0: unmetered); running out traps
 * with "fuel exhausted". Fuel counts function entries and loop iterations.
 * weft_store_set_fuel replaces it with fuel that lasts across calls. */
WASM_API_EXTERN own weft_error_t* weft_config_fuel(wasm_config_t*, uint64_t fuel);
/* Wall-clock limit of every call from the host (0: none); past it the call
 * traps with "deadline exceeded". */
WASM_API_EXTERN own weft_error_t* weft_config_deadline_ms(wasm_config_t*, uint64_t milliseconds);
/* Whether running code can be stopped (weft_interrupt) or metered by
 * weft_store_set_fuel without per-call fuel or a deadline. Modules compiled by
 * such an engine check a counter at function entries and loop back-edges. */
WASM_API_EXTERN own weft_error_t* weft_config_interruptible(wasm_config_t*, bool enable);

/* ==== Fuel and interrupts =============================================== */

/* Gives the store `fuel` that lasts across calls: every call from now on
 * spends from it, and traps with "fuel exhausted" when it is gone, until it
 * is refilled. Needs an engine with weft_config_fuel or
 * weft_config_interruptible. */
WASM_API_EXTERN own weft_error_t* weft_store_set_fuel(wasm_store_t*, uint64_t fuel);
/* The fuel left: of weft_store_set_fuel's, or of the last call's per-call
 * fuel. Error if the engine does not meter fuel. */
WASM_API_EXTERN own weft_error_t* weft_store_fuel(const wasm_store_t*, uint64_t* out);

/* A handle that stops the running call of a store from any thread: the call
 * traps with "interrupted" at its next check (within a few thousand
 * function entries or loop iterations). The handle may outlive the store;
 * interrupting then does nothing. Needs an engine with
 * weft_config_interruptible, weft_config_fuel or weft_config_deadline_ms. */
typedef struct weft_interrupt_handle_t weft_interrupt_handle_t;
WASM_API_EXTERN own weft_error_t* weft_interrupt_handle_new(wasm_store_t*, own weft_interrupt_handle_t** out);
WASM_API_EXTERN void weft_interrupt_handle_delete(own weft_interrupt_handle_t*);
/* Thread-safe. An interrupt that arrives while no call runs stops the next. */
WASM_API_EXTERN void weft_interrupt(const weft_interrupt_handle_t*);

/* ==== Traps and frames ================================================== */

/* The name of a frame's function (from the name section or an export; else
 * "func[N]"), not NUL-terminated. */
WASM_API_EXTERN void weft_frame_func_name(const wasm_frame_t*, own wasm_name_t* out);
/* The trap's message and its backtrace, one frame a line, innermost first,
 * NUL-terminated:
 *   unreachable
 *     at inner (func[2] @0x5e)
 *     at main (func[3] @0x70) */
WASM_API_EXTERN void weft_trap_format(const wasm_trap_t*, own wasm_message_t* out);

/* ==== Asynchronous host calls ============================================
 * A host function may answer "pending" instead of returning results: it
 * returns the trap made by weft_pending_new, keeps the pending handle, and
 * completes it later. An asynchronous call (weft_call_t) that reaches such a
 * host function parks: its Wasm frames, on all of its stacks (continuations
 * it created or resumed included), stay in the engine, and weft_call_run
 * returns to the embedder with the call in state WEFT_CALL_PENDING; no native
 * stack is held. Completing the handle makes the call WEFT_CALL_READY and
 * notifies the store's ready callback and ready descriptor; weft_call_run
 * (or weft_store_run_ready) then continues it to its end or to its next
 * pending host call. Many calls can be parked in one store; one runs at a
 * time, on the store's thread. A pending answer inside a synchronous call
 * (wasm_func_call, instantiation, a host function's call back into Wasm)
 * traps with a message saying so. */

typedef struct weft_call_t weft_call_t;
typedef struct weft_pending_t weft_pending_t;

typedef enum weft_call_state_t {
  WEFT_CALL_NEW = 0,      /* made, not run yet */
  WEFT_CALL_PENDING = 1,  /* parked at a pending host call */
  WEFT_CALL_READY = 2,    /* its pending host call completed: run it again */
  WEFT_CALL_FINISHED = 3, /* returned: weft_call_results */
  WEFT_CALL_TRAPPED = 4,  /* trapped: weft_call_trap */
} weft_call_state_t;

/* In a host function: the value to return for "pending". *out receives the
 * handle, which belongs to the store and is valid until it is completed or
 * failed (exactly once) or the store is deleted. */
WASM_API_EXTERN own wasm_trap_t* weft_pending_new(wasm_store_t*, weft_pending_t** out);
/* Completes the pending host call with its results (copied; as many and of
 * the kinds of the host function's results), and consumes the handle. The
 * call becomes WEFT_CALL_READY. If the call was cancelled or was
 * synchronous (it trapped), returns an error and still consumes the handle;
 * so does a result of the wrong number or kind (the call then traps when it
 * is run). */
WASM_API_EXTERN own weft_error_t* weft_pending_complete(weft_pending_t*, const wasm_val_vec_t* results);
/* As complete, but the host call fails with `trap` (taken over): the call
 * traps where it was parked when it is run again. */
WASM_API_EXTERN own weft_error_t* weft_pending_fail(weft_pending_t*, own wasm_trap_t* trap);

/* An asynchronous call of `func` with `args` (copied). NULL only if func is
 * NULL. The call belongs to the embedder and to the store: deleting the store
 * deletes it. */
WASM_API_EXTERN own weft_call_t* weft_call_new(const wasm_func_t* func, const wasm_val_vec_t* args);
/* Deletes the call; a parked one (pending or ready) is cancelled: its stacks
 * are unwound and freed, and its pending handle, when completed, reports that
 * the call was cancelled. */
WASM_API_EXTERN void weft_call_delete(own weft_call_t*);
/* Runs a new call, or continues a ready one, until it finishes, traps or
 * parks again. A Wasm trap is not an error (the state says it); errors are
 * for misuse: running a call that is pending, finished or trapped, or while
 * another call of the store runs (from a host function). */
WASM_API_EXTERN own weft_error_t* weft_call_run(weft_call_t*);
WASM_API_EXTERN weft_call_state_t weft_call_state(const weft_call_t*);
/* A finished call's results (an empty vector in any other state). */
WASM_API_EXTERN void weft_call_results(const weft_call_t*, own wasm_val_vec_t* out);
/* A trapped call's trap (NULL in any other state). */
WASM_API_EXTERN own wasm_trap_t* weft_call_trap(const weft_call_t*);
/* A pointer the embedder keeps with the call (NULL at first). */
WASM_API_EXTERN void weft_call_set_data(weft_call_t*, void* data);
WASM_API_EXTERN void* weft_call_data(const weft_call_t*);

/* Called once per completion (weft_pending_complete or _fail), from inside
 * that call, with the call that became ready. It may not run the call itself
 * when the completion happens inside a running call (a host function that
 * completes another call's handle); weft_store_run_ready is the simple way
 * to run ready calls from an event loop. NULL removes the callback. */
typedef void (*weft_ready_callback_t)(void* env, weft_call_t* call);
WASM_API_EXTERN void weft_store_set_ready_callback(wasm_store_t*, weft_ready_callback_t callback, void* env);
/* A file descriptor (an eventfd) that is readable while calls are ready, for
 * event loops that poll descriptors; weft_store_run_ready drains it. Owned by
 * the store. -1 if the system cannot make one. */
WASM_API_EXTERN int weft_store_ready_fd(wasm_store_t*);
/* Runs every ready call, in the order they became ready (calls that become
 * ready meanwhile included), and returns how many ran. Not from inside a
 * running call: returns 0 there. */
WASM_API_EXTERN size_t weft_store_run_ready(wasm_store_t*);
/* Calls of the store parked now (pending or ready). */
WASM_API_EXTERN size_t weft_store_parked_calls(const wasm_store_t*);

/* ==== Linker and WASI ===================================================
 * A linker resolves a module's imports by module and field name from what
 * was defined in it: externs, host functions, the exports of instances, and
 * WASI preview 1. It belongs to one store and keeps no handles: deleting the
 * linker frees only it, and what it defined lives as long as the store (the
 * linker may also be deleted after the store; it must not be used then). */

typedef struct weft_linker_t weft_linker_t;
typedef struct weft_wasi_config_t weft_wasi_config_t;

WASM_API_EXTERN own weft_linker_t* weft_linker_new(wasm_store_t*);
WASM_API_EXTERN void weft_linker_delete(own weft_linker_t*);

/* Defines `module`.`name` as `item` (a func, global, table or memory of the
 * linker's store; the linker does not keep the handle). Error if the name is
 * defined already, or the item is NULL or of another store. */
WASM_API_EXTERN own weft_error_t* weft_linker_define(weft_linker_t*, const char* module, const char* name,
                                                     const wasm_extern_t* item);
/* Defines a host function, as wasm_func_new_with_env makes it: `finalizer`
 * (if not NULL) runs with `env` when the store is deleted, also if the
 * definition fails (a duplicate name). */
WASM_API_EXTERN own weft_error_t* weft_linker_define_func(weft_linker_t*, const char* module, const char* name,
                                                          const wasm_functype_t* type,
                                                          wasm_func_callback_with_env_t callback, void* env,
                                                          void (*finalizer)(void*));
/* Defines every export of `instance` under `module`, by its export name
 * (tags included). Error, and nothing defined, if one of the names is
 * defined already. */
WASM_API_EXTERN own weft_error_t* weft_linker_define_instance(weft_linker_t*, const char* module,
                                                              const wasm_instance_t* instance);

/* WASI preview 1: arguments, environment, preopened directories, stdio.
 * A new config has no arguments, an empty environment, no preopens, and the
 * process's descriptors 0, 1, 2 as the guest's stdin, stdout, stderr. */
WASM_API_EXTERN own weft_wasi_config_t* weft_wasi_config_new(void);
WASM_API_EXTERN void weft_wasi_config_delete(own weft_wasi_config_t*);
/* argv, argv[0] (the program name) included; replaces earlier arguments. */
WASM_API_EXTERN void weft_wasi_config_set_args(weft_wasi_config_t*, int argc, const char* const argv[]);
/* The environment as "NAME=VALUE" strings; replaces the earlier one. */
WASM_API_EXTERN void weft_wasi_config_set_env(weft_wasi_config_t*, int count, const char* const env[]);
/* The environment of this process (as it is now). */
WASM_API_EXTERN void weft_wasi_config_inherit_env(weft_wasi_config_t*);
/* Gives the guest the host directory `host_path` as `guest_path` (the next
 * fd from 3 on). It is opened by weft_linker_define_wasi. */
WASM_API_EXTERN void weft_wasi_config_preopen_dir(weft_wasi_config_t*, const char* host_path,
                                                  const char* guest_path);
/* Host descriptors for the guest's fds 0, 1, 2 (duplicated when WASI is
 * defined; the caller keeps and closes its own). Error for a negative fd. */
WASM_API_EXTERN own weft_error_t* weft_wasi_config_set_stdio(weft_wasi_config_t*, int stdin_fd, int stdout_fd,
                                                             int stderr_fd);

/* Makes every wasi_snapshot_preview1 (and wasi_unstable) import resolvable,
 * with one WASI context made from `config` (taken over, also on error). The
 * context lives as long as the store. Names defined explicitly under those
 * module names take precedence. When an instance of a module that imports
 * WASI is made, the context uses its "memory" export from then on (a start
 * function runs before that: it should not call WASI). Error if WASI is
 * defined already or a preopened directory cannot be opened. */
WASM_API_EXTERN own weft_error_t* weft_linker_define_wasi(weft_linker_t*, own weft_wasi_config_t* config);

/* Instantiates `module` with each import resolved by its module and field
 * name. A missing import or one of the wrong kind or type is an error naming
 * both and the mismatch:
 *   unknown import env.log
 *   import env.log: expected func (i32) -> (), got func (i64) -> ()
 *   import env.mem: expected memory, got global
 * On success *instance_out receives the instance and the result is NULL. A
 * trap while instantiating (a segment out of bounds, the start function)
 * comes back in *trap_out (if not NULL), with no error and no instance. */
WASM_API_EXTERN own weft_error_t* weft_linker_instantiate(const weft_linker_t*, const wasm_module_t* module,
                                                          own wasm_instance_t** instance_out,
                                                          own wasm_trap_t** trap_out);
/* Runs a WASI command: instantiates `module`, calls its `_start`, and gives
 * the exit status in *exit_code: 0 when `_start` returns, proc_exit's code
 * otherwise. A trap comes back in *trap_out (exit code unset). Error if WASI
 * is not defined, an import cannot be resolved, or there is no `_start`
 * taking and returning nothing. */
WASM_API_EXTERN own weft_error_t* weft_linker_run_command(const weft_linker_t*, const wasm_module_t* module,
                                                          int* exit_code, own wasm_trap_t** trap_out);

#undef own

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WEFT_H */
