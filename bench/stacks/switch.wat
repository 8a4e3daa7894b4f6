;; Case 2, symmetric switch: two continuations pass control back and forth
;; with `switch`, one stack switch per operation, no trip through the parent.
;; bench(n) makes two players and resumes the first under an (on $sw switch)
;; handler; the players pass a counter along, each adding 1, and the one that
;; sees n returns it. So bench(n) returns n after exactly n switches; each
;; player also checks that it only ever sees its own parity (trap otherwise).
;; baseline(n): n plain calls of $leaf, n(n+1)/2 + n.
(module
  (rec
    (type $pft (func (param i64 (ref null $pct)) (result i64)))
    (type $pct (cont $pft)))
  (tag $sw (result i64))
  (global $limit (mut i64) (i64.const 0))

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

  (func $player (type $pft) (param $x i64) (param $peer (ref null $pct)) (result i64)
    (local $parity i64)
    (local.set $parity (i64.and (local.get $x) (i64.const 1)))
    (loop $l
      (if (i64.ge_u (local.get $x) (global.get $limit))
        (then (return (local.get $x))))
      (switch $pct $sw (i64.add (local.get $x) (i64.const 1)) (local.get $peer))
      (local.set $peer)
      (local.set $x)
      (if (i64.ne (i64.and (local.get $x) (i64.const 1)) (local.get $parity))
        (then (unreachable)))
      (br $l))
    (unreachable))
  (elem declare func $player)

  (func (export "bench") (param $n i32) (result i64)
    (global.set $limit (i64.extend_i32_u (local.get $n)))
    (resume $pct (on $sw switch)
      (i64.const 0)
      (cont.new $pct (ref.func $player))
      (cont.new $pct (ref.func $player))))
)
