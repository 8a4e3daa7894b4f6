// The standard WebAssembly C++ API (the wasm.hh interface of
// WebAssembly/wasm-c-api, in the generation that matches include/wasm.h:
// calls and host functions take vectors of values and return an own<Trap>),
// implemented by weft on top of its C API. A program written against the
// standard header compiles and runs unchanged with this one;
// docs/embedding.md ("The C++ API") says how the two map onto each other.
//
// Ownership, in brief: own<T> is a std::unique_ptr<T>; deleting it releases
// exactly what the matching C wasm_X_delete releases. An ownvec<T> owns its
// elements. Runtime objects (functions, globals, tables, memories, instances,
// modules, foreign objects, traps) are reached through references: deleting
// a reference releases only that reference; the object lives as long as its
// store. Deleting a store also frees every reference still alive in it, so a
// reference must not be deleted after its store (release() it instead).
//
// The classes are opaque: objects only come from the make/copy functions and
// the accessors below, never from constructors. The header needs C++11 and
// includes only the C++ standard library.
#ifndef WASM_HH
#define WASM_HH

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <utility>

// Marks what weft implements as exported (the rest of weft is hidden); the
// same definition as in wasm.h.
#ifndef WASM_API_EXTERN
#if defined(_WIN32)
#define WASM_API_EXTERN
#else
#define WASM_API_EXTERN __attribute__((visibility("default")))
#endif
#endif

// ==== Machine types ==========================================================

static_assert(sizeof(float) == sizeof(int32_t), "float must be 32 bits");
static_assert(sizeof(double) == sizeof(int64_t), "double must be 64 bits");
static_assert(sizeof(intptr_t) == sizeof(int32_t) || sizeof(intptr_t) == sizeof(int64_t),
              "pointers must be 32 or 64 bits");

// The same aliases as wasm.h's typedefs (both headers may be included).
using byte_t = char;
using float32_t = float;
using float64_t = double;

namespace wasm {

// ==== Vectors ================================================================

// A sized array that owns its elements (moved, never copied implicitly). The
// state after a move, release() or a failed allocation is "invalid", which
// converts to false. Layout: the size, then the array, like wasm.h's
// wasm_X_vec_t.
template <class T>
class vec {
  static const size_t invalid_size = SIZE_MAX;

  size_t size_;
  T* data_;  // from new[] (or null when empty)

  vec(size_t size, T* data) : size_(size), data_(data) {}

  // `size` default-initialized elements, or the invalid vector if there is
  // no memory for them.
  static auto allocate(size_t size) -> vec {
    if (size == 0) return vec(0, nullptr);
    T* data = new (std::nothrow) T[size];
    return data ? vec(size, data) : invalid();
  }

 public:
  using elem_type = T;

  vec(vec&& that) : size_(that.size_), data_(that.data_) {
    that.size_ = invalid_size;
    that.data_ = nullptr;
  }
  ~vec() { delete[] data_; }

  auto operator=(vec&& that) -> vec& {
    reset(that);
    return *this;
  }

  operator bool() const { return size_ != invalid_size; }

  auto size() const -> size_t { return size_; }
  auto get() const -> const T* { return data_; }
  auto get() -> T* { return data_; }

  // Hands the array to the caller (who delete[]s it); this becomes invalid.
  auto release() -> T* {
    T* data = data_;
    size_ = invalid_size;
    data_ = nullptr;
    return data;
  }

  void reset() {
    delete[] data_;
    size_ = invalid_size;
    data_ = nullptr;
  }

  // Takes over `that`'s elements; `that` becomes invalid.
  void reset(vec& that) {
    if (&that == this) return;
    delete[] data_;
    size_ = that.size_;
    data_ = that.data_;
    that.size_ = invalid_size;
    that.data_ = nullptr;
  }

  auto operator[](size_t i) -> T& {
    assert(i < size_);
    return data_[i];
  }
  auto operator[](size_t i) const -> const T& {
    assert(i < size_);
    return data_[i];
  }

