// The C API's globals, tables and memories (made by the host and exported
// by instances), and the conversions between externs and their kinds.
#include <cstring>

#include "api_test_util.h"

namespace weft::api_test {
namespace {

using ApiExtern = ApiTest;

int32_t call_i32(const wasm_extern_t* func, int32_t arg, bool with_arg) {
  wasm_val_t arg_data[] = {WASM_I32_VAL(arg)};
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {with_arg ? 1u : 0u, arg_data}, results = WASM_ARRAY_VEC(result_data);
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func_const(func), &args, &results);
  EXPECT_EQ(trap, nullptr) << (trap ? message_of(trap) : "");
  if (trap) wasm_trap_delete(trap);
  return result_data[0].of.i32;
}

// The standard's "global" example: host globals imported, module globals
// exported, read and written from both sides.
TEST_F(ApiExtern, Globals) {
  wasm_globaltype_t* const_f32 = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_CONST);
  wasm_globaltype_t* var_i64 = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t one = WASM_F32_VAL(1.5f), two = WASM_I64_VAL(-2);
  wasm_global_t* host_const = wasm_global_new(store_, const_f32, &one);
  wasm_global_t* host_var = wasm_global_new(store_, var_i64, &two);
  wasm_val_t wrong = WASM_I32_VAL(0);
  EXPECT_EQ(wasm_global_new(store_, const_f32, &wrong), nullptr);
  wasm_globaltype_delete(const_f32);
  wasm_globaltype_delete(var_i64);

  wasm_globaltype_t* type = wasm_global_type(host_var);
  EXPECT_EQ(wasm_valtype_kind(wasm_globaltype_content(type)), WASM_I64);
  EXPECT_EQ(wasm_globaltype_mutability(type), WASM_VAR);
  wasm_globaltype_delete(type);

  wasm_extern_t* externs[] = {wasm_global_as_extern(host_const), wasm_global_as_extern(host_var)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (import "" "c" (global $c f32))
      (import "" "v" (global $v (mut i64)))
      (global $own (export "own") (mut f64) (f64.const 0.5))
      (func (export "get_v") (result i64) (global.get $v))
      (func (export "set_v") (param i64) (global.set $v (local.get 0)))
      (func (export "get_c") (result f32) (global.get $c))))",
                                          &imports, &exports);
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(exports.size, 4u);
  wasm_global_t* own = wasm_extern_as_global(exports.data[0]);
  ASSERT_NE(own, nullptr);

  wasm_val_t v;
  wasm_global_get(own, &v);
  EXPECT_EQ(v.kind, WASM_F64);
  EXPECT_EQ(v.of.f64, 0.5);
  wasm_val_t set = WASM_F64_VAL(4.25);
  wasm_global_set(own, &set);
  wasm_global_get(own, &v);
  EXPECT_EQ(v.of.f64, 4.25);

  // The host sets, Wasm reads; Wasm sets, the host reads.
  wasm_val_t nine = WASM_I64_VAL(9);
  wasm_global_set(host_var, &nine);
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(result_data);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[1]), &none, &results), nullptr);
  EXPECT_EQ(result_data[0].of.i64, 9);
  wasm_val_t arg_data[] = {WASM_I64_VAL(-77)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg_data);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[2]), &args, &none), nullptr);
  wasm_global_get(host_var, &v);
  EXPECT_EQ(v.of.i64, -77);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[3]), &none, &results), nullptr);
  EXPECT_EQ(result_data[0].of.f32, 1.5f);

  // Setting a constant, or a value of another kind, changes nothing.
  wasm_val_t other = WASM_F32_VAL(8);
  wasm_global_set(host_const, &other);
  wasm_global_get(host_const, &v);
  EXPECT_EQ(v.of.f32, 1.5f);
  wasm_global_set(host_var, &other);
  wasm_global_get(host_var, &v);
  EXPECT_EQ(v.of.i64, -77);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_global_delete(host_const);
  wasm_global_delete(host_var);
}

