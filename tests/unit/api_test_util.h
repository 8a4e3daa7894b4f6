// Helpers for the C API tests (tests/unit/api_*_test.cc): modules from text,
// and a fixture with an engine and a store, deleted at the end of each test
// (so that the sanitizer build checks what the store frees).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "text/script.h"
#include "wasm.h"

namespace weft::api_test {

// The binary of a text module (the test fails if it does not parse).
inline wasm_byte_vec_t wat_binary(std::string_view text) {
  auto bytes = parse_wat(text);
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().to_string());
  wasm_byte_vec_t vec;
  if (!bytes.ok()) {
    wasm_byte_vec_new_empty(&vec);
    return vec;
  }
  wasm_byte_vec_new(&vec, bytes->size(), reinterpret_cast<const byte_t*>(bytes->data()));
  return vec;
}

inline std::string message_of(const wasm_trap_t* trap) {
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  std::string s(message.data, message.size ? message.size - 1 : 0);
  wasm_byte_vec_delete(&message);
  return s;
}

inline std::string name_of(const wasm_name_t* name) { return std::string(name->data, name->size); }

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

  // A module compiled from text (nullptr, and a failure, if it does not compile).
  wasm_module_t* compile(std::string_view text) {
    wasm_byte_vec_t binary = wat_binary(text);
    wasm_module_t* module = wasm_module_new(store_, &binary);
    wasm_byte_vec_delete(&binary);
    EXPECT_NE(module, nullptr);
    return module;
  }

  // Instantiates `text` with `imports`; fills `exports` (owned by the caller).
  wasm_instance_t* instantiate(std::string_view text, const wasm_extern_vec_t* imports, wasm_extern_vec_t* exports) {
    wasm_module_t* module = compile(text);
    if (!module) return nullptr;
    wasm_trap_t* trap = nullptr;
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_instance_t* instance = wasm_instance_new(store_, module, imports ? imports : &none, &trap);
    EXPECT_EQ(trap, nullptr) << (trap ? message_of(trap) : "");
    if (trap) wasm_trap_delete(trap);
    wasm_module_delete(module);
    if (instance && exports) wasm_instance_exports(instance, exports);
    return instance;
  }

  // Deletes the store now (for tests of what happens then).
  void delete_store() {
    wasm_store_delete(store_);
    store_ = nullptr;
  }

  wasm_engine_t* engine_ = nullptr;
  wasm_store_t* store_ = nullptr;
};

}  // namespace weft::api_test
