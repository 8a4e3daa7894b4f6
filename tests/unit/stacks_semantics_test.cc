// Stack switching semantics the spec scripts do not reach: one-shot use across
// calls and after stack reuse, dropped continuations, exceptions crossing
// several stacks, backtraces through resumers, handler kinds.
#include "stacks_util.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();

TEST(StacksSemantics, ConsumedContinuationTrapsAcrossCalls) {
  StackWat w;
  w.load_or_die(R"(
    (module
      (type $f (func))
      (type $k (cont $f))
      (tag $t)
      (global $saved (mut (ref null $k)) (ref.null $k))
      (global $old (mut (ref null $k)) (ref.null $k))
      (func $body (suspend $t) (suspend $t))
      (elem declare func $body)
      (func (export "start")
        (block $h (result (ref $k))
          (resume $k (on $t $h) (cont.new $k (ref.func $body)))
          (return))
        (global.set $saved))
      ;; 1 if the continuation suspended again, 0 if it finished
      (func (export "step") (result i32)
        (block $h (result (ref $k))
          (resume $k (on $t $h) (global.get $saved))
          (return (i32.const 0)))
        (global.set $saved)
        (i32.const 1))
      (func (export "keep") (global.set $old (global.get $saved)))
      (func (export "resume_old") (resume $k (global.get $old))))
  )");
  ASSERT_TRUE(w.h.call("start").ok());
  EXPECT_EQ(w.stacks_in_use(), 1u);  // suspended, kept in a global between calls
  ASSERT_TRUE(w.h.call("keep").ok());
  EXPECT_EQ(w.h.bits("step"), 1u);  // consumes the kept contref; a new one is saved
  auto stale = w.h.call("resume_old");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::trap);
  EXPECT_EQ(stale.error().message, "continuation already consumed");
  EXPECT_EQ(w.h.bits("step"), 0u);  // finishes: its stack goes back to the pool
  EXPECT_EQ(w.stacks_in_use(), 0u);
  auto again = w.h.call("step");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "continuation already consumed");
}

TEST(StacksSemantics, StaleContrefStaysDeadWhenItsStackIsReused) {
  StackWat w;
  w.load_or_die(R"(
    (module
      (type $f (func (result i32)))
      (type $k (cont $f))
      (global $a (mut (ref null $k)) (ref.null $k))
      (global $b (mut (ref null $k)) (ref.null $k))
      (func $one (result i32) (i32.const 1))
      (func $two (result i32) (i32.const 2))
      (elem declare func $one $two)
      (func (export "make_a") (global.set $a (cont.new $k (ref.func $one))))
      (func (export "make_b") (global.set $b (cont.new $k (ref.func $two))))
      (func (export "run_a") (result i32) (resume $k (global.get $a)))
      (func (export "run_b") (result i32) (resume $k (global.get $b)))
      (func (export "bind_a") (drop (cont.bind $k $k (global.get $a)))))
  )");
  ASSERT_TRUE(w.h.call("make_a").ok());
  EXPECT_EQ(w.h.bits("run_a"), 1u);
  ASSERT_TRUE(w.h.call("make_b").ok());
  EXPECT_EQ(w.stacks_made(), 1u);  // b got a's stack back
  auto stale = w.h.call("run_a");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().message, "continuation already consumed");
  auto stale_bind = w.h.call("bind_a");
  ASSERT_FALSE(stale_bind.ok());
  EXPECT_EQ(stale_bind.error().message, "continuation already consumed");
  EXPECT_EQ(w.h.bits("run_b"), 2u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
}

TEST(StacksSemantics, DroppedSuspendedContinuationsKeepTheirStacksUntilTheStoreDies) {
  StackWat w;
  w.load_or_die(R"(
    (module
      (type $f (func))
      (type $k (cont $f))
      (tag $t)
      (tag $stop)
      (func $gen (loop $l (suspend $t) (br $l)))
      (elem declare func $gen)
      ;; Starts a generator and drops it while it is suspended.
      (func (export "drop_one")
        (block $h (result (ref $k))
          (resume $k (on $t $h) (cont.new $k (ref.func $gen)))
          (return))
        (drop))
      ;; Same, but ends it with resume_throw, which unwinds and frees it.
      (func (export "stop_one")
        (block $h (result (ref $k))
          (resume $k (on $t $h) (cont.new $k (ref.func $gen)))
          (return))
        (block $stopped (param (ref $k))
          (try_table (param (ref $k)) (catch $stop $stopped)
            (resume_throw $k $stop)))))
  )");
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(w.h.call("drop_one").ok());
  EXPECT_EQ(w.stacks_in_use(), 100u);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(w.h.call("stop_one").ok());
  EXPECT_EQ(w.stacks_in_use(), 100u);  // the stopped ones went back to the pool
  EXPECT_EQ(w.stacks_made(), 101u);    // ... and were reused by the next stop_one
}

