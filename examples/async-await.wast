;; Async/await: `async` starts a task and returns a promise, `await` waits for
;; a promise's value. Both are tags handled by an event loop; a task that
;; awaits an unsettled promise is parked on it and queued again when the
;; promise settles (the task that fulfils it returns). Run:
;; build/weft wast examples/async-await.wast

(module $async
  (func $print (import "spectest" "print_i32") (param i32))
  (memory 1)

  (type $task_ft (func (result i32)))
  (type $task (cont $task_ft))            ;; a runnable task; returns its value
  (type $waiting_ft (func (param i32) (result i32)))
  (type $waiting (cont $waiting_ft))      ;; a task parked in await or async
  (type $fetch_ft (func (param i32) (result i32)))
  (type $fetch (cont $fetch_ft))

  (tag $async (param (ref $task)) (result i32))  ;; start a task; get its promise
  (tag $await (param i32) (result i32))          ;; wait for a promise's value
  (tag $yield)                                   ;; let other tasks run

  ;; Promise p: settled flag at p*8, value at p*8 + 4 (memory from 0); the
  ;; task parked on it (at most one, in this example) in $parked, and the
  ;; promise that task fulfils at 1024 + p*4.
  (global $promises (mut i32) (i32.const 0))
  (table $parked 64 (ref null $waiting))
  (func $new_promise (result i32)
    (global.get $promises)
    (global.set $promises (i32.add (global.get $promises) (i32.const 1))))

  ;; The run queue: tasks and the promises they fulfil (at 2048 + i*4).
  (table $ready 64 (ref null $task))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (func $ready (param $k (ref $task)) (param $p i32)
    (table.set $ready (global.get $tail) (local.get $k))
    (i32.store (i32.add (i32.const 2048) (i32.shl (global.get $tail) (i32.const 2))) (local.get $p))
    (global.set $tail (i32.and (i32.add (global.get $tail) (i32.const 1)) (i32.const 63))))

  (func $fulfil (param $p i32) (param $v i32)
    (local $k (ref null $waiting))
    (i32.store (i32.shl (local.get $p) (i32.const 3)) (i32.const 1))
    (i32.store offset=4 (i32.shl (local.get $p) (i32.const 3)) (local.get $v))
    (local.set $k (table.get $parked (local.get $p)))
    (if (ref.is_null (local.get $k)) (then (return)))
    (table.set $parked (local.get $p) (ref.null $waiting))
    (call $ready (cont.bind $waiting $task (local.get $v) (local.get $k))
                 (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $p) (i32.const 2))))))

  ;; Runs $main to completion (with every task it starts); returns its value.
  (func $run (param $main (ref $task)) (result i32)
    (local $k (ref null $task)) (local $p i32) (local $q i32) (local $v i32)
    (local $new (ref $task)) (local $w (ref $waiting))
    (call $ready (local.get $main) (call $new_promise))
    (loop $loop
      (if (i32.ne (global.get $head) (global.get $tail)) (then
        (local.set $k (table.get $ready (global.get $head)))
        (local.set $p (i32.load (i32.add (i32.const 2048) (i32.shl (global.get $head) (i32.const 2)))))
        (table.set $ready (global.get $head) (ref.null $task))
        (global.set $head (i32.and (i32.add (global.get $head) (i32.const 1)) (i32.const 63)))
        (block $on_yield (result (ref $task))
          (block $on_await (result i32 (ref $waiting))
            (block $on_async (result (ref $task) (ref $waiting))
              (resume $task (on $async $on_async) (on $await $on_await) (on $yield $on_yield)
                (local.get $k))
              ;; the task returned its value
              (local.set $v)
              (call $fulfil (local.get $p) (local.get $v))
              (br $loop))
            ;; async: the caller continues with the new promise; the new task
            ;; runs after it
            (local.set $w)
            (local.set $new)
            (local.set $q (call $new_promise))
            (call $ready (cont.bind $waiting $task (local.get $q) (local.get $w)) (local.get $p))
            (call $ready (local.get $new) (local.get $q))
            (br $loop))
          ;; await: continue now if settled, else park on the promise
          (local.set $w)
          (local.set $q)
          (if (i32.load (i32.shl (local.get $q) (i32.const 3)))
            (then (call $ready (cont.bind $waiting $task
                                 (i32.load offset=4 (i32.shl (local.get $q) (i32.const 3)))
                                 (local.get $w))
                               (local.get $p)))
            (else (table.set $parked (local.get $q) (local.get $w))
                  (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $q) (i32.const 2)))
                             (local.get $p))))
          (br $loop))
        ;; yield
        (call $ready (local.get $p))
        (br $loop))))
    ;; promise 0 is $main's
    (i32.load offset=4 (i32.const 0)))

  ;; A simulated request: prints 100 + x, takes x turns, prints 200 + x and
  ;; returns x * 10.
  (func $fetch (param $x i32) (result i32)
    (local $i i32)
    (call $print (i32.add (i32.const 100) (local.get $x)))
    (block $done
      (loop $wait
        (br_if $done (i32.ge_u (local.get $i) (local.get $x)))
        (suspend $yield)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $wait)))
    (call $print (i32.add (i32.const 200) (local.get $x)))
    (i32.mul (local.get $x) (i32.const 10)))

  (func $start_fetch (param $x i32) (result i32)
    (suspend $async (cont.bind $fetch $task (local.get $x) (cont.new $fetch (ref.func $fetch)))))

  ;; Starts two requests, works meanwhile, then awaits both.
  (func $main (result i32)
    (local $p1 i32) (local $p2 i32) (local $sum i32)
    (local.set $p1 (call $start_fetch (i32.const 3)))
    (local.set $p2 (call $start_fetch (i32.const 1)))
    (call $print (i32.const 1))
    (local.set $sum (i32.add (suspend $await (local.get $p1)) (suspend $await (local.get $p2))))
    (call $print (local.get $sum))
    (local.get $sum))

  (elem declare func $fetch $main)

  (func (export "main") (result i32)
    (call $run (cont.new $task (ref.func $main))))
)

(assert_return (invoke "main") (i32.const 40))
