// weft.hh: weft.h in C++20 — owners and errors as values, engine options,
// fuel, interrupts, trap formatting, the linker and WASI, asynchronous calls,
// host functions written as coroutines and embedder coroutines awaiting calls.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "api_weftcpp_util.h"
#include "wasm.hh"
#include "weft.hh"

namespace weftcpp_test {
namespace {

using namespace weft;

// An engine and a store, deleted at the end of each test (so that the
// sanitizer build checks what the store frees).
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = wasm_engine_new();
    store_ = wasm_store_new(engine_);
  }
  void TearDown() override {
    if (store_) wasm_store_delete(store_);
    wasm_engine_delete(engine_);
  }
  // Instantiates `text` without imports; fills `exports` (owned by the caller).
  wasm_instance_t* instantiate(std::string_view text, wasm_extern_vec_t* exports) {
    wasm_byte_vec_t binary = wat_binary(text);
    wasm_module_t* module = wasm_module_new(store_, &binary);
    wasm_byte_vec_delete(&binary);
    EXPECT_NE(module, nullptr);
    if (!module) return nullptr;
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_instance_t* instance = wasm_instance_new(store_, module, &none, nullptr);
    wasm_module_delete(module);
    if (instance) wasm_instance_exports(instance, exports);
    return instance;
  }
  void delete_store() {
    wasm_store_delete(store_);
    store_ = nullptr;
  }
  wasm_engine_t* engine_ = nullptr;
  wasm_store_t* store_ = nullptr;
};

constexpr const char* kLoop = R"((module
  (func (export "loop") (param $n i32)
    (loop $again
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $n) (i32.const 0)))))))";

constexpr const char* kAddIo = R"((module
  (import "host" "io" (func $io (param i32) (result i32)))
  (func (export "add_io") (param i32) (result i32)
    (i32.add (i32.const 1) (call $io (local.get 0))))))";

wasm_functype_t* i32_to_i32() { return wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()); }

// A module from text, owned.
ModulePtr compile_in(wasm_store_t* store, std::string_view text) {
  wasm_byte_vec_t binary = wat_binary(text);
  ModulePtr module(wasm_module_new(store, &binary));
  wasm_byte_vec_delete(&binary);
  EXPECT_NE(module, nullptr);
  return module;
}

// Export `i` of an instance as a function handle (owned).
FuncPtr export_func(const wasm_instance_t* instance, size_t i) {
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  FuncPtr f(i < exports.size ? wasm_func_copy(wasm_extern_as_func(exports.data[i])) : nullptr);
  wasm_extern_vec_delete(&exports);
  return f;
}

// An engine and store from a weft::Config.
struct ConfiguredStore {
  explicit ConfiguredStore(const Config& config) {
    auto engine_or = config.make_engine();
    EXPECT_TRUE(engine_or.ok()) << engine_or.error().message();
    if (engine_or) engine = std::move(engine_or).value();
    store.reset(wasm_store_new(engine.get()));
  }
  FuncPtr first_export(std::string_view text) {
    ModulePtr module = compile_in(store.get(), text);
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    InstancePtr instance(wasm_instance_new(store.get(), module.get(), &none, nullptr));
    EXPECT_NE(instance, nullptr);
    return export_func(instance.get(), 0);
  }
  // f(n), no results: the trap message or "".
  std::string call(const wasm_func_t* f, int32_t n) {
    wasm_val_t arg = i32(n);
    wasm_val_vec_t args = {1, &arg}, none = WASM_EMPTY_VEC;
    return Trap(wasm_func_call(f, &args, &none)).message();
  }
  EnginePtr engine;
  StorePtr store;
};

// ---- errors, options, fuel, interrupts -------------------------------------------

TEST(ApiWeftCppOptions, ErrorsAreValues) {
  Error none;
  EXPECT_FALSE(none);
  EXPECT_TRUE(none.ok());
  EXPECT_EQ(none.message(), "");
  Error made = Error::make("bad thing");
  EXPECT_TRUE(made);
  EXPECT_EQ(made.message(), "bad thing");
  Result<int> r = 5;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5);
  Result<int> e = Error::make("no");
  EXPECT_FALSE(e);
  EXPECT_EQ(e.error().message(), "no");
}