  // Element-wise copy, for copyable elements (bytes, borrowed pointers).
  auto copy() const -> vec {
    auto v = allocate(*this ? size_ : 0);
    for (size_t i = 0; v && i < v.size_; ++i) v.data_[i] = data_[i];
    return v;
  }

  // Copies each owned element with its copy() (for ownvec).
  auto deep_copy() const -> vec {
    auto v = allocate(*this ? size_ : 0);
    for (size_t i = 0; v && i < v.size_; ++i)
      if (data_[i]) v.data_[i] = data_[i]->copy();
    return v;
  }

  static auto make_uninitialized(size_t size = 0) -> vec { return allocate(size); }

  // Moves the `size` elements of `init` in.
  static auto make(size_t size, T init[]) -> vec {
    auto v = allocate(size);
    for (size_t i = 0; v && i < size; ++i) v.data_[i] = std::move(init[i]);
    return v;
  }

  // The characters of `s`, without a terminating NUL (for vec<char>).
  static auto make(std::string s) -> vec<char> {
    auto v = vec<char>::make_uninitialized(s.size());
    if (v && s.size()) std::memcpy(v.get(), s.data(), s.size());
    return v;
  }

  // The characters of `s` and a terminating NUL (for vec<char>).
  static auto make_nt(std::string s) -> vec<char> {
    auto v = vec<char>::make_uninitialized(s.size() + 1);
    if (v) std::memcpy(v.get(), s.c_str(), s.size() + 1);
    return v;
  }

  static auto make() -> vec { return allocate(0); }

  // A vector of the given elements, moved in.
  template <class... Ts>
  static auto make(Ts&&... args) -> vec {
    T data[] = {std::forward<Ts>(args)...};
    return make(sizeof...(Ts), data);
  }

  // Takes over an array from new[].
  static auto adopt(size_t size, T data[]) -> vec { return vec(size, data); }

  static auto invalid() -> vec { return vec(invalid_size, nullptr); }
};

// ==== Ownership ==============================================================

template <class T>
using own = std::unique_ptr<T>;
template <class T>
using ownvec = vec<own<T>>;

template <class T>
auto make_own(T* x) -> own<T> {
  return own<T>(x);
}

// ==== Runtime environment ====================================================

class WASM_API_EXTERN Config {
 public:
  Config() = delete;
  ~Config();
  void operator delete(void*);

  static auto make() -> own<Config>;
};

// May be shared by threads; must outlive its stores.
class WASM_API_EXTERN Engine {
 public:
  Engine() = delete;
  ~Engine();
  void operator delete(void*);

  static auto make(own<Config>&& config = Config::make()) -> own<Engine>;
};

// Used by one thread at a time. Deleting it deletes every object made in it
// and every reference still alive, and runs the finalizers.
class WASM_API_EXTERN Store {
 public:
  Store() = delete;
  ~Store();
  void operator delete(void*);

  static auto make(Engine*) -> own<Store>;
};

// ==== Types ==================================================================

enum class Mutability : uint8_t { CONST, VAR };

// In elements for tables, in 64 KiB pages for memories; the default maximum
// means "none".
struct Limits {
  uint32_t min;
  uint32_t max;

  Limits(uint32_t min, uint32_t max = std::numeric_limits<uint32_t>::max()) : min(min), max(max) {}
};

// Numbered as wasm.h's wasm_valkind_t. ANYREF is the older name of
// EXTERNREF (either may be used; they are the same value).
enum class ValKind : uint8_t {
  I32,
  I64,
  F32,
  F64,
  EXTERNREF = 128,
  FUNCREF,
  ANYREF = EXTERNREF,
};

inline bool is_num(ValKind k) { return k < ValKind::EXTERNREF; }
inline bool is_ref(ValKind k) { return k >= ValKind::EXTERNREF; }

class WASM_API_EXTERN ValType {
 public:
  ValType() = delete;
  ~ValType();
  void operator delete(void*);

