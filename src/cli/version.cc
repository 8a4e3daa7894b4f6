// `weft --version`: the release, the commit it was built from and the build
// options that change behaviour or speed (CMakeLists.txt defines them).
#include <string>

#include "cli/cli.h"
#include "runtime/store.h"
#include "weft_commit.h"

namespace weft::cli {

std::string version_text() {
  const char* growth = EngineConfig{}.stack_growth == StackGrowth::segmented ? "segmented" : "copying";
  std::string text = "weft " WEFT_VERSION " (commit " WEFT_COMMIT ")\n";
  text += "build: " WEFT_BUILD_TYPE ", " WEFT_BUILD_COMPILER "\n";
  text += "dispatch: " WEFT_BUILD_DISPATCH "\n";
  text += std::string("stack growth default: ") + growth + "\n";
  text += "sanitizers: " WEFT_BUILD_SANITIZERS "\n";
  return text;
}

}  // namespace weft::cli