TEST(ApiWeftCppOptions, OutOfRangeOptionsAreErrors) {
  ConfigPtr config(wasm_config_new());
  Error e = Config().initial_stack_bytes(1).apply(config.get());
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("initial stack size"), std::string::npos) << e.message();
  EXPECT_TRUE(Config().max_cont_stacks(0).apply(config.get()));
  EXPECT_TRUE(Config().max_instances(0).apply(config.get()));
  // (An out-of-range stack growth is a C caller's mistake: api_c_program.c checks it; in C++ the value itself would be undefined.)
  // The first error stops apply(); make_engine reports it.
  auto engine = Config().fuel(10).max_instances(0).make_engine();
  EXPECT_FALSE(engine.ok());
  EXPECT_NE(engine.error().message(), "");
  // Every setter, in range.
  Error ok = Config()
                 .stack_growth(WEFT_STACK_COPYING)
                 .initial_stack_bytes(256)
                 .max_stack_bytes(1 << 20)
                 .max_total_stack_bytes(64 << 20)
                 .max_cont_stacks(100)
                 .max_memory_pages(2)
                 .max_table_elements(100)
                 .max_instances(10)
                 .fuel(0)
                 .deadline_ms(0)
                 .interruptible(true)
                 .apply(config.get());
  EXPECT_FALSE(ok) << ok.message();
}

TEST(ApiWeftCppOptions, LimitsHoldInTheEngine) {
  ConfiguredStore s(Config().max_memory_pages(2).max_stack_bytes(1 << 20));
  ModulePtr module = compile_in(s.store.get(), "(module (memory 3))");
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t* raw = nullptr;
  InstancePtr instance(wasm_instance_new(s.store.get(), module.get(), &none, &raw));
  Trap trap(raw);
  EXPECT_EQ(instance, nullptr);
  EXPECT_TRUE(trap);
  FuncPtr deep = s.first_export(R"((module (func $f (export "f") (param i32)
    (if (local.get 0) (then (call $f (i32.sub (local.get 0) (i32.const 1))))))))");
  EXPECT_EQ(s.call(deep.get(), 1000), "");
  EXPECT_EQ(s.call(deep.get(), 10000000), "call stack exhausted");
}

TEST(ApiWeftCppFuel, PerCallAndStoreFuel) {
  {
    ConfiguredStore s(Config().fuel(1000));
    FuncPtr loop = s.first_export(kLoop);
    EXPECT_EQ(s.call(loop.get(), 100), "");
    EXPECT_EQ(s.call(loop.get(), 5000), "fuel exhausted");
    Result<uint64_t> left = fuel(s.store.get());
    ASSERT_TRUE(left.ok()) << left.error().message();
    EXPECT_EQ(*left, 0u);
  }
  {
    ConfiguredStore s(Config().interruptible(true));
    FuncPtr loop = s.first_export(kLoop);
    EXPECT_FALSE(set_fuel(s.store.get(), 10000));
    EXPECT_EQ(s.call(loop.get(), 100), "");
    Result<uint64_t> left = fuel(s.store.get());
    ASSERT_TRUE(left.ok());
    EXPECT_LT(*left, 10000u);
    EXPECT_GT(*left, 9000u);
    EXPECT_EQ(s.call(loop.get(), 100000), "fuel exhausted");
    EXPECT_FALSE(set_fuel(s.store.get(), 1000000));  // refilled
    EXPECT_EQ(s.call(loop.get(), 100000), "");
  }
  {
    ConfiguredStore s{Config()};  // unmetered: errors
    EXPECT_TRUE(set_fuel(s.store.get(), 10));
    EXPECT_FALSE(fuel(s.store.get()).ok());
  }
}

TEST(ApiWeftCppInterrupt, HandleStopsTheNextCall) {
  {
    ConfiguredStore s{Config()};
    auto handle = InterruptHandle::make(s.store.get());
    EXPECT_FALSE(handle.ok());
    EXPECT_NE(handle.error().message(), "");
  }
  std::optional<InterruptHandle> kept;
  {
    ConfiguredStore s(Config().interruptible(true));
    FuncPtr forever = s.first_export(R"((module (func (export "forever") (param i32) (loop $l (br $l)))))");
    auto handle = InterruptHandle::make(s.store.get());
    ASSERT_TRUE(handle.ok()) << handle.error().message();
    handle->interrupt();  // before the call: stops the next one
    EXPECT_EQ(s.call(forever.get(), 0), "interrupted");
    kept.emplace(std::move(handle).value());
  }
  kept->interrupt();  // the store is gone: nothing happens
}

