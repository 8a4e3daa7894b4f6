// Helpers for tests/unit/api_weftcpp_test.cc, which includes only public
// headers (weft.hh's namespace weft must not meet libweft's internal one in
// one translation unit).
#pragma once

#include <string_view>

#include "wasm.h"

namespace weftcpp_test {

// The binary of a text module (the test fails if it does not parse); owned.
wasm_byte_vec_t wat_binary(std::string_view text);

}  // namespace weftcpp_test
