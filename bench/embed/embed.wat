;; Modules for bench/embed: the calls an embedder makes and takes.
(module
  (import "host" "nop" (func $nop))
  (import "host" "io" (func $io (param i32) (result i32)))
  ;; host -> Wasm: a call of a function that does nothing.
  (func (export "empty"))
  ;; Wasm -> host: n calls of an empty host function; loop_n is the same loop
  ;; without the call, to subtract.
  (func (export "call_host_n") (param $n i32)
    (loop $again
      (call $nop)
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n))))
  (func (export "loop_n") (param $n i32)
    (loop $again
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n))))
  ;; Asynchronous round trips: n calls of a host function that answers
  ;; pending each time; the sum of its results comes back.
  (func (export "async_n") (param $n i32) (result i32)
    (local $sum i32)
    (loop $again
      (local.set $sum (i32.add (local.get $sum) (call $io (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n)))
    (local.get $sum))
  ;; A parked call with a small frame: one pending host call.
  (func (export "park") (param $x i32) (result i32)
    (i32.add (local.get $x) (call $io (local.get $x)))))