  static auto make(ValKind) -> own<ValType>;
  auto copy() const -> own<ValType>;

  auto kind() const -> ValKind;
  auto is_num() const -> bool { return wasm::is_num(kind()); }
  auto is_ref() const -> bool { return wasm::is_ref(kind()); }
};

enum class ExternKind : uint8_t { FUNC, GLOBAL, TABLE, MEMORY };

class FuncType;
class GlobalType;
class TableType;
class MemoryType;

// One of the four types below; func() ... memory() are views of the same
// object (null on a kind mismatch).
class WASM_API_EXTERN ExternType {
 public:
  ExternType() = delete;
  ~ExternType();
  void operator delete(void*);

  auto copy() const -> own<ExternType>;
  auto kind() const -> ExternKind;

  auto func() -> FuncType*;
  auto global() -> GlobalType*;
  auto table() -> TableType*;
  auto memory() -> MemoryType*;
  auto func() const -> const FuncType*;
  auto global() const -> const GlobalType*;
  auto table() const -> const TableType*;
  auto memory() const -> const MemoryType*;
};

class WASM_API_EXTERN FuncType : public ExternType {
 public:
  FuncType() = delete;
  ~FuncType();

  static auto make(ownvec<ValType>&& params = ownvec<ValType>::make(),
                   ownvec<ValType>&& results = ownvec<ValType>::make()) -> own<FuncType>;
  auto copy() const -> own<FuncType>;

  auto params() const -> const ownvec<ValType>&;
  auto results() const -> const ownvec<ValType>&;
};

class WASM_API_EXTERN GlobalType : public ExternType {
 public:
  GlobalType() = delete;
  ~GlobalType();

  static auto make(own<ValType>&& content, Mutability) -> own<GlobalType>;
  auto copy() const -> own<GlobalType>;

  auto content() const -> const ValType*;
  auto mutability() const -> Mutability;
};

class WASM_API_EXTERN TableType : public ExternType {
 public:
  TableType() = delete;
  ~TableType();

  static auto make(own<ValType>&& element, Limits) -> own<TableType>;
  auto copy() const -> own<TableType>;

  auto element() const -> const ValType*;
  auto limits() const -> const Limits&;
};

class WASM_API_EXTERN MemoryType : public ExternType {
 public:
  MemoryType() = delete;
  ~MemoryType();

  static auto make(Limits) -> own<MemoryType>;
  auto copy() const -> own<MemoryType>;

  auto limits() const -> const Limits&;
};

// Names are byte vectors, NUL-terminated only if made so (make_nt).
using Name = vec<byte_t>;

class WASM_API_EXTERN ImportType {
 public:
  ImportType() = delete;
  ~ImportType();
  void operator delete(void*);

  static auto make(Name&& module, Name&& name, own<ExternType>&&) -> own<ImportType>;
  auto copy() const -> own<ImportType>;

  auto module() const -> const Name&;
  auto name() const -> const Name&;
  auto type() const -> const ExternType*;
};

class WASM_API_EXTERN ExportType {
 public:
  ExportType() = delete;
  ~ExportType();
  void operator delete(void*);

  static auto make(Name&&, own<ExternType>&&) -> own<ExportType>;
  auto copy() const -> own<ExportType>;

  auto name() const -> const Name&;
  auto type() const -> const ExternType*;
};

// ==== References =============================================================

// The common view of every reference kind. Host info belongs to the object,
// not to one reference: every copy sees it, and its finalizer runs when the
// info is replaced or the store is deleted.
class WASM_API_EXTERN Ref {
 public:
  Ref() = delete;
  ~Ref();
  void operator delete(void*);

  auto copy() const -> own<Ref>;
  auto same(const Ref*) const -> bool;

