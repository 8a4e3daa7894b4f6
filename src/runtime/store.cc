#include "runtime/store.h"

#include <sys/mman.h>

#include <algorithm>

#include "stacks/stack.h"

namespace weft {

namespace {

constexpr uint64_t kPageBytes = 65536;
// The largest size the address type allows: 4 GiB for a 32-bit memory, 2^64
// bytes for memory64.
constexpr uint64_t kMaxPages32 = uint64_t(1) << 16;
constexpr uint64_t kMaxPages64 = uint64_t(1) << 48;

// How far a memory may ever grow: its declared maximum, the address type's
// limit and the engine's EngineConfig::max_memory_pages. The whole range is
// reserved up front, so that the data pointer never moves.
uint64_t memory_page_cap(const MemoryType& t, uint64_t engine_cap) {
  uint64_t cap = std::min(engine_cap, t.limits.is64 ? kMaxPages64 : kMaxPages32);
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
  uint64_t cap = std::min(reserved_bytes / kPageBytes, max_pages);
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

namespace {
StackSettings stack_settings(const EngineConfig& c) {
  StackSettings s;
  s.growth = c.stack_growth;
  s.initial_bytes = c.initial_stack_bytes;
  s.max_stack_bytes = c.max_stack_bytes;
  s.max_total_bytes = c.max_total_stack_bytes;
  return s;
}
}  // namespace

Store::Store(Engine& engine)
    : engine_(engine),
      stack_memory_(stack_settings(engine.config())),
      stack_pool_(stack_memory_, engine.config().max_cont_stacks) {}

Store::~Store() { Stack::destroy(stack_); }

namespace {
// Checks between looks at the clock and the interrupt flag.
constexpr uint64_t kBudgetChunk = 4096;
}  // namespace

void Store::start_budget() {
  const EngineConfig& c = engine_.config();
  if (lasting_fuel_) {
    fuel_left_ = fuel_left();
  } else {
    fuel_left_ = c.fuel;
  }
  if (c.timeout_ms) deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(c.timeout_ms);
  stopped_ = false;
  next_chunk();
}

void Store::set_fuel(uint64_t fuel) {
  lasting_fuel_ = true;
  fuel_left_ = fuel;
  next_chunk();
}

// The next stretch of code between budget checks: at most kBudgetChunk,
// and no more than the fuel left. With no fuel left, the next check fails.
void Store::next_chunk() {
  if (!meters_fuel()) {
    chunk_ = kBudgetChunk;
  } else {
    chunk_ = std::min(fuel_left_, kBudgetChunk);
  }
  budget = chunk_ ? chunk_ : 1;
}

const char* Store::refill_budget() {
  const EngineConfig& c = engine_.config();
  const char* why = nullptr;
  if (meters_fuel()) {
    fuel_left_ -= std::min(fuel_left_, chunk_);
    if (fuel_left_ == 0) why = "fuel exhausted";
  }
  if (!why && interrupt_requested_->exchange(false, std::memory_order_relaxed)) stopped_ = true;
  if (!why && stopped_) why = "interrupted";
  if (!why && c.timeout_ms && std::chrono::steady_clock::now() >= deadline_) why = "deadline exceeded";
  if (why) {
    // Code that goes on after the trap (a host function ignoring the error)
    // stops again at its next check.
    chunk_ = 0;
    budget = 1;
    return why;
  }
  next_chunk();
  return nullptr;
}

Stack* Store::stack() {
  if (!stack_) stack_ = Stack::make(stack_memory_);
  return stack_;
}

Function* Store::new_host_function(uint32_t type_id, HostCallback cb, std::string debug_name) {
  Function& f = funcs_.emplace_back();
  f.type_id = type_id;
  f.sig = &engine_.types().func_type(type_id);
  f.host = std::move(cb);
  f.debug_name = std::move(debug_name);
  return &f;
}

Function* Store::new_wasm_function(Instance* inst, const CompiledFunc* code, std::string debug_name) {
  Function& f = funcs_.emplace_back();
  f.type_id = code->type_id;
  f.sig = &engine_.types().func_type(code->type_id);
  f.instance = inst;
  f.code = code;
  f.debug_name = std::move(debug_name);
  return &f;
}

Table* Store::new_table(TableType type, Ref init) {
  Table& t = tables_.emplace_back();
  t.type = type;
  t.elems.assign(type.limits.min, init);
  t.max_elements = engine_.config().max_table_elements;
  return &t;
}

Memory* Store::new_memory(MemoryType type) {
  uint64_t cap = memory_page_cap(type, engine_.config().max_memory_pages);
  if (type.limits.min > cap) return nullptr;
  // Reserve the whole growth range without committing it; grow() makes pages
  // accessible. If the OS refuses that much address space, reserve less, down
  // to the minimum: memory.grow then fails earlier, as the spec allows. At
  // least one page is reserved so that data is never null.
  cap = std::min(cap, UINT64_MAX / kPageBytes);
  uint64_t reserve = 0;
  void* p = MAP_FAILED;
  for (;;) {
    reserve = std::max<uint64_t>(cap, 1) * kPageBytes;
    p = mmap(nullptr, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) break;
    if (cap <= type.limits.min) return nullptr;
    cap = std::max(type.limits.min, cap / 2);
  }
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
  m.max_pages = cap;
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
