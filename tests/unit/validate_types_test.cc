// TypeRegistry: canonicalisation of recursive groups and subtyping.
#include <gtest/gtest.h>

#include "spec/types.h"

namespace weft {
namespace {

SubType func_type(std::vector<ValType> params, std::vector<ValType> results) {
  SubType st;
  st.comp.kind = CompKind::func;
  st.comp.func.params = std::move(params);
  st.comp.func.results = std::move(results);
  return st;
}

SubType struct_type(std::vector<FieldType> fields, bool final_ = true, std::vector<uint32_t> supers = {}) {
  SubType st;
  st.final_ = final_;
  st.supers = std::move(supers);
  st.comp.kind = CompKind::struct_;
  st.comp.struct_.fields = std::move(fields);
  return st;
}

constexpr uint32_t kBase = TypeRegistry::kGroupLocalBase;

TEST(ValidateTypes, EqualGroupsShareIds) {
  TypeRegistry reg;
  uint32_t a = reg.register_group({func_type({ValType::i32()}, {})}, kBase);
  uint32_t b = reg.register_group({func_type({ValType::i32()}, {})}, kBase);
  uint32_t c = reg.register_group({func_type({ValType::i64()}, {})}, kBase);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(reg.size(), 2u);
}

TEST(ValidateTypes, RecursiveGroupsByStructure) {
  TypeRegistry reg;
  // (rec (type $a (struct (field (ref null $b)))) (type $b (struct (field (ref null $a)))))
  auto group = [](uint32_t base) {
    return std::vector<SubType>{
        struct_type({{ValType::ref(HeapType::index(base + 1), true), false}}),
        struct_type({{ValType::ref(HeapType::index(base + 0), true), false}})};
  };
  uint32_t g1 = reg.register_group(group(kBase), kBase);
  uint32_t g2 = reg.register_group(group(kBase), kBase);
  EXPECT_EQ(g1, g2);
  // References inside the group were rewritten to the real ids.
  EXPECT_EQ(reg.get(g1).comp.struct_.fields[0].type.heap.idx(), g1 + 1);
  EXPECT_EQ(reg.get(g1 + 1).comp.struct_.fields[0].type.heap.idx(), g1);
  // A singleton group with the same shape as one member is a different type.
  uint32_t single = reg.register_group({struct_type({{ValType::ref(HeapType::index(kBase), true), false}})}, kBase);
  EXPECT_NE(single, g1);
  EXPECT_NE(single, g1 + 1);
}

TEST(ValidateTypes, DeclaredSubtyping) {
  TypeRegistry reg;
  uint32_t a = reg.register_group({struct_type({}, false)}, kBase);
  uint32_t b = reg.register_group({struct_type({{ValType::i32(), false}}, true, {a})}, kBase);
  EXPECT_TRUE(reg.is_subtype(b, a));
  EXPECT_FALSE(reg.is_subtype(a, b));
  EXPECT_TRUE(reg.heap_subtype(HeapType::index(b), HeapType::abstract(AbsHeap::struct_)));
  EXPECT_TRUE(reg.heap_subtype(HeapType::index(b), HeapType::abstract(AbsHeap::any)));
  EXPECT_FALSE(reg.heap_subtype(HeapType::index(b), HeapType::abstract(AbsHeap::func)));
  EXPECT_TRUE(reg.heap_subtype(HeapType::abstract(AbsHeap::none), HeapType::index(b)));
  EXPECT_FALSE(reg.heap_subtype(HeapType::abstract(AbsHeap::nofunc), HeapType::index(b)));
}

TEST(ValidateTypes, AbstractHierarchies) {
  TypeRegistry reg;
  auto sub = [&](AbsHeap a, AbsHeap b) { return reg.heap_subtype(HeapType::abstract(a), HeapType::abstract(b)); };
  EXPECT_TRUE(sub(AbsHeap::i31, AbsHeap::eq));
  EXPECT_TRUE(sub(AbsHeap::i31, AbsHeap::any));
  EXPECT_TRUE(sub(AbsHeap::eq, AbsHeap::any));
  EXPECT_FALSE(sub(AbsHeap::any, AbsHeap::eq));
  EXPECT_TRUE(sub(AbsHeap::none, AbsHeap::array));
  EXPECT_TRUE(sub(AbsHeap::nofunc, AbsHeap::func));
  EXPECT_FALSE(sub(AbsHeap::nofunc, AbsHeap::any));
  EXPECT_TRUE(sub(AbsHeap::noextern, AbsHeap::extern_));
  EXPECT_TRUE(sub(AbsHeap::noexn, AbsHeap::exn));
  EXPECT_TRUE(sub(AbsHeap::nocont, AbsHeap::cont));
  EXPECT_FALSE(sub(AbsHeap::func, AbsHeap::extern_));
  EXPECT_TRUE(sub(AbsHeap::bot, AbsHeap::func));
  uint32_t f = reg.register_group({func_type({}, {})}, kBase);
  EXPECT_TRUE(reg.heap_subtype(HeapType::index(f), HeapType::abstract(AbsHeap::func)));
  EXPECT_TRUE(reg.heap_subtype(HeapType::abstract(AbsHeap::nofunc), HeapType::index(f)));
  EXPECT_EQ(reg.top_of(HeapType::index(f)), AbsHeap::func);
}

TEST(ValidateTypes, ValueSubtyping) {
  TypeRegistry reg;
  EXPECT_TRUE(reg.val_subtype(ValType::bot(), ValType::i64()));
  EXPECT_FALSE(reg.val_subtype(ValType::i32(), ValType::i64()));
  ValType func_nn = ValType::ref(HeapType::abstract(AbsHeap::func), false);
  EXPECT_TRUE(reg.val_subtype(func_nn, ValType::funcref()));
  EXPECT_FALSE(reg.val_subtype(ValType::funcref(), func_nn));
  EXPECT_FALSE(reg.val_subtype(ValType::funcref(), ValType::externref()));
}

TEST(ValidateTypes, ToString) {
  EXPECT_EQ(to_string(ValType::i32()), "i32");
  EXPECT_EQ(to_string(ValType::funcref()), "funcref");
  EXPECT_EQ(to_string(ValType::ref_null(AbsHeap::none)), "nullref");
  EXPECT_EQ(to_string(ValType::ref(HeapType::abstract(AbsHeap::func), false)), "(ref func)");
  EXPECT_EQ(to_string(ValType::ref(HeapType::index(3), true)), "(ref null 3)");
}

}  // namespace
}  // namespace weft