// The standard's "table" example.
TEST_F(ApiExtern, Tables) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (table (export "table") 2 10 funcref)
      (func $f (export "f") (result i32) (i32.const 7))
      (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
      (elem (i32.const 1) $f)))",
                                          nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(exports.size, 3u);
  wasm_table_t* table = wasm_extern_as_table(exports.data[0]);
  wasm_func_t* f = wasm_extern_as_func(exports.data[1]);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(wasm_table_size(table), 2u);
  EXPECT_EQ(wasm_table_get(table, 0), nullptr);
  wasm_ref_t* elem = wasm_table_get(table, 1);
  ASSERT_NE(elem, nullptr);
  EXPECT_TRUE(wasm_ref_same(elem, wasm_func_as_ref(f)));
  wasm_ref_delete(elem);
  EXPECT_EQ(wasm_table_get(table, 2), nullptr);  // out of bounds

  EXPECT_TRUE(wasm_table_set(table, 0, wasm_func_as_ref(f)));
  EXPECT_EQ(call_i32(exports.data[2], 0, true), 7);
  EXPECT_FALSE(wasm_table_set(table, 5, wasm_func_as_ref(f)));
  EXPECT_TRUE(wasm_table_set(table, 0, nullptr));

  EXPECT_TRUE(wasm_table_grow(table, 3, wasm_func_as_ref(f)));
  EXPECT_EQ(wasm_table_size(table), 5u);
  EXPECT_EQ(call_i32(exports.data[2], 4, true), 7);
  EXPECT_FALSE(wasm_table_grow(table, 6, nullptr));  // past the maximum of 10
  EXPECT_TRUE(wasm_table_grow(table, 0, nullptr));
  wasm_tabletype_t* type = wasm_table_type(table);
  EXPECT_EQ(wasm_tabletype_limits(type)->min, 5u);
  EXPECT_EQ(wasm_tabletype_limits(type)->max, 10u);
  wasm_tabletype_delete(type);

  // A host table, imported.
  wasm_limits_t limits = {1, wasm_limits_max_default};
  wasm_tabletype_t* host_type = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t* host_table = wasm_table_new(store_, host_type, wasm_func_as_ref(f));
  wasm_tabletype_delete(host_type);
  ASSERT_NE(host_table, nullptr);
  wasm_extern_t* externs[] = {wasm_table_as_extern(host_table)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_extern_vec_t exports2;
  wasm_instance_t* instance2 = instantiate(R"((module
      (import "" "t" (table 1 funcref))
      (func (export "call0") (result i32) (call_indirect (result i32) (i32.const 0)))))",
                                           &imports, &exports2);
  ASSERT_NE(instance2, nullptr);
  EXPECT_EQ(call_i32(exports2.data[0], 0, false), 7);

  // A foreign object is no function.
  wasm_foreign_t* foreign = wasm_foreign_new(store_);
  EXPECT_FALSE(wasm_table_set(host_table, 0, wasm_foreign_as_ref(foreign)));
  wasm_foreign_delete(foreign);

  wasm_extern_vec_delete(&exports2);
  wasm_instance_delete(instance2);
  wasm_table_delete(host_table);
  wasm_extern_vec_delete(&exports);
  // The first instance's handle is left to the store, which frees it.
}

TEST_F(ApiExtern, ExternrefTablesHoldHostReferences) {
  wasm_limits_t limits = {2, 4};
  wasm_tabletype_t* type = wasm_tabletype_new(wasm_valtype_new_externref(), &limits);
  wasm_table_t* table = wasm_table_new(store_, type, nullptr);
  wasm_tabletype_delete(type);
  ASSERT_NE(table, nullptr);
  wasm_foreign_t* foreign = wasm_foreign_new(store_);
  EXPECT_TRUE(wasm_table_set(table, 1, wasm_foreign_as_ref(foreign)));
  wasm_ref_t* back = wasm_table_get(table, 1);
  ASSERT_NE(back, nullptr);
  EXPECT_TRUE(wasm_ref_same(back, wasm_foreign_as_ref(foreign)));
  EXPECT_NE(wasm_ref_as_foreign(back), nullptr);
  wasm_ref_delete(back);
  wasm_foreign_delete(foreign);
  wasm_table_delete(table);
}

// The standard's "memory" example.
TEST_F(ApiExtern, Memories) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (memory (export "memory") 2 3)
      (func (export "size") (result i32) (memory.size))
      (func (export "load") (param i32) (result i32) (i32.load8_s (local.get 0)))
      (data (i32.const 0x1000) "\01\02\03\04")))",
                                          nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(wasm_memory_size(memory), 2u);
  EXPECT_EQ(wasm_memory_data_size(memory), 2 * MEMORY_PAGE_SIZE);
  byte_t* data = wasm_memory_data(memory);
  EXPECT_EQ(data[0x1002], 3);
  data[0x1002] = 5;
  EXPECT_EQ(call_i32(exports.data[2], 0x1002, true), 5);

  EXPECT_TRUE(wasm_memory_grow(memory, 1));
  EXPECT_EQ(wasm_memory_size(memory), 3u);
  EXPECT_EQ(call_i32(exports.data[1], 0, false), 3);
  EXPECT_FALSE(wasm_memory_grow(memory, 1));  // past the maximum
  EXPECT_TRUE(wasm_memory_grow(memory, 0));
  wasm_memorytype_t* type = wasm_memory_type(memory);
  EXPECT_EQ(wasm_memorytype_limits(type)->min, 3u);
  EXPECT_EQ(wasm_memorytype_limits(type)->max, 3u);
  wasm_memorytype_delete(type);

  // A host memory.
  wasm_limits_t limits = {1, wasm_limits_max_default};
  wasm_memorytype_t* host_type = wasm_memorytype_new(&limits);
  wasm_memory_t* host = wasm_memory_new(store_, host_type);
  wasm_memorytype_delete(host_type);
  ASSERT_NE(host, nullptr);
  std::memcpy(wasm_memory_data(host), "hi", 2);
  EXPECT_EQ(wasm_memory_data(host)[1], 'i');
  wasm_limits_t bad = {3, 2};
  wasm_memorytype_t* bad_type = wasm_memorytype_new(&bad);
  EXPECT_EQ(wasm_memory_new(store_, bad_type), nullptr);
  wasm_memorytype_delete(bad_type);

  wasm_memory_delete(host);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

