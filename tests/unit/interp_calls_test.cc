// Control flow and calls: branches, recursion, stack exhaustion, tail calls
// in constant stack, indirect calls and their traps, host functions and
// host -> Wasm re-entry.
#include "interp_builder.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();
const ValType I64 = ValType::i64();

// fac(n: i64) -> i64, recursive. Slots: 0 = n, 1..2 operands.
uint32_t add_fac(ModuleBuilder& b, uint32_t t) {
  uint32_t self = b.module()->num_funcs();
  Code c;
  c.op(Op::i64_eqz, {1, 0});
  c.op(Op::br_unless, {1, 0});
  uint32_t patch = c.last();
  c.i64(1, 1).ret(1);
  c.patch(patch, c.here());
  c.i64(1, 1).op(Op::i64_sub, {2, 0, 1});
  c.op(Op::call, {self, 2});
  c.op(Op::i64_mul, {1, 0, 2}).ret(1);
  return b.func(t, 1, 3, c, "fac");
}

TEST(InterpCalls, RecursiveFactorial) {
  Harness h;
  ModuleBuilder b(h.types());
  add_fac(b, b.type({I64}, {I64}));
  h.instantiate_or_die(b);
  auto r = h.call("fac", {Value::i64(20)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].bits, 2432902008176640000ull);
  EXPECT_EQ((*r)[0].type.kind, ValKind::i64);
}

TEST(InterpCalls, MultipleResultsAndSelect) {
  Harness h;
  ModuleBuilder b(h.types());
  // pair(x) -> (x, x + 1); pick(c) -> select(c, 10, 20) + second(pair(c))
  uint32_t tpair = b.type({I32}, {I32, I32});
  uint32_t tpick = b.type({I32}, {I32});
  Code pair;
  pair.i32(1, 1).op(Op::i32_add, {2, 0, 1}).op(Op::copy, {1, 0}).ret(1);
  uint32_t fpair = b.func(tpair, 1, 3, pair);
  Code pick;
  pick.i32(1, 10).i32(2, 20).op(Op::select, {1, 0, 1, 2});  // slot1 = c ? 10 : 20
  pick.op(Op::copy, {2, 0}).op(Op::call, {fpair, 2});        // slots 2,3 = (c, c+1)
  pick.op(Op::i32_add, {1, 1, 3}).ret(1);
  b.func(tpick, 1, 4, pick, "pick");
  h.instantiate_or_die(b);
  EXPECT_EQ(h.bits("pick", {Value::i32(0)}), 21u);
  EXPECT_EQ(h.bits("pick", {Value::i32(5)}), 16u);
}

TEST(InterpCalls, BrTableAndLoops) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({I32}, {I32});
  // switch(x) { 0 -> 100, 1 -> 101, default -> 999 }
  Code c;
  c.op(Op::br_table, {0, 2, 0, 0, 0});
  uint32_t t0 = c.last() - 2, t1 = c.last() - 1, td = c.last();
  c.patch(t0, c.here());
  c.i32(1, 100).ret(1);
  c.patch(t1, c.here());
  c.i32(1, 101).ret(1);
  c.patch(td, c.here());
  c.i32(1, 999).ret(1);
  b.func(t, 1, 2, c, "switch");
  // sum(n) = n + (n-1) + ... + 1 with a backward branch.
  Code s;
  s.i32(1, 0);  // local 1: acc
  uint32_t loop = s.here();
  s.op(Op::br_unless, {0, 0});
  uint32_t exit = s.last();
  s.op(Op::i32_add, {1, 1, 0}).i32(2, 1).op(Op::i32_sub, {0, 0, 2}).op(Op::br, {loop});
  s.patch(exit, s.here());
  s.ret(1);
  b.func(t, 2, 3, s, "sum");
  h.instantiate_or_die(b);
  EXPECT_EQ(h.bits("switch", {Value::i32(0)}), 100u);
  EXPECT_EQ(h.bits("switch", {Value::i32(1)}), 101u);
  EXPECT_EQ(h.bits("switch", {Value::i32(2)}), 999u);
  EXPECT_EQ(h.bits("switch", {Value::i32(0xffffffff)}), 999u);
  EXPECT_EQ(h.bits("sum", {Value::i32(100)}), 5050u);
}

