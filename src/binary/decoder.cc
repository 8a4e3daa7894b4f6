// decode_module: preamble, section framing and order, and the checks that
// span sections (function/code counts, data count).
#include "binary/decoder.h"

#include <cstring>

#include "binary/decoder_impl.h"

namespace weft {

namespace binary_detail {

namespace {

// Position of each known section id in the prescribed order (custom: 0).
// Ids: 1 type, 2 import, 3 function, 4 table, 5 memory, 6 global, 7 export,
// 8 start, 9 elem, 10 code, 11 data, 12 data count, 13 tag.
constexpr uint8_t kSectionRank[14] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
constexpr uint8_t kLastSectionId = 13;

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};

}  // namespace

Status ModuleDecoder::read_header() {
  const auto& b = m_.bytes;
  if (b.size() < 4) return r_.error_at(b.size(), "unexpected end");
  if (memcmp(b.data(), kMagic, 4) != 0) return r_.error_at(0, "magic header not detected");
  if (b.size() < 8) return r_.error_at(b.size(), "unexpected end");
  if (memcmp(b.data() + 4, kVersion, 4) != 0) return r_.error_at(4, "unknown binary version");
  const uint8_t* skipped = nullptr;
  return r_.read_bytes(8, &skipped);
}

Status ModuleDecoder::run() {
  if (m_.bytes.size() > UINT32_MAX) return r_.error_at(0, "module too large");
  WEFT_CHECK(read_header());
  uint8_t last_rank = 0;
  while (!r_.at_end()) {
    const uint64_t section_offset = r_.offset();
    const uint8_t id = *r_.pos();
    if (id > kLastSectionId) return r_.error_at(section_offset, "malformed section id");
    if (id != 0) {
      // A repeated or misplaced section ends the sequence of sections.
      if (kSectionRank[id] <= last_rank)
        return r_.error_at(section_offset, "unexpected content after last section");
      last_rank = kSectionRank[id];
    }
    uint8_t skipped_id = 0;
    WEFT_CHECK(r_.read_u8(&skipped_id));
    uint32_t size = 0;
    WEFT_CHECK(r_.read_length(&size));
    const uint64_t content_start = r_.offset();
    WEFT_CHECK(read_section(id, content_start, size));
    if (r_.offset() != content_start + size) return r_.error_at(content_start, "section size mismatch");
  }
  return finish();
}

Status ModuleDecoder::read_section(uint8_t id, uint64_t content_start, uint32_t size) {
  switch (id) {
    case 0: return read_custom_section(content_start, size);
    case 1: return read_type_section();
    case 2: return read_import_section();
    case 3: return read_function_section();
    case 4: return read_table_section();
    case 5: return read_memory_section();
    case 6: return read_global_section();
    case 7: return read_export_section();
    case 8: return read_start_section();
    case 9: return read_elem_section();
    case 10: return read_code_section();
    case 11: return read_data_section();
    case 12: return read_data_count_section();
    case 13: return read_tag_section();
    default: return r_.error_at(content_start, "malformed section id");
  }
}

Status ModuleDecoder::read_custom_section(uint64_t content_start, uint32_t size) {
  std::string name;
  WEFT_CHECK(r_.read_name(&name));
  const uint64_t name_size = r_.offset() - content_start;
  if (name_size > size) return r_.error_at(content_start + size, "unexpected end of section or function");
  const uint8_t* contents = nullptr;
  const size_t contents_size = size - name_size;
  const uint64_t contents_offset = r_.offset();
  WEFT_CHECK(r_.read_bytes(contents_size, &contents));
  if (name == "name") read_name_section(contents, contents + contents_size, contents_offset, m_);
  return {};
}

Status ModuleDecoder::finish() {
  const uint64_t end = m_.bytes.size();
  if (m_.funcs.size() != bodies_.size())
    return r_.error_at(end, "function and code section have inconsistent lengths");
  if (m_.data_count && *m_.data_count != m_.datas.size())
    return r_.error_at(end, "data count and data section have inconsistent lengths");
  if (!m_.data_count && first_data_use_) return r_.error_at(*first_data_use_, "data count section required");
  for (size_t i = 0; i < bodies_.size(); ++i) {
    FuncDecl& f = m_.funcs[i];
    f.locals = std::move(bodies_[i].locals);
    f.body_offset = bodies_[i].body_offset;
    f.body_size = bodies_[i].body_size;
  }
  bodies_.clear();
  return {};
}

}  // namespace binary_detail

Result<std::unique_ptr<Module>> decode_module(std::vector<uint8_t> bytes) {
  auto module = std::make_unique<Module>();
  module->bytes = std::move(bytes);
  binary_detail::ModuleDecoder decoder(*module);
  WEFT_CHECK(decoder.run());
  return Result<std::unique_ptr<Module>>(std::move(module));
}

}  // namespace weft
