// The C API's config, engine, store and modules: compile, validate, reflect
// over imports and exports, serialize, and share across threads.
#include <atomic>
#include <thread>
#include <vector>

#include "api_test_util.h"

namespace weft::api_test {
namespace {

constexpr const char* kReflect = R"(
  (module
    (import "env" "f" (func (param i32 f64) (result i64)))
    (import "env" "g" (global (mut f32)))
    (import "env" "t" (table 2 10 funcref))
    (import "env" "m" (memory 1))
    (func (export "f2") (param externref) (result funcref) (ref.null func))
    (global (export "g2") i64 (i64.const 1))
    (table (export "t2") 3 externref)
    (memory (export "m2") 2 5))
)";

TEST(ApiEngine, ConfigEngineAndStore) {
  wasm_config_t* unused = wasm_config_new();
  wasm_config_delete(unused);
  wasm_engine_t* engine = wasm_engine_new_with_config(wasm_config_new());
  ASSERT_NE(engine, nullptr);
  wasm_store_t* store = wasm_store_new(engine);
  ASSERT_NE(store, nullptr);
  wasm_store_t* other = wasm_store_new(engine);
  wasm_store_delete(other);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
}

using ApiModule = ApiTest;

TEST_F(ApiModule, CompilesAndValidates) {
  wasm_byte_vec_t good = wat_binary("(module (func (export \"f\")))");
  EXPECT_TRUE(wasm_module_validate(store_, &good));
  wasm_module_t* module = wasm_module_new(store_, &good);
  EXPECT_NE(module, nullptr);
  wasm_module_delete(module);
  wasm_byte_vec_delete(&good);

  wasm_byte_vec_t garbage;
  wasm_byte_vec_new(&garbage, 5, "\0asmX");
  EXPECT_FALSE(wasm_module_validate(store_, &garbage));
  EXPECT_EQ(wasm_module_new(store_, &garbage), nullptr);
  wasm_byte_vec_delete(&garbage);

  wasm_byte_vec_t invalid = wat_binary("(module (func (result i32) (f32.const 1)))");
  EXPECT_FALSE(wasm_module_validate(store_, &invalid));
  EXPECT_EQ(wasm_module_new(store_, &invalid), nullptr);
  wasm_byte_vec_delete(&invalid);
}

TEST_F(ApiModule, ReflectsOverImports) {
  wasm_module_t* module = compile(kReflect);
  ASSERT_NE(module, nullptr);
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  ASSERT_EQ(imports.size, 4u);
  EXPECT_EQ(name_of(wasm_importtype_module(imports.data[0])), "env");
  EXPECT_EQ(name_of(wasm_importtype_name(imports.data[0])), "f");

  const wasm_functype_t* f = wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[0]));
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(wasm_functype_params(f)->size, 2u);
  EXPECT_EQ(wasm_valtype_kind(wasm_functype_params(f)->data[0]), WASM_I32);
  EXPECT_EQ(wasm_valtype_kind(wasm_functype_params(f)->data[1]), WASM_F64);
  EXPECT_EQ(wasm_valtype_kind(wasm_functype_results(f)->data[0]), WASM_I64);

  const wasm_globaltype_t* g = wasm_externtype_as_globaltype_const(wasm_importtype_type(imports.data[1]));
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(wasm_valtype_kind(wasm_globaltype_content(g)), WASM_F32);
  EXPECT_EQ(wasm_globaltype_mutability(g), WASM_VAR);

  const wasm_tabletype_t* t = wasm_externtype_as_tabletype_const(wasm_importtype_type(imports.data[2]));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(wasm_valtype_kind(wasm_tabletype_element(t)), WASM_FUNCREF);
  EXPECT_EQ(wasm_tabletype_limits(t)->min, 2u);
  EXPECT_EQ(wasm_tabletype_limits(t)->max, 10u);

  const wasm_memorytype_t* m = wasm_externtype_as_memorytype_const(wasm_importtype_type(imports.data[3]));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(wasm_memorytype_limits(m)->min, 1u);
  EXPECT_EQ(wasm_memorytype_limits(m)->max, wasm_limits_max_default);
  wasm_importtype_vec_delete(&imports);
  wasm_module_delete(module);
}

TEST_F(ApiModule, ReflectsOverExports) {
  wasm_module_t* module = compile(kReflect);
  ASSERT_NE(module, nullptr);
  wasm_exporttype_vec_t exports;
  wasm_module_exports(module, &exports);
  ASSERT_EQ(exports.size, 4u);
  const char* names[] = {"f2", "g2", "t2", "m2"};
  const wasm_externkind_t kinds[] = {WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE, WASM_EXTERN_MEMORY};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(name_of(wasm_exporttype_name(exports.data[i])), names[i]);
    EXPECT_EQ(wasm_externtype_kind(wasm_exporttype_type(exports.data[i])), kinds[i]);
  }
  const wasm_functype_t* f = wasm_externtype_as_functype_const(wasm_exporttype_type(exports.data[0]));
  EXPECT_EQ(wasm_valtype_kind(wasm_functype_params(f)->data[0]), WASM_EXTERNREF);
  EXPECT_EQ(wasm_valtype_kind(wasm_functype_results(f)->data[0]), WASM_FUNCREF);
  const wasm_globaltype_t* g = wasm_externtype_as_globaltype_const(wasm_exporttype_type(exports.data[1]));
  EXPECT_EQ(wasm_globaltype_mutability(g), WASM_CONST);
  const wasm_tabletype_t* t = wasm_externtype_as_tabletype_const(wasm_exporttype_type(exports.data[2]));
  EXPECT_EQ(wasm_valtype_kind(wasm_tabletype_element(t)), WASM_EXTERNREF);
  const wasm_memorytype_t* m = wasm_externtype_as_memorytype_const(wasm_exporttype_type(exports.data[3]));
  EXPECT_EQ(wasm_memorytype_limits(m)->min, 2u);
  EXPECT_EQ(wasm_memorytype_limits(m)->max, 5u);
  wasm_exporttype_vec_delete(&exports);
  wasm_module_delete(module);
}

