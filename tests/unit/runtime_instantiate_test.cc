// Instantiation: import matching, globals and their initialisers, table
// initialisers, element expressions, the start function, exports.
#include "interp_builder.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();
const ValType I64 = ValType::i64();

Limits limits(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  Limits l;
  l.min = min;
  l.max = max;
  return l;
}

TEST(RuntimeInstantiate, FunctionImportsMatchByType) {
  Harness h;
  uint32_t t_i = intern_type(h.types(), {I32}, {});
  uint32_t t_l = intern_type(h.types(), {I64}, {});
  auto noop = [](Store&, uint64_t*) { return Status::Ok(); };
  Function* fi = h.store.new_host_function(t_i, noop, "fi");
  Function* fl = h.store.new_host_function(t_l, noop, "fl");
  auto module = [&] {
    ModuleBuilder b(h.types());
    b.import_func(b.type({I32}, {}));
    return b.module();
  };
  EXPECT_TRUE(instantiate(h.store, module(), {Extern{ExternKind::func, fi}}).ok());
  auto bad = instantiate(h.store, module(), {Extern{ExternKind::func, fl}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::unlinkable);
  EXPECT_EQ(bad.error().message.rfind("incompatible import type", 0), 0u);
  Global* g = h.store.new_global(GlobalType{I32, false}, 0);
  auto kind = instantiate(h.store, module(), {Extern{ExternKind::global, g}});
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().kind, ErrorKind::unlinkable);
  auto count = instantiate(h.store, module(), {});
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().kind, ErrorKind::unlinkable);
}

TEST(RuntimeInstantiate, TableAndMemoryLimits) {
  Harness h;
  TableType tt;
  tt.limits = limits(2, 10);
  Table* table = h.store.new_table(tt, kNullRef);
  MemoryType mt;
  mt.limits = limits(1);
  Memory* mem = h.store.new_memory(mt);
  auto with_table = [&](Limits l) {
    ModuleBuilder b(h.types());
    TableType want;
    want.limits = l;
    b.import_table(want);
    return instantiate(h.store, b.module(), {Extern{ExternKind::table, table}}).ok();
  };
  EXPECT_TRUE(with_table(limits(1, 20)));
  EXPECT_TRUE(with_table(limits(2, 10)));
  EXPECT_TRUE(with_table(limits(0)));
  EXPECT_FALSE(with_table(limits(3)));
  EXPECT_FALSE(with_table(limits(1, 5)));
  Limits l64 = limits(1);
  l64.is64 = true;
  EXPECT_FALSE(with_table(l64));
  auto with_memory = [&](Limits l) {
    ModuleBuilder b(h.types());
    b.import_memory(l);
    return instantiate(h.store, b.module(), {Extern{ExternKind::memory, mem}}).ok();
  };
  EXPECT_TRUE(with_memory(limits(1)));
  EXPECT_FALSE(with_memory(limits(2)));
  EXPECT_FALSE(with_memory(limits(1, 100)));  // the memory has no maximum
  // Matching uses the current size.
  EXPECT_EQ(mem->grow(1), 1);
  EXPECT_TRUE(with_memory(limits(2)));
  // Table element types must match exactly.
  ModuleBuilder b(h.types());
  TableType ext;
  ext.elem = ValType::externref();
  ext.limits = limits(1);
  b.import_table(ext);
  EXPECT_FALSE(instantiate(h.store, b.module(), {Extern{ExternKind::table, table}}).ok());
}

