// A tiny binary-module builder for the validator's unit tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "binary/decoder.h"
#include "spec/types.h"
#include "validate/validator.h"

namespace weft::test {

using Bytes = std::vector<uint8_t>;

constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70, EXTERNREF = 0x6f,
                  EXNREF = 0x69, REF = 0x64, REF_NULL = 0x63;

inline void uleb(Bytes& o, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    o.push_back(uint8_t(b | (v ? 0x80 : 0)));
  } while (v);
}

inline void sleb(Bytes& o, int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
      o.push_back(b);
      return;
    }
    o.push_back(uint8_t(b | 0x80));
  }
}

// Instruction helpers.
inline Bytes i32_const(int32_t v) {
  Bytes b{0x41};
  sleb(b, v);
  return b;
}
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class ModuleBuilder {
 public:
  // Value types are raw encodings, one Bytes each ({I32}, {REF_NULL, 0x70}).
  uint32_t type(std::vector<Bytes> params, std::vector<Bytes> results) {
    types_.push_back(0x60);
    vec_of(types_, params);
    vec_of(types_, results);
    return ntypes_++;
  }
  uint32_t import_func(uint32_t type) {
    name(imports_, "m");
    name(imports_, "f" + std::to_string(nimports_));
    imports_.push_back(0x00);
    uleb(imports_, type);
    ++nimports_;
    return nfunc_imports_++;
  }
  uint32_t func(uint32_t type, Bytes body, std::vector<std::pair<uint32_t, Bytes>> locals = {}) {
    uleb(funcs_, type);
    Bytes entry;
    uleb(entry, locals.size());
    for (auto& [n, t] : locals) {
      uleb(entry, n);
      entry.insert(entry.end(), t.begin(), t.end());
    }
    entry.insert(entry.end(), body.begin(), body.end());
    entry.push_back(0x0b);
    uleb(code_, entry.size());
    code_.insert(code_.end(), entry.begin(), entry.end());
    return nfunc_imports_ + nfuncs_++;
  }
  void table(Bytes reftype, uint32_t min) {
    tables_.insert(tables_.end(), reftype.begin(), reftype.end());
    tables_.push_back(0x00);
    uleb(tables_, min);
    ++ntables_;
  }
  void memory(uint64_t min, bool is64 = false) {
    memories_.push_back(is64 ? 0x04 : 0x00);
    uleb(memories_, min);
    ++nmemories_;
  }
  void global(Bytes type, bool mut, Bytes init) {
    globals_.insert(globals_.end(), type.begin(), type.end());
    globals_.push_back(mut ? 1 : 0);
    globals_.insert(globals_.end(), init.begin(), init.end());
    globals_.push_back(0x0b);
    ++nglobals_;
  }
  void tag(uint32_t type) {
    tags_.push_back(0x00);
    uleb(tags_, type);
    ++ntags_;
  }
  void export_(const std::string& n, uint8_t kind, uint32_t index) {
    name(exports_, n);
    exports_.push_back(kind);
    uleb(exports_, index);
    ++nexports_;
  }
  // A declarative element segment declaring functions for ref.func.
  void declare_funcs(const std::vector<uint32_t>& fs) {
    elems_.push_back(0x03);
    elems_.push_back(0x00);
    uleb(elems_, fs.size());
    for (uint32_t f : fs) uleb(elems_, f);
    ++nelems_;
  }
  void start(uint32_t f) { start_ = int64_t(f); }
  void passive_data(const std::string& bytes) {
    datas_.push_back(0x01);
    name(datas_, bytes);
    ++ndatas_;
    data_count_ = true;
  }

  Bytes build() const {
    Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    section(out, 1, ntypes_, types_);
    section(out, 2, nimports_, imports_);
    section(out, 3, nfuncs_, funcs_);
    section(out, 4, ntables_, tables_);
    section(out, 5, nmemories_, memories_);
    section(out, 13, ntags_, tags_);
    section(out, 6, nglobals_, globals_);
    section(out, 7, nexports_, exports_);
    if (start_ >= 0) {
      Bytes st;
      uleb(st, uint64_t(start_));
      out.push_back(8);
      uleb(out, st.size());
      out.insert(out.end(), st.begin(), st.end());
    }
    section(out, 9, nelems_, elems_);
    if (data_count_) {
      Bytes dc;
      uleb(dc, ndatas_);
      out.push_back(12);
      uleb(out, dc.size());
      out.insert(out.end(), dc.begin(), dc.end());
    }
    section(out, 10, nfuncs_, code_);
    section(out, 11, ndatas_, datas_);
    return out;
  }

 private:
  static void name(Bytes& o, const std::string& s) {
    uleb(o, s.size());
    o.insert(o.end(), s.begin(), s.end());
  }
  static void vec_of(Bytes& o, const std::vector<Bytes>& ts) {
    uleb(o, ts.size());
    for (const Bytes& t : ts) o.insert(o.end(), t.begin(), t.end());
  }
  static void section(Bytes& out, uint8_t id, uint32_t count, const Bytes& body) {
    if (count == 0) return;
    Bytes content;
    uleb(content, count);
    content.insert(content.end(), body.begin(), body.end());
    out.push_back(id);
    uleb(out, content.size());
    out.insert(out.end(), content.begin(), content.end());
  }

  Bytes types_, imports_, funcs_, tables_, memories_, tags_, globals_, exports_, elems_, code_, datas_;
  uint32_t ntypes_ = 0, nimports_ = 0, nfunc_imports_ = 0, nfuncs_ = 0, ntables_ = 0, nmemories_ = 0, ntags_ = 0,
           nglobals_ = 0, nexports_ = 0, nelems_ = 0, ndatas_ = 0;
  bool data_count_ = false;
  int64_t start_ = -1;
};

// Decodes and validates; the module is null and `error` set on failure.
struct Validated {
  std::unique_ptr<Module> module;
  std::string error;  // "invalid at @0x1a: ..." or decode errors
  Error err;          // the error itself, when there is one
};

inline Validated validate_bytes(TypeRegistry& reg, Bytes bytes) {
  Validated v;
  auto decoded = decode_module(std::move(bytes));
  if (!decoded.ok()) {
    v.error = decoded.error().to_string();
    v.err = decoded.error();
    return v;
  }
  Status s = validate_module(reg, *decoded.value());
  if (!s.ok()) {
    v.error = s.error().to_string();
    v.err = s.error();
    return v;
  }
  v.module = std::move(decoded).value();
  return v;
}

}  // namespace weft::test
