// Internal to the binary decoder: the state shared by its source files.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "binary/reader.h"
#include "spec/module.h"

namespace weft::binary_detail {

// Engine limit on the locals a function may declare (params excluded), the
// same as the JS API's. Beyond it a module is rejected as malformed, like
// counts that do not fit in a u32 at all.
constexpr uint64_t kMaxDeclaredLocals = 50000;

// Decodes one module. Reading is not confined to a section's declared size:
// like the reference interpreter, the decoder reads on and then reports
// "section size mismatch" if a section (or function body) did not end
// exactly where its size said.
class ModuleDecoder {
 public:
  explicit ModuleDecoder(Module& m)
      : m_(m), r_(m.bytes.data(), m.bytes.data() + m.bytes.size(), 0) {}

  Status run();

 private:
  Status read_header();
  Status read_section(uint8_t id, uint64_t content_start, uint32_t size);
  Status finish();

  // Sections (decoder_sections.cc, decoder_types.cc, decoder_code.cc).
  Status read_custom_section(uint64_t content_start, uint32_t size);
  Status read_type_section();
  Status read_import_section();
  Status read_function_section();
  Status read_table_section();
  Status read_memory_section();
  Status read_tag_section();
  Status read_global_section();
  Status read_export_section();
  Status read_start_section();
  Status read_elem_section();
  Status read_data_count_section();
  Status read_code_section();
  Status read_data_section();

  // Types.
  Status read_subtype(SubType* out);
  Status read_comptype(CompType* out);
  Status read_fieldtype(FieldType* out);
  Status read_limits(Limits* out, bool is_memory);
  Status read_tabletype(TableType* out);
  Status read_globaltype(GlobalType* out);

  // Code.
  Status read_const_expr(ExprRange* out);
  // Reads instructions up to and including the `end` that closes the
  // enclosing expression. `in_function` records data-index uses.
  Status scan_instrs(bool in_function);
  Status read_code_entry(FuncDecl* out);

  Module& m_;
  Reader r_;
  Instr instr_;
  std::vector<uint8_t> ctrl_;          // open blocks while scanning code
  std::vector<FuncDecl> bodies_;       // code section entries, merged into m_.funcs at the end
  std::optional<uint64_t> first_data_use_;  // offset of the first memory.init/data.drop etc.
};

// Parses the "name" custom section's contents into module_name/func_names.
// Malformed contents are ignored (custom sections never invalidate a module).
void read_name_section(const uint8_t* begin, const uint8_t* end, uint64_t base, Module& m);

}  // namespace weft::binary_detail
