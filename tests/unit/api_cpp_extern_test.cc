// The C++ API's globals, tables and memories (made by the host, imported and
// exported), and reflection over a module's imports and exports (after the
// standard's global, table, memory and reflect examples).
#include <string>

#include "api_cpp_test_util.h"

namespace weft::api_cpp_test {
namespace {

using wasm::ExternKind;
using wasm::Mutability;
using wasm::ValKind;

using ApiCppExtern = ApiCppTest;

// Calls `func` with the given arguments and expects one i32 result.
template <class... Args>
int32_t call_i32(const wasm::Func* func, Args&&... args) {
  auto arg_vec = wasm::vec<wasm::Val>::make(std::forward<Args>(args)...);
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  auto trap = func->call(arg_vec, results);
  EXPECT_EQ(trap, nullptr) << message_of(trap.get());
  return trap || results[0].kind() != ValKind::I32 ? -1 : results[0].i32();
}

int32_t call_i32(const wasm::Func* func) {
  auto args = wasm::vec<wasm::Val>::make();
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  auto trap = func->call(args, results);
  EXPECT_EQ(trap, nullptr) << message_of(trap.get());
  return trap ? -1 : results[0].i32();
}

// The "global" example: host globals imported, Wasm globals exported, both
// read and written from either side.
TEST_F(ApiCppExtern, Globals) {
  auto const_type = wasm::GlobalType::make(i32(), Mutability::CONST);
  auto var_type = wasm::GlobalType::make(wasm::ValType::make(ValKind::I64), Mutability::VAR);
  auto host_const = wasm::Global::make(store(), const_type.get(), wasm::Val::i32(1));
  auto host_var = wasm::Global::make(store(), var_type.get(), wasm::Val::i64(2));
  ASSERT_NE(host_const, nullptr);
  ASSERT_NE(host_var, nullptr);
  EXPECT_EQ(wasm::Global::make(store(), const_type.get(), wasm::Val::f32(1)), nullptr);  // wrong type

  auto imports = wasm::ownvec<wasm::Extern>::make(host_const->copy(), host_var->copy());
  auto instance = instantiate(R"((module
      (global $ci (import "" "const") i32)
      (global $vi (import "" "var") (mut i64))
      (global $ve (export "var") (mut i32) (i32.const 5))
      (func (export "get_ci") (result i32) (global.get $ci))
      (func (export "get_vi") (result i32) (i32.wrap_i64 (global.get $vi)))
      (func (export "get_ve") (result i32) (global.get $ve))
      (func (export "set_vi") (param i64) (global.set $vi (local.get 0)))))",
                              imports);
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 5u);
  wasm::Global* exported = exports[0]->global();
  ASSERT_NE(exported, nullptr);
  auto type = exported->type();
  EXPECT_EQ(type->content()->kind(), ValKind::I32);
  EXPECT_EQ(type->mutability(), Mutability::VAR);

  EXPECT_EQ(call_i32(exports[1]->func()), 1);
  EXPECT_EQ(call_i32(exports[2]->func()), 2);
  EXPECT_EQ(exported->get().i32(), 5);

  // The host writes; Wasm reads.
  host_var->set(wasm::Val::i64(20));
  exported->set(wasm::Val::i32(50));
  EXPECT_EQ(call_i32(exports[2]->func()), 20);
  EXPECT_EQ(call_i32(exports[3]->func()), 50);

  // Wasm writes; the host reads.
  auto args = wasm::vec<wasm::Val>::make(wasm::Val::i64(77));
  auto none = wasm::vec<wasm::Val>::make();
  EXPECT_EQ(exports[4]->func()->call(args, none), nullptr);
  EXPECT_EQ(host_var->get().i64(), 77);

  // Setting a constant, or a value of another type, changes nothing.
  host_const->set(wasm::Val::i32(9));
  EXPECT_EQ(host_const->get().i32(), 1);
  host_var->set(wasm::Val::i32(9));
  EXPECT_EQ(host_var->get().i64(), 77);
}

