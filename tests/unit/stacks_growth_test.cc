// Stacks that start tiny and grow (docs/stack-layout.md): every test runs
// under both growth strategies, with a first segment small enough that calls
// cross segment boundaries all the time.
#include "stacks_util.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();

class StackGrowthTest : public ::testing::TestWithParam<StackGrowth> {
 protected:
  EngineConfig config(uint64_t initial = 128) const {
    EngineConfig c;
    c.stack_growth = GetParam();
    c.initial_stack_bytes = initial;
    return c;
  }
};

INSTANTIATE_TEST_SUITE_P(Both, StackGrowthTest, ::testing::Values(StackGrowth::segmented, StackGrowth::copying),
                         [](const ::testing::TestParamInfo<StackGrowth>& i) {
                           return i.param == StackGrowth::segmented ? std::string("segmented")
                                                                    : std::string("copying");
                         });

// Recursion with a frame of a few slots, on the main stack and inside a
// continuation, and a function with a big frame (many locals).
constexpr const char* kRecursion = R"(
  (module
    (type $f (func (param i32) (result i32)))
    (type $k (cont $f))
    (func $depth (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1)))))))
    (func $sum_big (param i32) (result i32)
      (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
             i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
             i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
             i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.const 0))
        (else (i32.add (local.get 0) (call $sum_big (i32.sub (local.get 0) (i32.const 1)))))))
    (elem declare func $depth $sum_big)
    (func (export "depth") (param i32) (result i32) (call $depth (local.get 0)))
    (func (export "sum_big") (param i32) (result i32) (call $sum_big (local.get 0)))
    (func (export "depth_in_cont") (param i32) (result i32)
      (resume $k (local.get 0) (cont.new $k (ref.func $depth))))
    (func (export "sum_big_in_cont") (param i32) (result i32)
      (resume $k (local.get 0) (cont.new $k (ref.func $sum_big))))
    (func $inf (param i32) (result i32) (call $inf (local.get 0)))
    (elem declare func $inf)
    (func (export "inf") (result i32) (call $inf (i32.const 0)))
    (func (export "inf_in_cont") (result i32)
      (resume $k (i32.const 0) (cont.new $k (ref.func $inf)))))
)";

