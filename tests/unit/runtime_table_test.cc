// Tables: get/set/size/grow/fill/copy/init/elem.drop, their bounds rules,
// and element segments at instantiation.
#include "interp_builder.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();
const ValType I64 = ValType::i64();
const ValType Ext = ValType::externref();

constexpr const char* kOob = "out of bounds table access";

// An externref table of `min` elements (max `max`) with exported accessors.
struct TableFixture {
  Harness h;
  TableFixture(uint64_t min, std::optional<uint64_t> max, bool is64 = false) {
    ModuleBuilder b(h.types());
    ValType A = is64 ? I64 : I32;
    b.table(min, max, Ext, is64);
    Code get;
    get.op(Op::table_get, {1, 0, 0}).ret(1);
    b.func(b.type({A}, {Ext}), 1, 2, get, "get");
    Code set;
    set.op(Op::table_set, {0, 0, 1}).ret(0);
    b.func(b.type({A, Ext}, {}), 2, 2, set, "set");
    Code size;
    size.op(Op::table_size, {0, 0}).ret(0);
    b.func(b.type({}, {A}), 0, 1, size, "size");
    Code grow;
    grow.op(Op::table_grow, {0, 0, 1, 0}).ret(0);  // dst == init
    b.func(b.type({Ext, A}, {A}), 2, 2, grow, "grow");
    Code fill;
    fill.op(Op::table_fill, {0, 0, 1, 2}).ret(0);
    b.func(b.type({A, Ext, A}, {}), 3, 3, fill, "fill");
    Code copy;
    copy.op(Op::table_copy, {0, 0, 0, 1, 2}).ret(0);
    b.func(b.type({A, A, A}, {}), 3, 3, copy, "copy");
    h.instantiate_or_die(b);
  }
  std::string trap(const std::string& name, std::vector<Value> args) {
    auto r = h.call(name, std::move(args));
    return r.ok() ? "(no trap)" : r.error().message;
  }
};

Value ext(uint64_t n) { return Value::ref(Ext, make_host_ref(n)); }
Value null_ext() { return Value::ref(Ext, kNullRef); }

TEST(RuntimeTable, GetSetAndBounds) {
  TableFixture f(3, 5);
  EXPECT_EQ(f.h.bits("get", {Value::i32(2)}), kNullRef);
  EXPECT_TRUE(f.h.call("set", {Value::i32(2), ext(7)}).ok());
  EXPECT_EQ(f.h.bits("get", {Value::i32(2)}), make_host_ref(7));
  EXPECT_EQ(f.trap("get", {Value::i32(3)}), kOob);
  EXPECT_EQ(f.trap("set", {Value::i32(0xffffffff), ext(1)}), kOob);
}

TEST(RuntimeTable, GrowRespectsTheMaximum) {
  TableFixture f(1, 4);
  EXPECT_EQ(f.h.bits("grow", {ext(9), Value::i32(2)}), 1u);
  EXPECT_EQ(f.h.bits("size"), 3u);
  EXPECT_EQ(f.h.bits("get", {Value::i32(2)}), make_host_ref(9));
  EXPECT_EQ(f.h.bits("grow", {ext(9), Value::i32(2)}), 0xffffffffu);
  EXPECT_EQ(f.h.bits("grow", {null_ext(), Value::i32(0)}), 3u);
  TableFixture unbounded(0, std::nullopt);
  EXPECT_EQ(unbounded.h.bits("grow", {null_ext(), Value::i32(0xfffffff0)}), 0xffffffffu);
  TableFixture t64(0, std::nullopt, true);
  EXPECT_EQ(t64.h.bits("grow", {null_ext(), Value::i64(~0ull)}), ~0ull);
  EXPECT_EQ(t64.h.bits("grow", {null_ext(), Value::i64(2)}), 0u);
  EXPECT_EQ(t64.h.bits("size"), 2u);
}