TEST(StacksSemantics, ExceptionsCrossSeveralStacks) {
  StackWat w;
  w.load_or_die(R"(
    (module
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (type $f0 (func (result i32)))
      (type $k0 (cont $f0))
      (tag $e (param i32))
      (tag $never)
      ;; level(n): n continuations deep, the innermost throws e(42)
      (func $level (param $n i32) (result i32)
        (if (i32.eqz (local.get $n)) (then (throw $e (i32.const 42))))
        (block $h (result (ref $k0))
          (return (i32.add (i32.const 1)
            (resume $k (on $never $h)
              (i32.sub (local.get $n) (i32.const 1)) (cont.new $k (ref.func $level))))))
        (unreachable))
      ;; catches inside a continuation, halfway up
      (func $middle (param $n i32) (result i32)
        (block $c (result i32)
          (try_table (result i32) (catch $e $c)
            (return (resume $k (local.get $n) (cont.new $k (ref.func $level))))))
        (i32.add (i32.const 1000)))
      (elem declare func $level $middle)
      (func (export "catch_outside") (param $n i32) (result i32)
        (block $c (result i32)
          (try_table (result i32) (catch $e $c)
            (resume $k (local.get $n) (cont.new $k (ref.func $level))))))
      (func (export "catch_middle") (param $n i32) (result i32)
        (resume $k (local.get $n) (cont.new $k (ref.func $middle))))
      (func (export "uncaught") (param $n i32) (result i32)
        (resume $k (local.get $n) (cont.new $k (ref.func $level)))))
  )");
  EXPECT_EQ(w.h.bits("catch_outside", {Value::i32(5)}), 42u);
  EXPECT_EQ(w.stacks_in_use(), 0u);  // the six continuations the exception left died
  EXPECT_EQ(w.h.bits("catch_middle", {Value::i32(5)}), 1042u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  auto r = w.h.call("uncaught", {Value::i32(5)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exception);
  EXPECT_EQ(w.stacks_in_use(), 0u);
}

TEST(StacksSemantics, TrapInsideNestedContinuationsFreesThemWithABacktrace) {
  StackWat w;
  w.load_or_die(R"(
    (module
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (func $inner_fn (param $x i32) (result i32) (i32.div_u (i32.const 1) (local.get $x)))
      (func $outer_fn (param $x i32) (result i32)
        (resume $k (local.get $x) (cont.new $k (ref.func $inner_fn))))
      (elem declare func $inner_fn $outer_fn)
      (func $entry_fn (export "run") (param $x i32) (result i32)
        (resume $k (local.get $x) (cont.new $k (ref.func $outer_fn)))))
  )");
  EXPECT_EQ(w.h.bits("run", {Value::i32(1)}), 1u);
  auto r = w.h.call("run", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "integer divide by zero");
  const std::string& bt = r.error().backtrace;
  const size_t inner = bt.find("inner_fn"), outer = bt.find("outer_fn"), entry = bt.find("entry_fn");
  ASSERT_NE(inner, std::string::npos) << bt;
  ASSERT_NE(outer, std::string::npos) << bt;
  ASSERT_NE(entry, std::string::npos) << bt;
  EXPECT_LT(inner, outer);
  EXPECT_LT(outer, entry);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  EXPECT_EQ(w.h.bits("run", {Value::i32(1)}), 1u);
}

TEST(StacksSemantics, SuspendSkipsSwitchHandlersAndSwitchSkipsSuspendHandlers) {
  StackWat w;
  w.load_or_die(R"(
    (module
      (type $f (func (result i32)))
      (type $k (cont $f))
      (type $fi (func (param i32) (result i32)))
      (type $ki (cont $fi))
      (rec
        (type $sf (func (param (ref null $sk)) (result i32)))
        (type $sk (cont $sf)))
      (tag $t (result i32))

      ;; suspend $t under (on $t switch), itself under (on $t $h): reaches $h
      (func $suspender (type $sf) (suspend $t))
      (func $middle (result i32)
        (resume $sk (on $t switch) (ref.null $sk) (cont.new $sk (ref.func $suspender))))
      (func (export "suspend_past_switch") (result i32)
        (local $c (ref null $ki))
        (block $h (result (ref $ki))
          (return (resume $k (on $t $h) (cont.new $k (ref.func $middle)))))
        (local.set $c)
        (i32.add (i32.const 100) (resume $ki (i32.const 7) (local.get $c))))

      ;; switch $t under (on $t $l), itself under (on $t switch): reaches the switch handler
      (func $target (type $sf) (i32.const 55))
      (func $switcher (type $sf)
        (drop (switch $sk $t (cont.new $sk (ref.func $target))))
        (i32.const -1))
      (func $middle2 (type $sf)
        (block $l (result (ref $ki))
          (return (resume $sk (on $t $l) (ref.null $sk) (cont.new $sk (ref.func $switcher)))))
        (drop)
        (i32.const -2))
      (func (export "switch_past_suspend") (result i32)
        (resume $sk (on $t switch) (ref.null $sk) (cont.new $sk (ref.func $middle2))))

      (elem declare func $suspender $middle $target $switcher $middle2))
  )");
  EXPECT_EQ(w.h.bits("suspend_past_switch"), 107u);
  EXPECT_EQ(w.stacks_in_use(), 0u);
  EXPECT_EQ(w.h.bits("switch_past_suspend"), 55u);
  // The chain the switch detached (middle2 and switcher) was dropped by $target.
  EXPECT_EQ(w.stacks_in_use(), 2u);
}

TEST(StacksSemantics, ContinuationOfAHostFunction) {
  StackWat w;
  uint32_t t = intern_type(w.h.types(), {I32}, {I32});
  Function* host = w.h.store.new_host_function(
      t,
      [](Store&, uint64_t* slots) -> Status {
        if (uint32_t(slots[0]) == 0) return make_error(ErrorKind::trap, "host refuses 0");
        slots[0] = uint32_t(slots[0]) * 3;
        return Status::Ok();
      },
      "host.triple");
  w.load_or_die(R"(
    (module
      (import "host" "triple" (func $triple (param i32) (result i32)))
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (elem declare func $triple)
      (func (export "run") (param i32) (result i32)
        (resume $k (local.get 0) (cont.new $k (ref.func $triple)))))
  )",
                {Extern{ExternKind::func, host}});
  EXPECT_EQ(w.h.bits("run", {Value::i32(14)}), 42u);
  auto r = w.h.call("run", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "host refuses 0");
  EXPECT_EQ(w.stacks_in_use(), 0u);
}

}  // namespace
}  // namespace weft::testing
