// read_instr: every opcode of opcodes.def, and the immediates of each kind.
#include <gtest/gtest.h>

#include "binary/reader.h"
#include "binary_test_util.h"

namespace weft {
namespace {

using test::Bytes;
using test::cat;
using test::u32;

Status read_one(const Bytes& b, Instr* ins, size_t* consumed = nullptr) {
  Reader r(b.data(), b.data() + b.size());
  Status st = read_instr(r, ins);
  if (consumed) *consumed = size_t(r.pos() - b.data());
  return st;
}

// Valid immediates for each layout, chosen to exercise multi-byte LEBs.
Bytes sample_immediates(ImmKind k) {
  switch (k) {
    case ImmKind::none: return {};
    case ImmKind::block: return {0x40};
    case ImmKind::label:
    case ImmKind::func:
    case ImmKind::type:
    case ImmKind::local:
    case ImmKind::global:
    case ImmKind::table:
    case ImmKind::memory:
    case ImmKind::tag:
    case ImmKind::data:
    case ImmKind::elem: return u32(300);
    case ImmKind::call_indirect:
    case ImmKind::type_type:
    case ImmKind::type_tag:
    case ImmKind::type_field:
    case ImmKind::type_count:
    case ImmKind::type_data:
    case ImmKind::type_elem:
    case ImmKind::data_memory:
    case ImmKind::memory_memory:
    case ImmKind::elem_table:
    case ImmKind::table_table: return cat({u32(300), u32(2)});
    case ImmKind::br_table: return {0x02, 0x00, 0x01, 0x02};
    case ImmKind::memarg: return {0x02, 0x80, 0x01};
    case ImmKind::i32: return {0x7f};
    case ImmKind::i64: return {0x7f};
    case ImmKind::f32: return {0, 0, 0x80, 0x3f};
    case ImmKind::f64: return {0, 0, 0, 0, 0, 0, 0xf0, 0x3f};
    case ImmKind::select_t: return {0x01, 0x7f};
    case ImmKind::heaptype: return {0x70};
    case ImmKind::try_table: return {0x40, 0x01, 0x02, 0x00};
    case ImmKind::br_on_cast: return {0x03, 0x00, 0x6e, 0x6d};
    case ImmKind::resume: return {0x00, 0x01, 0x01, 0x00};
    case ImmKind::resume_throw: return {0x00, 0x00, 0x01, 0x01, 0x00};
  }
  return {};
}

TEST(BinaryInstr, EveryOpcodeDecodes) {
  Instr ins;
  unsigned count = 0;
  for (unsigned i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    const OpInfo& info = op_info(op);
    if (is_internal(op)) continue;
    Bytes b = info.prefix == 0 ? Bytes{uint8_t(info.code)} : cat({Bytes{info.prefix}, u32(info.code)});
    Bytes imm = sample_immediates(info.imm);
    b.insert(b.end(), imm.begin(), imm.end());
    b.push_back(0x0b);  // a following byte must not be consumed
    size_t consumed = 0;
    Status st = read_one(b, &ins, &consumed);
    ASSERT_TRUE(st.ok()) << info.text << ": " << st.error().message;
    EXPECT_EQ(ins.op, op) << info.text;
    EXPECT_EQ(ins.offset, 0u);
    EXPECT_EQ(consumed, b.size() - 1) << info.text;
    ++count;
  }
  EXPECT_GT(count, 200u);
}

TEST(BinaryInstr, PrefixedOpcodeWithPaddedLeb) {
  Instr ins;
  // memory.fill as 0xfc with sub-opcode 11 in a padded 5-byte LEB.
  ASSERT_TRUE(read_one({0xfc, 0x8b, 0x80, 0x80, 0x80, 0x00, 0x00}, &ins).ok());
  EXPECT_EQ(ins.op, Op::memory_fill);
  Status st = read_one({0xfc, 0x87, 0x80, 0x80, 0x80, 0x80, 0x00}, &ins);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "integer representation too long");
}

TEST(BinaryInstr, IllegalOpcodes) {
  Instr ins;
  for (Bytes b : {Bytes{0x06}, Bytes{0x27}, Bytes{0xc5}, Bytes{0xff}, Bytes{0xfc, 0x20}, Bytes{0xfb, 0x7f},
                  Bytes{0xfd, 0x00, 0x00, 0x00}}) {
    Bytes padded = cat({Bytes{0x01}, b});  // nop first: errors point at the opcode
    Reader r(padded.data(), padded.data() + padded.size());
    ASSERT_TRUE(read_instr(r, &ins).ok());
    Status st = read_instr(r, &ins);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().kind, ErrorKind::malformed);
    EXPECT_EQ(st.error().message.rfind("illegal opcode", 0), 0u) << st.error().message;
    EXPECT_EQ(st.error().location.offset, 1u);
  }
}

