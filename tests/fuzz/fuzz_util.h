// Shared by the libFuzzer targets: the invariants every error must satisfy
// (a violated invariant aborts, which libFuzzer reports as a finding), and
// the sandbox in which fuzz_run and fuzz_diff run modules: small resource
// limits and stub imports.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "binary/decoder.h"
#include "runtime/store.h"
#include "runtime/value.h"
#include "spec/module.h"
#include "spec/types.h"
#include "validate/validator.h"

namespace weft::fuzz {

[[noreturn]] inline void fail(const Error& e, const char* why) {
  std::fprintf(stderr, "fuzz invariant violated: %s: %s\n", why, e.to_string().c_str());
  std::abort();
}

// Errors from decoding or validating `size` bytes: located at a byte offset
// within (or just past the end of) the input.
inline void check_binary_error(const Error& e, size_t size) {
  if (e.kind != ErrorKind::malformed && e.kind != ErrorKind::invalid) fail(e, "unexpected error kind");
  if (e.location.kind != Location::Kind::byte_offset) fail(e, "error without a byte offset");
  if (e.location.offset > size) fail(e, "error located past the end of the input");
  if (e.message.empty()) fail(e, "error without a message");
}

// Errors from parsing text: malformed, at a line:column.
inline void check_text_error(const Error& e) {
  if (e.kind != ErrorKind::malformed) fail(e, "unexpected error kind");
  if (e.location.kind != Location::Kind::line_col || e.location.line == 0 || e.location.column == 0) {
    fail(e, "error without a line:column");
  }
  if (e.message.empty()) fail(e, "error without a message");
}

// ---- running modules (fuzz_run, fuzz_diff) -------------------------------------

// Errors from instantiating or running a valid module whose imports all link:
// a trap, exhaustion (a resource limit), or an exception or suspension that
// reached the host; never a link error, never an empty message.
inline void check_run_error(const Error& e) {
  if (e.kind != ErrorKind::trap && e.kind != ErrorKind::exhaustion && e.kind != ErrorKind::exception &&
      e.kind != ErrorKind::suspension) {
    fail(e, "unexpected error kind from instantiate or invoke");
  }
  if (e.message.empty()) fail(e, "error without a message");
}

// Limits small enough that one input stays well inside libFuzzer's budget
// (tests/fuzz/run: 10 s per input, 2 GiB of memory).
inline EngineConfig sandbox_config() {
  EngineConfig c;
  c.max_memory_pages = 256;  // 16 MiB per memory
  c.max_table_elements = 10000;
  c.max_instances = 4;
  c.max_stack_bytes = 1ull << 20;
  c.max_total_stack_bytes = 16ull << 20;
  c.max_cont_stacks = 4096;
  c.fuel = 1000000;
  c.timeout_ms = 2000;
  return c;
}

// Modules with more memories are skipped: each may grow to max_memory_pages.
inline constexpr size_t kMaxMemories = 8;
// Exports are called while the input has used less than this much time.
inline constexpr double kCallBudgetSeconds = 4;

class Stopwatch {
 public:
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_ = Clock::now();
};

// Stub imports: functions that return zeros, and tables, memories, globals
// and tags of exactly the imported types, all made in one store.
class Stubs {
 public:
  explicit Stubs(Store& store) : store_(store) {}

  // A value of canonical type `t`: zero, null, or for a non-nullable
  // reference a stub function (concrete function types) or a host reference
  // (extern). nullopt for types no stub can inhabit (v128, other non-null
  // references).
  std::optional<uint64_t> value_of(ValType t) {
    if (t.is_num()) return 0;
    if (!t.is_ref()) return std::nullopt;
    if (t.nullable) return kNullRef;
    if (t.heap.is_index()) {
      if (store_.engine().types().get(t.heap.idx()).comp.kind != CompKind::func) return std::nullopt;
      return reinterpret_cast<Ref>(function_of(t.heap.idx()));
    }
    if (t.heap.abs() == AbsHeap::extern_) return make_host_ref(0);
    return std::nullopt;
  }

  // The stub of canonical function type `type_id` (one per type). It returns
  // value_of() each result, or traps if a result type has no such value.
  Function* function_of(uint32_t type_id) {
    if (auto it = funcs_.find(type_id); it != funcs_.end()) return it->second;
    auto results = std::make_shared<std::optional<std::vector<uint64_t>>>();
    Function* f = store_.new_host_function(
        type_id,
        [results](Store&, uint64_t* slots) -> Status {
          if (!*results) return make_error(ErrorKind::trap, "fuzz stub cannot make its results");
          for (size_t i = 0; i < (*results)->size(); ++i) slots[i] = (**results)[i];
          return Status::Ok();
        },
        "stub");
    funcs_[type_id] = f;
    // After registering f: a result may be a reference to this very type.
    std::vector<uint64_t> values;
    for (const ValType& t : store_.engine().types().func_type(type_id).results) {
      auto v = value_of(t);
      if (!v) return f;
      values.push_back(*v);
    }
    *results = std::move(values);
    return f;
  }