TEST(RuntimeInstantiate, GlobalImportsAndInitialisers) {
  Harness h;
  Global* imported = h.store.new_global(GlobalType{I32, false}, 40);
  Global* mut = h.store.new_global(GlobalType{I32, true}, 0);
  ModuleBuilder b(h.types());
  b.import_global(GlobalType{I32, false});
  // g1 = imported + 2 (extended constant expression), g2 = g1 * 2 (mutable)
  Code c1;
  c1.op(Op::global_get, {0, 0}).i32(1, 2).op(Op::i32_add, {0, 0, 1}).ret(0);
  uint32_t g1 = b.global(I32, false, b.const_expr(c1, 2));
  Code c2;
  c2.op(Op::global_get, {0, g1}).i32(1, 2).op(Op::i32_mul, {0, 0, 1}).ret(0);
  uint32_t g2 = b.global(I32, true, b.const_expr(c2, 2));
  b.export_("g1", ExternKind::global, g1);
  b.export_("g2", ExternKind::global, g2);
  // bump() = g2 += 1; returns g2
  Code bump;
  bump.op(Op::global_get, {0, g2}).i32(1, 1).op(Op::i32_add, {0, 0, 1}).op(Op::global_set, {g2, 0}).ret(0);
  b.func(b.type({}, {I32}), 0, 2, bump, "bump");
  auto m = b.module();
  auto r = instantiate(h.store, m, {Extern{ExternKind::global, imported}});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  h.inst = r.value();
  EXPECT_EQ(h.inst->find_export("g1")->global()->value, 42u);
  EXPECT_EQ(h.inst->find_export("g2")->global()->value, 84u);
  EXPECT_EQ(h.bits("bump"), 85u);
  EXPECT_EQ(h.inst->find_export("g2")->global()->value, 85u);
  // Mutability must match.
  auto bad = instantiate(h.store, m, {Extern{ExternKind::global, mut}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::unlinkable);
}

TEST(RuntimeInstantiate, TableInitialiserAndElementExpressions) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t t = b.type({}, {I32});
  Code k;
  k.i32(0, 5).ret(0);
  uint32_t f = b.func(t, 0, 1, k);
  // table of 3 elements, each initialised to ref.func f
  TableDecl td;
  td.type.limits = limits(3);
  td.init = b.const_expr(Code().op(Op::ref_func, {0, f}).ret(0));
  b.module()->tables.push_back(td);
  // elem segment with expressions (ref.null, ref.func f) at offset 1
  ElemSegment seg;
  seg.mode = ElemSegment::Mode::active;
  seg.offset = b.const_i32(1);
  seg.uses_exprs = true;
  seg.exprs = {b.const_expr(Code().op(Op::ref_null, {0}).ret(0)), b.const_expr(Code().op(Op::ref_func, {0, f}).ret(0))};
  b.module()->elems.push_back(seg);
  b.export_("t", ExternKind::table, 0);
  h.instantiate_or_die(b);
  Table* table = h.inst->find_export("t")->table();
  ASSERT_EQ(table->elems.size(), 3u);
  Ref rf = reinterpret_cast<Ref>(h.inst->funcs[f]);
  EXPECT_EQ(table->elems[0], rf);
  EXPECT_EQ(table->elems[1], kNullRef);
  EXPECT_EQ(table->elems[2], rf);
  // Active segments are dropped after initialisation.
  EXPECT_TRUE(h.inst->elems[0].refs.empty());
}

TEST(RuntimeInstantiate, StartFunction) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t g = b.global(I32, true, b.const_i32(1));
  b.export_("g", ExternKind::global, g);
  Code s;
  s.i32(0, 99).op(Op::global_set, {g, 0}).ret(0);
  uint32_t f = b.func(b.type({}, {}), 0, 1, s);
  b.start(f);
  h.instantiate_or_die(b);
  EXPECT_EQ(h.inst->find_export("g")->global()->value, 99u);
  EXPECT_FALSE(h.inst->find_export("missing").has_value());

  ModuleBuilder t(h.types());
  Code u;
  u.op(Op::unreachable);
  t.start(t.func(t.type({}, {}), 0, 0, u));
  auto r = instantiate(h.store, t.module(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::trap);
  EXPECT_EQ(r.error().message, "unreachable");
}

TEST(RuntimeInstantiate, ExportsAllKinds) {
  Harness h;
  ModuleBuilder b(h.types());
  uint32_t f = b.func(b.type({}, {}), 0, 0, Code().ret(0), "f");
  b.memory(1);
  b.table(1);
  uint32_t tag = b.tag(b.type({}, {}));
  b.export_("m", ExternKind::memory, 0);
  b.export_("t", ExternKind::table, 0);
  b.export_("e", ExternKind::tag, tag);
  h.instantiate_or_die(b);
  EXPECT_EQ(h.inst->find_export("f")->func(), h.inst->funcs[f]);
  EXPECT_EQ(h.inst->find_export("m")->kind, ExternKind::memory);
  EXPECT_EQ(h.inst->find_export("m")->memory()->size_bytes, 65536u);
  EXPECT_EQ(h.inst->find_export("t")->table(), h.inst->tables[0]);
  EXPECT_EQ(h.inst->find_export("e")->tag(), h.inst->tags[0]);
  EXPECT_EQ(h.inst->funcs[f]->debug_name, "func[0]");
}

TEST(RuntimeValue, FormatValue) {
  EXPECT_EQ(format_value(Value::i32(0xffffffff)), "-1 : i32");
  EXPECT_EQ(format_value(Value::i64(42)), "42 : i64");
  EXPECT_EQ(format_value(Value::f32(1.5f)), "1.5 : f32");
  EXPECT_EQ(format_value(Value::f64_bits(0xfff8000000000000ull)), "-nan:0x8000000000000 : f64");
  EXPECT_EQ(format_value(Value::f32_bits(0x7f800000)), "inf : f32");
}

}  // namespace
}  // namespace weft::testing
