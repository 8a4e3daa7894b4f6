// weft_fuzz_corpus OUT_DIR SCRIPT.wast...
//
// Builds the fuzzers' seed corpora from spec scripts (used by make-corpus),
// with the library alone, no CLI:
//   OUT_DIR/wast/    runs of consecutive top-level commands, a few KiB each
//   OUT_DIR/wat/     the source of every text module ((module ...) and quote)
//   OUT_DIR/binary/  every (module binary ...) and every text module that
//                    parse_wat encodes
//   OUT_DIR/run/     the binaries of the modules the scripts instantiate
//                    (module commands, assert_unlinkable, assert_trap and
//                    assert_uninstantiable ones): seeds for fuzz_run and fuzz_diff
//   OUT_DIR/text.dict, OUT_DIR/binary.dict   libFuzzer dictionaries
// Files are named by a hash of their contents, so duplicates collapse.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "spec/opcodes.h"
#include "text/lexer.h"
#include "text/script.h"

namespace fs = std::filesystem;
using namespace weft;

namespace {

constexpr size_t kWastChunk = 4096;  // target size of one .wast corpus entry

struct Counts {
  size_t wast = 0, wat = 0, binary = 0, run = 0;
};

std::string hash_name(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

bool write_entry(const fs::path& dir, std::string_view data) {
  fs::path p = dir / hash_name(data);
  if (fs::exists(p)) return false;
  std::ofstream out(p, std::ios::binary);
  out.write(data.data(), std::streamsize(data.size()));
  return true;
}

// `runs`: the script instantiates the module, so it is a seed for the
// targets that run modules.
void add_module(const fs::path& out, const ScriptModule& m, bool runs, Counts& n) {
  auto add_binary = [&](const std::vector<uint8_t>& bytes) {
    std::string_view b(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    n.binary += write_entry(out / "binary", b);
    if (runs) n.run += write_entry(out / "run", b);
  };
  if (m.kind == ScriptModule::Kind::binary) {
    add_binary(m.bytes);
    return;
  }
  n.wat += write_entry(out / "wat", m.text);
  auto bytes = parse_wat(m.text);
  if (bytes.ok()) add_binary(bytes.value());
}

// Splits a script into its top-level forms, writes runs of them as .wast
// entries and every module among them to the module corpora. Each form is
// parsed on its own, so one unsupported command does not lose the rest.
bool add_script(const fs::path& out, const std::string& source, Counts& n) {
  auto lexed = text::lex(source);
  if (!lexed.ok()) return false;
  const auto& toks = lexed->tokens;
  size_t chunk_begin = std::string::npos, chunk_end = 0;
  auto flush = [&] {
    if (chunk_begin != std::string::npos) {
      n.wast += write_entry(out / "wast", std::string_view(source).substr(chunk_begin, chunk_end - chunk_begin));
    }
    chunk_begin = std::string::npos;
  };
  for (size_t i = 0; i < toks.size() && toks[i].kind == text::Tok::lparen;) {
    const text::Token& open = toks[i];
    const text::Token& close = toks[open.aux];
    size_t begin = open.offset, end = close.offset + 1;
    if (chunk_begin != std::string::npos && end - chunk_begin > kWastChunk) flush();
    if (chunk_begin == std::string::npos) chunk_begin = begin;
    chunk_end = end;
    auto script = parse_script(std::string_view(source).substr(begin, end - begin));
    if (script.ok()) {
      for (const Command& c : script->commands) {
        bool has_module = c.kind == Command::Kind::module || c.kind == Command::Kind::assert_malformed ||
                          c.kind == Command::Kind::assert_invalid ||
                          c.kind == Command::Kind::assert_unlinkable ||
                          c.kind == Command::Kind::assert_uninstantiable;
        bool runs = c.kind == Command::Kind::module || c.kind == Command::Kind::assert_unlinkable ||
                    c.kind == Command::Kind::assert_uninstantiable;
        if (has_module) add_module(out, c.module, runs, n);
      }
    }
    i = open.aux + 1;
  }
  flush();
  return true;
}

void put_dict_entry(std::ofstream& out, std::string_view s) {
  out << '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out << buf;
    } else {
      out << c;
    }
  }
  out << "\"\n";
}

void write_dicts(const fs::path& out) {
  std::set<std::string> words;
  for (unsigned i = 0; i < kOpCount; ++i) {
    Op op = static_cast<Op>(i);
    if (!is_internal(op) && !op_info(op).text.empty()) words.insert(std::string(op_info(op).text));
  }
  static constexpr const char* kGrammar[] = {
      "module", "type", "rec", "sub", "final", "func", "struct", "array", "cont", "field", "mut",
      "param", "result", "local", "import", "export", "table", "memory", "global", "tag", "elem",
      "data", "start", "offset", "item", "declare", "then", "else", "end", "ref", "null", "i8",
      "i16", "i32", "i64", "f32", "f64", "v128", "anyref", "eqref", "i31ref", "structref",
      "arrayref", "nullref", "funcref", "nullfuncref", "externref", "nullexternref", "exnref",
      "nullexnref", "contref", "nullcontref", "any", "eq", "i31", "none", "nofunc", "extern",
      "noextern", "exn", "noexn", "nocont", "on", "switch", "catch", "catch_ref", "catch_all",
      "catch_all_ref", "definition", "binary", "quote", "instance", "offset=", "align=", "inf",
      "nan", "nan:0x", "nan:canonical", "nan:arithmetic", "0x", "1.5e+10", "-0x1p-149", "$",
      "$\"", "(;", ";)", ";;", "(@", "\\u{", "\\\"", "register", "invoke", "get", "assert_return",
      "assert_trap", "assert_exhaustion", "assert_exception", "assert_suspension",
      "assert_malformed", "assert_invalid", "assert_unlinkable", "either", "ref.extern",
      "ref.host"};
  for (const char* w : kGrammar) words.insert(w);
  std::ofstream text_dict(out / "text.dict");
  for (const std::string& w : words) put_dict_entry(text_dict, w);

  std::ofstream bin(out / "binary.dict");
  static const std::string_view kBinary[] = {
      std::string_view("\0asm\1\0\0\0", 8), std::string_view("\0\4name", 6),
      std::string_view("\x60\0\0", 3), std::string_view("\x4e\x02", 2), std::string_view("\x50\x00", 2),
      std::string_view("\x4f\x00", 2), std::string_view("\x63\x70", 2), std::string_view("\x64\x00", 2),
      std::string_view("\x40\x00", 2), std::string_view("\xff\xff\xff\xff\x0f", 5),
      std::string_view("\x80\x80\x80\x80\x10", 5), std::string_view("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10),
      std::string_view("\x41\x00\x0b", 3), std::string_view("\xfc\x08", 2), std::string_view("\xfb\x00", 2),
      std::string_view("\x02\x40", 2), std::string_view("\x0b", 1), std::string_view("\x1f\x40", 2),
      std::string_view("\xe0", 1), std::string_view("\xe3", 1), std::string_view("\xe5", 1)};
  for (std::string_view s : kBinary) put_dict_entry(bin, s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR SCRIPT.wast...\n", argv[0]);
    return 2;
  }
  fs::path out = argv[1];
  for (const char* sub : {"wast", "wat", "binary", "run"}) fs::create_directories(out / sub);
  Counts n;
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
    if (!add_script(out, source, n)) std::fprintf(stderr, "%s: does not lex; skipped\n", argv[i]);
  }
  write_dicts(out);
  std::printf("corpus %s: %zu wast, %zu wat, %zu binary, %zu run entries added\n", out.c_str(), n.wast, n.wat,
              n.binary, n.run);
  return 0;
}
