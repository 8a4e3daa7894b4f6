// Stack switching at its limits: deep chains of nested resumes, running out
// of continuation stacks or of room in one, steady-state stack reuse, and
// suspending across host functions.
#include "stacks_util.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();

// nest(n): n nested resumes, each on a new stack; the innermost suspends $up
// to the outermost handler, which gets the whole chain as one continuation.
constexpr const char* kNested = R"(
  (module
    (type $f (func (param i32) (result i32)))
    (type $k (cont $f))
    (tag $up (result i32))
    (func $nest (param $n i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n))
        (then (suspend $up))
        (else (i32.add (i32.const 1)
          (resume $k (i32.sub (local.get $n) (i32.const 1)) (cont.new $k (ref.func $nest)))))))
    (elem declare func $nest)
    ;; n nested resumes, a suspend through all of them, and resuming the
    ;; detached n-stack chain with 7: returns n + 7
    (func (export "deep") (param $n i32) (result i32)
      (local $c (ref null $k))
      (block $h (result (ref $k))
        (return (resume $k (on $up $h) (local.get $n) (cont.new $k (ref.func $nest)))))
      (local.set $c)
      (resume $k (i32.const 7) (local.get $c))))
)";

TEST(StacksLimits, TenThousandNestedResumes) {
  StackWat w;
  w.load_or_die(kNested);
  EXPECT_EQ(w.h.bits("deep", {Value::i32(10000)}), 10007u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  // Finished stacks are reused: a second run makes no new ones.
  const size_t made = w.stacks_made();
  EXPECT_EQ(made, 10001u);
  EXPECT_EQ(w.h.bits("deep", {Value::i32(10000)}), 10007u);
  EXPECT_EQ(w.stacks_made(), made);
}

TEST(StacksLimits, TooManyContinuationsTrapsCleanly) {
  EngineConfig config;
  config.max_cont_stacks = 1000;
  StackWat w(config);
  w.load_or_die(kNested);
  auto r = w.h.call("deep", {Value::i32(5000)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exhaustion);
  EXPECT_EQ(r.error().message, "too many continuations: cannot allocate a continuation stack");
  EXPECT_EQ(w.stacks_in_use(), 0u);
  EXPECT_EQ(w.h.bits("deep", {Value::i32(500)}), 507u);
}

TEST(StacksLimits, SteadyStateReusesStacks) {
  StackWat w;
  w.load_or_die(R"(
    (module
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (tag $yield (param i32))
      (func $gen (param $n i32) (result i32)
        (loop $l
          (suspend $yield (local.get $n))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (local.get $n)))
        (i32.const 0))
      (type $f0 (func (result i32)))
      (type $k0 (cont $f0))
      (elem declare func $gen)
      ;; sums what a generator counting down from n yields
      (func $sum (param $n i32) (result i32)
        (local $c (ref null $k0)) (local $s i32)
        (local.set $c (cont.bind $k $k0 (local.get $n) (cont.new $k (ref.func $gen))))
        (loop $l
          (block $y (result i32 (ref $k0))
            (drop (resume $k0 (on $yield $y) (local.get $c)))
            (return (local.get $s)))
          (local.set $c)
          (local.set $s (i32.add (local.get $s)))
          (br $l))
        (unreachable))
      (func (export "many") (param $times i32) (result i32)
        (local $total i32)
        (loop $l
          (local.set $total (i32.add (local.get $total) (call $sum (i32.const 10))))
          (local.set $times (i32.sub (local.get $times) (i32.const 1)))
          (br_if $l (local.get $times)))
        (local.get $total)))
  )");
  EXPECT_EQ(w.h.bits("many", {Value::i32(10000)}), 550000u);
  EXPECT_EQ(w.stacks_made(), 1u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  // Nothing is allocated in steady state: another 10,000 generators take no
  // new segments.
  const uint64_t taken = w.h.store.stack_memory().blocks_taken();
  EXPECT_EQ(w.h.bits("many", {Value::i32(10000)}), 550000u);
  EXPECT_EQ(w.h.store.stack_memory().blocks_taken(), taken);
}

TEST(StacksLimits, OverflowInsideAContinuation) {
  EngineConfig config;
  config.max_stack_bytes = 64 << 10;
  StackWat w(config);
  w.load_or_die(R"(
    (module
      (type $f (func (param i64) (result i64)))
      (type $k (cont $f))
      (func $sum (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0))
          (then (i64.const 0))
          (else (i64.add (local.get 0) (call $sum (i64.sub (local.get 0) (i64.const 1)))))))
      (elem declare func $sum)
      (func (export "run") (param i64) (result i64)
        (resume $k (local.get 0) (cont.new $k (ref.func $sum)))))
  )");
  EXPECT_EQ(w.h.bits("run", {Value::i64(100)}), 5050u);
  auto r = w.h.call("run", {Value::i64(1000000)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exhaustion);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  EXPECT_EQ(w.stacks_in_use(), 0u);
  EXPECT_EQ(w.h.bits("run", {Value::i64(100)}), 5050u);
}

// Wasm -> host -> Wasm -> suspend: the handler outside the host call cannot
// be reached.
TEST(StacksLimits, SuspendAcrossAHostFunctionTraps) {
  StackWat w;
  Function* callback = nullptr;
  uint32_t t = intern_type(w.h.types(), {I32}, {I32});
  Function* host = w.h.store.new_host_function(
      t,
      [&](Store& s, uint64_t* slots) -> Status {
        auto r = invoke(s, callback, {Value::i32(uint32_t(slots[0]))});
        if (!r.ok()) return std::move(r).error();
        slots[0] = (*r)[0].bits;
        return Status::Ok();
      },
      "host.bridge");
  w.load_or_die(R"(
    (module
      (import "host" "bridge" (func $bridge (param i32) (result i32)))
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (type $f0 (func (result i32)))
      (type $k0 (cont $f0))
      (tag $t (result i32))
      (tag $other (result i32))
      (tag $yield (param i32))
      ;; called back by the host: x == 1 suspends $t, x == 2 suspends $other,
      ;; anything else runs a generator inside the callback and sums it
      (func $gen (param $n i32) (result i32)
        (suspend $yield (local.get $n))
        (suspend $yield (i32.add (local.get $n) (i32.const 1)))
        (i32.const 0))
      (func (export "callback") (param $x i32) (result i32)
        (local $c (ref null $k0)) (local $s i32)
        (if (i32.eq (local.get $x) (i32.const 1)) (then (return (suspend $t))))
        (if (i32.eq (local.get $x) (i32.const 2)) (then (return (suspend $other))))
        (local.set $c (cont.bind $k $k0 (local.get $x) (cont.new $k (ref.func $gen))))
        (loop $l
          (block $y (result i32 (ref $k0))
            (drop (resume $k0 (on $yield $y) (local.get $c)))
            (return (local.get $s)))
          (local.set $c)
          (local.set $s (i32.add (local.get $s)))
          (br $l))
        (unreachable))
      (func $through_host (param $x i32) (result i32) (call $bridge (local.get $x)))
      (elem declare func $through_host $gen)
      (func (export "run") (param $x i32) (result i32)
        (block $h (result (ref $k))
          (return (resume $k (on $t $h) (local.get $x) (cont.new $k (ref.func $through_host)))))
        (drop)
        (i32.const -1)))
  )",
                {Extern{ExternKind::func, host}});
  callback = w.h.inst->find_export("callback")->func();
  // Continuations inside the callback are fine.
  EXPECT_EQ(w.h.bits("run", {Value::i32(10)}), 21u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  // The handler for $t is outside the host call.
  auto across = w.h.call("run", {Value::i32(1)});
  ASSERT_FALSE(across.ok());
  EXPECT_EQ(across.error().kind, ErrorKind::trap);
  EXPECT_EQ(across.error().message, "cannot suspend across a host function: the handler is outside the host call");
  EXPECT_EQ(w.stacks_in_use(), 0u);
  // No handler for $other anywhere.
  auto unhandled = w.h.call("run", {Value::i32(2)});
  ASSERT_FALSE(unhandled.ok());
  EXPECT_EQ(unhandled.error().kind, ErrorKind::suspension);
  EXPECT_EQ(unhandled.error().message, "unhandled tag");
  EXPECT_EQ(w.stacks_in_use(), 0u);
  // The store still works.
  EXPECT_EQ(w.h.bits("run", {Value::i32(10)}), 21u);
}

}  // namespace
}  // namespace weft::testing
