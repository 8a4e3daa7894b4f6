// The C++ API's vectors, values and type classes: construction, copies,
// accessors and the views between extern types.
#include <string>

#include "api_cpp_test_util.h"

namespace weft::api_cpp_test {
namespace {

using wasm::ExternKind;
using wasm::Mutability;
using wasm::ValKind;

TEST(ApiCppVec, MakeCopyMoveAndInvalid) {
  auto bytes = wasm::vec<byte_t>::make('a', 'b', 'c');
  ASSERT_TRUE(bytes);
  ASSERT_EQ(bytes.size(), 3u);
  EXPECT_EQ(bytes[1], 'b');

  auto copy = bytes.copy();
  copy[1] = 'x';
  EXPECT_EQ(bytes[1], 'b');
  EXPECT_EQ(copy[1], 'x');

  auto moved = std::move(bytes);
  EXPECT_FALSE(bytes);  // a moved-from vector is invalid
  EXPECT_TRUE(moved);
  EXPECT_EQ(moved.size(), 3u);

  auto empty = wasm::vec<byte_t>::make();
  EXPECT_TRUE(empty);
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_FALSE(wasm::vec<byte_t>::invalid());

  byte_t* array = moved.release();
  EXPECT_FALSE(moved);
  auto adopted = wasm::vec<byte_t>::adopt(3, array);
  EXPECT_EQ(std::string(adopted.get(), 3), "abc");

  auto uninitialized = wasm::vec<wasm::Val>::make_uninitialized(2);
  ASSERT_EQ(uninitialized.size(), 2u);
  EXPECT_TRUE(uninitialized[0].is_ref());  // a default Val is a null reference
  EXPECT_EQ(uninitialized[0].ref(), nullptr);

  adopted.reset();
  EXPECT_FALSE(adopted);
}

TEST(ApiCppVec, NamesWithAndWithoutNul) {
  auto name = wasm::Name::make(std::string("hello"));
  EXPECT_EQ(name.size(), 5u);
  EXPECT_EQ(string_of(name), "hello");
  auto terminated = wasm::Name::make_nt(std::string("hello"));
  ASSERT_EQ(terminated.size(), 6u);
  EXPECT_EQ(terminated[5], '\0');
  EXPECT_STREQ(terminated.get(), "hello");
}

TEST(ApiCppVec, OwnVecDeepCopyCopiesElements) {
  auto types = wasm::ownvec<wasm::ValType>::make(i32(), wasm::ValType::make(ValKind::F64));
  auto copy = types.deep_copy();
  ASSERT_EQ(copy.size(), 2u);
  EXPECT_NE(copy[0].get(), types[0].get());
  EXPECT_EQ(copy[1]->kind(), ValKind::F64);
  copy[0].reset();
  EXPECT_EQ(types[0]->kind(), ValKind::I32);
}

TEST(ApiCppVal, NumbersAndGenericAccess) {
  EXPECT_EQ(wasm::Val::i32(-7).i32(), -7);
  EXPECT_EQ(wasm::Val::i64(int64_t(1) << 40).i64(), int64_t(1) << 40);
  EXPECT_EQ(wasm::Val::f32(1.5f).f32(), 1.5f);
  EXPECT_EQ(wasm::Val::f64(-2.25).f64(), -2.25);
  EXPECT_EQ(wasm::Val(int32_t(3)).kind(), ValKind::I32);
  EXPECT_EQ(wasm::Val::make<uint32_t>(0xffffffffu).i32(), -1);
  EXPECT_EQ(wasm::Val::make<int64_t>(5).get<int64_t>(), 5);
  EXPECT_EQ(wasm::Val::make<uint64_t>(~uint64_t(0)).get<int64_t>(), -1);
  EXPECT_EQ(wasm::Val::i32(-1).get<uint32_t>(), 0xffffffffu);
  EXPECT_TRUE(wasm::Val::f64(0).is_num());
  EXPECT_TRUE(wasm::is_ref(ValKind::FUNCREF));
  EXPECT_EQ(ValKind::ANYREF, ValKind::EXTERNREF);  // the older name

  auto a = wasm::Val::i32(9);
  wasm::Val b;
  b = std::move(a);
  EXPECT_EQ(b.i32(), 9);
  auto c = b.copy();
  EXPECT_EQ(c.i32(), 9);
}

TEST(ApiCppTypes, ValTypes) {
  for (ValKind k : {ValKind::I32, ValKind::I64, ValKind::F32, ValKind::F64, ValKind::EXTERNREF, ValKind::FUNCREF}) {
    auto t = wasm::ValType::make(k);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->kind(), k);
    EXPECT_EQ(t->copy()->kind(), k);
    EXPECT_EQ(t->is_num(), wasm::is_num(k));
    EXPECT_EQ(t->is_ref(), !wasm::is_num(k));
  }
}

TEST(ApiCppTypes, FuncTypeKeepsItsParamsAndResults) {
  auto type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(i32(), wasm::ValType::make(ValKind::I64)),
                                   wasm::ownvec<wasm::ValType>::make(wasm::ValType::make(ValKind::FUNCREF)));
  ASSERT_NE(type, nullptr);
  ASSERT_EQ(type->params().size(), 2u);
  EXPECT_EQ(type->params()[0]->kind(), ValKind::I32);
  EXPECT_EQ(type->params()[1]->kind(), ValKind::I64);
  ASSERT_EQ(type->results().size(), 1u);
  EXPECT_EQ(type->results()[0]->kind(), ValKind::FUNCREF);
  EXPECT_EQ(type->kind(), ExternKind::FUNC);