// The "table" example: a funcref table exported, changed and grown by the
// host, and used by call_indirect.
TEST_F(ApiCppExtern, Tables) {
  auto instance = instantiate(R"((module
      (table (export "table") 2 10 funcref)
      (func $f (export "f") (result i32) (i32.const 7))
      (func $g (export "g") (result i32) (i32.const 8))
      (elem (i32.const 1) $f)
      (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))))");
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 4u);
  wasm::Table* table = exports[0]->table();
  ASSERT_NE(table, nullptr);
  wasm::Func* f = exports[1]->func();
  wasm::Func* g = exports[2]->func();
  const wasm::Func* call = exports[3]->func();

  EXPECT_EQ(table->size(), 2u);
  EXPECT_EQ(table->type()->limits().max, 10u);
  EXPECT_EQ(table->get(0), nullptr);
  auto elem = table->get(1);
  ASSERT_NE(elem, nullptr);
  EXPECT_TRUE(elem->same(f));
  EXPECT_FALSE(elem->same(g));
  EXPECT_EQ(table->get(99), nullptr);
  EXPECT_EQ(call_i32(call, wasm::Val::i32(1)), 7);

  EXPECT_TRUE(table->set(0, g));
  EXPECT_EQ(call_i32(call, wasm::Val::i32(0)), 8);
  EXPECT_TRUE(table->set(1, nullptr));
  EXPECT_FALSE(table->set(5, g));  // out of bounds

  EXPECT_TRUE(table->grow(3, f));
  EXPECT_EQ(table->size(), 5u);
  EXPECT_EQ(call_i32(call, wasm::Val::i32(4)), 7);
  EXPECT_FALSE(table->grow(6));  // past the maximum
  EXPECT_EQ(table->size(), 5u);

  // A host table, holding a host function.
  auto type = wasm::TableType::make(wasm::ValType::make(ValKind::FUNCREF), wasm::Limits(1, 2));
  auto host_table = wasm::Table::make(store(), type.get(), g);
  ASSERT_NE(host_table, nullptr);
  EXPECT_TRUE(host_table->get(0)->same(g));
  auto foreign = wasm::Foreign::make(store());
  EXPECT_FALSE(host_table->set(0, foreign.get()));  // not a function
}

// The "memory" example: an exported memory read, written and grown by the
// host and by Wasm.
TEST_F(ApiCppExtern, Memories) {
  auto instance = instantiate(R"((module
      (memory (export "memory") 2 3)
      (func (export "size") (result i32) (memory.size))
      (func (export "load") (param i32) (result i32) (i32.load8_s (local.get 0)))
      (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
      (data (i32.const 0x1000) "\01\02\03\04")))");
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 4u);
  wasm::Memory* memory = exports[0]->memory();
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->size(), 2u);
  EXPECT_EQ(memory->data_size(), 2 * wasm::Memory::page_size);
  EXPECT_EQ(memory->data()[0x1002], 3);
  EXPECT_EQ(memory->type()->limits().max, 3u);

  EXPECT_EQ(call_i32(exports[2]->func(), wasm::Val::i32(0x1003)), 4);
  memory->data()[0x1003] = 9;
  EXPECT_EQ(call_i32(exports[2]->func(), wasm::Val::i32(0x1003)), 9);
  auto args = wasm::vec<wasm::Val>::make(wasm::Val::i32(0x1004), wasm::Val::i32(5));
  auto none = wasm::vec<wasm::Val>::make();
  EXPECT_EQ(exports[3]->func()->call(args, none), nullptr);
  EXPECT_EQ(memory->data()[0x1004], 5);

  // Out of bounds traps.
  auto oob = wasm::vec<wasm::Val>::make(wasm::Val::i32(0x20000));
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  EXPECT_NE(exports[2]->func()->call(oob, results), nullptr);

  EXPECT_TRUE(memory->grow(1));
  EXPECT_EQ(memory->size(), 3u);
  EXPECT_EQ(call_i32(exports[1]->func()), 3);
  EXPECT_FALSE(memory->grow(1));  // past the maximum
  EXPECT_TRUE(memory->grow(0));

  // A host memory.
  auto type = wasm::MemoryType::make(wasm::Limits(1));
  auto host_memory = wasm::Memory::make(store(), type.get());
  ASSERT_NE(host_memory, nullptr);
  EXPECT_EQ(host_memory->data_size(), wasm::Memory::page_size);
  EXPECT_EQ(host_memory->data()[100], 0);
  auto bad = wasm::MemoryType::make(wasm::Limits(2, 1));
  EXPECT_EQ(wasm::Memory::make(store(), bad.get()), nullptr);
}

