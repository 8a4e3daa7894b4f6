;; Lightweight threads with symmetric switching (Explainer.md, "Task
;; scheduling", the second scheduler). A thread that yields switches straight
;; to the next thread in the queue with `switch`: one stack switch instead of
;; two. The continuation it leaves behind is passed to the next thread, which
;; puts it in the queue. The entry loop only runs when a thread finishes.
;; Run: build/weft wast examples/scheduler-switch.wast

(module $green
  (func $print (import "spectest" "print_i32") (param i32))

  ;; A runnable thread receives the continuation of the thread that switched
  ;; to it (null when the entry loop starts or resumes it).
  (rec
    (type $ft (func (param (ref null $ct))))
    (type $ct (cont $ft)))
  (type $task_ft (func (param i32 i32 (ref null $ct))))
  (type $task_ct (cont $task_ft))   ;; a task before it gets its id and count

  (tag $yield)  ;; only switch uses it: the entry loop installs (on $yield switch)

  (table $queue 64 (ref null $ct))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))

  (func $enqueue (param $k (ref null $ct))
    (if (ref.is_null (local.get $k)) (then (return)))
    (table.set $queue (global.get $tail) (local.get $k))
    (global.set $tail (i32.and (i32.add (global.get $tail) (i32.const 1)) (i32.const 63))))

  (func $dequeue (result (ref null $ct))
    (local $k (ref null $ct))
    (if (i32.eq (global.get $head) (global.get $tail)) (then (return (ref.null $ct))))
    (local.set $k (table.get $queue (global.get $head)))
    (table.set $queue (global.get $head) (ref.null $ct))
    (global.set $head (i32.and (i32.add (global.get $head) (i32.const 1)) (i32.const 63)))
    (local.get $k))

  ;; Switches to the next thread, if there is one. When some thread switches
  ;; back to us, we get its continuation and queue it.
  (func $yield_to_next
    (local $next (ref null $ct))
    (local.set $next (call $dequeue))
    (if (ref.is_null (local.get $next)) (then (return)))
    (call $enqueue (switch $ct $yield (local.get $next))))

  ;; Prints id*10 + i for i in [0, n), yielding after each.
  (func $task (param $id i32) (param $n i32) (param $from (ref null $ct))
    (local $i i32)
    (call $enqueue (local.get $from))
    (loop $loop
      (call $print (i32.add (i32.mul (local.get $id) (i32.const 10)) (local.get $i)))
      (call $yield_to_next)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $loop (i32.lt_u (local.get $i) (local.get $n)))))

  (elem declare func $task)

  (func $spawn (param $id i32) (param $n i32)
    (call $enqueue
      (cont.bind $task_ct $ct (local.get $id) (local.get $n)
        (cont.new $task_ct (ref.func $task)))))

  ;; The entry loop is the parent of every thread; it resumes the next thread
  ;; whenever one returns.
  (func $entry
    (local $next (ref null $ct))
    (loop $loop
      (local.set $next (call $dequeue))
      (if (ref.is_null (local.get $next)) (then (return)))
      (resume $ct (on $yield switch) (ref.null $ct) (local.get $next))
      (call $print (i32.const -1))  ;; a thread finished
      (br $loop)))

  (func (export "main")
    (call $spawn (i32.const 1) (i32.const 3))
    (call $spawn (i32.const 2) (i32.const 1))
    (call $spawn (i32.const 3) (i32.const 2))
    (call $entry))
)

(assert_return (invoke "main"))
