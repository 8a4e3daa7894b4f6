;; examples/embed/trap.c loads this module. "fail" calls the host's "fail",
;; which returns a trap; "divide" traps in Wasm two calls deep (an integer
;; division by zero), so its trace has three frames.
(module
  (func $fail (import "" "fail") (result i32))
  (func (export "fail") (result i32) (call $fail))
  (func $quotient (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $middle (param i32) (result i32)
    (call $quotient (i32.const 1) (local.get 0)))
  (func (export "divide") (param i32) (result i32)
    (call $middle (local.get 0))))