  auto get_host_info() const -> void*;
  void set_host_info(void* info, void (*finalizer)(void*) = nullptr);
};

// ==== Values =================================================================

namespace detail {
struct ValBridge;  // weft's conversions between Val and wasm_val_t
}

// A number, or a reference of a reference kind (null is the null reference).
// A Val owns its reference: it is moved, and copied only with copy(). A Val
// made from a reference has kind EXTERNREF; where a funcref is expected, a
// function reference of that kind is accepted as the funcref.
class Val {
  ValKind kind_;
  union impl {
    int32_t i32;
    int64_t i64;
    float32_t f32;
    float64_t f64;
    Ref* ref;
  } impl_;

  Val(ValKind kind, impl value) : kind_(kind), impl_(value) {}
  friend struct detail::ValBridge;

 public:
  Val() : kind_(ValKind::EXTERNREF) { impl_.ref = nullptr; }
  explicit Val(int32_t i) : kind_(ValKind::I32) { impl_.i32 = i; }
  explicit Val(int64_t i) : kind_(ValKind::I64) { impl_.i64 = i; }
  explicit Val(float32_t z) : kind_(ValKind::F32) { impl_.f32 = z; }
  explicit Val(float64_t z) : kind_(ValKind::F64) { impl_.f64 = z; }
  explicit Val(own<Ref>&& r) : kind_(ValKind::EXTERNREF) { impl_.ref = r.release(); }

  Val(Val&& that) : kind_(that.kind_), impl_(that.impl_) {
    if (is_ref()) that.impl_.ref = nullptr;
  }
  ~Val() { reset(); }

  auto operator=(Val&& that) -> Val& {
    reset(that);
    return *this;
  }

  static auto i32(int32_t x) -> Val { return Val(x); }
  static auto i64(int64_t x) -> Val { return Val(x); }
  static auto f32(float32_t x) -> Val { return Val(x); }
  static auto f64(float64_t x) -> Val { return Val(x); }
  static auto ref(own<Ref>&& x) -> Val { return Val(std::move(x)); }
  template <class T>
  inline static auto make(T x) -> Val;
  template <class T>
  inline static auto make(own<T>&& x) -> Val;

  auto kind() const -> ValKind { return kind_; }
  auto is_num() const -> bool { return wasm::is_num(kind_); }
  auto is_ref() const -> bool { return wasm::is_ref(kind_); }

  auto i32() const -> int32_t {
    assert(kind_ == ValKind::I32);
    return impl_.i32;
  }
  auto i64() const -> int64_t {
    assert(kind_ == ValKind::I64);
    return impl_.i64;
  }
  auto f32() const -> float32_t {
    assert(kind_ == ValKind::F32);
    return impl_.f32;
  }
  auto f64() const -> float64_t {
    assert(kind_ == ValKind::F64);
    return impl_.f64;
  }
  auto ref() const -> Ref* {
    assert(is_ref());
    return impl_.ref;
  }
  template <class T>
  inline auto get() const -> T;

  // Deletes the reference held, if any (the kind stays).
  void reset() {
    if (is_ref() && impl_.ref) {
      delete impl_.ref;
      impl_.ref = nullptr;
    }
  }

  // Takes over `that`'s value (and reference).
  void reset(Val& that) {
    if (&that == this) return;
    reset();
    kind_ = that.kind_;
    impl_ = that.impl_;
    if (is_ref()) that.impl_.ref = nullptr;
  }

  // Gives up the reference held (this keeps a null one).
  auto release_ref() -> own<Ref> {
    assert(is_ref());
    Ref* r = impl_.ref;
    impl_.ref = nullptr;
    return own<Ref>(r);
  }

