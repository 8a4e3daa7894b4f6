// Type section validation: recursive groups, declared subtypes, and
// canonicalisation through the engine's TypeRegistry.
#include <string>

#include "validate/context.h"

namespace weft {

std::string unknown(const char* what, uint64_t index) {
  return std::string("unknown ") + what + " " + std::to_string(index);
}

Result<HeapType> ModuleContext::canon_heap(HeapType h, uint64_t offset) const {
  if (h.is_abstract()) return h;
  if (h.idx() >= types.size()) return invalid_at(offset, unknown("type", h.idx()));
  return HeapType::index(type_ids[h.idx()]);
}

Result<ValType> ModuleContext::canon(ValType t, uint64_t offset) const {
  if (t.kind != ValKind::ref) return t;
  WEFT_TRY(HeapType h, canon_heap(t.heap, offset));
  t.heap = h;
  return t;
}

namespace {

bool storage_matches(const TypeRegistry& reg, ValType a, ValType b) {
  if (a.is_packed() || b.is_packed()) return a.kind == b.kind;
  return reg.val_subtype(a, b);
}

bool field_matches(const TypeRegistry& reg, const FieldType& a, const FieldType& b) {
  if (a.mutable_ != b.mutable_) return false;
  if (!storage_matches(reg, a.type, b.type)) return false;
  return !a.mutable_ || storage_matches(reg, b.type, a.type);
}

// Rewrites module type indices of a group under validation: earlier types
// to canonical ids, types of the group to placeholders (see register_group).
struct GroupMapper {
  const ModuleContext& ctx;
  uint32_t first;
  uint32_t count;
  uint64_t offset = 0;  // of the type being mapped (error locations)

  Status heap(HeapType& h) const {
    if (h.is_abstract()) return Status::Ok();
    WEFT_CHECK(index(h.bits));
    return Status::Ok();
  }
  Status index(uint32_t& i) const {
    if (i < first) {
      i = ctx.type_ids[i];
    } else if (i - first < count) {
      i = TypeRegistry::kGroupLocalBase + (i - first);
    } else {
      return invalid_at(offset, unknown("type", i));
    }
    return Status::Ok();
  }
  Status val(ValType& t) const {
    if (t.kind == ValKind::ref) WEFT_CHECK(heap(t.heap));
    return Status::Ok();
  }
};

}  // namespace

bool comp_matches(const TypeRegistry& reg, const CompType& sub, const CompType& super) {
  if (sub.kind != super.kind) return false;
  switch (sub.kind) {
    case CompKind::func: {
      const FuncType& a = sub.func;
      const FuncType& b = super.func;
      if (a.params.size() != b.params.size() || a.results.size() != b.results.size()) return false;
      for (size_t i = 0; i < a.params.size(); ++i)
        if (!reg.val_subtype(b.params[i], a.params[i])) return false;
      for (size_t i = 0; i < a.results.size(); ++i)
        if (!reg.val_subtype(a.results[i], b.results[i])) return false;
      return true;
    }
    case CompKind::struct_: {
      const auto& a = sub.struct_.fields;
      const auto& b = super.struct_.fields;
      if (a.size() < b.size()) return false;
      for (size_t i = 0; i < b.size(); ++i)
        if (!field_matches(reg, a[i], b[i])) return false;
      return true;
    }
    case CompKind::array:
      return field_matches(reg, sub.array.elem, super.array.elem);
    case CompKind::cont:
      return reg.heap_subtype(sub.cont.func, super.cont.func);
  }
  return false;
}

Status check_type_section(ModuleContext& ctx) {
  const Module& m = ctx.m;
  const uint32_t n = uint32_t(m.types.size());
  ctx.types.assign(n, nullptr);
  ctx.type_ids.assign(n, 0);
  std::vector<SubType> group;
  // A decoder may leave out the groups of plain (non-rec) types: each type
  // not covered by a group is then its own group.
  std::vector<RecGroupRange> singles;
  if (m.rec_groups.empty()) {
    for (uint32_t i = 0; i < n; ++i) singles.push_back({i, 1});
  }
  const std::vector<RecGroupRange>& groups = m.rec_groups.empty() ? singles : m.rec_groups;
  uint32_t next = 0;
  for (const RecGroupRange& g : groups) {
    if (g.first != next || g.count > n - g.first)
      return make_error(ErrorKind::malformed, "inconsistent recursive type groups", Location::at_byte(0));
    next = g.first + g.count;
    GroupMapper map{ctx, g.first, g.count};
    group.assign(m.types.begin() + g.first, m.types.begin() + g.first + g.count);
    for (uint32_t j = 0; j < g.count; ++j) {
      SubType& st = group[j];
      const uint32_t x = g.first + j;
      const uint64_t at = m.type_offset(x);
      map.offset = at;
      if (st.supers.size() > 1) return invalid_at(at, "multiple supertypes");
      for (uint32_t& s : st.supers) {
        // A declared supertype must be defined before the type itself.
        if (s >= x) return invalid_at(at, unknown("type", s));
        WEFT_CHECK(map.index(s));
      }
      CompType& c = st.comp;
      for (ValType& t : c.func.params) WEFT_CHECK(map.val(t));
      for (ValType& t : c.func.results) WEFT_CHECK(map.val(t));
      for (FieldType& f : c.struct_.fields) WEFT_CHECK(map.val(f.type));
      WEFT_CHECK(map.val(c.array.elem.type));
      if (c.kind == CompKind::cont) {
        if (!c.cont.func.is_index()) return invalid_at(at, "non-function type in continuation type");
        WEFT_CHECK(map.heap(c.cont.func));
      }
    }
    const uint32_t first_id = ctx.reg.register_group(group, TypeRegistry::kGroupLocalBase);
    for (uint32_t j = 0; j < g.count; ++j) {
      ctx.type_ids[g.first + j] = first_id + j;
      ctx.types[g.first + j] = &ctx.reg.get(first_id + j);
    }
    // Declared subtyping and continuation types, on the canonical types.
    for (uint32_t j = 0; j < g.count; ++j) {
      const SubType& st = *ctx.types[g.first + j];
      const uint64_t at = m.type_offset(g.first + j);
      for (size_t k = 0; k < st.supers.size(); ++k) {
        const SubType& super = ctx.reg.get(st.supers[k]);
        const std::string names =
            "sub type " + std::to_string(g.first + j) + " does not match super type " +
            std::to_string(m.types[g.first + j].supers[k]);
        if (super.final_) return invalid_at(at, names + " (the super type is final)");
        if (!comp_matches(ctx.reg, st.comp, super.comp)) return invalid_at(at, names);
      }
      if (st.comp.kind == CompKind::cont && ctx.reg.get(st.comp.cont.func.idx()).comp.kind != CompKind::func)
        return invalid_at(at, "non-function type " + std::to_string(m.types[g.first + j].comp.cont.func.idx()));
    }
  }
  if (next != n)
    return make_error(ErrorKind::malformed, "inconsistent recursive type groups", Location::at_byte(0));
  return Status::Ok();
}

}  // namespace weft