// The "reflect" example: the kinds and types of a module's imports and
// exports, and of an instance's exports.
TEST_F(ApiCppExtern, Reflect) {
  auto module = compile(R"((module
      (import "env" "f" (func (param i32) (result i64)))
      (import "env" "g" (global (mut f32)))
      (func (export "func") (param i32 f64) (result i32) (i32.const 0))
      (global (export "global") f64 (f64.const 1))
      (table (export "table") 1 5 funcref)
      (memory (export "memory") 1)))");
  ASSERT_NE(module, nullptr);
  auto imports = module->imports();
  ASSERT_EQ(imports.size(), 2u);
  EXPECT_EQ(string_of(imports[0]->module()), "env");
  EXPECT_EQ(string_of(imports[0]->name()), "f");
  ASSERT_EQ(imports[0]->type()->kind(), ExternKind::FUNC);
  EXPECT_EQ(imports[0]->type()->func()->results()[0]->kind(), ValKind::I64);
  ASSERT_EQ(imports[1]->type()->kind(), ExternKind::GLOBAL);
  EXPECT_EQ(imports[1]->type()->global()->mutability(), Mutability::VAR);

  auto exports = module->exports();
  ASSERT_EQ(exports.size(), 4u);
  EXPECT_EQ(string_of(exports[0]->name()), "func");
  ASSERT_EQ(exports[0]->type()->kind(), ExternKind::FUNC);
  EXPECT_EQ(exports[0]->type()->func()->params().size(), 2u);
  EXPECT_EQ(exports[0]->type()->func()->params()[1]->kind(), ValKind::F64);
  EXPECT_EQ(exports[1]->type()->global()->content()->kind(), ValKind::F64);
  EXPECT_EQ(exports[2]->type()->table()->limits().max, 5u);
  EXPECT_EQ(exports[3]->type()->memory()->limits().min, 1u);

  // The instance's exports have the same types.
  auto fn_type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(i32()),
                                      wasm::ownvec<wasm::ValType>::make(wasm::ValType::make(ValKind::I64)));
  auto f = wasm::Func::make(store(), fn_type.get(),
                            [](const wasm::vec<wasm::Val>&, wasm::vec<wasm::Val>& results) -> wasm::own<wasm::Trap> {
                              results[0] = wasm::Val::i64(0);
                              return nullptr;
                            });
  auto g_type = wasm::GlobalType::make(wasm::ValType::make(ValKind::F32), Mutability::VAR);
  auto g = wasm::Global::make(store(), g_type.get(), wasm::Val::f32(0));
  auto externs = wasm::vec<wasm::Extern*>::make(f.get(), g.get());
  auto instance = wasm::Instance::make(store(), module.get(), externs);
  ASSERT_NE(instance, nullptr);
  auto instance_exports = instance->exports();
  ASSERT_EQ(instance_exports.size(), 4u);
  const ExternKind kinds[] = {ExternKind::FUNC, ExternKind::GLOBAL, ExternKind::TABLE, ExternKind::MEMORY};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(instance_exports[i]->kind(), kinds[i]);
    EXPECT_EQ(instance_exports[i]->type()->kind(), kinds[i]);
  }
  const wasm::Extern* as_const = instance_exports[2].get();
  EXPECT_NE(as_const->table(), nullptr);
  EXPECT_EQ(as_const->func(), nullptr);
  EXPECT_EQ(instance_exports[0]->func()->type()->params()[0]->kind(), ValKind::I32);
  EXPECT_EQ(instance_exports[3]->global(), nullptr);
}

}  // namespace
}  // namespace weft::api_cpp_test
