// libFuzzer target: the .wast script parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "text/script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weft;
  auto script = parse_script(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!script.ok()) fuzz::check_text_error(script.error());
  return 0;
}
