// Memories: loads/stores and their bounds, memory64 address arithmetic,
// grow, bulk operations, multi-memory and data segments.
#include "interp_builder.h"

namespace weft::testing {
namespace {

const ValType I32 = ValType::i32();
const ValType I64 = ValType::i64();

// Exports: load32(addr) / store32(addr, v) / load8_s(addr) / size() /
// grow(n) / fill(d, v, n) / copy(d, s, n) / init(d, s, n) / drop() on a
// memory of `pages` pages (max `max`), plus load_off(addr) with a large
// static offset.
struct MemFixture {
  Harness h;
  explicit MemFixture(uint64_t pages, std::optional<uint64_t> max = std::nullopt, bool is64 = false) {
    ModuleBuilder b(h.types());
    ValType A = is64 ? I64 : I32;
    b.memory(pages, max, is64);
    uint32_t seg = b.passive_data("hello");
    if (pages > 0) b.active_data(0, is64 ? b.const_i64(16) : b.const_i32(16), "\x01\x02\x03\x04");
    Code load;
    load.load(Op::i32_load, 1, 0).ret(1);
    b.func(b.type({A}, {I32}), 1, 2, load, "load32");
    Code load_off;
    load_off.load(Op::i32_load, 1, 0, 0, 0xfffffffcull).ret(1);
    b.func(b.type({A}, {I32}), 1, 2, load_off, "load_off");
    Code load8;
    load8.load(Op::i32_load8_s, 1, 0).ret(1);
    b.func(b.type({A}, {I32}), 1, 2, load8, "load8_s");
    Code load64;
    load64.load(Op::i64_load32_s, 1, 0).ret(1);
    b.func(b.type({A}, {I64}), 1, 2, load64, "load32_s64");
    Code store;
    store.store(Op::i32_store, 0, 1).ret(0);
    b.func(b.type({A, I32}, {}), 2, 2, store, "store32");
    Code store16;
    store16.store(Op::i64_store16, 0, 1).ret(0);
    b.func(b.type({A, I64}, {}), 2, 2, store16, "store16");
    Code size;
    size.op(Op::memory_size, {0, 0}).ret(0);
    b.func(b.type({}, {A}), 0, 1, size, "size");
    Code grow;
    grow.op(Op::memory_grow, {1, 0, 0}).ret(1);
    b.func(b.type({A}, {A}), 1, 2, grow, "grow");
    Code fill;
    fill.op(Op::memory_fill, {0, 0, 1, 2}).ret(0);
    b.func(b.type({A, I32, A}, {}), 3, 3, fill, "fill");
    Code copy;
    copy.op(Op::memory_copy, {0, 0, 0, 1, 2}).ret(0);
    b.func(b.type({A, A, A}, {}), 3, 3, copy, "copy");
    Code init;
    init.op(Op::memory_init, {0, seg, 0, 1, 2}).ret(0);
    b.func(b.type({A, I32, I32}, {}), 3, 3, init, "init");
    Code drop;
    drop.op(Op::data_drop, {seg}).ret(0);
    b.func(b.type({}, {}), 0, 0, drop, "drop");
    h.instantiate_or_die(b);
  }
  std::string trap(const std::string& name, std::vector<Value> args) {
    auto r = h.call(name, std::move(args));
    if (r.ok()) return "(no trap)";
    return r.error().message;
  }
};

constexpr const char* kOob = "out of bounds memory access";

TEST(RuntimeMemory, LoadStoreAndBounds) {
  MemFixture f(1);
  EXPECT_EQ(f.h.bits("load32", {Value::i32(16)}), 0x04030201u);
  EXPECT_TRUE(f.h.call("store32", {Value::i32(65532), Value::i32(0xdeadbeef)}).ok());
  EXPECT_EQ(f.h.bits("load32", {Value::i32(65532)}), 0xdeadbeefu);
  EXPECT_EQ(f.h.bits("load8_s", {Value::i32(65535)}), 0xffffffdeu);
  EXPECT_EQ(f.h.bits("load32_s64", {Value::i32(65532)}), 0xffffffffdeadbeefull);
  EXPECT_EQ(f.trap("load32", {Value::i32(65533)}), kOob);
  EXPECT_EQ(f.trap("store32", {Value::i32(65533), Value::i32(0)}), kOob);
  EXPECT_EQ(f.trap("load32", {Value::i32(0xffffffff)}), kOob);
  EXPECT_EQ(f.trap("load8_s", {Value::i32(65536)}), kOob);
  // addr + offset beyond 4 GiB is out of bounds, not wrapped.
  EXPECT_EQ(f.trap("load_off", {Value::i32(4)}), kOob);
  EXPECT_TRUE(f.h.call("store16", {Value::i32(0), Value::i64(0x12345678)}).ok());
  EXPECT_EQ(f.h.bits("load32", {Value::i32(0)}), 0x5678u);
}

TEST(RuntimeMemory, GrowAndSize) {
  MemFixture f(1, 3);
  EXPECT_EQ(f.h.bits("size"), 1u);
  EXPECT_EQ(f.h.bits("grow", {Value::i32(0)}), 1u);
  EXPECT_EQ(f.h.bits("grow", {Value::i32(1)}), 1u);
  EXPECT_EQ(f.h.bits("size"), 2u);
  // New pages are zeroed and accessible.
  EXPECT_EQ(f.h.bits("load32", {Value::i32(2 * 65536 - 4)}), 0u);
  EXPECT_EQ(f.h.bits("grow", {Value::i32(2)}), 0xffffffffu);
  EXPECT_EQ(f.h.bits("grow", {Value::i32(0xffffffff)}), 0xffffffffu);
  EXPECT_EQ(f.h.bits("grow", {Value::i32(1)}), 2u);
  EXPECT_EQ(f.h.bits("size"), 3u);
  MemFixture unbounded(0);
  EXPECT_EQ(unbounded.h.bits("grow", {Value::i32(0x10001)}), 0xffffffffu);
  EXPECT_EQ(unbounded.h.bits("grow", {Value::i32(0x10000)}), 0u);  // the whole 4 GiB, reserved lazily
  EXPECT_EQ(unbounded.h.bits("size"), 0x10000u);
}

TEST(RuntimeMemory, Memory64Addresses) {
  MemFixture f(1, std::nullopt, true);
  EXPECT_EQ(f.h.bits("load32", {Value::i64(16)}), 0x04030201u);
  EXPECT_EQ(f.trap("load32", {Value::i64(0x100000000ull)}), kOob);
  EXPECT_EQ(f.trap("load32", {Value::i64(~0ull)}), kOob);
  // addr + offset overflows 64 bits.
  EXPECT_EQ(f.trap("load_off", {Value::i64(0xffffffff00000010ull)}), kOob);
  EXPECT_EQ(f.h.bits("grow", {Value::i64(1)}), 1u);
  EXPECT_EQ(f.h.bits("grow", {Value::i64(~0ull)}), ~0ull);
  EXPECT_EQ(f.h.bits("size"), 2u);
  EXPECT_EQ(f.trap("fill", {Value::i64(~0ull), Value::i32(0), Value::i64(2)}), kOob);
}

TEST(RuntimeMemory, BulkOperations) {
  MemFixture f(1);
  EXPECT_TRUE(f.h.call("fill", {Value::i32(100), Value::i32(0xab), Value::i32(4)}).ok());
  EXPECT_EQ(f.h.bits("load32", {Value::i32(100)}), 0xababababu);
  // Overlapping copy moves like memmove.
  EXPECT_TRUE(f.h.call("copy", {Value::i32(17), Value::i32(16), Value::i32(4)}).ok());
  EXPECT_EQ(f.h.bits("load32", {Value::i32(16)}), 0x03020101u);
  EXPECT_TRUE(f.h.call("init", {Value::i32(200), Value::i32(1), Value::i32(4)}).ok());
  EXPECT_EQ(f.h.bits("load32", {Value::i32(200)}), 0x6f6c6c65u);  // "ello"
  // Zero-length operations at the end are fine, past the end they trap.
  EXPECT_TRUE(f.h.call("fill", {Value::i32(65536), Value::i32(0), Value::i32(0)}).ok());
  EXPECT_EQ(f.trap("fill", {Value::i32(65537), Value::i32(0), Value::i32(0)}), kOob);
  EXPECT_EQ(f.trap("fill", {Value::i32(65535), Value::i32(0), Value::i32(2)}), kOob);
  EXPECT_EQ(f.trap("copy", {Value::i32(0), Value::i32(65537), Value::i32(0)}), kOob);
  EXPECT_EQ(f.trap("copy", {Value::i32(0xffffff00), Value::i32(0), Value::i32(0x100)}), kOob);
  EXPECT_TRUE(f.h.call("init", {Value::i32(65536), Value::i32(5), Value::i32(0)}).ok());
  EXPECT_EQ(f.trap("init", {Value::i32(0), Value::i32(6), Value::i32(0)}), kOob);
  EXPECT_EQ(f.trap("init", {Value::i32(0), Value::i32(2), Value::i32(4)}), kOob);
  // A trapping fill writes nothing.
  EXPECT_EQ(f.h.bits("load32", {Value::i32(65532)}), 0u);
  EXPECT_TRUE(f.h.call("drop").ok());
  EXPECT_TRUE(f.h.call("init", {Value::i32(0), Value::i32(0), Value::i32(0)}).ok());
  EXPECT_EQ(f.trap("init", {Value::i32(0), Value::i32(0), Value::i32(1)}), kOob);
}

TEST(RuntimeMemory, MultiMemory) {
  Harness h;
  ModuleBuilder b(h.types());
  b.memory(1);
  b.memory(2);
  b.active_data(1, b.const_i32(0), "\x2a");
  // copy_across(): memory.copy mem0[8..12) <- mem1[0..4); returns mem0[8], mem1 size
  Code c;
  c.i32(0, 8).i32(1, 0).i32(2, 4).op(Op::memory_copy, {0, 1, 0, 1, 2});
  c.load(Op::i32_load8_u, 0, 0, 0).op(Op::memory_size, {1, 1}).ret(0);
  b.func(b.type({}, {I32, I32}), 0, 3, c, "copy_across");
  h.instantiate_or_die(b);
  auto r = h.call("copy_across");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)[0].bits, 42u);
  EXPECT_EQ((*r)[1].bits, 2u);
}

TEST(RuntimeMemory, ActiveDataTrapKeepsEarlierSegments) {
  Harness h;
  MemoryType mt;
  mt.limits.min = 1;
  Memory* mem = h.store.new_memory(mt);
  ASSERT_NE(mem, nullptr);
  ModuleBuilder b(h.types());
  Limits l;
  l.min = 1;
  b.import_memory(l);
  b.active_data(0, b.const_i32(0), "ab");
  b.active_data(0, b.const_i32(65535), "cd");  // out of bounds
  b.active_data(0, b.const_i32(10), "ef");    // never reached
  auto r = instantiate(h.store, b.module(), {Extern{ExternKind::memory, mem}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::trap);
  EXPECT_EQ(r.error().message, kOob);
  EXPECT_EQ(mem->data[0], 'a');
  EXPECT_EQ(mem->data[1], 'b');
  EXPECT_EQ(mem->data[65535], 0);
  EXPECT_EQ(mem->data[10], 0);
}

}  // namespace
}  // namespace weft::testing
