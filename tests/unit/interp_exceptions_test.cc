// Exception handling: throw / throw_ref, handler search across frames,
// payload and exnref delivery, uncaught exceptions, exceptions crossing host
// functions.
#include "interp_builder.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();
using K = HandlerEntry::Kind;

struct ExnModule {
  Harness h;
  uint32_t tag_a = 0, tag_b = 0;

  // thrower(x): x == 0 -> throw tag_b(); x == 1 -> throw tag_a(x * 10); else return x.
  uint32_t add_thrower(ModuleBuilder& b, uint32_t t_i_i) {
    Code c;
    c.op(Op::br_if, {0, 0});
    uint32_t p0 = c.last();
    c.op(Op::throw_, {tag_b, 1});
    c.patch(p0, c.here());
    c.i32(1, 1).op(Op::i32_eq, {1, 0, 1}).op(Op::br_unless, {1, 0});
    uint32_t p1 = c.last();
    c.i32(1, 10).op(Op::i32_mul, {1, 0, 1}).op(Op::throw_, {tag_a, 1});
    c.patch(p1, c.here());
    c.ret(0);
    return b.func(t_i_i, 1, 2, c, "thrower");
  }
};

TEST(InterpExceptions, CatchAcrossFramesWithPayload) {
  ExnModule m;
  ModuleBuilder b(m.h.types());
  uint32_t t_i_i = b.type({I32}, {I32});
  uint32_t t_a = b.type({I32}, {});
  uint32_t t_b = b.type({}, {});
  m.tag_a = b.tag(t_a);
  m.tag_b = b.tag(t_b);
  uint32_t thrower = m.add_thrower(b, t_i_i);
  // catcher(x): try_table (catch tag_a -> L1) (catch_all -> L2) { r = middle(x) } return r
  //   L1: return payload + 1;  L2: return 555
  // middle(x) = thrower(x) + 0 (an extra frame without handlers)
  Code mid;
  mid.op(Op::copy, {1, 0}).op(Op::call, {thrower, 1}).ret(1);
  uint32_t middle = b.func(t_i_i, 1, 2, mid);
  Code c;
  uint32_t start = c.here();
  c.op(Op::copy, {1, 0}).op(Op::call, {middle, 1});
  uint32_t end = c.here();
  c.ret(1);
  uint32_t l1 = c.here();
  c.i32(2, 1).op(Op::i32_add, {1, 1, 2}).ret(1);
  uint32_t l2 = c.here();
  c.i32(1, 555).ret(1);
  b.func(t_i_i, 1, 3, c, "catcher",
         {HandlerEntry{start, end, K::catch_, m.tag_a, l1, 1}, HandlerEntry{start, end, K::catch_all, 0, l2, 1}});
  m.h.instantiate_or_die(b);
  EXPECT_EQ(m.h.bits("catcher", {Value::i32(7)}), 7u);
  EXPECT_EQ(m.h.bits("catcher", {Value::i32(1)}), 11u);
  EXPECT_EQ(m.h.bits("catcher", {Value::i32(0)}), 555u);
  auto uncaught = m.h.call("thrower", {Value::i32(1)});
  ASSERT_FALSE(uncaught.ok());
  EXPECT_EQ(uncaught.error().kind, ErrorKind::exception);
  ASSERT_NE(m.h.store.pending_exception(), nullptr);
  EXPECT_EQ(m.h.store.pending_exception()->payload, std::vector<uint64_t>{10});
}

TEST(InterpExceptions, HandlerRangeIsRespected) {
  ExnModule m;
  ModuleBuilder b(m.h.types());
  uint32_t t_i_i = b.type({I32}, {I32});
  m.tag_a = b.tag(b.type({I32}, {}));
  m.tag_b = b.tag(b.type({}, {}));
  uint32_t thrower = m.add_thrower(b, t_i_i);
  // The handler covers only a nop-like range before the call.
  Code c;
  uint32_t start = c.here();
  c.i32(2, 0);
  uint32_t end = c.here();
  c.op(Op::copy, {1, 0}).op(Op::call, {thrower, 1}).ret(1);
  uint32_t l = c.here();
  c.i32(1, 555).ret(1);
  b.func(t_i_i, 1, 3, c, "f", {HandlerEntry{start, end, K::catch_all, 0, l, 1}});
  m.h.instantiate_or_die(b);
  auto r = m.h.call("f", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exception);
}

