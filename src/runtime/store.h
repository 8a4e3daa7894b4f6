// Runtime objects: the engine, the store, and the instances of functions,
// tables, memories, globals and tags. The store owns every object it creates;
// objects live until the store is destroyed.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "interp/code.h"
#include "runtime/value.h"
#include "spec/module.h"
#include "spec/types.h"
#include "stacks/stack.h"
#include "stacks/stack_pool.h"

namespace weft {

// The interpreter's dispatch (interp/dispatch.h).
enum class Dispatch : uint8_t {
  goto_,    // computed goto: an indirect jump at the end of every handler
  switch_,  // a portable switch
};

struct EngineConfig {
  // ---- stacks (docs/stacks.md) ----------------------------------------------
  StackGrowth stack_growth = StackGrowth::segmented;
  // First segment of every stack (the main one and each continuation's). A
  // parked continuation with one small frame costs about this plus ~200 bytes.
  uint64_t initial_stack_bytes = 512;
  // Maximum size of one Wasm stack (frames, operands and frame headers, all
  // segments together): past it a call traps with "call stack exhausted".
  // The default lets a small function recurse well over 1,000,000 deep.
  uint64_t max_stack_bytes = 512ull << 20;
  // Cap on the memory of all stacks of a store together (every continuation's
  // and the main stack's); past it a call or cont.new traps (exhaustion).
  uint64_t max_total_stack_bytes = 4ull << 30;
  // How many continuation stacks may exist at once (running, suspended or
  // parked in a chain of resumes); cont.new beyond it traps with exhaustion.
  uint32_t max_cont_stacks = 16u << 20;
  // How deeply host functions may re-enter Wasm through invoke().
  uint32_t max_host_reentry = 1000;
  // How much of the host's native stack nested host -> Wasm re-entries may
  // use, measured from the outermost invoke(). Frame sizes vary by build
  // (sanitizers make them several times larger), so depth alone is not a
  // safe bound.
  uint64_t max_host_stack_bytes = 1ull << 20;

  // ---- resource limits (docs/limits.md) ---------------------------------------
  // Largest memory, in 64 KiB pages, that instantiation or memory.grow may
  // create (memory.grow returns -1 past it; a larger minimum fails to link).
  uint64_t max_memory_pages = 65536;
  // Largest table, in elements (table.grow returns -1 past it).
  uint64_t max_table_elements = 10000000;
  // How many instances one store may hold.
  uint32_t max_instances = 10000;
  // Instruction budget per invoke() from the host (0: unlimited); running out
  // traps with "fuel exhausted". Counted at calls and loop back-edges.
  uint64_t fuel = 0;
  // Wall-clock deadline per outermost invoke(), in milliseconds (0: none);
  // past it the program traps with "deadline exceeded".
  uint64_t timeout_ms = 0;
  // Lower interrupt checks even without fuel or a deadline, so that
  // Store::interrupt() can stop running code.
  bool interruptible = false;

  // ---- interpreter ------------------------------------------------------------
  // Which dispatch loop runs, in builds that compile both (-DWEFT_DISPATCH=both,
  // as the fuzz build does to compare them); other builds have one and ignore
  // this. interp::dispatch_modes() says which are compiled.
  Dispatch dispatch = Dispatch::goto_;
};

class Engine {
 public:
  explicit Engine(EngineConfig config = {}) : config_(config) {}
  TypeRegistry& types() { return types_; }
  const EngineConfig& config() const { return config_; }
  // Whether modules run by this engine must be validated with
  // ValidateOptions::interrupt_checks (fuel, deadline, interrupts).
  bool needs_interrupt_checks() const { return config_.fuel || config_.timeout_ms || config_.interruptible; }

