// libFuzzer target: the text-format module parser, then decoding and
// validation of what it encodes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "binary/decoder.h"
#include "fuzz_util.h"
#include "spec/types.h"
#include "text/script.h"
#include "validate/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weft;
  SourceMap map;
  auto bytes = parse_wat(std::string_view(reinterpret_cast<const char*>(data), size), 1, 1, &map);
  if (!bytes.ok()) {
    fuzz::check_text_error(bytes.error());
    return 0;
  }
  const size_t encoded_size = bytes->size();
  auto module = decode_module(std::move(bytes.value()));
  if (!module.ok()) {
    fuzz::check_binary_error(module.error(), encoded_size);
    return 0;
  }
  TypeRegistry types;
  Status valid = validate_module(types, **module);
  if (!valid.ok()) {
    Error e = std::move(valid).error();
    fuzz::check_binary_error(e, encoded_size);
    map.relocate(e);  // as the CLI does: must not fail on any offset
  }
  return 0;
}