TEST(InterpExceptions, CatchRefAndRethrow) {
  ExnModule m;
  ModuleBuilder b(m.h.types());
  uint32_t t_i_i = b.type({I32}, {I32});
  m.tag_a = b.tag(b.type({I32}, {}));
  m.tag_b = b.tag(b.type({}, {}));
  uint32_t thrower = m.add_thrower(b, t_i_i);
  // inner(x): try { thrower(x) } catch_ref tag_a -> (payload in 1, exnref in 2): throw_ref 2
  Code in;
  uint32_t s = in.here();
  in.op(Op::copy, {1, 0}).op(Op::call, {thrower, 1});
  uint32_t e = in.here();
  in.ret(1);
  uint32_t l = in.here();
  in.op(Op::throw_ref, {2});
  uint32_t inner = b.func(t_i_i, 1, 3, in, "inner", {HandlerEntry{s, e, K::catch_ref, m.tag_a, l, 1}});
  // outer(x): try { inner(x) } catch tag_a -> payload + 5; catch_all_ref -> exnref is non-null ? 77 : 0
  Code out;
  uint32_t s2 = out.here();
  out.op(Op::copy, {1, 0}).op(Op::call, {inner, 1});
  uint32_t e2 = out.here();
  out.ret(1);
  uint32_t la = out.here();
  out.i32(2, 5).op(Op::i32_add, {1, 1, 2}).ret(1);
  uint32_t lall = out.here();
  out.op(Op::ref_is_null, {1, 1}).op(Op::br_if, {1, 0});
  uint32_t p = out.last();
  out.i32(1, 77).ret(1);
  out.patch(p, out.here());
  out.i32(1, 0).ret(1);
  b.func(t_i_i, 1, 3, out, "outer",
         {HandlerEntry{s2, e2, K::catch_, m.tag_a, la, 1}, HandlerEntry{s2, e2, K::catch_all_ref, 0, lall, 1}});
  // null_rethrow(): throw_ref null
  Code nr;
  nr.op(Op::ref_null, {1}).op(Op::throw_ref, {1});
  b.func(t_i_i, 1, 2, nr, "null_rethrow");
  m.h.instantiate_or_die(b);
  EXPECT_EQ(m.h.bits("outer", {Value::i32(1)}), 15u);
  EXPECT_EQ(m.h.bits("outer", {Value::i32(0)}), 77u);
  EXPECT_EQ(m.h.bits("outer", {Value::i32(3)}), 3u);
  auto r = m.h.call("null_rethrow", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::trap);
  EXPECT_EQ(r.error().message, "null exception reference");
}

