// Validation context of one module (the spec's C): every index space with its
// types in canonical form (heap type indices are canonical type ids).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "spec/module.h"
#include "spec/types.h"

namespace weft {

inline Error invalid_at(uint64_t offset, std::string msg) {
  return make_error(ErrorKind::invalid, std::move(msg), Location::at_byte(offset));
}

struct ModuleContext {
  ModuleContext(TypeRegistry& r, const Module& mod) : reg(r), m(mod) {}

  TypeRegistry& reg;
  const Module& m;

  // Module type index -> canonical type (registry-owned, stable).
  std::vector<const SubType*> types;
  std::vector<uint32_t> type_ids;
  // Function index -> module type index (checked to be a function type).
  std::vector<uint32_t> func_type_index;
  std::vector<TableType> tables;    // canonical element types
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;  // canonical value types; grows while globals are checked
  std::vector<uint32_t> tag_type_index;  // tag index -> module type index
  std::vector<ValType> elem_types;  // canonical
  uint32_t num_datas = 0;
  bool has_data_count = false;
  // C.refs: functions that may be referenced by ref.func inside functions.
  std::vector<uint8_t> declared_funcs;

  uint32_t num_types() const { return uint32_t(types.size()); }
  const FuncType& func_type_of_type(uint32_t type_index) const { return types[type_index]->comp.func; }
  const FuncType& func_type(uint32_t func_index) const {
    return func_type_of_type(func_type_index[func_index]);
  }
  uint32_t func_type_id(uint32_t func_index) const { return type_ids[func_type_index[func_index]]; }
  bool is_func_type(uint32_t type_index) const { return types[type_index]->comp.kind == CompKind::func; }

  // Subtyping on canonical value types, with a fast path for equal types.
  bool matches(ValType a, ValType b) const {
    if (a.kind == ValKind::bot) return true;
    if (a == b) return true;
    if (a.kind != ValKind::ref || b.kind != ValKind::ref) return false;
    return reg.val_subtype(a, b);
  }

  // Converts a module value type (heap indices are module type indices) to
  // canonical form; "unknown type" if an index is out of range.
  Result<ValType> canon(ValType t, uint64_t offset) const;
  Result<HeapType> canon_heap(HeapType h, uint64_t offset) const;
};

std::string unknown(const char* what, uint64_t index);  // "unknown global 3"

// Type section: validates rec groups and canonicalises them (fills
// ctx.types, ctx.type_ids). Defined in types_check.cc.
Status check_type_section(ModuleContext& ctx);

// Composite-type matching (declared subtyping), on canonical types.
bool comp_matches(const TypeRegistry& reg, const CompType& sub, const CompType& super);

}  // namespace weft
