// Test helpers for the WASI tests: a scratch directory tree that is removed
// afterwards.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace weft::testing {

// /tmp/weft-wasi-XXXXXX with a sandbox directory "root" inside it and a file
// "secret" beside it (outside the sandbox).
class ScratchDir {
 public:
  ScratchDir() {
    char tmpl[] = "/tmp/weft-wasi-XXXXXX";
    const char* p = ::mkdtemp(tmpl);
    EXPECT_NE(p, nullptr);
    base_ = p ? p : "/tmp";
    std::filesystem::create_directory(root());
    write(base_ + "/secret", "secret\n");
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(base_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& base() const { return base_; }
  std::string root() const { return base_ + "/root"; }
  std::string in_root(const std::string& rel) const { return root() + "/" + rel; }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::string base_;
};

}  // namespace weft::testing
