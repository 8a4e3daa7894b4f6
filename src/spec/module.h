// A decoded module: the binary's sections in structured form. Code and
// constant expressions stay as byte ranges into `bytes` until validation
// lowers them (into `compiled` and `const_code`).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interp/code.h"
#include "spec/types.h"

namespace weft {

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool is64 = false;   // memory64 / table64: i64 addresses
  bool shared = false;
};

struct TableType {
  ValType elem = ValType::funcref();
  Limits limits;
};

struct MemoryType {
  Limits limits;
};

struct GlobalType {
  ValType type;
  bool mutable_ = false;
};

struct TagType {
  uint32_t type_index = 0;  // a function type with no results
  uint64_t offset = 0;      // of the entry in the binary (error locations)
};

enum class ExternKind : uint8_t { func = 0, table = 1, memory = 2, global = 3, tag = 4 };
const char* extern_kind_name(ExternKind k);

// A byte range of an expression (ending in `end`, included) within Module::bytes.
struct ExprRange {
  uint32_t offset = 0;
  uint32_t size = 0;
  uint32_t const_index = UINT32_MAX;  // index into Module::const_code after validation
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::func;
  uint32_t type_index = 0;  // func, tag
  TableType table;
  MemoryType memory;
  GlobalType global;
  uint64_t offset = 0;  // of the entry in the binary (error locations)
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::func;
  uint32_t index = 0;
  uint64_t offset = 0;  // of the entry in the binary (error locations)
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type;
};

struct FuncDecl {
  uint32_t type_index = 0;
  std::vector<LocalDecl> locals;  // as declared (run-length), params not included
  uint32_t body_offset = 0;       // instructions, up to and including the final end
  uint32_t body_size = 0;
  uint64_t decl_offset = 0;       // of its type index in the function section (error locations)
};

struct TableDecl {
  TableType type;
  std::optional<ExprRange> init;  // table with an initialiser expression
  uint64_t offset = 0;            // of the entry in the binary (error locations)
};

struct MemoryDecl {
  MemoryType type;
  uint64_t offset = 0;  // of the entry in the binary (error locations)
};

struct GlobalDecl {
  GlobalType type;
  ExprRange init;
};

struct ElemSegment {
  enum class Mode : uint8_t { passive, active, declarative } mode = Mode::passive;
  uint32_t table = 0;  // active
  ExprRange offset;    // active
  ValType type = ValType::ref(HeapType::abstract(AbsHeap::func), false);
  // Exactly one of these is used: plain function indices (binary forms 0-3),
  // or expressions (forms 4-7).
  std::vector<uint32_t> func_indices;
  std::vector<ExprRange> exprs;
  bool uses_exprs = false;
  uint64_t entry_offset = 0;  // of the entry in the binary (error locations)
  uint32_t size() const { return uses_exprs ? uint32_t(exprs.size()) : uint32_t(func_indices.size()); }
};

struct DataSegment {
  enum class Mode : uint8_t { passive, active } mode = Mode::passive;
  uint32_t memory = 0;
  ExprRange offset;
  uint32_t data_offset = 0;  // bytes within Module::bytes
  uint32_t data_size = 0;
  uint64_t entry_offset = 0;  // of the entry in the binary (error locations)
};

struct RecGroupRange {
  uint32_t first = 0;  // module type index
  uint32_t count = 0;
};

struct Module {
  std::vector<uint8_t> bytes;  // the whole binary

  std::vector<SubType> types;  // heap type indices are module type indices
  // Offset of each type's entry in the binary, for error locations (kept
  // apart because SubType is what the type registry canonicalises).
  std::vector<uint64_t> type_offsets;
  std::vector<RecGroupRange> rec_groups;
  std::vector<Import> imports;
  std::vector<FuncDecl> funcs;  // defined functions only (not imports)
  std::vector<TableDecl> tables;
  std::vector<MemoryDecl> memories;
  std::vector<GlobalDecl> globals;
  std::vector<TagType> tags;
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  uint64_t start_offset = 0;  // of the start section's function index
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;

  // Import counts per kind (the first entries of each index space).
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;

  // From the "name" custom section; empty if absent.
  std::string module_name;
  std::map<uint32_t, std::string> func_names;

  // ---- filled by validation ----
  bool validated = false;
  bool interrupt_checks = false;  // lowered with `check` instructions (ValidateOptions)
  bool forward_results = true;    // lowered with result forwarding (ValidateOptions)
  std::vector<uint32_t> type_ids;         // module type index -> canonical id
  std::vector<CompiledFunc> compiled;     // one per defined function
  std::vector<CompiledFunc> const_code;   // lowered constant expressions (0 params, 1 result)

  // Index-space helpers (imports first).
  uint32_t num_funcs() const { return num_imported_funcs + uint32_t(funcs.size()); }
  uint32_t num_tables() const { return num_imported_tables + uint32_t(tables.size()); }
  uint32_t num_memories() const { return num_imported_memories + uint32_t(memories.size()); }
  uint32_t num_globals() const { return num_imported_globals + uint32_t(globals.size()); }
  uint32_t num_tags() const { return num_imported_tags + uint32_t(tags.size()); }
  // Type index of function `i` in the function index space.
  uint32_t func_type_index(uint32_t i) const;
  TableType table_type(uint32_t i) const;
  MemoryType memory_type(uint32_t i) const;
  GlobalType global_type(uint32_t i) const;
  uint32_t tag_type_index(uint32_t i) const;
  // Offset of type `i`'s entry in the binary (0 if unknown).
  uint64_t type_offset(uint32_t i) const { return i < type_offsets.size() ? type_offsets[i] : 0; }
  // Function name from the name section, or "" if none.
  std::string func_name(uint32_t i) const;
};

}  // namespace weft