  auto copy = type->copy();
  type.reset();
  EXPECT_EQ(copy->params().size(), 2u);
  auto params = copy->params().deep_copy();
  EXPECT_EQ(params[1]->kind(), ValKind::I64);

  auto empty = wasm::FuncType::make();
  EXPECT_EQ(empty->params().size(), 0u);
  EXPECT_EQ(empty->results().size(), 0u);
}

TEST(ApiCppTypes, GlobalTableAndMemoryTypes) {
  auto global = wasm::GlobalType::make(wasm::ValType::make(ValKind::F32), Mutability::VAR);
  EXPECT_EQ(global->content()->kind(), ValKind::F32);
  EXPECT_EQ(global->mutability(), Mutability::VAR);
  EXPECT_EQ(global->copy()->mutability(), Mutability::VAR);

  auto table = wasm::TableType::make(wasm::ValType::make(ValKind::FUNCREF), wasm::Limits(2, 10));
  EXPECT_EQ(table->element()->kind(), ValKind::FUNCREF);
  EXPECT_EQ(table->limits().min, 2u);
  EXPECT_EQ(table->limits().max, 10u);

  auto memory = wasm::MemoryType::make(wasm::Limits(1));
  EXPECT_EQ(memory->limits().min, 1u);
  EXPECT_EQ(memory->limits().max, 0xffffffffu);  // no maximum
  EXPECT_EQ(memory->copy()->limits().min, 1u);
}

TEST(ApiCppTypes, ExternTypeViews) {
  auto table = wasm::TableType::make(wasm::ValType::make(ValKind::EXTERNREF), wasm::Limits(0));
  wasm::ExternType* as_extern = table.get();
  EXPECT_EQ(as_extern->kind(), ExternKind::TABLE);
  EXPECT_EQ(as_extern->table(), table.get());
  EXPECT_EQ(as_extern->func(), nullptr);
  EXPECT_EQ(as_extern->global(), nullptr);
  EXPECT_EQ(as_extern->memory(), nullptr);
  const wasm::ExternType* as_const = as_extern;
  EXPECT_EQ(as_const->table(), table.get());
  EXPECT_EQ(as_const->memory(), nullptr);

  // Deleting through the base releases the whole type.
  wasm::own<wasm::ExternType> base = as_extern->copy();
  EXPECT_EQ(base->table()->limits().min, 0u);
  base.reset();
  wasm::own<wasm::ExternType> moved = std::move(table);
  EXPECT_EQ(moved->kind(), ExternKind::TABLE);
}

TEST(ApiCppTypes, ImportAndExportTypes) {
  auto imp = wasm::ImportType::make(wasm::Name::make(std::string("env")), wasm::Name::make(std::string("mem")),
                                    wasm::MemoryType::make(wasm::Limits(1, 2)));
  ASSERT_NE(imp, nullptr);
  EXPECT_EQ(string_of(imp->module()), "env");
  EXPECT_EQ(string_of(imp->name()), "mem");
  ASSERT_EQ(imp->type()->kind(), ExternKind::MEMORY);
  EXPECT_EQ(imp->type()->memory()->limits().max, 2u);
  auto imp_copy = imp->copy();
  imp.reset();
  EXPECT_EQ(string_of(imp_copy->name()), "mem");

  auto exp = wasm::ExportType::make(wasm::Name::make(std::string("run")), wasm::FuncType::make());
  EXPECT_EQ(string_of(exp->name()), "run");
  EXPECT_EQ(exp->type()->kind(), ExternKind::FUNC);
  EXPECT_EQ(string_of(exp->copy()->name()), "run");
}

}  // namespace
}  // namespace weft::api_cpp_test
