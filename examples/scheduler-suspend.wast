;; Lightweight threads with asymmetric switching (Explainer.md, "Task
;; scheduling", the first scheduler). Threads suspend to a scheduler loop,
;; which is the parent of every thread and keeps a queue of continuations.
;; Run: build/weft wast examples/scheduler-suspend.wast

(module $threads
  (func $print (import "spectest" "print_i32") (param i32))

  (type $ft (func))
  (type $ct (cont $ft))                   ;; a runnable thread
  (type $worker_ft (func (param i32 i32)))
  (type $worker_ct (cont $worker_ft))     ;; a worker before it gets its arguments

  (tag $yield)                    ;; let other threads run
  (tag $spawn (param (ref $ct)))  ;; start a new thread

  ;; The run queue: a ring buffer of continuations.
  (table $queue 64 (ref null $ct))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))

  (func $enqueue (param $k (ref $ct))
    (table.set $queue (global.get $tail) (local.get $k))
    (global.set $tail (i32.and (i32.add (global.get $tail) (i32.const 1)) (i32.const 63))))

  (func $dequeue (result (ref null $ct))
    (local $k (ref null $ct))
    (if (i32.eq (global.get $head) (global.get $tail)) (then (return (ref.null $ct))))
    (local.set $k (table.get $queue (global.get $head)))
    (table.set $queue (global.get $head) (ref.null $ct))
    (global.set $head (i32.and (i32.add (global.get $head) (i32.const 1)) (i32.const 63)))
    (local.get $k))

  ;; The scheduler: resumes threads in turn until none is left.
  (func $run (param $main (ref $ct))
    (local $next (ref null $ct))
    (call $enqueue (local.get $main))
    (loop $loop
      (local.set $next (call $dequeue))
      (if (ref.is_null (local.get $next)) (then (return)))
      (block $on_yield (result (ref $ct))
        (block $on_spawn (result (ref $ct) (ref $ct))
          (resume $ct (on $yield $on_yield) (on $spawn $on_spawn) (local.get $next))
          (br $loop))      ;; the thread finished
        ;; spawn: the new thread, then the spawner on top
        (call $enqueue)    ;; the spawner runs again first
        (call $enqueue)    ;; then the new thread
        (br $loop))
      ;; yield: the thread goes to the back of the queue
      (call $enqueue)
      (br $loop)))

  ;; A worker prints id*10 + i for i in [0, n), yielding after each.
  (func $worker (param $id i32) (param $n i32)
    (local $i i32)
    (loop $loop
      (call $print (i32.add (i32.mul (local.get $id) (i32.const 10)) (local.get $i)))
      (suspend $yield)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $loop (i32.lt_u (local.get $i) (local.get $n)))))

  (func $spawn_worker (param $id i32) (param $n i32)
    (suspend $spawn
      (cont.bind $worker_ct $ct (local.get $id) (local.get $n)
        (cont.new $worker_ct (ref.func $worker)))))

  (func $main
    (call $spawn_worker (i32.const 1) (i32.const 3))
    (call $spawn_worker (i32.const 2) (i32.const 2))
    (call $print (i32.const 0))
    (suspend $yield)
    (call $spawn_worker (i32.const 3) (i32.const 3))
    (call $print (i32.const 99)))

  (elem declare func $worker $main)

  (func (export "main")
    (call $run (cont.new $ct (ref.func $main))))
)

(assert_return (invoke "main"))
