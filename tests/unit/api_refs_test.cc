// The C API's references: copy, same, host info with finalizers, the
// conversions to and from wasm_ref_t, foreign objects passed through Wasm,
// and what deleting a store does to live handles.
#include "api_test_util.h"

namespace weft::api_test {
namespace {

using ApiRefs = ApiTest;

int finalized = 0;
void count_finalize(void* info) {
  ++finalized;
  *static_cast<int*>(info) += 1;
}

// The standard's "hostref" example: foreign objects through externref
// parameters, results, globals and tables, coming back as the same object.
TEST_F(ApiRefs, ForeignObjectsRoundTripThroughWasm) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (global $g (export "g") (mut externref) (ref.null extern))
      (table $t (export "t") 2 externref)
      (func (export "id") (param externref) (result externref) (local.get 0))
      (func (export "stash") (param externref) (global.set $g (local.get 0)) (table.set $t (i32.const 1) (local.get 0)))
      (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))))",
                                          nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(exports.size, 5u);
  wasm_foreign_t* foreign = wasm_foreign_new(store_);
  wasm_foreign_t* other = wasm_foreign_new(store_);
  EXPECT_FALSE(wasm_foreign_same(foreign, other));

  wasm_val_t arg_data[] = {WASM_REF_VAL(wasm_foreign_as_ref(foreign))};
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg_data), results = WASM_ARRAY_VEC(result_data);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[2]), &args, &results), nullptr);
  ASSERT_EQ(result_data[0].kind, WASM_EXTERNREF);
  ASSERT_NE(result_data[0].of.ref, nullptr);
  EXPECT_TRUE(wasm_ref_same(result_data[0].of.ref, wasm_foreign_as_ref(foreign)));
  wasm_foreign_t* back = wasm_ref_as_foreign(result_data[0].of.ref);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(wasm_ref_as_foreign_const(wasm_foreign_as_ref_const(back)), back);
  EXPECT_EQ(wasm_ref_as_func(result_data[0].of.ref), nullptr);
  wasm_val_delete(&result_data[0]);

  wasm_val_vec_t none = WASM_EMPTY_VEC;
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[3]), &args, &none), nullptr);
  wasm_val_t g;
  wasm_global_get(wasm_extern_as_global(exports.data[0]), &g);
  EXPECT_TRUE(wasm_ref_same(g.of.ref, wasm_foreign_as_ref(foreign)));
  wasm_val_delete(&g);
  wasm_ref_t* elem = wasm_table_get(wasm_extern_as_table(exports.data[1]), 1);
  EXPECT_TRUE(wasm_ref_same(elem, wasm_foreign_as_ref(foreign)));
  wasm_ref_delete(elem);

  // A null reference is null on both sides.
  wasm_val_t null_arg[] = {WASM_REF_VAL(nullptr)};
  wasm_val_vec_t null_args = WASM_ARRAY_VEC(null_arg);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[4]), &null_args, &results), nullptr);
  EXPECT_EQ(result_data[0].of.i32, 1);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[4]), &args, &results), nullptr);
  EXPECT_EQ(result_data[0].of.i32, 0);

  // The host sets an externref global; Wasm sees the object.
  wasm_val_t other_val = WASM_REF_VAL(wasm_foreign_as_ref(other));
  wasm_global_set(wasm_extern_as_global(exports.data[0]), &other_val);
  wasm_global_get(wasm_extern_as_global(exports.data[0]), &g);
  EXPECT_TRUE(wasm_ref_same(g.of.ref, wasm_foreign_as_ref(other)));
  wasm_val_delete(&g);

  wasm_foreign_delete(foreign);
  wasm_foreign_delete(other);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

wasm_trap_t* return_funcref(void* env, const wasm_val_vec_t*, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_FUNCREF;
  results->data[0].of.ref = wasm_func_as_ref(wasm_func_copy(static_cast<wasm_func_t*>(env)));
  return nullptr;
}

