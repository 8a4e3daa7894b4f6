// The C++ API's modules: validation, failed compiles, serialization (after
// the standard's serialize example) and sharing with stores of other threads
// (after the threads example).
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "api_cpp_test_util.h"

namespace weft::api_cpp_test {
namespace {

using ApiCppModule = ApiCppTest;

constexpr std::string_view kCounterModule = R"((module
    (import "" "callback" (func $callback (param i32)))
    (global $g (mut i32) (i32.const 0))
    (func (export "run") (param i32) (result i32)
      (call $callback (local.get 0))
      (global.set $g (i32.add (global.get $g) (local.get 0)))
      (global.get $g))))";

TEST_F(ApiCppModule, ValidateAndCompileFailures) {
  auto good = wat_binary(R"((module (func (export "f"))))");
  EXPECT_TRUE(wasm::Module::validate(store(), good));
  auto bad = wasm::vec<byte_t>::make('\0', 'a', 's', 'm');
  EXPECT_FALSE(wasm::Module::validate(store(), bad));
  EXPECT_EQ(wasm::Module::make(store(), bad), nullptr);
  EXPECT_EQ(wasm::Module::make(store(), wasm::vec<byte_t>::make()), nullptr);
  // An invalid vector is no binary either.
  EXPECT_EQ(wasm::Module::make(store(), wasm::vec<byte_t>::invalid()), nullptr);
  // A type error is caught by validation, not only decoding.
  auto ill_typed = wat_binary(R"((module (func (result i32) (f32.const 1))))");
  EXPECT_FALSE(wasm::Module::validate(store(), ill_typed));
}

auto add_callback(void* env, const wasm::vec<wasm::Val>& args, wasm::vec<wasm::Val>&) -> wasm::own<wasm::Trap> {
  *static_cast<int*>(env) += args[0].i32();
  return nullptr;
}

// Runs `module`'s "run" export with a counting callback; returns its result.
int32_t run_counter(wasm::Store* store, const wasm::Module* module, int32_t arg, int* calls_sum) {
  auto type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(i32()));
  auto callback = wasm::Func::make(store, type.get(), add_callback, calls_sum);
  auto imports = wasm::ownvec<wasm::Extern>::make(std::move(callback));
  auto instance = wasm::Instance::make(store, module, imports);
  if (!instance) return -1;
  auto exports = instance->exports();
  auto args = wasm::vec<wasm::Val>::make(wasm::Val::i32(arg));
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  if (exports.size() != 1 || exports[0]->func()->call(args, results)) return -1;
  return results[0].i32();
}

// The "serialize" example: a module serialized and deserialized (into the
// same store and another one) behaves as the original.
TEST_F(ApiCppModule, SerializeAndDeserialize) {
  auto module = compile(kCounterModule);
  ASSERT_NE(module, nullptr);
  auto serialized = module->serialize();
  ASSERT_TRUE(serialized);
  EXPECT_GT(serialized.size(), 8u);
  auto again = wasm::Module::deserialize(store(), serialized);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->exports().size(), 1u);
  EXPECT_EQ(again->imports().size(), 1u);
  int sum = 0;
  EXPECT_EQ(run_counter(store(), again.get(), 5, &sum), 5);
  EXPECT_EQ(sum, 5);

  auto other_store = wasm::Store::make(engine_.get());
  auto elsewhere = wasm::Module::deserialize(other_store.get(), serialized);
  ASSERT_NE(elsewhere, nullptr);
  EXPECT_EQ(run_counter(other_store.get(), elsewhere.get(), 3, &sum), 3);
  EXPECT_EQ(sum, 8);

  auto garbage = wasm::vec<byte_t>::make('x');
  EXPECT_EQ(wasm::Module::deserialize(store(), garbage), nullptr);
}

// The "threads" example: one engine, a module shared with threads that each
// obtain it into their own store and run it.
TEST_F(ApiCppModule, SharedModuleRunsInOtherThreads) {
  auto module = compile(kCounterModule);
  ASSERT_NE(module, nullptr);
  wasm::own<wasm::Shared<wasm::Module>> shared = module->share();
  ASSERT_NE(shared, nullptr);

  constexpr int kThreads = 4;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto store = wasm::Store::make(engine_.get());
      auto obtained = wasm::Module::obtain(store.get(), shared.get());
      if (!obtained) return;
      int sum = 0;
      // Each instance has its own global: the results accumulate per thread.
      bool ok = run_counter(store.get(), obtained.get(), t + 1, &sum) == t + 1 && sum == t + 1;
      if (ok) ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), kThreads);

  // Not in a store of another engine.
  auto other_engine = wasm::Engine::make();
  auto foreign_store = wasm::Store::make(other_engine.get());
  EXPECT_EQ(wasm::Module::obtain(foreign_store.get(), shared.get()), nullptr);
}

TEST_F(ApiCppModule, CopiesAreTheSameModule) {
  auto module = compile(R"((module (memory (export "m") 1)))");
  auto copy = module->copy();
  EXPECT_TRUE(copy->same(module.get()));
  module.reset();
  auto exports = copy->exports();
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(string_of(exports[0]->name()), "m");
  auto other = compile(R"((module (memory (export "m") 1)))");
  EXPECT_FALSE(other->same(copy.get()));
}

TEST(ApiCppEngine, ConfigAndStores) {
  auto engine = wasm::Engine::make(wasm::Config::make());
  ASSERT_NE(engine, nullptr);
  auto store = wasm::Store::make(engine.get());
  ASSERT_NE(store, nullptr);
  auto second = wasm::Store::make(engine.get());
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(wasm::Store::make(nullptr), nullptr);
  auto defaults = wasm::Engine::make();
  EXPECT_NE(defaults, nullptr);
}

}  // namespace
}  // namespace weft::api_cpp_test
