// Shared by the CLI's commands (main.cc, run.cc).
#pragma once

#include <string>
#include <vector>

namespace weft::cli {

// Prints "weft COMMAND: MSG" and where to find the command's usage to stderr;
// returns exit status 2 (a usage error).
int usage_error(const std::string& command, const std::string& msg);
// Prints the command's usage ("" for the overview) to stdout; returns 0.
int print_usage(const std::string& command);
// "--help" or "-h".
bool is_help_flag(const std::string& arg);
// `weft --version`: version, commit and build options, one item a line.
std::string version_text();
// `weft run`: a WASI command's _start, or one export with --invoke.
int cmd_run(const std::vector<std::string>& args);

}  // namespace weft::cli
