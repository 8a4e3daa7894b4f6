// WebAssembly 3.0 types: value types, heap types, composite and recursive types,
// and the engine-wide registry that canonicalises recursive type groups.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace weft {

// Abstract heap types, numbered as their binary encoding byte.
enum class AbsHeap : uint8_t {
  nocont = 0x75,
  noexn = 0x74,
  nofunc = 0x73,
  noextern = 0x72,
  none = 0x71,
  func = 0x70,
  extern_ = 0x6f,
  any = 0x6e,
  eq = 0x6d,
  i31 = 0x6c,
  struct_ = 0x6b,
  array = 0x6a,
  exn = 0x69,
  cont = 0x68,
  // The bottom heap type: only the validator makes it (for a reference popped
  // from a polymorphic stack); it never occurs in binaries or at run time.
  bot = 0x00,
};

// A heap type is either abstract or a type index. Which index space the index
// lives in depends on where the HeapType is stored: inside a Module it is a
// module type index; inside the TypeRegistry (and in everything at run time)
// it is a canonical type id.
struct HeapType {
  static constexpr uint32_t kAbstractBit = 0x80000000u;
  uint32_t bits = kAbstractBit | uint32_t(AbsHeap::none);

  static HeapType abstract(AbsHeap h) { return {kAbstractBit | uint32_t(h)}; }
  static HeapType index(uint32_t i) { return {i}; }
  bool is_abstract() const { return bits & kAbstractBit; }
  bool is_index() const { return !is_abstract(); }
  AbsHeap abs() const { return AbsHeap(bits & 0xff); }
  uint32_t idx() const { return bits; }
  bool operator==(const HeapType&) const = default;
};

enum class ValKind : uint8_t {
  i32, i64, f32, f64, v128,
  ref,
  i8, i16,  // packed storage types (struct/array fields only)
  bot,      // validator's unknown type (unreachable code)
};

struct ValType {
  ValKind kind = ValKind::i32;
  bool nullable = false;  // refs only
  HeapType heap{};        // refs only

  static ValType i32() { return {ValKind::i32, false, {}}; }
  static ValType i64() { return {ValKind::i64, false, {}}; }
  static ValType f32() { return {ValKind::f32, false, {}}; }
  static ValType f64() { return {ValKind::f64, false, {}}; }
  static ValType v128() { return {ValKind::v128, false, {}}; }
  static ValType bot() { return {ValKind::bot, false, {}}; }
  static ValType ref(HeapType h, bool nullable) { return {ValKind::ref, nullable, h}; }
  static ValType ref_null(AbsHeap h) { return ref(HeapType::abstract(h), true); }
  static ValType funcref() { return ref_null(AbsHeap::func); }
  static ValType externref() { return ref_null(AbsHeap::extern_); }
  static ValType exnref() { return ref_null(AbsHeap::exn); }

  bool is_ref() const { return kind == ValKind::ref; }
  bool is_num() const { return kind <= ValKind::f64; }
  bool is_packed() const { return kind == ValKind::i8 || kind == ValKind::i16; }
  bool operator==(const ValType& o) const {
    if (kind != o.kind) return false;
    if (kind != ValKind::ref) return true;
    return nullable == o.nullable && heap == o.heap;
  }
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

struct FieldType {
  ValType type;  // may be packed (i8, i16)
  bool mutable_ = false;
  bool operator==(const FieldType&) const = default;
};

struct StructType {
  std::vector<FieldType> fields;
  bool operator==(const StructType&) const = default;
};

struct ArrayType {
  FieldType elem;
  bool operator==(const ArrayType&) const = default;
};

struct ContType {
  HeapType func;  // index of a function type
  bool operator==(const ContType&) const = default;
};

enum class CompKind : uint8_t { func, struct_, array, cont };

struct CompType {
  CompKind kind = CompKind::func;
  FuncType func;       // kind == func
  StructType struct_;  // kind == struct_
  ArrayType array;     // kind == array
  ContType cont;       // kind == cont
  bool operator==(const CompType&) const = default;
};

struct SubType {
  bool final_ = true;
  std::vector<uint32_t> supers;  // at most one in 3.0 (type indices / ids)
  CompType comp;
  bool operator==(const SubType&) const = default;
};

// Engine-wide registry of canonical types. Two types are equivalent iff they
// have the same canonical id. Recursive groups are canonicalised as a whole:
// references inside a group are compared by their position in the group,
// references outside by canonical id (the spec's "type equivalence").
// Thread-safe for registration.
class TypeRegistry {
 public:
  // Registers one recursive group. `group` uses *canonical* ids for
  // references to types outside the group, and for references to types
  // inside it uses `first_id + position`, where first_id is the value
  // `provisional_base()` returned before the call (any placeholder base works
  // as long as it is consistent: pass it as `local_base`). Returns the
  // canonical id of the group's first type; the group's types are
  // consecutive.
  uint32_t register_group(const std::vector<SubType>& group, uint32_t local_base);
  // A placeholder base for group-internal references that never collides
  // with a canonical id (ids stay below it).
  static constexpr uint32_t kGroupLocalBase = 0x40000000u;

  const SubType& get(uint32_t id) const;
  const FuncType& func_type(uint32_t id) const { return get(id).comp.func; }
  uint32_t size() const;

  // Subtyping on canonical types (ids in HeapType are canonical).
  bool is_subtype(uint32_t sub, uint32_t super) const;  // concrete ids
  bool heap_subtype(HeapType a, HeapType b) const;
  bool val_subtype(ValType a, ValType b) const;
  // The top abstract type of a heap type's hierarchy (any, func, extern, exn, cont).
  AbsHeap top_of(HeapType h) const;

 private:
  struct Entry {
    SubType type;
    uint32_t group_first;  // id of the group's first type
    uint32_t group_size;
  };
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;  // stable addresses
  std::unordered_map<std::string, uint32_t> groups_;  // group key -> first id
};

std::string to_string(ValType t);
std::string to_string(HeapType h);

}  // namespace weft
