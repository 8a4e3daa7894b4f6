;; Case 6, deep recursion in a continuation: bench(n) resumes a continuation
;; of $rec, which recurses n frames deep and returns 1 + 2 + ... + n.
;; The runner uses n = 1,000,000.
;; baseline(n): n plain calls of $leaf, n(n+1)/2 + n.
(module
  (type $rft (func (param i64) (result i64)))
  (type $rct (cont $rft))

  (func $leaf (param $x i64) (result i64)
    (local $t i64) (local $u i64) (local $v i64)
    (local.set $t (i64.add (local.get $x) (i64.const 1)))
    (local.get $t))

  (func (export "baseline") (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
          (call $leaf (i64.extend_i32_u (local.get $n)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum))

  (func $rec (param $d i64) (result i64)
    (if (result i64) (i64.eqz (local.get $d))
      (then (i64.const 0))
      (else (i64.add (local.get $d)
        (call $rec (i64.sub (local.get $d) (i64.const 1)))))))
  (elem declare func $rec)

  (func (export "bench") (param $n i32) (result i64)
    (resume $rct (i64.extend_i32_u (local.get $n))
      (cont.new $rct (ref.func $rec))))
)
