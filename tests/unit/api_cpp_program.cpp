// A C++17 program against include/wasm.h's C++ counterpart, include/wasm.hh
// (compiled with -std=c++17 -pedantic -Wall -Wextra -Werror, and with nothing
// of weft's but the header), written in the style of the standard's C++
// examples: it links a host function with an env and a finalizer, calls an
// export, reads a global and a memory, reflects over the imports and catches
// a trap with its origin. Exit status 0 iff all checks pass; the unit test
// ApiCppProgram.Runs runs it.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "wasm.hh"

namespace {

// (module
//   (import "host" "hello" (func $hello (param i32) (result i32)))
//   (memory (export "memory") 1)
//   (global (export "counter") (mut i32) (i32.const 7))
//   (func (export "run") (param i32) (result i32)
//     (i32.add (call $hello (local.get 0)) (i32.const 1)))
//   (func (export "fail") unreachable))
const byte_t kModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x0e, 0x01, 0x04, 0x68,
    0x6f, 0x73, 0x74, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0x00, 0x03,
    0x03, 0x02, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01,
    0x7f, 0x01, 0x41, 0x07, 0x0b, 0x07, 0x21, 0x04, 0x06, 0x6d, 0x65, 0x6d,
    0x6f, 0x72, 0x79, 0x02, 0x00, 0x07, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x65,
    0x72, 0x03, 0x00, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x04, 0x66, 0x61,
    0x69, 0x6c, 0x00, 0x02, 0x0a, 0x0f, 0x02, 0x09, 0x00, 0x20, 0x00, 0x10,
    0x00, 0x41, 0x01, 0x6a, 0x0b, 0x03, 0x00, 0x00, 0x0b,
};

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << "api_cpp_program: FAILED: " << what << std::endl;
    ++failures;
  }
}

// Every kind, as the standard's examples print values (the switch covers
// each enumerator once; ANYREF is EXTERNREF's other name).
auto describe(const wasm::Val& val) -> std::string {
  switch (val.kind()) {
    case wasm::ValKind::I32: return "i32 " + std::to_string(val.i32());
    case wasm::ValKind::I64: return "i64 " + std::to_string(val.i64());
    case wasm::ValKind::F32: return "f32 " + std::to_string(val.f32());
    case wasm::ValKind::F64: return "f64 " + std::to_string(val.f64());
    case wasm::ValKind::ANYREF:
    case wasm::ValKind::FUNCREF: return val.ref() ? "ref" : "null";
  }
  return "?";
}

struct HostEnv {
  int calls = 0;
  int finalized = 0;
};

// Doubles its argument, counting calls in its env.
auto hello(void* env, const wasm::vec<wasm::Val>& args, wasm::vec<wasm::Val>& results) -> wasm::own<wasm::Trap> {
  static_cast<HostEnv*>(env)->calls++;
  results[0] = wasm::Val::i32(args[0].i32() * 2);
  return nullptr;
}

void finalize_env(void* env) { static_cast<HostEnv*>(env)->finalized++; }

void run(HostEnv& env) {
  auto engine = wasm::Engine::make();
  auto store_ = wasm::Store::make(engine.get());
  auto store = store_.get();

  auto binary = wasm::vec<byte_t>::make_uninitialized(sizeof kModule);
  std::memcpy(binary.get(), kModule, sizeof kModule);
  check(wasm::Module::validate(store, binary), "module validates");
  auto module = wasm::Module::make(store, binary);
  check(module != nullptr, "module compiles");
  if (!module) return;

  auto imports = module->imports();
  check(imports.size() == 1, "one import");
  if (imports.size() == 1) {
    const wasm::Name& name = imports[0]->name();
    check(name.size() == 5 && std::memcmp(name.get(), "hello", 5) == 0, "import name");
    check(imports[0]->type()->kind() == wasm::ExternKind::FUNC, "import kind");
  }

  auto type = wasm::FuncType::make(wasm::ownvec<wasm::ValType>::make(wasm::ValType::make(wasm::ValKind::I32)),
                                   wasm::ownvec<wasm::ValType>::make(wasm::ValType::make(wasm::ValKind::I32)));
  auto host = wasm::Func::make(store, type.get(), hello, &env, finalize_env);
  auto externs = wasm::ownvec<wasm::Extern>::make(std::move(host));
  wasm::own<wasm::Trap> trap;
  auto instance = wasm::Instance::make(store, module.get(), externs, &trap);
  check(instance != nullptr && trap == nullptr, "instantiates");
  if (!instance) return;

  auto exports = instance->exports();
  check(exports.size() == 4, "four exports");
  if (exports.size() != 4) return;
  auto memory = exports[0]->memory();
  check(memory && memory->size() == 1 && memory->data_size() == wasm::Memory::page_size, "memory of one page");
  auto counter = exports[1]->global();
  check(counter && describe(counter->get()) == "i32 7", "global is 7");

  auto run_func = exports[2]->func();
  auto args = wasm::vec<wasm::Val>::make(wasm::Val::i32(41));
  auto results = wasm::vec<wasm::Val>::make_uninitialized(1);
  check(describe(results[0]) == "null", "results start as null references");
  trap = run_func->call(args, results);
  check(trap == nullptr, "run returns");
  check(describe(results[0]) == "i32 83", "run(41) is 83");
  check(env.calls == 1, "host called once");

  auto none = wasm::vec<wasm::Val>::make();
  trap = exports[3]->func()->call(none, none);
  check(trap != nullptr, "fail traps");
  if (trap) {
    auto message = trap->message();
    check(message.size() > 0 && message[message.size() - 1] == '\0', "message is NUL-terminated");
    check(std::strstr(message.get(), "unreachable") != nullptr, "message says unreachable");
    auto origin = trap->origin();
    check(origin && origin->func_index() == 2, "origin is function 2");
    check(origin && origin->instance() != nullptr, "origin has an instance");
  }
  check(env.finalized == 0, "env lives until the store is deleted");
}

}  // namespace

int main() {
  HostEnv env;
  run(env);
  check(env.finalized == 1, "env finalized with the store");
  if (failures == 0) std::printf("api_cpp_program: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
