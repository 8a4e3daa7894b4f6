(module
  (import "lib" "double" (func $d (param i32) (result i32)))
  (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0)))))
