// libFuzzer target: binary decoding and validation of arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "binary/decoder.h"
#include "fuzz_util.h"
#include "spec/types.h"
#include "validate/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weft;
  auto module = decode_module(std::vector<uint8_t>(data, data + size));
  if (!module.ok()) {
    fuzz::check_binary_error(module.error(), size);
    return 0;
  }
  TypeRegistry types;
  Status valid = validate_module(types, **module);
  if (!valid.ok()) fuzz::check_binary_error(valid.error(), size);
  return 0;
}
