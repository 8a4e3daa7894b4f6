;; Case 5, parked continuations: bench(n) makes n continuations, resumes each
;; once so that it suspends with one small frame ($sleeper's), and keeps them
;; all alive in a table. The runner compares the peak resident memory of a run
;; with n = 1,000,000 and one with n = 0. Returns the sum of the suspended
;; values, 3n(n+1)/2.
;; baseline(n): n plain calls of $leaf, n(n+1)/2 + n.
(module
  (type $sft (func (param i64)))
  (type $sct (cont $sft))
  (type $pft (func))
  (type $pct (cont $pft))  ;; a parked sleeper, waiting to be resumed
  (tag $park (param i64))
  (table $parked 0 (ref null $pct))

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

  (func $sleeper (param $x i64)
    (suspend $park (i64.mul (local.get $x) (i64.const 3))))
  (elem declare func $sleeper)

  (func (export "bench") (param $n i32) (result i64)
    (local $sum i64) (local $k (ref null $pct))
    (if (i32.eq (table.grow $parked (ref.null $pct) (local.get $n)) (i32.const -1))
      (then (unreachable)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (block $on_park (result i64 (ref $pct))
          (resume $sct (on $park $on_park)
            (i64.add (i64.extend_i32_u (local.get $n)) (i64.const 1))
            (cont.new $sct (ref.func $sleeper)))
          (unreachable))
        (local.set $k)
        (table.set $parked (local.get $n) (local.get $k))
        (local.set $sum (i64.add (local.get $sum)))
        (br $l)))
    (local.get $sum))
)