TEST(BinaryInstr, Truncated) {
  Instr ins;
  Status st = read_one({}, &ins);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "unexpected end of section or function");
  st = read_one({0x41, 0x80}, &ins);  // i32.const with a cut LEB
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "unexpected end of section or function");
  EXPECT_EQ(st.error().location.offset, 2u);
  st = read_one({0x44, 0x00, 0x00}, &ins);
  ASSERT_FALSE(st.ok());
}

TEST(BinaryInstr, Constants) {
  Instr ins;
  ASSERT_TRUE(read_one({0x41, 0x7f}, &ins).ok());
  EXPECT_EQ(ins.op, Op::i32_const);
  EXPECT_EQ(ins.u64, ~uint64_t{0});  // sign-extended
  ASSERT_TRUE(read_one({0x41, 0xff, 0xff, 0xff, 0xff, 0x07}, &ins).ok());
  EXPECT_EQ(ins.u64, 0x7fffffffu);
  ASSERT_TRUE(read_one(cat({Bytes{0x42}, test::s64(INT64_MIN)}), &ins).ok());
  EXPECT_EQ(ins.u64, uint64_t{1} << 63);
  ASSERT_TRUE(read_one({0x43, 0x00, 0x00, 0xc0, 0x7f}, &ins).ok());
  EXPECT_EQ(ins.u64, 0x7fc00000u);
  ASSERT_TRUE(read_one({0x44, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f}, &ins).ok());
  EXPECT_EQ(ins.u64, 0x7ff8000000000001u);
  EXPECT_EQ(read_one({0x41, 0x80, 0x80, 0x80, 0x80, 0x70}, &ins).error().message, "integer too large");
}

TEST(BinaryInstr, MemArg) {
  Instr ins;
  ASSERT_TRUE(read_one({0x28, 0x02, 0x10}, &ins).ok());
  EXPECT_EQ(ins.op, Op::i32_load);
  EXPECT_EQ(ins.idx0, 0u);
  EXPECT_EQ(ins.align, 2u);
  EXPECT_EQ(ins.u64, 16u);
  // Bit 6: a memory index follows the flags.
  ASSERT_TRUE(read_one({0x37, 0x43, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, &ins).ok());
  EXPECT_EQ(ins.op, Op::i64_store);
  EXPECT_EQ(ins.idx0, 5u);
  EXPECT_EQ(ins.align, 3u);
  EXPECT_EQ(ins.u64, ~uint64_t{0});
  // Alignment beyond the natural one is for the validator to reject.
  ASSERT_TRUE(read_one({0x28, 0x3f, 0x00}, &ins).ok());
  EXPECT_EQ(ins.align, 63u);
  Status st = read_one({0x28, 0x80, 0x01, 0x00}, &ins);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "malformed memop flags");
  EXPECT_EQ(st.error().location.offset, 1u);
}

