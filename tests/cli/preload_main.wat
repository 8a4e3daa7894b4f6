(module
  (import "lib" "double" (func $d (param i32) (result i32)))
  (import "lib" "base" (global $b i32))
  (import "lib2" "quad" (func $q (param i32) (result i32)))
  (func (export "f") (param i32) (result i32) (i32.add (global.get $b) (call $q (call $d (local.get 0))))))
