// Fuel, deadlines and interrupts (docs/limits.md): code lowered with interrupt
// checks traps with a clear message, also when it spins inside a
// continuation, and the store stays usable afterwards.
#include <thread>

#include "stacks_util.h"

namespace weft::testing {
namespace {

constexpr const char* kSpin = R"(
  (module
    (type $f (func))
    (type $k (cont $f))
    (func $spin (loop $l (br $l)))
    (func $rec (call $rec))
    (func $count (param $n i32) (result i32)
      (local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $i))
    (elem declare func $spin)
    (func (export "spin") (call $spin))
    (func (export "rec") (call $rec))
    (func (export "count") (param i32) (result i32) (call $count (local.get 0)))
    (func (export "spin_in_cont") (resume $k (cont.new $k (ref.func $spin)))))
)";

struct BudgetWat : StackWat {
  explicit BudgetWat(EngineConfig config) : StackWat(config) {}
  void load_checked(const char* wat) {
    auto bytes = parse_wat(wat);
    ASSERT_TRUE(bytes.ok());
    auto m = decode_module(std::move(bytes.value()));
    ASSERT_TRUE(m.ok());
    ASSERT_TRUE(validate_module(h.types(), *m.value(), {.interrupt_checks = true}).ok());
    auto inst = instantiate(h.store, std::shared_ptr<const Module>(std::move(m.value())), {});
    ASSERT_TRUE(inst.ok()) << inst.error().to_string();
    h.inst = inst.value();
  }
};

void expect_stopped(BudgetWat& w, const char* name, const char* message) {
  auto r = w.h.call(name);
  ASSERT_FALSE(r.ok()) << name;
  EXPECT_EQ(r.error().kind, ErrorKind::exhaustion) << name;
  EXPECT_EQ(r.error().message, message) << name;
  EXPECT_EQ(w.stacks_in_use(), 0u) << name;
}

TEST(InterpBudget, FuelStopsLoopsRecursionAndContinuations) {
  EngineConfig c;
  c.fuel = 1000000;
  BudgetWat w(c);
  w.load_checked(kSpin);
  expect_stopped(w, "spin", "fuel exhausted");
  expect_stopped(w, "spin_in_cont", "fuel exhausted");
  expect_stopped(w, "rec", "fuel exhausted");
  // Each invoke from the host gets the whole budget again: a loop of 500,000
  // iterations (plus two function entries) fits, one of 1,000,000 does not.
  EXPECT_EQ(w.h.bits("count", {Value::i32(500000)}), 500000u);
  EXPECT_EQ(w.h.bits("count", {Value::i32(999990)}), 999990u);
  auto r = w.h.call("count", {Value::i32(1000000)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "fuel exhausted");
}

TEST(InterpBudget, DeadlineStopsSpinningCode) {
  EngineConfig c;
  c.timeout_ms = 50;
  BudgetWat w(c);
  w.load_checked(kSpin);
  expect_stopped(w, "spin", "deadline exceeded");
  expect_stopped(w, "spin_in_cont", "deadline exceeded");
  EXPECT_EQ(w.h.bits("count", {Value::i32(1000)}), 1000u);
}

TEST(InterpBudget, InterruptFromAnotherThread) {
  EngineConfig c;
  c.interruptible = true;
  BudgetWat w(c);
  w.load_checked(kSpin);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    w.h.store.interrupt();
  });
  expect_stopped(w, "spin_in_cont", "interrupted");
  stopper.join();
  EXPECT_EQ(w.h.bits("count", {Value::i32(1000)}), 1000u);
}

TEST(InterpBudget, ModulesWithoutChecksAreRefused) {
  EngineConfig c;
  c.fuel = 1000;
  StackWat w(c);
  auto r = w.load(kSpin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
}

}  // namespace
}  // namespace weft::testing