// weft.hh with the C++ API's objects (wasm.hh): c_api() gives the C object.
TEST(ApiWeftCppInterop, WasmHhObjects) {
  auto config = wasm::Config::make();
  ASSERT_FALSE(Config().fuel(1000).apply(c_api(config.get())));
  auto engine = wasm::Engine::make(std::move(config));
  auto store = wasm::Store::make(engine.get());
  wasm_byte_vec_t binary = wat_binary(kLoop);
  auto bytes = wasm::vec<byte_t>::make(binary.size, binary.data);
  wasm_byte_vec_delete(&binary);
  auto module = wasm::Module::make(store.get(), bytes);
  ASSERT_NE(module, nullptr);
  auto instance = wasm::Instance::make(store.get(), module.get(), wasm::vec<wasm::Extern*>::make());
  ASSERT_NE(instance, nullptr);
  auto exports = instance->exports();
  const wasm::Func* loop = exports[0]->func();
  Call ok(c_api(loop), {i32(10)});
  EXPECT_FALSE(ok.run());
  EXPECT_EQ(ok.state(), WEFT_CALL_FINISHED);
  Call out(c_api(loop), {i32(100000)});
  EXPECT_FALSE(out.run());
  ASSERT_EQ(out.state(), WEFT_CALL_TRAPPED);
  EXPECT_EQ(out.trap().message(), "fuel exhausted");
  EXPECT_EQ(fuel(c_api(store.get())).value(), 0u);
}

// ---- traps and frames ---------------------------------------------------------------

class ApiWeftCppTrap : public ApiTest {};

TEST_F(ApiWeftCppTrap, FormatAndFrameNames) {
  wasm_extern_vec_t exports;
  InstancePtr instance(instantiate(R"((module
    (func $inner (unreachable))
    (func $outer (export "outer") (call $inner))))",
                                   &exports));
  ASSERT_NE(instance, nullptr);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  Trap trap(wasm_func_call(wasm_extern_as_func(exports.data[0]), &none, &none));
  wasm_extern_vec_delete(&exports);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap.message(), "unreachable");
  EXPECT_EQ(trap.frame_names(), (std::vector<std::string>{"inner", "outer"}));
  const std::string text = trap.format();
  EXPECT_EQ(text.rfind("unreachable\n  at inner (func[0] @0x", 0), 0u) << text;
  EXPECT_NE(text.find("\n  at outer (func[1] @0x"), std::string::npos) << text;
  EXPECT_EQ(format(trap.get()), text);

  Trap made = Trap::make(store_, "made here");
  EXPECT_EQ(made.message(), "made here");
  EXPECT_EQ(made.format(), "made here");
  EXPECT_TRUE(made.frame_names().empty());
  EXPECT_EQ(Trap().message(), "");
}

// ---- synchronous host functions and the linker ---------------------------------------

class ApiWeftCppLinker : public ApiTest {};

// Counts how many copies of a callable's state are alive (to see the
// finalizer run with the store).
struct Alive {
  explicit Alive(int* n) : count(n) { ++*count; }
  Alive(const Alive&) = delete;
  ~Alive() { --*count; }
  int* count;
};

TEST_F(ApiWeftCppLinker, DefineFuncWithALambdaInstanceAndExterns) {
  int alive = 0;
  int calls = 0;
  {
    Linker linker(store_);
    wasm_functype_t* ft =
        wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
    auto token = std::make_shared<Alive>(&alive);
    EXPECT_FALSE(linker.define_func("env", "add", ft,
                                    [token, &calls](std::span<const wasm_val_t> a, std::span<wasm_val_t> r) {
                                      ++calls;
                                      r[0] = i32(a[0].of.i32 + a[1].of.i32);
                                    }));
    token.reset();
    // Duplicates are errors (and the callable is still freed with the store).
    Error dup = linker.define_func("env", "add", ft, [](std::span<const wasm_val_t>, std::span<wasm_val_t>) {});
    EXPECT_EQ(dup.message(), "duplicate definition of env.add");
    wasm_functype_delete(ft);
    EXPECT_EQ(alive, 1);

    // A throwing host function traps with the exception's message.
    wasm_functype_t* t0 = wasm_functype_new_0_0();
    EXPECT_FALSE(linker.define_func("env", "boom", t0, [](std::span<const wasm_val_t>, std::span<wasm_val_t>) -> Trap {
      throw std::runtime_error("host exploded");
    }));
    wasm_functype_delete(t0);

    wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
    wasm_val_t seven = i32(7);
    wasm_global_t* global = wasm_global_new(store_, gt, &seven);
    wasm_globaltype_delete(gt);
    EXPECT_FALSE(linker.define("env", "g", wasm_global_as_extern(global)));
    wasm_global_delete(global);

    ModulePtr lib = compile_in(store_, R"((module (func (export "twice") (param i32) (result i32)
      (i32.mul (local.get 0) (i32.const 2)))))");
    auto lib_instance = linker.instantiate(lib.get());
    ASSERT_TRUE(lib_instance.ok()) << lib_instance.error().message();
    EXPECT_FALSE(linker.define_instance("lib", lib_instance->instance.get()));

    ModulePtr module = compile_in(store_, R"((module
      (import "env" "add" (func $add (param i32 i32) (result i32)))
      (import "env" "g" (global $g i32))
      (import "lib" "twice" (func $twice (param i32) (result i32)))
      (import "env" "boom" (func $boom))
      (func (export "run") (result i32) (call $twice (call $add (global.get $g) (i32.const 5))))
      (func (export "boom") (call $boom))))");
    auto inst = linker.instantiate(module.get());
    ASSERT_TRUE(inst.ok()) << inst.error().message();
    ASSERT_NE(inst->instance, nullptr);
    EXPECT_FALSE(inst->trap);
    FuncPtr run = export_func(inst->instance.get(), 0);
    Call call(run.get(), {});
    EXPECT_FALSE(call.run());
    ASSERT_EQ(call.state(), WEFT_CALL_FINISHED);
    Values results = call.results();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].of.i32, 24);
    EXPECT_EQ(calls, 1);

    FuncPtr boom = export_func(inst->instance.get(), 1);
    auto boomed = Call::start(boom.get(), {});
    ASSERT_TRUE(boomed.ok());
    EXPECT_EQ(boomed->state(), WEFT_CALL_TRAPPED);
    EXPECT_EQ(boomed->trap().message(), "host exploded");

    // Link errors name the import.
    ModulePtr missing = compile_in(store_, R"((module (import "env" "log" (func))))");
    auto failed = linker.instantiate(missing.get());
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().message(), "unknown import env.log");
    // A start function's trap is not an error.
    ModulePtr starts = compile_in(store_, R"((module (func $s (unreachable)) (start $s)))");
    auto trapped = linker.instantiate(starts.get());
    ASSERT_TRUE(trapped.ok());
    EXPECT_EQ(trapped->instance, nullptr);
    EXPECT_EQ(trapped->trap.message(), "unreachable");
  }
  EXPECT_EQ(alive, 1);  // the linker is gone; the function lives with the store
  delete_store();
  EXPECT_EQ(alive, 0);
}