TEST(RuntimeTable, FillAndCopy) {
  TableFixture f(4, std::nullopt);
  EXPECT_TRUE(f.h.call("fill", {Value::i32(1), ext(5), Value::i32(2)}).ok());
  EXPECT_EQ(f.h.bits("get", {Value::i32(0)}), kNullRef);
  EXPECT_EQ(f.h.bits("get", {Value::i32(2)}), make_host_ref(5));
  EXPECT_EQ(f.trap("fill", {Value::i32(3), ext(5), Value::i32(2)}), kOob);
  EXPECT_EQ(f.h.bits("get", {Value::i32(3)}), kNullRef);  // nothing written
  EXPECT_TRUE(f.h.call("fill", {Value::i32(4), ext(5), Value::i32(0)}).ok());
  EXPECT_EQ(f.trap("fill", {Value::i32(5), ext(5), Value::i32(0)}), kOob);
  EXPECT_TRUE(f.h.call("copy", {Value::i32(2), Value::i32(1), Value::i32(2)}).ok());
  EXPECT_EQ(f.h.bits("get", {Value::i32(3)}), make_host_ref(5));
  EXPECT_EQ(f.trap("copy", {Value::i32(3), Value::i32(0), Value::i32(2)}), kOob);
  EXPECT_EQ(f.trap("copy", {Value::i32(0), Value::i32(5), Value::i32(0)}), kOob);
}

TEST(RuntimeTable, ElementSegmentsInitAndDrop) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t_v_i = b.type({}, {I32});
  Code k1;
  k1.i32(0, 1).ret(0);
  uint32_t f1 = b.func(t_v_i, 0, 1, k1);
  Code k2;
  k2.i32(0, 2).ret(0);
  uint32_t f2 = b.func(t_v_i, 0, 1, k2);
  b.table(6);
  b.active_elem(0, b.const_i32(0), {f1});
  uint32_t seg = b.passive_elem({f1, f2, f1});
  // init(d, s, n); drop(); call(i) = call_indirect t_v_i table[i]
  Code init;
  init.op(Op::table_init, {0, seg, 0, 1, 2}).ret(0);
  b.func(b.type({I32, I32, I32}, {}), 3, 3, init, "init");
  Code drop;
  drop.op(Op::elem_drop, {seg}).ret(0);
  b.func(b.type({}, {}), 0, 0, drop, "drop");
  Code call;
  call.op(Op::call_indirect, {b.type_id(t_v_i), 0, 1, 0}).ret(1);
  b.func(b.type({I32}, {I32}), 1, 2, call, "call");
  h.instantiate_or_die(b);
  EXPECT_EQ(h.bits("call", {Value::i32(0)}), 1u);
  ASSERT_TRUE(h.call("init", {Value::i32(3), Value::i32(1), Value::i32(2)}).ok());
  EXPECT_EQ(h.bits("call", {Value::i32(3)}), 2u);
  EXPECT_EQ(h.bits("call", {Value::i32(4)}), 1u);
  auto oob = h.call("init", {Value::i32(5), Value::i32(0), Value::i32(2)});
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().message, kOob);
  auto oob_src = h.call("init", {Value::i32(0), Value::i32(2), Value::i32(2)});
  ASSERT_FALSE(oob_src.ok());
  EXPECT_EQ(oob_src.error().message, kOob);
  ASSERT_TRUE(h.call("drop").ok());
  EXPECT_TRUE(h.call("init", {Value::i32(0), Value::i32(0), Value::i32(0)}).ok());
  auto dropped = h.call("init", {Value::i32(0), Value::i32(0), Value::i32(1)});
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().message, kOob);
}

TEST(RuntimeTable, ActiveElemOutOfBoundsTraps) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({}, {});
  Code c;
  c.ret(0);
  uint32_t f = b.func(t, 0, 0, c);
  b.table(2);
  b.active_elem(0, b.const_i32(1), {f, f});
  auto r = instantiate(h.store, b.module(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::trap);
  EXPECT_EQ(r.error().message, kOob);
}

}  // namespace
}  // namespace weft::testing
