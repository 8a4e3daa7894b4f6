// weft.h's linker: definitions by name, instances under a module name, link
// errors, traps in start functions, finalizers, and WASI preview 1 through it.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "api_test_util.h"
#include "weft.h"

namespace weft::api_test {
namespace {

std::string error_text(weft_error_t* error) {
  if (!error) return "";
  std::string s = weft_error_message(error);
  weft_error_delete(error);
  return s;
}

// A host function (i32, i32) -> i32 that adds and adds *env.
wasm_trap_t* add_with_env(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0] = WASM_I32_VAL(args->data[0].of.i32 + args->data[1].of.i32 + *static_cast<int32_t*>(env));
  return nullptr;
}

wasm_trap_t* nop(void*, const wasm_val_vec_t*, wasm_val_vec_t*) { return nullptr; }

wasm_functype_t* functype_i32_i32_to_i32() {
  return wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
}

class ApiLinker : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    linker_ = weft_linker_new(store_);
  }
  void TearDown() override {
    weft_linker_delete(linker_);
    ApiTest::TearDown();
  }

  // Instantiates through the linker; the error's message, "" on success.
  std::string link(std::string_view text, wasm_instance_t** instance = nullptr) {
    wasm_module_t* module = compile(text);
    if (!module) return "no module";
    wasm_instance_t* inst = nullptr;
    wasm_trap_t* trap = nullptr;
    std::string message = error_text(weft_linker_instantiate(linker_, module, &inst, &trap));
    wasm_module_delete(module);
    if (trap) {
      message = "trap: " + message_of(trap);
      wasm_trap_delete(trap);
    }
    if (instance) *instance = inst;
    else if (inst) wasm_instance_delete(inst);
    return message;
  }

  // Calls export `name` (no arguments, one i32 result) of `instance`.
  int32_t call_i32(wasm_instance_t* instance, const wasm_module_t* module, const std::string& name) {
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_exporttype_vec_t types;
    wasm_module_exports(module, &types);
    int32_t out = -12345;
    for (size_t i = 0; i < types.size; ++i) {
      if (name_of(wasm_exporttype_name(types.data[i])) != name) continue;
      wasm_val_t result = WASM_INIT_VAL;
      wasm_val_vec_t args = WASM_EMPTY_VEC, results = {1, &result};
      wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[i]), &args, &results);
      EXPECT_EQ(trap, nullptr) << (trap ? message_of(trap) : "");
      if (trap) wasm_trap_delete(trap);
      else out = result.of.i32;
    }
    wasm_exporttype_vec_delete(&types);
    wasm_extern_vec_delete(&exports);
    return out;
  }

  weft_linker_t* linker_ = nullptr;
};

// ---- definitions ---------------------------------------------------------------

TEST_F(ApiLinker, DefinesFuncsGlobalsAndMemoriesByName) {
  static int32_t extra = 100;
  wasm_functype_t* ft = functype_i32_i32_to_i32();
  ASSERT_EQ(error_text(weft_linker_define_func(linker_, "env", "add", ft, add_with_env, &extra, nullptr)), "");
  wasm_functype_delete(ft);

  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t seven = WASM_I32_VAL(7);
  wasm_global_t* global = wasm_global_new(store_, gt, &seven);
  wasm_globaltype_delete(gt);
  ASSERT_EQ(error_text(weft_linker_define(linker_, "env", "g", wasm_global_as_extern(global))), "");
  wasm_global_delete(global);  // the linker keeps no handle

  wasm_limits_t limits = {1, 2};
  wasm_memorytype_t* mt = wasm_memorytype_new(&limits);
  wasm_memory_t* memory = wasm_memory_new(store_, mt);
  wasm_memorytype_delete(mt);
  wasm_memory_data(memory)[8] = 5;
  ASSERT_EQ(error_text(weft_linker_define(linker_, "env", "mem", wasm_memory_as_extern(memory))), "");
  wasm_memory_delete(memory);

  wasm_module_t* module = compile(R"(
    (module
      (import "env" "add" (func $add (param i32 i32) (result i32)))
      (import "env" "g" (global $g i32))
      (import "env" "mem" (memory 1))
      (func (export "run") (result i32)
        (call $add (global.get $g) (i32.load8_u (i32.const 8)))))
  )");
  ASSERT_NE(module, nullptr);
  wasm_instance_t* instance = nullptr;
  wasm_trap_t* trap = nullptr;
  ASSERT_EQ(error_text(weft_linker_instantiate(linker_, module, &instance, &trap)), "");
  EXPECT_EQ(trap, nullptr);
  ASSERT_NE(instance, nullptr);
  EXPECT_EQ(call_i32(instance, module, "run"), 7 + 5 + 100);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
}

