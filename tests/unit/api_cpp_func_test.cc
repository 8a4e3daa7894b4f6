// The C++ API's functions: host functions (plain and with an env and a
// finalizer), calls into Wasm, traps with their message, origin and trace,
// and the start function (after the standard's hello, callback, multi, trap
// and start examples).
#include <stdexcept>
#include <string>

#include "api_cpp_test_util.h"

namespace weft::api_cpp_test {
namespace {

using wasm::ExternKind;
using wasm::ValKind;

using ApiCppFunc = ApiCppTest;

int hello_calls = 0;

auto hello_callback(const wasm::vec<wasm::Val>& args, wasm::vec<wasm::Val>&) -> wasm::own<wasm::Trap> {
  EXPECT_EQ(args.size(), 0u);
  ++hello_calls;
  return nullptr;
}

// The "hello" example: a module calls an imported host function.
TEST_F(ApiCppFunc, HelloCallsTheHost) {
  auto hello_type = wasm::FuncType::make();
  auto hello = wasm::Func::make(store(), hello_type.get(), hello_callback);
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->param_arity(), 0u);
  EXPECT_EQ(hello->result_arity(), 0u);
  auto imports = wasm::ownvec<wasm::Extern>::make(std::move(hello));
  auto instance = instantiate(R"((module
      (import "" "hello" (func $hello))
      (func (export "run") (call $hello) (call $hello))))",
                              imports);
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 1u);
  ASSERT_EQ(exports[0]->kind(), ExternKind::FUNC);
  auto run = exports[0]->func();
  ASSERT_NE(run, nullptr);

  hello_calls = 0;
  auto args = wasm::vec<wasm::Val>::make();
  auto results = wasm::vec<wasm::Val>::make();
  EXPECT_EQ(run->call(args, results), nullptr);
  EXPECT_EQ(hello_calls, 2);
}

auto print_callback(const wasm::vec<wasm::Val>& args, wasm::vec<wasm::Val>& results) -> wasm::own<wasm::Trap> {
  results[0] = args[0].copy();
  return nullptr;
}

struct Closure {
  int value = 0;
  int calls = 0;
  int finalized = 0;
};

auto closure_callback(void* env, const wasm::vec<wasm::Val>&, wasm::vec<wasm::Val>& results)
    -> wasm::own<wasm::Trap> {
  auto* closure = static_cast<Closure*>(env);
  ++closure->calls;
  results[0] = wasm::Val::i32(closure->value);
  return nullptr;
}

void finalize_closure(void* env) { ++static_cast<Closure*>(env)->finalized; }

// The "callback" example: a host function that echoes its argument and a
// closure over host state; the closure's finalizer runs with the store.
TEST_F(ApiCppFunc, CallbackAndClosure) {
  Closure closure;
  closure.value = 42;
  {
    auto print_type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(i32()),
                                           wasm::ownvec<wasm::ValType>::make(i32()));
    auto print = wasm::Func::make(store(), print_type.get(), print_callback);
    auto closure_type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(),
                                             wasm::ownvec<wasm::ValType>::make(i32()));
    auto closure_func = wasm::Func::make(store(), closure_type.get(), closure_callback, &closure, finalize_closure);
    ASSERT_NE(closure_func, nullptr);
    EXPECT_EQ(closure_func->result_arity(), 1u);
    auto imports = wasm::ownvec<wasm::Extern>::make(std::move(print), std::move(closure_func));
    auto instance = instantiate(R"((module
        (import "" "print" (func $print (param i32) (result i32)))
        (import "" "closure" (func $closure (result i32)))
        (func (export "run") (param i32 i32) (result i32)
          (i32.add (call $print (i32.add (local.get 0) (local.get 1))) (call $closure)))))",
                                imports);
    ASSERT_NE(instance, nullptr);
    auto exports = instance->exports();
    ASSERT_EQ(exports.size(), 1u);
    auto args = wasm::vec<wasm::Val>::make(wasm::Val::i32(3), wasm::Val::i32(4));
    auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
    auto trap = exports[0]->func()->call(args, results);
    ASSERT_EQ(trap, nullptr) << message_of(trap.get());
    ASSERT_EQ(results[0].kind(), ValKind::I32);
    EXPECT_EQ(results[0].i32(), 3 + 4 + 42);
    EXPECT_EQ(closure.calls, 1);

    // A host function called directly from the host.
    auto direct_args = wasm::vec<wasm::Val>::make(wasm::Val::i32(11));
    EXPECT_EQ(imports[0]->func()->call(direct_args, results), nullptr);
    EXPECT_EQ(results[0].i32(), 11);
  }
  EXPECT_EQ(closure.finalized, 0);
  store_.reset();
  EXPECT_EQ(closure.finalized, 1);
}

