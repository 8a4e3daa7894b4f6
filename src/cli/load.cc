#include "cli/load.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "binary/decoder.h"
#include "text/script.h"
#include "validate/validator.h"

namespace weft::cli {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::io, "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static bool looks_binary(const std::string& data) {
  static constexpr char kMagic[4] = {'\0', 'a', 's', 'm'};
  return data.size() >= 4 && std::equal(kMagic, kMagic + 4, data.begin());
}

Result<std::shared_ptr<Module>> load_module(Engine& engine, const std::string& path) {
  auto file = read_file(path);
  if (!file.ok()) return std::move(file).error();
  const std::string& data = file.value();
  std::vector<uint8_t> bytes;
  SourceMap map;
  if (looks_binary(data)) {
    bytes.assign(data.begin(), data.end());
  } else {
    WEFT_TRY(bytes, parse_wat(data, 1, 1, &map));
  }
  WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
  Status valid = validate_module(engine.types(), *m, {.interrupt_checks = engine.needs_interrupt_checks()});
  if (!valid.ok()) {
    Error e = std::move(valid).error();
    map.relocate(e);  // report text modules at line:column
    return e;
  }
  return std::shared_ptr<Module>(std::move(m));
}

}  // namespace weft::cli
