// Test helpers for stack switching: WAT modules run end to end (parse, decode,
// validate, instantiate) in a store whose continuation stacks can be counted.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "binary/decoder.h"
#include "interp_builder.h"
#include "text/script.h"
#include "validate/validator.h"

namespace weft::testing {

struct StackWat {
  Harness h;
  explicit StackWat(EngineConfig config = {}) : h(config) {}

  Result<Instance*> load(const char* wat, const std::vector<Extern>& imports = {}) {
    WEFT_TRY(std::vector<uint8_t> bytes, parse_wat(wat));
    WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
    WEFT_CHECK(validate_module(h.types(), *m));
    WEFT_TRY(h.inst, instantiate(h.store, std::shared_ptr<const Module>(std::move(m)), imports));
    return h.inst;
  }
  void load_or_die(const char* wat, const std::vector<Extern>& imports = {}) {
    auto r = load(wat, imports);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }
  // Continuation stacks in use: running, parked or suspended.
  uint32_t stacks_in_use() { return h.store.stack_pool().in_use(); }
  size_t stacks_made() { return h.store.stack_pool().total(); }
};

}  // namespace weft::testing