// The "multi" example: several parameters and results of every number type,
// through a host function that swaps them around.
auto reverse_callback(const wasm::vec<wasm::Val>& args, wasm::vec<wasm::Val>& results) -> wasm::own<wasm::Trap> {
  results[0] = args[3].copy();
  results[1] = args[2].copy();
  results[2] = args[1].copy();
  results[3] = args[0].copy();
  return nullptr;
}

TEST_F(ApiCppFunc, MultipleValuesOfEachNumberType) {
  auto make_types = [] {
    return wasm::ownvec<wasm::ValType>::make(i32(), wasm::ValType::make(ValKind::I64),
                                             wasm::ValType::make(ValKind::F32), wasm::ValType::make(ValKind::F64));
  };
  auto reversed = [] {
    return wasm::ownvec<wasm::ValType>::make(wasm::ValType::make(ValKind::F64), wasm::ValType::make(ValKind::F32),
                                             wasm::ValType::make(ValKind::I64), i32());
  };
  auto type = wasm::FuncType::make(make_types(), reversed());
  auto reverse = wasm::Func::make(store(), type.get(), reverse_callback);
  auto imports = wasm::ownvec<wasm::Extern>::make(std::move(reverse));
  auto instance = instantiate(R"((module
      (import "" "reverse" (func $reverse (param i32 i64 f32 f64) (result f64 f32 i64 i32)))
      (func (export "run") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
        (call $reverse (local.get 0) (local.get 1) (local.get 2) (local.get 3)))))",
                              imports);
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  auto run = exports[0]->func();
  EXPECT_EQ(run->param_arity(), 4u);
  EXPECT_EQ(run->result_arity(), 4u);
  auto run_type = run->type();
  ASSERT_EQ(run_type->results().size(), 4u);
  EXPECT_EQ(run_type->results()[0]->kind(), ValKind::F64);

  auto args = wasm::vec<wasm::Val>::make(wasm::Val::i32(1), wasm::Val::i64(int64_t(2) << 33), wasm::Val::f32(3.5f),
                                         wasm::Val::f64(4.25));
  auto results = wasm::vec<wasm::Val>::make_uninitialized(4);
  auto trap = run->call(args, results);
  ASSERT_EQ(trap, nullptr) << message_of(trap.get());
  EXPECT_EQ(results[0].f64(), 4.25);
  EXPECT_EQ(results[1].f32(), 3.5f);
  EXPECT_EQ(results[2].i64(), int64_t(2) << 33);
  EXPECT_EQ(results[3].i32(), 1);
}

auto fail_callback(void* env, const wasm::vec<wasm::Val>&, wasm::vec<wasm::Val>&) -> wasm::own<wasm::Trap> {
  auto* store = static_cast<wasm::Store*>(env);
  return wasm::Trap::make(store, wasm::Name::make_nt(std::string("callback abort")));
}

// The "trap" example: a trap a host function returns, and one of Wasm code,
// each with its message; Wasm's trap has its frames.
TEST_F(ApiCppFunc, TrapsWithMessageOriginAndTrace) {
  auto fail_type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(), wasm::ownvec<wasm::ValType>::make(i32()));
  auto fail = wasm::Func::make(store(), fail_type.get(), fail_callback, store());
  auto imports = wasm::ownvec<wasm::Extern>::make(std::move(fail));
  auto instance = instantiate(R"((module
      (import "" "callback" (func $callback (result i32)))
      (func (export "callback") (result i32) (call $callback))
      (func $inner (result i32) (unreachable))
      (func (export "unreachable") (result i32) (call $inner))))",
                              imports);
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 2u);

  auto args = wasm::vec<wasm::Val>::make();
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  auto trap = exports[0]->func()->call(args, results);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(message_of(trap.get()), "callback abort");
  EXPECT_EQ(trap->message().get()[trap->message().size() - 1], '\0');

  trap = exports[1]->func()->call(args, results);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap.get()).find("unreachable"), std::string::npos) << message_of(trap.get());
  auto origin = trap->origin();
  ASSERT_NE(origin, nullptr);
  EXPECT_EQ(origin->func_index(), 2u);  // $inner, after the import
  EXPECT_TRUE(origin->instance()->same(instance.get()));
  EXPECT_GT(origin->module_offset(), 0u);
  auto trace = trap->trace();
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0]->func_index(), 2u);
  EXPECT_EQ(trace[1]->func_index(), 3u);
  EXPECT_EQ(trace[1]->copy()->func_index(), 3u);

  // Traps are references: copies are the same trap.
  auto copy = trap->copy();
  EXPECT_TRUE(copy->same(trap.get()));
  EXPECT_EQ(message_of(copy.get()), message_of(trap.get()));
}

