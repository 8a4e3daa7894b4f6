// Decodes every `(module binary ...)` form of the spec test suite: those in
// assert_malformed must fail with a message starting with the expected text
// (the suite's messages are prefixes of the reference interpreter's), all
// others (including assert_invalid ones) must decode.
//
// The suite is $WEFT_SPEC_DIR if set, else ../shared/spec/core beside the
// source tree (where CI has it); the test fails if it is missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "binary/decoder.h"

namespace weft {
namespace {

namespace fs = std::filesystem;

struct SNode {
  enum Kind { list, atom, string } kind = list;
  std::string text;  // atom text, or decoded string bytes
  std::vector<SNode> items;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A small S-expression reader for .wast files: lists, atoms, strings with
// the text format's escapes, line and block comments.
class SReader {
 public:
  explicit SReader(const std::string& s) : s_(s) {}

  bool read_all(std::vector<SNode>* out) {
    for (;;) {
      skip_space();
      if (i_ >= s_.size()) return true;
      SNode n;
      if (!read_node(&n)) return false;
      out->push_back(std::move(n));
    }
  }

 private:
  void skip_space() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i_;
      } else if (s_.compare(i_, 2, ";;") == 0) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (s_.compare(i_, 2, "(;") == 0) {
        int depth = 0;
        while (i_ < s_.size()) {
          if (s_.compare(i_, 2, "(;") == 0) {
            ++depth;
            i_ += 2;
          } else if (s_.compare(i_, 2, ";)") == 0) {
            i_ += 2;
            if (--depth == 0) break;
          } else {
            ++i_;
          }
        }
      } else {
        return;
      }
    }
  }

  bool read_node(SNode* n) {
    char c = s_[i_];
    if (c == '(') {
      ++i_;
      n->kind = SNode::list;
      for (;;) {
        skip_space();
        if (i_ >= s_.size()) return false;
        if (s_[i_] == ')') {
          ++i_;
          return true;
        }
        SNode child;
        if (!read_node(&child)) return false;
        n->items.push_back(std::move(child));
      }
    }
    if (c == ')') return false;
    if (c == '"') {
      ++i_;
      n->kind = SNode::string;
      while (i_ < s_.size() && s_[i_] != '"') {
        if (s_[i_] != '\\') {
          n->text += s_[i_++];
          continue;
        }
        char e = s_[i_ + 1];
        switch (e) {
          case 'n': n->text += '\n'; i_ += 2; break;
          case 't': n->text += '\t'; i_ += 2; break;
          case 'r': n->text += '\r'; i_ += 2; break;
          case '"': n->text += '"'; i_ += 2; break;
          case '\'': n->text += '\''; i_ += 2; break;
          case '\\': n->text += '\\'; i_ += 2; break;
          case 'u': {
            size_t close = s_.find('}', i_);
            uint32_t cp = uint32_t(std::stoul(s_.substr(i_ + 3, close - i_ - 3), nullptr, 16));
            // Only used in text modules; a rough UTF-8 encoding suffices.
            if (cp < 0x80) n->text += char(cp);
            else n->text += '?';
            i_ = close + 1;
            break;
          }
          default: {
            int hi = hex_digit(e), lo = hex_digit(s_[i_ + 2]);
            if (hi < 0 || lo < 0) return false;
            n->text += char(hi * 16 + lo);
            i_ += 3;
          }
        }
      }
      ++i_;
      return true;
    }
    n->kind = SNode::atom;
    size_t start = i_;
    while (i_ < s_.size() && !strchr(" \t\r\n()\"", s_[i_])) ++i_;
    n->text = s_.substr(start, i_ - start);
    return true;
  }

  const std::string& s_;
  size_t i_ = 0;
};

struct BinaryCase {
  std::string file;
  std::string context;   // "" (plain module) or the assertion's name
  std::string expected;  // assertion message
  std::vector<uint8_t> bytes;
};

bool is_atom(const SNode& n, const char* text) { return n.kind == SNode::atom && n.text == text; }

// If `n` is a (module ... binary "..."*) form, returns its bytes.
bool binary_module(const SNode& n, std::vector<uint8_t>* bytes) {
  if (n.kind != SNode::list || n.items.empty() || !is_atom(n.items[0], "module")) return false;
  size_t i = 1;
  while (i < n.items.size() && n.items[i].kind == SNode::atom &&
         (n.items[i].text[0] == '$' || n.items[i].text == "definition"))
    ++i;
  if (i >= n.items.size() || !is_atom(n.items[i], "binary")) return false;
  for (++i; i < n.items.size(); ++i)
    if (n.items[i].kind == SNode::string) bytes->insert(bytes->end(), n.items[i].text.begin(), n.items[i].text.end());
  return true;
}

void collect(const std::string& file, const SNode& n, const std::string& context, const std::string& expected,
             std::vector<BinaryCase>* out) {
  if (n.kind != SNode::list || n.items.empty()) return;
  BinaryCase c;
  if (binary_module(n, &c.bytes)) {
    c.file = file;
    c.context = context;
    c.expected = expected;
    out->push_back(std::move(c));
    return;
  }
  if (n.items[0].kind == SNode::atom && n.items[0].text.rfind("assert_", 0) == 0) {
    std::string message;
    for (const SNode& item : n.items)
      if (item.kind == SNode::string) message = item.text;
    for (const SNode& item : n.items) collect(file, item, n.items[0].text, message, out);
  }
}

fs::path spec_dir() {
  if (const char* env = std::getenv("WEFT_SPEC_DIR")) return env;
  return fs::path(WEFT_SOURCE_DIR) / "../shared/spec/core";
}

std::vector<BinaryCase> load_cases(const fs::path& dir) {
  std::vector<BinaryCase> cases;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".wast") continue;
    // SIMD is outside this engine's scope.
    if (entry.path().string().find("simd") != std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::vector<SNode> nodes;
    SReader reader(text);
    if (!reader.read_all(&nodes)) {
      ADD_FAILURE() << "cannot read " << entry.path();
      continue;
    }
    std::string rel = fs::relative(entry.path(), dir).string();
    for (const SNode& n : nodes) collect(rel, n, "", "", &cases);
  }
  return cases;
}

TEST(BinarySuite, BinaryModulesDecodeAsExpected) {
  fs::path dir = spec_dir();
  ASSERT_TRUE(fs::is_directory(dir)) << "spec test suite not found at " << dir;
  std::vector<BinaryCase> cases = load_cases(dir);
  ASSERT_GT(cases.size(), 500u);
  size_t malformed = 0;
  for (const BinaryCase& c : cases) {
    auto result = decode_module(c.bytes);
    if (c.context == "assert_malformed") {
      ++malformed;
      if (result.ok()) {
        ADD_FAILURE() << c.file << ": decoded, expected malformed \"" << c.expected << "\"";
        continue;
      }
      EXPECT_EQ(result.error().kind, ErrorKind::malformed) << c.file;
      EXPECT_EQ(result.error().message.rfind(c.expected, 0), 0u)
          << c.file << ": got \"" << result.error().message << "\", expected \"" << c.expected << "\"";
    } else {
      EXPECT_TRUE(result.ok()) << c.file << " (" << (c.context.empty() ? "module" : c.context)
                               << "): " << (result.ok() ? "" : result.error().to_string());
    }
  }
  EXPECT_GT(malformed, 400u);
}

}  // namespace
}  // namespace weft
