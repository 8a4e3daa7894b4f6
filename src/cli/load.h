// Loading a module file (.wasm or .wat) for the CLI commands.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "runtime/store.h"
#include "spec/module.h"
#include "spec/types.h"

namespace weft::cli {

Result<std::string> read_file(const std::string& path);
// Reads, parses (text) or decodes (binary) and validates a module for `engine`.
Result<std::shared_ptr<Module>> load_module(Engine& engine, const std::string& path);

}  // namespace weft::cli