TEST_F(ApiLinker, DefinesAnInstancesExportsUnderAModuleName) {
  wasm_instance_t* a = nullptr;
  ASSERT_EQ(link(R"(
    (module
      (memory (export "memory") 1)
      (data (i32.const 0) "\2a")
      (global (export "base") i32 (i32.const 1000))
      (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
  )",
                 &a),
            "");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(error_text(weft_linker_define_instance(linker_, "a", a)), "");
  wasm_instance_delete(a);

  wasm_module_t* module = compile(R"(
    (module
      (import "a" "twice" (func $twice (param i32) (result i32)))
      (import "a" "base" (global $base i32))
      (import "a" "memory" (memory 1))
      (func (export "run") (result i32)
        (i32.add (global.get $base) (call $twice (i32.load8_u (i32.const 0))))))
  )");
  ASSERT_NE(module, nullptr);
  wasm_instance_t* b = nullptr;
  ASSERT_EQ(error_text(weft_linker_instantiate(linker_, module, &b, nullptr)), "");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(call_i32(b, module, "run"), 1000 + 84);
  wasm_instance_delete(b);
  wasm_module_delete(module);
}

TEST_F(ApiLinker, DuplicateDefinitionsAreErrors) {
  wasm_functype_t* ft = wasm_functype_new_0_0();
  ASSERT_EQ(error_text(weft_linker_define_func(linker_, "env", "f", ft, nop, nullptr, nullptr)), "");
  EXPECT_EQ(error_text(weft_linker_define_func(linker_, "env", "f", ft, nop, nullptr, nullptr)),
            "duplicate definition of env.f");
  // Same name, other module: fine.
  EXPECT_EQ(error_text(weft_linker_define_func(linker_, "other", "f", ft, nop, nullptr, nullptr)), "");
  wasm_func_t* func = wasm_func_new_with_env(store_, ft, nop, nullptr, nullptr);
  EXPECT_EQ(error_text(weft_linker_define(linker_, "env", "f", wasm_func_as_extern(func))),
            "duplicate definition of env.f");
  wasm_func_delete(func);
  wasm_functype_delete(ft);

  wasm_instance_t* inst = nullptr;
  ASSERT_EQ(link(R"((module (func (export "g")) (func (export "f"))))", &inst), "");
  EXPECT_EQ(error_text(weft_linker_define_instance(linker_, "env", inst)), "duplicate definition of env.f");
  // Nothing of the instance was defined: env.g is still free.
  EXPECT_EQ(link(R"((module (import "env" "g" (func))))"), "unknown import env.g");
  wasm_instance_delete(inst);
}

TEST_F(ApiLinker, MisuseIsAnErrorNotACrash) {
  EXPECT_NE(error_text(weft_linker_define(linker_, "env", "x", nullptr)), "");
  EXPECT_NE(error_text(weft_linker_define(nullptr, "env", "x", nullptr)), "");
  EXPECT_NE(error_text(weft_linker_define_instance(linker_, "env", nullptr)), "");
  EXPECT_NE(error_text(weft_linker_instantiate(linker_, nullptr, nullptr, nullptr)), "");
  wasm_instance_t* inst = nullptr;
  EXPECT_EQ(error_text(weft_linker_instantiate(nullptr, nullptr, &inst, nullptr)), "linker is null");
  EXPECT_EQ(inst, nullptr);
  EXPECT_EQ(weft_linker_new(nullptr), nullptr);

  // An extern of another store.
  wasm_store_t* other = wasm_store_new(engine_);
  wasm_functype_t* ft = wasm_functype_new_0_0();
  wasm_func_t* func = wasm_func_new_with_env(other, ft, nop, nullptr, nullptr);
  EXPECT_EQ(error_text(weft_linker_define(linker_, "env", "f", wasm_func_as_extern(func))),
            "env.f belongs to another store");
  wasm_functype_delete(ft);
  wasm_func_delete(func);
  wasm_store_delete(other);

  int code = -1;
  wasm_module_t* module = compile(R"((module (func (export "_start"))))");
  EXPECT_EQ(error_text(weft_linker_run_command(linker_, module, &code, nullptr)), "WASI is not defined in this linker");
  wasm_module_delete(module);
}

// ---- link errors ---------------------------------------------------------------

TEST_F(ApiLinker, LinkErrorsNameTheImportAndTheMismatch) {
  wasm_functype_t* ft = wasm_functype_new_1_0(wasm_valtype_new_i64());
  ASSERT_EQ(error_text(weft_linker_define_func(linker_, "env", "log", ft, nop, nullptr, nullptr)), "");
  wasm_functype_delete(ft);

  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t zero = WASM_I32_VAL(0);
  wasm_global_t* global = wasm_global_new(store_, gt, &zero);
  wasm_globaltype_delete(gt);
  ASSERT_EQ(error_text(weft_linker_define(linker_, "env", "g", wasm_global_as_extern(global))), "");
  wasm_global_delete(global);

  wasm_limits_t one = {1, 1};
  wasm_memorytype_t* mt = wasm_memorytype_new(&one);
  wasm_memory_t* memory = wasm_memory_new(store_, mt);
  wasm_memorytype_delete(mt);
  ASSERT_EQ(error_text(weft_linker_define(linker_, "env", "mem", wasm_memory_as_extern(memory))), "");
  wasm_memory_delete(memory);

  wasm_tabletype_t* tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &one);
  wasm_table_t* table = wasm_table_new(store_, tt, nullptr);
  wasm_tabletype_delete(tt);
  ASSERT_EQ(error_text(weft_linker_define(linker_, "env", "tab", wasm_table_as_extern(table))), "");
  wasm_table_delete(table);

  EXPECT_EQ(link(R"((module (import "env" "nope" (func))))"), "unknown import env.nope");
  EXPECT_EQ(link(R"((module (import "other" "log" (func (param i64)))))"), "unknown import other.log");
  EXPECT_EQ(link(R"((module (import "env" "log" (func (param i32)))))"),
            "import env.log: expected func (i32) -> (), got func (i64) -> ()");
  EXPECT_EQ(link(R"((module (import "env" "log" (func (param i64) (result f32)))))"),
            "import env.log: expected func (i64) -> (f32), got func (i64) -> ()");
  EXPECT_EQ(link(R"((module (import "env" "g" (memory 1))))"), "import env.g: expected memory, got global");
  EXPECT_EQ(link(R"((module (import "env" "mem" (func))))"), "import env.mem: expected func, got memory");
  EXPECT_EQ(link(R"((module (import "env" "g" (global (mut i32)))))"),
            "import env.g: expected global var i32, got global const i32");
  EXPECT_EQ(link(R"((module (import "env" "g" (global i64))))"),
            "import env.g: expected global const i64, got global const i32");
  EXPECT_EQ(link(R"((module (import "env" "mem" (memory 2))))"),
            "import env.mem: expected memory min 2, got memory min 1 max 1");
  EXPECT_EQ(link(R"((module (import "env" "mem" (memory 0 0))))"),
            "import env.mem: expected memory min 0 max 0, got memory min 1 max 1");
  EXPECT_EQ(link(R"((module (import "env" "tab" (table 2 funcref))))"),
            "import env.tab: expected table min 2 funcref, got table min 1 max 1 funcref");
  EXPECT_EQ(link(R"((module (import "env" "tab" (table 1 externref))))"),
            "import env.tab: expected table min 1 externref, got table min 1 max 1 funcref");

  // The ones that match.
  EXPECT_EQ(link(R"((module (import "env" "log" (func (param i64))) (import "env" "g" (global i32))
                     (import "env" "mem" (memory 1 2)) (import "env" "tab" (table 0 funcref))))"),
            "");
}

