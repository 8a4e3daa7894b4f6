#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "wast/runner.h"

namespace weft {
namespace {

TEST(WastRunner, FailureKeyUsesParentDirAndFile) {
  EXPECT_EQ(failure_key("../shared/spec/core/i32.wast", 12), "core/i32.wast:12");
  EXPECT_EQ(failure_key("/x/core/multi-memory/load0.wast", 3), "multi-memory/load0.wast:3");
  EXPECT_EQ(failure_key("plain.wast", 1), "plain.wast:1");
}

TEST(WastRunner, ExpectedFailuresListIgnoresCommentsAndBlanks) {
  std::string path = testing::TempDir() + "weft_expected.txt";
  {
    std::ofstream out(path);
    out << "# header comment\n\n  core/a.wast:10   # trailing comment\nmulti-memory/b.wast:7\n";
  }
  auto ef = ExpectedFailures::load(path);
  ASSERT_TRUE(ef.ok());
  EXPECT_TRUE(ef->contains("core/a.wast:10"));
  EXPECT_TRUE(ef->contains("multi-memory/b.wast:7"));
  EXPECT_FALSE(ef->contains("core/a.wast:11"));
  EXPECT_FALSE(ef->empty());
  std::remove(path.c_str());
  auto missing = ExpectedFailures::load(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::io);
}

}  // namespace
}  // namespace weft
