;; Exports "double" (as the identity) but not the global "base".
(module (func (export "double") (param i32) (result i32) (local.get 0)))
