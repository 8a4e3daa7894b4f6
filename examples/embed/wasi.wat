;; A WASI command: writes its greeting and its first argument to stdout,
;; then exits with status 3 through proc_exit.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from WASI, argument: ")
  (data (i32.const 64) "\n")
  ;; Writes len bytes at ptr to stdout (iovec at 0, bytes written at 8).
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (local $arg i32) (local $len i32)
    (call $print (i32.const 16) (i32.const 27))
    ;; argv pointers at 1024, the strings at 2048: print argv[1] without its NUL.
    (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (local.set $arg (i32.load (i32.const 1028)))
    (block $done
      (loop $scan
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $arg) (local.get $len)))))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $scan)))
    (call $print (local.get $arg) (local.get $len))
    (call $print (i32.const 64) (i32.const 1))
    (call $proc_exit (i32.const 3))))
