// Runs .wast scripts (script-format-README.md) against the engine and counts
// passed and failed commands.
#pragma once

#include <cstdint>
#include <ostream>
#include <set>
#include <string>

#include "base/result.h"

#include "runtime/store.h"

namespace weft {

// The committed list of known failures: one "<dir>/<file>.wast:<line>" key a
// line ('#' starts a comment). A listed command that fails is not counted as
// a failure; a listed command that passes is ("unexpected pass"), so the list
// always says exactly what fails.
class ExpectedFailures {
 public:
  static Result<ExpectedFailures> load(const std::string& path);
  bool contains(const std::string& key) const { return keys_.count(key) != 0; }
  bool empty() const { return keys_.empty(); }

 private:
  std::set<std::string> keys_;
};

struct WastCounts {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t expected_failures = 0;  // failed, but listed
};

struct WastOptions {
  const ExpectedFailures* expected = nullptr;
  bool verbose = false;  // also report details of expected failures
  EngineConfig engine;   // stack growth and limits for every store the script makes
};

// Runs one script file. Writes a line per failing command ("file:line: ...")
// to `report`, and whatever the script prints (spectest print*) to `out`.
WastCounts run_wast_file(const std::string& path, const WastOptions& options, std::ostream& out,
                         std::ostream& report);

// The key of a command in the expected-failures list: the file's parent
// directory name and file name, and the line.
std::string failure_key(const std::string& path, uint32_t line);

}  // namespace weft
