;; A WASI command whose helper comes from a preloaded module ("lib").
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "lib" "double" (func $double (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $proc_exit (call $double (i32.const 21)))))
