// Validation errors: kinds, messages (as the reference interpreter words
// them) and locations; and modules that must be accepted.
#include <gtest/gtest.h>

#include <algorithm>

#include "validate_builder.h"

namespace weft {
namespace {

using namespace weft::test;

class Errors : public ::testing::Test {
 protected:
  // Validates a module with one function of type [] -> results.
  Validated run_func(Bytes body, std::vector<Bytes> results = {}, std::vector<std::pair<uint32_t, Bytes>> locals = {}) {
    uint32_t t = b.type({}, std::move(results));
    b.func(t, std::move(body), std::move(locals));
    return run();
  }
  Validated run() { return validate_bytes(reg, b.build()); }
  // Byte offset of the first occurrence of `pattern` in the built module.
  uint64_t offset_of(const Bytes& pattern) {
    Bytes all = b.build();
    auto it = std::search(all.begin(), all.end(), pattern.begin(), pattern.end());
    return uint64_t(it - all.begin());
  }

  TypeRegistry reg;
  ModuleBuilder b;
};

bool has(const Validated& v, const std::string& msg) {
  return !v.module && v.err.kind == ErrorKind::invalid && v.err.message.find(msg) != std::string::npos;
}

TEST_F(Errors, UnknownLocalIsLocatedAtTheInstruction) {
  Validated v = run_func({0x01, 0x20, 0x05, 0x1a});  // nop; local.get 5; drop
  ASSERT_FALSE(v.module);
  EXPECT_EQ(v.err.kind, ErrorKind::invalid);
  EXPECT_EQ(v.err.message, "unknown local 5");
  EXPECT_EQ(v.err.location.kind, Location::Kind::byte_offset);
  EXPECT_EQ(v.err.location.offset, offset_of({0x01, 0x20, 0x05, 0x1a}) + 1);
}

TEST_F(Errors, TypeMismatchMessagesLikeTheReference) {
  uint32_t tt = b.type({{I32}}, {});
  b.tag(tt);
  Validated v = run_func({0x08, 0x00});  // throw 0 on an empty stack
  EXPECT_EQ(v.err.message, "type mismatch: instruction requires [i32] but stack has []");
}

TEST_F(Errors, TypeMismatchShowsTheStack) {
  uint32_t tt = b.type({{I32}}, {});
  b.tag(tt);
  Validated v = run_func({0x42, 0x05, 0x08, 0x00});  // i64.const 5; throw 0
  EXPECT_EQ(v.err.message, "type mismatch: instruction requires [i32] but stack has [i64]");
}

TEST_F(Errors, PolymorphicStackAfterUnreachable) {
  EXPECT_TRUE(run_func({0x00, 0x6a, 0x1a}).module);  // unreachable; i32.add; drop
  ModuleBuilder b2;
  b = b2;
  // unreachable; i64.const 0; i32.add
  EXPECT_TRUE(has(run_func({0x00, 0x42, 0x00, 0x6a, 0x1a}), "type mismatch"));
}

TEST_F(Errors, BlockResultsChecked) {
  // block (result i32) end
  EXPECT_TRUE(has(run_func({0x02, I32, 0x0b, 0x1a}), "type mismatch"));
}

TEST_F(Errors, UnknownLabel) {
  EXPECT_TRUE(has(run_func({0x0c, 0x01}), "unknown label 1"));
}

TEST_F(Errors, AlignmentMustNotExceedNatural) {
  b.memory(1);
  // i32.const 0; i32.load16_u align=2; drop
  EXPECT_TRUE(has(run_func({0x41, 0, 0x2f, 2, 0, 0x1a}), "alignment must not be larger than natural"));
}

TEST_F(Errors, UnknownMemory) {
  EXPECT_TRUE(has(run_func({0x41, 0, 0x28, 2, 0, 0x1a}), "unknown memory 0"));
}

TEST_F(Errors, UndeclaredFunctionReference) {
  EXPECT_TRUE(has(run_func({0xd2, 0x00, 0x1a}), "undeclared function reference"));
}

TEST_F(Errors, DeclaredFunctionReference) {
  b.declare_funcs({0});
  EXPECT_TRUE(run_func({0xd2, 0x00, 0x1a}).module);
}

TEST_F(Errors, ExportDeclaresFunctionReference) {
  b.export_("f", 0, 0);
  EXPECT_TRUE(run_func({0xd2, 0x00, 0x1a}).module);
}

TEST_F(Errors, ExportAndStartErrorsAreLocatedAtTheirEntries) {
  // Export "zz" of function 9 (there is one), located at the entry's name.
  b.export_("zz", 0, 9);
  Validated v = run_func({});
  ASSERT_TRUE(has(v, "unknown function 9"));
  EXPECT_EQ(v.err.location.offset, offset_of({0x02, 'z', 'z', 0x00, 0x09}));
  // A start function of the wrong type, located at its index.
  ModuleBuilder b2;
  const uint32_t t = b2.type({{I32}}, {});
  b2.func(t, {});
  b2.start(0);
  Validated w = validate_bytes(reg, b2.build());
  ASSERT_TRUE(has(w, "start function must have type [] -> []"));
  const Bytes all = b2.build();
  const Bytes section = {0x08, 0x01, 0x00};  // start section: id, size 1, function 0
  EXPECT_EQ(w.err.location.offset, uint64_t(std::search(all.begin(), all.end(), section.begin(), section.end()) - all.begin()) + 2);
}

TEST_F(Errors, ImportFunctionAndLimitsErrorsAreLocatedAtTheirEntries) {
  // An imported function of an unknown type: at the import entry, which
  // starts with its module name ("m").
  b.import_func(7);
  Validated v = run();
  ASSERT_TRUE(has(v, "unknown type 7"));
  EXPECT_EQ(v.err.location.offset, offset_of({0x01, 'm', 0x02, 'f', '0', 0x00, 0x07}));

  // A defined function of an unknown type: at its entry in the function
  // section (id 3, size 2, count 1, type index 9).
  ModuleBuilder b2;
  b2.func(9, {});
  Validated w = validate_bytes(reg, b2.build());
  ASSERT_TRUE(has(w, "unknown type 9"));
  const Bytes all = b2.build();
  const Bytes funcs = {0x03, 0x02, 0x01, 0x09};
  EXPECT_EQ(w.err.location.offset,
            uint64_t(std::search(all.begin(), all.end(), funcs.begin(), funcs.end()) - all.begin()) + 3);

  // A memory over the 32-bit page limit: at its limits (section id 5, size,
  // count 1, flags 0, then 70000 in LEB128).
  ModuleBuilder b3;
  b3.memory(70000);
  Validated x = validate_bytes(reg, b3.build());
  ASSERT_TRUE(has(x, "memory size must be at most 65536 pages"));
  const Bytes mems = b3.build();
  const Bytes entry = {0x01, 0x00, 0xf0, 0xa2, 0x04};
  EXPECT_EQ(x.err.location.offset,
            uint64_t(std::search(mems.begin(), mems.end(), entry.begin(), entry.end()) - mems.begin()) + 1);
  EXPECT_NE(x.err.location.offset, 0u);
}

TEST_F(Errors, TypeErrorsAreLocatedAtTheType) {
  // Type 0 is fine; type 1 declares itself as its own supertype.
  const Bytes module = {0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00,
                        0x01, 0x0a, 0x02,                    // type section, 10 bytes, 2 types
                        0x60, 0x00, 0x00,                    // type 0 at 11: func [] -> []
                        0x50, 0x01, 0x01, 0x60, 0x00, 0x00}; // type 1 at 14: sub 1 (func)
  Validated v = validate_bytes(reg, module);
  ASSERT_TRUE(has(v, "unknown type 1")) << v.error;
  EXPECT_EQ(v.err.location.offset, 14u);
}

TEST_F(Errors, UninitializedNonDefaultableLocal) {
  // (local (ref extern)) local.get 0; drop
  Validated v = run_func({0x20, 0, 0x1a}, {}, {{1, {REF, 0x6f}}});
  EXPECT_TRUE(has(v, "uninitialized local"));
}

TEST_F(Errors, LocalInitialisationEndsWithTheBlock) {
  // (param (ref extern)) (local (ref extern))
  // block local.get 0; local.set 1 end; local.get 1; drop
  uint32_t t = b.type({{REF, 0x6f}}, {});
  b.func(t, {0x02, 0x40, 0x20, 0, 0x21, 1, 0x0b, 0x20, 1, 0x1a}, {{1, {REF, 0x6f}}});
  EXPECT_TRUE(has(run(), "uninitialized local"));
}

TEST_F(Errors, LocalSetInitialises) {
  uint32_t t = b.type({{REF, 0x6f}}, {});
  b.func(t, {0x20, 0, 0x21, 1, 0x20, 1, 0x1a}, {{1, {REF, 0x6f}}});
  EXPECT_TRUE(run().module);
}

TEST_F(Errors, ConstantExpressionRequired) {
  b.global({I32}, false, {0x41, 0x00, 0x01});  // i32.const 0; nop
  EXPECT_TRUE(has(run(), "constant expression required"));
}

TEST_F(Errors, ExtendedConstantExpressions) {
  b.global({I64}, false, {0x42, 1, 0x42, 2, 0x7e});  // i64.add
  b.global({I64}, false, {0x23, 0, 0x42, 3, 0x7d});  // global.get 0; i64.sub
  EXPECT_TRUE(run().module);
}

TEST_F(Errors, GlobalsSeeOnlyEarlierGlobals) {
  b.global({I32}, false, {0x23, 1});
  b.global({I32}, false, {0x41, 0});
  EXPECT_TRUE(has(run(), "unknown global 1"));
}

TEST_F(Errors, MutableGlobalInConstantExpression) {
  b.global({I32}, true, {0x41, 0});
  b.global({I32}, false, {0x23, 0});
  EXPECT_TRUE(has(run(), "constant expression required"));
}

TEST_F(Errors, ImmutableGlobal) {
  b.global({I32}, false, {0x41, 0});
  EXPECT_TRUE(has(run_func({0x41, 1, 0x24, 0}), "immutable global"));
}

TEST_F(Errors, SelectArity) {
  // i32.const 0 x3; select (result i32 i32)
  EXPECT_TRUE(has(run_func({0x41, 0, 0x41, 0, 0x41, 0, 0x1c, 2, I32, I32, 0x1a}), "invalid result arity"));
}

TEST_F(Errors, UntypedSelectRejectsReferences) {
  // ref.null func x2; i32.const 0; select
  EXPECT_TRUE(has(run_func({0xd0, 0x70, 0xd0, 0x70, 0x41, 0, 0x1b, 0x1a}), "type mismatch"));
}

TEST_F(Errors, DuplicateExportName) {
  b.func(b.type({}, {}), {});
  b.export_("x", 0, 0);
  b.export_("x", 0, 0);
  EXPECT_TRUE(has(run(), "duplicate export name"));
}

TEST_F(Errors, MemorySize) {
  b.memory(65537);
  EXPECT_TRUE(has(run(), "memory size"));
}

TEST_F(Errors, Memory64Size) {
  b.memory(65537, true);
  EXPECT_TRUE(run().module);
}

TEST_F(Errors, UnknownDataSegment) {
  b.passive_data("ab");
  EXPECT_TRUE(has(run_func({0xfc, 9, 1}), "unknown data segment 1"));
}

TEST_F(Errors, TailCallResultsMustMatch) {
  uint32_t t = b.type({}, {{I64}});
  b.func(t, {0x00});
  // (func (result i32) return_call 0)
  EXPECT_TRUE(has(run_func({0x12, 0}, {{I32}}), "type mismatch"));
}

TEST_F(Errors, CatchRefLabelTypes) {
  uint32_t tt = b.type({}, {});
  b.tag(tt);
  // try_table (catch_ref 0 0) end   -- label has no exnref
  EXPECT_TRUE(has(run_func({0x1f, 0x40, 1, 0x01, 0, 0, 0x0b}), "type mismatch"));
}

TEST_F(Errors, GcInstructionsUnsupported) {
  // i32.const 0; ref.i31; drop
  EXPECT_TRUE(has(run_func({0x41, 0, 0xfb, 28, 0x1a}), "unsupported instruction"));
}

TEST_F(Errors, TypesAreCanonicalAcrossModules) {
  ModuleBuilder a, c;
  a.type({{I32}}, {});
  c.type({{I64}}, {});
  c.type({{I32}}, {});
  Validated va = validate_bytes(reg, a.build());
  Validated vc = validate_bytes(reg, c.build());
  ASSERT_TRUE(va.module && vc.module);
  EXPECT_EQ(va.module->type_ids[0], vc.module->type_ids[1]);
  EXPECT_NE(vc.module->type_ids[0], vc.module->type_ids[1]);
}

TEST_F(Errors, StartFunctionType) {
  b.func(b.type({{I32}}, {}), {});
  b.start(0);
  EXPECT_TRUE(has(run(), "start function"));
}

TEST_F(Errors, StartFunctionUnknown) {
  b.start(3);
  EXPECT_TRUE(has(run(), "unknown function 3"));
}

}  // namespace
}  // namespace weft