 private:
  EngineConfig config_;
  TypeRegistry types_;
};

struct Instance;
class Store;

// Host function callback. Arguments arrive in slots[0 .. num_params) and
// results are written to slots[0 .. num_results) (slot encoding as in
// interp/code.h). Returning an error traps.
using HostCallback = std::function<Status(Store& store, uint64_t* slots)>;

struct Function {
  uint32_t type_id = 0;               // canonical function type id
  Instance* instance = nullptr;       // Wasm functions
  const CompiledFunc* code = nullptr; // Wasm functions
  HostCallback host;                  // host functions
  std::string debug_name;             // for backtraces
  // The registry's entry for type_id (entries never move), so that calls
  // from the host need not look it up under the registry's lock.
  const FuncType* sig = nullptr;
  const FuncType& type(const TypeRegistry& types) const { return sig ? *sig : types.func_type(type_id); }
  bool is_host() const { return code == nullptr; }
};

struct Table {
  TableType type;  // heap types in `type.elem` are canonical
  std::vector<Ref> elems;
  // Growth cap in elements (EngineConfig::max_table_elements when the store
  // made the table): table.grow past it returns -1.
  uint64_t max_elements = EngineConfig{}.max_table_elements;
};

struct Memory {
  MemoryType type;
  uint8_t* data = nullptr;
  uint64_t size_bytes = 0;
  uint64_t reserved_bytes = 0;  // address space reserved for growth
  // Applied to address operands: 0xffffffff for 32-bit memories (the upper
  // half of an i32 slot is unspecified), all ones for memory64.
  uint64_t addr_mask = 0xffffffffu;
  // Growth cap in pages: the smaller of the declared maximum and
  // EngineConfig::max_memory_pages (the reservation covers it). memory.grow
  // past it returns -1.
  uint64_t max_pages = 0;
  uint64_t pages() const { return size_bytes >> 16; }
  Memory() = default;
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;
  ~Memory();
  // Grows by `delta` pages; returns the old size in pages, or -1 on failure.
  int64_t grow(uint64_t delta);
};

struct Global {
  GlobalType type;  // canonical heap types
  uint64_t value = 0;
};

struct Tag {
  uint32_t type_id = 0;     // canonical function type id
  uint32_t num_params = 0;  // payload size of its exceptions
};

// A thrown Wasm exception (exnref points to one).
struct Exception {
  Tag* tag = nullptr;
  std::vector<uint64_t> payload;
};

struct Extern {
  ExternKind kind = ExternKind::func;
  void* ptr = nullptr;  // Function*, Table*, Memory*, Global*, Tag*
  Function* func() const { return static_cast<Function*>(ptr); }
  Table* table() const { return static_cast<Table*>(ptr); }
  Memory* memory() const { return static_cast<Memory*>(ptr); }
  Global* global() const { return static_cast<Global*>(ptr); }
  Tag* tag() const { return static_cast<Tag*>(ptr); }
};

struct ElemInstance {
  std::vector<Ref> refs;  // cleared by elem.drop
};

struct DataInstance {
  const uint8_t* bytes = nullptr;  // into Module::bytes
  uint32_t size = 0;               // 0 after data.drop
};

struct Instance {
  std::shared_ptr<const Module> module;
  std::vector<uint32_t> type_ids;  // module type index -> canonical id
  std::vector<Function*> funcs;
  std::vector<Table*> tables;
  std::vector<Memory*> memories;
  std::vector<Global*> globals;
  std::vector<Tag*> tags;
  std::vector<ElemInstance> elems;
  std::vector<DataInstance> datas;
  // Export lookup; nullopt if absent.
  std::optional<Extern> find_export(std::string_view name) const;
};

class Store {
 public:
  explicit Store(Engine& engine);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  Engine& engine() { return engine_; }

  Function* new_host_function(uint32_t type_id, HostCallback cb, std::string debug_name);
  Table* new_table(TableType type, Ref init);
  Memory* new_memory(MemoryType type);  // nullptr if the initial size cannot be allocated
  Global* new_global(GlobalType type, uint64_t value);
  Tag* new_tag(uint32_t type_id);
  Exception* new_exception(Tag* tag, const uint64_t* payload, size_t n);
  Instance* new_instance();
  Function* new_wasm_function(Instance* inst, const CompiledFunc* code, std::string debug_name);

  // The store's main Wasm stack (created on first use; nullptr past the stack
  // memory cap).
  Stack* stack();
  // The stack that invoke() runs on: the stack whose Wasm code is calling a
  // host function right now (a nested invoke runs on a new segment of it),
  // otherwise the main stack.
  Stack* current_stack() { return calling_stack ? calling_stack : stack(); }
  // Set by the interpreter while a host function it called runs.
  Stack* calling_stack = nullptr;
  // The stacks of continuations (stack switching).
  StackPool& stack_pool() { return stack_pool_; }
  // The memory of all stacks, with the per-stack and total caps.
  StackMemory& stack_memory() { return stack_memory_; }
  // The exception of the last invoke() that ended with ErrorKind::exception.
  // A host function that returns such an error rethrows this exception into
  // its Wasm caller.
  Exception* pending_exception() const { return pending_exception_; }
  void set_pending_exception(Exception* e) { pending_exception_ = e; }
  // Nesting depth of invoke() (host -> Wasm re-entry).
  uint32_t invoke_depth = 0;
  // Frame address of the outermost invoke() (the native stack grows down).
  uintptr_t native_stack_base = 0;

