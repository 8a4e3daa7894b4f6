// decode_module on hand-assembled modules: decoded fields, and malformed
// modules with the offsets of their errors.
#include <gtest/gtest.h>

#include "binary/decoder.h"
#include "binary/reader.h"
#include "binary_test_util.h"

namespace weft {
namespace {

using test::Bytes;
using test::cat;
using test::code_entry;
using test::section;
using test::str;
using test::u32;
using test::vec;

const Bytes kVoidFunc = {0x60, 0x00, 0x00};
const Bytes kNoLocals = {0x00};

std::unique_ptr<Module> decode_ok(const Bytes& b) {
  auto r = decode_module(b);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  if (!r.ok()) return std::make_unique<Module>();
  return std::move(r).value();
}

// Decodes a module that must be malformed; returns the error.
Error decode_err(const Bytes& b) {
  auto r = decode_module(b);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return {};
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().location.kind, Location::Kind::byte_offset);
  return r.error();
}

TEST(BinaryDecoder, EmptyModule) {
  auto m = decode_ok(test::header());
  EXPECT_EQ(m->bytes.size(), 8u);
  EXPECT_TRUE(m->types.empty());
  EXPECT_TRUE(m->funcs.empty());
  EXPECT_FALSE(m->start.has_value());
  EXPECT_FALSE(m->data_count.has_value());
  EXPECT_EQ(m->num_funcs(), 0u);
}

TEST(BinaryDecoder, Header) {
  Error e = decode_err({});
  EXPECT_EQ(e.message, "unexpected end");
  e = decode_err({0x00, 0x61, 0x73});
  EXPECT_EQ(e.message, "unexpected end");
  e = decode_err({0x00, 0x61, 0x73, 0x6d, 0x01});
  EXPECT_EQ(e.message, "unexpected end");
  e = decode_err({0x00, 0x41, 0x53, 0x4d, 0x01, 0x00, 0x00, 0x00});
  EXPECT_EQ(e.message, "magic header not detected");
  EXPECT_EQ(e.location.offset, 0u);
  e = decode_err({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00});
  EXPECT_EQ(e.message, "unknown binary version");
  EXPECT_EQ(e.location.offset, 4u);
}

TEST(BinaryDecoder, Types) {
  Bytes types = vec({
      {0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d},                 // 0: (i32 i64) -> f32
      cat({{0x4e}, vec({{0x50, 0x00, 0x5f, 0x02, 0x78, 0x01, 0x63, 0x01, 0x00},  // 1: struct
                        {0x4f, 0x01, 0x01, 0x5e, 0x77, 0x00}})}),                // 2: array sub final of 1
      {0x5d, 0x00},                                           // 3: cont of type 0
      {0x4e, 0x00},                                           // empty rec group
  });
  auto m = decode_ok(test::module({section(1, types)}));
  ASSERT_EQ(m->types.size(), 4u);
  ASSERT_EQ(m->rec_groups.size(), 4u);
  EXPECT_EQ(m->rec_groups[1].first, 1u);
  EXPECT_EQ(m->rec_groups[1].count, 2u);
  EXPECT_EQ(m->rec_groups[2].first, 3u);
  EXPECT_EQ(m->rec_groups[3].count, 0u);

  const SubType& f = m->types[0];
  EXPECT_TRUE(f.final_);
  EXPECT_TRUE(f.supers.empty());
  EXPECT_EQ(f.comp.kind, CompKind::func);
  EXPECT_EQ(f.comp.func.params, (std::vector<ValType>{ValType::i32(), ValType::i64()}));
  EXPECT_EQ(f.comp.func.results, (std::vector<ValType>{ValType::f32()}));

  const SubType& s = m->types[1];
  EXPECT_FALSE(s.final_);
  EXPECT_EQ(s.comp.kind, CompKind::struct_);
  ASSERT_EQ(s.comp.struct_.fields.size(), 2u);
  EXPECT_EQ(s.comp.struct_.fields[0].type.kind, ValKind::i8);
  EXPECT_TRUE(s.comp.struct_.fields[0].mutable_);
  EXPECT_EQ(s.comp.struct_.fields[1].type, ValType::ref(HeapType::index(1), true));
  EXPECT_FALSE(s.comp.struct_.fields[1].mutable_);

  const SubType& a = m->types[2];
  EXPECT_TRUE(a.final_);
  EXPECT_EQ(a.supers, (std::vector<uint32_t>{1}));
  EXPECT_EQ(a.comp.kind, CompKind::array);
  EXPECT_EQ(a.comp.array.elem.type.kind, ValKind::i16);

  EXPECT_EQ(m->types[3].comp.kind, CompKind::cont);
  EXPECT_EQ(m->types[3].comp.cont.func, HeapType::index(0));
}

TEST(BinaryDecoder, MalformedTypes) {
  Error e = decode_err(test::module({section(1, vec({{0x61, 0x00, 0x00}}))}));
  EXPECT_EQ(e.message, "malformed definition type");
  EXPECT_EQ(e.location.offset, 11u);
  e = decode_err(test::module({section(1, vec({{0x5e, 0x78, 0x02}}))}));
  EXPECT_EQ(e.message, "malformed mutability");
  EXPECT_EQ(e.location.offset, 13u);
  e = decode_err(test::module({section(1, vec({{0x5e, 0x76, 0x00}}))}));
  EXPECT_EQ(e.message, "malformed storage type");
}

TEST(BinaryDecoder, ImportsAndIndexSpaces) {
  Bytes imports = vec({
      cat({str("m"), str("f"), {0x00, 0x00}}),
      cat({str("m"), str("t"), {0x01, 0x70, 0x01, 0x01, 0x05}}),
      cat({str("m"), str("mem"), {0x02, 0x05, 0x01, 0x80, 0x80, 0x04}}),  // i64, min 1, max 65536
      cat({str("m"), str("g"), {0x03, 0x7e, 0x01}}),
      cat({str("m"), str("e"), {0x04, 0x00, 0x00}}),
      cat({str("m"), str("f2"), {0x00, 0x01}}),
  });
  Bytes types = vec({kVoidFunc, {0x60, 0x01, 0x7f, 0x00}});
  auto m = decode_ok(test::module({section(1, types), section(2, imports), section(3, vec({{0x01}})),
                                   section(10, vec({code_entry(kNoLocals, {0x0b})}))}));
  ASSERT_EQ(m->imports.size(), 6u);
  EXPECT_EQ(m->imports[2].name, "mem");
  EXPECT_EQ(m->num_imported_funcs, 2u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  EXPECT_EQ(m->num_imported_tags, 1u);
  EXPECT_EQ(m->num_funcs(), 3u);
  EXPECT_EQ(m->func_type_index(0), 0u);
  EXPECT_EQ(m->func_type_index(1), 1u);
  EXPECT_EQ(m->func_type_index(2), 1u);  // the defined function
  TableType t = m->table_type(0);
  EXPECT_EQ(t.elem, ValType::funcref());
  EXPECT_EQ(t.limits.min, 1u);
  EXPECT_EQ(t.limits.max, std::optional<uint64_t>(5));
  MemoryType mem = m->memory_type(0);
  EXPECT_TRUE(mem.limits.is64);
  EXPECT_FALSE(mem.limits.shared);
  EXPECT_EQ(mem.limits.max, std::optional<uint64_t>(65536));
  GlobalType g = m->global_type(0);
  EXPECT_EQ(g.type, ValType::i64());
  EXPECT_TRUE(g.mutable_);
  EXPECT_EQ(m->tag_type_index(0), 0u);
  EXPECT_STREQ(extern_kind_name(m->imports[4].kind), "tag");
}

TEST(BinaryDecoder, MalformedImportKind) {
  Error e = decode_err(test::module({section(2, vec({cat({str("a"), str("b"), {0x05, 0x00}})}))}));
  EXPECT_EQ(e.message, "malformed import kind");
  EXPECT_EQ(e.location.offset, 15u);
}

TEST(BinaryDecoder, TablesMemoriesGlobalsTags) {
  Bytes tables = vec({
      {0x70, 0x00, 0x02},                                      // funcref, min 2
      {0x40, 0x00, 0x64, 0x70, 0x04, 0x03, 0xd2, 0x00, 0x0b},  // (ref func) table64 init ref.func 0
  });
  Bytes memories = vec({{0x03, 0x01, 0x02}, {0x00, 0x00}});  // shared 1..2, then 0
  Bytes globals = vec({{0x7f, 0x00, 0x41, 0x2a, 0x0b}, {0x70, 0x01, 0xd0, 0x70, 0x0b}});
  Bytes tags = vec({{0x00, 0x00}});
  Bytes b = test::module({section(1, vec({kVoidFunc})), section(4, tables), section(5, memories),
                          section(13, tags), section(6, globals)});
  auto m = decode_ok(b);
  ASSERT_EQ(m->tables.size(), 2u);
  EXPECT_FALSE(m->tables[0].init.has_value());
  EXPECT_EQ(m->tables[0].type.limits.min, 2u);
  EXPECT_FALSE(m->tables[0].type.limits.max.has_value());
  ASSERT_TRUE(m->tables[1].init.has_value());
  EXPECT_EQ(m->tables[1].type.elem, ValType::ref(HeapType::abstract(AbsHeap::func), false));
  EXPECT_TRUE(m->tables[1].type.limits.is64);
  const ExprRange& init = *m->tables[1].init;
  EXPECT_EQ(init.size, 3u);
  EXPECT_EQ(Bytes(m->bytes.begin() + init.offset, m->bytes.begin() + init.offset + init.size),
            (Bytes{0xd2, 0x00, 0x0b}));
  ASSERT_EQ(m->memories.size(), 2u);
  EXPECT_TRUE(m->memories[0].type.limits.shared);
  EXPECT_EQ(m->memories[0].type.limits.max, std::optional<uint64_t>(2));
  ASSERT_EQ(m->tags.size(), 1u);
  ASSERT_EQ(m->globals.size(), 2u);
  EXPECT_FALSE(m->globals[0].type.mutable_);
  EXPECT_EQ(Bytes(m->bytes.begin() + m->globals[0].init.offset,
                  m->bytes.begin() + m->globals[0].init.offset + m->globals[0].init.size),
            (Bytes{0x41, 0x2a, 0x0b}));
  EXPECT_EQ(m->globals[0].init.const_index, UINT32_MAX);
  EXPECT_EQ(m->globals[1].type.type, ValType::funcref());
  EXPECT_TRUE(m->globals[1].type.mutable_);
}

TEST(BinaryDecoder, MalformedLimitsAndTables) {
  Error e = decode_err(test::module({section(5, vec({{0x08, 0x00}}))}));
  EXPECT_EQ(e.message, "malformed limits flags");
  EXPECT_EQ(e.location.offset, 11u);
  // Tables cannot be shared.
  e = decode_err(test::module({section(4, vec({{0x70, 0x03, 0x00, 0x01}}))}));
  EXPECT_EQ(e.message, "malformed limits flags");
  e = decode_err(test::module({section(4, vec({{0x40, 0x01, 0x70, 0x00, 0x00, 0x0b}}))}));
  EXPECT_EQ(e.message, "zero byte expected");
  // A constant expression is closed by `end`, not `else`.
  e = decode_err(test::module({section(6, vec({{0x7f, 0x00, 0x41, 0x00, 0x05, 0x0b}}))}));
  EXPECT_EQ(e.message, "END opcode expected");
  EXPECT_EQ(e.location.offset, 15u);
}

TEST(BinaryDecoder, ExportsAndStart) {
  Bytes b = test::module({section(1, vec({kVoidFunc})), section(3, vec({{0x00}})),
                          section(7, vec({cat({str("run"), {0x00, 0x00}}), cat({str("mem"), {0x02, 0x00}})})),
                          section(8, {0x00}), section(10, vec({code_entry(kNoLocals, {0x0b})}))});
  auto m = decode_ok(b);
  ASSERT_EQ(m->exports.size(), 2u);
  EXPECT_EQ(m->exports[0].name, "run");
  EXPECT_EQ(m->exports[0].kind, ExternKind::func);
  EXPECT_EQ(m->exports[1].kind, ExternKind::memory);
  EXPECT_EQ(m->start, std::optional<uint32_t>(0));

  Error e = decode_err(test::module({section(7, vec({cat({str("x"), {0x05, 0x00}})}))}));
  EXPECT_EQ(e.message, "malformed export kind");
}

TEST(BinaryDecoder, ElementSegmentForms) {
  const Bytes off = {0x41, 0x00, 0x0b};
  const Bytes funcs = vec({{0x00}, {0x00}});
  const Bytes exprs = vec({{0xd2, 0x00, 0x0b}, {0xd0, 0x70, 0x0b}});
  Bytes elems = vec({
      cat({{0x00}, off, funcs}),
      cat({{0x01, 0x00}, funcs}),
      cat({{0x02, 0x01}, off, {0x00}, funcs}),
      cat({{0x03, 0x00}, funcs}),
      cat({{0x04}, off, exprs}),
      cat({{0x05, 0x6f}, vec({{0xd0, 0x6f, 0x0b}})}),
      cat({{0x06, 0x02}, off, {0x64, 0x70}, exprs}),
      cat({{0x07, 0x70}, exprs}),
  });
  auto m = decode_ok(test::module({section(1, vec({kVoidFunc})), section(3, vec({{0x00}})), section(9, elems),
                                   section(10, vec({code_entry(kNoLocals, {0x0b})}))}));
  ASSERT_EQ(m->elems.size(), 8u);
  using Mode = ElemSegment::Mode;
  const ValType ref_func = ValType::ref(HeapType::abstract(AbsHeap::func), false);
  EXPECT_EQ(m->elems[0].mode, Mode::active);
  EXPECT_EQ(m->elems[0].table, 0u);
  EXPECT_EQ(m->elems[0].offset.size, 3u);
  EXPECT_EQ(m->elems[0].type, ref_func);
  EXPECT_FALSE(m->elems[0].uses_exprs);
  EXPECT_EQ(m->elems[0].size(), 2u);
  EXPECT_EQ(m->elems[1].mode, Mode::passive);
  EXPECT_EQ(m->elems[2].mode, Mode::active);
  EXPECT_EQ(m->elems[2].table, 1u);
  EXPECT_EQ(m->elems[3].mode, Mode::declarative);
  EXPECT_EQ(m->elems[4].mode, Mode::active);
  EXPECT_TRUE(m->elems[4].uses_exprs);
  EXPECT_EQ(m->elems[4].type, ValType::funcref());
  ASSERT_EQ(m->elems[4].exprs.size(), 2u);
  EXPECT_EQ(m->elems[4].exprs[1].size, 3u);
  EXPECT_EQ(m->elems[5].mode, Mode::passive);
  EXPECT_EQ(m->elems[5].type, ValType::externref());
  EXPECT_EQ(m->elems[6].table, 2u);
  EXPECT_EQ(m->elems[6].type, ref_func);
  EXPECT_EQ(m->elems[7].mode, Mode::declarative);
  EXPECT_EQ(m->elems[7].size(), 2u);

  Error e = decode_err(test::module({section(9, vec({{0x08}}))}));
  EXPECT_EQ(e.message, "malformed elements segment kind");
  e = decode_err(test::module({section(9, vec({cat({{0x01, 0x01}, funcs})}))}));
  EXPECT_EQ(e.message, "malformed element kind");
  e = decode_err(test::module({section(9, vec({cat({{0x05, 0x7f}, exprs})}))}));
  EXPECT_EQ(e.message, "malformed reference type");
}

TEST(BinaryDecoder, DataSegmentsAndDataCount) {
  Bytes datas = vec({
      cat({{0x00, 0x41, 0x08, 0x0b}, str("ab")}),
      cat({{0x01}, str("")}),
      cat({{0x02, 0x01, 0x41, 0x00, 0x0b}, str("xyz")}),
  });
  Bytes b = test::module({section(5, vec({{0x00, 0x01}})), section(12, {0x03}), section(11, datas)});
  auto m = decode_ok(b);
  ASSERT_EQ(m->datas.size(), 3u);
  EXPECT_EQ(m->data_count, std::optional<uint32_t>(3));
  EXPECT_EQ(m->datas[0].mode, DataSegment::Mode::active);
  EXPECT_EQ(m->datas[0].memory, 0u);
  EXPECT_EQ(m->datas[0].data_size, 2u);
  EXPECT_EQ(m->bytes[m->datas[0].data_offset], 'a');
  EXPECT_EQ(m->datas[1].mode, DataSegment::Mode::passive);
  EXPECT_EQ(m->datas[1].data_size, 0u);
  EXPECT_EQ(m->datas[2].memory, 1u);
  EXPECT_EQ(std::string(m->bytes.begin() + m->datas[2].data_offset,
                        m->bytes.begin() + m->datas[2].data_offset + m->datas[2].data_size),
            "xyz");

  Error e = decode_err(test::module({section(12, {0x02}), section(11, datas)}));
  EXPECT_EQ(e.message, "data count and data section have inconsistent lengths");
  e = decode_err(test::module({section(11, vec({{0x03}}))}));
  EXPECT_EQ(e.message, "malformed data segment kind");
}

TEST(BinaryDecoder, CodeLocalsAndBodies) {
  Bytes body = {0x02, 0x40, 0x04, 0x40, 0x05, 0x0b, 0x0b, 0x20, 0x00, 0x1a, 0x0b};
  Bytes locals = vec({{0x02, 0x7f}, {0x01, 0x64, 0x00}});
  Bytes b = test::module({section(1, vec({kVoidFunc})), section(3, vec({{0x00}, {0x00}})),
                          section(10, vec({code_entry(locals, body), code_entry(kNoLocals, {0x01, 0x0b})}))});
  auto m = decode_ok(b);
  ASSERT_EQ(m->funcs.size(), 2u);
  const FuncDecl& f = m->funcs[0];
  ASSERT_EQ(f.locals.size(), 2u);
  EXPECT_EQ(f.locals[0].count, 2u);
  EXPECT_EQ(f.locals[0].type, ValType::i32());
  EXPECT_EQ(f.locals[1].type, ValType::ref(HeapType::index(0), false));
  EXPECT_EQ(f.body_size, body.size());
  EXPECT_EQ(Bytes(m->bytes.begin() + f.body_offset, m->bytes.begin() + f.body_offset + f.body_size), body);
  EXPECT_EQ(m->funcs[1].body_size, 2u);
  EXPECT_EQ(m->bytes[m->funcs[1].body_offset], 0x01);

  // The body can be re-read with read_instr from its range.
  Reader r(m->bytes.data() + f.body_offset, m->bytes.data() + f.body_offset + f.body_size, f.body_offset);
  Instr ins;
  ASSERT_TRUE(read_instr(r, &ins).ok());
  EXPECT_EQ(ins.op, Op::block);
  EXPECT_EQ(ins.offset, f.body_offset);
}

TEST(BinaryDecoder, MalformedBodies) {
  auto with_body = [](const Bytes& body) {
    return test::module({section(1, vec({kVoidFunc})), section(3, vec({{0x00}})),
                         section(10, vec({code_entry(kNoLocals, body)}))});
  };
  // Offsets: the code entry's size is at 21, its locals at 22, the body at 23.
  Error e = decode_err(with_body({0x05, 0x0b}));
  EXPECT_EQ(e.message, "END opcode expected");
  EXPECT_EQ(e.location.offset, 23u);
  e = decode_err(with_body({0x02, 0x40, 0x05, 0x0b, 0x0b}));
  EXPECT_EQ(e.message, "END opcode expected");
  EXPECT_EQ(e.location.offset, 25u);
  e = decode_err(with_body({0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b}));
  EXPECT_EQ(e.message, "END opcode expected");
  EXPECT_EQ(e.location.offset, 26u);
  // Missing final `end` at the end of the module.
  e = decode_err(with_body({0x01}));
  EXPECT_EQ(e.message, "unexpected end of section or function");
  // `end` before the body's declared size.
  e = decode_err(with_body({0x0b, 0x01}));
  EXPECT_EQ(e.message, "section size mismatch");
  EXPECT_EQ(e.location.offset, 22u);
  e = decode_err(with_body({0x06, 0x0b}));
  EXPECT_EQ(e.message.rfind("illegal opcode", 0), 0u);
  EXPECT_EQ(e.location.offset, 23u);
}

TEST(BinaryDecoder, TooManyLocals) {
  auto with_locals = [](const Bytes& locals) {
    return test::module({section(1, vec({kVoidFunc})), section(3, vec({{0x00}})),
                         section(10, vec({code_entry(locals, {0x0b})}))});
  };
  decode_ok(with_locals(vec({cat({u32(50000), {0x7f}})})));
  Error e = decode_err(with_locals(vec({cat({u32(50001), {0x7f}})})));
  EXPECT_EQ(e.message, "too many locals");
  EXPECT_EQ(e.location.offset, 22u);
  e = decode_err(with_locals(vec({cat({u32(0xffffffff), {0x7f}}), cat({u32(2), {0x7e}})})));
  EXPECT_EQ(e.message, "too many locals");
}

TEST(BinaryDecoder, DataCountRequired) {
  Bytes body = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b};
  auto with = [&](bool data_count) {
    std::vector<Bytes> s = {section(1, vec({kVoidFunc})), section(3, vec({{0x00}})),
                            section(5, vec({{0x00, 0x01}}))};
    if (data_count) s.push_back(section(12, {0x01}));
    s.push_back(section(10, vec({code_entry(kNoLocals, body)})));
    s.push_back(section(11, vec({cat({{0x01}, str("a")})})));
    Bytes b = test::header();
    for (const Bytes& x : s) b.insert(b.end(), x.begin(), x.end());
    return b;
  };
  decode_ok(with(true));
  Error e = decode_err(with(false));
  EXPECT_EQ(e.message, "data count section required");
  EXPECT_EQ(e.location.offset, 34u);  // the memory.init instruction
}

TEST(BinaryDecoder, FunctionAndCodeCounts) {
  Error e = decode_err(test::module({section(1, vec({kVoidFunc})), section(3, vec({{0x00}}))}));
  EXPECT_EQ(e.message, "function and code section have inconsistent lengths");
  e = decode_err(test::module({section(10, vec({code_entry(kNoLocals, {0x0b})}))}));
  EXPECT_EQ(e.message, "function and code section have inconsistent lengths");
}

TEST(BinaryDecoder, SectionFraming) {
  // Unknown section id.
  Error e = decode_err(test::module({section(14, {})}));
  EXPECT_EQ(e.message, "malformed section id");
  EXPECT_EQ(e.location.offset, 8u);
  // Out of order and repeated sections.
  e = decode_err(test::module({section(3, vec({})), section(1, vec({}))}));
  EXPECT_EQ(e.message, "unexpected content after last section");
  EXPECT_EQ(e.location.offset, 11u);
  e = decode_err(test::module({section(1, vec({})), section(1, vec({}))}));
  EXPECT_EQ(e.message, "unexpected content after last section");
  // The tag section goes between memory and global; data count before code.
  decode_ok(test::module({section(5, vec({})), section(13, vec({})), section(6, vec({}))}));
  e = decode_err(test::module({section(6, vec({})), section(13, vec({}))}));
  EXPECT_EQ(e.message, "unexpected content after last section");
  decode_ok(test::module({section(9, vec({})), section(12, {0x00}), section(10, vec({}))}));
  // Custom sections may go anywhere.
  Bytes custom = section(0, str("x"));
  decode_ok(test::module({custom, section(1, vec({})), custom, section(11, vec({})), custom}));
  // Contents shorter than the declared size.
  e = decode_err(test::module({section(1, {0x00, 0x00})}));
  EXPECT_EQ(e.message, "section size mismatch");
  EXPECT_EQ(e.location.offset, 10u);
  // A size beyond the end of the module.
  e = decode_err(cat({test::header(), {0x01, 0x05, 0x00}}));
  EXPECT_EQ(e.message, "length out of bounds");
  EXPECT_EQ(e.location.offset, 9u);
}

TEST(BinaryDecoder, CustomSections) {
  // The name must be valid UTF-8; the contents are not interpreted.
  Error e = decode_err(test::module({section(0, cat({{0x01, 0xff}, {0x01, 0x02}}))}));
  EXPECT_EQ(e.message, "malformed UTF-8 encoding");
  EXPECT_EQ(e.location.offset, 10u);
  // A name running past the section's declared end.
  e = decode_err(cat({test::header(), {0x00, 0x01, 0x03, 'a', 'b', 'c'}}));
  EXPECT_EQ(e.message.rfind("unexpected end", 0), 0u);
}

TEST(BinaryDecoder, NameSection) {
  Bytes names = cat({str("name"), section(0, str("mod")), section(1, vec({cat({{0x00}, str("first")}),
                                                                           cat({{0x01}, str("second")})})),
                     section(2, {0x00})});
  Bytes b = test::module({section(1, vec({kVoidFunc})), section(3, vec({{0x00}, {0x00}})),
                          section(10, vec({code_entry(kNoLocals, {0x0b}), code_entry(kNoLocals, {0x0b})})),
                          section(0, names)});
  auto m = decode_ok(b);
  EXPECT_EQ(m->module_name, "mod");
  ASSERT_EQ(m->func_names.size(), 2u);
  EXPECT_EQ(m->func_name(0), "first");
  EXPECT_EQ(m->func_name(1), "second");
  EXPECT_EQ(m->func_name(2), "");
}

TEST(BinaryDecoder, MalformedNameSectionIsIgnored) {
  const std::vector<Bytes> bad_contents = {
      cat({str("name"), {0x01, 0x05, 0x01, 0x00, 0x02, 'a'}}),                        // cut short
      cat({str("name"), section(1, vec({cat({{0x00}, {0x01, 0xff}})}))}),             // bad UTF-8
      cat({str("name"), section(1, vec({cat({{0x01}, str("b")}), cat({{0x00}, str("a")})}))}),  // unsorted
      cat({str("name"), section(1, vec({})), section(0, str("late"))}),               // out of order
      cat({str("name"), section(0, cat({str("m"), {0x00}}))}),                        // trailing bytes
  };
  for (const Bytes& contents : bad_contents) {
    auto m = decode_ok(test::module({section(0, contents)}));
    EXPECT_EQ(m->module_name, "");
    EXPECT_TRUE(m->func_names.empty());
  }
}

TEST(BinaryDecoder, HostileCountsFailFast) {
  // Vector counts of 2^32-1 with a few bytes of input: every section must
  // reject them without allocating for them.
  const Bytes huge = {0xff, 0xff, 0xff, 0xff, 0x0f};
  for (uint8_t id : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13}) {
    Error e = decode_err(test::module({section(id, huge)}));
    EXPECT_EQ(e.message, "length out of bounds") << int(id);
  }
  Error e = decode_err(test::module({section(1, vec({{0x4e, 0xff, 0xff, 0xff, 0xff, 0x0f}}))}));
  EXPECT_EQ(e.message, "length out of bounds");
  e = decode_err(test::module({section(1, vec({{0x60, 0xff, 0xff, 0xff, 0xff, 0x0f}}))}));
  EXPECT_EQ(e.message, "length out of bounds");
}

TEST(BinaryDecoder, ValidatorErrorsAreNotMalformed) {
  // Out-of-range indices and type errors decode fine.
  Bytes body = {0x10, 0x63, 0x20, 0x09, 0x23, 0x04, 0x28, 0x07, 0x00, 0x0b};
  Bytes b = test::module({section(1, vec({{0x60, 0x00, 0x01, 0x64, 0x2a}})), section(3, vec({{0x05}})),
                          section(7, vec({cat({str("x"), {0x04, 0x09}})})), section(8, {0x11}),
                          section(10, vec({code_entry(kNoLocals, body)}))});
  auto m = decode_ok(b);
  EXPECT_EQ(m->funcs[0].type_index, 5u);
  EXPECT_EQ(m->start, std::optional<uint32_t>(0x11));
}

}  // namespace
}  // namespace weft
