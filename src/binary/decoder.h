#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/result.h"
#include "spec/module.h"

namespace weft {

// Decodes a binary module. Everything the binary format makes malformed is
// reported here (including inside function bodies, which are scanned with
// read_instr), so that validation only sees well-formed modules.
Result<std::unique_ptr<Module>> decode_module(std::vector<uint8_t> bytes);

}  // namespace weft
