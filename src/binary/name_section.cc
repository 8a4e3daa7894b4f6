// The "name" custom section (appendix "Name Section"): the module name
// (subsection 0) and function names (subsection 1). Anything malformed makes
// the decoder ignore the whole section, as custom sections cannot invalidate
// a module.
#include <map>
#include <string>

#include "binary/decoder_impl.h"

namespace weft::binary_detail {

namespace {

bool read_name_map(Reader& r, std::map<uint32_t, std::string>* out) {
  uint32_t count = 0;
  if (!r.read_length(&count).ok()) return false;
  bool first = true;
  uint32_t last = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t index = 0;
    std::string name;
    if (!r.read_u32(&index).ok() || !r.read_name(&name).ok()) return false;
    if (!first && index <= last) return false;  // indices must increase
    first = false;
    last = index;
    (*out)[index] = std::move(name);
  }
  return true;
}

}  // namespace

void read_name_section(const uint8_t* begin, const uint8_t* end, uint64_t base, Module& m) {
  Reader r(begin, end, base);
  std::string module_name;
  std::map<uint32_t, std::string> func_names;
  int last_id = -1;
  while (!r.at_end()) {
    uint8_t id = 0;
    uint32_t size = 0;
    if (!r.read_u8(&id).ok() || !r.read_length(&size).ok() || size > r.remaining()) return;
    if (int(id) <= last_id) return;  // subsections in increasing id order, each at most once
    last_id = id;
    Reader sub(r.pos(), r.pos() + size, r.offset());
    const uint8_t* skipped = nullptr;
    if (!r.read_bytes(size, &skipped).ok()) return;
    if (id == 0) {
      if (!sub.read_name(&module_name).ok() || !sub.at_end()) return;
    } else if (id == 1) {
      if (!read_name_map(sub, &func_names) || !sub.at_end()) return;
    }
  }
  m.module_name = std::move(module_name);
  m.func_names = std::move(func_names);
}

}  // namespace weft::binary_detail