  // A copy with its own copy of the reference.
  auto copy() const -> Val {
    if (!is_ref() || impl_.ref == nullptr) return Val(kind_, impl_);
    impl value;
    value.ref = impl_.ref->copy().release();
    return Val(kind_, value);
  }
};

template <>
inline auto Val::make<int32_t>(int32_t x) -> Val {
  return Val(x);
}
template <>
inline auto Val::make<int64_t>(int64_t x) -> Val {
  return Val(x);
}
template <>
inline auto Val::make<uint32_t>(uint32_t x) -> Val {
  return Val(static_cast<int32_t>(x));
}
template <>
inline auto Val::make<uint64_t>(uint64_t x) -> Val {
  return Val(static_cast<int64_t>(x));
}
template <>
inline auto Val::make<float32_t>(float32_t x) -> Val {
  return Val(x);
}
template <>
inline auto Val::make<float64_t>(float64_t x) -> Val {
  return Val(x);
}
template <>
inline auto Val::make<Ref>(own<Ref>&& x) -> Val {
  return Val(std::move(x));
}

template <>
inline auto Val::get<int32_t>() const -> int32_t {
  return i32();
}
template <>
inline auto Val::get<int64_t>() const -> int64_t {
  return i64();
}
template <>
inline auto Val::get<uint32_t>() const -> uint32_t {
  return static_cast<uint32_t>(i32());
}
template <>
inline auto Val::get<uint64_t>() const -> uint64_t {
  return static_cast<uint64_t>(i64());
}
template <>
inline auto Val::get<float32_t>() const -> float32_t {
  return f32();
}
template <>
inline auto Val::get<float64_t>() const -> float64_t {
  return f64();
}
template <>
inline auto Val::get<Ref*>() const -> Ref* {
  return ref();
}

// ==== Traps ==================================================================

// A trap's message ends with a NUL.
using Message = vec<byte_t>;

class Instance;

// A position in a trap's trace.
class WASM_API_EXTERN Frame {
 public:
  Frame() = delete;
  ~Frame();
  void operator delete(void*);

  auto copy() const -> own<Frame>;

  // Borrowed: the store owns it.
  auto instance() const -> Instance*;
  auto func_index() const -> uint32_t;
  auto func_offset() const -> size_t;
  auto module_offset() const -> size_t;
};

class WASM_API_EXTERN Trap : public Ref {
 public:
  Trap() = delete;
  ~Trap();

  // The message may or may not end with a NUL.
  static auto make(Store*, const Message& msg) -> own<Trap>;
  auto copy() const -> own<Trap>;

  auto message() const -> Message;
  auto origin() const -> own<Frame>;    // null without frames
  auto trace() const -> ownvec<Frame>;  // innermost (the origin) first
};

// ==== Modules ================================================================

// Something that one store shares with stores of other threads.
template <class T>
class Shared;

class WASM_API_EXTERN Module : public Ref {
 public:
  Module() = delete;
  ~Module();

  static auto validate(Store*, const vec<byte_t>& binary) -> bool;
  // Null if the binary does not decode or validate.
  static auto make(Store*, const vec<byte_t>& binary) -> own<Module>;
  auto copy() const -> own<Module>;

  auto imports() const -> ownvec<ImportType>;
  auto exports() const -> ownvec<ExportType>;

  // A shared module may be obtained in any store of the same engine.
  auto share() const -> own<Shared<Module>>;
  static auto obtain(Store*, const Shared<Module>*) -> own<Module>;

  auto serialize() const -> vec<byte_t>;
  static auto deserialize(Store*, const vec<byte_t>&) -> own<Module>;
};

template <>
class WASM_API_EXTERN Shared<Module> {
 public:
  Shared() = delete;
  ~Shared();
  void operator delete(void*);
};

// ==== Foreign objects ========================================================

// An object of the host's, with an identity (and host info).
class WASM_API_EXTERN Foreign : public Ref {
 public:
  Foreign() = delete;
  ~Foreign();

  static auto make(Store*) -> own<Foreign>;
  auto copy() const -> own<Foreign>;
};

// ==== Externals ==============================================================

class Func;
class Global;
class Table;
class Memory;

// A function, global, table or memory; func() ... memory() are views of the
// same reference (null on a kind mismatch).
class WASM_API_EXTERN Extern : public Ref {
 public:
  Extern() = delete;
  ~Extern();