TEST_F(ApiRefs, FuncrefsPassBothWays) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (type $t (func (result i32)))
      (table $tab 1 funcref)
      (func (export "seven") (result i32) (i32.const 7))
      (func (export "call_ref") (param funcref) (result i32)
        (table.set $tab (i32.const 0) (local.get 0))
        (call_indirect (type $t) (i32.const 0)))))",
                                          nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  wasm_func_t* seven = wasm_extern_as_func(exports.data[0]);
  wasm_val_t arg_data[] = {{.kind = WASM_FUNCREF, .of = {.ref = wasm_func_as_ref(seven)}}};
  wasm_val_t result_data[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg_data), results = WASM_ARRAY_VEC(result_data);
  EXPECT_EQ(wasm_func_call(wasm_extern_as_func(exports.data[1]), &args, &results), nullptr);
  EXPECT_EQ(result_data[0].of.i32, 7);

  // A host function returning a funcref, owned by the result.
  wasm_functype_t* type = wasm_functype_new_0_1(wasm_valtype_new_funcref());
  wasm_func_t* host = wasm_func_new_with_env(store_, type, return_funcref, seven, nullptr);
  wasm_functype_delete(type);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  EXPECT_EQ(wasm_func_call(host, &none, &results), nullptr);
  ASSERT_EQ(result_data[0].kind, WASM_FUNCREF);
  EXPECT_TRUE(wasm_ref_same(result_data[0].of.ref, wasm_func_as_ref(seven)));
  EXPECT_EQ(wasm_ref_as_func_const(result_data[0].of.ref) != nullptr, true);
  wasm_val_delete(&result_data[0]);

  // A foreign object is no funcref.
  wasm_foreign_t* foreign = wasm_foreign_new(store_);
  wasm_val_t bad[] = {{.kind = WASM_FUNCREF, .of = {.ref = wasm_foreign_as_ref(foreign)}}};
  wasm_val_vec_t bad_args = WASM_ARRAY_VEC(bad);
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[1]), &bad_args, &results);
  ASSERT_NE(trap, nullptr);
  wasm_trap_delete(trap);
  wasm_foreign_delete(foreign);
  wasm_func_delete(host);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

// Host info is per object: every handle of it sees it; the finalizer runs
// once, when the store is deleted.
TEST_F(ApiRefs, HostInfoOfEveryKindIsFinalizedWithTheStore) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (func (export "f")) (global (export "g") i32 (i32.const 0))
      (table (export "t") 1 funcref) (memory (export "m") 1)))",
                                          nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  wasm_module_t* module = compile("(module)");
  wasm_foreign_t* foreign = wasm_foreign_new(store_);
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "t");
  wasm_trap_t* trap = wasm_trap_new(store_, &message);
  wasm_byte_vec_delete(&message);

  static int counts[10];
  for (int& c : counts) c = 0;
  finalized = 0;
  wasm_func_set_host_info_with_finalizer(wasm_extern_as_func(exports.data[0]), &counts[0], count_finalize);
  wasm_global_set_host_info_with_finalizer(wasm_extern_as_global(exports.data[1]), &counts[1], count_finalize);
  wasm_table_set_host_info_with_finalizer(wasm_extern_as_table(exports.data[2]), &counts[2], count_finalize);
  wasm_memory_set_host_info_with_finalizer(wasm_extern_as_memory(exports.data[3]), &counts[3], count_finalize);
  wasm_instance_set_host_info_with_finalizer(instance, &counts[4], count_finalize);
  wasm_module_set_host_info_with_finalizer(module, &counts[5], count_finalize);
  wasm_foreign_set_host_info_with_finalizer(foreign, &counts[6], count_finalize);
  wasm_trap_set_host_info_with_finalizer(trap, &counts[7], count_finalize);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[3]);

  // Every handle of an object sees its info, whichever view it is.
  wasm_foreign_t* foreign_copy = wasm_foreign_copy(foreign);
  EXPECT_EQ(wasm_foreign_get_host_info(foreign_copy), &counts[6]);
  EXPECT_EQ(wasm_ref_get_host_info(wasm_foreign_as_ref(foreign)), &counts[6]);
  EXPECT_EQ(wasm_extern_get_host_info(exports.data[1]), &counts[1]);
  EXPECT_EQ(wasm_func_get_host_info(wasm_extern_as_func(exports.data[0])), &counts[0]);
  EXPECT_EQ(wasm_global_get_host_info(wasm_extern_as_global(exports.data[1])), &counts[1]);
  EXPECT_EQ(wasm_table_get_host_info(wasm_extern_as_table(exports.data[2])), &counts[2]);
  EXPECT_EQ(wasm_memory_get_host_info(memory), &counts[3]);
  EXPECT_EQ(wasm_instance_get_host_info(instance), &counts[4]);
  EXPECT_EQ(wasm_module_get_host_info(module), &counts[5]);
  EXPECT_EQ(wasm_trap_get_host_info(trap), &counts[7]);

  // Infos without finalizers, through the other setters.
  int plain = 0;
  wasm_extern_set_host_info(exports.data[0], &plain);  // replaces: the old info is finalized now
  EXPECT_EQ(counts[0], 1);
  EXPECT_EQ(wasm_func_get_host_info(wasm_extern_as_func(exports.data[0])), &plain);
  wasm_ref_set_host_info_with_finalizer(wasm_foreign_as_ref(foreign_copy), &counts[8], count_finalize);
  EXPECT_EQ(counts[6], 1);
  wasm_func_set_host_info(wasm_extern_as_func(exports.data[0]), nullptr);
  wasm_global_set_host_info(wasm_extern_as_global(exports.data[1]), &counts[1]);
  wasm_table_set_host_info(wasm_extern_as_table(exports.data[2]), &counts[2]);
  wasm_memory_set_host_info(memory, &counts[3]);
  wasm_instance_set_host_info(instance, &counts[4]);
  wasm_module_set_host_info(module, &counts[5]);
  wasm_foreign_set_host_info(foreign, &counts[8]);
  wasm_trap_set_host_info(trap, &counts[7]);
  wasm_ref_set_host_info(wasm_trap_as_ref(trap), &counts[7]);
  wasm_extern_set_host_info_with_finalizer(exports.data[1], &counts[9], count_finalize);
  EXPECT_EQ(finalized, 2);

  // Deleting every handle finalizes nothing; deleting the store does.
  wasm_foreign_delete(foreign_copy);
  wasm_foreign_delete(foreign);
  wasm_trap_delete(trap);
  wasm_module_delete(module);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  EXPECT_EQ(finalized, 2);
  delete_store();
  EXPECT_EQ(finalized, 3);  // the global's counts[9]; the others were replaced without finalizers
  EXPECT_EQ(counts[9], 1);
}