TEST_F(ApiWeftCppLinker, MakeFuncWithALambda) {
  int32_t base = 100;
  wasm_functype_t* ft = i32_to_i32();
  FuncPtr f = make_func(store_, ft, [&base](std::span<const wasm_val_t> a, std::span<wasm_val_t> r) -> wasm_trap_t* {
    r[0] = i32(a[0].of.i32 + base);
    return nullptr;
  });
  wasm_functype_delete(ft);
  wasm_val_t arg = i32(5), res = i32(0);
  wasm_val_vec_t args = {1, &arg}, results = {1, &res};
  EXPECT_FALSE(Trap(wasm_func_call(f.get(), &args, &results)));
  EXPECT_EQ(res.of.i32, 105);
}

class ApiWeftCppWasi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_EQ(::pipe(pipe_), 0);
  }
  void TearDown() override {
    ApiTest::TearDown();
    ::close(pipe_[0]);
    ::close(pipe_[1]);
  }
  std::string read_stdout() {
    ::fcntl(pipe_[0], F_SETFL, O_NONBLOCK);
    char buf[256];
    ssize_t n = ::read(pipe_[0], buf, sizeof buf);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
  }
  int pipe_[2] = {-1, -1};
};

TEST_F(ApiWeftCppWasi, HelloToAPipeAndExitCodes) {
  Linker linker(store_);
  WasiConfig wasi;
  wasi.args({"hello.wasm", "--flag"}).env({"A=1"}).inherit_env();
  EXPECT_TRUE(wasi.stdio(-1, 1, 2));
  EXPECT_FALSE(wasi.stdio(0, pipe_[1], 2));
  EXPECT_FALSE(linker.define_wasi(std::move(wasi)));
  EXPECT_EQ(linker.define_wasi(WasiConfig()).message(), "WASI is defined already in this linker");

  ModulePtr hello = compile_in(store_, R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hello")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 5))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))))");
  auto out = linker.run_command(hello.get());
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(out->exit_code, 0);
  EXPECT_FALSE(out->trap);
  EXPECT_EQ(read_stdout(), "hello");

  ModulePtr exits = compile_in(store_, R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (call $exit (i32.const 7)) (unreachable))))");
  auto exited = linker.run_command(exits.get());
  ASSERT_TRUE(exited.ok());
  EXPECT_EQ(exited->exit_code, 7);

  ModulePtr traps = compile_in(store_, R"((module (memory (export "memory") 1) (func (export "_start") (unreachable))))");
  auto trapped = linker.run_command(traps.get());
  ASSERT_TRUE(trapped.ok());
  EXPECT_EQ(trapped->exit_code, -1);
  EXPECT_EQ(trapped->trap.message(), "unreachable");

  ModulePtr no_start = compile_in(store_, "(module)");
  auto not_a_command = linker.run_command(no_start.get());
  EXPECT_EQ(not_a_command.error().message(), "not a WASI command: no exported function \"_start\"");
}

