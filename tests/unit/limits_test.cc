// Resource limits of the embedding (EngineConfig, docs/limits.md): memory
// pages, table elements and instances. Each ends in a clear error or in the
// -1 that memory.grow / table.grow return on failure, never in a crash or in
// an allocation the host did not allow.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "binary/decoder.h"
#include "runtime/store.h"
#include "text/script.h"
#include "validate/validator.h"

namespace weft {
namespace {

// A store with its own engine; modules come from WAT.
struct Limited {
  Engine engine;
  Store store{engine};

  explicit Limited(EngineConfig config = {}) : engine(config) {}

  Result<Instance*> load(const std::string& wat, const std::vector<Extern>& imports = {}) {
    WEFT_TRY(std::vector<uint8_t> bytes, parse_wat(wat));
    WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
    WEFT_CHECK(validate_module(engine.types(), *m));
    return instantiate(store, std::shared_ptr<const Module>(std::move(m)), imports);
  }
  Instance* load_or_die(const std::string& wat) {
    auto r = load(wat);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? r.value() : nullptr;
  }
  // The first result of export `name`, which must return normally.
  uint64_t call(Instance* inst, const std::string& name, std::vector<Value> args = {}) {
    if (!inst) return 0xbad;
    auto f = inst->find_export(name);
    if (!f || f->kind != ExternKind::func) {
      ADD_FAILURE() << "no function export " << name;
      return 0xbad;
    }
    auto r = invoke(store, f->func(), args);
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().to_string();
    if (!r.ok() || r->empty()) return 0xbad;
    return (*r)[0].bits;
  }
};

EngineConfig with_memory_pages(uint64_t pages) {
  EngineConfig c;
  c.max_memory_pages = pages;
  return c;
}

EngineConfig with_table_elements(uint64_t n) {
  EngineConfig c;
  c.max_table_elements = n;
  return c;
}

void expect_exhaustion_naming(const Result<Instance*>& r, const std::string& limit) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exhaustion) << r.error().to_string();
  EXPECT_NE(r.error().message.find(limit), std::string::npos) << r.error().to_string();
}

const char* const kGrowMemory = R"(
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "store_last") (result i32)
    (i32.store8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)) (i32.const 7))
    (i32.load8_u (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)))))";

// ---- memory pages --------------------------------------------------------------

TEST(LimitsMemory, DefaultIsTheFull32BitRange) {
  EngineConfig c;
  EXPECT_EQ(c.max_memory_pages, 65536u);
}

TEST(LimitsMemory, MinimumPastTheCapFailsToInstantiate) {
  Limited l(with_memory_pages(4));
  auto r = l.load("(module (memory 5))");
  expect_exhaustion_naming(r, "max_memory_pages");
  EXPECT_NE(r.error().message.find("5 pages"), std::string::npos) << r.error().message;
  // A declared maximum above the cap is fine: only growth is capped.
  EXPECT_TRUE(l.load("(module (memory 4 100))").ok());
  EXPECT_TRUE(l.load("(module (memory i64 4))").ok());
  expect_exhaustion_naming(l.load("(module (memory i64 5))"), "max_memory_pages");
}

TEST(LimitsMemory, EveryMemoryOfAModuleIsChecked) {
  Limited l(with_memory_pages(4));
  expect_exhaustion_naming(l.load("(module (memory 1) (memory 2) (memory 9))"), "max_memory_pages");
  EXPECT_TRUE(l.load("(module (memory 1) (memory 2) (memory 4))").ok());
}

TEST(LimitsMemory, GrowPastTheCapReturnsMinusOne) {
  Limited l(with_memory_pages(4));
  Instance* inst = l.load_or_die(std::string("(module (memory 1)") + kGrowMemory + ")");
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(3)}), 1u);
  EXPECT_EQ(l.call(inst, "size"), 4u);
  EXPECT_EQ(l.call(inst, "store_last"), 7u);  // the last page is usable
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(1)}), 0xffffffffu);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(0x10000)}), 0xffffffffu);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(0xffffffff)}), 0xffffffffu);
  EXPECT_EQ(l.call(inst, "size"), 4u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(0)}), 4u);
}