TEST(InterpCalls, NonParamLocalsStartAtZero) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({I32}, {I32});
  // dirty(x): local 1 = x, then returns; clean(): returns its local 0
  // (a non-param local), which must be zero even though `dirty` just used
  // the same stack slots.
  Code dirty;
  dirty.op(Op::copy, {1, 0}).ret(1);
  b.func(t, 2, 2, dirty, "dirty");
  uint32_t t0 = b.type({}, {I32});
  Code clean;
  clean.ret(0);
  b.func(t0, 1, 1, clean, "clean");
  h.instantiate_or_die(b);
  EXPECT_EQ(h.bits("dirty", {Value::i32(77)}), 77u);
  EXPECT_EQ(h.bits("clean"), 0u);
}

TEST(InterpCalls, UnreachableTrapsWithBacktrace) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({}, {});
  Code inner;
  inner.op(Op::unreachable);
  uint32_t fi = b.func(t, 0, 0, inner);
  b.name(fi, "inner");
  Code outer;
  outer.op(Op::call, {fi, 0}).ret(0);
  b.func(t, 0, 0, outer, "outer");
  h.instantiate_or_die(b);
  auto r = h.call("outer");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::trap);
  EXPECT_EQ(r.error().message, "unreachable");
  EXPECT_EQ(r.error().backtrace, "  at inner\n  at func[1]\n");
}

TEST(InterpCalls, RunawayRecursionExhaustsTheStack) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({I64}, {I64});
  add_fac(b, t);
  uint32_t tv = b.type({}, {});
  Code c;
  c.op(Op::call, {1, 0}).ret(0);
  b.func(tv, 0, 0, c, "runaway");
  h.instantiate_or_die(b);
  auto r = h.call("runaway");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exhaustion);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  // The recursion prints as one line with its frame count.
  EXPECT_NE(r.error().backtrace.find(" frames)\n"), std::string::npos);
  EXPECT_LT(std::count(r.error().backtrace.begin(), r.error().backtrace.end(), '\n'), 4);
  // fac with a huge argument recurses until the stack is exhausted too.
  auto f = h.call("fac", {Value::i64(100000000)});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, ErrorKind::exhaustion);
  // The store stays usable.
  auto ok = h.call("fac", {Value::i64(5)});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0].bits, 120u);
}

// countdown(n) = n == 0 ? 42 : countdown(n - 1), as a tail call.
void add_countdown(ModuleBuilder& b, bool tail) {
  uint32_t t = b.type({I64}, {I64});
  uint32_t self = b.module()->num_funcs();
  Code c;
  c.op(Op::br_if, {0, 0});
  uint32_t patch = c.last();
  c.i64(1, 42).ret(1);
  c.patch(patch, c.here());
  c.i64(1, 1).op(Op::i64_sub, {1, 0, 1});
  if (tail) {
    c.op(Op::return_call, {self, 1});
  } else {
    c.op(Op::call, {self, 1}).ret(1);
  }
  b.func(t, 1, 2, c, tail ? "tail" : "plain");
}

TEST(InterpCalls, TailCallsRunInConstantStack) {
  EngineConfig config;
  config.max_stack_bytes = 64 << 10;
  Harness h(config);
  ModuleBuilder b(h.types());
  add_countdown(b, true);
  add_countdown(b, false);
  h.instantiate_or_die(b);
  auto r = h.call("tail", {Value::i64(5000000)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].bits, 42u);
  auto p = h.call("plain", {Value::i64(5000000)});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind, ErrorKind::exhaustion);
}

TEST(InterpCalls, MutualTailRecursion) {
  EngineConfig config;
  config.max_stack_bytes = 64 << 10;
  Harness h(config);
  ModuleBuilder b(h.types());
  uint32_t t = b.type({I32}, {I32});
  // even(n) = n == 0 ? 1 : odd(n - 1); odd(n) = n == 0 ? 0 : even(n - 1).
  for (uint32_t which = 0; which < 2; ++which) {
    Code c;
    c.op(Op::br_if, {0, 0});
    uint32_t patch = c.last();
    c.i32(1, which == 0 ? 1 : 0).ret(1);
    c.patch(patch, c.here());
    c.i32(1, 1).op(Op::i32_sub, {1, 0, 1}).op(Op::return_call, {1 - which, 1});
    b.func(t, 1, 2, c, which == 0 ? "even" : "odd");
  }
  h.instantiate_or_die(b);
  EXPECT_EQ(h.bits("even", {Value::i32(1000001)}), 0u);
  EXPECT_EQ(h.bits("odd", {Value::i32(1000001)}), 1u);
}