  // ---- fuel, deadline and interrupts (docs/limits.md) ---------------------------
  // Counted down by the `check` instructions of modules validated with
  // interrupt checks; at zero the interpreter calls refill_budget().
  uint64_t budget = 1;
  // Starts the fuel and the deadline of an outermost invoke().
  void start_budget();
  // The budget ran out: nullptr to go on with a new one, or why to trap
  // ("fuel exhausted", "deadline exceeded", "interrupted").
  const char* refill_budget();
  // Makes running Wasm code trap with "interrupted" at its next check (within
  // a few thousand function entries or loop iterations). May be called from
  // another thread.
  void interrupt() { interrupt_requested_->store(true, std::memory_order_relaxed); }
  // The flag interrupt() sets, for handles that may outlive the store (the
  // embedding API's interrupt handles, used from other threads).
  std::shared_ptr<std::atomic<bool>> interrupt_flag() const { return interrupt_requested_; }
  // Fuel that lasts across calls (the embedding API): from now on each
  // outermost call spends from what is left instead of starting with
  // EngineConfig::fuel. Only meaningful for an engine with interrupt checks.
  void set_fuel(uint64_t fuel);
  // Fuel left: of set_fuel's, or of the last call's EngineConfig::fuel.
  uint64_t fuel_left() const { return fuel_left_ - std::min(fuel_left_, chunk_ - std::min(chunk_, budget)); }
  // Whether calls are metered (EngineConfig::fuel or set_fuel).
  bool meters_fuel() const { return lasting_fuel_ || engine_.config().fuel != 0; }

  // ---- resource limits (docs/limits.md) -------------------------------------
  // Instances created so far, failed instantiations included (their objects
  // stay in the store): instantiate() refuses to go past max_instances.
  uint32_t instances_created = 0;

 private:
  Engine& engine_;
  uint64_t fuel_left_ = 0;  // including the current chunk (of which `budget` is left)
  bool lasting_fuel_ = false;  // set_fuel was called
  void next_chunk();
  uint64_t chunk_ = 0;      // the budget last handed out
  std::chrono::steady_clock::time_point deadline_{};
  bool stopped_ = false;    // a budget check failed: fail again until the next start
  std::shared_ptr<std::atomic<bool>> interrupt_requested_ = std::make_shared<std::atomic<bool>>(false);
  StackMemory stack_memory_;  // before the stacks: they give their memory back to it
  StackPool stack_pool_;
  Stack* stack_ = nullptr;
  Exception* pending_exception_ = nullptr;
  std::deque<Function> funcs_;
  std::deque<Table> tables_;
  std::deque<Memory> memories_;
  std::deque<Global> globals_;
  std::deque<Tag> tags_;
  std::deque<Exception> exceptions_;
  std::deque<Instance> instances_;
};

// Instantiates a validated module: checks and binds imports (unlinkable
// errors), allocates tables, memories, globals and tags, evaluates constant
// expressions, initialises active segments (traps), and runs the start
// function. The module must outlive the instance (it is shared).
Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module,
                              const std::vector<Extern>& imports);
// Whether `ext` may be given for import `imp` of `m` (valid/matching.rst,
// "External Types"), as instantiate() checks.
bool import_matches(const TypeRegistry& types, const Module& m, const Import& imp, const Extern& ext);

// Calls a function with the given arguments (checked against its type).
// Traps are ErrorKind::trap, stack overflow ErrorKind::exhaustion ("call stack
// exhausted"), an uncaught Wasm exception ErrorKind::exception. On a trap the
// message is followed by a Wasm backtrace when one is available.
Result<std::vector<Value>> invoke(Store& store, Function* func, const std::vector<Value>& args);
// invoke() for callers that checked the arguments' types themselves (the
// embedding API): arguments in args[0 .. params), results written to
// results[0 .. results) (i32 and f32 zero-extended). The two may be the same
// array.
Status invoke_slots(Store& store, Function* func, const uint64_t* args, uint64_t* results);

}  // namespace weft
