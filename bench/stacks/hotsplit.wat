;; Case 7, hot split: sweep(d, n) resumes a fresh continuation that recurses
;; d frames deep ($down) and there runs baseline's loop: n calls of $leaf.
;; A continuation's stack starts tiny (--initial-stack-size, 512 bytes by
;; default), so for some d every one of the n calls crosses into the next
;; stack segment and back; the runner sweeps d and reports the slowest.
;; $leaf's frame (1 parameter, 3 locals) is larger than one $down frame, so
;; the leaf call, not a $down call, is the one that crosses for some d.
;; Both sweep(d, n) and baseline(n) return n(n+1)/2 + n.
(module
  (type $dft (func (param i64 i32) (result i64)))
  (type $dct (cont $dft))

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

  (func $loop (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
          (call $leaf (i64.extend_i32_u (local.get $n)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum))

  (func $down (param $d i64) (param $n i32) (result i64)
    (if (result i64) (i64.eqz (local.get $d))
      (then (call $loop (local.get $n)))
      (else (call $down (i64.sub (local.get $d) (i64.const 1)) (local.get $n)))))
  (elem declare func $down)

  (func (export "sweep") (param $d i32) (param $n i32) (result i64)
    (resume $dct (i64.extend_i32_u (local.get $d)) (local.get $n)
      (cont.new $dct (ref.func $down))))
)