  auto copy() const -> own<Extern>;

  auto kind() const -> ExternKind;
  auto type() const -> own<ExternType>;

  auto func() -> Func*;
  auto global() -> Global*;
  auto table() -> Table*;
  auto memory() -> Memory*;
  auto func() const -> const Func*;
  auto global() const -> const Global*;
  auto table() const -> const Table*;
  auto memory() const -> const Memory*;
};

class WASM_API_EXTERN Func : public Extern {
 public:
  Func() = delete;
  ~Func();

  // A host function gets its arguments and fills `results`, which holds one
  // value per result of the function type; it returns null, or a trap.
  using callback = auto (*)(const vec<Val>& args, vec<Val>& results) -> own<Trap>;
  using callback_with_env = auto (*)(void* env, const vec<Val>& args, vec<Val>& results) -> own<Trap>;

  static auto make(Store*, const FuncType*, callback) -> own<Func>;
  // `finalizer(env)`, if given, runs when the store is deleted.
  static auto make(Store*, const FuncType*, callback_with_env, void* env, void (*finalizer)(void*) = nullptr)
      -> own<Func>;
  auto copy() const -> own<Func>;

  auto type() const -> own<FuncType>;
  auto param_arity() const -> size_t;
  auto result_arity() const -> size_t;

  // Returns null and fills `results` (sized by the caller), or a trap.
  auto call(const vec<Val>& args, vec<Val>& results) const -> own<Trap>;
};

class WASM_API_EXTERN Global : public Extern {
 public:
  Global() = delete;
  ~Global();

  // Null if `init` does not have the global's type.
  static auto make(Store*, const GlobalType*, const Val& init) -> own<Global>;
  auto copy() const -> own<Global>;

  auto type() const -> own<GlobalType>;
  auto get() const -> Val;
  // Does nothing for an immutable global or a value of another type.
  void set(const Val&);
};

class WASM_API_EXTERN Table : public Extern {
 public:
  Table() = delete;
  ~Table();

  using size_t = uint32_t;

  static auto make(Store*, const TableType*, const Ref* init = nullptr) -> own<Table>;
  auto copy() const -> own<Table>;

  auto type() const -> own<TableType>;
  // Null for a null element or an index out of bounds.
  auto get(size_t index) const -> own<Ref>;
  auto set(size_t index, const Ref*) -> bool;
  auto size() const -> size_t;
  auto grow(size_t delta, const Ref* init = nullptr) -> bool;
};

class WASM_API_EXTERN Memory : public Extern {
 public:
  Memory() = delete;
  ~Memory();

  using pages_t = uint32_t;
  static const size_t page_size = 0x10000;

  static auto make(Store*, const MemoryType*) -> own<Memory>;
  auto copy() const -> own<Memory>;

  auto type() const -> own<MemoryType>;
  auto data() const -> byte_t*;
  auto data_size() const -> size_t;
  auto size() const -> pages_t;
  auto grow(pages_t delta) -> bool;
};

// ==== Instances ==============================================================

class WASM_API_EXTERN Instance : public Ref {
 public:
  Instance() = delete;
  ~Instance();

  // Imports match the module's imports by position (they stay the caller's).
  // On failure returns null and, if `trap` is given, sets it to a trap
  // saying why (a link error, or a trap of the start function).
  static auto make(Store*, const Module*, const ownvec<Extern>& imports, own<Trap>* trap = nullptr)
      -> own<Instance>;
  static auto make(Store*, const Module*, const vec<Extern*>& imports, own<Trap>* trap = nullptr)
      -> own<Instance>;
  auto copy() const -> own<Instance>;

  auto exports() const -> ownvec<Extern>;
};

}  // namespace wasm

#endif  // WASM_HH