TEST_F(ApiWeftCppWasi, APreopenThatCannotBeOpenedIsAnError) {
  Linker linker(store_);
  WasiConfig wasi;
  wasi.preopen_dir("/nonexistent/weft-weftcpp-test", "/data");
  Error e = linker.define_wasi(std::move(wasi));
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("/nonexistent/weft-weftcpp-test"), std::string::npos) << e.message();
}

// ---- host functions as coroutines -------------------------------------------------------

// The test's event loop: requests waiting for an answer, completed in order.
struct EventLoop {
  std::deque<std::pair<Completion<int32_t>, int32_t>> waiting;
  // Completes every waiting request with 10 * its argument.
  size_t complete_all() {
    size_t n = 0;
    while (!waiting.empty()) {
      auto [completion, arg] = waiting.front();
      waiting.pop_front();
      EXPECT_TRUE(completion.complete(arg * 10));
      ++n;
    }
    return n;
  }
};

class ApiWeftCppAsync : public ApiTest {
 protected:
  void TearDown() override {
    func_.reset();
    instance_.reset();
    linker_.reset();
    scheduler_.reset();
    ApiTest::TearDown();
  }
  // host.io as a coroutine awaiting the loop; then instantiates `text`.
  template <class F>
  void load(std::string_view text, F host) {
    scheduler_ = std::make_unique<Scheduler>(store_);
    linker_ = std::make_unique<Linker>(store_);
    wasm_functype_t* ft = i32_to_i32();
    ASSERT_FALSE(linker_->define_async("host", "io", ft, std::move(host)));
    wasm_functype_delete(ft);
    ModulePtr module = compile_in(store_, text);
    auto inst = linker_->instantiate(module.get());
    ASSERT_TRUE(inst.ok()) << inst.error().message();
    instance_ = std::move(inst->instance);
    func_ = export_func(instance_.get(), 0);
  }
  // The usual host: waits for the loop, then adds 1000 * (number of awaits).
  void load_default(std::string_view text = kAddIo) {
    load(text, [this](std::vector<wasm_val_t> args) -> HostTask {
      Completion<int32_t> done;
      loop_.waiting.emplace_back(done, args[0].of.i32);
      const int32_t v = co_await done;
      ++host_finished_;
      co_return std::vector<wasm_val_t>{i32(v)};
    });
  }
  Call start(int32_t arg) {
    auto call = Call::start(func_.get(), {i32(arg)});
    EXPECT_TRUE(call.ok()) << call.error().message();
    return call ? std::move(call).value() : Call();
  }
  static int32_t result_of(const Call& call) {
    Values r = call.results();
    EXPECT_EQ(r.size(), 1u);
    return r.size() == 1 ? r[0].of.i32 : -1;
  }

  EventLoop loop_;
  int host_finished_ = 0;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<Linker> linker_;
  InstancePtr instance_;
  FuncPtr func_;
};

TEST_F(ApiWeftCppAsync, CoroutineHostFunctionAwaitsTheEventLoop) {
  load_default();
  Call call = start(4);
  ASSERT_EQ(call.state(), WEFT_CALL_PENDING);
  EXPECT_EQ(scheduler_->parked_calls(), 1u);
  ASSERT_EQ(loop_.waiting.size(), 1u);
  EXPECT_EQ(loop_.waiting[0].second, 4);
  EXPECT_TRUE(loop_.waiting[0].first.waiting());
  std::vector<weft_call_t*> ready;
  scheduler_->on_ready([&ready](weft_call_t* c) { ready.push_back(c); });
  EXPECT_EQ(loop_.complete_all(), 1u);  // resumes the coroutine: it completes the handle
  EXPECT_EQ(host_finished_, 1);
  EXPECT_EQ(ready, std::vector<weft_call_t*>{call.get()});
  EXPECT_EQ(call.state(), WEFT_CALL_READY);
  EXPECT_EQ(scheduler_->run_ready(), 1u);
  ASSERT_EQ(call.state(), WEFT_CALL_FINISHED);
  EXPECT_EQ(result_of(call), 41);
  EXPECT_EQ(scheduler_->parked_calls(), 0u);
}

TEST_F(ApiWeftCppAsync, CompletionBeforeTheAwaitDoesNotSuspend) {
  Completion<int32_t> early;
  EXPECT_TRUE(early.complete(8));
  EXPECT_FALSE(early.complete(9));  // once
  load(kAddIo, [&early](std::vector<wasm_val_t>) -> HostTask {
    const int32_t v = co_await early;
    co_return std::vector<wasm_val_t>{i32(v)};
  });
  Call call = start(0);
  ASSERT_EQ(call.state(), WEFT_CALL_FINISHED);
  EXPECT_EQ(result_of(call), 9);
}