TEST_F(ApiExtern, ExternConversionsAndTypes) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (func (export "f") (param i32))
      (global (export "g") i32 (i32.const 1))
      (table (export "t") 1 funcref)
      (memory (export "m") 1)))",
                                          nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(exports.size, 4u);
  const wasm_externkind_t kinds[] = {WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE, WASM_EXTERN_MEMORY};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(wasm_extern_kind(exports.data[i]), kinds[i]);
    wasm_externtype_t* type = wasm_extern_type(exports.data[i]);
    EXPECT_EQ(wasm_externtype_kind(type), kinds[i]);
    wasm_externtype_delete(type);
  }
  wasm_extern_t* e = exports.data[0];
  wasm_func_t* f = wasm_extern_as_func(e);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(wasm_func_as_extern(f), e);
  EXPECT_EQ(wasm_func_as_extern_const(f), e);
  EXPECT_EQ(wasm_extern_as_global(e), nullptr);
  EXPECT_EQ(wasm_extern_as_table_const(e), nullptr);

  wasm_global_t* g = wasm_extern_as_global(exports.data[1]);
  EXPECT_EQ(wasm_extern_as_global_const(exports.data[1]), g);
  EXPECT_EQ(wasm_global_as_extern_const(g), exports.data[1]);
  wasm_table_t* t = wasm_extern_as_table(exports.data[2]);
  EXPECT_EQ(wasm_extern_as_table_const(exports.data[2]), t);
  EXPECT_EQ(wasm_table_as_extern_const(t), exports.data[2]);
  wasm_memory_t* m = wasm_extern_as_memory(exports.data[3]);
  EXPECT_EQ(wasm_extern_as_memory_const(exports.data[3]), m);
  EXPECT_EQ(wasm_memory_as_extern(m), exports.data[3]);
  EXPECT_EQ(wasm_memory_as_extern_const(m), exports.data[3]);
  EXPECT_EQ(wasm_extern_as_func_const(exports.data[3]), nullptr);

  // Copies of an extern vector are new handles to the same objects.
  wasm_extern_vec_t copy;
  wasm_extern_vec_copy(&copy, &exports);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NE(copy.data[i], exports.data[i]);
    EXPECT_TRUE(wasm_extern_same(copy.data[i], exports.data[i]));
  }
  wasm_extern_t* one_copy = wasm_extern_copy(exports.data[1]);
  EXPECT_NE(wasm_extern_as_global(one_copy), nullptr);
  wasm_extern_delete(one_copy);
  wasm_extern_vec_delete(&copy);
  wasm_extern_vec_new_empty(&copy);
  wasm_extern_vec_delete(&copy);
  wasm_extern_vec_new_uninitialized(&copy, 2);
  wasm_extern_vec_delete(&copy);

  // A second instance's exports are other objects.
  wasm_extern_vec_t exports2;
  wasm_instance_t* instance2 = instantiate("(module (func (export \"f\") (param i32)))", nullptr, &exports2);
  ASSERT_NE(instance2, nullptr);
  EXPECT_FALSE(wasm_extern_same(exports2.data[0], exports.data[0]));
  EXPECT_FALSE(wasm_instance_same(instance, instance2));
  wasm_instance_t* instance_copy = wasm_instance_copy(instance);
  EXPECT_TRUE(wasm_instance_same(instance, instance_copy));
  wasm_instance_delete(instance_copy);
  wasm_extern_vec_delete(&exports2);
  wasm_instance_delete(instance2);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

TEST_F(ApiExtern, ImportsFromAnotherStoreDoNotLink) {
  wasm_store_t* other = wasm_store_new(engine_);
  wasm_limits_t limits = {1, 1};
  wasm_memorytype_t* type = wasm_memorytype_new(&limits);
  wasm_memory_t* memory = wasm_memory_new(other, type);
  wasm_memorytype_delete(type);
  wasm_module_t* module = compile("(module (import \"\" \"m\" (memory 1)))");
  ASSERT_NE(module, nullptr);
  wasm_extern_t* externs[] = {wasm_memory_as_extern(memory)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = nullptr;
  EXPECT_EQ(wasm_instance_new(store_, module, &imports, &trap), nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "import belongs to another store");
  wasm_trap_delete(trap);
  wasm_module_delete(module);
  wasm_store_delete(other);  // frees the memory handle too
}

}  // namespace
}  // namespace weft::api_test
