;; Tasks for event_loop.c: each sleeps (asynchronously), reads a file
;; (asynchronously) into its own slot of memory, and returns what it read.
(module
  (import "host" "sleep_ms" (func $sleep_ms (param i32)))
  (import "host" "read_file" (func $read_file (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; task(id): sleeps 1..10 ms, reads 4 bytes into slot id, and returns
  ;; 1000 * bytes read + the first byte.
  (func (export "task") (param $id i32) (result i32)
    (local $slot i32) (local $n i32)
    (local.set $slot (i32.mul (local.get $id) (i32.const 4)))
    (call $sleep_ms (i32.add (i32.const 1) (i32.rem_u (local.get $id) (i32.const 10))))
    (local.set $n (call $read_file (local.get $slot) (i32.const 4)))
    (i32.add (i32.mul (local.get $n) (i32.const 1000)) (i32.load8_u (local.get $slot)))))
