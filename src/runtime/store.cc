#include "runtime/store.h"

#include <sys/mman.h>

#include <algorithm>

#include "stacks/stack.h"

namespace weft {

namespace {

constexpr uint64_t kPageBytes = 65536;
// Memories never grow past this many pages, whatever their declared maximum,
// so that a memory's whole growth range can be reserved up front (its data
// pointer never moves). 65536 pages is the full 4 GiB of a 32-bit memory.
constexpr uint64_t kMaxMemoryPages = 65536;

uint64_t memory_page_cap(const MemoryType& t) {
  uint64_t cap = kMaxMemoryPages;
  if (t.limits.max) cap = std::min(cap, *t.limits.max);
  return cap;
}

}  // namespace

// ---- Memory ------------------------------------------------------------------

Memory::~Memory() {
  if (data) munmap(data, reserved_bytes);
}

int64_t Memory::grow(uint64_t delta) {
  uint64_t old_pages = pages();
  if (delta == 0) return int64_t(old_pages);
  uint64_t cap = std::min(reserved_bytes / kPageBytes, memory_page_cap(type));
  if (delta > cap || old_pages > cap - delta) return -1;
  uint64_t new_bytes = (old_pages + delta) * kPageBytes;
  if (mprotect(data + size_bytes, new_bytes - size_bytes, PROT_READ | PROT_WRITE) != 0) return -1;
  size_bytes = new_bytes;
  type.limits.min = old_pages + delta;
  return int64_t(old_pages);
}

// ---- Instance ------------------------------------------------------------------

std::optional<Extern> Instance::find_export(std::string_view name) const {
  for (const Export& e : module->exports) {
    if (e.name != name) continue;
    switch (e.kind) {
      case ExternKind::func: return Extern{e.kind, funcs[e.index]};
      case ExternKind::table: return Extern{e.kind, tables[e.index]};
      case ExternKind::memory: return Extern{e.kind, memories[e.index]};
      case ExternKind::global: return Extern{e.kind, globals[e.index]};
      case ExternKind::tag: return Extern{e.kind, tags[e.index]};
    }
  }
  return std::nullopt;
}

// ---- Store ---------------------------------------------------------------------

Store::~Store() = default;

Stack* Store::stack() {
  if (!stack_) stack_ = Stack::create(engine_.config().max_stack_bytes);
  return stack_.get();
}

Function* Store::new_host_function(uint32_t type_id, HostCallback cb, std::string debug_name) {
  Function& f = funcs_.emplace_back();
  f.type_id = type_id;
  f.host = std::move(cb);
  f.debug_name = std::move(debug_name);
  return &f;
}

Function* Store::new_wasm_function(Instance* inst, const CompiledFunc* code, std::string debug_name) {
  Function& f = funcs_.emplace_back();
  f.type_id = code->type_id;
  f.instance = inst;
  f.code = code;
  f.debug_name = std::move(debug_name);
  return &f;
}

Table* Store::new_table(TableType type, Ref init) {
  Table& t = tables_.emplace_back();
  t.type = type;
  t.elems.assign(type.limits.min, init);
  return &t;
}

Memory* Store::new_memory(MemoryType type) {
  uint64_t cap = memory_page_cap(type);
  if (type.limits.min > cap) return nullptr;
  // Reserve the whole growth range without committing it; grow() makes pages
  // accessible. At least one page is reserved so that data is never null.
  uint64_t reserve = std::max<uint64_t>(cap, 1) * kPageBytes;
  void* p = mmap(nullptr, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  uint64_t bytes = type.limits.min * kPageBytes;
  if (bytes && mprotect(p, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(p, reserve);
    return nullptr;
  }
  Memory& m = memories_.emplace_back();
  m.type = type;
  m.data = static_cast<uint8_t*>(p);
  m.size_bytes = bytes;
  m.reserved_bytes = reserve;
  m.addr_mask = type.limits.is64 ? ~uint64_t{0} : uint64_t{0xffffffffu};
  return &m;
}

Global* Store::new_global(GlobalType type, uint64_t value) {
  Global& g = globals_.emplace_back();
  g.type = type;
  g.value = value;
  return &g;
}

Tag* Store::new_tag(uint32_t type_id) {
  Tag& t = tags_.emplace_back();
  t.type_id = type_id;
  t.num_params = uint32_t(engine_.types().func_type(type_id).params.size());
  return &t;
}

Exception* Store::new_exception(Tag* tag, const uint64_t* payload, size_t n) {
  Exception& e = exceptions_.emplace_back();
  e.tag = tag;
  e.payload.assign(payload, payload + n);
  return &e;
}

Instance* Store::new_instance() { return &instances_.emplace_back(); }

}  // namespace weft
