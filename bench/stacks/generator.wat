;; Case 1, generator: one suspend/resume round trip per operation.
;; A generator yields 1, 2, 3, ... forever; bench(n) resumes it n times and
;; returns the sum of the values it got, n(n+1)/2.
;; baseline(n): n plain calls of $leaf in the same loop shape, n(n+1)/2 + n.
(module
  (type $gft (func))
  (type $gct (cont $gft))
  (tag $yield (param i64))

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

  (func $gen
    (local $i i64)
    (loop $l
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (suspend $yield (local.get $i))
      (br $l)))
  (elem declare func $gen)

  (func (export "bench") (param $n i32) (result i64)
    (local $k (ref null $gct)) (local $sum i64)
    (local.set $k (cont.new $gct (ref.func $gen)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (block $on_yield (result i64 (ref $gct))
          (resume $gct (on $yield $on_yield) (local.get $k))
          (unreachable))  ;; the generator never returns
        (local.set $k)
        (local.set $sum (i64.add (local.get $sum)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum))
)
