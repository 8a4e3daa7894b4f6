// The C++ API's references: foreign objects and function references through
// Wasm (after the standard's hostref example), copy and same, host info with
// finalizers (after the finalize example), and what deleting a store does to
// references still alive.
#include <string>

#include "api_cpp_test_util.h"

namespace weft::api_cpp_test {
namespace {

using wasm::ValKind;

using ApiCppRefs = ApiCppTest;

constexpr std::string_view kHostRefModule = R"((module
    (global $g (export "global") (mut externref) (ref.null extern))
    (table $t (export "table") 2 externref)
    (func (export "id") (param externref) (result externref) (local.get 0))
    (func (export "stash") (param externref)
      (global.set $g (local.get 0)) (table.set $t (i32.const 1) (local.get 0)))
    (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))))";

// Foreign objects pass through externref parameters, results, globals and
// tables and come back as the same object.
TEST_F(ApiCppRefs, HostRefsRoundTripThroughWasm) {
  auto instance = instantiate(kHostRefModule);
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 5u);
  wasm::Global* global = exports[0]->global();
  wasm::Table* table = exports[1]->table();
  const wasm::Func* id = exports[2]->func();
  const wasm::Func* stash = exports[3]->func();
  const wasm::Func* is_null = exports[4]->func();

  auto foreign = wasm::Foreign::make(store());
  auto other = wasm::Foreign::make(store());
  EXPECT_FALSE(foreign->same(other.get()));
  EXPECT_TRUE(foreign->same(foreign->copy().get()));

  auto args = wasm::vec<wasm::Val>::make(wasm::Val::ref(foreign->copy()));
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  ASSERT_EQ(id->call(args, results), nullptr);
  ASSERT_EQ(results[0].kind(), ValKind::EXTERNREF);
  ASSERT_NE(results[0].ref(), nullptr);
  EXPECT_TRUE(results[0].ref()->same(foreign.get()));
  EXPECT_TRUE(args[0].ref()->same(foreign.get()));  // the argument stays the caller's

  auto none = wasm::vec<wasm::Val>::make();
  ASSERT_EQ(stash->call(args, none), nullptr);
  EXPECT_TRUE(global->get().ref()->same(foreign.get()));
  EXPECT_TRUE(table->get(1)->same(foreign.get()));
  EXPECT_EQ(table->get(0), nullptr);

  // Null is null on both sides.
  auto null_args = wasm::vec<wasm::Val>::make(wasm::Val());
  ASSERT_EQ(is_null->call(null_args, results), nullptr);
  EXPECT_EQ(results[0].i32(), 1);
  ASSERT_EQ(is_null->call(args, results), nullptr);
  EXPECT_EQ(results[0].i32(), 0);

  // The host sets the global and the table.
  global->set(wasm::Val::ref(other->copy()));
  EXPECT_TRUE(global->get().ref()->same(other.get()));
  EXPECT_TRUE(table->set(0, other.get()));
  EXPECT_TRUE(table->get(0)->same(other.get()));
  EXPECT_TRUE(table->grow(1, foreign.get()));
  EXPECT_TRUE(table->get(2)->same(foreign.get()));

  // Values own their references: a copy is a separate handle.
  wasm::Val held = global->get();
  wasm::Val copy = held.copy();
  EXPECT_NE(copy.ref(), held.ref());
  EXPECT_TRUE(copy.ref()->same(held.ref()));
  wasm::own<wasm::Ref> released = held.release_ref();
  EXPECT_EQ(held.ref(), nullptr);
  EXPECT_TRUE(released->same(other.get()));
}

auto return_func_callback(void* env, const wasm::vec<wasm::Val>&, wasm::vec<wasm::Val>& results)
    -> wasm::own<wasm::Trap> {
  results[0] = wasm::Val::ref(static_cast<wasm::Func*>(env)->copy());
  return nullptr;
}