struct IndirectFixture {
  Harness h;
  uint32_t t_i_i = 0, t_v_i = 0;
  IndirectFixture() {
    ModuleBuilder b(h.types());
    t_i_i = b.type({I32}, {I32});
    t_v_i = b.type({}, {I32});
    Code inc;
    inc.i32(1, 1).op(Op::i32_add, {1, 0, 1}).ret(1);
    uint32_t finc = b.func(t_i_i, 1, 2, inc);
    Code k;
    k.i32(0, 7).ret(0);
    uint32_t fk = b.func(t_v_i, 0, 1, k);
    b.table(4);
    b.active_elem(0, b.const_i32(0), {finc, fk});
    // dispatch(x, i) = call_indirect (type i32->i32) table[i](x)
    uint32_t t2 = b.type({I32, I32}, {I32});
    Code d;
    d.op(Op::copy, {2, 0}).op(Op::call_indirect, {b.type_id(t_i_i), 0, 2, 1}).ret(2);
    b.func(t2, 2, 3, d, "dispatch");
    Code rd;
    rd.op(Op::copy, {2, 0}).op(Op::return_call_indirect, {b.type_id(t_i_i), 0, 2, 1});
    b.func(t2, 2, 3, rd, "tail_dispatch");
    // by_ref(x) = call_ref (ref.func inc)(x); null_ref() = call_ref null
    Code cr;
    cr.op(Op::copy, {1, 0}).op(Op::ref_func, {2, finc}).op(Op::call_ref, {1, 2}).ret(1);
    b.func(t_i_i, 1, 3, cr, "by_ref");
    Code nr;
    nr.op(Op::ref_null, {1}).op(Op::call_ref, {0, 1}).ret(0);
    b.func(t_i_i, 1, 2, nr, "null_ref");
    h.instantiate_or_die(b);
  }
};

TEST(InterpCalls, CallIndirectAndItsTraps) {
  IndirectFixture f;
  auto ok = f.h.call("dispatch", {Value::i32(41), Value::i32(0)});
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ((*ok)[0].bits, 42u);
  auto tail = f.h.call("tail_dispatch", {Value::i32(1), Value::i32(0)});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ((*tail)[0].bits, 2u);
  auto mismatch = f.h.call("dispatch", {Value::i32(1), Value::i32(1)});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().message, "indirect call type mismatch");
  auto uninit = f.h.call("dispatch", {Value::i32(1), Value::i32(3)});
  ASSERT_FALSE(uninit.ok());
  EXPECT_EQ(uninit.error().message, "uninitialized element 3");
  auto undef = f.h.call("tail_dispatch", {Value::i32(1), Value::i32(4)});
  ASSERT_FALSE(undef.ok());
  EXPECT_EQ(undef.error().message, "undefined element 4");
  auto undef_big = f.h.call("dispatch", {Value::i32(1), Value::i32(0xffffffff)});
  ASSERT_FALSE(undef_big.ok());
  EXPECT_EQ(undef_big.error().message, "undefined element 4294967295");
}

TEST(InterpCalls, CallRef) {
  IndirectFixture f;
  auto ok = f.h.call("by_ref", {Value::i32(9)});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0].bits, 10u);
  auto null = f.h.call("null_ref", {Value::i32(9)});
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.error().kind, ErrorKind::trap);
  EXPECT_EQ(null.error().message, "null function reference");
}