TEST(LimitsMemory, DeclaredMaximumBelowTheCapStillApplies) {
  Limited l(with_memory_pages(100));
  Instance* inst = l.load_or_die(std::string("(module (memory 1 2)") + kGrowMemory + ")");
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(2)}), 0xffffffffu);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(1)}), 1u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(1)}), 0xffffffffu);
}

TEST(LimitsMemory, Memory64GrowPastTheCapReturnsMinusOne) {
  Limited l(with_memory_pages(3));
  Instance* inst = l.load_or_die(R"(
    (module (memory i64 1)
      (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))
  )");
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(2)}), 1u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(1)}), ~uint64_t{0});
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(uint64_t(1) << 48)}), ~uint64_t{0});
}

TEST(LimitsMemory, HostMadeMemoriesFollowTheCap) {
  Limited l(with_memory_pages(2));
  MemoryType too_big;
  too_big.limits.min = 3;
  EXPECT_EQ(l.store.new_memory(too_big), nullptr);
  MemoryType small;
  small.limits.min = 1;
  Memory* m = l.store.new_memory(small);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->max_pages, 2u);
  EXPECT_EQ(m->grow(1), 1);
  EXPECT_EQ(m->grow(1), -1);
  EXPECT_EQ(m->pages(), 2u);
}

TEST(LimitsMemory, ImportedMemoryKeepsItsOwnCap) {
  // A memory made by the host in this store, imported by a module: growth
  // from Wasm stops at the memory's cap.
  Limited l(with_memory_pages(3));
  MemoryType t;
  t.limits.min = 1;
  Memory* mem = l.store.new_memory(t);
  ASSERT_NE(mem, nullptr);
  auto r = l.load(R"((module (import "host" "mem" (memory 1))
                      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))",
                  {Extern{ExternKind::memory, mem}});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(l.call(*r, "grow", {Value::i32(2)}), 1u);
  EXPECT_EQ(l.call(*r, "grow", {Value::i32(1)}), 0xffffffffu);
  EXPECT_EQ(mem->pages(), 3u);
}

TEST(LimitsMemory, HugeCapWithoutMaximumStillInstantiates) {
  // memory64 without a maximum and a cap far beyond the address space: the
  // reservation shrinks to what the OS grants; memory.grow works within it.
  Limited l(with_memory_pages(uint64_t(1) << 40));
  Instance* inst = l.load_or_die(R"(
    (module (memory i64 1)
      (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))
  )");
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(1)}), 1u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(uint64_t(1) << 40)}), ~uint64_t{0});
}

// ---- table elements ------------------------------------------------------------

const char* const kGrowTable = R"(
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "size") (result i32) (table.size $t)))";

TEST(LimitsTable, MinimumPastTheCapFailsToInstantiate) {
  Limited l(with_table_elements(100));
  auto r = l.load("(module (table 101 funcref))");
  expect_exhaustion_naming(r, "max_table_elements");
  EXPECT_NE(r.error().message.find("101 elements"), std::string::npos) << r.error().message;
  EXPECT_TRUE(l.load("(module (table 100 funcref))").ok());
  EXPECT_TRUE(l.load("(module (table 0 1000 externref))").ok());
  expect_exhaustion_naming(l.load("(module (table i64 101 funcref))"), "max_table_elements");
}

TEST(LimitsTable, GrowPastTheCapReturnsMinusOne) {
  Limited l(with_table_elements(100));
  Instance* inst = l.load_or_die(std::string("(module (table $t 10 funcref)") + kGrowTable + ")");
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(90)}), 10u);
  EXPECT_EQ(l.call(inst, "size"), 100u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(1)}), 0xffffffffu);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(0xffffffff)}), 0xffffffffu);
  EXPECT_EQ(l.call(inst, "size"), 100u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(0)}), 100u);
}