TEST_F(ApiWeftCppAsync, FinishingWithoutSuspendingAnswersSynchronously) {
  load(kAddIo, [](std::vector<wasm_val_t> args) -> HostTask {
    co_return std::vector<wasm_val_t>{i32(args[0].of.i32 * 3)};
  });
  // As an asynchronous call: never parks.
  Call call = start(5);
  ASSERT_EQ(call.state(), WEFT_CALL_FINISHED);
  EXPECT_EQ(result_of(call), 16);
  EXPECT_EQ(scheduler_->parked_calls(), 0u);
  // And in a synchronous call, which could not park.
  wasm_val_t arg = i32(7), res = i32(0);
  wasm_val_vec_t args = {1, &arg}, results = {1, &res};
  EXPECT_FALSE(Trap(wasm_func_call(func_.get(), &args, &results)));
  EXPECT_EQ(res.of.i32, 22);
}

TEST_F(ApiWeftCppAsync, WrongNumberOfResultsTraps) {
  load(kAddIo, [](std::vector<wasm_val_t>) -> HostTask { co_return std::vector<wasm_val_t>{}; });
  Call call = start(5);
  ASSERT_EQ(call.state(), WEFT_CALL_TRAPPED);
  EXPECT_EQ(call.trap().message(), "host coroutine returned 0 results, expected 1");
}

TEST_F(ApiWeftCppAsync, CoReturnOfAFailureOrAnExceptionTraps) {
  load(kAddIo, [this](std::vector<wasm_val_t> args) -> HostTask {
    const int32_t mode = args[0].of.i32;
    if (mode == 0) co_return Fail{"failed at once"};
    Completion<int32_t> done;
    loop_.waiting.emplace_back(done, mode);
    const int32_t v = co_await done;
    if (mode == 1) co_return Fail{"disk on fire"};
    if (mode == 2) throw std::runtime_error("thrown after resuming");
    co_return Trap::make(store_, "a trap of " + std::to_string(v));
  });
  Call now = start(0);
  ASSERT_EQ(now.state(), WEFT_CALL_TRAPPED);
  EXPECT_EQ(now.trap().message(), "failed at once");

  Call a = start(1), b = start(2), c = start(3);
  ASSERT_EQ(a.state(), WEFT_CALL_PENDING);
  ASSERT_EQ(b.state(), WEFT_CALL_PENDING);
  ASSERT_EQ(c.state(), WEFT_CALL_PENDING);
  EXPECT_EQ(loop_.complete_all(), 3u);
  EXPECT_EQ(scheduler_->run_ready(), 3u);
  ASSERT_EQ(a.state(), WEFT_CALL_TRAPPED);
  EXPECT_EQ(a.trap().message(), "disk on fire");
  // The trap carries the frames from before the pending call.
  EXPECT_EQ(a.trap().frame_names(), std::vector<std::string>{"func[1]"});  // no name section
  ASSERT_EQ(b.state(), WEFT_CALL_TRAPPED);
  EXPECT_EQ(b.trap().message(), "thrown after resuming");
  ASSERT_EQ(c.state(), WEFT_CALL_TRAPPED);
  EXPECT_EQ(c.trap().message(), "a trap of 30");
}

TEST_F(ApiWeftCppAsync, PendingInASynchronousCallTraps) {
  load_default();
  wasm_val_t arg = i32(1), res = i32(0);
  wasm_val_vec_t args = {1, &arg}, results = {1, &res};
  Trap trap(wasm_func_call(func_.get(), &args, &results));
  ASSERT_TRUE(trap);
  EXPECT_NE(trap.message().find("returned pending in a synchronous call"), std::string::npos) << trap.message();
  // The coroutine still finishes when its completion comes (the handle's
  // error is dropped).
  EXPECT_EQ(loop_.complete_all(), 1u);
  EXPECT_EQ(host_finished_, 1);
}