TEST_F(ApiLinker, ATrapInTheStartFunctionComesBackAsATrap) {
  wasm_module_t* module = compile(R"(
    (module (func $start (unreachable)) (start $start))
  )");
  ASSERT_NE(module, nullptr);
  wasm_instance_t* instance = nullptr;
  wasm_trap_t* trap = nullptr;
  EXPECT_EQ(error_text(weft_linker_instantiate(linker_, module, &instance, &trap)), "");
  EXPECT_EQ(instance, nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap).find("unreachable"), std::string::npos) << message_of(trap);
  wasm_trap_delete(trap);
  wasm_module_delete(module);
}

// ---- finalizers and lifetimes ------------------------------------------------------------

TEST_F(ApiLinker, HostFunctionFinalizersRunAtStoreDeletion) {
  static int finalized = 0;
  finalized = 0;
  auto finalizer = [](void* env) { finalized += *static_cast<int*>(env); };
  static int one = 1, ten = 10;
  wasm_functype_t* ft = wasm_functype_new_0_0();
  ASSERT_EQ(error_text(weft_linker_define_func(linker_, "env", "f", ft, nop, &one, finalizer)), "");
  // A failed definition still hands its env to the store.
  EXPECT_NE(error_text(weft_linker_define_func(linker_, "env", "f", ft, nop, &ten, finalizer)), "");
  wasm_functype_delete(ft);
  weft_linker_delete(linker_);
  linker_ = nullptr;
  EXPECT_EQ(finalized, 0);
  delete_store();
  EXPECT_EQ(finalized, 11);
}