TEST(LimitsTable, DeclaredMaximumBelowTheCapStillApplies) {
  Limited l(with_table_elements(100));
  Instance* inst = l.load_or_die(std::string("(module (table $t 1 5 funcref)") + kGrowTable + ")");
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(5)}), 0xffffffffu);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(4)}), 1u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i32(1)}), 0xffffffffu);
}

TEST(LimitsTable, Table64GrowPastTheCapReturnsMinusOne) {
  Limited l(with_table_elements(8));
  Instance* inst = l.load_or_die(R"(
    (module (table $t i64 0 externref)
      (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null extern) (local.get 0))))
  )");
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(8)}), 0u);
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(1)}), ~uint64_t{0});
  EXPECT_EQ(l.call(inst, "grow", {Value::i64(uint64_t(1) << 40)}), ~uint64_t{0});
}

TEST(LimitsTable, HostMadeTablesFollowTheCap) {
  Limited l(with_table_elements(3));
  TableType t;
  t.limits.min = 1;
  Table* table = l.store.new_table(t, kNullRef);
  EXPECT_EQ(table->max_elements, 3u);
  auto r = l.load(R"((module (import "host" "t" (table $t 1 funcref))
                      (func (export "grow") (param i32) (result i32)
                        (table.grow $t (ref.null func) (local.get 0)))))",
                  {Extern{ExternKind::table, table}});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(l.call(*r, "grow", {Value::i32(3)}), 0xffffffffu);
  EXPECT_EQ(l.call(*r, "grow", {Value::i32(2)}), 1u);
  EXPECT_EQ(table->elems.size(), 3u);
}

// ---- instances -----------------------------------------------------------------

TEST(LimitsInstances, InstantiatePastTheCapFails) {
  EngineConfig c;
  c.max_instances = 3;
  Limited l(c);
  const char* wat = "(module (func (export \"f\") (result i32) (i32.const 1)))";
  std::vector<Instance*> made;
  for (int i = 0; i < 3; ++i) made.push_back(l.load_or_die(wat));
  auto r = l.load(wat);
  expect_exhaustion_naming(r, "max_instances");
  EXPECT_EQ(l.store.instances_created, 3u);
  expect_exhaustion_naming(l.load(wat), "max_instances");
  // The instances made before the limit still work.
  for (Instance* inst : made) EXPECT_EQ(l.call(inst, "f"), 1u);
}

TEST(LimitsInstances, FailedInstantiationsCount) {
  // An instantiation that traps (here in its start function) leaves its
  // objects in the store, so it counts against the limit.
  EngineConfig c;
  c.max_instances = 2;
  Limited l(c);
  auto trapped = l.load("(module (func $s unreachable) (start $s))");
  ASSERT_FALSE(trapped.ok());
  EXPECT_EQ(trapped.error().kind, ErrorKind::trap);
  Instance* inst = l.load_or_die("(module (func (export \"f\") (result i32) (i32.const 42)))");
  EXPECT_EQ(l.call(inst, "f"), 42u);
  expect_exhaustion_naming(l.load("(module)"), "max_instances");
}

TEST(LimitsInstances, UnlinkableModulesDoNotCount) {
  // Import errors are found before anything is created.
  EngineConfig c;
  c.max_instances = 1;
  Limited l(c);
  auto r = l.load("(module (import \"m\" \"f\" (func)))");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
  EXPECT_EQ(l.store.instances_created, 0u);
  EXPECT_TRUE(l.load("(module)").ok());
}

TEST(LimitsInstances, OverLimitModulesDoNotCount) {
  EngineConfig c;
  c.max_instances = 1;
  c.max_memory_pages = 1;
  Limited l(c);
  expect_exhaustion_naming(l.load("(module (memory 2))"), "max_memory_pages");
  EXPECT_EQ(l.store.instances_created, 0u);
  EXPECT_TRUE(l.load("(module (memory 1))").ok());
}

}  // namespace
}  // namespace weft
