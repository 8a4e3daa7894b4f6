// The engine-wide type registry: canonicalisation of recursive type groups
// (iso-recursive type equivalence) and subtyping on canonical types.
#include "spec/types.h"

#include <string>

namespace weft {

namespace {

void key_u32(std::string& k, uint32_t v) {
  k.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// References into the group are keyed by position, others by canonical id,
// so that two groups get the same key iff they are equivalent.
void key_heap(std::string& k, HeapType h, uint32_t base, uint32_t n) {
  if (h.is_abstract()) {
    k += 'a';
    k += char(h.abs());
  } else if (h.idx() >= base && h.idx() - base < n) {
    k += 'r';
    key_u32(k, h.idx() - base);
  } else {
    k += 'c';
    key_u32(k, h.idx());
  }
}

void key_val(std::string& k, ValType t, uint32_t base, uint32_t n) {
  k += char(t.kind);
  if (t.kind == ValKind::ref) {
    k += t.nullable ? 'n' : 'N';
    key_heap(k, t.heap, base, n);
  }
}

void key_field(std::string& k, const FieldType& f, uint32_t base, uint32_t n) {
  k += f.mutable_ ? 'm' : 'c';
  key_val(k, f.type, base, n);
}

std::string group_key(const std::vector<SubType>& group, uint32_t base) {
  const uint32_t n = uint32_t(group.size());
  std::string k;
  key_u32(k, n);
  for (const SubType& st : group) {
    k += st.final_ ? 'F' : 'O';
    key_u32(k, uint32_t(st.supers.size()));
    for (uint32_t s : st.supers) key_heap(k, HeapType::index(s), base, n);
    const CompType& c = st.comp;
    k += char(c.kind);
    switch (c.kind) {
      case CompKind::func:
        key_u32(k, uint32_t(c.func.params.size()));
        for (const ValType& t : c.func.params) key_val(k, t, base, n);
        key_u32(k, uint32_t(c.func.results.size()));
        for (const ValType& t : c.func.results) key_val(k, t, base, n);
        break;
      case CompKind::struct_:
        key_u32(k, uint32_t(c.struct_.fields.size()));
        for (const FieldType& f : c.struct_.fields) key_field(k, f, base, n);
        break;
      case CompKind::array:
        key_field(k, c.array.elem, base, n);
        break;
      case CompKind::cont:
        key_heap(k, c.cont.func, base, n);
        break;
    }
  }
  return k;
}

uint32_t remap_index(uint32_t idx, uint32_t base, uint32_t n, uint32_t first) {
  return (idx >= base && idx - base < n) ? first + (idx - base) : idx;
}

void remap_val(ValType& t, uint32_t base, uint32_t n, uint32_t first) {
  if (t.kind == ValKind::ref && t.heap.is_index())
    t.heap = HeapType::index(remap_index(t.heap.idx(), base, n, first));
}

// Rewrites group-internal placeholder references to the group's real ids.
void remap_subtype(SubType& st, uint32_t base, uint32_t n, uint32_t first) {
  for (uint32_t& s : st.supers) s = remap_index(s, base, n, first);
  CompType& c = st.comp;
  for (ValType& t : c.func.params) remap_val(t, base, n, first);
  for (ValType& t : c.func.results) remap_val(t, base, n, first);
  for (FieldType& f : c.struct_.fields) remap_val(f.type, base, n, first);
  remap_val(c.array.elem.type, base, n, first);
  if (c.cont.func.is_index()) c.cont.func = HeapType::index(remap_index(c.cont.func.idx(), base, n, first));
}

bool in_any_hierarchy(AbsHeap h) {
  return h == AbsHeap::any || h == AbsHeap::eq || h == AbsHeap::i31 || h == AbsHeap::struct_ ||
         h == AbsHeap::array || h == AbsHeap::none;
}

}  // namespace

uint32_t TypeRegistry::register_group(const std::vector<SubType>& group, uint32_t local_base) {
  std::string key = group_key(group, local_base);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = groups_.find(key);
  if (it != groups_.end()) return it->second;
  const uint32_t first = uint32_t(entries_.size());
  const uint32_t n = uint32_t(group.size());
  for (const SubType& st : group) {
    auto e = std::make_unique<Entry>();
    e->type = st;
    remap_subtype(e->type, local_base, n, first);
    e->group_first = first;
    e->group_size = n;
    entries_.push_back(std::move(e));
  }
  groups_.emplace(std::move(key), first);
  return first;
}

const SubType& TypeRegistry::get(uint32_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_[id]->type;  // entries never move: the reference stays valid
}

uint32_t TypeRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return uint32_t(entries_.size());
}

bool TypeRegistry::is_subtype(uint32_t sub, uint32_t super) const {
  // Declared supertypes form a chain (at most one each), ending in a type
  // without supertypes. Equal canonical ids are equivalent types.
  for (;;) {
    if (sub == super) return true;
    const SubType& st = get(sub);
    if (st.supers.empty()) return false;
    sub = st.supers[0];
  }
}

AbsHeap TypeRegistry::top_of(HeapType h) const {
  if (h.is_index()) {
    switch (get(h.idx()).comp.kind) {
      case CompKind::func: return AbsHeap::func;
      case CompKind::cont: return AbsHeap::cont;
      case CompKind::struct_:
      case CompKind::array: return AbsHeap::any;
    }
    return AbsHeap::any;
  }
  switch (h.abs()) {
    case AbsHeap::func:
    case AbsHeap::nofunc: return AbsHeap::func;
    case AbsHeap::extern_:
    case AbsHeap::noextern: return AbsHeap::extern_;
    case AbsHeap::exn:
    case AbsHeap::noexn: return AbsHeap::exn;
    case AbsHeap::cont:
    case AbsHeap::nocont: return AbsHeap::cont;
    case AbsHeap::bot: return AbsHeap::bot;
    default: return AbsHeap::any;
  }
}

bool TypeRegistry::heap_subtype(HeapType a, HeapType b) const {
  if (a == b) return true;
  if (a.is_abstract() && a.abs() == AbsHeap::bot) return true;
  if (b.is_abstract() && b.abs() == AbsHeap::bot) return false;
  if (a.is_index() && b.is_index()) return is_subtype(a.idx(), b.idx());
  if (a.is_index()) {
    // A defined type below an abstract one: by the kind of its composite type.
    CompKind k = get(a.idx()).comp.kind;
    switch (b.abs()) {
      case AbsHeap::any:
      case AbsHeap::eq: return k == CompKind::struct_ || k == CompKind::array;
      case AbsHeap::struct_: return k == CompKind::struct_;
      case AbsHeap::array: return k == CompKind::array;
      case AbsHeap::func: return k == CompKind::func;
      case AbsHeap::cont: return k == CompKind::cont;
      default: return false;
    }
  }
  AbsHeap x = a.abs();
  if (b.is_index()) {
    // Only the bottom of the defined type's hierarchy is below it.
    AbsHeap top = top_of(b);
    return (top == AbsHeap::any && x == AbsHeap::none) || (top == AbsHeap::func && x == AbsHeap::nofunc) ||
           (top == AbsHeap::cont && x == AbsHeap::nocont);
  }
  AbsHeap y = b.abs();
  switch (x) {
    case AbsHeap::none: return in_any_hierarchy(y);
    case AbsHeap::nofunc: return y == AbsHeap::func;
    case AbsHeap::noextern: return y == AbsHeap::extern_;
    case AbsHeap::noexn: return y == AbsHeap::exn;
    case AbsHeap::nocont: return y == AbsHeap::cont;
    case AbsHeap::eq: return y == AbsHeap::any;
    case AbsHeap::i31:
    case AbsHeap::struct_:
    case AbsHeap::array: return y == AbsHeap::eq || y == AbsHeap::any;
    default: return false;
  }
}

bool TypeRegistry::val_subtype(ValType a, ValType b) const {
  if (a.kind == ValKind::bot) return true;
  if (a.kind != b.kind) return false;
  if (a.kind != ValKind::ref) return true;
  if (a.nullable && !b.nullable) return false;
  return heap_subtype(a.heap, b.heap);
}

std::string to_string(HeapType h) {
  if (h.is_index()) return std::to_string(h.idx());
  switch (h.abs()) {
    case AbsHeap::nocont: return "nocont";
    case AbsHeap::noexn: return "noexn";
    case AbsHeap::nofunc: return "nofunc";
    case AbsHeap::noextern: return "noextern";
    case AbsHeap::none: return "none";
    case AbsHeap::func: return "func";
    case AbsHeap::extern_: return "extern";
    case AbsHeap::any: return "any";
    case AbsHeap::eq: return "eq";
    case AbsHeap::i31: return "i31";
    case AbsHeap::struct_: return "struct";
    case AbsHeap::array: return "array";
    case AbsHeap::exn: return "exn";
    case AbsHeap::cont: return "cont";
    case AbsHeap::bot: return "bot";
  }
  return "?";
}

std::string to_string(ValType t) {
  switch (t.kind) {
    case ValKind::i32: return "i32";
    case ValKind::i64: return "i64";
    case ValKind::f32: return "f32";
    case ValKind::f64: return "f64";
    case ValKind::v128: return "v128";
    case ValKind::i8: return "i8";
    case ValKind::i16: return "i16";
    case ValKind::bot: return "bot";
    case ValKind::ref: break;
  }
  if (t.nullable && t.heap.is_abstract() && t.heap.abs() != AbsHeap::bot) {
    switch (t.heap.abs()) {
      case AbsHeap::nocont: return "nullcontref";
      case AbsHeap::noexn: return "nullexnref";
      case AbsHeap::nofunc: return "nullfuncref";
      case AbsHeap::noextern: return "nullexternref";
      case AbsHeap::none: return "nullref";
      default: return to_string(t.heap) + "ref";
    }
  }
  return std::string(t.nullable ? "(ref null " : "(ref ") + to_string(t.heap) + ")";
}

}  // namespace weft