TEST_F(ApiCppFunc, HostMadeTrapsEndTheirMessageWithNul) {
  auto trap = wasm::Trap::make(store(), wasm::Name::make(std::string("no nul")));
  ASSERT_NE(trap, nullptr);
  auto message = trap->message();
  ASSERT_EQ(message.size(), 7u);
  EXPECT_STREQ(message.get(), "no nul");
  EXPECT_EQ(trap->origin(), nullptr);
  EXPECT_EQ(trap->trace().size(), 0u);
}

TEST_F(ApiCppFunc, WrongArgumentsAndTooSmallResultsTrap) {
  auto instance = instantiate(R"((module (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))))");
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  auto add = exports[0]->func();
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);

  auto one_arg = wasm::vec<wasm::Val>::make(wasm::Val::i32(1));
  auto trap = add->call(one_arg, results);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap.get()).find("wrong number of arguments"), std::string::npos);

  auto wrong_type = wasm::vec<wasm::Val>::make(wasm::Val::i32(1), wasm::Val::f64(2));
  EXPECT_NE(add->call(wrong_type, results), nullptr);

  auto args = wasm::vec<wasm::Val>::make(wasm::Val::i32(1), wasm::Val::i32(2));
  auto no_room = wasm::vec<wasm::Val>::make();
  trap = add->call(args, no_room);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap.get()).find("too small"), std::string::npos);

  // Room for more than the results: the rest is left as it was.
  auto room = wasm::vec<wasm::Val>::make(wasm::Val::i64(-1), wasm::Val::i64(-2));
  EXPECT_EQ(add->call(args, room), nullptr);
  EXPECT_EQ(room[0].i32(), 3);
  EXPECT_EQ(room[1].i64(), -2);
}

auto throwing_callback(const wasm::vec<wasm::Val>&, wasm::vec<wasm::Val>&) -> wasm::own<wasm::Trap> {
  throw std::runtime_error("host failure");
}

auto wrong_result_callback(const wasm::vec<wasm::Val>&, wasm::vec<wasm::Val>& results) -> wasm::own<wasm::Trap> {
  results[0] = wasm::Val::f32(1);
  return nullptr;
}

// Misuse by a host function traps instead of crashing.
TEST_F(ApiCppFunc, HostFunctionMisuseTraps) {
  auto type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(), wasm::ownvec<wasm::ValType>::make(i32()));
  auto thrower = wasm::Func::make(store(), type.get(), throwing_callback);
  auto wrong = wasm::Func::make(store(), type.get(), wrong_result_callback);
  auto args = wasm::vec<wasm::Val>::make();
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  auto trap = thrower->call(args, results);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap.get()).find("exception"), std::string::npos);
  trap = wrong->call(args, results);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap.get()).find("wrong type"), std::string::npos);
}

// The "start" example: a trapping start function fails the instantiation
// with the trap.
TEST_F(ApiCppFunc, StartFunctionTrapFailsInstantiation) {
  auto module = compile(R"((module (func $start (unreachable)) (start $start)))");
  ASSERT_NE(module, nullptr);
  wasm::own<wasm::Trap> trap;
  auto instance = wasm::Instance::make(store(), module.get(), wasm::ownvec<wasm::Extern>::make(), &trap);
  EXPECT_EQ(instance, nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap.get()).find("unreachable"), std::string::npos);
  auto origin = trap->origin();
  ASSERT_NE(origin, nullptr);
  EXPECT_EQ(origin->func_index(), 0u);

  // Without a trap pointer the failure is only the null result.
  EXPECT_EQ(wasm::Instance::make(store(), module.get(), wasm::ownvec<wasm::Extern>::make()), nullptr);
}

TEST_F(ApiCppFunc, MissingImportsFailToLink) {
  auto module = compile(R"((module (import "" "f" (func))))");
  wasm::own<wasm::Trap> trap;
  EXPECT_EQ(wasm::Instance::make(store(), module.get(), wasm::vec<wasm::Extern*>::make(), &trap), nullptr);
  EXPECT_NE(trap, nullptr);
  auto null_import = wasm::vec<wasm::Extern*>::make_uninitialized(1);
  null_import[0] = nullptr;
  EXPECT_EQ(wasm::Instance::make(store(), module.get(), null_import, &trap), nullptr);
  EXPECT_NE(message_of(trap.get()).find("null"), std::string::npos);
}

}  // namespace
}  // namespace weft::api_cpp_test
