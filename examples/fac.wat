;; Factorial three ways: recursive, tail-recursive (return_call), iterative.
(module
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))

  (func $fac-acc (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1))
      (then (local.get $acc))
      (else (return_call $fac-acc (i64.sub (local.get $n) (i64.const 1))
                                  (i64.mul (local.get $n) (local.get $acc))))))
  (func (export "fac-tail") (param $n i64) (result i64)
    (call $fac-acc (local.get $n) (i64.const 1)))

  (func (export "fac-iter") (param $n i64) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $again
        (br_if $done (i64.le_u (local.get $n) (i64.const 1)))
        (local.set $acc (i64.mul (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $again)))
    (local.get $acc)))
