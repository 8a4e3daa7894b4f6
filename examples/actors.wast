;; Actors: each actor is a continuation with a mailbox. `send` and `recv` are
;; tags handled by the scheduler: a receive with an empty mailbox parks the
;; actor until a message arrives. Here three actors pass a counter around a
;; ring, three rounds. Run: build/weft wast examples/actors.wast

(module $actors
  (func $print (import "spectest" "print_i32") (param i32))
  (memory 1)

  (type $actor_ft (func))
  (type $actor (cont $actor_ft))          ;; a runnable actor
  (type $receiving_ft (func (param i32)))
  (type $receiving (cont $receiving_ft))  ;; an actor waiting in recv
  (type $body_ft (func (param i32)))
  (type $body (cont $body_ft))            ;; an actor before it gets its id

  (tag $send (param i32 i32))  ;; to, message
  (tag $recv (result i32))     ;; the next message in my mailbox

  ;; Mailboxes: actor a's ring of 16 messages at a*64, its head and tail
  ;; counters at 1024 + a*8 and 1028 + a*8.
  (func $mailbox_empty (param $a i32) (result i32)
    (i32.eq (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $a) (i32.const 3))))
            (i32.load (i32.add (i32.const 1028) (i32.shl (local.get $a) (i32.const 3))))))
  (func $mailbox_push (param $a i32) (param $m i32)
    (local $tail i32)
    (local.set $tail (i32.load (i32.add (i32.const 1028) (i32.shl (local.get $a) (i32.const 3)))))
    (i32.store (i32.add (i32.shl (local.get $a) (i32.const 6))
                        (i32.shl (i32.and (local.get $tail) (i32.const 15)) (i32.const 2)))
               (local.get $m))
    (i32.store (i32.add (i32.const 1028) (i32.shl (local.get $a) (i32.const 3)))
               (i32.add (local.get $tail) (i32.const 1))))
  (func $mailbox_pop (param $a i32) (result i32)
    (local $head i32)
    (local.set $head (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $a) (i32.const 3)))))
    (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $a) (i32.const 3)))
               (i32.add (local.get $head) (i32.const 1)))
    (i32.load (i32.add (i32.shl (local.get $a) (i32.const 6))
                       (i32.shl (i32.and (local.get $head) (i32.const 15)) (i32.const 2)))))

  ;; Actors waiting for a message, by id.
  (table $waiting 16 (ref null $receiving))

  ;; The run queue: continuations and their actor ids (ids in memory at 2048).
  (table $ready 64 (ref null $actor))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (func $ready (param $k (ref $actor)) (param $id i32)
    (table.set $ready (global.get $tail) (local.get $k))
    (i32.store (i32.add (i32.const 2048) (i32.shl (global.get $tail) (i32.const 2))) (local.get $id))
    (global.set $tail (i32.and (i32.add (global.get $tail) (i32.const 1)) (i32.const 63))))

  ;; A message for actor $to: wakes it if it waits for one.
  (func $deliver (param $to i32) (param $m i32)
    (local $k (ref null $receiving))
    (call $mailbox_push (local.get $to) (local.get $m))
    (local.set $k (table.get $waiting (local.get $to)))
    (if (ref.is_null (local.get $k)) (then (return)))
    (table.set $waiting (local.get $to) (ref.null $receiving))
    (call $ready
      (cont.bind $receiving $actor (call $mailbox_pop (local.get $to)) (local.get $k))
      (local.get $to)))

  (func $run
    (local $self i32) (local $k (ref null $actor)) (local $to i32) (local $m i32)
    (local $sender (ref $actor)) (local $receiver (ref $receiving))
    (loop $loop
      (if (i32.eq (global.get $head) (global.get $tail)) (then (return)))
      (local.set $k (table.get $ready (global.get $head)))
      (local.set $self (i32.load (i32.add (i32.const 2048) (i32.shl (global.get $head) (i32.const 2)))))
      (table.set $ready (global.get $head) (ref.null $actor))
      (global.set $head (i32.and (i32.add (global.get $head) (i32.const 1)) (i32.const 63)))
      (block $on_recv (result (ref $receiving))
        (block $on_send (result i32 i32 (ref $actor))
          (resume $actor (on $send $on_send) (on $recv $on_recv) (local.get $k))
          (br $loop))  ;; the actor finished
        ;; send: deliver, and the sender stays runnable
        (local.set $sender)
        (local.set $m)
        (local.set $to)
        (call $deliver (local.get $to) (local.get $m))
        (call $ready (local.get $sender) (local.get $self))
        (br $loop))
      ;; recv: take a message now, or wait for one
      (local.set $receiver)
      (if (call $mailbox_empty (local.get $self))
        (then (table.set $waiting (local.get $self) (local.get $receiver)))
        (else (call $ready
                (cont.bind $receiving $actor (call $mailbox_pop (local.get $self)) (local.get $receiver))
                (local.get $self))))
      (br $loop)))

  ;; Receives three counters; prints id*100 + counter and passes counter + 1
  ;; to the next actor of the ring.
  (func $relay (param $self i32)
    (local $round i32) (local $m i32)
    (loop $loop
      (local.set $m (suspend $recv))
      (call $print (i32.add (i32.mul (local.get $self) (i32.const 100)) (local.get $m)))
      (suspend $send (i32.rem_u (i32.add (local.get $self) (i32.const 1)) (i32.const 3))
                     (i32.add (local.get $m) (i32.const 1)))
      (local.set $round (i32.add (local.get $round) (i32.const 1)))
      (br_if $loop (i32.lt_u (local.get $round) (i32.const 3)))))

  (elem declare func $relay)

  (func $spawn (param $id i32)
    (call $ready
      (cont.bind $body $actor (local.get $id) (cont.new $body (ref.func $relay)))
      (local.get $id)))

  ;; Returns the message left in actor 0's mailbox at the end.
  (func (export "main") (result i32)
    (call $spawn (i32.const 0))
    (call $spawn (i32.const 1))
    (call $spawn (i32.const 2))
    (call $deliver (i32.const 0) (i32.const 0))
    (call $run)
    (call $mailbox_pop (i32.const 0)))
)

(assert_return (invoke "main") (i32.const 9))
