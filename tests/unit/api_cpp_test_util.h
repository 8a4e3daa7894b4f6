// Helpers for the C++ API tests (tests/unit/api_cpp_*_test.cc): modules from
// text, and a fixture with an engine and a store that it deletes after each
// test (so that the sanitizer build checks what the store frees). Handles a
// test makes are locals, gone before the store.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>

#include "text/script.h"
#include "wasm.hh"

namespace weft::api_cpp_test {

// The binary of a text module (the test fails if it does not parse).
inline wasm::vec<byte_t> wat_binary(std::string_view text) {
  auto bytes = parse_wat(text);
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().to_string());
  if (!bytes.ok()) return wasm::vec<byte_t>::make();
  auto binary = wasm::vec<byte_t>::make_uninitialized(bytes->size());
  if (bytes->size()) std::memcpy(binary.get(), bytes->data(), bytes->size());
  return binary;
}

// A trap's message without its terminating NUL.
inline std::string message_of(const wasm::Trap* trap) {
  if (!trap) return "(no trap)";
  auto message = trap->message();
  return std::string(message.get(), message.size() ? message.size() - 1 : 0);
}

inline std::string string_of(const wasm::Name& name) { return std::string(name.get(), name.size()); }

inline wasm::own<wasm::ValType> i32() { return wasm::ValType::make(wasm::ValKind::I32); }

class ApiCppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = wasm::Engine::make();
    store_ = wasm::Store::make(engine_.get());
  }
  void TearDown() override {
    store_.reset();
    engine_.reset();
  }

  wasm::Store* store() { return store_.get(); }

  // A module compiled from text (null, and a failure, if it does not compile).
  wasm::own<wasm::Module> compile(std::string_view text) {
    auto module = wasm::Module::make(store(), wat_binary(text));
    EXPECT_NE(module, nullptr);
    return module;
  }

  // Instantiates `text` with `imports` (null, and a failure, if that traps).
  wasm::own<wasm::Instance> instantiate(std::string_view text,
                                        const wasm::ownvec<wasm::Extern>& imports = wasm::ownvec<wasm::Extern>::make()) {
    auto module = compile(text);
    if (!module) return nullptr;
    wasm::own<wasm::Trap> trap;
    auto instance = wasm::Instance::make(store(), module.get(), imports, &trap);
    EXPECT_EQ(trap, nullptr) << message_of(trap.get());
    EXPECT_NE(instance, nullptr);
    return instance;
  }

  wasm::own<wasm::Engine> engine_;
  wasm::own<wasm::Store> store_;
};

}  // namespace weft::api_cpp_test
