;; A WASI program as older toolchains emit it: its imports come from
;; "wasi_unstable" (snapshot 0), which weft accepts beside wasi_snapshot_preview1.
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wasi_unstable\n")
  (func (export "_start")
    ;; iovec at 0: base 16, length 25
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 25))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then (call $proc_exit (i32.const 9))))
    (call $proc_exit (i32.const 3))))