TEST(BinaryInstr, IndexPairsInBinaryOrder) {
  Instr ins;
  ASSERT_TRUE(read_one({0x11, 0x04, 0x01}, &ins).ok());
  EXPECT_EQ(ins.op, Op::call_indirect);
  EXPECT_EQ(ins.idx0, 4u);  // type
  EXPECT_EQ(ins.idx1, 1u);  // table
  ASSERT_TRUE(read_one({0xfc, 0x08, 0x03, 0x00}, &ins).ok());
  EXPECT_EQ(ins.op, Op::memory_init);
  EXPECT_EQ(ins.idx0, 3u);  // data
  EXPECT_EQ(ins.idx1, 0u);  // memory
  ASSERT_TRUE(read_one({0xfc, 0x0c, 0x07, 0x02}, &ins).ok());
  EXPECT_EQ(ins.op, Op::table_init);
  EXPECT_EQ(ins.idx0, 7u);  // elem
  EXPECT_EQ(ins.idx1, 2u);  // table
  ASSERT_TRUE(read_one({0xfc, 0x0a, 0x01, 0x02}, &ins).ok());
  EXPECT_EQ(ins.op, Op::memory_copy);
  EXPECT_EQ(ins.idx0, 1u);
  EXPECT_EQ(ins.idx1, 2u);
  ASSERT_TRUE(read_one({0xe6, 0x02, 0x09}, &ins).ok());
  EXPECT_EQ(ins.op, Op::switch_);
  EXPECT_EQ(ins.idx0, 2u);
  EXPECT_EQ(ins.idx1, 9u);
  ASSERT_TRUE(read_one({0xfb, 0x08, 0x01, 0x80, 0x02}, &ins).ok());
  EXPECT_EQ(ins.op, Op::array_new_fixed);
  EXPECT_EQ(ins.idx0, 1u);
  EXPECT_EQ(ins.idx1, 256u);
}

TEST(BinaryInstr, BrTableAndVectorReuse) {
  Instr ins;
  ASSERT_TRUE(read_one({0x0e, 0x03, 0x00, 0x01, 0x02, 0x05}, &ins).ok());
  EXPECT_EQ(ins.op, Op::br_table);
  EXPECT_EQ(ins.labels, (std::vector<uint32_t>{0, 1, 2, 5}));  // default last
  const size_t capacity = ins.labels.capacity();
  ASSERT_TRUE(read_one({0x0e, 0x00, 0x07}, &ins).ok());
  EXPECT_EQ(ins.labels, (std::vector<uint32_t>{7}));
  EXPECT_EQ(ins.labels.capacity(), capacity);
  ASSERT_TRUE(read_one({0x01}, &ins).ok());
  EXPECT_TRUE(ins.labels.empty());
  EXPECT_EQ(ins.labels.capacity(), capacity);

  // A count beyond the remaining bytes fails before allocating.
  Status st = read_one({0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f}, &ins);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "length out of bounds");
}

TEST(BinaryInstr, SelectAndBlockTypes) {
  Instr ins;
  ASSERT_TRUE(read_one({0x1c, 0x02, 0x7f, 0x64, 0x01}, &ins).ok());
  EXPECT_EQ(ins.op, Op::select_t);
  ASSERT_EQ(ins.types.size(), 2u);
  EXPECT_EQ(ins.types[0], ValType::i32());
  EXPECT_EQ(ins.types[1], ValType::ref(HeapType::index(1), false));
  ASSERT_TRUE(read_one({0x1b}, &ins).ok());
  EXPECT_EQ(ins.op, Op::select);
  EXPECT_TRUE(ins.types.empty());

  ASSERT_TRUE(read_one({0x02, 0x7c}, &ins).ok());
  EXPECT_EQ(ins.op, Op::block);
  EXPECT_EQ(ins.block.kind, BlockType::Kind::value);
  EXPECT_EQ(ins.block.value, ValType::f64());
  ASSERT_TRUE(read_one({0x04, 0x02}, &ins).ok());
  EXPECT_EQ(ins.op, Op::if_);
  EXPECT_EQ(ins.block.kind, BlockType::Kind::index);
  EXPECT_EQ(ins.block.index, 2u);
}

