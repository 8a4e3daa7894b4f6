// The lowered form of the stack-switching instructions (interp/code.h):
// operand slots, and resume's handler clauses as immediates.
#include "stacks_util.h"
#include "validate/code_dump.h"

namespace weft::testing {
namespace {

// Validates `wat` and returns the dump of defined function `index`.
std::string lowered(const char* wat, size_t index) {
  auto bytes = parse_wat(wat);
  EXPECT_TRUE(bytes.ok()) << bytes.error().to_string();
  if (!bytes.ok()) return "";
  auto m = decode_module(std::move(bytes.value()));
  EXPECT_TRUE(m.ok()) << m.error().to_string();
  if (!m.ok()) return "";
  TypeRegistry types;
  Status s = validate_module(types, *m.value());
  EXPECT_TRUE(s.ok()) << s.error().to_string();
  if (!s.ok() || index >= m.value()->compiled.size()) return "";
  return dump_code(m.value()->compiled[index]);
}

TEST(StacksLowering, ResumeCarriesItsHandlerClauses) {
  const std::string code = lowered(R"(
    (module
      (type $f (func (param i32) (result i32)))
      (type $k (cont $f))
      (tag $t (param i32) (result i32))
      (tag $s (result i32))
      (func $g (param i32) (result i32) (suspend $t (local.get 0)))
      (elem declare func $g)
      (func (param $x i32) (result i32)
        (block $h (result i32 (ref $k))
          (return (resume $k (on $t $h) (on $s switch) (local.get $x) (cont.new $k (ref.func $g)))))
        (drop)))
  )",
                                   1);
  // x is the argument (s1), the contref is made in s2 and consumed there;
  // (on $t $h) delivers [i32 (ref $k)] to s1.. and jumps to the block's end.
  EXPECT_NE(code.find("cont.new s2 s2"), std::string::npos) << code;
  EXPECT_NE(code.find("resume s1 s2 1 2 (on 0 @"), std::string::npos) << code;
  EXPECT_NE(code.find(" s1) (on 1 switch)"), std::string::npos) << code;
  const std::string gen = lowered(R"(
    (module
      (tag $t (param i32) (result i32))
      (func (param i32) (result i32) (suspend $t (local.get 0))))
  )",
                                  0);
  EXPECT_NE(gen.find("suspend 0 s1"), std::string::npos) << gen;
}

}  // namespace
}  // namespace weft::testing