TEST_F(ApiLinker, TheLinkerMayOutliveItsStore) {
  wasm_functype_t* ft = wasm_functype_new_0_0();
  ASSERT_EQ(error_text(weft_linker_define_func(linker_, "env", "f", ft, nop, nullptr, nullptr)), "");
  wasm_functype_delete(ft);
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, weft_wasi_config_new())), "");
  delete_store();
  weft_linker_delete(linker_);
  linker_ = nullptr;
}

// ---- WASI ------------------------------------------------------------------------------

class ApiLinkerWasi : public ApiLinker {
 protected:
  void SetUp() override {
    ApiLinker::SetUp();
    ASSERT_EQ(::pipe(pipe_), 0);
  }
  void TearDown() override {
    ::close(pipe_[0]);
    ::close(pipe_[1]);
    ApiLinker::TearDown();
  }
  // What the guest wrote to stdout so far (the pipe stays open in the context).
  std::string read_stdout() {
    ::fcntl(pipe_[0], F_SETFL, O_NONBLOCK);
    char buf[256];
    ssize_t n = ::read(pipe_[0], buf, sizeof buf);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
  }
  // A config with stdout on the pipe.
  weft_wasi_config_t* config() {
    weft_wasi_config_t* c = weft_wasi_config_new();
    EXPECT_EQ(error_text(weft_wasi_config_set_stdio(c, 0, pipe_[1], 2)), "");
    return c;
  }
  // Runs a command; its exit code (-1 and a failure on an error or trap).
  int run(std::string_view text) {
    wasm_module_t* module = compile(text);
    if (!module) return -1;
    int code = -1;
    wasm_trap_t* trap = nullptr;
    std::string error = error_text(weft_linker_run_command(linker_, module, &code, &trap));
    EXPECT_EQ(error, "");
    EXPECT_EQ(trap, nullptr) << (trap ? message_of(trap) : "");
    if (trap) {
      wasm_trap_delete(trap);
      code = -1;
    }
    wasm_module_delete(module);
    return code;
  }
  int pipe_[2] = {-1, -1};
};

constexpr const char* kHello = R"(
  (module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hello")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 5))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
)";

TEST_F(ApiLinkerWasi, FdWriteGoesToTheStdoutGiven) {
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, config())), "");
  EXPECT_EQ(run(kHello), 0);
  EXPECT_EQ(read_stdout(), "hello");
  // A second command in the same store uses the same context.
  EXPECT_EQ(run(kHello), 0);
  EXPECT_EQ(read_stdout(), "hello");
}

