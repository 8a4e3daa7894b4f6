// Shared by the CLI's commands (main.cc, run.cc).
#pragma once

#include <string>
#include <vector>

namespace weft::cli {

// Prints "weft: MSG" and the usage text to stderr; returns exit status 2.
int usage_error(const std::string& msg);
// `weft run`: a WASI command's _start, or one export with --invoke.
int cmd_run(const std::vector<std::string>& args);

}  // namespace weft::cli
