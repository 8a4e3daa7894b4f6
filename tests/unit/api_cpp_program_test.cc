// Runs tests/unit/api_cpp_program.cpp, a C++11 program against
// include/wasm.hh alone (built with -pedantic -Werror), which exits 0 iff its
// checks pass.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

TEST(ApiCppProgram, Runs) {
  const std::string command = std::string("\"") + WEFT_API_CPP_PROGRAM + "\"";
  EXPECT_EQ(std::system(command.c_str()), 0);
}