// The standard's "finalize" example: many objects with finalizers, all run
// when the store goes.
TEST_F(ApiRefs, FinalizersOfManyObjects) {
  static int counts[64];
  for (int& c : counts) c = 0;
  finalized = 0;
  wasm_module_t* module = compile("(module (func (export \"f\")))");
  ASSERT_NE(module, nullptr);
  for (int i = 0; i < 64; ++i) {
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_instance_t* instance = wasm_instance_new(store_, module, &none, nullptr);
    ASSERT_NE(instance, nullptr);
    wasm_instance_set_host_info_with_finalizer(instance, &counts[i], count_finalize);
    wasm_instance_delete(instance);
  }
  wasm_module_delete(module);
  EXPECT_EQ(finalized, 0);
  delete_store();
  EXPECT_EQ(finalized, 64);
  for (int c : counts) EXPECT_EQ(c, 1);
}

TEST_F(ApiRefs, RefViewsAndCopies) {
  wasm_extern_vec_t exports;
  wasm_instance_t* instance = instantiate(R"((module
      (func (export "f")) (global (export "g") i32 (i32.const 0))
      (table (export "t") 1 funcref) (memory (export "m") 1)))",
                                          nullptr, &exports);
  ASSERT_NE(instance, nullptr);
  wasm_func_t* f = wasm_extern_as_func(exports.data[0]);
  wasm_global_t* g = wasm_extern_as_global(exports.data[1]);
  wasm_table_t* t = wasm_extern_as_table(exports.data[2]);
  wasm_memory_t* m = wasm_extern_as_memory(exports.data[3]);

  EXPECT_EQ(wasm_ref_as_func(wasm_func_as_ref(f)), f);
  EXPECT_EQ(wasm_ref_as_func_const(wasm_func_as_ref_const(f)), f);
  EXPECT_EQ(wasm_ref_as_global(wasm_global_as_ref(g)), g);
  EXPECT_EQ(wasm_ref_as_global_const(wasm_global_as_ref_const(g)), g);
  EXPECT_EQ(wasm_ref_as_table(wasm_table_as_ref(t)), t);
  EXPECT_EQ(wasm_ref_as_table_const(wasm_table_as_ref_const(t)), t);
  EXPECT_EQ(wasm_ref_as_memory(wasm_memory_as_ref(m)), m);
  EXPECT_EQ(wasm_ref_as_memory_const(wasm_memory_as_ref_const(m)), m);
  EXPECT_EQ(wasm_ref_as_extern(wasm_memory_as_ref(m)), exports.data[3]);
  EXPECT_EQ(wasm_ref_as_extern_const(wasm_extern_as_ref_const(exports.data[3])), exports.data[3]);
  EXPECT_EQ(wasm_ref_as_extern(wasm_extern_as_ref(exports.data[0])), exports.data[0]);
  EXPECT_EQ(wasm_ref_as_instance(wasm_instance_as_ref(instance)), instance);
  EXPECT_EQ(wasm_ref_as_instance_const(wasm_instance_as_ref_const(instance)), instance);
  EXPECT_EQ(wasm_ref_as_global(wasm_func_as_ref(f)), nullptr);
  EXPECT_EQ(wasm_ref_as_instance(wasm_func_as_ref(f)), nullptr);
  EXPECT_EQ(wasm_ref_as_extern(wasm_instance_as_ref(instance)), nullptr);
  EXPECT_EQ(wasm_ref_as_func(nullptr), nullptr);

  wasm_module_t* module = compile("(module)");
  EXPECT_EQ(wasm_ref_as_module(wasm_module_as_ref(module)), module);
  EXPECT_EQ(wasm_ref_as_module_const(wasm_module_as_ref_const(module)), module);
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "x");
  wasm_trap_t* trap = wasm_trap_new(store_, &message);
  wasm_byte_vec_delete(&message);
  EXPECT_EQ(wasm_ref_as_trap(wasm_trap_as_ref(trap)), trap);
  EXPECT_EQ(wasm_ref_as_trap_const(wasm_trap_as_ref_const(trap)), trap);
  EXPECT_EQ(wasm_ref_as_module(wasm_trap_as_ref(trap)), nullptr);

  // Copies of each kind are new handles to the same object.
  wasm_func_t* f2 = wasm_func_copy(f);
  wasm_global_t* g2 = wasm_global_copy(g);
  wasm_table_t* t2 = wasm_table_copy(t);
  wasm_memory_t* m2 = wasm_memory_copy(m);
  wasm_ref_t* r2 = wasm_ref_copy(wasm_func_as_ref(f));
  EXPECT_TRUE(wasm_func_same(f, f2));
  EXPECT_TRUE(wasm_global_same(g, g2));
  EXPECT_TRUE(wasm_table_same(t, t2));
  EXPECT_TRUE(wasm_memory_same(m, m2));
  EXPECT_TRUE(wasm_ref_same(r2, wasm_func_as_ref(f2)));
  EXPECT_FALSE(wasm_ref_same(r2, wasm_global_as_ref(g)));
  EXPECT_TRUE(wasm_ref_same(nullptr, nullptr));
  EXPECT_EQ(wasm_ref_copy(nullptr), nullptr);
  wasm_func_delete(f2);
  wasm_global_delete(g2);
  wasm_table_delete(t2);
  wasm_memory_delete(m2);
  wasm_ref_delete(r2);
  wasm_trap_delete(trap);
  wasm_module_delete(module);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