// Function references: a Val made from a function reference (kind EXTERNREF)
// is accepted where a funcref is expected, and funcref results have kind
// FUNCREF.
TEST_F(ApiCppRefs, FuncRefsThroughParamsResultsAndGlobals) {
  auto instance = instantiate(R"((module
      (type $t (func (result i32)))
      (global $g (export "global") (mut funcref) (ref.null func))
      (func $seven (export "seven") (result i32) (i32.const 7))
      (func (export "call_ref") (param funcref) (result i32)
        (table.set $tab (i32.const 0) (local.get 0))
        (call_indirect (type $t) (i32.const 0)))
      (func (export "get_seven") (result funcref) (ref.func $seven))
      (table $tab 1 funcref)
      (elem declare func $seven)))");
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 4u);
  wasm::Global* global = exports[0]->global();
  wasm::Func* seven = exports[1]->func();
  const wasm::Func* call_ref = exports[2]->func();
  const wasm::Func* get_seven = exports[3]->func();

  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  auto none = wasm::vec<wasm::Val>::make();
  ASSERT_EQ(get_seven->call(none, results), nullptr);
  ASSERT_EQ(results[0].kind(), ValKind::FUNCREF);
  ASSERT_NE(results[0].ref(), nullptr);
  EXPECT_TRUE(results[0].ref()->same(seven));

  auto args = wasm::vec<wasm::Val>::make(wasm::Val::ref(seven->copy()));
  auto trap = call_ref->call(args, results);
  ASSERT_EQ(trap, nullptr) << message_of(trap.get());
  EXPECT_EQ(results[0].i32(), 7);

  global->set(wasm::Val::ref(seven->copy()));
  wasm::Val value = global->get();
  EXPECT_EQ(value.kind(), ValKind::FUNCREF);
  EXPECT_TRUE(value.ref()->same(seven));

  // A host function that returns a function reference.
  auto type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(),
                                   wasm::ownvec<wasm::ValType>::make(wasm::ValType::make(ValKind::FUNCREF)));
  auto host = wasm::Func::make(store(), type.get(), return_func_callback, seven);
  ASSERT_EQ(host->call(none, results), nullptr);
  EXPECT_TRUE(results[0].ref()->same(seven));
}

struct Finalized {
  int count = 0;
  int last = 0;
};
Finalized finalized;

void finalize_info(void* info) {
  ++finalized.count;
  finalized.last = *static_cast<int*>(info);
}

// The "finalize" example: host infos belong to the objects (every copy sees
// them); their finalizers run when replaced and when the store goes.
TEST_F(ApiCppRefs, HostInfoAndFinalizers) {
  finalized = Finalized{};
  int first = 1, second = 2, third = 3;
  {
    auto foreign = wasm::Foreign::make(store());
    EXPECT_EQ(foreign->get_host_info(), nullptr);
    foreign->set_host_info(&first, finalize_info);
    EXPECT_EQ(foreign->copy()->get_host_info(), &first);
    foreign->set_host_info(&second, finalize_info);  // the first is finalized now
    EXPECT_EQ(finalized.count, 1);
    EXPECT_EQ(finalized.last, 1);

    auto module = compile(R"((module (func (export "f"))))");
    module->set_host_info(&third, finalize_info);
    auto copy = module->copy();
    EXPECT_EQ(copy->get_host_info(), &third);
    wasm::Ref* as_ref = copy.get();
    EXPECT_TRUE(as_ref->same(module.get()));
    as_ref->set_host_info(&third);  // the same info: no finalizer now
    EXPECT_EQ(finalized.count, 1);
    as_ref->set_host_info(&third, finalize_info);
  }
  // The handles are gone; the infos stay with the objects until the store.
  EXPECT_EQ(finalized.count, 1);
  store_.reset();
  EXPECT_EQ(finalized.count, 3);
}

int store_finalized = 0;
void count_store_finalize(void*) { ++store_finalized; }

// A store deleted while C++ references are still alive frees them (the
// sanitizer build checks that nothing leaks); their owners give them up with
// release(), as a reference must not be deleted after its store.
TEST_F(ApiCppRefs, StoreDeletionFreesLiveHandles) {
  store_finalized = 0;
  auto instance = instantiate(kHostRefModule);
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  auto foreign = wasm::Foreign::make(store());
  foreign->set_host_info(&store_finalized, count_store_finalize);
  auto type = wasm::FuncType::make();
  auto func = wasm::Func::make(
      store(), type.get(), [](void*, const wasm::vec<wasm::Val>&, wasm::vec<wasm::Val>&) -> wasm::own<wasm::Trap> {
        return nullptr;
      },
      &store_finalized, count_store_finalize);
  auto trap = wasm::Trap::make(store(), wasm::Name::make_nt(std::string("kept")));
  auto global = exports[0]->global();
  global->set(wasm::Val::ref(foreign->copy()));
  wasm::Val value = global->get();
  ASSERT_NE(value.ref(), nullptr);
  auto held_value = wasm::Val::ref(foreign->copy());
  auto trace = trap->trace();

  store_.reset();
  EXPECT_EQ(store_finalized, 2);
  // The store freed these handles: give them up without deleting them.
  (void)instance.release();
  for (size_t i = 0; i < exports.size(); ++i) (void)exports[i].release();
  (void)foreign.release();
  (void)func.release();
  (void)trap.release();
  (void)value.release_ref().release();
  (void)held_value.release_ref().release();
  // Type objects are not the store's: they are deleted as usual.
  type.reset();
}

}  // namespace
}  // namespace weft::api_cpp_test