TEST_P(StackGrowthTest, MillionFramesDeepOnTheMainStackAndInAContinuation) {
  StackWat w(config());
  w.load_or_die(kRecursion);
  EXPECT_EQ(w.h.bits("depth", {Value::i32(1000000)}), 1000000u);
  EXPECT_EQ(w.h.bits("depth_in_cont", {Value::i32(1000000)}), 1000000u);
  EXPECT_EQ(w.h.bits("sum_big", {Value::i32(20000)}), 200010000u);
  EXPECT_EQ(w.h.bits("sum_big_in_cont", {Value::i32(20000)}), 200010000u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  // Everything grown was given back: only the main stack's and the free
  // continuation stack's inline memory remain.
  EXPECT_LT(w.h.store.stack_memory().in_use(), 4096u);
}

TEST_P(StackGrowthTest, PerStackLimitTrapsAndTheStoreStaysUsable) {
  EngineConfig c = config();
  c.max_stack_bytes = 1 << 20;
  StackWat w(c);
  w.load_or_die(kRecursion);
  for (const char* name : {"inf", "inf_in_cont"}) {
    auto r = w.h.call(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().kind, ErrorKind::exhaustion) << name;
    EXPECT_EQ(r.error().message, "call stack exhausted") << name;
  }
  EXPECT_EQ(w.h.bits("depth", {Value::i32(10000)}), 10000u);
  EXPECT_EQ(w.h.bits("depth_in_cont", {Value::i32(10000)}), 10000u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  EXPECT_LT(w.h.store.stack_memory().in_use(), 4096u);
}

// A loop calling a leaf at every depth from 0 to 40: at some depth each call
// crosses a segment boundary (segmented) or the first call moved the stack
// (copying). Neither may allocate per iteration.
TEST_P(StackGrowthTest, HotSplitDoesNotAllocatePerCall) {
  StackWat w(config());
  w.load_or_die(R"(
    (module
      (func $leaf (param i32 i32 i32 i32) (result i32)
        (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3))))
      (func $loop (param $n i32) (result i32)
        (local $s i32)
        (loop $l
          (local.set $s (i32.add (local.get $s)
            (call $leaf (local.get $n) (i32.const 1) (i32.const 2) (i32.const 3))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (local.get $n)))
        (local.get $s))
      (func $at (param $d i32) (param $n i32) (result i32)
        (if (result i32) (i32.eqz (local.get $d))
          (then (call $loop (local.get $n)))
          (else (call $at (i32.sub (local.get $d) (i32.const 1)) (local.get $n)))))
      (func (export "at") (param i32 i32) (result i32) (call $at (local.get 0) (local.get 1))))
  )");
  for (uint32_t depth = 0; depth <= 40; ++depth) {
    // sum over n..1 of (n + 6)
    EXPECT_EQ(w.h.bits("at", {Value::i32(depth), Value::i32(10)}), 115u) << depth;
    const uint64_t before = w.h.store.stack_memory().blocks_taken();
    EXPECT_EQ(w.h.bits("at", {Value::i32(depth), Value::i32(100000)}), 5000650000u & 0xffffffffu) << depth;
    // The run may take the blocks the first run took again (from the cache),
    // but not one per crossing.
    EXPECT_LE(w.h.store.stack_memory().blocks_taken() - before, 8u) << depth;
  }
}

// Exceptions unwind across segment boundaries (and across stacks) to a
// handler far below.
TEST_P(StackGrowthTest, ExceptionsCrossSegments) {
  StackWat w(config());
  w.load_or_die(R"(
    (module
      (tag $e (param i32))
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (func $down (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (throw $e (i32.const 42)))
          (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
      (elem declare func $down)
      (func (export "catch") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (drop (call $down (local.get 0))))
          (i32.const -1)))
      (func (export "catch_from_cont") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e $h)
            (drop (resume $k (local.get 0) (cont.new $k (ref.func $down)))))
          (i32.const -1)))
      (func $rec (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
      (func (export "after") (result i32) (call $rec (i32.const 1000))))
  )");
  for (int32_t depth : {0, 1, 5, 37, 1000, 100000}) {
    EXPECT_EQ(w.h.bits("catch", {Value::i32(uint32_t(depth))}), 42u) << depth;
    EXPECT_EQ(w.h.bits("catch_from_cont", {Value::i32(uint32_t(depth))}), 42u) << depth;
  }
  EXPECT_EQ(w.h.bits("after"), 1000u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
}

// Tail calls whose callee has a bigger frame than the caller, at every depth,
// and a million-step tail-call loop that must not grow the stack.
TEST_P(StackGrowthTest, TailCallsAcrossSegments) {
  StackWat w(config());
  w.load_or_die(R"(
    (module
      (tag $e (param i32))
      (func $big (param i32) (result i32)
        (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        (if (i32.eq (local.get 0) (i32.const 7)) (then (throw $e (i32.const 7))))
        (i32.add (local.get 0) (i32.const 1000)))
      (func $small (param i32) (result i32) (return_call $big (local.get 0)))
      (func $at (param $d i32) (param $x i32) (result i32)
        (if (result i32) (i32.eqz (local.get $d))
          (then (call $small (local.get $x)))
          (else (i32.add (i32.const 1) (call $at (i32.sub (local.get $d) (i32.const 1)) (local.get $x))))))
      (func (export "at") (param i32 i32) (result i32) (call $at (local.get 0) (local.get 1)))
      (func (export "throws_at") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (drop (call $at (local.get 0) (i32.const 7))))
          (i32.const -1)))
      (func $even (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
          (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
      (func $odd (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
      (func (export "even") (param i32) (result i32) (call $even (local.get 0))))
  )");
  for (uint32_t depth = 0; depth <= 40; ++depth) {
    EXPECT_EQ(w.h.bits("at", {Value::i32(depth), Value::i32(5)}), 1005u + depth) << depth;
    EXPECT_EQ(w.h.bits("throws_at", {Value::i32(depth)}), 7u) << depth;
  }
  EXPECT_EQ(w.h.bits("even", {Value::i32(1000001)}), 0u);
  EXPECT_LT(w.h.store.stack_memory().in_use(), 4096u);
}

// Generators whose stacks grew while running are suspended and resumed many
// times; the main stack grows and shrinks between the resumes.
TEST_P(StackGrowthTest, SuspendAndResumeGrownStacks) {
  StackWat w(config());
  w.load_or_die(R"(
    (module
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (tag $yield (param i32) (result i32))
      ;; yields from depth d, then returns d
      (func $deep_yield (param $d i32) (result i32)
        (if (result i32) (i32.eqz (local.get $d))
          (then (suspend $yield (i32.const 1)))
          (else (i32.add (i32.const 1) (call $deep_yield (i32.sub (local.get $d) (i32.const 1)))))))
      (func $gen (param $d i32) (result i32)
        (local $i i32) (local $s i32)
        (loop $l
          (local.set $s (i32.add (local.get $s) (call $deep_yield (local.get $d))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
        (local.get $s))
      (elem declare func $gen)
      (func $rec (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
      ;; runs a generator to completion, recursing on the main stack between resumes
      (func (export "drive") (param $d i32) (result i32)
        (local $c (ref null $k)) (local $arg i32) (local $n i32)
        (local.set $c (cont.new $k (ref.func $gen)))
        (local.set $arg (local.get $d))
        (loop $l
          (block $y (result i32 (ref $k))
            (return (i32.add (local.get $n)
              (resume $k (on $yield $y) (local.get $arg) (local.get $c)))))
          (local.set $c)
          (drop)
          (local.set $n (i32.add (local.get $n) (call $rec (i32.mul (local.get $d) (i32.const 3)))))
          (local.set $arg (i32.const 0))
          (br $l))
        (unreachable)))
  )");
  for (uint32_t d : {0u, 3u, 30u, 3000u}) {
    // gen yields 10 times; each deep_yield returns d + 0 (resumed with 0);
    // drive adds 3d per yield.
    EXPECT_EQ(w.h.bits("drive", {Value::i32(d)}), 10 * d + 30 * d) << d;
  }
  EXPECT_EQ(w.stacks_in_use(), 0u);
}

// A host function called deep in a grown stack re-enters Wasm, which grows
// its own segment a lot (copying moves it while the outer frames stay put).
TEST_P(StackGrowthTest, HostReentryFromGrownStacks) {
  StackWat w(config());
  Function* callback = nullptr;
  uint32_t t = intern_type(w.h.types(), {I32}, {I32});
  Function* host = w.h.store.new_host_function(
      t,
      [&](Store& s, uint64_t* slots) -> Status {
        auto r = invoke(s, callback, {Value::i32(uint32_t(slots[0]))});
        if (!r.ok()) return std::move(r).error();
        slots[0] = (*r)[0].bits + 1;
        return Status::Ok();
      },
      "host");
  w.load_or_die(R"(
    (module
      (import "env" "host" (func $host (param i32) (result i32)))
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (func $rec (export "rec") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
      (func $down_then_host (param $d i32) (result i32)
        (if (result i32) (i32.eqz (local.get $d))
          (then (call $host (i32.const 50000)))
          (else (i32.add (i32.const 1) (call $down_then_host (i32.sub (local.get $d) (i32.const 1)))))))
      (elem declare func $down_then_host)
      (func (export "main") (param i32) (result i32) (call $down_then_host (local.get 0)))
      (func (export "in_cont") (param i32) (result i32)
        (resume $k (local.get 0) (cont.new $k (ref.func $down_then_host)))))
  )",
                {Extern{ExternKind::func, host}});
  callback = w.h.inst->find_export("rec")->func();
  for (uint32_t d : {0u, 2u, 9u, 1000u}) {
    EXPECT_EQ(w.h.bits("main", {Value::i32(d)}), d + 50001) << d;
    EXPECT_EQ(w.h.bits("in_cont", {Value::i32(d)}), d + 50001) << d;
  }
  EXPECT_EQ(w.stacks_in_use(), 0u);
  EXPECT_LT(w.h.store.stack_memory().in_use(), 4096u);
}

// Parked continuations cost their Stack object and inline first segment:
// well under 1 KiB each by the engine's own accounting (bench/stacks measures
// resident memory). The total cap ends cont.new with a trap, not a crash.
TEST_P(StackGrowthTest, ParkedContinuationsAreSmallAndCapped) {
  constexpr const char* kPark = R"(
    (module
      (type $f (func))
      (type $k (cont $f))
      (tag $park)
      (table $t 0 (ref null $k))
      (func $body (suspend $park))
      (elem declare func $body)
      (func (export "park") (param $n i32) (result i32)
        (local $c (ref null $k))
        (drop (table.grow $t (ref.null $k) (local.get $n)))
        (loop $l
          (block $h (result (ref $k))
            (resume $k (on $park $h) (cont.new $k (ref.func $body)))
            (unreachable))
          (local.set $c)
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (table.set $t (local.get $n) (local.get $c))
          (br_if $l (local.get $n)))
        (table.size $t)))
  )";
  {
    StackWat w(config(512));
    w.load_or_die(kPark);
    const uint64_t before = w.h.store.stack_memory().in_use();
    EXPECT_EQ(w.h.bits("park", {Value::i32(10000)}), 10000u);
    const uint64_t per = (w.h.store.stack_memory().in_use() - before) / 10000;
    EXPECT_LE(per, 1024u - 256u);
    EXPECT_EQ(w.stacks_in_use(), 10000u);
  }
  {
    EngineConfig c = config(512);
    c.max_total_stack_bytes = 1 << 20;
    StackWat w(c);
    w.load_or_die(kPark);
    auto r = w.h.call("park", {Value::i32(10000)});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::exhaustion);
    EXPECT_LE(w.h.store.stack_memory().in_use(), uint64_t{1} << 20);
  }
}

}  // namespace
}  // namespace weft::testing