TEST_F(ApiWeftCppAsync, AThousandParkedCoroutines) {
  load_default(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (func (export "twice") (param i32) (result i32)
      (i32.add (call $io (local.get 0)) (call $io (i32.add (local.get 0) (i32.const 1)))))))");
  constexpr int kCalls = 1000;
  std::vector<Call> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(start(i));
    ASSERT_EQ(calls.back().state(), WEFT_CALL_PENDING);
  }
  EXPECT_EQ(scheduler_->parked_calls(), size_t(kCalls));
  ASSERT_EQ(loop_.waiting.size(), size_t(kCalls));
  // Completed in reverse order.
  std::reverse(loop_.waiting.begin(), loop_.waiting.end());
  EXPECT_EQ(loop_.complete_all(), size_t(kCalls));
  EXPECT_EQ(scheduler_->run_ready(), size_t(kCalls));  // each parks at its second io
  EXPECT_EQ(loop_.waiting.size(), size_t(kCalls));
  EXPECT_EQ(loop_.complete_all(), size_t(kCalls));
  EXPECT_EQ(scheduler_->run_ready(), size_t(kCalls));
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_EQ(calls[i].state(), WEFT_CALL_FINISHED);
    EXPECT_EQ(result_of(calls[i]), 10 * i + 10 * (i + 1));
  }
  EXPECT_EQ(host_finished_, 2 * kCalls);
  EXPECT_EQ(scheduler_->parked_calls(), 0u);
}

// Cancelling a parked call: the coroutine finishes when its completion comes;
// nothing leaks (the sanitizer build checks).
TEST_F(ApiWeftCppAsync, CancellingAParkedCall) {
  load_default();
  Call call = start(3);
  ASSERT_EQ(call.state(), WEFT_CALL_PENDING);
  call.reset();
  EXPECT_FALSE(call);
  EXPECT_EQ(scheduler_->parked_calls(), 0u);
  EXPECT_EQ(loop_.complete_all(), 1u);
  EXPECT_EQ(host_finished_, 1);
  EXPECT_EQ(scheduler_->run_ready(), 0u);
  // A ready call cancelled before it runs.
  Call ready = start(4);
  EXPECT_EQ(loop_.complete_all(), 1u);
  EXPECT_EQ(ready.state(), WEFT_CALL_READY);
  ready = Call();
  EXPECT_EQ(scheduler_->run_ready(), 0u);
  // The store goes on.
  Call next = start(5);
  loop_.complete_all();
  EXPECT_EQ(scheduler_->run_ready(), 1u);
  EXPECT_EQ(result_of(next), 51);
}

// Deleting the store destroys the suspended coroutine frames (their locals'
// destructors run); completing them afterwards does nothing.
TEST_F(ApiWeftCppAsync, DeletingTheStoreWithSuspendedCoroutines) {
  int alive = 0;
  load(kAddIo, [this, &alive](std::vector<wasm_val_t> args) -> HostTask {
    Alive token(&alive);
    auto big = std::make_unique<std::vector<int>>(1000, 1);  // would leak if the frame did
    Completion<int32_t> done;
    loop_.waiting.emplace_back(done, args[0].of.i32);
    const int32_t v = co_await done;
    co_return std::vector<wasm_val_t>{i32(v + int32_t(big->size()))};
  });
  for (int i = 0; i < 100; ++i) {
    Call c = start(i);
    ASSERT_EQ(c.state(), WEFT_CALL_PENDING);
    c.release();  // left to the store
  }
  Call kept = start(100);
  // Some become ready, the rest stay pending.
  for (int i = 0; i < 30; ++i) {
    EXPECT_TRUE(loop_.waiting.front().first.complete(1));
    loop_.waiting.pop_front();
  }
  EXPECT_EQ(alive, 71);
  EXPECT_EQ(scheduler_->parked_calls(), 101u);
  kept.release();
  func_.reset();
  instance_.reset();
  scheduler_.reset();
  delete_store();
  EXPECT_EQ(alive, 0);
  for (auto& [completion, arg] : loop_.waiting) {
    EXPECT_FALSE(completion.waiting());
    EXPECT_TRUE(completion.complete(arg));  // nobody waits: kept, nothing runs
  }
  linker_.reset();  // after the store: allowed
}

// ---- embedder coroutines awaiting calls ----------------------------------------------

TEST_F(ApiWeftCppAsync, ACoroutineAwaitsCalls) {
  load_default();
  std::vector<std::string> log;
  auto task = [](const wasm_func_t* f, std::vector<std::string>* log) -> Task<int32_t> {
    Call first(f, {i32(2)});
    CallOutcome a = co_await first;  // parks: suspends until the loop runs it
    log->push_back("first " + std::to_string(a.results[0].of.i32));
    Call second(f, {i32(a.results[0].of.i32)});
    CallOutcome b = co_await second;
    log->push_back("second " + std::to_string(b.results[0].of.i32));
    co_return b.results[0].of.i32;
  }(func_.get(), &log);
  EXPECT_FALSE(task.done());
  EXPECT_EQ(scheduler_->parked_calls(), 1u);
  EXPECT_EQ(loop_.complete_all(), 1u);
  EXPECT_EQ(scheduler_->run_ready(), 1u);  // resumes the task; it starts the second call
  EXPECT_EQ(log, std::vector<std::string>{"first 21"});
  EXPECT_FALSE(task.done());
  EXPECT_EQ(loop_.complete_all(), 1u);
  EXPECT_EQ(scheduler_->run_ready(), 1u);
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), 211);
  EXPECT_EQ(log, (std::vector<std::string>{"first 21", "second 211"}));
}

