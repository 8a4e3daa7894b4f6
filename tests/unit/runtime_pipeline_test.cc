// End to end: WAT -> decode_module -> validate_module (lowering) ->
// instantiate -> invoke. Covers what the spec scripts cannot: stack depth
// limits, exceptions and re-entry through host functions, backtraces.
#include "binary/decoder.h"
#include "interp_builder.h"
#include "text/script.h"
#include "validate/validator.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();

struct Wat {
  Harness h;
  explicit Wat(EngineConfig config = {}) : h(config) {}

  Result<Instance*> load(const char* wat, const std::vector<Extern>& imports = {}) {
    WEFT_TRY(std::vector<uint8_t> bytes, parse_wat(wat));
    WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
    WEFT_CHECK(validate_module(h.types(), *m));
    WEFT_TRY(h.inst, instantiate(h.store, std::shared_ptr<const Module>(std::move(m)), imports));
    return h.inst;
  }
  void load_or_die(const char* wat, const std::vector<Extern>& imports = {}) {
    auto r = load(wat, imports);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }
};

TEST(RuntimePipeline, RecursionDepthAndTailCalls) {
  EngineConfig config;
  config.max_stack_bytes = 256 << 10;
  Wat w(config);
  w.load_or_die(R"(
    (module
      (func $sum (export "sum") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0))
          (then (i64.const 0))
          (else (i64.add (local.get 0) (call $sum (i64.sub (local.get 0) (i64.const 1)))))))
      (func $tsum (export "tsum") (param i64 i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0))
          (then (local.get 1))
          (else (return_call $tsum (i64.sub (local.get 0) (i64.const 1))
                                   (i64.add (local.get 1) (local.get 0)))))))
  )");
  EXPECT_EQ(w.h.bits("sum", {Value::i64(1000)}), 500500u);
  auto deep = w.h.call("sum", {Value::i64(1000000)});
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().kind, ErrorKind::exhaustion);
  EXPECT_EQ(w.h.bits("tsum", {Value::i64(1000000), Value::i64(0)}), 500000500000u);
}

TEST(RuntimePipeline, TrapBacktraceUsesNames) {
  Wat w;
  w.load_or_die(R"(
    (module
      (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
      (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))
  )");
  auto r = w.h.call("outer", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "integer divide by zero");
  EXPECT_NE(r.error().backtrace.find("inner"), std::string::npos) << r.error().backtrace;
  EXPECT_LT(r.error().backtrace.find("inner"), r.error().backtrace.find("outer"));
}

TEST(RuntimePipeline, ExceptionsThroughHostFrames) {
  Wat w;
  // The host calls back into the module's "throw" export; the exception must
  // unwind through the host call into the try_table of "catch".
  Function* thrower = nullptr;
  uint32_t t = intern_type(w.h.types(), {I32}, {I32});
  Function* host = w.h.store.new_host_function(
      t,
      [&](Store& s, uint64_t* slots) -> Status {
        auto r = invoke(s, thrower, {Value::i32(uint32_t(slots[0]))});
        if (!r.ok()) return std::move(r).error();
        slots[0] = (*r)[0].bits;
        return Status::Ok();
      },
      "host.bridge");
  w.load_or_die(R"(
    (module
      (import "host" "bridge" (func $bridge (param i32) (result i32)))
      (tag $e (param i32))
      (func (export "throw") (param i32) (result i32)
        (if (local.get 0) (then (throw $e (i32.mul (local.get 0) (i32.const 3)))))
        (i32.const -1))
      (func (export "catch") (param i32) (result i32)
        (block $h (result i32)
          (try_table (result i32) (catch $e $h)
            (call $bridge (local.get 0)))
          (return))
        (i32.add (i32.const 100))))
  )",
                {Extern{ExternKind::func, host}});
  thrower = w.h.inst->find_export("throw")->func();
  EXPECT_EQ(w.h.bits("catch", {Value::i32(0)}), 0xffffffffu);
  EXPECT_EQ(w.h.bits("catch", {Value::i32(5)}), 115u);
  auto uncaught = w.h.call("throw", {Value::i32(1)});
  ASSERT_FALSE(uncaught.ok());
  EXPECT_EQ(uncaught.error().kind, ErrorKind::exception);
}

TEST(RuntimePipeline, ReferenceTestsAndCasts) {
  Wat w;
  w.load_or_die(R"(
    (module
      (type $f (func (result i32)))
      (type $g (func (param i32)))
      (func $a (type $f) (i32.const 1))
      (elem declare func $a)
      (func (export "test_f") (result i32) (ref.test (ref $f) (ref.func $a)))
      (func (export "test_g") (result i32) (ref.test (ref $g) (ref.func $a)))
      (func (export "test_func") (result i32) (ref.test (ref func) (ref.func $a)))
      (func (export "test_null") (result i32) (ref.test (ref null $g) (ref.null func)))
      (func (export "test_nonnull_null") (result i32) (ref.test (ref $g) (ref.null func)))
      (func (export "cast_ok") (result i32) (call_ref $f (ref.cast (ref $f) (ref.func $a))))
      (func (export "cast_fail") (drop (ref.cast (ref $g) (ref.func $a))))
      (func (export "on_cast") (param i32) (result i32)
        (block $l (result (ref $f))
          (br_on_cast $l funcref (ref $f)
            (select (result funcref) (ref.func $a) (ref.null func) (local.get 0)))
          (drop)
          (return (i32.const 0)))
        (call_ref $f))
      (func (export "on_cast_fail") (param i32) (result i32)
        (block $l (result funcref)
          (br_on_cast_fail $l funcref (ref $f)
            (select (result funcref) (ref.func $a) (ref.null func) (local.get 0)))
          (call_ref $f)
          (return))
        (drop)
        (i32.const 7)))
  )");
  EXPECT_EQ(w.h.bits("test_f"), 1u);
  EXPECT_EQ(w.h.bits("test_g"), 0u);
  EXPECT_EQ(w.h.bits("test_func"), 1u);
  EXPECT_EQ(w.h.bits("test_null"), 1u);
  EXPECT_EQ(w.h.bits("test_nonnull_null"), 0u);
  EXPECT_EQ(w.h.bits("cast_ok"), 1u);
  auto fail = w.h.call("cast_fail");
  ASSERT_FALSE(fail.ok());
  EXPECT_EQ(fail.error().message, "cast failure");
  EXPECT_EQ(w.h.bits("on_cast", {Value::i32(1)}), 1u);
  EXPECT_EQ(w.h.bits("on_cast", {Value::i32(0)}), 0u);
  EXPECT_EQ(w.h.bits("on_cast_fail", {Value::i32(1)}), 1u);
  EXPECT_EQ(w.h.bits("on_cast_fail", {Value::i32(0)}), 7u);
}

}  // namespace
}  // namespace weft::testing