TEST_F(ApiLinkerWasi, ProcExitCodeComesBackFromRunCommand) {
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, config())), "");
  EXPECT_EQ(run(R"(
    (module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 7)) (unreachable)))
  )"),
            7);
  // From the older module name too.
  EXPECT_EQ(run(R"(
    (module
      (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 3))))
  )"),
            3);
}

TEST_F(ApiLinkerWasi, TrapsAndMissingStartAreReported) {
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, config())), "");
  wasm_module_t* module = compile(R"((module (memory (export "memory") 1) (func (export "_start") (unreachable))))");
  int code = -1;
  wasm_trap_t* trap = nullptr;
  EXPECT_EQ(error_text(weft_linker_run_command(linker_, module, &code, &trap)), "");
  EXPECT_EQ(code, -1);
  ASSERT_NE(trap, nullptr);
  EXPECT_NE(message_of(trap).find("unreachable"), std::string::npos);
  wasm_trap_delete(trap);
  wasm_module_delete(module);

  module = compile(R"((module (memory (export "memory") 1)))");
  EXPECT_EQ(error_text(weft_linker_run_command(linker_, module, &code, &trap)),
            "not a WASI command: no exported function \"_start\"");
  EXPECT_EQ(trap, nullptr);
  wasm_module_delete(module);

  EXPECT_EQ(link(R"((module (import "wasi_snapshot_preview1" "no_such_call" (func))))"),
            "unknown import wasi_snapshot_preview1.no_such_call (not a WASI preview 1 function)");
  EXPECT_EQ(link(R"((module (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))))"),
            "import wasi_snapshot_preview1.fd_write: expected func (i32) -> (), got func (i32, i32, i32, i32) -> (i32)");
  EXPECT_EQ(error_text(weft_linker_define_wasi(linker_, weft_wasi_config_new())),
            "WASI is defined already in this linker");
}

TEST_F(ApiLinkerWasi, ArgsAndEnvironmentAreVisible) {
  weft_wasi_config_t* c = config();
  const char* argv[] = {"prog", "x", "yz"};
  weft_wasi_config_set_args(c, 3, argv);
  const char* env[] = {"A=1", "HOME=/nowhere"};
  weft_wasi_config_set_env(c, 2, env);
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, c)), "");
  wasm_module_t* module = compile(R"(
    (module
      (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
      (memory (export "memory") 1)
      ;; argc at 0, argv buffer size at 4, argv at 100, strings at 200;
      ;; envc at 8, env buffer size at 12, environ at 300, strings at 400.
      (func (export "run") (result i32)
        (i32.or
          (i32.or (call $args_sizes (i32.const 0) (i32.const 4)) (call $args_get (i32.const 100) (i32.const 200)))
          (i32.or (call $env_sizes (i32.const 8) (i32.const 12)) (call $env_get (i32.const 300) (i32.const 400)))))
      (func (export "argc") (result i32) (i32.load (i32.const 0)))
      (func (export "envc") (result i32) (i32.load (i32.const 8)))
      (func (export "argv2") (result i32) (i32.load (i32.const 108))))
  )");
  ASSERT_NE(module, nullptr);
  wasm_instance_t* instance = nullptr;
  ASSERT_EQ(error_text(weft_linker_instantiate(linker_, module, &instance, nullptr)), "");
  ASSERT_NE(instance, nullptr);
  EXPECT_EQ(call_i32(instance, module, "run"), 0);  // errno success
  EXPECT_EQ(call_i32(instance, module, "argc"), 3);
  EXPECT_EQ(call_i32(instance, module, "envc"), 2);
  EXPECT_EQ(call_i32(instance, module, "argv2"), 200 + 5 + 2);  // after "prog\0x\0"

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const char* data = wasm_memory_data(wasm_extern_as_memory(exports.data[0]));
  EXPECT_EQ(std::string(data + 200, 10), std::string("prog\0x\0yz\0", 10));
  EXPECT_EQ(std::string(data + 400, 18), std::string("A=1\0HOME=/nowhere\0", 18));
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
}