TEST(InterpCalls, HostFunctionsAndReentry) {
  Harness h;
  uint32_t t = intern_type(h.types(), {I32}, {I32});
  Function* wasm_f = nullptr;
  int calls = 0;
  // host(x) = x <= 0 ? 1000 : wasm(x - 1) + 1, re-entering Wasm.
  Function* host = h.store.new_host_function(
      t,
      [&](Store& s, uint64_t* slots) -> Status {
        ++calls;
        int32_t x = int32_t(slots[0]);
        if (x <= 0) {
          slots[0] = 1000;
          return Status::Ok();
        }
        auto r = invoke(s, wasm_f, {Value::i32(uint32_t(x - 1))});
        if (!r.ok()) return std::move(r).error();
        slots[0] = uint32_t((*r)[0].bits + 1);
        return Status::Ok();
      },
      "host");
  ModuleBuilder b(h.types());
  uint32_t ti = b.type({I32}, {I32});
  uint32_t fh = b.import_func(ti);
  // wasm(x) = host(x) * 1 with a live value below the call to check that the
  // host's re-entry does not clobber the caller's frame.
  Code c;
  c.i32(1, 5).op(Op::copy, {2, 0}).op(Op::call, {fh, 2}).op(Op::i32_add, {1, 1, 2}).i32(2, 5);
  c.op(Op::i32_sub, {1, 1, 2}).ret(1);
  b.func(ti, 1, 3, c, "wasm");
  h.instantiate_or_die(b, {Extern{ExternKind::func, host}});
  wasm_f = h.inst->find_export("wasm")->func();
  auto r = h.call("wasm", {Value::i32(10)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].bits, 1010u);
  EXPECT_EQ(calls, 11);
  // Unbounded re-entry stops with exhaustion, not a host stack overflow.
  auto deep = h.call("wasm", {Value::i32(1000000)});
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().kind, ErrorKind::exhaustion);
  EXPECT_EQ(deep.error().message, "call stack exhausted");
  // Direct host invocation.
  auto direct = invoke(h.store, host, {Value::i32(0)});
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ((*direct)[0].bits, 1000u);
}

TEST(InterpCalls, HostErrorsPropagateAsTraps) {
  Harness h;
  uint32_t t = intern_type(h.types(), {}, {});
  Function* host = h.store.new_host_function(
      t, [](Store&, uint64_t*) -> Status { return make_error(ErrorKind::trap, "host says no"); }, "failing");
  ModuleBuilder b(h.types());
  uint32_t tv = b.type({}, {});
  uint32_t fh = b.import_func(tv);
  Code c;
  c.op(Op::call, {fh, 0}).ret(0);
  b.func(tv, 0, 0, c, "f");
  Code tc;
  tc.op(Op::return_call, {fh, 0});
  b.func(tv, 0, 0, tc, "tail");
  h.instantiate_or_die(b, {Extern{ExternKind::func, host}});
  for (const char* name : {"f", "tail"}) {
    auto r = h.call(name);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::trap);
    EXPECT_EQ(r.error().message, "host says no");
    EXPECT_NE(r.error().backtrace.find("at failing"), std::string::npos);
  }
}

TEST(InterpCalls, ReferenceTestsOnHostValues) {
  // Without GC objects, an internalised host value is an anyref that is not
  // an eqref.
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({ValType::externref()}, {I32});
  auto test = [&](AbsHeap heap, bool nullable, const char* name) {
    Code c;
    c.op(Op::any_convert_extern, {1, 0});
    c.op(nullable ? Op::ref_test_null : Op::ref_test, {1, 1, HeapType::abstract(heap).bits}).ret(1);
    b.func(t, 1, 2, c, name);
  };
  test(AbsHeap::any, false, "any");
  test(AbsHeap::eq, true, "eq_null");
  test(AbsHeap::none, true, "none_null");
  Code cast;
  cast.op(Op::ref_cast, {0, HeapType::abstract(AbsHeap::extern_).bits}).i32(1, 1).ret(1);
  b.func(t, 1, 2, cast, "cast_extern");
  h.instantiate_or_die(b);
  Value host = Value::ref(ValType::externref(), make_host_ref(3));
  Value null = Value::ref(ValType::externref(), kNullRef);
  EXPECT_EQ(h.bits("any", {host}), 1u);
  EXPECT_EQ(h.bits("any", {null}), 0u);
  EXPECT_EQ(h.bits("eq_null", {host}), 0u);
  EXPECT_EQ(h.bits("eq_null", {null}), 1u);
  EXPECT_EQ(h.bits("none_null", {host}), 0u);
  EXPECT_EQ(h.bits("cast_extern", {host}), 1u);
  auto r = h.call("cast_extern", {null});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "cast failure");
}

TEST(InterpCalls, InvokeChecksArguments) {
  Harness h;
  ModuleBuilder b(h.types());
  add_fac(b, b.type({I64}, {I64}));
  h.instantiate_or_die(b);
  EXPECT_FALSE(h.call("fac", {}).ok());
  EXPECT_FALSE(h.call("fac", {Value::i32(1)}).ok());
}

}  // namespace
}  // namespace weft::testing
