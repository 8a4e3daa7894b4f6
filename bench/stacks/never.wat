;; Case 4, a continuation that never suspends: per operation, cont.new of
;; $leaf and a resume that runs it to completion. The same work as baseline's
;; plain call of $leaf, so both return n(n+1)/2 + n.
(module
  (type $lft (func (param i64) (result i64)))
  (type $lct (cont $lft))

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
  (elem declare func $leaf)

  (func (export "bench") (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
          (resume $lct (i64.extend_i32_u (local.get $n))
            (cont.new $lct (ref.func $leaf)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum))
)
