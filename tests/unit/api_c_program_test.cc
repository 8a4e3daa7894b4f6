// Runs tests/unit/api_c_program.c, a C11 program against include/wasm.h
// (built with -pedantic -Werror), which exits 0 iff its checks pass.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

TEST(ApiCProgram, Runs) {
  const std::string command = std::string("\"") + WEFT_API_C_PROGRAM + "\"";
  EXPECT_EQ(std::system(command.c_str()), 0);
}