TEST_F(ApiLinkerWasi, InheritEnvGivesThisProcesssEnvironment) {
  ::setenv("WEFT_LINKER_TEST", "on", 1);
  weft_wasi_config_t* c = config();
  weft_wasi_config_inherit_env(c);
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, c)), "");
  // Writes the environment strings (NUL-separated) to stdout.
  EXPECT_EQ(run(R"(
    (module
      (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 4)
      (func (export "_start")
        (drop (call $env_sizes (i32.const 0) (i32.const 4)))
        (drop (call $env_get (i32.const 1024) (i32.const 65536)))
        (i32.store (i32.const 16) (i32.const 65536))
        (i32.store (i32.const 20) (i32.load (i32.const 4)))
        (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
  )"),
            0);
  std::string out;
  for (std::string part; !(part = read_stdout()).empty();) out += part;
  EXPECT_NE(out.find(std::string("WEFT_LINKER_TEST=on\0", 20)), std::string::npos);
  ::unsetenv("WEFT_LINKER_TEST");
}

TEST_F(ApiLinkerWasi, PreopenedDirectoriesCanBeRead) {
  namespace fs = std::filesystem;
  char templ[] = "/tmp/weft-linker-XXXXXX";
  ASSERT_NE(::mkdtemp(templ), nullptr);
  const fs::path dir = templ;
  std::ofstream(dir / "data.txt") << "data!";
  weft_wasi_config_t* c = config();
  weft_wasi_config_preopen_dir(c, dir.c_str(), "/data");
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, c)), "");
  // Opens data.txt in fd 3 (the preopen), reads it, and writes it to stdout;
  // exits with path_open's errno (0 on success).
  EXPECT_EQ(run(R"(
    (module
      (import "wasi_snapshot_preview1" "path_open"
        (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "data.txt")
      (func (export "_start") (local $errno i32)
        (local.set $errno
          (call $path_open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 8) (i32.const 0)
                           (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 32)))
        (if (local.get $errno) (then (call $exit (local.get $errno))))
        (i32.store (i32.const 48) (i32.const 64))
        (i32.store (i32.const 52) (i32.const 100))
        (drop (call $fd_read (i32.load (i32.const 32)) (i32.const 48) (i32.const 1) (i32.const 56)))
        (i32.store (i32.const 52) (i32.load (i32.const 56)))
        (drop (call $fd_write (i32.const 1) (i32.const 48) (i32.const 1) (i32.const 60)))))
  )"),
            0);
  EXPECT_EQ(read_stdout(), "data!");
  fs::remove_all(dir);
}

TEST_F(ApiLinkerWasi, AMissingPreopenIsAnError) {
  weft_wasi_config_t* c = config();
  weft_wasi_config_preopen_dir(c, "/nonexistent/weft-linker", "/x");
  EXPECT_NE(error_text(weft_linker_define_wasi(linker_, c)), "");
  weft_wasi_config_t* bad = weft_wasi_config_new();
  EXPECT_EQ(error_text(weft_wasi_config_set_stdio(bad, -1, 1, 2)), "a stdio descriptor is negative");
  weft_wasi_config_delete(bad);
}

TEST_F(ApiLinkerWasi, ExplicitDefinitionsTakePrecedenceOverWasi) {
  static int32_t calls = 0;
  calls = 0;
  auto exit_hook = [](void*, const wasm_val_vec_t* args, wasm_val_vec_t*) -> wasm_trap_t* {
    calls += args->data[0].of.i32;
    return nullptr;
  };
  wasm_functype_t* ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
  ASSERT_EQ(error_text(weft_linker_define_func(linker_, "wasi_snapshot_preview1", "proc_exit", ft, exit_hook,
                                               nullptr, nullptr)),
            "");
  wasm_functype_delete(ft);
  ASSERT_EQ(error_text(weft_linker_define_wasi(linker_, config())), "");
  EXPECT_EQ(run(R"(
    (module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 9))))
  )"),
            0);
  EXPECT_EQ(calls, 9);
}

}  // namespace
}  // namespace weft::api_test
