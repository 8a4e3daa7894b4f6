;; Case 8, spawn and keep (issue 14): keep(n) creates n continuations, runs
;; each to its first suspend (one small frame, $task's, is parked) and keeps
;; them ALL alive in a table; then it resumes every one of them once more, so
;; that each finishes. Task x suspends with 3x and, resumed, returns x; keep(n)
;; returns the sum of both, 3n(n+1)/2 + n(n+1)/2 = 2n(n+1).
;; The runner times whole processes and reads their peak RSS and minor page
;; faults (wait4), against the same process with n = 0.
;; baseline(n): n plain calls of $leaf, n(n+1)/2 + n (as in the other cases).
(module
  (type $tft (func (param i64) (result i64)))
  (type $tct (cont $tft))
  (type $kft (func (result i64)))
  (type $kct (cont $kft))  ;; a parked task, waiting for its last resume
  (tag $park (param i64))
  (table $ks 0 (ref null $kct))

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
    (suspend $park (i64.mul (local.get $x) (i64.const 3)))
    (local.get $x))
  (elem declare func $task)

  (func (export "keep") (param $n i32) (result i64)
    (local $sum i64) (local $i i32) (local $k (ref null $kct))
    (if (i32.eq (table.grow $ks (ref.null $kct) (local.get $n)) (i32.const -1))
      (then (unreachable)))
    ;; Spawn: n tasks, each run to its first suspend and kept.
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $on_park (result i64 (ref $kct))
          (resume $tct (on $park $on_park)
            (i64.add (i64.extend_i32_u (local.get $i)) (i64.const 1))
            (cont.new $tct (ref.func $task)))
          (unreachable))  ;; a task suspends before it returns
        (local.set $k)
        (table.set $ks (local.get $i) (local.get $k))
        (local.set $sum (i64.add (local.get $sum)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    ;; Finish: resume every kept task once more; each returns.
    (local.set $i (i32.const 0))
    (block $done2
      (loop $l2
        (br_if $done2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
          (resume $kct (table.get $ks (local.get $i)))))
        (table.set $ks (local.get $i) (ref.null $kct))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l2)))
    (local.get $sum))
)