TEST(InterpExceptions, TagsAreComparedByIdentityAcrossInstances) {
  // Two instances of the same module have distinct tags: an exception of
  // one instance's tag is not caught by the other's catch clause.
  Harness h;
  auto build = [&](Function* imported_thrower) {
    ModuleBuilder b(h.types());
    uint32_t t_v_v = b.type({}, {});
    uint32_t t_i_i = b.type({I32}, {I32});
    uint32_t fimp = b.import_func(t_v_v);
    uint32_t tag = b.tag(b.type({}, {}));
    b.export_("tag", ExternKind::tag, tag);
    Code th;
    th.op(Op::throw_, {tag, 0});
    b.func(t_v_v, 0, 0, th, "throw");
    Code c;
    uint32_t s = c.here();
    c.op(Op::call, {fimp, 1});
    uint32_t e = c.here();
    c.i32(1, 1).ret(1);
    uint32_t l = c.here();
    c.i32(1, 2).ret(1);
    b.func(t_i_i, 1, 2, c, "catch_own", {HandlerEntry{s, e, K::catch_, tag, l, 1}});
    auto r = instantiate(h.store, b.module(), {Extern{ExternKind::func, imported_thrower}});
    EXPECT_TRUE(r.ok());
    return r.value();
  };
  uint32_t t = intern_type(h.types(), {}, {});
  Function* noop = h.store.new_host_function(t, [](Store&, uint64_t*) { return Status::Ok(); }, "noop");
  Instance* a = build(noop);
  Instance* b2 = build(a->find_export("throw")->func());
  Function* catch_own_b = b2->find_export("catch_own")->func();
  auto r = invoke(h.store, catch_own_b, {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exception);
  // A's own catch clause does catch it when A's catch_own calls a thrower
  // of A's tag (instance C re-exports B's import of A.throw).
  Instance* c = build(a->find_export("throw")->func());
  EXPECT_FALSE(invoke(h.store, c->find_export("catch_own")->func(), {Value::i32(0)}).ok());
}

TEST(InterpExceptions, ExceptionsCrossHostFunctions) {
  // wasm catcher -> host -> invoke(wasm thrower): the exception unwinds
  // through the host frame into the catcher.
  Harness h;
  Function* thrower = nullptr;
  uint32_t t = intern_type(h.types(), {I32}, {I32});
  Function* host = h.store.new_host_function(
      t,
      [&](Store& s, uint64_t* slots) -> Status {
        auto r = invoke(s, thrower, {Value::i32(uint32_t(slots[0]))});
        if (!r.ok()) return std::move(r).error();
        slots[0] = (*r)[0].bits;
        return Status::Ok();
      },
      "bridge");
  ModuleBuilder b(h.types());
  uint32_t t_i_i = b.type({I32}, {I32});
  uint32_t fh = b.import_func(t_i_i);
  uint32_t tag = b.tag(b.type({I32}, {}));
  Code th;
  th.op(Op::throw_, {tag, 0});
  b.func(t_i_i, 1, 1, th, "thrower");
  Code c;
  uint32_t s = c.here();
  c.op(Op::copy, {1, 0}).op(Op::call, {fh, 1});
  uint32_t e = c.here();
  c.ret(1);
  uint32_t l = c.here();
  c.i32(2, 1000).op(Op::i32_add, {1, 1, 2}).ret(1);
  b.func(t_i_i, 1, 3, c, "catcher", {HandlerEntry{s, e, K::catch_, tag, l, 1}});
  // tail_catcher: the same, but the host is reached by return_call from a
  // helper, so the helper's own handler must not apply.
  Code helper;
  uint32_t hs = helper.here();
  helper.op(Op::return_call, {fh, 0});
  uint32_t he = helper.here();
  uint32_t hl = helper.here();
  helper.i32(0, 1).ret(0);
  uint32_t fhelper = b.func(t_i_i, 1, 1, helper, "", {HandlerEntry{hs, he, K::catch_all, 0, hl, 0}});
  Code tc;
  uint32_t ts = tc.here();
  tc.op(Op::copy, {1, 0}).op(Op::call, {fhelper, 1});
  uint32_t te = tc.here();
  tc.ret(1);
  uint32_t tl = tc.here();
  tc.i32(2, 2000).op(Op::i32_add, {1, 1, 2}).ret(1);
  b.func(t_i_i, 1, 3, tc, "tail_catcher", {HandlerEntry{ts, te, K::catch_, tag, tl, 1}});
  h.instantiate_or_die(b, {Extern{ExternKind::func, host}});
  thrower = h.inst->find_export("thrower")->func();
  auto r = h.call("catcher", {Value::i32(5)});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].bits, 1005u);
  auto r2 = h.call("tail_catcher", {Value::i32(5)});
  ASSERT_TRUE(r2.ok()) << r2.error().to_string();
  EXPECT_EQ((*r2)[0].bits, 2005u);
}

}  // namespace
}  // namespace weft::testing
