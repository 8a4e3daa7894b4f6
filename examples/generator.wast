;; Generators (Explainer.md, "Generators" and "Extending the generator").
;; A generator is a function that suspends with each value it produces; the
;; consumer resumes it to get the next one. Run: build/weft wast examples/generator.wast

(module $generators
  (func $print (import "spectest" "print_i32") (param i32))

  (type $ft (func))
  (type $ct (cont $ft))                ;; a generator that takes nothing back
  (type $ft_answer (func (param i32)))
  (type $ct_answer (cont $ft_answer))  ;; one that is resumed with an answer

  (tag $yield (param i32))                   ;; produce a value
  (tag $yield_ask (param i32) (result i32))  ;; produce a value, get an answer
  (tag $stop)                                ;; thrown into a generator to end it

  ;; Fibonacci numbers, forever.
  (func $fibonacci
    (local $a i32) (local $b i32) (local $t i32)
    (local.set $b (i32.const 1))
    (loop $next
      (suspend $yield (local.get $a))
      (local.set $t (i32.add (local.get $a) (local.get $b)))
      (local.set $a (local.get $b))
      (local.set $b (local.get $t))
      (br $next)))

  ;; The ruler sequence 1 2 1 3 1 2 1 ...: values are yielded from deep inside
  ;; a recursion, and the suspended continuation holds all its frames.
  (func $ruler_rec (param $n i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (call $ruler_rec (i32.sub (local.get $n) (i32.const 1)))
    (suspend $yield (local.get $n))
    (call $ruler_rec (i32.sub (local.get $n) (i32.const 1))))
  (func $ruler (call $ruler_rec (i32.const 3)))

  (elem declare func $fibonacci $ruler $countdown)

  ;; Prints up to $n values of a generator and returns their sum. A generator
  ;; still running at the end is stopped with resume_throw, which unwinds it.
  (func $take (param $n i32) (param $gen (ref $ct)) (result i32)
    (local $sum i32) (local $v i32)
    (loop $more
      (if (i32.eqz (local.get $n)) (then
        (block $stopped
          (try_table (catch $stop $stopped)
            (resume_throw $ct $stop (local.get $gen))))
        (return (local.get $sum))))
      (block $on_yield (result i32 (ref $ct))
        (resume $ct (on $yield $on_yield) (local.get $gen))
        (return (local.get $sum)))  ;; the generator returned: no more values
      (local.set $gen)
      (local.set $v)
      (call $print (local.get $v))
      (local.set $sum (i32.add (local.get $sum) (local.get $v)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $more))
    (unreachable))

  (func (export "fibonacci") (result i32)
    (call $take (i32.const 10) (cont.new $ct (ref.func $fibonacci))))

  (func (export "ruler") (result i32)
    (call $take (i32.const 100) (cont.new $ct (ref.func $ruler))))

  ;; Counts down from 5 to 1; an answer of 1 restarts it from 5.
  (func $countdown
    (local $i i32)
    (local.set $i (i32.const 5))
    (loop $loop
      (if (suspend $yield_ask (local.get $i))
        (then (local.set $i (i32.const 5)))
        (else (local.set $i (i32.sub (local.get $i) (i32.const 1)))))
      (br_if $loop (local.get $i))))

  ;; The consumer restarts the countdown once, after the third value. The
  ;; continuation it gets expects the answer; cont.bind supplies it, giving
  ;; back a continuation of the generator's original type.
  (func (export "countdown") (result i32)
    (local $k (ref $ct)) (local $asking (ref $ct_answer)) (local $seen i32)
    (local.set $k (cont.new $ct (ref.func $countdown)))
    (loop $loop
      (block $on_yield (result i32 (ref $ct_answer))
        (resume $ct (on $yield_ask $on_yield) (local.get $k))
        (return (local.get $seen)))
      (local.set $asking)
      (call $print)
      (local.set $seen (i32.add (local.get $seen) (i32.const 1)))
      (local.set $k (cont.bind $ct_answer $ct
        (i32.eq (local.get $seen) (i32.const 3)) (local.get $asking)))
      (br $loop))
    (unreachable))
)

(assert_return (invoke "fibonacci") (i32.const 88))
(assert_return (invoke "ruler") (i32.const 11))
(assert_return (invoke "countdown") (i32.const 8))