TEST(BinaryInstr, TryTable) {
  Instr ins;
  Bytes b = {0x1f, 0x7f, 0x04, 0x00, 0x01, 0x02, 0x01, 0x03, 0x04, 0x02, 0x05, 0x03, 0x06};
  ASSERT_TRUE(read_one(b, &ins).ok());
  EXPECT_EQ(ins.op, Op::try_table);
  EXPECT_EQ(ins.block.kind, BlockType::Kind::value);
  ASSERT_EQ(ins.catches.size(), 4u);
  EXPECT_EQ(ins.catches[0].kind, HandlerEntry::Kind::catch_);
  EXPECT_EQ(ins.catches[0].tag, 1u);
  EXPECT_EQ(ins.catches[0].label, 2u);
  EXPECT_EQ(ins.catches[1].kind, HandlerEntry::Kind::catch_ref);
  EXPECT_EQ(ins.catches[1].tag, 3u);
  EXPECT_EQ(ins.catches[1].label, 4u);
  EXPECT_EQ(ins.catches[2].kind, HandlerEntry::Kind::catch_all);
  EXPECT_EQ(ins.catches[2].label, 5u);
  EXPECT_EQ(ins.catches[3].kind, HandlerEntry::Kind::catch_all_ref);
  EXPECT_EQ(ins.catches[3].label, 6u);
  Status st = read_one({0x1f, 0x40, 0x01, 0x04, 0x00}, &ins);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "malformed catch clause");
  EXPECT_EQ(st.error().location.offset, 3u);
}

TEST(BinaryInstr, ResumeHandlers) {
  Instr ins;
  ASSERT_TRUE(read_one({0xe3, 0x05, 0x02, 0x00, 0x01, 0x02, 0x01, 0x03}, &ins).ok());
  EXPECT_EQ(ins.op, Op::resume);
  EXPECT_EQ(ins.idx0, 5u);
  ASSERT_EQ(ins.handlers.size(), 2u);
  EXPECT_FALSE(ins.handlers[0].is_switch);
  EXPECT_EQ(ins.handlers[0].tag, 1u);
  EXPECT_EQ(ins.handlers[0].label, 2u);
  EXPECT_TRUE(ins.handlers[1].is_switch);
  EXPECT_EQ(ins.handlers[1].tag, 3u);

  ASSERT_TRUE(read_one({0xe4, 0x05, 0x07, 0x00}, &ins).ok());
  EXPECT_EQ(ins.op, Op::resume_throw);
  EXPECT_EQ(ins.idx0, 5u);
  EXPECT_EQ(ins.idx1, 7u);
  EXPECT_TRUE(ins.handlers.empty());
  ASSERT_TRUE(read_one({0xe5, 0x01, 0x01, 0x00, 0x02, 0x03}, &ins).ok());
  EXPECT_EQ(ins.op, Op::resume_throw_ref);
  ASSERT_EQ(ins.handlers.size(), 1u);
  EXPECT_FALSE(read_one({0xe3, 0x00, 0x01, 0x02, 0x00}, &ins).ok());
}

TEST(BinaryInstr, References) {
  Instr ins;
  ASSERT_TRUE(read_one({0xd0, 0x73}, &ins).ok());
  EXPECT_EQ(ins.op, Op::ref_null);
  EXPECT_EQ(ins.heap0, HeapType::abstract(AbsHeap::nofunc));
  ASSERT_TRUE(read_one({0xd0, 0x02}, &ins).ok());
  EXPECT_EQ(ins.heap0, HeapType::index(2));
  ASSERT_TRUE(read_one({0xfb, 0x17, 0x6c}, &ins).ok());
  EXPECT_EQ(ins.op, Op::ref_cast_null);
  EXPECT_EQ(ins.heap0, HeapType::abstract(AbsHeap::i31));

  ASSERT_TRUE(read_one({0xfb, 0x18, 0x02, 0x03, 0x6e, 0x04}, &ins).ok());
  EXPECT_EQ(ins.op, Op::br_on_cast);
  EXPECT_EQ(ins.cast_flags, 2u);
  EXPECT_EQ(ins.idx0, 3u);
  EXPECT_EQ(ins.heap0, HeapType::abstract(AbsHeap::any));
  EXPECT_EQ(ins.heap1, HeapType::index(4));
  Status st = read_one({0xfb, 0x19, 0x04, 0x00, 0x6e, 0x6e}, &ins);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "malformed br_on_cast flags");
  EXPECT_EQ(st.error().location.offset, 2u);
}

}  // namespace
}  // namespace weft
