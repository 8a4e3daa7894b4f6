;; examples/embed/hello.c loads this module: "run" calls the host's "hello".
(module
  (func $hello (import "" "hello"))
  (func (export "run") (call $hello)))