constexpr const char* kAnswer = "(module (func (export \"answer\") (result i32) (i32.const 42)))";

int32_t call_answer(wasm_store_t* store, wasm_module_t* module) {
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, nullptr);
  if (!instance) return -1;
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t results_data[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(results_data);
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results);
  int32_t answer = trap ? -2 : results_data[0].of.i32;
  if (trap) wasm_trap_delete(trap);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  return answer;
}

TEST_F(ApiModule, SerializesAndDeserializes) {
  wasm_module_t* module = compile(kAnswer);
  ASSERT_NE(module, nullptr);
  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  EXPECT_GT(serialized.size, 8u);
  wasm_module_delete(module);

  wasm_module_t* restored = wasm_module_deserialize(store_, &serialized);
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(call_answer(store_, restored), 42);
  wasm_module_delete(restored);

  serialized.data[0] = 'X';  // deserializing validates again
  EXPECT_EQ(wasm_module_deserialize(store_, &serialized), nullptr);
  wasm_byte_vec_delete(&serialized);
}

TEST_F(ApiModule, ModuleCopiesAreTheSameModule) {
  wasm_module_t* module = compile(kAnswer);
  ASSERT_NE(module, nullptr);
  wasm_module_t* copy = wasm_module_copy(module);
  EXPECT_TRUE(wasm_module_same(module, copy));
  wasm_module_t* other = compile(kAnswer);
  EXPECT_FALSE(wasm_module_same(module, other));
  wasm_module_delete(module);
  EXPECT_EQ(call_answer(store_, copy), 42);  // the copy outlives the original handle
  wasm_module_delete(copy);
  wasm_module_delete(other);
}

// The standard's "threads" example: one module, shared; each thread obtains
// it into its own store and runs it.
TEST_F(ApiModule, SharedModuleRunsOnManyThreads) {
  wasm_module_t* module = compile(kAnswer);
  ASSERT_NE(module, nullptr);
  wasm_shared_module_t* shared = wasm_module_share(module);
  wasm_module_delete(module);

  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      wasm_store_t* store = wasm_store_new(engine_);
      for (int i = 0; i < 20; ++i) {
        wasm_module_t* obtained = wasm_module_obtain(store, shared);
        if (obtained && call_answer(store, obtained) == 42) ++correct;
        wasm_module_delete(obtained);
      }
      wasm_store_delete(store);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(correct.load(), 80);
  wasm_shared_module_delete(shared);
}

TEST_F(ApiModule, SharedModuleStaysWithItsEngine) {
  wasm_module_t* module = compile(kAnswer);
  ASSERT_NE(module, nullptr);
  wasm_shared_module_t* shared = wasm_module_share(module);
  wasm_engine_t* other_engine = wasm_engine_new();
  wasm_store_t* other_store = wasm_store_new(other_engine);
  EXPECT_EQ(wasm_module_obtain(other_store, shared), nullptr);
  // Nor may a module of one engine be instantiated in another's store.
  wasm_trap_t* trap = nullptr;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  EXPECT_EQ(wasm_instance_new(other_store, module, &none, &trap), nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap), "module was compiled for another engine");
  wasm_trap_delete(trap);
  wasm_store_delete(other_store);
  wasm_engine_delete(other_engine);
  wasm_shared_module_delete(shared);
  wasm_module_delete(module);
}

// Two threads compiling modules with the same and with distinct types into
// one engine's type registry at once: the types stay canonical.
TEST(ApiThreads, ConcurrentCompilationSharesTheTypeRegistry) {
  wasm_engine_t* engine = wasm_engine_new();
  std::atomic<int> correct{0};
  auto work = [&](int salt) {
    wasm_store_t* store = wasm_store_new(engine);
    for (int i = 0; i < 30; ++i) {
      std::string text = "(module (type (func (param i32) (result i32)))"
                         " (type (func (param f64 f64 i" + std::to_string(i % 2 ? 32 : 64) + ")))"
                         " (func (export \"answer\") (result i32) (i32.const " + std::to_string(40 + salt) + ")))";
      wasm_byte_vec_t binary = wat_binary(text);
      wasm_module_t* module = wasm_module_new(store, &binary);
      wasm_byte_vec_delete(&binary);
      if (module && call_answer(store, module) == 40 + salt) ++correct;
      wasm_module_delete(module);
    }
    wasm_store_delete(store);
  };
  std::thread a(work, 1), b(work, 2);
  a.join();
  b.join();
  EXPECT_EQ(correct.load(), 60);

  // A host function type registered afterwards links with a module's import
  // of the same type, whichever thread registered it first.
  wasm_store_t* store = wasm_store_new(engine);
  wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new(store, type, [](const wasm_val_vec_t* args, wasm_val_vec_t* results) {
    results->data[0] = args->data[0];
    return static_cast<wasm_trap_t*>(nullptr);
  });
  wasm_functype_delete(type);
  wasm_byte_vec_t binary = wat_binary("(module (import \"\" \"f\" (func (param i32) (result i32))))");
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  wasm_extern_t* externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, nullptr);
  EXPECT_NE(instance, nullptr);
  wasm_store_delete(store);  // with live handles: the store frees them
  wasm_engine_delete(engine);
}

}  // namespace
}  // namespace weft::api_test