TEST_F(ApiWeftCppAsync, AwaitingACallThatFinishesOrTrapsAtOnce) {
  load(R"((module
    (import "host" "io" (func $io (param i32) (result i32)))
    (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))))",
       [](std::vector<wasm_val_t>) -> HostTask { co_return Fail{"unused"}; });
  auto task = [](const wasm_func_t* f) -> Task<std::string> {
    Call ok(f, {i32(4)});
    CallOutcome a = co_await ok;
    Call bad(f, {i32(0)});
    CallOutcome b = co_await bad;
    Call none;
    CallOutcome c = co_await none;
    co_return std::to_string(a.results[0].of.i32) + " " + b.trap.message() + " " + c.error.message() + " " +
        (a.ok() ? "ok" : "not ok") + " " + (b.ok() ? "ok" : "not ok");
  }(func_.get());
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), "25 integer divide by zero no call ok not ok");
}

// Every call parked, each awaited by its own coroutine; a task destroyed
// while it waits is not resumed, and its call is cancelled with its frame.
TEST_F(ApiWeftCppAsync, ManyTasksAndADestroyedOne) {
  load_default();
  int resumed = 0;
  auto make = [this, &resumed](int32_t arg) -> Task<int32_t> {
    Call call(func_.get(), {i32(arg)});
    CallOutcome out = co_await call;
    ++resumed;
    co_return out.results[0].of.i32;
  };
  std::vector<Task<int32_t>> tasks;
  for (int i = 0; i < 50; ++i) tasks.push_back(make(i));
  EXPECT_EQ(scheduler_->parked_calls(), 50u);
  tasks[7] = make(1000);  // destroys task 7 (and cancels its call); a new one parks
  EXPECT_EQ(scheduler_->parked_calls(), 50u);
  EXPECT_EQ(loop_.complete_all(), 51u);
  EXPECT_EQ(scheduler_->run_ready(), 50u);
  EXPECT_EQ(resumed, 50);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(tasks[i].done());
    EXPECT_EQ(tasks[i].result(), i == 7 ? 10001 : 10 * i + 1);
  }
}

// A Task<void> awaiting a completion directly, and one that throws.
TEST(ApiWeftCppTask, VoidTasksCompletionsAndExceptions) {
  Completion<std::string> text;
  std::string seen;
  Completion<char> bang;
  EXPECT_TRUE(bang.complete('!'));
  auto task = [](Completion<std::string> c, Completion<char> b, std::string* out) -> Task<> {
    *out = co_await c;
    *out += co_await b;  // completed already: does not suspend
  }(text, bang, &seen);
  EXPECT_FALSE(task.done());
  EXPECT_TRUE(text.waiting());
  EXPECT_TRUE(text.complete("hi"));
  ASSERT_TRUE(task.done());
  task.result();
  EXPECT_EQ(seen, "hi!");
  auto throws = []() -> Task<int> {
    throw std::runtime_error("task failed");
    co_return 1;
  }();
  ASSERT_TRUE(throws.done());
  EXPECT_THROW(throws.result(), std::runtime_error);
}

// Calls run directly (without the scheduler) still resume their awaiting
// coroutine at the next run_ready; plain weft_call_t's run too.
TEST_F(ApiWeftCppAsync, PlainCallsAndCallsRunByHand) {
  load_default();
  wasm_val_t a = i32(6);
  wasm_val_vec_t args = {1, &a};
  weft_call_t* plain = weft_call_new(func_.get(), &args);
  EXPECT_FALSE(Error(weft_call_run(plain)));
  Call mine = start(7);
  auto task = [](Call* c) -> Task<int32_t> {
    CallOutcome out = co_await *c;
    co_return out.results[0].of.i32;
  }(&mine);
  EXPECT_FALSE(task.done());
  EXPECT_EQ(loop_.complete_all(), 2u);
  EXPECT_FALSE(mine.run());  // by hand
  EXPECT_EQ(mine.state(), WEFT_CALL_FINISHED);
  EXPECT_FALSE(task.done());
  EXPECT_EQ(scheduler_->run_ready(), 1u);  // the plain call; the task is resumed
  ASSERT_TRUE(task.done());
  EXPECT_EQ(task.result(), 71);
  EXPECT_EQ(weft_call_state(plain), WEFT_CALL_FINISHED);
  weft_call_delete(plain);
  EXPECT_GE(scheduler_->ready_fd(), 0);
}

}  // namespace
}  // namespace weftcpp_test