  // Externs for every import of `m` (validated against this store's
  // engine), or nullopt if one cannot be made within the store's limits.
  std::optional<std::vector<Extern>> imports_for(const Module& m) {
    std::vector<Extern> out;
    for (const Import& imp : m.imports) {
      switch (imp.kind) {
        case ExternKind::func:
          out.push_back({imp.kind, function_of(m.type_ids[imp.type_index])});
          break;
        case ExternKind::table: {
          TableType type = imp.table;
          type.elem = canonical(m, type.elem);
          auto init = value_of(type.elem);
          if (!init || type.limits.min > store_.engine().config().max_table_elements) return std::nullopt;
          out.push_back({imp.kind, store_.new_table(type, *init)});
          break;
        }
        case ExternKind::memory: {
          Memory* mem = store_.new_memory(imp.memory);
          if (!mem) return std::nullopt;
          out.push_back({imp.kind, mem});
          break;
        }
        case ExternKind::global: {
          GlobalType type{canonical(m, imp.global.type), imp.global.mutable_};
          auto v = value_of(type.type);
          if (!v) return std::nullopt;
          out.push_back({imp.kind, store_.new_global(type, *v)});
          break;
        }
        case ExternKind::tag:
          out.push_back({imp.kind, store_.new_tag(m.type_ids[imp.type_index])});
          break;
      }
    }
    return out;
  }

  // The stub functions made so far, by canonical type id.
  const std::unordered_map<uint32_t, Function*>& functions() const { return funcs_; }

 private:
  // Module type indices inside a value type -> canonical ids.
  static ValType canonical(const Module& m, ValType t) {
    if (t.is_ref() && t.heap.is_index()) t.heap = HeapType::index(m.type_ids[t.heap.idx()]);
    return t;
  }

  Store& store_;
  std::unordered_map<uint32_t, Function*> funcs_;
};

// One module in a store of its own, with stub imports.
class Sandbox {
 public:
  explicit Sandbox(const EngineConfig& config) : engine_(config) {}
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  Store& store() { return store_; }
  Stubs& stubs() { return stubs_; }
  Instance* instance() const { return instance_; }

  // Decodes and validates `size` bytes; false if they are rejected (the
  // error's invariants checked).
  bool load(const uint8_t* data, size_t size) {
    auto module = decode_module(std::vector<uint8_t>(data, data + size));
    if (!module.ok()) {
      check_binary_error(module.error(), size);
      return false;
    }
    // Fuel and the deadline count at the `check` instructions that this
    // lowers into every function entry and loop.
    Status valid =
        validate_module(engine_.types(), **module, {.interrupt_checks = engine_.needs_interrupt_checks()});
    if (!valid.ok()) {
      check_binary_error(valid.error(), size);
      return false;
    }
    module_ = std::shared_ptr<const Module>(std::move(module.value()));
    return true;
  }

  // Instantiates the loaded module with stub imports. nullopt: skipped (too
  // many memories, or an import no stub can provide).
  std::optional<Result<Instance*>> instantiate() {
    if (module_->num_memories() > kMaxMemories) return std::nullopt;
    auto imports = stubs_.imports_for(*module_);
    if (!imports) return std::nullopt;
    Result<Instance*> r = weft::instantiate(store_, module_, *imports);
    if (r.ok()) instance_ = r.value();
    return r;
  }

  // A call of an exported function with zero-valued arguments; `args` is
  // nullopt if a parameter type has no such value.
  struct Call {
    std::string name;
    Function* func = nullptr;
    std::optional<std::vector<Value>> args;
  };
  // The exported functions of the instance, in export order.
  std::vector<Call> calls() {
    std::vector<Call> out;
    for (const Export& e : module_->exports) {
      if (e.kind != ExternKind::func) continue;
      Call c{e.name, instance_->funcs[e.index], std::vector<Value>{}};
      for (const ValType& t : engine_.types().func_type(c.func->type_id).params) {
        auto v = stubs_.value_of(t);
        if (!v) {
          c.args.reset();
          break;
        }
        c.args->push_back(Value{t, *v});
      }
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  Engine engine_;
  Store store_{engine_};
  Stubs stubs_{store_};
  std::shared_ptr<const Module> module_;
  Instance* instance_ = nullptr;
};

}  // namespace weft::fuzz