// Deleting a store with live handles of every kind frees them all (the
// sanitizer build's leak check sees what it would not).
TEST_F(ApiRefs, DeletingTheStoreFreesLiveHandles) {
  int env_finalized = 0;
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* host = wasm_func_new_with_env(
      store_, type, [](void*, const wasm_val_vec_t*, wasm_val_vec_t*) { return static_cast<wasm_trap_t*>(nullptr); },
      &env_finalized, [](void* env) { ++*static_cast<int*>(env); });
  wasm_functype_delete(type);
  wasm_extern_vec_t exports;
  wasm_extern_t* externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = instantiate(R"((module (import "" "h" (func))
      (func (export "f") unreachable) (global (export "g") i32 (i32.const 0))
      (table (export "t") 1 funcref) (memory (export "m") 1)))",
                                          &imports, &exports);
  ASSERT_NE(instance, nullptr);
  wasm_module_t* module = compile("(module)");
  wasm_foreign_t* foreign = wasm_foreign_new(store_);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &none, &none);
  ASSERT_NE(trap, nullptr);
  wasm_frame_t* origin = wasm_trap_origin(trap);
  ASSERT_NE(origin, nullptr);
  EXPECT_NE(wasm_frame_instance(origin), nullptr);
  wasm_val_t ref_val = WASM_REF_VAL(wasm_foreign_as_ref(foreign));
  wasm_limits_t limits = {1, 1};
  wasm_tabletype_t* table_type = wasm_tabletype_new(wasm_valtype_new_externref(), &limits);
  wasm_table_t* table = wasm_table_new(store_, table_type, ref_val.of.ref);  // keeps a copy for Wasm
  wasm_tabletype_delete(table_type);
  ASSERT_NE(table, nullptr);
  // Copies of the exports stay live; so do the instance, module, foreign,
  // trap, frame, host function and table handles.
  for (size_t i = 0; i < exports.size; ++i) EXPECT_NE(wasm_extern_copy(exports.data[i]), nullptr);
  wasm_extern_vec_delete(&exports);
  EXPECT_NE(module, nullptr);
  delete_store();
  EXPECT_EQ(env_finalized, 1);
}

}  // namespace
}  // namespace weft::api_test
