;; Case 3, spawn: per operation, cont.new + first resume + suspend, and then
;; one more resume that lets the task return (so that its stack is recycled:
;; nothing is garbage-collected, and a dropped continuation would keep it).
;; The task gets i, suspends with i, is resumed with 2i and returns 3i;
;; bench(n) returns the sum over i = 1..n, 3n(n+1)/2.
;; baseline(n): n plain calls of $leaf, n(n+1)/2 + n.
(module
  (type $tft (func (param i64) (result i64)))
  (type $tct (cont $tft))
  (tag $yield (param i64) (result i64))

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

  (func $task (param $x i64) (result i64)
    (i64.add (local.get $x) (suspend $yield (local.get $x))))
  (elem declare func $task)

  (func (export "bench") (param $n i32) (result i64)
    (local $sum i64) (local $k (ref null $tct)) (local $v i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (block $on_yield (result i64 (ref $tct))
          (resume $tct (on $yield $on_yield)
            (i64.extend_i32_u (local.get $n))
            (cont.new $tct (ref.func $task)))
          (unreachable))  ;; the task suspends before it returns
        (local.set $k)
        (local.set $v)
        (local.set $sum (i64.add (local.get $sum)
          (resume $tct (i64.shl (local.get $v) (i64.const 1)) (local.get $k))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum))
)
