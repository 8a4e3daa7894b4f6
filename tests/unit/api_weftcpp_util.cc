// The text-to-binary helper for the weft.hh tests (see api_weftcpp_util.h).
#include "api_weftcpp_util.h"

#include "api_test_util.h"

namespace weftcpp_test {

wasm_byte_vec_t wat_binary(std::string_view text) { return weft::api_test::wat_binary(text); }

}  // namespace weftcpp_test
