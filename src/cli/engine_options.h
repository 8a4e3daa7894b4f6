// Engine options shared by the CLI's commands (`run`, `wast`): stack growth,
// stack limits and resource limits (docs/limits.md, docs/stacks.md).
#pragma once

#include <string>
#include <vector>

#include "runtime/store.h"

namespace weft::cli {

// Usage lines for the options below.
extern const char* const kEngineOptionsUsage;

enum class OptionParse { not_mine, ok, error };
// If args[*i] is an engine option, applies it to `config`, advancing *i past
// its value; on a bad value sets `error`.
OptionParse parse_engine_option(const std::vector<std::string>& args, size_t* i, EngineConfig* config,
                                std::string* error);

}  // namespace weft::cli
